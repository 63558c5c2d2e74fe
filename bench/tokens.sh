#!/usr/bin/env bash
# Token benchmark (OAuth issue): token checks per second and their latency at 64 concurrent callers, the statements
# and scans one check costs, and refresh grants per second. Not a test: `./mvnw verify` never runs it. It uses a
# fresh temporary data directory, only 127.0.0.1, and stops everything it started when it ends, however it ends.
#
#   bench/tokens.sh
#
# Knobs (environment): BENCH_SECONDS (10) per measured phase, BENCH_WARMUP_SECONDS (3) before each,
# BENCH_CALLERS (64) concurrent token checks, BENCH_REFRESH_CLIENTS (16) concurrent refresh grants,
# BENCH_POOL (the server's default) connections in the checking process's pool, BENCH_THREAD_PER_CALL (1: a new
# virtual thread per check), BENCH_CALLER_RATE (checks a second per caller on a schedule; unset: back to back),
# BENCH_EMAIL, BENCH_PASSWORD, BENCH_WORKSPACE (the demo's Ada on Northwind Studio), BENCH_KEEP (keep the work
# directory), BENCH_CHECK_JVM_OPTIONS (flags for the checking JVM after jvm.options, which they override; split on
# spaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh

seconds=${BENCH_SECONDS:-10}
warm_up=${BENCH_WARMUP_SECONDS:-3}
callers=${BENCH_CALLERS:-64}
refresh_clients=${BENCH_REFRESH_CLIENTS:-16}
pool=${BENCH_POOL:-}
email=${BENCH_EMAIL:-ada@example.com}
password=${BENCH_PASSWORD:-timether-demo}
workspace=${BENCH_WORKSPACE:-Northwind Studio}

work=$(mktemp -d "${TMPDIR:-/tmp}/timether-bench.XXXXXX")
data="$work/data"
server_pid=""
load_pid=""

cleanup() {
  if [ -n "$load_pid" ] && kill -0 "$load_pid" 2>/dev/null; then
    kill -TERM "$load_pid" 2>/dev/null || true
    wait "$load_pid" 2>/dev/null || true
  fi
  stop_server
  if [ -n "${BENCH_KEEP:-}" ]; then log "kept $work (server and load logs are there)"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_if_needed
port=$(free_port)
base="http://127.0.0.1:$port"
log "machine: $(nproc) cores, load $(loadavg); work directory $work"
log "starting the server on a fresh data directory (initdb, migrations, demo seed)"
start_server "$work/server.log"
wait_ready "$(date +%s%N)" "$work/server.log" >/dev/null

log "connecting $callers times through OAuth, then measuring (load $(loadavg))"
load_before=$(cut -d' ' -f1 /proc/loadavg)
# In the background, so that a signal reaches the trap at once and the trap can stop the load.
read -r -a extra_jvm_options <<<"${BENCH_CHECK_JVM_OPTIONS:-}"
"$java_bin" @jvm.options "${extra_jvm_options[@]}" ${pool:+"-Dtimether.db.pool=$pool"} -cp target/timether.jar \
  bench/TokenCheckLoad.java "$base" "$data" \
  "$email" "$password" "$workspace" "$callers" "$refresh_clients" "$seconds" "$warm_up" >"$work/load.out" 2>&1 &
load_pid=$!
if ! wait "$load_pid"; then
  load_pid=""
  cat "$work/load.out" >&2
  exit 1
fi
load_pid=""
grep -v '^RESULT' "$work/load.out" >&2 || true
checks=$(grep '^RESULT kind=checks ' "$work/load.out")
refresh=$(grep '^RESULT kind=refresh ' "$work/load.out")
rss=$(rss_mib "$server_pid")
stop_server

changes=""
git diff --quiet HEAD -- src pom.xml timether || changes=" (plus uncommitted changes)"
printf '\nTimether token benchmark, %s, commit %s%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
  "$(git rev-parse --short HEAD)" "$changes"
printf 'machine: %s cores; 1-min load before the phases: %s; load average (1, 5, 15 min) at the end: %s\n' \
  "$(nproc)" "$load_before" "$(loadavg)"
printf 'server VmRSS at the end %s MiB; %s connections of %s on %s, all for one registered client\n' \
  "$rss" "$(( callers > refresh_clients ? callers : refresh_clients ))" "$email" "$workspace"
printf 'warm-up %s s, then %s s measured per phase; latency in ms\n' "$warm_up" "$seconds"

printf '\nToken checks: TokenCheck.check in the benchmark process on the server'"'"'s PostgreSQL, each caller\n'
printf 'a virtual thread with its own access token, calls back to back; latency includes the wait for a pooled\n'
printf 'connection; scans from pg_stat_user_tables for oauth_tokens, connections, users, workspaces, memberships\n'
per_caller() { echo "$(field "$1" fewest_per_caller)-$(field "$1" most_per_caller)"; }
printf '  %7s %5s %9s %8s %7s %7s %7s %13s %11s %9s %9s\n' callers pool checks "per s" p50 p99 max "per caller" \
  "stmts/check" "seq scans" "idx scans"
printf '  %7s %5s %9s %8s %7s %7s %7s %13s %11s %9s %9s\n' "$(field "$checks" callers)" "$(field "$checks" pool)" \
  "$(field "$checks" count)" "$(field "$checks" rps)" "$(field "$checks" p50)" "$(field "$checks" p99)" \
  "$(field "$checks" max)" "$(per_caller "$checks")" "$(field "$checks" statements_per_check)" \
  "$(field "$checks" seq_scans)" "$(field "$checks" idx_scans)"
printf '  scans in the measured window, sequential / index, per table:'
while read -r line; do
  printf ' %s %s / %s;' "$(field "$line" table)" "$(field "$line" seq)" "$(field "$line" idx)"
done < <(grep '^RESULT kind=scans ' "$work/load.out")

printf '\n\nRefresh grants: POST /oauth/token over HTTP on loopback, each caller rotating its own refresh token\n'
printf '  %7s %9s %8s %7s %7s %7s %13s %13s\n' callers grants "per s" p50 p99 max "per caller" "stmts/grant"
printf '  %7s %9s %8s %7s %7s %7s %13s %13s\n' "$(field "$refresh" callers)" "$(field "$refresh" count)" \
  "$(field "$refresh" rps)" "$(field "$refresh" p50)" "$(field "$refresh" p99)" "$(field "$refresh" max)" \
  "$(per_caller "$refresh")" "$(field "$refresh" statements_per_grant)"

p99=$(field "$checks" p99)
per_check=$(field "$checks" statements_per_check)
seq_scans=$(field "$checks" seq_scans)
idx_scans=$(field "$checks" idx_scans)
# Compared as whole counts, so that a rounded 1.00 cannot hide a few extra statements. Concurrent checks share a
# statement (TokenCheck coalesces them), so a check costs one statement at most, and less under load.
one_statement="MISSED"
[ "$(field "$checks" statements)" -le "$(field "$checks" count)" ] && one_statement="met"
if [ "$seq_scans" = "0" ] && [ "$idx_scans" -gt 0 ]; then indexed="met"; else indexed="MISSED"; fi
target_row() { printf '  %-40s %-22s %-22s %s\n' "$@"; }
printf '\nTargets\n'
target_row "measure" "figure" "target" "verdict"
target_row "token check p99 at $(field "$checks" callers) callers" "$p99 ms" "< 2 ms" "$(below "$p99" 2)"
target_row "statements per check" "$per_check" "at most 1" "$one_statement"
target_row "sequential scans (index scans)" "$seq_scans ($idx_scans)" "0 (more than 0)" "$indexed"
