#!/usr/bin/env bash
# HTTP load benchmark (not a test): wrk on loopback against a running hub on
# the embedded log, next to nginx serving a static file of the same response
# size in the same run (the baseline; figures are ratios to it).
#  1. a small data query (one series, SDMX-CSV): req/s and p50/p99;
#  2. one series x all areas x all years (249 M49 countries x 2000-2024, SDMX-CSV): req/s, p50/p99;
#     and the global view of one indicator (JSON) at 1 and 8 connections;
#  3. peak RSS of a freshly started hub while it streams a response of
#     STREAM_OBS observations (default 10M; loaded first as SDMX-CSV pieces).
#   tests/bench/http_bench.sh [BUILD_DIR]        (needs wrk and nginx-light: make bench installs them)
set -euo pipefail
build=${1:-build}
hub="$(cd "$build" && pwd)/bin/sdmx-hub"
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${DURATION:-10s}
stream_obs=${STREAM_OBS:-10000000}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The demo config, with absolute paths and room for 300 MB bodies.
sed -e "s|^structures = \"structures\"|structures = \"$root/configs/structures\"|" \
    -e "s|^max_body_bytes = .*|max_body_bytes = 536870912|" "$root/configs/hub.toml" > "$tmp/hub.toml"

source "$root/tests/bench/hub_process.sh"
hub_at() {  # hub_at DATA_DIR: start_hub with this script's config, stopped on exit
  start_hub "$1" "$tmp/hub.toml"
  pids+=("$hub_pid")
}

# nginx on a free port, serving $tmp/www.
start_nginx() {
  mkdir -p "$tmp/www" "$tmp/nginx"
  for _ in $(seq 20); do
    nport=$((20000 + RANDOM % 40000))
    cat > "$tmp/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
  uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
  server { listen 127.0.0.1:$nport; root $tmp/www; }
}
EOF
    if nginx -c "$tmp/nginx.conf" 2>/dev/null; then return 0; fi
  done
  echo "nginx did not start" >&2
  return 1
}

# wrk_run URL CONNECTIONS: prints "REQ_PER_S P50_MS P99_MS".
wrk_run() {
  wrk -t"$(( $2 < 2 ? $2 : 2 ))" -c"$2" -d"$duration" --latency "$1" > "$tmp/wrk.out"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' "$tmp/wrk.out"
}

compare() {  # compare NAME PATH CONNECTIONS
  local name=$1 path=$2 conns=$3
  curl -sf "$url$path" -o "$tmp/www/$name.csv"
  local bytes obs
  bytes=$(stat -c %s "$tmp/www/$name.csv")
  obs=$(($(wc -l < "$tmp/www/$name.csv") - 1))
  read -r h_rps h_p50 h_p99 < <(wrk_run "$url$path" "$conns")
  read -r n_rps n_p50 n_p99 < <(wrk_run "http://127.0.0.1:$nport/$name.csv" "$conns")
  printf '%-13s %6d obs %8d B | hub %7d req/s p50 %6.2f ms p99 %6.2f ms | nginx %7d req/s p50 %6.2f p99 %6.2f | hub/nginx %.2f\n' \
    "$name" "$obs" "$bytes" "$h_rps" "$h_p50" "$h_p99" "$n_rps" "$n_p50" "$n_p99" \
    "$(awk -v a="$h_rps" -v b="$n_rps" 'BEGIN { print a / b }')"
}

hub_at "$tmp/demo"
"$hub" demo-feed --out "$tmp/feed" --years 2000-2024 2>/dev/null  # 249 areas x 25 years
"$hub" submit --to "$url" --token demo-unsd-token --wait "$tmp/feed/01_unsd_initial.xml" > /dev/null
start_nginx
compare small "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.404._T._T._T?format=csv" 32
compare areas "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.._T._T._T?format=csv" 8
# The global view of one indicator: 249 areas, aggregates for every M49
# region (World > regions > sub-regions > intermediate) and SDG grouping,
# population-weighted; computed on every request (views are not cached).
compare view-c1 "/api/v1/views/global/SH_STA_MORT" 1
compare view-c8 "/api/v1/views/global/SH_STA_MORT" 8
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
# The same with the response cache off: every request scans and writes.
cp "$tmp/hub.toml" "$tmp/hub-cached.toml"
sed -i "s|^response_cache_bytes = .*|response_cache_bytes = 0|" "$tmp/hub.toml"
hub_at "$tmp/demo"
compare small-nocache "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.404._T._T._T?format=csv" 32
compare areas-nocache "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.._T._T._T?format=csv" 8
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
cp "$tmp/hub-cached.toml" "$tmp/hub.toml"

# 3. Streaming: load STREAM_OBS observations (SDMX-CSV, in pieces under the
# body limit, disjoint keys), restart, stream them all, read the peak RSS.
"$hub" demo-feed --out "$tmp/large" --large "$stream_obs" --format csv10 2>/dev/null
big=$(ls "$tmp"/large/large_*)
head -1 "$big" > "$tmp/header.csv"
tail -n +2 "$big" | split -l 2000000 - "$tmp/piece."
rm -f "$big"
hub_at "$tmp/stream"
for p in "$tmp"/piece.*; do
  cat "$tmp/header.csv" "$p" > "$p.csv"
  rm -f "$p"
  "$hub" submit --to "$url" --token demo-unsd-token --wait "$p.csv" > /dev/null
  rm -f "$p.csv"
done
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
hub_at "$tmp/stream"
before=$(awk '/VmHWM/ { print $2 }' "/proc/$hub_pid/status")
start=$(date +%s.%N)
bytes=$(curl -sf "$url/sdmx/v1/data/DF_DEMO_SDG/all?format=csv" | wc -c)
secs=$(echo "$(date +%s.%N) $start" | awk '{ print $1 - $2 }')
after=$(awk '/VmHWM/ { print $2 }' "/proc/$hub_pid/status")
printf 'stream  %d obs, %d MB of SDMX-CSV in %.1f s (%.0f obs/s): hub peak RSS %d MB (%d MB before the query)\n' \
  "$stream_obs" $((bytes / 1048576)) "$secs" "$(awk -v n="$stream_obs" -v s="$secs" 'BEGIN { print n / s }')" \
  $((after / 1024)) $((before / 1024))
