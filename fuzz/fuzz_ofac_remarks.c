/*
 * fuzz_ofac_remarks.c - feeds arbitrary text to the OFAC remarks parser and
 * the OFAC date reader.
 *
 * Facts go to a checker instead of an entity: every string a fact carries
 * must be NUL-terminated text taken from the input (so no longer than it;
 * attribute keys, which are the parser's own, excepted),
 * documents must have a type and a number, wallets a currency and an
 * address, and the part counts must add up (parts == recognised + verbatim).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lists/ofac_remarks.h"

typedef struct check {
    size_t input_len;
    size_t facts;
} check;

static void text_ok(const check *c, const char *s, int required)
{
    if (!s) {
        if (required) abort();
        return;
    }
    if (strlen(s) > c->input_len) abort();
}

static int on_fact(void *ctx, const sanctum_ofac_fact *f)
{
    check *c = ctx;
    c->facts++;
    switch (f->kind) {
    case SANCTUM_OFAC_DOCUMENT:
        text_ok(c, f->doc.type, 1);
        text_ok(c, f->doc.number, 1);
        if (!f->doc.number[0]) abort();
        text_ok(c, f->doc.country, 0);
        text_ok(c, f->doc.issued, 0);
        text_ok(c, f->doc.expires, 0);
        break;
    case SANCTUM_OFAC_WALLET:
        text_ok(c, f->key, 1);
        text_ok(c, f->value, 1);
        if (!f->key[0] || !f->value[0]) abort();
        break;
    case SANCTUM_OFAC_DOB:
        text_ok(c, f->value, 1);
        if (f->date.text != f->value) abort();
        if (f->date.month < 0 || f->date.month > 12 || f->date.day < 0 || f->date.day > 31) abort();
        break;
    case SANCTUM_OFAC_NAME:
        text_ok(c, f->value, 1);
        if (!f->value[0]) abort();
        if (f->name_kind != SANCTUM_NAME_AKA && f->name_kind != SANCTUM_NAME_FKA && f->name_kind != SANCTUM_NAME_NKA)
            abort();
        break;
    case SANCTUM_OFAC_LINK:
    case SANCTUM_OFAC_ATTR:
    case SANCTUM_OFAC_VERBATIM:
        if (!f->key || !f->key[0]) abort(); /* keys are the parser's own words */
        text_ok(c, f->value, 1);
        break;
    default:
        text_ok(c, f->value, 1);
        if (!f->value[0]) abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy so that reads past the end are caught */
    char *text = malloc(size ? size : 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    check c = { size, 0 };
    sanctum_ofac_remarks_stats st = { 0, 0, 0 };
    if (sanctum_ofac_remarks_parse(text, size, on_fact, &c, &st) != 0) abort();
    if (st.parts != st.recognised + st.verbatim) abort();
    if (c.facts < st.parts) abort();
    sanctum_date d;
    if (sanctum_ofac_parse_date(text, size, &d) == 0 && (d.year < 1000 || d.year > 9999)) abort();
    free(text);
    return 0;
}
