/*
 * dataset_view.h - a dataset whose entities live elsewhere (in a mapped
 * index file): the dataset accessors read the view's arrays in place.
 *
 * The view and everything it points to are borrowed: they must outlive the
 * dataset made from them. sanctum_dataset_free() on such a dataset frees
 * only the small handle.
 */
#ifndef SANCTUM_INDEX_DATASET_VIEW_H
#define SANCTUM_INDEX_DATASET_VIEW_H

#include "sanctum/dataset.h"
#include "util/strmap.h"

typedef struct sanctum_dataset_view {
    const sanctum_entity *entities;    /* n_entities, in dataset order */
    size_t n_entities;
    const sanctum_source_info *sources;
    size_t n_sources;
    sanctum_strmap by_id;              /* entity id -> index into entities */
} sanctum_dataset_view;

/* A dataset handle reading v; NULL on out of memory. */
sanctum_dataset *sanctum_dataset_from_view(const sanctum_dataset_view *v);

#endif
