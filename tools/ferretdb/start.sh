#!/usr/bin/env bash
# start.sh <port> <dir> starts FerretDB (SQLite backend, data in <dir>) in the background, bound to
# 127.0.0.1 only, writes its PID to <dir>/ferretdb.pid, waits until the port answers and prints the
# MONGODB_URL to use. Build it first with tools/ferretdb/build.sh.
set -euo pipefail

PORT="${1:?usage: start.sh <port> <dir>}"
DIR="${2:?usage: start.sh <port> <dir>}"
[[ "${PORT}" =~ ^[0-9]+$ ]] || { echo "port must be a number: ${PORT}" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${FERRETDB_BIN:-${ROOT}/.tools/bin/ferretdb}"
[[ -x "${BIN}" ]] || { echo "ferretdb not built: run tools/ferretdb/build.sh" >&2; exit 1; }

mkdir -p "${DIR}"
DIR="$(cd "${DIR}" && pwd)"
PIDFILE="${DIR}/ferretdb.pid"
LOG="${DIR}/ferretdb.log"

if [[ -f "${PIDFILE}" ]] && kill -0 "$(cat "${PIDFILE}")" 2>/dev/null; then
  echo "ferretdb already running with PID $(cat "${PIDFILE}") (${PIDFILE})" >&2
  exit 1
fi

# Talk to the port with bash's /dev/tcp so the script needs neither nc nor a mongo shell.
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; }
if port_answers; then
  echo "port ${PORT} is already in use" >&2
  exit 1
fi

# --state-dir=- and --telemetry=disable: no state files, no phoning home; --debug-addr=-: no
# second listening port.
nohup "${BIN}" \
  --handler=sqlite \
  --sqlite-url="file:${DIR}/" \
  --listen-addr="127.0.0.1:${PORT}" \
  --telemetry=disable \
  --state-dir=- \
  --debug-addr=- \
  >"${LOG}" 2>&1 </dev/null &
PID=$!
echo "${PID}" >"${PIDFILE}"

for _ in $(seq 1 100); do
  if port_answers; then
    echo "MONGODB_URL=mongodb://127.0.0.1:${PORT}/"
    exit 0
  fi
  if ! kill -0 "${PID}" 2>/dev/null; then
    echo "ferretdb exited during start; log follows (${LOG}):" >&2
    cat "${LOG}" >&2
    rm -f "${PIDFILE}"
    exit 1
  fi
  sleep 0.1
done

echo "ferretdb (PID ${PID}) did not answer on 127.0.0.1:${PORT} within 10s; see ${LOG}" >&2
exit 1
