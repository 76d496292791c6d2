/* test_range.c: plausible ranges: declared bounds win, only growth rates get a default, and
 * the percent hint appears exactly when value / 100 is plausible. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "range.h"

static model_slot slot_of(const char *name, const char *unit, double min, double max)
{
    model_slot s;
    memset(&s, 0, sizeof s);
    s.name = (char *)name;
    s.label = (char *)name;
    s.unit = (char *)unit;
    s.kind = MODEL_EXOGENOUS;
    s.min = s.model_min = min;
    s.max = s.model_max = max;
    return s;
}

static void expect_message(const range *r, double value, int percent, const char *expected)
{
    char buf[512];
    cr_assert(!range_contains(r, value), "%g should be outside", value);
    range_message(r, value, percent, "gdp_real_growth", buf, sizeof buf);
    cr_assert_str_eq(buf, expected);
}

Test(range, percent_hint_against_a_declared_range)
{
    model_slot s = slot_of("gdp_real_growth", "ratio", -0.2, 0.3);
    range r = range_of_slot(&s);
    cr_assert_eq(r.source, RANGE_DECLARED);
    expect_message(&r, 1, 0, "1 is outside the range of gdp_real_growth (-20% to 30%); did you mean 0.01 or \"1%\"?");
    expect_message(&r, 4, 0, "4 is outside the range of gdp_real_growth (-20% to 30%); did you mean 0.04 or \"4%\"?");
    expect_message(&r, 8, 0, "8 is outside the range of gdp_real_growth (-20% to 30%); did you mean 0.08 or \"8%\"?");
    /* 100/100 = 1 and -200/100 = -2 are no more plausible: no hint */
    expect_message(&r, 100, 0, "100 is outside the range of gdp_real_growth (-20% to 30%)");
    expect_message(&r, -200, 0, "-200 is outside the range of gdp_real_growth (-20% to 30%)");
    /* written as "-200%": a percentage already, so no hint either */
    expect_message(&r, -2, 1, "-200% is outside the range of gdp_real_growth (-20% to 30%)");
    cr_assert(range_contains(&r, 0.04));
    cr_assert(range_contains(&r, -0.2), "bounds are inclusive");
    cr_assert(range_contains(&r, 0.3));
}

Test(range, percent_hint_against_the_default_growth_range)
{
    model_slot s = slot_of("gdp_real_growth", "ratio", -INFINITY, INFINITY);
    range r = range_of_slot(&s);
    cr_assert_eq(r.source, RANGE_DEFAULT_GROWTH);
    cr_assert_float_eq(r.min, -0.5, 0);
    cr_assert_float_eq(r.max, 1.0, 0);
    cr_assert(range_contains(&r, 1), "+100%% is the top of the default range");
    const char *why = ", the default for a growth rate without declared bounds";
    char expected[256];
    snprintf(expected, sizeof expected,
             "4 is outside the range of gdp_real_growth (-50%% to 100%%%s); did you mean 0.04 or \"4%%\"?", why);
    expect_message(&r, 4, 0, expected);
    snprintf(expected, sizeof expected,
             "8 is outside the range of gdp_real_growth (-50%% to 100%%%s); did you mean 0.08 or \"8%%\"?", why);
    expect_message(&r, 8, 0, expected);
    snprintf(expected, sizeof expected,
             "100 is outside the range of gdp_real_growth (-50%% to 100%%%s); did you mean 1 or \"100%%\"?", why);
    expect_message(&r, 100, 0, expected);
    snprintf(expected, sizeof expected, "-200 is outside the range of gdp_real_growth (-50%% to 100%%%s)", why);
    expect_message(&r, -200, 0, expected);
}

Test(range, only_growth_rates_get_a_default)
{
    model_slot ratio = slot_of("devzone_industrial_ratio", "ratio", -INFINITY, INFINITY);
    range r = range_of_slot(&ratio);
    cr_assert_eq(r.source, RANGE_NONE, "an output-to-GDP ratio may exceed 1");
    cr_assert(range_contains(&r, 5));
    model_slot level = slot_of("gdp_growth_index", "index", -INFINITY, INFINITY);
    r = range_of_slot(&level);
    cr_assert_eq(r.source, RANGE_NONE, "not a rate");
    model_slot declared = slot_of("construction_firms_growth", "ratio", -0.5, INFINITY);
    r = range_of_slot(&declared);
    cr_assert_eq(r.source, RANGE_DECLARED, "one declared bound is the range: no default mixed in");
    cr_assert(range_contains(&r, 50));
    char buf[128];
    range_describe(&r, buf, sizeof buf);
    cr_assert_str_eq(buf, "at least -50%");
}

Test(range, levels_in_their_unit_and_scenario_bounds)
{
    model_slot gdp = slot_of("gdp", "亿元", 0, INFINITY);
    gdp.kind = MODEL_VARIABLE;
    range r = range_of_slot(&gdp);
    char buf[256];
    range_message(&r, -657.4, 0, "gdp", buf, sizeof buf);
    cr_assert_str_eq(buf, "-657.4 is outside the range of gdp (at least 0 亿元)");
    model_slot widened = slot_of("gdp_real_growth", "ratio", -0.2, 0.3);
    widened.min = -0.4;
    r = range_of_slot(&widened);
    cr_assert_eq(r.source, RANGE_SCENARIO);
    range_message(&r, -0.5, 1, "gdp_real_growth", buf, sizeof buf);
    cr_assert_str_eq(buf, "-50% is outside the range of gdp_real_growth (-40% to 30%, as the scenario's \"bounds\" set it)");
    range_format_value(1e300, 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "1e+300", "short forms, never 300 digits");
}
