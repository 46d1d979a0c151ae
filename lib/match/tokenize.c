/*
 * tokenize.c - from folded text to the matcher's canonical tokens.
 *
 * The text layer has already lower-cased, transliterated and split the name
 * ("Co., Ltd." -> "co ltd"). Here each token is put in its canonical form so
 * that equivalent spellings compare equal: legal forms and their
 * abbreviations ("co" -> company, "ltd" -> limited, "s a" -> sa), common
 * abbreviations ("univ" -> university, "intl" -> international), ordinals
 * ("110th" -> 110, "third" -> 3). Each token gets a class (legal form,
 * honorific, stop word or ordinary) that scales its weight, and flags (has a
 * digit, is a single letter).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_internal.h"
#include "text/text.h"

typedef struct sm_pair {
    const char *from, *to;
} sm_pair;

/* Sorted by `from` (bsearch). */
static const sm_pair abbreviations[] = {
    { "acad", "academy" },       { "assn", "association" },   { "assoc", "association" },
    { "bros", "brothers" },      { "centre", "center" },      { "cntr", "center" },
    { "co", "company" },         { "comp", "company" },       { "corp", "corporation" },   { "ctr", "center" },
    { "dept", "department" },    { "dev", "development" },    { "devt", "development" },
    { "engg", "engineering" },   { "govt", "government" },    { "hq", "headquarters" },
    { "inc", "incorporated" },   { "inst", "institute" },     { "intl", "international" },
    { "labs", "laboratories" },  { "ltd", "limited" },        { "mfg", "manufacturing" },
    { "mgmt", "management" },    { "natl", "national" },      { "sci", "science" },
    { "svcs", "services" },      { "tech", "technology" },    { "techn", "technology" },
    { "technol", "technology" }, { "trdg", "trading" },       { "univ", "university" },
};

static const sm_pair ordinals[] = {
    { "eighth", "8" },   { "eleventh", "11" }, { "fifth", "5" },  { "first", "1" },
    { "fourth", "4" },   { "ninth", "9" },     { "second", "2" }, { "seventh", "7" },
    { "sixth", "6" },    { "tenth", "10" },    { "third", "3" },  { "twelfth", "12" },
};

static const char *const legal_forms[] = {
    "ab", "ag", "ao", "bhd", "bv", "cia", "cjsc", "company", "corporation", "cv", "eirl", "fzc", "fzco",
    "fze", "gmbh", "incorporated", "jsc", "kg", "kk", "limited", "llc", "llp", "lp", "ltda", "nv", "oao",
    "ojsc", "ooo", "oy", "pao", "pjsc", "plc", "pte", "pty", "sa", "sac", "sarl", "sas", "sdn", "sl",
    "spa", "srl", "tov", "zao",
};

static const char *const honorifics[] = {
    "adm", "admiral", "brig", "capt", "captain", "col", "colonel", "doctor", "dr", "eng", "engineer",
    "hadji", "haj", "haji", "hajj", "hajji", "hon", "ii", "iii", "imam", "iv", "jr", "junior", "lady",
    "lieutenant", "lord", "lt", "maj", "maulana", "maulvi", "mawlana", "mawlavi", "mawlawi", "miss",
    "mister", "mr", "mrs", "ms", "mufti", "mulla", "mullah", "prof", "professor", "qari", "rev", "sayed",
    "sayyid", "sgt", "shaikh", "shaykh", "sheik", "sheikh", "sir", "sr", "syed",
};

static const char *const stop_words[] = {
    "and", "das", "de", "del", "della", "der", "des", "di", "die", "dos", "el", "et",
    "for", "la", "les", "of", "the", "und", "van", "von", "y",
};

static int pair_cmp(const void *k, const void *e)
{
    const sm_pair *p = e;
    return strcmp(k, p->from);
}

static int str_cmp(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *s, const char *const *list, size_t n)
{
    return bsearch(s, list, n, sizeof *list, str_cmp) != NULL;
}

static const char *lookup_pair(const char *s, const sm_pair *t, size_t n)
{
    const sm_pair *p = bsearch(s, t, n, sizeof *t, pair_cmp);
    return p ? p->to : NULL;
}

typedef struct span {
    const char *s;
    size_t len;
} span;

static int near(const span *w, const char *ref, int max)
{
    return sm_osa_bounded(w->s, (int)w->len, ref, (int)strlen(ref), max) <= max;
}

/* A long word that runs two words of the phrase below together
 * ("otvetstvennostyusignum", "ogranichennoiotvetstvennostyu") is made two:
 * w[0] and w[1]; returns how many words w now holds. */
static int split_llc_word(span *w)
{
    static const char last[] = "otvetstvennostyu";
    if (w->len < 20 || w->len > 60) return 1;
    int best = 3, cut = 0;
    for (int c = 10; c <= 18; c++) {
        int rest = (int)w->len - c, d = 3;
        if (c >= 14 && rest >= 2) /* the last word, then another */
            d = sm_osa_bounded(w->s, c, last, 16, 2);
        if (rest >= 13 && rest <= 19) { /* the third word, then the last */
            int l = sm_osa_bounded(w->s, c, "ogranichennoi", 13, 2), r = sm_osa_bounded(w->s + c, rest, last, 16, 2);
            int l2 = sm_osa_bounded(w->s, c, "ogranichennoy", 13, 2);
            if (l2 < l) l = l2;
            if (l + r < d) d = l + r;
        }
        if (d < best) {
            best = d;
            cut = c;
        }
    }
    if (!cut) return 1;
    w[1].s = w->s + cut;
    w[1].len = w->len - (size_t)cut;
    w->len = (size_t)cut;
    return 2;
}

/* The words of "obshchestvo s ogranichennoy otvetstvennostyu" (a Russian
 * limited company written out) in sp[0..ns), in any order and in any of
 * the transliterations and slips the lists have (obschestvo, obshestvo;
 * ogranichennoi, ogrannichenoy; otvetstvennostiu, otvestvennostyu): where
 * each first stands (at[0..3], -1 for none), and where the first of them
 * does when the last three are there (the first word may be missing or
 * misspelt beyond recognition), else -1. */
static int spelled_llc(const span *sp, int ns, int at[4])
{
    for (int i = 0; i < 4; i++) at[i] = -1;
    int has_s = 0; /* most names have no lone s: no spelling compared then */
    for (int k = 0; k < ns && !has_s; k++) has_s = sp[k].len == 1 && sp[k].s[0] == 's';
    if (!has_s) return -1;
    for (int k = 0; k < ns; k++) {
        const span *w = &sp[k];
        int part = -1;
        if (w->len == 1)
            part = w->s[0] == 's' ? 1 : -1;
        else if (w->len >= 8 && w->len <= 14 && near(w, "obshchestvo", 3))
            part = 0;
        else if (w->len >= 10 && w->len <= 16 && (near(w, "ogranichennoi", 2) || near(w, "ogranichennoy", 2)))
            part = 2;
        else if (w->len >= 13 && w->len <= 19 && near(w, "otvetstvennostyu", 2))
            part = 3;
        if (part >= 0 && at[part] < 0) at[part] = k;
    }
    if (at[1] < 0 || at[2] < 0 || at[3] < 0) return -1;
    int first = at[1];
    for (int x = 0; x < 4; x++)
        if (at[x] >= 0 && at[x] < first) first = at[x];
    return first;
}

int sm_tokenize(const char *folded, size_t flen, char *buf, size_t bufsz, sm_rawtok *out, int max, int *truncated)
{
    *truncated = 0;
    /* split on spaces */
    span sp[SM_MAX_TOKENS * 2 + 2];
    int ns = 0;
    size_t i = 0;
    while (i < flen) {
        while (i < flen && folded[i] == ' ') i++;
        if (i >= flen) break;
        size_t st = i;
        while (i < flen && folded[i] != ' ') i++;
        if (ns + 1 >= (int)COUNT(sp)) {
            *truncated = 1;
            break;
        }
        sp[ns].s = folded + st;
        sp[ns].len = i - st;
        ns += split_llc_word(&sp[ns]);
    }
    int llc_at[4];
    int llc_first = spelled_llc(sp, ns, llc_at);
    size_t used = 0;
    int n = 0;
    char word[64];
    for (int k = 0; k < ns;) {
        const char *s = sp[k].s;
        size_t len = sp[k].len;
        const char *raw = s;
        size_t rawlen = len;
        int adv = 1;
        uint8_t flags = 0;
        /* a run of single letters that spells a legal form: "s a" -> sa, "l l c" -> llc */
        if (len == 1) {
            int r = k;
            while (r < ns && sp[r].len == 1 && r - k < 6) r++;
            for (int end = r; end - k >= 2; end--) {
                char j[8];
                int jl = 0;
                for (int x = k; x < end; x++) j[jl++] = sp[x].s[0];
                j[jl] = 0;
                if (in_list(j, legal_forms, COUNT(legal_forms))) {
                    if (used + (size_t)jl + 1 > bufsz) break;
                    memcpy(buf + used, j, (size_t)jl + 1);
                    s = buf + used;
                    used += (size_t)jl + 1;
                    len = (size_t)jl;
                    raw = s;
                    rawlen = len;
                    adv = end - k;
                    flags |= SM_TF_ABBREV;
                    break;
                }
            }
        }
        /* the Russian limited company written out: ooo where its first
         * word stands, the other three left out */
        if (llc_first >= 0 && adv == 1 &&
            (k == llc_at[0] || k == llc_at[1] || k == llc_at[2] || k == llc_at[3])) {
            if (k != llc_first) {
                k++;
                continue;
            }
            s = raw = "ooo";
            len = rawlen = 3;
            adv = 1;
            flags = SM_TF_ABBREV;
        }
        const char *canon = NULL;
        if (len < sizeof word) {
            memcpy(word, s, len);
            word[len] = 0;
            /* ordinals: 110th -> 110, third -> 3 */
            size_t d = 0;
            while (d < len && word[d] >= '0' && word[d] <= '9') d++;
            if (d > 0 && len == d + 2 &&
                (!strcmp(word + d, "st") || !strcmp(word + d, "nd") || !strcmp(word + d, "rd") ||
                 !strcmp(word + d, "th"))) {
                len = d;
                flags |= SM_TF_ORDINAL;
            } else if ((canon = lookup_pair(word, ordinals, COUNT(ordinals))) != NULL) {
                flags |= SM_TF_ORDINAL;
            } else if ((canon = lookup_pair(word, abbreviations, COUNT(abbreviations))) != NULL) {
                flags |= SM_TF_ABBREV;
            }
            if (canon) {
                s = canon;
                len = strlen(canon);
            }
        }
        if (n >= max) {
            *truncated = 1;
            break;
        }
        sm_rawtok *t = &out[n++];
        t->s = s;
        t->len = (uint16_t)(len > 0xFFFF ? 0xFFFF : len);
        t->raw = raw;
        t->rawlen = (uint16_t)(rawlen > 0xFFFF ? 0xFFFF : rawlen);
        t->flags = flags;
        t->cls = SM_CLS_NORMAL;
        for (size_t x = 0; x < t->len; x++)
            if (s[x] >= '0' && s[x] <= '9') {
                t->flags |= SM_TF_DIGIT;
                break;
            }
        if (t->len == 1 && !(t->flags & SM_TF_DIGIT)) t->flags |= SM_TF_INITIAL;
        if (t->len < sizeof word) {
            memcpy(word, s, t->len);
            word[t->len] = 0;
            if (in_list(word, legal_forms, COUNT(legal_forms)))
                t->cls = SM_CLS_LEGAL;
            else if (in_list(word, honorifics, COUNT(honorifics)))
                t->cls = SM_CLS_HONORIFIC;
            else if (in_list(word, stop_words, COUNT(stop_words)))
                t->cls = SM_CLS_STOP;
        }
        k += adv;
    }
    return n;
}

/* ---- rewritten words with a typo ----------------------------------------------
 * A listed "Sci-Tech" is indexed as science technology; a query "Sci TMch"
 * is one slip away from the written "tech", not from technology. The
 * written forms of the rewrites (the abbreviations and ordinals above) get
 * their own small deletion table, probed with the query token's deletion
 * variants like the vocabulary's. */

#define RW_SLOTS 4096 /* a power of two, well above the variants of all rewrites */

typedef struct rw_slot {
    uint64_t h;
    int16_t pair; /* index into rw_all; -1 when empty */
} rw_slot;

static sm_pair rw_all[COUNT(abbreviations) + COUNT(ordinals)];
static rw_slot rw_tab[RW_SLOTS];
static pthread_once_t rw_once = PTHREAD_ONCE_INIT;

typedef struct rw_add_ctx {
    int pair;
} rw_add_ctx;

static void rw_add(void *ctx, const char *v, int len)
{
    const rw_add_ctx *c = ctx;
    uint64_t h = sm_del_hash(v, (size_t)len, 0);
    size_t i = (size_t)h & (RW_SLOTS - 1);
    while (rw_tab[i].pair >= 0) {
        if (rw_tab[i].h == h && rw_tab[i].pair == c->pair) return; /* the same variant twice */
        i = (i + 1) & (RW_SLOTS - 1);
    }
    rw_tab[i].h = h;
    rw_tab[i].pair = (int16_t)c->pair;
}

static void rw_init(void)
{
    for (size_t i = 0; i < RW_SLOTS; i++) rw_tab[i].pair = -1;
    size_t n = 0;
    for (size_t i = 0; i < COUNT(abbreviations); i++) rw_all[n++] = abbreviations[i];
    for (size_t i = 0; i < COUNT(ordinals); i++) rw_all[n++] = ordinals[i];
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(rw_all[i].from);
        int k = sm_tok_del_k(len);
        rw_add_ctx c = { (int)i };
        if (k >= 0) sm_deletions(rw_all[i].from, len, k, rw_add, &c);
    }
}

void sm_rewrites_near(uint64_t h, void (*fn)(void *ctx, const char *from, const char *to), void *ctx)
{
    pthread_once(&rw_once, rw_init);
    for (size_t i = (size_t)h & (RW_SLOTS - 1); rw_tab[i].pair >= 0; i = (i + 1) & (RW_SLOTS - 1))
        if (rw_tab[i].h == h) fn(ctx, rw_all[rw_tab[i].pair].from, rw_all[rw_tab[i].pair].to);
}

/* Korean keys only for words that can be romanized Korean: at most
 * SM_KEY_MAX_WORD letters, none of f q v x z (no romanization uses them).
 * The index and the queries both come through here, so they agree. */
size_t sm_korean_key(const char *s, size_t len, char *out)
{
    if (len == 0 || len > SM_KEY_MAX_WORD || 4 * len + 1 > SM_KEY_MAX) return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'a' || s[i] > 'z' || s[i] == 'f' || s[i] == 'q' || s[i] == 'v' || s[i] == 'x' || s[i] == 'z')
            return 0;
    size_t k = sanctum_korean_key(s, len, out, SM_KEY_MAX);
    if (k >= SM_KEY_MAX) return 0;
    out[k] = 0;
    return k;
}
