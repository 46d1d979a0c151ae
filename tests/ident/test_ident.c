/*
 * test_ident.c - wallet and document screening without the list loaders:
 * Keccak-256 against the published vectors and OpenSSL's SHA3-256, EIP-55,
 * bech32, cashaddr and base58check rules, address cleaning, country
 * resolution, and the exact-match index over hand-made entities that carry
 * the real addresses and passports of ofac-sdn:43377 (KIM, Sang Man) and
 * ofac-sdn:27307 (Lazarus Group).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "ident/ident_internal.h"
#include "sanctum/ident.h"

static void hex32(const unsigned char *h, char *out)
{
    for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", h[i]);
}

static void keccak256_matches_published_vectors(void **state)
{
    unsigned char h[32];
    char hex[65];
    sanctum_keccak256("", 0, h);
    hex32(h, hex);
    assert_string_equal(hex, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    sanctum_keccak256("abc", 3, h);
    hex32(h, hex);
    assert_string_equal(hex, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    const char *fox = "The quick brown fox jumps over the lazy dog";
    sanctum_keccak256(fox, strlen(fox), h);
    hex32(h, hex);
    assert_string_equal(hex, "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

static void keccak_permutation_agrees_with_openssl_sha3_at_every_length(void **state)
{
    /* SHA3-256 is the same sponge with padding byte 0x06: lengths around
     * the 136-byte rate exercise the multi-block path and the padding edge */
    unsigned char msg[400];
    for (size_t i = 0; i < sizeof msg; i++) msg[i] = (unsigned char)(i * 7 + 3);
    const EVP_MD *md = EVP_sha3_256();
    assert_non_null(md);
    for (size_t len = 0; len <= sizeof msg; len++) {
        unsigned char ours[32], theirs[EVP_MAX_MD_SIZE];
        unsigned tl = 0;
        sanctum_keccak_sponge256(msg, len, 0x06, ours);
        assert_true(EVP_Digest(msg, len, theirs, &tl, md, NULL));
        assert_int_equal(tl, 32);
        assert_memory_equal(ours, theirs, 32);
    }
}

static void eip55_reproduces_the_vectors_of_the_standard(void **state)
{
    static const char *vectors[] = {
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char lowered[43], out[43];
        for (int j = 0; j < 43; j++) lowered[j] = (char)(vectors[i][j] >= 'A' && vectors[i][j] <= 'F' ? vectors[i][j] + 32 : vectors[i][j]);
        assert_int_equal(sanctum_wallet_eip55(lowered, out), 0);
        assert_string_equal(out, vectors[i]);
        sanctum_wallet_info info;
        assert_int_equal(sanctum_wallet_normalize(vectors[i], &info, NULL), 0);
        assert_string_equal(info.format, "evm");
        assert_string_equal(info.address, lowered);
        /* the all-caps and all-lower vectors carry no checksum to verify */
        assert_true(info.validity == SANCTUM_WALLET_VALID || info.validity == SANCTUM_WALLET_UNCHECKED);
    }
    assert_int_equal(sanctum_wallet_eip55("0x1234", (char[43]){ 0 }), SANCTUM_EINVAL);
}

static void eip55_flags_a_mistyped_mixed_case_query_but_keeps_it(void **state)
{
    sanctum_wallet_info info;
    assert_int_equal(sanctum_wallet_normalize("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", &info, NULL), 0);
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    /* one letter's case flipped: same address, checksum broken */
    assert_int_equal(sanctum_wallet_normalize("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", &info, NULL), 0);
    assert_int_equal(info.validity, SANCTUM_WALLET_MALFORMED);
    assert_non_null(strstr(info.message, "EIP-55"));
    assert_string_equal(info.address, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
}

static void cleaning_removes_uri_forms_spaces_and_invisible_characters(void **state)
{
    static const char *forms[] = {
        "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
        "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
        "0X098B716B8AAF21512996DC57EB0615E2383E2F96",
        "098B716B8Aaf21512996dC57EB0615e2383E2f96",
        "  0x098B716B 8Aaf2151 2996dC57\tEB0615e2383E2f96 \n",
        "0x098B716B\xE2\x80\x8B" "8Aaf21512996dC57EB0615e2383E2f96\xEF\xBB\xBF",
        "ethereum:0x098B716B8Aaf21512996dC57EB0615e2383E2f96@1?value=1",
        "ethereum:pay-0x098B716B8Aaf21512996dC57EB0615e2383E2f96@1/transfer?address=0x0&uint256=1",
        "\"0x098B716B8Aaf21512996dC57EB0615e2383E2f96.\"",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        sanctum_wallet_info info;
        assert_int_equal(sanctum_wallet_normalize(forms[i], &info, NULL), 0);
        assert_string_equal(info.address, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
        assert_string_equal(info.chain, "evm");
        assert_int_not_equal(info.validity, SANCTUM_WALLET_MALFORMED);
    }
    sanctum_wallet_info info;
    assert_int_equal(sanctum_wallet_normalize("bitcoin:1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ?amount=0.1&label=x", &info, NULL), 0);
    assert_string_equal(info.address, "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ");
    assert_string_equal(info.format, "base58check");
    assert_string_equal(info.chain, "bitcoin");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    sanctum_error err;
    assert_int_equal(sanctum_wallet_normalize(" \xE2\x80\x8B\t", &info, &err), SANCTUM_EINVAL);
    assert_int_equal(sanctum_wallet_normalize("bitcoin:?amount=1", &info, &err), SANCTUM_EINVAL);
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(sanctum_wallet_normalize(big, &info, &err), SANCTUM_ELIMIT);
}

static void base58_addresses_keep_their_case(void **state)
{
    sanctum_wallet_info info;
    assert_int_equal(sanctum_wallet_normalize("1d6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ", &info, NULL), 0);
    assert_string_equal(info.address, "1d6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ");
    assert_int_equal(info.validity, SANCTUM_WALLET_MALFORMED);
    assert_int_equal(sanctum_wallet_normalize("TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG", &info, NULL), 0);
    assert_string_equal(info.chain, "tron");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    assert_int_equal(sanctum_wallet_normalize("rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66.", &info, NULL), 0);
    assert_string_equal(info.address, "rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66");
    assert_string_equal(info.chain, "ripple");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    assert_int_equal(sanctum_wallet_normalize("LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z", &info, NULL), 0);
    assert_string_equal(info.chain, "litecoin");
    assert_int_equal(sanctum_wallet_normalize("t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy", &info, NULL), 0);
    assert_string_equal(info.chain, "zcash");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    const char *xmr = "884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL";
    assert_int_equal(sanctum_wallet_normalize(xmr, &info, NULL), 0);
    assert_string_equal(info.format, "monero");
    assert_string_equal(info.address, xmr);
}

static void bech32_is_lower_cased_and_mixed_case_is_malformed(void **state)
{
    sanctum_wallet_info info;
    assert_int_equal(sanctum_wallet_normalize("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", &info, NULL), 0);
    assert_string_equal(info.address, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    assert_string_equal(info.format, "bech32");
    assert_string_equal(info.chain, "bitcoin");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    assert_int_equal(sanctum_wallet_normalize("bc1qW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", &info, NULL), 0);
    assert_string_equal(info.address, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    assert_int_equal(info.validity, SANCTUM_WALLET_MALFORMED);
    assert_non_null(strstr(info.message, "BIP-173"));
    assert_int_equal(sanctum_wallet_normalize("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", &info, NULL), 0);
    assert_int_equal(info.validity, SANCTUM_WALLET_MALFORMED);
    assert_int_equal(
        sanctum_wallet_normalize("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", &info, NULL), 0);
    assert_string_equal(info.format, "bech32m");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    assert_int_equal(sanctum_wallet_normalize("ltc1qg82tyxpzyxsmcsepm7pxgvstmt7a8xrczx3k4k", &info, NULL), 0);
    assert_string_equal(info.chain, "litecoin");
}

static void cashaddr_is_found_with_or_without_its_prefix(void **state)
{
    sanctum_wallet_info info;
    assert_int_equal(sanctum_wallet_normalize("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", &info, NULL), 0);
    assert_string_equal(info.address, "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a");
    assert_string_equal(info.format, "cashaddr");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    assert_int_equal(sanctum_wallet_normalize("QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A", &info, NULL), 0);
    assert_string_equal(info.address, "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a");
    assert_int_equal(info.validity, SANCTUM_WALLET_VALID);
    /* a listed BCH address with a sentence dot */
    assert_int_equal(sanctum_wallet_normalize("qz9f2vz3033sg5vc5mf7m7xshmj0jugy4ummf05jk8.", &info, NULL), 0);
    assert_string_equal(info.address, "qz9f2vz3033sg5vc5mf7m7xshmj0jugy4ummf05jk8");
    assert_string_equal(info.chain, "bitcoin-cash");
}

static void document_numbers_lose_their_separators(void **state)
{
    char out[64];
    assert_int_equal(sanctum_document_normalize("109 420 132", out, sizeof out), 9);
    assert_string_equal(out, "109420132");
    sanctum_document_normalize("109-420-132", out, sizeof out);
    assert_string_equal(out, "109420132");
    sanctum_document_normalize(" ab.12/34\xE2\x80\x93x ", out, sizeof out);
    assert_string_equal(out, "AB1234X");
    assert_int_equal(sanctum_document_normalize("- / .", out, sizeof out), 0);
    assert_int_equal(sanctum_document_normalize("123456789", out, 5), 0);
}

static void countries_resolve_from_list_spellings_and_codes(void **state)
{
    static const struct {
        const char *in, *code;
    } cases[] = {
        { "KP", "KP" },
        { "kp", "KP" },
        { "PRK", "KP" },
        { "Korea, North", "KP" },
        { "North Korea", "KP" },
        { "Democratic People's Republic of Korea", "KP" },
        { "Korea, South", "KR" },
        { "Iran (Islamic Republic of)", "IR" },
        { "Congo, Democratic Republic of the", "CD" },
        { "Democratic Republic of the Congo", "CD" },
        { "Man, Isle of", "IM" },
        { "Bahamas, The", "BS" },
        { "Virgin Islands, British", "VG" },
        { "Saint Kitts and Nevis", "KN" },
        { "Burma", "MM" },
        { "T\xC3\xBCrkiye", "TR" },
        { "Russian Federation", "RU" },
        { "United Kingdom of Great Britain and Northern Ireland", "GB" },
        { "China", "CN" },
        { "CN", "CN" },
        { "Bosnia and Herzegovina", "BA" },
        { "North Macedonia, The Republic of", "MK" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char code[3] = "";
        if (sanctum_country_code(cases[i].in, code) != 0) fail_msg("'%s' did not resolve", cases[i].in);
        if (strcmp(code, cases[i].code)) fail_msg("'%s' -> %s, expected %s", cases[i].in, code, cases[i].code);
    }
    char code[3];
    assert_int_equal(sanctum_country_code("Atlantis", code), SANCTUM_ENOTFOUND);
    assert_int_equal(sanctum_country_code("ZZ", code), SANCTUM_ENOTFOUND);
}

static void document_types_fall_into_broad_classes(void **state)
{
    assert_int_equal(sanctum_doc_classify("Passport"), SANCTUM_DOC_PASSPORT);
    assert_int_equal(sanctum_doc_classify("Diplomatic Passport"), SANCTUM_DOC_PASSPORT);
    assert_int_equal(sanctum_doc_classify("Num\xC3\xA9ro de passeport "), SANCTUM_DOC_PASSPORT);
    assert_int_equal(sanctum_doc_classify("N\xC3\xBAmero de pasaporte"), SANCTUM_DOC_PASSPORT);
    assert_int_equal(sanctum_doc_classify("National ID No."), SANCTUM_DOC_NATIONAL_ID);
    assert_int_equal(sanctum_doc_classify("National Identification Number"), SANCTUM_DOC_NATIONAL_ID);
    assert_int_equal(sanctum_doc_classify("Cedula No."), SANCTUM_DOC_NATIONAL_ID);
    assert_int_equal(sanctum_doc_classify("Tax ID No."), SANCTUM_DOC_TAX_ID);
    assert_int_equal(sanctum_doc_classify("Registration Number"), SANCTUM_DOC_REGISTRATION);
    assert_int_equal(sanctum_doc_classify("Vessel Registration Identification IMO"), SANCTUM_DOC_VESSEL);
    assert_int_equal(sanctum_doc_classify("Driver's License No."), SANCTUM_DOC_DRIVING_LICENSE);
    assert_int_equal(sanctum_doc_classify("passport"), SANCTUM_DOC_PASSPORT);
}

/* ---- the index over hand-made entities ------------------------------------- */

static const sanctum_wallet kim_wallets[] = {
    { "XBT", "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ" },
    { "XBT", "1FCNgfZWpYMeYhy9t18AAkTBu8AsdoAc1Z" },
    { "ETH", "0x97b1043abd9e6fc31681635166d430a458d14f9c" },
    { "ETH", "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40" },
    { "USDT", "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40" },
    { "USDC", "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40" },
};
static const sanctum_document kim_docs[] = {
    { "Passport", "109420132", "Korea, North", "16 Oct 2019", "16 Oct 2024", NULL },
    { "Passport", "827220538", "Korea, North", NULL, NULL, NULL },
    { "Passport", "563220082", "Korea, North", NULL, NULL, NULL },
};
static const sanctum_name kim_names[] = { { "KIM, Sang Man", "KIM", "Sang Man", SANCTUM_NAME_PRIMARY, 0, 0 } };
static const sanctum_wallet lazarus_wallets[] = {
    { "ETH", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" }, { "ETH", "0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B" },
    { "ETH", "0x3Cffd56B47B7b41c56258D9C7731ABaDc360E073" }, { "ETH", "0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1" },
    { "ETH", "0x35fB6f6DB4fb05e6A4cE86f2C93691425626d4b1" }, { "ETH", "0xF7B31119c2682c88d88D455dBb9d5932c65Cf1bE" },
    { "ETH", "0x3e37627dEAA754090fBFbb8bd226c1CE66D255e9" }, { "ETH", "0x08723392Ed15743cc38513C4925f5e6be5c17243" },
};
static const sanctum_name lazarus_names[] = { { "LAZARUS GROUP", NULL, NULL, SANCTUM_NAME_PRIMARY, 0, 0 } };
/* an address listed for two entities, one of them with a malformed copy */
static const sanctum_wallet other_wallets[] = {
    { "XBT", "bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq" },
    { "ETH", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" },
    { "XBT", "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfX" },
    { "XMR", "not an address at all" },
};
static const sanctum_document other_docs[] = {
    { "National ID No.", "109-420-132", NULL, NULL, NULL, NULL },
};
static const sanctum_name other_names[] = { { "EXAMPLE TRADING", NULL, NULL, SANCTUM_NAME_PRIMARY, 0, 0 } };

static sanctum_entity entities[3];
static const sanctum_entity *entity_ptrs[3];

static int setup_index(void **state)
{
    memset(entities, 0, sizeof entities);
    entities[0] = (sanctum_entity){ .id = "ofac-sdn:43377", .source = "ofac-sdn", .key = "43377",
                                    .type = SANCTUM_TYPE_PERSON, .names = kim_names, .n_names = 1,
                                    .wallets = kim_wallets, .n_wallets = 6, .documents = kim_docs, .n_documents = 3 };
    entities[1] = (sanctum_entity){ .id = "ofac-sdn:27307", .source = "ofac-sdn", .key = "27307",
                                    .type = SANCTUM_TYPE_ORGANIZATION, .names = lazarus_names, .n_names = 1,
                                    .wallets = lazarus_wallets, .n_wallets = 8 };
    entities[2] = (sanctum_entity){ .id = "test:1", .source = "test", .key = "1", .type = SANCTUM_TYPE_ORGANIZATION,
                                    .names = other_names, .n_names = 1, .wallets = other_wallets, .n_wallets = 4,
                                    .documents = other_docs, .n_documents = 1 };
    for (int i = 0; i < 3; i++) entity_ptrs[i] = &entities[i];
    sanctum_ident_index *idx = NULL;
    sanctum_error err;
    if (sanctum_ident_index_build_from(&idx, entity_ptrs, 3, &err)) return -1;
    *state = idx;
    return 0;
}

static int teardown_index(void **state)
{
    sanctum_ident_index_free(*state);
    return 0;
}

/* Screens q and checks that exactly the expected entity ids were hit. */
static sanctum_ident_result *screen(const sanctum_ident_index *idx, const char *q)
{
    sanctum_ident_result *r = NULL;
    sanctum_error err;
    int rc = sanctum_wallet_screen(&r, idx, q, &err);
    if (rc) fail_msg("screening '%s' failed: %s", q, err.message);
    return r;
}

static int hit_entity(const sanctum_ident_result *r, const char *id)
{
    int n = 0;
    for (size_t i = 0; i < sanctum_ident_result_count(r); i++)
        if (!strcmp(sanctum_ident_result_hit(r, i)->entity->id, id)) n++;
    return n;
}

static void every_listed_wallet_is_indexed_and_listed_by_currency(void **state)
{
    const sanctum_ident_index *idx = *state;
    assert_int_equal(sanctum_ident_wallet_count(idx), 18);
    size_t first, count;
    assert_int_equal(sanctum_ident_wallet_range(idx, "eth", &first, &count), 0);
    assert_int_equal(count, 11);
    for (size_t i = first; i < first + count; i++) assert_string_equal(sanctum_ident_wallet_at(idx, i)->currency, "ETH");
    assert_int_equal(sanctum_ident_wallet_range(idx, "DOGE", &first, &count), 0);
    assert_int_equal(count, 0);
    size_t total = 0;
    for (size_t i = 0; i < sanctum_ident_currency_count(idx); i++) {
        size_t n = 0;
        assert_non_null(sanctum_ident_currency_at(idx, i, &n));
        total += n;
    }
    assert_int_equal(total, 18);
    /* 18 listings, 15 distinct addresses: 0xb6f5... thrice, 0x098B... twice */
    assert_int_equal(sanctum_ident_address_count(idx), 15);
    /* the malformed listing is kept */
    int found = 0;
    for (size_t i = 0; i < sanctum_ident_wallet_count(idx); i++) {
        const sanctum_ident_wallet *w = sanctum_ident_wallet_at(idx, i);
        if (!strcmp(w->currency, "XMR")) {
            found = 1;
            assert_int_equal(w->validity, SANCTUM_WALLET_UNKNOWN);
        }
        if (!strcmp(w->address, "1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfX")) assert_int_equal(w->validity, SANCTUM_WALLET_MALFORMED);
    }
    assert_true(found);
    char *json = sanctum_ident_wallets_json(idx, "USDC");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"entity\":\"ofac-sdn:43377\""));
    assert_non_null(strstr(json, "\"currency\":\"USDC\""));
    sanctum_string_free(json);
}

static void lazarus_addresses_match_in_every_case_and_format(void **state)
{
    const sanctum_ident_index *idx = *state;
    static const char *forms[] = {
        "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
        "0X098B716B8AAF21512996DC57EB0615E2383E2F96",
        "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
        "098b716b8aaf21512996dc57eb0615e2383e2f96",
        "098B716B8AAF21512996DC57EB0615E2383E2F96",
        " 0x098B716B8Aaf2151 2996dC57EB0615e2383E2f96\r\n",
        "\xE2\x80\x8B" "0x098B716B8Aaf21512996dC57EB0615e2383E2f96\xE2\x80\x8D",
        "ethereum:0x098B716B8Aaf21512996dC57EB0615e2383E2f96@1?value=1",
        "ethereum:0x098b716b8aaf21512996dc57eb0615e2383e2f96@1?value=1e18",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        sanctum_ident_result *r = screen(idx, forms[i]);
        if (hit_entity(r, "ofac-sdn:27307") != 1) fail_msg("'%s' did not hit Lazarus", forms[i]);
        assert_int_equal(hit_entity(r, "test:1"), 1);
        assert_int_equal(sanctum_ident_result_count(r), 2);
        assert_string_equal(sanctum_ident_result_normalized(r), "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
        assert_string_equal(sanctum_ident_result_chain(r), "evm");
        const sanctum_ident_hit *h = sanctum_ident_result_hit(r, 0);
        assert_true(h->score == 1.0);
        assert_string_equal(h->matched_field, "wallet");
        assert_string_equal(h->currency, "ETH");
        assert_string_equal(h->listed, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
        assert_non_null(h->wallet);
        sanctum_ident_result_free(r);
    }
    /* every other Lazarus address, upper-cased */
    for (size_t i = 1; i < 8; i++) {
        char up[64];
        snprintf(up, sizeof up, "%s", lazarus_wallets[i].address);
        for (char *p = up + 2; *p; p++)
            if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
        sanctum_ident_result *r = screen(idx, up);
        assert_int_equal(hit_entity(r, "ofac-sdn:27307"), 1);
        assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_UNCHECKED);
        sanctum_ident_result_free(r);
    }
}

static void a_broken_eip55_query_is_reported_but_still_matches(void **state)
{
    sanctum_ident_result *r = screen(*state, "0x098b716B8Aaf21512996dC57EB0615e2383E2f96");
    assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_MALFORMED);
    assert_non_null(strstr(sanctum_ident_result_message(r), "EIP-55"));
    assert_int_equal(hit_entity(r, "ofac-sdn:27307"), 1);
    sanctum_ident_result_free(r);
    r = screen(*state, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
    assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_VALID);
    sanctum_ident_result_free(r);
}

static void kim_sang_man_shared_address_returns_every_currency(void **state)
{
    sanctum_ident_result *r = screen(*state, "0XB6F5EC1A0A9CD1526536D3F0426C429529471F40");
    assert_int_equal(sanctum_ident_result_count(r), 3);
    const char *want[] = { "ETH", "USDC", "USDT" };
    for (size_t i = 0; i < 3; i++) {
        const sanctum_ident_hit *h = sanctum_ident_result_hit(r, i);
        assert_string_equal(h->entity->id, "ofac-sdn:43377");
        assert_string_equal(h->currency, want[i]);
    }
    char *json = sanctum_ident_result_json(r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"matched_field\":\"wallet\""));
    assert_non_null(strstr(json, "\"score\":1"));
    assert_non_null(strstr(json, "\"currency\":\"USDC\""));
    assert_non_null(strstr(json, "\"name\":\"KIM, Sang Man\""));
    sanctum_string_free(json);
    sanctum_ident_result_free(r);

    r = screen(*state, "0x97b1043abd9e6fc31681635166d430a458d14f9c");
    assert_int_equal(sanctum_ident_result_count(r), 1);
    assert_string_equal(sanctum_ident_result_hit(r, 0)->currency, "ETH");
    sanctum_ident_result_free(r);
}

static void bitcoin_uri_matches_and_a_case_change_does_not(void **state)
{
    sanctum_ident_result *r = screen(*state, "bitcoin:1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ?amount=0.1");
    assert_int_equal(sanctum_ident_result_count(r), 1);
    assert_string_equal(sanctum_ident_result_hit(r, 0)->entity->id, "ofac-sdn:43377");
    assert_string_equal(sanctum_ident_result_hit(r, 0)->currency, "XBT");
    assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_VALID);
    sanctum_ident_result_free(r);
    r = screen(*state, " 1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ\xE2\x80\x8B");
    assert_int_equal(sanctum_ident_result_count(r), 1);
    sanctum_ident_result_free(r);
    static const char *changed[] = { "1d6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ", "1D6GG9IKEHPITTCWRJINIUJ1JYM2HNEAFJ",
                                     "1d6gg9ikehpittcwrjiniuj1jym2hneafj" };
    for (size_t i = 0; i < 3; i++) {
        r = screen(*state, changed[i]);
        if (sanctum_ident_result_count(r)) fail_msg("'%s' must not match a case-sensitive address", changed[i]);
        sanctum_ident_result_free(r);
    }
}

static void bech32_in_upper_case_matches(void **state)
{
    sanctum_ident_result *r = screen(*state, "BC1QV7K70U2ZYNVEM59U88CTDLAW7HC735D8XEP9RQ");
    assert_int_equal(sanctum_ident_result_count(r), 1);
    assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_VALID);
    sanctum_ident_result_free(r);
    r = screen(*state, "bitcoin:bc1qV7K70U2ZYNVEM59U88CTDLAW7HC735D8XEP9RQ?amount=1");
    assert_int_equal(sanctum_ident_result_count(r), 1);
    assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_MALFORMED);
    sanctum_ident_result_free(r);
}

static void unlisted_and_empty_addresses_behave(void **state)
{
    sanctum_ident_result *r = screen(*state, "0x0000000000000000000000000000000000000000");
    assert_int_equal(sanctum_ident_result_count(r), 0);
    assert_null(sanctum_ident_result_hit(r, 0));
    sanctum_ident_result_free(r);
    r = screen(*state, "not an address at all");
    /* spaces go on both sides: the odd listing is still found */
    assert_int_equal(sanctum_ident_result_count(r), 1);
    assert_int_equal(sanctum_ident_result_validity(r), SANCTUM_WALLET_UNKNOWN);
    sanctum_ident_result_free(r);
    sanctum_error err;
    assert_int_equal(sanctum_wallet_screen(&r, *state, "   ", &err), SANCTUM_EINVAL);
    assert_null(r);
    assert_int_equal(sanctum_wallet_screen(&r, *state, NULL, &err), SANCTUM_EINVAL);
}

static sanctum_ident_result *doc(const sanctum_ident_index *idx, const char *n, const char *type, const char *country)
{
    sanctum_ident_result *r = NULL;
    sanctum_error err;
    if (sanctum_document_screen(&r, idx, n, type, country, &err)) fail_msg("document '%s': %s", n, err.message);
    return r;
}

static void kim_passport_matches_with_any_separator_and_country_spelling(void **state)
{
    static const char *numbers[] = { "109420132", "109 420 132", "109-420-132", "109.420.132" };
    static const char *countries[] = { NULL, "KP", "kp", "Korea, North", "North Korea", "PRK" };
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < 6; j++) {
            sanctum_ident_result *r = doc(*state, numbers[i], "passport", countries[j]);
            assert_int_equal(sanctum_ident_result_count(r), 2);
            const sanctum_ident_hit *h = sanctum_ident_result_hit(r, 0);
            assert_string_equal(h->entity->id, "ofac-sdn:43377");
            assert_true(h->score == 1.0);
            assert_string_equal(h->matched_field, "document");
            assert_string_equal(h->document_type, "Passport");
            assert_string_equal(h->country, "Korea, North");
            assert_string_equal(h->country_code, "KP");
            assert_string_equal(h->listed, "109420132");
            /* the national id with the same number but no country, a different type */
            const sanctum_ident_hit *h2 = sanctum_ident_result_hit(r, 1);
            assert_string_equal(h2->entity->id, "test:1");
            assert_true(h2->score < 1.0);
            assert_non_null(strstr(h2->explanation, "type differs"));
            sanctum_ident_result_free(r);
        }
    }
}

static void a_different_issuing_country_is_a_weaker_match(void **state)
{
    sanctum_ident_result *r = doc(*state, "109 420 132", NULL, "CN");
    assert_int_equal(sanctum_ident_result_count(r), 2);
    /* the listing without a country is a full match; Kim's passport is weaker */
    const sanctum_ident_hit *h0 = sanctum_ident_result_hit(r, 0), *h1 = sanctum_ident_result_hit(r, 1);
    assert_string_equal(h0->entity->id, "test:1");
    assert_true(h0->score == 1.0);
    assert_string_equal(h1->entity->id, "ofac-sdn:43377");
    assert_true(h1->score > 0.5 && h1->score < 0.9);
    assert_non_null(strstr(h1->explanation, "country differs"));
    char *json = sanctum_ident_result_json(r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"matched_field\":\"document\""));
    assert_non_null(strstr(json, "\"country_code\":\"KP\""));
    sanctum_string_free(json);
    sanctum_ident_result_free(r);

    r = doc(*state, "827220538", "Passport", "China");
    assert_int_equal(sanctum_ident_result_count(r), 1);
    assert_true(sanctum_ident_result_hit(r, 0)->score < 1.0);
    sanctum_ident_result_free(r);
    r = doc(*state, "999999999", "Passport", "KP");
    assert_int_equal(sanctum_ident_result_count(r), 0);
    sanctum_ident_result_free(r);

    sanctum_error err;
    assert_int_equal(sanctum_document_screen(&r, *state, "109420132", NULL, "Atlantis", &err), SANCTUM_EINVAL);
    assert_int_equal(sanctum_document_screen(&r, *state, " -- ", NULL, NULL, &err), SANCTUM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keccak256_matches_published_vectors),
        cmocka_unit_test(keccak_permutation_agrees_with_openssl_sha3_at_every_length),
        cmocka_unit_test(eip55_reproduces_the_vectors_of_the_standard),
        cmocka_unit_test(eip55_flags_a_mistyped_mixed_case_query_but_keeps_it),
        cmocka_unit_test(cleaning_removes_uri_forms_spaces_and_invisible_characters),
        cmocka_unit_test(base58_addresses_keep_their_case),
        cmocka_unit_test(bech32_is_lower_cased_and_mixed_case_is_malformed),
        cmocka_unit_test(cashaddr_is_found_with_or_without_its_prefix),
        cmocka_unit_test(document_numbers_lose_their_separators),
        cmocka_unit_test(countries_resolve_from_list_spellings_and_codes),
        cmocka_unit_test(document_types_fall_into_broad_classes),
        cmocka_unit_test_setup_teardown(every_listed_wallet_is_indexed_and_listed_by_currency, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(lazarus_addresses_match_in_every_case_and_format, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(a_broken_eip55_query_is_reported_but_still_matches, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(kim_sang_man_shared_address_returns_every_currency, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(bitcoin_uri_matches_and_a_case_change_does_not, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(bech32_in_upper_case_matches, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(unlisted_and_empty_addresses_behave, setup_index, teardown_index),
        cmocka_unit_test_setup_teardown(kim_passport_matches_with_any_separator_and_country_spelling, setup_index,
                                        teardown_index),
        cmocka_unit_test_setup_teardown(a_different_issuing_country_is_a_weaker_match, setup_index, teardown_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
