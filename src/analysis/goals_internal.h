/* goals_internal.h: private to the goals module (goals.c, goals_seek.c): the engine that runs
 * the whole model again for every trial value of an instrument, on a private copy of the plan,
 * and the measures both files take on its paths. Not part of the API: goals.h is. */
#ifndef GOALS_INTERNAL_H
#define GOALS_INTERNAL_H

#include "goals.h"
#include "sim.h"

/* A private copy of the plan and buffers for repeated runs. */
typedef struct goals_engine {
    const run *r;
    sim_plan *plan;
    double *values;
    double *scratch;
    int evaluations;
    double tried;     /* the instrument value of the last run (NaN before one) */
    int broke;        /* 1 once a run computed a value that is not a finite number */
    double broke_at;  /* ... the instrument value of that run */
    int broke_slot;   /* ... and the first cell that went non-finite */
    int broke_year;
    double broke_value; /* ... and what it was (NaN or an infinity) */
} goals_engine;

/* Opens an engine on r: a private copy of its plan and the buffers of one path. Returns
 * DIAG_OK, or DIAG_SOFTWARE (out of memory) with the engine zeroed. */
int goals_engine_open(goals_engine *e, const run *r, diag *d);

/* Frees what the engine holds and zeroes it; a zeroed engine is a no-op. */
void goals_engine_close(goals_engine *e);

/* Puts x into the plan as the goal's instrument, held as goals_instrument_years says. */
void goals_engine_set(goals_engine *e, const goals_goal *goal, double x);

/* Runs the model; the first run whose computed values are not all finite numbers is recorded
 * (the instrument value, and the first variable and year that broke), so the seek can stop
 * with a message instead of handing a NaN to GSL. */
void goals_engine_run(goals_engine *e);

/* The error for a seek whose model broke down: the goal, the instrument value tried and the
 * variable that went non-finite (DIAG_SOFTWARE: a numerical failure, exit 70). */
int goals_engine_breakdown(const goals_engine *e, const goals_goal *goal, diag *d);

/* The goal's measure in `year` on a path: the level, or the growth over the year before.
 * NaN when a cell has no value. */
double goals_measure(const goals_goal *goal, const sim_plan *plan, const double *values, int year);

/* The instrument's value in the scenario: in the start year (a parameter: its value). */
double goals_current_instrument(const goals_goal *goal, const run *r);

/* goals_met_rule for the goal's direction and target. */
int goals_is_met(const goals_goal *goal, double value);

#endif
