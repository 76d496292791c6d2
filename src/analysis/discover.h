/* discover.h: scenario discovery on a sweep or an ensemble: under which combinations of the
 * inputs a goal is missed (the "discover" key of a sweep or uncertainty block, read by
 * discover_load.h). The boxes themselves are PRIM's (prim.h); this module builds PRIM's data
 * from the runs and keeps what the writers need (discover_write.h).
 *
 *   "discover": {"goal": "166-revenue-2025", "boxes": 3, "coverage": 0.5, "step": [12],
 *                "alpha": 0.05, "note": "..."}      or the short form "discover": "GOAL_ID"
 *
 * Inputs of the boxes:
 *   sweep        the swept parameters, each run's values in the parameter's unit (Sobol':
 *                the 2N runs of the matrices A and B, an independent sample; the mixed runs
 *                AB_i repeat their coordinates). A one-at-a-time sweep has no sample to
 *                search and is refused by the loader.
 *   ensemble     per path and per shock, a summary a planner can read, in the shocked name's
 *                unit: a parameter's value on the path (drawn once), or an exogenous series'
 *                mean over the years from the scenario's start to the goal's year on that path
 *                (observed years included, as the path has them).
 * The outcome of a run is 1 when it misses the goal (goals_met_rule on the goal's value). */
#ifndef DISCOVER_H
#define DISCOVER_H

#include <stddef.h>

#include "diag.h"
#include "engine.h"
#include "ensemble.h"
#include "goals.h"
#include "pathsample.h"
#include "prim.h"
#include "run.h"
#include "sweep.h"

/* Boxes at most (the "up to 3"). */
#define DISCOVER_MAX_BOXES 3
#define DISCOVER_DEFAULT_BOXES 3

/* A parsed "discover" key. */
typedef struct discover_spec {
    char *goal_id;        /* owned */
    size_t goal;          /* its index in the scenario's goals */
    prim_options prim;    /* peel_alpha, coverage_min, step[], max_boxes set from the key;
                             the rest PRIM's defaults */
    char json_path[JSONFILE_PATH_MAX]; /* "$.sweep.discover" or "$.uncertainty.discover" */
} discover_spec;

/* Frees the spec; NULL is a no-op. */
void discover_spec_free(discover_spec *spec);

/* What one input of the boxes is. */
typedef struct discover_input {
    char *name;           /* the parameter or series name (owned) */
    const char *label;    /* the model's label (owned by the model) */
    const char *unit;     /* the model's unit (owned by the model) */
    char summary[96];     /* how a run's value was formed: "swept value", "value on the path",
                             "mean 2023-2025 on the path" */
} discover_input;

/* The result: the data PRIM searched and its boxes. */
typedef struct discover_result {
    const discover_spec *spec;  /* not owned */
    const goals_goal *goal;     /* not owned (the scenario's goals) */
    int from_ensemble;          /* 1: inputs are per-path summaries of shocks */
    size_t n, k;                /* runs (or paths) searched, inputs */
    discover_input *inputs;     /* k */
    double *x;                  /* n * k, row-major, in the inputs' units */
    unsigned char *missed;      /* n: 1 when the run missed the goal */
    prim_result prim;           /* the boxes (coverage, density, mass: fractions) */
} discover_result;

/* Scenario discovery on a finished sweep: inputs are the swept parameters, the outcome is
 * output met:GOAL (which the loader adds to the outputs when they lack it). Returns DIAG_OK
 * with *out set (free with discover_result_free), DIAG_DATA when the output is missing or
 * PRIM refuses the data (fewer runs than one peel needs), DIAG_SOFTWARE (memory). */
int discover_sweep(const discover_spec *spec, const sweep_result *res, const goals_set *goals,
                   discover_result **out, diag *d);

/* Scenario discovery on an ensemble's paths kept in `sample` (pathsample_collect on the same
 * spec and r): the inputs are the shock summaries of pathsample_summary up to the goal's
 * year, the outcome the goal's value on each path. Returns DIAG_OK with *out set, DIAG_DATA
 * (no shock, or PRIM refuses the data), DIAG_SOFTWARE (memory). */
int discover_ensemble(const discover_spec *spec, const ensemble_spec *ensemble, const pathsample *sample,
                      const run *r, const goals_set *goals, discover_result **out, diag *d);

/* Frees a result; NULL is a no-op. */
void discover_result_free(discover_result *res);

#endif
