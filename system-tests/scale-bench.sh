#!/usr/bin/env bash
# Scale-out benchmark: pipeline throughput with 1 and 3 processors and routers on one PostgreSQL (the local server,
# TEST_JDBC_URL or 127.0.0.1:5432), 2 gateways behind Debian's HAProxy (apt-get install haproxy). Prints one JSON
# line per shape. Arguments go to the benchmark: --events 30000 --users 50 --shapes 1x1,3x3
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
export TEST_JDBC_URL="${TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export TEST_JDBC_USER="${TEST_JDBC_USER:-postgres}" TEST_JDBC_PASSWORD="${TEST_JDBC_PASSWORD:-postgres}"
./mvnw -B -q -pl system-tests -am package -DskipTests -Dimages.skip=true \
  dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -Xmx1g -Deventpipe.root=. \
  -cp "system-tests/target/test-classes:$(cat system-tests/target/test-classpath.txt)" \
  dev.eventpipe.system.ScaleOutBenchmark "$@"
