/* test_model.c: loading models: names, equations, evaluation order, cycles and every error. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "model_load.h"
#include "testutil.h"

static model *load_text(const char *text, diag *d)
{
    diag_init(d);
    return model_load(testutil_write("model.json", text), d);
}

static size_t position_in_order(const model *m, const char *name)
{
    int slot = model_find(m, name);
    for (size_t i = 0; i < m->order_count; i++)
        if ((int)m->order[i] == slot)
            return i;
    return (size_t)-1;
}

Test(model, loads_the_county_model)
{
    diag d;
    diag_init(&d);
    model *m = model_load("models/county.json", &d);
    cr_assert_not_null(m, "%s", d.message);
    cr_assert_eq(m->slot_count, 21, "1 parameter + 8 exogenous + 12 variables");
    cr_assert_eq(m->order_count, 12);
    cr_assert_eq(m->slots[0].kind, MODEL_PARAMETER);
    cr_assert_str_eq(m->slots[0].name, "revenue_buoyancy");
    cr_assert_float_eq(m->slots[0].value, 1.2, 1e-15);
    cr_assert_float_eq(m->slots[0].max, 4.0, 1e-15);
    cr_assert_eq(m->max_lag, 1);
    /* same-year inputs come first */
    cr_assert_lt(position_in_order(m, "gdp"), position_in_order(m, "gdp_real"));
    cr_assert_lt(position_in_order(m, "gdp_deflator"), position_in_order(m, "gdp_real"));
    cr_assert_lt(position_in_order(m, "gdp_nominal_growth"), position_in_order(m, "fiscal_revenue"));
    cr_assert_lt(position_in_order(m, "fiscal_revenue"), position_in_order(m, "fiscal_revenue_share"));
    cr_assert_lt(position_in_order(m, "devzone_gdp"), position_in_order(m, "devzone_industrial_output"));
    /* every variable carries a label, a unit and a note */
    for (size_t i = 0; i < m->slot_count; i++) {
        cr_assert(m->slots[i].label && strcmp(m->slots[i].label, m->slots[i].name), "%s has no label", m->slots[i].name);
        cr_assert_not_null(m->slots[i].note, "%s has no note", m->slots[i].name);
    }
    cr_assert_str_eq(m->slots[model_find(m, "gdp")].unit, "亿元");
    model_free(m);
}

Test(model, order_is_stable_and_dependency_first)
{
    diag d;
    model *m = load_text("{\"variables\": {"
                         "\"c\": {\"eq\": \"a + b\"},"
                         "\"a\": {\"eq\": \"1\"},"
                         "\"b\": {\"eq\": \"a * 2\"},"
                         "\"z\": {\"eq\": \"z[-2] + c[-1]\"}}}",
                         &d);
    cr_assert_not_null(m, "%s", d.message);
    const char *want[] = {"a", "b", "c", "z"};
    for (size_t i = 0; i < 4; i++)
        cr_assert_str_eq(m->slots[m->order[i]].name, want[i]);
    cr_assert_eq(m->max_lag, 2);
    model_free(m);
}

Test(model, cycle_names_every_variable)
{
    diag d;
    model *m = load_text("{\"variables\": {"
                         "\"a\": {\"eq\": \"b + 1\"},"
                         "\"b\": {\"eq\": \"c * 2\"},"
                         "\"c\": {\"eq\": \"a - 1\"},"
                         "\"d\": {\"eq\": \"d[-1]\"}}}",
                         &d);
    cr_assert_null(m);
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert(strstr(d.message, "$.variables: error: same-year dependency cycle: a -> b -> c -> a"), "%s", d.message);
}

Test(model, self_reference_is_a_cycle)
{
    diag d;
    model *m = load_text("{\"variables\": {\"x\": {\"eq\": \"x + 1\"}}}", &d);
    cr_assert_null(m);
    cr_assert(strstr(d.message, "cycle: x -> x"), "%s", d.message);
}

Test(model, unknown_name_in_equation_gives_path_column_and_hint)
{
    diag d;
    model *m = load_text("{\"exogenous\": {\"growth\": {\"value\": 0.05}},"
                         "\"variables\": {\"gdp\": {\"eq\": \"gdp[-1] * (1 + growht)\"}}}",
                         &d);
    cr_assert_null(m);
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert(strstr(d.message, "model.json: $.variables.gdp.eq: error: column 16:"), "%s", d.message);
    cr_assert(strstr(d.message, "did you mean 'growth'"), "%s", d.message);
    cr_assert(strstr(d.message, "\n    gdp[-1] * (1 + growht)\n                   ^"), "%s", d.message);
}

Test(model, bad_definitions)
{
    static const struct {
        const char *json;
        const char *message;
    } cases[] = {
        {"{\"variables\": {\"year\": {\"eq\": \"1\"}}}", "$.variables.year: error: \"year\" is a reserved word"},
        {"{\"variables\": {\"2x\": {\"eq\": \"1\"}}}",
         "\"2x\" is not a valid name: use ASCII letters, digits and _, not starting with a digit, at most 64 characters"},
        {"{\"variables\": {\"gdp-real\": {\"eq\": \"1\"}}}", "\"gdp-real\" is not a valid name"},
        {"{\"variables\": {\"a2345678901234567890123456789012345678901234567890123456789012345\": {\"eq\": \"1\"}}}",
         "at most 64 characters"},
        {"{\"parameters\": {\"a\": {\"value\": 1}}, \"variables\": {\"a\": {\"eq\": \"1\"}}}",
         "$.variables.a: error: \"a\" is already defined at $.parameters.a"},
        {"{\"parameters\": {\"a\": {\"value\": 1, \"min\": 2, \"max\": 1}}}", "min 2 is greater than max 1"},
        {"{\"parameters\": {\"a\": {\"value\": 5, \"min\": 0, \"max\": 4}}}", "value 5 is outside [min, max] = [0, 4]"},
        {"{\"parameters\": {\"a\": {\"min\": 0}}}", "$.parameters.a: error: parameter \"a\" has no \"value\""},
        {"{\"variables\": {\"v\": {\"label\": \"x\"}}}", "variable \"v\" has no \"eq\""},
        {"{\"variables\": {\"v\": {\"eq\": \"1\", \"lable\": \"x\"}}}",
         "$.variables.v.lable: error: unknown key \"lable\" in variable (did you mean \"label\"?)"},
        {"{\"variabels\": {}}", "unknown key \"variabels\" in model (did you mean \"variables\"?)"},
        {"{\"variables\": {\"v\": {\"eq\": 3}}}", "$.variables.v.eq: error: \"eq\" must be a string, not a number"},
        {"{\"exogenous\": {\"g\": {\"value\": \"fast\"}}}", "$.exogenous.g.value: error: \"value\" must be a finite number"},
        {"{\"variables\": []}", "\"variables\" must be an object of names, not an array"},
        {"[1, 2]", "a model file must hold a JSON object, not an array"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag d;
        model *m = load_text(cases[i].json, &d);
        cr_assert_null(m, "case %zu loaded", i);
        cr_assert_eq(d.status, DIAG_DATA, "case %zu: status %d", i, d.status);
        cr_assert(strstr(d.message, cases[i].message), "case %zu: %s", i, d.message);
    }
}

Test(model, percent_strings_are_fractions)
{
    diag d;
    model *m = load_text("{\"exogenous\": {\"g\": {\"value\": \"8%\", \"min\": \"-20%\", \"max\": 0.3}}}", &d);
    cr_assert_not_null(m, "%s", d.message);
    cr_assert_float_eq(m->slots[0].value, 0.08, 1e-15);
    cr_assert_float_eq(m->slots[0].min, -0.2, 1e-15);
    model_free(m);
}

Test(model, missing_file)
{
    diag d;
    diag_init(&d);
    cr_assert_null(model_load("tests/data/no-such-model.json", &d));
    cr_assert_eq(d.status, DIAG_NO_INPUT);
    cr_assert(strstr(d.message, "tests/data/no-such-model.json: error: cannot open"), "%s", d.message);
}

Test(model, slot_is_rate)
{
    char ratio[] = "ratio", money[] = "亿元";
    model_slot rate = {.unit = ratio}, level = {.unit = money}, none = {.unit = NULL};
    cr_assert(model_slot_is_rate(&rate));
    cr_assert(!model_slot_is_rate(&level));
    cr_assert(!model_slot_is_rate(&none));
}
