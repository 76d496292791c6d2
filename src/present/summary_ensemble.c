/* summary_ensemble.c: the "ensemble" part of summary.json (summary.h). */
#include "summary.h"
#include "ensemble_write.h"
#include "summary_internal.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The correlation a Cholesky factor implies (L L^T) is written rounded to 12 decimals: it
 * reproduces the matrix given only up to rounding. */
#define ENSEMBLE_CORRELATION_ROUNDING 1e12

static const char *apply_name(ensemble_apply apply)
{
    return apply == ENSEMBLE_MULTIPLY ? "multiply" : apply == ENSEMBLE_REPLACE ? "replace" : "add";
}

/* The "shocks" array: each shock's distribution (dist_json.h), apply, ar1, draws and clamps. */
/* A calibrated shock's "calibration": {"method", "values", "places", "dof", "sd"} (history) or
 * {"method", "points", "coverage_90", "sd"} (backtest); 0 when out of memory. */
static int calibration_json(cJSON *item, const ensemble_shock *shock, const ensemble_spec *spec)
{
    cJSON *c = cJSON_AddObjectToObject(item, "calibration");
    if (c && spec->calibrate == ENSEMBLE_CALIBRATE_BACKTEST)
        return cJSON_AddStringToObject(c, "method", "backtest") &&
               cJSON_AddNumberToObject(c, "points", (double)spec->calibration_points) &&
               cJSON_AddNumberToObject(c, "coverage_90", spec->calibration_coverage) &&
               cJSON_AddNumberToObject(c, "sd", shock->dist.sd);
    return c &&
           cJSON_AddStringToObject(c, "method",
                                   spec->calibrate == ENSEMBLE_CALIBRATE_HISTORY_PEERS ? "history-peers" : "history") &&
           cJSON_AddNumberToObject(c, "values", (double)shock->calibration_values) &&
           cJSON_AddNumberToObject(c, "places", (double)shock->calibration_places) &&
           cJSON_AddNumberToObject(c, "dof", (double)shock->calibration_dof) &&
           cJSON_AddNumberToObject(c, "sd", shock->dist.sd);
}

static int shocks_json(cJSON *shocks, const ensemble_result *result, const ensemble_spec *spec, const model *m)
{
    for (size_t i = 0; i < spec->shock_count; i++) {
        const ensemble_shock *shock = &spec->shocks[i];
        cJSON *item = cJSON_CreateObject();
        cJSON *dist_json = summary_dist(&shock->dist);
        if (!item || !dist_json) {
            cJSON_Delete(item);
            cJSON_Delete(dist_json);
            return 0;
        }
        cJSON_AddItemToArray(shocks, item);
        if (summary_add_item(item, "distribution", dist_json) != DIAG_OK ||
            !cJSON_AddStringToObject(item, "name", shock->name) ||
            !cJSON_AddStringToObject(item, "kind", model_kind_name(m->slots[shock->slot].kind)) ||
            !cJSON_AddStringToObject(item, "apply", apply_name(shock->apply)) ||
            !cJSON_AddNumberToObject(item, "ar1", shock->ar1) ||
            (shock->calibrated && !calibration_json(item, shock, spec)) ||
            !cJSON_AddNumberToObject(item, "draws", (double)result->draws[i]) ||
            !cJSON_AddNumberToObject(item, "clamped", (double)result->clamped[i]) ||
            (shock->note && !cJSON_AddStringToObject(item, "note", shock->note)))
            return 0;
    }
    return 1;
}

/* The "correlation" object: the names and the matrix L L^T the Cholesky factor implies over
 * all shocks (rounded to 12 decimals). */
static int correlation_json(cJSON *root, const ensemble_spec *spec)
{
    /* the correlation the factor implies, L L^T, over all shocks */
    size_t k = spec->shock_count;
    cJSON *correlation = cJSON_AddObjectToObject(root, "correlation");
    cJSON *names = correlation ? cJSON_AddArrayToObject(correlation, "names") : NULL;
    cJSON *matrix = correlation ? cJSON_AddArrayToObject(correlation, "matrix") : NULL;
    if (!names || !matrix)
        return 0;
    for (size_t a = 0; a < k; a++) {
        cJSON *name = cJSON_CreateString(spec->shocks[a].name), *row = cJSON_CreateArray();
        if (!name || !row) {
            cJSON_Delete(name);
            cJSON_Delete(row);
            return 0;
        }
        cJSON_AddItemToArray(names, name);
        cJSON_AddItemToArray(matrix, row);
        for (size_t b = 0; b < k; b++) {
            double sum = 0;
            for (size_t j = 0; j < k; j++)
                sum += spec->cholesky[a * k + j] * spec->cholesky[b * k + j];
            cJSON *v = cJSON_CreateNumber(round(sum * ENSEMBLE_CORRELATION_ROUNDING) / ENSEMBLE_CORRELATION_ROUNDING);
            if (!v)
                return 0;
            cJSON_AddItemToArray(row, v);
        }
    }
    return 1;
}

/* The "series" array: mean, sd and quantiles of every cell that varies. */
static int series_json(cJSON *root, const ensemble_result *result, const model *m)
{
    cJSON *cells;
    if (!(cells = cJSON_AddArrayToObject(root, "series")))
        return 0;
    for (size_t i = 0; i < result->cell_count; i++) {
        const ensemble_cell *cell = &result->cells[i];
        if (!cell->varies)
            continue;
        cJSON *item = cJSON_CreateObject();
        if (!item)
            return 0;
        cJSON_AddItemToArray(cells, item);
        if (!cJSON_AddStringToObject(item, "variable", m->slots[cell->slot].name) ||
            !cJSON_AddStringToObject(item, "unit", m->slots[cell->slot].unit) ||
            !cJSON_AddNumberToObject(item, "year", cell->year) || !cJSON_AddNumberToObject(item, "mean", cell->mean) ||
            !cJSON_AddNumberToObject(item, "sd", cell->sd))
            return 0;
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
            if (!cJSON_AddNumberToObject(item, ensemble_quantile_columns[q], cell->quantile[q]))
                return 0;
    }
    return 1;
}

summary_part *summary_ensemble(const ensemble_result *result, const ensemble_spec *spec, const run *r,
                             const goals_set *goals)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    const model *m = r->model;
    cJSON *shocks;
    if (!cJSON_AddNumberToObject(root, "paths", (double)result->paths) ||
        !cJSON_AddNumberToObject(root, "seed", (double)result->seed) ||
        !cJSON_AddNumberToObject(root, "passes", (double)result->passes) ||
        !cJSON_AddNumberToObject(root, "paths_per_block", (double)result->lanes) ||
        !cJSON_AddStringToObject(root, "quantiles",
                                 "type 7 (linear between order statistics) of values stored as float (relative "
                                 "error at most 6e-8)") ||
        (spec->note && !cJSON_AddStringToObject(root, "note", spec->note)) ||
        !(shocks = cJSON_AddArrayToObject(root, "shocks")))
        goto fail;
    if (!shocks_json(shocks, result, spec, m) || (spec->cholesky && !correlation_json(root, spec)) ||
        !series_json(root, result, m))
        goto fail;
    if (goals && result->goal_probability) {
        cJSON *probability = cJSON_AddObjectToObject(root, "goal_probability");
        if (!probability)
            goto fail;
        for (size_t g = 0; g < result->goal_count; g++)
            if (!cJSON_AddNumberToObject(probability, goals->goals[g].id, result->goal_probability[g]))
                goto fail;
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}
