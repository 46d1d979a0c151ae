#!/bin/sh
# pg_bench.sh - screening a customer table inside PostgreSQL:
#   SELECT c.id, h.* FROM customers c CROSS JOIN LATERAL sanctum_screen(c.name) h
# over 1,000,000 rows (20,000 when SANCTUM_BENCH_SMALL is set; SANCTUM_BENCH_ROWS
# overrides), with parallel plans forced to 0, 1 and 2 workers, against
# `sanctum batch` on the same names with 1 and 2 threads. Then the same table
# split over two shard servers behind a postgres_fdw coordinator.
# Starts its own servers on free ports of 127.0.0.1 and removes them after.
#
# Usage: sh bench/pg_bench.sh        (as root, or as a user who can run postgres)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGBUILD=${PGBUILD:-build-pgext}
ROWS=${SANCTUM_BENCH_ROWS:-1000000}
[ -n "${SANCTUM_BENCH_SMALL:-}" ] && ROWS=${SANCTUM_BENCH_ROWS:-20000}
AS_PG=""
[ "$(id -u)" = 0 ] && AS_PG="runuser -u postgres --"

make -s -C "$SRC" pg-install PGBUILD="$PGBUILD" >/dev/null 2>&1
CLI="$SRC/$PGBUILD/sanctum"
TMP=$(mktemp -d /tmp/sanctum-pgbench-XXXXXX)
chmod 755 "$TMP"
SERVERS=""
cleanup() {
    for d in $SERVERS; do $AS_PG "$PGBIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

"$CLI" index build --out "$TMP/sanctum.idx" 2>/dev/null
chmod 644 "$TMP/sanctum.idx"

# customers: mostly ordinary names, one in fifty a listed name or a near miss
python3 - "$SRC/data/ofac-sdn/sdn.csv" "$TMP/customers.csv" "$ROWS" <<'PY'
import csv, random, sys
random.seed(1)
listed = [r[1].strip() for r in csv.reader(open(sys.argv[1], encoding='utf-8', errors='replace')) if len(r) > 2]
first = 'James Mary John Patricia Robert Jennifer Michael Linda Wei Fang Olga Ivan Ahmed Fatima Jose Maria Anna Kenji Yuki Ali Omar Sofia Lucas Emma Noah Mia Liam Ava Elena Pablo'.split()
last = 'Smith Johnson Williams Brown Jones Garcia Miller Davis Chen Wang Petrova Sokolov Hassan Khan Silva Santos Muller Schmidt Tanaka Sato Rossi Russo Dubois Martin Novak Horvat Nowak Kowalski Jensen Larsen'.split()
w = csv.writer(open(sys.argv[2], 'w', newline=''))
w.writerow(['id', 'name'])
for i in range(1, int(sys.argv[3]) + 1):
    if i % 50 == 0:
        nm = random.choice(listed)
        if random.random() < 0.5 and len(nm) > 6:
            k = random.randrange(1, len(nm) - 1)
            nm = nm[:k] + nm[k + 1:]
    else:
        nm = '%s %s %s' % (random.choice(first), random.choice(first)[0], random.choice(last))
    w.writerow([i, nm])
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_server() {
    mkdir -p "$1"; chown postgres "$1" 2>/dev/null || true
    $AS_PG "$PGBIN/initdb" -D "$1" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    SERVERS="$SERVERS $1"
    $AS_PG "$PGBIN/pg_ctl" -D "$1" -l "$1/log" -w -t 60 -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 \
        -c sanctum.index_path=$TMP/sanctum.idx -c max_worker_processes=8 -c fsync=off -c shared_buffers=256MB" start >/dev/null
}
sql() { port=$1; shift; psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -c "$*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

P=$(free_port)
start_server "$TMP/one" "$P"
sql "$P" "CREATE EXTENSION sanctum; CREATE TABLE customers (id int PRIMARY KEY, name text);"
sql "$P" "\\copy customers FROM '$TMP/customers.csv' CSV HEADER"
sql "$P" "VACUUM ANALYZE customers"
Q="SELECT count(*) FROM (SELECT c.id, h.* FROM customers c CROSS JOIN LATERAL sanctum_screen(c.name) h) s"
FORCE="SET parallel_setup_cost=0; SET parallel_tuple_cost=0; SET min_parallel_table_scan_size=0; SET parallel_leader_participation=off;"
echo "rows: $ROWS (machine: $(nproc) cores)"
for w in 1 2; do
    t0=$(now_ms)
    hits=$(sql "$P" "$FORCE SET max_parallel_workers_per_gather=$w; $Q")
    t1=$(now_ms)
    ms=$((t1 - t0))
    echo "postgres, $w parallel worker(s): $ms ms, $((ROWS * 1000 / (ms > 0 ? ms : 1))) rows/s, $hits hits"
    eval "pg_ms_$w=$ms"
done
# the command's start-up (loading and indexing the raw lists) is measured
# on a one-row input and taken off, so both sides count screening alone
head -2 "$TMP/customers.csv" >"$TMP/one.csv"
t0=$(now_ms)
"$CLI" batch --input "$TMP/one.csv" --output-format csv --output "$TMP/batch.csv" --threads 1 --quiet
startup=$(( $(now_ms) - t0 ))
echo "sanctum batch start-up (load lists, build index): $startup ms, not counted below"
for t in 1 2; do
    t0=$(( $(now_ms) + startup ))
    "$CLI" batch --input "$TMP/customers.csv" --output-format csv --output "$TMP/batch.csv" --threads "$t" --quiet
    t1=$(now_ms)
    ms=$((t1 - t0))
    echo "sanctum batch, $t thread(s): $ms ms, $((ROWS * 1000 / (ms > 0 ? ms : 1))) rows/s, $(($(wc -l <"$TMP/batch.csv") - 1)) result rows"
    eval "b_ms_$t=$ms"
done
python3 -c "print('ratio postgres/batch (rows/s): 1 worker vs 1 thread %.2f, 2 workers vs 2 threads %.2f' % ($b_ms_1 / $pg_ms_1, $b_ms_2 / $pg_ms_2))"

# two shards behind a coordinator
P2=$(free_port); start_server "$TMP/s1" "$P2"
P3=$(free_port); start_server "$TMP/s2" "$P3"
P4=$(free_port); start_server "$TMP/co" "$P4"
s=1
for p in $P2 $P3; do
    sql "$p" "CREATE EXTENSION sanctum; CREATE TABLE customers (id int PRIMARY KEY, name text);"
    sql "$p" "\\copy customers FROM '$TMP/customers.csv' CSV HEADER"
    sql "$p" "DELETE FROM customers WHERE id % 2 <> $s - 1"
    sql "$p" "VACUUM ANALYZE customers"
    sql "$p" "CREATE VIEW screened AS SELECT $s AS shard, c.id, h.entity, h.list, h.score, h.matched_name
                FROM customers c CROSS JOIN LATERAL sanctum_screen(c.name) h;"
    s=2
done
sql "$P4" "CREATE EXTENSION postgres_fdw;
  CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$P2', dbname 'postgres', async_capable 'true', fetch_size '10000');
  CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$P3', dbname 'postgres', async_capable 'true', fetch_size '10000');
  CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');
  CREATE USER MAPPING FOR postgres SERVER shard2 OPTIONS (user 'postgres');
  CREATE TABLE screened (shard int, id int, entity text, list text, score real, matched_name text) PARTITION BY LIST (shard);
  CREATE FOREIGN TABLE screened_1 PARTITION OF screened FOR VALUES IN (1) SERVER shard1 OPTIONS (table_name 'screened');
  CREATE FOREIGN TABLE screened_2 PARTITION OF screened FOR VALUES IN (2) SERVER shard2 OPTIONS (table_name 'screened');"
t0=$(now_ms)
hits=$(sql "$P" "SET max_parallel_workers_per_gather=0; $Q")
t1=$(now_ms)
hits2=$(sql "$P4" "SELECT count(*) FROM screened")
t2=$(now_ms)
echo "one server, no parallel workers: $((t1 - t0)) ms ($hits hits); two shards via postgres_fdw (async): $((t2 - t1)) ms ($hits2 hits)"
