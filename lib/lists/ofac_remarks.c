/*
 * ofac_remarks.c - turns the OFAC SDN Remarks cell into typed facts (see
 * ofac_remarks.h).
 *
 * Each "; "-separated part is tried against the shapes OFAC uses, most
 * specific first: dates and places of birth, nationality, gender, digital
 * currency addresses, e-mail, web and phone contacts, weak aliases in
 * single quotes, "Linked To:" relations, a table of descriptive prefixes
 * that become attributes, and identifiers of the form
 * "<Type> <number> (<country>) issued <date> expires <date>". The document
 * types come from a table of the types found on the list, plus a rule for
 * unseen ones whose name ends like an identifier ("No.", "Number", "#",
 * "ID", "Code"). Whatever fits none of these is reported verbatim.
 */
#include "lists/ofac_remarks.h"

#include <stdlib.h>
#include <string.h>

#include "sanctum/common.h"

/* ---- small string helpers -------------------------------------------------- */

typedef struct span {
    const char *p;
    size_t n;
} span;

static span trim(span s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n')) s.p++, s.n--;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r' || s.p[s.n - 1] == '\n'))
        s.n--;
    return s;
}

/* If s starts with prefix, returns 1 and the rest (trimmed) in *rest. */
static int starts(span s, const char *prefix, span *rest)
{
    if (s.n == 0 || s.p[0] != prefix[0]) return 0;
    size_t k = strlen(prefix);
    if (s.n < k || memcmp(s.p, prefix, k) != 0) return 0;
    if (rest) {
        span r = { s.p + k, s.n - k };
        *rest = trim(r);
    }
    return 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The last occurrence of needle in s, or NULL. */
static const char *find_last(span s, const char *needle)
{
    size_t k = strlen(needle);
    if (s.n < k) return NULL;
    for (size_t i = s.n - k + 1; i-- > 0;)
        if (memcmp(s.p + i, needle, k) == 0) return s.p + i;
    return NULL;
}

static const char *find_first(span s, const char *needle)
{
    size_t k = strlen(needle);
    if (s.n < k) return NULL;
    for (size_t i = 0; i + k <= s.n; i++)
        if (s.p[i] == needle[0] && memcmp(s.p + i, needle, k) == 0) return s.p + i;
    return NULL;
}

/* Scratch space for the NUL-terminated strings handed to the callback.
 * Pieces are substrings of one part, so part length + a few NULs suffice. */
typedef struct scratch {
    char *buf;
    size_t cap, used;
} scratch;

static const char *put(scratch *s, span v)
{
    if (s->used + v.n + 1 > s->cap) return NULL; /* cannot happen: sized for the part */
    char *out = s->buf + s->used;
    memcpy(out, v.p, v.n);
    out[v.n] = '\0';
    s->used += v.n + 1;
    return out;
}

/* ---- dates ------------------------------------------------------------------- */

static const char *const month_names[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

typedef struct tokens {
    span t[8];
    size_t n, i;
} tokens;

static int number_of(span t, size_t min_digits, size_t max_digits, int *out)
{
    if (t.n < min_digits || t.n > max_digits) return 0;
    int v = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (!is_digit(t.p[i])) return 0;
        v = v * 10 + (t.p[i] - '0');
    }
    *out = v;
    return 1;
}

static int month_of(span t, int *out)
{
    if (t.n != 3) return 0;
    for (int m = 0; m < 12; m++)
        if (memcmp(t.p, month_names[m], 3) == 0) {
            *out = m + 1;
            return 1;
        }
    return 0;
}

/* One date: "25 Apr 1965", "Apr 1965" or "1965". */
static int single_date(tokens *tk, int *y, int *m, int *d)
{
    *y = *m = *d = 0;
    size_t i = tk->i;
    if (i + 2 < tk->n && number_of(tk->t[i], 1, 2, d) && month_of(tk->t[i + 1], m) &&
        number_of(tk->t[i + 2], 4, 4, y)) {
        if (*d < 1 || *d > 31 || *y < 1000) return 0;
        tk->i = i + 3;
        return 1;
    }
    *d = 0;
    if (i + 1 < tk->n && month_of(tk->t[i], m) && number_of(tk->t[i + 1], 4, 4, y) && *y >= 1000) {
        tk->i = i + 2;
        return 1;
    }
    *m = 0;
    if (i < tk->n && number_of(tk->t[i], 4, 4, y) && *y >= 1000) {
        tk->i = i + 1;
        return 1;
    }
    return 0;
}

int sanctum_ofac_parse_date(const char *text, size_t len, sanctum_date *d)
{
    memset(d, 0, sizeof *d);
    tokens tk = { .n = 0, .i = 0 };
    size_t i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ') i++;
        if (i == len) break;
        size_t start = i;
        while (i < len && text[i] != ' ') i++;
        span t = { text + start, i - start };
        /* "1960-1962" reads as "1960 to 1962" */
        const char *dash = memchr(t.p, '-', t.n);
        if (dash && dash > t.p && (size_t)(dash - t.p) < t.n - 1) {
            if (tk.n + 3 > 8) return SANCTUM_EPARSE;
            tk.t[tk.n++] = (span){ t.p, (size_t)(dash - t.p) };
            tk.t[tk.n++] = (span){ "to", 2 };
            tk.t[tk.n++] = (span){ dash + 1, t.n - (size_t)(dash - t.p) - 1 };
            continue;
        }
        if (tk.n == 8) return SANCTUM_EPARSE;
        tk.t[tk.n++] = t;
    }
    if (tk.n && tk.t[0].n == 5 && memcmp(tk.t[0].p, "circa", 5) == 0) {
        d->circa = 1;
        tk.i = 1;
    }
    if (!single_date(&tk, &d->year, &d->month, &d->day)) return SANCTUM_EPARSE;
    if (tk.i < tk.n) {
        if (!(tk.t[tk.i].n == 2 && memcmp(tk.t[tk.i].p, "to", 2) == 0)) return SANCTUM_EPARSE;
        tk.i++;
        if (!single_date(&tk, &d->to_year, &d->to_month, &d->to_day)) return SANCTUM_EPARSE;
    }
    return tk.i == tk.n ? 0 : SANCTUM_EPARSE;
}

/* ---- tables ------------------------------------------------------------------ */

/* Descriptive prefixes kept as attributes: prefix as written -> key. */
static const struct {
    const char *prefix;
    const char *key;
} attr_prefixes[] = {
    { "Organization Established Date ", "organization_established_date" },
    { "Organization Type: ", "organization_type" },
    { "Secondary sanctions risk: ", "secondary_sanctions_risk" },
    { "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: ",
      "transactions_prohibited" },
    { "Additional Sanctions Information - ", "additional_sanctions_information" },
    { "Listing Date ", "listing_date" },
    { "Effective Date ", "effective_date" },
    { "Executive Order ", "executive_order" },
    { "Vessel Year of Build ", "vessel_year_of_build" },
    { "Former Vessel Flag ", "former_vessel_flag" },
    { "Other Vessel Flag ", "other_vessel_flag" },
    { "Other Vessel Type ", "other_vessel_type" },
    { "Other Vessel Call Sign ", "other_vessel_call_sign" },
    { "Aircraft Model ", "aircraft_model" },
    { "Aircraft Manufacture Date ", "aircraft_manufacture_date" },
    { "Aircraft Operator ", "aircraft_operator" },
    { "Previous Aircraft Operator ", "previous_aircraft_operator" },
    { "Target Type ", "target_type" },
    { "CAATSA Section 235 Information: ", "caatsa_section_235" },
    { "Nationality of Registration ", "nationality_of_registration" },
    { "Registration Country ", "registration_country" },
    { "For more information on directives, please visit the following link: ", "directives_information" },
    { "Fax No. ", "fax" },
    { "Fax ", "fax" },
    { "IFCA Determination - ", "ifca_determination" },
    { "Purchase/Sales For Divestment Date (CMIC): ", "cmic_divestment_date" },
};

/* Identifier types as they appear on the list (the longest match wins). */
static const char *const doc_types[] = {
    "Passport", "Diplomatic Passport", "National ID No.", "Tax ID No.", "Registration Number", "Registration ID",
    "Identification Number", "Identification Number IMO", "Legal Entity Number", "Cedula No.", "IMO", "MMSI",
    "SWIFT/BIC", "D-U-N-S Number", "Aircraft Manufacturer's Serial Number (MSN)",
    "Vessel Registration Identification IMO", "Vessel Registration Identification", "Company Number IMO",
    "C.U.R.P.", "C.U.R.P. #", "R.F.C.", "R.F.C. #", "RFC", "Government Gazette Number",
    "Business Registration Number", "NIT #", "Folio Mercantil No.", "Commercial Registry Number",
    "Company Number", "UK Company Number", "RUC #", "License", "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)",
    "Aircraft Construction Number (also called L/N or S/N or F/N)", "V.A.T. Number", "C.R. No.",
    "Economic Register Number (CBLS)", "Trade License No.", "D.N.I.", "Chamber of Commerce Number",
    "Central Registration System Number", "Istanbul Chamber of Comm. No.", "Birth Certificate Number",
    "Driver's License No.", "RIF #", "Electoral Registry No.", "BIK (RU)", "Business Number",
    "Business Registration Document #", "Enterprise Number", "National Foreign ID Number", "Personal ID Card",
    "Italian Fiscal Code", "Credencial electoral", "Public Registration Number", "C.U.I.",
    "Cartilla de Servicio Militar Nacional", "US FEIN", "Residency Number", "Chinese Commercial Code",
    "I.F.E.", "Permit Number", "SSN", "Registered Charity No.", "Dubai Chamber of Commerce Membership No.",
    "Branch Unit Number", "Certificate of Incorporation Number", "Turkish Identification Number",
    "Numero de Identidad", "Aircraft Mode S Transponder Code", "C.U.I.T.", "LE Number",
    "Citizen's Card Number", "Kenyan ID No.", "Travel Document Number", "RTN", "VisaNumberID", "C.U.I.P.",
    "Aircraft Tail Number", "Previous Aircraft Tail Number", "N.I.F.", "C.I.N.", "Matricula Mercantil No",
    "Registration Certificate Number (Dubai)",
    "Russian State Individual Business Registration Number Pattern (OGRNIP)", "Stateless Person Passport",
    "Stateless Person ID Card", "Refugee ID Card", "Residency Permit", "Moroccan Personal ID No.",
    "Afghan Money Service Provider License Number", "Serial No.", "Bosnian Personal ID No.",
    "British National Overseas Passport", "Pasaporte", "Immigration No.", "Medical License Number",
    "Professional License Number", "Public Security and Immigration No.", "SRE Permit No.",
    "Gazette Number",
};

/* Last words that mark an unseen identifier type. */
static const char *const doc_type_endings[] = { "No.", "No", "Number", "#", "ID", "Code", "Card", "Passport" };

/* ---- parts ------------------------------------------------------------------- */

typedef struct ctx {
    sanctum_ofac_fact_fn fn;
    void *user;
    scratch sc;
} ctx;

static int emit(ctx *c, sanctum_ofac_fact *f)
{
    int rc = c->fn ? c->fn(c->user, f) : 0;
    c->sc.used = 0;
    return rc;
}

static int emit_value(ctx *c, sanctum_ofac_fact_kind kind, const char *key, span v, int alt)
{
    sanctum_ofac_fact f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    f.key = key;
    f.value = put(&c->sc, v);
    f.alt = alt;
    return emit(c, &f);
}

/* An identifier has a digit somewhere, or is one code word such as a
 * SWIFT/BIC ("MFTBMMMY"); "and National ID were ..." is not one. */
static int looks_like_number(span num)
{
    if (num.n == 0 || num.p[0] == '(') return 0;
    int code_word = 1;
    for (size_t i = 0; i < num.n; i++) {
        char ch = num.p[i];
        if (is_digit(ch)) return 1;
        if (!((ch >= 'A' && ch <= 'Z') || ch == '-')) code_word = 0;
    }
    return code_word;
}

/* "<number> (<country>) issued <date> expires <date>" after the type. */
static int emit_document(ctx *c, span type, span rest, int alt, int *done)
{
    span num = trim(rest), country = { NULL, 0 }, issued = { NULL, 0 }, expires = { NULL, 0 };
    const char *k = find_last(num, " expires ");
    if (k) {
        expires = trim((span){ k + 9, (size_t)(num.p + num.n - (k + 9)) });
        num = trim((span){ num.p, (size_t)(k - num.p) });
    }
    k = find_last(num, " issued ");
    if (k) {
        issued = trim((span){ k + 8, (size_t)(num.p + num.n - (k + 8)) });
        num = trim((span){ num.p, (size_t)(k - num.p) });
    }
    if (num.n > 2 && num.p[num.n - 1] == ')') {
        int depth = 0;
        size_t i = num.n;
        while (i-- > 0) {
            if (num.p[i] == ')') depth++;
            else if (num.p[i] == '(' && --depth == 0) break;
        }
        if (depth == 0 && i != (size_t)-1 && i > 0 && num.p[i - 1] == ' ') {
            country = trim((span){ num.p + i + 1, num.n - i - 2 });
            num = trim((span){ num.p, i });
        }
    }
    if (!looks_like_number(num)) return 0; /* prose that starts with a type word */
    sanctum_ofac_fact f;
    memset(&f, 0, sizeof f);
    f.kind = SANCTUM_OFAC_DOCUMENT;
    f.alt = alt;
    f.doc.type = put(&c->sc, type);
    f.doc.number = put(&c->sc, num);
    f.doc.country = country.p && country.n ? put(&c->sc, country) : NULL;
    f.doc.issued = issued.p && issued.n ? put(&c->sc, issued) : NULL;
    f.doc.expires = expires.p && expires.n ? put(&c->sc, expires) : NULL;
    f.key = f.doc.type;
    f.value = f.doc.number;
    *done = 1;
    return emit(c, &f);
}

static int try_document(ctx *c, span s, int alt, int *done)
{
    size_t best = 0;
    for (size_t i = 0; i < sizeof doc_types / sizeof doc_types[0]; i++) {
        if (doc_types[i][0] != s.p[0]) continue;
        size_t k = strlen(doc_types[i]);
        if (k > best && s.n > k + 1 && s.p[k] == ' ' && memcmp(s.p, doc_types[i], k) == 0) best = k;
    }
    if (best) return emit_document(c, (span){ s.p, best }, (span){ s.p + best + 1, s.n - best - 1 }, alt, done);
    /* an unseen type: the words before the first word with a digit, ending like an identifier name */
    size_t i = 0, words = 0, word_start = (size_t)-1;
    while (i < s.n) {
        size_t ws = i;
        int digit = 0;
        while (i < s.n && s.p[i] != ' ') digit |= is_digit(s.p[i++]);
        if (digit) {
            word_start = ws;
            break;
        }
        words++;
        while (i < s.n && s.p[i] == ' ') i++;
    }
    if (word_start == (size_t)-1 || words == 0 || words > 8) return 0;
    span type = trim((span){ s.p, word_start });
    /* the type's last word */
    size_t lw = type.n;
    while (lw > 0 && type.p[lw - 1] != ' ') lw--;
    span last = { type.p + lw, type.n - lw };
    for (size_t e = 0; e < sizeof doc_type_endings / sizeof doc_type_endings[0]; e++) {
        size_t k = strlen(doc_type_endings[e]);
        if (last.n == k && memcmp(last.p, doc_type_endings[e], k) == 0)
            return emit_document(c, type, (span){ s.p + word_start, s.n - word_start }, alt, done);
    }
    return 0;
}

/* "a.k.a. 'X'", possibly several joined by ", ". Returns 1 when handled. */
static int alias_kind(span s, sanctum_name_kind *kind)
{
    if (s.n < 8 || memcmp(s.p + 1, ".k.a. '", 7) != 0) return 0;
    switch (s.p[0]) {
    case 'a': *kind = SANCTUM_NAME_AKA; return 1;
    case 'f': *kind = SANCTUM_NAME_FKA; return 1;
    case 'n': *kind = SANCTUM_NAME_NKA; return 1;
    default: return 0;
    }
}

#define MAX_ALIASES_PER_PART 32

static int try_aliases(ctx *c, span s, int alt, int *done)
{
    span names[MAX_ALIASES_PER_PART];
    sanctum_name_kind kinds[MAX_ALIASES_PER_PART];
    size_t n = 0;
    span cur = s;
    while (cur.n) {
        sanctum_name_kind kind;
        if (!alias_kind(cur, &kind) || n == MAX_ALIASES_PER_PART) return 0;
        span body = { cur.p + 8, cur.n - 8 };
        /* the name runs to "', x.k.a. '" or to the final quote */
        const char *end = NULL;
        span next = { NULL, 0 };
        for (size_t i = 0; i + 10 <= body.n; i++) {
            if (body.p[i] == '\'' && body.p[i + 1] == ',' && body.p[i + 2] == ' ') {
                span after = { body.p + i + 3, body.n - i - 3 };
                sanctum_name_kind k2;
                if (alias_kind(after, &k2)) {
                    end = body.p + i;
                    next = after;
                    break;
                }
            }
        }
        if (!end) {
            if (body.n == 0 || body.p[body.n - 1] != '\'') return 0;
            end = body.p + body.n - 1;
        }
        span name = trim((span){ body.p, (size_t)(end - body.p) });
        if (name.n == 0) return 0;
        names[n] = name;
        kinds[n++] = kind;
        cur = next;
    }
    if (n == 0) return 0;
    *done = 1;
    for (size_t i = 0; i < n; i++) {
        sanctum_ofac_fact f;
        memset(&f, 0, sizeof f);
        f.kind = SANCTUM_OFAC_NAME;
        f.name_kind = kinds[i];
        f.value = put(&c->sc, names[i]);
        f.alt = alt;
        int rc = emit(c, &f);
        if (rc) return rc;
    }
    return 0;
}

static int try_wallet(ctx *c, span rest, int alt, int *done)
{
    size_t i = 0;
    while (i < rest.n && rest.p[i] != ' ') i++;
    span cur = { rest.p, i };
    span addr = trim((span){ rest.p + i, rest.n - i });
    while (addr.n && addr.p[addr.n - 1] == '.') addr.n--;
    if (cur.n == 0 || addr.n == 0 || memchr(addr.p, ' ', addr.n)) return 0;
    sanctum_ofac_fact f;
    memset(&f, 0, sizeof f);
    f.kind = SANCTUM_OFAC_WALLET;
    f.key = put(&c->sc, cur);
    f.value = put(&c->sc, addr);
    f.alt = alt;
    *done = 1;
    return emit(c, &f);
}

static int try_dob(ctx *c, span rest, int alt, int *done)
{
    sanctum_ofac_fact f;
    memset(&f, 0, sizeof f);
    f.kind = SANCTUM_OFAC_DOB;
    f.alt = alt;
    /* a date that does not parse is still a date of birth: its text is kept */
    if (sanctum_ofac_parse_date(rest.p, rest.n, &f.date) != 0) memset(&f.date, 0, sizeof f.date);
    f.value = put(&c->sc, rest);
    f.date.text = f.value;
    *done = 1;
    return emit(c, &f);
}

static int part(ctx *c, span whole, sanctum_ofac_remarks_stats *st)
{
    span s = whole, rest;
    int alt = 0, done = 0, rc = 0;
    if (starts(s, "alt. ", &rest)) {
        alt = 1;
        s = rest;
    }
    static const struct {
        const char *prefix;
        sanctum_ofac_fact_kind kind;
    } simple[] = {
        { "POB ", SANCTUM_OFAC_POB },
        { "nationality ", SANCTUM_OFAC_NATIONALITY },
        { "citizen ", SANCTUM_OFAC_CITIZENSHIP },
        { "Gender ", SANCTUM_OFAC_GENDER },
        { "Email Address ", SANCTUM_OFAC_EMAIL },
        { "Website ", SANCTUM_OFAC_WEBSITE },
        { "Phone Number ", SANCTUM_OFAC_PHONE },
        { "Telephone No. ", SANCTUM_OFAC_PHONE },
        { "Telephone Number ", SANCTUM_OFAC_PHONE },
        { "Telephone ", SANCTUM_OFAC_PHONE },
    };
    if (starts(s, "DOB ", &rest) && rest.n) {
        rc = try_dob(c, rest, alt, &done);
    } else if (starts(s, "Digital Currency Address - ", &rest) && rest.n) {
        rc = try_wallet(c, rest, alt, &done);
    } else if (starts(s, "Linked To: ", &rest) && rest.n) {
        rc = emit_value(c, SANCTUM_OFAC_LINK, "Linked To", rest, alt);
        done = 1;
    } else {
        for (size_t i = 0; i < sizeof simple / sizeof simple[0] && !done; i++)
            if (starts(s, simple[i].prefix, &rest) && rest.n) {
                rc = emit_value(c, simple[i].kind, NULL, rest, alt);
                done = 1;
            }
    }
    if (!done && !rc) rc = try_aliases(c, s, alt, &done);
    for (size_t i = 0; i < sizeof attr_prefixes / sizeof attr_prefixes[0] && !done && !rc; i++)
        if (starts(s, attr_prefixes[i].prefix, &rest) && rest.n) {
            rc = emit_value(c, SANCTUM_OFAC_ATTR, attr_prefixes[i].key, rest, alt);
            done = 1;
        }
    if (!done && !rc) rc = try_document(c, s, alt, &done);
    if (rc) return rc;
    st->parts++;
    if (done) {
        st->recognised++;
        return 0;
    }
    st->verbatim++;
    return emit_value(c, SANCTUM_OFAC_VERBATIM, "remark", whole, 0);
}

int sanctum_ofac_remarks_parse(const char *text, size_t len, sanctum_ofac_fact_fn fn, void *user,
                               sanctum_ofac_remarks_stats *stats)
{
    sanctum_ofac_remarks_stats local = { 0, 0, 0 };
    if (!stats) stats = &local;
    if (!text) return 0;
    const char *nul = memchr(text, '\0', len);
    if (nul) len = (size_t)(nul - text); /* text ends at a NUL byte */
    span all = trim((span){ text, len });
    if (all.n && all.p[all.n - 1] == '.') all.n--;
    if (all.n == 0) return 0;

    char stack[2048];
    ctx c = { fn, user, { stack, sizeof stack, 0 } };
    if (all.n + 64 > sizeof stack) {
        c.sc.cap = all.n + 64;
        c.sc.buf = malloc(c.sc.cap);
        if (!c.sc.buf) return SANCTUM_ENOMEM;
    }
    int rc = 0;
    span cur = all;
    while (!rc) {
        const char *sep = find_first(cur, "; ");
        span p = { cur.p, sep ? (size_t)(sep - cur.p) : cur.n };
        p = trim(p);
        if (p.n) rc = part(&c, p, stats);
        if (!sep) break;
        cur = (span){ sep + 2, cur.n - (size_t)(sep + 2 - cur.p) };
    }
    if (c.sc.buf != stack) free(c.sc.buf);
    return rc;
}
