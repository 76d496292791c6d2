/* test_ensemble.c: uncertainty ensembles against closed forms, with fixed seeds.
 *
 * The test model: x = a + b z (a = 10, b = 2 parameters; z exogenous, 0 by default) and
 * y = y[-1] * growth_factor (y = 100 in 2023), over 2024-2026, plus spare exogenous series
 * u, v, w (correlations) and c, whose model range [-1, 1] clamps its shocks.
 *
 * Tolerances are 5 standard errors of the statistic at the given number of paths: for a
 * sample p-quantile sqrt(p (1 - p) / N) / f(x_p) (f the density), for a probability
 * sqrt(P (1 - P) / N), for a mean sd / sqrt(N), for an sd sd / sqrt(2 N), for a correlation
 * (1 - rho^2) / sqrt(N). With fixed seeds the results are deterministic; a failure means a
 * wrong ensemble, not bad luck. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ensemble.h"
#include "ensemble_write.h"
#include "goals.h"
#include "mem.h"
#include "run.h"
#include "summary.h"
#include "goals_load.h"
#include "ensemble_load.h"
#include "testutil.h"

#define K_SE 5.0

static const char *model_json =
    "{\"name\": \"ens\","
    " \"parameters\": {\"a\": {\"value\": 10, \"min\": -1000, \"max\": 1000},"
    "                  \"b\": {\"value\": 2, \"min\": -100, \"max\": 100}},"
    " \"exogenous\": {\"z\": {\"value\": 0, \"min\": -100, \"max\": 100},"
    "                 \"u\": {\"value\": 0, \"min\": -100, \"max\": 100},"
    "                 \"v\": {\"value\": 0, \"min\": -100, \"max\": 100},"
    "                 \"w\": {\"value\": 0, \"min\": -100, \"max\": 100},"
    "                 \"c\": {\"value\": 0, \"min\": -1, \"max\": 1},"
    "                 \"growth_factor\": {\"value\": 1, \"min\": 0, \"max\": 10}},"
    " \"variables\": {\"x\": {\"eq\": \"a + b * z\"},"
    "                 \"y\": {\"eq\": \"y[-1] * growth_factor\", \"unit\": \"亿元\"}}}";

/* A scenario over the test model with `extra` (JSON members, starting with a comma). */
static const char *write_scenario(const char *name, const char *extra)
{
    testutil_write("ens-model.json", model_json);
    char text[8192];
    snprintf(text, sizeof text,
             "{\"name\": \"ens\", \"model\": \"ens-model.json\", \"start\": 2024, \"end\": 2026,"
             " \"initial\": {\"y\": {\"2023\": 100}}%s}",
             extra);
    return testutil_write(name, text);
}

static ensemble_spec *load_spec(const run *r, size_t paths)
{
    diag d;
    diag_init(&d);
    ensemble_spec *spec = NULL;
    cr_assert_eq(ensemble_load(r, paths, 0, 0, &spec, &d), DIAG_OK, "%s", d.message);
    cr_assert_not_null(spec);
    diag_free(&d);
    return spec;
}

static ensemble_result *run_ensemble(const ensemble_spec *spec, const run *r, goals_set *goals, int threads)
{
    diag d;
    diag_init(&d);
    ensemble_result *result = NULL;
    cr_assert_eq(ensemble_run(spec, r, goals, threads, NULL, &result, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return result;
}

static const ensemble_cell *cell(const ensemble_result *result, const run *r, const char *name, int year)
{
    const ensemble_cell *c = ensemble_find(result, model_find(r->model, name), year);
    cr_assert_not_null(c, "no cell %s %d", name, year);
    return c;
}

/* Checks the quantiles, mean and sd of a cell against normal(mean, sd). */
static void check_normal_cell(const ensemble_cell *c, double mean, double sd, size_t n, const char *what)
{
    for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
        double p = ensemble_quantile_levels[q];
        double z = gsl_cdf_ugaussian_Pinv(p);
        double expected = mean + sd * z;
        double density = gsl_ran_ugaussian_pdf(z) / sd;
        double se = sqrt(p * (1 - p) / (double)n) / density;
        cr_assert_leq(fabs(c->quantile[q] - expected), K_SE * se, "%s: p%02.0f = %.10g, expected %.10g (SE %.3g)",
                      what, 100 * p, c->quantile[q], expected, se);
    }
    cr_assert_leq(fabs(c->mean - mean), K_SE * sd / sqrt((double)n), "%s: mean %.10g", what, c->mean);
    cr_assert_leq(fabs(c->sd - sd), K_SE * sd / sqrt(2.0 * (double)n), "%s: sd %.10g", what, c->sd);
    /* quantiles are ordered */
    for (int q = 1; q < ENSEMBLE_QUANTILES; q++)
        cr_assert_leq(c->quantile[q - 1], c->quantile[q]);
}

Test(ensemble, linear_model_quantiles_are_normal_quantiles)
{
    const char *path = write_scenario("linear.json", ", \"uncertainty\": {\"paths\": 200000, \"seed\": 5,"
                                                     " \"shocks\": {\"z\": {\"dist\": \"normal\", \"sd\": 1}}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    cr_assert_eq(spec->paths, 200000);
    cr_assert_eq(spec->seed, 5);
    ensemble_result *result = run_ensemble(spec, r, NULL, 0);
    /* x = 10 + 2 z, z ~ N(0, 1) drawn each year */
    for (int year = 2024; year <= 2026; year++) {
        char what[32];
        snprintf(what, sizeof what, "x %d", year);
        const ensemble_cell *c = cell(result, r, "x", year);
        cr_assert(c->varies);
        check_normal_cell(c, 10, 2, result->paths, what);
        snprintf(what, sizeof what, "z %d", year);
        check_normal_cell(cell(result, r, "z", year), 0, 1, result->paths, what);
    }
    /* y does not depend on a shock: the deterministic value, sd 0 */
    const ensemble_cell *y = cell(result, r, "y", 2026);
    cr_assert_not(y->varies);
    cr_assert_eq(y->mean, 100);
    cr_assert_eq(y->sd, 0);
    cr_assert_eq(y->quantile[0], 100);
    cr_assert_eq(result->draws[0], 200000 * 3);
    ensemble_result_free(result);
    ensemble_spec_free(spec);
    run_free(r);
}

/* Reads a, z in every year for the parameter test. */
typedef struct lanes_seen {
    const run *r;
    size_t violations;   /* lanes where a differs between years */
    size_t z_same;       /* lanes where z is the same in 2024 and 2025 */
} lanes_seen;

static int check_lanes(void *context, engine_block *block)
{
    lanes_seen *seen = context;
    const sim_plan *plan = seen->r->plan;
    size_t a = (size_t)model_find(seen->r->model, "a"), z = (size_t)model_find(seen->r->model, "z");
    size_t t24 = (size_t)sim_plan_year_index(plan, 2024), t25 = t24 + 1;
    for (size_t l = 0; l < block->lanes; l++) {
        double first = block->values[(a * plan->years) * block->lanes + l];
        for (size_t t = 0; t < plan->years; t++)
            if (block->values[(a * plan->years + t) * block->lanes + l] != first)
                seen->violations++;
        if (block->values[(z * plan->years + t24) * block->lanes + l] ==
            block->values[(z * plan->years + t25) * block->lanes + l])
            seen->z_same++;
    }
    return DIAG_OK;
}

Test(ensemble, parameter_shock_is_drawn_once_per_path)
{
    const char *path = write_scenario("param.json", ", \"uncertainty\": {\"paths\": 100000, \"seed\": 3, \"shocks\": {"
                                                    " \"a\": {\"dist\": \"normal\", \"sd\": 3},"
                                                    " \"z\": {\"dist\": \"normal\", \"sd\": 1}}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *result = run_ensemble(spec, r, NULL, 2);
    /* x = (10 + 3 e) + 2 z: normal with variance 9 + 4 */
    check_normal_cell(cell(result, r, "x", 2025), 10, sqrt(13), result->paths, "x 2025");
    lanes_seen seen = {r, 0, 0};
    diag d;
    diag_init(&d);
    cr_assert_eq(ensemble_simulate(spec, r, 2, NULL, check_lanes, &seen, NULL, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(seen.violations, 0, "a parameter holds one value in every year of a path");
    cr_assert_eq(seen.z_same, 0, "an exogenous series is drawn anew each year");
    diag_free(&d);
    ensemble_result_free(result);
    ensemble_spec_free(spec);
    run_free(r);
}

Test(ensemble, goal_probability_under_lognormal_growth)
{
    /* y(2026) = 100 g1 g2 g3 with log g ~ N(0.05, 0.1^2): log y ~ N(log 100 + 0.15, 0.03), so
     * P(y >= 120) = 1 - Phi((log 1.2 - 0.15) / sqrt(0.03)) and E y = 100 exp(3 (0.05 + 0.005)) */
    const char *path = write_scenario(
        "lognormal.json",
        ", \"goals\": [{\"id\": \"y-120\", \"variable\": \"y\", \"year\": 2026, \"target\": 120},"
        "              {\"id\": \"y-at-most-95\", \"variable\": \"y\", \"year\": 2025, \"target\": 95,"
        "               \"direction\": \"at_most\"}],"
        " \"uncertainty\": {\"paths\": 100000, \"seed\": 9, \"shocks\": {\"growth_factor\":"
        "   {\"dist\": \"lognormal\", \"mu\": 0.05, \"sigma\": 0.1, \"apply\": \"replace\"}}}");
    run *r = testutil_load_run(path);
    diag d;
    diag_init(&d);
    goals_set *goals = goals_load(r, &d);
    cr_assert_not_null(goals, "%s", d.message);
    cr_assert_eq(goals_evaluate(goals, r, &d), DIAG_OK, "%s", d.message);
    cr_assert(isnan(goals->results[0].probability), "NaN before an ensemble");
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *result = run_ensemble(spec, r, goals, 0);
    size_t n = result->paths;
    double p = 1 - gsl_cdf_ugaussian_P((log(1.2) - 0.15) / sqrt(0.03));
    double se = sqrt(p * (1 - p) / (double)n);
    cr_assert_leq(fabs(result->goal_probability[0] - p), K_SE * se, "P(y 2026 >= 120) = %.5f, closed form %.5f",
                  result->goal_probability[0], p);
    cr_assert_eq(goals->results[0].probability, result->goal_probability[0]);
    /* at most 95 in 2025: log y ~ N(log 100 + 0.1, 0.02) */
    double p2 = gsl_cdf_ugaussian_P((log(0.95) - 0.1) / sqrt(0.02));
    cr_assert_leq(fabs(result->goal_probability[1] - p2), K_SE * sqrt(p2 * (1 - p2) / (double)n),
                  "P(y 2025 <= 95) = %.5f, closed form %.5f", result->goal_probability[1], p2);
    double mean = 100 * exp(3 * (0.05 + 0.005));
    double sd = 100 * exp(0.15 + 0.015) * sqrt(expm1(0.03));
    const ensemble_cell *y = cell(result, r, "y", 2026);
    cr_assert_leq(fabs(y->mean - mean), K_SE * sd / sqrt((double)n), "E y = %.6g, closed form %.6g", y->mean, mean);
    /* the median of a lognormal: exp(mean of the log) */
    double median = 100 * exp(0.15), density = gsl_ran_lognormal_pdf(median, log(100) + 0.15, sqrt(0.03));
    cr_assert_leq(fabs(y->quantile[3] - median), K_SE * sqrt(0.25 / (double)n) / density, "median %.6g vs %.6g",
                  y->quantile[3], median);
    ensemble_result_free(result);
    ensemble_spec_free(spec);
    goals_free(goals);
    diag_free(&d);
    run_free(r);
}

/* ensemble.csv in memory. */
static char *csv_text(const ensemble_result *result, const run *r, size_t *length)
{
    char *buffer = NULL;
    FILE *f = open_memstream(&buffer, length);
    cr_assert_not_null(f);
    ensemble_write_csv(f, result, r);
    fclose(f);
    return buffer;
}

Test(ensemble, identical_outputs_for_one_and_two_threads)
{
    const char *path = write_scenario(
        "threads.json", ", \"goals\": [{\"id\": \"x-goal\", \"variable\": \"x\", \"year\": 2025, \"target\": 11}],"
                        " \"uncertainty\": {\"paths\": 30001, \"seed\": 77, \"shocks\": {"
                        " \"z\": {\"dist\": \"student_t\", \"df\": 4, \"scale\": 0.5, \"ar1\": 0.4},"
                        " \"a\": {\"dist\": \"triangular\", \"min\": -1, \"mode\": 0, \"max\": 2},"
                        " \"growth_factor\": {\"dist\": \"uniform\", \"min\": 0.9, \"max\": 1.2, \"apply\": \"multiply\"}},"
                        " \"correlation\": {\"names\": [\"z\", \"growth_factor\"], \"matrix\": [[1, 0.3], [0.3, 1]]}}");
    run *r = testutil_load_run(path);
    diag d;
    diag_init(&d);
    goals_set *goals = goals_load(r, &d);
    cr_assert_not_null(goals, "%s", d.message);
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *one = run_ensemble(spec, r, goals, 1);
    double p_one = goals->results[0].probability;
    ensemble_result *two = run_ensemble(spec, r, goals, 2);
    ensemble_result *three = run_ensemble(spec, r, goals, 3);
    cr_assert_eq(goals->results[0].probability, p_one);
    size_t len_one, len_two, len_three;
    char *text_one = csv_text(one, r, &len_one), *text_two = csv_text(two, r, &len_two),
         *text_three = csv_text(three, r, &len_three);
    cr_assert_eq(len_one, len_two);
    cr_assert_eq(memcmp(text_one, text_two, len_one), 0, "ensemble.csv differs between 1 and 2 threads");
    cr_assert_eq(len_one, len_three);
    cr_assert_eq(memcmp(text_one, text_three, len_one), 0);
    cr_assert(strstr(text_one, "scenario,variable,year,mean,sd,p05,p10,p25,p50,p75,p90,p95\r\nens,z,2024,"),
              "%.200s", text_one);
    cr_assert_eq(one->goal_probability[0], two->goal_probability[0]);
    /* more paths extend the ensemble: the first 30001 paths are the same paths */
    free(text_one);
    free(text_two);
    free(text_three);
    ensemble_result_free(one);
    ensemble_result_free(two);
    ensemble_result_free(three);
    ensemble_spec_free(spec);
    goals_free(goals);
    diag_free(&d);
    run_free(r);
}

Test(ensemble, two_passes_on_one_thread_flush_their_counts)
{
    /* 200000 paths on one thread: 782 blocks, so the 16-bit counts of pass 1 are added to the
     * full histograms three times during the pass (every 255 blocks) and once at its end;
     * cells that cross zero (z), cluster within 1e-6 of it (c), grow (y), and one whose
     * floats are all 0.5 (w: 200000 counts in one bucket, more than 16 bits hold, so a
     * missing flush would wrap them): the streaming passes give the in-memory bytes */
    const char *path = write_scenario("flush.json", ", \"uncertainty\": {\"paths\": 200000, \"seed\": 3, \"shocks\": {"
                                                    " \"z\": {\"dist\": \"normal\", \"sd\": 1},"
                                                    " \"c\": {\"dist\": \"normal\", \"sd\": 1e-6},"
                                                    " \"w\": {\"dist\": \"normal\", \"mean\": 0.5, \"sd\": 1e-12},"
                                                    " \"growth_factor\": {\"dist\": \"normal\", \"sd\": 0.05}}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *single = run_ensemble(spec, r, NULL, 1);
    cr_assert_eq(single->passes, 1);
    setenv("ECONSIM_MEMORY_MB", "8", 1); /* the store takes 14 MB; w gathers all of its values */
    ensemble_result *several = run_ensemble(spec, r, NULL, 1);
    unsetenv("ECONSIM_MEMORY_MB");
    cr_assert_eq(several->passes, 2, "%zu passes", several->passes);
    cr_assert_eq(single->cell_count, several->cell_count);
    cr_assert_eq(memcmp(single->cells, several->cells, single->cell_count * sizeof *single->cells), 0);
    /* and the quantiles are the normal's: the median of z near 0, its p95 near 1.645 */
    const ensemble_cell *z = cell(several, r, "z", 2025);
    cr_assert_lt(fabs(z->quantile[3]), 0.01, "median %g", z->quantile[3]);
    cr_assert_lt(fabs(z->quantile[6] - 1.6449), 0.02, "p95 %g", z->quantile[6]);
    const ensemble_cell *w = cell(several, r, "w", 2025);
    cr_assert_eq(w->quantile[0], 0.5);
    cr_assert_eq(w->quantile[6], 0.5);
    ensemble_result_free(single);
    ensemble_result_free(several);
    ensemble_spec_free(spec);
    run_free(r);
}

Test(ensemble, two_passes_give_the_same_results)
{
    /* 100000 paths: 400 KB a cell; a budget of 3 MB cannot store them: two streaming passes
     * (histograms, then the values near each quantile), with the same bytes as in memory */
    const char *path = write_scenario("passes.json", ", \"uncertainty\": {\"paths\": 100000, \"seed\": 1, \"shocks\": {"
                                                     " \"z\": {\"dist\": \"normal\", \"sd\": 1, \"ar1\": 0.9},"
                                                     " \"growth_factor\": {\"dist\": \"normal\", \"sd\": 0.05}}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *single = run_ensemble(spec, r, NULL, 2);
    cr_assert_eq(single->passes, 1);
    setenv("ECONSIM_MEMORY_MB", "3", 1);
    ensemble_result *several = run_ensemble(spec, r, NULL, 2);
    unsetenv("ECONSIM_MEMORY_MB");
    cr_assert_eq(several->passes, 2, "%zu passes", several->passes);
    cr_assert_lt(several->stored_bytes, single->stored_bytes / 10);
    cr_assert_eq(single->cell_count, several->cell_count);
    cr_assert_eq(memcmp(single->cells, several->cells, single->cell_count * sizeof *single->cells), 0);
    ensemble_result_free(single);
    ensemble_result_free(several);
    /* a budget too small even for the streaming passes' histograms and block sums: refused up
     * front, saying how much it needs */
    setenv("ECONSIM_MEMORY_MB", "1", 1);
    ensemble_spec_free(spec);
    spec = load_spec(r, 1000000);
    diag d;
    diag_init(&d);
    ensemble_result *result = NULL;
    cr_assert_eq(ensemble_run(spec, r, NULL, 1, NULL, &result, &d), DIAG_SOFTWARE);
    unsetenv("ECONSIM_MEMORY_MB");
    cr_assert_null(result);
    cr_assert(strstr(d.message, "the ensemble of 1000000 paths"), "%s", d.message);
    cr_assert(strstr(d.message, "needs 2 MB, above the memory budget of 1 MB"), "%s", d.message);
    diag_free(&d);
    ensemble_spec_free(spec);
    run_free(r);
}

/* Collects u, v, w in 2024 and u, w in 2025 for the correlation test. */
typedef struct draws {
    const run *r;
    double *u24, *v24, *w24, *u25, *w25;
} draws;

static int collect(void *context, engine_block *block)
{
    draws *dr = context;
    const sim_plan *plan = dr->r->plan;
    const model *m = dr->r->model;
    size_t t = (size_t)sim_plan_year_index(plan, 2024);
    struct {
        const char *name;
        size_t t;
        double *out;
    } wanted[] = {{"u", t, dr->u24}, {"v", t, dr->v24}, {"w", t, dr->w24}, {"u", t + 1, dr->u25}, {"w", t + 1, dr->w25}};
    for (size_t k = 0; k < 5; k++) {
        size_t slot = (size_t)model_find(m, wanted[k].name);
        const double *lane = block->values + (slot * plan->years + wanted[k].t) * block->lanes;
        for (size_t l = 0; l < block->lanes; l++)
            wanted[k].out[block->first + l] = lane[l];
    }
    return DIAG_OK;
}

static double correlation(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

static void check_correlation(double got, double rho, size_t n, const char *what)
{
    double se = (1 - rho * rho) / sqrt((double)n);
    cr_assert_leq(fabs(got - rho), K_SE * se, "%s: %.5f, expected %.5f (SE %.3g)", what, got, rho, se);
}

Test(ensemble, cholesky_correlation_and_ar1)
{
    /* names in another order than the shocks: the factor lands on the right rows */
    const char *path = write_scenario(
        "correlation.json", ", \"uncertainty\": {\"paths\": 100000, \"seed\": 21, \"shocks\": {"
                            " \"u\": {\"dist\": \"normal\", \"sd\": 2, \"ar1\": 0.6},"
                            " \"v\": {\"dist\": \"normal\", \"sd\": 1},"
                            " \"w\": {\"dist\": \"normal\", \"sd\": 0.5}},"
                            " \"correlation\": {\"names\": [\"w\", \"u\"], \"matrix\": [[1, -0.5], [-0.5, 1]]}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    size_t n = spec->paths;
    draws dr = {r, calloc(n, sizeof(double)), calloc(n, sizeof(double)), calloc(n, sizeof(double)),
                calloc(n, sizeof(double)), calloc(n, sizeof(double))};
    diag d;
    diag_init(&d);
    cr_assert_eq(ensemble_simulate(spec, r, 2, NULL, collect, &dr, NULL, &d), DIAG_OK, "%s", d.message);
    check_correlation(correlation(dr.u24, dr.w24, n), -0.5, n, "corr(u, w) 2024");
    check_correlation(correlation(dr.u24, dr.v24, n), 0, n, "corr(u, v) 2024");
    check_correlation(correlation(dr.v24, dr.w24, n), 0, n, "corr(v, w) 2024");
    check_correlation(correlation(dr.u24, dr.u25, n), 0.6, n, "autocorrelation of u");
    check_correlation(correlation(dr.w24, dr.w25, n), 0, n, "autocorrelation of w (no ar1)");
    /* in later years the innovations carry the correlation: sqrt(1 - 0.6^2) * -0.5 = -0.4 */
    check_correlation(correlation(dr.u25, dr.w25, n), -0.4, n, "corr(u, w) 2025");
    /* the implied matrix in summary.json is the one given */
    ensemble_result *result = run_ensemble(spec, r, NULL, 1);
    check_normal_cell(cell(result, r, "u", 2026), 0, 2, n, "u 2026 (stationary AR(1) keeps sd)");
    cJSON *json = summary_ensemble(result, spec, r, NULL);
    cJSON *matrix = cJSON_GetObjectItem(cJSON_GetObjectItem(json, "correlation"), "matrix");
    cr_assert_float_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(matrix, 0), 2)->valuedouble, -0.5, 1e-12);
    cr_assert_float_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(matrix, 1), 2)->valuedouble, 0, 1e-12);
    cr_assert_float_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(matrix, 2), 2)->valuedouble, 1, 1e-12);
    cJSON_Delete(json);
    ensemble_result_free(result);
    free(dr.u24);
    free(dr.v24);
    free(dr.w24);
    free(dr.u25);
    free(dr.w25);
    diag_free(&d);
    ensemble_spec_free(spec);
    run_free(r);
}

Test(ensemble, ar1_keeps_non_normal_marginals_exact)
{
    /* u ~ uniform(-1, 1) every year, ar1 0.7 through the Gaussian copula: quartiles -0.5, 0.5 */
    const char *path = write_scenario("copula.json", ", \"uncertainty\": {\"paths\": 100000, \"seed\": 4, \"shocks\": {"
                                                     " \"u\": {\"dist\": \"uniform\", \"min\": -1, \"max\": 1, \"ar1\": 0.7}}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *result = run_ensemble(spec, r, NULL, 0);
    size_t n = result->paths;
    for (int year = 2024; year <= 2026; year++) {
        const ensemble_cell *c = cell(result, r, "u", year);
        for (int q = 0; q < ENSEMBLE_QUANTILES; q++) {
            double p = ensemble_quantile_levels[q];
            double se = sqrt(p * (1 - p) / (double)n) / 0.5;
            cr_assert_leq(fabs(c->quantile[q] - (-1 + 2 * p)), K_SE * se, "u %d p%.0f = %.6f", year, 100 * p,
                          c->quantile[q]);
        }
        cr_assert_leq(fabs(c->sd - sqrt(1.0 / 3)), K_SE * sqrt((1.0 / 5 - 1.0 / 9) / (double)n) / (2 * sqrt(1.0 / 3)));
    }
    ensemble_result_free(result);
    ensemble_spec_free(spec);
    run_free(r);
}

Test(ensemble, draws_outside_the_model_range_are_clamped_and_reported)
{
    const char *path = write_scenario("clamp.json", ", \"uncertainty\": {\"paths\": 50000, \"seed\": 2, \"shocks\": {"
                                                    " \"c\": {\"dist\": \"normal\", \"sd\": 1}}}");
    run *r = testutil_load_run(path);
    ensemble_spec *spec = load_spec(r, 0);
    ensemble_result *result = run_ensemble(spec, r, NULL, 2);
    double share = (double)result->clamped[0] / (double)result->draws[0], p = 2 * gsl_cdf_ugaussian_Q(1);
    cr_assert_leq(fabs(share - p), K_SE * sqrt(p * (1 - p) / (double)result->draws[0]), "clamped share %.4f", share);
    cr_assert_eq(cell(result, r, "c", 2025)->quantile[0], -1);
    cr_assert_eq(cell(result, r, "c", 2025)->quantile[6], 1);
    diag d;
    diag_init(&d);
    ensemble_add_warnings(result, spec, r, &d);
    cr_assert_eq(d.warning_count, 1);
    cr_assert(strstr(d.warnings[0], "$.uncertainty.shocks.c: "), "%s", d.warnings[0]);
    cr_assert(strstr(d.warnings[0], "fell outside [-1, 1], the model's range for c, and were clamped"), "%s",
              d.warnings[0]);
    diag_free(&d);
    ensemble_result_free(result);
    ensemble_spec_free(spec);
    run_free(r);
}

Test(ensemble, no_block_no_ensemble_and_paths_without_a_block)
{
    const char *path = write_scenario("plain.json", "");
    run *r = testutil_load_run(path);
    diag d;
    diag_init(&d);
    ensemble_spec *spec = (ensemble_spec *)1;
    cr_assert_eq(ensemble_load(r, 0, 0, 0, &spec, &d), DIAG_OK);
    cr_assert_null(spec, "neither a block nor --paths: no ensemble");
    cr_assert_eq(ensemble_load(r, 500, 1, 42, &spec, &d), DIAG_OK);
    cr_assert_not_null(spec);
    cr_assert_eq(spec->paths, 500);
    cr_assert_eq(spec->seed, 42);
    cr_assert_eq(spec->shock_count, 0);
    cr_assert_eq(d.warning_count, 1);
    cr_assert(strstr(d.warnings[0], "every path equals the deterministic path"), "%s", d.warnings[0]);
    ensemble_result *result = run_ensemble(spec, r, NULL, 1);
    cr_assert_eq(cell(result, r, "x", 2026)->sd, 0);
    cr_assert_eq(cell(result, r, "x", 2026)->quantile[0], 10);
    ensemble_result_free(result);
    ensemble_spec_free(spec);
    diag_free(&d);
    run_free(r);
}

/* Loads a scenario with the given uncertainty block and returns ensemble_load's status;
 * the message goes to message. */
static int load_error(const char *block, char *message, size_t size)
{
    char extra[4096];
    snprintf(extra, sizeof extra, ", \"uncertainty\": %s", block);
    const char *path = write_scenario("bad.json", extra);
    run *r = testutil_load_run(path);
    diag d;
    diag_init(&d);
    ensemble_spec *spec = NULL;
    int status = ensemble_load(r, 0, 0, 0, &spec, &d);
    cr_assert(status != DIAG_OK || spec);
    snprintf(message, size, "%s", d.message);
    ensemble_spec_free(spec);
    diag_free(&d);
    run_free(r);
    return status;
}

#define EXPECT_ERROR(block, text)                                                                                  \
    do {                                                                                                           \
        char message[1024];                                                                                        \
        cr_assert_eq(load_error(block, message, sizeof message), DIAG_DATA, "accepted: %s", block);                \
        cr_assert(strstr(message, text), "message: %s\nexpected: %s", message, text);                              \
        cr_assert(strstr(message, "bad.json: $.uncertainty"), "not located: %s", message);                        \
    } while (0)

Test(ensemble, bad_blocks_are_located_errors)
{
    EXPECT_ERROR("{\"shocks\": {\"z\": {\"dist\": \"normall\", \"sd\": 1}}}",
                 "$.uncertainty.shocks.z.dist: error: unknown distribution \"normall\" (did you mean \"normal\"?)");
    EXPECT_ERROR("{\"path\": 100}", "$.uncertainty.path: error: unknown key \"path\"");
    EXPECT_ERROR("{\"path\": 100}", "did you mean \"paths\"");
    EXPECT_ERROR("{\"paths\": 0}", "$.uncertainty.paths: error: \"paths\" must be a whole number from 2 to 100000000");
    EXPECT_ERROR("{\"paths\": 1}", "(quantiles need at least two paths)");
    EXPECT_ERROR("{\"paths\": 1.5}", "\"paths\" must be a whole number");
    EXPECT_ERROR("{\"seed\": -1}", "$.uncertainty.seed: error:");
    EXPECT_ERROR("{\"shocks\": {\"zz\": {\"dist\": \"normal\", \"sd\": 1}}}",
                 "$.uncertainty.shocks.zz: error: shock on unknown name \"zz\" (did you mean \"z\"?)");
    EXPECT_ERROR("{\"shocks\": {\"x\": {\"dist\": \"normal\", \"sd\": 1}}}",
                 "\"x\" is a variable computed by its equation");
    EXPECT_ERROR("{\"shocks\": {\"a\": {\"dist\": \"normal\", \"sd\": 1, \"ar1\": 0.5}}}",
                 "$.uncertainty.shocks.a.ar1: error: \"a\" is a parameter, drawn once per path");
    EXPECT_ERROR("{\"shocks\": {\"z\": {\"dist\": \"normal\", \"sd\": 1, \"ar1\": 1}}}", "\"ar1\" must be a number in [0, 1)");
    EXPECT_ERROR("{\"shocks\": {\"z\": {\"dist\": \"normal\", \"sd\": 1, \"apply\": \"ad\"}}}",
                 "unknown apply \"ad\" (did you mean \"add\"?)");
    EXPECT_ERROR("{\"shocks\": {\"z\": {\"dist\": \"normal\", \"sd\": 0}}}", "sd > 0");
    EXPECT_ERROR("{\"shocks\": [1]}", "\"shocks\" must be an object");
    /* correlation matrices */
    const char *shocks = "\"shocks\": {\"u\": {\"dist\": \"normal\", \"sd\": 1}, \"v\": {\"dist\": \"normal\", \"sd\": 1},"
                         " \"w\": {\"dist\": \"normal\", \"sd\": 1}}";
    char block[2048];
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrix\": [[1, 0.2, 0], [0.2, 1, 0], [0, 0, 1]]}}", shocks);
    EXPECT_ERROR(block, "$.uncertainty.correlation.matrix: error: the matrix has 3 rows for 2 names");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrix\": [[1, 0.2], [0.2]]}}", shocks);
    EXPECT_ERROR(block, "$.uncertainty.correlation.matrix[1]: error: row 2 of the matrix must hold 2 numbers");
    snprintf(block, sizeof block,
             "{%s, \"correlation\": {\"names\": [\"u\", \"v\", \"w\"], \"matrix\": [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]}}",
             shocks);
    EXPECT_ERROR(block, "$.uncertainty.correlation.matrix: error: the correlation matrix is not positive definite");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrix\": [[1, 1], [1, 1]]}}", shocks);
    EXPECT_ERROR(block, "not positive definite");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrix\": [[1, 0.2], [0.3, 1]]}}", shocks);
    EXPECT_ERROR(block, "the matrix is not symmetric");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrix\": [[2, 0.2], [0.2, 1]]}}", shocks);
    EXPECT_ERROR(block, "$.uncertainty.correlation.matrix[0][0]: error: the diagonal of a correlation matrix is 1");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"vv\"], \"matrix\": [[1, 0.2], [0.2, 1]]}}", shocks);
    EXPECT_ERROR(block, "$.uncertainty.correlation.names[1]: error: \"vv\" is not a shock (did you mean \"v\"?)");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"u\"], \"matrix\": [[1, 0.2], [0.2, 1]]}}", shocks);
    EXPECT_ERROR(block, "\"u\" is named twice");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrix\": [[1, 1.2], [1.2, 1]]}}", shocks);
    EXPECT_ERROR(block, "a correlation is in [-1, 1], not 1.2");
    snprintf(block, sizeof block, "{%s, \"correlation\": {\"names\": [\"u\", \"v\"], \"matrx\": [[1, 0], [0, 1]]}}", shocks);
    EXPECT_ERROR(block, "did you mean \"matrix\"");
}
