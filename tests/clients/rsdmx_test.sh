#!/usr/bin/env bash
# A real SDMX client against a running hub: Debian's rsdmx (installed here if
# missing; CI runs as root) reads one demo series and the demo DSD through
# an SDMX service provider. rsdmx asks for every URL twice and puts a slash
# before '?': both must work. The rows must equal what was submitted.
#   tests/clients/rsdmx_test.sh path/to/sdmx-hub
set -euo pipefail
hub=$1
here=$(cd "$(dirname "$0")" && pwd)
if ! Rscript -e 'library(rsdmx)' >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends r-cran-rsdmx >/dev/null
fi
source "$here/hub_for_test.sh"
load_demo 01_unsd_initial.xml

key=A.G.SH_STA_MORT.404._T._T._T
Rscript "$here/rsdmx_read.R" "$url/sdmx/v1" "$key" "$tmp" 2> "$tmp/r.err" || { cat "$tmp/r.err" >&2; exit 1; }

# Expected: the submitted file's rows of that series, as KEY|PERIOD|VALUE|OBS_STATUS
# (rsdmx reads values as numbers: 426.0 comes back as 426).
"$hub" convert --structures "$here/../../configs/structures" --to csv10 "$tmp/feed/01_unsd_initial.xml" |
  awk -F, -v key="$key" 'NR > 1 { k = $2"."$3"."$4"."$5"."$6"."$7"."$8; if (k == key) print k"|"$9"|"sprintf("%.10g", $10)"|"$12 }' |
  sort > "$tmp/expected.txt"
[ -s "$tmp/expected.txt" ] || { echo "no expected rows for $key" >&2; exit 1; }
if ! diff "$tmp/expected.txt" "$tmp/data.txt"; then
  echo "rsdmx rows differ from the submitted file (< expected, > rsdmx)" >&2
  exit 1
fi
for cl in CL_AREA CL_FREQ CL_SERIES CL_SEX; do
  grep -qx "$cl" "$tmp/codelists.txt" || { echo "rsdmx did not get codelist $cl" >&2; exit 1; }
done
echo "rsdmx: $(wc -l < "$tmp/data.txt") rows equal to the submitted file; $(wc -l < "$tmp/codelists.txt") codelists"
