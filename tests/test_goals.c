/* test_goals.c: goals against closed forms: status on the path, first year met, shortfall,
 * goal seek by bracketing + Brent, joint solve by GSL hybrids, assumed inputs, and every
 * content error of a goal or goal file with its location.
 *
 * The fixture tests/data/goals/closed.json extends the shipped 2023-target scenario, whose
 * numbers are: GDP 657.4亿 in 2022 (observed), real growth 8% in 2023 and 7% after, deflator
 * growth d = 1.5% a year; revenue 43.54亿 in 2022 (observed), buoyancy 1.55; construction
 * output 1500亿 in 2020 (observed) growing 6.3% a year, taxed at 2%; urban population 35万 in
 * 2022 (initial, assumed) growing 2%. Solutions must match the closed forms to 1e-8 relative
 * (the solver's own tolerance is 1e-12). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "goals.h"
#include "goals_write.h"
#include "mem.h"
#include "run.h"
#include "goals_load.h"
#include "testutil.h"

#define CLOSED "tests/data/goals/closed.json"
#define REL 1e-8

static void setup(void)
{
    gsl_set_error_handler_off();
}

/* Loads, simulates and evaluates a scenario with goals; seeks every goal when `seek`. */
static goals_set *load_goals(const char *path, run **out, int seek)
{
    run *r = testutil_load_run(path);
    diag d;
    diag_init(&d);
    goals_set *g = goals_load(r, &d);
    cr_assert_not_null(g, "%s", d.message);
    cr_assert_eq(goals_evaluate(g, r, &d), DIAG_OK, "%s", d.message);
    if (seek)
        cr_assert_eq(goals_seek_all(g, r, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    *out = r;
    return g;
}

/* The closed-form scenario, simulated, and its goals: loaded by the .init of the tests that use
 * them (load_closed_sought or load_closed_evaluated) and freed by their .fini (free_closed). */
static run *closed_run;
static goals_set *closed_goals;

/* .init: the closed-form goals evaluated and every one of them sought. */
static void load_closed_sought(void)
{
    setup();
    closed_goals = load_goals(CLOSED, &closed_run, 1);
}

/* .init: the closed-form goals evaluated only, none sought. */
static void load_closed_evaluated(void)
{
    setup();
    closed_goals = load_goals(CLOSED, &closed_run, 0);
}

/* .fini: frees the closed-form goals and their run. */
static void free_closed(void)
{
    goals_free(closed_goals);
    run_free(closed_run);
}

static const goals_result *result_of(const goals_set *g, const char *id)
{
    int i = goals_find(g, id);
    cr_assert_geq(i, 0, "goal %s not found", id);
    return &g->results[i];
}

/* The result of goal `id`, failing the test unless its goal seek found a required value. */
static const goals_result *sought_result(const goals_set *g, const char *id)
{
    const goals_result *res = result_of(g, id);
    cr_assert_eq(res->seek.status, GOALS_SEEK_FOUND, "%s: %s", id, res->seek.message);
    return res;
}

/* Solves goals `first` and `second` jointly (chosen gets their indices), failing the test unless
 * the solve runs. */
static goals_joint *solve_jointly(const goals_set *g, const run *r, const char *first, const char *second,
                                  size_t chosen[2])
{
    chosen[0] = (size_t)goals_find(g, first);
    chosen[1] = (size_t)goals_find(g, second);
    goals_joint *joint = NULL;
    diag d;
    diag_init(&d);
    cr_assert_eq(goals_solve_joint(g, chosen, 2, r, &joint, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return joint;
}

/* The goals CSV of the goals at the indices `only` (open_memstream's buffer, from libc: free it). */
static char *goals_csv(const goals_set *g, const run *r, const size_t *only, size_t count)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    goals_write_csv(f, g, r, only, count);
    fclose(f);
    return text;
}

/* nominal GDP growth in 2023 under the target scenario */
static double nominal_2023(void)
{
    return 1.08 * 1.015 - 1;
}

Test(goals, revenue_buoyancy_closed_form, .init = load_closed_sought, .fini = free_closed)
{
    const goals_result *res = sought_result(closed_goals, "revenue-50");
    double n = nominal_2023();
    double expected = (50 / 43.54 - 1) / n;
    cr_assert_lt(testutil_reldiff(res->seek.required, expected), REL, "b = %.17g, expected %.17g",
                 res->seek.required, expected);
    /* on the scenario's path (b = 1.55) revenue is 43.54 (1 + 1.55 n) > 50: met in 2023 */
    cr_assert_lt(testutil_reldiff(res->value, 43.54 * (1 + 1.55 * n)), 1e-12);
    cr_assert(res->met);
    cr_assert_eq(res->shortfall, 0);
    cr_assert_eq(res->first_year_met, 2023);
    cr_assert_eq(res->seek.from_year, closed_run->plan->first_year, "a parameter is set in every year");
    cr_assert_eq(res->seek.to_year, 2030);
    cr_assert_float_eq(res->seek.current, 1.55, 0);
}

Test(goals, gdp_real_growth_closed_form, .init = load_closed_sought, .fini = free_closed)
{
    const goals_result *res = sought_result(closed_goals, "gdp-1000");
    double d = 0.015;
    double expected = pow(1000 / 657.4, 1.0 / 3) / (1 + d) - 1;
    cr_assert_lt(testutil_reldiff(res->seek.required, expected), REL, "g = %.17g, expected %.17g",
                 res->seek.required, expected);
    cr_assert_eq(res->seek.from_year, 2023, "an exogenous series is held from start");
    cr_assert_eq(res->seek.to_year, 2025, "... to the goal year");
    /* not met in 2025: GDP is 657.4 x 1.08 x 1.07^2 x 1.015^3 */
    double gdp2025 = 657.4 * 1.08 * 1.07 * 1.07 * pow(1.015, 3);
    cr_assert_lt(testutil_reldiff(res->value, gdp2025), 1e-12);
    cr_assert(!res->met);
    cr_assert_lt(testutil_reldiff(res->shortfall, 1000 - gdp2025), 1e-12);
    cr_assert_lt(testutil_reldiff(res->shortfall_percent, (1000 - gdp2025) / 1000 * 100), 1e-12);
    /* first met in 2027: 2026 is below 1000, 2027 above */
    double gdp2026 = gdp2025 * 1.07 * 1.015, gdp2027 = gdp2026 * 1.07 * 1.015;
    cr_assert_lt(gdp2026, 1000);
    cr_assert_gt(gdp2027, 1000);
    cr_assert_eq(res->first_year_met, 2027);
}

Test(goals, required_value_is_a_bound_on_the_right_side, .init = load_closed_sought, .fini = free_closed)
{
    /* revenue rises with the buoyancy and must be at least 50: buoyancy at least b*; the
     * scenario's 1.55 is above b* = 1.54: already enough */
    const goals_seek_result *revenue = &result_of(closed_goals, "revenue-50")->seek;
    cr_assert_eq(revenue->bound, GOALS_BOUND_AT_LEAST);
    cr_assert(revenue->scenario_satisfies);
    cr_assert(strstr(revenue->message, "revenue_buoyancy at least 1.5423 (every year) meets the goal"), "%s",
              revenue->message);
    /* construction tax rises with its rate and must be at most 30: the rate at most r* */
    const goals_seek_result *tax = &sought_result(closed_goals, "tax-at-most-30")->seek;
    cr_assert_eq(tax->bound, GOALS_BOUND_AT_MOST);
    /* r* = 30 / 1500 / 1.063^3 = 1.67%, below the scenario's 2%: not satisfied */
    cr_assert_lt(testutil_reldiff(tax->required, 30.0 / (1500 * pow(1.063, 3))), REL);
    cr_assert(!tax->scenario_satisfies);
    /* GDP 2025 >= 1000 needs growth of at least 13.31%; the scenario's 8% is not enough */
    const goals_seek_result *gdp = &result_of(closed_goals, "gdp-1000")->seek;
    cr_assert_eq(gdp->bound, GOALS_BOUND_AT_LEAST);
    cr_assert(!gdp->scenario_satisfies);
}

Test(goals, unreachable_reports_best_attainable, .init = load_closed_sought, .fini = free_closed)
{
    const goals_result *res = result_of(closed_goals, "gdp-5000");
    cr_assert_eq(res->seek.status, GOALS_SEEK_UNREACHABLE, "%s", res->seek.message);
    cr_assert(isnan(res->seek.required));
    /* the most GDP in 2023 comes from the largest real growth allowed, max = 0.3 */
    cr_assert_float_eq(res->seek.best_instrument, 0.3, 0);
    cr_assert_lt(testutil_reldiff(res->seek.best_value, 657.4 * 1.3 * 1.015), 1e-12);
    /* the reason that holds: the range of GDP over the range of growth, all below the target */
    char expected[512];
    snprintf(expected, sizeof expected,
             "unreachable: over gdp_real_growth from -20.00%% to 30.00%% (held 2023), gdp in 2023 ranges from %.2f亿元 "
             "to %.2f亿元, all below the target 5000.00亿元",
             657.4 * 0.8 * 1.015, 657.4 * 1.3 * 1.015);
    cr_assert(strstr(res->seek.message, expected) != NULL, "%s\nexpected: %s", res->seek.message, expected);
    cr_assert_eq(res->first_year_met, 0, "not met within the horizon");
    cr_assert(res->seek.evaluations <= GOALS_SCAN_INTERVALS + 1 + 2 * GOALS_MAX_ITERATIONS);
}

Test(goals, met_in_first_year, .init = load_closed_sought, .fini = free_closed)
{
    const goals_result *res = sought_result(closed_goals, "revenue-45");
    cr_assert(res->met);
    cr_assert_eq(res->first_year_met, 2023);
    cr_assert_eq(res->shortfall, 0);
    /* the buoyancy that gives exactly 45 is below the scenario's */
    double expected = (45 / 43.54 - 1) / nominal_2023();
    cr_assert_lt(testutil_reldiff(res->seek.required, expected), REL);
    cr_assert_lt(res->seek.required, 1.55);
}

Test(goals, at_most_goal, .init = load_closed_sought, .fini = free_closed)
{
    const goals_result *res = sought_result(closed_goals, "tax-at-most-30");
    double output2023 = 1500 * pow(1.063, 3);
    cr_assert_lt(testutil_reldiff(res->value, 0.02 * output2023), 1e-12);
    cr_assert(!res->met, "36.03 is more than 30");
    cr_assert_lt(testutil_reldiff(res->shortfall, 0.02 * output2023 - 30), 1e-12);
    cr_assert_eq(res->first_year_met, 0, "the tax only grows");
    cr_assert_lt(testutil_reldiff(res->seek.required, 30 / output2023), REL);
    /* at_most solved for a growth rate below the scenario's */
    const goals_result *low = result_of(closed_goals, "gdp-below-600");
    cr_assert(!low->met);
    cr_assert_lt(testutil_reldiff(low->seek.required, 600 / (657.4 * 1.015) - 1), REL);
    /* an at_most goal that holds */
    const goals_result *share = result_of(closed_goals, "share-at-most");
    cr_assert(share->met);
    cr_assert_eq(share->seek.status, GOALS_SEEK_NONE);
}

Test(goals, growth_goal, .init = load_closed_sought, .fini = free_closed)
{
    double n = nominal_2023();
    const goals_result *res = sought_result(closed_goals, "revenue-growth-10");
    /* revenue growth in 2023 is b n */
    cr_assert_lt(testutil_reldiff(res->value, 1.55 * n), 1e-12);
    cr_assert(res->met == (1.55 * n >= 0.10));
    cr_assert_lt(testutil_reldiff(res->seek.required, 0.10 / n), REL);
    /* the 8% real growth task, measured on real GDP, is met exactly and needs exactly 8% */
    const goals_result *real = result_of(closed_goals, "gdp-growth-8");
    cr_assert_lt(testutil_reldiff(real->value, 0.08), 1e-12);
    cr_assert(real->met, "8%% within rounding counts as met");
    cr_assert_lt(testutil_reldiff(real->seek.required, 0.08), REL);
}

Test(goals, instrument_without_effect, .init = load_closed_sought, .fini = free_closed)
{
    const goals_result *res = result_of(closed_goals, "gdp-no-effect");
    cr_assert_eq(res->seek.status, GOALS_SEEK_NO_EFFECT, "%s", res->seek.message);
    cr_assert(isnan(res->seek.required));
    cr_assert(strstr(res->seek.message, "revenue_buoyancy does not move gdp in 2025") != NULL, "%s",
              res->seek.message);
}

Test(goals, assumed_inputs_are_traced, .init = load_closed_evaluated, .fini = free_closed)
{
    /* urban population rests on the initial (assumed) 35万 of 2022 */
    const goals_result *urban = result_of(closed_goals, "urban-60");
    cr_assert_eq(urban->assumed_count, 1);
    cr_assert_str_eq(closed_run->model->slots[urban->assumed[0].slot].name, "urban_population");
    cr_assert_eq(urban->assumed[0].year, 2022);
    cr_assert_float_eq(urban->assumed[0].value, 35, 0);
    cr_assert_not_null(urban->assumed[0].note);
    cr_assert_lt(testutil_reldiff(urban->value, 35 * pow(1.02, 3)), 1e-12);
    /* real GDP's level rests on the price base (deflator 2022 = 1, an initial value) ... */
    const goals_result *level = result_of(closed_goals, "gdp-real-900");
    cr_assert_eq(level->assumed_count, 1);
    cr_assert_str_eq(closed_run->model->slots[level->assumed[0].slot].name, "gdp_deflator");
    /* ... but its growth does not: the base cancels out */
    cr_assert_eq(result_of(closed_goals, "gdp-growth-8")->assumed_count, 0);
    /* nominal GDP and revenue rest on observations only */
    cr_assert_eq(result_of(closed_goals, "gdp-1000")->assumed_count, 0);
    cr_assert_eq(result_of(closed_goals, "revenue-50")->assumed_count, 0);
}

Test(goals, joint_solve_gdp_and_revenue, .init = load_closed_sought, .fini = free_closed)
{
    size_t chosen[2];
    goals_joint *joint = solve_jointly(closed_goals, closed_run, "gdp-1000", "revenue-60", chosen);
    cr_assert(joint->converged, "%s", joint->message);
    /* by hand: GDP must grow by N = (1000/657.4)^(1/3) a year in nominal terms, so
     * g = N / 1.015 - 1; revenue 43.54 (1 + b (N - 1))^3 = 60 gives b */
    double growth = pow(1000 / 657.4, 1.0 / 3);
    double g_expected = growth / 1.015 - 1;
    double b_expected = (pow(60 / 43.54, 1.0 / 3) - 1) / (growth - 1);
    cr_assert_lt(testutil_reldiff(joint->instrument[0], g_expected), REL, "g = %.17g, expected %.17g",
                 joint->instrument[0], g_expected);
    cr_assert_lt(testutil_reldiff(joint->instrument[1], b_expected), REL, "b = %.17g, expected %.17g",
                 joint->instrument[1], b_expected);
    /* re-running the model at the solution meets both targets */
    double *values = NULL;
    diag d;
    diag_init(&d);
    cr_assert_eq(goals_path(closed_goals, chosen, joint->instrument, 2, closed_run, &values, &d), DIAG_OK, "%s",
                 d.message);
    int t = sim_plan_year_index(closed_run->plan, 2025);
    size_t years = closed_run->plan->years;
    double gdp = values[(size_t)model_find(closed_run->model, "gdp") * years + (size_t)t];
    double revenue = values[(size_t)model_find(closed_run->model, "fiscal_revenue") * years + (size_t)t];
    cr_assert_lt(testutil_reldiff(gdp, 1000), 1e-9);
    cr_assert_lt(testutil_reldiff(revenue, 60), 1e-9);
    /* after the goal year the scenario's 7% applies again */
    double gdp2026 = values[(size_t)model_find(closed_run->model, "gdp") * years + (size_t)t + 1];
    cr_assert_lt(testutil_reldiff(gdp2026, gdp * 1.07 * 1.015), 1e-12);
    mem_free(values);
    goals_apply_joint(closed_goals, joint, closed_run);
    cr_assert_eq(closed_goals->results[chosen[1]].seek.status, GOALS_SEEK_FOUND);
    cr_assert_float_eq(closed_goals->results[chosen[1]].seek.required, joint->instrument[1], 0);
    goals_joint_free(joint);
    diag_free(&d);
}

Test(goals, joint_solve_reports_non_convergence, .init = load_closed_sought, .fini = free_closed)
{
    /* GDP 5000 in 2023 is out of reach of any real growth in [-20%, 30%] */
    size_t chosen[2];
    goals_joint *joint = solve_jointly(closed_goals, closed_run, "gdp-5000", "revenue-50", chosen);
    cr_assert(!joint->converged);
    cr_assert(strstr(joint->message, "did not converge") != NULL, "%s", joint->message);
    cr_assert(strstr(joint->message, "gdp-5000") != NULL, "%s", joint->message);
    cr_assert(strstr(joint->message, "(at its bound)") != NULL, "%s", joint->message);
    cr_assert_float_eq(joint->instrument[0], 0.3, 0, "clamped to max");
    cr_assert_lt(testutil_reldiff(joint->residual[0], 657.4 * 1.3 * 1.015 - 5000), 1e-9);
    goals_apply_joint(closed_goals, joint, closed_run);
    cr_assert_eq(closed_goals->results[chosen[0]].seek.status, GOALS_SEEK_FAILED);
    goals_joint_free(joint);
}

Test(goals, joint_solve_checks_its_goals, .init = load_closed_evaluated, .fini = free_closed)
{
    goals_joint *joint = NULL;
    diag d;
    diag_init(&d);
    size_t shared[2] = {(size_t)goals_find(closed_goals, "revenue-50"),
                        (size_t)goals_find(closed_goals, "revenue-60")};
    cr_assert_eq(goals_solve_joint(closed_goals, shared, 2, closed_run, &joint, &d), DIAG_USAGE);
    cr_assert(strstr(d.message, "goals revenue-50 and revenue-60 both solve for revenue_buoyancy") != NULL, "%s",
              d.message);
    cr_assert_null(joint);
    diag_free(&d);
    diag_init(&d);
    size_t no_solve[2] = {(size_t)goals_find(closed_goals, "revenue-50"),
                          (size_t)goals_find(closed_goals, "share-at-most")};
    cr_assert_eq(goals_solve_joint(closed_goals, no_solve, 2, closed_run, &joint, &d), DIAG_USAGE);
    cr_assert(strstr(d.message, "goal share-at-most has no \"solve\"") != NULL, "%s", d.message);
    diag_free(&d);
}

Test(goals, csv_columns, .init = load_closed_sought, .fini = free_closed)
{
    size_t only[2] = {(size_t)goals_find(closed_goals, "gdp-1000"), (size_t)goals_find(closed_goals, "gdp-5000")};
    char *text = goals_csv(closed_goals, closed_run, only, 2);
    const char *header = "scenario,goal,variable,year,target,value,met,first_year_met,solve,required\n";
    cr_assert_eq(strncmp(text, header, strlen(header)), 0, "%s", text);
    cr_assert(strstr(text, "goals-closed-forms,gdp-1000,gdp,2025,1000,") != NULL, "%s", text);
    cr_assert(strstr(text, ",false,2027,gdp_real_growth,0.13") != NULL, "%s", text);
    cr_assert(strstr(text, ",false,,gdp_real_growth,\n") != NULL, "unreachable: empty required\n%s", text);
    free(text); /* open_memstream's buffer comes from libc */
    /* a probability column appears only when an ensemble filled one */
    closed_goals->results[only[0]].probability = 0.25;
    text = goals_csv(closed_goals, closed_run, only, 2);
    cr_assert(strstr(text, ",required,probability\n") != NULL, "%s", text);
    cr_assert(strstr(text, ",0.25\n") != NULL, "%s", text);
    free(text);
}

Test(goals, shipped_goal_sets, .init = setup)
{
    run *r;
    goals_set *g = load_goals("scenarios/linzhou-2023-target.json", &r, 1);
    cr_assert_eq(g->count, 10, "7 tasks of 2023 and 3 parts of \"166\"");
    static const char *const ids[] = {"gdp-growth-2023",         "revenue-2023",          "devzone-gdp-2023",
                                      "devzone-industry-2023",   "construction-firms-2023", "construction-output-2023",
                                      "construction-tax-2023",   "166-gdp-2025",            "166-revenue-2025",
                                      "166-urban-population-2025"};
    for (size_t i = 0; i < 10; i++)
        sought_result(g, ids[i]);
    /* every 2023 task holds under the target scenario; of "166", revenue only */
    for (size_t i = 0; i < 7; i++)
        cr_assert(result_of(g, ids[i])->met, "%s", ids[i]);
    cr_assert(!result_of(g, "166-gdp-2025")->met);
    cr_assert(result_of(g, "166-revenue-2025")->met);
    cr_assert(!result_of(g, "166-urban-population-2025")->met);
    cr_assert_eq(result_of(g, "166-urban-population-2025")->assumed_count, 1, "the urban base is assumed");
    /* urban population 35 -> 60 in three years */
    cr_assert_lt(testutil_reldiff(result_of(g, "166-urban-population-2025")->seek.required,
                                  pow(60.0 / 35, 1.0 / 3) - 1),
                 REL);
    /* construction output: 1500 in 2020, 6.3% in 2021-2022, the rest in 2023 */
    cr_assert_lt(testutil_reldiff(result_of(g, "construction-output-2023")->seek.required,
                                  1800 / (1500 * 1.063 * 1.063) - 1),
                 REL);
    const goals_goal *goal = &g->goals[goals_find(g, "166-gdp-2025")];
    cr_assert(strstr(goal->file, "goals-166.json") != NULL, "%s", goal->file);
    cr_assert(strstr(goal->set_title, "暂定解读") != NULL, "%s", goal->set_title);
    cr_assert(strstr(goal->set_title_en, "interpretation") != NULL, "%s", goal->set_title_en);
    goals_free(g);
    run_free(r);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors, located in the file that holds them                                                */

/* Writes a scenario extending the shipped target scenario, with `goals` as its goals block. */
static const char *scenario_with_goals(const char *goals)
{
    static char cwd[PATH_MAX];
    char text[8192];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"extends\": \"%s/scenarios/linzhou-2023-target.json\",\n\"goals\": %s}\n", cwd,
             goals);
    return testutil_write("scenario.json", text);
}

/* Loads a scenario whose goals are bad: expects `status` and `expected` inside the message. */
static void expect_goal_error(const char *scenario_path, int status, const char *expected)
{
    run *r = testutil_load_run(scenario_path);
    diag d;
    diag_init(&d);
    goals_set *g = goals_load(r, &d);
    cr_assert_null(g, "expected an error: %s", expected);
    cr_assert_eq(d.status, status, "status %d: %s", d.status, d.message);
    cr_assert(strstr(d.message, expected) != NULL, "message: %s\nexpected: %s", d.message, expected);
    diag_free(&d);
    run_free(r);
}

#define GOAL(extra) "{\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2025, \"target\": 1000" extra "}"

Test(goals, errors_in_the_scenario, .init = setup)
{
    expect_goal_error(scenario_with_goals("[" GOAL(", \"traget\": 1") "]"),
                      DIAG_DATA, "scenario.json: $.goals[0].traget: error: unknown key \"traget\" in goal (did you mean \"target\"?)");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a\", \"variable\": \"gpd\", \"year\": 2025, \"target\": 1}]"),
                      DIAG_DATA, "scenario.json: $.goals[0].variable: error: unknown name \"gpd\" (did you mean \"gdp\", 地区生产总值 (现价)?)");
    expect_goal_error(scenario_with_goals("[" GOAL(", \"solve\": \"gdp\"") "]"), DIAG_DATA,
                      "$.goals[0].solve: error: \"gdp\" is a variable computed by its equation");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2035, \"target\": 1}]"),
                      DIAG_DATA, "$.goals[0].year: error: goal year 2035 is outside the scenario's horizon 2023..2030");
    expect_goal_error(scenario_with_goals("[" GOAL(", \"kind\": \"grwoth\"") "]"), DIAG_DATA,
                      "$.goals[0].kind: error: \"kind\" must be \"level\" or \"growth\", not \"grwoth\" (did you mean "
                      "\"growth\"?)");
    expect_goal_error(scenario_with_goals("[" GOAL(", \"direction\": \"up\"") "]"), DIAG_DATA,
                      "$.goals[0].direction: error: \"direction\" must be \"at_least\" or \"at_most\", not \"up\"");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2025, \"target\": \"lots\"}]"),
                      DIAG_DATA, "$.goals[0].target: error: \"lots\" is not a number");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2025}]"), DIAG_DATA,
                      "$.goals[0]: error: a goal needs \"target\"");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a b\", \"variable\": \"gdp\", \"year\": 2025, \"target\": 1}]"),
                      DIAG_DATA, "$.goals[0].id: error: bad goal id \"a b\"");
    expect_goal_error(scenario_with_goals("[" GOAL("") ", " GOAL("") "]"), DIAG_DATA,
                      "$.goals[1].id: error: duplicate goal id \"a\" (first defined at ");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a\", \"variable\": \"revenue_buoyancy\", \"year\": 2025, "
                                          "\"target\": 1}]"),
                      DIAG_DATA, "$.goals[0].variable: error: \"revenue_buoyancy\" is a parameter");
    expect_goal_error(scenario_with_goals("[{\"id\": \"a\", \"variable\": \"devzone_gdp\", \"kind\": \"growth\", "
                                          "\"year\": 2023, \"target\": 0.1}]"),
                      DIAG_DATA,
                      "$.goals[0].year: error: a growth goal compares with the year before, but \"devzone_gdp\" has "
                      "no value in 2022");
    expect_goal_error(scenario_with_goals("[3]"), DIAG_DATA, "$.goals[0]: error: a goal must be an object");
    expect_goal_error(scenario_with_goals("[\"missing-goals.json\"]"), DIAG_NO_INPUT,
                      "scenario.json: $.goals[0]: error: cannot open goal file ");
}

Test(goals, errors_in_a_goal_file, .init = setup)
{
    testutil_write("set.json", "{\"title\": \"t\", \"goals\": [\n"
                               "  {\"id\": \"x\", \"variable\": \"gdp\", \"year\": 2025, \"target\": 1},\n"
                               "  {\"id\": \"y\", \"variable\": \"gdp\", \"year\": 2025, \"traget\": 1}]}\n");
    expect_goal_error(scenario_with_goals("[\"set.json\"]"), DIAG_DATA,
                      "set.json: $.goals[1].traget: error: unknown key \"traget\" in goal (did you mean \"target\"?)");
    testutil_write("keys.json", "{\"titel\": \"t\", \"goals\": []}");
    expect_goal_error(scenario_with_goals("[\"keys.json\"]"), DIAG_DATA,
                      "keys.json: $.titel: error: unknown key \"titel\" in goal file (did you mean \"title\"?)");
    testutil_write("nested.json", "{\"goals\": [\"other.json\"]}");
    expect_goal_error(scenario_with_goals("[\"nested.json\"]"), DIAG_DATA,
                      "nested.json: $.goals[0]: error: a goal file holds goals, not names of other goal files");
    testutil_write("nogoals.json", "{\"title\": \"t\"}");
    expect_goal_error(scenario_with_goals("[\"nogoals.json\"]"), DIAG_DATA,
                      "nogoals.json: $: error: a goal file needs \"goals\"");
    /* an id defined in the scenario and again in a goal file */
    testutil_write("dup.json", "{\"goals\": [{\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2025, \"target\": 1}]}");
    expect_goal_error(scenario_with_goals("[" GOAL("") ", \"dup.json\"]"), DIAG_DATA,
                      "dup.json: $.goals[0].id: error: duplicate goal id \"a\" (first defined at ");
    testutil_write("syntax.json", "{\"goals\": [\n  {\"id\": }\n]}");
    expect_goal_error(scenario_with_goals("[\"syntax.json\"]"), DIAG_DATA, "syntax.json:2:");
}

Test(goals, instrument_needs_finite_bounds, .init = setup)
{
    testutil_write("model.json", "{\"exogenous\": {\"g\": {\"value\": 0.1, \"unit\": \"ratio\"}},\n"
                                 " \"variables\": {\"x\": {\"eq\": \"x[-1] * (1 + g)\", \"unit\": \"亿元\"}}}");
    const char *path = testutil_write("bounds.json", "{\"model\": \"model.json\", \"start\": 2023, \"end\": 2025,\n"
                                                     " \"initial\": {\"x\": 10},\n"
                                                     " \"goals\": [{\"id\": \"x\", \"variable\": \"x\", \"year\": 2025, "
                                                     "\"target\": 20, \"solve\": \"g\"}]}");
    expect_goal_error(path, DIAG_DATA,
                      "bounds.json: $.goals[0].solve: error: goal seek searches \"g\" within its \"min\" and \"max\", "
                      "but the model");
}

Test(goals, no_goals_is_an_empty_set, .init = setup)
{
    testutil_write("model2.json", "{\"exogenous\": {\"g\": {\"value\": 0.1, \"min\": 0, \"max\": 1}},\n"
                                  " \"variables\": {\"x\": {\"eq\": \"x[-1] * (1 + g)\"}}}");
    const char *path =
        testutil_write("plain.json", "{\"model\": \"model2.json\", \"start\": 2023, \"end\": 2025, \"initial\": {\"x\": 10}}");
    run *r;
    goals_set *g = load_goals(path, &r, 1);
    cr_assert_eq(g->count, 0);
    goals_free(g);
    run_free(r);
}

/* Out of memory at every allocation of goals_load + goals_evaluate + goals_seek_all, in turn:
 * each failure comes back as DIAG_SOFTWARE "out of memory" (never a crash, never another
 * error), and the whole succeeds once allocations stop failing. */
Test(goals, out_of_memory, .init = setup, .timeout = 600)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    run *r = testutil_load_run(CLOSED);
    long failures = 0;
    int succeeded = 0;
    for (long n = 0; n < 1000000 && !succeeded; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        goals_set *g = goals_load(r, &d);
        int status = g ? goals_evaluate(g, r, &d) : d.status;
        if (status == DIAG_OK)
            status = goals_seek_all(g, r, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            succeeded = 1;
        } else {
            cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: status %d: %s", n, status, d.message);
            cr_assert(strstr(d.message, "out of memory"), "allocation %ld: %s", n, d.message);
            failures++;
        }
        goals_free(g);
        diag_free(&d);
    }
    cr_assert(succeeded, "goals never loaded");
    cr_log_info("%ld allocation failures injected and reported", failures);
    cr_assert_gt(failures, 100, "only %ld allocations were made to fail", failures);
    cJSON_InitHooks(NULL);
    run_free(r);
}
