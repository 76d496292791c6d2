/* run.c: loading one scenario with everything it names, and running its deterministic path.
 *
 * The order matters for messages: the scenario first (so its own errors are reported against
 * it), then the model it names, then the history, and only then the checks that need all
 * three (names, years, missing inputs). */
#include "run.h"
#include "mem.h"
#include "validate.h"

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

/* The scenario loader's resolver: the model is loaded as soon as the chain names it, so that
 * labels can stand for names before the extends merge. */
static int run_open_model(void *context, const char *model_path, diag *d)
{
    run *r = context;
    if (!model_path)
        return DIAG_OK; /* reported once the scenario is loaded */
    r->model = model_load(model_path, d);
    return r->model ? DIAG_OK : d->status;
}

static const char *run_canonical(void *context, const char *key)
{
    const run *r = context;
    return r->model ? model_canonical(r->model, key) : NULL;
}

int run_load_checked(const char *scenario_path, run **out, diag *d)
{
    *out = NULL;
    run *r = mem_calloc(1, sizeof *r);
    if (!r)
        return diag_oom(d, "loading a scenario");
    scenario_resolver resolver = {run_open_model, run_canonical, r};
    if (!(r->scenario = scenario_load_resolved(scenario_path, &resolver, d)))
        goto fail;
    if (!r->scenario->model_path) {
        diag_error_json(d, DIAG_DATA, scenario_path, "$",
                        "the scenario names no model: add \"model\": \"../models/county.json\" (relative to the file)");
        goto fail;
    }
    if (!r->model)
        goto fail;
    if (r->scenario->history_path && !(r->history = history_load(r->scenario->history_path, d)))
        goto fail;
    int status = validate_scenario(r->model, r->scenario, r->history, d);
    if (status == DIAG_SOFTWARE)
        goto fail;
    if (r->scenario->start && r->scenario->end) {
        if (status == DIAG_OK) {
            r->plan = sim_plan_build(r->model, r->scenario, r->history, d);
            if (!r->plan && d->status == DIAG_SOFTWARE)
                goto fail;
        } else {
            /* with mistakes already reported, what the plan would say (a missing input) is
             * most likely a consequence of them: build it quietly, for the blocks' checks */
            diag quiet;
            diag_init(&quiet);
            r->plan = sim_plan_build(r->model, r->scenario, r->history, &quiet);
            diag_free(&quiet);
        }
    }
    *out = r;
    return d->status;
fail:
    run_free(r);
    return d->status != DIAG_OK ? d->status : diag_error(d, DIAG_SOFTWARE, "loading %s failed", scenario_path);
}

run *run_load(const char *scenario_path, diag *d)
{
    run *r = NULL;
    if (run_load_checked(scenario_path, &r, d) != DIAG_OK) {
        run_free(r);
        return NULL;
    }
    return r;
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
