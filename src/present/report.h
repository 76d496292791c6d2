/* report.h: what a run shows and writes: the projection table on stdout, projection.csv (DESIGN §7);
 * summary.json is summary.h's. */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "output.h"
#include "run.h"

/* The one-letter mark of an origin in printed tables: o observed, d derived, n interpolated,
 * i initial, p projected (peers); a space for computed or assumed values. */
char report_origin_flag(sim_origin origin);

/* Prints the projection table: one row per variable and exogenous series (label and unit),
 * one column per year from start-1 to end, aligned by display width (Chinese labels are two
 * columns a character), with a legend for observed/derived/initial cells. */
void report_projection_table(FILE *out, const run *r);

/* Writes projection.csv: scenario,variable,year,value,origin for every variable and exogenous
 * series with a value, from its first value (history) to end. Values in the slot's unit. */
void report_projection_csv(FILE *f, const run *r);

/* Prints one line per assumption of a projection year that the data replaced (sim_override):
 * "2023: the scenario assumed gdp_deflator_growth 1.50%, the data says 1.20% (derived from the
 * observed gdp) [data/observations.csv:12]". Nothing when there is none. */
void report_overrides(FILE *out, const run *r);

#endif
