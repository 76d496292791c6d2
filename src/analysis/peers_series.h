/* peers_series.h: a yearly series of one place and variable built from sparse observations
 * (the first layer of the peer comparison, peers.h): observed levels, levels chained from
 * observed growth rates (forwards and backwards, origin "derived"), log-linear interpolation
 * between two levels (origin "interpolated"); never an extrapolation.
 *
 * The data are sparse and uneven: 长垣市 has two levels five years apart, 辉县市 one level and
 * three growth rates, one of which has no level beside it. So every value carries its origin,
 * and every step that fills a year says so.
 *
 * Units: values are in the variable's unit (亿元 for money, nominal); growth rates are
 * fractions a year (0.08 = 8%); years are calendar years. */
#ifndef PEERS_SERIES_H
#define PEERS_SERIES_H

#include <stddef.h>

#include "diag.h"
#include "history.h"
#include "sim.h"

/* An observed growth rate disagrees with the two levels around it when the growth they imply
 * differs by more than this (a tenth of a percentage point: published rates are rounded to
 * 0.1%, and often measured on a comparable basis that the levels do not share). */
#define PEERS_GROWTH_TOLERANCE 0.001

/* One observation of one place and variable. */
typedef struct peers_observation {
    int year;
    history_kind kind;      /* HISTORY_LEVEL: the value that year; HISTORY_GROWTH: growth over year-1 */
    double value;           /* level in the variable's unit, or growth as a fraction */
    const history_row *row; /* where it comes from (source, grade), or NULL */
} peers_observation;

/* A yearly series of one place and variable over storage years first_year..first_year+years-1. */
typedef struct peers_series {
    int first_year;
    size_t years;
    double *value;              /* [t]: in the variable's unit; NaN where there is no value */
    unsigned char *origin;      /* [t]: a sim_origin; SIM_ORIGIN_NONE where there is no value */
    const history_row **source; /* [t]: the row behind an observed or derived value, else NULL */
    size_t level_count;         /* levels observed in the storage years */
    size_t growth_count;        /* growth rates observed in the storage years */
    int first_value_year;       /* first and last year with a value; 0 when there is none */
    int last_value_year;
    int *unchained_years;       /* years of growth rates that gave no level (no level next to */
    size_t unchained_count;     /* them to chain from), in increasing order */
} peers_series;

/* Builds the series of one place and variable over first_year..last_year from its
 * observations (any order; those outside the years are ignored):
 *   - a level is "observed";
 *   - a growth rate g(t) chains a known level: level(t) = level(t-1)·(1+g(t)) forwards, and
 *     level(t-1) = level(t)/(1+g(t)) backwards; "derived", and chains go on from derived
 *     levels. Forwards runs first, so where both could fill a year the forward value stands;
 *   - a gap between two levels a < b (both > 0) is filled log-linearly:
 *     v(t) = v(a)·(v(b)/v(a))^((t-a)/(b-a)), "interpolated";
 *   - no value before the first or after the last level: never extrapolated.
 * A growth rate next to two levels that it did not chain is checked against them: when the
 * growth they imply differs by more than PEERS_GROWTH_TOLERANCE a warning goes to d, naming
 * `what` (e.g. "辉县市 fiscal_revenue"). A growth rate that could not chain (no level beside
 * it) is listed in unchained_years. Two levels or two growth rates in one year, a growth
 * rate <= -1, or a non-finite value: DIAG_DATA. Out of memory: DIAG_SOFTWARE. *out is
 * overwritten; release it with peers_series_release (also after a failure). */
int peers_series_build(const peers_observation *observations, size_t count, int first_year, int last_year,
                       const char *what, peers_series *out, diag *d);

/* Frees the arrays of a series and zeroes it; a zeroed series is a no-op. */
void peers_series_release(peers_series *series);

/* The value and origin in `year` (NaN and SIM_ORIGIN_NONE outside the storage years). */
double peers_series_value(const peers_series *series, int year);
sim_origin peers_series_origin(const peers_series *series, int year);

#endif
