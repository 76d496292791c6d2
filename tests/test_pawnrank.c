/* test_pawnrank.c: the PAWN ranking of a risk run, through the integrated path: a scenario
 * whose uncertainty block shocks three parameters (drawn uniform, "replace") and asks for
 * "pawn", its paths kept (pathsample.h) and ranked per goal (pawnrank.h). The linear model
 * y = a + 2b + 0c against the infinite-sample PAWN medians (0.1361 and 0.4750, computed in
 * test_pawn.c from the exact CDFs of sums of uniforms); the Ishigami function against a plain
 * brute-force reference written here (slices by value thresholds, KS by counting, O(n^2));
 * the same ranking with 1 and 2 threads; the "pawn" key's errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "mem.h"
#include "pathsample.h"
#include "pawnrank.h"
#include "testutil.h"

static const char *test_model =
    "{\"name\": \"pr\", \"parameters\": {"
    "  \"a\": {\"value\": 0.5, \"min\": -4, \"max\": 4}, \"b\": {\"value\": 0.5, \"min\": -4, \"max\": 4},"
    "  \"c\": {\"value\": 0.5, \"min\": -4, \"max\": 4}},"
    " \"variables\": {"
    "  \"lin\": {\"eq\": \"a + 2 * b + 0 * c\"},"
    "  \"ish\": {\"eq\": \"sin(a) + 7 * pow(sin(b), 2) + 0.1 * pow(c, 4) * sin(a)\"}}}";

/* Loads the scenario with shocks uniform on [low, high] and "pawn": pawn, runs the ensemble's
 * paths and ranks them. */
static pawnrank_result *rank(size_t paths, double low, double high, const char *pawn, int threads, pathsample **kept,
                             load_result *in)
{
    testutil_write("pr.json", test_model);
    char text[4096], shock[200];
    snprintf(shock, sizeof shock, "{\"dist\": \"uniform\", \"min\": %.17g, \"max\": %.17g, \"apply\": \"replace\"}",
             low, high);
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"pr.json\", \"start\": 2024, \"end\": 2025,"
             " \"goals\": [{\"id\": \"lin\", \"variable\": \"lin\", \"year\": 2025, \"target\": 1.5},"
             "             {\"id\": \"ish\", \"variable\": \"ish\", \"year\": 2025, \"target\": 3}],"
             " \"uncertainty\": {\"paths\": %zu, \"seed\": 11, \"pawn\": %s,"
             "   \"shocks\": {\"a\": %s, \"b\": %s, \"c\": %s}}}",
             paths, pawn, shock, shock, shock);
    diag d;
    diag_init(&d);
    memset(in, 0, sizeof *in);
    cr_assert_eq(load_scenario(testutil_write("s.json", text), NULL, in, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(run_simulate(in->run, &d), DIAG_OK, "%s", d.message);
    pathsample *sample = NULL;
    cr_assert_eq(pathsample_collect(in->ensemble, in->run, in->goals, threads, NULL, &sample, &d), DIAG_OK, "%s",
                 d.message);
    pawnrank_result *res = NULL;
    cr_assert_eq(pawnrank_run(in->ensemble, sample, in->goals, threads, &res, &d), DIAG_OK, "%s", d.message);
    cr_assert_not_null(res);
    diag_free(&d);
    if (kept)
        *kept = sample;
    else
        pathsample_free(sample);
    return res;
}

Test(pawnrank, linear_model_ranks_b_then_a_and_c_is_noise)
{
    load_result in;
    pawnrank_result *res = rank(10000, 0, 1, "true", 2, NULL, &in);
    cr_assert_eq(res->goal_count, 2);
    const pawnrank_goal *g = &res->goals[0];
    cr_assert_eq(g->goal, 0);
    cr_assert_eq(g->order[0], 1, "b first");
    cr_assert_eq(g->order[1], 0, "a second");
    cr_assert_eq(g->order[2], 2, "c last");
    cr_assert_str_eq(g->summary[0], "value on the path");
    /* within 0.03 of the infinite-sample medians: the sampling error of 10 slices of 1000 */
    cr_assert_float_eq(g->index[0].value, 0.1361, 0.03, "a: %g", g->index[0].value);
    cr_assert_float_eq(g->index[1].value, 0.4750, 0.03, "b: %g", g->index[1].value);
    cr_assert_lt(g->index[2].value, 0.04, "c: %g", g->index[2].value);
    cr_assert_eq(g->index[2].above_noise, 0);
    cr_assert_eq(g->index[0].above_noise, 1);
    pawnrank_free(res);
    load_release(&in);
}

static int compare_doubles(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* The reference median over 10 slices of input j's KS distances, from the definition. */
static double reference_median(size_t n, const double *xj, const double *y)
{
    double *sorted = mem_alloc(n * sizeof *sorted), ks[10];
    cr_assert_not_null(sorted);
    memcpy(sorted, xj, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    for (size_t s = 0; s < 10; s++) {
        double low = sorted[s * n / 10], high = s == 9 ? sorted[n - 1] : sorted[(s + 1) * n / 10];
        ks[s] = 0;
        for (size_t v = 0; v < n; v++) {
            size_t below = 0, count = 0, below_all = 0;
            for (size_t i = 0; i < n; i++) {
                below_all += y[i] <= y[v];
                if (xj[i] >= low && (s == 9 ? xj[i] <= high : xj[i] < high)) {
                    count++;
                    below += y[i] <= y[v];
                }
            }
            ks[s] = fmax(ks[s], fabs((double)below / (double)count - (double)below_all / (double)n));
        }
    }
    mem_free(sorted);
    qsort(ks, 10, sizeof *ks, compare_doubles);
    return (ks[4] + ks[5]) / 2;
}

Test(pawnrank, ishigami_x3_ranks_last_and_agrees_with_the_reference)
{
    const double pi = 3.14159265358979323846;
    load_result in;
    pathsample *sample = NULL;
    size_t n = 1000;
    pawnrank_result *res = rank(n, -pi, pi, "{\"slices\": 10}", 2, &sample, &in);
    const pawnrank_goal *g = &res->goals[1];
    cr_assert_eq(g->goal, 1);
    cr_assert_eq(g->order[2], 2, "x3 last");
    double *xj = mem_alloc(n * sizeof *xj), *y = mem_alloc(n * sizeof *y);
    cr_assert(xj && y);
    for (size_t p = 0; p < n; p++)
        y[p] = sample->goal_value[p * sample->goal_count + 1];
    for (size_t j = 0; j < 3; j++) {
        char summary[96];
        pathsample_summary(sample, in.ensemble, j, 2025, xj, 1, summary, sizeof summary);
        double expected = reference_median(n, xj, y);
        cr_assert_float_eq(g->index[j].value, expected, 1e-12, "x%zu: %.17g, reference %.17g", j + 1,
                           g->index[j].value, expected);
        /* and the path's value is the model's: y from the inputs by hand */
    }
    for (size_t p = 0; p < n; p++) {
        const double *a = sample->shock + (p * 3 + 0) * sample->horizon, *b = sample->shock + (p * 3 + 1) * sample->horizon,
                     *c = sample->shock + (p * 3 + 2) * sample->horizon;
        double by_hand = sin(a[0]) + 7 * sin(b[0]) * sin(b[0]) + 0.1 * pow(c[0], 4) * sin(a[0]);
        cr_assert_float_eq(y[p], by_hand, 1e-12);
    }
    mem_free(xj);
    mem_free(y);
    pathsample_free(sample);
    pawnrank_free(res);
    load_release(&in);
}

Test(pawnrank, same_ranking_with_1_and_2_threads)
{
    load_result in1, in2;
    pawnrank_result *one = rank(3000, 0, 1, "true", 1, NULL, &in1), *two = rank(3000, 0, 1, "true", 2, NULL, &in2);
    for (size_t g = 0; g < one->goal_count; g++)
        cr_assert_eq(memcmp(one->goals[g].index, two->goals[g].index, 3 * sizeof *one->goals[g].index), 0);
    pawnrank_free(one);
    pawnrank_free(two);
    load_release(&in1);
    load_release(&in2);
}

Test(pawnrank, bad_keys_and_too_few_paths)
{
    testutil_write("pr.json", test_model);
    const char *bad[][2] = {
        {"3", "$.uncertainty.pawn: error: \"pawn\" must be true, false or {\"slices\": S}, not a number"},
        {"{\"slices\": 1}", "$.uncertainty.pawn.slices: error: \"slices\" must be a whole number from 2 to 100"},
        {"{\"slice\": 5}", "$.uncertainty.pawn.slice: error: unknown key \"slice\" in \"pawn\" (did you mean \"slices\"?)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"name\": \"t\", \"model\": \"pr.json\", \"start\": 2024, \"end\": 2025,"
                 " \"uncertainty\": {\"paths\": 100, \"pawn\": %s, \"shocks\": {\"a\": {\"dist\": \"normal\", "
                 "\"sd\": 0.1}}}}",
                 bad[i][0]);
        load_result in;
        diag d;
        diag_init(&d);
        cr_assert_eq(load_scenario(testutil_write("s.json", text), NULL, &in, &d), DIAG_DATA);
        cr_assert(strstr(d.message, bad[i][1]), "expected \"%s\" in: %s", bad[i][1], d.message);
        diag_free(&d);
        load_release(&in);
    }
    /* 50 paths for 10 slices: a warning, no ranking */
    load_result in;
    diag d;
    diag_init(&d);
    char text[1024];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"pr.json\", \"start\": 2024, \"end\": 2025,"
             " \"goals\": [{\"id\": \"lin\", \"variable\": \"lin\", \"year\": 2025, \"target\": 1.5}],"
             " \"uncertainty\": {\"paths\": 50, \"pawn\": true, \"shocks\": {\"a\": {\"dist\": \"normal\", \"sd\": 0.1}}}}");
    cr_assert_eq(load_scenario(testutil_write("s.json", text), NULL, &in, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(run_simulate(in.run, &d), DIAG_OK);
    pathsample *sample = NULL;
    pawnrank_result *res = (pawnrank_result *)1;
    cr_assert_eq(pathsample_collect(in.ensemble, in.run, in.goals, 1, NULL, &sample, &d), DIAG_OK);
    cr_assert_eq(pawnrank_run(in.ensemble, sample, in.goals, 1, &res, &d), DIAG_OK);
    cr_assert_null(res);
    cr_assert_gt(d.warning_count, 0);
    pathsample_free(sample);
    diag_free(&d);
    load_release(&in);
}
