/* results.c: the commit of a result folder (results.h). */
#include "results.h"

int results_commit(output_batch *batch, summary *s, int status, diag *d)
{
    if (status == DIAG_OK && s)
        status = summary_write(s, batch, d);
    if (s)
        summary_free(s);
    if (status != DIAG_OK) {
        output_batch_abort(batch);
        return status;
    }
    return output_batch_commit(batch, d);
}
