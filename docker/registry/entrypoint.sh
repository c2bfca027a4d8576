#!/bin/sh
# entrypoint.sh: the registry service (registry:2.8 image, busybox sh). Serves
# GENERATED_CONFIG_DIR/config.yml, written by the registry-config service, and restarts the registry
# whenever that file changes. Until it exists, serves bootstrap.yml: /v2/ answers 401 with the
# Docker-Distribution-Api-Version header (so the registry screen's reachability check passes) and no
# token is accepted (its issuer is one Portcullis never uses).
set -eu
dir="${GENERATED_CONFIG_DIR:?GENERATED_CONFIG_DIR is not set}"
fqdn="${MACHINE_FQDN:?MACHINE_FQDN is not set}"
here="$(cd "$(dirname "$0")" && pwd)"
config="$dir/config.yml"
pid=""
current=""

stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
trap 'stop; exit 0' TERM INT

while :; do
  if [ -f "$config" ]; then want="$(cksum < "$config")"; else want="bootstrap"; fi
  if [ "$want" != "$current" ] || [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    stop
    if [ "$want" = "bootstrap" ]; then
      echo "registry: no $config yet (create the registry in Portcullis, then run registry-config); serving the bootstrap config"
      mkdir -p "$dir/storage"
      # Only this process gets these overrides: the real config must be read unaltered.
      REGISTRY_HTTP_ADDR="${LISTEN_ADDR:-0.0.0.0:5000}" \
        REGISTRY_AUTH_TOKEN_REALM="https://$fqdn/v2/token" \
        REGISTRY_AUTH_TOKEN_SERVICE="$fqdn" \
        REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE="${BOOTSTRAP_BUNDLE:-/etc/ssl/portcullis/ca.crt}" \
        REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$dir/storage" \
        registry serve "$here/bootstrap.yml" &
    else
      echo "registry: serving $config"
      registry serve "$config" &
    fi
    pid=$!
    current="$want"
  fi
  sleep 2
done
