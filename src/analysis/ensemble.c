/* ensemble.c: uncertainty ensembles: drawing shocks block by block through the engine, and
 * summarising the paths as quantiles and goal probabilities (the `uncertainty` block is read
 * by ensemble_load.c, the results written by ensemble_write.c).
 *
 * The hot part is the engine's (sim_block_run over 256 lanes at a time); what this file adds
 * per block is the draw of the shocks (setup: rng.h's inlined normals) and one pass over the
 * few cells the outputs need (reduce: each value turned into a float once, stored straight
 * into its cell's array, with the block's sums and the cell's range). Only cells that some
 * shock reaches are kept, one float per path, so that quantiles are exact order statistics (of
 * values rounded to float: a relative error of at most 2^-24, about 6e-8) without keeping every
 * variable of every path. When even that is too much (10^7 paths x 40 cells = 1.6 GB), the
 * ensemble streams in two passes over the same paths (see "Passes"). Goal probabilities are
 * integer counts, summed with atomics (integer sums do not depend on the order), so they too
 * are identical for any thread count. Over 800 lines: the draws, the per-block reduce and the
 * two ways of summarising share one context, and splitting them would expose it. */
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
#include <omp.h>
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

/* The type-7 quantiles of a cell from its order statistics order[] of ranks ks[] (n values). */
static void set_quantiles(ensemble_cell *cell, size_t n, const size_t *ks, const float *order)
{
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

/* What a simulation pass does with each block's values (see "Passes" below). */
typedef enum pass_mode {
    PASS_STORE = 0, /* in memory: store every varying cell as floats, with block sums and key ranges */
    PASS_COUNT,     /* streaming, pass 1: block sums and histograms, nothing stored */
    PASS_GATHER,    /* streaming, pass 2: squared deviations, and the values of wanted buckets */
    PASS_PILOT,     /* block 0 alone: the key range of each cell, for PASS_COUNT's histograms */
    PASS_CALLER     /* ensemble_simulate: the caller's reduce */
} pass_mode;

typedef struct ensemble_context {
    const ensemble_spec *spec;
    const sim_plan *plan;
    size_t horizon;              /* end - start + 1 */
    size_t start_t;              /* year index of start */
    shock_cells *shock_cells;    /* [shock] */
    size_t later[ENSEMBLE_MAX_SHOCKS]; /* the normals drawn in years after the first: those that */
    size_t later_count;          /* some exogenous series' innovation reads (parameters draw once) */
    const size_t *varying;       /* cells (slot * years + t) that vary */
    size_t varying_count;
    size_t paths, lanes;
    pass_mode mode;
    int first_pass;              /* checks finiteness, counts goals and clamps */
    float *store;                /* PASS_STORE: [varying_count * paths], cell-major */
    double *block_sum;           /* [block * varying_count + c]: PASS_STORE, PASS_COUNT: sums of the
                                    block's values; PASS_GATHER: squared deviations from the mean */
    const double *mean;          /* PASS_GATHER: [c] */
    uint32_t *key_lo, *key_hi;   /* PASS_STORE, PASS_PILOT: [thread * varying_count + c] */
    order_stat_hist *hist;       /* PASS_COUNT: [thread * varying_count + c] */
    const order_stat_plan *plans;/* PASS_GATHER: [c] */
    float **gathered;            /* PASS_GATHER: [c], plans[c].gathered values each */
    atomic_size_t *gathered_fill;/* PASS_GATHER: [c] */
    goal_check *goals;
    size_t goal_count;
    atomic_size_t *goal_met;     /* [goal] */
    atomic_size_t *clamped;      /* [shock] */
} ensemble_context;

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
            double *zj = z + (year == 0 ? d : ctx->later[d]) * lanes;
            for (size_t lane = 0; lane < lanes; lane++)
                zj[lane] = rng_normal(rng);
        }
        for (size_t i = 0; i < k; i++) {
            const shock_cells *cells = &all[i];
            if (year > 0 && cells->is_parameter)
                continue; /* drawn once per path */
            double *ei = e + i * lanes;
            double keep = year == 0 ? 0.0 : cells->ar1, scale = year == 0 ? 1.0 : cells->persistence;
            if (year == 0)
                memset(ei, 0, lanes * sizeof *ei);
            for (size_t lane = 0; lane < lanes; lane++) {
                double innovation = 0;
                for (size_t j = 0; j < cells->term_count; j++)
                    innovation += cells->term_value[j] * z[cells->term_column[j] * lanes + lane];
                ei[lane] = keep * ei[lane] + scale * innovation;
            }
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

/* The sum of a[0..n) in double: four interleaved partial sums (lanes i mod 4), added as
 * (s0 + s1) + (s2 + s3). Fixed order: the same for any thread count, and pipelined. */
static double sum_floats(const float *a, size_t n)
{
    double s[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int j = 0; j < 4; j++)
            s[j] += a[i + (size_t)j];
    for (; i < n; i++)
        s[i & 3] += a[i];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* The sum of (a[i] - mean)^2 over a[0..n), in the same order as sum_floats. */
static double sum_squares(const float *a, size_t n, double mean)
{
    double s[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int j = 0; j < 4; j++) {
            double dev = a[i + (size_t)j] - mean;
            s[j] += dev * dev;
        }
    for (; i < n; i++) {
        double dev = a[i] - mean;
        s[i & 3] += dev * dev;
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* The first non-finite (or beyond float) value of the block, as the run's error. */
static int non_finite(const ensemble_context *ctx, engine_block *block)
{
    const sim_plan *plan = ctx->plan;
    size_t lanes = block->lanes;
    for (size_t c = 0; c < ctx->varying_count; c++) {
        const double *lane = block->values + ctx->varying[c] * lanes;
        for (size_t l = 0; l < lanes; l++)
            if (!(fabs(lane[l]) <= FLT_MAX)) {
                size_t slot = ctx->varying[c] / plan->years, t = ctx->varying[c] % plan->years;
                snprintf(block->message, sizeof block->message,
                         "path %zu of the ensemble: %s in %d is %g%s: check the shocks' sizes against the model's "
                         "equations (a growth rate below -100%%, a division by zero)",
                         block->first + l + 1, plan->model->slots[slot].name, plan->first_year + (int)t, lane[l],
                         isfinite(lane[l]) ? ", too large to summarise" : ", not a finite number");
                return DIAG_SOFTWARE;
            }
    }
    return DIAG_OK;
}

/* Counts the block's paths that meet each goal (integer sums: any order gives the same). */
static void count_goals(ensemble_context *ctx, const engine_block *block)
{
    size_t lanes = block->lanes;
    for (size_t g = 0; g < ctx->goal_count; g++) {
        const goal_check *goal = &ctx->goals[g];
        const double *now = block->values + goal->cell * lanes, *before = now - lanes;
        double slack = GOALS_MET_RTOL * fabs(goal->target);
        size_t met = 0;
        for (size_t l = 0; l < lanes; l++) {
            double v = goal->growth ? now[l] / before[l] - 1 : now[l];
            met += goal->at_most ? v <= goal->target + slack : v >= goal->target - slack;
        }
        atomic_fetch_add(&ctx->goal_met[g], met);
    }
}

/* One varying cell of one block, as floats in out[0..lanes): converted, then handled as the
 * pass says. Returns 1 when some value is not finite or beyond float's range. */
static int reduce_cell(ensemble_context *ctx, const engine_block *block, size_t c, float *out)
{
    size_t lanes = block->lanes, cells = ctx->varying_count;
    const double *lane = block->values + ctx->varying[c] * lanes;
    int bad = 0;
    for (size_t l = 0; l < lanes; l++) {
        bad |= !(fabs(lane[l]) <= FLT_MAX);
        out[l] = (float)lane[l];
    }
    if (bad && ctx->mode != PASS_PILOT)
        return 1;
    size_t at = (size_t)block->thread * cells + c;
    switch (ctx->mode) {
    case PASS_STORE: {
        /* every value is finite here: the range from the smallest and largest value, with
         * -0.0 and 0.0 (equal values, distinct keys) both inside it */
        float lo = out[0], hi = out[0];
        for (size_t l = 1; l < lanes; l++) {
            lo = out[l] < lo ? out[l] : lo;
            hi = out[l] > hi ? out[l] : hi;
        }
        uint32_t klo = order_stat_key(lo == 0 ? -0.0f : lo), khi = order_stat_key(hi == 0 ? 0.0f : hi);
        ctx->key_lo[at] = klo < ctx->key_lo[at] ? klo : ctx->key_lo[at];
        ctx->key_hi[at] = khi > ctx->key_hi[at] ? khi : ctx->key_hi[at];
        ctx->block_sum[block->index * cells + c] = sum_floats(out, lanes);
        break;
    }
    case PASS_PILOT: {
        uint32_t lo = ctx->key_lo[at], hi = ctx->key_hi[at];
        for (size_t l = 0; l < lanes; l++) {
            if (!isfinite(out[l]))
                continue; /* PASS_COUNT reports them */
            uint32_t key = order_stat_key(out[l]);
            lo = key < lo ? key : lo;
            hi = key > hi ? key : hi;
        }
        ctx->key_lo[at] = lo;
        ctx->key_hi[at] = hi;
        break;
    }
    case PASS_COUNT: {
        order_stat_hist *h = &ctx->hist[at];
        for (size_t l = 0; l < lanes; l++)
            order_stat_hist_add(h, out[l]);
        ctx->block_sum[block->index * cells + c] = sum_floats(out, lanes);
        break;
    }
    case PASS_GATHER: {
        ctx->block_sum[block->index * cells + c] = sum_squares(out, lanes, ctx->mean[c]);
        const order_stat_plan *plan = &ctx->plans[c];
        const order_stat_hist *h = &ctx->hist[c]; /* the merged histogram, in thread 0's place */
        for (size_t l = 0; l < lanes; l++)
            if (order_stat_plan_wants(plan, h, out[l]))
                ctx->gathered[c][atomic_fetch_add(&ctx->gathered_fill[c], 1)] = out[l];
        break;
    }
    case PASS_CALLER:
        break;
    }
    return 0;
}

static int ensemble_reduce(void *context, engine_block *block)
{
    ensemble_context *ctx = context;
    size_t shocks = ctx->spec->shock_count ? ctx->spec->shock_count : 1;
    float *scratch = (float *)((double *)block->scratch + (2 * shocks + 1) * ENGINE_DEFAULT_LANES);
    for (size_t c = 0; c < ctx->varying_count; c++) {
        float *out = ctx->mode == PASS_STORE ? ctx->store + c * ctx->paths + block->first : scratch;
        if (reduce_cell(ctx, block, c, out))
            return non_finite(ctx, block);
    }
    if (ctx->first_pass)
        count_goals(ctx, block);
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
        .what = "paths",
        .scratch_bytes = (2 * (spec->shock_count ? spec->shock_count : 1) + 1) * ENGINE_DEFAULT_LANES * sizeof(double) +
                         ENGINE_DEFAULT_LANES * sizeof(float),
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
    list_later_draws(&ctx);
    ctx.mode = PASS_CALLER;
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

/* ---------------------------------------------------------------------------------------- */
/* Passes                                                                                     */
/* In memory (PASS_STORE), when every varying cell's floats fit in ENSEMBLE_PASS_MB and the
 * memory budget: one simulation stores them (in huge pages), with each block's sums and each
 * cell's smallest and largest key; then, per cell, the mean from the block sums, one pass over
 * the stored values that counts the histogram over [smallest, largest] and adds the squared
 * deviations block by block, one that moves the wanted buckets' values to the front, and a
 * selection among those.
 * Streaming otherwise, in two passes that re-simulate the same paths from their streams: block
 * 0 alone first gives each cell a key range (widened; values outside it land in the
 * histogram's end buckets, so it only sets the resolution); pass 1 counts the histograms and
 * the block sums (and goals); pass 2 adds the squared deviations from the means and gathers the
 * values of the wanted buckets, exactly as many as pass 1 counted; then selection. Both give
 * the same bytes: the same block sums in block order, exact order statistics. */

/* The mean of cell c from the block sums, added in block order. */
static double cell_block_total(const ensemble_context *ctx, size_t c)
{
    size_t blocks = engine_block_count(ctx->paths, ctx->lanes);
    double total = 0;
    for (size_t b = 0; b < blocks; b++)
        total += ctx->block_sum[b * ctx->varying_count + c];
    return total;
}

/* Per-thread working memory of the summaries (histograms and plans). */
typedef struct summary_work {
    order_stat_hist *hist;  /* [threads] */
    order_stat_plan *plan;  /* [threads] */
} summary_work;

/* Mean, sd and quantiles of stored cell c (reorders its values) into cell. */
static void summarise_stored(const ensemble_context *ctx, size_t c, int threads, order_stat_hist *h,
                             order_stat_plan *plan, ensemble_cell *cell)
{
    size_t n = ctx->paths, lanes = ctx->lanes, cells = ctx->varying_count;
    float *a = ctx->store + c * n;
    uint32_t lo = UINT32_MAX, hi = 0;
    for (int t = 0; t < threads; t++) {
        size_t at = (size_t)t * cells + c;
        lo = ctx->key_lo[at] < lo ? ctx->key_lo[at] : lo;
        hi = ctx->key_hi[at] > hi ? ctx->key_hi[at] : hi;
    }
    double mean = cell_block_total(ctx, c) / (double)n, squares = 0;
    int histogram = n >= ORDER_STAT_DIRECT && lo < hi;
    if (histogram)
        order_stat_hist_init(h, lo, hi, ORDER_STAT_BUCKETS);
    for (size_t first = 0; first < n; first += lanes) {
        size_t len = n - first < lanes ? n - first : lanes;
        squares += sum_squares(a + first, len, mean);
        if (histogram)
            for (size_t i = first; i < first + len; i++)
                order_stat_hist_add(h, a[i]);
    }
    cell->mean = mean;
    cell->sd = n > 1 ? sqrt(squares / (double)(n - 1)) : 0.0;
    size_t ks[2 * ENSEMBLE_QUANTILES];
    size_t nk = order_stat_type7_ranks(n, ensemble_quantile_levels, ENSEMBLE_QUANTILES, ks);
    float order[2 * ENSEMBLE_QUANTILES];
    if (!histogram) {
        order_stat_select_range(a, n, lo, hi, ks, nk, order);
    } else {
        order_stat_plan_make(h, ks, nk, plan);
        size_t front = 0;
        for (size_t i = 0; i < n; i++)
            if (order_stat_plan_wants(plan, h, a[i])) {
                float t = a[i];
                a[i] = a[front];
                a[front++] = t;
            }
        order_stat_plan_finish(plan, a, order);
    }
    set_quantiles(cell, n, ks, order);
}

/* Bytes of the per-thread histograms and plans. */
static size_t summary_work_bytes(int threads, size_t histograms_per_thread)
{
    return (size_t)threads * (histograms_per_thread * sizeof(order_stat_hist) + sizeof(order_stat_plan));
}

static int run_in_memory(ensemble_context *ctx, engine_job *job, int threads, const size_t *cell_of_varying,
                         ensemble_result *result, diag *d)
{
    size_t cells = ctx->varying_count, paths = ctx->paths;
    summary_work work = {mem_alloc((size_t)threads * sizeof *work.hist),
                         mem_alloc((size_t)threads * sizeof *work.plan)};
    ctx->key_lo = mem_alloc((size_t)threads * (cells ? cells : 1) * sizeof *ctx->key_lo);
    ctx->key_hi = mem_alloc((size_t)threads * (cells ? cells : 1) * sizeof *ctx->key_hi);
    ctx->store = mem_alloc_huge((cells ? cells : 1) * paths * sizeof(float));
    int status = DIAG_OK;
    if (!work.hist || !work.plan || !ctx->key_lo || !ctx->key_hi || !ctx->store) {
        status = diag_oom(d, "storing the ensemble's paths");
        goto done;
    }
    for (size_t i = 0; i < (size_t)threads * cells; i++) {
        ctx->key_lo[i] = UINT32_MAX;
        ctx->key_hi[i] = 0;
    }
    ctx->mode = PASS_STORE;
    ctx->first_pass = 1;
    job->what = "paths";
    /* what the pass writes, so that chunks can be checkpointed or computed on other ranks */
    size_t shocks = ctx->spec->shock_count ? ctx->spec->shock_count : 1;
    engine_region regions[] = {
        {ENGINE_REGION_PATH, ctx->store, sizeof(float), cells, paths * sizeof(float)},
        {ENGINE_REGION_BLOCK, ctx->block_sum, cells * sizeof(double), 1, 0},
        {ENGINE_REGION_MIN, ctx->key_lo, cells, (size_t)threads, cells * sizeof(uint32_t)},
        {ENGINE_REGION_MAX, ctx->key_hi, cells, (size_t)threads, cells * sizeof(uint32_t)},
        {ENGINE_REGION_SUM, (void *)ctx->clamped, shocks, 0, 0},
        {ENGINE_REGION_SUM, (void *)ctx->goal_met, ctx->goal_count, 0, 0},
    };
    job->regions = regions;
    job->region_count = cells ? 6 - !ctx->goal_count : 0;
    engine_stats stats;
    status = engine_run(job, &stats, d);
    job->regions = NULL;
    job->region_count = 0;
    if (status != DIAG_OK)
        goto done;
    result->threads = stats.threads;
    result->passes = 1;
    result->stored_bytes = cells * paths * sizeof(float);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t c = 0; c < cells; c++) {
        int t = omp_get_thread_num();
        summarise_stored(ctx, c, threads, &work.hist[t], &work.plan[t], &result->cells[cell_of_varying[c]]);
    }
done:
    mem_free(work.hist);
    mem_free(work.plan);
    return status;
}

/* Buckets of the streaming histograms: a pass counts every cell of every block, so the
 * histograms of all cells (4 bytes a bucket) should stay in cache together. */
#define STREAM_BUCKETS 4096

/* The key range of each cell's values in block 0 (at least 2^16 keys wide), as the streaming
 * histograms' range. Values outside it fall into the end buckets, which hold about 1/257 of
 * the paths each; one is gathered whole only when a wanted rank falls in it (p05 below the
 * smallest of 256 values: about one cell in 500,000). */
static int pilot_ranges(ensemble_context *ctx, const engine_job *job, int threads, diag *d)
{
    size_t cells = ctx->varying_count;
    for (size_t i = 0; i < (size_t)threads * cells; i++) {
        ctx->key_lo[i] = UINT32_MAX;
        ctx->key_hi[i] = 0;
    }
    engine_job pilot = *job;
    pilot.paths = ctx->paths < ctx->lanes ? ctx->paths : ctx->lanes;
    pilot.progress = NULL;
    pilot.threads = 1;
    ctx->mode = PASS_PILOT;
    ctx->first_pass = 0;
    int status = engine_run(&pilot, NULL, d);
    if (status != DIAG_OK)
        return status;
    for (size_t c = 0; c < cells; c++) {
        uint32_t lo = ctx->key_lo[c], hi = ctx->key_hi[c];
        if (lo > hi) /* no finite value: pass 1 reports it */
            lo = hi = 0x80000000u;
        if (hi - lo < 65536) { /* (nearly) one value in block 0: some room around it */
            lo = lo > 32768 ? lo - 32768 : 0;
            hi = hi < UINT32_MAX - 32768 ? hi + 32768 : UINT32_MAX;
        }
        for (int t = 0; t < threads; t++)
            order_stat_hist_init(&ctx->hist[(size_t)t * cells + c], lo, hi, STREAM_BUCKETS);
    }
    return DIAG_OK;
}

/* Between the passes: merges the histograms into thread 0's, sets the means, plans the ranks
 * and allocates exactly the gathered values (checked against the budget). */
static int plan_gather(ensemble_context *ctx, int threads, double *mean, order_stat_plan *plans, float **all,
                       const size_t *ks, size_t nk, size_t other_bytes, diag *d)
{
    size_t cells = ctx->varying_count, total = 0;
    for (size_t c = 0; c < cells; c++) {
        for (int t = 1; t < threads; t++)
            order_stat_hist_merge(&ctx->hist[c], &ctx->hist[(size_t)t * cells + c]);
        mean[c] = cell_block_total(ctx, c) / (double)ctx->paths;
        order_stat_plan_make(&ctx->hist[c], ks, nk, &plans[c]);
        total += plans[c].gathered;
    }
    char what[256];
    snprintf(what, sizeof what, "the quantiles of the ensemble of %zu paths (the values near each quantile)",
             ctx->paths);
    int status = engine_check_memory(other_bytes + total * sizeof(float), what, d);
    if (status != DIAG_OK)
        return status;
    *all = mem_alloc_huge((total ? total : 1) * sizeof(float));
    if (!*all)
        return diag_oom(d, "gathering the ensemble's quantiles");
    size_t offset = 0;
    for (size_t c = 0; c < cells; c++) {
        ctx->gathered[c] = *all + offset;
        atomic_store(&ctx->gathered_fill[c], 0);
        offset += plans[c].gathered;
    }
    return DIAG_OK;
}

static int run_streaming(ensemble_context *ctx, engine_job *job, int threads, size_t other_bytes,
                         const size_t *cell_of_varying, ensemble_result *result, diag *d)
{
    size_t cells = ctx->varying_count, n = ctx->paths;
    size_t alloc_cells = cells ? cells : 1;
    ctx->key_lo = mem_alloc((size_t)threads * alloc_cells * sizeof *ctx->key_lo);
    ctx->key_hi = mem_alloc((size_t)threads * alloc_cells * sizeof *ctx->key_hi);
    ctx->hist = mem_alloc((size_t)threads * alloc_cells * sizeof *ctx->hist);
    order_stat_plan *plans = mem_alloc(alloc_cells * sizeof *plans);
    double *mean = mem_alloc(alloc_cells * sizeof *mean);
    ctx->gathered = mem_calloc(alloc_cells, sizeof *ctx->gathered);
    ctx->gathered_fill = mem_calloc(alloc_cells, sizeof *ctx->gathered_fill);
    float *all = NULL;
    int status = DIAG_OK;
    if (!ctx->key_lo || !ctx->key_hi || !ctx->hist || !plans || !mean || !ctx->gathered || !ctx->gathered_fill) {
        status = diag_oom(d, "setting up the ensemble");
        goto done;
    }
    if ((status = pilot_ranges(ctx, job, threads, d)) != DIAG_OK)
        goto done;
    ctx->mode = PASS_COUNT;
    ctx->first_pass = 1;
    job->what = "paths (pass 1 of 2)";
    engine_stats stats;
    if ((status = engine_run(job, &stats, d)) != DIAG_OK)
        goto done;
    size_t ks[2 * ENSEMBLE_QUANTILES];
    size_t nk = order_stat_type7_ranks(n, ensemble_quantile_levels, ENSEMBLE_QUANTILES, ks);
    if ((status = plan_gather(ctx, threads, mean, plans, &all, ks, nk, other_bytes, d)) != DIAG_OK)
        goto done;
    ctx->mode = PASS_GATHER;
    ctx->first_pass = 0;
    ctx->mean = mean;
    ctx->plans = plans;
    job->what = "paths (pass 2 of 2)";
    if ((status = engine_run(job, &stats, d)) != DIAG_OK)
        goto done;
    result->threads = stats.threads;
    result->passes = 2;
    result->stored_bytes = 0;
    for (size_t c = 0; c < cells; c++) {
        result->stored_bytes += plans[c].gathered * sizeof(float);
        if (atomic_load(&ctx->gathered_fill[c]) != plans[c].gathered) {
            status = diag_error(d, DIAG_SOFTWARE, "ensemble: pass 2 gathered %zu values for a quantile, not %zu",
                                atomic_load(&ctx->gathered_fill[c]), plans[c].gathered);
            goto done;
        }
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t c = 0; c < cells; c++) {
        ensemble_cell *cell = &result->cells[cell_of_varying[c]];
        float order[2 * ENSEMBLE_QUANTILES];
        cell->mean = mean[c];
        cell->sd = n > 1 ? sqrt(cell_block_total(ctx, c) / (double)(n - 1)) : 0.0;
        order_stat_plan_finish(&plans[c], ctx->gathered[c], order);
        set_quantiles(cell, n, ks, order);
    }
done:
    mem_free(plans);
    mem_free(mean);
    mem_free(all);
    return status;
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
        return diag_oom(d, "setting up the ensemble");
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
        return diag_oom(d, "setting up the ensemble");
    double started = omp_get_wtime();
    if (store <= ((size_t)ENSEMBLE_PASS_MB << 20) &&
        fixed + store + summary_work_bytes(max_threads, 1) <= budget) {
        status = run_in_memory(ctx, &job, max_threads, cell_of_varying, result, d);
    } else {
        size_t other = fixed + summary_work_bytes(max_threads, cells ? cells : 1) +
                       (cells ? cells : 1) * (sizeof(order_stat_plan) + sizeof(double));
        char what[256];
        snprintf(what, sizeof what, "the ensemble of %zu paths (%zu variable-years, in two passes)", paths, cells);
        if ((status = engine_check_memory(other, what, d)) != DIAG_OK)
            return status;
        status = run_streaming(ctx, &job, max_threads, other, cell_of_varying, result, d);
    }
    if (status != DIAG_OK)
        return status;
    if (engine_stop_requested())
        return diag_error(d, DIAG_INTERRUPTED, "interrupted: nothing was written");
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
    mem_free(ctx.block_sum);
    mem_free(ctx.key_lo);
    mem_free(ctx.key_hi);
    mem_free(ctx.hist);
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
                     "%s: %s: %zu of %zu draws (%.2f%%) fell outside [%g, %g], the model's range for %s, and were "
                     "clamped to it",
                     scenario_origin(r->scenario, r->scenario->uncertainty), spec->shocks[i].json_path,
                     result->clamped[i], result->draws[i],
                     100.0 * (double)result->clamped[i] / (double)(result->draws[i] ? result->draws[i] : 1), ms->min,
                     ms->max, ms->name);
    }
}
