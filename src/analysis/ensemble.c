/* ensemble.c: uncertainty ensembles: parsing the `uncertainty` block, drawing shocks block by
 * block through the engine, and summarising the paths as quantiles and goal probabilities.
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
#include "dist_json.h"
#include "engine.h"
#include "mem.h"
#include "order_stat.h"
#include "output.h"
#include "report.h"
#include "text.h"

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

static const char *const quantile_columns[ENSEMBLE_QUANTILES] = {"p05", "p10", "p25", "p50", "p75", "p90", "p95"};

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
    size_t ks[2 * ENSEMBLE_QUANTILES], nk = 0;
    for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
        double h = (double)(n - 1) * ensemble_quantile_levels[q];
        size_t lo = (size_t)floor(h);
        size_t candidates[2] = {lo, lo + 1 < n ? lo + 1 : lo};
        for (int c = 0; c < 2; c++) {
            size_t k = candidates[c], at = 0;
            while (at < nk && ks[at] < k)
                at++;
            if (at < nk && ks[at] == k)
                continue;
            memmove(ks + at + 1, ks + at, (nk - at) * sizeof *ks);
            ks[at] = k;
            nk++;
        }
    }
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

int ensemble_simulate(const ensemble_spec *spec, const run *r, int threads, int quiet, engine_reduce_fn reduce,
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
    engine_job job = {
        .plan = plan,
        .paths = spec->paths,
        .lanes = ENGINE_DEFAULT_LANES,
        .seed = spec->seed,
        .threads = threads,
        .quiet = quiet,
        .what = "paths",
        .scratch_bytes = 3 * (spec->shock_count ? spec->shock_count : 1) * sizeof(double),
        .setup = simulate_setup,
        .reduce = simulate_reduce,
        .context = &sim,
    };
    int status = engine_run(&job, stats, d);
    free_shock_cells(ctx.shock_cells, spec->shock_count);
    return status;
}

int ensemble_run(const ensemble_spec *spec, const run *r, goals_set *goals, int threads, int quiet,
                 ensemble_result **out, diag *d)
{
    *out = NULL;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    size_t years = plan->years;
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
    float *store = NULL;
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

    /* the reported cells: variables and shocked exogenous series, start..end */
    size_t cell_capacity = m->slot_count * horizon;
    result->cells = mem_calloc(cell_capacity ? cell_capacity : 1, sizeof *result->cells);
    cell_of_varying = mem_alloc((cell_capacity ? cell_capacity : 1) * sizeof *cell_of_varying);
    result->clamped = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *result->clamped);
    result->draws = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *result->draws);
    if (!result->cells || !cell_of_varying || !result->clamped || !result->draws) {
        status = diag_oom(d, "setting up the ensemble");
        goto done;
    }
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
    for (size_t i = 0; i < spec->shock_count; i++)
        result->draws[i] = paths * draws_per_path[i];

    /* goals: each goal's cell */
    if (goals && goals->count) {
        ctx.goals = mem_calloc(goals->count, sizeof *ctx.goals);
        ctx.goal_met = mem_calloc(goals->count, sizeof *ctx.goal_met);
        result->goal_probability = mem_calloc(goals->count, sizeof *result->goal_probability);
        if (!ctx.goals || !ctx.goal_met || !result->goal_probability) {
            status = diag_oom(d, "setting up the ensemble");
            goto done;
        }
        for (size_t g = 0; g < goals->count; g++) {
            const goals_goal *goal = &goals->goals[g];
            int t = sim_plan_year_index(plan, goal->year);
            if (t < (goal->kind == GOALS_GROWTH ? 1 : 0)) {
                status = diag_error(d, DIAG_SOFTWARE, "goal %s: year %d is outside the run", goal->id, goal->year);
                goto done;
            }
            ctx.goals[g].cell = (size_t)goal->slot * years + (size_t)t;
            ctx.goals[g].growth = goal->kind == GOALS_GROWTH;
            ctx.goals[g].at_most = goal->direction == GOALS_AT_MOST;
            ctx.goals[g].target = goal->target;
        }
        ctx.goal_count = goals->count;
        result->goal_count = goals->count;
    }
    ctx.clamped = mem_calloc(spec->shock_count ? spec->shock_count : 1, sizeof *ctx.clamped);
    if (!ctx.clamped) {
        status = diag_oom(d, "setting up the ensemble");
        goto done;
    }

    /* storage: as many varying cells per pass as ENSEMBLE_PASS_MB and the budget allow */
    engine_job job = {
        .plan = plan,
        .paths = paths,
        .lanes = ENGINE_DEFAULT_LANES,
        .seed = spec->seed,
        .threads = threads,
        .quiet = quiet,
        .what = "paths",
        .scratch_bytes = 3 * (spec->shock_count ? spec->shock_count : 1) * sizeof(double),
        .setup = ensemble_setup,
        .reduce = ensemble_reduce,
        .context = &ctx,
    };
    size_t per_cell = paths * sizeof(float);
    size_t budget = engine_memory_budget(), engine_bytes = engine_buffer_bytes(&job);
    size_t pass_limit = (size_t)ENSEMBLE_PASS_MB << 20;
    size_t available = budget > engine_bytes ? budget - engine_bytes : 0;
    if (pass_limit > available)
        pass_limit = available;
    size_t cells_per_pass = varying_count ? pass_limit / per_cell : 0;
    if (varying_count && cells_per_pass == 0) {
        /* one cell is above ENSEMBLE_PASS_MB (over 67 million paths): use what the budget allows */
        char what[256];
        snprintf(what, sizeof what, "the ensemble of %zu paths (one float per path for each variable and year)", paths);
        status = engine_check_memory(engine_bytes + per_cell, what, d);
        if (status != DIAG_OK)
            goto done;
        cells_per_pass = available / per_cell;
    }
    if (cells_per_pass > varying_count)
        cells_per_pass = varying_count;
    if (varying_count && cells_per_pass == 0)
        cells_per_pass = 1; /* the memory check above allowed one cell */
    size_t passes = varying_count ? (varying_count + cells_per_pass - 1) / cells_per_pass : 1;
    if (cells_per_pass && !(store = mem_alloc(cells_per_pass * per_cell))) {
        status = diag_oom(d, "storing the ensemble's paths");
        goto done;
    }
    result->stored_bytes = cells_per_pass * per_cell;
    result->passes = passes;

    ctx.spec = spec;
    ctx.plan = plan;
    ctx.horizon = horizon;
    ctx.start_t = start_t;
    ctx.shock_cells = cells;
    ctx.varying = varying;
    ctx.varying_count = varying_count;
    ctx.store = store;
    ctx.paths = paths;
    double seconds = 0;
    for (size_t pass = 0; pass < passes; pass++) {
        size_t first = pass * cells_per_pass;
        ctx.stored = varying + first;
        ctx.stored_count = varying_count - first < cells_per_pass ? varying_count - first : cells_per_pass;
        ctx.first_pass = pass == 0;
        char what[64];
        if (passes > 1)
            snprintf(what, sizeof what, "paths (pass %zu of %zu)", pass + 1, passes);
        else
            snprintf(what, sizeof what, "paths");
        job.what = what;
        engine_stats stats;
        status = engine_run(&job, &stats, d);
        if (status != DIAG_OK)
            goto done;
        seconds += stats.seconds;
        result->threads = stats.threads;
        /* summarise this pass's cells, one cell per thread at a time */
        size_t count = ctx.stored_count;
#pragma omp parallel for schedule(dynamic, 1) num_threads(stats.threads)
        for (size_t c = 0; c < count; c++)
            summarise_cell(store + c * paths, paths, &result->cells[cell_of_varying[first + c]]);
        if (engine_stop_requested()) {
            status = diag_error(d, ENGINE_INTERRUPTED, "interrupted: nothing was written");
            goto done;
        }
    }
    result->seconds = seconds;
    for (size_t g = 0; g < ctx.goal_count; g++) {
        result->goal_probability[g] = (double)atomic_load(&ctx.goal_met[g]) / (double)paths;
        goals->results[g].probability = result->goal_probability[g];
    }
    for (size_t i = 0; i < spec->shock_count; i++)
        result->clamped[i] = atomic_load(&ctx.clamped[i]);
    *out = result;
    result = NULL;
done:
    ensemble_result_free(result);
    mem_free(slot_varies);
    mem_free(shocked_slot);
    mem_free(varying);
    mem_free(cell_of_varying);
    free_shock_cells(cells, spec->shock_count);
    mem_free(store);
    mem_free(ctx.goals);
    mem_free(ctx.goal_met);
    mem_free(ctx.clamped);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                    */

void ensemble_write_csv(FILE *f, const ensemble_result *result, const run *r)
{
    fputs("scenario,variable,year,mean,sd", f);
    for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
        fprintf(f, ",%s", quantile_columns[q]);
    fputs("\r\n", f);
    for (size_t i = 0; i < result->cell_count; i++) {
        const ensemble_cell *cell = &result->cells[i];
        output_csv_field(f, r->scenario->name);
        fputc(',', f);
        output_csv_field(f, r->model->slots[cell->slot].name);
        fprintf(f, ",%d,", cell->year);
        output_csv_number(f, cell->mean);
        fputc(',', f);
        output_csv_number(f, cell->sd);
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
            fputc(',', f);
            output_csv_number(f, cell->quantile[q]);
        }
        fputs("\r\n", f);
    }
}

static const char *apply_name(ensemble_apply apply)
{
    return apply == ENSEMBLE_MULTIPLY ? "multiply" : apply == ENSEMBLE_REPLACE ? "replace" : "add";
}

cJSON *ensemble_summary_json(const ensemble_result *result, const ensemble_spec *spec, const run *r,
                             const goals_set *goals)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    const model *m = r->model;
    cJSON *shocks, *cells;
    if (!cJSON_AddNumberToObject(root, "paths", (double)result->paths) ||
        !cJSON_AddNumberToObject(root, "seed", (double)result->seed) ||
        !cJSON_AddNumberToObject(root, "threads", result->threads) ||
        !cJSON_AddNumberToObject(root, "passes", (double)result->passes) ||
        !cJSON_AddNumberToObject(root, "paths_per_block", (double)result->lanes) ||
        !cJSON_AddStringToObject(root, "quantiles",
                                 "type 7 (linear between order statistics) of values stored as float (relative "
                                 "error at most 6e-8)") ||
        (spec->note && !cJSON_AddStringToObject(root, "note", spec->note)) ||
        !(shocks = cJSON_AddArrayToObject(root, "shocks")))
        goto fail;
    for (size_t i = 0; i < spec->shock_count; i++) {
        const ensemble_shock *shock = &spec->shocks[i];
        cJSON *item = cJSON_CreateObject();
        cJSON *dist_json = dist_to_json(&shock->dist);
        if (!item || !dist_json) {
            cJSON_Delete(item);
            cJSON_Delete(dist_json);
            goto fail;
        }
        cJSON_AddItemToArray(shocks, item);
        if (report_add_item(item, "distribution", dist_json) != 0 ||
            !cJSON_AddStringToObject(item, "name", shock->name) ||
            !cJSON_AddStringToObject(item, "kind", model_kind_name(m->slots[shock->slot].kind)) ||
            !cJSON_AddStringToObject(item, "apply", apply_name(shock->apply)) ||
            !cJSON_AddNumberToObject(item, "ar1", shock->ar1) ||
            !cJSON_AddNumberToObject(item, "draws", (double)result->draws[i]) ||
            !cJSON_AddNumberToObject(item, "clamped", (double)result->clamped[i]) ||
            (shock->note && !cJSON_AddStringToObject(item, "note", shock->note)))
            goto fail;
    }
    if (spec->cholesky) {
        /* the correlation the factor implies, L L^T, over all shocks */
        size_t k = spec->shock_count;
        cJSON *correlation = cJSON_AddObjectToObject(root, "correlation");
        cJSON *names = correlation ? cJSON_AddArrayToObject(correlation, "names") : NULL;
        cJSON *matrix = correlation ? cJSON_AddArrayToObject(correlation, "matrix") : NULL;
        if (!names || !matrix)
            goto fail;
        for (size_t a = 0; a < k; a++) {
            cJSON *name = cJSON_CreateString(spec->shocks[a].name), *row = cJSON_CreateArray();
            if (!name || !row) {
                cJSON_Delete(name);
                cJSON_Delete(row);
                goto fail;
            }
            cJSON_AddItemToArray(names, name);
            cJSON_AddItemToArray(matrix, row);
            for (size_t b = 0; b < k; b++) {
                double sum = 0;
                for (size_t j = 0; j < k; j++)
                    sum += spec->cholesky[a * k + j] * spec->cholesky[b * k + j];
                cJSON *v = cJSON_CreateNumber(round(sum * 1e12) / 1e12);
                if (!v)
                    goto fail;
                cJSON_AddItemToArray(row, v);
            }
        }
    }
    if (!(cells = cJSON_AddArrayToObject(root, "series")))
        goto fail;
    for (size_t i = 0; i < result->cell_count; i++) {
        const ensemble_cell *cell = &result->cells[i];
        if (!cell->varies)
            continue;
        cJSON *item = cJSON_CreateObject();
        if (!item)
            goto fail;
        cJSON_AddItemToArray(cells, item);
        if (!cJSON_AddStringToObject(item, "variable", m->slots[cell->slot].name) ||
            !cJSON_AddStringToObject(item, "unit", m->slots[cell->slot].unit) ||
            !cJSON_AddNumberToObject(item, "year", cell->year) || !cJSON_AddNumberToObject(item, "mean", cell->mean) ||
            !cJSON_AddNumberToObject(item, "sd", cell->sd))
            goto fail;
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
            if (!cJSON_AddNumberToObject(item, quantile_columns[q], cell->quantile[q]))
                goto fail;
    }
    if (goals && result->goal_probability) {
        cJSON *probability = cJSON_AddObjectToObject(root, "goal_probability");
        if (!probability)
            goto fail;
        for (size_t g = 0; g < result->goal_count; g++)
            if (!cJSON_AddNumberToObject(probability, goals->goals[g].id, result->goal_probability[g]))
                goto fail;
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

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

/* A probability for people: never "0%" or "100%" for one that is not exactly that, and for
 * one that is, how many paths it rests on. */
static void format_probability(char *buf, size_t size, double p, size_t paths)
{
    if (p == 0)
        snprintf(buf, size, "0%% (0 of %zu paths)", paths);
    else if (p == 1)
        snprintf(buf, size, "100%% (all %zu paths)", paths);
    else if (p < 0.001)
        snprintf(buf, size, "<0.1%%");
    else if (p > 0.999)
        snprintf(buf, size, ">99.9%%");
    else
        snprintf(buf, size, "%.1f%%", 100 * p);
}

/* The years the table shows: start, the goal years, end (sorted, distinct, at most 6). */
static size_t table_years(const run *r, const goals_set *goals, int *years)
{
    size_t n = 0;
    int candidates[2 + GOALS_MAX];
    size_t count = 0;
    candidates[count++] = r->plan->start;
    for (size_t g = 0; goals && g < goals->count && count < 2 + GOALS_MAX - 1; g++)
        candidates[count++] = goals->goals[g].year;
    candidates[count++] = r->plan->end;
    for (size_t i = 0; i < count; i++) {
        size_t at = 0;
        while (at < n && years[at] < candidates[i])
            at++;
        if (at < n && years[at] == candidates[i])
            continue;
        if (n == 6) {
            if (at >= n)
                continue;
            n--; /* keep the earliest years and always the end, below */
        }
        memmove(years + at + 1, years + at, (n - at) * sizeof *years);
        years[at] = candidates[i];
        n++;
    }
    if (n && years[n - 1] != r->plan->end)
        years[n - 1] = r->plan->end;
    return n;
}

void ensemble_print_table(FILE *out, const ensemble_result *result, const ensemble_spec *spec, const run *r,
                          const goals_set *goals)
{
    const model *m = r->model;
    int years[6];
    size_t year_count = table_years(r, goals, years);
    fprintf(out, "Ensemble: %zu paths, seed %lu, %zu shock%s, %d thread%s: median [5%% - 95%%]\n", result->paths,
            result->seed, spec->shock_count, spec->shock_count == 1 ? "" : "s", result->threads,
            result->threads == 1 ? "" : "s");
    /* column widths */
    size_t label_width = 8;
    char text[128];
    for (size_t slot = 0; slot < m->slot_count; slot++) {
        const ensemble_cell *cell = ensemble_find(result, (int)slot, r->plan->end);
        if (!cell || !cell->varies)
            continue;
        size_t w = text_display_width(m->slots[slot].label) + text_display_width(m->slots[slot].unit) + 3;
        if (w > label_width)
            label_width = w;
    }
    size_t column_width = 26, shown_assumptions = 0;
    text_pad(out, "", label_width, 1);
    for (size_t y = 0; y < year_count; y++) {
        snprintf(text, sizeof text, "%d", years[y]);
        fputs("  ", out);
        text_pad(out, text, column_width, 0);
    }
    fputc('\n', out);
    size_t shown = 0;
    /* variables first, then the shocked assumptions themselves */
    for (size_t row = 0; row < 2 * m->slot_count; row++) {
        size_t slot = row % m->slot_count;
        const model_slot *ms = &m->slots[slot];
        if ((row < m->slot_count) != (ms->kind == MODEL_VARIABLE))
            continue;
        const ensemble_cell *last = ensemble_find(result, (int)slot, r->plan->end);
        if (!last || !last->varies)
            continue;
        if (ms->kind == MODEL_EXOGENOUS && shown_assumptions++ == 0)
            fputs("shocked assumptions:\n", out);
        if (ms->unit[0])
            snprintf(text, sizeof text, "%s [%s]", ms->label, model_unit_is_rate(ms->unit) ? "%" : ms->unit);
        else
            snprintf(text, sizeof text, "%s", ms->label);
        text_pad(out, text, label_width, 1);
        for (size_t y = 0; y < year_count; y++) {
            const ensemble_cell *cell = ensemble_find(result, (int)slot, years[y]);
            char median[32], low[32], high[32], entry[128];
            if (!cell) {
                snprintf(entry, sizeof entry, "-");
            } else {
                report_format_value(median, sizeof median, cell->quantile[3], ms->unit);
                report_format_value(low, sizeof low, cell->quantile[0], ms->unit);
                report_format_value(high, sizeof high, cell->quantile[6], ms->unit);
                snprintf(entry, sizeof entry, "%s [%s - %s]", median, low, high);
            }
            fputs("  ", out);
            text_pad(out, entry, column_width, 0);
        }
        fputc('\n', out);
        shown++;
    }
    if (!shown)
        fputs("(no variable depends on a shock)\n", out);
    if (goals && result->goal_probability && goals->count) {
        fputs("\nProbability of meeting each goal:\n", out);
        size_t id_width = 4, label_w = 4;
        for (size_t g = 0; g < goals->count; g++) {
            size_t w = text_display_width(goals->goals[g].id);
            if (w > id_width)
                id_width = w;
            w = text_display_width(goals->goals[g].label);
            if (w > label_w)
                label_w = w;
        }
        for (size_t g = 0; g < goals->count; g++) {
            const goals_goal *goal = &goals->goals[g];
            const model_slot *ms = &m->slots[goal->slot];
            char target[48], probability[64];
            const char *unit = goal->kind == GOALS_GROWTH ? "ratio" : ms->unit;
            report_format_value(target, sizeof target, goal->target, unit);
            format_probability(probability, sizeof probability, result->goal_probability[g], result->paths);
            fputs("  ", out);
            text_pad(out, goal->id, id_width, 1);
            fputs("  ", out);
            text_pad(out, goal->label, label_w, 1);
            int show_unit = goal->kind != GOALS_GROWTH && ms->unit[0] && !model_unit_is_rate(ms->unit) &&
                            strcmp(ms->unit, "count") && strcmp(ms->unit, "index");
            snprintf(text, sizeof text, "%d %s %s%s%s%s", goal->year, goal->direction == GOALS_AT_MOST ? "<=" : ">=",
                     target, show_unit ? " " : "", show_unit ? ms->unit : "", goal->kind == GOALS_GROWTH ? " growth" : "");
            fputs("  ", out);
            text_pad(out, text, 24, 1);
            fputs("  ", out);
            const ensemble_cell *goal_cell = ensemble_find(result, goal->slot, goal->year);
            fputs(probability, out);
            if (goal_cell && !goal_cell->varies)
                fputs("  (no shock reaches it)", out);
            fputc('\n', out);
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Fan charts                                                                                 */

/* The unit as an axis shows it (as charts.c does): rates in percent. */
static const char *chart_unit_text(const char *unit)
{
    if (model_unit_is_rate(unit))
        return "%";
    if (!strcmp(unit, "count"))
        return "个";
    if (!strcmp(unit, "index"))
        return "指数";
    return unit;
}

static int fan_chart(charts_writer *w, const ensemble_result *result, const ensemble_spec *spec, const run *r,
                     const goals_set *goals, int slot, int width, diag *d)
{
    const sim_plan *plan = r->plan;
    const model_slot *ms = &r->model->slots[slot];
    double scale = model_unit_is_rate(ms->unit) ? 100.0 : 1.0;
    plot_script *s = plot_script_new();
    if (!s)
        return diag_oom(d, "writing a fan chart");
    char text[1024];
    snprintf(text, sizeof text, "%s — 不确定性: %zu 条路径的分布", ms->label, result->paths);
    plot_script_string(s, "econsim_title", text);
    plot_script_string_cut(s, "econsim_unit", chart_unit_text(ms->unit), PLOT_UNIT_COLUMNS);
    snprintf(text, sizeof text, "情景: %s (%s) · 模型: %s · econsim %s", r->scenario->title, r->scenario->name,
             r->model->title ? r->model->title : r->model->name, ECONSIM_VERSION);
    plot_script_string(s, "econsim_footnote", text);
    size_t used = (size_t)snprintf(text, sizeof text, "%zu 条路径, 种子 %lu; 冲击: ", result->paths, result->seed);
    for (size_t i = 0; i < spec->shock_count && used < sizeof text - 80; i++) {
        char description[160];
        dist_describe(&spec->shocks[i].dist, description, sizeof description);
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s %s%s", i ? "; " : "", spec->shocks[i].name,
                                 description, spec->shocks[i].ar1 > 0 ? " (ar1)" : "");
    }
    if (spec->shock_count == 0)
        snprintf(text + used, sizeof text - used, "无");
    /* keep the footnote within the chart's width, about 6.5 pixels a column */
    size_t columns = (size_t)((width - 30) / 6.5), seen = 0;
    for (size_t i = 0; text[i]; ) {
        unsigned cp;
        int n = text_utf8_next(text + i, &cp);
        if (n <= 0)
            break;
        seen += (size_t)text_codepoint_width(cp);
        if (seen > columns) {
            snprintf(text + i, sizeof text - i, "...");
            break;
        }
        i += (size_t)n;
    }
    plot_script_string(s, "econsim_footnote2", text);

    /* history: values before start that are data or computed from data */
    size_t start_t = (size_t)(plan->start - plan->first_year);
    int year_from = plan->start - 1;
    double y_min = INFINITY, y_max = -INFINITY;
    size_t history_rows = 0, observed = 0;
    plot_script_append(s, "\n");
    plot_script_comment(s, "%s: years and values in the unit econsim_unit%s", ms->name,
                        scale != 1 ? " (rates times 100)" : "");
    for (int part = 0; part < 2; part++) {
        plot_script_datablock_begin(s, part == 0 ? "econsim_history" : "econsim_observed");
        int gap = 0;
        for (size_t t = 0; t < start_t; t++) {
            size_t c = (size_t)slot * plan->years + t;
            double v = r->values[c];
            sim_origin origin = (sim_origin)plan->origin[c];
            int take = sim_plan_cell_shown(plan, (size_t)slot, t) && isfinite(v) && origin != SIM_ORIGIN_ASSUMED &&
                       (part == 0 || origin == SIM_ORIGIN_OBSERVED);
            if (!take) {
                gap = part == 0 && history_rows > 0;
                continue;
            }
            if (gap)
                plot_script_datablock_gap(s);
            gap = 0;
            double row[2] = {plan->first_year + (int)t, v * scale};
            plot_script_datablock_row(s, row, 2);
            if (part == 0) {
                history_rows++;
                if (row[0] < year_from)
                    year_from = (int)row[0];
            } else {
                observed++;
            }
            y_min = fmin(y_min, row[1]);
            y_max = fmax(y_max, row[1]);
        }
        plot_script_datablock_end(s);
    }
    plot_script_number(s, "econsim_history_points", (double)history_rows);
    plot_script_number(s, "econsim_observed_points", (double)observed);

    /* the bands, opening from the last known value */
    plot_script_datablock_begin(s, "econsim_bands");
    double before = start_t > 0 ? run_slot_value(r, slot, plan->start - 1) : NAN;
    if (isfinite(before)) {
        double row[8] = {plan->start - 1};
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++)
            row[1 + q] = before * scale;
        plot_script_datablock_row(s, row, 8);
    }
    for (int year = plan->start; year <= plan->end; year++) {
        const ensemble_cell *cell = ensemble_find(result, slot, year);
        if (!cell)
            continue;
        double row[8] = {year};
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
            row[1 + q] = cell->quantile[q] * scale;
            y_min = fmin(y_min, row[1 + q]);
            y_max = fmax(y_max, row[1 + q]);
        }
        plot_script_datablock_row(s, row, 8);
    }
    plot_script_datablock_end(s);

    /* level goals on this variable, with their probability */
    const char *labels[GOALS_MAX];
    double goal_years[GOALS_MAX], goal_levels[GOALS_MAX];
    char *owned[GOALS_MAX];
    size_t goal_count = 0;
    plot_script_datablock_begin(s, "econsim_goals");
    for (size_t g = 0; goals && result->goal_probability && g < goals->count; g++) {
        const goals_goal *goal = &goals->goals[g];
        if (goal->slot != slot || goal->kind != GOALS_LEVEL)
            continue;
        char label[512];
        char probability[64];
        format_probability(probability, sizeof probability, result->goal_probability[g], result->paths);
        snprintf(label, sizeof label, "%s: 达成概率 %s", goal->label, probability);
        if (!(owned[goal_count] = mem_strdup(label)))
            break;
        labels[goal_count] = owned[goal_count];
        goal_years[goal_count] = goal->year;
        goal_levels[goal_count] = goal->target * scale;
        double row[2] = {goal_years[goal_count], goal_levels[goal_count]};
        plot_script_datablock_row(s, row, 2);
        y_min = fmin(y_min, row[1]);
        y_max = fmax(y_max, row[1]);
        goal_count++;
    }
    plot_script_datablock_end(s);
    plot_script_number(s, "econsim_goal_points", (double)goal_count);
    plot_script_string_array_cut(s, "econsim_goal_labels", labels, goal_count, PLOT_LABEL_COLUMNS);
    plot_script_number_array(s, "econsim_goal_years", goal_years, goal_count);
    plot_script_number_array(s, "econsim_goal_levels", goal_levels, goal_count);
    for (size_t g = 0; g < goal_count; g++)
        mem_free(owned[g]);

    int span = plan->end - year_from;
    int step = span <= 15 ? 1 : span <= 30 ? 2 : span <= 75 ? 5 : 10;
    int first_tic = year_from % step == 0 ? year_from : year_from + (step - year_from % step);
    plot_script_printf(s, "econsim_year_from = %d\neconsim_year_to = %d\neconsim_year_step = %d\n"
                          "econsim_year_first_tic = %d\neconsim_start = %d\n",
                       year_from, plan->end, step, first_tic, plan->start);
    plot_script_number(s, "econsim_y_from_zero", y_min >= 0 && !model_unit_is_rate(ms->unit) ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", isfinite(y_max) ? y_max : 0);

    char slug[96], title[512];
    snprintf(slug, sizeof slug, "fan-%s", ms->name);
    snprintf(title, sizeof title, "%s: fan chart of %zu paths (5-95%%, 10-90%%, 25-75%%, median)", ms->label,
             result->paths);
    charts_chart chart = {.slug = slug, .kind = "fan", .template_name = "fan", .title = title, .variable = ms->name,
                          .scenario_name = r->scenario->name, .body = s};
    int status = charts_writer_add(w, &chart);
    plot_script_free(s);
    return status;
}

int ensemble_write_charts(output_batch *batch, const ensemble_result *result, const ensemble_spec *spec,
                          const run *r, const goals_set *goals, const charts_options *o, charts_list *list, diag *d)
{
    if (!o->enabled)
        return DIAG_OK;
    const model *m = r->model;
    unsigned char *chosen = mem_calloc(m->slot_count ? m->slot_count : 1, 1);
    if (!chosen)
        return diag_oom(d, "writing fan charts");
    for (size_t i = 0; i < o->variable_count; i++) {
        int slot = model_find(m, o->variables[i]);
        if (slot >= 0)
            chosen[slot] = 1;
    }
    for (size_t g = 0; goals && g < goals->count; g++)
        if (goals->goals[g].kind == GOALS_LEVEL)
            chosen[goals->goals[g].slot] = 1;
    charts_writer *w = NULL;
    int status = charts_writer_begin(batch, o, list, &w, d);
    /* in the order of the chart options, then goal variables in model order */
    for (size_t pass = 0; pass < 2 && status == DIAG_OK && w; pass++) {
        size_t count = pass == 0 ? o->variable_count : m->slot_count;
        for (size_t i = 0; i < count && status == DIAG_OK; i++) {
            int slot = pass == 0 ? model_find(m, o->variables[i]) : (int)i;
            if (slot < 0 || !chosen[slot])
                continue;
            chosen[slot] = 0;
            const ensemble_cell *cell = ensemble_find(result, slot, r->plan->end);
            if (!cell || !cell->varies)
                continue;
            status = fan_chart(w, result, spec, r, goals, slot, o->width, d);
        }
    }
    status = charts_writer_end(w, status);
    mem_free(chosen);
    return status;
}
