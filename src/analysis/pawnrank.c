/* pawnrank.c: PAWN ranking of an ensemble's shocks per goal (pawnrank.h). */
#include "pawnrank.h"
#include "i18n.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>

void pawnrank_free(pawnrank_result *res)
{
    if (!res)
        return;
    for (size_t g = 0; res->goals && g < res->goal_count; g++) {
        mem_free(res->goals[g].index);
        mem_free(res->goals[g].order);
        mem_free(res->goals[g].summary);
    }
    mem_free(res->goals);
    mem_free(res->names);
    mem_free(res);
}

/* order[k]: by value, largest first; a stable insertion sort keeps ties in shock order. */
static void pawnrank_order(const pawn_index *index, size_t k, size_t *order)
{
    for (size_t i = 0; i < k; i++) {
        size_t j = i;
        while (j > 0 && index[order[j - 1]].value < index[i].value) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

/* The ranking of goal g into *out (its arrays allocated here); x is scratch of n * k. */
static int pawnrank_goal_run(const ensemble_spec *spec, const pathsample *sample, const goals_set *goals, size_t g,
                             const pawn_options *opt, const char **names, double *x, pawnrank_goal *out, diag *d)
{
    size_t k = sample->k;
    out->goal = g;
    out->index = mem_calloc(k, sizeof *out->index);
    out->order = mem_calloc(k, sizeof *out->order);
    out->summary = mem_calloc(k, sizeof *out->summary);
    if (!out->index || !out->order || !out->summary)
        return diag_oom(d, _("ranking the shocks"));
    for (size_t j = 0; j < k; j++)
        pathsample_summary(sample, spec, j, goals->goals[g].year, x + j, k, out->summary[j], sizeof out->summary[j]);
    pawn_data data = {.n = sample->n, .k = k, .x = x, .y = sample->goal_value + g, .y_stride = sample->goal_count,
                      .names = names};
    int status = pawn_indices(&data, opt, out->index, NULL, d);
    if (status == DIAG_OK)
        pawnrank_order(out->index, k, out->order);
    return status;
}

int pawnrank_run(const ensemble_spec *spec, const pathsample *sample, const goals_set *goals, int threads,
                 pawnrank_result **out, diag *d)
{
    *out = NULL;
    if (spec->pawn_slices == 0)
        return DIAG_OK;
    size_t n = sample->n, k = sample->k, m = sample->goal_count;
    if (k == 0)
        return diag_error(d, DIAG_DATA, _("\"pawn\": the ensemble has no shocks to rank"));
    if (n < PAWN_MIN_RUNS_PER_SLICE * spec->pawn_slices) {
        diag_warning(d, _("no PAWN ranking: %zu paths are too few for %zu slices (PAWN needs at least %d paths a "
                        "slice: %zu paths, and more give steadier ranks)"),
                     n, spec->pawn_slices, PAWN_MIN_RUNS_PER_SLICE, PAWN_MIN_RUNS_PER_SLICE * spec->pawn_slices);
        return DIAG_OK;
    }
    pawnrank_result *res = mem_calloc(1, sizeof *res);
    double *x = mem_alloc(n * k * sizeof *x);
    if (!res || !x || !(res->names = mem_calloc(k, sizeof *res->names)) ||
        !(res->goals = mem_calloc(m ? m : 1, sizeof *res->goals))) {
        pawnrank_free(res);
        mem_free(x);
        return diag_oom(d, _("ranking the shocks"));
    }
    res->n = n;
    res->k = k;
    res->slices = spec->pawn_slices;
    res->seed = spec->seed;
    for (size_t j = 0; j < k; j++)
        res->names[j] = spec->shocks[j].name;
    pawn_options opt;
    pawn_options_default(&opt);
    opt.slices = spec->pawn_slices;
    opt.seed = spec->seed;
    opt.threads = threads;
    int status = DIAG_OK;
    for (size_t g = 0; g < m && status == DIAG_OK; g++) {
        const double *y = sample->goal_value + g;
        int varies = 0;
        for (size_t p = 1; p < n && !varies; p++)
            varies = y[p * m] != y[0];
        if (varies)
            status = pawnrank_goal_run(spec, sample, goals, g, &opt, res->names, x, &res->goals[res->goal_count++], d);
    }
    mem_free(x);
    if (status != DIAG_OK) {
        pawnrank_free(res);
        return status;
    }
    *out = res;
    return DIAG_OK;
}
