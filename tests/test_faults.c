/* test_faults.c: fault injection on the whole of `econsim run` (goals, goal seek, peers and
 * an ensemble included). Every allocation on the load, analysis and write paths is made to
 * fail in turn; each failure must come back as a clean DIAG_SOFTWARE "out of memory" report
 * (no crash, no leak: the sanitizer build checks that), and the run succeeds once
 * allocations stop failing. Then every write of the run (output_fail_after) meets a full
 * disk in turn: the output folder must hold the earlier run byte for byte, or, once nothing
 * fails, exactly the new one. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"
#include "load.h"
#include "mem.h"
#include "output.h"
#include "pawnrank.h"
#include "pipeline.h"
#include "summary.h"
#include "testutil.h"

/* The whole pipeline of `econsim run` for one scenario, writing into dir: load, simulate,
 * goals and goal seek, peers, a small ensemble, every file (charts have their own loop in
 * test_charts.c: drawing thousands of times would take minutes). The fault loops below run
 * its two halves, pipeline_analyse and pipeline_write, the same way. */
static int run_pipeline(const char *scenario_path, const char *dir, diag *d)
{
    pipeline_result res;
    memset(&res, 0, sizeof res);
    pipeline_options opt = {.charts = {.disabled = 1}, .paths = 300, .threads = 1, .quiet = 1};
    int status = pipeline_analyse(&res, scenario_path, &opt, d);
    if (status == DIAG_OK)
        status = pipeline_write(&res, dir, d);
    pipeline_free(&res);
    return status;
}

/* Checks a failure report of allocation n. */
static void check_out_of_memory(long n, int status, const diag *d)
{
    cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: status %d: %s", n, status, d->message);
    cr_assert(strstr(d->message, "out of memory"), "allocation %ld: %s", n, d->message);
}

Test(faults, every_allocation_failure_on_load_and_run_is_reported)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    char root[] = "/tmp/econsim-faults-XXXXXX";
    cr_assert_not_null(mkdtemp(root));
    char dir[64];
    snprintf(dir, sizeof dir, "%s/run", root);
    static const char scenario_path[] = "scenarios/linzhou-2023-risk.json";
    pipeline_options opt = {.charts = {.disabled = 1}, .paths = 300, .threads = 1, .quiet = 1};
    /* the analysis: each of its allocations fails in turn, then it succeeds */
    long failures_seen = 0;
    pipeline_result res;
    int analysed = 0;
    for (long n = 0; n < 200000 && !analysed; n++) {
        diag d;
        diag_init(&d);
        memset(&res, 0, sizeof res);
        mem_fail_after(n);
        int status = pipeline_analyse(&res, scenario_path, &opt, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            analysed = 1; /* res is kept for the writes below */
        } else {
            check_out_of_memory(n, status, &d);
            failures_seen++;
            pipeline_free(&res);
        }
        diag_free(&d);
    }
    cr_assert(analysed, "the analysis never succeeded");
    /* the writing of that result: each allocation from the batch to the commit fails in turn
     * (the analysis is not run again for each: same sites, a fraction of the time) */
    int written = 0;
    for (long n = 0; n < 100000 && !written; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        int status = pipeline_write(&res, dir, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            written = 1;
        } else {
            check_out_of_memory(n, status, &d);
            failures_seen++;
            cr_assert_eq(access(dir, F_OK), -1, "allocation %ld: a folder appeared after a failed write", n);
        }
        diag_free(&d);
    }
    pipeline_free(&res);
    cr_assert(written, "the writing never succeeded");
    cr_log_info("%ld allocation failures injected and reported", failures_seen);
    cr_assert_gt(failures_seen, 100, "only %ld allocation sites were exercised", failures_seen);
    /* the successful run wrote complete files, and nothing is left beside its folder */
    char path[256];
    snprintf(path, sizeof path, "%s/projection.csv", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char header[64];
    cr_assert_not_null(fgets(header, sizeof header, f));
    cr_assert_str_eq(header, "scenario,variable,year,value,origin\n");
    fclose(f);
    char *listing = testutil_tree_listing(root);
    static const char *const files[] = {"projection.csv", "summary.json", "goals.csv", "peers.csv", "ensemble.csv",
                                        OUTPUT_MARKER};
    size_t lines = 0;
    for (const char *p = listing; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 1 + sizeof files / sizeof files[0], "run/ and its files, nothing else: %s", listing);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "\nrun/%s ", files[i]);
        cr_assert(strstr(listing, line), "%s was not written: %s", files[i], listing);
    }
    free(listing);
    testutil_remove_tree(root);
}

/* The analyses of an ensemble's paths (pathsample.h, discover.h, pawnrank.h) and their
 * summary.json parts: each allocation fails in turn and comes back as a clean report (or, for
 * a summary part, NULL or a counted failure), then they succeed. The load and the rest of the
 * run are the test above's; here they run once, without faults. */
Test(faults, every_allocation_failure_of_discovery_and_pawn_is_reported)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    load_result in;
    diag d;
    diag_init(&d);
    cr_assert_eq(load_scenario("tests/data/discover/risk.json", NULL, &in, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(run_simulate(in.run, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    long failures_seen = 0;
    int done = 0;
    for (long n = 0; n < 100000 && !done; n++) {
        diag_init(&d);
        pathsample *sample = NULL;
        discover_result *boxes = NULL;
        pawnrank_result *ranks = NULL;
        summary_part *a = NULL, *b = NULL;
        unsigned long before = mem_failure_count();
        mem_fail_after(n);
        int status = pathsample_collect(in.ensemble, in.run, in.goals, 1, NULL, &sample, &d);
        if (status == DIAG_OK)
            status = discover_ensemble(in.ensemble_discover, in.ensemble, sample, in.run, in.goals, &boxes, &d);
        if (status == DIAG_OK)
            status = pawnrank_run(in.ensemble, sample, in.goals, 1, &ranks, &d);
        if (status == DIAG_OK) {
            a = summary_discover(boxes);
            b = summary_pawnrank(ranks, in.goals);
        }
        mem_fail_reset();
        if (status == DIAG_OK && a && b && mem_failure_count() == before) {
            done = 1;
            cr_assert_gt(boxes->prim.box_count, 0);
            cr_assert_eq(ranks->goal_count, 8); /* construction-firms and urban population: no shock reaches them */
        } else {
            if (status != DIAG_OK)
                check_out_of_memory(n, status, &d);
            failures_seen++;
        }
        summary_part_free(a);
        summary_part_free(b);
        pawnrank_free(ranks);
        discover_result_free(boxes);
        pathsample_free(sample);
        diag_free(&d);
    }
    cr_assert(done, "the analyses never succeeded");
    cr_log_info("%ld allocation failures injected and reported", failures_seen);
    cr_assert_gt(failures_seen, 50, "only %ld allocation sites were exercised", failures_seen);
    load_release(&in);
}

/* A full disk at each write of a run in turn (its staging folder, each file, each close, each
 * sync, the marker, the swap): the folder holds the earlier run of another scenario, byte for
 * byte, and nothing is left beside it; once no write fails, exactly the new run. With report,
 * the run also writes report.html and workbook.xlsx (the workbook's own writes are
 * libxlsxwriter's; its reservation and its sync at the commit meet the full disk). */
static void full_disk(int report)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    char root[] = "/tmp/econsim-full-disk-XXXXXX";
    cr_assert_not_null(mkdtemp(root));
    char dir[64], reference[64];
    snprintf(dir, sizeof dir, "%s/run", root);
    snprintf(reference, sizeof reference, "%s/reference", root);
    diag d;
    diag_init(&d);
    cr_assert_eq(run_pipeline("scenarios/linzhou-2023-target.json", dir, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    char *old_run = testutil_tree_listing(dir);

    pipeline_result res;
    memset(&res, 0, sizeof res);
    pipeline_options opt = {.charts = {.disabled = 1}, .paths = 300, .threads = 1, .quiet = 1, .report = report};
    diag_init(&d);
    cr_assert_eq(pipeline_analyse(&res, "scenarios/linzhou-2023-risk.json", &opt, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(pipeline_write(&res, reference, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    char *new_run = testutil_tree_listing(reference);
    cr_assert_str_neq(old_run, new_run);

    long faults = 0;
    int committed = 0;
    for (long n = 0; n < 1000 && !committed; n++) {
        diag_init(&d);
        output_fail_after(n);
        int status = pipeline_write(&res, dir, &d);
        output_fail_reset();
        char *now = testutil_tree_listing(dir);
        if (status == DIAG_OK) {
            committed = 1;
            cr_assert_str_eq(now, new_run, "write %ld: the folder is not the new run", n);
        } else {
            faults++;
            cr_assert_eq(status, DIAG_IO, "write %ld: %s", n, d.message);
            cr_assert(strstr(d.message, "No space left on device"), "write %ld: %s", n, d.message);
            cr_assert_str_eq(now, old_run, "write %ld: the folder is not the old run", n);
        }
        free(now);
        char *beside = testutil_tree_listing(root);
        cr_assert(!strstr(beside, ".econsim-stage.") && !strstr(beside, ".econsim-lock") &&
                      !strstr(beside, ".econsim-old."),
                  "write %ld: something was left beside the folder", n);
        free(beside);
        diag_free(&d);
    }
    cr_assert(committed);
    cr_log_info("%ld writes met a full disk", faults);
    cr_assert_geq(faults, report ? 20 : 12, "only %ld writes were faulted", faults);
    if (report)
        cr_assert(strstr(new_run, "workbook.xlsx") && strstr(new_run, "report.html"), "%s", new_run);
    pipeline_free(&res);
    free(old_run);
    free(new_run);
    testutil_remove_tree(root);
}

Test(faults, a_full_disk_at_any_write_leaves_the_old_run_or_the_new_one)
{
    full_disk(0);
}

Test(faults, a_full_disk_while_writing_the_report_and_workbook_leaves_the_old_run_or_the_new_one)
{
    full_disk(1);
}
