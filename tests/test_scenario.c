/* test_scenario.c: scenario files: extends chains across folders, merging, series forms, and
 * every content error with its exact location (file: $.json.path or file:line:col).
 *
 * Fixtures live in tests/data/scenario/ (paths relative to the repository root, where the tests
 * run). Expected values are the numbers written in the fixtures, converted by hand ("8%" is
 * 0.08); they are compared with a tolerance of 1e-12. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "scenario.h"

#define DIR "tests/data/scenario/"
#define BAD DIR "bad/"
#define CHILD DIR "child/child.json"
#define BASE_FROM_CHILD DIR "base/base.json"
#define EPS 1e-12

static scenario *load_ok(const char *path)
{
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(path, &d);
    cr_assert_not_null(s, "loading %s failed: %s", path, d.message);
    cr_assert_eq(d.status, DIAG_OK);
    diag_free(&d);
    return s;
}

/* Loads `path`, expects failure with `status` and a message equal to `message`. */
static void expect_error(const char *path, int status, const char *message)
{
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(path, &d);
    cr_assert_null(s, "%s loaded but should fail with: %s", path, message);
    cr_assert_eq(d.status, status, "%s: status %d, expected %d (%s)", path, d.status, status, d.message);
    cr_assert_str_eq(d.message, message);
    diag_free(&d);
}

/* The value of series `name` in `year`, which must exist. */
static double value_in(const scenario_series *series, int year)
{
    cr_assert_not_null(series);
    double value = -12345;
    cr_assert(scenario_series_value(series, year, &value), "%s has no value in %d", series->json_path, year);
    return value;
}

static int has_value(const scenario_series *series, int year)
{
    double value = -12345;
    int found = scenario_series_value(series, year, &value);
    if (!found)
        cr_assert_float_eq(value, -12345, EPS, "a miss must leave *value alone");
    return found;
}

/* ------------------------------------------------------------------------------------------ */

Test(scenario, child_over_base_in_another_folder)
{
    scenario *s = load_ok(CHILD);
    cr_assert_str_eq(s->path, CHILD);
    cr_assert_str_eq(s->name, "child");
    cr_assert_str_eq(s->title, "child", "title defaults to the name and is not inherited");
    cr_assert_null(s->note, "note is not inherited");
    cr_assert_eq(s->extends_count, 2);
    cr_assert_str_eq(s->extends_chain[0], CHILD);
    cr_assert_str_eq(s->extends_chain[1], BASE_FROM_CHILD);

    /* paths from the base resolve relative to the base's folder */
    cr_assert_str_eq(s->model_path, DIR "models/county.json");
    cr_assert_str_eq(s->history_path, DIR "base/observations.csv");
    cr_assert_str_eq(s->history_place, "林州市");
    struct stat model, expected;
    cr_assert_eq(stat(s->model_path, &model), 0);
    cr_assert_eq(stat(DIR "models/county.json", &expected), 0);
    cr_assert(model.st_ino == expected.st_ino && model.st_dev == expected.st_dev);

    cr_assert_eq(s->start, 2023, "start is inherited");
    cr_assert_eq(s->end, 2028, "end is overridden");

    /* the child overrides one year of the base's year map; the base's other years stay */
    const scenario_series *growth = scenario_assumption(s, "gdp_real_growth");
    cr_assert_float_eq(value_in(growth, 2023), 0.08, EPS);
    cr_assert_float_eq(value_in(growth, 2024), 0.07, EPS);
    cr_assert_float_eq(value_in(growth, 2025), 0.09, EPS);
    cr_assert_float_eq(value_in(growth, 2026), 0.07, EPS);
    cr_assert_float_eq(value_in(growth, 2030), 0.07, EPS);
    cr_assert(!has_value(growth, 2022));
    cr_assert(!has_value(growth, 2031));
    cr_assert_str_eq(growth->note, "plan targets");
    cr_assert_str_eq(growth->file, CHILD, "a merged object comes from the child");
    cr_assert_str_eq(growth->json_path, "$.assumptions.gdp_real_growth");

    /* a map in the child replaces a constant in the base (type change) */
    const scenario_series *buoyancy = scenario_assumption(s, "revenue_buoyancy");
    cr_assert_float_eq(value_in(buoyancy, 2024), 1.5, EPS);
    cr_assert(!has_value(buoyancy, 2023), "the base's constant 1.3 is replaced whole");

    /* a key only the child has, a key only the base has */
    cr_assert_float_eq(value_in(scenario_assumption(s, "construction_share"), 2030), 0.12, EPS);
    const scenario_series *deflator = scenario_assumption(s, "gdp_deflator_growth");
    cr_assert_float_eq(value_in(deflator, 1999), 0.015, EPS);
    cr_assert_str_eq(deflator->file, BASE_FROM_CHILD);

    /* the base's series that depend on start still read from start */
    const scenario_series *population = scenario_assumption(s, "population_growth");
    cr_assert_float_eq(value_in(population, 2023), 0.01, EPS);
    cr_assert_float_eq(value_in(population, 2025), 0.03, EPS);
    cr_assert(!has_value(population, 2026));

    /* initial: a constant is the value in start - 1 */
    const scenario_series *gdp0 = scenario_initial(s, "gdp");
    cr_assert_eq(gdp0->span_count, 1);
    cr_assert_eq(gdp0->has_constant, 0);
    cr_assert_float_eq(value_in(gdp0, 2022), 500, EPS);
    cr_assert(!has_value(gdp0, 2021));
    cr_assert(!has_value(gdp0, 2023));
    const scenario_series *revenue0 = scenario_initial(s, "fiscal_revenue");
    cr_assert_float_eq(value_in(revenue0, 2021), 40, EPS);
    cr_assert_float_eq(value_in(revenue0, 2022), 45, EPS);

    cr_assert_null(scenario_assumption(s, "nonexistent"));
    cr_assert_null(scenario_initial(s, "gdp_real_growth"));
    scenario_free(s);
}

Test(scenario, arrays_replaced_whole_objects_merged)
{
    scenario *s = load_ok(CHILD);
    cr_assert_not_null(s->goals);
    cr_assert_eq(cJSON_GetArraySize(s->goals), 1, "the child's goals replace the base's two");
    const cJSON *goal = cJSON_GetArrayItem(s->goals, 0);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(goal, "id")->valuestring, "child-1");
    cr_assert_str_eq(scenario_origin(s, s->goals), CHILD);
    cr_assert_str_eq(scenario_origin(s, goal), CHILD);

    cr_assert_not_null(s->peers);
    const cJSON *places = cJSON_GetObjectItemCaseSensitive(s->peers, "places");
    cr_assert_eq(cJSON_GetArraySize(places), 1);
    cr_assert_str_eq(cJSON_GetArrayItem(places, 0)->valuestring, "长垣市");
    const cJSON *growth = cJSON_GetObjectItemCaseSensitive(s->peers, "growth");
    cr_assert_str_eq(growth->valuestring, "trend", "objects merge key by key");
    cr_assert_str_eq(scenario_origin(s, s->peers), CHILD);
    cr_assert_str_eq(scenario_origin(s, growth), BASE_FROM_CHILD);
    cr_assert_str_eq(scenario_origin(s, s->root), CHILD);
    cr_assert_null(s->sweep);
    cr_assert_null(s->uncertainty);
    cr_assert_null(s->charts);

    /* later modules report errors in the file that holds the node */
    diag d;
    diag_init(&d);
    cr_assert_eq(scenario_error(s, &d, growth, "$.peers.growth", "bad growth \"%s\"", growth->valuestring), DIAG_DATA);
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert_str_eq(d.message, BASE_FROM_CHILD ": $.peers.growth: error: bad growth \"trend\"");
    diag_free(&d);

    /* a node from elsewhere falls back to the scenario's own file */
    cJSON *stranger = cJSON_CreateNumber(1);
    cr_assert_str_eq(scenario_origin(s, stranger), CHILD);
    cJSON_Delete(stranger);
    scenario_free(s);
}

Test(scenario, name_title_note_not_inherited)
{
    scenario *s = load_ok(DIR "child/unnamed.json");
    cr_assert_str_eq(s->name, "unnamed", "the file's base name, not the base's \"base\"");
    cr_assert_str_eq(s->title, "unnamed");
    cr_assert_null(s->note);
    cr_assert_eq(cJSON_GetArraySize(s->goals), 2, "the base's goals are inherited");
    cr_assert_eq(s->end, 2030);
    scenario_free(s);
}

Test(scenario, child_changes_only_history_place)
{
    scenario *s = load_ok(DIR "child/other_place.json");
    cr_assert_str_eq(s->name, "other-place");
    cr_assert_str_eq(s->history_path, DIR "base/observations.csv");
    cr_assert_str_eq(s->history_place, "辉县市");
    /* an initial {"value": ...} is also the value in start - 1, and overrides the base's 500 */
    const scenario_series *gdp0 = scenario_initial(s, "gdp");
    cr_assert_float_eq(value_in(gdp0, 2022), 520, EPS);
    cr_assert_str_eq(gdp0->file, DIR "child/other_place.json");
    scenario_free(s);
}

Test(scenario, series_forms)
{
    scenario *s = load_ok(DIR "forms.json");
    cr_assert_str_eq(s->name, "forms");
    cr_assert_str_eq(s->title, "Series forms");
    cr_assert_str_eq(s->note, "one file, every form");
    cr_assert_null(s->model_path);
    cr_assert_null(s->history_path);
    cr_assert_null(s->history_place);
    cr_assert_null(s->goals);
    cr_assert_null(s->peers);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(s->sweep, "method")->valuestring, "grid");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(s->uncertainty, "paths")->valueint, 10);
    cr_assert(cJSON_IsObject(s->charts));
    cr_assert_eq(s->extends_count, 1);
    cr_assert_eq(s->assumption_count, 10);
    cr_assert_eq(s->initial_count, 3);

    const scenario_series *number = scenario_assumption(s, "number");
    cr_assert_eq(number->has_constant, 1);
    cr_assert_eq(number->span_count, 0);
    cr_assert_float_eq(value_in(number, 1900), 1.3, EPS);
    cr_assert_float_eq(value_in(number, 2200), 1.3, EPS);
    cr_assert_float_eq(value_in(scenario_assumption(s, "percent"), 2024), 0.08, EPS);
    cr_assert_float_eq(value_in(scenario_assumption(s, "fraction_string"), 2024), 0.005, EPS);

    const scenario_series *map = scenario_assumption(s, "map");
    cr_assert_eq(map->span_count, 2);
    cr_assert_eq(map->spans[1].from, 2024);
    cr_assert_eq(map->spans[1].to, 2030);
    cr_assert_float_eq(value_in(map, 2023), 0.08, EPS);
    cr_assert_float_eq(value_in(map, 2027), 0.07, EPS);
    cr_assert(!has_value(map, 2031));

    const scenario_series *with_default = scenario_assumption(s, "with_default");
    cr_assert_float_eq(value_in(with_default, 2025), 0.09, EPS);
    cr_assert_float_eq(value_in(with_default, 2024), 0.06, EPS, "\"value\" covers unlisted years");
    cr_assert_float_eq(value_in(with_default, 2040), 0.06, EPS);
    cr_assert_str_eq(with_default->note, "a note");
    cr_assert_str_eq(with_default->file, DIR "forms.json");
    cr_assert_str_eq(with_default->json_path, "$.assumptions.with_default");

    const scenario_series *range_and_year = scenario_assumption(s, "range_and_year");
    cr_assert_float_eq(value_in(range_and_year, 2026), 0.1, EPS);
    cr_assert_float_eq(value_in(range_and_year, 2025), 0.07, EPS);
    cr_assert_float_eq(value_in(range_and_year, 2027), 0.07, EPS);
    cr_assert_str_eq(range_and_year->sources[1].json_path, "$.assumptions.range_and_year.2026");
    cr_assert_str_eq(range_and_year->sources[1].file, DIR "forms.json");
    cr_assert_eq(range_and_year->sources[1].percent, 0);
    cr_assert_eq(scenario_assumption(s, "percent")->constant_source.percent, 1);

    const scenario_series *spaced = scenario_assumption(s, "spaced");
    cr_assert_float_eq(value_in(spaced, 2024), 1, EPS);
    cr_assert_float_eq(value_in(spaced, 2026), 2, EPS);
    cr_assert_float_eq(value_in(spaced, 2027), 3, EPS);
    cr_assert_float_eq(value_in(spaced, 2028), 3, EPS);

    /* arrays run from start */
    const scenario_series *array = scenario_assumption(s, "array");
    cr_assert_eq(array->has_constant, 0);
    cr_assert_float_eq(value_in(array, 2023), 0.08, EPS);
    cr_assert_float_eq(value_in(array, 2024), 0.07, EPS);
    cr_assert_float_eq(value_in(array, 2025), 0.06, EPS);
    cr_assert(!has_value(array, 2026));
    cr_assert(!has_value(array, 2022));

    const scenario_series *values = scenario_assumption(s, "values");
    cr_assert_float_eq(value_in(values, 2024), 2, EPS);
    cr_assert(!has_value(values, 2025));
    cr_assert_str_eq(values->note, "two years");
    const scenario_series *mixed = scenario_assumption(s, "values_and_years");
    cr_assert_float_eq(value_in(mixed, 2023), 1, EPS);
    cr_assert_float_eq(value_in(mixed, 2025), 3, EPS);
    cr_assert_float_eq(value_in(mixed, 2026), 20, EPS);
    cr_assert_str_eq(mixed->sources[1].json_path, "$.assumptions.values_and_years.values[1]");

    /* initial: constants belong to start - 1; listed years beat an initial "value" */
    cr_assert_float_eq(value_in(scenario_initial(s, "gdp"), 2022), 500, EPS);
    const scenario_series *revenue0 = scenario_initial(s, "fiscal_revenue");
    cr_assert_float_eq(value_in(revenue0, 2021), 40, EPS);
    cr_assert_float_eq(value_in(revenue0, 2022), 45, EPS);
    cr_assert(!has_value(revenue0, 2020));
    const scenario_series *construction0 = scenario_initial(s, "construction_output");
    cr_assert_float_eq(value_in(construction0, 2020), 1500, EPS);
    cr_assert_float_eq(value_in(construction0, 2022), 1500, EPS);

    cr_assert_eq(scenario_series_value(NULL, 2023, &(double){0}), 0);
    scenario_free(s);
}

Test(scenario, free_null_is_noop)
{
    scenario_free(NULL);
    cr_assert_null(scenario_origin(NULL, NULL));
}

/* ------------------------------------------------------------------------------------------ */
/* Errors, each with its exact location                                                       */

Test(scenario, broken_json_has_line_and_column)
{
    expect_error(BAD "broken.json", DIAG_DATA, BAD "broken.json:3:17: error: JSON syntax error near ','");
}

Test(scenario, empty_and_non_utf8_files)
{
    expect_error(BAD "empty.json", DIAG_DATA, BAD "empty.json: error: file is empty (expected a JSON object)");
    expect_error(BAD "not_utf8.json", DIAG_DATA,
                 BAD "not_utf8.json:1:12: error: file is not valid UTF-8 (byte 0xC1); save it as UTF-8");
    expect_error(BAD "not_object.json", DIAG_DATA,
                 BAD "not_object.json: $: error: a scenario must be a JSON object, not an array");
}

Test(scenario, missing_file_is_no_input)
{
    expect_error(DIR "nope.json", DIAG_NO_INPUT, DIR "nope.json: error: cannot open: No such file or directory");
}

Test(scenario, unknown_keys_with_did_you_mean)
{
    expect_error(BAD "unknown_key.json", DIAG_DATA,
                 BAD "unknown_key.json: $.asumptions: error: unknown key \"asumptions\" in scenario "
                     "(did you mean \"assumptions\"?)");
    expect_error(BAD "history_key.json", DIAG_DATA,
                 BAD "history_key.json: $.history.palce: error: unknown key \"palce\" in history "
                     "(did you mean \"place\"?)");
    expect_error(BAD "series_typo.json", DIAG_DATA,
                 BAD "series_typo.json: $.assumptions.gdp_real_growth.valeu: error: bad year key \"valeu\": "
                     "expected a year like \"2023\" or a range like \"2024-2030\" (or did you mean \"value\"?)");
}

Test(scenario, wrong_types)
{
    expect_error(BAD "start_string.json", DIAG_DATA,
                 BAD "start_string.json: $.start: error: \"start\" must be an integer year, not a string");
    expect_error(BAD "start_fraction.json", DIAG_DATA,
                 BAD "start_fraction.json: $.start: error: \"start\" must be an integer year, not 2023.5");
    expect_error(BAD "start_range.json", DIAG_DATA,
                 BAD "start_range.json: $.start: error: \"start\" year 1800 is outside 1900..2200");
    expect_error(BAD "goals_object.json", DIAG_DATA,
                 BAD "goals_object.json: $.goals: error: \"goals\" must be an array, not an object");
    expect_error(BAD "history_no_place.json", DIAG_DATA,
                 BAD "history_no_place.json: $.history: error: \"history\" needs \"place\" (the place whose rows "
                     "the run reads)");
}

Test(scenario, years_and_horizon)
{
    expect_error(BAD "start_after_end.json", DIAG_DATA,
                 BAD "start_after_end.json: $.start: error: start 2030 is after end 2023");
    expect_error(BAD "horizon.json", DIAG_DATA,
                 BAD "horizon.json: $.end: error: the horizon 2000..2200 is 201 years; at most 200 are allowed");
}

Test(scenario, bad_year_keys)
{
    expect_error(BAD "bad_year_key.json", DIAG_DATA,
                 BAD "bad_year_key.json: $.assumptions.gdp_real_growth[\"20x3\"]: error: bad year key \"20x3\": "
                     "expected a year like \"2023\" or a range like \"2024-2030\"");
    expect_error(BAD "bad_range.json", DIAG_DATA,
                 BAD "bad_range.json: $.assumptions.gdp_real_growth.2030-2024: error: bad year range "
                     "\"2030-2024\": 2030 is after 2024");
}

Test(scenario, bad_values_at_their_path)
{
    expect_error(BAD "non_numeric.json", DIAG_DATA,
                 BAD "non_numeric.json: $.assumptions.gdp_real_growth.2023: error: \"eight percent\" is not a "
                     "number (write 0.08 or \"8%\")");
    expect_error(BAD "non_numeric_array.json", DIAG_DATA,
                 BAD "non_numeric_array.json: $.assumptions.gdp_real_growth[1]: error: a value must be a number or "
                     "a percentage like \"8%\", not a boolean");
    expect_error(BAD "empty_series.json", DIAG_DATA,
                 BAD "empty_series.json: $.assumptions.gdp_real_growth: error: \"gdp_real_growth\" gives no values: "
                     "add years like \"2023\", a \"value\" or \"values\"");
    expect_error(BAD "empty_array.json", DIAG_DATA,
                 BAD "empty_array.json: $.assumptions.gdp_real_growth: error: \"gdp_real_growth\" gives no values: "
                     "add years like \"2023\", a \"value\" or \"values\"");
}

Test(scenario, arrays_need_start_and_fit_the_horizon)
{
    expect_error(BAD "array_no_start.json", DIAG_DATA,
                 BAD "array_no_start.json: $.assumptions.gdp_real_growth: error: an array gives one value a year "
                     "from \"start\", but no \"start\" is given");
    expect_error(BAD "array_too_long.json", DIAG_DATA,
                 BAD "array_too_long.json: $.assumptions.gdp_real_growth: error: 3 values from 2023 run past "
                     "\"end\" 2024 (2 years)");
    expect_error(BAD "initial_no_start.json", DIAG_DATA,
                 BAD "initial_no_start.json: $.initial.gdp: error: an initial constant is the value in the year "
                     "before \"start\", but no \"start\" is given (or write years, like {\"2022\": ...})");
    expect_error(BAD "initial_array.json", DIAG_DATA,
                 BAD "initial_array.json: $.initial.gdp: error: an initial value is a constant (the value in the "
                     "year before \"start\") or an object of years; an array runs from \"start\" on, so it cannot "
                     "give initial values");
}

Test(scenario, names_must_be_slugs)
{
    expect_error(BAD "name_dotdot.json", DIAG_DATA,
                 BAD "name_dotdot.json: $.name: error: bad name \"../x\": it contains '/'; use only letters A-Z a-z, "
                     "digits, '.', '_' and '-' (the name becomes an output folder name)");
    expect_error(BAD "name_slash.json", DIAG_DATA,
                 BAD "name_slash.json: $.name: error: bad name \"a/b\": it contains '/'; use only letters A-Z a-z, "
                     "digits, '.', '_' and '-' (the name becomes an output folder name)");
    expect_error(BAD "name_dot.json", DIAG_DATA,
                 BAD "name_dot.json: $.name: error: bad name \".hidden\": it starts with '.' (the name becomes an "
                     "output folder name)");
    expect_error(BAD "bad+name.json", DIAG_DATA,
                 BAD "bad+name.json: $: error: no \"name\" is given and the file name \"bad+name\" cannot stand in "
                     "for one: it contains '+'; use only letters A-Z a-z, digits, '.', '_' and '-' (the name "
                     "becomes an output folder name); add a \"name\"");
}

Test(scenario, extends_loop_names_the_chain)
{
    /* loop_b names "./loop_a.json": the same file under another spelling (named simplified) */
    expect_error(BAD "loop_a.json", DIAG_DATA,
                 BAD "loop_a.json: $.extends: error: extends loop: " BAD "loop_a.json -> " BAD "loop_b.json -> " BAD
                     "loop_a.json");
    expect_error(BAD "self.json", DIAG_DATA,
                 BAD "self.json: $.extends: error: extends loop: " BAD "self.json -> " BAD "self.json");
    expect_error("./" BAD "self.json", DIAG_DATA,
                 "./" BAD "self.json: $.extends: error: extends loop: ./" BAD "self.json -> " BAD "self.json");
}

Test(scenario, missing_base_is_no_input_where_named)
{
    expect_error(BAD "missing_base.json", DIAG_NO_INPUT,
                 BAD "missing_base.json: $.extends: error: cannot open base scenario " BAD
                     "nowhere/missing.json: No such file or directory");
}

Test(scenario, errors_in_the_base_name_the_base)
{
    expect_error(BAD "bad_base_child.json", DIAG_DATA,
                 BAD "bad_base/base.json: $.end: error: \"end\" must be an integer year, not a string");
}

/* ------------------------------------------------------------------------------------------ */
/* Chain depth, in a temporary folder                                                         */

static char *make_chain(char *dir, int files)
{
    cr_assert_not_null(mkdtemp(dir));
    for (int i = 0; i < files; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/s%d.json", dir, i);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        if (i + 1 < files)
            fprintf(f, "{\"extends\": \"s%d.json\", \"assumptions\": {\"depth\": {\"%d\": %d}}}\n", i + 1, 2000 + i, i);
        else
            fprintf(f, "{\"start\": 2000, \"assumptions\": {\"depth\": {\"value\": -1}}}\n");
        fclose(f);
    }
    return dir;
}

static void remove_chain(const char *dir, int files)
{
    for (int i = 0; i < files; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/s%d.json", dir, i);
        unlink(path);
    }
    rmdir(dir);
}

Test(scenario, deepest_allowed_chain)
{
    char dir[] = "/tmp/econsim-scenario-XXXXXX";
    int files = SCENARIO_MAX_EXTENDS + 1;
    make_chain(dir, files);
    char path[512];
    snprintf(path, sizeof path, "%s/s0.json", dir);
    scenario *s = load_ok(path);
    cr_assert_eq(s->extends_count, (size_t)files);
    const scenario_series *depth = scenario_assumption(s, "depth");
    cr_assert_float_eq(value_in(depth, 2000), 0, EPS);
    cr_assert_float_eq(value_in(depth, 2031), 31, EPS);
    cr_assert_float_eq(value_in(depth, 2032), -1, EPS, "the deepest base's \"value\"");
    cr_assert_eq(s->start, 2000);
    scenario_free(s);
    remove_chain(dir, files);
}

Test(scenario, chain_too_deep)
{
    char dir[] = "/tmp/econsim-scenario-XXXXXX";
    int files = SCENARIO_MAX_EXTENDS + 2;
    make_chain(dir, files);
    char path[512], expected[1024];
    snprintf(path, sizeof path, "%s/s0.json", dir);
    snprintf(expected, sizeof expected, "%s/s%d.json: $.extends: error: extends chain is deeper than %d files", dir,
             SCENARIO_MAX_EXTENDS, SCENARIO_MAX_EXTENDS);
    expect_error(path, DIAG_DATA, expected);
    remove_chain(dir, files);
}

/* ------------------------------------------------------------------------------------------ */
/* Out of memory: every allocation, in turn, fails cleanly (run under ASan/LSan for leaks)     */

static void *scenario_test_malloc(size_t size)
{
    return mem_alloc(size);
}

static void check_every_allocation(const char *path)
{
    /* route cJSON's allocations through mem_* too, so they fail in turn as well */
    cJSON_Hooks hooks = {scenario_test_malloc, mem_free};
    cJSON_InitHooks(&hooks);
    int loaded = 0;
    for (long successes = 0; successes < 100000 && !loaded; successes++) {
        diag d;
        diag_init(&d);
        mem_fail_after(successes);
        scenario *s = scenario_load(path, &d);
        mem_fail_reset();
        if (s) {
            loaded = 1;
            cr_assert_eq(d.status, DIAG_OK);
            scenario_free(s);
        } else {
            cr_assert_neq(d.status, DIAG_OK, "NULL without an error after %ld allocations", successes);
            cr_assert_neq(d.message[0], '\0');
        }
        diag_free(&d);
    }
    cJSON_InitHooks(NULL);
    cr_assert(loaded, "%s never loaded", path);
}

Test(scenario, out_of_memory_child)
{
    check_every_allocation(CHILD);
}

Test(scenario, out_of_memory_forms)
{
    check_every_allocation(DIR "forms.json");
}
