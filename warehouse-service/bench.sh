#!/usr/bin/env bash
# Warehouse load-rate benchmark: stages N events (tracks of two names, identifies, pages; default 100,000) as gzip
# JSON-lines staging files with the real mapping and loads them as one upload into a fresh database on the local
# PostgreSQL with the real loader (COPY into a temporary table, delete-then-insert by id, users merged); prints
# rows/s per table and for the whole upload, checks the row counts, and prints one JSON line last. Arguments go to
# the benchmark: --events N --files F --pg-host H --pg-port P --pg-user U --pg-password W --pg-admin-db D
# (defaults 100000, 10, 127.0.0.1, 5432, postgres, postgres, postgres). The database it makes is dropped at the end.
# Works on a fresh clone: the reactor builds warehouse-service and the modules it needs and nothing is installed
# into ~/.m2; the benchmark runs from the module's test classes.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
./mvnw -B -q -pl warehouse-service -am package -DskipTests -Dspotless.check.skip=true \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -cp "warehouse-service/target/test-classes:warehouse-service/target/classes:$(cat warehouse-service/target/bench-classpath.txt)" \
  dev.eventpipe.warehouse.bench.WarehouseLoadBenchmark "$@"
