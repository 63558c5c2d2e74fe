#!/usr/bin/env bash
# Report benchmark (issue 5): list_time_entries pages and summary_report through the real /mcp endpoint on
# generated workspaces of two sizes. Not a test: `./mvnw verify` never runs it. It uses a fresh temporary data
# directory, only 127.0.0.1, and stops everything it started when it ends, however it ends.
#
#   bench/reports.sh
#
# Knobs (environment): BENCH_SIZES ("100000 1000000") entries per workspace, BENCH_MEMBERS (200),
# BENCH_PROJECTS (500), BENCH_DAYS (730), BENCH_REPEATS (200) calls per page measure (a tenth of it per report),
# BENCH_PAGE_SECONDS (10) of wrk per page after a 3 s warm-up. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh

sizes=${BENCH_SIZES:-100000 1000000}
members=${BENCH_MEMBERS:-200}
projects=${BENCH_PROJECTS:-500}
days=${BENCH_DAYS:-730}
repeats=${BENCH_REPEATS:-200}
page_seconds=${BENCH_PAGE_SECONDS:-10}
command -v wrk >/dev/null || { echo "bench/reports.sh needs wrk on the PATH" >&2; exit 2; }
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
# wrk calls one page back to back, hundreds of times a second: above the 600 calls a minute one connection may make.
export TIMETHER_MCP_CALLS_PER_MINUTE=1000000
port=$(free_port)
base="http://127.0.0.1:$port"
log "machine: $(nproc) cores, load $(loadavg); work directory $work"
start_server "$work/server.log"
wait_ready "$(date +%s%N)" "$work/server.log" >/dev/null

# One page call from one wrk connection, back to back, for $2 seconds; the answer must be the recorded one (status
# and length). Prints wrk's RESULT line; fails on any other answer.
wrk_page() {
  local line
  line=$(BENCH_BODY="$1.request" BENCH_EXPECTED="$1.response" BENCH_TOKENS="$1.tokens" \
    wrk -t1 -c1 -d"$2s" -s bench/mcp-load.lua "$base" | grep '^RESULT')
  if [ "$(field "$line" bad)" != "0" ] || [ "$(field "$line" socket_errors)" != "0" ]; then
    echo "wrk got answers other than the recorded one for $1: $line" >&2
    return 1
  fi
  echo "$line"
}

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
  calls="$work/calls-$size"
  mkdir -p "$calls"
  "$java_bin" -cp target/timether.jar bench/ReportLoad.java "$base" "bench-$size@example.test" "$password" \
    "$workspace" "$days" "$repeats" "$calls" >"$work/load-$size.out" 2>&1 || { cat "$work/load-$size.out" >&2; exit 1; }
  grep -v '^RESULT' "$work/load-$size.out" >&2
  while read -r line; do
    results[$size:$(field "$line" kind)]=$line
  done < <(grep '^RESULT' "$work/load-$size.out")
  for page in first deep; do
    results[$size:wrk_$page]=$(wrk_page "$calls/$page" 3 >/dev/null && wrk_page "$calls/$page" "$page_seconds")
    log "wrk, $page page: $(field "${results[$size:wrk_$page]}" requests) calls, p50 $(field \
      "${results[$size:wrk_$page]}" p50) ms, p99 $(field "${results[$size:wrk_$page]}" p99) ms"
  done
  results[$size:load]=$(cut -d' ' -f1 /proc/loadavg)
done
rss=$(rss_mib "$server_pid")
stop_server

echo
title "report benchmark"
printf 'machine: %s cores; load average (1, 5, 15 min) at the end: %s; server VmRSS at the end %s MiB\n' \
  "$(nproc)" "$(loadavg)" "$rss"
printf 'one client, calls one after another, over HTTP on loopback; latency in ms (p50 / p99)\n'
printf 'pages (list_time_entries, 50 entries): the Java client for %s calls (it parses every answer, as an assistant\n' \
  "$repeats"
printf 'would), then wrk for %s s (a C client that checks status and length only); reports: the Java client\n\n' \
  "$page_seconds"
printf '  %-34s' "entries in the workspace"
for size in $sizes; do printf ' %18s' "$size"; done
printf '\n  %-34s' "generated in (ms)"
for size in $sizes; do printf ' %18s' "${generated[$size]}"; done
for kind in wrk_first wrk_deep first_page deep_page summary_month summary_year; do
  case $kind in
    wrk_first) label="first page, wrk" ;;
    wrk_deep) label="oldest page, wrk" ;;
    first_page) label="first page, Java client" ;;
    deep_page) label="oldest page, Java client" ;;
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
  worst_page=$(awk -v a="$(field "${results[$size:wrk_first]}" p99)" -v b="$(field "${results[$size:wrk_deep]}" p99)" \
    'BEGIN { print (a > b) ? a : b }')
  year=$(field "${results[$size:summary_year]}" p99)
  printf '  %-10s page p99 (wrk) %s ms < 15 ms: %s; one-year summary p99 %s ms < 300 ms: %s\n' "$size" \
    "$worst_page" "$(below "$worst_page" 15)" "$year" "$(below "$year" 300)"
done
