#!/usr/bin/env bash
# Records images/src/cds/server-classes.txt, the classes the image's class-data archive holds
# (make-class-archive.sh; docs/container.md): starts this checkout's server on a fresh SQLite
# database with -XX:DumpLoadedClassList, drives a run's lifecycle through the API (a flow, a flow
# run and its states, a task run, logs, the reads the UI and client make), stops it, and keeps the
# loaded classes' names and lambdas, sorted. The list is a committed file, not made by each build, so two builds
# of one commit make the same archive byte for byte: a training run loads a slightly different set of
# classes each time. Run it again after large changes (the build says how many listed classes it no
# longer finds); a class missing from the list is loaded from its jar as before, only slower.
#
# Usage: images/src/cds/make-class-list.sh   (needs curl and the built ops-cli; ./prefect builds it)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
out=$repo/images/src/cds/server-classes.txt
. "$repo/bin/find-jdk.sh"
openprefect_find_jdk
"$repo/prefect" --version >/dev/null

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(( 20000 + RANDOM % 20000 ))
api=http://127.0.0.1:$port/api
echo "[class list] starting the server on port $port with -XX:DumpLoadedClassList"
PREFECT_HOME=$work/home PREFECT_SERVER_API_PORT=$port MALLOC_ARENA_MAX=2 \
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xshare:auto -XX:DumpLoadedClassList="$work/loaded.txt" \
    -jar "$repo/ops-cli/target/ops-cli.jar" server start >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    curl -sf "$api/health" >/dev/null && break
    sleep 0.1
done
post() { curl -sf -H 'Content-Type: application/json' -d "$2" "$api$1"; }
# The first "id" of a response is the object's own (the state's comes later).
first_id() { grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4; }

echo "[class list] driving a run's lifecycle"
for round in 1 2 3; do
    flow=$(post /flows/ '{"name":"class-list"}' | first_id)
    run=$(post /flow_runs/ '{"flow_id":"'"$flow"'","state":{"type":"PENDING"}}' | first_id)
    post "/flow_runs/$run/set_state" '{"state":{"type":"RUNNING"}}' >/dev/null
    task=$(post /task_runs/ '{"flow_run_id":"'"$run"'","task_key":"t-'"$round"'","dynamic_key":"0","name":"t","state":{"type":"RUNNING"}}' | first_id)
    post "/task_runs/$task/set_state" '{"state":{"type":"COMPLETED"}}' >/dev/null
    post /logs/ '[{"name":"prefect.flow_runs","level":20,"message":"hello","timestamp":"2026-01-01T00:00:00Z","flow_run_id":"'"$run"'"}]' >/dev/null
    post "/flow_runs/$run/set_state" '{"state":{"type":"COMPLETED"}}' >/dev/null
    post /flow_runs/filter '{"flow_runs":{"id":{"any_":["'"$run"'"]}}}' >/dev/null
    post /task_runs/filter '{"limit":10}' >/dev/null
    post /logs/filter '{"limit":10}' >/dev/null
    post /ui/flow_runs/history '{"history_start":"2026-01-01T00:00:00Z","history_end":"2026-01-02T00:00:00Z","history_interval_seconds":3600}' >/dev/null || true
    curl -sf "$api/flow_runs/$run" >/dev/null
    curl -sf "$api/admin/version" >/dev/null
    curl -sf "http://127.0.0.1:$port/" >/dev/null || true
done
kill "$pid"
wait "$pid" 2>/dev/null || true

# The loaded classes' names (not the hidden classes a run makes, whose names carry addresses), then
# the lambdas to link ahead of time (@lambda-proxy: each would otherwise spin a class at run time) and
# the method-handle forms they use (@lambda-form-invoker), each part sorted so the file is stable.
{
    grep -v '^[@#]' "$work/loaded.txt" | sed 's/ .*//' | grep -v '/0x' | LC_ALL=C sort -u
    grep '^@lambda-' "$work/loaded.txt" | LC_ALL=C sort -u
} >"$out"
echo "[class list] $(grep -vc '^@' "$out") classes and $(grep -c '^@' "$out") lambda lines in $out"
