/* test_pawn.c: PAWN indices from given data. A linear model y = a + 2b + 0c against the
 * closed-form (infinite-sample) PAWN values; the Ishigami function against a slow, plain
 * reference implementation written here; ties, constant inputs and outputs; the noise
 * threshold (thread independence, the known bias of a dummy input); bad input and
 * allocation failures. Samples come from a fixed-seed GSL generator. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "pawn.h"

#define TEST_PI 3.14159265358979323846

/* n runs of k inputs uniform on [low, high) (MT19937, the given seed); caller frees. */
static double *uniform_sample(size_t n, size_t k, double low, double high, unsigned long seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    double *x = mem_alloc(n * k * sizeof *x);
    cr_assert(rng && x);
    for (size_t i = 0; i < n * k; i++)
        x[i] = low + (high - low) * gsl_rng_uniform(rng);
    gsl_rng_free(rng);
    return x;
}

static pawn_options quiet_options(void)
{
    pawn_options opt;
    pawn_options_default(&opt);
    opt.threads = 2;
    return opt;
}

/* ---------------------------------------------------------------------------------------- */
/* Linear model: closed form */

/* The CDF at y of U + V, U uniform on [u0, u1] and V on [v0, v1]:
 * (1 / (u1 - u0)) integral over u of P(V <= y - u) = (G(y - u0 - v0) - G(y - u1 - v0)) / (u1 - u0)
 * with G(t) = integral of clamp(t / w, 0, 1): 0, t^2 / (2w), t - w/2 (w = v1 - v0). */
static double sum_g(double t, double w)
{
    return t < 0 ? 0 : t <= w ? t * t / (2 * w) : t - w / 2;
}

static double sum_of_uniforms_cdf(double y, double u0, double u1, double v0, double v1)
{
    return (sum_g(y - u0 - v0, v1 - v0) - sum_g(y - u1 - v0, v1 - v0)) / (u1 - u0);
}

static int compare_doubles(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* The infinite-sample PAWN median of input `which` (0: a, 1: b) of y = a + 2b, a and b
 * uniform on [0, 1], with 10 slices of equal probability: the largest gap between the exact
 * CDFs on a grid of 30001 points over [0, 3] (the CDFs are smooth: the grid error is below
 * 1e-4), the median over the slices. */
static double linear_pawn_median(int which)
{
    double ks[10];
    for (int s = 0; s < 10; s++) {
        double lo = s / 10.0, hi = (s + 1) / 10.0;
        ks[s] = 0;
        for (int g = 0; g <= 30000; g++) {
            double y = 3.0 * g / 30000;
            double all = sum_of_uniforms_cdf(y, 0, 1, 0, 2);
            double slice = which == 0 ? sum_of_uniforms_cdf(y, lo, hi, 0, 2)
                                      : sum_of_uniforms_cdf(y, 2 * lo, 2 * hi, 0, 1);
            ks[s] = fmax(ks[s], fabs(slice - all));
        }
    }
    qsort(ks, 10, sizeof *ks, compare_doubles);
    return (ks[4] + ks[5]) / 2;
}

Test(pawn, linear_model_ranks_b_then_a_and_c_is_noise)
{
    size_t n = 10000;
    double *x = uniform_sample(n, 3, 0, 1, 5);
    double *y = mem_alloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = x[i * 3] + 2 * x[i * 3 + 1] + 0 * x[i * 3 + 2];
    pawn_data data = {.n = n, .k = 3, .x = x, .y = y, .y_stride = 1};
    pawn_options opt = quiet_options();
    pawn_index idx[3];
    diag d;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_OK, "%s", d.message);
    cr_assert_gt(idx[1].value, idx[0].value);
    cr_assert_gt(idx[0].value, idx[2].value);
    /* c: the output does not depend on it, so its value is the estimator's bias alone, about
     * 0.8 sqrt(9 / 10^4) = 0.025 for a median of 10 slices; near zero means below 0.04, and
     * below the noise threshold */
    cr_assert_lt(idx[2].value, 0.04, "c: %g", idx[2].value);
    cr_assert_eq(idx[2].above_noise, 0, "c: %g above the threshold %g", idx[2].value, idx[2].threshold);
    cr_assert_eq(idx[0].above_noise, 1);
    cr_assert_eq(idx[1].above_noise, 1);
    /* a and b against the infinite-sample values (0.1361 and 0.4750), within 0.03: the
     * sampling error of a median of KS distances over slices of 1000 runs */
    double exact_a = linear_pawn_median(0), exact_b = linear_pawn_median(1);
    cr_assert_float_eq(exact_a, 0.1361, 2e-4);
    cr_assert_float_eq(exact_b, 0.475, 2e-4);
    cr_assert_float_eq(idx[0].value, exact_a, 0.03, "a: %g, exact %g", idx[0].value, exact_a);
    cr_assert_float_eq(idx[1].value, exact_b, 0.03, "b: %g, exact %g", idx[1].value, exact_b);
    for (size_t j = 0; j < 3; j++) {
        cr_assert_eq(idx[j].slices, 10);
        cr_assert_float_eq(idx[j].value, idx[j].median, 0);
        cr_assert(idx[j].min <= idx[j].median && idx[j].median <= idx[j].max);
    }
    cr_log_info("linear: a %.4f (exact %.4f), b %.4f (exact %.4f), c %.4f, threshold %.4f", idx[0].value, exact_a,
                idx[1].value, exact_b, idx[2].value, idx[2].threshold);
    mem_free(x);
    mem_free(y);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Ishigami: a slow reference */

/* The reference computes the same estimator from its definition, differently:
 *   - slices by thresholds on the values: the input's values are copied and sorted, t_s is
 *     the value at position floor(s n / S), and slice s holds the runs with t_s <= x < t_{s+1}
 *     (the last one up to the maximum). Without ties this is pawn.c's slicing by ranks;
 *   - each slice's KS distance by brute force: for every run's output value v, F(v) and F_s(v)
 *     are counted over all runs and over the slice's runs (O(n^2) per slice), with no sorting
 *     of the outputs and no walk over groups of equal values.
 * ks[S] gets the distances of the slices that hold runs, in order; returns their count. */
static size_t reference_ks(size_t n, size_t k, const double *x, const double *y, size_t j, size_t slices,
                           double *ks)
{
    double *sorted = mem_alloc(n * sizeof *sorted);
    size_t *members = mem_alloc(n * sizeof *members);
    size_t *below_all = mem_alloc(n * sizeof *below_all);
    cr_assert(sorted && members && below_all);
    for (size_t i = 0; i < n; i++)
        sorted[i] = x[i * k + j];
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    for (size_t v = 0; v < n; v++) {
        below_all[v] = 0;
        for (size_t i = 0; i < n; i++)
            below_all[v] += y[i] <= y[v];
    }
    size_t formed = 0;
    for (size_t s = 0; s < slices; s++) {
        double low = sorted[s * n / slices];
        int last = s + 1 == slices;
        double high = last ? sorted[n - 1] : sorted[(s + 1) * n / slices];
        size_t count = 0;
        for (size_t i = 0; i < n; i++) {
            double xi = x[i * k + j];
            if (xi >= low && (last ? xi <= high : xi < high))
                members[count++] = i;
        }
        if (count == 0)
            continue;
        double distance = 0;
        for (size_t v = 0; v < n; v++) {
            size_t below = 0;
            for (size_t m = 0; m < count; m++)
                below += y[members[m]] <= y[v];
            distance = fmax(distance, fabs((double)below / (double)count - (double)below_all[v] / (double)n));
        }
        ks[formed++] = distance;
    }
    mem_free(sorted);
    mem_free(members);
    mem_free(below_all);
    return formed;
}

static double ishigami(const double *p)
{
    return sin(p[0]) + 7.0 * sin(p[1]) * sin(p[1]) + 0.1 * pow(p[2], 4) * sin(p[0]);
}

Test(pawn, ishigami_agrees_with_the_reference_and_x3_ranks_last)
{
    size_t n = 2000, slices = 10;
    double *x = uniform_sample(n, 3, -TEST_PI, TEST_PI, 9);
    double *y = mem_alloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = ishigami(x + i * 3);
    pawn_data data = {.n = n, .k = 3, .x = x, .y = y, .y_stride = 1};
    pawn_options opt = quiet_options();
    pawn_index idx[3];
    double ks[3 * 10];
    diag d;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, ks, &d), DIAG_OK, "%s", d.message);
    for (size_t j = 0; j < 3; j++) {
        double expected[10], sorted[10];
        cr_assert_eq(reference_ks(n, 3, x, y, j, slices, expected), 10);
        cr_assert_eq(idx[j].slices, 10);
        for (size_t s = 0; s < slices; s++)
            cr_assert_float_eq(ks[j * slices + s], expected[s], 1e-12, "x%zu slice %zu: %.17g, reference %.17g",
                               j + 1, s, ks[j * slices + s], expected[s]);
        memcpy(sorted, expected, sizeof sorted);
        qsort(sorted, 10, sizeof *sorted, compare_doubles);
        cr_assert_float_eq(idx[j].median, (sorted[4] + sorted[5]) / 2, 1e-12);
        cr_assert_float_eq(idx[j].max, sorted[9], 1e-12);
        cr_log_info("ishigami x%zu: median %.4f (reference %.4f), max %.4f, threshold %.4f", j + 1, idx[j].median,
                    (sorted[4] + sorted[5]) / 2, idx[j].max, idx[j].threshold);
    }
    cr_assert_lt(idx[2].value, idx[0].value);
    cr_assert_lt(idx[2].value, idx[1].value);
    /* x3 acts only through its interaction with x1, yet it does act: it is above the noise */
    for (size_t j = 0; j < 3; j++)
        cr_assert_eq(idx[j].above_noise, 1, "x%zu", j + 1);
    mem_free(x);
    mem_free(y);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Ties and constants */

Test(pawn, ties_keep_equal_values_in_one_slice)
{
    size_t n = 1000, k = 3;
    double *x = uniform_sample(n, k, 0, 1, 13);
    double *y = mem_alloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i * k + 1] = (double)(i % 4); /* four values, 250 runs each */
        x[i * k + 2] = 3.25;           /* constant */
        y[i] = x[i * k] + x[i * k + 1];
    }
    pawn_data data = {.n = n, .k = k, .x = x, .y = y, .y_stride = 1};
    pawn_options opt = quiet_options();
    pawn_index idx[3];
    double ks[3 * 10];
    diag d;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, ks, &d), DIAG_OK, "%s", d.message);
    /* the four-valued input: one slice per value, as the reference slices it too */
    cr_assert_eq(idx[1].slices, 4);
    double expected[10];
    cr_assert_eq(reference_ks(n, k, x, y, 1, 10, expected), 4);
    for (size_t s = 0; s < 4; s++)
        cr_assert_float_eq(ks[10 + s], expected[s], 1e-12);
    for (size_t s = 4; s < 10; s++)
        cr_assert(isnan(ks[10 + s]));
    /* y = u + v, v in {0..3}: the slice v = 0 covers y < 1, where F = F_0 / 4 and F_0 reaches
     * 1: distance 3/4; likewise for v = 3; v = 1 and 2 differ by 1/2 (exactly, in sample) */
    cr_assert_float_eq(ks[10], 0.75, 1e-12);
    cr_assert_float_eq(ks[13], 0.75, 1e-12);
    cr_assert_float_eq(ks[11], 0.5, 1e-12);
    cr_assert_float_eq(ks[12], 0.5, 1e-12);
    cr_assert_float_eq(idx[1].median, 0.625, 1e-12);
    /* the constant input: one slice, all runs, distance 0, not above the noise */
    cr_assert_eq(idx[2].slices, 1);
    cr_assert_float_eq(idx[2].value, 0, 0);
    cr_assert_float_eq(idx[2].max, 0, 0);
    cr_assert_eq(idx[2].above_noise, 0);
    /* a constant output: every distance is 0 */
    for (size_t i = 0; i < n; i++)
        y[i] = 2.5;
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_OK);
    for (size_t j = 0; j < k; j++) {
        cr_assert_float_eq(idx[j].max, 0, 0);
        cr_assert_eq(idx[j].above_noise, 0);
    }
    mem_free(x);
    mem_free(y);
    diag_free(&d);
}

Test(pawn, statistics_and_strided_outputs)
{
    size_t n = 500;
    double *x = uniform_sample(n, 2, 0, 1, 17);
    double *y = mem_alloc(2 * n * sizeof *y); /* two outputs per run; the second is used */
    for (size_t i = 0; i < n; i++) {
        y[2 * i] = NAN;
        y[2 * i + 1] = x[2 * i] * x[2 * i] + 0.3 * x[2 * i + 1];
    }
    pawn_data data = {.n = n, .k = 2, .x = x, .y = y + 1, .y_stride = 2};
    pawn_options opt = quiet_options();
    opt.slices = 7; /* 500 / 7: slices of 71 and 72 runs */
    opt.dummy_draws = 0;
    pawn_index median[2], mean[2], max[2];
    diag d;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, median, NULL, &d), DIAG_OK, "%s", d.message);
    opt.statistic = PAWN_MEAN;
    cr_assert_eq(pawn_indices(&data, &opt, mean, NULL, &d), DIAG_OK);
    opt.statistic = PAWN_MAX;
    cr_assert_eq(pawn_indices(&data, &opt, max, NULL, &d), DIAG_OK);
    for (size_t j = 0; j < 2; j++) {
        cr_assert_eq(median[j].slices, 7);
        cr_assert_float_eq(median[j].value, median[j].median, 0);
        cr_assert_float_eq(mean[j].value, median[j].mean, 0);
        cr_assert_float_eq(max[j].value, median[j].max, 0);
        cr_assert(isnan(median[j].threshold));
        cr_assert_eq(median[j].above_noise, -1);
    }
    mem_free(x);
    mem_free(y);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Noise */

Test(pawn, dummy_inputs_show_the_known_bias)
{
    /* ten inputs the output does not depend on: each slice's distance averages about
     * 0.8687 sqrt((S - 1) / n) (pawn_noise_mean); over 100 slices the mean is within 10% (the
     * standard error is about 3%) */
    size_t n = 10000, k = 10;
    double *x = uniform_sample(n, k, 0, 1, 21);
    double *y = uniform_sample(n, 1, 0, 1, 22);
    pawn_data data = {.n = n, .k = k, .x = x, .y = y, .y_stride = 1};
    pawn_options opt = quiet_options();
    opt.dummy_draws = 100;
    pawn_index idx[10];
    diag d;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_OK, "%s", d.message);
    double mean = 0;
    int above = 0;
    for (size_t j = 0; j < k; j++) {
        mean += idx[j].mean / (double)k;
        above += idx[j].above_noise;
        cr_assert_float_eq(idx[j].threshold, idx[0].threshold, 0); /* one slicing, one threshold */
    }
    double expected = pawn_noise_mean(n, 10);
    cr_assert_float_eq(expected, 0.026062, 1e-6);
    cr_assert_float_eq(mean, expected, 0.1 * expected, "mean %g, expected %g", mean, expected);
    cr_assert_leq(above, 3, "%d of 10 dummy inputs above the 95%% threshold", above);
    cr_log_info("dummy inputs: mean KS %.5f, asymptotic %.5f, threshold %.5f, %d of 10 above", mean, expected,
                idx[0].threshold, above);
    mem_free(x);
    mem_free(y);
    diag_free(&d);
}

Test(pawn, threshold_does_not_depend_on_threads)
{
    size_t n = 3000;
    double *x = uniform_sample(n, 2, 0, 1, 31);
    double *y = mem_alloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = x[2 * i] + 0.1 * x[2 * i + 1];
    pawn_data data = {.n = n, .k = 2, .x = x, .y = y, .y_stride = 1};
    pawn_options opt = quiet_options();
    opt.dummy_draws = 57;
    pawn_index one[2], two[2], three[2];
    diag d;
    diag_init(&d);
    opt.threads = 1;
    cr_assert_eq(pawn_indices(&data, &opt, one, NULL, &d), DIAG_OK, "%s", d.message);
    opt.threads = 2;
    cr_assert_eq(pawn_indices(&data, &opt, two, NULL, &d), DIAG_OK);
    cr_assert_eq(memcmp(one, two, sizeof one), 0);
    opt.seed = 2; /* another seed, other draws */
    cr_assert_eq(pawn_indices(&data, &opt, three, NULL, &d), DIAG_OK);
    cr_assert_neq(three[0].threshold, one[0].threshold);
    cr_assert_float_eq(three[0].value, one[0].value, 0);
    mem_free(x);
    mem_free(y);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Bad input */

Test(pawn, rejects_bad_input)
{
    size_t n = 200;
    double *x = uniform_sample(n, 2, 0, 1, 41);
    double *y = uniform_sample(n, 1, 0, 1, 42);
    const char *const names[] = {"deflator", "growth"};
    pawn_data data = {.n = n, .k = 2, .x = x, .y = y, .y_stride = 1, .names = names};
    pawn_options opt = quiet_options();
    pawn_index idx[2];
    diag d;
    /* too few runs: 10 per slice */
    opt.slices = 21;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "210 runs for 21 slices; there are 200"), "%s", d.message);
    diag_free(&d);
    opt.slices = 1;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_DATA);
    diag_free(&d);
    opt.slices = 10;
    opt.dummy_level = 1;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_DATA);
    diag_free(&d);
    opt.dummy_level = 0.95;
    /* not a number */
    x[2 * 57 + 1] = NAN;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "value of growth in run 58 is not a finite number"), "%s", d.message);
    diag_free(&d);
    x[2 * 57 + 1] = 0.5;
    y[99] = -INFINITY;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "run 100 gave an output that is not a finite number"), "%s", d.message);
    diag_free(&d);
    y[99] = 0.5;
    data.k = 0;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_DATA);
    diag_free(&d);
    data.k = 2;
    diag_init(&d);
    cr_assert_eq(pawn_indices(&data, &opt, idx, NULL, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    cr_assert(isnan(pawn_noise_mean(0, 10)));
    mem_free(x);
    mem_free(y);
}

Test(pawn, every_allocation_failure_is_reported)
{
    size_t n = 300;
    double *x = uniform_sample(n, 3, 0, 1, 51);
    double *y = mem_alloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[3 * i + 1] = (double)(i % 3); /* three slices: a threshold of its own */
        y[i] = x[3 * i] - x[3 * i + 2];
    }
    pawn_data data = {.n = n, .k = 3, .x = x, .y = y, .y_stride = 1};
    pawn_options opt = quiet_options();
    opt.dummy_draws = 20;
    int succeeded = 0;
    long failures = 0;
    for (long budget = 0; budget < 10000 && !succeeded; budget++) {
        pawn_index idx[3];
        diag d;
        diag_init(&d);
        mem_fail_after(budget);
        int status = pawn_indices(&data, &opt, idx, NULL, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            succeeded = 1;
        } else {
            cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: %s", budget, d.message);
            cr_assert(strstr(d.message, "out of memory"), "%s", d.message);
            failures++;
        }
        diag_free(&d);
    }
    cr_assert(succeeded);
    cr_assert_gt(failures, 10);
    mem_free(x);
    mem_free(y);
}
