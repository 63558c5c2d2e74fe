#!/usr/bin/env bash
# MCP load benchmark (issue 4): authenticated tools/call of get_workspace_context and of list_clients (a page of
# 50) at 16 and 64 concurrent connections, in one run with its two ceilings: a bare Jetty endpoint answering a
# fixed body of the same size, and pgbench sending the very statements one such call sends (captured from
# PostgreSQL's own statement log). Prints throughput, p50/p99, the ratios to both ceilings, queries per call and
# the server's peak resident memory. Not a test: `./mvnw verify` never runs it. It uses a fresh temporary data
# directory, only 127.0.0.1, and stops everything it started when it ends, however it ends.
#
#   bench/mcp-load.sh
#
# Needs wrk, pgbench and psql (Debian: apt-get install wrk postgresql-contrib postgresql-client).
# Knobs (environment): BENCH_SECONDS (10) per measured phase, BENCH_WARMUP_SECONDS (5), BENCH_CONCURRENCY ("16 64"),
# BENCH_WRK_THREADS (2, as pgbench runs with -j 2; each thread sends its share of the tokens in turn),
# BENCH_THREAD_CPU (1 to print, for each Timether phase, the server's CPU and thread switches per call by group of
# threads, and PostgreSQL's CPU per call; bench/ThreadCpu.java).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh

seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP_SECONDS:-5}
levels=${BENCH_CONCURRENCY:-16 64}
max_level=$(tr ' ' '\n' <<<"$levels" | sort -n | tail -n1)
wrk_threads=${BENCH_WRK_THREADS:-2}
for tool in wrk pgbench psql; do
  command -v "$tool" >/dev/null || { echo "bench/mcp-load.sh needs $tool on the PATH" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/timether-bench.XXXXXX")
data="$work/data"
server_pid=""
bare_pid=""

cleanup() {
  if [ -n "$bare_pid" ]; then kill "$bare_pid" 2>/dev/null || true; wait "$bare_pid" 2>/dev/null || true; fi
  stop_server
  if [ -n "${BENCH_KEEP:-}" ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port() { sed -n 4p "$data/postgres/postmaster.pid"; }
sql() { psql -X -q -t -A -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres -c "$1"; }
statements() { curl -s "$base/metrics" | awk '/^timether_db_statements_total / { printf "%d", $2 }'; }
log_size() { stat -c %s "$data/postgres/bench-log/postgresql.log"; }

# Runs wrk at $1 connections on $wrk_threads threads (at most one a connection) against $2 with body $3 and
# expected answer $4; BENCH_TOKENS selects the tokens (empty for the bare endpoint), its first $1 lines in use. Prints
# the RESULT line.
load() {
  local connections=$1 url=$2 body=$3 expected=$4 duration=$5 threads output
  threads=$(( wrk_threads < connections ? wrk_threads : connections ))
  output=$(BENCH_BODY="$body" BENCH_EXPECTED="$expected" BENCH_WRK_THREADS="$threads" \
    BENCH_CONNECTIONS="$connections" wrk -t"$threads" \
    -c"$connections" -d"${duration}s" -s bench/mcp-load.lua "$url")
  grep -v '^RESULT' <<<"$output" | grep -i 'first bad answer' >&2 || true
  grep '^RESULT' <<<"$output"
}

# pgbench with $1 clients on script $2 for $seconds; prints "tps p50 p99" (ms) from its per-transaction log.
pgbench_run() {
  local clients=$1 script=$2 dir="$work/pgbench-$1-$(basename "$2")"
  mkdir -p "$dir"
  (cd "$dir" && pgbench -n -M prepared -h 127.0.0.1 -p "$(pg_port)" -U postgres -c "$clients" -j 2 -T "$seconds" \
    -f "$script" -l --log-prefix=tx postgres >"$dir/out" 2>&1) || { cat "$dir/out" >&2; return 1; }
  local tps
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$dir/out" | head -n1)
  # Column 3 of the transaction log is the latency in microseconds.
  cat "$dir"/tx.* | awk '{ print $3 }' | sort -n | awk -v tps="$tps" '
    { v[NR] = $1 }
    END { p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1];
          printf "%.0f %.2f %.2f\n", tps, p50 / 1000, p99 / 1000 }'
}

# With BENCH_THREAD_CPU=1: the server's threads and PostgreSQL's summed CPU ticks, into $1 and $1.pg.
cpu_snapshot() {
  [ "${BENCH_THREAD_CPU:-}" = 1 ] || return 0
  "$java_bin" bench/ThreadCpu.java snapshot "$server_pid" "$1"
  cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 ~ /^\(postgres/ { t += $14 + $15 } END { print t }' >"$1.pg"
}

build_if_needed
port=$(free_port)
base="http://127.0.0.1:$port"
log "machine: $(nproc) cores, load $(loadavg); work directory $work"

# First start seeds the demo data; then PostgreSQL gets a statement log file, which needs a restart.
start_server "$work/server-1.log"
wait_ready "$(date +%s%N)" "$work/server-1.log" >/dev/null
sql "ALTER SYSTEM SET logging_collector = on" >/dev/null
sql "ALTER SYSTEM SET log_directory = 'bench-log'" >/dev/null
sql "ALTER SYSTEM SET log_filename = 'postgresql.log'" >/dev/null
sql "ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '" >/dev/null
stop_server
export TIMETHER_MCP_CALLS_PER_MINUTE=1000000
start_server "$work/server-2.log"
wait_ready "$(date +%s%N)" "$work/server-2.log" >/dev/null
log "server on $base with the per-connection limit lifted for the load; PostgreSQL on port $(pg_port)"

workspace=$(sql "SELECT id FROM workspaces WHERE name = 'Northwind Studio'")
"$java_bin" -cp target/timether.jar bench/McpLoadSetup.java "$base" ada@example.com \
  timether-demo "$workspace" "$max_level" "$work" >"$work/setup.out" 2>&1 || { cat "$work/setup.out" >&2; exit 1; }
cat "$work/setup.out" >&2
token=$(head -n1 "$work/tokens.txt")

# One call of each tool with every statement logged: the statements per call, and the pgbench scripts.
declare -A captured
for call in context clients; do
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' --data-binary "@$work/$call.request" "$base/mcp"
  sql "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
  sql "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  from=$(log_size)
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' --data-binary "@$work/$call.request" "$base/mcp"
  sleep 1
  to=$(log_size)
  sql "ALTER SYSTEM RESET log_statement" >/dev/null
  sql "SELECT pg_reload_conf()" >/dev/null
  "$java_bin" bench/CapturedSql.java "$data/postgres/bench-log/postgresql.log" "$from" "$to" \
    "PostgreSQL JDBC Driver" "$work/$call.sql" >"$work/$call.captured"
  captured[$call]=$(wc -l <"$work/$call.captured")
  log "$call: ${captured[$call]} statements per call, as PostgreSQL logged them:"
  cut -c1-160 "$work/$call.captured" | sed 's/^/    /' >&2
done
sleep 1

bare_port=$(free_port)
declare -A results
for call in context clients; do
  log "bare Jetty with the $call answer ($(stat -c %s "$work/$call.response") bytes)"
  "$java_bin" -cp target/timether.jar bench/BareJetty.java "$bare_port" "$work/$call.response" \
    >"$work/bare-$call.log" 2>&1 &
  bare_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$bare_port") 2>/dev/null && break; sleep 0.1; done
  BENCH_TOKENS="" load "$max_level" "http://127.0.0.1:$bare_port" "$work/$call.request" "$work/$call.response" \
    "$warmup" >/dev/null
  for level in $levels; do
    results[bare:$call:$level]=$(BENCH_TOKENS="" load "$level" "http://127.0.0.1:$bare_port" \
      "$work/$call.request" "$work/$call.response" "$seconds")
  done
  kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true; bare_pid=""

  log "Timether $call (load $(loadavg))"
  BENCH_TOKENS="$work/tokens.txt" load "$max_level" "$base" "$work/$call.request" "$work/$call.response" \
    "$warmup" >/dev/null
  for level in $levels; do
    cpu_snapshot "$work/cpu-$call-$level.before"
    before=$(statements)
    results[mcp:$call:$level]=$(BENCH_TOKENS="$work/tokens.txt" load "$level" "$base" "$work/$call.request" \
      "$work/$call.response" "$seconds")
    after=$(statements)
    cpu_snapshot "$work/cpu-$call-$level.after"
    requests=$(field "${results[mcp:$call:$level]}" requests)
    results[queries:$call:$level]=$(awk -v d=$((after - before)) -v n="$requests" 'BEGIN { printf "%.3f", d / n }')
  done

  log "pgbench on the $call statements"
  for level in $levels; do
    results[pg:$call:$level]=$(pgbench_run "$level" "$work/$call.sql")
  done
done
hwm=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
rss=$(rss_mib "$server_pid")
stop_server

echo
title "MCP load benchmark"
printf 'machine: %s cores; load average at the end: %s; wrk, server, bare Jetty and PostgreSQL share the machine\n' \
  "$(nproc)" "$(loadavg)"
printf 'as many OAuth connections (tokens) as HTTP connections, sent by %s wrk threads;' "$wrk_threads"
printf ' %s s per phase after a %s s warm-up\n\n' "$seconds" "$warmup"
printf '  %-24s %5s %10s %9s %9s %10s %10s %9s %9s %8s %8s %9s\n' call conns "req/s" "p50 ms" "p99 ms" \
  "bare req/s" "pg tx/s" "pg p50" "pg p99" "/ bare" "/ pg" "queries"
for call in context clients; do
  case $call in context) label=get_workspace_context ;; clients) label="list_clients (50)" ;; esac
  for level in $levels; do
    mcp=${results[mcp:$call:$level]}
    bare=${results[bare:$call:$level]}
    read -r pg_tps pg_p50 pg_p99 <<<"${results[pg:$call:$level]}"
    rps=$(field "$mcp" rps)
    printf '  %-24s %5s %10s %9s %9s %10s %10s %9s %9s %7.0f%% %7.0f%% %9s\n' "$label" "$level" "$rps" \
      "$(field "$mcp" p50)" "$(field "$mcp" p99)" "$(field "$bare" rps)" "$pg_tps" "$pg_p50" "$pg_p99" \
      "$(awk -v a="$rps" -v b="$(field "$bare" rps)" 'BEGIN { print 100 * a / b }')" \
      "$(awk -v a="$rps" -v b="$pg_tps" 'BEGIN { print 100 * a / b }')" "${results[queries:$call:$level]}"
    bad=$(( $(field "$mcp" bad) + $(field "$mcp" socket_errors) ))
    bad=$(( bad + $(field "$bare" bad) + $(field "$bare" socket_errors) ))
    [ "$bad" -eq 0 ] || printf '    %s bad answers or socket errors in this row: its figures do not count\n' "$bad"
  done
done
printf '\n  statements per call as PostgreSQL logged them: get_workspace_context %s, list_clients %s\n' \
  "${captured[context]}" "${captured[clients]}"
printf '  server peak resident memory (VmHWM) %s MiB, %s MiB at the end\n' "$hwm" "$rss"

if [ "${BENCH_THREAD_CPU:-}" = 1 ]; then
  printf '\nCPU per call by group of server threads (BENCH_THREAD_CPU=1), and PostgreSQL\n'
  for call in context clients; do
    for level in $levels; do
      requests=$(field "${results[mcp:$call:$level]}" requests)
      printf '\n  %s at %s connections: PostgreSQL %s us a call\n' "$call" "$level" "$(awk -v c="$requests" \
        -v a="$(cat "$work/cpu-$call-$level.before.pg")" -v b="$(cat "$work/cpu-$call-$level.after.pg")" \
        'BEGIN { printf "%.1f", (b - a) * 1e6 / 100 / c }')"
      "$java_bin" bench/ThreadCpu.java report "$work/cpu-$call-$level.before" "$work/cpu-$call-$level.after" \
        "$requests"
    done
  done
fi

printf '\nTargets\n'
top=$max_level
clients_top=${results[mcp:clients:$top]}
read -r pg_top _ _ <<<"${results[pg:clients:$top]}"
share=$(awk -v a="$(field "$clients_top" rps)" -v b="$pg_top" 'BEGIN { printf "%.0f", 100 * a / b }')
printf '  list_clients at %s connections: %s%% of the pgbench ceiling >= 70%%: %s\n' "$top" "$share" \
  "$(awk -v s="$share" 'BEGIN { exit !(s >= 70) }' && echo met || echo MISSED)"
printf '  list_clients p99 at %s connections %s ms < 30 ms: %s\n' "$top" "$(field "$clients_top" p99)" \
  "$(below "$(field "$clients_top" p99)" 30)"
if [ -n "${results[mcp:clients:16]:-}" ]; then
  printf '  list_clients p99 at 16 connections %s ms < 10 ms: %s\n' "$(field "${results[mcp:clients:16]}" p99)" \
    "$(below "$(field "${results[mcp:clients:16]}" p99)" 10)"
fi
printf '  queries per call (logged) %s and %s <= 2: %s\n' "${captured[context]}" "${captured[clients]}" \
  "$([ "${captured[context]}" -le 2 ] && [ "${captured[clients]}" -le 2 ] && echo met || echo MISSED)"
printf '  peak resident memory %s MiB < 512 MiB: %s\n' "$hwm" "$(below "$hwm" 512)"
