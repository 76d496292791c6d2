/* sweep_write.h: a sweep's results (sweep.h) for people and files: samples.csv (on request),
 * sensitivity.csv (columns per method, sweep.h) and summary.json (DESIGN §7), the run budget
 * and the ranked tables on stdout, and the charts. Outputs are in their own units; Sobol'
 * indices are fractions of the output's variance. */
#ifndef SWEEP_WRITE_H
#define SWEEP_WRITE_H

#include <stdio.h>

#include "charts.h"
#include "diag.h"
#include "output.h"
#include "run.h"
#include "summary.h"
#include "sweep.h"

/* Prints the run budget, one line, e.g.
 * "sobol: N = 4096, k = 6 -> N(k+2) = 32768 model runs, bootstrap 1000". */
void sweep_print_budget(FILE *out, const sweep_spec *spec);

/* Writes sensitivity.csv and summary.json into the batch (the caller commits), and
 * samples.csv (one row per model run: 116 MB for a Sobol' sweep of N = 2^18) only when
 * samples_csv is not 0, its rows formatted in chunks on `threads` threads (0: every core) and
 * written in run order, the same bytes for any thread count. `charts` (may be NULL) is the
 * "charts" array to put in summary.json; ownership passes to the function. `discovery` (may
 * be NULL) adds its "discovery" part (summary_discover). Returns a DIAG_ status. */
int sweep_write(const sweep_result *res, const run *r, output_batch *batch, summary_part *charts,
                const discover_result *discovery, int samples_csv, int threads, diag *d);

/* Draws the charts of a sweep into the batch's charts/ folder (charts.h and the templates in plots/) and
 * appends them to list: per output, the Sobol' S1/ST bars with intervals (sobol), the
 * mu*-sigma plane (morris), a tornado (oat), or, for a grid of exactly two parameters, a
 * heatmap with the contour where the output meets a level goal of `goals` (the scenario's,
 * may be NULL) on the same variable and year, or, when no point of the grid is on each side of
 * the target, a note under the title saying that the grid never reaches it (or always does).
 * Parameters are named by their labels; rates and Sobol' shares are drawn in percent. A
 * Morris chart labels only the points whose labels meet no other label or point (largest mu*
 * first, at most eight) and names the others in its footnote.
 * Montecarlo sweeps have no chart. Same returns as charts_write_run (a chart gnuplot fails to
 * draw, or a missing gnuplot, is a warning unless o->required). Implemented in
 * sweep_charts.c. */
int sweep_write_charts(const sweep_result *res, const run *r, const goals_set *goals, output_batch *batch,
                       const charts_options *o, charts_list *list, diag *d);

/* Writes a sweep, discovery or back-test chart's footnotes into its script, wrapped to the
 * canvas (width x height pixels at the fonts the templates use): econsim_footnote, `footnote`
 * then `footnote2` (may be NULL), each over at most two lines (the last cut with "…" only when
 * even two do not hold it), and econsim_footnote_lines; econsim_footnote2 empty. The title and
 * footnotes also go in whole as comments (plot_script_comment). The title itself is the charts
 * writer's: it wraps the chart's title for every chart (econsim_title, econsim_title_lines).
 * (sweep_charts.c) */
void sweep_chart_layout(plot_script *s, int width, int height, const char *title, const char *footnote,
                        const char *footnote2);

/* Prints the results on `out`: per output its distribution and the parameters ranked, every
 * index with its interval and a flag where it has not converged or is clearly negative. */
void sweep_print(FILE *out, const sweep_result *res, const run *r);

/* "samples": "auto": prints each step's N and widest ST interval, and whether it converged;
 * nothing for a sweep of fixed N. (sweep_convergence.c) */
void sweep_print_convergence(FILE *out, const sweep_result *res);

/* "samples": "auto": writes convergence.csv (N,output,parameter,ST,ST_low,ST_high,width,
 * threshold: every index at every step) into the batch; nothing for a fixed N. Returns a
 * DIAG_ status. (sweep_convergence.c) */
int sweep_write_convergence(output_batch *batch, const sweep_result *res, diag *d);

#endif
