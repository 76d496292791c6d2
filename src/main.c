/* main.c: the command line. Only this file reads argv, prints results and chooses the exit
 * code; everything it calls reports through a diag and returns a status (DESIGN §4 rule 7).
 *
 *   econsim run FILE... [-o DIR] [--quiet]
 *   econsim check FILE...
 *   econsim help [COMMAND] | --help | --version */
#include "diag.h"
#include "jsonfile.h"
#include "mem.h"
#include "model.h"
#include "output.h"
#include "report.h"
#include "run.h"

#include <errno.h>
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

enum { OPT_QUIET = 1000, OPT_HELP, OPT_FORMAT, OPT_NO_CHARTS, OPT_PATHS, OPT_SAMPLES, OPT_THREADS, OPT_SEED, OPT_GOAL };

static int usage_error(const char *command_name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *command_name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s help %s'.\n", program, command_name);
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
        {NULL, 0, NULL, 0},
    };
    memset(opt, 0, sizeof *opt);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:q", long_options, NULL)) != -1) {
        /* the option itself: "--paths 5" consumed two words, "--paths=5" one */
        const char *option_text = optarg && optind >= 2 && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
        unsigned needs = c == 'o' ? TAKES_OUTPUT
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
            if (!parse_count(optarg, 1, 100000000L, &opt->paths))
                return usage_error(name, "--paths must be a whole number from 1 to 100000000, not '%s'", optarg);
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

static void print_diag(const diag *d)
{
    diag_print(d, program, stderr);
}

/* ---------------------------------------------------------------------------------------- */
/* run                                                                                        */

/* Everything one scenario of `run` produced. Each analysis adds its result here, writes its
 * files in write_results and its table in print_results, so a failure anywhere leaves
 * nothing written (the batch is committed once, at the end). */
typedef struct scenario_results {
    run *run;
    char dir[4096]; /* output folder */
} scenario_results;

static void results_free(scenario_results *res)
{
    run_free(res->run);
}

/* Loads and simulates one scenario and runs the analyses it asks for. */
static int analyse(scenario_results *res, const char *file, const options *opt, diag *d)
{
    (void)opt;
    res->run = run_load(find_input(file), d);
    if (!res->run)
        return d->status;
    return run_simulate(res->run, d);
}

/* Writes one scenario's files into res->dir atomically. */
static int write_results(scenario_results *res, diag *d)
{
    const run *r = res->run;
    output_batch *batch = output_batch_new(res->dir, d);
    if (!batch)
        return d->status;
    FILE *f = output_batch_open(batch, "projection.csv", d);
    if (!f)
        goto fail;
    report_projection_csv(f, r);
    cJSON *summary = report_summary(r);
    if (!summary || report_add_warnings(summary, d) != 0 || !cJSON_AddArrayToObject(summary, "charts")) {
        cJSON_Delete(summary);
        diag_oom(d, "building summary.json");
        goto fail;
    }
    char *text = cJSON_Print(summary);
    cJSON_Delete(summary);
    if (!text) {
        diag_oom(d, "printing summary.json");
        goto fail;
    }
    f = output_batch_open(batch, "summary.json", d);
    if (f) {
        fputs(text, f);
        fputc('\n', f);
    }
    mem_free(text);
    if (!f)
        goto fail;
    return output_batch_commit(batch, d);
fail:
    output_batch_abort(batch);
    return d->status;
}

/* Prints one scenario's tables on stdout. */
static void print_results(const scenario_results *res)
{
    report_projection_table(stdout, res->run);
    printf("results: %s/\n\n", res->dir);
}

static int run_one(const char *file, const char *dir_option, int several, const options *opt)
{
    diag d;
    diag_init(&d);
    scenario_results res;
    memset(&res, 0, sizeof res);
    int status = analyse(&res, file, opt, &d);
    if (status == DIAG_OK) {
        const char *name = res.run->scenario->name;
        if (dir_option && several)
            snprintf(res.dir, sizeof res.dir, "%s/%s", dir_option, name);
        else if (dir_option)
            snprintf(res.dir, sizeof res.dir, "%s", dir_option);
        else
            snprintf(res.dir, sizeof res.dir, "out/%s", name);
        status = write_results(&res, &d);
        if (status == DIAG_OK && !opt->quiet)
            print_results(&res);
    }
    print_diag(&d);
    diag_free(&d);
    results_free(&res);
    return status;
}

static int command_run(int argc, char **argv)
{
    options opt;
    int status = parse_options("run", argc, argv, TAKES_OUTPUT | TAKES_CHARTS | TAKES_PATHS | TAKES_THREADS | TAKES_SEED, &opt);
    if (status != DIAG_OK)
        return status < 0 ? DIAG_OK : status;
    int several = argc - optind > 1;
    int worst = DIAG_OK;
    for (int i = optind; i < argc; i++) {
        status = run_one(argv[i], opt.output_dir ? opt.output_dir : several ? "out" : NULL, several, &opt);
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
    }
    return worst;
}

/* ---------------------------------------------------------------------------------------- */
/* check                                                                                      */

/* A file with "variables" at the top is a model; anything else is taken for a scenario. */
static int looks_like_model(const char *path)
{
    diag d;
    diag_init(&d);
    cJSON *root = jsonfile_load(path, &d);
    int is_model = root && cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "variables");
    cJSON_Delete(root);
    diag_free(&d);
    return is_model;
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
        if (looks_like_model(file)) {
            model *m = model_load(file, &d);
            if (m && !opt.quiet)
                printf("%s: ok (model \"%s\": %zu names, %zu equations)\n", argv[i], m->name, m->slot_count,
                       m->order_count);
            model_free(m);
        } else {
            run *r = run_load(file, &d);
            if (r && !opt.quiet)
                printf("%s: ok (scenario \"%s\", %d-%d, model %s)\n", argv[i], r->scenario->name, r->scenario->start,
                       r->scenario->end, r->model->path);
            run_free(r);
        }
        print_diag(&d);
        if (d.status != DIAG_OK && worst == DIAG_OK)
            worst = d.status;
        diag_free(&d);
    }
    return worst;
}

/* ---------------------------------------------------------------------------------------- */
/* help                                                                                       */

static int command_help(int argc, char **argv);

static const command commands[] = {
    {"run", command_run, "run FILE... [-o DIR] [--quiet]",
     "Runs each scenario FILE: projects every variable from start to end, prints the table and\n"
     "writes projection.csv and summary.json into DIR (default out/<name>/). With several FILEs,\n"
     "each scenario gets DIR/<name>/ (DIR defaults to out).\n\n"
     "  -o, --output DIR   where to write the results\n"
     "  -q, --quiet        print nothing but errors and warnings\n"},
    {"check", command_check, "check FILE...",
     "Validates model and scenario files without running them: JSON syntax, keys, types, names,\n"
     "equations, dependency cycles, years, and the inputs every equation needs. A scenario is\n"
     "checked together with the model and history it names.\n"},
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
                 "70 internal or numerical failure, 73 cannot create output, 74 I/O error.\n"
                 "Money is in 亿元 (10^8 yuan); rates are fractions (0.08) or strings like \"8%%\".\n");
}

static int print_command_help(const char *name)
{
    for (size_t i = 0; i < command_count; i++)
        if (!strcmp(commands[i].name, name)) {
            printf("Usage: %s %s\n\n%s", program, commands[i].synopsis, commands[i].help);
            return DIAG_OK;
        }
    fprintf(stderr, "%s: no such command '%s'\n", program, name);
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
    output_cleanup_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    int status;
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (argc < 2) {
        print_usage(stderr);
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
    fprintf(stderr, "%s: unknown command '%s'\n", program, argv[1]);
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
