/* summary_goals.c: the "goals" part of summary.json and the path under a goal seek's answer
 * (summary.h). */
#include "summary.h"
#include "summary_internal.h"
#include "goals_write.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *goals_seek_status_name(goals_seek_status status)
{
    switch (status) {
    case GOALS_SEEK_FOUND:
        return "found";
    case GOALS_SEEK_UNREACHABLE:
        return "unreachable";
    case GOALS_SEEK_NO_EFFECT:
        return "no effect";
    case GOALS_SEEK_FAILED:
        return "failed";
    case GOALS_SEEK_NONE:
        break;
    }
    return "none";
}

/* The status of a goal in words: "met in 2023" or "NOT met: short by ..." */
static void goals_status_text(char *buf, size_t size, const goals_goal *goal, const goals_result *result,
                              const run *r)
{
    const char *unit = goals_value_unit(goal, r->model);
    char value[64], shortfall[64];
    goals_format_value(value, sizeof value, result->value, unit);
    if (!isfinite(result->value)) {
        snprintf(buf, size, "no value in %d", goal->year);
    } else if (result->met) {
        snprintf(buf, size, "met: %s in %d", value, goal->year);
    } else {
        goals_format_difference(shortfall, sizeof shortfall, result->shortfall, unit);
        size_t used = (size_t)snprintf(buf, size, "NOT met: %s in %d, %s by %s", value, goal->year,
                                       goal->direction == GOALS_AT_LEAST ? "short" : "over", shortfall);
        if (isfinite(result->shortfall_percent) && used < size)
            used += (size_t)snprintf(buf + used, size - used, " (%.1f%% of the target)", result->shortfall_percent);
        if (used < size) {
            if (result->first_year_met)
                snprintf(buf + used, size - used, "; first met in %d", result->first_year_met);
            else
                snprintf(buf + used, size - used, "; not met by %d", r->plan->end);
        }
    }
}

/* The "solve" object of a goal with an instrument: the instrument, its range and years, and
 * the seek's answer. 0 when out of memory. */
static int goals_solve_json(cJSON *item, const goals_goal *goal, const goals_result *result, const model *m)
{
    const model_slot *instrument = &m->slots[goal->solve_slot];
    const goals_seek_result *seek = &result->seek;
    cJSON *solve = cJSON_AddObjectToObject(item, "solve");
    if (!solve)
        return 0;
    summary_add_string(solve, "instrument", goal->solve);
    summary_add_string(solve, "label", instrument->label);
    summary_add_string(solve, "unit", instrument->unit);
    summary_add_string(solve, "kind", model_kind_name(instrument->kind));
    cJSON_AddNumberToObject(solve, "from_year", seek->from_year);
    cJSON_AddNumberToObject(solve, "to_year", seek->to_year);
    summary_add_number(solve, "min", seek->min);
    summary_add_number(solve, "max", seek->max);
    summary_add_number(solve, "scenario_value", seek->current);
    summary_add_string(solve, "status", goals_seek_status_name(seek->status));
    summary_add_number(solve, "required", seek->status == GOALS_SEEK_FOUND ? seek->required : NAN);
    if (seek->status == GOALS_SEEK_FOUND) {
        summary_add_string(solve, "bound", seek->bound == GOALS_BOUND_AT_LEAST  ? "at_least"
                                          : seek->bound == GOALS_BOUND_AT_MOST ? "at_most"
                                                                               : "exact");
        cJSON_AddBoolToObject(solve, "scenario_satisfies", seek->scenario_satisfies);
    }
    summary_add_number(solve, "best_instrument", seek->best_instrument);
    summary_add_number(solve, "best_value", seek->best_value);
    cJSON_AddNumberToObject(solve, "model_runs", seek->evaluations);
    summary_add_string(solve, "message", seek->status != GOALS_SEEK_NONE ? seek->message : NULL);
    return 1;
}

/* The "assumed_inputs" array: the initial values the goal's value rests on. 0 when out of
 * memory. */
static int goals_assumed_json(cJSON *item, const goals_result *result, const model *m)
{
    cJSON *assumed = cJSON_AddArrayToObject(item, "assumed_inputs");
    if (!assumed)
        return 0;
    for (size_t k = 0; k < result->assumed_count; k++) {
        const goals_assumed_input *input = &result->assumed[k];
        cJSON *entry = cJSON_CreateObject();
        if (!entry || !cJSON_AddItemToArray(assumed, entry)) {
            cJSON_Delete(entry);
            return 0;
        }
        summary_add_string(entry, "variable", m->slots[input->slot].name);
        cJSON_AddNumberToObject(entry, "year", input->year);
        summary_add_number(entry, "value", input->value);
        summary_add_string(entry, "origin", "initial");
        summary_add_string(entry, "note", input->note);
    }
    return 1;
}

static cJSON *goals_goal_json(const goals_set *g, size_t i, const run *r)
{
    const goals_goal *goal = &g->goals[i];
    const goals_result *result = &g->results[i];
    const model *m = r->model;
    const model_slot *variable = &m->slots[goal->slot];
    cJSON *item = cJSON_CreateObject();
    if (!item)
        return NULL;
    char text[1024];
    summary_add_string(item, "id", goal->id);
    summary_add_string(item, "label", goal->label);
    summary_add_string(item, "variable", goal->variable);
    summary_add_string(item, "variable_label", variable->label);
    summary_add_string(item, "unit", goals_value_unit(goal, m));
    summary_add_string(item, "kind", goals_kind_names[goal->kind]);
    summary_add_string(item, "direction", goals_direction_names[goal->direction]);
    cJSON_AddNumberToObject(item, "year", goal->year);
    summary_add_number(item, "target", goal->target);
    summary_add_number(item, "value", result->value);
    cJSON_AddBoolToObject(item, "met", result->met);
    summary_add_number(item, "shortfall", result->shortfall);
    summary_add_number(item, "shortfall_percent", result->shortfall_percent);
    if (result->first_year_met)
        cJSON_AddNumberToObject(item, "first_year_met", result->first_year_met);
    else
        cJSON_AddNullToObject(item, "first_year_met");
    goals_status_text(text, sizeof text, goal, result, r);
    summary_add_string(item, "status", text);
    if (isfinite(result->probability))
        cJSON_AddNumberToObject(item, "probability", result->probability);
    summary_add_string(item, "note", goals_goal_note(goal));
    summary_add_string(item, "set", goals_goal_set_title(goal));
    summary_add_string(item, "file", goal->file);
    if (goal->solve_slot < 0)
        cJSON_AddNullToObject(item, "solve");
    else if (!goals_solve_json(item, goal, result, m))
        goto fail;
    if (!goals_assumed_json(item, result, m))
        goto fail;
    return item;
fail:
    cJSON_Delete(item);
    return NULL;
}

summary_part *summary_goals(const goals_set *g, const run *r, const size_t *only, size_t only_count)
{
    cJSON *array = cJSON_CreateArray();
    if (!array)
        return NULL;
    size_t n = only ? only_count : g->count;
    for (size_t k = 0; k < n; k++) {
        cJSON *item = goals_goal_json(g, goals_selected(only, k), r);
        if (!item || !cJSON_AddItemToArray(array, item)) {
            cJSON_Delete(item);
            cJSON_Delete(array);
            return NULL;
        }
    }
    return array;
}

summary_part *summary_goals_path(const goals_set *g, const size_t *goal_index, const double *instrument, size_t count,
                       const run *r, const double *values)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    int first = plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
    cJSON *root = cJSON_CreateObject();
    cJSON *instruments = root ? cJSON_AddArrayToObject(root, "instruments") : NULL;
    cJSON *series = root ? cJSON_AddArrayToObject(root, "series") : NULL;
    if (!instruments || !series)
        goto fail;
    for (size_t k = 0; k < count; k++) {
        const goals_goal *goal = &g->goals[goal_index[k]];
        if (goal->solve_slot < 0)
            continue;
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(instruments, item)) {
            cJSON_Delete(item);
            goto fail;
        }
        int from, to;
        goals_instrument_years(goal, r, &from, &to);
        summary_add_string(item, "goal", goal->id);
        summary_add_string(item, "name", goal->solve);
        summary_add_number(item, "value", instrument[k]);
        summary_add_string(item, "unit", m->slots[goal->solve_slot].unit);
        cJSON_AddNumberToObject(item, "from_year", from);
        cJSON_AddNumberToObject(item, "to_year", to);
    }
    for (size_t s = 0; s < m->slot_count; s++) {
        int wanted = 0;
        for (size_t k = 0; k < count; k++)
            wanted |= g->goals[goal_index[k]].slot == (int)s;
        if (!wanted)
            continue;
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(series, item)) {
            cJSON_Delete(item);
            goto fail;
        }
        summary_add_string(item, "name", m->slots[s].name);
        summary_add_string(item, "label", m->slots[s].label);
        summary_add_string(item, "unit", m->slots[s].unit);
        cJSON *points = cJSON_AddArrayToObject(item, "values");
        if (!points)
            goto fail;
        for (int y = first; y <= plan->end; y++) {
            size_t c = s * plan->years + (size_t)(y - plan->first_year);
            cJSON *point = cJSON_CreateObject();
            if (!point || !cJSON_AddItemToArray(points, point)) {
                cJSON_Delete(point);
                goto fail;
            }
            cJSON_AddNumberToObject(point, "year", y);
            summary_add_number(point, "value", plan->mode[c] != SIM_MODE_NONE ? values[c] : NAN);
        }
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}
