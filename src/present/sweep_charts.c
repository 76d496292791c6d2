/* sweep_charts.c: the charts of a sweep (sweep_write.h): Sobol' S1/ST bars
 * with intervals, the Morris mu*-sigma plane, a tornado of a one-at-a-time sweep, and the
 * heatmap of a two-parameter grid with the contour where the output meets its goal.
 *
 * The drawing itself belongs to the chart module (charts.h and the templates in plots/): this file only fills
 * each chart's datablocks and text variables. Every text from a file (labels, titles) goes in
 * through plot.h's escaped string variables; chart file names are slugs built here. */
#include "sweep_write.h"
#include "goals.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Display columns of a parameter's label on a chart axis; longer ones are cut. */
#define SWEEP_CHART_LABEL_COLUMNS 24
/* Bytes of one wrapped line of a title or footnote (more than any title or footnote econsim
 * builds; a longer line is cut at a character boundary). */
#define SWEEP_CHART_LINE 4096

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

/* ---------------------------------------------------------------------------------------- */
/* Layout: what fits where. The svg and cairo terminals draw a point as a pixel; the templates
 * scale every font by style_scale (charts_scale), so a text's columns per line depend on
 * the canvas's width only through the scale. */

/* The font size, in points at scale 1, that the templates use for the footnote. */
#define SWEEP_CHART_FOOTNOTE_POINTS 8.0
/* Pixels kept free at each side of a footnote (at scale 1). */
#define SWEEP_CHART_SIDE 14.0
/* Lines each footnote may take. */
#define SWEEP_CHART_FOOTNOTE_LINES 2

/* Display columns of text `points` tall (at scale 1) that fit across `pixels`. */
static size_t sweep_chart_columns(double pixels, double points, double scale)
{
    double columns = (pixels - 2 * SWEEP_CHART_SIDE * scale) / (points * scale * CHARTS_COLUMN_EM * CHARTS_PX_PER_POINT);
    return columns < 10 ? 10 : (size_t)columns;
}

/* Wraps `text` into at most `max_lines` lines of at most `columns` display columns
 * (charts_wrap: the last cut with "…" when the text needs more). Returns the lines written
 * (at least 1, an empty one for an empty text). */
static size_t sweep_chart_wrap(const char *text, size_t columns, char lines[][SWEEP_CHART_LINE], size_t max_lines)
{
    size_t need = charts_wrap(text ? text : "", columns, lines[0], SWEEP_CHART_LINE, max_lines);
    if (need == 0) {
        lines[0][0] = '\0';
        return 1;
    }
    return need < max_lines ? need : max_lines;
}

/* Writes `name` as the lines joined by newlines (each an escaped string, joined in the script
 * with "\n", so no text from a file is ever program text) and name_lines = count. */
static void sweep_chart_write_lines(plot_script *s, const char *name, char lines[][SWEEP_CHART_LINE], size_t count)
{
    char part[64];
    for (size_t i = 0; i < count; i++) {
        snprintf(part, sizeof part, "%s_%zu", name, i + 1);
        plot_script_string(s, part, lines[i]);
    }
    plot_script_printf(s, "%s = %s_1", name, name);
    for (size_t i = 1; i < count; i++)
        plot_script_printf(s, " . \"\\n\" . %s_%zu", name, i + 1);
    plot_script_printf(s, "\n%s_lines = %zu\n", name, count);
}

void sweep_chart_layout(plot_script *s, int width, int height, const char *title, const char *footnote,
                        const char *footnote2)
{
    double scale = charts_scale(width, height);
    char lines[2 * SWEEP_CHART_FOOTNOTE_LINES][SWEEP_CHART_LINE];
    /* the title is the charts writer's (charts_fit_texts wraps chart.title for every chart);
     * the whole texts, for whoever reads the script (a line cut on the chart ends in "…") */
    plot_script_comment(s, "title: %s", title);
    plot_script_comment(s, "footnote: %s", footnote);
    if (footnote2 && *footnote2)
        plot_script_comment(s, "footnote: %s", footnote2);
    size_t columns = sweep_chart_columns(width, SWEEP_CHART_FOOTNOTE_POINTS, scale);
    size_t count = sweep_chart_wrap(footnote, columns, lines, SWEEP_CHART_FOOTNOTE_LINES);
    if (footnote2 && *footnote2)
        count += sweep_chart_wrap(footnote2, columns, lines + count, SWEEP_CHART_FOOTNOTE_LINES);
    sweep_chart_write_lines(s, "econsim_footnote", lines, count);
    /* style.gp's second footnote line is part of the first label here */
    plot_script_string(s, "econsim_footnote2", "");
}

/* The title and the two footnotes every sweep chart carries: how the runs were made (and
 * `extra`, may be NULL, e.g. the parameters a Morris chart does not label), then the scenario
 * and the model. */
static void sweep_chart_text(charts_writer *w, plot_script *s, const sweep_result *res, const run *r, int height,
                             const char *title, const char *extra)
{
    const sweep_spec *spec = res->spec;
    char footnote[2048], footnote2[768];
    switch (spec->method) {
    case SWEEP_SOBOL:
        snprintf(footnote, sizeof footnote,
                 spec->scramble ? _("Sobol' sensitivity analysis: N = %zu, k = %zu, %zu model runs (Saltelli design, "
                                    "scrambled Sobol' sequence); seed %lu")
                                : _("Sobol' sensitivity analysis: N = %zu, k = %zu, %zu model runs (Saltelli design, "
                                    "plain Sobol' sequence); seed %lu"),
                 spec->samples, spec->parameter_count, res->runs, spec->seed);
        break;
    case SWEEP_MORRIS:
        snprintf(footnote, sizeof footnote, _("Morris screening: r = %zu trajectories, p = %u levels, %zu model runs; seed %lu"),
                 spec->samples, spec->levels, res->runs, spec->seed);
        break;
    case SWEEP_OAT:
        snprintf(footnote, sizeof footnote,
                 _("One at a time: each parameter alone at its low and at its high value, the others at the "
                   "scenario's; %zu model runs"),
                 res->runs);
        break;
    case SWEEP_GRID:
        snprintf(footnote, sizeof footnote, _("Grid: %zu × %zu = %zu model runs"), spec->parameters[0].value_count,
                 spec->parameter_count > 1 ? spec->parameters[1].value_count : 1, res->runs);
        break;
    case SWEEP_MONTECARLO:
        snprintf(footnote, sizeof footnote, _("Monte Carlo: %zu model runs; seed %lu"), res->runs, spec->seed);
        break;
    }
    if (extra && *extra)
        charts_append(footnote, sizeof footnote, "; %s", extra);
    /* the scenario, the model by its title (never a path of this machine) and the version */
    charts_footnote_scenario(footnote2, sizeof footnote2, r, 0);
    const charts_options *o = charts_writer_options(w);
    sweep_chart_layout(s, o->width, height ? height : o->height, title, footnote, footnote2);
}

/* What a chart calls a parameter: its label, or its name when the model gives none. */
static const char *sweep_chart_parameter_text(const sweep_parameter *param)
{
    return param->label && *param->label ? param->label : param->name;
}

/* The parameter's label with a suffix, cut so that a long one cannot squeeze the plot off the
 * canvas (the left margin is as wide as the widest label). */
static void sweep_chart_parameter_label(char *buf, size_t size, const sweep_parameter *param, const char *suffix)
{
    char label[SWEEP_CHART_LABEL_COLUMNS * 4 + 8];
    snprintf(label, sizeof label, "%s", sweep_chart_parameter_text(param));
    text_truncate(label, SWEEP_CHART_LABEL_COLUMNS);
    snprintf(buf, size, "%s%s", label, suffix);
}

/* "label [unit]" of an axis: the unit as charts show it ("%" for rates). */
static void sweep_chart_axis_label(char *buf, size_t size, const char *label, const char *unit)
{
    const char *shown = unit && *unit ? charts_unit_text(unit) : "";
    if (*shown)
        snprintf(buf, size, "%s [%s]", label, shown);
    else
        snprintf(buf, size, "%s", label);
}

/* A value with its unit as a chart shows it: "1000.00 亿元", "8.00%". */
static void sweep_chart_value(char *buf, size_t size, double value, const char *unit)
{
    char number[64];
    units_format_value(number, sizeof number, value, unit);
    if (unit && *unit && !units_is_rate(unit))
        snprintf(buf, size, "%s %s", number, unit);
    else
        snprintf(buf, size, "%s", number);
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

/* The parameters' labels as the key of a chart of lines (one per parameter). */
static void sweep_chart_key_labels(plot_script *s, const sweep_spec *spec, sweep_chart_labels *labels)
{
    for (size_t i = 0; i < spec->parameter_count; i++)
        sweep_chart_parameter_label(labels->text[i], sizeof labels->text[i], &spec->parameters[i], "");
    sweep_chart_write_labels(s, labels, spec->parameter_count);
}

/* The title of a chart of output `out`: "WHAT: LABEL [UNIT]". */
static void sweep_chart_title(char *buf, size_t size, const char *what, const sweep_output *out)
{
    if (out->unit && *out->unit)
        snprintf(buf, size, "%s: %s [%s]", what, out->label, out->unit);
    else
        snprintf(buf, size, "%s: %s", what, out->label);
}

/* A sweep chart while it is written: its script, and the labels and the row of numbers it
 * asked for (NULL when it did not). */
typedef struct sweep_chart_draft {
    plot_script *script;
    sweep_chart_labels *labels;
    double *row;
} sweep_chart_draft;

/* Frees what a draft holds (a draft that failed to start holds nothing). */
static void sweep_chart_draft_free(sweep_chart_draft *d)
{
    plot_script_free(d->script);
    mem_free(d->labels);
    mem_free(d->row);
    *d = (sweep_chart_draft){0};
}

/* Starts a draft: a script, labels when with_labels, and a row of row_count numbers when
 * row_count > 0. DIAG_OK, or DIAG_SOFTWARE (out of memory) with nothing held. */
static int sweep_chart_draft_begin(sweep_chart_draft *d, int with_labels, size_t row_count)
{
    d->script = plot_script_new();
    d->labels = with_labels ? mem_alloc(sizeof *d->labels) : NULL;
    d->row = row_count ? mem_alloc(row_count * sizeof *d->row) : NULL;
    if (d->script && (d->labels || !with_labels) && (d->row || !row_count))
        return DIAG_OK;
    sweep_chart_draft_free(d);
    return DIAG_SOFTWARE;
}

/* Hands the draft to the writer, then frees it: chart `kind` drawn by template
 * `template_name`, in the files KIND-NAME (sweep_chart_slug of `name`), titled `title`, of
 * model variable `variable` (NULL for a goal), `height` pixels high (0: the charts' height).
 * Returns what charts_writer_add returns. */
static int sweep_chart_draft_add(sweep_chart_draft *d, charts_writer *w, const run *r, const char *kind,
                                 const char *template_name, const char *name, const char *title,
                                 const char *variable, int height)
{
    char slug[128];
    sweep_chart_slug(slug, sizeof slug, kind, name);
    charts_chart chart = {.slug = slug, .kind = kind, .template_name = template_name, .title = title,
                          .variable = variable, .scenario_name = r->scenario->name, .body = d->script,
                          .height = height};
    int status = charts_writer_add(w, &chart);
    sweep_chart_draft_free(d);
    return status;
}

/* The model variable of a chart of output `out`: NULL for a goal. */
static const char *sweep_chart_variable(const sweep_output *out, const run *r)
{
    return out->is_goal ? NULL : r->model->slots[out->slot].name;
}

static int sweep_chart_sobol(charts_writer *w, const sweep_result *res, const run *r, size_t o, int height)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    size_t order[SWEEP_MAX_PARAMETERS];
    sweep_ranking(res, o, order);
    sweep_chart_draft draft;
    if (sweep_chart_draft_begin(&draft, 1, 0) != DIAG_OK)
        return DIAG_SOFTWARE;
    plot_script *s = draft.script;
    sweep_chart_labels *labels = draft.labels;
    char title[512];
    sweep_chart_title(title, sizeof title, _("Sobol' indices"), out);
    sweep_chart_text(w, s, res, r, height, title, NULL);
    /* indices are shares of the output's variance: drawn in percent */
    double from = 0, to = 10;
    plot_script_datablock_begin(s, "econsim_indices");
    for (size_t j = 0; j < k; j++) {
        const sweep_index *x = &res->indices[o * k + order[j]];
        double row[7] = {(double)(j + 1), 100 * x->total.value, 100 * x->total.low, 100 * x->total.high,
                         100 * x->first.value, 100 * x->first.low, 100 * x->first.high};
        plot_script_datablock_row(s, row, 7);
        for (int c = 1; c < 7; c++)
            if (isfinite(row[c])) {
                from = fmin(from, row[c]);
                to = fmax(to, row[c]);
            }
        int flagged = x->total.not_converged || x->total.negative || x->first.not_converged || x->first.negative;
        sweep_chart_parameter_label(labels->text[j], sizeof labels->text[j], &spec->parameters[order[j]],
                                    flagged ? " *" : "");
    }
    plot_script_datablock_end(s);
    sweep_chart_write_labels(s, labels, k);
    plot_script_number(s, "econsim_x_from", from < 0 ? from * 1.1 : 0);
    plot_script_number(s, "econsim_x_to", to * 1.08);
    char interval[256];
    if (spec->bootstrap >= 2)
        snprintf(interval, sizeof interval,
                 _("Whiskers: %.0f%% interval (%zu bootstrap resamples); * not converged: interval wider than %g%% "
                   "or clearly negative"),
                 100 * spec->confidence, spec->bootstrap, 100 * spec->threshold);
    else
        snprintf(interval, sizeof interval, "%s", _("No intervals (bootstrap 0)"));
    plot_script_string(s, "econsim_interval_label", interval);
    plot_script_string(s, "econsim_x_label", _("Share of the output's variance (%)"));
    plot_script_string(s, "econsim_key_total", _("Total-order index ST"));
    plot_script_string(s, "econsim_key_first", _("First-order index S1"));
    return sweep_chart_draft_add(&draft, w, r, "sobol", "sobol", out->name, title, sweep_chart_variable(out, r), height);
}

/* Where a Morris chart puts its labels, in pixels of the canvas (estimates: the templates'
 * margins and the label font, at the chart's text scale). */
#define SWEEP_MORRIS_LEFT 110.0   /* the plot's left edge */
#define SWEEP_MORRIS_RIGHT 40.0   /* canvas edge to the plot's right edge */
#define SWEEP_MORRIS_TOP 70.0     /* canvas top to the plot's top */
#define SWEEP_MORRIS_BOTTOM 150.0 /* canvas bottom to the plot's bottom */
#define SWEEP_MORRIS_POINTS 9.0   /* the labels' font */
#define SWEEP_MORRIS_MAX_LABELS 8 /* at most this many labels: the rest go in the footnote */

/* A label's box on the canvas, in pixels. */
typedef struct sweep_box {
    double x0, y0, x1, y1;
} sweep_box;

static int sweep_box_overlap(const sweep_box *a, const sweep_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Chooses which Morris points get a label: by mu*, largest first, each whose label (to the
 * right of its point, or to the left when the right runs off the plot) meets no label chosen
 * before and no other point, up to SWEEP_MORRIS_MAX_LABELS. A parameter with no effect
 * (mu* = 0) is never labelled. Sets side[i] to 1 (text right of the point), -1 (left) or 0
 * (no label). */
static void sweep_morris_choose(const sweep_spec *spec, const double *xs, const double *ys, double x_to, double y_to,
                                int width, int height, int *side)
{
    size_t k = spec->parameter_count;
    double scale = charts_scale(width, height);
    double left = SWEEP_MORRIS_LEFT * scale, right = width - SWEEP_MORRIS_RIGHT * scale;
    double top = SWEEP_MORRIS_TOP * scale, bottom = height - SWEEP_MORRIS_BOTTOM * scale;
    double px[SWEEP_MAX_PARAMETERS], py[SWEEP_MAX_PARAMETERS];
    size_t order[SWEEP_MAX_PARAMETERS];
    for (size_t i = 0; i < k; i++) {
        px[i] = left + (right - left) * xs[i] / x_to;
        py[i] = bottom - (bottom - top) * ys[i] / y_to;
        order[i] = i;
        side[i] = 0;
    }
    for (size_t i = 1; i < k; i++) /* insertion sort by mu*, largest first (ties: sweep order) */
        for (size_t j = i; j > 0 && xs[order[j]] > xs[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    sweep_box chosen[SWEEP_MAX_PARAMETERS];
    size_t count = 0;
    double em = SWEEP_MORRIS_POINTS * scale, gap = 0.8 * em, dot = 0.6 * em;
    for (size_t n = 0; n < k && count < SWEEP_MORRIS_MAX_LABELS; n++) {
        size_t i = order[n];
        if (!(xs[i] > 0))
            break;
        char text[256];
        sweep_chart_parameter_label(text, sizeof text, &spec->parameters[i], "");
        double text_width = (double)text_display_width(text) * em * CHARTS_COLUMN_EM * CHARTS_PX_PER_POINT;
        for (int try = 1; try >= -1; try -= 2) {
            sweep_box box = {try > 0 ? px[i] + gap : px[i] - gap - text_width, py[i] - 0.6 * em - 1.1 * em,
                             try > 0 ? px[i] + gap + text_width : px[i] - gap, py[i] - 0.6 * em + 0.3 * em};
            int fits = box.x0 >= left && box.x1 <= right + SWEEP_MORRIS_RIGHT * scale * 0.5 && box.y0 >= top * 0.5;
            for (size_t c = 0; c < count && fits; c++)
                fits = !sweep_box_overlap(&box, &chosen[c]);
            for (size_t p = 0; p < k && fits; p++) {
                sweep_box point = {px[p] - dot, py[p] - dot, px[p] + dot, py[p] + dot};
                fits = p == i || !sweep_box_overlap(&box, &point);
            }
            if (fits) {
                side[i] = try;
                chosen[count++] = box;
                break;
            }
        }
    }
}

static int sweep_chart_morris(charts_writer *w, const sweep_result *res, const run *r, size_t o)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    const charts_options *options = charts_writer_options(w);
    sweep_chart_draft draft;
    if (sweep_chart_draft_begin(&draft, 1, 0) != DIAG_OK)
        return DIAG_SOFTWARE;
    plot_script *s = draft.script;
    sweep_chart_labels *labels = draft.labels;
    /* rates are drawn in percent (the effects are in the output's unit) */
    double unit_scale = out->is_goal ? 1 : charts_unit_scale(out->unit);
    double x_to = 0, y_to = 0, xs[SWEEP_MAX_PARAMETERS], ys[SWEEP_MAX_PARAMETERS];
    double rows[SWEEP_MAX_PARAMETERS][4];
    for (size_t i = 0; i < k; i++) {
        const sweep_index *x = &res->indices[o * k + i];
        double row[4] = {unit_scale * x->mu_star.value, unit_scale * x->sigma, unit_scale * x->mu_star.low,
                         unit_scale * x->mu_star.high};
        memcpy(rows[i], row, sizeof row);
        xs[i] = isfinite(row[0]) ? row[0] : 0;
        ys[i] = isfinite(row[1]) ? row[1] : 0;
        x_to = fmax(x_to, isfinite(row[3]) ? row[3] : xs[i]);
        y_to = fmax(y_to, ys[i]);
    }
    if (!(x_to > 0))
        x_to = 1;
    if (!(y_to > 0))
        y_to = x_to / 2;
    x_to *= 1.25;
    y_to *= 1.2;
    int side[SWEEP_MAX_PARAMETERS];
    sweep_morris_choose(spec, xs, ys, x_to, y_to, options->width, options->height, side);
    /* the parameters left without a label, named in the footnote: those with no effect, then
     * the others (too close to a labelled one) */
    char unlabelled[1024] = "", none[1024] = "", extra[2200] = "";
    for (size_t i = 0; i < k; i++)
        if (!side[i]) {
            char *list = xs[i] > 0 ? unlabelled : none;
            charts_append(list, sizeof unlabelled, "%s%s", *list ? ", " : "",
                          sweep_chart_parameter_text(&spec->parameters[i]));
        }
    if (*unlabelled)
        snprintf(extra, sizeof extra, _("not labelled (near the labelled points): %s"), unlabelled);
    if (*none) {
        char part[1100];
        snprintf(part, sizeof part, _("no effect (at the origin): %s"), none);
        charts_append(extra, sizeof extra, "%s%s", *extra ? "; " : "", part);
    }
    char title[512];
    sweep_chart_title(title, sizeof title, _("Morris screening"), out);
    sweep_chart_text(w, s, res, r, 0, title, extra);
    plot_script_datablock_begin(s, "econsim_points");
    for (size_t i = 0; i < k; i++)
        plot_script_datablock_row(s, rows[i], 4);
    plot_script_datablock_end(s);
    double lx[SWEEP_MAX_PARAMETERS], ly[SWEEP_MAX_PARAMETERS], ls[SWEEP_MAX_PARAMETERS];
    size_t count = 0;
    for (size_t i = 0; i < k; i++)
        if (side[i]) {
            sweep_chart_parameter_label(labels->text[count], sizeof labels->text[count], &spec->parameters[i], "");
            lx[count] = xs[i];
            ly[count] = ys[i];
            ls[count] = side[i];
            count++;
        }
    sweep_chart_write_labels(s, labels, count);
    if (count) {
        plot_script_number_array(s, "econsim_label_x", lx, count);
        plot_script_number_array(s, "econsim_label_y", ly, count);
        plot_script_number_array(s, "econsim_label_side", ls, count);
    }
    plot_script_number(s, "econsim_x_to", x_to);
    plot_script_number(s, "econsim_y_to", y_to);
    char label[256];
    sweep_chart_axis_label(label, sizeof label, _("mu*: mean absolute elementary effect"), out->unit);
    plot_script_string(s, "econsim_x_label", label);
    sweep_chart_axis_label(label, sizeof label, _("sigma: standard deviation of the effects"), out->unit);
    plot_script_string(s, "econsim_y_label", label);
    plot_script_string(s, "econsim_key_points", _("Parameters; whiskers: interval of mu*"));
    plot_script_string(s, "econsim_key_line", _("sigma = mu*"));
    return sweep_chart_draft_add(&draft, w, r, "morris", "morris", out->name, title, sweep_chart_variable(out, r), 0);
}

static int sweep_chart_tornado(charts_writer *w, const sweep_result *res, const run *r, size_t o, int height)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    size_t order[SWEEP_MAX_PARAMETERS];
    sweep_ranking(res, o, order);
    sweep_chart_draft draft;
    if (sweep_chart_draft_begin(&draft, 1, 0) != DIAG_OK)
        return DIAG_SOFTWARE;
    plot_script *s = draft.script;
    sweep_chart_labels *labels = draft.labels;
    char title[512];
    sweep_chart_title(title, sizeof title, _("One at a time (tornado)"), out);
    sweep_chart_text(w, s, res, r, height, title, NULL);
    double unit_scale = out->is_goal ? 1 : charts_unit_scale(out->unit);
    double base = unit_scale * res->y[o]; /* run 0 is the scenario itself */
    double lo = base, hi = base;
    plot_script_datablock_begin(s, "econsim_bars");
    for (size_t j = 0; j < k; j++) {
        const sweep_parameter *param = &spec->parameters[order[j]];
        const sweep_index *x = &res->indices[o * k + order[j]];
        double row[3] = {(double)(j + 1), unit_scale * x->value_low, unit_scale * x->value_high};
        plot_script_datablock_row(s, row, 3);
        lo = fmin(lo, fmin(row[1], row[2]));
        hi = fmax(hi, fmax(row[1], row[2]));
        char low_text[64], high_text[64], suffix[2 * 64 + 8]; /* " (low / high)" */
        units_format_value(low_text, sizeof low_text, param->low, param->unit);
        units_format_value(high_text, sizeof high_text, param->high, param->unit);
        snprintf(suffix, sizeof suffix, " (%s / %s)", low_text, high_text);
        sweep_chart_parameter_label(labels->text[j], sizeof labels->text[j], param, suffix);
    }
    plot_script_datablock_end(s);
    double pad = hi > lo ? (hi - lo) * SWEEP_CHART_PAD : fabs(base) * SWEEP_CHART_FLAT_PAD + SWEEP_CHART_PAD_FLOOR;
    sweep_chart_write_labels(s, labels, k);
    plot_script_number(s, "econsim_base", base);
    plot_script_number(s, "econsim_x_from", lo - pad);
    plot_script_number(s, "econsim_x_to", hi + pad);
    char label[256], value[64];
    sweep_chart_axis_label(label, sizeof label, _("Output value"), out->unit);
    plot_script_string(s, "econsim_x_label", label);
    units_format_value(value, sizeof value, res->y[o], out->unit);
    snprintf(label, sizeof label, _("Scenario: %s"), value);
    plot_script_string(s, "econsim_base_label", label);
    plot_script_string(s, "econsim_key_low", _("Parameter low"));
    plot_script_string(s, "econsim_key_high", _("Parameter high"));
    return sweep_chart_draft_add(&draft, w, r, "tornado", "tornado", out->name, title, sweep_chart_variable(out, r),
                                 height);
}

static int sweep_chart_heatmap(charts_writer *w, const sweep_result *res, const run *r, const goals_set *goals, size_t o)
{
    const sweep_spec *spec = res->spec;
    const sweep_output *out = &spec->outputs[o];
    const sweep_parameter *px = &spec->parameters[0], *py = &spec->parameters[1];
    sweep_chart_draft draft;
    if (sweep_chart_draft_begin(&draft, 0, 0) != DIAG_OK)
        return DIAG_SOFTWARE;
    plot_script *s = draft.script;
    /* rates (parameters and output) are drawn in percent */
    double sx = charts_unit_scale(px->unit), sy = charts_unit_scale(py->unit), sz = charts_unit_scale(out->unit);
    char title[512], label[512];
    sweep_chart_title(title, sizeof title, _("Grid sweep"), out);
    /* the first level goal on this variable and year, and whether the grid reaches it */
    const goals_goal *goal = NULL;
    for (size_t g = 0; goals && g < goals->count && !goal; g++)
        if (goals->goals[g].slot == out->slot && goals->goals[g].year == out->year &&
            goals->goals[g].kind == GOALS_LEVEL)
            goal = &goals->goals[g];
    double low = INFINITY, high = -INFINITY;
    plot_script_datablock_begin(s, "econsim_grid");
    for (size_t a = 0; a < px->value_count; a++) {
        for (size_t b = 0; b < py->value_count; b++) {
            size_t run_index = a * py->value_count + b;
            double z = res->y[run_index * spec->output_count + o];
            double row[3] = {sx * px->values[a], sy * py->values[b], sz * z};
            plot_script_datablock_row(s, row, 3);
            if (isfinite(z)) {
                low = fmin(low, z);
                high = fmax(high, z);
            }
        }
        plot_script_datablock_gap(s);
    }
    plot_script_datablock_end(s);
    int reached = goal && low <= goal->target && goal->target <= high;
    sweep_chart_text(w, s, res, r, 0, title, NULL);
    for (int axis = 0; axis < 2; axis++) {
        const sweep_parameter *p = axis ? py : px;
        sweep_chart_axis_label(label, sizeof label, sweep_chart_parameter_text(p), p->unit);
        plot_script_string(s, axis ? "econsim_y_label" : "econsim_x_label", label);
    }
    sweep_chart_axis_label(label, sizeof label, out->label, out->unit);
    plot_script_string_cut(s, "econsim_cb_label", label, PLOT_LABEL_COLUMNS);
    plot_script_printf(s, "econsim_has_contour = %d\n", reached);
    plot_script_number(s, "econsim_contour_level", reached ? sz * goal->target : 0);
    char target[96], best[96];
    if (goal) {
        sweep_chart_value(target, sizeof target, goal->target, out->unit);
        sweep_chart_value(best, sizeof best, goal->target < low ? low : high, out->unit);
    }
    const char *goal_label = goal ? (goal->label ? goal->label : goal->id) : "";
    int above = goal && goal->target < low; /* else below every value (when not reached) */
    int met = goal && ((goal->direction == GOALS_AT_MOST) != above);
    if (reached)
        snprintf(label, sizeof label, _("Goal %s: %s (the line where the output meets it)"), goal_label, target);
    else if (goal && met)
        snprintf(label, sizeof label,
                 above ? _("Goal %s: %s is met everywhere on this grid (lowest value %s)")
                       : _("Goal %s: %s is met everywhere on this grid (highest value %s)"),
                 goal_label, target, best);
    else if (goal)
        snprintf(label, sizeof label,
                 above ? _("Goal %s: %s is out of reach on this grid (lowest value %s): no line drawn")
                       : _("Goal %s: %s is out of reach on this grid (highest value %s): no line drawn"),
                 goal_label, target, best);
    plot_script_string(s, "econsim_contour_label", goal ? label : "");
    return sweep_chart_draft_add(&draft, w, r, "heatmap", "heatmap", out->name, title, sweep_chart_variable(out, r), 0);
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
    if (!first)
        return DIAG_OK;
    sweep_chart_draft draft;
    if (sweep_chart_draft_begin(&draft, 1, 1 + 4 * k) != DIAG_OK)
        return DIAG_SOFTWARE;
    plot_script *s = draft.script;
    sweep_chart_labels *labels = draft.labels;
    double *row = draft.row;
    const char *name = r->model->slots[first->slot].name;
    const char *label = r->model->slots[first->slot].label;
    char title[512];
    if (first->unit && *first->unit)
        snprintf(title, sizeof title, sobol ? _("Sobol' indices year by year: %s [%s]") : _("Morris mu* year by year: %s [%s]"),
                 label && *label ? label : name, first->unit);
    else
        snprintf(title, sizeof title, sobol ? _("Sobol' indices year by year: %s") : _("Morris mu* year by year: %s"),
                 label && *label ? label : name);
    /* the axis names the quantity; what the lines are goes in the footnote (a long rotated
     * label would outgrow the plot's height) */
    sweep_chart_text(w, s, res, r, 0, title,
                     sobol ? _("solid: ST with its interval; dashed: S1") : _("solid: mu* with its interval; dashed: sigma"));
    /* Sobol' indices (shares of the variance) and rates are drawn in percent */
    double unit_scale = sobol ? 100 : charts_unit_scale(first->unit);
    double low = 0, high = sobol ? 100 : 0;
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
            row[1 + 4 * i] = unit_scale * e->value;
            row[2 + 4 * i] = unit_scale * (isfinite(e->low) ? e->low : e->value);
            row[3 + 4 * i] = unit_scale * (isfinite(e->high) ? e->high : e->value);
            row[4 + 4 * i] = unit_scale * (sobol ? x->first.value : x->sigma);
            for (size_t c = 1; c <= 4; c++)
                if (isfinite(row[c + 4 * i])) {
                    low = fmin(low, row[c + 4 * i]);
                    high = fmax(high, row[c + 4 * i]);
                }
        }
        plot_script_datablock_row(s, row, 1 + 4 * k);
    }
    plot_script_datablock_end(s);
    sweep_chart_key_labels(s, spec, labels);
    plot_script_printf(s, "econsim_count = %zu\neconsim_second = 1\n", k);
    char y_label[256];
    if (sobol)
        snprintf(y_label, sizeof y_label, "%s", _("ST and S1: share of the variance [%]"));
    else
        sweep_chart_axis_label(y_label, sizeof y_label, _("mu* and sigma"), first->unit);
    plot_script_string(s, "econsim_y_label", y_label);
    plot_script_string(s, "econsim_x_label", _("Year"));
    double pad = (high - low) * 0.05 + 1e-9;
    plot_script_number(s, "econsim_y_from", low < 0 ? low - pad : 0);
    plot_script_number(s, "econsim_y_to", high + pad);
    plot_script_number(s, "econsim_year_from", year_from);
    plot_script_number(s, "econsim_year_to", year_to);
    return sweep_chart_draft_add(&draft, w, r, sobol ? "sobol-years" : "morris-years", "indices-years", name, title,
                                 name, 0);
}

/* "samples": "auto": output o's ST of each parameter against N, with its band. */
static int sweep_chart_convergence(charts_writer *w, const sweep_result *res, const run *r, size_t o)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const sweep_output *out = &spec->outputs[o];
    sweep_chart_draft draft;
    if (sweep_chart_draft_begin(&draft, 1, 1 + 3 * k) != DIAG_OK)
        return DIAG_SOFTWARE;
    plot_script *s = draft.script;
    sweep_chart_labels *labels = draft.labels;
    double *row = draft.row;
    char title[512];
    sweep_chart_title(title, sizeof title, _("Convergence (samples: auto)"), out);
    sweep_chart_text(w, s, res, r, 0, title, NULL);
    /* ST is drawn in percent of the output's variance */
    double low = 0, high = 100;
    plot_script_datablock_begin(s, "econsim_steps");
    for (size_t step = 0; step < res->convergence_steps; step++) {
        const sweep_convergence *c = &res->convergence[step];
        row[0] = (double)c->samples;
        for (size_t i = 0; i < k; i++) {
            const sensitivity_estimate *e = &c->total[o * k + i];
            row[1 + 3 * i] = 100 * e->value;
            row[2 + 3 * i] = 100 * (isfinite(e->low) ? e->low : e->value);
            row[3 + 3 * i] = 100 * (isfinite(e->high) ? e->high : e->value);
            low = fmin(low, row[2 + 3 * i]);
            high = fmax(high, row[3 + 3 * i]);
        }
        plot_script_datablock_row(s, row, 1 + 3 * k);
    }
    plot_script_datablock_end(s);
    sweep_chart_key_labels(s, spec, labels);
    plot_script_printf(s, "econsim_count = %zu\n", k);
    plot_script_number(s, "econsim_y_from", low < 0 ? low - 2 : 0);
    plot_script_number(s, "econsim_y_to", high + 2);
    plot_script_string(s, "econsim_x_label", _("N (base sample rows, log scale)"));
    plot_script_string(s, "econsim_y_label", _("ST (total-order index) and its interval [%]"));
    plot_script_number(s, "econsim_n_from", (double)res->convergence[0].samples);
    plot_script_number(s, "econsim_n_to", (double)res->convergence[res->convergence_steps - 1].samples);
    return sweep_chart_draft_add(&draft, w, r, "convergence", "convergence", out->name, title,
                                 sweep_chart_variable(out, r), 0);
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
        diag_warning(d, _("no heatmap: a grid sweep is drawn when it has exactly two parameters of two values or more"));
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
            diag_oom(d, _("drawing a sweep chart"));
    }
    for (size_t i = 0; i < spec->output_count && status == DIAG_OK && res->convergence_steps; i++) {
        if (!(res->statistics[i].max > res->statistics[i].min))
            continue;
        status = sweep_chart_convergence(w, res, r, i);
        if (status == DIAG_SOFTWARE && d->status == DIAG_OK)
            diag_oom(d, _("drawing a sweep chart"));
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
            diag_oom(d, _("drawing a sweep chart"));
    }
    return charts_writer_end(w, status);
}
