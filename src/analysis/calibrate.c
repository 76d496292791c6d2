/* calibrate.c: shock sizes from the observed variation of each series (calibrate.h). */
#include "calibrate.h"

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
    if (spec->calibrate == ENSEMBLE_CALIBRATE_NONE)
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
                                   "calibrate \"%s\": the sd of %s needs at least %d degrees of freedom (values less "
                                   "places), the observations give %zu (%s); give \"sd\" or add observations",
                                   spec->calibrate == ENSEMBLE_CALIBRATE_HISTORY ? "history" : "history-peers",
                                   shock->name, CALIBRATE_MIN_DOF, dof, years[0] ? years : "none");
        if (!(ss > 0))
            return diag_error_json(d, DIAG_DATA, shock->file, shock->json_path,
                                   "calibrate: the observed values of %s do not vary (%s): no sd can be estimated; "
                                   "give \"sd\"",
                                   shock->name, years);
        shock->dist.sd = sqrt(ss / (double)dof);
        shock->calibration_values = values;
        shock->calibration_places = places;
        shock->calibration_dof = dof;
    }
    return DIAG_OK;
}
