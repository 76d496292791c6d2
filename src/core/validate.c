/* validate.c: a scenario checked against its model and history (validate.h).
 *
 * The planner's worst mistakes load without a murmur when each file is read on its own: a
 * growth of 4 meant as 4% is a fine number, an assumption for 2032 a fine year, gdp_growth a
 * fine identifier. Only against the model (ranges, names, kinds) and the horizon are they
 * wrong, so this is where they are caught, all of them, each at the place it was written. */
#include "validate.h"
#include "i18n.h"
#include "range.h"
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The slot a series, bound or other scenario key names, or -1 after reporting an unknown name
 * with its hint. `what` is "assumption", "initial value" or "bound". */
static int validate_name(const model *m, const char *name, const char *written, unsigned kinds, const char *what,
                         const char *file, const char *path, diag *d)
{
    int slot = model_find(m, name);
    if (slot >= 0)
        return slot;
    char hint[768];
    model_name_hint(m, written, kinds, hint, sizeof hint);
    /* whole sentences, one per kind of key, so that each translates as one */
    if (!strcmp(what, "bound"))
        diag_error_json(d, DIAG_DATA, file, path, _("bound for unknown name \"%.80s\"%s"), written, hint);
    else if (!strcmp(what, "initial value"))
        diag_error_json(d, DIAG_DATA, file, path, _("initial value for unknown name \"%.80s\"%s"), written, hint);
    else
        diag_error_json(d, DIAG_DATA, file, path, _("assumption for unknown name \"%.80s\"%s"), written, hint);
    return -1;
}

/* Checks one value against the slot's range. */
static int validate_value(const model_slot *slot, double value, int percent, const char *file, const char *path,
                          diag *d)
{
    range r = range_of_slot(slot);
    if (range_contains(&r, value))
        return DIAG_OK;
    char message[512];
    range_message(&r, value, percent, slot->name, message, sizeof message);
    return diag_error_json(d, DIAG_DATA, file, path, "%s", message);
}

/* A span's years against the years the run stores. */
static int validate_years(const scenario_span *span, const scenario_source *source, const scenario *s, int first,
                          const char *name, diag *d)
{
    if (span->to > s->end)
        return diag_error_json(d, DIAG_DATA, source->file, source->json_path,
                               _("%d is after the scenario's end (%d): the run covers %d-%d, so the value for %s would "
                               "be ignored (change the year, or \"end\")"),
                               span->to, s->end, first, s->end, name);
    if (span->from < first)
        return diag_error_json(d, DIAG_DATA, source->file, source->json_path,
                               _("%d is before the first year the run covers (%d, where its history and lags begin), "
                               "so the value for %s would be ignored"),
                               span->from, first, name);
    return DIAG_OK;
}

/* "2024-2030" or "2026" */
static void validate_describe_years(const scenario_span *span, char *buf, size_t size)
{
    if (span->from == span->to)
        snprintf(buf, size, "%d", span->from);
    else
        snprintf(buf, size, "%d-%d", span->from, span->to);
}

/* One file gives each year of a series once: a later key silently beating an earlier one in
 * the same file is a slip. A child's years over its base's are another file, and normal; an
 * initial constant (spans[0] when `skip_first`) is a default for its year, like "value". */
static int validate_overlaps(const scenario_series *series, int skip_first, diag *d)
{
    int status = DIAG_OK;
    for (size_t k = skip_first ? 2 : 1; k < series->span_count; k++)
        for (size_t j = skip_first ? 1 : 0; j < k; j++) {
            const scenario_span *a = &series->spans[j], *b = &series->spans[k];
            if (series->sources[j].file != series->sources[k].file || a->to < b->from || b->to < a->from)
                continue;
            char earlier[32], later[32];
            validate_describe_years(a, earlier, sizeof earlier);
            validate_describe_years(b, later, sizeof later);
            int both = a->from > b->from ? a->from : b->from;
            status = diag_error_json(d, DIAG_DATA, series->sources[k].file, series->sources[k].json_path,
                                     _("years %s overlap %s of the same series in this file (%s; %d is in both): give "
                                     "each year once"),
                                     later, earlier, series->sources[j].json_path, both);
            break;
        }
    return status;
}

static int validate_bounds(model *m, const scenario *s, diag *d)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < s->bound_count; i++) {
        const scenario_bound *b = &s->bounds[i];
        int slot = validate_name(m, b->name, b->written, MODEL_KINDS_ALL, "bound", b->file, b->json_path, d);
        if (slot < 0) {
            status = d->status;
            continue;
        }
        model_slot *ms = &m->slots[slot];
        /* a side the bound does not give keeps the model's */
        if (isfinite(b->min))
            ms->min = b->min;
        if (isfinite(b->max))
            ms->max = b->max;
        if (ms->min >= ms->max) {
            status = diag_error_json(d, DIAG_DATA, b->file, b->json_path,
                                     _("with the model's other bound the range of %s would be %g to %g: empty"), ms->name,
                                     ms->min, ms->max);
            continue;
        }
        /* the model's own value is what the run uses where no assumption sets one */
        if (ms->kind != MODEL_VARIABLE && !scenario_assumption(s, ms->name) && (ms->value < ms->min || ms->value > ms->max))
            status = diag_error_json(d, DIAG_DATA, b->file, b->json_path,
                                     _("the model's value of %s, %g, is outside these bounds, and no assumption "
                                     "replaces it"),
                                     ms->name, ms->value);
    }
    return status;
}

static int validate_assumptions(const model *m, const scenario *s, int first, diag *d)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < s->assumption_count; i++) {
        const scenario_series *series = &s->assumptions[i];
        if (validate_overlaps(series, 0, d) != DIAG_OK)
            status = d->status;
        int slot = validate_name(m, series->name, series->written, MODEL_KINDS_INPUTS, "assumption", series->file,
                                 series->json_path, d);
        if (slot < 0) {
            status = d->status;
            continue;
        }
        const model_slot *ms = &m->slots[slot];
        if (ms->kind == MODEL_VARIABLE) {
            status = diag_error_json(d, DIAG_DATA, series->file, series->json_path,
                                     _("\"%s\" is a variable computed by its equation; assumptions set parameters and "
                                     "exogenous series (give past values in \"initial\" or the history)"),
                                     series->written);
            continue;
        }
        if (ms->kind == MODEL_PARAMETER && (series->span_count > 0 || !series->has_constant)) {
            status = diag_error_json(d, DIAG_DATA, series->file, series->json_path,
                                     _("\"%s\" is a parameter, constant over time: give one number, not values by year"),
                                     series->written);
            continue;
        }
        if (series->has_constant &&
            validate_value(ms, series->constant, series->constant_source.percent, series->constant_source.file,
                           series->constant_source.json_path, d) != DIAG_OK)
            status = d->status;
        for (size_t k = 0; k < series->span_count; k++) {
            const scenario_source *source = &series->sources[k];
            if (validate_value(ms, series->spans[k].value, source->percent, source->file, source->json_path, d) !=
                DIAG_OK)
                status = d->status;
            if (validate_years(&series->spans[k], source, s, first, ms->name, d) != DIAG_OK)
                status = d->status;
        }
    }
    return status;
}

static int validate_initial(const model *m, const scenario *s, diag *d)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < s->initial_count; i++) {
        const scenario_series *series = &s->initial[i];
        /* an initial constant is spans[0]: a default for the year before start, like "value" */
        if (validate_overlaps(series, series->initial_constant, d) != DIAG_OK)
            status = d->status;
        int slot = validate_name(m, series->name, series->written, MODEL_KINDS_SERIES, "initial value", series->file,
                                 series->json_path, d);
        if (slot < 0) {
            status = d->status;
            continue;
        }
        const model_slot *ms = &m->slots[slot];
        if (ms->kind == MODEL_PARAMETER) {
            status = diag_error_json(d, DIAG_DATA, series->file, series->json_path,
                                     _("\"%s\" is a parameter (one value for all years): set it in \"assumptions\""),
                                     series->written);
            continue;
        }
        for (size_t k = 0; k < series->span_count; k++) {
            const scenario_source *source = &series->sources[k];
            if (series->spans[k].to >= s->start)
                status = diag_error_json(d, DIAG_DATA, source->file, source->json_path,
                                         _("initial values are for years before start (%d); %d is not"), s->start,
                                         series->spans[k].to);
            if (validate_value(ms, series->spans[k].value, source->percent, source->file, source->json_path, d) !=
                DIAG_OK)
                status = d->status;
        }
    }
    return status;
}

/* Every observation of a model name, of every place (peers use theirs), must be plausible. */
static int validate_history(const model *m, const scenario *s, const history *h, diag *d)
{
    int status = DIAG_OK;
    if (s->history_place && !history_has_place(h, s->history_place)) {
        const char *places[16];
        size_t n = history_places(h, places, 16);
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used < sizeof list - 64; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", places[i]);
        status = diag_error_json(d, DIAG_DATA, s->path, "$.history.place", _("place \"%s\" has no rows in %s (places there: %s)"),
                                 s->history_place, h->path, list);
    }
    for (size_t i = 0; i < h->count; i++) {
        const history_row *row = &h->rows[i];
        int growth_of;
        int slot = model_indicator_slot(m, row->indicator, row->kind == HISTORY_GROWTH, &growth_of);
        if (slot < 0 || m->slots[slot].kind == MODEL_PARAMETER)
            continue;
        range r = growth_of ? range_growth() : range_of_slot(&m->slots[slot]);
        if (range_contains(&r, row->value))
            continue;
        char message[512];
        range_message(&r, row->value, row->value_percent, row->indicator, message, sizeof message);
        status = diag_error_at(d, DIAG_DATA, h->path, row->line, row->value_col, growth_of ? _("%s %s %d (growth over the previous year): %s") : "%s %s %d: %s",
                               row->place, row->indicator, row->year, message);
    }
    return status;
}

int validate_scenario(model *m, const scenario *s, const history *h, diag *d)
{
    int status = DIAG_OK;
    if (!s->start || !s->end)
        status = diag_error_json(d, DIAG_DATA, s->path, "$", _("the scenario needs \"start\" and \"end\" years to run"));
    /* the bounds first: they set the ranges the values below are checked against */
    if (validate_bounds(m, s, d) != DIAG_OK)
        status = d->status;
    if (validate_initial(m, s, d) != DIAG_OK)
        status = d->status;
    if (s->start && s->end &&
        validate_assumptions(m, s, sim_first_year(m, s, h), d) != DIAG_OK)
        status = d->status;
    if (h && validate_history(m, s, h, d) != DIAG_OK)
        status = d->status;
    return status;
}
