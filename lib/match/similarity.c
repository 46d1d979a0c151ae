/*
 * similarity.c - how alike two tokens are, and how alike two names are.
 *
 * Token similarity (all values in [0, 1], anything below SM_SIM_MIN is 0):
 *   equal canonical text                      1.0   "exact"
 *   a single letter vs a word it begins       SM_SIM_INITIAL   "initial"
 *   optimal-string-alignment distance d <= 2  1 - d * max(0.12, 1/L)   "typo"
 *     (both tokens >= 3 letters, no digits; L = the longer length)
 *   equal Korean keys                         SM_SIM_ROMAN   "romanization"
 *   near Korean keys                          SM_SIM_ROMAN * (edit similarity of the keys)
 *   one token vs two adjacent ones together   SM_SIM_JOINED, or SM_SIM_JOINED_ROMAN by key
 * Tokens with digits match only exactly: 110 is not 111.
 *
 * Name score: query tokens are aligned with listed tokens greedily, best
 * similarity first, each token used once (a joined option uses two). With
 * token weights w, query coverage Cq = sum(w_q * sim) / sum(w_q) and listed
 * coverage Cl = sum(w_l * sim) / sum(w_l); the name score is their harmonic
 * mean, so a short query cannot score high against a long name ("Kim" vs
 * "KIM, Sang Man") nor a long query against a short name. The score never
 * exceeds the best similarity of any option, which the retrieval relies on.
 */
#include <stdlib.h>
#include <string.h>

#include "match/match_internal.h"
#include "sanctum/common.h"

const char *const sm_how_names[SM_HOW__COUNT] = {
    "exact", "case/accents", "romanization", "typo", "joined", "initial", "legal form", "transliteration",
    "unmatched", "abbreviation", "number",
};

int sm_osa_bounded(const char *a, int la, const char *b, int lb, int max)
{
    if (la - lb > max || lb - la > max) return max + 1;
    if (la == 0) return lb;
    if (lb == 0) return la;
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

double sm_edit_sim(const char *a, int la, const char *b, int lb)
{
    if (la == lb && memcmp(a, b, (size_t)la) == 0) return 1.0;
    if (la < SM_EDIT_MIN_LEN || lb < SM_EDIT_MIN_LEN || la > SM_EDIT_MAX_LEN || lb > SM_EDIT_MAX_LEN) return 0.0;
    int d = sm_osa_bounded(a, la, b, lb, SM_EDIT_MAX_D);
    if (d > SM_EDIT_MAX_D) return 0.0;
    int L = la > lb ? la : lb;
    double cost = 1.0 / L;
    if (cost < SM_EDIT_COST_MIN) cost = SM_EDIT_COST_MIN;
    double s = 1.0 - d * cost;
    return s >= SM_SIM_MIN ? s : 0.0;
}

static int keys_equal(const char *ka, int la, int32_t ida, const char *kb, int lb, int32_t idb)
{
    if (ida >= 0 && idb >= 0) return ida == idb;
    return la == lb && memcmp(ka, kb, (size_t)la) == 0;
}

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
    if ((a->flags | b->flags) & SM_TF_DIGIT) return 0.0;
    double s = sm_edit_sim(a->s, a->len, b->s, b->len);
    /* both are listed words (a query token found in the vocabulary): a
     * spelling of its own rather than a typo */
    if (s > 0 && a->vid >= 0 && b->vid >= 0) s *= SM_TYPO_KNOWN_FACTOR;
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
    if (x->len >= SM_JOIN_KEY_MIN_LEN && x->key && p->jkey && keys_equal(x->key, x->klen, x->kid, p->jkey, p->jklen, p->jkid)) {
        *how = SM_HOW_JOINED;
        return SM_SIM_JOINED_ROMAN;
    }
    return 0.0;
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

int sm_score_seq(const sm_tok *q, int nq, double wq, const sm_tok *l, int nl, double wl, sm_opts_buf *buf,
                 sm_align *align, sm_name_score *out)
{
    size_t n = 0;
    int how = 0, rc;
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nl; j++) {
            double s = sm_tok_sim(&q[i], &l[j], &how);
            if (s > 0 && (rc = push_opt(buf, &n, i, 1, j, 1, s, refine_how(how, &q[i], &l[j])))) return rc;
        }
    for (int i = 0; i < nq; i++)
        for (int j = 0; j + 1 < nl; j++) {
            double s = sm_join_sim(&q[i], &l[j], &how);
            if (s > 0 && (rc = push_opt(buf, &n, i, 1, j, 2, s, how))) return rc;
        }
    for (int i = 0; i + 1 < nq; i++)
        for (int j = 0; j < nl; j++) {
            double s = sm_join_sim(&l[j], &q[i], &how);
            if (s > 0 && (rc = push_opt(buf, &n, i, 2, j, 1, s, how))) return rc;
        }
    if (n > 1) qsort(buf->v, n, sizeof *buf->v, opt_cmp);
    uint64_t uq = 0, ul = 0;
    double sq = 0, sl = 0;
    int na = 0;
    for (size_t k = 0; k < n; k++) {
        const sm_align *o = &buf->v[k];
        uint64_t mq = (o->qn == 2 ? 3ULL : 1ULL) << o->qi;
        uint64_t ml = (o->ln == 2 ? 3ULL : 1ULL) << o->lj;
        if ((uq & mq) || (ul & ml)) continue;
        uq |= mq;
        ul |= ml;
        for (int x = 0; x < o->qn; x++) sq += q[o->qi + x].w * o->sim;
        for (int x = 0; x < o->ln; x++) sl += l[o->lj + x].w * o->sim;
        if (align) align[na] = *o;
        na++;
    }
    out->cq = wq > 0 ? sq / wq : 0;
    out->cl = wl > 0 ? sl / wl : 0;
    if (out->cq > 1) out->cq = 1;
    if (out->cl > 1) out->cl = 1;
    out->score = sm_blend(out->cq, out->cl);
    out->n_align = na;
    return 0;
}
