/*
 * fuzz_wallet.c - feeds arbitrary bytes to the address cleaner, the public
 * normalizer, EIP-55, document number normalization, country resolution
 * and both screening calls on a small hand-made index. Every call must
 * return a status and never read or write out of bounds; a normalized
 * address must be stable when normalized again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident/ident_internal.h"
#include "sanctum/ident.h"

static const sanctum_wallet wallets[] = {
    { "ETH", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" },
    { "XBT", "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ" },
    { "XBT", "bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq" },
};
static const sanctum_document docs[] = { { "Passport", "109420132", "Korea, North", NULL, NULL, NULL } };

/* Idempotence is promised for text: removing whole invisible characters
 * from valid UTF-8 cannot make new ones, but from stray bytes it can. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!len || i + len > n) return 0;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80) return 0;
        i += len;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sanctum_entity ent;
    static const sanctum_entity *ents[1];
    static sanctum_ident_index *idx;
    if (!idx) {
        ent = (sanctum_entity){ .id = "fuzz:1", .source = "fuzz", .key = "1", .wallets = wallets, .n_wallets = 3,
                                .documents = docs, .n_documents = 1 };
        ents[0] = &ent;
        if (sanctum_ident_index_build_from(&idx, ents, 1, NULL)) abort();
    }
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;

    char out[SANCTUM_WALLET_MAX + 3];
    size_t n = 0;
    sanctum_wallet_meta m;
    sanctum_wallet_clean(s, size, out, sizeof out, &n, &m);

    sanctum_wallet_info a, b;
    if (sanctum_wallet_normalize(s, &a, NULL) == 0 && valid_utf8(data, size) && !memchr(data, 0, size)) {
        if (sanctum_wallet_normalize(a.address, &b, NULL) != 0 || strcmp(a.address, b.address) != 0) abort();
    }
    char eip[43];
    sanctum_wallet_eip55(s, eip);
    char num[64];
    sanctum_document_normalize(s, num, sizeof num);
    char code[3];
    sanctum_country_code(s, code);

    sanctum_ident_result *r = NULL;
    if (sanctum_wallet_screen(&r, idx, s, NULL) == 0) {
        char *json = sanctum_ident_result_json(r);
        free(json);
        sanctum_ident_result_free(r);
    }
    r = NULL;
    size_t half = size / 2;
    char *country = s + half;
    if (sanctum_document_screen(&r, idx, s, "passport", size ? country : NULL, NULL) == 0) sanctum_ident_result_free(r);
    free(s);
    return 0;
}
