/* scenario_template.c: the scenario file `econsim init` writes (scenario_template.h).
 *
 * The file is written as text, not built as a JSON tree: the order and layout are for a
 * planner reading it in an editor (one assumption to a block, its comments beside it), and
 * the comments are ordinary "_" keys, which scenario files accept and ignore. */
#include "scenario_template.h"
#include "i18n.h"
#include "range.h"
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Writes text as a JSON string literal: quotes, backslashes and control characters escaped;
 * other bytes (UTF-8) as they are. */
static void template_string(FILE *f, const char *text)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* A number in the shortest form that reads back as the same double. */
static void template_number(FILE *f, double value)
{
    char buf[40];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    fputs(buf, f);
}

/* The value base uses for slot in year: a fixed value (assumption, parameter, initial) or
 * the growth rate of a growth cell; NaN where observations or equations set it. */
static double template_value(const sim_plan *plan, size_t slot, int year)
{
    size_t c = slot * plan->years + (size_t)sim_plan_year_index(plan, year);
    return plan->mode[c] == SIM_MODE_FIXED && plan->origin[c] != SIM_ORIGIN_OBSERVED ? plan->base[c] : NAN;
}

/* What the unit of a slot means, for its "_unit" comment. */
static void template_unit(FILE *f, const model_slot *ms, int rate)
{
    char text[256];
    if (rate)
        snprintf(text, sizeof text, _("%s: a fraction (0.05 = 5%%; \"5%%\" works too)"), ms->unit);
    else if (ms->unit && ms->unit[0])
        snprintf(text, sizeof text, "%s", ms->unit);
    else
        snprintf(text, sizeof text, "%s", _("a number without unit"));
    template_string(f, text);
}

/* The example of one parameter or exogenous series: its year spans (or one "value"), then
 * its comments. */
static void template_entry(FILE *f, const run *base, size_t slot)
{
    const sim_plan *plan = base->plan;
    const model_slot *ms = &base->model->slots[slot];
    range r = range_of_slot(ms);
    fputs("    ", f);
    char key[512];
    snprintf(key, sizeof key, "_%s", ms->name);
    template_string(f, key);
    fputs(": {", f);
    /* runs of equal values over start..end, each a year span */
    int spans = 0, observed = 0;
    int all_same = 1;
    double first = NAN;
    for (int year = plan->start; year <= plan->end; year++) {
        double v = template_value(plan, slot, year);
        if (isnan(v)) {
            observed = 1;
            continue;
        }
        if (isnan(first))
            first = v;
        else if (v != first)
            all_same = 0;
    }
    if (!isnan(first) && all_same && !observed) {
        fputs("\"value\": ", f);
        template_number(f, first);
        spans = 1;
    } else {
        for (int year = plan->start; year <= plan->end;) {
            double v = template_value(plan, slot, year);
            if (isnan(v)) {
                year++;
                continue;
            }
            int to = year;
            while (to + 1 <= plan->end && template_value(plan, slot, to + 1) == v)
                to++;
            char years[32];
            if (to == year)
                snprintf(years, sizeof years, "%d", year);
            else
                snprintf(years, sizeof years, "%d-%d", year, to);
            fprintf(f, "%s\"%s\": ", spans ? ", " : "", years);
            template_number(f, v);
            spans++;
            year = to + 1;
        }
    }
    fprintf(f, "%s\n      \"_label\": ", spans ? "," : "");
    template_string(f, ms->label);
    fputs(",\n      \"_unit\": ", f);
    template_unit(f, ms, r.rate);
    char span[160];
    range_describe(&r, span, sizeof span);
    fputs(",\n      \"_range\": ", f);
    template_string(f, span[0] ? span : _("none declared"));
    fputs(",\n      \"_kind\": ", f);
    template_string(f, ms->kind == MODEL_PARAMETER ? _("parameter: one value for every year")
                       : observed ? _("exogenous series: a value a year (observed years are left out: observations win)")
                                  : _("exogenous series: a value a year"));
    fputs("}", f);
}

int scenario_template_write(FILE *f, const run *base, const scenario_template *t)
{
    const model *m = base->model;
    fputs("{\n  \"_about\": ", f);
    char about[1024];
    snprintf(about, sizeof about,
             _("Written by econsim init. Keys that start with _ are comments: econsim ignores them. To set an "
               "assumption, remove the _ in front of its name below and edit its values (fractions for rates: 0.04 "
               "= 4%%); the values shown are the ones it inherits from %s now, from %d to %d."),
             t->extends, base->plan->start, base->plan->end);
    template_string(f, about);
    fputs(",\n  \"name\": ", f);
    template_string(f, t->name);
    fputs(",\n  \"title\": ", f);
    template_string(f, t->name);
    fputs(",\n  \"extends\": ", f);
    template_string(f, t->extends);
    if (t->place) {
        fputs(",\n  \"history\": {\"place\": ", f);
        template_string(f, t->place);
        fputs("}", f);
    }
    fputs(",\n  \"assumptions\": {\n", f);
    int any = 0;
    for (size_t i = 0; i < m->slot_count; i++) {
        if (m->slots[i].kind == MODEL_VARIABLE)
            continue;
        if (any)
            fputs(",\n", f);
        template_entry(f, base, i);
        any = 1;
    }
    fputs(any ? "\n  }\n}\n" : "  }\n}\n", f);
    return ferror(f) ? -1 : 0;
}
