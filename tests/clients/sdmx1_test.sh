#!/usr/bin/env bash
# A real SDMX client from PyPI against a running hub: sdmx1 (pinned below,
# installed into a virtualenv cached under ~/.cache/sdmx-hub between runs)
# reads a series WHO's demo revision changed, as SDMX-ML and SDMX-JSON 1.0,
# its history (includeHistory=True), and the dataflow with its structure.
# Values must equal the submitted files'.
#   tests/clients/sdmx1_test.sh path/to/sdmx-hub
set -euo pipefail
hub=$1
here=$(cd "$(dirname "$0")" && pwd)
version=2.28.0
venv=${XDG_CACHE_HOME:-$HOME/.cache}/sdmx-hub/sdmx1-$version
if ! "$venv/bin/python" -c 'import sdmx' >/dev/null 2>&1; then
  python3 -c 'import ensurepip' >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv >/dev/null
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "sdmx1==$version"
fi
source "$here/hub_for_test.sh"
load_demo 01_unsd_initial.xml 02_who_revision.xml

# A series WHO revised (the first in its file), and its rows as PERIOD|VALUE:
# as UNSD first sent them, and after WHO's revision replaced some.
structures="$here/../../configs/structures"
rows() {  # rows FILE KEY
  "$hub" convert --structures "$structures" --to csv10 "$1" |
    awk -F, -v key="$2" 'NR > 1 { k = $2"."$3"."$4"."$5"."$6"."$7"."$8; if (k == key) print $9"|"sprintf("%.10g", $10) }'
}
key=$("$hub" convert --structures "$structures" --to csv10 "$tmp/feed/02_who_revision.xml" |
  awk -F, 'NR == 2 { print $2"."$3"."$4"."$5"."$6"."$7"."$8 }')
rows "$tmp/feed/01_unsd_initial.xml" "$key" | sort > "$tmp/initial.txt"
rows "$tmp/feed/02_who_revision.xml" "$key" | sort > "$tmp/revised.txt"
[ -s "$tmp/initial.txt" ] && [ -s "$tmp/revised.txt" ] || { echo "no rows for $key in the demo files" >&2; exit 1; }
# Latest: WHO's rows, and UNSD's for the periods WHO did not send.
cut -d'|' -f1 "$tmp/revised.txt" > "$tmp/revised_periods.txt"
{ grep -v -F -f "$tmp/revised_periods.txt" "$tmp/initial.txt" || true; cat "$tmp/revised.txt"; } | sort > "$tmp/latest.txt"
cmp -s "$tmp/initial.txt" "$tmp/latest.txt" && { echo "the revision changed nothing in $key" >&2; exit 1; }
echo "series $key: $(wc -l < "$tmp/initial.txt") observations, $(wc -l < "$tmp/revised.txt") revised"
"$venv/bin/python" "$here/sdmx1_read.py" "$url" "$key" "$tmp/initial.txt" "$tmp/latest.txt"
