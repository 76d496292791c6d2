/* main.c: the command line. Only this file reads argv: it parses the options (getopt_long),
 * checks how many files each command takes, and calls the command's entry point in the
 * pipeline (command.h), whose status becomes the exit code (DESIGN §4 rule 7).
 *
 *   econsim run FILE... [-o DIR] [--format F] [--no-charts] [--paths N] [--seed N] [--threads N]
 *   econsim solve FILE [--goal ID]... [-o DIR]
 *   econsim peers FILE... [-o DIR]          (compare: its old name, kept as an alias)
 *   econsim init NAME [--from SCENARIO] [--county PLACE]
 *   econsim sweep FILE [-o DIR] [--samples N] [--samples-csv] [--seed N] [--threads N]
 *   econsim backtest FILE [--origins A-B] [--horizons A-B] [--as-of YEAR] [-o DIR]
 *   econsim check FILE...
 *   econsim list MODEL|SCENARIO
 *   econsim explain SCENARIO [VARIABLE]
 *   econsim help [COMMAND] | --help | --version
 *
 * The work of each command (loading, locking the result folders, analysing, writing,
 * printing) lives in src/pipeline/; this file turns arguments into one call per command and
 * holds the help texts. */
#include "charts.h"
#include "command.h"
#include "diag.h"
#include "engine.h"
#include "i18n.h"
#include "session.h"
#include "text.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

static const char *program = SESSION_PROGRAM;

/* ---------------------------------------------------------------------------------------- */
/* Options shared by the commands (command.h: command_options)                                */

/* Which options a command takes (bits). */
enum {
    TAKES_OUTPUT = 1 << 0,
    TAKES_CHARTS = 1 << 1, /* --format, --no-charts, --size */
    TAKES_PATHS = 1 << 2,
    TAKES_SAMPLES = 1 << 3,
    TAKES_THREADS = 1 << 4,
    TAKES_SEED = 1 << 5,
    TAKES_GOAL = 1 << 6,
    TAKES_AS_OF = 1 << 7,
    TAKES_RANGES = 1 << 8, /* --origins, --horizons */
    TAKES_INIT = 1 << 9,   /* --from SCENARIO, --county */
    TAKES_FROM = 1 << 10,  /* --from YEAR (solve) */
    TAKES_REPORT = 1 << 11, /* --report, --no-report, --pdf */
    TAKES_RESUME = 1 << 12  /* --resume, --checkpoint */
};

enum {
    OPT_QUIET = 1000, OPT_HELP, OPT_FORMAT, OPT_NO_CHARTS, OPT_PATHS, OPT_SAMPLES, OPT_THREADS, OPT_SEED, OPT_GOAL,
    OPT_NO_WAIT, OPT_FOLLOW_SYMLINKS, OPT_AS_OF, OPT_ORIGINS, OPT_HORIZONS, OPT_FROM, OPT_COUNTY, OPT_REPORT, OPT_NO_REPORT, OPT_PDF, OPT_SAMPLES_CSV,
    OPT_RESUME, OPT_CHECKPOINT, OPT_SIZE
};

/* The years --as-of accepts (those of observations and scenarios). */
#define AS_OF_MIN_YEAR 1900
#define AS_OF_MAX_YEAR 2200

/* What a command with max_files takes, for the message when it is given more. */
enum { ACCEPTS_ANY, ACCEPTS_ONE_FILE, ACCEPTS_ONE_NAME, ACCEPTS_SCENARIO_VARIABLE };

/* A command: its options, how many files it takes, and the pipeline's entry point. */
typedef struct command {
    const char *name;
    int (*call)(char *const *files, size_t count, const command_options *opt); /* NULL: help */
    unsigned takes;        /* TAKES_ bits */
    size_t max_files;      /* 0: any number (at least one) */
    int accepts;           /* what it takes, for the message when given more: ACCEPTS_ */
    const char *synopsis;
    const char *help;
} command;

static int usage_error(const char *command_name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *command_name, const char *fmt, ...)
{
    /* the message quotes what was typed: shown escaped, like every text printed (text.h) */
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: ", program);
    text_print(stderr, message, 0);
    fprintf(stderr, _("\nTry '%s help %s'.\n"), program, text_safe(command_name));
    return DIAG_USAGE;
}

static int print_command_help(const char *name);

/* Parses a whole number in [min, max] for an option; returns 1 on success. */
static int parse_count(const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

/* Parses "WIDTHxHEIGHT" (or "WIDTH,HEIGHT"), each a whole number of pixels in
 * CHARTS_MIN_SIZE..CHARTS_MAX_SIZE; returns 1 on success. */
static int parse_size(const char *text, int *width, int *height)
{
    char *end;
    errno = 0;
    long w = strtol(text, &end, 10);
    if (errno || end == text || (*end != 'x' && *end != 'X' && *end != ','))
        return 0;
    const char *second = end + 1;
    long h = strtol(second, &end, 10);
    if (errno || end == second || *end || w < CHARTS_MIN_SIZE || w > CHARTS_MAX_SIZE || h < CHARTS_MIN_SIZE ||
        h > CHARTS_MAX_SIZE)
        return 0;
    *width = (int)w;
    *height = (int)h;
    return 1;
}

/* Parses "A-B" (or "A", meaning A-A) of whole numbers in [min, max] with A <= B; returns 1 on
 * success. */
static int parse_range(const char *text, long min, long max, int *from, int *to)
{
    char *end;
    errno = 0;
    long a = strtol(text, &end, 10), b = a;
    if (errno || end == text)
        return 0;
    if (*end == '-') {
        const char *second = end + 1;
        b = strtol(second, &end, 10);
        if (errno || end == second)
            return 0;
    }
    if (*end || a < min || b > max || a > b)
        return 0;
    *from = (int)a;
    *to = (int)b;
    return 1;
}

/* Sets option c (getopt_long's answer; its value in optarg, as typed in option_text) in opt.
 * Returns DIAG_OK (*help set after --help was printed) or DIAG_USAGE after the message. */
static int set_option(const char *name, int c, const char *option_text, command_options *opt, int *help)
{
    long value;
    switch (c) {
    case 'o':
        opt->output_dir = optarg;
        break;
    case 'q':
    case OPT_QUIET:
        opt->quiet = 1;
        break;
    case OPT_FORMAT:
        if (strcmp(optarg, "png") && strcmp(optarg, "svg") && strcmp(optarg, "pdf"))
            return usage_error(name, _("--format must be png, svg or pdf, not '%s'"), optarg);
        opt->format = optarg;
        break;
    case OPT_NO_CHARTS:
        opt->no_charts = 1;
        break;
    case OPT_SIZE:
        if (!parse_size(optarg, &opt->chart_width, &opt->chart_height))
            return usage_error(name, _("--size must be WIDTHxHEIGHT in pixels, each from %d to %d (e.g. 2000x1200), not '%s'"),
                               CHARTS_MIN_SIZE, CHARTS_MAX_SIZE, optarg);
        break;
    case OPT_PATHS:
        if (!parse_count(optarg, 2, 100000000L, &opt->paths))
            return usage_error(name,
                               _("--paths must be a whole number from 2 to 100000000 (quantiles need at least two "
                               "paths), not '%s'"),
                               optarg);
        break;
    case OPT_SAMPLES:
        if (!parse_count(optarg, 1, 100000000L, &opt->samples))
            return usage_error(name, _("--samples must be a whole number from 1 to 100000000, not '%s'"), optarg);
        break;
    case OPT_THREADS:
        if (!parse_count(optarg, 1, 1024, &opt->threads))
            return usage_error(name, _("--threads must be a whole number from 1 to 1024, not '%s'"), optarg);
        break;
    case OPT_SEED:
        if (!parse_count(optarg, 0, 2147483647L, &value))
            return usage_error(name, _("--seed must be a whole number from 0 to 2147483647, not '%s'"), optarg);
        opt->seed = (unsigned long)value;
        opt->seed_given = 1;
        break;
    case OPT_GOAL:
        if (opt->goal_count >= COMMAND_MAX_GOALS)
            return usage_error(name, _("at most %d --goal options"), COMMAND_MAX_GOALS);
        opt->goals[opt->goal_count++] = optarg;
        break;
    case OPT_NO_WAIT:
        opt->no_wait = 1;
        break;
    case OPT_SAMPLES_CSV:
        opt->samples_csv = 1;
        break;
    case OPT_AS_OF:
        if (!parse_count(optarg, AS_OF_MIN_YEAR, AS_OF_MAX_YEAR, &value))
            return usage_error(name, _("--as-of must be a year from %d to %d, not '%s'"), AS_OF_MIN_YEAR,
                               AS_OF_MAX_YEAR, optarg);
        opt->as_of = (int)value;
        break;
    case OPT_FOLLOW_SYMLINKS:
        opt->follow_symlinks = 1;
        break;
    case OPT_FROM:
        if (strcmp(name, "solve")) { /* init: the scenario to start from */
            opt->from = optarg;
            break;
        }
        if (!parse_count(optarg, AS_OF_MIN_YEAR, AS_OF_MAX_YEAR, &value))
            return usage_error(name, _("--from must be a year from %d to %d, not '%s'"), AS_OF_MIN_YEAR, AS_OF_MAX_YEAR,
                               optarg);
        opt->solve_from = (int)value;
        break;
    case OPT_COUNTY:
        opt->county = optarg;
        break;
    case OPT_ORIGINS:
        if (!parse_range(optarg, AS_OF_MIN_YEAR, AS_OF_MAX_YEAR, &opt->origin_from, &opt->origin_to))
            return usage_error(name, _("--origins must be a year or a range of years like 2015-2022 (from %d to %d), "
                               "not '%s'"), AS_OF_MIN_YEAR, AS_OF_MAX_YEAR, optarg);
        break;
    case OPT_HORIZONS:
        if (!parse_range(optarg, 1, 30, &opt->horizon_from, &opt->horizon_to))
            return usage_error(name, _("--horizons must be a number of years ahead or a range like 1-5 (from 1 to 30), "
                               "not '%s'"), optarg);
        break;
    case OPT_REPORT:
        opt->no_report = 0;
        break;
    case OPT_NO_REPORT:
        opt->no_report = 1;
        break;
    case OPT_PDF:
        opt->pdf = 1;
        break;
    case OPT_RESUME:
        opt->resume = 1;
        break;
    case OPT_CHECKPOINT:
        opt->checkpoint = 1;
        break;
    case OPT_HELP:
        print_command_help(name);
        *help = 1;
        return DIAG_OK;
    case ':':
        return usage_error(name, _("option '%s' needs a value"), option_text);
    default:
        return usage_error(name, _("unknown option '%s'"), option_text);
    }
    return DIAG_OK;
}

/* Parses the options of a command into opt; `takes` says which it accepts. The files follow
 * from argv[optind]. Returns DIAG_OK (with *help set after --help was printed: the command
 * then does nothing) or DIAG_USAGE after the message. */
static int parse_options(const char *name, int argc, char **argv, unsigned takes, command_options *opt, int *help)
{
    static const struct option long_options[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"no-charts", no_argument, NULL, OPT_NO_CHARTS},
        {"size", required_argument, NULL, OPT_SIZE},
        {"paths", required_argument, NULL, OPT_PATHS},
        {"samples", required_argument, NULL, OPT_SAMPLES},
        {"samples-csv", no_argument, NULL, OPT_SAMPLES_CSV},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"goal", required_argument, NULL, OPT_GOAL},
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"origins", required_argument, NULL, OPT_ORIGINS},
        {"horizons", required_argument, NULL, OPT_HORIZONS},
        {"from", required_argument, NULL, OPT_FROM},
        {"county", required_argument, NULL, OPT_COUNTY},
        {"report", no_argument, NULL, OPT_REPORT},
        {"no-report", no_argument, NULL, OPT_NO_REPORT},
        {"pdf", no_argument, NULL, OPT_PDF},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"checkpoint", no_argument, NULL, OPT_CHECKPOINT},
        {NULL, 0, NULL, 0},
    };
    memset(opt, 0, sizeof *opt);
    *help = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:q", long_options, NULL)) != -1) {
        /* the option itself: "--paths 5" consumed two words, "--paths=5" one */
        const char *option_text = optarg && optind >= 2 && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
        unsigned needs = c == 'o' || c == OPT_NO_WAIT || c == OPT_FOLLOW_SYMLINKS ? TAKES_OUTPUT
                         : c == OPT_FORMAT || c == OPT_NO_CHARTS || c == OPT_SIZE ? TAKES_CHARTS
                         : c == OPT_PATHS ? TAKES_PATHS
                         : c == OPT_SAMPLES || c == OPT_SAMPLES_CSV ? TAKES_SAMPLES
                         : c == OPT_THREADS ? TAKES_THREADS
                         : c == OPT_SEED ? TAKES_SEED
                         : c == OPT_GOAL ? TAKES_GOAL
                         : c == OPT_AS_OF ? TAKES_AS_OF
                         : c == OPT_ORIGINS || c == OPT_HORIZONS ? TAKES_RANGES
                         : c == OPT_FROM ? TAKES_INIT | TAKES_FROM
                         : c == OPT_COUNTY ? TAKES_INIT
                         : c == OPT_REPORT || c == OPT_NO_REPORT || c == OPT_PDF ? TAKES_REPORT
                         : c == OPT_RESUME || c == OPT_CHECKPOINT ? TAKES_RESUME : 0;
        if (needs && !(takes & needs))
            return usage_error(name, _("%s does not take option '%s'"), name, option_text);
        int status = set_option(name, c, option_text, opt, help);
        if (status != DIAG_OK || *help)
            return status;
    }
    if (opt->pdf && opt->no_report)
        return usage_error(name, _("--pdf prints report.html, which --no-report leaves out: give one of them"));
    if (optind >= argc)
        return usage_error(name, takes & TAKES_INIT ? _("%s needs a NAME") : _("%s needs at least one FILE"), name);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The commands: options and files checked here, the work done in the pipeline (command.h)    */

/* The entry points that take one file, or a file and a word, as the table below calls them
 * (count was checked against max_files). */

static int call_solve(char *const *files, size_t count, const command_options *opt)
{
    (void)count;
    return command_solve(files[0], opt);
}

static int call_sweep(char *const *files, size_t count, const command_options *opt)
{
    (void)count;
    return command_sweep(files[0], opt);
}

static int call_backtest(char *const *files, size_t count, const command_options *opt)
{
    (void)count;
    return command_backtest(files[0], opt);
}

static int call_list(char *const *files, size_t count, const command_options *opt)
{
    (void)count, (void)opt;
    return command_list(files[0]);
}

static int call_init(char *const *files, size_t count, const command_options *opt)
{
    (void)count;
    return command_init(files[0], opt);
}

static int call_explain(char *const *files, size_t count, const command_options *opt)
{
    (void)opt;
    return command_explain(files[0], count == 2 ? files[1] : NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* help                                                                                       */


static const command commands[] = {
    {"run", command_run,
     TAKES_OUTPUT | TAKES_CHARTS | TAKES_PATHS | TAKES_THREADS | TAKES_SEED | TAKES_AS_OF | TAKES_REPORT | TAKES_RESUME, 0,
     ACCEPTS_ANY,
     "run FILE... [-o DIR] [--format png|svg|pdf] [--size WxH] [--no-charts] [--no-report] [--pdf] [--paths N] [--seed N] [--threads N] [--as-of YEAR] [--checkpoint] [--resume] [--no-wait] [--follow-symlinks] [--quiet]",
     N_("Runs each scenario FILE: projects every variable from start to end, prints the table and\n"
     "writes projection.csv and summary.json into DIR (default out/<name>/). With several FILEs,\n"
     "each scenario gets DIR/<name>/ and their comparison DIR/comparison/ (DIR defaults to out).\n"
     "Each result folder is replaced whole by the run (only a new or empty folder, or one that\n"
     "econsim wrote, is replaced).\n\n"
     "  -o, --output DIR   where to write the results\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  -q, --quiet        print nothing but errors and warnings\n"
     "  --paths N          run an ensemble of N paths (overrides the scenario's uncertainty.paths);\n"
     "                     writes ensemble.csv and the probability of each goal\n"
     "  --seed N           the ensemble's seed (overrides uncertainty.seed; default 1)\n"
     "  --threads N        threads for the ensemble, and gnuplot processes at once (default:\n"
     "                     every core); results are the same for any N\n"
     "  --format F         charts as png, svg or pdf (default: the scenario's charts.format, else\n"
     "                     png); with --format, a missing gnuplot is an error (exit 69)\n"
     "  --size WxH         charts of W x H pixels, e.g. 2000x1200 for slides (default: the\n"
     "                     scenario's charts.size, else 1000x600); fonts and lines scale with it\n"
     "  --no-charts        write no charts (report.html then has the tables only)\n"
     "  --as-of YEAR       use only the observations of years up to YEAR (overrides the\n"
     "                     scenario's \"as_of\"): the projection made with the data of YEAR\n"
     "  --no-report        write no report.html and workbook.xlsx (--report: write them, the\n"
     "                     default)\n"
     "  --pdf              also print report.html to report.pdf with headless Chromium (skipped\n"
     "                     with a warning when Chromium is missing; ECONSIM_CHROMIUM_TIMEOUT\n"
     "                     seconds at most, default 90)\n"
     "  --checkpoint       save the ensemble chunk by chunk in DIR.checkpoints/, for --resume (an\n"
     "                     ensemble takes seconds: it is not saved unless asked); removed once\n"
     "                     the results are written\n"
     "  --resume           continue a run that was killed from DIR.checkpoints/: the results are\n"
     "                     the bytes of an uninterrupted run (checkpoints of another scenario,\n"
     "                     model, data, design or seed are refused)\n\n"
     "report.html is one self-contained page (summary, tables, charts, assumptions) and\n"
     "workbook.xlsx the same numbers for Excel and WPS. With several FILEs, the goals of all\n"
     "are printed side by side, and DIR/comparison/ gets the combined report.html and\n"
     "workbook.xlsx.\n"
     "Charts go to DIR/charts/: one per variable (the scenario's charts.variables, else every\n"
     "variable with an observation), the goals, the peers, each NAME.png with NAME.gp beside it\n"
     "(cd DIR/charts && gnuplot NAME.gp redraws it). Several FILEs also get comparison charts in\n"
     "DIR/comparison/charts/compare-NAME.png. Without gnuplot the results and the .gp scripts are\n"
     "written and a warning says how to draw them. A chart may take ECONSIM_GNUPLOT_TIMEOUT\n"
     "seconds (default 20), all of them ECONSIM_CHARTS_BUDGET (default 600).\n")},
    {"solve", call_solve, TAKES_OUTPUT | TAKES_GOAL | TAKES_AS_OF | TAKES_FROM, 1, ACCEPTS_ONE_FILE,
     "solve FILE [--goal ID]... [--from YEAR] [--as-of YEAR] [-o DIR] [--no-wait] [--follow-symlinks] [--quiet]",
     N_("Goal seek on the whole model. With no --goal, solves each goal that names an instrument\n"
     "(\"solve\") on its own: bracketing over the instrument's [min, max], then Brent's method.\n"
     "With one --goal, that goal; with several, all of them together (GSL hybrid multiroot\n"
     "solver), each by its own instrument. Prints the instrument values and the path of the goal\n"
     "variables under them; writes goals.csv and summary.json into DIR (default\n"
     "out/<name>-solve/, a folder of its own, so the results of `run` stay as they are).\n\n"
     "  --goal ID          a goal to solve (repeatable)\n"
     "  --from YEAR        set an exogenous instrument from YEAR to the goal's year only (default:\n"
     "                     from start); the years before keep the scenario's values and the data\n"
     "  --as-of YEAR       use only the observations of years up to YEAR (overrides the\n"
     "                     scenario's \"as_of\")\n"
     "  -o, --output DIR   where to write the results\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  -q, --quiet        print nothing but errors and warnings\n")},
    {"peers", command_peers, TAKES_OUTPUT, 0, ACCEPTS_ANY,
     "peers FILE... [-o DIR] [--no-wait] [--follow-symlinks] [--quiet]",
     N_("Compares the scenario's place (history.place) with the peer counties its \"peers\" block\n"
     "names, year by year from the earliest observation to end: values with their origins\n"
     "(observed, derived, interpolated, projected, model), the rank, the gap and ratio, the years\n"
     "the order flips, the catch-up year and the growth it would take to draw level; then the\n"
     "trend fits. Peers named in data/places.json without figures are listed as \"no data yet\".\n"
     "`compare` is another name for `peers` (its old name, kept for scripts: same output). To\n"
     "compare scenarios with each other, give them all to run: `econsim run A.json B.json`.\n\n"
     "  -o, --output DIR   also write peers.csv into DIR (DIR/<name>/ with several FILEs)\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  -q, --quiet        print nothing but errors and warnings\n")},
    {"sweep", call_sweep,
     TAKES_OUTPUT | TAKES_CHARTS | TAKES_SAMPLES | TAKES_THREADS | TAKES_SEED | TAKES_AS_OF | TAKES_REPORT | TAKES_RESUME, 1,
     ACCEPTS_ONE_FILE,
     "sweep FILE [-o DIR] [--samples N] [--samples-csv] [--seed N] [--threads N] [--as-of YEAR] [--format png|svg|pdf] [--size WxH] [--no-charts] [--no-report] [--pdf] [--checkpoint] [--resume] [--no-wait] [--follow-symlinks] [--quiet]",
     N_("Runs the sensitivity sweep of the scenario's \"sweep\" block: grid, oat (one at a time),\n"
     "montecarlo, sobol or morris over model parameters and exogenous series. Prints the run\n"
     "budget first, then for each output the parameters ranked (Sobol: total index ST, with\n"
     "intervals and a flag where they have not converged). Writes sensitivity.csv, summary.json\n"
     "and charts (Sobol' bars, Morris plane, tornado, grid heatmap) into DIR (default\n"
     "out/<name>/), and samples.csv (one row per model run) only with --samples-csv.\n\n"
     "  -o, --output DIR   where to write the results\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  --samples N        sobol N (a power of two), montecarlo runs, or morris trajectories\n"
     "                     (overrides the file)\n"
     "  --samples-csv      also write samples.csv: every model run's inputs and outputs\n"
     "                     (large: 116 MB for sobol N = 262144)\n"
     "  --seed N           the seed of every random choice (overrides the file; default 1)\n"
     "  --threads N        threads (default: every core); results are the same for any N\n"
     "  --as-of YEAR       use only the observations of years up to YEAR (overrides the\n"
     "                     scenario's \"as_of\")\n"
     "  --format FORMAT    charts as png (default), svg or pdf; gnuplot is then required\n"
     "  --size WxH         charts of W x H pixels (default: charts.size, else 1000x600)\n"
     "  --no-charts        write no charts\n"
     "  --no-report        write no report.html and workbook.xlsx (--report: write them, the\n"
     "                     default)\n"
     "  --pdf              also print report.html to report.pdf with headless Chromium\n"
     "  --checkpoint       save the model runs chunk by chunk in DIR.checkpoints/ (done anyway\n"
     "                     from 100000 runs on); removed once the results are written\n"
     "  --resume           continue a sweep that was killed from DIR.checkpoints/: the results\n"
     "                     are the bytes of an uninterrupted sweep\n"
     "  -q, --quiet        print nothing but errors and warnings\n")},
    {"backtest", call_backtest, TAKES_OUTPUT | TAKES_CHARTS | TAKES_THREADS | TAKES_AS_OF | TAKES_RANGES | TAKES_REPORT,
     1, ACCEPTS_ONE_FILE,
     "backtest FILE [--origins A-B] [--horizons A-B] [--as-of YEAR] [-o DIR] [--format png|svg|pdf] [--size WxH] [--no-charts] [--no-report] [--pdf] [--no-wait] [--follow-symlinks] [--quiet]",
     N_("How far off would the scenario's model have been? For each origin year T, runs the model\n"
     "with only the observations of years up to T, from T+1 on (the deflator re-based to 1 in\n"
     "T; assumptions the scenario has not got for years before its start are carried back from\n"
     "the start and flagged), and compares each projection with the actual of later years\n"
     "(observed, or derived from an observed growth rate). Scores it against two naive\n"
     "forecasts of the same points: no change in growth (Theil's U) and a log-linear trend.\n"
     "Prints the plain answer first, then the scores by variable and years ahead. Writes\n"
     "backtest.csv (one row per point), backtest-summary.csv (n, bias, MAE, MAPE, RMSE,\n"
     "Theil's U, hit rate per variable and horizon), the hedgehog charts and summary.json into\n"
     "DIR (default out/<name>-backtest/). Errors are projection - actual.\n\n"
     "  --origins A-B      origin years (default: every year with an actual followed by a later one)\n"
     "  --horizons A-B     years ahead (default 1-5)\n"
     "  --as-of YEAR       no origin after YEAR; every observation still counts as an actual\n"
     "  -o, --output DIR   where to write the results\n"
     "  --format FORMAT    charts as png (default), svg or pdf; gnuplot is then required\n"
     "  --size WxH         charts of W x H pixels (default: charts.size, else 1000x600)\n"
     "  --no-charts        write no charts\n"
     "  --no-report        write no report.html and workbook.xlsx (--report: write them, the\n"
     "                     default)\n"
     "  --pdf              also print report.html to report.pdf with headless Chromium\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  -q, --quiet        print nothing but errors and warnings\n")},
    {"init", call_init, TAKES_INIT, 1, ACCEPTS_ONE_NAME, "init NAME [--from SCENARIO] [--county PLACE]",
     N_("Writes NAME.json (NAME.json as given when NAME ends in .json), a scenario of your own to\n"
     "edit: it extends SCENARIO (default: the shipped baseline, linzhou-baseline.json) and lists\n"
     "every parameter and exogenous series of its model as a commented example, with its unit,\n"
     "its plausible range and the value it inherits. Keys that start with _ are comments: to\n"
     "set an assumption, remove the _ in front of its name and edit the values. The file\n"
     "passes check and runs as written. An existing file is never overwritten (exit 73).\n"
     "SCENARIO is a path, or a name found on the search path (ECONSIM_PATH, then the\n"
     "installed scenarios).\n\n"
     "  --from SCENARIO    the scenario to start from\n"
     "  --county PLACE     the place whose observations the scenario uses (history.place),\n"
     "                     one of the places in the observations file\n")},
    {"check", command_check, 0, 0, ACCEPTS_ANY, "check FILE...",
     N_("Validates model and scenario files without running them: JSON syntax, keys, types, names,\n"
     "equations, dependency cycles, years, and the inputs every equation needs. A scenario is\n"
     "checked together with the model and history it names.\n")},
    {"list", call_list, 0, 1, ACCEPTS_ONE_FILE, "list MODEL|SCENARIO",
     /* xgettext:no-c-format */
     N_("Lists the parameters, exogenous series and variables of a model, each with its label, unit,\n"
     "plausible range (declared min/max; the default -50% to 100% for a growth rate without any;\n"
     "none otherwise), its value or equation, and its note. For a scenario, also every parameter\n"
     "and exogenous series resolved year by year from start to end, as the run will use them\n"
     "(* set by the scenario, o observed, - the model's value), and the scenario's bounds.\n")},
    {"explain", call_explain, 0, 2, ACCEPTS_SCENARIO_VARIABLE, "explain SCENARIO [VARIABLE]",
     N_("Shows the scenario as resolved after extends: for every parameter, exogenous series and\n"
     "initial value, each year's value with the file and JSON path that set it (or the\n"
     "observations line) and the note that goes with that value. A base's note is never shown\n"
     "for a year a child overrides. VARIABLE (a name or a label) explains that one only.\n")},
    {"help", NULL, 0, 0, ACCEPTS_ANY, "help [COMMAND]", N_("Shows the commands, or the help of one command.\n")},
};

static const size_t command_count = sizeof commands / sizeof commands[0];

/* Old names kept so that existing scripts run unchanged (same output): name -> command. */
static const struct {
    const char *alias, *name;
} command_aliases[] = {
    {"compare", "peers"},
};

/* The command called `name` (or one of its aliases), or NULL. */
static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof command_aliases / sizeof command_aliases[0]; i++)
        if (!strcmp(command_aliases[i].alias, name))
            name = command_aliases[i].name;
    for (size_t i = 0; i < command_count; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *out)
{
    fprintf(out, _("econsim %s: economic scenario simulator for county planners\n\nUsage:\n"), ECONSIM_VERSION);
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %s %s\n", program, commands[i].synopsis);
    fprintf(out, "  %s --help | --version\n\n", program);
    fputs(_("run A.json B.json compares scenarios side by side; peers compares a county with its peer\n"
            "counties (compare is its old name, kept as an alias).\n"), out);
    fputs(_("Options of every command: --lang zh|en, the language of messages, tables, charts and report\n"
            "(default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG; a C or POSIX locale means English).\n"), out);
    /* TRANSLATORS: %% is a percent sign */
    fprintf(out, _("Exit codes: 0 ok, 64 usage, 65 bad data, 66 missing input, 69 gnuplot unavailable,\n"
                   "70 internal or numerical failure, 73 cannot create output, 74 I/O error, 130 interrupted (Ctrl-C, SIGTERM).\n"
                   "Money is in 亿元 (10^8 yuan); rates are fractions (0.08) or strings like \"8%%\".\n"));
}

static int print_command_help(const char *name)
{
    const command *c = find_command(name);
    if (c) {
        printf(_("Usage: %s %s\n\n"), program, c->synopsis);
        fputs(_(c->help), stdout);
        return DIAG_OK;
    }
    fprintf(stderr, _("%s: no such command '%s'\n"), program, text_safe(name));
    return DIAG_USAGE;
}

/* Runs command c on its arguments (argv[0] is its name): parses its options, checks how many
 * files it was given and calls its entry point; --help prints its help instead. */
static int dispatch(const command *c, int argc, char **argv)
{
    if (!c->call) { /* help [COMMAND] */
        if (argc >= 2)
            return print_command_help(argv[1]);
        print_usage(stdout);
        return DIAG_OK;
    }
    command_options opt;
    int help, status = parse_options(c->name, argc, argv, c->takes, &opt, &help);
    if (status != DIAG_OK || help)
        return status;
    int count = argc - optind;
    if (c->max_files && (size_t)count > c->max_files) {
        if (c->accepts == ACCEPTS_ONE_NAME)
            return usage_error(c->name, _("%s takes one NAME, not %d"), c->name, count);
        if (c->accepts == ACCEPTS_SCENARIO_VARIABLE)
            return usage_error(c->name, _("%s takes a SCENARIO and at most one VARIABLE, not %d words"), c->name, count);
        return usage_error(c->name, _("%s takes one FILE, not %d"), c->name, count);
    }
    return c->call(argv + optind, (size_t)count, &opt);
}

/* ---------------------------------------------------------------------------------------- */

/* Takes --lang zh|en (or --lang=zh) out of argv, wherever it stands before "--", and chooses
 * the language (i18n.h) before anything is printed. Returns DIAG_OK or DIAG_USAGE after the
 * message. */
static int take_language_option(int *argc, char **argv)
{
    i18n_language language;
    const char *value = NULL;
    int given = 0, bad = 0;
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(argv[i], "--lang")) {
            value = i + 1 < *argc ? argv[++i] : NULL;
            given = 1;
        } else if (!strncmp(argv[i], "--lang=", 7)) {
            value = argv[i] + 7;
            given = 1;
        } else {
            argv[out++] = argv[i];
            continue;
        }
        bad = bad || !i18n_parse_language(value, &language);
    }
    argv[out] = NULL;
    *argc = out;
    if (!given) {
        i18n_setup(NULL);
        return DIAG_OK;
    }
    if (bad) {
        i18n_setup(NULL);
        fprintf(stderr, _("%s: --lang must be zh or en, not '%s'\n"), program, value ? text_safe(value) : "");
        return DIAG_USAGE;
    }
    i18n_setup(&language);
    return DIAG_OK;
}

#ifdef ECONSIM_MAIN_NAME /* build/econsim-mpi: src/mpi/main_mpi.c calls it after MPI_Init_thread */
int ECONSIM_MAIN_NAME(int argc, char **argv);
#define main ECONSIM_MAIN_NAME
#endif

int main(int argc, char **argv)
{
    int status;
    session_init(); /* allocation hooks, GSL's error handler, Ctrl-C */
    if (take_language_option(&argc, argv) != DIAG_OK)
        return DIAG_USAGE;
    if (argc < 2) {
        print_usage(stderr);
        return DIAG_USAGE;
    }
    const char *memory = getenv("ECONSIM_MEMORY_MB");
    size_t budget;
    if (memory && *memory && !engine_memory_budget_parse(memory, &budget)) { /* empty: not set */
        fprintf(stderr, _("%s: ECONSIM_MEMORY_MB must be a whole number of megabytes, 1 or more, not '%s'\n"), program,
                memory);
        return DIAG_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("econsim %s\n", ECONSIM_VERSION);
        status = DIAG_OK;
        goto out;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        print_usage(stdout);
        status = DIAG_OK;
        goto out;
    }
    const command *c = find_command(argv[1]);
    if (c) {
        status = dispatch(c, argc - 1, argv + 1);
        goto out;
    }
    fprintf(stderr, _("%s: unknown command '%s'\n"), program, text_safe(argv[1]));
    print_usage(stderr);
    return DIAG_USAGE;
out:
    /* a full disk or closed pipe on stdout is an error too, not a silent success */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("%s: error: cannot write to standard output\n"), program);
        if (status == DIAG_OK)
            status = DIAG_IO;
    }
    return status;
}
