#!/usr/bin/env bash
# make-certs.sh [FQDN] [OUT_DIR]: the secrets compose.yml mounts from certs/ (the Portus talk's "make
# certificates, put them in secrets"):
#   ca.key, ca.crt           a local certificate authority (kept if it already exists)
#   server.key, server.crt   nginx's TLS certificate for FQDN, signed by that CA (issued anew each run)
#   mongodb.keyfile          the MongoDB replica-set keyfile (kept if it already exists)
# FQDN defaults to MACHINE_FQDN from the environment, then from .env next to this script.
# OUT_DIR defaults to certs/ next to this script. Needs only openssl.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FQDN="${1:-${MACHINE_FQDN:-}}"
if [[ -z "${FQDN}" && -f "${HERE}/.env" ]]; then
  FQDN="$(sed -n 's/^MACHINE_FQDN=//p' "${HERE}/.env" | tail -1 | tr -d "\"'[:space:]")"
fi
OUT="${2:-${HERE}/certs}"
DAYS="${CERT_DAYS:-825}" # the longest server-certificate lifetime Apple clients accept

if [[ -z "${FQDN}" ]]; then
  echo "usage: $0 [FQDN] [OUT_DIR]   (or set MACHINE_FQDN in ${HERE}/.env)" >&2
  exit 2
fi
# A host name only: it goes into the certificate and an openssl config unquoted.
if ! [[ "${FQDN}" =~ ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$ ]]; then
  echo "error: '${FQDN}' is not a host name (MACHINE_FQDN takes no scheme, port or path)" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "error: openssl is required" >&2; exit 1; }

mkdir -p "${OUT}"
chmod 0700 "${OUT}"
umask 077

if [[ ! -f "${OUT}/ca.key" || ! -f "${OUT}/ca.crt" ]]; then
  openssl req -x509 -new -nodes -newkey rsa:3072 -sha256 -days 3650 \
    -keyout "${OUT}/ca.key" -out "${OUT}/ca.crt" \
    -subj "/CN=Portcullis local CA (${FQDN})" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "created CA ${OUT}/ca.crt"
else
  echo "kept CA ${OUT}/ca.crt"
fi

EXT="$(mktemp)"
trap 'rm -f "${EXT}" "${OUT}/server.csr" "${OUT}/ca.srl"' EXIT
cat > "${EXT}" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:${FQDN}
EOF
openssl req -new -nodes -newkey rsa:2048 -sha256 -keyout "${OUT}/server.key" -out "${OUT}/server.csr" \
  -subj "/CN=${FQDN}" 2>/dev/null
openssl x509 -req -in "${OUT}/server.csr" -CA "${OUT}/ca.crt" -CAkey "${OUT}/ca.key" -CAcreateserial \
  -days "${DAYS}" -sha256 -extfile "${EXT}" -out "${OUT}/server.crt" 2>/dev/null
openssl verify -CAfile "${OUT}/ca.crt" "${OUT}/server.crt" >/dev/null
echo "issued ${OUT}/server.crt for ${FQDN}"

if [[ ! -f "${OUT}/mongodb.keyfile" ]]; then
  openssl rand -base64 756 > "${OUT}/mongodb.keyfile"
  echo "created ${OUT}/mongodb.keyfile"
fi

# Certificates are public; keys and the keyfile stay owner-only (the containers read them as root).
chmod 0644 "${OUT}/ca.crt" "${OUT}/server.crt"
chmod 0600 "${OUT}/ca.key" "${OUT}/server.key" "${OUT}/mongodb.keyfile"

cat <<EOF

Next: let docker trust the CA for ${FQDN} on every machine that pushes or pulls, e.g.
  sudo mkdir -p /etc/docker/certs.d/${FQDN} && sudo cp ${OUT}/ca.crt /etc/docker/certs.d/${FQDN}/ca.crt
and import ${OUT}/ca.crt into your browser's (or system's) trusted authorities.
EOF
