/* goals_write.c: the goals of a scenario for people and files (goals_write.h): goals.csv, the
 * goals table and the answers of goal seek on stdout, the goals chart (through the chart API,
 * charts.h), and the "goals" part of summary.json, the last kept apart at the end. */
#include "i18n.h"
#include "goals_write.h"
#include "i18n.h"
#include "mem.h"
#include "output.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* goals.csv                                                                                  */

size_t goals_selected(const size_t *only, size_t k)
{
    return only ? only[k] : k;
}

void goals_write_csv(FILE *f, const goals_set *g, const run *r, const size_t *only, size_t only_count)
{
    size_t n = only ? only_count : g->count;
    int probability = 0;
    for (size_t k = 0; k < n; k++)
        probability |= isfinite(g->results[goals_selected(only, k)].probability);
    fputs("scenario,goal,variable,year,target,value,met,first_year_met,solve,required", f);
    fputs(probability ? ",probability\n" : "\n", f);
    for (size_t k = 0; k < n; k++) {
        size_t i = goals_selected(only, k);
        const goals_goal *goal = &g->goals[i];
        const goals_result *result = &g->results[i];
        output_csv_field(f, r->scenario->name);
        fputc(',', f);
        output_csv_field(f, goal->id);
        fputc(',', f);
        output_csv_field(f, goal->variable);
        fprintf(f, ",%d,", goal->year);
        output_csv_number(f, goal->target);
        fputc(',', f);
        output_csv_number(f, result->value);
        fputs(result->met ? ",true," : ",false,", f);
        if (result->first_year_met)
            fprintf(f, "%d", result->first_year_met);
        fputc(',', f);
        output_csv_field(f, goal->solve);
        fputc(',', f);
        if (result->seek.status == GOALS_SEEK_FOUND)
            output_csv_number(f, result->seek.required);
        if (probability) {
            fputc(',', f);
            output_csv_number(f, result->probability);
        }
        fputc('\n', f);
    }
}


/* ------------------------------------------------------------------------------------------ */
/* Tables on stdout                                                                           */

enum { GOALS_COLUMNS = 9 };

/* The cells of one goal's row. */
static void goals_row(const goals_set *g, size_t i, const run *r, char cells[GOALS_COLUMNS][256])
{
    const goals_goal *goal = &g->goals[i];
    const goals_result *result = &g->results[i];
    const model *m = r->model;
    const char *unit = goals_value_unit(goal, m);
    char number[64];
    snprintf(cells[0], 256, "%s", goal->id);
    snprintf(cells[1], 256, "%s%s", goal->label, result->assumed_count ? " *" : "");
    snprintf(cells[2], 256, "%d", goal->year);
    goals_format_value(number, sizeof number, goal->target, unit);
    if (goal->kind == GOALS_GROWTH)
        /* TRANSLATORS: a growth goal's target: "growth ≥ 8.0%" */
        snprintf(cells[3], 256, _("growth %s %s"), goal->direction == GOALS_AT_LEAST ? "≥" : "≤", number);
    else
        snprintf(cells[3], 256, "%s %s", goal->direction == GOALS_AT_LEAST ? "≥" : "≤", number);
    goals_format_value(cells[4], 256, result->value, unit);
    snprintf(cells[5], 256, "%s", result->met ? _("met") : _("NOT met"));
    if (result->met || !isfinite(result->shortfall)) {
        snprintf(cells[6], 256, "-");
    } else {
        goals_format_difference(number, sizeof number, result->shortfall, unit);
        if (isfinite(result->shortfall_percent))
            snprintf(cells[6], 256, "%s (%.1f%%)", number, result->shortfall_percent);
        else
            snprintf(cells[6], 256, "%s", number);
    }
    if (result->first_year_met)
        snprintf(cells[7], 256, "%d", result->first_year_met);
    else
        snprintf(cells[7], 256, _("not by %d"), r->plan->end);
    const goals_seek_result *seek = &result->seek;
    if (goal->solve_slot < 0) {
        snprintf(cells[8], 256, "-");
        return;
    }
    const model_slot *instrument = &m->slots[goal->solve_slot];
    char years[32], best[64], at[64];
    goals_format_years(years, sizeof years, goal, r);
    switch (seek->status) {
    case GOALS_SEEK_FOUND:
        units_format_value(number, sizeof number, seek->required, instrument->unit);
        {
            /* TRANSLATORS: the instrument's required value: "gdp_growth at least 7.2%" */
            char bound[192];
            if (seek->bound == GOALS_BOUND_AT_LEAST)
                snprintf(bound, sizeof bound, _("%s at least %s"), goal->solve, number);
            else if (seek->bound == GOALS_BOUND_AT_MOST)
                snprintf(bound, sizeof bound, _("%s at most %s"), goal->solve, number);
            else
                snprintf(bound, sizeof bound, "%s = %s", goal->solve, number);
            if (instrument->kind == MODEL_PARAMETER) /* one value for all years: nothing to add */
                snprintf(cells[8], 256, "%s", bound);
            else
                snprintf(cells[8], 256, "%s (%s)", bound, years);
        }
        break;
    case GOALS_SEEK_UNREACHABLE:
        goals_format_value(best, sizeof best, seek->best_value, unit);
        units_format_value(at, sizeof at, seek->best_instrument, instrument->unit);
        snprintf(cells[8], 256, _("unreachable: best %s at %s = %s"), best, goal->solve, at);
        break;
    case GOALS_SEEK_NO_EFFECT:
        snprintf(cells[8], 256, _("%s has no effect on it"), goal->solve);
        break;
    case GOALS_SEEK_FAILED:
        snprintf(cells[8], 256, "%s", _("failed (see summary.json)"));
        break;
    case GOALS_SEEK_NONE:
        snprintf(cells[8], 256, "-");
        break;
    }
}

void goals_print_table(FILE *out, const goals_set *g, const run *r)
{
    static const char *const heading_ids[GOALS_COLUMNS] = {N_("goal"),   N_("label"),     N_("year"),
                                                           N_("target"), N_("value"),     N_("status"),
                                                           N_("shortfall"), N_("first met"), N_("required")};
    const char *headings[GOALS_COLUMNS];
    for (int c = 0; c < GOALS_COLUMNS; c++)
        headings[c] = _(heading_ids[c]);
    static const int left[GOALS_COLUMNS] = {1, 1, 0, 0, 0, 1, 0, 0, 1};
    if (g->count == 0)
        return;
    char (*rows)[GOALS_COLUMNS][256] = mem_alloc(g->count * sizeof *rows);
    if (!rows) {
        fprintf(out, _("(goals table omitted: out of memory)\n"));
        return;
    }
    size_t width[GOALS_COLUMNS];
    for (int c = 0; c < GOALS_COLUMNS; c++)
        width[c] = text_display_width(headings[c]);
    for (size_t i = 0; i < g->count; i++) {
        goals_row(g, i, r, rows[i]);
        for (int c = 0; c < GOALS_COLUMNS; c++) {
            size_t w = text_display_width(rows[i][c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    /* One line of figures per goal, and below it the goal's id (what --goal takes) with the
     * required instrument value: side by side they made a table near 190 columns wide. */
    enum { FIRST = 1, LAST = GOALS_COLUMNS - 2, ID = 0, REQUIRED = GOALS_COLUMNS - 1 };
    fprintf(out, _("\ngoals of %s (%s), on the scenario's path:\n"), text_safe(scenario_title(r->scenario)),
            text_safe(r->scenario->name));
    for (int c = FIRST; c <= LAST; c++) {
        text_pad(out, headings[c], c == LAST ? 0 : width[c], left[c]);
        fputs(c == LAST ? "\n" : "  ", out);
    }
    for (size_t i = 0; i < g->count; i++) {
        for (int c = FIRST; c <= LAST; c++) {
            text_pad(out, rows[i][c], c == LAST ? 0 : width[c], left[c]);
            fputs(c == LAST ? "\n" : "  ", out);
        }
        fprintf(out, _("    %s  required: %s\n"), text_safe(rows[i][ID]), text_safe(rows[i][REQUIRED]));
    }
    mem_free(rows);
    fprintf(out, _("required: the bound on the instrument that meets the goal (at least or at most the value that "
                 "meets the target exactly), found on the whole model (an exogenous series held constant from %d "
                 "to the goal year).\n"),
            r->plan->start);
    int any_assumed = 0;
    for (size_t i = 0; i < g->count; i++) {
        const goals_result *result = &g->results[i];
        for (size_t k = 0; k < result->assumed_count; k++) {
            const goals_assumed_input *input = &result->assumed[k];
            const model_slot *slot = &r->model->slots[input->slot];
            char value[64];
            goals_format_value(value, sizeof value, input->value, slot->unit);
            if (!any_assumed)
                fprintf(out, _("* rests on assumed (initial, not observed) inputs:\n"));
            any_assumed = 1;
            fprintf(out, "  %s: %s %d = %s", text_safe(g->goals[i].id), text_safe(slot->name), input->year,
                    text_safe(value));
            if (input->note) {
                fputs(": ", out);
                text_print(out, input->note, 0); /* a note may be longer than text_safe keeps */
            }
            fputc('\n', out);
        }
    }
}

void goals_print_path(FILE *out, const goals_set *g, const size_t *goal_index, size_t count, const run *r,
                      const double *values)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    int first = plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
    /* rows: each goal variable and exogenous instrument once, in slot order */
    unsigned char *wanted = mem_calloc(m->slot_count ? m->slot_count : 1, 1);
    if (!wanted)
        return;
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        wanted[goal->slot] = 1;
        if (goal->solve_slot >= 0 && m->slots[goal->solve_slot].kind == MODEL_EXOGENOUS)
            wanted[goal->solve_slot] = 1;
    }
    char heading[512];
    size_t label_width = 0;
    for (size_t s = 0; s < m->slot_count; s++) {
        if (!wanted[s])
            continue;
        snprintf(heading, sizeof heading, "%s [%s]", m->slots[s].label, units_shown(m->slots[s].unit));
        size_t w = text_display_width(heading);
        if (w > label_width)
            label_width = w;
    }
    text_pad(out, "", label_width, 1);
    for (int y = first; y <= plan->end; y++)
        fprintf(out, " %10d ", y);
    fputc('\n', out);
    for (int group = 0; group < 2; group++)
        for (size_t s = 0; s < m->slot_count; s++) {
            if (!wanted[s] || (group == 0) != (m->slots[s].kind == MODEL_VARIABLE))
                continue;
            snprintf(heading, sizeof heading, "%s [%s]", m->slots[s].label, units_shown(m->slots[s].unit));
            text_pad(out, heading, label_width, 1);
            for (int y = first; y <= plan->end; y++) {
                size_t c = s * plan->years + (size_t)(y - plan->first_year);
                char value[64];
                units_format_value(value, sizeof value,
                                    sim_plan_cell_shown(plan, s, (size_t)(y - plan->first_year)) ? values[c] : NAN,
                                    m->slots[s].unit);
                sim_origin origin = (sim_origin)plan->origin[c];
                fprintf(out, " %10s%c", value,
                        origin == SIM_ORIGIN_OBSERVED  ? 'o'
                        : origin == SIM_ORIGIN_DERIVED ? 'd'
                        : origin == SIM_ORIGIN_INITIAL ? 'i'
                                                       : ' ');
            }
            fputc('\n', out);
        }
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        if (goal->solve_slot >= 0 && m->slots[goal->solve_slot].kind == MODEL_PARAMETER) {
            char value[64];
            units_format_value(value, sizeof value, values[(size_t)goal->solve_slot * plan->years],
                                m->slots[goal->solve_slot].unit);
            fprintf(out, _("%s (%s) = %s in every year\n"), text_safe(m->slots[goal->solve_slot].label), text_safe(goal->solve),
                    text_safe(value));
        }
    }
    mem_free(wanted);
}

void goals_print_solution(FILE *out, const goals_set *g, const size_t *goal_index, size_t count, const run *r)
{
    const model *m = r->model;
    size_t width[3] = {0, 0, 0};
    char target[GOALS_MAX][96];
    for (size_t k = 0; k < count && k < GOALS_MAX; k++) {
        const goals_goal *goal = &g->goals[goal_index[k]];
        char number[64];
        goals_format_value(number, sizeof number, goal->target, goals_value_unit(goal, m));
        if (goal->kind == GOALS_GROWTH)
            snprintf(target[k], sizeof target[k], _("growth %s %s in %d"), goal->direction == GOALS_AT_LEAST ? "≥" : "≤",
                     number, goal->year);
        else
            snprintf(target[k], sizeof target[k], _("%s %s in %d"), goal->direction == GOALS_AT_LEAST ? "≥" : "≤", number,
                     goal->year);
        size_t w[3] = {text_display_width(goal->id), text_display_width(goal->label), text_display_width(target[k])};
        for (int c = 0; c < 3; c++)
            if (w[c] > width[c])
                width[c] = w[c];
    }
    for (size_t k = 0; k < count && k < GOALS_MAX; k++) {
        const goals_goal *goal = &g->goals[goal_index[k]];
        const goals_seek_result *seek = &g->results[goal_index[k]].seek;
        fputs("  ", out);
        text_pad(out, goal->id, width[0], 1);
        fputs("  ", out);
        text_pad(out, goal->label, width[1], 1);
        fputs("  ", out);
        text_pad(out, target[k], width[2], 1);
        fputs("  ", out);
        if (seek->status == GOALS_SEEK_FOUND) {
            const model_slot *instrument = &m->slots[goal->solve_slot];
            char value[64], current[64], years[32];
            units_format_value(value, sizeof value, seek->required, instrument->unit);
            units_format_value(current, sizeof current, seek->current, instrument->unit);
            goals_format_years(years, sizeof years, goal, r);
            if (seek->bound == GOALS_BOUND_EXACT)
                fprintf(out, _("%s = %s (%s; scenario: %s)\n"), text_safe(goal->solve), text_safe(value), years, text_safe(current));
            else
                fprintf(out,
                        seek->bound == GOALS_BOUND_AT_LEAST
                            ? (seek->scenario_satisfies ? _("%s at least %s (%s; scenario: %s, already enough)\n")
                                                        : _("%s at least %s (%s; scenario: %s)\n"))
                            : (seek->scenario_satisfies ? _("%s at most %s (%s; scenario: %s, already enough)\n")
                                                        : _("%s at most %s (%s; scenario: %s)\n")),
                        text_safe(goal->solve), text_safe(value), years, text_safe(current));
        } else if (seek->status == GOALS_SEEK_NONE) {
            fprintf(out, _("no \"solve\"\n"));
        } else {
            fprintf(out, "%s\n", text_safe(seek->message));
        }
        const goals_result *result = &g->results[goal_index[k]];
        for (size_t a = 0; a < result->assumed_count; a++) {
            const goals_assumed_input *input = &result->assumed[a];
            char value[64];
            goals_format_value(value, sizeof value, input->value, m->slots[input->slot].unit);
            fprintf(out, _("    rests on an assumed input: %s %d = %s (initial, not observed)\n"),
                    text_safe(m->slots[input->slot].name), input->year, text_safe(value));
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The goals chart: value reached as a share of each target                                  */

/* The bar of goal i, in percent: its probability of being met (the share of an ensemble's
 * paths) when `probability` is set, else the value reached as a percent of its target; NaN
 * when there is none. */
static double goals_chart_percent(const goals_set *goals, size_t i, int probability)
{
    const goals_result *res = &goals->results[i];
    if (probability)
        return isfinite(res->probability) ? res->probability * 100 : NAN;
    return goals->goals[i].target != 0 ? res->value / goals->goals[i].target * 100 : NAN;
}

/* Display columns the goal labels (11 points, left of the plot) and the notes (9 points, right
 * of it) may take on a chart of these options: at most GOALS_LABEL_SHARE and GOALS_NOTE_SHARE
 * of the width, so that the plot always keeps more than a quarter of it (a longer text is cut with "…";
 * gnuplot cannot draw a plot squeezed to nothing), and labels never more than 56 columns. */
#define GOALS_LABEL_SHARE 0.38
#define GOALS_NOTE_SHARE 0.34
static void goals_chart_caps(const charts_options *o, size_t *label_cap, size_t *note_cap)
{
    double pixels = o->width / charts_scale(o->width, o->height); /* at scale 1 */
    double label = (GOALS_LABEL_SHARE * pixels - 16) / (CHARTS_COLUMN_EM * 11 * CHARTS_PX_PER_POINT);
    double note = (GOALS_NOTE_SHARE * pixels - 24) / (CHARTS_COLUMN_EM * 9 * CHARTS_PX_PER_POINT);
    *label_cap = label < 8 ? 8 : label > 56 ? 56 : (size_t)label;
    *note_cap = note < 8 ? 8 : (size_t)note;
}

/* The step of the x tics ("40%" and the like, 5 columns of the 11-point font with a gap as wide)
 * that keeps them apart on the plot left between the labels and the notes: 1, 2, 2.5 or 5
 * times a power of ten. */
static double goals_chart_x_step(const charts_options *o, const goals_set *goals, const char *const *labels,
                                 char *const *notes, double range)
{
    size_t label_columns = 4, note_columns = 4;
    for (size_t i = 0; i < goals->count; i++) {
        size_t w = labels[i] ? text_display_width(labels[i]) : 0;
        label_columns = w > label_columns ? w : label_columns;
        w = notes[i] ? text_display_width(notes[i]) : 0;
        note_columns = w > note_columns ? w : note_columns;
    }
    size_t label_cap, note_cap;
    goals_chart_caps(o, &label_cap, &note_cap);
    label_columns = label_columns > label_cap ? label_cap : label_columns;
    note_columns = note_columns > note_cap ? note_cap : note_columns;
    double scale = charts_scale(o->width, o->height), em = CHARTS_PX_PER_POINT * scale;
    double plot = o->width - (label_columns * CHARTS_COLUMN_EM * 11 + note_columns * CHARTS_COLUMN_EM * 9) * em - 40 * scale;
    double tic = 10 * CHARTS_COLUMN_EM * 11 * em;
    double most = plot > tic ? floor(plot / tic) : 1;
    double raw = range / most, power = pow(10, floor(log10(raw > 0 ? raw : 1)));
    static const double nice[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
        if (raw <= nice[i] * power)
            return nice[i] * power;
    return 10 * power;
}

/* 1 when an ensemble computed the probability of some goal: the chart then shows P(met). */
static int goals_chart_has_probability(const goals_set *goals)
{
    for (size_t i = 0; i < goals->count; i++)
        if (isfinite(goals->results[i].probability))
            return 1;
    return 0;
}

/* $econsim_met and $econsim_unmet: each goal's bar (goals_chart_percent), split by the
 * deterministic projection's status, at position i + 1 from the top, with their counts.
 * Returns the largest percent drawn (at least 100). */
static double goals_chart_bars(plot_script *s, const goals_set *goals, int probability)
{
    plot_script_append(s, "\n");
    plot_script_comment(s, "goals, top to bottom: position, %s, met (1) or not (0) in the projection",
                        probability ? "probability of meeting it in percent" : "percent of target");
    size_t counts[2] = {0, 0};
    double largest = 100;
    for (int met = 1; met >= 0; met--) {
        plot_script_datablock_begin(s, met ? "econsim_met" : "econsim_unmet");
        for (size_t i = 0; i < goals->count; i++) {
            double percent = goals_chart_percent(goals, i, probability);
            if (!isfinite(percent) || !goals->results[i].met != !met)
                continue;
            double row[3] = {(double)(i + 1), percent, met};
            plot_script_datablock_row(s, row, 3);
            counts[met]++;
            largest = fmax(largest, percent);
        }
        plot_script_datablock_end(s);
    }
    plot_script_printf(s, "econsim_met_points = %zu\neconsim_unmet_points = %zu\n", counts[1], counts[0]);
    plot_script_printf(s, "econsim_probability_mode = %d\n", probability);
    return largest;
}

/* $econsim_positions and the text beside each bar, "value / target (year) 达成": labels[i]
 * points to goal i's label, notes[i] is its text (owned by the caller). DIAG_OK, or
 * DIAG_SOFTWARE when out of memory. */
static int goals_chart_notes(plot_script *s, const run *r, const goals_set *goals, int probability,
                             const char **labels, char **notes, diag *d)
{
    /* the text beside each bar: value / target and the year */
    plot_script_append(s, "\n");
    plot_script_comment(s, "positions, all goals, for the labels");
    plot_script_datablock_begin(s, "econsim_positions");
    for (size_t i = 0; i < goals->count; i++) {
        const goals_goal *g = &goals->goals[i];
        const goals_result *res = &goals->results[i];
        double percent = goals_chart_percent(goals, i, probability);
        double row[2] = {(double)(i + 1), isfinite(percent) ? percent : 0};
        plot_script_datablock_row(s, row, 2);
        labels[i] = g->label;
        const model_slot *ms = &r->model->slots[g->slot];
        char value_text[64], target_text[64];
        const char *unit = g->kind == GOALS_GROWTH ? "ratio" : ms->unit;
        units_format_value(value_text, sizeof value_text, res->value, unit);
        units_format_value(target_text, sizeof target_text, g->target, unit);
        const char *shown_unit =
            g->kind == GOALS_GROWTH || !strcmp(charts_unit_text(unit), "%") ? "" : charts_unit_text(unit);
        char amounts[200], note[400];
        snprintf(amounts, sizeof amounts, "%s / %s%s%s (%d)", value_text, target_text, shown_unit[0] ? " " : "",
                 shown_unit, g->year);
        if (!probability)
            snprintf(note, sizeof note, res->met ? _("%s met") : _("%s not met"), amounts);
        else if (isfinite(res->probability))
            snprintf(note, sizeof note, res->met ? _("P %.1f%%; projection: %s met") : _("P %.1f%%; projection: %s not met"),
                     res->probability * 100, amounts);
        else
            snprintf(note, sizeof note, res->met ? _("no probability; projection: %s met")
                                                 : _("no probability; projection: %s not met"),
                     amounts);
        if (!(notes[i] = mem_strdup(note))) {
            diag_oom(d, _("writing the goals chart"));
            break;
        }
    }
    plot_script_datablock_end(s);
    return d->status;
}

/* The goals' labels and notes, cut to the columns goals_chart_caps allows (with
 * econsim_label_columns, the widest label, for the margin that holds them), and the percents
 * as arrays. Returns a DIAG_ status. */
static int goals_chart_arrays(plot_script *s, const charts_options *o, const goals_set *goals, const char **labels,
                              char *const *notes, diag *d)
{
    int status = DIAG_OK;
    /* the y axis holds the labels: at most 56 columns each, and a margin that fits them */
    char (*short_labels)[256] = mem_calloc(goals->count ? goals->count : 1, sizeof *short_labels);
    char (*short_notes)[256] = mem_calloc(goals->count ? goals->count : 1, sizeof *short_notes);
    const char **shown = mem_calloc(goals->count ? goals->count : 1, sizeof *shown);
    const char **shown_notes = mem_calloc(goals->count ? goals->count : 1, sizeof *shown_notes);
    size_t widest = 4, label_cap, note_cap;
    goals_chart_caps(o, &label_cap, &note_cap);
    if (!short_labels || !shown || !short_notes || !shown_notes) {
        status = diag_oom(d, _("writing the goals chart"));
    } else {
        for (size_t i = 0; i < goals->count; i++) {
            snprintf(short_labels[i], sizeof short_labels[i], "%s", labels[i]);
            text_truncate(short_labels[i], label_cap);
            shown[i] = short_labels[i];
            size_t width = text_display_width(short_labels[i]);
            if (width > widest)
                widest = width;
        }
        plot_script_string_array(s, "econsim_goal_labels", shown, goals->count);
        plot_script_printf(s, "econsim_label_columns = %zu\n", widest);
        /* the labels left of the plot (11 points) and the notes right of it (9 points), as
         * shares of the width: a column is at most 0.55 em */
        double scale = charts_scale(o->width, o->height);
        plot_script_number(s, "econsim_label_share", (widest * CHARTS_COLUMN_EM * 11 * CHARTS_PX_PER_POINT + 16) * scale / o->width);
        size_t note_columns = 4;
        for (size_t i = 0; i < goals->count; i++) {
            snprintf(short_notes[i], sizeof short_notes[i], "%s", notes[i] ? notes[i] : "");
            text_truncate(short_notes[i], note_cap);
            shown_notes[i] = short_notes[i];
            size_t width = text_display_width(short_notes[i]);
            note_columns = width > note_columns ? width : note_columns;
        }
        plot_script_number(s, "econsim_note_share",
                           (note_columns * CHARTS_COLUMN_EM * 9 * CHARTS_PX_PER_POINT + 24) * scale / o->width);
        plot_script_string_array(s, "econsim_goal_notes", shown_notes, goals->count);
    }
    mem_free(short_labels);
    mem_free(shown);
    mem_free(short_notes);
    mem_free(shown_notes);
    double *percents = mem_calloc(goals->count ? goals->count : 1, sizeof *percents);
    if (!percents) {
        status = diag_oom(d, _("writing the goals chart"));
    } else {
        for (size_t i = 0; i < goals->count; i++)
            percents[i] = goals_chart_percent(goals, i, goals_chart_has_probability(goals));
        plot_script_number_array(s, "econsim_goal_percents", percents, goals->count);
        mem_free(percents);
    }
    return status;
}

int goals_write_chart(charts_writer *w, const run *r, const goals_set *goals, diag *d)
{
    const charts_options *o = charts_writer_options(w);
    plot_script *s = plot_script_new();
    const char **labels = mem_calloc(goals->count, sizeof *labels);
    char **notes = mem_calloc(goals->count, sizeof *notes);
    if (!s || !labels || !notes) {
        plot_script_free(s);
        mem_free(labels);
        mem_free(notes);
        return diag_oom(d, _("writing the goals chart"));
    }
    int probability = goals_chart_has_probability(goals);
    char title[512];
    snprintf(title, sizeof title, probability ? _("Probability of meeting each goal — %s") : _("Goals — %s"),
             scenario_title(r->scenario));
    static const charts_text value_texts[] = {
        {"econsim_text_xlabel", N_("value in the goal's year / target (%)")},
        {"econsim_text_target", N_("target 100%")},
    };
    static const charts_text probability_texts[] = {
        {"econsim_text_xlabel", N_("probability of meeting the goal (share of paths, %)")},
        {"econsim_text_target", N_("certain")},
    };
    charts_write_texts(s, probability ? probability_texts : value_texts, 2);
    char footnote[1024], note[1024];
    charts_footnote_scenario(footnote, sizeof footnote, r, 0);
    if (probability)
        snprintf(note, sizeof note, "%s",
                 _("Bars: the share of the ensemble's paths that meet each goal, green solid where the "
                   "deterministic projection meets it, red hatched where it does not; beside them the projection's "
                   "value / target; model results, not statistics"));
    else
        snprintf(note, sizeof note, "%s",
                 _("The value in the goal's year as a percent of its target (100% = exactly met): green solid "
                   "met, red hatched not met; growth goals as growth rates; model results, not statistics"));
    double largest = goals_chart_bars(s, goals, probability);
    int status = goals_chart_notes(s, r, goals, probability, labels, notes, d);
    if (status == DIAG_OK)
        status = goals_chart_arrays(s, o, goals, labels, notes, d);
    if (status == DIAG_OK) {
        plot_script_number(s, "econsim_x_at_least", largest);
        plot_script_number(s, "econsim_x_step", goals_chart_x_step(o, goals, labels, notes, probability ? 100 : largest * 1.05));
        int height = o->height;
        int wanted = (int)((170 + 46 * (int)goals->count) * charts_scale(o->width, o->height));
        if (wanted > height)
            height = wanted > CHARTS_MAX_SIZE ? CHARTS_MAX_SIZE : wanted;
        charts_chart chart = {.slug = "goals", .kind = "goals", .template_name = "goals", .title = title,
                              .scenario_name = r->scenario->name, .body = s, .height = height,
                              .footnote = footnote, .footnote2 = note};
        status = charts_writer_add(w, &chart);
    }
    for (size_t i = 0; i < goals->count; i++)
        mem_free(notes[i]);
    mem_free(notes);
    mem_free(labels);
    plot_script_free(s);
    return status;
}
