/*
 * test_batch.c - the streaming batch runner: one result per input record in
 * input order, error records for bad lines, CSV input and output, identical
 * results on any number of threads, and the same hits as a single screen.
 */
#define _POSIX_C_SOURCE 200809L
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
#include "sanctum/batch.h"

static sanctum_dataset *ds;
static sanctum_index *idx;
static sanctum_ident_index *iidx;

static int setup(void **state)
{
    sanctum_error err;
    if (sanctum_dataset_load(&ds, NULL, &err) != 0) return -1;
    if (sanctum_index_build(&idx, ds, &err) != 0) return -1;
    if (sanctum_ident_index_build(&iidx, ds, &err) != 0) return -1;
    return 0;
}

static int teardown(void **state)
{
    sanctum_ident_index_free(iidx);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    sanctum_thread_cleanup();
    return 0;
}

/* Runs a batch over `input` and returns the output (malloc'd). */
static char *run_batch(const char *input, sanctum_batch_options *opts, sanctum_batch_summary *sum, int *rc)
{
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sanctum_error err;
    *rc = sanctum_batch_run(idx, in, out, opts, sum, &err);
    fclose(in);
    fclose(out);
    return buf;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (*s == '\n') n++;
    return n;
}

static void writes_one_result_per_record_in_input_order(void **state)
{
    const char *input =
        "{\"id\": \"a\", \"name\": \"Kim Sang-man\", \"type\": \"person\"}\n"
        "{\"id\": \"b\", \"name\": \"Maria Garcia Lopez\"}\n"
        "\n"
        "{\"id\": 3, \"name\": \"Chinyong IT Cooperation Company\", \"extra\": [1, 2]}\n";
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    sanctum_batch_summary sum;
    int rc;
    char *out = run_batch(input, &opts, &sum, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(out), 3);
    assert_int_equal(sum.lines, 3);
    assert_int_equal(sum.screened, 3);
    assert_int_equal(sum.errors, 0);
    assert_int_equal(sum.with_hits, 2);

    char *line = strtok(out, "\n");
    json_t *a = json_loads(line, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(a, "id")), "a");
    json_t *hit = json_array_get(json_object_get(a, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entity")), "ofac-sdn:43377");
    json_decref(a);
    json_t *b = json_loads(strtok(NULL, "\n"), 0, NULL);
    assert_int_equal(json_array_size(json_object_get(b, "hits")), 0);
    json_decref(b);
    json_t *c = json_loads(strtok(NULL, "\n"), 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(c, "id")), 3);
    hit = json_array_get(json_object_get(c, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entity")), "ofac-sdn:43379");
    json_decref(c);
    free(out);
}

static void reports_bad_lines_with_their_line_number_and_goes_on(void **state)
{
    const char *input =
        "{\"id\": \"ok\", \"name\": \"Lazarus Group\"}\n"
        "{\"id\": \"broken\", \"name\": \n"
        "{\"id\": \"noname\"}\n"
        "[1, 2, 3]\n"
        "{\"id\": \"badtype\", \"name\": \"X\", \"type\": \"spaceship\"}\n"
        "{\"id\": \"last\", \"name\": \"Lab 110\"}\n";
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    sanctum_batch_summary sum;
    int rc;
    char *out = run_batch(input, &opts, &sum, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(out), 6);
    assert_int_equal(sum.lines, 6);
    assert_int_equal(sum.errors, 4);
    assert_int_equal(sum.screened, 2);
    char *lines[6];
    lines[0] = strtok(out, "\n");
    for (int i = 1; i < 6; i++) lines[i] = strtok(NULL, "\n");
    json_t *e = json_loads(lines[1], 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 2);
    assert_non_null(strstr(json_string_value(json_object_get(e, "error")), "invalid JSON"));
    json_decref(e);
    e = json_loads(lines[2], 0, NULL);
    assert_string_equal(json_string_value(json_object_get(e, "id")), "noname");
    assert_non_null(strstr(json_string_value(json_object_get(e, "error")), "name"));
    json_decref(e);
    e = json_loads(lines[4], 0, NULL);
    assert_non_null(strstr(json_string_value(json_object_get(e, "error")), "spaceship"));
    json_decref(e);
    free(out);

    opts.fail_fast = 1;
    out = run_batch(input, &opts, &sum, &rc);
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_int_equal(count_lines(out), 1);
    free(out);
}

static void reads_and_writes_csv(void **state)
{
    const char *input =
        "customer,full name,country\r\n"
        "c1,\"KIM, Sang Man\",KP\r\n"
        "c2,John Smith,US\r\n"
        "c3,\"Jinyong \"\"IT\"\" Cooperation\nCompany\",\r\n";
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    opts.input_format = opts.output_format = SANCTUM_BATCH_CSV;
    opts.id_column = "customer";
    opts.name_column = "full name";
    sanctum_batch_summary sum;
    int rc;
    char *out = run_batch(input, &opts, &sum, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(sum.lines, 3);
    assert_int_equal(sum.errors, 0);
    assert_non_null(strstr(out, "id,query,rank,entity"));
    assert_non_null(strstr(out, "c1,\"KIM, Sang Man\",1,ofac-sdn:43377,ofac-sdn,person,"));
    assert_null(strstr(out, "c2,"));
    assert_non_null(strstr(out, "ofac-sdn:43379"));
    free(out);

    opts.name_column = "nom";
    out = run_batch(input, &opts, &sum, &rc);
    assert_int_equal(rc, SANCTUM_EPARSE);
    free(out);
}

static void gives_the_same_output_on_one_and_on_four_threads(void **state)
{
    static const char *names[] = { "Kim Sang Man", "Smith John", "Lazarus", "Pyongyang University of Automation",
                                   "Maria Garcia", "Ri Chol", "Banco Nacional de Cuba", "Ivan Petrov", "Kim Min-jun",
                                   "Korea Kwangson Banking Corp" };
    char *input = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&input, &len);
    for (int i = 0; i < 600; i++) fprintf(f, "{\"id\": %d, \"name\": \"%s\"}\n", i, names[i % 10]);
    fclose(f);
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    sanctum_batch_summary s1, s4;
    int rc;
    opts.threads = 1;
    char *one = run_batch(input, &opts, &s1, &rc);
    assert_int_equal(rc, 0);
    opts.threads = 4;
    char *four = run_batch(input, &opts, &s4, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(one, four);
    assert_int_equal(s1.lines, 600);
    assert_int_equal(s1.hits, s4.hits);
    free(one);
    free(four);
    free(input);
}

static void gives_the_same_hits_as_screen(void **state)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Kim Sang-man";
    sanctum_result *r = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_screen(&r, idx, &q, &err), 0);
    char *expect = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&expect, &len);
    fputs("{\"id\":\"x\",\"hits\":[", f);
    for (size_t i = 0; i < sanctum_result_count(r); i++) {
        char *h = sanctum_hit_json(sanctum_result_hit(r, i));
        fprintf(f, "%s%s", i ? "," : "", h);
        sanctum_string_free(h);
    }
    fputs("]}\n", f);
    fclose(f);
    sanctum_result_free(r);

    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    sanctum_batch_summary sum;
    int rc;
    char *out = run_batch("{\"id\":\"x\",\"name\":\"Kim Sang-man\"}\n", &opts, &sum, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, expect);
    free(out);
    free(expect);
}

static void screens_wallets_and_documents_beside_names(void **state)
{
    const char *input =
        "{\"id\": \"w\", \"wallets\": [\"ETHEREUM:0X098B716B8AAF21512996DC57EB0615E2383E2F96@1\"]}\n"
        "{\"id\": \"d\", \"name\": \"Jane Roe\", \"ids\": [{\"number\": \"109-420-132\", \"country\": \"KP\"}]}\n"
        "{\"id\": \"x\", \"wallets\": \"not an array\"}\n";
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    opts.ident = iidx;
    sanctum_batch_summary sum;
    int rc;
    char *out = run_batch(input, &opts, &sum, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(sum.lines, 3);
    assert_int_equal(sum.errors, 1);
    char *w = strtok(out, "\n"), *d = strtok(NULL, "\n"), *x = strtok(NULL, "\n");
    json_t *o = json_loads(w, 0, NULL);
    json_t *hit = json_array_get(json_object_get(o, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entity")), "ofac-sdn:27307");
    assert_string_equal(json_string_value(json_object_get(hit, "matched_field")), "wallet");
    assert_true(json_real_value(json_object_get(hit, "score")) == 1.0);
    json_decref(o);
    o = json_loads(d, 0, NULL);
    hit = json_array_get(json_object_get(o, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "entity")), "ofac-sdn:43377");
    assert_string_equal(json_string_value(json_object_get(hit, "matched_field")), "document");
    json_decref(o);
    assert_non_null(strstr(x, "must be an array of strings"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_one_result_per_record_in_input_order),
        cmocka_unit_test(reports_bad_lines_with_their_line_number_and_goes_on),
        cmocka_unit_test(reads_and_writes_csv),
        cmocka_unit_test(gives_the_same_output_on_one_and_on_four_threads),
        cmocka_unit_test(gives_the_same_hits_as_screen),
        cmocka_unit_test(screens_wallets_and_documents_beside_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
