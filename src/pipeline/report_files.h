/* report_files.h: the files a planner hands on, written into a command's output batch:
 * report.html (report_html.h), workbook.xlsx (workbook.h) and, with --pdf, report.pdf
 * (report_pdf.h). `run`, `sweep` and `backtest` write them by default (--no-report: none). */
#ifndef REPORT_FILES_H
#define REPORT_FILES_H

#include "diag.h"
#include "output.h"
#include "report_html.h"
#include "workbook.h"

/* Writes report.html from page and workbook.xlsx from book (NULL: no workbook) into batch,
 * then, when pdf, prints report.html to report.pdf with headless Chromium. Without Chromium,
 * or when it fails or times out, report.pdf is left out and a warning in d says why (the
 * HTML is there). Returns DIAG_OK, or the status of a failure that must stop the command
 * (a file that cannot be written: DIAG_CANT_CREATE, DIAG_IO; memory: DIAG_SOFTWARE). */
int report_files_write(output_batch *batch, const report_html_page *page, const workbook_input *book, int pdf,
                       diag *d);

#endif
