/*
 * list_fixture.h - what the tests of one list share: loading the real file
 * of that list once (load_real/free_real as cmocka group fixtures), loading
 * a folder in normal or strict mode, finding an entity by id, and writing a
 * small file of the list into a fresh temporary data folder.
 *
 * A test defines LIST_SOURCE ("kr") and LIST_FILE ("designations.csv"), then
 * includes this file after cmocka.h.
 */
#ifndef SANCTUM_TESTS_LIST_FIXTURE_H
#define SANCTUM_TESTS_LIST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanctum/common.h"
#include "sanctum/dataset.h"
#include "sanctum/entity.h"

static sanctum_dataset *real;   /* the list as shipped in the data folder */
static char tmp_root[64];       /* the folder write_file() made */

static inline const char *data_dir(void)
{
    const char *d = getenv("SANCTUM_DATA");
    return d && *d ? d : "../../data";
}

static inline int load(sanctum_dataset **out, const char *dir, int strict, sanctum_error *err)
{
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.data_dir = dir;
    o.sources = LIST_SOURCE;
    o.strict = strict;
    return sanctum_dataset_load(out, &o, err);
}

static int load_real(void **state)
{
    (void)state;
    sanctum_error err;
    int rc = load(&real, data_dir(), 0, &err);
    if (rc) {
        char msg[1024];
        sanctum_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "cannot load the " LIST_SOURCE " list: %s\n", msg);
    }
    return rc;
}

static int free_real(void **state)
{
    (void)state;
    sanctum_dataset_free(real);
    real = NULL;
    sanctum_thread_cleanup();
    return 0;
}

static inline const sanctum_entity *must_find(const sanctum_dataset *ds, const char *id)
{
    const sanctum_entity *e = sanctum_dataset_find(ds, id);
    if (!e) fail_msg("%s not loaded", id);
    return e;
}

/* Makes tmp_root/LIST_SOURCE/ and returns the path of LIST_FILE in it. */
static inline const char *make_list_dir(char *path, size_t size)
{
    snprintf(tmp_root, sizeof tmp_root, "/tmp/sanctum-" LIST_SOURCE "-XXXXXX");
    assert_non_null(mkdtemp(tmp_root));
    char dir[128];
    snprintf(dir, sizeof dir, "%s/" LIST_SOURCE, tmp_root);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, size, "%s/" LIST_FILE, dir);
    return path;
}

/* A data folder whose LIST_FILE holds body. */
static inline void write_file(const char *body)
{
    char path[160];
    FILE *f = fopen(make_list_dir(path, sizeof path), "wb");
    assert_non_null(f);
    fputs(body, f);
    fclose(f);
}

static inline void remove_file(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s/" LIST_SOURCE "/" LIST_FILE, tmp_root);
    unlink(path);
    snprintf(path, sizeof path, "%s/" LIST_SOURCE, tmp_root);
    rmdir(path);
    rmdir(tmp_root);
}

#endif
