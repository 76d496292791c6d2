/* command.h: one entry point per econsim command, from files to printed results.
 *
 * main.c parses the command line into a command_options and calls one of these. Each loads
 * what it needs (load.h: every mistake of every file at once), names and locks its result
 * folders before anything runs (folders.h), analyses, writes every file of a folder in one
 * batch committed at the end (results.h), prints its tables on standard output and its
 * warnings and errors on standard error (session.h). Each returns the command's exit status,
 * a DIAG_ code: the worst of its scenarios' (DIAG_INTERRUPTED after Ctrl-C). */
#ifndef COMMAND_H
#define COMMAND_H

#include <stddef.h>

/* --goal options a command takes at most. */
#define COMMAND_MAX_GOALS 64

/* The options of the command line (zero / NULL: not given). */
typedef struct command_options {
    const char *output_dir; /* -o DIR */
    int quiet;              /* --quiet: print nothing but errors and warnings */
    const char *format;     /* --format png|svg|pdf (charts) */
    int no_charts;          /* --no-charts */
    int chart_width, chart_height; /* --size WxH (charts, pixels); 0: the scenario's size */
    long paths;             /* --paths N (ensemble) */
    long samples;           /* --samples N (sweep) */
    int samples_csv;        /* --samples-csv (sweep): also write samples.csv */
    long threads;           /* --threads N; 0: every core */
    unsigned long seed;     /* --seed N, when seed_given */
    int seed_given;
    const char *goals[COMMAND_MAX_GOALS]; /* --goal ID (solve), goal_count of them */
    int goal_count;
    int no_wait;            /* --no-wait: fail (73) when another run holds a result folder */
    int follow_symlinks;    /* --follow-symlinks: -o may be a symbolic link to a folder */
    int as_of;              /* --as-of YEAR: only observations of years up to YEAR */
    int origin_from, origin_to;   /* --origins A-B (backtest); 0: the default */
    int horizon_from, horizon_to; /* --horizons A-B (backtest); 0: 1-5 */
    int solve_from;         /* --from YEAR (solve): an exogenous instrument is set from YEAR on */
    const char *from;       /* --from SCENARIO (init) */
    const char *county;     /* --county PLACE (init) */
    int no_report;          /* --no-report: no report.html, workbook.xlsx (run, sweep, backtest) */
    int pdf;                /* --pdf: also report.pdf through headless Chromium (run, sweep, backtest) */
    int resume;             /* --resume (run, sweep): continue from DIR.checkpoints/ (checkpoint.h) */
    int checkpoint;         /* --checkpoint (run, sweep): checkpoints whatever the run's size */
} command_options;

/* `run FILE...`: each scenario projected, its goals, peers and ensemble, written into
 * out/<name>/ (or -o DIR); with several, DIR/<name>/ each and their comparison charts in
 * DIR/comparison/. Fails with DIAG_UNAVAILABLE before anything runs when --format asks for
 * charts and gnuplot is missing. A Ctrl-C stops the whole command. */
int command_run(char *const *files, size_t count, const command_options *opt);

/* `solve FILE`: goal seek of the goals named by --goal (every goal with "solve" without any):
 * each on its own, or several together; prints the answers and the paths under them and
 * writes goals.csv and summary.json into out/<name>-solve/ (or -o DIR). */
int command_solve(const char *file, const command_options *opt);

/* `peers FILE...` (`compare` is another name for it): each scenario's place against its peers,
 * printed; with -o, peers.csv written into DIR (DIR/<name>/ with several files). */
int command_peers(char *const *files, size_t count, const command_options *opt);

/* `sweep FILE`: the scenario's sensitivity sweep: the run budget printed first, then the
 * ranking; sensitivity.csv, summary.json, the charts and (with --samples-csv) samples.csv
 * written into out/<name>/ (or -o DIR). */
int command_sweep(const char *file, const command_options *opt);

/* `backtest FILE`: the rolling-origin back-test of the scenario's model (backtest.h): for each
 * origin, a run with the data of that year compared with the actuals of later years; prints
 * the plain answer and the scores, and writes backtest.csv, backtest-summary.csv, the hedgehog
 * charts and summary.json into out/<name>-backtest/ (or -o DIR). --as-of limits the last
 * origin; every observation is an actual. */
int command_backtest(const char *file, const command_options *opt);

/* `check FILE...`: each model, goal file or scenario validated (a scenario with everything it
 * names, every block read), nothing run; "FILE: ok (...)" for each good one unless quiet.
 * Returns the worst status. */
int command_check(char *const *files, size_t count, const command_options *opt);

/* `list MODEL|SCENARIO`: a model's slots; for a scenario also its resolved inputs. */
int command_list(const char *file);

/* `explain SCENARIO [VARIABLE]`: every resolved value with the file, path and note behind it;
 * only that of `variable` (a name or label; NULL: all) when given. */
int command_explain(const char *file, const char *variable);

/* `init NAME`: writes NAME.json (NAME may end in .json and name a folder), a scenario that
 * extends opt->from (default: the shipped baseline, linzhou-baseline.json, found on the
 * search path) with every parameter and exogenous series of its model as a commented example
 * ("_"-prefixed key) giving its unit, plausible range and inherited value; opt->county sets
 * history.place. Never overwrites: DIAG_CANT_CREATE when the file exists. */
int command_init(const char *name, const command_options *opt);

#endif
