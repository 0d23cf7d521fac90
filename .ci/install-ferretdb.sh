#!/usr/bin/env bash
# Installs FerretDB (a MongoDB-compatible server on SQLite) for the MongoDB storage tests.
# v1.24.1 is not served by the Go module proxy here (403 "This module version is not available"), so
# this builds v1.24.0, the nearest release that is. `go install pkg@v1.24.0` fails too (the proxy
# refuses the module's version list), and the module zip lacks build/version/version.txt, which
# FerretDB's build normally generates: build from a writable copy of the module with that file added.
set -euo pipefail
VERSION=v1.24.0
GOBIN_DIR="$(go env GOPATH)/bin"
if [ -x "$GOBIN_DIR/ferretdb" ] && "$GOBIN_DIR/ferretdb" --version 2>/dev/null | grep -q "version: $VERSION"; then
  echo "ferretdb $VERSION already installed at $GOBIN_DIR/ferretdb"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
go mod download -json "github.com/FerretDB/FerretDB@$VERSION" > download.json || {
  echo "install-ferretdb: could not download github.com/FerretDB/FerretDB@$VERSION from the Go module proxy" >&2
  cat download.json >&2
  exit 1
}
src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' download.json)"
cp -r "$src" ferretdb-src
chmod -R u+w ferretdb-src
echo "$VERSION" > ferretdb-src/build/version/version.txt
mkdir -p "$GOBIN_DIR"
(cd ferretdb-src && GOFLAGS=-mod=mod go build -o "$GOBIN_DIR/ferretdb" ./cmd/ferretdb)
"$GOBIN_DIR/ferretdb" --version | head -n 1
