/* explain.h: what a model offers and what a scenario resolves to, in words (`econsim list`
 * and `econsim explain`). A planner who writes only 2023-24 in a scenario that extends a
 * baseline must be able to see that 2025-30 come from the baseline, with the baseline's note,
 * before trusting a single number. */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stdio.h>

#include "model.h"
#include "run.h"

/* Prints the slots of a model, grouped as parameters, exogenous series and variables, each
 * with its label, unit, plausible range (range.h: declared, default for a growth rate, or
 * none), default value or equation, and note. */
void explain_list_model(FILE *out, const model *m);

/* Prints what a scenario sets: its bounds, then a table of every parameter and exogenous
 * series resolved year by year from start to end (values in their unit, as the run uses
 * them; a mark tells observed o, the scenario's assumption *, or the model's default -). */
void explain_list_scenario(FILE *out, const run *r);

/* Prints the resolved scenario after extends: for each parameter and exogenous series (and
 * the initial values) every year from the first stored to end, grouped into runs of years
 * with the same value and the same source, with the value, the file and JSON path (or
 * observations line) that set it and the note that goes with that value. `slot` >= 0 explains
 * that one slot only (a variable: its initial values and observations, and the equation that
 * computes the other years). */
void explain_scenario(FILE *out, const run *r, int slot);

#endif
