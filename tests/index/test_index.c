/*
 * test_index.c - the compiled index file: an index written from the default
 * lists and mapped back screens exactly like the one built from the raw
 * lists (same hits, scores, explanations and evidence on thousands of
 * generated queries), its dataset view gives back every entity and list,
 * a second mapping of the same file (placed elsewhere and relocated) agrees
 * too, and truncated, corrupt, foreign and other-version files are refused.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "match/match_internal.h"
#include "sanctum.h"
#include "../../bench/eval/eval_gen.h"

#if defined(__SANITIZE_ADDRESS__)
#define PER_KIND 140
#define UNLISTED 600
#else
#define PER_KIND 400
#define UNLISTED 2000
#endif

static sanctum_dataset *ds;
static sanctum_index *built;
static char path[256];

static int setup(void **state)
{
    (void)state;
    sanctum_error err;
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    lo.sources = "ofac-sdn,un-sc";
    if (sanctum_dataset_load(&ds, &lo, &err) || sanctum_index_build(&built, ds, &err)) {
        fprintf(stderr, "cannot load or index the lists: %s\n", err.message);
        return -1;
    }
    snprintf(path, sizeof path, "/tmp/sanctum-test-index-%ld.idx", (long)getpid());
    if (sanctum_index_write(built, path, &err)) {
        fprintf(stderr, "cannot write the index: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    sanctum_index_free(built);
    sanctum_dataset_free(ds);
    return 0;
}

static int streq(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* Compares two results field by field; returns NULL or what differs. */
static const char *diff_results(const sanctum_result *a, const sanctum_result *b)
{
    if (sanctum_result_count(a) != sanctum_result_count(b)) return "hit count";
    for (size_t i = 0; i < sanctum_result_count(a); i++) {
        const sanctum_hit *x = sanctum_result_hit(a, i), *y = sanctum_result_hit(b, i);
        if (!streq(x->entity->id, y->entity->id)) return "entity";
        if (x->name_index != y->name_index || !streq(x->entity->names[x->name_index].full,
                                                     y->entity->names[y->name_index].full))
            return "matched name";
        if (x->score != y->score || x->name_score != y->name_score) return "score";
        if (!streq(x->query_form, y->query_form)) return "query form";
        if (x->n_tokens != y->n_tokens) return "token count";
        for (size_t t = 0; t < x->n_tokens; t++) {
            const sanctum_token_match *p = &x->tokens[t], *q = &y->tokens[t];
            if (!streq(p->query, q->query) || !streq(p->listed, q->listed) || !streq(p->how, q->how) ||
                p->similarity != q->similarity || p->weight != q->weight)
                return "explanation";
        }
        if (x->n_evidence != y->n_evidence) return "evidence count";
        for (size_t k = 0; k < x->n_evidence; k++)
            if (!streq(x->evidence[k].field, y->evidence[k].field) || x->evidence[k].delta != y->evidence[k].delta ||
                !streq(x->evidence[k].detail, y->evidence[k].detail))
                return "evidence";
    }
    return NULL;
}

static void compare_on_queries(const sanctum_index *mapped, uint64_t seed, size_t per_kind, size_t unlisted,
                               size_t *n_checked, size_t *n_hits)
{
    eval_set set;
    assert_int_equal(eval_generate(ds, seed, per_kind, unlisted, &set), 0);
    static const double mins[] = { 0.80, 0.70, 0.9 };
    static const unsigned types[] = { 0, SANCTUM_TYPE_PERSON, SANCTUM_TYPE_ORGANIZATION | SANCTUM_TYPE_VESSEL };
    for (size_t i = 0; i < set.n; i++) {
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = set.v[i].query;
        q.min_score = mins[i % 3];
        q.types = types[i % 3];
        q.limit = 20;
        if (i % 5 == 0) {
            q.dob = "1965";
            q.country = "KP";
        }
        if (i % 11 == 0) q.lists = "un-sc";
        sanctum_result *a = NULL, *b = NULL;
        assert_int_equal(sanctum_screen(&a, built, &q, NULL), 0);
        assert_int_equal(sanctum_screen(&b, mapped, &q, NULL), 0);
        const char *d = diff_results(a, b);
        if (d) fail_msg("query %zu: the mapped index differs in %s", i, d);
        *n_hits += sanctum_result_count(a);
        (*n_checked)++;
        sanctum_result_free(a);
        sanctum_result_free(b);
    }
    eval_free(&set);
}

static void mapped_index_screens_exactly_like_the_built_one(void **state)
{
    (void)state;
    sanctum_index *m = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_index_open(&m, path, &err), 0);
    assert_true(sanctum_index_is_mapped(m));
    assert_false(sanctum_index_is_mapped(built));
    size_t checked = 0, hits = 0;
    compare_on_queries(m, 42, PER_KIND, UNLISTED, &checked, &hits);
    assert_true(checked >= 1000);
    assert_true(hits > checked / 4);

    /* a few hand-picked ones, with explanations of every kind */
    static const char *const names[] = { "Kim Sang-man", "김상만", "Kim Sangman", "Kim Jong Un", "Banco Nacional de Cuba",
                                         "Ri Chol", "AEROCARIBBEAN AIRLINES", "Mohammed al-Masri", "", "x" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = names[i];
        q.min_score = 0.5;
        sanctum_result *a = NULL, *b = NULL;
        sanctum_error e1, e2;
        int ra = sanctum_screen(&a, built, &q, &e1), rb = sanctum_screen(&b, m, &q, &e2);
        assert_int_equal(ra, rb);
        if (!ra) assert_null(diff_results(a, b));
        sanctum_result_free(a);
        sanctum_result_free(b);
    }
    /* single-entity scoring */
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Kim Sang Man";
    for (size_t i = 0; i < sanctum_dataset_count(ds); i += 97) {
        double s1 = -1, s2 = -2;
        const char *id = sanctum_dataset_entity(ds, i)->id;
        assert_int_equal(sanctum_score_entity(built, &q, id, &s1), 0);
        assert_int_equal(sanctum_score_entity(m, &q, id, &s2), 0);
        assert_true(s1 == s2);
    }
    sanctum_index_free(m);
}

static void mapped_dataset_gives_back_every_entity_and_list(void **state)
{
    (void)state;
    sanctum_index *m = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_index_open(&m, path, &err), 0);
    const sanctum_dataset *md = sanctum_index_dataset(m);
    assert_non_null(md);
    assert_int_equal(sanctum_dataset_count(md), sanctum_dataset_count(ds));
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *a = sanctum_dataset_entity(ds, i), *b = sanctum_dataset_entity(md, i);
        assert_string_equal(a->id, b->id);
        assert_ptr_equal(sanctum_dataset_find(md, a->id), b);
        assert_int_equal(a->type, b->type);
        assert_int_equal(a->n_names, b->n_names);
        for (size_t k = 0; k < a->n_names; k++) {
            assert_true(streq(a->names[k].full, b->names[k].full));
            assert_true(streq(a->names[k].surname, b->names[k].surname));
            assert_int_equal(a->names[k].quality, b->names[k].quality);
        }
        assert_int_equal(a->n_programs, b->n_programs);
        for (size_t k = 0; k < a->n_programs; k++) assert_string_equal(a->programs[k], b->programs[k]);
        assert_int_equal(a->n_dobs, b->n_dobs);
        for (size_t k = 0; k < a->n_dobs; k++) assert_int_equal(a->dobs[k].year, b->dobs[k].year);
        assert_int_equal(a->n_documents, b->n_documents);
        for (size_t k = 0; k < a->n_documents; k++) assert_true(streq(a->documents[k].number, b->documents[k].number));
        assert_int_equal(a->n_wallets, b->n_wallets);
        for (size_t k = 0; k < a->n_wallets; k++) assert_string_equal(a->wallets[k].address, b->wallets[k].address);
        assert_int_equal(a->n_addresses, b->n_addresses);
        assert_int_equal(a->n_attrs, b->n_attrs);
        assert_true(streq(a->remarks, b->remarks));
        assert_int_equal(a->n_also_listed, b->n_also_listed);
        for (size_t k = 0; k < a->n_also_listed; k++) {
            assert_string_equal(a->also_listed[k].entity->id, b->also_listed[k].entity->id);
            assert_ptr_equal(sanctum_dataset_find(md, b->also_listed[k].entity->id), b->also_listed[k].entity);
        }
        const sanctum_entity_link *links = NULL;
        assert_int_equal(sanctum_dataset_links(md, b, &links), b->n_also_listed);
    }
    assert_null(sanctum_dataset_find(md, "ofac-sdn:no-such-entity"));
    assert_null(sanctum_dataset_entity(md, sanctum_dataset_count(md)));
    assert_int_equal(sanctum_dataset_source_count(md), sanctum_dataset_source_count(ds));
    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++) {
        const sanctum_source_info *a = sanctum_dataset_source(ds, i), *b = sanctum_dataset_source(md, i);
        assert_string_equal(a->name, b->name);
        assert_true(streq(a->sha256, b->sha256));
        assert_true(streq(a->published, b->published));
        assert_int_equal(a->entities, b->entities);
        assert_int_equal(a->n_warnings, b->n_warnings);
        assert_int_equal(a->n_files, b->n_files);
    }
    sanctum_index_file_info info;
    assert_int_equal(sanctum_index_file_info_read(path, &info, &err), 0);
    assert_int_equal(info.format, SANCTUM_INDEX_FORMAT);
    assert_int_equal(info.entities, sanctum_dataset_count(ds));
    assert_int_equal(info.n_lists, sanctum_dataset_source_count(ds));
    assert_string_equal(info.lists[0].sha256, sanctum_dataset_source(ds, 0)->sha256);
    sanctum_index_free(m);
}

static void second_mapping_is_relocated_and_agrees(void **state)
{
    (void)state;
    sanctum_index *m1 = NULL, *m2 = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_index_open(&m1, path, &err), 0);
    assert_int_equal(sanctum_index_open(&m2, path, &err), 0);
    size_t checked = 0, hits = 0;
    compare_on_queries(m2, 9, 20, 60, &checked, &hits);
    compare_on_queries(m1, 9, 20, 60, &checked, &hits);
    assert_true(hits > 0);
    sanctum_index_free(m1);
    sanctum_index_free(m2);
}

static void write_bytes(const char *p, const unsigned char *b, size_t n)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static unsigned char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)sz);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return b;
}

static void expect_refused(const char *p, const char *words)
{
    sanctum_index *m = (sanctum_index *)1;
    sanctum_error err;
    int rc = sanctum_index_open(&m, p, &err);
    assert_true(rc < 0);
    assert_null(m);
    if (!strstr(err.message, words)) fail_msg("expected '%s' in: %s", words, err.message);
}

static void bad_files_are_refused_with_a_clear_error(void **state)
{
    (void)state;
    size_t n;
    unsigned char *good = slurp(path, &n);
    char bad[300];
    snprintf(bad, sizeof bad, "%s.bad", path);

    write_bytes(bad, good, n / 2);
    expect_refused(bad, "truncated");
    write_bytes(bad, good, 100);
    expect_refused(bad, "truncated");
    write_bytes(bad, good, 0);
    expect_refused(bad, "truncated");

    unsigned char *c = malloc(n);
    assert_non_null(c);
    memcpy(c, good, n);
    c[n / 2] ^= 0x40; /* one flipped bit in the payload */
    write_bytes(bad, c, n);
    expect_refused(bad, "corrupt");

    memcpy(c, good, n);
    c[8] = 99; /* the format version */
    write_bytes(bad, c, n);
    expect_refused(bad, "format version 99");

    memcpy(c, good, n);
    c[60] ^= 1; /* inside the header, behind its checksum */
    write_bytes(bad, c, n);
    expect_refused(bad, "corrupt header");

    memcpy(c, "name,list\nKim,x\n", 16);
    write_bytes(bad, c, n);
    expect_refused(bad, "not a sanctum index");

    expect_refused("/nonexistent/sanctum.idx", "cannot open");
    expect_refused("/tmp", "not a regular file");
    sanctum_index *m = NULL;
    assert_true(sanctum_index_open(&m, NULL, NULL) < 0);
    assert_true(sanctum_index_write(built, "/nonexistent/dir/x.idx", NULL) < 0);

    free(c);
    free(good);
    unlink(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mapped_index_screens_exactly_like_the_built_one),
        cmocka_unit_test(mapped_dataset_gives_back_every_entity_and_list),
        cmocka_unit_test(second_mapping_is_relocated_and_agrees),
        cmocka_unit_test(bad_files_are_refused_with_a_clear_error),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    sanctum_thread_cleanup();
    return rc;
}
