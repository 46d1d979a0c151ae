#!/bin/sh
# test_openapi.sh - docs/openapi.yaml against what the server really returns:
# the served document is the file, every documented path answers, and every
# JSON response validates against the schema documented for its status.
#
# Environment: SANCTUM_CLI, SANCTUM_DATA, SANCTUM_SOURCE_DIR.
set -eu
here=${SANCTUM_SOURCE_DIR:-$(dirname "$0")/../..}/tests/server
exec python3 "$here/openapi_checks.py"
