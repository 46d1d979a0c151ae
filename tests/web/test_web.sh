#!/bin/sh
# test_web.sh - the analysts' page end to end in headless Chromium: type a
# name, see the right hit first, open it, upload a CSV and an XLSX workbook,
# get the results and download them as CSV and as a workbook. playwright-core (from npm) drives Debian's /usr/bin/chromium; it is
# installed once into the build directory. Screenshots are kept under
# $SANCTUM_BUILD_DIR/web-test/.
#
# Environment: SANCTUM_CLI, SANCTUM_DATA, SANCTUM_SOURCE_DIR, SANCTUM_BUILD_DIR.
set -eu
cli=${SANCTUM_CLI:?set SANCTUM_CLI to the sanctum binary}
data=${SANCTUM_DATA:?set SANCTUM_DATA to the data directory}
src=${SANCTUM_SOURCE_DIR:?set SANCTUM_SOURCE_DIR}
build=${SANCTUM_BUILD_DIR:?set SANCTUM_BUILD_DIR}
work=$build/web-test
cache=$work/npm
mkdir -p "$work" "$cache"

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
    echo "skip: needs /usr/bin/chromium and node" >&2
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -f "$cache/node_modules/playwright-core/package.json" ]; then
    if ! npm install --prefix "$cache" --no-audit --no-fund playwright-core >"$work/npm.log" 2>&1; then
        echo "FAIL: npm could not install playwright-core (see $work/npm.log)" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$cli" --data "$data" serve --listen 127.0.0.1:0 --port-file "$tmp/port" --threads 2 2>"$tmp/server.log" &
pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 1200 ]; then
        echo "FAIL: the server did not start" >&2
        cat "$tmp/server.log" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
    sleep 0.1
    i=$((i + 1))
done
port=$(cat "$tmp/port")

set +e
SANCTUM_URL="http://127.0.0.1:$port/" PLAYWRIGHT_DIR="$cache/node_modules/playwright-core" \
    SHOT_DIR="$work" PROFILE_DIR="$tmp/profile" timeout 240 node "$src/tests/web/e2e.js"
rc=$?
set -e
exit $rc
