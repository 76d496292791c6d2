/* command_backtest.c: `econsim backtest FILE`: how far off the scenario's model would have
 * been, origin by origin, written into a folder of its own. */
#include "i18n.h"
#include "backtest.h"
#include "backtest_write.h"
#include "calibrate.h"
#include "charts.h"
#include "checkpoint.h"
#include "command.h"
#include "folders.h"
#include "load.h"
#include "report_files.h"
#include "results.h"
#include "session.h"
#include "summary.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>

/* The back-test's section of report.html (report_html_extra): its table as backtest_print
 * writes it, escaped for HTML, in a <pre>. */
static void backtest_html(FILE *f, const void *arg)
{
    char *text = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&text, &size);
    if (!memory) {
        fprintf(f, "<p>%s</p>\n", _("(The back-test table could not be written: out of memory.)"));
        return;
    }
    backtest_print(memory, (const backtest_result *)arg);
    fclose(memory);
    fprintf(f, "<p>%s</p>\n<pre>",
            _("Each origin year is projected again with only the observations up to that year and compared with the "
              "actual values of later years (error = projection - actual); the points are in backtest.csv, the "
              "scores in backtest-summary.csv."));
    report_html_text(f, text);
    fputs("</pre>\n", f);
    free(text);
}

/* Writes backtest.csv, backtest-summary.csv, the charts and summary.json into dir, all or
 * nothing, and prints the table. */
static int backtest_results(const backtest_result *res, const run *r, charts_options *chart_options, const char *dir,
                            const command_options *opt, diag *d)
{
    output_batch *batch = output_batch_new(dir, d);
    if (!batch)
        return d->status;
    charts_list charts = {0};
    chart_options->jobs = (int)opt->threads;
    chart_options->report_svg = !opt->no_report; /* the report inlines every chart as SVG */
    int status = backtest_write(res, batch, d);
    if (status == DIAG_OK)
        status = backtest_write_charts(res, batch, chart_options, &charts, d);
    if (status == DIAG_OK && !opt->no_report) {
        report_html_scenario one = {.run = r, .charts = &charts};
        report_html_page page = {.scenarios = &one, .count = 1,
                                 .backtest = {.heading = _("Back-test"), .write = backtest_html, .arg = res}};
        workbook_input book = {.run = r, .charts = chart_options};
        status = report_files_write(batch, &page, &book, opt->pdf, d);
    }
    summary record;
    if (status == DIAG_OK) {
        summary_start_run(&record, r, _("building summary.json"));
        summary_add(&record, "backtest", summary_backtest(res));
        summary_add_warnings(&record, d);
        summary_add(&record, "charts", summary_charts(&charts));
    }
    status = results_commit(batch, status == DIAG_OK ? &record : NULL, status, d);
    charts_list_release(&charts);
    if (status == DIAG_OK && !opt->quiet) {
        backtest_print(stdout, res);
        printf(_("\nresults: %s/\n"), text_safe(dir));
    }
    return status;
}

int command_backtest(const char *file, const command_options *opt)
{
    diag d;
    diag_init(&d);
    folders locked = {.no_wait = opt->no_wait};
    char dir[4096 + 16];
    load_result in = {0};
    /* every observation is an actual, whatever "as_of" the scenario pins; --as-of only
     * limits the last origin */
    load_options load = {.as_of = RUN_AS_OF_ALL, .charts = (charts_request){opt->format, opt->no_charts, opt->chart_width, opt->chart_height}};
    if (checkpoint_speaks()) /* the rank that draws: its gnuplots start while it loads and runs */
        charts_warm_up(!opt->no_charts, opt->format, (int)opt->threads);
    load_scenario(session_find_input(file), &load, &in, &d);
    backtest_result *res = NULL;
    if (in.run) {
        int status = DIAG_OK;
        if (opt->output_dir)
            status = output_target_resolve(opt->output_dir, opt->follow_symlinks, dir, sizeof dir, &d);
        else
            snprintf(dir, sizeof dir, "out/%s-backtest", in.run->scenario->name);
        if (status == DIAG_OK)
            status = folders_lock_one(&locked, dir, &d);
        backtest_options bo = {.origin_from = opt->origin_from, .origin_to = opt->origin_to,
                               .horizon_from = opt->horizon_from, .horizon_to = opt->horizon_to,
                               .last_origin = opt->as_of, .bands = in.ensemble, .threads = (int)opt->threads};
        if (status == DIAG_OK && in.ensemble) /* the bands' shock sizes, as `run` has them */
            status = calibrate_history(in.ensemble, in.run, in.peers ? in.peers->peer_names : NULL,
                                       in.peers ? in.peers->peer_count : 0, &d);
        if (status == DIAG_OK && in.ensemble)
            status = calibrate_backtest(in.ensemble, in.run, (int)opt->threads, &d);
        if (status == DIAG_OK) /* summary.json describes the scenario's own run too */
            status = run_simulate(in.run, &d);
        if (status == DIAG_OK)
            status = backtest_run(in.run, &bo, &res, &d);
        if (status == DIAG_OK)
            backtest_results(res, in.run, &in.charts, dir, opt, &d);
    }
    fflush(stdout);
    session_print_diag(&d);
    int status = d.status;
    diag_free(&d);
    backtest_result_free(res);
    folders_release(&locked);
    load_release(&in);
    return status;
}
