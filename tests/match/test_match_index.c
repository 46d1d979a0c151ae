/*
 * test_match_index.c - the matching index on a small hand-made list (no
 * list files needed): building over entities, screening, weak aliases,
 * names that fold to nothing, the tokenizer's canonical forms, and the
 * indexed search against the exhaustive one for many thresholds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "match/match_internal.h"
#include "sanctum.h"

#define NAME(f, k, q) { f, NULL, NULL, k, q, SANCTUM_SCRIPT_LATIN }

static const sanctum_name kim_names[] = {
    NAME("KIM, Sang Man", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
    NAME("KIM, Sangman", SANCTUM_NAME_AKA, SANCTUM_QUALITY_STRONG),
};
static const sanctum_name chinyong_names[] = {
    NAME("CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
    NAME("JINYONG IT COOPERATION COMPANY", SANCTUM_NAME_AKA, SANCTUM_QUALITY_STRONG),
};
static const sanctum_name acme_names[] = {
    NAME("ACME TRADING CO., LTD.", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
    NAME("ACME", SANCTUM_NAME_AKA, SANCTUM_QUALITY_WEAK),
    NAME("-- ..", SANCTUM_NAME_AKA, SANCTUM_QUALITY_STRONG),
};
static const sanctum_name lab_names[] = {
    NAME("110TH RESEARCH CENTER", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
    NAME("LAB 110", SANCTUM_NAME_AKA, SANCTUM_QUALITY_STRONG),
};
static const sanctum_name ri_names[] = {
    NAME("RI, Yong Chol", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
};
static const sanctum_name smith_names[] = {
    NAME("SMITH, J. P.", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
};

static sanctum_entity ents[6];
static const sanctum_entity *ptrs[6];
static sanctum_index *idx;

static void set(int i, const char *id, sanctum_entity_type t, const sanctum_name *names, size_t n)
{
    memset(&ents[i], 0, sizeof ents[i]);
    ents[i].id = id;
    ents[i].source = "test";
    ents[i].key = id;
    ents[i].type = t;
    ents[i].names = names;
    ents[i].n_names = n;
    ptrs[i] = &ents[i];
}

static int setup(void **state)
{
    set(0, "t:kim", SANCTUM_TYPE_PERSON, kim_names, 2);
    set(1, "t:chinyong", SANCTUM_TYPE_ORGANIZATION, chinyong_names, 2);
    set(2, "t:acme", SANCTUM_TYPE_ORGANIZATION, acme_names, 3);
    set(3, "t:lab", SANCTUM_TYPE_ORGANIZATION, lab_names, 2);
    set(4, "t:ri", SANCTUM_TYPE_PERSON, ri_names, 1);
    set(5, "t:smith", SANCTUM_TYPE_PERSON, smith_names, 1);
    sanctum_error err;
    return sm_index_build_entities(&idx, NULL, ptrs, 6, &err);
}

static int teardown(void **state)
{
    sanctum_index_free(idx);
    return 0;
}

static const sanctum_hit *top(sanctum_result **r, const char *name, double min)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = name;
    q.min_score = min;
    assert_int_equal(sanctum_screen(r, idx, &q, NULL), 0);
    return sanctum_result_hit(*r, 0);
}

static void an_index_over_entities_finds_their_names(void **state)
{
    sanctum_result *r;
    const sanctum_hit *h = top(&r, "Sangman Kim", -1);
    assert_non_null(h);
    assert_string_equal(h->entity->id, "t:kim");
    sanctum_result_free(r);
    h = top(&r, "Lab 110", -1);
    assert_non_null(h);
    assert_string_equal(h->entity->id, "t:lab");
    assert_int_equal(h->name_index, 1);
    sanctum_result_free(r);
    h = top(&r, "110th Research Centre", -1);
    assert_non_null(h);
    assert_string_equal(h->entity->id, "t:lab");
    assert_true(h->score > 0.99);
    sanctum_result_free(r);
    assert_null(sanctum_index_dataset(idx));
    assert_int_equal(idx->skipped_names, 1); /* "-- .." folds to nothing */
}

static void a_weak_alias_scores_a_little_lower(void **state)
{
    sanctum_result *r;
    const sanctum_hit *h = top(&r, "Acme", 0.5);
    assert_non_null(h);
    assert_string_equal(h->entity->id, "t:acme");
    assert_int_equal(h->name_index, 1);
    assert_true(h->score > 0.9 && h->score < 0.96);
    sanctum_result_free(r);
}

static void tokens_are_put_in_canonical_form(void **state)
{
    char buf[256];
    sm_rawtok t[16];
    int trunc;
    const char *in = "acme co ltd s a 3rd univ intl mr of x";
    int n = sm_tokenize(in, strlen(in), buf, sizeof buf, t, 16, &trunc);
    assert_int_equal(n, 10);
    assert_false(trunc);
    const char *want[] = { "acme", "company", "limited", "sa", "3", "university", "international", "mr", "of", "x" };
    assert_int_equal(t[1].cls, SM_CLS_LEGAL);
    assert_int_equal(t[3].cls, SM_CLS_LEGAL);
    assert_true(t[4].flags & SM_TF_DIGIT);
    assert_int_equal(t[7].cls, SM_CLS_HONORIFIC);
    assert_int_equal(t[8].cls, SM_CLS_STOP);
    assert_true(t[9].flags & SM_TF_INITIAL);
    for (int i = 0; i < 10; i++) {
        char w[64];
        memcpy(w, t[i].s, t[i].len);
        w[t[i].len] = 0;
        assert_string_equal(w, want[i]);
    }
    /* the Russian limited company written out is one legal form, however
     * spelled or ordered, and run into the next word */
    static const char *const llc[] = {
        "obshchestvo s ogranichennoi otvetstvennostyu signum", "obschestvo s ogranichennoy otvestvennostyu signum",
        "signum s obshchestvo ogranichennoi otvetstvennostyu", "obshchestvo s ogranichennoi otvetstvennostyusignum",
        "obshchestvo s ogranichennoiotvetstvennostyu signum",
    };
    for (size_t k = 0; k < sizeof llc / sizeof *llc; k++) {
        n = sm_tokenize(llc[k], strlen(llc[k]), buf, sizeof buf, t, 16, &trunc);
        assert_int_equal(n, 2);
        int o = k == 2 ? 1 : 0; /* "signum" first when written first */
        assert_int_equal(t[o].len, 3);
        assert_memory_equal(t[o].s, "ooo", 3);
        assert_int_equal(t[o].cls, SM_CLS_LEGAL);
        assert_int_equal(t[1 - o].len, 6);
        assert_memory_equal(t[1 - o].s, "signum", 6);
    }
    /* without the other words an s stays an initial */
    n = sm_tokenize("signum s ogranichennoi", 22, buf, sizeof buf, t, 16, &trunc);
    assert_int_equal(n, 3);
    assert_true(t[1].flags & SM_TF_INITIAL);
    /* more words than room: flagged, never silently cut */
    n = sm_tokenize(in, strlen(in), buf, sizeof buf, t, 4, &trunc);
    assert_int_equal(n, 4);
    assert_true(trunc);
}

static void deletion_counts_cover_every_similar_pair(void **state)
{
    /* every pair of lengths 3..12 at distance <= 2 whose similarity reaches the
     * threshold needs at most k(len) deletions on each side */
    for (int la = SM_EDIT_MIN_LEN; la <= 12; la++)
        for (int lb = SM_EDIT_MIN_LEN; lb <= 12; lb++)
            for (int d = 1; d <= SM_EDIT_MAX_D; d++) {
                double cost = sm_edit_cost(la > lb ? la : lb);
                if (1.0 - d * cost < SM_SIM_MIN || la - lb > d || lb - la > d) continue;
                int need_a = d - (lb > la ? lb - la : 0);
                assert_true(sm_tok_del_k(la) >= need_a);
            }
    assert_int_equal(sm_osa_bounded("sang", 4, "snag", 4, 2), 1);
    assert_int_equal(sm_osa_bounded("abcdef", 6, "xyz", 3, 2), 3);
}

/* Plain optimal-string-alignment distance over the whole table. */
static int osa_full(const char *a, int la, const char *b, int lb)
{
    static int d[82][82];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

static unsigned next_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

static void bounded_distance_agrees_with_the_full_table(void **state)
{
    (void)state;
    /* words over three letters, so that matches, swaps and runs are common,
     * now and then longer than a machine word; half of them a few slips
     * from the other */
    unsigned seed = 12345;
    char a[81], b[90];
    for (int n = 0; n < 200000; n++) {
        int span = n % 50 ? 15 : 78;
        int la = (int)(next_rand(&seed) % (unsigned)span), lb;
        for (int i = 0; i < la; i++) a[i] = (char)('a' + next_rand(&seed) % 3);
        if (n & 1) {
            lb = (int)(next_rand(&seed) % (unsigned)span);
            for (int i = 0; i < lb; i++) b[i] = (char)('a' + next_rand(&seed) % 3);
        } else {
            memcpy(b, a, (size_t)la);
            lb = la;
            for (int k = (int)(next_rand(&seed) % 4); k > 0 && lb > 1; k--) {
                int at = (int)(next_rand(&seed) % (unsigned)(lb - 1));
                switch (next_rand(&seed) % 4) {
                case 0: b[at] = (char)('a' + next_rand(&seed) % 3); break;
                case 1: memmove(b + at, b + at + 1, (size_t)(lb - at - 1)); lb--; break;
                case 2: memmove(b + at + 1, b + at, (size_t)(lb - at)); b[at] = 'c'; lb++; break;
                default: { char x = b[at]; b[at] = b[at + 1]; b[at + 1] = x; } break;
                }
            }
        }
        int full = osa_full(a, la, b, lb);
        for (int max = 0; max <= 3; max++)
            assert_int_equal(sm_osa_bounded(a, la, b, lb, max), full > max ? max + 1 : full);
    }
}

/* Every query at every threshold: the indexed screening returns what
 * scoring every name does, the same entities with the same scores. */
static void assert_indexed_is_exhaustive(const sanctum_index *ix, const char *const *queries, size_t nq,
                                         const double *mins, size_t nm)
{
    for (size_t i = 0; i < nq; i++)
        for (size_t m = 0; m < nm; m++) {
            sanctum_query q = SANCTUM_QUERY_INIT;
            q.name = queries[i];
            q.min_score = mins[m];
            sanctum_result *a, *b;
            assert_int_equal(sanctum_screen(&a, ix, &q, NULL), 0);
            q.exhaustive = 1;
            assert_int_equal(sanctum_screen(&b, ix, &q, NULL), 0);
            assert_int_equal(sanctum_result_count(a), sanctum_result_count(b));
            for (size_t k = 0; k < sanctum_result_count(a); k++) {
                assert_ptr_equal(sanctum_result_hit(a, k)->entity, sanctum_result_hit(b, k)->entity);
                assert_true(sanctum_result_hit(a, k)->score == sanctum_result_hit(b, k)->score);
            }
            sanctum_result_free(a);
            sanctum_result_free(b);
        }
}

/* Two spellings one edit apart: the weighted cost without the table is
 * the table's (a swap or one of a doubled letter half, any other edit 1). */
static void one_edit_cost_agrees_with_the_table(void **state)
{
    (void)state;
    unsigned seed = 777;
    char a[24], b[24];
    int checked = 0, half = 0;
    for (int n = 0; n < 300000; n++) {
        int la = 3 + (int)(next_rand(&seed) % 10);
        for (int i = 0; i < la; i++) a[i] = (char)('a' + next_rand(&seed) % 3);
        /* b: a with one random edit (change, drop, add, swap) */
        int op = (int)(next_rand(&seed) % 4), at = (int)(next_rand(&seed) % (unsigned)la), lb = la;
        memcpy(b, a, (size_t)la);
        if (op == 0) {
            b[at] = (char)('a' + next_rand(&seed) % 3);
        } else if (op == 1) {
            memmove(b + at, b + at + 1, (size_t)(la - at - 1));
            lb--;
        } else if (op == 2) {
            memmove(b + at + 1, b + at, (size_t)(la - at));
            b[at] = (char)('a' + next_rand(&seed) % 3);
            lb++;
        } else if (at + 1 < la) {
            b[at] = a[at + 1];
            b[at + 1] = a[at];
        }
        if (sm_osa_bounded(a, la, b, lb, 2) != 1) continue;
        double want = sm_typo_edits(a, la, b, lb, 1.0);
        if (want > 1.0) want = 1.0;
        double got = sm_one_edit_cost(a, la, b, lb);
        assert_true(got == want);
        assert_true(sm_one_edit_cost(b, lb, a, la) == want);
        checked++;
        half += got < 1.0;
    }
    assert_true(checked > 100000);
    assert_true(half > 10000);
}

static void indexed_equals_exhaustive_on_the_small_list(void **state)
{
    static const char *queries[] = { "Kim Sang Man", "Sangman", "Kim", "J Smith", "John Paul Smith", "Ri Yong Chol",
                                     "Lee Young Cheol", "Acme Trading", "Jinyong IT", "Lab", "110", "S. M. Kim",
                                     "Chinyong Information Technology Cooperation", "Acme Tradng Company Limited",
                                     "김상만", "리영철", "진영" };
    static const double mins[] = { 0.0, 0.3, 0.5, 0.7, 0.8, 0.9 };
    assert_indexed_is_exhaustive(idx, queries, sizeof queries / sizeof *queries, mins, sizeof mins / sizeof *mins);
}

/* An organization listed as id ("list:key") on list src with the given names. */
static void make_org(sanctum_entity *e, const char *id, const char *src, const sanctum_name *names, size_t n)
{
    memset(e, 0, sizeof *e);
    e->id = id;
    e->source = src;
    e->key = strchr(id, ':') + 1;
    e->type = SANCTUM_TYPE_ORGANIZATION;
    e->names = names;
    e->n_names = n;
}

/* Three listings of one name on three lists, one of them a copy of another
 * (same_as): the name is indexed once, every listing is still a hit, the list
 * filter picks listings, and the copy yields to the listing it copies. */
static void listings_that_share_a_name_are_each_found(void **state)
{
    (void)state;
    static const sanctum_name shared[] = {
        NAME("GOLDEN PINE TRADING LLC", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
    };
    static const sanctum_name other[] = {
        NAME("SILVER BIRCH SHIPPING", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
    };
    sanctum_entity e[4];
    const sanctum_entity *p[4];
    const char *ids[] = { "a:1", "b:1", "c:1", "a:2" }, *src[] = { "a", "b", "c", "a" };
    for (int i = 0; i < 4; i++) {
        make_org(&e[i], ids[i], src[i], i == 3 ? other : shared, 1);
        p[i] = &e[i];
    }
    e[2].same_as = &e[0]; /* c:1 republishes a:1 */
    sanctum_index *ix = NULL;
    assert_int_equal(sm_index_build_entities(&ix, NULL, p, 4, NULL), 0);
    assert_int_equal(ix->shared_names, 2);
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Golden Pine Trading LLC";
    sanctum_result *r = NULL;
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 2); /* a:1 and b:1; c:1 is under a:1 */
    assert_string_equal(sanctum_result_hit(r, 0)->entity->id, "a:1");
    assert_string_equal(sanctum_result_hit(r, 1)->entity->id, "b:1");
    assert_true(sanctum_result_hit(r, 0)->score == sanctum_result_hit(r, 1)->score);
    sanctum_result_free(r);
    q.lists = "c";
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 1);
    assert_string_equal(sanctum_result_hit(r, 0)->entity->id, "c:1");
    sanctum_result_free(r);
    q.lists = "b,c";
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 2); /* a:1 is filtered out, so c:1 stands */
    sanctum_result_free(r);
    q.lists = NULL;
    q.exhaustive = 1;
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 2);
    sanctum_result_free(r);
    sanctum_index_free(ix);
}

/* A copy (same_as) of a listing that calls one of its names weak has no
 * weak names of its own (the CSL keeps none): that name scores as the
 * listing's does, so the copy does not outrank the listing on it, and it
 * is indexed once. */
static void a_copy_scores_a_name_as_the_listing_it_copies(void **state)
{
    (void)state;
    static const sanctum_name listed[] = {
        NAME("NORTHERN LIGHT EXPORT COMPANY", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
        NAME("ABU LANTERN", SANCTUM_NAME_AKA, SANCTUM_QUALITY_WEAK),
    };
    static const sanctum_name copied[] = {
        NAME("NORTHERN LIGHT EXPORT COMPANY", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG),
        NAME("ABU LANTERN", SANCTUM_NAME_AKA, SANCTUM_QUALITY_STRONG),
    };
    sanctum_entity e[2];
    const sanctum_entity *p[2];
    const char *ids[] = { "a:1", "c:1" }, *src[] = { "a", "c" };
    for (int i = 0; i < 2; i++) {
        make_org(&e[i], ids[i], src[i], i == 0 ? listed : copied, 2);
        p[i] = &e[i];
    }
    e[1].same_as = &e[0];
    sanctum_index *ix = NULL;
    assert_int_equal(sm_index_build_entities(&ix, NULL, p, 2, NULL), 0);
    assert_int_equal(ix->shared_names, 2); /* both of the copy's names */
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Abu Lantern";
    sanctum_result *r = NULL;
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 1);
    assert_string_equal(sanctum_result_hit(r, 0)->entity->id, "a:1");
    double weak = sanctum_result_hit(r, 0)->score;
    assert_true(weak < 1.0);
    sanctum_result_free(r);
    /* the copy alone: found, at the listing's score for the name */
    q.lists = "c";
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 1);
    assert_string_equal(sanctum_result_hit(r, 0)->entity->id, "c:1");
    assert_true(sanctum_result_hit(r, 0)->score == weak);
    sanctum_result_free(r);
    /* a record that copies nothing keeps its own strong name */
    e[1].same_as = NULL;
    sanctum_index_free(ix);
    assert_int_equal(sm_index_build_entities(&ix, NULL, p, 2, NULL), 0);
    assert_int_equal(ix->shared_names, 1);
    q.lists = NULL;
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    assert_int_equal(sanctum_result_count(r), 2);
    assert_string_equal(sanctum_result_hit(r, 0)->entity->id, "c:1");
    assert_true(sanctum_result_hit(r, 0)->score > weak);
    sanctum_result_free(r);
    sanctum_index_free(ix);
}

/* One listed word takes one query word (unless an option of two query
 * words written together reached it): an initial S cannot stand for both
 * "sarv" and "shipping". The bounds that rely on it must keep every hit the
 * full scoring finds, whatever the threshold, for one form and for the
 * several of a Hangul name (KIMSANGMAN only through "kim" + "sangman"
 * written together); the pair written as one word and the initial standing
 * for one of the two still match. */
static void one_listed_word_stands_for_one_query_word(void **state)
{
    (void)state;
    static const sanctum_name n0[] = { NAME("SARV SHIPPING COMPANY LIMITED", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n1[] = { NAME("S. SHIPPING", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n2[] = { NAME("TAHER, Abdul S.", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n3[] = { NAME("SARVSHIPPING", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n4[] = { NAME("STAR S. SAPPHIRE", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n5[] = { NAME("NORTH SEA SHIPPING", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n6[] = { NAME("S.C.S. HOLDINGS", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n7[] = { NAME("SARV S", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name n8[] = { NAME("KIMSANGMAN", SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG) };
    static const sanctum_name *names[] = { n0, n1, n2, n3, n4, n5, n6, n7, n8 };
    const char *ids[] = { "a:0", "a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7", "a:8" };
    sanctum_entity e[9];
    const sanctum_entity *p[9];
    for (int i = 0; i < 9; i++) {
        make_org(&e[i], ids[i], "a", names[i], 1);
        p[i] = &e[i];
    }
    sanctum_index *ix = NULL;
    assert_int_equal(sm_index_build_entities(&ix, NULL, p, 9, NULL), 0);
    static const char *queries[] = { "Sarv Shipping", "Company Shipping Sarv Limited", "Shipping Sarv", "Sarvshipping",
                                     "S Shipping", "Sarv S", "Star Sapphire Company", "Sapphire Star", "S S",
                                     "신상수", "사르브 쉬핑", "김상만" };
    static const double mins[] = { 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };
    assert_indexed_is_exhaustive(ix, queries, sizeof queries / sizeof *queries, mins, sizeof mins / sizeof *mins);
    /* the two words written as one, and the initial for one of them */
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Sarv Shipping";
    q.min_score = 0.5;
    sanctum_result *r = NULL;
    assert_int_equal(sanctum_screen(&r, ix, &q, NULL), 0);
    int seen3 = 0, seen1 = 0, seen2 = 0;
    for (size_t k = 0; k < sanctum_result_count(r); k++) {
        const char *id = sanctum_result_hit(r, k)->entity->id;
        seen3 |= !strcmp(id, "a:3");
        seen1 |= !strcmp(id, "a:1");
        seen2 |= !strcmp(id, "a:2");
    }
    assert_true(seen3);
    assert_true(seen1);
    assert_false(seen2);
    sanctum_result_free(r);
    sanctum_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_index_over_entities_finds_their_names),
        cmocka_unit_test(a_weak_alias_scores_a_little_lower),
        cmocka_unit_test(tokens_are_put_in_canonical_form),
        cmocka_unit_test(deletion_counts_cover_every_similar_pair),
        cmocka_unit_test(bounded_distance_agrees_with_the_full_table),
        cmocka_unit_test(one_edit_cost_agrees_with_the_table),
        cmocka_unit_test(indexed_equals_exhaustive_on_the_small_list),
        cmocka_unit_test(listings_that_share_a_name_are_each_found),
        cmocka_unit_test(a_copy_scores_a_name_as_the_listing_it_copies),
        cmocka_unit_test(one_listed_word_stands_for_one_query_word),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
