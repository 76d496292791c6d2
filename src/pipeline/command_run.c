/* command_run.c: `econsim run FILE...`: each scenario through the pipeline (pipeline.h) into
 * its own folder, then, with several, their comparison charts. */
#include "i18n.h"
#include "command.h"
#include "checkpoint.h"
#include "charts_load.h"
#include "charts_run.h"
#include "compare_table.h"
#include "report_files.h"
#include "folders.h"
#include "mem.h"
#include "pipeline.h"
#include "plot.h"
#include "results.h"
#include "session.h"
#include "side_by_side.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* The folder of the comparison of several scenarios, beside theirs (a scenario may not have
 * this name in such a run). */
#define COMMAND_COMPARISON_FOLDER "comparison"

/* Runs one scenario of `run` into result folder dir. With kept, a successful run and its goals
 * are handed to the caller (for the comparison of several scenarios) instead of being freed. */
static int run_one(const char *file, const char *dir, const command_options *opt, run **kept, goals_set **kept_goals)
{
    diag d;
    diag_init(&d);
    pipeline_result res;
    memset(&res, 0, sizeof res);
    if (checkpoint_speaks()) /* the rank that draws: its gnuplots start while it loads and runs */
        charts_warm_up(!opt->no_charts, opt->format, (int)opt->threads);
    pipeline_options popt = {(charts_request){opt->format, opt->no_charts, opt->chart_width, opt->chart_height}, (size_t)opt->paths, opt->seed_given, opt->seed,
                             (int)opt->threads, opt->quiet, opt->as_of, !opt->no_report, opt->pdf,
                             dir, opt->resume, opt->checkpoint};
    int status = pipeline_analyse(&res, session_find_input(file), &popt, &d);
    if (status == DIAG_OK && !dir) /* the scenario loaded now but not when its folder was named */
        status = diag_error_file(&d, DIAG_SOFTWARE, file, _("no output folder was locked for this scenario"));
    if (status == DIAG_OK && checkpoint_speaks()) {
        status = pipeline_write(&res, dir, &d);
        if (status == DIAG_OK && !opt->quiet)
            pipeline_print(&res, stdout);
    }
    checkpoint_note_resumed(opt->quiet);
    checkpoint_close(status == DIAG_OK); /* the checkpoints go once the folder is written */
    session_print_diag(&d);
    diag_free(&d);
    if (status == DIAG_OK && kept) {
        *kept_goals = pipeline_keep_goals(&res);
        *kept = pipeline_keep_run(&res);
    }
    pipeline_free(&res);
    return status;
}

/* Writes the comparison of several scenarios into its result folder dir (DIR/comparison/):
 * charts/compare-<variable>.png (and .gp) for the chart variables of the first (unless
 * --no-charts), report.html and workbook.xlsx with the side-by-side table (unless
 * --no-report), and summary.json listing the scenarios (with their folders, relative to dir),
 * the charts and the warnings. */
static int write_comparison(const char *dir, run *const *runs, goals_set *const *goals, size_t count,
                            const compare_table *table, const command_options *opt)
{
    diag d;
    diag_init(&d);
    charts_options chart_options;
    charts_list list = {0};
    output_batch *batch = NULL;
    int status;
    if (charts_options_load(runs[0], &(charts_request){opt->format, opt->no_charts, opt->chart_width, opt->chart_height},
                            &chart_options, &d) != DIAG_OK)
        goto out;
    chart_options.jobs = (int)opt->threads;
    chart_options.report_svg = !opt->no_report;
    if ((!chart_options.enabled && opt->no_report) || !(batch = output_batch_new(dir, &d)))
        goto out;
    status = charts_write_comparison(batch, (const run *const *)runs, count, goals[0], &chart_options, &list, &d);
    if (status == DIAG_OK && !opt->no_report && table) {
        report_html_scenario *scenarios = mem_calloc(count, sizeof *scenarios);
        char (*links)[256] = mem_calloc(count, sizeof *links);
        if (!scenarios || !links)
            status = diag_oom(&d, _("writing the combined report"));
        for (size_t i = 0; status == DIAG_OK && i < count; i++) {
            /* each scenario's folder is DIR/<name>, beside this one */
            snprintf(links[i], sizeof links[i], "../%s", runs[i]->scenario->name);
            scenarios[i] = (report_html_scenario){.run = runs[i], .goals = goals[i], .folder = links[i]};
        }
        if (status == DIAG_OK) {
            report_html_page page = {.scenarios = scenarios, .count = count, .combined = 1, .comparison = table,
                                     .comparison_charts = &list};
            workbook_input book = {.run = runs[0], .comparison = table};
            status = report_files_write(batch, &page, &book, opt->pdf, &d);
        }
        mem_free(scenarios);
        mem_free(links);
    }
    if (status == DIAG_OK) {
        summary record;
        summary_start_comparison(&record, runs, count, _("building the comparison summary"));
        summary_add(&record, "charts", summary_charts(&list));
        summary_add_warnings(&record, &d);
        status = results_commit(batch, &record, DIAG_OK, &d);
    } else {
        results_commit(batch, NULL, status, &d);
    }
    if (status == DIAG_OK && !opt->quiet && chart_options.enabled)
        printf(_("comparison: %s/charts/\n\n"), text_safe(dir));
    if (status == DIAG_OK && !opt->quiet && !opt->no_report)
        printf(_("comparison report: %s/report.html\n\n"), text_safe(dir));
out:
    charts_list_release(&list);
    charts_options_release(&chart_options);
    session_print_diag(&d);
    status = d.status;
    diag_free(&d);
    return status;
}

/* Prints the scenarios of one `run` side by side (the first one's chart variables). */
static void print_side_by_side(run *const *runs, size_t count)
{
    diag d;
    diag_init(&d);
    charts_options o;
    if (charts_options_load(runs[0], NULL, &o, &d) == DIAG_OK) {
        side_by_side_print(stdout, (const run *const *)runs, count, o.variables, o.variable_count);
        charts_options_release(&o);
    }
    diag_free(&d); /* the charts block was read once already, by the first run */
}

/* The result folder of scenario i (dirs[i], a copy) of `run`, added to the folders to lock. */
static int name_folder(char **dirs, size_t i, const char *name, const char *base, int several,
                       const command_options *opt, folders *locked)
{
    char dir[4096 + 256];
    if (several)
        snprintf(dir, sizeof dir, "%s/%s", base, name);
    else if (opt->output_dir)
        snprintf(dir, sizeof dir, "%s", base);
    else
        snprintf(dir, sizeof dir, "out/%s", name);
    if (!(dirs[i] = mem_strdup(dir)) || folders_add(locked, dir) != DIAG_OK)
        return session_out_of_memory();
    return DIAG_OK;
}

/* `run` of several scenarios under MPI: each rank runs the scenarios i with i % ranks == rank
 * on its own (checkpoint_solo) into their folders, as `run` of each alone would; there is no
 * comparison folder. Returns the worst status over every rank. */
static int run_spread(char *const *files, size_t count, const command_options *opt, const char *base)
{
    int rank = checkpoint_cluster_rank(), ranks = checkpoint_cluster_size();
    char **names = mem_calloc(count, sizeof *names), **dirs = mem_calloc(count, sizeof *dirs);
    folders locked = {.no_wait = opt->no_wait};
    int worst = names && dirs ? DIAG_OK : session_out_of_memory();
    checkpoint_solo(1);
    /* every rank checks every name (the same answer everywhere), then locks its own folders */
    if (worst == DIAG_OK)
        worst = folders_scenario_names(files, count, base, NULL, names);
    for (size_t i = 0; i < count && worst == DIAG_OK; i++)
        if (names[i] && i % (size_t)ranks == (size_t)rank)
            worst = name_folder(dirs, i, names[i], base, 1, opt, &locked);
    if (worst == DIAG_OK)
        worst = folders_lock(&locked);
    for (size_t i = rank; worst == DIAG_OK && i < count; i += (size_t)ranks) {
        int status = run_one(files[i], dirs[i], opt, NULL, NULL);
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
        if (status == DIAG_INTERRUPTED)
            break;
    }
    folders_release(&locked);
    for (size_t i = 0; names && dirs && i < count; i++) {
        mem_free(dirs[i]);
        mem_free(names[i]);
    }
    mem_free(dirs);
    mem_free(names);
    checkpoint_solo(0);
    worst = checkpoint_worst(worst);
    if (rank == 0 && !opt->quiet)
        printf(_("%zu scenarios spread over %d ranks, each into %s/<name>/ (no comparison folder: run them "
                 "without MPI for one)\n"),
               count, ranks, text_safe(base));
    return worst;
}

int command_run(char *const *files, size_t count, const command_options *opt)
{
    int several = count > 1;
    char gnuplot[4096];
    if (opt->format && !opt->no_charts && !plot_gnuplot_find(gnuplot, sizeof gnuplot)) {
        /* charts were asked for by name: fail before anything is computed or written */
        fprintf(stderr,
                _("%s: error: gnuplot not found on PATH, and --format asks for charts: install gnuplot (Debian: "
                "apt-get install gnuplot-nox), or leave out --format to write the results and the .gp scripts "
                "without drawing them\n"),
                SESSION_PROGRAM);
        return DIAG_UNAVAILABLE;
    }
    /* every result folder is named, checked and locked before anything runs */
    int status;
    char base[4096] = "out";
    if (opt->output_dir &&
        (status = folders_resolve_printed(opt->output_dir, opt->follow_symlinks, base, sizeof base)) != DIAG_OK)
        return status;
    if (several && checkpoint_cluster_size() > 1)
        return run_spread(files, count, opt, base);
    char **dirs = mem_calloc(count, sizeof *dirs);
    char **names = mem_calloc(count, sizeof *names);
    run **kept = mem_calloc(count, sizeof *kept);
    goals_set **kept_goals = mem_calloc(count, sizeof *kept_goals);
    int comparison_folder = several && (!opt->no_charts || !opt->no_report);
    folders locked = {.no_wait = opt->no_wait};
    size_t kept_count = 0;
    int worst = DIAG_OK;
    if (!dirs || !names || !kept || !kept_goals) {
        worst = session_out_of_memory();
        goto out;
    }
    worst = several ? folders_scenario_names(files, count, base, comparison_folder ? COMMAND_COMPARISON_FOLDER : NULL,
                                             names)
                    : DIAG_OK;
    if (!several)
        names[0] = folders_scenario_name(files[0]);
    for (size_t i = 0; i < count && worst == DIAG_OK; i++)
        if (names[i]) /* else its run reports why it cannot be loaded */
            worst = name_folder(dirs, i, names[i], base, several, opt, &locked);
    char comparison[4096 + 64];
    snprintf(comparison, sizeof comparison, "%s/%s", base, COMMAND_COMPARISON_FOLDER);
    if (worst == DIAG_OK && comparison_folder && folders_add(&locked, comparison) != DIAG_OK)
        worst = session_out_of_memory();
    if (worst == DIAG_OK)
        worst = folders_lock(&locked);
    /* rank 0 of an MPI job alone locks the folders: when it cannot, every rank stops here
     * (rank 0 has said why) instead of waiting for it in the runs */
    diag agreed;
    diag_init(&agreed);
    worst = checkpoint_agree(worst, &agreed);
    diag_free(&agreed);
    int ready = worst == DIAG_OK; /* every folder named, checked and locked */
    for (size_t i = 0; ready && i < count; i++) {
        /* a file whose name could not be read fails to load in run_one, before any folder */
        status = run_one(files[i], dirs[i], opt, several ? &kept[kept_count] : NULL,
                         several ? &kept_goals[kept_count] : NULL);
        if (status == DIAG_OK && several)
            kept_count++;
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
        if (status == DIAG_INTERRUPTED)
            break; /* Ctrl-C stops the whole command, not just this scenario */
    }
    if (kept_count > 1 && !opt->quiet)
        print_side_by_side(kept, kept_count);
    if (kept_count > 1) {
        diag d;
        diag_init(&d);
        compare_table *table =
            compare_table_build((const run *const *)kept, (const goals_set *const *)kept_goals, kept_count, &d);
        if (table && !opt->quiet)
            compare_table_print(stdout, table);
        session_print_diag(&d);
        status = table ? DIAG_OK : d.status;
        diag_free(&d);
        if (status == DIAG_OK && comparison_folder)
            status = write_comparison(comparison, kept, kept_goals, kept_count, table, opt);
        compare_table_free(table);
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
    }
out:
    folders_release(&locked);
    for (size_t i = 0; i < kept_count; i++) {
        goals_free(kept_goals[i]);
        run_free(kept[i]);
    }
    mem_free(kept_goals);
    for (size_t i = 0; dirs && names && i < count; i++) {
        mem_free(dirs[i]);
        mem_free(names[i]);
    }
    mem_free(dirs);
    mem_free(names);
    mem_free(kept);
    return worst;
}
