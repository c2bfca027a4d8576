#!/usr/bin/env bash
# build.sh builds tools/docker-lint into .tools/bin/docker-lint (git-ignored) when it is missing or older
# than its sources. Go modules come from the module proxy on the first build (go.sum pins them).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HERE}/../.." && pwd)"
OUT="${ROOT}/.tools/bin/docker-lint"
command -v go >/dev/null || { echo "go is required to build docker-lint" >&2; exit 1; }
if [[ -x "${OUT}" ]] && [[ -z "$(find "${HERE}" -maxdepth 1 \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -newer "${OUT}")" ]]; then
  exit 0
fi
mkdir -p "$(dirname "${OUT}")"
cd "${HERE}"
echo "building ${OUT}"
GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "${OUT}.tmp" .
mv "${OUT}.tmp" "${OUT}"
