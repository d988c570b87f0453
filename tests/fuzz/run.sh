#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS CORPUS: replays tests/fuzz/regressions/<target>/*
# (inputs that once crashed a reader, kept after the fix), then fuzzes each
# target for SECONDS from seeds taken from the shared corpus (copied to the
# build dir, never into the repo). Fails on any crash, leak or timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$1 seconds=$2 corpus=$3
# seed_files DIR GLOB: up to 20 small matching files, numbered (names repeat across sources).
seed_files() {
  local i=0 f
  while IFS= read -r f; do
    cp -f "$f" "$seeds/$i-$(basename "$f")"
    i=$((i + 1))
  done < <(find "$1" -name "$2" -size -64k 2>/dev/null | sort | head -20)
}
for target in xml_data_fuzz json_data_fuzz csv_data_fuzz structure_reader_fuzz; do
  bin="$build/bin/$target"
  regressions=(tests/fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "== $target: replaying ${#regressions[@]} regression inputs"
    "$bin" -rss_limit_mb=2048 "${regressions[@]}"
  fi
  seeds="$build/seeds/$target"
  mkdir -p "$seeds"
  if [ "$target" = xml_data_fuzz ]; then
    cp -f "$corpus"/mixed/khaeru-sdmx-test-data/ECB_EXR/ng-*.xml "$seeds"/ 2>/dev/null || true
    cp -f "$corpus"/sdg/national/TJ/*ss_21_DATA.xml "$corpus"/sdg/national/KG/data/3.1.1.xml "$seeds"/ 2>/dev/null || true
    cp -f "$corpus"/sdg/national/TJ/*_2ea290be_Tajstat_DATA.xml "$seeds"/ 2>/dev/null || true  # SDMX-ML 2.0
  elif [ "$target" = csv_data_fuzz ]; then
    cp -f "$corpus"/sdg/custodian/UNICEF/csv/CME_MRY0T4_BRA_sex_2020.csv "$seeds"/ 2>/dev/null || true
    seed_files "$corpus"/mixed '*.csv'
  elif [ "$target" = json_data_fuzz ]; then
    seed_files "$corpus"/mixed '*.json'
  else
    cp -f "$corpus"/mixed/khaeru-sdmx-test-data/ECB_EXR/ng-structure*.xml "$seeds"/ 2>/dev/null || true
  fi
  echo "== $target: fuzzing for ${seconds}s"
  # Crashes land in $build/ as crash-*: move them to tests/fuzz/regressions/$target/ once fixed.
  log="$build/$target.log"
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$build/" "$seeds" > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "$target found a crash (input in $build/crash-*)" >&2
    exit 1
  fi
  tail -n 2 "$log"
done
echo "fuzz: no crash"
