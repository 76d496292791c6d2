/* report.c: the projection as a table, a CSV file and the core of summary.json.
 *
 * All three read the same cells of the plan, so they agree by construction: the value, and
 * the origin that says whether a number was observed, derived from an observed growth rate,
 * assumed or computed (DESIGN §4 rule 4: nothing derived is ever shown as observed). */
#include "i18n.h"
#include "report.h"
#include "mem.h"
#include "output.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <string.h>

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
    case SIM_ORIGIN_ESTIMATED:
        return 'e';
    default:
        return ' ';
    }
}


void report_overrides(FILE *out, const run *r)
{
    const sim_plan *plan = r->plan;
    for (size_t i = 0; i < plan->override_count; i++) {
        const sim_override *o = &plan->overrides[i];
        const model_slot *ms = &r->model->slots[o->slot];
        char assumed[64], data[64];
        units_format_value(assumed, sizeof assumed, o->assumed, ms->unit);
        units_format_value(data, sizeof data, o->data, ms->unit);
        fprintf(out, o->by_scenario ? _("%d: the scenario assumed %s %s, the data says %s")
                                    : _("%d: the model assumed %s %s, the data says %s"),
                o->year, text_safe(ms->name), assumed, data);
        if (o->solved_from >= 0)
            fprintf(out, _(" (derived from the observed %s)"), text_safe(r->model->slots[o->solved_from].name));
        if (o->row)
            fprintf(out, " [%s:%d]", text_safe(r->history ? r->history->path : ""), o->row->line);
        fputc('\n', out);
    }
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
        snprintf(heading, sizeof heading, "%s [%s]", m->slots[s].label, units_shown(m->slots[s].unit));
        size_t w = text_display_width(heading);
        if (w > label_width)
            label_width = w;
    }
    if (label_width > 48)
        label_width = 48;
    const int column = 10;
    fprintf(out, "%s  (%s)\n", text_safe(scenario_title(r->scenario)), text_safe(r->scenario->name));
    if (r->as_of > 0)
        fprintf(out, _("observations as of %d (%s): those of later years are not used\n"), r->as_of,
                r->as_of_given ? "--as-of" : _("the scenario's \"as_of\""));
    report_overrides(out, r);
    text_pad(out, "", label_width, 1);
    for (int y = first; y <= plan->end; y++)
        fprintf(out, "%*d ", column, y);
    fputc('\n', out);
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        if (group == 1)
            fprintf(out, _("assumptions:\n"));
        for (size_t s = 0; s < m->slot_count; s++) {
            const model_slot *ms = &m->slots[s];
            if (ms->kind != kind)
                continue;
            snprintf(heading, sizeof heading, "%s [%s]", ms->label, units_shown(ms->unit));
            text_pad(out, heading, label_width, 1);
            for (int y = first; y <= plan->end; y++) {
                int t = sim_plan_year_index(plan, y);
                char value[64];
                size_t c = (size_t)s * plan->years + (size_t)t;
                double shown = sim_plan_cell_shown(plan, s, (size_t)t) ? run_slot_value(r, (int)s, y) : NAN;
                units_format_value(value, sizeof value, shown, ms->unit);
                fprintf(out, "%*s%c", column, value, report_origin_flag((sim_origin)plan->origin[c]));
            }
            fputc('\n', out);
        }
    }
    fputs(_("o observed, d derived from an observed growth rate (or, for an assumption, from the data), "
            "i initial value (assumed), e estimated before start from assumptions; others computed or assumed. Money in "
            "亿元 at current prices unless the label says otherwise.\n"),
          out);
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
