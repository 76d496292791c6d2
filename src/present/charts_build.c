/* charts_build.c: the helpers every chart builder shares (charts.h): units and footnotes,
 * sources, years on the axis, and the series of a line split by origin, alone or as a set. */
#include "charts.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* ---------------------------------------------------------------------------------------- */
/* Text */

/* Appends formatted text to buf (size bytes) if it fits whole. */
void charts_append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - used)
        buf[used] = '\0'; /* did not fit: leave it out */
}

/* The unit as shown on an axis: rates in percent. */
const char *charts_unit_text(const char *unit)
{
    if (units_is_rate(unit))
        return "%";
    if (!strcmp(unit, "count"))
        return _("count");
    if (!strcmp(unit, "index"))
        return _("index");
    return unit;
}

void charts_write_unit(plot_script *s, const char *unit)
{
    const char *shown = charts_unit_text(unit);
    plot_script_string_cut(s, "econsim_unit", shown, PLOT_UNIT_COLUMNS);
    char label[160], cut[128];
    snprintf(cut, sizeof cut, "%s", shown);
    text_truncate(cut, PLOT_UNIT_COLUMNS);
    snprintf(label, sizeof label, _("Unit: %s"), cut);
    plot_script_string(s, "econsim_unit_label", label);
    plot_script_printf(s, "econsim_y_percent = %d\n", units_is_rate(unit) ? 1 : 0);
}

void charts_write_texts(plot_script *s, const charts_text *texts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        plot_script_string(s, texts[i].name, _(texts[i].text));
}

/* Values of rates are drawn in percent. */
double charts_unit_scale(const char *unit)
{
    return units_is_rate(unit) ? 100.0 : 1.0;
}

/* The scale of a chart's fonts, lines and character margins: 1 at 1000x600, in proportion to
 * the smaller of width / 1000 and height / 600, within CHARTS_SCALE_MIN..CHARTS_SCALE_MAX. */
double charts_scale(int width, int height)
{
    double scale = fmin(width / 1000.0, height / 600.0);
    return fmin(fmax(scale, CHARTS_SCALE_MIN), CHARTS_SCALE_MAX);
}

/* Footnote columns that fit the chart width: a column is at most 0.55 em of the style's 8-point
 * footnote font (a Latin letter; a CJK character is 2 columns and about 1 em), at the largest
 * scale a chart `width` pixels wide can have, less 30 pixels of margin. */
size_t charts_footnote_columns(int width)
{
    double scale = fmin(fmax(width / 1000.0, CHARTS_SCALE_MIN), CHARTS_SCALE_MAX);
    return (size_t)((width - 30) / (CHARTS_COLUMN_EM * 8 * CHARTS_PX_PER_POINT * scale));
}

/* Columns of a title (the style's 15-point title font) on a chart width x height: gnuplot
 * centres a title over the plot, not the canvas, so a title is kept within 62% of the width,
 * which fits whenever the left margin exceeds the right by less than 38% of the width (the
 * labels of the widest charts, Sobol' bars and goals, take about a quarter). */
size_t charts_title_columns(int width, int height)
{
    return (size_t)(width * 0.62 / (CHARTS_COLUMN_EM * 15 * CHARTS_PX_PER_POINT * charts_scale(width, height)));
}

void charts_write_key(plot_script *s, int width, int height, const char *const *titles, size_t count)
{
    double scale = charts_scale(width, height);
    size_t widest = 1;
    for (size_t i = 0; i < count; i++) {
        size_t w = titles[i] ? text_display_width(titles[i]) : 0;
        widest = w > widest ? w : widest;
    }
    /* a column as gnuplot lays the key out: the widest title and the sample and gaps (about 6.5
     * characters), each character the 11-point font's character width (0.7 em in the svg
     * terminal, less in the cairo ones) */
    double column = (widest + 6.5) * 0.7 * 11 * CHARTS_PX_PER_POINT * scale;
    size_t columns = (size_t)(width * 0.94 / column);
    columns = columns < 1 ? 1 : columns > count ? (count ? count : 1) : columns;
    size_t rows = count ? (count + columns - 1) / columns : 1;
    plot_script_printf(s, "econsim_key_columns = %zu\neconsim_key_rows = %zu\n", columns, rows);
}

/* Is a line break allowed before the character at `at` (previous character `before`)? After a
 * space, and between characters of which one is wide (CJK text breaks between characters), but
 * never before closing punctuation. */
static int charts_can_break(unsigned before, unsigned at)
{
    if (at == ' ' || at == ',' || at == ';' || at == ')' || at == 0xFF0C || at == 0x3001 || at == 0x3002 ||
        at == 0xFF1B || at == 0xFF09 || at == 0xFF1A)
        return 0;
    if (before == ' ')
        return 1;
    if (before == '(' || before == 0xFF08)
        return 0;
    return text_codepoint_width(before) == 2 || text_codepoint_width(at) == 2;
}

size_t charts_wrap(const char *text, size_t columns, char *lines, size_t line_size, size_t max_lines)
{
    if (columns < 4)
        columns = 4;
    for (size_t i = 0; i < max_lines; i++)
        lines[i * line_size] = '\0';
    size_t count = 0, length = strlen(text), start = 0;
    while (start < length) {
        while (text[start] == ' ')
            start++;
        if (start >= length)
            break;
        size_t at = start, width = 0, cut = 0, space_cut = 0, space_width = 0;
        unsigned before = 0;
        while (at < length) {
            unsigned cp = 0;
            int n = text_utf8_next(text + at, &cp);
            if (n <= 0)
                n = 1;
            int w = text_codepoint_width(cp);
            w = w < 0 ? 0 : w;
            if (at > start && charts_can_break(before, cp)) {
                cut = at;
                if (before == ' ') {
                    space_cut = at;
                    space_width = width;
                }
            }
            if (width + (size_t)w > columns)
                break;
            width += (size_t)w;
            before = cp;
            at += (size_t)n;
        }
        /* between words rather than inside a run of CJK characters, unless that wastes more
         * than 40% of the line */
        if (at < length && space_cut > start && space_width * 10 >= columns * 6)
            cut = space_cut;
        size_t end = at >= length ? length : cut > start ? cut : at;
        if (end == start) /* one character wider than the line */
            end = at + 1;
        if (count < max_lines) {
            char *line = lines + count * line_size;
            if (count + 1 == max_lines && end < length) {
                /* the last line holds the rest, cut with "…" */
                snprintf(line, line_size, "%s", text + start);
                text_truncate(line, columns);
            } else {
                size_t bytes = end - start < line_size - 1 ? end - start : line_size - 1;
                memcpy(line, text + start, bytes);
                while (bytes > 0 && line[bytes - 1] == ' ')
                    bytes--;
                line[bytes] = '\0';
            }
        }
        count++;
        start = end;
    }
    return count;
}

/* Collects distinct "source (grade)" texts into buf, "; "-separated. */
void charts_add_source(char *buf, size_t size, const history_row *row)
{
    const char *source = history_row_source(row);
    if (!source || !source[0])
        return;
    char item[600];
    if (row->reliability && row->reliability[0])
        snprintf(item, sizeof item, "%s (%s)", source, row->reliability);
    else
        snprintf(item, sizeof item, "%s", source);
    /* already listed? compare whole items between separators */
    for (const char *p = buf; *p;) {
        size_t n = strcspn(p, ";");
        if (n == strlen(item) && !strncmp(p, item, n))
            return;
        p += n;
        while (*p == ';' || *p == ' ')
            p++;
    }
    charts_append(buf, size, "%s%s", buf[0] ? "; " : "", item);
}

/* The first footnote line: scenario, model, program. */
void charts_footnote_scenario(char *buf, size_t size, const run *r, int width)
{
    snprintf(buf, size, _("Scenario: %s (%s) · model: %s · econsim %s"), scenario_title(r->scenario), r->scenario->name,
             model_title(r->model) ? model_title(r->model) : r->model->name, ECONSIM_VERSION);
    if (width > 0)
        text_truncate(buf, charts_footnote_columns(width));
}

/* The basename of a path. */
const char *charts_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---------------------------------------------------------------------------------------- */
/* Series: one line of a chart, split by origin */

int charts_is_data(sim_origin origin)
{
    return origin == SIM_ORIGIN_OBSERVED || origin == SIM_ORIGIN_DERIVED || origin == SIM_ORIGIN_INTERPOLATED ||
           origin == SIM_ORIGIN_INITIAL;
}

static int charts_is_projection(sim_origin origin)
{
    /* an estimate before start is drawn with the projection (dashed), never as history */
    return origin == SIM_ORIGIN_MODEL || origin == SIM_ORIGIN_PROJECTED || origin == SIM_ORIGIN_ASSUMED ||
           origin == SIM_ORIGIN_ESTIMATED;
}

/* Writes $<prefix>_history (year value, a blank line where a year lacks data), _observed,
 * _estimated (derived, interpolated, initial) and _projection (year value from the last
 * value before each projected run), values times `scale`, and `<prefix>_*_points` counts. */
void charts_write_series(plot_script *s, const char *prefix, const charts_series *series, double scale,
                         charts_series_counts *counts)
{
    memset(counts, 0, sizeof *counts);
    counts->min = INFINITY;
    counts->max = -INFINITY;
    char name[96];
    static const char *const parts[] = {"history", "observed", "estimated", "projection"};
    for (size_t part = 0; part < 4; part++) {
        snprintf(name, sizeof name, "%s_%s", prefix, parts[part]);
        plot_script_datablock_begin(s, name);
        size_t rows = 0;
        int open = 0;        /* a line segment is open (history, projection) */
        int gap_pending = 0; /* a segment ended: a blank line goes before the next row */
        for (size_t t = 0; t < series->years; t++) {
            double v = series->value[t];
            sim_origin origin = (sim_origin)series->origin[t];
            int year = series->first_year + (int)t;
            int has = isfinite(v) && origin != SIM_ORIGIN_NONE && year >= series->first_drawn;
            int take;
            switch (part) {
            case 0:
                take = has && charts_is_data(origin);
                break;
            case 1:
                take = has && origin == SIM_ORIGIN_OBSERVED;
                break;
            case 2:
                take = has && charts_is_data(origin) && origin != SIM_ORIGIN_OBSERVED;
                break;
            default:
                take = has && charts_is_projection(origin);
                break;
            }
            if (!take) {
                if (open && (part == 0 || part == 3))
                    gap_pending = 1;
                open = 0;
                continue;
            }
            if (gap_pending)
                plot_script_datablock_gap(s);
            gap_pending = 0;
            if (part == 3 && !open && t > 0 && isfinite(series->value[t - 1]) &&
                series->origin[t - 1] != SIM_ORIGIN_NONE) {
                /* start the dashed line at the value before it, so the line is unbroken */
                double row[2] = {year - 1, series->value[t - 1] * scale};
                plot_script_datablock_row(s, row, 2);
            }
            double row[2] = {year, v * scale};
            plot_script_datablock_row(s, row, 2);
            rows++;
            open = 1;
            if (v * scale < counts->min)
                counts->min = v * scale;
            if (v * scale > counts->max)
                counts->max = v * scale;
            if (!counts->first_year || year < counts->first_year)
                counts->first_year = year;
            if (year > counts->last_year)
                counts->last_year = year;
        }
        plot_script_datablock_end(s);
        size_t *count = part == 0 ? &counts->history : part == 1 ? &counts->observed
                                                     : part == 2 ? &counts->estimated : &counts->projection;
        *count = rows;
        snprintf(name, sizeof name, "%s_%s_points", prefix, parts[part]);
        plot_script_number(s, name, (double)rows);
    }
}

/* A run's series for slot: the cells shown in outputs (report.c's rule). Arrays are owned by
 * the caller (charts_series_release). Returns 0, or -1 when out of memory. */
int charts_run_series(const run *r, int slot, charts_series *out)
{
    const sim_plan *plan = r->plan;
    memset(out, 0, sizeof *out);
    out->first_year = plan->first_year;
    out->years = plan->years;
    out->value = mem_calloc(plan->years ? plan->years : 1, sizeof *out->value);
    out->origin = mem_calloc(plan->years ? plan->years : 1, sizeof *out->origin);
    out->source = mem_calloc(plan->years ? plan->years : 1, sizeof *out->source);
    if (!out->value || !out->origin || !out->source)
        return -1;
    for (size_t t = 0; t < plan->years; t++) {
        size_t c = (size_t)slot * plan->years + t;
        int shown = sim_plan_cell_shown(plan, (size_t)slot, t);
        out->value[t] = shown ? run_slot_value(r, slot, plan->first_year + (int)t) : NAN;
        out->origin[t] = shown ? plan->origin[c] : SIM_ORIGIN_NONE;
        out->source[t] = shown ? plan->source[c] : NULL;
    }
    return 0;
}

void charts_series_release(charts_series *s)
{
    mem_free(s->value);
    mem_free(s->origin);
    mem_free(s->source);
    memset(s, 0, sizeof *s);
}

/* Whole-year tics: a step that keeps about 15 labels at most, and the first multiple of it. */
void charts_write_years(plot_script *s, int from, int to)
{
    int span = to - from;
    int step = span <= 15 ? 1 : span <= 30 ? 2 : span <= 75 ? 5 : span <= 150 ? 10 : 20;
    int first = from % step == 0 ? from : from + (step - from % step);
    plot_script_printf(s, "econsim_year_from = %d\neconsim_year_to = %d\neconsim_year_step = %d\n"
                          "econsim_year_first_tic = %d\n",
                       from, to, step, first);
}

/* ---------------------------------------------------------------------------------------- */
/* Series sets: peers and scenario comparisons */

int charts_write_set(plot_script *s, const charts_set_item *items, size_t count, double scale, int *from,
                     int *to, double *low, double *high)
{
    const char **titles = mem_calloc(count ? count : 1, sizeof *titles);
    if (!titles)
        return -1;
    *low = INFINITY;
    *high = -INFINITY;
    for (size_t i = 0; i < count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "econsim_%zu", i + 1);
        plot_script_append(s, "\n");
        plot_script_comment(s, "series %zu: years and values", i + 1);
        charts_series_counts counts;
        charts_write_series(s, prefix, &items[i].series, scale, &counts);
        if (counts.first_year && (!*from || counts.first_year < *from))
            *from = counts.first_year;
        if (counts.last_year > *to)
            *to = counts.last_year;
        *low = fmin(*low, counts.min);
        *high = fmax(*high, counts.max);
        titles[i] = items[i].title;
    }
    /* key entries are cut: gnuplot gives up on one wider than the chart */
    plot_script_string_array_cut(s, "econsim_series_titles", titles, count, PLOT_LABEL_COLUMNS);
    mem_free(titles);
    return 0;
}
