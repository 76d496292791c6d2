/* test_dist.c: distributions: sample moments of every kind against the closed forms, inverse
 * CDFs against GSL's CDFs (round trips, tails), the Gaussian-copula map, and the parser's
 * located errors.
 *
 * Tolerances: sample means within 5 standard errors (sd / sqrt(N)); sample variances within 5
 * standard errors estimated from the sample's own fourth moment, sqrt((m4 - s^4) / N). With
 * fixed seeds the checks are deterministic; 5 SE would fail by chance about once in 1.7
 * million seeds, so a failure means a wrong formula, not bad luck. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "dist.h"
#include "summary.h"
#include "dist_parse.h"
#include "testutil.h"

#define SAMPLES 200000
#define K_SE 5.0

static void check_moments(const dist *x, unsigned long seed)
{
    gsl_set_error_handler_off();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    double sum = 0, lo, hi;
    static double v[SAMPLES];
    dist_support(x, &lo, &hi);
    for (int i = 0; i < SAMPLES; i++) {
        v[i] = dist_sample(x, rng);
        cr_assert(v[i] >= lo && v[i] <= hi, "draw %g outside the support [%g, %g]", v[i], lo, hi);
        sum += v[i];
    }
    gsl_rng_free(rng);
    double mean = sum / SAMPLES, m2 = 0, m4 = 0;
    for (int i = 0; i < SAMPLES; i++) {
        double dev = v[i] - mean;
        m2 += dev * dev;
        m4 += dev * dev * dev * dev;
    }
    double var = m2 / (SAMPLES - 1);
    m4 /= SAMPLES;
    double true_mean, true_var;
    char description[128];
    dist_describe(x, description, sizeof description);
    cr_assert(dist_mean(x, &true_mean), "%s: mean undefined", description);
    cr_assert(dist_variance(x, &true_var), "%s: variance undefined", description);
    double se_mean = sqrt(true_var / SAMPLES);
    cr_assert_leq(fabs(mean - true_mean), K_SE * se_mean, "%s: sample mean %.8g, expected %.8g (SE %.3g)", description,
                  mean, true_mean, se_mean);
    double se_var = sqrt((m4 - var * var) / SAMPLES);
    cr_assert_leq(fabs(var - true_var), K_SE * se_var, "%s: sample variance %.8g, expected %.8g (SE %.3g)",
                  description, var, true_var, se_var);
}

Test(dist, moments_of_every_distribution)
{
    dist x;
    cr_assert_eq(dist_normal(&x, 0.06, 0.015, NULL), DIAG_OK);
    check_moments(&x, 1);
    cr_assert_eq(dist_lognormal(&x, 0.1, 0.25, NULL), DIAG_OK);
    check_moments(&x, 2);
    cr_assert_eq(dist_uniform(&x, 0.03, 0.09, NULL), DIAG_OK);
    check_moments(&x, 3);
    cr_assert_eq(dist_triangular(&x, 0, 0.05, 0.08, NULL), DIAG_OK);
    check_moments(&x, 4);
    cr_assert_eq(dist_triangular(&x, 1, 1, 4, NULL), DIAG_OK); /* mode at the lower bound */
    check_moments(&x, 5);
    cr_assert_eq(dist_truncnormal(&x, 1.2, 0.3, 0.8, 2.0, NULL), DIAG_OK);
    check_moments(&x, 6);
    cr_assert_eq(dist_truncnormal(&x, 0, 1, 0, INFINITY, NULL), DIAG_OK); /* half normal */
    check_moments(&x, 7);
    cr_assert_eq(dist_truncnormal(&x, 0, 1, 2.5, 4, NULL), DIAG_OK); /* window in the upper tail */
    check_moments(&x, 8);
    cr_assert_eq(dist_beta(&x, 2, 5, 0, 1, NULL), DIAG_OK);
    check_moments(&x, 9);
    cr_assert_eq(dist_beta(&x, 0.5, 0.5, -1, 3, NULL), DIAG_OK);
    check_moments(&x, 10);
    cr_assert_eq(dist_student_t(&x, 10, 0.01, 0.02, NULL), DIAG_OK);
    check_moments(&x, 11);
}

Test(dist, closed_form_moments)
{
    dist x;
    double m, v;
    /* half normal: mean sqrt(2/pi), variance 1 - 2/pi */
    dist_truncnormal(&x, 0, 1, 0, INFINITY, NULL);
    cr_assert(dist_mean(&x, &m) && dist_variance(&x, &v));
    cr_assert_float_eq(m, sqrt(2 / M_PI), 1e-14);
    cr_assert_float_eq(v, 1 - 2 / M_PI, 1e-14);
    /* triangular(0, 1, 4): mean 5/3, variance (0 + 16 + 1 - 0 - 0 - 4)/18 = 13/18 */
    dist_triangular(&x, 0, 1, 4, NULL);
    cr_assert(dist_mean(&x, &m) && dist_variance(&x, &v));
    cr_assert_float_eq(m, 5.0 / 3, 1e-15);
    cr_assert_float_eq(v, 13.0 / 18, 1e-15);
    /* Student t: undefined moments */
    dist_student_t(&x, 1, 1, 0, NULL);
    cr_assert_not(dist_mean(&x, &m));
    dist_student_t(&x, 2, 1, 0, NULL);
    cr_assert(dist_mean(&x, &m));
    cr_assert_not(dist_variance(&x, &v));
}

/* The probabilities the round trips use: both tails and the middle. */
static const double levels[] = {1e-12, 1e-6, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1 - 1e-6};

/* The CDF straight from GSL (or a closed form written here), independent of dist.c. */
static double independent_cdf(const dist *x, double v)
{
    switch (x->kind) {
    case DIST_NORMAL:
        return gsl_cdf_gaussian_P(v - x->mean, x->sd);
    case DIST_LOGNORMAL:
        return gsl_cdf_lognormal_P(v, x->mu, x->sigma);
    case DIST_UNIFORM:
        return gsl_cdf_flat_P(v, x->min, x->max);
    case DIST_TRIANGULAR: {
        double a = x->min, c = x->mode, b = x->max;
        return v <= c ? (v - a) * (v - a) / ((b - a) * (c - a)) : 1 - (b - v) * (b - v) / ((b - a) * (b - c));
    }
    case DIST_TRUNCNORMAL: {
        double pa = gsl_cdf_gaussian_P(x->min - x->mean, x->sd), pb = gsl_cdf_gaussian_P(x->max - x->mean, x->sd);
        return (gsl_cdf_gaussian_P(v - x->mean, x->sd) - pa) / (pb - pa);
    }
    case DIST_BETA:
        return gsl_cdf_beta_P((v - x->min) / (x->max - x->min), x->a, x->b);
    case DIST_STUDENT_T:
        return gsl_cdf_tdist_P((v - x->mean) / x->scale, x->df);
    }
    return NAN;
}

static void check_round_trip(const dist *x, double tolerance)
{
    char description[128];
    dist_describe(x, description, sizeof description);
    double previous = -INFINITY;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        double u = levels[i];
        double v = dist_quantile(x, u);
        cr_assert(isfinite(v), "%s: quantile(%g) = %g", description, u, v);
        cr_assert_geq(v, previous, "%s: quantile not increasing at %g", description, u);
        previous = v;
        double back = independent_cdf(x, v);
        /* relative in the smaller tail probability, where precision matters */
        double tail = u < 0.5 ? u : 1 - u, back_tail = u < 0.5 ? back : 1 - back;
        cr_assert_leq(fabs(back_tail - tail), tolerance * tail + 1e-15, "%s: cdf(quantile(%g)) = %.17g", description,
                      u, back);
        cr_assert_leq(fabs(dist_cdf(x, v) - back), 1e-12, "%s: dist_cdf(%g) = %.17g, GSL gives %.17g", description, v,
                      dist_cdf(x, v), back);
    }
}

Test(dist, inverse_cdf_round_trips)
{
    gsl_set_error_handler_off();
    dist x;
    dist_normal(&x, 0.06, 0.015, NULL);
    check_round_trip(&x, 1e-9);
    dist_lognormal(&x, 0.1, 0.25, NULL);
    check_round_trip(&x, 1e-9);
    dist_uniform(&x, 0.03, 0.09, NULL);
    check_round_trip(&x, 1e-9);
    dist_triangular(&x, 0, 0.05, 0.08, NULL);
    check_round_trip(&x, 1e-9);
    dist_truncnormal(&x, 1.2, 0.3, 0.8, 2.0, NULL);
    check_round_trip(&x, 1e-8);
    dist_beta(&x, 2, 5, 0, 1, NULL);
    check_round_trip(&x, 1e-8);
    dist_student_t(&x, 5, 0.01, 0.02, NULL);
    check_round_trip(&x, 1e-8);
    /* the triangular by hand: triangular(0, 1, 4) has F(1) = 1/4 and F(3) = 1 - 1/12 */
    dist_triangular(&x, 0, 1, 4, NULL);
    cr_assert_float_eq(dist_quantile(&x, 0.25), 1.0, 1e-15);
    cr_assert_float_eq(dist_quantile(&x, 11.0 / 12), 3.0, 1e-14);
}

Test(dist, truncated_normal_far_in_a_tail)
{
    /* a window 5 to 6 sd above the mean: Phi(5) rounds to 1 - 3e-7, so a naive inverse CDF
     * would lose six digits; the quantile must stay inside and match the upper-tail CDF */
    dist x;
    cr_assert_eq(dist_truncnormal(&x, 0, 1, 5, 6, NULL), DIAG_OK);
    double qa = gsl_cdf_ugaussian_Q(5), qb = gsl_cdf_ugaussian_Q(6);
    double previous = 5;
    for (int i = 1; i < 100; i++) {
        double u = i / 100.0;
        double v = dist_quantile(&x, u);
        cr_assert(v >= previous && v <= 6, "quantile(%g) = %.17g", u, v);
        previous = v;
        double back = (qa - gsl_cdf_ugaussian_Q(v)) / (qa - qb);
        cr_assert_float_eq(back, u, 1e-9, "cdf(quantile(%g)) = %.17g", u, back);
    }
    /* the same window below the mean */
    cr_assert_eq(dist_truncnormal(&x, 0, 1, -6, -5, NULL), DIAG_OK);
    for (int i = 1; i < 100; i++) {
        double u = i / 100.0;
        double v = dist_quantile(&x, u);
        double pa = gsl_cdf_ugaussian_P(-6), pb = gsl_cdf_ugaussian_P(-5);
        cr_assert_float_eq((gsl_cdf_ugaussian_P(v) - pa) / (pb - pa), u, 1e-9);
    }
}

Test(dist, gaussian_copula_map)
{
    dist x;
    /* normal: exactly mean + sd z; lognormal: exactly exp(mu + sigma z) */
    dist_normal(&x, 1, 2, NULL);
    cr_assert_eq(dist_from_standard_normal(&x, 1.5), 1 + 2 * 1.5);
    dist_lognormal(&x, 0.5, 0.2, NULL);
    cr_assert_eq(dist_from_standard_normal(&x, -0.7), exp(0.5 + 0.2 * -0.7));
    /* others: F^-1(Phi(z)), also in the upper tail where 1 - Phi(z) underflows in u */
    dist_uniform(&x, -1, 1, NULL);
    cr_assert_float_eq(dist_from_standard_normal(&x, 0), 0, 1e-15);
    cr_assert_float_eq(dist_from_standard_normal(&x, 1), -1 + 2 * gsl_cdf_ugaussian_P(1), 1e-14);
    cr_assert_float_eq(dist_from_standard_normal(&x, 9), 1 - 2 * gsl_cdf_ugaussian_Q(9), 1e-15);
    dist_student_t(&x, 4, 1, 0, NULL);
    double v = dist_from_standard_normal(&x, 8);
    cr_assert_float_eq(gsl_cdf_tdist_Q(v, 4), gsl_cdf_ugaussian_Q(8), 1e-9 * gsl_cdf_ugaussian_Q(8));
    dist_truncnormal(&x, 0, 1, -1, 1, NULL);
    cr_assert_leq(dist_from_standard_normal(&x, 40), 1.0);
    cr_assert_geq(dist_from_standard_normal(&x, -40), -1.0);
}

/* Parses `json` as a spec at $.shock; returns the status and keeps the message. */
static int parse(const char *json, dist *x, char *message)
{
    cJSON *spec = cJSON_Parse(json);
    cr_assert_not_null(spec, "bad test JSON %s", json);
    diag d;
    diag_init(&d);
    static const char *const extra[] = {"ar1", NULL};
    int status = dist_parse(spec, "s.json", "$.shock", extra, -1, x, &d);
    strcpy(message, d.message);
    diag_free(&d);
    cJSON_Delete(spec);
    return status;
}

Test(dist, parse_forms)
{
    dist x;
    char message[1024];
    cr_assert_eq(parse("{\"dist\": \"normal\", \"sd\": \"1.5%\", \"ar1\": 0.5, \"note\": \"n\"}", &x, message), DIAG_OK,
                 "%s", message);
    cr_assert_eq(x.kind, DIST_NORMAL);
    cr_assert_float_eq(x.sd, 0.015, 1e-17);
    cr_assert_eq(x.mean, 0); /* mean defaults to 0 */
    /* lognormal by the value's mean and sd: the result has that mean and sd */
    cr_assert_eq(parse("{\"dist\": \"lognormal\", \"mean\": 1.2, \"sd\": 0.3}", &x, message), DIAG_OK, "%s", message);
    double m, v;
    dist_mean(&x, &m);
    dist_variance(&x, &v);
    cr_assert_float_eq(m, 1.2, 1e-14);
    cr_assert_float_eq(sqrt(v), 0.3, 1e-14);
    cr_assert_eq(parse("{\"dist\": \"t\", \"df\": 5}", &x, message), DIAG_OK, "%s", message);
    cr_assert_eq(x.kind, DIST_STUDENT_T);
    cr_assert_eq(x.scale, 1);
    cr_assert_eq(parse("{\"dist\": \"truncnormal\", \"mean\": 1.2, \"sd\": 0.3, \"min\": 0}", &x, message), DIAG_OK);
    cr_assert(isinf(x.max));
    cr_assert_eq(parse("{\"dist\": \"beta\", \"a\": 2, \"b\": 3}", &x, message), DIAG_OK);
    cr_assert_eq(x.min, 0);
    cr_assert_eq(x.max, 1);
    /* a default kind for {"min", "max"} */
    cJSON *spec = cJSON_Parse("{\"min\": 0.03, \"max\": 0.09}");
    diag d;
    diag_init(&d);
    cr_assert_eq(dist_parse(spec, "s.json", "$.p", NULL, DIST_UNIFORM, &x, &d), DIAG_OK);
    cr_assert_eq(x.kind, DIST_UNIFORM);
    cr_assert_eq(dist_parse(spec, "s.json", "$.p", NULL, -1, &x, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "s.json: $.p: error: missing \"dist\""), "%s", d.message);
    diag_free(&d);
    cJSON_Delete(spec);
    /* the canonical JSON form */
    dist_normal(&x, 0, 0.015, NULL);
    cJSON *json = summary_dist(&x);
    char *text = cJSON_PrintUnformatted(json);
    cr_assert_str_eq(text, "{\"dist\":\"normal\",\"mean\":0,\"sd\":0.015}");
    cJSON_free(text);
    cJSON_Delete(json);
}

Test(dist, parse_errors_are_located)
{
    dist x;
    char message[1024];
    cr_assert_eq(parse("{\"dist\": \"normall\", \"sd\": 1}", &x, message), DIAG_DATA);
    cr_assert_str_eq(message, "s.json: $.shock.dist: error: unknown distribution \"normall\" (did you mean \"normal\"?)");
    cr_assert_eq(parse("{\"dist\": \"cauchy\", \"sd\": 1}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "unknown distribution \"cauchy\": use normal, lognormal"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"normal\", \"sd\": 0}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "s.json: $.shock: error: the normal distribution needs a finite mean and sd > 0"), "%s",
              message);
    cr_assert_eq(parse("{\"dist\": \"normal\", \"sd\": -0.1}", &x, message), DIAG_DATA);
    cr_assert_eq(parse("{\"dist\": \"normal\"}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "the normal distribution needs \"sd\" (it takes mean, sd)"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"uniform\", \"min\": 2, \"max\": 1}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "min < max"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"uniform\", \"min\": 1, \"max\": 1}", &x, message), DIAG_DATA);
    cr_assert_eq(parse("{\"dist\": \"triangular\", \"min\": 0, \"mode\": 5, \"max\": 1}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "mode 5 is outside [min, max] = [0, 1]"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"uniform\", \"min\": 0, \"max\": 1, \"sd\": 1}", &x, message), DIAG_DATA);
    cr_assert_str_eq(message, "s.json: $.shock.sd: error: \"sd\" is not a parameter of the uniform distribution "
                              "(it takes min, max)");
    cr_assert_eq(parse("{\"dist\": \"normal\", \"sd\": 1, \"ar\": 0.5}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "$.shock.ar: error: unknown key \"ar\""), "%s", message);
    cr_assert(strstr(message, "did you mean \"ar1\""), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"normal\", \"sd\": true}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "$.shock.sd: error: \"sd\" must be a finite number"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"beta\", \"a\": 0, \"b\": 1}", &x, message), DIAG_DATA);
    cr_assert_eq(parse("{\"dist\": \"student_t\", \"df\": -1}", &x, message), DIAG_DATA);
    cr_assert_eq(parse("{\"dist\": \"truncnormal\", \"mean\": 0, \"sd\": 1}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "needs \"min\", \"max\" or both"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"truncnormal\", \"mean\": 0, \"sd\": 1, \"min\": 40, \"max\": 41}", &x, message),
                 DIAG_DATA);
    cr_assert(strstr(message, "almost no probability"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"lognormal\", \"mu\": 0, \"sigma\": 1, \"mean\": 1}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "not both"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"lognormal\", \"mean\": -1, \"sd\": 1}", &x, message), DIAG_DATA);
    cr_assert_eq(parse("[1, 2]", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "must be an object"), "%s", message);
    /* each parameter fine on its own, yet no draw would be a finite number */
    cr_assert_eq(parse("{\"dist\": \"beta\", \"a\": 1e-300, \"b\": 2}", &x, message), DIAG_DATA);
    cr_assert_str_eq(message, "s.json: $.shock: error: this beta distribution cannot be sampled: its 1e-09 quantile is "
                              "not a number, so draws would not be finite numbers (check the size of its parameters)");
    cr_assert_eq(parse("{\"dist\": \"t\", \"df\": 1e300}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "this student_t distribution cannot be sampled"), "%s", message);
    cr_assert_eq(parse("{\"dist\": \"normal\", \"sd\": 1e308}", &x, message), DIAG_DATA);
    cr_assert(strstr(message, "quantile is infinite"), "%s", message);
    /* large but usable parameters still parse */
    cr_assert_eq(parse("{\"dist\": \"t\", \"df\": 1e6, \"scale\": 0.01}", &x, message), DIAG_OK, "%s", message);
    cr_assert_eq(parse("{\"dist\": \"beta\", \"a\": 0.5, \"b\": 0.5}", &x, message), DIAG_OK, "%s", message);
}
