/* sweep.c: the sweep block of a scenario, its design, its model runs on the block engine, the
 * analyses and the files of `econsim sweep`.
 *
 * Designs are generated deterministically before any model runs (Sobol' points, Morris
 * trajectories) or derived from the run index (grid, one-at-a-time); Monte Carlo draws come
 * from the engine's per-block random streams. So the parameter values of run i depend on the
 * seed and i alone, never on the number of threads, and every file is byte-identical for any
 * --threads. Runs do not share state: each block's lanes get all the swept inputs written
 * (the scenario's own values where a run keeps them) on top of the clean plan, and the plan
 * itself is never modified. */
#include "sweep.h"
#include "dist_json.h"
#include "engine.h"
#include "goals.h"
#include "mem.h"
#include "report.h"
#include "text.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *sweep_method_name(sweep_method method)
{
    static const char *const names[] = {"grid", "oat", "montecarlo", "sobol", "morris"};
    return (unsigned)method < sizeof names / sizeof names[0] ? names[method] : "";
}

void sweep_spec_free(sweep_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->parameter_count; i++) {
        mem_free(spec->parameters[i].name);
        mem_free(spec->parameters[i].values);
        mem_free(spec->parameters[i].cells);
    }
    for (size_t o = 0; o < spec->output_count; o++) {
        mem_free(spec->outputs[o].name);
        mem_free(spec->outputs[o].label);
        mem_free(spec->outputs[o].goal_id);
    }
    mem_free(spec->parameters);
    mem_free(spec->outputs);
    mem_free(spec->file);
    mem_free(spec);
}

void sweep_print_budget(FILE *out, const sweep_spec *spec)
{
    size_t k = spec->parameter_count;
    switch (spec->method) {
    case SWEEP_SOBOL:
        fprintf(out, "sobol: N = %zu, k = %zu -> N(k+2) = %zu model runs; bootstrap %zu resamples, %s Sobol' points\n",
                spec->samples, k, spec->runs, spec->bootstrap, spec->scramble ? "scrambled" : "plain");
        break;
    case SWEEP_MORRIS:
        fprintf(out, "morris: r = %zu trajectories, k = %zu, p = %u levels -> r(k+1) = %zu model runs; bootstrap %zu\n",
                spec->samples, k, spec->levels, spec->runs, spec->bootstrap);
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, "montecarlo: N = %zu model runs, k = %zu parameters\n", spec->runs, k);
        break;
    case SWEEP_OAT:
        fprintf(out, "oat: k = %zu -> 2k+1 = %zu model runs (the base, and low and high of each parameter)\n", k,
                spec->runs);
        break;
    case SWEEP_GRID:
        fprintf(out, "grid: ");
        for (size_t i = 0; i < k; i++)
            fprintf(out, "%s%zu", i ? " x " : "", spec->parameters[i].value_count);
        fprintf(out, " = %zu model runs\n", spec->runs);
        break;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The design                                                                                 */

void sweep_point(const sweep_result *res, size_t run_index, double *x)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    switch (spec->method) {
    case SWEEP_SOBOL: {
        double u[SENSITIVITY_SOBOL_MAX_PARAMETERS];
        sensitivity_saltelli_point(res->design, k, run_index, u);
        for (size_t i = 0; i < k; i++)
            x[i] = dist_quantile(&spec->parameters[i].dist, u[i]);
        break;
    }
    case SWEEP_MORRIS:
        for (size_t i = 0; i < k; i++)
            x[i] = dist_quantile(&spec->parameters[i].dist, res->design[run_index * k + i]);
        break;
    case SWEEP_MONTECARLO:
        memcpy(x, res->design + run_index * k, k * sizeof *x);
        break;
    case SWEEP_GRID: {
        size_t rest = run_index;
        for (size_t i = k; i-- > 0;) {
            const sweep_parameter *param = &spec->parameters[i];
            x[i] = param->values[rest % param->value_count];
            rest /= param->value_count;
        }
        break;
    }
    case SWEEP_OAT:
        for (size_t i = 0; i < k; i++)
            x[i] = NAN;
        if (run_index > 0) {
            size_t i = (run_index - 1) / 2;
            x[i] = run_index % 2 ? spec->parameters[i].low : spec->parameters[i].high;
        }
        break;
    }
}

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

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

typedef struct sweep_context {
    const sweep_spec *spec;
    sweep_result *res;
    const sim_plan *plan;
} sweep_context;


/* An output's value from a values array with `lanes` lanes; NaN when not finite. */
static double sweep_output_value(const sweep_output *out, const double *values, size_t lanes, size_t lane)
{
    double v = values[out->cell * lanes + lane];
    if (!out->is_goal)
        return v;
    if (out->goal_growth)
        v = v / values[(out->cell - 1) * lanes + lane] - 1;
    if (!isfinite(v))
        return NAN;
    return goals_met_rule(out->goal_at_most, out->goal_target, v) ? 1.0 : 0.0;
}

static int sweep_setup(void *context, engine_block *block)
{
    sweep_context *c = context;
    const sweep_spec *spec = c->spec;
    size_t k = spec->parameter_count, lanes = block->lanes;
    double *x = block->scratch;
    for (size_t lane = 0; lane < lanes; lane++) {
        size_t run_index = block->first + lane;
        if (spec->method == SWEEP_MONTECARLO) {
            /* the block's own stream, lane by lane: the draws depend on (seed, run) only */
            for (size_t i = 0; i < k; i++)
                x[i] = c->res->design[run_index * k + i] = dist_sample(&spec->parameters[i].dist, block->rng);
        } else {
            sweep_point(c->res, run_index, x);
        }
        for (size_t i = 0; i < k; i++) {
            const sweep_parameter *param = &spec->parameters[i];
            for (size_t j = 0; j < param->cell_count; j++) {
                size_t cell = param->cells[j];
                /* every run writes every swept cell: buffers are reused from block to block */
                block->values[cell * lanes + lane] = isnan(x[i]) ? c->plan->base[cell] : x[i];
            }
        }
    }
    return DIAG_OK;
}

static int sweep_reduce(void *context, engine_block *block)
{
    sweep_context *c = context;
    const sweep_spec *spec = c->spec;
    size_t outputs = spec->output_count;
    for (size_t lane = 0; lane < block->lanes; lane++) {
        size_t run_index = block->first + lane;
        double *y = c->res->y + run_index * outputs;
        for (size_t o = 0; o < outputs; o++) {
            y[o] = sweep_output_value(&spec->outputs[o], block->values, block->lanes, lane);
            if (isfinite(y[o]))
                continue;
            double x[SWEEP_MAX_PARAMETERS];
            sweep_point(c->res, run_index, x);
            size_t used = (size_t)snprintf(block->message, sizeof block->message, "run %zu (", run_index);
            for (size_t i = 0; i < spec->parameter_count && used < sizeof block->message; i++)
                used += (size_t)snprintf(block->message + used, sizeof block->message - used, "%s%s = %g",
                                         i ? ", " : "", spec->parameters[i].name, x[i]);
            if (used < sizeof block->message)
                snprintf(block->message + used, sizeof block->message - used,
                         ") gives %s that is not a finite number: the model has no value there (narrow the ranges)",
                         spec->outputs[o].name);
            return DIAG_DATA;
        }
    }
    return DIAG_OK;
}

/* Quantile q of sorted data. */
static double sweep_quantile(const double *sorted, size_t n, double q)
{
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

static int sweep_statistics_compute(sweep_result *res, const run *r, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t outputs = spec->output_count, k = spec->parameter_count;
    size_t count = spec->method == SWEEP_SOBOL ? 2 * spec->samples : res->runs;
    double *column = mem_alloc(count * sizeof *column);
    if (!column)
        return diag_oom(d, "summarising a sweep");
    for (size_t o = 0; o < outputs; o++) {
        size_t n = 0;
        for (size_t run_index = 0; run_index < res->runs; run_index++) {
            if (spec->method == SWEEP_SOBOL && run_index % (k + 2) != 0 && run_index % (k + 2) != k + 1)
                continue;
            column[n++] = res->y[run_index * outputs + o];
        }
        sweep_statistics *s = &res->statistics[o];
        s->mean = gsl_stats_mean(column, 1, n);
        s->sd = n > 1 ? gsl_stats_sd_m(column, 1, n, s->mean) : NAN;
        gsl_sort(column, 1, n);
        s->min = column[0];
        s->max = column[n - 1];
        s->p05 = sweep_quantile(column, n, 0.05);
        s->p25 = sweep_quantile(column, n, 0.25);
        s->p50 = sweep_quantile(column, n, 0.50);
        s->p75 = sweep_quantile(column, n, 0.75);
        s->p95 = sweep_quantile(column, n, 0.95);
        s->base = r->values ? sweep_output_value(&spec->outputs[o], r->values, 1, 0) : NAN;
    }
    mem_free(column);
    return DIAG_OK;
}

static void sweep_hash_design(sweep_result *res)
{
    size_t k = res->spec->parameter_count;
    double x[SWEEP_MAX_PARAMETERS];
    uint64_t hash = SENSITIVITY_FNV_OFFSET;
    for (size_t run_index = 0; run_index < res->runs; run_index++) {
        sweep_point(res, run_index, x);
        for (size_t i = 0; i < k; i++) {
            uint64_t bits;
            memcpy(&bits, &x[i], sizeof bits);
            unsigned char bytes[8];
            for (int b = 0; b < 8; b++)
                bytes[b] = (unsigned char)(bits >> (8 * b)); /* little-endian on every host */
            hash = sensitivity_fnv1a(hash, bytes, sizeof bytes);
        }
    }
    res->design_hash = hash;
}

static int sweep_analyse(sweep_result *res, int threads, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    sensitivity_options opt = {.bootstrap = spec->bootstrap,
                               .confidence = spec->confidence,
                               .threshold = spec->threshold,
                               .seed = spec->seed,
                               .threads = threads};
    for (size_t o = 0; o < outputs; o++) {
        if (engine_stop_requested())
            return diag_error(d, ENGINE_INTERRUPTED, "interrupted: nothing was written");
        sweep_index *row = res->indices + o * k;
        const double *y = res->y + o;
        for (size_t i = 0; i < k; i++) {
            sweep_index *x = &row[i];
            x->mu = x->sigma = x->value_low = x->value_high = x->pearson = x->spearman = x->range = NAN;
            x->first.value = x->total.value = x->mu_star.value = NAN;
        }
        switch (spec->method) {
        case SWEEP_SOBOL: {
            sensitivity_estimate first[SENSITIVITY_SOBOL_MAX_PARAMETERS], total[SENSITIVITY_SOBOL_MAX_PARAMETERS];
            if (sensitivity_sobol(spec->samples, k, y, outputs, &opt, first, total, NULL, d) != DIAG_OK)
                return d->status;
            for (size_t i = 0; i < k; i++) {
                row[i].first = first[i];
                row[i].total = total[i];
            }
            break;
        }
        case SWEEP_MORRIS: {
            sensitivity_morris_index morris[SWEEP_MAX_PARAMETERS];
            if (sensitivity_morris(k, spec->samples, res->design, y, outputs, &opt, morris, d) != DIAG_OK)
                return d->status;
            for (size_t i = 0; i < k; i++) {
                row[i].mu = morris[i].mu;
                row[i].mu_star = morris[i].mu_star;
                row[i].sigma = morris[i].sigma;
            }
            break;
        }
        case SWEEP_OAT:
            for (size_t i = 0; i < k; i++) {
                row[i].value_low = y[(1 + 2 * i) * outputs];
                row[i].value_high = y[(2 + 2 * i) * outputs];
            }
            break;
        case SWEEP_MONTECARLO: {
            double pearson[SWEEP_MAX_PARAMETERS], spearman[SWEEP_MAX_PARAMETERS];
            if (sensitivity_correlations(res->runs, k, res->design, y, outputs, pearson, spearman, d) != DIAG_OK)
                return d->status;
            for (size_t i = 0; i < k; i++) {
                row[i].pearson = pearson[i];
                row[i].spearman = spearman[i];
            }
            break;
        }
        case SWEEP_GRID: {
            size_t levels[SWEEP_MAX_PARAMETERS];
            for (size_t i = 0; i < k; i++)
                levels[i] = spec->parameters[i].value_count;
            double *mean = res->grid_mean + o * res->grid_levels, *min = res->grid_min + o * res->grid_levels,
                   *max = res->grid_max + o * res->grid_levels;
            sensitivity_grid_effects(k, levels, y, outputs, mean, min, max);
            size_t offset = 0;
            for (size_t i = 0; i < k; i++) {
                double lo = INFINITY, hi = -INFINITY;
                for (size_t l = 0; l < levels[i]; l++) {
                    lo = fmin(lo, mean[offset + l]);
                    hi = fmax(hi, mean[offset + l]);
                }
                row[i].range = hi - lo;
                offset += levels[i];
            }
            break;
        }
        }
    }
    return DIAG_OK;
}

void sweep_result_free(sweep_result *res)
{
    if (!res)
        return;
    mem_free(res->y);
    mem_free(res->design);
    mem_free(res->indices);
    mem_free(res->statistics);
    mem_free(res->grid_mean);
    mem_free(res->grid_min);
    mem_free(res->grid_max);
    mem_free(res);
}

int sweep_execute(const sweep_spec *spec, const run *r, int threads, int quiet, sweep_result **out, diag *d)
{
    *out = NULL;
    size_t k = spec->parameter_count, outputs = spec->output_count, runs = spec->runs;
    size_t design_doubles = spec->method == SWEEP_SOBOL ? spec->samples * 2 * k
                            : spec->method == SWEEP_MORRIS || spec->method == SWEEP_MONTECARLO ? runs * k
                                                                                              : 0;
    size_t bytes = (runs * outputs + design_doubles) * sizeof(double);
    char what[200];
    snprintf(what, sizeof what, "the sweep's results (%zu runs x %zu outputs) and design", runs, outputs);
    if (engine_check_memory(bytes, what, d) != DIAG_OK)
        return d->status;
    sweep_result *res = mem_calloc(1, sizeof *res);
    if (!res)
        return diag_oom(d, "running a sweep");
    res->spec = spec;
    res->runs = runs;
    res->y = mem_alloc((runs * outputs > 0 ? runs * outputs : 1) * sizeof *res->y);
    res->design = design_doubles ? mem_alloc(design_doubles * sizeof *res->design) : NULL;
    res->indices = mem_calloc(outputs * k, sizeof *res->indices);
    res->statistics = mem_calloc(outputs, sizeof *res->statistics);
    if (!res->y || (design_doubles && !res->design) || !res->indices || !res->statistics)
        goto oom;
    if (spec->method == SWEEP_GRID) {
        for (size_t i = 0; i < k; i++)
            res->grid_levels += spec->parameters[i].value_count;
        res->grid_mean = mem_alloc(outputs * res->grid_levels * sizeof *res->grid_mean);
        res->grid_min = mem_alloc(outputs * res->grid_levels * sizeof *res->grid_min);
        res->grid_max = mem_alloc(outputs * res->grid_levels * sizeof *res->grid_max);
        if (!res->grid_mean || !res->grid_min || !res->grid_max)
            goto oom;
    }
    int status = DIAG_OK;
    if (spec->method == SWEEP_SOBOL)
        status = sensitivity_sobol_points(spec->samples, 2 * k, spec->scramble, spec->seed, res->design, d);
    else if (spec->method == SWEEP_MORRIS)
        status = sensitivity_morris_points(k, spec->samples, spec->levels, spec->seed, res->design, d);
    if (status != DIAG_OK)
        goto fail;

    sweep_context context = {.spec = spec, .res = res, .plan = r->plan};
    engine_job job = {
        .plan = r->plan,
        .paths = runs,
        .seed = spec->seed,
        .threads = threads,
        .quiet = quiet,
        .what = "runs",
        .scratch_bytes = k * sizeof(double),
        .setup = sweep_setup,
        .reduce = sweep_reduce,
        .context = &context,
    };
    engine_stats stats;
    diag engine_diag;
    diag_init(&engine_diag);
    status = engine_run(&job, &stats, &engine_diag);
    if (status != DIAG_OK) {
        /* locate a failing run in the scenario file: the engine reports the message as is */
        const char *message = engine_diag.message;
        if (!strncmp(message, "error: ", 7))
            message += 7;
        if (status == DIAG_DATA)
            diag_error_json(d, status, spec->file, "$.sweep.parameters", "%s", message);
        else
            diag_error(d, status, "%s", message);
        diag_free(&engine_diag);
        goto fail;
    }
    diag_free(&engine_diag);
    res->threads = stats.threads;
    res->run_seconds = stats.seconds;
    double started = omp_get_wtime();
    sweep_hash_design(res);
    if (sweep_statistics_compute(res, r, d) != DIAG_OK || sweep_analyse(res, threads, d) != DIAG_OK)
        goto fail;
    res->analysis_seconds = omp_get_wtime() - started;
    *out = res;
    return DIAG_OK;
oom:
    diag_oom(d, "running a sweep");
fail:
    sweep_result_free(res);
    return d->status;
}

/* ---------------------------------------------------------------------------------------- */
/* Ranking                                                                                    */

static double sweep_importance(const sweep_result *res, size_t o, size_t i)
{
    const sweep_index *x = &res->indices[o * res->spec->parameter_count + i];
    switch (res->spec->method) {
    case SWEEP_SOBOL:
        return x->total.value;
    case SWEEP_MORRIS:
        return x->mu_star.value;
    case SWEEP_OAT:
        return fabs(x->value_high - x->value_low);
    case SWEEP_MONTECARLO:
        return isnan(x->spearman) ? 0 : fabs(x->spearman);
    case SWEEP_GRID:
        return x->range;
    }
    return 0;
}

void sweep_ranking(const sweep_result *res, size_t o, size_t *order)
{
    size_t k = res->spec->parameter_count;
    for (size_t i = 0; i < k; i++)
        order[i] = i;
    /* insertion sort: stable, and k is small */
    for (size_t i = 1; i < k; i++) {
        size_t v = order[i], j = i;
        double key = sweep_importance(res, o, v);
        while (j > 0 && sweep_importance(res, o, order[j - 1]) < key) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                      */

static void sweep_write_samples(FILE *f, const sweep_result *res)
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
    double x[SWEEP_MAX_PARAMETERS];
    char label[128];
    for (size_t run_index = 0; run_index < res->runs; run_index++) {
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

/* Building summary.json: every add reports failure (out of memory) instead of leaving a
 * field out silently; the callers AND the results and give up on the first failure. */

/* Adds item under key (takes ownership; a NULL item or object is a failure). Returns 1 or 0. */
static int sweep_json_add(cJSON *object, const char *key, cJSON *item)
{
    if (item && object && cJSON_AddItemToObject(object, key, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

static int sweep_json_push(cJSON *array, cJSON *item)
{
    if (item && array && cJSON_AddItemToArray(array, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

/* A number, or null for NaN and infinities (JSON has neither). */
static int sweep_json_number(cJSON *object, const char *key, double v)
{
    return sweep_json_add(object, key, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

static int sweep_json_string(cJSON *object, const char *key, const char *text)
{
    return sweep_json_add(object, key, cJSON_CreateString(text ? text : ""));
}

/* Adds a new object or array under key and returns it, or NULL on failure. */
static cJSON *sweep_json_child(cJSON *object, const char *key, int array)
{
    cJSON *child = array ? cJSON_CreateArray() : cJSON_CreateObject();
    return sweep_json_add(object, key, child) ? child : NULL;
}

static const char *sweep_flag(const sensitivity_estimate *e)
{
    return e->negative ? "negative" : e->not_converged ? "not converged" : "ok";
}

static int sweep_json_estimate(cJSON *object, const char *key, const sensitivity_estimate *e)
{
    char name[64];
    int ok = sweep_json_number(object, key, e->value);
    snprintf(name, sizeof name, "%s_low", key);
    ok = ok && sweep_json_number(object, name, e->low);
    snprintf(name, sizeof name, "%s_high", key);
    ok = ok && sweep_json_number(object, name, e->high);
    snprintf(name, sizeof name, "%s_conf", key);
    ok = ok && sweep_json_number(object, name, e->conf);
    snprintf(name, sizeof name, "%s_status", key);
    return ok && sweep_json_string(object, name, sweep_flag(e));
}

static int sweep_summary_design(cJSON *root, const sweep_result *res)
{
    const sweep_spec *spec = res->spec;
    cJSON *design = sweep_json_child(root, "design", 0);
    int ok = design != NULL;
    switch (spec->method) {
    case SWEEP_SOBOL:
        ok = ok && sweep_json_string(design, "sequence",
                                     spec->scramble ? "Sobol' (gsl_qrng_sobol) from the origin, with a random digital shift"
                                                    : "Sobol' (gsl_qrng_sobol), plain (without the origin)");
        ok = ok && sweep_json_string(design, "layout", "Saltelli: per row j, runs A_j, AB_j^(1..k), B_j");
        ok = ok && sweep_json_string(design, "first_order", "Saltelli et al. (2010), outputs centred");
        ok = ok && sweep_json_string(design, "total", "Jansen (1999)");
        break;
    case SWEEP_MORRIS:
        ok = ok && sweep_json_number(design, "trajectories", (double)spec->samples);
        ok = ok && sweep_json_number(design, "levels", spec->levels);
        ok = ok && sweep_json_number(design, "delta", spec->levels / (2.0 * (spec->levels - 1)));
        break;
    case SWEEP_MONTECARLO:
        ok = ok && sweep_json_string(design, "sampling",
                                     "independent draws from each distribution, one random stream per block of runs");
        break;
    case SWEEP_GRID:
        ok = ok && sweep_json_string(design, "order", "full factorial, the last parameter varying fastest");
        break;
    case SWEEP_OAT:
        ok = ok && sweep_json_string(design, "order", "run 0 the base, then low and high of each parameter");
        break;
    }
    if (spec->method == SWEEP_SOBOL || spec->method == SWEEP_MORRIS) {
        ok = ok && sweep_json_number(design, "bootstrap", (double)spec->bootstrap);
        ok = ok && sweep_json_number(design, "confidence", spec->confidence);
        ok = ok && sweep_json_number(design, "threshold", spec->threshold);
    }
    return ok;
}

static int sweep_summary_parameters(cJSON *root, const sweep_result *res, const run *r)
{
    const sweep_spec *spec = res->spec;
    cJSON *params = sweep_json_child(root, "parameters", 1);
    int ok = params != NULL;
    for (size_t i = 0; ok && i < spec->parameter_count; i++) {
        const sweep_parameter *param = &spec->parameters[i];
        cJSON *item = cJSON_CreateObject();
        ok = sweep_json_push(params, item);
        ok = ok && sweep_json_string(item, "name", param->name);
        ok = ok && sweep_json_string(item, "label", param->label);
        ok = ok && sweep_json_string(item, "unit", param->unit);
        ok = ok && sweep_json_string(item, "kind", model_kind_name(r->model->slots[param->slot].kind));
        ok = ok && sweep_json_number(item, "scenario_value", param->base);
        if (spec->method == SWEEP_GRID) {
            cJSON *values = ok ? sweep_json_child(item, "values", 1) : NULL;
            ok = values != NULL;
            for (size_t l = 0; ok && l < param->value_count; l++)
                ok = sweep_json_push(values, cJSON_CreateNumber(param->values[l]));
        } else if (spec->method == SWEEP_OAT) {
            ok = ok && sweep_json_number(item, "low", param->low);
            ok = ok && sweep_json_number(item, "high", param->high);
        } else {
            ok = ok && sweep_json_add(item, "distribution", dist_to_json(&param->dist));
        }
    }
    return ok;
}

static int sweep_summary_index(cJSON *row, const sweep_result *res, size_t o, size_t i)
{
    const sweep_spec *spec = res->spec;
    const sweep_index *x = &res->indices[o * spec->parameter_count + i];
    switch (spec->method) {
    case SWEEP_SOBOL:
        return sweep_json_estimate(row, "S1", &x->first) && sweep_json_estimate(row, "ST", &x->total);
    case SWEEP_MORRIS:
        return sweep_json_number(row, "mu", x->mu) && sweep_json_estimate(row, "mu_star", &x->mu_star) &&
               sweep_json_number(row, "sigma", x->sigma);
    case SWEEP_OAT:
        return sweep_json_number(row, "low", spec->parameters[i].low) &&
               sweep_json_number(row, "high", spec->parameters[i].high) &&
               sweep_json_number(row, "value_low", x->value_low) && sweep_json_number(row, "value_high", x->value_high) &&
               sweep_json_number(row, "swing", fabs(x->value_high - x->value_low));
    case SWEEP_MONTECARLO:
        return sweep_json_number(row, "pearson", x->pearson) && sweep_json_number(row, "spearman", x->spearman);
    case SWEEP_GRID:
        return sweep_json_number(row, "main_effect_range", x->range);
    }
    return 0;
}

static int sweep_summary_outputs(cJSON *root, const sweep_result *res, const run *r)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    cJSON *outs = sweep_json_child(root, "outputs", 1);
    int ok = outs != NULL;
    for (size_t o = 0; ok && o < spec->output_count; o++) {
        const sweep_output *out = &spec->outputs[o];
        const sweep_statistics *s = &res->statistics[o];
        cJSON *item = cJSON_CreateObject();
        ok = sweep_json_push(outs, item);
        ok = ok && sweep_json_string(item, "name", out->name);
        ok = ok && sweep_json_string(item, "label", out->label);
        ok = ok && sweep_json_string(item, "unit", out->unit);
        ok = ok && sweep_json_string(item, out->is_goal ? "goal" : "variable",
                                     out->is_goal ? out->goal_id : r->model->slots[out->slot].name);
        ok = ok && sweep_json_number(item, "year", out->year);
        ok = ok && sweep_json_number(item, "scenario_value", s->base);
        const char *names[] = {"mean", "sd", "min", "p05", "p25", "p50", "p75", "p95", "max"};
        double values[] = {s->mean, s->sd, s->min, s->p05, s->p25, s->p50, s->p75, s->p95, s->max};
        for (size_t j = 0; ok && j < sizeof names / sizeof names[0]; j++)
            ok = sweep_json_number(item, names[j], values[j]);
        size_t order[SWEEP_MAX_PARAMETERS];
        sweep_ranking(res, o, order);
        cJSON *ranking = ok ? sweep_json_child(item, "ranking", 1) : NULL;
        ok = ranking != NULL;
        for (size_t j = 0; ok && j < k; j++)
            ok = sweep_json_push(ranking, cJSON_CreateString(spec->parameters[order[j]].name));
        cJSON *indices = ok ? sweep_json_child(item, "sensitivity", 1) : NULL;
        ok = indices != NULL;
        for (size_t j = 0; ok && j < k; j++) {
            cJSON *row = cJSON_CreateObject();
            ok = sweep_json_push(indices, row);
            ok = ok && sweep_json_string(row, "parameter", spec->parameters[order[j]].name);
            ok = ok && sweep_json_number(row, "rank", (double)(j + 1));
            ok = ok && sweep_summary_index(row, res, o, order[j]);
        }
    }
    return ok;
}

/* The whole summary.json, or NULL when memory runs out (charts is taken over either way). */
static cJSON *sweep_summary(const sweep_result *res, const run *r, cJSON *charts)
{
    const sweep_spec *spec = res->spec;
    cJSON *root = cJSON_CreateObject();
    cJSON *about = root ? sweep_json_child(root, "scenario", 0) : NULL;
    int ok = about != NULL;
    ok = ok && sweep_json_string(about, "name", r->scenario->name);
    ok = ok && sweep_json_string(about, "title", r->scenario->title);
    ok = ok && sweep_json_string(about, "file", r->scenario->path);
    ok = ok && sweep_json_string(about, "model", r->model->path);
    ok = ok && sweep_json_number(about, "start", r->plan->start);
    ok = ok && sweep_json_number(about, "end", r->plan->end);
    ok = ok && sweep_json_string(root, "method", sweep_method_name(spec->method));
    ok = ok && sweep_json_number(root, "seed", (double)spec->seed);
    ok = ok && sweep_json_number(root, "N", spec->method == SWEEP_SOBOL || spec->method == SWEEP_MONTECARLO
                                                ? (double)spec->samples
                                                : NAN);
    ok = ok && sweep_json_number(root, "runs", (double)res->runs);
    char hash[40];
    snprintf(hash, sizeof hash, "fnv1a64:%016llx", (unsigned long long)res->design_hash);
    ok = ok && sweep_json_string(root, "design_hash", hash);
    ok = ok && sweep_json_string(root, "design_hash_of",
                                 "every run's parameter values in run order, as little-endian IEEE-754 doubles "
                                 "(NaN where a run keeps the scenario's value)");
    ok = ok && sweep_summary_design(root, res);
    ok = ok && sweep_summary_parameters(root, res, r);
    ok = ok && sweep_summary_outputs(root, res, r);
    if (ok)
        ok = sweep_json_add(root, "charts", charts ? charts : cJSON_CreateArray()); /* takes charts */
    else
        cJSON_Delete(charts);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

int sweep_write(const sweep_result *res, const run *r, output_batch *batch, cJSON *charts, diag *d)
{
    FILE *f = output_batch_open(batch, "samples.csv", d);
    if (!f) {
        cJSON_Delete(charts);
        return d->status;
    }
    sweep_write_samples(f, res);
    if (!(f = output_batch_open(batch, "sensitivity.csv", d))) {
        cJSON_Delete(charts);
        return d->status;
    }
    sweep_write_sensitivity(f, res);
    cJSON *summary = sweep_summary(res, r, charts);
    if (!summary || report_add_warnings(summary, d) != 0) {
        cJSON_Delete(summary);
        return diag_oom(d, "building summary.json");
    }
    int written = report_write_json(batch, "summary.json", summary, d);
    cJSON_Delete(summary);
    return written;
}

/* ---------------------------------------------------------------------------------------- */
/* Printing                                                                                   */

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
        fprintf(out, "\n%s  %s (1 = met): met in %.1f%% of the runs", text_safe(output->name), text_safe(output->label),
                100 * s->mean);
        if (!isnan(s->base))
            fprintf(out, "; %s on the scenario's path", s->base > 0.5 ? "met" : "not met");
        fputc('\n', out);
        return;
    }
    report_format_value(mean, sizeof mean, s->mean, output->unit);
    report_format_value(base, sizeof base, s->base, output->unit);
    fprintf(out, "\n%s  %s [%s]: ", text_safe(output->name), text_safe(output->label), text_safe(output->unit));
    switch (res->spec->method) {
    case SWEEP_SOBOL:
    case SWEEP_MONTECARLO:
        /* the runs sample the parameters' distributions: their spread is the output's */
        report_format_value(lo, sizeof lo, s->p05, output->unit);
        report_format_value(hi, sizeof hi, s->p95, output->unit);
        fprintf(out, "mean %s, 90%% of runs in [%s, %s]; ", mean, lo, hi);
        break;
    case SWEEP_GRID:
    case SWEEP_MORRIS:
        report_format_value(lo, sizeof lo, s->min, output->unit);
        report_format_value(hi, sizeof hi, s->max, output->unit);
        fprintf(out, "from %s to %s over the runs; ", lo, hi);
        break;
    case SWEEP_OAT:
        break;
    }
    fprintf(out, "scenario %s\n", base);
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

void sweep_print(FILE *out, const sweep_result *res, const run *r)
{
    (void)r;
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    size_t name_width = strlen("parameter");
    for (size_t i = 0; i < k; i++) {
        size_t w = text_display_width(spec->parameters[i].name) + 2 + text_display_width(spec->parameters[i].label);
        if (w > name_width)
            name_width = w;
    }
    int flagged = 0;
    fputc('\n', out);
    switch (spec->method) {
    case SWEEP_SOBOL:
        fprintf(out,
                "Parameters ranked by the total Sobol' index ST: the share of the output's variance that involves "
                "the\nparameter, alone or with others; S1 is its share alone. %.0f%% intervals from %zu bootstrap "
                "resamples\nof the N rows.\n",
                100 * spec->confidence, spec->bootstrap);
        break;
    case SWEEP_MORRIS:
        fprintf(out,
                "Parameters ranked by mu*, the mean absolute elementary effect: how much the output moves when the\n"
                "parameter goes over its whole range; sigma large against mu* means interactions or nonlinearity.\n"
                "%.0f%% intervals of mu* from %zu bootstrap resamples of the trajectories.\n",
                100 * spec->confidence, spec->bootstrap);
        break;
    case SWEEP_OAT:
        fprintf(out, "Each parameter moved alone from the scenario to its low and high values; ranked by the swing.\n");
        break;
    case SWEEP_MONTECARLO:
        fprintf(out, "Parameters ranked by the rank (Spearman) correlation of their draws with the output.\n");
        break;
    case SWEEP_GRID:
        fprintf(out, "Parameters ranked by their main effect: the range of the output's mean over each value "
                     "(sensitivity.csv\nhas the means by value).\n");
        break;
    }
    for (size_t o = 0; o < spec->output_count; o++) {
        sweep_print_output_header(out, res, o);
        const char *unit = spec->outputs[o].unit;
        size_t order[SWEEP_MAX_PARAMETERS];
        sweep_ranking(res, o, order);
        size_t moving = 0;
        for (size_t i = 0; i < k; i++)
            moving += !sweep_no_effect(res, o, i);
        if (moving == 0) {
            const sweep_statistics *st = &res->statistics[o];
            if (spec->outputs[o].is_goal)
                fprintf(out, "  %s: no combination of these ranges changes that\n",
                        st->mean > 0.5 ? "met in every run" : "met in no run");
            else
                fprintf(out, "  the same in every run: no parameter of the sweep moves it\n");
            continue;
        }
        fprintf(out, "  rank  ");
        text_pad(out, "parameter", name_width, 1);
        switch (spec->method) {
        case SWEEP_SOBOL:
            fprintf(out, "  ST [%.0f%% interval]      S1 [%.0f%% interval]\n", 100 * spec->confidence,
                    100 * spec->confidence);
            break;
        case SWEEP_MORRIS:
        {
            char head[64];
            snprintf(head, sizeof head, "mu* [%.0f%% interval]", 100 * spec->confidence);
            fprintf(out, "  %-30s %11s  %11s   (output unit per whole range)\n", head, "mu", "sigma");
        }
            break;
        case SWEEP_OAT:
            fprintf(out, "  low -> output        high -> output       swing\n");
            break;
        case SWEEP_MONTECARLO:
            fprintf(out, "  spearman  pearson\n");
            break;
        case SWEEP_GRID:
            fprintf(out, "  range of the mean over its values\n");
            break;
        }
        size_t inert = 0;
        for (size_t j = 0; j < k; j++) {
            size_t i = order[j];
            const sweep_parameter *param = &spec->parameters[i];
            const sweep_index *x = &res->indices[o * k + i];
            char name[256], a[96], b[96], c[96], d[96];
            if (sweep_no_effect(res, o, i)) {
                inert++;
                continue;
            }
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
                report_format_value(a, sizeof a, param->low, param->unit);
                report_format_value(b, sizeof b, x->value_low, unit);
                report_format_value(c, sizeof c, param->high, param->unit);
                report_format_value(d, sizeof d, x->value_high, unit);
                fprintf(out, "  %8s -> %-9s %8s -> %-9s ", a, b, c, d);
                report_format_value(a, sizeof a, fabs(x->value_high - x->value_low), unit);
                fprintf(out, "%s\n", a);
                break;
            case SWEEP_MONTECARLO:
                fprintf(out, "  %8.3f  %7.3f\n", x->spearman, x->pearson);
                break;
            case SWEEP_GRID:
                report_format_value(a, sizeof a, x->range, unit);
                fprintf(out, "  %s\n", a);
                break;
            }
        }
        if (inert) {
            fprintf(out, "        no effect:");
            for (size_t j = 0, shown = 0; j < k; j++)
                if (sweep_no_effect(res, o, order[j]))
                    fprintf(out, "%s %s", shown++ ? "," : "", text_safe(spec->parameters[order[j]].name));
            fputc('\n', out);
        }
    }
    if (flagged)
        fprintf(out,
                "\n* not converged: the interval is wider than %g%s; ! clearly negative. Increase %s.\n",
                spec->threshold, spec->method == SWEEP_MORRIS ? " x the largest mu*" : "",
                spec->method == SWEEP_MORRIS ? "\"trajectories\"" : "\"samples\" (N)");
}

/* ---------------------------------------------------------------------------------------- */
/* Benchmark                                                                                  */

int sweep_benchmark_sobol(const run *r, size_t n, int threads, double *run_seconds, double *analysis_seconds, diag *d)
{
    const model *m = r->model;
    const sim_plan *plan = r->plan;
    cJSON *block = cJSON_CreateObject();
    if (!block)
        return diag_oom(d, "building a benchmark sweep");
    cJSON_AddStringToObject(block, "method", "sobol");
    cJSON_AddNumberToObject(block, "samples", (double)n);
    cJSON_AddNumberToObject(block, "seed", 1);
    cJSON_AddNumberToObject(block, "bootstrap", 1000);
    cJSON *params = cJSON_AddObjectToObject(block, "parameters");
    size_t count = 0;
    for (size_t s = 0; params && s < m->slot_count && count < 8; s++) {
        const model_slot *ms = &m->slots[s];
        if (ms->kind == MODEL_VARIABLE)
            continue;
        int t = ms->kind == MODEL_PARAMETER ? 0 : sim_plan_year_index(plan, plan->start);
        double base = plan->base[s * plan->years + (size_t)t];
        double lo = isfinite(ms->min) ? ms->min : base - 0.2 * fabs(base);
        double hi = isfinite(ms->max) ? ms->max : base + 0.2 * fabs(base);
        if (!(lo < hi))
            continue;
        cJSON *spec = cJSON_AddObjectToObject(params, ms->name);
        cJSON_AddNumberToObject(spec, "min", lo);
        cJSON_AddNumberToObject(spec, "max", hi);
        count++;
    }
    cJSON *outputs = cJSON_AddArrayToObject(block, "outputs");
    static const char *const names[] = {"fiscal_revenue", "gdp", "construction_tax"};
    for (size_t i = 0; outputs && i < 3; i++)
        if (model_find(m, names[i]) >= 0) {
            char name[96];
            snprintf(name, sizeof name, "%s@%d", names[i], plan->end);
            cJSON_AddItemToArray(outputs, cJSON_CreateString(name));
        }
    sweep_spec *spec = sweep_parse(r, block, NULL, d);
    cJSON_Delete(block);
    if (!spec)
        return d->status;
    sweep_result *res;
    int status = sweep_execute(spec, r, threads, 1, &res, d);
    if (status == DIAG_OK) {
        *run_seconds = res->run_seconds;
        *analysis_seconds = res->analysis_seconds;
        sweep_result_free(res);
    }
    sweep_spec_free(spec);
    return status;
}
