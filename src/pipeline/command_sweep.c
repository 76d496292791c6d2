/* command_sweep.c: `econsim sweep FILE`: the sensitivity sweep of a scenario. */
#include "i18n.h"
#include "charts.h"
#include "charts_load.h"
#include "command.h"
#include "checkpoint.h"
#include "discover_write.h"
#include "folders.h"
#include "load.h"
#include "progress.h"
#include "report_files.h"
#include "results.h"
#include "session.h"
#include "sweep.h"
#include "sweep_write.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>

/* Writes the sweep's files and charts into dir, all or nothing, and prints its tables. */
static int sweep_results(const sweep_result *res, const discover_result *discovery, const run *r,
                         const goals_set *goals, const charts_options *chart_options_in, const char *dir,
                         const command_options *opt, diag *d)
{
    output_batch *batch = output_batch_new(dir, d);
    charts_options chart_options = *chart_options_in;
    charts_list charts = {0};
    int status = batch ? DIAG_OK : d->status;
    if (status == DIAG_OK) {
        status = sweep_write_charts(res, r, goals, batch, &chart_options, &charts, d);
        if (status == DIAG_OK && discovery)
            status = discover_write_charts(batch, discovery, r, &chart_options, &charts, d);
        if (status == DIAG_OK && discovery)
            status = discover_write(batch, discovery, d);
        summary_part *charts_json = status == DIAG_OK ? summary_charts(&charts) : NULL;
        if (status == DIAG_OK && !charts_json)
            status = diag_oom(d, _("listing charts"));
        if (status == DIAG_OK)
            status = sweep_write(res, r, batch, charts_json, discovery, opt->samples_csv, (int)opt->threads, d);
        if (status == DIAG_OK && !opt->no_report) {
            /* the goals of a sweep are its outputs' definitions, not evaluated: left out */
            report_html_scenario one = {.run = r, .sweep = res, .charts = &charts};
            report_html_page page = {.scenarios = &one, .count = 1};
            if (discovery)
                page.discovery = (report_html_extra){.write = discover_write_html, .arg = discovery};
            workbook_input book = {.run = r, .sweep = res, .discovery = discovery, .charts = &chart_options};
            status = report_files_write(batch, &page, &book, opt->pdf, d);
        }
        charts_list_release(&charts);
    }
    if (batch)
        status = results_commit(batch, NULL, status, d);
    if (status == DIAG_OK && !opt->quiet) {
        sweep_print(stdout, res, r);
        if (discovery) {
            fputc('\n', stdout);
            discover_print(stdout, discovery);
        }
        printf(_("\nresults: %s/\n"), text_safe(dir));
    }
    return status;
}

/* Loads the scenario, prints the run budget, runs the sweep and writes its files in one
 * batch: an error or Ctrl-C at any point leaves nothing written. */
int command_sweep(const char *file, const command_options *opt)
{
    diag d;
    diag_init(&d);
    sweep_result *res = NULL;
    discover_result *discovery = NULL;
    folders locked = {.no_wait = opt->no_wait};
    char dir[4096 + 16];
    load_options load = {.sweep = {.samples = (size_t)opt->samples, .seed_given = opt->seed_given, .seed = opt->seed},
                         .sweep_required = 1, .as_of = opt->as_of};
    load_result in = {0};
    if (checkpoint_speaks()) /* the rank that draws: its gnuplots start while it loads and runs */
        charts_warm_up(!opt->no_charts, opt->format, (int)opt->threads);
    load_scenario(session_find_input(file), &load, &in, &d);
    run *r = in.run;
    const sweep_spec *spec = in.sweep;
    int status = DIAG_OK;
    if (r) {
        if (opt->output_dir)
            status = output_target_resolve(opt->output_dir, opt->follow_symlinks, dir, sizeof dir, &d);
        else
            snprintf(dir, sizeof dir, "out/%s", r->scenario->name);
        if (status == DIAG_OK)
            status = folders_lock_one(&locked, dir, &d);
        /* rank 0 of an MPI job alone locks the folder: when it cannot, every rank stops here */
        status = checkpoint_agree(status, &d);
    }
    if (r && status == DIAG_OK)
        status = run_simulate(r, &d);
    /* the charts' options before the runs: a mistake in them stops the command before a long
     * sweep */
    charts_options chart_options = {0};
    int have_chart_options = 0;
    if (r && status == DIAG_OK) {
        charts_request request = {opt->format, opt->no_charts, opt->chart_width, opt->chart_height};
        status = charts_options_load(r, &request, &chart_options, &d);
        have_chart_options = status == DIAG_OK;
        chart_options.jobs = (int)opt->threads;
        chart_options.report_svg = !opt->no_report; /* the report inlines every chart as SVG */
    }
    if (status != DIAG_OK)
        spec = NULL;

    if (spec) {
        if (!opt->quiet) {
            sweep_print_budget(stdout, spec);
            fflush(stdout);
        }
        char overrides[128];
        snprintf(overrides, sizeof overrides, "sweep samples=%ld seed=%d:%lu", opt->samples, opt->seed_given,
                 opt->seed);
        checkpoint_options copt = {.resume = opt->resume, .always = opt->checkpoint, .overrides = overrides};
        if (checkpoint_open(dir, r, &copt, &d) != DIAG_OK)
            spec = NULL;
    }
    if (spec) {
        /* the other ranks of an MPI job compute the model runs with rank 0, which alone
         * analyses them and writes; "auto" needs the indices on every rank to go on */
        if (!checkpoint_speaks() && !in.sweep->samples_auto)
            in.sweep->runs_only = 1;
        progress_bar bar; /* on standard error, when it is a terminal */
        sweep_execute_auto(in.sweep, r, (int)opt->threads, progress_bar_init(&bar, stderr, opt->quiet), &res, &d);
    }
    if (res && getenv("ECONSIM_BENCH_TIMES") && checkpoint_speaks()) /* make bench: where the time goes */
        fprintf(stderr, _("econsim: times: model runs %.3f s, analysis %.3f s (%d ranks x %d threads)\n"),
                res->run_seconds, res->analysis_seconds, checkpoint_ranks(), res->threads);
    if (res && in.sweep_discover && !in.sweep->runs_only)
        discover_sweep(in.sweep_discover, res, in.goals, &discovery, &d);
    if (res && (!in.sweep_discover || discovery) && checkpoint_speaks())
        sweep_results(res, discovery, r, in.goals, &chart_options, dir, opt, &d);
    checkpoint_note_resumed(opt->quiet);
    checkpoint_close(res && d.status == DIAG_OK); /* the checkpoints go once the folder is written */
    status = d.status;
    session_print_diag(&d);
    diag_free(&d);
    if (have_chart_options)
        charts_options_release(&chart_options);
    discover_result_free(discovery);
    sweep_result_free(res);
    load_release(&in);
    folders_release(&locked);
    return status;
}
