#!/usr/bin/env bash
# Peak resident memory of `sdmx-hub check` and `convert` on generated
# messages of about 1 GB (SDMX-ML 2.1 structure-specific and generic),
# measured with GNU time. Target: under 256 MB whatever the file size (the
# readers stream one Series at a time from a memory map; see MappedFile).
#   tests/bench/peak_rss.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
hub="$build/bin/sdmx-hub"
structures="$(dirname "$0")/../../configs/structures/demo_sdg.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
limit_kb=$((256 * 1024))
status=0
# (format, observations) giving ~1 GB each.
for spec in ss21:9000000 generic21:4000000; do
  fmt=${spec%%:*}
  n=${spec##*:}
  "$hub" demo-feed --out "$tmp" --large "$n" --format "$fmt" 2>/dev/null
  f="$tmp/large_${n}_${fmt}.xml"
  mb=$(( $(stat -c %s "$f") / 1048576 ))
  for cmd in check convert; do
    args=(--structures "$structures")
    [ "$cmd" = convert ] && args+=(--to csv20)
    /usr/bin/time -o "$tmp/rss" -f "%M" "$hub" "$cmd" "${args[@]}" "$f" >/dev/null 2>&1
    rss=$(cat "$tmp/rss")
    verdict=ok
    if [ "$rss" -gt "$limit_kb" ]; then verdict="OVER 256 MB"; status=1; fi
    printf '%-9s %-8s file %5d MB  peak RSS %4d MB  (%.2f of file size)  %s\n' \
      "$fmt" "$cmd" "$mb" $((rss / 1024)) "$(awk -v r="$rss" -v m="$mb" 'BEGIN { print r / 1024 / m }')" "$verdict"
  done
  rm -f "$f"
done
exit $status
