/* run.c: loading one scenario with everything it names, and running its deterministic path.
 *
 * The order matters for messages: the scenario first (so its own errors are reported against
 * it), then the model it names, then the history, and only then the checks that need all
 * three (names, years, missing inputs). */
#include "run.h"
#include "mem.h"

#include <math.h>

void run_free(run *r)
{
    if (!r)
        return;
    mem_free(r->values);
    sim_plan_free(r->plan);
    history_free(r->history);
    model_free(r->model);
    scenario_free(r->scenario);
    mem_free(r);
}

run *run_load(const char *scenario_path, diag *d)
{
    run *r = mem_calloc(1, sizeof *r);
    if (!r) {
        diag_oom(d, "loading a scenario");
        return NULL;
    }
    if (!(r->scenario = scenario_load(scenario_path, d)))
        goto fail;
    if (!r->scenario->model_path) {
        diag_error_json(d, DIAG_DATA, scenario_path, "$",
                        "the scenario names no model: add \"model\": \"../models/county.json\" (relative to the file)");
        goto fail;
    }
    if (!(r->model = model_load(r->scenario->model_path, d)))
        goto fail;
    if (r->scenario->history_path && !(r->history = history_load(r->scenario->history_path, d)))
        goto fail;
    if (!(r->plan = sim_plan_build(r->model, r->scenario, r->history, d)))
        goto fail;
    return r;
fail:
    run_free(r);
    return NULL;
}

int run_simulate(run *r, diag *d)
{
    double *values = NULL;
    int status = sim_run_path(r->plan, &values, d);
    if (status != DIAG_OK)
        return status;
    mem_free(r->values);
    r->values = values;
    return DIAG_OK;
}

double run_slot_value(const run *r, int slot, int year)
{
    int t = sim_plan_year_index(r->plan, year);
    if (slot < 0 || t < 0 || !r->values)
        return NAN;
    size_t c = (size_t)slot * r->plan->years + (size_t)t;
    if (r->plan->mode[c] == SIM_MODE_NONE)
        return NAN;
    return r->values[c];
}

double run_value(const run *r, const char *name, int year)
{
    return run_slot_value(r, model_find(r->model, name), year);
}
