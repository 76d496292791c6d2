/* sweep_load_outputs.c: the "outputs" of a sweep block (sweep_load_internal.h):
 * VARIABLE@YEAR within the horizon, VARIABLE@* (one output per year), met:GOAL_ID and met:*,
 * and met:GOAL for the goal of "discover" when the list lacks it. */
#include "sweep_load_internal.h"
#include "discover_load.h"
#include "goals_load.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        return diag_oom(p->d, _("reading a sweep"));
    out->unit = "0/1";
    out->is_goal = 1;
    out->group = -1;
    out->slot = goal->slot;
    out->year = goal->year;
    out->cell = (size_t)goal->slot * plan->years + (size_t)sim_plan_year_index(plan, goal->year);
    out->goal_growth = goal->kind == GOALS_GROWTH;
    out->goal_at_most = goal->direction == GOALS_AT_MOST;
    out->goal_target = goal->target;
    return DIAG_OK;
}

/* Makes room for `more` outputs in spec->outputs (with `count`, the number of items written,
 * as slack, since met:* expands). Returns DIAG_OK or DIAG_SOFTWARE. */
static int sweep_outputs_reserve(const sweep_parser *p, sweep_spec *spec, size_t *capacity, size_t more, int count)
{
    if (spec->output_count + more <= *capacity)
        return DIAG_OK;
    *capacity = spec->output_count + more + (size_t)count;
    sweep_output *grown = mem_realloc(spec->outputs, *capacity * sizeof *grown);
    if (!grown)
        return diag_oom(p->d, _("reading a sweep"));
    spec->outputs = grown;
    return DIAG_OK;
}

/* The state of reading the "outputs" array. */
typedef struct sweep_outputs_reader {
    goals_set *goals;  /* the scenario's goals, loaded at the first met: */
    size_t capacity;   /* of spec->outputs */
    int count;         /* items written */
    int failed;        /* a bad output, reported; the others are read on */
    int groups;        /* VARIABLE@* outputs expanded so far */
} sweep_outputs_reader;

/* A met:GOAL_ID or met:* output. Returns DIAG_OK (also after a mistake, reported and kept in
 * o->failed), or a status that stops the reading. */
static int sweep_parse_goal_output(const sweep_parser *p, sweep_spec *spec, sweep_outputs_reader *o,
                                   const cJSON *item, const char *here)
{
    const char *text = item->valuestring;
    if (!o->goals && !(o->goals = goals_load(p->r, p->d)))
        return p->d->status;
    if (o->goals->count == 0) {
        o->failed = sweep_error(p, item, here, _("%s: the scenario has no goals"), text);
        return DIAG_OK;
    }
    size_t first = 0, last = o->goals->count;
    if (strcmp(text + 4, "*")) {
        int g = goals_find(o->goals, text + 4);
        if (g < 0) {
            const char *ids[GOALS_MAX];
            for (size_t i = 0; i < o->goals->count; i++)
                ids[i] = o->goals->goals[i].id;
            const char *hint = text_suggest(text + 4, ids, o->goals->count);
            o->failed = hint ? sweep_error(p, item, here, _("unknown goal \"%s\" (did you mean \"%s\"?)"), text + 4, hint)
                             : sweep_error(p, item, here, _("unknown goal \"%s\""), text + 4);
            return DIAG_OK;
        }
        first = (size_t)g;
        last = first + 1;
    }
    int status = sweep_outputs_reserve(p, spec, &o->capacity, last - first, o->count);
    for (size_t g = first; g < last && status == DIAG_OK; g++) {
        sweep_output *out = &spec->outputs[spec->output_count++];
        memset(out, 0, sizeof *out);
        status = sweep_goal_output(p, out, &o->goals->goals[g]);
    }
    return status;
}

/* A VARIABLE@YEAR output: a variable or exogenous series (or its label) and a year of the
 * horizon. Returns as sweep_parse_goal_output. */
static int sweep_parse_cell_output(const sweep_parser *p, sweep_spec *spec, sweep_outputs_reader *o,
                                   const cJSON *item, const char *here)
{
    const model *m = p->r->model;
    const sim_plan *plan = p->r->plan;
    const char *text = item->valuestring;
    const char *at = strchr(text, '@');
    char variable[128];
    char *end = NULL;
    int every_year = at && !strcmp(at + 1, "*");
    long year = at && !every_year ? strtol(at + 1, &end, 10) : 0;
    if (every_year)
        end = (char *)at + 2;
    if (!at || at == text || (size_t)(at - text) >= sizeof variable || !end || end == at + 1 || *end) {
        o->failed = sweep_error(p, item, here,
                                _("\"%s\": write an output as VARIABLE@YEAR (e.g. \"fiscal_revenue@2025\"), "
                                "VARIABLE@* (every year) or met:GOAL_ID"),
                                text);
        return DIAG_OK;
    }
    memcpy(variable, text, (size_t)(at - text));
    variable[at - text] = '\0';
    int slot = model_resolve(m, variable); /* a name or its label */
    if (slot < 0 || m->slots[slot].kind == MODEL_PARAMETER) {
        char hint[768];
        model_name_hint(m, variable, MODEL_KINDS_SERIES, hint, sizeof hint);
        if (slot >= 0)
            o->failed = sweep_error(p, item, here, _("\"%s\" is a parameter, the same in every run it is not swept in; "
                                    "an output is a variable or exogenous series"), variable);
        else
            o->failed = sweep_error(p, item, here, _("unknown output variable \"%.80s\"%s"), variable, hint);
        return DIAG_OK;
    }
    if (!every_year && (year < plan->start || year > plan->end)) {
        o->failed = sweep_error(p, item, here, _("%s: the year %ld is outside the scenario's horizon %d-%d"), text, year,
                                plan->start, plan->end);
        return DIAG_OK;
    }
    long first = every_year ? plan->start : year, last = every_year ? plan->end : year;
    int status = sweep_outputs_reserve(p, spec, &o->capacity, (size_t)(last - first + 1), o->count);
    if (status != DIAG_OK)
        return status;
    for (long y = first; y <= last; y++) {
        sweep_output *out = &spec->outputs[spec->output_count++];
        memset(out, 0, sizeof *out);
        char label[512], name[160];
        snprintf(label, sizeof label, "%s %ld", m->slots[slot].label, y);
        snprintf(name, sizeof name, "%s@%ld", variable, y);
        out->name = mem_strdup(name);
        out->label = mem_strdup(label);
        if (!out->name || !out->label)
            return diag_oom(p->d, _("reading a sweep"));
        out->unit = m->slots[slot].unit;
        out->slot = slot;
        out->year = (int)y;
        out->group = every_year ? o->groups : -1;
        out->cell = (size_t)slot * plan->years + (size_t)sim_plan_year_index(plan, (int)y);
    }
    if (every_year)
        o->groups++;
    return DIAG_OK;
}

/* The outcome of "discover": met:GOAL is added to the outputs when they lack it (a goal that
 * does not exist is reported by discover_load). Returns DIAG_OK or a status that stops. */
static int sweep_add_discover_output(const sweep_parser *p, sweep_spec *spec, sweep_outputs_reader *o)
{
    const char *id = discover_goal_named(p->block);
    if (!id)
        return DIAG_OK;
    for (size_t i = 0; i < spec->output_count; i++)
        if (spec->outputs[i].is_goal && !strcmp(spec->outputs[i].goal_id, id))
            return DIAG_OK;
    if (!o->goals && !(o->goals = goals_load(p->r, p->d)))
        return p->d->status;
    int g = goals_find(o->goals, id);
    if (g < 0)
        return DIAG_OK;
    int status = sweep_outputs_reserve(p, spec, &o->capacity, 1, o->count);
    if (status != DIAG_OK)
        return status;
    sweep_output *out = &spec->outputs[spec->output_count++];
    memset(out, 0, sizeof *out);
    return sweep_goal_output(p, out, &o->goals->goals[g]);
}

int sweep_parse_outputs(const sweep_parser *p, sweep_spec *spec)
{
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(p->block, "outputs");
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, p->path, "outputs");
    if (!outputs)
        return sweep_error(p, NULL, p->path, _("missing \"outputs\": e.g. [\"fiscal_revenue@2025\", \"met:GOAL_ID\"]"));
    int count = cJSON_IsArray(outputs) ? cJSON_GetArraySize(outputs) : -1;
    if (count < 1)
        return sweep_error(p, outputs, path,
                           _("\"outputs\" must be a non-empty array of \"VARIABLE@YEAR\" or \"met:GOAL_ID\" strings"));
    sweep_outputs_reader reader = {.goals = NULL, .capacity = 0, .count = count, .failed = DIAG_OK, .groups = 0};
    int status = DIAG_OK;
    size_t index = 0;
    for (const cJSON *item = outputs->child; item && status == DIAG_OK; item = item->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, path, index);
        if (!cJSON_IsString(item))
            reader.failed = sweep_error(p, item, here, _("an output must be a string such as \"gdp@2025\", not %s"),
                                   jsonfile_type_name(item));
        else if (!strncmp(item->valuestring, "met:", 4))
            status = sweep_parse_goal_output(p, spec, &reader, item, here);
        else
            status = sweep_parse_cell_output(p, spec, &reader, item, here);
    }
    if (status == DIAG_OK)
        status = sweep_add_discover_output(p, spec, &reader);
    goals_free(reader.goals);
    if (status == DIAG_OK)
        status = reader.failed;
    if (status != DIAG_OK)
        return status;
    if (spec->output_count > SWEEP_MAX_OUTPUTS)
        return sweep_error(p, outputs, path, _("%zu outputs: at most %d"), spec->output_count, SWEEP_MAX_OUTPUTS);
    for (size_t o = 0; o < spec->output_count; o++)
        for (size_t q = 0; q < o; q++)
            if (!strcmp(spec->outputs[o].name, spec->outputs[q].name))
                return sweep_error(p, outputs, path, _("the output \"%s\" is listed twice"), spec->outputs[o].name);
    return DIAG_OK;
}
