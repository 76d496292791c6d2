/* sweep.c: the design of a sweep, its model runs on the block engine and the analyses
 * (sweep.h). The sweep block is read by sweep_load.c; the files, the table and the charts of
 * `econsim sweep` are written by sweep_write.c and sweep_charts.c.
 *
 * Designs are generated deterministically before any model runs (Sobol' points, Morris
 * trajectories) or derived from the run index (grid, one-at-a-time); Monte Carlo draws come
 * from the engine's per-block random streams. So the parameter values of run i depend on the
 * seed and i alone, never on the number of threads, and every file is byte-identical for any
 * --threads. Runs do not share state: each block's lanes get all the swept inputs written
 * (the scenario's own values where a run keeps them) on top of the clean plan, and the plan
 * itself is never modified. */
#include "sweep.h"
#include "fnv.h"
#include "order_stat.h"
#include "engine.h"
#include "goals.h"
#include "i18n.h"
#include "mem.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
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

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

typedef struct sweep_context {
    const sweep_spec *spec;
    sweep_result *res;
    const sim_plan *plan;
    size_t first_run;     /* the engine's path 0 is this run ("auto" runs only the new rows) */
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
        size_t run_index = c->first_run + block->first + lane;
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
        size_t run_index = c->first_run + block->first + lane;
        double *y = c->res->y + run_index * outputs;
        for (size_t o = 0; o < outputs; o++) {
            y[o] = sweep_output_value(&spec->outputs[o], block->values, block->lanes, lane);
            if (isfinite(y[o]))
                continue;
            double x[SWEEP_MAX_PARAMETERS];
            sweep_point(c->res, run_index, x);
            char point[sizeof block->message];
            size_t used = 0;
            point[0] = '\0';
            for (size_t i = 0; i < spec->parameter_count && used < sizeof point; i++)
                used += (size_t)snprintf(point + used, sizeof point - used, "%s%s = %g", i ? ", " : "",
                                         spec->parameters[i].name, x[i]);
            snprintf(block->message, sizeof block->message,
                     _("run %zu (%s) gives %s that is not a finite number: the model has no value there (narrow the "
                       "ranges)"),
                     run_index, point, spec->outputs[o].name);
            return DIAG_DATA;
        }
    }
    return DIAG_OK;
}

/* Quantile q of sorted data (or of data where every index this reads holds its order
 * statistic: see select_statistics). */
static double sweep_quantile(const double *sorted, size_t n, double q)
{
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

/* Puts at its index every order statistic of column[0..n) that the minimum, the maximum and
 * sweep_quantile at the levels[] read, so that those give what they would on the sorted
 * column: a selection in O(n) instead of a sort (the sort of 2N outputs of a Sobol' sweep was
 * its longest serial step). Sorts when a value is NaN (selection needs an order). */
static void select_statistics(double *column, size_t n, const double *levels, size_t count)
{
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (isnan(column[i])) {
            gsl_sort(column, 1, n);
            return;
        }
    size_t ks[2 * 8 + 2], nk = 0;
    ks[nk++] = 0;
    ks[nk++] = n - 1;
    for (size_t q = 0; q < count; q++) {
        size_t lhs = (size_t)(int)(levels[q] * (double)(n - 1)); /* as gsl_stats_quantile_from_sorted_data */
        ks[nk++] = lhs;
        if (lhs + 1 < n)
            ks[nk++] = lhs + 1;
    }
    /* sorted and distinct */
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && ks[j] < ks[j - 1]; j--) {
            size_t t = ks[j];
            ks[j] = ks[j - 1];
            ks[j - 1] = t;
        }
    size_t distinct = 0;
    for (size_t i = 0; i < nk; i++)
        if (distinct == 0 || ks[i] != ks[distinct - 1])
            ks[distinct++] = ks[i];
    order_stat_select_double(column, n, ks, distinct);
}

static int sweep_statistics_compute(sweep_result *res, const run *r, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t outputs = spec->output_count, k = spec->parameter_count;
    size_t count = spec->method == SWEEP_SOBOL ? 2 * spec->samples : res->runs;
    double *column = mem_alloc(count * sizeof *column);
    if (!column)
        return diag_oom(d, _("summarising a sweep"));
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
        static const double levels[] = {0.05, 0.25, 0.50, 0.75, 0.95};
        select_statistics(column, n, levels, sizeof levels / sizeof *levels);
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
    uint64_t hash = FNV1A64_OFFSET;
    for (size_t run_index = 0; run_index < res->runs; run_index++) {
        sweep_point(res, run_index, x);
        for (size_t i = 0; i < k; i++) {
            uint64_t bits;
            memcpy(&bits, &x[i], sizeof bits);
            unsigned char bytes[8];
            for (int b = 0; b < 8; b++)
                bytes[b] = (unsigned char)(bits >> (8 * b)); /* little-endian on every host */
            hash = fnv1a64(hash, bytes, sizeof bytes);
        }
    }
    res->design_hash = hash;
}

static void *sweep_hash_design_thread(void *res)
{
    sweep_hash_design(res);
    return NULL;
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
            return diag_error(d, DIAG_INTERRUPTED, _("interrupted: nothing was written"));
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

/* The design's hash, then the outputs' statistics and (when `analyse`) the indices. The hash
 * is a chain over every point of the design (FNV-1a, serial by nature: about 4% of a Sobol'
 * sweep's CPU time, 1.3 million points at N = 2^18), so on more than one thread it runs on a
 * thread of its own beside the other two, which only read the design (and the analysis's
 * batches are shared out dynamically, so the thread it shares a core with is not waited for). */
static int sweep_summarise(sweep_result *res, const run *r, int threads, int analyse, diag *d)
{
    pthread_t hasher;
    int beside = engine_thread_count(threads) > 1 && pthread_create(&hasher, NULL, sweep_hash_design_thread, res) == 0;
    if (!beside)
        sweep_hash_design(res);
    int status = sweep_statistics_compute(res, r, d);
    if (status == DIAG_OK && analyse)
        status = sweep_analyse(res, threads, d);
    if (beside)
        pthread_join(hasher, NULL);
    return status;
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
    for (size_t i = 0; res->convergence && i < res->convergence_steps; i++)
        mem_free(res->convergence[i].total);
    mem_free(res->convergence);
    mem_free(res);
}

/* A result for spec with its arrays (zeroed indices and statistics; the grid's main-effect
 * tables for a grid), or NULL when memory runs out. */
static sweep_result *sweep_result_alloc(const sweep_spec *spec, size_t design_doubles)
{
    size_t k = spec->parameter_count, outputs = spec->output_count, runs = spec->runs;
    sweep_result *res = mem_calloc(1, sizeof *res);
    if (!res)
        return NULL;
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
    return res;
oom:
    sweep_result_free(res);
    return NULL;
}

/* Runs `count` runs of the design from run `first` on the engine, writing res->y. A failing
 * run is located in the scenario file. Returns a DIAG_ status. */
static int sweep_run_range(const sweep_spec *spec, sweep_result *res, const run *r, int threads,
                           const engine_progress *progress, size_t first, size_t count, engine_stats *stats, diag *d)
{
    sweep_context context = {.spec = spec, .res = res, .plan = r->plan, .first_run = first};
    engine_job job = {
        .plan = r->plan,
        .paths = count,
        .seed = spec->seed,
        .threads = threads,
        .progress = progress,
        .what = _("runs"),
        .scratch_bytes = spec->parameter_count * sizeof(double),
        .setup = sweep_setup,
        .reduce = sweep_reduce,
        .context = &context,
    };
    /* what the runs write, so that chunks can be checkpointed or computed on other ranks */
    engine_region regions[2] = {
        {ENGINE_REGION_PATH, res->y + first * spec->output_count, spec->output_count * sizeof(double), 1, 0, NULL,
         NULL},
        {ENGINE_REGION_PATH, spec->method == SWEEP_MONTECARLO ? res->design + first * spec->parameter_count : NULL,
         spec->parameter_count * sizeof(double), 1, 0, NULL, NULL},
    };
    job.regions = regions;
    job.region_count = spec->method == SWEEP_MONTECARLO ? 2 : 1;
    job.shared = spec->samples_auto; /* every rank reads the indices to decide on doubling */
    diag engine_diag;
    diag_init(&engine_diag);
    int status = engine_run(&job, stats, &engine_diag);
    if (status != DIAG_OK) {
        /* locate a failing run in the scenario file: the engine reports the message as is */
        const char *message = diag_skip_label(engine_diag.message);
        if (status == DIAG_DATA)
            diag_error_json(d, status, spec->file, "$.sweep.parameters", "%s", message);
        else
            diag_error(d, status, "%s", message);
    }
    diag_free(&engine_diag);
    return status;
}

int sweep_execute(const sweep_spec *spec, const run *r, int threads, const engine_progress *progress,
                  sweep_result **out, diag *d)
{
    *out = NULL;
    size_t k = spec->parameter_count, outputs = spec->output_count, runs = spec->runs;
    size_t design_doubles = spec->method == SWEEP_SOBOL ? spec->samples * 2 * k
                            : spec->method == SWEEP_MORRIS || spec->method == SWEEP_MONTECARLO ? runs * k
                                                                                              : 0;
    size_t bytes = (runs * outputs + design_doubles) * sizeof(double);
    char what[200];
    snprintf(what, sizeof what, _("the sweep's results (%zu runs x %zu outputs) and design"), runs, outputs);
    if (engine_check_memory(bytes, what, d) != DIAG_OK)
        return d->status;
    sweep_result *res = sweep_result_alloc(spec, design_doubles);
    if (!res)
        return diag_oom(d, _("running a sweep"));
    int status = DIAG_OK;
    if (spec->method == SWEEP_SOBOL)
        status = sensitivity_sobol_points(spec->samples, 2 * k, spec->scramble, spec->seed, res->design, d);
    else if (spec->method == SWEEP_MORRIS)
        status = sensitivity_morris_points(k, spec->samples, spec->levels, spec->seed, res->design, d);
    if (status != DIAG_OK)
        goto fail;

    engine_stats stats;
    if (sweep_run_range(spec, res, r, threads, progress, 0, runs, &stats, d) != DIAG_OK)
        goto fail;
    res->threads = stats.threads;
    res->run_seconds = stats.seconds;
    double started = omp_get_wtime();
    /* a rank that only runs the models (it holds only its share of them, stats.partial):
     * rank 0 analyses */
    if (!spec->runs_only && sweep_summarise(res, r, threads, 1, d) != DIAG_OK)
        goto fail;
    res->analysis_seconds = omp_get_wtime() - started;
    *out = res;
    return DIAG_OK;
fail:
    sweep_result_free(res);
    return d->status;
}

/* ---------------------------------------------------------------------------------------- */
/* "samples": "auto"                                                                          */

/* Records the current ST of every output and parameter as a step. Returns DIAG_OK or
 * DIAG_SOFTWARE. */
static int sweep_auto_record(sweep_result *res, diag *d)
{
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    sweep_convergence *grown = mem_realloc(res->convergence, (res->convergence_steps + 1) * sizeof *grown);
    if (!grown)
        return diag_oom(d, _("recording the convergence"));
    res->convergence = grown;
    sweep_convergence *step = &grown[res->convergence_steps];
    memset(step, 0, sizeof *step);
    if (!(step->total = mem_alloc(outputs * k * sizeof *step->total)))
        return diag_oom(d, _("recording the convergence"));
    res->convergence_steps++;
    step->samples = spec->samples;
    step->widest = 0;
    for (size_t o = 0; o < outputs; o++)
        for (size_t i = 0; i < k; i++) {
            const sensitivity_estimate *e = &res->indices[o * k + i].total;
            step->total[o * k + i] = *e;
            double width = e->high - e->low;
            if (!(width <= step->widest)) { /* NaN counts as the widest: never converged */
                step->widest = isnan(width) ? INFINITY : width;
                step->widest_output = o;
                step->widest_parameter = i;
            }
        }
    return DIAG_OK;
}

/* Grows the design and results from N to 2N rows: the 2N-point Sobol' sequence, whose first N
 * rows must be the current design. Returns DIAG_OK, DIAG_SOFTWARE (memory, or a sequence that
 * does not extend the earlier one). */
static int sweep_auto_grow(sweep_spec *spec, sweep_result *res, diag *d)
{
    size_t k = spec->parameter_count, outputs = spec->output_count, n = spec->samples, next = 2 * n;
    double *design = mem_alloc(next * 2 * k * sizeof *design);
    if (!design)
        return diag_oom(d, _("doubling the sweep"));
    if (sensitivity_sobol_points(next, 2 * k, spec->scramble, spec->seed, design, d) != DIAG_OK) {
        mem_free(design);
        return d->status;
    }
    if (memcmp(design, res->design, n * 2 * k * sizeof *design)) {
        mem_free(design);
        return diag_error(d, DIAG_SOFTWARE, _("the Sobol' sequence of %zu points does not extend that of %zu"), next, n);
    }
    double *y = mem_realloc(res->y, next * (k + 2) * outputs * sizeof *y);
    if (!y) {
        mem_free(design);
        return diag_oom(d, _("doubling the sweep"));
    }
    res->y = y;
    mem_free(res->design);
    res->design = design;
    spec->samples = next;
    spec->runs = next * (k + 2);
    return DIAG_OK;
}

int sweep_execute_auto(sweep_spec *spec, const run *r, int threads, const engine_progress *progress,
                       sweep_result **out, diag *d)
{
    if (!spec->samples_auto || spec->method != SWEEP_SOBOL)
        return sweep_execute(spec, r, threads, progress, out, d);
    *out = NULL;
    size_t k = spec->parameter_count, outputs = spec->output_count;
    spec->samples = SWEEP_AUTO_START < spec->samples_max ? SWEEP_AUTO_START : spec->samples_max;
    spec->runs = spec->samples * (k + 2);
    char what[200];
    snprintf(what, sizeof what, _("the sweep's results (%zu runs x %zu outputs) and design"), spec->runs, outputs);
    if (engine_check_memory((spec->runs * outputs + spec->samples * 2 * k) * sizeof(double), what, d) != DIAG_OK)
        return d->status;
    sweep_result *res = sweep_result_alloc(spec, spec->samples * 2 * k);
    if (!res)
        return diag_oom(d, _("running a sweep"));
    engine_stats stats;
    size_t done = 0;
    if (sensitivity_sobol_points(spec->samples, 2 * k, spec->scramble, spec->seed, res->design, d) != DIAG_OK)
        goto fail;
    double analysis = 0;
    for (;;) {
        if (sweep_run_range(spec, res, r, threads, progress, done, spec->runs - done, &stats, d) != DIAG_OK)
            goto fail;
        done = spec->runs;
        res->runs = spec->runs;
        res->threads = stats.threads;
        res->run_seconds += stats.seconds;
        double started = omp_get_wtime();
        if (sweep_analyse(res, threads, d) != DIAG_OK || sweep_auto_record(res, d) != DIAG_OK)
            goto fail;
        analysis += omp_get_wtime() - started;
        const sweep_convergence *step = &res->convergence[res->convergence_steps - 1];
        if (step->widest < spec->threshold) {
            res->converged = 1;
            break;
        }
        if (2 * spec->samples > spec->samples_max)
            break;
        size_t bytes = (2 * spec->runs * outputs + 2 * spec->samples * 2 * k) * sizeof(double);
        if (bytes > engine_memory_budget()) {
            diag_warning(d, _("\"samples\": \"auto\" stopped at N = %zu: N = %zu needs %zu MB, above the memory "
                            "budget of %zu MB (raise ECONSIM_MEMORY_MB, or list fewer outputs)"),
                         spec->samples, 2 * spec->samples, bytes >> 20, engine_memory_budget() >> 20);
            break;
        }
        if (sweep_auto_grow(spec, res, d) != DIAG_OK)
            goto fail;
    }
    double started = omp_get_wtime();
    if (sweep_summarise(res, r, threads, 0, d) != DIAG_OK)
        goto fail;
    res->analysis_seconds = analysis + omp_get_wtime() - started;
    *out = res;
    return DIAG_OK;
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
