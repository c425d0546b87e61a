#!/usr/bin/env bash
# Whole-suite benchmark (issue 16): builds the jars (reactor package, nothing installed into ~/.m2), then
# dev.eventpipe.system.bench.E2eBenchmark starts transformer, gateway, processor and router on the machine's
# PostgreSQL (a fresh database "eventpipe_e2e"), one WEBHOOK destination to a local sink, drives /v1/batch load,
# and prints one JSON line last (figures and their ratios to the same server's raw multi-row INSERT rate).
# Arguments go to the benchmark: --seconds 60 --clients 8 --users 192 --batch 100 --rate 0 (0 = as fast as the
# gateway answers) --drain-max 120 --pg-host 127.0.0.1 --pg-port 5432 --pg-user postgres --pg-password postgres
# --database eventpipe_e2e --jfr bench/target/jfr (JFR profiles of the load window) --label text
# --env KEY=VALUE,KEY=VALUE (extra environment for every service) --transformation simple|loop (a JavaScript user
# transformation on the destination; its code is served by the sink in place of the config backend).
# BENCH_SKIP_BUILD=1 reuses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" ]] || ! "${JAVA_HOME}/bin/java" -version 2>&1 | grep -q '"25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f system-tests/target/bench-classpath.txt ]]; then
  ./mvnw -B -q -pl system-tests -am package -DskipTests -Dimages.skip=true -Dspotless.check.skip=true \
    dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
exec "$JAVA_HOME/bin/java" -Xmx512m -Deventpipe.root="$PWD" \
  -cp "system-tests/target/test-classes:$(cat system-tests/target/bench-classpath.txt)" \
  dev.eventpipe.system.bench.E2eBenchmark "$@"
