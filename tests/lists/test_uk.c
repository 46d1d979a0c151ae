/*
 * test_uk.c - the UK OFSI consolidated list loader, against the real
 * ConList.xlsx (row count compared with the rows counted straight from the
 * sheet's XML, one entity per Group ID with every name variant, alias kinds
 * and quality, Hangul names with their script, dates with 00 parts, tagged
 * segments and wallets in Other Information) and against small workbooks
 * written with libzip (inline and self-closing cells, a byte order mark,
 * xml:space, rows without a Group ID, a broken zip, a missing sheet,
 * malformed XML, strict mode).
 */
#define _POSIX_C_SOURCE 200809L
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
#include <zip.h>

#include "sanctum/dataset.h"
#include "sanctum/entity.h"

#define LIST_SOURCE "uk"
#define LIST_FILE "ConList.xlsx"
#include "lists/list_fixture.h"

static const sanctum_name *find_name(const sanctum_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].full, full) == 0) return &e->names[i];
    return NULL;
}

static const char *find_attr(const sanctum_entity *e, const char *key)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0) return e->attrs[i].value;
    return NULL;
}

/* Rows of the sheet counted from its XML: every "<row " start tag. */
static size_t count_sheet_rows(const char *xlsx)
{
    int ze = 0;
    zip_t *z = zip_open(xlsx, ZIP_RDONLY, &ze);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, "xl/worksheets/sheet1.xml", 0, &st), 0);
    char *buf = malloc(st.size + 1);
    assert_non_null(buf);
    zip_file_t *f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
    assert_non_null(f);
    assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_discard(z);
    buf[st.size] = '\0';
    size_t n = 0;
    for (size_t i = 0; i + 5 <= st.size; i++) n += memcmp(buf + i, "<row ", 5) == 0;
    free(buf);
    return n;
}

static void the_counts_match_the_rows_of_the_sheet(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/uk/ConList.xlsx", data_dir());
    size_t rows = count_sheet_rows(path);
    assert_int_equal(rows, 18800);
    const sanctum_source_info *s = sanctum_dataset_source(real, 0);
    assert_string_equal(s->name, "uk");
    assert_int_equal(s->records[0], rows - 2); /* less the "Last Updated" and header rows */
    assert_int_equal(s->entities, 4688);
    assert_int_equal(s->by_type[1], 3663);
    assert_int_equal(s->by_type[2], 1010);
    assert_int_equal(s->by_type[3], 15);
    assert_string_equal(s->published, "2025-04-14");
    /* the two groups that have no "Primary name" row */
    assert_int_equal(s->n_warnings, 2);
    assert_non_null(strstr(s->warnings[0].message, "no 'Primary name' row"));
}

static void a_group_of_400_rows_is_one_entity_with_all_its_names(void **state)
{
    (void)state;
    const sanctum_entity *e = must_find(real, "uk:13344");
    assert_int_equal(e->type, SANCTUM_TYPE_PERSON);
    assert_int_equal(e->n_names, 5);
    assert_non_null(find_name(e, "JOSEPH KONY"));
    assert_non_null(find_name(e, "Josef KONY"));
    assert_int_equal(find_name(e, "LE MESSIE SANGLANT")->quality, SANCTUM_QUALITY_WEAK);
    assert_int_equal(e->names[0].kind, SANCTUM_NAME_PRIMARY);
    for (size_t i = 1; i < e->n_names; i++) assert_int_not_equal(e->names[i].kind, SANCTUM_NAME_PRIMARY);
}

static void name_parts_dates_documents_and_tags_are_read(void **state)
{
    (void)state;
    const sanctum_entity *e = must_find(real, "uk:13471");
    assert_string_equal(e->names[0].full, "CHO IL U");
    assert_string_equal(e->names[0].surname, "IL U");
    assert_string_equal(e->names[0].given, "CHO");
    assert_non_null(find_name(e, "Cho CH’O’L"));
    assert_non_null(find_name(e, "Jo CHOL"));
    assert_int_equal(e->n_dobs, 1);
    assert_int_equal(e->dobs[0].year, 1945);
    assert_int_equal(e->dobs[0].month, 5);
    assert_int_equal(e->dobs[0].day, 10);
    assert_string_equal(e->documents[0].type, "Passport");
    assert_string_equal(e->documents[0].number, "736410010");
    assert_string_equal(find_attr(e, "un_ref"), "KPi.040");
    assert_string_equal(find_attr(e, "uk_sanctions_list_ref"), "DPR0202");
    assert_string_equal(e->programs[0], "Democratic People's Republic of Korea");
    assert_string_equal(e->listed_on, "2017-06-05");

    const sanctum_entity *p = must_find(real, "uk:13378");
    int unknown_parts = 0;
    for (size_t i = 0; i < p->n_dobs; i++)
        if (!strcmp(p->dobs[i].text, "00/00/1994")) unknown_parts = p->dobs[i].year == 1994 && !p->dobs[i].month && !p->dobs[i].day;
    assert_true(unknown_parts);
    assert_int_equal(find_name(p, "1-P")->quality, SANCTUM_QUALITY_WEAK);
    assert_int_equal(find_name(p, "Ali Mohammed KONY")->quality, SANCTUM_QUALITY_STRONG);
    int weak = 0;
    for (size_t i = 0; i < p->n_names; i++) weak += p->names[i].quality == SANCTUM_QUALITY_WEAK;
    assert_true(weak > 0);
    const sanctum_entity *f = must_find(real, "uk:13189");
    int fka = 0;
    for (size_t i = 0; i < f->n_names; i++) fka += f->names[i].kind == SANCTUM_NAME_FKA;
    assert_true(fka > 0);
}

static void hangul_names_are_names_with_their_script(void **state)
{
    (void)state;
    const sanctum_entity *e = must_find(real, "uk:16816");
    assert_string_equal(e->names[0].full, "KIM YONG BOK");
    const sanctum_name *n = find_name(e, "김영복");
    assert_non_null(n);
    assert_int_equal(n->script, SANCTUM_SCRIPT_HANGUL);
    assert_int_equal(n->kind, SANCTUM_NAME_ORIGINAL);
    assert_string_equal(find_attr(e, "non_latin_script"), "Hangul (Korean): 김영복");
}

static void wallets_in_other_information_are_wallets(void **state)
{
    (void)state;
    const sanctum_entity *e = must_find(real, "uk:16459");
    int eth = 0, bnb = 0, usdt = 0;
    for (size_t i = 0; i < e->n_wallets; i++) {
        if (!strcmp(e->wallets[i].currency, "ETH") && !strcmp(e->wallets[i].address, "0x175d44451403Edf28469dF03A9280c1197ADb92c")) eth = 1;
        if (!strcmp(e->wallets[i].currency, "BNB") && !strcmp(e->wallets[i].address, "0x175d44451403Edf28469dF03A9280c1197ADb92c")) bnb = 1;
        if (!strcmp(e->wallets[i].currency, "USDT") && !strcmp(e->wallets[i].address, "TGJVc32ig2u8tQsYMLE7KXHT5NDQroaVNU")) usdt = 1;
    }
    assert_true(eth && bnb && usdt);
    const sanctum_entity *g = must_find(real, "uk:15329");
    int xbt = 0;
    for (size_t i = 0; i < g->n_wallets; i++)
        if (!strcmp(g->wallets[i].currency, "XBT") && !strcmp(g->wallets[i].address, "3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1")) xbt = 1;
    assert_true(xbt);
    assert_non_null(g->websites);
    assert_string_equal(g->websites[0], "garantex.io");
}

/* ---- small workbooks ------------------------------------------------------------ */

/* Writes <tmp>/uk/ConList.xlsx from the given parts (NULL: left out), or the
 * raw bytes when `raw` is set. */
static void write_book(const char *shared, const char *sheet, const char *raw)
{
    char path[160];
    make_list_dir(path, sizeof path);
    if (raw) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(raw, f);
        fclose(f);
        return;
    }
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    if (shared) {
        zip_source_t *s = zip_source_buffer(z, shared, strlen(shared), 0);
        assert_true(zip_file_add(z, "xl/sharedStrings.xml", s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    if (sheet) {
        zip_source_t *s = zip_source_buffer(z, sheet, strlen(sheet), 0);
        assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

#define SST_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
/* shared strings 0..7 */
#define SST SST_HEAD "<si><t>Name 6</t></si><si><t>Name 1</t></si><si><t>Group ID</t></si><si><t>Alias Type</t></si>" \
    "<si><t>Group Type</t></si><si><t xml:space=\"preserve\"> KIM </t></si><si><r><t>Sang</t></r><r><t xml:space=\"preserve\"> Man</t></r></si>" \
    "<si><t>Primary name</t></si></sst>"
#define SHEET_HEAD "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define HEADER_ROW "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c><c r=\"C2\" t=\"s\"><v>2</v></c>" \
    "<c r=\"D2\" t=\"s\"><v>3</v></c><c r=\"E2\" t=\"s\"><v>4</v></c></row>"

static void inline_and_self_closing_cells_bom_and_rich_text_are_read(void **state)
{
    (void)state;
    write_book(SST, SHEET_HEAD HEADER_ROW
               "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></c><c r=\"B3\" t=\"s\"><v>6</v></c><c r=\"C3\" t=\"inlineStr\"><is><t>42</t></is></c>"
               "<c r=\"D3\" t=\"s\"><v>7</v></c><c r=\"E3\" t=\"inlineStr\"><is><t>Individual</t></is></c><c r=\"F3\" s=\"1\"/></row>"
               "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>KIM</t></is></c><c r=\"B4\" t=\"inlineStr\"><is><t>Sang-man</t></is></c>"
               "<c r=\"C4\"><v>42</v></c><c r=\"D4\" t=\"inlineStr\"><is><t>AKA</t></is></c></row>"
               "</sheetData></worksheet>", NULL);
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    int rc = load(&ds, tmp_root, 0, &err);
    if (rc) fail_msg("%s", err.message);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->records[0], 2);
    assert_int_equal(s->entities, 1);
    const sanctum_entity *e = must_find(ds, "uk:42");
    assert_int_equal(e->type, SANCTUM_TYPE_PERSON);
    assert_string_equal(e->names[0].full, "Sang Man KIM");
    assert_string_equal(e->names[1].full, "Sang-man KIM");
    sanctum_dataset_free(ds);
    remove_file();
}

static void rows_without_group_id_are_reported_with_their_row(void **state)
{
    (void)state;
    write_book(SST, SHEET_HEAD HEADER_ROW
               "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></c><c r=\"D3\" t=\"s\"><v>7</v></c></row>"
               "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>99</v></c><c r=\"C4\" t=\"inlineStr\"><is><t>7</t></is></c></row>"
               "</sheetData></worksheet>", NULL);
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 0, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->records[0], 2);
    size_t no_group = 0, bad_ref = 0;
    for (size_t i = 0; i < s->n_warnings; i++) {
        if (strstr(s->warnings[i].message, "no Group ID")) no_group = s->warnings[i].line;
        if (strstr(s->warnings[i].message, "shared string")) bad_ref = s->warnings[i].line;
    }
    assert_int_equal(no_group, 3);
    assert_int_equal(bad_ref, 4);
    sanctum_dataset_free(ds);
    assert_int_equal(load(&ds, tmp_root, 1, &err), SANCTUM_ESTRICT);
    assert_null(ds);
    remove_file();
}

static void a_broken_workbook_is_an_error_naming_the_file(void **state)
{
    (void)state;
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    write_book(NULL, NULL, "PK\x03\x04 this is not really a zip archive");
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_null(ds);
    assert_non_null(strstr(err.file, "ConList.xlsx"));
    assert_non_null(strstr(err.message, "zip"));
    remove_file();

    write_book(SST, NULL, NULL);
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "sheet1.xml"));
    remove_file();

    write_book(SST, SHEET_HEAD HEADER_ROW "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></row>", NULL);
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "sheet1.xml"));
    assert_non_null(strstr(err.message, "malformed XML"));
    remove_file();

    write_book(SST_HEAD "<si><t>broken</si></sst>", SHEET_HEAD HEADER_ROW "</sheetData></worksheet>", NULL);
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "sharedStrings.xml"));
    remove_file();

    write_book(SST, SHEET_HEAD "</sheetData></worksheet>", NULL);
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "header"));
    remove_file();
}

int main(void)
{
    const struct CMUnitTest real_tests[] = {
        cmocka_unit_test(the_counts_match_the_rows_of_the_sheet),
        cmocka_unit_test(a_group_of_400_rows_is_one_entity_with_all_its_names),
        cmocka_unit_test(name_parts_dates_documents_and_tags_are_read),
        cmocka_unit_test(hangul_names_are_names_with_their_script),
        cmocka_unit_test(wallets_in_other_information_are_wallets),
    };
    const struct CMUnitTest file_tests[] = {
        cmocka_unit_test(inline_and_self_closing_cells_bom_and_rich_text_are_read),
        cmocka_unit_test(rows_without_group_id_are_reported_with_their_row),
        cmocka_unit_test(a_broken_workbook_is_an_error_naming_the_file),
    };
    int failed = cmocka_run_group_tests_name("uk list (real file)", real_tests, load_real, free_real);
    failed += cmocka_run_group_tests_name("uk list (small files)", file_tests, NULL, NULL);
    sanctum_thread_cleanup();
    return failed;
}
