/* sweep_bench.h: a Sobol' sweep built for `make bench` (bench.c). */
#ifndef SWEEP_BENCH_H
#define SWEEP_BENCH_H

#include <stddef.h>

#include "diag.h"
#include "run.h"

/* A Sobol' sweep of the first 8 inputs of r's model (parameters, then exogenous series, each
 * over the model's [min, max] or the scenario value +-20% where the model has no bound) with
 * N = n base rows (a power of two; 2^14 for the benchmark) and B = 1000 bootstrap resamples,
 * on fiscal_revenue, gdp and construction_tax at the scenario's end year (whichever exist).
 * Quiet; fills the wall-clock seconds of the model runs and of the analysis (indices and
 * bootstrap). Returns a DIAG_ status. */
int bench_sweep_sobol(const run *r, size_t n, int threads, double *run_seconds, double *analysis_seconds, diag *d);

#endif
