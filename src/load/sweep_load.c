/* sweep_load.c: the "sweep" block of a scenario read into a sweep_spec (sweep_load.h):
 * the method, the parameters with their ranges or distributions (checked against the
 * plausible ranges of range.h), the outputs (sweep_load_outputs.c) and the size of the design
 * (a number, or "auto"). sweep.c runs from the spec alone. */
#include "sweep_load.h"
#include "i18n.h"
#include "sweep_load_internal.h"
#include "dist_parse.h"
#include "goals_load.h"
#include "jsonfile.h"
#include "mem.h"
#include "range.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sweep_error(const sweep_parser *p, const cJSON *node, const char *path, const char *fmt, ...)
{
    char message[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return scenario_error(p->scenario, p->d, node ? node : p->block, path, "%s", message);
}

/* Reads a whole number in [min, max] at block[key]; *present says whether it was there
 * (when absent, *out is left alone). */
static int sweep_read_count(const sweep_parser *p, const char *key, double min, double max, size_t *out,
                            int *present)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(p->block, key);
    if (present)
        *present = item != NULL;
    if (!item)
        return DIAG_OK;
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, key);
    double v;
    if (!jsonfile_number(item, &v) || v != floor(v))
        return sweep_error(p, item, path, _("\"%s\" must be a whole number, not %s"), key, jsonfile_type_name(item));
    if (v < min || v > max)
        return sweep_error(p, item, path, _("\"%s\" must be from %.0f to %.0f, not %g"), key, min, max, v);
    *out = (size_t)v;
    return DIAG_OK;
}

static int sweep_read_fraction(const sweep_parser *p, const char *key, double low, double high, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(p->block, key);
    if (!item)
        return DIAG_OK;
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, key);
    double v;
    if (!jsonfile_number(item, &v))
        return sweep_error(p, item, path, _("\"%s\" must be a number, not %s"), key, jsonfile_type_name(item));
    if (!(v > low && v < high))
        return sweep_error(p, item, path, _("\"%s\" must be above %g and below %g, not %g"), key, low, high, v);
    *out = v;
    return DIAG_OK;
}

/* Keys that only some methods take: an error elsewhere (never silently ignored). */
static int sweep_check_method_keys(const sweep_parser *p, sweep_method method)
{
    static const struct {
        const char *key;
        unsigned methods; /* bits of sweep_method */
        const char *use;
    } keys[] = {
        {"samples", 1u << SWEEP_SOBOL | 1u << SWEEP_MONTECARLO, N_("sobol and montecarlo sweeps (morris counts \"trajectories\")")},
        {"trajectories", 1u << SWEEP_MORRIS, N_("morris sweeps")},
        {"levels", 1u << SWEEP_MORRIS, N_("morris sweeps")},
        {"scramble", 1u << SWEEP_SOBOL, N_("sobol sweeps")},
        {"max_samples", 1u << SWEEP_SOBOL, N_("sobol sweeps with \"samples\": \"auto\"")},
        {"bootstrap", 1u << SWEEP_SOBOL | 1u << SWEEP_MORRIS, N_("sobol and morris sweeps")},
        {"confidence", 1u << SWEEP_SOBOL | 1u << SWEEP_MORRIS, N_("sobol and morris sweeps")},
        {"threshold", 1u << SWEEP_SOBOL | 1u << SWEEP_MORRIS, N_("sobol and morris sweeps")},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(p->block, keys[i].key);
        if (item && !(keys[i].methods & (1u << method))) {
            char path[JSONFILE_PATH_MAX];
            jsonfile_path_key(path, p->path, keys[i].key);
            return sweep_error(p, item, path, _("\"%s\" belongs to %s; this sweep's method is %s"), keys[i].key,
                               _(keys[i].use), sweep_method_name(method));
        }
    }
    return DIAG_OK;
}

/* The cells a run sets for `slot`: a parameter in every year, an exogenous series from start
 * to end; observed cells keep their observation (as sim_plan_set_input). Returns DIAG_OK, or
 * DIAG_SOFTWARE when memory runs out (the caller reports it). */
static int sweep_parameter_cells(const sim_plan *plan, sweep_parameter *param, model_kind kind)
{
    size_t from = 0, to = plan->years;
    if (kind == MODEL_EXOGENOUS) {
        from = (size_t)sim_plan_year_index(plan, plan->start);
        to = (size_t)sim_plan_year_index(plan, plan->end) + 1;
    }
    param->cells = mem_alloc((to - from) * sizeof *param->cells);
    if (!param->cells)
        return DIAG_SOFTWARE;
    param->cell_count = 0;
    param->base = NAN;
    int same = 1;
    for (size_t t = from; t < to; t++) {
        size_t c = (size_t)param->slot * plan->years + t;
        if (plan->mode[c] != SIM_MODE_FIXED || plan->origin[c] == SIM_ORIGIN_OBSERVED)
            continue;
        if (param->cell_count && plan->base[c] != plan->base[param->cells[0]])
            same = 0;
        param->cells[param->cell_count++] = c;
    }
    if (param->cell_count && same)
        param->base = plan->base[param->cells[0]];
    return DIAG_OK;
}

/* Checks that lo and hi lie in the plausible range of the parameter (range.h: the model's
 * bounds, the scenario's, or the default of a growth rate), with the percent hint. */
static int sweep_check_bounds(const sweep_parser *p, const cJSON *node, const char *path, const sweep_parameter *param,
                              double lo, double hi)
{
    const model_slot *ms = &p->r->model->slots[param->slot];
    range plausible = range_of_slot(ms);
    double bad = !range_contains(&plausible, lo) ? lo : !range_contains(&plausible, hi) ? hi : NAN;
    if (isnan(bad))
        return DIAG_OK;
    char message[512];
    range_message(&plausible, bad, 0, param->name, message, sizeof message);
    return sweep_error(p, node, path, "%s", message);
}

static int sweep_parse_grid_parameter(const sweep_parser *p, const cJSON *spec, const char *path,
                                      sweep_parameter *param)
{
    static const char *const keys[] = {"values", "min", "max", "steps", "note", NULL};
    if (jsonfile_check_keys(spec, keys, scenario_origin(p->scenario, spec), path, _("a grid parameter"), p->d) != DIAG_OK)
        return p->d->status;
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(spec, "values");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(spec, "min");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(spec, "max");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(spec, "steps");
    char here[JSONFILE_PATH_MAX];
    if (values && (min || max || steps))
        return sweep_error(p, spec, path, _("give either \"values\" or \"min\", \"max\" and \"steps\", not both"));
    if (values) {
        jsonfile_path_key(here, path, "values");
        int count = cJSON_IsArray(values) ? cJSON_GetArraySize(values) : -1;
        if (count < 1 || count > SWEEP_MAX_GRID_VALUES)
            return sweep_error(p, values, here, _("\"values\" must be an array of 1 to %d numbers"),
                               SWEEP_MAX_GRID_VALUES);
        if (!(param->values = mem_alloc((size_t)count * sizeof *param->values)))
            return diag_oom(p->d, _("reading a sweep"));
        param->value_count = (size_t)count;
        size_t i = 0;
        for (const cJSON *v = values->child; v; v = v->next, i++) {
            char at[JSONFILE_PATH_MAX];
            jsonfile_path_index(at, here, i);
            if (!jsonfile_number(v, &param->values[i]))
                return sweep_error(p, v, at, _("a grid value must be a number, not %s"), jsonfile_type_name(v));
            if (sweep_check_bounds(p, v, at, param, param->values[i], param->values[i]) != DIAG_OK)
                return p->d->status;
            for (size_t j = 0; j < i; j++)
                if (param->values[j] == param->values[i])
                    return sweep_error(p, v, at, _("%g is already value %zu of %s"), param->values[i], j, param->name);
        }
        return DIAG_OK;
    }
    if (!min || !max || !steps)
        return sweep_error(p, spec, path,
                           _("a grid parameter needs \"values\": [...], or \"min\", \"max\" and \"steps\" (the number "
                           "of evenly spaced values, ends included)"));
    double lo, hi, n;
    jsonfile_path_key(here, path, "min");
    if (!jsonfile_number(min, &lo))
        return sweep_error(p, min, here, _("\"min\" must be a number, not %s"), jsonfile_type_name(min));
    jsonfile_path_key(here, path, "max");
    if (!jsonfile_number(max, &hi))
        return sweep_error(p, max, here, _("\"max\" must be a number, not %s"), jsonfile_type_name(max));
    if (!(lo < hi))
        return sweep_error(p, max, here, _("min %g must be below max %g"), lo, hi);
    jsonfile_path_key(here, path, "steps");
    if (!jsonfile_number(steps, &n) || n != floor(n) || n < 2 || n > SWEEP_MAX_GRID_VALUES)
        return sweep_error(p, steps, here, _("\"steps\" must be a whole number from 2 to %d (values, ends included)"),
                           SWEEP_MAX_GRID_VALUES);
    if (sweep_check_bounds(p, spec, path, param, lo, hi) != DIAG_OK)
        return p->d->status;
    param->value_count = (size_t)n;
    if (!(param->values = mem_alloc(param->value_count * sizeof *param->values)))
        return diag_oom(p->d, _("reading a sweep"));
    for (size_t i = 0; i < param->value_count; i++)
        param->values[i] = i + 1 == param->value_count ? hi : lo + (hi - lo) * (double)i / (double)(param->value_count - 1);
    return DIAG_OK;
}

static int sweep_parse_oat_parameter(const sweep_parser *p, const cJSON *spec, const char *path, sweep_parameter *param)
{
    static const char *const keys[] = {"low", "high", "min", "max", "note", NULL};
    if (jsonfile_check_keys(spec, keys, scenario_origin(p->scenario, spec), path, _("a one-at-a-time parameter"), p->d) !=
        DIAG_OK)
        return p->d->status;
    const cJSON *low = cJSON_GetObjectItemCaseSensitive(spec, "low");
    const cJSON *high = cJSON_GetObjectItemCaseSensitive(spec, "high");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(spec, "min");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(spec, "max");
    if ((low && min) || (high && max))
        return sweep_error(p, spec, path, _("give \"low\" and \"high\" (or \"min\" and \"max\"), not both"));
    const char *low_key = low ? "low" : "min", *high_key = high ? "high" : "max";
    low = low ? low : min;
    high = high ? high : max;
    if (!low || !high)
        return sweep_error(p, spec, path, _("a one-at-a-time parameter needs \"low\" and \"high\""));
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, low_key);
    if (!jsonfile_number(low, &param->low))
        return sweep_error(p, low, here, _("\"%s\" must be a number, not %s"), low_key, jsonfile_type_name(low));
    jsonfile_path_key(here, path, high_key);
    if (!jsonfile_number(high, &param->high))
        return sweep_error(p, high, here, _("\"%s\" must be a number, not %s"), high_key, jsonfile_type_name(high));
    if (!(param->low < param->high))
        return sweep_error(p, high, here, _("%s %g must be below %s %g"), low_key, param->low, high_key, param->high);
    return sweep_check_bounds(p, spec, path, param, param->low, param->high);
}

static int sweep_parse_dist_parameter(const sweep_parser *p, sweep_method method, const cJSON *spec, const char *path,
                                      sweep_parameter *param)
{
    if (dist_parse(spec, scenario_origin(p->scenario, spec), path, NULL, DIST_UNIFORM, &param->dist, p->d) != DIAG_OK)
        return p->d->status;
    double lo, hi;
    dist_support(&param->dist, &lo, &hi);
    char description[160];
    dist_describe(&param->dist, description, sizeof description);
    if (method == SWEEP_MORRIS && !(isfinite(lo) && isfinite(hi)))
        return sweep_error(p, spec, path,
                           _("%s: Morris moves each parameter over a grid between the bounds of its distribution, and "
                           "%s is unbounded: give \"min\" and \"max\", or a bounded distribution"),
                           param->name, description);
    const model_slot *ms = &p->r->model->slots[param->slot];
    if (isfinite(lo) && isfinite(hi))
        return sweep_check_bounds(p, spec, path, param, lo, hi);
    if (lo < ms->min || hi > ms->max)
        diag_warning(p->d, _("%s: %s: %s is unbounded and the model bounds %s to [%g, %g]: draws beyond them are used as drawn"),
                     scenario_origin(p->scenario, spec), path, description, param->name, ms->min, ms->max);
    return DIAG_OK;
}

static int sweep_parse_parameters(const sweep_parser *p, sweep_spec *spec)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(p->block, "parameters");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, "parameters");
    if (!params)
        return sweep_error(p, NULL, p->path, _("missing \"parameters\": the model parameters and exogenous series to vary"));
    int count = cJSON_IsObject(params) ? cJSON_GetArraySize(params) : -1;
    if (count < 0)
        return sweep_error(p, params, path, _("\"parameters\" must be an object of NAME: {range or distribution}, not %s"),
                           jsonfile_type_name(params));
    if (count == 0)
        return sweep_error(p, params, path, _("\"parameters\" is empty: name at least one parameter to vary"));
    if (count > SWEEP_MAX_PARAMETERS)
        return sweep_error(p, params, path, _("%d parameters: at most %d"), count, SWEEP_MAX_PARAMETERS);
    if (spec->method == SWEEP_SOBOL && count > SENSITIVITY_SOBOL_MAX_PARAMETERS)
        return sweep_error(p, params, path,
                           _("%d parameters: a Sobol' sweep takes at most %d (Saltelli's design needs 2k dimensions and "
                           "GSL's Sobol' sequence has %d); use morris to screen them first"),
                           count, SENSITIVITY_SOBOL_MAX_PARAMETERS, SENSITIVITY_SOBOL_MAX_DIMENSIONS);
    if (!(spec->parameters = mem_calloc((size_t)count, sizeof *spec->parameters)))
        return diag_oom(p->d, _("reading a sweep"));
    const model *m = p->r->model;
    int failed = DIAG_OK;
    for (const cJSON *item = params->child; item; item = item->next) {
        /* a bad parameter is reported and the others are read on */
        if (failed == DIAG_SOFTWARE)
            return failed;
        sweep_parameter *param = &spec->parameters[spec->parameter_count++];
        param->slot = -1;
        jsonfile_path_key(param->json_path, path, item->string);
        int slot = model_resolve(m, item->string); /* a name or its label */
        if (!(param->name = mem_strdup(slot >= 0 ? m->slots[slot].name : item->string)))
            return diag_oom(p->d, _("reading a sweep"));
        if (slot < 0) {
            char hint[768];
            model_name_hint(m, item->string, MODEL_KINDS_INPUTS, hint, sizeof hint);
            failed = sweep_error(p, item, param->json_path, _("unknown parameter \"%.80s\"%s"), item->string, hint);
            continue;
        }
        param->slot = slot;
        const model_slot *ms = &m->slots[slot];
        if (ms->kind == MODEL_VARIABLE) {
            failed = sweep_error(p, item, param->json_path,
                                 _("\"%s\" is a variable, computed by its equation: a sweep varies parameters and "
                                 "exogenous series"),
                                 item->string);
            continue;
        }
        param->label = ms->label;
        param->unit = ms->unit;
        if (!cJSON_IsObject(item)) {
            failed = sweep_error(p, item, param->json_path, _("the spec of %s must be an object, not %s"), item->string,
                                 jsonfile_type_name(item));
            continue;
        }
        int status;
        switch (spec->method) {
        case SWEEP_GRID:
            status = sweep_parse_grid_parameter(p, item, param->json_path, param);
            break;
        case SWEEP_OAT:
            status = sweep_parse_oat_parameter(p, item, param->json_path, param);
            break;
        default:
            status = sweep_parse_dist_parameter(p, spec->method, item, param->json_path, param);
            break;
        }
        if (status != DIAG_OK) {
            failed = status;
            continue;
        }
        if (!p->r->plan)
            continue; /* other mistakes kept the plan from being built */
        if (sweep_parameter_cells(p->r->plan, param, ms->kind) != DIAG_OK)
            return diag_oom(p->d, _("reading a sweep"));
        if (param->cell_count == 0)
            failed = sweep_error(p, item, param->json_path,
                                 _("%s is observed in every year from %d to %d: a sweep cannot change it"), param->name,
                                 p->r->plan->start, p->r->plan->end);
    }
    return failed;
}


/* The number of samples and the run count; Sobol' N must be a power of two. */
/* A grid's runs: every combination of the values (at most SWEEP_MAX_GRID_RUNS). */
static int sweep_grid_runs(const sweep_parser *p, sweep_spec *spec)
{
    size_t runs = 1;
    for (size_t i = 0; i < spec->parameter_count; i++) {
        if (runs > SWEEP_MAX_GRID_RUNS / spec->parameters[i].value_count) {
            char parameters[JSONFILE_PATH_MAX];
            jsonfile_path_key(parameters, p->path, "parameters");
            return sweep_error(p, NULL, parameters, _("the grid has more than %d runs: use fewer values"),
                               SWEEP_MAX_GRID_RUNS);
        }
        runs *= spec->parameters[i].value_count;
    }
    spec->runs = runs;
    return DIAG_OK;
}

/* Morris: "trajectories" (default SWEEP_DEFAULT_TRAJECTORIES) and an even number of "levels"
 * (default SWEEP_DEFAULT_LEVELS). */
static int sweep_read_morris_size(const sweep_parser *p, sweep_spec *spec, int *present)
{
    spec->samples = SWEEP_DEFAULT_TRAJECTORIES;
    if (sweep_read_count(p, "trajectories", 0, SWEEP_MAX_RUNS, &spec->samples, present) != DIAG_OK)
        return p->d->status;
    spec->levels = SWEEP_DEFAULT_LEVELS;
    size_t levels = spec->levels;
    if (sweep_read_count(p, "levels", 2, SENSITIVITY_MORRIS_MAX_LEVELS, &levels, NULL) != DIAG_OK)
        return p->d->status;
    if (levels % 2) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, p->path, "levels");
        return sweep_error(p, cJSON_GetObjectItemCaseSensitive(p->block, "levels"), here,
                           _("\"levels\" must be even (the step is p/(2(p-1)) levels), not %zu: use %zu or %zu"),
                           levels, levels - 1, levels + 1);
    }
    spec->levels = (unsigned)levels;
    return DIAG_OK;
}

/* The sample count of a sobol, montecarlo or morris sweep, from the file or --samples (which
 * wins): at least 1 (2 for sobol and morris), a power of two for sobol, and a design within
 * SWEEP_MAX_RUNS; sets spec->runs. A mistake in --samples is DIAG_USAGE, in the file DIAG_DATA
 * at `path`. */
static int sweep_check_samples(const sweep_parser *p, sweep_spec *spec, const sweep_overrides *overrides,
                               const char *path)
{
    size_t k = spec->parameter_count;
    const cJSON *samples_node = cJSON_GetObjectItemCaseSensitive(p->block, "samples");
    int from_option = overrides && overrides->samples;
    if (from_option)
        spec->samples = overrides->samples;
    const cJSON *node = spec->method == SWEEP_MORRIS ? cJSON_GetObjectItemCaseSensitive(p->block, "trajectories")
                                                     : samples_node;
    const char *what = spec->method == SWEEP_MORRIS ? "trajectories" : "samples";
    if (spec->samples == 0) {
        if (from_option)
            return diag_error(p->d, DIAG_USAGE, _("--samples must be at least 1"));
        return sweep_error(p, node, path, _("\"%s\" is 0: a sweep needs at least %s"), what,
                           spec->method == SWEEP_MORRIS  ? _("2 trajectories")
                           : spec->method == SWEEP_SOBOL ? _("2 samples")
                                                         : _("1 sample"));
    }
    if (spec->method == SWEEP_SOBOL && !sensitivity_is_power_of_two(spec->samples)) {
        size_t below, above;
        sensitivity_nearest_powers_of_two(spec->samples, &below, &above);
        if (from_option)
            return diag_error(p->d, DIAG_USAGE,
                              _("--samples %zu is not a power of two: a Sobol' sweep needs N = 2^m; use %zu or %zu"),
                              spec->samples, below, above);
        return sweep_error(p, node, path,
                           _("%zu is not a power of two: a Sobol' sweep needs N = 2^m (its points are balanced only "
                           "then); use %zu or %zu"),
                           spec->samples, below, above);
    }
    if ((spec->method == SWEEP_SOBOL || spec->method == SWEEP_MORRIS) && spec->samples < 2) {
        if (from_option)
            return diag_error(p->d, DIAG_USAGE, _("--samples must be at least 2 for a %s sweep"),
                              sweep_method_name(spec->method));
        return sweep_error(p, node, path, _("a %s sweep needs at least 2 %s to estimate anything"),
                           sweep_method_name(spec->method), what);
    }
    size_t per = spec->method == SWEEP_SOBOL ? k + 2 : spec->method == SWEEP_MORRIS ? k + 1 : 1;
    if (spec->samples > SWEEP_MAX_RUNS / per) {
        if (from_option)
            return diag_error(p->d, DIAG_USAGE, _("--samples %zu makes more than %d model runs"), spec->samples,
                              SWEEP_MAX_RUNS);
        return sweep_error(p, node, path, _("%zu %s make more than %d model runs"), spec->samples, what, SWEEP_MAX_RUNS);
    }
    spec->runs = spec->samples * per;
    return DIAG_OK;
}

/* "samples": "auto" (sobol only, with intervals): the cap "max_samples", a power of two from
 * SWEEP_AUTO_START to SWEEP_AUTO_MAX_LIMIT (default SWEEP_AUTO_MAX). */
static int sweep_read_auto(const sweep_parser *p, sweep_spec *spec, const cJSON *samples, const char *path)
{
    if (spec->method != SWEEP_SOBOL)
        return sweep_error(p, samples, path, _("\"samples\": \"auto\" is for sobol sweeps, whose indices have "
                                             "intervals to converge; give this %s sweep a number"),
                           sweep_method_name(spec->method));
    if (spec->bootstrap < 2)
        return sweep_error(p, samples, path, _("\"samples\": \"auto\" stops when the bootstrap intervals are narrow "
                                             "enough: it needs \"bootstrap\" of at least 2 (default 1000)"));
    size_t cap = SWEEP_AUTO_MAX;
    int present = 0;
    if (sweep_read_count(p, "max_samples", 2, (double)SWEEP_AUTO_MAX_LIMIT, &cap, &present) != DIAG_OK)
        return p->d->status;
    if (present && !sensitivity_is_power_of_two(cap)) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, p->path, "max_samples");
        size_t below, above;
        sensitivity_nearest_powers_of_two(cap, &below, &above);
        return sweep_error(p, cJSON_GetObjectItemCaseSensitive(p->block, "max_samples"), here,
                           _("%zu is not a power of two: \"auto\" doubles N, so its cap is 2^m; use %zu or %zu"), cap,
                           below, above);
    }
    size_t k = spec->parameter_count;
    spec->samples_auto = 1;
    spec->samples_max = cap;
    spec->samples = cap < SWEEP_AUTO_START ? cap : SWEEP_AUTO_START;
    spec->runs = spec->samples * (k + 2);
    return DIAG_OK;
}

static int sweep_parse_size(const sweep_parser *p, sweep_spec *spec, const sweep_overrides *overrides)
{
    int present = 0;
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, spec->method == SWEEP_MORRIS ? "trajectories" : "samples");
    if (overrides && overrides->samples && (spec->method == SWEEP_GRID || spec->method == SWEEP_OAT))
        return diag_error(p->d, DIAG_USAGE, _("--samples does not apply to a %s sweep: its runs are %s"),
                          sweep_method_name(spec->method),
                          spec->method == SWEEP_GRID ? _("every combination of the values")
                                                     : _("the base, and low and high of each parameter"));
    switch (spec->method) {
    case SWEEP_GRID:
        return sweep_grid_runs(p, spec);
    case SWEEP_OAT:
        spec->runs = 2 * spec->parameter_count + 1;
        return DIAG_OK;
    case SWEEP_MORRIS:
        if (sweep_read_morris_size(p, spec, &present) != DIAG_OK)
            return p->d->status;
        break;
    default: {
        const cJSON *samples = cJSON_GetObjectItemCaseSensitive(p->block, "samples");
        if (cJSON_IsString(samples) && !strcmp(samples->valuestring, "auto") && !(overrides && overrides->samples))
            return sweep_read_auto(p, spec, samples, path);
        if (cJSON_GetObjectItemCaseSensitive(p->block, "max_samples") && !(overrides && overrides->samples)) {
            char here[JSONFILE_PATH_MAX];
            jsonfile_path_key(here, p->path, "max_samples");
            return sweep_error(p, cJSON_GetObjectItemCaseSensitive(p->block, "max_samples"), here,
                               _("\"max_samples\" caps \"samples\": \"auto\"; with a fixed N, leave it out"));
        }
        if (cJSON_IsString(samples) && !strcmp(samples->valuestring, "auto"))
            present = 1; /* --samples N replaces "auto" */
        else if (sweep_read_count(p, "samples", 0, SWEEP_MAX_RUNS, &spec->samples, &present) != DIAG_OK)
            return p->d->status;
        if (!present && !(overrides && overrides->samples))
            return sweep_error(p, NULL, p->path,
                               spec->method == SWEEP_SOBOL
                                   ? _("a sobol sweep needs \"samples\": N base rows, a power of two such as 1024 "
                                     "(it makes N(k+2) model runs)")
                                   : _("a montecarlo sweep needs \"samples\": the number of runs, e.g. 10000"));
        break;
    }
    }
    return sweep_check_samples(p, spec, overrides, path);
}

/* The sweep's "method" (grid, oat, montecarlo, sobol or morris), and the keys it may use. */
static int sweep_read_method(const sweep_parser *p, sweep_spec *spec)
{
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(p->block, "method");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, "method");
    static const char *const methods[] = {"grid", "oat", "montecarlo", "sobol", "morris"};
    if (!method) {
        sweep_error(p, NULL, p->path, _("missing \"method\": one of grid, oat, montecarlo, sobol, morris"));
        return p->d->status;
    }
    if (!cJSON_IsString(method)) {
        sweep_error(p, method, path, _("\"method\" must be a string (grid, oat, montecarlo, sobol or morris), not %s"),
                    jsonfile_type_name(method));
        return p->d->status;
    }
    size_t m;
    for (m = 0; m < 5 && strcmp(methods[m], method->valuestring); m++)
        ;
    if (m == 5) {
        const char *hint = text_suggest(method->valuestring, methods, 5);
        if (hint)
            sweep_error(p, method, path, _("unknown method \"%s\" (did you mean \"%s\"?)"), method->valuestring, hint);
        else
            sweep_error(p, method, path, _("unknown method \"%s\": use grid, oat, montecarlo, sobol or morris"),
                        method->valuestring);
        return p->d->status;
    }
    spec->method = (sweep_method)m;
    return sweep_check_method_keys(p, spec->method);
}

/* The seed (--seed wins), scramble, bootstrap, confidence and threshold, with their defaults. */
static int sweep_read_settings(const sweep_parser *p, sweep_spec *spec, const sweep_overrides *overrides)
{
    char path[JSONFILE_PATH_MAX];
    size_t seed = SWEEP_DEFAULT_SEED;
    if (sweep_read_count(p, "seed", 0, 2147483647.0, &seed, NULL) != DIAG_OK)
        return p->d->status;
    spec->seed = overrides && overrides->seed_given ? overrides->seed : (unsigned long)seed;
    spec->scramble = 1;
    const cJSON *scramble = cJSON_GetObjectItemCaseSensitive(p->block, "scramble");
    if (scramble) {
        jsonfile_path_key(path, p->path, "scramble");
        if (!cJSON_IsBool(scramble)) {
            sweep_error(p, scramble, path, _("\"scramble\" must be true or false, not %s"), jsonfile_type_name(scramble));
            return p->d->status;
        }
        spec->scramble = cJSON_IsTrue(scramble);
    }
    spec->bootstrap = SWEEP_DEFAULT_BOOTSTRAP;
    spec->confidence = SWEEP_DEFAULT_CONFIDENCE;
    spec->threshold = SWEEP_DEFAULT_THRESHOLD;
    if (sweep_read_count(p, "bootstrap", 0, SWEEP_MAX_BOOTSTRAP, &spec->bootstrap, NULL) != DIAG_OK ||
        sweep_read_fraction(p, "confidence", 0.5, 1, &spec->confidence) != DIAG_OK ||
        sweep_read_fraction(p, "threshold", 0, 2, &spec->threshold) != DIAG_OK)
        return p->d->status;
    if (spec->bootstrap == 1) {
        jsonfile_path_key(path, p->path, "bootstrap");
        sweep_error(p, cJSON_GetObjectItemCaseSensitive(p->block, "bootstrap"), path,
                    _("\"bootstrap\" must be 0 (no intervals) or at least 2 resamples, e.g. 1000"));
        return p->d->status;
    }
    return DIAG_OK;
}

sweep_spec *sweep_parse(const run *r, const cJSON *block, const sweep_overrides *overrides, diag *d)
{
    sweep_parser p = {.r = r, .scenario = r->scenario, .block = block, .d = d};
    snprintf(p.path, sizeof p.path, "$.sweep");
    if (!block) {
        diag_error_file(d, DIAG_DATA, r->scenario->path,
                        _("the scenario has no \"sweep\" block: add one, e.g. \"sweep\": {\"method\": \"sobol\", "
                        "\"samples\": 1024, \"parameters\": {...}, \"outputs\": [...]}"));
        return NULL;
    }
    sweep_spec *spec = mem_calloc(1, sizeof *spec);
    if (!spec || !(spec->file = mem_strdup(scenario_origin(r->scenario, block)))) {
        mem_free(spec);
        diag_oom(d, _("reading a sweep"));
        return NULL;
    }
    static const char *const keys[] = {"method", "samples", "trajectories", "levels", "seed", "scramble", "bootstrap",
                                       "confidence", "threshold", "parameters", "outputs", "discover", "max_samples", "note",
                                       NULL};
    if (!cJSON_IsObject(block)) {
        sweep_error(&p, block, p.path, _("\"sweep\" must be an object, not %s"), jsonfile_type_name(block));
        goto fail;
    }
    if (jsonfile_check_keys(block, keys, spec->file, p.path, _("the sweep"), d) != DIAG_OK)
        goto fail;
    if (sweep_read_method(&p, spec) != DIAG_OK || sweep_read_settings(&p, spec, overrides) != DIAG_OK)
        goto fail;
    /* parameters and outputs both, so the mistakes of either are reported in one run */
    int status = sweep_parse_parameters(&p, spec);
    if (status != DIAG_SOFTWARE && (!r->plan || sweep_parse_outputs(&p, spec) != DIAG_OK))
        status = d->status != DIAG_OK ? d->status : DIAG_DATA;
    if (status != DIAG_OK || sweep_parse_size(&p, spec, overrides) != DIAG_OK)
        goto fail;
    return spec;
fail:
    sweep_spec_free(spec);
    return NULL;
}

