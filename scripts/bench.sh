#!/bin/sh
# Runs every benchmark of BUILD/bench against the data in DATA.
#   scripts/bench.sh BUILD [quick|full]
# quick (the default, what CI runs) uses sizes that finish in a few minutes;
# full uses the sizes the performance targets are stated for (1,000,000
# names for batch and rescreening).
set -eu
build=${1:-build}
scale=${2:-quick}
root=$(cd "$(dirname "$0")/.." && pwd)
export SANCTUM_DATA="${SANCTUM_DATA:-$root/data}"
b="$build/bench"
if [ "$scale" = full ]; then
    batch=1000000 rescreen=1000000 wallet=2000000
else
    batch=100000 rescreen=20000 wallet=1000000
fi
run() {
    echo "== $*"
    "$@"
    echo
}
run "$b/bench_load"
run "$b/bench_match"
run "$b/bench_lists"
run "$b/bench_quality"
run "$b/bench_wallet" "$wallet"
run "$b/bench_batch" "$batch"
run "$b/bench_index"
run "$b/bench_rescreen" "$rescreen"
