/* explain.c: `econsim list` and `econsim explain` (explain.h).
 *
 * Both read the plan that a run would use, so what they show is what runs: every value of a
 * parameter, an exogenous series or an initial value comes with the place it was written
 * (run_provenance_of: file and JSON path, or observations line) and the note that goes with
 * that very value. Years with the same value and the same source are shown as one range. */
#include "i18n.h"
#include "explain.h"
#include "range.h"
#include "search_path.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <string.h>

/* " [亿元]", " [ratio]", or "" for no unit; the unit codes ratio, count and index in the chosen
 * language (i18n.h). */
static void explain_unit(char *buf, size_t size, const char *unit)
{
    if (!unit || !unit[0])
        snprintf(buf, size, "%s", "");
    else if (!strcmp(unit, "ratio") || !strcmp(unit, "count") || !strcmp(unit, "index"))
        snprintf(buf, size, " [%s]", !strcmp(unit, "ratio") ? _("ratio") : !strcmp(unit, "count") ? _("count") : _("index"));
    else
        snprintf(buf, size, " [%s]", text_safe(unit));
}

/* Prints a note indented under a line, cut at about 300 bytes on a character boundary. */
static void explain_note(FILE *out, const char *indent, const char *note)
{
    size_t n = strlen(note);
    if (n > 300) {
        n = 300;
        while (n > 0 && ((unsigned char)note[n] & 0xC0) == 0x80)
            n--;
    }
    char shown[4096];
    snprintf(shown, sizeof shown, "%.*s", (int)n, note);
    fprintf(out, _("%snote: %s%s\n"), indent, text_safe(shown), n < strlen(note) ? " ..." : "");
}

static const char *const explain_kind_titles[] = {N_("parameters"), N_("exogenous series"), N_("variables")};

void explain_list_model(FILE *out, const model *m)
{
    fprintf(out, "%s: %s (%s)\n", text_safe(m->path), text_safe(model_title(m)), text_safe(m->name));
    for (int kind = MODEL_PARAMETER; kind <= MODEL_VARIABLE; kind++) {
        int any = 0;
        for (size_t i = 0; i < m->slot_count; i++) {
            const model_slot *ms = &m->slots[i];
            if ((int)ms->kind != kind)
                continue;
            if (!any)
                fprintf(out, "\n%s:\n", _(explain_kind_titles[kind]));
            any = 1;
            char unit[96], span[160], value[64];
            explain_unit(unit, sizeof unit, ms->unit);
            range r = range_of_slot(ms);
            range_describe(&r, span, sizeof span);
            fprintf(out, "  %s  %s%s\n", text_safe(ms->name), text_safe(ms->label), unit);
            fprintf(out, _("      range: %s%s\n"), span,
                    r.source == RANGE_DEFAULT_GROWTH ? _(" (the default for a growth rate: no min or max declared)")
                    : r.source == RANGE_NONE         ? _(" (no min or max declared)")
                                                     : "");
            if (ms->kind == MODEL_VARIABLE) {
                fprintf(out, "      = %s\n", text_safe(ms->equation));
            } else {
                units_format_value(value, sizeof value, ms->value, ms->unit);
                fprintf(out, _("      value: %s (when a scenario sets none)\n"), value);
            }
            if (model_slot_note(ms))
                explain_note(out, "      ", model_slot_note(ms));
        }
    }
}

/* The names of the chain that were not where written: where the search path found each. */
static void explain_found(FILE *out, const scenario *s)
{
    for (size_t i = 0; i < s->found_count; i++) {
        const scenario_found *f = &s->found[i];
        fprintf(out, _("  found %s (%s: %s) in %s %s: %s\n"), text_safe(f->written), text_safe(f->file),
                text_safe(f->json_path), search_path_via_name((search_path_via)f->via), text_safe(f->folder),
                text_safe(f->path));
    }
}

void explain_list_scenario(FILE *out, const run *r)
{
    const scenario *s = r->scenario;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    fprintf(out, "\n%s (%s): %s\n", text_safe(scenario_title(s)), text_safe(s->name), text_safe(s->path));
    for (size_t i = 1; i < s->extends_count; i++)
        fprintf(out, _("  extends %s\n"), text_safe(s->extends_chain[i]));
    explain_found(out, s);
    for (size_t i = 0; i < s->bound_count; i++) {
        const scenario_bound *b = &s->bounds[i];
        int slot = model_find(m, b->name);
        if (slot < 0)
            continue;
        range r2 = range_of_slot(&m->slots[slot]);
        char span[160];
        range_describe(&r2, span, sizeof span);
        fprintf(out, _("  bounds: %s %s (%s: %s)\n"), text_safe(b->name), span, text_safe(b->file), text_safe(b->json_path));
    }
    fprintf(out, _("\nparameters and exogenous series, resolved (* the scenario's assumption, o observed, - the "
                 "model's value):\n"));
    size_t width = 0;
    for (size_t i = 0; i < m->slot_count; i++)
        if (m->slots[i].kind != MODEL_VARIABLE && text_display_width(m->slots[i].name) > width)
            width = text_display_width(m->slots[i].name);
    text_pad(out, "", width, 1);
    for (int y = plan->start; y <= plan->end; y++)
        fprintf(out, " %9d", y);
    fputc('\n', out);
    for (size_t i = 0; i < m->slot_count; i++) {
        const model_slot *ms = &m->slots[i];
        if (ms->kind == MODEL_VARIABLE)
            continue;
        text_pad(out, ms->name, width, 1);
        for (int y = plan->start; y <= plan->end; y++) {
            size_t c = i * plan->years + (size_t)sim_plan_year_index(plan, y);
            char value[64];
            units_format_value(value, sizeof value, plan->mode[c] == SIM_MODE_FIXED ? plan->base[c] : NAN, ms->unit);
            run_provenance from;
            char mark = !run_provenance_of(r, (int)i, y, &from) ? ' '
                        : !strcmp(from.kind, "assumption")      ? '*'
                        : !strcmp(from.kind, "observed")        ? 'o'
                                                                : '-';
            fprintf(out, " %8s%c", value, mark);
        }
        fputc('\n', out);
    }
}

/* The value of a fixed cell as the run uses it. */
static double explain_cell_value(const sim_plan *plan, size_t slot, int year)
{
    size_t c = slot * plan->years + (size_t)sim_plan_year_index(plan, year);
    return plan->mode[c] == SIM_MODE_FIXED || plan->mode[c] == SIM_MODE_GROWTH ? plan->base[c] : NAN;
}

/* 1 when two cells come from the same place and have the same value (same group). */
static int explain_same(const run_provenance *a, double va, const run_provenance *b, double vb)
{
    if (strcmp(a->kind, b->kind) || a->line != b->line || a->note != b->note)
        return 0;
    if ((a->file == NULL) != (b->file == NULL) || (a->file && strcmp(a->file, b->file)))
        return 0;
    if (strcmp(a->json_path, b->json_path))
        return 0;
    return va == vb || (isnan(va) && isnan(vb));
}

/* One group of years: "  2024-2030   7.00%  assumption  file: $.path" and its note. */
static void explain_group(FILE *out, const model_slot *ms, int from, int to, const run_provenance *p, double value,
                          const char **last_note)
{
    char years[32], shown[64];
    if (from == to)
        snprintf(years, sizeof years, "%d", from);
    else
        snprintf(years, sizeof years, "%d-%d", from, to);
    if (!strcmp(p->kind, "derived"))
        snprintf(shown, sizeof shown, "%.2f%% growth", value * 100);
    else if (!strcmp(p->kind, "model"))
        snprintf(shown, sizeof shown, "computed");
    else
        units_format_value(shown, sizeof shown, value, ms->unit);
    fprintf(out, "  %-10s %12s  %-13s ", years, shown, p->kind);
    if (p->line)
        fprintf(out, "%s:%d%s%s%s\n", text_safe(p->file), p->line, p->source && p->source[0] ? " (" : "",
                text_safe(p->source), p->source && p->source[0] ? ")" : "");
    else if (!strcmp(p->kind, "model"))
        fprintf(out, "= %s\n", text_safe(ms->equation));
    else
        fprintf(out, "%s: %s\n", text_safe(p->file), text_safe(p->json_path));
    if (p->note && p->note != *last_note)
        explain_note(out, "                                         ", p->note);
    else if (p->note)
        fprintf(out, _("                                         note: as above\n"));
    *last_note = p->note;
}

/* Every year of one slot, grouped. */
static void explain_slot(FILE *out, const run *r, size_t slot)
{
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[slot];
    char unit[96];
    explain_unit(unit, sizeof unit, ms->unit);
    fprintf(out, "\n%s  %s%s\n", text_safe(ms->name), text_safe(ms->label), unit);
    const char *last_note = NULL;
    if (ms->kind == MODEL_PARAMETER) {
        run_provenance p;
        if (run_provenance_of(r, (int)slot, plan->start, &p))
            explain_group(out, ms, plan->first_year, plan->end, &p, explain_cell_value(plan, slot, plan->start),
                          &last_note);
        return;
    }
    int group_from = 0;
    run_provenance group, here;
    double group_value = NAN;
    for (int year = plan->first_year; year <= plan->end + 1; year++) {
        int has = year <= plan->end && run_provenance_of(r, (int)slot, year, &here);
        double value = has ? explain_cell_value(plan, slot, year) : NAN;
        if (group_from && has && explain_same(&group, group_value, &here, value))
            continue;
        if (group_from)
            explain_group(out, ms, group_from, year - 1, &group, group_value, &last_note);
        group_from = has ? year : 0;
        group = here;
        group_value = value;
    }
}

void explain_scenario(FILE *out, const run *r, int slot)
{
    const scenario *s = r->scenario;
    const model *m = r->model;
    fprintf(out, "%s (%s), %d-%d: %s\n", text_safe(scenario_title(s)), text_safe(s->name), s->start, s->end, text_safe(s->path));
    for (size_t i = 1; i < s->extends_count; i++)
        fprintf(out, _("  extends %s\n"), text_safe(s->extends_chain[i]));
    explain_found(out, s);
    fprintf(out, _("  model %s"), text_safe(m->path));
    if (r->history)
        fprintf(out, _(", observations %s (%s)"), text_safe(r->history->path), text_safe(s->history_place));
    fputc('\n', out);
    for (size_t i = 0; i < s->bound_count; i++) {
        const scenario_bound *b = &s->bounds[i];
        int k = model_find(m, b->name);
        if (k < 0)
            continue;
        range r2 = range_of_slot(&m->slots[k]);
        char span[160];
        range_describe(&r2, span, sizeof span);
        fprintf(out, _("  bounds: %s %s in place of the model's (%s: %s)\n"), text_safe(b->name), span, text_safe(b->file),
                text_safe(b->json_path));
        if (scenario_bound_note(b))
            explain_note(out, "          ", scenario_bound_note(b));
    }
    if (slot >= 0) {
        explain_slot(out, r, (size_t)slot);
        return;
    }
    for (int kind = MODEL_PARAMETER; kind <= MODEL_VARIABLE; kind++)
        for (size_t i = 0; i < m->slot_count; i++) {
            if ((int)m->slots[i].kind != kind)
                continue;
            /* variables only for their initial values: the rest is the equation's */
            if (kind == MODEL_VARIABLE && !scenario_initial(s, m->slots[i].name))
                continue;
            explain_slot(out, r, i);
        }
}
