#!/usr/bin/env bash
# Ingest benchmark (not a test): a large file pushed as an agency would,
# `sdmx-hub submit --wait` over HTTP on loopback into a fresh hub (its own
# process, embedded log), timed from the first byte sent to `committed`,
# next to the baseline of `sdmx-hub check` reading the same file in the same
# run (figures are ratios to it). The hub's peak RSS is VmHWM from
# /proc/<pid>/status, read just before it is stopped.
#  1. OBS observations (default 2M) in each of FORMATS (generic21 ss21 csv10):
#     obs/s end to end, ratio to `check`, peak RSS;
#  2. peak RSS for files of about SIZES_GB gigabytes (default "1 5", generic
#     SDMX-ML 2.1; max_body_bytes raised for them) against LIMIT_MB (256).
# With KAFKA=1 the hub runs on a real Apache Kafka broker (one node, KRaft,
# tests/kafka/broker/cluster.sh) instead, each submission on topics of its
# own: the same figures for the Kafka path.
#   tests/bench/ingest_bench.sh [BUILD_DIR]
#   OBS=200000 SIZES_GB= tests/bench/ingest_bench.sh     (a quick run)
#   KAFKA=1 SIZES_GB=1 tests/bench/ingest_bench.sh
set -euo pipefail
build=${1:-build}
hub="$(cd "$build" && pwd)/bin/sdmx-hub"
root=$(cd "$(dirname "$0")/../.." && pwd)
obs=${OBS:-2000000}
formats=${FORMATS-generic21 ss21 csv10}
sizes_gb=${SIZES_GB-1 5}
limit_mb=${LIMIT_MB:-256}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ingest_bench.XXXXXX")
hub_pid=
log_name=embedded
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
  [ -n "${KAFKA:-}" ] && "$root/tests/kafka/broker/cluster.sh" stop "$tmp/kafka" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
status=0

# The demo config with absolute paths and no practical body limit.
sed -e "s|^structures = \"structures\"|structures = \"$root/configs/structures\"|" \
    -e "s|^max_body_bytes = .*|max_body_bytes = 1099511627776|" "$root/configs/hub.toml" > "$tmp/hub.toml"

source "$root/tests/bench/hub_process.sh"
if [ -n "${KAFKA:-}" ]; then
  HUB_ARGS=(--kafka "$("$root/tests/kafka/broker/cluster.sh" start "$tmp/kafka" 1)")
  log_name="real Kafka broker"
fi

stop_hub() {  # prints the hub's peak RSS in MB
  local kb
  kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$hub_pid/status")
  kill "$hub_pid"
  # Called in a command substitution, where the hub is not a child: `wait`
  # would return at once. The next hub must not start on the same data
  # directory before this one is gone (RocksDB would delete files by name).
  while kill -0 "$hub_pid" 2>/dev/null; do sleep 0.1; done
  hub_pid=
  echo $((kb / 1024))
}

now() { date +%s.%N; }

# ingest FILE OBS: prints "SECONDS PEAK_MB"; fails when the hub did not commit.
# Runs in a subshell (`< <(ingest ...)`): its own trap stops the hub.
ingest() {
  trap '[ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true' EXIT
  rm -rf "$tmp/data"
  # Topics of its own on Kafka: a fresh log, as the embedded one is.
  sed "s|^topic_prefix = \"\"|topic_prefix = \"bench-$RANDOM-$RANDOM.\"|" "$tmp/hub.toml" > "$tmp/hub-run.toml"
  start_hub "$tmp/data" "$tmp/hub-run.toml"
  local t0 t1
  t0=$(now)
  if ! "$hub" submit --to "$url" --token demo-unsd-token --wait --progress never "$1" > "$tmp/submit.out" 2>&1 ||
      ! grep -q committed "$tmp/submit.out"; then
    cat "$tmp/submit.out" >&2
    stop_hub > /dev/null
    return 1
  fi
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $(stop_hub)"
}

verdict() {  # verdict PEAK_MB (in a subshell: the caller notes a failure, see over)
  if [ "$1" -gt "$limit_mb" ]; then echo "OVER $limit_mb MB"; else echo ok; fi
}
over() { [ "$1" -gt "$limit_mb" ] && status=1 || true; }

echo "== ingest over HTTP vs check, $obs observations (first byte sent -> committed; $log_name)"
for fmt in $formats; do
  "$hub" demo-feed --out "$tmp" --large "$obs" --format "$fmt" > /dev/null 2>&1
  f=$(ls "$tmp"/large_"${obs}"_"${fmt}".* | head -1)
  mb=$(($(stat -c %s "$f") / 1048576))
  t0=$(now)
  "$hub" check --structures "$root/configs/structures/demo_sdg.xml" "$f" > /dev/null 2>&1
  t1=$(now)
  check_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  read -r ingest_s peak_mb < <(ingest "$f") || true
  if [ -z "${peak_mb:-}" ]; then echo "$fmt: the submission did not commit" >&2; status=1; continue; fi
  awk -v fmt="$fmt" -v mb="$mb" -v n="$obs" -v c="$check_s" -v i="$ingest_s" -v p="$peak_mb" -v v="$(verdict "$peak_mb")" \
    'BEGIN { printf "%-9s %5d MB  check %6.2f s %8.0f obs/s   ingest %6.2f s %8.0f obs/s   ratio %.2f   hub peak RSS %4d MB %s\n",
             fmt, mb, c, n / c, i, n / i, c / i, p, v }'
  over "$peak_mb"
  rm -f "$f"
done

[ -z "$sizes_gb" ] && exit $status
echo "== hub peak RSS by file size (generic SDMX-ML 2.1, limit $limit_mb MB)"
for gb in $sizes_gb; do
  n=$((gb * 3280000))  # ~327 bytes per observation
  "$hub" demo-feed --out "$tmp" --large "$n" --format generic21 > /dev/null 2>&1
  f="$tmp/large_${n}_generic21.xml"
  mb=$(($(stat -c %s "$f") / 1048576))
  read -r ingest_s peak_mb < <(ingest "$f") || true
  if [ -z "${peak_mb:-}" ]; then echo "$gb GB: the submission did not commit" >&2; status=1; continue; fi
  awk -v mb="$mb" -v n="$n" -v i="$ingest_s" -v p="$peak_mb" -v v="$(verdict "$peak_mb")" \
    'BEGIN { printf "generic21 %5d MB  %9d obs  ingest %7.2f s %8.0f obs/s   hub peak RSS %4d MB %s\n", mb, n, i, n / i, p, v }'
  over "$peak_mb"
  rm -f "$f"
done
exit $status
