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
 * with a single value adds nothing. At least CALIBRATE_MIN_DOF degrees of freedom are needed. */
#ifndef CALIBRATE_H
#define CALIBRATE_H

#include <stddef.h>

#include "diag.h"
#include "ensemble.h"
#include "run.h"

/* Fewest degrees of freedom (values - places) an estimated sd may rest on. */
#define CALIBRATE_MIN_DOF 2

/* Sets dist.sd and the calibration_* counts of every shock of spec marked calibrated, from
 * r's history (peers[0..peer_count) are pooled in for ENSEMBLE_CALIBRATE_HISTORY_PEERS).
 * Returns DIAG_OK; DIAG_DATA at the shock when its series has too few observations (the
 * message says how many, for which places and years, and to give "sd" or add figures);
 * nothing to do without a calibration. */
int calibrate_history(ensemble_spec *spec, const run *r, const char *const *peers, size_t peer_count, diag *d);

#endif
