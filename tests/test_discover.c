/* test_discover.c: scenario discovery through the integrated path: a scenario with a sweep
 * or an uncertainty block and its "discover" key, loaded (load.h), run on the block engine
 * and searched by PRIM (discover.h). The synthetic cases of issue 18: a goal missed exactly
 * when a < 0.3 and b > 0.6, with three irrelevant inputs (one box, limits within 0.05, only a
 * and b restricted, density above 0.9); two separate failure regions (two boxes); an
 * ensemble whose inputs are per-path means of a shocked series (the same boxes with 1 and 2
 * threads); the sentence and files; and each error of the key. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "discover.h"
#include "discover_write.h"
#include "load.h"
#include "sweep.h"
#include "testutil.h"

/* Five inputs on [0, 1]; miss1 is 1 exactly when a < 0.3 and b > 0.6, miss2 in two separate
 * regions, a < 0.3 and b < 0.5 (15% of the space, 60% of the misses) or a > 0.6 and c > 0.75
 * (10%); level grows at the exogenous rate g. (Two regions of equal weight at opposite corners
 * of the same two inputs defeat PRIM by design: no single peel raises the density, and no box
 * holding half of the misses is dense; Friedman and Fisher 1999, section 8.) */
static const char *test_model =
    "{\"name\": \"prim\", \"parameters\": {"
    "  \"a\": {\"value\": 0.5, \"min\": 0, \"max\": 1}, \"b\": {\"value\": 0.5, \"min\": 0, \"max\": 1},"
    "  \"c\": {\"value\": 0.5, \"min\": 0, \"max\": 1}, \"d\": {\"value\": 0.5, \"min\": 0, \"max\": 1},"
    "  \"f\": {\"value\": 0.5, \"min\": 0, \"max\": 1}},"
    " \"exogenous\": {\"g\": {\"value\": 0.05, \"min\": -0.5, \"max\": 0.5}},"
    " \"variables\": {"
    "  \"miss1\": {\"eq\": \"(a < 0.3) * (b > 0.6)\"},"
    "  \"miss2\": {\"eq\": \"(a < 0.3) * (b < 0.5) + (a > 0.6) * (c > 0.75)\"},"
    "  \"level\": {\"eq\": \"level[-1] * (1 + g) + 0 * c\", \"unit\": \"亿元\"}}}";

/* Loads a scenario of the model with `blocks` (JSON members after the goals). */
static int load(const char *blocks, load_result *in, diag *d)
{
    testutil_write("prim.json", test_model);
    char text[8192];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"prim.json\", \"start\": 2024, \"end\": 2027,"
             " \"initial\": {\"level\": {\"2023\": 100}},"
             " \"goals\": [{\"id\": \"one\", \"variable\": \"miss1\", \"year\": 2025, \"target\": 0.5,"
             "              \"direction\": \"at_most\"},"
             "             {\"id\": \"two\", \"variable\": \"miss2\", \"year\": 2025, \"target\": 0.5,"
             "              \"direction\": \"at_most\"},"
             "             {\"id\": \"level\", \"variable\": \"level\", \"year\": 2026, \"target\": 115.8}],"
             " %s}",
             blocks);
    diag_init(d);
    memset(in, 0, sizeof *in);
    return load_scenario(testutil_write("s.json", text), NULL, in, d);
}

static const char *five_inputs = "\"parameters\": {\"a\": {\"min\": 0, \"max\": 1}, \"b\": {\"min\": 0, \"max\": 1},"
                                 " \"c\": {\"min\": 0, \"max\": 1}, \"d\": {\"min\": 0, \"max\": 1},"
                                 " \"f\": {\"min\": 0, \"max\": 1}}";

/* Runs a sweep block (method and size in `head`) with "discover" and returns the result. */
static discover_result *discover_on_sweep(const char *head, const char *discover, load_result *in, sweep_result **sw)
{
    char blocks[2048];
    snprintf(blocks, sizeof blocks, "\"sweep\": {%s, %s, \"outputs\": [\"level@2026\"], \"discover\": %s}", head,
             five_inputs, discover);
    diag d;
    cr_assert_eq(load(blocks, in, &d), DIAG_OK, "%s", d.message);
    cr_assert_not_null(in->sweep_discover);
    cr_assert_eq(run_simulate(in->run, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(sweep_execute(in->sweep, in->run, 2, NULL, sw, &d), DIAG_OK, "%s", d.message);
    discover_result *res = NULL;
    cr_assert_eq(discover_sweep(in->sweep_discover, *sw, in->goals, &res, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return res;
}

Test(discover, one_region_recovers_its_limits_and_nothing_else)
{
    load_result in;
    sweep_result *sw = NULL;
    discover_result *res = discover_on_sweep("\"method\": \"montecarlo\", \"samples\": 4000, \"seed\": 3",
                                             "{\"goal\": \"one\", \"boxes\": 1}", &in, &sw);
    /* met:one was added to the outputs for the outcome */
    cr_assert_eq(in.sweep->output_count, 2);
    cr_assert_str_eq(in.sweep->outputs[1].name, "met:one");
    cr_assert_eq(res->n, 4000);
    cr_assert_eq(res->prim.box_count, 1);
    const prim_box *box = &res->prim.boxes[0];
    cr_assert_eq(box->limits[0].sides, PRIM_UPPER, "a: sides %u", box->limits[0].sides);
    cr_assert_eq(box->limits[1].sides, PRIM_LOWER, "b: sides %u", box->limits[1].sides);
    for (size_t j = 2; j < 5; j++)
        cr_assert_eq(box->limits[j].sides, 0, "input %zu is irrelevant but restricted", j);
    cr_assert_lt(fabs(box->limits[0].upper - 0.3), 0.05, "a < %g", box->limits[0].upper);
    cr_assert_lt(fabs(box->limits[1].lower - 0.6), 0.05, "b > %g", box->limits[1].lower);
    cr_assert_gt(box->stats.density, 0.9);
    /* the true region holds 0.3 x 0.4 = 12% of the runs: the box covers most of its misses */
    cr_assert_gt(box->stats.coverage, 0.8);
    cr_assert_lt(box->limits[0].qp_upper, 1e-6);
    cr_assert_lt(box->limits[1].qp_lower, 1e-6);
    char sentence[2048];
    discover_sentence(sentence, sizeof sentence, res, 0);
    cr_assert(strstr(sentence, "goal one (2025) is missed in "), "%s", sentence);
    cr_assert(strstr(sentence, "a is at most 0.") && strstr(sentence, " and b is at least 0."), "%s", sentence);
    discover_result_free(res);
    sweep_result_free(sw);
    load_release(&in);
}

Test(discover, two_regions_give_two_boxes)
{
    load_result in;
    sweep_result *sw = NULL;
    discover_result *res = discover_on_sweep("\"method\": \"sobol\", \"samples\": 4096, \"bootstrap\": 0",
                                             "\"two\"", &in, &sw);
    cr_assert_eq(res->n, 2 * 4096, "Sobol': the rows of A and B");
    cr_assert_geq(res->prim.box_count, 2);
    const prim_box *first = &res->prim.boxes[0], *second = &res->prim.boxes[1];
    /* the larger region first: a <= 0.3, b <= 0.5 */
    cr_assert_eq(first->limits[0].sides, PRIM_UPPER);
    cr_assert_eq(first->limits[1].sides, PRIM_UPPER);
    cr_assert_lt(fabs(first->limits[0].upper - 0.3), 0.05, "%g", first->limits[0].upper);
    cr_assert_lt(fabs(first->limits[1].upper - 0.5), 0.05, "%g", first->limits[1].upper);
    /* then the other: a >= 0.6, c >= 0.75 */
    cr_assert_eq(second->limits[0].sides, PRIM_LOWER);
    cr_assert_eq(second->limits[1].sides, 0);
    cr_assert_eq(second->limits[2].sides, PRIM_LOWER);
    cr_assert_lt(fabs(second->limits[0].lower - 0.6), 0.05, "%g", second->limits[0].lower);
    cr_assert_lt(fabs(second->limits[2].lower - 0.75), 0.05, "%g", second->limits[2].lower);
    for (size_t b = 0; b < 2; b++) {
        cr_assert_gt(res->prim.boxes[b].stats.density, 0.9);
        for (size_t j = 3; j < 5; j++)
            cr_assert_eq(res->prim.boxes[b].limits[j].sides, 0);
    }
    /* together they hold nearly every miss */
    cr_assert_gt(first->stats.coverage + second->stats.coverage, 0.9);
    discover_result_free(res);
    sweep_result_free(sw);
    load_release(&in);
}

/* An ensemble: g shocked each year, a drawn once per path; the level goal is missed when the
 * mean growth over 2024-2026 is low. Runs discovery with `threads`. */
static discover_result *discover_on_ensemble(int threads, load_result *in)
{
    diag d;
    cr_assert_eq(load("\"uncertainty\": {\"paths\": 3000, \"seed\": 5, \"shocks\": {"
                      "  \"g\": {\"dist\": \"normal\", \"sd\": 0.02},"
                      "  \"a\": {\"dist\": \"uniform\", \"min\": 0, \"max\": 1, \"apply\": \"replace\"}},"
                      " \"discover\": {\"goal\": \"level\", \"boxes\": 2}}",
                      in, &d),
                 DIAG_OK, "%s", d.message);
    cr_assert_not_null(in->ensemble_discover);
    cr_assert_eq(run_simulate(in->run, &d), DIAG_OK, "%s", d.message);
    discover_result *res = NULL;
    pathsample *sample = NULL;
    cr_assert_eq(pathsample_collect(in->ensemble, in->run, in->goals, threads, NULL, &sample, &d), DIAG_OK, "%s",
                 d.message);
    cr_assert_eq(discover_ensemble(in->ensemble_discover, in->ensemble, sample, in->run, in->goals, &res, &d),
                 DIAG_OK, "%s", d.message);
    pathsample_free(sample);
    diag_free(&d);
    return res;
}

Test(discover, ensemble_inputs_are_path_means_and_do_not_depend_on_threads)
{
    load_result in1, in2;
    discover_result *one = discover_on_ensemble(1, &in1), *two = discover_on_ensemble(2, &in2);
    cr_assert_eq(one->k, 2);
    cr_assert_str_eq(one->inputs[0].name, "g");
    cr_assert_str_eq(one->inputs[0].summary, "mean 2024-2026 on the path");
    cr_assert_str_eq(one->inputs[1].summary, "value on the path");
    cr_assert_eq(memcmp(one->x, two->x, one->n * one->k * sizeof *one->x), 0);
    cr_assert_eq(memcmp(one->missed, two->missed, one->n), 0);
    /* the goal's truth by hand: level 2026 = 100 prod (1 + g_t) over 2024-2026 >= 115.8 */
    for (size_t p = 0; p < one->n; p++) {
        double mean = one->x[p * 2];
        cr_assert(mean > 0.05 - 0.2 && mean < 0.05 + 0.2);
    }
    /* a low mean growth explains the misses; a does nothing */
    cr_assert_geq(one->prim.box_count, 1);
    const prim_box *box = &one->prim.boxes[0];
    cr_assert_eq(box->limits[0].sides, PRIM_UPPER);
    cr_assert_eq(box->limits[1].sides, 0);
    cr_assert_gt(box->stats.density, 0.9);
    /* 100 (1 + m)^3 = 115.8 at m = 5.01%: the box's limit lies near it */
    cr_assert_lt(fabs(box->limits[0].upper - 0.0501), 0.01, "%g", box->limits[0].upper);
    cr_assert_eq(one->prim.box_count, two->prim.box_count);
    cr_assert_eq(memcmp(&one->prim.boxes[0].stats, &two->prim.boxes[0].stats, sizeof box->stats), 0);
    discover_result_free(one);
    discover_result_free(two);
    load_release(&in1);
    load_release(&in2);
}

/* Each mistake of the key is refused at its JSON path. */
static void expect_error(const char *blocks, const char *text)
{
    load_result in;
    diag d;
    cr_assert_eq(load(blocks, &in, &d), DIAG_DATA, "%s", d.message);
    cr_assert(strstr(d.message, text), "expected \"%s\" in: %s", text, d.message);
    diag_free(&d);
    load_release(&in);
}

Test(discover, bad_keys)
{
    char sweep[4096];
    const char *head = "\"sweep\": {\"method\": \"montecarlo\", \"samples\": 100, \"outputs\": [\"level@2026\"], "
                       "\"parameters\": {\"a\": {\"min\": 0, \"max\": 1}}, \"discover\": ";
    struct {
        const char *discover, *text;
    } cases[] = {
        {"\"onee\"", "$.sweep.discover: error: unknown goal \"onee\" (did you mean \"one\"?)"},
        {"3", "$.sweep.discover: error: \"discover\" must be a goal id or an object"},
        {"{\"boxes\": 2}", "$.sweep.discover: error: missing \"goal\""},
        {"{\"goal\": \"one\", \"boxs\": 2}", "$.sweep.discover.boxs: error: unknown key \"boxs\" in \"discover\" (did you mean \"boxes\"?)"},
        {"{\"goal\": \"one\", \"boxes\": 4}", "$.sweep.discover.boxes: error: \"boxes\" must be from 1 to 3, not 4"},
        {"{\"goal\": \"one\", \"coverage\": 0}", "$.sweep.discover.coverage: error: \"coverage\" must be from 0.01 to 1"},
        {"{\"goal\": \"one\", \"alpha\": 0.5}", "$.sweep.discover.alpha: error: \"alpha\" must be from 0.01 to 0.3"},
        {"{\"goal\": \"one\", \"step\": -1}", "$.sweep.discover.step: error: a step of the peeling trajectory"},
        {"{\"goal\": \"one\", \"step\": [1, 2, 3, 4]}", "$.sweep.discover.step: error: \"step\" names one step per box"},
        {"{\"goal\": 7}", "$.sweep.discover.goal: error: the goal to discover on must be a goal id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(sweep, sizeof sweep, "%s%s}", head, cases[i].discover);
        expect_error(sweep, cases[i].text);
    }
    expect_error("\"sweep\": {\"method\": \"oat\", \"outputs\": [\"level@2026\"], "
                 "\"parameters\": {\"a\": {\"low\": 0, \"high\": 1}}, \"discover\": \"one\"}",
                 "$.sweep.discover: error: a one-at-a-time sweep (method oat) has no sample");
    expect_error("\"uncertainty\": {\"paths\": 10, \"shocks\": {\"a\": {\"dist\": \"normal\", \"sd\": 0.1}},"
                 " \"discover\": \"nope\"}",
                 "$.uncertainty.discover: error: unknown goal \"nope\"");
}

Test(discover, a_named_step_is_the_box_before_pasting)
{
    load_result in;
    sweep_result *sw = NULL;
    discover_result *res = discover_on_sweep("\"method\": \"montecarlo\", \"samples\": 2000, \"seed\": 3",
                                             "{\"goal\": \"one\", \"boxes\": 1, \"step\": 0}", &in, &sw);
    /* step 0 is the box of every run: it restricts nothing, so no box is reported */
    cr_assert_eq(res->prim.boxes ? res->prim.box_count : 0, 0);
    cr_assert_eq(res->prim.stop, PRIM_STOP_NO_RESTRICTION);
    discover_result_free(res);
    sweep_result_free(sw);
    load_release(&in);
}
