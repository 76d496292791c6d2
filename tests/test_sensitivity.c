/* test_sensitivity.c: designs and estimators on closed-form functions, with fixed seeds and
 * stated tolerances: Sobol' indices of an additive linear model, a product and the Ishigami
 * function; Morris measures of a linear model (exact); the layout of the designs; grid main
 * effects and correlations against hand computations; thread independence of the bootstrap. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "fnv.h"
#include "mem.h"
#include "sensitivity.h"

/* A function of the unit point u[k] (each model maps u to its own inputs). */
typedef double (*test_function)(const double *u, size_t k);

static const double linear_a[] = {1.0, -2.0, 3.0, 0.5};
static const double linear_low[] = {0.0, 1.0, -1.0, 10.0};
static const double linear_high[] = {1.0, 2.0, 0.0, 14.0}; /* ranges 1, 1, 1, 4 */

static double linear_x(const double *u, size_t i)
{
    return linear_low[i] + u[i] * (linear_high[i] - linear_low[i]);
}

static double linear_model(const double *u, size_t k)
{
    double y = 7.0; /* a level far from 0: the estimators must not depend on it */
    for (size_t i = 0; i < k; i++)
        y += linear_a[i] * linear_x(u, i);
    return y;
}

static double product_model(const double *u, size_t k)
{
    (void)k;
    return u[0] * u[1];
}

#define TEST_PI 3.14159265358979323846

static double ishigami_model(const double *u, size_t k)
{
    (void)k;
    double x1 = -TEST_PI + 2 * TEST_PI * u[0], x2 = -TEST_PI + 2 * TEST_PI * u[1], x3 = -TEST_PI + 2 * TEST_PI * u[2];
    return sin(x1) + 7.0 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

/* Runs a Saltelli design of n rows through f; returns the results (caller frees). */
static double *run_saltelli(size_t n, size_t k, int scramble, test_function f)
{
    double *u = mem_alloc(n * 2 * k * sizeof *u);
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_sobol_points(n, 2 * k, scramble, 11, u, &d), DIAG_OK, "%s", d.message);
    size_t runs = sensitivity_saltelli_runs(n, k);
    double *y = mem_alloc(runs * sizeof *y);
    double x[8];
    for (size_t r = 0; r < runs; r++) {
        sensitivity_saltelli_point(u, k, r, x);
        y[r] = f(x, k);
    }
    mem_free(u);
    return y;
}

static sensitivity_options default_options(void)
{
    return (sensitivity_options){.bootstrap = 500, .confidence = 0.95, .threshold = 0.1, .seed = 3, .threads = 2};
}

static void check_indices(test_function f, size_t k, size_t n, int scramble, const double *s1, const double *st,
                          double tolerance)
{
    double *y = run_saltelli(n, k, scramble, f);
    sensitivity_estimate first[8], total[8];
    sensitivity_options opt = default_options();
    diag d;
    diag_init(&d);
    double variance;
    cr_assert_eq(sensitivity_sobol(n, k, y, 1, &opt, first, total, &variance, &d), DIAG_OK, "%s", d.message);
    for (size_t i = 0; i < k; i++) {
        cr_expect(fabs(first[i].value - s1[i]) < tolerance, "S1[%zu] = %g, expected %g +- %g", i, first[i].value,
                  s1[i], tolerance);
        cr_expect(fabs(total[i].value - st[i]) < tolerance, "ST[%zu] = %g, expected %g +- %g", i, total[i].value,
                  st[i], tolerance);
        /* the interval brackets the estimate and has the half-width it reports */
        cr_expect(first[i].low <= first[i].value + 1e-12 && first[i].value - 1e-12 <= first[i].high);
        cr_expect(fabs(first[i].conf - (first[i].high - first[i].low) / 2) < 1e-15);
        cr_expect(total[i].low <= total[i].value + 1e-12 && total[i].value - 1e-12 <= total[i].high);
        /* at these N the intervals are narrower than the default threshold */
        cr_expect(!first[i].not_converged && !total[i].not_converged, "index %zu flagged", i);
        cr_expect(!first[i].negative && !total[i].negative);
    }
    mem_free(y);
}

/* ---------------------------------------------------------------------------------------- */
/* Sobol' indices on closed forms */

Test(sensitivity, sobol_additive_linear_model)
{
    /* S_i = ST_i = a_i^2 Var(x_i) / sum_j a_j^2 Var(x_j), Var(x_i) = range_i^2 / 12 */
    double weight[4], sum = 0, s[4];
    for (size_t i = 0; i < 4; i++) {
        double range = linear_high[i] - linear_low[i];
        weight[i] = linear_a[i] * linear_a[i] * range * range / 12;
        sum += weight[i];
    }
    for (size_t i = 0; i < 4; i++)
        s[i] = weight[i] / sum; /* 1/18, 4/18, 9/18, 4/18 */
    cr_assert_float_eq(s[2], 0.5, 1e-15);
    /* tolerance 0.02 at N = 2^13, scrambled and plain */
    check_indices(linear_model, 4, 8192, 1, s, s, 0.02);
    check_indices(linear_model, 4, 8192, 0, s, s, 0.02);
}

Test(sensitivity, sobol_product_model)
{
    /* y = x1 x2, x ~ U(0,1): V = 1/9 - 1/16 = 7/144, V1 = V2 = Var(x/2) = 1/48, so
     * S1 = S2 = 3/7 and ST1 = ST2 = 1 - 3/7 = 4/7 (the interaction 1/7 counts in both). */
    double s[2] = {3.0 / 7, 3.0 / 7}, st[2] = {4.0 / 7, 4.0 / 7};
    check_indices(product_model, 2, 8192, 1, s, st, 0.02);
}

Test(sensitivity, sobol_ishigami_function)
{
    /* a = 7, b = 0.1 on [-pi, pi]^3: the reference values of Saltelli et al. (2008) */
    double s[3] = {0.3139, 0.4424, 0.0}, st[3] = {0.5576, 0.4424, 0.2437};
    check_indices(ishigami_model, 3, 16384, 1, s, st, 0.02);
}

Test(sensitivity, sobol_constant_output_gives_zero_indices)
{
    size_t n = 64, k = 3, runs = sensitivity_saltelli_runs(n, k);
    double *y = mem_alloc(runs * sizeof *y);
    for (size_t r = 0; r < runs; r++)
        y[r] = 42.5;
    sensitivity_estimate first[3], total[3];
    sensitivity_options opt = default_options();
    diag d;
    diag_init(&d);
    double variance = -1;
    cr_assert_eq(sensitivity_sobol(n, k, y, 1, &opt, first, total, &variance, &d), DIAG_OK);
    cr_assert_eq(variance, 0);
    for (size_t i = 0; i < k; i++) {
        cr_assert_eq(first[i].value, 0);
        cr_assert_eq(total[i].value, 0);
        cr_assert_eq(first[i].not_converged, 0);
    }
    mem_free(y);
}

Test(sensitivity, sobol_small_n_is_flagged)
{
    /* 16 rows cannot pin the Ishigami indices down: every interval is wider than 0.1 */
    double *y = run_saltelli(16, 3, 1, ishigami_model);
    sensitivity_estimate first[3], total[3];
    sensitivity_options opt = default_options();
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_sobol(16, 3, y, 1, &opt, first, total, NULL, &d), DIAG_OK);
    for (size_t i = 0; i < 3; i++)
        cr_expect(first[i].not_converged, "S1[%zu] interval [%g, %g]", i, first[i].low, first[i].high);
    mem_free(y);
}

Test(sensitivity, sobol_non_finite_result_is_an_error)
{
    double *y = run_saltelli(8, 2, 1, product_model);
    y[5] = NAN;
    sensitivity_estimate first[2], total[2];
    sensitivity_options opt = default_options();
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_sobol(8, 2, y, 1, &opt, first, total, NULL, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "run 5"), "%s", d.message);
    mem_free(y);
}

Test(sensitivity, sobol_strided_results_and_thread_independence)
{
    /* the same results with stride 2 (interleaved with another output), 1 thread or 3 */
    size_t n = 512, k = 3, runs = sensitivity_saltelli_runs(n, k);
    double *y = run_saltelli(n, k, 1, ishigami_model);
    double *wide = mem_alloc(2 * runs * sizeof *wide);
    for (size_t r = 0; r < runs; r++) {
        wide[2 * r] = -1e9;
        wide[2 * r + 1] = y[r];
    }
    sensitivity_estimate f1[3], t1[3], f3[3], t3[3];
    sensitivity_options opt = default_options();
    diag d;
    diag_init(&d);
    opt.threads = 1;
    cr_assert_eq(sensitivity_sobol(n, k, y, 1, &opt, f1, t1, NULL, &d), DIAG_OK);
    opt.threads = 3;
    cr_assert_eq(sensitivity_sobol(n, k, wide + 1, 2, &opt, f3, t3, NULL, &d), DIAG_OK);
    cr_assert(!memcmp(f1, f3, sizeof f1));
    cr_assert(!memcmp(t1, t3, sizeof t1));
    mem_free(y);
    mem_free(wide);
}

/* ---------------------------------------------------------------------------------------- */
/* Designs */

Test(sensitivity, sobol_points_plain_and_scrambled)
{
    double u[64 * 4], v[64 * 4], w[64 * 4];
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_sobol_points(64, 4, 0, 0, u, &d), DIAG_OK);
    /* GSL skips the origin: the plain sequence starts at the centre, then (0.75, 0.25, ...) */
    for (size_t c = 0; c < 4; c++)
        cr_assert_eq(u[c], 0.5);
    cr_assert_eq(u[4], 0.75);
    cr_assert_eq(u[5], 0.25);
    cr_assert_eq(sensitivity_sobol_points(64, 4, 1, 5, v, &d), DIAG_OK);
    cr_assert_eq(sensitivity_sobol_points(64, 4, 1, 5, w, &d), DIAG_OK);
    cr_assert(!memcmp(v, w, sizeof v), "the same seed gives the same design");
    cr_assert_eq(sensitivity_sobol_points(64, 4, 1, 6, w, &d), DIAG_OK);
    cr_assert(memcmp(v, w, sizeof v), "another seed gives another design");
    /* a digital shift keeps stratification: 64 points put one in each of 64 cells of width
     * 1/64 in every dimension, strictly inside (0, 1) */
    for (size_t c = 0; c < 4; c++) {
        int seen[64] = {0};
        for (size_t j = 0; j < 64; j++) {
            double x = v[j * 4 + c];
            cr_assert(x > 0 && x < 1);
            seen[(int)(x * 64)]++;
        }
        for (int cell = 0; cell < 64; cell++)
            cr_assert_eq(seen[cell], 1, "dimension %zu cell %d", c, cell);
    }
    cr_assert_eq(sensitivity_sobol_points(4, 41, 0, 0, u, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "40"), "%s", d.message);
}

Test(sensitivity, saltelli_layout)
{
    /* one row: A = (1, 2, 3), B = (4, 5, 6) */
    double u[6] = {1, 2, 3, 4, 5, 6}, x[3];
    double expected[5][3] = {{1, 2, 3}, {4, 2, 3}, {1, 5, 3}, {1, 2, 6}, {4, 5, 6}};
    cr_assert_eq(sensitivity_saltelli_runs(1, 3), 5);
    for (size_t r = 0; r < 5; r++) {
        sensitivity_saltelli_point(u, 3, r, x);
        cr_assert(!memcmp(x, expected[r], sizeof x), "run %zu", r);
    }
}

Test(sensitivity, morris_design_moves_one_factor_by_delta)
{
    size_t k = 5, r = 40;
    unsigned p = 4;
    double delta = p / (2.0 * (p - 1));
    double *u = mem_alloc(sensitivity_morris_runs(k, r) * k * sizeof *u);
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_morris_points(k, r, p, 9, u, &d), DIAG_OK, "%s", d.message);
    for (size_t t = 0; t < r; t++) {
        int moved[5] = {0};
        for (size_t s = 0; s <= k; s++) {
            size_t run = t * (k + 1) + s;
            for (size_t i = 0; i < k; i++) {
                double x = u[run * k + i], level = x * (p - 1);
                cr_assert(x >= 0 && x <= 1);
                cr_assert(fabs(level - round(level)) < 1e-12, "on the grid");
            }
            if (s == 0) {
                cr_assert_eq(sensitivity_morris_moved(u, k, run), k);
                continue;
            }
            size_t i = sensitivity_morris_moved(u, k, run);
            cr_assert_lt(i, k);
            moved[i]++;
            cr_assert(fabs(fabs(u[run * k + i] - u[(run - 1) * k + i]) - delta) < 1e-12);
            for (size_t j = 0; j < k; j++)
                if (j != i)
                    cr_assert_eq(u[run * k + j], u[(run - 1) * k + j]);
        }
        for (size_t i = 0; i < k; i++)
            cr_assert_eq(moved[i], 1, "every factor moves once per trajectory");
    }
    cr_assert_eq(sensitivity_morris_points(k, r, 5, 9, u, &d), DIAG_DATA, "odd levels are refused");
    mem_free(u);
}

Test(sensitivity, morris_linear_model_is_exact)
{
    /* y = 7 + sum a_i x_i: every elementary effect is a_i (hi_i - lo_i), so mu = a_i range_i,
     * mu* = |a_i| range_i and sigma = 0 */
    size_t k = 4, r = 20;
    size_t runs = sensitivity_morris_runs(k, r);
    double *u = mem_alloc(runs * k * sizeof *u), *y = mem_alloc(runs * sizeof *y);
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_morris_points(k, r, 6, 2, u, &d), DIAG_OK);
    for (size_t run = 0; run < runs; run++)
        y[run] = linear_model(u + run * k, k);
    sensitivity_morris_index out[4];
    sensitivity_options opt = default_options();
    cr_assert_eq(sensitivity_morris(k, r, u, y, 1, &opt, out, &d), DIAG_OK, "%s", d.message);
    for (size_t i = 0; i < k; i++) {
        double range = linear_high[i] - linear_low[i];
        cr_assert(fabs(out[i].mu - linear_a[i] * range) < 1e-9, "mu[%zu] = %.17g", i, out[i].mu);
        cr_assert(fabs(out[i].mu_star.value - fabs(linear_a[i]) * range) < 1e-9);
        cr_assert(fabs(out[i].sigma) < 1e-9);
        cr_assert(fabs(out[i].mu_star.conf) < 1e-9, "every resample gives the same mu*");
        cr_assert(!out[i].mu_star.not_converged);
    }
    mem_free(u);
    mem_free(y);
}

Test(sensitivity, morris_nonlinear_has_spread)
{
    /* y = x1^2 on [0, 1] with p = 4: effects are ((u+2/3)^2 - u^2) / (2/3) = 2u + 2/3 for
     * u in {0, 1/3}: 2/3 or 4/3; sigma > 0, mu = mu* between them */
    size_t k = 2, r = 50, runs = sensitivity_morris_runs(k, r);
    double *u = mem_alloc(runs * k * sizeof *u), *y = mem_alloc(runs * sizeof *y);
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_morris_points(k, r, 4, 2, u, &d), DIAG_OK);
    for (size_t run = 0; run < runs; run++)
        y[run] = u[run * k] * u[run * k];
    sensitivity_morris_index out[2];
    sensitivity_options opt = default_options();
    cr_assert_eq(sensitivity_morris(k, r, u, y, 1, &opt, out, &d), DIAG_OK);
    cr_assert(out[0].mu > 2.0 / 3 && out[0].mu < 4.0 / 3);
    cr_assert_float_eq(out[0].mu, out[0].mu_star.value, 1e-12);
    cr_assert_gt(out[0].sigma, 0.1);
    cr_assert_eq(out[1].mu_star.value, 0);
    mem_free(u);
    mem_free(y);
}

/* ---------------------------------------------------------------------------------------- */
/* Grids, correlations, helpers */

Test(sensitivity, grid_effects_by_hand)
{
    /* 2 x 3 grid, y = 10 a + b with a in {0, 1}, b in {0, 1, 2}, last parameter fastest:
     * runs (0,0) (0,1) (0,2) (1,0) (1,1) (1,2) */
    double y[6] = {0, 1, 2, 10, 11, 12};
    size_t levels[2] = {2, 3};
    double mean[5], min[5], max[5];
    sensitivity_grid_effects(2, levels, y, 1, mean, min, max);
    double expected_mean[5] = {1, 11, 5, 6, 7};
    double expected_min[5] = {0, 10, 0, 1, 2};
    double expected_max[5] = {2, 12, 10, 11, 12};
    for (int c = 0; c < 5; c++) {
        cr_assert_float_eq(mean[c], expected_mean[c], 1e-15, "mean[%d] = %g", c, mean[c]);
        cr_assert_eq(min[c], expected_min[c]);
        cr_assert_eq(max[c], expected_max[c]);
    }
}

Test(sensitivity, correlations)
{
    /* x0 linear (Pearson 1), x1 monotone but not linear (Spearman 1, Pearson < 1), x2 constant */
    double x[5 * 3], y[5];
    for (int r = 0; r < 5; r++) {
        x[r * 3] = r;
        x[r * 3 + 1] = exp(3.0 * r);
        x[r * 3 + 2] = 4;
        y[r] = 2.0 * r + 1;
    }
    double pearson[3], spearman[3];
    diag d;
    diag_init(&d);
    cr_assert_eq(sensitivity_correlations(5, 3, x, y, 1, pearson, spearman, &d), DIAG_OK);
    cr_assert_float_eq(pearson[0], 1, 1e-12);
    cr_assert_float_eq(spearman[0], 1, 1e-12);
    cr_assert_float_eq(spearman[1], 1, 1e-12);
    cr_assert_lt(pearson[1], 0.9);
    cr_assert(isnan(pearson[2]) && isnan(spearman[2]));
}

Test(sensitivity, powers_of_two_and_hash)
{
    size_t below, above;
    cr_assert(sensitivity_is_power_of_two(4096));
    cr_assert(!sensitivity_is_power_of_two(4000));
    cr_assert(!sensitivity_is_power_of_two(0));
    sensitivity_nearest_powers_of_two(4000, &below, &above);
    cr_assert_eq(below, 2048);
    cr_assert_eq(above, 4096);
    sensitivity_nearest_powers_of_two(3, &below, &above);
    cr_assert_eq(below, 2);
    cr_assert_eq(above, 4);
    /* FNV-1a 64 test vectors: "" and "a" */
    cr_assert_eq(fnv1a64(FNV1A64_OFFSET, "", 0), UINT64_C(0xcbf29ce484222325));
    cr_assert_eq(fnv1a64(FNV1A64_OFFSET, "a", 1), UINT64_C(0xaf63dc4c8601ec8c));
}
