/* summary_backtest.c: the "backtest" part of summary.json (summary.h). */
#include "summary.h"
#include "summary_internal.h"

#include <cjson/cJSON.h>
#include <math.h>

/* A number, or null where it is undefined (NaN). */
static void add_number(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

summary_part *summary_backtest(const backtest_result *res)
{
    const model *m = res->run->model;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "origin_from", res->origin_from);
    cJSON_AddNumberToObject(root, "origin_to", res->origin_to);
    cJSON_AddNumberToObject(root, "origins_run", (double)res->origins_run);
    cJSON_AddNumberToObject(root, "horizon_from", res->horizon_from);
    cJSON_AddNumberToObject(root, "horizon_to", res->horizon_to);
    cJSON_AddNumberToObject(root, "points", (double)res->row_count);
    cJSON_AddNumberToObject(root, "left_out_across_series_break", (double)res->across_break);
    cJSON_AddStringToObject(root, "error", "forecast - actual, in the variable's unit");
    if (res->has_bands)
        cJSON_AddNumberToObject(root, "band_paths", (double)res->band_paths);
    cJSON *stats = cJSON_AddArrayToObject(root, "scores");
    for (size_t i = 0; stats && i < res->stat_count; i++) {
        const backtest_stat *st = &res->stats[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(stats, o)) {
            cJSON_Delete(o);
            break;
        }
        cJSON_AddStringToObject(o, "variable", m->slots[st->slot].name);
        cJSON_AddStringToObject(o, "unit", m->slots[st->slot].unit);
        cJSON_AddNumberToObject(o, "horizon", st->horizon);
        cJSON_AddNumberToObject(o, "n", (double)st->n);
        add_number(o, "bias", st->bias);
        add_number(o, "mae", st->mae);
        add_number(o, "mape", st->mape);
        add_number(o, "rmse", st->rmse);
        add_number(o, "theil_u", st->theil_u);
        add_number(o, "u_trend", st->u_trend);
        add_number(o, "hit_rate", st->hit_rate);
        if (res->has_bands) {
            add_number(o, "coverage_50", st->coverage_50);
            add_number(o, "coverage_90", st->coverage_90);
        }
    }
    return root;
}
