#!/bin/sh
# test_server.sh - `sanctum serve` end to end over real HTTP on loopback: every
# endpoint, API keys, reload under load, draining on SIGTERM, and every kind of
# hostile or broken client (see server_checks.py).
#
# Environment: SANCTUM_CLI, SANCTUM_DATA, SANCTUM_SOURCE_DIR.
set -eu
here=${SANCTUM_SOURCE_DIR:-$(dirname "$0")/../..}/tests/server
exec python3 "$here/server_checks.py"
