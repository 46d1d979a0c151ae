#!/bin/sh
# test_install.sh - installs the build into a temporary prefix and uses it
# the way a user would: a small C program built with `pkg-config sanctum`
# against the installed shared library, the installed `sanctum` run from
# another directory with no SANCTUM_DATA (it must find the installed data),
# and the installed man page.
#
# Environment: SANCTUM_BUILD_DIR (the CMake build directory).
set -eu

build=${SANCTUM_BUILD_DIR:?set SANCTUM_BUILD_DIR to the CMake build directory}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

prefix=$tmp/prefix
if cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then ok; else
    bad "cmake --install"
    cat "$tmp/install.log" >&2
    echo "$passed passed, $failed failed"
    exit 1
fi

# ---- files in place ------------------------------------------------------------
[ -x "$prefix/bin/sanctum" ] && ok || bad "bin/sanctum installed"
[ -f "$prefix/include/sanctum.h" ] && [ -f "$prefix/include/sanctum/match.h" ] && ok || bad "headers installed"
[ -f "$prefix/share/sanctum/data/ofac-sdn/sdn.csv" ] && ok || bad "data installed"
pc=$(find "$prefix" -name sanctum.pc | head -n 1)
[ -n "$pc" ] && ok || bad "sanctum.pc installed"
man=$(find "$prefix" -path '*man1/sanctum.1' | head -n 1)
[ -n "$man" ] && ok || bad "man page installed"

# ---- a C program built with pkg-config ----------------------------------------------
cat >"$tmp/hello.c" <<'EOF'
#include <stdio.h>
#include <sanctum.h>

int main(int argc, char **argv)
{
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.data_dir = argc > 1 ? argv[1] : NULL;
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    printf("sanctum %s\n", sanctum_version());
    if (sanctum_dataset_load(&ds, &opts, &err) != 0) {
        char buf[1024];
        sanctum_error_format(&err, buf, sizeof buf);
        printf("load: %s\n", buf);
        return 3;
    }
    printf("entities %zu\n", sanctum_dataset_count(ds));
    sanctum_dataset_free(ds);
    return 0;
}
EOF
if [ -n "$pc" ]; then
    pcdir=$(dirname "$pc")
    # the .pc file finds its prefix relative to where it was installed
    pkg() { PKG_CONFIG_PATH=$pcdir pkg-config "$@" sanctum; }
    libdir=$(pkg --variable=libdir)
    cflags=$(pkg --cflags)
    libs=$(pkg --libs)
    [ -f "$libdir/libsanctum.so" ] && ok || bad "libsanctum.so in the pkg-config libdir ($libdir)"
    # A sanitizer build's library needs the sanitizer runtimes in the program too.
    san=
    if grep -q '^SANCTUM_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
        san="-fsanitize=address,undefined"
    fi
    cc=${CC:-cc}
    built=0
    # shellcheck disable=SC2086
    if $cc $san $cflags -o "$tmp/hello" "$tmp/hello.c" $libs >"$tmp/cc.log" 2>&1; then
        built=1
    elif [ -z "$san" ] && $cc -fsanitize=address,undefined $cflags -o "$tmp/hello" "$tmp/hello.c" $libs \
        >"$tmp/cc.log" 2>&1; then
        built=1
    fi
    if [ "$built" -eq 1 ]; then ok; else bad "compiling against the installed library"; cat "$tmp/cc.log" >&2; fi
    if [ "$built" -eq 1 ]; then
        # run from elsewhere, against the shared library that was installed
        if (unset SANCTUM_DATA; cd "$tmp" && LD_LIBRARY_PATH="$libdir" ASAN_OPTIONS=detect_leaks=1 \
            ./hello "$prefix/share/sanctum/data") >"$tmp/hello.out" 2>&1; then
            ok
        elif grep -q "not built yet" "$tmp/hello.out"; then
            ok
            echo "note: the list loaders are not built yet; the program ran but loaded nothing" >&2
        else
            bad "running the program built against the installed library"
            cat "$tmp/hello.out" >&2
        fi
        if grep -q "^sanctum 0.1.0$" "$tmp/hello.out"; then ok; else bad "the program prints sanctum_version()"; fi
        if ldd "$tmp/hello" 2>/dev/null | grep -q "libsanctum.so"; then ok; else bad "the program links the shared library"; fi
    fi
fi

# ---- the installed command finds the installed data ------------------------------------------------
mkdir -p "$tmp/elsewhere"
set +e
(unset SANCTUM_DATA; cd "$tmp/elsewhere" && "$prefix/bin/sanctum" lists --json) >"$tmp/lists.out" 2>"$tmp/lists.err"
rc=$?
set -e
if [ "$rc" -eq 0 ]; then
    if grep -q "\"files\": *\[\"$prefix/share/sanctum/data/" "$tmp/lists.out"; then ok; else
        bad "installed sanctum reads the installed data"
        head -c 400 "$tmp/lists.out" >&2
    fi
elif grep -q "not built yet" "$tmp/lists.err"; then
    ok
    echo "note: the list loaders are not built yet; checked that lists fails cleanly" >&2
    if grep -q "$prefix/share/sanctum/data" "$tmp/lists.err"; then ok; else bad "installed sanctum looks in the installed data"; cat "$tmp/lists.err" >&2; fi
else
    bad "installed sanctum lists (exit $rc)"
    cat "$tmp/lists.err" >&2
fi
(cd "$tmp/elsewhere" && "$prefix/bin/sanctum" --version) | grep -q "^sanctum 0.1.0$" && ok || bad "installed sanctum --version"

# ---- the man page ------------------------------------------------------------------------------
if [ -n "$man" ]; then
    if command -v man >/dev/null 2>&1; then
        if MANWIDTH=80 man -l "$man" 2>"$tmp/man.err" | grep -q "EXIT STATUS"; then ok; else
            bad "man -l renders the page"
            cat "$tmp/man.err" >&2
        fi
    else
        grep -q '^\.TH SANCTUM 1' "$man" && ok || bad "man page has a .TH header"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
