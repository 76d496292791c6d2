/* pathsample.h: an ensemble's paths kept as a sample of inputs and outputs, for the analyses
 * that need per-path data rather than quantiles: scenario discovery (discover.h) and the
 * given-data sensitivity ranking (PAWN, pawn.h) of a risk run.
 *
 * Per path it keeps each shock's values (a parameter's one value; an exogenous series' values
 * from start to end, observed years as the path has them) and the value of each goal (the
 * goal's variable in its year, or its growth for a growth goal). It runs the paths again
 * (ensemble_simulate: the same draws as ensemble_run), writing each path's row only, so the
 * sample does not depend on the thread count; the ranks of an MPI job split the paths, and rank
 * 0 gathers them (pathsample.partial on the others). */
#ifndef PATHSAMPLE_H
#define PATHSAMPLE_H

#include <stddef.h>

#include "diag.h"
#include "engine.h"
#include "ensemble.h"
#include "goals.h"
#include "run.h"

typedef struct pathsample {
    size_t n;                /* paths */
    size_t k;                /* shocks */
    size_t horizon;          /* years start..end */
    int start;               /* the first year of the horizon */
    size_t goal_count;       /* goals (all of the scenario's) */
    double *shock;           /* [(path * k + j) * horizon + t]: shock j's value in year start + t
                                on the path (a parameter: the same in every t), in its unit */
    double *goal_value;      /* [path * goal_count + g]: goal g's value on the path (its unit;
                                a fraction for growth goals) */
    int partial;             /* 1: a rank of an MPI job other than 0, which computed only its
                                share of the paths (rank 0 holds them all): nothing to analyse */
} pathsample;

/* Runs the ensemble's paths of r (simulated) again and keeps the sample. Checks the memory
 * against the engine's budget first. Returns DIAG_OK with *out set (pathsample_free),
 * DIAG_INTERRUPTED, DIAG_SOFTWARE (memory, budget, a value that is not finite). */
int pathsample_collect(const ensemble_spec *spec, const run *r, const goals_set *goals, int threads,
                       const engine_progress *progress, pathsample **out, diag *d);

/* The summary of shock j on each path as an input a planner can read, into x[path * stride]:
 * a parameter's value; a series' mean over the years start..to_year (to_year clamped into the
 * horizon). Writes into *summary (size bytes) how it was formed: "value on the path", "value
 * in 2023 on the path", "mean 2023-2025 on the path". */
void pathsample_summary(const pathsample *s, const ensemble_spec *spec, size_t j, int to_year, double *x,
                        size_t stride, char *summary, size_t size);

/* Frees the sample; NULL is a no-op. */
void pathsample_free(pathsample *s);

#endif
