/* workbook.h: workbook.xlsx, the results as a spreadsheet for Excel and WPS users (issue 14),
 * written with libxlsxwriter. The CSV files stay the files for tools; the workbook is the one
 * for people: sheet names and labels in the chosen language (i18n.h: English, or Chinese with
 * --lang zh), numbers as numbers with formats (亿元 with two
 * decimals, rates as percentages) rather than 17-digit text, native line charts a planner can
 * restyle, and frozen header panes.
 *
 * Sheets of a scenario's workbook, in order (a sheet whose part is missing is left out), by
 * their Chinese names (English: Projection, Goals, Peer counties, Uncertainty, Shocks ranked
 * (PAWN), Sensitivity, Scenario discovery, Scenario comparison, Assumptions, About):
 *   预测      wide: one row per variable and exogenous series (name, label, unit), one column
 *             per year; the values of projection.csv exactly (full double precision, shown by
 *             the format), observed and derived cells shaded; line charts of GDP, fiscal
 *             revenue and construction output (the run's chart variables when those are
 *             missing) with their goals as markers;
 *   目标      the goals: target, value, met, first year met, the instrument value that meets it,
 *             the probability when an ensemble ran; below it, the goal marker rows the charts
 *             read;
 *   同类县市  the peers, one block per variable: places by years, with origins and ranks;
 *   不确定性  the ensemble's mean, sd and quantiles per variable and year;
 *   冲击排序  a risk run's shocks ranked by PAWN for each goal, with their noise thresholds;
 *   敏感性    a sweep's indices per output and parameter;
 *   情景发现  scenario discovery: each box (coverage, density, mass, the plain sentence), then
 *             each restricted input's range in its unit and its qp-values;
 *   情景对比  several scenarios side by side (compare_table.h);
 *   假设      each assumption by year, with its note and where it was set;
 *   说明      the run: scenario, files, years, seed, paths, econsim's version, how to read it.
 * Every text from a file is written as a string cell, never as a formula, whatever it starts
 * with (=, +, -, @). The document's created date is SOURCE_DATE_EPOCH (else 1970-01-01 00:00:01),
 * so the same run gives the same bytes. */
#ifndef WORKBOOK_H
#define WORKBOOK_H

#include <stddef.h>

#include "charts.h"
#include "compare_table.h"
#include "diag.h"
#include "discover.h"
#include "ensemble.h"
#include "goals.h"
#include "output.h"
#include "pawnrank.h"
#include "peers.h"
#include "run.h"
#include "sweep.h"

/* What goes into a workbook; NULL parts are left out. For the combined workbook of several
 * scenarios, run is the first scenario and comparison is set. Nothing is owned. */
typedef struct workbook_input {
    const run *run;                   /* simulated */
    const goals_set *goals;
    const peers_comparison *peers;
    const ensemble_result *ensemble;
    const sweep_result *sweep;
    const pawnrank_result *pawn;      /* a risk run's shocks ranked by PAWN (needs goals) */
    const discover_result *discovery; /* a sweep's or a risk run's boxes */
    const charts_options *charts;     /* the chart variables, when GDP and the others are missing */
    const compare_table *comparison;  /* several scenarios: the combined workbook */
} workbook_input;

/* Writes the workbook as file `name` (a plain name such as "workbook.xlsx") of the batch.
 * Returns DIAG_OK; DIAG_IO (or DIAG_CANT_CREATE) with libxlsxwriter's reason in d when the
 * file cannot be written; DIAG_SOFTWARE when memory runs out. */
int workbook_write(output_batch *batch, const char *name, const workbook_input *in, diag *d);

#endif
