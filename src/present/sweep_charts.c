/* sweep_charts.c: the charts of a sweep (sweep_write.h): Sobol' S1/ST bars
 * with intervals, the Morris mu*-sigma plane, a tornado of a one-at-a-time sweep, and the
 * heatmap of a two-parameter grid with the contour where the output meets its goal.
 *
 * The drawing itself belongs to the chart module (charts.h and the templates in plots/): this file only fills
 * each chart's datablocks and text variables. Every text from a file (labels, titles) goes in
 * through plot.h's escaped string variables; chart file names are slugs built here. */
#include "sweep_write.h"
#include "goals.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Display columns of a parameter's label on a chart axis; longer ones are cut. */
#define SWEEP_CHART_LABEL_COLUMNS 24
/* Display columns of a footnote: what a chart of the default 1000 pixels holds. */
#define SWEEP_CHART_FOOTNOTE_COLUMNS 140

/* A tornado's axis reaches past the bars by this share of their span (or, when every bar has
 * no length, by this share of the base value plus a tiny floor, so the axis is never empty). */
#define SWEEP_CHART_PAD 0.08
#define SWEEP_CHART_FLAT_PAD 0.01
#define SWEEP_CHART_PAD_FLOOR 1e-9

/* A chart file name from an output name: characters other than [A-Za-z0-9._-] become '-'. */
static void sweep_chart_slug(char *buf, size_t size, const char *prefix, const char *output)
{
    size_t used = (size_t)snprintf(buf, size, "%s-", prefix);
    for (const char *c = output; *c && used + 1 < size; c++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                 *c == '_' || *c == '-';
        buf[used++] = ok ? *c : '-';
    }
    buf[used] = '\0';
}

/* The title and the two footnotes every sweep chart carries. */
static void sweep_chart_text(plot_script *s, const sweep_result *res, const run *r, const char *title)
{
    const sweep_spec *spec = res->spec;
    char footnote[512];
    plot_script_string(s, "econsim_title", title);
    switch (spec->method) {
    case SWEEP_SOBOL:
        snprintf(footnote, sizeof footnote, "Sobol' 敏感性分析: N = %zu, k = %zu, 模型运行 %zu 次 (Saltelli 设计, %s Sobol' 序列); seed %lu",
                 spec->samples, spec->parameter_count, res->runs, spec->scramble ? "随机化" : "原始", spec->seed);
        break;
    case SWEEP_MORRIS:
        snprintf(footnote, sizeof footnote, "Morris 筛选: r = %zu 条轨迹, p = %u 水平, 模型运行 %zu 次; seed %lu",
                 spec->samples, spec->levels, res->runs, spec->seed);
        break;
    case SWEEP_OAT:
        snprintf(footnote, sizeof footnote, "单因素 (one at a time): 每个参数单独取低值和高值, 其余保持情景值; 模型运行 %zu 次",
                 res->runs);
        break;
    case SWEEP_GRID:
        snprintf(footnote, sizeof footnote, "网格: %zu x %zu = %zu 次模型运行", spec->parameters[0].value_count,
                 spec->parameter_count > 1 ? spec->parameters[1].value_count : 1, res->runs);
        break;
    case SWEEP_MONTECARLO:
        snprintf(footnote, sizeof footnote, "Monte Carlo: %zu 次模型运行; seed %lu", res->runs, spec->seed);
        break;
    }
    plot_script_string(s, "econsim_footnote", footnote);
    snprintf(footnote, sizeof footnote, "情景: %s (%s); 模型: %s", scenario_title(r->scenario), r->scenario->name,
             r->model->path);
    text_truncate(footnote, SWEEP_CHART_FOOTNOTE_COLUMNS);
    plot_script_string(s, "econsim_footnote2", footnote);
}

/* "name 标签" of parameter i, with a suffix. */
static void sweep_chart_parameter_label(char *buf, size_t size, const sweep_parameter *param, const char *suffix)
{
    /* the label is cut so that a long one cannot squeeze the plot off the canvas (the left
     * margin is as wide as the widest label) */
    char label[SWEEP_CHART_LABEL_COLUMNS * 4 + 8] = "";
    if (param->label && strcmp(param->label, param->name)) {
        snprintf(label, sizeof label, " %s", param->label);
        text_truncate(label, SWEEP_CHART_LABEL_COLUMNS);
    }
    snprintf(buf, size, "%s%s%s", param->name, label, suffix);
}

/* Labels for plot_script_string_array: k strings of at most 256 bytes. */
typedef struct sweep_chart_labels {
    char text[SWEEP_MAX_PARAMETERS][256];
    const char *pointers[SWEEP_MAX_PARAMETERS];
} sweep_chart_labels;

/* Writes the labels and econsim_label_columns, the widest label in character columns (CJK
 * characters take two), which the templates use as the left margin. */
static void sweep_chart_write_labels(plot_script *s, sweep_chart_labels *labels, size_t count)
{
    size_t widest = 0;
    for (size_t i = 0; i < count; i++) {
        labels->pointers[i] = labels->text[i];
        size_t width = text_display_width(labels->text[i]);
        if (width > widest)
            widest = width;
    }
    plot_script_string_array(s, "econsim_parameter_labels", labels->pointers, count);
    plot_script_printf(s, "econsim_label_columns = %zu\n", widest);
}

static int sweep_chart_sobol(charts_writer *w, const sweep_result *res, const run *r, size_t o, int height)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    size_t order[SWEEP_MAX_PARAMETERS];
    sweep_ranking(res, o, order);
    plot_script *s = plot_script_new();
    sweep_chart_labels *labels = mem_alloc(sizeof *labels);
    if (!s || !labels) {
        plot_script_free(s);
        mem_free(labels);
        return DIAG_SOFTWARE;
    }
    char title[512];
    snprintf(title, sizeof title, "Sobol' 指数: %s [%s] (%s)", out->label, out->unit, out->name);
    sweep_chart_text(s, res, r, title);
    double from = 0, to = 0.1;
    plot_script_datablock_begin(s, "econsim_indices");
    for (size_t j = 0; j < k; j++) {
        const sweep_index *x = &res->indices[o * k + order[j]];
        double row[7] = {(double)(j + 1), x->total.value, x->total.low, x->total.high,
                         x->first.value, x->first.low, x->first.high};
        plot_script_datablock_row(s, row, 7);
        for (int c = 1; c < 7; c++)
            if (isfinite(row[c])) {
                from = fmin(from, row[c]);
                to = fmax(to, row[c]);
            }
        int flagged = x->total.not_converged || x->total.negative || x->first.not_converged || x->first.negative;
        sweep_chart_parameter_label(labels->text[j], sizeof labels->text[j], &spec->parameters[order[j]],
                                    flagged ? " *" : "");
        labels->pointers[j] = labels->text[j];
    }
    plot_script_datablock_end(s);
    sweep_chart_write_labels(s, labels, k);
    plot_script_number(s, "econsim_x_from", from < 0 ? from * 1.1 : 0);
    plot_script_number(s, "econsim_x_to", to * 1.08);
    char interval[256];
    if (spec->bootstrap >= 2)
        snprintf(interval, sizeof interval, "横线: %.0f%% 区间 (bootstrap %zu 次); * 未收敛: 区间宽于 %g 或明显为负",
                 100 * spec->confidence, spec->bootstrap, spec->threshold);
    else
        snprintf(interval, sizeof interval, "无区间 (bootstrap 0)");
    plot_script_string(s, "econsim_interval_label", interval);
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, "sobol", out->name);
    charts_chart chart = {.slug = slug, .kind = "sobol", .template_name = "sobol", .title = title,
                          .variable = out->is_goal ? NULL : r->model->slots[out->slot].name,
                          .scenario_name = r->scenario->name, .body = s, .height = height};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    mem_free(labels);
    return status;
}

static int sweep_chart_morris(charts_writer *w, const sweep_result *res, const run *r, size_t o)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    plot_script *s = plot_script_new();
    sweep_chart_labels *labels = mem_alloc(sizeof *labels);
    if (!s || !labels) {
        plot_script_free(s);
        mem_free(labels);
        return DIAG_SOFTWARE;
    }
    char title[512];
    snprintf(title, sizeof title, "Morris 筛选: %s [%s] (%s)", out->label, out->unit, out->name);
    sweep_chart_text(s, res, r, title);
    double x_to = 0, y_to = 0, xs[SWEEP_MAX_PARAMETERS], ys[SWEEP_MAX_PARAMETERS];
    plot_script_datablock_begin(s, "econsim_points");
    for (size_t i = 0; i < k; i++) {
        const sweep_index *x = &res->indices[o * k + i];
        double row[4] = {x->mu_star.value, x->sigma, x->mu_star.low, x->mu_star.high};
        plot_script_datablock_row(s, row, 4);
        xs[i] = row[0];
        ys[i] = isfinite(row[1]) ? row[1] : 0;
        x_to = fmax(x_to, isfinite(row[3]) ? row[3] : row[0]);
        y_to = fmax(y_to, ys[i]);
        snprintf(labels->text[i], sizeof labels->text[i], "%s", spec->parameters[i].name);
        labels->pointers[i] = labels->text[i];
    }
    plot_script_datablock_end(s);
    if (!(x_to > 0))
        x_to = 1;
    if (!(y_to > 0))
        y_to = x_to / 2;
    plot_script_string_array(s, "econsim_parameter_labels", labels->pointers, k);
    plot_script_number_array(s, "econsim_label_x", xs, k);
    plot_script_number_array(s, "econsim_label_y", ys, k);
    plot_script_number(s, "econsim_x_to", x_to * 1.25);
    plot_script_number(s, "econsim_y_to", y_to * 1.2);
    plot_script_string_cut(s, "econsim_unit", out->unit, PLOT_UNIT_COLUMNS);
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, "morris", out->name);
    charts_chart chart = {.slug = slug, .kind = "morris", .template_name = "morris", .title = title,
                          .variable = out->is_goal ? NULL : r->model->slots[out->slot].name,
                          .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    mem_free(labels);
    return status;
}

static int sweep_chart_tornado(charts_writer *w, const sweep_result *res, const run *r, size_t o, int height)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    size_t order[SWEEP_MAX_PARAMETERS];
    sweep_ranking(res, o, order);
    plot_script *s = plot_script_new();
    sweep_chart_labels *labels = mem_alloc(sizeof *labels);
    if (!s || !labels) {
        plot_script_free(s);
        mem_free(labels);
        return DIAG_SOFTWARE;
    }
    char title[512];
    snprintf(title, sizeof title, "单因素敏感性 (龙卷风图): %s [%s]", out->label, out->unit);
    sweep_chart_text(s, res, r, title);
    double base = res->y[o]; /* run 0 is the scenario itself */
    double lo = base, hi = base;
    plot_script_datablock_begin(s, "econsim_bars");
    for (size_t j = 0; j < k; j++) {
        const sweep_parameter *param = &spec->parameters[order[j]];
        const sweep_index *x = &res->indices[o * k + order[j]];
        double row[3] = {(double)(j + 1), x->value_low, x->value_high};
        plot_script_datablock_row(s, row, 3);
        lo = fmin(lo, fmin(row[1], row[2]));
        hi = fmax(hi, fmax(row[1], row[2]));
        char low_text[64], high_text[64], suffix[160];
        units_format_value(low_text, sizeof low_text, param->low, param->unit);
        units_format_value(high_text, sizeof high_text, param->high, param->unit);
        snprintf(suffix, sizeof suffix, " (%s / %s)", low_text, high_text);
        sweep_chart_parameter_label(labels->text[j], sizeof labels->text[j], param, suffix);
        labels->pointers[j] = labels->text[j];
    }
    plot_script_datablock_end(s);
    double pad = hi > lo ? (hi - lo) * SWEEP_CHART_PAD : fabs(base) * SWEEP_CHART_FLAT_PAD + SWEEP_CHART_PAD_FLOOR;
    sweep_chart_write_labels(s, labels, k);
    plot_script_number(s, "econsim_base", base);
    plot_script_number(s, "econsim_x_from", lo - pad);
    plot_script_number(s, "econsim_x_to", hi + pad);
    plot_script_string_cut(s, "econsim_unit", out->unit, PLOT_UNIT_COLUMNS);
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, "tornado", out->name);
    charts_chart chart = {.slug = slug, .kind = "tornado", .template_name = "tornado", .title = title,
                          .variable = out->is_goal ? NULL : r->model->slots[out->slot].name,
                          .scenario_name = r->scenario->name, .body = s, .height = height};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    mem_free(labels);
    return status;
}

static int sweep_chart_heatmap(charts_writer *w, const sweep_result *res, const run *r, const goals_set *goals, size_t o)
{
    const sweep_spec *spec = res->spec;
    const sweep_output *out = &spec->outputs[o];
    const sweep_parameter *px = &spec->parameters[0], *py = &spec->parameters[1];
    plot_script *s = plot_script_new();
    if (!s)
        return DIAG_SOFTWARE;
    char title[512], label[256];
    snprintf(title, sizeof title, "%s [%s] (%s)", out->label, out->unit, out->name);
    sweep_chart_text(s, res, r, title);
    plot_script_datablock_begin(s, "econsim_grid");
    for (size_t a = 0; a < px->value_count; a++) {
        for (size_t b = 0; b < py->value_count; b++) {
            size_t run_index = a * py->value_count + b;
            double row[3] = {px->values[a], py->values[b], res->y[run_index * spec->output_count + o]};
            plot_script_datablock_row(s, row, 3);
        }
        plot_script_datablock_gap(s);
    }
    plot_script_datablock_end(s);
    for (int axis = 0; axis < 2; axis++) {
        const sweep_parameter *p = axis ? py : px;
        if (p->unit && *p->unit)
            snprintf(label, sizeof label, "%s %s [%s]", p->name, p->label, p->unit);
        else
            snprintf(label, sizeof label, "%s %s", p->name, p->label);
        plot_script_string(s, axis ? "econsim_y_label" : "econsim_x_label", label);
    }
    plot_script_string_cut(s, "econsim_unit", out->unit, PLOT_UNIT_COLUMNS);
    /* the contour of the first level goal on this variable and year */
    const goals_goal *goal = NULL;
    for (size_t g = 0; goals && g < goals->count && !goal; g++)
        if (goals->goals[g].slot == out->slot && goals->goals[g].year == out->year &&
            goals->goals[g].kind == GOALS_LEVEL)
            goal = &goals->goals[g];
    plot_script_printf(s, "econsim_has_contour = %d\n", goal ? 1 : 0);
    plot_script_number(s, "econsim_contour_level", goal ? goal->target : 0);
    if (goal)
        snprintf(label, sizeof label, "目标 %s: %g %s", goal->label ? goal->label : goal->id, goal->target, out->unit);
    plot_script_string(s, "econsim_contour_label", goal ? label : "");
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, "heatmap", out->name);
    charts_chart chart = {.slug = slug, .kind = "heatmap", .template_name = "heatmap", .title = title,
                          .variable = r->model->slots[out->slot].name, .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    return status;
}

/* The indices of the outputs of group `group` (VARIABLE@*) year by year: ST with its interval
 * and S1 (sobol), or mu* with its interval and sigma (morris). */
static int sweep_chart_years(charts_writer *w, const sweep_result *res, const run *r, int group)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    int sobol = spec->method == SWEEP_SOBOL;
    const sweep_output *first = NULL;
    for (size_t o = 0; o < spec->output_count && !first; o++)
        if (spec->outputs[o].group == group)
            first = &spec->outputs[o];
    plot_script *s = plot_script_new();
    sweep_chart_labels *labels = mem_alloc(sizeof *labels);
    double *row = mem_alloc((1 + 4 * k) * sizeof *row);
    if (!s || !labels || !row || !first) {
        plot_script_free(s);
        mem_free(labels);
        mem_free(row);
        return first ? DIAG_SOFTWARE : DIAG_OK;
    }
    const char *name = r->model->slots[first->slot].name;
    char title[512];
    snprintf(title, sizeof title, "%s 逐年: %s [%s] (%s@*)", sobol ? "Sobol' 指数" : "Morris mu*",
             r->model->slots[first->slot].label, first->unit, name);
    sweep_chart_text(s, res, r, title);
    double low = 0, high = sobol ? 1 : 0;
    int year_from = 0, year_to = 0;
    plot_script_datablock_begin(s, "econsim_years");
    for (size_t o = 0; o < spec->output_count; o++) {
        if (spec->outputs[o].group != group)
            continue;
        if (!year_from)
            year_from = spec->outputs[o].year;
        year_to = spec->outputs[o].year;
        row[0] = spec->outputs[o].year;
        for (size_t i = 0; i < k; i++) {
            const sweep_index *x = &res->indices[o * k + i];
            const sensitivity_estimate *e = sobol ? &x->total : &x->mu_star;
            row[1 + 4 * i] = e->value;
            row[2 + 4 * i] = isfinite(e->low) ? e->low : e->value;
            row[3 + 4 * i] = isfinite(e->high) ? e->high : e->value;
            row[4 + 4 * i] = sobol ? x->first.value : x->sigma;
            for (size_t c = 1; c <= 4; c++)
                if (isfinite(row[c + 4 * i])) {
                    low = fmin(low, row[c + 4 * i]);
                    high = fmax(high, row[c + 4 * i]);
                }
        }
        plot_script_datablock_row(s, row, 1 + 4 * k);
    }
    plot_script_datablock_end(s);
    for (size_t i = 0; i < k; i++) {
        snprintf(labels->text[i], sizeof labels->text[i], "%s", spec->parameters[i].name);
        labels->pointers[i] = labels->text[i];
    }
    plot_script_string_array(s, "econsim_parameter_labels", labels->pointers, k);
    plot_script_printf(s, "econsim_count = %zu\neconsim_second = 1\n", k);
    plot_script_string(s, "econsim_y_label",
                       sobol ? "ST (实线, 带区间) 与 S1 (虚线): 方差份额" : "mu* (实线, 带区间) 与 sigma (虚线)");
    double pad = (high - low) * 0.05 + 1e-9;
    plot_script_number(s, "econsim_y_from", low < 0 ? low - pad : 0);
    plot_script_number(s, "econsim_y_to", high + pad);
    plot_script_number(s, "econsim_year_from", year_from);
    plot_script_number(s, "econsim_year_to", year_to);
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, sobol ? "sobol-years" : "morris-years", name);
    charts_chart chart = {.slug = slug, .kind = sobol ? "sobol-years" : "morris-years", .template_name = "indices-years",
                          .title = title, .variable = name, .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    mem_free(labels);
    mem_free(row);
    return status;
}

/* "samples": "auto": output o's ST of each parameter against N, with its band. */
static int sweep_chart_convergence(charts_writer *w, const sweep_result *res, const run *r, size_t o)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    plot_script *s = plot_script_new();
    sweep_chart_labels *labels = mem_alloc(sizeof *labels);
    double *row = mem_alloc((1 + 3 * k) * sizeof *row);
    if (!s || !labels || !row) {
        plot_script_free(s);
        mem_free(labels);
        mem_free(row);
        return DIAG_SOFTWARE;
    }
    char title[512];
    snprintf(title, sizeof title, "收敛 (samples: auto): %s [%s] (%s)", out->label, out->unit, out->name);
    sweep_chart_text(s, res, r, title);
    double low = 0, high = 1;
    plot_script_datablock_begin(s, "econsim_steps");
    for (size_t step = 0; step < res->convergence_steps; step++) {
        const sweep_convergence *c = &res->convergence[step];
        row[0] = (double)c->samples;
        for (size_t i = 0; i < k; i++) {
            const sensitivity_estimate *e = &c->total[o * k + i];
            row[1 + 3 * i] = e->value;
            row[2 + 3 * i] = isfinite(e->low) ? e->low : e->value;
            row[3 + 3 * i] = isfinite(e->high) ? e->high : e->value;
            low = fmin(low, row[2 + 3 * i]);
            high = fmax(high, row[3 + 3 * i]);
        }
        plot_script_datablock_row(s, row, 1 + 3 * k);
    }
    plot_script_datablock_end(s);
    for (size_t i = 0; i < k; i++) {
        snprintf(labels->text[i], sizeof labels->text[i], "%s", spec->parameters[i].name);
        labels->pointers[i] = labels->text[i];
    }
    plot_script_string_array(s, "econsim_parameter_labels", labels->pointers, k);
    plot_script_printf(s, "econsim_count = %zu\n", k);
    plot_script_number(s, "econsim_y_from", low < 0 ? low - 0.02 : 0);
    plot_script_number(s, "econsim_y_to", high + 0.02);
    plot_script_number(s, "econsim_n_from", (double)res->convergence[0].samples);
    plot_script_number(s, "econsim_n_to", (double)res->convergence[res->convergence_steps - 1].samples);
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, "convergence", out->name);
    charts_chart chart = {.slug = slug, .kind = "convergence", .template_name = "convergence", .title = title,
                          .variable = out->is_goal ? NULL : r->model->slots[out->slot].name,
                          .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    mem_free(labels);
    mem_free(row);
    return status;
}

int sweep_write_charts(const sweep_result *res, const run *r, const goals_set *goals, output_batch *batch,
                       const charts_options *o, charts_list *list, diag *d)
{
    const sweep_spec *spec = res->spec;
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    if (status != DIAG_OK || !w)
        return status;
    /* bar charts grow with the parameters so that labels never overlap */
    int height = o->height;
    int needed = 200 + 48 * (int)spec->parameter_count;
    if (needed > height)
        height = needed < CHARTS_MAX_SIZE ? needed : CHARTS_MAX_SIZE;
    int heatmaps = spec->method == SWEEP_GRID && spec->parameter_count == 2 && spec->parameters[0].value_count > 1 &&
                   spec->parameters[1].value_count > 1;
    if (spec->method == SWEEP_GRID && !heatmaps)
        diag_warning(d, "no heatmap: a grid sweep is drawn when it has exactly two parameters of two values or more");
    for (size_t i = 0; i < spec->output_count && status == DIAG_OK; i++) {
        /* an output that is the same in every run has nothing to draw (the table says so) */
        if (!(res->statistics[i].max > res->statistics[i].min))
            continue;
        switch (spec->method) {
        case SWEEP_SOBOL:
            status = sweep_chart_sobol(w, res, r, i, height);
            break;
        case SWEEP_MORRIS:
            status = sweep_chart_morris(w, res, r, i);
            break;
        case SWEEP_OAT:
            status = sweep_chart_tornado(w, res, r, i, height);
            break;
        case SWEEP_GRID:
            if (heatmaps && !spec->outputs[i].is_goal)
                status = sweep_chart_heatmap(w, res, r, goals, i);
            break;
        case SWEEP_MONTECARLO:
            break;
        }
        if (status == DIAG_SOFTWARE && d->status == DIAG_OK)
            diag_oom(d, "drawing a sweep chart");
    }
    for (size_t i = 0; i < spec->output_count && status == DIAG_OK && res->convergence_steps; i++) {
        if (!(res->statistics[i].max > res->statistics[i].min))
            continue;
        status = sweep_chart_convergence(w, res, r, i);
        if (status == DIAG_SOFTWARE && d->status == DIAG_OK)
            diag_oom(d, "drawing a sweep chart");
    }
    /* indices over time for each VARIABLE@* output */
    int groups = 0;
    for (size_t i = 0; i < spec->output_count; i++)
        if (spec->outputs[i].group + 1 > groups)
            groups = spec->outputs[i].group + 1;
    for (int g = 0; g < groups && status == DIAG_OK && (spec->method == SWEEP_SOBOL || spec->method == SWEEP_MORRIS);
         g++) {
        status = sweep_chart_years(w, res, r, g);
        if (status == DIAG_SOFTWARE && d->status == DIAG_OK)
            diag_oom(d, "drawing a sweep chart");
    }
    return charts_writer_end(w, status);
}
