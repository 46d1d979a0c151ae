#!/bin/sh
# test_server_xlsx.sh - workbooks through POST /v1/screen/batch: an XLSX
# upload (tests/server/data/customers.xlsx, written with libxlsxwriter) is
# screened like CSV, broken workbooks give a 400 naming the problem, and the
# results download as a workbook with the columns of `sanctum batch --format
# xlsx` (see server_xlsx_checks.py).
#
# Environment: SANCTUM_CLI, SANCTUM_DATA, SANCTUM_SOURCE_DIR.
set -eu
here=${SANCTUM_SOURCE_DIR:-$(dirname "$0")/../..}/tests/server
exec python3 "$here/server_xlsx_checks.py"
