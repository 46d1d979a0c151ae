/*
 * eval_gen.h - the labelled evaluation set for the matcher, generated
 * deterministically (fixed seed) from the loaded lists.
 *
 * Kinds of query, each labelled with the entity it must find:
 *   typo          1-2 edits (substitution, deletion, insertion, adjacent
 *                 transposition, doubled letter) in words of 4+ letters
 *   reorder       the words of a listed name in another order
 *   spacing       two adjacent words written together or hyphenated
 *   legal         an organization's legal form abbreviated, spelled out,
 *                 swapped for an equivalent or added
 *   romanization  Korean names of the DPRK programs with their syllables
 *                 respelled (Kim/Gim, Ri/Lee, Pak/Park, Chol/Cheol, ...)
 *   hangul        the same names written in Hangul, by inverting the
 *                 romanization syllable by syllable (KIM, Sang Man -> 김상만)
 *   cyrillic,     the UN list's original-script names as given, and the romanized names of
 *                 persons under Russia/Belarus/Ukraine programs written back in Cyrillic
 *   arabic
 * and names that are not listed (people in English, Spanish, Arabic,
 * Russian, Chinese and Korean, and companies), labelled NULL: any hit at the
 * threshold counts as a false positive. Unlisted names that are a listed
 * name up to word order, legal form and Korean romanization are dropped.
 *
 * Used by bench/bench_quality.c, bench/bench_match.c and tests/match.
 */
#ifndef SANCTUM_EVAL_GEN_H
#define SANCTUM_EVAL_GEN_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanctum.h"
#include "text/text.h"
#include "util/strbuf.h"
#include "util/strmap.h"

enum {
    EK_TYPO = 0, EK_REORDER, EK_SPACING, EK_LEGAL, EK_ROMAN, EK_HANGUL, EK_CYRILLIC, EK_ARABIC, EK_UNLISTED,
    EK__COUNT
};
static const char *const eval_kind_names[EK__COUNT] = {
    "typo", "reorder", "spacing", "legal form", "romanization", "hangul", "cyrillic", "arabic", "unlisted",
};

typedef struct eval_item {
    char *query;
    const char *expect;   /* entity id, NULL for unlisted */
    int kind;
} eval_item;

typedef struct eval_rng {
    uint64_t s;
} eval_rng;

static uint64_t eval_next(eval_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t eval_below(eval_rng *r, size_t n) { return n ? (size_t)(eval_next(r) % n) : 0; }

/* ---- words of a name ------------------------------------------------------- */

#define EVAL_MAXW 24
typedef struct eval_words {
    char w[EVAL_MAXW][48];
    int n;
} eval_words;

/* Splits an ASCII name into letter/digit words (apostrophes dropped). Returns 0 if the name is not plain ASCII. */
static int eval_split(const char *s, eval_words *out)
{
    out->n = 0;
    int len = 0;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        if (*p >= 0x80) return 0;
        if (*p && (isalnum(*p))) {
            if (len < 47) out->w[out->n][len++] = (char)*p;
        } else if (*p == '\'') {
            continue;
        } else {
            if (len) {
                out->w[out->n][len] = 0;
                if (++out->n >= EVAL_MAXW) return 0;
                len = 0;
            }
            if (!*p) break;
        }
    }
    return out->n > 0;
}

static char *eval_join(const eval_words *w, const char *sep)
{
    size_t total = 1;
    for (int i = 0; i < w->n; i++) total += strlen(w->w[i]) + strlen(sep);
    char *s = malloc(total);
    if (!s) return NULL;
    s[0] = 0;
    for (int i = 0; i < w->n; i++) {
        if (i) strcat(s, sep);
        strcat(s, w->w[i]);
    }
    return s;
}

static void eval_lower(char *s)
{
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

/* ---- variants ---------------------------------------------------------------- */

static int eval_typo(eval_rng *r, eval_words *w)
{
    int edits = 1 + (eval_below(r, 10) < 4);
    int done = 0, last = -1;
    for (int e = 0; e < edits; e++) {
        int cand[EVAL_MAXW], nc = 0;
        for (int i = 0; i < w->n; i++) {
            size_t L = strlen(w->w[i]);
            int digits = 0;
            for (size_t k = 0; k < L; k++) digits |= isdigit((unsigned char)w->w[i][k]) != 0;
            if (L >= 4 && !digits && (i != last || L >= 8)) cand[nc++] = i;
        }
        if (!nc) break;
        int i = cand[eval_below(r, (size_t)nc)];
        char *t = w->w[i];
        size_t L = strlen(t);
        size_t p = 1 + eval_below(r, L - 1); /* keep the first letter */
        char c = (char)('a' + eval_below(r, 26));
        if (isupper((unsigned char)t[0])) c = (char)toupper((unsigned char)c);
        switch (eval_below(r, 5)) {
        case 0: /* substitution */
            if (tolower((unsigned char)t[p]) == tolower((unsigned char)c)) c = c == 'a' || c == 'A' ? c + 1 : c - 1;
            t[p] = c;
            break;
        case 1: /* deletion */
            memmove(t + p, t + p + 1, L - p);
            break;
        case 2: /* insertion */
            if (L + 1 >= 47) break;
            memmove(t + p + 1, t + p, L - p + 1);
            t[p] = c;
            break;
        case 3: /* transposition */
            if (p + 1 < L && t[p] != t[p + 1]) {
                char x = t[p];
                t[p] = t[p + 1];
                t[p + 1] = x;
            } else {
                t[p] = c;
            }
            break;
        default: /* doubled letter */
            if (L + 1 >= 47) break;
            memmove(t + p + 1, t + p, L - p + 1);
            break;
        }
        done++;
        last = i;
    }
    return done > 0;
}

static int eval_reorder(eval_rng *r, eval_words *w)
{
    if (w->n < 2) return 0;
    eval_words o = *w;
    for (int tries = 0; tries < 8; tries++) {
        for (int i = w->n - 1; i > 0; i--) {
            int j = (int)eval_below(r, (size_t)i + 1);
            char tmp[48];
            memcpy(tmp, w->w[i], 48);
            memcpy(w->w[i], w->w[j], 48);
            memcpy(w->w[j], tmp, 48);
        }
        for (int i = 0; i < w->n; i++)
            if (strcmp(w->w[i], o.w[i])) return 1;
    }
    return 0;
}

/* Joins or hyphenates two adjacent words; returns the query. */
static char *eval_spacing(eval_rng *r, const eval_words *w)
{
    int cand[EVAL_MAXW], nc = 0;
    for (int i = 0; i + 1 < w->n; i++)
        if (strlen(w->w[i]) >= 2 && strlen(w->w[i + 1]) >= 2) cand[nc++] = i;
    if (!nc) return NULL;
    int at = cand[eval_below(r, (size_t)nc)];
    int hyphen = eval_below(r, 2) == 0;
    size_t total = 2;
    for (int i = 0; i < w->n; i++) total += strlen(w->w[i]) + 1;
    char *s = malloc(total);
    if (!s) return NULL;
    s[0] = 0;
    for (int i = 0; i < w->n; i++) {
        if (i) strcat(s, i == at + 1 ? (hyphen ? "-" : "") : " ");
        strcat(s, w->w[i]);
    }
    return s;
}

static const char *const eval_legal_sets[][4] = {
    { "company", "co", "co.", "comp." },
    { "limited", "ltd", "ltd.", "limited" },
    { "corporation", "corp", "corp.", "corporation" },
    { "incorporated", "inc", "inc.", "incorporated" },
    { "llc", "l.l.c.", "LLC", "L.L.C." },
    { "sa", "s.a.", "S.A.", "SA" },
    { "jsc", "JSC", "J.S.C.", "jsc" },
    { "gmbh", "GmbH", "GMBH", "gmbh" },
};
static const char *const eval_legal_add[] = { "LLC", "Co., Ltd.", "Limited", "Corp.", "Inc.", "GmbH", "S.A.", "JSC",
                                              "Company Limited", "Ltd" };

static char *eval_legal(eval_rng *r, eval_words *w)
{
    int changed = 0;
    for (int i = 0; i < w->n; i++) {
        char low[48];
        snprintf(low, sizeof low, "%s", w->w[i]);
        eval_lower(low);
        for (size_t k = 0; k < sizeof eval_legal_sets / sizeof eval_legal_sets[0]; k++) {
            int hit = 0;
            for (int v = 0; v < 4; v++) {
                char lv[16];
                snprintf(lv, sizeof lv, "%s", eval_legal_sets[k][v]);
                eval_lower(lv);
                /* compare without dots */
                char a[48], b[16];
                int al = 0, bl = 0;
                for (char *p = low; *p; p++) if (*p != '.') a[al++] = *p;
                a[al] = 0;
                for (char *p = lv; *p; p++) if (*p != '.') b[bl++] = *p;
                b[bl] = 0;
                if (!strcmp(a, b)) hit = 1;
            }
            if (hit) {
                snprintf(w->w[i], 48, "%s", eval_legal_sets[k][1 + eval_below(r, 3)]);
                changed = 1;
                break;
            }
        }
    }
    if (!changed) {
        if (w->n >= EVAL_MAXW - 2) return NULL;
        snprintf(w->w[w->n++], 48, "%s", eval_legal_add[eval_below(r, sizeof eval_legal_add / sizeof *eval_legal_add)]);
    }
    return eval_join(w, " ");
}

/* Korean respellings: a listed (MR / DPRK) syllable -> spellings seen elsewhere. */
static const char *const eval_roman[][4] = {
    { "kim", "gim", NULL, NULL },     { "ri", "lee", "yi", "rhee" },    { "pak", "park", "bak", NULL },
    { "choe", "choi", NULL, NULL },   { "jong", "jeong", "jung", "chung" }, { "chong", "jeong", "jung", NULL },
    { "chol", "cheol", "chul", NULL }, { "hyok", "hyeok", "hyuk", NULL }, { "yong", "young", "yeong", NULL },
    { "ryong", "lyong", "yong", NULL }, { "o", "oh", NULL, NULL },    { "song", "sung", "seong", NULL },
    { "kang", "gang", NULL, NULL },   { "jo", "cho", NULL, NULL },      { "cho", "jo", NULL, NULL },
    { "sin", "shin", NULL, NULL },    { "jon", "jeon", NULL, NULL },    { "chon", "cheon", "jeon", NULL },
    { "yu", "yoo", NULL, NULL },      { "ryu", "yoo", "ryoo", NULL },   { "hyon", "hyun", "hyeon", NULL },
    { "kyong", "kyung", "gyeong", NULL }, { "hung", "heung", NULL, NULL }, { "jun", "joon", NULL, NULL },
    { "chun", "choon", NULL, NULL },  { "pu", "bu", NULL, NULL },       { "su", "soo", NULL, NULL },
    { "sun", "soon", NULL, NULL },    { "myong", "myung", "myeong", NULL }, { "kwang", "gwang", NULL, NULL },
    { "kum", "geum", NULL, NULL },    { "son", "seon", NULL, NULL },    { "pyong", "pyeong", NULL, NULL },
    { "tok", "deok", NULL, NULL },    { "u", "woo", NULL, NULL },       { "un", "eun", NULL, NULL },
    { "hui", "hee", NULL, NULL },     { "ki", "gi", NULL, NULL },       { "kuk", "guk", NULL, NULL },
    { "yon", "yeon", NULL, NULL },    { "chin", "jin", NULL, NULL },    { "paek", "baek", NULL, NULL },
    { "hwang", "whang", NULL, NULL }, { "il", "ill", NULL, NULL },
    { "nam", "nahm", NULL, NULL },    { "ho", "hoh", NULL, NULL },      { "kil", "gil", NULL, NULL },
    { "rim", "lim", "im", NULL },     { "yun", "yoon", NULL, NULL },    { "tong", "dong", NULL, NULL },
};

/* Romanized syllable -> Hangul (DPRK and MR spellings as the lists write them). */
static const char *const eval_hangul[][2] = {
    { "kim", "김" }, { "ri", "리" }, { "li", "리" }, { "pak", "박" }, { "choe", "최" }, { "kang", "강" },
    { "jong", "정" }, { "chong", "정" }, { "o", "오" }, { "jang", "장" }, { "chang", "장" }, { "yu", "유" },
    { "hwang", "황" }, { "jo", "조" }, { "cho", "조" }, { "jon", "전" }, { "chon", "전" }, { "ryu", "류" },
    { "ryom", "렴" }, { "sin", "신" }, { "paek", "백" }, { "han", "한" }, { "yun", "윤" }, { "so", "서" },
    { "an", "안" }, { "ko", "고" }, { "mun", "문" }, { "nam", "남" }, { "song", "성" }, { "yang", "양" },
    { "hong", "홍" }, { "son", "손" }, { "ju", "주" }, { "chu", "주" }, { "ho", "호" }, { "kye", "계" },
    { "rim", "림" }, { "im", "임" }, { "cha", "차" }, { "ma", "마" }, { "no", "노" }, { "to", "도" },
    { "chae", "채" }, { "min", "민" }, { "om", "엄" }, { "u", "우" }, { "won", "원" }, { "sok", "석" },
    { "myong", "명" }, { "hyon", "현" }, { "tong", "동" }, { "pang", "방" }, { "ok", "옥" }, { "sang", "상" },
    { "man", "만" }, { "il", "일" }, { "chol", "철" }, { "hyok", "혁" }, { "yong", "영" }, { "ryong", "룡" },
    { "su", "수" }, { "chun", "춘" }, { "hui", "희" }, { "sun", "순" }, { "kyong", "경" }, { "hung", "흥" },
    { "jin", "진" }, { "chin", "진" }, { "kwang", "광" }, { "tae", "태" }, { "kil", "길" }, { "kuk", "국" },
    { "jun", "준" }, { "dok", "덕" }, { "tok", "덕" }, { "dong", "동" }, { "hak", "학" }, { "hwa", "화" },
    { "pong", "봉" }, { "pok", "복" }, { "un", "운" }, { "in", "인" }, { "ung", "웅" }, { "pu", "부" },
    { "kum", "금" }, { "yon", "연" }, { "gun", "근" }, { "kun", "군" }, { "hyo", "효" }, { "ki", "기" },
    { "hye", "혜" }, { "ae", "애" }, { "mi", "미" }, { "ran", "란" }, { "kyu", "규" }, { "sam", "삼" },
    { "chil", "칠" }, { "kap", "갑" }, { "myon", "면" }, { "pin", "빈" }, { "sik", "식" }, { "sol", "설" },
    { "hae", "해" }, { "jae", "재" }, { "chae", "채" }, { "che", "제" }, { "je", "제" }, { "chan", "찬" },
    { "sop", "섭" }, { "kon", "건" }, { "hun", "훈" }, { "chung", "중" }, { "mo", "모" }, { "pyo", "표" },
    { "yo", "여" }, { "hwan", "환" }, { "hyong", "형" }, { "ha", "하" }, { "se", "세" }, { "sung", "승" },
    { "pyong", "평" }, { "pom", "범" }, { "ryon", "련" }, { "ryo", "려" }, { "ro", "로" }, { "ru", "루" },
    { "wan", "완" }, { "ul", "을" }, { "yop", "엽" }, { "pil", "필" }, { "sa", "사" }, { "kwon", "권" },
    { "hyang", "향" }, { "rak", "락" }, { "ryang", "량" }, { "chom", "점" }, { "kwan", "관" }, { "kyo", "교" },
    { "tu", "두" }, { "hu", "후" }, { "myo", "묘" }, { "nyo", "녀" }, { "ya", "야" }, { "chi", "지" },
    { "ji", "지" }, { "i", "이" }, { "a", "아" }, { "ok", "옥" }, { "hyu", "휴" }, { "gil", "길" },
    { "gwang", "광" }, { "pal", "팔" }, { "bok", "복" }, { "gyong", "경" }, { "mu", "무" }, { "ui", "의" },
};

static const char *eval_hangul_of(const char *syl, size_t len)
{
    for (size_t i = 0; i < sizeof eval_hangul / sizeof eval_hangul[0]; i++)
        if (strlen(eval_hangul[i][0]) == len && !strncmp(eval_hangul[i][0], syl, len)) return eval_hangul[i][1];
    return NULL;
}

/* Writes the Hangul for one lower-case romanized word (segmented into the
 * fewest known syllables) into out; 0 when it cannot be segmented. */
static int eval_word_hangul(const char *w, char *out, size_t outsz)
{
    size_t L = strlen(w);
    if (L >= 40) return 0;
    int best[41], prev[41];
    for (size_t i = 0; i <= L; i++) best[i] = 1000, prev[i] = -1;
    best[0] = 0;
    for (size_t i = 0; i < L; i++) {
        if (best[i] >= 1000) continue;
        for (size_t l = 1; l <= 5 && i + l <= L; l++)
            if (eval_hangul_of(w + i, l) && best[i] + 1 < best[i + l]) {
                best[i + l] = best[i] + 1;
                prev[i + l] = (int)i;
            }
    }
    if (best[L] >= 1000) return 0;
    const char *parts[40];
    int np = 0;
    for (int i = (int)L; i > 0; i = prev[i]) parts[np++] = eval_hangul_of(w + prev[i], (size_t)(i - prev[i]));
    out[0] = 0;
    for (int k = np - 1; k >= 0; k--) {
        if (strlen(out) + strlen(parts[k]) + 1 > outsz) return 0;
        strcat(out, parts[k]);
    }
    return 1;
}

static int eval_is_dprk(const sanctum_entity *e)
{
    for (size_t i = 0; i < e->n_programs; i++)
        if (e->programs[i] && !strncmp(e->programs[i], "DPRK", 4)) return 1;
    return e->key && !strncmp(e->key, "KPi", 3);
}

/* ---- unlisted names ------------------------------------------------------------- */

static const char *const eval_first[][16] = {
    /* English */ { "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
                    "Elizabeth", "William", "Susan", "Thomas", "Sarah", "Emily", "Daniel" },
    /* Spanish */ { "Jose", "Maria", "Juan", "Carmen", "Luis", "Ana", "Carlos", "Lucia", "Javier", "Sofia",
                    "Miguel", "Elena", "Alejandro", "Isabel", "Fernando", "Paula" },
    /* Arabic */ { "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Layla", "Yusuf", "Mariam", "Hassan", "Zainab",
                   "Khalid", "Noura", "Tariq", "Samira", "Karim", "Huda" },
    /* Russian */ { "Ivan", "Olga", "Dmitry", "Natalia", "Sergei", "Tatiana", "Andrei", "Ekaterina", "Mikhail",
                    "Irina", "Pavel", "Svetlana", "Alexei", "Yulia", "Nikolai", "Anastasia" },
    /* Chinese */ { "Wei", "Fang", "Lei", "Xiuying", "Jun", "Na", "Hao", "Mei", "Jian", "Yan", "Qiang", "Ling",
                    "Tao", "Xin", "Bo", "Hui" },
    /* Korean */ { "Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Joon-ho", "Soo-jin", "Hyun-woo",
                   "Eun-ji", "Ji-eun", "Seo-jun", "Ye-jin", "Min-seo", "Jae-won", "Su-bin" },
};
static const char *const eval_last[][16] = {
    { "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
      "Thompson", "Moore", "Clark", "Walker", "Wright", "Baker" },
    { "Garcia", "Martinez", "Rodriguez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores",
      "Rivera", "Gomez", "Diaz", "Morales", "Ortiz", "Castillo" },
    { "Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Farouk", "Aziz", "Karim", "Rahman", "Siddiqui",
      "Hamdan", "Qasim", "Barakat", "Darwish", "Shami", "Yousef" },
    { "Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Novikova", "Morozov",
      "Volkova", "Petrov", "Pavlova", "Fedorov", "Orlova", "Vasiliev", "Egorova" },
    { "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu",
      "Guo" },
    { "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
      "Kwon", "Hwang" },
};
static const char *const eval_company_a[] = {
    "Global", "Pacific", "Northern", "Atlantic", "Summit", "Bright", "Silver", "Green", "Blue", "Golden",
    "Sunrise", "Evergreen", "Maple", "Harbor", "Prairie", "Coastal", "Alpine", "Crystal", "Liberty", "Pioneer",
};
static const char *const eval_company_b[] = {
    "Bakery", "Logistics", "Software", "Dental", "Textiles", "Furniture", "Consulting", "Foods", "Printing",
    "Robotics", "Gardens", "Optics", "Ceramics", "Media", "Analytics", "Plumbing", "Apparel", "Coffee",
    "Bicycles", "Veterinary",
};
static const char *const eval_company_c[] = { "LLC", "Inc.", "Ltd", "GmbH", "S.A.", "Co., Ltd.", "Corp.", "", "Group",
                                              "Partners" };

/* ---- the set -------------------------------------------------------------------- */

typedef struct eval_set {
    eval_item *v;
    size_t n, cap;
} eval_set;

/* A Cyrillic spelling of a romanized Russian name, undoing the usual
 * BGN-style digraphs (shch, zh, kh, ts, ch, sh, yu, ya, ye, y after a vowel).
 * Returns 0 when a word has letters the table does not cover. */
static int eval_word_cyrillic(const char *w, char *out, size_t outsz)
{
    static const char *const tab[][2] = {
        { "shch", "щ" }, { "zh", "ж" }, { "kh", "х" }, { "ts", "ц" }, { "ch", "ч" }, { "sh", "ш" },
        { "yu", "ю" },   { "ya", "я" }, { "yo", "ё" }, { "ye", "е" }, { "a", "а" }, { "b", "б" },
        { "v", "в" },    { "g", "г" },  { "d", "д" },  { "e", "е" },  { "z", "з" }, { "i", "и" },
        { "k", "к" },    { "l", "л" },  { "m", "м" },  { "n", "н" },  { "o", "о" }, { "p", "п" },
        { "r", "р" },    { "s", "с" },  { "t", "т" },  { "u", "у" },  { "f", "ф" }, { "x", "кс" },
    };
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; w[i];) {
        const char *add = NULL;
        size_t used = 0;
        if (w[i] == 'y') {
            /* y after a vowel (or ending "iy") is short i; otherwise ы, unless a digraph follows */
            int after_vowel = i > 0 && strchr("aeiouy", w[i - 1]);
            if (after_vowel && !(w[i + 1] && strchr("aeiou", w[i + 1]))) add = "й", used = 1;
        }
        for (size_t k = 0; !add && k < sizeof tab / sizeof tab[0]; k++) {
            size_t n = strlen(tab[k][0]);
            if (strncmp(w + i, tab[k][0], n) == 0) add = tab[k][1], used = n;
        }
        if (!add && w[i] == 'y') add = "ы", used = 1;
        if (!add) return 0;
        size_t n = strlen(add);
        if (o + n + 1 > outsz) return 0;
        memcpy(out + o, add, n + 1);
        o += n;
        i += used;
    }
    return o > 0;
}

/* Persons under the Russia, Belarus and Ukraine programs have Russian names. */
static int eval_is_russian(const sanctum_entity *e)
{
    if (e->type != SANCTUM_TYPE_PERSON) return 0;
    for (size_t i = 0; i < e->n_programs; i++)
        if (strstr(e->programs[i], "RUSSIA") || strstr(e->programs[i], "BELARUS") || strstr(e->programs[i], "UKRAINE"))
            return 1;
    return 0;
}

static int eval_push(eval_set *s, char *query, const char *expect, int kind)
{
    if (!query) return -1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        eval_item *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            free(query);
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].query = query;
    s->v[s->n].expect = expect;
    s->v[s->n].kind = kind;
    s->n++;
    return 0;
}

static void eval_free(eval_set *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i].query);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static char *eval_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static int eval_tok_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const eval_legal_words[] = { "co", "company", "ltd", "limited", "corp", "corporation", "inc",
                                                "incorporated", "llc", "gmbh", "sa", "jsc", "group", "partners", NULL };

/* The identity of a name for the labels: folded words with legal forms
 * dropped, each word replaced by its Korean key when it has one, sorted.
 * Names equal this way are the same name (word order, legal form and
 * romanization are what the engine must see through), so an "unlisted"
 * name equal to a listed one this way is not used. Rewrites s in place. */
static void eval_sorted_words(char *s)
{
    char *words[64], copy[512], keys[64][128];
    int n = 0;
    snprintf(copy, sizeof copy, "%s", s);
    for (char *t = strtok(copy, " "); t && n < 64; t = strtok(NULL, " ")) {
        int legal = 0;
        for (int k = 0; eval_legal_words[k]; k++) legal |= !strcmp(t, eval_legal_words[k]);
        if (legal) continue;
        size_t tl = strlen(t);
        size_t kl = tl < 30 ? sanctum_korean_key(t, tl, keys[n], sizeof keys[n]) : 0;
        if (kl && kl < sizeof keys[n]) {
            keys[n][kl] = 0;
            words[n] = keys[n];
        } else {
            words[n] = t;
        }
        n++;
    }
    qsort(words, (size_t)n, sizeof *words, eval_tok_cmp);
    char out[512] = "";
    for (int i = 0; i < n; i++) {
        if (strlen(out) + strlen(words[i]) + 2 > sizeof out) break;
        if (i) strcat(out, " ");
        strcat(out, words[i]);
    }
    strcpy(s, out);
}

/* Fills set with up to per_kind queries of each listed kind and n_unlisted
 * unlisted names. Deterministic for a seed. Returns 0 or -1. */
static int eval_generate(const sanctum_dataset *ds, uint64_t seed, size_t per_kind, size_t n_unlisted, eval_set *set)
{
    eval_rng r = { seed };
    size_t n_ent = sanctum_dataset_count(ds);
    size_t got[EK__COUNT] = { 0 };
    memset(set, 0, sizeof *set);
    /* listed kinds: draw random entities until each kind has its share */
    for (size_t attempt = 0; attempt < per_kind * 400 && n_ent; attempt++) {
        int kind = (int)(attempt % EK_UNLISTED);
        if (got[kind] >= per_kind) {
            int all = 1;
            for (int k = 0; k < EK_UNLISTED; k++) all &= got[k] >= per_kind;
            if (all) break;
            continue;
        }
        const sanctum_entity *e = sanctum_dataset_entity(ds, eval_below(&r, n_ent));
        if (!e || !e->n_names) continue;
        const sanctum_name *nm = &e->names[eval_below(&r, e->n_names)];
        if (!nm->full || nm->quality == SANCTUM_QUALITY_WEAK) continue;
        eval_words w;
        char *q = NULL;
        switch (kind) {
        case EK_TYPO:
            if (nm->script != SANCTUM_SCRIPT_LATIN || !eval_split(nm->full, &w) || !eval_typo(&r, &w)) continue;
            q = eval_join(&w, " ");
            break;
        case EK_REORDER:
            if (nm->script != SANCTUM_SCRIPT_LATIN || !eval_split(nm->full, &w) || w.n > 6 || !eval_reorder(&r, &w))
                continue;
            q = eval_join(&w, " ");
            break;
        case EK_SPACING:
            if (nm->script != SANCTUM_SCRIPT_LATIN || !eval_split(nm->full, &w)) continue;
            q = eval_spacing(&r, &w);
            break;
        case EK_LEGAL:
            if (e->type != SANCTUM_TYPE_ORGANIZATION || nm->script != SANCTUM_SCRIPT_LATIN || !eval_split(nm->full, &w))
                continue;
            q = eval_legal(&r, &w);
            break;
        case EK_ROMAN: {
            if (e->type != SANCTUM_TYPE_PERSON || !eval_is_dprk(e) || nm->script != SANCTUM_SCRIPT_LATIN ||
                !eval_split(nm->full, &w))
                continue;
            int changed = 0;
            for (int i = 0; i < w.n; i++) {
                char low[48];
                snprintf(low, sizeof low, "%s", w.w[i]);
                eval_lower(low);
                for (size_t k = 0; k < sizeof eval_roman / sizeof eval_roman[0]; k++)
                    if (!strcmp(low, eval_roman[k][0])) {
                        int nv = 0;
                        while (nv < 3 && eval_roman[k][nv + 1]) nv++;
                        if (eval_below(&r, 3) < 2) {
                            snprintf(w.w[i], 48, "%s", eval_roman[k][1 + eval_below(&r, (size_t)nv)]);
                            changed = 1;
                        }
                        break;
                    }
            }
            if (!changed) continue;
            q = eval_join(&w, " ");
            break;
        }
        case EK_HANGUL: {
            if (e->type != SANCTUM_TYPE_PERSON || !eval_is_dprk(e) || nm->script != SANCTUM_SCRIPT_LATIN ||
                !eval_split(nm->full, &w) || w.n < 2)
                continue;
            char out[256] = "", part[128];
            int ok = 1;
            for (int i = 0; i < w.n && ok; i++) {
                eval_lower(w.w[i]);
                ok = eval_word_hangul(w.w[i], part, sizeof part) && strlen(out) + strlen(part) < sizeof out;
                if (ok) strcat(out, part);
            }
            if (!ok) continue;
            q = eval_strdup(out);
            break;
        }
        case EK_CYRILLIC:
        case EK_ARABIC:
            if (nm->script != (kind == EK_CYRILLIC ? SANCTUM_SCRIPT_CYRILLIC : SANCTUM_SCRIPT_ARABIC)) {
                /* original-script names are rare: look for one on this entity */
                const sanctum_name *o = NULL;
                for (size_t k = 0; k < e->n_names; k++)
                    if (e->names[k].full &&
                        e->names[k].script == (kind == EK_CYRILLIC ? SANCTUM_SCRIPT_CYRILLIC : SANCTUM_SCRIPT_ARABIC))
                        o = &e->names[k];
                if (!o && kind == EK_CYRILLIC && eval_is_russian(e) && nm->script == SANCTUM_SCRIPT_LATIN &&
                    eval_split(nm->full, &w)) {
                    /* no Cyrillic on the list: write the romanized Russian name back in Cyrillic */
                    char out[256] = "", part[128];
                    int ok = 1;
                    for (int i = 0; i < w.n && ok; i++) {
                        eval_lower(w.w[i]);
                        ok = eval_word_cyrillic(w.w[i], part, sizeof part) && strlen(out) + strlen(part) + 2 < sizeof out;
                        if (ok) {
                            if (i) strcat(out, " ");
                            strcat(out, part);
                        }
                    }
                    if (!ok) continue;
                    q = eval_strdup(out);
                    break;
                }
                if (!o) continue;
                nm = o;
            }
            q = eval_strdup(nm->full);
            break;
        default:
            continue;
        }
        if (!q) continue;
        /* one query per entity and kind */
        int dup = 0;
        for (size_t i = 0; i < set->n && !dup; i++)
            dup = set->v[i].kind == kind && set->v[i].expect == e->id && (kind >= EK_HANGUL || !strcmp(set->v[i].query, q));
        if (dup) {
            free(q);
            continue;
        }
        if (eval_push(set, q, e->id, kind)) return -1;
        got[kind]++;
    }
    /* unlisted: everything listed, folded, to exclude exact collisions */
    sanctum_strmap listed;
    sanctum_strmap_init(&listed);
    sanctum_strbuf fb = SANCTUM_STRBUF_INIT;
    char **keep = NULL;
    size_t nkeep = 0, capkeep = 0;
    for (size_t i = 0; i < n_ent; i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_names; k++) {
            if (!e->names[k].full) continue;
            sanctum_strbuf_reset(&fb);
            if (sanctum_text_fold(e->names[k].full, strlen(e->names[k].full), &fb) || !fb.len) continue;
            if (nkeep == capkeep) {
                capkeep = capkeep ? capkeep * 2 : 4096;
                char **nk = realloc(keep, capkeep * sizeof *nk);
                if (!nk) break;
                keep = nk;
            }
            keep[nkeep] = eval_strdup(fb.data);
            if (!keep[nkeep]) break;
            if (strlen(keep[nkeep]) < 500) eval_sorted_words(keep[nkeep]);
            sanctum_strmap_put(&listed, keep[nkeep], strlen(keep[nkeep]), 1);
            nkeep++;
        }
    }
    size_t made = 0;
    for (size_t attempt = 0; made < n_unlisted && attempt < n_unlisted * 20; attempt++) {
        char buf[160];
        if (eval_below(&r, 5) == 0) {
            const char *c = eval_company_c[eval_below(&r, sizeof eval_company_c / sizeof *eval_company_c)];
            snprintf(buf, sizeof buf, "%s %s%s%s",
                     eval_company_a[eval_below(&r, sizeof eval_company_a / sizeof *eval_company_a)],
                     eval_company_b[eval_below(&r, sizeof eval_company_b / sizeof *eval_company_b)], *c ? " " : "", c);
        } else {
            size_t lang = eval_below(&r, 6);
            const char *f = eval_first[lang][eval_below(&r, 16)];
            const char *l = eval_last[lang][eval_below(&r, 16)];
            int order = eval_below(&r, 3);
            if (lang == 5 || lang == 4)
                snprintf(buf, sizeof buf, order ? "%s %s" : "%s, %s", l, f); /* surname first */
            else if (order == 0)
                snprintf(buf, sizeof buf, "%s, %s", l, f);
            else if (order == 1 && lang != 4)
                snprintf(buf, sizeof buf, "%s %s %s", f, eval_first[lang][eval_below(&r, 16)], l);
            else
                snprintf(buf, sizeof buf, "%s %s", f, l);
        }
        sanctum_strbuf_reset(&fb);
        if (sanctum_text_fold(buf, strlen(buf), &fb) || !fb.len || fb.len >= 500) continue;
        char sorted[512];
        snprintf(sorted, sizeof sorted, "%s", fb.data);
        eval_sorted_words(sorted);
        if (sanctum_strmap_get(&listed, sorted, strlen(sorted), NULL)) continue;
        int dup = 0;
        for (size_t i = 0; i < set->n && !dup; i++) dup = set->v[i].kind == EK_UNLISTED && !strcmp(set->v[i].query, buf);
        if (dup) continue;
        if (eval_push(set, eval_strdup(buf), NULL, EK_UNLISTED)) break;
        made++;
    }
    for (size_t i = 0; i < nkeep; i++) free(keep[i]);
    free(keep);
    sanctum_strmap_free(&listed);
    sanctum_strbuf_free(&fb);
    return 0;
}

#endif
