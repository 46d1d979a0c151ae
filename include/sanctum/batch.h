/*
 * sanctum/batch.h - screening a stream of records (JSON Lines, CSV or an
 * XLSX workbook) on several threads, writing one result per input record in
 * input order.
 *
 * Memory stays flat: records are read, screened and written in bounded
 * chunks. A record that cannot be parsed yields an error record for its line
 * and the run goes on (unless fail_fast is set). Nothing is skipped silently:
 * the summary counts every line.
 *
 * JSON Lines records: {"id": ..., "name": "...", "type": "person|organization|
 * vessel|aircraft|any", "dob": "...", "country": "...", "wallets": ["..."],
 * "ids": ["number" or {"number": "...", "type": "...", "country": "..."}]};
 * "name" is required unless wallets or ids are given; other fields are ignored.
 * Results: {"id": ..., "hits": [...]} with the hit objects of sanctum_screen_json()
 * (wallet and document hits first). Bad records: {"id": ..., "line": N, "error": "..."}.
 *
 * XLSX input is the first sheet of the workbook: its header is the first row
 * that has the name column (named as for CSV; title rows above it are
 * skipped), and "line" in errors is the sheet's row
 * number. A numeric date-of-birth cell (an Excel date) is read as YYYY-MM-DD.
 * The workbook is read whole (at most 256 MB), so a pipe works too; a
 * workbook already in memory is read by sanctum_batch_xlsx_read(). XLSX
 * output is one row per hit, like CSV, written to opts->output_path: a
 * workbook cannot be streamed, so `out` is not used then.
 *
 * Grouping by person (group_by_person): hits on listings of one party (the
 * same entity, or entities joined by SANCTUM_LINK_SAME links, see
 * sanctum/dataset.h) collapse into one hit, the best one, which carries
 * "listings": [{"entity", "list", "name", "score", "matched_field",
 * "matched"}, ...] for every listing that hit; CSV and XLSX rows gain a
 * "listings" column of entity ids joined by "; ". summary->hits then counts
 * the grouped hits.
 */
#ifndef SANCTUM_BATCH_H
#define SANCTUM_BATCH_H

#include <stdio.h>

#include "common.h"
#include "ident.h"
#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sanctum_batch_format {
    SANCTUM_BATCH_JSONL = 0,
    SANCTUM_BATCH_CSV = 1,
    SANCTUM_BATCH_XLSX = 2
} sanctum_batch_format;

typedef struct sanctum_batch_summary {
    unsigned long long lines;      /* records read (CSV: data rows, header excluded) */
    unsigned long long screened;   /* records screened without error */
    unsigned long long with_hits;  /* screened records with at least one hit */
    unsigned long long hits;       /* hits written */
    unsigned long long errors;     /* records that produced an error record */
    unsigned long long bytes_read;
} sanctum_batch_summary;

/* Called from the calling thread between chunks; return non-zero to stop. */
typedef int (*sanctum_batch_progress_fn)(const sanctum_batch_summary *so_far, void *user);

#define SANCTUM_BATCH_OPTIONS_VERSION 1
typedef struct sanctum_batch_options {
    unsigned version;                 /* SANCTUM_BATCH_OPTIONS_VERSION */
    sanctum_batch_format input_format;
    sanctum_batch_format output_format;
    unsigned threads;                 /* 0: one per online core */
    int fail_fast;                    /* stop at the first bad record (returns SANCTUM_EPARSE) */
    const sanctum_query *defaults;    /* filters, min_score and limit applied to every record; may be NULL */
    const char *name_column;          /* CSV input: column holding the name (default "name") */
    const char *id_column;            /* CSV input: column holding the record id (default "id") */
    const char *type_column;          /* CSV input: optional columns (defaults "type", "dob", "country") */
    const char *dob_column;
    const char *country_column;
    const char *input_name;           /* used in error messages (e.g. the file name); may be NULL */
    sanctum_batch_progress_fn progress;
    void *progress_user;
    const sanctum_ident_index *ident; /* wallet/document index for records' "wallets" and "ids"; may be NULL */
    const char *wallet_column;        /* CSV input: optional column of ";"-separated wallets (default "wallet") */
    int group_by_person;              /* non-zero: one hit per party, with its "listings" (see above) */
    const char *output_path;          /* XLSX output: the workbook to write (required then) */
} sanctum_batch_options;
#define SANCTUM_BATCH_OPTIONS_INIT { SANCTUM_BATCH_OPTIONS_VERSION, SANCTUM_BATCH_JSONL, SANCTUM_BATCH_JSONL, \
                                     0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
                                     0, NULL }

/* Screens every record of `in` against idx and writes results to `out` (or,
 * for XLSX output, to opts->output_path). Returns 0 when the whole input was
 * processed (bad records are counted in summary->errors), or a negative code
 * (I/O error, fail_fast on a bad record, bad CSV header, a file that is not
 * an XLSX workbook, XLSX output without output_path: SANCTUM_EINVAL) with
 * err filled in. summary may be NULL. */
SANCTUM_EXTERN int sanctum_batch_run(const sanctum_index *idx, FILE *in, FILE *out,
                                     const sanctum_batch_options *opts, sanctum_batch_summary *summary,
                                     sanctum_error *err);

/* Reads the first sheet of an XLSX workbook held in memory (workbook, size
 * bytes; the caller keeps it) as CSV text that sanctum_batch_run() screens
 * with input_format SANCTUM_BATCH_CSV: the header row and then one line per
 * sheet row, so line N of the text is row N of the sheet and errors in
 * results name the row (rows above the header and rows the sheet leaves out
 * become blank lines, which the CSV reader skips). This is the reader that
 * sanctum_batch_run() uses for XLSX input, so the header is found the same
 * way (opts->name_column, default "name") and numeric date-of-birth cells
 * (opts->dob_column) become YYYY-MM-DD. opts may be NULL; opts->input_name
 * names the workbook in errors.
 *
 * max_bytes caps what the workbook may expand to: any one uncompressed part
 * of the package, and the CSV text; 0 means the default (512 MB). A server
 * taking workbooks from the network should pass a small multiple of its
 * body limit, so a small upload cannot make it allocate much more.
 *
 * On success *out is the CSV text (NUL-terminated, freed with
 * sanctum_string_free()) and *out_len its length. Returns 0, or
 * SANCTUM_EPARSE (not a zip, no workbook, no sheet, no header row with the
 * name column, a bad cell reference or shared string: the message names the
 * sheet and err->line the row), SANCTUM_ELIMIT (over 256 MB, or over
 * max_bytes), SANCTUM_ENOMEM, SANCTUM_EINVAL (bad arguments), with err
 * filled in and *out NULL. */
SANCTUM_EXTERN int sanctum_batch_xlsx_read(char **out, size_t *out_len, const void *workbook, size_t size,
                                           size_t max_bytes, const sanctum_batch_options *opts, sanctum_error *err);

#ifdef __cplusplus
}
#endif
#endif
