/* calibrate.h: shock sizes from history. An uncertainty block may say "calibrate": "history"
 * (or "history-peers"); every normal shock it leaves without an "sd" then gets the standard
 * deviation that the observed values of its series show, so the bands of a fan chart come from
 * the county's own record rather than a guess. An explicit "sd" always wins.
 *
 * The estimate: the sample standard deviation of the observed values of the shocked series
 * (rows of the observations file whose indicator is the series itself, e.g. the published
 * real growth rates of gdp_real_growth), for the scenario's place, up to its as-of year; with
 * "history-peers" pooled over the place and the peers of the peers block, each place about its
 * own mean: sd = sqrt(sum over places of sum (x - mean_place)^2 / (values - places)). A place
 * with a single value adds nothing. At least CALIBRATE_MIN_DOF degrees of freedom are needed.
 *
 * "calibrate": "backtest" gives all those shocks one sd, the smallest in [CALIBRATE_SD_MIN,
 * CALIBRATE_SD_MAX] with which the back-test (backtest.h: the scenario's default origins and
 * horizons 1-5, its data as of its as-of year, its ensemble at every origin) has at least 90% of
 * its points inside their 90% bands: bisection on the sd, with the same seed at every step, so
 * the coverage grows with the sd. It needs CALIBRATE_MIN_POINTS points with a band. */
#ifndef CALIBRATE_H
#define CALIBRATE_H

#include <stddef.h>

#include "diag.h"
#include "ensemble.h"
#include "run.h"

/* Fewest back-test points with a band that "calibrate": "backtest" accepts. */
#define CALIBRATE_MIN_POINTS 8
/* The sds "backtest" searches between (a fraction: 0.0001 to 1 is 0.01 to 100 points). */
#define CALIBRATE_SD_MIN 1e-4
#define CALIBRATE_SD_MAX 1.0
/* The search stops when the bracket is this narrow relative to its upper end. */
#define CALIBRATE_SD_RTOL 1e-3

/* Fewest degrees of freedom (values - places) an estimated sd may rest on. */
#define CALIBRATE_MIN_DOF 2

/* Sets dist.sd and the calibration_* counts of every shock of spec marked calibrated, from
 * r's history (peers[0..peer_count) are pooled in for ENSEMBLE_CALIBRATE_HISTORY_PEERS).
 * Returns DIAG_OK; DIAG_DATA at the shock when its series has too few observations (the
 * message says how many, for which places and years, and to give "sd" or add figures);
 * nothing to do without a calibration. */
int calibrate_history(ensemble_spec *spec, const run *r, const char *const *peers, size_t peer_count, diag *d);

/* "calibrate": "backtest" (above): sets dist.sd of every calibrated shock, and
 * spec->calibration_scale, _points and _coverage. Returns DIAG_OK (nothing to do without that
 * calibration); DIAG_DATA at $.uncertainty.calibrate when the back-test has fewer than
 * CALIBRATE_MIN_POINTS points (the message says how many and suggests "history"), or when
 * even CALIBRATE_SD_MAX does not reach 90%; the back-test's own errors. */
int calibrate_backtest(ensemble_spec *spec, const run *r, int threads, diag *d);

#endif
