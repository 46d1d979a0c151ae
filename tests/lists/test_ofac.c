/*
 * test_ofac.c - the OFAC SDN loader on the real legacy CSV files, checked
 * against counts taken from the raw bytes and against known entries (the
 * May 2023 DPRK IT-worker designations, the Lazarus Group, a wallet cut in
 * two between sdn.csv and sdn_comments.csv), plus the remarks parser on its
 * own and the errors for broken files.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sanctum/dataset.h"
#include "lists/builder.h"
#include "lists/ofac_remarks.h"

static sanctum_dataset *ds;

static const char *data_dir(void)
{
    const char *d = getenv("SANCTUM_DATA");
    return d && *d ? d : "../data";
}

static char *slurp(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ofac-sdn/%s", data_dir(), name);
    char *buf = NULL;
    sanctum_error err;
    assert_int_equal(sanctum_read_file(path, (size_t)1 << 30, &buf, len, &err), 0);
    return buf;
}

/* Records counted straight from the bytes: the real files have no line
 * breaks inside quoted fields, so every record is one CRLF-terminated line
 * that starts with its ent_num. Also marks each record's ent_num in seen[]
 * (when given) or counts records whose ent_num is not marked in known[]. */
#define MAX_ENT 1000000
static size_t count_records(const char *name, unsigned char *seen, const unsigned char *known, size_t *orphans)
{
    size_t len, n = 0;
    char *buf = slurp(name, &len);
    if (orphans) *orphans = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(buf + i, '\n', len - i);
        if (!nl) break;   /* the final 0x1A is not a record */
        size_t end = (size_t)(nl - buf);
        if (end > i && buf[end - 1] == '\r' && buf[i] >= '0' && buf[i] <= '9') {
            n++;
            long ent = strtol(buf + i, NULL, 10);
            if (ent > 0 && ent < MAX_ENT) {
                if (seen) seen[ent] = 1;
                if (known && orphans && !known[ent]) (*orphans)++;
            }
        }
        i = end + 1;
    }
    free(buf);
    return n;
}

static int load(sanctum_dataset **out, const char *dir, int strict, sanctum_error *err)
{
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.data_dir = dir;
    o.sources = "ofac-sdn";
    o.strict = strict;
    return sanctum_dataset_load(out, &o, err);
}

static int setup(void **state)
{
    sanctum_error err;
    int rc = load(&ds, data_dir(), 0, &err);
    if (rc) {
        char buf[900];
        sanctum_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "load failed: %s\n", buf);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    sanctum_dataset_free(ds);
    return 0;
}

static const sanctum_entity *get(const char *id)
{
    const sanctum_entity *e = sanctum_dataset_find(ds, id);
    if (!e) fail_msg("no entity %s", id);
    return e;
}

static const sanctum_name *name_of(const sanctum_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].full, full) == 0) return &e->names[i];
    return NULL;
}

static size_t wallets_of(const sanctum_entity *e, const char *currency)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_wallets; i++) n += strcmp(e->wallets[i].currency, currency) == 0;
    return n;
}

static const sanctum_warning *warning_for(const sanctum_source_info *si, const char *file)
{
    for (size_t i = 0; i < si->n_warnings; i++) {
        const char *slash = strrchr(si->warnings[i].file, '/');
        if (strcmp(slash ? slash + 1 : si->warnings[i].file, file) == 0) return &si->warnings[i];
    }
    return NULL;
}

/* ---- counts -------------------------------------------------------------------- */

static void loads_every_row_of_sdn_csv_and_counts_every_file(void **state)
{
    assert_int_equal(sanctum_dataset_count(ds), 14965);
    assert_int_equal(sanctum_dataset_source_count(ds), 1);
    const sanctum_source_info *si = sanctum_dataset_source(ds, 0);
    assert_string_equal(si->name, "ofac-sdn");
    assert_int_equal(si->n_files, 4);
    static const char *const names[4] = { "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv" };
    for (size_t i = 0; i < 4; i++) {
        const char *slash = strrchr(si->files[i], '/');
        assert_string_equal(slash ? slash + 1 : si->files[i], names[i]);
        assert_int_equal(si->records[i], count_records(names[i], NULL, NULL, NULL));
    }
    assert_int_equal(si->records[0], si->entities);
    assert_int_equal(si->entities, 14965);
    assert_int_equal(si->by_type[1], 6854);          /* individual */
    assert_int_equal(si->by_type[2], 6884);          /* -0- */
    assert_int_equal(si->by_type[3], 851);
    assert_int_equal(si->by_type[4], 376);
    assert_int_equal(strlen(si->sha256), 64);
}

static void orphan_rows_are_reported_with_their_counts(void **state)
{
    unsigned char *known = calloc(MAX_ENT, 1);
    assert_non_null(known);
    count_records("sdn.csv", known, NULL, NULL);
    const sanctum_source_info *si = sanctum_dataset_source(ds, 0);
    static const char *const side[3] = { "alt.csv", "add.csv", "sdn_comments.csv" };
    size_t aliases_expected = 0;
    for (size_t i = 0; i < 3; i++) {
        size_t orphans;
        count_records(side[i], NULL, known, &orphans);
        assert_true(orphans > 0);
        const sanctum_warning *w = warning_for(si, side[i]);
        assert_non_null(w);
        char head[64];
        snprintf(head, sizeof head, "%zu rows name an ent_num that sdn.csv lacks", orphans);
        assert_non_null(strstr(w->message, head));
        assert_true(w->line > 0);
        if (i == 0) aliases_expected = si->records[1] - orphans;
    }
    free(known);
    /* every alt.csv row that found its entity became a name; remarks add weak ones */
    size_t strong_aliases = 0;
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        for (size_t k = 1; k < e->n_names; k++) strong_aliases += e->names[k].quality == SANCTUM_QUALITY_STRONG;
    }
    assert_int_equal(strong_aliases, aliases_expected);
}

/* ---- known entries --------------------------------------------------------------- */

static int has_passport(const sanctum_entity *e, const char *number, const char *country, const char *issued,
                        const char *expires)
{
    for (size_t i = 0; i < e->n_documents; i++) {
        const sanctum_document *d = &e->documents[i];
        if (strcmp(d->type, "Passport") || strcmp(d->number, number)) continue;
        if (!d->country || strcmp(d->country, country)) return 0;
        if (issued && (!d->issued || strcmp(d->issued, issued))) return 0;
        if (expires && (!d->expires || strcmp(d->expires, expires))) return 0;
        return 1;
    }
    return 0;
}

static void kim_sang_man_is_a_person_with_alias_dob_passports_and_wallets(void **state)
{
    const sanctum_entity *e = get("ofac-sdn:43377");
    assert_int_equal(e->type, SANCTUM_TYPE_PERSON);
    assert_string_equal(e->key, "43377");
    assert_string_equal(e->names[0].full, "KIM, Sang Man");
    assert_string_equal(e->names[0].surname, "KIM");
    assert_string_equal(e->names[0].given, "Sang Man");
    assert_int_equal(e->names[0].kind, SANCTUM_NAME_PRIMARY);
    const sanctum_name *aka = name_of(e, "KIM, Sangman");
    assert_non_null(aka);
    assert_int_equal(aka->kind, SANCTUM_NAME_AKA);
    assert_int_equal(aka->quality, SANCTUM_QUALITY_STRONG);
    assert_string_equal(aka->surname, "KIM");
    assert_string_equal(aka->given, "Sangman");

    assert_int_equal(e->n_dobs, 1);
    assert_int_equal(e->dobs[0].year, 1965);
    assert_int_equal(e->dobs[0].month, 4);
    assert_int_equal(e->dobs[0].day, 25);
    assert_string_equal(e->dobs[0].text, "25 Apr 1965");

    assert_true(has_passport(e, "109420132", "Korea, North", "16 Oct 2019", "16 Oct 2024"));
    assert_true(has_passport(e, "827220538", "Korea, North", NULL, NULL));
    assert_true(has_passport(e, "563220082", "Korea, North", NULL, NULL));

    assert_int_equal(wallets_of(e, "XBT"), 2);
    assert_int_equal(wallets_of(e, "ETH"), 2);
    assert_int_equal(wallets_of(e, "USDT"), 1);
    assert_int_equal(wallets_of(e, "USDC"), 1);
    for (size_t i = 0; i < e->n_wallets; i++)
        if (strcmp(e->wallets[i].currency, "USDC") == 0)
            assert_string_equal(e->wallets[i].address, "0xb6f5ec1a0a9cd1526536d3f0426c429529471f40");

    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPRK4");
    assert_string_equal(e->gender, "Male");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0], "Korea, North");
    assert_int_equal(e->n_places_of_birth, 1);
    assert_string_equal(e->places_of_birth[0], "North Pyongan Province, North Korea");
    assert_int_equal(e->n_addresses, 2);
    assert_string_equal(e->addresses[0].country, "Russia");
    assert_string_equal(e->addresses[1].country, "Korea, North");
    assert_null(e->addresses[0].street);
    assert_non_null(e->remarks);
    assert_non_null(strstr(e->remarks, "Passport 109420132 (Korea, North)"));
}

static void dprk_it_organizations_have_their_names_and_aliases(void **state)
{
    const sanctum_entity *e = get("ofac-sdn:43379");
    assert_int_equal(e->type, SANCTUM_TYPE_ORGANIZATION);
    assert_non_null(name_of(e, "JINYONG IT COOPERATION COMPANY"));
    assert_null(e->names[0].surname);
    assert_string_equal(get("ofac-sdn:43336")->names[0].full, "PYONGYANG UNIVERSITY OF AUTOMATION");
    assert_string_equal(get("ofac-sdn:43337")->names[0].full, "TECHNICAL RECONNAISSANCE BUREAU");
    e = get("ofac-sdn:43338");
    assert_string_equal(e->names[0].full, "110TH RESEARCH CENTER");
    const sanctum_name *lab = name_of(e, "LAB 110");
    assert_non_null(lab);
    assert_int_equal(lab->kind, SANCTUM_NAME_AKA);
    assert_int_equal(lab->quality, SANCTUM_QUALITY_WEAK);
    assert_non_null(name_of(e, "UNIT 110"));
}

static void lazarus_group_has_eight_eth_wallets_and_weak_aliases(void **state)
{
    const sanctum_entity *e = get("ofac-sdn:27307");
    assert_string_equal(e->names[0].full, "LAZARUS GROUP");
    assert_int_equal(wallets_of(e, "ETH"), 8);
    assert_int_equal(e->n_wallets, 8);
    assert_string_equal(e->wallets[0].address, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
    static const char *const weak[] = { "HIDDEN COBRA", "OFFICE 91", "GUARDIANS OF PEACE",
                                        "WHOIS HACKING TEAM", /* cut between the two files */
                                        "TEMP.HERMIT", "APPLEWORM" };
    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
        const sanctum_name *n = name_of(e, weak[i]);
        if (!n) fail_msg("missing weak alias %s", weak[i]);
        assert_int_equal(n->quality, SANCTUM_QUALITY_WEAK);
    }
    assert_string_equal(e->programs[0], "DPRK3");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0].street, "Potonggang District");
    assert_string_equal(e->addresses[0].city, "Pyongyang");
}

static void a_wallet_cut_between_sdn_and_comments_is_whole(void **state)
{
    const sanctum_entity *e = get("ofac-sdn:30518");
    int found = 0;
    for (size_t i = 0; i < e->n_wallets; i++) {
        assert_null(strstr(e->wallets[i].address, " "));
        if (strcmp(e->wallets[i].address, "1GqChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr") == 0) found = 1;
        assert_false(strcmp(e->wallets[i].address, "1Gq") == 0);
    }
    assert_true(found);
    assert_non_null(strstr(e->remarks, "XBT 1GqChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr; alt."));
    assert_int_equal(wallets_of(e, "LTC"), 3);
    assert_int_equal(e->n_links, 1);
    assert_string_equal(e->links[0].relation, "Linked To");
    assert_string_equal(e->links[0].target, "INTERNET RESEARCH AGENCY LLC");
    assert_int_equal(e->n_programs, 2);
    assert_string_equal(e->programs[0], "CYBER2");
    assert_string_equal(e->programs[1], "ELECTION-EO13848");
}

static const char *attr(const sanctum_entity *e, const char *key)
{
    for (size_t k = 0; k < e->n_attrs; k++)
        if (strcmp(e->attrs[k].key, key) == 0) return e->attrs[k].value;
    return NULL;
}

static void vessel_columns_become_attributes_and_title_a_field(void **state)
{
    const sanctum_entity *e = get("ofac-sdn:4238");
    assert_int_equal(e->type, SANCTUM_TYPE_VESSEL);
    assert_string_equal(e->names[0].full, "MAR AZUL");
    assert_null(e->names[0].surname);
    assert_string_equal(attr(e, "call_sign"), "CL2192");
    assert_string_equal(attr(e, "vessel_type"), "Tug");
    assert_null(attr(e, "tonnage"));  /* -0- */
    assert_string_equal(attr(e, "grt"), "212");
    assert_string_equal(attr(e, "vessel_flag"), "Cuba");
    assert_string_equal(attr(e, "vessel_owner"), "Samir de Navegacion S.A.");
    assert_null(e->remarks);
    assert_null(e->title);
    e = get("ofac-sdn:2674");
    assert_string_equal(e->title, "Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION");
    assert_string_equal(e->names[0].surname, "ABBAS");
    assert_string_equal(e->names[0].given, "Abu");
    /* no value anywhere is the empty marker */
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        e = sanctum_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_attrs; k++) assert_null(strstr(e->attrs[k].value, "-0-"));
        for (size_t k = 0; k < e->n_addresses; k++)
            assert_true(e->addresses[k].street == NULL || strcmp(e->addresses[k].street, "-0- ") != 0);
    }
}

/* ---- remarks ---------------------------------------------------------------------- */

static int ignore_fact(void *ctx, const sanctum_ofac_fact *f)
{
    (void)ctx;
    (void)f;
    return 0;
}

static void every_remark_part_is_recognised_or_kept_verbatim(void **state)
{
    sanctum_ofac_remarks_stats st = { 0, 0, 0 };
    size_t parts_by_hand = 0, remark_attrs = 0;
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_attrs; k++) remark_attrs += strcmp(e->attrs[k].key, "remark") == 0;
        if (!e->remarks) continue;
        assert_int_equal(sanctum_ofac_remarks_parse(e->remarks, strlen(e->remarks), ignore_fact, NULL, &st), 0);
        /* split by hand: drop the final ".", cut at "; " */
        size_t len = strlen(e->remarks);
        if (len && e->remarks[len - 1] == '.') len--;
        if (len) parts_by_hand++;
        for (size_t j = 0; j + 1 < len; j++)
            if (e->remarks[j] == ';' && e->remarks[j + 1] == ' ') parts_by_hand++;
    }
    assert_true(st.parts > 60000);
    assert_int_equal(st.parts, parts_by_hand);
    assert_int_equal(st.parts, st.recognised + st.verbatim);
    assert_int_equal(st.verbatim, remark_attrs);
    /* the shapes the list uses are known: only a small share stays verbatim */
    assert_true(st.verbatim * 20 < st.parts);
}

typedef struct collected {
    sanctum_ofac_fact f[16];
    char text[16][160];
    size_t n;
} collected;

static int collect(void *ctx, const sanctum_ofac_fact *f)
{
    collected *c = ctx;
    if (c->n == 16) return -1;
    c->f[c->n] = *f;
    snprintf(c->text[c->n], sizeof c->text[0], "%s|%s|%s|%s|%s|%s", f->key ? f->key : "",
             f->value ? f->value : "", f->doc.type ? f->doc.type : "", f->doc.country ? f->doc.country : "",
             f->doc.issued ? f->doc.issued : "", f->doc.expires ? f->doc.expires : "");
    c->n++;
    return 0;
}

static collected parse(const char *s)
{
    collected c;
    memset(&c, 0, sizeof c);
    assert_int_equal(sanctum_ofac_remarks_parse(s, strlen(s), collect, &c, NULL), 0);
    return c;
}

static void remark_shapes_become_typed_facts(void **state)
{
    collected c = parse("DOB circa 1960 to 1962; alt. DOB 01 Jan 1960 to 31 Dec 1962; DOB Apr 1965; "
                        "DOB 1955-1957; citizen Mexico; Gender Female");
    assert_int_equal(c.n, 6);
    assert_int_equal(c.f[0].kind, SANCTUM_OFAC_DOB);
    assert_int_equal(c.f[0].date.circa, 1);
    assert_int_equal(c.f[0].date.year, 1960);
    assert_int_equal(c.f[0].date.to_year, 1962);
    assert_int_equal(c.f[1].alt, 1);
    assert_int_equal(c.f[1].date.to_month, 12);
    assert_int_equal(c.f[1].date.to_day, 31);
    assert_int_equal(c.f[2].date.month, 4);
    assert_int_equal(c.f[2].date.day, 0);
    assert_int_equal(c.f[3].date.to_year, 1957);
    assert_int_equal(c.f[4].kind, SANCTUM_OFAC_CITIZENSHIP);
    assert_int_equal(c.f[5].kind, SANCTUM_OFAC_GENDER);

    c = parse("Tax ID No. 7744001497 (Russia); IMO 9123456; SWIFT/BIC HAVIGB2L; "
              "Aircraft Manufacturer's Serial Number (MSN) 1023409321; "
              "Registration Number HRA 738077 (Stuttgart) (Germany); Widget Licence Code 88-1 (Ruritania)");
    assert_int_equal(c.n, 6);
    for (size_t i = 0; i < c.n; i++) assert_int_equal(c.f[i].kind, SANCTUM_OFAC_DOCUMENT);
    assert_string_equal(c.text[0], "Tax ID No.|7744001497|Tax ID No.|Russia||");
    assert_string_equal(c.text[1], "IMO|9123456|IMO|||");
    assert_string_equal(c.text[3], "Aircraft Manufacturer's Serial Number (MSN)|1023409321|"
                                   "Aircraft Manufacturer's Serial Number (MSN)|||");
    assert_string_equal(c.text[4], "Registration Number|HRA 738077 (Stuttgart)|Registration Number|Germany||");
    assert_string_equal(c.text[5], "Widget Licence Code|88-1|Widget Licence Code|Ruritania||");

    c = parse("a.k.a. 'ABD AL-'AZIZ'; f.k.a. 'X', n.k.a. 'Y'; Linked To: HAMAS; Website www.a.ru; "
              "alt. Email Address a@b.c; Phone Number 98218852; Digital Currency Address - XBT 1abc.; "
              "Organization Type: Logging; Member of the State Duma.");
    assert_int_equal(c.n, 10);
    assert_int_equal(c.f[0].kind, SANCTUM_OFAC_NAME);
    assert_string_equal(c.text[0], "|ABD AL-'AZIZ||||");
    assert_int_equal(c.f[1].name_kind, SANCTUM_NAME_FKA);
    assert_string_equal(c.text[1], "|X||||");
    assert_int_equal(c.f[2].name_kind, SANCTUM_NAME_NKA);
    assert_int_equal(c.f[3].kind, SANCTUM_OFAC_LINK);
    assert_int_equal(c.f[4].kind, SANCTUM_OFAC_WEBSITE);
    assert_int_equal(c.f[5].kind, SANCTUM_OFAC_EMAIL);
    assert_int_equal(c.f[6].kind, SANCTUM_OFAC_PHONE);
    assert_int_equal(c.f[7].kind, SANCTUM_OFAC_WALLET);
    assert_string_equal(c.text[7], "XBT|1abc||||");
    assert_string_equal(c.text[8], "organization_type|Logging||||");
    assert_int_equal(c.f[9].kind, SANCTUM_OFAC_VERBATIM);
    assert_string_equal(c.text[9], "remark|Member of the State Duma||||");
}

static void odd_remarks_stay_verbatim(void **state)
{
    sanctum_ofac_remarks_stats st = { 0, 0, 0 };
    static const char s[] = "a.k.a. 'unclosed; DOB; Passport (Iran); ; Digital Currency Address - XBT; .";
    assert_int_equal(sanctum_ofac_remarks_parse(s, strlen(s), ignore_fact, NULL, &st), 0);
    assert_int_equal(st.parts, 4); /* empty parts do not count */
    assert_int_equal(st.verbatim, 4);
    sanctum_date d;
    assert_int_equal(sanctum_ofac_parse_date("32 Jan 1960", 11, &d), SANCTUM_EPARSE);
    assert_int_equal(sanctum_ofac_parse_date("1960 to", 7, &d), SANCTUM_EPARSE);
    assert_int_equal(sanctum_ofac_parse_date("25 Apr 1965", 11, &d), 0);
}

/* ---- strict mode and broken files --------------------------------------------------- */

static void strict_mode_turns_orphans_into_an_error(void **state)
{
    sanctum_dataset *strict = NULL;
    sanctum_error err;
    assert_int_equal(load(&strict, data_dir(), 1, &err), SANCTUM_ESTRICT);
    assert_null(strict);
    assert_non_null(strstr(err.file, "sdn_comments.csv"));
    assert_non_null(strstr(err.message, "sdn.csv lacks"));
}

typedef struct tmpdir {
    char root[64];
    char sub[128];
    char file[192];
} tmpdir;

static void write_sdn(tmpdir *t, const char *content)
{
    snprintf(t->root, sizeof t->root, "/tmp/sanctum-ofac-XXXXXX");
    assert_non_null(mkdtemp(t->root));
    snprintf(t->sub, sizeof t->sub, "%s/ofac-sdn", t->root);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", t->sub);
    assert_int_equal(system(cmd), 0);
    snprintf(t->file, sizeof t->file, "%s/sdn.csv", t->sub);
    FILE *f = fopen(t->file, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void remove_tmp(tmpdir *t)
{
    unlink(t->file);
    rmdir(t->sub);
    rmdir(t->root);
}

#define GOOD_ROW "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"

static void an_unterminated_quote_in_sdn_csv_names_file_and_line(void **state)
{
    tmpdir t;
    sanctum_dataset *bad = NULL;
    sanctum_error err;
    write_sdn(&t, GOOD_ROW "173,\"ANGLO-CARIBBEAN CO., LTD.,-0- ,\"CUBA\r\n\x1a");
    assert_int_equal(load(&bad, t.root, 0, &err), SANCTUM_EPARSE);
    assert_null(bad);
    assert_string_equal(err.file, t.file);
    assert_int_equal(err.line, 2);
    char buf[900];
    sanctum_error_format(&err, buf, sizeof buf);
    assert_non_null(strstr(buf, "sdn.csv:2:"));
    remove_tmp(&t);
}

static void a_bad_ent_num_names_file_and_line(void **state)
{
    tmpdir t;
    write_sdn(&t, GOOD_ROW "\r\n" "17x,\"NAME\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a");
    sanctum_dataset *bad = NULL;
    sanctum_error err;
    assert_int_equal(load(&bad, t.root, 0, &err), SANCTUM_EPARSE);
    assert_null(bad);
    assert_string_equal(err.file, t.file);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "ent_num"));
    remove_tmp(&t);
}

static void missing_side_files_and_short_rows_are_warnings(void **state)
{
    tmpdir t;
    write_sdn(&t, GOOD_ROW "99,\"SHORT\",-0- \r\n" "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,"
                  "-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n\x1a");
    sanctum_dataset *d = NULL;
    sanctum_error err;
    assert_int_equal(load(&d, t.root, 0, &err), 0);
    assert_int_equal(sanctum_dataset_count(d), 2);
    const sanctum_source_info *si = sanctum_dataset_source(d, 0);
    assert_int_equal(si->n_files, 1);
    assert_int_equal(si->records[0], 3);
    assert_non_null(warning_for(si, "alt.csv"));
    assert_non_null(warning_for(si, "add.csv"));
    assert_non_null(warning_for(si, "sdn_comments.csv"));
    const sanctum_warning *w = warning_for(si, "sdn.csv");
    assert_non_null(w);
    assert_int_equal(w->line, 2);
    assert_non_null(strstr(w->message, "1 row skipped: not 12 columns"));
    const sanctum_entity *bnc = sanctum_dataset_find(d, "ofac-sdn:306");
    assert_non_null(bnc);
    assert_int_equal(bnc->n_names, 2);
    assert_string_equal(bnc->names[1].full, "BNC");
    sanctum_dataset_free(d);

    assert_int_equal(load(&d, t.root, 1, &err), SANCTUM_ESTRICT);
    assert_null(d);
    remove_tmp(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_every_row_of_sdn_csv_and_counts_every_file),
        cmocka_unit_test(orphan_rows_are_reported_with_their_counts),
        cmocka_unit_test(kim_sang_man_is_a_person_with_alias_dob_passports_and_wallets),
        cmocka_unit_test(dprk_it_organizations_have_their_names_and_aliases),
        cmocka_unit_test(lazarus_group_has_eight_eth_wallets_and_weak_aliases),
        cmocka_unit_test(a_wallet_cut_between_sdn_and_comments_is_whole),
        cmocka_unit_test(vessel_columns_become_attributes_and_title_a_field),
        cmocka_unit_test(every_remark_part_is_recognised_or_kept_verbatim),
        cmocka_unit_test(remark_shapes_become_typed_facts),
        cmocka_unit_test(odd_remarks_stay_verbatim),
        cmocka_unit_test(strict_mode_turns_orphans_into_an_error),
        cmocka_unit_test(an_unterminated_quote_in_sdn_csv_names_file_and_line),
        cmocka_unit_test(a_bad_ent_num_names_file_and_line),
        cmocka_unit_test(missing_side_files_and_short_rows_are_warnings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
