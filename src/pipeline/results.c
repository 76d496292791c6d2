/* results.c: summary.json gathered part by part, and the commit of a result folder. */
#include "results.h"
#include "mem.h"
#include "report.h"

#include <stdio.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

void results_summary_run(results_summary *s, const run *r, const char *what)
{
    s->what = what;
    s->failures_before = mem_failure_count();
    s->root = report_summary(r);
    s->failed = s->root == NULL;
}

void results_summary_comparison(results_summary *s, run *const *runs, size_t count, const char *what)
{
    s->what = what;
    s->failures_before = mem_failure_count();
    s->failed = 0;
    cJSON *scenarios = NULL;
    if (!(s->root = cJSON_CreateObject()) || !cJSON_AddStringToObject(s->root, "econsim_version", ECONSIM_VERSION) ||
        !(scenarios = cJSON_AddArrayToObject(s->root, "scenarios"))) {
        s->failed = 1;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char results[4096];
        snprintf(results, sizeof results, "../%s", runs[i]->scenario->name);
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(scenarios, item) ||
            !cJSON_AddStringToObject(item, "name", runs[i]->scenario->name) ||
            !cJSON_AddStringToObject(item, "title", runs[i]->scenario->title) ||
            !cJSON_AddStringToObject(item, "file", runs[i]->scenario->path) ||
            !cJSON_AddStringToObject(item, "results", results)) {
            if (item && !item->prev)
                cJSON_Delete(item); /* not in the array: not freed with the root */
            s->failed = 1;
            return;
        }
    }
}

void results_summary_add(results_summary *s, const char *key, cJSON *item)
{
    if (s->failed || !s->root) {
        cJSON_Delete(item);
        return;
    }
    if (report_add_item(s->root, key, item) != DIAG_OK)
        s->failed = 1;
}

void results_summary_add_reference(results_summary *s, const char *key, cJSON *item)
{
    if (!s->failed && s->root && !cJSON_AddItemReferenceToObject(s->root, key, item))
        s->failed = 1;
}

void results_summary_add_warnings(results_summary *s, const diag *d)
{
    if (!s->failed && s->root && report_add_warnings(s->root, d) != DIAG_OK)
        s->failed = 1;
}

cJSON *results_solve_new(const char *mode)
{
    cJSON *solve = cJSON_CreateObject();
    if (!solve || !cJSON_AddArrayToObject(solve, "solutions") || !cJSON_AddStringToObject(solve, "mode", mode)) {
        cJSON_Delete(solve);
        return NULL;
    }
    return solve;
}

void results_solve_free(cJSON *solve)
{
    cJSON_Delete(solve);
}

int results_solve_joint(cJSON *solve, const goals_joint *joint)
{
    if (!cJSON_AddBoolToObject(solve, "converged", joint->converged) ||
        !cJSON_AddNumberToObject(solve, "iterations", (double)joint->iterations) ||
        !cJSON_AddNumberToObject(solve, "model_runs", joint->evaluations) ||
        !cJSON_AddStringToObject(solve, "message", joint->message))
        return DIAG_SOFTWARE;
    return DIAG_OK;
}

int results_solve_add(cJSON *solve, cJSON *answer)
{
    cJSON *solutions = cJSON_GetObjectItemCaseSensitive(solve, "solutions");
    if (!answer || !solutions || !cJSON_AddItemToArray(solutions, answer)) {
        cJSON_Delete(answer);
        return DIAG_SOFTWARE;
    }
    return DIAG_OK;
}

int results_commit(output_batch *batch, results_summary *s, int status, diag *d)
{
    if (status == DIAG_OK && s) {
        if (s->failed || !s->root || mem_failure_count() != s->failures_before)
            status = diag_oom(d, s->what);
        else
            status = report_write_json(batch, "summary.json", s->root, d);
    }
    if (s) {
        cJSON_Delete(s->root);
        s->root = NULL;
    }
    if (status != DIAG_OK) {
        output_batch_abort(batch);
        return status;
    }
    return output_batch_commit(batch, d);
}
