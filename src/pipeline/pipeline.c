/* pipeline.c: one scenario of `econsim run`, from files to results.
 *
 * Each analysis adds its result to a pipeline_result, writes its files in pipeline_write and
 * its table in pipeline_print. All files go into one output batch committed at the very end,
 * so a failure anywhere (a bad block, out of memory, a full disk, Ctrl-C) leaves nothing
 * written and earlier results in place. Living outside main.c, the whole path can be driven
 * by tests, fault injection included. */
#include "i18n.h"
#include "pipeline.h"
#include "checkpoint.h"
#include "i18n.h"
#include "calibrate.h"
#include "charts_run.h"
#include "discover_write.h"
#include "engine.h"
#include "pawnrank_write.h"
#include "ensemble_write.h"
#include "goals_write.h"
#include "peers_write.h"
#include "load.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "report_files.h"
#include "results.h"

#include <string.h>

void pipeline_free(pipeline_result *res)
{
    charts_list_release(&res->chart_list);
    charts_options_release(&res->charts);
    peers_comparison_free(res->peers);
    peers_spec_free(res->peers_spec);
    goals_free(res->goals);
    discover_result_free(res->discovery);
    pawnrank_free(res->pawn);
    discover_spec_free(res->discover_spec);
    ensemble_result_free(res->ensemble);
    ensemble_spec_free(res->ensemble_spec);
    run_free(res->run);
    memset(res, 0, sizeof *res);
}

goals_set *pipeline_keep_goals(pipeline_result *res)
{
    goals_set *kept = res->goals;
    res->goals = NULL;
    return kept;
}

run *pipeline_keep_run(pipeline_result *res)
{
    peers_comparison_free(res->peers); /* it points into the run */
    res->peers = NULL;
    run *kept = res->run;
    res->run = NULL;
    return kept;
}

/* The analyses of an ensemble's paths kept per path: scenario discovery, the PAWN ranking. */
static int pipeline_paths(pipeline_result *res, const pipeline_options *opt, const engine_progress *progress,
                          diag *d)
{
    pathsample *sample = NULL;
    int status = pathsample_collect(res->ensemble_spec, res->run, res->goals, opt->threads, progress, &sample, d);
    if (status == DIAG_OK && sample->partial) { /* another rank of an MPI job: rank 0 analyses */
        pathsample_free(sample);
        return DIAG_OK;
    }
    if (status == DIAG_OK && res->discover_spec)
        status = discover_ensemble(res->discover_spec, res->ensemble_spec, sample, res->run, res->goals,
                                   &res->discovery, d);
    if (status == DIAG_OK && res->ensemble_spec->pawn_slices)
        status = pawnrank_run(res->ensemble_spec, sample, res->goals, opt->threads, &res->pawn, d);
    pathsample_free(sample);
    return status;
}

int pipeline_analyse(pipeline_result *res, const char *path, const pipeline_options *opt, diag *d)
{
    load_options load = {.paths = opt->paths, .seed_given = opt->seed_given, .seed = opt->seed,
                         .charts = opt->charts, .as_of = opt->as_of};
    load_result in;
    if (load_scenario(path, &load, &in, d) != DIAG_OK)
        return d->status;
    /* the result takes over what was loaded; the sweep block was only checked */
    res->run = in.run;
    res->goals = in.goals;
    res->peers_spec = in.peers;
    res->ensemble_spec = in.ensemble;
    res->discover_spec = in.ensemble_discover;
    discover_spec_free(in.sweep_discover);
    res->charts = in.charts;
    res->charts.jobs = opt->threads; /* gnuplot processes at once, as many as threads */
    res->report = opt->report;
    res->pdf = opt->report && opt->pdf;
    res->charts.report_svg = opt->report; /* the report inlines every chart as SVG */
    sweep_spec_free(in.sweep);
    if (run_simulate(res->run, d) != DIAG_OK || goals_evaluate(res->goals, res->run, d) != DIAG_OK ||
        goals_seek_all(res->goals, res->run, d) != DIAG_OK)
        return d->status;
    if (res->peers_spec && !(res->peers = peers_compare(res->run, res->peers_spec, d)))
        return d->status;
    if (res->ensemble_spec &&
        calibrate_history(res->ensemble_spec, res->run, res->peers_spec ? res->peers_spec->peer_names : NULL,
                          res->peers_spec ? res->peers_spec->peer_count : 0, d) != DIAG_OK)
        return d->status;
    if (res->ensemble_spec && calibrate_backtest(res->ensemble_spec, res->run, opt->threads, d) != DIAG_OK)
        return d->status;
    if (res->ensemble_spec && opt->dir) {
        char overrides[128];
        snprintf(overrides, sizeof overrides, "ensemble paths=%zu seed=%lu", res->ensemble_spec->paths,
                 res->ensemble_spec->seed);
        checkpoint_options copt = {.resume = opt->resume, .always = opt->checkpoint, .overrides = overrides};
        if (checkpoint_open(opt->dir, res->run, &copt, d) != DIAG_OK)
            return d->status;
    }
    if (res->ensemble_spec) {
        progress_bar bar; /* on standard error, when it is a terminal */
        const engine_progress *progress = progress_bar_init(&bar, stderr, opt->quiet);
        int status = ensemble_run(res->ensemble_spec, res->run, res->goals, opt->threads, progress, &res->ensemble, d);
        /* rank 0 of an MPI job alone summarises the paths: a failure there stops the other
         * ranks here, before the next step they would take with it */
        if ((status = checkpoint_agree(status, d)) != DIAG_OK)
            return status;
        ensemble_add_warnings(res->ensemble, res->ensemble_spec, res->run, d);
        if (getenv("ECONSIM_BENCH_TIMES") && checkpoint_speaks()) /* make bench: where the time goes */
            fprintf(stderr, _("econsim: times: ensemble %.3f s, %zu passes, %zu of %zu blocks on rank 0, %.1f MB of "
                              "values kept (%d ranks x %d threads)\n"),
                    res->ensemble->seconds, res->ensemble->passes, res->ensemble->blocks_here,
                    res->ensemble->passes * engine_block_count(res->ensemble->paths, res->ensemble->lanes),
                    (double)res->ensemble->stored_bytes / (1 << 20), checkpoint_ranks(), res->ensemble->threads);
        if ((res->discover_spec || res->ensemble_spec->pawn_slices) && pipeline_paths(res, opt, progress, d) != DIAG_OK)
            return d->status;
    }
    return DIAG_OK;
}

int pipeline_write(pipeline_result *res, const char *dir, diag *d)
{
    const run *r = res->run;
    snprintf(res->dir, sizeof res->dir, "%s", dir);
    output_batch *batch = output_batch_new(res->dir, d);
    if (!batch)
        return d->status;
    FILE *f = output_batch_open(batch, "projection.csv", d);
    if (!f)
        goto fail;
    report_projection_csv(f, r);
    if (!(f = output_batch_open(batch, "goals.csv", d)))
        goto fail;
    goals_write_csv(f, res->goals, r, NULL, 0);
    if (res->peers) {
        if (!(f = output_batch_open(batch, "peers.csv", d)))
            goto fail;
        peers_write_csv(f, res->peers);
    }
    if (res->ensemble) {
        if (!(f = output_batch_open(batch, "ensemble.csv", d)))
            goto fail;
        ensemble_write_csv(f, res->ensemble, r);
    }
    /* charts before the summary: it lists them, and their warnings */
    if (charts_write_run(batch, r, res->goals, res->peers, &res->charts, &res->chart_list, d) != DIAG_OK)
        goto fail;
    if (res->ensemble && ensemble_write_charts(batch, res->ensemble, res->ensemble_spec, r, res->goals, &res->charts,
                                               &res->chart_list, d) != DIAG_OK)
        goto fail;
    if (res->pawn && pawnrank_write(batch, res->pawn, res->goals, d) != DIAG_OK)
        goto fail;
    if (res->discovery && (discover_write(batch, res->discovery, d) != DIAG_OK ||
                           discover_write_charts(batch, res->discovery, r, &res->charts, &res->chart_list, d) != DIAG_OK))
        goto fail;
    if (res->report) {
        report_html_scenario one = {.run = r, .goals = res->goals, .peers = res->peers,
                                         .ensemble = res->ensemble, .ensemble_spec = res->ensemble_spec,
                                         .charts = &res->chart_list};
        report_html_page page = {.scenarios = &one, .count = 1};
        if (res->discovery)
            page.discovery = (report_html_extra){.write = discover_write_html, .arg = res->discovery};
        workbook_input book = {.run = r, .goals = res->goals, .peers = res->peers, .ensemble = res->ensemble,
                               .pawn = res->pawn, .discovery = res->discovery, .charts = &res->charts};
        if (report_files_write(batch, &page, &book, res->pdf, d) != DIAG_OK)
            goto fail;
    }
    /* each part is taken over by the summary; one that could not be built (or a builder that
     * skipped a field when memory ran out) fails the folder in results_commit */
    summary record;
    summary_start_run(&record, r, _("building summary.json"));
    if (res->ensemble)
        summary_add(&record, "ensemble",
                            summary_ensemble(res->ensemble, res->ensemble_spec, r, res->goals));
    if (res->discovery)
        summary_add(&record, "discovery", summary_discover(res->discovery));
    if (res->pawn)
        summary_add(&record, "pawn", summary_pawnrank(res->pawn, res->goals));
    if (res->peers)
        summary_add(&record, "peers", summary_peers(res->peers));
    summary_add(&record, "goals", summary_goals(res->goals, r, NULL, 0));
    if (res->ensemble)
        summary_add(&record, "environment", summary_environment(res->ensemble->threads));
    summary_add_warnings(&record, d);
    summary_add(&record, "charts", summary_charts(&res->chart_list));
    return results_commit(batch, &record, DIAG_OK, d);
fail:
    return results_commit(batch, NULL, d->status, d);
}

void pipeline_print(const pipeline_result *res, FILE *out)
{
    report_projection_table(out, res->run);
    goals_print_table(out, res->goals, res->run);
    if (res->peers) {
        fputc('\n', out);
        peers_print_table(out, res->peers);
    }
    if (res->ensemble) {
        fputc('\n', out);
        ensemble_print_table(out, res->ensemble, res->ensemble_spec, res->run, res->goals);
    }
    if (res->pawn) {
        fputc('\n', out);
        pawnrank_print(out, res->pawn, res->goals);
    }
    if (res->discovery) {
        fputc('\n', out);
        discover_print(out, res->discovery);
    }
    fprintf(out, _("results: %s/\n\n"), res->dir);
}

