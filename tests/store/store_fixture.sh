# store_fixture.sh - sourced by the store's shell tests: the helpers of
# ../cli_helpers.sh and expect, a temporary folder removed on exit (with
# the local server of $server_pid, if one was started), SANCTUM_HOME in it,
# and small list folders cut from the real lists: $tmp/v1 with mk_lists DIR
# SED_EXPR to make more.
#
# Environment: SANCTUM_CLI (the built binary), SANCTUM_DATA (the real lists),
# SANCTUM_SOURCE_DIR (the source tree).

cli=${SANCTUM_CLI:?set SANCTUM_CLI to the sanctum binary}
data=${SANCTUM_DATA:?set SANCTUM_DATA to the data directory}
src=${SANCTUM_SOURCE_DIR:-$(dirname "$0")/../..}
tmp=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
. "$(dirname "$0")/../cli_helpers.sh"

# The store lives in $tmp/home; without SANCTUM_DATA, screening uses it.
export SANCTUM_HOME="$tmp/home"
unset SANCTUM_DB
real_data=$data
unset SANCTUM_DATA

expect() { if "$@"; then ok; else bad "$desc"; fi; }

# ---- small list folders cut from the real ones ------------------------------------
# v1: the first 400 OFAC entries plus KIM Sang Man, and 60 UN entries
python3 - "$real_data/un-sc/consolidated.xml" "$tmp/un.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
tree = ET.parse(sys.argv[1])
for group, keep in (("INDIVIDUALS", 40), ("ENTITIES", 20)):
    g = tree.getroot().find(group)
    for child in list(g)[keep:]:
        g.remove(child)
tree.write(sys.argv[2], encoding="UTF-8", xml_declaration=True)
EOF
mk_lists() {  # DIR SED_EXPR
    mkdir -p "$1/ofac-sdn" "$1/un-sc"
    { head -n 400 "$real_data/ofac-sdn/sdn.csv"; grep -a '^43377,' "$real_data/ofac-sdn/sdn.csv"; } |
        sed "$2" >"$1/ofac-sdn/sdn.csv"
    cp "$tmp/un.xml" "$1/un-sc/consolidated.xml"
}
mk_lists "$tmp/v1" 's/^$//'
