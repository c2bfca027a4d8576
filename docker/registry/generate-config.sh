#!/bin/sh
# generate-config.sh: the registry-config service (api image). Writes the registry's config.yml, its
# token cert bundle and storage/ into GENERATED_CONFIG_DIR with Portcullis's own generator (the same as
# `npm run portcullis -- registry-config`), listening on 0.0.0.0:5000 inside the compose network and
# pointing the token realm and notifications at PUBLIC_URL (nginx).
# Until a registry named REGISTRY_NAME exists in Portcullis (registry screen) it writes nothing and
# exits 0, so `docker compose up -d` goes on; run it again afterwards (docker/README.md, step 7).
set -eu
dir="${GENERATED_CONFIG_DIR:?GENERATED_CONFIG_DIR is not set}"
name="${REGISTRY_NAME:?REGISTRY_NAME is not set}"
url="${PUBLIC_URL:?PUBLIC_URL is not set}"
err="$(mktemp)"
trap 'rm -f "$err"' EXIT
cd "${APP_DIR:-/app}"
if node dist/apps/api/main.js registry-config --registry "$name" --out "$dir" --listen "${LISTEN_ADDR:-0.0.0.0:5000}" \
  --portcullis-url "$url" 2>"$err"; then
  exit 0
fi
if grep -q "no registry named" "$err"; then
  echo "registry-config: no registry named '$name' in Portcullis yet. Create it on the registry screen"
  echo "(hostname: the MACHINE_FQDN), then run: docker compose run --rm registry-config"
  exit 0
fi
cat "$err" >&2
exit 1
