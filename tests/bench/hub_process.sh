# Sourced by the benchmark scripts: a hub in its own process on a free
# loopback port. Needs $hub (the binary) and $tmp (a scratch directory).

# start_hub DATA_DIR CONFIG: sets $url and $hub_pid (port 0: the hub prints
# the address it got). Extra serve arguments in the array HUB_ARGS (--kafka).
start_hub() {
  "$hub" serve --data-dir "$1" --listen 127.0.0.1:0 --config "$2" ${HUB_ARGS[@]+"${HUB_ARGS[@]}"} \
    > "$tmp/serve.out" 2> "$tmp/serve.err" &
  hub_pid=$!
  url=
  for _ in $(seq 300); do
    url=$(grep -o 'http://[0-9.:]*' "$tmp/serve.out" 2>/dev/null | head -1 || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  cat "$tmp/serve.err" >&2
  return 1
}
