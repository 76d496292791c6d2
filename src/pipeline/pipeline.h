/* pipeline.h: everything `econsim run` does for one scenario: load and simulate it, evaluate
 * and seek its goals, compare it with its peers, run its ensemble, then write every file in
 * one atomic batch and print the tables. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>
#include <stdio.h>

#include "charts.h"
#include "charts_load.h"
#include "diag.h"
#include "discover.h"
#include "pawnrank.h"
#include "ensemble.h"
#include "goals.h"
#include "peers.h"
#include "run.h"

/* What the command line chose for a run (0 / NULL: the scenario's own choice). */
typedef struct pipeline_options {
    charts_request charts; /* --format, --size, --no-charts */
    size_t paths;        /* ensemble paths (overrides the uncertainty block) */
    int seed_given;
    unsigned long seed;  /* ensemble seed when seed_given */
    int threads;         /* 0: every core */
    int quiet;           /* no progress bar */
    int as_of;           /* --as-of YEAR: only observations up to YEAR (0: the scenario's "as_of") */
    int report;          /* 1: also report.html and workbook.xlsx (report_files.h) */
    int pdf;             /* 1 (with report): also report.pdf through headless Chromium */
    const char *dir;     /* the result folder: its checkpoints are DIR.checkpoints/ (NULL: none) */
    int resume;          /* --resume: continue the ensemble from its checkpoints (checkpoint.h) */
    int checkpoint;      /* --checkpoint: checkpoints whatever the ensemble's size */
} pipeline_options;

/* Everything one scenario produced. Zero it before pipeline_analyse; free with
 * pipeline_free whatever happened. */
typedef struct pipeline_result {
    run *run;
    goals_set *goals;             /* the scenario's goals, evaluated and sought */
    ensemble_spec *ensemble_spec; /* the uncertainty block, or NULL: no ensemble */
    ensemble_result *ensemble;    /* its quantiles and goal probabilities */
    discover_spec *discover_spec; /* the uncertainty block's "discover", or NULL */
    discover_result *discovery;   /* its boxes, or NULL */
    pawnrank_result *pawn;        /* the shocks ranked by PAWN ("pawn"), or NULL */
    peers_spec *peers_spec;       /* the peers block, or NULL: no block */
    peers_comparison *peers;      /* its comparison, or NULL: no block */
    charts_options charts;        /* the charts block and --format/--no-charts */
    charts_list chart_list;       /* the charts written by pipeline_write */
    char dir[4096];               /* where pipeline_write wrote */
    int report, pdf;              /* the options' report and pdf */
} pipeline_result;

/* Loads the scenario at `path` with every block checked first (load_scenario: all the
 * mistakes of every file are reported before anything is computed), simulates it and runs the
 * analyses it asks for (goals and goal seek always; peers, ensemble when it has those blocks).
 * Nothing is written but the ensemble's checkpoints (DIR.checkpoints/ when opt->dir is set,
 * left open: the caller ends them with checkpoint_close once the folder is committed).
 * Returns a DIAG_ status (DIAG_INTERRUPTED after Ctrl-C in an ensemble)
 * with the errors in d. */
int pipeline_analyse(pipeline_result *res, const char *path, const pipeline_options *opt, diag *d);

/* Writes projection.csv, goals.csv, peers.csv and ensemble.csv (when there is one), the charts,
 * report.html and workbook.xlsx (and report.pdf) when the options asked for them, and
 * summary.json into folder `dir` (created when missing), all or nothing: on any error no
 * file under `dir` changes. Returns a DIAG_ status. */
int pipeline_write(pipeline_result *res, const char *dir, diag *d);

/* Prints the projection, goals, peers and ensemble tables to out. */
void pipeline_print(const pipeline_result *res, FILE *out);

/* Frees everything the result holds and zeroes it; a zeroed result is a no-op. */
void pipeline_free(pipeline_result *res);

/* Hands the run over to the caller (who frees it with run_free) and drops what points into it
 * (the peers comparison), for comparisons across scenarios. */
run *pipeline_keep_run(pipeline_result *res);

/* Hands the goals over to the caller (who frees them with goals_free), for the side-by-side
 * table of several scenarios. */
goals_set *pipeline_keep_goals(pipeline_result *res);

#endif
