/* output.h: writing results atomically: every file goes to a temporary name beside its final
 * one and is renamed into place only when the whole run succeeded, so a failed or interrupted
 * run never leaves a half-written file and never destroys earlier results. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "diag.h"

typedef struct output_batch output_batch;

/* Files open at once over all batches (the size of the static registry of temporary files
 * that output_cleanup_on_signal walks); opening one more fails with DIAG_CANT_CREATE. */
#define OUTPUT_MAX_OPEN_FILES 256

/* Starts a batch of files in folder `dir`, creating it (and its parents) when missing, with
 * mode 0777 less the umask. Returns NULL with DIAG_CANT_CREATE and the path in d when the
 * folder cannot be made (DIAG_SOFTWARE when memory runs out). Batches are used from one
 * thread: the registry of temporary files for output_cleanup_on_signal has no lock, since a
 * signal handler could not take one. */
output_batch *output_batch_new(const char *dir, diag *d);

/* Opens `name` (a plain file name built by the program, possibly with one subfolder such as
 * "charts/gdp.png"; never a user string) for writing inside the batch. The stream writes to a
 * temporary file `<final>.tmp.XXXXXX` beside the final one, created with mode 0666 less the
 * umask; missing subfolders are created. Do not fclose the stream: commit or abort does.
 * Returns NULL with DIAG_CANT_CREATE in d on failure: a file that cannot be created, a name
 * that is empty, absolute, holds a ".." part or was already opened in this batch. */
FILE *output_batch_open(output_batch *batch, const char *name, diag *d);

/* Reserves `name` for a file that another program writes, such as a chart that gnuplot draws
 * itself: creates the temporary file exactly as output_batch_open does (same checks, same
 * errors) and returns its path, owned by the batch and valid until commit, abort or
 * output_batch_withdraw. The other program writes that path (truncating it); commit syncs it
 * and renames it to `name` with the other files; a signal removes it like the others. NULL
 * with DIAG_CANT_CREATE (or DIAG_SOFTWARE when memory runs out) in d. */
const char *output_batch_reserve(output_batch *batch, const char *name, diag *d);

/* Takes `name` back out of the batch (a chart that failed to draw): closes and removes its
 * temporary file; commit will not create it. Returns 0, or -1 when the batch has no such
 * file. */
int output_batch_withdraw(output_batch *batch, const char *name);

/* The batch's folder as given to output_batch_new (for messages and the summary); final
 * paths are this folder, '/', and the name given to output_batch_open. */
const char *output_batch_dir(const output_batch *batch);

/* Closes every stream (flush, error check, fsync), checks for write errors (full disk:
 * DIAG_IO with the final path), then renames every temporary file to its final name. On a
 * write error nothing is renamed and all temporary files are removed, so earlier results stay
 * as they were. A rename that fails (DIAG_CANT_CREATE, or DIAG_IO for an I/O error) stops the
 * renaming: the files renamed before it stay (each is complete), the rest are removed. Frees
 * the batch either way (NULL: DIAG_SOFTWARE). Returns a DIAG_ status. */
int output_batch_commit(output_batch *batch, diag *d);

/* Closes and removes every temporary file and frees the batch; NULL is a no-op. */
void output_batch_abort(output_batch *batch);

/* Removes the temporary files of every batch still open. Async-signal-safe (only unlink): for
 * a SIGINT or SIGTERM handler, so a run stopped midway leaves nothing half-written. The
 * batches themselves are not freed: the handler is expected to end the process. */
void output_cleanup_on_signal(void);

/* Formats a double with the fewest significant digits that read back to the same value
 * (at most 17), in the C locale: 0.1 -> "0.1", 709.99199999999996 -> "709.992" only if that
 * round-trips. NaN and infinities are written as "" (an empty CSV field). buf >= 32 bytes. */
void output_format_number(char *buf, double value);

/* Writes one CSV field with RFC 4180 quoting (quotes when it holds , " CR or LF, or starts or
 * ends with a space or tab, which some readers trim; doubles "). NULL writes an empty field. */
void output_csv_field(FILE *f, const char *text);

/* Writes a number field (output_format_number). */
void output_csv_number(FILE *f, double value);

#endif
