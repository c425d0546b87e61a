#!/usr/bin/env bash
# Builds what is missing or stale, then starts the whole suite in the foreground (Ctrl-C stops it all).
# No JOBS_DB_* variables: an embedded PostgreSQL keeps its data under ./.data/.
# WORKSPACE_CONFIG_PATH=/path/workspaceConfig.json: the data plane reads that file instead of the config backend.
# EGRESS_ALLOW=127.0.0.1:9000 (host:port entries and CIDRs, comma-separated): destinations may be reached there
#   although the egress policy refuses loopback, link-local and this machine's addresses (a webhook on this machine
#   needs it). The suite's own ports (the services' and the database's, 127.0.0.1:15432) are opened only by an entry
#   naming exactly that host:port, never by a CIDR such as 127.0.0.1/32 (SECURITY.md "server-side request forgery");
#   EGRESS_DENY_PRIVATE=true refuses private ranges (RFC 1918, ULA) too. The services inherit both.
set -euo pipefail
cd "$(dirname "$0")"

if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" ]] || ! "${JAVA_HOME}/bin/java" -version 2>&1 | grep -q '"25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "run.sh needs JDK 25 (Temurin) at \$JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

jars=(launcher/target/launcher.jar config-backend/target/config-backend-exec.jar
      transformer-service/target/transformer-service-exec.jar gateway-service/target/gateway-service-exec.jar
      processor-service/target/processor-service-exec.jar router-service/target/router-service-exec.jar
      warehouse-service/target/warehouse-service-exec.jar)
stale=0
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" ]]; then stale=1; break; fi
done
if [[ $stale == 0 ]]; then
  oldest=$(ls -t "${jars[@]}" | tail -n 1)
  if [[ -n "$(find . -path ./.data -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \
        -o -path './web-ui/src/*' \) -newer "$oldest" -print -quit)" ]]; then
    stale=1
  fi
fi
if [[ $stale == 1 ]]; then
  echo "[run.sh] building (./mvnw -B -q -DskipTests package) ..."
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package
fi

exec "$JAVA_HOME/bin/java" -Deventpipe.root="$PWD" -jar launcher/target/launcher.jar "$@"
