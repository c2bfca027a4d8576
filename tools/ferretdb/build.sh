#!/usr/bin/env bash
# build.sh builds FerretDB into .tools/bin/ferretdb (git-ignored) unless it is already there.
#
# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the module zip lacks
# build/version/version.txt, and the binary it builds panics at start (FerretDB #2982). So we copy
# the downloaded module to a temp dir, write the version file, and build from that copy.
set -euo pipefail

VERSION="${FERRETDB_VERSION:-v1.24.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${ROOT}/.tools/bin/ferretdb"

if [[ -x "${OUT}" ]] && "${OUT}" --version 2>/dev/null | grep -q "${VERSION}"; then
  echo "ferretdb ${VERSION} already built: ${OUT}"
  exit 0
fi

command -v go >/dev/null || { echo "go is required to build FerretDB" >&2; exit 1; }

# Building outside any module keeps the workspace's own go.mod/go.work (if any) out of the way.
WORK="$(mktemp -d)"
trap 'chmod -R u+w "${WORK}" 2>/dev/null || true; rm -rf "${WORK}"' EXIT
cd "${WORK}"

echo "downloading github.com/FerretDB/FerretDB@${VERSION}"
DIR="$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@${VERSION}" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -n "${DIR}" && -d "${DIR}" ]] || { echo "go mod download gave no module dir" >&2; exit 1; }

# The module cache is read-only; build from a writable copy.
cp -R "${DIR}" "${WORK}/src"
chmod -R u+w "${WORK}/src"
mkdir -p "${WORK}/src/build/version"
printf '%s' "${VERSION}" > "${WORK}/src/build/version/version.txt"

mkdir -p "$(dirname "${OUT}")"
cd "${WORK}/src"
echo "building ${OUT}"
# -trimpath: reproducible paths; -buildvcs=false: the copy is not a git checkout.
CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "${OUT}.tmp" ./cmd/ferretdb
mv "${OUT}.tmp" "${OUT}"
"${OUT}" --version
echo "built ${OUT}"
