/* summary.h: summary.json, the machine-readable record of a result folder (DESIGN §7), and the
 * one module of econsim that builds JSON for output.
 *
 * A summary is gathered part by part. Each part is built here from the results of one module
 * (the run itself, goals, goal seek, peers, an ensemble, a sweep, the charts); the pipeline
 * adds the parts it has and hands the summary to results_commit, which writes it with
 * summary_write. A part that could not be built (NULL), or any allocation that failed while
 * the summary was being gathered (a builder that skipped a field when memory ran out), fails
 * the whole folder with "out of memory": summary.json is never incomplete.
 *
 * Values are in each slot's unit (fractions for rates; 亿元 for money), the origin of every
 * value is written beside it ("observed", "derived", ...), and a number that is not finite is
 * written as null. Outside this module a part is opaque: no other module of src/ outside the
 * loaders includes cJSON.h. */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stddef.h>

#include "backtest.h"
#include "charts.h"
#include "diag.h"
#include "discover.h"
#include "dist.h"
#include "ensemble.h"
#include "goals.h"
#include "output.h"
#include "pawnrank.h"
#include "peers.h"
#include "run.h"
#include "sweep.h"

/* A part of summary.json being built: a JSON value, opaque outside this module. */
typedef struct cJSON summary_part;

/* A summary.json being gathered. Start it with summary_start_run or summary_start_comparison;
 * results_commit writes and frees it. */
typedef struct summary {
    summary_part *root;            /* NULL when it could not be started */
    const char *what;              /* for the message when it fails: "building summary.json" */
    unsigned long failures_before; /* mem_failure_count() when it was started */
    int failed;                    /* a part could not be built or added */
} summary;

/* ---------------------------------------------------------------------------------------- */
/* Gathering (summary.c)                                                                      */

/* Starts a summary whose root is `root` (taken over; NULL: its builder ran out of memory). */
void summary_start(summary *s, summary_part *root, const char *what);

/* Starts the summary of a scenario's run: the econsim version, the scenario (name, title,
 * files, horizon, as_of), the model, parameters, bounds and every series with its values,
 * origins and sources. `what` (static text) says what failed if memory runs out. */
void summary_start_run(summary *s, const run *r, const char *what);

/* Starts the summary of a comparison of scenarios (runs[0..count)), written in
 * DIR/comparison/: the econsim version and each scenario's name, title, file and folder
 * ("../<name>", relative to the comparison's folder). */
void summary_start_comparison(summary *s, run *const *runs, size_t count, const char *what);

/* Adds `item` under `key`, taking it over (NULL: its builder ran out of memory). */
void summary_add(summary *s, const char *key, summary_part *item);

/* Adds `item` under `key` as a reference: the item stays the caller's. */
void summary_add_reference(summary *s, const char *key, summary_part *item);

/* The ranks of the MPI job this process belongs to (1 without MPI), for summary_environment.
 * Set once by the MPI driver before any command. */
void summary_set_ranks(int ranks);

/* The "environment" of a run: everything in summary.json that may differ between two runs of
 * the same inputs on other machines or settings: {"threads": threads per rank, "ranks": MPI
 * ranks, "host": the host name}. Every other key of summary.json is the same bytes for any
 * threads x ranks. Timings are left out, so that two runs of one command on one machine
 * still write the same bytes. NULL when memory runs out. */
summary_part *summary_environment(int threads);

/* Adds the warnings of d so far as the "warnings" array of strings. */
void summary_add_warnings(summary *s, const diag *d);

/* Writes the summary as summary.json into the batch (indented JSON, UTF-8, final newline).
 * When a part failed or memory ran out while it was gathered, writes nothing and reports
 * "out of memory" with s->what. Returns DIAG_OK or the error's status (in d). */
int summary_write(const summary *s, output_batch *batch, diag *d);

/* Frees the summary's tree (the struct is the caller's); safe to call twice. */
void summary_free(summary *s);

/* Prints the part `root` as the file `name` of the batch, with a final newline; the tree
 * stays the caller's. Returns DIAG_OK, or an error in d (out of memory, or the file could not
 * be opened). */
int summary_write_part(output_batch *batch, const char *name, const summary_part *root, diag *d);

/* Frees a part that was not added; NULL is a no-op. */
void summary_part_free(summary_part *part);

/* ---------------------------------------------------------------------------------------- */
/* Parts                                                                                      */

/* The "solve" part of solve's summary.json: {"solutions": [], "mode": mode} ("separate" or
 * "joint"), or NULL when out of memory. Free with summary_part_free. (summary.c) */
summary_part *summary_solve_new(const char *mode);

/* Adds a joint solve's outcome (converged, iterations, model_runs, message). Returns DIAG_OK,
 * or DIAG_SOFTWARE when memory runs out (the caller reports it). (summary.c) */
int summary_solve_joint(summary_part *solve, const goals_joint *joint);

/* Appends an answer (summary_goals_path) to the "solutions" array, taking it over (NULL: its
 * builder ran out of memory). Returns DIAG_OK, or DIAG_SOFTWARE (the caller reports it). */
int summary_solve_add(summary_part *solve, summary_part *answer);

/* The "charts" array: [{"file", "title", "kind", "script", "variable", "drawn"}]. NULL when
 * out of memory. (summary.c) */
summary_part *summary_charts(const charts_list *list);

/* A distribution in its canonical form ({"dist": "normal", "mean": 0, "sd": 0.015}; a
 * lognormal given by mean/sd is written with mu, sigma; an infinite truncation bound is left
 * out, JSON having no infinity), the form the loaders read back. NULL on OOM. (summary.c) */
summary_part *summary_dist(const dist *dist);

/* The "goals" array: every field of the goal and its result, with units, status text,
 * shortfall, the seek answer and the assumed inputs; only[0..only_count) of them, or all when
 * only is NULL. NULL when out of memory. (summary_goals.c) */
summary_part *summary_goals(const goals_set *g, const run *r, const size_t *only, size_t only_count);

/* The path under a solution: {"instruments": [{"goal", "name", "value", "unit", "from_year",
 * "to_year"}], "series": [{"name", "label", "unit", "values": [{"year", "value"}]}]} for the
 * goal variables, start-1..end, read from `values` (goals_path). NULL when out of memory.
 * (summary_goals.c) */
summary_part *summary_goals_path(const goals_set *g, const size_t *goal_index, const double *instrument,
                                 size_t count, const run *r, const double *values);

/* The "peers" part: places, fits, values with origins and sources, ranks, crossings, catch-up
 * growth per peer and year, places with no data. NULL when out of memory. (summary_peers.c) */
summary_part *summary_peers(const peers_comparison *c);

/* The "ensemble" object: paths, seed, threads, passes, the shocks (name, distribution, apply,
 * ar1, note), the correlation matrix, clamping counts, and for every cell that varies its
 * mean, sd and quantiles; "goal_probability" by goal id when goals is not NULL. NULL on OOM.
 * (summary_ensemble.c) */
summary_part *summary_ensemble(const ensemble_result *result, const ensemble_spec *spec, const run *r,
                               const goals_set *goals);

/* The "discovery" part: the goal, the inputs (name, label, unit, how a run's value was
 * formed), and per box its sentence (discover_sentence), coverage, density and mass
 * (fractions), the restricted inputs with their limits (null on an unrestricted side, in the
 * input's unit) and qp-values, and the peeling trajectory. NULL when memory runs out.
 * (summary_discover.c) */
summary_part *summary_discover(const discover_result *res);

/* The "pawn" part: per goal ranked, the shocks with their PAWN value and noise threshold
 * (fractions) and whether they are above it. NULL when memory runs out. (summary_pawnrank.c) */
summary_part *summary_pawnrank(const pawnrank_result *res, const goals_set *goals);

/* The whole summary.json of a sweep: the design, the parameters (with their distributions),
 * and per output its indices with intervals, plus `charts` (may be NULL; taken over either
 * way). NULL when memory runs out. (summary_sweep.c) */
summary_part *summary_sweep(const sweep_result *res, const run *r, summary_part *charts);

/* The "backtest" part (summary_backtest.c): the origins and horizons tried, the points
 * compared and left out, band paths, and per variable and horizon n, bias, mae, mape, rmse,
 * theil_u, u_trend, hit_rate (and coverage_50, coverage_90 with bands), null where undefined.
 * NULL when out of memory. */
summary_part *summary_backtest(const backtest_result *res);

#endif
