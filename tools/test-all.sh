#!/usr/bin/env bash
# The README's test command (`npm test`): installs what npm doesn't, starts every server the tests
# use on 127.0.0.1 (non-default ports), runs lint, unit, integration and end-to-end tests, stops the
# servers by PID, and prints one closing "tests: N passed, N failed, N skipped" line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export NX_DAEMON=false NX_NO_CLOUD=true NG_CLI_ANALYTICS=false NX_TUI=false
RUN_DIR="$(mktemp -d /tmp/portcullis-test.XXXXXX)"
export PORTCULLIS_TEST_TOTALS="${RUN_DIR}/totals"
: > "${PORTCULLIS_TEST_TOTALS}"

cleanup() {
  local rc=$?
  [[ -f "${RUN_DIR}/ferretdb/ferretdb.pid" ]] && bash tools/ferretdb/stop.sh "${RUN_DIR}/ferretdb" || true
  [[ -f "${RUN_DIR}/nats/nats.pid" ]] && bash tools/nats/stop.sh "${RUN_DIR}/nats" >/dev/null || true
  [[ -f "${RUN_DIR}/slapd/slapd.pid" ]] && bash tools/slapd/stop.sh "${RUN_DIR}/slapd" >/dev/null || true
  if (( rc != 0 )); then
    # A step that stops the run (a failing TAP suite under pipefail, a build error) may not have recorded its
    # counts: say which step it was, and count it as one failure so the closing line never reads "0 failed".
    printf '\nnpm test failed (exit %d) in step: %s\n' "${rc}" "${CURRENT_STEP:-set-up}" >&2
    echo "0 1 0" >> "${PORTCULLIS_TEST_TOTALS}"
  fi
  if [[ -s "${PORTCULLIS_TEST_TOTALS}" ]]; then
    awk '{p+=$1; f+=$2; s+=$3} END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s}' "${PORTCULLIS_TEST_TOTALS}"
  fi
  rm -rf "${RUN_DIR}"
  exit "${rc}"
}
trap cleanup EXIT

step() {
  CURRENT_STEP="$*"
  printf '\n==> %s\n' "$*"
}
# free_port N: N, or the next port after it that nothing on 127.0.0.1 answers (a developer may have a
# server of their own on the default; CI starts with none).
free_port() {
  local p="$1"
  while (exec 3<>"/dev/tcp/127.0.0.1/${p}") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1000))") 2>/dev/null; do p=$((p + 1)); done
  echo "${p}"
}

# ---- tools npm does not install
step "chromium (Debian) for the browser journey (playwright-core drives /usr/bin/chromium; no browser download)"
if [[ ! -x /usr/bin/chromium ]]; then
  SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  ${SUDO} apt-get update
  DEBIAN_FRONTEND=noninteractive ${SUDO} apt-get install -y chromium
fi

step "docker-registry and skopeo (Debian) for the real-registry end-to-end tests"
if [[ ! -x /usr/bin/docker-registry || ! -x /usr/bin/skopeo ]]; then
  SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  ${SUDO} apt-get update
  # policy-rc.d may block the package's own service (registry-interop §2); the tests run their own instance.
  DEBIAN_FRONTEND=noninteractive ${SUDO} apt-get install -y docker-registry skopeo
fi
echo "$(/usr/bin/docker-registry --version 2>/dev/null | head -1); $(/usr/bin/skopeo --version)"

step "nginx (Debian) for nginx -t on docker/'s rendered template (its service is not started)"
if [[ ! -x /usr/sbin/nginx ]]; then
  SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  ${SUDO} apt-get update
  # policy-rc.d may block the package's own service; the test only runs `nginx -t` on a temp prefix.
  DEBIAN_FRONTEND=noninteractive ${SUDO} apt-get install -y nginx
fi

step "nats-server (Debian) with JetStream for the NATS bus contract suite and the webhook tests"
if [[ -z "${NATS_URL:-}" ]]; then
  if ! command -v nats-server >/dev/null && [[ ! -x /usr/sbin/nats-server ]]; then
    SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
    ${SUDO} apt-get update
    DEBIAN_FRONTEND=noninteractive ${SUDO} apt-get install -y nats-server
  fi
  # One server for the whole run; every test uses its own stream, so suites never see each other's messages.
  NATS_PORT="$(free_port "${NATS_PORT:-14222}")"
  bash tools/nats/start.sh "${NATS_PORT}" "${RUN_DIR}/nats" >/dev/null
  export NATS_URL="nats://127.0.0.1:${NATS_PORT}"
  echo "NATS_URL=${NATS_URL}"
else
  echo "using NATS_URL from the environment"
fi

step "slapd (Debian OpenLDAP) for the LDAP login and group sync tests"
if [[ -z "${LDAP_TEST_URL:-}" ]]; then
  if [[ ! -x /usr/sbin/slapd || ! -x /usr/bin/ldapadd ]]; then
    SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
    ${SUDO} apt-get update
    # policy-rc.d may block the package's own daemon; the tests run a throwaway instance (registry-interop §7).
    DEBIAN_FRONTEND=noninteractive ${SUDO} apt-get install -y slapd ldap-utils
  fi
  # One directory for the whole run; specs name what they add per run, so they never collide.
  SLAPD_PORT="${SLAPD_PORT:-13389}"
  bash tools/slapd/start.sh "${SLAPD_PORT}" "${RUN_DIR}/slapd" >/dev/null
  export LDAP_TEST_URL="ldap://127.0.0.1:${SLAPD_PORT}/"
  echo "LDAP_TEST_URL=${LDAP_TEST_URL}"
else
  echo "using LDAP_TEST_URL from the environment"
fi

step "FerretDB (MongoDB wire protocol, SQLite backend) for the MongoDB read-store contract suite"
if [[ -z "${MONGODB_URL:-}" ]]; then
  bash tools/ferretdb/build.sh
  FERRET_PORT="$(free_port "${FERRET_PORT:-27117}")"
  bash tools/ferretdb/start.sh "${FERRET_PORT}" "${RUN_DIR}/ferretdb" >/dev/null
  export MONGODB_URL="mongodb://127.0.0.1:${FERRET_PORT}/"
  echo "MONGODB_URL=${MONGODB_URL}"
else
  echo "using MONGODB_URL from the environment"
fi
[[ -n "${EVENTSTORE_URL:-}" ]] || echo "EVENTSTORE_URL not set: the EventStoreDB contract suite will print that it is skipped (no EventStoreDB package exists for this machine)"

# ---- static checks
step "format and lint"
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "prettier: run npm run format" >&2; exit 1; }
npx nx run-many -t lint --skip-nx-cache --outputStyle=static

# ---- unit, integration and API tests (jest, one run per project)
step "jest: domain, contracts, config, persistence, read-models, api, projector, web"
npx nx run-many -t test --skip-nx-cache --outputStyle=static

# ---- build and the embedded default end to end
step "build"
npx nx run-many -t build -p api projector web --skip-nx-cache --outputStyle=static
step "smoke: npm start on a bare data dir, restart, state kept"
node --test tools/smoke/ | tee "${RUN_DIR}/smoke.tap"
# node's runner prints TAP summaries; fold them into the closing totals line.
awk '/^# pass /{p=$3} /^# fail /{f=$3} /^# skipped /{s=$3} END {print p+0, f+0, s+0}' "${RUN_DIR}/smoke.tap" >> "${PORTCULLIS_TEST_TOTALS}"

step "browser journey: Chromium (playwright-core) against npm start + docker-registry + skopeo (apps/web/e2e)"
node --test --test-timeout=600000 apps/web/e2e/ | tee "${RUN_DIR}/journey.tap"
awk '/^# pass /{p=$3} /^# fail /{f=$3} /^# skipped /{s=$3} END {print p+0, f+0, s+0}' "${RUN_DIR}/journey.tap" >> "${PORTCULLIS_TEST_TOTALS}"

# ---- docker/ (after the build: its registry-config test runs the built api CLI)
step "docker/: compose, Dockerfile and README checked without a daemon (tools/docker-lint), nginx -t, registry-config + registry"
bash tools/docker-lint/build.sh
node --test tools/docker-lint/test/ | tee "${RUN_DIR}/docker-lint.tap"
awk '/^# pass /{p=$3} /^# fail /{f=$3} /^# skipped /{s=$3} END {print p+0, f+0, s+0}' "${RUN_DIR}/docker-lint.tap" >> "${PORTCULLIS_TEST_TOTALS}"
