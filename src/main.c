/* main.c: the command line. Only this file reads argv, prints results and chooses the exit
 * code; everything it calls reports through a diag and returns a status (DESIGN §4 rule 7).
 *
 *   econsim run FILE... [-o DIR] [--format F] [--no-charts] [--paths N] [--seed N] [--threads N]
 *   econsim solve FILE [--goal ID]... [-o DIR]
 *   econsim compare FILE... [-o DIR]
 *   econsim sweep FILE [-o DIR] [--samples N] [--seed N] [--threads N]
 *   econsim check FILE...
 *   econsim list MODEL|SCENARIO
 *   econsim explain SCENARIO [VARIABLE]
 *   econsim help [COMMAND] | --help | --version
 *
 * The work of each command lives in the library (pipeline, goals, peers, sweep, ...); this
 * file turns arguments into calls, diagnostics into messages and statuses into exit codes. */
#include "charts_run.h"
#include "diag.h"
#include "engine.h"
#include "explain.h"
#include "ensemble.h"
#include "goals.h"
#include "goals_write.h"
#include "jsonfile.h"
#include "load.h"
#include "mem.h"
#include "model.h"
#include "output.h"
#include "peers.h"
#include "peers_write.h"
#include "pipeline.h"
#include "plot.h"
#include "report.h"
#include "run.h"
#include "sweep.h"
#include "sweep_write.h"
#include "text.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif
#ifndef ECONSIM_SHAREDIR
#define ECONSIM_SHAREDIR "/usr/local/share/econsim"
#endif

static const char *program = "econsim";

typedef struct command {
    const char *name;
    int (*handler)(int argc, char **argv);
    const char *synopsis;
    const char *help;
} command;

/* ---------------------------------------------------------------------------------------- */
/* Options shared by the commands                                                             */

typedef struct options {
    const char *output_dir; /* -o DIR */
    int quiet;              /* --quiet */
    const char *format;     /* --format png|svg|pdf (charts) */
    int no_charts;          /* --no-charts */
    long paths;             /* --paths N (ensemble), 0 when not given */
    long samples;           /* --samples N (sweep), 0 when not given */
    long threads;           /* --threads N, 0 = every core */
    unsigned long seed;     /* --seed N */
    int seed_given;
    const char *goals[64];  /* --goal ID, repeatable (solve) */
    int goal_count;
    int no_wait;            /* --no-wait: fail (73) when another run holds a result folder */
    int follow_symlinks;    /* --follow-symlinks: -o may be a symbolic link to a folder */
} options;

/* Which options a command takes (bits). */
enum {
    TAKES_OUTPUT = 1 << 0,
    TAKES_CHARTS = 1 << 1, /* --format, --no-charts */
    TAKES_PATHS = 1 << 2,
    TAKES_SAMPLES = 1 << 3,
    TAKES_THREADS = 1 << 4,
    TAKES_SEED = 1 << 5,
    TAKES_GOAL = 1 << 6
};

enum {
    OPT_QUIET = 1000, OPT_HELP, OPT_FORMAT, OPT_NO_CHARTS, OPT_PATHS, OPT_SAMPLES, OPT_THREADS, OPT_SEED, OPT_GOAL,
    OPT_NO_WAIT, OPT_FOLLOW_SYMLINKS
};

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
    fprintf(stderr, "\nTry '%s help %s'.\n", program, text_safe(command_name));
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

/* Parses the options of a command; `takes` says which it accepts. Returns DIAG_OK,
 * DIAG_USAGE, or -1 after --help was printed. */
static int parse_options(const char *name, int argc, char **argv, unsigned takes, options *opt)
{
    static const struct option long_options[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"no-charts", no_argument, NULL, OPT_NO_CHARTS},
        {"paths", required_argument, NULL, OPT_PATHS},
        {"samples", required_argument, NULL, OPT_SAMPLES},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"goal", required_argument, NULL, OPT_GOAL},
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS},
        {NULL, 0, NULL, 0},
    };
    memset(opt, 0, sizeof *opt);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:q", long_options, NULL)) != -1) {
        /* the option itself: "--paths 5" consumed two words, "--paths=5" one */
        const char *option_text = optarg && optind >= 2 && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
        unsigned needs = c == 'o' || c == OPT_NO_WAIT || c == OPT_FOLLOW_SYMLINKS ? TAKES_OUTPUT
                         : c == OPT_FORMAT || c == OPT_NO_CHARTS ? TAKES_CHARTS
                         : c == OPT_PATHS ? TAKES_PATHS
                         : c == OPT_SAMPLES ? TAKES_SAMPLES
                         : c == OPT_THREADS ? TAKES_THREADS
                         : c == OPT_SEED ? TAKES_SEED
                         : c == OPT_GOAL ? TAKES_GOAL : 0;
        if (needs && !(takes & needs))
            return usage_error(name, "%s does not take option '%s'", name, option_text);
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
                return usage_error(name, "--format must be png, svg or pdf, not '%s'", optarg);
            opt->format = optarg;
            break;
        case OPT_NO_CHARTS:
            opt->no_charts = 1;
            break;
        case OPT_PATHS:
            if (!parse_count(optarg, 2, 100000000L, &opt->paths))
                return usage_error(name,
                                   "--paths must be a whole number from 2 to 100000000 (quantiles need at least two "
                                   "paths), not '%s'",
                                   optarg);
            break;
        case OPT_SAMPLES:
            if (!parse_count(optarg, 1, 100000000L, &opt->samples))
                return usage_error(name, "--samples must be a whole number from 1 to 100000000, not '%s'", optarg);
            break;
        case OPT_THREADS:
            if (!parse_count(optarg, 1, 1024, &opt->threads))
                return usage_error(name, "--threads must be a whole number from 1 to 1024, not '%s'", optarg);
            break;
        case OPT_SEED:
            if (!parse_count(optarg, 0, 2147483647L, &value))
                return usage_error(name, "--seed must be a whole number from 0 to 2147483647, not '%s'", optarg);
            opt->seed = (unsigned long)value;
            opt->seed_given = 1;
            break;
        case OPT_GOAL:
            if (opt->goal_count >= 64)
                return usage_error(name, "at most %d --goal options", 64);
            opt->goals[opt->goal_count++] = optarg;
            break;
        case OPT_NO_WAIT:
            opt->no_wait = 1;
            break;
        case OPT_FOLLOW_SYMLINKS:
            opt->follow_symlinks = 1;
            break;
        case OPT_HELP:
            print_command_help(name);
            return -1;
        case ':':
            return usage_error(name, "option '%s' needs a value", option_text);
        default:
            return usage_error(name, "unknown option '%s'", option_text);
        }
    }
    if (optind >= argc)
        return usage_error(name, "%s needs at least one FILE", name);
    return DIAG_OK;
}

/* An input named relative to the source tree is also looked for in the installed share
 * folder, so `econsim run scenarios/linzhou-baseline.json` works from any directory after
 * `make install`. Returns a path to use (static storage or arg itself). */
static const char *find_input(const char *arg)
{
    static char installed[4096];
    struct stat st;
    if (arg[0] == '/' || stat(arg, &st) == 0)
        return arg;
    snprintf(installed, sizeof installed, "%s/%s", ECONSIM_SHAREDIR, arg);
    if (stat(installed, &st) == 0)
        return installed;
    return arg;
}

/* Prints the warnings and errors of d, after whatever went to standard output (flushed first,
 * so the two never interleave when they go to one file), errors sorted by file and position. */
static void print_diag(diag *d)
{
    fflush(stdout);
    jsonfile_locate_diag(d);
    diag_print(d, program, stderr);
}

/* ---------------------------------------------------------------------------------------- */
/* Result folders: each one a command writes is locked before anything runs (output.h)        */

typedef struct folders {
    char **paths;         /* owned */
    output_lock **locks;  /* parallel to paths, once taken */
    size_t count;
} folders;

static void folders_release(folders *f)
{
    for (size_t i = 0; i < f->count; i++) {
        if (f->locks)
            output_lock_release(f->locks[i]);
        mem_free(f->paths[i]);
    }
    mem_free(f->paths);
    mem_free(f->locks);
    memset(f, 0, sizeof *f);
}

/* Adds a copy of path; returns 0, or -1 when out of memory. */
static int folders_add(folders *f, const char *path)
{
    char **grown = mem_realloc(f->paths, (f->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    f->paths = grown;
    if (!(f->paths[f->count] = mem_strdup(path)))
        return -1;
    f->count++;
    return 0;
}

static void wait_notice(const char *dir, void *arg)
{
    (void)arg;
    fprintf(stderr, "%s: waiting: another econsim is writing into %s; this run goes on when it ends (--no-wait: "
                    "fail instead)\n",
            program, text_safe(dir));
    fflush(stderr);
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Takes the lock of every folder, in name order (two commands that share folders then cannot
 * each hold one the other waits for), waiting unless --no-wait. Prints the error and returns
 * its status when one cannot be taken or its folder may not be replaced. */
static int folders_lock(folders *f, const options *opt)
{
    if (f->count == 0)
        return DIAG_OK; /* no folder could be named: the runs report why */
    qsort(f->paths, f->count, sizeof *f->paths, compare_paths);
    if (!(f->locks = mem_calloc(f->count ? f->count : 1, sizeof *f->locks))) {
        fprintf(stderr, "%s: error: out of memory\n", program);
        return DIAG_SOFTWARE;
    }
    for (size_t i = 0; i < f->count; i++) {
        diag d;
        diag_init(&d);
        int status = output_lock_take(f->paths[i], !opt->no_wait, wait_notice, NULL, &f->locks[i], &d);
        print_diag(&d);
        diag_free(&d);
        if (status != DIAG_OK)
            return status;
    }
    return DIAG_OK;
}

/* Writes the folder that -o names into out: as given, or what it points to under
 * --follow-symlinks (a link is refused otherwise). Prints the error and returns its status. */
static int output_option(const options *opt, char *out, size_t size)
{
    diag d;
    diag_init(&d);
    int status = output_target_resolve(opt->output_dir, opt->follow_symlinks, out, size, &d);
    print_diag(&d);
    diag_free(&d);
    return status;
}

/* Locks the one result folder of a command; the error goes to d. */
static int lock_one(folders *f, const char *dir, const options *opt, diag *d)
{
    if (folders_add(f, dir) != 0 || !(f->locks = mem_calloc(1, sizeof *f->locks)))
        return diag_oom(d, "locking the output folder");
    return output_lock_take(dir, !opt->no_wait, wait_notice, NULL, &f->locks[0], d);
}

/* output_option with the error in d, for commands that report through one. */
static int output_option_into(const options *opt, char *out, size_t size, diag *d)
{
    return output_target_resolve(opt->output_dir, opt->follow_symlinks, out, size, d);
}

/* The scenario name of a file (a copy), or NULL when it cannot be loaded: the run of that
 * file then reports why. */
static char *scenario_name_of(const char *file)
{
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(find_input(file), &d);
    char *name = s ? mem_strdup(s->name) : NULL;
    scenario_free(s);
    diag_free(&d);
    return name;
}

/* Reads the scenario names of files[0..count) into names (copies; NULL for a file that cannot
 * be loaded, whose run reports why) and, as these scenarios each write base/<name>/, checks
 * that no two share a name and none is `reserved` (a folder of the command itself; may be
 * NULL). Prints the error and returns DIAG_USAGE (DIAG_SOFTWARE when memory runs out). */
static int scenario_names(char *const *files, size_t count, const char *base, const char *reserved, char **names)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < count && status == DIAG_OK; i++) {
        if (!(names[i] = scenario_name_of(files[i])))
            continue;
        for (size_t k = 0; k < i; k++)
            if (names[k] && !strcmp(names[k], names[i])) {
                fprintf(stderr,
                        "%s: error: %s and %s are both scenario \"%s\": each scenario of one command writes "
                        "%s/<name>/, so the names must differ (change \"name\" in one of them)\n",
                        program, text_safe(files[k]), text_safe(files[i]), text_safe(names[i]), text_safe(base));
                status = DIAG_USAGE;
                break;
            }
        if (status == DIAG_OK && reserved && !strcmp(names[i], reserved)) {
            fprintf(stderr,
                    "%s: error: %s: a scenario named \"%s\" would share its folder with the comparison of the "
                    "scenarios (%s/%s/): rename it\n",
                    program, text_safe(files[i]), reserved, text_safe(base), reserved);
            status = DIAG_USAGE;
        }
    }
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* run                                                                                        */

/* Runs one scenario of `run` into result folder dir. With kept, a successful run is handed to
 * the caller (for the comparison charts of several scenarios) instead of being freed. */
static int run_one(const char *file, const char *dir, const options *opt, run **kept)
{
    diag d;
    diag_init(&d);
    pipeline_result res;
    memset(&res, 0, sizeof res);
    pipeline_options popt = {opt->format, opt->no_charts, (size_t)opt->paths, opt->seed_given, opt->seed,
                             (int)opt->threads, opt->quiet};
    int status = pipeline_analyse(&res, find_input(file), &popt, &d);
    if (status == DIAG_OK && !dir) /* the scenario loaded now but not when its folder was named */
        status = diag_error_file(&d, DIAG_SOFTWARE, file, "no output folder was locked for this scenario");
    if (status == DIAG_OK) {
        status = pipeline_write(&res, dir, &d);
        if (status == DIAG_OK && !opt->quiet)
            pipeline_print(&res, stdout);
    }
    print_diag(&d);
    diag_free(&d);
    if (status == DIAG_OK && kept)
        *kept = pipeline_keep_run(&res);
    pipeline_free(&res);
    return status;
}

/* The folder of the comparison of several scenarios, beside theirs (a scenario may not have
 * this name in such a run). */
#define COMPARISON_FOLDER "comparison"

/* Writes the comparison of several scenarios into its result folder dir (DIR/comparison/):
 * charts/compare-<variable>.png (and .gp) for the chart variables of the first, and
 * summary.json listing the scenarios (with their folders, relative to dir), the charts and
 * the warnings. */
static int write_comparison(const char *dir, run *const *runs, size_t count, const options *opt)
{
    diag d;
    diag_init(&d);
    charts_options chart_options;
    charts_list list = {0};
    cJSON *summary = NULL;
    output_batch *batch = NULL;
    if (charts_options_load(runs[0], opt->format, opt->no_charts, &chart_options, &d) != DIAG_OK)
        goto out;
    chart_options.jobs = (int)opt->threads;
    if (!chart_options.enabled || !(batch = output_batch_new(dir, &d)))
        goto out;
    if (charts_write_comparison(batch, (const run *const *)runs, count, &chart_options, &list, &d) != DIAG_OK)
        goto out;
    cJSON *scenarios = NULL;
    if (!(summary = cJSON_CreateObject()) || !cJSON_AddStringToObject(summary, "econsim_version", ECONSIM_VERSION) ||
        !(scenarios = cJSON_AddArrayToObject(summary, "scenarios"))) {
        diag_oom(&d, "building the comparison summary");
        goto out;
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
                cJSON_Delete(item);
            diag_oom(&d, "building the comparison summary");
            goto out;
        }
    }
    if (report_add_item(summary, "charts", charts_list_json(&list)) != 0 || report_add_warnings(summary, &d) != 0) {
        diag_oom(&d, "building the comparison summary");
        goto out;
    }
    if (report_write_json(batch, "summary.json", summary, &d) != DIAG_OK)
        goto out;
    if (output_batch_commit(batch, &d) == DIAG_OK && !opt->quiet)
        printf("comparison: %s/charts/\n\n", text_safe(dir));
    batch = NULL;
out:
    output_batch_abort(batch);
    cJSON_Delete(summary);
    charts_list_release(&list);
    charts_options_release(&chart_options);
    print_diag(&d);
    int status = d.status;
    diag_free(&d);
    return status;
}

static int command_run(int argc, char **argv)
{
    options opt;
    int status = parse_options("run", argc, argv, TAKES_OUTPUT | TAKES_CHARTS | TAKES_PATHS | TAKES_THREADS | TAKES_SEED, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    int several = argc - optind > 1;
    char gnuplot[4096];
    if (opt.format && !opt.no_charts && !plot_gnuplot_find(gnuplot, sizeof gnuplot)) {
        /* charts were asked for by name: fail before anything is computed or written */
        fprintf(stderr,
                "%s: error: gnuplot not found on PATH, and --format asks for charts: install gnuplot (Debian: "
                "apt-get install gnuplot-nox), or leave out --format to write the results and the .gp scripts "
                "without drawing them\n",
                program);
        return DIAG_UNAVAILABLE;
    }
    /* every result folder is named, checked and locked before anything runs */
    char base[4096] = "out";
    if (opt.output_dir && (status = output_option(&opt, base, sizeof base)) != DIAG_OK)
        return status;
    size_t count = (size_t)(argc - optind);
    char **dirs = mem_calloc(count, sizeof *dirs);
    char **names = mem_calloc(count, sizeof *names);
    run **kept = mem_calloc(count, sizeof *kept);
    folders locked = {0};
    size_t kept_count = 0;
    int worst = DIAG_OK;
    if (!dirs || !names || !kept) {
        fprintf(stderr, "%s: error: out of memory\n", program);
        worst = DIAG_SOFTWARE;
        goto out;
    }
    worst = several ? scenario_names(argv + optind, count, base, opt.no_charts ? NULL : COMPARISON_FOLDER, names)
                    : DIAG_OK;
    if (!several)
        names[0] = scenario_name_of(argv[optind]);
    for (size_t i = 0; i < count && worst == DIAG_OK; i++) {
        char dir[4096 + 256];
        if (!names[i])
            continue; /* its run reports why it cannot be loaded */
        if (several)
            snprintf(dir, sizeof dir, "%s/%s", base, names[i]);
        else if (opt.output_dir)
            snprintf(dir, sizeof dir, "%s", base);
        else
            snprintf(dir, sizeof dir, "out/%s", names[i]);
        if (worst == DIAG_OK && (!(dirs[i] = mem_strdup(dir)) || folders_add(&locked, dir) != 0)) {
            fprintf(stderr, "%s: error: out of memory\n", program);
            worst = DIAG_SOFTWARE;
        }
    }
    char comparison[4096 + 64];
    snprintf(comparison, sizeof comparison, "%s/%s", base, COMPARISON_FOLDER);
    if (worst == DIAG_OK && several && !opt.no_charts && folders_add(&locked, comparison) != 0) {
        fprintf(stderr, "%s: error: out of memory\n", program);
        worst = DIAG_SOFTWARE;
    }
    if (worst == DIAG_OK)
        worst = folders_lock(&locked, &opt);
    int ready = worst == DIAG_OK; /* every folder named, checked and locked */
    for (size_t i = 0; ready && i < count; i++) {
        /* a file whose name could not be read fails to load in run_one, before any folder */
        status = run_one(argv[optind + (int)i], dirs[i], &opt, several ? &kept[kept_count] : NULL);
        if (status == DIAG_OK && several)
            kept_count++;
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
        if (status == ENGINE_INTERRUPTED)
            break; /* Ctrl-C stops the whole command, not just this scenario */
    }
    if (kept_count > 1 && !opt.no_charts) {
        status = write_comparison(comparison, kept, kept_count, &opt);
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
    }
out:
    folders_release(&locked);
    for (size_t i = 0; i < kept_count; i++)
        run_free(kept[i]);
    for (size_t i = 0; dirs && names && i < count; i++) {
        mem_free(dirs[i]);
        mem_free(names[i]);
    }
    mem_free(dirs);
    mem_free(names);
    mem_free(kept);
    return worst;
}

/* ---------------------------------------------------------------------------------------- */
/* solve                                                                                      */

/* Finds the goals named by --goal (every goal with "solve" when none is named) into chosen[];
 * returns how many, or 0 with the error in d. */
static size_t solve_choose(const goals_set *g, const run *r, const options *opt, size_t *chosen, diag *d)
{
    size_t count = 0;
    if (opt->goal_count == 0) {
        for (size_t i = 0; i < g->count; i++)
            if (g->goals[i].solve_slot >= 0)
                chosen[count++] = i;
        if (count == 0)
            diag_error_json(d, DIAG_DATA, r->scenario->path, "$.goals",
                            "no goal names an instrument to solve for: add \"solve\" to a goal");
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
                snprintf(suggestion, sizeof suggestion, " (did you mean '%s'?)", hint);
            diag_error(d, DIAG_USAGE, "unknown goal '%s'%s; the goals of %s are: %s", opt->goals[k], suggestion,
                       r->scenario->path, list);
            return 0;
        }
        if (g->goals[index].solve_slot < 0) {
            diag_error(d, DIAG_USAGE, "goal '%s' has no \"solve\" (add one at %s: %s)", opt->goals[k],
                       g->goals[index].file, g->goals[index].json_path);
            return 0;
        }
        chosen[count++] = (size_t)index;
    }
    return count;
}

/* Writes goals.csv and summary.json (the scenario, the goals solved, each answer with the path
 * under it) into dir, atomically. */
static int write_solve(const char *dir, const run *r, const goals_set *g, const size_t *chosen, size_t count,
                       cJSON *solution, diag *d)
{
    output_batch *batch = output_batch_new(dir, d);
    if (!batch)
        return d->status;
    FILE *f = output_batch_open(batch, "goals.csv", d);
    if (!f)
        goto fail;
    goals_write_csv(f, g, r, chosen, count);
    cJSON *summary = report_summary(r);
    if (!summary || report_add_item(summary, "goals", goals_summary_json(g, r, chosen, count)) != 0 ||
        !cJSON_AddItemReferenceToObject(summary, "solve", solution) || report_add_warnings(summary, d) != 0) {
        cJSON_Delete(summary);
        diag_oom(d, "building summary.json");
        goto fail;
    }
    return report_finish_batch(batch, summary, d);
fail:
    output_batch_abort(batch);
    return d->status;
}

/* Adds one answer (the goals solved together, the instrument values and the path under them)
 * to the "solutions" array and prints it. */
static int solve_report(cJSON *solutions, const goals_set *g, const size_t *goals, const double *instrument,
                        size_t count, const run *r, int quiet, diag *d)
{
    double *values = NULL;
    if (goals_path(g, goals, instrument, count, r, &values, d) != DIAG_OK)
        return d->status;
    cJSON *path = goals_path_json(g, goals, instrument, count, r, values);
    if (!path || !cJSON_AddItemToArray(solutions, path)) {
        cJSON_Delete(path);
        mem_free(values);
        return diag_oom(d, "building summary.json");
    }
    if (!quiet) {
        printf("path under this solution:\n");
        goals_print_path(stdout, g, goals, count, r, values);
        putchar('\n');
    }
    mem_free(values);
    return DIAG_OK;
}

static int command_solve(int argc, char **argv)
{
    options opt;
    int status = parse_options("solve", argc, argv, TAKES_OUTPUT | TAKES_GOAL, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    if (argc - optind != 1)
        return usage_error("solve", "solve takes one FILE, not %d", argc - optind);
    diag d;
    diag_init(&d);
    goals_joint *joint = NULL;
    size_t *chosen = NULL;
    cJSON *solution = NULL;
    folders locked = {0};
    char dir[4096 + 16];
    load_result in = {0};
    load_scenario(find_input(argv[optind]), NULL, &in, &d);
    run *r = in.run;
    goals_set *g = in.goals;
    if (!r)
        goto out;
    /* its own folder, never inside a run's (a later run would replace it) */
    if (opt.output_dir)
        status = output_option_into(&opt, dir, sizeof dir, &d);
    else
        snprintf(dir, sizeof dir, "out/%s-solve", r->scenario->name);
    if (status != DIAG_OK || lock_one(&locked, dir, &opt, &d) != DIAG_OK)
        goto out;
    if (run_simulate(r, &d) != DIAG_OK || goals_evaluate(g, r, &d) != DIAG_OK)
        goto out;
    if (g->count == 0) {
        diag_error_json(&d, DIAG_DATA, r->scenario->path, "$",
                        "the scenario has no goals to solve: add a \"goals\" array of goals or goal files");
        goto out;
    }
    if (!(chosen = mem_calloc(g->count + (size_t)opt.goal_count, sizeof *chosen))) {
        diag_oom(&d, "solving goals");
        goto out;
    }
    size_t count = solve_choose(g, r, &opt, chosen, &d);
    if (count == 0)
        goto out;
    solution = cJSON_CreateObject();
    cJSON *solutions = solution ? cJSON_AddArrayToObject(solution, "solutions") : NULL;
    if (!solutions || !cJSON_AddStringToObject(solution, "mode", count > 1 && opt.goal_count > 1 ? "joint" : "separate")) {
        diag_oom(&d, "solving goals");
        goto out;
    }
    for (size_t k = 0; k < count; k++)
        if (goals_seek(g, chosen[k], r, &g->results[chosen[k]].seek, &d) != DIAG_OK)
            goto out;
    const scenario *s = r->scenario;
    if (opt.goal_count > 1) {
        /* several goals named: one joint solve, each goal by its own instrument */
        if (goals_solve_joint(g, chosen, count, r, &joint, &d) != DIAG_OK)
            goto out;
        goals_apply_joint(g, joint, r);
        cJSON_AddBoolToObject(solution, "converged", joint->converged);
        cJSON_AddNumberToObject(solution, "iterations", (double)joint->iterations);
        cJSON_AddNumberToObject(solution, "model_runs", joint->evaluations);
        cJSON_AddStringToObject(solution, "message", joint->message);
        if (!opt.quiet) {
            printf("%s  (%s): %zu goals solved jointly (GSL hybrids)\n", text_safe(s->title), text_safe(s->name), count);
            goals_print_solution(stdout, g, chosen, count, r);
            if (joint->converged)
                printf("converged in %zu iterations (%d model runs); every goal is met exactly.\n", joint->iterations,
                       joint->evaluations);
            else
                printf("NOT converged: %s\n", text_safe(joint->message));
        }
        if (!joint->converged)
            diag_warning(&d, "%s", joint->message);
        else if (solve_report(solutions, g, chosen, joint->instrument, count, r, opt.quiet, &d) != DIAG_OK)
            goto out;
    } else {
        /* each goal on its own */
        if (!opt.quiet)
            printf("%s  (%s): %zu goal%s solved %s(bracketing, then Brent's method)\n", text_safe(s->title),
                   text_safe(s->name), count,
                   count == 1 ? "" : "s", count == 1 ? "" : "one by one ");
        for (size_t k = 0; k < count; k++) {
            const goals_seek_result *seek = &g->results[chosen[k]].seek;
            if (!opt.quiet)
                goals_print_solution(stdout, g, &chosen[k], 1, r);
            if (seek->status != GOALS_SEEK_FOUND) {
                diag_warning(&d, "goal %s: %s", g->goals[chosen[k]].id, seek->message);
                if (!opt.quiet)
                    putchar('\n');
                continue;
            }
            if (solve_report(solutions, g, &chosen[k], &seek->required, 1, r, opt.quiet, &d) != DIAG_OK)
                goto out;
        }
    }
    if (write_solve(dir, r, g, chosen, count, solution, &d) == DIAG_OK && !opt.quiet)
        printf("results: %s/\n", text_safe(dir));
out:
    fflush(stdout); /* the answer before the warnings about it */
    print_diag(&d);
    status = d.status;
    diag_free(&d);
    folders_release(&locked);
    cJSON_Delete(solution);
    goals_joint_free(joint);
    mem_free(chosen);
    load_release(&in);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* compare                                                                                    */

/* Compares one scenario's home place with its peers; with dir, also writes dir/peers.csv. */
static int compare_one(const char *file, const char *dir, const options *opt)
{
    diag d;
    diag_init(&d);
    peers_comparison *c = NULL;
    folders locked = {0};
    load_result in = {0};
    load_scenario(find_input(file), NULL, &in, &d);
    run *r = in.run;
    if (r && !in.peers)
        diag_error_json(&d, DIAG_DATA, r->scenario->path, "$",
                        "the scenario has no \"peers\" block: add one like \"peers\": {\"places\": [\"长垣市\", "
                        "\"辉县市\"], \"variables\": [\"fiscal_revenue\"], \"growth\": \"trend\"}");
    if (r && dir && d.status == DIAG_OK)
        lock_one(&locked, dir, opt, &d);
    if (r && d.status == DIAG_OK && run_simulate(r, &d) == DIAG_OK && (c = peers_compare(r, in.peers, &d)) != NULL) {
        int written = 1;
        if (dir) {
            output_batch *batch = output_batch_new(dir, &d);
            FILE *f = batch ? output_batch_open(batch, "peers.csv", &d) : NULL;
            if (f) {
                peers_write_csv(f, c);
                written = output_batch_commit(batch, &d) == DIAG_OK;
            } else {
                output_batch_abort(batch);
                written = 0;
            }
        }
        if (written && !opt->quiet) {
            peers_print_table(stdout, c);
            if (dir)
                printf("results: %s/peers.csv\n\n", text_safe(dir));
        }
    }
    print_diag(&d);
    int status = d.status;
    diag_free(&d);
    peers_comparison_free(c);
    load_release(&in);
    folders_release(&locked);
    return status;
}

static int command_compare(int argc, char **argv)
{
    options opt;
    int status = parse_options("compare", argc, argv, TAKES_OUTPUT, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    int several = argc - optind > 1;
    int worst = DIAG_OK;
    char base[4096];
    if (opt.output_dir && (status = output_option(&opt, base, sizeof base)) != DIAG_OK)
        return status;
    size_t count = (size_t)(argc - optind);
    char **names = mem_calloc(count, sizeof *names);
    if (!names) {
        fprintf(stderr, "%s: error: out of memory\n", program);
        return DIAG_SOFTWARE;
    }
    /* each scenario in its own folder, named as `run` names it, checked before anything runs */
    if (opt.output_dir && several)
        worst = scenario_names(argv + optind, count, base, NULL, names);
    int ready = worst == DIAG_OK;
    for (size_t i = 0; ready && i < count; i++) {
        char dir[4096 + 256];
        if (opt.output_dir && several)
            snprintf(dir, sizeof dir, "%s/%s", base, names[i] ? names[i] : "scenario");
        else if (opt.output_dir)
            snprintf(dir, sizeof dir, "%s", base);
        status = compare_one(argv[optind + (int)i], opt.output_dir ? dir : NULL, &opt);
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
    }
    for (size_t i = 0; i < count; i++)
        mem_free(names[i]);
    mem_free(names);
    return worst;
}

/* ---------------------------------------------------------------------------------------- */
/* sweep                                                                                      */

/* Loads the scenario, prints the run budget, runs the sweep and writes its files in one
 * batch: an error or Ctrl-C at any point leaves nothing written. */
static int command_sweep(int argc, char **argv)
{
    options opt;
    int status = parse_options("sweep", argc, argv,
                               TAKES_OUTPUT | TAKES_CHARTS | TAKES_SAMPLES | TAKES_THREADS | TAKES_SEED, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    if (argc - optind > 1)
        return usage_error("sweep", "sweep takes one FILE, not %d", argc - optind);
    diag d;
    diag_init(&d);
    sweep_result *res = NULL;
    folders locked = {0};
    char dir[4096 + 16];
    load_options load = {.sweep = {.samples = (size_t)opt.samples, .seed_given = opt.seed_given, .seed = opt.seed},
                         .sweep_required = 1};
    load_result in = {0};
    load_scenario(find_input(argv[optind]), &load, &in, &d);
    run *r = in.run;
    const sweep_spec *spec = in.sweep;
    if (r) {
        if (opt.output_dir)
            status = output_option_into(&opt, dir, sizeof dir, &d);
        else
            snprintf(dir, sizeof dir, "out/%s", r->scenario->name);
        if (status == DIAG_OK)
            status = lock_one(&locked, dir, &opt, &d);
    }
    if (r && status == DIAG_OK)
        status = run_simulate(r, &d);
    if (status != DIAG_OK)
        spec = NULL;
    if (spec) {
        if (!opt.quiet) {
            sweep_print_budget(stdout, spec);
            fflush(stdout);
        }
        status = sweep_execute(spec, r, (int)opt.threads, opt.quiet, &res, &d);
    }
    if (res) {
        output_batch *batch = output_batch_new(dir, &d);
        charts_options chart_options;
        charts_list charts = {0};
        status = batch ? charts_options_load(r, opt.format, opt.no_charts, &chart_options, &d) : d.status;
        if (status == DIAG_OK) {
            chart_options.jobs = (int)opt.threads;
            status = sweep_write_charts(res, r, batch, &chart_options, &charts, &d);
            cJSON *charts_json = status == DIAG_OK ? charts_list_json(&charts) : NULL;
            if (status == DIAG_OK && !charts_json)
                status = diag_oom(&d, "listing charts");
            if (status == DIAG_OK)
                status = sweep_write(res, r, batch, charts_json, &d);
            charts_list_release(&charts);
            charts_options_release(&chart_options);
        }
        if (batch)
            status = status == DIAG_OK ? output_batch_commit(batch, &d) : (output_batch_abort(batch), status);
        if (status == DIAG_OK && !opt.quiet) {
            sweep_print(stdout, res, r);
            printf("\nresults: %s/\n", text_safe(dir));
        }
    }
    status = d.status;
    print_diag(&d);
    diag_free(&d);
    sweep_result_free(res);
    load_release(&in);
    folders_release(&locked);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* check                                                                                      */

typedef enum input_kind { INPUT_SCENARIO, INPUT_MODEL, INPUT_GOAL_FILE } input_kind;

/* A file with "variables" at the top is a model; one holding only "goals" (and a title or a
 * note) is a goal file; anything else is taken for a scenario, whose loader reports what is
 * wrong with it. *goal_count gets the number of goals of a goal file. */
static input_kind classify_input(const char *path, size_t *goal_count)
{
    diag d;
    diag_init(&d);
    cJSON *root = jsonfile_load(path, &d);
    input_kind kind = INPUT_SCENARIO;
    if (root && cJSON_IsObject(root)) {
        const cJSON *goals = cJSON_GetObjectItemCaseSensitive(root, "goals");
        int only_goal_keys = 1;
        for (const cJSON *c = root->child; c; c = c->next)
            only_goal_keys &= c->string && (!strcmp(c->string, "goals") || !strcmp(c->string, "title") ||
                                            !strcmp(c->string, "note"));
        if (cJSON_GetObjectItemCaseSensitive(root, "variables"))
            kind = INPUT_MODEL;
        else if (cJSON_IsArray(goals) && only_goal_keys) {
            kind = INPUT_GOAL_FILE;
            *goal_count = (size_t)cJSON_GetArraySize(goals);
        }
    }
    cJSON_Delete(root);
    diag_free(&d);
    return kind;
}

static int command_check(int argc, char **argv)
{
    options opt;
    int status = parse_options("check", argc, argv, 0, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    int worst = DIAG_OK;
    for (int i = optind; i < argc; i++) {
        const char *file = find_input(argv[i]);
        diag d;
        diag_init(&d);
        size_t goal_count = 0;
        input_kind kind = classify_input(file, &goal_count);
        if (kind == INPUT_MODEL) {
            model *m = model_load(file, &d);
            if (m && !opt.quiet)
                printf("%s: ok (model \"%s\": %zu names, %zu equations)\n", text_safe(argv[i]), text_safe(m->name),
                       m->slot_count,
                       m->order_count);
            model_free(m);
        } else if (kind == INPUT_GOAL_FILE) {
            /* its goals name model variables and years, which only a scenario that includes it
             * can check: the scenario's check reads the goal file with every location */
            if (!opt.quiet)
                printf("%s: ok as JSON (goal file: %zu goals; their variables, years and instruments are checked "
                       "with the scenario that includes it)\n",
                       text_safe(argv[i]), goal_count);
        } else {
            /* everything a run would load, every block checked: the same mistakes as `run` */
            load_result in;
            if (load_scenario(file, NULL, &in, &d) == DIAG_OK && !opt.quiet)
                printf("%s: ok (scenario \"%s\", %d-%d, model %s)\n", text_safe(argv[i]),
                       text_safe(in.run->scenario->name), in.run->scenario->start, in.run->scenario->end,
                       text_safe(in.run->model->path));
            load_release(&in);
        }
        print_diag(&d);
        if (d.status != DIAG_OK && worst == DIAG_OK)
            worst = d.status;
        diag_free(&d);
    }
    return worst;
}

/* ---------------------------------------------------------------------------------------- */
/* list and explain                                                                           */

/* `list MODEL|SCENARIO`: a model's slots; for a scenario also what it resolves to. */
static int command_list(int argc, char **argv)
{
    options opt;
    int status = parse_options("list", argc, argv, 0, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    if (argc - optind != 1)
        return usage_error("list", "list takes one FILE, not %d", argc - optind);
    const char *file = find_input(argv[optind]);
    diag d;
    diag_init(&d);
    size_t goal_count = 0;
    input_kind kind = classify_input(file, &goal_count);
    if (kind == INPUT_MODEL) {
        model *m = model_load(file, &d);
        if (m)
            explain_list_model(stdout, m);
        model_free(m);
    } else if (kind == INPUT_GOAL_FILE) {
        diag_error_file(&d, DIAG_DATA, file,
                        "this is a goal file (%zu goals): list takes a model or a scenario; its goals are read with "
                        "the scenario that names it",
                        goal_count);
    } else {
        load_result in;
        if (load_scenario(file, NULL, &in, &d) == DIAG_OK) {
            explain_list_model(stdout, in.run->model);
            explain_list_scenario(stdout, in.run);
        }
        load_release(&in);
    }
    print_diag(&d);
    status = d.status;
    diag_free(&d);
    return status;
}

/* `explain SCENARIO [VARIABLE]`: every resolved value with the file, path and note behind it. */
static int command_explain(int argc, char **argv)
{
    options opt;
    int status = parse_options("explain", argc, argv, 0, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    if (argc - optind > 2)
        return usage_error("explain", "explain takes a SCENARIO and at most one VARIABLE, not %d words",
                           argc - optind);
    diag d;
    diag_init(&d);
    load_result in;
    if (load_scenario(find_input(argv[optind]), NULL, &in, &d) == DIAG_OK) {
        int slot = -1;
        const model *m = in.run->model;
        if (argc - optind == 2 && (slot = model_resolve(m, argv[optind + 1])) < 0) {
            char hint[768];
            model_name_hint(m, argv[optind + 1], MODEL_KINDS_ALL, hint, sizeof hint);
            diag_error(&d, DIAG_USAGE, "\"%s\" is not a name or label of %s%s", argv[optind + 1], m->path, hint);
        } else {
            explain_scenario(stdout, in.run, slot);
        }
    }
    load_release(&in);
    print_diag(&d);
    status = d.status;
    diag_free(&d);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* help                                                                                       */

static int command_help(int argc, char **argv);

static const command commands[] = {
    {"run", command_run, "run FILE... [-o DIR] [--format png|svg|pdf] [--no-charts] [--paths N] [--seed N] [--threads N] [--no-wait] [--follow-symlinks] [--quiet]",
     "Runs each scenario FILE: projects every variable from start to end, prints the table and\n"
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
     "  --no-charts        write no charts\n\n"
     "Charts go to DIR/charts/: one per variable (the scenario's charts.variables, else every\n"
     "variable with an observation), the goals, the peers, each NAME.png with NAME.gp beside it\n"
     "(cd DIR/charts && gnuplot NAME.gp redraws it). Several FILEs also get comparison charts in\n"
     "DIR/comparison/charts/compare-NAME.png. Without gnuplot the results and the .gp scripts are\n"
     "written and a warning says how to draw them. A chart may take ECONSIM_GNUPLOT_TIMEOUT\n"
     "seconds (default 20), all of them ECONSIM_CHARTS_BUDGET (default 600).\n"},
    {"solve", command_solve, "solve FILE [--goal ID]... [-o DIR] [--no-wait] [--follow-symlinks] [--quiet]",
     "Goal seek on the whole model. With no --goal, solves each goal that names an instrument\n"
     "(\"solve\") on its own: bracketing over the instrument's [min, max], then Brent's method.\n"
     "With one --goal, that goal; with several, all of them together (GSL hybrid multiroot\n"
     "solver), each by its own instrument. Prints the instrument values and the path of the goal\n"
     "variables under them; writes goals.csv and summary.json into DIR (default\n"
     "out/<name>-solve/, a folder of its own, so the results of `run` stay as they are).\n\n"
     "  --goal ID          a goal to solve (repeatable)\n"
     "  -o, --output DIR   where to write the results\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  -q, --quiet        print nothing but errors and warnings\n"},
    {"compare", command_compare, "compare FILE... [-o DIR] [--no-wait] [--follow-symlinks] [--quiet]",
     "Compares the scenario's place (history.place) with the peers its \"peers\" block names,\n"
     "year by year from the earliest observation to end: values with their origins (observed,\n"
     "derived, interpolated, projected, model), the rank, the gap and ratio, the years the order\n"
     "flips, the catch-up year and the growth it would take to draw level; then the trend fits.\n"
     "Peers named in data/places.json without figures are listed as \"no data yet\".\n\n"
     "  -o, --output DIR   also write peers.csv into DIR (DIR/<name>/ with several FILEs)\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  -q, --quiet        print nothing but errors and warnings\n"},
    {"sweep", command_sweep, "sweep FILE [-o DIR] [--samples N] [--seed N] [--threads N] [--format png|svg|pdf] [--no-charts] [--no-wait] [--follow-symlinks] [--quiet]",
     "Runs the sensitivity sweep of the scenario's \"sweep\" block: grid, oat (one at a time),\n"
     "montecarlo, sobol or morris over model parameters and exogenous series. Prints the run\n"
     "budget first, then for each output the parameters ranked (Sobol: total index ST, with\n"
     "intervals and a flag where they have not converged). Writes samples.csv (one row per model\n"
     "run), sensitivity.csv, summary.json and charts (Sobol' bars, Morris plane, tornado, grid\n"
     "heatmap) into DIR (default out/<name>/).\n\n"
     "  -o, --output DIR   where to write the results\n"
     "  --no-wait          when another econsim is writing into the same result folder, stop\n"
     "                     at once (exit 73) instead of waiting for it\n"
     "  --follow-symlinks  -o may be a symbolic link: write into the folder it points to\n"
     "  --samples N        sobol N (a power of two), montecarlo runs, or morris trajectories\n"
     "                     (overrides the file)\n"
     "  --seed N           the seed of every random choice (overrides the file; default 1)\n"
     "  --threads N        threads (default: every core); results are the same for any N\n"
     "  --format FORMAT    charts as png (default), svg or pdf; gnuplot is then required\n"
     "  --no-charts        write no charts\n"
     "  -q, --quiet        print nothing but errors and warnings\n"},
    {"check", command_check, "check FILE...",
     "Validates model and scenario files without running them: JSON syntax, keys, types, names,\n"
     "equations, dependency cycles, years, and the inputs every equation needs. A scenario is\n"
     "checked together with the model and history it names.\n"},
    {"list", command_list, "list MODEL|SCENARIO",
     "Lists the parameters, exogenous series and variables of a model, each with its label, unit,\n"
     "plausible range (declared min/max; the default -50% to 100% for a growth rate without any;\n"
     "none otherwise), its value or equation, and its note. For a scenario, also every parameter\n"
     "and exogenous series resolved year by year from start to end, as the run will use them\n"
     "(* set by the scenario, o observed, - the model's value), and the scenario's bounds.\n"},
    {"explain", command_explain, "explain SCENARIO [VARIABLE]",
     "Shows the scenario as resolved after extends: for every parameter, exogenous series and\n"
     "initial value, each year's value with the file and JSON path that set it (or the\n"
     "observations line) and the note that goes with that value. A base's note is never shown\n"
     "for a year a child overrides. VARIABLE (a name or a label) explains that one only.\n"},
    {"help", command_help, "help [COMMAND]", "Shows the commands, or the help of one command.\n"},
};

static const size_t command_count = sizeof commands / sizeof commands[0];

static void print_usage(FILE *out)
{
    fprintf(out, "econsim %s: economic scenario simulator for county planners\n\nUsage:\n", ECONSIM_VERSION);
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %s %s\n", program, commands[i].synopsis);
    fprintf(out, "  %s --help | --version\n\n", program);
    fprintf(out, "Exit codes: 0 ok, 64 usage, 65 bad data, 66 missing input, 69 gnuplot unavailable,\n"
                 "70 internal or numerical failure, 73 cannot create output, 74 I/O error, 130 interrupted (Ctrl-C, SIGTERM).\n"
                 "Money is in 亿元 (10^8 yuan); rates are fractions (0.08) or strings like \"8%%\".\n");
}

static int print_command_help(const char *name)
{
    for (size_t i = 0; i < command_count; i++)
        if (!strcmp(commands[i].name, name)) {
            printf("Usage: %s %s\n\n%s", program, commands[i].synopsis, commands[i].help);
            return DIAG_OK;
        }
    fprintf(stderr, "%s: no such command '%s'\n", program, text_safe(name));
    return DIAG_USAGE;
}

static int command_help(int argc, char **argv)
{
    if (argc >= 2)
        return print_command_help(argv[1]);
    print_usage(stdout);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */

static void on_signal(int sig)
{
    /* during an ensemble or sweep the first Ctrl-C stops the engine between blocks, so the
     * run ends cleanly with nothing written; a second one (or one at any other time) ends the
     * process here, with the staging folders removed: earlier results are as they were.
     * SIGINT and SIGTERM both end with 130, as the engine's clean stop does. */
    (void)sig;
    if (engine_request_stop())
        return;
    plot_kill_running();
    output_cleanup_on_signal();
    _exit(ENGINE_INTERRUPTED);
}

int main(int argc, char **argv)
{
    int status;
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    /* once, for every module: GSL reports a failure by its status, which each caller checks
     * and turns into a message; the default handler would abort the process */
    gsl_set_error_handler_off();
    /* sigaction, not signal(): the handler stays installed and interrupted reads restart */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    if (argc < 2) {
        print_usage(stderr);
        return DIAG_USAGE;
    }
    const char *memory = getenv("ECONSIM_MEMORY_MB");
    size_t budget;
    if (memory && *memory && !engine_memory_budget_parse(memory, &budget)) { /* empty: not set */
        fprintf(stderr, "%s: ECONSIM_MEMORY_MB must be a whole number of megabytes, 1 or more, not '%s'\n", program,
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
    for (size_t i = 0; i < command_count; i++)
        if (!strcmp(commands[i].name, argv[1])) {
            status = commands[i].handler(argc - 1, argv + 1);
            goto out;
        }
    fprintf(stderr, "%s: unknown command '%s'\n", program, text_safe(argv[1]));
    print_usage(stderr);
    return DIAG_USAGE;
out:
    /* a full disk or closed pipe on stdout is an error too, not a silent success */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error: cannot write to standard output\n", program);
        if (status == DIAG_OK)
            status = DIAG_IO;
    }
    return status;
}
