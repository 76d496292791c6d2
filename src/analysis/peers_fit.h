/* peers_fit.h: trend fits of a place's levels (the second layer of the peer comparison,
 * peers.h): log-linear least squares (GSL) over the levels a place has, with a 95% interval
 * from Student's t; the exact CAGR for two levels. Growth rates are fractions a year. */
#ifndef PEERS_FIT_H
#define PEERS_FIT_H

#include <stddef.h>

#include "diag.h"
#include "peers_series.h"

typedef enum peers_fit_method {
    PEERS_FIT_NONE = 0,      /* fewer than two levels: no trend */
    PEERS_FIT_CAGR,          /* two levels: the exact compound annual growth, no interval */
    PEERS_FIT_LEAST_SQUARES  /* three or more: ln(value) = c0 + c1·year by least squares */
} peers_fit_method;

typedef struct peers_fit {
    peers_fit_method method;
    size_t points;         /* levels used */
    int first_year, last_year;
    double growth;         /* fraction a year: e^c1 - 1, or the CAGR; NaN when no fit */
    double low, high;      /* 95% interval of growth: e^(c1 ± t(0.975, n-2)·se) - 1; NaN unless least squares */
    double slope, slope_se; /* c1 (ln units a year) and its standard error (NaN unless least squares) */
} peers_fit;

/* Fits annual growth to `count` levels (years increasing, all distinct, values > 0 and
 * finite): n >= 3 least squares of ln(value) on the year with gsl_fit_linear, the interval
 * from the slope's standard error and gsl_cdf_tdist_Pinv(0.975, n-2); n == 2 the exact
 * CAGR (v1/v0)^(1/(y1-y0)) - 1; n < 2 PEERS_FIT_NONE. A GSL failure, an unsorted year or a
 * value <= 0 is an error (DIAG_SOFTWARE, DIAG_DATA). */
int peers_fit_levels(const int *years, const double *values, size_t count, peers_fit *fit, diag *d);

/* Fits the observed and derived levels of a series (interpolated values lie on a line
 * between their ends and would only feign precision; projected ones are not data). Levels
 * <= 0 are left out. Out of memory: DIAG_SOFTWARE. */
int peers_fit_series(const peers_series *series, peers_fit *fit, diag *d);

/* "log-linear least squares", "CAGR of two levels" or "none": in English, as summary.json
 * records it; marked for translation, so text for people shows it through _(). */
const char *peers_fit_method_name(peers_fit_method method);

#endif
