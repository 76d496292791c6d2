/* ensemble_write.h: an ensemble's results (ensemble.h) for people and files: the compact
 * table on stdout, ensemble.csv (DESIGN §7), the fan charts, and the "ensemble" object of
 * summary.json. Values are in each variable's unit (fractions for rates, shown in percent). */
#ifndef ENSEMBLE_WRITE_H
#define ENSEMBLE_WRITE_H

#include <stdio.h>

#include "charts.h"
#include "diag.h"
#include "ensemble.h"
#include "goals.h"
#include "output.h"
#include "run.h"

/* The names of the quantile columns in ensemble.csv and summary.json ("p05" ... "p95"), in
 * the order of ensemble_quantile_levels. */
extern const char *const ensemble_quantile_columns[ENSEMBLE_QUANTILES];

/* Writes ensemble.csv: scenario,variable,year,mean,sd,p05,p10,p25,p50,p75,p90,p95, one row
 * per cell, numbers round-tripping, in the variable's unit (fractions for rates). */
void ensemble_write_csv(FILE *f, const ensemble_result *result, const run *r);

/* Prints the compact table: for each variable that varies, its median and 5-95% band in the
 * start year, each goal year and the end year (at most 6 years); then each goal's probability
 * of being met. */
void ensemble_print_table(FILE *out, const ensemble_result *result, const ensemble_spec *spec, const run *r,
                          const goals_set *goals);

/* Writes a fan chart (plots/fan.gp) for each variable of the chart options (o->variables)
 * and each variable of a level goal, when the ensemble moves it: charts/fan-NAME.gp and its
 * image, with the 5-95, 10-90 and 25-75% bands, the median, the history before start, and
 * each level goal on the variable with its probability of being met. Appends them to list.
 * Nothing when o->enabled is 0. Returns as charts_writer_begin / charts_writer_add (a chart
 * gnuplot cannot draw is a warning). */
int ensemble_write_charts(output_batch *batch, const ensemble_result *result, const ensemble_spec *spec,
                          const run *r, const goals_set *goals, const charts_options *o, charts_list *list, diag *d);

#endif
