/*
 * similarity.c - how alike two tokens are, and how alike two names are.
 *
 * Token similarity (all values in [0, 1], anything below SM_SIM_MIN is 0):
 *   equal canonical text                      1.0   "exact"
 *   a single letter vs a word it begins       SM_SIM_INITIAL   "initial"
 *   edit distance d <= 2 (adjacent swaps     1 - e * cost(L)   "typo"
 *   count one edit, unrestricted)
 *     (both tokens >= 3 letters, no digits, the pair within the index's
 *     deletion neighbourhoods; L = the longer length; e the weighted edit
 *     count, swaps and doubled letters cheaper. For a query word that is a
 *     common listed word cost is sm_edit_cost(L), times SM_TYPO_KNOWN_FACTOR
 *     unless the two are one swap or one final letter apart; for any other
 *     query word each edit costs less. A listed word the tokenizer rewrote
 *     is also compared as written.)
 *   equal Korean keys                         SM_SIM_ROMAN   "romanization"
 *   near Korean keys                          SM_SIM_ROMAN * (edit similarity of the keys)
 *   one token vs two adjacent ones together   SM_SIM_JOINED, or SM_SIM_JOINED_ROMAN by key
 * Tokens with digits match only exactly: 110 is not 111.
 *
 * Name score: query tokens are aligned with listed tokens greedily, best
 * similarity first, each token used once (a joined option uses two). With
 * token weights w, query coverage Cq = sum(w_q * sim) / sum(w_q) and listed
 * coverage Cl = sum(w_l * sim) / sum(w_l) (lowered further when only common
 * tokens are aligned, see coverage()); the name score is their harmonic
 * mean, so a short query cannot score high against a long name ("Kim" vs
 * "KIM, Sang Man") nor a long query against a short name. The score never
 * exceeds the best similarity of any option, which the retrieval relies on.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_internal.h"
#include "sanctum/common.h"

const char *const sm_how_names[SM_HOW__COUNT] = {
    "exact", "case/accents", "romanization", "typo", "joined", "initial", "legal form", "transliteration",
    "unmatched", "abbreviation", "number",
};

/* The optimal-string-alignment distance of a (1..64 letters) and b, by
 * the bit-vector method (Hyyro, 2003): bit i of the vectors stands for row
 * i + 1 of the dynamic-programming table, VP/VN mark where the column
 * steps up or down by one from the row above, and a column of b is worked
 * out in a dozen word operations. */
static int osa_bits(const char *a, int la, const char *b, int lb)
{
    /* where each letter of b occurs in a; seen: the letters a has */
    uint64_t eq[256], seen[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < la; i++) {
        unsigned ch = (unsigned char)a[i];
        if (!(seen[ch >> 6] >> (ch & 63) & 1)) eq[ch] = 0;
        seen[ch >> 6] |= 1ULL << (ch & 63);
        eq[ch] |= 1ULL << i;
    }
    uint64_t vp = ~0ULL, vn = 0, d0 = 0, eq_prev = 0, last = 1ULL << (la - 1);
    int dist = la;
    for (int j = 0; j < lb; j++) {
        unsigned ch = (unsigned char)b[j];
        uint64_t eq_j = (seen[ch >> 6] >> (ch & 63) & 1) ? eq[ch] : 0;
        /* a swap: b[j-1..j] matches a[i..i+1] reversed, the diagonal two
         * back not raised (d0 still holds the previous column) */
        uint64_t swap = ((~d0 & eq_j) << 1) & eq_prev;
        d0 = (((eq_j & vp) + vp) ^ vp) | eq_j | vn | swap;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        dist += (hp & last) != 0;
        dist -= (hn & last) != 0;
        hp = hp << 1 | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        eq_prev = eq_j;
    }
    return dist;
}

int sm_osa_bounded(const char *a, int la, const char *b, int lb, int max)
{
    if (la - lb > max || lb - la > max) return max + 1;
    if (la == 0) return lb;
    if (lb == 0) return la;
    if (la <= 64 || lb <= 64) {
        int d = la <= 64 ? osa_bits(a, la, b, lb) : osa_bits(b, lb, a, la);
        return d > max ? max + 1 : d;
    }
    if (la > SM_EDIT_MAX_LEN * 4 || lb > SM_EDIT_MAX_LEN * 4) return max + 1;
    int r0[SM_EDIT_MAX_LEN * 4 + 2], r1[SM_EDIT_MAX_LEN * 4 + 2], r2[SM_EDIT_MAX_LEN * 4 + 2];
    int *pp = r0, *p = r1, *c = r2;
    for (int j = 0; j <= lb; j++) p[j] = j;
    for (int i = 1; i <= la; i++) {
        c[0] = i;
        int rowmin = c[0];
        for (int j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = p[j] + 1;
            if (c[j - 1] + 1 < v) v = c[j - 1] + 1;
            if (p[j - 1] + cost < v) v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < rowmin) rowmin = v;
        }
        if (rowmin > max) {
            /* a transposition can still lower the next row by reaching back two rows */
            int prevmin = p[0];
            for (int j = 1; j <= lb; j++)
                if (p[j] < prevmin) prevmin = p[j];
            if (prevmin > max) return max + 1;
        }
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] > max ? max + 1 : p[lb];
}

/* Distance with unrestricted adjacent swaps (a letter may be typed between
 * the two swapped ones, or one of them edited again: "compania" and
 * "companaci" are two slips apart, three without such swaps). Asked only
 * when the restricted distance is above max and the letters used differ
 * little (see sm_typo_sim), so it runs rarely. */
/* The letters a word uses, one bit each (letters that share a bit can
 * only make two words look closer than they are). */
static uint64_t letter_set(const char *s, int len)
{
    uint64_t m = 0;
    for (int i = 0; i < len; i++) m |= 1ULL << ((unsigned char)s[i] & 63);
    return m;
}

static int dl_bounded(const char *a, int la, const char *b, int lb, int max)
{
    if (la - lb > max || lb - la > max || la > SM_EDIT_MAX_LEN || lb > SM_EDIT_MAX_LEN || max < 2) return max + 1;
    /* Lowrance-Wagner: d[i + 1][j + 1] is the distance of a[0..i) and b[0..j),
     * row and column 0 hold the "infinite" border */
    enum { W = SM_EDIT_MAX_LEN + 2 };
    int d[W][W], last_row[256] = { 0 };
    int inf = la + lb;
    d[0][0] = inf;
    for (int i = 0; i <= la; i++) {
        d[i + 1][0] = inf;
        d[i + 1][1] = i;
    }
    for (int j = 0; j <= lb; j++) {
        d[0][j + 1] = inf;
        d[1][j + 1] = j;
    }
    for (int i = 1; i <= la; i++) {
        int last_col = 0;
        for (int j = 1; j <= lb; j++) {
            int k = last_row[(unsigned char)b[j - 1]], l = last_col;
            int cost = a[i - 1] != b[j - 1];
            if (!cost) last_col = j;
            int v = d[i][j] + cost;
            if (d[i + 1][j] + 1 < v) v = d[i + 1][j] + 1;
            if (d[i][j + 1] + 1 < v) v = d[i][j + 1] + 1;
            int t = d[k][l] + (i - k - 1) + 1 + (j - l - 1);
            if (t < v) v = t;
            d[i + 1][j + 1] = v;
        }
        last_row[(unsigned char)a[i - 1]] = i;
    }
    return d[la + 1][lb + 1] > max ? max + 1 : d[la + 1][lb + 1];
}

double sm_edit_cost(int L)
{
    double cost = 1.0 / (L >= SM_EDIT_BONUS_FROM ? L + SM_EDIT_LEN_BONUS : L);
    return cost < SM_EDIT_COST_MIN ? SM_EDIT_COST_MIN : cost;
}

double sm_edit_sim(const char *a, int la, const char *b, int lb)
{
    if (la == lb && memcmp(a, b, (size_t)la) == 0) return 1.0;
    if (la < SM_EDIT_MIN_LEN || lb < SM_EDIT_MIN_LEN || la > SM_EDIT_MAX_LEN || lb > SM_EDIT_MAX_LEN) return 0.0;
    int d = sm_osa_bounded(a, la, b, lb, SM_EDIT_MAX_D);
    if (d > SM_EDIT_MAX_D) return 0.0;
    double s = 1.0 - d * sm_edit_cost(la > lb ? la : lb);
    return s >= SM_SIM_MIN ? s : 0.0;
}

/* Is deleting s[i] removing one of a doubled letter? */
static int doubled_at(const char *s, int len, int i)
{
    return (i > 0 && s[i] == s[i - 1]) || (i + 1 < len && s[i] == s[i + 1]);
}

/* Weighted optimal-string-alignment distance: substitutions and ordinary
 * insertions/deletions cost 1, an adjacent swap SM_TYPO_SWAP_COST, adding or
 * dropping one of a doubled letter SM_TYPO_DOUBLE_COST. Exact when below
 * lim, else some value of at least lim. Lengths <= SM_EDIT_MAX_LEN. */
double sm_typo_edits(const char *a, int la, const char *b, int lb, double lim)
{
    /* a cell |i - j| off the diagonal costs at least |i - j| of the cheaper
     * insertion or deletion: those at lim or more are left out, and the
     * cells just outside the band read as lim */
    double indel = SM_TYPO_DOUBLE_COST < 1.0 ? SM_TYPO_DOUBLE_COST : 1.0;
    int band = 0;
    while (band < la + lb && (band + 1) * indel < lim) band++;
    if (la - lb > band || lb - la > band) return lim;
    double r[3][SM_EDIT_MAX_LEN + 2], ins[SM_EDIT_MAX_LEN + 1];
    double *pp = r[0], *p = r[1], *c = r[2];
    for (int j = 1; j <= lb; j++) ins[j] = doubled_at(b, lb, j - 1) ? SM_TYPO_DOUBLE_COST : 1.0;
    p[0] = 0;
    for (int j = 1; j <= lb; j++) p[j] = j <= band ? p[j - 1] + ins[j] : lim;
    if (band < lb) p[band + 1] = lim;
    double prevmin = 0;
    for (int i = 1; i <= la; i++) {
        double del = doubled_at(a, la, i - 1) ? SM_TYPO_DOUBLE_COST : 1.0;
        int lo = i - band > 1 ? i - band : 1, hi = i + band < lb ? i + band : lb;
        c[lo - 1] = lo == 1 ? p[0] + del : lim;
        double rowmin = c[lo - 1];
        for (int j = lo; j <= hi; j++) {
            double v = p[j - 1] + (a[i - 1] != b[j - 1]);
            if (p[j] + del < v) v = p[j] + del;
            if (c[j - 1] + ins[j] < v) v = c[j - 1] + ins[j];
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && a[i - 1] != a[i - 2] &&
                pp[j - 2] + SM_TYPO_SWAP_COST < v)
                v = pp[j - 2] + SM_TYPO_SWAP_COST;
            c[j] = v;
            if (v < rowmin) rowmin = v;
        }
        if (hi < lb) c[hi + 1] = lim;
        /* every cell from here on costs at least what two rows hold */
        if (rowmin >= lim && prevmin >= lim) return lim;
        prevmin = rowmin;
        double *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

double sm_one_edit_cost(const char *a, int la, const char *b, int lb)
{
    int n = la < lb ? la : lb, i = 0;
    while (i < n && a[i] == b[i]) i++;
    if (la == lb) /* one letter changed, or two neighbours swapped */
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] ? SM_TYPO_SWAP_COST : 1.0;
    /* one letter added or dropped: the longer spelling's at the first
     * difference, or one of the run of equal letters that ends there */
    const char *l = la > lb ? a : b;
    return doubled_at(l, la > lb ? la : lb, i) ? SM_TYPO_DOUBLE_COST : 1.0;
}

/* sm_tok_del_k() by length, computed once. */
static int del_k_tab[SM_EDIT_MAX_LEN + 1];
static pthread_once_t del_k_once = PTHREAD_ONCE_INIT;

static void del_k_init(void)
{
    for (int len = 0; len <= SM_EDIT_MAX_LEN; len++) del_k_tab[len] = sm_tok_del_k(len);
}

/* Typo similarity of two tokens: 1 - (weighted edits) * sm_edit_cost(L).
 * The pair must be within SM_EDIT_MAX_D plain edits and reachable through
 * the deletion neighbourhoods the index holds (the shorter token within
 * d - delta deletions, the longer within d; sm_tok_del_k), so the cheaper
 * slips never produce a pair the retrieval could miss. */
static double sm_typo_sim(const char *a, int la, const char *b, int lb, int unknown)
{
    if (la == lb && memcmp(a, b, (size_t)la) == 0) return 1.0;
    if (la < SM_EDIT_MIN_LEN || lb < SM_EDIT_MIN_LEN || la > SM_EDIT_MAX_LEN || lb > SM_EDIT_MAX_LEN) return 0.0;
    if (la - lb > SM_EDIT_MAX_D || lb - la > SM_EDIT_MAX_D) return 0.0;
    /* each edit adds or removes at most two letters from the set of letters
     * used (a swap none): most pairs end here */
    int apart = __builtin_popcountll(letter_set(a, la) ^ letter_set(b, lb));
    if (apart > 2 * SM_EDIT_MAX_D) return 0.0;
    int d = sm_osa_bounded(a, la, b, lb, SM_EDIT_MAX_D);
    /* the unrestricted distance can be lower only through a swap, which
     * leaves the letters used as they are: max - 1 other edits remain */
    if (d > SM_EDIT_MAX_D && apart <= 2 * (SM_EDIT_MAX_D - 1)) d = dl_bounded(a, la, b, lb, SM_EDIT_MAX_D);
    if (d > SM_EDIT_MAX_D) return 0.0;
    int sh = la < lb ? la : lb, lo = la < lb ? lb : la;
    pthread_once(&del_k_once, del_k_init);
    if (d - (lo - sh) > del_k_tab[sh] || d > del_k_tab[lo]) return 0.0;
    double wd = d == 1 ? sm_one_edit_cost(a, la, b, lb) : sm_typo_edits(a, la, b, lb, d);
    if (wd > d) wd = d;
    double cost = unknown && lo >= SM_TYPO_UNKNOWN_FROM ? 1.0 / (lo + SM_TYPO_UNKNOWN_BONUS) : sm_edit_cost(lo);
    double s = 1.0 - wd * cost;
    return s >= SM_SIM_MIN ? s : 0.0;
}

static int keys_equal(const char *ka, int la, int32_t ida, const char *kb, int lb, int32_t idb)
{
    if (ida >= 0 && idb >= 0) return ida == idb;
    return la == lb && memcmp(ka, kb, (size_t)la) == 0;
}

/* a and b (same length) differ by exactly one swap of adjacent letters. */
static int is_swap(const char *a, const char *b, int len)
{
    int i = 0;
    while (i < len && a[i] == b[i]) i++;
    if (i + 1 >= len || a[i] != b[i + 1] || a[i + 1] != b[i]) return 0;
    return memcmp(a + i + 2, b + i + 2, (size_t)(len - i - 2)) == 0;
}

static int is_swap_or_end(const char *a, int la, const char *b, int lb)
{
    if (la == lb) return is_swap(a, b, la);
    const char *sh = la < lb ? a : b, *lo = la < lb ? b : a;
    int ls = la < lb ? la : lb, ll = la < lb ? lb : la;
    return ll == ls + 1 && memcmp(sh, lo, (size_t)ls) == 0;
}

static int has_digit(const char *s, int len)
{
    for (int i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9') return 1;
    return 0;
}

/* Typo similarity of a query spelling a against a listed spelling b;
 * common: a is a common listed word. */
static double typo_of(const char *a, int la, const char *b, int lb, int common)
{
    double s = sm_typo_sim(a, la, b, lb, !common);
    /* a common listed word is more likely a name of its own (khalid,
     * khalil) than a typo, unless the two differ by one adjacent swap or
     * one letter at the end (ila, ilan) */
    if (s > 0 && common && !is_swap_or_end(a, la, b, lb)) {
        /* lowered, but one slip after the first letter (which typists
         * rarely miss) in a short word is not erased */
        s *= SM_TYPO_KNOWN_FACTOR;
        if (s < SM_SIM_MIN && a[0] == b[0] && sm_osa_bounded(a, la, b, lb, 1) <= 1) s = SM_SIM_MIN;
    }
    return s >= SM_SIM_MIN ? s : 0.0;
}

/* Is t a word rewritten to its canonical form ("tech" -> technology,
 * "first" -> 1) whose written spelling is a word of letters? */
static int rewritten(const sm_tok *t)
{
    return t->raw && t->raw != t->s && t->rawlen >= SM_EDIT_MIN_LEN && !has_digit(t->raw, t->rawlen);
}

int sm_tok_direct(const sm_tok *b) { return (b->flags & SM_TF_INITIAL) || b->vid < 0 || rewritten(b); }

double sm_tok_sim(const sm_tok *a, const sm_tok *b, int *how)
{
    if ((a->vid >= 0 && a->vid == b->vid) || (a->len == b->len && memcmp(a->s, b->s, a->len) == 0)) {
        *how = SM_HOW_EXACT;
        return 1.0;
    }
    int ai = a->flags & SM_TF_INITIAL, bi = b->flags & SM_TF_INITIAL;
    if (ai || bi) {
        /* single-letter syllables (O, U, I) are romanizations too */
        if (a->key && b->key && keys_equal(a->key, a->klen, a->kid, b->key, b->klen, b->kid)) {
            *how = SM_HOW_ROMAN;
            return SM_SIM_ROMAN_FAR;
        }
        if (ai && bi) return 0.0;
        if (a->s[0] == b->s[0]) {
            *how = SM_HOW_INITIAL;
            return SM_SIM_INITIAL;
        }
        return 0.0;
    }
    int common = (a->flags & SM_TF_COMMON) != 0;
    double s = 0.0;
    if (!((a->flags | b->flags) & SM_TF_DIGIT)) s = typo_of(a->s, a->len, b->s, b->len, common);
    /* a typo in a word one side wrote short ("tmch" for "tech", which is
     * technology; "frist" for "first", which is 1) */
    if (rewritten(b) && !(a->flags & SM_TF_DIGIT)) {
        double r = typo_of(a->s, a->len, b->raw, b->rawlen, common);
        if (r > s) s = r;
    }
    if (rewritten(a) && !(b->flags & SM_TF_DIGIT)) {
        double r = typo_of(a->raw, a->rawlen, b->s, b->len, common);
        if (r > s) s = r;
    }
    if ((a->flags | b->flags) & SM_TF_DIGIT) {
        if (s <= 0) return 0.0;
        *how = SM_HOW_TYPO;
        return s;
    }
    int h = SM_HOW_TYPO;
    if (a->key && b->key) {
        double r;
        if (keys_equal(a->key, a->klen, a->kid, b->key, b->klen, b->kid))
            r = sm_osa_bounded(a->s, a->len, b->s, b->len, 1) <= 1 ? SM_SIM_ROMAN : SM_SIM_ROMAN_FAR;
        else
            r = SM_SIM_ROMAN * sm_edit_sim(a->key, a->klen, b->key, b->klen);
        if (r >= SM_SIM_MIN && r > s) {
            s = r;
            h = SM_HOW_ROMAN;
        }
    }
    if (s < SM_SIM_MIN) return 0.0;
    *how = h;
    return s;
}

double sm_join_sim(const sm_tok *x, const sm_tok *p, int *how)
{
    const sm_tok *p2 = p + 1;
    if (p->len < 2 || p2->len < 2 || x->len < 4) return 0.0;
    if (x->len == p->len + p2->len && memcmp(x->s, p->s, p->len) == 0 &&
        memcmp(x->s + p->len, p2->s, p2->len) == 0) {
        *how = SM_HOW_JOINED;
        return SM_SIM_JOINED;
    }
    /* as written before canonical rewriting: "linesltd" = "lines" + "ltd" */
    if (p->raw && p2->raw && (p->raw != p->s || p2->raw != p2->s) && x->len == p->rawlen + p2->rawlen &&
        memcmp(x->s, p->raw, p->rawlen) == 0 && memcmp(x->s + p->rawlen, p2->raw, p2->rawlen) == 0) {
        *how = SM_HOW_JOINED;
        return SM_SIM_JOINED;
    }
    if (x->len >= SM_JOIN_KEY_MIN_LEN && x->key && p->jkey && keys_equal(x->key, x->klen, x->kid, p->jkey, p->jklen, p->jkid)) {
        *how = SM_HOW_JOINED;
        return SM_SIM_JOINED_ROMAN;
    }
    return 0.0;
}

/* Coverage of one side: matched = sum(w * sim) over its n aligned tokens,
 * aligned = sum(w) over them, total = sum(w) over all its tokens. When the
 * aligned tokens are common (matched / n below SM_INFO_FULL), the weight of
 * the tokens left unaligned counts SM_INFO_FULL * n / matched times: a name
 * matched only through common tokens needs fuller coverage. The result is
 * never above matched / total. */
static double coverage(double matched, double aligned, int n, double total)
{
    if (total <= 0 || matched <= 0 || n <= 0) return 0.0;
    double rest = total - aligned;
    if (rest <= 0) return matched >= total ? 1.0 : matched / total;
    double g = matched < SM_INFO_FULL * n ? SM_INFO_FULL * n / matched : 1.0;
    return matched / (aligned + rest * g);
}

double sm_blend(double cq, double cl)
{
    if (cq <= 0.0 || cl <= 0.0) return 0.0;
    return 2.0 * cq * cl / (cq + cl);
}

static int opt_cmp(const void *x, const void *y)
{
    const sm_align *a = x, *b = y;
    if (a->sim != b->sim) return a->sim > b->sim ? -1 : 1;
    int sa = a->qn + a->ln, sb = b->qn + b->ln;
    if (sa != sb) return sa - sb;
    if (a->qi != b->qi) return a->qi - b->qi;
    return a->lj - b->lj;
}

static int push_opt(sm_opts_buf *buf, size_t *n, int qi, int qn, int lj, int ln, double sim, int how)
{
    if (*n >= buf->cap) {
        size_t cap = buf->cap ? buf->cap * 2 : 64;
        sm_align *v = realloc(buf->v, cap * sizeof *v);
        if (!v) return SANCTUM_ENOMEM;
        buf->v = v;
        buf->cap = cap;
    }
    sm_align *o = &buf->v[(*n)++];
    o->qi = (int8_t)qi;
    o->qn = (int8_t)qn;
    o->lj = (int8_t)lj;
    o->ln = (int8_t)ln;
    o->sim = (float)sim;
    o->how = (uint8_t)how;
    return 0;
}

static int refine_how(int how, const sm_tok *a, const sm_tok *b)
{
    if (how != SM_HOW_EXACT) return how;
    if (a->cls == SM_CLS_LEGAL || b->cls == SM_CLS_LEGAL) return SM_HOW_LEGAL;
    if ((a->flags | b->flags) & SM_TF_ORDINAL) return SM_HOW_NUMBER;
    if ((a->flags | b->flags) & SM_TF_ABBREV) return SM_HOW_ABBREV;
    return how;
}

/* ---- similarities computed by the lookups ------------------------------------ */

static uint32_t vid_hash(uint32_t vid, uint32_t cap) { return (vid * 0x9E3779B1u) >> 7 & (cap - 1); }

int sm_simtab_reset(sm_simtab *t, size_t expect)
{
    uint32_t cap = 16;
    while (cap < 2 * expect) {
        if (cap >= (1u << 30)) return SANCTUM_ELIMIT;
        cap *= 2;
    }
    if (cap > t->cap) {
        uint32_t *v = realloc(t->slot_vid, cap * sizeof *v);
        if (!v) return SANCTUM_ENOMEM;
        t->slot_vid = v;
        uint32_t *f = realloc(t->slot_first, cap * sizeof *f);
        if (!f) return SANCTUM_ENOMEM;
        t->slot_first = f;
        t->cap = cap;
    }
    memset(t->slot_vid, 0, t->cap * sizeof *t->slot_vid);
    t->n = 0;
    return 0;
}

int sm_simtab_add(sm_simtab *t, uint32_t vid, int qi, float sim, int how)
{
    if (t->n >= t->cap / 2) return SANCTUM_ELIMIT; /* more than sm_simtab_reset() was told */
    if (t->n == t->ncap) {
        uint32_t cap = t->ncap ? t->ncap * 2 : 256;
        uint32_t *nx = realloc(t->next, cap * sizeof *nx);
        if (nx) t->next = nx;
        int8_t *q = nx ? realloc(t->qi, cap * sizeof *q) : NULL;
        if (q) t->qi = q;
        uint8_t *h = q ? realloc(t->how, cap * sizeof *h) : NULL;
        if (h) t->how = h;
        float *sm = h ? realloc(t->sim, cap * sizeof *sm) : NULL;
        if (!sm) return SANCTUM_ENOMEM;
        t->sim = sm;
        t->ncap = cap;
    }
    uint32_t e = t->n++;
    t->qi[e] = (int8_t)qi;
    t->how[e] = (uint8_t)how;
    t->sim[e] = sim;
    uint32_t i = vid_hash(vid, t->cap);
    while (t->slot_vid[i] && t->slot_vid[i] != vid + 1) i = (i + 1) & (t->cap - 1);
    if (!t->slot_vid[i]) {
        t->slot_vid[i] = vid + 1;
        t->next[e] = UINT32_MAX;
    } else {
        t->next[e] = t->slot_first[i];
    }
    t->slot_first[i] = e;
    return 0;
}

void sm_simtab_free(sm_simtab *t)
{
    free(t->slot_vid);
    free(t->slot_first);
    free(t->next);
    free(t->qi);
    free(t->how);
    free(t->sim);
    memset(t, 0, sizeof *t);
}

static uint32_t simtab_first(const sm_simtab *t, uint32_t vid)
{
    for (uint32_t i = vid_hash(vid, t->cap);; i = (i + 1) & (t->cap - 1)) {
        if (t->slot_vid[i] == vid + 1) return t->slot_first[i];
        if (!t->slot_vid[i]) return UINT32_MAX;
    }
}

/* The score the options allow if each token could take its best option:
 * the alignment takes every token at most once, so it never does better. */
static double relaxed_score(const sm_align *v, size_t n, const sm_tok *q, int nq, double wq, const sm_tok *l, int nl,
                            double wl)
{
    float bq[SM_MAX_TOKENS] = { 0 }, bl[SM_MAX_TOKENS] = { 0 };
    for (size_t k = 0; k < n; k++) {
        const sm_align *o = &v[k];
        for (int x = 0; x < o->qn; x++)
            if (bq[o->qi + x] < o->sim) bq[o->qi + x] = o->sim;
        for (int x = 0; x < o->ln; x++)
            if (bl[o->lj + x] < o->sim) bl[o->lj + x] = o->sim;
    }
    double sq = 0, sl = 0;
    for (int i = 0; i < nq; i++) sq += q[i].w * bq[i];
    for (int j = 0; j < nl; j++) sl += l[j].w * bl[j];
    double cq = wq > 0 ? sq / wq : 0, cl = wl > 0 ? sl / wl : 0;
    return sm_blend(cq > 1 ? 1 : cq, cl > 1 ? 1 : cl);
}

void sm_best_sims(const sm_tok *q, uint64_t want, const sm_tok *l, const uint32_t *lv, const double *lw, int nl,
                  const sm_simtab *tab, float *best, double *best_w)
{
    uint64_t initials = 0;
    for (uint64_t m = want; m; m &= m - 1) {
        int i = __builtin_ctzll(m);
        best[i] = 0;
        best_w[i] = 0;
        if (q[i].flags & SM_TF_INITIAL) initials |= 1ULL << i;
    }
    int how;
    for (int j = 0; j < nl; j++) {
        uint64_t direct = lv[j] == SM_TOK_DIRECT ? want : initials;
        for (uint64_t m = direct; m; m &= m - 1) {
            int i = __builtin_ctzll(m);
            double s = sm_tok_sim(&q[i], &l[j], &how);
            if (s > best[i]) best[i] = (float)s;
            if (s * lw[j] > best_w[i]) best_w[i] = s * lw[j];
        }
        if (lv[j] == SM_TOK_DIRECT) continue;
        for (uint32_t e = simtab_first(tab, lv[j]); e != UINT32_MAX; e = tab->next[e]) {
            int i = tab->qi[e];
            if (!(want >> i & 1)) continue;
            if (tab->sim[e] > best[i]) best[i] = tab->sim[e];
            if (tab->sim[e] * lw[j] > best_w[i]) best_w[i] = tab->sim[e] * lw[j];
        }
    }
}

int sm_score_seq(const sm_tok *q, int nq, double wq, const sm_tok *l, int nl, double wl, sm_opts_buf *buf,
                 const sm_simtab *tab, double need, sm_align *align, sm_name_score *out)
{
    size_t n = 0;
    int how = 0, rc;
    if (tab) {
        uint64_t initials = 0;
        for (int i = 0; i < nq; i++)
            if (q[i].flags & SM_TF_INITIAL) initials |= 1ULL << i;
        for (int j = 0; j < nl; j++) {
            const sm_tok *b = &l[j];
            int direct = sm_tok_direct(b);
            for (int i = 0; i < nq; i++) {
                if (!direct && !(initials >> i & 1)) continue;
                double s = sm_tok_sim(&q[i], b, &how);
                if (s > 0 && (rc = push_opt(buf, &n, i, 1, j, 1, s, refine_how(how, &q[i], b)))) return rc;
            }
            if (direct) continue;
            for (uint32_t e = simtab_first(tab, (uint32_t)b->vid); e != UINT32_MAX; e = tab->next[e]) {
                int i = tab->qi[e];
                if ((rc = push_opt(buf, &n, i, 1, j, 1, tab->sim[e], refine_how(tab->how[e], &q[i], b)))) return rc;
            }
        }
    } else {
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < nl; j++) {
                double s = sm_tok_sim(&q[i], &l[j], &how);
                if (s > 0 && (rc = push_opt(buf, &n, i, 1, j, 1, s, refine_how(how, &q[i], &l[j])))) return rc;
            }
    }
    uint64_t one = tab ? tab->join_one : ~0ULL, two = tab ? tab->join_two : ~0ULL;
    for (int i = 0; i < nq; i++) {
        if (!(one >> i & 1)) continue;
        for (int j = 0; j + 1 < nl; j++) {
            double s = sm_join_sim(&q[i], &l[j], &how);
            if (s > 0 && (rc = push_opt(buf, &n, i, 1, j, 2, s, how))) return rc;
        }
    }
    for (int i = 0; i + 1 < nq; i++) {
        if (!(two >> i & 1)) continue;
        for (int j = 0; j < nl; j++) {
            double s = sm_join_sim(&l[j], &q[i], &how);
            if (s > 0 && (rc = push_opt(buf, &n, i, 2, j, 1, s, how))) return rc;
        }
    }
    if (need > 0) {
        double r = relaxed_score(buf->v, n, q, nq, wq, l, nl, wl);
        if (r < need) {
            memset(out, 0, sizeof *out);
            out->score = r;
            out->n_align = -1;
            return 0;
        }
    }
    if (n > 1) qsort(buf->v, n, sizeof *buf->v, opt_cmp);
    uint64_t uq = 0, ul = 0;
    double sq = 0, sl = 0, aq = 0, al = 0;
    int na = 0, nqa = 0, nla = 0;
    for (size_t k = 0; k < n; k++) {
        const sm_align *o = &buf->v[k];
        uint64_t mq = (o->qn == 2 ? 3ULL : 1ULL) << o->qi;
        uint64_t ml = (o->ln == 2 ? 3ULL : 1ULL) << o->lj;
        if ((uq & mq) || (ul & ml)) continue;
        uq |= mq;
        ul |= ml;
        for (int x = 0; x < o->qn; x++) {
            sq += q[o->qi + x].w * o->sim;
            aq += q[o->qi + x].w;
            nqa++;
        }
        for (int x = 0; x < o->ln; x++) {
            sl += l[o->lj + x].w * o->sim;
            al += l[o->lj + x].w;
            nla++;
        }
        if (align) align[na] = *o;
        na++;
    }
    out->cq = coverage(sq, aq, nqa, wq);
    out->cl = coverage(sl, al, nla, wl);
    if (out->cq > 1) out->cq = 1;
    if (out->cl > 1) out->cl = 1;
    out->score = sm_blend(out->cq, out->cl);
    out->n_align = na;
    return 0;
}
