/* side_by_side.h: several scenarios run together (`econsim run A B`), printed side by side:
 * one table per variable, a column per scenario, and the difference when there are two. */
#ifndef SIDE_BY_SIDE_H
#define SIDE_BY_SIDE_H

#include <stddef.h>
#include <stdio.h>

#include "run.h"

/* Prints, for each of the `count` model names in `variables` (the first scenario's chart
 * variables), a table of its values year by year over every scenario's horizon, one column
 * per simulated run in runs (their names as headers), with the flags of the projection table
 * (o observed, d derived, ...; none for computed) and, for two scenarios, their difference
 * (second minus first, in the variable's unit: 亿元, or percentage points for a rate). A
 * variable a scenario's model lacks is left blank there. Strings are printed escaped. */
void side_by_side_print(FILE *out, const run *const *runs, size_t count, char *const *variables, size_t n);

#endif
