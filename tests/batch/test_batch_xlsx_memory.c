/*
 * test_batch_xlsx_memory.c - reading a workbook held in memory
 * (sanctum_batch_xlsx_read): a good sheet becomes CSV whose line numbers are
 * the sheet's rows and which the batch runner screens to the right hit;
 * bytes that are not a zip, a zip that is no workbook, a sheet with nothing
 * in it or without the name column, a cell pointing at a missing shared
 * string, and a workbook that unpacks past the cap each give a clear error
 * naming the sheet (and the row where there is one).
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

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sanctum-xlsxmem-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rmdir(dir);
    sanctum_thread_cleanup();
    return 0;
}

typedef struct blob {
    char *data;
    size_t size;
} blob;

/* Closes the workbook, reads its bytes into memory and removes the file. */
static blob finish(lxw_workbook *wb, const char *path)
{
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    blob b = { NULL, 0 };
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    b.size = (size_t)n;
    b.data = malloc(b.size);
    assert_non_null(b.data);
    rewind(f);
    assert_int_equal(fread(b.data, 1, b.size, f), b.size);
    fclose(f);
    unlink(path);
    return b;
}

static lxw_workbook *start(const char *sheet, char *path, size_t size, lxw_worksheet **ws)
{
    snprintf(path, size, "%s/book.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    *ws = workbook_add_worksheet(wb, sheet);
    return wb;
}

/* A title row, the header on row 2, a listed name on row 3, a row left out, a
 * nobody on row 5. */
static blob good_workbook(void)
{
    char path[128];
    lxw_worksheet *ws;
    lxw_workbook *wb = start("customers", path, sizeof path, &ws);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    worksheet_write_string(ws, 0, 0, "Customers to onboard", NULL);
    worksheet_write_string(ws, 1, 0, "id", NULL);
    worksheet_write_string(ws, 1, 1, "name", NULL);
    worksheet_write_string(ws, 1, 2, "dob", NULL);
    worksheet_write_string(ws, 2, 0, "c1", NULL);
    worksheet_write_string(ws, 2, 1, "Kim Sang-man", NULL);
    lxw_datetime dob = { 1965, 4, 25, 0, 0, 0 };
    worksheet_write_datetime(ws, 2, 2, &dob, date);
    worksheet_write_string(ws, 4, 0, "c2", NULL);
    worksheet_write_string(ws, 4, 1, "Zzyzx, \"Nobody\"", NULL);
    return finish(wb, path);
}

static const char *line_of(const char *text, int n, char *buf, size_t size)
{
    const char *p = text;
    for (int i = 1; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    assert_non_null(p);
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    assert_true(len < size);
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}

static void reads_the_first_sheet_as_csv_with_row_numbers(void **state)
{
    (void)state;
    blob b = good_workbook();
    char *csv = NULL;
    size_t len = 0;
    sanctum_error err;
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size, 0, NULL, &err), 0);
    assert_non_null(csv);
    assert_int_equal(strlen(csv), len);
    char buf[256];
    assert_string_equal(line_of(csv, 1, buf, sizeof buf), "");   /* the title row */
    assert_string_equal(line_of(csv, 2, buf, sizeof buf), "id,name,dob");
    assert_string_equal(line_of(csv, 3, buf, sizeof buf), "c1,Kim Sang-man,1965-04-25");
    assert_string_equal(line_of(csv, 4, buf, sizeof buf), "");   /* the row left out */
    assert_string_equal(line_of(csv, 5, buf, sizeof buf), "c2,\"Zzyzx, \"\"Nobody\"\"\",");
    sanctum_string_free(csv);
    free(b.data);
}

static void the_sheet_screens_to_the_right_hit(void **state)
{
    (void)state;
    sanctum_dataset *ds;
    sanctum_index *idx;
    sanctum_error err;
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    lo.sources = "ofac-sdn";
    assert_int_equal(sanctum_dataset_load(&ds, &lo, &err), 0);
    assert_int_equal(sanctum_index_build(&idx, ds, &err), 0);
    blob b = good_workbook();
    char *csv = NULL;
    size_t len = 0;
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size, 0, NULL, &err), 0);
    FILE *in = fmemopen(csv, len, "r");
    char *out = NULL;
    size_t outlen = 0;
    FILE *o = open_memstream(&out, &outlen);
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    opts.input_format = SANCTUM_BATCH_CSV;
    opts.threads = 1;
    sanctum_batch_summary sum;
    assert_int_equal(sanctum_batch_run(idx, in, o, &opts, &sum, &err), 0);
    fclose(in);
    fclose(o);
    assert_int_equal(sum.lines, 2);
    assert_int_equal(sum.with_hits, 1);
    json_t *r = json_loads(out, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "id")), "c1");
    json_t *hit = json_array_get(json_object_get(r, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entity")), "ofac-sdn:43377");
    json_decref(r);
    free(out);
    sanctum_string_free(csv);
    free(b.data);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
}

static void bytes_that_are_not_a_zip_are_refused(void **state)
{
    (void)state;
    const char text[] = "id,name\nc1,Kim Sang-man\n";
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.input_name = "upload";
    char *csv = (char *)"untouched";
    size_t len = 7;
    sanctum_error err;
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, text, sizeof text - 1, 0, &o, &err), SANCTUM_EPARSE);
    assert_null(csv);
    assert_int_equal(len, 0);
    assert_string_equal(err.file, "upload");
    assert_non_null(strstr(err.message, "not an XLSX workbook"));
    /* nothing at all */
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, NULL, 0, 0, &o, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "empty"));
    /* the first half of a real workbook */
    blob b = good_workbook();
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size / 2, 0, &o, &err), SANCTUM_EPARSE);
    assert_null(csv);
    free(b.data);
    /* a zip holding something else */
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    zip_file_add(z, "hello.txt", zip_source_buffer(z, "hello", 5, 0), ZIP_FL_OVERWRITE);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *zipped = malloc((size_t)size);
    assert_int_equal(zip_source_read(src, zipped, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&zerr);
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, zipped, (size_t)size, 0, &o, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "xl/workbook.xml"));
    free(zipped);
}

static void an_empty_sheet_names_the_sheet(void **state)
{
    (void)state;
    char path[128];
    lxw_worksheet *ws;
    lxw_workbook *wb = start("Leer", path, sizeof path, &ws);
    blob b = finish(wb, path);
    char *csv = NULL;
    size_t len = 0;
    sanctum_error err;
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size, 0, NULL, &err), SANCTUM_EPARSE);
    assert_null(csv);
    assert_non_null(strstr(err.message, "\"Leer\""));
    assert_non_null(strstr(err.message, "no header row with a \"name\" column"));
    free(b.data);
    /* cells, but not the name column that was asked for */
    wb = start("people", path, sizeof path, &ws);
    worksheet_write_string(ws, 0, 0, "id", NULL);
    worksheet_write_string(ws, 0, 1, "name", NULL);
    worksheet_write_string(ws, 1, 1, "Kim Sang-man", NULL);
    b = finish(wb, path);
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.name_column = "full_name";
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size, 0, &o, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "\"full_name\""));
    assert_non_null(strstr(err.message, "\"people\""));
    free(b.data);
}

/* Rewrites one part of the workbook in b (zip in memory), replacing from by to. */
static blob patch(blob b, const char *part, const char *from, const char *to)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(b.data, b.size, 0, &zerr);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, 0, &zerr);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, part, 0, &st), 0);
    char *xml = calloc(1, (size_t)st.size + 1);
    zip_file_t *f = zip_fopen(z, part, 0);
    assert_int_equal(zip_fread(f, xml, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    char *at = strstr(xml, from);
    assert_non_null(at);
    size_t nlen = st.size - strlen(from) + strlen(to);
    char *patched = malloc(nlen + 1);
    size_t head = (size_t)(at - xml);
    memcpy(patched, xml, head);
    strcpy(patched + head, to);
    strcat(patched, at + strlen(from));
    free(xml);
    zip_source_t *ps = zip_source_buffer(z, patched, nlen, 1);
    assert_true(zip_file_add(z, part, ps, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    blob out = { NULL, (size_t)zip_source_tell(src) };
    zip_source_seek(src, 0, SEEK_SET);
    out.data = malloc(out.size);
    assert_int_equal(zip_source_read(src, out.data, out.size), (zip_int64_t)out.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&zerr);
    return out;
}

static void a_bad_cell_names_the_sheet_and_the_row(void **state)
{
    (void)state;
    blob b = good_workbook();
    /* row 3's name cell points past the shared strings */
    blob bad = patch(b, "xl/worksheets/sheet1.xml", "<c r=\"B3\" t=\"s\"><v>", "<c r=\"B3\" t=\"s\"><v>9");
    char *csv = NULL;
    size_t len = 0;
    sanctum_error err;
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, bad.data, bad.size, 0, NULL, &err), SANCTUM_EPARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "sheet \"customers\""));
    assert_non_null(strstr(err.message, "shared string"));
    free(bad.data);
    /* a cell reference that is no column */
    bad = patch(b, "xl/worksheets/sheet1.xml", "<c r=\"A5\"", "<c r=\"5A\"");
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, bad.data, bad.size, 0, NULL, &err), SANCTUM_EPARSE);
    assert_int_equal(err.line, 5);
    assert_non_null(strstr(err.message, "bad cell reference"));
    free(bad.data);
    free(b.data);
}

static void a_workbook_that_unpacks_past_the_cap_is_refused(void **state)
{
    (void)state;
    blob b = good_workbook();
    char *csv = NULL;
    size_t len = 0;
    sanctum_error err;
    /* xl/workbook.xml alone is over 256 bytes unpacked */
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size, 256, NULL, &err), SANCTUM_ELIMIT);
    assert_null(csv);
    assert_non_null(strstr(err.message, "over 256 bytes"));
    assert_int_equal(sanctum_batch_xlsx_read(&csv, &len, b.data, b.size, 1u << 20, NULL, &err), 0);
    sanctum_string_free(csv);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_first_sheet_as_csv_with_row_numbers),
        cmocka_unit_test(the_sheet_screens_to_the_right_hit),
        cmocka_unit_test(bytes_that_are_not_a_zip_are_refused),
        cmocka_unit_test(an_empty_sheet_names_the_sheet),
        cmocka_unit_test(a_bad_cell_names_the_sheet_and_the_row),
        cmocka_unit_test(a_workbook_that_unpacks_past_the_cap_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
