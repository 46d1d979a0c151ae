/*
 * csl.c - loads the US Consolidated Screening List (consolidated.csv), the
 * merge of thirteen Commerce, State and Treasury lists published by the
 * International Trade Administration.
 *
 * The file has one row per entry per source list, so an OFAC party that is
 * on the SDN list and on, say, the SSI list appears on two rows with the
 * same `_id`. Rows are merged into one entity per `_id` (the key): the first
 * row gives the primary name and the type; later rows add their programs,
 * their source list and whatever names and facts the entity lacks. A row
 * whose source is the SDN list gets the attribute "ofac_ent_num" (= `_id`),
 * which ties it to the same party of the ofac-sdn source.
 *
 * Multi-value cells are joined with "; ". `alt_names` gives strong aliases
 * (the file has no alias type or quality). `ids` holds items of two to five
 * comma-separated parts with the item's type at one end: the current file
 * writes the value first ("CA, BC166787, Passport"), other releases the type
 * first ("Passport, 836238033, KP"). The order is detected once per file by
 * counting which end holds a well-known type, never assumed. Items become
 * documents, wallets ("Digital Currency Address - XBT"), the gender, web
 * sites, e-mail addresses and phones, or attributes for notes such as
 * "Secondary sanctions risk:". An item that cannot be read is kept under the
 * attribute "ids_unparsed" and reported with its line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists/builder.h"
#include "lists/csl.h"
#include "lists/csv.h"
#include "util/error.h"
#include "util/strbuf.h"

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)
#define MAX_VALUE ((size_t)1 << 20)
#define MAX_PARTS 16

enum {
    C_ID, C_SOURCE, C_ENTITY_NUMBER, C_TYPE, C_PROGRAMS, C_NAME, C_TITLE, C_ADDRESSES, C_FRN, C_START, C_END,
    C_STANDARD_ORDER, C_LICENSE_REQ, C_LICENSE_POLICY, C_CALL_SIGN, C_VESSEL_TYPE, C_GROSS_TONNAGE, C_GRT,
    C_VESSEL_FLAG, C_VESSEL_OWNER, C_REMARKS, C_LIST_URL, C_ALT_NAMES, C_CITIZENSHIPS, C_DOBS, C_NATIONALITIES,
    C_POBS, C_INFO_URL, C_IDS, C_COUNT
};

static const char *const COLUMNS[C_COUNT] = {
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag",
    "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships", "dates_of_birth",
    "nationalities", "places_of_birth", "source_information_url", "ids",
};

static const int REQUIRED[] = { C_ID, C_SOURCE, C_NAME };

/* Cells kept as attributes under their column name. */
static const int ATTR_COLS[] = {
    C_FRN, C_START, C_END, C_STANDARD_ORDER, C_LICENSE_REQ, C_LICENSE_POLICY, C_CALL_SIGN, C_VESSEL_TYPE,
    C_GROSS_TONNAGE, C_GRT, C_VESSEL_FLAG, C_VESSEL_OWNER, C_LIST_URL, C_INFO_URL,
};

/* Item types that tell which end of an `ids` item holds the type. */
static const char *const KNOWN_TYPES[] = {
    "Gender", "Passport", "Website", "Email Address", "National ID No.", "Tax ID No.", "Registration Number",
    "Registration ID", "Phone Number", "Cedula No.", "Identification Number", "Company Number",
    "SWIFT/BIC", "Vessel Registration Identification", "Target Type",
};

/* Item types that describe rather than identify: kept as attributes. */
static const char *const INFO_TYPES[] = {
    "Target Type", "Aircraft Model", "Aircraft Operator", "Former Vessel Flag", "Issuer Name", "Equity Ticker",
    "Nationality of Registration", "Vessel Year of Build", "Organization Type", "Vessel Type", "Vessel Flag",
};

enum { ORDER_VALUE_FIRST, ORDER_TYPE_FIRST };

typedef struct csl_ctx {
    sanctum_builder *b;
    const char *path;
    sanctum_error *err;
    int col[C_COUNT];
    size_t n_header;
    const sanctum_csv_reader *r;
    int order;
    sanctum_strbuf item, a, c2, note;
    const char *parts[MAX_PARTS];
    size_t n_parts;
} csl_ctx;

static const char *field(const csl_ctx *c, int col)
{
    if (c->col[col] < 0) return "";
    const char *s = sanctum_csv_field(c->r, (size_t)c->col[col]);
    return s ? s : "";
}

static int oom(csl_ctx *c)
{
    return sanctum_error_set(c->err, SANCTUM_ENOMEM, c->path, c->r ? c->r->record_line : 0, "out of memory");
}

static int sb_rc(csl_ctx *c, int rc)
{
    if (rc == SANCTUM_ELIMIT)
        return sanctum_error_set(c->err, rc, c->path, c->r->record_line, "a value is longer than %zu bytes", MAX_VALUE);
    return rc ? oom(c) : 0;
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* ---- set-like helpers (merged rows must not repeat facts) ---------------------- */

static int has_attr(const sanctum_entity *e, const char *key, const char *value)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0 && strcmp(e->attrs[i].value, value) == 0) return 1;
    return 0;
}

static int add_attr(csl_ctx *c, sanctum_entity *e, const char *key, const char *value)
{
    if (!*value || has_attr(e, key, value)) return 0;
    return sanctum_builder_add_attr(c->b, e, key, value) ? oom(c) : 0;
}

static int add_name(csl_ctx *c, sanctum_entity *e, const char *full, sanctum_name_kind kind)
{
    if (!*full) return 0;
    for (size_t i = 0; i < e->n_names; i++)
        if (sanctum_lists_ascii_ieq(e->names[i].full, full)) return 0;
    return sanctum_builder_add_name(c->b, e, full, NULL, NULL, kind, SANCTUM_QUALITY_STRONG) ? oom(c) : 0;
}

/* Calls fn on each trimmed, non-empty "; "-separated item of s (copied). */
typedef int (*item_fn)(csl_ctx *c, sanctum_entity *e, const char *item);
static int for_items(csl_ctx *c, sanctum_entity *e, const char *s, item_fn fn)
{
    const char *p = s;
    for (;;) {
        const char *end = strstr(p, "; ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *a = p;
        while (n && is_space(*a)) a++, n--;
        while (n && is_space(a[n - 1])) n--;
        if (n) {
            sanctum_strbuf_reset(&c->item);
            TRY(sb_rc(c, sanctum_strbuf_append(&c->item, a, n)));
            TRY(fn(c, e, c->item.data));
        }
        if (!end) return 0;
        p = end + 2;
    }
}

/* ---- simple multi-value cells ------------------------------------------------- */

static int program_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    if (sanctum_lists_has_str(e->programs, e->n_programs, s)) return 0;
    return sanctum_builder_add_program(c->b, e, s) ? oom(c) : 0;
}

static int alias_item(csl_ctx *c, sanctum_entity *e, const char *s) { return add_name(c, e, s, SANCTUM_NAME_AKA); }

static int citizenship_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    if (sanctum_lists_has_str(e->citizenships, e->n_citizenships, s)) return 0;
    return sanctum_builder_add_citizenship(c->b, e, s) ? oom(c) : 0;
}

static int nationality_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    if (sanctum_lists_has_str(e->nationalities, e->n_nationalities, s)) return 0;
    return sanctum_builder_add_nationality(c->b, e, s) ? oom(c) : 0;
}

static int pob_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    if (sanctum_lists_has_str(e->places_of_birth, e->n_places_of_birth, s)) return 0;
    return sanctum_builder_add_place_of_birth(c->b, e, s) ? oom(c) : 0;
}

static int is_iso2(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

/* "street, city, ..., CC": the last part is the country when it is a
 * two-letter code; the rest is kept together as the street. */
static int address_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    const char *comma = strrchr(s, ',');
    const char *last = comma ? comma + 1 : s;
    while (*last == ' ') last++;
    sanctum_address a = { NULL, NULL, NULL, NULL, NULL, NULL };
    sanctum_strbuf_reset(&c->a);
    if (is_iso2(last)) {
        a.country = last;
        if (comma) {
            TRY(sb_rc(c, sanctum_strbuf_append(&c->a, s, (size_t)(comma - s))));
            a.street = c->a.data;
        }
    } else {
        a.street = s;
    }
    for (size_t i = 0; i < e->n_addresses; i++) {
        const sanctum_address *o = &e->addresses[i];
        if ((o->street ? a.street && strcmp(o->street, a.street) == 0 : !a.street) &&
            (o->country ? a.country && strcmp(o->country, a.country) == 0 : !a.country))
            return 0;
    }
    return sanctum_builder_add_address(c->b, e, &a) ? oom(c) : 0;
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

static int is_iso_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    return y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int is_year(const char *s) { return strlen(s) == 4 && digits(s, 4) > 0; }

/* "YYYY-MM-DD", "YYYY", "circa YYYY", "YYYY to YYYY". */
static int dob_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    for (size_t i = 0; i < e->n_dobs; i++)
        if (strcmp(e->dobs[i].text, s) == 0) return 0;
    sanctum_date d;
    memset(&d, 0, sizeof d);
    d.text = s;
    if (is_iso_date(s)) {
        d.year = digits(s, 4);
        d.month = digits(s + 5, 2);
        d.day = digits(s + 8, 2);
    } else if (is_year(s)) {
        d.year = digits(s, 4);
    } else if (strncmp(s, "circa ", 6) == 0 && is_year(s + 6)) {
        d.year = digits(s + 6, 4);
        d.circa = 1;
    } else if (strlen(s) == 12 && memcmp(s + 4, " to ", 4) == 0 && digits(s, 4) > 0 && digits(s + 8, 4) > 0) {
        d.year = digits(s, 4);
        d.to_year = digits(s + 8, 4);
    } else {
        TRY(sanctum_builder_warn(c->b, c->path, c->r->record_line,
                                 "date of birth '%.60s' of %s is not a date this loader reads; kept as text", s,
                                 e->key));
    }
    return sanctum_builder_add_dob(c->b, e, &d) ? oom(c) : 0;
}

/* ---- ids ---------------------------------------------------------------------- */

/* Splits c->item in place at ", " into c->parts. */
static void split_parts(csl_ctx *c, char *s)
{
    c->n_parts = 0;
    char *p = s;
    for (;;) {
        char *sep = strstr(p, ", ");
        if (c->n_parts + 1 == MAX_PARTS) sep = NULL;
        if (sep) *sep = '\0';
        c->parts[c->n_parts++] = p;
        if (!sep) return;
        p = sep + 2;
    }
}

static int is_known_type(const char *s)
{
    if (strncmp(s, "Digital Currency Address", 24) == 0) return 1;
    for (size_t i = 0; i < sizeof KNOWN_TYPES / sizeof KNOWN_TYPES[0]; i++)
        if (strcmp(s, KNOWN_TYPES[i]) == 0) return 1;
    return 0;
}

static int is_info_type(const char *t)
{
    size_t n = strlen(t);
    if (n && (t[n - 1] == ':' || t[n - 1] == '-')) return 1;
    if (strstr(t, "Date") || strncmp(t, "Executive Order", 15) == 0 || strncmp(t, "CAATSA", 6) == 0) return 1;
    for (size_t i = 0; i < sizeof INFO_TYPES / sizeof INFO_TYPES[0]; i++)
        if (strcmp(t, INFO_TYPES[i]) == 0) return 1;
    return 0;
}

/* Joins parts [from, to) with ", " into out. */
static int join_parts(csl_ctx *c, size_t from, size_t to, sanctum_strbuf *out)
{
    sanctum_strbuf_reset(out);
    int rc = sanctum_strbuf_puts(out, "");
    for (size_t i = from; i < to && !rc; i++) {
        if (out->len) rc = sanctum_strbuf_puts(out, ", ");
        if (!rc) rc = sanctum_strbuf_puts(out, c->parts[i]);
    }
    return sb_rc(c, rc);
}

static int bad_item(csl_ctx *c, sanctum_entity *e, const char *item, const char *why)
{
    TRY(sanctum_builder_warn(c->b, c->path, c->r->record_line, "ids item '%.80s' of %s %s; kept as ids_unparsed",
                             item, e->key, why));
    return add_attr(c, e, "ids_unparsed", item);
}

static int id_item(csl_ctx *c, sanctum_entity *e, const char *s)
{
    /* keep the original for reports: split a second copy */
    sanctum_strbuf_reset(&c->c2);
    TRY(sb_rc(c, sanctum_strbuf_puts(&c->c2, s)));
    split_parts(c, c->c2.data);
    if (c->n_parts < 2) return bad_item(c, e, s, "has no type (expected 'value, type')");
    size_t first, last; /* value parts are [first, last) */
    const char *type;
    if (c->order == ORDER_TYPE_FIRST) {
        type = c->parts[0];
        first = 1;
        last = c->n_parts;
    } else {
        type = c->parts[c->n_parts - 1];
        first = 0;
        last = c->n_parts - 1;
    }
    if (!*type) return bad_item(c, e, s, "has an empty type");
    for (size_t i = first; i < last; i++)
        if (!*c->parts[i]) return bad_item(c, e, s, "has an empty part");
    TRY(join_parts(c, first, last, &c->a));
    const char *value = c->a.data;

    if (strcmp(type, "Gender") == 0) {
        if (!e->gender) return sanctum_builder_set_field(c->b, &e->gender, value) ? oom(c) : 0;
        return strcmp(e->gender, value) ? add_attr(c, e, "gender", value) : 0;
    }
    if (strncmp(type, "Digital Currency Address - ", 27) == 0) {
        const char *cur = type + 27;
        if (!*cur || last - first != 1) return bad_item(c, e, s, "is not one address and its currency");
        for (size_t i = 0; i < e->n_wallets; i++)
            if (strcmp(e->wallets[i].address, value) == 0 && strcmp(e->wallets[i].currency, cur) == 0) return 0;
        return sanctum_builder_add_wallet(c->b, e, cur, value) ? oom(c) : 0;
    }
    if (strcmp(type, "Website") == 0) {
        if (sanctum_lists_has_str(e->websites, e->n_websites, value)) return 0;
        return sanctum_builder_add_website(c->b, e, value) ? oom(c) : 0;
    }
    if (strcmp(type, "Email Address") == 0) {
        if (sanctum_lists_has_str(e->emails, e->n_emails, value)) return 0;
        return sanctum_builder_add_email(c->b, e, value) ? oom(c) : 0;
    }
    if (strcmp(type, "Phone Number") == 0) {
        if (sanctum_lists_has_str(e->phones, e->n_phones, value)) return 0;
        return sanctum_builder_add_phone(c->b, e, value) ? oom(c) : 0;
    }
    if (is_info_type(type)) {
        char key[128];
        size_t n = strlen(type);
        while (n && (type[n - 1] == ':' || type[n - 1] == '-' || type[n - 1] == ' ')) n--;
        snprintf(key, sizeof key, "%.*s", (int)(n < 120 ? n : 120), type);
        return add_attr(c, e, key, value);
    }

    /* a document */
    sanctum_document d = { type, NULL, NULL, NULL, NULL, NULL };
    const char *dates[2] = { NULL, NULL };
    size_t n_dates = 0;
    if (c->order == ORDER_TYPE_FIRST) {
        /* type, number[, country][, more] */
        d.number = c->parts[first];
        if (last - first >= 2 && is_iso2(c->parts[first + 1])) d.country = c->parts[first + 1];
        size_t rest = first + (d.country ? 2 : 1);
        if (rest < last) {
            TRY(join_parts(c, rest, last, &c->note));
            d.note = c->note.data;
        }
    } else {
        /* [country, ][dates, ]number */
        size_t i = first;
        if (last - first >= 2 && is_iso2(c->parts[i])) d.country = c->parts[i++];
        while (i + 1 < last && is_iso_date(c->parts[i])) {
            if (n_dates < 2) dates[n_dates] = c->parts[i];
            n_dates++;
            i++;
        }
        if (n_dates > 2) return bad_item(c, e, s, "has more than two dates");
        TRY(join_parts(c, i, last, &c->note));
        d.number = c->note.data;
        if (n_dates == 2) {
            int later = strcmp(dates[0], dates[1]) > 0 ? 0 : 1;
            d.expires = dates[later];
            d.issued = dates[1 - later];
        } else if (n_dates == 1) {
            d.issued = dates[0];
        }
    }
    if (strcmp(type, "Vessel Registration Identification") == 0 && strncmp(d.number, "IMO ", 4) == 0) {
        d.type = "IMO";
        d.number += 4;
    }
    for (size_t k = 0; k < e->n_documents; k++)
        if (strcmp(e->documents[k].type, d.type) == 0 && e->documents[k].number &&
            strcmp(e->documents[k].number, d.number) == 0)
            return 0;
    return sanctum_builder_add_document(c->b, e, &d) ? oom(c) : 0;
}

/* Counts, over every ids item of the file, items whose last part and items
 * whose first part is a well-known type, and picks the order that explains
 * more of them. A file whose items point both ways is reported. */
static int detect_order(csl_ctx *c, const char *bytes, size_t len)
{
    sanctum_csv_reader r;
    sanctum_csv_init(&r, bytes, len, c->path, SANCTUM_CSV_UTF8);
    size_t value_first = 0, type_first = 0;
    int rc = sanctum_csv_next(&r, c->err);
    int idcol = -1;
    if (rc > 0)
        for (size_t i = 0; i < sanctum_csv_count(&r); i++)
            if (strcmp(sanctum_csv_field(&r, i), "ids") == 0) idcol = (int)i;
    while (rc > 0 && idcol >= 0 && (rc = sanctum_csv_next(&r, c->err)) > 0) {
        const char *s = sanctum_csv_field(&r, (size_t)idcol);
        if (!s || !*s) continue;
        for (const char *p = s; p;) {
            const char *end = strstr(p, "; ");
            size_t n = end ? (size_t)(end - p) : strlen(p);
            char buf[256];
            if (n < sizeof buf) {
                memcpy(buf, p, n);
                buf[n] = '\0';
                const char *lastp = buf, *sep;
                while ((sep = strstr(lastp, ", ")) != NULL) lastp = sep + 2;
                char *firstsep = strstr(buf, ", ");
                if (firstsep) {
                    if (is_known_type(lastp)) value_first++;
                    *firstsep = '\0';
                    if (is_known_type(buf)) type_first++;
                }
            }
            p = end ? end + 2 : NULL;
        }
    }
    sanctum_csv_free(&r);
    if (rc < 0) return rc;
    c->order = type_first > value_first ? ORDER_TYPE_FIRST : ORDER_VALUE_FIRST;
    if (value_first && type_first)
        TRY(sanctum_builder_warn(c->b, c->path, 0, "ids items read both ways (%zu value first, %zu type first); "
                                 "read as %s first", value_first, type_first,
                                 c->order == ORDER_TYPE_FIRST ? "type" : "value"));
    return 0;
}

/* ---- rows --------------------------------------------------------------------- */

/* "Specially Designated Nationals (SDN) - Treasury Department" -> "SDN". */
static void short_source(const char *s, char *out, size_t size)
{
    const char *open = strchr(s, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close && close > open + 1) snprintf(out, size, "%.*s", (int)(close - open - 1), open + 1);
    else snprintf(out, size, "%s", s);
}

static int load_row(csl_ctx *c)
{
    sanctum_builder *b = c->b;
    unsigned long line = c->r->record_line;
    if (sanctum_csv_count(c->r) != c->n_header)
        return sanctum_builder_warn(b, c->path, line, "row has %zu fields, the header %zu; row skipped",
                                    sanctum_csv_count(c->r), c->n_header);
    const char *id = field(c, C_ID), *name = field(c, C_NAME), *source = field(c, C_SOURCE);
    if (!*id) return sanctum_builder_warn(b, c->path, line, "row has no _id; row skipped");
    if (strlen(id) > 128) return sanctum_builder_warn(b, c->path, line, "_id is over 128 bytes; row skipped");
    if (!*name) return sanctum_builder_warn(b, c->path, line, "row %s has no name; row skipped", id);

    const char *tname = field(c, C_TYPE);
    sanctum_entity_type type = SANCTUM_TYPE_UNKNOWN;
    if (strcmp(tname, "Individual") == 0) type = SANCTUM_TYPE_PERSON;
    else if (strcmp(tname, "Entity") == 0) type = SANCTUM_TYPE_ORGANIZATION;
    else if (strcmp(tname, "Vessel") == 0) type = SANCTUM_TYPE_VESSEL;
    else if (strcmp(tname, "Aircraft") == 0) type = SANCTUM_TYPE_AIRCRAFT;
    else if (*tname) TRY(sanctum_builder_warn(b, c->path, line, "unknown type '%.40s'; entity type left unknown", tname));

    sanctum_entity *e = sanctum_builder_find(b, id);
    int merged = e != NULL;
    if (!e) {
        e = sanctum_builder_entity(b, id, type, NULL);
        if (!e) return oom(c);
        if (sanctum_builder_add_name(b, e, name, NULL, NULL, SANCTUM_NAME_PRIMARY, SANCTUM_QUALITY_STRONG)) return oom(c);
    } else {
        if (e->type == SANCTUM_TYPE_UNKNOWN) e->type = type;
        TRY(add_name(c, e, name, SANCTUM_NAME_AKA));
    }

    char shortname[96];
    short_source(source, shortname, sizeof shortname);
    const char *programs = field(c, C_PROGRAMS);
    if (*programs) TRY(for_items(c, e, programs, program_item));
    else if (*source) TRY(program_item(c, e, shortname));
    TRY(add_attr(c, e, "source_list", source));
    if (strncmp(source, "Specially Designated Nationals", 30) == 0) TRY(add_attr(c, e, "ofac_ent_num", id));
    const char *ent = field(c, C_ENTITY_NUMBER);
    if (*ent && strcmp(ent, id) != 0) TRY(add_attr(c, e, "entity_number", ent));

    const char *title = field(c, C_TITLE);
    if (*title) {
        if (!e->title) {
            if (sanctum_builder_set_field(b, &e->title, title)) return oom(c);
        } else if (strcmp(e->title, title) != 0) {
            TRY(add_attr(c, e, "title", title));
        }
    }
    const char *remarks = field(c, C_REMARKS);
    if (*remarks) {
        if (!e->remarks) {
            if (sanctum_builder_set_field(b, &e->remarks, remarks)) return oom(c);
        } else if (strcmp(e->remarks, remarks) != 0) {
            TRY(add_attr(c, e, "remarks", remarks));
        }
    }
    const char *start = field(c, C_START);
    if (*start && !e->listed_on && is_iso_date(start))
        if (sanctum_builder_set_field(b, &e->listed_on, start)) return oom(c);
    for (size_t i = 0; i < sizeof ATTR_COLS / sizeof ATTR_COLS[0]; i++)
        TRY(add_attr(c, e, COLUMNS[ATTR_COLS[i]], field(c, ATTR_COLS[i])));

    TRY(for_items(c, e, field(c, C_ALT_NAMES), alias_item));
    TRY(for_items(c, e, field(c, C_ADDRESSES), address_item));
    TRY(for_items(c, e, field(c, C_CITIZENSHIPS), citizenship_item));
    TRY(for_items(c, e, field(c, C_NATIONALITIES), nationality_item));
    TRY(for_items(c, e, field(c, C_DOBS), dob_item));
    TRY(for_items(c, e, field(c, C_POBS), pob_item));
    TRY(for_items(c, e, field(c, C_IDS), id_item));
    (void)merged;
    return 0;
}

static int read_header(csl_ctx *c)
{
    c->n_header = sanctum_csv_count(c->r);
    return sanctum_builder_map_header(c->b, c->r, COLUMNS, C_COUNT, REQUIRED, sizeof REQUIRED / sizeof REQUIRED[0],
                                      c->col, c->err);
}

int sanctum_csl_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len, sanctum_error *err)
{
    int fi = sanctum_builder_begin_file(b, &path, "consolidated.csv", &bytes, len, 0, err);
    if (fi < 0) return fi;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) bytes += 3, len -= 3;

    csl_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.err = err;
    sanctum_strbuf_init(&c.item, MAX_VALUE);
    sanctum_strbuf_init(&c.a, MAX_VALUE);
    sanctum_strbuf_init(&c.c2, MAX_VALUE);
    sanctum_strbuf_init(&c.note, MAX_VALUE);

    sanctum_csv_reader r;
    sanctum_csv_init(&r, bytes, len, path, SANCTUM_CSV_UTF8);
    c.r = &r;
    size_t records = 0;
    int rc = detect_order(&c, bytes, len);
    if (!rc) rc = sanctum_csv_next(&r, err);
    if (rc == 0) rc = sanctum_error_set(err, SANCTUM_EPARSE, path, 1, "the file is empty: no header row");
    if (rc > 0) rc = read_header(&c);
    while (rc == 0 && (rc = sanctum_csv_next(&r, err)) > 0) {
        records++;
        rc = load_row(&c);
    }
    if (rc == 0) sanctum_builder_set_records(b, (size_t)fi, records);
    sanctum_csv_free(&r);
    sanctum_strbuf_free(&c.item);
    sanctum_strbuf_free(&c.a);
    sanctum_strbuf_free(&c.c2);
    sanctum_strbuf_free(&c.note);
    if (rc == SANCTUM_ENOMEM && err && !err->code) sanctum_error_set(err, rc, path, 0, "out of memory");
    return rc < 0 ? rc : 0;
}

int sanctum_load_us_csl(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    return sanctum_builder_load_file(b, dir, "consolidated.csv", SANCTUM_CSL_MAX_FILE, sanctum_csl_parse_memory, err);
}
