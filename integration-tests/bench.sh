#!/usr/bin/env bash
# Runs the run-lifecycle benchmark (not part of the test suite) and prints its table.
# Usage: integration-tests/bench.sh [seconds per concurrency level, default 10] [sqlite,postgresql]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin/start-postgres.sh >/dev/null 2>&1 || echo "PostgreSQL is not available; pass 'sqlite' as the second argument." >&2
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl integration-tests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
. bin/find-jdk.sh
openprefect_find_jdk
exec "$JAVA_HOME/bin/java" -Dprefect.cli.jar="$root/ops-cli/target/ops-cli.jar" \
  -cp "integration-tests/target/test-classes:$(cat integration-tests/target/bench.classpath)" \
  org.openprefect.bench.LifecycleBenchmark "$@"
