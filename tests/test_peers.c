/* test_peers.c: peer series, fits and comparisons against closed forms and values computed
 * by hand: CAGR and least squares (the t quantile with one degree of freedom is the Cauchy
 * quantile tan(0.475·pi)), chaining growth rates forwards and backwards, log-linear
 * interpolation, ranks with ties, order flips with their crossing point, the catch-up growth
 * (cross-checked by running a model at that growth, and by the goals module's goal seek), a
 * place with only growth rates, a named place without figures, an unknown place, and the
 * shipped Linzhou comparison. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "goals.h"
#include "mem.h"
#include "peers.h"
#include "peers_write.h"
#include "summary.h"
#include "goals_load.h"
#include "peers_load.h"
#include "testutil.h"

#define REL 1e-12

static peers_observation level(int year, double value)
{
    peers_observation o = {year, HISTORY_LEVEL, value, NULL};
    return o;
}

static peers_observation growth(int year, double value)
{
    peers_observation o = {year, HISTORY_GROWTH, value, NULL};
    return o;
}

static void assert_value(const peers_series *s, int year, double expected, sim_origin origin)
{
    double v = peers_series_value(s, year);
    cr_assert_lt(testutil_reldiff(v, expected), REL, "%d: %.17g, expected %.17g", year, v, expected);
    cr_assert_eq(peers_series_origin(s, year), origin, "%d: origin %s, expected %s", year,
                 sim_origin_name(peers_series_origin(s, year)), sim_origin_name(origin));
}

static void assert_empty(const peers_series *s, int year)
{
    cr_assert(isnan(peers_series_value(s, year)), "%d should have no value, has %g", year, peers_series_value(s, year));
    cr_assert_eq(peers_series_origin(s, year), SIM_ORIGIN_NONE);
}

/* ---------------------------------------------------------------------------------------- */
/* series                                                                                    */

Test(peers, chains_backwards_and_stops_where_no_level_is_next)
{
    /* 辉县市: level 25.9 in 2018, growth 10.4% (2017), 6.5% (2018), 20.7% (2022) */
    peers_observation obs[] = {growth(2017, 0.104), growth(2022, 0.207), level(2018, 25.9), growth(2018, 0.065)};
    peers_series s;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_series_build(obs, 4, 2015, 2023, "辉县市 fiscal_revenue", &s, &d), DIAG_OK, "%s", d.message);
    assert_empty(&s, 2015);                                          /* no growth for 2016: not chained */
    assert_value(&s, 2016, 25.9 / 1.065 / 1.104, SIM_ORIGIN_DERIVED); /* 22.0277... by hand */
    assert_value(&s, 2017, 25.9 / 1.065, SIM_ORIGIN_DERIVED);         /* 24.3192... */
    assert_value(&s, 2018, 25.9, SIM_ORIGIN_OBSERVED);
    for (int year = 2019; year <= 2023; year++)
        assert_empty(&s, year); /* no level after 2018: 2019-2021 are not invented, 2022 not chained */
    cr_assert_eq(s.unchained_count, 1);
    cr_assert_eq(s.unchained_years[0], 2022);
    cr_assert_eq(s.level_count, 1);
    cr_assert_eq(s.growth_count, 3);
    cr_assert_eq(s.first_value_year, 2016);
    cr_assert_eq(s.last_value_year, 2018);
    peers_series_release(&s);
    diag_free(&d);
}

Test(peers, chains_forwards_then_interpolates_log_linearly)
{
    /* 20 in 2017, +10% and +20% give 22 and 26.4; 40 in 2022; 2020-2021 on the log line */
    peers_observation obs[] = {level(2017, 20), growth(2018, 0.1), growth(2019, 0.2), level(2022, 40)};
    peers_series s;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_series_build(obs, 4, 2016, 2024, "x", &s, &d), DIAG_OK, "%s", d.message);
    assert_value(&s, 2018, 22, SIM_ORIGIN_DERIVED);
    assert_value(&s, 2019, 26.4, SIM_ORIGIN_DERIVED);
    assert_value(&s, 2020, 26.4 * pow(40 / 26.4, 1.0 / 3), SIM_ORIGIN_INTERPOLATED); /* 30.3696... */
    assert_value(&s, 2021, 26.4 * pow(40 / 26.4, 2.0 / 3), SIM_ORIGIN_INTERPOLATED); /* 34.9364... */
    assert_value(&s, 2022, 40, SIM_ORIGIN_OBSERVED);
    assert_empty(&s, 2016); /* never extrapolated, backwards or forwards */
    assert_empty(&s, 2023);
    cr_assert_eq(d.warning_count, 0);
    peers_series_release(&s);
    diag_free(&d);
}

Test(peers, linzhou_revenue_history_by_hand)
{
    /* 林州市: 20 (2017, +23.9%), 43.54 (2022, +8.8%): 2016 and 2021 derived, 2018-2020 between
     * 20 and 43.54/1.088 = 40.01838... */
    peers_observation obs[] = {level(2017, 20), growth(2017, 0.239), level(2022, 43.54), growth(2022, 0.088)};
    peers_series s;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_series_build(obs, 4, 2016, 2022, "林州市", &s, &d), DIAG_OK, "%s", d.message);
    double v2021 = 43.54 / 1.088;
    assert_value(&s, 2016, 20 / 1.239, SIM_ORIGIN_DERIVED);
    assert_value(&s, 2021, v2021, SIM_ORIGIN_DERIVED);
    assert_value(&s, 2018, 20 * pow(v2021 / 20, 0.25), SIM_ORIGIN_INTERPOLATED); /* 23.787... */
    assert_value(&s, 2019, 20 * pow(v2021 / 20, 0.5), SIM_ORIGIN_INTERPOLATED);  /* 28.2907... */
    cr_assert_lt(fabs(peers_series_value(&s, 2018) - 23.7869), 1e-4);
    peers_series_release(&s);
    diag_free(&d);
}

Test(peers, growth_rate_against_levels_is_checked)
{
    peers_observation obs[] = {level(2017, 100), level(2018, 110), growth(2018, 0.2)};
    peers_series s;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_series_build(obs, 3, 2017, 2018, "甲市 x", &s, &d), DIAG_OK);
    cr_assert_eq(d.warning_count, 1);
    cr_assert(strstr(d.warnings[0], "甲市 x: the observed growth rate of 2018 (20.00%) disagrees"), "%s", d.warnings[0]);
    cr_assert(strstr(d.warnings[0], "imply 10.00%"), "%s", d.warnings[0]);
    assert_value(&s, 2018, 110, SIM_ORIGIN_OBSERVED); /* levels are kept */
    cr_assert_eq(s.unchained_count, 0);
    peers_series_release(&s);
    diag_free(&d);
    /* within a tenth of a point: no warning */
    peers_observation close[] = {level(2017, 100), level(2018, 110), growth(2018, 0.1004)};
    diag_init(&d);
    cr_assert_eq(peers_series_build(close, 3, 2017, 2018, "x", &s, &d), DIAG_OK);
    cr_assert_eq(d.warning_count, 0);
    peers_series_release(&s);
    diag_free(&d);
}

Test(peers, only_growth_rates_give_no_values)
{
    peers_observation obs[] = {growth(2019, 0.05), growth(2020, 0.06)};
    peers_series s;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_series_build(obs, 2, 2018, 2021, "丙市 x", &s, &d), DIAG_OK);
    cr_assert_eq(s.level_count, 0);
    cr_assert_eq(s.growth_count, 2);
    cr_assert_eq(s.first_value_year, 0);
    for (int year = 2018; year <= 2021; year++)
        assert_empty(&s, year);
    cr_assert_eq(s.unchained_count, 2);
    peers_fit fit;
    cr_assert_eq(peers_fit_series(&s, &fit, &d), DIAG_OK);
    cr_assert_eq(fit.method, PEERS_FIT_NONE);
    peers_series_release(&s);
    diag_free(&d);
}

Test(peers, bad_observations_are_errors)
{
    peers_series s;
    diag d;
    diag_init(&d);
    peers_observation twice[] = {level(2018, 1), level(2018, 2)};
    cr_assert_eq(peers_series_build(twice, 2, 2017, 2019, "乙市 x", &s, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "乙市 x: two levels for 2018"), "%s", d.message);
    peers_series_release(&s);
    diag_free(&d);
    diag_init(&d);
    peers_observation collapse[] = {level(2018, 1), growth(2019, -1)};
    cr_assert_eq(peers_series_build(collapse, 2, 2017, 2019, "x", &s, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "fall of 100% or more"), "%s", d.message);
    peers_series_release(&s);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* fits                                                                                      */

Test(peers, two_levels_give_the_exact_cagr_and_no_interval)
{
    int years[] = {2017, 2022};
    double values[] = {21, 50.24};
    peers_fit fit;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_fit_levels(years, values, 2, &fit, &d), DIAG_OK);
    cr_assert_eq(fit.method, PEERS_FIT_CAGR);
    cr_assert_lt(testutil_reldiff(fit.growth, pow(50.24 / 21, 0.2) - 1), REL);
    cr_assert_lt(fabs(fit.growth - 0.19060051808988288), 1e-15); /* 长垣市 2017-2022 */
    cr_assert(isnan(fit.low) && isnan(fit.high));
    cr_assert_eq(fit.points, 2);
    cr_assert_eq(fit.first_year, 2017);
    cr_assert_eq(fit.last_year, 2022);
    cr_assert_eq(peers_fit_levels(years, values, 1, &fit, &d), DIAG_OK);
    cr_assert_eq(fit.method, PEERS_FIT_NONE);
    cr_assert(isnan(fit.growth));
    diag_free(&d);
}

Test(peers, least_squares_on_an_exact_exponential)
{
    int years[6];
    double values[6];
    for (int i = 0; i < 6; i++) {
        years[i] = 2015 + i;
        values[i] = 10 * pow(1.07, i);
    }
    peers_fit fit;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_fit_levels(years, values, 6, &fit, &d), DIAG_OK);
    cr_assert_eq(fit.method, PEERS_FIT_LEAST_SQUARES);
    cr_assert_lt(fabs(fit.growth - 0.07), 1e-12);
    cr_assert_lt(fit.slope_se, 1e-7); /* no scatter: the interval closes on the rate */
    cr_assert_lt(fabs(fit.low - 0.07), 1e-6);
    cr_assert_lt(fabs(fit.high - 0.07), 1e-6);
    diag_free(&d);
}

Test(peers, least_squares_interval_by_hand)
{
    /* ln values 0, 0.1, 0.3 over three years: slope 0.15, residuals 1/60, -2/60, 1/60, so
     * s^2 = (6/3600)/(3-2) = 1/600, se = sqrt(s^2 / Sxx) = sqrt(1/1200); t(0.975, 1) is the
     * Cauchy quantile tan(0.475 pi) = 12.7062... */
    int years[] = {2016, 2017, 2018};
    double values[] = {1, exp(0.1), exp(0.3)};
    peers_fit fit;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_fit_levels(years, values, 3, &fit, &d), DIAG_OK);
    double se = sqrt(1.0 / 1200), t = tan(0.475 * 4 * atan(1.0));
    cr_assert_lt(fabs(fit.slope - 0.15), 1e-14);
    cr_assert_lt(testutil_reldiff(fit.slope_se, se), 1e-12);
    cr_assert_lt(testutil_reldiff(fit.growth, exp(0.15) - 1), 1e-13);
    cr_assert_lt(testutil_reldiff(fit.low, exp(0.15 - t * se) - 1), 1e-9);
    cr_assert_lt(testutil_reldiff(fit.high, exp(0.15 + t * se) - 1), 1e-9);
    cr_assert_lt(fabs(fit.low - (-0.1949)), 1e-4); /* exp(0.15 - 0.36680) - 1 */
    cr_assert_lt(fabs(fit.high - 0.6766), 1e-4);   /* exp(0.15 + 0.36680) - 1 */
    diag_free(&d);
}

Test(peers, fit_uses_observed_and_derived_levels_only)
{
    /* 辉县市: 2016 and 2017 derived, 2018 observed: ln values of 25.9/1.065/1.104, 25.9/1.065, 25.9 */
    peers_observation obs[] = {growth(2017, 0.104), level(2018, 25.9), growth(2018, 0.065)};
    peers_series s;
    diag d;
    diag_init(&d);
    cr_assert_eq(peers_series_build(obs, 3, 2015, 2019, "x", &s, &d), DIAG_OK);
    peers_fit fit;
    cr_assert_eq(peers_fit_series(&s, &fit, &d), DIAG_OK);
    cr_assert_eq(fit.points, 3);
    /* with three equally spaced points the slope is (y3 - y1)/2: ln(1.104 * 1.065)/2 */
    cr_assert_lt(testutil_reldiff(fit.slope, log(1.104 * 1.065) / 2), 1e-12);
    cr_assert_lt(testutil_reldiff(fit.growth, sqrt(1.104 * 1.065) - 1), 1e-12); /* 8.43% */
    peers_series_release(&s);
    /* interpolated values do not count */
    peers_observation two[] = {level(2010, 10), level(2020, 20)};
    cr_assert_eq(peers_series_build(two, 2, 2010, 2020, "x", &s, &d), DIAG_OK);
    cr_assert_eq(peers_fit_series(&s, &fit, &d), DIAG_OK);
    cr_assert_eq(fit.method, PEERS_FIT_CAGR);
    cr_assert_eq(fit.points, 2);
    cr_assert_lt(testutil_reldiff(fit.growth, pow(2, 0.1) - 1), REL);
    peers_series_release(&s);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* ranks, crossings, catch-up growth                                                         */

Test(peers, ranks_with_ties)
{
    double values[] = {5, 7, 7, NAN, 3, 7 * (1 + 1e-15)};
    int ranks[6];
    peers_rank(values, 6, ranks);
    cr_assert_eq(ranks[0], 4);
    cr_assert_eq(ranks[1], 1);
    cr_assert_eq(ranks[2], 1);
    cr_assert_eq(ranks[3], 0); /* no value: not ranked */
    cr_assert_eq(ranks[4], 5);
    cr_assert_eq(ranks[5], 1); /* within 1e-12: a tie, not a place ahead */
    double apart[] = {7, 7.0001};
    peers_rank(apart, 2, ranks);
    cr_assert_eq(ranks[0], 2);
    cr_assert_eq(ranks[1], 1);
}

Test(peers, crossing_of_linzhou_and_changyuan_by_hand)
{
    /* Linzhou 43.54 (2022) growing 20% a year against Changyuan 50.24 (2022) growing at its
     * 2017-2022 trend (21 -> 50.24): g = (50.24/21)^(1/5) - 1 = 19.060%. Level when
     * 43.54 * 1.2^k = 50.24 * (1+g)^k: k = ln(50.24/43.54) / (ln 1.2 - ln(1+g))
     *   = 0.143134 / (0.182322 - 0.174461) = 18.2014, so t* = 2040.2014 and 2041 is the first
     * year Linzhou is ahead (2040: 1159.18 < 1161.02; 2041: 1391.02 > 1382.31). */
    double g = pow(50.24 / 21, 0.2) - 1;
    double k = log(50.24 / 43.54) / (log(1.2) - log(1 + g));
    enum { YEARS = 2045 - 2022 + 1 };
    double home[YEARS], peer[YEARS];
    for (int i = 0; i < YEARS; i++) {
        home[i] = 43.54 * pow(1.2, i);
        peer[i] = 50.24 * pow(1 + g, i);
    }
    peers_crossing crossings[YEARS];
    size_t n = peers_find_crossings(2022, home, peer, YEARS, crossings, YEARS);
    cr_assert_eq(n, 1);
    cr_assert_eq(crossings[0].year, 2041);
    cr_assert_eq(crossings[0].previous_year, 2040);
    cr_assert_eq(crossings[0].direction, 1);
    /* both paths are exponential, so log-linear interpolation finds the exact point */
    cr_assert_lt(fabs(crossings[0].point - (2022 + k)), 1e-9, "%.12f vs %.12f", crossings[0].point, 2022 + k);
    cr_assert_lt(fabs(crossings[0].point - 2040.2014), 1e-4);
    /* and the other way round */
    n = peers_find_crossings(2022, peer, home, YEARS, crossings, YEARS);
    cr_assert_eq(n, 1);
    cr_assert_eq(crossings[0].direction, -1);
}

Test(peers, crossings_through_a_tie_and_back)
{
    /* signs: -, 0, +, 0, -: ahead from year 2 (level in year 1), behind from year 4 (level in 3) */
    double home[] = {1, 2, 3, 3, 2, NAN, 1};
    double peer[] = {2, 2, 2, 3, 3, 1, 2};
    peers_crossing x[7];
    size_t n = peers_find_crossings(2000, home, peer, 7, x, 7);
    cr_assert_eq(n, 2);
    cr_assert_eq(x[0].year, 2002);
    cr_assert_eq(x[0].previous_year, 2000);
    cr_assert_float_eq(x[0].point, 2001, 0);
    cr_assert_eq(x[0].direction, 1);
    cr_assert_eq(x[1].year, 2004);
    cr_assert_float_eq(x[1].point, 2003, 0);
    cr_assert_eq(x[1].direction, -1);
    /* a touch without a change of order is no crossing */
    double h2[] = {1, 2, 1}, p2[] = {2, 2, 2};
    cr_assert_eq(peers_find_crossings(2000, h2, p2, 3, x, 3), 0);
    /* the crossing point: ln(h/p) goes from ln(1/2) to ln(2) between 2000 and 2001: halfway */
    cr_assert_float_eq(peers_crossing_point(2000, 1, 2, 2001, 2, 1), 2000.5, 1e-12);
    /* non-positive values: the gap is interpolated linearly (-1 to +3: a quarter of the way) */
    cr_assert_float_eq(peers_crossing_point(2000, -1, 0, 2001, 3, 0), 2000.25, 1e-12);
    cr_assert(isnan(peers_crossing_point(2000, 1, 2, 2001, 1, 3)));
}

Test(peers, catch_up_growth_closed_form)
{
    /* from 43.54 in 2022 to 100 in 2030: (100/43.54)^(1/8) - 1 */
    double r = peers_catch_up_growth(2022, 43.54, 2030, 100);
    cr_assert_lt(testutil_reldiff(r, pow(100 / 43.54, 0.125) - 1), REL);
    cr_assert_lt(fabs(r - 0.10953), 1e-5);
    cr_assert(isnan(peers_catch_up_growth(2022, 43.54, 2022, 100)));
    cr_assert(isnan(peers_catch_up_growth(2022, 0, 2030, 100)));
}

/* ---------------------------------------------------------------------------------------- */
/* the comparison on test data (tests/data/peers)                                             */

static const peers_line *line_of(const peers_variable *v, const char *place)
{
    for (size_t i = 0; i < v->line_count; i++)
        if (!strcmp(v->lines[i].place, place))
            return &v->lines[i];
    cr_assert_fail("no line for %s", place);
    return NULL;
}

static int rank_in(const peers_variable *v, const peers_line *line, int year)
{
    return line->rank[year - v->storage_first];
}

static int has_warning(const diag *d, const char *text)
{
    for (size_t i = 0; i < d->warning_count; i++)
        if (strstr(d->warnings[i], text))
            return 1;
    return 0;
}

/* The spec behind the last comparison built by compare() (a test builds one at a time). */
static peers_spec *compare_spec;

/* peers_load then peers_compare, as the loader and the pipeline do; NULL with the error in d. */
static peers_comparison *compare(const run *r, diag *d)
{
    peers_spec_free(compare_spec);
    compare_spec = NULL;
    if (peers_load(r, &compare_spec, d) != DIAG_OK)
        return NULL;
    cr_assert_not_null(compare_spec, "the scenario has a peers block");
    return peers_compare(r, compare_spec, d);
}

static void release(peers_comparison *c)
{
    peers_comparison_free(c);
    peers_spec_free(compare_spec);
    compare_spec = NULL;
}

/* peers_load alone, for the errors of the block. */
static int check_block(const run *r, diag *d)
{
    peers_spec *spec = NULL;
    int status = peers_load(r, &spec, d);
    peers_spec_free(spec);
    return status;
}

Test(peers, comparison_on_test_data)
{
    run *r = testutil_load_run("tests/data/peers/scenario.json");
    diag d;
    diag_init(&d);
    peers_comparison *c = compare(r, &d);
    cr_assert_not_null(c, "%s", d.message);
    cr_assert_eq(c->variable_count, 1);
    const peers_variable *v = &c->variables[0];
    cr_assert_eq(v->first_year, 2018); /* the earliest observation */
    cr_assert_eq(v->last_year, 2025);
    cr_assert_eq(v->line_count, 5);
    const peers_line *jia = line_of(v, "甲市"), *yi = line_of(v, "乙市"), *bing = line_of(v, "丙市"),
                     *ding = line_of(v, "丁市"), *wu = line_of(v, "戊市");
    /* home: history (2019 chained backwards from 12.1 at +10%), then the model at 10% */
    assert_value(&jia->series, 2019, 11, SIM_ORIGIN_DERIVED);
    assert_value(&jia->series, 2020, 12.1, SIM_ORIGIN_OBSERVED);
    assert_value(&jia->series, 2025, 12.1 * pow(1.1, 5), SIM_ORIGIN_MODEL);
    /* 乙市: 8 and 12.1 two years apart: 2019 is sqrt(8 * 12.1), the trend the CAGR 22.98% */
    assert_value(&yi->series, 2019, sqrt(8 * 12.1), SIM_ORIGIN_INTERPOLATED);
    cr_assert_eq(yi->fit.method, PEERS_FIT_CAGR);
    assert_value(&yi->series, 2023, 12.1 * pow(12.1 / 8, 1.5), SIM_ORIGIN_PROJECTED);
    cr_assert_eq(yi->projected_from, 2021);
    /* 丙市 only growth rates, 戊市 named without figures */
    cr_assert_eq(bing->status, PEERS_STATUS_GROWTH_ONLY);
    cr_assert_eq(wu->status, PEERS_STATUS_NO_DATA);
    cr_assert(has_warning(&d, "丙市 x: only growth rates (1), no level"));
    cr_assert(has_warning(&d, "戊市 has no figures yet"));
    /* 丁市: one level held flat by by_place, projected from 2020 (before start: a warning) */
    assert_value(&ding->series, 2020, 20, SIM_ORIGIN_PROJECTED);
    assert_empty(&ding->series, 2018);
    cr_assert(has_warning(&d, "丁市 x: no value after 2019, so 2020 is projected"));
    /* ranks: 2018 甲 10 > 乙 8 (丁 missing); 2020 丁 20 > 甲 12.1 = 乙 12.1 (a tie) */
    cr_assert_eq(rank_in(v, jia, 2018), 1);
    cr_assert_eq(rank_in(v, yi, 2018), 2);
    cr_assert_eq(rank_in(v, ding, 2018), 0);
    cr_assert_eq(rank_in(v, ding, 2020), 1);
    cr_assert_eq(rank_in(v, jia, 2020), 2);
    cr_assert_eq(rank_in(v, yi, 2020), 2);
    cr_assert_eq(rank_in(v, bing, 2020), 0);
    /* 2023: 甲 16.1051 < 丁 20 < 乙 22.51 */
    cr_assert_eq(rank_in(v, jia, 2023), 3);
    /* 甲 vs 乙: ahead in 2019, level in 2020, behind from 2021: the crossing point is 2020 */
    cr_assert_eq(yi->crossing_count, 1);
    cr_assert_eq(yi->crossings[0].year, 2021);
    cr_assert_eq(yi->crossings[0].previous_year, 2019);
    cr_assert_float_eq(yi->crossings[0].point, 2020, 0);
    cr_assert_eq(yi->crossings[0].direction, -1);
    /* gap and ratio: home - peer, home / peer */
    size_t t2019 = (size_t)(2019 - v->storage_first);
    cr_assert_lt(testutil_reldiff(yi->gap[t2019], 11 - sqrt(96.8)), REL);
    cr_assert_lt(testutil_reldiff(yi->ratio[t2019], 11 / sqrt(96.8)), REL);
    cr_assert(isnan(jia->gap[t2019]));
    /* catch-up from 12.1 in 2020: never ahead of 丁市 by 2025 (19.487 < 20); the growth that
     * draws level in 2025 is (20/12.1)^(1/5) - 1 */
    cr_assert_eq(v->base_year, 2020);
    cr_assert_eq(ding->standing, PEERS_STANDING_BEHIND);
    cr_assert_eq(yi->standing, PEERS_STANDING_BEHIND); /* level at the base, then behind */
    size_t t2025 = (size_t)(2025 - v->storage_first);
    cr_assert_lt(testutil_reldiff(ding->required_growth[t2025], pow(20 / 12.1, 0.2) - 1), REL);
    release(c);
    diag_free(&d);
    run_free(r);
}

/* A scenario file in the test folder, extending tests/data/peers/scenario.json. */
static const char *peers_variant(const char *peers_block)
{
    static char path[1024];
    static char text[4096];
    char cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, "{\"name\": \"variant\", \"extends\": \"%s/tests/data/peers/scenario.json\", \"peers\": %s}",
             cwd, peers_block);
    snprintf(path, sizeof path, "%s", testutil_write("variant.json", text));
    return path;
}

static void assert_peers_error(const char *block, const char *where, const char *message)
{
    run *r = testutil_load_run(peers_variant(block));
    diag d;
    diag_init(&d);
    cr_assert_eq(check_block(r, &d), DIAG_DATA, "no error for %s", block);
    cr_assert(strstr(d.message, where), "%s lacks %s", d.message, where);
    cr_assert(strstr(d.message, message), "%s lacks %s", d.message, message);
    diag_free(&d);
    diag_init(&d);
    cr_assert_null(compare(r, &d));
    cr_assert_eq(d.status, DIAG_DATA);
    release(NULL);
    diag_free(&d);
    run_free(r);
}

Test(peers, block_errors_say_where_and_what)
{
    /* an unknown place names itself and every place there is */
    assert_peers_error("{\"places\": [\"乙市\", \"己市\"]}", "$.peers.places[1]",
                       "unknown place \"己市\": it is not in ");
    assert_peers_error("{\"places\": [\"己市\"]}", "$.peers.places[0]",
                       "places with figures: 甲市, 乙市, 丙市, 丁市; named without figures yet: 戊市");
    assert_peers_error("{\"places\": [\"乙\"]}", "$.peers.places[0]", "(did you mean \"乙市\"?)");
    assert_peers_error("{\"places\": [\"甲市\"]}", "$.peers.places[0]", "the scenario's own place");
    assert_peers_error("{\"places\": [\"乙市\", \"乙市\"]}", "$.peers.places[1]", "listed twice");
    assert_peers_error("{\"variables\": [\"y\"]}", "$.peers.variables[0]", "unknown variable \"y\"");
    assert_peers_error("{\"variables\": [\"g\"]}", "$.peers.variables[0]", "is a rate");
    assert_peers_error("{\"growth\": \"trnd\"}", "$.peers.growth", "(did you mean \"trend\"?)");
    assert_peers_error("{\"growth\": \"-120%\"}", "$.peers.growth", "fall of 100% or more");
    assert_peers_error("{\"growth\": {\"2021\": 0.1, \"20x\": 0.2}}", "$.peers.growth[\"20x\"]", "bad year key");
    assert_peers_error("{\"by_place\": {\"戊\": \"last\"}}", "$.peers.by_place", "(did you mean \"戊市\"?)");
    assert_peers_error("{\"grwth\": 1}", "$.peers.grwth", "(did you mean \"growth\"?)");
    assert_peers_error("{\"catch_up_by\": 2030}", "$.peers.catch_up_by", "outside the scenario's 2021-2025");
    /* a year map that leaves a projected year without a rate fails at compare time, when the
     * data say where the projection starts (乙市's last level is 2020) */
    run *r = testutil_load_run(peers_variant("{\"growth\": {\"2022-2025\": \"5%\"}}"));
    diag d;
    diag_init(&d);
    cr_assert_eq(check_block(r, &d), DIAG_OK, "%s", d.message);
    cr_assert_null(compare(r, &d));
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert(strstr(d.message, "$.peers.growth: error: the growth for 乙市 gives no rate for 2021"), "%s", d.message);
    release(NULL);
    diag_free(&d);
    run_free(r);
}

Test(peers, last_and_year_map_rules)
{
    /* 乙市 by "last": no growth rate, so the CAGR of its last two levels; 丁市 by a year map */
    run *r = testutil_load_run(peers_variant("{\"growth\": \"last\", \"by_place\": {\"丁市\": {\"2020-2022\": \"10%\", \"value\": 0}}}"));
    diag d;
    diag_init(&d);
    peers_comparison *c = compare(r, &d);
    cr_assert_not_null(c, "%s", d.message);
    const peers_variable *v = &c->variables[0];
    const peers_line *yi = line_of(v, "乙市"), *ding = line_of(v, "丁市");
    cr_assert_lt(testutil_reldiff(yi->projected_growth, sqrt(12.1 / 8) - 1), REL);
    cr_assert(strstr(yi->projection, "the CAGR of the levels of 2018 and 2020 (no growth rate observed)"), "%s",
              yi->projection);
    assert_value(&ding->series, 2022, 20 * 1.1 * 1.1 * 1.1, SIM_ORIGIN_PROJECTED);
    assert_value(&ding->series, 2025, 20 * 1.1 * 1.1 * 1.1, SIM_ORIGIN_PROJECTED);
    cr_assert(isnan(ding->projected_growth));
    release(c);
    diag_free(&d);
    run_free(r);
}

Test(peers, from_sets_the_first_year_compared)
{
    run *r = testutil_load_run(peers_variant("{\"from\": 2015}"));
    diag d;
    diag_init(&d);
    peers_comparison *c = compare(r, &d);
    cr_assert_not_null(c, "%s", d.message);
    const peers_variable *v = &c->variables[0];
    cr_assert_eq(v->first_year, 2015);
    cr_assert_eq(v->storage_first, 2015);
    assert_empty(&line_of(v, "甲市")->series, 2015); /* before the data: nothing, not extrapolated */
    cr_assert_eq(line_of(v, "甲市")->rank[0], 0);
    release(c);
    diag_free(&d);
    run_free(r);
    assert_peers_error("{\"from\": 2021}", "$.peers.from", "must come before start (2021)");
}

/* ---------------------------------------------------------------------------------------- */
/* catch-up growth cross-checked on the model                                                 */

Test(peers, catch_up_growth_draws_level_on_the_model)
{
    /* tiny model x = x[-1] * (1 + g): from x = 12.1 in 2020, held at the closed-form rate,
     * x reaches 丁市's 20 in 2025; and the goals module's goal seek finds the same rate */
    run *r = testutil_load_run(peers_variant("{\"places\": [\"丁市\"]}"));
    diag d;
    diag_init(&d);
    peers_comparison *c = compare(r, &d);
    cr_assert_not_null(c, "%s", d.message);
    const peers_variable *v = &c->variables[0];
    const peers_line *ding = line_of(v, "丁市");
    double rate = ding->required_growth[2025 - v->storage_first];
    double target = peers_series_value(&ding->series, 2025);
    cr_assert_float_eq(target, 20, 0);
    sim_plan *plan = sim_plan_clone(r->plan);
    cr_assert_not_null(plan);
    cr_assert_eq(sim_plan_set_input(plan, model_find(r->model, "g"), 2021, 2025, rate), DIAG_OK);
    double *values = NULL;
    cr_assert_eq(sim_run_path(plan, &values, &d), DIAG_OK, "%s", d.message);
    int x = model_find(r->model, "x");
    double x2025 = values[(size_t)x * plan->years + (size_t)sim_plan_year_index(plan, 2025)];
    cr_assert_lt(fabs(x2025 - target), 1e-10, "x 2025 = %.17g, target %.17g", x2025, target);
    mem_free(values);
    sim_plan_free(plan);
    release(c);
    diag_free(&d);
    run_free(r);

    /* goal seek: "x in 2025 at least 20, solve g" */
    char cwd[512], text[2048];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text,
             "{\"name\": \"seek\", \"extends\": \"%s/tests/data/peers/scenario.json\", \"goals\": [{\"id\": \"draw-level\", "
             "\"variable\": \"x\", \"year\": 2025, \"target\": 20, \"solve\": \"g\"}]}",
             cwd);
    r = testutil_load_run(testutil_write("seek.json", text));
    diag_init(&d);
    goals_set *g = goals_load(r, &d);
    cr_assert_not_null(g, "%s", d.message);
    goals_seek_result seek;
    cr_assert_eq(goals_seek(g, 0, r, &seek, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(seek.status, GOALS_SEEK_FOUND, "%s", seek.message);
    cr_assert_lt(fabs(seek.required - rate), 1e-10, "goal seek %.17g, closed form %.17g", seek.required, rate);
    goals_free(g);
    diag_free(&d);
    run_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* the shipped data                                                                          */

Test(peers, shipped_linzhou_comparison)
{
    run *r = testutil_load_run("scenarios/linzhou-2023-target.json");
    diag d;
    diag_init(&d);
    peers_comparison *c = compare(r, &d);
    cr_assert_not_null(c, "%s", d.message);
    const peers_variable *v = &c->variables[0];
    cr_assert_str_eq(v->name, "fiscal_revenue");
    cr_assert_eq(v->first_year, 2017);
    cr_assert_eq(v->last_year, 2030);
    const peers_line *lz = line_of(v, "林州市"), *cy = line_of(v, "长垣市"), *hx = line_of(v, "辉县市");
    cr_assert(lz->is_home);
    assert_value(&lz->series, 2017, 20, SIM_ORIGIN_OBSERVED);
    assert_value(&lz->series, 2022, 43.54, SIM_ORIGIN_OBSERVED);
    double nominal = 1.08 * 1.015 - 1;
    assert_value(&lz->series, 2023, 43.54 * (1 + 1.55 * nominal), SIM_ORIGIN_MODEL);
    assert_value(&cy->series, 2017, 21, SIM_ORIGIN_OBSERVED);
    assert_value(&cy->series, 2018, 24.7, SIM_ORIGIN_OBSERVED);
    assert_value(&cy->series, 2019, 24.7 * pow(34.08 / 24.7, 0.5), SIM_ORIGIN_INTERPOLATED);
    assert_value(&cy->series, 2020, 34.08, SIM_ORIGIN_OBSERVED);
    assert_value(&cy->series, 2021, 34.08 * pow(50.24 / 34.08, 0.5), SIM_ORIGIN_INTERPOLATED);
    /* past its data at the trend: least squares of ln level on year over 2017, 2018, 2020, 2022 */
    const double years[] = {2017, 2018, 2020, 2022}, levels[] = {21, 24.7, 34.08, 50.24};
    double mx = 0, my = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < 4; i++) {
        mx += years[i] / 4;
        my += log(levels[i]) / 4;
    }
    for (int i = 0; i < 4; i++) {
        sxx += (years[i] - mx) * (years[i] - mx);
        sxy += (years[i] - mx) * (log(levels[i]) - my);
    }
    double g = exp(sxy / sxx) - 1; /* 18.95% */
    assert_value(&cy->series, 2030, 50.24 * pow(1 + g, 8), SIM_ORIGIN_PROJECTED);
    assert_value(&hx->series, 2017, 25.9 / 1.065, SIM_ORIGIN_DERIVED);
    assert_value(&hx->series, 2018, 25.9, SIM_ORIGIN_OBSERVED);
    cr_assert_eq(peers_series_origin(&hx->series, 2019), SIM_ORIGIN_PROJECTED);
    cr_assert_eq(hx->projected_from, 2019);
    /* sources travel with observed values */
    const history_row *row = cy->series.source[2022 - v->storage_first];
    cr_assert_not_null(row);
    cr_assert_str_eq(row->reliability, "A");
    /* 2017: 辉县市 24.32 > 长垣市 21 > 林州市 20 */
    cr_assert_eq(rank_in(v, lz, 2017), 3);
    /* catch-up base: 43.54 in 2022; 长垣市 stays ahead to 2030 under this scenario */
    cr_assert_eq(v->base_year, 2022);
    cr_assert_eq(cy->standing, PEERS_STANDING_BEHIND);
    cr_assert_eq(hx->standing, PEERS_STANDING_AHEAD);
    double need = cy->required_growth[2030 - v->storage_first];
    cr_assert_lt(testutil_reldiff(need, pow(50.24 * pow(1 + g, 8) / 43.54, 1.0 / 8) - 1), REL);
    cr_assert(has_warning(&d, "辉县市 fiscal_revenue: the growth rate of 2022 (20.70%) gives no level"));
    cr_assert(has_warning(&d, "辉县市 fiscal_revenue: no value after 2018, so 2019-2022 are projected"));
    release(c);
    diag_free(&d);
    run_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* out of memory                                                                             */

Test(peers, out_of_memory_anywhere_fails_cleanly)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    run *r = testutil_load_run("tests/data/peers/scenario.json");
    int completed = 0;
    for (long n = 0; n < 5000 && !completed; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        peers_comparison *c = compare(r, &d);
        cJSON *part = c ? summary_peers(c) : NULL;
        mem_fail_reset();
        if (c && part) {
            completed = 1;
        } else if (!c) {
            cr_assert_eq(d.status, DIAG_SOFTWARE, "after %ld allocations: status %d: %s", n, d.status, d.message);
        }
        cJSON_Delete(part);
        release(c);
        diag_free(&d);
    }
    cr_assert(completed, "the comparison never completed");
    run_free(r);
}
