/* report_files.c: report.html, workbook.xlsx and report.pdf of a command (report_files.h). */
#include "i18n.h"
#include "report_files.h"
#include "report_pdf.h"

#include <stdio.h>
#include <string.h>

int report_files_write(output_batch *batch, const report_html_page *page, const workbook_input *book, int pdf,
                       diag *d)
{
    FILE *f = output_batch_open(batch, "report.html", d);
    if (!f)
        return d->status;
    report_html_write(f, page);
    if (book && workbook_write(batch, "workbook.xlsx", book, d) != DIAG_OK)
        return d->status;
    if (!pdf)
        return DIAG_OK;
    char chromium[4096];
    if (!report_pdf_find(chromium, sizeof chromium)) {
        diag_warning(d, _("%s/report.pdf: skipped: Chromium is not installed (Debian: apt-get install chromium, or "
                        "make deps); report.html is written and prints the same from a browser"),
                     output_batch_dir(batch));
        return DIAG_OK;
    }
    /* report.html must be whole on disk before Chromium reads it: reserving the PDF (the next
     * file of the batch) closes and syncs it */
    diag scratch;
    diag_init(&scratch);
    int status = report_pdf_print(batch, chromium, "report.html", "report.pdf", &scratch);
    if (status == DIAG_UNAVAILABLE) {
        const char *text = diag_skip_label(scratch.message);
        diag_warning(d, _("%s/%s (skipped; report.html is written)"), output_batch_dir(batch), text);
        status = DIAG_OK;
        diag_free(&scratch);
    } else {
        diag_merge(d, &scratch);
    }
    return status;
}
