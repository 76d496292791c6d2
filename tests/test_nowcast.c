/* test_nowcast.c: nowcast consistency (sim.h, sim_plan_build). When nominal GDP and real
 * growth are both observed for a year, the deflator's growth is derived from them, so the
 * real growth that goals read equals the observed one; the assumptions the data replace are
 * listed once; values before start computed from assumptions are estimates. */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"
#include "report.h"
#include "testutil.h"

/* The shipped observations plus `extra` rows, and a child of the shipped baseline reading
 * them, in a fresh folder; returns the scenario's path (static storage). */
static const char *inputs(const char *extra)
{
    static char path[512];
    char cwd[PATH_MAX];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    const char *dir = testutil_make_dir("nowcast");
    size_t length;
    char *data = testutil_read_file("data/observations.csv", &length);
    FILE *f = fopen(testutil_join(dir, "obs.csv"), "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, length, f), length);
    fputs(extra, f);
    fclose(f);
    free(data);
    snprintf(path, sizeof path, "%s", testutil_join(dir, "s.json"));
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"nowcast-test\", \"extends\": \"%s/scenarios/linzhou-baseline.json\", \"as_of\": 2023,\n"
            " \"history\": {\"file\": \"obs.csv\", \"place\": \"林州市\"}}\n",
            cwd);
    fclose(f);
    return path;
}

static void analyse(pipeline_result *res, const char *path)
{
    diag d;
    diag_init(&d);
    memset(res, 0, sizeof *res);
    pipeline_options opt = {.charts = {.disabled = 1}, .threads = 1, .quiet = 1};
    int status = pipeline_analyse(res, path, &opt, &d);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    diag_free(&d);
}

static sim_origin origin_of(const run *r, const char *name, int year)
{
    int slot = model_find(r->model, name);
    int t = sim_plan_year_index(r->plan, year);
    cr_assert(slot >= 0 && t >= 0);
    return (sim_origin)r->plan->origin[(size_t)slot * r->plan->years + (size_t)t];
}

Test(nowcast, observed_gdp_and_real_growth_give_the_deflator_and_the_goal_reads_the_observed_growth)
{
    /* test figures for 2023 (a later year than the shipped data; not real statistics) */
    pipeline_result res;
    analyse(&res, inputs("林州市,gdp,2023,700,亿元,level,test row,T,,\n"
                         "林州市,gdp_real_growth,2023,0.05,ratio,growth,test row,T,,\n"));
    const run *r = res.run;
    double deflator_growth = run_value(r, "gdp_deflator_growth", 2023);
    double expected = 700 / (657.4 * 1.05) - 1; /* 1.411...% */
    cr_assert_lt(fabs(deflator_growth - expected), 1e-13, "derived %.17g, by hand %.17g", deflator_growth, expected);
    cr_assert_eq(origin_of(r, "gdp_deflator_growth", 2023), SIM_ORIGIN_DERIVED);
    /* real GDP grows at exactly the observed 5% */
    double real_growth = run_value(r, "gdp_real", 2023) / run_value(r, "gdp_real", 2022) - 1;
    cr_assert_lt(fabs(real_growth - 0.05), 1e-13, "%.17g", real_growth);
    /* and the goal on real GDP growth reads it */
    size_t i = 0;
    while (i < res.goals->count && strcmp(res.goals->goals[i].id, "gdp-growth-2023"))
        i++;
    cr_assert_lt(i, res.goals->count);
    cr_assert_lt(fabs(res.goals->results[i].value - 0.05), 1e-12, "goal reads %.17g", res.goals->results[i].value);
    /* both replaced assumptions are listed, once each, in slot order */
    const sim_plan *plan = r->plan;
    cr_assert_eq(plan->override_count, 2);
    cr_assert_eq(plan->overrides[0].year, 2023);
    cr_assert_str_eq(r->model->slots[plan->overrides[0].slot].name, "gdp_real_growth");
    cr_assert_float_eq(plan->overrides[0].assumed, 0.055, 1e-15);
    cr_assert_float_eq(plan->overrides[0].data, 0.05, 1e-15);
    cr_assert_eq(plan->overrides[0].solved_from, -1);
    cr_assert_str_eq(r->model->slots[plan->overrides[1].slot].name, "gdp_deflator_growth");
    cr_assert_float_eq(plan->overrides[1].assumed, 0.015, 1e-15);
    cr_assert_str_eq(r->model->slots[plan->overrides[1].solved_from].name, "gdp");
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    report_overrides(f, r);
    fclose(f);
    cr_assert(strstr(text, "2023: the scenario assumed gdp_deflator_growth 1.50%, the data says 1.41% (derived from "
                           "the observed gdp)"),
              "%s", text);
    cr_assert(strstr(text, "2023: the scenario assumed gdp_real_growth 5.50%, the data says 5.00%"), "%s", text);
    free(text);
    pipeline_free(&res);
}

Test(nowcast, the_shipped_history_derives_2018_prices_and_marks_estimates)
{
    pipeline_result res;
    analyse(&res, inputs(""));
    const run *r = res.run;
    /* 2017 and 2018 GDP and 2018 real growth are observed: 590.9 / (550 x 1.063) - 1 */
    cr_assert_lt(fabs(run_value(r, "gdp_deflator_growth", 2018) - (590.9 / (550 * 1.063) - 1)), 1e-13);
    cr_assert_eq(origin_of(r, "gdp_deflator_growth", 2018), SIM_ORIGIN_DERIVED);
    /* before start, only an assumption: the tax rate from 30 on 1500 (2020) is derived too */
    cr_assert_lt(fabs(run_value(r, "construction_tax_rate", 2020) - 0.02), 1e-15);
    /* construction output 2021-2022 is computed from the assumed growth: an estimate */
    cr_assert_eq(origin_of(r, "construction_output", 2021), SIM_ORIGIN_ESTIMATED);
    cr_assert_eq(origin_of(r, "construction_output", 2022), SIM_ORIGIN_ESTIMATED);
    cr_assert_eq(origin_of(r, "construction_output", 2023), SIM_ORIGIN_MODEL);
    /* 2019 GDP starts the census basis: no growth is computed from 2018 to it */
    cr_assert(isnan(run_value(r, "gdp_nominal_growth", 2019)), "read across the 2019 series break");
    cr_assert(isfinite(run_value(r, "gdp", 2019)));
    /* no projection year is observed (as of 2023, nothing of 2023 in the shipped data): nothing
     * overridden */
    cr_assert_eq(r->plan->override_count, 0);
    pipeline_free(&res);
}
