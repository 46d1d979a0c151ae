#!/bin/sh
# test_batch_group.sh - `sanctum batch` with workbooks and grouping by person,
# and `sanctum show` with every listing of a party, as a user runs them:
# XLSX in and out by file name, the error for XLSX on standard output, a
# broken workbook named in the error, one grouped hit for a person on two
# lists, and the linked listing printed by `show`.
#
# Environment: SANCTUM_CLI (the built binary), SANCTUM_DATA (the real lists).
set -eu

cli=${SANCTUM_CLI:?set SANCTUM_CLI to the sanctum binary}
: "${SANCTUM_DATA:?set SANCTUM_DATA to the data directory}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../cli_helpers.sh"

lists="--list ofac-sdn,un-sc"
printf 'id,name\nc1,Ayman al-Zawahiri\nc2,Maria Garcia Lopez\n' >"$tmp/in.csv"

# grouping: the OFAC and UN listings of one person are one row
if run 0 batch $lists --quiet --group-by person "$tmp/in.csv" --output "$tmp/out.csv" &&
    head -1 "$tmp/out.csv" | grep -q ',listings,error$' &&
    [ "$(grep -c '^c1,' "$tmp/out.csv")" -eq 1 ] &&
    grep '^c1,' "$tmp/out.csv" | grep -q 'ofac-sdn:2676' &&
    grep '^c1,' "$tmp/out.csv" | grep -q 'un-sc:QDi.006'; then ok; else bad "group-by person gives one CSV row per person"; fi

if run 2 batch $lists --group-by nation "$tmp/in.csv" && grep -q "takes 'person'" "$tmp/err"; then ok; else
    bad "group-by refuses anything but person"; fi

# XLSX out by file name, then back in
if run 0 batch $lists --quiet "$tmp/in.csv" --output "$tmp/out.xlsx" &&
    [ "$(head -c 2 "$tmp/out.xlsx")" = "PK" ]; then ok; else bad "writes an XLSX workbook by file name"; fi
if run 0 batch $lists --quiet "$tmp/out.xlsx" --name-column matched --id-column id &&
    grep -q '"ofac-sdn:2676"' "$tmp/out"; then ok; else bad "reads an XLSX workbook by file name, JSON Lines out"; fi

# XLSX on standard output is refused with a reason
if run 2 batch $lists --quiet "$tmp/in.csv" --output-format xlsx && grep -q 'give --output FILE.xlsx' "$tmp/err"; then ok
else bad "refuses XLSX on standard output"; fi

# a broken workbook is named in the error
cp "$tmp/in.csv" "$tmp/broken.xlsx"
if run 2 batch $lists --quiet "$tmp/broken.xlsx" && grep -q 'broken.xlsx.*not an XLSX workbook' "$tmp/err"; then ok
else bad "names a broken workbook"; fi

# show: every listing of the person
if run 0 show $lists ofac-sdn:2676 && grep -q '^  also listed: *un-sc:QDi.006' "$tmp/out" &&
    grep -q '^un-sc:QDi.006 ' "$tmp/out"; then ok; else bad "show prints the linked listing"; fi
if run 0 show $lists --json un-sc:QDi.006 && grep -q '"listings":\[{"entity":"ofac-sdn:2676"' "$tmp/out"; then ok
else bad "show --json has listings"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
