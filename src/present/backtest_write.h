/* backtest_write.h: a back-test's results (backtest.h) for people and files: backtest.csv,
 * backtest-summary.csv, the summary.json part, the table on stdout that leads with the plain
 * answer, and the hedgehog charts (the actuals with each origin's projection branching off).
 *
 * backtest.csv: scenario,variable,origin,year,horizon,forecast,actual,error,pct_error,
 *   actual_origin,carried_back,naive,trend. One row per point compared; error = forecast -
 *   actual in the variable's unit (亿元 nominal for money), pct_error = error / actual (a
 *   fraction); actual_origin "observed" or "derived" (from an observed growth rate);
 *   carried_back 1 when the run used an assumption carried back before the scenario's start;
 *   naive (no change in growth) and trend (log-linear) are the benchmark forecasts of the same
 *   point, empty when there were fewer than two actuals up to the origin. With an uncertainty
 *   block, also p05,p50,p95 (the ensemble's quantiles of the projection) and pit (the share of
 *   paths below the actual).
 * backtest-summary.csv: variable,unit,horizon,n,bias,mae,mape,rmse,theil_u,u_trend,hit_rate,
 *   coverage_50,coverage_90. One row per variable and horizon; bias, mae and rmse in the unit,
 *   mape, hit_rate and coverages as fractions; theil_u = RMSE / RMSE of the no-change
 *   forecast (below 1: better than assuming no change), u_trend the same against the trend.
 *   Empty where undefined (n = 0, no benchmark); the coverages (shares of points whose pit lies
 *   in [0.25, 0.75] and [0.05, 0.95]) only with an uncertainty block. */
#ifndef BACKTEST_WRITE_H
#define BACKTEST_WRITE_H

#include <stdio.h>

#include "backtest.h"
#include "charts.h"
#include "diag.h"
#include "output.h"

/* Writes backtest.csv and backtest-summary.csv into the batch (the caller commits). Returns a
 * DIAG_ status. */
int backtest_write(const backtest_result *res, output_batch *batch, diag *d);

/* Writes backtest.csv's rows to f (the header first). */
void backtest_write_rows(FILE *f, const backtest_result *res);

/* Writes backtest-summary.csv to f (the header first). */
void backtest_write_summary(FILE *f, const backtest_result *res);

/* Prints the plain answer first, one line per variable ("GDP two years ahead: off by 3.8% on
 * average (n = 5), 1.4 times better than assuming no change"), then the table of scores and,
 * for each horizon without a point, that there was nothing to compare. */
void backtest_print(FILE *out, const backtest_result *res);

/* Draws one hedgehog chart per variable with points into the batch's charts/ folder
 * (charts.h, plots/hedgehog.gp) and, with bands, the PIT histogram of every point that has
 * one (plots/pit.gp, charts/backtest-pit), and appends them to list. Same returns as
 * charts_write_run. */
int backtest_write_charts(const backtest_result *res, output_batch *batch, const charts_options *o,
                          charts_list *list, diag *d);

#endif
