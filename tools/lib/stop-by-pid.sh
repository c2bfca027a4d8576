#!/usr/bin/env bash
# stop-by-pid.sh <pidfile> <name> stops the server a tools/*/start.sh started, by the PID it recorded
# — never by process name: a system or a developer's own server of the same kind is not ours.
# SIGTERM first, SIGKILL after 5 s; removes the PID file.
set -euo pipefail

PIDFILE="${1:?usage: stop-by-pid.sh <pidfile> <name>}"
NAME="${2:?usage: stop-by-pid.sh <pidfile> <name>}"
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
    echo "${NAME} (PID ${PID}) ignored SIGTERM for 5s; sending SIGKILL" >&2
    kill -KILL "${PID}" 2>/dev/null || true
  fi
  echo "stopped ${NAME} (PID ${PID})"
else
  echo "${NAME} (PID ${PID}) was not running"
fi
rm -f "${PIDFILE}"
