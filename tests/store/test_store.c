/*
 * test_store.c - the SQLite store: versions stored whole and activated in
 * one step, refusals that leave the active version alone, loading a stored
 * version back, diffs by part, the append-only audit trail and its export,
 * and monitoring alerts with false-positive suppression until an entity's
 * listing changes. Each test works on small list folders it writes itself.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "sanctum.h"
#include "sanctum/store.h"

static char tmp[64];

static const char *row_kim =
    "2,\"KIM, Sang Man\",\"individual\",\"DPRK4\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 25 Apr 1965; "
    "Digital Currency Address - XBT 1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ.\"";
static const char *row_kim_changed =
    "2,\"KIM, Sang Man\",\"individual\",\"DPRK4\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 25 Apr 1965; "
    "Digital Currency Address - XBT 1FCNgfZWpYMeYhy9t18AAkTBu8AsdoAc1Z.\"";

/* Writes <tmp>/<name>/ofac-sdn/sdn.csv: the given rows, then `fillers` companies. */
static const char *write_list(const char *name, const char *const *rows, size_t n_rows, int fillers)
{
    static char dir[256];
    char path[512];
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/ofac-sdn", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/ofac-sdn/sdn.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n_rows; i++) fprintf(f, "%s\r\n", rows[i]);
    for (int i = 0; i < fillers; i++)
        fprintf(f, "%d,\"FILLER TRADING COMPANY NUMBER %d\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                1000 + i, i);
    fclose(f);
    return dir;
}

static sanctum_store *open_fresh(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.db", tmp, name);
    sanctum_store *st = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_store_open(&st, path, SANCTUM_STORE_CREATE, &err), 0);
    return st;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/sanctum-store-test-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) return -1;
    sanctum_thread_cleanup();
    return 0;
}

static void opening_a_missing_database_without_create_says_so(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/none/x.db", tmp);
    sanctum_store *st = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_store_open(&st, path, 0, &err), SANCTUM_ENOTFOUND);
    assert_null(st);
    long long id;
    st = open_fresh("empty");
    assert_int_equal(sanctum_store_active(st, &id, &err), SANCTUM_ENOTFOUND);
    sanctum_store_close(st);
}

static void the_database_runs_in_wal_mode(void **state)
{
    (void)state;
    sanctum_store_close(open_fresh("wal"));
    char path[256];
    snprintf(path, sizeof path, "%s/wal.db", tmp);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void an_update_stores_and_activates_a_version_and_identical_files_store_nothing(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("update");
    sanctum_error err;
    sanctum_update_report rep;
    const char *rows[] = { row_kim };
    const char *dir = write_list("u1", rows, 1, 20);
    assert_int_equal(sanctum_store_update_dir(st, dir, NULL, &rep, &err), 0);
    assert_int_equal(rep.version, 1);
    assert_int_equal(rep.previous, 0);
    assert_int_equal(rep.added, 21);
    assert_int_equal(sanctum_store_update_dir(st, dir, NULL, &rep, &err), 0);
    assert_true(rep.unchanged);
    assert_int_equal(rep.version, 1);
    sanctum_list_version *v;
    size_t n;
    assert_int_equal(sanctum_store_versions(&v, &n, st, &err), 0);
    assert_int_equal(n, 1);
    assert_true(v[0].active);
    assert_int_equal(v[0].entities, 21);
    assert_int_equal(v[0].n_sources, 1);
    assert_string_equal(v[0].sources[0].source, "ofac-sdn");
    assert_int_equal(v[0].sources[0].files, 1);
    assert_int_equal(strlen(v[0].sources[0].sha256), 64);
    sanctum_versions_free(v, n);
    sanctum_store_close(st);
}

static void a_drop_of_more_than_ten_percent_is_refused_unless_forced(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("drop");
    sanctum_error err;
    sanctum_update_report rep;
    const char *rows[] = { row_kim };
    assert_int_equal(sanctum_store_update_dir(st, write_list("d1", rows, 1, 19), NULL, &rep, &err), 0);
    /* 20 -> 17 entities: 15% fewer */
    assert_int_equal(sanctum_store_update_dir(st, write_list("d2", rows, 1, 16), NULL, &rep, &err), SANCTUM_EINVAL);
    assert_non_null(strstr(err.message, "--force"));
    long long id;
    assert_int_equal(sanctum_store_active(st, &id, &err), 0);
    assert_int_equal(id, 1);
    /* 20 -> 19: allowed */
    assert_int_equal(sanctum_store_update_dir(st, write_list("d3", rows, 1, 18), NULL, &rep, &err), 0);
    assert_int_equal(rep.version, 2);
    sanctum_update_options o = SANCTUM_UPDATE_OPTIONS_INIT;
    o.force = 1;
    assert_int_equal(sanctum_store_update_dir(st, write_list("d4", rows, 1, 2), &o, &rep, &err), 0);
    assert_int_equal(rep.version, 3);
    assert_int_equal(rep.removed, 16);
    sanctum_store_close(st);
}

static void a_file_that_does_not_parse_is_refused_and_the_active_version_stays(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("garbage");
    sanctum_error err;
    sanctum_update_report rep;
    const char *rows[] = { row_kim };
    assert_int_equal(sanctum_store_update_dir(st, write_list("g1", rows, 1, 5), NULL, &rep, &err), 0);
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/g2/un-sc", tmp);
    snprintf(path, sizeof path, "%s/g2", tmp);
    mkdir(path, 0700);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/consolidated.xml", dir);
    FILE *f = fopen(path, "wb");
    fputs("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>", f);  /* cut off */
    fclose(f);
    snprintf(path, sizeof path, "%s/g2", tmp);
    assert_true(sanctum_store_update_dir(st, path, NULL, &rep, &err) < 0);
    long long id;
    assert_int_equal(sanctum_store_active(st, &id, &err), 0);
    assert_int_equal(id, 1);
    sanctum_list_version *v;
    size_t n;
    assert_int_equal(sanctum_store_versions(&v, &n, st, &err), 0);
    assert_int_equal(n, 1);
    sanctum_versions_free(v, n);
    sanctum_store_close(st);
}

static void a_stored_version_loads_back_with_the_same_hashes(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("load");
    sanctum_error err;
    const char *rows[] = { row_kim };
    const char *dir = write_list("l1", rows, 1, 3);
    char dircopy[256];
    snprintf(dircopy, sizeof dircopy, "%s", dir);
    assert_int_equal(sanctum_store_update_dir(st, dircopy, NULL, NULL, &err), 0);
    sanctum_dataset *a = NULL, *b = NULL;
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    lo.data_dir = dircopy;
    assert_int_equal(sanctum_dataset_load(&a, &lo, &err), 0);
    assert_int_equal(sanctum_store_load(&b, st, 0, NULL, &err), 0);
    assert_int_equal(sanctum_dataset_count(a), sanctum_dataset_count(b));
    assert_string_equal(sanctum_dataset_source(a, 0)->sha256, sanctum_dataset_source(b, 0)->sha256);
    assert_non_null(sanctum_dataset_find(b, "ofac-sdn:2"));
    sanctum_dataset_free(a);
    sanctum_dataset_free(b);
    /* a damaged cache is noticed and written again */
    char cached[400];
    snprintf(cached, sizeof cached, "%s/load.db.versions/1/ofac-sdn/sdn.csv", tmp);
    FILE *f = fopen(cached, "ab");
    assert_non_null(f);
    fputs("3,\"INTRUDER\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", f);
    fclose(f);
    assert_int_equal(sanctum_store_load(&b, st, 1, NULL, &err), 0);
    assert_null(sanctum_dataset_find(b, "ofac-sdn:3"));
    sanctum_dataset_free(b);
    sanctum_store_close(st);
}

static void a_diff_names_added_removed_and_changed_parts(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("diff");
    sanctum_error err;
    const char *r1[] = { row_kim, "7,\"OLD NAME TRADING\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ",
                         "8,\"GONE AWAY LTD\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- " };
    const char *r2[] = { row_kim_changed, "7,\"NEW NAME TRADING\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ",
                         "9,\"FRESH ARRIVAL LLC\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- " };
    assert_int_equal(sanctum_store_update_dir(st, write_list("x1", r1, 3, 30), NULL, NULL, &err), 0);
    sanctum_update_report rep;
    assert_int_equal(sanctum_store_update_dir(st, write_list("x2", r2, 3, 30), NULL, &rep, &err), 0);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.removed, 1);
    assert_int_equal(rep.changed, 2);
    sanctum_diff *d;
    assert_int_equal(sanctum_store_diff(&d, st, 0, 0, &err), 0);
    assert_int_equal(sanctum_diff_old(d), 1);
    assert_int_equal(sanctum_diff_new(d), 2);
    assert_int_equal(sanctum_diff_count(d), 4);
    int seen = 0;
    for (size_t i = 0; i < sanctum_diff_count(d); i++) {
        const sanctum_diff_entry *e = sanctum_diff_entry_at(d, i);
        if (strcmp(e->entity, "ofac-sdn:2") == 0) {
            assert_int_equal(e->change, SANCTUM_CHANGE_CHANGED);
            assert_int_equal(e->parts, SANCTUM_PART_WALLETS);
            assert_int_equal(e->n_added, 1);
            assert_string_equal(e->added[0], "wallet: XBT 1FCNgfZWpYMeYhy9t18AAkTBu8AsdoAc1Z");
            seen |= 1;
        } else if (strcmp(e->entity, "ofac-sdn:7") == 0) {
            assert_int_equal(e->parts, SANCTUM_PART_NAME);
            assert_string_equal(e->removed[0], "name: OLD NAME TRADING");
            seen |= 2;
        } else if (strcmp(e->entity, "ofac-sdn:8") == 0) {
            assert_int_equal(e->change, SANCTUM_CHANGE_REMOVED);
            seen |= 4;
        } else if (strcmp(e->entity, "ofac-sdn:9") == 0) {
            assert_int_equal(e->change, SANCTUM_CHANGE_ADDED);
            assert_string_equal(e->name, "FRESH ARRIVAL LLC");
            seen |= 8;
        }
    }
    assert_int_equal(seen, 15);
    char *json = sanctum_diff_json(d);
    assert_non_null(strstr(json, "\"changed\":2"));
    sanctum_string_free(json);
    sanctum_diff_free(d);
    sanctum_store_close(st);
}

static void audit_records_are_kept_and_can_never_be_changed_or_deleted(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("audit");
    sanctum_error err;
    assert_int_equal(sanctum_audit_record(st, "analyst", "{\"name\": \"Kim\"}", "[]", 0.8, &err), 0);
    assert_int_equal(sanctum_audit_record(st, "api-key-1", "{\"name\": \"Lee\"}", "[{\"entity\": \"x\"}]", 0.9, &err), 0);
    /* bad JSON is refused, naming the field */
    assert_int_equal(sanctum_audit_record(st, "analyst", "{name", "[]", 0.8, &err), SANCTUM_EPARSE);
    assert_string_equal(err.where, "query");
    char path[256];
    snprintf(path, sizeof path, "%s/audit.db", tmp);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET who = 'someone else'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    unsigned long long n = 0;
    assert_int_equal(sanctum_audit_export(st, out, "2000-01-01", SANCTUM_AUDIT_JSONL, &n, &err), 0);
    fclose(out);
    assert_int_equal(n, 2);
    assert_non_null(strstr(buf, "\"who\":\"api-key-1\""));
    assert_non_null(strstr(buf, "\"query\":{\"name\":\"Lee\"}"));
    free(buf);
    out = open_memstream(&buf, &len);
    assert_int_equal(sanctum_audit_export(st, out, "2999-01-01T00:00:00Z", SANCTUM_AUDIT_CSV, &n, &err), 0);
    fclose(out);
    assert_int_equal(n, 0);
    assert_string_equal(buf, "id,time,who,threshold,hits_count,query,lists,hits\n");
    free(buf);
    out = open_memstream(&buf, &len);
    assert_int_equal(sanctum_audit_export(st, out, "last tuesday", SANCTUM_AUDIT_CSV, &n, &err), SANCTUM_EINVAL);
    fclose(out);
    free(buf);
    sanctum_store_close(st);
}

static void a_bad_monitor_line_stores_nothing_and_names_its_line(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("monadd");
    sanctum_error err;
    const char *text = "{\"id\": \"a\", \"name\": \"Kim Sang-man\"}\n\n{\"name\": \"no id\"}\n";
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    assert_int_equal(sanctum_monitor_add(st, in, "people.jsonl", NULL, NULL, &err), SANCTUM_EPARSE);
    fclose(in);
    assert_string_equal(err.file, "people.jsonl");
    assert_non_null(strstr(err.message, "line 3"));
    unsigned long long count = 99;
    assert_int_equal(sanctum_monitor_count(st, &count, &err), 0);
    assert_int_equal(count, 0);
    sanctum_store_close(st);
}

/* Loads the active version, builds the indexes and runs the monitor. */
static void run_monitor(sanctum_store *st, sanctum_monitor_summary *sum)
{
    sanctum_error err;
    sanctum_dataset *ds;
    sanctum_index *idx;
    sanctum_ident_index *iidx;
    long long ver;
    assert_int_equal(sanctum_store_active(st, &ver, &err), 0);
    assert_int_equal(sanctum_store_load(&ds, st, ver, NULL, &err), 0);
    assert_int_equal(sanctum_index_build(&idx, ds, &err), 0);
    assert_int_equal(sanctum_ident_index_build(&iidx, ds, &err), 0);
    sanctum_batch_options bo = SANCTUM_BATCH_OPTIONS_INIT;
    bo.ident = iidx;
    bo.threads = 2;
    assert_int_equal(sanctum_monitor_run(st, ver, idx, &bo, sum, &err), 0);
    sanctum_ident_index_free(iidx);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
}

static void monitoring_alerts_once_and_a_false_positive_stays_quiet_until_the_entity_changes(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("monitor");
    sanctum_error err;
    const char *r1[] = { row_kim };
    const char *r2[] = { row_kim_changed };
    assert_int_equal(sanctum_store_update_dir(st, write_list("m1", r1, 1, 10), NULL, NULL, &err), 0);
    const char *people = "{\"id\": \"p1\", \"name\": \"Kim Sang-man\"}\n"
                         "{\"id\": 2, \"name\": \"Maria Garcia Lopez\"}\n"
                         "{\"id\": \"p3\", \"wallets\": [\"1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ\"]}\n";
    FILE *in = fmemopen((void *)people, strlen(people), "r");
    unsigned long long added = 0;
    assert_int_equal(sanctum_monitor_add(st, in, "people", &added, NULL, &err), 0);
    fclose(in);
    assert_int_equal(added, 3);

    sanctum_monitor_summary sum;
    run_monitor(st, &sum);
    assert_int_equal(sum.subjects, 3);
    assert_int_equal(sum.new_alerts, 2);
    run_monitor(st, &sum);
    assert_int_equal(sum.new_alerts, 0);
    assert_int_equal(sum.known, 2);

    sanctum_alert *a;
    size_t n;
    assert_int_equal(sanctum_alerts_list(&a, &n, st, 1, &err), 0);
    assert_int_equal(n, 2);
    long long p1 = strcmp(a[0].subject, "p1") == 0 ? a[0].id : a[1].id;
    assert_string_equal(a[0].entity, "ofac-sdn:2");
    sanctum_alerts_free(a, n);
    assert_int_equal(sanctum_alert_resolve(st, p1, SANCTUM_ALERT_FALSE_POSITIVE, "born 1990", "tester", &err), 0);
    assert_int_equal(sanctum_alert_resolve(st, p1, SANCTUM_ALERT_TRUE_MATCH, NULL, "tester", &err), SANCTUM_EINVAL);
    assert_int_equal(sanctum_alert_resolve(st, 999, SANCTUM_ALERT_TRUE_MATCH, NULL, "tester", &err), SANCTUM_ENOTFOUND);

    run_monitor(st, &sum);
    assert_int_equal(sum.new_alerts, 0);
    assert_int_equal(sum.suppressed, 1);

    /* the listing changes (a wallet replaced): the name match alerts again;
     * the old wallet no longer matches at all */
    assert_int_equal(sanctum_store_update_dir(st, write_list("m2", r2, 1, 10), NULL, NULL, &err), 0);
    run_monitor(st, &sum);
    assert_int_equal(sum.new_alerts, 1);
    assert_int_equal(sum.suppressed, 0);
    assert_int_equal(sanctum_alerts_list(&a, &n, st, 0, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(a[2].subject, "p1");
    assert_int_equal(a[2].status, SANCTUM_ALERT_OPEN);
    assert_int_equal(a[2].version, 2);
    char *json = sanctum_alerts_json(a, n);
    assert_non_null(strstr(json, "\"status\":\"false-positive\""));
    assert_non_null(strstr(json, "\"note\":\"born 1990\""));
    sanctum_string_free(json);
    sanctum_alerts_free(a, n);
    sanctum_store_close(st);
}

static void an_audited_batch_records_each_screened_record(void **state)
{
    (void)state;
    sanctum_store *st = open_fresh("abatch");
    sanctum_error err;
    const char *r1[] = { row_kim };
    assert_int_equal(sanctum_store_update_dir(st, write_list("b1", r1, 1, 10), NULL, NULL, &err), 0);
    sanctum_dataset *ds;
    sanctum_index *idx;
    assert_int_equal(sanctum_store_load(&ds, st, 0, NULL, &err), 0);
    assert_int_equal(sanctum_index_build(&idx, ds, &err), 0);
    const char *input = "{\"id\": 1, \"name\": \"Kim Sang-man\"}\n\n{\"id\": 2, \"name\": \"\"}\n"
                        "{\"id\": 3, \"name\": \"Nobody Inparticular\"}\n";
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sanctum_batch_summary sum;
    assert_int_equal(sanctum_audit_batch(st, "batch-user", ds, idx, in, out, NULL, &sum, NULL, NULL, &err), 0);
    fclose(in);
    fclose(out);
    assert_int_equal(sum.lines, 3);
    assert_non_null(strstr(buf, "ofac-sdn:2"));
    free(buf);
    out = open_memstream(&buf, &len);
    unsigned long long n;
    assert_int_equal(sanctum_audit_export(st, out, NULL, SANCTUM_AUDIT_JSONL, &n, &err), 0);
    fclose(out);
    assert_int_equal(n, 2);  /* the record without a name is an error, not a screening */
    assert_non_null(strstr(buf, "\"who\":\"batch-user\""));
    assert_non_null(strstr(buf, "\"version\":1"));
    assert_non_null(strstr(buf, "\"Nobody Inparticular\""));
    free(buf);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    sanctum_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opening_a_missing_database_without_create_says_so),
        cmocka_unit_test(the_database_runs_in_wal_mode),
        cmocka_unit_test(an_update_stores_and_activates_a_version_and_identical_files_store_nothing),
        cmocka_unit_test(a_drop_of_more_than_ten_percent_is_refused_unless_forced),
        cmocka_unit_test(a_file_that_does_not_parse_is_refused_and_the_active_version_stays),
        cmocka_unit_test(a_stored_version_loads_back_with_the_same_hashes),
        cmocka_unit_test(a_diff_names_added_removed_and_changed_parts),
        cmocka_unit_test(audit_records_are_kept_and_can_never_be_changed_or_deleted),
        cmocka_unit_test(a_bad_monitor_line_stores_nothing_and_names_its_line),
        cmocka_unit_test(monitoring_alerts_once_and_a_false_positive_stays_quiet_until_the_entity_changes),
        cmocka_unit_test(an_audited_batch_records_each_screened_record),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
