/* test_order_stat.c: the exact quantile selection (order_stat.h) against an oracle, a full
 * sort, on random arrays and adversarial ones: ties, a single repeated value, sorted and
 * reversed runs, the extremes of float (infinities, FLT_MAX, denormals, both zeros; never
 * NaN, which the selection does not take), and n = 1, 2, 3 with every set of ranks. Both
 * paths are covered: plain selection below ORDER_STAT_DIRECT values or above
 * ORDER_STAT_MAX_RANKS ranks, and the histogram of bit patterns above. Every array comes from
 * a fixed seed, so a failure reproduces. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "order_stat.h"
#include "splitmix.h"

static int by_value(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* A total order on the bits (-0.0 before 0.0), for comparing multisets exactly. */
static int by_bits(const void *a, const void *b)
{
    uint32_t x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    x = (x & 0x80000000u) ? ~x : x | 0x80000000u;
    y = (y & 0x80000000u) ? ~y : y | 0x80000000u;
    return (x > y) - (x < y);
}

/* Selects ranks ks[0..nk) of a[0..n) and checks each against the sorted copy, and that the
 * array still holds the same values. */
static void check(const float *a, size_t n, const size_t *ks, size_t nk, const char *what)
{
    float *sorted = malloc(n * sizeof *sorted), *work = malloc(n * sizeof *work), out[64];
    cr_assert(sorted && work && nk <= 64);
    memcpy(sorted, a, n * sizeof *a);
    memcpy(work, a, n * sizeof *a);
    qsort(sorted, n, sizeof *sorted, by_value);
    order_stat_select(work, n, ks, nk, out);
    for (size_t i = 0; i < nk; i++)
        cr_assert(out[i] == sorted[ks[i]], "%s (n %zu, %zu ranks): rank %zu is %.9g, sorting gives %.9g", what, n, nk,
                  ks[i], (double)out[i], (double)sorted[ks[i]]);
    qsort(sorted, n, sizeof *sorted, by_bits);
    qsort(work, n, sizeof *work, by_bits);
    cr_assert(memcmp(sorted, work, n * sizeof *work) == 0, "%s (n %zu): the values were not kept", what, n);
    free(sorted);
    free(work);
}

/* The ranks an ensemble asks for: those of its seven quantile levels. */
static size_t ensemble_ranks(size_t n, size_t *ks)
{
    static const double levels[] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
    return order_stat_type7_ranks(n, levels, sizeof levels / sizeof levels[0], ks);
}

static int by_rank(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* `count` distinct ranks below n (fewer when n is smaller), in increasing order: 0 and n - 1,
 * then random ones, drawn until distinct, and sorted at the end. */
static size_t random_ranks(uint64_t *state, size_t n, size_t count, size_t *ks)
{
    if (count > n)
        count = n;
    size_t nk = 0;
    ks[nk++] = 0;
    if (count > 1)
        ks[nk++] = n - 1;
    while (nk < count) {
        size_t k = splitmix_below(state, n), seen = 0;
        for (size_t i = 0; i < nk && !seen; i++)
            seen = ks[i] == k;
        if (!seen)
            ks[nk++] = k;
    }
    qsort(ks, nk, sizeof *ks, by_rank);
    return nk;
}

/* A float from 32 random bits that is not NaN: every finite value, both infinities, both
 * zeros and the denormals are possible. */
static float any_float(uint64_t *state)
{
    for (;;) {
        uint32_t bits = (uint32_t)(splitmix_next(state) >> 32);
        float f;
        memcpy(&f, &bits, sizeof f);
        if (!isnan(f))
            return f;
    }
}

enum shape { UNIFORM, NORMALISH, ANY_BITS, TIES, ONE_VALUE, SORTED, REVERSED, ORGAN_PIPE, EXTREMES, SHAPES };

static const char *const shape_names[SHAPES] = {"uniform", "normal-ish", "any bits", "ties", "one value",
                                                "sorted", "reversed", "organ pipe", "extremes"};

static void fill(float *a, size_t n, enum shape shape, uint64_t *state)
{
    static const float extremes[] = {INFINITY, -INFINITY, FLT_MAX, -FLT_MAX, FLT_MIN, -FLT_MIN,
                                     FLT_TRUE_MIN, -FLT_TRUE_MIN, 0.0f, -0.0f, 1.0f, -1.0f};
    for (size_t i = 0; i < n; i++) {
        double u = (double)(splitmix_next(state) >> 11) * 0x1.0p-53;
        switch (shape) {
        case UNIFORM: a[i] = (float)(2e6 * u - 1e6); break;
        case NORMALISH: {
            double s = 0;
            for (int k = 0; k < 12; k++)
                s += (double)(splitmix_next(state) >> 11) * 0x1.0p-53;
            a[i] = (float)(720.6 + 35.0 * (s - 6));
            break;
        }
        case ANY_BITS: a[i] = any_float(state); break;
        case TIES: a[i] = (float)splitmix_below(state, 3) - 1.0f; break;
        case ONE_VALUE: a[i] = 1604.5f; break;
        case SORTED: a[i] = (float)i / 7.0f; break;
        case REVERSED: a[i] = -(float)i * 3.0f; break;
        case ORGAN_PIPE: a[i] = (float)(i < n / 2 ? i : n - i); break;
        case EXTREMES: a[i] = extremes[splitmix_below(state, sizeof extremes / sizeof extremes[0])]; break;
        case SHAPES: break;
        }
    }
}

Test(order_stat, type7_ranks)
{
    /* n = 101: h = 100 p is whole for 0.05 ... 0.95, so each level needs h and h + 1 */
    static const double levels[] = {0.05, 0.5, 0.95};
    size_t ks[6];
    size_t nk = order_stat_type7_ranks(101, levels, 3, ks);
    static const size_t expected[] = {5, 6, 50, 51, 95, 96};
    cr_assert_eq(nk, 6);
    for (size_t i = 0; i < nk; i++)
        cr_assert_eq(ks[i], expected[i]);
    /* n = 10: h = 0.45, 4.5, 8.55: ranks 0, 1, 4, 5, 8, 9 */
    nk = order_stat_type7_ranks(10, levels, 3, ks);
    static const size_t ten[] = {0, 1, 4, 5, 8, 9};
    cr_assert_eq(nk, 6);
    for (size_t i = 0; i < nk; i++)
        cr_assert_eq(ks[i], ten[i]);
    /* n = 1 and 2: shared ranks appear once, none past the end */
    cr_assert_eq(order_stat_type7_ranks(1, levels, 3, ks), 1);
    cr_assert_eq(ks[0], 0);
    cr_assert_eq(order_stat_type7_ranks(2, levels, 3, ks), 2);
    cr_assert(ks[0] == 0 && ks[1] == 1);
    /* unsorted levels still give sorted ranks */
    static const double reversed[] = {0.95, 0.05};
    nk = order_stat_type7_ranks(101, reversed, 2, ks);
    cr_assert(nk == 4 && ks[0] == 5 && ks[1] == 6 && ks[2] == 95 && ks[3] == 96);
}

Test(order_stat, every_rank_set_of_one_two_and_three_values)
{
    static const float values[][3] = {{1, 2, 3}, {3, 2, 1}, {2, 3, 1}, {5, 5, 5}, {5, 5, -1}, {-0.0f, 0.0f, -0.0f},
                                      {INFINITY, -INFINITY, 0}, {FLT_MAX, FLT_TRUE_MIN, -FLT_MAX}};
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
        for (size_t n = 1; n <= 3; n++)
            for (unsigned mask = 1; mask < (1u << n); mask++) {
                size_t ks[3], nk = 0;
                for (size_t k = 0; k < n; k++)
                    if (mask & (1u << k))
                        ks[nk++] = k;
                check(values[v], n, ks, nk, "small");
            }
}

Test(order_stat, random_and_adversarial_arrays_against_a_full_sort)
{
    static const size_t sizes[] = {1, 2, 3, 4, 17, 100, ORDER_STAT_DIRECT - 1, ORDER_STAT_DIRECT,
                                   ORDER_STAT_DIRECT + 1, 20000, 100003};
    uint64_t state = 20240601;
    size_t largest = sizes[sizeof sizes / sizeof sizes[0] - 1];
    float *a = malloc(largest * sizeof *a);
    cr_assert(a);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        for (int shape = 0; shape < SHAPES; shape++) {
            fill(a, n, (enum shape)shape, &state);
            size_t ks[64], nk = ensemble_ranks(n, ks);
            check(a, n, ks, nk, shape_names[shape]);
            /* random rank sets: one rank, a few, exactly the most the histogram path takes,
             * and one more (plain selection) */
            static const size_t counts[] = {1, 5, ORDER_STAT_MAX_RANKS, ORDER_STAT_MAX_RANKS + 1};
            for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
                nk = random_ranks(&state, n, counts[c], ks);
                check(a, n, ks, nk, shape_names[shape]);
            }
        }
    }
    free(a);
}

Test(order_stat, two_values_far_apart_and_one_outlier)
{
    /* the histogram's key range spans everything; the wanted ranks sit in one bucket */
    size_t n = 50000, ks[3] = {0, 24999, 49999};
    float *a = malloc(n * sizeof *a);
    cr_assert(a);
    for (size_t i = 0; i < n; i++)
        a[i] = i % 2 ? -INFINITY : INFINITY;
    check(a, n, ks, 3, "two infinities");
    for (size_t i = 0; i < n; i++)
        a[i] = 1.0f;
    a[n / 3] = -FLT_MAX;
    check(a, n, ks, 3, "one outlier");
    free(a);
}
