/* test_sweep.c: sweeps end to end through the model and the block engine, with fixed seeds and
 * stated tolerances: Sobol' indices of an additive linear model and of a product (closed
 * forms), Morris on a linear model (exact), one-at-a-time values on the county model against
 * hand computations, grid size and order, Monte Carlo moments, runs that match a fresh
 * single-path run (nothing leaks between runs or blocks), byte-identical files with 1 and 2
 * threads, and the errors of bad sweep blocks. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "sweep.h"
#include "sweep_load.h"
#include "sweep_write.h"
#include "testutil.h"

/* A small model: y is linear in three parameters, p is the product of two, level grows at the
 * exogenous rate g from 100 in 2023. */
static const char *test_model =
    "{\"name\": \"lin\", \"parameters\": {"
    "  \"x1\": {\"value\": 0.5, \"min\": -10, \"max\": 10},"
    "  \"x2\": {\"value\": 1.0, \"min\": -10, \"max\": 10},"
    "  \"x3\": {\"value\": 1.0, \"min\": -10, \"max\": 10}},"
    " \"exogenous\": {\"g\": {\"value\": 0.05, \"min\": -0.5, \"max\": 0.5}},"
    " \"variables\": {"
    "  \"y\": {\"eq\": \"2 * x1 - 3 * x2 + 0.5 * x3\", \"unit\": \"亿元\"},"
    "  \"p\": {\"eq\": \"x1 * x2\"},"
    "  \"level\": {\"eq\": \"level[-1] * (1 + g)\", \"unit\": \"亿元\"}}}";

/* Writes the model and a scenario with `sweep` (JSON text of the block) and loads the run. */
static run *load_test_run(const char *sweep)
{
    testutil_write("lin.json", test_model);
    char text[8192];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"lin.json\", \"start\": 2024, \"end\": 2026,"
             " \"initial\": {\"level\": {\"2023\": 100}},"
             " \"goals\": [{\"id\": \"y-goal\", \"variable\": \"y\", \"year\": 2025, \"target\": 1}],"
             " \"sweep\": %s}",
             sweep);
    const char *path = testutil_write("s.json", text);
    return testutil_load_run(path);
}

static sweep_spec *parse_ok(const run *r, const sweep_overrides *o)
{
    diag d;
    diag_init(&d);
    sweep_spec *spec = sweep_parse(r, r->scenario->sweep, o, &d);
    cr_assert_not_null(spec, "%s", d.message);
    diag_free(&d);
    return spec;
}

static sweep_result *execute(const sweep_spec *spec, const run *r, int threads)
{
    diag d;
    diag_init(&d);
    sweep_result *res = NULL;
    cr_assert_eq(sweep_execute(spec, r, threads, NULL, &res, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return res;
}

static size_t output_index(const sweep_spec *spec, const char *name)
{
    for (size_t o = 0; o < spec->output_count; o++)
        if (!strcmp(spec->outputs[o].name, name))
            return o;
    cr_assert_fail("no output %s", name);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Sobol' and Morris on closed forms                                                          */

Test(sweep, sobol_linear_and_product_closed_forms)
{
    /* y = 2 x1 - 3 x2 + 0.5 x3, x1 ~ U(0,1), x2 ~ U(0,2), x3 ~ U(-1,3):
     * a_i^2 Var(x_i) = 4/12, 9 * 4/12, 0.25 * 16/12, so S_i = ST_i = 4/44, 36/44, 4/44.
     * p = x1 x2 = 2 u1 u2: S1 = 3/7, ST = 4/7 for x1 and x2, 0 for x3.
     * Tolerance 0.02 at N = 2^13. */
    run *r = load_test_run("{\"method\": \"sobol\", \"samples\": 8192, \"seed\": 5,"
                           " \"parameters\": {\"x1\": {\"min\": 0, \"max\": 1}, \"x2\": {\"min\": 0, \"max\": 2},"
                           "                  \"x3\": {\"min\": -1, \"max\": 3}},"
                           " \"outputs\": [\"y@2025\", \"p@2025\"]}");
    sweep_spec *spec = parse_ok(r, NULL);
    cr_assert_eq(spec->runs, 8192 * 5);
    sweep_result *res = execute(spec, r, 2);
    double s_linear[3] = {4.0 / 44, 36.0 / 44, 4.0 / 44};
    double s_product[3] = {3.0 / 7, 3.0 / 7, 0}, st_product[3] = {4.0 / 7, 4.0 / 7, 0};
    for (size_t i = 0; i < 3; i++) {
        const sweep_index *lin = &res->indices[0 * 3 + i], *prod = &res->indices[1 * 3 + i];
        cr_expect(fabs(lin->first.value - s_linear[i]) < 0.02, "linear S1[%zu] = %g", i, lin->first.value);
        cr_expect(fabs(lin->total.value - s_linear[i]) < 0.02, "linear ST[%zu] = %g", i, lin->total.value);
        cr_expect(fabs(prod->first.value - s_product[i]) < 0.02, "product S1[%zu] = %g", i, prod->first.value);
        cr_expect(fabs(prod->total.value - st_product[i]) < 0.02, "product ST[%zu] = %g", i, prod->total.value);
        cr_expect(!lin->total.not_converged && !prod->total.not_converged);
    }
    /* x3 does not enter p at all: exactly 0, not merely small */
    cr_assert_eq(res->indices[1 * 3 + 2].total.value, 0);
    /* ranking by ST: x2 first for y */
    size_t order[3];
    sweep_ranking(res, 0, order);
    cr_assert_eq(order[0], 1);
    sweep_result_free(res);
    sweep_spec_free(spec);
    run_free(r);
}

Test(sweep, morris_linear_model_is_exact)
{
    /* every elementary effect of y is a_i (hi - lo): mu* = |a_i| range, sigma = 0 */
    run *r = load_test_run("{\"method\": \"morris\", \"trajectories\": 12, \"levels\": 6, \"seed\": 3,"
                           " \"parameters\": {\"x1\": {\"min\": 0, \"max\": 1}, \"x2\": {\"min\": 0, \"max\": 2},"
                           "                  \"x3\": {\"dist\": \"triangular\", \"min\": -1, \"mode\": 0, \"max\": 3}},"
                           " \"outputs\": [\"y@2025\"]}");
    sweep_spec *spec = parse_ok(r, NULL);
    cr_assert_eq(spec->runs, 12 * 4);
    sweep_result *res = execute(spec, r, 2);
    double a_range[2] = {2.0 * 1, -3.0 * 2};
    for (size_t i = 0; i < 2; i++) {
        const sweep_index *x = &res->indices[i];
        cr_assert(fabs(x->mu - a_range[i]) < 1e-9, "mu[%zu] = %.17g", i, x->mu);
        cr_assert(fabs(x->mu_star.value - fabs(a_range[i])) < 1e-9);
        cr_assert(fabs(x->sigma) < 1e-9);
    }
    /* a bounded distribution: the levels map through its quantiles, so x3's effects vary */
    cr_assert_gt(res->indices[2].mu_star.value, 0);
    sweep_result_free(res);
    sweep_spec_free(spec);
    run_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* One at a time on the county model, by hand                                                 */

Test(sweep, oat_county_model_by_hand)
{
    run *r = testutil_load_run("scenarios/linzhou-2023-target.json");
    diag d;
    diag_init(&d);
    cJSON *block = cJSON_Parse("{\"method\": \"oat\", \"parameters\": {"
                               "  \"revenue_buoyancy\": {\"low\": 1.2, \"high\": 1.8},"
                               "  \"gdp_real_growth\": {\"low\": \"5%\", \"high\": \"9%\"}},"
                               " \"outputs\": [\"fiscal_revenue@2025\", \"gdp@2025\", \"met:166-revenue-2025\"]}");
    sweep_spec *spec = sweep_parse(r, block, NULL, &d);
    cr_assert_not_null(spec, "%s", d.message);
    cr_assert_eq(spec->runs, 5);
    sweep_result *res = execute(spec, r, 1);
    /* the target scenario: real growth 8% in 2023 then 7%, prices 1.5%, buoyancy 1.55 */
    double n23 = 1.08 * 1.015 - 1, n24 = 1.07 * 1.015 - 1;
    double revenue = 43.54 * (1 + 1.55 * n23) * (1 + 1.55 * n24) * (1 + 1.55 * n24);
    double gdp = 657.4 * 1.08 * 1.015 * 1.07 * 1.015 * 1.07 * 1.015;
    size_t rev = output_index(spec, "fiscal_revenue@2025"), g = output_index(spec, "gdp@2025"),
           met = output_index(spec, "met:166-revenue-2025");
    size_t outs = spec->output_count;
    /* run 0: the scenario itself */
    cr_assert_lt(testutil_reldiff(res->y[0 * outs + rev], revenue), 1e-12);
    cr_assert_lt(testutil_reldiff(res->y[0 * outs + g], gdp), 1e-12);
    cr_assert_eq(res->y[0 * outs + met], revenue >= 60);
    /* runs 1, 2: buoyancy 1.2 and 1.8; GDP does not move */
    double low = 43.54 * (1 + 1.2 * n23) * (1 + 1.2 * n24) * (1 + 1.2 * n24);
    double high = 43.54 * (1 + 1.8 * n23) * (1 + 1.8 * n24) * (1 + 1.8 * n24);
    cr_assert_lt(testutil_reldiff(res->indices[rev * 2 + 0].value_low, low), 1e-12);
    cr_assert_lt(testutil_reldiff(res->indices[rev * 2 + 0].value_high, high), 1e-12);
    cr_assert_eq(res->indices[g * 2 + 0].value_low, res->y[g]);
    cr_assert_eq(res->y[1 * outs + met], low >= 60);
    cr_assert_eq(res->y[2 * outs + met], high >= 60);
    /* runs 3, 4: real growth held at 5% and 9% from 2023 (the 8%/7% path replaced) */
    double n5 = 1.05 * 1.015 - 1, n9 = 1.09 * 1.015 - 1;
    cr_assert_lt(testutil_reldiff(res->indices[g * 2 + 1].value_low, 657.4 * pow(1.05 * 1.015, 3)), 1e-12);
    cr_assert_lt(testutil_reldiff(res->indices[g * 2 + 1].value_high, 657.4 * pow(1.09 * 1.015, 3)), 1e-12);
    cr_assert_lt(testutil_reldiff(res->indices[rev * 2 + 1].value_low, 43.54 * pow(1 + 1.55 * n5, 3)), 1e-12);
    cr_assert_lt(testutil_reldiff(res->indices[rev * 2 + 1].value_high, 43.54 * pow(1 + 1.55 * n9, 3)), 1e-12);
    /* the buoyancy is the larger swing for revenue */
    size_t order[2];
    sweep_ranking(res, rev, order);
    cr_assert_eq(order[0], fabs(high - low) > fabs(43.54 * (pow(1 + 1.55 * n9, 3) - pow(1 + 1.55 * n5, 3))) ? 0u : 1u);
    /* samples.csv shows the scenario's value where a run keeps it: 1.55 for the buoyancy */
    cr_assert_eq(spec->parameters[0].base, 1.55);
    cr_assert(isnan(spec->parameters[1].base), "8%% then 7%%: no single value");
    sweep_result_free(res);
    sweep_spec_free(spec);
    cJSON_Delete(block);
    run_free(r);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Grids, Monte Carlo, isolation of runs                                                      */

Test(sweep, grid_size_order_and_main_effects)
{
    run *r = load_test_run("{\"method\": \"grid\", \"parameters\": {\"x1\": {\"values\": [1, 2]},"
                           " \"x2\": {\"min\": 0, \"max\": 1, \"steps\": 3}}, \"outputs\": [\"y@2024\"]}");
    sweep_spec *spec = parse_ok(r, NULL);
    cr_assert_eq(spec->runs, 6);
    sweep_result *res = execute(spec, r, 1);
    double expected[6][2] = {{1, 0}, {1, 0.5}, {1, 1}, {2, 0}, {2, 0.5}, {2, 1}};
    for (size_t i = 0; i < 6; i++) {
        double x[2];
        sweep_point(res, i, x);
        cr_assert_eq(x[0], expected[i][0], "run %zu", i);
        cr_assert_eq(x[1], expected[i][1], "run %zu", i);
        cr_assert_float_eq(res->y[i], 2 * x[0] - 3 * x[1] + 0.5 * 1.0, 1e-12);
    }
    /* main effect of x1 = 1: mean over x2 of 2 - 3 x2 + 0.5 = 2.5 - 1.5 = 1 */
    cr_assert_float_eq(res->grid_mean[0], 1.0, 1e-12);
    cr_assert_float_eq(res->grid_mean[1], 3.0, 1e-12);
    cr_assert_float_eq(res->indices[0].range, 2.0, 1e-12);
    cr_assert_float_eq(res->indices[1].range, 3.0, 1e-12);
    sweep_result_free(res);
    sweep_spec_free(spec);
    run_free(r);
}

Test(sweep, runs_match_single_path_runs_across_blocks)
{
    /* 40 x 20 = 800 runs: four blocks of 256 lanes reuse one buffer on one thread. Each run
     * must equal a fresh plan with only that run's values set (sim_plan_set_input), so no
     * value leaks from one run, or one block, into another. g is exogenous: held from start. */
    run *r = load_test_run("{\"method\": \"grid\", \"parameters\": {\"g\": {\"min\": -0.1, \"max\": 0.3, \"steps\": 40},"
                           " \"x1\": {\"min\": 0, \"max\": 5, \"steps\": 20}}, \"outputs\": [\"level@2026\", \"y@2026\"]}");
    sweep_spec *spec = parse_ok(r, NULL);
    sweep_result *res = execute(spec, r, 1);
    int g = model_find(r->model, "g"), x1 = model_find(r->model, "x1");
    for (size_t i = 0; i < res->runs; i += 37) {
        double x[2];
        sweep_point(res, i, x);
        sim_plan *plan = sim_plan_clone(r->plan);
        cr_assert_not_null(plan);
        sim_plan_set_input(plan, g, plan->start, plan->end, x[0]);
        sim_plan_set_input(plan, x1, 0, 0, x[1]);
        double *values;
        diag d;
        diag_init(&d);
        cr_assert_eq(sim_run_path(plan, &values, &d), DIAG_OK);
        size_t t = (size_t)sim_plan_year_index(plan, 2026);
        cr_assert_eq(res->y[i * 2 + 0], values[(size_t)model_find(r->model, "level") * plan->years + t], "run %zu", i);
        cr_assert_eq(res->y[i * 2 + 1], values[(size_t)model_find(r->model, "y") * plan->years + t], "run %zu", i);
        cr_assert_lt(testutil_reldiff(res->y[i * 2], 100 * pow(1 + x[0], 3)), 1e-12);
        mem_free(values);
        sim_plan_free(plan);
    }
    sweep_result_free(res);
    sweep_spec_free(spec);
    run_free(r);
}

Test(sweep, montecarlo_moments_and_correlation)
{
    /* x1 ~ normal(5, 1), y = 2 x1 - 3 + 0.5: mean 7.5, sd 2 (tolerance 4 standard errors),
     * Pearson and Spearman correlation 1 (y is linear and increasing in x1) */
    run *r = load_test_run("{\"method\": \"montecarlo\", \"samples\": 20000, \"seed\": 9,"
                           " \"parameters\": {\"x1\": {\"dist\": \"normal\", \"mean\": 5, \"sd\": 1}},"
                           " \"outputs\": [\"y@2025\", \"met:y-goal\"]}");
    sweep_spec *spec = parse_ok(r, NULL);
    sweep_result *res = execute(spec, r, 2);
    double se = 2.0 / sqrt(20000.0);
    cr_assert_lt(fabs(res->statistics[0].mean - 7.5), 4 * se, "mean %g", res->statistics[0].mean);
    cr_assert_lt(fabs(res->statistics[0].sd - 2.0), 0.05, "sd %g", res->statistics[0].sd);
    cr_assert_float_eq(res->indices[0].pearson, 1.0, 1e-12);
    cr_assert_float_eq(res->indices[0].spearman, 1.0, 1e-12);
    /* met:y-goal is y >= 1, i.e. x1 >= 1.75: P = 1 - Phi(-3.25) = 0.99942 */
    for (size_t i = 0; i < res->runs; i++)
        cr_assert_eq(res->y[i * 2 + 1], res->y[i * 2] >= 1 ? 1.0 : 0.0);
    sweep_result_free(res);
    sweep_spec_free(spec);
    run_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* Threads                                                                                    */

/* writes the sweep with samples.csv, its rows formatted on `threads` threads */
static void write_sweep(const sweep_result *res, const run *r, const char *dir, int threads)
{
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(dir, &d);
    cr_assert_not_null(batch, "%s", d.message);
    cr_assert_eq(sweep_write(res, r, batch, NULL, NULL, 1, threads, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
}

static void remove_dir(const char *dir)
{
    static const char *const files[] = {"samples.csv", "sensitivity.csv", "summary.json", ".econsim-run"};
    char path[600];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void check_threads(const char *block_json)
{
    run *r = testutil_load_run("scenarios/linzhou-2023-target.json");
    diag d;
    diag_init(&d);
    cJSON *block = cJSON_Parse(block_json);
    sweep_spec *spec = sweep_parse(r, block, NULL, &d);
    cr_assert_not_null(spec, "%s", d.message);
    char dirs[2][64];
    for (int t = 0; t < 2; t++) {
        snprintf(dirs[t], sizeof dirs[t], "/tmp/econsim-sweep-%d-%d", (int)getpid(), t);
        sweep_result *res = execute(spec, r, t + 1);
        write_sweep(res, r, dirs[t], t + 1);
        sweep_result_free(res);
    }
    static const char *const files[] = {"samples.csv", "sensitivity.csv", "summary.json"};
    for (size_t i = 0; i < 3; i++) {
        char a_path[600], b_path[600];
        snprintf(a_path, sizeof a_path, "%s/%s", dirs[0], files[i]);
        snprintf(b_path, sizeof b_path, "%s/%s", dirs[1], files[i]);
        size_t a_length, b_length;
        char *a = testutil_read_file(a_path, &a_length), *b = testutil_read_file(b_path, &b_length);
        cr_assert_gt(a_length, 100);
        if (!strcmp(files[i], "summary.json")) {
            /* the same bytes apart from "environment", which says how it ran: 1 and 2 threads */
            char *texts[2] = {a, b};
            for (int t = 0; t < 2; t++) {
                cJSON *json = cJSON_Parse(texts[t]);
                cr_assert_not_null(json);
                cJSON *env = cJSON_DetachItemFromObject(json, "environment");
                cr_assert_not_null(env, "summary.json has no environment");
                cr_assert_eq(cJSON_GetObjectItem(env, "threads")->valuedouble, t + 1);
                cr_assert_eq(cJSON_GetObjectItem(env, "ranks")->valuedouble, 1);
                cJSON_Delete(env);
                free(texts[t]);
                texts[t] = cJSON_Print(json);
                cJSON_Delete(json);
            }
            a = texts[0], b = texts[1];
            a_length = strlen(a), b_length = strlen(b);
        }
        cr_assert(a_length == b_length && !memcmp(a, b, a_length), "%s differs between 1 and 2 threads", files[i]);
        free(a);
        free(b);
    }
    remove_dir(dirs[0]);
    remove_dir(dirs[1]);
    sweep_spec_free(spec);
    cJSON_Delete(block);
    run_free(r);
    diag_free(&d);
}

Test(sweep, sobol_files_identical_with_1_and_2_threads)
{
    /* 256 x 5 = 1280 runs: five blocks, so threads really split the work */
    check_threads("{\"method\": \"sobol\", \"samples\": 256, \"seed\": 4, \"bootstrap\": 200,"
                  " \"parameters\": {\"gdp_real_growth\": {\"min\": 0.04, \"max\": 0.09},"
                  "  \"revenue_buoyancy\": {\"dist\": \"normal\", \"mean\": 1.2, \"sd\": 0.2},"
                  "  \"construction_tax_rate\": {\"dist\": \"triangular\", \"min\": 0.017, \"mode\": 0.02, \"max\": 0.023}},"
                  " \"outputs\": [\"fiscal_revenue@2025\", \"gdp@2025\", \"met:166-revenue-2025\"]}");
}

Test(sweep, montecarlo_files_identical_with_1_and_2_threads)
{
    check_threads("{\"method\": \"montecarlo\", \"samples\": 3000, \"seed\": 8,"
                  " \"parameters\": {\"gdp_real_growth\": {\"dist\": \"normal\", \"mean\": 0.06, \"sd\": 0.01},"
                  "  \"revenue_buoyancy\": {\"min\": 1, \"max\": 1.6}},"
                  " \"outputs\": [\"fiscal_revenue@2025\"]}");
}

Test(sweep, seed_changes_the_design_and_its_hash)
{
    run *r = load_test_run("{\"method\": \"sobol\", \"samples\": 64, \"seed\": 1,"
                           " \"parameters\": {\"x1\": {\"min\": 0, \"max\": 1}}, \"outputs\": [\"y@2025\"]}");
    sweep_spec *spec = parse_ok(r, NULL);
    sweep_result *a = execute(spec, r, 1), *b = execute(spec, r, 2);
    cr_assert_eq(a->design_hash, b->design_hash);
    sweep_overrides o = {.seed_given = 1, .seed = 2};
    sweep_spec *other = parse_ok(r, &o);
    cr_assert_eq(other->seed, 2);
    sweep_result *c = execute(other, r, 1);
    cr_assert_neq(a->design_hash, c->design_hash);
    sweep_result_free(a);
    sweep_result_free(b);
    sweep_result_free(c);
    sweep_spec_free(spec);
    sweep_spec_free(other);
    run_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* Bad sweep blocks                                                                           */

static void expect_error(const char *sweep, const sweep_overrides *o, int status, const char *text)
{
    run *r = load_test_run(sweep);
    diag d;
    diag_init(&d);
    sweep_spec *spec = sweep_parse(r, r->scenario->sweep, o, &d);
    cr_assert_null(spec, "accepted: %s", sweep);
    cr_assert_eq(d.status, status, "status %d: %s", d.status, d.message);
    cr_assert(strstr(d.message, text), "message \"%s\" lacks \"%s\"", d.message, text);
    diag_free(&d);
    run_free(r);
}

#define ONE_PARAMETER "\"parameters\": {\"x1\": {\"min\": 0, \"max\": 1}}"

Test(sweep, bad_blocks)
{
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"parameters\": {\"x4\": {\"min\": 0, \"max\": 1}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "s.json: $.sweep.parameters.x4: error: unknown parameter \"x4\" (did you mean \"x1\"?)");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"parameters\": {\"x1\": {\"min\": 2, \"max\": 1}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "min < max");
    expect_error("{\"method\": \"sobol\", \"samples\": 0, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "$.sweep.samples: error: \"samples\" is 0");
    expect_error("{\"method\": \"montecarlo\", \"samples\": 0, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "\"samples\" is 0");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"parameters\": {\"x1\": {\"dist\": \"normall\", \"sd\": 1}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "unknown distribution \"normall\" (did you mean \"normal\"?)");
    expect_error("{\"method\": \"sobol\", \"samples\": 4000, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "4000 is not a power of two");
    expect_error("{\"method\": \"sobol\", \"samples\": 4000, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "use 2048 or 4096");
    sweep_overrides o = {.samples = 1000};
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", &o,
                 DIAG_USAGE, "--samples 1000 is not a power of two: a Sobol' sweep needs N = 2^m; use 512 or 1024");
    expect_error("{\"method\": \"grid\", \"parameters\": {\"x1\": {\"values\": [1]}}, \"outputs\": [\"y@2025\"]}", &o,
                 DIAG_USAGE, "--samples does not apply to a grid sweep");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"y@2030\"]}", NULL,
                 DIAG_DATA, "the year 2030 is outside the scenario's horizon 2024-2026");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"yy@2025\"]}", NULL,
                 DIAG_DATA, "unknown output variable \"yy\" (did you mean \"y\"?)");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"y\"]}", NULL, DIAG_DATA,
                 "write an output as VARIABLE@YEAR");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"met:y-gaol\"]}", NULL,
                 DIAG_DATA, "unknown goal \"y-gaol\" (did you mean \"y-goal\"?)");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"parameters\": {\"y\": {\"min\": 0, \"max\": 1}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "\"y\" is a variable");
    expect_error("{\"method\": \"sobol\", \"sample\": 64, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL, DIAG_DATA,
                 "unknown key \"sample\" in the sweep (did you mean \"samples\"?)");
    expect_error("{\"method\": \"sobl\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "unknown method \"sobl\" (did you mean \"sobol\"?)");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"levels\": 4, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "\"levels\" belongs to morris sweeps");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"parameters\": {}, \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "\"parameters\" is empty");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": []}", NULL, DIAG_DATA,
                 "non-empty array");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, " ONE_PARAMETER ", \"outputs\": [\"y@2025\", \"y@2025\"]}",
                 NULL, DIAG_DATA, "listed twice");
    expect_error("{\"method\": \"sobol\", " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL, DIAG_DATA,
                 "a sobol sweep needs \"samples\"");
    expect_error("{\"method\": \"sobol\", \"samples\": 64, \"parameters\": {\"x1\": {\"min\": 0, \"max\": 11}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "$.sweep.parameters.x1: error: 11 is outside the range of x1 (-10 to 10)");
    expect_error("{\"method\": \"morris\", \"parameters\": {\"x1\": {\"dist\": \"normal\", \"sd\": 1}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "is unbounded");
    expect_error("{\"method\": \"morris\", \"levels\": 5, " ONE_PARAMETER ", \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "\"levels\" must be even");
    expect_error("{\"method\": \"grid\", \"parameters\": {\"x1\": {\"min\": 0, \"max\": 1, \"steps\": 10000},"
                 " \"x2\": {\"min\": 0, \"max\": 1, \"steps\": 10000}}, \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "the grid has more than 10000000 runs");
    expect_error("{\"method\": \"grid\", \"parameters\": {\"x1\": {\"min\": 1, \"max\": 0, \"steps\": 3}},"
                 " \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "min 1 must be below max 0");
    expect_error("{\"method\": \"oat\", \"parameters\": {\"x1\": {\"low\": 2, \"high\": 1}}, \"outputs\": [\"y@2025\"]}",
                 NULL, DIAG_DATA, "$.sweep.parameters.x1.high: error: low 2 must be below high 1");
    expect_error("{\"method\": \"grid\", \"parameters\": {\"x1\": {\"valuez\": [1]}}, \"outputs\": [\"y@2025\"]}", NULL,
                 DIAG_DATA, "did you mean \"values\"?");
}

Test(sweep, sobol_refuses_more_than_20_parameters)
{
    /* a model of 21 parameters: Saltelli's design would need 42 Sobol' dimensions */
    char model_text[8192] = "{\"name\": \"wide\", \"parameters\": {";
    char block[8192] = "{\"method\": \"sobol\", \"samples\": 64, \"outputs\": [\"y@2025\"], \"parameters\": {";
    for (int i = 0; i < 21; i++) {
        char part[128];
        snprintf(part, sizeof part, "%s\"q%d\": {\"value\": 0, \"min\": 0, \"max\": 1}", i ? ", " : "", i);
        strcat(model_text, part);
        snprintf(part, sizeof part, "%s\"q%d\": {\"min\": 0, \"max\": 1}", i ? ", " : "", i);
        strcat(block, part);
    }
    strcat(model_text, "}, \"variables\": {\"y\": {\"eq\": \"q0 + q20\"}}}");
    strcat(block, "}}");
    testutil_write("wide.json", model_text);
    char text[9000];
    snprintf(text, sizeof text, "{\"name\": \"w\", \"model\": \"wide.json\", \"start\": 2024, \"end\": 2026, \"sweep\": %s}",
             block);
    const char *path = testutil_write("w.json", text);
    diag d;
    diag_init(&d);
    run *r = run_load(path, &d);
    cr_assert_not_null(r, "%s", d.message);
    cr_assert_null(sweep_parse(r, r->scenario->sweep, NULL, &d));
    cr_assert(strstr(d.message, "21 parameters: a Sobol' sweep takes at most 20"), "%s", d.message);
    diag_free(&d);
    run_free(r);
}

Test(sweep, non_finite_run_is_located)
{
    /* y = log(x) has no value at x = -1: the run is named with its parameter values */
    const char *model_text = "{\"name\": \"bad\", \"parameters\": {\"x\": {\"value\": 1, \"min\": -5, \"max\": 5}},"
                             " \"variables\": {\"y\": {\"eq\": \"log(x)\"}}}";
    testutil_write("bad.json", model_text);
    const char *path = testutil_write(
        "b.json", "{\"name\": \"b\", \"model\": \"bad.json\", \"start\": 2024, \"end\": 2025, \"sweep\": {\"method\": "
                  "\"grid\", \"parameters\": {\"x\": {\"values\": [1, 2, -1]}}, \"outputs\": [\"y@2025\"]}}");
    diag d;
    diag_init(&d);
    run *r = run_load(path, &d);
    cr_assert_not_null(r, "%s", d.message);
    sweep_spec *spec = sweep_parse(r, r->scenario->sweep, NULL, &d);
    cr_assert_not_null(spec, "%s", d.message);
    sweep_result *res = NULL;
    cr_assert_eq(sweep_execute(spec, r, 1, NULL, &res, &d), DIAG_DATA);
    cr_assert_null(res);
    cr_assert(strstr(d.message, "b.json: $.sweep.parameters: error: run 2 (x = -1) gives y@2025 that is not a finite number"),
              "%s", d.message);
    sweep_spec_free(spec);
    run_free(r);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Out of memory                                                                              */

/* parse, execute and write a sweep of r into dir */
static int sweep_pipeline(const run *r, const char *dir, diag *d)
{
    sweep_spec *spec = sweep_parse(r, r->scenario->sweep, NULL, d);
    if (!spec)
        return d->status;
    sweep_result *res = NULL;
    int status = sweep_execute(spec, r, 2, NULL, &res, d);
    output_batch *batch = status == DIAG_OK ? output_batch_new(dir, d) : NULL;
    if (status == DIAG_OK && !batch)
        status = d->status;
    if (status == DIAG_OK)
        status = sweep_write(res, r, batch, NULL, NULL, 1, 2, d);
    if (status == DIAG_OK)
        status = output_batch_commit(batch, d);
    else
        output_batch_abort(batch);
    sweep_result_free(res);
    sweep_spec_free(spec);
    return status;
}

Test(sweep, every_allocation_failure_is_reported)
{
    /* each allocation of parse, run, analysis and writing fails in turn: a clean "out of
     * memory" report every time (no crash; the sanitizer build checks for leaks), then a
     * complete set of files */
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    run *r = load_test_run("{\"method\": \"sobol\", \"samples\": 64, \"seed\": 2, \"bootstrap\": 20,"
                           " \"parameters\": {\"x1\": {\"min\": 0, \"max\": 1}, \"g\": {\"dist\": \"normal\", \"sd\": 0.01}},"
                           " \"outputs\": [\"y@2025\", \"level@2026\", \"met:*\"]}");
    char dir[] = "/tmp/econsim-sweep-faults-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    long failures = 0;
    int succeeded = 0;
    for (long n = 0; n < 100000 && !succeeded; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        int status = sweep_pipeline(r, dir, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            succeeded = 1;
        } else {
            cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: status %d: %s", n, status, d.message);
            cr_assert(strstr(d.message, "out of memory"), "allocation %ld: %s", n, d.message);
            failures++;
        }
        diag_free(&d);
    }
    cr_assert(succeeded);
    cr_assert_gt(failures, 30, "only %ld allocation sites were exercised", failures);
    remove_dir(dir);
    struct stat st;
    cr_assert_neq(stat(dir, &st), 0, "temporary files were left in %s", dir);
    run_free(r);
}
