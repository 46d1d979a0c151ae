/*
 * sanctum/store.h - durable state in one SQLite database: stored list
 * versions (file bytes, hashes, publication dates, counts, per-entity content
 * hashes), the append-only audit trail of screenings, the monitored
 * population and its alerts.
 *
 * The database is $SANCTUM_DB, else $SANCTUM_HOME/sanctum.db, else
 * ~/.local/share/sanctum/sanctum.db. It runs in WAL mode with
 * synchronous=FULL: a call that returned 0 after a write has its write on
 * disk. Every write happens in a transaction, so a process killed at any
 * moment leaves the database as it was before or after the whole write.
 *
 * Typical use:
 *     sanctum_store *st;
 *     sanctum_store_open(&st, NULL, SANCTUM_STORE_CREATE, &err);
 *     sanctum_store_update_dir(st, "/tmp/lists", NULL, &report, &err); // new active version
 *     sanctum_dataset *ds;
 *     sanctum_store_load(&ds, st, 0, NULL, &err);                     // the active version
 *     sanctum_store_close(st);
 *
 * A store handle is used by one thread at a time. Strings in the structures
 * below are owned by the structure and released with its _free function.
 */
#ifndef SANCTUM_STORE_H
#define SANCTUM_STORE_H

#include <stdio.h>

#include "batch.h"
#include "common.h"
#include "dataset.h"
#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sanctum_store sanctum_store;

/* ---- opening ---------------------------------------------------------------- */

/* Writes the database path to use when none is given ($SANCTUM_DB, else
 * $SANCTUM_HOME/sanctum.db, else $HOME/.local/share/sanctum/sanctum.db).
 * Returns 0, or SANCTUM_ELIMIT when it does not fit, SANCTUM_ENOTFOUND when
 * no home directory is known. */
SANCTUM_EXTERN int sanctum_store_default_path(char *buf, size_t size);

enum {
    SANCTUM_STORE_CREATE = 1   /* create the database (and its folder) when missing */
};

/* Opens (and with SANCTUM_STORE_CREATE creates) the database at path (NULL:
 * the default path), sets WAL mode, synchronous=FULL and a busy timeout,
 * and creates or checks the schema. Returns SANCTUM_ENOTFOUND when the
 * database does not exist and CREATE was not given. Close with
 * sanctum_store_close(). */
SANCTUM_EXTERN int sanctum_store_open(sanctum_store **out, const char *path, int flags, sanctum_error *err);
SANCTUM_EXTERN void sanctum_store_close(sanctum_store *st);
/* The database file's path; borrowed, valid until sanctum_store_close(). */
SANCTUM_EXTERN const char *sanctum_store_path(const sanctum_store *st);

/* ---- list versions ------------------------------------------------------------ */

typedef struct sanctum_list_version_source {
    char *source;        /* "ofac-sdn" */
    char *published;     /* publication date the files state, or NULL */
    char *sha256;        /* hex SHA-256 over the source's files (as sanctum_source_info) */
    size_t entities, aliases, warnings;
    size_t by_type[5];   /* as sanctum_source_info.by_type */
    size_t files;        /* number of stored files */
    unsigned long long bytes;
} sanctum_list_version_source;

typedef struct sanctum_list_version {
    long long id;        /* 1, 2, ... in order of creation */
    char *created;       /* ISO 8601 UTC */
    char *origin;        /* the folder or addresses it came from */
    int active;          /* non-zero for the version screening uses */
    size_t entities;
    sanctum_list_version_source *sources; size_t n_sources;
} sanctum_list_version;

/* Every stored version, oldest first. Free with sanctum_versions_free(). */
SANCTUM_EXTERN int sanctum_store_versions(sanctum_list_version **out, size_t *n, sanctum_store *st, sanctum_error *err);
SANCTUM_EXTERN void sanctum_versions_free(sanctum_list_version *v, size_t n);

/* The active version's id; SANCTUM_ENOTFOUND when no version is stored. */
SANCTUM_EXTERN int sanctum_store_active(sanctum_store *st, long long *id, sanctum_error *err);
/* Makes a stored version the active one (e.g. to go back to an older one). */
SANCTUM_EXTERN int sanctum_store_activate(sanctum_store *st, long long id, sanctum_error *err);

#define SANCTUM_UPDATE_OPTIONS_VERSION 1
typedef struct sanctum_update_options {
    unsigned version;   /* SANCTUM_UPDATE_OPTIONS_VERSION */
    int force;          /* store even when a source lost more than max_drop of its entities */
    double max_drop;    /* share of a source's entities that may disappear; <= 0: 0.10 */
    int strict;         /* any load warning refuses the update */
    const char *origin; /* recorded with the version; NULL: the folder */
} sanctum_update_options;
#define SANCTUM_UPDATE_OPTIONS_INIT { SANCTUM_UPDATE_OPTIONS_VERSION, 0, 0.10, 0, NULL }

typedef struct sanctum_update_report {
    long long version;      /* the new active version (or the active one when unchanged) */
    long long previous;     /* the version active before, 0 when none */
    int unchanged;          /* the files equal the active version's: nothing stored */
    size_t added, removed, changed;   /* entities, against the previous version */
    size_t carried;         /* sources kept from the previous version (absent from the folder) */
} sanctum_update_report;

/* Loads the lists under dir (the layout of sanctum_dataset_load()),
 * validates them, and stores and activates them as a new version in one
 * transaction. A source the folder lacks is carried over from the active
 * version. A source that lost more than max_drop of its entities is refused
 * with SANCTUM_EINVAL unless opts->force; a file that does not parse is
 * refused with the loader's error. On any refusal the active version stays
 * as it was. opts and report may be NULL. */
SANCTUM_EXTERN int sanctum_store_update_dir(sanctum_store *st, const char *dir, const sanctum_update_options *opts,
                                            sanctum_update_report *report, sanctum_error *err);

/* Loads a stored version (0: the active one) as a dataset. Its files are
 * written once to a cache folder beside the database (<db>.versions/<id>/)
 * and checked against the stored hashes at every load. opts may be NULL;
 * its data_dir is ignored. Free with sanctum_dataset_free(). */
SANCTUM_EXTERN int sanctum_store_load(sanctum_dataset **out, sanctum_store *st, long long version,
                                      const sanctum_load_options *opts, sanctum_error *err);

/* ---- downloads ---------------------------------------------------------------- */

#define SANCTUM_FETCH_OPTIONS_VERSION 1
typedef struct sanctum_fetch_options {
    unsigned version;           /* SANCTUM_FETCH_OPTIONS_VERSION */
    long timeout;               /* seconds for each whole download; <= 0: 600 */
    long connect_timeout;       /* seconds; <= 0: 30 */
    unsigned long long max_size;/* bytes per file; 0: 512 MiB */
} sanctum_fetch_options;
#define SANCTUM_FETCH_OPTIONS_INIT { SANCTUM_FETCH_OPTIONS_VERSION, 0, 0, 0 }

/* The official download addresses of the default lists (NULL-terminated). */
SANCTUM_EXTERN const char *const *sanctum_fetch_default_urls(void);

/* Downloads each of urls[0..n) into dir (which must exist) at the place the
 * loaders expect: "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv" go to
 * dir/ofac-sdn/ and "consolidated.xml" to dir/un-sc/ (file names compared
 * without case). "PATH=URL" names the place explicitly ("un-sc/consolidated.xml=
 * http://..."). Only http and https; a status other than 200, a connection
 * that ends before the announced length, a timeout or a file over max_size
 * fails with SANCTUM_EIO or SANCTUM_ELIMIT naming the address. */
SANCTUM_EXTERN int sanctum_fetch(const char *const *urls, size_t n, const char *dir,
                                 const sanctum_fetch_options *opts, sanctum_error *err);

/* ---- differences between versions ---------------------------------------------- */

typedef enum sanctum_change {
    SANCTUM_CHANGE_ADDED = 1,
    SANCTUM_CHANGE_REMOVED = 2,
    SANCTUM_CHANGE_CHANGED = 3
} sanctum_change;

/* Parts of an entity that changed (bit flags). */
enum {
    SANCTUM_PART_NAME = 1 << 0,        /* the primary name */
    SANCTUM_PART_ALIASES = 1 << 1,
    SANCTUM_PART_IDENTIFIERS = 1 << 2, /* identity documents, IMO numbers, ... */
    SANCTUM_PART_WALLETS = 1 << 3,
    SANCTUM_PART_PROGRAMS = 1 << 4,
    SANCTUM_PART_OTHER = 1 << 5        /* addresses, dates, remarks, ... */
};

typedef struct sanctum_diff_entry {
    const char *entity;          /* "ofac-sdn:43377" */
    const char *name;            /* primary name (the newer one) */
    sanctum_change change;
    unsigned parts;              /* SANCTUM_PART_* for CHANGED */
    const char *const *added;    /* facts only in the newer version: "alias: X (aka)", "wallet: XBT 1abc" */
    size_t n_added;
    const char *const *removed;  /* facts only in the older version */
    size_t n_removed;
} sanctum_diff_entry;

typedef struct sanctum_diff sanctum_diff;

/* Compares two stored versions (0 and 0: the two latest). Entries are
 * ordered by entity id. Free with sanctum_diff_free(). */
SANCTUM_EXTERN int sanctum_store_diff(sanctum_diff **out, sanctum_store *st, long long old_id, long long new_id,
                                      sanctum_error *err);
SANCTUM_EXTERN long long sanctum_diff_old(const sanctum_diff *d);
SANCTUM_EXTERN long long sanctum_diff_new(const sanctum_diff *d);
SANCTUM_EXTERN size_t sanctum_diff_count(const sanctum_diff *d);
SANCTUM_EXTERN const sanctum_diff_entry *sanctum_diff_entry_at(const sanctum_diff *d, size_t i);
/* "name", "aliases", "identifiers", "wallets", "programs", "other" for one part bit. */
SANCTUM_EXTERN const char *sanctum_diff_part_name(unsigned part);
/* {"old": 1, "new": 2, "added": N, "removed": N, "changed": N, "entities": [...]};
 * free with sanctum_string_free(); NULL when out of memory. */
SANCTUM_EXTERN char *sanctum_diff_json(const sanctum_diff *d);
SANCTUM_EXTERN void sanctum_diff_free(sanctum_diff *d);

/* ---- audit trail ---------------------------------------------------------------- */

/* Appends one record: now, who, the query, the active version's lists, the
 * hits and the threshold. query_json and hits_json must be JSON texts. The
 * record is on disk when this returns 0. Records can never be changed or
 * deleted (the database refuses). */
SANCTUM_EXTERN int sanctum_audit_record(sanctum_store *st, const char *who, const char *query_json,
                                        const char *hits_json, double threshold, sanctum_error *err);

typedef struct sanctum_audit_entry {
    const char *who;          /* NULL: $USER */
    const char *query_json;   /* JSON text */
    const char *lists_json;   /* JSON text describing the lists used; NULL: the active version */
    const char *hits_json;    /* JSON text (an array of hits) */
    double threshold;
} sanctum_audit_entry;

/* The same with every field given; *id (may be NULL) gets the record's id. */
SANCTUM_EXTERN int sanctum_audit_append(sanctum_store *st, const sanctum_audit_entry *e, long long *id,
                                        sanctum_error *err);

/* JSON describing the lists of ds: {"version": id or null, "sources": [{"source",
 * "sha256", "published", "entities"}]}; "version" is the stored version with
 * the same files, if any. Free with sanctum_string_free(); NULL when out of memory. */
SANCTUM_EXTERN char *sanctum_store_lists_json(sanctum_store *st, const sanctum_dataset *ds);

/* Records one `screen --json` result ({"query": ..., "hits": [...]}) made
 * with ds. *id (may be NULL) gets the record's id. */
SANCTUM_EXTERN int sanctum_audit_screen(sanctum_store *st, const char *who, const sanctum_dataset *ds,
                                        const char *result_json, double threshold, long long *id,
                                        sanctum_error *err);

/* Called after each committed group of audit records of a batch. */
typedef void (*sanctum_audit_committed_fn)(long long first_id, long long last_id, void *user);

/* sanctum_batch_run() with an audit record per screened record (JSON Lines
 * input and output only: SANCTUM_EINVAL otherwise). Records are committed
 * in groups; `committed` (may be NULL) hears of each group once it is on
 * disk. Error records of the batch are not screenings and are not recorded. */
SANCTUM_EXTERN int sanctum_audit_batch(sanctum_store *st, const char *who, const sanctum_dataset *ds,
                                       const sanctum_index *idx, FILE *in, FILE *out,
                                       const sanctum_batch_options *opts, sanctum_batch_summary *summary,
                                       sanctum_audit_committed_fn committed, void *user, sanctum_error *err);

typedef enum sanctum_audit_format {
    SANCTUM_AUDIT_JSONL = 0,
    SANCTUM_AUDIT_CSV = 1
} sanctum_audit_format;

/* Writes every record at or after `since` (ISO date or date-time, UTC,
 * e.g. "2026-01-31" or "2026-01-31T08:00:00Z"; NULL: all) to out, oldest
 * first. *count (may be NULL) gets the number written. */
SANCTUM_EXTERN int sanctum_audit_export(sanctum_store *st, FILE *out, const char *since,
                                        sanctum_audit_format format, unsigned long long *count,
                                        sanctum_error *err);

/* ---- monitoring ---------------------------------------------------------------- */

/* Stores a population from JSON Lines (the batch input form; "id" and
 * "name", or "wallets"/"ids", required). A record whose id is already stored
 * replaces it. All or nothing: a bad line fails the whole call, naming
 * input_name and the line. *added and *replaced may be NULL. */
SANCTUM_EXTERN int sanctum_monitor_add(sanctum_store *st, FILE *in, const char *input_name,
                                       unsigned long long *added, unsigned long long *replaced,
                                       sanctum_error *err);
/* The number of stored subjects. */
SANCTUM_EXTERN int sanctum_monitor_count(sanctum_store *st, unsigned long long *count, sanctum_error *err);

typedef struct sanctum_monitor_summary {
    long long run;                 /* id of this run */
    long long version;             /* list version screened against */
    unsigned long long subjects;   /* records screened */
    unsigned long long errors;     /* records the screener refused */
    unsigned long long hits;       /* (subject, entity) hits found */
    unsigned long long new_alerts; /* alerts raised: a new match, or a changed entity */
    unsigned long long known;      /* hits already alerted with the same entity content */
    unsigned long long suppressed; /* hits resolved as false positives, entity unchanged */
} sanctum_monitor_summary;

/* Screens every stored subject against idx, which must have been built from
 * the dataset of `version` (see sanctum_store_load()), with the batch runner
 * and opts (may be NULL; input and output formats are ignored). Alerts are
 * committed in groups as the run goes, so a run that is stopped can simply
 * be run again. */
SANCTUM_EXTERN int sanctum_monitor_run(sanctum_store *st, long long version, const sanctum_index *idx,
                                       const sanctum_batch_options *opts, sanctum_monitor_summary *summary,
                                       sanctum_error *err);

typedef enum sanctum_alert_status {
    SANCTUM_ALERT_OPEN = 0,
    SANCTUM_ALERT_TRUE_MATCH = 1,
    SANCTUM_ALERT_FALSE_POSITIVE = 2
} sanctum_alert_status;

/* "open", "true-match", "false-positive". */
SANCTUM_EXTERN const char *sanctum_alert_status_name(sanctum_alert_status s);

typedef struct sanctum_alert {
    long long id;
    char *subject;         /* the monitored record's id */
    char *subject_name;    /* its name, or NULL */
    char *entity;          /* the listed entity's id */
    char *entity_name;     /* its primary name */
    char *entity_hash;     /* content hash of the entity when the alert was raised */
    double score;
    long long version;     /* list version that raised it */
    char *created;
    sanctum_alert_status status;
    char *resolved;        /* when, or NULL */
    char *resolved_by;
    char *note;
    char *hit_json;        /* the hit object as screening returned it */
} sanctum_alert;

/* Alerts, oldest first; all of them, or only open ones. */
SANCTUM_EXTERN int sanctum_alerts_list(sanctum_alert **out, size_t *n, sanctum_store *st, int open_only,
                                       sanctum_error *err);
SANCTUM_EXTERN void sanctum_alerts_free(sanctum_alert *a, size_t n);
/* A JSON array of the alerts; free with sanctum_string_free(). */
SANCTUM_EXTERN char *sanctum_alerts_json(const sanctum_alert *a, size_t n);
/* Resolves an open alert. A false positive keeps that subject and entity
 * quiet until the entity's listing changes. SANCTUM_ENOTFOUND for no such
 * alert, SANCTUM_EINVAL when it is already resolved. */
SANCTUM_EXTERN int sanctum_alert_resolve(sanctum_store *st, long long id, sanctum_alert_status status,
                                         const char *note, const char *who, sanctum_error *err);

#ifdef __cplusplus
}
#endif
#endif
