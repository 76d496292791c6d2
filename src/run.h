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
    history *history;  /* NULL when the scenario has none */
    sim_plan *plan;
    double *values;    /* [slot * plan->years + t] after run_simulate; NULL before */
} run;

/* Loads a scenario file, the model and history it names, and builds the plan. Nothing is
 * simulated. Returns NULL with the error in d (see scenario_load, model_load, history_load,
 * sim_plan_build for the located messages). */
run *run_load(const char *scenario_path, diag *d);

/* Computes the deterministic path into r->values (replacing an earlier one). */
int run_simulate(run *r, diag *d);

/* Frees everything the run owns; NULL is a no-op. */
void run_free(run *r);

/* The value of `name` in `year` on the path (in the slot's unit), or NaN when the name is
 * unknown, the year out of storage, or the cell has no value. */
double run_value(const run *r, const char *name, int year);

/* The same by slot index. */
double run_slot_value(const run *r, int slot, int year);

#endif
