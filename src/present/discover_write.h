/* discover_write.h: scenario discovery (discover.h) for people and files: discovery.csv (the
 * boxes, one row per restricted input), discovery-peeling.csv (each box's peeling
 * trajectory), the plain sentence per box on the terminal, the charts (the peeling trajectory
 * as coverage against density; pair scatter plots of the restricted inputs with the box), and
 * the "discovery" object of summary.json (summary.h: summary_discover). Coverage, density and
 * mass are fractions (shown in percent); limits are in each input's unit. Other writers (the
 * HTML report) take the boxes from summary.json or from discover_sentence. */
#ifndef DISCOVER_WRITE_H
#define DISCOVER_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "charts.h"
#include "diag.h"
#include "discover.h"
#include "output.h"
#include "run.h"

/* The plain sentence of box b (0-based) into buf (size bytes, always terminated, cut to fit),
 * e.g. "goal revenue-2023 (一般公共预算收入 50 亿元, 2023) is missed in 92% of the runs where
 * gdp_real_growth is below 6.10% and revenue_buoyancy is from 1.20 to 1.40 (this box holds 71%
 * of all misses; 30% of all runs are in it)". Text from files is put in raw: escape it for
 * where it goes (text_safe on a terminal). */
void discover_sentence(char *buf, size_t size, const discover_result *res, size_t b);

/* The "情景发现" section of report.html (a report_html_extra writer; arg is the
 * discover_result): one paragraph per box with its sentence, or why there is none, every text
 * escaped for HTML. */
void discover_write_html(FILE *f, const void *arg);

/* Writes discovery.csv and discovery-peeling.csv into the batch. Returns a DIAG_ status. */
int discover_write(output_batch *batch, const discover_result *res, diag *d);

/* Prints what was searched and one sentence per box (or why there is none) on out. */
void discover_print(FILE *out, const discover_result *res);

/* Draws, into the batch's charts/, the peeling trajectory of each box (plots/prim-peeling.gp:
 * charts/discover-peeling-<b>) and, for each box, the scatter of each pair of its restricted
 * inputs (at most the first 3 pairs; one restricted input is drawn against the run index)
 * with the box (plots/prim-scatter.gp: charts/discover-box<b>-<i>-<j>). Appends them to list.
 * Same returns as sweep_write_charts. */
int discover_write_charts(output_batch *batch, const discover_result *res, const run *r, const charts_options *o,
                          charts_list *list, diag *d);

#endif
