/* placeholder until the matching engine lands; the engine replaces this file */
#include "sanctum/match.h"
#include "util/error.h"
int sanctum_index_build(sanctum_index **out, const sanctum_dataset *ds, sanctum_error *err)
{
    *out = NULL;
    return sanctum_error_set(err, SANCTUM_EINTERNAL, NULL, 0, "matching engine not built yet");
}
void sanctum_index_free(sanctum_index *idx) { (void)idx; }
const sanctum_dataset *sanctum_index_dataset(const sanctum_index *idx) { return NULL; }
int sanctum_screen(sanctum_result **out, const sanctum_index *idx, const sanctum_query *q, sanctum_error *err)
{
    *out = NULL;
    return sanctum_error_set(err, SANCTUM_EINTERNAL, NULL, 0, "matching engine not built yet");
}
size_t sanctum_result_count(const sanctum_result *r) { return 0; }
const sanctum_hit *sanctum_result_hit(const sanctum_result *r, size_t i) { return NULL; }
void sanctum_result_free(sanctum_result *r) { (void)r; }
int sanctum_score_entity(const sanctum_index *idx, const sanctum_query *q, const char *entity_id, double *score)
{
    return SANCTUM_EINTERNAL;
}
