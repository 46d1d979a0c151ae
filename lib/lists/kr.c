/*
 * kr.c - loads South Korea's unilateral DPRK-related designations from the
 * curated designations.csv (one row per designee per designation round).
 *
 * Mapping:
 *  - the primary name is the Hangul name as published; a row without one
 *    falls back to its English name, then to the Latin form printed in the
 *    Korean release, then to another published spelling; a row with none of
 *    these is reported (file and line) and skipped;
 *  - published spellings (hangul_variants, latin_name_in_korean_release,
 *    english_name, other_published_spellings) are strong aliases; former
 *    names ("ex ...") are FKA names; the source annotations that follow a
 *    spelling ("(https://...)", "(kbs_0328)", "(probably a typo)") are cut
 *    off, while a parenthesised spelling ("(Mirim University)") becomes a
 *    name of its own;
 *  - suggested_romanization values are nobody's published spelling: they
 *    become weak aliases and each is also recorded under the attribute
 *    "generated_name", so that front ends can show them as generated;
 *  - ofac_possible_match is an editor's hint, kept as the attribute
 *    "possibly_same_as" (and "possibly_same_as_id" = "ofac-sdn:<ent_num>"
 *    when it starts with an entity number), never used to merge;
 *  - round date, effective date, ordinal, size, affiliation, reason, notes
 *    and every source address are kept as attributes; the reason is also the
 *    remarks; the round date is listed_on; the program is "KR-DPRK".
 *
 * Ids: the file has none, so each row's key is derived from what identifies
 * the designation: "YYYYMMDD-" (the round date's digits) followed by the
 * first 12 hex digits of the SHA-256 of the primary name's UTF-8 bytes, e.g.
 * kr:20230523-<hash of 김상만>. The key is the same on every read of the same
 * row and does not depend on the row's position. Two rows of one round with
 * the same name would collide: the second is reported and skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lists/builder.h"
#include "lists/csv.h"
#include "lists/kr.h"
#include "util/error.h"
#include "util/strbuf.h"

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)
#define MAX_VALUE ((size_t)1 << 20)

enum {
    C_ROUND_DATE, C_EFFECTIVE, C_ORDINAL, C_SIZE, C_TYPE, C_HANGUL, C_HANGUL_VARIANTS, C_LATIN_RELEASE,
    C_ENGLISH, C_ENGLISH_SOURCE, C_OTHER_SPELLINGS, C_FORMER, C_BIRTH, C_NATIONALITY, C_IMO, C_PASSPORT,
    C_AFFILIATION, C_REASON, C_SOURCES, C_SOURCE_IDS, C_CONTEXT, C_SOURCE_COUNT, C_INDEPENDENT, C_CONFIRMED,
    C_SUGGESTED, C_OFAC, C_NOTES, C_COUNT
};

static const char *const COLUMNS[C_COUNT] = {
    "round_date", "round_effective_date", "round_ordinal", "round_size_reported", "type", "hangul_name",
    "hangul_variants", "latin_name_in_korean_release", "english_name", "english_name_source",
    "other_published_spellings", "former_names_or_aliases", "birth", "nationality", "imo_number", "passport",
    "role_affiliation", "reason", "sources", "source_ids", "context_sources", "source_count",
    "independent_source_count", "confirmed_by_two_sources", "suggested_romanization", "ofac_possible_match",
    "notes",
};

/* Columns without which a row cannot be read. */
static const int REQUIRED[] = { C_ROUND_DATE, C_TYPE, C_HANGUL, C_ENGLISH };

/* Plain attributes: column -> attribute key. */
static const struct { int col; const char *key; } ATTRS[] = {
    { C_ROUND_DATE, "round_date" },
    { C_EFFECTIVE, "round_effective_date" },
    { C_ORDINAL, "round_ordinal" },
    { C_SIZE, "round_size_reported" },
    { C_AFFILIATION, "affiliation" },
    { C_ENGLISH_SOURCE, "english_name_source" },
    { C_SOURCE_IDS, "source_ids" },
    { C_CONTEXT, "context_sources" },
    { C_SOURCE_COUNT, "source_count" },
    { C_INDEPENDENT, "independent_source_count" },
    { C_CONFIRMED, "confirmed_by_two_sources" },
    { C_PASSPORT, "passport" },
    { C_NOTES, "notes" },
};

typedef struct kr_ctx {
    sanctum_builder *b;
    const char *path;
    sanctum_error *err;
    int col[C_COUNT];          /* field index of each column, -1 when absent */
    size_t n_header;
    const sanctum_csv_reader *r;
    sanctum_strbuf name, extra, tmp, key;
    char latest[11];           /* the latest round date seen */
} kr_ctx;

static const char *field(const kr_ctx *c, int col)
{
    if (c->col[col] < 0) return "";
    const char *s = sanctum_csv_field(c->r, (size_t)c->col[col]);
    return s ? s : "";
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

static int oom(kr_ctx *c)
{
    return sanctum_error_set(c->err, SANCTUM_ENOMEM, c->path, c->r ? c->r->record_line : 0, "out of memory");
}

static int sb_rc(kr_ctx *c, int rc)
{
    if (rc == SANCTUM_ELIMIT)
        return sanctum_error_set(c->err, rc, c->path, c->r->record_line, "a value is longer than %zu bytes", MAX_VALUE);
    return rc ? oom(c) : 0;
}

/* Copies s[0..n) trimmed into out. */
static int put_trimmed(sanctum_strbuf *out, const char *s, size_t n)
{
    sanctum_strbuf_reset(out);
    while (n && is_space(*s)) s++, n--;
    while (n && is_space(s[n - 1])) n--;
    return sanctum_strbuf_append(out, s, n);
}

/* Does an annotation in parentheses read as a spelling rather than a note?
 * Notes hold an address, a source id (letters_digits) or an ordinary
 * lower-case word of three letters or more. */
static int looks_like_spelling(const char *s, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') return 0;
        if (i + 4 <= n && memcmp(s + i, "http", 4) == 0) return 0;
    }
    for (size_t i = 0; i < n;) {
        if (s[i] >= 'a' && s[i] <= 'z' && (i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'))) {
            size_t j = i;
            while (j < n && s[j] >= 'a' && s[j] <= 'z') j++;
            if (j - i >= 3 && (j == n || !((unsigned char)s[j] >= 0x80))) return 0;
            i = j;
        } else {
            i++;
        }
    }
    return 1;
}

/* Splits one item into the spelling (c->name) and, when a trailing
 * parenthesised part reads as a spelling, that part (c->extra; else empty).
 * The parenthesised part counts when it ends the item or is followed by a
 * comma (", renamed May 2024"); anything after it is a note and dropped. */
static int split_item(kr_ctx *c, const char *s, size_t n)
{
    sanctum_strbuf_reset(&c->extra);
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != ' ' || s[i + 1] != '(') continue;
        int depth = 0;
        size_t j = i + 1;
        for (; j < n; j++) {
            if (s[j] == '(') depth++;
            else if (s[j] == ')' && --depth == 0) break;
        }
        if (j >= n) break;  /* unbalanced: keep the item whole */
        if (j + 1 != n && s[j + 1] != ',') continue;
        TRY(sb_rc(c, put_trimmed(&c->name, s, i)));
        if (looks_like_spelling(s + i + 2, j - i - 2))
            TRY(sb_rc(c, put_trimmed(&c->extra, s + i + 2, j - i - 2)));
        return 0;
    }
    return sb_rc(c, put_trimmed(&c->name, s, n));
}

/* Calls fn for every "; "-separated item of s outside parentheses. */
typedef int (*item_fn)(kr_ctx *c, sanctum_entity *e, const char *s, size_t n, int arg);
static int for_items(kr_ctx *c, sanctum_entity *e, const char *s, item_fn fn, int arg)
{
    size_t start = 0, i = 0;
    int depth = 0;
    for (;; i++) {
        char ch = s[i];
        if (ch == '(') depth++;
        else if (ch == ')' && depth > 0) depth--;
        if (ch == '\0' || (depth == 0 && ch == ';' && (s[i + 1] == ' ' || s[i + 1] == '\0'))) {
            size_t a = start, z = i;
            while (a < z && is_space(s[a])) a++;
            while (z > a && is_space(s[z - 1])) z--;
            if (z > a) TRY(fn(c, e, s + a, z - a, arg));
            if (ch == '\0') break;
            start = i + 1;
        }
    }
    return 0;
}

static int has_name(const sanctum_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (sanctum_lists_ascii_ieq(e->names[i].full, full)) return 1;
    return 0;
}

/* Adds a name unless the entity already has it (ASCII case ignored).
 * Returns 1 when added. */
static int add_name(kr_ctx *c, sanctum_entity *e, const char *full, sanctum_name_kind kind, sanctum_name_quality q)
{
    if (!*full || has_name(e, full)) return 0;
    if (sanctum_builder_add_name(c->b, e, full, NULL, NULL, kind, q)) return oom(c);
    return 1;
}

enum { ARG_AKA, ARG_FORMER };

static int spelling_item(kr_ctx *c, sanctum_entity *e, const char *s, size_t n, int arg)
{
    sanctum_name_kind kind = SANCTUM_NAME_AKA;
    if (arg == ARG_FORMER && n > 3 && (memcmp(s, "ex ", 3) == 0 || memcmp(s, "Ex ", 3) == 0)) {
        kind = SANCTUM_NAME_FKA;
        s += 3;
        n -= 3;
    }
    TRY(split_item(c, s, n));
    int rc = add_name(c, e, sanctum_strbuf_cstr(&c->name), kind, SANCTUM_QUALITY_STRONG);
    if (rc < 0) return rc;
    if (c->extra.len) {
        rc = add_name(c, e, sanctum_strbuf_cstr(&c->extra), kind, SANCTUM_QUALITY_STRONG);
        if (rc < 0) return rc;
    }
    return 0;
}

/* "RR (strict): Gang Cheol-hak", "DPRK-style (no breves): Kang Chol Hak",
 * "the DPRK-form 량대철 would give Ryang Tae Chol (not published ...)". */
static int generated_item(kr_ctx *c, sanctum_entity *e, const char *s, size_t n, int arg)
{
    (void)arg;
    const char *v = NULL;
    for (size_t i = 0; i + 12 <= n; i++)
        if (memcmp(s + i, " would give ", 12) == 0) v = s + i + 12;
    if (!v) {
        for (size_t i = 0; i + 1 < n; i++)
            if (s[i] == ':' && s[i + 1] == ' ') {
                v = s + i + 2;
                break;
            }
    }
    if (!v) v = s;
    TRY(split_item(c, v, n - (size_t)(v - s)));
    const char *name = sanctum_strbuf_cstr(&c->name);
    int rc = add_name(c, e, name, SANCTUM_NAME_AKA, SANCTUM_QUALITY_WEAK);
    if (rc < 0) return rc;
    if (rc == 1 && sanctum_builder_add_attr(c->b, e, "generated_name", name)) return oom(c);
    return 0;
}

static int nationality_item(kr_ctx *c, sanctum_entity *e, const char *s, size_t n, int arg)
{
    (void)arg;
    TRY(split_item(c, s, n));
    if (c->name.len && sanctum_builder_add_nationality(c->b, e, sanctum_strbuf_cstr(&c->name))) return oom(c);
    return 0;
}

static int source_item(kr_ctx *c, sanctum_entity *e, const char *s, size_t n)
{
    TRY(sb_rc(c, put_trimmed(&c->tmp, s, n)));
    if (c->tmp.len && sanctum_builder_add_attr(c->b, e, "source", sanctum_strbuf_cstr(&c->tmp))) return oom(c);
    return 0;
}

/* sources are separated by " | " */
static int add_sources(kr_ctx *c, sanctum_entity *e, const char *s)
{
    const char *p = s;
    for (;;) {
        const char *bar = strstr(p, " | ");
        if (!bar) return source_item(c, e, p, strlen(p));
        TRY(source_item(c, e, p, (size_t)(bar - p)));
        p = bar + 3;
    }
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* YYYY-MM-DD at the start of s. */
static int iso_date(const char *s)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-') return 0;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    return y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && (s[10] == '\0' || s[10] == ' ');
}

static int add_birth(kr_ctx *c, sanctum_entity *e, const char *s)
{
    sanctum_date d;
    memset(&d, 0, sizeof d);
    TRY(split_item(c, s, strlen(s)));
    const char *v = sanctum_strbuf_cstr(&c->name);
    if (iso_date(v)) {
        d.year = digits(v, 4);
        d.month = digits(v + 5, 2);
        d.day = digits(v + 8, 2);
    } else if (strlen(v) == 4 && digits(v, 4) > 0) {
        d.year = digits(v, 4);
    } else {
        TRY(sanctum_builder_warn(c->b, c->path, c->r->record_line,
                                 "birth '%.60s' is neither YYYY-MM-DD nor YYYY; kept as text", s));
    }
    d.text = s;
    return sanctum_builder_add_dob(c->b, e, &d) ? oom(c) : 0;
}

/* The row's key: round date digits, '-', 12 hex digits of SHA-256(name). */
static int make_key(kr_ctx *c, const char *round, const char *name)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(name, strlen(name), md, &mdlen, EVP_sha256(), NULL) || mdlen < 6) return oom(c);
    sanctum_strbuf_reset(&c->key);
    int rc = 0;
    if (iso_date(round)) {
        rc = sanctum_strbuf_append(&c->key, round, 4);
        if (!rc) rc = sanctum_strbuf_append(&c->key, round + 5, 2);
        if (!rc) rc = sanctum_strbuf_append(&c->key, round + 8, 2);
    } else {
        rc = sanctum_strbuf_puts(&c->key, "undated");
    }
    for (unsigned i = 0; i < 6 && !rc; i++) rc = sanctum_strbuf_printf(&c->key, "%s%02x", i ? "" : "-", md[i]);
    return sb_rc(c, rc);
}

/* The first item of a "; "-separated cell, annotation removed, into c->tmp. */
static int first_item(kr_ctx *c, const char *s)
{
    size_t n = 0;
    int depth = 0;
    for (; s[n]; n++) {
        if (s[n] == '(') depth++;
        else if (s[n] == ')' && depth > 0) depth--;
        else if (depth == 0 && s[n] == ';') break;
    }
    TRY(split_item(c, s, n));
    sanctum_strbuf_reset(&c->tmp);
    return sb_rc(c, sanctum_strbuf_append(&c->tmp, c->name.data ? c->name.data : "", c->name.len));
}

static int load_row(kr_ctx *c)
{
    sanctum_builder *b = c->b;
    unsigned long line = c->r->record_line;
    if (sanctum_csv_count(c->r) != c->n_header)
        return sanctum_builder_warn(b, c->path, line, "row has %zu fields, the header %zu; row skipped",
                                    sanctum_csv_count(c->r), c->n_header);

    /* the primary name */
    const char *hangul = field(c, C_HANGUL);
    sanctum_strbuf_reset(&c->tmp);
    if (*hangul) TRY(sb_rc(c, put_trimmed(&c->tmp, hangul, strlen(hangul))));
    static const int FALLBACK[] = { C_ENGLISH, C_LATIN_RELEASE, C_OTHER_SPELLINGS };
    for (size_t i = 0; i < sizeof FALLBACK / sizeof FALLBACK[0] && !c->tmp.len; i++)
        if (*field(c, FALLBACK[i])) TRY(first_item(c, field(c, FALLBACK[i])));
    if (!c->tmp.len)
        return sanctum_builder_warn(b, c->path, line,
                                    "row has no name (hangul_name, english_name and the other spellings are empty); "
                                    "row skipped");
    size_t plen = c->tmp.len;
    char *primary = malloc(plen + 1);
    if (!primary) return oom(c);
    memcpy(primary, c->tmp.data, plen + 1);

    int rc = 0;
    const char *round = field(c, C_ROUND_DATE);
    if (!iso_date(round))
        rc = sanctum_builder_warn(b, c->path, line, "round_date '%.40s' is not YYYY-MM-DD", round);
    else if (strncmp(round, c->latest, 10) > 0)
        memcpy(c->latest, round, 10);

    const char *tname = field(c, C_TYPE);
    sanctum_entity_type type = SANCTUM_TYPE_UNKNOWN;
    if (!rc) {
        if (strcmp(tname, "person") == 0) type = SANCTUM_TYPE_PERSON;
        else if (strcmp(tname, "organization") == 0) type = SANCTUM_TYPE_ORGANIZATION;
        else if (strcmp(tname, "vessel") == 0) type = SANCTUM_TYPE_VESSEL;
        else rc = sanctum_builder_warn(b, c->path, line, "unknown type '%.40s'; entity type left unknown", tname);
    }
    if (!rc) rc = make_key(c, round, primary);
    sanctum_entity *e = NULL, *dup = NULL;
    if (!rc) {
        e = sanctum_builder_entity(b, sanctum_strbuf_cstr(&c->key), type, &dup);
        if (!e && dup)
            rc = sanctum_builder_warn(b, c->path, line, "repeats the designation of round %.40s with the same name "
                                      "(key %s); row skipped", round, sanctum_strbuf_cstr(&c->key));
        else if (!e)
            rc = oom(c);
    }
    if (!rc && e && sanctum_builder_add_name(b, e, primary, NULL, NULL, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG))
        rc = oom(c);
    free(primary);
    if (rc || !e) return rc;

    /* published spellings, then generated ones */
    TRY(for_items(c, e, field(c, C_HANGUL_VARIANTS), spelling_item, ARG_AKA));
    TRY(for_items(c, e, field(c, C_LATIN_RELEASE), spelling_item, ARG_AKA));
    TRY(for_items(c, e, field(c, C_ENGLISH), spelling_item, ARG_AKA));
    TRY(for_items(c, e, field(c, C_OTHER_SPELLINGS), spelling_item, ARG_AKA));
    TRY(for_items(c, e, field(c, C_FORMER), spelling_item, ARG_FORMER));
    TRY(for_items(c, e, field(c, C_SUGGESTED), generated_item, 0));

    if (sanctum_builder_add_program(b, e, "KR-DPRK")) return oom(c);
    if (iso_date(round)) {
        char iso[11];
        memcpy(iso, round, 10);
        iso[10] = '\0';
        if (sanctum_builder_set_field(b, &e->listed_on, iso)) return oom(c);
    }
    if (*field(c, C_REASON) && sanctum_builder_set_field(b, &e->remarks, field(c, C_REASON))) return oom(c);
    TRY(for_items(c, e, field(c, C_NATIONALITY), nationality_item, 0));
    if (*field(c, C_BIRTH)) TRY(add_birth(c, e, field(c, C_BIRTH)));
    if (*field(c, C_IMO)) {
        sanctum_document d = { "IMO", field(c, C_IMO), NULL, NULL, NULL, NULL };
        if (sanctum_builder_add_document(b, e, &d)) return oom(c);
    }
    for (size_t i = 0; i < sizeof ATTRS / sizeof ATTRS[0]; i++) {
        const char *v = field(c, ATTRS[i].col);
        if (*v && sanctum_builder_add_attr(b, e, ATTRS[i].key, v)) return oom(c);
    }
    if (*field(c, C_SOURCES)) TRY(add_sources(c, e, field(c, C_SOURCES)));
    const char *ofac = field(c, C_OFAC);
    if (*ofac) {
        if (sanctum_builder_add_attr(b, e, "possibly_same_as", ofac)) return oom(c);
        size_t n = 0;
        while (ofac[n] >= '0' && ofac[n] <= '9') n++;
        if (n >= 1 && n <= 9 && (ofac[n] == ' ' || ofac[n] == '\0')) {
            char id[32];
            snprintf(id, sizeof id, "ofac-sdn:%.*s", (int)n, ofac);
            if (sanctum_builder_add_attr(b, e, "possibly_same_as_id", id)) return oom(c);
        }
    }
    return 0;
}

static int read_header(kr_ctx *c)
{
    c->n_header = sanctum_csv_count(c->r);
    return sanctum_builder_map_header(c->b, c->r, COLUMNS, C_COUNT, REQUIRED, sizeof REQUIRED / sizeof REQUIRED[0],
                                      c->col, c->err);
}

int sanctum_kr_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len, sanctum_error *err)
{
    int fi = sanctum_builder_begin_file(b, &path, "designations.csv", &bytes, len, 0, err);
    if (fi < 0) return fi;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) bytes += 3, len -= 3;

    kr_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.err = err;
    sanctum_strbuf_init(&c.name, MAX_VALUE);
    sanctum_strbuf_init(&c.extra, MAX_VALUE);
    sanctum_strbuf_init(&c.tmp, MAX_VALUE);
    sanctum_strbuf_init(&c.key, 256);

    sanctum_csv_reader r;
    sanctum_csv_init(&r, bytes, len, path, SANCTUM_CSV_UTF8);
    c.r = &r;
    size_t records = 0;
    int rc = sanctum_csv_next(&r, err);
    if (rc == 0) rc = sanctum_error_set(err, SANCTUM_EPARSE, path, 1, "the file is empty: no header row");
    if (rc > 0) rc = read_header(&c);
    while (rc == 0 && (rc = sanctum_csv_next(&r, err)) > 0) {
        records++;
        rc = load_row(&c);
    }
    if (rc == 0) {
        sanctum_builder_set_records(b, (size_t)fi, records);
        if (c.latest[0]) sanctum_builder_set_published(b, c.latest);
    }
    sanctum_csv_free(&r);
    sanctum_strbuf_free(&c.name);
    sanctum_strbuf_free(&c.extra);
    sanctum_strbuf_free(&c.tmp);
    sanctum_strbuf_free(&c.key);
    if (rc == SANCTUM_ENOMEM && err && !err->code) sanctum_error_set(err, rc, path, 0, "out of memory");
    return rc < 0 ? rc : 0;
}

int sanctum_load_kr(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    return sanctum_builder_load_file(b, dir, "designations.csv", SANCTUM_KR_MAX_FILE, sanctum_kr_parse_memory, err);
}
