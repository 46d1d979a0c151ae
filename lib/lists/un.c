/*
 * un.c - loads the UN Security Council Consolidated List (consolidated.xml).
 *
 * The bytes are parsed into a libxml2 tree from memory with network access,
 * DTD loading and entity substitution off, and with libxml2's own error
 * printing replaced by a handler that keeps the first error and its line.
 * The tree is then walked record by record: every INDIVIDUAL becomes a person
 * and every ENTITY an organization, keyed by its REFERENCE_NUMBER ("KPi.066").
 * Names, aliases with their quality, original-script names, dates and places
 * of birth, documents, addresses, nationalities and remarks map onto the
 * entity model; any other non-empty element is kept as an attribute named
 * after it, so nothing the file says is lost. Values are trimmed and their
 * inner whitespace collapsed, except remarks, which keep their line breaks.
 * Problems that do not stop the load become warnings tied to a line.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "lists/builder.h"
#include "lists/un.h"
#include "util/error.h"
#include "util/strbuf.h"

#define N_SCRATCH 10
#define TMP_APPEND 8   /* scratch slot used by get_append() */
#define TMP_OTHER 9    /* scratch slot used by add_other() */
#define MAX_JOINED (4 * SANCTUM_UN_MAX_VALUE)
#define MAX_XML_ISSUES 8
#define MAX_DEPTH 300

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

enum { TEXT_LINE, TEXT_BLOCK };

typedef struct xml_issue {
    int level;
    unsigned long line;
    int column;
    char message[200];
} xml_issue;

typedef struct un_ctx {
    sanctum_builder *b;
    const char *path;
    sanctum_error *err;
    sanctum_strbuf raw;            /* text gathered from a node, before cleaning */
    sanctum_strbuf s[N_SCRATCH];   /* cleaned values */
    sanctum_strbuf join, join2;    /* values composed into one field */
    size_t records;
    /* what libxml2 reported while parsing */
    xml_issue issues[MAX_XML_ISSUES];
    size_t n_issues, n_issues_total;
    int have_first;
    xml_issue first;               /* the first fatal error */
} un_ctx;

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

/* ---- small helpers ------------------------------------------------------ */

static const char *cs(const sanctum_strbuf *sb) { return sanctum_strbuf_cstr(sb); }
static const char *nz(const sanctum_strbuf *sb) { return sb->len ? sb->data : NULL; }

static int is_el(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static const char *el_name(const xmlNode *n)
{
    return n && n->name ? (const char *)n->name : "?";
}

static unsigned long line_of(const xmlNode *n)
{
    long l = n ? xmlGetLineNo(n) : 0;
    return l > 0 ? (unsigned long)l : 0;
}

static int icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i]) {
            char x = hay[i];
            if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
            if (x != needle[i]) break;
            i++;
        }
        if (i == n) return 1;
    }
    return 0;
}

/* "prefix" + "." + lower-cased name, or the lower-cased name alone. */
static void make_key(char *dst, size_t size, const char *prefix, const char *name)
{
    size_t o = 0;
    if (prefix && *prefix) {
        int n = snprintf(dst, size, "%s.", prefix);
        o = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
    }
    for (; *name && o + 1 < size; name++) {
        char ch = *name;
        dst[o++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
    }
    dst[o] = '\0';
}

static int warn(un_ctx *c, const xmlNode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int warn(un_ctx *c, const xmlNode *n, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int rc = sanctum_builder_warn(c->b, c->path, line_of(n), "%s", msg);
    if (rc == SANCTUM_ESTRICT && c->err && n) snprintf(c->err->where, sizeof c->err->where, "%s", el_name(n));
    return rc;
}

static int fail(un_ctx *c, int code, const xmlNode *n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(un_ctx *c, int code, const xmlNode *n, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sanctum_error_set(c->err, code, c->path, line_of(n), "%s", msg);
    if (c->err && n) snprintf(c->err->where, sizeof c->err->where, "%s", el_name(n));
    return code;
}

static int sb_fail(un_ctx *c, int rc, const xmlNode *n)
{
    if (rc == SANCTUM_ELIMIT)
        return fail(c, rc, n, "value of <%s> is longer than the %zu-byte limit", el_name(n), SANCTUM_UN_MAX_VALUE);
    return fail(c, rc, n, "out of memory");
}

/* ---- text of a node --------------------------------------------------------- */

/* Appends the text below n (text and CDATA, in document order) to c->raw.
 * Entity references are not expanded: they are kept as written and reported. */
static int gather(un_ctx *c, const xmlNode *n, int depth)
{
    if (depth > MAX_DEPTH) return warn(c, n, "element <%s> is nested too deeply; its inner text is not kept", el_name(n));
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        int rc = 0;
        switch (ch->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (ch->content) rc = sanctum_strbuf_puts(&c->raw, (const char *)ch->content);
            break;
        case XML_ENTITY_REF_NODE:
            rc = sanctum_strbuf_printf(&c->raw, "&%s;", el_name(ch));
            if (!rc) TRY(warn(c, n, "entity reference &%s; in <%s> left unexpanded", el_name(ch), el_name(n)));
            break;
        case XML_ELEMENT_NODE:
            TRY(gather(c, ch, depth + 1));
            break;
        default:
            break;
        }
        if (rc) return sb_fail(c, rc, n);
    }
    return 0;
}

static int is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Cleans s[0..n) into out. TEXT_LINE trims and collapses every run of
 * whitespace to one space; TEXT_BLOCK trims the whole, turns CR LF and CR
 * into LF, drops spaces before a line break and keeps everything else. */
static int clean(const char *s, size_t n, int mode, sanctum_strbuf *out)
{
    sanctum_strbuf_reset(out);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (i < n && is_ws(s[i])) i++;
        if (i == n) break;                       /* trailing whitespace */
        if (run < i && out->len > 0) {
            if (mode == TEXT_LINE) {
                TRY(sanctum_strbuf_putc(out, ' '));
            } else {
                size_t indent = run;
                for (size_t k = run; k < i; k++) {
                    if (s[k] == '\n' || s[k] == '\r') {
                        if (s[k] == '\r' && k + 1 < i && s[k + 1] == '\n') k++;
                        TRY(sanctum_strbuf_putc(out, '\n'));
                        indent = k + 1;
                    }
                }
                TRY(sanctum_strbuf_append(out, s + indent, i - indent));
            }
        }
        size_t start = i;
        while (i < n && !is_ws(s[i])) i++;
        TRY(sanctum_strbuf_append(out, s + start, i - start));
    }
    return 0;
}

/* The cleaned text of n into out. */
static int get(un_ctx *c, const xmlNode *n, int mode, sanctum_strbuf *out)
{
    sanctum_strbuf_reset(&c->raw);
    TRY(gather(c, n, 0));
    int rc = clean(c->raw.data ? c->raw.data : "", c->raw.len, mode, out);
    return rc ? sb_fail(c, rc, n) : 0;
}

/* The cleaned text of n appended to out, after "; " when out had something. */
static int get_append(un_ctx *c, const xmlNode *n, sanctum_strbuf *out)
{
    sanctum_strbuf *t = &c->s[TMP_APPEND];
    TRY(get(c, n, TEXT_LINE, t));
    if (!t->len) return 0;
    int rc = 0;
    if (out->len) rc = sanctum_strbuf_puts(out, "; ");
    if (!rc) rc = sanctum_strbuf_append(out, t->data, t->len);
    return rc ? sb_fail(c, rc, n) : 0;
}

/* Keeps an element the model has no field for as attributes: its own text
 * under `key`, each VALUE child under the same key, other children under
 * "key.child". */
static int add_other(un_ctx *c, sanctum_entity *e, const xmlNode *n, const char *key, int depth)
{
    if (depth > MAX_DEPTH) return warn(c, n, "element <%s> is nested too deeply; its content is not kept", el_name(n));
    sanctum_strbuf *t = &c->s[TMP_OTHER];
    sanctum_strbuf_reset(&c->raw);
    int rc = 0;
    for (const xmlNode *ch = n->children; ch && !rc; ch = ch->next) {
        if (ch->type == XML_TEXT_NODE || ch->type == XML_CDATA_SECTION_NODE) {
            if (ch->content) rc = sanctum_strbuf_puts(&c->raw, (const char *)ch->content);
        } else if (ch->type == XML_ENTITY_REF_NODE) {
            rc = sanctum_strbuf_printf(&c->raw, "&%s;", el_name(ch));
            if (!rc) TRY(warn(c, n, "entity reference &%s; in <%s> left unexpanded", el_name(ch), el_name(n)));
        }
    }
    if (rc) return sb_fail(c, rc, n);
    rc = clean(c->raw.data ? c->raw.data : "", c->raw.len, TEXT_LINE, t);
    if (rc) return sb_fail(c, rc, n);
    if (t->len) TRY(sanctum_builder_add_attr(c->b, e, key, t->data));
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        char sub[128];
        if (is_el(ch, "VALUE")) snprintf(sub, sizeof sub, "%s", key);
        else make_key(sub, sizeof sub, key, el_name(ch));
        TRY(add_other(c, e, ch, sub, depth + 1));
    }
    return 0;
}

static int add_other_child(un_ctx *c, sanctum_entity *e, const xmlNode *parent, const xmlNode *ch)
{
    char key[128], prefix[96];
    make_key(prefix, sizeof prefix, NULL, el_name(parent));
    make_key(key, sizeof key, prefix, el_name(ch));
    return add_other(c, e, ch, key, 1);
}

/* ---- dates ------------------------------------------------------------------ */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* "YYYY-MM-DD", optionally followed by a time or zone ("T...", "Z", "+01:00",
 * "-04:00"). Returns 1 and the parts when it is a plausible date. */
static int parse_iso(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-') return 0;
    int yy = digits(s, 4), mm = digits(s + 5, 2), dd = digits(s + 8, 2);
    if (yy < 1 || mm < 1 || mm > 12 || dd < 1 || dd > 31) return 0;
    char next = s[10];
    if (next && next != 'T' && next != 'Z' && next != '+' && next != '-' && next != ' ') return 0;
    *y = yy;
    *m = mm;
    *d = dd;
    return 1;
}

static int parse_year(const char *s)
{
    if (strlen(s) != 4) return 0;
    int y = digits(s, 4);
    return y > 0 ? y : 0;
}

/* The first stand-alone four-digit number between 1800 and 2100 in free text. */
static int year_in_text(const char *s)
{
    for (size_t i = 0; s[i]; i++) {
        if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') continue;
        int y = digits(s + i, 4);
        if (y < 0) continue;
        if (s[i + 4] >= '0' && s[i + 4] <= '9') continue;
        if (y >= 1800 && y <= 2100) return y;
    }
    return 0;
}

static int load_dob(un_ctx *c, sanctum_entity *e, const xmlNode *n)
{
    sanctum_strbuf *type = &c->s[0], *date = &c->s[1], *year = &c->s[2], *from = &c->s[3], *to = &c->s[4],
                   *note = &c->s[5], *text = &c->join;
    for (int i = 0; i < 6; i++) sanctum_strbuf_reset(&c->s[i]);
    sanctum_strbuf_reset(text);
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        if (is_el(ch, "TYPE_OF_DATE")) TRY(get_append(c, ch, type));
        else if (is_el(ch, "DATE")) TRY(get_append(c, ch, date));
        else if (is_el(ch, "YEAR")) TRY(get_append(c, ch, year));
        else if (is_el(ch, "FROM_YEAR")) TRY(get_append(c, ch, from));
        else if (is_el(ch, "TO_YEAR")) TRY(get_append(c, ch, to));
        else if (is_el(ch, "NOTE")) TRY(get_append(c, ch, note));
        else TRY(add_other_child(c, e, n, ch));
    }
    if (!date->len && !year->len && !from->len && !to->len && !note->len) return 0;

    sanctum_date d;
    memset(&d, 0, sizeof d);
    const char *t = cs(type);
    int approx = sanctum_lists_ascii_ieq(t, "APPROXIMATELY"), between = sanctum_lists_ascii_ieq(t, "BETWEEN");
    if (type->len && !approx && !between && !sanctum_lists_ascii_ieq(t, "EXACT"))
        TRY(warn(c, n, "unknown TYPE_OF_DATE '%s' in a date of birth; read as exact", t));
    int rc = 0;
    if (date->len) {
        if (!parse_iso(cs(date), &d.year, &d.month, &d.day))
            TRY(warn(c, n, "date of birth '%s' is not a YYYY-MM-DD date; kept as text", cs(date)));
        rc = sanctum_strbuf_append(text, date->data, date->len);
    } else if (from->len || to->len) {
        d.year = parse_year(cs(from));
        d.to_year = parse_year(cs(to));
        if ((from->len && !d.year) || (to->len && !d.to_year))
            TRY(warn(c, n, "date of birth range '%s' to '%s' is not a pair of years; kept as text", cs(from), cs(to)));
        if (from->len && to->len) rc = sanctum_strbuf_printf(text, "%s to %s", cs(from), cs(to));
        else rc = sanctum_strbuf_puts(text, from->len ? cs(from) : cs(to));
        if (!d.year) {
            d.year = d.to_year;
            d.to_year = 0;
        }
    } else if (year->len) {
        d.year = parse_year(cs(year));
        if (!d.year) TRY(warn(c, n, "year of birth '%s' is not a year; kept as text", cs(year)));
        rc = sanctum_strbuf_puts(text, cs(year));
    }
    if (!rc && (approx || icontains(cs(note), "approx"))) d.circa = 1;
    if (!rc && d.circa && text->len) {
        sanctum_strbuf_reset(&c->join2);
        rc = sanctum_strbuf_printf(&c->join2, "circa %s", cs(text));
        if (!rc) {
            sanctum_strbuf_reset(text);
            rc = sanctum_strbuf_append(text, c->join2.data, c->join2.len);
        }
    }
    if (!rc && note->len) {
        if (text->len) rc = sanctum_strbuf_printf(text, " (%s)", cs(note));
        else {
            rc = sanctum_strbuf_append(text, note->data, note->len);
            d.year = year_in_text(cs(note));
        }
    }
    if (rc) return sb_fail(c, rc, n);
    d.text = cs(text);
    return sanctum_builder_add_dob(c->b, e, &d);
}

/* ---- the structured parts of a record --------------------------------------- */

static int load_alias(un_ctx *c, sanctum_entity *e, const xmlNode *n)
{
    sanctum_strbuf *quality = &c->s[0], *name = &c->s[1], *val = &c->s[2], *kv = &c->join;
    sanctum_strbuf_reset(quality);
    sanctum_strbuf_reset(name);
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (is_el(ch, "QUALITY")) TRY(get_append(c, ch, quality));
        else if (is_el(ch, "ALIAS_NAME") && !name->len) TRY(get(c, ch, TEXT_LINE, name));
    }
    if (name->len) {
        const char *q = cs(quality);
        sanctum_name_kind kind = SANCTUM_NAME_AKA;
        sanctum_name_quality qual = SANCTUM_QUALITY_STRONG;
        if (sanctum_lists_ascii_ieq(q, "f.k.a.")) kind = SANCTUM_NAME_FKA;
        else if (sanctum_lists_ascii_ieq(q, "n.k.a.")) kind = SANCTUM_NAME_NKA;
        else if (sanctum_lists_ascii_ieq(q, "Low")) qual = SANCTUM_QUALITY_WEAK;
        else if (*q && !sanctum_lists_ascii_ieq(q, "Good") && !sanctum_lists_ascii_ieq(q, "a.k.a."))
            TRY(warn(c, n, "an alias of %s has unknown QUALITY '%.40s'; read as a strong a.k.a.", e->key, q));
        TRY(sanctum_builder_add_name(c->b, e, cs(name), NULL, NULL, kind, qual));
    }
    /* what else an alias says (its own date or place of birth, a note) */
    int name_seen = 0;
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE || is_el(ch, "QUALITY")) continue;
        if (is_el(ch, "ALIAS_NAME") && !name_seen) {
            name_seen = 1;
            continue;
        }
        TRY(get(c, ch, TEXT_LINE, val));
        if (!val->len) continue;
        char key[128];
        make_key(key, sizeof key, NULL, el_name(ch));
        char akey[136];
        snprintf(akey, sizeof akey, "alias_%s", key);
        sanctum_strbuf_reset(kv);
        int rc = name->len ? sanctum_strbuf_printf(kv, "%s: ", cs(name)) : 0;
        if (!rc) rc = sanctum_strbuf_append(kv, val->data, val->len);
        if (rc) return sb_fail(c, rc, ch);
        TRY(sanctum_builder_add_attr(c->b, e, akey, cs(kv)));
    }
    return 0;
}

static int load_place_of_birth(un_ctx *c, sanctum_entity *e, const xmlNode *n)
{
    sanctum_strbuf *street = &c->s[0], *city = &c->s[1], *state = &c->s[2], *country = &c->s[3], *note = &c->s[4],
                   *out = &c->join;
    for (int i = 0; i < 5; i++) sanctum_strbuf_reset(&c->s[i]);
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        if (is_el(ch, "STREET")) TRY(get_append(c, ch, street));
        else if (is_el(ch, "CITY")) TRY(get_append(c, ch, city));
        else if (is_el(ch, "STATE_PROVINCE")) TRY(get_append(c, ch, state));
        else if (is_el(ch, "COUNTRY")) TRY(get_append(c, ch, country));
        else if (is_el(ch, "NOTE")) TRY(get_append(c, ch, note));
        else TRY(add_other_child(c, e, n, ch));
    }
    sanctum_strbuf_reset(out);
    const sanctum_strbuf *parts[] = { street, city, state, country };
    int rc = 0;
    for (size_t i = 0; i < 4 && !rc; i++) {
        if (!parts[i]->len) continue;
        if (out->len) rc = sanctum_strbuf_puts(out, ", ");
        if (!rc) rc = sanctum_strbuf_append(out, parts[i]->data, parts[i]->len);
    }
    if (!rc && note->len) {
        if (!out->len) rc = sanctum_strbuf_append(out, note->data, note->len);
        else if (note->data[0] == '(') rc = sanctum_strbuf_printf(out, " %s", cs(note));
        else rc = sanctum_strbuf_printf(out, " (%s)", cs(note));
    }
    if (rc) return sb_fail(c, rc, n);
    return out->len ? sanctum_builder_add_place_of_birth(c->b, e, cs(out)) : 0;
}

static int load_document(un_ctx *c, sanctum_entity *e, const xmlNode *n)
{
    sanctum_strbuf *type = &c->s[0], *type2 = &c->s[1], *number = &c->s[2], *issuing = &c->s[3],
                   *country_of_issue = &c->s[4], *issued = &c->s[5], *city = &c->s[6], *note = &c->s[7];
    for (int i = 0; i < 8; i++) sanctum_strbuf_reset(&c->s[i]);
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        if (is_el(ch, "TYPE_OF_DOCUMENT")) TRY(get_append(c, ch, type));
        else if (is_el(ch, "TYPE_OF_DOCUMENT2")) TRY(get_append(c, ch, type2));
        else if (is_el(ch, "NUMBER")) TRY(get_append(c, ch, number));
        else if (is_el(ch, "ISSUING_COUNTRY")) TRY(get_append(c, ch, issuing));
        else if (is_el(ch, "COUNTRY_OF_ISSUE")) TRY(get_append(c, ch, country_of_issue));
        else if (is_el(ch, "DATE_OF_ISSUE")) TRY(get_append(c, ch, issued));
        else if (is_el(ch, "CITY_OF_ISSUE")) TRY(get_append(c, ch, city));
        else if (is_el(ch, "NOTE")) TRY(get_append(c, ch, note));
        else TRY(add_other_child(c, e, n, ch));
    }
    int any = 0;
    for (int i = 0; i < 8; i++) any |= c->s[i].len != 0;
    if (!any) return 0;

    /* the type: "Passport", or "Passport (Service passport)" with the finer type */
    sanctum_strbuf *t = &c->join, *nt = &c->join2;
    sanctum_strbuf_reset(t);
    sanctum_strbuf_reset(nt);
    int rc = 0;
    if (type->len && type2->len) rc = sanctum_strbuf_printf(t, "%s (%s)", cs(type), cs(type2));
    else if (type->len || type2->len) rc = sanctum_strbuf_puts(t, type->len ? cs(type) : cs(type2));
    const char *country = issuing->len ? cs(issuing) : nz(country_of_issue);
    if (!rc && city->len) rc = sanctum_strbuf_printf(nt, "issued in %s", cs(city));
    if (!rc && issuing->len && country_of_issue->len && strcmp(cs(issuing), cs(country_of_issue)) != 0)
        rc = sanctum_strbuf_printf(nt, "%scountry of issue: %s", nt->len ? "; " : "", cs(country_of_issue));
    if (!rc && note->len) rc = sanctum_strbuf_printf(nt, "%s%s", nt->len ? "; " : "", cs(note));
    if (rc) return sb_fail(c, rc, n);
    sanctum_document d = { nz(t), nz(number), country, nz(issued), NULL, nz(nt) };
    return sanctum_builder_add_document(c->b, e, &d);
}

static int load_address(un_ctx *c, sanctum_entity *e, const xmlNode *n)
{
    sanctum_strbuf *street = &c->s[0], *city = &c->s[1], *state = &c->s[2], *zip = &c->s[3], *country = &c->s[4],
                   *note = &c->s[5];
    for (int i = 0; i < 6; i++) sanctum_strbuf_reset(&c->s[i]);
    for (const xmlNode *ch = n->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        if (is_el(ch, "STREET")) TRY(get_append(c, ch, street));
        else if (is_el(ch, "CITY")) TRY(get_append(c, ch, city));
        else if (is_el(ch, "STATE_PROVINCE")) TRY(get_append(c, ch, state));
        else if (is_el(ch, "ZIP_CODE")) TRY(get_append(c, ch, zip));
        else if (is_el(ch, "COUNTRY")) TRY(get_append(c, ch, country));
        else if (is_el(ch, "NOTE")) TRY(get_append(c, ch, note));
        else TRY(add_other_child(c, e, n, ch));
    }
    sanctum_address a = { nz(street), nz(city), nz(state), nz(zip), nz(country), nz(note) };
    if (!a.street && !a.city && !a.state && !a.postal && !a.country && !a.note) return 0;
    return sanctum_builder_add_address(c->b, e, &a);
}

enum { V_TITLE, V_DESIGNATION, V_NATIONALITY };

/* TITLE, DESIGNATION and NATIONALITY hold one VALUE per item. */
static int load_values(un_ctx *c, sanctum_entity *e, const xmlNode *n, int what)
{
    sanctum_strbuf *v = &c->s[0], *titles = &c->join;
    sanctum_strbuf_reset(titles);
    int has_value = 0;
    for (const xmlNode *ch = n->children; ch; ch = ch->next) has_value |= is_el(ch, "VALUE");
    for (const xmlNode *ch = has_value ? n->children : n; ch; ch = has_value ? ch->next : NULL) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        if (has_value && !is_el(ch, "VALUE")) {
            TRY(add_other_child(c, e, n, ch));
            continue;
        }
        TRY(get(c, ch, TEXT_LINE, v));
        if (!v->len) continue;
        if (what == V_NATIONALITY) TRY(sanctum_builder_add_nationality(c->b, e, cs(v)));
        else if (what == V_DESIGNATION) TRY(sanctum_builder_add_attr(c->b, e, "designation", cs(v)));
        else {
            int rc = titles->len ? sanctum_strbuf_puts(titles, "; ") : 0;
            if (!rc) rc = sanctum_strbuf_append(titles, v->data, v->len);
            if (rc) return sb_fail(c, rc, n);
        }
    }
    if (what == V_TITLE && titles->len) {
        if (e->title) {
            sanctum_strbuf_reset(&c->join2);
            int rc = sanctum_strbuf_printf(&c->join2, "%s; %s", e->title, cs(titles));
            if (rc) return sb_fail(c, rc, n);
            return sanctum_builder_set_field(c->b, &e->title, cs(&c->join2));
        }
        return sanctum_builder_set_field(c->b, &e->title, cs(titles));
    }
    return 0;
}

/* ---- one record --------------------------------------------------------------- */

static const char *const NAME_PARTS[4] = { "FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME" };

static int load_record(un_ctx *c, const xmlNode *rec, sanctum_entity_type type)
{
    const char *what = el_name(rec);
    unsigned long line = line_of(rec);
    const xmlNode *ref = NULL, *dataid = NULL, *parts[4] = { NULL, NULL, NULL, NULL };
    for (const xmlNode *ch = rec->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE) continue;
        if (!ref && is_el(ch, "REFERENCE_NUMBER")) ref = ch;
        else if (!dataid && is_el(ch, "DATAID")) dataid = ch;
        for (int i = 0; i < 4; i++)
            if (!parts[i] && is_el(ch, NAME_PARTS[i])) parts[i] = ch;
    }

    /* the key */
    sanctum_strbuf *key = &c->s[0];
    sanctum_strbuf_reset(key);
    if (ref) TRY(get(c, ref, TEXT_LINE, key));
    if (!key->len) {
        if (dataid) TRY(get(c, dataid, TEXT_LINE, key));
        if (!key->len) return warn(c, rec, "%s at line %lu has neither REFERENCE_NUMBER nor DATAID; record skipped", what, line);
        TRY(warn(c, rec, "%s at line %lu has no REFERENCE_NUMBER; its DATAID %s is used as its key", what, line, cs(key)));
    }

    /* the primary name: the parts in order, joined with spaces */
    sanctum_strbuf *name = &c->join;
    sanctum_strbuf_reset(name);
    for (int i = 0; i < 4; i++) {
        sanctum_strbuf *p = &c->s[1 + i];
        sanctum_strbuf_reset(p);
        if (parts[i]) TRY(get(c, parts[i], TEXT_LINE, p));
        if (!p->len) continue;
        int rc = name->len ? sanctum_strbuf_putc(name, ' ') : 0;
        if (!rc) rc = sanctum_strbuf_append(name, p->data, p->len);
        if (rc) return sb_fail(c, rc, rec);
    }
    if (!name->len)
        return warn(c, rec, "%s %s at line %lu has no FIRST_NAME and no other name; record skipped", what, cs(key), line);
    if (!c->s[1].len) TRY(warn(c, rec, "%s %s at line %lu has no FIRST_NAME", what, cs(key), line));

    sanctum_entity *dup = NULL;
    sanctum_entity *e = sanctum_builder_entity(c->b, cs(key), type, &dup);
    if (!e) {
        if (dup) return warn(c, rec, "%s at line %lu repeats the key %s; the first record with it is kept", what, line, cs(key));
        return fail(c, SANCTUM_ENOMEM, rec, "out of memory");
    }
    TRY(sanctum_builder_add_name(c->b, e, cs(name), NULL, NULL, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG));
    if (type == SANCTUM_TYPE_PERSON) {
        for (int i = 0; i < 4; i++) {
            if (!c->s[1 + i].len) continue;
            char k[24];
            snprintf(k, sizeof k, "name_part_%d", i + 1);
            TRY(sanctum_builder_add_attr(c->b, e, k, cs(&c->s[1 + i])));
        }
    }

    /* everything else, in file order */
    sanctum_strbuf *v = &c->s[0];
    for (const xmlNode *ch = rec->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE || ch == ref || ch == parts[0] || ch == parts[1] || ch == parts[2] ||
            ch == parts[3])
            continue;
        if (is_el(ch, "INDIVIDUAL_ALIAS") || is_el(ch, "ENTITY_ALIAS")) {
            TRY(load_alias(c, e, ch));
        } else if (is_el(ch, "NAME_ORIGINAL_SCRIPT")) {
            TRY(get(c, ch, TEXT_LINE, v));
            if (v->len) TRY(sanctum_builder_add_name(c->b, e, cs(v), NULL, NULL, SANCTUM_NAME_ORIGINAL, SANCTUM_QUALITY_STRONG));
        } else if (is_el(ch, "UN_LIST_TYPE")) {
            TRY(get(c, ch, TEXT_LINE, v));
            if (v->len) TRY(sanctum_builder_add_program(c->b, e, cs(v)));
        } else if (is_el(ch, "LISTED_ON") && !e->listed_on) {
            TRY(get(c, ch, TEXT_LINE, v));
            int y, m, d;
            if (!v->len) continue;
            if (parse_iso(cs(v), &y, &m, &d)) {
                v->data[10] = '\0';
                v->len = 10;
            } else {
                TRY(warn(c, ch, "LISTED_ON '%s' of %s is not a YYYY-MM-DD date; kept as text", cs(v), e->key));
            }
            TRY(sanctum_builder_set_field(c->b, &e->listed_on, cs(v)));
        } else if (is_el(ch, "GENDER") && !e->gender) {
            TRY(get(c, ch, TEXT_LINE, v));
            if (v->len) TRY(sanctum_builder_set_field(c->b, &e->gender, cs(v)));
        } else if (is_el(ch, "COMMENTS1") && !e->remarks) {
            TRY(get(c, ch, TEXT_BLOCK, v));
            if (v->len) TRY(sanctum_builder_set_field(c->b, &e->remarks, cs(v)));
        } else if (is_el(ch, "TITLE")) {
            TRY(load_values(c, e, ch, V_TITLE));
        } else if (is_el(ch, "DESIGNATION")) {
            TRY(load_values(c, e, ch, V_DESIGNATION));
        } else if (is_el(ch, "NATIONALITY")) {
            TRY(load_values(c, e, ch, V_NATIONALITY));
        } else if (is_el(ch, "INDIVIDUAL_DATE_OF_BIRTH")) {
            TRY(load_dob(c, e, ch));
        } else if (is_el(ch, "INDIVIDUAL_PLACE_OF_BIRTH")) {
            TRY(load_place_of_birth(c, e, ch));
        } else if (is_el(ch, "INDIVIDUAL_DOCUMENT")) {
            TRY(load_document(c, e, ch));
        } else if (is_el(ch, "INDIVIDUAL_ADDRESS") || is_el(ch, "ENTITY_ADDRESS")) {
            TRY(load_address(c, e, ch));
        } else {
            char k[128];
            make_key(k, sizeof k, NULL, el_name(ch));
            TRY(add_other(c, e, ch, k, 1));
        }
    }
    return 0;
}

/* ---- the document -------------------------------------------------------------- */

static int load_section(un_ctx *c, const xmlNode *sec, const char *record, sanctum_entity_type type)
{
    for (const xmlNode *rec = sec->children; rec; rec = rec->next) {
        if (rec->type != XML_ELEMENT_NODE) continue;
        if (!is_el(rec, record)) {
            TRY(warn(c, rec, "unexpected <%s> in <%s>; ignored", el_name(rec), el_name(sec)));
            continue;
        }
        c->records++;
        TRY(load_record(c, rec, type));
    }
    return 0;
}

static int load_published(un_ctx *c, const xmlNode *root)
{
    for (const xmlAttr *a = root->properties; a; a = a->next) {
        if (!a->name || strcmp((const char *)a->name, "dateGenerated") != 0) continue;
        sanctum_strbuf *v = &c->s[0];
        sanctum_strbuf_reset(&c->raw);
        for (const xmlNode *t = a->children; t; t = t->next)
            if (t->type == XML_TEXT_NODE && t->content) {
                int rc = sanctum_strbuf_puts(&c->raw, (const char *)t->content);
                if (rc) return sb_fail(c, rc, root);
            }
        int rc = clean(c->raw.data ? c->raw.data : "", c->raw.len, TEXT_LINE, v);
        if (rc) return sb_fail(c, rc, root);
        int y, m, d;
        if (!parse_iso(cs(v), &y, &m, &d))
            return warn(c, root, "dateGenerated '%.40s' is not an ISO date; the publication date is unknown", cs(v));
        char iso[11];
        memcpy(iso, v->data, 10);
        iso[10] = '\0';
        sanctum_builder_set_published(c->b, iso);
        return 0;
    }
    return warn(c, root, "CONSOLIDATED_LIST has no dateGenerated attribute; the publication date is unknown");
}

static int load_tree(un_ctx *c, xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) return fail(c, SANCTUM_EPARSE, NULL, "no root element");
    if (!is_el(root, "CONSOLIDATED_LIST"))
        return fail(c, SANCTUM_EPARSE, root, "root element is <%.64s>, expected <CONSOLIDATED_LIST>", el_name(root));
    TRY(load_published(c, root));
    for (const xmlNode *sec = root->children; sec; sec = sec->next) {
        if (sec->type != XML_ELEMENT_NODE) continue;
        if (is_el(sec, "INDIVIDUALS")) TRY(load_section(c, sec, "INDIVIDUAL", SANCTUM_TYPE_PERSON));
        else if (is_el(sec, "ENTITIES")) TRY(load_section(c, sec, "ENTITY", SANCTUM_TYPE_ORGANIZATION));
        else TRY(warn(c, sec, "unexpected <%s> in <CONSOLIDATED_LIST>; ignored", el_name(sec)));
    }
    return 0;
}

/* ---- parsing -------------------------------------------------------------------- */

static void on_xml_error(void *data, xml_error_ptr e)
{
    xmlParserCtxtPtr p = data;
    un_ctx *c = p ? p->_private : NULL;
    if (!c || !e) return;
    xml_issue is;
    is.level = (int)e->level;
    is.line = e->line > 0 ? (unsigned long)e->line : 0;
    is.column = e->int2;
    snprintf(is.message, sizeof is.message, "%s", e->message ? e->message : "unknown XML error");
    /* one line: libxml2 puts the offending bytes on a line of their own */
    size_t o = 0;
    for (size_t i = 0; is.message[i]; i++) {
        char ch = is_ws(is.message[i]) ? ' ' : is.message[i];
        if (ch == ' ' && (o == 0 || is.message[o - 1] == ' ')) continue;
        is.message[o++] = ch;
    }
    while (o && is.message[o - 1] == ' ') o--;
    is.message[o] = '\0';
    if (e->level == XML_ERR_FATAL && !c->have_first) {
        c->first = is;
        c->have_first = 1;
    }
    if (c->n_issues < MAX_XML_ISSUES) c->issues[c->n_issues++] = is;
    c->n_issues_total++;
}

static void silent_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

static int parse_xml(un_ctx *c, const char *bytes, size_t len, xmlDoc **out)
{
    *out = NULL;
    if (len == 0) return fail(c, SANCTUM_EPARSE, NULL, "malformed XML: the file is empty");
    pthread_once(&xml_once, xml_init);
    xmlParserCtxtPtr p = xmlCreateMemoryParserCtxt(bytes, (int)len);
    if (!p) return fail(c, SANCTUM_ENOMEM, NULL, "cannot create the XML parser");
    /* no network, no DTD loading, no entity substitution, no libxml2 output;
     * short text is stored inside its node, which saves many allocations */
    xmlCtxtUseOptions(p, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                          XML_PARSE_COMPACT);
    p->_private = c;
    if (p->sax) p->sax->serror = on_xml_error;

    xmlGenericErrorFunc old_fn = xmlGenericError;
    void *old_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlParseDocument(p);
    xmlSetGenericErrorFunc(old_ctx, old_fn);

    xmlDoc *doc = p->myDoc;
    int ok = p->wellFormed && doc;
    p->myDoc = NULL;
    xmlFreeParserCtxt(p);
    if (!ok) {
        xmlFreeDoc(doc);
        const xml_issue *why = c->have_first ? &c->first : c->n_issues ? &c->issues[0] : NULL;
        if (why) {
            sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, why->line, "malformed XML: %s (column %d)",
                              why->message, why->column);
            return SANCTUM_EPARSE;
        }
        return fail(c, SANCTUM_EPARSE, NULL, "malformed XML");
    }
    *out = doc;
    return 0;
}

int sanctum_un_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len, sanctum_error *err)
{
    /* the limit also keeps the length within libxml2's int */
    int fi = sanctum_builder_begin_file(b, &path, "consolidated.xml", &bytes, len, SANCTUM_UN_MAX_FILE, err);
    if (fi < 0) return fi;

    un_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.err = err;
    sanctum_strbuf_init(&c.raw, SANCTUM_UN_MAX_VALUE);
    for (int i = 0; i < N_SCRATCH; i++) sanctum_strbuf_init(&c.s[i], 0);
    sanctum_strbuf_init(&c.join, MAX_JOINED);
    sanctum_strbuf_init(&c.join2, MAX_JOINED);

    xmlDoc *doc = NULL;
    int rc = parse_xml(&c, bytes, len, &doc);
    if (!rc) {
        /* libxml2's non-fatal complaints about a document it could still read */
        for (size_t i = 0; i < c.n_issues && !rc; i++)
            rc = sanctum_builder_warn(b, path, c.issues[i].line, "XML: %s", c.issues[i].message);
        if (!rc && c.n_issues_total > c.n_issues)
            rc = sanctum_builder_warn(b, path, 0, "XML: %zu more problems not listed", c.n_issues_total - c.n_issues);
    }
    if (!rc) rc = load_tree(&c, doc);
    if (!rc) sanctum_builder_set_records(b, (size_t)fi, c.records);
    xmlFreeDoc(doc);
    sanctum_strbuf_free(&c.raw);
    for (int i = 0; i < N_SCRATCH; i++) sanctum_strbuf_free(&c.s[i]);
    sanctum_strbuf_free(&c.join);
    sanctum_strbuf_free(&c.join2);
    if (rc == SANCTUM_ENOMEM && err && !err->code) sanctum_error_set(err, rc, path, 0, "out of memory");
    return rc;
}

int sanctum_load_un_sc(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    return sanctum_builder_load_file(b, dir, "consolidated.xml", SANCTUM_UN_MAX_FILE, sanctum_un_parse_memory, err);
}
