/* report.c: the projection as a table, a CSV file and the core of summary.json.
 *
 * All three read the same cells of the plan, so they agree by construction: the value, and
 * the origin that says whether a number was observed, derived from an observed growth rate,
 * assumed or computed (DESIGN §4 rule 4: nothing derived is ever shown as observed). */
#include "report.h"
#include "mem.h"
#include "output.h"
#include "search_path.h"
#include "text.h"

#include <math.h>
#include <string.h>

void report_format_value(char *buf, size_t size, double value, const char *unit)
{
    int rate = model_unit_is_rate(unit);
    double shown = rate ? value * 100.0 : value;
    if (!isfinite(value))
        snprintf(buf, size, "-");
    else if (fabs(shown) >= 1e12) /* a short form, never hundreds of digits */
        snprintf(buf, size, "%.6g%s", shown, rate ? "%" : "");
    else if (rate)
        snprintf(buf, size, "%.2f%%", shown);
    else if (!strcmp(unit, "count") || !strcmp(unit, "家") || !strcmp(unit, "个"))
        snprintf(buf, size, "%.0f", value);
    else if (!strcmp(unit, "index") || !strcmp(unit, ""))
        snprintf(buf, size, "%.4f", value);
    else
        snprintf(buf, size, "%.2f", value);
}

char report_origin_flag(sim_origin origin)
{
    switch (origin) {
    case SIM_ORIGIN_OBSERVED:
        return 'o';
    case SIM_ORIGIN_DERIVED:
        return 'd';
    case SIM_ORIGIN_INTERPOLATED:
        return 'n';
    case SIM_ORIGIN_INITIAL:
        return 'i';
    case SIM_ORIGIN_PROJECTED:
        return 'p';
    default:
        return ' ';
    }
}

static const char *unit_text(const char *unit)
{
    if (model_unit_is_rate(unit))
        return "%";
    return unit;
}

void report_projection_table(FILE *out, const run *r)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    int first = plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
    char heading[512];
    size_t label_width = 0;
    for (size_t s = 0; s < m->slot_count; s++) {
        if (m->slots[s].kind == MODEL_PARAMETER)
            continue;
        snprintf(heading, sizeof heading, "%s [%s]", m->slots[s].label, unit_text(m->slots[s].unit));
        size_t w = text_display_width(heading);
        if (w > label_width)
            label_width = w;
    }
    if (label_width > 48)
        label_width = 48;
    const int column = 10;
    fprintf(out, "%s  (%s)\n", text_safe(r->scenario->title), text_safe(r->scenario->name));
    text_pad(out, "", label_width, 1);
    for (int y = first; y <= plan->end; y++)
        fprintf(out, "%*d ", column, y);
    fputc('\n', out);
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        if (group == 1)
            fprintf(out, "assumptions:\n");
        for (size_t s = 0; s < m->slot_count; s++) {
            const model_slot *ms = &m->slots[s];
            if (ms->kind != kind)
                continue;
            snprintf(heading, sizeof heading, "%s [%s]", ms->label, unit_text(ms->unit));
            text_pad(out, heading, label_width, 1);
            for (int y = first; y <= plan->end; y++) {
                int t = sim_plan_year_index(plan, y);
                char value[64];
                size_t c = (size_t)s * plan->years + (size_t)t;
                double shown = sim_plan_cell_shown(plan, s, (size_t)t) ? run_slot_value(r, (int)s, y) : NAN;
                report_format_value(value, sizeof value, shown, ms->unit);
                fprintf(out, "%*s%c", column, value, report_origin_flag((sim_origin)plan->origin[c]));
            }
            fputc('\n', out);
        }
    }
    fprintf(out, "o observed, d derived from an observed growth rate, i initial value (assumed); "
                 "others computed or assumed. Money in 亿元 at current prices unless the label says otherwise.\n");
}

void report_projection_csv(FILE *f, const run *r)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    fputs("scenario,variable,year,value,origin\n", f);
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        for (size_t s = 0; s < m->slot_count; s++) {
            if (m->slots[s].kind != kind)
                continue;
            for (size_t t = 0; t < plan->years; t++) {
                size_t c = s * plan->years + t;
                if (!sim_plan_cell_shown(plan, s, t))
                    continue;
                output_csv_field(f, r->scenario->name);
                fputc(',', f);
                output_csv_field(f, m->slots[s].name);
                fprintf(f, ",%d,", plan->first_year + (int)t);
                output_csv_number(f, r->values[c]);
                fputc(',', f);
                fputs(sim_origin_name((sim_origin)plan->origin[c]), f);
                fputc('\n', f);
            }
        }
    }
}

static cJSON *add_string(cJSON *object, const char *key, const char *value)
{
    return value ? cJSON_AddStringToObject(object, key, value) : cJSON_AddNullToObject(object, key);
}

/* A bound for summary.json: a number, or null for an open side. */
static void add_bound(cJSON *object, const char *key, double value)
{
    if (isfinite(value))
        cJSON_AddNumberToObject(object, key, value);
    else
        cJSON_AddNullToObject(object, key);
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
        add_string(item, "name", b->name);
        /* the range in force: a side the bound leaves open keeps the model's */
        add_bound(item, "min", slot >= 0 ? r->model->slots[slot].min : b->min);
        add_bound(item, "max", slot >= 0 ? r->model->slots[slot].max : b->max);
        if (slot >= 0) {
            add_bound(item, "model_min", r->model->slots[slot].model_min);
            add_bound(item, "model_max", r->model->slots[slot].model_max);
        }
        add_string(item, "file", b->file);
        add_string(item, "json_path", b->json_path);
        add_string(item, "note", b->note);
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
    add_string(set_by, "kind", from->kind);
    add_string(set_by, "file", from->file);
    add_string(set_by, "json_path", from->json_path);
    add_string(set_by, "note", from->note);
    return DIAG_OK;
}

static cJSON *series_json(const run *r, size_t s)
{
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[s];
    cJSON *item = cJSON_CreateObject();
    if (!item)
        return NULL;
    add_string(item, "name", ms->name);
    add_string(item, "label", ms->label);
    add_string(item, "unit", ms->unit);
    add_string(item, "kind", ms->kind == MODEL_VARIABLE ? "variable" : "exogenous");
    if (ms->kind == MODEL_VARIABLE)
        add_string(item, "equation", ms->equation);
    if (ms->note)
        add_string(item, "note", ms->note);
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
        add_string(point, "origin", sim_origin_name((sim_origin)plan->origin[c]));
        run_provenance from;
        if ((plan->origin[c] == SIM_ORIGIN_ASSUMED || plan->origin[c] == SIM_ORIGIN_INITIAL) &&
            run_provenance_of(r, (int)s, plan->first_year + (int)t, &from) && add_provenance(point, &from) != DIAG_OK)
            return cJSON_Delete(item), NULL;
        const history_row *row = plan->source[c];
        if (row) {
            add_string(point, "source", row->source);
            add_string(point, "reliability", row->reliability);
            if (plan->origin[c] == SIM_ORIGIN_DERIVED)
                cJSON_AddNumberToObject(point, "observed_growth", row->value);
        }
    }
    return item;
}

cJSON *report_summary(const run *r)
{
    const scenario *s = r->scenario;
    const model *m = r->model;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    add_string(root, "econsim_version", ECONSIM_VERSION);
    cJSON *info = cJSON_AddObjectToObject(root, "scenario");
    if (!info)
        goto fail;
    add_string(info, "name", s->name);
    add_string(info, "title", s->title);
    add_string(info, "file", s->path);
    if (s->note)
        add_string(info, "note", s->note);
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
        add_string(item, "file", f->file);
        add_string(item, "at", f->json_path);
        add_string(item, "written", f->written);
        add_string(item, "path", f->path);
        add_string(item, "via", search_path_via_name((search_path_via)f->via));
        add_string(item, "folder", f->folder);
    }
    add_string(info, "model", s->model_path);
    add_string(info, "history", s->history_path);
    add_string(info, "place", s->history_place);
    cJSON_AddNumberToObject(info, "start", s->start);
    cJSON_AddNumberToObject(info, "end", s->end);
    cJSON *units = cJSON_AddObjectToObject(root, "units");
    if (!units)
        goto fail;
    add_string(units, "money", "亿元 (10^8 yuan), current prices (nominal) unless a series says real");
    add_string(units, "ratio", "fraction (0.08 = 8%)");
    cJSON *model_info = cJSON_AddObjectToObject(root, "model");
    if (!model_info)
        goto fail;
    add_string(model_info, "name", m->name);
    add_string(model_info, "title", m->title);
    add_string(model_info, "file", m->path);
    if (report_add_item(root, "bounds", bounds_json(r)) != DIAG_OK)
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
            add_string(p, "name", ms->name);
            add_string(p, "label", ms->label);
            add_string(p, "unit", ms->unit);
            cJSON_AddNumberToObject(p, "value", r->plan->base[i * r->plan->years]);
            add_string(p, "origin", scenario_assumption(s, ms->name) ? "scenario" : "model default");
            run_provenance from;
            if (run_provenance_of(r, (int)i, r->plan->start, &from)) {
                if (from.note)
                    add_string(p, "note", from.note);
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

int report_write_json(output_batch *batch, const char *name, const cJSON *root, diag *d)
{
    char *text = cJSON_Print(root);
    if (!text)
        return diag_oom(d, "printing JSON");
    FILE *f = output_batch_open(batch, name, d);
    if (f) {
        fputs(text, f);
        fputc('\n', f);
    }
    mem_free(text);
    return f ? DIAG_OK : d->status;
}

int report_add_item(cJSON *object, const char *key, cJSON *item)
{
    if (!item || !cJSON_AddItemToObject(object, key, item)) {
        cJSON_Delete(item);
        return DIAG_SOFTWARE;
    }
    return DIAG_OK;
}

int report_add_warnings(cJSON *summary, const diag *d)
{
    cJSON *warnings = cJSON_AddArrayToObject(summary, "warnings");
    if (!warnings)
        return DIAG_SOFTWARE;
    for (size_t i = 0; i < d->warning_count; i++) {
        cJSON *w = cJSON_CreateString(d->warnings[i]);
        if (!w || !cJSON_AddItemToArray(warnings, w)) {
            cJSON_Delete(w);
            return DIAG_SOFTWARE;
        }
    }
    return DIAG_OK;
}
