/* pathsample.c: an ensemble's paths kept per path (pathsample.h). */
#include "pathsample.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void pathsample_free(pathsample *s)
{
    if (!s)
        return;
    mem_free(s->shock);
    mem_free(s->goal_value);
    mem_free(s);
}

typedef struct pathsample_context {
    pathsample *s;
    const ensemble_spec *spec;
    const goals_set *goals;
    size_t years;     /* of the plan */
    size_t start_t;   /* year index of start */
    size_t *goal_cell;/* [goal] slot * years + t */
} pathsample_context;

/* Copies each path's shocked values and goal values into its own row. */
static int pathsample_reduce(void *context, engine_block *block)
{
    const pathsample_context *c = context;
    pathsample *s = c->s;
    size_t k = s->k, h = s->horizon, lanes = block->lanes;
    const double *v = block->values;
    for (size_t lane = 0; lane < lanes; lane++) {
        size_t path = block->first + lane;
        for (size_t j = 0; j < k; j++) {
            size_t base = (size_t)c->spec->shocks[j].slot * c->years + c->start_t;
            double *row = s->shock + (path * k + j) * h;
            for (size_t t = 0; t < h; t++)
                row[t] = v[(base + t) * lanes + lane];
        }
        for (size_t g = 0; g < s->goal_count; g++) {
            const goals_goal *goal = &c->goals->goals[g];
            double value = v[c->goal_cell[g] * lanes + lane];
            if (goal->kind == GOALS_GROWTH)
                value = value / v[(c->goal_cell[g] - 1) * lanes + lane] - 1;
            if (!isfinite(value)) {
                snprintf(block->message, sizeof block->message, _("path %zu: the value of goal %s is not finite"),
                         path + 1, goal->id);
                return DIAG_SOFTWARE;
            }
            s->goal_value[path * s->goal_count + g] = value;
        }
    }
    return DIAG_OK;
}

int pathsample_collect(const ensemble_spec *spec, const run *r, const goals_set *goals, int threads,
                       const engine_progress *progress, pathsample **out, diag *d)
{
    const sim_plan *plan = r->plan;
    size_t n = spec->paths, k = spec->shock_count, h = (size_t)(plan->end - plan->start + 1);
    size_t m = goals ? goals->count : 0;
    char what[200];
    snprintf(what, sizeof what, _("the per-path sample of %zu paths (%zu shocks x %zu years, %zu goals)"), n, k, h,
             m);
    if (engine_check_memory(n * (k * h + m) * sizeof(double), what, d) != DIAG_OK)
        return d->status;
    pathsample *s = mem_calloc(1, sizeof *s);
    size_t *cells = mem_calloc(m ? m : 1, sizeof *cells);
    if (!s || !cells) {
        mem_free(s);
        mem_free(cells);
        return diag_oom(d, _("keeping the paths"));
    }
    s->n = n;
    s->k = k;
    s->horizon = h;
    s->start = plan->start;
    s->goal_count = m;
    s->shock = mem_alloc((n * k * h > 0 ? n * k * h : 1) * sizeof *s->shock);
    s->goal_value = mem_alloc((n * m > 0 ? n * m : 1) * sizeof *s->goal_value);
    if (!s->shock || !s->goal_value) {
        pathsample_free(s);
        mem_free(cells);
        return diag_oom(d, _("keeping the paths"));
    }
    for (size_t g = 0; g < m; g++)
        cells[g] = (size_t)goals->goals[g].slot * plan->years +
                   (size_t)sim_plan_year_index(plan, goals->goals[g].year);
    pathsample_context c = {.s = s, .spec = spec, .goals = goals, .years = plan->years,
                            .start_t = (size_t)sim_plan_year_index(plan, plan->start), .goal_cell = cells};
    /* what the reduce writes: the ranks of an MPI job split the paths, rank 0 gathers them */
    engine_region regions[2];
    size_t region_count = 0;
    if (k > 0 && h > 0)
        regions[region_count++] = (engine_region){ENGINE_REGION_PATH, s->shock, k * h * sizeof(double), 1, 0, NULL, NULL};
    if (m)
        regions[region_count++] = (engine_region){ENGINE_REGION_PATH, s->goal_value, m * sizeof(double), 1, 0, NULL, NULL};
    engine_stats stats;
    memset(&stats, 0, sizeof stats);
    int status = ensemble_simulate_regions(spec, r, threads, progress, pathsample_reduce, &c, regions, region_count,
                                           &stats, d);
    s->partial = stats.partial;
    mem_free(cells);
    if (status != DIAG_OK) {
        pathsample_free(s);
        return status;
    }
    *out = s;
    return DIAG_OK;
}

void pathsample_summary(const pathsample *s, const ensemble_spec *spec, size_t j, int to_year, double *x,
                        size_t stride, char *summary, size_t size)
{
    size_t h = s->horizon, k = s->k;
    int last = to_year < s->start ? s->start : to_year;
    if (last > s->start + (int)h - 1)
        last = s->start + (int)h - 1;
    size_t years = spec->shocks[j].is_parameter ? 1 : (size_t)(last - s->start + 1);
    if (spec->shocks[j].is_parameter)
        snprintf(summary, size, "value on the path");
    else if (years == 1)
        snprintf(summary, size, "value in %d on the path", s->start);
    else
        snprintf(summary, size, "mean %d-%d on the path", s->start, last);
    for (size_t path = 0; path < s->n; path++) {
        const double *row = s->shock + (path * k + j) * h;
        double sum = 0;
        for (size_t t = 0; t < years; t++)
            sum += row[t];
        x[path * stride] = sum / (double)years;
    }
}
