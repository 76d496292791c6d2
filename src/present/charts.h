/* charts.h: the one chart API. Every chart econsim draws (a run's trajectories, its goals and
 * peers, the scenario comparisons, an ensemble's fan charts, a sweep's bars, planes, tornadoes
 * and heatmaps) is a chart description handed to a charts_writer: the builders (charts_run.c,
 * goals_write.c, peers_write.c, ensemble_write.c, sweep_charts.c) say what a chart shows; this
 * module writes its script, handles the batch and draws the images.
 *
 * A description is the chart's data and texts (a plot_script body of datablocks and escaped
 * string variables, plot.h), the template that draws them (plots/<template>.gp), its kind and
 * title for summary.json, and its slug. The writer turns it into charts/<slug>.gp beside its
 * image charts/<slug>.png (or .svg, .pdf) in the output batch: a header, the body, then the
 * text of plots/style.gp and of the template, so `cd charts && gnuplot NAME.gp` redraws the
 * image, byte for byte, even when the folder is moved. gnuplot draws into the image's
 * temporary name in the batch (the variable econsim_output, given with -e; a script run alone
 * writes NAME.png), and the commit renames both with the other results. The scripts are
 * written first; gnuplot then draws the images several at once (charts_options.jobs), each
 * within its time limit and all within the command's budget, and they are reported in the
 * order written, whichever ends first. File names are slugs that econsim builds ("gdp",
 * "goals", "peers-fiscal_revenue", "fan-gdp"), never text from a file.
 *
 * A chart that gnuplot cannot draw is a warning naming it; the other charts go on, and its
 * script is still written. Without gnuplot the scripts are written and a warning says how to
 * draw them later.
 *
 * Series on charts are split by origin (DESIGN §4 rule 4): data (observed; derived,
 * interpolated and initial values apart, as hollow points) is drawn solid, the projection
 * (model, projected, assumed) dashed, starting from the last value before it so the line is
 * continuous. A year without a value breaks the line: nothing is drawn across a gap. The
 * helpers at the end of this header, shared by the builders, do that. */
#ifndef CHARTS_H
#define CHARTS_H

#include <stddef.h>

#include "diag.h"
#include "history.h"
#include "output.h"
#include "plot.h"
#include "run.h"

#define CHARTS_DEFAULT_WIDTH 1000 /* pixels; PDF pages are 72 pixels an inch */
#define CHARTS_DEFAULT_HEIGHT 600
#define CHARTS_MIN_SIZE 300
#define CHARTS_MAX_SIZE 8000
#define CHARTS_MAX_VARIABLES 64

/* How a command draws its charts: the scenario's "charts" block, then the command line
 * (charts_load.h reads them). */
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
    int report_svg;          /* 1: keep each chart's SVG text in its list entry for report.html;
                                when the format is not svg, each chart's script is also run once
                                through the svg terminal (a copy that only the format differs in,
                                drawn with the others and taken out of the batch after) */
} charts_options;

/* Frees the variable names; *o is left empty. */
void charts_options_release(charts_options *o);

/* Starts the gnuplots that will draw a command's charts (plot_warm_start: as many as
 * charts_writer_end runs at once for `jobs`, 0 meaning one per core), so that their start
 * overlaps the loading and the model runs: call it first thing in a command that draws, with
 * what its command line says (enabled: no --no-charts; format_name: --format or NULL). Only
 * the command line is known then: the scenario's format changes no more than whether the
 * warm-up loads cairo's fonts (not needed for SVG, harmless there). Does nothing when charts
 * are off or gnuplot is not on PATH; warm gnuplots not used end with econsim. */
void charts_warm_up(int enabled, const char *format_name, int jobs);

/* One chart written. Paths are relative to the batch folder. */
typedef struct charts_entry {
    char file[160];     /* the image: "charts/gdp.png" */
    char script[160];   /* its script: "charts/gdp.gp" */
    char *title;        /* what the chart shows (owned) */
    const char *kind;   /* "trajectory", "goals", "peers", "compare", "fan", "sobol", ... */
    char *variable;     /* the model variable, or NULL (goals) (owned) */
    int drawn;          /* 1 when gnuplot drew the image; 0: only the script was written */
    char *svg;          /* with report_svg: the chart as SVG text as gnuplot wrote it (owned), or
                           NULL when it was not drawn */
    size_t svg_length;  /* bytes of svg */
} charts_entry;

typedef struct charts_list {
    charts_entry *entries;
    size_t count, capacity;
} charts_list;

/* Frees the entries; the list is left empty and reusable. */
void charts_list_release(charts_list *list);

/* ---------------------------------------------------------------------------------------- */
/* Writing charts                                                                             */

/* What a builder hands to the writer: one chart. */
typedef struct charts_chart {
    const char *slug;          /* charts/<slug>.gp: [A-Za-z0-9._-], built by the program */
    const char *kind;          /* a static string for summary.json ("trajectory", "fan", "sobol", ...) */
    const char *template_name; /* plots/<template_name>.gp draws it */
    const char *title;         /* what it shows, for summary.json and as the chart's title: the
                                  writer sets econsim_title to it, wrapped over at most two lines
                                  that fit the width (NULL: the body's econsim_title as it is) */
    const char *variable;      /* the model variable it shows, or NULL */
    const char *scenario_name; /* named in the script's header comment, or NULL */
    const plot_script *body;   /* its data and texts: datablocks and escaped string variables,
                                  including econsim_footnote/econsim_footnote2 that style.gp
                                  reads unless footnote/footnote2 below are given */
    int height;                /* pixels; 0: the options' height */
    const char *footnote;      /* the first footnote line (scenario, model, version), cut to one
                                  line; NULL: the body sets econsim_footnote itself */
    const char *footnote2;     /* the chart's note (what is drawn, the sources), wrapped over at
                                  most two lines (the full text also in a comment of the .gp when
                                  it needs more); NULL: the body sets econsim_footnote2 itself */
} charts_chart;

typedef struct charts_writer charts_writer;

/* Starts writing charts into `batch` (charts/ under its folder), appending them to list.
 * Sets *out to a writer, or to NULL when o->enabled is 0 or the templates are missing and not
 * required (a warning then says so; the caller draws nothing). Returns DIAG_OK;
 * DIAG_UNAVAILABLE when o->required and gnuplot is not found; DIAG_NO_INPUT when o->required
 * and the templates are missing; DIAG_SOFTWARE when memory runs out. o, list and d must
 * outlive the writer. */
int charts_writer_begin(output_batch *batch, const charts_options *o, charts_list *list, charts_writer **out, diag *d);

/* Writes the chart's script charts/<slug>.gp into the batch (a header, chart->body,
 * plots/style.gp, then plots/<template_name>.gp) and queues its image for drawing; appends it
 * to the list. A template that is missing is a warning (an error when charts are required),
 * and so is a slug too long for a file name. Returns DIAG_OK, or a status that stops the run:
 * DIAG_CANT_CREATE or DIAG_IO when a file cannot be written, DIAG_SOFTWARE when memory runs
 * out (also when the body recorded a failure), DIAG_NO_INPUT for a required template. w NULL:
 * does nothing, DIAG_OK. */
int charts_writer_add(charts_writer *w, const charts_chart *chart);

/* The options the writer draws with (width, height, format). */
const charts_options *charts_writer_options(const charts_writer *w);

/* Ends the writer and frees it: when `status` (the writing's so far) is DIAG_OK, draws the
 * charts written, several at once, and reports each in the order written (a chart drawn is
 * marked so; one that failed, timed out or ran past the budget is a warning and its image
 * leaves the batch, its script stays); when scripts were written without gnuplot, adds the
 * hint to draw them later. Returns `status`, or the drawing's failure (memory); NULL w returns
 * `status`. */
int charts_writer_end(charts_writer *w, int status);

/* ---------------------------------------------------------------------------------------- */
/* Helpers every builder shares (charts_build.c)                                              */

/* Appends formatted text to buf (size bytes, NUL-terminated) if it fits whole; else leaves
 * buf as it was. */
void charts_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The unit as an axis shows it: "%" for rates (units_is_rate), "count" and "index"
 * translated ("个", "指数"), else the unit itself (model text). Static or the unit's own text. */
const char *charts_unit_text(const char *unit);

/* Writes econsim_unit (charts_unit_text, cut to PLOT_UNIT_COLUMNS), econsim_unit_label (the
 * translated "Unit: %s" that style.gp writes above the y axis) and econsim_y_percent (1 for
 * rates, whose values are drawn times 100 with a % on the axis). */
void charts_write_unit(plot_script *s, const char *unit);

/* A word a template draws (a key entry, an axis label): the string variable `name` and its
 * English text, the message id. */
typedef struct charts_text {
    const char *name;
    const char *text; /* marked N_(): charts_write_texts translates it */
} charts_text;

/* Writes each text, translated (_()), as its variable: templates hold no words of their own,
 * so a chart is in the language of the run. */
void charts_write_texts(plot_script *s, const charts_text *texts, size_t count);

/* The factor values are drawn with: 100 for rates (drawn in percent), else 1. */
double charts_unit_scale(const char *unit);

/* The scale of a chart's fonts, lines and character margins (plots/style.gp's fontscale): 1
 * at 1000x600 pixels, in proportion to the smaller of width / 1000 and height / 600 beyond,
 * never below CHARTS_SCALE_MIN (small charts keep readable text) nor above CHARTS_SCALE_MAX. */
#define CHARTS_SCALE_MIN 0.75
#define CHARTS_SCALE_MAX 3.0
double charts_scale(int width, int height);

/* The width of a display column in ems, at most: a Latin letter or digit is one column of
 * about 0.55 em, a CJK character two columns of about 1 em together (tests/chart_layout.py
 * estimates text boxes the same way). */
#define CHARTS_COLUMN_EM 0.55

/* Pixels of a point of font size: the cairo terminals (png, pdf) draw at 96 dpi, and style.gp
 * raises the svg sizes to match. */
#define CHARTS_PX_PER_POINT (96.0 / 72.0)

/* Footnote columns that fit a chart `width` pixels wide (the style's 8-point footnote font at
 * the largest scale that width allows). */
size_t charts_footnote_columns(int width);

/* Title columns that fit a chart width x height (the style's 15-point title font). */
size_t charts_title_columns(int width, int height);

/* Writes econsim_key_columns and econsim_key_rows: the columns of the key (under the plot)
 * that surely fit the width with these entry titles (translated texts or model text; NULL is
 * empty), and the rows they then take: style.gp makes room for them. */
void charts_write_key(plot_script *s, int width, int height, const char *const *titles, size_t count);

/* Splits text into lines of at most `columns` display columns, breaking after a space or
 * beside a wide (CJK) character where it can, inside a word only when the word is longer than
 * a line. Writes the first max_lines lines into lines + i * line_size (NUL-terminated, each cut
 * to line_size bytes); when the text needs more, the last line holds the rest cut with "…".
 * Returns how many lines the whole text needs (0 for an empty text). */
size_t charts_wrap(const char *text, size_t columns, char *lines, size_t line_size, size_t max_lines);

/* Adds "source (grade)" of an observation row to buf ("; "-separated, each text once). NULL
 * or a row without a source: nothing. */
void charts_add_source(char *buf, size_t size, const history_row *row);

/* The first footnote line of a run's charts: "Scenario: TITLE (NAME) · model: MODEL · econsim
 * VERSION" (translated: "情景: ... · 模型: ..."), cut to the columns of a chart `width` pixels
 * wide (0: not cut; charts_chart.footnote is cut by the writer). */
void charts_footnote_scenario(char *buf, size_t size, const run *r, int width);

/* The last part of a path (after its last '/'). */
const char *charts_basename(const char *path);

/* 1 for the origins drawn as data (observed, derived, interpolated, initial). */
int charts_is_data(sim_origin origin);

/* A yearly series: value[t] and origin[t] for years first_year + t (NaN / NONE: no value). */
typedef struct charts_series {
    int first_year;
    size_t years;
    double *value;
    unsigned char *origin;
    const history_row **source; /* may be NULL */
    int first_drawn;            /* years before it are not drawn (0: every year); the value of the
                                   year before it still starts a projection that begins there */
} charts_series;

/* Counts of what charts_write_series wrote. */
typedef struct charts_series_counts {
    size_t history, observed, estimated, projection;
    int first_year, last_year; /* years with a value; 0 when none */
    double min, max;           /* of the values drawn (scaled) */
} charts_series_counts;

/* Writes $<prefix>_history (year value, a blank line where a year lacks data), _observed,
 * _estimated (derived, interpolated, initial) and _projection (year value from the last
 * value before each projected run), values times `scale`, and `<prefix>_*_points` counts. */
void charts_write_series(plot_script *s, const char *prefix, const charts_series *series, double scale,
                         charts_series_counts *counts);

/* A run's series for slot: the cells shown in outputs (report.c's rule). Arrays are owned by
 * *out (charts_series_release, also after a failure). Returns 0, or -1 when out of memory. */
int charts_run_series(const run *r, int slot, charts_series *out);

/* Frees the arrays of a series from charts_run_series and zeroes it. */
void charts_series_release(charts_series *s);

/* Whole-year tics from `from` to `to`: econsim_year_from, _to, _step (about 15 labels at
 * most) and _first_tic (the first multiple of the step). */
void charts_write_years(plot_script *s, int from, int to);

/* One line of a multi-series chart (peers, comparisons). */
typedef struct charts_set_item {
    const char *title;
    const char *name; /* the scenario's name (comparisons), or NULL */
    charts_series series;
} charts_set_item;

/* Writes the shared preamble of a multi-series chart: $econsim_<i>_* per series
 * (charts_write_series) and the array of titles cut to PLOT_LABEL_COLUMNS; widens *from, *to
 * (years, 0: none yet) and sets *low, *high (the values drawn, scaled). Returns 0, or -1 when
 * out of memory. */
int charts_write_set(plot_script *s, const charts_set_item *items, size_t count, double scale, int *from, int *to,
                     double *low, double *high);

#endif
