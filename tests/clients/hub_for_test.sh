# Sourced by the client tests: starts `$hub serve` on a free port with the
# repo's config in a fresh temporary directory ($tmp), sets $url, and stops
# the hub and removes $tmp on exit. Then `load_demo FILE...` generates the
# demo feed and submits the named files (01_unsd_initial.xml, ...) as their
# providers would (submission ids prefixed with $ID_PREFIX when set, as
# `make run` does with demo-).
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# Port 0: the hub prints the port it got on its first line.
"$hub" serve --data-dir "$tmp/state" --listen 127.0.0.1:0 --config "$(dirname "${BASH_SOURCE[0]}")/../../configs/hub.toml" \
  > "$tmp/serve.out" 2> "$tmp/serve.err" &
pid=$!
for _ in $(seq 100); do
  url=$(grep -o 'http://[0-9.:]*' "$tmp/serve.out" 2>/dev/null | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/serve.err" >&2; echo "hub did not start" >&2; exit 1; }

load_demo() {
  "$hub" demo-feed --out "$tmp/feed" 2>/dev/null
  local f token
  for f in "$@"; do
    token=demo-unsd-token
    [ "$f" = 02_who_revision.xml ] && token=demo-who-token
    "$hub" submit --to "$url" --token "$token" ${ID_PREFIX:+--id-prefix "$ID_PREFIX"} --wait "$tmp/feed/$f" >/dev/null
  done
}
