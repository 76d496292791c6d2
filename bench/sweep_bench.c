/* sweep_bench.c: the sweep of `make bench` (sweep_bench.h), built as a sweep block in JSON and
 * run through the sweep module as `econsim sweep` would. */
#include "sweep_bench.h"
#include "sweep_load.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>

int bench_sweep_sobol(const run *r, size_t n, int threads, double *run_seconds, double *analysis_seconds, diag *d)
{
    const model *m = r->model;
    const sim_plan *plan = r->plan;
    cJSON *block = cJSON_CreateObject();
    if (!block)
        return diag_oom(d, "building a benchmark sweep");
    cJSON_AddStringToObject(block, "method", "sobol");
    cJSON_AddNumberToObject(block, "samples", (double)n);
    cJSON_AddNumberToObject(block, "seed", 1);
    cJSON_AddNumberToObject(block, "bootstrap", 1000);
    cJSON *params = cJSON_AddObjectToObject(block, "parameters");
    size_t count = 0;
    for (size_t s = 0; params && s < m->slot_count && count < 8; s++) {
        const model_slot *ms = &m->slots[s];
        if (ms->kind == MODEL_VARIABLE)
            continue;
        int t = ms->kind == MODEL_PARAMETER ? 0 : sim_plan_year_index(plan, plan->start);
        double base = plan->base[s * plan->years + (size_t)t];
        double lo = isfinite(ms->min) ? ms->min : base - 0.2 * fabs(base);
        double hi = isfinite(ms->max) ? ms->max : base + 0.2 * fabs(base);
        if (!(lo < hi))
            continue;
        cJSON *spec = cJSON_AddObjectToObject(params, ms->name);
        cJSON_AddNumberToObject(spec, "min", lo);
        cJSON_AddNumberToObject(spec, "max", hi);
        count++;
    }
    cJSON *outputs = cJSON_AddArrayToObject(block, "outputs");
    static const char *const names[] = {"fiscal_revenue", "gdp", "construction_tax"};
    for (size_t i = 0; outputs && i < 3; i++)
        if (model_find(m, names[i]) >= 0) {
            char name[96];
            snprintf(name, sizeof name, "%s@%d", names[i], plan->end);
            cJSON_AddItemToArray(outputs, cJSON_CreateString(name));
        }
    sweep_spec *spec = sweep_parse(r, block, NULL, d);
    cJSON_Delete(block);
    if (!spec)
        return d->status;
    sweep_result *res;
    int status = sweep_execute(spec, r, threads, NULL, &res, d);
    if (status == DIAG_OK) {
        *run_seconds = res->run_seconds;
        *analysis_seconds = res->analysis_seconds;
        sweep_result_free(res);
    }
    sweep_spec_free(spec);
    return status;
}
