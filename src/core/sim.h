/* sim.h: the time loop. A plan binds a model to a scenario and its history once (which cell
 * is observed, assumed, derived or computed, every year); runs then evaluate the compiled
 * equations over blocks of paths without any lookups.
 *
 * Storage is values[slot][year][lane]: for one deterministic path lanes == 1; ensembles and
 * sweeps run blocks of many lanes so that each equation's instructions loop over contiguous
 * doubles. */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>

#include "diag.h"
#include "history.h"
#include "model.h"
#include "scenario.h"

/* How a cell (slot, year) gets its value. */
typedef enum sim_mode {
    SIM_MODE_NONE = 0, /* no value (before the data starts, or a gap in history) */
    SIM_MODE_FIXED,    /* given: observation, initial value, assumption or parameter */
    SIM_MODE_EQUATION, /* computed by the variable's equation */
    SIM_MODE_GROWTH    /* previous year's value times (1 + observed growth rate in base) */
} sim_mode;

/* Where a cell's value comes from; written to outputs (DESIGN §7 "origin"). */
typedef enum sim_origin {
    SIM_ORIGIN_NONE = 0,
    SIM_ORIGIN_OBSERVED,     /* an observation in the history file */
    SIM_ORIGIN_DERIVED,      /* previous level times an observed growth rate */
    SIM_ORIGIN_INTERPOLATED, /* between two observations (peer series) */
    SIM_ORIGIN_INITIAL,      /* the scenario's "initial" */
    SIM_ORIGIN_ASSUMED,      /* a scenario assumption or the model's default value */
    SIM_ORIGIN_MODEL,        /* computed by the equation */
    SIM_ORIGIN_PROJECTED,    /* a peer's value past its data, at the growth its scenario states
                                (peers.h); never used for the home place's run */
    SIM_ORIGIN_ESTIMATED     /* before start, computed by an equation from at least one
                                assumption (a ragged edge: construction output after its last
                                observation): an estimate, never history */
} sim_origin;

/* The word written to outputs for an origin: "observed", "derived", "interpolated",
 * "initial", "assumed", "model", "projected", "estimated" (or "" for none). */
const char *sim_origin_name(sim_origin origin);

/* An exogenous value of a projection year (start..end) that the data replaced: observed
 * itself, or derived from an observed variable (nowcast consistency, sim_plan_build). */
typedef struct sim_override {
    int slot;                /* the exogenous series */
    int year;
    double assumed;          /* what the scenario assumed (or the model's default), its unit */
    double data;             /* what the data says */
    int solved_from;         /* the variable whose observed value it was solved from; -1: observed */
    int by_scenario;         /* 1: the scenario's assumption; 0: the model's default value */
    const history_row *row;  /* the observation behind it */
} sim_override;

typedef struct sim_plan {
    const model *model;       /* not owned */
    int first_year;           /* first year stored (earliest data or lag) */
    int start, end;           /* the scenario horizon */
    size_t years;             /* end - first_year + 1 */
    size_t compute_from;      /* first year index in which some equation runs */
    double *base;             /* [slot * years + t]: fixed values; growth rate for GROWTH cells */
    unsigned char *mode;      /* [slot * years + t]: sim_mode */
    unsigned char *origin;    /* [slot * years + t]: sim_origin */
    const history_row **source; /* [slot * years + t]: the row behind observed/derived cells */
    unsigned char *used;      /* [slot * years + t]: 1 when a computed cell reads it */
    sim_override *overrides;  /* the projection years' assumptions the data replaced, by year then
                                 slot; NULL when none */
    size_t override_count;
} sim_plan;

/* Binds model, scenario and (optional) history into a plan. The inputs are validated first
 * (validate_scenario: names, kinds, ranges, years; run_load does it); names the model does not
 * know are ignored here. Applies rule 1 of DESIGN §4 (an observation overrides the
 * equation in any year, ragged edges included: after a variable's last value before start,
 * its equation fills the years up to start), and checks that every equation cell can read
 * all its inputs, so runs never meet a missing value. Errors name the variable, the year and
 * what is missing. Returns NULL with the error in d. The plan keeps pointers to m and h.
 *
 * Nowcast consistency: where a variable is observed in a year in which its equation reads
 * exactly one assumed exogenous series in that same year and every other input is a fixed
 * value (an observation, an initial value, a parameter), that series is solved for (Brent's
 * method within its plausible range, range.h, or a wide bracket around the assumption on an open
 * side) so that the equation gives the observation, and
 * marked derived: observed nominal GDP, last year's GDP and real growth give the deflator's
 * growth, and the real growth of GDP then equals the observed one. When no value in the range
 * does, a warning says so and the assumption stays. A projection year's assumption replaced by
 * the data (observed or derived) is listed in plan->overrides. Before start, a value computed
 * by an equation from at least one assumption (or estimate) is marked estimated; one computed
 * from data alone stays "model". */
sim_plan *sim_plan_build(const model *m, const scenario *s, const history *h, diag *d);

/* How a plan is built when it is not the scenario's own run (the back-test's origins). */
typedef struct sim_plan_options {
    int start, end;   /* the horizon (end >= start); 0: the scenario's */
    int carry_back;   /* 1: in a year before the scenario's own start that an exogenous series'
                         assumption does not cover, the series takes its assumed value of the
                         scenario's start year (the first span, carried back) */
    int initial_at;   /* > 0: an initial series with no value in this year takes the earliest
                         value it has in a later year (the price base moves to the origin: the
                         deflator is 1 there, and no later value anchors the run) */
    int partial;      /* 1: an equation cell with a missing input gets no value, and neither do
                         the cells that read it, instead of an error (those variables are simply
                         not projected) */
} sim_plan_options;

/* sim_plan_build under options (NULL: the scenario's own run, exactly sim_plan_build). */
sim_plan *sim_plan_build_with(const model *m, const scenario *s, const history *h, const sim_plan_options *o,
                              diag *d);

/* The first year a plan of s stores: the earliest of start - the model's largest lag, the
 * observations of model names for the scenario's place (up to end; h may be NULL), and the
 * initial values. Assumptions for earlier years would never be read. */
int sim_first_year(const model *m, const scenario *s, const history *h);

/* Frees the plan (not the model or history); NULL is a no-op. */
void sim_plan_free(sim_plan *plan);

/* A deep copy that can be changed independently (goal seek, sweeps); NULL when out of memory. */
sim_plan *sim_plan_clone(const sim_plan *plan);

/* 1 when cell (slot, t) belongs in outputs: it has a value and is data (observed, derived,
 * initial), computed, an assumption that some computed cell reads, or in the horizon.
 * Parameters are reported separately, never as series. */
int sim_plan_cell_shown(const sim_plan *plan, size_t slot, size_t t);

/* Index of `year` in storage, or -1 outside [first_year, end]. */
int sim_plan_year_index(const sim_plan *plan, int year);

/* Sets a parameter (every year; from/to ignored) or an exogenous series in years from..to
 * (inclusive, clipped to storage; observed and derived years keep the data's value) to `value`.
 * Returns DIAG_OK, or DIAG_SOFTWARE when slot is a variable (a caller's mistake). */
int sim_plan_set_input(sim_plan *plan, int slot, int from_year, int to_year, double value);

/* Doubles needed for a block of `lanes` paths: values (slots * years * lanes) and scratch. */
size_t sim_block_values_size(const sim_plan *plan, size_t lanes);
size_t sim_block_scratch_size(const sim_plan *plan, size_t lanes);

/* Fills values[slot][year][lane] from the plan's base (every lane the same). */
void sim_block_init(const sim_plan *plan, size_t lanes, double *values);

/* Computes every EQUATION and GROWTH cell, year by year in dependency order, in place.
 * Inputs (FIXED cells) may differ per lane (shocks, samples). Thread-safe for distinct
 * values/scratch. */
void sim_block_run(const sim_plan *plan, size_t lanes, double *values, double *scratch);

/* One deterministic path: allocates *values (slots * years, caller frees with mem_free),
 * runs it, and checks that every computed cell is finite; a non-finite result is an error
 * (DIAG_SOFTWARE) naming the variable and year. */
int sim_run_path(const sim_plan *plan, double **values, diag *d);

#endif
