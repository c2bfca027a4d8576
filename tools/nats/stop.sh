#!/usr/bin/env bash
# stop.sh <dir> stops the nats-server that start.sh started with that <dir>, by the PID it recorded.
set -euo pipefail
DIR="${1:?usage: stop.sh <dir>}"
exec bash "$(dirname "${BASH_SOURCE[0]}")/../lib/stop-by-pid.sh" "${DIR}/nats.pid" nats-server
