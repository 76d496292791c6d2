/* ensemble_write.c: an ensemble's results for people and files (ensemble_write.h): the compact
 * table, ensemble.csv, the fan charts (through the chart API, charts.h) and the "ensemble"
 * object of summary.json, the last kept apart at the end of the file. */
#include "i18n.h"
#include "ensemble_write.h"
#include "i18n.h"
#include "mem.h"
#include "report.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* The columns of the quantiles in ensemble.csv and summary.json, as ensemble_quantile_levels. */
const char *const ensemble_quantile_columns[ENSEMBLE_QUANTILES] = {"p05", "p10", "p25", "p50", "p75", "p90", "p95"};

/* ---------------------------------------------------------------------------------------- */
/* ensemble.csv                                                                               */

void ensemble_write_csv(FILE *f, const ensemble_result *result, const run *r)
{
    fputs("scenario,variable,year,mean,sd", f);
    for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
        fprintf(f, ",%s", ensemble_quantile_columns[q]);
    fputs("\r\n", f);
    for (size_t i = 0; i < result->cell_count; i++) {
        const ensemble_cell *cell = &result->cells[i];
        output_csv_field(f, r->scenario->name);
        fputc(',', f);
        output_csv_field(f, r->model->slots[cell->slot].name);
        fprintf(f, ",%d,", cell->year);
        output_csv_number(f, cell->mean);
        fputc(',', f);
        output_csv_number(f, cell->sd);
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
            fputc(',', f);
            output_csv_number(f, cell->quantile[q]);
        }
        fputs("\r\n", f);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The table                                                                                  */


/* A probability for people: never "0%" or "100%" for one that is not exactly that, and for
 * one that is, how many paths it rests on. */
static void format_probability(char *buf, size_t size, double p, size_t paths)
{
    if (p == 0)
        snprintf(buf, size, _("0%% (0 of %zu paths)"), paths);
    else if (p == 1)
        snprintf(buf, size, _("100%% (all %zu paths)"), paths);
    else if (p < 0.001)
        snprintf(buf, size, "<0.1%%");
    else if (p > 0.999)
        snprintf(buf, size, ">99.9%%");
    else
        snprintf(buf, size, "%.1f%%", 100 * p);
}

/* The years the table shows: start, the goal years, end (sorted, distinct, at most 6). */
static size_t table_years(const run *r, const goals_set *goals, int *years)
{
    size_t n = 0;
    int candidates[2 + GOALS_MAX];
    size_t count = 0;
    candidates[count++] = r->plan->start;
    for (size_t g = 0; goals && g < goals->count && count < 2 + GOALS_MAX - 1; g++)
        candidates[count++] = goals->goals[g].year;
    candidates[count++] = r->plan->end;
    for (size_t i = 0; i < count; i++) {
        size_t at = 0;
        while (at < n && years[at] < candidates[i])
            at++;
        if (at < n && years[at] == candidates[i])
            continue;
        if (n == 6) {
            if (at >= n)
                continue;
            n--; /* keep the earliest years and always the end, below */
        }
        memmove(years + at + 1, years + at, (n - at) * sizeof *years);
        years[at] = candidates[i];
        n++;
    }
    if (n && years[n - 1] != r->plan->end)
        years[n - 1] = r->plan->end;
    return n;
}

/* The probability of meeting each goal, one line a goal. */
static void print_goal_probabilities(FILE *out, const ensemble_result *result, const run *r, const goals_set *goals)
{
    const model *m = r->model;
    char text[128];
    fputs(_("\nProbability of meeting each goal:\n"), out);
    size_t id_width = 4, label_w = 4;
    for (size_t g = 0; g < goals->count; g++) {
        size_t w = text_display_width(goals->goals[g].id);
        if (w > id_width)
            id_width = w;
        w = text_display_width(goals->goals[g].label);
        if (w > label_w)
            label_w = w;
    }
    for (size_t g = 0; g < goals->count; g++) {
        const goals_goal *goal = &goals->goals[g];
        const model_slot *ms = &m->slots[goal->slot];
        char target[48], probability[64];
        const char *unit = goal->kind == GOALS_GROWTH ? "ratio" : ms->unit;
        units_format_value(target, sizeof target, goal->target, unit);
        format_probability(probability, sizeof probability, result->goal_probability[g], result->paths);
        fputs("  ", out);
        text_pad(out, goal->id, id_width, 1);
        fputs("  ", out);
        text_pad(out, goal->label, label_w, 1);
        int show_unit = goal->kind != GOALS_GROWTH && ms->unit[0] && !units_is_rate(ms->unit) &&
                        strcmp(ms->unit, "count") && strcmp(ms->unit, "index");
        if (goal->kind == GOALS_GROWTH)
            /* TRANSLATORS: a growth goal: "2023 >= 8.00% growth" */
            snprintf(text, sizeof text, _("%d %s %s growth"), goal->year, goal->direction == GOALS_AT_MOST ? "<=" : ">=",
                     target);
        else
            snprintf(text, sizeof text, "%d %s %s%s%s", goal->year, goal->direction == GOALS_AT_MOST ? "<=" : ">=",
                     target, show_unit ? " " : "", show_unit ? ms->unit : "");
        fputs("  ", out);
        text_pad(out, text, 24, 1);
        fputs("  ", out);
        const ensemble_cell *goal_cell = ensemble_find(result, goal->slot, goal->year);
        fputs(probability, out);
        if (goal_cell && !goal_cell->varies)
            fputs(_("  (no shock reaches it)"), out);
        fputc('\n', out);
    }
}

void ensemble_print_table(FILE *out, const ensemble_result *result, const ensemble_spec *spec, const run *r,
                          const goals_set *goals)
{
    const model *m = r->model;
    int years[6];
    size_t year_count = table_years(r, goals, years);
    char shocks[64], threads[64];
    snprintf(shocks, sizeof shocks, ngettext("%zu shock", "%zu shocks", spec->shock_count), spec->shock_count);
    snprintf(threads, sizeof threads, ngettext("%d thread", "%d threads", (unsigned long)result->threads),
             result->threads);
    /* TRANSLATORS: the second and third %s are "3 shocks" and "2 threads" */
    fprintf(out, _("Ensemble: %zu paths, seed %lu, %s, %s: median [5%% - 95%%]\n"), result->paths, result->seed, shocks,
            threads);
    /* column widths */
    size_t label_width = 8;
    char text[128];
    for (size_t slot = 0; slot < m->slot_count; slot++) {
        const ensemble_cell *cell = ensemble_find(result, (int)slot, r->plan->end);
        if (!cell || !cell->varies)
            continue;
        size_t w = text_display_width(m->slots[slot].label) + text_display_width(m->slots[slot].unit) + 3;
        if (w > label_width)
            label_width = w;
    }
    size_t column_width = 26, shown_assumptions = 0;
    text_pad(out, "", label_width, 1);
    for (size_t y = 0; y < year_count; y++) {
        snprintf(text, sizeof text, "%d", years[y]);
        fputs("  ", out);
        text_pad(out, text, column_width, 0);
    }
    fputc('\n', out);
    size_t shown = 0;
    /* variables first, then the shocked assumptions themselves */
    for (size_t row = 0; row < 2 * m->slot_count; row++) {
        size_t slot = row % m->slot_count;
        const model_slot *ms = &m->slots[slot];
        if ((row < m->slot_count) != (ms->kind == MODEL_VARIABLE))
            continue;
        const ensemble_cell *last = ensemble_find(result, (int)slot, r->plan->end);
        if (!last || !last->varies)
            continue;
        if (ms->kind == MODEL_EXOGENOUS && shown_assumptions++ == 0)
            fputs(_("shocked assumptions:\n"), out);
        if (ms->unit[0])
            snprintf(text, sizeof text, "%s [%s]", ms->label, units_shown(ms->unit));
        else
            snprintf(text, sizeof text, "%s", ms->label);
        text_pad(out, text, label_width, 1);
        for (size_t y = 0; y < year_count; y++) {
            const ensemble_cell *cell = ensemble_find(result, (int)slot, years[y]);
            char median[32], low[32], high[32], entry[128];
            if (!cell) {
                snprintf(entry, sizeof entry, "-");
            } else {
                units_format_value(median, sizeof median, cell->quantile[3], ms->unit);
                units_format_value(low, sizeof low, cell->quantile[0], ms->unit);
                units_format_value(high, sizeof high, cell->quantile[6], ms->unit);
                snprintf(entry, sizeof entry, "%s [%s - %s]", median, low, high);
            }
            fputs("  ", out);
            text_pad(out, entry, column_width, 0);
        }
        fputc('\n', out);
        shown++;
    }
    if (!shown)
        fputs(_("(no variable depends on a shock)\n"), out);
    if (goals && result->goal_probability && goals->count)
        print_goal_probabilities(out, result, r, goals);
}

/* ---------------------------------------------------------------------------------------- */
/* Fan charts                                                                                 */

/* The words of the fan template. */
static const charts_text fan_words[] = {
    {"econsim_text_band_90", N_("5%–95% of paths")},
    {"econsim_text_band_80", N_("10%–90%")},
    {"econsim_text_band_50", N_("25%–75%")},
    {"econsim_text_median", N_("median")},
    {"econsim_text_history", N_("data")},
    {"econsim_text_goal", N_("goal (probability of meeting it)")},
    {"econsim_text_forecast", N_("projection →")},
};

/* The title (into title), unit and words of a fan chart, and its footnotes: the scenario
 * (into footnote), then the paths, seed and shocks (into note, whole: the writer wraps it). */
static void fan_texts(plot_script *s, const ensemble_result *result, const ensemble_spec *spec, const run *r,
                      const model_slot *ms, int width, int height, char *title, size_t title_size, char *footnote, size_t footnote_size,
                      char *note, size_t note_size)
{
    snprintf(title, title_size, _("%s — uncertainty: the spread of %zu paths"), ms->label, result->paths);
    charts_write_unit(s, ms->unit);
    charts_write_texts(s, fan_words, sizeof fan_words / sizeof *fan_words);
    const char *key[sizeof fan_words / sizeof *fan_words - 1];
    for (size_t i = 0; i + 1 < sizeof fan_words / sizeof *fan_words; i++)
        key[i] = _(fan_words[i].text);
    charts_write_key(s, width, height, key, sizeof key / sizeof *key);
    charts_footnote_scenario(footnote, footnote_size, r, 0);
    char shocks[2048] = "";
    for (size_t i = 0; i < spec->shock_count; i++) {
        char description[160];
        dist_describe(&spec->shocks[i].dist, description, sizeof description);
        /* the shocked series by its label (model text), as the chart's planner knows it */
        const ensemble_shock *shock = &spec->shocks[i];
        const char *label = shock->slot >= 0 && (size_t)shock->slot < r->model->slot_count &&
                                    r->model->slots[shock->slot].label && *r->model->slots[shock->slot].label
                                ? r->model->slots[shock->slot].label
                                : shock->name;
        char persistence[64] = "";
        if (shock->ar1 > 0)
            snprintf(persistence, sizeof persistence, _(" (AR(1), persistence %.2f)"), shock->ar1);
        charts_append(shocks, sizeof shocks, "%s%s %s%s%s", i ? "; " : "", label, description, persistence,
                      !spec->shocks[i].calibrated                       ? ""
                      : spec->calibrate == ENSEMBLE_CALIBRATE_BACKTEST ? _(" (sd calibrated by the back-test)")
                                                                       : _(" (sd calibrated on the data)"));
    }
    snprintf(note, note_size, _("%zu paths, seed %lu; shocks: %s"), result->paths, result->seed,
             spec->shock_count ? shocks : _("none"));
}

/* $econsim_history (values before start that are data or computed from data; a missing one
 * breaks the line) and $econsim_observed, with their counts; lowers *year_from to the first
 * year drawn and widens [*y_min, *y_max]. */
static void fan_history(plot_script *s, const run *r, int slot, double scale, int *year_from, double *y_min,
                        double *y_max)
{
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[slot];
    /* history: values before start that are data or computed from data */
    size_t start_t = (size_t)(plan->start - plan->first_year);
    size_t history_rows = 0, observed = 0;
    plot_script_append(s, "\n");
    plot_script_comment(s, "%s: years and values in the unit econsim_unit%s", ms->name,
                        scale != 1 ? " (rates times 100)" : "");
    for (int part = 0; part < 2; part++) {
        plot_script_datablock_begin(s, part == 0 ? "econsim_history" : "econsim_observed");
        int gap = 0;
        for (size_t t = 0; t < start_t; t++) {
            size_t c = (size_t)slot * plan->years + t;
            double v = r->values[c];
            sim_origin origin = (sim_origin)plan->origin[c];
            int take = sim_plan_cell_shown(plan, (size_t)slot, t) && isfinite(v) && origin != SIM_ORIGIN_ASSUMED &&
                       origin != SIM_ORIGIN_ESTIMATED && /* an estimate is not history */
                       (part == 0 || origin == SIM_ORIGIN_OBSERVED);
            if (!take) {
                gap = part == 0 && history_rows > 0;
                continue;
            }
            if (gap)
                plot_script_datablock_gap(s);
            gap = 0;
            double row[2] = {plan->first_year + (int)t, v * scale};
            plot_script_datablock_row(s, row, 2);
            if (part == 0) {
                history_rows++;
                if (row[0] < *year_from)
                    *year_from = (int)row[0];
            } else {
                observed++;
            }
            *y_min = fmin(*y_min, row[1]);
            *y_max = fmax(*y_max, row[1]);
        }
        plot_script_datablock_end(s);
    }
    plot_script_number(s, "econsim_history_points", (double)history_rows);
    plot_script_number(s, "econsim_observed_points", (double)observed);
}

/* $econsim_bands: year and the seven quantiles, from the last known value before start (where
 * the fan opens) through end; widens [*y_min, *y_max]. */
static void fan_bands(plot_script *s, const ensemble_result *result, const run *r, int slot, double scale,
                      double *y_min, double *y_max)
{
    const sim_plan *plan = r->plan;
    size_t start_t = (size_t)(plan->start - plan->first_year);
    /* the bands, opening from the last known value */
    plot_script_datablock_begin(s, "econsim_bands");
    double before = start_t > 0 ? run_slot_value(r, slot, plan->start - 1) : NAN;
    if (isfinite(before)) {
        double row[8] = {plan->start - 1};
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
            row[1 + q] = before * scale;
        plot_script_datablock_row(s, row, 8);
    }
    for (int year = plan->start; year <= plan->end; year++) {
        const ensemble_cell *cell = ensemble_find(result, slot, year);
        if (!cell)
            continue;
        double row[8] = {year};
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
            row[1 + q] = cell->quantile[q] * scale;
            *y_min = fmin(*y_min, row[1 + q]);
            *y_max = fmax(*y_max, row[1 + q]);
        }
        plot_script_datablock_row(s, row, 8);
    }
    plot_script_datablock_end(s);
}

/* $econsim_goals and their labels: each level goal on the variable with its probability of
 * being met; widens [*y_min, *y_max]. */
static void fan_goals(plot_script *s, const ensemble_result *result, const goals_set *goals, int slot, double scale,
                      double *y_min, double *y_max)
{
    /* level goals on this variable, with their probability */
    const char *labels[GOALS_MAX];
    double goal_years[GOALS_MAX], goal_levels[GOALS_MAX];
    char *owned[GOALS_MAX];
    size_t goal_count = 0;
    plot_script_datablock_begin(s, "econsim_goals");
    for (size_t g = 0; goals && result->goal_probability && g < goals->count; g++) {
        const goals_goal *goal = &goals->goals[g];
        if (goal->slot != slot || goal->kind != GOALS_LEVEL)
            continue;
        char label[512];
        char probability[64];
        format_probability(probability, sizeof probability, result->goal_probability[g], result->paths);
        char cut[256];
        snprintf(cut, sizeof cut, "%s", goal->label);
        text_truncate(cut, PLOT_LABEL_COLUMNS);
        snprintf(label, sizeof label, _("%s: probability %s"), cut, probability);
        if (!(owned[goal_count] = mem_strdup(label)))
            break;
        labels[goal_count] = owned[goal_count];
        goal_years[goal_count] = goal->year;
        goal_levels[goal_count] = goal->target * scale;
        double row[2] = {goal_years[goal_count], goal_levels[goal_count]};
        plot_script_datablock_row(s, row, 2);
        *y_min = fmin(*y_min, row[1]);
        *y_max = fmax(*y_max, row[1]);
        goal_count++;
    }
    plot_script_datablock_end(s);
    plot_script_number(s, "econsim_goal_points", (double)goal_count);
    plot_script_string_array(s, "econsim_goal_labels", labels, goal_count);
    double goal_columns[GOALS_MAX];
    for (size_t g = 0; g < goal_count; g++)
        goal_columns[g] = (double)text_display_width(labels[g]);
    plot_script_number_array(s, "econsim_goal_label_columns", goal_columns, goal_count);
    plot_script_number_array(s, "econsim_goal_years", goal_years, goal_count);
    plot_script_number_array(s, "econsim_goal_levels", goal_levels, goal_count);
    for (size_t g = 0; g < goal_count; g++)
        mem_free(owned[g]);
}

static int fan_chart(charts_writer *w, const ensemble_result *result, const ensemble_spec *spec, const run *r,
                     const goals_set *goals, int slot, diag *d)
{
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[slot];
    double scale = units_is_rate(ms->unit) ? 100.0 : 1.0;
    plot_script *s = plot_script_new();
    if (!s)
        return diag_oom(d, _("writing a fan chart"));
    char title[512], footnote[1024], note[2600];
    const charts_options *o = charts_writer_options(w);
    fan_texts(s, result, spec, r, ms, o->width, o->height, title, sizeof title, footnote, sizeof footnote, note, sizeof note);
    int year_from = plan->start - 1;
    double y_min = INFINITY, y_max = -INFINITY;
    fan_history(s, r, slot, scale, &year_from, &y_min, &y_max);
    fan_bands(s, result, r, slot, scale, &y_min, &y_max);
    fan_goals(s, result, goals, slot, scale, &y_min, &y_max);

    int span = plan->end - year_from;
    int step = span <= 15 ? 1 : span <= 30 ? 2 : span <= 75 ? 5 : 10;
    int first_tic = year_from % step == 0 ? year_from : year_from + (step - year_from % step);
    plot_script_printf(s, "econsim_year_from = %d\neconsim_year_to = %d\neconsim_year_step = %d\n"
                          "econsim_year_first_tic = %d\neconsim_start = %d\n",
                       year_from, plan->end, step, first_tic, plan->start);
    plot_script_number(s, "econsim_y_from_zero", y_min >= 0 && !units_is_rate(ms->unit) ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", isfinite(y_max) ? y_max : 0);

    char slug[96];
    snprintf(slug, sizeof slug, "fan-%s", ms->name);
    charts_chart chart = {.slug = slug, .kind = "fan", .template_name = "fan", .title = title, .variable = ms->name,
                          .scenario_name = r->scenario->name, .body = s, .footnote = footnote, .footnote2 = note};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    return status;
}

int ensemble_write_charts(output_batch *batch, const ensemble_result *result, const ensemble_spec *spec,
                          const run *r, const goals_set *goals, const charts_options *o, charts_list *list, diag *d)
{
    if (!o->enabled)
        return DIAG_OK;
    const model *m = r->model;
    unsigned char *chosen = mem_calloc(m->slot_count ? m->slot_count : 1, 1);
    if (!chosen)
        return diag_oom(d, _("writing fan charts"));
    for (size_t i = 0; i < o->variable_count; i++) {
        int slot = model_find(m, o->variables[i]);
        if (slot >= 0)
            chosen[slot] = 1;
    }
    for (size_t g = 0; goals && g < goals->count; g++)
        if (goals->goals[g].kind == GOALS_LEVEL)
            chosen[goals->goals[g].slot] = 1;
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    /* in the order of the chart options, then goal variables in model order */
    for (size_t pass = 0; pass < 2 && status == DIAG_OK && w; pass++) {
        size_t count = pass == 0 ? o->variable_count : m->slot_count;
        for (size_t i = 0; i < count && status == DIAG_OK; i++) {
            int slot = pass == 0 ? model_find(m, o->variables[i]) : (int)i;
            if (slot < 0 || !chosen[slot])
                continue;
            chosen[slot] = 0;
            const ensemble_cell *cell = ensemble_find(result, slot, r->plan->end);
            if (!cell || !cell->varies)
                continue;
            status = fan_chart(w, result, spec, r, goals, slot, d);
        }
    }
    status = charts_writer_end(w, status);
    mem_free(chosen);
    return status;
}
