# cli_helpers.sh - sourced by the shell tests that run the `sanctum` command:
# counters and the checks built on them. The sourcing script sets $cli (the
# binary) and $tmp (a scratch folder) and prints its own summary from
# $passed and $failed.
#
#   run EXPECTED_STATUS ARGS...     runs the command, output in $tmp/out and
#                                   $tmp/err; says what went wrong otherwise
#   check DESCRIPTION EXPECTED_STATUS ARGS...
#   out_has TEXT, err_has TEXT      grep the last run's output
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

run() {
    want=$1
    shift
    set +e
    "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    set -e
    [ "$got" -eq "$want" ] && return 0
    echo "  'sanctum $*' exited $got, expected $want; stderr:" >&2
    sed 's/^/    /' "$tmp/err" | head -5 >&2
    return 1
}

check() {
    desc=$1
    shift
    if run "$@"; then ok; else bad "$desc"; fi
}

out_has() { grep -q -- "$1" "$tmp/out"; }
err_has() { grep -q -- "$1" "$tmp/err"; }
