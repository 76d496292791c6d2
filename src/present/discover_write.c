/* discover_write.c: discovery.csv, discovery-peeling.csv and the sentences of scenario
 * discovery (discover_write.h). */
#include "i18n.h"
#include "discover_write.h"
#include "report_html.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends formatted text to buf (size bytes) as far as it fits. */
static void discover_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void discover_append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* "gdp_real_growth" or, for an ensemble, "gdp_real_growth (mean 2023-2025 on the path)". */
static void discover_input_name(char *buf, size_t size, const discover_result *res, size_t j)
{
    if (res->from_ensemble)
        snprintf(buf, size, "%s (%s)", res->inputs[j].name, res->inputs[j].summary);
    else
        snprintf(buf, size, "%s", res->inputs[j].name);
}

static void discover_goal_text(char *buf, size_t size, const discover_result *res)
{
    const goals_goal *g = res->goal;
    if (g->label && strcmp(g->label, g->id))
        snprintf(buf, size, _("goal %s (%s, %d)"), g->id, g->label, g->year);
    else
        snprintf(buf, size, _("goal %s (%d)"), g->id, g->year);
}

void discover_sentence(char *buf, size_t size, const discover_result *res, size_t b)
{
    const prim_box *box = &res->prim.boxes[b];
    char goal[320];
    discover_goal_text(goal, sizeof goal, res);
    double density = 100 * box->stats.density;
    if (res->from_ensemble)
        snprintf(buf, size, b > 0 ? _("%s is missed in %.0f%% of the remaining paths where ")
                                  : _("%s is missed in %.0f%% of the paths where "),
                 goal, density);
    else
        snprintf(buf, size, b > 0 ? _("%s is missed in %.0f%% of the remaining runs where ")
                                  : _("%s is missed in %.0f%% of the runs where "),
                 goal, density);
    size_t said = 0;
    for (size_t j = 0; j < res->k; j++) {
        const prim_limit *l = &box->limits[j];
        if (!l->sides)
            continue;
        char name[256], low[64], high[64];
        discover_input_name(name, sizeof name, res, j);
        units_format_value(low, sizeof low, l->lower, res->inputs[j].unit);
        units_format_value(high, sizeof high, l->upper, res->inputs[j].unit);
        if (said)
            discover_append(buf, size, "%s", _(" and "));
        if (l->sides == (PRIM_LOWER | PRIM_UPPER))
            discover_append(buf, size, _("%s is from %s to %s"), name, low, high);
        else if (l->sides == PRIM_LOWER)
            discover_append(buf, size, _("%s is at least %s"), name, low);
        else
            discover_append(buf, size, _("%s is at most %s"), name, high);
        said++;
    }
    discover_append(buf, size,
                    res->from_ensemble ? _(" (this box holds %.0f%% of all misses; %.0f%% of all paths are in it)")
                                       : _(" (this box holds %.0f%% of all misses; %.0f%% of all runs are in it)"),
                    100 * box->stats.coverage, 100 * box->stats.mass);
}

/* Why no (further) box was reported, for the terminal. */
static const char *discover_stop_text(prim_stop stop)
{
    switch (stop) {
    case PRIM_STOP_MAX_BOXES:
        return _("as many boxes as asked were found");
    case PRIM_STOP_NO_MISSES:
        return _("no run outside the boxes misses the goal");
    case PRIM_STOP_ALL_MISSED:
        return _("every run outside the boxes misses the goal: no range of the inputs explains it");
    case PRIM_STOP_NO_RESTRICTION:
        return _("the next box restricted no input once the restrictions that do not matter were dropped");
    case PRIM_STOP_LOW_DENSITY:
        return _("the next box would hold fewer misses than hits (density below 50%)");
    }
    return "";
}

void discover_print(FILE *out, const discover_result *res)
{
    char goal[320], line[2048];
    discover_goal_text(goal, sizeof goal, res);
    fprintf(out,
            res->from_ensemble ? _("Scenario discovery (PRIM): %s is missed in %zu of %zu paths (%.1f%%)\n")
                               : _("Scenario discovery (PRIM): %s is missed in %zu of %zu runs (%.1f%%)\n"),
            text_safe(goal), res->prim.misses, res->n, res->n ? 100.0 * (double)res->prim.misses / (double)res->n : 0.0);
    if (res->from_ensemble)
        fprintf(out, _("  inputs: per path, each shocked name's value (parameters) or its mean from the start to the "
                     "goal's year (series)\n"));
    for (size_t b = 0; b < res->prim.box_count; b++) {
        discover_sentence(line, sizeof line, res, b);
        fprintf(out, _("  box %zu: %s\n"), b + 1, text_safe(line));
    }
    fprintf(out, res->prim.box_count ? _("  search ended: %s\n") : _("  no box: %s\n"), discover_stop_text(res->prim.stop));
}

/* discovery.csv: one row per restricted side-pair of an input of a box. */
static void discover_write_boxes(FILE *f, const discover_result *res)
{
    fputs("goal,box,input,summary,unit,lower,upper,restricted,qp_lower,qp_upper,coverage,density,mass,points,misses\n",
          f);
    static const char *const sides[] = {"", "lower", "upper", "both"};
    for (size_t b = 0; b < res->prim.box_count; b++) {
        const prim_box *box = &res->prim.boxes[b];
        for (size_t j = 0; j < res->k; j++) {
            const prim_limit *l = &box->limits[j];
            if (!l->sides)
                continue;
            output_csv_field(f, res->goal->id);
            fprintf(f, ",%zu,", b + 1);
            output_csv_field(f, res->inputs[j].name);
            fputc(',', f);
            output_csv_field(f, res->inputs[j].summary);
            fputc(',', f);
            output_csv_field(f, res->inputs[j].unit);
            double row[] = {l->lower, l->upper};
            for (size_t c = 0; c < 2; c++) {
                fputc(',', f);
                output_csv_number(f, row[c]);
            }
            fprintf(f, ",%s", sides[l->sides & 3]);
            double rest[] = {l->qp_lower, l->qp_upper, box->stats.coverage, box->stats.density, box->stats.mass};
            for (size_t c = 0; c < sizeof rest / sizeof rest[0]; c++) {
                fputc(',', f);
                output_csv_number(f, rest[c]);
            }
            fprintf(f, ",%zu,%zu\n", box->stats.points, box->stats.misses);
        }
    }
}

/* discovery-peeling.csv: every step of every box's peeling trajectory. */
static void discover_write_peeling(FILE *f, const discover_result *res)
{
    fputs("box,step,coverage,density,mass,points,misses,restricted,chosen\n", f);
    for (size_t b = 0; b < res->prim.box_count; b++) {
        const prim_trajectory *t = &res->prim.boxes[b].peeling;
        for (size_t s = 0; s < t->steps; s++) {
            const prim_stats *st = &t->stats[s];
            fprintf(f, "%zu,%zu", b + 1, s);
            double row[] = {st->coverage, st->density, st->mass};
            for (size_t c = 0; c < 3; c++) {
                fputc(',', f);
                output_csv_number(f, row[c]);
            }
            fprintf(f, ",%zu,%zu,%zu,%d\n", st->points, st->misses, st->restricted,
                    s == res->prim.boxes[b].step);
        }
    }
}

int discover_write(output_batch *batch, const discover_result *res, diag *d)
{
    FILE *f = output_batch_open(batch, "discovery.csv", d);
    if (!f)
        return d->status;
    discover_write_boxes(f, res);
    if (!(f = output_batch_open(batch, "discovery-peeling.csv", d)))
        return d->status;
    discover_write_peeling(f, res);
    return DIAG_OK;
}

void discover_write_html(FILE *f, const void *arg)
{
    const discover_result *res = arg;
    fputs("<p>", f);
    report_html_text(f, _("The ranges of assumptions where the goal fails most often, over all runs (PRIM scenario "
                          "discovery); each box's limits, significance (qp values) and peeling are in discovery.csv and "
                          "discovery-peeling.csv."));
    fputs("</p>\n", f);
    if (res->prim.box_count == 0) {
        char *text = NULL;
        size_t size = 0;
        FILE *memory = open_memstream(&text, &size);
        if (memory) {
            discover_print(memory, res);
            fclose(memory);
            fputs("<pre>", f);
            report_html_text(f, text);
            fputs("</pre>\n", f);
            free(text);
        }
        return;
    }
    for (size_t b = 0; b < res->prim.box_count; b++) {
        char sentence[1024];
        discover_sentence(sentence, sizeof sentence, res, b);
        fputs("<p class=\"box\">", f);
        /* TRANSLATORS: a box of scenario discovery and the sentence that describes it */
        char line[1200];
        snprintf(line, sizeof line, _("Box %zu: %s"), b + 1, sentence);
        report_html_text(f, line);
        fputs("</p>\n", f);
    }
}
