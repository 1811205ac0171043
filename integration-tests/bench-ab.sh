#!/usr/bin/env bash
# A/B of the run-lifecycle CPU: the server built from REV (a commit, in a git worktree) and the one of
# this checkout, on fresh SQLite databases, each driven by its own run-lifecycle benchmark
# (integration-tests/bench.sh against a running server: BENCH_API_URL, BENCH_SERVER_PID) at the same
# time, so that the machine's drift hits both alike. Prints both tables.
# Usage: integration-tests/bench-ab.sh REV [seconds per concurrency level, default 10]
set -euo pipefail
rev="${1:?usage: integration-tests/bench-ab.sh REV [seconds per level]}"
seconds="${2:-10}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d /tmp/openprefect-ab-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "[1/4] building this checkout and the benchmark"
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl integration-tests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
echo "[2/4] building $rev in a worktree"
git worktree add --detach "$work/base" "$rev" >/dev/null 2>&1
(cd "$work/base" && ./mvnw -B -q -o -DskipTests package -pl migrations,appliance,ops-cli)
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
echo "[3/4] starting both servers"
ports=()
for side in "$work/base" "$root"; do
  port="$(free_port)"
  home="$(mktemp -d "$work/home-XXXX")"
  (cd "$side" && PREFECT_HOME="$home" PREFECT_SERVER_API_PORT="$port" exec ./prefect server start >"$home/server.log" 2>&1) &
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null || { echo "the server of $side did not start:" >&2; cat "$home/server.log" >&2; exit 1; }
  # The JVM is the process holding this home's database open. Not grep -q: it would stop reading at the
  # first match, and ls, killed by SIGPIPE, would fail the pipeline (pipefail).
  pid=""
  for _ in $(seq 20); do
    for p in $(pgrep java); do ls -l "/proc/$p/fd" 2>/dev/null | grep "$home/prefect.db" >/dev/null && pid="$p"; done
    [ -n "$pid" ] && break
    sleep 0.5
  done
  [ -n "$pid" ] || { echo "no process holds $home/prefect.db open; java processes:" >&2; pgrep -a java >&2; exit 1; }
  pids+=("$pid")
  ports+=("$port")
done
echo "[4/4] both benchmarks at once, $seconds s a level"
for i in 0 1; do
  BENCH_NO_BUILD=1 BENCH_API_URL="http://127.0.0.1:${ports[$i]}/api" BENCH_SERVER_PID="${pids[$i]}" \
    integration-tests/bench.sh "$seconds" >"$work/table-$i.txt" 2>&1 &
  runs[$i]=$!
done
wait "${runs[0]}" "${runs[1]}"
echo "== $rev"
cat "$work/table-0.txt"
echo "== this checkout ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', with uncommitted changes'))"
cat "$work/table-1.txt"
