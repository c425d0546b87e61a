#!/bin/sh
# Starts the service: JAVA_OPTS (heap share, user additions), the module's own JVM flags (the transformer's Graal
# JIT), then Spring Boot's launcher over the extracted layers in /app.
set -e
flags=$(grep -v '^#' /app/jvm-flags | tr '\n' ' ')
# shellcheck disable=SC2086 # JAVA_OPTS and the flags are lists of words on purpose
exec java $JAVA_OPTS $flags -cp /app org.springframework.boot.loader.launch.JarLauncher "$@"
