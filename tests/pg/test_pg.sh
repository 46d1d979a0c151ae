#!/bin/sh
# test_pg.sh - the PostgreSQL extension end to end: builds libsanctum (no
# sanitizers) and the extension with PGXS, installs it, compiles an index
# file, starts throw-away PostgreSQL 15 servers on free ports of 127.0.0.1
# (initdb in a temporary directory), and checks: sanctum_screen() gives the
# same hits and scores as `sanctum batch` on the same names, also with a
# parallel plan; the other functions; bad input gives SQL errors, not a
# crashed backend; a replaced index file is picked up; and two shards joined
# by a postgres_fdw coordinator (asynchronous execution) give the same rows
# as one server.
set -u
SRC=${SANCTUM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${SANCTUM_BUILD_DIR:-$SRC/build}
CLI=${SANCTUM_CLI:-$BUILD/sanctum}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
N_NAMES=${SANCTUM_PG_TEST_NAMES:-400}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

if [ ! -x "$PGBIN/postgres" ] || ! command -v pg_config >/dev/null 2>&1 || ! id postgres >/dev/null 2>&1; then
    echo "PostgreSQL 15 server, pg_config or the postgres user is missing; nothing to test"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
AS_PG=""
[ "$(id -u)" = 0 ] && AS_PG="runuser -u postgres --"

TMP=$(mktemp -d /tmp/sanctum-pg-XXXXXX)
chmod 755 "$TMP"
SERVERS=""
cleanup() {
    for d in $SERVERS; do $AS_PG "$PGBIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# ---- build and install the extension -------------------------------------------------
PGLIB="$BUILD/pgext-lib"
echo "# building libsanctum for the extension in $PGLIB"
if ! { cmake -S "$SRC" -B "$PGLIB" -DCMAKE_BUILD_TYPE=Release -DSANCTUM_TESTS=OFF -DSANCTUM_SANITIZE=OFF >/dev/null &&
       cmake --build "$PGLIB" -j 2 --target sanctum_static sanctum_cli >"$TMP/build.log" 2>&1; }; then
    tail -20 "$TMP/build.log"
    bad "libsanctum builds without sanitizers"
    echo "$pass passed, $fail failed"
    exit 1
fi
mkdir -p "$TMP/pgsrc"
cp "$SRC/pg/Makefile" "$SRC/pg/sanctum.control" "$SRC/pg/sanctum--0.1.0.sql" "$SRC/pg/sanctum_pg.c" "$TMP/pgsrc/"
if make -C "$TMP/pgsrc" SANCTUM_SRC="$SRC" SANCTUM_BUILD="$PGLIB" >"$TMP/pgmake.log" 2>&1 &&
   make -C "$TMP/pgsrc" SANCTUM_SRC="$SRC" SANCTUM_BUILD="$PGLIB" install >>"$TMP/pgmake.log" 2>&1; then
    ok "the extension builds with PGXS and installs"
else
    tail -20 "$TMP/pgmake.log"
    bad "the extension builds with PGXS and installs"
    echo "$pass passed, $fail failed"
    exit 1
fi
RCLI="$PGLIB/sanctum"   # the release command, for speed

# ---- the index and the names ------------------------------------------------------------
IDX="$TMP/sanctum.idx"
check "sanctum index build writes the index file" \
    "SANCTUM_DATA=\"${SANCTUM_DATA:-$SRC/data}\" \"$CLI\" index build --out \"$IDX\" 2>/dev/null && [ -s \"$IDX\" ]"
check "sanctum index info checks it" "\"$CLI\" index info \"$IDX\" | grep -q 'checksum:   ok'"
chmod 644 "$IDX"
python3 - "$SRC/data/ofac-sdn/sdn.csv" "$TMP/names.csv" "$N_NAMES" <<'PY'
import csv, random, sys
random.seed(5)
rows = [r for r in csv.reader(open(sys.argv[1], encoding='utf-8', errors='replace')) if len(r) > 2]
n = int(sys.argv[3])
names = []
for r in rows[:: max(1, len(rows) // (n // 2))][: n // 2]:
    nm = r[1].strip()
    if ',' in nm and random.random() < 0.5:
        a, b = nm.split(',', 1)
        nm = b.strip() + ' ' + a.strip()
    if random.random() < 0.3 and len(nm) > 6:
        i = random.randrange(1, len(nm) - 1)
        nm = nm[:i] + nm[i + 1:]
    names.append(nm)
first = ['John', 'Maria', 'Wei', 'Olga', 'Ahmed', 'Kim', 'Jose', 'Anna', 'Ivan', 'Fatima', 'Ri', 'Li']
last = ['Smith', 'Garcia', 'Chen', 'Petrova', 'Hassan', 'Jong', 'Silva', 'Muller', 'Sokolov', 'Khan', 'Chol', 'Ming']
while len(names) < n:
    names.append(random.choice(first) + ' ' + random.choice(last))
w = csv.writer(open(sys.argv[2], 'w', newline=''))
w.writerow(['id', 'name'])
for i, nm in enumerate(names, 1):
    w.writerow([i, nm])
PY
"$RCLI" batch --input "$TMP/names.csv" --output-format csv --quiet --output "$TMP/batch.csv" 2>"$TMP/batch.err"
python3 - "$TMP/batch.csv" "$TMP/expected.txt" <<'PY'
import csv, sys
out = open(sys.argv[2], 'w')
for r in csv.DictReader(open(sys.argv[1])):
    if r['entity']:
        out.write('%s|%s|%s|%s\n' % (r['id'], r['entity'], r['score'], r['matched']))
PY
check "sanctum batch screens the names" "[ -s \"$TMP/expected.txt\" ]"

# ---- servers ----------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_server() { # dir port
    mkdir -p "$1"
    chown postgres "$1" 2>/dev/null
    $AS_PG "$PGBIN/initdb" -D "$1" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 || return 1
    SERVERS="$SERVERS $1"
    $AS_PG "$PGBIN/pg_ctl" -D "$1" -l "$1/log" -w -t 60 \
        -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c sanctum.index_path=$IDX -c max_worker_processes=8 -c fsync=off" \
        start >/dev/null 2>&1
}
sql() { # port sql...
    port=$1
    shift
    psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -At -F '|' -v ON_ERROR_STOP=1 -c "$*" 2>&1
}
P1=$(free_port)
if start_server "$TMP/one" "$P1"; then ok "a PostgreSQL server starts on 127.0.0.1:$P1"; else
    bad "a PostgreSQL server starts"; cat "$TMP/initdb.log" "$TMP/one/log" 2>/dev/null | tail -20
    echo "$pass passed, $fail failed"; exit 1
fi
check "CREATE EXTENSION sanctum" "sql $P1 'CREATE EXTENSION sanctum' >/dev/null"
sql $P1 "CREATE TABLE customers (id int PRIMARY KEY, name text)" >/dev/null
sql $P1 "\\copy customers FROM '$TMP/names.csv' CSV HEADER" >/dev/null
check "the customer table is loaded" "[ \"\$(sql $P1 'SELECT count(*) FROM customers')\" = $N_NAMES ]"

SCREEN_SQL="SELECT c.id, h.entity, to_char(h.score, 'FM0.0000'), h.matched_name FROM customers c CROSS JOIN LATERAL sanctum_screen(c.name) h"
compare() { # label file
    if python3 - "$TMP/expected.txt" "$2" <<'PY'
import sys
def load(p):
    d = {}
    for line in open(p):
        i, e, s, m = line.rstrip('\n').split('|', 3)
        d[(i, e)] = (float(s), m)
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = [k for k in set(a) | set(b) if k not in a or k not in b or abs(a[k][0] - b[k][0]) > 0.00011 or a[k][1] != b[k][1]]
for k in sorted(bad)[:5]:
    print('#  differs:', k, a.get(k), b.get(k))
sys.exit(1 if bad or not a else 0)
PY
    then ok "$1 ($(wc -l <"$2") hits)"; else bad "$1"; fi
}
sql $P1 "$SCREEN_SQL" >"$TMP/one.txt"
compare "sanctum_screen gives the hits and scores of sanctum batch" "$TMP/one.txt"
sql $P1 "SET parallel_setup_cost=0; SET parallel_tuple_cost=0; SET min_parallel_table_scan_size=0;
         SET max_parallel_workers_per_gather=2; $SCREEN_SQL" >"$TMP/par.txt"
compare "the same with a parallel plan" "$TMP/par.txt"
check "the parallel plan is used" "sql $P1 \"SET parallel_setup_cost=0; SET parallel_tuple_cost=0; SET min_parallel_table_scan_size=0;
         SET max_parallel_workers_per_gather=2; EXPLAIN $SCREEN_SQL\" | grep -q Gather"

check "sanctum_score on the listed name is 1" \
    "[ \"\$(sql $P1 \"SELECT sanctum_score('Kim Sang Man', 'ofac-sdn:43377') > 0.99\")\" = t ]"
check "sanctum_score of an unknown entity is NULL" \
    "[ \"\$(sql $P1 \"SELECT sanctum_score('Kim Sang Man', 'ofac-sdn:nope') IS NULL\")\" = t ]"
check "sanctum_screen filters by type" \
    "[ \"\$(sql $P1 \"SELECT count(*) FROM sanctum_screen('Kim Sang Man', 'organization')\")\" = 0 ]"
check "sanctum_screen returns an explanation" \
    "sql $P1 \"SELECT explanation->'tokens'->0->>'how' FROM sanctum_screen('Kim Sang Man')\" | grep -q exact"
check "sanctum_screen honours min_score and max_hits" \
    "[ \"\$(sql $P1 \"SELECT count(*) FROM sanctum_screen('Kim', 'any', 0.1, 3)\")\" = 3 ]"
check "sanctum_wallet finds the owner of a listed address" \
    "[ -n \"\$(sql $P1 \"SELECT * FROM sanctum_wallet('0x7Db418b5D567A4e0E8c59Ad71BE1FcE48f3E6107')\" | grep '^ofac-sdn:')\" ]"
check "sanctum_wallet of an unknown address gives no rows" \
    "[ \"\$(sql $P1 \"SELECT count(*) FROM sanctum_wallet('1BoatSLRHtKNngkdXEeobR76b53LETtpyT')\")\" = 0 ]"
check "sanctum_lists shows the list versions" \
    "sql $P1 'SELECT list, sha256 FROM sanctum_lists()' | grep -q '^ofac-sdn|[0-9a-f]\{64\}'"
check "the functions are PARALLEL SAFE and STABLE" \
    "[ \"\$(sql $P1 \"SELECT count(*) FROM pg_proc WHERE proname LIKE 'sanctum%' AND proparallel = 's' AND provolatile = 's'\")\" = 4 ]"

# bad input
expect_err() { # label sql pattern
    out=$(sql $P1 "$2")
    if echo "$out" | grep -q "ERROR:.*$3"; then ok "$1"; else bad "$1: $out"; fi
}
check "a NULL name gives no rows" "[ \"\$(sql $P1 'SELECT count(*) FROM sanctum_screen(NULL)')\" = 0 ]"
check "an empty name gives no rows" "[ \"\$(sql $P1 \"SELECT count(*) FROM sanctum_screen('  ')\")\" = 0 ]"
expect_err "an oversized name is an error" "SELECT * FROM sanctum_screen(repeat('a', 5000))" "too long"
expect_err "an unknown type is an error" "SELECT * FROM sanctum_screen('Kim', 'spaceship')" "unknown entity type"
expect_err "a bad min_score is an error" "SELECT * FROM sanctum_screen('Kim', 'any', 7)" "min_score"
expect_err "a bad max_hits is an error" "SELECT * FROM sanctum_screen('Kim', 'any', NULL, 0)" "max_hits"
expect_err "invalid UTF-8 never reaches the extension" "SELECT * FROM sanctum_screen(convert_from('\\xc3'::bytea, 'UTF8'))" "invalid byte sequence"
expect_err "a missing index file is an error" "SET sanctum.index_path = '/nonexistent/x.idx'; SELECT * FROM sanctum_screen('Kim')" "cannot be read"
expect_err "an unset index path is an error" "SET sanctum.index_path = ''; SELECT * FROM sanctum_screen('Kim')" "not set"
head -c 100000 "$IDX" >"$TMP/trunc.idx"
chmod 644 "$TMP/trunc.idx"
expect_err "a truncated index file is an error" "SET sanctum.index_path = '$TMP/trunc.idx'; SELECT * FROM sanctum_lists()" "truncated"
check "the backend survived all of it" "[ \"\$(sql $P1 'SELECT 1')\" = 1 ]"

# a replaced file is picked up by a running session
"$RCLI" index build --list un-sc --out "$TMP/un.idx" 2>/dev/null
chmod 644 "$TMP/un.idx"
cp "$IDX" "$TMP/swap.idx"
chmod 644 "$TMP/swap.idx"
out=$(printf "SET sanctum.index_path = '%s';\nSELECT count(*) FROM sanctum_lists();\n\\! mv %s %s\nSELECT count(*) FROM sanctum_lists();\n" \
        "$TMP/swap.idx" "$TMP/un.idx" "$TMP/swap.idx" |
      psql -X -q -h 127.0.0.1 -p "$P1" -U postgres -d postgres -At -f - 2>&1 | tr '\n' ' ')
check "an index file replaced under a running session is reopened ($out)" "echo '$out' | grep -Eq '^[2-9] 1 $'"

# ---- sharding: two shards and a coordinator over postgres_fdw ---------------------------
P2=$(free_port); start_server "$TMP/s1" "$P2" || bad "shard 1 starts"
P3=$(free_port); start_server "$TMP/s2" "$P3" || bad "shard 2 starts"
P4=$(free_port); start_server "$TMP/co" "$P4" || bad "the coordinator starts"
shard=1
for p in $P2 $P3; do
    sql $p "CREATE EXTENSION sanctum; CREATE TABLE customers (id int PRIMARY KEY, name text);" >/dev/null
    sql $p "\\copy customers FROM '$TMP/names.csv' CSV HEADER" >/dev/null
    sql $p "DELETE FROM customers WHERE id % 2 <> $shard - 1;
            CREATE VIEW screened AS SELECT $shard AS shard, c.id, h.entity, h.list, h.score, h.matched_name
              FROM customers c CROSS JOIN LATERAL sanctum_screen(c.name) h;" >/dev/null
    shard=2
done
sql $P4 "CREATE EXTENSION postgres_fdw;
  CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$P2', dbname 'postgres', async_capable 'true', fetch_size '10000');
  CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$P3', dbname 'postgres', async_capable 'true', fetch_size '10000');
  CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');
  CREATE USER MAPPING FOR postgres SERVER shard2 OPTIONS (user 'postgres');
  CREATE TABLE screened (shard int, id int, entity text, list text, score real, matched_name text) PARTITION BY LIST (shard);
  CREATE FOREIGN TABLE screened_1 PARTITION OF screened FOR VALUES IN (1) SERVER shard1 OPTIONS (table_name 'screened');
  CREATE FOREIGN TABLE screened_2 PARTITION OF screened FOR VALUES IN (2) SERVER shard2 OPTIONS (table_name 'screened');" >"$TMP/co.log"
check "the coordinator is set up" "! grep -q ERROR \"$TMP/co.log\""
check "the coordinator's plan is asynchronous" "sql $P4 'EXPLAIN (VERBOSE) SELECT * FROM screened' | grep -q 'Async Foreign Scan'"
sql $P4 "SELECT id, entity, to_char(score, 'FM0.0000'), matched_name FROM screened" >"$TMP/sharded.txt"
compare "two shards give the same rows as one server" "$TMP/sharded.txt"

t0=$(date +%s%N); sql $P1 "SELECT count(*) FROM ($SCREEN_SQL) s" >/dev/null; t1=$(date +%s%N)
sql $P4 "SELECT count(*) FROM screened" >/dev/null; t2=$(date +%s%N)
echo "# $N_NAMES names: one server $(( (t1 - t0) / 1000000 )) ms, two shards through the coordinator $(( (t2 - t1) / 1000000 )) ms"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
