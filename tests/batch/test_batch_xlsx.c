/*
 * test_batch_xlsx.c - the batch runner with workbooks and grouping by
 * person: the first sheet of an XLSX input is screened like CSV (header row,
 * Excel dates, row numbers in errors), XLSX output is one row per hit and
 * needs a file name, broken workbooks give a clear error naming the file,
 * and --group-by person turns the hits on linked listings of one party into
 * one hit with its listings, in JSON Lines and in CSV.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "sanctum.h"

static sanctum_dataset *ds;
static sanctum_index *idx;
static char dir[64];

static int setup(void **state)
{
    (void)state;
    sanctum_error err;
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.sources = "ofac-sdn,un-sc";
    if (sanctum_dataset_load(&ds, &o, &err) != 0) return -1;
    if (sanctum_index_build(&idx, ds, &err) != 0) return -1;
    snprintf(dir, sizeof dir, "/tmp/sanctum-xlsx-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    const char *files[] = { "in.xlsx", "out.xlsx", "broken.xlsx", "nosheet.xlsx" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    sanctum_thread_cleanup();
    return 0;
}

static const char *tmp_path(const char *name)
{
    static char path[4][128];
    static int turn;
    turn = (turn + 1) % 4;
    snprintf(path[turn], sizeof path[turn], "%s/%s", dir, name);
    return path[turn];
}

/* A workbook as analysts make them: a title row, the header on row 2, a date
 * of birth as an Excel date, a row left out, a record without a name. */
static const char *write_input_workbook(void)
{
    const char *path = tmp_path("in.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "customers");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    worksheet_write_string(ws, 1, 0, "id", NULL);
    worksheet_write_string(ws, 1, 1, "name", NULL);
    worksheet_write_string(ws, 1, 2, "dob", NULL);
    worksheet_write_string(ws, 2, 0, "c1", NULL);
    worksheet_write_string(ws, 2, 1, "Kim Sang Man", NULL);
    lxw_datetime dob = { 1965, 4, 25, 0, 0, 0 };
    worksheet_write_datetime(ws, 2, 2, &dob, date);
    worksheet_write_number(ws, 4, 0, 7, NULL);                  /* row 5: no name */
    worksheet_write_string(ws, 5, 0, "c3", NULL);
    worksheet_write_string(ws, 5, 1, "Ayman al-Zawahiri", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static char *run_file(const char *input_path, sanctum_batch_options *opts, int *rc, sanctum_error *err)
{
    FILE *in = fopen(input_path, "rb");
    assert_non_null(in);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sanctum_batch_summary sum;
    *rc = sanctum_batch_run(idx, in, out, opts, &sum, err);
    fclose(in);
    fclose(out);
    return buf;
}

static void screens_the_first_sheet_of_a_workbook(void **state)
{
    (void)state;
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.input_format = SANCTUM_BATCH_XLSX;
    o.threads = 2;
    o.input_name = "in.xlsx";
    int rc;
    sanctum_error err;
    char *out = run_file(write_input_workbook(), &o, &rc, &err);
    assert_int_equal(rc, 0);
    char *save = NULL;
    char *line = strtok_r(out, "\n", &save);
    json_t *r = json_loads(line, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(r, "id")), "c1");
    json_t *hit = json_array_get(json_object_get(r, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entity")), "ofac-sdn:43377");
    /* the Excel date was read as 1965-04-25 and matched the listed date of birth */
    assert_non_null(strstr(line, "\"dob\""));
    json_decref(r);
    line = strtok_r(NULL, "\n", &save);
    r = json_loads(line, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(r, "line")), 5);  /* the sheet row */
    assert_non_null(json_object_get(r, "error"));
    json_decref(r);
    line = strtok_r(NULL, "\n", &save);
    r = json_loads(line, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(r, "id")), "c3");
    json_decref(r);
    assert_null(strtok_r(NULL, "\n", &save));
    free(out);
}

/* The text of one part of a package (malloc'd), or NULL. */
static char *zip_part(const char *path, const char *part)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) return NULL;
    zip_stat_t st;
    char *buf = NULL;
    zip_file_t *f = zip_stat(z, part, 0, &st) == 0 ? zip_fopen(z, part, 0) : NULL;
    if (f) {
        buf = calloc(1, st.size + 1);
        if (buf && zip_fread(f, buf, st.size) != (zip_int64_t)st.size) {
            free(buf);
            buf = NULL;
        }
        zip_fclose(f);
    }
    zip_close(z);
    return buf;
}

static void writes_one_row_per_hit_to_a_workbook(void **state)
{
    (void)state;
    const char *input = "{\"id\": \"c1\", \"name\": \"Kim Sang Man\"}\n{\"id\": \"c2\", \"name\": \"Ayman al-Zawahiri\"}\n";
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.output_format = SANCTUM_BATCH_XLSX;
    o.output_path = tmp_path("out.xlsx");
    sanctum_batch_summary sum;
    sanctum_error err;
    assert_int_equal(sanctum_batch_run(idx, in, stdout, &o, &sum, &err), 0);
    fclose(in);
    assert_true(sum.hits >= 3);
    char *sheet = zip_part(o.output_path, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    assert_non_null(strstr(sheet, "ofac-sdn:43377"));
    assert_non_null(strstr(sheet, "un-sc:QDi.006"));
    assert_non_null(strstr(sheet, "matched_kind"));
    free(sheet);

    /* and the workbook reads back as input */
    sanctum_batch_options back = SANCTUM_BATCH_OPTIONS_INIT;
    back.input_format = SANCTUM_BATCH_XLSX;
    back.name_column = "matched";
    int rc;
    char *out = run_file(o.output_path, &back, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "ofac-sdn:43377"));
    free(out);
}

static void refuses_to_stream_a_workbook(void **state)
{
    (void)state;
    FILE *in = fmemopen((void *)"{\"name\": \"x\"}\n", 14, "r");
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.output_format = SANCTUM_BATCH_XLSX;
    sanctum_error err;
    assert_int_equal(sanctum_batch_run(idx, in, stdout, &o, NULL, &err), SANCTUM_EINVAL);
    assert_non_null(strstr(err.message, "XLSX output cannot be streamed"));
    fclose(in);
}

static void names_the_file_of_a_broken_workbook(void **state)
{
    (void)state;
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.input_format = SANCTUM_BATCH_XLSX;
    o.input_name = "broken.xlsx";
    /* not a zip at all */
    const char *path = tmp_path("broken.xlsx");
    FILE *f = fopen(path, "wb");
    fputs("id,name\n1,Kim Sang Man\n", f);
    fclose(f);
    int rc;
    sanctum_error err;
    free(run_file(path, &o, &rc, &err));
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_string_equal(err.file, "broken.xlsx");
    assert_non_null(strstr(err.message, "not an XLSX workbook"));
    /* a workbook cut short */
    const char *good = write_input_workbook();
    FILE *g = fopen(good, "rb");
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, g);
    fclose(g);
    f = fopen(path, "wb");
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    free(run_file(path, &o, &rc, &err));
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_string_equal(err.file, "broken.xlsx");
    /* a zip that is no workbook */
    const char *nosheet = tmp_path("nosheet.xlsx");
    int zerr;
    zip_t *z = zip_open(nosheet, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    zip_source_t *src = zip_source_buffer(z, "hello", 5, 0);
    zip_file_add(z, "hello.txt", src, ZIP_FL_OVERWRITE);
    zip_close(z);
    o.input_name = "nosheet.xlsx";
    free(run_file(nosheet, &o, &rc, &err));
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "xl/workbook.xml"));
    /* an empty file */
    f = fopen(path, "wb");
    fclose(f);
    o.input_name = "broken.xlsx";
    free(run_file(path, &o, &rc, &err));
    assert_int_equal(rc, SANCTUM_EPARSE);
}

static void groups_the_hits_of_one_person_into_one(void **state)
{
    (void)state;
    const char *input = "{\"id\": \"c2\", \"name\": \"Ayman al-Zawahiri\", \"dob\": \"1951\"}\n";
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.group_by_person = 1;
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sanctum_batch_summary sum;
    sanctum_error err;
    assert_int_equal(sanctum_batch_run(idx, in, out, &o, &sum, &err), 0);
    fclose(in);
    fclose(out);
    json_t *r = json_loads(buf, 0, NULL);
    json_t *hits = json_object_get(r, "hits");
    /* the OFAC and the UN listing are one hit with two listings */
    size_t zawahiri = 0;
    for (size_t i = 0; i < json_array_size(hits); i++) {
        json_t *h = json_array_get(hits, i);
        const char *id = json_string_value(json_object_get(h, "entity"));
        json_t *listings = json_object_get(h, "listings");
        assert_true(json_array_size(listings) >= 1);
        if (strcmp(id, "ofac-sdn:2676") == 0 || strcmp(id, "un-sc:QDi.006") == 0) {
            zawahiri++;
            assert_int_equal(json_array_size(listings), 2);
        }
    }
    assert_int_equal(zawahiri, 1);
    assert_int_equal(sum.hits, json_array_size(hits));
    json_decref(r);
    free(buf);

    /* CSV: one row for the person, its listings in one column */
    const char *csv = "id,name\nc2,Ayman al-Zawahiri\n";
    o.input_format = o.output_format = SANCTUM_BATCH_CSV;
    in = fmemopen((void *)csv, strlen(csv), "r");
    buf = NULL;
    out = open_memstream(&buf, &len);
    assert_int_equal(sanctum_batch_run(idx, in, out, &o, &sum, &err), 0);
    fclose(in);
    fclose(out);
    assert_non_null(strstr(buf, "id,query,rank,entity,list,type,score,name,matched,matched_kind,listings,error\n"));
    assert_true(strstr(buf, "ofac-sdn:2676; un-sc:QDi.006") || strstr(buf, "un-sc:QDi.006; ofac-sdn:2676"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(screens_the_first_sheet_of_a_workbook),
        cmocka_unit_test(writes_one_row_per_hit_to_a_workbook),
        cmocka_unit_test(refuses_to_stream_a_workbook),
        cmocka_unit_test(names_the_file_of_a_broken_workbook),
        cmocka_unit_test(groups_the_hits_of_one_person_into_one),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
