/* sweep.c: the sweep block of a scenario, its design, its model runs on the block engine, the
 * analyses and the files of `econsim sweep`.
 *
 * Designs are generated deterministically before any model runs (Sobol' points, Morris
 * trajectories) or derived from the run index (grid, one-at-a-time); Monte Carlo draws come
 * from the engine's per-block random streams. So the parameter values of run i depend on the
 * seed and i alone, never on the number of threads, and every file is byte-identical for any
 * --threads. Runs do not share state: each block's lanes get all the swept inputs written
 * (the scenario's own values where a run keeps them) on top of the clean plan, and the plan
 * itself is never modified. */
#include "sweep.h"
#include "engine.h"
#include "goals.h"
#include "mem.h"
#include "report.h"
#include "text.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *sweep_method_name(sweep_method method)
{
    static const char *const names[] = {"grid", "oat", "montecarlo", "sobol", "morris"};
    return (unsigned)method < sizeof names / sizeof names[0] ? names[method] : "";
}

void sweep_spec_free(sweep_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->parameter_count; i++) {
        mem_free(spec->parameters[i].name);
        mem_free(spec->parameters[i].values);
        mem_free(spec->parameters[i].cells);
    }
    for (size_t o = 0; o < spec->output_count; o++) {
        mem_free(spec->outputs[o].name);
        mem_free(spec->outputs[o].label);
        mem_free(spec->outputs[o].goal_id);
    }
    mem_free(spec->parameters);
    mem_free(spec->outputs);
    mem_free(spec->file);
    mem_free(spec);
}

/* ---------------------------------------------------------------------------------------- */
/* Parsing                                                                                    */

/* What the parser carries around. */
typedef struct sweep_parser {
    const run *r;
    const scenario *scenario;
    const cJSON *block;
    char path[JSONFILE_PATH_MAX]; /* "$.sweep" */
    diag *d;
} sweep_parser;

static int sweep_error(const sweep_parser *p, const cJSON *node, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int sweep_error(const sweep_parser *p, const cJSON *node, const char *path, const char *fmt, ...)
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
        return sweep_error(p, item, path, "\"%s\" must be a whole number, not %s", key, jsonfile_type_name(item));
    if (v < min || v > max)
        return sweep_error(p, item, path, "\"%s\" must be from %.0f to %.0f, not %g", key, min, max, v);
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
        return sweep_error(p, item, path, "\"%s\" must be a number, not %s", key, jsonfile_type_name(item));
    if (!(v > low && v < high))
        return sweep_error(p, item, path, "\"%s\" must be above %g and below %g, not %g", key, low, high, v);
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
        {"samples", 1u << SWEEP_SOBOL | 1u << SWEEP_MONTECARLO, "sobol and montecarlo sweeps (morris counts \"trajectories\")"},
        {"trajectories", 1u << SWEEP_MORRIS, "morris sweeps"},
        {"levels", 1u << SWEEP_MORRIS, "morris sweeps"},
        {"scramble", 1u << SWEEP_SOBOL, "sobol sweeps"},
        {"bootstrap", 1u << SWEEP_SOBOL | 1u << SWEEP_MORRIS, "sobol and morris sweeps"},
        {"confidence", 1u << SWEEP_SOBOL | 1u << SWEEP_MORRIS, "sobol and morris sweeps"},
        {"threshold", 1u << SWEEP_SOBOL | 1u << SWEEP_MORRIS, "sobol and morris sweeps"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(p->block, keys[i].key);
        if (item && !(keys[i].methods & (1u << method))) {
            char path[JSONFILE_PATH_MAX];
            jsonfile_path_key(path, p->path, keys[i].key);
            return sweep_error(p, item, path, "\"%s\" belongs to %s; this sweep's method is %s", keys[i].key,
                               keys[i].use, sweep_method_name(method));
        }
    }
    return DIAG_OK;
}

/* The cells a run sets for `slot`: a parameter in every year, an exogenous series from start
 * to end; observed cells keep their observation (as sim_plan_set_input). */
static int sweep_parameter_cells(const sim_plan *plan, sweep_parameter *param, model_kind kind)
{
    size_t from = 0, to = plan->years;
    if (kind == MODEL_EXOGENOUS) {
        from = (size_t)sim_plan_year_index(plan, plan->start);
        to = (size_t)sim_plan_year_index(plan, plan->end) + 1;
    }
    param->cells = mem_alloc((to - from) * sizeof *param->cells);
    if (!param->cells)
        return -1;
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
    return 0;
}

/* Checks that [lo, hi] lies within the model's bounds of the parameter. */
static int sweep_check_bounds(const sweep_parser *p, const cJSON *node, const char *path, const sweep_parameter *param,
                              double lo, double hi)
{
    const model_slot *ms = &p->r->model->slots[param->slot];
    if (lo < ms->min)
        return sweep_error(p, node, path, "%s: %g is below the model's lower bound %g (%s: %s)", param->name, lo,
                           ms->min, p->r->model->path, ms->json_path);
    if (hi > ms->max)
        return sweep_error(p, node, path, "%s: %g is above the model's upper bound %g (%s: %s)", param->name, hi,
                           ms->max, p->r->model->path, ms->json_path);
    return DIAG_OK;
}

static int sweep_parse_grid_parameter(const sweep_parser *p, const cJSON *spec, const char *path,
                                      sweep_parameter *param)
{
    static const char *const keys[] = {"values", "min", "max", "steps", "note", NULL};
    if (jsonfile_check_keys(spec, keys, scenario_origin(p->scenario, spec), path, "a grid parameter", p->d) != DIAG_OK)
        return p->d->status;
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(spec, "values");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(spec, "min");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(spec, "max");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(spec, "steps");
    char here[JSONFILE_PATH_MAX];
    if (values && (min || max || steps))
        return sweep_error(p, spec, path, "give either \"values\" or \"min\", \"max\" and \"steps\", not both");
    if (values) {
        jsonfile_path_key(here, path, "values");
        int count = cJSON_IsArray(values) ? cJSON_GetArraySize(values) : -1;
        if (count < 1 || count > SWEEP_MAX_GRID_VALUES)
            return sweep_error(p, values, here, "\"values\" must be an array of 1 to %d numbers",
                               SWEEP_MAX_GRID_VALUES);
        if (!(param->values = mem_alloc((size_t)count * sizeof *param->values)))
            return diag_oom(p->d, "reading a sweep");
        param->value_count = (size_t)count;
        size_t i = 0;
        for (const cJSON *v = values->child; v; v = v->next, i++) {
            char at[JSONFILE_PATH_MAX];
            jsonfile_path_index(at, here, i);
            if (!jsonfile_number(v, &param->values[i]))
                return sweep_error(p, v, at, "a grid value must be a number, not %s", jsonfile_type_name(v));
            if (sweep_check_bounds(p, v, at, param, param->values[i], param->values[i]) != DIAG_OK)
                return p->d->status;
            for (size_t j = 0; j < i; j++)
                if (param->values[j] == param->values[i])
                    return sweep_error(p, v, at, "%g is already value %zu of %s", param->values[i], j, param->name);
        }
        return DIAG_OK;
    }
    if (!min || !max || !steps)
        return sweep_error(p, spec, path,
                           "a grid parameter needs \"values\": [...], or \"min\", \"max\" and \"steps\" (the number "
                           "of evenly spaced values, ends included)");
    double lo, hi, n;
    jsonfile_path_key(here, path, "min");
    if (!jsonfile_number(min, &lo))
        return sweep_error(p, min, here, "\"min\" must be a number, not %s", jsonfile_type_name(min));
    jsonfile_path_key(here, path, "max");
    if (!jsonfile_number(max, &hi))
        return sweep_error(p, max, here, "\"max\" must be a number, not %s", jsonfile_type_name(max));
    if (!(lo < hi))
        return sweep_error(p, max, here, "min %g must be below max %g", lo, hi);
    jsonfile_path_key(here, path, "steps");
    if (!jsonfile_number(steps, &n) || n != floor(n) || n < 2 || n > SWEEP_MAX_GRID_VALUES)
        return sweep_error(p, steps, here, "\"steps\" must be a whole number from 2 to %d (values, ends included)",
                           SWEEP_MAX_GRID_VALUES);
    if (sweep_check_bounds(p, spec, path, param, lo, hi) != DIAG_OK)
        return p->d->status;
    param->value_count = (size_t)n;
    if (!(param->values = mem_alloc(param->value_count * sizeof *param->values)))
        return diag_oom(p->d, "reading a sweep");
    for (size_t i = 0; i < param->value_count; i++)
        param->values[i] = i + 1 == param->value_count ? hi : lo + (hi - lo) * (double)i / (double)(param->value_count - 1);
    return DIAG_OK;
}

static int sweep_parse_oat_parameter(const sweep_parser *p, const cJSON *spec, const char *path, sweep_parameter *param)
{
    static const char *const keys[] = {"low", "high", "min", "max", "note", NULL};
    if (jsonfile_check_keys(spec, keys, scenario_origin(p->scenario, spec), path, "a one-at-a-time parameter", p->d) !=
        DIAG_OK)
        return p->d->status;
    const cJSON *low = cJSON_GetObjectItemCaseSensitive(spec, "low");
    const cJSON *high = cJSON_GetObjectItemCaseSensitive(spec, "high");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(spec, "min");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(spec, "max");
    if ((low && min) || (high && max))
        return sweep_error(p, spec, path, "give \"low\" and \"high\" (or \"min\" and \"max\"), not both");
    const char *low_key = low ? "low" : "min", *high_key = high ? "high" : "max";
    low = low ? low : min;
    high = high ? high : max;
    if (!low || !high)
        return sweep_error(p, spec, path, "a one-at-a-time parameter needs \"low\" and \"high\"");
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, low_key);
    if (!jsonfile_number(low, &param->low))
        return sweep_error(p, low, here, "\"%s\" must be a number, not %s", low_key, jsonfile_type_name(low));
    jsonfile_path_key(here, path, high_key);
    if (!jsonfile_number(high, &param->high))
        return sweep_error(p, high, here, "\"%s\" must be a number, not %s", high_key, jsonfile_type_name(high));
    if (!(param->low < param->high))
        return sweep_error(p, high, here, "%s %g must be below %s %g", low_key, param->low, high_key, param->high);
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
                           "%s: Morris moves each parameter over a grid between the bounds of its distribution, and "
                           "%s is unbounded: give \"min\" and \"max\", or a bounded distribution",
                           param->name, description);
    const model_slot *ms = &p->r->model->slots[param->slot];
    if (isfinite(lo) && isfinite(hi))
        return sweep_check_bounds(p, spec, path, param, lo, hi);
    if (lo < ms->min || hi > ms->max)
        diag_warning(p->d, "%s: %s: %s is unbounded and the model bounds %s to [%g, %g]: draws beyond them are used as drawn",
                     scenario_origin(p->scenario, spec), path, description, param->name, ms->min, ms->max);
    return DIAG_OK;
}

static int sweep_parse_parameters(const sweep_parser *p, sweep_spec *spec)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(p->block, "parameters");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, "parameters");
    if (!params)
        return sweep_error(p, NULL, p->path, "missing \"parameters\": the model parameters and exogenous series to vary");
    int count = cJSON_IsObject(params) ? cJSON_GetArraySize(params) : -1;
    if (count < 0)
        return sweep_error(p, params, path, "\"parameters\" must be an object of NAME: {range or distribution}, not %s",
                           jsonfile_type_name(params));
    if (count == 0)
        return sweep_error(p, params, path, "\"parameters\" is empty: name at least one parameter to vary");
    if (count > SWEEP_MAX_PARAMETERS)
        return sweep_error(p, params, path, "%d parameters: at most %d", count, SWEEP_MAX_PARAMETERS);
    if (spec->method == SWEEP_SOBOL && count > SENSITIVITY_SOBOL_MAX_PARAMETERS)
        return sweep_error(p, params, path,
                           "%d parameters: a Sobol' sweep takes at most %d (Saltelli's design needs 2k dimensions and "
                           "GSL's Sobol' sequence has %d); use morris to screen them first",
                           count, SENSITIVITY_SOBOL_MAX_PARAMETERS, SENSITIVITY_SOBOL_MAX_DIMENSIONS);
    if (!(spec->parameters = mem_calloc((size_t)count, sizeof *spec->parameters)))
        return diag_oom(p->d, "reading a sweep");
    const model *m = p->r->model;
    for (const cJSON *item = params->child; item; item = item->next) {
        sweep_parameter *param = &spec->parameters[spec->parameter_count++];
        param->slot = -1;
        jsonfile_path_key(param->json_path, path, item->string);
        if (!(param->name = mem_strdup(item->string)))
            return diag_oom(p->d, "reading a sweep");
        int slot = model_find(m, item->string);
        if (slot < 0) {
            const char *hint = model_suggest(m, item->string, MODEL_PARAMETER);
            const char *hint2 = model_suggest(m, item->string, MODEL_EXOGENOUS);
            hint = hint ? hint : hint2;
            if (hint)
                return sweep_error(p, item, param->json_path,
                                   "unknown parameter \"%s\" (did you mean \"%s\"?): a sweep varies parameters and "
                                   "exogenous series of %s",
                                   item->string, hint, m->path);
            return sweep_error(p, item, param->json_path,
                               "unknown parameter \"%s\": a sweep varies parameters and exogenous series of %s",
                               item->string, m->path);
        }
        param->slot = slot;
        const model_slot *ms = &m->slots[slot];
        if (ms->kind == MODEL_VARIABLE)
            return sweep_error(p, item, param->json_path,
                               "\"%s\" is a variable, computed by its equation: a sweep varies parameters and "
                               "exogenous series",
                               item->string);
        param->label = ms->label;
        param->unit = ms->unit;
        if (!cJSON_IsObject(item))
            return sweep_error(p, item, param->json_path, "the spec of %s must be an object, not %s", item->string,
                               jsonfile_type_name(item));
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
        if (status != DIAG_OK)
            return status;
        if (sweep_parameter_cells(p->r->plan, param, ms->kind) != 0)
            return diag_oom(p->d, "reading a sweep");
        if (param->cell_count == 0)
            return sweep_error(p, item, param->json_path,
                               "%s is observed in every year from %d to %d: a sweep cannot change it", param->name,
                               p->r->plan->start, p->r->plan->end);
    }
    return DIAG_OK;
}

/* Adds output `o` for goal g of the set. */
static int sweep_goal_output(const sweep_parser *p, sweep_output *out, const goals_goal *goal)
{
    const sim_plan *plan = p->r->plan;
    char name[GOALS_MAX_ID + 8];
    snprintf(name, sizeof name, "met:%s", goal->id);
    out->name = mem_strdup(name);
    out->label = mem_strdup(goal->label ? goal->label : goal->id);
    out->goal_id = mem_strdup(goal->id);
    if (!out->name || !out->label || !out->goal_id)
        return diag_oom(p->d, "reading a sweep");
    out->unit = "0/1";
    out->is_goal = 1;
    out->slot = goal->slot;
    out->year = goal->year;
    out->cell = (size_t)goal->slot * plan->years + (size_t)sim_plan_year_index(plan, goal->year);
    out->goal_growth = goal->kind == GOALS_GROWTH;
    out->goal_at_most = goal->direction == GOALS_AT_MOST;
    out->goal_target = goal->target;
    return DIAG_OK;
}

static int sweep_parse_outputs(const sweep_parser *p, sweep_spec *spec)
{
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(p->block, "outputs");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, "outputs");
    if (!outputs)
        return sweep_error(p, NULL, p->path, "missing \"outputs\": e.g. [\"fiscal_revenue@2025\", \"met:GOAL_ID\"]");
    int count = cJSON_IsArray(outputs) ? cJSON_GetArraySize(outputs) : -1;
    if (count < 1)
        return sweep_error(p, outputs, path,
                           "\"outputs\" must be a non-empty array of \"VARIABLE@YEAR\" or \"met:GOAL_ID\" strings");
    const model *m = p->r->model;
    const sim_plan *plan = p->r->plan;
    goals_set *goals = NULL;
    size_t capacity = 0; /* spec->outputs grows as met:* expands */
    int status = DIAG_OK;
    size_t index = 0;
    for (const cJSON *item = outputs->child; item && status == DIAG_OK; item = item->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, path, index);
        if (!cJSON_IsString(item)) {
            status = sweep_error(p, item, here, "an output must be a string such as \"gdp@2025\", not %s",
                                 jsonfile_type_name(item));
            break;
        }
        const char *text = item->valuestring;
        if (!strncmp(text, "met:", 4)) {
            if (!goals && !(goals = goals_load(p->r, p->d))) {
                status = p->d->status;
                break;
            }
            if (goals->count == 0) {
                status = sweep_error(p, item, here, "%s: the scenario has no goals", text);
                break;
            }
            size_t first = 0, last = goals->count;
            if (strcmp(text + 4, "*")) {
                int g = goals_find(goals, text + 4);
                if (g < 0) {
                    const char *ids[GOALS_MAX];
                    for (size_t i = 0; i < goals->count; i++)
                        ids[i] = goals->goals[i].id;
                    const char *hint = text_suggest(text + 4, ids, goals->count);
                    status = hint ? sweep_error(p, item, here, "unknown goal \"%s\" (did you mean \"%s\"?)", text + 4, hint)
                                  : sweep_error(p, item, here, "unknown goal \"%s\"", text + 4);
                    break;
                }
                first = (size_t)g;
                last = first + 1;
            }
            if (spec->output_count + (last - first) > capacity) {
                capacity = spec->output_count + (last - first) + (size_t)count;
                sweep_output *grown = mem_realloc(spec->outputs, capacity * sizeof *grown);
                if (!grown) {
                    status = diag_oom(p->d, "reading a sweep");
                    break;
                }
                spec->outputs = grown;
            }
            for (size_t g = first; g < last && status == DIAG_OK; g++) {
                sweep_output *out = &spec->outputs[spec->output_count++];
                memset(out, 0, sizeof *out);
                status = sweep_goal_output(p, out, &goals->goals[g]);
            }
            continue;
        }
        const char *at = strchr(text, '@');
        char variable[128];
        char *end = NULL;
        long year = at ? strtol(at + 1, &end, 10) : 0;
        if (!at || at == text || (size_t)(at - text) >= sizeof variable || !end || end == at + 1 || *end) {
            status = sweep_error(p, item, here,
                                 "\"%s\": write an output as VARIABLE@YEAR (e.g. \"fiscal_revenue@2025\") or "
                                 "met:GOAL_ID",
                                 text);
            break;
        }
        memcpy(variable, text, (size_t)(at - text));
        variable[at - text] = '\0';
        int slot = model_find(m, variable);
        if (slot < 0 || m->slots[slot].kind == MODEL_PARAMETER) {
            const char *hint = model_suggest(m, variable, MODEL_VARIABLE);
            if (slot >= 0)
                status = sweep_error(p, item, here, "\"%s\" is a parameter, the same in every run it is not swept in; "
                                     "an output is a variable or exogenous series", variable);
            else if (hint)
                status = sweep_error(p, item, here, "unknown output variable \"%s\" (did you mean \"%s\"?)", variable, hint);
            else
                status = sweep_error(p, item, here, "unknown output variable \"%s\" in %s", variable, m->path);
            break;
        }
        if (year < plan->start || year > plan->end) {
            status = sweep_error(p, item, here, "%s: the year %ld is outside the scenario's horizon %d-%d", text, year,
                                 plan->start, plan->end);
            break;
        }
        if (spec->output_count + 1 > capacity) {
            capacity = spec->output_count + 1 + (size_t)count;
            sweep_output *grown = mem_realloc(spec->outputs, capacity * sizeof *grown);
            if (!grown) {
                status = diag_oom(p->d, "reading a sweep");
                break;
            }
            spec->outputs = grown;
        }
        sweep_output *out = &spec->outputs[spec->output_count++];
        memset(out, 0, sizeof *out);
        char label[512];
        snprintf(label, sizeof label, "%s %ld", m->slots[slot].label, year);
        out->name = mem_strdup(text);
        out->label = mem_strdup(label);
        if (!out->name || !out->label) {
            status = diag_oom(p->d, "reading a sweep");
            break;
        }
        out->unit = m->slots[slot].unit;
        out->slot = slot;
        out->year = (int)year;
        out->cell = (size_t)slot * plan->years + (size_t)sim_plan_year_index(plan, (int)year);
    }
    goals_free(goals);
    if (status != DIAG_OK)
        return status;
    if (spec->output_count > SWEEP_MAX_OUTPUTS)
        return sweep_error(p, outputs, path, "%zu outputs: at most %d", spec->output_count, SWEEP_MAX_OUTPUTS);
    for (size_t o = 0; o < spec->output_count; o++)
        for (size_t q = 0; q < o; q++)
            if (!strcmp(spec->outputs[o].name, spec->outputs[q].name))
                return sweep_error(p, outputs, path, "the output \"%s\" is listed twice", spec->outputs[o].name);
    return DIAG_OK;
}

/* The number of samples and the run count; Sobol' N must be a power of two. */
static int sweep_parse_size(const sweep_parser *p, sweep_spec *spec, const sweep_overrides *overrides)
{
    size_t k = spec->parameter_count;
    int present = 0;
    const cJSON *samples_node = cJSON_GetObjectItemCaseSensitive(p->block, "samples");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, spec->method == SWEEP_MORRIS ? "trajectories" : "samples");
    if (overrides && overrides->samples && (spec->method == SWEEP_GRID || spec->method == SWEEP_OAT))
        return diag_error(p->d, DIAG_USAGE, "--samples does not apply to a %s sweep: its runs are %s",
                          sweep_method_name(spec->method),
                          spec->method == SWEEP_GRID ? "every combination of the values" : "the base, and low and high of each parameter");
    switch (spec->method) {
    case SWEEP_GRID: {
        size_t runs = 1;
        for (size_t i = 0; i < k; i++) {
            if (runs > SWEEP_MAX_GRID_RUNS / spec->parameters[i].value_count) {
                char parameters[JSONFILE_PATH_MAX];
                jsonfile_path_key(parameters, p->path, "parameters");
                return sweep_error(p, NULL, parameters, "the grid has more than %d runs: use fewer values",
                                   SWEEP_MAX_GRID_RUNS);
            }
            runs *= spec->parameters[i].value_count;
        }
        spec->runs = runs;
        return DIAG_OK;
    }
    case SWEEP_OAT:
        spec->runs = 2 * k + 1;
        return DIAG_OK;
    case SWEEP_MORRIS:
        spec->samples = SWEEP_DEFAULT_TRAJECTORIES;
        if (sweep_read_count(p, "trajectories", 0, SWEEP_MAX_RUNS, &spec->samples, &present) != DIAG_OK)
            return p->d->status;
        spec->levels = SWEEP_DEFAULT_LEVELS;
        size_t levels = spec->levels;
        if (sweep_read_count(p, "levels", 2, SENSITIVITY_MORRIS_MAX_LEVELS, &levels, NULL) != DIAG_OK)
            return p->d->status;
        if (levels % 2) {
            char here[JSONFILE_PATH_MAX];
            jsonfile_path_key(here, p->path, "levels");
            return sweep_error(p, cJSON_GetObjectItemCaseSensitive(p->block, "levels"), here,
                               "\"levels\" must be even (the step is p/(2(p-1)) levels), not %zu: use %zu or %zu",
                               levels, levels - 1, levels + 1);
        }
        spec->levels = (unsigned)levels;
        break;
    default:
        if (sweep_read_count(p, "samples", 0, SWEEP_MAX_RUNS, &spec->samples, &present) != DIAG_OK)
            return p->d->status;
        if (!present && !(overrides && overrides->samples))
            return sweep_error(p, NULL, p->path,
                               spec->method == SWEEP_SOBOL
                                   ? "a sobol sweep needs \"samples\": N base rows, a power of two such as 1024 "
                                     "(it makes N(k+2) model runs)"
                                   : "a montecarlo sweep needs \"samples\": the number of runs, e.g. 10000");
        break;
    }
    int from_option = overrides && overrides->samples;
    if (from_option)
        spec->samples = overrides->samples;
    const cJSON *node = spec->method == SWEEP_MORRIS ? cJSON_GetObjectItemCaseSensitive(p->block, "trajectories")
                                                     : samples_node;
    const char *what = spec->method == SWEEP_MORRIS ? "trajectories" : "samples";
    if (spec->samples == 0) {
        if (from_option)
            return diag_error(p->d, DIAG_USAGE, "--samples must be at least 1");
        return sweep_error(p, node, path, "\"%s\" is 0: a sweep needs at least %s", what,
                           spec->method == SWEEP_MORRIS ? "2 trajectories" : spec->method == SWEEP_SOBOL ? "2 samples" : "1 sample");
    }
    if (spec->method == SWEEP_SOBOL && !sensitivity_is_power_of_two(spec->samples)) {
        size_t below, above;
        sensitivity_nearest_powers_of_two(spec->samples, &below, &above);
        if (from_option)
            return diag_error(p->d, DIAG_USAGE,
                              "--samples %zu is not a power of two: a Sobol' sweep needs N = 2^m; use %zu or %zu",
                              spec->samples, below, above);
        return sweep_error(p, node, path,
                           "%zu is not a power of two: a Sobol' sweep needs N = 2^m (its points are balanced only "
                           "then); use %zu or %zu",
                           spec->samples, below, above);
    }
    if ((spec->method == SWEEP_SOBOL || spec->method == SWEEP_MORRIS) && spec->samples < 2) {
        if (from_option)
            return diag_error(p->d, DIAG_USAGE, "--samples must be at least 2 for a %s sweep",
                              sweep_method_name(spec->method));
        return sweep_error(p, node, path, "a %s sweep needs at least 2 %s to estimate anything",
                           sweep_method_name(spec->method), what);
    }
    size_t per = spec->method == SWEEP_SOBOL ? k + 2 : spec->method == SWEEP_MORRIS ? k + 1 : 1;
    if (spec->samples > SWEEP_MAX_RUNS / per) {
        if (from_option)
            return diag_error(p->d, DIAG_USAGE, "--samples %zu makes more than %d model runs", spec->samples,
                              SWEEP_MAX_RUNS);
        return sweep_error(p, node, path, "%zu %s make more than %d model runs", spec->samples, what, SWEEP_MAX_RUNS);
    }
    spec->runs = spec->samples * per;
    return DIAG_OK;
}

sweep_spec *sweep_parse(const run *r, const cJSON *block, const sweep_overrides *overrides, diag *d)
{
    sweep_parser p = {.r = r, .scenario = r->scenario, .block = block, .d = d};
    snprintf(p.path, sizeof p.path, "$.sweep");
    if (!block) {
        diag_error_file(d, DIAG_DATA, r->scenario->path,
                        "the scenario has no \"sweep\" block: add one, e.g. \"sweep\": {\"method\": \"sobol\", "
                        "\"samples\": 1024, \"parameters\": {...}, \"outputs\": [...]}");
        return NULL;
    }
    sweep_spec *spec = mem_calloc(1, sizeof *spec);
    if (!spec || !(spec->file = mem_strdup(scenario_origin(r->scenario, block)))) {
        mem_free(spec);
        diag_oom(d, "reading a sweep");
        return NULL;
    }
    static const char *const keys[] = {"method", "samples", "trajectories", "levels", "seed", "scramble", "bootstrap",
                                       "confidence", "threshold", "parameters", "outputs", "note", NULL};
    if (!cJSON_IsObject(block)) {
        sweep_error(&p, block, p.path, "\"sweep\" must be an object, not %s", jsonfile_type_name(block));
        goto fail;
    }
    if (jsonfile_check_keys(block, keys, spec->file, p.path, "the sweep", d) != DIAG_OK)
        goto fail;
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(block, "method");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p.path, "method");
    static const char *const methods[] = {"grid", "oat", "montecarlo", "sobol", "morris"};
    if (!method) {
        sweep_error(&p, NULL, p.path, "missing \"method\": one of grid, oat, montecarlo, sobol, morris");
        goto fail;
    }
    if (!cJSON_IsString(method)) {
        sweep_error(&p, method, path, "\"method\" must be a string (grid, oat, montecarlo, sobol or morris), not %s",
                    jsonfile_type_name(method));
        goto fail;
    }
    size_t m;
    for (m = 0; m < 5 && strcmp(methods[m], method->valuestring); m++)
        ;
    if (m == 5) {
        const char *hint = text_suggest(method->valuestring, methods, 5);
        if (hint)
            sweep_error(&p, method, path, "unknown method \"%s\" (did you mean \"%s\"?)", method->valuestring, hint);
        else
            sweep_error(&p, method, path, "unknown method \"%s\": use grid, oat, montecarlo, sobol or morris",
                        method->valuestring);
        goto fail;
    }
    spec->method = (sweep_method)m;
    if (sweep_check_method_keys(&p, spec->method) != DIAG_OK)
        goto fail;
    size_t seed = SWEEP_DEFAULT_SEED;
    if (sweep_read_count(&p, "seed", 0, 2147483647.0, &seed, NULL) != DIAG_OK)
        goto fail;
    spec->seed = overrides && overrides->seed_given ? overrides->seed : (unsigned long)seed;
    spec->scramble = 1;
    const cJSON *scramble = cJSON_GetObjectItemCaseSensitive(block, "scramble");
    if (scramble) {
        jsonfile_path_key(path, p.path, "scramble");
        if (!cJSON_IsBool(scramble)) {
            sweep_error(&p, scramble, path, "\"scramble\" must be true or false, not %s", jsonfile_type_name(scramble));
            goto fail;
        }
        spec->scramble = cJSON_IsTrue(scramble);
    }
    spec->bootstrap = SWEEP_DEFAULT_BOOTSTRAP;
    spec->confidence = SWEEP_DEFAULT_CONFIDENCE;
    spec->threshold = SWEEP_DEFAULT_THRESHOLD;
    if (sweep_read_count(&p, "bootstrap", 0, SWEEP_MAX_BOOTSTRAP, &spec->bootstrap, NULL) != DIAG_OK ||
        sweep_read_fraction(&p, "confidence", 0.5, 1, &spec->confidence) != DIAG_OK ||
        sweep_read_fraction(&p, "threshold", 0, 2, &spec->threshold) != DIAG_OK)
        goto fail;
    if (spec->bootstrap == 1) {
        jsonfile_path_key(path, p.path, "bootstrap");
        sweep_error(&p, cJSON_GetObjectItemCaseSensitive(block, "bootstrap"), path,
                    "\"bootstrap\" must be 0 (no intervals) or at least 2 resamples, e.g. 1000");
        goto fail;
    }
    if (sweep_parse_parameters(&p, spec) != DIAG_OK || sweep_parse_outputs(&p, spec) != DIAG_OK ||
        sweep_parse_size(&p, spec, overrides) != DIAG_OK)
        goto fail;
    return spec;
fail:
    sweep_spec_free(spec);
    return NULL;
}

void sweep_print_budget(FILE *out, const sweep_spec *spec)
{
    size_t k = spec->parameter_count;
    switch (spec->method) {
    case SWEEP_SOBOL:
        fprintf(out, "sobol: N = %zu, k = %zu -> N(k+2) = %zu model runs; bootstrap %zu resamples, %s Sobol' points\n",
                spec->samples, k, spec->runs, spec->bootstrap, spec->scramble ? "scrambled" : "plain");
        break;
    case SWEEP_MORRIS:
        fprintf(out, "morris: r = %zu trajectories, k = %zu, p = %u levels -> r(k+1) = %zu model runs; bootstrap %zu\n",
                spec->samples, k, spec->levels, spec->runs, spec->bootstrap);
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, "montecarlo: N = %zu model runs, k = %zu parameters\n", spec->runs, k);
        break;
    case SWEEP_OAT:
        fprintf(out, "oat: k = %zu -> 2k+1 = %zu model runs (the base, and low and high of each parameter)\n", k,
                spec->runs);
        break;
    case SWEEP_GRID:
        fprintf(out, "grid: ");
        for (size_t i = 0; i < k; i++)
            fprintf(out, "%s%zu", i ? " x " : "", spec->parameters[i].value_count);
        fprintf(out, " = %zu model runs\n", spec->runs);
        break;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The design                                                                                 */

void sweep_point(const sweep_result *res, size_t run_index, double *x)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    switch (spec->method) {
    case SWEEP_SOBOL: {
        double u[SENSITIVITY_SOBOL_MAX_PARAMETERS];
        sensitivity_saltelli_point(res->design, k, run_index, u);
        for (size_t i = 0; i < k; i++)
            x[i] = dist_quantile(&spec->parameters[i].dist, u[i]);
        break;
    }
    case SWEEP_MORRIS:
        for (size_t i = 0; i < k; i++)
            x[i] = dist_quantile(&spec->parameters[i].dist, res->design[run_index * k + i]);
        break;
    case SWEEP_MONTECARLO:
        memcpy(x, res->design + run_index * k, k * sizeof *x);
        break;
    case SWEEP_GRID: {
        size_t rest = run_index;
        for (size_t i = k; i-- > 0;) {
            const sweep_parameter *param = &spec->parameters[i];
            x[i] = param->values[rest % param->value_count];
            rest /= param->value_count;
        }
        break;
    }
    case SWEEP_OAT:
        for (size_t i = 0; i < k; i++)
            x[i] = NAN;
        if (run_index > 0) {
            size_t i = (run_index - 1) / 2;
            x[i] = run_index % 2 ? spec->parameters[i].low : spec->parameters[i].high;
        }
        break;
    }
}

/* The label of a run in the design column of samples.csv. */
static void sweep_design_label(const sweep_result *res, size_t run_index, char *buf, size_t size)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    buf[0] = '\0';
    switch (spec->method) {
    case SWEEP_SOBOL: {
        size_t m = run_index % (k + 2);
        if (m == 0)
            snprintf(buf, size, "A");
        else if (m == k + 1)
            snprintf(buf, size, "B");
        else
            snprintf(buf, size, "AB:%s", spec->parameters[m - 1].name);
        break;
    }
    case SWEEP_MORRIS: {
        size_t moved = sensitivity_morris_moved(res->design, k, run_index);
        snprintf(buf, size, "t%zu:%s", run_index / (k + 1), moved < k ? spec->parameters[moved].name : "start");
        break;
    }
    case SWEEP_OAT:
        if (run_index == 0)
            snprintf(buf, size, "base");
        else
            snprintf(buf, size, "%s:%s", run_index % 2 ? "low" : "high", spec->parameters[(run_index - 1) / 2].name);
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

typedef struct sweep_context {
    const sweep_spec *spec;
    sweep_result *res;
    const sim_plan *plan;
} sweep_context;


/* An output's value from a values array with `lanes` lanes; NaN when not finite. */
static double sweep_output_value(const sweep_output *out, const double *values, size_t lanes, size_t lane)
{
    double v = values[out->cell * lanes + lane];
    if (!out->is_goal)
        return v;
    if (out->goal_growth)
        v = v / values[(out->cell - 1) * lanes + lane] - 1;
    if (!isfinite(v))
        return NAN;
    return goals_met_rule(out->goal_at_most, out->goal_target, v) ? 1.0 : 0.0;
}

static int sweep_setup(void *context, engine_block *block)
{
    sweep_context *c = context;
    const sweep_spec *spec = c->spec;
    size_t k = spec->parameter_count, lanes = block->lanes;
    double *x = block->scratch;
    for (size_t lane = 0; lane < lanes; lane++) {
        size_t run_index = block->first + lane;
        if (spec->method == SWEEP_MONTECARLO) {
            /* the block's own stream, lane by lane: the draws depend on (seed, run) only */
            for (size_t i = 0; i < k; i++)
                x[i] = c->res->design[run_index * k + i] = dist_sample(&spec->parameters[i].dist, block->rng);
        } else {
            sweep_point(c->res, run_index, x);
        }
        for (size_t i = 0; i < k; i++) {
            const sweep_parameter *param = &spec->parameters[i];
            for (size_t j = 0; j < param->cell_count; j++) {
                size_t cell = param->cells[j];
                /* every run writes every swept cell: buffers are reused from block to block */
                block->values[cell * lanes + lane] = isnan(x[i]) ? c->plan->base[cell] : x[i];
            }
        }
    }
    return DIAG_OK;
}

static int sweep_reduce(void *context, engine_block *block)
{
    sweep_context *c = context;
    const sweep_spec *spec = c->spec;
    size_t outputs = spec->output_count;
    for (size_t lane = 0; lane < block->lanes; lane++) {
        size_t run_index = block->first + lane;
        double *y = c->res->y + run_index * outputs;
        for (size_t o = 0; o < outputs; o++) {
            y[o] = sweep_output_value(&spec->outputs[o], block->values, block->lanes, lane);
            if (isfinite(y[o]))
                continue;
            double x[SWEEP_MAX_PARAMETERS];
            sweep_point(c->res, run_index, x);
            size_t used = (size_t)snprintf(block->message, sizeof block->message, "run %zu (", run_index);
            for (size_t i = 0; i < spec->parameter_count && used < sizeof block->message; i++)
                used += (size_t)snprintf(block->message + used, sizeof block->message - used, "%s%s = %g",
                                         i ? ", " : "", spec->parameters[i].name, x[i]);
            if (used < sizeof block->message)
                snprintf(block->message + used, sizeof block->message - used,
                         ") gives %s that is not a finite number: the model has no value there (narrow the ranges)",
                         spec->outputs[o].name);
            return DIAG_DATA;
        }
    }
    return DIAG_OK;
}

/* Quantile q of sorted data. */
static double sweep_quantile(const double *sorted, size_t n, double q)
{
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

static int sweep_statistics_compute(sweep_result *res, const run *r, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t outputs = spec->output_count, k = spec->parameter_count;
    size_t count = spec->method == SWEEP_SOBOL ? 2 * spec->samples : res->runs;
    double *column = mem_alloc(count * sizeof *column);
    if (!column)
        return diag_oom(d, "summarising a sweep");
    for (size_t o = 0; o < outputs; o++) {
        size_t n = 0;
        for (size_t run_index = 0; run_index < res->runs; run_index++) {
            if (spec->method == SWEEP_SOBOL && run_index % (k + 2) != 0 && run_index % (k + 2) != k + 1)
                continue;
            column[n++] = res->y[run_index * outputs + o];
        }
        sweep_statistics *s = &res->statistics[o];
        s->mean = gsl_stats_mean(column, 1, n);
        s->sd = n > 1 ? gsl_stats_sd_m(column, 1, n, s->mean) : NAN;
        gsl_sort(column, 1, n);
        s->min = column[0];
        s->max = column[n - 1];
        s->p05 = sweep_quantile(column, n, 0.05);
        s->p25 = sweep_quantile(column, n, 0.25);
        s->p50 = sweep_quantile(column, n, 0.50);
        s->p75 = sweep_quantile(column, n, 0.75);
        s->p95 = sweep_quantile(column, n, 0.95);
        s->base = r->values ? sweep_output_value(&spec->outputs[o], r->values, 1, 0) : NAN;
    }
    mem_free(column);
    return DIAG_OK;
}

static void sweep_hash_design(sweep_result *res)
{
    size_t k = res->spec->parameter_count;
    double x[SWEEP_MAX_PARAMETERS];
    uint64_t hash = SENSITIVITY_FNV_OFFSET;
    for (size_t run_index = 0; run_index < res->runs; run_index++) {
        sweep_point(res, run_index, x);
        for (size_t i = 0; i < k; i++) {
            uint64_t bits;
            memcpy(&bits, &x[i], sizeof bits);
            unsigned char bytes[8];
            for (int b = 0; b < 8; b++)
                bytes[b] = (unsigned char)(bits >> (8 * b)); /* little-endian on every host */
            hash = sensitivity_fnv1a(hash, bytes, sizeof bytes);
        }
    }
    res->design_hash = hash;
}

static int sweep_analyse(sweep_result *res, int threads, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    sensitivity_options opt = {.bootstrap = spec->bootstrap,
                               .confidence = spec->confidence,
                               .threshold = spec->threshold,
                               .seed = spec->seed,
                               .threads = threads};
    for (size_t o = 0; o < outputs; o++) {
        if (engine_stop_requested())
            return diag_error(d, ENGINE_INTERRUPTED, "interrupted: nothing was written");
        sweep_index *row = res->indices + o * k;
        const double *y = res->y + o;
        for (size_t i = 0; i < k; i++) {
            sweep_index *x = &row[i];
            x->mu = x->sigma = x->value_low = x->value_high = x->pearson = x->spearman = x->range = NAN;
            x->first.value = x->total.value = x->mu_star.value = NAN;
        }
        switch (spec->method) {
        case SWEEP_SOBOL: {
            sensitivity_estimate first[SENSITIVITY_SOBOL_MAX_PARAMETERS], total[SENSITIVITY_SOBOL_MAX_PARAMETERS];
            if (sensitivity_sobol(spec->samples, k, y, outputs, &opt, first, total, NULL, d) != DIAG_OK)
                return d->status;
            for (size_t i = 0; i < k; i++) {
                row[i].first = first[i];
                row[i].total = total[i];
            }
            break;
        }
        case SWEEP_MORRIS: {
            sensitivity_morris_index morris[SWEEP_MAX_PARAMETERS];
            if (sensitivity_morris(k, spec->samples, res->design, y, outputs, &opt, morris, d) != DIAG_OK)
                return d->status;
            for (size_t i = 0; i < k; i++) {
                row[i].mu = morris[i].mu;
                row[i].mu_star = morris[i].mu_star;
                row[i].sigma = morris[i].sigma;
            }
            break;
        }
        case SWEEP_OAT:
            for (size_t i = 0; i < k; i++) {
                row[i].value_low = y[(1 + 2 * i) * outputs];
                row[i].value_high = y[(2 + 2 * i) * outputs];
            }
            break;
        case SWEEP_MONTECARLO: {
            double pearson[SWEEP_MAX_PARAMETERS], spearman[SWEEP_MAX_PARAMETERS];
            if (sensitivity_correlations(res->runs, k, res->design, y, outputs, pearson, spearman, d) != DIAG_OK)
                return d->status;
            for (size_t i = 0; i < k; i++) {
                row[i].pearson = pearson[i];
                row[i].spearman = spearman[i];
            }
            break;
        }
        case SWEEP_GRID: {
            size_t levels[SWEEP_MAX_PARAMETERS];
            for (size_t i = 0; i < k; i++)
                levels[i] = spec->parameters[i].value_count;
            double *mean = res->grid_mean + o * res->grid_levels, *min = res->grid_min + o * res->grid_levels,
                   *max = res->grid_max + o * res->grid_levels;
            sensitivity_grid_effects(k, levels, y, outputs, mean, min, max);
            size_t offset = 0;
            for (size_t i = 0; i < k; i++) {
                double lo = INFINITY, hi = -INFINITY;
                for (size_t l = 0; l < levels[i]; l++) {
                    lo = fmin(lo, mean[offset + l]);
                    hi = fmax(hi, mean[offset + l]);
                }
                row[i].range = hi - lo;
                offset += levels[i];
            }
            break;
        }
        }
    }
    return DIAG_OK;
}

void sweep_result_free(sweep_result *res)
{
    if (!res)
        return;
    mem_free(res->y);
    mem_free(res->design);
    mem_free(res->indices);
    mem_free(res->statistics);
    mem_free(res->grid_mean);
    mem_free(res->grid_min);
    mem_free(res->grid_max);
    mem_free(res);
}

int sweep_execute(const sweep_spec *spec, const run *r, int threads, int quiet, sweep_result **out, diag *d)
{
    *out = NULL;
    size_t k = spec->parameter_count, outputs = spec->output_count, runs = spec->runs;
    size_t design_doubles = spec->method == SWEEP_SOBOL ? spec->samples * 2 * k
                            : spec->method == SWEEP_MORRIS || spec->method == SWEEP_MONTECARLO ? runs * k
                                                                                              : 0;
    size_t bytes = (runs * outputs + design_doubles) * sizeof(double);
    char what[200];
    snprintf(what, sizeof what, "the sweep's results (%zu runs x %zu outputs) and design", runs, outputs);
    if (engine_check_memory(bytes, what, d) != DIAG_OK)
        return d->status;
    sweep_result *res = mem_calloc(1, sizeof *res);
    if (!res)
        return diag_oom(d, "running a sweep");
    res->spec = spec;
    res->runs = runs;
    res->y = mem_alloc((runs * outputs > 0 ? runs * outputs : 1) * sizeof *res->y);
    res->design = design_doubles ? mem_alloc(design_doubles * sizeof *res->design) : NULL;
    res->indices = mem_calloc(outputs * k, sizeof *res->indices);
    res->statistics = mem_calloc(outputs, sizeof *res->statistics);
    if (!res->y || (design_doubles && !res->design) || !res->indices || !res->statistics)
        goto oom;
    if (spec->method == SWEEP_GRID) {
        for (size_t i = 0; i < k; i++)
            res->grid_levels += spec->parameters[i].value_count;
        res->grid_mean = mem_alloc(outputs * res->grid_levels * sizeof *res->grid_mean);
        res->grid_min = mem_alloc(outputs * res->grid_levels * sizeof *res->grid_min);
        res->grid_max = mem_alloc(outputs * res->grid_levels * sizeof *res->grid_max);
        if (!res->grid_mean || !res->grid_min || !res->grid_max)
            goto oom;
    }
    int status = DIAG_OK;
    if (spec->method == SWEEP_SOBOL)
        status = sensitivity_sobol_points(spec->samples, 2 * k, spec->scramble, spec->seed, res->design, d);
    else if (spec->method == SWEEP_MORRIS)
        status = sensitivity_morris_points(k, spec->samples, spec->levels, spec->seed, res->design, d);
    if (status != DIAG_OK)
        goto fail;

    sweep_context context = {.spec = spec, .res = res, .plan = r->plan};
    engine_job job = {
        .plan = r->plan,
        .paths = runs,
        .seed = spec->seed,
        .threads = threads,
        .quiet = quiet,
        .what = "runs",
        .scratch_bytes = k * sizeof(double),
        .setup = sweep_setup,
        .reduce = sweep_reduce,
        .context = &context,
    };
    engine_stats stats;
    diag engine_diag;
    diag_init(&engine_diag);
    status = engine_run(&job, &stats, &engine_diag);
    if (status != DIAG_OK) {
        /* locate a failing run in the scenario file: the engine reports the message as is */
        const char *message = engine_diag.message;
        if (!strncmp(message, "error: ", 7))
            message += 7;
        if (status == DIAG_DATA)
            diag_error_json(d, status, spec->file, "$.sweep.parameters", "%s", message);
        else
            diag_error(d, status, "%s", message);
        diag_free(&engine_diag);
        goto fail;
    }
    diag_free(&engine_diag);
    res->threads = stats.threads;
    res->run_seconds = stats.seconds;
    double started = omp_get_wtime();
    sweep_hash_design(res);
    if (sweep_statistics_compute(res, r, d) != DIAG_OK || sweep_analyse(res, threads, d) != DIAG_OK)
        goto fail;
    res->analysis_seconds = omp_get_wtime() - started;
    *out = res;
    return DIAG_OK;
oom:
    diag_oom(d, "running a sweep");
fail:
    sweep_result_free(res);
    return d->status;
}

/* ---------------------------------------------------------------------------------------- */
/* Ranking                                                                                    */

static double sweep_importance(const sweep_result *res, size_t o, size_t i)
{
    const sweep_index *x = &res->indices[o * res->spec->parameter_count + i];
    switch (res->spec->method) {
    case SWEEP_SOBOL:
        return x->total.value;
    case SWEEP_MORRIS:
        return x->mu_star.value;
    case SWEEP_OAT:
        return fabs(x->value_high - x->value_low);
    case SWEEP_MONTECARLO:
        return isnan(x->spearman) ? 0 : fabs(x->spearman);
    case SWEEP_GRID:
        return x->range;
    }
    return 0;
}

void sweep_ranking(const sweep_result *res, size_t o, size_t *order)
{
    size_t k = res->spec->parameter_count;
    for (size_t i = 0; i < k; i++)
        order[i] = i;
    /* insertion sort: stable, and k is small */
    for (size_t i = 1; i < k; i++) {
        size_t v = order[i], j = i;
        double key = sweep_importance(res, o, v);
        while (j > 0 && sweep_importance(res, o, order[j - 1]) < key) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                      */

static void sweep_write_samples(FILE *f, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    fputs("run,design", f);
    for (size_t i = 0; i < k; i++) {
        fputc(',', f);
        output_csv_field(f, spec->parameters[i].name);
    }
    for (size_t o = 0; o < outputs; o++) {
        fputc(',', f);
        output_csv_field(f, spec->outputs[o].name);
    }
    fputc('\n', f);
    double x[SWEEP_MAX_PARAMETERS];
    char label[128];
    for (size_t run_index = 0; run_index < res->runs; run_index++) {
        sweep_point(res, run_index, x);
        sweep_design_label(res, run_index, label, sizeof label);
        fprintf(f, "%zu,", run_index);
        output_csv_field(f, label);
        for (size_t i = 0; i < k; i++) {
            fputc(',', f);
            /* the scenario's own value where the run keeps it (oat), when it is one number */
            output_csv_number(f, isnan(x[i]) ? spec->parameters[i].base : x[i]);
        }
        for (size_t o = 0; o < outputs; o++) {
            fputc(',', f);
            output_csv_number(f, res->y[run_index * outputs + o]);
        }
        fputc('\n', f);
    }
}

static void sweep_write_sensitivity(FILE *f, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    static const char *const headers[] = {
        [SWEEP_SOBOL] = "output,parameter,S1,S1_conf,ST,ST_conf",
        [SWEEP_MORRIS] = "output,parameter,mu,mu_star,sigma,mu_star_conf",
        [SWEEP_OAT] = "output,parameter,low,high,value_low,value_high,base",
        [SWEEP_MONTECARLO] = "output,parameter,pearson,spearman",
        [SWEEP_GRID] = "output,parameter,value,mean,min,max",
    };
    fprintf(f, "%s\n", headers[spec->method]);
    for (size_t o = 0; o < outputs; o++) {
        size_t offset = 0;
        for (size_t i = 0; i < k; i++) {
            const sweep_parameter *param = &spec->parameters[i];
            const sweep_index *x = &res->indices[o * k + i];
            if (spec->method == SWEEP_GRID) {
                for (size_t l = 0; l < param->value_count; l++) {
                    size_t c = o * res->grid_levels + offset + l;
                    output_csv_field(f, spec->outputs[o].name);
                    fputc(',', f);
                    output_csv_field(f, param->name);
                    double row[4] = {param->values[l], res->grid_mean[c], res->grid_min[c], res->grid_max[c]};
                    for (int j = 0; j < 4; j++) {
                        fputc(',', f);
                        output_csv_number(f, row[j]);
                    }
                    fputc('\n', f);
                }
                offset += param->value_count;
                continue;
            }
            output_csv_field(f, spec->outputs[o].name);
            fputc(',', f);
            output_csv_field(f, param->name);
            double row[5];
            size_t n = 0;
            switch (spec->method) {
            case SWEEP_SOBOL:
                row[n++] = x->first.value;
                row[n++] = x->first.conf;
                row[n++] = x->total.value;
                row[n++] = x->total.conf;
                break;
            case SWEEP_MORRIS:
                row[n++] = x->mu;
                row[n++] = x->mu_star.value;
                row[n++] = x->sigma;
                row[n++] = x->mu_star.conf;
                break;
            case SWEEP_OAT:
                row[n++] = param->low;
                row[n++] = param->high;
                row[n++] = x->value_low;
                row[n++] = x->value_high;
                row[n++] = res->y[o]; /* run 0 is the base */
                break;
            case SWEEP_MONTECARLO:
                row[n++] = x->pearson;
                row[n++] = x->spearman;
                break;
            case SWEEP_GRID:
                break;
            }
            for (size_t j = 0; j < n; j++) {
                fputc(',', f);
                output_csv_number(f, row[j]);
            }
            fputc('\n', f);
        }
    }
}

/* Building summary.json: every add reports failure (out of memory) instead of leaving a
 * field out silently; the callers AND the results and give up on the first failure. */

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
            ok = ok && sweep_json_add(item, "distribution", dist_to_json(&param->dist));
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
static cJSON *sweep_summary(const sweep_result *res, const run *r, cJSON *charts)
{
    const sweep_spec *spec = res->spec;
    cJSON *root = cJSON_CreateObject();
    cJSON *about = root ? sweep_json_child(root, "scenario", 0) : NULL;
    int ok = about != NULL;
    ok = ok && sweep_json_string(about, "name", r->scenario->name);
    ok = ok && sweep_json_string(about, "title", r->scenario->title);
    ok = ok && sweep_json_string(about, "file", r->scenario->path);
    ok = ok && sweep_json_string(about, "model", r->model->path);
    ok = ok && sweep_json_number(about, "start", r->plan->start);
    ok = ok && sweep_json_number(about, "end", r->plan->end);
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

int sweep_write(const sweep_result *res, const run *r, output_batch *batch, cJSON *charts, diag *d)
{
    FILE *f = output_batch_open(batch, "samples.csv", d);
    if (!f) {
        cJSON_Delete(charts);
        return d->status;
    }
    sweep_write_samples(f, res);
    if (!(f = output_batch_open(batch, "sensitivity.csv", d))) {
        cJSON_Delete(charts);
        return d->status;
    }
    sweep_write_sensitivity(f, res);
    cJSON *summary = sweep_summary(res, r, charts);
    if (!summary || report_add_warnings(summary, d) != 0) {
        cJSON_Delete(summary);
        return diag_oom(d, "building summary.json");
    }
    int written = report_write_json(batch, "summary.json", summary, d);
    cJSON_Delete(summary);
    return written;
}

/* ---------------------------------------------------------------------------------------- */
/* Printing                                                                                   */

/* An index with its interval: "0.612 [0.590, 0.634]". */
static void sweep_format_estimate(char *buf, size_t size, const sensitivity_estimate *e)
{
    char text[96];
    if (isnan(e->low))
        snprintf(text, sizeof text, "%.3f", e->value);
    else
        snprintf(text, sizeof text, "%.3f [%.3f, %.3f]", e->value, e->low, e->high);
    snprintf(buf, size, "%-22s", text);
}

static const char *sweep_mark(const sensitivity_estimate *e)
{
    return e->negative ? "!" : e->not_converged ? "*" : " ";
}

static void sweep_print_output_header(FILE *out, const sweep_result *res, size_t o)
{
    const sweep_output *output = &res->spec->outputs[o];
    const sweep_statistics *s = &res->statistics[o];
    char mean[64], lo[64], hi[64], base[64];
    if (output->is_goal) {
        fprintf(out, "\n%s  %s (1 = met): met in %.1f%% of the runs", output->name, output->label, 100 * s->mean);
        if (!isnan(s->base))
            fprintf(out, "; %s on the scenario's path", s->base > 0.5 ? "met" : "not met");
        fputc('\n', out);
        return;
    }
    report_format_value(mean, sizeof mean, s->mean, output->unit);
    report_format_value(base, sizeof base, s->base, output->unit);
    fprintf(out, "\n%s  %s [%s]: ", output->name, output->label, output->unit);
    switch (res->spec->method) {
    case SWEEP_SOBOL:
    case SWEEP_MONTECARLO:
        /* the runs sample the parameters' distributions: their spread is the output's */
        report_format_value(lo, sizeof lo, s->p05, output->unit);
        report_format_value(hi, sizeof hi, s->p95, output->unit);
        fprintf(out, "mean %s, 90%% of runs in [%s, %s]; ", mean, lo, hi);
        break;
    case SWEEP_GRID:
    case SWEEP_MORRIS:
        report_format_value(lo, sizeof lo, s->min, output->unit);
        report_format_value(hi, sizeof hi, s->max, output->unit);
        fprintf(out, "from %s to %s over the runs; ", lo, hi);
        break;
    case SWEEP_OAT:
        break;
    }
    fprintf(out, "scenario %s\n", base);
}

/* 1 when parameter i does not move output o at all in this sweep (every index exactly 0). */
static int sweep_no_effect(const sweep_result *res, size_t o, size_t i)
{
    const sweep_index *x = &res->indices[o * res->spec->parameter_count + i];
    switch (res->spec->method) {
    case SWEEP_SOBOL:
        return x->total.value == 0 && x->first.value == 0;
    case SWEEP_MORRIS:
        return x->mu_star.value == 0;
    case SWEEP_OAT:
        return x->value_low == res->y[o] && x->value_high == res->y[o];
    case SWEEP_MONTECARLO:
        return isnan(x->spearman) && isnan(x->pearson);
    case SWEEP_GRID:
        return x->range == 0;
    }
    return 0;
}

void sweep_print(FILE *out, const sweep_result *res, const run *r)
{
    (void)r;
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    size_t name_width = strlen("parameter");
    for (size_t i = 0; i < k; i++) {
        size_t w = text_display_width(spec->parameters[i].name) + 2 + text_display_width(spec->parameters[i].label);
        if (w > name_width)
            name_width = w;
    }
    int flagged = 0;
    fputc('\n', out);
    switch (spec->method) {
    case SWEEP_SOBOL:
        fprintf(out,
                "Parameters ranked by the total Sobol' index ST: the share of the output's variance that involves "
                "the\nparameter, alone or with others; S1 is its share alone. %.0f%% intervals from %zu bootstrap "
                "resamples\nof the N rows.\n",
                100 * spec->confidence, spec->bootstrap);
        break;
    case SWEEP_MORRIS:
        fprintf(out,
                "Parameters ranked by mu*, the mean absolute elementary effect: how much the output moves when the\n"
                "parameter goes over its whole range; sigma large against mu* means interactions or nonlinearity.\n"
                "%.0f%% intervals of mu* from %zu bootstrap resamples of the trajectories.\n",
                100 * spec->confidence, spec->bootstrap);
        break;
    case SWEEP_OAT:
        fprintf(out, "Each parameter moved alone from the scenario to its low and high values; ranked by the swing.\n");
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, "Parameters ranked by the rank (Spearman) correlation of their draws with the output.\n");
        break;
    case SWEEP_GRID:
        fprintf(out, "Parameters ranked by their main effect: the range of the output's mean over each value "
                     "(sensitivity.csv\nhas the means by value).\n");
        break;
    }
    for (size_t o = 0; o < spec->output_count; o++) {
        sweep_print_output_header(out, res, o);
        const char *unit = spec->outputs[o].unit;
        size_t order[SWEEP_MAX_PARAMETERS];
        sweep_ranking(res, o, order);
        size_t moving = 0;
        for (size_t i = 0; i < k; i++)
            moving += !sweep_no_effect(res, o, i);
        if (moving == 0) {
            const sweep_statistics *st = &res->statistics[o];
            if (spec->outputs[o].is_goal)
                fprintf(out, "  %s: no combination of these ranges changes that\n",
                        st->mean > 0.5 ? "met in every run" : "met in no run");
            else
                fprintf(out, "  the same in every run: no parameter of the sweep moves it\n");
            continue;
        }
        fprintf(out, "  rank  ");
        text_pad(out, "parameter", name_width, 1);
        switch (spec->method) {
        case SWEEP_SOBOL:
            fprintf(out, "  ST [%.0f%% interval]      S1 [%.0f%% interval]\n", 100 * spec->confidence,
                    100 * spec->confidence);
            break;
        case SWEEP_MORRIS:
        {
            char head[64];
            snprintf(head, sizeof head, "mu* [%.0f%% interval]", 100 * spec->confidence);
            fprintf(out, "  %-30s %11s  %11s   (output unit per whole range)\n", head, "mu", "sigma");
        }
            break;
        case SWEEP_OAT:
            fprintf(out, "  low -> output        high -> output       swing\n");
            break;
        case SWEEP_MONTECARLO:
            fprintf(out, "  spearman  pearson\n");
            break;
        case SWEEP_GRID:
            fprintf(out, "  range of the mean over its values\n");
            break;
        }
        size_t inert = 0;
        for (size_t j = 0; j < k; j++) {
            size_t i = order[j];
            const sweep_parameter *param = &spec->parameters[i];
            const sweep_index *x = &res->indices[o * k + i];
            char name[256], a[96], b[96], c[96], d[96];
            if (sweep_no_effect(res, o, i)) {
                inert++;
                continue;
            }
            snprintf(name, sizeof name, "%s  %s", param->name, param->label);
            fprintf(out, "  %4zu  ", j + 1);
            text_pad(out, name, name_width, 1);
            switch (spec->method) {
            case SWEEP_SOBOL:
                sweep_format_estimate(a, sizeof a, &x->total);
                sweep_format_estimate(b, sizeof b, &x->first);
                {
                    char line[256];
                    snprintf(line, sizeof line, "  %s%s  %s%s", a, sweep_mark(&x->total), b, sweep_mark(&x->first));
                    size_t length = strlen(line);
                    while (length && line[length - 1] == ' ')
                        line[--length] = '\0';
                    fprintf(out, "%s\n", line);
                }
                flagged |= x->total.not_converged || x->total.negative || x->first.not_converged || x->first.negative;
                break;
            case SWEEP_MORRIS:
                if (isnan(x->mu_star.low))
                    snprintf(a, sizeof a, "%.4g%s", x->mu_star.value, sweep_mark(&x->mu_star));
                else
                    snprintf(a, sizeof a, "%.4g [%.4g, %.4g]%s", x->mu_star.value, x->mu_star.low, x->mu_star.high,
                             sweep_mark(&x->mu_star));
                fprintf(out, "  %-30s %11.4g  %11.4g\n", a, x->mu, x->sigma);
                flagged |= x->mu_star.not_converged;
                break;
            case SWEEP_OAT:
                report_format_value(a, sizeof a, param->low, param->unit);
                report_format_value(b, sizeof b, x->value_low, unit);
                report_format_value(c, sizeof c, param->high, param->unit);
                report_format_value(d, sizeof d, x->value_high, unit);
                fprintf(out, "  %8s -> %-9s %8s -> %-9s ", a, b, c, d);
                report_format_value(a, sizeof a, fabs(x->value_high - x->value_low), unit);
                fprintf(out, "%s\n", a);
                break;
            case SWEEP_MONTECARLO:
                fprintf(out, "  %8.3f  %7.3f\n", x->spearman, x->pearson);
                break;
            case SWEEP_GRID:
                report_format_value(a, sizeof a, x->range, unit);
                fprintf(out, "  %s\n", a);
                break;
            }
        }
        if (inert) {
            fprintf(out, "        no effect:");
            for (size_t j = 0, shown = 0; j < k; j++)
                if (sweep_no_effect(res, o, order[j]))
                    fprintf(out, "%s %s", shown++ ? "," : "", spec->parameters[order[j]].name);
            fputc('\n', out);
        }
    }
    if (flagged)
        fprintf(out,
                "\n* not converged: the interval is wider than %g%s; ! clearly negative. Increase %s.\n",
                spec->threshold, spec->method == SWEEP_MORRIS ? " x the largest mu*" : "",
                spec->method == SWEEP_MORRIS ? "\"trajectories\"" : "\"samples\" (N)");
}

/* ---------------------------------------------------------------------------------------- */
/* Benchmark                                                                                  */

int sweep_benchmark_sobol(const run *r, size_t n, int threads, double *run_seconds, double *analysis_seconds, diag *d)
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
    int status = sweep_execute(spec, r, threads, 1, &res, d);
    if (status == DIAG_OK) {
        *run_seconds = res->run_seconds;
        *analysis_seconds = res->analysis_seconds;
        sweep_result_free(res);
    }
    sweep_spec_free(spec);
    return status;
}
