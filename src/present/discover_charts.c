/* discover_charts.c: the charts of scenario discovery (discover_write.h): each box's peeling
 * trajectory and the pair scatter plots of its restricted inputs with the box drawn on them.
 * Texts from files (labels, names) reach the scripts only as plot.h's escaped strings; the
 * file names are slugs built here from numbers. */
#include "discover_write.h"
#include "i18n.h"
#include "sweep_write.h"
#include "mem.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Points drawn on a scatter at most; more runs are thinned evenly (every m-th run). */
#define DISCOVER_CHART_MAX_POINTS 4000
/* Pairs of restricted inputs drawn per box at most. */
#define DISCOVER_CHART_MAX_PAIRS 3

/* The title and the footnotes of a discovery chart, wrapped to its canvas. */
static void discover_chart_text(charts_writer *w, plot_script *s, const discover_result *res, const run *r,
                                const char *title, const char *note)
{
    char footnote[768], footnote2[768];
    snprintf(footnote, sizeof footnote,
             res->from_ensemble ? _("PRIM (Friedman & Fisher 1999): peel alpha %g, %zu paths, %zu miss the goal")
                                : _("PRIM (Friedman & Fisher 1999): peel alpha %g, %zu runs, %zu miss the goal"),
             res->spec->prim.peel_alpha, res->n, res->prim.misses);
    if (note)
        charts_append(footnote, sizeof footnote, "; %s", note);
    /* the scenario, the model by its title (never a path of this machine) and the version */
    charts_footnote_scenario(footnote2, sizeof footnote2, r, 0);
    const charts_options *o = charts_writer_options(w);
    sweep_chart_layout(s, o->width, o->height, title, footnote, footnote2);
}

/* What a chart calls input j: the model's label, or its name. */
static const char *discover_input_text(const discover_result *res, size_t j)
{
    return res->inputs[j].label && *res->inputs[j].label ? res->inputs[j].label : res->inputs[j].name;
}

static int discover_chart_peeling(charts_writer *w, const discover_result *res, const run *r, size_t b)
{
    const prim_box *box = &res->prim.boxes[b];
    plot_script *s = plot_script_new();
    if (!s)
        return DIAG_SOFTWARE;
    char title[512], label[128];
    snprintf(title, sizeof title, _("Where goal %s is missed: box %zu, peeling trajectory"),
             res->goal->label ? res->goal->label : res->goal->id, b + 1);
    discover_chart_text(w, s, res, r, title, NULL);
    plot_script_datablock_begin(s, "econsim_steps");
    for (size_t t = 0; t < box->peeling.steps; t++) {
        const prim_stats *st = &box->peeling.stats[t];
        double row[3] = {100 * st->coverage, 100 * st->density, (double)st->restricted};
        plot_script_datablock_row(s, row, 3);
    }
    plot_script_datablock_end(s);
    plot_script_datablock_begin(s, "econsim_chosen");
    const prim_stats *chosen = &box->peeling.stats[box->step];
    double row[2] = {100 * chosen->coverage, 100 * chosen->density};
    plot_script_datablock_row(s, row, 2);
    plot_script_datablock_end(s);
    snprintf(label, sizeof label, _("Chosen: step %zu"), box->step);
    plot_script_string(s, "econsim_chosen_label", label);
    plot_script_string(s, "econsim_x_label", _("Coverage: share of all misses inside the box"));
    plot_script_string(s, "econsim_y_label", _("Density: share of the box's runs that miss"));
    plot_script_string(s, "econsim_key_steps", _("Peeling trajectory"));
    char slug[64];
    snprintf(slug, sizeof slug, "discover-peeling-%zu", b + 1);
    charts_chart chart = {.slug = slug, .kind = "discover-peeling", .template_name = "prim-peeling", .title = title,
                          .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    return status;
}

/* "label, how [unit]" of input j, as an axis label (rates in percent). */
static void discover_axis_label(char *buf, size_t size, const discover_result *res, size_t j)
{
    const char *unit = res->inputs[j].unit ? charts_unit_text(res->inputs[j].unit) : "";
    snprintf(buf, size, "%s%s%s%s%s%s", discover_input_text(res, j), res->from_ensemble ? ", " : "",
             res->from_ensemble ? res->inputs[j].summary : "", *unit ? " [" : "", unit, *unit ? "]" : "");
}

/* The scatter of inputs i (x) and j (y) of box b; j == i draws input i against the run. */
static int discover_chart_pair(charts_writer *w, const discover_result *res, const run *r, size_t b, size_t i,
                               size_t j)
{
    const prim_box *box = &res->prim.boxes[b];
    size_t k = res->k, every = (res->n + DISCOVER_CHART_MAX_POINTS - 1) / DISCOVER_CHART_MAX_POINTS;
    if (every < 1)
        every = 1;
    int against_run = i == j;
    double sx = charts_unit_scale(res->inputs[i].unit), sy = against_run ? 1 : charts_unit_scale(res->inputs[j].unit);
    plot_script *s = plot_script_new();
    if (!s)
        return DIAG_SOFTWARE;
    char title[512], note[128], xl[300], yl[300];
    const char *goal = res->goal->label ? res->goal->label : res->goal->id;
    if (against_run)
        snprintf(title, sizeof title, _("Where goal %s is missed: box %zu, %s"), goal, b + 1,
                 discover_input_text(res, i));
    else
        snprintf(title, sizeof title, _("Where goal %s is missed: box %zu, %s and %s"), goal, b + 1,
                 discover_input_text(res, i), discover_input_text(res, j));
    if (every > 1)
        snprintf(note, sizeof note, res->from_ensemble ? _("one path in %zu drawn") : _("one run in %zu drawn"), every);
    else
        snprintf(note, sizeof note, "%s", res->from_ensemble ? _("every path drawn") : _("every run drawn"));
    discover_chart_text(w, s, res, r, title, note);
    for (int missed = 0; missed < 2; missed++) {
        plot_script_datablock_begin(s, missed ? "econsim_missed" : "econsim_met");
        for (size_t p = 0; p < res->n; p += every) {
            if (!res->missed[p] != !missed)
                continue;
            double row[2] = {sx * res->x[p * k + i], against_run ? (double)(p + 1) : sy * res->x[p * k + j]};
            plot_script_datablock_row(s, row, 2);
        }
        plot_script_datablock_end(s);
    }
    const prim_limit *li = &box->limits[i], *lj = &box->limits[j];
    double x0 = sx * li->lower, x1 = sx * li->upper;
    double y0 = against_run ? 1 : sy * lj->lower, y1 = against_run ? (double)res->n : sy * lj->upper;
    double corners[5][2] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    plot_script_datablock_begin(s, "econsim_box");
    for (size_t c = 0; c < 5; c++)
        plot_script_datablock_row(s, corners[c], 2);
    plot_script_datablock_end(s);
    discover_axis_label(xl, sizeof xl, res, i);
    if (against_run)
        snprintf(yl, sizeof yl, "%s", res->from_ensemble ? _("Ensemble path") : _("Model run"));
    else
        discover_axis_label(yl, sizeof yl, res, j);
    plot_script_string(s, "econsim_x_label", xl);
    plot_script_string(s, "econsim_y_label", yl);
    plot_script_string(s, "econsim_key_met", _("Goal met"));
    plot_script_string(s, "econsim_key_missed", _("Goal missed"));
    plot_script_string(s, "econsim_key_box", _("Box found"));
    char slug[64];
    snprintf(slug, sizeof slug, "discover-box%zu-%zu-%zu", b + 1, i + 1, j + 1);
    charts_chart chart = {.slug = slug, .kind = "discover-scatter", .template_name = "prim-scatter", .title = title,
                          .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    return status;
}

int discover_write_charts(output_batch *batch, const discover_result *res, const run *r, const charts_options *o,
                          charts_list *list, diag *d)
{
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    if (status != DIAG_OK || !w)
        return status;
    for (size_t b = 0; b < res->prim.box_count && status == DIAG_OK; b++) {
        status = discover_chart_peeling(w, res, r, b);
        size_t restricted[64], count = 0, pairs = 0;
        for (size_t j = 0; j < res->k && count < 64; j++)
            if (res->prim.boxes[b].limits[j].sides)
                restricted[count++] = j;
        if (count == 1 && status == DIAG_OK)
            status = discover_chart_pair(w, res, r, b, restricted[0], restricted[0]);
        for (size_t a = 0; a < count && status == DIAG_OK && pairs < DISCOVER_CHART_MAX_PAIRS; a++)
            for (size_t c = a + 1; c < count && status == DIAG_OK && pairs < DISCOVER_CHART_MAX_PAIRS; c++, pairs++)
                status = discover_chart_pair(w, res, r, b, restricted[a], restricted[c]);
    }
    if (status == DIAG_SOFTWARE && d->status == DIAG_OK)
        diag_oom(d, _("drawing a discovery chart"));
    return charts_writer_end(w, status);
}
