/* sensitivity.c: designs (Sobol'/Saltelli, Morris) and estimators (Sobol' indices, Morris
 * measures, grid main effects, correlations) over plain arrays of results.
 *
 * Bootstrap resamples are independent of threads: resample b draws its rows from its own
 * stream (rng.h), seeded from (seed, b), and writes its own slot of the results; the
 * intervals come from the sorted slots. So any number of threads gives the same bytes. */
#include "sensitivity.h"
#include "i18n.h"
#include "mem.h"
#include "rng.h"
#include "splitmix.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <string.h>

/* The Sobol' generator of GSL works with 30-bit fractions. */
#define SENSITIVITY_SOBOL_BITS 30
#define SENSITIVITY_SOBOL_SCALE 1073741824.0 /* 2^30 */

int sensitivity_is_power_of_two(size_t n)
{
    return n && !(n & (n - 1));
}

void sensitivity_nearest_powers_of_two(size_t n, size_t *below, size_t *above)
{
    size_t p = 1;
    while (p <= n / 2)
        p *= 2;
    *below = p;
    *above = p == n ? p : p * 2;
}

/* splitmix64: decorrelates the seeds of consecutive resamples (the first word of the stream
 * whose state is seed + stream * gamma). */
static unsigned long sensitivity_mix_seed(unsigned long seed, uint64_t stream)
{
    uint64_t state = (uint64_t)seed + stream * SPLITMIX_GAMMA;
    return (unsigned long)(splitmix_next(&state) & 0xFFFFFFFFu); /* MT19937 takes 32 bits of seed */
}

/* ---------------------------------------------------------------------------------------- */
/* Designs */

int sensitivity_sobol_points(size_t n, size_t dims, int scramble, unsigned long seed, double *u, diag *d)
{
    if (dims == 0 || dims > SENSITIVITY_SOBOL_MAX_DIMENSIONS)
        return diag_error(d, DIAG_DATA, _("a Sobol' sequence has 1 to %d dimensions, not %zu"),
                          SENSITIVITY_SOBOL_MAX_DIMENSIONS, dims);
    if (n == 0 || n >= ((size_t)1 << SENSITIVITY_SOBOL_BITS))
        return diag_error(d, DIAG_DATA, _("a Sobol' design has 1 to 2^30 - 1 points, not %zu"), n);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dims);
    if (!q)
        return diag_error(d, DIAG_SOFTWARE, _("cannot start a Sobol' sequence of %zu dimensions"), dims);
    uint32_t shift[SENSITIVITY_SOBOL_MAX_DIMENSIONS] = {0};
    if (scramble) {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rng) {
            gsl_qrng_free(q);
            return diag_oom(d, _("scrambling a Sobol' sequence"));
        }
        gsl_rng_set(rng, sensitivity_mix_seed(seed, UINT64_MAX - 1));
        for (size_t c = 0; c < dims; c++)
            shift[c] = (uint32_t)gsl_rng_uniform_int(rng, (unsigned long)1 << SENSITIVITY_SOBOL_BITS);
        gsl_rng_free(rng);
    }
    for (size_t j = 0; j < n; j++) {
        double *point = u + j * dims;
        if (scramble && j == 0) {
            /* put back the origin that GSL skips: with it, the first 2^m points are a net
             * (one point in each of 2^m elementary intervals of every dimension) */
            for (size_t c = 0; c < dims; c++)
                point[c] = 0;
        } else if (gsl_qrng_get(q, point) != GSL_SUCCESS) {
            gsl_qrng_free(q);
            return diag_error(d, DIAG_SOFTWARE, _("the Sobol' sequence failed at point %zu"), j);
        }
        if (!scramble)
            continue;
        for (size_t c = 0; c < dims; c++) {
            /* exact: the coordinates are multiples of 2^-30 */
            uint32_t bits = (uint32_t)(point[c] * SENSITIVITY_SOBOL_SCALE);
            point[c] = ((double)(bits ^ shift[c]) + 0.5) / SENSITIVITY_SOBOL_SCALE;
        }
    }
    gsl_qrng_free(q);
    return DIAG_OK;
}

size_t sensitivity_saltelli_runs(size_t n, size_t k)
{
    return n * (k + 2);
}

void sensitivity_saltelli_point(const double *u, size_t k, size_t run, double *x)
{
    size_t row = run / (k + 2), m = run % (k + 2);
    const double *a = u + row * 2 * k, *b = a + k;
    if (m == k + 1) {
        memcpy(x, b, k * sizeof *x);
        return;
    }
    memcpy(x, a, k * sizeof *x);
    if (m >= 1)
        x[m - 1] = b[m - 1];
}

size_t sensitivity_morris_runs(size_t k, size_t trajectories)
{
    return trajectories * (k + 1);
}

int sensitivity_morris_points(size_t k, size_t trajectories, unsigned levels, unsigned long seed, double *u,
                              diag *d)
{
    if (levels < 2 || levels > SENSITIVITY_MORRIS_MAX_LEVELS || levels % 2)
        return diag_error(d, DIAG_DATA, _("Morris levels must be an even number from 2 to %d, not %u"),
                          SENSITIVITY_MORRIS_MAX_LEVELS, levels);
    if (k == 0 || trajectories == 0)
        return diag_error(d, DIAG_DATA, _("a Morris design needs at least one parameter and one trajectory"));
    size_t *order = mem_alloc(k * sizeof *order);
    unsigned *start = mem_alloc(k * sizeof *start);
    int *signs = mem_alloc(k * sizeof *signs);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!order || !start || !signs || !rng) {
        mem_free(order);
        mem_free(start);
        mem_free(signs);
        if (rng)
            gsl_rng_free(rng);
        return diag_oom(d, _("building a Morris design"));
    }
    gsl_rng_set(rng, sensitivity_mix_seed(seed, UINT64_MAX - 2));
    double grid_step = 1.0 / (levels - 1);
    unsigned half = levels / 2; /* delta = half grid steps */
    for (size_t t = 0; t < trajectories; t++) {
        double *point = u + t * (k + 1) * k;
        for (size_t i = 0; i < k; i++) {
            signs[i] = gsl_rng_uniform_int(rng, 2) ? 1 : -1;
            /* up: start in the lower half of the levels; down: in the upper half */
            unsigned level = (unsigned)gsl_rng_uniform_int(rng, half);
            start[i] = signs[i] > 0 ? level : level + half;
            point[i] = start[i] * grid_step;
            order[i] = i;
        }
        gsl_ran_shuffle(rng, order, k, sizeof *order);
        for (size_t s = 1; s <= k; s++) {
            double *next = point + s * k;
            memcpy(next, next - k, k * sizeof *next);
            size_t i = order[s - 1];
            unsigned level = signs[i] > 0 ? start[i] + half : start[i] - half;
            next[i] = level * grid_step; /* the grid value itself, so the steps are exact */
        }
    }
    mem_free(start);
    mem_free(signs);
    mem_free(order);
    gsl_rng_free(rng);
    return DIAG_OK;
}

size_t sensitivity_morris_moved(const double *u, size_t k, size_t run)
{
    if (run % (k + 1) == 0)
        return k;
    const double *point = u + run * k, *previous = point - k;
    for (size_t i = 0; i < k; i++)
        if (point[i] != previous[i])
            return i;
    return k;
}

/* ---------------------------------------------------------------------------------------- */
/* Intervals */

/* The percentile interval of `samples[count]` (sorted in place) around `e->value`, and the
 * convergence flags against `threshold`. */
static void sensitivity_interval(sensitivity_estimate *e, double *samples, size_t count, double confidence,
                                 double threshold)
{
    if (count < 2) {
        e->low = e->high = e->conf = NAN;
        e->not_converged = 0;
        e->negative = e->value < -threshold;
        return;
    }
    gsl_sort(samples, 1, count);
    double tail = (1 - confidence) / 2;
    e->low = gsl_stats_quantile_from_sorted_data(samples, 1, count, tail);
    e->high = gsl_stats_quantile_from_sorted_data(samples, 1, count, 1 - tail);
    e->conf = (e->high - e->low) / 2;
    e->not_converged = e->high - e->low > threshold;
    e->negative = e->high < 0 || e->value < -threshold;
}

static int sensitivity_check_finite(size_t runs, const double *y, size_t stride, diag *d)
{
    for (size_t r = 0; r < runs; r++)
        if (!isfinite(y[r * stride]))
            return diag_error(d, DIAG_DATA, _("run %zu gave a result that is not a finite number (%g)"), r,
                              y[r * stride]);
    return DIAG_OK;
}

static int sensitivity_threads(const sensitivity_options *opt)
{
    return opt->threads > 0 ? opt->threads : omp_get_max_threads();
}

/* ---------------------------------------------------------------------------------------- */
/* Sobol' indices */

/* Each design row j contributes to the estimators through 2k + 2 numbers, on outputs centred
 * at `center`: fa + fb and fa^2 + fb^2 (for the variance), then fb (fab_i - fa) (S1) and
 * (fa - fab_i)^2 (ST) for every i. They are stored by column, columns[c * n + j]. A bootstrap
 * resample is then a weighted sum of each column, the weight of row j being the number of
 * times the resample drew it: passes over contiguous memory instead of n random reads across
 * the results. */
static void sensitivity_sobol_columns(size_t n, size_t k, const double *y, size_t stride, double center,
                                      double *columns)
{
    for (size_t j = 0; j < n; j++) {
        const double *f = y + j * (k + 2) * stride;
        double fa = f[0] - center, fb = f[(k + 1) * stride] - center;
        columns[j] = fa + fb;
        columns[n + j] = fa * fa + fb * fb;
        for (size_t i = 0; i < k; i++) {
            double fab = f[(1 + i) * stride] - center;
            columns[(2 + i) * n + j] = fb * (fab - fa);
            columns[(2 + k + i) * n + j] = (fa - fab) * (fa - fab);
        }
    }
}

/* sum_j weights[j] * column[j] (weights NULL: all 1), with eight partial sums (rows j mod 8)
 * added pairwise in a fixed order: the same on every thread and for every vector width,
 * and independent additions that the compiler can keep in flight or put in vectors. */
static double sensitivity_weighted_sum(const double *column, const uint32_t *weights, size_t n)
{
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    if (weights) {
        for (; j + 8 <= n; j += 8)
            for (int l = 0; l < 8; l++)
                s[l] += (double)weights[j + (size_t)l] * column[j + (size_t)l];
        for (; j < n; j++)
            s[j & 7] += (double)weights[j] * column[j];
    } else {
        for (; j + 8 <= n; j += 8)
            for (int l = 0; l < 8; l++)
                s[l] += column[j + (size_t)l];
        for (; j < n; j++)
            s[j & 7] += column[j];
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/* The indices from the columns, each row weighted by weights[j] (all 1 when NULL): first[k],
 * total[k] (0 when the variance is 0) and *variance. */
static void sensitivity_sobol_estimate(size_t n, size_t k, const double *columns, const uint32_t *weights,
                                       double *first, double *total, double *variance)
{
    double mean = sensitivity_weighted_sum(columns, weights, n) / (2.0 * n);
    double v = sensitivity_weighted_sum(columns + n, weights, n) / (2.0 * n) - mean * mean;
    *variance = v;
    for (size_t i = 0; i < k; i++) {
        first[i] = v > 0 ? sensitivity_weighted_sum(columns + (2 + i) * n, weights, n) / n / v : 0;
        total[i] = v > 0 ? sensitivity_weighted_sum(columns + (2 + k + i) * n, weights, n) / (2.0 * n) / v : 0;
    }
}

/* Resamples estimated together: each chunk of rows of the columns is read once per batch
 * (from cache for all but the first resample) instead of once per resample, so that the
 * bootstrap is no longer bound by memory bandwidth and scales with threads. */
#define SOBOL_BOOT_BATCH 8
/* Rows per chunk: 8192 doubles of a column (64 KB) stay in cache across the batch. */
#define SOBOL_BOOT_CHUNK 8192

/* The indices of resamples b0 .. b0 + count of one batch (weights[r] the row counts of
 * resample b0 + r) into boot[b][0..k) (S1) and [k..2k) (ST). Each column sum is added chunk
 * by chunk in row order: a fixed order, whatever the thread. */
static void sobol_estimate_batch(size_t n, size_t k, const double *columns, uint32_t *const *weights, size_t count,
                                 double *boot_out)
{
    double sums[SOBOL_BOOT_BATCH][2 * SENSITIVITY_SOBOL_MAX_PARAMETERS + 2];
    size_t cols = 2 * k + 2;
    for (size_t r = 0; r < count; r++)
        for (size_t c = 0; c < cols; c++)
            sums[r][c] = 0;
    for (size_t j0 = 0; j0 < n; j0 += SOBOL_BOOT_CHUNK) {
        size_t len = n - j0 < SOBOL_BOOT_CHUNK ? n - j0 : SOBOL_BOOT_CHUNK;
        for (size_t c = 0; c < cols; c++)
            for (size_t r = 0; r < count; r++)
                sums[r][c] += sensitivity_weighted_sum(columns + c * n + j0, weights[r] + j0, len);
    }
    for (size_t r = 0; r < count; r++) {
        double *out = boot_out + r * 2 * k;
        double mean = sums[r][0] / (2.0 * n);
        double v = sums[r][1] / (2.0 * n) - mean * mean;
        for (size_t i = 0; i < k; i++) {
            out[i] = v > 0 ? sums[r][2 + i] / n / v : 0;
            out[k + i] = v > 0 ? sums[r][2 + k + i] / (2.0 * n) / v : 0;
        }
    }
}

/* The bootstrap intervals of the indices: opt->bootstrap resamples of the N rows, each drawn
 * from its own stream (rng.h, seeded from (seed, resample), so any thread count gives the
 * same intervals), in batches of SOBOL_BOOT_BATCH on every thread, each re-estimating S1 and
 * ST from the centred columns. */
static int sensitivity_sobol_bootstrap(size_t n, size_t k, const double *columns, const sensitivity_options *opt,
                                       sensitivity_estimate *first, sensitivity_estimate *total, diag *d)
{
    size_t resamples = opt->bootstrap;
    int threads = sensitivity_threads(opt);
    size_t boot_cells, weight_cells;
    double *boot = NULL, *column = NULL;
    uint32_t *weights = NULL;
    if (mem_size_mul(resamples, 2 * k * sizeof(double), &boot_cells) &&
        mem_size_mul((size_t)threads * SOBOL_BOOT_BATCH, n * sizeof(uint32_t), &weight_cells)) {
        boot = mem_alloc(boot_cells); /* [b][0..k): S1, [b][k..2k): ST */
        column = mem_alloc(resamples * sizeof *column);
        weights = mem_alloc(weight_cells); /* SOBOL_BOOT_BATCH arrays of n counts per thread */
    }
    if (!boot || !column || !weights) {
        mem_free(boot);
        mem_free(column);
        mem_free(weights);
        return diag_oom(d, _("bootstrapping Sobol' indices"));
    }
    long batches = (long)((resamples + SOBOL_BOOT_BATCH - 1) / SOBOL_BOOT_BATCH);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long batch = 0; batch < batches; batch++) {
        size_t b0 = (size_t)batch * SOBOL_BOOT_BATCH;
        size_t count = resamples - b0 < SOBOL_BOOT_BATCH ? resamples - b0 : SOBOL_BOOT_BATCH;
        uint32_t *w[SOBOL_BOOT_BATCH];
        for (size_t r = 0; r < count; r++) {
            w[r] = weights + ((size_t)omp_get_thread_num() * SOBOL_BOOT_BATCH + r) * n;
            memset(w[r], 0, n * sizeof *w[r]);
            rng_stream stream;
            rng_seed(&stream, (uint64_t)opt->seed, (uint64_t)(b0 + r));
            for (size_t j = 0; j < n; j++)
                w[r][rng_below(&stream, n)]++;
        }
        sobol_estimate_batch(n, k, columns, w, count, boot + b0 * 2 * k);
    }
    for (size_t i = 0; i < 2 * k; i++) {
        for (size_t b = 0; b < resamples; b++)
            column[b] = boot[b * 2 * k + i];
        sensitivity_estimate *e = i < k ? &first[i] : &total[i - k];
        sensitivity_interval(e, column, resamples, opt->confidence, opt->threshold);
    }
    mem_free(boot);
    mem_free(column);
    mem_free(weights);
    return DIAG_OK;
}

int sensitivity_sobol(size_t n, size_t k, const double *y, size_t stride, const sensitivity_options *opt,
                      sensitivity_estimate *first, sensitivity_estimate *total, double *variance_out, diag *d)
{
    if (n == 0 || k == 0 || k > SENSITIVITY_SOBOL_MAX_PARAMETERS || n > UINT32_MAX)
        return diag_error(d, DIAG_SOFTWARE, _("Sobol' indices need 1 <= n < 2^32 and 1..%d parameters"),
                          SENSITIVITY_SOBOL_MAX_PARAMETERS);
    if (sensitivity_check_finite(sensitivity_saltelli_runs(n, k), y, stride, d) != DIAG_OK)
        return d->status;
    /* Centre on the mean of f(A) and f(B): the indices estimate the same quantities, but the
     * S1 estimator no longer carries noise proportional to the output's level (SALib
     * normalises its outputs for the same reason). The variance is computed on centred values
     * too, so it does not lose digits to the level either. */
    double center = 0;
    for (size_t j = 0; j < n; j++) {
        const double *f = y + j * (k + 2) * stride;
        center += f[0] + f[(k + 1) * stride];
    }
    center /= 2.0 * n;
    size_t width = 2 * k + 2, cells;
    if (!mem_size_mul(n, width * sizeof(double), &cells))
        return diag_oom(d, _("computing Sobol' indices"));
    double *columns = mem_alloc(cells);
    if (!columns)
        return diag_oom(d, _("computing Sobol' indices"));
    sensitivity_sobol_columns(n, k, y, stride, center, columns);
    double s1[SENSITIVITY_SOBOL_MAX_PARAMETERS], st[SENSITIVITY_SOBOL_MAX_PARAMETERS], variance;
    sensitivity_sobol_estimate(n, k, columns, NULL, s1, st, &variance);
    if (variance_out)
        *variance_out = variance > 0 ? variance : 0;
    if (!(variance > 0)) {
        for (size_t i = 0; i < k; i++) {
            first[i] = total[i] = (sensitivity_estimate){0};
            if (opt->bootstrap < 2)
                first[i].low = first[i].high = first[i].conf = total[i].low = total[i].high = total[i].conf = NAN;
        }
        mem_free(columns);
        return DIAG_OK;
    }
    for (size_t i = 0; i < k; i++) {
        first[i] = (sensitivity_estimate){.value = s1[i]};
        total[i] = (sensitivity_estimate){.value = st[i]};
    }
    size_t resamples = opt->bootstrap;
    if (resamples < 2) {
        for (size_t i = 0; i < k; i++) {
            sensitivity_interval(&first[i], NULL, 0, opt->confidence, opt->threshold);
            sensitivity_interval(&total[i], NULL, 0, opt->confidence, opt->threshold);
        }
        mem_free(columns);
        return DIAG_OK;
    }
    int status = sensitivity_sobol_bootstrap(n, k, columns, opt, first, total, d);
    mem_free(columns);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Morris */

int sensitivity_morris(size_t k, size_t trajectories, const double *u, const double *y, size_t stride,
                       const sensitivity_options *opt, sensitivity_morris_index *out, diag *d)
{
    size_t runs = sensitivity_morris_runs(k, trajectories);
    if (k == 0 || trajectories == 0)
        return diag_error(d, DIAG_SOFTWARE, _("Morris measures need a parameter and a trajectory"));
    if (sensitivity_check_finite(runs, y, stride, d) != DIAG_OK)
        return d->status;
    size_t cells;
    if (!mem_size_mul(k, trajectories, &cells))
        return diag_oom(d, _("computing elementary effects"));
    double *effects = mem_alloc(cells * sizeof *effects); /* [i][t] */
    size_t boot_count = opt->bootstrap >= 2 ? opt->bootstrap : 0;
    int threads = sensitivity_threads(opt);
    double *boot = mem_alloc((boot_count ? boot_count : 1) * k * sizeof *boot); /* [i][b] */
    uint32_t *picks = mem_alloc((size_t)threads * trajectories * sizeof *picks);
    if (!effects || !boot || !picks) {
        mem_free(effects);
        mem_free(boot);
        mem_free(picks);
        return diag_oom(d, _("computing elementary effects"));
    }
    for (size_t t = 0; t < trajectories; t++)
        for (size_t s = 1; s <= k; s++) {
            size_t run = t * (k + 1) + s;
            size_t i = sensitivity_morris_moved(u, k, run);
            if (i >= k) { /* a design that is not a Morris trajectory: a caller's mistake */
                mem_free(effects);
                mem_free(boot);
                mem_free(picks);
                return diag_error(d, DIAG_SOFTWARE, _("run %zu of the Morris design moves no factor"), run);
            }
            double step = u[run * k + i] - u[(run - 1) * k + i];
            effects[i * trajectories + t] = (y[run * stride] - y[(run - 1) * stride]) / step;
        }
    double largest = 0;
    for (size_t i = 0; i < k; i++) {
        const double *e = effects + i * trajectories;
        double sum = 0, sum_abs = 0;
        for (size_t t = 0; t < trajectories; t++) {
            sum += e[t];
            sum_abs += fabs(e[t]);
        }
        out[i].mu = sum / trajectories;
        out[i].mu_star = (sensitivity_estimate){.value = sum_abs / trajectories};
        out[i].sigma = trajectories > 1 ? gsl_stats_sd_m(e, 1, trajectories, out[i].mu) : NAN;
        if (out[i].mu_star.value > largest)
            largest = out[i].mu_star.value;
    }
    /* resample b draws its trajectories once from its own stream (rng.h, seeded from
     * (seed, b): any thread count gives the same draws), the same for every parameter, as the
     * Sobol' rows */
    long count = (long)boot_count;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long b = 0; b < count; b++) {
        uint32_t *pick = picks + (size_t)omp_get_thread_num() * trajectories;
        rng_stream stream;
        rng_seed(&stream, (uint64_t)opt->seed, (uint64_t)b);
        for (size_t t = 0; t < trajectories; t++)
            pick[t] = rng_below(&stream, trajectories);
        for (size_t i = 0; i < k; i++) {
            const double *e = effects + i * trajectories;
            double sum_abs = 0;
            for (size_t t = 0; t < trajectories; t++)
                sum_abs += fabs(e[pick[t]]);
            boot[i * boot_count + (size_t)b] = sum_abs / trajectories;
        }
    }
    for (size_t i = 0; i < k; i++) {
        /* mu* is in the output's unit: judge the interval against the largest mu* */
        sensitivity_interval(&out[i].mu_star, boot + i * boot_count, boot_count, opt->confidence,
                             opt->threshold * largest);
        out[i].mu_star.negative = 0;
    }
    mem_free(effects);
    mem_free(boot);
    mem_free(picks);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Grids and correlations */

void sensitivity_grid_effects(size_t k, const size_t *levels, const double *y, size_t stride, double *mean,
                              double *min, double *max)
{
    size_t total_levels = 0, runs = 1;
    for (size_t i = 0; i < k; i++) {
        total_levels += levels[i];
        runs *= levels[i];
    }
    for (size_t c = 0; c < total_levels; c++) {
        mean[c] = 0;
        min[c] = INFINITY;
        max[c] = -INFINITY;
    }
    for (size_t r = 0; r < runs; r++) {
        double v = y[r * stride];
        size_t rest = r, offset = total_levels;
        for (size_t i = k; i-- > 0;) {
            offset -= levels[i];
            size_t c = offset + rest % levels[i];
            rest /= levels[i];
            mean[c] += v;
            if (v < min[c])
                min[c] = v;
            if (v > max[c])
                max[c] = v;
        }
    }
    size_t offset = 0;
    for (size_t i = 0; i < k; i++) {
        for (size_t l = 0; l < levels[i]; l++)
            mean[offset + l] /= (double)(runs / levels[i]);
        offset += levels[i];
    }
}

int sensitivity_correlations(size_t n, size_t k, const double *x, const double *y, size_t stride, double *pearson,
                             double *spearman, diag *d)
{
    double *work = mem_alloc(2 * n * sizeof *work);
    if (!work)
        return diag_oom(d, _("computing correlations"));
    double y_min = INFINITY, y_max = -INFINITY;
    for (size_t r = 0; r < n; r++) {
        y_min = fmin(y_min, y[r * stride]);
        y_max = fmax(y_max, y[r * stride]);
    }
    for (size_t i = 0; i < k; i++) {
        double x_min = INFINITY, x_max = -INFINITY;
        for (size_t r = 0; r < n; r++) {
            x_min = fmin(x_min, x[r * k + i]);
            x_max = fmax(x_max, x[r * k + i]);
        }
        if (n < 2 || !(x_max > x_min) || !(y_max > y_min)) {
            pearson[i] = spearman[i] = NAN;
            continue;
        }
        pearson[i] = gsl_stats_correlation(x + i, k, y, stride, n);
        spearman[i] = gsl_stats_spearman(x + i, k, y, stride, n, work);
    }
    mem_free(work);
    return DIAG_OK;
}
