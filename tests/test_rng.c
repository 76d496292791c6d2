/* test_rng.c: the engine's random streams (rng.h): xoshiro256+ against the reference
 * algorithm, the seeding, and the inlined ziggurat against the standard normal's analytic
 * CDF (Kolmogorov-Smirnov, a chi-square over equiprobable bins, the moments and the tail
 * mass). Seeds are fixed, so the tests are deterministic; the bounds are 5 to 6 standard
 * errors (or a KS level of 0.001), so a failure means a wrong sampler, not bad luck. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "rng.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(rng, reference_words)
{
    /* xoshiro256+ from the state {1, 2, 3, 4}: s[0] + s[3], then the reference update */
    rng_stream r = {{1, 2, 3, 4}};
    static const uint64_t expected[] = {5, UINT64_C(211106232532999), UINT64_C(211106635186183),
                                        UINT64_C(9223759065350669058)};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(rng_next(&r), expected[i], "word %zu", i);
}

Test(rng, seeds_are_distinct_and_repeatable)
{
    rng_stream a, b, c, d;
    rng_seed(&a, 1, 0);
    rng_seed(&b, 1, 0);
    rng_seed(&c, 1, 1);
    rng_seed(&d, 2, 0);
    int same_c = 1, same_d = 1;
    for (int i = 0; i < 16; i++) {
        uint64_t x = rng_next(&a);
        cr_assert_eq(x, rng_next(&b), "one (seed, index), one stream");
        same_c &= x == rng_next(&c);
        same_d &= x == rng_next(&d);
    }
    cr_assert(!same_c && !same_d, "another index or seed, another stream");
    /* the GSL view shares the state: its words are the stream's high halves */
    gsl_rng *g = gsl_rng_alloc(rng_gsl_type());
    rng_seed(g->state, 5, 9);
    rng_seed(&a, 5, 9);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(gsl_rng_get(g), (unsigned long)(rng_next(&a) >> 32));
    gsl_rng_free(g);
}

Test(rng, uniforms_and_integers)
{
    rng_stream r;
    rng_seed(&r, 11, 3);
    size_t n = 1000000;
    double sum = 0, squares = 0;
    for (size_t i = 0; i < n; i++) {
        double u = rng_uniform_pos(&r);
        cr_assert(u > 0 && u < 1);
        sum += u;
        squares += (u - 0.5) * (u - 0.5);
    }
    /* mean 1/2 (sd of the mean sqrt(1/12 / n)), variance 1/12 (sd sqrt(1/180 / n)) */
    cr_assert_lt(fabs(sum / n - 0.5), 5 * sqrt(1.0 / 12 / n));
    cr_assert_lt(fabs(squares / n - 1.0 / 12), 5 * sqrt(1.0 / 180 / n));
    /* below 7: each count binomial(70000, 1/7), sd 92.6 */
    size_t counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint32_t k = rng_below(&r, 7);
        cr_assert_lt(k, 7u);
        counts[k]++;
    }
    for (int k = 0; k < 7; k++)
        cr_assert_lt(fabs((double)counts[k] - 10000), 6 * 92.6, "face %d: %zu", k, counts[k]);
}

Test(rng, normal_matches_the_analytic_cdf)
{
    size_t n = 1000000;
    double *z = malloc(n * sizeof *z);
    rng_stream r;
    rng_seed(&r, 1, 0);
    double sum = 0;
    size_t beyond_r = 0, beyond_4 = 0;
    for (size_t i = 0; i < n; i++) {
        z[i] = rng_normal(&r);
        sum += z[i];
        beyond_r += fabs(z[i]) >= 3.6541528853610088; /* where the ziggurat's tail starts */
        beyond_4 += fabs(z[i]) >= 4;
    }
    double mean = sum / n, m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double dev = z[i] - mean;
        m2 += dev * dev;
        m3 += dev * dev * dev;
        m4 += dev * dev * dev * dev;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    /* moments: mean 0 (se 1/sqrt(n)), variance 1 (se sqrt(2/n)), skewness 0 (se sqrt(6/n)),
     * kurtosis 3 (se sqrt(24/n)) */
    cr_assert_lt(fabs(mean), 5 / sqrt(n), "mean %g", mean);
    cr_assert_lt(fabs(m2 - 1), 5 * sqrt(2.0 / n), "variance %g", m2);
    cr_assert_lt(fabs(m3 / pow(m2, 1.5)), 5 * sqrt(6.0 / n), "skewness %g", m3 / pow(m2, 1.5));
    cr_assert_lt(fabs(m4 / (m2 * m2) - 3), 5 * sqrt(24.0 / n), "kurtosis %g", m4 / (m2 * m2));
    /* the tail's mass: binomial counts against 2 Q(x) */
    double p_r = 2 * gsl_cdf_ugaussian_Q(3.6541528853610088), p_4 = 2 * gsl_cdf_ugaussian_Q(4);
    cr_assert_lt(fabs((double)beyond_r - n * p_r), 5 * sqrt(n * p_r), "beyond R: %zu", beyond_r);
    cr_assert_lt(fabs((double)beyond_4 - n * p_4), 5 * sqrt(n * p_4) + 1, "beyond 4: %zu", beyond_4);
    /* Kolmogorov-Smirnov against Phi: D below the 0.001 level's 1.95 / sqrt(n) */
    qsort(z, n, sizeof *z, compare_doubles);
    double ks = 0;
    for (size_t i = 0; i < n; i++) {
        double f = gsl_cdf_ugaussian_P(z[i]);
        double above = (double)(i + 1) / n - f, below = f - (double)i / n;
        ks = fmax(ks, fmax(above, below));
    }
    cr_assert_lt(ks, 1.95 / sqrt(n), "KS distance %g", ks);
    free(z);
}

Test(rng, normal_fills_equiprobable_bins)
{
    /* 4 million draws into 400 bins of probability 1/400 each (the ziggurat's 256 layers and
     * wedges all show in such a grid): chi-square with 399 degrees of freedom, mean 399 and
     * sd 28.2; 6 sd above is far beyond chance */
    enum { BINS = 400 };
    size_t n = 4000000, counts[BINS] = {0};
    rng_stream r;
    rng_seed(&r, 2026, 7);
    for (size_t i = 0; i < n; i++) {
        double u = gsl_cdf_ugaussian_P(rng_normal(&r));
        size_t bin = (size_t)(u * BINS);
        counts[bin < BINS ? bin : BINS - 1]++;
    }
    double expected = (double)n / BINS, chi2 = 0;
    for (int b = 0; b < BINS; b++)
        chi2 += ((double)counts[b] - expected) * ((double)counts[b] - expected) / expected;
    cr_assert_lt(chi2, 399 + 6 * 28.2, "chi-square %g", chi2);
    cr_assert_gt(chi2, 399 - 6 * 28.2, "chi-square %g: too regular", chi2);
}
