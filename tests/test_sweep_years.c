/* test_sweep_years.c: sensitivity by year, and "samples": "auto". An output written VARIABLE@* expands to one output
 * per year of the horizon, and each year gets its own Sobol' and Morris indices. The model is
 * a time-varying Ishigami function,
 *     y_t = sin x1 + a_t sin^2 x2 + b_t x3^4 sin x1,   x_i uniform on [-pi, pi],
 *     a_t = 1 + 2 (t - 2024),  b_t = 0.05 + 0.05 (t - 2024),
 * whose indices change by year and are known in closed form (Ishigami and Homma 1990; Sobol'
 * and Levitan 1999): with V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225 and
 * V = V1 + V2 + V13: S1 = V1 / V, S2 = V2 / V, S3 = 0, ST1 = (V1 + V13) / V, ST2 = S2,
 * ST3 = V13 / V. At N = 2^14 the estimates are within 0.03 of them (a stated tolerance, not
 * "inside every interval", which would fail by chance).
 * "auto" on the same function: it stops at the first N whose every ST interval is narrower
 * than the threshold, its indices are within tolerance of the closed forms, and its runs are
 * exactly those of a sweep of that fixed N (earlier runs reused, none re-run or lost). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "sweep.h"
#include "testutil.h"

#define TEST_PI 3.14159265358979323846

static const char *test_model =
    "{\"name\": \"ish\", \"parameters\": {"
    "  \"x1\": {\"value\": 0, \"min\": -4, \"max\": 4}, \"x2\": {\"value\": 0, \"min\": -4, \"max\": 4},"
    "  \"x3\": {\"value\": 0, \"min\": -4, \"max\": 4}},"
    " \"variables\": {"
    "  \"ish\": {\"eq\": \"sin(x1) + (1 + 2 * (year - 2024)) * pow(sin(x2), 2)"
    " + (0.05 + 0.05 * (year - 2024)) * pow(x3, 4) * sin(x1)\"}}}";

static void analytic(int year, double *s1, double *st)
{
    double a = 1 + 2 * (year - 2024), b = 0.05 + 0.05 * (year - 2024);
    double pi4 = pow(TEST_PI, 4), v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8;
    double v13 = 8 * b * b * pi4 * pi4 / 225, v = v1 + v2 + v13;
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
}

static sweep_result *run_sweep_threads(const char *method_keys, load_result *in, int threads)
{
    testutil_write("ish.json", test_model);
    char text[2048];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"ish.json\", \"start\": 2024, \"end\": 2027,"
             " \"sweep\": {%s, \"parameters\": {"
             "   \"x1\": {\"min\": %.17g, \"max\": %.17g}, \"x2\": {\"min\": %.17g, \"max\": %.17g},"
             "   \"x3\": {\"min\": %.17g, \"max\": %.17g}},"
             "  \"outputs\": [\"ish@*\"]}}",
             method_keys, -TEST_PI, TEST_PI, -TEST_PI, TEST_PI, -TEST_PI, TEST_PI);
    diag d;
    diag_init(&d);
    memset(in, 0, sizeof *in);
    cr_assert_eq(load_scenario(testutil_write("s.json", text), NULL, in, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(run_simulate(in->run, &d), DIAG_OK, "%s", d.message);
    sweep_result *res = NULL;
    cr_assert_eq(sweep_execute_auto(in->sweep, in->run, threads, NULL, &res, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return res;
}

static sweep_result *run_sweep(const char *method_keys, load_result *in)
{
    return run_sweep_threads(method_keys, in, 2);
}

Test(sweep_years, star_expands_to_one_output_per_year)
{
    load_result in;
    sweep_result *res = run_sweep("\"method\": \"sobol\", \"samples\": 16384, \"bootstrap\": 0, \"seed\": 4", &in);
    const sweep_spec *spec = in.sweep;
    cr_assert_eq(spec->output_count, 4);
    for (size_t o = 0; o < 4; o++) {
        char name[32];
        snprintf(name, sizeof name, "ish@%zu", 2024 + o);
        cr_assert_str_eq(spec->outputs[o].name, name);
        cr_assert_eq(spec->outputs[o].year, (int)(2024 + o));
        cr_assert_eq(spec->outputs[o].group, 0);
        double s1[3], st[3];
        analytic(spec->outputs[o].year, s1, st);
        for (size_t i = 0; i < 3; i++) {
            const sweep_index *x = &res->indices[o * 3 + i];
            cr_assert_float_eq(x->first.value, s1[i], 0.03, "%s x%zu: S1 %.4f, analytic %.4f", name, i + 1,
                               x->first.value, s1[i]);
            cr_assert_float_eq(x->total.value, st[i], 0.03, "%s x%zu: ST %.4f, analytic %.4f", name, i + 1,
                               x->total.value, st[i]);
            cr_log_info("%s x%zu: S1 %.4f (analytic %.4f), ST %.4f (analytic %.4f)", name, i + 1, x->first.value,
                        s1[i], x->total.value, st[i]);
        }
    }
    /* the indices do change by year: x2's share falls from 2024 to 2027 ... */
    double s1a[3], sta[3], s1b[3], stb[3];
    analytic(2024, s1a, sta);
    analytic(2027, s1b, stb);
    cr_assert_gt(fabs(s1a[1] - s1b[1]), 0.1);
    sweep_result_free(res);
    load_release(&in);
}

Test(sweep_years, morris_by_year_ranks_x3_last_in_the_first_year)
{
    load_result in;
    sweep_result *res = run_sweep("\"method\": \"morris\", \"trajectories\": 200, \"levels\": 8, \"seed\": 4", &in);
    cr_assert_eq(in.sweep->output_count, 4);
    /* in 2024 (a = 1, b = 0.05) x3 matters least; its mu* grows with b year by year */
    cr_assert_lt(res->indices[0 * 3 + 2].mu_star.value, res->indices[0 * 3 + 0].mu_star.value);
    for (size_t o = 1; o < 4; o++)
        cr_assert_gt(res->indices[o * 3 + 2].mu_star.value, res->indices[(o - 1) * 3 + 2].mu_star.value);
    sweep_result_free(res);
    load_release(&in);
}

Test(sweep_years, star_errors)
{
    testutil_write("ish.json", test_model);
    const char *bad[][2] = {
        {"[\"ish@*\", \"ish@2025\"]", "the output \"ish@2025\" is listed twice"},
        {"[\"ish@**\"]", "\"ish@**\": write an output as VARIABLE@YEAR (e.g. \"fiscal_revenue@2025\"), VARIABLE@* "
                         "(every year) or met:GOAL_ID"},
        {"[\"x1@*\"]", "\"x1\" is a parameter"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"name\": \"t\", \"model\": \"ish.json\", \"start\": 2024, \"end\": 2027,"
                 " \"sweep\": {\"method\": \"sobol\", \"samples\": 64, \"parameters\": {\"x1\": {\"min\": 0, "
                 "\"max\": 1}}, \"outputs\": %s}}",
                 bad[i][0]);
        load_result in;
        diag d;
        diag_init(&d);
        cr_assert_eq(load_scenario(testutil_write("s.json", text), NULL, &in, &d), DIAG_DATA);
        cr_assert(strstr(d.message, bad[i][1]), "expected \"%s\" in: %s", bad[i][1], d.message);
        diag_free(&d);
        load_release(&in);
    }
}

Test(sweep_years, auto_stops_when_every_st_interval_is_narrow_and_reuses_the_runs)
{
    load_result in, fixed_in, one_in;
    sweep_result *res = run_sweep("\"method\": \"sobol\", \"samples\": \"auto\", \"threshold\": 0.05, "
                                  "\"bootstrap\": 300, \"seed\": 4", &in);
    const sweep_spec *spec = in.sweep;
    cr_assert_eq(spec->samples_auto, 1);
    cr_assert_geq(res->convergence_steps, 2, "0.05 is not reached at N = 512 on this function");
    cr_assert_eq(res->converged, 1);
    /* N doubles from 512; every step before the last is still too wide, the last is narrow */
    for (size_t s = 0; s < res->convergence_steps; s++) {
        cr_assert_eq(res->convergence[s].samples, (size_t)512 << s);
        if (s + 1 < res->convergence_steps)
            cr_assert_geq(res->convergence[s].widest, 0.05);
    }
    const sweep_convergence *last = &res->convergence[res->convergence_steps - 1];
    cr_assert_lt(last->widest, 0.05);
    cr_assert_eq(spec->samples, last->samples);
    cr_assert_eq(res->runs, spec->samples * 5);
    for (size_t o = 0; o < spec->output_count; o++)
        for (size_t i = 0; i < 3; i++) {
            const sensitivity_estimate *e = &res->indices[o * 3 + i].total;
            cr_assert_lt(e->high - e->low, 0.05);
            double s1[3], st[3];
            analytic(spec->outputs[o].year, s1, st);
            /* within 0.03 of the closed form, as at N = 2^14 above */
            cr_assert_float_eq(e->value, st[i], 0.03, "%s x%zu: ST %.4f, analytic %.4f", spec->outputs[o].name, i + 1,
                               e->value, st[i]);
        }
    cr_log_info("auto (width 0.05): N = %zu after %zu steps, widest %.4f", spec->samples, res->convergence_steps,
                last->widest);
    /* the same runs and indices as a sweep of that N fixed */
    char fixed[200];
    snprintf(fixed, sizeof fixed, "\"method\": \"sobol\", \"samples\": %zu, \"threshold\": 0.05, \"bootstrap\": 300, "
             "\"seed\": 4", spec->samples);
    sweep_result *ref = run_sweep(fixed, &fixed_in);
    cr_assert_eq(ref->runs, res->runs);
    cr_assert_eq(memcmp(ref->y, res->y, res->runs * spec->output_count * sizeof *res->y), 0);
    cr_assert_eq(ref->design_hash, res->design_hash);
    cr_assert_eq(memcmp(ref->indices, res->indices, spec->output_count * 3 * sizeof *res->indices), 0);
    /* and with one thread */
    sweep_result *one = run_sweep_threads("\"method\": \"sobol\", \"samples\": \"auto\", \"threshold\": 0.05, "
                                          "\"bootstrap\": 300, \"seed\": 4", &one_in, 1);
    cr_assert_eq(one->runs, res->runs);
    cr_assert_eq(memcmp(one->y, res->y, res->runs * spec->output_count * sizeof *res->y), 0);
    cr_assert_eq(memcmp(one->indices, res->indices, spec->output_count * 3 * sizeof *res->indices), 0);
    sweep_result_free(one);
    sweep_result_free(ref);
    sweep_result_free(res);
    load_release(&one_in);
    load_release(&fixed_in);
    load_release(&in);
}

Test(sweep_years, auto_stops_at_the_cap_and_says_so)
{
    load_result in;
    sweep_result *res = run_sweep("\"method\": \"sobol\", \"samples\": \"auto\", \"threshold\": 0.001, "
                                  "\"max_samples\": 1024, \"bootstrap\": 100", &in);
    cr_assert_eq(res->converged, 0);
    cr_assert_eq(res->convergence_steps, 2);
    cr_assert_eq(in.sweep->samples, 1024);
    sweep_result_free(res);
    load_release(&in);
}

Test(sweep_years, auto_errors)
{
    testutil_write("ish.json", test_model);
    const char *bad[][2] = {
        {"\"method\": \"montecarlo\", \"samples\": \"auto\"", "$.sweep.samples: error: \"samples\": \"auto\" is for sobol sweeps"},
        {"\"method\": \"sobol\", \"samples\": \"auto\", \"bootstrap\": 0",
         "$.sweep.samples: error: \"samples\": \"auto\" stops when the bootstrap intervals are narrow enough"},
        {"\"method\": \"sobol\", \"samples\": \"auto\", \"max_samples\": 3000",
         "$.sweep.max_samples: error: 3000 is not a power of two: \"auto\" doubles N, so its cap is 2^m; use 2048 or 4096"},
        {"\"method\": \"sobol\", \"samples\": 1024, \"max_samples\": 4096",
         "$.sweep.max_samples: error: \"max_samples\" caps \"samples\": \"auto\"; with a fixed N, leave it out"},
        {"\"method\": \"morris\", \"max_samples\": 4096", "$.sweep.max_samples: error: \"max_samples\" belongs to sobol sweeps"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"name\": \"t\", \"model\": \"ish.json\", \"start\": 2024, \"end\": 2027,"
                 " \"sweep\": {%s, \"parameters\": {\"x1\": {\"min\": 0, \"max\": 1}}, \"outputs\": [\"ish@2025\"]}}",
                 bad[i][0]);
        load_result in;
        diag d;
        diag_init(&d);
        cr_assert_eq(load_scenario(testutil_write("s.json", text), NULL, &in, &d), DIAG_DATA);
        cr_assert(strstr(d.message, bad[i][1]), "expected \"%s\" in: %s", bad[i][1], d.message);
        diag_free(&d);
        load_release(&in);
    }
}
