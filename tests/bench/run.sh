#!/usr/bin/env bash
# The benchmark: the release server on PostgreSQL, seeded with `iqnet seed-demo`, measured with
# wrk beside pgbench on the same database server in the same run. Prints a table and writes it
# as JSON (default target/bench/results.json).
#
#   tests/bench/run.sh
#
# Environment (all optional):
#   SCALE=5          funding rounds to seed (5: 1,000,000 advice seekers); the seeded database
#                    iqnet_bench_s<SCALE> is kept and reused by later runs (FRESH=1 reseeds it)
#   DURATION=10      seconds per measurement
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   the PostgreSQL server (superuser, for createdb)
#   POOL=            the server's pool size (IQNET_DB_POOL_SIZE; default: the server's own)
#   OUT=target/bench/results.json
#
# What it measures (each a row of the table):
#   1. GET one resource by id at 16 and 64 connections (a public one, and an authenticated one)
#      against `pgbench -S -M prepared` at the same client count; an audited read (an advice
#      seeker) against the same; a write (a counselling session) against `pgbench -N -M prepared`.
#   2. A filtered list's first page against its page at row 1,000,000 (keyset cursor).
#   3. The server's peak RSS under that load, and start-to-ready on SQLite.
# Installs wrk from Debian's packages when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCALE="${SCALE:-5}"
DURATION="${DURATION:-10}"
BENCH_PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
OUT="${OUT:-target/bench/results.json}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
pgbench="$(command -v pgbench || echo "$pgbin/pgbench")"
psql_admin() { psql "$BENCH_PG/postgres" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

echo "==> release build"
cargo build --release -p iqnet-api 2>&1 | tail -n 1
bin="$(realpath target/release/iqnet)"
work="$(mktemp -d)"
results="$work/results.txt"
: >"$results"
record() { echo "$*" >>"$results"; }

db="iqnet_bench_s${SCALE//./_}"
exists=$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$db'")
if [ -n "${FRESH:-}" ] || [ -z "$exists" ]; then
  echo "==> seeding $db at scale $SCALE"
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  psql_admin "CREATE DATABASE $db"
  start=$(date +%s.%N)
  "$bin" seed-demo --scale "$SCALE" --database-url "$BENCH_PG/$db"
  record "seed seconds $(echo "$(date +%s.%N) - $start" | bc)"
fi
psql_db() { psql "$BENCH_PG/$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

if [ -z "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'iqnet_pgbench'")" ]; then
  echo "==> pgbench -i (scale 10, 1,000,000 accounts)"
  psql_admin "CREATE DATABASE iqnet_pgbench"
  "$pgbench" -i -q -s 10 "$BENCH_PG/iqnet_pgbench" >/dev/null 2>&1
fi

# Migrations a seeded database has not seen yet may rewrite millions of rows, and a fresh load
# leaves work for autovacuum: both before the clock, not during it.
"$bin" migrate --database-url "$BENCH_PG/$db"
psql "$BENCH_PG/$db" -qAtX -c "VACUUM ANALYZE" -c "CHECKPOINT"

port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
export IQNET_BIND="127.0.0.1:$port" RUST_LOG=warn
export IQNET_JWT_SECRET="a-benchmark-secret-that-is-long-enough"
export IQNET_TOKEN_TTL_SECS=86400
export IQNET_ADMIN_EMAIL=bench-admin@example.org IQNET_ADMIN_PASSWORD='a benchmark admin password'
[ -n "${POOL:-}" ] && export IQNET_DB_POOL_SIZE="$POOL"
DATABASE_URL="$BENCH_PG/$db" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.05; done

token=$(curl -sf "$base/v1/auth/token" -d grant_type=password \
  -d username="$IQNET_ADMIN_EMAIL" --data-urlencode password="$IQNET_ADMIN_PASSWORD" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
auth="Authorization: Bearer $token"
org=$(psql_db "SELECT id FROM organisations ORDER BY id LIMIT 1")
seeker=$(psql_db "SELECT id FROM advice_seekers ORDER BY id DESC LIMIT 1 OFFSET 1000")
case_id=$(psql_db "SELECT id FROM counselling_cases WHERE state = 'in_progress' ORDER BY id DESC LIMIT 1")
closed=$(psql_db "SELECT count(*) FROM counselling_cases WHERE state = 'closed'")
deep_row=$(( closed > 1000050 ? 1000000 : closed - 50 ))
deep_key=$(psql_db "SELECT id FROM counselling_cases WHERE state = 'closed' ORDER BY id LIMIT 1 OFFSET $((deep_row - 1))")
deep_cursor=$(printf 'k:%s' "$deep_key" | base64 -w0 | tr '+/' '-_' | tr -d '=')

# wrk: "<name> <connections> <req/s> <p50 ms> <p99 ms> <non-2xx>"
run_wrk() {
  local name=$1 conns=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$@")
  local rps p50 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  record "wrk $name $conns $rps $(ms "$p50") $(ms "$p99") ${bad:-0}"
}
# wrk prints latencies as 812.00us, 1.20ms or 1.01s.
ms() {
  case "$1" in
  *us) echo "$1" | sed 's/us$//' | awk '{printf "%.3f", $1 / 1000}' ;;
  *ms) echo "$1" | sed 's/ms$//' ;;
  *s) echo "$1" | sed 's/s$//' | awk '{printf "%.1f", $1 * 1000}' ;;
  esac
}
run_pgbench() {
  local name=$1 conns=$2 mode=$3
  local tps
  tps=$("$pgbench" "$mode" -M prepared -n -c "$conns" -j 2 -T "$DURATION" "$BENCH_PG/iqnet_pgbench" 2>/dev/null |
    awk '/^tps/ {print $3; exit}')
  record "pgbench $name $conns $tps"
}

cat >"$work/session.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"kind":"follow_up","format":"phone","held_on":"$(date +%F)","duration_minutes":30,"language":"de","topics":["documents"]}'
LUA

echo "==> measuring ($DURATION s each)"
# The pool grows to its size on first use; that is start-up, not the steady state measured.
wrk -t2 -c64 -d2s -H "$auth" "$base/v1/organisations/$org" >/dev/null
for c in 16 64; do
  run_pgbench select "$c" -S
  run_wrk network "$c" "$base/v1/regional-networks/DE-BE"
  run_wrk organisation "$c" -H "$auth" "$base/v1/organisations/$org"
  run_wrk seeker "$c" -H "$auth" "$base/v1/advice-seekers/$seeker"
done
run_pgbench write 64 -N
run_wrk create_session 64 -s "$work/session.lua" "$base/v1/counselling-cases/$case_id/sessions"
run_wrk first_page 16 -H "$auth" "$base/v1/counselling-cases?state=closed&limit=50"
run_wrk deep_page 16 -H "$auth" "$base/v1/counselling-cases?state=closed&limit=50&cursor=$deep_cursor"
record "deep_row $deep_row"
record "rss_peak_kib $(awk '/VmHWM/ {print $2}' "/proc/$server/status")"
kill "$server"
wait "$server" 2>/dev/null || true

# Start to ready on SQLite: the first start applies the migrations, later ones find them done.
unset IQNET_ADMIN_EMAIL IQNET_ADMIN_PASSWORD
sqlite_url="sqlite://$work/ready.db"
for n in 1 2 3 4 5 6; do
  start=$(date +%s%N)
  DATABASE_URL="$sqlite_url" "$bin" serve >"$work/sqlite.log" 2>&1 &
  server=$!
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.002; done
  record "ready $n $(( ($(date +%s%N) - start) / 1000000 ))"
  kill "$server"
  wait "$server" 2>/dev/null || true
done

mkdir -p "$(dirname "$OUT")"
python3 tests/bench/report.py "$results" "$OUT" "$SCALE" "$DURATION"
