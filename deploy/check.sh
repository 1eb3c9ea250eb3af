#!/usr/bin/env bash
# Checks the deployment files without Docker (these machines have no daemon), from .ci/run:
# - compose.yaml: `docker-compose config -q` (Debian's docker-compose, v1: parses and validates);
# - deploy/nginx.conf.template: rendered with placeholder values the way the nginx image and
#   scripts/cluster.ts do (only its documented ${OMEGA_*} names), then `nginx -t` on it inside a
#   minimal main configuration in a temporary folder (nothing is started, nothing listens).
set -euo pipefail
cd "$(dirname "$0")/.."

docker-compose -f compose.yaml config -q
echo "compose.yaml: valid"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
placeholders='${OMEGA_PROXY_PORT} ${OMEGA_GATEWAY_1} ${OMEGA_GATEWAY_2}'
OMEGA_PROXY_PORT=127.0.0.1:18080 OMEGA_GATEWAY_1=127.0.0.1:14001 OMEGA_GATEWAY_2=127.0.0.1:14002 \
  envsubst "$placeholders" < deploy/nginx.conf.template > "$tmp/omega.conf"
if grep -n '\${' "$tmp/omega.conf"; then
  echo "deploy/nginx.conf.template: a placeholder other than $placeholders is left (above)" >&2
  exit 1
fi
mkdir -p "$tmp/logs"
cat > "$tmp/nginx.conf" <<CONF
daemon off;
pid $tmp/nginx.pid;
error_log stderr warn;
events {}
http {
  access_log off;
  client_body_temp_path $tmp/client_body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  include $tmp/omega.conf;
}
CONF
nginx -t -q -p "$tmp" -c "$tmp/nginx.conf"
echo "deploy/nginx.conf.template: renders, and nginx -t accepts it"
