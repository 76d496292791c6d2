/* ensemble.c: uncertainty ensembles: drawing shocks block by block through the engine, and
 * running the passes that summarise the paths as quantiles and goal probabilities (the
 * `uncertainty` block is read by ensemble_load.c, the blocks read and the paths summarised
 * by ensemble_summary.c, the results written by ensemble_write.c).
 *
 * The hot part is the engine's (sim_block_run over 256 lanes at a time); what this file adds
 * per block is the draw of the shocks (setup: rng.h's inlined normals), and the summary adds
 * one pass over the few cells the outputs need (reduce: each value turned into a float once,
 * stored straight into its cell's array, with the block's sums and the cell's range). Only
 * cells that some shock reaches are kept, one float per path, so that quantiles are exact
 * order statistics (of values rounded to float: a relative error of at most 2^-24, about
 * 6e-8) without keeping every variable of every path. When even that is too much (10^7 paths x 40 cells = 1.6 GB), the
 * ensemble streams in two passes over the same paths (see "Passes"). Goal probabilities are
 * integer counts, summed with atomics (integer sums do not depend on the order), so they too
 * are identical for any thread count. */
#include "ensemble.h"
#include "ensemble_internal.h"
#include "engine.h"
#include "i18n.h"
#include "mem.h"
#include "order_stat.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double ensemble_quantile_levels[ENSEMBLE_QUANTILES] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

/* ---------------------------------------------------------------------------------------- */
/* Drawing the shocks                                                                         */

/* Writes shock i's draws draw[0..lanes) of one horizon year into the block's values (a
 * parameter: every year it is stored), applied to the scenario's value and clamped to the
 * model's range. Returns the clamps. Loops over lanes, so each write is contiguous. */
static size_t write_draws(const ensemble_spec *spec, const shock_cells *cells, size_t i, size_t year,
                          const double *draw, const double *base, double *values, size_t lanes)
{
    const size_t *t_list = cells->is_parameter ? cells->t : &cells->year_t[year];
    size_t count = cells->is_parameter ? cells->count : 1, clamped = 0;
    ensemble_apply apply = spec->shocks[i].apply;
    double lo = cells->lo, hi = cells->hi;
    for (size_t c = 0; c < count; c++) {
        if (t_list[c] == SIZE_MAX)
            continue;
        size_t at = cells->slot_offset + t_list[c];
        double b = base[at];
        double *out = values + at * lanes;
        for (size_t lane = 0; lane < lanes; lane++) {
            double value = apply == ENSEMBLE_ADD        ? b + draw[lane]
                           : apply == ENSEMBLE_MULTIPLY ? b * draw[lane]
                                                        : draw[lane];
            clamped += (value < lo) + (value > hi);
            value = value < lo ? lo : value;
            out[lane] = value > hi ? hi : value;
        }
    }
    return clamped;
}

/* Draws the block's shocks year by year from the block's stream, each normal for every lane
 * in turn: the first year draws a standard normal for every shock; later years only those
 * that some exogenous series' innovation reads (a parameter holds its first draw). Normal
 * shocks are mean + sd * e; others go through the copula (dist_from_standard_normal), slower
 * but exact. The scratch holds z[shock][lane], e[shock][lane] and draw[lane]. */
static int ensemble_setup(void *context, engine_block *block)
{
    ensemble_context *ctx = context;
    const ensemble_spec *spec = ctx->spec;
    size_t k = spec->shock_count;
    if (k == 0)
        return DIAG_OK;
    size_t lanes = block->lanes;
    double *z = block->scratch, *e = z + k * lanes, *draw = e + k * lanes;
    size_t clamped[ENSEMBLE_MAX_SHOCKS] = {0};
    const shock_cells *all = ctx->shock_cells;
    rng_stream *rng = block->stream;
    for (size_t year = 0; year < ctx->horizon; year++) {
        size_t draws = year == 0 ? k : ctx->later_count;
        for (size_t d = 0; d < draws; d++) {
            rng_fill_normal(rng, z + (year == 0 ? d : ctx->later[d]) * lanes, lanes);
        }
        for (size_t i = 0; i < k; i++) {
            const shock_cells *cells = &all[i];
            if (year > 0 && cells->is_parameter)
                continue; /* drawn once per path */
            double *ei = e + i * lanes;
            double keep = year == 0 ? 0.0 : cells->ar1, scale = year == 0 ? 1.0 : cells->persistence;
            if (year == 0)
                memset(ei, 0, lanes * sizeof *ei);
            /* the innovation L z of every lane (in draw[] for now), term by term: the same sums
             * in the same order as lane by lane, in loops that vectorise */
            for (size_t lane = 0; lane < lanes; lane++)
                draw[lane] = 0;
            for (size_t j = 0; j < cells->term_count; j++) {
                const double *zj = z + cells->term_column[j] * lanes;
                double a = cells->term_value[j];
                for (size_t lane = 0; lane < lanes; lane++)
                    draw[lane] += a * zj[lane];
            }
            for (size_t lane = 0; lane < lanes; lane++)
                ei[lane] = keep * ei[lane] + scale * draw[lane];
            if (cells->is_normal)
                for (size_t lane = 0; lane < lanes; lane++)
                    draw[lane] = cells->mean + cells->sd * ei[lane];
            else
                for (size_t lane = 0; lane < lanes; lane++)
                    draw[lane] = dist_from_standard_normal(&spec->shocks[i].dist, ei[lane]);
            clamped[i] += write_draws(spec, cells, i, year, draw, ctx->plan->base, block->values, lanes);
        }
    }
    if (ctx->first_pass)
        for (size_t i = 0; i < k; i++)
            if (clamped[i])
                atomic_fetch_add(&ctx->clamped[i], clamped[i]);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

void ensemble_result_free(ensemble_result *result)
{
    if (!result)
        return;
    mem_free(result->cells);
    mem_free(result->goal_probability);
    mem_free(result->clamped);
    mem_free(result->draws);
    mem_free(result);
}

const ensemble_cell *ensemble_find(const ensemble_result *result, int slot, int year)
{
    for (size_t i = 0; i < result->cell_count; i++)
        if (result->cells[i].slot == slot && result->cells[i].year == year)
            return &result->cells[i];
    return NULL;
}

/* Marks the slots that some shock reaches through the equations (any lag). */
static int mark_varying_slots(const ensemble_spec *spec, const model *m, unsigned char *varies)
{
    for (size_t i = 0; i < spec->shock_count; i++)
        varies[spec->shocks[i].slot] = 1;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t o = 0; o < m->order_count; o++) {
            size_t v = m->order[o];
            if (varies[v])
                continue;
            size_t ref_count;
            const expr_ref *refs = expr_program_refs(m->slots[v].program, &ref_count);
            for (size_t r = 0; r < ref_count; r++)
                if (varies[refs[r].slot]) {
                    varies[v] = 1;
                    changed = 1;
                    break;
                }
        }
    }
    return 0;
}

static void free_shock_cells(shock_cells *cells, size_t count)
{
    if (!cells)
        return;
    for (size_t i = 0; i < count; i++) {
        mem_free(cells[i].t);
        mem_free(cells[i].year_t);
    }
    mem_free(cells);
}

/* The cells each shock writes: a parameter every year of storage; an exogenous series its
 * horizon years that are not observed. Draws counts the draws per path. */
static shock_cells *build_shock_cells(const ensemble_spec *spec, const sim_plan *plan, size_t start_t, size_t horizon,
                                      size_t *draws)
{
    shock_cells *all = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *all);
    if (!all)
        return NULL;
    for (size_t i = 0; i < spec->shock_count; i++) {
        const ensemble_shock *shock = &spec->shocks[i];
        const model_slot *ms = &plan->model->slots[shock->slot];
        shock_cells *cells = &all[i];
        cells->lo = ms->min;
        cells->hi = ms->max;
        cells->t = mem_alloc(plan->years * sizeof *cells->t);
        cells->year_t = mem_alloc(horizon * sizeof *cells->year_t);
        if (!cells->t || !cells->year_t) {
            free_shock_cells(all, spec->shock_count);
            return NULL;
        }
        for (size_t h = 0; h < horizon; h++)
            cells->year_t[h] = SIZE_MAX;
        cells->slot_offset = (size_t)shock->slot * plan->years;
        cells->is_parameter = shock->is_parameter;
        cells->is_normal = shock->dist.kind == DIST_NORMAL;
        cells->mean = shock->dist.mean;
        cells->sd = shock->dist.sd;
        cells->ar1 = shock->ar1;
        cells->persistence = sqrt(1 - shock->ar1 * shock->ar1);
        size_t k = spec->shock_count;
        for (size_t j = 0; j < k; j++) {
            double a = spec->cholesky ? spec->cholesky[i * k + j] : (double)(i == j);
            if (a != 0) {
                cells->term_column[cells->term_count] = j;
                cells->term_value[cells->term_count] = a;
                cells->term_count++;
            }
        }
        draws[i] = 0;
        for (size_t t = 0; t < plan->years; t++) {
            size_t at = (size_t)shock->slot * plan->years + t;
            if (plan->mode[at] != SIM_MODE_FIXED || plan->origin[at] == SIM_ORIGIN_OBSERVED)
                continue;
            if (shock->is_parameter) {
                cells->t[cells->count++] = t;
                draws[i] = 1;
            } else if (t >= start_t && t < start_t + horizon) {
                cells->year_t[t - start_t] = t;
                draws[i]++;
            }
        }
    }
    return all;
}

/* The normals that years after the first draw: the columns of the correlation factor that
 * some exogenous series' row reads (a parameter's own normal is drawn once per path). */
static void list_later_draws(ensemble_context *ctx)
{
    size_t k = ctx->spec->shock_count;
    unsigned char used[ENSEMBLE_MAX_SHOCKS] = {0};
    for (size_t i = 0; i < k; i++)
        if (!ctx->shock_cells[i].is_parameter)
            for (size_t j = 0; j < ctx->shock_cells[i].term_count; j++)
                used[ctx->shock_cells[i].term_column[j]] = 1;
    ctx->later_count = 0;
    for (size_t j = 0; j < k; j++)
        if (used[j])
            ctx->later[ctx->later_count++] = j;
}

/* The engine job of the ensemble's paths: spec->paths paths of plan in blocks of
 * ENGINE_DEFAULT_LANES, seeded from spec->seed, with scratch for the shocks' draws (z and e
 * of every shock and lane, and one row of draws) and one block of floats (a cell on its way
 * to a histogram). */
static engine_job ensemble_job(const ensemble_spec *spec, const sim_plan *plan, int threads,
                               const engine_progress *progress,
                               engine_setup_fn setup, engine_reduce_fn reduce, void *context)
{
    engine_job job = {
        .plan = plan,
        .paths = spec->paths,
        .lanes = ENGINE_DEFAULT_LANES,
        .seed = spec->seed,
        .threads = threads,
        .progress = progress,
        .what = _("paths"),
        .scratch_bytes = (2 * (spec->shock_count ? spec->shock_count : 1) + 1) * ENGINE_DEFAULT_LANES * sizeof(double) +
                         ENGINE_DEFAULT_LANES * sizeof(float),
        .setup = setup,
        .reduce = reduce,
        .context = context,
        .bounded = 1, /* its paths fit the memory budget: checkpoints only when asked */
    };
    return job;
}

/* ensemble_simulate's glue: the ensemble's setup, the caller's reduce. */
typedef struct simulate_context {
    ensemble_context *ensemble;
    engine_reduce_fn reduce;
    void *context;
} simulate_context;

static int simulate_setup(void *context, engine_block *block)
{
    simulate_context *sim = context;
    return ensemble_setup(sim->ensemble, block);
}

static int simulate_reduce(void *context, engine_block *block)
{
    simulate_context *sim = context;
    return sim->reduce(sim->context, block);
}

int ensemble_simulate(const ensemble_spec *spec, const run *r, int threads, const engine_progress *progress,
                      engine_reduce_fn reduce,
                      void *context, engine_stats *stats, diag *d)
{
    return ensemble_simulate_regions(spec, r, threads, progress, reduce, context, NULL, 0, stats, d);
}

int ensemble_simulate_regions(const ensemble_spec *spec, const run *r, int threads, const engine_progress *progress,
                              engine_reduce_fn reduce, void *context, const engine_region *regions,
                              size_t region_count, engine_stats *stats, diag *d)
{
    const sim_plan *plan = r->plan;
    size_t start_t = (size_t)(plan->start - plan->first_year);
    size_t horizon = (size_t)(plan->end - plan->start + 1);
    size_t draws_per_path[ENSEMBLE_MAX_SHOCKS] = {0};
    ensemble_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.spec = spec;
    ctx.plan = plan;
    ctx.horizon = horizon;
    ctx.start_t = start_t;
    ctx.paths = spec->paths;
    ctx.shock_cells = build_shock_cells(spec, plan, start_t, horizon, draws_per_path);
    if (!ctx.shock_cells)
        return diag_oom(d, _("setting up the ensemble"));
    list_later_draws(&ctx);
    ctx.mode = PASS_CALLER;
    simulate_context sim = {&ctx, reduce, context};
    engine_job job = ensemble_job(spec, plan, threads, progress, simulate_setup, simulate_reduce, &sim);
    job.regions = regions;
    job.region_count = region_count;
    job.transient = 1;
    int status = engine_run(&job, stats, d);
    free_shock_cells(ctx.shock_cells, spec->shock_count);
    return status;
}

/* The reported cells: every variable and shocked exogenous series, start..end, with the
 * deterministic path's value (a cell no shock reaches keeps it); lists the cells that vary
 * (varying[] as slot * years + t, cell_of_varying[] their index in result->cells). Returns how
 * many vary. */
static size_t list_cells(const ensemble_spec *spec, const run *r, const unsigned char *slot_varies,
                         const unsigned char *shocked_slot, ensemble_result *result, size_t *varying,
                         size_t *cell_of_varying)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    size_t years = plan->years, paths = spec->paths;
    size_t start_t = (size_t)(plan->start - plan->first_year);
    size_t horizon = (size_t)(plan->end - plan->start + 1);
    size_t varying_count = 0;
    for (size_t slot = 0; slot < m->slot_count; slot++) {
        const model_slot *ms = &m->slots[slot];
        if (ms->kind == MODEL_PARAMETER || (ms->kind == MODEL_EXOGENOUS && !shocked_slot[slot]))
            continue;
        for (size_t t = start_t; t < start_t + horizon; t++) {
            size_t at = slot * years + t;
            if (plan->mode[at] == SIM_MODE_NONE)
                continue;
            ensemble_cell *cell = &result->cells[result->cell_count];
            cell->slot = (int)slot;
            cell->year = plan->first_year + (int)t;
            int computed = plan->mode[at] == SIM_MODE_EQUATION || plan->mode[at] == SIM_MODE_GROWTH;
            int shocked = ms->kind == MODEL_EXOGENOUS && plan->mode[at] == SIM_MODE_FIXED &&
                          plan->origin[at] != SIM_ORIGIN_OBSERVED;
            cell->varies = slot_varies[slot] && (computed || shocked) && paths > 1;
            double value = r->values[at];
            cell->mean = value;
            cell->sd = 0;
            for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
                cell->quantile[q] = value;
            if (cell->varies) {
                varying[varying_count] = at;
                cell_of_varying[varying_count] = result->cell_count;
                varying_count++;
            }
            result->cell_count++;
        }
    }
    return varying_count;
}

/* Each goal's cell and test, for counting the paths that meet it (first pass). */
static int setup_goal_checks(ensemble_context *ctx, const goals_set *goals, const sim_plan *plan,
                             ensemble_result *result, diag *d)
{
    ctx->goals = mem_calloc(goals->count, sizeof *ctx->goals);
    ctx->goal_met = mem_calloc(goals->count, sizeof *ctx->goal_met);
    result->goal_probability = mem_calloc(goals->count, sizeof *result->goal_probability);
    if (!ctx->goals || !ctx->goal_met || !result->goal_probability)
        return diag_oom(d, _("setting up the ensemble"));
    for (size_t g = 0; g < goals->count; g++) {
        const goals_goal *goal = &goals->goals[g];
        int t = sim_plan_year_index(plan, goal->year);
        if (t < (goal->kind == GOALS_GROWTH ? 1 : 0))
            return diag_error(d, DIAG_SOFTWARE, _("goal %s: year %d is outside the run"), goal->id, goal->year);
        ctx->goals[g].cell = (size_t)goal->slot * plan->years + (size_t)t;
        ctx->goals[g].growth = goal->kind == GOALS_GROWTH;
        ctx->goals[g].at_most = goal->direction == GOALS_AT_MOST;
        ctx->goals[g].target = goal->target;
    }
    ctx->goal_count = goals->count;
    result->goal_count = goals->count;
    return DIAG_OK;
}

/* ensemble_run's work once its buffers are allocated and the cells listed (ctx->varying,
 * ctx->varying_count): the goals, the storage, the passes, then the counts. */
static int ensemble_run_into(const ensemble_spec *spec, const run *r, goals_set *goals, int threads,
                             const engine_progress *progress,
                             ensemble_context *ctx, ensemble_result *result, const size_t *cell_of_varying, diag *d)
{
    const sim_plan *plan = r->plan;
    size_t paths = spec->paths, cells = ctx->varying_count;
    int status;
    if (goals && goals->count && (status = setup_goal_checks(ctx, goals, plan, result, d)) != DIAG_OK)
        return status;
    ctx->clamped = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *ctx->clamped);
    if (!ctx->clamped)
        return diag_oom(d, _("setting up the ensemble"));
    list_later_draws(ctx);
    ctx->lanes = ENGINE_DEFAULT_LANES < paths ? ENGINE_DEFAULT_LANES : paths;

    /* in memory when the store fits in ENSEMBLE_PASS_MB and the budget, else two passes */
    engine_job job = ensemble_job(spec, plan, threads, progress, ensemble_setup, ensemble_reduce, ctx);
    int max_threads = engine_thread_count(threads);
    size_t blocks = engine_block_count(paths, ctx->lanes);
    size_t sums = blocks * (cells ? cells : 1) * sizeof(double);
    size_t store = cells * paths * sizeof(float);
    size_t fixed = engine_buffer_bytes(&job) + sums;
    size_t budget = engine_memory_budget();
    ctx->block_sum = mem_alloc(sums);
    if (!ctx->block_sum)
        return diag_oom(d, _("setting up the ensemble"));
    double started = omp_get_wtime();
    if (store <= ((size_t)ENSEMBLE_PASS_MB << 20) &&
        fixed + store + ensemble_summary_work_bytes(max_threads, 1) <= budget) {
        status = ensemble_run_in_memory(ctx, &job, max_threads, cell_of_varying, result, d);
    } else {
        size_t other = fixed + ensemble_stream_work_bytes(max_threads, cells ? cells : 1);
        char what[256];
        snprintf(what, sizeof what, _("the ensemble of %zu paths (%zu variable-years, in two passes)"), paths, cells);
        if ((status = engine_check_memory(other, what, d)) != DIAG_OK)
            return status;
        status = ensemble_run_streaming(ctx, &job, max_threads, other, cell_of_varying, result, d);
    }
    if (status != DIAG_OK)
        return status;
    if (engine_stop_requested())
        return diag_error(d, DIAG_INTERRUPTED, _("interrupted: nothing was written"));
    result->seconds = omp_get_wtime() - started;
    for (size_t g = 0; g < ctx->goal_count; g++) {
        result->goal_probability[g] = (double)atomic_load(&ctx->goal_met[g]) / (double)paths;
        goals->results[g].probability = result->goal_probability[g];
    }
    for (size_t i = 0; i < spec->shock_count; i++)
        result->clamped[i] = atomic_load(&ctx->clamped[i]);
    return DIAG_OK;
}

int ensemble_run(const ensemble_spec *spec, const run *r, goals_set *goals, int threads, const engine_progress *progress,
                 ensemble_result **out, diag *d)
{
    *out = NULL;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    size_t start_t = (size_t)(plan->start - plan->first_year);
    size_t horizon = (size_t)(plan->end - plan->start + 1);
    size_t paths = spec->paths;
    int status = DIAG_OK;
    if (!r->values)
        return diag_error(d, DIAG_SOFTWARE, _("ensemble_run: the deterministic path has not been computed"));

    ensemble_result *result = mem_calloc(1, sizeof *result);
    unsigned char *slot_varies = mem_calloc(m->slot_count, 1);
    unsigned char *shocked_slot = mem_calloc(m->slot_count, 1);
    size_t *varying = mem_alloc(m->slot_count * horizon * sizeof *varying);
    size_t draws_per_path[ENSEMBLE_MAX_SHOCKS] = {0};
    shock_cells *cells = build_shock_cells(spec, plan, start_t, horizon, draws_per_path);
    ensemble_context ctx;
    memset(&ctx, 0, sizeof ctx);
    size_t *cell_of_varying = NULL;
    if (!result || !slot_varies || !shocked_slot || !varying || !cells) {
        status = diag_oom(d, _("setting up the ensemble"));
        goto done;
    }
    result->paths = paths;
    result->seed = spec->seed;
    result->lanes = paths < ENGINE_DEFAULT_LANES ? paths : ENGINE_DEFAULT_LANES;
    mark_varying_slots(spec, m, slot_varies);
    for (size_t i = 0; i < spec->shock_count; i++)
        shocked_slot[spec->shocks[i].slot] = 1;
    size_t cell_capacity = m->slot_count * horizon;
    result->cells = mem_calloc(cell_capacity ? cell_capacity : 1, sizeof *result->cells);
    cell_of_varying = mem_alloc((cell_capacity ? cell_capacity : 1) * sizeof *cell_of_varying);
    result->clamped = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *result->clamped);
    result->draws = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *result->draws);
    if (!result->cells || !cell_of_varying || !result->clamped || !result->draws) {
        status = diag_oom(d, _("setting up the ensemble"));
        goto done;
    }
    for (size_t i = 0; i < spec->shock_count; i++)
        result->draws[i] = paths * draws_per_path[i];
    ctx.spec = spec;
    ctx.plan = plan;
    ctx.horizon = horizon;
    ctx.start_t = start_t;
    ctx.shock_cells = cells;
    ctx.varying = varying;
    ctx.varying_count = list_cells(spec, r, slot_varies, shocked_slot, result, varying, cell_of_varying);
    ctx.paths = paths;
    status = ensemble_run_into(spec, r, goals, threads, progress, &ctx, result, cell_of_varying, d);
    if (status == DIAG_OK) {
        *out = result;
        result = NULL;
    }
done:
    ensemble_result_free(result);
    mem_free(slot_varies);
    mem_free(shocked_slot);
    mem_free(varying);
    mem_free(cell_of_varying);
    free_shock_cells(cells, spec->shock_count);
    mem_free(ctx.store);
    mem_free(ctx.block_sum);
    mem_free(ctx.key_lo);
    mem_free(ctx.key_hi);
    mem_free(ctx.counts);
    mem_free(ctx.range);
    mem_free(ctx.small);
    mem_free(ctx.small_blocks);
    mem_free(ctx.gathered);
    mem_free(ctx.gathered_fill);
    mem_free(ctx.goals);
    mem_free(ctx.goal_met);
    mem_free(ctx.clamped);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Warnings                                                                                   */

void ensemble_add_warnings(const ensemble_result *result, const ensemble_spec *spec, const run *r, diag *d)
{
    for (size_t i = 0; i < spec->shock_count; i++) {
        if (!result->clamped[i])
            continue;
        const model_slot *ms = &r->model->slots[spec->shocks[i].slot];
        diag_warning(d,
                     _("%s: %s: %zu of %zu draws (%.2f%%) fell outside [%g, %g], the model's range for %s, and were "
                     "clamped to it"),
                     scenario_origin(r->scenario, r->scenario->uncertainty), spec->shocks[i].json_path,
                     result->clamped[i], result->draws[i],
                     100.0 * (double)result->clamped[i] / (double)(result->draws[i] ? result->draws[i] : 1), ms->min,
                     ms->max, ms->name);
    }
}
