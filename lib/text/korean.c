/*
 * korean.c - reading romanized Korean: the canonical syllable key that makes
 * RR, McCune-Reischauer, DPRK and passport spellings of one name collide, and
 * the spelling variants generated for a query written in Hangul.
 *
 * The key. A folded token is segmented into syllables by dynamic programming
 * over an inventory of spellings: onset (g k kk kh -> k; d t tt th -> t;
 * b p pp ph -> p; j ch jj tch -> c; s sh ss -> s; r l rh, see below; n m h;
 * none), vowel (eo/o/u/oo/eu -> o, yeo/yo/yu/yoo/you -> yo, ae/ai/e -> e,
 * oe/oi/wae/we -> we, ee/yi/i -> i, ...) and coda (k n t l m p, ng; a silent
 * h after the vowel as in Oh or Suh), plus a few whole-syllable passport
 * spellings (Park, Bahk, Ahn, Chey). ㅓ/ㅗ and ㅡ/ㅜ merge because without
 * breves MR cannot tell them apart and English-style spellings write ㅓ as u
 * (Sung/Song, Chul/Chol). An r/l onset before i or a y-vowel is dropped, which
 * is the South Korean initial-sound rule: Ri = Lee = Yi = I = Rhee, Ryu = Yu,
 * Rim = Lim = Im, Ryong = Yong; before other vowels r/l key as n, the same
 * rule's other half (Roh = Noh). The coda ng keys as "nk", so that a consonant
 * keys the same whether it closes one syllable or opens the next: "hang"+"ul"
 * and "han"+"gul" give the same key, and so do "jin"+"yong" and "ji"+"nyong".
 * This keeps key(joined) == key(part) + key(part) for names that one list
 * writes "Sangman" and another "Sang Man".
 *
 * Among segmentations the one with fewest syllables wins, ties going to the
 * one whose earlier syllables are longer. No boundary may fall between two
 * vowel letters (this gives up 하은 "haeun" to keep out "maria" and "naumau").
 * Tokens of more than three syllables (a surname with a joined two-syllable
 * given name, "kimsangman", is the longest common form), or with a letter no
 * romanization uses (f q v x z, c outside ch/tch), do not read as Korean,
 * nor does anything that leaves letters uncovered: "smith", "john",
 * "mohammed" and "bank" have no key.
 *
 * Worked example: "chinyong" -> chin|yong -> c+i+n | +yo+nk = "cinyonk";
 * "jinyeong" -> jin|yeong -> c+i+n | +yo+nk = "cinyonk".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "sanctum/common.h"
#include "text/text.h"

/* ---- the syllable inventory ---------------------------------------------- */

typedef struct spelling {
    const char *s;
    unsigned char len;
    const char *key;
} spelling;

#define SP(s, k) {s, sizeof(s) - 1, k}

/* Longest first; "L" marks r/l, resolved against the vowel. */
static const spelling onsets[] = {
    SP("tch", "c"), SP("kk", "k"), SP("gg", "k"), SP("kh", "k"), SP("tt", "t"), SP("dd", "t"), SP("th", "t"),
    SP("pp", "p"),  SP("bb", "p"), SP("ph", "p"), SP("ss", "s"), SP("sh", "s"), SP("ch", "c"), SP("jj", "c"),
    SP("rh", "L"),  SP("g", "k"),  SP("k", "k"),  SP("n", "n"),  SP("d", "t"),  SP("t", "t"),  SP("r", "L"),
    SP("l", "L"),   SP("m", "m"),  SP("b", "p"),  SP("p", "p"),  SP("s", "s"),  SP("j", "c"),  SP("h", "h"),
    SP("", ""),
};

static const spelling vowels[] = {
    SP("yeo", "yo"), SP("yae", "ye"), SP("wae", "we"), SP("weo", "wo"), SP("eui", "ui"), SP("you", "yo"),
    SP("yoo", "yo"), SP("yee", "i"),  SP("ae", "e"),   SP("ai", "e"),   SP("ya", "ya"),  SP("eo", "o"),
    SP("ye", "ye"),  SP("wa", "wa"),  SP("oe", "we"),  SP("oi", "we"),  SP("we", "we"),  SP("yo", "yo"),
    SP("oo", "o"),   SP("wo", "wo"),  SP("wi", "wi"),  SP("yu", "yo"),  SP("eu", "o"),
    SP("ui", "ui"),  SP("ee", "i"),   SP("yi", "i"),   SP("a", "a"),    SP("e", "e"),    SP("o", "o"),
    SP("u", "o"),    SP("i", "i"),
};

/* "+" marks codas allowed only before a consonant or at the end; "!" the
 * silent h of Oh, Suh, Roh, allowed after an o-vowel at the end only. */
static const spelling codas[] = {
    SP("ng", "nk"), SP("ll", "+l"), SP("k", "k"), SP("n", "n"), SP("t", "t"),
    SP("l", "l"),   SP("m", "m"),   SP("p", "p"), SP("h", "!"), SP("", ""),
};

/* Whole-syllable passport spellings the parts above do not cover. */
static const spelling specials[] = {
    SP("park", "pak"), SP("bahk", "pak"), SP("pahk", "pak"), SP("ahn", "an"), SP("chey", "cwe"),
};

#undef SP

#define KEY_MAX_SYLLABLES 3
#define KEY_MAX_TOKEN 32
#define KEY_MAX_CAND 24

typedef struct cand {
    unsigned char end;
    char key[8];
} cand;

static int is_vowel_letter(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'w' || c == 'y';
}

static int is_plain_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* Spellings are one to four letters: compared inline, first letter first
 * (this runs for every position of every listed word when the index is built). */
static int prefix(const char *t, size_t len, size_t at, const spelling *sp)
{
    if (at + sp->len > len) return 0;
    if (sp->len == 0) return 1;
    if (t[at] != sp->s[0]) return 0;
    for (size_t k = 1; k < sp->len; k++)
        if (t[at + k] != sp->s[k]) return 0;
    return 1;
}

/* All syllables that can start at position at; returns how many. */
static int syllables_at(const char *t, size_t len, size_t at, cand *out)
{
    int n = 0;
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        if (!prefix(t, len, at, &specials[i])) continue;
        size_t e = at + specials[i].len;
        if (e < len && is_vowel_letter(t[e])) continue;
        out[n].end = (unsigned char)e;
        strcpy(out[n].key, specials[i].key);
        n++;
    }
    for (size_t o = 0; o < sizeof onsets / sizeof onsets[0]; o++) {
        if (!prefix(t, len, at, &onsets[o])) continue;
        size_t vo = at + onsets[o].len;
        for (size_t v = 0; v < sizeof vowels / sizeof vowels[0]; v++) {
            if (!prefix(t, len, vo, &vowels[v])) continue;
            size_t co = vo + vowels[v].len;
            const char *okey = onsets[o].key;
            if (okey[0] == 'L') okey = (vowels[v].key[0] == 'y' || strcmp(vowels[v].key, "i") == 0) ? "" : "n";
            for (size_t c = 0; c < sizeof codas / sizeof codas[0]; c++) {
                if (!prefix(t, len, co, &codas[c])) continue;
                size_t e = co + codas[c].len;
                const char *ckey = codas[c].key;
                if (ckey[0] == '+') {
                    if (e < len && is_vowel_letter(t[e])) continue;
                    ckey++;
                } else if (ckey[0] == '!') {
                    const char *vk = vowels[v].key;
                    if (e < len || vk[strlen(vk) - 1] != 'o') continue;
                    ckey++;
                }
                if (n == KEY_MAX_CAND) return n;
                out[n].end = (unsigned char)e;
                size_t k = 0, cap = sizeof out[n].key - 1; /* keys are at most 7 letters */
                for (const char *p = okey; *p && k < cap; p++) out[n].key[k++] = *p;
                for (const char *p = vowels[v].key; *p && k < cap; p++) out[n].key[k++] = *p;
                for (const char *p = ckey; *p && k < cap; p++) out[n].key[k++] = *p;
                out[n].key[k] = '\0';
                n++;
            }
        }
    }
    return n;
}

size_t sanctum_korean_key(const char *token, size_t len, char *out, size_t outsz)
{
    if (!token || !out || outsz == 0 || len == 0 || len > KEY_MAX_TOKEN) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = token[i];
        if (c < 'a' || c > 'z' || c == 'f' || c == 'q' || c == 'v' || c == 'x' || c == 'z') return 0;
    }
    /* best[i]: fewest syllables covering token[i..len); choice[i]: the
     * syllable taken at i in that segmentation. */
    int best[KEY_MAX_TOKEN + 1];
    cand choice[KEY_MAX_TOKEN];
    best[len] = 0;
    for (size_t i = len; i-- > 0;) {
        cand c[KEY_MAX_CAND];
        int nc = syllables_at(token, len, i, c);
        best[i] = -1;
        for (int k = 0; k < nc; k++) {
            /* No syllable boundary between two vowel letters: romanized
             * Korean rarely has one and other languages often do (Maria). */
            size_t e = c[k].end;
            if (e < len && is_plain_vowel(token[e - 1]) && is_plain_vowel(token[e])) continue;
            int rest = best[e];
            if (rest < 0 || rest + 1 > KEY_MAX_SYLLABLES) continue;
            if (best[i] < 0 || rest + 1 < best[i] || (rest + 1 == best[i] && c[k].end > choice[i].end)) {
                best[i] = rest + 1;
                choice[i] = c[k];
            }
        }
    }
    if (best[0] <= 0) return 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i = choice[i].end) {
        size_t k = strlen(choice[i].key);
        if (n + k + 1 > outsz) return 0;
        memcpy(out + n, choice[i].key, k);
        n += k;
    }
    out[n] = '\0';
    return n;
}

/* ---- variants of a Hangul query ------------------------------------------ */

typedef struct surname {
    const char *hangul;
    const char *forms; /* space-separated, the DPRK spelling first */
} surname;

static const surname surnames[] = {
    {"김", "kim gim"},
    {"이", "i ri lee yi rhee li yee"},
    {"리", "ri lee yi i rhee li yee"},
    {"박", "pak park bak bahk"},
    {"최", "choe choi chey"},
    {"정", "jong jeong chong chung jung cheong"},
    {"오", "o oh"},
    {"유", "yu yoo you ryu"},
    {"류", "ryu yu yoo ryoo rhyu lyu"},
    {"강", "kang gang"},
    {"한", "han"},
    {"조", "jo cho joe"},
    {"장", "jang chang"},
    {"신", "sin shin"},
    {"전", "jon jeon chon jun chun"},
    {"임", "im rim lim yim"},
    {"림", "rim lim im yim"},
    {"윤", "yun yoon"},
    {"서", "so seo suh"},
    {"안", "an ahn"},
    {"황", "hwang"},
    {"홍", "hong"},
    {"송", "song"},
    {"문", "mun moon"},
    {"양", "yang"},
    {"현", "hyon hyun hyeon"},
    {"백", "paek baek paik baik"},
    {"염", "yom yeom"},
    {"렴", "ryom yom yeom"},
    {"남궁", "namgung"},
    {"황보", "hwangbo"},
    {"제갈", "jegal"},
    {"선우", "sonu seonu sunwoo"},
    {"독고", "tokko dokgo"},
    {"사공", "sagong"},
};

static const char *const two_syllable_surnames[] = {"남궁", "황보", "제갈", "선우", "독고", "사공"};

#define VAR_MAX_WORDS 8

typedef struct forms {
    sanctum_strbuf *out;
    size_t max, count;
    size_t start;
    int rc;
} forms;

/* Adds one candidate (already in the matching alphabet once folded) unless it
 * is already there. */
static void add_form(forms *f, const char *prefix_text, size_t plen, const char *mid, const char *suffix_text,
                     size_t slen)
{
    if (f->rc || f->count >= f->max) return;
    sanctum_strbuf raw = SANCTUM_STRBUF_INIT, folded = SANCTUM_STRBUF_INIT;
    int rc = sanctum_strbuf_append(&raw, prefix_text, plen);
    if (!rc) rc = sanctum_strbuf_putc(&raw, ' ');
    if (!rc) rc = sanctum_strbuf_puts(&raw, mid);
    if (!rc) rc = sanctum_strbuf_putc(&raw, ' ');
    if (!rc) rc = sanctum_strbuf_append(&raw, suffix_text, slen);
    if (!rc) rc = sanctum_text_fold(raw.data, raw.len, &folded);
    if (rc) {
        f->rc = rc;
        goto done;
    }
    const char *fs = sanctum_strbuf_cstr(&folded);
    size_t fl = folded.len;
    /* Duplicate check against the forms written so far. */
    const char *p = f->out->data ? f->out->data + f->start : "";
    const char *end = f->out->data ? f->out->data + f->out->len : p;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (l == fl && memcmp(p, fs, fl) == 0) goto done;
        p += l + 1;
    }
    if (f->count) rc = sanctum_strbuf_putc(f->out, '\n');
    if (!rc) rc = sanctum_strbuf_append(f->out, fs, fl);
    if (rc) f->rc = rc;
    else f->count++;
done:
    sanctum_strbuf_free(&raw);
    sanctum_strbuf_free(&folded);
}

/* Romanizes UTF-8 Hangul text in a style, syllables split by spaces or joined. */
static int romanize(const char *s, size_t len, int style, int split, sanctum_strbuf *out)
{
    if (!split) return sanctum_hangul_romanize(s, len, style, out);
    for (size_t i = 0; i < len;) {
        UChar32 c;
        size_t at = i;
        U8_NEXT(s, i, len, c);
        if (c >= 0 && sanctum_hangul_is_syllable((uint32_t)c)) {
            char buf[16];
            sanctum_hangul_syllable((uint32_t)c, style, buf);
            int rc = sanctum_strbuf_putc(out, ' ');
            if (!rc) rc = sanctum_strbuf_puts(out, buf);
            if (!rc) rc = sanctum_strbuf_putc(out, ' ');
            if (rc) return rc;
        } else {
            int rc = sanctum_strbuf_append(out, s + at, i - at);
            if (rc) return rc;
        }
    }
    return 0;
}

/* Byte length of the first k syllables of a run of syllables. */
static size_t syllable_bytes(size_t k) { return 3 * k; }

static const char *surname_forms(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
        if (strlen(surnames[i].hangul) == len && memcmp(surnames[i].hangul, s, len) == 0) return surnames[i].forms;
    return NULL;
}

static int is_two_syllable_surname(const char *s)
{
    for (size_t i = 0; i < sizeof two_syllable_surnames / sizeof two_syllable_surnames[0]; i++)
        if (memcmp(two_syllable_surnames[i], s, 6) == 0) return 1;
    return 0;
}

/* A person-like name: surname sur (1-2 syllables) and given name giv. */
static void person_forms(forms *f, const char *pre, size_t plen, const char *sur, size_t surlen, const char *giv,
                         size_t givlen, const char *suf, size_t suflen)
{
    sanctum_strbuf g[6];
    for (int i = 0; i < 6; i++) sanctum_strbuf_init(&g[i], 0);
    /* Given-name forms: DPRK split, DPRK joined, RR joined, RR split, MR joined, MR split. */
    static const int gstyle[6] = {SANCTUM_ROM_DPRK, SANCTUM_ROM_DPRK, SANCTUM_ROM_RR,
                                  SANCTUM_ROM_RR,   SANCTUM_ROM_MR,   SANCTUM_ROM_MR};
    static const int gsplit[6] = {1, 0, 0, 1, 0, 1};
    int rc = 0;
    for (int i = 0; i < 6 && !rc; i++) rc = romanize(giv, givlen, gstyle[i], gsplit[i], &g[i]);
    sanctum_strbuf sname[3];
    for (int i = 0; i < 3; i++) sanctum_strbuf_init(&sname[i], 0);
    for (int i = 0; i < 3 && !rc; i++) rc = romanize(sur, surlen, i == 0 ? SANCTUM_ROM_DPRK : i == 1 ? SANCTUM_ROM_RR : SANCTUM_ROM_MR, 0, &sname[i]);
    if (rc) {
        f->rc = rc;
        goto done;
    }
    /* The surname spellings, the DPRK one first, then RR, MR and the table. */
    const char *table = surname_forms(sur, surlen);
    const char *list[24];
    char store[24][24];
    size_t nlist = 0;
    for (int i = 0; i < 3; i++) {
        snprintf(store[nlist], sizeof store[nlist], "%s", sanctum_strbuf_cstr(&sname[i]));
        list[nlist] = store[nlist];
        nlist++;
    }
    if (table) {
        const char *p = table;
        while (*p && nlist < 24) {
            const char *sp = strchr(p, ' ');
            size_t l = sp ? (size_t)(sp - p) : strlen(p);
            if (l >= sizeof store[0]) l = sizeof store[0] - 1;
            memcpy(store[nlist], p, l);
            store[nlist][l] = '\0';
            list[nlist] = store[nlist];
            nlist++;
            p += l;
            while (*p == ' ') p++;
        }
        /* The table's first spelling is the list usage: put it first after
         * the DPRK romanization. */
    }
    char mid[256];
    /* After the fold form: 1. given name joined, 2-3. RR throughout. */
    snprintf(mid, sizeof mid, "%s %s", list[0], sanctum_strbuf_cstr(&g[1]));
    add_form(f, pre, plen, mid, suf, suflen);
    snprintf(mid, sizeof mid, "%s %s", list[1], sanctum_strbuf_cstr(&g[2]));
    add_form(f, pre, plen, mid, suf, suflen);
    snprintf(mid, sizeof mid, "%s %s", list[1], sanctum_strbuf_cstr(&g[3]));
    add_form(f, pre, plen, mid, suf, suflen);
    /* 5. every surname spelling with the DPRK given name, split and joined,
     * then with the RR and MR given names. */
    for (int gi = 0; gi < 6; gi++) {
        for (size_t si = 0; si < nlist; si++) {
            snprintf(mid, sizeof mid, "%s %s", list[si], sanctum_strbuf_cstr(&g[gi]));
            add_form(f, pre, plen, mid, suf, suflen);
        }
    }
done:
    for (int i = 0; i < 6; i++) sanctum_strbuf_free(&g[i]);
    for (int i = 0; i < 3; i++) sanctum_strbuf_free(&sname[i]);
}

int sanctum_text_variants(const char *utf8, size_t len, size_t max, sanctum_strbuf *out, size_t *count)
{
    if (count) *count = 0;
    if (!out || !count || (!utf8 && len)) return SANCTUM_EINVAL;
    if (len > SANCTUM_TEXT_MAX_INPUT) return SANCTUM_ELIMIT;
    size_t start = out->len;
    if (max == 0) return 0;

    /* Locate the Hangul span: from the first syllable to the last. */
    size_t first = len, last = 0;
    for (size_t i = 0; i < len;) {
        UChar32 c;
        size_t at = i;
        U8_NEXT(utf8, i, len, c);
        if (c < 0) return SANCTUM_EUNICODE;
        if (sanctum_hangul_is_syllable((uint32_t)c)) {
            if (first == len) first = at;
            last = i;
        }
    }
    if (first == len) {
        int rc = sanctum_text_fold(utf8, len, out);
        if (!rc) *count = 1;
        return rc;
    }
    forms f = {out, max, 0, start, 0};
    const char *pre = utf8, *span = utf8 + first, *suf = utf8 + last;
    size_t plen = first, spanlen = last - first, suflen = len - last;

    /* Words of the span: runs of syllables. */
    const char *w[VAR_MAX_WORDS];
    size_t wl[VAR_MAX_WORDS], ws[VAR_MAX_WORDS];
    size_t nw = 0;
    int only_hangul_words = 1;
    for (size_t i = 0; i < spanlen;) {
        UChar32 c;
        size_t at = i;
        U8_NEXT(span, i, spanlen, c);
        if (sanctum_hangul_is_syllable((uint32_t)c)) {
            if (nw && w[nw - 1] + wl[nw - 1] == span + at) {
                wl[nw - 1] += i - at;
                ws[nw - 1]++;
            } else if (nw < VAR_MAX_WORDS) {
                w[nw] = span + at;
                wl[nw] = i - at;
                ws[nw] = 1;
                nw++;
            } else {
                only_hangul_words = 0;
            }
        } else if (c != ' ' && c != ',' && c != '-' && c != 0x00B7 && c != 0x30FB) {
            only_hangul_words = 0;
        }
    }

    int person = 0;
    const char *sur = NULL, *giv = NULL;
    size_t surlen = 0, givlen = 0;
    if (only_hangul_words && nw == 1 && ws[0] >= 2 && ws[0] <= 4) {
        size_t k = (ws[0] >= 3 && is_two_syllable_surname(w[0])) ? 2 : 1;
        sur = w[0];
        surlen = syllable_bytes(k);
        giv = w[0] + surlen;
        givlen = wl[0] - surlen;
        person = 1;
    } else if (only_hangul_words && nw == 2 && ws[1] <= 3 &&
               (ws[0] == 1 || (ws[0] == 2 && is_two_syllable_surname(w[0])))) {
        sur = w[0];
        surlen = wl[0];
        giv = w[1];
        givlen = wl[1];
        person = 1;
    } else if (only_hangul_words && nw == 3 && ws[0] == 1 && ws[1] == 1 && ws[2] == 1) {
        sur = w[0];
        surlen = wl[0];
        giv = w[1];
        givlen = (size_t)(w[2] + wl[2] - w[1]);
        person = 1;
    }
    /* The first form is always the fold form. */
    add_form(&f, utf8, len, "", "", 0);
    if (person) {
        person_forms(&f, pre, plen, sur, surlen, giv, givlen, suf, suflen);
    } else {
        /* Anything else: the whole span split (the fold form), then joined
         * per word in DPRK, MR and RR style. */
        static const int style[4] = {SANCTUM_ROM_DPRK, SANCTUM_ROM_DPRK, SANCTUM_ROM_MR, SANCTUM_ROM_RR};
        for (int i = 0; i < 4 && !f.rc; i++) {
            sanctum_strbuf r = SANCTUM_STRBUF_INIT;
            int rc = romanize(span, spanlen, style[i], i == 0, &r);
            if (rc) f.rc = rc;
            else add_form(&f, pre, plen, sanctum_strbuf_cstr(&r), suf, suflen);
            sanctum_strbuf_free(&r);
        }
    }
    if (f.rc) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
        return f.rc;
    }
    *count = f.count;
    return 0;
}
