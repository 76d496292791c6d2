/* sweep_write.c: a sweep's results for people and files (sweep_write.h): samples.csv (on
 * request, formatted in parallel chunks) and sensitivity.csv, the run budget and the ranked tables on stdout, and summary.json, whose
 * building is kept apart at the end of the file. (The charts are sweep_charts.c's.) */
#include "i18n.h"
#include "sweep_write.h"
#include "text.h"
#include "units.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                      */

/* The label of a run in the design column of samples.csv. */
static void sweep_design_label(const sweep_result *res, size_t run_index, char *buf, size_t size)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    buf[0] = '\0';
    switch (spec->method) {
    case SWEEP_SOBOL: {
        size_t m = run_index % (k + 2);
        if (m == 0)
            snprintf(buf, size, "A");
        else if (m == k + 1)
            snprintf(buf, size, "B");
        else
            snprintf(buf, size, "AB:%s", spec->parameters[m - 1].name);
        break;
    }
    case SWEEP_MORRIS: {
        size_t moved = sensitivity_morris_moved(res->design, k, run_index);
        snprintf(buf, size, "t%zu:%s", run_index / (k + 1), moved < k ? spec->parameters[moved].name : "start");
        break;
    }
    case SWEEP_OAT:
        if (run_index == 0)
            snprintf(buf, size, "base");
        else
            snprintf(buf, size, "%s:%s", run_index % 2 ? "low" : "high", spec->parameters[(run_index - 1) / 2].name);
        break;
    default:
        break;
    }
}

/* The rows of runs [from, to) of samples.csv. */
static void sweep_write_sample_rows(FILE *f, const sweep_result *res, size_t from, size_t to)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    double x[SWEEP_MAX_PARAMETERS];
    char label[128];
    for (size_t run_index = from; run_index < to; run_index++) {
        sweep_point(res, run_index, x);
        sweep_design_label(res, run_index, label, sizeof label);
        fprintf(f, "%zu,", run_index);
        output_csv_field(f, label);
        for (size_t i = 0; i < k; i++) {
            fputc(',', f);
            /* the scenario's own value where the run keeps it (oat), when it is one number */
            output_csv_number(f, isnan(x[i]) ? spec->parameters[i].base : x[i]);
        }
        for (size_t o = 0; o < outputs; o++) {
            fputc(',', f);
            output_csv_number(f, res->y[run_index * outputs + o]);
        }
        fputc('\n', f);
    }
}

/* Rows formatted per chunk on a thread, written in run order. */
#define SAMPLE_CHUNK_ROWS 8192

/* samples.csv: the header, then the rows, formatted in chunks of SAMPLE_CHUNK_ROWS on
 * `threads` threads (each into memory) and written in run order as each chunk's turn comes,
 * so the file is the same for any thread count. A chunk whose memory stream cannot be opened
 * is formatted straight into f in its turn. */
static void sweep_write_samples(FILE *f, const sweep_result *res, int threads)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    fputs("run,design", f);
    for (size_t i = 0; i < k; i++) {
        fputc(',', f);
        output_csv_field(f, spec->parameters[i].name);
    }
    for (size_t o = 0; o < outputs; o++) {
        fputc(',', f);
        output_csv_field(f, spec->outputs[o].name);
    }
    fputc('\n', f);
    long chunks = (long)((res->runs + SAMPLE_CHUNK_ROWS - 1) / SAMPLE_CHUNK_ROWS);
#pragma omp parallel for ordered schedule(static, 1) num_threads(threads > 0 ? threads : omp_get_max_threads())
    for (long c = 0; c < chunks; c++) {
        size_t from = (size_t)c * SAMPLE_CHUNK_ROWS;
        size_t to = from + SAMPLE_CHUNK_ROWS < res->runs ? from + SAMPLE_CHUNK_ROWS : res->runs;
        char *text = NULL;
        size_t length = 0;
        FILE *chunk = open_memstream(&text, &length);
        if (chunk) {
            sweep_write_sample_rows(chunk, res, from, to);
            if (fclose(chunk) != 0) {
                free(text);
                text = NULL;
            }
        }
#pragma omp ordered
        {
            if (text)
                fwrite(text, 1, length, f);
            else
                sweep_write_sample_rows(f, res, from, to);
        }
        free(text);
    }
}

static void sweep_write_sensitivity(FILE *f, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    static const char *const headers[] = {
        [SWEEP_SOBOL] = "output,parameter,S1,S1_conf,ST,ST_conf",
        [SWEEP_MORRIS] = "output,parameter,mu,mu_star,sigma,mu_star_conf",
        [SWEEP_OAT] = "output,parameter,low,high,value_low,value_high,base",
        [SWEEP_MONTECARLO] = "output,parameter,pearson,spearman",
        [SWEEP_GRID] = "output,parameter,value,mean,min,max",
    };
    fprintf(f, "%s\n", headers[spec->method]);
    for (size_t o = 0; o < outputs; o++) {
        size_t offset = 0;
        for (size_t i = 0; i < k; i++) {
            const sweep_parameter *param = &spec->parameters[i];
            const sweep_index *x = &res->indices[o * k + i];
            if (spec->method == SWEEP_GRID) {
                for (size_t l = 0; l < param->value_count; l++) {
                    size_t c = o * res->grid_levels + offset + l;
                    output_csv_field(f, spec->outputs[o].name);
                    fputc(',', f);
                    output_csv_field(f, param->name);
                    double row[4] = {param->values[l], res->grid_mean[c], res->grid_min[c], res->grid_max[c]};
                    for (int j = 0; j < 4; j++) {
                        fputc(',', f);
                        output_csv_number(f, row[j]);
                    }
                    fputc('\n', f);
                }
                offset += param->value_count;
                continue;
            }
            output_csv_field(f, spec->outputs[o].name);
            fputc(',', f);
            output_csv_field(f, param->name);
            double row[5];
            size_t n = 0;
            switch (spec->method) {
            case SWEEP_SOBOL:
                row[n++] = x->first.value;
                row[n++] = x->first.conf;
                row[n++] = x->total.value;
                row[n++] = x->total.conf;
                break;
            case SWEEP_MORRIS:
                row[n++] = x->mu;
                row[n++] = x->mu_star.value;
                row[n++] = x->sigma;
                row[n++] = x->mu_star.conf;
                break;
            case SWEEP_OAT:
                row[n++] = param->low;
                row[n++] = param->high;
                row[n++] = x->value_low;
                row[n++] = x->value_high;
                row[n++] = res->y[o]; /* run 0 is the base */
                break;
            case SWEEP_MONTECARLO:
                row[n++] = x->pearson;
                row[n++] = x->spearman;
                break;
            case SWEEP_GRID:
                break;
            }
            for (size_t j = 0; j < n; j++) {
                fputc(',', f);
                output_csv_number(f, row[j]);
            }
            fputc('\n', f);
        }
    }
}

int sweep_write(const sweep_result *res, const run *r, output_batch *batch, summary_part *charts,
                const discover_result *discovery, int samples_csv, int threads, diag *d)
{
    FILE *f;
    if (samples_csv) {
        if (!(f = output_batch_open(batch, "samples.csv", d))) {
            summary_part_free(charts);
            return d->status;
        }
        sweep_write_samples(f, res, threads);
    }
    if (!(f = output_batch_open(batch, "sensitivity.csv", d))) {
        summary_part_free(charts);
        return d->status;
    }
    sweep_write_sensitivity(f, res);
    if (sweep_write_convergence(batch, res, d) != DIAG_OK) {
        summary_part_free(charts);
        return d->status;
    }
    summary s;
    summary_start(&s, summary_sweep(res, r, charts), "building summary.json");
    if (discovery)
        summary_add(&s, "discovery", summary_discover(discovery));
    summary_add(&s, "environment", summary_environment(res->threads));
    summary_add_warnings(&s, d);
    int written = summary_write(&s, batch, d);
    summary_free(&s);
    return written;
}

/* ---------------------------------------------------------------------------------------- */
/* Printing                                                                                   */

void sweep_print_budget(FILE *out, const sweep_spec *spec)
{
    size_t k = spec->parameter_count;
    switch (spec->method) {
    case SWEEP_SOBOL:
        if (spec->samples_auto) {
            fprintf(out, _("sobol: N = auto, k = %zu: from N = %zu, doubling (every run reused) until every ST 95%% "
                         "interval is narrower than %g, at most N = %zu; bootstrap %zu resamples\n"),
                    k, spec->samples, spec->threshold, spec->samples_max, spec->bootstrap);
            break;
        }
        fprintf(out, _("sobol: N = %zu, k = %zu -> N(k+2) = %zu model runs; bootstrap %zu resamples, %s Sobol' points\n"),
                spec->samples, k, spec->runs, spec->bootstrap, spec->scramble ? _("scrambled") : _("plain"));
        break;
    case SWEEP_MORRIS:
        fprintf(out, _("morris: r = %zu trajectories, k = %zu, p = %u levels -> r(k+1) = %zu model runs; bootstrap %zu\n"),
                spec->samples, k, spec->levels, spec->runs, spec->bootstrap);
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, _("montecarlo: N = %zu model runs, k = %zu parameters\n"), spec->runs, k);
        break;
    case SWEEP_OAT:
        fprintf(out, _("oat: k = %zu -> 2k+1 = %zu model runs (the base, and low and high of each parameter)\n"), k,
                spec->runs);
        break;
    case SWEEP_GRID:
        fprintf(out, _("grid: "));
        for (size_t i = 0; i < k; i++)
            fprintf(out, "%s%zu", i ? " x " : "", spec->parameters[i].value_count);
        fprintf(out, _(" = %zu model runs\n"), spec->runs);
        break;
    }
}

/* An index with its interval: "0.612 [0.590, 0.634]". */
static void sweep_format_estimate(char *buf, size_t size, const sensitivity_estimate *e)
{
    char text[96];
    if (isnan(e->low))
        snprintf(text, sizeof text, "%.3f", e->value);
    else
        snprintf(text, sizeof text, "%.3f [%.3f, %.3f]", e->value, e->low, e->high);
    snprintf(buf, size, "%-22s", text);
}

static const char *sweep_mark(const sensitivity_estimate *e)
{
    return e->negative ? "!" : e->not_converged ? "*" : " ";
}

static void sweep_print_output_header(FILE *out, const sweep_result *res, size_t o)
{
    const sweep_output *output = &res->spec->outputs[o];
    const sweep_statistics *s = &res->statistics[o];
    char mean[64], lo[64], hi[64], base[64];
    if (output->is_goal) {
        fprintf(out, _("\n%s  %s (1 = met): met in %.1f%% of the runs"), text_safe(output->name), text_safe(output->label),
                100 * s->mean);
        if (!isnan(s->base))
            fputs(s->base > 0.5 ? _("; met on the scenario's path") : _("; not met on the scenario's path"), out);
        fputc('\n', out);
        return;
    }
    units_format_value(mean, sizeof mean, s->mean, output->unit);
    units_format_value(base, sizeof base, s->base, output->unit);
    fprintf(out, "\n%s  %s [%s]: ", text_safe(output->name), text_safe(output->label), text_safe(output->unit));
    switch (res->spec->method) {
    case SWEEP_SOBOL:
    case SWEEP_MONTECARLO:
        /* the runs sample the parameters' distributions: their spread is the output's */
        units_format_value(lo, sizeof lo, s->p05, output->unit);
        units_format_value(hi, sizeof hi, s->p95, output->unit);
        fprintf(out, _("mean %s, 90%% of runs in [%s, %s]; "), mean, lo, hi);
        break;
    case SWEEP_GRID:
    case SWEEP_MORRIS:
        units_format_value(lo, sizeof lo, s->min, output->unit);
        units_format_value(hi, sizeof hi, s->max, output->unit);
        fprintf(out, _("from %s to %s over the runs; "), lo, hi);
        break;
    case SWEEP_OAT:
        break;
    }
    fprintf(out, _("scenario %s\n"), base);
}

/* 1 when parameter i does not move output o at all in this sweep (every index exactly 0). */
static int sweep_no_effect(const sweep_result *res, size_t o, size_t i)
{
    const sweep_index *x = &res->indices[o * res->spec->parameter_count + i];
    switch (res->spec->method) {
    case SWEEP_SOBOL:
        return x->total.value == 0 && x->first.value == 0;
    case SWEEP_MORRIS:
        return x->mu_star.value == 0;
    case SWEEP_OAT:
        return x->value_low == res->y[o] && x->value_high == res->y[o];
    case SWEEP_MONTECARLO:
        return isnan(x->spearman) && isnan(x->pearson);
    case SWEEP_GRID:
        return x->range == 0;
    }
    return 0;
}

/* What the ranking of the method means, before the tables. */
static void sweep_print_intro(FILE *out, const sweep_spec *spec)
{
    switch (spec->method) {
    case SWEEP_SOBOL:
        fprintf(out,
                _("Parameters ranked by the total Sobol' index ST: the share of the output's variance that involves "
                "the\nparameter, alone or with others; S1 is its share alone. %.0f%% intervals from %zu bootstrap "
                "resamples\nof the N rows.\n"),
                100 * spec->confidence, spec->bootstrap);
        break;
    case SWEEP_MORRIS:
        fprintf(out,
                _("Parameters ranked by mu*, the mean absolute elementary effect: how much the output moves when the\n"
                "parameter goes over its whole range; sigma large against mu* means interactions or nonlinearity.\n"
                "%.0f%% intervals of mu* from %zu bootstrap resamples of the trajectories.\n"),
                100 * spec->confidence, spec->bootstrap);
        break;
    case SWEEP_OAT:
        fprintf(out, _("Each parameter moved alone from the scenario to its low and high values; ranked by the swing.\n"));
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, _("Parameters ranked by the rank (Spearman) correlation of their draws with the output.\n"));
        break;
    case SWEEP_GRID:
        fprintf(out, _("Parameters ranked by their main effect: the range of the output's mean over each value "
                     "(sensitivity.csv\nhas the means by value).\n"));
        break;
    }
}

/* The column headings of an output's table. */
static void sweep_print_heading(FILE *out, const sweep_spec *spec, size_t name_width)
{
    fprintf(out, _("  rank  "));
    text_pad(out, _("parameter"), name_width, 1);
    switch (spec->method) {
    case SWEEP_SOBOL:
        fprintf(out, _("  ST [%.0f%% interval]      S1 [%.0f%% interval]\n"), 100 * spec->confidence,
                100 * spec->confidence);
        break;
    case SWEEP_MORRIS:
    {
        char head[64];
        snprintf(head, sizeof head, "mu* [%.0f%% interval]", 100 * spec->confidence);
        fprintf(out, _("  %-30s %11s  %11s   (output unit per whole range)\n"), head, "mu", "sigma");
    }
        break;
    case SWEEP_OAT:
        fprintf(out, _("  low -> output        high -> output       swing\n"));
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, _("  spearman  pearson\n"));
        break;
    case SWEEP_GRID:
        fprintf(out, _("  range of the mean over its values\n"));
        break;
    }
}

/* One parameter's row of output o's table (rank j + 1). Returns 1 when an index is flagged
 * (not converged, or clearly negative). */
static int sweep_print_row(FILE *out, const sweep_result *res, size_t o, size_t j, size_t i, size_t name_width)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    const char *unit = spec->outputs[o].unit;
    int flagged = 0;
    const sweep_parameter *param = &spec->parameters[i];
    const sweep_index *x = &res->indices[o * k + i];
    char name[256], a[96], b[96], c[96], d[96];
    snprintf(name, sizeof name, "%s  %s", param->name, param->label);
    fprintf(out, "  %4zu  ", j + 1);
    text_pad(out, name, name_width, 1);
    switch (spec->method) {
    case SWEEP_SOBOL:
        sweep_format_estimate(a, sizeof a, &x->total);
        sweep_format_estimate(b, sizeof b, &x->first);
        {
            char line[256];
            snprintf(line, sizeof line, "  %s%s  %s%s", a, sweep_mark(&x->total), b, sweep_mark(&x->first));
            size_t length = strlen(line);
            while (length && line[length - 1] == ' ')
                line[--length] = '\0';
            fprintf(out, "%s\n", line);
        }
        flagged |= x->total.not_converged || x->total.negative || x->first.not_converged || x->first.negative;
        break;
    case SWEEP_MORRIS:
        if (isnan(x->mu_star.low))
            snprintf(a, sizeof a, "%.4g%s", x->mu_star.value, sweep_mark(&x->mu_star));
        else
            snprintf(a, sizeof a, "%.4g [%.4g, %.4g]%s", x->mu_star.value, x->mu_star.low, x->mu_star.high,
                     sweep_mark(&x->mu_star));
        fprintf(out, "  %-30s %11.4g  %11.4g\n", a, x->mu, x->sigma);
        flagged |= x->mu_star.not_converged;
        break;
    case SWEEP_OAT:
        units_format_value(a, sizeof a, param->low, param->unit);
        units_format_value(b, sizeof b, x->value_low, unit);
        units_format_value(c, sizeof c, param->high, param->unit);
        units_format_value(d, sizeof d, x->value_high, unit);
        fprintf(out, "  %8s -> %-9s %8s -> %-9s ", a, b, c, d);
        units_format_value(a, sizeof a, fabs(x->value_high - x->value_low), unit);
        fprintf(out, "%s\n", a);
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, "  %8.3f  %7.3f\n", x->spearman, x->pearson);
        break;
    case SWEEP_GRID:
        units_format_value(a, sizeof a, x->range, unit);
        fprintf(out, "  %s\n", a);
        break;
    }
    return flagged;
}

/* Output o: its distribution, then its parameters ranked (those without effect named on one
 * line). Returns 1 when an index is flagged. */
static int sweep_print_output(FILE *out, const sweep_result *res, size_t o, size_t name_width)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    int flagged = 0;
    sweep_print_output_header(out, res, o);
    size_t order[SWEEP_MAX_PARAMETERS];
    sweep_ranking(res, o, order);
    size_t moving = 0;
    for (size_t i = 0; i < k; i++)
        moving += !sweep_no_effect(res, o, i);
    if (moving == 0) {
        const sweep_statistics *st = &res->statistics[o];
        if (spec->outputs[o].is_goal)
            fprintf(out, _("  %s: no combination of these ranges changes that\n"),
                    st->mean > 0.5 ? "met in every run" : "met in no run");
        else
            fprintf(out, _("  the same in every run: no parameter of the sweep moves it\n"));
        return 0;
    }
    sweep_print_heading(out, spec, name_width);
    size_t inert = 0;
    for (size_t j = 0; j < k; j++) {
        size_t i = order[j];
        if (sweep_no_effect(res, o, i)) {
            inert++;
            continue;
        }
        flagged |= sweep_print_row(out, res, o, j, i, name_width);
    }
    if (inert) {
        fprintf(out, _("        no effect:"));
        for (size_t j = 0, shown = 0; j < k; j++)
            if (sweep_no_effect(res, o, order[j]))
                fprintf(out, "%s %s", shown++ ? "," : "", text_safe(spec->parameters[order[j]].name));
        fputc('\n', out);
    }
    return flagged;
}

void sweep_print(FILE *out, const sweep_result *res, const run *r)
{
    (void)r;
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    size_t name_width = text_display_width(_("parameter"));
    for (size_t i = 0; i < k; i++) {
        size_t w = text_display_width(spec->parameters[i].name) + 2 + text_display_width(spec->parameters[i].label);
        if (w > name_width)
            name_width = w;
    }
    int flagged = 0;
    fputc('\n', out);
    sweep_print_intro(out, spec);
    for (size_t o = 0; o < spec->output_count; o++)
        flagged |= sweep_print_output(out, res, o, name_width);
    sweep_print_convergence(out, res);
    if (flagged)
        fprintf(out,
                spec->method == SWEEP_MORRIS
                    ? _("\n* not converged: the interval is wider than %g x the largest mu*; ! clearly negative. Increase "
                        "\"trajectories\".\n")
                    : _("\n* not converged: the interval is wider than %g; ! clearly negative. Increase \"samples\" "
                        "(N).\n"),
                spec->threshold);
}
