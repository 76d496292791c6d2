/* summary.c: summary.json gathered part by part and written (summary.h); the parts of the run
 * itself (the scenario, model, parameters, bounds and series), of solve, of the charts and
 * of a distribution. The parts of goals, peers, ensembles and sweeps are summary_*.c's. */
#include "summary.h"
#include "i18n.h"
#include "summary_internal.h"
#include "mem.h"
#include "search_path.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* ---------------------------------------------------------------------------------------- */
/* The run                                                                                    */

/* The "overrides" array: the assumptions of projection years the data replaced (sim.h):
 * [{"year", "name", "assumed", "assumed_by", "data", "origin", "solved_from", "line"}]; NULL
 * when out of memory. */
static cJSON *overrides_json(const run *r)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < r->plan->override_count; i++) {
        const sim_override *o = &r->plan->overrides[i];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            cJSON_Delete(list);
            return NULL;
        }
        cJSON_AddNumberToObject(item, "year", o->year);
        summary_add_string(item, "name", r->model->slots[o->slot].name);
        cJSON_AddNumberToObject(item, "assumed", o->assumed);
        summary_add_string(item, "assumed_by", o->by_scenario ? "scenario" : "model default");
        cJSON_AddNumberToObject(item, "data", o->data);
        summary_add_string(item, "origin", o->solved_from >= 0 ? "derived" : "observed");
        if (o->solved_from >= 0)
            summary_add_string(item, "solved_from", r->model->slots[o->solved_from].name);
        if (o->row)
            cJSON_AddNumberToObject(item, "line", o->row->line);
    }
    return list;
}

int summary_add_as_of(cJSON *scenario_info, const run *r)
{
    if (r->as_of <= 0)
        return DIAG_OK;
    if (!cJSON_AddNumberToObject(scenario_info, "as_of", r->as_of) ||
        !cJSON_AddStringToObject(scenario_info, "as_of_set_by", r->as_of_given ? "--as-of" : "scenario"))
        return DIAG_SOFTWARE;
    return DIAG_OK;
}

/* "bounds": the ranges the scenario set in place of the model's, so a run that allowed a
 * value the model calls implausible says so in its record. */
static cJSON *bounds_json(const run *r)
{
    const scenario *s = r->scenario;
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < s->bound_count; i++) {
        const scenario_bound *b = &s->bounds[i];
        int slot = model_find(r->model, b->name);
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            cJSON_Delete(list);
            return NULL;
        }
        summary_add_string(item, "name", b->name);
        /* the range in force: a side the bound leaves open keeps the model's */
        summary_add_number(item, "min", slot >= 0 ? r->model->slots[slot].min : b->min);
        summary_add_number(item, "max", slot >= 0 ? r->model->slots[slot].max : b->max);
        if (slot >= 0) {
            summary_add_number(item, "model_min", r->model->slots[slot].model_min);
            summary_add_number(item, "model_max", r->model->slots[slot].model_max);
        }
        summary_add_string(item, "file", b->file);
        summary_add_string(item, "json_path", b->json_path);
        summary_add_string(item, "note", scenario_bound_note(b));
    }
    return list;
}

/* "set_by": {"file", "json_path", "note"}: where an assumed or initial value was written.
 * Returns DIAG_OK, or DIAG_SOFTWARE when memory runs out. */
static int add_provenance(cJSON *point, const run_provenance *from)
{
    cJSON *set_by = cJSON_AddObjectToObject(point, "set_by");
    if (!set_by)
        return DIAG_SOFTWARE;
    summary_add_string(set_by, "kind", from->kind);
    summary_add_string(set_by, "file", from->file);
    summary_add_string(set_by, "json_path", from->json_path);
    summary_add_string(set_by, "note", from->note);
    return DIAG_OK;
}

static cJSON *series_json(const run *r, size_t s)
{
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[s];
    cJSON *item = cJSON_CreateObject();
    if (!item)
        return NULL;
    summary_add_string(item, "name", ms->name);
    summary_add_string(item, "label", ms->label);
    summary_add_string(item, "unit", ms->unit);
    summary_add_string(item, "kind", ms->kind == MODEL_VARIABLE ? "variable" : "exogenous");
    if (ms->kind == MODEL_VARIABLE)
        summary_add_string(item, "equation", ms->equation);
    if (model_slot_note(ms))
        summary_add_string(item, "note", model_slot_note(ms));
    cJSON *values = cJSON_AddArrayToObject(item, "values");
    if (!values) {
        cJSON_Delete(item);
        return NULL;
    }
    for (size_t t = 0; t < plan->years; t++) {
        size_t c = s * plan->years + t;
        if (!sim_plan_cell_shown(plan, s, t))
            continue;
        cJSON *point = cJSON_CreateObject();
        if (!point || !cJSON_AddItemToArray(values, point)) {
            cJSON_Delete(point);
            cJSON_Delete(item);
            return NULL;
        }
        cJSON_AddNumberToObject(point, "year", plan->first_year + (int)t);
        if (isfinite(r->values[c]))
            cJSON_AddNumberToObject(point, "value", r->values[c]);
        else
            cJSON_AddNullToObject(point, "value");
        summary_add_string(point, "origin", sim_origin_name((sim_origin)plan->origin[c]));
        run_provenance from;
        if ((plan->origin[c] == SIM_ORIGIN_ASSUMED || plan->origin[c] == SIM_ORIGIN_INITIAL) &&
            run_provenance_of(r, (int)s, plan->first_year + (int)t, &from) && add_provenance(point, &from) != DIAG_OK)
            return cJSON_Delete(item), NULL;
        const history_row *row = plan->source[c];
        if (row) {
            summary_add_string(point, "source", history_row_source(row));
            summary_add_string(point, "reliability", row->reliability);
            if (plan->origin[c] == SIM_ORIGIN_DERIVED)
                cJSON_AddNumberToObject(point, "observed_growth", row->value);
        }
    }
    return item;
}

static cJSON *run_json(const run *r)
{
    const scenario *s = r->scenario;
    const model *m = r->model;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    summary_add_string(root, "econsim_version", ECONSIM_VERSION);
    summary_add_string(root, "language", i18n_code()); /* of the charts, report and tables */
    cJSON *info = cJSON_AddObjectToObject(root, "scenario");
    if (!info)
        goto fail;
    summary_add_string(info, "name", s->name);
    summary_add_string(info, "title", scenario_title(s));
    summary_add_string(info, "file", s->path);
    if (scenario_note(s))
        summary_add_string(info, "note", scenario_note(s));
    cJSON *chain = cJSON_AddArrayToObject(info, "extends");
    if (!chain)
        goto fail;
    for (size_t i = 1; i < s->extends_count; i++)
        cJSON_AddItemToArray(chain, cJSON_CreateString(s->extends_chain[i]));
    /* the names that were not where written, and where the search path found them */
    cJSON *found = cJSON_AddArrayToObject(info, "found");
    if (!found)
        goto fail;
    for (size_t i = 0; i < s->found_count; i++) {
        const scenario_found *f = &s->found[i];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(found, item)) {
            cJSON_Delete(item);
            goto fail;
        }
        summary_add_string(item, "file", f->file);
        summary_add_string(item, "at", f->json_path);
        summary_add_string(item, "written", f->written);
        summary_add_string(item, "path", f->path);
        summary_add_string(item, "via", search_path_via_name((search_path_via)f->via));
        summary_add_string(item, "folder", f->folder);
    }
    summary_add_string(info, "model", s->model_path);
    summary_add_string(info, "history", s->history_path);
    summary_add_string(info, "place", s->history_place);
    cJSON_AddNumberToObject(info, "start", s->start);
    cJSON_AddNumberToObject(info, "end", s->end);
    if (summary_add_as_of(info, r) != DIAG_OK)
        goto fail;
    cJSON *units = cJSON_AddObjectToObject(root, "units");
    if (!units)
        goto fail;
    summary_add_string(units, "money", "亿元 (10^8 yuan), current prices (nominal) unless a series says real");
    summary_add_string(units, "ratio", "fraction (0.08 = 8%)");
    cJSON *model_info = cJSON_AddObjectToObject(root, "model");
    if (!model_info)
        goto fail;
    summary_add_string(model_info, "name", m->name);
    summary_add_string(model_info, "title", model_title(m));
    summary_add_string(model_info, "file", m->path);
    if (summary_add_item(root, "bounds", bounds_json(r)) != DIAG_OK)
        goto fail;
    if (r->plan->override_count && summary_add_item(root, "overrides", overrides_json(r)) != DIAG_OK)
        goto fail;
    cJSON *parameters = cJSON_AddArrayToObject(root, "parameters");
    cJSON *series = cJSON_AddArrayToObject(root, "projection");
    if (!parameters || !series)
        goto fail;
    for (size_t i = 0; i < m->slot_count; i++) {
        const model_slot *ms = &m->slots[i];
        if (ms->kind == MODEL_PARAMETER) {
            cJSON *p = cJSON_CreateObject();
            if (!p || !cJSON_AddItemToArray(parameters, p)) {
                cJSON_Delete(p);
                goto fail;
            }
            summary_add_string(p, "name", ms->name);
            summary_add_string(p, "label", ms->label);
            summary_add_string(p, "unit", ms->unit);
            cJSON_AddNumberToObject(p, "value", r->plan->base[i * r->plan->years]);
            summary_add_string(p, "origin", scenario_assumption(s, ms->name) ? "scenario" : "model default");
            run_provenance from;
            if (run_provenance_of(r, (int)i, r->plan->start, &from)) {
                if (from.note)
                    summary_add_string(p, "note", from.note);
                if (add_provenance(p, &from) != DIAG_OK)
                    goto fail;
            }
            continue;
        }
        cJSON *item = series_json(r, i);
        if (!item || !cJSON_AddItemToArray(series, item)) {
            cJSON_Delete(item);
            goto fail;
        }
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Gathering and writing                                                                      */

void summary_add_number(cJSON *object, const char *key, double value)
{
    if (isfinite(value))
        cJSON_AddNumberToObject(object, key, value);
    else
        cJSON_AddNullToObject(object, key);
}

void summary_add_string(cJSON *object, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(object, key, value);
    else
        cJSON_AddNullToObject(object, key);
}

int summary_add_item(cJSON *object, const char *key, cJSON *item)
{
    if (!item || !cJSON_AddItemToObject(object, key, item)) {
        cJSON_Delete(item);
        return DIAG_SOFTWARE;
    }
    return DIAG_OK;
}

void summary_start(summary *s, summary_part *root, const char *what)
{
    s->what = what;
    s->failures_before = mem_failure_count();
    s->root = root;
    s->failed = root == NULL;
}

void summary_start_run(summary *s, const run *r, const char *what)
{
    summary_start(s, run_json(r), what);
}

void summary_start_comparison(summary *s, run *const *runs, size_t count, const char *what)
{
    s->what = what;
    s->failures_before = mem_failure_count();
    s->failed = 0;
    cJSON *scenarios = NULL;
    if (!(s->root = cJSON_CreateObject()) || !cJSON_AddStringToObject(s->root, "econsim_version", ECONSIM_VERSION) ||
        !cJSON_AddStringToObject(s->root, "language", i18n_code()) || !(scenarios = cJSON_AddArrayToObject(s->root, "scenarios"))) {
        s->failed = 1;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char results[4096];
        snprintf(results, sizeof results, "../%s", runs[i]->scenario->name);
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(scenarios, item) ||
            !cJSON_AddStringToObject(item, "name", runs[i]->scenario->name) ||
            !cJSON_AddStringToObject(item, "title", scenario_title(runs[i]->scenario)) ||
            !cJSON_AddStringToObject(item, "file", runs[i]->scenario->path) ||
            !cJSON_AddStringToObject(item, "results", results)) {
            if (item && !item->prev)
                cJSON_Delete(item); /* not in the array: not freed with the root */
            s->failed = 1;
            return;
        }
    }
}

static int summary_ranks = 1;

void summary_set_ranks(int ranks)
{
    summary_ranks = ranks > 0 ? ranks : 1;
}

summary_part *summary_environment(int threads)
{
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    cJSON *env = cJSON_CreateObject();
    if (!env || !cJSON_AddNumberToObject(env, "threads", threads) ||
        !cJSON_AddNumberToObject(env, "ranks", summary_ranks) ||
        !cJSON_AddStringToObject(env, "host", host)) {
        cJSON_Delete(env);
        return NULL;
    }
    return env;
}

void summary_add(summary *s, const char *key, summary_part *item)
{
    if (s->failed || !s->root) {
        cJSON_Delete(item);
        return;
    }
    if (summary_add_item(s->root, key, item) != DIAG_OK)
        s->failed = 1;
}

void summary_add_reference(summary *s, const char *key, summary_part *item)
{
    if (!s->failed && s->root && !cJSON_AddItemReferenceToObject(s->root, key, item))
        s->failed = 1;
}

void summary_add_warnings(summary *s, const diag *d)
{
    if (s->failed || !s->root)
        return;
    cJSON *warnings = cJSON_AddArrayToObject(s->root, "warnings");
    if (!warnings) {
        s->failed = 1;
        return;
    }
    for (size_t i = 0; i < d->warning_count; i++) {
        cJSON *w = cJSON_CreateString(d->warnings[i]);
        if (!w || !cJSON_AddItemToArray(warnings, w)) {
            cJSON_Delete(w);
            s->failed = 1;
            return;
        }
    }
}

int summary_write_part(output_batch *batch, const char *name, const summary_part *root, diag *d)
{
    char *text = cJSON_Print(root);
    if (!text)
        return diag_oom(d, _("printing JSON"));
    FILE *f = output_batch_open(batch, name, d);
    if (f) {
        fputs(text, f);
        fputc('\n', f);
    }
    mem_free(text);
    return f ? DIAG_OK : d->status;
}

int summary_write(const summary *s, output_batch *batch, diag *d)
{
    if (s->failed || !s->root || mem_failure_count() != s->failures_before)
        return diag_oom(d, s->what);
    return summary_write_part(batch, "summary.json", s->root, d);
}

void summary_free(summary *s)
{
    cJSON_Delete(s->root);
    s->root = NULL;
}

void summary_part_free(summary_part *part)
{
    cJSON_Delete(part);
}

/* ---------------------------------------------------------------------------------------- */
/* Solve                                                                                      */

summary_part *summary_solve_new(const char *mode)
{
    cJSON *solve = cJSON_CreateObject();
    if (!solve || !cJSON_AddArrayToObject(solve, "solutions") || !cJSON_AddStringToObject(solve, "mode", mode)) {
        cJSON_Delete(solve);
        return NULL;
    }
    return solve;
}

int summary_solve_joint(summary_part *solve, const goals_joint *joint)
{
    if (!cJSON_AddBoolToObject(solve, "converged", joint->converged) ||
        !cJSON_AddNumberToObject(solve, "iterations", (double)joint->iterations) ||
        !cJSON_AddNumberToObject(solve, "model_runs", joint->evaluations) ||
        !cJSON_AddStringToObject(solve, "message", joint->message))
        return DIAG_SOFTWARE;
    return DIAG_OK;
}

int summary_solve_add(summary_part *solve, summary_part *answer)
{
    cJSON *solutions = cJSON_GetObjectItemCaseSensitive(solve, "solutions");
    if (!answer || !solutions || !cJSON_AddItemToArray(solutions, answer)) {
        cJSON_Delete(answer);
        return DIAG_SOFTWARE;
    }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Charts and distributions                                                                   */

summary_part *summary_charts(const charts_list *list)
{
    cJSON *array = cJSON_CreateArray();
    if (!array)
        return NULL;
    for (size_t i = 0; i < list->count; i++) {
        const charts_entry *e = &list->entries[i];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(array, item) || !cJSON_AddStringToObject(item, "file", e->file) ||
            !cJSON_AddStringToObject(item, "title", e->title) || !cJSON_AddStringToObject(item, "kind", e->kind) ||
            !cJSON_AddStringToObject(item, "script", e->script) ||
            !(e->variable ? cJSON_AddStringToObject(item, "variable", e->variable)
                          : cJSON_AddNullToObject(item, "variable")) ||
            !cJSON_AddBoolToObject(item, "drawn", e->drawn)) {
            if (item && !item->prev)
                cJSON_Delete(item); /* not in the array yet */
            cJSON_Delete(array);
            return NULL;
        }
    }
    return array;
}

/* Adds a number, or nothing for an infinite truncation bound (JSON has no infinity). */
static int add_finite_number(cJSON *object, const char *key, double value)
{
    if (!isfinite(value))
        return 1;
    return cJSON_AddNumberToObject(object, key, value) != NULL;
}

summary_part *summary_dist(const dist *x)
{
    cJSON *object = cJSON_CreateObject();
    if (!object || !cJSON_AddStringToObject(object, "dist", dist_kind_name(x->kind)))
        goto fail;
    int ok = 1;
    switch (x->kind) {
    case DIST_NORMAL:
        ok = add_finite_number(object, "mean", x->mean) && add_finite_number(object, "sd", x->sd);
        break;
    case DIST_LOGNORMAL:
        ok = add_finite_number(object, "mu", x->mu) && add_finite_number(object, "sigma", x->sigma);
        break;
    case DIST_UNIFORM:
        ok = add_finite_number(object, "min", x->min) && add_finite_number(object, "max", x->max);
        break;
    case DIST_TRIANGULAR:
        ok = add_finite_number(object, "min", x->min) && add_finite_number(object, "mode", x->mode) &&
             add_finite_number(object, "max", x->max);
        break;
    case DIST_TRUNCNORMAL:
        ok = add_finite_number(object, "mean", x->mean) && add_finite_number(object, "sd", x->sd) &&
             add_finite_number(object, "min", x->min) && add_finite_number(object, "max", x->max);
        break;
    case DIST_BETA:
        ok = add_finite_number(object, "a", x->a) && add_finite_number(object, "b", x->b) && add_finite_number(object, "min", x->min) &&
             add_finite_number(object, "max", x->max);
        break;
    case DIST_STUDENT_T:
        ok = add_finite_number(object, "df", x->df) && add_finite_number(object, "scale", x->scale) &&
             add_finite_number(object, "mean", x->mean);
        break;
    }
    if (!ok)
        goto fail;
    return object;
fail:
    cJSON_Delete(object);
    return NULL;
}
