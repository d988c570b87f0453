#!/usr/bin/env bash
# The README's example queries, run against a hub loaded as `make run` loads
# it (the three demo files, ids prefixed demo-): each must answer 200 with a
# body, and each comment must hold (readme_examples_check.py).
#   tests/clients/readme_examples_test.sh path/to/sdmx-hub
set -euo pipefail
hub=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/hub_for_test.sh"
ID_PREFIX=demo- load_demo 01_unsd_initial.xml 02_who_revision.xml 03_national.xml
python3 "$here/readme_examples_check.py" "$here/../../README.md" "$url"
