/* sim_internal.h: what the files of the simulation share (sim.c, sim_nowcast.c); not for
 * other modules. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include "sim.h"

/* The index of cell (slot, t) in the plan's arrays. */
static inline size_t sim_cell(const sim_plan *plan, size_t slot, size_t t)
{
    return slot * plan->years + t;
}

/* Nowcast consistency (sim.h, sim_plan_build): solves for the one assumed exogenous input of
 * an observed equation cell, marks it derived, and lists the projection years' assumptions the
 * data replaced in plan->overrides. Runs after the observations, assumptions and initial
 * values are placed and before the inputs are checked. A value that no input within its range
 * can give is a warning in d, and the assumption stays. Returns DIAG_OK or DIAG_SOFTWARE (out
 * of memory). */
int sim_nowcast(sim_plan *plan, const scenario *s, diag *d);

/* Marks the cells before start that an equation computes from at least one assumption as
 * SIM_ORIGIN_ESTIMATED (after the inputs are checked). */
void sim_mark_estimates(sim_plan *plan);

#endif
