/*
 * test_kr.c - the loader of South Korea's curated designations, against the
 * real designations.csv (row and type counts compared with an independent
 * count of the file, Hangul primary names, published and generated
 * spellings, stable ids, the OFAC hint, screening in Latin script and in
 * Hangul) and against small files written to a temporary folder (a row
 * without a name, a malformed CSV, a missing column, strict mode).
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
#include "sanctum/match.h"

#define LIST_SOURCE "kr"
#define LIST_FILE "designations.csv"
#include "lists/list_fixture.h"

static const sanctum_entity *by_primary(const sanctum_dataset *ds, const char *name)
{
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        if (strcmp(e->names[0].full, name) == 0) return e;
    }
    fail_msg("no entity with the primary name %s", name);
    return NULL;
}

static const sanctum_name *find_name(const sanctum_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].full, full) == 0) return &e->names[i];
    return NULL;
}

static const char *find_attr(const sanctum_entity *e, const char *key, const char *value)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0 && (!value || strcmp(e->attrs[i].value, value) == 0))
            return e->attrs[i].value;
    return NULL;
}

/* Counts the records of a CSV file without the library's reader: line
 * breaks outside quotes that end a non-empty line, minus the header. Also
 * counts the `type` column's values (column 5). */
static void count_file(const char *path, size_t *rows, size_t *person, size_t *org, size_t *vessel)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    int quoted = 0, c, line_has = 0;
    size_t records = 0, field = 0;
    char type[32];
    size_t tl = 0;
    *person = *org = *vessel = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '\n')) {
            if (line_has) {
                type[tl] = '\0';
                if (records > 0) {
                    if (!strcmp(type, "person")) (*person)++;
                    else if (!strcmp(type, "organization")) (*org)++;
                    else if (!strcmp(type, "vessel")) (*vessel)++;
                }
                records++;
            }
            line_has = 0;
            field = 0;
            tl = 0;
            continue;
        }
        if (c == '\r' && !quoted) continue;
        line_has = 1;
        if (!quoted && c == ',') {
            field++;
            continue;
        }
        if (field == 4 && c != '"' && tl + 1 < sizeof type) type[tl++] = (char)c;
    }
    fclose(f);
    *rows = records - 1;
}

static void the_counts_match_an_independent_count_of_the_file(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/kr/designations.csv", data_dir());
    size_t rows, person, org, vessel;
    count_file(path, &rows, &person, &org, &vessel);
    assert_int_equal(rows, 247);
    const sanctum_source_info *s = sanctum_dataset_source(real, 0);
    assert_string_equal(s->name, "kr");
    assert_int_equal(s->n_files, 1);
    assert_int_equal(s->records[0], rows);
    assert_int_equal(s->entities, rows);
    assert_int_equal(s->by_type[1], person);
    assert_int_equal(s->by_type[2], org);
    assert_int_equal(s->by_type[3], vessel);
    assert_int_equal(person, 142);
    assert_int_equal(org, 84);
    assert_int_equal(vessel, 21);
    assert_int_equal(s->n_warnings, 0);
    assert_string_equal(s->published, "2025-04-10");
}

static void the_primary_name_is_the_hangul_name_with_english_spellings_as_aliases(void **state)
{
    (void)state;
    const sanctum_entity *e = by_primary(real, "김상만");
    assert_int_equal(e->type, SANCTUM_TYPE_PERSON);
    assert_int_equal(e->names[0].kind, SANCTUM_NAME_PRIMARY);
    assert_int_equal(e->names[0].script, SANCTUM_SCRIPT_HANGUL);
    const sanctum_name *n = find_name(e, "Kim Sang-man");
    assert_non_null(n);
    assert_int_equal(n->quality, SANCTUM_QUALITY_STRONG);
    n = find_name(e, "Kim Sang Man");
    assert_non_null(n);
    assert_int_equal(n->quality, SANCTUM_QUALITY_STRONG);
    assert_string_equal(e->listed_on, "2023-05-23");
    assert_string_equal(find_attr(e, "round_date", NULL), "2023-05-23");
    assert_non_null(find_attr(e, "source", NULL));
    assert_non_null(e->remarks);
    assert_string_equal(e->programs[0], "KR-DPRK");
    assert_int_equal(strncmp(e->key, "20230523-", 9), 0);
}

static void the_ofac_hint_is_kept_as_possibly_same_as_and_never_merged(void **state)
{
    (void)state;
    const sanctum_entity *e = by_primary(real, "김상만");
    const char *hint = find_attr(e, "possibly_same_as", NULL);
    assert_non_null(hint);
    assert_int_equal(strncmp(hint, "43377 ", 6), 0);
    assert_string_equal(find_attr(e, "possibly_same_as_id", NULL), "ofac-sdn:43377");
    const sanctum_entity *c = by_primary(real, "진영정보기술개발협조회사");
    assert_int_equal(c->type, SANCTUM_TYPE_ORGANIZATION);
    assert_non_null(find_name(c, "Jinyong IT Cooperation Company"));
    assert_non_null(find_name(c, "진영정보기술협조회사"));
    assert_non_null(find_name(c, "진영정보기술 개발협조회사"));
    assert_string_equal(find_attr(c, "possibly_same_as_id", NULL), "ofac-sdn:43379");
}

static void suggested_romanizations_are_weak_and_marked_as_generated(void **state)
{
    (void)state;
    const sanctum_entity *e = by_primary(real, "김기혁");
    const sanctum_name *n = find_name(e, "Kim Ki Hyok");
    assert_non_null(n);
    assert_int_equal(n->quality, SANCTUM_QUALITY_WEAK);
    assert_non_null(find_attr(e, "generated_name", "Kim Ki Hyok"));
    assert_non_null(find_attr(e, "generated_name", "Gim Gi-hyeok"));
    for (size_t i = 0; i < e->n_names; i++)
        if (e->names[i].script == SANCTUM_SCRIPT_LATIN) {
            assert_int_equal(e->names[i].quality, SANCTUM_QUALITY_WEAK);
            assert_non_null(find_attr(e, "generated_name", e->names[i].full));
        }
    /* "the DPRK-form 량대철 would give Ryang Tae Chol (not published ...)" */
    const sanctum_entity *y = by_primary(real, "양대철");
    assert_non_null(find_name(y, "Ryang Tae Chol"));
    assert_null(find_name(y, "the DPRK-form 량대철 would give Ryang Tae Chol"));
}

static void source_annotations_are_cut_and_parenthesised_spellings_kept(void **state)
{
    (void)state;
    const sanctum_entity *e = by_primary(real, "김상만");
    for (size_t i = 0; i < e->n_names; i++) assert_null(strstr(e->names[i].full, "http"));
    int fka = 0, han = 0;
    for (size_t i = 0; i < sanctum_dataset_count(real); i++) {
        const sanctum_entity *x = sanctum_dataset_entity(real, i);
        for (size_t k = 0; k < x->n_names; k++) {
            const char *n = x->names[k].full;
            assert_null(strstr(n, "http"));
            assert_null(strstr(n, "_0"));
            if (strcmp(n, "Gain Star") == 0 && x->names[k].kind == SANCTUM_NAME_FKA) fka = 1;
            if (strcmp(n, "香港依林海運有限公社") == 0) han = 1;
        }
    }
    assert_true(fka);
    assert_true(han);
}

static void rows_without_hangul_fall_back_to_the_english_name(void **state)
{
    (void)state;
    const sanctum_entity *e = by_primary(real, "Choe Song-chol");
    assert_int_equal(e->type, SANCTUM_TYPE_PERSON);
    assert_int_equal(strncmp(e->key, "20241101-", 9), 0);
}

static void ids_are_stable_across_reads(void **state)
{
    (void)state;
    sanctum_dataset *again = NULL;
    sanctum_error err;
    assert_int_equal(load(&again, data_dir(), 0, &err), 0);
    assert_int_equal(sanctum_dataset_count(again), sanctum_dataset_count(real));
    for (size_t i = 0; i < sanctum_dataset_count(real); i++)
        assert_string_equal(sanctum_dataset_entity(real, i)->id, sanctum_dataset_entity(again, i)->id);
    sanctum_dataset_free(again);
}

static const sanctum_entity *top_hit(const sanctum_index *idx, const char *query)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = query;
    sanctum_result *r = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_screen(&r, idx, &q, &err), 0);
    const sanctum_entity *e = sanctum_result_count(r) ? sanctum_result_hit(r, 0)->entity : NULL;
    sanctum_result_free(r);
    return e;
}

static void a_hangul_name_without_a_latin_spelling_is_found_from_latin_queries(void **state)
{
    (void)state;
    sanctum_index *idx = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_index_build(&idx, real, &err), 0);
    const sanctum_entity *want = by_primary(real, "김기혁");
    assert_ptr_equal(top_hit(idx, "김기혁"), want);
    assert_ptr_equal(top_hit(idx, "Kim Ki Hyok"), want);
    assert_ptr_equal(top_hit(idx, "Kim Gi-hyeok"), want);
    assert_ptr_equal(top_hit(idx, "Kim Sang-man"), by_primary(real, "김상만"));
    sanctum_index_free(idx);
}

/* ---- small files ------------------------------------------------------------ */

#define HEADER "round_date,round_effective_date,round_ordinal,round_size_reported,type,hangul_name,hangul_variants," \
    "latin_name_in_korean_release,english_name,english_name_source,other_published_spellings,former_names_or_aliases," \
    "birth,nationality,imo_number,passport,role_affiliation,reason,sources,source_ids,context_sources,source_count," \
    "independent_source_count,confirmed_by_two_sources,suggested_romanization,ofac_possible_match,notes\r\n"
#define ROW(date, type, hangul, english) date ",,,," type "," hangul ",,," english ",,,,,,,,,,,,,,,,,,\r\n"

static void a_row_without_a_name_is_reported_with_its_line_and_skipped(void **state)
{
    (void)state;
    write_file(HEADER ROW("2023-05-23", "person", "김상만", "Kim Sang-man") ROW("2023-05-23", "person", "", "")
               ROW("2023-05-23", "organization", "진영", ""));
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 0, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->records[0], 3);
    assert_int_equal(s->entities, 2);
    assert_int_equal(s->n_warnings, 1);
    assert_int_equal(s->warnings[0].line, 3);
    assert_non_null(strstr(s->warnings[0].message, "no name"));
    assert_non_null(strstr(s->warnings[0].file, "designations.csv"));
    sanctum_dataset_free(ds);

    assert_int_equal(load(&ds, tmp_root, 1, &err), SANCTUM_ESTRICT);
    assert_null(ds);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.file, "designations.csv"));
    remove_file();
}

static void a_repeated_designation_and_an_unknown_type_are_reported(void **state)
{
    (void)state;
    write_file(HEADER ROW("2023-05-23", "person", "김상만", "") ROW("2023-05-23", "person", "김상만", "")
               ROW("2024-01-01", "spaceship", "김상만", ""));
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 0, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->entities, 2);
    assert_int_equal(s->n_warnings, 2);
    assert_int_equal(s->warnings[0].line, 3);
    assert_int_equal(s->warnings[1].line, 4);
    sanctum_dataset_free(ds);
    remove_file();
}

static void malformed_csv_is_an_error_naming_file_and_line(void **state)
{
    (void)state;
    write_file(HEADER ROW("2023-05-23", "person", "김상만", "") "2023-05-23,,,,person,\"unterminated\r\n");
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_null(ds);
    assert_non_null(strstr(err.file, "designations.csv"));
    assert_int_equal(err.line, 3);
    remove_file();

    write_file("round_date,type,english_name\r\n2023-05-23,person,Kim\r\n");
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "hangul_name"));
    remove_file();

    write_file("");
    assert_int_equal(load(&ds, tmp_root, 0, &err), SANCTUM_EPARSE);
    remove_file();
}

int main(void)
{
    const struct CMUnitTest real_tests[] = {
        cmocka_unit_test(the_counts_match_an_independent_count_of_the_file),
        cmocka_unit_test(the_primary_name_is_the_hangul_name_with_english_spellings_as_aliases),
        cmocka_unit_test(the_ofac_hint_is_kept_as_possibly_same_as_and_never_merged),
        cmocka_unit_test(suggested_romanizations_are_weak_and_marked_as_generated),
        cmocka_unit_test(source_annotations_are_cut_and_parenthesised_spellings_kept),
        cmocka_unit_test(rows_without_hangul_fall_back_to_the_english_name),
        cmocka_unit_test(ids_are_stable_across_reads),
        cmocka_unit_test(a_hangul_name_without_a_latin_spelling_is_found_from_latin_queries),
    };
    const struct CMUnitTest file_tests[] = {
        cmocka_unit_test(a_row_without_a_name_is_reported_with_its_line_and_skipped),
        cmocka_unit_test(a_repeated_designation_and_an_unknown_type_are_reported),
        cmocka_unit_test(malformed_csv_is_an_error_naming_file_and_line),
    };
    int failed = cmocka_run_group_tests_name("kr list (real file)", real_tests, load_real, free_real);
    failed += cmocka_run_group_tests_name("kr list (small files)", file_tests, NULL, NULL);
    sanctum_thread_cleanup();
    return failed;
}
