/*
 * namegen.h - realistic screening input for the benchmarks: names of people
 * and companies that are not listed (first-name, surname and company-word
 * tables of several languages) mixed, at a chosen rate, with variants of
 * listed names (case, word order, a typo, spacing). Deterministic for a seed.
 */
#ifndef SANCTUM_BENCH_NAMEGEN_H
#define SANCTUM_BENCH_NAMEGEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sanctum.h"

static const char *first_names[] = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Jose", "Maria", "Juan", "Carmen", "Luis", "Ana", "Carlos", "Lucia", "Javier", "Sofia", "Miguel", "Elena",
    "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Layla", "Yusuf", "Mariam", "Hassan", "Zainab",
    "Ivan", "Olga", "Dmitry", "Natalia", "Sergei", "Tatiana", "Andrei", "Ekaterina", "Mikhail", "Irina",
    "Wei", "Fang", "Lei", "Xiu Ying", "Jun", "Li Na", "Hao", "Mei", "Jian", "Yan",
    "Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Joon-ho", "Soo-jin", "Hyun-woo", "Eun-ji",
    "Hans", "Anna", "Klaus", "Ingrid", "Pierre", "Claire", "Jean", "Camille", "Giuseppe", "Giulia",
    "Raj", "Priya", "Amit", "Sunita", "Arjun", "Ananya", "Hiroshi", "Yuki", "Takeshi", "Sakura",
    "Kwame", "Ama", "Chinedu", "Ngozi", "Tunde", "Aylin", "Mehmet", "Elif", "Nguyen", "Thi",
};
static const char *surnames[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Garcia", "Martinez", "Rodriguez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores",
    "Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Farouk", "Aziz", "Karim", "Rahman", "Siddiqui",
    "Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Novikova", "Morozov", "Volkova",
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
    "Muller", "Schmidt", "Schneider", "Fischer", "Dubois", "Martin", "Bernard", "Rossi", "Russo", "Ferrari",
    "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe",
    "Mensah", "Okafor", "Adeyemi", "Yilmaz", "Kaya", "Demir", "Tran", "Pham", "Hoang", "Novak",
};
static const char *company_words[] = {
    "Global", "Pacific", "Northern", "Atlantic", "Summit", "Bright", "Silver", "Green", "Blue", "Golden",
    "Harbor", "River", "Mountain", "Sunrise", "Crescent", "Eagle", "Lotus", "Maple", "Cedar", "Orion",
    "Apex", "Vertex", "Nova", "Zenith", "Horizon", "Pioneer", "Unity", "Liberty", "Heritage", "Crystal",
};
static const char *company_kinds[] = {
    "Logistics", "Software", "Textiles", "Foods", "Consulting", "Holdings", "Energy", "Shipping", "Pharma",
    "Electronics", "Construction", "Media", "Analytics", "Robotics", "Farms", "Imports", "Motors", "Labs",
};
static const char *legal_forms[] = {
    "Inc.", "LLC", "Ltd", "Co., Ltd.", "GmbH", "S.A.", "S.r.l.", "B.V.", "Pty Ltd", "AG", "JSC", "PLC", "",
};

#define N(a) (sizeof a / sizeof a[0])

static uint64_t rng_state;
static uint64_t rnd(void)
{
    /* splitmix64: small, fast and reproducible */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static size_t pick(size_t n) { return (size_t)(rnd() % n); }

static void namegen_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c < 0x20) fprintf(out, "\\u%04x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

/* A variant of a listed name: as written, upper/lower case, "given surname"
 * order, one letter changed, or hyphens for spaces. */
static void listed_variant(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s", name);
    size_t len = strlen(out);
    switch (pick(5)) {
    case 0: break;
    case 1:
        for (size_t i = 0; i < len; i++)
            if (out[i] >= 'A' && out[i] <= 'Z') out[i] = (char)(out[i] + 32);
        break;
    case 2: {
        const char *comma = strstr(name, ", ");
        if (comma) snprintf(out, size, "%s %.*s", comma + 2, (int)(comma - name), name);
        break;
    }
    case 3:
        if (len > 6) {
            size_t i = 2 + pick(len - 4);
            if ((out[i] | 0x20) >= 'a' && (out[i] | 0x20) <= 'z') out[i] = out[i] == 'e' ? 'a' : 'e';
        }
        break;
    case 4:
        for (size_t i = 0; i < len; i++)
            if (out[i] == ' ' && pick(2)) out[i] = '-';
        break;
    }
}

/* Writes one generated record as a JSON line; i is its 0-based number. */
static void namegen_record(FILE *out, const sanctum_dataset *ds, double rate, unsigned long long i)
{
    char buf[2048];
    const char *type = "person";
    size_t n_entities = sanctum_dataset_count(ds);
    uint64_t threshold = (uint64_t)(rate * 18446744073709551615.0);
    if (rate > 0 && rnd() < threshold && n_entities) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, pick(n_entities));
        const sanctum_name *nm = &e->names[pick(e->n_names)];
        listed_variant(nm->full, buf, sizeof buf);
        type = e->type == SANCTUM_TYPE_PERSON ? "person" : "any";
    } else if (pick(4) == 0) {
        snprintf(buf, sizeof buf, "%s %s %s %s", company_words[pick(N(company_words))],
                 company_words[pick(N(company_words))], company_kinds[pick(N(company_kinds))],
                 legal_forms[pick(N(legal_forms))]);
        size_t l = strlen(buf);
        while (l && buf[l - 1] == ' ') buf[--l] = '\0';
        type = "organization";
    } else if (pick(3) == 0) {
        snprintf(buf, sizeof buf, "%s %s %s", first_names[pick(N(first_names))], first_names[pick(N(first_names))],
                 surnames[pick(N(surnames))]);
    } else {
        snprintf(buf, sizeof buf, "%s %s", first_names[pick(N(first_names))], surnames[pick(N(surnames))]);
    }
    fprintf(out, "{\"id\":\"c%llu\",\"name\":", i + 1);
    namegen_json_string(out, buf);
    fprintf(out, ",\"type\":\"%s\"}\n", type);
}

#endif
