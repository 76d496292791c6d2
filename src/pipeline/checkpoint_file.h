/* checkpoint_file.h: the files of a checkpoint folder (DIR.checkpoints/, checkpoint.h): the
 * stamp of a run, run.txt, the chunk files and their format, each written atomically.
 *
 * A chunk file holds a text header (format, the run's stamp, the job's layout, stage, chunk,
 * blocks, payload size), the payload, and the FNV-1a 64 of the payload. What the payload
 * holds is checkpoint.c's business. */
#ifndef CHECKPOINT_FILE_H
#define CHECKPOINT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "run.h"

#define CHECKPOINT_FORMAT "econsim-checkpoint 1"
/* Bytes of a checkpoint folder's path, at most. */
#define CHECKPOINT_PATH_MAX 4200

/* The header of a chunk file. */
typedef struct checkpoint_chunk_head {
    uint64_t stamp;      /* the run's (checkpoint_file_stamp) */
    uint64_t layout;     /* the job's cut into blocks and chunks */
    size_t stage, chunk; /* which engine run of the command, and which chunk of it */
    size_t first, end;   /* its blocks [first, end) */
} checkpoint_chunk_head;

/* The stamp of a run: FNV-1a over the format, the bytes of every scenario file of its extends
 * chain, of its model and of its observations, its as_of, and `overrides` (the command line's
 * design and seed, may be NULL). */
uint64_t checkpoint_file_stamp(const run *r, const char *overrides);

/* Checks, before a run, the checkpoint folder `folder` on the rank that writes: absent is
 * fine; present needs `resume` (else DIAG_CANT_CREATE) and a run.txt of the same stamp (else
 * DIAG_DATA at run.txt:2:5). */
int checkpoint_file_check_folder(const char *folder, uint64_t stamp, int resume, diag *d);

/* Makes `folder` and its run.txt (the format and the stamp) when it is not there. */
int checkpoint_file_make_folder(const char *folder, uint64_t stamp, diag *d);

/* Removes `folder` and the files in it (after a committed run); errors are ignored. */
void checkpoint_file_remove_folder(const char *folder);

/* The path of chunk head->chunk of stage head->stage in `folder`. */
void checkpoint_file_chunk_path(char *out, size_t size, const char *folder, size_t stage, size_t chunk);

/* Writes a chunk file atomically (a temporary file beside it, flushed and synced, then
 * renamed): the header, the `bytes` of payload, and their checksum, which is written into
 * payload[bytes .. bytes + 8) (the caller leaves 8 bytes free there). */
int checkpoint_file_write_chunk(const char *path, const checkpoint_chunk_head *head, unsigned char *payload,
                                size_t bytes, diag *d);

/* Reads a chunk file: DIAG_NO_INPUT when there is none; DIAG_DATA (naming the file and telling
 * to remove `folder`) when it is not a whole chunk file; else DIAG_OK with its header, its
 * payload (*payload, *bytes, inside *data, which the caller frees with mem_free) and *intact
 * = whether the checksum matches. */
int checkpoint_file_read_chunk(const char *path, const char *folder, checkpoint_chunk_head *head, char **data,
                               const unsigned char **payload, size_t *bytes, int *intact, diag *d);

#endif
