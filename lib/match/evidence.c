/*
 * evidence.c - what a date of birth and a country add to a name match.
 *
 * A query may carry a date of birth ("1965", "1965-04", "1965-04-25") and a
 * country (ISO 3166 alpha-2 or a common name: "KP", "North Korea", "DPRK").
 * Against a listed entity:
 *   date of birth agrees (year, and month/day when both give them; listed
 *   ranges and "circa" are honoured)          +SM_DOB_MATCH
 *   listed dates all differ                    SM_DOB_MISMATCH
 *   country equals a nationality, citizenship, address country or the
 *   country in a place of birth               +SM_COUNTRY_MATCH
 *   the entity states nationalities or citizenships and none agrees
 *                                              SM_COUNTRY_MISMATCH
 * Nothing is added when the entity gives no date or no country. Countries
 * are compared through one alias table (sm_countries) after folding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_internal.h"
#include "text/text.h"

const sm_country sm_countries[] = {
    { "AF", "Afghanistan" }, { "AL", "Albania" }, { "DZ", "Algeria" }, { "AD", "Andorra" },
    { "AO", "Angola" }, { "AG", "Antigua and Barbuda" }, { "AR", "Argentina" }, { "AM", "Armenia" },
    { "AW", "Aruba" }, { "AU", "Australia" }, { "AT", "Austria" }, { "AZ", "Azerbaijan" },
    { "BS", "Bahamas|Bahamas, The|The Bahamas" }, { "BH", "Bahrain" }, { "BD", "Bangladesh" },
    { "BB", "Barbados" }, { "BY", "Belarus|Byelorussia" }, { "BE", "Belgium" }, { "BZ", "Belize" },
    { "BJ", "Benin" }, { "BM", "Bermuda" }, { "BT", "Bhutan" }, { "BO", "Bolivia|Bolivia (Plurinational State of)" },
    { "BA", "Bosnia and Herzegovina|Bosnia" }, { "BW", "Botswana" }, { "BR", "Brazil" },
    { "VG", "Virgin Islands, British|British Virgin Islands|BVI" }, { "BN", "Brunei|Brunei Darussalam" },
    { "BG", "Bulgaria" }, { "BF", "Burkina Faso" }, { "MM", "Burma|Myanmar" }, { "BI", "Burundi" },
    { "CV", "Cabo Verde|Cape Verde" }, { "KH", "Cambodia" }, { "CM", "Cameroon" }, { "CA", "Canada" },
    { "KY", "Cayman Islands" }, { "CF", "Central African Republic|CAR" }, { "TD", "Chad" }, { "CL", "Chile" },
    { "CN", "China|People's Republic of China|PRC|Chinese" }, { "CO", "Colombia" }, { "KM", "Comoros" },
    { "CD", "Congo, Democratic Republic of the|Democratic Republic of the Congo|DRC|DR Congo|Congo-Kinshasa" },
    { "CG", "Congo, Republic of the|Republic of the Congo|Congo|Congo-Brazzaville" }, { "CR", "Costa Rica" },
    { "CI", "Cote d Ivoire|Cote d'Ivoire|Ivory Coast" }, { "HR", "Croatia" }, { "CU", "Cuba" },
    { "CY", "Cyprus" }, { "CZ", "Czech Republic|Czechia" }, { "DK", "Denmark" }, { "DJ", "Djibouti" },
    { "DM", "Dominica" }, { "DO", "Dominican Republic" }, { "EC", "Ecuador" }, { "EG", "Egypt" },
    { "SV", "El Salvador" }, { "GQ", "Equatorial Guinea" }, { "ER", "Eritrea" }, { "EE", "Estonia" },
    { "SZ", "Eswatini|Swaziland" }, { "ET", "Ethiopia" }, { "FJ", "Fiji" }, { "FI", "Finland" },
    { "FR", "France" }, { "GA", "Gabon" }, { "GM", "Gambia|The Gambia|Gambia, The" }, { "GE", "Georgia" },
    { "DE", "Germany|Deutschland" }, { "GH", "Ghana" }, { "GI", "Gibraltar" }, { "GR", "Greece" },
    { "GD", "Grenada" }, { "GT", "Guatemala" }, { "GG", "Guernsey" }, { "GN", "Guinea" },
    { "GW", "Guinea-Bissau" }, { "GY", "Guyana" }, { "HT", "Haiti" }, { "HN", "Honduras" },
    { "HK", "Hong Kong" }, { "HU", "Hungary" }, { "IS", "Iceland" }, { "IN", "India" }, { "ID", "Indonesia" },
    { "IR", "Iran|Iran (Islamic Republic of)|Islamic Republic of Iran|Iranian" }, { "IQ", "Iraq" },
    { "IE", "Ireland" }, { "IM", "Man, Isle of|Isle of Man" }, { "IL", "Israel" }, { "IT", "Italy" },
    { "JM", "Jamaica" }, { "JP", "Japan" }, { "JE", "Jersey" }, { "JO", "Jordan" }, { "KZ", "Kazakhstan" },
    { "KE", "Kenya" }, { "KI", "Kiribati" },
    { "KP", "Korea, North|North Korea|DPRK|Democratic People's Republic of Korea|Korea DPR|N. Korea|NK" },
    { "KR", "Korea, South|South Korea|Republic of Korea|ROK" }, { "XK", "Kosovo" }, { "KW", "Kuwait" },
    { "KG", "Kyrgyzstan" }, { "LA", "Laos|Lao People's Democratic Republic|Lao PDR" }, { "LV", "Latvia" },
    { "LB", "Lebanon" }, { "LS", "Lesotho" }, { "LR", "Liberia" }, { "LY", "Libya" }, { "LI", "Liechtenstein" },
    { "LT", "Lithuania" }, { "LU", "Luxembourg" }, { "MO", "Macau|Macao" }, { "MG", "Madagascar" },
    { "MW", "Malawi" }, { "MY", "Malaysia" }, { "MV", "Maldives" }, { "ML", "Mali|Northern Mali" },
    { "MT", "Malta" }, { "MH", "Marshall Islands" }, { "MR", "Mauritania" }, { "MU", "Mauritius" },
    { "MX", "Mexico" }, { "FM", "Micronesia" }, { "MD", "Moldova|Republic of Moldova" }, { "MC", "Monaco" },
    { "MN", "Mongolia" }, { "ME", "Montenegro" }, { "MA", "Morocco" }, { "MZ", "Mozambique" },
    { "NA", "Namibia" }, { "NP", "Nepal" }, { "NL", "Netherlands|Holland|The Netherlands" },
    { "AN", "Netherlands Antilles" }, { "NZ", "New Zealand" }, { "NI", "Nicaragua" }, { "NE", "Niger" },
    { "NG", "Nigeria" }, { "MK", "North Macedonia, The Republic of|North Macedonia|Macedonia" },
    { "NO", "Norway" }, { "OM", "Oman" }, { "PK", "Pakistan" }, { "PW", "Palau" },
    { "PS", "Palestinian|State of Palestine|Palestine|West Bank|Gaza|Region: West Bank|Region: Gaza|possibly Palestinian" },
    { "PA", "Panama" }, { "PG", "Papua New Guinea" }, { "PY", "Paraguay" }, { "PE", "Peru" },
    { "PH", "Philippines" }, { "PL", "Poland" }, { "PT", "Portugal" }, { "QA", "Qatar" }, { "RO", "Romania" },
    { "RU", "Russia|Russian Federation|Region: Russia" }, { "RW", "Rwanda" },
    { "KN", "Saint Kitts and Nevis|St Kitts and Nevis" }, { "LC", "Saint Lucia" },
    { "VC", "Saint Vincent and the Grenadines" }, { "WS", "Samoa" }, { "SM", "San Marino" },
    { "SA", "Saudi Arabia|KSA" }, { "SN", "Senegal" }, { "RS", "Serbia" }, { "SC", "Seychelles" },
    { "SL", "Sierra Leone" }, { "SG", "Singapore" }, { "SK", "Slovakia" }, { "SI", "Slovenia" },
    { "SO", "Somalia" }, { "ZA", "South Africa" }, { "SS", "South Sudan" }, { "ES", "Spain" },
    { "LK", "Sri Lanka" }, { "SD", "Sudan" }, { "SR", "Suriname" }, { "SE", "Sweden" },
    { "CH", "Switzerland" }, { "SY", "Syria|Syrian Arab Republic" }, { "TW", "Taiwan" },
    { "TJ", "Tajikistan" }, { "TZ", "Tanzania|United Republic of Tanzania" }, { "TH", "Thailand" },
    { "TL", "Timor-Leste|East Timor" }, { "TG", "Togo" }, { "TT", "Trinidad and Tobago" },
    { "TN", "Tunisia" }, { "TR", "Turkey|Turkiye|Türkiye" }, { "TM", "Turkmenistan" }, { "UG", "Uganda" },
    { "UA", "Ukraine|Region: Crimea|Crimea" }, { "AE", "United Arab Emirates|UAE|Emirates" },
    { "GB", "United Kingdom|United Kingdom of Great Britain and Northern Ireland|UK|Great Britain|Britain|England" },
    { "US", "United States|United States of America|USA|America" }, { "UY", "Uruguay" },
    { "UZ", "Uzbekistan" }, { "VU", "Vanuatu" },
    { "VE", "Venezuela|Venezuela (Bolivarian Republic of)" }, { "VN", "Vietnam|Viet Nam" },
    { "YE", "Yemen" }, { "ZM", "Zambia" }, { "ZW", "Zimbabwe" },
};
const size_t sm_n_countries = sizeof sm_countries / sizeof sm_countries[0];

static int put_folded(sanctum_strmap *m, sanctum_arena *a, const char *s, size_t len, size_t value)
{
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    int rc = sanctum_text_fold(s, len, &b);
    if (rc == 0 && b.len) {
        size_t old;
        if (!sanctum_strmap_get(m, b.data, b.len, &old)) {
            char *copy = sanctum_arena_strndup(a, b.data, b.len);
            rc = copy ? sanctum_strmap_put(m, copy, b.len, value) : SANCTUM_ENOMEM;
        }
    }
    sanctum_strbuf_free(&b);
    return rc == SANCTUM_EUNICODE ? 0 : rc;
}

int sm_countries_init(sanctum_strmap *m, sanctum_arena *a)
{
    for (size_t i = 0; i < sm_n_countries; i++) {
        int rc = put_folded(m, a, sm_countries[i].code, 2, i);
        if (rc) return rc;
        const char *p = sm_countries[i].names;
        while (*p) {
            const char *e = strchr(p, '|');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if ((rc = put_folded(m, a, p, len, i))) return rc;
            p += len;
            if (*p == '|') p++;
        }
    }
    return 0;
}

static int find_folded(const sanctum_strmap *m, const char *s, size_t len)
{
    char buf[160];
    sanctum_strbuf b;
    sanctum_strbuf_init(&b, 512);
    int found = -1;
    if (sanctum_text_fold(s, len, &b) == 0 && b.len) {
        size_t v;
        const char *f = b.data;
        size_t fl = b.len;
        if (sanctum_strmap_get(m, f, fl, &v)) {
            found = (int)v;
        } else if (fl > 7 && memcmp(f, "region ", 7) == 0 && sanctum_strmap_get(m, f + 7, fl - 7, &v)) {
            found = (int)v;
        } else if (fl > 4 && memcmp(f, "the ", 4) == 0 && sanctum_strmap_get(m, f + 4, fl - 4, &v)) {
            found = (int)v;
        }
    }
    (void)buf;
    sanctum_strbuf_free(&b);
    return found;
}

int sm_country_find(const sanctum_strmap *m, const char *s)
{
    if (!s || !*s) return -1;
    size_t len = strlen(s);
    int c = find_folded(m, s, len);
    if (c >= 0) return c;
    /* "North Pyongan Province, North Korea": try the last comma-separated part */
    const char *comma = strrchr(s, ',');
    if (comma && comma[1]) return find_folded(m, comma + 1, strlen(comma + 1));
    return -1;
}

int sm_parse_dob(const char *s, sm_query_dob *out)
{
    memset(out, 0, sizeof *out);
    if (!s) return 0;
    int y = 0, m = 0, d = 0, n = 0;
    size_t len = strlen(s);
    if (len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4) {
    } else if (len == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7) {
    } else if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10) {
    } else {
        return SANCTUM_EINVAL;
    }
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && (i == 4 || i == 7)))) return SANCTUM_EINVAL;
    if (y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31 || (d && !m)) return SANCTUM_EINVAL;
    out->year = y;
    out->month = m;
    out->day = d;
    return 0;
}

static const char *const month_names[] = { "", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* 2: agrees, 1: same year but month/day differ or unknown, 0: differs. */
static int dob_agrees(const sm_query_dob *q, const sanctum_date *d)
{
    if (!d->year) return -1;
    int lo = d->year, hi = d->to_year ? d->to_year : d->year;
    if (d->circa) {
        lo -= 2;
        hi += 2;
    }
    if (q->year < lo || q->year > hi) return 0;
    if (d->to_year || d->circa) return 2;
    if (q->month && d->month && q->month != d->month) return 1;
    if (q->day && d->day && q->day != d->day) return 1;
    return 2;
}

static const char *describe_date(const sanctum_date *d, char *buf, size_t size)
{
    if (d->text && *d->text) return d->text;
    if (d->day && d->month >= 1 && d->month <= 12)
        snprintf(buf, size, "%d %s %d", d->day, month_names[d->month], d->year);
    else if (d->month >= 1 && d->month <= 12)
        snprintf(buf, size, "%s %d", month_names[d->month], d->year);
    else
        snprintf(buf, size, "%d", d->year);
    return buf;
}

/* Listed countries are names; two-letter strings ("na") are not codes there. */
static int listed_country(const sanctum_index *idx, const char *s)
{
    if (!s || strlen(s) <= 2) return -1;
    return sm_country_find(&idx->countries, s);
}

static int entity_has_country(const sanctum_index *idx, const sanctum_entity *e, int c, int *stated)
{
    *stated = 0;
    for (size_t i = 0; i < e->n_nationalities; i++) {
        int x = listed_country(idx, e->nationalities[i]);
        if (x >= 0) *stated = 1;
        if (x == c) return 1;
    }
    for (size_t i = 0; i < e->n_citizenships; i++) {
        int x = listed_country(idx, e->citizenships[i]);
        if (x >= 0) *stated = 1;
        if (x == c) return 1;
    }
    for (size_t i = 0; i < e->n_addresses; i++)
        if (listed_country(idx, e->addresses[i].country) == c) return 1;
    for (size_t i = 0; i < e->n_places_of_birth; i++)
        if (listed_country(idx, e->places_of_birth[i]) == c) return 1;
    return 0;
}

double sm_evidence(const sanctum_index *idx, const sanctum_entity *e, const sm_query_dob *dob, int country,
                   sanctum_evidence *ev, size_t *n_ev, sanctum_arena *arena)
{
    double total = 0;
    char buf[256], dbuf[64];
    if (dob && dob->year && e->n_dobs) {
        int best = -1;
        size_t which = 0;
        for (size_t i = 0; i < e->n_dobs; i++) {
            int a = dob_agrees(dob, &e->dobs[i]);
            if (a > best) {
                best = a;
                which = i;
            }
        }
        if (best >= 0) {
            double delta = best == 2 ? SM_DOB_MATCH : best == 1 ? SM_DOB_NEAR : SM_DOB_MISMATCH;
            char q[16];
            if (dob->day)
                snprintf(q, sizeof q, "%04d-%02d-%02d", dob->year, dob->month, dob->day);
            else if (dob->month)
                snprintf(q, sizeof q, "%04d-%02d", dob->year, dob->month);
            else
                snprintf(q, sizeof q, "%04d", dob->year);
            snprintf(buf, sizeof buf, "query %s %s listed %s", q,
                     best == 2 ? "matches" : best == 1 ? "has the year of" : "differs from",
                     describe_date(&e->dobs[which], dbuf, sizeof dbuf));
            if (ev && n_ev) {
                ev[*n_ev].field = "dob";
                ev[*n_ev].delta = delta;
                ev[*n_ev].detail = arena ? sanctum_arena_strdup(arena, buf) : NULL;
                (*n_ev)++;
            }
            total += delta;
        }
    }
    if (country >= 0) {
        int stated = 0;
        int has = entity_has_country(idx, e, country, &stated);
        double delta = has ? SM_COUNTRY_MATCH : stated ? SM_COUNTRY_MISMATCH : 0.0;
        if (has || stated) {
            snprintf(buf, sizeof buf, "query country %s %s the listed countries", sm_countries[country].code,
                     has ? "is among" : "is not among");
            if (ev && n_ev) {
                ev[*n_ev].field = "country";
                ev[*n_ev].delta = delta;
                ev[*n_ev].detail = arena ? sanctum_arena_strdup(arena, buf) : NULL;
                (*n_ev)++;
            }
            total += delta;
        }
    }
    return total;
}
