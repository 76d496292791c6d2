/* charts_run.c: the charts of a run (charts_run.h), built as chart descriptions for the chart
 * API (charts.h): a trajectory per chosen variable (history solid, projection dashed, goals at
 * their year, later goals as reference lines), then the goals chart (goals_write.c) and the
 * peers charts (peers_charts.c) with the same writer, and, for several scenarios, one overlay
 * per variable. */
#include "charts_run.h"
#include "goals_write.h"
#include "peers_write.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* ---------------------------------------------------------------------------------------- */
/* Trajectory: one variable of one scenario */

/* The second footnote of a trajectory: the observations file, the place, and the sources of
 * the data drawn. */
static void charts_trajectory_sources(char *footnote, size_t size, const run *r, const charts_series *series)
{
    char sources[2048] = "";
    for (size_t t = 0; t < series->years; t++)
        if (charts_is_data((sim_origin)series->origin[t]))
            charts_add_source(sources, sizeof sources, series->source[t]);
    if (r->scenario->history_path)
        snprintf(footnote, size, _("Data: %s (%s); sources: %s"), charts_basename(r->scenario->history_path),
                 r->scenario->history_place ? r->scenario->history_place : "", sources[0] ? sources : "—");
    else
        snprintf(footnote, size, "%s", _("Data: the initial values the scenario gives (no observations file)"));
}

/* Key entries counted for the layout of a comparison's key, at most. */
#define CHARTS_KEY_MAX 32

/* The words of the trajectory and comparison templates. */
static const charts_text charts_trajectory_texts[] = {
    {"econsim_text_observed", N_("data (observed)")},
    {"econsim_text_estimated", N_("estimated (from growth rates / initial values)")},
    {"econsim_text_projection", N_("model / projection")},
    {"econsim_text_history", N_("data")},
    {"econsim_text_goal", N_("goal")},
    {"econsim_text_forecast", N_("projection →")},
};

/* Goals drawn on a trajectory: a marker at (year, level) for each goal on the variable, and a
 * reference line for those whose year is after the first year of the horizon. Widens
 * [*low, *high] and [*from, *to] to hold them. */
static void charts_trajectory_goals(plot_script *s, const run *r, const goals_set *goals, int slot, double scale,
                                    double *low, double *high, int *from, int *to)
{
    const model_slot *ms = &r->model->slots[slot];
    /* goals on this variable */
    size_t goal_count = 0, reference_count = 0;
    double goal_years[GOALS_MAX], goal_levels[GOALS_MAX], goal_is_reference[GOALS_MAX];
    double reference_values[GOALS_MAX], reference_years[GOALS_MAX];
    const char *goal_labels[GOALS_MAX], *reference_labels[GOALS_MAX];
    char reference_texts[GOALS_MAX][320]; /* label (year) */
    for (size_t i = 0; goals && i < goals->count; i++) {
        const goals_goal *g = &goals->goals[i];
        if (g->slot != slot)
            continue;
        double level = g->target;
        if (g->kind == GOALS_GROWTH) {
            /* a growth goal on a level: the level it implies from the year before */
            double previous = run_slot_value(r, slot, g->year - 1);
            if (scale != 1 || !isfinite(previous))
                continue;
            level = previous * (1 + g->target);
        }
        level *= scale;
        goal_years[goal_count] = g->year;
        goal_levels[goal_count] = level;
        goal_labels[goal_count] = g->label;
        goal_is_reference[goal_count] = g->year > r->scenario->start && g->kind == GOALS_LEVEL;
        goal_count++;
        if (g->year > r->scenario->start && g->kind == GOALS_LEVEL) {
            reference_values[reference_count] = level;
            reference_years[reference_count] = g->year;
            char cut[256];
            snprintf(cut, sizeof cut, "%s", g->label);
            text_truncate(cut, PLOT_LABEL_COLUMNS);
            snprintf(reference_texts[reference_count], sizeof reference_texts[reference_count], "%s (%d)", cut,
                     g->year);
            reference_labels[reference_count] = reference_texts[reference_count];
            reference_count++;
        }
    }
    plot_script_append(s, "\n");
    plot_script_comment(s, "goals on %s: year, level (in econsim_unit)", ms->name);
    plot_script_datablock_begin(s, "econsim_goals");
    for (size_t i = 0; i < goal_count; i++) {
        double row[2] = {goal_years[i], goal_levels[i]};
        plot_script_datablock_row(s, row, 2);
    }
    plot_script_datablock_end(s);
    plot_script_string_array_cut(s, "econsim_goal_labels", goal_labels, goal_count, PLOT_LABEL_COLUMNS);
    double goal_columns[GOALS_MAX];
    for (size_t i = 0; i < goal_count; i++) {
        size_t columns = text_display_width(goal_labels[i]);
        goal_columns[i] = (double)(columns > PLOT_LABEL_COLUMNS ? PLOT_LABEL_COLUMNS : columns);
    }
    plot_script_number_array(s, "econsim_goal_label_columns", goal_columns, goal_count);
    plot_script_number_array(s, "econsim_goal_years", goal_years, goal_count);
    plot_script_number_array(s, "econsim_goal_levels", goal_levels, goal_count);
    plot_script_number_array(s, "econsim_goal_is_reference", goal_is_reference, goal_count);
    plot_script_number_array(s, "econsim_reference_values", reference_values, reference_count);
    plot_script_number_array(s, "econsim_reference_years", reference_years, reference_count);
    plot_script_string_array(s, "econsim_reference_labels", reference_labels, reference_count);

    for (size_t i = 0; i < goal_count; i++) {
        *low = fmin(*low, goal_levels[i]);
        *high = fmax(*high, goal_levels[i]);
    }
    for (size_t i = 0; i < goal_count; i++) {
        if ((int)goal_years[i] < *from)
            *from = (int)goal_years[i];
        if ((int)goal_years[i] > *to)
            *to = (int)goal_years[i];
    }
}

/* One variable of one scenario: history solid, projection dashed, goals on it. */
static int charts_trajectory(charts_writer *w, const run *r, const goals_set *goals, int slot, diag *d)
{
    const model_slot *ms = &r->model->slots[slot];
    double scale = charts_unit_scale(ms->unit);
    charts_series series;
    memset(&series, 0, sizeof series);
    plot_script *s = plot_script_new();
    if (!s || charts_run_series(r, slot, &series) != 0) {
        plot_script_free(s);
        charts_series_release(&series);
        return diag_oom(d, _("writing a chart"));
    }
    char title[512];
    snprintf(title, sizeof title, "%s — %s", ms->label, scenario_title(r->scenario));
    charts_write_unit(s, ms->unit);
    plot_script_string(s, "econsim_variable_label", ms->label);
    charts_write_texts(s, charts_trajectory_texts, sizeof charts_trajectory_texts / sizeof *charts_trajectory_texts);
    const char *key[] = {_(charts_trajectory_texts[0].text), _(charts_trajectory_texts[1].text),
                         _(charts_trajectory_texts[2].text), _(charts_trajectory_texts[4].text)};
    const charts_options *o = charts_writer_options(w);
    charts_write_key(s, o->width, o->height, key, sizeof key / sizeof *key);
    char footnote[2600], note[2600];
    charts_footnote_scenario(footnote, sizeof footnote, r, 0);
    charts_trajectory_sources(note, sizeof note, r, &series);

    charts_series_counts counts;
    plot_script_append(s, "\n");
    plot_script_comment(s, "%s: years and values in the unit econsim_unit%s", ms->name,
                        scale != 1 ? " (rates times 100)" : "");
    charts_write_series(s, "econsim", &series, scale, &counts);

    double low = counts.min, high = counts.max;
    int from = counts.first_year ? counts.first_year : r->scenario->start;
    int to = counts.last_year ? counts.last_year : r->scenario->end;
    charts_trajectory_goals(s, r, goals, slot, scale, &low, &high, &from, &to);
    charts_write_years(s, from, to);
    plot_script_printf(s, "econsim_y_from_zero = %d\n", isfinite(low) && low >= 0 ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", isfinite(high) ? high : 0);
    plot_script_printf(s, "econsim_start = %d\n", r->scenario->start);

    charts_chart chart = {.slug = ms->name, .kind = "trajectory", .template_name = "trajectory", .title = title,
                          .variable = ms->name, .scenario_name = r->scenario->name, .body = s,
                          .footnote = footnote, .footnote2 = note};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    charts_series_release(&series);
    return status;
}
/* ---------------------------------------------------------------------------------------- */
/* Entry points */

int charts_write_run(output_batch *batch, const run *r, const goals_set *goals, const peers_comparison *peers,
                     const charts_options *o, charts_list *list, diag *d)
{
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    if (status != DIAG_OK || !w)
        return status;
    for (size_t i = 0; i < o->variable_count && status == DIAG_OK; i++) {
        int slot = model_find(r->model, o->variables[i]);
        if (slot < 0 || r->model->slots[slot].kind == MODEL_PARAMETER) {
            diag_warning(d, _("no chart for %s: not a variable or series of model %s"), o->variables[i],
                         r->model->path);
            continue;
        }
        status = charts_trajectory(w, r, goals, slot, d);
    }
    if (status == DIAG_OK && goals && goals->count)
        status = goals_write_chart(w, r, goals, d);
    if (status == DIAG_OK && peers)
        status = peers_write_charts(w, r, peers, d);
    return charts_writer_end(w, status);
}

/* The overlay of one variable across the scenarios runs[0..count) (those whose model has it;
 * the others are left out with a warning), using items[0..count) as scratch. */
static int charts_compare_variable(charts_writer *w, const run *const *runs, size_t count, const goals_set *goals,
                                   const char *name, charts_set_item *items, diag *d)
{
    const model_slot *first_slot = NULL;
    size_t first_run = 0;
    size_t used = 0;
    int status = DIAG_OK;
    for (size_t i = 0; i < count && status == DIAG_OK; i++) {
        int slot = model_find(runs[i]->model, name);
        if (slot < 0 || runs[i]->model->slots[slot].kind == MODEL_PARAMETER) {
            diag_warning(d, _("comparison chart of %s: scenario %s is left out (its model has no such series)"),
                         name, runs[i]->scenario->name);
            continue;
        }
        if (!first_slot) {
            first_slot = &runs[i]->model->slots[slot];
            first_run = i;
        }
        if (charts_run_series(runs[i], slot, &items[used].series) != 0) {
            charts_series_release(&items[used].series);
            status = diag_oom(d, _("writing comparison charts"));
            break;
        }
        items[used].title = scenario_title(runs[i]->scenario);
        items[used].name = runs[i]->scenario->name;
        /* the years before the start are drawn once, from the first scenario */
        if (used > 0)
            items[used].series.first_drawn = runs[first_run]->scenario->start;
        used++;
    }
    plot_script *s = NULL;
    if (status == DIAG_OK && used && !(s = plot_script_new()))
        status = diag_oom(d, _("writing comparison charts"));
    if (status == DIAG_OK && used) {
        double scale = charts_unit_scale(first_slot->unit);
        char title[512];
        snprintf(title, sizeof title, _("%s — scenarios compared"), first_slot->label);
        charts_write_unit(s, first_slot->unit);
        charts_write_texts(s, charts_trajectory_texts,
                           sizeof charts_trajectory_texts / sizeof *charts_trajectory_texts);
        {
            /* the key: each scenario, the data and the goals */
            const char *key[CHARTS_KEY_MAX + 2];
            char cut[CHARTS_KEY_MAX][256];
            size_t n = 0;
            for (size_t i = 0; i < used && n < CHARTS_KEY_MAX; i++, n++) {
                snprintf(cut[n], sizeof cut[n], "%s", items[i].title);
                text_truncate(cut[n], PLOT_LABEL_COLUMNS);
                key[n] = cut[n];
            }
            key[n++] = _(charts_trajectory_texts[3].text);
            key[n++] = _(charts_trajectory_texts[4].text);
            const charts_options *o = charts_writer_options(w);
            charts_write_key(s, o->width, o->height, key, n);
        }
        char names[1024] = "";
        for (size_t i = 0; i < used; i++)
            charts_append(names, sizeof names, "%s%s", i ? ", " : "", items[i].name);
        char footnote[1200], note[1200];
        snprintf(footnote, sizeof footnote, _("Scenarios: %s · econsim %s"), names, ECONSIM_VERSION);
        snprintf(note, sizeof note,
                 _("Solid grey: data (hollow points: estimates); dashed: each scenario's projection; the years "
                   "before %d are those of scenario %s"),
                 runs[first_run]->scenario->start, items[0].name);
        int from = 0, to = 0;
        double low, high;
        if (charts_write_set(s, items, used, scale, &from, &to, &low, &high) != 0) {
            status = diag_oom(d, _("writing comparison charts"));
        } else {
            /* the goals are the first scenario's, on its model's slot (none when it lacks it) */
            charts_trajectory_goals(s, runs[first_run], first_run == 0 ? goals : NULL,
                                    (int)(first_slot - runs[first_run]->model->slots), scale, &low, &high, &from, &to);
            charts_write_years(s, from ? from : runs[0]->scenario->start, to ? to : runs[0]->scenario->end);
            plot_script_printf(s, "econsim_y_from_zero = %d\n", isfinite(low) && low >= 0 ? 1 : 0);
            plot_script_number(s, "econsim_y_at_least", isfinite(high) ? high : 0);
            plot_script_printf(s, "econsim_start = %d\n", runs[0]->scenario->start);
            char slug[96];
            snprintf(slug, sizeof slug, "compare-%s", name);
            charts_chart chart = {.slug = slug, .kind = "compare", .template_name = "compare", .title = title,
                                  .variable = name, .body = s, .footnote = footnote, .footnote2 = note};
            status = charts_writer_add(w, &chart);
        }
    }
    plot_script_free(s);
    for (size_t i = 0; i < used; i++)
        charts_series_release(&items[i].series);
    return status;
}

int charts_write_comparison(output_batch *batch, const run *const *runs, size_t count, const goals_set *goals,
                            const charts_options *o, charts_list *list, diag *d)
{
    if (!o->enabled || count == 0)
        return DIAG_OK;
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    if (status != DIAG_OK || !w)
        return status;
    charts_set_item *items = mem_calloc(count, sizeof *items);
    if (!items)
        return charts_writer_end(w, diag_oom(d, _("writing comparison charts")));
    for (size_t v = 0; v < o->variable_count && status == DIAG_OK; v++)
        status = charts_compare_variable(w, runs, count, goals, o->variables[v], items, d);
    mem_free(items);
    return charts_writer_end(w, status);
}
