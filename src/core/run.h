/* run.h: one scenario, loaded and bound: the scenario, its model and history, the plan and
 * the deterministic path. The layer that main.c, goals, peers and sweeps build on. */
#ifndef RUN_H
#define RUN_H

#include "diag.h"
#include "history.h"
#include "model.h"
#include "scenario.h"
#include "sim.h"

typedef struct run {
    scenario *scenario;
    model *model;
    history *history;  /* NULL when the scenario has none; as of as_of */
    sim_plan *plan;
    double *values;    /* [slot * plan->years + t] after run_simulate; NULL before */
    int as_of;         /* the observations are those of years up to as_of (0: all of them) */
    int as_of_given;   /* 1 when --as-of set as_of, 0 when the scenario's "as_of" did (or none) */
} run;

/* RUN_AS_OF_ALL in run_load_options.as_of: every observation is read, whatever "as_of" the
 * scenario pins (the back-test, whose actuals are all the data). */
#define RUN_AS_OF_ALL (-1)

/* What the command line sets on top of the scenario when loading it (zero: the file's own). */
typedef struct run_load_options {
    int as_of;         /* > 0: --as-of YEAR, in place of the scenario's "as_of"; RUN_AS_OF_ALL */
} run_load_options;

/* Loads a scenario file, the model it names (first, so that labels can stand for names in the
 * scenario: scenario_load_resolved), the history, validates them together (validate_scenario:
 * names, kinds, ranges, years, with the scenario's bounds applied to this run's model) and
 * builds the plan. Nothing is simulated. Returns NULL with every error in d (see
 * scenario_load, model_load, history_load, validate_scenario, sim_plan_build). */
run *run_load(const char *scenario_path, diag *d);

/* run_load for a load that goes on to check more (the blocks of the scenario): *out gets the
 * run even when some checks failed, as far as it could be built (the scenario and model are
 * there; the plan is NULL when it could not be built), so that every mistake is reported in
 * one run. Returns d's status; *out is NULL when the scenario or model could not be loaded. */
int run_load_checked(const char *scenario_path, run **out, diag *d);

/* run_load_checked with options (NULL: none): the observations are kept up to the as-of year
 * (opt->as_of, else the scenario's "as_of"; history_keep_until) before they are validated and
 * bound, so a run as of a year sees exactly what it would have seen before later rows were
 * added to the file. */
int run_load_checked_with(const char *scenario_path, const run_load_options *opt, run **out, diag *d);

/* Computes the deterministic path into r->values (replacing an earlier one). */
int run_simulate(run *r, diag *d);

/* Frees everything the run owns; NULL is a no-op. */
void run_free(run *r);

/* Where the value of a cell comes from: the file (and JSON path or line) that set it and the
 * note that goes with that value, for `explain` and summary.json. */
typedef struct run_provenance {
    const char *kind;   /* "observed", "derived", "initial", "assumption", "model default", "model",
                           "estimated" */
    const char *file;   /* the scenario, model or observations file that set it; NULL for "model" */
    char json_path[JSONFILE_PATH_MAX]; /* "$.assumptions.gdp_real_growth.2023", or "" (observations) */
    int line;           /* the observation's line in the observations file, or 0 */
    const char *note;   /* the note of that file for that value (never a base's note for a child's
                           value), the model's note for a default, or NULL; in the chosen
                           language (scenario_source_note, model_slot_note) */
    const char *source; /* an observation's source (history_row_source), or NULL */
} run_provenance;

/* Fills *out with where cell (slot, year) of the plan comes from. Returns 1, or 0 when the
 * cell has no value (outside storage or a gap). Strings point into r. */
int run_provenance_of(const run *r, int slot, int year, run_provenance *out);

/* The value of `name` in `year` on the path (in the slot's unit), or NaN when the name is
 * unknown, the year out of storage, or the cell has no value. */
double run_value(const run *r, const char *name, int year);

/* The same by slot index. */
double run_slot_value(const run *r, int slot, int year);

#endif
