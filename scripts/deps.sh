#!/bin/sh
# Installs the Debian packages sanctum needs, only those that are missing.
#   scripts/deps.sh build   - what building and running needs
#   scripts/deps.sh test    - that plus the test, fuzz and benchmark tools
# Everything it prints goes to stderr so that `make -s run` keeps stdout clean.
set -eu
exec 1>&2

build_pkgs="build-essential cmake pkg-config libicu-dev libxml2-dev libjansson-dev libssl-dev
            libmicrohttpd-dev libcurl4-openssl-dev libsqlite3-dev libzip-dev libxlsxwriter-dev"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev postgresql-15 postgresql-server-dev-15 chromium wrk"

want="$build_pkgs"
[ "${1:-build}" = test ] && want="$want $test_pkgs"

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "sanctum: installing missing packages:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "sanctum: need root (or sudo) to install:$missing" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
