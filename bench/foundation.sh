#!/usr/bin/env bash
# Foundation benchmark: start-up time, idle memory, sign-in throughput and /readyz latency under a sign-in flood.
# Not a test: `./mvnw verify` never runs it. It uses a fresh temporary data directory, only 127.0.0.1, and stops
# everything it started when it ends, however it ends.
#
#   bench/foundation.sh
#
# Knobs (environment): BENCH_SECONDS (15) per load phase, BENCH_CLIENTS (16) for the concurrent phase,
# BENCH_FLOOD_CLIENTS (32), BENCH_STARTS (3) timed starts, BENCH_IDLE_SECONDS (10) before reading memory.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh

seconds=${BENCH_SECONDS:-15}
clients=${BENCH_CLIENTS:-16}
flood_clients=${BENCH_FLOOD_CLIENTS:-32}
starts=${BENCH_STARTS:-3}
idle_seconds=${BENCH_IDLE_SECONDS:-10}

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
  if [ -n "${BENCH_KEEP:-}" ]; then
    log "kept $work (server logs are there)"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port)
base="http://127.0.0.1:$port"

# The server's own figure: from the start of `serve` (after JVM start-up) to listening.
logged_ready_ms() {
  sed -n 's/.*Timether is ready in \([0-9]*\) ms.*/\1/p' "$1" | head -n1
}

# Proportional set size of the embedded PostgreSQL processes (shared memory counted once, not per process).
postgres_pss_mib() {
  local postmaster total=0 pid
  postmaster=$(head -n1 "$data/postgres/postmaster.pid")
  for pid in $postmaster $(pgrep -P "$postmaster" || true); do
    total=$((total + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}

# Runs the load generator in the background, so a signal reaches the trap at once and the trap can stop it;
# $1 names the phase, whose RESULT lines land in $work/$1.result.
run_load() {
  local phase=$1 out="$work/$1.out"
  shift
  "$java_bin" bench/SignInLoad.java "$@" >"$out" 2>&1 &
  load_pid=$!
  if ! wait "$load_pid"; then
    load_pid=""
    cat "$out" >&2
    return 1
  fi
  load_pid=""
  grep -v '^RESULT' "$out" >&2 || true
  grep '^RESULT' "$out" >"$work/$phase.result"
}
result() { grep "kind=$2" "$work/$1.result"; }

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

build_if_needed
log "machine: $(nproc) cores, $(free -m | awk '/^Mem:/ { print $2 }') MiB memory, load $(loadavg)"
log "work directory $work, port $port"

log "first start: creating the data directory (initdb, migrations, demo seed)"
started=$(date +%s%N)
start_server "$work/server-create.log"
create_ms=$(wait_ready "$started" "$work/server-create.log")
log "created and ready in $create_ms ms"
stop_server

ready_ms=()
logged_ms=()
start_loads=()
for i in $(seq "$starts"); do
  server_log="$work/server-start-$i.log"
  start_loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  started=$(date +%s%N)
  start_server "$server_log"
  ready_ms+=("$(wait_ready "$started" "$server_log")")
  logged_ms+=("$(logged_ready_ms "$server_log")")
  log "start $i on the existing data directory: /readyz 200 after ${ready_ms[-1]} ms (server log: ${logged_ms[-1]} ms), load $(loadavg)"
  if [ "$i" -lt "$starts" ]; then
    stop_server
  fi
done
ready_median=$(median "${ready_ms[@]}")

log "idling ${idle_seconds} s before reading memory"
sleep "$idle_seconds"
idle_rss=$(rss_mib "$server_pid")
idle_pg=$(postgres_pss_mib)
log "idle: server VmRSS $idle_rss MiB, embedded PostgreSQL PSS $idle_pg MiB, load $(loadavg)"

clock_ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
declare -A phase_load phase_cpu_ms

# Runs one load phase and notes the 1-minute load average before it and the CPU time the server spent in it:
# CPU per sign-in holds up better than latency when other work shares the machine.
phase() {
  local name=$1 before
  shift
  phase_load[$name]=$(cut -d' ' -f1 /proc/loadavg)
  log "$name: $* (load ${phase_load[$name]})"
  before=$(cpu_ticks "$server_pid")
  run_load "$name" "$@"
  phase_cpu_ms[$name]=$((($(cpu_ticks "$server_pid") - before) * 1000 / clock_ticks))
}

phase warmup signin "$base" 1 5
phase one signin "$base" 1 "$seconds"
phase many signin "$base" "$clients" "$seconds"
phase idle readyz "$base" 5 50
phase flood flood "$base" "$flood_clients" "$seconds" 50
one=$(result one signin)
many=$(result many signin)
idle_readyz=$(result idle readyz)
flood_signin=$(result flood signin)
flood_readyz=$(result flood readyz)
after_rss=$(rss_mib "$server_pid")
stop_server

cpu_per_signin() {
  local count
  count=$(field "$2" count)
  if [ "$count" -gt 0 ]; then echo $((phase_cpu_ms[$1] / count)); else echo "-"; fi
}
signin_row() {
  local name=$1 phase=$2 line=$3
  printf '  %-18s %6s %8s %8s %8s %8s %8s %6s %5s %6s\n' "$name" "$(field "$line" count)" "$(field "$line" rps)" \
    "$(field "$line" post_p50)" "$(field "$line" post_p99)" "$(field "$line" pair_p50)" \
    "$(field "$line" pair_p99)" "$(cpu_per_signin "$phase" "$line")" "$(field "$line" failures)" \
    "${phase_load[$phase]}"
}
readyz_row() {
  local name=$1 phase=$2 line=$3
  printf '  %-18s %6s %8s %8s %8s %8s %6s\n' "$name" "$(field "$line" count)" "$(field "$line" p50)" \
    "$(field "$line" p99)" "$(field "$line" max)" "$(field "$line" not_ready)" "${phase_load[$phase]}"
}
target_row() { printf '  %-42s %-16s %-14s %s\n' "$@"; }

one_p50=$(field "$one" post_p50)
flood_p99=$(field "$flood_readyz" p99)
flood_failed=$(field "$flood_readyz" not_ready)
if [ "$flood_failed" = "0" ]; then starved=$(below "$flood_p99" 100); else starved="MISSED"; fi
echo
title "foundation benchmark"
cat <<EOF
machine: $(nproc) cores, $(free -m | awk '/^Mem:/ { print $2 }') MiB memory; load average (1, 5, 15 min) at the end: $(loadavg)
Argon2id m=19 MiB, t=2, p=1; hashing slots max(1, cores - 1) = $(($(nproc) > 1 ? $(nproc) - 1 : 1))

Start-up: launch of ./timether serve to the first /readyz 200 (polled every 20 ms)
  creating the data directory:  $create_ms ms
  on the existing directory:    ${ready_ms[*]} ms, median $ready_median ms
  the server's own log:         ${logged_ms[*]} ms (from main to listening); 1-min load before: ${start_loads[*]}
Memory: server VmRSS $idle_rss MiB ${idle_seconds} s after ready, $after_rss MiB after the load phases
  (the embedded PostgreSQL runs as separate processes: $idle_pg MiB PSS idle)

Sign-in = GET /signin + POST /signin (303). Latency in ms; cpu = server CPU ms per sign-in; load = 1-min load before
  clients             count    per s POST p50 POST p99 pair p50 pair p99    cpu  fail   load
EOF
signin_row "1" one "$one"
signin_row "$clients" many "$many"
signin_row "$flood_clients (flood)" flood "$flood_signin"
cat <<EOF

/readyz, one poll every 50 ms, each on its own thread. Latency in ms
  while               polls      p50      p99      max  not 200   load
EOF
readyz_row "idle" idle "$idle_readyz"
readyz_row "$flood_clients-client flood" flood "$flood_readyz"
printf '\nTargets\n'
target_row "measure" "figure" "target" "verdict"
target_row "ready after start (median of $starts)" "$ready_median ms" "< 3000 ms" "$(below "$ready_median" 3000)"
target_row "server VmRSS, idle" "$idle_rss MiB" "< 300 MiB" "$(below "$idle_rss" 300)"
target_row "one sign-in (POST p50, 1 client)" "$one_p50 ms" "< 50 ms" "$(below "$one_p50" 50)"
target_row "/readyz during the flood (p99; not 200)" "$flood_p99 ms; $flood_failed" "< 100 ms; 0" "$starved"
