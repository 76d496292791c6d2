/* side_by_side.c: scenarios run together, printed side by side (side_by_side.h). */
#include "i18n.h"
#include "side_by_side.h"
#include "report.h"
#include "sim.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <string.h>

/* The width of a value column: the widest scenario name, at least 12. */
static size_t side_by_side_width(const run *const *runs, size_t count)
{
    size_t width = 12;
    for (size_t i = 0; i < count; i++) {
        size_t w = text_display_width(text_safe(runs[i]->scenario->name));
        if (w > width)
            width = w;
    }
    return width;
}

/* The value of slot in year in run r, with its origin; 0 when the run has no such year. */
static int side_by_side_value(const run *r, int slot, int year, double *value, char *flag)
{
    const sim_plan *plan = r->plan;
    if (slot < 0 || year < plan->start || year > plan->end || !r->values)
        return 0;
    size_t c = (size_t)slot * plan->years + (size_t)sim_plan_year_index(plan, year);
    *value = r->values[c];
    char f = report_origin_flag((sim_origin)plan->origin[c]);
    *flag = f == ' ' ? 0 : f;
    return 1;
}

static void side_by_side_variable(FILE *out, const run *const *runs, size_t count, const char *name, size_t width)
{
    int slots[64];
    const model_slot *shown = NULL;
    int first = 0, last = 0;
    for (size_t i = 0; i < count && i < 64; i++) {
        slots[i] = model_find(runs[i]->model, name);
        if (slots[i] < 0)
            continue;
        if (!shown)
            shown = &runs[i]->model->slots[slots[i]];
        if (!first || runs[i]->plan->start < first)
            first = runs[i]->plan->start;
        if (runs[i]->plan->end > last)
            last = runs[i]->plan->end;
    }
    if (!shown)
        return;
    int rate = units_is_rate(shown->unit);
    const char *unit = rate ? "%" : !strcmp(shown->unit, "count") ? _("count") : !strcmp(shown->unit, "index") ? _("index")
                                                                                                 : text_safe(shown->unit);
    fprintf(out, _("\n%s [%s] (%s), side by side\n"), text_safe(shown->label), unit,
            text_safe(shown->name));
    fputs(_("year"), out);
    for (size_t i = 0; i < count && i < 64; i++) {
        fputs("  ", out);
        text_pad(out, text_safe(runs[i]->scenario->name), width, 0);
    }
    if (count == 2) {
        fputs("  ", out);
        text_pad(out, rate ? "2 - 1 (points)" : "2 - 1", width, 0);
    }
    fputc('\n', out);
    for (int year = first; year <= last; year++) {
        fprintf(out, "%4d", year);
        double values[2] = {NAN, NAN};
        for (size_t i = 0; i < count && i < 64; i++) {
            double v;
            char flag = 0, cell[64] = "";
            if (side_by_side_value(runs[i], slots[i], year, &v, &flag)) {
                units_format_value(cell, sizeof cell - 2, v, shown->unit);
                if (flag) {
                    size_t len = strlen(cell);
                    cell[len] = flag;
                    cell[len + 1] = '\0';
                }
                if (i < 2)
                    values[i] = v;
            }
            fputs("  ", out);
            text_pad(out, cell, width, 0);
        }
        if (count == 2) {
            char cell[64] = "";
            if (isfinite(values[0]) && isfinite(values[1])) {
                double diff = values[1] - values[0];
                snprintf(cell, sizeof cell, "%+.2f", rate ? diff * 100.0 : diff);
            }
            fputs("  ", out);
            text_pad(out, cell, width, 0);
        }
        fputc('\n', out);
    }
}

void side_by_side_print(FILE *out, const run *const *runs, size_t count, char *const *variables, size_t n)
{
    if (count < 2)
        return;
    size_t width = side_by_side_width(runs, count);
    fprintf(out, _("the %zu scenarios side by side"), count);
    for (size_t i = 0; i < count; i++)
        fprintf(out, "%s%zu %s", i ? ", " : ": ", i + 1, text_safe(runs[i]->scenario->name));
    fputs(_(" (o observed, d derived, i initial; no flag: computed or assumed)\n"), out);
    for (size_t v = 0; v < n; v++)
        side_by_side_variable(out, runs, count, variables[v], width);
    fputc('\n', out);
}
