#!/usr/bin/env bash
# A/B of the run-lifecycle CPU: the server built from REV (a commit, in a git worktree) and the one of
# this checkout, on fresh SQLite databases, driven at the same time by the same load, so that the
# machine's drift hits both alike. Prints each one's CPU ms a request per round.
# Usage: integration-tests/bench-ab.sh REV [clients per server, default 2] [seconds per round, default 20] [rounds, default 6]
set -euo pipefail
rev="${1:?usage: integration-tests/bench-ab.sh REV [clients] [seconds] [rounds]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v python3 >/dev/null || { echo "bench-ab.sh needs python3 for its load client." >&2; exit 1; }
work="$(mktemp -d /tmp/openprefect-ab-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "[1/4] building this checkout"
./mvnw -B -q -DskipTests install -pl migrations,appliance,ops-cli
echo "[2/4] building $rev in a worktree"
git worktree add --detach "$work/base" "$rev" >/dev/null
(cd "$work/base" && ./mvnw -B -q -o -DskipTests package -pl migrations,appliance,ops-cli)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ports=()
echo "[3/4] starting both servers"
for side in "$work/base" "$root"; do
  port="$(free_port)"
  home="$(mktemp -d "$work/home-XXXX")"
  (cd "$side" && PREFECT_HOME="$home" PREFECT_SERVER_API_PORT="$port" exec ./prefect server start >"$home/server.log" 2>&1) &
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null || { echo "the server of $side did not start; see $home/server.log" >&2; cat "$home/server.log" >&2; exit 1; }
  # The JVM is the process holding this home's database open.
  pid=""
  for p in $(pgrep java); do ls -l "/proc/$p/fd" 2>/dev/null | grep -q "$home/prefect.db" && pid="$p"; done
  pids+=("$pid")
  ports+=("$port")
done
echo "[4/4] server 1 is $rev, server 2 this checkout ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', with uncommitted changes')); a 20 s warm-up round first"
python3 integration-tests/bench/paired_lifecycle.py "${ports[0]},${ports[1]}" "${pids[0]},${pids[1]}" "$@"
