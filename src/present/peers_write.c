/* peers_write.c: the peer comparison (peers.h) for people and files (peers_write.h): the
 * tables on stdout, peers.csv, and the "peers" part of summary.json, the last kept apart at
 * the end of the file. (The peers charts are drawn by peers_charts.c.) */
#include "i18n.h"
#include "peers_write.h"
#include "output.h"
#include "report.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double peers_percent(double fraction)
{
    return 100 * fraction;
}

/* ---------------------------------------------------------------------------------------- */
/* The tables                                                                                 */

static void peers_display_name(const peers_line *line, char *buf, size_t size)
{
    if (line->name_en && line->name_en[0])
        snprintf(buf, size, "%s %s", line->place, line->name_en);
    else
        snprintf(buf, size, "%s", line->place);
}

const char *peers_status_words(const peers_comparison *c, const peers_line *line)
{
    if (line->status == PEERS_STATUS_GROWTH_ONLY)
        return N_("growth rates only, no level");
    const peers_place *place = peers_spec_place(c->spec, line->place);
    return place && !place->has_observations ? N_("no data yet") : N_("no data");
}

size_t peers_window_index(const peers_variable *v, int year)
{
    return (size_t)(year - v->storage_first);
}

/* Home's rank among the places with a value, "2/3", or "-". */
static void peers_rank_text(const peers_variable *v, const peers_line *line, size_t t, char *buf, size_t size)
{
    int ranked = 0;
    for (size_t i = 0; i < v->line_count; i++)
        ranked += v->lines[i].rank[t] > 0;
    if (line->rank[t] > 0)
        snprintf(buf, size, "%d/%d", line->rank[t], ranked);
    else
        snprintf(buf, size, "-");
}

static void peers_standing_text(const peers_variable *v, const peers_line *line, char *buf, size_t size)
{
    switch (line->standing) {
    case PEERS_STANDING_AHEAD:
        snprintf(buf, size, "%s", _("ahead"));
        break;
    case PEERS_STANDING_CATCHES_UP:
        snprintf(buf, size, "%d", line->catch_up_year);
        break;
    case PEERS_STANDING_FALLS_BEHIND:
        snprintf(buf, size, _("behind from %d"), line->fall_behind_year);
        break;
    case PEERS_STANDING_BEHIND:
        snprintf(buf, size, _("not by %d"), v->last_year);
        break;
    case PEERS_STANDING_UNKNOWN:
        snprintf(buf, size, "-");
        break;
    }
}

/* A line of a table, built in a buffer so that trailing blanks can be cut. */
typedef struct peers_row {
    char text[4096];
    size_t used;
} peers_row;

/* Appends `cell` padded with spaces to `width` display columns (left- or right-aligned). */
static void peers_row_add(peers_row *row, const char *cell, size_t width, int left)
{
    size_t w = text_display_width(cell), pad = w < width ? width - w : 0;
    size_t len = strlen(cell);
    if (row->used + len + pad + 1 > sizeof row->text)
        return; /* a cell that does not fit is left out rather than cut mid-character */
    if (!left) {
        memset(row->text + row->used, ' ', pad);
        row->used += pad;
    }
    memcpy(row->text + row->used, cell, len);
    row->used += len;
    if (left) {
        memset(row->text + row->used, ' ', pad);
        row->used += pad;
    }
    row->text[row->used] = '\0';
}

/* Prints the row without trailing blanks, and empties it. */
static void peers_row_print(FILE *out, peers_row *row)
{
    while (row->used > 0 && row->text[row->used - 1] == ' ')
        row->used--;
    row->text[row->used] = '\0';
    text_print(out, row->text, 0); /* cells hold place names: escaped for the terminal */
    fputc('\n', out);
    row->used = 0;
    row->text[0] = '\0';
}

enum { PEERS_COLUMNS = 8 };

/* The heading of column `column` of the standings table. */
static void peers_standings_heading(const peers_comparison *c, const peers_variable *v, int column, char *buf,
                                    size_t size)
{
    switch (column) {
    case 0:
        snprintf(buf, size, "%s", _("place"));
        break;
    case 1:
        snprintf(buf, size, "%d", v->last_year);
        break;
    case 2:
        snprintf(buf, size, "%s", _("gap"));
        break;
    case 3:
        snprintf(buf, size, "%s", _("ratio"));
        break;
    case 4:
        snprintf(buf, size, "%s", _("rank"));
        break;
    case 5:
        snprintf(buf, size, "%s", _("first order flip"));
        break;
    case 6:
        snprintf(buf, size, "%s", _("catch-up year"));
        break;
    case 7:
        snprintf(buf, size, _("growth to draw level by %d"), c->catch_up_by);
        break;
    }
}

/* The text of one cell of the standings table (row < 0: the header). */
static void peers_standings_cell(const peers_comparison *c, const peers_variable *v, int row, int column, char *buf,
                                 size_t size)
{
    buf[0] = '\0';
    if (row < 0) {
        peers_standings_heading(c, v, column, buf, size);
        return;
    }
    const peers_line *line = &v->lines[row];
    size_t t = peers_window_index(v, v->last_year);
    if (column == 0) {
        peers_display_name(line, buf, size);
        return;
    }
    if (line->status != PEERS_STATUS_DATA) {
        if (column == 1)
            snprintf(buf, size, "%s", _(peers_status_words(c, line)));
        return;
    }
    char value[64];
    switch (column) {
    case 1:
        units_format_value(value, sizeof value, line->series.value[t], v->unit);
        snprintf(buf, size, "%s%c", value, report_origin_flag((sim_origin)line->series.origin[t]));
        break;
    case 2:
        if (!line->is_home && isfinite(line->gap[t]))
            snprintf(buf, size, "%+.2f", line->gap[t]);
        else if (!line->is_home)
            snprintf(buf, size, "-");
        break;
    case 3:
        if (!line->is_home && isfinite(line->ratio[t]))
            snprintf(buf, size, "%.2f", line->ratio[t]);
        else if (!line->is_home)
            snprintf(buf, size, "-");
        break;
    case 4:
        peers_rank_text(v, line, t, buf, size);
        break;
    case 5:
        if (line->is_home)
            break;
        if (line->crossing_count == 0) {
            snprintf(buf, size, "%s", _("none"));
        } else {
            const peers_crossing *x = &line->crossings[0];
            int n = x->direction > 0 ? snprintf(buf, size, _("ahead in %d (%.2f)"), x->year, x->point)
                                     : snprintf(buf, size, _("behind in %d (%.2f)"), x->year, x->point);
            if (line->crossing_count > 1 && n > 0 && (size_t)n < size)
                snprintf(buf + n, size - (size_t)n, _(", +%zu more"), line->crossing_count - 1);
        }
        break;
    case 6:
        if (!line->is_home)
            peers_standing_text(v, line, buf, size);
        break;
    case 7:
        if (!line->is_home) {
            double g = line->required_growth[peers_window_index(v, c->catch_up_by)];
            if (isfinite(g))
                snprintf(buf, size, _("%.2f%% a year"), peers_percent(g));
            else
                snprintf(buf, size, "-");
        }
        break;
    }
}

static void peers_print_values(FILE *out, const peers_comparison *c, const peers_variable *v, size_t name_width)
{
    size_t width = 4;
    char text[64];
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA)
            continue;
        for (int year = v->first_year; year <= v->last_year; year++) {
            units_format_value(text, sizeof text, line->series.value[peers_window_index(v, year)], v->unit);
            if (strlen(text) > width)
                width = strlen(text);
        }
    }
    peers_row row = {.used = 0};
    peers_row_add(&row, "", name_width, 1);
    for (int year = v->first_year; year <= v->last_year; year++) {
        snprintf(text, sizeof text, "%d", year);
        peers_row_add(&row, " ", 1, 1);
        peers_row_add(&row, text, width, 0);
        peers_row_add(&row, " ", 1, 1);
    }
    peers_row_print(out, &row);
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        char name[256];
        peers_display_name(line, name, sizeof name);
        peers_row_add(&row, name, name_width, 1);
        if (line->status != PEERS_STATUS_DATA) {
            peers_row_add(&row, " ", 1, 1);
            peers_row_add(&row, _(peers_status_words(c, line)), 0, 1);
        }
        for (int year = v->first_year; year <= v->last_year && line->status == PEERS_STATUS_DATA; year++) {
            size_t t = peers_window_index(v, year);
            char flag[2] = {report_origin_flag((sim_origin)line->series.origin[t]), '\0'};
            units_format_value(text, sizeof text, line->series.value[t], v->unit);
            peers_row_add(&row, " ", 1, 1);
            peers_row_add(&row, text, width, 0);
            peers_row_add(&row, flag, 1, 1);
        }
        peers_row_print(out, &row);
    }
    char heading[256];
    snprintf(heading, sizeof heading, _("rank of %s"), c->home);
    peers_row_add(&row, heading, name_width, 1);
    for (int year = v->first_year; year <= v->last_year; year++) {
        peers_rank_text(v, &v->lines[0], peers_window_index(v, year), text, sizeof text);
        peers_row_add(&row, " ", 1, 1);
        peers_row_add(&row, text, width, 0);
        peers_row_add(&row, " ", 1, 1);
    }
    peers_row_print(out, &row);
}

static void peers_print_standings(FILE *out, const peers_comparison *c, const peers_variable *v)
{
    size_t widths[PEERS_COLUMNS] = {0};
    char cell[320];
    /* a place without values says so after its name, outside the columns */
    for (int row = -1; row < (int)v->line_count; row++)
        for (int column = 0; column < PEERS_COLUMNS; column++) {
            if (row >= 0 && column > 0 && v->lines[row].status != PEERS_STATUS_DATA)
                continue;
            peers_standings_cell(c, v, row, column, cell, sizeof cell);
            size_t w = text_display_width(cell);
            if (w > widths[column])
                widths[column] = w;
        }
    peers_row line = {.used = 0};
    for (int row = -1; row < (int)v->line_count; row++) {
        if (row >= 0 && v->lines[row].status != PEERS_STATUS_DATA) {
            peers_standings_cell(c, v, row, 0, cell, sizeof cell);
            peers_row_add(&line, cell, widths[0], 1);
            peers_row_add(&line, "  ", 2, 1);
            peers_row_add(&line, _(peers_status_words(c, &v->lines[row])), 0, 1);
            peers_row_print(out, &line);
            continue;
        }
        for (int column = 0; column < PEERS_COLUMNS; column++) {
            peers_standings_cell(c, v, row, column, cell, sizeof cell);
            if (column > 0)
                peers_row_add(&line, "  ", 2, 1);
            peers_row_add(&line, cell, widths[column], column == 0 || column == 5 || column == 6);
        }
        peers_row_print(out, &line);
    }
}

static void peers_print_crossings(FILE *out, const peers_comparison *c, const peers_variable *v)
{
    const peers_line *home = &v->lines[0];
    for (size_t i = 1; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        for (size_t k = 0; k < line->crossing_count && k < v->storage_years; k++) {
            const peers_crossing *x = &line->crossings[k];
            size_t t0 = peers_window_index(v, x->previous_year), t1 = peers_window_index(v, x->year);
            char h0[64], p0[64], h1[64], p1[64];
            units_format_value(h0, sizeof h0, home->series.value[t0], v->unit);
            units_format_value(p0, sizeof p0, line->series.value[t0], v->unit);
            units_format_value(h1, sizeof h1, home->series.value[t1], v->unit);
            units_format_value(p1, sizeof p1, line->series.value[t1], v->unit);
            /* TRANSLATORS: the %s after each value is its origin code (observed, projected...), kept in English */
            fprintf(out,
                    x->direction > 0
                        ? _("  %s moves ahead of %s in %d (level at %.2f): %d %s %s vs %s %s; %d %s %s vs %s %s\n")
                        : _("  %s falls behind %s in %d (level at %.2f): %d %s %s vs %s %s; %d %s %s vs %s %s\n"),
                    text_safe(c->home), text_safe(line->place), x->year, x->point, x->previous_year, h0, sim_origin_name((sim_origin)home->series.origin[t0]), p0,
                    sim_origin_name((sim_origin)line->series.origin[t0]), x->year, h1,
                    sim_origin_name((sim_origin)home->series.origin[t1]), p1,
                    sim_origin_name((sim_origin)line->series.origin[t1]));
        }
    }
}

static void peers_print_fits(FILE *out, const peers_variable *v, size_t name_width)
{
    fprintf(out, _("trend fits (ln value on year, observed and derived levels):\n"));
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA && !line->is_home)
            continue;
        const peers_fit *fit = &line->fit;
        char name[256];
        peers_display_name(line, name, sizeof name);
        fputs("  ", out);
        text_pad(out, name, name_width, 1);
        switch (fit->method) {
        case PEERS_FIT_LEAST_SQUARES:
            fprintf(out, _("  %6.2f%% a year, 95%% interval %.2f%% to %.2f%% (least squares, %zu levels %d-%d)\n"),
                    peers_percent(fit->growth), peers_percent(fit->low), peers_percent(fit->high), fit->points,
                    fit->first_year, fit->last_year);
            break;
        case PEERS_FIT_CAGR:
            fprintf(out, _("  %6.2f%% a year, no interval (exact CAGR of the two levels of %d and %d)\n"),
                    peers_percent(fit->growth), fit->first_year, fit->last_year);
            break;
        case PEERS_FIT_NONE:
            fprintf(out, ngettext("  no trend (%zu level; a trend needs two)\n", "  no trend (%zu levels; a trend needs two)\n",
                                  fit->points),
                    fit->points);
            break;
        }
    }
}

void peers_print_table(FILE *out, const peers_comparison *c)
{
    const scenario *s = c->run->scenario;
    for (size_t k = 0; k < c->variable_count; k++) {
        const peers_variable *v = &c->variables[k];
        size_t name_width = 0;
        char name[256];
        for (size_t i = 0; i < v->line_count; i++) {
            peers_display_name(&v->lines[i], name, sizeof name);
            if (text_display_width(name) > name_width)
                name_width = text_display_width(name);
        }
        snprintf(name, sizeof name, _("rank of %s"), c->home);
        if (text_display_width(name) > name_width)
            name_width = text_display_width(name);
        fprintf(out, _("%s and its peers: %s [%s] (%s), %d-%d  (%s)\n"), text_safe(c->home), text_safe(v->label),
                text_safe(v->unit), text_safe(v->name), v->first_year, v->last_year, text_safe(s->name));
        peers_print_values(out, c, v, name_width);
        fprintf(out, _("o observed, n interpolated (log-linear between two levels), d derived from an observed growth "
                     "rate,\np projected at the peer's growth (see below), blank: %s's scenario from %d.\n\n"),
                text_safe(c->home), s->start);
        peers_print_standings(out, c, v);
        if (v->base_year)
            fprintf(out, _("gap = %s - place, ratio = %s / place, rank among the places with a value, all in %d.\n"
                         "growth to draw level: the constant yearly growth %s would need from %.2f in %d to equal the "
                         "place in %d.\ncatch-up year: the first year from %d in which %s is ahead under this "
                         "scenario.\n"),
                    text_safe(c->home), text_safe(c->home), v->last_year, text_safe(c->home), v->base_value,
                    v->base_year, c->catch_up_by, s->start, text_safe(c->home));
        peers_print_crossings(out, c, v);
        fputc('\n', out);
        peers_print_fits(out, v, name_width);
        fprintf(out, _("past their data:\n"));
        for (size_t i = 1; i < v->line_count; i++) {
            const peers_line *line = &v->lines[i];
            if (line->status != PEERS_STATUS_DATA)
                continue;
            peers_display_name(line, name, sizeof name);
            fputs("  ", out);
            text_pad(out, name, name_width, 1);
            fprintf(out, "  %s\n", text_safe(line->projection));
        }
        fputc('\n', out);
    }
    int listed = 0;
    for (size_t i = 0; i < c->peer_count; i++) {
        const peers_place *place = peers_spec_place(c->spec, c->peer_names[i]);
        if (!place || place->has_observations)
            continue;
        if (!listed++)
            fprintf(out, _("no data yet (add their figures to %s):\n"), text_safe(c->run->history->path));
        fprintf(out, "  %s%s%s: ", text_safe(place->place), place->name_en[0] ? " " : "", text_safe(place->name_en));
        text_print(out, peers_place_note(place), 0);
        fputc('\n', out);
    }
    /* places named in the registry without figures and not in the block: listed, not compared */
    int others = 0;
    for (size_t i = 0; i < c->place_count; i++) {
        const peers_place *place = &c->places[i];
        int in_block = !strcmp(place->place, c->home);
        for (size_t k = 0; k < c->peer_count && !in_block; k++)
            in_block = !strcmp(place->place, c->peer_names[k]);
        if (in_block || place->has_observations)
            continue;
        if (!others++)
            fprintf(out, _("named in %s without figures yet, not compared: "), text_safe(c->places_path));
        else
            fputs(", ", out);
        fprintf(out, "%s%s%s", text_safe(place->place), place->name_en[0] ? " " : "", text_safe(place->name_en));
    }
    if (others)
        fputc('\n', out);
    if (listed || others)
        fputc('\n', out);
}

/* ---------------------------------------------------------------------------------------- */
/* peers.csv                                                                                  */

void peers_write_csv(FILE *f, const peers_comparison *c)
{
    const char *scenario_name = c->run->scenario->name;
    fputs("scenario,place,variable,year,value,origin,rank,gap,ratio\n", f);
    for (size_t k = 0; k < c->variable_count; k++) {
        const peers_variable *v = &c->variables[k];
        for (size_t i = 0; i < v->line_count; i++) {
            const peers_line *line = &v->lines[i];
            if (line->status != PEERS_STATUS_DATA)
                continue;
            for (int year = v->first_year; year <= v->last_year; year++) {
                size_t t = peers_window_index(v, year);
                output_csv_field(f, scenario_name);
                fputc(',', f);
                output_csv_field(f, line->place);
                fputc(',', f);
                output_csv_field(f, v->name);
                fprintf(f, ",%d,", year);
                int has_value = line->series.origin[t] != SIM_ORIGIN_NONE;
                output_csv_number(f, has_value ? line->series.value[t] : NAN);
                fputc(',', f);
                fputs(has_value ? sim_origin_name((sim_origin)line->series.origin[t]) : "missing", f);
                fputc(',', f);
                if (line->rank[t] > 0)
                    fprintf(f, "%d", line->rank[t]);
                fputc(',', f);
                output_csv_number(f, line->gap[t]);
                fputc(',', f);
                output_csv_number(f, line->ratio[t]);
                fputc('\n', f);
            }
        }
    }
}
