/* charts.h: the charts of a run (DESIGN §7): one chart per chosen variable (history solid,
 * projection dashed, goals at their year, later goals as reference lines), the goals (value
 * reached as a share of each target, met and unmet apart), the peers (home highlighted, the
 * years the order changes marked) and, for several scenarios, one overlay per variable.
 *
 * Every chart is a gnuplot script NAME.gp beside its image NAME.png (or .svg, .pdf) in a
 * charts/ folder of the output. The scripts are written first; then gnuplot draws the images,
 * several at once (charts_options.jobs), each within its time limit and all within the
 * command's budget; they are reported in the order written, whichever ends first. The script holds everything: the data as datablocks, the
 * text as escaped string variables (plot.h), then the text of plots/style.gp and of the
 * chart's template, so `cd charts && gnuplot NAME.gp` redraws the image, byte for byte, even
 * when the folder is moved. Both files go through the run's output batch (output.h): the
 * script is written to its temporary name, gnuplot draws into the image's temporary name (the
 * variable econsim_output, given to gnuplot with -e; a script run alone writes NAME.png), and
 * the commit renames both with the other results. File names are slugs that econsim builds
 * ("gdp", "goals", "peers-fiscal_revenue", "compare-gdp"), never text from a file.
 *
 * A chart that gnuplot cannot draw is a warning naming it; the other charts go on, and its
 * script is still written. Without gnuplot the scripts are written and a warning says how to
 * draw them later. */
#ifndef CHARTS_H
#define CHARTS_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "diag.h"
#include "goals.h"
#include "output.h"
#include "peers.h"
#include "plot.h"
#include "run.h"

#define CHARTS_DEFAULT_WIDTH 1000 /* pixels; PDF pages are 72 pixels an inch */
#define CHARTS_DEFAULT_HEIGHT 600
#define CHARTS_MIN_SIZE 300
#define CHARTS_MAX_SIZE 8000
#define CHARTS_MAX_VARIABLES 64

/* How a run draws its charts: the scenario's "charts" block, then the command line. */
typedef struct charts_options {
    int enabled;             /* 0 with --no-charts: nothing is written */
    int required;            /* 1 with --format: no gnuplot is an error (DIAG_UNAVAILABLE) */
    plot_format format;
    int width, height;       /* pixels */
    char *variables[CHARTS_MAX_VARIABLES]; /* model names, in order; owned */
    size_t variable_count;
    int variables_given;     /* 1 when the block lists them (else the default) */
    int jobs;                /* gnuplot processes at once (--threads); 0: one per core */
    int timeout_seconds;     /* a chart's time limit: ECONSIM_GNUPLOT_TIMEOUT, else PLOT_TIMEOUT_SECONDS */
    int budget_seconds;      /* all the command's charts: ECONSIM_CHARTS_BUDGET, else PLOT_BUDGET_SECONDS */
} charts_options;

/* Reads the "charts" block of r's scenario into *out:
 *   {"variables": ["gdp", "fiscal_revenue"], "size": [1000, 600], "format": "svg", "note": "..."}
 * Every key is optional. `variables` are model variables or exogenous series (unknown names
 * are errors with a did-you-mean against the model); without it, every variable that has an
 * observation in the run's history, in model order. `size` is [width, height] in pixels, each
 * in CHARTS_MIN_SIZE..CHARTS_MAX_SIZE. `format` is "png", "svg" or "pdf". Then the command
 * line wins: format_option (NULL when --format was not given) sets the format and makes charts
 * required; no_charts disables them. The environment sets the time limits of drawing:
 * ECONSIM_GNUPLOT_TIMEOUT (seconds a chart may take, default 20) and ECONSIM_CHARTS_BUDGET
 * (seconds all the charts of the command may take, default 600), each a whole number from 1 to
 * 86400 (DIAG_USAGE otherwise). jobs is left 0 for the caller to set from --threads. Errors are DIAG_DATA at the block's JSON path, in the
 * file that wrote it. On error *out holds nothing to release. */
int charts_options_load(const run *r, const char *format_option, int no_charts, charts_options *out, diag *d);

/* Frees the variable names; *o is left empty. */
void charts_options_release(charts_options *o);

/* One chart written. Paths are relative to the batch folder. */
typedef struct charts_entry {
    char file[160];     /* the image: "charts/gdp.png" */
    char script[160];   /* its script: "charts/gdp.gp" */
    char *title;        /* what the chart shows (owned) */
    const char *kind;   /* "trajectory", "goals", "peers" or "compare" */
    char *variable;     /* the model variable, or NULL (goals) (owned) */
    int drawn;          /* 1 when gnuplot drew the image; 0: only the script was written */
} charts_entry;

typedef struct charts_list {
    charts_entry *entries;
    size_t count, capacity;
} charts_list;

/* Frees the entries; the list is left empty and reusable. */
void charts_list_release(charts_list *list);

/* Writes the charts of one scenario into `batch` (charts/ under its folder) and appends them
 * to list: a trajectory per variable of o, then the goals chart when goals has any (NULL: none),
 * then one peers chart per variable of the comparison (NULL: none). Nothing happens when
 * o->enabled is 0. Returns DIAG_OK (chart failures and a missing gnuplot are warnings in d);
 * DIAG_UNAVAILABLE when o->required and gnuplot is not found; DIAG_NO_INPUT when the
 * templates are missing and o->required (else a warning); DIAG_CANT_CREATE or DIAG_IO when a
 * file cannot be written; DIAG_SOFTWARE when memory runs out. */
int charts_write_run(output_batch *batch, const run *r, const goals_set *goals, const peers_comparison *peers,
                     const charts_options *o, charts_list *list, diag *d);

/* Writes one comparison chart per variable of o ("compare-gdp") overlaying the scenarios
 * runs[0..count), each labelled by its title, into `batch` (charts/ under its folder). A
 * scenario whose model lacks a variable is left out of that chart with a warning. Same
 * returns as charts_write_run. */
int charts_write_comparison(output_batch *batch, const run *const *runs, size_t count, const charts_options *o,
                            charts_list *list, diag *d);

/* The "charts" array of summary.json: [{"file", "title", "kind", "script", "variable",
 * "drawn"}]. NULL when out of memory. */
cJSON *charts_list_json(const charts_list *list);


/* ---------------------------------------------------------------------------------------- */
/* Charts of other modules (sweeps) */

/* A chart writer for modules that build their own charts (sweep.c): the same templates, style,
 * script layout, batch handling and warnings as the charts of a run. */
typedef struct charts_writer charts_writer;

/* Starts writing charts into `batch` (charts/ under its folder), appending them to list.
 * Sets *out to a writer, or to NULL when o->enabled is 0 or the templates are missing and not
 * required (then every charts_writer_emit does nothing). Returns DIAG_OK; DIAG_UNAVAILABLE or
 * DIAG_NO_INPUT when o->required and gnuplot or the templates are missing (as
 * charts_write_run); DIAG_SOFTWARE when memory runs out. */
int charts_writer_begin(output_batch *batch, const charts_options *o, charts_list *list, charts_writer **out, diag *d);

/* Writes chart charts/<slug>.gp (and its image when gnuplot is there): a header, the
 * chart-specific preamble `body` (datablocks and escaped string variables, plot.h, including
 * econsim_title and econsim_footnote/econsim_footnote2 that style.gp reads), plots/style.gp,
 * then plots/<template_name>.gp. slug: [A-Za-z0-9._-], built by the program; kind: a static
 * string for summary.json ("tornado", "sobol", ...); variable: may be NULL; height in pixels
 * (0: o->height). A chart gnuplot fails to draw is a warning. w NULL: does nothing, DIAG_OK.
 * Returns a DIAG_ status for failures that stop the run (files, memory, a required template). */
int charts_writer_emit(charts_writer *w, const char *slug, const char *kind, const char *template_name,
                       const char *title, const char *variable, const char *scenario_name, const plot_script *body,
                       int height);

/* Ends the writer and frees it: when `status` (the writing's so far) is DIAG_OK, draws the
 * charts written (charts_write_run's drawing) and, when scripts were written without gnuplot,
 * adds the hint to draw them later. Returns `status`, or the drawing's failure (memory); NULL w
 * returns `status`. */
int charts_writer_end(charts_writer *w, int status);

#endif
