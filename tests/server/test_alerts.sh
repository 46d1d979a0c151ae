#!/bin/sh
# test_alerts.sh - monitoring alerts over HTTP: a store with alerts made with
# the `sanctum` command, listed and resolved through `sanctum serve`, and the
# refusals of both routes (see alerts_checks.py).
#
# Environment: SANCTUM_CLI, SANCTUM_DATA, SANCTUM_SOURCE_DIR.
set -eu
here=${SANCTUM_SOURCE_DIR:-$(dirname "$0")/../..}/tests/server
exec python3 "$here/alerts_checks.py"
