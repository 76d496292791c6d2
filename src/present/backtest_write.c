/* backtest_write.c: a back-test's files, table and charts (backtest_write.h). */
#include "i18n.h"
#include "backtest_write.h"
#include "i18n.h"
#include "mem.h"
#include "sweep_write.h"
#include "text.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                      */

void backtest_write_rows(FILE *f, const backtest_result *res)
{
    const run *r = res->run;
    fputs("scenario,variable,origin,year,horizon,forecast,actual,error,pct_error,actual_origin,carried_back,naive,"
          "trend",
          f);
    fputs(res->has_bands ? ",p05,p50,p95,pit\n" : "\n", f);
    for (size_t i = 0; i < res->row_count; i++) {
        const backtest_row *row = &res->rows[i];
        double error = row->forecast - row->actual;
        output_csv_field(f, r->scenario->name);
        fputc(',', f);
        output_csv_field(f, r->model->slots[row->slot].name);
        fprintf(f, ",%d,%d,%d,", row->origin, row->year, row->horizon);
        output_csv_number(f, row->forecast);
        fputc(',', f);
        output_csv_number(f, row->actual);
        fputc(',', f);
        output_csv_number(f, error);
        fputc(',', f);
        output_csv_number(f, error / row->actual);
        fprintf(f, ",%s,%d,", sim_origin_name(row->actual_origin), row->carried_back);
        output_csv_number(f, row->naive);
        fputc(',', f);
        output_csv_number(f, row->trend);
        if (res->has_bands) {
            const double bands[] = {row->p05, row->p50, row->p95, row->pit};
            for (size_t k = 0; k < 4; k++) {
                fputc(',', f);
                output_csv_number(f, bands[k]);
            }
        }
        fputc('\n', f);
    }
}

void backtest_write_summary(FILE *f, const backtest_result *res)
{
    const model *m = res->run->model;
    fputs("variable,unit,horizon,n,bias,mae,mape,rmse,theil_u,u_trend,hit_rate,coverage_50,coverage_90\n", f);
    for (size_t i = 0; i < res->stat_count; i++) {
        const backtest_stat *st = &res->stats[i];
        output_csv_field(f, m->slots[st->slot].name);
        fputc(',', f);
        output_csv_field(f, m->slots[st->slot].unit);
        fprintf(f, ",%d,%zu", st->horizon, st->n);
        const double values[] = {st->bias,    st->mae,      st->mape,        st->rmse,       st->theil_u,
                                 st->u_trend, st->hit_rate, st->coverage_50, st->coverage_90};
        for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
            fputc(',', f);
            output_csv_number(f, values[k]);
        }
        fputc('\n', f);
    }
}

int backtest_write(const backtest_result *res, output_batch *batch, diag *d)
{
    FILE *f = output_batch_open(batch, "backtest.csv", d);
    if (!f)
        return d->status;
    backtest_write_rows(f, res);
    if (!(f = output_batch_open(batch, "backtest-summary.csv", d)))
        return d->status;
    backtest_write_summary(f, res);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The table                                                                                  */

static const char *horizon_words(int h, char *buf, size_t size)
{
    static const char *const words[] = {"",
                                        N_("one year ahead"),
                                        N_("two years ahead"),
                                        N_("three years ahead"),
                                        N_("four years ahead"),
                                        N_("five years ahead"),
                                        N_("six years ahead"),
                                        N_("seven years ahead"),
                                        N_("eight years ahead"),
                                        N_("nine years ahead"),
                                        N_("ten years ahead")};
    if (h >= 1 && h <= 10)
        snprintf(buf, size, "%s", _(words[h]));
    else
        snprintf(buf, size, _("%d years ahead"), h);
    return buf;
}

/* The horizon that leads: two years ahead when it has points, else the one with most. */
static const backtest_stat *lead_stat(const backtest_result *res, int slot)
{
    const backtest_stat *two = backtest_find_stat(res, slot, 2), *best = NULL;
    if (two && two->n)
        return two;
    for (size_t i = 0; i < res->stat_count; i++)
        if (res->stats[i].slot == slot && res->stats[i].n && (!best || res->stats[i].n > best->n))
            best = &res->stats[i];
    return best;
}

/* "1.4 times better than assuming no change", or why there is no comparison. */
static void versus_naive(const backtest_stat *st, char *buf, size_t size)
{
    if (!isfinite(st->theil_u))
        snprintf(buf, size, "%s", _("no no-change benchmark (fewer than two actuals before the origins)"));
    else if (st->theil_u < 0.95)
        snprintf(buf, size, _("%.1f times better than assuming no change"), 1.0 / st->theil_u);
    else if (st->theil_u > 1.05)
        snprintf(buf, size, _("%.1f times worse than assuming no change"), st->theil_u);
    else
        snprintf(buf, size, "%s", _("no better than assuming no change"));
}

static void print_number(FILE *out, double v, int percent)
{
    if (!isfinite(v))
        fprintf(out, " %9s", "—");
    else if (percent)
        fprintf(out, " %8.1f%%", 100.0 * v);
    else
        fprintf(out, " %9.3g", v);
}

/* For a variable with horizons that have no point: which, and the years of its actuals, so
 * that the reader sees how thin the data are ("fiscal_revenue: nothing to compare 1-4 years
 * ahead: too few observations (actuals: 2017, 2022)"). */
static void print_missing(FILE *out, const backtest_result *res, const backtest_actuals *a)
{
    char list[256] = "";
    size_t used = 0, missing = 0;
    int run_from = 0, run_to = 0;
    for (int h = res->horizon_from; h <= res->horizon_to + 1; h++) {
        const backtest_stat *st = h <= res->horizon_to ? backtest_find_stat(res, a->slot, h) : NULL;
        if (st && !st->n) {
            missing++;
            if (!run_from)
                run_from = h;
            run_to = h;
            continue;
        }
        if (run_from && used < sizeof list) {
            used += (size_t)(run_from == run_to
                                 ? snprintf(list + used, sizeof list - used, "%s%d", used ? ", " : "", run_from)
                                 : snprintf(list + used, sizeof list - used, "%s%d-%d", used ? ", " : "", run_from,
                                            run_to));
        }
        run_from = 0;
    }
    if (!missing)
        return;
    fprintf(out,
            missing == 1 && res->horizon_from == res->horizon_to
                ? _("%s: nothing to compare %s year ahead: too few observations (actuals:")
                : _("%s: nothing to compare %s years ahead: too few observations (actuals:"),
            text_safe(res->run->model->slots[a->slot].name), list);
    size_t shown = 0;
    for (size_t t = 0; t < a->years; t++)
        if (a->origin[t] != SIM_ORIGIN_NONE && shown++ < 12)
            fprintf(out, "%s %d", shown > 1 ? "," : "", a->first_year + (int)t);
    fputs(shown > 12 ? ", ...)\n" : ")\n", out);
}

void backtest_print(FILE *out, const backtest_result *res)
{
    const model *m = res->run->model;
    char words[64], versus[160];
    fprintf(out,
            ngettext("Back-test of %s: origins %d-%d (%zu with a run), %d-%d years ahead, %zu point compared\n",
                     "Back-test of %s: origins %d-%d (%zu with a run), %d-%d years ahead, %zu points compared\n",
                     res->row_count),
            text_safe(res->run->scenario->name), res->origin_from, res->origin_to, res->origins_run,
            res->horizon_from, res->horizon_to, res->row_count);
    for (size_t i = 0; i < res->variable_count; i++) {
        int slot = res->actuals[i].slot;
        const backtest_stat *st = lead_stat(res, slot);
        if (!st)
            continue;
        versus_naive(st, versus, sizeof versus);
        fprintf(out, _("%s %s: off by %.1f%% on average (n = %zu), %s"), text_safe(m->slots[slot].label),
                horizon_words(st->horizon, words, sizeof words), 100.0 * st->mape, st->n, versus);
        fputs(st->n < 5 ? _("; too few points to judge with confidence\n") : "\n", out);
    }
    fputs(_("\nvariable                  ahead    n      bias       MAE      MAPE      RMSE   Theil U   U trend      hits"), out);
    fputs(res->has_bands ? _("    in 50%    in 90%\n") : "\n", out);
    for (size_t i = 0; i < res->stat_count; i++) {
        const backtest_stat *st = &res->stats[i];
        if (!st->n)
            continue;
        text_pad(out, m->slots[st->slot].name, 24, 1);
        fprintf(out, " %5d %4zu", st->horizon, st->n);
        print_number(out, st->bias, 0);
        print_number(out, st->mae, 0);
        print_number(out, st->mape, 1);
        print_number(out, st->rmse, 0);
        print_number(out, st->theil_u, 0);
        print_number(out, st->u_trend, 0);
        print_number(out, st->hit_rate, 1);
        if (res->has_bands) {
            print_number(out, st->coverage_50, 1);
            print_number(out, st->coverage_90, 1);
        }
        fputc('\n', out);
    }
    fputs(_("(bias, MAE, RMSE in each variable's unit: 亿元 nominal for money; error = projection - actual; Theil U "
            "below 1: better than no change in growth)\n"),
          out);
    for (size_t i = 0; i < res->variable_count; i++)
        print_missing(out, res, &res->actuals[i]);
    if (res->has_bands)
        fprintf(out, _("bands: %zu paths per origin, the scenario's shocks; a calibrated 50%% band holds about half the "
                     "actuals, a 90%% band about nine in ten\n"),
                res->band_paths);
    if (res->across_break)
        fprintf(out,
                ngettext("%zu point left out: a series break (a new statistical basis) lies between origin and year\n",
                         "%zu points left out: a series break (a new statistical basis) lies between origin and year\n",
                         res->across_break),
                res->across_break);
}

/* ---------------------------------------------------------------------------------------- */
/* Hedgehog charts                                                                            */

static int hedgehog(charts_writer *w, const backtest_result *res, const backtest_actuals *a, diag *d)
{
    const run *r = res->run;
    const model_slot *ms = &r->model->slots[a->slot];
    const charts_options *o = charts_writer_options(w);
    double scale = charts_unit_scale(ms->unit);
    plot_script *s = plot_script_new();
    if (!s)
        return diag_oom(d, _("writing a back-test chart"));
    char title[512];
    snprintf(title, sizeof title, _("%s: back-test (each origin's projection against the actuals) — %s"), ms->label,
             scenario_title(r->scenario));
    char unit[160];
    snprintf(unit, sizeof unit, _("Unit: %s"), charts_unit_text(ms->unit));
    plot_script_string_cut(s, "econsim_unit_label", unit, PLOT_UNIT_COLUMNS + 8);
    plot_script_string(s, "econsim_key_actual", _("Actual (observed / derived)"));
    plot_script_string(s, "econsim_key_branch", _("Projection from each origin"));
    char footnote[2300];
    charts_footnote_scenario(footnote, sizeof footnote, r, o->width);
    sweep_chart_layout(s, o->width, o->height, title, footnote,
                       _("Black line: actuals (filled: observed; hollow: derived from a growth rate); coloured dashes: "
                         "the projection each origin year made with the data of that year"));
    int from = 0, to = 0;
    double high = 0, low = 0;
    size_t actual_points = 0, branch_points = 0;
    plot_script_datablock_begin(s, "econsim_actual");
    for (size_t t = 0; t < a->years; t++) {
        if (a->origin[t] == SIM_ORIGIN_NONE) {
            if (actual_points && a->origin[t - 1] != SIM_ORIGIN_NONE)
                plot_script_datablock_gap(s); /* nothing is drawn across a gap */
            continue;
        }
        double row[3] = {a->first_year + (double)t, a->value[t] * scale,
                         a->origin[t] == SIM_ORIGIN_OBSERVED ? 1 : 0};
        plot_script_datablock_row(s, row, 3);
        actual_points++;
        int year = a->first_year + (int)t;
        from = !from || year < from ? year : from;
        to = year > to ? year : to;
        high = row[1] > high ? row[1] : high;
        low = row[1] < low ? row[1] : low;
    }
    plot_script_datablock_end(s);
    plot_script_datablock_begin(s, "econsim_branches");
    for (size_t i = 0; i < res->path_count; i++) {
        const backtest_path *p = &res->paths[i];
        if (p->slot != a->slot)
            continue;
        for (int h = 0; h <= res->horizon_to; h++) {
            if (!isfinite(p->value[h]))
                continue;
            double row[2] = {p->origin + (double)h, p->value[h] * scale};
            plot_script_datablock_row(s, row, 2);
            branch_points++;
            to = p->origin + h > to ? p->origin + h : to;
            from = p->origin + h < from ? p->origin + h : from;
            high = row[1] > high ? row[1] : high;
            low = row[1] < low ? row[1] : low;
        }
        plot_script_datablock_gap(s);
    }
    plot_script_datablock_end(s);
    plot_script_printf(s, "econsim_actual_points = %zu\neconsim_branch_points = %zu\n", actual_points,
                       branch_points);
    charts_write_years(s, from, to);
    plot_script_printf(s, "econsim_y_from_zero = %d\n", low >= 0 ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", high);
    char slug[96];
    snprintf(slug, sizeof slug, "backtest-%s", ms->name);
    charts_chart chart = {.slug = slug, .kind = "backtest", .template_name = "hedgehog", .title = title,
                          .variable = ms->name, .scenario_name = r->scenario->name, .body = s};
    int status = branch_points ? charts_writer_add(w, &chart) : DIAG_OK;
    plot_script_free(s);
    return status;
}

/* The PIT histogram of every point with a band, in ten bins. */
static int pit_histogram(charts_writer *w, const backtest_result *res, diag *d)
{
    const run *r = res->run;
    double counts[10] = {0}, total = 0, tallest = 0;
    for (size_t i = 0; i < res->row_count; i++) {
        double pit = res->rows[i].pit;
        if (!isfinite(pit))
            continue;
        int bin = pit >= 1 ? 9 : (int)(pit * 10);
        counts[bin]++;
        total++;
    }
    if (!total)
        return DIAG_OK;
    plot_script *s = plot_script_new();
    if (!s)
        return diag_oom(d, _("writing the PIT histogram"));
    char title[512];
    snprintf(title, sizeof title, _("Back-test: calibration of the uncertainty bands (PIT histogram, %.0f points)"),
             total);
    static const charts_text texts[] = {
        {"econsim_text_bins", N_("actuals in each bin")},
        {"econsim_text_flat", N_("height if calibrated")},
        {"econsim_text_xlabel", N_("PIT: share of the projected paths below the actual")},
    };
    charts_write_texts(s, texts, sizeof texts / sizeof *texts);
    const char *key[] = {_(texts[0].text), _(texts[1].text)};
    const charts_options *o = charts_writer_options(w);
    charts_write_key(s, o->width, o->height, key, 2);
    char footnote[2300], note[600];
    charts_footnote_scenario(footnote, sizeof footnote, r, 0);
    snprintf(note, sizeof note,
             _("%zu paths from each origin; flat = well calibrated bands, U shape = bands too narrow, hump = too "
               "wide"),
             res->band_paths);
    plot_script_datablock_begin(s, "econsim_pit");
    for (int b = 0; b < 10; b++) {
        double row[2] = {5 + 10 * b, counts[b]}; /* the bin's centre, in percent */
        plot_script_datablock_row(s, row, 2);
        tallest = counts[b] > tallest ? counts[b] : tallest;
    }
    plot_script_datablock_end(s);
    plot_script_number(s, "econsim_pit_expected", total / 10);
    plot_script_number(s, "econsim_pit_max", tallest);
    charts_chart chart = {.slug = "backtest-pit", .kind = "pit", .template_name = "pit", .title = title,
                          .variable = NULL, .scenario_name = r->scenario->name, .body = s,
                          .footnote = footnote, .footnote2 = note};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    return status;
}

int backtest_write_charts(const backtest_result *res, output_batch *batch, const charts_options *o,
                          charts_list *list, diag *d)
{
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    if (status != DIAG_OK || !w)
        return status;
    for (size_t i = 0; i < res->variable_count && status == DIAG_OK; i++)
        status = hedgehog(w, res, &res->actuals[i], d);
    if (status == DIAG_OK && res->has_bands)
        status = pit_histogram(w, res, d);
    return charts_writer_end(w, status);
}
