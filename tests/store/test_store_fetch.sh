#!/bin/sh
# test_store_fetch.sh - `sanctum update --from URL` against a local HTTP
# server (127.0.0.1, a free port, stops by itself) that serves the files,
# drops the connection mid-file, serves garbage, answers 404 and stalls:
# only a complete, valid download is stored, and a refusal leaves the
# active version as it was.
#
# Environment: SANCTUM_CLI (the built binary), SANCTUM_DATA (the real lists),
# SANCTUM_SOURCE_DIR (the source tree).
set -eu
. "$(dirname "$0")/store_fixture.sh"
mk_lists "$tmp/v2" 's/AEROCARIBBEAN AIRLINES/AEROCARIBBEAN AIRWAYS/'

# ---- downloads --------------------------------------------------------------------------
python3 "$src/tests/store/http_fixture.py" "$tmp/v2" "$tmp/port" 90 &
server_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"
export SANCTUM_HOME="$tmp/dl"
check "download of the lists exits 0" 0 update --timeout 20 --from "$base/ok/sdn.csv" --from "$base/ok/consolidated.xml"
desc="the download is stored"; expect out_has "stored version 1"
check "a connection dropped mid-file is refused" 2 update --timeout 20 --from "$base/drop/consolidated.xml"
desc="the refusal names the short transfer"; expect err_has "connection ended"
desc="a drop leaves the active version"; expect err_has "version 1 stays active"
check "garbage is refused" 2 update --timeout 20 --from "$base/garbage/consolidated.xml"
desc="garbage leaves the active version"; expect err_has "version 1 stays active"
check "garbage in place of the OFAC list is refused" 2 update --timeout 20 --from "$base/garbage/sdn.csv"
check "a 404 is refused" 2 update --timeout 20 --from "$base/missing/sdn.csv"
desc="the status is named"; expect err_has "HTTP 404"
check "a silent server times out" 2 update --timeout 2 --from "$base/slow/sdn.csv"
desc="the timeout is named"; expect err_has "timed out"
check "a file name that fits no list is refused" 2 update --from "$base/ok/other.csv"
desc="the refusal says how to place it"; expect err_has "FOLDER/FILE=URL"
check "FOLDER/FILE=URL places a file" 0 update --timeout 20 --from "un-sc/consolidated.xml=$base/ok/consolidated.xml"
desc="the same file stores nothing"; expect out_has "unchanged"
check "a file over --max-size is refused" 2 update --max-size 1000 --from "$base/ok/consolidated.xml"
check "folders and addresses cannot be mixed" 2 update --from "$tmp/v1" --from "$base/ok/sdn.csv"
check "the downloaded version is still the only one" 0 versions --json
if python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert len(v)==1 and v[0]["active"], v' "$tmp/out"; then ok; else bad "refused downloads store nothing"; fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
