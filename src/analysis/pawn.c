/* pawn.c: the PAWN estimator from given data, with a permutation noise threshold.
 *
 * The output is sorted once. A slicing of the runs is then a slice label per position of the
 * sorted output, and one walk over it gives every slice's KS distance exactly (see pawn_ks):
 * O(n) per input after an O(n log n) sort of the input, and O(n) per dummy slicing. */
#include "pawn.h"
#include "i18n.h"
#include "mem.h"
#include "splitmix.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pawn_options_default(pawn_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->slices = 10;
    opt->statistic = PAWN_MEDIAN;
    opt->dummy_draws = 200;
    opt->dummy_level = 0.95;
    opt->seed = 1;
    opt->threads = 0;
}

double pawn_noise_mean(size_t n, size_t slices)
{
    if (n == 0 || slices == 0)
        return NAN;
    /* E[K] of the Kolmogorov distribution times the scale of a subsample's distance */
    const double kolmogorov_mean = 0.86873116063; /* sqrt(pi / 2) ln 2 */
    return kolmogorov_mean * sqrt((double)(slices - 1) / (double)n);
}

/* ---------------------------------------------------------------------------------------- */
/* Checks */

static const char *pawn_input_name(const pawn_data *data, size_t j, char *buf, size_t size)
{
    if (data->names && data->names[j])
        return data->names[j];
    snprintf(buf, size, "input %zu", j + 1);
    return buf;
}

static int pawn_check(const pawn_data *data, const pawn_options *opt, diag *d)
{
    if (!data || !data->x || !data->y || data->y_stride == 0)
        return diag_error(d, DIAG_SOFTWARE, _("PAWN called without inputs or outputs"));
    if (opt->slices < 2 || opt->slices > PAWN_MAX_SLICES)
        return diag_error(d, DIAG_DATA, _("PAWN: the number of slices must be from 2 to %d, not %zu"), PAWN_MAX_SLICES,
                          opt->slices);
    if ((unsigned)opt->statistic > PAWN_MAX)
        return diag_error(d, DIAG_DATA, _("PAWN: unknown statistic %d"), (int)opt->statistic);
    if (opt->dummy_draws > 0 && !(opt->dummy_level > 0 && opt->dummy_level < 1))
        return diag_error(d, DIAG_DATA, _("PAWN: the level of the noise threshold must be above 0 and below 1, not %g"),
                          opt->dummy_level);
    if (data->k == 0)
        return diag_error(d, DIAG_DATA, _("PAWN needs at least one input"));
    if (data->n < PAWN_MIN_RUNS_PER_SLICE * opt->slices)
        return diag_error(d, DIAG_DATA, _("PAWN needs at least %d runs per slice, %zu runs for %zu slices; there are %zu"),
                          PAWN_MIN_RUNS_PER_SLICE, PAWN_MIN_RUNS_PER_SLICE * opt->slices, opt->slices, data->n);
    if (data->n > UINT32_MAX)
        return diag_error(d, DIAG_DATA, _("PAWN handles at most %lu runs, not %zu"), (unsigned long)UINT32_MAX, data->n);
    for (size_t i = 0; i < data->n; i++) {
        double y = data->y[i * data->y_stride];
        if (!isfinite(y))
            return diag_error(d, DIAG_DATA, _("PAWN: run %zu gave an output that is not a finite number (%g)"), i + 1, y);
        for (size_t j = 0; j < data->k; j++) {
            double v = data->x[i * data->k + j];
            if (!isfinite(v)) {
                char buf[32];
                return diag_error(d, DIAG_DATA, _("PAWN: the value of %s in run %zu is not a finite number (%g)"),
                                  pawn_input_name(data, j, buf, sizeof buf), i + 1, v);
            }
        }
    }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* KS distances of a slicing */

typedef struct pawn_pair {
    double value;
    size_t index;
} pawn_pair;

/* By value, then by index: a total order, so the result does not depend on qsort. */
static int pawn_pair_compare(const void *a, const void *b)
{
    const pawn_pair *p = a, *q = b;
    if (p->value != q->value)
        return p->value < q->value ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

static int pawn_double_compare(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* Scratch space of one KS computation, per thread. */
typedef struct pawn_scratch {
    size_t *count;   /* slices: runs of the slice passed so far */
    size_t *seen;    /* slices: the last group in which the slice was met */
    double *ks;      /* slices */
    double *sorted;  /* slices */
} pawn_scratch;

/* The KS distance of every slice: label[pos] is the slice of the run at position pos of the
 * sorted outputs y_sorted[n], size[s] the runs of slice s. Both empirical CDFs jump only at
 * the output's values, so the distance is the largest |F_s(v) - F(v)| over the distinct
 * values v. Walking the groups of equal values in order, a slice's F_s changes only in
 * groups holding its runs; between them F_s - F only falls and F - F_s only rises, so the
 * largest gaps lie just before such a group (F(v-) - F_s(v-)) or just after it
 * (F_s(v) - F(v)), and only those are evaluated. */
static void pawn_ks(size_t n, const double *y_sorted, const uint32_t *label, size_t slices, const size_t *size,
                    pawn_scratch *w)
{
    for (size_t s = 0; s < slices; s++) {
        w->count[s] = 0;
        w->seen[s] = SIZE_MAX;
        w->ks[s] = 0;
    }
    double total = (double)n;
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && y_sorted[end] == y_sorted[start]; end++)
            ;
        double before = (double)start / total, after = (double)end / total;
        for (size_t pos = start; pos < end; pos++) {
            uint32_t s = label[pos];
            if (w->seen[s] != start) {
                w->seen[s] = start;
                double gap = fabs((double)w->count[s] / (double)size[s] - before);
                if (gap > w->ks[s])
                    w->ks[s] = gap;
            }
            w->count[s]++;
        }
        for (size_t pos = start; pos < end; pos++) {
            uint32_t s = label[pos];
            double gap = fabs((double)w->count[s] / (double)size[s] - after);
            if (gap > w->ks[s])
                w->ks[s] = gap;
        }
    }
}

/* Min, mean, median (the mean of the two middle values for an even count), max and the
 * chosen statistic of ks[count] (count >= 1), using sorted[count]. */
static void pawn_summarise(const double *ks, size_t count, pawn_statistic statistic, double *sorted,
                           pawn_index *out)
{
    double sum = 0;
    for (size_t s = 0; s < count; s++) {
        /* insertion sort: at most PAWN_MAX_SLICES values */
        size_t t = s;
        for (; t > 0 && sorted[t - 1] > ks[s]; t--)
            sorted[t] = sorted[t - 1];
        sorted[t] = ks[s];
        sum += ks[s];
    }
    out->min = sorted[0];
    out->max = sorted[count - 1];
    out->mean = sum / (double)count;
    out->median = count % 2 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    out->value = statistic == PAWN_MEDIAN ? out->median : statistic == PAWN_MEAN ? out->mean : out->max;
}

/* ---------------------------------------------------------------------------------------- */
/* Noise threshold */

/* The noise threshold for a slicing with sizes size[slices]: the dummy_level quantile (the
 * ceil(level B)-th smallest) of the statistic over B slicings that assign the runs to slices
 * of those sizes uniformly at random (a Fisher-Yates shuffle of the labels, draw b seeded by
 * a hash of (seed, b)). */
static int pawn_threshold(size_t n, const double *y_sorted, size_t slices, const size_t *size,
                          const pawn_options *opt, double *threshold, diag *d)
{
    size_t draws = opt->dummy_draws;
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > draws)
        threads = (int)draws;
    double *values = mem_alloc(draws * sizeof *values);
    uint32_t *labels = NULL;
    size_t label_bytes;
    pawn_scratch *scratch = mem_calloc((size_t)threads, sizeof *scratch);
    int ok = values && scratch && mem_size_mul((size_t)threads * n, sizeof *labels, &label_bytes) &&
             (labels = mem_alloc(label_bytes)) != NULL;
    for (int t = 0; ok && t < threads; t++) {
        scratch[t].count = mem_alloc(slices * sizeof *scratch[t].count);
        scratch[t].seen = mem_alloc(slices * sizeof *scratch[t].seen);
        scratch[t].ks = mem_alloc(slices * sizeof *scratch[t].ks);
        scratch[t].sorted = mem_alloc(slices * sizeof *scratch[t].sorted);
        ok = scratch[t].count && scratch[t].seen && scratch[t].ks && scratch[t].sorted;
    }
    if (ok) {
#pragma omp parallel for num_threads(threads) schedule(static)
        for (size_t b = 0; b < draws; b++) {
            int t = omp_get_thread_num();
            uint32_t *label = labels + (size_t)t * n;
            size_t pos = 0;
            for (size_t s = 0; s < slices; s++)
                for (size_t r = 0; r < size[s]; r++)
                    label[pos++] = (uint32_t)s;
            uint64_t state = (uint64_t)opt->seed;
            state = splitmix_next(&state) + (uint64_t)b * UINT64_C(0xD1B54A32D192ED03);
            (void)splitmix_next(&state);
            for (size_t i = n - 1; i > 0; i--) {
                size_t other = splitmix_below(&state, (uint64_t)i + 1);
                uint32_t swap = label[i];
                label[i] = label[other];
                label[other] = swap;
            }
            pawn_index summary;
            pawn_ks(n, y_sorted, label, slices, size, &scratch[t]);
            pawn_summarise(scratch[t].ks, slices, opt->statistic, scratch[t].sorted, &summary);
            values[b] = summary.value;
        }
        qsort(values, draws, sizeof *values, pawn_double_compare);
        size_t rank = (size_t)ceil(opt->dummy_level * (double)draws);
        if (rank < 1)
            rank = 1;
        *threshold = values[rank - 1];
    }
    for (int t = 0; scratch && t < threads; t++) {
        mem_free(scratch[t].count);
        mem_free(scratch[t].seen);
        mem_free(scratch[t].ks);
        mem_free(scratch[t].sorted);
    }
    mem_free(scratch);
    mem_free(labels);
    mem_free(values);
    return ok ? DIAG_OK : diag_oom(d, _("drawing PAWN dummy slicings"));
}

/* ---------------------------------------------------------------------------------------- */
/* Indices */

/* The slicing of input j: runs sorted by the input's value (pairs[n], filled here) cut at
 * positions floor(s n / S), each cut moved up past runs with the same value as the run
 * before it so that equal values share a slice; empty slices are dropped. Fills label[run]
 * and size[], returns the number of slices formed. */
static size_t pawn_slice(const pawn_data *data, size_t j, size_t slices_asked, pawn_pair *pairs, uint32_t *label,
                         size_t *size)
{
    size_t n = data->n, k = data->k;
    for (size_t i = 0; i < n; i++)
        pairs[i] = (pawn_pair){data->x[i * k + j], i};
    qsort(pairs, n, sizeof *pairs, pawn_pair_compare);
    size_t slices = 0, start = 0;
    for (size_t s = 1; s <= slices_asked; s++) {
        size_t cut = (size_t)(((uint64_t)s * n) / slices_asked);
        if (cut < start)
            cut = start;
        while (cut > 0 && cut < n && pairs[cut].value == pairs[cut - 1].value)
            cut++;
        if (cut == start)
            continue;
        for (size_t pos = start; pos < cut; pos++)
            label[pairs[pos].index] = (uint32_t)slices;
        size[slices++] = cut - start;
        start = cut;
    }
    return slices;
}

int pawn_indices(const pawn_data *data, const pawn_options *opt_in, pawn_index *out, double *ks_out, diag *d)
{
    pawn_options defaults;
    pawn_options_default(&defaults);
    const pawn_options *opt = opt_in ? opt_in : &defaults;
    if (pawn_check(data, opt, d) != DIAG_OK)
        return d->status;
    size_t n = data->n, k = data->k, asked = opt->slices;
    pawn_pair *pairs = mem_alloc(n * sizeof *pairs);
    size_t *y_order = mem_alloc(n * sizeof *y_order);
    double *y_sorted = mem_alloc(n * sizeof *y_sorted);
    uint32_t *label = mem_alloc(n * sizeof *label);
    uint32_t *label_at = mem_alloc(n * sizeof *label_at);
    size_t *sizes = mem_alloc(k * asked * sizeof *sizes);
    size_t *count = mem_alloc(asked * sizeof *count), *seen = mem_alloc(asked * sizeof *seen);
    double *ks = mem_alloc(asked * sizeof *ks), *sorted = mem_alloc(asked * sizeof *sorted);
    int status = DIAG_OK;
    if (!pairs || !y_order || !y_sorted || !label || !label_at || !sizes || !count || !seen || !ks || !sorted) {
        status = diag_oom(d, _("computing PAWN indices"));
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        pairs[i] = (pawn_pair){data->y[i * data->y_stride], i};
    qsort(pairs, n, sizeof *pairs, pawn_pair_compare);
    for (size_t pos = 0; pos < n; pos++) {
        y_order[pos] = pairs[pos].index;
        y_sorted[pos] = pairs[pos].value;
    }
    pawn_scratch scratch = {count, seen, ks, sorted};
    for (size_t j = 0; j < k; j++) {
        size_t *size = sizes + j * asked;
        size_t slices = pawn_slice(data, j, asked, pairs, label, size);
        for (size_t pos = 0; pos < n; pos++)
            label_at[pos] = label[y_order[pos]];
        pawn_ks(n, y_sorted, label_at, slices, size, &scratch);
        memset(&out[j], 0, sizeof out[j]);
        pawn_summarise(ks, slices, opt->statistic, sorted, &out[j]);
        out[j].slices = slices;
        out[j].threshold = NAN;
        out[j].above_noise = -1;
        if (ks_out)
            for (size_t s = 0; s < asked; s++)
                ks_out[j * asked + s] = s < slices ? ks[s] : NAN;
    }
    if (opt->dummy_draws == 0)
        goto out;
    for (size_t j = 0; j < k; j++) {
        /* inputs sliced alike (every input without ties) share one threshold */
        const size_t *size = sizes + j * asked;
        size_t same = j;
        for (size_t e = 0; e < j && same == j; e++)
            if (out[e].slices == out[j].slices && !memcmp(sizes + e * asked, size, out[j].slices * sizeof *size))
                same = e;
        if (same < j)
            out[j].threshold = out[same].threshold;
        else if ((status = pawn_threshold(n, y_sorted, out[j].slices, size, opt, &out[j].threshold, d)) != DIAG_OK)
            goto out;
        out[j].above_noise = out[j].value > out[j].threshold;
    }
out:
    mem_free(pairs);
    mem_free(y_order);
    mem_free(y_sorted);
    mem_free(label);
    mem_free(label_at);
    mem_free(sizes);
    mem_free(count);
    mem_free(seen);
    mem_free(ks);
    mem_free(sorted);
    return status;
}
