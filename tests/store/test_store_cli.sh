#!/bin/sh
# test_store_cli.sh - list versions, diffs, monitoring, alerts and the audit
# trail through the `sanctum` command, and screening from the active stored
# version instead of the data folder.
#
# Environment: SANCTUM_CLI (the built binary), SANCTUM_DATA (the real lists),
# SANCTUM_SOURCE_DIR (the source tree).
set -eu
. "$(dirname "$0")/store_fixture.sh"
# v2: one entity renamed, one wallet gone, one entity removed
mk_lists "$tmp/v2" 's/AEROCARIBBEAN AIRLINES/AEROCARIBBEAN AIRWAYS/; s/Digital Currency Address - XBT 1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ; //; /^173,/d'
# v3: half of the OFAC entries gone
mkdir -p "$tmp/v3/ofac-sdn"
head -n 200 "$tmp/v1/ofac-sdn/sdn.csv" >"$tmp/v3/ofac-sdn/sdn.csv"

# ---- update, versions, diff -------------------------------------------------------
check "versions without a database exits 2" 2 versions
expect err_has "no database"
check "update --help exits 0" 0 update --help
desc="update --help shows its usage"; expect out_has "Usage: sanctum update"
check "update --from a folder exits 0" 0 update --from "$tmp/v1"
desc="the first update stores version 1"; expect out_has "stored version 1"
check "updating with the same files exits 0" 0 update --from "$tmp/v1"
desc="the same files store nothing"; expect out_has "unchanged"
check "screening without --data uses the stored version" 0 screen "Aerocaribbean Airlines" --json
desc="the stored version has the listed name"; expect out_has "AEROCARIBBEAN AIRLINES"
check "update to a changed folder exits 0" 0 update --from "$tmp/v2"
desc="the second update reports the changes"; expect out_has "stored version 2 (now active): 0 added, 1 removed, 2 changed"
check "screening follows the new active version" 0 screen "Aerocaribbean Airways" --json
desc="the new name is screened"; expect out_has '"name":"AEROCARIBBEAN AIRWAYS"'
check "the old name is gone from the active version" 0 screen "Aerocaribbean Airlines" --json
desc="the old name does not hit"; if out_has '"name":"AEROCARIBBEAN AIRLINES"'; then bad "$desc"; else ok; fi
check "--data still wins over the stored version" 0 screen "Aerocaribbean Airlines" --json --data "$tmp/v1"
desc="--data gives the file's name"; expect out_has '"name":"AEROCARIBBEAN AIRLINES"'
check "diff of the two latest exits 0" 0 diff
desc="diff counts the changes"; expect out_has "version 1 -> 2: 0 added, 1 removed, 2 changed"
desc="diff names a renamed entity's part"; expect out_has "ofac-sdn:36 .*(name)"
desc="diff lists the wallet that went"; expect out_has "- wallet: XBT 1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ"
check "diff --json exits 0" 0 diff 1 2 --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["removed"]==1 and d["changed"]==2, d' "$tmp/out"; then ok; else bad "diff --json counts"; fi
check "diff of unknown versions exits 2" 2 diff 1 9
check "a drop of half the entries is refused" 2 update --from "$tmp/v3"
desc="the refusal says what to do"; expect err_has "use --force"
desc="the refusal says which version stays"; expect err_has "version 2 stays active"
check "versions --json exits 0" 0 versions --json
if python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert len(v)==2 and v[1]["active"] and not v[0]["active"], v' "$tmp/out"; then ok; else bad "versions --json shows version 2 active"; fi
check "versions --activate goes back" 0 versions --activate 1
desc="version 1 is active again"; expect out_has "^\* 1 "
check "versions --activate 2" 0 versions --activate 2

# ---- monitoring and alerts ----------------------------------------------------------
cat >"$tmp/people.jsonl" <<'EOF'
{"id": "c1", "name": "Kim Sang-man", "type": "person"}
{"id": "c2", "name": "Maria Garcia Lopez"}
{"id": 3, "name": "Aerocaribbean Airways"}
{"id": "c5", "wallets": ["0x97b1043abd9e6fc31681635166d430a458d14f9c"]}
EOF
printf '{"id": "x", "name": "ok"}\n{"id": "y" "name": "broken"}\n' >"$tmp/broken.jsonl"
check "monitor add of a bad file exits 2" 2 monitor add "$tmp/broken.jsonl"
desc="the bad line is named"; expect err_has "broken.jsonl:2"
check "monitor add exits 0" 0 monitor add "$tmp/people.jsonl"
desc="monitor add counts the records"; expect out_has "4 added, 0 replaced; 4 records monitored"
check "monitor run exits 0" 0 monitor run --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["subjects"]==4 and d["new_alerts"]==3, d' "$tmp/out"; then ok; else bad "the first run raises three alerts"; fi
check "a second run exits 0" 0 monitor run --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["new_alerts"]==0 and d["known"]==3, d' "$tmp/out"; then ok; else bad "a second run raises nothing new"; fi
check "alerts --json exits 0" 0 alerts --json
first=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print([x["id"] for x in a if x["subject"]=="c1"][0])' "$tmp/out")
check "resolving as a false positive exits 0" 0 alerts resolve "$first" --false-positive --note "born 1990, other person"
check "resolving twice exits 2" 2 alerts resolve "$first" --true-match
check "resolve without a verdict exits 2" 2 alerts resolve "$first"
check "alerts lists open ones" 0 alerts
desc="the resolved alert is not open"; if out_has "^$first "; then bad "$desc"; else ok; fi
check "alerts --all lists resolved ones" 0 alerts --all
desc="the note is shown"; expect out_has "born 1990, other person"
check "a run after resolving exits 0" 0 monitor run --json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["suppressed"]==1 and d["new_alerts"]==0, d' "$tmp/out"; then ok; else bad "the false positive is suppressed"; fi
check "monitor run refuses --data" 2 monitor run --data "$real_data"

# ---- audit trail ----------------------------------------------------------------------
check "screen --audit exits 0" 0 screen "Kim Sang-man" --audit --limit 3
desc="screen --audit acknowledges the record"; expect err_has "audit: record 1 committed"
check "batch --audit exits 0" 0 batch --audit --quiet "$tmp/people.jsonl"
desc="batch --audit acknowledges its records"; expect err_has "audit: records 2-5 committed"
check "batch --audit refuses CSV" 2 batch --audit --quiet --output-format csv "$tmp/people.jsonl"
check "audit export exits 0" 0 audit export --since 1d
desc="audit export writes every record"; expect test "$(wc -l <"$tmp/out")" -eq 5
if python3 -c '
import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
r=rows[0]
assert r["who"] and r["query"]["name"]=="Kim Sang-man" and r["lists"]["version"]==2 and r["threshold"]==0.8, r
assert r["hits"][0]["entity"]=="ofac-sdn:43377", r
assert rows[1]["query"]["id"]=="c1"' "$tmp/out"; then ok; else bad "audit records hold who, query, lists, hits and threshold"; fi
check "audit export --format csv exits 0" 0 audit export --format csv --since 2000-01-01
desc="the CSV has a header and five rows"; expect test "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))))' "$tmp/out")" -eq 6
check "audit export of the future is empty" 0 audit export --since 2999-01-01T00:00:00Z
desc="nothing after the future"; expect test ! -s "$tmp/out"
check "a bad --since exits 2" 2 audit export --since yesterday
if sqlite3 "$SANCTUM_HOME/sanctum.db" "DELETE FROM audit" 2>"$tmp/err"; then bad "the audit trail refuses DELETE"; else ok; fi
desc="the refusal says why"; expect err_has "append-only"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
