#!/bin/sh
# test_store_kill.sh - nothing is lost when the process dies: SIGKILL during
# an update, during a monitor run and during audited batch screening, then
# restart and check that the database passes PRAGMA integrity_check, that
# the previous list version is intact and still loads, that an interrupted
# monitor run can simply be run again, and that every audit record the
# process acknowledged is present.
#
# Environment: SANCTUM_CLI (the built binary), SANCTUM_DATA (the real lists).
set -eu

cli=${SANCTUM_CLI:?set SANCTUM_CLI to the sanctum binary}
real_data=${SANCTUM_DATA:?set SANCTUM_DATA to the data directory}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 1; }
tmp=$(mktemp -d)
bg=
cleanup() {
    if [ -n "$bg" ]; then kill -9 "$bg" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
. "$(dirname "$0")/../cli_helpers.sh"
expect() { desc=$1; shift; if "$@"; then ok; else bad "$desc"; fi; }

export SANCTUM_HOME="$tmp/home"
unset SANCTUM_DB SANCTUM_DATA
db="$SANCTUM_HOME/sanctum.db"
q() { sqlite3 "$db" "$1"; }
integrity_ok() { [ "$(q 'PRAGMA integrity_check')" = ok ]; }

# waits (at most 30 s) until the command succeeds or the background job ends
wait_for() {
    i=0
    while [ $i -lt 600 ]; do
        if sh -c "$1" 2>/dev/null; then return 0; fi
        kill -0 "$bg" 2>/dev/null || return 1
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
kill_bg() {
    kill -9 "$bg" 2>/dev/null || true
    wait "$bg" 2>/dev/null || true
    bg=
}

# ---- version 1: a small list ----------------------------------------------------------
mkdir -p "$tmp/v1/ofac-sdn"
{ head -n 400 "$real_data/ofac-sdn/sdn.csv"; grep -a '^43377,' "$real_data/ofac-sdn/sdn.csv"; } >"$tmp/v1/ofac-sdn/sdn.csv"
"$cli" update --from "$tmp/v1" >/dev/null
"$cli" versions --json >"$tmp/before.json"
v1_entities=$(q "SELECT entities FROM versions WHERE id = 1")

# ---- 1. SIGKILL during an update ------------------------------------------------------
# the full lists take a few seconds to store; kill once the transaction has
# written a few megabytes to the write-ahead log
"$cli" update --from "$real_data" >"$tmp/update.out" 2>&1 &
bg=$!
if wait_for "[ \$(stat -c %s '$db-wal' 2>/dev/null || echo 0) -gt 4000000 ]"; then
    kill_bg
    ok
else
    kill_bg
    bad "the update was not caught mid-write (it ended first)"
fi
expect "the database is consistent after a kill during an update" integrity_ok
active=$(q "SELECT version FROM active")
expect "the kill left version 1 active" [ "$active" = 1 ]
expect "the half-written version left no rows" [ "$(q 'SELECT count(*) FROM versions')" = 1 ]
expect "no file rows of the half-written version remain" [ "$(q 'SELECT count(*) FROM version_files WHERE version <> 1')" = 0 ]
expect "no entity rows of the half-written version remain" [ "$(q 'SELECT count(*) FROM entity_versions WHERE version <> 1')" = 0 ]
expect "version 1 keeps its entities" [ "$(q 'SELECT count(*) FROM entity_versions WHERE version = 1')" = "$v1_entities" ]
"$cli" versions --json >"$tmp/after.json"
expect "version 1 is described as before" python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a == b, (a, b)' "$tmp/before.json" "$tmp/after.json"
rm -rf "$db.versions"   # the stored bytes alone must bring version 1 back
expect "version 1 still loads and screens" sh -c "'$cli' screen 'Kim Sang-man' --json | grep -q 'ofac-sdn:43377'"
expect "the update works after the kill" sh -c "'$cli' update --from '$tmp/v1' | grep -q unchanged"

# ---- 2. SIGKILL during a monitor run ---------------------------------------------------
# 6,000 records, each named after a listed entity so that every one hits
python3 - "$tmp/v1/ofac-sdn/sdn.csv" "$tmp/people.jsonl" <<'EOF'
import csv, json, sys
names = [row[1] for row in csv.reader(open(sys.argv[1], encoding="latin-1")) if len(row) > 2 and row[2] != "-0- " and row[1]]
names = [n for n in names if len(n) > 6][:300] or ["KIM, Sang Man"]
with open(sys.argv[2], "w") as out:
    for i in range(6000):
        out.write(json.dumps({"id": "p%d" % i, "name": names[i % len(names)]}) + "\n")
EOF
"$cli" monitor add "$tmp/people.jsonl" >/dev/null
"$cli" monitor run --threads 2 >"$tmp/run.out" 2>&1 &
bg=$!
if wait_for "[ \$(sqlite3 '$db' 'SELECT count(*) FROM alerts' 2>/dev/null || echo 0) -gt 0 ]"; then
    kill_bg
    ok
else
    kill_bg
    bad "the monitor run was not caught mid-run"
fi
expect "the database is consistent after a kill during a monitor run" integrity_ok
partial=$(q "SELECT count(*) FROM alerts")
expect "the killed run kept the alerts it committed" [ "$partial" -gt 0 ]
expect "the killed run is on record as unfinished" [ "$(q 'SELECT count(*) FROM monitor_runs WHERE finished IS NULL')" = 1 ]
"$cli" monitor run --threads 2 --json >"$tmp/rerun.json"
total=$(q "SELECT count(*) FROM alerts")
expect "running again finishes the work without raising an alert twice" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
partial, total = int(sys.argv[2]), int(sys.argv[3])
assert d["subjects"] == 6000, d
assert d["known"] >= partial and d["new_alerts"] + d["known"] == total, (d, partial, total)' "$tmp/rerun.json" "$partial" "$total"
expect "no (record, entity, listing) pair has two alerts" [ "$(q 'SELECT count(*) FROM (SELECT 1 FROM alerts GROUP BY subject, entity, entity_hash HAVING count(*) > 1)')" = 0 ]

# ---- 3. SIGKILL during audited screening -------------------------------------------------
"$cli" batch --audit --threads 2 --quiet "$tmp/people.jsonl" >"$tmp/batch.out" 2>"$tmp/batch.err" &
bg=$!
if wait_for "[ \$(grep -c 'committed' '$tmp/batch.err') -ge 3 ]"; then
    kill_bg
    ok
else
    kill_bg
    bad "the audited batch was not caught mid-run"
fi
expect "the database is consistent after a kill during audit writes" integrity_ok
last=$(sed -n 's/.*audit: records [0-9]*-\([0-9]*\) committed.*/\1/p' "$tmp/batch.err" | tail -n 1)
expect "the batch acknowledged records before the kill" [ -n "$last" ]
expect "every acknowledged audit record is present" [ "$(q "SELECT count(*) FROM audit WHERE id <= ${last:-0}")" = "${last:-x}" ]
expect "the batch was stopped before the end" [ "$(q 'SELECT count(*) FROM audit')" -lt 6000 ]
shown=$(wc -l <"$tmp/batch.out")
expect "no result was shown before its record was on disk" [ "$shown" -le "$(q 'SELECT count(*) FROM audit')" ]
expect "the audit trail exports after the kill" sh -c "'$cli' audit export | wc -l | grep -q '^$(q 'SELECT count(*) FROM audit')\$'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
