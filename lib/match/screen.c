/*
 * screen.c - screening a query against the index: query forms, candidate
 * retrieval with a proven upper bound, scoring, evidence, ranked and
 * explained hits.
 *
 * Soundness of the retrieval (docs/ALGORITHM.md has the long form). Let t
 * be the threshold minus the largest evidence bonus the query allows. For
 * one query form and one listed name:
 *  1. Every token pair with similarity > 0 is found by the lookups: equal
 *     tokens through the vocabulary; an edit similarity >= SM_SIM_MIN needs
 *     at most k edits (k from del_k_for(), 0-2 by length), and two strings
 *     within k edits (optimal string alignment) share a string obtained by
 *     deleting at most k letters from each, which the deletion table holds;
 *     equal Korean keys through the key table, near keys through the keys'
 *     deletion neighbourhoods; joined options through the joined-pair and
 *     key tables (equality only); initials through the postings of the
 *     single letter a token starts with.
 *  2. Essential tokens (all but the query's initials and the lightest
 *     tokens that together cannot lift a name to t, see 3) have their postings
 *     walked. A name reached collects b_i, the best similarity of any option
 *     touching essential token i, and the set of its positions touched.
 *     Then Cq <= (sum_i w_i b_i + weight of the non-essential tokens) / Wq,
 *     and Cl <= (touched weight + what the non-essential tokens can take) /
 *     Wl: two untouched listed tokens for one that may match a listed pair
 *     written together, one for an initial, and for any other one token no
 *     heavier than the heaviest word it is similar to (or an initial). A
 *     non-essential token sharing no bit with the name's signature (sm_name)
 *     is similar to none of its words: it counts 0 and takes nothing. The
 *     blend is non-decreasing in both, so the score is at most
 *     blend(those) * weak factor; names whose bound is below t are skipped.
 *  3. A name no essential token reaches has Cq <= w_nonessential / Wq, so
 *     its score is at most blend(that, 1); the non-essential set is chosen
 *     so that this stays below t. When the initials alone could reach t the
 *     form is screened exhaustively instead.
 * The same scorer (similarity.c) scores whatever survives, so the indexed
 * and the exhaustive search return identical hits; tests/match checks it.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "match/match_internal.h"
#include "text/text.h"
#include "util/error.h"

#define FORM_STORE 8192

/* Candidate tags: a name is a candidate of the current form when its tag
 * holds the current epoch; the low bits are its slot. A form with more
 * candidates than the slot bits hold is screened exhaustively instead. */
#define TAG_SLOT_BITS 20
#define TAG_SLOT_MASK ((1u << TAG_SLOT_BITS) - 1)
#define TAG_EPOCHS (1u << (32 - TAG_SLOT_BITS))
#define RETRIEVE_FULL 1  /* retrieve(): the candidate slots ran out */

typedef struct found {
    uint32_t vid;
    float sim;     /* the most the pair can score: a bound for retrieval */
    float exact;   /* sm_tok_sim() with the vocabulary token itself (0 when only its
                    * rewritten spellings are near) */
    uint8_t how;
} found;

typedef struct qform {
    sm_tok t[SM_MAX_TOKENS];
    int n;
    double wsum;
    int has_initial;
    const char *text;     /* folded form, NUL-terminated, in store */
    char store[FORM_STORE];
    size_t used;
    uint32_t f_off[SM_MAX_TOKENS], f_n[SM_MAX_TOKENS]; /* found lists in scratch->found */
    int32_t jid[SM_MAX_TOKENS];    /* per token: the listed pair written like it, or -1 */
    int32_t letter[SM_MAX_TOKENS]; /* per token: the vocabulary id of its first letter alone
                                    * (the listed initials it may stand for), or -1 */
    int8_t order[SM_MAX_TOKENS]; /* token indexes, lightest first */
    uint64_t ess;         /* essential tokens: their postings are walked */
    uint64_t create;      /* essential tokens whose similar words and joined options create candidates */
    uint64_t create_init; /* ... and whose listed-initial walk does too */
    int n_ness;           /* tokens that are not */
    double w_ness;        /* their weight */
    uint64_t join_one, join_two; /* joined options the form can have (see sm_simtab) */
    uint64_t sig[SM_MAX_TOKENS]; /* per token: the sm_name.sig bits of the words it is similar to (~0: any) */
    uint64_t initials;    /* the form's initials */
    uint64_t capped;      /* tokens that take at most one listed word, of weight at most cap[i] (or
                           * SM_WEIGHT_INITIAL when the name has an initial sharing cap_bit[i]) */
    double cap[SM_MAX_TOKENS];
    uint64_t cap_bit[SM_MAX_TOKENS];
} qform;

typedef struct best {
    const char *id;       /* entity id, for the final order */
    uint32_t ent;
    uint32_t name;
    int form;
    double name_score;
    double score;
} best;

_Static_assert(SM_MAX_FORMS <= 8, "a candidate's forms are one bit each in a byte");

/* What retrieval keeps of a candidate, in one row so that marking a posting
 * touches one place: the listed positions any option touched, the forms a
 * creating option of which reached it (bits), and its similarity slots
 * (form k's essential word i in b[slot_of[k][i]]). */
typedef struct cand_row {
    uint64_t mask;
    uint64_t slots;   /* the slots any option wrote (bit j for slot j < 64) */
    uint32_t forms;
    uint32_t pair;    /* an option of two essential words (one listed word for both) reached it */
    float b[];
} cand_row;

/* One option of a query word (or of two written together): similarity
 * `sim` for similarity slots sa and sb with every listed posting of what its
 * group walks. A slot belongs to a word, shared by every form retrieved that
 * has it; slot 0 is written but never read (sb of a one-word option). */
typedef struct walk_op {
    uint32_t next;        /* next op of the same group, UINT32_MAX at the end */
    uint16_t sa, sb;
    float sim;
} walk_op;

/* What an option walks: a vocabulary word's postings, a listed pair written
 * together (jid), or the listed pairs with a Korean key (kid); the last two
 * touch two listed positions. A word several options walk is walked once. */
enum { WALK_WORD, WALK_JOINED, WALK_KEY_JOINED };
typedef struct walk_group {
    uint32_t id;
    uint32_t head;        /* first op */
    uint8_t kind;
    uint8_t creating;     /* the forms for which the group creates candidates (bits) */
    uint64_t slots;       /* the slots its ops write (bit j for slot j < 64) */
    uint32_t pair;        /* some op writes two slots */
} walk_group;

typedef struct sm_scratch {
    struct sm_scratch *next;
    uint32_t *name_tag;   /* per name: (epoch << TAG_SLOT_BITS) | candidate slot */
    uint32_t name_epoch;  /* 1 .. TAG_EPOCHS - 1 */
    uint32_t *vid_stamp, vid_epoch;
    /* what the forms planned so far walk to create candidates: vocabulary
     * words (walk_stamp == walk_epoch) and joined walks (kind << 31 | id);
     * another form creating from them too walks nothing more */
    uint32_t *walk_stamp, walk_epoch;
    uint32_t walks[64];
    int n_walks;
    uint32_t *ent_stamp, *ent_slot, ent_epoch;
    /* candidates of the forms retrieved together (retrieve()) */
    uint32_t *cand_name;
    unsigned char *rows;  /* candidate c's cand_row at rows + c * row_size */
    size_t row_size;
    uint32_t *cand_pass;  /* the candidates the quick bound lets through, for some form */
    size_t n_pass;
    size_t cap_rows;      /* bytes allocated in rows */
    int n_slots;
    uint16_t slot_of[SM_MAX_FORMS][SM_MAX_TOKENS];
    int creating;         /* retrieval may add candidates (else it only refines them) */
    size_t n_cand, cap_cand;
    walk_op *ops;         /* the options of the forms retrieved, grouped by what they walk */
    size_t n_ops, cap_ops;
    walk_group *groups;
    size_t n_groups, cap_groups;
    uint32_t *gtab;       /* vocabulary id -> its group + 1, open addressing; 0 empty */
    size_t gtab_cap;      /* slots allocated */
    size_t gtab_n;        /* slots in use, a power of two */
    found *found;
    size_t n_found, cap_found;
    best *best;
    size_t n_best, cap_best;
    sm_opts_buf opts;
    sm_simtab simtab[SM_MAX_FORMS]; /* per form retrieved: its found lists by vocabulary id */
    sanctum_strbuf fold, forms;
    qform forms_v[SM_MAX_FORMS];
    int n_forms;
    int cur_form;
} sm_scratch;

struct sanctum_result {
    sanctum_arena arena;
    sanctum_hit *hits;
    size_t n;
};

/* ---- scratch pool ---------------------------------------------------------- */

static void scratch_free(sm_scratch *s)
{
    if (!s) return;
    free(s->name_tag);
    free(s->vid_stamp);
    free(s->walk_stamp);
    free(s->ent_stamp);
    free(s->ent_slot);
    free(s->cand_name);
    free(s->rows);
    free(s->cand_pass);
    free(s->ops);
    free(s->groups);
    free(s->gtab);
    free(s->found);
    free(s->best);
    free(s->opts.v);
    for (int k = 0; k < SM_MAX_FORMS; k++) sm_simtab_free(&s->simtab[k]);
    sanctum_strbuf_free(&s->fold);
    sanctum_strbuf_free(&s->forms);
    free(s);
}

void sm_scratch_free_all(sanctum_index *idx);
void sm_scratch_free_all(sanctum_index *idx)
{
    sm_scratch *s = idx->pool;
    while (s) {
        sm_scratch *next = s->next;
        scratch_free(s);
        s = next;
    }
    idx->pool = NULL;
}

static sm_scratch *scratch_get(const sanctum_index *cidx)
{
    sanctum_index *idx = (sanctum_index *)cidx; /* only the pool is touched, under its lock */
    pthread_mutex_lock(&idx->pool_lock);
    sm_scratch *s = idx->pool;
    if (s) idx->pool = s->next;
    pthread_mutex_unlock(&idx->pool_lock);
    if (s) return s;
    s = calloc(1, sizeof *s);
    if (!s) return NULL;
    size_t nn = idx->n_names ? idx->n_names : 1, nv = idx->n_voc ? idx->n_voc : 1, ne = idx->n_ents ? idx->n_ents : 1;
    s->name_tag = calloc(nn, sizeof *s->name_tag);
    s->vid_stamp = calloc(nv, sizeof *s->vid_stamp);
    s->walk_stamp = calloc(nv, sizeof *s->walk_stamp);
    s->ent_stamp = calloc(ne, sizeof *s->ent_stamp);
    s->ent_slot = malloc(ne * sizeof *s->ent_slot);
    sanctum_strbuf_init(&s->fold, 64 * 1024);
    sanctum_strbuf_init(&s->forms, 64 * 1024);
    if (!s->name_tag || !s->vid_stamp || !s->walk_stamp || !s->ent_stamp || !s->ent_slot) {
        scratch_free(s);
        return NULL;
    }
    return s;
}

static void scratch_put(const sanctum_index *cidx, sm_scratch *s)
{
    sanctum_index *idx = (sanctum_index *)cidx;
    pthread_mutex_lock(&idx->pool_lock);
    s->next = idx->pool;
    idx->pool = s;
    pthread_mutex_unlock(&idx->pool_lock);
}

static void bump(uint32_t *epoch, uint32_t *stamps, size_t n)
{
    if (++*epoch == 0) {
        memset(stamps, 0, n * sizeof *stamps);
        *epoch = 1;
    }
}

/* ---- query preparation ----------------------------------------------------- */

static char *form_put(qform *f, const char *s, size_t len)
{
    if (f->used + len + 1 > sizeof f->store) return NULL;
    char *p = f->store + f->used;
    memcpy(p, s, len);
    p[len] = 0;
    f->used += len + 1;
    return p;
}

static double class_factor(int cls)
{
    switch (cls) {
    case SM_CLS_LEGAL: return SM_FACTOR_LEGAL;
    case SM_CLS_HONORIFIC: return SM_FACTOR_HONORIFIC;
    case SM_CLS_STOP: return SM_FACTOR_STOP;
    default: return 1.0;
    }
}

static sm_tok voc_tok(const sanctum_index *idx, uint32_t v)
{
    const sm_voc *e = &idx->voc[v];
    sm_tok t;
    memset(&t, 0, sizeof t);
    t.s = e->s;
    t.len = e->len;
    t.vid = (int32_t)v;
    t.kid = e->kid;
    t.key = e->kid >= 0 ? idx->key_s[e->kid] : NULL;
    t.klen = e->kid >= 0 ? idx->key_len[e->kid] : 0;
    t.jkid = -1;
    t.cls = e->cls;
    t.flags = e->flags;
    t.w = e->w;
    return t;
}

/* Array v (capacity *cap entries of `size` bytes) with room for `need`,
 * and at least one entry: v itself, or v reallocated to a doubling of the
 * capacity (from 256), or NULL when out of memory (v and *cap as they
 * were). */
static void *grow(void *v, size_t *cap, size_t need, size_t size)
{
    if (need < 1) need = 1;
    if (need <= *cap) return v;
    size_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *p = realloc(v, n * size);
    if (p) *cap = n;
    return p;
}

static int push_found(sm_scratch *s, uint32_t vid, double sim, double exact, int how)
{
    found *f = grow(s->found, &s->cap_found, s->n_found + 1, sizeof *f);
    if (!f) return SANCTUM_ENOMEM;
    s->found = f;
    found *fd = &s->found[s->n_found++];
    fd->vid = vid;
    fd->sim = (float)sim;
    fd->exact = (float)exact;
    fd->how = (uint8_t)how;
    return 0;
}

#define PENDING_MAX 64

typedef struct lookup_ctx {
    const sanctum_index *idx;
    sm_scratch *s;
    const sm_tok *q;
    int key_space;
    int rc;
    size_t start; /* this token's first entry in s->found */
    /* words reached but not yet compared: their entries and spellings are
     * fetched from memory together, then compared (consider_flush) */
    uint32_t pending[PENDING_MAX];
    int n_pending;
} lookup_ctx;

static void consider_flush(lookup_ctx *c)
{
    const sanctum_index *idx = c->idx;
    for (int i = 0; i < c->n_pending; i++) {
        const sm_voc *e = &idx->voc[c->pending[i]];
        __builtin_prefetch(e->s);
        if (e->kid >= 0) __builtin_prefetch(idx->key_s[e->kid]);
    }
    for (int i = 0; i < c->n_pending; i++) {
        uint32_t v = c->pending[i];
        sm_tok t = voc_tok(idx, v);
        int how;
        double sim = sm_tok_sim(c->q, &t, &how);
        if (sim > 0 && !c->rc) c->rc = push_found(c->s, v, sim, sim, how);
    }
    c->n_pending = 0;
}

static void consider_vid(lookup_ctx *c, uint32_t v)
{
    sm_scratch *s = c->s;
    if (s->vid_stamp[v] == s->vid_epoch) return;
    s->vid_stamp[v] = s->vid_epoch;
    if (c->n_pending == PENDING_MAX) consider_flush(c);
    __builtin_prefetch(&c->idx->voc[v]);
    c->pending[c->n_pending++] = v;
}

/* Deletion variants of one query token, hashed: collected first so that
 * their table slots can be fetched from memory together, then probed. */
#define MAX_VARIANTS 1024

typedef struct variants {
    uint64_t h[MAX_VARIANTS];
    int n, key_space;
} variants;

static void collect_variant(void *ctx, const char *v, int len)
{
    variants *vs = ctx;
    if (vs->n < MAX_VARIANTS) vs->h[vs->n++] = sm_del_hash(v, (size_t)len, vs->key_space);
}

static void probe_variants(lookup_ctx *c, const variants *vs)
{
    const sanctum_index *idx = c->idx;
    if (!idx->dtab_cap) return;
    for (int i = 0; i < vs->n; i++) __builtin_prefetch(&idx->dtab[(size_t)vs->h[i] & (idx->dtab_cap - 1)]);
    for (int i = 0; i < vs->n; i++) {
        uint32_t n;
        const uint32_t *ids = sm_dtab_get(idx, vs->h[i], &n);
        for (uint32_t x = 0; x < n; x++) {
            uint32_t id = ids[x];
            if (vs->key_space) {
                if (!(id & SM_DEL_KEYFLAG)) continue;
                uint32_t kid = id & ~SM_DEL_KEYFLAG;
                for (uint32_t y = 0; y < idx->kv_n[kid]; y++) consider_vid(c, idx->kv[idx->kv_off[kid] + y]);
            } else {
                if (id & SM_DEL_KEYFLAG) continue;
                consider_vid(c, id);
            }
        }
    }
}

/* A listed word written short ("tech" for technology) near q: its
 * similarity as written, kept if above what q already found for it. */
static void consider_rewrite(void *ctx, const char *from, const char *to)
{
    lookup_ctx *c = ctx;
    size_t v;
    if (!sanctum_strmap_get(&c->idx->vocab, to, strlen(to), &v)) return;
    sm_tok t = voc_tok(c->idx, (uint32_t)v);
    t.raw = from;
    t.rawlen = (uint16_t)strlen(from);
    int how;
    double sim = sm_tok_sim(c->q, &t, &how);
    if (sim <= 0 || c->rc) return;
    sm_scratch *s = c->s;
    int seen = 0;
    for (size_t i = c->start; i < s->n_found; i++)
        if (s->found[i].vid == v) {
            seen = 1;
            if (s->found[i].sim < sim) s->found[i].sim = (float)sim;
        }
    /* not stamped: the lookups still to come may find the word itself */
    if (!seen) c->rc = push_found(s, (uint32_t)v, sim, 0.0, how);
}

/* Deletion variants of the spelling p (len letters), probed in the
 * vocabulary and, for the query's own spelling, among the rewritten words. */
static void probe_spelling(lookup_ctx *c, const char *p, int len, int rewrites)
{
    int k = sm_tok_del_k(len);
    if (k < 0) return;
    variants vs;
    vs.n = 0;
    vs.key_space = 0;
    sm_deletions(p, len, k, collect_variant, &vs);
    probe_variants(c, &vs);
    consider_flush(c); /* consider_rewrite() reads the found entries */
    if (rewrites)
        for (int i = 0; i < vs.n; i++) sm_rewrites_near(vs.h[i], consider_rewrite, c);
}

/* Finds every vocabulary token similar to q (see the soundness note). */
static int lookup_token(const sanctum_index *idx, sm_scratch *s, const sm_tok *q)
{
    bump(&s->vid_epoch, s->vid_stamp, idx->n_voc ? idx->n_voc : 1);
    lookup_ctx c = { .idx = idx, .s = s, .q = q, .start = s->n_found };
    if (q->vid >= 0) consider_vid(&c, (uint32_t)q->vid);
    if (q->flags & SM_TF_INITIAL) {
        consider_flush(&c);
        return c.rc;
    }
    /* a word the query wrote short ("tehc" is one slip from the listed
     * "tech", which is technology) */
    if (q->raw && q->raw != q->s) {
        int digits = 0;
        for (int i = 0; i < q->rawlen; i++) digits |= q->raw[i] >= '0' && q->raw[i] <= '9';
        if (!digits) probe_spelling(&c, q->raw, q->rawlen, 0);
    }
    if (q->flags & SM_TF_DIGIT) {
        consider_flush(&c);
        return c.rc;
    }
    variants vs;
    probe_spelling(&c, q->s, q->len, 1);
    if (q->key) {
        if (q->kid >= 0)
            for (uint32_t x = 0; x < idx->kv_n[q->kid]; x++) consider_vid(&c, idx->kv[idx->kv_off[q->kid] + x]);
        int kk = sm_key_del_k(q->klen);
        if (kk >= 0) {
            vs.n = 0;
            vs.key_space = 1;
            sm_deletions(q->key, q->klen, kk, collect_variant, &vs);
            probe_variants(&c, &vs);
        }
    }
    consider_flush(&c);
    return c.rc;
}

/* Tokenizes one folded form and looks its tokens up. */
static int prepare_form(const sanctum_index *idx, sm_scratch *s, qform *f, const char *text, size_t len,
                        sanctum_error *err)
{
    char tbuf[256], kbuf[SM_KEY_MAX], jbuf[2 * SM_EDIT_MAX_LEN * 4 + 8];
    sm_rawtok raw[SM_MAX_TOKENS];
    int trunc = 0;
    f->used = 0;
    f->n = 0;
    f->wsum = 0;
    f->has_initial = 0;
    f->text = form_put(f, text, len);
    if (!f->text) return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name too long");
    int nt = sm_tokenize(f->text, len, tbuf, sizeof tbuf, raw, SM_MAX_TOKENS, &trunc);
    if (trunc) return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name has more than %d words", SM_MAX_TOKENS);
    for (int i = 0; i < nt; i++) {
        sm_tok *t = &f->t[i];
        memset(t, 0, sizeof *t);
        t->s = form_put(f, raw[i].s, raw[i].len);
        if (!t->s) return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name too long");
        t->len = raw[i].len;
        t->cls = raw[i].cls;
        t->flags = raw[i].flags;
        t->vid = t->kid = t->jkid = -1;
        t->raw = t->s;
        t->rawlen = t->len;
        if (raw[i].rawlen != raw[i].len || memcmp(raw[i].raw, raw[i].s, raw[i].len) != 0) {
            t->raw = form_put(f, raw[i].raw, raw[i].rawlen);
            if (!t->raw) return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name too long");
            t->rawlen = raw[i].rawlen;
        }
        size_t v;
        if (sanctum_strmap_get(&idx->vocab, t->s, t->len, &v)) t->vid = (int32_t)v;
        f->jid[i] = sanctum_strmap_get(&idx->joined, t->s, t->len, &v) ? (int32_t)v : -1;
        f->letter[i] = t->s[0] >= 'a' && t->s[0] <= 'z' && sanctum_strmap_get(&idx->vocab, t->s, 1, &v) ? (int32_t)v : -1;
        if (t->vid >= 0 && idx->voc[t->vid].df >= SM_COMMON_DF) t->flags |= SM_TF_COMMON;
        if (t->vid >= 0) {
            /* a listed word: its key was computed when the index was built */
            t->kid = idx->voc[t->vid].kid;
            t->key = t->kid >= 0 ? idx->key_s[t->kid] : NULL;
            t->klen = t->kid >= 0 ? idx->key_len[t->kid] : 0;
        } else if (!(t->flags & SM_TF_DIGIT)) {
            size_t kl = sm_korean_key(t->s, t->len, kbuf);
            if (kl) {
                t->key = form_put(f, kbuf, kl);
                if (!t->key) return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name too long");
                t->klen = (uint16_t)kl;
                if (sanctum_strmap_get(&idx->keys, kbuf, kl, &v)) t->kid = (int32_t)v;
            }
        }
        if (t->flags & SM_TF_INITIAL) f->has_initial = 1;
    }
    f->n = nt;
    for (int i = 0; i + 1 < nt; i++) {
        sm_tok *a = &f->t[i], *b = a + 1;
        if (a->len < 2 || b->len < 2 || (size_t)a->len + b->len >= sizeof jbuf) continue;
        memcpy(jbuf, a->s, a->len);
        memcpy(jbuf + a->len, b->s, b->len);
        size_t jv;
        if (sanctum_strmap_get(&idx->vocab, jbuf, (size_t)a->len + b->len, &jv)) {
            a->jkid = idx->voc[jv].kid;
            a->jkey = a->jkid >= 0 ? idx->key_s[a->jkid] : NULL;
            a->jklen = a->jkid >= 0 ? idx->key_len[a->jkid] : 0;
            continue;
        }
        size_t kl = sm_korean_key(jbuf, (size_t)a->len + b->len, kbuf);
        if (kl) {
            a->jkey = form_put(f, kbuf, kl);
            if (!a->jkey) return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name too long");
            a->jklen = (uint16_t)kl;
            size_t v;
            if (sanctum_strmap_get(&idx->keys, kbuf, kl, &v)) a->jkid = (int32_t)v;
        }
    }
    /* similar vocabulary per token, and the weights that follow from it */
    for (int i = 0; i < nt; i++) {
        sm_tok *t = &f->t[i];
        /* the forms of one query (romanizations of a Hangul name, joined and
         * split spellings) repeat tokens: look each one up once */
        const qform *src = NULL;
        int at = -1;
        for (int k = 0; k <= s->n_forms && !src; k++) {
            const qform *o = k < s->n_forms ? &s->forms_v[k] : f;
            int lim = o == f ? i : o->n;
            for (int j = 0; j < lim; j++)
                if (o->t[j].len == t->len && o->t[j].flags == t->flags && o->t[j].cls == t->cls &&
                    memcmp(o->t[j].s, t->s, t->len) == 0 && o->t[j].rawlen == t->rawlen &&
                    memcmp(o->t[j].raw, t->raw, t->rawlen) == 0) {
                    src = o;
                    at = j;
                    break;
                }
        }
        if (src) {
            f->f_off[i] = src->f_off[at];
            f->f_n[i] = src->f_n[at];
        } else {
            f->f_off[i] = (uint32_t)s->n_found;
            int rc = lookup_token(idx, s, t);
            if (rc) return sanctum_error_set(err, rc, NULL, 0, "out of memory");
            f->f_n[i] = (uint32_t)(s->n_found - f->f_off[i]);
        }
        if (t->flags & SM_TF_INITIAL) {
            t->w = SM_WEIGHT_INITIAL;
        } else if (t->vid >= 0) {
            t->w = idx->voc[t->vid].w;
        } else {
            double bs = 0, bw = 0;
            for (uint32_t x = 0; x < f->f_n[i]; x++) {
                const found *fd = &s->found[f->f_off[i] + x];
                double w = idx->voc[fd->vid].w;
                if (fd->sim > bs || (fd->sim == bs && w < bw)) {
                    bs = fd->sim;
                    bw = w;
                }
            }
            if (bs > 0)
                t->w = bw;
            else if (f->jid[i] >= 0)
                t->w = idx->j_w[f->jid[i]];
            else
                t->w = idx->w_unseen * class_factor(t->cls);
        }
        f->wsum += t->w;
    }
    /* tokens from the lightest up, for choose_essential() */
    for (int i = 0; i < nt; i++) f->order[i] = (int8_t)i;
    for (int i = 1; i < nt; i++) {
        int8_t x = f->order[i];
        int j = i;
        while (j > 0 && f->t[f->order[j - 1]].w > f->t[x].w) {
            f->order[j] = f->order[j - 1];
            j--;
        }
        f->order[j] = x;
    }
    return 0;
}

/* ---- retrieval ---------------------------------------------------------------- */

static cand_row *row_of(const sm_scratch *s, size_t c) { return (cand_row *)(s->rows + c * s->row_size); }

/* Room for `cap` candidates with rows of n_slots similarities. */
static int cand_reserve(sm_scratch *s, size_t cap)
{
    size_t cap_name = s->cap_cand, cap_pass = s->cap_cand; /* the two arrays grow alike */
    uint32_t *cn = grow(s->cand_name, &cap_name, cap, sizeof *cn);
    if (!cn) return SANCTUM_ENOMEM;
    s->cand_name = cn;
    uint32_t *cp = grow(s->cand_pass, &cap_pass, cap, sizeof *cp);
    if (!cp) return SANCTUM_ENOMEM;
    s->cand_pass = cp;
    s->cap_cand = cap_name;
    s->row_size = (offsetof(cand_row, b) + (size_t)s->n_slots * sizeof(float) + 7) & ~(size_t)7;
    unsigned char *r = grow(s->rows, &s->cap_rows, s->cap_cand * s->row_size, 1);
    if (!r) return SANCTUM_ENOMEM;
    s->rows = r;
    return 0;
}

/* The candidate slot of a name, made when new if s->creating; -2 when the
 * name is not a candidate and may not become one, -1 when out of memory. */
static int cand_touch(sm_scratch *s, uint32_t name)
{
    uint32_t tag = s->name_tag[name];
    if (tag >> TAG_SLOT_BITS == s->name_epoch) return (int)(tag & TAG_SLOT_MASK);
    if (!s->creating) return -2;
    if (s->n_cand >= TAG_SLOT_MASK) return -3; /* more candidates than a tag holds */
    if (s->n_cand == s->cap_cand && cand_reserve(s, s->cap_cand * 2)) return -1;
    size_t c = s->n_cand++;
    s->name_tag[name] = s->name_epoch << TAG_SLOT_BITS | (uint32_t)c;
    s->cand_name[c] = name;
    memset(row_of(s, c), 0, s->row_size);
    return (int)c;
}

/* Marks a posting for a group: the similarity slots of its ops, the listed
 * positions touched (ln of them) and the forms it creates candidates for. */
static int mark(sm_scratch *s, uint32_t post, const walk_group *g, int ln)
{
    int c = cand_touch(s, post >> 6);
    if (c < 0) return c == -2 ? 0 : c == -3 ? RETRIEVE_FULL : SANCTUM_ENOMEM;
    cand_row *r = row_of(s, (size_t)c);
    float *b = r->b;
    r->mask |= (ln == 2 ? 3ULL : 1ULL) << (post & 63);
    r->slots |= g->slots;
    r->pair |= g->pair;
    r->forms |= g->creating;
    for (uint32_t k = g->head; k != UINT32_MAX; k = s->ops[k].next) {
        const walk_op *o = &s->ops[k];
        /* no branch: whether the name has a better option already is
         * unpredictable */
        b[o->sa] = b[o->sa] < o->sim ? o->sim : b[o->sa];
        b[o->sb] = b[o->sb] < o->sim ? o->sim : b[o->sb];
    }
    return 0;
}

static int walk_group_postings(const sanctum_index *idx, sm_scratch *s, const walk_group *g)
{
    const uint32_t *post;
    uint32_t n;
    int ln = 2;
    if (g->kind == WALK_WORD) {
        post = idx->post + idx->voc[g->id].post_off;
        n = idx->voc[g->id].post_n;
        ln = 1;
    } else if (g->kind == WALK_JOINED) {
        post = idx->jp + idx->jp_off[g->id];
        n = idx->jp_n[g->id];
    } else {
        post = idx->kj + idx->kj_off[g->id];
        n = idx->kj_n[g->id];
    }
    for (uint32_t p = 0; p < n; p++) {
        /* the tags of names a few postings on, fetched ahead */
        if (p + 8 < n) __builtin_prefetch(&s->name_tag[post[p + 8] >> 6]);
        int rc = mark(s, post[p], g, ln);
        if (rc) return rc;
    }
    return 0;
}

/* The vocabulary id of tokens t[0] and t[1] written together, canonical
 * (spelling 0) or as written (spelling 1): the id, or PAIR_UNLISTED,
 * PAIR_SAME (spelling 1 is spelling 0 again) or PAIR_LONG (too long to look
 * up). */
enum { PAIR_UNLISTED = -1, PAIR_SAME = -2, PAIR_LONG = -3 };
static long pair_vid(const sanctum_index *idx, const sm_tok *t, int spelling)
{
    char jbuf[2 * SM_EDIT_MAX_LEN * 4 + 8];
    const char *s1 = spelling ? t->raw : t->s, *s2 = spelling ? t[1].raw : t[1].s;
    size_t l1 = spelling ? t->rawlen : t->len, l2 = spelling ? t[1].rawlen : t[1].len;
    if (spelling && t->raw == t->s && t[1].raw == t[1].s) return PAIR_SAME;
    if (l1 + l2 >= sizeof jbuf) return PAIR_LONG;
    memcpy(jbuf, s1, l1);
    memcpy(jbuf + l1, s2, l2);
    size_t v;
    return sanctum_strmap_get(&idx->vocab, jbuf, l1 + l2, &v) ? (long)v : PAIR_UNLISTED;
}

static uint32_t gtab_slot(uint32_t vid, size_t cap)
{
    return (uint32_t)((vid * 0x9E3779B1u) >> 8) & (uint32_t)(cap - 1);
}

/* Empties the word table, n slots (a power of two), and enters the word
 * groups made so far. */
static int gtab_reset(sm_scratch *s, size_t n)
{
    uint32_t *t = grow(s->gtab, &s->gtab_cap, n, sizeof *t);
    if (!t) return SANCTUM_ENOMEM;
    s->gtab = t;
    s->gtab_n = n;
    memset(s->gtab, 0, n * sizeof *s->gtab);
    for (size_t g = 0; g < s->n_groups; g++) {
        if (s->groups[g].kind != WALK_WORD) continue;
        uint32_t h = gtab_slot(s->groups[g].id, n);
        while (s->gtab[h]) h = (h + 1) & (uint32_t)(n - 1);
        s->gtab[h] = (uint32_t)g + 1;
    }
    return 0;
}

/* Adds an op (for slots sa and sb) to the group walking `id`, made when
 * new, which then creates candidates for the forms in `creating` too;
 * words share one group, the other kinds get one each. An op for the same
 * slots as one the group has merges with it. */
static int add_op(sm_scratch *s, int kind, uint32_t id, uint8_t creating, uint16_t sa, uint16_t sb, float sim)
{
    if (2 * (s->n_groups + 1) > s->gtab_n) {
        int rc = gtab_reset(s, 2 * s->gtab_n);
        if (rc) return rc;
    }
    walk_op *o = grow(s->ops, &s->cap_ops, s->n_ops + 1, sizeof *o);
    if (!o) return SANCTUM_ENOMEM;
    s->ops = o;
    uint32_t *slot = NULL;
    walk_group *g = NULL;
    if (kind == WALK_WORD) {
        uint32_t h = gtab_slot(id, s->gtab_n);
        while (s->gtab[h] && s->groups[s->gtab[h] - 1].id != id) h = (h + 1) & (uint32_t)(s->gtab_n - 1);
        slot = &s->gtab[h];
        if (*slot) g = &s->groups[*slot - 1];
    }
    if (!g) {
        walk_group *ng = grow(s->groups, &s->cap_groups, s->n_groups + 1, sizeof *ng);
        if (!ng) return SANCTUM_ENOMEM;
        s->groups = ng;
        g = &s->groups[s->n_groups++];
        *g = (walk_group){ id, UINT32_MAX, (uint8_t)kind, 0, 0, 0 };
        if (slot) *slot = (uint32_t)s->n_groups;
    }
    g->creating |= creating;
    g->slots |= (sa < 64 ? 1ULL << sa : 0) | (sb < 64 ? 1ULL << sb : 0);
    if (sa && sb) g->pair = 1;
    for (uint32_t k = g->head; k != UINT32_MAX; k = s->ops[k].next)
        if (s->ops[k].sa == sa && s->ops[k].sb == sb) {
            if (s->ops[k].sim < sim) s->ops[k].sim = sim;
            return 0;
        }
    s->ops[s->n_ops] = (walk_op){ g->head, sa, sb, sim };
    g->head = (uint32_t)s->n_ops++;
    return 0;
}

/* The options of the essential tokens of form k (see plan_retrieval()). */
static int form_ops(const sanctum_index *idx, sm_scratch *s, const qform *f, int k)
{
    int nq = f->n, rc;
    const uint16_t *sl = s->slot_of[k];
    uint8_t me = (uint8_t)(1u << k);
    for (int i = 0; i < nq; i++) {
        const sm_tok *t = &f->t[i];
        int ess_i = (int)(f->ess >> i & 1);
        uint8_t cr_i = (f->create >> i & 1) ? me : 0;
        uint8_t cr_pair = cr_i || (i + 1 < nq && (f->create >> (i + 1) & 1)) ? me : 0;
        if (ess_i) {
            /* listed initials the token may stand for */
            if (f->letter[i] >= 0 &&
                (rc = add_op(s, WALK_WORD, (uint32_t)f->letter[i], (f->create_init >> i & 1) ? me : 0, sl[i], 0,
                             (float)SM_SIM_INITIAL)))
                return rc;
            for (uint32_t x = 0; x < f->f_n[i]; x++) {
                const found *fd = &s->found[f->f_off[i] + x];
                if ((rc = add_op(s, WALK_WORD, fd->vid, cr_i, sl[i], 0, fd->sim))) return rc;
            }
            if (t->len >= 4) {
                if (f->jid[i] >= 0 &&
                    (rc = add_op(s, WALK_JOINED, (uint32_t)f->jid[i], cr_i, sl[i], 0, (float)SM_SIM_JOINED)))
                    return rc;
                if (t->kid >= 0 && idx->kj_n[t->kid] &&
                    (rc = add_op(s, WALK_KEY_JOINED, (uint32_t)t->kid, cr_i, sl[i], 0, (float)SM_SIM_JOINED_ROMAN)))
                    return rc;
            }
        }
        if (i + 1 < nq && (ess_i || (f->ess >> (i + 1) & 1)) && t->len >= 2 && t[1].len >= 2) {
            for (int spelling = 0; spelling < 2; spelling++) {
                long v = pair_vid(idx, t, spelling);
                if (v == PAIR_SAME) break;
                if (v >= 0 && (rc = add_op(s, WALK_WORD, (uint32_t)v, cr_pair, sl[i], sl[i + 1], (float)SM_SIM_JOINED)))
                    return rc;
            }
            if (t->jkid >= 0)
                for (uint32_t x = 0; x < idx->kv_n[t->jkid]; x++)
                    if ((rc = add_op(s, WALK_WORD, idx->kv[idx->kv_off[t->jkid] + x], cr_pair, sl[i], sl[i + 1],
                                     (float)SM_SIM_JOINED_ROMAN)))
                        return rc;
        }
    }
    return 0;
}

/* Gives each essential token of the forms a similarity slot (from 1 on),
 * one per distinct word: a slot then holds the best option of every form
 * with that word, at least the form's own, which only loosens its bound. */
static void assign_slots(sm_scratch *s, const int *forms, int nf)
{
    const sm_tok *word[SM_MAX_FORMS * SM_MAX_TOKENS + 1]; /* a token of each slot's word */
    s->n_slots = 1;
    for (int k = 0; k < nf; k++) {
        const qform *f = &s->forms_v[forms[k]];
        for (int i = 0; i < f->n; i++) {
            const sm_tok *t = &f->t[i];
            int sl = 0;
            if (f->ess >> i & 1) {
                sl = 1;
                while (sl < s->n_slots && !(word[sl]->len == t->len && !memcmp(word[sl]->s, t->s, t->len))) sl++;
                if (sl == s->n_slots) word[s->n_slots++] = t;
            }
            s->slot_of[k][i] = (uint16_t)sl;
        }
    }
}

/* Retrieves the candidates of several forms at once: every option of
 * their essential tokens is collected, each word walked once for all the
 * options that have it, the creating ones first; the others only refine
 * the candidates made. */
static int retrieve(const sanctum_index *idx, sm_scratch *s, const int *forms, int nf)
{
    if (++s->name_epoch == TAG_EPOCHS) {
        memset(s->name_tag, 0, (idx->n_names ? idx->n_names : 1) * sizeof *s->name_tag);
        s->name_epoch = 1;
    }
    s->n_cand = 0;
    s->n_ops = s->n_groups = 0;
    assign_slots(s, forms, nf);
    size_t words = 0; /* about how many words the options walk */
    for (int k = 0; k < nf; k++) {
        const qform *f = &s->forms_v[forms[k]];
        for (int i = 0; i < f->n; i++) words += f->f_n[i] + 3;
    }
    size_t n = 64;
    while (n < 2 * words) n *= 2;
    int rc = gtab_reset(s, n);
    if (!rc) rc = cand_reserve(s, s->cap_cand ? s->cap_cand : 1024);
    for (int k = 0; k < nf && !rc; k++) rc = form_ops(idx, s, &s->forms_v[forms[k]], k);
    if (rc) return rc;
    for (int pass = 0; pass < 2; pass++) {
        s->creating = pass == 0;
        for (size_t g = 0; g < s->n_groups; g++)
            if ((s->groups[g].creating != 0) == s->creating && (rc = walk_group_postings(idx, s, &s->groups[g])))
                return rc;
    }
    return 0;
}

/* ---- filters ------------------------------------------------------------------- */

typedef struct qfilter {
    unsigned types;
    const char *lists;
    const char *programs;
} qfilter;

static int same_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

static int in_csv(const char *csv, const char *s)
{
    if (!s) return 0;
    size_t sl = strlen(s);
    const char *p = csv;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        const char *e = p;
        while (*e && *e != ',') e++;
        const char *te = e;
        while (te > p && te[-1] == ' ') te--;
        if ((size_t)(te - p) == sl && same_nocase(p, s, sl)) return 1;
        p = e;
    }
    return 0;
}

static int entity_passes(const sanctum_entity *e, const qfilter *qf)
{
    if (qf->types && qf->types != SANCTUM_TYPE_ANY && !(e->type & qf->types)) return 0;
    if (qf->lists && !in_csv(qf->lists, e->source)) return 0;
    if (qf->programs) {
        int ok = 0;
        for (size_t i = 0; i < e->n_programs && !ok; i++) ok = in_csv(qf->programs, e->programs[i]);
        if (!ok) return 0;
    }
    return 1;
}

/* ---- scoring ------------------------------------------------------------------- */

static int better(const best *a, double score, int form, uint32_t name)
{
    if (score != a->name_score) return score > a->name_score;
    if (form != a->form) return form < a->form;
    return name < a->name;
}

static int record(sm_scratch *s, const sanctum_index *idx, uint32_t name, int form, double score)
{
    uint32_t ent = idx->names[name].entity;
    if (s->ent_stamp[ent] == s->ent_epoch) {
        best *b = &s->best[s->ent_slot[ent]];
        if (better(b, score, form, name)) {
            b->name = name;
            b->form = form;
            b->name_score = score;
        }
        return 0;
    }
    best *nb = grow(s->best, &s->cap_best, s->n_best + 1, sizeof *nb);
    if (!nb) return SANCTUM_ENOMEM;
    s->best = nb;
    s->ent_stamp[ent] = s->ent_epoch;
    s->ent_slot[ent] = (uint32_t)s->n_best;
    best *b = &s->best[s->n_best++];
    b->id = idx->ents[ent]->id;
    b->ent = ent;
    b->name = name;
    b->form = form;
    b->name_score = score;
    b->score = 0;
    return 0;
}

/* Which joined options the form can have (see sm_simtab): the index holds
 * every listed pair written together, as written and canonical, with its
 * key, and every listed word's key; the same tests retrieve() makes. */
static void join_masks(const sanctum_index *idx, const qform *f, uint64_t *one, uint64_t *two)
{
    *one = *two = 0;
    for (int i = 0; i < f->n; i++) {
        const sm_tok *t = &f->t[i];
        if (t->len >= 4 && (f->jid[i] >= 0 ||
                            (t->len >= SM_JOIN_KEY_MIN_LEN && t->kid >= 0 && idx->kj_n[t->kid])))
            *one |= 1ULL << i;
        if (i + 1 >= f->n || t->len < 2 || t[1].len < 2) continue;
        if (t->jkid >= 0 && idx->kv_n[t->jkid]) *two |= 1ULL << i;
        for (int spelling = 0; spelling < 2 && !(*two >> i & 1); spelling++) {
            long pv = pair_vid(idx, t, spelling);
            if (pv == PAIR_SAME) break;
            if (pv >= 0 || pv == PAIR_LONG) *two |= 1ULL << i; /* too long to look up: tried anyway */
        }
    }
}

/* The signature bits of each token of the form (see sm_sig_bit()). */
static void form_sigs(const sanctum_index *idx, const sm_scratch *s, qform *f)
{
    join_masks(idx, f, &f->join_one, &f->join_two);
    uint64_t joins = f->join_one | f->join_two | f->join_two << 1;
    f->capped = f->initials = 0;
    for (int i = 0; i < f->n; i++) {
        const sm_tok *t = &f->t[i];
        uint64_t g;
        if (joins >> i & 1) {
            g = ~0ULL; /* a joined option needs no shared word */
        } else if (t->flags & SM_TF_INITIAL) {
            /* an initial is similar to the words it begins, and to the
             * words and initials with its Korean key */
            g = sm_sig_bit(SM_SIG_FIRST, (unsigned char)t->s[0]);
            if (t->kid >= 0) {
                g |= sm_sig_bit(SM_SIG_KEY, (uint32_t)t->kid);
                if (idx->kv_n[t->kid] > 16) g = ~0ULL;
                for (uint32_t x = 0; x < idx->kv_n[t->kid] && g != ~0ULL; x++)
                    g |= sm_sig_bit(SM_SIG_WORD, idx->kv[idx->kv_off[t->kid] + x]);
            }
            f->initials |= 1ULL << i;
        } else {
            /* similar only to the words of its found list and to initials:
             * the heaviest of those caps the listed weight it can take */
            g = f->cap_bit[i] = sm_sig_bit(SM_SIG_INITIAL, (unsigned char)t->s[0]);
            if (t->kid >= 0) g |= sm_sig_bit(SM_SIG_KEY, (uint32_t)t->kid);
            double cap = 0;
            for (uint32_t x = 0; x < f->f_n[i]; x++) {
                uint32_t v = s->found[f->f_off[i] + x].vid;
                g |= sm_sig_bit(SM_SIG_WORD, v);
                if (idx->voc[v].w > cap) cap = idx->voc[v].w;
            }
            f->cap[i] = cap;
            f->capped |= 1ULL << i;
        }
        f->sig[i] = g;
    }
}

/* The form's found lists by vocabulary id, for score_name(). */
static int fill_simtab(const sm_scratch *s, const qform *f, sm_simtab *tab)
{
    size_t total = 0;
    for (int i = 0; i < f->n; i++)
        if (!(f->t[i].flags & SM_TF_INITIAL)) total += f->f_n[i];
    int rc = sm_simtab_reset(tab, total);
    for (int i = 0; i < f->n && !rc; i++) {
        if (f->t[i].flags & SM_TF_INITIAL) continue; /* scored directly */
        for (uint32_t x = 0; x < f->f_n[i] && !rc; x++) {
            const found *fd = &s->found[f->f_off[i] + x];
            if (fd->exact > 0) rc = sm_simtab_add(tab, fd->vid, i, fd->exact, fd->how);
        }
    }
    tab->join_one = f->join_one;
    tab->join_two = f->join_two;
    return rc;
}

/* tab: the form's similarities (fill_simtab), or NULL to compute every pair.
 * need > 0: a score below need may be returned as any value below need. */
static int score_name(const sanctum_index *idx, sm_scratch *s, const qform *f, uint32_t name, const sm_simtab *tab,
                      double need, double *out)
{
    const sm_name *nm = &idx->names[name];
    double weak = nm->weak ? SM_WEAK_FACTOR : 1.0;
    sm_name_score ns;
    int rc = sm_score_seq(f->t, f->n, f->wsum, idx->toks + nm->tok, nm->ntok, nm->wsum, &s->opts, tab,
                          need > 0 ? need / weak : 0, NULL, &ns);
    if (rc) return rc;
    *out = ns.score * weak;
    return 0;
}

/* The bits set in x, counted up to n. */
static int bits_upto(uint64_t x, int n)
{
    int k = 0;
    for (; k < n && x; k++) x &= x - 1;
    return k;
}

/* How many of ne essential tokens an alignment can score: it gives each
 * listed word to one query word, and the words walked reach every listed
 * word similar to an essential token, so unless an option of two query
 * words written together reached the name (pair), no more than the name
 * has words touched (mask). */
static int ess_scoring(int ne, uint64_t mask, uint32_t pair) { return pair ? ne : bits_upto(mask, ne); }

/* The sum of the m heaviest of wb[0..ne) (m < ne): the essential tokens'
 * w_i b_i an alignment can reach when only m of them score. */
static double heaviest_sum(const double *wb, int ne, int m)
{
    double sum = 0;
    uint64_t taken = 0;
    for (int k = 0; k < m; k++) {
        int at = -1;
        for (int e = 0; e < ne; e++)
            if (!(taken >> e & 1) && (at < 0 || wb[e] > wb[at])) at = e;
        taken |= 1ULL << at;
        sum += wb[at];
    }
    return sum;
}

/* Upper bound of the name score of candidate c (see the note at the top):
 * essential tokens contribute their best found similarity, the others 1;
 * listed tokens no walked option touched can only be taken by the
 * non-essential tokens that may be similar to one of the name's words (the
 * signature test; part->open gets them), at most two each. Returns early
 * (with a value below `need`) as soon as the query side alone rules the
 * name out. Asked only for candidates the sum over b alone did not rule
 * out (score_candidates()): that test needs no read of the name, and one
 * near the threshold is made here again exactly. */
typedef struct ub_parts {
    uint64_t open;   /* non-essential tokens the signature test let through */
    double ul_base;  /* listed weight bound, all but the capped open tokens' share */
    double h;        /* the heaviest untouched listed weight */
} ub_parts;

static double upper_bound(const sanctum_index *idx, const qform *f, uint32_t name, const float *b, uint64_t mask,
                          uint32_t pair, double need, ub_parts *part)
{
    double uq = 0, se = 0, wb[SM_MAX_TOKENS];
    int ne = 0;
    const sm_name *nm = &idx->names[name];
    double weak = nm->weak ? SM_WEAK_FACTOR : 1.0;
    /* a non-essential token sharing no signature bit with the name is
     * similar to none of its words */
    uint64_t open = 0;
    for (int i = 0; i < f->n; i++)
        if (f->ess >> i & 1) {
            wb[ne] = f->t[i].w * b[i];
            se += wb[ne++];
        } else if (nm->sig & f->sig[i]) {
            uq += f->t[i].w;
            open |= 1ULL << i;
        }
    int scoring = ess_scoring(ne, mask, pair);
    uq += scoring < ne ? heaviest_sum(wb, ne, scoring) : se;
    part->open = open;
    uq = f->wsum > 0 ? uq / f->wsum : 0;
    if (uq > 1) uq = 1;
    double quick = sm_blend(uq, 1.0) * weak;
    if (quick < need) return quick;
    const double *lw = idx->tok_w + nm->tok;
    double ul = 0;
    double top[2 * SM_MAX_TOKENS + 1];
    /* open tokens with a joined option may take two listed words each,
     * initials one, the capped ones one each, of weight at most their cap
     * (form_sigs()) */
    uint64_t capped = open & f->capped;
    int free_slots = 2 * __builtin_popcountll(open & ~capped & ~f->initials) +
                     __builtin_popcountll(open & ~capped & f->initials);
    int nt = 0, slots = free_slots + (capped != 0);
    for (int j = 0; j < nm->ntok; j++) {
        if (mask >> j & 1) {
            ul += lw[j];
        } else if (slots > 0) {
            /* keep the `slots` heaviest untouched weights */
            double w = lw[j];
            int k;
            if (nt < slots) {
                k = nt++;
            } else if (w > top[slots - 1]) {
                k = slots - 1;
            } else {
                continue;
            }
            top[k] = w;
            while (k > 0 && top[k - 1] < top[k]) {
                double x = top[k - 1];
                top[k - 1] = top[k];
                top[k] = x;
                k--;
            }
        }
    }
    /* the others may take the heaviest untouched words; each capped one
     * at most one more, of weight at most its cap and the heaviest */
    for (int k = 0; k < nt && k < free_slots; k++) ul += top[k];
    part->ul_base = ul;
    part->h = nt ? top[0] : 0;
    for (uint64_t m = capped; m; m &= m - 1) {
        int i = __builtin_ctzll(m);
        double cap = f->cap[i];
        if ((nm->sig & f->cap_bit[i]) && cap < SM_WEIGHT_INITIAL) cap = SM_WEIGHT_INITIAL;
        ul += cap < part->h ? cap : part->h;
    }
    ul = nm->wsum > 0 ? ul / nm->wsum : 0;
    if (ul > 1) ul = 1;
    return sm_blend(uq, ul) * weak;
}

/* A second bound for a candidate upper_bound() let through: the
 * non-essential tokens in `want` (open ones no joined option can take) at
 * their best similarity with the name's own words instead of 1, and the
 * capped ones bringing the listed side only what their best word can; the
 * other open ones at 1, the rest at 0. The similarity table must be filled. */
static double tight_bound(const sanctum_index *idx, const qform *f, uint32_t name,
                          const float *b, uint64_t want, const ub_parts *part, const sm_simtab *tab)
{
    const sm_name *nm = &idx->names[name];
    float b2[SM_MAX_TOKENS];
    double bw[SM_MAX_TOKENS];
    sm_best_sims(f->t, want, idx->toks + nm->tok, idx->tok_vid + nm->tok, idx->tok_w + nm->tok, nm->ntok,
                 tab, b2, bw);
    double uq = 0, ul = part->ul_base;
    for (int i = 0; i < f->n; i++)
        uq += f->t[i].w * ((f->ess >> i & 1) ? b[i] : (want >> i & 1) ? b2[i] : (part->open >> i & 1) ? 1.0 : 0.0);
    for (uint64_t m = part->open & f->capped; m; m &= m - 1) {
        int i = __builtin_ctzll(m); /* capped tokens are always in want */
        ul += bw[i] < part->h ? bw[i] : part->h;
    }
    uq = f->wsum > 0 ? uq / f->wsum : 0;
    if (uq > 1) uq = 1;
    ul = nm->wsum > 0 ? ul / nm->wsum : 0;
    if (ul > 1) ul = 1;
    return sm_blend(uq, ul) * (nm->weak ? SM_WEAK_FACTOR : 1.0);
}

typedef struct qctx {
    sm_query_dob dob;
    int country;
    double min_score;
    double max_boost;
    size_t limit;
    qfilter filter;
    int latin;
} qctx;

/* Completes the found lists of the form's initials: a single letter is
 * similar to every vocabulary word it begins (and to words with its Korean
 * key), which lookup_token() leaves out because there are so many. */
static int find_initials(const sanctum_index *idx, sm_scratch *s, qform *f)
{
    for (int i = 0; i < f->n; i++) {
        const sm_tok *q = &f->t[i];
        if (!(q->flags & SM_TF_INITIAL)) continue;
        bump(&s->vid_epoch, s->vid_stamp, idx->n_voc ? idx->n_voc : 1);
        lookup_ctx c = { .idx = idx, .s = s, .q = q, .start = s->n_found };
        f->f_off[i] = (uint32_t)s->n_found;
        if (q->vid >= 0) consider_vid(&c, (uint32_t)q->vid);
        if (q->kid >= 0)
            for (uint32_t x = 0; x < idx->kv_n[q->kid]; x++) consider_vid(&c, idx->kv[idx->kv_off[q->kid] + x]);
        for (size_t v = 0; v < idx->n_voc && !c.rc; v++)
            if (idx->voc[v].s[0] == q->s[0]) consider_vid(&c, (uint32_t)v);
        consider_flush(&c);
        if (c.rc) return c.rc;
        f->f_n[i] = (uint32_t)(s->n_found - f->f_off[i]);
    }
    return 0;
}

/* Essential tokens (MaxScore): every initial (unless find_initials() has
 * completed their found lists: then they count as ordinary tokens), then the lightest tokens for
 * as long as a name reached by none of the essential ones cannot reach
 * `need`: such a name has Cq <= w_nonessential / W, so its score is at most
 * blend(w_nonessential / W, 1). Returns 0 when no such split exists (the
 * initials alone could reach `need`): the form is then screened exhaustively. */
static int choose_essential(qform *f, double need, int initials_found)
{
    f->ess = 0;
    f->n_ness = 0;
    f->w_ness = 0;
    if (f->wsum <= 0) return 0;
    for (int i = 0; i < f->n; i++)
        if ((f->t[i].flags & SM_TF_INITIAL) && !initials_found) {
            f->n_ness++;
            f->w_ness += f->t[i].w;
        } else {
            f->ess |= 1ULL << i;
        }
    if (f->ess == 0 || sm_blend(f->w_ness / f->wsum, 1.0) >= need) return 0;
    for (int k = 0; k < f->n; k++) {
        int i = f->order[k];
        if (!(f->ess >> i & 1)) continue;
        if (f->ess == 1ULL << i) break; /* keep at least one */
        double share = (f->w_ness + f->t[i].w) / f->wsum;
        if (share > SM_NESS_FRACTION || sm_blend(share, 1.0) >= need - SM_NESS_MARGIN) break;
        f->ess &= ~(1ULL << i);
        f->n_ness++;
        f->w_ness += f->t[i].w;
    }
    return 1;
}

/* The walks (other than vocabulary words) of a query: kind and id in one. */
static uint32_t walk_code(int kind, uint32_t id) { return (uint32_t)(kind == WALK_KEY_JOINED) << 31 | id; }

static int walk_known(const sm_scratch *s, int kind, uint32_t id)
{
    uint32_t code = walk_code(kind, id);
    for (int i = 0; i < s->n_walks; i++)
        if (s->walks[i] == code) return 1;
    return 0;
}

/* Notes that a planned form creates candidates from a walk (when the note
 * is full the walk is simply not known: planning then only costs more). */
static void walk_note(sm_scratch *s, int kind, uint32_t id)
{
    if (kind == WALK_WORD) {
        s->walk_stamp[id] = s->walk_epoch;
    } else if (!walk_known(s, kind, id) && s->n_walks < (int)(sizeof s->walks / sizeof s->walks[0])) {
        s->walks[s->n_walks++] = walk_code(kind, id);
    }
}

/* What making candidates from token i costs, in postings walked: its
 * similar words and joined options (*strong), and the listed initials it
 * may stand for (*initial: the single letter it begins, often a long list);
 * *strong_new and *initial_new leave out the walks a form planned before
 * creates from already (they are walked once for all). */
static void token_cost(const sanctum_index *idx, const sm_scratch *s, const qform *f, int i, double *strong,
                       double *initial, double *strong_new, double *initial_new)
{
    const sm_tok *t = &f->t[i];
    double c = 0, cn = 0;
    for (uint32_t x = 0; x < f->f_n[i]; x++) {
        uint32_t v = s->found[f->f_off[i] + x].vid, n = idx->voc[v].post_n;
        c += n;
        if (s->walk_stamp[v] != s->walk_epoch) cn += n;
    }
    if (t->len >= 4) {
        if (f->jid[i] >= 0) {
            c += idx->jp_n[f->jid[i]];
            if (!walk_known(s, WALK_JOINED, (uint32_t)f->jid[i])) cn += idx->jp_n[f->jid[i]];
        }
        if (t->kid >= 0) {
            c += idx->kj_n[t->kid];
            if (!walk_known(s, WALK_KEY_JOINED, (uint32_t)t->kid)) cn += idx->kj_n[t->kid];
        }
    }
    *strong = c;
    *strong_new = cn;
    *initial = *initial_new = 0;
    if (f->letter[i] >= 0) {
        *initial = idx->voc[f->letter[i]].post_n;
        if (s->walk_stamp[f->letter[i]] != s->walk_epoch) *initial_new = *initial;
    }
}

/* Notes the walks form f creates candidates from (as form_ops() makes
 * them), for the forms planned after it. */
static void note_creating(const sanctum_index *idx, sm_scratch *s, const qform *f)
{
    for (int i = 0; i < f->n; i++) {
        const sm_tok *t = &f->t[i];
        if (f->create >> i & 1) {
            for (uint32_t x = 0; x < f->f_n[i]; x++) walk_note(s, WALK_WORD, s->found[f->f_off[i] + x].vid);
            if (t->len >= 4) {
                if (f->jid[i] >= 0) walk_note(s, WALK_JOINED, (uint32_t)f->jid[i]);
                if (t->kid >= 0 && idx->kj_n[t->kid]) walk_note(s, WALK_KEY_JOINED, (uint32_t)t->kid);
            }
        }
        if ((f->create_init >> i & 1) && f->letter[i] >= 0) walk_note(s, WALK_WORD, (uint32_t)f->letter[i]);
    }
}

/* Which options of the essential tokens create candidates; the others only
 * refine the candidates made. A name no creating option reaches has, per
 * essential token, similarity 0 when all its options create, at most
 * SM_SIM_INITIAL when all but the listed-initial walk do, and at most 1
 * otherwise; any choice keeping that bound's blend below `need` is sound.
 * Heaviest tokens first, all options creating: the plan when there are too
 * many tokens to weigh every choice (see plan_retrieval()). */
static void choose_creating(qform *f, double need)
{
    f->create = 0;
    f->create_init = 0;
    double w_create = 0;
    for (int k = f->n - 1; k >= 0; k--) {
        int i = f->order[k];
        if (!(f->ess >> i & 1)) continue;
        f->create |= 1ULL << i;
        f->create_init |= 1ULL << i;
        w_create += f->t[i].w;
        if (sm_blend((f->wsum - w_create) / f->wsum, 1.0) < need - SM_NESS_MARGIN) break;
    }
}

/* Relative cost of walking a posting that may only refine candidates
 * (no candidate is made, so no bound is computed for it later). */
#define REFINE_COST 0.3
/* Relative cost of a candidate the quick bound cannot rule out: the name
 * and its weights are read from wherever they are in memory, often a miss
 * of every cache, where postings are read in order. */
#ifndef BOUND_COST
#define BOUND_COST 8.0
#endif
#define PLAN_MAX_TOKENS 6

/* Depth-first search over the token states of plan_retrieval(), cheapest
 * first found kept; a branch already dearer than the best plan, or leaving
 * out too much weight, is cut. */
typedef struct plan_search {
    const qform *f;
    const int *tok;
    int nt;
    const double *cs, *ci;  /* per token: postings of its strong options, of its initial walk */
    const double *ns, *ni;  /* ... of those no form planned before walks to create */
    uint64_t ess0;          /* tokens the weights make essential: they may not stay out */
    double fixed;           /* weight of the initials left out */
    double need;
    double cheapest;        /* < 0: no plan yet */
    int cur[PLAN_MAX_TOKENS], best[PLAN_MAX_TOKENS];
} plan_search;

static void plan_dfs(plan_search *ps, int j, double w0, double reach, double cost)
{
    if (ps->cheapest >= 0 && cost >= ps->cheapest) return;
    double wsum = ps->f->wsum, ness = ps->fixed + w0;
    if (w0 > 0 && ness / wsum > SM_NESS_FRACTION) return;
    if (j == ps->nt) {
        if (sm_blend(ness / wsum, 1.0) >= ps->need - SM_NESS_MARGIN) return;
        if (sm_blend((ness + reach) / wsum, 1.0) >= ps->need - SM_NESS_MARGIN) return;
        /* candidates one creating option makes, and the weight left out
         * alone lets past the quick bound, need the full one */
        for (int k = 0; k < ps->nt; k++) {
            double w = ps->f->t[ps->tok[k]].w;
            if (ps->cur[k] >= 2 && sm_blend((ness + w) / wsum, 1.0) >= ps->need) cost += BOUND_COST * ps->cs[k];
            if (ps->cur[k] == 3 && sm_blend((ness + w * SM_SIM_INITIAL) / wsum, 1.0) >= ps->need)
                cost += BOUND_COST * ps->ci[k];
        }
        if (ps->cheapest >= 0 && cost >= ps->cheapest) return;
        ps->cheapest = cost;
        memcpy(ps->best, ps->cur, sizeof ps->best);
        return;
    }
    double w = ps->f->t[ps->tok[j]].w;
    /* every option creating first: the plan most likely sound, so that the
     * cost bound starts cutting early */
    ps->cur[j] = 3;
    plan_dfs(ps, j + 1, w0, reach, cost + ps->ns[j] + ps->ni[j]);
    ps->cur[j] = 2;
    plan_dfs(ps, j + 1, w0, reach + w * SM_SIM_INITIAL, cost + ps->ns[j] + REFINE_COST * ps->ni[j]);
    ps->cur[j] = 1;
    plan_dfs(ps, j + 1, w0, reach + w, cost + REFINE_COST * (ps->ns[j] + ps->ni[j]));
    if (!(ps->ess0 >> ps->tok[j] & 1)) {
        ps->cur[j] = 0;
        plan_dfs(ps, j + 1, w0 + w, reach, cost);
    }
}

/* Plans retrieval for a form: which tokens are essential, and which of
 * their options create candidates. Each token is one of
 *   0  non-essential: not walked; counts 1 in every bound;
 *   1  essential, refining only: counts 1 for names never made candidates;
 *   2  essential, similar words and joined options create, listed initials
 *      refine: counts SM_SIM_INITIAL for names never made candidates;
 *   3  essential, every option creates: counts 0.
 * Sound plans keep blend(non-essential weight / W, 1) and blend(what a name
 * never made a candidate can collect / W, 1) below `need`, with at most
 * SM_NESS_FRACTION of the weight non-essential (more loosens the bound of
 * every candidate). Among them the one walking the fewest postings is taken;
 * with more than PLAN_MAX_TOKENS tokens the weights decide instead. Returns 0
 * when no plan exists (initials alone could reach `need`). */
static int plan_retrieval(const sanctum_index *idx, const sm_scratch *s, qform *f, double need, int initials_found)
{
    if (!choose_essential(f, need, initials_found)) return 0;
    uint64_t ess0 = f->ess;
    int tok[SM_MAX_TOKENS], nt = 0;
    double fixed = 0; /* initials left out */
    for (int i = 0; i < f->n; i++) {
        if ((f->t[i].flags & SM_TF_INITIAL) && !initials_found)
            fixed += f->t[i].w;
        else
            tok[nt++] = i;
    }
    if (nt > PLAN_MAX_TOKENS) {
        choose_creating(f, need);
        return 1;
    }
    double cs[PLAN_MAX_TOKENS], ci[PLAN_MAX_TOKENS], ns[PLAN_MAX_TOKENS], ni[PLAN_MAX_TOKENS];
    for (int j = 0; j < nt; j++) token_cost(idx, s, f, tok[j], &cs[j], &ci[j], &ns[j], &ni[j]);
    plan_search ps = { f, tok, nt, cs, ci, ns, ni, ess0, fixed, need, -1, { 0 }, { 0 } };
    plan_dfs(&ps, 0, 0, 0, 0);
    if (ps.cheapest < 0) { /* no plan within the limits: the weights decide */
        choose_creating(f, need);
        return 1;
    }
    f->ess = f->create = f->create_init = 0;
    f->n_ness = 0;
    f->w_ness = fixed;
    for (int i = 0; i < f->n; i++)
        if ((f->t[i].flags & SM_TF_INITIAL) && !initials_found) f->n_ness++;
    for (int j = 0; j < nt; j++) {
        uint64_t bit = 1ULL << tok[j];
        switch (ps.best[j]) {
        case 0:
            f->n_ness++;
            f->w_ness += f->t[tok[j]].w;
            break;
        case 1: f->ess |= bit; break;
        case 2: f->ess |= bit; f->create |= bit; break;
        default: f->ess |= bit; f->create |= bit; f->create_init |= bit; break;
        }
    }
    return 1;
}

/* Screens one form against every name. */
static int screen_all_names(const sanctum_index *idx, sm_scratch *s, int form, const qctx *qc)
{
    const qform *f = &s->forms_v[form];
    for (size_t n = 0; n < idx->n_names; n++) {
        if (!entity_passes(idx->ents[idx->names[n].entity], &qc->filter)) continue;
        double sc;
        int rc = score_name(idx, s, f, (uint32_t)n, NULL, 0, &sc);
        if (!rc && sc > 0) rc = record(s, idx, (uint32_t)n, form, sc);
        if (rc) return rc;
    }
    return 0;
}

/* The score a name and the names spelled like it must reach to matter:
 * need, or more when each of their entities has a name (of some form)
 * scoring more already, which a lower score cannot displace (better()). */
static double name_bar(const sanctum_index *idx, const sm_scratch *s, uint32_t name, double need)
{
    double lo = -1;
    for (uint32_t n = name; n != UINT32_MAX; n = idx->dup_next[n]) {
        uint32_t e = idx->names[n].entity;
        if (s->ent_stamp[e] != s->ent_epoch) return need;
        double v = s->best[s->ent_slot[e]].name_score;
        if (v <= need) return need;
        if (lo < 0 || v < lo) lo = v;
    }
    return lo;
}

/* The quick bound of upper_bound() for every form and candidate, in one
 * pass over the candidates: it is a least sum of w_i b_i over the form's
 * essential tokens, as blend(x, 1) = 2x / (1 + x) is below t exactly when x
 * is below t / (2 - t); with one form, the sum an alignment can reach
 * (ess_scoring()), with several only for the candidates one listed word
 * reached (the others are left to upper_bound()). Only the
 * candidates a creating option of the form reached count (the plan bounds
 * the others below the threshold). Leaves the candidates that pass for
 * some form in cand_pass[0 .. n_pass), each with the forms it passes for
 * in its row. */
static int quick_pass(sm_scratch *s, const int *forms, int nf, double need)
{
    int ne[SM_MAX_FORMS], ei[SM_MAX_FORMS][SM_MAX_TOKENS];
    double ew[SM_MAX_FORMS][SM_MAX_TOKENS], u_min[SM_MAX_FORMS];
    size_t n_pass = 0;
    double t = need - 1e-6;
    for (int k = 0; k < nf; k++) {
        const qform *f = &s->forms_v[forms[k]];
        u_min[k] = t / (2 - t) * f->wsum - f->w_ness - 1e-9;
        ne[k] = 0;
        for (int i = 0; i < f->n; i++)
            if (f->ess >> i & 1) {
                ei[k][ne[k]] = s->slot_of[k][i];
                ew[k][ne[k]++] = f->t[i].w;
            }
    }
    if (nf == 1) {
        /* one form, the usual case */
        for (size_t c = 0; c < s->n_cand; c++) {
            const cand_row *r = row_of(s, c);
            double u = 0;
            for (int e = 0; e < ne[0]; e++) u += ew[0][e] * r->b[ei[0][e]];
            int m;
            if (u >= u_min[0] && (m = ess_scoring(ne[0], r->mask, r->pair)) < ne[0]) {
                double wb[SM_MAX_TOKENS];
                for (int e = 0; e < ne[0]; e++) wb[e] = ew[0][e] * r->b[ei[0][e]];
                u = heaviest_sum(wb, ne[0], m);
            }
            if (u >= u_min[0]) s->cand_pass[n_pass++] = (uint32_t)c;
        }
        s->n_pass = n_pass;
        return 0;
    }
#ifdef __SSE2__
    /* every form's sum at once, a lane each (forms 0-3, then 4-7), over
     * the slots some form counts; in single precision, so each threshold
     * is lowered by more than rounding can take off a sum */
    int na = 0;
    uint16_t act[SM_MAX_FORMS * SM_MAX_TOKENS];
    __m128 slo[SM_MAX_FORMS * SM_MAX_TOKENS + 1], shi[SM_MAX_FORMS * SM_MAX_TOKENS + 1];
    for (int j = 0; j < s->n_slots; j++) {
        float lane[SM_MAX_FORMS] = { 0 };
        int used = 0;
        for (int k = 0; k < nf; k++)
            for (int e = 0; e < ne[k]; e++)
                if (ei[k][e] == j && j > 0) {
                    lane[k] += (float)ew[k][e];
                    used = 1;
                }
        slo[j] = _mm_setr_ps(lane[0], lane[1], lane[2], lane[3]);
        shi[j] = _mm_setr_ps(lane[4], lane[5], lane[6], lane[7]);
        if (used) act[na++] = (uint16_t)j;
    }
    /* rows say which slots (below 64) their postings wrote: only those
     * are summed, else every slot some form counts */
    int by_slot = s->n_slots <= 64;
    float th[SM_MAX_FORMS];
    for (int k = 0; k < SM_MAX_FORMS; k++)
        th[k] = k < nf ? (float)(u_min[k] - 1e-4 * (s->forms_v[forms[k]].wsum + 1)) : 3e38f;
    __m128 tlo = _mm_loadu_ps(th), thi = _mm_loadu_ps(th + 4);
    for (size_t c = 0; c < s->n_cand; c++) {
        cand_row *r = row_of(s, c);
        __m128 lo = _mm_setzero_ps(), hi = _mm_setzero_ps();
        if (by_slot) {
            /* one listed word touched: it serves one essential token of
             * each form (ess_scoring()), the heaviest */
            int one = !r->pair && !(r->mask & (r->mask - 1));
            for (uint64_t m = r->slots; m; m &= m - 1) {
                int j = __builtin_ctzll(m);
                __m128 x = _mm_set1_ps(r->b[j]), pl = _mm_mul_ps(slo[j], x), ph = _mm_mul_ps(shi[j], x);
                lo = one ? _mm_max_ps(lo, pl) : _mm_add_ps(lo, pl);
                hi = one ? _mm_max_ps(hi, ph) : _mm_add_ps(hi, ph);
            }
        } else {
            for (int a = 0; a < na; a++) {
                __m128 x = _mm_set1_ps(r->b[act[a]]);
                lo = _mm_add_ps(lo, _mm_mul_ps(slo[act[a]], x));
                hi = _mm_add_ps(hi, _mm_mul_ps(shi[act[a]], x));
            }
        }
        unsigned pass = (unsigned)(_mm_movemask_ps(_mm_cmpge_ps(lo, tlo)) | _mm_movemask_ps(_mm_cmpge_ps(hi, thi)) << 4);
        /* forms now holds the forms the candidate passed for */
        pass &= r->forms;
        r->forms = pass;
        s->cand_pass[n_pass] = (uint32_t)c;
        n_pass += pass != 0;
    }
#else
    for (size_t c = 0; c < s->n_cand; c++) {
        cand_row *r = row_of(s, c);
        unsigned pass = 0;
        for (unsigned m = r->forms; m; m &= m - 1) {
            int k = __builtin_ctz(m);
            double u = 0;
            for (int e = 0; e < ne[k]; e++) u += ew[k][e] * r->b[ei[k][e]];
            if (u >= u_min[k]) pass |= 1u << k;
        }
        /* forms now holds the forms the candidate passed for */
        r->forms = pass;
        if (pass) s->cand_pass[n_pass++] = (uint32_t)c;
    }
#endif
    s->n_pass = n_pass;
    return 0;
}

/* What scoring needs of one form retrieved. */
typedef struct form_scan {
    qform *f;
    int form;                  /* its index in forms_v */
    int ne;                    /* essential tokens: ti[e], in slot ei[e] */
    int ti[SM_MAX_TOKENS];
    uint16_t ei[SM_MAX_TOKENS];
    uint64_t want;             /* non-essential tokens tight_bound() checks */
    const sm_simtab *tab;      /* its similarities, once filled */
} form_scan;

/* Bounds and scores the candidates quick_pass() let through, each for
 * every form it passed for in turn: the name is read once for all of them,
 * and a form scoring it well raises the bar the others must reach. */
static int score_candidates(const sanctum_index *idx, sm_scratch *s, const int *forms, int nf, const qctx *qc,
                            double need)
{
    form_scan fs[SM_MAX_FORMS];
    int rc;
    for (int k = 0; k < nf; k++) {
        form_scan *p = &fs[k];
        qform *f = p->f = &s->forms_v[forms[k]];
        p->form = forms[k];
        p->tab = NULL;
        form_sigs(idx, s, f);
        p->ne = 0;
        for (int i = 0; i < f->n; i++)
            if (f->ess >> i & 1) {
                p->ti[p->ne] = i;
                p->ei[p->ne++] = s->slot_of[k][i];
            }
        uint64_t all = f->n < 64 ? (1ULL << f->n) - 1 : ~0ULL;
        p->want = all & ~f->ess & ~f->join_one & ~f->join_two & ~(f->join_two << 1);
    }
    const uint32_t *cand_pass = s->cand_pass;
    size_t n_pass = s->n_pass;
    for (size_t x = 0; x < n_pass; x++) {
        size_t c = cand_pass[x];
        /* the names a few candidates on, and the weights of nearer ones */
        if (x + 4 < n_pass) __builtin_prefetch(&idx->names[s->cand_name[cand_pass[x + 4]]]);
        if (x + 2 < n_pass) __builtin_prefetch(&idx->tok_w[idx->names[s->cand_name[cand_pass[x + 2]]].tok]);
        uint32_t name = s->cand_name[c];
        const cand_row *r = row_of(s, c);
        for (unsigned m = nf == 1 ? 1u : r->forms; m; m &= m - 1) {
            int k = __builtin_ctz(m);
            form_scan *p = &fs[k];
            qform *f = p->f;
            /* the form's similarities by token (only the essential ones are read) */
            float b[SM_MAX_TOKENS];
            for (int e = 0; e < p->ne; e++) b[p->ti[e]] = r->b[p->ei[e]];
            /* the bound first against need, which most candidates miss: the
             * bar (at least need) reads the entities only for the others */
            ub_parts part;
            double ub = upper_bound(idx, f, name, b, r->mask, r->pair, need, &part);
            if (ub < need) continue;
            double bar = name_bar(idx, s, name, need);
            if (ub < bar) continue;
            if (!p->tab) {
                if ((rc = fill_simtab(s, f, &s->simtab[k]))) return rc;
                p->tab = &s->simtab[k];
            }
            if ((p->want & part.open) && tight_bound(idx, f, name, b, p->want & part.open, &part, p->tab) < bar)
                continue;
            /* the candidate and every name spelled like it: scored once */
            double sc = -1;
            for (uint32_t n = name; n != UINT32_MAX; n = idx->dup_next[n]) {
                if (!entity_passes(idx->ents[idx->names[n].entity], &qc->filter)) continue;
                if (sc < 0) {
                    if ((rc = score_name(idx, s, f, n, p->tab, bar, &sc))) return rc;
                }
                /* below need, even the largest evidence bonus cannot lift it;
                 * below bar, every entity of these names has a better name */
                if (sc < bar) break;
                if ((rc = record(s, idx, n, p->form, sc))) return rc;
            }
        }
    }
    return 0;
}

/* Retrieves the candidates of forms[0..nf) together, then scores each
 * form's; RETRIEVE_FULL (nothing recorded) when they are too many. */
static int screen_retrieved(const sanctum_index *idx, sm_scratch *s, const int *forms, int nf, const qctx *qc,
                            double need)
{
    int rc = retrieve(idx, s, forms, nf);
    if (!rc) rc = quick_pass(s, forms, nf, need);
    if (!rc) rc = score_candidates(idx, s, forms, nf, qc, need);
    return rc;
}

/* Screens every form of the query: by retrieval where a plan exists (the
 * forms together, as the romanizations of one Hangul name share most of
 * their words), else against every name. */
static int screen_forms(const sanctum_index *idx, sm_scratch *s, const qctx *qc, int exhaustive)
{
    double need = qc->min_score - qc->max_boost - 1e-9;
    int forms[SM_MAX_FORMS], nf = 0, rc;
    bump(&s->walk_epoch, s->walk_stamp, idx->n_voc ? idx->n_voc : 1);
    s->n_walks = 0;
    for (int form = 0; form < s->n_forms; form++) {
        qform *f = &s->forms_v[form];
        if (f->n == 0) continue;
        int all_names = exhaustive;
        if (!all_names && !plan_retrieval(idx, s, f, need, 0)) {
            /* the initials alone could reach the threshold: look up every
             * word they may stand for, so that they can take part */
            if ((rc = find_initials(idx, s, f))) return rc;
            if (!plan_retrieval(idx, s, f, need, 1)) all_names = 1;
        }
        if (all_names) {
            if ((rc = screen_all_names(idx, s, form, qc))) return rc;
        } else {
            note_creating(idx, s, f);
            forms[nf++] = form;
        }
    }
    if (nf == 0) return 0;
    rc = screen_retrieved(idx, s, forms, nf, qc, need);
    if (rc != RETRIEVE_FULL) return rc;
    /* too many candidates together: form by form, and a form with too many
     * alone against every name */
    for (int k = 0; k < nf; k++) {
        rc = nf > 1 ? screen_retrieved(idx, s, &forms[k], 1, qc, need) : RETRIEVE_FULL;
        if (rc == RETRIEVE_FULL) rc = screen_all_names(idx, s, forms[k], qc);
        if (rc) return rc;
    }
    return 0;
}

static int prepare_query(const sanctum_index *idx, sm_scratch *s, const sanctum_query *q, qctx *qc,
                         sanctum_error *err)
{
    if (!q->name) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "the query has no name");
    if (q->version != SANCTUM_QUERY_VERSION)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unsupported query version %u", q->version);
    size_t len = strlen(q->name);
    if (len > SM_MAX_QUERY_BYTES)
        return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "query name longer than %d bytes", SM_MAX_QUERY_BYTES);
    memset(qc, 0, sizeof *qc);
    qc->country = -1;
    if (q->dob && sm_parse_dob(q->dob, &qc->dob))
        return sanctum_error_set_where(err, SANCTUM_EINVAL, NULL, "dob",
                                       "date of birth must be YYYY, YYYY-MM or YYYY-MM-DD");
    if (q->country && *q->country) {
        qc->country = sm_country_find(&idx->countries, q->country);
        if (qc->country < 0) return sanctum_error_set_where(err, SANCTUM_EINVAL, NULL, "country", "unknown country");
    }
    qc->min_score = q->min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q->min_score;
    qc->limit = q->limit ? q->limit : SANCTUM_DEFAULT_LIMIT;
    qc->max_boost = (qc->dob.year ? SM_DOB_MATCH : 0) + (qc->country >= 0 ? SM_COUNTRY_MATCH : 0);
    qc->filter.types = q->types;
    qc->filter.lists = q->lists && *q->lists ? q->lists : NULL;
    qc->filter.programs = q->programs && *q->programs ? q->programs : NULL;
    qc->latin = sanctum_script_detect(q->name) == SANCTUM_SCRIPT_LATIN;

    sanctum_strbuf_reset(&s->forms);
    size_t count = 0;
    int rc = sanctum_text_variants(q->name, len, SM_MAX_FORMS, &s->forms, &count);
    if (rc) return sanctum_error_set(err, rc, NULL, 0, "the query name is not valid UTF-8 text");
    s->n_found = 0;
    s->n_forms = 0;
    const char *p = sanctum_strbuf_cstr(&s->forms);
    const char *end = p + s->forms.len;
    while (p <= end && s->n_forms < SM_MAX_FORMS && (size_t)s->n_forms < (count ? count : 1)) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t fl = nl ? (size_t)(nl - p) : (size_t)(end - p);
        /* skip duplicate forms */
        int dup = 0;
        for (int k = 0; k < s->n_forms; k++)
            if (strlen(s->forms_v[k].text) == fl && memcmp(s->forms_v[k].text, p, fl) == 0) dup = 1;
        if (!dup) {
            if ((rc = prepare_form(idx, s, &s->forms_v[s->n_forms], p, fl, err))) return rc;
            s->n_forms++;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

static int run(const sanctum_index *idx, sm_scratch *s, const sanctum_query *q, qctx *qc, sanctum_error *err)
{
    int rc = prepare_query(idx, s, q, qc, err);
    if (rc) return rc;
    bump(&s->ent_epoch, s->ent_stamp, idx->n_ents ? idx->n_ents : 1);
    s->n_best = 0;
    if ((rc = screen_forms(idx, s, qc, q->exhaustive != 0))) return sanctum_error_set(err, rc, NULL, 0, "out of memory");
    return 0;
}

/* ---- results --------------------------------------------------------------------- */

static int final_cmp(const best *a, const best *b)
{
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    /* equal scores: the list loaded first wins (OFAC SDN, then UN, then the
     * others), then the order of the list's own file */
    if (a->ent != b->ent) return a->ent < b->ent ? -1 : 1;
    return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

static int final_cmp_q(const void *x, const void *y) { return final_cmp(x, y); }

static void sort_best(best *v, size_t n)
{
    /* insertion sort for short lists (the usual case), qsort otherwise */
    if (n <= 32) {
        for (size_t i = 1; i < n; i++) {
            best t = v[i];
            size_t j = i;
            while (j > 0 && final_cmp(&t, &v[j - 1]) < 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = t;
        }
        return;
    }
    qsort(v, n, sizeof *v, final_cmp_q);
}

static char *join2(sanctum_arena *a, const sm_tok *t, int n)
{
    if (n == 1) return sanctum_arena_strndup(a, t->s, t->len);
    size_t len = (size_t)t[0].len + 1 + t[1].len;
    char *p = sanctum_arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, t[0].s, t[0].len);
    p[t[0].len] = ' ';
    memcpy(p + t[0].len + 1, t[1].s, t[1].len);
    p[len] = 0;
    return p;
}

static int explain(const sanctum_index *idx, sm_scratch *s, const qctx *qc, const best *b, sanctum_hit *h,
                   sanctum_arena *a)
{
    const qform *f = &s->forms_v[b->form];
    const sm_name *nm = &idx->names[b->name];
    const sm_tok *l = idx->toks + nm->tok;
    const sanctum_entity *e = idx->ents[b->ent];
    sm_align al[SM_MAX_TOKENS];
    sm_name_score ns;
    int rc = sm_score_seq(f->t, f->n, f->wsum, l, nm->ntok, nm->wsum, &s->opts, NULL, 0, al, &ns);
    if (rc) return rc;
    size_t cap = (size_t)f->n + nm->ntok;
    sanctum_token_match *tm = sanctum_arena_calloc(a, cap ? cap : 1, sizeof *tm);
    if (!tm) return SANCTUM_ENOMEM;
    uint64_t uq = 0, ul = 0;
    size_t n = 0;
    int translit = !qc->latin || e->names[nm->name_index].script != SANCTUM_SCRIPT_LATIN;
    /* aligned pairs in query order */
    for (int qi = 0; qi < f->n; qi++) {
        for (int k = 0; k < ns.n_align; k++) {
            if (al[k].qi != qi) continue;
            sanctum_token_match *m = &tm[n++];
            m->query = join2(a, &f->t[al[k].qi], al[k].qn);
            m->listed = join2(a, &l[al[k].lj], al[k].ln);
            if (!m->query || !m->listed) return SANCTUM_ENOMEM;
            int how = al[k].how;
            if (how == SM_HOW_EXACT && translit) how = SM_HOW_TRANSLIT;
            m->how = sm_how_names[how];
            m->similarity = al[k].sim;
            double w = 0;
            for (int x = 0; x < al[k].qn; x++) w += f->t[al[k].qi + x].w;
            m->weight = f->wsum > 0 ? w / f->wsum : 0;
            uq |= (al[k].qn == 2 ? 3ULL : 1ULL) << al[k].qi;
            ul |= (al[k].ln == 2 ? 3ULL : 1ULL) << al[k].lj;
        }
        if (!(uq >> qi & 1)) {
            sanctum_token_match *m = &tm[n++];
            m->query = join2(a, &f->t[qi], 1);
            if (!m->query) return SANCTUM_ENOMEM;
            m->listed = NULL;
            m->how = sm_how_names[SM_HOW_UNMATCHED];
            m->similarity = 0;
            m->weight = f->wsum > 0 ? f->t[qi].w / f->wsum : 0;
            uq |= 1ULL << qi;
        }
    }
    for (int j = 0; j < nm->ntok; j++) {
        if (ul >> j & 1) continue;
        sanctum_token_match *m = &tm[n++];
        m->query = NULL;
        m->listed = join2(a, &l[j], 1);
        if (!m->listed) return SANCTUM_ENOMEM;
        m->how = sm_how_names[SM_HOW_UNMATCHED];
        m->similarity = 0;
        m->weight = nm->wsum > 0 ? l[j].w / nm->wsum : 0;
    }
    h->tokens = tm;
    h->n_tokens = n;
    h->query_form = sanctum_arena_strdup(a, f->text);
    if (!h->query_form) return SANCTUM_ENOMEM;
    sanctum_evidence *ev = sanctum_arena_calloc(a, 2, sizeof *ev);
    if (!ev) return SANCTUM_ENOMEM;
    size_t nev = 0;
    sm_evidence(idx, e, &qc->dob, qc->country, ev, &nev, a);
    h->evidence = ev;
    h->n_evidence = nev;
    return 0;
}

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* A record that republishes another listing (entity->same_as) is not a hit
 * of its own when that listing is a hit scoring at least as high: the hit
 * names it under also_listed. Returns the number of hits kept. */
static size_t drop_republished(const sanctum_index *idx, best *v, size_t n)
{
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        const sanctum_entity *same = idx->ents[v[i].ent]->same_as;
        int covered = 0;
        for (size_t j = 0; same && j < n && !covered; j++)
            covered = j != i && idx->ents[v[j].ent] == same && v[j].score >= v[i].score;
        if (!covered) v[keep++] = v[i];
    }
    return keep;
}

int sanctum_screen(sanctum_result **out, const sanctum_index *idx, const sanctum_query *q, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output pointer");
    *out = NULL;
    if (!idx || !q) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no index or no query");
    sm_scratch *s = scratch_get(idx);
    if (!s) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    qctx qc;
    int rc = run(idx, s, q, &qc, err);
    sanctum_result *r = NULL;
    if (rc) goto done;
    /* evidence, threshold */
    size_t keep = 0;
    for (size_t i = 0; i < s->n_best; i++) {
        best *b = &s->best[i];
        double delta = 0;
        if (qc.dob.year || qc.country >= 0) delta = sm_evidence(idx, idx->ents[b->ent], &qc.dob, qc.country, NULL, NULL, NULL);
        b->score = clamp01(b->name_score + delta);
        if (b->score >= qc.min_score) s->best[keep++] = *b;
    }
    keep = drop_republished(idx, s->best, keep);
    sort_best(s->best, keep);
    if (keep > qc.limit) keep = qc.limit;
    r = calloc(1, sizeof *r);
    if (!r) {
        rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    sanctum_arena_init(&r->arena);
    if (keep) {
        r->hits = sanctum_arena_calloc(&r->arena, keep, sizeof *r->hits);
        if (!r->hits) {
            rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < keep; i++) {
        const best *b = &s->best[i];
        sanctum_hit *h = &r->hits[i];
        h->entity = idx->ents[b->ent];
        h->name_index = idx->names[b->name].name_index;
        h->score = b->score;
        h->name_score = b->name_score;
        if ((rc = explain(idx, s, &qc, b, h, &r->arena))) {
            rc = sanctum_error_set(err, rc, NULL, 0, "out of memory");
            goto done;
        }
        r->n++;
    }
done:
    scratch_put(idx, s);
    if (rc) {
        sanctum_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

size_t sanctum_result_count(const sanctum_result *r) { return r ? r->n : 0; }

const sanctum_hit *sanctum_result_hit(const sanctum_result *r, size_t i)
{
    return r && i < r->n ? &r->hits[i] : NULL;
}

void sanctum_result_free(sanctum_result *r)
{
    if (!r) return;
    sanctum_arena_free(&r->arena);
    free(r);
}

int sanctum_score_entity(const sanctum_index *idx, const sanctum_query *q, const char *entity_id, double *score)
{
    if (!idx || !q || !entity_id || !score) return SANCTUM_EINVAL;
    *score = 0;
    size_t ent = (size_t)-1;
    for (size_t i = 0; i < idx->n_ents; i++)
        if (idx->ents[i]->id && strcmp(idx->ents[i]->id, entity_id) == 0) {
            ent = i;
            break;
        }
    if (ent == (size_t)-1) return SANCTUM_ENOTFOUND;
    sm_scratch *s = scratch_get(idx);
    if (!s) return SANCTUM_ENOMEM;
    qctx qc;
    int rc = prepare_query(idx, s, q, &qc, NULL);
    double bestv = 0;
    for (int f = 0; !rc && f < s->n_forms; f++)
        for (size_t n = 0; !rc && n < idx->n_names; n++) {
            if (idx->names[n].entity != ent) continue;
            double sc;
            rc = score_name(idx, s, &s->forms_v[f], (uint32_t)n, NULL, 0, &sc);
            if (!rc && sc > bestv) bestv = sc;
        }
    if (!rc) {
        double delta = sm_evidence(idx, idx->ents[ent], &qc.dob, qc.country, NULL, NULL, NULL);
        *score = clamp01(bestv + delta);
    }
    scratch_put(idx, s);
    return rc;
}

/* ---- pair scoring for tests ------------------------------------------------------ */

static int simple_form(const sanctum_index *idx, const char *name, sm_tok *t, int *nt, double *wsum,
                       char *store, size_t storesz)
{
    sanctum_strbuf fold = SANCTUM_STRBUF_INIT;
    char tbuf[256], kbuf[SM_KEY_MAX];
    sm_rawtok raw[SM_MAX_TOKENS];
    int rc = sanctum_text_fold(name, strlen(name), &fold);
    if (rc) {
        sanctum_strbuf_free(&fold);
        return rc;
    }
    int trunc = 0;
    int n = sm_tokenize(sanctum_strbuf_cstr(&fold), fold.len, tbuf, sizeof tbuf, raw, SM_MAX_TOKENS, &trunc);
    size_t used = 0;
    *wsum = 0;
    for (int i = 0; i < n; i++) {
        if (used + raw[i].len + 1 > storesz) break;
        memset(&t[i], 0, sizeof t[i]);
        memcpy(store + used, raw[i].s, raw[i].len);
        store[used + raw[i].len] = 0;
        t[i].s = store + used;
        used += raw[i].len + 1;
        t[i].len = raw[i].len;
        t[i].cls = raw[i].cls;
        t[i].flags = raw[i].flags;
        t[i].vid = t[i].kid = t[i].jkid = -1;
        t[i].raw = t[i].s;
        t[i].rawlen = t[i].len;
        if ((raw[i].rawlen != raw[i].len || memcmp(raw[i].raw, raw[i].s, raw[i].len) != 0) &&
            used + raw[i].rawlen + 1 <= storesz) {
            memcpy(store + used, raw[i].raw, raw[i].rawlen);
            store[used + raw[i].rawlen] = 0;
            t[i].raw = store + used;
            t[i].rawlen = raw[i].rawlen;
            used += raw[i].rawlen + 1;
        }
        size_t v;
        if (idx && sanctum_strmap_get(&idx->vocab, t[i].s, t[i].len, &v)) t[i].vid = (int32_t)v;
        if (idx && t[i].vid >= 0 && idx->voc[t[i].vid].df >= SM_COMMON_DF) t[i].flags |= SM_TF_COMMON;
        if (!(t[i].flags & SM_TF_DIGIT)) {
            size_t kl = sm_korean_key(t[i].s, t[i].len, kbuf);
            if (kl && used + kl + 1 <= storesz) {
                memcpy(store + used, kbuf, kl + 1);
                t[i].key = store + used;
                t[i].klen = (uint16_t)kl;
                used += kl + 1;
                if (idx && sanctum_strmap_get(&idx->keys, kbuf, kl, &v)) t[i].kid = (int32_t)v;
            }
        }
        if (t[i].flags & SM_TF_INITIAL)
            t[i].w = SM_WEIGHT_INITIAL;
        else if (idx && t[i].vid >= 0)
            t[i].w = idx->voc[t[i].vid].w;
        else
            t[i].w = (idx ? idx->w_unseen : 10.0) * class_factor(t[i].cls);
        *wsum += t[i].w;
    }
    for (int i = 0; i + 1 < n; i++) {
        char jbuf[2 * SM_EDIT_MAX_LEN * 4 + 8];
        if (t[i].len < 2 || t[i + 1].len < 2 || (size_t)t[i].len + t[i + 1].len >= sizeof jbuf) continue;
        memcpy(jbuf, t[i].s, t[i].len);
        memcpy(jbuf + t[i].len, t[i + 1].s, t[i + 1].len);
        size_t kl = sm_korean_key(jbuf, (size_t)t[i].len + t[i + 1].len, kbuf);
        if (kl && used + kl + 1 <= storesz) {
            memcpy(store + used, kbuf, kl + 1);
            t[i].jkey = store + used;
            t[i].jklen = (uint16_t)kl;
            used += kl + 1;
        }
    }
    *nt = n;
    sanctum_strbuf_free(&fold);
    return 0;
}

int sm_score_names(const sanctum_index *idx, const char *query, const char *listed, double *score)
{
    static const size_t storesz = 8192;
    sm_tok *q = calloc(SM_MAX_TOKENS, sizeof *q), *l = calloc(SM_MAX_TOKENS, sizeof *l);
    char *qs = malloc(storesz), *ls = malloc(storesz);
    sm_opts_buf ob = { NULL, 0 };
    int rc = SANCTUM_ENOMEM;
    int nq = 0, nl = 0;
    double wq = 0, wl = 0;
    if (!q || !l || !qs || !ls) goto done;
    if ((rc = simple_form(idx, query, q, &nq, &wq, qs, storesz))) goto done;
    if ((rc = simple_form(idx, listed, l, &nl, &wl, ls, storesz))) goto done;
    sm_name_score ns;
    if ((rc = sm_score_seq(q, nq, wq, l, nl, wl, &ob, NULL, 0, NULL, &ns))) goto done;
    *score = ns.score;
done:
    free(q);
    free(l);
    free(qs);
    free(ls);
    free(ob.v);
    return rc;
}
