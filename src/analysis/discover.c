/* discover.c: PRIM's data built from a sweep's runs or an ensemble's paths (discover.h). */
#include "discover.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void discover_spec_free(discover_spec *spec)
{
    if (!spec)
        return;
    mem_free(spec->goal_id);
    mem_free(spec);
}

void discover_result_free(discover_result *res)
{
    if (!res)
        return;
    for (size_t j = 0; res->inputs && j < res->k; j++)
        mem_free(res->inputs[j].name);
    mem_free(res->inputs);
    mem_free(res->x);
    mem_free(res->missed);
    prim_result_free(&res->prim);
    mem_free(res);
}

/* A result with room for n runs of k inputs, or NULL (out of memory). */
static discover_result *discover_alloc(const discover_spec *spec, const goals_set *goals, size_t n, size_t k)
{
    discover_result *res = mem_calloc(1, sizeof *res);
    if (!res)
        return NULL;
    res->spec = spec;
    res->goal = &goals->goals[spec->goal];
    res->n = n;
    res->k = k;
    res->inputs = mem_calloc(k, sizeof *res->inputs);
    res->x = mem_alloc(n * k * sizeof *res->x);
    res->missed = mem_alloc(n ? n : 1);
    if (!res->inputs || !res->x || !res->missed) {
        discover_result_free(res);
        return NULL;
    }
    return res;
}

/* Runs PRIM on the result's data; names each input for PRIM's messages. */
static int discover_search(discover_result *res, diag *d)
{
    const char *names[SWEEP_MAX_PARAMETERS > ENSEMBLE_MAX_SHOCKS ? SWEEP_MAX_PARAMETERS : ENSEMBLE_MAX_SHOCKS];
    for (size_t j = 0; j < res->k; j++)
        names[j] = res->inputs[j].name;
    prim_data data = {.n = res->n, .k = res->k, .x = res->x, .missed = res->missed, .names = names};
    return prim_discover(&data, &res->spec->prim, &res->prim, d);
}

int discover_sweep(const discover_spec *spec, const sweep_result *sweep, const goals_set *goals,
                   discover_result **out, diag *d)
{
    const sweep_spec *s = sweep->spec;
    size_t k = s->parameter_count, outputs = s->output_count;
    size_t met = outputs;
    for (size_t o = 0; o < outputs; o++)
        if (s->outputs[o].is_goal && !strcmp(s->outputs[o].goal_id, spec->goal_id))
            met = o;
    if (met == outputs)
        return diag_error_json(d, DIAG_DATA, s->file, spec->json_path, _("the sweep has no output met:%s to discover on"),
                               spec->goal_id);
    if (s->method == SWEEP_OAT)
        return diag_error_json(d, DIAG_DATA, s->file, spec->json_path, _("a one-at-a-time sweep has no sample to discover on"));
    int sobol = s->method == SWEEP_SOBOL;
    size_t n = sobol ? 2 * s->samples : sweep->runs;
    discover_result *res = discover_alloc(spec, goals, n, k);
    if (!res)
        return diag_oom(d, _("scenario discovery"));
    for (size_t j = 0; j < k; j++) {
        const sweep_parameter *p = &s->parameters[j];
        res->inputs[j].label = p->label;
        res->inputs[j].unit = p->unit;
        snprintf(res->inputs[j].summary, sizeof res->inputs[j].summary, "swept value");
        if (!(res->inputs[j].name = mem_strdup(p->name))) {
            discover_result_free(res);
            return diag_oom(d, _("scenario discovery"));
        }
    }
    size_t i = 0;
    for (size_t run_index = 0; run_index < sweep->runs; run_index++) {
        /* Sobol': the rows of A and B only (run j (k + 2) and j (k + 2) + k + 1) */
        if (sobol && run_index % (k + 2) != 0 && run_index % (k + 2) != k + 1)
            continue;
        sweep_point(sweep, run_index, res->x + i * k);
        res->missed[i++] = sweep->y[run_index * outputs + met] < 0.5;
    }
    int status = discover_search(res, d);
    if (status != DIAG_OK) {
        discover_result_free(res);
        return status;
    }
    *out = res;
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Ensembles                                                                                  */

int discover_ensemble(const discover_spec *spec, const ensemble_spec *ensemble, const pathsample *sample,
                      const run *r, const goals_set *goals, discover_result **out, diag *d)
{
    size_t n = sample->n, k = sample->k;
    const goals_goal *goal = &goals->goals[spec->goal];
    if (k == 0)
        return diag_error_json(d, DIAG_DATA, r->scenario->path, spec->json_path,
                               _("the ensemble has no shocks, so every path is the same: nothing to discover"));
    discover_result *res = discover_alloc(spec, goals, n, k);
    if (!res)
        return diag_oom(d, _("scenario discovery"));
    res->from_ensemble = 1;
    for (size_t j = 0; j < k; j++) {
        const ensemble_shock *shock = &ensemble->shocks[j];
        const model_slot *ms = &r->model->slots[shock->slot];
        res->inputs[j].label = ms->label;
        res->inputs[j].unit = ms->unit;
        pathsample_summary(sample, ensemble, j, goal->year, res->x + j, k, res->inputs[j].summary,
                           sizeof res->inputs[j].summary);
        if (!(res->inputs[j].name = mem_strdup(shock->name))) {
            discover_result_free(res);
            return diag_oom(d, _("scenario discovery"));
        }
    }
    int at_most = goal->direction == GOALS_AT_MOST;
    for (size_t p = 0; p < n; p++)
        res->missed[p] = !goals_met_rule(at_most, goal->target, sample->goal_value[p * sample->goal_count + spec->goal]);
    int status = discover_search(res, d);
    if (status != DIAG_OK) {
        discover_result_free(res);
        return status;
    }
    *out = res;
    return DIAG_OK;
}
