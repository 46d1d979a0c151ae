/*
 * test_ident_data.c - wallet and document screening against the real lists.
 *
 * The expected wallet counts are taken straight from the OFAC CSV files, not
 * from the loaded entities: a small CSV reader here joins each sdn.csv
 * remark with its continuation in sdn_comments.csv and counts every
 * "Digital Currency Address - <CODE> <address>" per currency. Every such
 * address must then be found again through the index, under its entity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sanctum/dataset.h"
#include "sanctum/ident.h"

typedef struct fixture {
    sanctum_dataset *ds;
    sanctum_ident_index *idx;
} fixture;

static int setup(void **state)
{
    static fixture f;
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.sources = "ofac-sdn";
    sanctum_error err;
    memset(&f, 0, sizeof f);
    if (sanctum_dataset_load(&f.ds, &opts, &err) == 0) {
        if (sanctum_ident_index_build(&f.idx, f.ds, &err)) {
            fprintf(stderr, "index build failed: %s\n", err.message);
            return -1;
        }
    } else if (!strstr(err.message, "not built yet")) {
        fprintf(stderr, "loading the lists failed: %s\n", err.message);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sanctum_ident_index_free(f->idx);
    sanctum_dataset_free(f->ds);
    return 0;
}

#define SKIP_WITHOUT_LOADER(f)                                                       \
    do {                                                                             \
        if (!(f)->idx) {                                                             \
            print_message("the OFAC loader is not built yet: skipped\n");            \
            skip();                                                                  \
        }                                                                            \
    } while (0)

/* ---- an independent reading of the CSV files -------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* Calls fn(ent_num, last field) for each record of an OFAC CSV file. */
static void each_record(const char *path, void (*fn)(long, const char *, void *), void *ctx)
{
    size_t len = 0;
    char *buf = read_all(path, &len);
    assert_non_null(buf);
    char *field = malloc(len + 1), *first = malloc(64);
    size_t fl = 0, fi = 0;
    int quoted = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? buf[i] : '\n';
        if (c == 0x1A) c = '\n';
        if (quoted) {
            if (c == '"' && i + 1 < len && buf[i + 1] == '"') field[fl++] = '"', i++;
            else if (c == '"') quoted = 0;
            else field[fl++] = c;
            continue;
        }
        if (c == '"') quoted = 1;
        else if (c == ',' || c == '\n') {
            field[fl] = 0;
            if (fi == 0) snprintf(first, 64, "%s", field);
            if (c == '\n') {
                if (fi > 0 && atol(first) > 0) fn(atol(first), field, ctx);
                fi = 0;
            } else {
                fi++;
            }
            fl = 0;
        } else if (c != '\r') {
            field[fl++] = c;
        }
    }
    free(field);
    free(first);
    free(buf);
}

typedef struct remarks {
    char **by_ent;
    long max;
    int comments; /* 0 while reading sdn.csv */
} remarks;

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void keep_remark(long ent, const char *text, void *ctx)
{
    remarks *r = ctx;
    if (ent >= r->max) return;
    if (!r->comments) {
        free(r->by_ent[ent]);
        r->by_ent[ent] = dup(strcmp(text, "-0- ") ? text : "");
        return;
    }
    if (!r->by_ent[ent]) return; /* no sdn.csv row: nothing to continue */
    size_t a = strlen(r->by_ent[ent]), b = strlen(text);
    r->by_ent[ent] = realloc(r->by_ent[ent], a + b + 1);
    memcpy(r->by_ent[ent] + a, text, b + 1);
}

static remarks read_remarks(void)
{
    const char *dir = getenv("SANCTUM_DATA");
    char path[1024];
    remarks r = { calloc(100000, sizeof(char *)), 100000, 0 };
    snprintf(path, sizeof path, "%s/ofac-sdn/sdn.csv", dir ? dir : "../data");
    each_record(path, keep_remark, &r);
    r.comments = 1;
    snprintf(path, sizeof path, "%s/ofac-sdn/sdn_comments.csv", dir ? dir : "../data");
    each_record(path, keep_remark, &r);
    return r;
}

static void free_remarks(remarks *r)
{
    for (long i = 0; i < r->max; i++) free(r->by_ent[i]);
    free(r->by_ent);
}

/* ---- tests -------------------------------------------------------------------- */

static void every_wallet_address_of_the_sdn_list_is_indexed(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_LOADER(f);
    remarks r = read_remarks();
    struct {
        char code[16];
        size_t n;
    } per[64];
    size_t ncur = 0, total = 0, found = 0;
    static const char marker[] = "Digital Currency Address - ";
    for (long ent = 0; ent < r.max; ent++) {
        if (!r.by_ent[ent]) continue;
        for (const char *p = strstr(r.by_ent[ent], marker); p; p = strstr(p + 1, marker)) {
            const char *c = p + strlen(marker);
            size_t cl = strcspn(c, " ");
            char code[16], addr[300];
            snprintf(code, sizeof code, "%.*s", (int)cl, c);
            const char *a = c + cl + 1;
            size_t al = strcspn(a, ";");
            snprintf(addr, sizeof addr, "%.*s", (int)al, a);
            size_t k = 0;
            while (k < ncur && strcmp(per[k].code, code)) k++;
            if (k == ncur) {
                snprintf(per[ncur].code, sizeof per[ncur].code, "%s", code);
                per[ncur++].n = 0;
            }
            per[k].n++;
            total++;

            /* the address as listed finds its entity */
            char id[64];
            snprintf(id, sizeof id, "ofac-sdn:%ld", ent);
            sanctum_ident_result *res = NULL;
            sanctum_error err;
            assert_int_equal(sanctum_wallet_screen(&res, f->idx, addr, &err), 0);
            int hit = 0;
            for (size_t i = 0; i < sanctum_ident_result_count(res); i++) {
                const sanctum_ident_hit *h = sanctum_ident_result_hit(res, i);
                if (!strcmp(h->entity->id, id) && !strcmp(h->currency, code)) hit = 1;
            }
            if (!hit) print_error("%s %s of %s not found\n", code, addr, id);
            found += hit;
            sanctum_ident_result_free(res);
        }
    }
    print_message("wallet addresses in the CSV files: %zu; indexed: %zu (%zu distinct)\n", total,
                  sanctum_ident_wallet_count(f->idx), sanctum_ident_address_count(f->idx));
    for (size_t k = 0; k < ncur; k++) {
        size_t first = 0, n = 0;
        sanctum_ident_wallet_range(f->idx, per[k].code, &first, &n);
        print_message("  %-5s csv %3zu  indexed %3zu\n", per[k].code, per[k].n, n);
        assert_int_equal(n, per[k].n);
    }
    assert_int_equal(found, total);
    assert_int_equal(sanctum_ident_wallet_count(f->idx), total);
    assert_int_equal(sanctum_ident_currency_count(f->idx), ncur);
    free_remarks(&r);
}

static const char *hits_of(const sanctum_ident_index *idx, const char *q, const char *id, const char *currency)
{
    sanctum_ident_result *r = NULL;
    sanctum_error err;
    if (sanctum_wallet_screen(&r, idx, q, &err)) fail_msg("screening '%s': %s", q, err.message);
    const char *found = NULL;
    for (size_t i = 0; i < sanctum_ident_result_count(r); i++) {
        const sanctum_ident_hit *h = sanctum_ident_result_hit(r, i);
        if (!strcmp(h->entity->id, id) && (!currency || !strcmp(h->currency, currency))) found = "yes";
    }
    sanctum_ident_result_free(r);
    return found;
}

static void kim_sang_man_and_lazarus_are_found_by_their_real_addresses(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_LOADER(f);
    const sanctum_ident_index *idx = f->idx;
    assert_non_null(hits_of(idx, "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ", "ofac-sdn:43377", "XBT"));
    assert_non_null(hits_of(idx, "bitcoin:1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ?amount=0.1", "ofac-sdn:43377", "XBT"));
    assert_null(hits_of(idx, "1D6GG9iKEhPitTcWRJiniuj1jYM2hNeAfJ", "ofac-sdn:43377", NULL));
    assert_non_null(hits_of(idx, "0X97B1043ABD9E6FC31681635166D430A458D14F9C", "ofac-sdn:43377", "ETH"));
    assert_non_null(hits_of(idx, "97b1043abd9e6fc31681635166d430a458d14f9c", "ofac-sdn:43377", "ETH"));
    static const char *cur[] = { "ETH", "USDT", "USDC" };
    for (int i = 0; i < 3; i++)
        assert_non_null(hits_of(idx, " 0xB6F5EC1A0A9CD1526536D3F0426C429529471F40 ", "ofac-sdn:43377", cur[i]));
    assert_non_null(hits_of(idx, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "ofac-sdn:27307", "ETH"));
    assert_non_null(hits_of(idx, "0x098b716b8aaf21512996dc57eb0615e2383e2f96", "ofac-sdn:27307", "ETH"));
    assert_non_null(hits_of(idx, "ethereum:0x098B716B8AAF21512996DC57EB0615E2383E2F96@1?value=1", "ofac-sdn:27307", "ETH"));
    assert_non_null(hits_of(idx, "0x098B716B\xE2\x80\x8B" "8Aaf21512996dC57EB0615e2383E2f96", "ofac-sdn:27307", "ETH"));
    size_t first = 0, n = 0, lazarus = 0;
    sanctum_ident_wallet_range(idx, "ETH", &first, &n);
    for (size_t i = first; i < first + n; i++)
        if (!strcmp(sanctum_ident_wallet_at(idx, i)->entity->id, "ofac-sdn:27307")) lazarus++;
    assert_int_equal(lazarus, 8);
}

static void kim_sang_man_passport_is_found_and_weighed_by_country(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_LOADER(f);
    static const char *countries[] = { "KP", "Korea, North", NULL };
    static const char *numbers[] = { "109 420 132", "109-420-132", "109420132" };
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            sanctum_ident_result *r = NULL;
            assert_int_equal(sanctum_document_screen(&r, f->idx, numbers[j], "passport", countries[i], NULL), 0);
            assert_true(sanctum_ident_result_count(r) >= 1);
            const sanctum_ident_hit *h = sanctum_ident_result_hit(r, 0);
            assert_string_equal(h->entity->id, "ofac-sdn:43377");
            assert_true(h->score == 1.0);
            sanctum_ident_result_free(r);
        }
    }
    sanctum_ident_result *r = NULL;
    assert_int_equal(sanctum_document_screen(&r, f->idx, "109420132", "passport", "CN", NULL), 0);
    assert_true(sanctum_ident_result_count(r) >= 1);
    assert_true(sanctum_ident_result_hit(r, 0)->score < 1.0);
    assert_non_null(strstr(sanctum_ident_result_hit(r, 0)->explanation, "country differs"));
    sanctum_ident_result_free(r);
    print_message("document numbers indexed: %zu\n", sanctum_ident_document_count(f->idx));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_wallet_address_of_the_sdn_list_is_indexed),
        cmocka_unit_test(kim_sang_man_and_lazarus_are_found_by_their_real_addresses),
        cmocka_unit_test(kim_sang_man_passport_is_found_and_weighed_by_country),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
