/*
 * sanctum/dataset.h - loading the official lists into memory.
 *
 * A dataset holds every entity of every loaded source, plus what the loader
 * learned about each source file (hash, date, counts, warnings). It is
 * immutable once loaded and may be read from many threads at once.
 */
#ifndef SANCTUM_DATASET_H
#define SANCTUM_DATASET_H

#include "common.h"
#include "entity.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sanctum_dataset sanctum_dataset;

/* A problem in the input that did not stop loading (an orphan alias row,
 * an unparsable date kept as text, ...). */
typedef struct sanctum_warning {
    const char *file;     /* path of the file */
    unsigned long line;   /* 1-based record line, 0 when not tied to a line */
    const char *message;
} sanctum_warning;

typedef struct sanctum_source_info {
    const char *name;        /* "ofac-sdn", "un-sc" */
    const char *title;       /* human title: "OFAC Specially Designated Nationals (SDN)" */
    const char **files;      size_t n_files;   /* paths that were read */
    const char *published;   /* publication date the file states (ISO), or NULL */
    const char *sha256;      /* hex SHA-256 over the files' bytes, in `files` order */
    size_t entities;         /* total entities */
    size_t by_type[5];       /* indexed: 0 unknown, 1 person, 2 organization, 3 vessel, 4 aircraft */
    size_t names;            /* primary names (= entities) */
    size_t aliases;          /* all other names */
    size_t records[4];       /* raw records read per file, in `files` order */
    const sanctum_warning *warnings; size_t n_warnings;
} sanctum_source_info;

#define SANCTUM_LOAD_OPTIONS_VERSION 1
typedef struct sanctum_load_options {
    unsigned version;        /* SANCTUM_LOAD_OPTIONS_VERSION */
    const char *data_dir;    /* NULL: $SANCTUM_DATA, else the installed data */
    const char *sources;     /* comma-separated source names; NULL: all available defaults */
    int strict;              /* non-zero: any warning fails the load with SANCTUM_ESTRICT */
} sanctum_load_options;
#define SANCTUM_LOAD_OPTIONS_INIT { SANCTUM_LOAD_OPTIONS_VERSION, NULL, NULL, 0 }

/* The data directory used when none is given: $SANCTUM_DATA if set, else the
 * installed data directory if it exists, else the source tree's data/. */
SANCTUM_EXTERN const char *sanctum_default_data_dir(void);

/* Loads the lists under opts->data_dir (layout: <dir>/ofac-sdn/sdn.csv,
 * alt.csv, add.csv, sdn_comments.csv and <dir>/un-sc/consolidated.xml).
 * A source whose folder is missing is skipped unless named in opts->sources.
 * On failure returns a negative code, fills *err (if non-NULL) with the file,
 * line and reason, and sets *out to NULL. Free with sanctum_dataset_free(). */
SANCTUM_EXTERN int sanctum_dataset_load(sanctum_dataset **out, const sanctum_load_options *opts,
                                        sanctum_error *err);
SANCTUM_EXTERN void sanctum_dataset_free(sanctum_dataset *ds);

SANCTUM_EXTERN size_t sanctum_dataset_count(const sanctum_dataset *ds);
/* Entity i, 0 <= i < count; order is by source, then file order. */
SANCTUM_EXTERN const sanctum_entity *sanctum_dataset_entity(const sanctum_dataset *ds, size_t i);
/* Looks an entity up by id ("ofac-sdn:43377"); NULL when absent. */
SANCTUM_EXTERN const sanctum_entity *sanctum_dataset_find(const sanctum_dataset *ds, const char *id);

/* ---- one party across lists ------------------------------------------------
 * After every list is loaded, entities of different lists are linked when
 * they share a passport, national ID, IMO number (vessels) or wallet address
 * (compared normalized as in sanctum/ident.h), when a record states a
 * cross-reference (a CSL row's OFAC entity number, a UN reference number
 * given as the record's own), or when a person has the same normalized name
 * and the same full date of birth. docs/LISTS.md gives the details. Links are transitive: every listing of one party lists all
 * the others (indirect ones with the reason "linked through <id>"). An
 * editor's "possible match" hint gives a SANCTUM_LINK_POSSIBLE link that is
 * shown but never joins the party. */

/* Sets *out to e's links (borrowed from the dataset; e->also_listed) and
 * returns their number; 0 and NULL when none or e is not in ds. */
SANCTUM_EXTERN size_t sanctum_dataset_links(const sanctum_dataset *ds, const sanctum_entity *e,
                                            const sanctum_entity_link **out);
/* "linked" or "possible". */
SANCTUM_EXTERN const char *sanctum_link_strength_name(sanctum_link_strength s);
/* Non-zero when a and b are listings of the same party (the same entity, or
 * joined by SANCTUM_LINK_SAME links). */
SANCTUM_EXTERN int sanctum_entity_same_party(const sanctum_entity *a, const sanctum_entity *b);

SANCTUM_EXTERN size_t sanctum_dataset_source_count(const sanctum_dataset *ds);
SANCTUM_EXTERN const sanctum_source_info *sanctum_dataset_source(const sanctum_dataset *ds, size_t i);

#ifdef __cplusplus
}
#endif
#endif
