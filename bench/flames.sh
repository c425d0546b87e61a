#!/usr/bin/env bash
# Flame graphs (HTML) from the JFR profiles that `bench/e2e.sh --jfr DIR` recorded: one per service, with
# async-profiler's JFR converter (tools.profiler:jfr-converter from Maven Central). Samples are JFR's execution
# samples plus its native-method samples, so threads waiting in native code (socket reads, epoll) show up too.
# Usage: bench/flames.sh bench/target/jfr docs/performance suffix   -> docs/performance/<service>-<suffix>.html
set -euo pipefail
cd "$(dirname "$0")/.."
in="${1:-bench/target/jfr}"; out="${2:-bench/target/flames}"; suffix="${3:-run}"
if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
converter=bench/target/tools/jfr-converter-4.2.jar
if [[ ! -f $converter ]]; then
  ./mvnw -B -q -N dependency:copy -Dartifact=tools.profiler:jfr-converter:4.2 -DoutputDirectory=bench/target/tools
fi
mkdir -p "$out"
for jfr in "$in"/*.jfr; do
  service=$(basename "$jfr" .jfr)
  "$JAVA_HOME/bin/java" -jar "$converter" --simple --title "$service ($suffix)" "$jfr" "$out/$service-$suffix.html"
done
