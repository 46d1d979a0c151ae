/*
 * test_json.c - the JSON forms of entities, sources, hits and results: each
 * is parsed back with jansson and checked field by field, on a real entity
 * of the OFAC list and on made-up ones that stress escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "sanctum.h"

static json_t *parse(char *text)
{
    assert_non_null(text);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root) fail_msg("not valid JSON (%s at %d): %s", jerr.text, jerr.position, text);
    sanctum_string_free(text);
    return root;
}

static const char *get_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    assert_non_null(v);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void entity_json_of_kim_sangman_round_trips_through_jansson(void **state)
{
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.sources = "ofac-sdn";
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    int rc = sanctum_dataset_load(&ds, &opts, &err);
    if (rc != 0 && strstr(err.message, "not built yet")) {
        fprintf(stderr, "skipped: the OFAC loader is not in this build yet\n");
        skip();
    }
    if (rc != 0) {
        char buf[1024];
        sanctum_error_format(&err, buf, sizeof buf);
        fail_msg("loading ofac-sdn failed: %s", buf);
    }
    const sanctum_entity *e = sanctum_dataset_find(ds, "ofac-sdn:43377");
    assert_non_null(e);
    json_t *root = parse(sanctum_entity_json(e));
    assert_string_equal(get_str(root, "id"), "ofac-sdn:43377");
    assert_string_equal(get_str(root, "list"), "ofac-sdn");
    assert_string_equal(get_str(root, "key"), "43377");
    assert_string_equal(get_str(root, "type"), "person");
    assert_string_equal(get_str(root, "name"), e->names[0].full);

    const json_t *names = json_object_get(root, "names");
    assert_true(json_is_array(names));
    assert_int_equal(json_array_size(names), e->n_names);
    int saw_sangman = 0;
    for (size_t i = 0; i < json_array_size(names); i++) {
        const json_t *n = json_array_get(names, i);
        assert_string_equal(get_str(n, "name"), e->names[i].full);
        assert_string_equal(get_str(n, "kind"), sanctum_name_kind_name(e->names[i].kind));
        const char *quality = get_str(n, "quality");
        assert_true(strcmp(quality, "strong") == 0 || strcmp(quality, "weak") == 0);
        if (strcmp(e->names[i].full, "KIM, Sangman") == 0) saw_sangman = 1;
    }
    assert_true(saw_sangman);

    const json_t *programs = json_object_get(root, "programs");
    assert_true(json_is_array(programs));
    assert_int_equal(json_array_size(programs), e->n_programs);
    const json_t *dobs = json_object_get(root, "dates_of_birth");
    if (e->n_dobs) {
        assert_int_equal(json_array_size(dobs), e->n_dobs);
        const json_t *d = json_array_get(dobs, 0);
        if (e->dobs[0].year) assert_int_equal(json_integer_value(json_object_get(d, "year")), e->dobs[0].year);
        if (!e->dobs[0].day) assert_null(json_object_get(d, "day"));
    }
    const json_t *wallets = json_object_get(root, "wallets");
    assert_int_equal(json_array_size(wallets), e->n_wallets);
    for (size_t i = 0; i < e->n_wallets; i++)
        assert_string_equal(get_str(json_array_get(wallets, i), "address"), e->wallets[i].address);
    assert_int_equal(json_array_size(json_object_get(root, "documents")), e->n_documents);
    if (e->remarks) assert_string_equal(get_str(root, "remarks"), e->remarks);
    json_decref(root);
    sanctum_dataset_free(ds);
}

static void entity_json_escapes_quotes_control_characters_and_keeps_non_ascii(void **state)
{
    const char *weird = "Say \"hi\"\\ to\ttab\nnewline \x01 and \x1f end";
    const char *hangul = "\xEA\xB9\x80\xEC\x83\x81\xEB\xA7\x8C"; /* 김상만 */
    sanctum_name names[2] = {
        { weird, NULL, NULL, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG, SANCTUM_SCRIPT_LATIN },
        { hangul, NULL, NULL, SANCTUM_NAME_ORIGINAL, SANCTUM_QUALITY_STRONG, SANCTUM_SCRIPT_HANGUL },
    };
    sanctum_entity e = { 0 };
    e.id = "test:1";
    e.source = "test";
    e.key = "1";
    e.type = SANCTUM_TYPE_PERSON;
    e.names = names;
    e.n_names = 2;
    char *text = sanctum_entity_json(&e);
    assert_non_null(text);
    assert_non_null(strstr(text, "\\\"hi\\\""));
    assert_non_null(strstr(text, "\\u0001"));
    assert_non_null(strstr(text, "\\n"));
    assert_non_null(strstr(text, hangul)); /* UTF-8 kept as is, not \u-escaped */
    json_t *root = parse(text);
    assert_string_equal(get_str(root, "name"), weird);
    const json_t *n1 = json_array_get(json_object_get(root, "names"), 1);
    assert_string_equal(get_str(n1, "name"), hangul);
    assert_string_equal(get_str(n1, "kind"), "original");
    assert_string_equal(get_str(n1, "script"), "hangul");
    json_decref(root);
}

static void entity_json_leaves_out_empty_fields(void **state)
{
    sanctum_name name = { "ACME LTD", NULL, NULL, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG,
                          SANCTUM_SCRIPT_LATIN };
    sanctum_date dob = { 1965, 0, 0, 0, 0, 0, 1, "circa 1965" };
    sanctum_entity e = { 0 };
    e.id = "test:2";
    e.source = "test";
    e.key = "2";
    e.type = SANCTUM_TYPE_ORGANIZATION;
    e.names = &name;
    e.n_names = 1;
    e.dobs = &dob;
    e.n_dobs = 1;
    e.remarks = "";
    json_t *root = parse(sanctum_entity_json(&e));
    static const char *absent[] = { "programs", "places_of_birth", "nationalities", "citizenships", "gender",
                                    "title", "addresses", "documents", "wallets", "emails", "websites",
                                    "phones", "links", "listed_on", "remarks", "attributes" };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (json_object_get(root, absent[i])) fail_msg("empty field '%s' is present", absent[i]);
    const json_t *names = json_object_get(root, "names");
    assert_null(json_object_get(json_array_get(names, 0), "surname"));
    const json_t *d = json_array_get(json_object_get(root, "dates_of_birth"), 0);
    assert_int_equal(json_integer_value(json_object_get(d, "year")), 1965);
    assert_null(json_object_get(d, "month"));
    assert_null(json_object_get(d, "to_year"));
    assert_true(json_is_true(json_object_get(d, "circa")));
    assert_string_equal(get_str(d, "text"), "circa 1965");
    json_decref(root);
}

static void invalid_utf8_is_replaced_not_dropped(void **state)
{
    sanctum_name name = { "BAD\xff" "BYTE \xC3", NULL, NULL, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG,
                          SANCTUM_SCRIPT_LATIN };
    sanctum_entity e = { 0 };
    e.id = "test:3";
    e.source = "test";
    e.key = "3";
    e.names = &name;
    e.n_names = 1;
    json_t *root = parse(sanctum_entity_json(&e));
    assert_string_equal(get_str(root, "name"), "BAD\xEF\xBF\xBD" "BYTE \xEF\xBF\xBD");
    json_decref(root);
}

static void hit_json_rounds_the_score_and_carries_the_explanation(void **state)
{
    sanctum_name names[2] = {
        { "KIM, Sang Man", "KIM", "Sang Man", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG, SANCTUM_SCRIPT_LATIN },
        { "KIM, Sangman", "KIM", "Sangman", SANCTUM_NAME_AKA, SANCTUM_QUALITY_WEAK, SANCTUM_SCRIPT_LATIN },
    };
    const char *programs[] = { "DPRK4" };
    sanctum_entity e = { 0 };
    e.id = "ofac-sdn:43377";
    e.source = "ofac-sdn";
    e.key = "43377";
    e.type = SANCTUM_TYPE_PERSON;
    e.names = names;
    e.n_names = 2;
    e.programs = programs;
    e.n_programs = 1;
    sanctum_token_match tokens[2] = {
        { "kim", "kim", "exact", 1.0, 0.4 },
        { "sang+man", "sangman", "joined", 0.987654321, 0.6 },
    };
    sanctum_evidence evidence[1] = { { "dob", 0.03, "1965 matches 25 Apr 1965" } };
    sanctum_hit h = { &e, 1, 0.987654321, 0.95, "kim sang man", tokens, 2, evidence, 1 };
    json_t *root = parse(sanctum_hit_json(&h));
    assert_string_equal(get_str(root, "entity"), "ofac-sdn:43377");
    assert_string_equal(get_str(root, "list"), "ofac-sdn");
    assert_string_equal(get_str(root, "type"), "person");
    assert_float_equal(json_real_value(json_object_get(root, "score")), 0.9877, 1e-9);
    assert_float_equal(json_real_value(json_object_get(root, "name_score")), 0.95, 1e-9);
    assert_string_equal(get_str(root, "name"), "KIM, Sang Man");
    assert_string_equal(get_str(root, "matched"), "KIM, Sangman");
    assert_string_equal(get_str(root, "matched_kind"), "aka");
    assert_string_equal(get_str(root, "matched_quality"), "weak");
    assert_string_equal(json_string_value(json_array_get(json_object_get(root, "programs"), 0)), "DPRK4");
    const json_t *ex = json_object_get(root, "explanation");
    assert_string_equal(get_str(ex, "query_form"), "kim sang man");
    const json_t *t1 = json_array_get(json_object_get(ex, "tokens"), 1);
    assert_string_equal(get_str(t1, "query"), "sang+man");
    assert_string_equal(get_str(t1, "listed"), "sangman");
    assert_string_equal(get_str(t1, "how"), "joined");
    assert_float_equal(json_real_value(json_object_get(t1, "similarity")), 0.9877, 1e-9);
    const json_t *ev = json_array_get(json_object_get(ex, "evidence"), 0);
    assert_string_equal(get_str(ev, "field"), "dob");
    assert_float_equal(json_real_value(json_object_get(ev, "delta")), 0.03, 1e-9);
    json_decref(root);
}

static void result_json_names_only_the_filters_that_were_set(void **state)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Kim Sang-man";
    q.dob = "1965";
    q.types = SANCTUM_TYPE_PERSON;
    json_t *root = parse(sanctum_result_json(&q, NULL));
    const json_t *query = json_object_get(root, "query");
    assert_string_equal(get_str(query, "name"), "Kim Sang-man");
    assert_string_equal(get_str(query, "dob"), "1965");
    assert_string_equal(json_string_value(json_array_get(json_object_get(query, "types"), 0)), "person");
    assert_null(json_object_get(query, "country"));
    assert_null(json_object_get(query, "programs"));
    assert_float_equal(json_real_value(json_object_get(query, "min_score")), SANCTUM_DEFAULT_MIN_SCORE, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(query, "limit")), SANCTUM_DEFAULT_LIMIT);
    assert_true(json_is_array(json_object_get(root, "hits")));
    assert_int_equal(json_array_size(json_object_get(root, "hits")), 0);
    json_decref(root);
}

static void source_json_reports_counts_records_per_file_and_warnings(void **state)
{
    const char *files[] = { "/data/ofac-sdn/sdn.csv", "/data/ofac-sdn/alt.csv" };
    sanctum_warning warnings[] = { { "/data/ofac-sdn/alt.csv", 12, "alias for unknown entity 99999" } };
    sanctum_source_info s = { 0 };
    s.name = "ofac-sdn";
    s.title = "OFAC SDN";
    s.files = files;
    s.n_files = 2;
    s.sha256 = "00ff";
    s.entities = 3;
    s.by_type[1] = 2;
    s.by_type[2] = 1;
    s.names = 3;
    s.aliases = 4;
    s.records[0] = 3;
    s.records[1] = 5;
    s.warnings = warnings;
    s.n_warnings = 1;
    json_t *root = parse(sanctum_source_json(&s));
    assert_string_equal(get_str(root, "source"), "ofac-sdn");
    assert_true(json_is_null(json_object_get(root, "published")));
    assert_int_equal(json_integer_value(json_object_get(root, "entities")), 3);
    assert_int_equal(json_integer_value(json_object_get(root, "persons")), 2);
    assert_int_equal(json_integer_value(json_object_get(root, "organizations")), 1);
    assert_int_equal(json_integer_value(json_object_get(root, "aliases")), 4);
    const json_t *records = json_object_get(root, "records");
    assert_int_equal(json_integer_value(json_object_get(records, "sdn.csv")), 3);
    assert_int_equal(json_integer_value(json_object_get(records, "alt.csv")), 5);
    const json_t *w = json_array_get(json_object_get(root, "warnings"), 0);
    assert_int_equal(json_integer_value(json_object_get(w, "line")), 12);
    assert_string_equal(get_str(w, "message"), "alias for unknown entity 99999");
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entity_json_of_kim_sangman_round_trips_through_jansson),
        cmocka_unit_test(entity_json_escapes_quotes_control_characters_and_keeps_non_ascii),
        cmocka_unit_test(entity_json_leaves_out_empty_fields),
        cmocka_unit_test(invalid_utf8_is_replaced_not_dropped),
        cmocka_unit_test(hit_json_rounds_the_score_and_carries_the_explanation),
        cmocka_unit_test(result_json_names_only_the_filters_that_were_set),
        cmocka_unit_test(source_json_reports_counts_records_per_file_and_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
