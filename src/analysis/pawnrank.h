/* pawnrank.h: given-data sensitivity of a risk run: the shocks of an ensemble ranked, for
 * each goal, by PAWN (pawn.h), a measure that needs no special design, from the paths
 * themselves (the "pawn" key of the uncertainty block).
 *
 * Inputs are the shock summaries of pathsample_summary up to each goal's year (a parameter's
 * value on the path, a series' mean from start to the goal's year); the output is the goal's
 * value on the path (its unit; a fraction for growth goals). Goals whose value is the same on
 * every path are skipped. Each index comes with its noise threshold (the 95% quantile of 200
 * random slicings, seeded from the ensemble's seed), so a shock below it is not shown to
 * matter. Deterministic: the result does not depend on the thread count. */
#ifndef PAWNRANK_H
#define PAWNRANK_H

#include <stddef.h>

#include "diag.h"
#include "ensemble.h"
#include "goals.h"
#include "pathsample.h"
#include "pawn.h"

typedef struct pawnrank_goal {
    size_t goal;             /* index in the scenario's goals */
    pawn_index *index;       /* [k] in the order of the shocks */
    size_t *order;           /* [k] shocks, largest PAWN value first (ties: block order) */
    char (*summary)[96];     /* [k] how each input was formed (pathsample_summary) */
} pawnrank_goal;

typedef struct pawnrank_result {
    size_t n, k, slices;
    unsigned long seed;
    const char **names;      /* [k] the shocks' names (owned by the spec) */
    pawnrank_goal *goals;    /* the goals ranked */
    size_t goal_count;
} pawnrank_result;

/* Ranks spec's shocks for every goal whose value varies over the paths of `sample`, with
 * spec->pawn_slices slices. Returns DIAG_OK with *out set (pawnrank_free; *out is NULL when
 * spec->pawn_slices is 0, or, with a warning in d, when there are fewer than
 * PAWN_MIN_RUNS_PER_SLICE x slices paths), DIAG_DATA when there is no shock, DIAG_SOFTWARE
 * (memory). threads: for the
 * dummy slicings (0: all cores). */
int pawnrank_run(const ensemble_spec *spec, const pathsample *sample, const goals_set *goals, int threads,
                 pawnrank_result **out, diag *d);

/* Frees the result; NULL is a no-op. */
void pawnrank_free(pawnrank_result *res);

#endif
