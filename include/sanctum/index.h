/*
 * sanctum/index.h - the compiled index file: the loaded lists and the
 * matching index in one file that is memory-mapped and used in place.
 *
 * sanctum_index_write() stores an index built with sanctum_index_build()
 * (entities, list versions and every matching structure) in fixed-layout
 * sections. sanctum_index_open() maps such a file and returns an index that
 * screens exactly like the one it was written from, with no parsing at open:
 * sanctum_index_dataset() on it returns a dataset whose accessors read the
 * mapped entities. A file that is truncated, corrupt, of another format
 * version, or written by an engine build with other matching parameters is
 * refused with SANCTUM_EPARSE and a message naming the file.
 */
#ifndef SANCTUM_INDEX_H
#define SANCTUM_INDEX_H

#include "common.h"
#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The on-disk format version this build writes and reads. It changes
 * whenever a file's contents would mean something else to the reader, such
 * as when the words names are split into change (2: the Russian limited
 * company written out is one word, and BGN's middle dot no longer splits
 * a word). */
#define SANCTUM_INDEX_FORMAT 2

/* Writes idx (which must have been built from a dataset) to path. The file
 * is written beside path and renamed over it, so a reader never sees half a
 * file and a process holding the old file keeps a consistent copy. */
SANCTUM_EXTERN int sanctum_index_write(const sanctum_index *idx, const char *path, sanctum_error *err);

/* Maps the index file at path. On success *out is an index to screen with
 * and free with sanctum_index_free() (which unmaps the file); everything
 * borrowed from it (entities, hits) is valid until then. */
SANCTUM_EXTERN int sanctum_index_open(sanctum_index **out, const char *path, sanctum_error *err);

/* Non-zero when idx was opened from a file rather than built in memory. */
SANCTUM_EXTERN int sanctum_index_is_mapped(const sanctum_index *idx);

/* What an index file's header says, read without mapping the whole file. */
typedef struct sanctum_index_file_info {
    unsigned format;              /* SANCTUM_INDEX_FORMAT of the writer */
    unsigned long long size;      /* bytes */
    unsigned long long created;   /* Unix time of writing */
    size_t entities, names;
    size_t n_lists;
    struct {
        char name[32];            /* "ofac-sdn" */
        char published[32];       /* ISO date the list states, or "" */
        char sha256[72];          /* hex SHA-256 of the list files */
        size_t entities;
    } lists[8];
} sanctum_index_file_info;

/* Reads and checks the header of the file at path (format, size, header
 * checksum; not the payload checksum: sanctum_index_open() checks that). */
SANCTUM_EXTERN int sanctum_index_file_info_read(const char *path, sanctum_index_file_info *info, sanctum_error *err);

#ifdef __cplusplus
}
#endif
#endif
