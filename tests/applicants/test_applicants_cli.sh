#!/bin/sh
# test_applicants_cli.sh - `sanctum applicants screen` as a hiring team uses
# it: usage errors, the JSON Lines output on the synthetic set (each
# fraudulent pattern caught by its rule, clean applicants not flagged, the
# clusters at the end), standard input, --exit-code, error records for bad
# lines, and the HTML report opened in headless Chromium with a screenshot
# kept under the build directory (applicants/applicants.png).
#
# Environment: SANCTUM_CLI, SANCTUM_DATA, SANCTUM_SOURCE_DIR, SANCTUM_BUILD_DIR.
set -eu

cli=${SANCTUM_CLI:?set SANCTUM_CLI to the sanctum binary}
src=${SANCTUM_SOURCE_DIR:?set SANCTUM_SOURCE_DIR to the source tree}
build=${SANCTUM_BUILD_DIR:?set SANCTUM_BUILD_DIR to the build tree}
set_=$src/tests/applicants/data/applicants.jsonl
bad_=$src/tests/applicants/data/bad.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../cli_helpers.sh"

# q JQ_FILTER: the filter over the record lines of $tmp/out, raw output
q() { jq -r "select(has(\"id\")) | $1" "$tmp/out"; }

# ---- usage ----------------------------------------------------------------------
check "applicants --help exits 0" 0 applicants --help
if grep -q "Usage: sanctum applicants screen" "$tmp/out"; then ok; else bad "--help shows the usage"; fi
check "no action exits 2" 2 applicants
check "unknown action exits 2" 2 applicants frobnicate
check "bad --format exits 2" 2 applicants screen "$set_" --format pdf
if grep -q "jsonl or html" "$tmp/err"; then ok; else bad "bad --format is explained"; fi
check "missing file exits 2" 2 applicants screen "$tmp/none.jsonl"
if grep -q "none.jsonl" "$tmp/err"; then ok; else bad "missing file is named"; fi

# ---- the synthetic set -------------------------------------------------------------
check "screen with --exit-code exits 1 on high risk" 1 applicants screen "$set_" --exit-code
cp "$tmp/out" "$tmp/set.jsonl"
[ "$(wc -l <"$tmp/out")" -eq 31 ] && ok || bad "27 record lines and 4 cluster lines"
[ "$(q .id | head -1)" = "c-01" ] && [ "$(q .id | tail -1)" = "op-4" ] && ok || bad "records in input order"
if grep -q "27 records: 13 high, 5 medium, 9 low risk; 4 clusters" "$tmp/err"; then ok; else bad "summary on stderr"; fi

for id in c-01 c-02 c-03 c-04 c-05; do
    [ "$(q "select(.id == \"$id\") | \"\(.risk) \(.rules | length) \(.cluster)\"")" = "low 0 null" ] && ok ||
        bad "clean applicant $id is not flagged"
done

# expect ID RULE: the record raised the rule
expect() {
    if [ "$(q "select(.id == \"$1\") | [.rules[].rule] | index(\"$2\") != null")" = "true" ]; then ok
    else bad "$1 raises $2"; fi
}
expect s-name SANCTIONS_NAME
expect s-wallet SANCTIONS_WALLET
expect s-passport SANCTIONS_DOCUMENT
expect l-cnru LOGIN_FROM_CN_RU
expect l-cnru ANONYMIZED_NETWORK
expect l-cnru LOGIN_MANY_COUNTRIES
expect l-session LONG_SESSION
expect l-ip-2 MANY_ACCOUNTS_ONE_IP
expect p-crypto CRYPTO_PAY
expect p-payee PAYEE_NAME_MISMATCH
expect p-payee PAY_COUNTRY_MISMATCH
expect e-farm-1 SHIPPING_ADDRESS_MISMATCH
expect e-farm-2 SHARED_SHIPPING_ADDRESS
expect i-camera CAMERA_REFUSED
expect i-photo-2 REUSED_PHOTO
expect i-photo-2 REUSED_RESUME
expect t-remote REMOTE_ACCESS_TOOL
expect n-mismatch NAME_MISMATCH
expect op-3 SHARED_PAYMENT_ACCOUNT
expect op-3 CLUSTER_MEMBER

# "Daniel Park" is also close to an alias of a UK listing (Daniel PAK); the passport hit is the one
# on the field documents[0]
[ "$(q 'select(.id == "s-passport") | [.sanctions_hits[] | select(.field == "documents[0]")][0].entity')" = "ofac-sdn:43377" ] && ok ||
    bad "passport hit names the listed entity"
[ "$(q 'select(.id == "s-passport") | [.sanctions_hits[] | select(.entity == "ofac-sdn:43377")][0].field')" = "documents[0]" ] && ok ||
    bad "hit says which field matched"
# "Ri Hyon Chol" is one letter from 리혁철 (Ri Hyok Chol) on the Korean list
[ "$(q 'select(.id == "n-mismatch") | .risk')" = "high" ] && ok || bad "a near match on the Korean list makes n-mismatch high risk"
members=$(jq -r 'select(has("members")) | select(.shared.payment_account) | .members | join(",")' "$tmp/out")
[ "$members" = "op-1,op-2,op-3,op-4" ] && ok || bad "one-account cluster lists its four members (got '$members')"
[ "$(q 'select(.id | startswith("op-")) | .risk' | sort -u)" = "high" ] && ok || bad "every cluster member is high risk"

# ---- standard input -------------------------------------------------------------------
if "$cli" applicants screen - --quiet <"$set_" >"$tmp/stdin.jsonl" 2>"$tmp/err" && cmp -s "$tmp/stdin.jsonl" "$tmp/set.jsonl"; then
    ok
else
    bad "standard input gives the same output"
fi

# ---- bad input, --output, --exit-code with no high risk ------------------------------
check "bad lines do not stop the run; --exit-code exits 0 with no high risk" 0 applicants screen "$bad_" \
    --exit-code --output "$tmp/bad.jsonl"
[ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/bad.jsonl")" -eq 6 ] && ok || bad "--output writes there, not to stdout"
[ "$(jq -r 'select(.error) | .line' "$tmp/bad.jsonl" | tr '\n' ' ')" = "3 4 5 " ] && ok || bad "error records for lines 3, 4, 5"
if grep -q "bad.jsonl:3: invalid JSON" "$tmp/bad.jsonl"; then ok; else bad "error names file and line"; fi
if grep -q "3 rejected lines" "$tmp/err"; then ok; else bad "rejected lines counted on stderr"; fi

# ---- HTML report and its screenshot ---------------------------------------------------
mkdir -p "$build/applicants"
html=$build/applicants/applicants.html
png=$build/applicants/applicants.png
check "html report" 0 applicants screen "$set_" --format html --output "$html" --quiet
for s in "<!DOCTYPE html>" "Linked records" "SHARED_PAYMENT_ACCOUNT" "ofac-sdn:43377" "op-4" "No warning signs found"; do
    if grep -q -- "$s" "$html"; then ok; else bad "html report contains '$s'"; fi
done
if [ -x /usr/bin/chromium ]; then
    rm -f "$png"
    timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --screenshot="$png" --window-size=1280,1600 \
        --disable-background-networking --no-first-run --user-data-dir="$tmp/chromium" "file://$html" \
        >"$tmp/chromium.log" 2>&1 || true
    if [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
        [ "$(wc -c <"$png")" -gt 20000 ]; then
        ok
    else
        bad "chromium renders the report to $png"
        tail -5 "$tmp/chromium.log" >&2
    fi
else
    echo "skip: /usr/bin/chromium not installed; no screenshot" >&2
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
