/*
 * sanctum.h - the sanctum sanctions-screening library.
 *
 *   sanctum_dataset *ds; sanctum_index *idx; sanctum_result *res;
 *   sanctum_dataset_load(&ds, NULL, &err);        // the default lists
 *   sanctum_index_build(&idx, ds, &err);
 *   sanctum_query q = SANCTUM_QUERY_INIT; q.name = "Kim Sang-man";
 *   sanctum_screen(&res, idx, &q, &err);          // ranked, explained hits
 *
 * Modules: common (errors, version), entity (the data model), dataset
 * (loading the lists), match (index and screening), ident (wallet and
 * document lookups), json (output forms), batch (streamed screening).
 */
#ifndef SANCTUM_H
#define SANCTUM_H

#include "sanctum/common.h"
#include "sanctum/entity.h"
#include "sanctum/dataset.h"
#include "sanctum/match.h"
#include "sanctum/index.h"
#include "sanctum/ident.h"
#include "sanctum/json.h"
#include "sanctum/batch.h"
#include "sanctum/store.h"
#include "sanctum/applicants.h"

#endif
