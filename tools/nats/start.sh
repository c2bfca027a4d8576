#!/usr/bin/env bash
# start.sh <port> <dir> starts a throwaway nats-server with JetStream (file store under <dir>) in the
# background, bound to 127.0.0.1 only (client <port>, monitoring <port>+1000), writes its PID to
# <dir>/nats.pid, waits for /healthz?js-enabled-only=true and prints the NATS_URL to use
# (registry-interop §8). Install it first: apt-get install nats-server.
set -euo pipefail

PORT="${1:?usage: start.sh <port> <dir>}"
DIR="${2:?usage: start.sh <port> <dir>}"
[[ "${PORT}" =~ ^[0-9]+$ ]] || { echo "port must be a number: ${PORT}" >&2; exit 2; }
HTTP_PORT=$((PORT + 1000))
BIN="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
[[ -x "${BIN}" ]] || { echo "nats-server not installed: apt-get install nats-server" >&2; exit 1; }

mkdir -p "${DIR}"
DIR="$(cd "${DIR}" && pwd)"
PIDFILE="${DIR}/nats.pid"
LOG="${DIR}/nats.log"

if [[ -f "${PIDFILE}" ]] && kill -0 "$(cat "${PIDFILE}")" 2>/dev/null; then
  echo "nats-server already running with PID $(cat "${PIDFILE}") (${PIDFILE})" >&2
  exit 1
fi
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "${PORT}" "${HTTP_PORT}"; do
  if port_answers "${p}"; then echo "port ${p} is already in use" >&2; exit 1; fi
done

cat >"${DIR}/nats.conf" <<CONF
listen: 127.0.0.1:${PORT}
http: 127.0.0.1:${HTTP_PORT}
jetstream {
  store_dir: "${DIR}"
  max_memory_store: 64MB
  max_file_store: 256MB
}
CONF

# nats-server writes its own pid_file only after start; we record the PID of the process we started.
nohup "${BIN}" -c "${DIR}/nats.conf" >"${LOG}" 2>&1 </dev/null &
PID=$!
echo "${PID}" >"${PIDFILE}"

healthy() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/${HTTP_PORT}" || exit 1
    printf 'GET /healthz?js-enabled-only=true HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    read -r _ status _ <&3 || true
    [[ "${status}" == "200" ]]
  ) 2>/dev/null
}
for _ in $(seq 1 100); do
  if healthy; then
    echo "NATS_URL=nats://127.0.0.1:${PORT}"
    exit 0
  fi
  if ! kill -0 "${PID}" 2>/dev/null; then
    echo "nats-server exited during start; log follows (${LOG}):" >&2
    cat "${LOG}" >&2
    rm -f "${PIDFILE}"
    exit 1
  fi
  sleep 0.1
done
echo "nats-server (PID ${PID}) not healthy on 127.0.0.1:${HTTP_PORT} within 10s; see ${LOG}" >&2
exit 1
