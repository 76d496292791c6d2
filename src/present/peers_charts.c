/* peers_charts.c: the peers charts (peers_write.h), one per variable compared, built as chart
 * descriptions for the chart API (charts.h): home and each peer as lines split by origin (data
 * solid, projection dashed), the years the order changes marked, and the sources of the data
 * in the footnote. */
#include "peers_write.h"
#include "i18n.h"
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

/* The notes of the marks: "N: passes PLACE in YEAR", "N: falls behind PLACE in YEAR", "N:
 * still behind PLACE in YEAR" (the end of the horizon). */
static void peers_mark_text(char *buf, size_t size, size_t number, int year, int direction, const char *place)
{
    char cut[256];
    snprintf(cut, sizeof cut, "%s", place);
    text_truncate(cut, PLOT_LABEL_COLUMNS);
    if (direction > 0)
        snprintf(buf, size, _("%zu: passes %s in %d"), number, cut, year);
    else if (direction < 0)
        snprintf(buf, size, _("%zu: falls behind %s in %d"), number, cut, year);
    else
        snprintf(buf, size, _("%zu: still behind %s in %d"), number, cut, year);
}

/* The marks: the years in which home passes or falls behind a peer (history and projection
 * alike), and, for a peer home never reaches, a note at the end of the horizon; from `from`
 * on, at most CHARTS_MAX_MARKS. Each is numbered; the points on home's line carry the numbers
 * (marks at one point share it: "2,3"), the notes are listed in a corner of the plot. */
static void peers_chart_marks(plot_script *s, const peers_variable *v, int from, double scale)
{
    size_t marks = 0, points = 0;
    double point_years[CHARTS_MAX_MARKS], point_values[CHARTS_MAX_MARKS];
    char texts[CHARTS_MAX_MARKS][320], numbers[CHARTS_MAX_MARKS][48];
    const char *text_pointers[CHARTS_MAX_MARKS], *number_pointers[CHARTS_MAX_MARKS];
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
            peers_mark_text(texts[marks], sizeof texts[marks], marks + 1, year, direction, line->place);
            text_pointers[marks] = texts[marks];
            size_t p = 0;
            while (p < points && point_years[p] != year)
                p++;
            if (p == points) {
                point_years[p] = year;
                point_values[p] = value * scale;
                snprintf(numbers[p], sizeof numbers[p], "%zu", marks + 1);
                points++;
            } else {
                charts_append(numbers[p], sizeof numbers[p], ",%zu", marks + 1);
            }
            marks++;
        }
    }
    for (size_t p = 0; p < points; p++)
        number_pointers[p] = numbers[p];
    plot_script_append(s, "\n");
    plot_script_comment(s, "order changes: the points on home's line (year, value, the numbers of their notes), "
                           "then the notes");
    plot_script_number_array(s, "econsim_point_years", point_years, points);
    plot_script_number_array(s, "econsim_point_values", point_values, points);
    plot_script_string_array(s, "econsim_point_labels", number_pointers, points);
    plot_script_string_array(s, "econsim_mark_texts", text_pointers, marks);
    double first = NAN;
    for (size_t t = 0; home && t < home->series.years && !isfinite(first); t++)
        if (home->series.first_year + (int)t >= from)
            first = home->series.value[t] * scale;
    plot_script_number(s, "econsim_home_first_value", isfinite(first) ? first : 0);
}

static int peers_chart(charts_writer *w, const run *r, const peers_comparison *c, const peers_variable *v, diag *d)
{
    plot_script *s = plot_script_new();
    charts_set_item *items = mem_calloc(v->line_count ? v->line_count : 1, sizeof *items);
    if (!s || !items) {
        plot_script_free(s);
        mem_free(items);
        return diag_oom(d, _("writing a peers chart"));
    }
    double scale = charts_unit_scale(v->unit);
    char sources[2048] = "";
    size_t count = peers_chart_items(v, items, sources, sizeof sources);
    char title[512];
    snprintf(title, sizeof title, _("%s: %s and its peers — %s"), v->label, c->home, scenario_title(r->scenario));
    charts_write_unit(s, v->unit);
    static const charts_text texts[] = {{"econsim_text_forecast", N_("projection →")}};
    charts_write_texts(s, texts, sizeof texts / sizeof *texts);
    char footnote[2300], note[2600];
    charts_footnote_scenario(footnote, sizeof footnote, r, 0);
    snprintf(note, sizeof note,
             _("Solid: data (hollow points: from growth rates or interpolated); dashed: projection; sources: %s"),
             sources[0] ? sources : "—");
    {
        /* the key: one entry per place */
        const char *key[32];
        char cut[32][256];
        size_t n = 0;
        for (size_t i = 0; i < count && n < 32; i++, n++) {
            snprintf(cut[n], sizeof cut[n], "%s", items[i].title);
            text_truncate(cut[n], PLOT_LABEL_COLUMNS);
            key[n] = cut[n];
        }
        const charts_options *o = charts_writer_options(w);
        charts_write_key(s, o->width, o->height, key, n);
    }
    int from = 0, to = 0;
    double low, high;
    if (charts_write_set(s, items, count, scale, &from, &to, &low, &high) != 0) {
        plot_script_free(s);
        mem_free(items);
        return diag_oom(d, _("writing a peers chart"));
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
                          .variable = v->name, .scenario_name = r->scenario->name, .body = s,
                          .footnote = footnote, .footnote2 = note};
    int status = count ? charts_writer_add(w, &chart) : DIAG_OK;
    if (!count)
        diag_warning(d, _("no peers chart for %s: no place has data"), v->name);
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
