#!/usr/bin/env bash
# Router batching benchmark: the same jobs delivered one by one and batched, against a local sink that takes
# LATENCY_MS (default 20) per request, on the local PostgreSQL (TEST_JDBC_URL, default 127.0.0.1:5432). Prints one
# JSON line last. USERS and PER_USER size the run (default 200 x 10).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
export TEST_JDBC_URL="${TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
./mvnw -B -q -pl common-model,testkit,jobsdb install -DskipTests
./mvnw -B -pl router-service verify -Dspotless.check.skip=true -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=BatchingBenchmark -Dbench.latency-ms="${LATENCY_MS:-20}" -Dbench.users="${USERS:-200}" \
  -Dbench.per-user="${PER_USER:-10}" | grep '"benchmark":"router-batching"' | tail -1
