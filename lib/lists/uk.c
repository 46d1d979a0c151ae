/*
 * uk.c - loads the UK consolidated list of financial sanctions targets
 * (HM Treasury OFSI, 2022 format) from its workbook, ConList.xlsx.
 *
 * The workbook is a zip archive of XML parts. libzip opens it from memory;
 * xl/sharedStrings.xml and xl/worksheets/sheet1.xml are unpacked (each size
 * checked against a cap before reading) and read with libxml2's streaming
 * reader, with network access and entity substitution off. Every shared
 * string is the concatenation of the <t> texts of its <si> (phonetic <rPh>
 * runs left out; whitespace kept as written, xml:space or not). A cell is a
 * shared string reference (t="s"), an inline string (t="inlineStr") or a
 * literal <v>; a self-closing <c/> is empty. The sheet's XML may start with
 * a byte order mark.
 *
 * The sheet has a "Last Updated" row, then the header row (found by its
 * "Name 6" cell, so the columns are read by name), then one row per name
 * variant per date-of-birth and address variant. Rows are grouped by
 * Group ID into one entity each, in the order groups first appear:
 *  - names: "Name 1".."Name 5" are given names and "Name 6" the surname
 *    (or the whole name of an entity or ship); the first "Primary name" row
 *    gives names[0]; every other distinct name is an alias: "FKA" rows are
 *    FKA names, "AKA", "Primary name variation" and further primary names
 *    are AKA names; "Low quality" makes a name weak. A name in
 *    "Name Non-Latin Script" is a name of its own (the original-script name
 *    when on a primary-name row), and its script label, normalised
 *    ("Cryillic", "Cyrilic" -> Cyrillic), is kept under "non_latin_script";
 *  - dates of birth dd/mm/yyyy, mm/yyyy or yyyy, "00" for an unknown day or
 *    month; places, nationalities, passports and national ids (documents),
 *    addresses, titles, positions, regimes (programs), dates;
 *  - "Other Information" is kept whole as the remarks; its tagged segments
 *    ("(UK Sanctions List Ref):RUS1122", "(Gender):Male", "(UN Ref):...")
 *    become fields (gender, phones, e-mails, web sites, an IMO document) or
 *    attributes named after the tag; digital currency addresses written in
 *    it ("ETH: 0x...", "Digital Currency Address: XBT 3L...") become wallets.
 * Repeated facts within a group are kept once.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlversion.h>
#include <zip.h>

#include "lists/builder.h"
#include "lists/uk.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/strmap.h"

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)
#define MAX_COLS 64
#define NO_CELL UINT32_MAX
#define MAX_STRINGS ((size_t)1 << 26)

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

enum {
    C_NAME6, C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5, C_TITLE, C_NONLATIN, C_SCRIPT_TYPE, C_SCRIPT_LANG,
    C_DOB, C_TOWN_OF_BIRTH, C_COUNTRY_OF_BIRTH, C_NATIONALITY, C_PASSPORT, C_PASSPORT_DETAILS, C_NATIONAL_ID,
    C_NATIONAL_ID_DETAILS, C_POSITION, C_ADDR1, C_ADDR2, C_ADDR3, C_ADDR4, C_ADDR5, C_ADDR6, C_POSTCODE,
    C_COUNTRY, C_OTHER, C_GROUP_TYPE, C_ALIAS_TYPE, C_ALIAS_QUALITY, C_REGIME, C_LISTED_ON, C_DESIGNATED,
    C_LAST_UPDATED, C_GROUP_ID, C_COUNT
};

static const char *const COLUMNS[C_COUNT] = {
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "Name Non-Latin Script",
    "Non-Latin Script Type", "Non-Latin Script Language", "DOB", "Town of Birth", "Country of Birth",
    "Nationality", "Passport Number", "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address 1", "Address 2", "Address 3", "Address 4",
    "Address 5", "Address 6", "Post/Zip Code", "Country", "Other Information", "Group Type", "Alias Type",
    "Alias Quality", "Regime", "Listed On", "UK Sanctions List Date Designated", "Last Updated", "Group ID",
};

/* Tags of "Other Information" segments. Only these start a segment, so
 * parenthesised text such as "(2022):" inside a value does not. */
static const char *const TAGS[] = {
    "UK Sanctions List Ref", "UK Statement of Reasons", "UN Ref", "Gender", "Phone number", "Email address",
    "Type of entity", "Website", "Parent company", "Business Reg No", "Subsidiaries", "IMO number",
    "Flag of ship", "Type of ship", "Tonnage of ship", "Length of ship", "Year built", "Current owners", "Fax",
    "Previous flags",
};
#define N_TAGS (sizeof TAGS / sizeof TAGS[0])

typedef struct row {
    unsigned long line;        /* the sheet's row number */
    uint32_t cell[MAX_COLS];   /* string index per column, NO_CELL when empty */
} row;

typedef struct xml_problem {
    int have;
    unsigned long line;
    char message[200];
} xml_problem;

typedef struct uk_ctx {
    sanctum_builder *b;
    const char *path;
    sanctum_error *err;
    /* the string table: NUL-terminated strings back to back */
    sanctum_strbuf pool;
    size_t *offs;
    size_t n_strings, cap_strings;
    size_t n_shared;           /* strings that came from sharedStrings.xml */
    /* the sheet */
    row *rows;
    size_t n_rows, cap_rows;
    size_t cols_dropped;       /* cells beyond MAX_COLS */
    unsigned long first_dropped;
    int col[C_COUNT];          /* sheet column of each named column, -1 when absent */
    size_t header;             /* index of the header row */
    /* scratch */
    sanctum_strbuf t1, t2, t3, val;
    xml_problem xml;
    const char *part;          /* the part being read, for messages */
} uk_ctx;

static int oom(uk_ctx *c, unsigned long line)
{
    return sanctum_error_set(c->err, SANCTUM_ENOMEM, c->path, line, "out of memory");
}

static int sb_rc(uk_ctx *c, int rc, unsigned long line)
{
    if (rc == SANCTUM_ELIMIT)
        return sanctum_error_set(c->err, rc, c->path, line, "%s: a value is over the size limit", c->part);
    return rc ? oom(c, line) : 0;
}

/* ---- the string table -------------------------------------------------------- */

static int add_string(uk_ctx *c, const char *s, size_t n, uint32_t *index)
{
    if (c->n_strings >= MAX_STRINGS)
        return sanctum_error_set(c->err, SANCTUM_ELIMIT, c->path, 0, "more than %zu strings in the workbook", MAX_STRINGS);
    if (c->n_strings == c->cap_strings) {
        size_t cap = c->cap_strings ? c->cap_strings * 2 : 4096;
        size_t *p = realloc(c->offs, cap * sizeof *p);
        if (!p) return oom(c, 0);
        c->offs = p;
        c->cap_strings = cap;
    }
    size_t off = c->pool.len;
    int rc = sanctum_strbuf_append(&c->pool, s, n);
    if (!rc) rc = sanctum_strbuf_putc(&c->pool, '\0');
    if (rc) return sb_rc(c, rc, 0);
    c->offs[c->n_strings] = off;
    *index = (uint32_t)c->n_strings++;
    return 0;
}

static const char *str_at(const uk_ctx *c, uint32_t i)
{
    return i == NO_CELL || i >= c->n_strings ? "" : c->pool.data + c->offs[i];
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* The trimmed value of a named column in a row, copied into out. */
static const char *cell(uk_ctx *c, const row *r, int col, sanctum_strbuf *out)
{
    sanctum_strbuf_reset(out);
    if (c->col[col] < 0) return "";
    const char *s = str_at(c, r->cell[c->col[col]]);
    size_t n = strlen(s);
    while (n && is_space(*s)) s++, n--;
    while (n && is_space(s[n - 1])) n--;
    if (sanctum_strbuf_append(out, s, n)) return NULL;
    return out->data;
}

/* ---- XML parts ------------------------------------------------------------- */

static void on_xml_error(void *arg, xml_error_ptr e)
{
    uk_ctx *c = arg;
    if (!c || !e || c->xml.have || e->level < XML_ERR_ERROR) return;
    c->xml.have = 1;
    c->xml.line = e->line > 0 ? (unsigned long)e->line : 0;
    snprintf(c->xml.message, sizeof c->xml.message, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(c->xml.message);
    while (n && is_space(c->xml.message[n - 1])) c->xml.message[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (c->xml.message[i] == '\n') c->xml.message[i] = ' ';
}

static xmlTextReaderPtr open_reader(uk_ctx *c, const char *bytes, size_t len, const char *part)
{
    c->part = part;
    memset(&c->xml, 0, sizeof c->xml);
    xmlTextReaderPtr rd = xmlReaderForMemory(bytes, (int)len, part, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (rd) xmlTextReaderSetStructuredErrorHandler(rd, on_xml_error, c);
    return rd;
}

static int xml_fail(uk_ctx *c, xmlTextReaderPtr rd)
{
    unsigned long line = c->xml.have ? c->xml.line : (unsigned long)xmlTextReaderGetParserLineNumber(rd);
    return sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, 0, "%s, line %lu: malformed XML: %s", c->part, line,
                             c->xml.have ? c->xml.message : "unreadable");
}

static const char *local_name(xmlTextReaderPtr rd)
{
    const xmlChar *n = xmlTextReaderConstLocalName(rd);
    return n ? (const char *)n : "";
}

static int is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA || type == XML_READER_TYPE_WHITESPACE ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Appends the text of the current text node to out. */
static int take_text(uk_ctx *c, xmlTextReaderPtr rd, sanctum_strbuf *out)
{
    const xmlChar *v = xmlTextReaderConstValue(rd);
    if (!v) return 0;
    return sb_rc(c, sanctum_strbuf_puts(out, (const char *)v), 0);
}

static int read_shared_strings(uk_ctx *c, const char *bytes, size_t len)
{
    xmlTextReaderPtr rd = open_reader(c, bytes, len, "xl/sharedStrings.xml");
    if (!rd) return oom(c, 0);
    int rc = 0, ret, in_si = 0, in_t = 0, in_rph = 0;
    sanctum_strbuf *text = &c->val;
    while (!rc && (ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        const char *name = local_name(rd);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(rd);
            if (strcmp(name, "si") == 0) {
                sanctum_strbuf_reset(text);
                in_si = 1;
                if (empty) {
                    uint32_t ix;
                    rc = add_string(c, "", 0, &ix);
                    in_si = 0;
                }
            } else if (strcmp(name, "rPh") == 0 && !empty) {
                in_rph = 1;
            } else if (strcmp(name, "t") == 0 && !empty) {
                in_t = 1;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(name, "si") == 0 && in_si) {
                uint32_t ix;
                rc = add_string(c, text->data ? text->data : "", text->len, &ix);
                in_si = 0;
            } else if (strcmp(name, "rPh") == 0) {
                in_rph = 0;
            } else if (strcmp(name, "t") == 0) {
                in_t = 0;
            }
        } else if (is_text_node(type) && in_si && in_t && !in_rph) {
            rc = take_text(c, rd, text);
        }
    }
    if (!rc && (ret < 0 || c->xml.have)) rc = xml_fail(c, rd);
    xmlFreeTextReader(rd);
    c->n_shared = c->n_strings;
    return rc;
}

/* "AB12" -> 27 (0-based column); -1 when it does not start with letters. */
static long column_of(const char *ref)
{
    long col = 0;
    int letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) {
        if (letters == 4) return -1;
        col = col * 26 + (*ref - 'A' + 1);
    }
    return letters ? col - 1 : -1;
}

static int push_row(uk_ctx *c, unsigned long line)
{
    if (c->n_rows == c->cap_rows) {
        size_t cap = c->cap_rows ? c->cap_rows * 2 : 1024;
        row *p = realloc(c->rows, cap * sizeof *p);
        if (!p) return oom(c, line);
        c->rows = p;
        c->cap_rows = cap;
    }
    row *r = &c->rows[c->n_rows++];
    r->line = line;
    for (int i = 0; i < MAX_COLS; i++) r->cell[i] = NO_CELL;
    return 0;
}

/* The value of one <c> once its element ends. */
typedef struct cell_state {
    long col;
    char t[16];
    int have_v, in_v, in_is_t;
} cell_state;

static int finish_cell(uk_ctx *c, cell_state *cs)
{
    row *r = &c->rows[c->n_rows - 1];
    if (cs->col < 0) return 0;
    if (cs->col >= MAX_COLS) {
        if (!c->cols_dropped++) c->first_dropped = r->line;
        return 0;
    }
    if (!cs->have_v) return 0;
    const char *v = c->val.data ? c->val.data : "";
    uint32_t ix;
    if (strcmp(cs->t, "s") == 0) {
        char *end = NULL;
        unsigned long long n = strtoull(v, &end, 10);
        if (end == v || *end || n >= c->n_shared)
            return sanctum_builder_warn(c->b, c->path, r->line,
                                        "xl/worksheets/sheet1.xml row %lu: cell refers to shared string '%.20s', "
                                        "which does not exist; cell left empty", r->line, v);
        r->cell[cs->col] = (uint32_t)n;
        return 0;
    }
    TRY(add_string(c, v, c->val.len, &ix));
    r->cell[cs->col] = ix;
    return 0;
}

static int read_sheet(uk_ctx *c, const char *bytes, size_t len)
{
    xmlTextReaderPtr rd = open_reader(c, bytes, len, "xl/worksheets/sheet1.xml");
    if (!rd) return oom(c, 0);
    int rc = 0, ret, in_row = 0, in_cell = 0;
    unsigned long next_line = 1;
    long next_col = 0;
    cell_state cs;
    memset(&cs, 0, sizeof cs);
    while (!rc && (ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        const char *name = local_name(rd);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(rd);
            if (strcmp(name, "row") == 0) {
                xmlChar *r = xmlTextReaderGetAttribute(rd, (const xmlChar *)"r");
                unsigned long line = next_line;
                if (r) {
                    char *end = NULL;
                    unsigned long v = strtoul((const char *)r, &end, 10);
                    if (end != (char *)r && !*end && v > 0) line = v;
                    xmlFree(r);
                }
                next_line = line + 1;
                next_col = 0;
                rc = push_row(c, line);
                in_row = !empty;
            } else if (strcmp(name, "c") == 0 && in_row) {
                memset(&cs, 0, sizeof cs);
                xmlChar *ref = xmlTextReaderGetAttribute(rd, (const xmlChar *)"r");
                xmlChar *t = xmlTextReaderGetAttribute(rd, (const xmlChar *)"t");
                cs.col = ref ? column_of((const char *)ref) : next_col;
                if (cs.col < 0) cs.col = next_col;
                next_col = cs.col + 1;
                snprintf(cs.t, sizeof cs.t, "%s", t ? (const char *)t : "n");
                xmlFree(ref);
                xmlFree(t);
                sanctum_strbuf_reset(&c->val);
                in_cell = !empty;
            } else if (in_cell && strcmp(name, "v") == 0) {
                cs.have_v = 1;
                cs.in_v = !empty;
            } else if (in_cell && strcmp(name, "t") == 0 && strcmp(cs.t, "inlineStr") == 0) {
                cs.have_v = 1;
                cs.in_is_t = !empty;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(name, "row") == 0) {
                in_row = 0;
            } else if (strcmp(name, "c") == 0 && in_cell) {
                in_cell = 0;
                rc = finish_cell(c, &cs);
            } else if (strcmp(name, "v") == 0) {
                cs.in_v = 0;
            } else if (strcmp(name, "t") == 0) {
                cs.in_is_t = 0;
            }
        } else if (is_text_node(type) && in_cell && (cs.in_v || cs.in_is_t)) {
            rc = take_text(c, rd, &c->val);
        }
    }
    if (!rc && (ret < 0 || c->xml.have)) rc = xml_fail(c, rd);
    xmlFreeTextReader(rd);
    if (!rc && c->cols_dropped)
        rc = sanctum_builder_warn(c->b, c->path, c->first_dropped, "%zu cells beyond column %d were not read "
                                  "(first in row %lu)", c->cols_dropped, MAX_COLS, c->first_dropped);
    return rc;
}

/* ---- the archive ------------------------------------------------------------ */

static int read_part(uk_ctx *c, zip_t *z, const char *name, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0)
        return sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, 0, "the workbook has no %s", name);
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > SANCTUM_UK_MAX_PART || st.size > (zip_uint64_t)INT32_MAX)
        return sanctum_error_set(c->err, SANCTUM_ELIMIT, c->path, 0, "%s unpacks to more than %zu bytes", name,
                                 SANCTUM_UK_MAX_PART);
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) return sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, 0, "cannot open %s: %s", name, zip_strerror(z));
    char *buf = malloc((size_t)st.size + 1);
    if (!buf) {
        zip_fclose(f);
        return oom(c, 0);
    }
    zip_int64_t n = zip_fread(f, buf, st.size);
    char probe;
    zip_int64_t more = n >= 0 ? zip_fread(f, &probe, 1) : 0;
    int bad = n < 0 || (zip_uint64_t)n != st.size || more != 0;
    char why[160];
    snprintf(why, sizeof why, "%s", zip_file_strerror(f));
    zip_fclose(f);
    if (bad) {
        free(buf);
        return sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, 0, "cannot unpack %s: %s", name,
                                 n < 0 ? why : "its size differs from the size the archive states");
    }
    buf[n] = '\0';
    *out = buf;
    *len = (size_t)n;
    return 0;
}

static int read_workbook(uk_ctx *c, const char *bytes, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return oom(c, 0);
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z) {
        int rc = sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, 0, "not a readable xlsx (zip) file: %s",
                                   zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    char *part = NULL;
    size_t plen = 0;
    int rc = 0;
    zip_stat_t st;
    if (zip_stat(z, "xl/sharedStrings.xml", 0, &st) == 0) {
        rc = read_part(c, z, "xl/sharedStrings.xml", &part, &plen);
        if (!rc) rc = read_shared_strings(c, part, plen);
        free(part);
        part = NULL;
    }
    if (!rc) rc = read_part(c, z, "xl/worksheets/sheet1.xml", &part, &plen);
    if (!rc) rc = read_sheet(c, part, plen);
    free(part);
    zip_discard(z);
    return rc;
}

/* ---- dates ----------------------------------------------------------------- */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* dd/mm/yyyy, mm/yyyy or yyyy; 00 for an unknown part. Returns 1 if read. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
    size_t n = strlen(s);
    *y = *m = *d = 0;
    if (n == 10 && s[2] == '/' && s[5] == '/') {
        *d = digits(s, 2);
        *m = digits(s + 3, 2);
        *y = digits(s + 6, 4);
    } else if (n == 7 && s[2] == '/') {
        *m = digits(s, 2);
        *y = digits(s + 3, 4);
    } else if (n == 4) {
        *y = digits(s, 4);
    } else {
        return 0;
    }
    return *y >= 0 && *m >= 0 && *m <= 12 && *d >= 0 && *d <= 31;
}

/* "dd/mm/yyyy" -> "yyyy-mm-dd" (unknown parts dropped). */
static int iso_of(const char *s, char out[32])
{
    int y, m, d;
    if (!parse_date(s, &y, &m, &d) || y <= 0) return 0;
    if (m && d) snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
    else if (m) snprintf(out, 32, "%04d-%02d", y, m);
    else snprintf(out, 32, "%04d", y);
    return 1;
}

/* ---- set-like helpers ---------------------------------------------------------- */

static int add_attr(uk_ctx *c, sanctum_entity *e, const char *key, const char *value)
{
    if (!value || !*value) return 0;
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0 && strcmp(e->attrs[i].value, value) == 0) return 0;
    return sanctum_builder_add_attr(c->b, e, key, value) ? oom(c, 0) : 0;
}

typedef int (*add_str_fn)(sanctum_builder *, sanctum_entity *, const char *);
static int add_unique(uk_ctx *c, sanctum_entity *e, const char **arr, size_t n, add_str_fn fn, const char *s)
{
    if (!s || !*s || sanctum_lists_has_str(arr, n, s)) return 0;
    return fn(c->b, e, s) ? oom(c, 0) : 0;
}

static int add_name(uk_ctx *c, sanctum_entity *e, const char *full, const char *surname, const char *given,
                    sanctum_name_kind kind, sanctum_name_quality q)
{
    if (!full || !*full) return 0;
    for (size_t i = 0; i < e->n_names; i++)
        if (sanctum_lists_ascii_ieq(e->names[i].full, full)) return 0;
    return sanctum_builder_add_name(c->b, e, full, surname && *surname ? surname : NULL,
                                    given && *given ? given : NULL, kind, q) ? oom(c, 0) : 0;
}

/* ---- one group --------------------------------------------------------------- */

/* The row's name: given names (Name 1..5) then the surname (Name 6).
 * Fills c->t1 (full), c->t2 (given), c->t3 (surname). */
static int row_name(uk_ctx *c, const row *r)
{
    sanctum_strbuf *given = &c->t2;
    sanctum_strbuf_reset(given);
    int rc = sanctum_strbuf_puts(given, "");
    static const int GIVEN[5] = { C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5 };
    for (int i = 0; i < 5 && !rc; i++) {
        const char *v = cell(c, r, GIVEN[i], &c->val);
        if (!v) return oom(c, r->line);
        if (!*v) continue;
        if (given->len) rc = sanctum_strbuf_putc(given, ' ');
        if (!rc) rc = sanctum_strbuf_puts(given, v);
    }
    const char *sur = cell(c, r, C_NAME6, &c->t3);
    if (!sur) return oom(c, r->line);
    sanctum_strbuf_reset(&c->t1);
    if (!rc) rc = sanctum_strbuf_puts(&c->t1, given->data);
    if (!rc && given->len && *sur) rc = sanctum_strbuf_putc(&c->t1, ' ');
    if (!rc) rc = sanctum_strbuf_puts(&c->t1, sur);
    return sb_rc(c, rc, r->line);
}

static const char *script_label(const char *type)
{
    if (strcmp(type, "Cryillic") == 0 || strcmp(type, "Cyrilic") == 0 || strcmp(type, "Russian") == 0)
        return "Cyrillic";
    if (strcmp(type, "Persian") == 0) return "Arabic";
    return type;
}

static int is_tag(const char *s, size_t n, size_t *tag_index)
{
    for (size_t i = 0; i < N_TAGS; i++)
        if (strlen(TAGS[i]) == n && memcmp(TAGS[i], s, n) == 0) {
            *tag_index = i;
            return 1;
        }
    return 0;
}

/* "Phone number" -> "phone_number" */
static void attr_key(const char *tag, char *out, size_t size)
{
    size_t o = 0;
    for (; *tag && o + 1 < size; tag++) {
        char ch = *tag;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
        else if (ch == ' ' || ch == '/') ch = '_';
        out[o++] = ch;
    }
    out[o] = '\0';
}

static int segment(uk_ctx *c, sanctum_entity *e, size_t tag, const char *v, size_t n)
{
    while (n && (is_space(*v))) v++, n--;
    while (n && (is_space(v[n - 1]) || v[n - 1] == '.')) n--;
    if (!n) return 0;
    sanctum_strbuf_reset(&c->t3);
    TRY(sb_rc(c, sanctum_strbuf_append(&c->t3, v, n), 0));
    const char *s = c->t3.data;
    const char *t = TAGS[tag];
    /* a short value ends at its sentence: the free text after it belongs to
     * no tag and stays in the remarks only */
    static const char *const SHORT[] = { "UK Sanctions List Ref", "UN Ref", "Gender", "IMO number", "Year built",
                                         "Flag of ship", "Type of ship", "Tonnage of ship", "Length of ship" };
    for (size_t i = 0; i < sizeof SHORT / sizeof SHORT[0]; i++) {
        if (strcmp(t, SHORT[i]) != 0) continue;
        for (size_t k = 0; k + 1 < c->t3.len; k++)
            if (c->t3.data[k] == '.' && is_space(c->t3.data[k + 1])) {
                c->t3.data[k] = '\0';
                c->t3.len = k;
                break;
            }
    }
    if (strcmp(t, "Gender") == 0) {
        if (!e->gender) return sanctum_builder_set_field(c->b, &e->gender, s) ? oom(c, 0) : 0;
        return strcmp(e->gender, s) ? add_attr(c, e, "gender", s) : 0;
    }
    if (strcmp(t, "Phone number") == 0) return add_unique(c, e, e->phones, e->n_phones, sanctum_builder_add_phone, s);
    if (strcmp(t, "Email address") == 0) return add_unique(c, e, e->emails, e->n_emails, sanctum_builder_add_email, s);
    if (strcmp(t, "Website") == 0) return add_unique(c, e, e->websites, e->n_websites, sanctum_builder_add_website, s);
    if (strcmp(t, "IMO number") == 0) {
        for (size_t i = 0; i < e->n_documents; i++)
            if (strcmp(e->documents[i].type, "IMO") == 0 && strcmp(e->documents[i].number, s) == 0) return 0;
        sanctum_document d = { "IMO", s, NULL, NULL, NULL, NULL };
        return sanctum_builder_add_document(c->b, e, &d) ? oom(c, 0) : 0;
    }
    char key[64];
    attr_key(t, key, sizeof key);
    return add_attr(c, e, key, s);
}

/* Splits "Other Information" into its tagged segments. */
static int other_information(uk_ctx *c, sanctum_entity *e, const char *s)
{
    size_t len = strlen(s), cur_tag = 0, seg_start = 0;
    int in_seg = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '(' || (i > 0 && !is_space(s[i - 1]) && s[i - 1] != '.')) continue;
        const char *close = memchr(s + i + 1, ')', len - i - 1);
        size_t tag;
        if (!close || close[1] != ':' || !is_tag(s + i + 1, (size_t)(close - s - i - 1), &tag)) continue;
        if (in_seg) TRY(segment(c, e, cur_tag, s + seg_start, i - seg_start));
        cur_tag = tag;
        in_seg = 1;
        seg_start = (size_t)(close - s) + 2;
        i = seg_start - 1;
    }
    if (in_seg) TRY(segment(c, e, cur_tag, s + seg_start, len - seg_start));
    return 0;
}

static int is_alnum(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Spaces between a currency label and its address: ASCII blanks, U+00A0,
 * U+202F. Returns the bytes skipped. */
static size_t skip_gap(const char *s)
{
    size_t i = 0;
    for (;;) {
        if (s[i] == ' ' || s[i] == '\t') i++;
        else if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) i += 2;
        else if ((unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAF) i += 3;
        else return i;
    }
}

/* "ETH: 0x...", "USDT:\u202f T...", "Digital Currency Address: XBT 3L...":
 * an upper-case label of 2 to 5 letters, an optional colon, a gap, then an
 * address of 26 or more letters and digits. */
static int wallets(uk_ctx *c, sanctum_entity *e, const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && is_alnum((unsigned char)s[i - 1])) continue;
        size_t j = i;
        while (j < len && s[j] >= 'A' && s[j] <= 'Z') j++;
        size_t label = j - i;
        if (label < 2 || label > 5) continue;
        size_t k = j + (s[j] == ':');
        size_t gap = skip_gap(s + k);
        if (!gap) continue;
        k += gap;
        size_t a = k;
        while (k < len && is_alnum((unsigned char)s[k])) k++;
        if (k - a < 26) continue;
        char cur[8], addr[128];
        if (k - a >= sizeof addr) continue;
        snprintf(cur, sizeof cur, "%.*s", (int)label, s + i);
        snprintf(addr, sizeof addr, "%.*s", (int)(k - a), s + a);
        int seen = 0;
        for (size_t w = 0; w < e->n_wallets; w++)
            if (strcmp(e->wallets[w].address, addr) == 0 && strcmp(e->wallets[w].currency, cur) == 0) seen = 1;
        if (!seen && sanctum_builder_add_wallet(c->b, e, cur, addr)) return oom(c, 0);
        i = k;
    }
    return 0;
}

static int row_facts(uk_ctx *c, sanctum_entity *e, const row *r)
{
    sanctum_builder *b = c->b;
    sanctum_strbuf *v = &c->val;
    const char *s;
#define CELL(col) do { s = cell(c, r, (col), v); if (!s) return oom(c, r->line); } while (0)

    CELL(C_TITLE);
    if (*s) {
        if (!e->title) {
            if (sanctum_builder_set_field(b, &e->title, s)) return oom(c, r->line);
        } else if (strcmp(e->title, s) != 0) {
            TRY(add_attr(c, e, "title", s));
        }
    }
    CELL(C_DOB);
    if (*s) {
        int seen = 0;
        for (size_t i = 0; i < e->n_dobs; i++) seen |= strcmp(e->dobs[i].text, s) == 0;
        if (!seen) {
            sanctum_date d;
            memset(&d, 0, sizeof d);
            d.text = s;
            if (!parse_date(s, &d.year, &d.month, &d.day) || d.year <= 0) {
                d.year = d.month = d.day = 0;
                TRY(sanctum_builder_warn(b, c->path, r->line, "row %lu: DOB '%.40s' is not dd/mm/yyyy, mm/yyyy or "
                                         "yyyy; kept as text", r->line, s));
            }
            if (sanctum_builder_add_dob(b, e, &d)) return oom(c, r->line);
        }
    }
    /* place of birth: "town, country" */
    const char *town = cell(c, r, C_TOWN_OF_BIRTH, &c->t1);
    const char *country = cell(c, r, C_COUNTRY_OF_BIRTH, &c->t2);
    if (!town || !country) return oom(c, r->line);
    if (*town || *country) {
        sanctum_strbuf_reset(v);
        int rc = sanctum_strbuf_puts(v, town);
        if (!rc && *town && *country) rc = sanctum_strbuf_puts(v, ", ");
        if (!rc) rc = sanctum_strbuf_puts(v, country);
        TRY(sb_rc(c, rc, r->line));
        TRY(add_unique(c, e, e->places_of_birth, e->n_places_of_birth, sanctum_builder_add_place_of_birth, v->data));
    }
    CELL(C_NATIONALITY);
    TRY(add_unique(c, e, e->nationalities, e->n_nationalities, sanctum_builder_add_nationality, s));
    CELL(C_POSITION);
    TRY(add_attr(c, e, "position", s));
    CELL(C_REGIME);
    TRY(add_unique(c, e, e->programs, e->n_programs, sanctum_builder_add_program, s));

    /* documents */
    static const struct { int num, details; const char *type; } DOCS[2] = {
        { C_PASSPORT, C_PASSPORT_DETAILS, "Passport" },
        { C_NATIONAL_ID, C_NATIONAL_ID_DETAILS, "National Identification Number" },
    };
    for (int k = 0; k < 2; k++) {
        const char *num = cell(c, r, DOCS[k].num, &c->t1);
        const char *det = cell(c, r, DOCS[k].details, &c->t2);
        if (!num || !det) return oom(c, r->line);
        if (!*num && !*det) continue;
        int seen = 0;
        for (size_t i = 0; i < e->n_documents; i++) {
            const sanctum_document *d = &e->documents[i];
            if (strcmp(d->type, DOCS[k].type) == 0 && strcmp(d->number ? d->number : "", num) == 0 &&
                strcmp(d->note ? d->note : "", det) == 0)
                seen = 1;
        }
        sanctum_document d = { DOCS[k].type, *num ? num : NULL, NULL, NULL, NULL, *det ? det : NULL };
        if (!seen && sanctum_builder_add_document(b, e, &d)) return oom(c, r->line);
    }

    /* address */
    {
        sanctum_strbuf *street = &c->t3;
        sanctum_strbuf_reset(street);
        int rc = sanctum_strbuf_puts(street, "");
        static const int ADDR[6] = { C_ADDR1, C_ADDR2, C_ADDR3, C_ADDR4, C_ADDR5, C_ADDR6 };
        for (int k = 0; k < 6 && !rc; k++) {
            CELL(ADDR[k]);
            if (!*s) continue;
            if (street->len) rc = sanctum_strbuf_puts(street, ", ");
            if (!rc) rc = sanctum_strbuf_puts(street, s);
        }
        TRY(sb_rc(c, rc, r->line));
        const char *post = cell(c, r, C_POSTCODE, &c->t1);
        const char *ctry = cell(c, r, C_COUNTRY, &c->t2);
        if (!post || !ctry) return oom(c, r->line);
        if (street->len || *post || *ctry) {
            sanctum_address a = { street->len ? street->data : NULL, NULL, NULL, *post ? post : NULL,
                                  *ctry ? ctry : NULL, NULL };
            int seen = 0;
            for (size_t i = 0; i < e->n_addresses && !seen; i++) {
                const sanctum_address *o = &e->addresses[i];
                seen = strcmp(o->street ? o->street : "", street->data) == 0 &&
                       strcmp(o->postal ? o->postal : "", post) == 0 && strcmp(o->country ? o->country : "", ctry) == 0;
            }
            if (!seen && sanctum_builder_add_address(b, e, &a)) return oom(c, r->line);
        }
    }

    /* dates of the listing */
    CELL(C_LISTED_ON);
    if (*s) {
        char iso[32];
        if (!e->listed_on && iso_of(s, iso)) {
            if (sanctum_builder_set_field(b, &e->listed_on, iso)) return oom(c, r->line);
        } else if (!e->listed_on) {
            TRY(sanctum_builder_warn(b, c->path, r->line, "row %lu: Listed On '%.40s' is not dd/mm/yyyy; kept as "
                                     "an attribute", r->line, s));
            TRY(add_attr(c, e, "listed_on", s));
        }
    }
    CELL(C_DESIGNATED);
    TRY(add_attr(c, e, "date_designated", s));
    CELL(C_LAST_UPDATED);
    TRY(add_attr(c, e, "last_updated", s));

    /* other information */
    CELL(C_OTHER);
    if (*s) {
        if (!e->remarks) {
            if (sanctum_builder_set_field(b, &e->remarks, s)) return oom(c, r->line);
        } else if (strcmp(e->remarks, s) != 0) {
            int seen = 0;
            for (size_t i = 0; i < e->n_attrs; i++)
                seen |= strcmp(e->attrs[i].key, "other_information") == 0 && strcmp(e->attrs[i].value, s) == 0;
            if (seen) return 0;
            TRY(add_attr(c, e, "other_information", s));
        } else {
            return 0;  /* the same text as an earlier row: already read */
        }
        /* segments and wallets read from a copy: they use the scratch buffers */
        char *copy = strdup(s);
        if (!copy) return oom(c, r->line);
        int rc = other_information(c, e, copy);
        if (!rc) rc = wallets(c, e, copy);
        free(copy);
        TRY(rc);
    }
#undef CELL
    return 0;
}

static int load_group(uk_ctx *c, const size_t *rows, size_t n)
{
    sanctum_builder *b = c->b;
    const row *first = &c->rows[rows[0]];
    const char *gid = cell(c, first, C_GROUP_ID, &c->t1);
    if (!gid) return oom(c, first->line);
    char key[128];
    snprintf(key, sizeof key, "%s", gid);

    const char *gt = cell(c, first, C_GROUP_TYPE, &c->val);
    if (!gt) return oom(c, first->line);
    sanctum_entity_type type = SANCTUM_TYPE_UNKNOWN;
    if (strcmp(gt, "Individual") == 0) type = SANCTUM_TYPE_PERSON;
    else if (strcmp(gt, "Entity") == 0) type = SANCTUM_TYPE_ORGANIZATION;
    else if (strcmp(gt, "Ship") == 0) type = SANCTUM_TYPE_VESSEL;
    else TRY(sanctum_builder_warn(b, c->path, first->line, "row %lu: group %s has the unknown Group Type '%.40s'; "
                                  "entity type left unknown", first->line, key, gt));

    /* the primary row: the first "Primary name" row with a name */
    size_t primary = n;
    for (size_t i = 0; i < n && primary == n; i++) {
        const char *at = cell(c, &c->rows[rows[i]], C_ALIAS_TYPE, &c->val);
        if (!at) return oom(c, first->line);
        if (strcmp(at, "Primary name") == 0) {
            TRY(row_name(c, &c->rows[rows[i]]));
            if (c->t1.len) primary = i;
        }
    }
    if (primary == n) {
        for (size_t i = 0; i < n && primary == n; i++) {
            TRY(row_name(c, &c->rows[rows[i]]));
            if (c->t1.len) primary = i;
        }
        if (primary == n)
            return sanctum_builder_warn(b, c->path, first->line, "group %s (%zu rows from row %lu) has no name in "
                                        "any row; group skipped", key, n, first->line);
        TRY(sanctum_builder_warn(b, c->path, c->rows[rows[primary]].line, "group %s has no 'Primary name' row; the "
                                 "name of row %lu is used as its primary name", key, c->rows[rows[primary]].line));
    }
    sanctum_entity *dup = NULL;
    sanctum_entity *e = sanctum_builder_entity(b, key, type, &dup);
    if (!e) return dup ? sanctum_builder_warn(b, c->path, first->line, "group %s repeats a key; skipped", key)
                       : oom(c, first->line);
    TRY(row_name(c, &c->rows[rows[primary]]));
    if (sanctum_builder_add_name(b, e, c->t1.data, c->t3.len ? c->t3.data : NULL, c->t2.len ? c->t2.data : NULL,
                                 SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG))
        return oom(c, first->line);

    for (size_t k = 0; k <= n; k++) {
        /* the primary row first, then the others in sheet order */
        size_t i = k == 0 ? primary : k - 1;
        if (k > 0 && i == primary) continue;
        const row *r = &c->rows[rows[i]];
        const char *at = cell(c, r, C_ALIAS_TYPE, &c->val);
        if (!at) return oom(c, r->line);
        sanctum_name_kind kind = SANCTUM_NAME_AKA;
        int is_primary = strcmp(at, "Primary name") == 0;
        if (strcmp(at, "FKA") == 0) kind = SANCTUM_NAME_FKA;
        else if (!is_primary && strcmp(at, "AKA") != 0 && strcmp(at, "Primary name variation") != 0)
            TRY(sanctum_builder_warn(b, c->path, r->line, "row %lu: unknown Alias Type '%.40s'; read as AKA", r->line, at));
        const char *aq = cell(c, r, C_ALIAS_QUALITY, &c->val);
        if (!aq) return oom(c, r->line);
        sanctum_name_quality q = strncmp(aq, "Low", 3) == 0 ? SANCTUM_QUALITY_WEAK : SANCTUM_QUALITY_STRONG;
        TRY(row_name(c, r));
        if (!c->t1.len)
            TRY(sanctum_builder_warn(b, c->path, r->line, "row %lu of group %s has no name; its other cells are "
                                     "read", r->line, key));
        else
            TRY(add_name(c, e, c->t1.data, c->t3.data, c->t2.data, kind, q));

        const char *nl = cell(c, r, C_NONLATIN, &c->t1);
        if (!nl) return oom(c, r->line);
        if (*nl) {
            char *name = strdup(nl);
            if (!name) return oom(c, r->line);
            int rc = add_name(c, e, name, NULL, NULL, is_primary ? SANCTUM_NAME_ORIGINAL : kind, SANCTUM_QUALITY_STRONG);
            const char *st = rc ? NULL : cell(c, r, C_SCRIPT_TYPE, &c->t2);
            const char *sl = rc || !st ? NULL : cell(c, r, C_SCRIPT_LANG, &c->t3);
            if (!rc && (!st || !sl)) rc = oom(c, r->line);
            if (!rc) {
                sanctum_strbuf_reset(&c->val);
                const char *lang = strcmp(sl, "Persian/Farsi") == 0 ? "Persian" : sl;
                rc = sanctum_strbuf_printf(&c->val, "%s%s%s%s: %s", *st ? script_label(st) : "unstated",
                                           *lang ? " (" : "", lang, *lang ? ")" : "", name);
                rc = sb_rc(c, rc, r->line);
            }
            if (!rc) rc = add_attr(c, e, "non_latin_script", c->val.data);
            free(name);
            TRY(rc);
        }
        TRY(row_facts(c, e, r));
    }
    return 0;
}

/* Finds the header row, reads the "Last Updated" row, groups the data rows
 * by Group ID and loads each group. */
static int load_rows(uk_ctx *c, size_t *records)
{
    sanctum_builder *b = c->b;
    size_t header = c->n_rows;
    for (size_t i = 0; i < c->n_rows && i < 10 && header == c->n_rows; i++)
        for (int k = 0; k < MAX_COLS; k++)
            if (strcmp(str_at(c, c->rows[i].cell[k]), "Name 6") == 0) header = i;
    if (header == c->n_rows)
        return sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, 0, "xl/worksheets/sheet1.xml: no header row "
                                 "(a row with a 'Name 6' cell) in the first 10 rows");
    for (int k = 0; k < C_COUNT; k++) c->col[k] = -1;
    for (int col = 0; col < MAX_COLS; col++) {
        const char *h = str_at(c, c->rows[header].cell[col]);
        for (int k = 0; k < C_COUNT; k++)
            if (c->col[k] < 0 && strcmp(h, COLUMNS[k]) == 0) c->col[k] = col;
    }
    if (c->col[C_GROUP_ID] < 0)
        return sanctum_error_set(c->err, SANCTUM_EPARSE, c->path, c->rows[header].line,
                                 "xl/worksheets/sheet1.xml: the header row has no 'Group ID' column");
    for (int k = 0; k < C_COUNT; k++)
        if (c->col[k] < 0)
            TRY(sanctum_builder_warn(b, c->path, c->rows[header].line, "the header row lacks the column '%s'; its "
                                     "values are taken as empty", COLUMNS[k]));
    for (size_t i = 0; i < header; i++) {
        const row *r = &c->rows[i];
        if (strcmp(str_at(c, r->cell[0]), "Last Updated") == 0) {
            char iso[32];
            if (iso_of(str_at(c, r->cell[1]), iso) && strlen(iso) == 10) sanctum_builder_set_published(b, iso);
            else TRY(sanctum_builder_warn(b, c->path, r->line, "'Last Updated' date '%.20s' is not dd/mm/yyyy",
                                          str_at(c, r->cell[1])));
        }
    }

    /* group rows: next[] chains the rows of a group in sheet order */
    size_t n = c->n_rows - header - 1;
    *records = n;
    size_t *next = malloc((n ? n : 1) * sizeof *next);
    size_t *heads = malloc((n ? n : 1) * sizeof *heads), *tails = malloc((n ? n : 1) * sizeof *tails);
    size_t *counts = calloc(n ? n : 1, sizeof *counts);
    size_t *list = NULL;
    sanctum_strmap groups;
    sanctum_strmap_init(&groups);
    size_t n_groups = 0, max_rows = 0;
    int rc = next && heads && tails && counts ? 0 : oom(c, 0);
    for (size_t i = 0; i < n && !rc; i++) {
        const row *r = &c->rows[header + 1 + i];
        next[i] = SIZE_MAX;
        const char *gid = str_at(c, r->cell[c->col[C_GROUP_ID]]);
        size_t glen = strlen(gid);
        while (glen && is_space(*gid)) gid++, glen--;
        while (glen && is_space(gid[glen - 1])) glen--;
        if (!glen) {
            rc = sanctum_builder_warn(b, c->path, r->line, "row %lu has no Group ID; row skipped", r->line);
            continue;
        }
        if (glen > 100) {
            rc = sanctum_builder_warn(b, c->path, r->line, "row %lu: Group ID is over 100 bytes; row skipped", r->line);
            continue;
        }
        size_t g;
        if (sanctum_strmap_get(&groups, gid, glen, &g)) {
            next[tails[g]] = i;
            tails[g] = i;
        } else {
            g = n_groups++;
            heads[g] = tails[g] = i;
            if (sanctum_strmap_put(&groups, gid, glen, g)) rc = oom(c, r->line);
        }
        if (++counts[g] > max_rows) max_rows = counts[g];
    }
    if (!rc && max_rows) {
        list = malloc(max_rows * sizeof *list);
        if (!list) rc = oom(c, 0);
    }
    for (size_t g = 0; g < n_groups && !rc; g++) {
        size_t k = 0;
        for (size_t i = heads[g]; i != SIZE_MAX && k < max_rows; i = next[i]) list[k++] = header + 1 + i;
        rc = load_group(c, list, k);
    }
    sanctum_strmap_free(&groups);
    free(next);
    free(heads);
    free(tails);
    free(counts);
    free(list);
    return rc;
}

int sanctum_uk_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len, sanctum_error *err)
{
    int fi = sanctum_builder_begin_file(b, &path, "ConList.xlsx", &bytes, len, SANCTUM_UK_MAX_FILE, err);
    if (fi < 0) return fi;

    uk_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.err = err;
    c.part = "ConList.xlsx";
    sanctum_strbuf_init(&c.pool, (size_t)1 << 31);
    sanctum_strbuf_init(&c.t1, 0);
    sanctum_strbuf_init(&c.t2, 0);
    sanctum_strbuf_init(&c.t3, 0);
    sanctum_strbuf_init(&c.val, 0);
    size_t records = 0;
    int rc = read_workbook(&c, bytes, len);
    if (!rc) rc = load_rows(&c, &records);
    if (!rc) sanctum_builder_set_records(b, (size_t)fi, records);
    sanctum_strbuf_free(&c.pool);
    sanctum_strbuf_free(&c.t1);
    sanctum_strbuf_free(&c.t2);
    sanctum_strbuf_free(&c.t3);
    sanctum_strbuf_free(&c.val);
    free(c.offs);
    free(c.rows);
    if (rc == SANCTUM_ENOMEM && err && !err->code) sanctum_error_set(err, rc, path, 0, "out of memory");
    return rc;
}

int sanctum_load_uk(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    return sanctum_builder_load_file(b, dir, "ConList.xlsx", SANCTUM_UK_MAX_FILE, sanctum_uk_parse_memory, err);
}
