# What the benchmark scripts share: the JDK, starting and stopping a server on a fresh data directory, and
# waiting for it. Sourced, not run; the sourcing script sets `data`, `port` and `server_pid` (empty at first).

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# The embedded PostgreSQL is a child of the server; if the server had to be killed it may outlive it.
stop_postgres() {
  local pid_file="$data/postgres/postmaster.pid" pid
  [ -f "$pid_file" ] || return 0
  pid=$(head -n1 "$pid_file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "server $server_pid ignored TERM for 30 s; killing it"
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  stop_postgres
}

build_if_needed() {
  local jar=target/timether.jar
  if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
    log "building the jar"
    ./mvnw -q -DskipTests package >&2
  fi
}

# A port nobody listens on; bash's /dev/tcp refuses the connection then.
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

start_server() {
  TIMETHER_DATA_DIR="$data" TIMETHER_PORT="$port" TIMETHER_HOST=127.0.0.1 TIMETHER_API_URL="http://127.0.0.1:$port" \
    ./timether serve >"$1" 2>&1 &
  server_pid=$!
}

# One GET /readyz over bash's /dev/tcp (no curl to fork every 20 ms): true only on a 200.
is_ready() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    read -r -t 2 _ status _ <&3 || exit 1
    [ "$status" = "200" ]
  )
}

# Prints the milliseconds from $1 (date +%s%N) to the first 200 from /readyz; polls every 20 ms.
wait_ready() {
  local started=$1 log_file=$2
  for _ in $(seq 6000); do
    if is_ready 2>/dev/null; then
      echo $((($(date +%s%N) - started) / 1000000))
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the server exited before it was ready; its log:" >&2
      cat "$log_file" >&2
      return 1
    fi
    sleep 0.02
  done
  echo "the server was not ready after 120 s" >&2
  return 1
}

rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# The value of key $2 in a RESULT line $1; whether $1 < $2, as a verdict.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }' && echo "met" || echo "MISSED"; }

# The title line of a report: what ran, when, and on which commit (saying so when the tree had uncommitted changes).
title() {
  local changes=""
  git diff --quiet HEAD -- src pom.xml timether || changes=" (plus uncommitted changes)"
  printf 'Timether %s, %s, commit %s%s\n' "$1" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD)" "$changes"
}
