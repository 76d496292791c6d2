/* test_validate.c: a scenario checked against its model and history before it runs, and the
 * whole load (load_scenario): unit slips with the percent hint, names a planner would guess,
 * labels standing for names (a child's label over its base's name), years outside the run,
 * overlapping years in one file, bounds, implausible observations, and every mistake of a
 * file reported in one run, sorted by position. The scenarios extend the shipped baseline, so
 * the numbers are the county model's. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "run.h"
#include "jsonfile.h"
#include "testutil.h"

/* A scenario extending the shipped baseline with `extra` members, written to a test file. */
static const char *child_of_baseline(const char *name, const char *extra)
{
    char cwd[512], text[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, "{\"name\": \"t\", \"extends\": \"%s/scenarios/linzhou-baseline.json\"%s%s}", cwd,
             extra[0] ? ", " : "", extra);
    return testutil_write(name, text);
}

/* Loads `path` whole and expects it to fail with `count` errors (0: any), the texts of which
 * contain expected[0..n) in that order once sorted by position. */
static void expect_errors(const char *path, int status, size_t count, const char *const *expected, size_t n)
{
    diag d;
    diag_init(&d);
    load_result in;
    cr_assert_eq(load_scenario(path, NULL, &in, &d), status, "status %d: %s", d.status, d.message);
    cr_assert_null(in.run);
    if (count)
        cr_assert_eq(d.error_count, count, "%zu errors, first: %s", d.error_count, d.message);
    jsonfile_locate_diag(&d);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    diag_print(&d, "econsim", f);
    fclose(f);
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(at, expected[i]);
        cr_assert_not_null(hit, "missing (or out of order): %s\nin:\n%s", expected[i], text);
        at = hit + strlen(expected[i]);
    }
    free(text);
    diag_free(&d);
}

Test(validate, unit_slips_get_the_percent_hint)
{
    const char *path = child_of_baseline("slips.json", "\"assumptions\": {\"gdp_real_growth\": {\"2023\": 4, "
                                                       "\"2024-2030\": \"5%\"}, \"gdp_deflator_growth\": 1.5}");
    static const char *const expected[] = {
        "$.assumptions.gdp_real_growth.2023: error: 4 is outside the range of gdp_real_growth (-20% to 30%); did "
        "you mean 0.04 or \"4%\"?",
        "$.assumptions.gdp_deflator_growth: error: 1.5 is outside the range of gdp_deflator_growth (-10% to 20%); "
        "did you mean 0.015 or \"1.5%\"?",
    };
    expect_errors(path, DIAG_DATA, 2, expected, 2);
}

Test(validate, three_mistakes_three_diagnostics_in_file_order)
{
    /* written in this order: a goal target, a name, a year; reported in file order */
    const char *path = child_of_baseline(
        "three.json", "\"goals\": [{\"id\": \"g\", \"variable\": \"gdp_real\", \"kind\": \"growth\", \"year\": 2023, "
                      "\"target\": 7}],\n \"assumptions\": {\"deflater\": 0.01,\n \"gdp_real_growth\": {\"2032\": 0.05}}");
    static const char *const expected[] = {
        "$.goals[0].target: error: 7 is outside the range of the growth of gdp_real (-50% to 100%, the default for a "
        "growth rate without declared bounds); did you mean 0.07 or \"7%\"?",
        "$.assumptions.deflater: error: assumption for unknown name \"deflater\" (did you mean "
        "\"gdp_deflator_growth\", GDP 平减指数增速?)",
        "$.assumptions.gdp_real_growth.2032: error: 2032 is after the scenario's end (2030)",
    };
    expect_errors(path, DIAG_DATA, 3, expected, 3);
}

Test(validate, names_a_planner_would_guess)
{
    const char *path = child_of_baseline("guess.json", "\"assumptions\": {\"gdp_growth\": 0.05, \"GDP\": 0.05, "
                                                       "\"nothing_like_it\": 1}");
    static const char *const expected[] = {
        "unknown name \"gdp_growth\" (did you mean \"gdp_real_growth\", GDP 实际增速?)",
        "unknown name \"GDP\" (did you mean \"gdp_real_growth\", GDP 实际增速?)",
        "unknown name \"nothing_like_it\"; the exogenous series and parameters of",
    };
    expect_errors(path, DIAG_DATA, 3, expected, 3);
}

Test(validate, a_label_stands_for_its_name_and_overrides_the_base)
{
    const char *path = child_of_baseline("labels.json", "\"assumptions\": {\"GDP 实际增速\": {\"2023\": \"3%\", "
                                                        "\"note\": \"a slow year\"}}");
    run *r = testutil_load_run(path);
    cr_assert_float_eq(run_value(r, "gdp_real_growth", 2023), 0.03, 0, "the child's year");
    cr_assert_float_eq(run_value(r, "gdp_real_growth", 2024), 0.055, 0, "the base's 2023-2025");
    /* provenance: each year knows its file and its own note */
    const scenario_series *g = scenario_assumption(r->scenario, "gdp_real_growth");
    const scenario_source *y2023 = scenario_series_source(g, 2023), *y2027 = scenario_series_source(g, 2027);
    cr_assert_str_eq(y2023->json_path, "$.assumptions[\"GDP 实际增速\"].2023");
    cr_assert_str_eq(y2023->note, "a slow year");
    cr_assert(strstr(y2027->file, "scenarios/linzhou-baseline.json"), "%s", y2027->file);
    cr_assert_str_eq(y2027->json_path, "$.assumptions.gdp_real_growth.2026-2030");
    cr_assert(strstr(y2027->note, "实际增速 2018 年为 6.3%"), "the base's note for the base's value: %s", y2027->note);
    cr_assert(strstr(y2027->note_en, "Real growth was 6.3% in 2018"), "and its English form: %s", y2027->note_en);
    cr_assert_null(y2023->note_en, "the child's note has none");
    run_free(r);
}

Test(validate, a_name_and_its_label_in_one_file_are_one_key_twice)
{
    const char *path = child_of_baseline("twice.json", "\"assumptions\": {\"gdp_real_growth\": 0.05, "
                                                       "\"GDP 实际增速\": 0.06}");
    static const char *const expected[] = {"$.assumptions[\"GDP 实际增速\"]: error: \"gdp_real_growth\" and \"GDP "
                                           "实际增速\" both stand for gdp_real_growth in this file"};
    expect_errors(path, DIAG_DATA, 1, expected, 1);
}

Test(validate, overlapping_years_in_one_file)
{
    const char *path = child_of_baseline("overlap.json", "\"assumptions\": {\"gdp_real_growth\": {\"2023-2025\": "
                                                         "\"6%\", \"2025\": \"9%\"}, \"construction_output_growth\": "
                                                         "{\"values\": [0.05, 0.06], \"2024-2026\": 0.07}}");
    static const char *const expected[] = {
        "$.assumptions.gdp_real_growth.2025: error: years 2025 overlap 2023-2025 of the same series in this file "
        "($.assumptions.gdp_real_growth.2023-2025; 2025 is in both): give each year once",
        "$.assumptions.construction_output_growth.2024-2026: error: years 2024-2026 overlap 2024 of the same series "
        "in this file ($.assumptions.construction_output_growth.values[1]; 2024 is in both)",
    };
    expect_errors(path, DIAG_DATA, 2, expected, 2);
}

Test(validate, bounds_widen_a_range_on_purpose)
{
    const char *path = child_of_baseline("crisis.json", "\"bounds\": {\"gdp_real_growth\": {\"min\": \"-30%\"}}, "
                                                        "\"assumptions\": {\"gdp_real_growth\": {\"2023\": \"-25%\"}}");
    diag d;
    diag_init(&d);
    run *r = run_load(path, &d);
    cr_assert_not_null(r, "%s", d.message);
    const model_slot *g = &r->model->slots[model_find(r->model, "gdp_real_growth")];
    cr_assert_float_eq(g->min, -0.3, 1e-15);
    cr_assert_float_eq(g->max, 0.3, 1e-15, "the side the bound leaves out keeps the model's");
    cr_assert_float_eq(g->model_min, -0.2, 1e-15);
    run_free(r);
    diag_free(&d);
    /* without the bound the same value is an error */
    path = child_of_baseline("no-crisis.json", "\"assumptions\": {\"gdp_real_growth\": {\"2023\": \"-25%\"}}");
    static const char *const expected[] = {"-25% is outside the range of gdp_real_growth (-20% to 30%)"};
    expect_errors(path, DIAG_DATA, 1, expected, 1);
}

Test(validate, a_missing_input_wins_over_bad_data)
{
    char cwd[512], text[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"%s/models/county.json\", \"start\": 2023, \"end\": 2030, "
             "\"history\": {\"file\": \"no-such.csv\", \"place\": \"x\"}, \"assumptions\": {\"gdp_real_growth\": 4}}",
             cwd);
    static const char *const expected[] = {"no-such.csv: error: cannot open: No such file or directory"};
    expect_errors(testutil_write("missing.json", text), DIAG_NO_INPUT, 0, expected, 1);
}

Test(validate, implausible_observations_at_their_line_and_column)
{
    char cwd[512], text[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    testutil_write("obs.csv", "place,indicator,year,value,unit,kind\n"
                              "P,gdp,2022,657.4,亿元,level\n"
                              "P,fiscal_revenue,2021,40,亿元,level\n"
                              "P,fiscal_revenue_growth,2022,8.8,ratio,growth\n"
                              "P,gdp_real_growth,2022,4.8%,ratio,growth\n"
                              "Q,gdp,2022,-3,亿元,level\n");
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"model\": \"%s/models/county.json\", \"start\": 2023, \"end\": 2025, "
             "\"history\": {\"file\": \"obs.csv\", \"place\": \"P\"}, \"initial\": {\"gdp_deflator\": 1}}",
             cwd);
    static const char *const expected[] = {
        "obs.csv:4:30: error: P fiscal_revenue_growth 2022 (growth over the previous year): 8.8 is outside the range "
        "of fiscal_revenue_growth (-50% to 100%, the default for a growth rate without declared bounds); did you mean "
        "0.088 or \"8.8%\"?",
        "obs.csv:6:12: error: Q gdp 2022: -3 is outside the range of gdp (at least 0 亿元)",
    };
    expect_errors(testutil_write("obs-scenario.json", text), DIAG_DATA, 2, expected, 2);
}
