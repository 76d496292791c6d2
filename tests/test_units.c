/* test_units.c: which units are rates, and values formatted in their units (units.h). */
#include <criterion/criterion.h>
#include <math.h>

#include "units.h"

Test(units, rates_are_ratio_and_fraction)
{
    cr_assert(units_is_rate("ratio"));
    cr_assert(units_is_rate("fraction"));
    cr_assert(!units_is_rate("亿元"));
    cr_assert(!units_is_rate("count"));
    cr_assert(!units_is_rate(""));
    cr_assert(!units_is_rate("Ratio"), "units are compared exactly");
    cr_assert(!units_is_rate(NULL));
}

static const char *formatted(double value, const char *unit)
{
    static char buf[64];
    units_format_value(buf, sizeof buf, value, unit);
    return buf;
}

Test(units, values_are_formatted_in_their_units)
{
    cr_assert_str_eq(formatted(0.08, "ratio"), "8.00%");
    cr_assert_str_eq(formatted(-0.0125, "fraction"), "-1.25%");
    cr_assert_str_eq(formatted(657.4, "亿元"), "657.40");
    cr_assert_str_eq(formatted(1600.4, "count"), "1600");
    cr_assert_str_eq(formatted(12.6, "家"), "13");
    cr_assert_str_eq(formatted(7.2, "个"), "7");
    cr_assert_str_eq(formatted(1.234567, "index"), "1.2346");
    cr_assert_str_eq(formatted(1.1, ""), "1.1000", "a unitless parameter (a buoyancy)");
    cr_assert_str_eq(formatted(35.04, "万人"), "35.04");
    cr_assert_str_eq(formatted(NAN, "亿元"), "-");
    cr_assert_str_eq(formatted(INFINITY, "ratio"), "-");
    cr_assert_str_eq(formatted(999999999999.0, "亿元"), "999999999999.00", "just below the short form");
    cr_assert_str_eq(formatted(1e12, "亿元"), "1e+12");
    cr_assert_str_eq(formatted(-2.5e15, "count"), "-2.5e+15");
    cr_assert_str_eq(formatted(1e11, "ratio"), "1e+13%", "a huge rate: its percentage in short form");
    char small[6];
    units_format_value(small, sizeof small, 657.4, "亿元");
    cr_assert_str_eq(small, "657.4", "cut to the buffer, never past it");
}
