/* load.h: one scenario loaded whole before anything is computed: the run (scenario, model,
 * history, plan) and every block of the scenario parsed into its typed, validated spec. Every
 * command starts here, so `check` and `run` report the same mistakes, all of them at once,
 * and the analyses (goals, peers, ensemble, sweep, charts) work from the specs alone. */
#ifndef LOAD_H
#define LOAD_H

#include <stddef.h>

#include "charts_load.h"
#include "diag.h"
#include "discover_load.h"
#include "ensemble_load.h"
#include "goals_load.h"
#include "peers_load.h"
#include "run.h"
#include "sweep_load.h"

/* What the command line sets on top of the file (zero: the file's own choice). */
typedef struct load_options {
    size_t paths;            /* --paths of `run`: an ensemble of N paths (N >= 2) */
    int seed_given;          /* --seed of `run`: the ensemble's seed */
    unsigned long seed;
    sweep_overrides sweep;   /* --samples and --seed of `sweep` */
    int sweep_required;      /* 1 for `sweep`: a scenario without a sweep block is an error */
    charts_request charts;   /* --format, --size, --no-charts */
    int as_of;               /* --as-of YEAR (or RUN_AS_OF_ALL): run_load_options.as_of */
} load_options;

/* Everything a scenario asks for, loaded. Zero it before load_scenario; release it with
 * load_release whatever happened. */
typedef struct load_result {
    run *run;                /* not simulated yet */
    goals_set *goals;        /* the goals (an empty set without any); results zeroed */
    peers_spec *peers;       /* NULL: no peers block */
    ensemble_spec *ensemble; /* NULL: no uncertainty block and no --paths */
    sweep_spec *sweep;       /* NULL: no sweep block */
    discover_spec *sweep_discover;    /* the sweep's "discover", or NULL */
    discover_spec *ensemble_discover; /* the uncertainty block's "discover", or NULL */
    charts_options charts;   /* the charts block with --format / --no-charts */
} load_result;

/* Loads the scenario at `path` with everything it names (run_load_checked) and reads every
 * block: goals and goal files (goals_load), peers (peers_load), uncertainty (ensemble_load),
 * sweep (sweep_parse), charts (charts_options_load). A mistake in one part does not stop the
 * others from being checked: every error goes to d (at most DIAG_MAX_ERRORS), sorted later by
 * file and position. Returns DIAG_OK with *out filled, or the status of the errors (a missing
 * input, 66, over bad data, 65) with nothing in *out. */
int load_scenario(const char *path, const load_options *opt, load_result *out, diag *d);

/* Frees everything and zeroes *l; a zeroed result is a no-op. */
void load_release(load_result *l);

/* What an input file is, for commands that take models as well as scenarios. */
typedef enum load_file_kind {
    LOAD_FILE_SCENARIO,  /* anything else: its loader says what is wrong with it */
    LOAD_FILE_MODEL,     /* "variables" at the top */
    LOAD_FILE_GOALS      /* only "goals" (an array), with a "title" or a "note" (and their "_en"
                            English forms) at most */
} load_file_kind;

/* Reads the JSON file at path and says what it is; a file that cannot be read or parsed is
 * taken for a scenario (whose load then reports why). *goal_count gets the number of goals of
 * a goal file (untouched otherwise). */
load_file_kind load_classify(const char *path, size_t *goal_count);

#endif
