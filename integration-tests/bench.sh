#!/usr/bin/env bash
# Runs a benchmark (not part of the test suite) and prints its table.
# Usage: integration-tests/bench.sh [seconds per concurrency level, default 10] [sqlite,postgresql]
#            the run-lifecycle benchmark
#        integration-tests/bench.sh ui [flow runs to seed, default 100000] [sqlite,postgresql] [keep]
#            the UI's queries at scale (each flow run with 3 task runs); "keep" keeps the seed for the next run
#        integration-tests/bench.sh events [task runs, default 20000] [connections, default 4] [sqlite,postgresql] [v7|v4]
#            task-run events over /api/events/in: events/s, the delay until REST shows them, exactly once and in order;
#            ids time-ordered as the client makes them (v7, the default) or random (v4)
#        integration-tests/bench.sh start [rounds, default 5]
#            ./prefect server start (and the image, when Docker runs it) to healthy, fresh and existing SQLite database
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# BENCH_NO_BUILD=1: built already (integration-tests/bench-ab.sh runs two of these at once).
if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
  bin/start-postgres.sh >/dev/null 2>&1 || echo "PostgreSQL is not available; pass 'sqlite' as the second argument." >&2
  ./mvnw -B -q -DskipTests install
  ./mvnw -B -q -pl integration-tests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
fi
. bin/find-jdk.sh
openprefect_find_jdk
benchmark=org.openprefect.bench.LifecycleBenchmark
if [[ "${1:-}" == ui ]]; then
  benchmark=org.openprefect.bench.UiQueryBenchmark
  shift
elif [[ "${1:-}" == events ]]; then
  benchmark=org.openprefect.bench.TaskRunEventsBenchmark
  shift
elif [[ "${1:-}" == start ]]; then
  benchmark=org.openprefect.bench.StartBenchmark
  shift
fi
exec "$JAVA_HOME/bin/java" -Dprefect.cli.jar="$root/ops-cli/target/ops-cli.jar" -Dprefect.repo.root="$root" \
  -cp "integration-tests/target/test-classes:$(cat integration-tests/target/bench.classpath)" \
  "$benchmark" "$@"
