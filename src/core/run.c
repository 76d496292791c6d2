/* run.c: loading one scenario with everything it names, and running its deterministic path.
 *
 * The order matters for messages: the scenario first (so its own errors are reported against
 * it), then the model it names, then the history, and only then the checks that need all
 * three (names, years, missing inputs). */
#include "run.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"
#include "model_load.h"
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
    return run_load_checked_with(scenario_path, NULL, out, d);
}

int run_load_checked_with(const char *scenario_path, const run_load_options *opt, run **out, diag *d)
{
    *out = NULL;
    run *r = mem_calloc(1, sizeof *r);
    if (!r)
        return diag_oom(d, _("loading a scenario"));
    scenario_resolver resolver = {run_open_model, run_canonical, r};
    if (!(r->scenario = scenario_load_resolved(scenario_path, &resolver, d)))
        goto fail;
    if (!r->scenario->model_path) {
        diag_error_json(d, DIAG_DATA, scenario_path, "$",
                        _("the scenario names no model: add \"model\": \"../models/county.json\" (relative to the file)"));
        goto fail;
    }
    if (!r->model)
        goto fail;
    if (r->scenario->history_path && !(r->history = history_load(r->scenario->history_path, d)))
        goto fail;
    /* as of a year: the rows of later years are left out before anything reads them */
    int as_of = opt && opt->as_of ? opt->as_of : r->scenario->as_of;
    if (as_of > 0) {
        r->as_of = as_of;
        r->as_of_given = opt && opt->as_of > 0;
        int had_place = r->history && history_has_place(r->history, r->scenario->history_place);
        if (r->history)
            history_keep_until(r->history, as_of);
        if (had_place && !history_has_place(r->history, r->scenario->history_place)) {
            diag_error_file(d, DIAG_DATA, r->scenario->history_path,
                            _("as of %d there is no observation of %s yet: every row of it is of a later year "
                            "(give a later --as-of, or the scenario's \"as_of\")"),
                            as_of, r->scenario->history_place);
            goto fail;
        }
    }
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
    return d->status != DIAG_OK ? d->status : diag_error(d, DIAG_SOFTWARE, _("loading %s failed"), scenario_path);
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

int run_provenance_of(const run *r, int slot, int year, run_provenance *out)
{
    memset(out, 0, sizeof *out);
    const sim_plan *plan = r->plan;
    int t = plan ? sim_plan_year_index(plan, year) : -1;
    if (slot < 0 || t < 0)
        return 0;
    size_t c = (size_t)slot * plan->years + (size_t)t;
    if (plan->mode[c] == SIM_MODE_NONE)
        return 0;
    const model_slot *ms = &r->model->slots[slot];
    const scenario_source *source = NULL;
    switch ((sim_origin)plan->origin[c]) {
    case SIM_ORIGIN_OBSERVED:
    case SIM_ORIGIN_DERIVED:
        out->kind = plan->origin[c] == SIM_ORIGIN_OBSERVED ? "observed" : "derived";
        if (plan->source[c]) {
            out->file = r->history ? r->history->path : NULL;
            out->line = plan->source[c]->line;
            out->source = history_row_source(plan->source[c]);
        }
        return 1;
    case SIM_ORIGIN_INITIAL:
        out->kind = "initial";
        source = scenario_series_source(scenario_initial(r->scenario, ms->name), year);
        break;
    case SIM_ORIGIN_ASSUMED:
        out->kind = "assumption";
        source = scenario_series_source(scenario_assumption(r->scenario, ms->name), year);
        break;
    case SIM_ORIGIN_ESTIMATED:
        out->kind = "estimated";
        return 1;
    default:
        out->kind = "model";
        return 1;
    }
    if (source) {
        out->file = source->file;
        snprintf(out->json_path, sizeof out->json_path, "%s", source->json_path);
        out->note = scenario_source_note(source);
    } else { /* the model's own value */
        out->kind = "model default";
        out->file = r->model->path;
        jsonfile_path_key(out->json_path, ms->json_path, "value");
        out->note = model_slot_note(ms);
    }
    return 1;
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
