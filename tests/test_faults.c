/* test_faults.c: fault injection. Every allocation on the load, analysis and write paths of
 * `econsim run` (goals, goal seek, peers and an ensemble included) is made to fail in turn; each failure must come back as a clean DIAG_SOFTWARE "out of memory" report (no
 * crash, no leak: the sanitizer build checks that), and the run succeeds once allocations
 * stop failing. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "pipeline.h"

/* The whole pipeline of `econsim run` for one scenario, writing into dir: load, simulate,
 * goals and goal seek, peers, a small ensemble, every file (charts have their own loop in
 * test_charts.c: drawing thousands of times would take minutes). */
static int run_pipeline(const char *scenario_path, const char *dir, diag *d)
{
    pipeline_result res;
    memset(&res, 0, sizeof res);
    pipeline_options opt = {.no_charts = 1, .paths = 300, .threads = 1, .quiet = 1};
    int status = pipeline_analyse(&res, scenario_path, &opt, d);
    if (status == DIAG_OK)
        status = pipeline_write(&res, dir, d);
    pipeline_free(&res);
    return status;
}

Test(faults, every_allocation_failure_on_load_and_run_is_reported)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    char dir[] = "/tmp/econsim-faults-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    long failures_seen = 0;
    int succeeded = 0;
    for (long n = 0; n < 200000 && !succeeded; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        int status = run_pipeline("scenarios/linzhou-2023-risk.json", dir, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            succeeded = 1;
        } else {
            cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: status %d: %s", n, status, d.message);
            cr_assert(strstr(d.message, "out of memory"), "allocation %ld: %s", n, d.message);
            failures_seen++;
        }
        diag_free(&d);
    }
    cr_assert(succeeded, "the run never succeeded");
    cr_log_info("%ld allocation failures injected and reported", failures_seen);
    cr_assert_gt(failures_seen, 100, "only %ld allocation sites were exercised", failures_seen);
    /* the successful run wrote complete files and no temporary ones */
    char path[256];
    snprintf(path, sizeof path, "%s/projection.csv", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char header[64];
    cr_assert_not_null(fgets(header, sizeof header, f));
    cr_assert_str_eq(header, "scenario,variable,year,value,origin\n");
    fclose(f);
    unlink(path);
    static const char *const others[] = {"summary.json", "goals.csv", "peers.csv", "ensemble.csv"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, others[i]);
        cr_assert_eq(unlink(path), 0, "%s was not written", others[i]);
    }
    cr_assert_eq(rmdir(dir), 0, "temporary files were left in %s", dir);
}
