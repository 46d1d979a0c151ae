/*
 * sanctum_pg.c - the sanctum PostgreSQL extension: screening names and
 * wallet addresses with SQL, on libsanctum and a compiled index file.
 *
 * Each backend (and each parallel worker) maps the index file named by the
 * setting sanctum.index_path the first time a function needs it, and keeps
 * it until the setting changes or the file is replaced (its device, inode,
 * size or modification time differ); then the new file is mapped and the old
 * one released. Mapping is cheap (milliseconds) and shared through the page
 * cache, so every worker screens its own rows without copying the lists.
 *
 * Errors from the library become SQL errors with the library's message; no
 * library call can end the backend. A NULL or empty name screens to no rows.
 */
#include "postgres.h"

#include <string.h>
#include <sys/stat.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/fmgrprotos.h"

#include "sanctum.h"

PG_MODULE_MAGIC;

/* The longest name accepted; longer input is an error, not truncated. */
#define PG_MAX_NAME_BYTES 1024
#define PG_MAX_HITS 1000

static char *index_path_setting = NULL;

/* the index this backend has mapped */
static sanctum_index *cur_idx = NULL;
static sanctum_ident_index *cur_ident = NULL;
static char *cur_path = NULL;
static struct stat cur_st;

void _PG_init(void);

void _PG_init(void)
{
    DefineCustomStringVariable("sanctum.index_path",
                               "Path of the compiled sanctum index file (written by `sanctum index build`).",
                               "Each backend maps the file on first use and again when it is replaced.",
                               &index_path_setting, "", PGC_USERSET, 0, NULL, NULL, NULL);
    MarkGUCPrefixReserved("sanctum");
}

static void drop_index(void)
{
    sanctum_ident_index_free(cur_ident);
    cur_ident = NULL;
    sanctum_index_free(cur_idx);
    cur_idx = NULL;
    if (cur_path) pfree(cur_path);
    cur_path = NULL;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The index to use now: opened or reopened as needed; raises an error when
 * the setting is empty or the file cannot be used. */
static const sanctum_index *get_index(void)
{
    const char *path = index_path_setting;
    if (!path || !*path)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("sanctum.index_path is not set"),
                        errhint("Build an index with `sanctum index build --out FILE` and SET sanctum.index_path = 'FILE'.")));
    struct stat st;
    if (stat(path, &st) != 0)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FILE),
                        errmsg("sanctum index file \"%s\" cannot be read: %m", path)));
    if (cur_idx && cur_path && strcmp(cur_path, path) == 0 && same_file(&st, &cur_st)) return cur_idx;
    drop_index();
    sanctum_error err;
    sanctum_index *idx = NULL;
    if (sanctum_index_open(&idx, path, &err) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("sanctum: %s", err.message),
                        errdetail("sanctum.index_path = '%s'", path)));
    cur_idx = idx;
    cur_path = MemoryContextStrdup(TopMemoryContext, path);
    cur_st = st;
    return cur_idx;
}

static const sanctum_ident_index *get_ident(void)
{
    const sanctum_index *idx = get_index();
    if (!cur_ident) {
        sanctum_error err;
        if (sanctum_ident_index_build(&cur_ident, sanctum_index_dataset(idx), &err) != 0)
            ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("sanctum: %s", err.message)));
    }
    return cur_ident;
}

/* The text argument as a C string; NULL when SQL NULL. Raises an error for
 * text longer than max bytes. */
static char *arg_cstring(FunctionCallInfo fcinfo, int n, size_t max, const char *what)
{
    if (PG_ARGISNULL(n)) return NULL;
    text *t = PG_GETARG_TEXT_PP(n);
    size_t len = VARSIZE_ANY_EXHDR(t);
    if (len > max)
        ereport(ERROR, (errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
                        errmsg("sanctum: %s is too long (%zu bytes; the limit is %zu)", what, len, max)));
    return text_to_cstring(t);
}

static void raise_lib(const sanctum_error *err, int rc)
{
    int code = rc == SANCTUM_ENOMEM ? ERRCODE_OUT_OF_MEMORY
               : rc == SANCTUM_ELIMIT ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
                                      : ERRCODE_INVALID_PARAMETER_VALUE;
    ereport(ERROR, (errcode(code), errmsg("sanctum: %s", err->message[0] ? err->message : sanctum_strerror(rc))));
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
    return 1;
}

PG_FUNCTION_INFO_V1(sanctum_pg_screen);
Datum sanctum_pg_screen(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    InitMaterializedSRF(fcinfo, 0);
    char *name = arg_cstring(fcinfo, 0, PG_MAX_NAME_BYTES, "name");
    char *type = arg_cstring(fcinfo, 1, 64, "type");
    sanctum_query q = SANCTUM_QUERY_INIT;
    if (type && *type) {
        sanctum_entity_type t;
        if (sanctum_type_parse(type, &t) != 0)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("sanctum: unknown entity type \"%s\"", type),
                            errhint("Use any, person, organization, vessel or aircraft.")));
        q.types = (unsigned)t;
    }
    if (!PG_ARGISNULL(2)) {
        float4 m = PG_GETARG_FLOAT4(2);
        if (!(m >= 0 && m <= 1))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("sanctum: min_score must be between 0 and 1")));
        q.min_score = m;
    }
    if (!PG_ARGISNULL(3)) {
        int32 k = PG_GETARG_INT32(3);
        if (k < 1 || k > PG_MAX_HITS)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("sanctum: max_hits must be between 1 and %d", PG_MAX_HITS)));
        q.limit = (size_t)k;
    }
    if (!name || blank(name)) return (Datum)0;
    const sanctum_index *idx = get_index();
    q.name = name;
    sanctum_result *r = NULL;
    sanctum_error err;
    int rc = sanctum_screen(&r, idx, &q, &err);
    if (rc) raise_lib(&err, rc);
    size_t n = sanctum_result_count(r);
    for (size_t i = 0; i < n; i++) {
        const sanctum_hit *h = sanctum_result_hit(r, i);
        Datum values[5];
        bool nulls[5] = { false, false, false, false, false };
        values[0] = CStringGetTextDatum(h->entity->id ? h->entity->id : "");
        values[1] = CStringGetTextDatum(h->entity->source ? h->entity->source : "");
        values[2] = Float4GetDatum((float4)h->score);
        const char *matched = h->name_index < h->entity->n_names ? h->entity->names[h->name_index].full : NULL;
        if (matched)
            values[3] = CStringGetTextDatum(matched);
        else
            nulls[3] = true;
        char *js = sanctum_hit_json(h);
        if (js) {
            Datum whole = DirectFunctionCall1(jsonb_in, CStringGetDatum(js));
            sanctum_string_free(js);
            values[4] = DirectFunctionCall2(jsonb_object_field, whole, CStringGetTextDatum("explanation"));
        } else {
            nulls[4] = true;
        }
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    sanctum_result_free(r);
    return (Datum)0;
}

PG_FUNCTION_INFO_V1(sanctum_pg_score);
Datum sanctum_pg_score(PG_FUNCTION_ARGS)
{
    char *name = arg_cstring(fcinfo, 0, PG_MAX_NAME_BYTES, "name");
    char *entity = arg_cstring(fcinfo, 1, 256, "entity");
    if (!name || !entity || blank(name)) PG_RETURN_NULL();
    const sanctum_index *idx = get_index();
    if (!sanctum_dataset_find(sanctum_index_dataset(idx), entity)) PG_RETURN_NULL();
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = name;
    double score = 0;
    sanctum_error err;
    memset(&err, 0, sizeof err);
    int rc = sanctum_score_entity(idx, &q, entity, &score);
    if (rc == SANCTUM_ENOTFOUND) PG_RETURN_NULL();
    if (rc) raise_lib(&err, rc);
    PG_RETURN_FLOAT4((float4)score);
}

PG_FUNCTION_INFO_V1(sanctum_pg_wallet);
Datum sanctum_pg_wallet(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
    char *addr = arg_cstring(fcinfo, 0, 512, "address");
    if (!addr || blank(addr)) return (Datum)0;
    const sanctum_ident_index *ii = get_ident();
    sanctum_ident_result *r = NULL;
    sanctum_error err;
    int rc = sanctum_wallet_screen(&r, ii, addr, &err);
    if (rc) raise_lib(&err, rc);
    for (size_t i = 0; i < sanctum_ident_result_count(r); i++) {
        const sanctum_ident_hit *h = sanctum_ident_result_hit(r, i);
        Datum v = CStringGetTextDatum(h->entity->id ? h->entity->id : "");
        bool isnull = false;
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &v, &isnull);
    }
    sanctum_ident_result_free(r);
    return (Datum)0;
}

PG_FUNCTION_INFO_V1(sanctum_pg_lists);
Datum sanctum_pg_lists(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    InitMaterializedSRF(fcinfo, 0);
    const sanctum_index *idx = get_index();
    const sanctum_dataset *ds = sanctum_index_dataset(idx);
    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++) {
        const sanctum_source_info *s = sanctum_dataset_source(ds, i);
        Datum values[6];
        bool nulls[6] = { false, false, false, false, false, false };
        values[0] = CStringGetTextDatum(s->name ? s->name : "");
        if (s->title) values[1] = CStringGetTextDatum(s->title); else nulls[1] = true;
        if (s->published && *s->published) values[2] = CStringGetTextDatum(s->published); else nulls[2] = true;
        if (s->sha256) values[3] = CStringGetTextDatum(s->sha256); else nulls[3] = true;
        values[4] = Int64GetDatum((int64)s->entities);
        values[5] = CStringGetTextDatum(cur_path ? cur_path : "");
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
