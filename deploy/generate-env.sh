#!/usr/bin/env bash
# Writes the .env that docker-compose.yml reads: fresh random secrets, readable by you only.
#   deploy/generate-env.sh [path]        (default: .env beside docker-compose.yml; refuses to overwrite one)
# Keep the file: CONFIG_SECRET_KEY encrypts destination secrets in the database and JOBS_DB_PASSWORD is set in the
# PostgreSQL volume at its first start, so new values do not fit an existing volume.
set -euo pipefail
out=${1:-$(cd "$(dirname "$0")/.." && pwd)/.env}
if [ -e "$out" ]; then echo "$out exists; remove it first to start over (see the comment in $0)" >&2; exit 1; fi
secret() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
umask 077
cat > "$out" <<ENV
# Written by deploy/generate-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Never commit this file.
# Log-in of the first administrator (the web app on http://127.0.0.1:5000)
ADMIN_EMAIL=admin@localhost
ADMIN_PASSWORD=$(secret 18)
# PostgreSQL password of the eventpipe role (set in the volume at its first start)
JOBS_DB_PASSWORD=$(secret 24)
# AES-256 key (base64 of 32 bytes) that encrypts destination secrets
CONFIG_SECRET_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
# The data plane's token for GET /workspaceConfig (bound to the first workspace)
WORKSPACE_TOKEN=ewt_$(secret 24)
# Shared by the services: the transformer, processor and router answer only callers that send it
SERVICE_TOKEN=$(secret 32)
# Write key of the first workspace's HTTP source (what SDKs send)
DEMO_WRITE_KEY=$(secret 18)
# Outbound deliveries: extra allowed destinations (CIDRs, host:port) and whether private ranges are refused
EGRESS_ALLOW=
EGRESS_DENY_PRIVATE=false
# Where the gateway and the web app are published (127.0.0.1 = this machine only)
GATEWAY_BIND=127.0.0.1
GATEWAY_PORT=8080
WEB_BIND=127.0.0.1
WEB_PORT=5000
# The web app behind a TLS reverse proxy (browsers on https://): always = its session cookie is Secure and answers
# carry Strict-Transport-Security, although the container sees plain HTTP (deploy/README.md)
#SESSION_COOKIE_SECURE=always
# Images: EVENTPIPE_REGISTRY/<module>:EVENTPIPE_VERSION (defaults: what ./mvnw package tags locally)
#EVENTPIPE_REGISTRY=localhost/eventpipe
#EVENTPIPE_VERSION=
ENV
echo "wrote $out (mode 600); the admin log-in is in it"
