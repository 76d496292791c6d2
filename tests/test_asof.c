/* test_asof.c: a run as of a year (--as-of, the scenario's "as_of") is the projection made
 * with the data of that year: after rows of later years are appended to the observations
 * file, the same run writes the same files, byte for byte. Without the as-of year the later
 * rows do change the results (so the comparison can fail). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"
#include "testutil.h"

/* Copies the shipped observations to dir/obs.csv and writes dir/s.json, a child of the
 * shipped baseline that reads them. */
static void write_inputs(const char *dir)
{
    char cwd[PATH_MAX];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    size_t length;
    char *data = testutil_read_file("data/observations.csv", &length);
    FILE *f = fopen(testutil_join(dir, "obs.csv"), "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, length, f), length);
    fclose(f);
    free(data);
    f = fopen(testutil_join(dir, "s.json"), "w");
    cr_assert_not_null(f);
    fprintf(f,
            "{\"name\": \"as-of-test\", \"extends\": \"%s/scenarios/linzhou-baseline.json\", \"as_of\": 2200,\n"
            " \"history\": {\"file\": \"obs.csv\", \"place\": \"林州市\"}}\n",
            cwd);
    fclose(f);
}

/* Appends figures for 2025 and 2026 (made up for the test: they only need to be later than
 * the shipped data). */
static void append_later_rows(const char *dir)
{
    FILE *f = fopen(testutil_join(dir, "obs.csv"), "a");
    cr_assert_not_null(f);
    fputs("林州市,gdp,2025,800,亿元,level,test row,T,,\n"
          "林州市,gdp_real_growth,2025,0.05,ratio,growth,test row,T,,\n"
          "林州市,fiscal_revenue,2025,52,亿元,level,test row,T,,\n"
          "林州市,gdp,2026,840,亿元,level,test row,T,,\n"
          "长垣市,fiscal_revenue,2025,60,亿元,level,test row,T,,\n",
          f);
    fclose(f);
}

/* Runs the scenario in dir (as of as_of; 0: the file's own) into dir/name; returns the
 * listing of what it wrote. */
static char *run_into(const char *dir, const char *name, int as_of)
{
    diag d;
    diag_init(&d);
    pipeline_result res;
    memset(&res, 0, sizeof res);
    pipeline_options opt = {.charts = {.disabled = 1}, .threads = 1, .quiet = 1, .as_of = as_of};
    char out[512];
    snprintf(out, sizeof out, "%s", testutil_join(dir, name));
    int status = pipeline_analyse(&res, testutil_join(dir, "s.json"), &opt, &d);
    if (status == DIAG_OK)
        status = pipeline_write(&res, out, &d);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    pipeline_free(&res);
    diag_free(&d);
    return testutil_tree_listing(out);
}

Test(asof, later_rows_leave_an_as_of_run_byte_for_byte_unchanged)
{
    const char *dir = testutil_make_dir("asof");
    char saved[256];
    snprintf(saved, sizeof saved, "%s", dir);
    write_inputs(saved);
    char *before = run_into(saved, "before", 2022);
    char *all_before = run_into(saved, "all-before", 0);
    append_later_rows(saved);
    char *after = run_into(saved, "before", 2022);
    char *all_after = run_into(saved, "all-before", 0);
    cr_assert_str_eq(after, before, "as of 2022, the later rows must change nothing");
    cr_assert_str_neq(all_after, all_before, "without --as-of the later rows are used (the test can fail)");
    free(before);
    free(after);
    free(all_before);
    free(all_after);
    testutil_remove_tree(saved);
}
