/* results.h: the end of every command that writes a result folder: the one place where a
 * folder is committed (output_batch_commit) or, on any error, abandoned with nothing written.
 * The summary.json that goes with it is gathered with summary.h. */
#ifndef RESULTS_H
#define RESULTS_H

#include "diag.h"
#include "output.h"
#include "summary.h"

/* Ends a command's result folder; every command commits here and nowhere else. When status is
 * DIAG_OK, writes the summary (when s is not NULL) as summary.json into the batch
 * (summary_write) and commits the batch: every file appears at once, replacing the folder's
 * earlier contents. Otherwise, or when the summary could not be built (out of memory,
 * reported with s->what) or written, abandons the batch: nothing of it is written and the
 * earlier results stay. Takes over the batch (NULL: none was made; status then says why) and
 * frees the summary. Returns DIAG_OK or the error's status (status itself when it was not
 * DIAG_OK). */
int results_commit(output_batch *batch, summary *s, int status, diag *d);

#endif
