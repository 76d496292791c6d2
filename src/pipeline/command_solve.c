/* command_solve.c: `econsim solve FILE`: goal seek on the whole model, goal by goal or several
 * goals together, printed and written into a folder of its own. */
#include "i18n.h"
#include "command.h"
#include "folders.h"
#include "goals.h"
#include "goals_write.h"
#include "load.h"
#include "mem.h"
#include "results.h"
#include "session.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Finds the goals named by --goal (every goal with "solve" when none is named) into chosen[];
 * returns how many, or 0 with the error in d. */
static size_t solve_choose(const goals_set *g, const run *r, const command_options *opt, size_t *chosen, diag *d)
{
    size_t count = 0;
    if (opt->goal_count == 0) {
        for (size_t i = 0; i < g->count; i++)
            if (g->goals[i].solve_slot >= 0)
                chosen[count++] = i;
        if (count == 0)
            diag_error_json(d, DIAG_DATA, r->scenario->path, "$.goals",
                            _("no goal names an instrument to solve for: add \"solve\" to a goal"));
        return count;
    }
    for (int k = 0; k < opt->goal_count; k++) {
        int index = goals_find(g, opt->goals[k]);
        if (index < 0) {
            char list[1024] = "";
            size_t used = 0;
            const char *ids[GOALS_MAX];
            for (size_t i = 0; i < g->count; i++) {
                ids[i] = g->goals[i].id;
                if (used < sizeof list)
                    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", ids[i]);
            }
            const char *hint = text_suggest(opt->goals[k], ids, g->count);
            for (size_t i = 0; i < g->count && !hint; i++) /* "166-gdp" for "166-gdp-2025" */
                if (!strncmp(ids[i], opt->goals[k], strlen(opt->goals[k])))
                    hint = ids[i];
            char suggestion[128] = "";
            if (hint)
                snprintf(suggestion, sizeof suggestion, _(" (did you mean '%s'?)"), hint);
            diag_error(d, DIAG_USAGE, _("unknown goal '%s'%s; the goals of %s are: %s"), opt->goals[k], suggestion,
                       r->scenario->path, list);
            return 0;
        }
        if (g->goals[index].solve_slot < 0) {
            diag_error(d, DIAG_USAGE, _("goal '%s' has no \"solve\" (add one at %s: %s)"), opt->goals[k],
                       g->goals[index].file, g->goals[index].json_path);
            return 0;
        }
        chosen[count++] = (size_t)index;
    }
    return count;
}

/* Writes goals.csv and summary.json (the scenario, the goals solved, each answer with the path
 * under it: `solution`, which stays the caller's) into dir, all or nothing. */
static int write_solve(const char *dir, const run *r, const goals_set *g, const size_t *chosen, size_t count,
                       summary_part *solution, diag *d)
{
    output_batch *batch = output_batch_new(dir, d);
    if (!batch)
        return d->status;
    FILE *f = output_batch_open(batch, "goals.csv", d);
    if (!f)
        return results_commit(batch, NULL, d->status, d);
    goals_write_csv(f, g, r, chosen, count);
    summary record;
    summary_start_run(&record, r, _("building summary.json"));
    summary_add(&record, "goals", summary_goals(g, r, chosen, count));
    summary_add_reference(&record, "solve", solution);
    summary_add_warnings(&record, d);
    return results_commit(batch, &record, DIAG_OK, d);
}

/* --from YEAR: the exogenous instruments of the chosen goals are set from YEAR to each goal's
 * year; the years before keep the scenario's values (and observed years their data). YEAR
 * must lie within start..the goal's year. */
static int set_solve_from(goals_set *g, const size_t *chosen, size_t count, const run *r, int from, diag *d)
{
    if (from < r->plan->start || from > r->plan->end)
        return diag_error(d, DIAG_USAGE, _("--from %d is outside the scenario's years %d-%d"), from, r->plan->start,
                          r->plan->end);
    for (size_t k = 0; k < count; k++) {
        goals_goal *goal = &g->goals[chosen[k]];
        if (from > goal->year)
            return diag_error(d, DIAG_USAGE, _("--from %d is after the year of goal '%s' (%d)"), from, goal->id,
                              goal->year);
        goal->solve_from = from;
    }
    return DIAG_OK;
}

/* Adds one answer (the goals solved together, the instrument values and the path under them)
 * to the solution and prints it. */
static int solve_report(summary_part *solution, const goals_set *g, const size_t *goals, const double *instrument,
                        size_t count, const run *r, int quiet, diag *d)
{
    double *values = NULL;
    if (goals_path(g, goals, instrument, count, r, &values, d) != DIAG_OK)
        return d->status;
    if (summary_solve_add(solution, summary_goals_path(g, goals, instrument, count, r, values)) != DIAG_OK) {
        mem_free(values);
        return diag_oom(d, _("building summary.json"));
    }
    if (!quiet) {
        printf(_("path under this solution:\n"));
        goals_print_path(stdout, g, goals, count, r, values);
        putchar('\n');
    }
    mem_free(values);
    return DIAG_OK;
}

/* Several goals named: one joint solve, each goal by its own instrument (GSL hybrids). */
static int solve_jointly(goals_set *g, const size_t *chosen, size_t count, run *r, summary_part *solution,
                         const command_options *opt, diag *d)
{
    goals_joint *joint = NULL;
    if (goals_solve_joint(g, chosen, count, r, &joint, d) != DIAG_OK)
        return d->status;
    goals_apply_joint(g, joint, r);
    int status = summary_solve_joint(solution, joint) == DIAG_OK ? DIAG_OK : diag_oom(d, _("solving goals"));
    const scenario *s = r->scenario;
    if (status == DIAG_OK && !opt->quiet) {
        printf(_("%s  (%s): %zu goals solved jointly (GSL hybrids)\n"), text_safe(scenario_title(s)), text_safe(s->name), count);
        goals_print_solution(stdout, g, chosen, count, r);
        if (joint->converged)
            printf(_("converged in %zu iterations (%d model runs); every goal is met exactly.\n"), joint->iterations,
                   joint->evaluations);
        else
            printf(_("NOT converged: %s\n"), text_safe(joint->message));
    }
    if (status == DIAG_OK && !joint->converged)
        diag_warning(d, "%s", joint->message); /* not an error: the answer says how close it came */
    else if (status == DIAG_OK)
        status = solve_report(solution, g, chosen, joint->instrument, count, r, opt->quiet, d);
    goals_joint_free(joint);
    return status;
}

/* Each goal on its own (bracketing, then Brent's method); a goal that cannot be met is a
 * warning, the others are still answered. */
static int solve_separately(const goals_set *g, const size_t *chosen, size_t count, const run *r, summary_part *solution,
                            const command_options *opt, diag *d)
{
    const scenario *s = r->scenario;
    if (!opt->quiet)
        printf(count == 1 ? _("%s  (%s): %zu goal solved (bracketing, then Brent's method)\n")
                          : _("%s  (%s): %zu goals solved one by one (bracketing, then Brent's method)\n"),
               text_safe(scenario_title(s)), text_safe(s->name), count);
    for (size_t k = 0; k < count; k++) {
        const goals_seek_result *seek = &g->results[chosen[k]].seek;
        if (!opt->quiet)
            goals_print_solution(stdout, g, &chosen[k], 1, r);
        if (seek->status != GOALS_SEEK_FOUND) {
            diag_warning(d, _("goal %s: %s"), g->goals[chosen[k]].id, seek->message);
            if (!opt->quiet)
                putchar('\n');
            continue;
        }
        if (solve_report(solution, g, &chosen[k], &seek->required, 1, r, opt->quiet, d) != DIAG_OK)
            return d->status;
    }
    return DIAG_OK;
}

/* Simulates, evaluates and seeks the goals chosen, prints the answers and writes them into
 * dir (locked by the caller). The errors go to d. */
static void solve(run *r, goals_set *g, const char *dir, const command_options *opt, diag *d)
{
    size_t *chosen = NULL;
    summary_part *solution = NULL;
    if (run_simulate(r, d) != DIAG_OK || goals_evaluate(g, r, d) != DIAG_OK)
        return;
    if (g->count == 0) {
        diag_error_json(d, DIAG_DATA, r->scenario->path, "$",
                        _("the scenario has no goals to solve: add a \"goals\" array of goals or goal files"));
        return;
    }
    if (!(chosen = mem_calloc(g->count + (size_t)opt->goal_count, sizeof *chosen))) {
        diag_oom(d, _("solving goals"));
        return;
    }
    size_t count = solve_choose(g, r, opt, chosen, d);
    if (count == 0)
        goto out;
    if (opt->solve_from && set_solve_from(g, chosen, count, r, opt->solve_from, d) != DIAG_OK)
        goto out;
    int jointly = opt->goal_count > 1; /* several goals named: solved together */
    if (!(solution = summary_solve_new(count > 1 && jointly ? "joint" : "separate"))) {
        diag_oom(d, _("solving goals"));
        goto out;
    }
    for (size_t k = 0; k < count; k++)
        if (goals_seek(g, chosen[k], r, &g->results[chosen[k]].seek, d) != DIAG_OK)
            goto out;
    int status = jointly ? solve_jointly(g, chosen, count, r, solution, opt, d)
                         : solve_separately(g, chosen, count, r, solution, opt, d);
    if (status == DIAG_OK && write_solve(dir, r, g, chosen, count, solution, d) == DIAG_OK && !opt->quiet)
        printf(_("results: %s/\n"), text_safe(dir));
out:
    summary_part_free(solution);
    mem_free(chosen);
}

int command_solve(const char *file, const command_options *opt)
{
    diag d;
    diag_init(&d);
    folders locked = {.no_wait = opt->no_wait};
    char dir[4096 + 16];
    load_result in = {0};
    load_options load = {.as_of = opt->as_of};
    load_scenario(session_find_input(file), &load, &in, &d);
    if (in.run) {
        /* its own folder, never inside a run's (a later run would replace it) */
        int status = DIAG_OK;
        if (opt->output_dir)
            status = output_target_resolve(opt->output_dir, opt->follow_symlinks, dir, sizeof dir, &d);
        else
            snprintf(dir, sizeof dir, "out/%s-solve", in.run->scenario->name);
        if (status == DIAG_OK && folders_lock_one(&locked, dir, &d) == DIAG_OK)
            solve(in.run, in.goals, dir, opt, &d);
    }
    fflush(stdout); /* the answer before the warnings about it */
    session_print_diag(&d);
    int status = d.status;
    diag_free(&d);
    folders_release(&locked);
    load_release(&in);
    return status;
}
