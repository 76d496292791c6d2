/* ensemble.c: uncertainty ensembles: drawing shocks block by block through the engine, and
 * summarising the paths as quantiles and goal probabilities (the `uncertainty` block is read
 * by ensemble_load.c, the results written by ensemble_write.c).
 *
 * The hot part is the engine's (sim_block_run over 256 lanes at a time); what this file adds
 * per block is the draw of the shocks (setup) and the copy of the few cells the outputs need
 * (reduce). Only cells that some shock reaches are stored, one float per path and cell, so
 * that quantiles are exact order statistics (of values rounded to float: a relative error of
 * at most 2^-24, about 6e-8) without keeping every variable of every path. When even that is
 * too much (10^6 paths x 104 cells = 416 MB), the cells are split into groups and the
 * ensemble is simulated once per group: the random streams belong to blocks, so every pass
 * sees exactly the same paths. Goal probabilities are integer counts, summed with atomics
 * (integer sums do not depend on the order), so they too are identical for any thread count. */
#include "ensemble.h"
#include "engine.h"
#include "mem.h"
#include "order_stat.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const double ensemble_quantile_levels[ENSEMBLE_QUANTILES] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

/* ---------------------------------------------------------------------------------------- */
/* Summarising a cell                                                                         */

/* The shortest decimal that reads back as the float x, as a double: a stored 720.6f is
 * 720.5999755859375 as a double, but 720.6 is as close to the value it came from. */
static double float_decimal(float x)
{
    char buf[32];
    for (int digits = 6; digits <= 9; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, (double)x);
        double v = strtod(buf, NULL);
        if ((float)v == x)
            return v;
    }
    return (double)x;
}

/* Mean, sd and quantiles of one cell's n stored values (reorders a). The sums run in path
 * order in double, in groups of 256 (pairwise enough for 10^8 values). */
static void summarise_cell(float *a, size_t n, ensemble_cell *cell)
{
    double sum = 0;
    for (size_t i = 0; i < n; i += 256) {
        double part = 0;
        size_t end = i + 256 < n ? i + 256 : n;
        for (size_t j = i; j < end; j++)
            part += a[j];
        sum += part;
    }
    double mean = sum / (double)n, squares = 0;
    for (size_t i = 0; i < n; i += 256) {
        double part = 0;
        size_t end = i + 256 < n ? i + 256 : n;
        for (size_t j = i; j < end; j++) {
            double dev = a[j] - mean;
            part += dev * dev;
        }
        squares += part;
    }
    cell->mean = mean;
    cell->sd = n > 1 ? sqrt(squares / (double)(n - 1)) : 0.0;
    size_t ks[2 * ENSEMBLE_QUANTILES];
    size_t nk = order_stat_type7_ranks(n, ensemble_quantile_levels, ENSEMBLE_QUANTILES, ks);
    float order[2 * ENSEMBLE_QUANTILES];
    order_stat_select(a, n, ks, nk, order);
    for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
        double h = (double)(n - 1) * ensemble_quantile_levels[q];
        size_t lo = (size_t)floor(h);
        size_t at = 0;
        while (ks[at] != lo)
            at++;
        double below = float_decimal(order[at]);
        double above = lo + 1 < n ? float_decimal(order[at + 1]) : below;
        double frac = h - (double)lo;
        cell->quantile[q] = frac == 0 ? below : below + frac * (above - below);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing the shocks and reading the blocks                                                  */

/* What one shock writes. A parameter: every year of storage (t[0..count)), one draw per path.
 * An exogenous series: year_t[h] is the year index of horizon year h (0 = start), or
 * SIZE_MAX when that year is observed (it keeps its observation). */
typedef struct shock_cells {
    size_t *t;
    size_t count;
    size_t *year_t;      /* [horizon], exogenous series only */
    double lo, hi;       /* the model's range for the name */
    /* copied from the shock for the inner loop */
    size_t slot_offset;  /* slot * years */
    int is_parameter, is_normal;
    double mean, sd;     /* normal shocks: the draw is mean + sd * e */
    double ar1, persistence; /* persistence = sqrt(1 - ar1^2) */
    /* the nonzero entries of this shock's row of the correlation factor, in column order
     * (adding only them gives the same sum as the full row: the others add +-0) */
    size_t term_count;
    size_t term_column[ENSEMBLE_MAX_SHOCKS];
    double term_value[ENSEMBLE_MAX_SHOCKS];
} shock_cells;

typedef struct goal_check {
    size_t cell;         /* slot * years + t of the goal year */
    int growth;          /* 1: value / previous - 1 */
    int at_most;
    double target;
} goal_check;

typedef struct ensemble_context {
    const ensemble_spec *spec;
    const sim_plan *plan;
    size_t horizon;              /* end - start + 1 */
    size_t start_t;              /* year index of start */
    shock_cells *shock_cells;    /* [shock] */
    const size_t *varying;       /* cells (slot * years + t) that vary, all passes */
    size_t varying_count;
    const size_t *stored;        /* cells stored in this pass */
    size_t stored_count;
    float *store;                /* [stored_count * paths] */
    size_t paths;
    int first_pass;              /* checks finiteness, counts goals and clamps */
    goal_check *goals;
    size_t goal_count;
    atomic_size_t *goal_met;     /* [goal] */
    atomic_size_t *clamped;      /* [shock] */
} ensemble_context;

static double apply_shock(ensemble_apply apply, double base, double draw)
{
    switch (apply) {
    case ENSEMBLE_ADD:
        return base + draw;
    case ENSEMBLE_MULTIPLY:
        return base * draw;
    case ENSEMBLE_REPLACE:
        return draw;
    }
    return draw;
}

static int ensemble_setup(void *context, engine_block *block)
{
    ensemble_context *ctx = context;
    const ensemble_spec *spec = ctx->spec;
    size_t k = spec->shock_count;
    if (k == 0)
        return DIAG_OK;
    const sim_plan *plan = ctx->plan;
    size_t lanes = block->lanes;
    double *z = block->scratch, *e = z + k, *innovation = e + k;
    size_t clamped[ENSEMBLE_MAX_SHOCKS] = {0};
    const shock_cells *all = ctx->shock_cells;
    double *values = block->values;
    const double *base = plan->base;
    for (size_t lane = 0; lane < lanes; lane++) {
        for (size_t year = 0; year < ctx->horizon; year++) {
            for (size_t i = 0; i < k; i++)
                z[i] = gsl_ran_gaussian_ziggurat(block->rng, 1.0);
            for (size_t i = 0; i < k; i++) {
                const shock_cells *cells = &all[i];
                double sum = 0;
                for (size_t j = 0; j < cells->term_count; j++)
                    sum += cells->term_value[j] * z[cells->term_column[j]];
                innovation[i] = sum;
            }
            for (size_t i = 0; i < k; i++) {
                const shock_cells *cells = &all[i];
                if (year == 0)
                    e[i] = innovation[i];
                else if (cells->is_parameter)
                    continue; /* drawn once per path */
                else
                    e[i] = cells->ar1 * e[i] + cells->persistence * innovation[i];
                double draw = cells->is_normal ? cells->mean + cells->sd * e[i]
                                               : dist_from_standard_normal(&spec->shocks[i].dist, e[i]);
                const size_t *t_list = cells->is_parameter ? cells->t : &cells->year_t[year];
                size_t count = cells->is_parameter ? cells->count : 1;
                ensemble_apply apply = spec->shocks[i].apply;
                for (size_t c = 0; c < count; c++) {
                    if (t_list[c] == SIZE_MAX)
                        continue;
                    size_t at = cells->slot_offset + t_list[c];
                    double value = apply_shock(apply, base[at], draw);
                    if (value < cells->lo) {
                        value = cells->lo;
                        clamped[i]++;
                    } else if (value > cells->hi) {
                        value = cells->hi;
                        clamped[i]++;
                    }
                    values[at * lanes + lane] = value;
                }
            }
        }
    }
    if (ctx->first_pass)
        for (size_t i = 0; i < k; i++)
            if (clamped[i])
                atomic_fetch_add(&ctx->clamped[i], clamped[i]);
    return DIAG_OK;
}

static int ensemble_reduce(void *context, engine_block *block)
{
    ensemble_context *ctx = context;
    const sim_plan *plan = ctx->plan;
    size_t lanes = block->lanes;
    const double *values = block->values;
    if (ctx->first_pass) {
        for (size_t c = 0; c < ctx->varying_count; c++) {
            const double *lane = values + ctx->varying[c] * lanes;
            for (size_t l = 0; l < lanes; l++)
                if (!isfinite(lane[l]) || fabs(lane[l]) > FLT_MAX) {
                    size_t slot = ctx->varying[c] / plan->years, t = ctx->varying[c] % plan->years;
                    snprintf(block->message, sizeof block->message,
                             "path %zu of the ensemble: %s in %d is %g%s: check the shocks' sizes against the model's "
                             "equations (a growth rate below -100%%, a division by zero)",
                             block->first + l + 1, plan->model->slots[slot].name, plan->first_year + (int)t, lane[l],
                             isfinite(lane[l]) ? ", too large to summarise" : ", not a finite number");
                    return DIAG_SOFTWARE;
                }
        }
        for (size_t g = 0; g < ctx->goal_count; g++) {
            const goal_check *goal = &ctx->goals[g];
            const double *now = values + goal->cell * lanes, *before = now - lanes;
            double slack = GOALS_MET_RTOL * fabs(goal->target);
            size_t met = 0;
            for (size_t l = 0; l < lanes; l++) {
                double v = goal->growth ? now[l] / before[l] - 1 : now[l];
                met += goal->at_most ? v <= goal->target + slack : v >= goal->target - slack;
            }
            atomic_fetch_add(&ctx->goal_met[g], met);
        }
    }
    for (size_t c = 0; c < ctx->stored_count; c++) {
        const double *lane = values + ctx->stored[c] * lanes;
        float *out = ctx->store + c * ctx->paths + block->first;
        for (size_t l = 0; l < lanes; l++)
            out[l] = (float)lane[l];
    }
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

/* The engine job of the ensemble's paths: spec->paths paths of plan in blocks of
 * ENGINE_DEFAULT_LANES, seeded from spec->seed, with scratch for the shocks' draws (z, e and
 * the innovations: three doubles a shock). */
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
        .what = "paths",
        .scratch_bytes = 3 * (spec->shock_count ? spec->shock_count : 1) * sizeof(double),
        .setup = setup,
        .reduce = reduce,
        .context = context,
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
        return diag_oom(d, "setting up the ensemble");
    simulate_context sim = {&ctx, reduce, context};
    engine_job job = ensemble_job(spec, plan, threads, progress, simulate_setup, simulate_reduce, &sim);
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
        return diag_oom(d, "setting up the ensemble");
    for (size_t g = 0; g < goals->count; g++) {
        const goals_goal *goal = &goals->goals[g];
        int t = sim_plan_year_index(plan, goal->year);
        if (t < (goal->kind == GOALS_GROWTH ? 1 : 0))
            return diag_error(d, DIAG_SOFTWARE, "goal %s: year %d is outside the run", goal->id, goal->year);
        ctx->goals[g].cell = (size_t)goal->slot * plan->years + (size_t)t;
        ctx->goals[g].growth = goal->kind == GOALS_GROWTH;
        ctx->goals[g].at_most = goal->direction == GOALS_AT_MOST;
        ctx->goals[g].target = goal->target;
    }
    ctx->goal_count = goals->count;
    result->goal_count = goals->count;
    return DIAG_OK;
}

/* How many varying cells one pass stores: as many as ENSEMBLE_PASS_MB and the memory budget
 * allow next to the engine's buffers, at least one (when the budget allows even that). */
static int cells_per_pass(const engine_job *job, size_t paths, size_t varying_count, size_t *out, diag *d)
{
    size_t per_cell = paths * sizeof(float);
    size_t budget = engine_memory_budget(), engine_bytes = engine_buffer_bytes(job);
    size_t pass_limit = (size_t)ENSEMBLE_PASS_MB << 20;
    size_t available = budget > engine_bytes ? budget - engine_bytes : 0;
    if (pass_limit > available)
        pass_limit = available;
    size_t count = varying_count ? pass_limit / per_cell : 0;
    if (varying_count && count == 0) {
        /* one cell is above ENSEMBLE_PASS_MB (over 67 million paths): use what the budget allows */
        char what[256];
        snprintf(what, sizeof what, "the ensemble of %zu paths (one float per path for each variable and year)", paths);
        int status = engine_check_memory(engine_bytes + per_cell, what, d);
        if (status != DIAG_OK)
            return status;
        count = available / per_cell;
    }
    if (count > varying_count)
        count = varying_count;
    if (varying_count && count == 0)
        count = 1; /* the memory check above allowed one cell */
    *out = count;
    return DIAG_OK;
}

/* Simulates the ensemble once per pass, each storing its group of cells in ctx->store (room
 * for cells_per_pass cells), and summarises the stored cells into result. */
static int run_passes(ensemble_context *ctx, engine_job *job, size_t cells_per_pass, const size_t *cell_of_varying,
                      ensemble_result *result, diag *d)
{
    size_t paths = ctx->paths, varying_count = ctx->varying_count;
    size_t passes = varying_count ? (varying_count + cells_per_pass - 1) / cells_per_pass : 1;
    result->passes = passes;
    double seconds = 0;
    for (size_t pass = 0; pass < passes; pass++) {
        size_t first = pass * cells_per_pass;
        ctx->stored = ctx->varying + first;
        ctx->stored_count = varying_count - first < cells_per_pass ? varying_count - first : cells_per_pass;
        ctx->first_pass = pass == 0;
        char what[64];
        if (passes > 1)
            snprintf(what, sizeof what, "paths (pass %zu of %zu)", pass + 1, passes);
        else
            snprintf(what, sizeof what, "paths");
        job->what = what;
        engine_stats stats;
        int status = engine_run(job, &stats, d);
        if (status != DIAG_OK)
            return status;
        seconds += stats.seconds;
        result->threads = stats.threads;
        /* summarise this pass's cells, one cell per thread at a time */
        size_t count = ctx->stored_count;
        float *store = ctx->store;
#pragma omp parallel for schedule(dynamic, 1) num_threads(stats.threads)
        for (size_t c = 0; c < count; c++)
            summarise_cell(store + c * paths, paths, &result->cells[cell_of_varying[first + c]]);
        if (engine_stop_requested())
            return diag_error(d, DIAG_INTERRUPTED, "interrupted: nothing was written");
    }
    result->seconds = seconds;
    return DIAG_OK;
}

/* ensemble_run's work once its buffers are allocated and the cells listed (ctx->varying,
 * ctx->varying_count): the goals, the storage, the passes, then the counts. */
static int ensemble_run_into(const ensemble_spec *spec, const run *r, goals_set *goals, int threads,
                             const engine_progress *progress,
                             ensemble_context *ctx, ensemble_result *result, const size_t *cell_of_varying, diag *d)
{
    const sim_plan *plan = r->plan;
    size_t paths = spec->paths, varying_count = ctx->varying_count;
    int status;
    if (goals && goals->count && (status = setup_goal_checks(ctx, goals, plan, result, d)) != DIAG_OK)
        return status;
    ctx->clamped = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *ctx->clamped);
    if (!ctx->clamped)
        return diag_oom(d, "setting up the ensemble");

    /* storage: as many varying cells per pass as ENSEMBLE_PASS_MB and the budget allow */
    engine_job job = ensemble_job(spec, plan, threads, progress, ensemble_setup, ensemble_reduce, ctx);
    size_t per_pass;
    if ((status = cells_per_pass(&job, paths, varying_count, &per_pass, d)) != DIAG_OK)
        return status;
    if (per_pass && !(ctx->store = mem_alloc(per_pass * paths * sizeof(float))))
        return diag_oom(d, "storing the ensemble's paths");
    result->stored_bytes = per_pass * paths * sizeof(float);
    if ((status = run_passes(ctx, &job, per_pass, cell_of_varying, result, d)) != DIAG_OK)
        return status;
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
        return diag_error(d, DIAG_SOFTWARE, "ensemble_run: the deterministic path has not been computed");

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
        status = diag_oom(d, "setting up the ensemble");
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
        status = diag_oom(d, "setting up the ensemble");
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
                     "%s: %s: %zu of %zu draws (%.2f%%) fell outside [%g, %g], the model's range for %s, and were "
                     "clamped to it",
                     scenario_origin(r->scenario, r->scenario->uncertainty), spec->shocks[i].json_path,
                     result->clamped[i], result->draws[i],
                     100.0 * (double)result->clamped[i] / (double)(result->draws[i] ? result->draws[i] : 1), ms->min,
                     ms->max, ms->name);
    }
}
