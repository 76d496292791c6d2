/* charts_run.h: the charts of a run (DESIGN §7), through the chart API (charts.h): one chart
 * per chosen variable (history solid, projection dashed, goals at their year, later goals as
 * reference lines), the goals (value reached as a share of each target, met and unmet apart),
 * the peers (home highlighted, the years the order changes marked) and, for several
 * scenarios, one overlay per variable. */
#ifndef CHARTS_RUN_H
#define CHARTS_RUN_H

#include <stddef.h>

#include "charts.h"
#include "diag.h"
#include "goals.h"
#include "output.h"
#include "peers.h"
#include "run.h"

/* Writes the charts of one scenario into `batch` (charts/ under its folder) and appends them
 * to list: a trajectory per variable of o, then the goals chart when goals has any (NULL: none),
 * then one peers chart per variable of the comparison (NULL: none). Nothing happens when
 * o->enabled is 0. Returns DIAG_OK (chart failures and a missing gnuplot are warnings in d);
 * DIAG_UNAVAILABLE when o->required and gnuplot is not found; DIAG_NO_INPUT when the
 * templates are missing and o->required (else a warning); DIAG_CANT_CREATE or DIAG_IO when a
 * file cannot be written; DIAG_SOFTWARE when memory runs out. */
int charts_write_run(output_batch *batch, const run *r, const goals_set *goals, const peers_comparison *peers,
                     const charts_options *o, charts_list *list, diag *d);

/* Writes one comparison chart per variable of o ("compare-gdp") overlaying the scenarios
 * runs[0..count), each labelled by its title, into `batch` (charts/ under its folder), with the
 * goals of `goals` (the first scenario's; NULL: none) on that variable marked as on a
 * trajectory (a marker at the goal's year and level, a reference line for a later year). A
 * scenario whose model lacks a variable is left out of that chart with a warning. Same
 * returns as charts_write_run. */
int charts_write_comparison(output_batch *batch, const run *const *runs, size_t count, const goals_set *goals,
                            const charts_options *o, charts_list *list, diag *d);

#endif
