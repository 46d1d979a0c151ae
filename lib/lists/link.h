/*
 * link.h - finding the listings of one party across lists, once every list
 * of a dataset is loaded (see the "one party across lists" section of
 * sanctum/dataset.h for the rules).
 */
#ifndef SANCTUM_LISTS_LINK_H
#define SANCTUM_LISTS_LINK_H

#include "sanctum/dataset.h"
#include "util/arena.h"

/* Links the n entities and fills each one's also_listed array, allocated in
 * arena (the dataset's, so it lives as long as the entities). Only entities
 * of different sources are linked. Returns 0 or SANCTUM_ENOMEM with err set. */
int sanctum_link_entities(sanctum_entity **entities, size_t n, sanctum_arena *arena, sanctum_error *err);

/* Links ever made more than this many listings into one party are treated as
 * a shared identifier gone wrong: such a party keeps only its direct links. */
#define SANCTUM_LINK_MAX_PARTY 24

#endif
