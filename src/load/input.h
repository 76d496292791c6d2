/* input.h: reading an input file whole, refusing what is not a regular file. */
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

/* The kind of a file that is not a regular file, for messages: "a FIFO", "a character
 * device", "a block device", "a socket", "a folder", or "not a regular file". */
const char *input_kind_name(unsigned mode);

#endif
