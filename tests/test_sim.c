/* test_sim.c: plans and runs: rule 1 (history overrides equations, ragged edges), derived
 * levels from growth rates, missing inputs, and the shipped scenarios against hand
 * computations. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "run.h"
#include "testutil.h"

#define REL 1e-12

static sim_origin origin_of(const run *r, const char *name, int year)
{
    int t = sim_plan_year_index(r->plan, year);
    return (sim_origin)r->plan->origin[(size_t)model_find(r->model, name) * r->plan->years + (size_t)t];
}

Test(sim, target_scenario_matches_hand_computation)
{
    run *r = testutil_load_run("scenarios/linzhou-2023-target.json");
    double gdp2023 = 657.4 * 1.08 * 1.015;
    cr_assert_lt(testutil_reldiff(run_value(r, "gdp", 2023), gdp2023), REL, "gdp 2023 = %.17g", run_value(r, "gdp", 2023));
    double gdp2024 = gdp2023 * 1.07 * 1.015;
    cr_assert_lt(testutil_reldiff(run_value(r, "gdp", 2024), gdp2024), REL);
    /* real GDP at 2022 prices grows exactly at the real rate */
    cr_assert_lt(testutil_reldiff(run_value(r, "gdp_real", 2023), 657.4 * 1.08), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "gdp_real", 2024), 657.4 * 1.08 * 1.07), REL);
    double nominal = 1.08 * 1.015 - 1;
    cr_assert_lt(testutil_reldiff(run_value(r, "fiscal_revenue", 2023), 43.54 * (1 + 1.55 * nominal)), REL);
    /* construction: observed in 2020, the equation fills 2021-2022 (the ragged edge) */
    cr_assert_float_eq(run_value(r, "construction_output", 2020), 1500, 0);
    cr_assert_lt(testutil_reldiff(run_value(r, "construction_output", 2021), 1500 * 1.063), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "construction_output", 2023), 1500 * 1.063 * 1.063 * 1.063), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "construction_tax", 2023), 0.02 * 1500 * 1.063 * 1.063 * 1.063), REL);
    cr_assert_float_eq(run_value(r, "construction_tax", 2020), 30, 0);
    cr_assert_lt(testutil_reldiff(run_value(r, "construction_firms", 2023), 1100 * 1.134 * 1.134 * 1.134), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "devzone_gdp", 2023), 0.611 * gdp2023), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "devzone_industrial_output", 2023), 0.682 * 0.611 * gdp2023), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "urban_population", 2025), 35 * 1.02 * 1.02 * 1.02), REL);
    /* origins */
    cr_assert_eq(origin_of(r, "gdp", 2022), SIM_ORIGIN_OBSERVED);
    cr_assert_eq(origin_of(r, "gdp", 2023), SIM_ORIGIN_MODEL);
    cr_assert_eq(origin_of(r, "construction_output", 2020), SIM_ORIGIN_OBSERVED);
    cr_assert_eq(origin_of(r, "construction_output", 2021), SIM_ORIGIN_ESTIMATED,
                 "computed from the assumed growth before start: an estimate, not history");
    cr_assert_eq(origin_of(r, "urban_population", 2022), SIM_ORIGIN_INITIAL);
    cr_assert_eq(origin_of(r, "gdp_real_growth", 2022), SIM_ORIGIN_OBSERVED);
    cr_assert_eq(origin_of(r, "gdp_real_growth", 2023), SIM_ORIGIN_ASSUMED);
    cr_assert_float_eq(run_value(r, "gdp_real_growth", 2022), 0.048, 0);
    /* years between observations before start are left empty, never invented */
    cr_assert(isnan(run_value(r, "gdp", 2020)));
    run_free(r);
}

Test(sim, baseline_year_map_assumptions)
{
    run *r = testutil_load_run("scenarios/linzhou-baseline.json");
    double g = 657.4;
    for (int y = 2023; y <= 2030; y++) {
        g *= (y <= 2025 ? 1.055 : 1.05) * 1.015;
        cr_assert_lt(testutil_reldiff(run_value(r, "gdp", y), g), 1e-12, "gdp %d", y);
    }
    run_free(r);
}

static const char *tiny_model = "{\"parameters\": {\"b\": {\"value\": 2, \"min\": 0, \"max\": 3}},"
                                "\"exogenous\": {\"g\": {\"value\": 0.1, \"unit\": \"ratio\"}},"
                                "\"variables\": {"
                                "\"x\": {\"eq\": \"x[-1] * (1 + g)\", \"unit\": \"亿元\"},"
                                "\"y\": {\"eq\": \"b * x\", \"unit\": \"亿元\"}}}";

static run *tiny(const char *csv, const char *scenario_json, diag *d)
{
    testutil_write("tiny-model.json", tiny_model);
    testutil_write("tiny.csv", csv);
    const char *path = testutil_write("tiny-scenario.json", scenario_json);
    diag_init(d);
    run *r = run_load(path, d);
    if (r && run_simulate(r, d) != DIAG_OK) {
        run_free(r);
        r = NULL;
    }
    return r;
}

#define CSV_HEADER "place,indicator,year,value,unit,kind,source,reliability\n"
#define SCENARIO(extra)                                                                                             \
    "{\"model\": \"tiny-model.json\", \"history\": {\"file\": \"tiny.csv\", \"place\": \"P\"}, \"start\": 2023, "    \
    "\"end\": 2025" extra "}"

Test(sim, observation_overrides_equation_inside_the_horizon)
{
    diag d;
    run *r = tiny(CSV_HEADER "P,x,2022,100,亿元,level,s,A\nP,x,2024,50,亿元,level,s,A\nQ,x,2022,7,亿元,level,s,A\n",
                  SCENARIO(""), &d);
    cr_assert_not_null(r, "%s", d.message);
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2023), 110), REL);
    cr_assert_float_eq(run_value(r, "x", 2024), 50, 0);
    cr_assert_eq(origin_of(r, "x", 2024), SIM_ORIGIN_OBSERVED);
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2025), 55), REL, "the next year grows from the observation");
    cr_assert_lt(testutil_reldiff(run_value(r, "y", 2024), 100), REL, "same-year users see the observation");
    run_free(r);
}

Test(sim, ragged_edge_is_filled_by_the_equation)
{
    diag d;
    run *r = tiny(CSV_HEADER "P,x,2020,100,亿元,level,s,A\n", SCENARIO(""), &d);
    cr_assert_not_null(r, "%s", d.message);
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2021), 110), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2023), 133.1), REL);
    cr_assert_eq(origin_of(r, "x", 2021), SIM_ORIGIN_ESTIMATED, "computed from an assumption before start");
    run_free(r);
}

Test(sim, growth_observation_gives_a_derived_level)
{
    diag d;
    run *r = tiny(CSV_HEADER "P,x,2021,100,亿元,level,s,A\nP,x_growth,2022,0.2,ratio,growth,s,B\n"
                             "P,x,2024,0.5,ratio,growth,s,B\n",
                  SCENARIO(""), &d);
    cr_assert_not_null(r, "%s", d.message);
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2022), 120), REL);
    cr_assert_eq(origin_of(r, "x", 2022), SIM_ORIGIN_DERIVED);
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2023), 132), REL);
    /* kind growth on a level variable inside the horizon: 2024 = 2023 x 1.5 */
    cr_assert_lt(testutil_reldiff(run_value(r, "x", 2024), 198), REL);
    cr_assert_eq(origin_of(r, "x", 2024), SIM_ORIGIN_DERIVED);
    run_free(r);
}

Test(sim, initial_values_and_parameter_assumption)
{
    diag d;
    run *r = tiny(CSV_HEADER "Q,x,2022,7,亿元,level,s,A\n",
                  "{\"model\": \"tiny-model.json\", \"start\": 2023, \"end\": 2024,"
                  "\"initial\": {\"x\": 10}, \"assumptions\": {\"b\": 3, \"g\": {\"2023\": \"50%\", \"2024\": 0}}}",
                  &d);
    cr_assert_not_null(r, "%s", d.message);
    cr_assert_float_eq(run_value(r, "x", 2022), 10, 0);
    cr_assert_eq(origin_of(r, "x", 2022), SIM_ORIGIN_INITIAL);
    cr_assert_lt(testutil_reldiff(run_value(r, "y", 2023), 45), REL);
    cr_assert_lt(testutil_reldiff(run_value(r, "y", 2024), 45), REL);
    run_free(r);
}

Test(sim, errors_name_variable_year_and_cause)
{
    static const struct {
        const char *csv, *scenario, *message;
        int status;
    } cases[] = {
        {CSV_HEADER "P,y,2022,1,亿元,level,s,A\n", SCENARIO(""),
         "x in 2023 needs x in 2022 (x[-1]), but it has no observation and no initial value", DIAG_DATA},
        {CSV_HEADER "P,x,2020,100,亿元,level,s,A\n", SCENARIO(", \"assumptions\": {\"g\": {\"2023-2025\": 0.1}}"),
         "x in 2021 needs g in 2021, but the assumption at", DIAG_DATA},
        {CSV_HEADER "P,x,2022,1,亿元,level,s,A\n", SCENARIO(", \"assumptions\": {\"gg\": 1}"),
         "$.assumptions.gg: error: assumption for unknown name \"gg\" (did you mean \"g\"?)", DIAG_DATA},
        {CSV_HEADER "P,x,2022,1,亿元,level,s,A\n", SCENARIO(", \"assumptions\": {\"x\": 1}"),
         "\"x\" is a variable computed by its equation", DIAG_DATA},
        {CSV_HEADER "P,x,2022,1,亿元,level,s,A\n", SCENARIO(", \"assumptions\": {\"b\": 9}"),
         "$.assumptions.b: error: 9 is outside the range of b (0 to 3); did you mean 0.09 or \"9%\"?", DIAG_DATA},
        {CSV_HEADER "P,x,2022,1,亿元,level,s,A\n", SCENARIO(", \"assumptions\": {\"b\": {\"2023\": 1}}"),
         "\"b\" is a parameter, constant over time", DIAG_DATA},
        {CSV_HEADER "P,x,2022,1,亿元,level,s,A\n", SCENARIO(", \"initial\": {\"x\": {\"2023\": 1}}"),
         "initial values are for years before start (2023); 2023 is not", DIAG_DATA},
        {CSV_HEADER "R,x,2022,1,亿元,level,s,A\nS,x,2022,1,亿元,level,s,A\n", SCENARIO(""),
         "$.history.place: error: place \"P\" has no rows in", DIAG_DATA},
        {CSV_HEADER "P,x,2022,1e300,亿元,level,s,A\n", SCENARIO(", \"assumptions\": {\"g\": 1e10}"),
         "x in 2023 is not a finite number", DIAG_SOFTWARE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag d;
        run *r = tiny(cases[i].csv, cases[i].scenario, &d);
        cr_assert_null(r, "case %zu ran", i);
        cr_assert_eq(d.status, cases[i].status, "case %zu: status %d: %s", i, d.status, d.message);
        cr_assert(strstr(d.message, cases[i].message), "case %zu: %s", i, d.message);
        diag_free(&d);
    }
}

Test(sim, blocks_of_lanes_match_single_paths)
{
    run *r = testutil_load_run("scenarios/linzhou-2023-target.json");
    const size_t lanes = 5;
    sim_plan *plan = r->plan;
    double *values = calloc(sim_block_values_size(plan, lanes), sizeof *values);
    double *scratch = calloc(sim_block_scratch_size(plan, lanes), sizeof *scratch);
    sim_block_init(plan, lanes, values);
    /* lane l gets real growth 0.01 * l in every year of the horizon */
    int g = model_find(r->model, "gdp_real_growth");
    for (int year = 2023; year <= 2030; year++)
        for (size_t l = 0; l < lanes; l++)
            values[((size_t)g * plan->years + (size_t)sim_plan_year_index(plan, year)) * lanes + l] = 0.01 * (double)l;
    sim_block_run(plan, lanes, values, scratch);
    int gdp = model_find(r->model, "gdp");
    for (size_t l = 0; l < lanes; l++) {
        sim_plan *single = sim_plan_clone(plan);
        sim_plan_set_input(single, g, 2023, 2030, 0.01 * (double)l);
        double *path;
        diag d;
        diag_init(&d);
        cr_assert_eq(sim_run_path(single, &path, &d), DIAG_OK);
        for (size_t t = 0; t < plan->years; t++) {
            double in_block = values[((size_t)gdp * plan->years + t) * lanes + l];
            double alone = path[(size_t)gdp * plan->years + t];
            cr_assert((isnan(in_block) && isnan(alone)) || in_block == alone, "lane %zu year %zu", l, t);
        }
        double want = 657.4 * pow(1.0 + 0.01 * (double)l, 8) * pow(1.015, 8);
        cr_assert_lt(testutil_reldiff(path[(size_t)gdp * plan->years + (size_t)sim_plan_year_index(plan, 2030)], want),
                     1e-12);
        free(path);
        sim_plan_free(single);
    }
    free(values);
    free(scratch);
    run_free(r);
}
