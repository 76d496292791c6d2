/* charts_load.h: how a command draws its charts (charts.h's charts_options), from the
 * scenario's "charts" block, the command line and the environment. */
#ifndef CHARTS_LOAD_H
#define CHARTS_LOAD_H

#include "charts.h"
#include "diag.h"
#include "run.h"

/* What the command line asks of the charts (zero / NULL: the scenario's own choice). */
typedef struct charts_request {
    const char *format; /* --format: "png", "svg" or "pdf"; the charts are then required */
    int disabled;       /* --no-charts */
    int width, height;  /* --size WxH, pixels in CHARTS_MIN_SIZE..CHARTS_MAX_SIZE; 0: not given */
} charts_request;

/* Reads the "charts" block of r's scenario into *out:
 *   {"variables": ["gdp", "fiscal_revenue"], "size": [1000, 600], "format": "svg", "note": "..."}
 * Every key is optional. `variables` are model variables or exogenous series (unknown names
 * are errors with a did-you-mean against the model); without it, every variable that has an
 * observation in the run's history, in model order. `size` is [width, height] in pixels, each
 * in CHARTS_MIN_SIZE..CHARTS_MAX_SIZE. `format` is "png", "svg" or "pdf". Then the command
 * line wins (request, NULL for none): its format (--format) sets the format and makes charts
 * required, its width and height (--size) the size (fonts and lines scale with it), and
 * disabled (--no-charts) turns them off. The environment sets the time limits of drawing:
 * ECONSIM_GNUPLOT_TIMEOUT (seconds a chart may take, default 20) and ECONSIM_CHARTS_BUDGET
 * (seconds all the charts of the command may take, default 600), each a whole number from 1 to
 * 86400 (DIAG_USAGE otherwise). jobs is left 0 for the caller to set from --threads. Errors are
 * DIAG_DATA at the block's JSON path, in the file that wrote it. On error *out holds nothing to
 * release; else release it with charts_options_release. */
int charts_options_load(const run *r, const charts_request *request, charts_options *out, diag *d);

#endif
