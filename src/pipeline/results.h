/* results.h: the end of every command that writes a result folder: its summary.json gathered
 * part by part, and the one place where a folder is committed (output_batch_commit) or, on
 * any error, abandoned with nothing written.
 *
 * A summary is built from parts that their modules build (report_summary, goals, peers,
 * ensemble, charts); a part that could not be built (NULL), or any allocation that failed
 * while the summary was being gathered (a builder that skipped a field when memory ran
 * out), fails the whole folder with "out of memory": summary.json is never incomplete. */
#ifndef RESULTS_H
#define RESULTS_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "diag.h"
#include "goals.h"
#include "output.h"
#include "run.h"

/* A summary.json being gathered. Start it with results_summary_run or
 * results_summary_comparison; results_commit frees it. */
typedef struct results_summary {
    cJSON *root;                   /* NULL when it could not be started */
    const char *what;              /* for the message when it fails: "building summary.json" */
    unsigned long failures_before; /* mem_failure_count() when it was started */
    int failed;                    /* a part could not be built or added */
} results_summary;

/* Starts the summary of a scenario's run: the scenario, model, parameters and series
 * (report_summary). `what` (static text) says what failed if memory runs out. */
void results_summary_run(results_summary *s, const run *r, const char *what);

/* Starts the summary of a comparison of scenarios (runs[0..count)), written in
 * DIR/comparison/: the econsim version and each scenario's name, title, file and folder
 * ("../<name>", relative to the comparison's folder). */
void results_summary_comparison(results_summary *s, run *const *runs, size_t count, const char *what);

/* Adds `item` under `key`, taking it over (NULL: its builder ran out of memory). */
void results_summary_add(results_summary *s, const char *key, cJSON *item);

/* Adds `item` under `key` as a reference: the item stays the caller's. */
void results_summary_add_reference(results_summary *s, const char *key, cJSON *item);

/* Adds the warnings of d so far as the "warnings" array. */
void results_summary_add_warnings(results_summary *s, const diag *d);

/* The "solve" part of solve's summary.json: {"solutions": [], "mode": mode} ("separate" or
 * "joint"), or NULL when out of memory. Free with results_solve_free. */
cJSON *results_solve_new(const char *mode);

/* Frees a "solve" part; NULL is a no-op. */
void results_solve_free(cJSON *solve);

/* Adds a joint solve's outcome (converged, iterations, model_runs, message). Returns DIAG_OK,
 * or DIAG_SOFTWARE when memory runs out (the caller reports it). */
int results_solve_joint(cJSON *solve, const goals_joint *joint);

/* Appends an answer (goals_path_json) to the "solutions" array, taking it over (NULL: its
 * builder ran out of memory). Returns DIAG_OK, or DIAG_SOFTWARE (the caller reports it). */
int results_solve_add(cJSON *solve, cJSON *answer);

/* Ends a command's result folder; every command commits here and nowhere else. When status is
 * DIAG_OK, writes the summary (when s is not NULL) as summary.json into the batch and commits
 * the batch: every file appears at once, replacing the folder's earlier contents. Otherwise,
 * or when the summary could not be built (out of memory, reported with s->what) or written,
 * abandons the batch: nothing of it is written and the earlier results stay. Takes over the
 * batch (NULL: none was made; status then says why) and frees the summary. Returns DIAG_OK
 * or the error's status (status itself when it was not DIAG_OK). */
int results_commit(output_batch *batch, results_summary *s, int status, diag *d);

#endif
