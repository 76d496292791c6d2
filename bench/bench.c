/* bench.c: `make bench`. Speed and memory of the ensemble engine on the county model
 * (scenarios/linzhou-2023-risk.json: 4 correlated shocks, 2023-2030), against the fused
 * reference loop (reference.c); and the Sobol' sweep of 8 inputs with N = 2^14 through the
 * sweep module. Prints figures only: benchmarks never fail a build (timings are not tests).
 *
 *   build-bench/econsim-bench [PATHS]      (default 1000000) */
#include "engine.h"
#include "ensemble_load.h"
#include "goals_load.h"
#include "mem.h"
#include "reference.h"
#include "run.h"
#include "sweep.h"
#include "sweep_bench.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BENCH_SCENARIO "scenarios/linzhou-2023-risk.json"
#define BENCH_REPEATS 3

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_mb(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

/* The engine side of the comparison: the same four outputs as the reference. */
typedef struct outputs {
    const sim_plan *plan;
    size_t cell[REFERENCE_OUTPUTS]; /* slot * years + t */
    double *out;                    /* [path * REFERENCE_OUTPUTS + k] */
} outputs;

static int store_outputs(void *context, engine_block *block)
{
    outputs *o = context;
    for (int k = 0; k < REFERENCE_OUTPUTS; k++) {
        const double *lane = block->values + o->cell[k] * block->lanes;
        for (size_t l = 0; l < block->lanes; l++)
            o->out[(block->first + l) * REFERENCE_OUTPUTS + (size_t)k] = lane[l];
    }
    return DIAG_OK;
}

/* Runs the ensemble's paths through the engine (shocks on) or the bare plan (shocks off),
 * best of BENCH_REPEATS; returns seconds or a negative number on failure. */
static double time_engine(const ensemble_spec *spec, const run *r, int threads, int shocks, outputs *o)
{
    double best = INFINITY;
    for (int i = 0; i < BENCH_REPEATS; i++) {
        diag d;
        diag_init(&d);
        double t0 = now();
        int status;
        if (shocks) {
            status = ensemble_simulate(spec, r, threads, NULL, store_outputs, o, NULL, &d);
        } else {
            engine_job job = {.plan = r->plan, .paths = spec->paths, .threads = threads,
                              .reduce = store_outputs, .context = o};
            status = engine_run(&job, NULL, &d);
        }
        double t = now() - t0;
        if (status != DIAG_OK) {
            diag_print(&d, "econsim-bench", stderr);
            diag_free(&d);
            return -1;
        }
        diag_free(&d);
        if (t < best)
            best = t;
    }
    return best;
}

static double time_reference(const reference_model *ref, size_t paths, int shocks, double *out)
{
    double best = INFINITY;
    for (int i = 0; i < BENCH_REPEATS; i++) {
        double t0 = now();
        reference_run(ref, paths, shocks, out);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

static double max_relative_difference(const double *a, const double *b, size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double scale = fabs(b[i]) > 0 ? fabs(b[i]) : 1;
        double diff = fabs(a[i] - b[i]) / scale;
        if (!(diff <= worst))
            worst = diff; /* NaN counts as worst */
    }
    return worst;
}

/* 1 when two results hold the same numbers, bit for bit. */
static int same_results(const ensemble_result *a, const ensemble_result *b)
{
    if (a->cell_count != b->cell_count || a->goal_count != b->goal_count)
        return 0;
    for (size_t i = 0; i < a->cell_count; i++)
        if (memcmp(&a->cells[i], &b->cells[i], sizeof a->cells[i]))
            return 0;
    return !a->goal_count || !memcmp(a->goal_probability, b->goal_probability, a->goal_count * sizeof(double));
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    size_t paths = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    if (paths == 0)
        paths = 1000000;
    diag d;
    diag_init(&d);
    run *r = run_load(BENCH_SCENARIO, &d);
    goals_set *goals = NULL;
    ensemble_spec *spec = NULL;
    int status = 1;
    if (!r || run_simulate(r, &d) != DIAG_OK || !(goals = goals_load(r, &d)) ||
        goals_evaluate(goals, r, &d) != DIAG_OK ||
        ensemble_load(r, paths, 0, 0, &spec, &d) != DIAG_OK || !spec) {
        diag_print(&d, "econsim-bench", stderr);
        goto out;
    }
    int cores = engine_thread_count(0);
    printf("econsim benchmarks: %s (model %s), %zu paths %d-%d, %zu shocks, %d cores, %d lanes a block\n\n",
           BENCH_SCENARIO, r->model->path, paths, r->plan->start, r->plan->end, spec->shock_count, cores,
           ENGINE_DEFAULT_LANES);

    /* 1. engine against the fused reference, same draws, same outputs */
    reference_model ref;
    int output_year = r->plan->start + 2 <= r->plan->end ? r->plan->start + 2 : r->plan->end;
    if (reference_init(&ref, r, spec, output_year) != 0)
        goto out;
    outputs o = {.plan = r->plan};
    const char *names[2] = {"gdp", "fiscal_revenue"};
    int years[2] = {output_year, r->plan->end};
    for (int k = 0; k < REFERENCE_OUTPUTS; k++)
        o.cell[k] = (size_t)model_find(r->model, names[k % 2]) * r->plan->years +
                    (size_t)sim_plan_year_index(r->plan, years[k / 2]);
    double *engine_out = mem_alloc(paths * REFERENCE_OUTPUTS * sizeof(double));
    double *reference_out = mem_alloc(paths * REFERENCE_OUTPUTS * sizeof(double));
    if (!engine_out || !reference_out) {
        fprintf(stderr, "econsim-bench: out of memory\n");
        mem_free(engine_out);
        mem_free(reference_out);
        goto out;
    }
    o.out = engine_out;
    printf("1. Ensemble paths: draws of 4 correlated shocks + the 12 equations of the county model, every year\n"
           "   2023-2030, keeping gdp and fiscal_revenue in %d and %d (best of %d runs)\n",
           years[0], years[1], BENCH_REPEATS);
    double engine_1 = time_engine(spec, r, 1, 1, &o);
    double engine_2 = cores >= 2 ? time_engine(spec, r, 2, 1, &o) : NAN;
    double engine_all = cores > 2 ? time_engine(spec, r, cores, 1, &o) : cores == 2 ? engine_2 : engine_1;
    double reference_1 = time_reference(&ref, paths, 1, reference_out);
    if (engine_1 < 0 || (cores >= 2 && engine_2 < 0) || engine_all < 0)
        goto out_free;
    double difference = max_relative_difference(engine_out, reference_out, paths * REFERENCE_OUTPUTS);
    printf("   engine, 1 thread            %8.3f s  %12.0f paths/s\n", engine_1, (double)paths / engine_1);
    if (cores >= 2)
        printf("   engine, 2 threads           %8.3f s  %12.0f paths/s  speed-up %.2fx over 1 thread (target > 1.8x)\n",
               engine_2, (double)paths / engine_2, engine_1 / engine_2);
    if (cores > 2)
        printf("   engine, %d threads (all)    %8.3f s  %12.0f paths/s  speed-up %.2fx\n", cores, engine_all,
               (double)paths / engine_all, engine_1 / engine_all);
    printf("   reference fused C loop, 1 thread %3.3f s  %12.0f paths/s\n", reference_1, (double)paths / reference_1);
    printf("   engine / reference, 1 thread: %.2fx (target <= 1.5x); outputs agree to %.1e (relative)\n",
           engine_1 / reference_1, difference);
    double model_engine = time_engine(spec, r, 1, 0, &o);
    double model_reference = time_reference(&ref, paths, 0, reference_out);
    difference = max_relative_difference(engine_out, reference_out, paths * REFERENCE_OUTPUTS);
    printf("   the model alone (no draws), 1 thread: engine %.3f s, reference %.3f s: %.2fx; agree to %.1e\n\n",
           model_engine, model_reference, model_engine / model_reference, difference);
    mem_free(engine_out);
    mem_free(reference_out);
    engine_out = reference_out = NULL;

    /* 2. the whole ensemble: draws, model, quantiles of every variable and year, goals */
    printf("2. The whole ensemble (ensemble_run: quantiles of every variable and year, goal probabilities)\n");
    ensemble_result *one = NULL, *all = NULL;
    double t0 = now();
    status = ensemble_run(spec, r, goals, 1, NULL, &one, &d);
    double t_one = now() - t0;
    double rss_after_one = peak_mb();
    if (status == DIAG_OK) {
        t0 = now();
        status = ensemble_run(spec, r, goals, cores, NULL, &all, &d);
    }
    double t_all = now() - t0;
    if (status != DIAG_OK) {
        diag_print(&d, "econsim-bench", stderr);
        ensemble_result_free(one);
        goto out;
    }
    size_t varying = 0;
    for (size_t i = 0; i < one->cell_count; i++)
        varying += one->cells[i].varies;
    printf("   %zu cells vary (variable x year), stored in %zu pass%s of %.0f MB\n", varying, one->passes,
           one->passes == 1 ? "" : "es", (double)one->stored_bytes / 1048576.0);
    printf("   1 thread    %8.3f s  %12.0f paths/s\n", t_one, (double)paths / t_one);
    printf("   %d thread%s   %8.3f s  %12.0f paths/s  speed-up %.2fx; results identical: %s\n", cores,
           cores == 1 ? " " : "s", t_all, (double)paths / t_all, t_one / t_all, same_results(one, all) ? "yes" : "NO");
    printf("   peak memory (ru_maxrss) after the 1-thread ensemble: %.0f MB\n\n", rss_after_one);
    ensemble_result_free(one);
    ensemble_result_free(all);

    /* 3. Sobol' sweep through the sweep module */
    printf("3. Sobol' sweep: 8 inputs, N = 2^14 (N(k+2) = %d model runs), bootstrap 1000\n", 16384 * 10);
    for (int pass = 0; pass < 2; pass++) {
        int threads = pass == 0 ? 1 : cores;
        double run_seconds = 0, analysis_seconds = 0;
        t0 = now();
        if (bench_sweep_sobol(r, 16384, threads, &run_seconds, &analysis_seconds, &d) != DIAG_OK) {
            diag_print(&d, "econsim-bench", stderr);
            goto out;
        }
        printf("   %d thread%s: %.3f s in all: model runs %.3f s, indices and bootstrap %.3f s\n", threads,
               threads == 1 ? " " : "s", now() - t0, run_seconds, analysis_seconds);
    }
    printf("\n4. Peak memory of the whole benchmark (ru_maxrss): %.0f MB\n", peak_mb());
    status = 0;
    goto out;
out_free:
    mem_free(engine_out);
    mem_free(reference_out);
out:
    ensemble_spec_free(spec);
    goals_free(goals);
    run_free(r);
    diag_free(&d);
    return status;
}
