/* test_faults.c: fault injection. Every allocation on the load and run paths is made to fail
 * in turn; each failure must come back as a clean DIAG_SOFTWARE "out of memory" report (no
 * crash, no leak: the sanitizer build checks that), and the run succeeds once allocations
 * stop failing. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "output.h"
#include "report.h"
#include "run.h"

/* The whole pipeline of `econsim run` for one scenario, writing into dir. */
static int run_pipeline(const char *scenario_path, const char *dir, diag *d)
{
    run *r = run_load(scenario_path, d);
    if (!r)
        return d->status;
    int status = run_simulate(r, d);
    output_batch *batch = NULL;
    cJSON *summary = NULL;
    char *text = NULL;
    if (status != DIAG_OK)
        goto out;
    batch = output_batch_new(dir, d);
    FILE *f = batch ? output_batch_open(batch, "projection.csv", d) : NULL;
    if (!f) {
        status = d->status;
        goto out;
    }
    report_projection_csv(f, r);
    summary = report_summary(r);
    text = summary ? cJSON_Print(summary) : NULL;
    if (!text) {
        status = diag_oom(d, "building summary.json");
        goto out;
    }
    f = output_batch_open(batch, "summary.json", d);
    if (!f) {
        status = d->status;
        goto out;
    }
    fputs(text, f);
    status = output_batch_commit(batch, d);
    batch = NULL;
out:
    output_batch_abort(batch);
    mem_free(text);
    cJSON_Delete(summary);
    run_free(r);
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
        int status = run_pipeline("scenarios/linzhou-2023-target.json", dir, &d);
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
    snprintf(path, sizeof path, "%s/summary.json", dir);
    unlink(path);
    cr_assert_eq(rmdir(dir), 0, "temporary files were left in %s", dir);
}
