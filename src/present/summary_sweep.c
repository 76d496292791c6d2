/* summary_sweep.c: the summary.json of a sweep (summary.h). */
#include "summary.h"
#include "summary_internal.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Adds item under key (takes ownership; a NULL item or object is a failure). Returns 1 or 0. */
static int sweep_json_add(cJSON *object, const char *key, cJSON *item)
{
    if (item && object && cJSON_AddItemToObject(object, key, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

static int sweep_json_push(cJSON *array, cJSON *item)
{
    if (item && array && cJSON_AddItemToArray(array, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

/* A number, or null for NaN and infinities (JSON has neither). */
static int sweep_json_number(cJSON *object, const char *key, double v)
{
    return sweep_json_add(object, key, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

static int sweep_json_string(cJSON *object, const char *key, const char *text)
{
    return sweep_json_add(object, key, cJSON_CreateString(text ? text : ""));
}

/* Adds a new object or array under key and returns it, or NULL on failure. */
static cJSON *sweep_json_child(cJSON *object, const char *key, int array)
{
    cJSON *child = array ? cJSON_CreateArray() : cJSON_CreateObject();
    return sweep_json_add(object, key, child) ? child : NULL;
}

static const char *sweep_flag(const sensitivity_estimate *e)
{
    return e->negative ? "negative" : e->not_converged ? "not converged" : "ok";
}

static int sweep_json_estimate(cJSON *object, const char *key, const sensitivity_estimate *e)
{
    char name[64];
    int ok = sweep_json_number(object, key, e->value);
    snprintf(name, sizeof name, "%s_low", key);
    ok = ok && sweep_json_number(object, name, e->low);
    snprintf(name, sizeof name, "%s_high", key);
    ok = ok && sweep_json_number(object, name, e->high);
    snprintf(name, sizeof name, "%s_conf", key);
    ok = ok && sweep_json_number(object, name, e->conf);
    snprintf(name, sizeof name, "%s_status", key);
    return ok && sweep_json_string(object, name, sweep_flag(e));
}

static int sweep_summary_design(cJSON *root, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    cJSON *design = sweep_json_child(root, "design", 0);
    int ok = design != NULL;
    switch (spec->method) {
    case SWEEP_SOBOL:
        ok = ok && sweep_json_string(design, "sequence",
                                     spec->scramble ? "Sobol' (gsl_qrng_sobol) from the origin, with a random digital shift"
                                                    : "Sobol' (gsl_qrng_sobol), plain (without the origin)");
        ok = ok && sweep_json_string(design, "layout", "Saltelli: per row j, runs A_j, AB_j^(1..k), B_j");
        ok = ok && sweep_json_string(design, "first_order", "Saltelli et al. (2010), outputs centred");
        ok = ok && sweep_json_string(design, "total", "Jansen (1999)");
        break;
    case SWEEP_MORRIS:
        ok = ok && sweep_json_number(design, "trajectories", (double)spec->samples);
        ok = ok && sweep_json_number(design, "levels", spec->levels);
        ok = ok && sweep_json_number(design, "delta", spec->levels / (2.0 * (spec->levels - 1)));
        break;
    case SWEEP_MONTECARLO:
        ok = ok && sweep_json_string(design, "sampling",
                                     "independent draws from each distribution, one random stream per block of runs");
        break;
    case SWEEP_GRID:
        ok = ok && sweep_json_string(design, "order", "full factorial, the last parameter varying fastest");
        break;
    case SWEEP_OAT:
        ok = ok && sweep_json_string(design, "order", "run 0 the base, then low and high of each parameter");
        break;
    }
    if (spec->method == SWEEP_SOBOL || spec->method == SWEEP_MORRIS) {
        ok = ok && sweep_json_number(design, "bootstrap", (double)spec->bootstrap);
        ok = ok && sweep_json_number(design, "confidence", spec->confidence);
        ok = ok && sweep_json_number(design, "threshold", spec->threshold);
    }
    return ok;
}

static int sweep_summary_parameters(cJSON *root, const sweep_result *res, const run *r)
{
    const sweep_spec *spec = res->spec;
    cJSON *params = sweep_json_child(root, "parameters", 1);
    int ok = params != NULL;
    for (size_t i = 0; ok && i < spec->parameter_count; i++) {
        const sweep_parameter *param = &spec->parameters[i];
        cJSON *item = cJSON_CreateObject();
        ok = sweep_json_push(params, item);
        ok = ok && sweep_json_string(item, "name", param->name);
        ok = ok && sweep_json_string(item, "label", param->label);
        ok = ok && sweep_json_string(item, "unit", param->unit);
        ok = ok && sweep_json_string(item, "kind", model_kind_name(r->model->slots[param->slot].kind));
        ok = ok && sweep_json_number(item, "scenario_value", param->base);
        if (spec->method == SWEEP_GRID) {
            cJSON *values = ok ? sweep_json_child(item, "values", 1) : NULL;
            ok = values != NULL;
            for (size_t l = 0; ok && l < param->value_count; l++)
                ok = sweep_json_push(values, cJSON_CreateNumber(param->values[l]));
        } else if (spec->method == SWEEP_OAT) {
            ok = ok && sweep_json_number(item, "low", param->low);
            ok = ok && sweep_json_number(item, "high", param->high);
        } else {
            ok = ok && sweep_json_add(item, "distribution", summary_dist(&param->dist));
        }
    }
    return ok;
}

static int sweep_summary_index(cJSON *row, const sweep_result *res, size_t o, size_t i)
{
    const sweep_spec *spec = res->spec;
    const sweep_index *x = &res->indices[o * spec->parameter_count + i];
    switch (spec->method) {
    case SWEEP_SOBOL:
        return sweep_json_estimate(row, "S1", &x->first) && sweep_json_estimate(row, "ST", &x->total);
    case SWEEP_MORRIS:
        return sweep_json_number(row, "mu", x->mu) && sweep_json_estimate(row, "mu_star", &x->mu_star) &&
               sweep_json_number(row, "sigma", x->sigma);
    case SWEEP_OAT:
        return sweep_json_number(row, "low", spec->parameters[i].low) &&
               sweep_json_number(row, "high", spec->parameters[i].high) &&
               sweep_json_number(row, "value_low", x->value_low) && sweep_json_number(row, "value_high", x->value_high) &&
               sweep_json_number(row, "swing", fabs(x->value_high - x->value_low));
    case SWEEP_MONTECARLO:
        return sweep_json_number(row, "pearson", x->pearson) && sweep_json_number(row, "spearman", x->spearman);
    case SWEEP_GRID:
        return sweep_json_number(row, "main_effect_range", x->range);
    }
    return 0;
}

static int sweep_summary_outputs(cJSON *root, const sweep_result *res, const run *r)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    cJSON *outs = sweep_json_child(root, "outputs", 1);
    int ok = outs != NULL;
    for (size_t o = 0; ok && o < spec->output_count; o++) {
        const sweep_output *out = &spec->outputs[o];
        const sweep_statistics *s = &res->statistics[o];
        cJSON *item = cJSON_CreateObject();
        ok = sweep_json_push(outs, item);
        ok = ok && sweep_json_string(item, "name", out->name);
        ok = ok && sweep_json_string(item, "label", out->label);
        ok = ok && sweep_json_string(item, "unit", out->unit);
        ok = ok && sweep_json_string(item, out->is_goal ? "goal" : "variable",
                                     out->is_goal ? out->goal_id : r->model->slots[out->slot].name);
        ok = ok && sweep_json_number(item, "year", out->year);
        ok = ok && sweep_json_number(item, "scenario_value", s->base);
        const char *names[] = {"mean", "sd", "min", "p05", "p25", "p50", "p75", "p95", "max"};
        double values[] = {s->mean, s->sd, s->min, s->p05, s->p25, s->p50, s->p75, s->p95, s->max};
        for (size_t j = 0; ok && j < sizeof names / sizeof names[0]; j++)
            ok = sweep_json_number(item, names[j], values[j]);
        size_t order[SWEEP_MAX_PARAMETERS];
        sweep_ranking(res, o, order);
        cJSON *ranking = ok ? sweep_json_child(item, "ranking", 1) : NULL;
        ok = ranking != NULL;
        for (size_t j = 0; ok && j < k; j++)
            ok = sweep_json_push(ranking, cJSON_CreateString(spec->parameters[order[j]].name));
        cJSON *indices = ok ? sweep_json_child(item, "sensitivity", 1) : NULL;
        ok = indices != NULL;
        for (size_t j = 0; ok && j < k; j++) {
            cJSON *row = cJSON_CreateObject();
            ok = sweep_json_push(indices, row);
            ok = ok && sweep_json_string(row, "parameter", spec->parameters[order[j]].name);
            ok = ok && sweep_json_number(row, "rank", (double)(j + 1));
            ok = ok && sweep_summary_index(row, res, o, order[j]);
        }
    }
    return ok;
}

/* The whole summary.json, or NULL when memory runs out (charts is taken over either way). */
/* "convergence" ("samples": "auto"): the rule, and N with the widest ST interval per step. */
static int sweep_summary_convergence(cJSON *root, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    if (!res->convergence_steps)
        return 1;
    cJSON *c = sweep_json_child(root, "convergence", 0);
    cJSON *steps = c ? sweep_json_child(c, "steps", 1) : NULL;
    int ok = steps != NULL;
    ok = ok && sweep_json_string(c, "rule", "double N (reusing every run) until every total-order index has a "
                                            "bootstrap interval narrower than width");
    ok = ok && sweep_json_number(c, "width", spec->threshold);
    ok = ok && sweep_json_number(c, "confidence", spec->confidence);
    ok = ok && sweep_json_number(c, "max_samples", (double)spec->samples_max);
    ok = ok && sweep_json_add(c, "converged", cJSON_CreateBool(res->converged));
    ok = ok && sweep_json_number(c, "N", (double)spec->samples);
    for (size_t i = 0; ok && i < res->convergence_steps; i++) {
        const sweep_convergence *step = &res->convergence[i];
        cJSON *item = cJSON_CreateObject();
        ok = sweep_json_push(steps, item);
        ok = ok && sweep_json_number(item, "N", (double)step->samples);
        ok = ok && sweep_json_number(item, "widest", step->widest);
        ok = ok && sweep_json_string(item, "output", spec->outputs[step->widest_output].name);
        ok = ok && sweep_json_string(item, "parameter", spec->parameters[step->widest_parameter].name);
    }
    return ok;
}

summary_part *summary_sweep(const sweep_result *res, const run *r, summary_part *charts)
{
    const sweep_spec *spec = res->spec;
    cJSON *root = cJSON_CreateObject();
    cJSON *about = root ? sweep_json_child(root, "scenario", 0) : NULL;
    int ok = about != NULL;
    ok = ok && sweep_json_string(about, "name", r->scenario->name);
    ok = ok && sweep_json_string(about, "title", scenario_title(r->scenario));
    ok = ok && sweep_json_string(about, "file", r->scenario->path);
    ok = ok && sweep_json_string(about, "model", r->model->path);
    ok = ok && sweep_json_number(about, "start", r->plan->start);
    ok = ok && sweep_json_number(about, "end", r->plan->end);
    ok = ok && summary_add_as_of(about, r) == DIAG_OK;
    ok = ok && sweep_json_string(root, "method", sweep_method_name(spec->method));
    ok = ok && sweep_json_number(root, "seed", (double)spec->seed);
    ok = ok && sweep_json_number(root, "N", spec->method == SWEEP_SOBOL || spec->method == SWEEP_MONTECARLO
                                                ? (double)spec->samples
                                                : NAN);
    ok = ok && sweep_json_number(root, "runs", (double)res->runs);
    char hash[40];
    snprintf(hash, sizeof hash, "fnv1a64:%016llx", (unsigned long long)res->design_hash);
    ok = ok && sweep_json_string(root, "design_hash", hash);
    ok = ok && sweep_json_string(root, "design_hash_of",
                                 "every run's parameter values in run order, as little-endian IEEE-754 doubles "
                                 "(NaN where a run keeps the scenario's value)");
    ok = ok && sweep_summary_design(root, res);
    ok = ok && sweep_summary_convergence(root, res);
    ok = ok && sweep_summary_parameters(root, res, r);
    ok = ok && sweep_summary_outputs(root, res, r);
    if (ok)
        ok = sweep_json_add(root, "charts", charts ? charts : cJSON_CreateArray()); /* takes charts */
    else
        cJSON_Delete(charts);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}
