/* compare_table.c: several scenarios side by side (compare_table.h). */
#include "i18n.h"
#include "compare_table.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <string.h>

/* The goal's value on r's path: the level in the goal year, or its growth over the year
 * before; NaN when r's model lacks the variable or either year has no value. */
static double compare_value(const run *r, const goals_goal *goal)
{
    double value = run_value(r, goal->variable, goal->year);
    if (goal->kind == GOALS_GROWTH) {
        double before = run_value(r, goal->variable, goal->year - 1);
        value = isfinite(before) && before != 0 ? value / before - 1 : NAN;
    }
    return value;
}

/* Adds goal (of the scenario `from`) as a row unless a row has its id. */
static int compare_add_row(compare_table *t, const goals_goal *goal, const model *m, size_t *capacity)
{
    for (size_t i = 0; i < t->row_count; i++)
        if (!strcmp(t->rows[i].goal->id, goal->id))
            return DIAG_OK;
    if (t->row_count == *capacity) {
        size_t grown_capacity = *capacity ? *capacity * 2 : 8;
        compare_table_row *grown = mem_realloc(t->rows, grown_capacity * sizeof *grown);
        if (!grown)
            return DIAG_SOFTWARE;
        t->rows = grown;
        *capacity = grown_capacity;
    }
    compare_table_row *row = &t->rows[t->row_count];
    row->goal = goal;
    row->unit = goals_value_unit(goal, m);
    if (!(row->cells = mem_calloc(t->scenario_count, sizeof *row->cells)))
        return DIAG_SOFTWARE;
    t->row_count++;
    return DIAG_OK;
}

compare_table *compare_table_build(const run *const *runs, const goals_set *const *goals, size_t count, diag *d)
{
    compare_table *t = mem_calloc(1, sizeof *t);
    if (!t) {
        diag_oom(d, _("building the comparison table"));
        return NULL;
    }
    t->scenario_count = count;
    t->runs = runs;
    size_t capacity = 0;
    for (size_t s = 0; s < count; s++)
        for (size_t g = 0; goals[s] && g < goals[s]->count; g++)
            if (compare_add_row(t, &goals[s]->goals[g], runs[s]->model, &capacity) != DIAG_OK) {
                compare_table_free(t);
                diag_oom(d, _("building the comparison table"));
                return NULL;
            }
    for (size_t i = 0; i < t->row_count; i++) {
        compare_table_row *row = &t->rows[i];
        for (size_t s = 0; s < count; s++) {
            compare_table_cell *cell = &row->cells[s];
            int own = goals[s] ? goals_find(goals[s], row->goal->id) : -1;
            /* a scenario's own goal of that id is judged by its own definition */
            const goals_goal *goal = own >= 0 ? &goals[s]->goals[own] : row->goal;
            cell->value = compare_value(runs[s], goal);
            cell->met = isfinite(cell->value)
                            ? goals_met_rule(goal->direction == GOALS_AT_MOST, goal->target, cell->value)
                            : -1;
            cell->probability = own >= 0 ? goals[s]->results[own].probability : NAN;
        }
    }
    return t;
}

void compare_table_free(compare_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->row_count; i++)
        mem_free(t->rows[i].cells);
    mem_free(t->rows);
    mem_free(t);
}

const char *compare_table_status(const compare_table_cell *cell)
{
    return cell->met < 0 ? "-" : cell->met ? _("met") : _("not met");
}

void compare_table_print(FILE *out, const compare_table *t)
{
    if (t->row_count == 0) {
        fprintf(out, _("side by side: no scenario has goals\n\n"));
        return;
    }
    const char *goal_heading = _("goal"), *year_heading = _("year"), *target_heading = _("target");
    size_t label_width = text_display_width(goal_heading);
    for (size_t i = 0; i < t->row_count; i++) {
        size_t w = text_display_width(t->rows[i].goal->label);
        label_width = w > label_width ? w : label_width;
    }
    label_width = label_width > 40 ? 40 : label_width;
    const size_t column = 24;
    fprintf(out, _("side by side (the goals' values in their years; met or NOT met; probability when an ensemble ran):\n"));
    text_pad(out, goal_heading, label_width, 1);
    fputs("  ", out);
    text_pad(out, year_heading, 4, 0);
    fputs("  ", out);
    text_pad(out, target_heading, 14, 0);
    for (size_t s = 0; s < t->scenario_count; s++) {
        fputs("  ", out);
        text_pad(out, t->runs[s]->scenario->name, column, 0);
    }
    fputc('\n', out);
    for (size_t i = 0; i < t->row_count; i++) {
        const compare_table_row *row = &t->rows[i];
        char target[64], value[64], cell_text[160];
        goals_format_value(target, sizeof target, row->goal->target, row->unit);
        text_pad(out, row->goal->label, label_width, 1);
        fprintf(out, "  %4d  %s %12s", row->goal->year, row->goal->direction == GOALS_AT_MOST ? "≤" : "≥", target);
        for (size_t s = 0; s < t->scenario_count; s++) {
            const compare_table_cell *cell = &row->cells[s];
            goals_format_value(value, sizeof value, cell->value, row->unit);
            if (cell->met < 0)
                snprintf(cell_text, sizeof cell_text, "-");
            else if (isfinite(cell->probability))
                snprintf(cell_text, sizeof cell_text, "%s %s %.0f%%", value, cell->met ? _("met") : _("NOT met"),
                         cell->probability * 100);
            else
                snprintf(cell_text, sizeof cell_text, "%s %s", value, cell->met ? _("met") : _("NOT met"));
            fputs("  ", out);
            text_pad(out, cell_text, column, 0);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
}
