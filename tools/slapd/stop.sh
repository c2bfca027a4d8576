#!/usr/bin/env bash
# stop.sh <dir> stops the slapd that start.sh started with that <dir>, by the PID it recorded
# (never by process name: a system slapd on this machine is not ours).
set -euo pipefail

DIR="${1:?usage: stop.sh <dir>}"
PIDFILE="${DIR}/slapd.pid"
[[ -f "${PIDFILE}" ]] || { echo "no ${PIDFILE}: nothing to stop"; exit 0; }
PID="$(cat "${PIDFILE}")"
[[ "${PID}" =~ ^[0-9]+$ ]] || { echo "bad PID in ${PIDFILE}: ${PID}" >&2; exit 1; }

if kill -0 "${PID}" 2>/dev/null; then
  kill -TERM "${PID}"
  for _ in $(seq 1 50); do
    kill -0 "${PID}" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "${PID}" 2>/dev/null; then
    echo "slapd (PID ${PID}) ignored SIGTERM for 5s; sending SIGKILL" >&2
    kill -KILL "${PID}" 2>/dev/null || true
  fi
  echo "stopped slapd (PID ${PID})"
else
  echo "slapd (PID ${PID}) was not running"
fi
rm -f "${PIDFILE}"
