/* test_backtest.c: the rolling-origin back-test (backtest.h, backtest_write.h).
 *
 * - A series with a known data-generating process (y grows 5% a year) and a model that
 *   assumes 3%: every error has the closed form A_T (1.03^h - 1.05^h), the same percentage
 *   at every origin, and both naive forecasts are exact.
 * - A hand-computed case of three origins and two horizons: the forecasts are checked against
 *   numbers worked out by hand, and bias, MAE, RMSE and Theil's U are recomputed here from the
 *   rows of backtest.csv as written, then compared with backtest-summary.csv.
 * - Carrying assumptions back before the start is flagged, the deflator is re-based at the
 *   origin, a series break keeps a point out, and too few observations give n = 0. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest.h"
#include "backtest_write.h"
#include "calibrate.h"
#include "ensemble.h"
#include "ensemble_load.h"
#include "mem.h"
#include "run.h"
#include "testutil.h"

/* One model: y grows at the exogenous rate g; a price index p re-based by the scenario. */
static const char *MODEL = "{\"name\": \"bt\", \"exogenous\": {\"g\": {\"value\": 0.05, \"unit\": \"ratio\"},"
                           " \"pg\": {\"value\": 0.0, \"unit\": \"ratio\"}},"
                           " \"variables\": {\"y\": {\"unit\": \"亿元\", \"eq\": \"y[-1] * (1 + g)\"},"
                           " \"p\": {\"unit\": \"index\", \"eq\": \"p[-1] * (1 + pg)\"},"
                           " \"yr\": {\"unit\": \"亿元\", \"eq\": \"y / p\"}}}";

/* Writes head and then tail into a new file at path. */
static void write_file(const char *path, const char *head, const char *tail)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(head, f);
    fputs(tail, f);
    fclose(f);
}

/* Writes the model, obs.csv (`obs_header` then `rows`) and s.json (`scenario_json`) into a
 * fresh folder (testutil_make_dir(name)) and returns the path of s.json (static storage). */
static const char *write_inputs(const char *name, const char *obs_header, const char *rows,
                                const char *scenario_json)
{
    static char path[512];
    const char *dir = testutil_make_dir(name);
    write_file(testutil_join(dir, "m.json"), MODEL, "");
    write_file(testutil_join(dir, "obs.csv"), obs_header, rows);
    snprintf(path, sizeof path, "%s", testutil_join(dir, "s.json"));
    write_file(path, scenario_json, "");
    return path;
}

/* Writes the model, obs.csv (the given rows after the header) and s.json (start, end, the
 * assumption of g as JSON, then the `extra` members, such as ", \"uncertainty\": {...}") into
 * a fresh folder and loads the run with every observation. */
static run *load_with(const char *rows, int start, int end, const char *g, const char *extra)
{
    char scenario_json[1024];
    int length = snprintf(scenario_json, sizeof scenario_json,
                          "{\"name\": \"bt\", \"model\": \"m.json\", \"history\": {\"file\": \"obs.csv\", "
                          "\"place\": \"P\"}, \"start\": %d, \"end\": %d, \"initial\": {\"p\": {\"%d\": 1}},"
                          " \"assumptions\": {\"g\": %s}%s}",
                          start, end, start - 1, g, extra);
    cr_assert(length > 0 && (size_t)length < sizeof scenario_json, "the scenario does not fit");
    const char *path = write_inputs("backtest",
                                    "place,indicator,year,value,unit,kind,source,reliability,series_break\n", rows,
                                    scenario_json);
    diag d;
    diag_init(&d);
    run *r = NULL;
    run_load_options o = {.as_of = RUN_AS_OF_ALL};
    int status = run_load_checked_with(path, &o, &r, &d);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    diag_free(&d);
    return r;
}

/* load_with and no extra members. */
static run *load(const char *rows, int start, int end, const char *g)
{
    return load_with(rows, start, end, g, "");
}

/* The run's uncertainty block (ensemble_load), failing the test with d's message unless it loads. */
static ensemble_spec *load_spec_with(const run *r, diag *d)
{
    ensemble_spec *spec = NULL;
    cr_assert_eq(ensemble_load(r, 0, 0, 0, &spec, d), DIAG_OK, "%s", d->message);
    return spec;
}

/* load_spec_with a diag of its own. */
static ensemble_spec *load_spec(const run *r)
{
    diag d;
    diag_init(&d);
    ensemble_spec *spec = load_spec_with(r, &d);
    diag_free(&d);
    return spec;
}

/* y over 1901..last_year: 100, then growing each year by 5% plus a N(0, 2%) draw from MT19937
 * with the given seed. Returns obs.csv rows (static storage, valid until the next call); the
 * sum and the sum of squares of the draws go to *sum and *squares unless they are NULL. */
static const char *random_growth_rows(unsigned long seed, int last_year, double *sum, double *squares)
{
    static char rows[32768];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    size_t used = 0;
    double y = 100, drawn_sum = 0, drawn_squares = 0;
    for (int year = 1901; year <= last_year; year++) {
        if (year > 1901) {
            double e = gsl_ran_gaussian(rng, 0.02);
            drawn_sum += e;
            drawn_squares += e * e;
            y *= 1 + 0.05 + e;
        }
        used += (size_t)snprintf(rows + used, sizeof rows - used, "P,y,%d,%.17g,亿元,level,synthetic,T,\n", year, y);
    }
    gsl_rng_free(rng);
    if (sum)
        *sum = drawn_sum;
    if (squares)
        *squares = drawn_squares;
    return rows;
}

/* Back-test options for one year ahead with the spec's bands on the given threads. */
static backtest_options one_year_with_bands(const ensemble_spec *spec, int threads)
{
    return (backtest_options){.horizon_from = 1, .horizon_to = 1, .bands = spec, .threads = threads};
}

static backtest_result *backtest(const run *r, backtest_options o)
{
    diag d;
    diag_init(&d);
    backtest_result *res = NULL;
    int status = backtest_run(r, &o, &res, &d);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    diag_free(&d);
    return res;
}

/* ---------------------------------------------------------------------------------------- */

Test(backtest, known_process_gives_the_closed_form_errors)
{
    char rows[4096] = "";
    size_t used = 0;
    for (int year = 2000; year <= 2010; year++)
        used += (size_t)snprintf(rows + used, sizeof rows - used, "P,y,%d,%.17g,亿元,level,synthetic,T,\n", year,
                                 100.0 * pow(1.05, year - 2000));
    run *r = load(rows, 2011, 2015, "{\"2011-2015\": \"3%\"}");
    backtest_result *res = backtest(r, (backtest_options){.horizon_from = 1, .horizon_to = 3});
    int y = model_find(r->model, "y");
    /* default origins: every year with a later actual, 2000-2009 */
    cr_assert_eq(res->origin_from, 2000);
    cr_assert_eq(res->origin_to, 2009);
    size_t counted = 0;
    for (size_t i = 0; i < res->row_count; i++) {
        const backtest_row *row = &res->rows[i];
        if (row->slot != y)
            continue;
        counted++;
        double at = 100.0 * pow(1.05, row->origin - 2000);
        double expected = at * (pow(1.03, row->horizon) - pow(1.05, row->horizon));
        cr_assert_lt(fabs((row->forecast - row->actual) - expected), 1e-9 * at, "origin %d h %d", row->origin,
                     row->horizon);
        cr_assert_eq(row->actual_origin, SIM_ORIGIN_OBSERVED);
        cr_assert_eq(row->carried_back, 1, "2000-2010 are before the start: 3% carried back");
        if (row->origin > 2000) { /* two actuals up to the origin: the naive forecasts are exact */
            cr_assert_lt(testutil_reldiff(row->naive, row->actual), 1e-12);
            cr_assert_lt(testutil_reldiff(row->trend, row->actual), 1e-12);
        } else {
            cr_assert(isnan(row->naive) && isnan(row->trend));
        }
    }
    /* origins 2000-2009, horizons 1-3, actuals up to 2010: 10 + 9 + 8 points */
    cr_assert_eq(counted, 27);
    for (int h = 1; h <= 3; h++) {
        const backtest_stat *st = backtest_find_stat(res, y, h);
        cr_assert_not_null(st);
        cr_assert_eq(st->n, (size_t)(11 - h));
        double pct = 1.0 - pow(1.03 / 1.05, h); /* the same at every origin */
        cr_assert_lt(fabs(st->mape - pct), 1e-12, "h %d: MAPE %.15g, closed form %.15g", h, st->mape, pct);
        cr_assert(st->bias < 0, "assuming 3% under a 5% process projects too low");
        cr_assert_float_eq(st->hit_rate, 1.0, 1e-15);
        cr_assert(isnan(st->theil_u), "the no-change forecast is exact: U is undefined, not invented");
    }
    /* yr = y / p: the price index is re-based to 1 at every origin, so yr = y there */
    for (size_t i = 0; i < res->path_count; i++)
        if (res->paths[i].slot == model_find(r->model, "yr")) {
            cr_assert_fail("yr has no actuals and must not be back-tested");
        }
    backtest_result_free(res);
    run_free(r);
}

Test(backtest, a_constant_assumption_is_not_carried_back)
{
    run *r = load("P,y,2000,100,亿元,level,s,T,\nP,y,2001,104,亿元,level,s,T,\nP,y,2002,110,亿元,level,s,T,\n", 2010,
                  2012, "\"4%\"");
    backtest_result *res = backtest(r, (backtest_options){0});
    cr_assert_eq(res->row_count, 3); /* 2000 -> 2001, 2002; 2001 -> 2002 */
    for (size_t i = 0; i < res->row_count; i++) {
        cr_assert_eq(res->rows[i].carried_back, 0);
        double at = res->rows[i].origin == 2000 ? 100 : 104;
        cr_assert_lt(testutil_reldiff(res->rows[i].forecast, at * pow(1.04, res->rows[i].horizon)), 1e-12);
    }
    backtest_result_free(res);
    run_free(r);
}

/* Splits a CSV line of plain fields (no quotes: the names here have none) in place. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static double field_number(const char *text)
{
    return *text ? strtod(text, NULL) : NAN;
}

Test(backtest, three_origins_two_horizons_by_hand)
{
    /* y: 100, 110, 115, 126.5, 130, 143 (2000-2005); the model assumes 8% a year */
    run *r = load("P,y,2000,100,亿元,level,s,T,\nP,y,2001,110,亿元,level,s,T,\nP,y,2002,115,亿元,level,s,T,\n"
                  "P,y,2003,126.5,亿元,level,s,T,\nP,y,2004,130,亿元,level,s,T,\nP,y,2005,143,亿元,level,s,T,\n",
                  2006, 2008, "\"8%\"");
    backtest_result *res = backtest(r, (backtest_options){.origin_from = 2001, .origin_to = 2003,
                                                          .horizon_from = 1, .horizon_to = 2});
    /* origin, year, forecast, actual, no-change forecast, worked out by hand */
    static const struct {
        int origin, year;
        double forecast, actual, naive;
    } expected[] = {
        {2001, 2002, 118.8, 115, 121},
        {2001, 2003, 128.304, 126.5, 133.1},
        {2002, 2003, 124.2, 126.5, 115 * 115 / 110.0},
        {2002, 2004, 134.136, 130, 115 * (115 / 110.0) * (115 / 110.0)},
        {2003, 2004, 136.62, 130, 126.5 * 1.1},
        {2003, 2005, 147.5496, 143, 126.5 * 1.1 * 1.1},
    };
    /* backtest.csv as written */
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    backtest_write_rows(f, res);
    fclose(f);
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    cr_assert_str_eq(line, "scenario,variable,origin,year,horizon,forecast,actual,error,pct_error,actual_origin,"
                           "carried_back,naive,trend");
    double sum[3] = {0}, sum_abs[3] = {0}, sum_sq[3] = {0}, sum_naive_sq[3] = {0};
    size_t n[3] = {0}, k = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *fld[16];
        cr_assert_eq(split(line, fld, 16), 13);
        if (strcmp(fld[1], "y"))
            continue;
        cr_assert_lt(k, 6);
        int origin = atoi(fld[2]), year = atoi(fld[3]), h = atoi(fld[4]);
        double forecast = field_number(fld[5]), actual = field_number(fld[6]), error = field_number(fld[7]);
        double naive = field_number(fld[11]);
        cr_assert_eq(origin, expected[k].origin);
        cr_assert_eq(year, expected[k].year);
        cr_assert_eq(h, year - origin);
        cr_assert_lt(testutil_reldiff(forecast, expected[k].forecast), 1e-12, "%s", fld[5]);
        cr_assert_lt(testutil_reldiff(actual, expected[k].actual), 1e-15);
        cr_assert_lt(testutil_reldiff(naive, expected[k].naive), 1e-12, "%s", fld[11]);
        cr_assert_lt(fabs(error - (expected[k].forecast - expected[k].actual)), 1e-9);
        cr_assert_str_eq(fld[9], "observed");
        cr_assert_str_eq(fld[10], "0", "a constant assumption covers every year: nothing carried back");
        sum[h] += error;
        sum_abs[h] += fabs(error);
        sum_sq[h] += error * error;
        sum_naive_sq[h] += (naive - actual) * (naive - actual);
        n[h]++;
        k++;
    }
    cr_assert_eq(k, 6);
    free(text);
    /* backtest-summary.csv as written, against the scores recomputed from the rows */
    text = NULL;
    f = open_memstream(&text, &size);
    backtest_write_summary(f, res);
    fclose(f);
    line = strtok_r(text, "\n", &save);
    cr_assert_str_eq(line, "variable,unit,horizon,n,bias,mae,mape,rmse,theil_u,u_trend,hit_rate,coverage_50,"
                           "coverage_90");
    size_t seen = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *fld[16];
        cr_assert_eq(split(line, fld, 16), 13);
        if (strcmp(fld[0], "y"))
            continue;
        int h = atoi(fld[2]);
        cr_assert(h == 1 || h == 2);
        cr_assert_str_eq(fld[1], "亿元");
        cr_assert_eq((size_t)atoi(fld[3]), n[h]);
        cr_assert_eq(n[h], 3);
        cr_assert_lt(fabs(field_number(fld[4]) - sum[h] / 3), 1e-9, "bias h %d", h);
        cr_assert_lt(fabs(field_number(fld[5]) - sum_abs[h] / 3), 1e-9, "MAE h %d", h);
        cr_assert_lt(fabs(field_number(fld[7]) - sqrt(sum_sq[h] / 3)), 1e-9, "RMSE h %d", h);
        cr_assert_lt(fabs(field_number(fld[8]) - sqrt(sum_sq[h] / sum_naive_sq[h])), 1e-9, "U h %d", h);
        cr_assert_str_eq(fld[11], "");
        cr_assert_str_eq(fld[12], "");
        seen++;
    }
    cr_assert_eq(seen, 2);
    /* and by hand, one year ahead: errors 3.8, -2.3, 6.62 */
    const backtest_stat *st = backtest_find_stat(res, model_find(r->model, "y"), 1);
    cr_assert_lt(fabs(st->bias - (3.8 - 2.3 + 6.62) / 3), 1e-9);
    cr_assert_lt(fabs(st->mae - (3.8 + 2.3 + 6.62) / 3), 1e-9);
    cr_assert_lt(fabs(st->rmse - sqrt((3.8 * 3.8 + 2.3 * 2.3 + 6.62 * 6.62) / 3)), 1e-9);
    /* directions: 2002 up (118.8 > 110, 115 > 110), 2003 up / up, 2004 up / up */
    cr_assert_float_eq(st->hit_rate, 1.0, 1e-15);
    free(text);
    backtest_result_free(res);
    run_free(r);
}

Test(backtest, a_series_break_keeps_points_out)
{
    run *r = load("P,y,2000,100,亿元,level,s,T,\nP,y,2001,105,亿元,level,s,T,\n"
                  "P,y,2002,150,亿元,level,s,T,census revision\nP,y,2003,157,亿元,level,s,T,\n",
                  2004, 2006, "\"5%\"");
    backtest_result *res = backtest(r, (backtest_options){0});
    for (size_t i = 0; i < res->row_count; i++)
        cr_assert(res->rows[i].origin >= 2002 || res->rows[i].year < 2002, "origin %d year %d straddles the break",
                  res->rows[i].origin, res->rows[i].year);
    /* 2000 -> 2001; 2002 -> 2003; across the break: 2000 -> 2002, 2003; 2001 -> 2002, 2003 */
    cr_assert_eq(res->row_count, 2);
    cr_assert_eq(res->across_break, 4);
    for (size_t i = 0; i < res->row_count; i++)
        if (res->rows[i].origin == 2002) /* one level on the new basis: no growth to carry on */
            cr_assert(isnan(res->rows[i].naive), "the no-change forecast never reads across the break");
    backtest_result_free(res);
    run_free(r);
}

Test(backtest, growth_rows_give_derived_actuals_and_thin_data_gives_n_zero)
{
    run *r = load("P,y,2000,100,亿元,level,s,T,\nP,y,2001,0.1,ratio,growth,s,T,\n", 2005, 2006, "\"5%\"");
    backtest_result *res = backtest(r, (backtest_options){.horizon_from = 1, .horizon_to = 3});
    cr_assert_eq(res->row_count, 1);
    cr_assert_eq(res->rows[0].actual_origin, SIM_ORIGIN_DERIVED);
    cr_assert_lt(testutil_reldiff(res->rows[0].actual, 110), 1e-15);
    cr_assert_lt(testutil_reldiff(res->rows[0].forecast, 105), 1e-12);
    const backtest_stat *st = backtest_find_stat(res, model_find(r->model, "y"), 2);
    cr_assert_eq(st->n, 0);
    cr_assert(isnan(st->mae) && isnan(st->rmse) && isnan(st->bias), "nothing is invented for n = 0");
    backtest_result_free(res);
    run_free(r);
}

Test(backtest, bad_ranges_are_usage_errors)
{
    run *r = load("P,y,2000,100,亿元,level,s,T,\nP,y,2001,105,亿元,level,s,T,\n", 2005, 2006, "\"5%\"");
    diag d;
    diag_init(&d);
    backtest_result *res = NULL;
    backtest_options o = {.horizon_from = 3, .horizon_to = 2};
    cr_assert_eq(backtest_run(r, &o, &res, &d), DIAG_USAGE);
    cr_assert_null(res);
    diag_free(&d);
    diag_init(&d);
    o = (backtest_options){.origin_from = 2001, .origin_to = 2001, .last_origin = 2000};
    cr_assert_eq(backtest_run(r, &o, &res, &d), DIAG_USAGE);
    diag_free(&d);
    run_free(r);
}

Test(backtest, the_price_base_moves_to_the_origin_and_assumptions_are_carried_back)
{
    run *r = load("P,y,2007,105,亿元,level,s,T,\nP,y,2008,110,亿元,level,s,T,\n", 2010, 2012,
                  "{\"2009-2012\": \"2%\"}");
    history *view = history_view_until(r->history, 2007);
    cr_assert_not_null(view);
    sim_plan_options o = {.start = 2008, .end = 2010, .carry_back = 1, .initial_at = 2007, .partial = 1};
    diag d;
    diag_init(&d);
    sim_plan *plan = sim_plan_build_with(r->model, r->scenario, view, &o, &d);
    cr_assert_not_null(plan, "%s", d.message);
    double *values = NULL;
    cr_assert_eq(sim_run_path(plan, &values, &d), DIAG_OK, "%s", d.message);
    int p = model_find(r->model, "p"), y = model_find(r->model, "y"), g = model_find(r->model, "g");
    size_t t2007 = (size_t)sim_plan_year_index(plan, 2007), t2008 = (size_t)sim_plan_year_index(plan, 2008);
    /* the scenario's initial p is 1 in 2009; at origin 2007 it is 1 in 2007 */
    cr_assert_float_eq(values[(size_t)p * plan->years + t2007], 1.0, 1e-15);
    cr_assert_eq(plan->origin[(size_t)p * plan->years + t2007], SIM_ORIGIN_INITIAL);
    /* 2008 is before the start and the assumption starts in 2009: its 2010 value carried back */
    cr_assert_float_eq(values[(size_t)g * plan->years + t2008], 0.02, 1e-15);
    cr_assert_lt(testutil_reldiff(values[(size_t)y * plan->years + t2008 + 2], 105 * pow(1.02, 3)), 1e-13);
    mem_free(values);
    sim_plan_free(plan);
    /* without carry_back the same run is an error that names the uncovered assumption */
    o.carry_back = 0;
    o.partial = 0;
    cr_assert_null(sim_plan_build_with(r->model, r->scenario, view, &o, &d));
    cr_assert(strstr(d.message, "does not cover that year"), "%s", d.message);
    diag_free(&d);
    history_free(view);
    run_free(r);
}

/* The smallest k with P(X <= k) > 0.005 and the largest with P(X >= k) > 0.005, X ~ B(n, p):
 * a count outside [lo, hi] happens with probability below 1%. */
static void binomial_limits(double p, unsigned n, unsigned *lo, unsigned *hi)
{
    *lo = 0;
    while (gsl_cdf_binomial_P(*lo, p, n) <= 0.005)
        (*lo)++;
    *hi = n;
    while (*hi > 0 && gsl_cdf_binomial_Q(*hi - 1, p, n) <= 0.005)
        (*hi)--;
}

Test(backtest, bands_of_the_true_process_cover_at_their_nominal_rate)
{
    /* y grows by g ~ N(5%, 2%) each year, independently; the scenario assumes 5% with a normal
     * shock of sd 2%: its one-year-ahead band is the true distribution, so the actuals' PIT is
     * uniform and the 50% and 90% bands cover at their nominal rates, within 99% binomial
     * limits, for every data seed. */
    for (unsigned long seed = 1; seed <= 2; seed++) {
        run *r = load_with(random_growth_rows(seed, 2050, NULL, NULL), 2051, 2052, "\"5%\"",
                           ", \"uncertainty\": {\"paths\": 4000, \"seed\": 11,"
                           " \"shocks\": {\"g\": {\"dist\": \"normal\", \"mean\": 0, \"sd\": 0.02}}}");
        ensemble_spec *spec = load_spec(r);
        backtest_result *res = backtest(r, one_year_with_bands(spec, 2));
        const backtest_stat *st = backtest_find_stat(res, model_find(r->model, "y"), 1);
        cr_assert_eq(st->n, 149);
        unsigned lo, hi;
        binomial_limits(0.5, 149, &lo, &hi);
        double in50 = st->coverage_50 * 149;
        cr_log_info("seed %lu: 50%%: %g, 90%%: %g of 149", seed, in50, st->coverage_90 * 149);
        cr_assert(in50 >= lo && in50 <= hi, "seed %lu: %g of 149 in the 50%% band, limits %u-%u", seed, in50, lo, hi);
        binomial_limits(0.9, 149, &lo, &hi);
        double in90 = st->coverage_90 * 149;
        cr_assert(in90 >= lo && in90 <= hi, "seed %lu: %g of 149 in the 90%% band, limits %u-%u", seed, in90, lo, hi);
        /* the same bands, byte for byte, on one thread */
        backtest_result *one = backtest(r, one_year_with_bands(spec, 1));
        cr_assert_eq(one->row_count, res->row_count);
        for (size_t i = 0; i < res->row_count; i++)
            cr_assert(one->rows[i].p05 == res->rows[i].p05 && one->rows[i].p95 == res->rows[i].p95 &&
                          one->rows[i].pit == res->rows[i].pit,
                      "origin %d differs with the thread count", res->rows[i].origin);
        backtest_result_free(one);
        /* the band is the closed form: y_T x (1.05 +- 1.645 x 2%), to Monte Carlo error */
        for (size_t i = 0; i < res->row_count; i++) {
            const backtest_row *row = &res->rows[i];
            double at = row->forecast / 1.05;
            cr_assert_lt(fabs(row->p95 - at * (1.05 + 1.6449 * 0.02)) / at, 0.002, "origin %d", row->origin);
            cr_assert_lt(fabs(row->p05 - at * (1.05 - 1.6449 * 0.02)) / at, 0.002, "origin %d", row->origin);
            cr_assert(row->pit >= 0 && row->pit <= 1);
        }
        backtest_result_free(res);
        ensemble_spec_free(spec);
        run_free(r);
    }
}

Test(backtest, a_band_too_narrow_covers_too_little)
{
    /* the same process, bands a fifth as wide as they should be: the test of coverage fails
     * them (so the test above can fail) */
    run *r = load_with(random_growth_rows(3, 2000, NULL, NULL), 2001, 2002, "\"5%\"",
                       ", \"uncertainty\": {\"paths\": 2000, \"seed\": 11,"
                       " \"shocks\": {\"g\": {\"dist\": \"normal\", \"mean\": 0, \"sd\": 0.004}}}");
    ensemble_spec *spec = load_spec(r);
    backtest_result *res = backtest(r, one_year_with_bands(spec, 1));
    const backtest_stat *st = backtest_find_stat(res, model_find(r->model, "y"), 1);
    unsigned lo, hi;
    binomial_limits(0.9, (unsigned)st->n, &lo, &hi);
    cr_assert_lt(st->coverage_90 * (double)st->n, lo, "a band a fifth too narrow covered %g", st->coverage_90);
    backtest_result_free(res);
    ensemble_spec_free(spec);
    run_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* calibrate: "history" (calibrate.h)                                                        */

static ensemble_spec *calibrated(const run *r, const char *const *peers, size_t peer_count, int expect, diag *d)
{
    ensemble_spec *spec = load_spec_with(r, d);
    cr_assert_eq(calibrate_history(spec, r, peers, peer_count, d), expect, "%s", d->message);
    return spec;
}

Test(calibrate, history_gives_the_sample_sd_and_pools_peers_about_their_own_means)
{
    const char *rows = "P,y,2000,100,亿元,level,s,T,\n"
                       "P,g,2001,0.05,ratio,growth,s,T,\nP,g,2002,0.07,ratio,growth,s,T,\n"
                       "P,g,2003,0.03,ratio,growth,s,T,\nP,g,2004,0.06,ratio,growth,s,T,\n"
                       "Q,g,2001,0.02,ratio,growth,s,T,\nQ,g,2002,0.04,ratio,growth,s,T,\n"
                       "R,g,2003,0.5,ratio,growth,s,T,\n";
    run *r = load_with(rows, 2005, 2006, "\"5%\"",
                       ", \"uncertainty\": {\"calibrate\": \"history\", \"paths\": 10, \"shocks\": {\"g\": {\"dist\": "
                       "\"normal\"}, \"pg\": {\"dist\": \"normal\", \"sd\": 0.01}}}");
    diag d;
    diag_init(&d);
    ensemble_spec *spec = calibrated(r, NULL, 0, DIAG_OK, &d);
    /* P: mean 0.0525, squares 0.00000625 + 0.00030625 + 0.00050625 + 0.00005625 = 0.000875 */
    cr_assert_lt(fabs(spec->shocks[0].dist.sd - sqrt(0.000875 / 3)), 1e-15, "%.17g", spec->shocks[0].dist.sd);
    cr_assert_eq(spec->shocks[0].calibration_values, 4);
    cr_assert_eq(spec->shocks[0].calibration_dof, 3);
    cr_assert_float_eq(spec->shocks[1].dist.sd, 0.01, 0, "an explicit sd wins");
    cr_assert_eq(spec->shocks[1].calibrated, 0);
    ensemble_spec_free(spec);
    /* pooled with Q (0.02, 0.04: squares 0.0002 about 0.03) and R (one value: nothing) */
    run_free(r);
    r = load_with(rows, 2005, 2006, "\"5%\"",
                  ", \"uncertainty\": {\"calibrate\": \"history-peers\", \"paths\": 10, \"shocks\": {\"g\": {\"dist\": "
                  "\"normal\"}}}");
    const char *peers[] = {"Q", "R"};
    spec = calibrated(r, peers, 2, DIAG_OK, &d);
    cr_assert_lt(fabs(spec->shocks[0].dist.sd - sqrt((0.000875 + 0.0002) / (6 - 2))), 1e-15);
    cr_assert_eq(spec->shocks[0].calibration_places, 2);
    ensemble_spec_free(spec);
    diag_free(&d);
    run_free(r);
}

Test(calibrate, too_few_observations_is_an_error_that_says_how_many)
{
    run *r = load_with("P,y,2000,100,亿元,level,s,T,\nP,g,2001,0.05,ratio,growth,s,T,\nP,g,2002,0.07,ratio,growth,s,T,\n",
                       2005, 2006, "\"5%\"",
                       ", \"uncertainty\": {\"calibrate\": \"history\", \"shocks\": {\"g\": {\"dist\": \"normal\"}}}");
    diag d;
    diag_init(&d);
    ensemble_spec *spec = calibrated(r, NULL, 0, DIAG_DATA, &d);
    cr_assert(strstr(d.message, "the observations give 1 (P 2001, P 2002); give \"sd\" or add observations"), "%s",
              d.message);
    cr_assert(strstr(d.message, "$.uncertainty.shocks.g"), "%s", d.message);
    ensemble_spec_free(spec);
    diag_free(&d);
    run_free(r);
}

Test(calibrate, backtest_finds_the_true_shock_size_of_a_known_process)
{
    /* growth ~ N(5%, 2%): the sd whose back-test 90% bands cover 90% of 485 points (99 origins,
     * 1-5 years ahead) is the variability the data show: the sample sd of the growth drawn (1.76%
     * for this seed), to the sampling error of a 90% quantile (about 8% for the one-year points;
     * the bracket below is two and a half times that) */
    double sum, squares;
    const char *rows = random_growth_rows(1, 2000, &sum, &squares);
    run *r = load_with(rows, 2001, 2002, "\"5%\"",
                       ", \"uncertainty\": {\"calibrate\": \"backtest\", \"paths\": 300, \"seed\": 5,"
                       " \"shocks\": {\"g\": {\"dist\": \"normal\"}}}");
    diag d;
    diag_init(&d);
    ensemble_spec *spec = load_spec_with(r, &d);
    cr_assert_eq(spec->shocks[0].calibrated, 1);
    cr_assert_eq(calibrate_backtest(spec, r, 2, &d), DIAG_OK, "%s", d.message);
    cr_log_info("backtest calibration: sd %g over %zu points, coverage %g", spec->calibration_scale,
                spec->calibration_points, spec->calibration_coverage);
    cr_assert_eq(spec->calibration_points, 99 + 98 + 97 + 96 + 95);
    double realised = sqrt((squares - sum * sum / 99) / 98);
    cr_assert_lt(fabs(spec->calibration_scale / realised - 1), 0.2, "sd %g, the data's %g", spec->calibration_scale,
                 realised);
    cr_assert(spec->calibration_scale > 0.014 && spec->calibration_scale < 0.026, "sd %g against the true 2%%",
              spec->calibration_scale);
    cr_assert_float_eq(spec->shocks[0].dist.sd, spec->calibration_scale, 0);
    cr_assert_geq(spec->calibration_coverage, 0.9);
    ensemble_spec_free(spec);
    diag_free(&d);
    run_free(r);
}

Test(calibrate, backtest_with_too_few_points_is_an_error_that_suggests_history)
{
    run *r = load_with("P,y,2000,100,亿元,level,s,T,\nP,y,2001,104,亿元,level,s,T,\nP,y,2002,110,亿元,level,s,T,\n",
                       2005, 2006, "\"5%\"",
                       ", \"uncertainty\": {\"calibrate\": \"backtest\", \"paths\": 100,"
                       " \"shocks\": {\"g\": {\"dist\": \"normal\"}}}");
    diag d;
    diag_init(&d);
    ensemble_spec *spec = load_spec_with(r, &d);
    cr_assert_eq(calibrate_backtest(spec, r, 1, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "$.uncertainty.calibrate: error: calibrate \"backtest\" needs at least 8 back-test "
                                "points with a band, the data give 3"),
              "%s", d.message);
    cr_assert(strstr(d.message, "use \"history\""), "%s", d.message);
    ensemble_spec_free(spec);
    diag_free(&d);
    run_free(r);
}

Test(backtest, an_origin_whose_run_fails_is_a_warning_and_the_others_go_on)
{
    /* p is 0 at every origin (the initial value moved there), so yr = y / p is not finite and
     * no origin's run can be made: each is a warning saying why; the back-test itself succeeds
     * with nothing compared, never a crash or an invented point */
    const char *path = write_inputs(
        "backtest-fail", "place,indicator,year,value,unit,kind,source,reliability\n",
        "P,y,2000,100,亿元,level,s,T\nP,y,2001,105,亿元,level,s,T\nP,y,2002,110,亿元,level,s,T\n",
        "{\"name\": \"bt\", \"model\": \"m.json\", \"history\": {\"file\": \"obs.csv\", \"place\": \"P\"},"
        " \"start\": 2004, \"end\": 2005, \"initial\": {\"p\": {\"2003\": 0}}, \"assumptions\": {\"g\": \"5%\"}}");
    diag d;
    diag_init(&d);
    run *r = NULL;
    run_load_options o = {.as_of = RUN_AS_OF_ALL};
    cr_assert_eq(run_load_checked_with(path, &o, &r, &d), DIAG_OK, "%s", d.message);
    backtest_result *res = NULL;
    backtest_options bo = {0};
    cr_assert_eq(backtest_run(r, &bo, &res, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(d.status, DIAG_OK);
    cr_assert_eq(res->row_count, 0);
    cr_assert_eq(res->origins_run, 0);
    for (size_t i = 0; i < d.warning_count; i++)
        cr_log_info("warning: %s", d.warnings[i]);
    cr_assert_eq(d.warning_count, 2, "origins 2000 and 2001");
    cr_assert(strstr(d.warnings[0], "back-test origin 2000 left out") && strstr(d.warnings[0], "not a finite number"),
              "%s", d.warnings[0]);
    backtest_result_free(res);
    diag_free(&d);
    run_free(r);
}
