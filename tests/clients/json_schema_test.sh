#!/usr/bin/env bash
# Every kind of SDMX-JSON answer the hub gives (data and structure, 1.0 and
# 2.0) validated against the official SDMX-JSON schemas (read from
# ../shared/corpus/schemas/sdmx-json, never copied), on a hub holding the
# whole demo feed. Debian's python3-jsonschema is installed here if missing.
#   tests/clients/json_schema_test.sh path/to/sdmx-hub SCHEMA_DIR
set -euo pipefail
hub=$1
schemas=$2
here=$(cd "$(dirname "$0")" && pwd)
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-jsonschema >/dev/null
fi
[ -f "$schemas/2.0/sdmx-json-data-schema.json" ] || { echo "no SDMX-JSON schemas in $schemas" >&2; exit 1; }
source "$here/hub_for_test.sh"
load_demo 01_unsd_initial.xml 02_who_revision.xml 03_national.xml
python3 "$here/json_schema_check.py" "$url" "$schemas"
