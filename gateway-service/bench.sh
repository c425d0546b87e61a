#!/usr/bin/env bash
# Gateway benchmark. Builds the gateway jar, starts it on 127.0.0.1:18080 against the local PostgreSQL (a fresh
# database "eventpipe_bench", file workspace config), drives /v1/batch and single-event /v1/track load, measures the
# same PostgreSQL's raw multi-row INSERT rate, and prints one JSON line last. Extra arguments go to the benchmark,
# e.g. --seconds 30 --batch-clients 16 --batch-size 100 --single-clients 64 --pg-host 127.0.0.1 --pg-port 5432;
# to target a gateway that is already running: --url http://127.0.0.1:8080 --pid <gateway pid> --write-key <key>.
# Works on a fresh clone: the reactor builds the gateway and the modules it needs (parent POM included) and
# nothing is installed into ~/.m2; the load generator runs from the gateway's test classes.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
./mvnw -B -q -pl gateway-service -am package -DskipTests -Dspotless.check.skip=true \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -cp "gateway-service/target/test-classes:$(cat gateway-service/target/bench-classpath.txt)" \
  dev.eventpipe.gateway.bench.GatewayBenchmark --jar gateway-service/target/gateway-service-exec.jar "$@"
