/*
 * test_text.c - folding names into the matching alphabet, Hangul
 * romanization, Hangul query variants and the Korean syllable key.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sanctum/common.h"
#include "text/text.h"

/* Folds s and returns a static copy of the result ("<error N>" on failure). */
static const char *fold(const char *s)
{
    static char res[1024];
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    int rc = sanctum_text_fold(s, strlen(s), &b);
    if (rc) snprintf(res, sizeof res, "<error %d>", rc);
    else snprintf(res, sizeof res, "%s", sanctum_strbuf_cstr(&b));
    sanctum_strbuf_free(&b);
    return res;
}

static const char *roman(const char *s, int style)
{
    static char res[1024];
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    int rc = sanctum_hangul_romanize(s, strlen(s), style, &b);
    if (rc) snprintf(res, sizeof res, "<error %d>", rc);
    else snprintf(res, sizeof res, "%s", sanctum_strbuf_cstr(&b));
    sanctum_strbuf_free(&b);
    return res;
}

/* The key of a token, or "" when it does not read as Korean. */
static const char *key(const char *tok)
{
    static char res[8][256];
    static int slot;
    char *r = res[slot++ & 7];
    size_t n = sanctum_korean_key(tok, strlen(tok), r, 256);
    if (n == 0) r[0] = '\0';
    else assert_int_equal(n, strlen(r));
    return r;
}

static void assert_same_key(const char *a, const char *b)
{
    const char *ka = key(a), *kb = key(b);
    if (!ka[0] || strcmp(ka, kb) != 0) fail_msg("key(%s)=\"%s\" key(%s)=\"%s\"", a, ka, b, kb);
}

/* ---- fold ---------------------------------------------------------------- */

static void ascii_names_fold_to_lowercase_tokens(void **state)
{
    assert_string_equal(fold("KIM, Sang-Man"), "kim sang man");
    assert_string_equal(fold("Co., Ltd."), "co ltd");
    assert_string_equal(fold("AT&T"), "at and t");
    assert_string_equal(fold("Pyo'ng-so'"), "pyong so");
    assert_string_equal(fold("  O'Brien  `x` "), "obrien x");
    assert_string_equal(fold("Unit 61398"), "unit 61398");
    assert_string_equal(fold(""), "");
    assert_string_equal(fold(" ,;- "), "");
}

static void apostrophes_and_breves_vanish_without_splitting(void **state)
{
    assert_string_equal(fold("HWANG, Pyo\xe2\x80\x99ng-so\xe2\x80\x99"), "hwang pyong so");
    assert_string_equal(fold("Ch'oe S\xc5\x8fng-il"), "choe song il");
    assert_string_equal(fold("CH\xca\xbc" "OE S\xc5\xadn\xe2\x80\x98il"), "choe sunil");
}

static void latin_diacritics_fold_to_base_letters(void **state)
{
    assert_string_equal(fold("\xc3\x98resund"), "oresund");                 /* Øresund */
    assert_string_equal(fold("Stra\xc3\x9f" "e"), "strasse");               /* Straße */
    assert_string_equal(fold("\xc3\x86THER"), "aether");                    /* ÆTHER */
    assert_string_equal(fold("\xc4\xb1stanbul"), "istanbul");               /* ıstanbul */
    assert_string_equal(fold("\xc4\x90or\xc4\x91" "e"), "dorde");           /* Đorđe */
    assert_string_equal(fold("\xc5\x81\xc3\x93" "D\xc5\xb9"), "lodz");      /* ŁÓDŹ */
    assert_string_equal(fold("Nguy\xe1\xbb\x85n V\xc4\x83n"), "nguyen van"); /* Nguyễn Văn */
    assert_string_equal(fold("Mu\xcc\x88ller"), "muller");                  /* combining diaeresis */
}

static void fullwidth_letters_fold_like_ascii(void **state)
{
    assert_string_equal(fold("\xef\xbc\xab\xef\xbd\x89\xef\xbd\x8d"), "kim"); /* Ｋｉｍ */
    assert_string_equal(fold("\xef\xbc\xa1\xef\xbc\xb4\xef\xbc\x86\xef\xbc\xb4"), "at and t");
}

static void cyrillic_folds_with_bgn_spellings(void **state)
{
    /* Russian-Latin/BGN, checked with uconv: Sergey Shoygu, not Sergej Šojgu. */
    assert_string_equal(fold("\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb3\xd0\xb5\xd0\xb9 \xd0\xa8\xd0\xbe\xd0\xb9\xd0\xb3\xd1\x83"),
                        "sergey shoygu");
    assert_string_equal(fold("\xd0\x9e\xd0\x9e\xd0\x9e"), "ooo"); /* ООО */
    assert_string_equal(fold("\xd0\x9e\xd0\x9e\xd0\x9e \xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb0\xd1\x88\xd0\xba\xd0\xb0"),
                        "ooo romashka");
    /* The soft sign is an apostrophe in BGN: gone without a split. */
    assert_string_equal(fold("\xd0\x98\xd0\xbb\xd1\x8c\xd0\xb8\xd1\x87"), "ilich"); /* Ильич */
    /* Word-initial е is "ye" in BGN: Елена Ежова. */
    assert_string_equal(fold("\xd0\x95\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xb0 \xd0\x95\xd0\xb6\xd0\xbe\xd0\xb2\xd0\xb0"),
                        "yelena yezhova");
    /* BGN marks the t.s of two letters (not ts, one letter) with a middle
     * dot: one word still, Detskiy, Bratsk, otvetstvennost' */
    assert_string_equal(fold("\xd0\x94\xd0\xb5\xd1\x82\xd1\x81\xd0\xba\xd0\xb8\xd0\xb9"), "detskiy"); /* Детский */
    assert_string_equal(fold("\xd0\x91\xd1\x80\xd0\xb0\xd1\x82\xd1\x81\xd0\xba"), "bratsk");               /* Братск */
    assert_string_equal(fold("\xd0\x9e\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82\xd1\x81\xd1\x82\xd0\xb2\xd0\xb5"
                             "\xd0\xbd\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82\xd1\x8c"),
                        "otvetstvennost");
    /* a middle dot the text itself has still parts words */
    assert_string_equal(fold("Col\xc2\xb7legi"), "col legi");
}

static int only_matching_alphabet(const char *s)
{
    if (!*s) return 0;
    if (s[0] == ' ' || s[strlen(s) - 1] == ' ') return 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ') {
            if (p[1] == ' ') return 0;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return 0;
        }
    }
    return 1;
}

static void arabic_names_from_the_un_list_fold_to_latin_letters(void **state)
{
    const char *dir = getenv("SANCTUM_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/un-sc/consolidated.xml", dir ? dir : "../data");
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char line[1 << 16];
    int checked = 0;
    while (fgets(line, sizeof line, fp) && checked < 50) {
        const char *tag = "<NAME_ORIGINAL_SCRIPT>";
        char *p = strstr(line, tag);
        if (!p) continue;
        p += strlen(tag);
        char *e = strchr(p, '<');
        if (!e) continue;
        *e = '\0';
        if ((unsigned char)p[0] != 0xd8 && (unsigned char)p[0] != 0xd9) continue; /* Arabic block */
        const char *f = fold(p);
        if (!only_matching_alphabet(f)) fail_msg("\"%s\" folded to \"%s\"", p, f);
        checked++;
    }
    fclose(fp);
    assert_true(checked > 10);
    /* صدام حسين -> letters only, through Arabic-Latin. */
    assert_string_equal(fold("\xd8\xb5\xd8\xaf\xd8\xa7\xd9\x85 \xd8\xad\xd8\xb3\xd9\x8a\xd9\x86"), "sdam hsyn");
}

static void other_scripts_fold_through_icu(void **state)
{
    assert_string_equal(fold("\xe9\x87\x91\xe6\xad\xa3\xe6\x81\xa9"), "jin zheng en"); /* 金正恩 */
    assert_string_equal(fold("\xce\x92\xce\xb5\xce\xbd\xce\xb9\xce\xb6\xce\xad\xce\xbb\xce\xbf\xcf\x82"),
                        "venizelos");                                                   /* Βενιζέλος */
}

static void hangul_folds_to_dprk_syllables(void **state)
{
    assert_string_equal(fold("\xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c"), "kim sang man"); /* 김상만 */
    assert_string_equal(fold("\xeb\xa6\xac \xec\x98\x81\xec\xb2\xa0"), "ri yong chol"); /* 리 영철 */
    assert_string_equal(fold("KIM \xec\x83\x81\xeb\xa7\x8c"), "kim sang man");
}

static void invalid_utf8_is_refused_and_leaves_output_alone(void **state)
{
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    sanctum_strbuf_puts(&b, "keep");
    const char *bad[] = {"abc\xff", "\xc3", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "ok \xf8\x88\x80\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sanctum_text_fold(bad[i], strlen(bad[i]), &b), SANCTUM_EUNICODE);
        assert_string_equal(sanctum_strbuf_cstr(&b), "keep");
        size_t n = 9;
        assert_int_equal(sanctum_text_variants(bad[i], strlen(bad[i]), 8, &b, &n), SANCTUM_EUNICODE);
        assert_int_equal(n, 0);
        assert_int_equal(sanctum_hangul_romanize(bad[i], strlen(bad[i]), SANCTUM_ROM_RR, &b), SANCTUM_EUNICODE);
        assert_string_equal(sanctum_strbuf_cstr(&b), "keep");
    }
    sanctum_strbuf_free(&b);
}

static void oversized_input_is_refused(void **state)
{
    size_t n = SANCTUM_TEXT_MAX_INPUT + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    assert_int_equal(sanctum_text_fold(big, n, &b), SANCTUM_ELIMIT);
    assert_int_equal(b.len, 0);
    assert_int_equal(sanctum_text_fold(big, n - 1, &b), 0);
    assert_int_equal(b.len, n - 1);
    sanctum_strbuf_free(&b);
    free(big);
}

static void folding_appends_without_a_leading_space(void **state)
{
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    sanctum_strbuf_puts(&b, "x|");
    assert_int_equal(sanctum_text_fold(" Kim ", 5, &b), 0);
    assert_string_equal(sanctum_strbuf_cstr(&b), "x|kim");
    sanctum_strbuf_free(&b);
}

/* ---- threads --------------------------------------------------------------- */

static const char *const thread_names[] = {
    "\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb3\xd0\xb5\xd0\xb9 \xd0\xa8\xd0\xbe\xd0\xb9\xd0\xb3\xd1\x83",
    "\xd8\xb5\xd8\xaf\xd8\xa7\xd9\x85 \xd8\xad\xd8\xb3\xd9\x8a\xd9\x86 \xd8\xa7\xd9\x84\xd8\xaa\xd9\x83\xd8\xb1\xd9\x8a\xd8\xaa\xd9\x8a",
    "\xd0\xa3\xd0\xbc\xd0\xb0\xd1\x80\xd0\xbe\xd0\xb2 \xd0\x94\xd0\xbe\xd0\xba\xd1\x83",
    "\xd8\xb9\xd8\xb2\xd8\xaa \xd8\xa7\xd8\xa8\xd8\xb1\xd8\xa7\xd9\x87\xd9\x8a\xd9\x85",
    "\xce\x92\xce\xb5\xce\xbd\xce\xb9\xce\xb6\xce\xad\xce\xbb\xce\xbf\xcf\x82",
    "\xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c Stra\xc3\x9f" "e",
};
#define NNAMES (sizeof thread_names / sizeof thread_names[0])
static char expected[NNAMES][256];

static void *fold_many(void *arg)
{
    long bad = 0;
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < NNAMES; i++) {
            sanctum_strbuf_reset(&b);
            if (sanctum_text_fold(thread_names[i], strlen(thread_names[i]), &b) != 0 ||
                strcmp(sanctum_strbuf_cstr(&b), expected[i]) != 0)
                bad++;
        }
    }
    sanctum_strbuf_free(&b);
    return (void *)bad;
}

static void threads_fold_like_one_thread(void **state)
{
    for (size_t i = 0; i < NNAMES; i++) {
        snprintf(expected[i], sizeof expected[i], "%s", fold(thread_names[i]));
        assert_true(only_matching_alphabet(expected[i]));
    }
    pthread_t t[4];
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, fold_many, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_int_equal((long)r, 0);
    }
}

/* ---- romanization ----------------------------------------------------------- */

static void hangul_romanizes_in_three_styles(void **state)
{
    const char *kim = "\xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c";   /* 김상만 */
    const char *jin = "\xec\xa7\x84\xec\x98\x81";               /* 진영 */
    const char *pyo = "\xed\x8f\x89\xec\x96\x91";               /* 평양 */
    assert_string_equal(roman(kim, SANCTUM_ROM_RR), "gimsangman");
    assert_string_equal(roman(kim, SANCTUM_ROM_MR), "kimsangman");
    assert_string_equal(roman(kim, SANCTUM_ROM_DPRK), "kimsangman");
    assert_string_equal(roman(jin, SANCTUM_ROM_RR), "jinyeong");
    assert_string_equal(roman(jin, SANCTUM_ROM_MR), "chinyong");
    assert_string_equal(roman(jin, SANCTUM_ROM_DPRK), "jinyong");
    assert_string_equal(roman(pyo, SANCTUM_ROM_RR), "pyeongyang");
    assert_string_equal(roman(pyo, SANCTUM_ROM_MR), "pyongyang");
    assert_string_equal(roman(pyo, SANCTUM_ROM_DPRK), "phyongyang");
}

static void romanization_applies_sound_changes_inside_words(void **state)
{
    assert_string_equal(roman("\xec\x8b\xa0\xeb\x9d\xbc", SANCTUM_ROM_RR), "silla");       /* 신라 */
    assert_string_equal(roman("\xec\xa7\x84\xeb\xa3\xa1", SANCTUM_ROM_MR), "chillyong");   /* 진룡 */
    assert_string_equal(roman("\xec\xa2\x85\xeb\xa1\x9c", SANCTUM_ROM_RR), "jongno");      /* 종로 */
    assert_string_equal(roman("\xeb\x8f\x85\xeb\xa6\xbd", SANCTUM_ROM_RR), "dongnip");     /* 독립 */
    assert_string_equal(roman("\xeb\xb0\xb1\xeb\xa7\x88", SANCTUM_ROM_RR), "baengma");     /* 백마 */
    assert_string_equal(roman("\xec\x95\x95\xeb\xa1\x9d", SANCTUM_ROM_DPRK), "amrok");     /* 압록 */
    assert_string_equal(roman("\xed\x95\x9c\xea\xb8\x80", SANCTUM_ROM_MR), "hangul");      /* 한글 */
    assert_string_equal(roman("\xeb\xa6\xac", SANCTUM_ROM_RR), "ri");                     /* 리 */
    /* Words stay apart and other characters pass through. */
    assert_string_equal(roman("\xea\xb9\x80 \xec\x83\x81-\xeb\xa7\x8c!", SANCTUM_ROM_DPRK), "kim sang-man!");
}

/* ---- variants ---------------------------------------------------------------- */

static int has_form(const char *forms, const char *form)
{
    size_t fl = strlen(form);
    for (const char *p = forms; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l == fl && memcmp(p, form, l) == 0) return 1;
        p += l + (nl ? 1 : 0);
    }
    return 0;
}

static void hangul_names_get_list_spellings(void **state)
{
    const char *kim = "\xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c"; /* 김상만 */
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    size_t n = 0;
    assert_int_equal(sanctum_text_variants(kim, strlen(kim), 32, &b, &n), 0);
    const char *v = sanctum_strbuf_cstr(&b);
    assert_true(n >= 4);
    assert_true(strncmp(v, "kim sang man\n", 13) == 0);
    assert_true(has_form(v, "kim sangman"));
    assert_true(has_form(v, "gim sangman"));
    assert_true(has_form(v, "gim sang man"));
    sanctum_strbuf_free(&b);

    /* 이영철: the surname's many spellings. */
    const char *lee = "\xec\x9d\xb4\xec\x98\x81\xec\xb2\xa0";
    sanctum_strbuf_init(&b, 0);
    assert_int_equal(sanctum_text_variants(lee, strlen(lee), 64, &b, &n), 0);
    v = sanctum_strbuf_cstr(&b);
    assert_true(has_form(v, "i yong chol"));
    assert_true(has_form(v, "ri yong chol"));
    assert_true(has_form(v, "lee yongchol"));
    assert_true(has_form(v, "rhee yeongcheol"));
    sanctum_strbuf_free(&b);

    /* 박 흥룡 written as two words; max is respected. */
    const char *pak = "\xeb\xb0\x95 \xed\x9d\xa5\xeb\xa3\xa1";
    sanctum_strbuf_init(&b, 0);
    assert_int_equal(sanctum_text_variants(pak, strlen(pak), 64, &b, &n), 0);
    v = sanctum_strbuf_cstr(&b);
    assert_true(has_form(v, "pak hung ryong"));
    assert_true(has_form(v, "park heungnyong") || has_form(v, "park heungryong"));
    sanctum_strbuf_reset(&b);
    assert_int_equal(sanctum_text_variants(pak, strlen(pak), 3, &b, &n), 0);
    assert_int_equal(n, 3);
    sanctum_strbuf_free(&b);
}

static void variants_keep_latin_parts_and_plain_text_has_one_form(void **state)
{
    const char *mixed = "Mr. \xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c (KP)";
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    size_t n = 0;
    assert_int_equal(sanctum_text_variants(mixed, strlen(mixed), 16, &b, &n), 0);
    const char *v = sanctum_strbuf_cstr(&b);
    assert_true(strncmp(v, "mr kim sang man kp\n", 19) == 0);
    assert_true(has_form(v, "mr kim sangman kp"));
    sanctum_strbuf_reset(&b);
    assert_int_equal(sanctum_text_variants("KIM, Sang Man", 13, 16, &b, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(sanctum_strbuf_cstr(&b), "kim sang man");
    sanctum_strbuf_reset(&b);
    /* A long company name: split fold form, then joined renderings. */
    const char *co = "\xec\xa7\x84\xec\x98\x81\xec\xa0\x95\xeb\xb3\xb4\xea\xb8\xb0\xec\x88\xa0"; /* 진영정보기술 */
    assert_int_equal(sanctum_text_variants(co, strlen(co), 16, &b, &n), 0);
    v = sanctum_strbuf_cstr(&b);
    assert_true(has_form(v, "jin yong jong po ki sul"));
    assert_true(has_form(v, "jinyongjongpokisul"));
    assert_true(has_form(v, "chinyongjongbogisul"));
    sanctum_strbuf_free(&b);
}

/* ---- the Korean key ------------------------------------------------------------ */

static void spellings_of_one_syllable_share_a_key(void **state)
{
    assert_same_key("chinyong", "jinyong");
    assert_same_key("jinyong", "jinyeong");
    assert_same_key("kim", "gim");
    const char *ri[] = {"lee", "yi", "rhee", "li", "i"};
    for (size_t i = 0; i < 5; i++) assert_same_key("ri", ri[i]);
    assert_same_key("pak", "park");
    assert_same_key("pak", "bak");
    assert_same_key("choe", "choi");
    const char *jong[] = {"jeong", "chong", "chung", "jung"};
    for (size_t i = 0; i < 4; i++) assert_same_key("jong", jong[i]);
    assert_same_key("chol", "cheol");
    assert_same_key("chol", "chul");
    assert_same_key("hyok", "hyeok");
    assert_same_key("hyok", "hyuk");
    assert_same_key("yong", "young");
    assert_same_key("yong", "yeong");
    assert_same_key("o", "oh");
    assert_same_key("yu", "yoo");
    assert_same_key("yu", "ryu");
    assert_same_key("rim", "lim");
    assert_same_key("sung", "seong");
    assert_same_key("heung", "hung");
    assert_same_key("joon", "jun");
}

static void joined_keys_are_the_keys_of_the_parts(void **state)
{
    char joined[64];
    snprintf(joined, sizeof joined, "%s%s", key("sang"), key("man"));
    assert_string_equal(key("sangman"), joined);
    snprintf(joined, sizeof joined, "%s%s", key("yong"), key("chol"));
    assert_string_equal(key("youngcheol"), joined);
    snprintf(joined, sizeof joined, "%s%s", key("han"), key("gul"));
    assert_string_equal(key("hangul"), joined);
    snprintf(joined, sizeof joined, "%s%s", key("jin"), key("ryong"));
    assert_same_key("jinryong", "jinyong");
    assert_same_key("kimsangman", "gimsangman");
}

static void ordinary_words_do_not_read_as_korean(void **state)
{
    const char *no[] = {"smith", "john", "mohammed", "vladimir", "international", "bank", "alexander",
                        "trading", "limited", "company", "ahmad", "sergey", "x", "kimsangmanjongil"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (key(no[i])[0]) fail_msg("\"%s\" read as Korean: %s", no[i], key(no[i]));
    char small[4];
    assert_int_equal(sanctum_korean_key("sangman", 7, small, sizeof small), 0);
    assert_int_equal(sanctum_korean_key("Kim", 3, small, sizeof small), 0);
    assert_int_equal(sanctum_korean_key("", 0, small, sizeof small), 0);
}

static int teardown(void **state)
{
    sanctum_text_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_names_fold_to_lowercase_tokens),
        cmocka_unit_test(apostrophes_and_breves_vanish_without_splitting),
        cmocka_unit_test(latin_diacritics_fold_to_base_letters),
        cmocka_unit_test(fullwidth_letters_fold_like_ascii),
        cmocka_unit_test(cyrillic_folds_with_bgn_spellings),
        cmocka_unit_test(arabic_names_from_the_un_list_fold_to_latin_letters),
        cmocka_unit_test(other_scripts_fold_through_icu),
        cmocka_unit_test(hangul_folds_to_dprk_syllables),
        cmocka_unit_test(invalid_utf8_is_refused_and_leaves_output_alone),
        cmocka_unit_test(oversized_input_is_refused),
        cmocka_unit_test(folding_appends_without_a_leading_space),
        cmocka_unit_test(threads_fold_like_one_thread),
        cmocka_unit_test(hangul_romanizes_in_three_styles),
        cmocka_unit_test(romanization_applies_sound_changes_inside_words),
        cmocka_unit_test(hangul_names_get_list_spellings),
        cmocka_unit_test(variants_keep_latin_parts_and_plain_text_has_one_form),
        cmocka_unit_test(spellings_of_one_syllable_share_a_key),
        cmocka_unit_test(joined_keys_are_the_keys_of_the_parts),
        cmocka_unit_test(ordinary_words_do_not_read_as_korean),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
