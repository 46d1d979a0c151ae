/*
 * match_internal.h - the matcher's private data structures and the
 * functions its files share: the tokenizer (tokenize.c), the token and name
 * similarity (similarity.c), the index (index.c), evidence (evidence.c) and
 * the screening front (screen.c).
 *
 * A name is a sequence of sm_tok: canonical token text (folded by the text
 * layer, then abbreviations, ordinals and legal forms rewritten), its class,
 * its weight and its Korean key. The same structure describes a query form
 * and a listed name, so one scorer serves both indexed and exhaustive search.
 */
#ifndef SANCTUM_MATCH_INTERNAL_H
#define SANCTUM_MATCH_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "match/config.h"
#include "sanctum/match.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/strmap.h"

/* Token classes (weights are multiplied by a class factor). */
enum { SM_CLS_NORMAL = 0, SM_CLS_LEGAL, SM_CLS_HONORIFIC, SM_CLS_STOP };
/* Token flags. */
/* SM_TF_COMMON marks a query token that is a common listed word (set per
 * query, never stored in the index). */
enum { SM_TF_DIGIT = 1, SM_TF_INITIAL = 2, SM_TF_ABBREV = 4, SM_TF_ORDINAL = 8, SM_TF_COMMON = 16 };

/* How an alignment was made (index into sm_how_names). */
enum {
    SM_HOW_EXACT = 0, SM_HOW_ACCENTS, SM_HOW_ROMAN, SM_HOW_TYPO, SM_HOW_JOINED, SM_HOW_INITIAL,
    SM_HOW_LEGAL, SM_HOW_TRANSLIT, SM_HOW_UNMATCHED, SM_HOW_ABBREV, SM_HOW_NUMBER, SM_HOW__COUNT
};
extern const char *const sm_how_names[SM_HOW__COUNT];

typedef struct sm_tok {
    const char *s;     /* canonical token, NUL-terminated */
    const char *key;   /* Korean key, or NULL */
    const char *jkey;  /* Korean key of this token written together with the next, or NULL */
    const char *raw;   /* the word before canonical rewriting; equals s when not rewritten */
    int32_t vid;       /* vocabulary id; -1 when not a listed token */
    int32_t kid;       /* id of key in the key table; -1 when none or unknown */
    int32_t jkid;      /* id of jkey in the key table; -1 when none or unknown */
    uint16_t len, klen, jklen, rawlen;
    uint8_t cls, flags;
    double w;          /* weight */
} sm_tok;

/* One raw token from the tokenizer (before vocabulary lookup). */
typedef struct sm_rawtok {
    const char *s;
    const char *raw;   /* the word as folded, before canonical rewriting ("ltd" for limited) */
    uint16_t len, rawlen;
    uint8_t cls, flags;
} sm_rawtok;

/* Splits folded text ("kim sang man") into canonical tokens. Token text
 * points into folded, into static tables, or into buf (merged legal forms;
 * when buf is full, letters are left unmerged).
 * Tokens are NOT NUL-terminated. Returns the number of tokens (at most max);
 * sets *truncated when the text had more. */
int sm_tokenize(const char *folded, size_t flen, char *buf, size_t bufsz, sm_rawtok *out, int max, int *truncated);

/* Computes the Korean key of s (len bytes) into out (size SM_KEY_MAX); returns its length, 0 if none. */
size_t sm_korean_key(const char *s, size_t len, char *out);
/* Calls fn for each rewritten word ("tech" -> technology) one of whose
 * deletion variants (as sm_tok_del_k allows) has the hash h. */
void sm_rewrites_near(uint64_t h, void (*fn)(void *ctx, const char *from, const char *to), void *ctx);

/* ---- similarity --------------------------------------------------------- */

/* Optimal-string-alignment distance if <= max, else max + 1. */
int sm_osa_bounded(const char *a, int la, const char *b, int lb, int max);
/* Weighted edit distance of a typo (ALGORITHM.md section 2), exact when below lim. */
double sm_typo_edits(const char *a, int la, const char *b, int lb, double lim);
/* The same for two spellings one edit apart (sm_osa_bounded() == 1), without the table. */
double sm_one_edit_cost(const char *a, int la, const char *b, int lb);
/* Cost of one edit between strings whose longer length is L. */
double sm_edit_cost(int L);
/* Edit similarity of two strings as defined in ALGORITHM.md (0 when below SM_SIM_MIN). */
double sm_edit_sim(const char *a, int la, const char *b, int lb);
/* Similarity of two single tokens; sets *how. 0 when below SM_SIM_MIN. */
double sm_tok_sim(const sm_tok *a, const sm_tok *b, int *how);
/* Similarity of one token x with the pair (p, p+1) written together. */
double sm_join_sim(const sm_tok *x, const sm_tok *p, int *how);
/* Listed tokens the scorer compares with every query token itself (initials,
 * words written short), not through the lookups' similarities (sm_simtab). */
int sm_tok_direct(const sm_tok *b);
#define SM_TOK_DIRECT UINT32_MAX

typedef struct sm_align {
    int8_t qi, qn;   /* query tokens qi .. qi+qn-1 */
    int8_t lj, ln;   /* listed tokens lj .. lj+ln-1 */
    uint8_t how;
    float sim;
} sm_align;

typedef struct sm_opts_buf {
    sm_align *v;
    size_t cap;
} sm_opts_buf;

typedef struct sm_name_score {
    double score, cq, cl;
    int n_align;
} sm_name_score;

/* The similarities the lookups already computed: for each vocabulary id,
 * the query tokens similar to it, with sm_tok_sim() of the pair. Holds
 * every pair of a query token that is not an initial with a listed token
 * that is neither an initial nor rewritten (the lookups find all of them),
 * so the scorer reads those pairs instead of computing them. */
typedef struct sm_simtab {
    uint32_t cap;            /* slots, a power of two */
    uint32_t *slot_vid;      /* vid + 1; 0 when the slot is empty */
    uint32_t *slot_first;    /* first entry of the slot's vid */
    uint32_t n, ncap;        /* entries */
    uint32_t *next;          /* next entry of the same vid, UINT32_MAX at the end */
    int8_t *qi;
    uint8_t *how;
    float *sim;
    /* the joined options the query can have at all: query tokens that may
     * match two listed words written together (bit i), query pairs i, i+1
     * that may match one listed word; the scorer tries no others */
    uint64_t join_one, join_two;
} sm_simtab;

/* For each query token i in `want`, the best similarity the scorer can give
 * it with one of the listed tokens l[0..nl) (lv: their tok_vid entries, lw
 * their weights), reading tab as sm_score_seq() does, into best[i], and the
 * most listed weight times similarity one of them can bring it, into
 * best_w[i]; joined options are left out. */
void sm_best_sims(const sm_tok *q, uint64_t want, const sm_tok *l, const uint32_t *lv, const double *lw, int nl,
                  const sm_simtab *tab, float *best, double *best_w);
/* Empties t for up to `expect` entries. */
int sm_simtab_reset(sm_simtab *t, size_t expect);
int sm_simtab_add(sm_simtab *t, uint32_t vid, int qi, float sim, int how);
void sm_simtab_free(sm_simtab *t);

/* Aligns query tokens q[0..nq) with listed tokens l[0..nl) and scores the
 * pair. wq, wl: the weight sums. If align is non-NULL it receives the chosen
 * alignments (room for nq entries). buf is reusable option storage. tab,
 * when not NULL, supplies the similarities of the pairs it holds (the same
 * values sm_tok_sim() gives). need > 0 lets it stop before aligning when
 * even each token's best option cannot reach need: out->score is then that
 * bound (below need) and out->n_align is -1. Returns 0 or SANCTUM_ENOMEM. */
int sm_score_seq(const sm_tok *q, int nq, double wq, const sm_tok *l, int nl, double wl, sm_opts_buf *buf,
                 const sm_simtab *tab, double need, sm_align *align, sm_name_score *out);
/* The blend of query coverage and listed coverage; non-decreasing in both. */
double sm_blend(double cq, double cl);

/* ---- index -------------------------------------------------------------- */

typedef struct sm_name {
    uint32_t entity;     /* index into idx->ents */
    uint32_t tok;        /* first token in idx->toks */
    uint16_t name_index; /* entity->names[name_index] */
    uint8_t ntok;
    uint8_t weak;
    uint8_t has_initial;
    double wsum;
    uint64_t sig;        /* what a query token must share with the name to be similar to one of its words */
} sm_name;

/* Bits of sm_name.sig (one hashed bit each): SM_SIG_WORD the vocabulary id
 * of each word that is not an initial; SM_SIG_INITIAL the letter of each
 * initial and SM_SIG_KEY its Korean key id; SM_SIG_FIRST the first letter
 * of every word. A query token that is not an initial can only be similar
 * to one of the name's words if the name has the bit of a vocabulary word
 * it is similar to, of its first letter as an initial, or of its key as an
 * initial's; a query initial without a key, only if the name has its
 * letter as some word's first letter. */
enum { SM_SIG_WORD = 1, SM_SIG_INITIAL, SM_SIG_KEY, SM_SIG_FIRST };
static inline uint64_t sm_sig_bit(uint32_t kind, uint32_t x)
{
    uint64_t h = ((uint64_t)kind << 32 | x) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return 1ULL << (h * 0xBF58476D1CE4E5B9ULL >> 58);
}

typedef struct sm_voc {
    const char *s;
    uint16_t len;
    uint8_t cls, flags;
    int32_t kid;
    uint32_t df;
    double w;
    uint32_t post_off, post_n;   /* into idx->post */
} sm_voc;

typedef struct sm_dslot {
    uint64_t h;
    uint32_t off, n;             /* into idx->dids */
} sm_dslot;

#define SM_DEL_KEYFLAG 0x80000000u

typedef struct sm_country {
    const char *code;     /* ISO alpha-2, upper case */
    const char *names;    /* '|'-separated names */
} sm_country;

struct sm_scratch;

struct sanctum_index {
    const sanctum_dataset *ds;
    const sanctum_entity **ents;
    size_t n_ents;
    sm_name *names;
    size_t n_names;
    uint32_t *dup_next;     /* name -> next name spelled alike, or UINT32_MAX */
    size_t shared_names;    /* names that share the postings of an earlier one */
    sm_tok *toks;
    size_t n_toks;
    double *tok_w;          /* toks[i].w again, packed: a name's weights share a cache line */
    uint32_t *tok_vid;      /* toks[i].vid, packed, or SM_TOK_DIRECT when sm_tok_direct() */

    sanctum_strmap vocab;   /* token -> vid */
    sm_voc *voc;
    size_t n_voc;
    uint32_t *post;         /* (name << 6) | position */

    sanctum_strmap keys;    /* Korean key -> kid */
    const char **key_s;
    uint16_t *key_len;
    size_t n_keys;
    uint32_t *kv_off, *kv_n, *kv;     /* kid -> vids with that key */
    uint32_t *kj_off, *kj_n, *kj;     /* kid -> joined-pair postings with that key */

    sanctum_strmap joined;  /* two adjacent tokens written together -> jid */
    size_t n_joined;
    uint32_t *jp_off, *jp_n, *jp;     /* jid -> postings of the pair's first token */
    double *j_w;            /* jid -> weight sum of the pair where first seen */

    sm_dslot *dtab;         /* deletion neighbourhoods: hash -> ids */
    size_t dtab_cap;
    uint32_t *dids;

    sanctum_strmap countries; /* folded country name -> index into sm_countries */

    double w_unseen;        /* weight of a token no listed name has */
    size_t skipped_names;   /* names that fold to nothing */
    size_t truncated_names; /* names with more than SM_MAX_TOKENS tokens */
    sanctum_arena arena;

    pthread_mutex_t pool_lock;
    struct sm_scratch *pool;

    /* Set when the index was opened from a file (image.c): every array
     * above points into the mapping, which sanctum_index_free() unmaps. */
    void *map_base;
    size_t map_len;
    sanctum_dataset *map_ds;  /* a view over the mapped entities */
};

/* Builds an index over the given entities (the dataset may be NULL; then
 * sanctum_index_dataset() returns NULL). The entities must outlive it. */
int sm_index_build_entities(sanctum_index **out, const sanctum_dataset *ds, const sanctum_entity *const *ents,
                            size_t n, sanctum_error *err);

/* Looks a string up in the deletion table; returns the ids and their count. */
const uint32_t *sm_dtab_get(const sanctum_index *idx, uint64_t h, uint32_t *n);
uint64_t sm_del_hash(const char *s, size_t len, int key_space);

/* Calls fn(ctx, variant, len) for s itself and every string made by deleting
 * up to k characters (duplicates possible). len <= SM_EDIT_MAX_LEN. */
void sm_deletions(const char *s, int len, int k, void (*fn)(void *, const char *, int), void *ctx);
/* Deletions allowed for a token (k) and a Korean key (kk) of this length. */
int sm_tok_del_k(int len);
int sm_key_del_k(int len);

/* ---- evidence ----------------------------------------------------------- */

extern const sm_country sm_countries[];
extern const size_t sm_n_countries;
int sm_countries_init(sanctum_strmap *m, sanctum_arena *a);
/* Country index for a free-text country, or -1. */
int sm_country_find(const sanctum_strmap *m, const char *s);

typedef struct sm_query_dob {
    int year, month, day; /* 0 = none */
} sm_query_dob;
int sm_parse_dob(const char *s, sm_query_dob *out);

/* Appends up to 2 evidence items for entity e (detail strings go to arena);
 * returns the total delta. */
double sm_evidence(const sanctum_index *idx, const sanctum_entity *e, const sm_query_dob *dob, int country,
                   sanctum_evidence *ev, size_t *n_ev, sanctum_arena *arena);

/* ---- pair scoring without the full screen (tests) ------------------------ */

/* Scores two names with the matcher's name scorer. idx may be NULL (then
 * every ordinary token weighs the same). *score receives the name score. */
int sm_score_names(const sanctum_index *idx, const char *query, const char *listed, double *score);

#endif
