/*
 * test_csl.c - the US Consolidated Screening List loader, against the real
 * consolidated.csv (row and entity counts compared with an independent count
 * of the file, rows of one `_id` merged with every program and source list,
 * SDN rows carrying their OFAC entity number, `ids` items read as documents,
 * wallets and gender) and against small files written to a temporary folder
 * (`ids` written type first, a bad `ids` cell, malformed CSV, strict mode).
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

#include "sanctum/dataset.h"
#include "sanctum/entity.h"

#define LIST_SOURCE "us-csl"
#define LIST_FILE "consolidated.csv"
#include "lists/list_fixture.h"

static size_t count_attr(const sanctum_entity *e, const char *key, const char *value)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0 && (!value || strcmp(e->attrs[i].value, value) == 0)) n++;
    return n;
}

static int has_program(const sanctum_entity *e, const char *p)
{
    for (size_t i = 0; i < e->n_programs; i++)
        if (strcmp(e->programs[i], p) == 0) return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Counts records (line breaks outside quotes) and distinct first fields of a
 * CSV file without the library's reader. */
static void count_file(const char *path, size_t *rows, size_t *distinct)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 15, n = 0;
    char **ids = malloc(cap * sizeof *ids);
    assert_non_null(ids);
    char cur[128];
    size_t cl = 0;
    int quoted = 0, c, in_first = 1;
    size_t records = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == '"') quoted = !quoted;
        if (!quoted && c == '\n') {
            if (records > 0) {
                cur[cl] = '\0';
                if (n == cap) {
                    cap *= 2;
                    ids = realloc(ids, cap * sizeof *ids);
                    assert_non_null(ids);
                }
                ids[n++] = strdup(cur);
            }
            records++;
            cl = 0;
            in_first = 1;
            continue;
        }
        if (!quoted && c == ',') in_first = 0;
        else if (in_first && c != '"' && cl + 1 < sizeof cur) cur[cl++] = (char)c;
    }
    fclose(f);
    qsort(ids, n, sizeof *ids, cmp_str);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(ids[i], ids[i - 1]) != 0) d++;
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
    *rows = records - 1;
    *distinct = d;
}

static void the_counts_match_an_independent_count_of_the_file(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/us-csl/consolidated.csv", data_dir());
    size_t rows, distinct;
    count_file(path, &rows, &distinct);
    assert_int_equal(rows, 14160);
    assert_int_equal(distinct, 14160 - (183 - 71));
    const sanctum_source_info *s = sanctum_dataset_source(real, 0);
    assert_string_equal(s->name, "us-csl");
    assert_int_equal(s->records[0], rows);
    assert_int_equal(s->entities, distinct);
    assert_int_equal(s->by_type[3], 433);
    assert_int_equal(s->by_type[4], 283);
    assert_int_equal(s->n_warnings, 0);
}

static void rows_of_one_id_are_merged_with_every_program_and_source_list(void **state)
{
    (void)state;
    const sanctum_entity *e = must_find(real, "us-csl:17018");
    assert_string_equal(e->names[0].full, "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA");
    assert_int_equal(e->type, SANCTUM_TYPE_ORGANIZATION);
    assert_true(has_program(e, "UKRAINE-EO13662"));
    assert_true(has_program(e, "RUSSIA-EO14024"));
    assert_true(has_program(e, "MBS"));
    assert_int_equal(e->n_programs, 3);
    assert_int_equal(count_attr(e, "source_list", NULL), 3);
    for (size_t i = 1; i < e->n_names; i++) assert_int_not_equal(e->names[i].kind, SANCTUM_NAME_PRIMARY);
}

static void sdn_rows_carry_their_ofac_entity_number(void **state)
{
    (void)state;
    assert_int_equal(count_attr(must_find(real, "us-csl:17018"), "ofac_ent_num", "17018"), 1);
    size_t sdn = 0, tagged = 0;
    for (size_t i = 0; i < sanctum_dataset_count(real); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(real, i);
        int is_sdn = 0;
        for (size_t k = 0; k < e->n_attrs; k++)
            if (!strcmp(e->attrs[k].key, "source_list") &&
                !strncmp(e->attrs[k].value, "Specially Designated Nationals", 30))
                is_sdn = 1;
        sdn += is_sdn;
        tagged += count_attr(e, "ofac_ent_num", e->key) == 1;
    }
    assert_int_equal(sdn, tagged);
    assert_int_equal(sdn, 10026); /* SDN rows; no SDN _id repeats on two SDN rows */
}

static void ids_become_documents_wallets_and_gender(void **state)
{
    (void)state;
    const sanctum_entity *e = must_find(real, "us-csl:29703");
    assert_string_equal(e->gender, "Male");
    int passport = 0;
    for (size_t i = 0; i < e->n_documents; i++)
        if (!strcmp(e->documents[i].type, "Passport") && !strcmp(e->documents[i].number, "4005504207")) {
            assert_string_equal(e->documents[i].country, "RU");
            passport = 1;
        }
    assert_true(passport);
    int xbt = 0;
    for (size_t i = 0; i < e->n_wallets; i++)
        if (!strcmp(e->wallets[i].currency, "XBT") && !strcmp(e->wallets[i].address, "1Fz29BQp82pE3vXXcsZoMNQ3KSHfMzfMe3"))
            xbt = 1;
    assert_true(xbt);
    assert_string_equal(e->dobs[0].text, "1985-03-03");
    assert_int_equal(e->dobs[0].year, 1985);

    /* "CHO, Il-U": KP, 736410010, Passport; notes kept as attributes */
    const sanctum_entity *cho = must_find(real, "us-csl:19791");
    assert_string_equal(cho->documents[0].number, "736410010");
    assert_string_equal(cho->documents[0].country, "KP");
    assert_int_equal(count_attr(cho, "Secondary sanctions risk", NULL), 1);
}

/* ---- small files ------------------------------------------------------------ */

#define HEADER "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date," \
    "end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage," \
    "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships," \
    "dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n"
#define SDN "Specially Designated Nationals (SDN) - Treasury Department"
#define ROW(id, name, alt, ids) id "," SDN "," id ",Individual,DPRK2," name ",,,,,,,,,,,,,,,,,\"" alt "\",,1980,KP,,,\"" ids "\"\n"

static void ids_written_type_first_are_detected_and_read(void **state)
{
    (void)state;
    write_file(HEADER ROW("100", "\"KIM, Chol\"", "KIM, Cheol; GIM, Chol", "Passport, 836238033, KP; Gender, Male")
               ROW("101", "\"PAK, Il\"", "", "Digital Currency Address - ETH, 0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9"));
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 1, &err), 0);
    const sanctum_entity *e = must_find(ds, "us-csl:100");
    assert_string_equal(e->gender, "Male");
    assert_int_equal(e->n_documents, 1);
    assert_string_equal(e->documents[0].type, "Passport");
    assert_string_equal(e->documents[0].number, "836238033");
    assert_string_equal(e->documents[0].country, "KP");
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[1].full, "KIM, Cheol");
    const sanctum_entity *p = must_find(ds, "us-csl:101");
    assert_int_equal(p->n_wallets, 1);
    assert_string_equal(p->wallets[0].currency, "ETH");
    sanctum_dataset_free(ds);
    remove_file();
}

static void a_bad_ids_cell_is_reported_with_its_line_and_kept(void **state)
{
    (void)state;
    write_file(HEADER ROW("100", "\"KIM, Chol\"", "", "736410010, Passport") ROW("101", "\"PAK, Il\"", "", "Passport; , Gender")
               ROW("102", "\"RI, Su\"", "", "K1, Passport"));
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 0, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->entities, 3);
    assert_int_equal(s->n_warnings, 2);
    assert_int_equal(s->warnings[0].line, 3);
    assert_int_equal(s->warnings[1].line, 3);
    assert_non_null(strstr(s->warnings[0].file, "consolidated.csv"));
    assert_non_null(strstr(s->warnings[0].message, "Passport"));
    assert_int_equal(count_attr(must_find(ds, "us-csl:101"), "ids_unparsed", "Passport"), 1);
    sanctum_dataset_free(ds);

    assert_int_equal(load(&ds, tmp_root, 1, &err), SANCTUM_ESTRICT);
    assert_null(ds);
    assert_int_equal(err.line, 3);
    remove_file();
}

static void rows_without_id_or_name_are_reported_and_malformed_csv_fails(void **state)
{
    (void)state;
    write_file(HEADER ROW("", "\"KIM, Chol\"", "", "") ROW("7", "", "", "") "8,only,three\n");
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 0, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->records[0], 3);
    assert_int_equal(s->entities, 0);
    assert_int_equal(s->n_warnings, 3);
    assert_int_equal(s->warnings[0].line, 2);
    assert_int_equal(s->warnings[1].line, 3);
    assert_int_equal(s->warnings[2].line, 4);
    sanctum_dataset_free(ds);
    remove_file();

    write_file(HEADER "9,\"SDN,x\n");
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_null(ds);
    assert_non_null(strstr(err.file, "consolidated.csv"));
    assert_int_equal(err.line, 2);
    remove_file();

    write_file("_id,source\n1,x\n");
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "name"));
    remove_file();
}

int main(void)
{
    const struct CMUnitTest real_tests[] = {
        cmocka_unit_test(the_counts_match_an_independent_count_of_the_file),
        cmocka_unit_test(rows_of_one_id_are_merged_with_every_program_and_source_list),
        cmocka_unit_test(sdn_rows_carry_their_ofac_entity_number),
        cmocka_unit_test(ids_become_documents_wallets_and_gender),
    };
    const struct CMUnitTest file_tests[] = {
        cmocka_unit_test(ids_written_type_first_are_detected_and_read),
        cmocka_unit_test(a_bad_ids_cell_is_reported_with_its_line_and_kept),
        cmocka_unit_test(rows_without_id_or_name_are_reported_and_malformed_csv_fails),
    };
    int failed = cmocka_run_group_tests_name("us-csl list (real file)", real_tests, load_real, free_real);
    failed += cmocka_run_group_tests_name("us-csl list (small files)", file_tests, NULL, NULL);
    sanctum_thread_cleanup();
    return failed;
}
