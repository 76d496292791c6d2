/* input.h: the one reader of input files: a file read whole, refusing what is not a regular
 * file, with its encoding checked. */
#ifndef INPUT_H
#define INPUT_H

#include <stddef.h>

#include "diag.h"

/* Reads the regular file at `path` into a NUL-terminated buffer (caller frees with mem_free);
 * *len gets the byte count (the file may hold NUL bytes of its own). The file is opened
 * without blocking and checked before anything is read, so a FIFO, a device or a socket
 * given as an input is refused at once instead of waiting for a writer. Errors:
 * DIAG_NO_INPUT for a missing or unreadable file, a folder ("cannot read: Is a directory") or
 * anything that is not a regular file; DIAG_IO for a read error midway; DIAG_DATA for a file
 * larger than max_bytes; DIAG_SOFTWARE out of memory. */
char *input_read_all(const char *path, size_t max_bytes, size_t *len, diag *d);

/* A text input read whole by input_read_text, with what every loader checks before parsing. */
typedef struct input_text {
    char *data;      /* the whole file, NUL-terminated (owned: free with mem_free) */
    size_t length;   /* its bytes (it may hold NUL bytes of its own) */
    size_t start;    /* where the text begins: 3 after a UTF-8 byte-order mark (which Windows
                        editors write and no editor shows), else 0 */
    size_t bad_utf8; /* offset in data of the first invalid UTF-8 sequence, or length: none */
    size_t nul;      /* offset in data of the first NUL byte, or length: none */
} input_text;

/* Reads the text input at `path` (a model, scenario, goal file or observations file) with
 * input_read_all and finds where its byte-order mark ends and where its first encoding faults
 * are; each loader reports them in its own terms (file:line:col). Returns DIAG_OK with *out
 * filled, or input_read_all's error with *out zeroed. */
int input_read_text(const char *path, size_t max_bytes, input_text *out, diag *d);

/* The kind of a file that is not a regular file, for messages (translated, i18n.h): "a FIFO",
 * "a character device", "a block device", "a socket", "a folder", or "not a regular file". */
const char *input_kind_name(unsigned mode);

#endif
