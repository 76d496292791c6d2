/* report_pdf.h: report.pdf, report.html printed by headless Chromium (`--pdf`, issue 14).
 *
 * Chromium is heavy to start (about a second and 100 MB), so printing is opt-in. It runs
 * without a shell (fork and execv of the path found on $PATH), in a process group of its own,
 * with its own throw-away profile in the staging folder, networking pointed at nothing (the
 * page needs none: report.html is self-contained), and a time limit: at the limit, or when
 * econsim is interrupted (report_pdf_kill_running from the signal handler), the whole group is
 * killed, so that no Chromium process outlives the run. The PDF's /CreationDate and /ModDate
 * are then rewritten to SOURCE_DATE_EPOCH (else 0), as for gnuplot's PDFs
 * (plot_pdf_fix_dates), so the same run gives the same bytes. */
#ifndef REPORT_PDF_H
#define REPORT_PDF_H

#include <stddef.h>

#include "diag.h"
#include "output.h"

/* Seconds Chromium may take to print, unless ECONSIM_CHROMIUM_TIMEOUT says otherwise. */
#define REPORT_PDF_TIMEOUT_SECONDS 90

/* Looks for an executable `chromium` (then `chromium-browser`, `google-chrome`) in the folders
 * of $PATH. Writes its absolute path to path and returns 1, or returns 0. */
int report_pdf_find(char *path, size_t size);

/* Prints `html_name` of the batch (a file already written into it, e.g. "report.html") into
 * the batch as `pdf_name` with the Chromium at `chromium`, A4, without header and footer.
 * Returns DIAG_OK; DIAG_UNAVAILABLE with the reason in d when Chromium cannot start, fails,
 * times out, prints nothing or is killed (the PDF then leaves the batch, and the caller may
 * make it a warning); DIAG_SOFTWARE when memory runs out; DIAG_IO when the PDF cannot be
 * fixed or Chromium's profile folder cannot be removed from the staging folder (it must not be
 * committed). A signal ends the process in its handler, which kills the group first. */
int report_pdf_print(output_batch *batch, const char *chromium, const char *html_name, const char *pdf_name,
                     diag *d);

/* Kills the process group of a Chromium that report_pdf_print is running. Async-signal-safe
 * (kill only): for a SIGINT or SIGTERM handler. */
void report_pdf_kill_running(void);

#endif
