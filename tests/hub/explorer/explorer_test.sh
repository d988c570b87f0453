#!/usr/bin/env bash
# The explorer page (hub/explorer/) in a real browser: Debian's Chromium,
# driven by playwright-core from npm (pinned in package-lock.json, installed
# once into a cache directory; no browser download). explorer_test.mjs says
# what it checks; screenshots go to ARTIFACT_DIR.
#   tests/explorer/explorer_test.sh path/to/sdmx-hub ARTIFACT_DIR
set -euo pipefail
hub=$1
artifacts=$2
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "no $chromium: Debian's chromium package (make test-deps installs it)" >&2; exit 1; }
command -v npm >/dev/null || { echo "no npm: Debian's npm package (make test-deps installs it)" >&2; exit 1; }
deps=${XDG_CACHE_HOME:-$HOME/.cache}/sdmx-hub/explorer-npm-$(sha256sum "$here/package-lock.json" | cut -c1-16)
if [ ! -f "$deps/node_modules/playwright-core/package.json" ]; then
  rm -rf "$deps.tmp" && mkdir -p "$deps.tmp"
  cp "$here/package.json" "$here/package-lock.json" "$deps.tmp/"
  (cd "$deps.tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  rm -rf "$deps" && mv "$deps.tmp" "$deps"  # whole or not at all: parallel runs never see half
fi

source "$here/../../clients/hub_for_test.sh"
load_demo 01_unsd_initial.xml 02_who_revision.xml 03_national.xml

# The series the browser opens: Nigeria's maternal mortality ratio, which
# WHO's demo revision changed. Its rows in WHO's file, as SDMX-CSV 2.0.
structures="$here/../../../configs/structures"
key=A.G.SH_STA_MORT.566._T._T._T
"$hub" convert --structures "$structures" --to csv20 "$tmp/feed/02_who_revision.xml" > "$tmp/who.csv"
awk -F, 'NR == 1 || ($5 == "G" && $6 == "SH_STA_MORT" && $7 == "566" && $8 == "_T" && $9 == "_T" && $10 == "_T")' \
  "$tmp/who.csv" > "$tmp/who_566.csv"
[ "$(wc -l < "$tmp/who_566.csv")" -gt 1 ] || { echo "WHO's demo revision does not touch $key" >&2; exit 1; }
# A third vintage, submitted while the page is open: every value + 1.5.
awk -F, -v OFS=, 'NR > 1 { $12 = sprintf("%.1f", $12 + 1.5) } 1' "$tmp/who_566.csv" > "$tmp/third_vintage.csv"
# A rejected submission for the ledger: an area code not in the codelist.
awk -F, -v OFS=, 'NR > 1 { $7 = "999999" } 1' "$tmp/who_566.csv" > "$tmp/bad_area.csv"
if "$hub" submit --to "$url" --token demo-who-token --id-prefix test- --wait "$tmp/bad_area.csv" > "$tmp/bad.out" 2>&1; then
  echo "a file with area 999999 was accepted" >&2; exit 1
fi

mkdir -p "$artifacts"
HUB="$hub" HUB_URL="$url" SERIES_KEY="$key" THIRD_VINTAGE="$tmp/third_vintage.csv" ARTIFACTS="$artifacts" \
  CHROMIUM="$chromium" NPM_DEPS="$deps" BROWSER_PROFILE="$tmp/profile" \
  node "$here/explorer_test.mjs"
