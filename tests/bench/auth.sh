#!/usr/bin/env bash
# Sign-in and authentication under load, against a release server on a fresh SQLite file (or the
# PostgreSQL database in BENCH_DATABASE_URL):
#   1. 64 concurrent password grants for 10 s: grants/s and the server's peak RSS (VmHWM);
#   2. an authenticated GET of one organisation at 16 connections for 10 s: req/s, p50, p99.
#
#   tests/bench/auth.sh [path/to/iqnet]      (default: target/release/iqnet)
#
# Run it on two builds to compare them (e.g. before and after a change to authentication).
# Installs wrk from Debian's packages when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:-target/release/iqnet}")"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
export IQNET_BIND="127.0.0.1:$port" IQNET_WORKERS=2 RUST_LOG=warn
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$work/bench.db}"
export IQNET_JWT_SECRET="a-benchmark-secret-that-is-long-enough"
export IQNET_ADMIN_EMAIL=admin@example.org IQNET_ADMIN_PASSWORD='a benchmark admin password'
# The benchmark signs one account in far more often than a person could: no lock-out.
export IQNET_SIGN_IN_ADDRESS_LIMIT=1000000 IQNET_SIGN_IN_ACCOUNT_LIMIT=1000000
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

token=$(curl -sf "$base/v1/auth/token" -d grant_type=password \
  -d username="$IQNET_ADMIN_EMAIL" --data-urlencode password="$IQNET_ADMIN_PASSWORD" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
org=$(curl -sf "$base/v1/organisations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"Bench","kind":"provider","state":"DE-BE"}' \
  | sed -E 's/.*"id":"([^"]+)".*/\1/')
rss() { awk '/VmHWM/ {print $2}' "/proc/$server/status"; }
rss_idle=$(rss)

cat >"$work/grant.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=password&username=admin%40example.org&password=a+benchmark+admin+password"
LUA
grants=$(wrk -t2 -c64 -d10s -s "$work/grant.lua" "$base/v1/auth/token" | awk '/Requests\/sec/ {print $2}')
rss_grants=$(rss)

get=$(wrk -t2 -c16 -d10s --latency -H "Authorization: Bearer $token" "$base/v1/organisations/$org")
get_rps=$(echo "$get" | awk '/Requests\/sec/ {print $2}')
get_p50=$(echo "$get" | awk '$1=="50%" {print $2}')
get_p99=$(echo "$get" | awk '$1=="99%" {print $2}')
non2xx=$(echo "$get" | awk '/Non-2xx/ {print $5}')

printf 'binary: %s\n' "$bin"
printf 'password grants, 64 connections: %s grants/s; peak RSS %s MiB (idle %s MiB)\n' \
  "$grants" "$((rss_grants / 1024))" "$((rss_idle / 1024))"
printf 'authenticated GET /v1/organisations/{id}, 16 connections: %s req/s, p50 %s, p99 %s%s\n' \
  "$get_rps" "$get_p50" "$get_p99" "${non2xx:+, $non2xx non-2xx}"
