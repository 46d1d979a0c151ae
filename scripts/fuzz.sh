#!/bin/sh
# Runs every libFuzzer target in BUILD/fuzz for SECONDS each, seeded from
# fuzz/corpus/<target without the fuzz_ prefix>/. The seeds are copied to a
# scratch folder so the checked-in corpus stays as it is. Any crash, leak or
# sanitizer report fails the run and leaves the input under BUILD/artifacts/.
#   scripts/fuzz.sh BUILD SECONDS
set -eu
build=${1:-build-fuzz}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/artifacts"
status=0
found=0
for bin in "$build"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    found=$((found + 1))
    name=$(basename "$bin")
    seeds="$root/fuzz/corpus/${name#fuzz_}"
    work=$(mktemp -d)
    [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/ 2>/dev/null || true
    echo "fuzz: $name for ${seconds}s ($(ls "$work" | wc -l) seeds)"
    if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
            -artifact_prefix="$build/artifacts/$name-" -print_final_stats=1 "$work" \
            >"$build/artifacts/$name.log" 2>&1; then
        echo "fuzz: $name FAILED; last lines of $build/artifacts/$name.log:"
        tail -40 "$build/artifacts/$name.log"
        status=1
    else
        grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$build/artifacts/$name.log" | tr '\n' ' '
        echo
    fi
    rm -rf "$work"
done
[ "$found" -gt 0 ] || { echo "fuzz: no targets in $build/fuzz"; exit 1; }
echo "fuzz: $found targets, $([ $status = 0 ] && echo all clean || echo failures)"
exit $status
