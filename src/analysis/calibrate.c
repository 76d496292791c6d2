/* calibrate.c: shock sizes from the observed variation of each series (calibrate.h). */
#include "calibrate.h"
#include "backtest.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Adds the observations of slot for `place` to the pooled sums: *values, *places (those with
 * two or more), *ss (squares about the place's mean), and their years to `years` (text). */
static void pool_place(const run *r, int slot, const char *place, size_t *values, size_t *places, double *ss,
                       char *years, size_t size)
{
    const history *h = r->history;
    double sum = 0;
    size_t n = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        double mean = n ? sum / (double)n : 0;
        for (size_t i = 0; i < h->count; i++) {
            const history_row *row = &h->rows[i];
            int growth_of;
            if (strcmp(row->place, place) ||
                model_indicator_slot(r->model, row->indicator, row->kind == HISTORY_GROWTH, &growth_of) != slot ||
                growth_of)
                continue;
            if (pass == 0) {
                sum += row->value;
                n++;
                size_t used = strlen(years);
                if (used + 32 < size)
                    snprintf(years + used, size - used, "%s%s %d", used ? ", " : "", place, row->year);
            } else if (n > 1) {
                *ss += (row->value - mean) * (row->value - mean);
            }
        }
    }
    if (n > 1) { /* a single value carries no variation */
        *values += n;
        (*places)++;
    }
}

int calibrate_history(ensemble_spec *spec, const run *r, const char *const *peers, size_t peer_count, diag *d)
{
    if (spec->calibrate != ENSEMBLE_CALIBRATE_HISTORY && spec->calibrate != ENSEMBLE_CALIBRATE_HISTORY_PEERS)
        return DIAG_OK;
    const char *home = r->scenario->history_place;
    for (size_t i = 0; i < spec->shock_count; i++) {
        ensemble_shock *shock = &spec->shocks[i];
        if (!shock->calibrated)
            continue;
        size_t values = 0, places = 0;
        double ss = 0;
        char years[512] = "";
        if (r->history && home) {
            pool_place(r, shock->slot, home, &values, &places, &ss, years, sizeof years);
            for (size_t p = 0; spec->calibrate == ENSEMBLE_CALIBRATE_HISTORY_PEERS && p < peer_count; p++)
                pool_place(r, shock->slot, peers[p], &values, &places, &ss, years, sizeof years);
        }
        size_t dof = values - places;
        if (!places || dof < CALIBRATE_MIN_DOF)
            return diag_error_json(d, DIAG_DATA, shock->file, shock->json_path,
                                   _("calibrate \"%s\": the sd of %s needs at least %d degrees of freedom (values less "
                                   "places), the observations give %zu (%s); give \"sd\" or add observations"),
                                   spec->calibrate == ENSEMBLE_CALIBRATE_HISTORY ? "history" : "history-peers",
                                   shock->name, CALIBRATE_MIN_DOF, dof, years[0] ? years : _("none"));
        if (!(ss > 0))
            return diag_error_json(d, DIAG_DATA, shock->file, shock->json_path,
                                   _("calibrate: the observed values of %s do not vary (%s): no sd can be estimated; "
                                   "give \"sd\""),
                                   shock->name, years);
        shock->dist.sd = sqrt(ss / (double)dof);
        shock->calibration_values = values;
        shock->calibration_places = places;
        shock->calibration_dof = dof;
    }
    return DIAG_OK;
}

/* The back-test at sd for every calibrated shock: its points with a band (*points) and the
 * share of them inside the 90% band (*coverage). */
static int coverage_at(ensemble_spec *spec, const run *r, int threads, double sd, size_t *points, double *coverage,
                       diag *d)
{
    for (size_t i = 0; i < spec->shock_count; i++)
        if (spec->shocks[i].calibrated)
            spec->shocks[i].dist.sd = sd;
    diag local; /* the back-test's own warnings (origins left out) are not the run's */
    diag_init(&local);
    backtest_result *res = NULL;
    backtest_options o = {.bands = spec, .threads = threads};
    int status = backtest_run(r, &o, &res, &local);
    if (status != DIAG_OK) {
        diag_merge(d, &local);
        return status;
    }
    diag_free(&local);
    size_t n = 0, inside = 0;
    for (size_t i = 0; i < res->row_count; i++)
        if (isfinite(res->rows[i].pit)) {
            n++;
            inside += res->rows[i].pit >= 0.05 && res->rows[i].pit <= 0.95;
        }
    backtest_result_free(res);
    *points = n;
    *coverage = n ? (double)inside / (double)n : NAN;
    return DIAG_OK;
}

int calibrate_backtest(ensemble_spec *spec, const run *r, int threads, diag *d)
{
    if (spec->calibrate != ENSEMBLE_CALIBRATE_BACKTEST)
        return DIAG_OK;
    const char *file = spec->calibrate_file ? spec->calibrate_file : r->scenario->path;
    size_t points;
    double coverage;
    int status = coverage_at(spec, r, threads, CALIBRATE_SD_MAX, &points, &coverage, d);
    if (status != DIAG_OK)
        return status;
    if (points < CALIBRATE_MIN_POINTS)
        return diag_error_json(d, DIAG_DATA, file, "$.uncertainty.calibrate",
                               _("calibrate \"backtest\" needs at least %d back-test points with a band, the data give "
                               "%zu (see econsim backtest): use \"history\", or give each shock its sd"),
                               CALIBRATE_MIN_POINTS, points);
    if (coverage < 0.9)
        return diag_error_json(d, DIAG_DATA, file, "$.uncertainty.calibrate",
                               _("calibrate \"backtest\": even an sd of %g covers only %.0f%% of the %zu back-test points "
                               "in the 90%% band: the misses come from elsewhere than these shocks"),
                               CALIBRATE_SD_MAX, 100 * coverage, points);
    double lo = CALIBRATE_SD_MIN, hi = CALIBRATE_SD_MAX, hi_coverage = coverage;
    while (hi - lo > CALIBRATE_SD_RTOL * hi) {
        double mid = sqrt(lo * hi); /* the sds span four orders of magnitude */
        if ((status = coverage_at(spec, r, threads, mid, &points, &coverage, d)) != DIAG_OK)
            return status;
        if (coverage >= 0.9) {
            hi = mid;
            hi_coverage = coverage;
        } else {
            lo = mid;
        }
    }
    for (size_t i = 0; i < spec->shock_count; i++)
        if (spec->shocks[i].calibrated)
            spec->shocks[i].dist.sd = hi;
    spec->calibration_scale = hi;
    spec->calibration_points = points;
    spec->calibration_coverage = hi_coverage;
    return DIAG_OK;
}
