#!/usr/bin/env sh
# Transformer throughput benchmark: prints one JSON line of events/s (see README.md, "Benchmark").
# Build first: ./mvnw -B -pl transformer-service -am package -DskipTests
# Options go to the JVM, e.g. ./transformer-service/bench.sh -Dbench.measure=15s -Dbench.batch=100
set -e
cd "$(dirname "$0")"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
GRAAL_DIR="$PWD/target/graal"
FLAGS=$(sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e "s#\${GRAAL_DIR}#$GRAAL_DIR#g" jvm-flags.txt)
# shellcheck disable=SC2086
exec "$JAVA" $FLAGS "$@" -Dloader.main=dev.eventpipe.transformer.bench.TransformerBenchmark \
  -cp target/transformer-service-exec.jar org.springframework.boot.loader.launch.PropertiesLauncher
