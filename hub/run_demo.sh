#!/usr/bin/env bash
# `make run`: start the hub on the embedded event log, push the demo feed
# through POST /api/v1/submissions as its two providers would, print example
# queries, and serve until Ctrl-C. A second run continues on the same data
# dir: the demo submissions carry fixed ids, so they are not applied twice.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bin/sdmx-hub
DATA=${DATA_DIR:-data}
LISTEN=${LISTEN:-127.0.0.1:8080}
URL="http://${LISTEN}"

mkdir -p "$DATA"
"$BIN" serve --data-dir "$DATA/hub" --listen "$LISTEN" --config configs/hub.toml &
HUB=$!
trap 'kill -TERM $HUB 2>/dev/null || true; wait $HUB 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM
for _ in $(seq 1 150); do
  curl -sf "$URL/healthz" >/dev/null && break
  kill -0 "$HUB" 2>/dev/null || { echo "sdmx-hub did not start" >&2; exit 1; }
  sleep 0.2
done

"$BIN" demo-feed --out "$DATA/demo"
"$BIN" submit --to "$URL" --token demo-unsd-token --id-prefix demo- --wait "$DATA/demo/01_unsd_initial.xml"
"$BIN" submit --to "$URL" --token demo-who-token --id-prefix demo- --wait "$DATA/demo/02_who_revision.xml"
"$BIN" submit --to "$URL" --token demo-unsd-token --id-prefix demo- --wait "$DATA/demo/03_national.xml"

cat <<EOT

SDMX Hub is serving on $URL (data in $DATA/hub).
Open $URL/ in a browser for the explorer page, or try:
  curl -H 'Accept: text/csv' '$URL/sdmx/v1/data/SDMXHUB,DF_DEMO_SDG,1.0/A.G.SH_STA_MORT.404+646._T._T._T'
  curl -H 'Accept: application/vnd.sdmx.data+json;version=2.0.0' '$URL/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_DYN_MORT.404.F.Y0T4._T'
  curl '$URL/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.566._T._T._T?format=csv&at=2'  # Nigeria as before WHO's revision
  curl '$URL/api/v1/history/DF_DEMO_SDG/A.G.SH_STA_MORT.566._T._T._T'              # every revision, who and when
  curl '$URL/api/v1/submissions/demo-02_who_revision'
  curl '$URL/api/v1/views/global/SH_STA_MORT'                                      # areas + regional aggregates
  curl '$URL/api/v1/views/country/404?format=csv'                                  # national vs global, Kenya
  curl -N '$URL/api/v1/changes?after=0'                                            # change feed (SSE)
  curl '$URL/healthz'
Ctrl-C stops the hub.
EOT
wait "$HUB"
