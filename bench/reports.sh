#!/usr/bin/env bash
# Report benchmark (issue 5): list_time_entries pages and summary_report through the real /mcp endpoint on
# generated workspaces of two sizes. Not a test: `./mvnw verify` never runs it. It uses a fresh temporary data
# directory, only 127.0.0.1, and stops everything it started when it ends, however it ends.
#
#   bench/reports.sh
#
# Knobs (environment): BENCH_SIZES ("100000 1000000") entries per workspace, BENCH_MEMBERS (200),
# BENCH_PROJECTS (500), BENCH_DAYS (730), BENCH_REPEATS (200) calls per page measure (a tenth of it per report).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh

sizes=${BENCH_SIZES:-100000 1000000}
members=${BENCH_MEMBERS:-200}
projects=${BENCH_PROJECTS:-500}
days=${BENCH_DAYS:-730}
repeats=${BENCH_REPEATS:-200}
password="bench-password-$RANDOM$RANDOM"

work=$(mktemp -d "${TMPDIR:-/tmp}/timether-bench.XXXXXX")
data="$work/data"
server_pid=""

cleanup() {
  stop_server
  if [ -n "${BENCH_KEEP:-}" ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_if_needed
port=$(free_port)
base="http://127.0.0.1:$port"
log "machine: $(nproc) cores, load $(loadavg); work directory $work"
start_server "$work/server.log"
wait_ready "$(date +%s%N)" "$work/server.log" >/dev/null

declare -A results generated
for size in $sizes; do
  log "generating $size entries ($members members, $projects projects, $days days)"
  started=$(date +%s%N)
  # The password goes through standard input (the prompt of --password), never through the command line.
  printf '%s\n' "$password" | TIMETHER_DATA_DIR="$data" ./timether generate --workspace "Bench $size" \
    --owner "bench-$size@example.test" --password --entries "$size" --members "$members" --projects "$projects" \
    --days "$days" \
    >"$work/generate-$size.out" 2>"$work/generate-$size.err" || { cat "$work/generate-$size.err" >&2; exit 1; }
  generated[$size]=$((($(date +%s%N) - started) / 1000000))
  workspace=$(sed -n 's/.*Created workspace Bench [0-9]* (\([0-9a-f-]*\)).*/\1/p' "$work/generate-$size.out")
  log "generated in ${generated[$size]} ms; measuring (load $(loadavg))"
  "$java_bin" -cp target/timether.jar bench/ReportLoad.java "$base" "bench-$size@example.test" "$password" \
    "$workspace" "$days" "$repeats" >"$work/load-$size.out" 2>&1 || { cat "$work/load-$size.out" >&2; exit 1; }
  grep -v '^RESULT' "$work/load-$size.out" >&2
  while read -r line; do
    results[$size:$(field "$line" kind)]=$line
  done < <(grep '^RESULT' "$work/load-$size.out")
  results[$size:load]=$(cut -d' ' -f1 /proc/loadavg)
done
rss=$(rss_mib "$server_pid")
stop_server

echo
title "report benchmark"
printf 'machine: %s cores; load average (1, 5, 15 min) at the end: %s; server VmRSS at the end %s MiB\n' \
  "$(nproc)" "$(loadavg)" "$rss"
printf 'one client, calls one after another, over HTTP on loopback; latency in ms (p50 / p99)\n\n'
printf '  %-34s' "entries in the workspace"
for size in $sizes; do printf ' %18s' "$size"; done
printf '\n  %-34s' "generated in (ms)"
for size in $sizes; do printf ' %18s' "${generated[$size]}"; done
for kind in first_page deep_page summary_month summary_year; do
  case $kind in
    first_page) label="list_time_entries, first page" ;;
    deep_page) label="list_time_entries, oldest page" ;;
    summary_month) label="summary_report, one month" ;;
    summary_year) label="summary_report, one year" ;;
  esac
  printf '\n  %-34s' "$label"
  for size in $sizes; do
    line=${results[$size:$kind]}
    printf ' %18s' "$(field "$line" p50) / $(field "$line" p99)"
  done
done
printf '\n  %-34s' "1-min load after the phase"
for size in $sizes; do printf ' %18s' "${results[$size:load]}"; done
printf '\n\nTargets (at every size)\n'
for size in $sizes; do
  worst_page=$(awk -v a="$(field "${results[$size:first_page]}" p99)" -v b="$(field "${results[$size:deep_page]}" p99)" \
    'BEGIN { print (a > b) ? a : b }')
  year=$(field "${results[$size:summary_year]}" p99)
  printf '  %-10s page p99 %s ms < 15 ms: %s; one-year summary p99 %s ms < 300 ms: %s\n' "$size" \
    "$worst_page" "$(below "$worst_page" 15)" "$year" "$(below "$year" 300)"
done
