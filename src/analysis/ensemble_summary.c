/* ensemble_summary.c: reading an ensemble's computed blocks and summarising its paths
 * (ensemble.h, ensemble_internal.h): per block, each varying cell's values turned into floats
 * once and handled as the pass says (stored, counted or gathered, with the block's sums), and
 * the goals counted; then, per cell, the mean, sd and exact type-7 quantiles, from the store
 * (in memory) or from the histograms and the values gathered near each quantile (two
 * streaming passes). See "Passes" below. */
#include "ensemble_internal.h"
#include "i18n.h"
#include "mem.h"

#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Buckets of the streaming histograms (STREAM_BUCKETS) with the ones below and above. */
#define STREAM_BUCKETS 4096
#define STREAM_SLOTS (STREAM_BUCKETS + 2)
/* Blocks counted into the 16-bit histograms before they are added to the full ones: 255
 * blocks of at most 256 values never overflow a count. */
#define SMALL_BLOCKS (65535 / ENGINE_DEFAULT_LANES)
/* small_blocks[] entries per thread (a cache line apart). */
#define SMALL_STRIDE 8

/* A streaming histogram's range: value v goes to bucket 0 below lo, STREAM_BUCKETS + 1
 * above hi, else 1 + min((v - lo) * scale, STREAM_BUCKETS - 1) truncated: buckets of equal
 * width in value (float bit patterns would give a cell that crosses zero most of its
 * buckets near zero, where few values are). A monotone function of v, computed the same way
 * in both passes, so the buckets partition the values in order, as order_stat_plan_make needs. */
typedef struct stream_range {
    float lo, hi, scale;
} stream_range;

static inline uint32_t stream_bucket(const stream_range *range, float v)
{
    float x = (v - range->lo) * range->scale;
    uint32_t inside = 1 + (uint32_t)(x < (float)(STREAM_BUCKETS - 1) ? x : (float)(STREAM_BUCKETS - 1));
    return v < range->lo ? 0 : v > range->hi ? STREAM_BUCKETS + 1 : inside;
}

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
/* Reading the blocks                                                                         */

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
                         isfinite(lane[l])
                             ? _("path %zu of the ensemble: %s in %d is %g, too large to summarise: check the shocks' "
                                 "sizes against the model's equations (a growth rate below -100%%, a division by zero)")
                             : _("path %zu of the ensemble: %s in %d is %g, not a finite number: check the shocks' "
                                 "sizes against the model's equations (a growth rate below -100%%, a division by zero)"),
                         block->first + l + 1, plan->model->slots[slot].name, plan->first_year + (int)t, lane[l]);
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

/* Adds thread's 16-bit counts into its full histograms and empties them. */
static void flush_counts(ensemble_context *ctx, int thread)
{
    size_t cells = ctx->varying_count;
    for (size_t c = 0; c < cells; c++) {
        size_t at = (size_t)thread * cells + c;
        uint16_t *small = ctx->small + at * STREAM_SLOTS;
        uint32_t *counts = ctx->counts + at * STREAM_SLOTS;
        for (size_t b = 0; b < STREAM_SLOTS; b++)
            counts[b] += small[b];
        memset(small, 0, STREAM_SLOTS * sizeof *small);
    }
    ctx->small_blocks[(size_t)thread * SMALL_STRIDE] = 0;
}

/* The engine's settle callback of pass 1 (engine_job.settle): every thread's 16-bit counts
 * added into its full histograms, so that the chunk hooks see whole counts. */
static void settle_counts(void *context)
{
    ensemble_context *ctx = context;
    for (int t = 0; t < ctx->threads; t++)
        flush_counts(ctx, t);
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
        /* the buckets first (a loop that vectorises), then the counts */
        const stream_range range = ctx->range[c];
        uint32_t bucket[ENGINE_DEFAULT_LANES];
        for (size_t l = 0; l < lanes; l++)
            bucket[l] = stream_bucket(&range, out[l]);
        uint16_t *small = ctx->small + at * STREAM_SLOTS;
        for (size_t l = 0; l < lanes; l++)
            small[bucket[l]]++;
        ctx->block_sum[block->index * cells + c] = sum_floats(out, lanes);
        break;
    }
    case PASS_GATHER: {
        ctx->block_sum[block->index * cells + c] = sum_squares(out, lanes, ctx->mean[c]);
        /* membership in the wanted buckets (a few runs of bucket numbers), every lane at once;
         * then the rare hits, eight lanes at a time */
        const stream_range range = ctx->range[c];
        const uint32_t *lo = ctx->wanted_lo + c * ORDER_STAT_MAX_RANKS, *span = ctx->wanted_span + c * ORDER_STAT_MAX_RANKS;
        uint32_t bucket[ENGINE_DEFAULT_LANES];
        unsigned char hit[ENGINE_DEFAULT_LANES + 8];
        for (size_t l = 0; l < lanes; l++) {
            bucket[l] = stream_bucket(&range, out[l]);
            hit[l] = 0;
        }
        memset(hit + lanes, 0, 8);
        for (size_t i = 0; i < ctx->wanted_count[c]; i++) {
            uint32_t first = lo[i], width = span[i];
            for (size_t l = 0; l < lanes; l++)
                hit[l] |= bucket[l] - first <= width;
        }
        float found[ENGINE_DEFAULT_LANES];
        size_t hits = 0;
        for (size_t l = 0; l < lanes; l += 8) {
            uint64_t eight;
            memcpy(&eight, hit + l, sizeof eight);
            if (eight)
                for (size_t j = l; j < l + 8 && j < lanes; j++)
                    if (hit[j])
                        found[hits++] = out[j];
        }
        if (hits)
            memcpy(ctx->gathered[c] + atomic_fetch_add(&ctx->gathered_fill[c], hits), found, hits * sizeof *found);
        break;
    }
    case PASS_CALLER:
        break;
    }
    return 0;
}

int ensemble_reduce(void *context, engine_block *block)
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
    if (ctx->mode == PASS_COUNT && ++ctx->small_blocks[(size_t)block->thread * SMALL_STRIDE] == SMALL_BLOCKS)
        flush_counts(ctx, block->thread);
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
size_t ensemble_summary_work_bytes(int threads, size_t histograms_per_thread)
{
    return (size_t)threads * (histograms_per_thread * sizeof(order_stat_hist) + sizeof(order_stat_plan));
}

/* Bytes of the streaming passes' histograms (full and 16-bit, per thread and cell), key
 * ranges, plans, means and wanted runs. */
size_t ensemble_stream_work_bytes(int threads, size_t cells)
{
    size_t per_cell = (size_t)threads * (STREAM_SLOTS * (sizeof(uint32_t) + sizeof(uint16_t)) + 2 * sizeof(uint32_t)) +
                      sizeof(stream_range) + sizeof(order_stat_plan) + sizeof(double) + sizeof(float *) +
                      sizeof(atomic_size_t) + ORDER_STAT_MAX_RANKS * 2 * sizeof(uint32_t) + sizeof(size_t);
    return cells * per_cell + sizeof(order_stat_hist) + (size_t)threads * SMALL_STRIDE * sizeof(size_t);
}

int ensemble_run_in_memory(ensemble_context *ctx, engine_job *job, int threads, const size_t *cell_of_varying,
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
        status = diag_oom(d, _("storing the ensemble's paths"));
        goto done;
    }
    for (size_t i = 0; i < (size_t)threads * cells; i++) {
        ctx->key_lo[i] = UINT32_MAX;
        ctx->key_hi[i] = 0;
    }
    ctx->mode = PASS_STORE;
    ctx->first_pass = 1;
    job->what = _("paths");
    /* what the pass writes, so that chunks can be checkpointed or computed on other ranks */
    size_t shocks = ctx->spec->shock_count ? ctx->spec->shock_count : 1;
    engine_region regions[] = {
        {ENGINE_REGION_PATH, ctx->store, sizeof(float), cells, paths * sizeof(float), NULL, NULL},
        {ENGINE_REGION_BLOCK, ctx->block_sum, cells * sizeof(double), 1, 0, NULL, NULL},
        {ENGINE_REGION_MIN, ctx->key_lo, cells, (size_t)threads, cells * sizeof(uint32_t), NULL, NULL},
        {ENGINE_REGION_MAX, ctx->key_hi, cells, (size_t)threads, cells * sizeof(uint32_t), NULL, NULL},
        {ENGINE_REGION_SUM, (void *)ctx->clamped, shocks, 0, 0, NULL, NULL},
        {ENGINE_REGION_SUM, (void *)ctx->goal_met, ctx->goal_count, 0, 0, NULL, NULL},
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
    result->blocks_here = stats.blocks;
    if (stats.partial) /* a rank of an MPI job whose paths rank 0 gathered and summarises */
        goto done;
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

/* The keys of -FLT_MAX and FLT_MAX. */
#define FINITE_KEY_LO 0x00800000u
#define FINITE_KEY_HI 0xFF7FFFFFu

/* The float of a key (order_stat_key's inverse). */
static float key_float(uint32_t key)
{
    uint32_t u = (key & 0x80000000u) ? key & 0x7FFFFFFFu : ~key;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The range of each cell's values in block 0 (at least 2^16 keys wide, within the finite
 * floats), as the streaming histograms' range (stream_range). Values outside it fall into the end buckets, which hold about 1/257 of
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
        lo = lo < FINITE_KEY_LO ? FINITE_KEY_LO : lo;
        hi = hi > FINITE_KEY_HI ? FINITE_KEY_HI : hi;
        stream_range *range = &ctx->range[c];
        range->lo = key_float(lo);
        range->hi = key_float(hi);
        double scale = STREAM_BUCKETS / ((double)range->hi - (double)range->lo);
        range->scale = scale < FLT_MAX ? (float)scale : FLT_MAX;
    }
    return DIAG_OK;
}

/* The wanted buckets of a plan as runs of bucket numbers (stream_bucket's): bucket b is
 * wanted when b - lo[i] <= span[i] for some i. Returns how many (at most plan->nk). */
static size_t wanted_runs(const order_stat_plan *plan, uint32_t *lo, uint32_t *span)
{
    size_t count = 0;
    for (uint32_t b = 0; b < STREAM_SLOTS; b++) {
        if (!plan->wanted[b == STREAM_BUCKETS + 1 ? ORDER_STAT_BUCKETS + 1 : b])
            continue;
        if (count > 0 && lo[count - 1] + span[count - 1] + 1 == b) {
            span[count - 1]++;
        } else {
            lo[count] = b;
            span[count] = 0;
            count++;
        }
    }
    return count;
}

/* Between the passes: merges the histograms into thread 0's, sets the means, plans the ranks
 * and allocates exactly the gathered values (checked against the budget). */
static int plan_gather(ensemble_context *ctx, int threads, double *mean, order_stat_plan *plans, float **all,
                       size_t *pool_start, uint32_t *wanted_lo, uint32_t *wanted_span, size_t *wanted_count,
                       const size_t *ks, size_t nk, size_t other_bytes, diag *d)
{
    size_t cells = ctx->varying_count, total = 0;
    for (int t = 0; t < threads; t++)
        flush_counts(ctx, t);
    order_stat_hist *h = mem_alloc(sizeof *h);
    if (!h)
        return diag_oom(d, _("gathering the ensemble's quantiles"));
    for (size_t c = 0; c < cells; c++) {
        /* the threads' counts, in order_stat_hist's numbering (its last bucket: above hi) */
        memset(h->counts, 0, sizeof h->counts);
        for (int t = 0; t < threads; t++) {
            const uint32_t *counts = ctx->counts + ((size_t)t * cells + c) * STREAM_SLOTS;
            for (size_t b = 0; b <= STREAM_BUCKETS; b++)
                h->counts[b] += counts[b];
            h->counts[ORDER_STAT_BUCKETS + 1] += counts[STREAM_BUCKETS + 1];
        }
        mean[c] = cell_block_total(ctx, c) / (double)ctx->paths;
        order_stat_plan_make(h, ks, nk, &plans[c]);
        wanted_count[c] = wanted_runs(&plans[c], wanted_lo + c * ORDER_STAT_MAX_RANKS,
                                      wanted_span + c * ORDER_STAT_MAX_RANKS);
        total += plans[c].gathered;
    }
    mem_free(h);
    char what[256];
    snprintf(what, sizeof what, _("the quantiles of the ensemble of %zu paths (the values near each quantile)"),
             ctx->paths);
    int status = engine_check_memory(other_bytes + total * sizeof(float), what, d);
    if (status != DIAG_OK)
        return status;
    *all = mem_alloc_huge((total ? total : 1) * sizeof(float));
    if (!*all)
        return diag_oom(d, _("gathering the ensemble's quantiles"));
    size_t offset = 0;
    for (size_t c = 0; c < cells; c++) {
        ctx->gathered[c] = *all + offset;
        atomic_store(&ctx->gathered_fill[c], 0);
        pool_start[c] = offset;
        offset += plans[c].gathered;
    }
    pool_start[cells] = offset;
    return DIAG_OK;
}

int ensemble_run_streaming(ensemble_context *ctx, engine_job *job, int threads, size_t other_bytes,
                           const size_t *cell_of_varying, ensemble_result *result, diag *d)
{
    size_t cells = ctx->varying_count, n = ctx->paths;
    size_t alloc_cells = cells ? cells : 1;
    ctx->key_lo = mem_alloc((size_t)threads * alloc_cells * sizeof *ctx->key_lo);
    ctx->key_hi = mem_alloc((size_t)threads * alloc_cells * sizeof *ctx->key_hi);
    ctx->counts = mem_calloc((size_t)threads * alloc_cells * STREAM_SLOTS, sizeof *ctx->counts);
    order_stat_plan *plans = mem_alloc(alloc_cells * sizeof *plans);
    double *mean = mem_alloc(alloc_cells * sizeof *mean);
    ctx->gathered = mem_calloc(alloc_cells, sizeof *ctx->gathered);
    ctx->gathered_fill = mem_calloc(alloc_cells, sizeof *ctx->gathered_fill);
    ctx->range = mem_alloc(alloc_cells * sizeof *ctx->range);
    ctx->small = mem_calloc((size_t)threads * alloc_cells * STREAM_SLOTS, sizeof *ctx->small);
    ctx->small_blocks = mem_calloc((size_t)threads * SMALL_STRIDE, sizeof *ctx->small_blocks);
    uint32_t *wanted_lo = mem_alloc(alloc_cells * ORDER_STAT_MAX_RANKS * sizeof *wanted_lo);
    uint32_t *wanted_span = mem_alloc(alloc_cells * ORDER_STAT_MAX_RANKS * sizeof *wanted_span);
    size_t *wanted_count = mem_alloc(alloc_cells * sizeof *wanted_count);
    size_t *pool_start = mem_alloc((alloc_cells + 1) * sizeof *pool_start);
    float *all = NULL;
    int status = DIAG_OK;
    if (!ctx->key_lo || !ctx->key_hi || !ctx->counts || !plans || !mean || !ctx->gathered || !ctx->gathered_fill ||
        !ctx->range || !ctx->small || !ctx->small_blocks || !wanted_lo || !wanted_span || !wanted_count ||
        !pool_start) {
        status = diag_oom(d, _("setting up the ensemble"));
        goto done;
    }
    if ((status = pilot_ranges(ctx, job, threads, d)) != DIAG_OK)
        goto done;
    ctx->mode = PASS_COUNT;
    ctx->first_pass = 1;
    ctx->threads = threads;
    job->what = _("paths (pass 1 of 2)");
    /* What the passes write, so that the ranks of an MPI job can split the blocks between
     * them (never saved in checkpoints: a resumed run computes both passes again). Pass 1: the
     * block sums, which every rank needs for the means, and the histograms and counts, summed
     * as integers over the ranks, so that every rank plans the same gathering. */
    size_t shocks = ctx->spec->shock_count ? ctx->spec->shock_count : 1;
    engine_region count_regions[] = {
        {ENGINE_REGION_BLOCK, ctx->block_sum, alloc_cells * sizeof(double), 1, 0, NULL, NULL},
        {ENGINE_REGION_SUM32, ctx->counts, alloc_cells * STREAM_SLOTS, (size_t)threads,
         alloc_cells * STREAM_SLOTS * sizeof(uint32_t), NULL, NULL},
        {ENGINE_REGION_SUM, (void *)ctx->clamped, shocks, 0, 0, NULL, NULL},
        {ENGINE_REGION_SUM, (void *)ctx->goal_met, ctx->goal_count, 0, 0, NULL, NULL},
    };
    job->regions = count_regions;
    job->region_count = cells ? 4 - !ctx->goal_count : 0;
    job->settle = settle_counts;
    job->shared = 1;
    job->transient = 1;
    engine_stats stats;
    status = engine_run(job, &stats, d);
    job->settle = NULL;
    job->shared = 0;
    if (status != DIAG_OK)
        goto done;
    size_t blocks_here = stats.blocks;
    size_t ks[2 * ENSEMBLE_QUANTILES];
    size_t nk = order_stat_type7_ranks(n, ensemble_quantile_levels, ENSEMBLE_QUANTILES, ks);
    status = plan_gather(ctx, threads, mean, plans, &all, pool_start, wanted_lo, wanted_span, wanted_count, ks, nk,
                         other_bytes, d);
    /* the ranks of an MPI job all plan the same, but one may run out of memory alone */
    if ((status = engine_agree(status, d)) != DIAG_OK)
        goto done;
    ctx->mode = PASS_GATHER;
    ctx->first_pass = 0;
    ctx->mean = mean;
    ctx->plans = plans;
    ctx->wanted_lo = wanted_lo;
    ctx->wanted_span = wanted_span;
    ctx->wanted_count = wanted_count;
    job->what = _("paths (pass 2 of 2)");
    /* pass 2: the blocks' squared deviations and the pools of gathered values, to rank 0 */
    engine_region gather_regions[] = {
        {ENGINE_REGION_BLOCK, ctx->block_sum, alloc_cells * sizeof(double), 1, 0, NULL, NULL},
        {ENGINE_REGION_POOL, all, sizeof(float), cells, 0, pool_start, ctx->gathered_fill},
    };
    job->regions = gather_regions;
    job->region_count = cells ? 2 : 0;
    status = engine_run(job, &stats, d);
    job->regions = NULL;
    job->region_count = 0;
    job->transient = 0;
    if (status != DIAG_OK)
        goto done;
    result->threads = stats.threads;
    result->passes = 2;
    result->stored_bytes = 0;
    result->blocks_here = blocks_here + stats.blocks;
    if (stats.partial) /* a rank of an MPI job whose values rank 0 gathered and summarises */
        goto done;
    for (size_t c = 0; c < cells; c++) {
        result->stored_bytes += plans[c].gathered * sizeof(float);
        if (atomic_load(&ctx->gathered_fill[c]) != plans[c].gathered) {
            status = diag_error(d, DIAG_SOFTWARE, _("ensemble: pass 2 gathered %zu values for a quantile, not %zu"),
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
    mem_free(wanted_lo);
    mem_free(wanted_span);
    mem_free(wanted_count);
    mem_free(pool_start);
    return status;
}
