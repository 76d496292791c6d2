/* workbook.c: workbook.xlsx through libxlsxwriter (workbook.h).
 *
 * libxlsxwriter writes a file by name, so the workbook's file is reserved in the batch
 * (output_batch_reserve) and written at that path; the commit renames it with the others. Texts
 * are always written with worksheet_write_string, which stores a string and never a formula;
 * the only libxlsxwriter call that reads "=..." as a formula is a chart's name or title, and
 * those get a quote first (workbook_chart_text). */
#include "workbook.h"
#include "discover_write.h"
#include "i18n.h"
#include "report.h"
#include "units.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* The formats of a workbook. */
typedef struct workbook_formats {
    lxw_format *heading;
    lxw_format *money, *money_data; /* 亿元 and other amounts: 2 decimals (data: shaded) */
    lxw_format *rate, *rate_data;   /* fractions shown as percentages */
    lxw_format *count, *count_data; /* whole numbers */
    lxw_format *index, *index_data; /* 4 decimals */
    lxw_format *wrap;
} workbook_formats;

typedef struct workbook_context {
    lxw_workbook *wb;
    workbook_formats fmt;
    const workbook_input *in;
} workbook_context;

static lxw_format *workbook_number_format(lxw_workbook *wb, const char *num_format, int shaded)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, num_format);
    if (shaded)
        format_set_bg_color(f, 0xEDEDED);
    return f;
}

static void workbook_formats_init(lxw_workbook *wb, workbook_formats *fmt)
{
    fmt->heading = workbook_add_format(wb);
    format_set_bold(fmt->heading);
    format_set_bg_color(fmt->heading, 0xDDEBF7);
    format_set_border(fmt->heading, LXW_BORDER_THIN);
    fmt->money = workbook_number_format(wb, "#,##0.00", 0);
    fmt->money_data = workbook_number_format(wb, "#,##0.00", 1);
    fmt->rate = workbook_number_format(wb, "0.00%", 0);
    fmt->rate_data = workbook_number_format(wb, "0.00%", 1);
    fmt->count = workbook_number_format(wb, "#,##0", 0);
    fmt->count_data = workbook_number_format(wb, "#,##0", 1);
    fmt->index = workbook_number_format(wb, "0.0000", 0);
    fmt->index_data = workbook_number_format(wb, "0.0000", 1);
    fmt->wrap = workbook_add_format(wb);
    format_set_text_wrap(fmt->wrap);
    format_set_align(fmt->wrap, LXW_ALIGN_VERTICAL_TOP);
}

/* The number format of a value in `unit` (shaded: observed or derived data). */
static lxw_format *workbook_format_for(const workbook_formats *fmt, const char *unit, int shaded)
{
    if (units_is_rate(unit))
        return shaded ? fmt->rate_data : fmt->rate;
    if (unit && (!strcmp(unit, "count") || !strcmp(unit, "家") || !strcmp(unit, "个")))
        return shaded ? fmt->count_data : fmt->count;
    if (!unit || !*unit || !strcmp(unit, "index"))
        return shaded ? fmt->index_data : fmt->index;
    return shaded ? fmt->money_data : fmt->money;
}

/* A text cell: always a string (never a formula); NULL writes nothing. */
static void workbook_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text, lxw_format *format)
{
    if (text)
        worksheet_write_string(ws, row, col, text, format);
}

/* A number cell; NaN and infinities are left empty. */
static void workbook_number(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value, lxw_format *format)
{
    if (isfinite(value))
        worksheet_write_number(ws, row, col, value, format);
}


/* A chart's name or title: libxlsxwriter reads a text starting with '=' as a cell reference,
 * so such a text gets a leading quote. */
static const char *workbook_chart_text(char *buf, size_t size, const char *text)
{
    snprintf(buf, size, "%s%s", text && text[0] == '=' ? "'" : "", text ? text : "");
    return buf;
}

static void workbook_headings(lxw_worksheet *ws, lxw_row_t row, const char *const *names, size_t count,
                              const workbook_formats *fmt)
{
    for (size_t i = 0; i < count; i++) /* N_() texts: shown in the chosen language */
        workbook_text(ws, row, (lxw_col_t)i, _(names[i]), fmt->heading);
}

/* The names of the sheets (N_() texts: shown in the chosen language, at most 31 characters). */
#define WORKBOOK_SHEET_PROJECTION N_("Projection")
#define WORKBOOK_SHEET_GOALS N_("Goals")
#define WORKBOOK_SHEET_COMPARISON N_("Scenario comparison")
#define WORKBOOK_SHEET_PEERS N_("Peer counties")
#define WORKBOOK_SHEET_UNCERTAINTY N_("Uncertainty")
#define WORKBOOK_SHEET_SENSITIVITY N_("Sensitivity")
#define WORKBOOK_SHEET_SHOCKS N_("Shocks ranked (PAWN)")
#define WORKBOOK_SHEET_DISCOVERY N_("Scenario discovery")
#define WORKBOOK_SHEET_ASSUMPTIONS N_("Assumptions")
#define WORKBOOK_SHEET_ABOUT N_("About")

/* ---------------------------------------------------------------------------------------- */
/* Projection (预测) and its charts */

#define WORKBOOK_YEAR_COLUMN 3 /* columns 0-2: 变量, 名称, 单位 */

/* The first year index of the plan with a value shown for some variable or series (the first
 * year of projection.csv): 预测's first year column. */
static size_t workbook_first_t(const run *r)
{
    const sim_plan *plan = r->plan;
    size_t first = plan->years ? plan->years - 1 : 0;
    for (size_t s = 0; s < r->model->slot_count; s++)
        for (size_t t = 0; t < first && r->model->slots[s].kind != MODEL_PARAMETER; t++)
            if (sim_plan_cell_shown(plan, s, t))
                first = t;
    return first;
}

/* Sets a sheet to print on A4 landscape, one page wide. */
static void workbook_print_setup(lxw_worksheet *ws)
{
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
}

/* The row of slot s in 预测 (1-based after the heading), or 0 when it has none. */
static lxw_row_t workbook_projection_row(const model *m, size_t slot)
{
    lxw_row_t row = 1;
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        for (size_t s = 0; s < m->slot_count; s++) {
            if (m->slots[s].kind != kind)
                continue;
            if (s == slot)
                return row;
            row++;
        }
    }
    return 0;
}

static void workbook_projection(workbook_context *ctx, lxw_worksheet *ws)
{
    const run *r = ctx->in->run;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    static const char *const names[] = {N_("Variable"), N_("Name"), N_("Unit")};
    workbook_headings(ws, 0, names, 3, &ctx->fmt);
    size_t first = workbook_first_t(r);
    for (size_t t = first; t < plan->years; t++)
        worksheet_write_number(ws, 0, (lxw_col_t)(WORKBOOK_YEAR_COLUMN + t - first), plan->first_year + (int)t,
                               ctx->fmt.heading);
    lxw_row_t row = 1;
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        for (size_t s = 0; s < m->slot_count; s++) {
            const model_slot *ms = &m->slots[s];
            if (ms->kind != kind)
                continue;
            workbook_text(ws, row, 0, ms->name, NULL);
            workbook_text(ws, row, 1, ms->label, NULL);
            workbook_text(ws, row, 2, units_shown(ms->unit), NULL);
            for (size_t t = first; t < plan->years; t++) {
                if (!sim_plan_cell_shown(plan, s, t))
                    continue;
                size_t c = s * plan->years + t;
                sim_origin origin = (sim_origin)plan->origin[c];
                int data = origin == SIM_ORIGIN_OBSERVED || origin == SIM_ORIGIN_DERIVED;
                workbook_number(ws, row, (lxw_col_t)(WORKBOOK_YEAR_COLUMN + t - first), r->values[c],
                                workbook_format_for(&ctx->fmt, ms->unit, data));
            }
            row++;
        }
    }
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, 1, 26, NULL);
    worksheet_set_column(ws, 2, 2, 8, NULL);
    worksheet_set_column(ws, WORKBOOK_YEAR_COLUMN, (lxw_col_t)(WORKBOOK_YEAR_COLUMN + plan->years - first - 1), 10,
                         NULL);
    worksheet_freeze_panes(ws, 1, WORKBOOK_YEAR_COLUMN);
    workbook_print_setup(ws);
    workbook_text(ws, row + 1, 0,
                  _("Grey shading: observed values, or values derived from an observed growth rate; the others are "
                    "computed by the model or assumed by the scenario."),
                  NULL);
}

/* The chart variables: gdp, fiscal_revenue and construction_output when the model has them,
 * else the run's chart variables, at most three. Writes slots to out; returns how many. */
static size_t workbook_chart_slots(const workbook_input *in, int *out)
{
    static const char *const wanted[] = {"gdp", "fiscal_revenue", "construction_output"};
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        int slot = model_find(in->run->model, wanted[i]);
        if (slot >= 0 && in->run->model->slots[slot].kind != MODEL_PARAMETER)
            out[n++] = slot;
    }
    for (size_t i = 0; n == 0 && in->charts && i < in->charts->variable_count && i < 3; i++) {
        int slot = model_find(in->run->model, in->charts->variables[i]);
        if (slot >= 0 && in->run->model->slots[slot].kind != MODEL_PARAMETER)
            out[n++] = slot;
    }
    return n;
}

/* A line chart of slot's row of 预测 with its goals (rows of 目标 from goal_row on: the target
 * in the goal year's column, markers only), placed in 预测 below the table at anchor_row. */
static void workbook_chart(workbook_context *ctx, lxw_worksheet *projection, int slot, lxw_row_t goal_row,
                           size_t goal_rows, lxw_row_t anchor_row, lxw_col_t anchor_col)
{
    const run *r = ctx->in->run;
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[slot];
    lxw_row_t row = workbook_projection_row(r->model, (size_t)slot);
    size_t first_t = workbook_first_t(r);
    lxw_col_t first = WORKBOOK_YEAR_COLUMN, last = (lxw_col_t)(WORKBOOK_YEAR_COLUMN + plan->years - first_t - 1);
    lxw_chart *chart = workbook_add_chart(ctx->wb, LXW_CHART_LINE);
    if (!chart)
        return;
    char buf[1200], title[1100];
    /* TRANSLATORS: a label and its unit in brackets: "GDP (亿元)" */
    snprintf(title, sizeof title, _("%s (%s)"), ms->label, units_shown(ms->unit));
    chart_title_set_name(chart, workbook_chart_text(buf, sizeof buf, title));
    const char *projection_sheet = _(WORKBOOK_SHEET_PROJECTION), *goals_sheet = _(WORKBOOK_SHEET_GOALS);
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    chart_series_set_categories(series, projection_sheet, 0, first, 0, last);
    chart_series_set_values(series, projection_sheet, row, first, row, last);
    chart_series_set_name(series, workbook_chart_text(buf, sizeof buf, ms->label));
    for (size_t g = 0; g < goal_rows; g++) {
        lxw_chart_series *goal = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(goal, projection_sheet, 0, first, 0, last);
        chart_series_set_values(goal, goals_sheet, (lxw_row_t)(goal_row + g), 1, (lxw_row_t)(goal_row + g),
                                (lxw_col_t)(plan->years - first_t));
        chart_series_set_name_range(goal, goals_sheet, (lxw_row_t)(goal_row + g), 0);
        lxw_chart_line none = {.none = 1};
        chart_series_set_line(goal, &none);
        chart_series_set_marker_type(goal, LXW_CHART_MARKER_DIAMOND);
        chart_series_set_marker_size(goal, 9);
    }
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_axis_set_name(chart->x_axis, _("Year"));
    lxw_chart_options options = {.x_scale = 1.3, .y_scale = 1.2};
    worksheet_insert_chart_opt(projection, anchor_row, anchor_col, chart, &options);
}

/* ---------------------------------------------------------------------------------------- */
/* 目标 */

/* Writes the goals table; then, from the returned row on, the goal marker rows of each chart
 * slot (a row per goal of a level on that variable: its label, then the target in the goal
 * year's column of the years of 预测). *marker_first[k] and *marker_count[k] say where the
 * rows of chart slot k are. */
static void workbook_goals(workbook_context *ctx, lxw_worksheet *ws, const int *slots, size_t slot_count,
                           lxw_row_t *marker_first, size_t *marker_count)
{
    const run *r = ctx->in->run;
    const goals_set *g = ctx->in->goals;
    static const char *const names[] = {N_("ID"),          N_("Goal"),         N_("Variable"),   N_("Year"),
                                        N_("Direction"),   N_("Target"),       N_("Projected"),  N_("Met"),
                                        N_("First met in"), N_("Shortfall"),   N_("Instrument"), N_("Required value"),
                                        N_("Probability of meeting it"), N_("Note")};
    workbook_headings(ws, 0, names, sizeof names / sizeof names[0], &ctx->fmt);
    lxw_row_t row = 1;
    for (size_t i = 0; g && i < g->count; i++, row++) {
        const goals_goal *goal = &g->goals[i];
        const goals_result *res = &g->results[i];
        const char *unit = goals_value_unit(goal, r->model);
        lxw_format *f = workbook_format_for(&ctx->fmt, unit, 0);
        workbook_text(ws, row, 0, goal->id, NULL);
        workbook_text(ws, row, 1, goal->label, NULL);
        workbook_text(ws, row, 2, goal->variable, NULL);
        worksheet_write_number(ws, row, 3, goal->year, NULL);
        workbook_text(ws, row, 4, goal->direction == GOALS_AT_MOST ? _("at most") : _("at least"), NULL);
        workbook_number(ws, row, 5, goal->target, f);
        workbook_number(ws, row, 6, res->value, f);
        workbook_text(ws, row, 7, res->met ? _("met") : _("not met"), NULL);
        if (res->first_year_met)
            worksheet_write_number(ws, row, 8, res->first_year_met, NULL);
        workbook_number(ws, row, 9, res->shortfall, f);
        workbook_text(ws, row, 10, goal->solve, NULL);
        if (res->seek.status == GOALS_SEEK_FOUND && goal->solve_slot >= 0)
            workbook_number(ws, row, 11, res->seek.required,
                            workbook_format_for(&ctx->fmt, r->model->slots[goal->solve_slot].unit, 0));
        workbook_number(ws, row, 12, res->probability, ctx->fmt.rate);
        workbook_text(ws, row, 13, goals_goal_note(goal), NULL);
    }
    worksheet_set_column(ws, 0, 0, 18, NULL);
    worksheet_set_column(ws, 1, 1, 30, NULL);
    worksheet_set_column(ws, 2, 13, 12, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    /* the charts' goal markers, aligned with the years of 预测 */
    row += 2;
    char markers[256];
    snprintf(markers, sizeof markers, _("Goal markers for the charts (in the years of the sheet %s)"),
             _(WORKBOOK_SHEET_PROJECTION));
    workbook_text(ws, row++, 0, markers, ctx->fmt.heading);
    const sim_plan *plan = r->plan;
    size_t first_t = workbook_first_t(r);
    for (size_t k = 0; k < slot_count; k++) {
        marker_first[k] = row;
        marker_count[k] = 0;
        for (size_t i = 0; g && i < g->count; i++) {
            const goals_goal *goal = &g->goals[i];
            int t = sim_plan_year_index(plan, goal->year);
            if (goal->slot != slots[k] || goal->kind != GOALS_LEVEL || t < (int)first_t)
                continue;
            workbook_text(ws, row, 0, goal->label, NULL);
            workbook_number(ws, row, (lxw_col_t)(1 + t - (int)first_t), goal->target,
                            workbook_format_for(&ctx->fmt, r->model->slots[slots[k]].unit, 0));
            row++;
            marker_count[k]++;
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* 同类县市, 不确定性, 敏感性, 情景对比 */

static void workbook_peers(workbook_context *ctx, lxw_worksheet *ws)
{
    const peers_comparison *c = ctx->in->peers;
    lxw_row_t row = 0;
    for (size_t v = 0; v < c->variable_count; v++) {
        const peers_variable *pv = &c->variables[v];
        char heading[512];
        snprintf(heading, sizeof heading, _("%s (%s)"), pv->label, units_shown(pv->unit));
        workbook_text(ws, row, 0, heading, ctx->fmt.heading);
        workbook_text(ws, row, 1, _("Origin / rank"), ctx->fmt.heading);
        for (int y = pv->first_year; y <= pv->last_year; y++)
            worksheet_write_number(ws, row, (lxw_col_t)(2 + y - pv->first_year), y, ctx->fmt.heading);
        row++;
        for (size_t l = 0; l < pv->line_count; l++) {
            const peers_line *line = &pv->lines[l];
            workbook_text(ws, row, 0, line->place, NULL);
            workbook_text(ws, row, 1, _("Value"), NULL);
            workbook_text(ws, row + 1, 0, line->place, NULL);
            workbook_text(ws, row + 1, 1, _("Origin"), NULL);
            workbook_text(ws, row + 2, 0, line->place, NULL);
            workbook_text(ws, row + 2, 1, _("Rank"), NULL);
            for (int y = pv->first_year; y <= pv->last_year; y++) {
                lxw_col_t col = (lxw_col_t)(2 + y - pv->first_year);
                int t = y - line->series.first_year;
                if (line->series.value && t >= 0 && (size_t)t < line->series.years &&
                    isfinite(line->series.value[t])) {
                    sim_origin origin = (sim_origin)line->series.origin[t];
                    workbook_number(ws, row, col, line->series.value[t],
                                    workbook_format_for(&ctx->fmt, pv->unit, origin == SIM_ORIGIN_OBSERVED));
                    workbook_text(ws, row + 1, col, sim_origin_name(origin), NULL);
                }
                int rt = y - pv->storage_first;
                if (line->rank && rt >= 0 && (size_t)rt < pv->storage_years && line->rank[rt] > 0)
                    worksheet_write_number(ws, row + 2, col, line->rank[rt], NULL);
            }
            row += 3;
        }
        row++;
    }
    worksheet_set_column(ws, 0, 0, 20, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);
    worksheet_freeze_panes(ws, 1, 2);
}

static void workbook_ensemble(workbook_context *ctx, lxw_worksheet *ws)
{
    const ensemble_result *e = ctx->in->ensemble;
    const model *m = ctx->in->run->model;
    static const char *const names[] = {N_("Variable"), N_("Name"), N_("Unit"), N_("Year"), N_("Mean"),
                                        N_("Standard deviation"), "P5", "P10", "P25", N_("Median"), "P75", "P90",
                                        "P95"};
    workbook_headings(ws, 0, names, sizeof names / sizeof names[0], &ctx->fmt);
    for (size_t i = 0; i < e->cell_count; i++) {
        const ensemble_cell *cell = &e->cells[i];
        const model_slot *ms = &m->slots[cell->slot];
        lxw_format *f = workbook_format_for(&ctx->fmt, ms->unit, 0);
        lxw_row_t row = (lxw_row_t)(i + 1);
        workbook_text(ws, row, 0, ms->name, NULL);
        workbook_text(ws, row, 1, ms->label, NULL);
        workbook_text(ws, row, 2, units_shown(ms->unit), NULL);
        worksheet_write_number(ws, row, 3, cell->year, NULL);
        workbook_number(ws, row, 4, cell->mean, f);
        workbook_number(ws, row, 5, cell->sd, f);
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
            workbook_number(ws, row, (lxw_col_t)(6 + q), cell->quantile[q], f);
    }
    worksheet_set_column(ws, 0, 1, 22, NULL);
    worksheet_freeze_panes(ws, 1, 4);
    char note[160];
    snprintf(note, sizeof note, _("%zu paths, seed %lu"), e->paths, e->seed);
    workbook_text(ws, (lxw_row_t)(e->cell_count + 2), 0, note, NULL);
}

static void workbook_sensitivity(workbook_context *ctx, lxw_worksheet *ws)
{
    const sweep_result *res = ctx->in->sweep;
    const sweep_spec *spec = res->spec;
    static const char *const names[] = {N_("Output"),
                                        N_("Parameter"),
                                        "S1",
                                        N_("S1 confidence half-width"),
                                        "ST",
                                        N_("ST confidence half-width"),
                                        "μ",
                                        "μ*",
                                        N_("μ* confidence half-width"),
                                        "σ",
                                        N_("output at the low value"),
                                        N_("output at the high value"),
                                        "Pearson",
                                        "Spearman",
                                        N_("range of the main effect")};
    workbook_headings(ws, 0, names, sizeof names / sizeof names[0], &ctx->fmt);
    lxw_row_t row = 1;
    for (size_t o = 0; o < spec->output_count; o++)
        for (size_t p = 0; p < spec->parameter_count; p++, row++) {
            const sweep_index *x = &res->indices[o * spec->parameter_count + p];
            workbook_text(ws, row, 0, spec->outputs[o].label, NULL);
            workbook_text(ws, row, 1, spec->parameters[p].label, NULL);
            const double values[] = {x->first.value, x->first.conf, x->total.value, x->total.conf, x->mu,
                                     x->mu_star.value, x->mu_star.conf, x->sigma, x->value_low, x->value_high,
                                     x->pearson, x->spearman, x->range};
            for (size_t k = 0; k < sizeof values / sizeof values[0]; k++)
                workbook_number(ws, row, (lxw_col_t)(2 + k), values[k], ctx->fmt.index);
        }
    worksheet_set_column(ws, 0, 1, 24, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    char note[200];
    snprintf(note, sizeof note, _("Method: %s; %zu model runs; seed %lu."), sweep_method_name(spec->method), res->runs,
             spec->seed);
    workbook_text(ws, row + 1, 0, note, NULL);
}

/* 冲击排序 (Shocks ranked): pawn.csv for people: per goal, the shocks in rank order with their
 * PAWN value (a Kolmogorov-Smirnov distance, 0 to 1) and its noise threshold. */
static void workbook_shocks(workbook_context *ctx, lxw_worksheet *ws)
{
    const pawnrank_result *res = ctx->in->pawn;
    static const char *const names[] = {N_("Goal"),         N_("Year"),      N_("Rank"),
                                        N_("Shock"),        N_("How the input is formed"),
                                        "PAWN",             N_("Noise threshold"), N_("Above the noise"),
                                        N_("Slices")};
    workbook_headings(ws, 0, names, sizeof names / sizeof names[0], &ctx->fmt);
    lxw_row_t row = 1;
    for (size_t g = 0; g < res->goal_count; g++) {
        const pawnrank_goal *rg = &res->goals[g];
        const goals_goal *goal = &ctx->in->goals->goals[rg->goal];
        for (size_t r = 0; r < res->k; r++, row++) {
            size_t j = rg->order[r];
            const pawn_index *x = &rg->index[j];
            workbook_text(ws, row, 0, goal->id, NULL);
            worksheet_write_number(ws, row, 1, goal->year, NULL);
            worksheet_write_number(ws, row, 2, (double)(r + 1), NULL);
            workbook_text(ws, row, 3, res->names[j], NULL);
            workbook_text(ws, row, 4, rg->summary[j], NULL);
            workbook_number(ws, row, 5, x->value, ctx->fmt.index);
            workbook_number(ws, row, 6, x->threshold, ctx->fmt.index);
            if (x->above_noise >= 0)
                workbook_text(ws, row, 7, x->above_noise ? _("yes") : _("no (noise)"), NULL);
            worksheet_write_number(ws, row, 8, (double)x->slices, NULL);
        }
    }
    worksheet_set_column(ws, 0, 0, 20, NULL);
    worksheet_set_column(ws, 3, 4, 26, NULL);
    worksheet_set_column(ws, 5, 8, 14, NULL);
    worksheet_freeze_panes(ws, 1, 3);
    char note[256];
    snprintf(note, sizeof note,
             _("%zu paths, %zu slices, seed %lu. PAWN: how far the goal's distribution moves when one shock is "
               "fixed, from 0 (no effect) to 1; below its noise threshold a shock is not shown to matter."),
             res->n, res->slices, res->seed);
    workbook_text(ws, row + 1, 0, note, NULL);
}

/* 情景发现 (Scenario discovery): discovery.csv for people: each box with its coverage, density
 * and mass and the plain sentence of the terminal and the report, then each restricted input's
 * range (in its unit) and significance. */
static void workbook_discovery(workbook_context *ctx, lxw_worksheet *ws)
{
    const discover_result *res = ctx->in->discovery;
    static const char *const box_names[] = {N_("Box"),     N_("Coverage"), N_("Density"), N_("Mass"),
                                            N_("Runs in the box"), N_("Misses in the box"), N_("Reading")};
    workbook_headings(ws, 0, box_names, sizeof box_names / sizeof box_names[0], &ctx->fmt);
    lxw_row_t row = 1;
    for (size_t b = 0; b < res->prim.box_count; b++, row++) {
        const prim_stats *st = &res->prim.boxes[b].stats;
        char sentence[1024];
        discover_sentence(sentence, sizeof sentence, res, b);
        worksheet_write_number(ws, row, 0, (double)(b + 1), NULL);
        workbook_number(ws, row, 1, st->coverage, ctx->fmt.rate);
        workbook_number(ws, row, 2, st->density, ctx->fmt.rate);
        workbook_number(ws, row, 3, st->mass, ctx->fmt.rate);
        worksheet_write_number(ws, row, 4, (double)st->points, NULL);
        worksheet_write_number(ws, row, 5, (double)st->misses, NULL);
        workbook_text(ws, row, 6, sentence, NULL);
    }
    char note[512];
    snprintf(note, sizeof note,
             res->prim.box_count ? _("Goal %s: missed in %zu of %zu %s. Coverage: share of all misses inside the box; "
                                     "density: share of the box's runs that miss; mass: share of all runs in the box.")
                                 : _("Goal %s: missed in %zu of %zu %s; no box was found."),
             res->goal->id, res->prim.misses, res->n, res->from_ensemble ? _("paths") : _("runs"));
    workbook_text(ws, row++, 0, note, NULL);
    row++;
    static const char *const limit_names[] = {N_("Box"),   N_("Input"), N_("Name"),        N_("How the input is formed"),
                                              N_("Unit"),  N_("From"),  N_("To"),          N_("Restricted"),
                                              N_("qp-value of the lower limit"), N_("qp-value of the upper limit")};
    workbook_headings(ws, row++, limit_names, sizeof limit_names / sizeof limit_names[0], &ctx->fmt);
    /* which of the input's limits the box sets (the other is the data's own least or greatest) */
    static const char *const sides[] = {"", N_("lower limit"), N_("upper limit"), N_("both limits")};
    for (size_t b = 0; b < res->prim.box_count; b++) {
        const prim_box *box = &res->prim.boxes[b];
        for (size_t j = 0; j < res->k; j++) {
            const prim_limit *l = &box->limits[j];
            if (!l->sides)
                continue;
            const discover_input *input = &res->inputs[j];
            lxw_format *f = workbook_format_for(&ctx->fmt, input->unit, 0);
            worksheet_write_number(ws, row, 0, (double)(b + 1), NULL);
            workbook_text(ws, row, 1, input->name, NULL);
            workbook_text(ws, row, 2, input->label, NULL);
            workbook_text(ws, row, 3, input->summary, NULL);
            workbook_text(ws, row, 4, units_shown(input->unit), NULL);
            workbook_number(ws, row, 5, l->lower, f);
            workbook_number(ws, row, 6, l->upper, f);
            workbook_text(ws, row, 7, _(sides[l->sides & 3]), NULL);
            workbook_number(ws, row, 8, l->qp_lower, ctx->fmt.index);
            workbook_number(ws, row, 9, l->qp_upper, ctx->fmt.index);
            row++;
        }
    }
    worksheet_set_column(ws, 0, 0, 8, NULL);
    worksheet_set_column(ws, 1, 5, 14, NULL);
    worksheet_set_column(ws, 6, 6, 80, ctx->fmt.wrap);
    worksheet_freeze_panes(ws, 1, 1);
}

static void workbook_comparison(workbook_context *ctx, lxw_worksheet *ws)
{
    const compare_table *t = ctx->in->comparison;
    static const char *const names[] = {N_("Goal"), N_("Variable"), N_("Year"), N_("Direction"), N_("Target")};
    workbook_headings(ws, 0, names, 5, &ctx->fmt);
    for (size_t s = 0; s < t->scenario_count; s++) {
        char heading[600];
        snprintf(heading, sizeof heading, "%s", scenario_title(t->runs[s]->scenario));
        workbook_text(ws, 0, (lxw_col_t)(5 + 3 * s), heading, ctx->fmt.heading);
        workbook_text(ws, 0, (lxw_col_t)(6 + 3 * s), _("Met"), ctx->fmt.heading);
        workbook_text(ws, 0, (lxw_col_t)(7 + 3 * s), _("Probability of meeting it"), ctx->fmt.heading);
    }
    for (size_t i = 0; i < t->row_count; i++) {
        const compare_table_row *row = &t->rows[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        lxw_format *f = workbook_format_for(&ctx->fmt, row->unit, 0);
        workbook_text(ws, r, 0, row->goal->label, NULL);
        workbook_text(ws, r, 1, row->goal->variable, NULL);
        worksheet_write_number(ws, r, 2, row->goal->year, NULL);
        workbook_text(ws, r, 3, row->goal->direction == GOALS_AT_MOST ? _("at most") : _("at least"), NULL);
        workbook_number(ws, r, 4, row->goal->target, f);
        for (size_t s = 0; s < t->scenario_count; s++) {
            workbook_number(ws, r, (lxw_col_t)(5 + 3 * s), row->cells[s].value, f);
            workbook_text(ws, r, (lxw_col_t)(6 + 3 * s), compare_table_status(&row->cells[s]), NULL);
            workbook_number(ws, r, (lxw_col_t)(7 + 3 * s), row->cells[s].probability, ctx->fmt.rate);
        }
    }
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 5, (lxw_col_t)(4 + 3 * t->scenario_count), 16, NULL);
    worksheet_freeze_panes(ws, 1, 1);
}

/* ---------------------------------------------------------------------------------------- */
/* 假设 and 说明 */

static void workbook_assumptions(workbook_context *ctx, lxw_worksheet *ws)
{
    const run *r = ctx->in->run;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    static const char *const names[] = {N_("Variable"), N_("Name"), N_("Unit"), N_("Kind")};
    workbook_headings(ws, 0, names, 4, &ctx->fmt);
    lxw_col_t years = (lxw_col_t)(plan->end - plan->start + 1);
    for (int y = plan->start; y <= plan->end; y++)
        worksheet_write_number(ws, 0, (lxw_col_t)(4 + y - plan->start), y, ctx->fmt.heading);
    workbook_text(ws, 0, (lxw_col_t)(4 + years), _("Note"), ctx->fmt.heading);
    workbook_text(ws, 0, (lxw_col_t)(5 + years), _("Set by"), ctx->fmt.heading);
    lxw_row_t row = 1;
    for (size_t s = 0; s < m->slot_count; s++) {
        const model_slot *ms = &m->slots[s];
        if (ms->kind == MODEL_VARIABLE)
            continue;
        workbook_text(ws, row, 0, ms->name, NULL);
        workbook_text(ws, row, 1, ms->label, NULL);
        workbook_text(ws, row, 2, units_shown(ms->unit), NULL);
        workbook_text(ws, row, 3, ms->kind == MODEL_PARAMETER ? _("parameter") : _("exogenous series"), NULL);
        for (int y = plan->start; y <= plan->end; y++)
            workbook_number(ws, row, (lxw_col_t)(4 + y - plan->start), run_slot_value(r, (int)s, y),
                            workbook_format_for(&ctx->fmt, ms->unit, 0));
        /* the note and the place that set the first year of the horizon */
        run_provenance prov;
        if (run_provenance_of(r, (int)s, plan->start, &prov)) {
            workbook_text(ws, row, (lxw_col_t)(4 + years), prov.note ? prov.note : model_slot_note(ms), ctx->fmt.wrap);
            char where[4096 + JSONFILE_PATH_MAX + 64];
            snprintf(where, sizeof where, "%s%s%s%s%s", prov.kind, prov.file ? ": " : "", prov.file ? prov.file : "",
                     prov.json_path[0] ? " " : "", prov.json_path);
            workbook_text(ws, row, (lxw_col_t)(5 + years), where, NULL);
        }
        row++;
    }
    worksheet_set_column(ws, 0, 1, 22, NULL);
    worksheet_set_column(ws, (lxw_col_t)(4 + years), (lxw_col_t)(4 + years), 50, NULL);
    worksheet_set_column(ws, (lxw_col_t)(5 + years), (lxw_col_t)(5 + years), 40, NULL);
    worksheet_freeze_panes(ws, 1, 2);
}

static void workbook_about(workbook_context *ctx, lxw_worksheet *ws, time_t created)
{
    const workbook_input *in = ctx->in;
    const run *r = in->run;
    char years[64], seed[64], paths[64], date[64];
    snprintf(years, sizeof years, "%d–%d", r->plan->start, r->plan->end);
    snprintf(seed, sizeof seed, "%lu", in->ensemble ? in->ensemble->seed : in->sweep ? in->sweep->spec->seed : 0UL);
    snprintf(paths, sizeof paths, "%zu", in->ensemble ? in->ensemble->paths : (size_t)0);
    struct tm tm;
    if (gmtime_r(&created, &tm))
        strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
    else
        snprintf(date, sizeof date, "-");
    char origins[512];
    snprintf(origins, sizeof origins,
             _("Grey shading on the sheet %s marks observed values and values derived from an observed growth rate; "
               "the others are computed by the model or assumed by the scenario. Where each value comes from is in "
               "the origin column of projection.csv and in summary.json."),
             _(WORKBOOK_SHEET_PROJECTION));
    const char *rows[][2] = {
        {_("Scenario"), r->scenario->name},
        {_("Title"), scenario_title(r->scenario)},
        {_("Scenario file"), r->scenario->path},
        {_("Model"), r->model->path},
        {_("Observations"), r->scenario->history_path ? r->scenario->history_path : _("none")},
        {_("Place"), r->scenario->history_place ? r->scenario->history_place : "-"},
        {_("Years"), years},
        {_("Seed"), in->ensemble || in->sweep ? seed : _("- (nothing random)")},
        {_("Ensemble paths"), in->ensemble ? paths : "-"},
        {_("econsim version"), ECONSIM_VERSION},
        {_("File date"), date},
        {_("Units"), _("Money in 亿元 (current prices unless stated otherwise); rates shown in percent format, held as "
                       "fractions in the cells.")},
        {_("Origin of the values"), origins},
        {_("CSV and this workbook"), _("The CSV files are UTF-8, for programs to read; in Excel and WPS use this "
                                       "workbook.")},
    };
    workbook_text(ws, 0, 0, _("Item"), ctx->fmt.heading);
    workbook_text(ws, 0, 1, _("Content"), ctx->fmt.heading);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        workbook_text(ws, (lxw_row_t)(i + 1), 0, rows[i][0], NULL);
        workbook_text(ws, (lxw_row_t)(i + 1), 1, rows[i][1], ctx->fmt.wrap);
    }
    worksheet_set_column(ws, 0, 0, 16, NULL);
    worksheet_set_column(ws, 1, 1, 90, NULL);
    worksheet_freeze_panes(ws, 1, 0);
}

/* SOURCE_DATE_EPOCH when it is a valid time, else 1: the PDFs' rule (plot_pdf_fix_dates: 0),
 * one second later, because libxlsxwriter reads a created date of 0 as "now". */
static time_t workbook_epoch(void)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        char *end;
        errno = 0;
        long long v = strtoll(env, &end, 10);
        if (!errno && !*end && v > 0 && v < 253402300800LL)
            return (time_t)v;
    }
    return 1;
}

int workbook_write(output_batch *batch, const char *name, const workbook_input *in, diag *d)
{
    const char *path = output_batch_reserve(batch, name, d);
    if (!path)
        return d->status;
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return diag_error(d, DIAG_CANT_CREATE, _("%s/%s: cannot start the workbook"), output_batch_dir(batch), name);
    workbook_context ctx = {.wb = wb, .in = in};
    workbook_formats_init(wb, &ctx.fmt);
    time_t created = workbook_epoch();
    /* libxlsxwriter only reads these strings (its struct is not const-qualified) */
    lxw_doc_properties properties = {.title = (char *)scenario_title(in->run->scenario), .author = (char *)"econsim",
                                     .comments = (char *)"econsim " ECONSIM_VERSION, .created = created};
    workbook_set_properties(wb, &properties);
    if (in->comparison) {
        workbook_comparison(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_COMPARISON)));
    } else {
        lxw_worksheet *projection = workbook_add_worksheet(wb, _(WORKBOOK_SHEET_PROJECTION));
        lxw_worksheet *goals = workbook_add_worksheet(wb, _(WORKBOOK_SHEET_GOALS));
        workbook_projection(&ctx, projection);
        int slots[3];
        size_t slot_count = workbook_chart_slots(in, slots);
        lxw_row_t marker_first[3];
        size_t marker_count[3];
        workbook_goals(&ctx, goals, slots, slot_count, marker_first, marker_count);
        size_t rows = 0; /* of 预测: the charts go below it and its note */
        for (size_t s = 0; s < in->run->model->slot_count; s++)
            rows += in->run->model->slots[s].kind != MODEL_PARAMETER;
        lxw_row_t below = (lxw_row_t)(rows + 4);
        for (size_t k = 0; k < slot_count; k++)
            workbook_chart(&ctx, projection, slots[k], marker_first[k], marker_count[k], below,
                           (lxw_col_t)(1 + 9 * k));
        if (in->peers)
            workbook_peers(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_PEERS)));
        if (in->ensemble)
            workbook_ensemble(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_UNCERTAINTY)));
        if (in->pawn && in->goals)
            workbook_shocks(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_SHOCKS)));
        if (in->sweep)
            workbook_sensitivity(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_SENSITIVITY)));
        if (in->discovery)
            workbook_discovery(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_DISCOVERY)));
        workbook_assumptions(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_ASSUMPTIONS)));
    }
    workbook_about(&ctx, workbook_add_worksheet(wb, _(WORKBOOK_SHEET_ABOUT)), created);
    lxw_error error = workbook_close(wb);
    if (error != LXW_NO_ERROR)
        return diag_error(d, error == LXW_ERROR_MEMORY_MALLOC_FAILED ? DIAG_SOFTWARE : DIAG_IO,
                          _("%s/%s: cannot write the workbook: %s"), output_batch_dir(batch), name, lxw_strerror(error));
    return DIAG_OK;
}
