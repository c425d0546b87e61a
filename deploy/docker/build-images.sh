#!/usr/bin/env bash
# Builds one image per service (deploy/services) from the jars the Maven build made: no compiling in Docker.
#   deploy/docker/build-images.sh [module ...]        (default: every service)
# Env: EVENTPIPE_REGISTRY  image name prefix        (default localhost/eventpipe: a local name no registry serves)
#      EVENTPIPE_VERSION   tag                      (default: the project version from pom.xml)
#      JDK_IMAGE, BASE_IMAGE                        base images (default eclipse-temurin:25-jdk, debian:bookworm-slim)
# Images: $EVENTPIPE_REGISTRY/<module>:$EVENTPIPE_VERSION. Never a `latest` tag.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
REGISTRY=${EVENTPIPE_REGISTRY:-localhost/eventpipe}
VERSION=${EVENTPIPE_VERSION:-$(sed -n '/<artifactId>eventpipe<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;q}' pom.xml)}
REVISION=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ -n "$VERSION" ] || { echo "cannot read the project version from pom.xml" >&2; exit 1; }
case "$VERSION" in latest|*[!A-Za-z0-9_.-]*) echo "bad image tag: $VERSION" >&2; exit 1;; esac

if [ $# -eq 0 ]; then set -- $(awk '!/^#/ && NF {print $1}' deploy/services); fi
for module in "$@"; do
  port=$(awk -v m="$module" '$1 == m {print $2}' deploy/services)
  [ -n "$port" ] || { echo "$module is not listed in deploy/services" >&2; exit 1; }
  jar="$module/target/$module-exec.jar"
  [ -s "$jar" ] || { echo "$jar is missing: build it first (./mvnw -B package -DskipTests)" >&2; exit 1; }
  ctx="$module/target/docker"
  rm -rf "$ctx"; mkdir -p "$ctx/graal"
  "$JAVA" -Djarmode=tools -jar "$jar" extract --layers --launcher --destination "$ctx/app" >/dev/null
  if [ -d "$module/target/graal" ]; then cp "$module"/target/graal/*.jar "$ctx/graal/"; fi
  if [ -f "$module/jvm-flags.txt" ]; then
    sed 's#${GRAAL_DIR}#/app/graal#g' "$module/jvm-flags.txt" > "$ctx/jvm-flags"
  else
    : > "$ctx/jvm-flags"
  fi
  cp deploy/docker/entrypoint.sh deploy/docker/healthcheck.sh "$ctx/"
  description=$(sed -n 's:.*<description>\(.*\)</description>.*:\1:p' "$module/pom.xml" | head -n 1)
  image="$REGISTRY/$module:$VERSION"
  echo "[images] $image"
  docker build -q -f deploy/docker/Dockerfile -t "$image" \
    ${JDK_IMAGE:+--build-arg JDK_IMAGE="$JDK_IMAGE"} ${BASE_IMAGE:+--build-arg BASE_IMAGE="$BASE_IMAGE"} \
    --build-arg MODULE="$module" --build-arg PORT="$port" --build-arg VERSION="$VERSION" \
    --build-arg REVISION="$REVISION" --build-arg DESCRIPTION="$description" \
    "$ctx" >/dev/null
done
docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' "$REGISTRY/*:$VERSION" 2>/dev/null || true
