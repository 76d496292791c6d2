/* peers_charts.c: the peers charts (peers_write.h), one per variable compared, built as chart
 * descriptions for the chart API (charts.h): home and each peer as lines split by origin (data
 * solid, projection dashed), the years the order changes marked, and the sources of the data
 * in the footnote. */
#include "peers_write.h"
#include "mem.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Most order flips and end notes marked on one peers chart (more would hide the lines). */
#define CHARTS_MAX_MARKS 12

/* The lines of the chart: every place with data, over the comparison years only (a value
 * chained back before them is not compared), into items; collects their sources into
 * sources. Returns how many. */
static size_t peers_chart_items(const peers_variable *v, charts_set_item *items, char *sources, size_t size)
{
    size_t count = 0;
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA)
            continue;
        int first = v->first_year > line->series.first_year ? v->first_year : line->series.first_year;
        int last = line->series.first_year + (int)line->series.years - 1;
        if (last > v->last_year)
            last = v->last_year;
        if (last < first)
            continue;
        size_t skip = (size_t)(first - line->series.first_year);
        items[count].title = line->place;
        items[count].series.first_year = first;
        items[count].series.years = (size_t)(last - first + 1);
        items[count].series.value = line->series.value + skip;
        items[count].series.origin = line->series.origin + skip;
        items[count].series.source = line->series.source ? line->series.source + skip : NULL;
        for (size_t t = 0; t < items[count].series.years; t++)
            if (charts_is_data((sim_origin)items[count].series.origin[t]) && items[count].series.source)
                charts_add_source(sources, size, items[count].series.source[t]);
        count++;
    }
    return count;
}

/* The marks: the years in which home passes or falls behind a peer (history and projection
 * alike), and, for a peer home never reaches, a note at the end of the horizon; from `from`
 * on, at most CHARTS_MAX_MARKS. */
static void peers_chart_marks(plot_script *s, const peers_variable *v, int from, double scale)
{
    size_t marks = 0;
    double mark_years[CHARTS_MAX_MARKS], mark_values[CHARTS_MAX_MARKS], mark_directions[CHARTS_MAX_MARKS];
    const char *mark_names[CHARTS_MAX_MARKS];
    const peers_line *home = v->line_count ? &v->lines[0] : NULL;
    for (size_t i = 1; home && i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        for (size_t k = 0; k <= line->crossing_count && marks < CHARTS_MAX_MARKS; k++) {
            int year, direction;
            if (k < line->crossing_count) {
                year = line->crossings[k].year;
                direction = line->crossings[k].direction;
            } else if (line->standing == PEERS_STANDING_BEHIND) {
                year = v->last_year;
                direction = 0;
            } else {
                break;
            }
            double value = peers_series_value(&home->series, year);
            if (year < from || !isfinite(value))
                continue;
            mark_years[marks] = year;
            mark_values[marks] = value * scale;
            mark_directions[marks] = direction;
            mark_names[marks] = line->place;
            marks++;
        }
    }
    plot_script_append(s, "\n");
    plot_script_comment(s, "catch-up marks: year, home's value, +1 passes / -1 falls behind / 0 still behind the peer "
                           "at the end");
    plot_script_number_array(s, "econsim_mark_years", mark_years, marks);
    plot_script_number_array(s, "econsim_mark_values", mark_values, marks);
    plot_script_number_array(s, "econsim_mark_directions", mark_directions, marks);
    plot_script_string_array_cut(s, "econsim_mark_places", mark_names, marks, PLOT_LABEL_COLUMNS);
}

static int peers_chart(charts_writer *w, const run *r, const peers_comparison *c, const peers_variable *v, diag *d)
{
    const charts_options *o = charts_writer_options(w);
    plot_script *s = plot_script_new();
    charts_set_item *items = mem_calloc(v->line_count ? v->line_count : 1, sizeof *items);
    if (!s || !items) {
        plot_script_free(s);
        mem_free(items);
        return diag_oom(d, "writing a peers chart");
    }
    double scale = charts_unit_scale(v->unit);
    char sources[2048] = "";
    size_t count = peers_chart_items(v, items, sources, sizeof sources);
    char title[512];
    snprintf(title, sizeof title, "%s: %s与同类县市 — %s", v->label, c->home, scenario_title(r->scenario));
    plot_script_string(s, "econsim_title", title);
    plot_script_string_cut(s, "econsim_unit", charts_unit_text(v->unit), PLOT_UNIT_COLUMNS);
    char footnote[2300];
    charts_footnote_scenario(footnote, sizeof footnote, r, o->width);
    plot_script_string(s, "econsim_footnote", footnote);
    snprintf(footnote, sizeof footnote, "实线: 数据 (空心点: 由增速推算或插值); 虚线: 预测; 来源: %s",
             sources[0] ? sources : "—");
    text_truncate(footnote, charts_footnote_columns(o->width));
    plot_script_string(s, "econsim_footnote2", footnote);
    int from = 0, to = 0;
    double low, high;
    if (charts_write_set(s, items, count, scale, &from, &to, &low, &high) != 0) {
        plot_script_free(s);
        mem_free(items);
        return diag_oom(d, "writing a peers chart");
    }
    if (from < v->first_year)
        from = v->first_year;

    peers_chart_marks(s, v, from, scale);
    charts_write_years(s, from ? from : v->first_year, to ? to : v->last_year);
    plot_script_printf(s, "econsim_y_from_zero = %d\n", isfinite(low) && low >= 0 ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", isfinite(high) ? high : 0);
    plot_script_printf(s, "econsim_start = %d\n", r->scenario->start);

    char slug[96];
    snprintf(slug, sizeof slug, "peers-%s", v->name);
    charts_chart chart = {.slug = slug, .kind = "peers", .template_name = "peers", .title = title,
                          .variable = v->name, .scenario_name = r->scenario->name, .body = s};
    int status = count ? charts_writer_add(w, &chart) : DIAG_OK;
    if (!count)
        diag_warning(d, "no peers chart for %s: no place has data", v->name);
    plot_script_free(s);
    mem_free(items);
    return status;
}

int peers_write_charts(charts_writer *w, const run *r, const peers_comparison *c, diag *d)
{
    int status = DIAG_OK;
    for (size_t i = 0; status == DIAG_OK && i < c->variable_count; i++)
        status = peers_chart(w, r, c, &c->variables[i], d);
    return status;
}
