/* test_sweep_years.c: sensitivity by year. An output written VARIABLE@* expands to one output
 * per year of the horizon, and each year gets its own Sobol' and Morris indices. The model is
 * a time-varying Ishigami function,
 *     y_t = sin x1 + a_t sin^2 x2 + b_t x3^4 sin x1,   x_i uniform on [-pi, pi],
 *     a_t = 1 + 2 (t - 2024),  b_t = 0.05 + 0.05 (t - 2024),
 * whose indices change by year and are known in closed form (Ishigami and Homma 1990; Sobol'
 * and Levitan 1999): with V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225 and
 * V = V1 + V2 + V13: S1 = V1 / V, S2 = V2 / V, S3 = 0, ST1 = (V1 + V13) / V, ST2 = S2,
 * ST3 = V13 / V. At N = 2^14 the estimates are within 0.03 of them (a stated tolerance, not
 * "inside every interval", which would fail by chance). */
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

static sweep_result *run_sweep(const char *method_keys, load_result *in)
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
    cr_assert_eq(sweep_execute(in->sweep, in->run, 2, NULL, &res, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return res;
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
