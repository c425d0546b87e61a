#!/bin/bash
# Docker HEALTHCHECK without curl or a second JVM: one HTTP/1.0 request through bash's /dev/tcp.
# Healthy = the service answers 200 on $HEALTHCHECK_PATH (default /health: ready to serve).
exec 3<>"/dev/tcp/127.0.0.1/${PORT}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "${HEALTHCHECK_PATH:-/health}" >&3
read -r -t 3 _ status _ <&3 || exit 1
[ "$status" = 200 ]
