/*
 * header.c - mapping the header row of a CSV list file onto the columns a
 * loader knows, shared by the loaders of CSV formats whose column order is
 * not fixed (the South Korean file, the US Consolidated Screening List).
 */
#include <string.h>

#include "lists/builder.h"
#include "lists/csv.h"
#include "util/error.h"

int sanctum_builder_map_header(sanctum_builder *b, const struct sanctum_csv_reader *r, const char *const *columns,
                               int n, const int *required, size_t n_required, int *col, sanctum_error *err)
{
    int rc;
    for (int k = 0; k < n; k++) col[k] = -1;
    for (size_t i = 0; i < sanctum_csv_count(r); i++) {
        const char *h = sanctum_csv_field(r, i);
        int known = 0;
        for (int k = 0; k < n; k++)
            if (strcmp(h, columns[k]) == 0) {
                if (col[k] < 0) col[k] = (int)i;
                known = 1;
            }
        if (!known && (rc = sanctum_builder_warn(b, r->path, r->record_line, "unknown column '%.60s' ignored", h)))
            return rc;
    }
    for (size_t i = 0; i < n_required; i++)
        if (col[required[i]] < 0)
            return sanctum_error_set(err, SANCTUM_EPARSE, r->path, r->record_line, "the header lacks the column '%s'",
                                     columns[required[i]]);
    for (int k = 0; k < n; k++)
        if (col[k] < 0 && (rc = sanctum_builder_warn(b, r->path, r->record_line,
                                                     "the header lacks the column '%s'; its values are taken as empty",
                                                     columns[k])))
            return rc;
    return 0;
}
