#!/usr/bin/env bash
# Server load benchmark (issue 5, "Server load"; budget: order webhooks on
# SQLite ≥ 2,000/s with p99 ≤ 20 ms on 2 cores).
#
#   scripts/bench-server.sh [--duration SECONDS] [--concurrency N] [--threads N] [--customers N] [--no-pg]
#                           [--bin PREBUILT_SERVER] [--report FILE]
#
# Builds the release server, then for SQLite (a fresh file) and, when
# Debian's PostgreSQL is installed, a throwaway cluster (scripts/pg-test-cluster.sh):
#   1. starts `rewards-server serve` on 127.0.0.1 with the vn-coffee fixture program,
#   2. drives POST /api/webhooks/orders with wrk (closed loop, N connections,
#      every request a new order id for one of --customers customers, HMAC-signed),
#   3. then GET /api/shopper with signed shopper tokens for those customers,
# each for --duration seconds after a 1 s warm-up;
#   4. then Shopify's own order webhooks (issue 11: POST /api/webhooks/shopify,
#      orders/paid, the whole ~15 KB order body of the VND fixture under new ids)
#      with `rewards-demo bench --endpoint shopify` (--shopify-requests,
#      default 5000; its client is in the server's process: wrk's Lua cannot
#      sign 15 KB bodies fast enough, Rust signs them before the clock starts),
#      --shopify-runs times (default 3: the spread is part of the figure), each
#      on a fresh database (SQLite) or after the last run's rows (PostgreSQL),
#      with a mix of returning, first-time and guest shoppers. Prints throughput and
# p50/p90/p99 per run, and for the Shopify runs the CPU time and context
# switches per delivery (process-wide: they move much less with the machine's
# load than the timings) and the SQLite writes per commit, and writes reports/server-bench.json. Loopback only;
# every run is bounded by its duration. Timings are reported, never asserted.
# The load generator shares the machine's cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10 concurrency=16 threads=1 customers=500 pg=auto bin="" report=reports/server-bench.json shopify_requests=5000 shopify_runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --shopify-requests) shopify_requests=$2; shift 2 ;;
    --shopify-runs) shopify_runs=$2; shift 2 ;;
    --no-pg) pg=no; shift ;;
    --bin) bin=$2; shift 2 ;;
    --report) report=$2; shift 2 ;;
    *) sed -n '2,29p' "$0"; exit 2 ;;
  esac
done

need() {
  command -v "$1" >/dev/null && return
  echo "installing $2 (Debian package)" >&2
  apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}
need wrk wrk
need curl curl

if [[ -z "$bin" ]]; then
  echo "building the release server…" >&2
  cargo build --release -p rewards-server -p rewards-demo >&2
  bin="${CARGO_TARGET_DIR:-target}/release/rewards-server"
fi
# The load client (crates/demo) is built beside the server.
load_client="$(dirname "$bin")/rewards-demo"
[[ -x "$load_client" ]] || { echo "$load_client is missing: cargo build --release -p rewards-demo" >&2; exit 1; }

work=$(mktemp -d /tmp/rewards-bench.XXXXXX)
server_pid="" pg_dir=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n "$pg_dir" ]] && scripts/pg-test-cluster.sh stop "$pg_dir" || true
  rm -rf "$work"
}
trap cleanup EXIT

export REWARDS_MERCHANT_SECRET=bench-merchant-secret-0123456789
export REWARDS_WEBHOOK_SECRET=bench-webhook-secret-0123456789
export REWARDS_ADMIN_TOKEN=bench-admin-token-0123456789
export REWARDS_PROGRAM=tests/fixtures/programs/vn-coffee.json
export REWARDS_WWW_DIST="$work/no-dist"

free_port() {
  local p
  for p in $(seq 18787 18887); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port in 18787-18887" >&2; exit 1
}

results=() failed=0
declare -A spread=()
# run_load LABEL URL MODE ENDPOINT → one JSON object appended to results
run_load() {
  local db=$1 base=$2 mode=$3 endpoint=$4 out line load
  BENCH_MODE=$mode BENCH_RUN="warm-$db-$$" BENCH_CUSTOMERS=$customers \
    wrk -t"$threads" -c"$concurrency" -d1s -s crates/server/bench/wrk.lua "$base" >/dev/null
  load=$(cut -d' ' -f1 /proc/loadavg)
  out=$(BENCH_MODE=$mode BENCH_RUN="$db-$$" BENCH_CUSTOMERS=$customers \
    wrk -t"$threads" -c"$concurrency" -d"${duration}s" -s crates/server/bench/wrk.lua "$base")
  line=$(grep '^BENCH_RESULT ' <<<"$out" | cut -d' ' -f2-)
  [[ -n "$line" ]] || { echo "$out" >&2; echo "wrk printed no result" >&2; exit 1; }
  if ! grep -q '"status":0,' <<<"$line" || ! grep -q '"connect":0,"read":0,"write":0' <<<"$line"; then failed=1; fi
  results+=("{\"database\":\"$db\",\"endpoint\":\"$endpoint\",\"load_average_1m_before\":$load,${line#\{}")
  field() { sed -n 's/.*"'"$1"'":\([0-9.]*\).*/\1/p' <<<"$line"; }
  printf '%-11s %-27s %8s req/s  p50 %6s ms  p90 %6s ms  p99 %6s ms  (%s requests, load avg %s)\n' "$db" "$endpoint" \
    "$(field throughput_per_s)" "$(field p50_ms)" "$(field p90_ms)" "$(field p99_ms)" "$(field requests)" "$load"
}

# run_shopify LABEL [DATABASE_URL] → --shopify-runs JSON objects appended to results
run_shopify() {
  local run
  for run in $(seq 1 "$shopify_runs"); do shopify_once "$@"; done
}

shopify_once() {
  local db=$1 out line load
  load=$(cut -d' ' -f1 /proc/loadavg)
  out=$("$load_client" bench --endpoint shopify --requests "$shopify_requests" --concurrency "$concurrency" ${2:+--database-url "$2"} 2>&1) || { echo "$out" >&2; failed=1; }
  line=$(grep '^BENCH_RESULT ' <<<"$out" | cut -d' ' -f2-)
  [[ -n "$line" ]] || { echo "$out" >&2; echo "rewards-demo bench printed no result" >&2; exit 1; }
  grep -q '"status":0,' <<<"$line" || failed=1
  results+=("{\"database\":\"$db\",\"endpoint\":\"POST /api/webhooks/shopify\",\"load_average_1m_before\":$load,${line#\{}")
  field() { sed -n 's/.*"'"$1"'":\([0-9.]*\).*/\1/p' <<<"$line"; }
  printf '%-11s %-27s %8s req/s  p50 %6s ms  p90 %6s ms  p99 %6s ms  (%s requests, load avg %s)  %s ms CPU and %s context switches per delivery, %s writes per commit\n' "$db" "POST /api/webhooks/shopify" \
    "$(field throughput_per_s)" "$(field p50_ms)" "$(field p90_ms)" "$(field p99_ms)" "$(field requests)" "$load" \
    "$(field cpu_ms_per_request)" "$(field context_switches_per_request)" "$(field writes_per_commit)"
}

# bench_db LABEL DATABASE_URL
bench_db() {
  local db=$1 url=$2 port base
  port=$(free_port)
  base="http://127.0.0.1:$port"
  DATABASE_URL=$url REWARDS_BIND="127.0.0.1:$port" "$bin" serve >"$work/server-$db.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fs "$base/api/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$db.log" >&2; exit 1; }
    sleep 0.1
  done
  run_load "$db" "$base" orders "POST /api/webhooks/orders"
  run_load "$db" "$base" shopper "GET /api/shopper"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
  if grep -q "database error" "$work/server-$db.log"; then
    echo "server log ($db) reports database errors:" >&2; grep "database error" "$work/server-$db.log" | head -5 >&2; failed=1
  fi
}

cores=$(nproc)
echo "rewards-server load: wrk -t$threads -c$concurrency -d${duration}s, $customers customers, $cores cores (shared with wrk), loopback"
bench_db sqlite "sqlite://$work/bench.sqlite"
run_shopify sqlite
pg_note="not run"
if [[ $pg != no ]] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  eval "$(scripts/pg-test-cluster.sh start)"
  pg_dir=$PG_TEST_DIR
  pg_note="throwaway cluster from scripts/pg-test-cluster.sh with fsync=off, synchronous_commit=off, full_page_writes=off: commits are not durable, so its write figures are not comparable with SQLite's synced commits"
  bench_db postgresql "$DATABASE_URL_PG"
  run_shopify postgresql "$DATABASE_URL_PG"
  echo "NOTE: PostgreSQL ran on the test cluster with fsync=off and synchronous_commit=off (no durable commits)."
elif [[ $pg != no ]]; then
  echo "NOTE: PostgreSQL not installed (apt-get install -y postgresql); its runs were skipped."
fi

# The budget: the SQLite order-webhook run (the first result).
budget_line=${results[0]}
throughput=$(sed -n 's/.*"throughput_per_s":\([0-9.]*\).*/\1/p' <<<"$budget_line")
p99=$(sed -n 's/.*"p99_ms":\([0-9.]*\).*/\1/p' <<<"$budget_line")
budget_met=$(awk -v t="$throughput" -v p="$p99" 'BEGIN { print (t >= 2000 && p <= 20) ? "true" : "false" }')
echo "budget, SQLite order webhooks ≥ 2000/s with p99 ≤ 20 ms: $([[ $budget_met == true ]] && echo met || echo NOT met) ($throughput/s, p99 $p99 ms)"
for r in "${results[@]}"; do
  grep -q '"endpoint":"POST /api/webhooks/shopify"' <<<"$r" || continue
  t=$(sed -n 's/.*"throughput_per_s":\([0-9.]*\).*/\1/p' <<<"$r"); p=$(sed -n 's/.*"p99_ms":\([0-9.]*\).*/\1/p' <<<"$r"); d=$(sed -n 's/.*"database":"\([a-z]*\)".*/\1/p' <<<"$r")
  echo "target, $d Shopify order webhooks ≥ 2000/s with p99 ≤ 20 ms: $(awk -v t="$t" -v p="$p" 'BEGIN { print (t >= 2000 && p <= 20) ? "met" : "NOT met" }') ($t/s, p99 $p ms)"
  spread[$d]+="$t $p "
done
for d in "${!spread[@]}"; do
  awk -v d="$d" -v runs="${spread[$d]}" 'BEGIN {
    n = split(runs, v, " "); lo = hi = v[1]; plo = phi = v[2]
    for (i = 1; i < n; i += 2) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; if (v[i+1] < plo) plo = v[i+1]; if (v[i+1] > phi) phi = v[i+1] }
    printf "spread, %s Shopify order webhooks over %d runs: %s–%s/s, p99 %s–%s ms\n", d, n / 2, lo, hi, plo, phi }'
done

mkdir -p "$(dirname "$report")"
{
  printf '{\n  "command": "scripts/bench-server.sh --duration %s --concurrency %s --threads %s --customers %s",\n' "$duration" "$concurrency" "$threads" "$customers"
  printf '  "server": "%s",\n' "$bin"
  printf '  "generator": "wrk %s (closed loop, latency from send to response)",\n' "$(wrk -v 2>&1 | sed -n 's/^wrk \([^ ]*\).*/\1/p')"
  printf '  "cores": %s,\n  "program": "%s",\n' "$cores" "$REWARDS_PROGRAM"
  printf '  "sqlite": "WAL, synchronous=FULL, group commit (one fsync per group of writes)",\n'
  printf '  "postgresql": "%s",\n' "$pg_note"
  printf '  "budget": {"database": "sqlite", "endpoint": "POST /api/webhooks/orders", "min_throughput_per_s": 2000, "max_p99_ms": 20, "met": %s},\n' "$budget_met"
  printf '  "results": [\n'
  for i in "${!results[@]}"; do
    printf '    %s%s\n' "${results[$i]}" "$([[ $i -lt $((${#results[@]} - 1)) ]] && echo ,)"
  done
  printf '  ]\n}\n'
} >"$report"
echo "wrote $report"
if [[ $failed -ne 0 ]]; then
  echo "some requests failed (see errors in reports/server-bench.json)" >&2
  exit 1
fi
