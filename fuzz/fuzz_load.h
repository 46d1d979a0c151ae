/*
 * fuzz_load.h - the shared harness of the loader fuzzers: each input is
 * written to <tmp>/SOURCE/FILE_NAME (one temporary folder, reused for the
 * whole run) and loaded through the public API, first normally, then in
 * strict mode. Besides crashes and sanitizer reports it checks what must
 * hold for any input: a failed load leaves no dataset and a filled-in error;
 * every loaded entity has a primary name first, non-empty names and can be
 * found by its id; no more entities than records; strict mode fails exactly
 * when the normal load warned.
 *
 * A fuzzer defines SOURCE and FILE_NAME, then includes this file.
 */
#ifndef SANCTUM_FUZZ_LOAD_H
#define SANCTUM_FUZZ_LOAD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanctum/dataset.h"
#include "sanctum/entity.h"

static char root[64];
static char sub[96];
static char file[160];

static void remove_tmp(void)
{
    unlink(file);
    rmdir(sub);
    rmdir(root);
}

static void make_tmp(void)
{
    snprintf(root, sizeof root, "/tmp/sanctum-fuzz-" SOURCE "-XXXXXX");
    if (!mkdtemp(root)) abort();
    snprintf(sub, sizeof sub, "%s/" SOURCE, root);
    if (mkdir(sub, 0700) != 0) abort();
    snprintf(file, sizeof file, "%s/" FILE_NAME, sub);
    atexit(remove_tmp);
}

static void check_dataset(const sanctum_dataset *ds)
{
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    if (!s || strcmp(s->name, SOURCE) != 0 || s->n_files != 1) abort();
    if (s->records[0] < s->entities) abort();
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        if (!e || e->n_names == 0 || e->names[0].kind != SANCTUM_NAME_PRIMARY || !e->names[0].full) abort();
        if (sanctum_dataset_find(ds, e->id) != e) abort();
        for (size_t k = 0; k < e->n_names; k++)
            if (!e->names[k].full || !e->names[k].full[0]) abort();
        for (size_t k = 0; k < e->n_attrs; k++)
            if (!e->attrs[k].key || !e->attrs[k].value) abort();
        for (size_t k = 0; k < e->n_dobs; k++)
            if (!e->dobs[k].text) abort();
        for (size_t k = 0; k < e->n_wallets; k++)
            if (!e->wallets[k].currency || !e->wallets[k].address) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) make_tmp();
    FILE *f = fopen(file, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);

    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.data_dir = root;
    o.sources = SOURCE;
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    int rc = sanctum_dataset_load(&ds, &o, &err);
    if (rc) {
        if (ds || err.code != rc || rc == SANCTUM_ESTRICT) abort();
        return 0;
    }
    check_dataset(ds);
    size_t warnings = sanctum_dataset_source(ds, 0)->n_warnings;
    sanctum_dataset_free(ds);

    o.strict = 1;
    ds = NULL;
    rc = sanctum_dataset_load(&ds, &o, &err);
    if (warnings ? rc != SANCTUM_ESTRICT : rc != 0) abort();
    if (rc && (ds || err.code != SANCTUM_ESTRICT)) abort();
    sanctum_dataset_free(ds);
    return 0;
}

#endif
