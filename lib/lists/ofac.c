/*
 * ofac.c - loads the OFAC SDN list from its legacy CSV files: sdn.csv (one
 * row per listed party), alt.csv (aliases), add.csv (addresses) and
 * sdn_comments.csv (the overflow of long remarks).
 *
 * sdn.csv gives one entity per row, keyed by ent_num. Its Remarks cell is
 * joined with the row of sdn_comments.csv for the same ent_num (OFAC cuts
 * long remarks mid-word and carries on there), kept whole in e->remarks, and
 * read into typed facts by ofac_remarks.c. alt.csv and add.csv rows attach to
 * the entity of their ent_num. The three side files are published more often
 * than sdn.csv, so some of their rows name parties sdn.csv does not have:
 * those are counted and reported as one warning per file. A side file that
 * is missing is a warning too. Malformed CSV is an error naming file and line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lists/builder.h"
#include "lists/csv.h"
#include "lists/ofac_remarks.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/strmap.h"

#define OFAC_MAX_FILE ((size_t)512 << 20)   /* 512 MiB per file */
#define OFAC_MAX_REMARKS ((size_t)4 << 20)  /* joined remarks of one entity */
#define LINES_SHOWN 5

enum { F_SDN, F_ALT, F_ADD, F_COMMENTS, F_COUNT };

static const struct {
    const char *name;
    size_t columns;
    int required;
} file_defs[F_COUNT] = {
    { "sdn.csv", 12, 1 },
    { "alt.csv", 5, 0 },
    { "add.csv", 6, 0 },
    { "sdn_comments.csv", 2, 0 },
};

typedef struct input {
    char path[4352];
    char *bytes;
    size_t len;
    int present;
    int index;       /* file index in the source */
} input;

/* Rows of one kind of trouble that does not stop the load. */
typedef struct tally {
    size_t count;
    unsigned long lines[LINES_SHOWN];
} tally;

static void tally_add(tally *t, unsigned long line)
{
    if (t->count < LINES_SHOWN) t->lines[t->count] = line;
    t->count++;
}

/* One warning for the whole tally; returns 0 or what the builder says. */
static int tally_warn(sanctum_builder *b, const char *path, const tally *t, const char *what)
{
    if (t->count == 0) return 0;
    char lines[128] = "";
    size_t used = 0;
    size_t shown = t->count < LINES_SHOWN ? t->count : LINES_SHOWN;
    for (size_t i = 0; i < shown && used < sizeof lines; i++)
        used += (size_t)snprintf(lines + used, sizeof lines - used, "%s%lu", i ? ", " : "", t->lines[i]);
    return sanctum_builder_warn(b, path, t->lines[0], "%zu %s %s (line%s %s%s)", t->count,
                                t->count == 1 ? "row" : "rows", what, t->count == 1 ? "" : "s", lines,
                                t->count > shown ? ", ..." : "");
}

typedef struct comment {
    const char *key;
    const char *text;
    size_t len;
    unsigned long line;
    int used;
} comment;

typedef struct loader {
    sanctum_builder *b;
    sanctum_error *err;
    input in[F_COUNT];
    sanctum_arena arena;        /* comment keys and texts */
    comment *comments;
    size_t n_comments, cap_comments;
    sanctum_strmap comment_by_key;
    sanctum_strbuf remarks;     /* the joined remarks of the current row */
} loader;

static const char *opt(const char *s) { return s && *s ? s : NULL; }

/* ent_num: 1 to 9 digits. */
static int valid_ent_num(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9') return 0;
    return n >= 1 && n <= 9;
}

static int bad_ent_num(loader *L, const sanctum_csv_reader *r, const char *s)
{
    return sanctum_error_set(L->err, SANCTUM_EPARSE, r->path, r->record_line,
                             "ent_num '%.40s' is not a number of 1 to 9 digits", s);
}

static int oom(loader *L, const sanctum_csv_reader *r)
{
    return sanctum_error_set(L->err, SANCTUM_ENOMEM, r->path, r->record_line, "out of memory");
}

/* Reads one of the four files. An optional file that does not exist gives
 * a warning (an error in strict mode). */
static int read_input(loader *L, const char *dir, int which)
{
    input *in = &L->in[which];
    snprintf(in->path, sizeof in->path, "%s/%s", dir, file_defs[which].name);
    struct stat st;
    if (!file_defs[which].required && stat(in->path, &st) != 0 && errno == ENOENT)
        return sanctum_builder_warn(L->b, in->path, 0, "%s is missing: loaded without it", file_defs[which].name);
    int rc = sanctum_read_file(in->path, OFAC_MAX_FILE, &in->bytes, &in->len, L->err);
    if (rc) return rc;
    in->present = 1;
    return 0;
}

/* ---- sdn_comments.csv ---------------------------------------------------------- */

static int load_comments(loader *L)
{
    input *in = &L->in[F_COMMENTS];
    if (!in->present) return 0;
    sanctum_csv_reader r;
    sanctum_csv_init(&r, in->bytes, in->len, in->path, SANCTUM_CSV_DOS_EOF | SANCTUM_CSV_OFAC_EMPTY | SANCTUM_CSV_UTF8);
    tally bad_cols = { 0 }, dups = { 0 };
    int rc;
    while ((rc = sanctum_csv_next(&r, L->err)) > 0) {
        if (sanctum_csv_count(&r) != 2) {
            tally_add(&bad_cols, r.record_line);
            continue;
        }
        const char *key = sanctum_csv_field(&r, 0);
        if (!valid_ent_num(key)) {
            rc = bad_ent_num(L, &r, key);
            break;
        }
        size_t klen = strlen(key), found;
        if (sanctum_strmap_get(&L->comment_by_key, key, klen, &found)) {
            tally_add(&dups, r.record_line);
            continue;
        }
        if (L->n_comments == L->cap_comments) {
            size_t cap = L->cap_comments ? L->cap_comments * 2 : 64;
            comment *p = realloc(L->comments, cap * sizeof *p);
            if (!p) {
                rc = oom(L, &r);
                break;
            }
            L->comments = p;
            L->cap_comments = cap;
        }
        comment *c = &L->comments[L->n_comments];
        c->len = sanctum_csv_field_len(&r, 1);
        c->key = sanctum_arena_strndup(&L->arena, key, klen);
        c->text = sanctum_arena_strndup(&L->arena, sanctum_csv_field(&r, 1), c->len);
        c->line = r.record_line;
        c->used = 0;
        if (!c->key || !c->text || sanctum_strmap_put(&L->comment_by_key, c->key, klen, L->n_comments)) {
            rc = oom(L, &r);
            break;
        }
        L->n_comments++;
    }
    if (rc >= 0) {
        sanctum_builder_set_records(L->b, (size_t)in->index, r.records);
        rc = tally_warn(L->b, in->path, &bad_cols, "skipped: not 2 columns");
        if (!rc) rc = tally_warn(L->b, in->path, &dups, "skipped: ent_num already had remarks earlier in the file");
    }
    sanctum_csv_free(&r);
    return rc;
}

/* ---- sdn.csv ------------------------------------------------------------------- */

typedef struct fact_sink {
    sanctum_builder *b;
    sanctum_entity *e;
} fact_sink;

/* "KIM, Sang Man" -> surname "KIM", given "Sang Man" (split at the first ", "). */
static int add_split_name(sanctum_builder *b, sanctum_entity *e, const char *full, int person,
                          sanctum_name_kind kind, sanctum_name_quality q)
{
    const char *comma = person ? strstr(full, ", ") : NULL;
    if (!comma || comma == full || !comma[2]) return sanctum_builder_add_name(b, e, full, NULL, NULL, kind, q);
    char stackbuf[512];
    size_t n = (size_t)(comma - full);
    char *sur = n < sizeof stackbuf ? stackbuf : malloc(n + 1);
    if (!sur) return SANCTUM_ENOMEM;
    memcpy(sur, full, n);
    sur[n] = '\0';
    int rc = sanctum_builder_add_name(b, e, full, sur, comma + 2, kind, q);
    if (sur != stackbuf) free(sur);
    return rc;
}

static int store_fact(void *ctx, const sanctum_ofac_fact *f)
{
    fact_sink *s = ctx;
    sanctum_builder *b = s->b;
    sanctum_entity *e = s->e;
    switch (f->kind) {
    case SANCTUM_OFAC_DOB: return sanctum_builder_add_dob(b, e, &f->date);
    case SANCTUM_OFAC_POB: return sanctum_builder_add_place_of_birth(b, e, f->value);
    case SANCTUM_OFAC_NATIONALITY: return sanctum_builder_add_nationality(b, e, f->value);
    case SANCTUM_OFAC_CITIZENSHIP: return sanctum_builder_add_citizenship(b, e, f->value);
    case SANCTUM_OFAC_GENDER:
        if (e->gender && strcmp(e->gender, f->value) != 0) return sanctum_builder_add_attr(b, e, "gender", f->value);
        return sanctum_builder_set_field(b, &e->gender, f->value);
    case SANCTUM_OFAC_DOCUMENT: return sanctum_builder_add_document(b, e, &f->doc);
    case SANCTUM_OFAC_WALLET: return sanctum_builder_add_wallet(b, e, f->key, f->value);
    case SANCTUM_OFAC_EMAIL: return sanctum_builder_add_email(b, e, f->value);
    case SANCTUM_OFAC_WEBSITE: return sanctum_builder_add_website(b, e, f->value);
    case SANCTUM_OFAC_PHONE: return sanctum_builder_add_phone(b, e, f->value);
    case SANCTUM_OFAC_NAME:
        return add_split_name(b, e, f->value, e->type == SANCTUM_TYPE_PERSON, f->name_kind, SANCTUM_QUALITY_WEAK);
    case SANCTUM_OFAC_LINK: return sanctum_builder_add_link(b, e, f->key, f->value);
    case SANCTUM_OFAC_ATTR:
    case SANCTUM_OFAC_VERBATIM: return sanctum_builder_add_attr(b, e, f->key, f->value);
    }
    return SANCTUM_EINTERNAL;
}

/* Program cell: "SDGT] [IFSR" -> "SDGT", "IFSR". */
static int add_programs(sanctum_builder *b, sanctum_entity *e, const char *cell)
{
    const char *p = cell;
    while (*p) {
        const char *end = strstr(p, "] [");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        while (n && (*s == '[' || *s == ' ')) s++, n--;
        while (n && (s[n - 1] == ']' || s[n - 1] == ' ')) n--;
        if (n) {
            const char *copy = sanctum_builder_strn(b, s, n);
            if (!copy) return SANCTUM_ENOMEM;
            int rc = sanctum_builder_add_program(b, e, copy);
            if (rc) return rc;
        }
        if (!end) break;
        p = end + 3;
    }
    return 0;
}

static int sdn_row(loader *L, const sanctum_csv_reader *r, tally *unknown_type)
{
    sanctum_builder *b = L->b;
    const char *key = sanctum_csv_field(r, 0);
    if (!valid_ent_num(key)) return bad_ent_num(L, r, key);
    const char *name = sanctum_csv_field(r, 1);
    if (!*name) return sanctum_error_set(L->err, SANCTUM_EPARSE, r->path, r->record_line, "empty SDN_Name");
    const char *tname = sanctum_csv_field(r, 2);
    sanctum_entity_type type;
    if (!*tname) type = SANCTUM_TYPE_ORGANIZATION;
    else if (strcmp(tname, "individual") == 0) type = SANCTUM_TYPE_PERSON;
    else if (strcmp(tname, "vessel") == 0) type = SANCTUM_TYPE_VESSEL;
    else if (strcmp(tname, "aircraft") == 0) type = SANCTUM_TYPE_AIRCRAFT;
    else {
        type = SANCTUM_TYPE_UNKNOWN;
        tally_add(unknown_type, r->record_line);
    }
    sanctum_entity *dup = NULL;
    sanctum_entity *e = sanctum_builder_entity(b, key, type, &dup);
    if (!e) {
        if (dup)
            return sanctum_error_set(L->err, SANCTUM_EPARSE, r->path, r->record_line,
                                     "ent_num %s appears twice in the file", key);
        return oom(L, r);
    }
    int rc = add_split_name(b, e, name, type == SANCTUM_TYPE_PERSON, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG);
    if (!rc) rc = add_programs(b, e, sanctum_csv_field(r, 3));
    if (!rc && *sanctum_csv_field(r, 4)) rc = sanctum_builder_set_field(b, &e->title, sanctum_csv_field(r, 4));
    static const char *const vessel_keys[6] = { "call_sign", "vessel_type", "tonnage", "grt", "vessel_flag",
                                                "vessel_owner" };
    for (size_t i = 0; i < 6 && !rc; i++) {
        const char *v = sanctum_csv_field(r, 5 + i);
        if (*v) rc = sanctum_builder_add_attr(b, e, vessel_keys[i], v);
    }
    if (rc) return oom(L, r);

    /* remarks: this row's cell, then its continuation in sdn_comments.csv */
    sanctum_strbuf_reset(&L->remarks);
    rc = sanctum_strbuf_append(&L->remarks, sanctum_csv_field(r, 11), sanctum_csv_field_len(r, 11));
    size_t ci;
    if (!rc && sanctum_strmap_get(&L->comment_by_key, key, strlen(key), &ci)) {
        comment *c = &L->comments[ci];
        c->used = 1;
        rc = sanctum_strbuf_append(&L->remarks, c->text, c->len);
    }
    if (rc == SANCTUM_ELIMIT)
        return sanctum_error_set(L->err, SANCTUM_EPARSE, r->path, r->record_line,
                                 "remarks of ent_num %s are longer than %zu bytes", key, OFAC_MAX_REMARKS);
    if (rc) return oom(L, r);
    if (L->remarks.len == 0) return 0;
    if (sanctum_builder_set_field(b, &e->remarks, sanctum_strbuf_cstr(&L->remarks))) return oom(L, r);
    fact_sink sink = { b, e };
    rc = sanctum_ofac_remarks_parse(L->remarks.data, L->remarks.len, store_fact, &sink, NULL);
    return rc ? oom(L, r) : 0;
}

static int load_sdn(loader *L)
{
    input *in = &L->in[F_SDN];
    sanctum_csv_reader r;
    sanctum_csv_init(&r, in->bytes, in->len, in->path, SANCTUM_CSV_DOS_EOF | SANCTUM_CSV_OFAC_EMPTY | SANCTUM_CSV_UTF8);
    tally bad_cols = { 0 }, unknown_type = { 0 };
    int rc;
    while ((rc = sanctum_csv_next(&r, L->err)) > 0) {
        if (sanctum_csv_count(&r) != 12) {
            tally_add(&bad_cols, r.record_line);
            continue;
        }
        if ((rc = sdn_row(L, &r, &unknown_type)) != 0) break;
    }
    if (rc >= 0) {
        sanctum_builder_set_records(L->b, (size_t)in->index, r.records);
        rc = tally_warn(L->b, in->path, &bad_cols, "skipped: not 12 columns");
        if (!rc) rc = tally_warn(L->b, in->path, &unknown_type, "have an unknown SDN_Type (entity type left unknown)");
    }
    sanctum_csv_free(&r);
    if (rc || !L->in[F_COMMENTS].present) return rc;
    tally orphans = { 0 };
    for (size_t i = 0; i < L->n_comments; i++)
        if (!L->comments[i].used) tally_add(&orphans, L->comments[i].line);
    return tally_warn(L->b, L->in[F_COMMENTS].path, &orphans, "name an ent_num that sdn.csv lacks (skipped)");
}

/* ---- alt.csv and add.csv ----------------------------------------------------------- */

static int alt_row(loader *L, const sanctum_csv_reader *r, sanctum_entity *e, tally *odd)
{
    sanctum_builder *b = L->b;
    const char *kind_s = sanctum_csv_field(r, 2), *name = sanctum_csv_field(r, 3);
    sanctum_name_kind kind = SANCTUM_NAME_AKA;
    if (strcmp(kind_s, "fka") == 0) kind = SANCTUM_NAME_FKA;
    else if (strcmp(kind_s, "nka") == 0) kind = SANCTUM_NAME_NKA;
    else if (strcmp(kind_s, "aka") != 0) tally_add(odd, r->record_line);
    if (!*name) return sanctum_error_set(L->err, SANCTUM_EPARSE, r->path, r->record_line, "empty alt_name");
    int rc = add_split_name(b, e, name, e->type == SANCTUM_TYPE_PERSON, kind, SANCTUM_QUALITY_STRONG);
    if (!rc && *sanctum_csv_field(r, 4)) rc = sanctum_builder_add_attr(b, e, "alias_remark", sanctum_csv_field(r, 4));
    return rc ? oom(L, r) : 0;
}

static int add_row(loader *L, const sanctum_csv_reader *r, sanctum_entity *e)
{
    sanctum_address a = { opt(sanctum_csv_field(r, 2)), opt(sanctum_csv_field(r, 3)), NULL, NULL,
                          opt(sanctum_csv_field(r, 4)), opt(sanctum_csv_field(r, 5)) };
    if (!a.street && !a.city && !a.country && !a.note) return 0; /* a row with no address in it */
    return sanctum_builder_add_address(L->b, e, &a) ? oom(L, r) : 0;
}

static int load_side(loader *L, int which)
{
    input *in = &L->in[which];
    if (!in->present) return 0;
    sanctum_csv_reader r;
    sanctum_csv_init(&r, in->bytes, in->len, in->path, SANCTUM_CSV_DOS_EOF | SANCTUM_CSV_OFAC_EMPTY | SANCTUM_CSV_UTF8);
    tally bad_cols = { 0 }, orphans = { 0 }, odd = { 0 };
    size_t columns = file_defs[which].columns;
    int rc;
    while ((rc = sanctum_csv_next(&r, L->err)) > 0) {
        if (sanctum_csv_count(&r) != columns) {
            tally_add(&bad_cols, r.record_line);
            continue;
        }
        const char *key = sanctum_csv_field(&r, 0);
        if (!valid_ent_num(key)) {
            rc = bad_ent_num(L, &r, key);
            break;
        }
        sanctum_entity *e = sanctum_builder_find(L->b, key);
        if (!e) {
            tally_add(&orphans, r.record_line);
            continue;
        }
        rc = which == F_ALT ? alt_row(L, &r, e, &odd) : add_row(L, &r, e);
        if (rc) break;
    }
    if (rc >= 0) {
        char what[64];
        snprintf(what, sizeof what, "skipped: not %zu columns", columns);
        sanctum_builder_set_records(L->b, (size_t)in->index, r.records);
        rc = tally_warn(L->b, in->path, &bad_cols, what);
        if (!rc) rc = tally_warn(L->b, in->path, &orphans, "name an ent_num that sdn.csv lacks (skipped)");
        if (!rc) rc = tally_warn(L->b, in->path, &odd, "have an alt_type other than aka/fka/nka (read as aka)");
    }
    sanctum_csv_free(&r);
    return rc;
}

/* ---- entry point ------------------------------------------------------------------- */

int sanctum_load_ofac_sdn(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.b = b;
    L.err = err;
    sanctum_arena_init(&L.arena);
    sanctum_strmap_init(&L.comment_by_key);
    sanctum_strbuf_init(&L.remarks, OFAC_MAX_REMARKS);

    int rc = 0;
    for (int i = 0; i < F_COUNT && !rc; i++) rc = read_input(&L, dir, i);
    for (int i = 0; i < F_COUNT && !rc; i++) {
        if (!L.in[i].present) continue;
        int idx = sanctum_builder_add_file(b, L.in[i].path, L.in[i].bytes, L.in[i].len);
        if (idx < 0) rc = sanctum_error_set(err, idx, L.in[i].path, 0, "cannot record the file in the source");
        else L.in[i].index = idx;
    }
    if (!rc) rc = load_comments(&L);
    if (!rc) rc = load_sdn(&L);
    if (!rc) rc = load_side(&L, F_ALT);
    if (!rc) rc = load_side(&L, F_ADD);

    for (int i = 0; i < F_COUNT; i++) free(L.in[i].bytes);
    free(L.comments);
    sanctum_strmap_free(&L.comment_by_key);
    sanctum_arena_free(&L.arena);
    sanctum_strbuf_free(&L.remarks);
    return rc;
}
