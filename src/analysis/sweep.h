/* sweep.h: batch sensitivity sweeps (`econsim sweep FILE`, DESIGN §3, §6, §7): the sweep block
 * of a scenario (read by sweep_load.h), its design (grid, one-at-a-time, Monte Carlo, Sobol',
 * Morris), the model runs on every core through the block engine and the analyses
 * (sensitivity.h); the files, tables and charts are sweep_write.h's.
 *
 * The sweep block:
 *   "sweep": {
 *     "method": "sobol",                  grid | oat | montecarlo | sobol | morris
 *     "samples": 4096,                    sobol: N base rows, a power of two (N (k + 2) runs);
 *                                         montecarlo: N runs
 *     "trajectories": 10, "levels": 4,    morris: r trajectories on a p-level grid (p even)
 *     "seed": 1,                          every random choice (scramble, Monte Carlo, Morris,
 *                                         bootstrap) derives from it; default 1
 *     "scramble": true,                   sobol: digitally shifted (true, default) or plain
 *     "bootstrap": 1000, "confidence": 0.95, "threshold": 0.1,
 *                                         sobol, morris: resamples, interval level, and the
 *                                         widest interval still called converged
 *     "parameters": {NAME: SPEC, ...},    model parameters or exogenous series
 *     "outputs": ["fiscal_revenue@2025", "met:revenue-2023", "met:*"],
 *     "note": "..."
 *   }
 * Parameter specs by method:
 *   sobol, montecarlo  {"min": a, "max": b} (uniform) or any dist.h spec {"dist": ...}
 *   morris             {"min": a, "max": b} or a dist.h spec with bounded support (the grid
 *                      levels 0 and 1 are its bounds)
 *   grid               {"values": [v, ...]} or {"min": a, "max": b, "steps": n} (n >= 2 evenly
 *                      spaced values, both ends included)
 *   oat                {"low": a, "high": b} (or "min"/"max")
 * A parameter is set every year; an exogenous series is held constant from start to end
 * (years before start and observed years keep their values). Every run starts from the
 * scenario's plan with that run's values and nothing else, so no run sees another's.
 * Outputs: VARIABLE@YEAR (a variable or exogenous series, YEAR in [start, end], in its unit),
 * VARIABLE@* (one output per year from start to end, charted as indices over time),
 * met:GOAL_ID (1 when the goal of the scenario is met on that run, else 0), met:* (every goal).
 *
 * Files (DESIGN §7): samples.csv (with --samples-csv only; run,design,<parameters>,<outputs>:
 * one row per model run),
 * sensitivity.csv (columns per method, below), summary.json, charts. */
#ifndef SWEEP_H
#define SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "dist.h"
#include "engine.h"
#include "run.h"
#include "sensitivity.h"

#define SWEEP_MAX_PARAMETERS 64
#define SWEEP_MAX_OUTPUTS 512
#define SWEEP_MAX_RUNS 100000000     /* any method */
#define SWEEP_MAX_GRID_RUNS 10000000 /* a full factorial */
#define SWEEP_MAX_GRID_VALUES 10000  /* values of one grid parameter */
#define SWEEP_MAX_BOOTSTRAP 100000
#define SWEEP_DEFAULT_SEED 1
#define SWEEP_DEFAULT_BOOTSTRAP 1000
#define SWEEP_DEFAULT_CONFIDENCE 0.95
#define SWEEP_DEFAULT_THRESHOLD 0.1
#define SWEEP_DEFAULT_TRAJECTORIES 10
#define SWEEP_DEFAULT_LEVELS 4
#define SWEEP_AUTO_START 512              /* "samples": "auto" starts at this N */
#define SWEEP_AUTO_MAX ((size_t)1 << 20)  /* and stops at this N by default */
#define SWEEP_AUTO_MAX_LIMIT ((size_t)1 << 24) /* the largest "max_samples" */

typedef enum sweep_method {
    SWEEP_GRID = 0,
    SWEEP_OAT,
    SWEEP_MONTECARLO,
    SWEEP_SOBOL,
    SWEEP_MORRIS
} sweep_method;

/* "grid", "oat", "montecarlo", "sobol", "morris". */
const char *sweep_method_name(sweep_method method);

/* One swept input. */
typedef struct sweep_parameter {
    char *name;            /* the model name */
    int slot;
    const char *label, *unit; /* the model's (owned by the model) */
    dist dist;             /* sobol, montecarlo, morris: where unit points map (dist_quantile) */
    double *values;        /* grid: the levels, in the parameter's unit */
    size_t value_count;
    double low, high;      /* oat */
    double base;           /* the scenario's value when it is the same in every year it is
                              set, else NaN (the unit's value; samples.csv shows it) */
    size_t *cells;         /* the plan cells (slot * years + t) a run sets */
    size_t cell_count;
    char json_path[JSONFILE_PATH_MAX];
} sweep_parameter;

/* One output. */
typedef struct sweep_output {
    char *name;            /* as written: "fiscal_revenue@2025", "met:revenue-2023" */
    char *label;           /* "一般公共预算收入 2025", or the goal's label */
    const char *unit;      /* the variable's unit, or "0/1" for a goal */
    int slot, year;        /* the cell read (the goal's variable and year for met:) */
    size_t cell;           /* slot * years + t */
    int is_goal;           /* 1 for met: outputs */
    int goal_growth;       /* goal of kind growth: value / previous year - 1 */
    int goal_at_most;      /* direction */
    double goal_target;
    char *goal_id;         /* or NULL */
    int group;             /* an output written VARIABLE@* expands to one output per year of
                              the horizon (gdp@2023, gdp@2024, ...): their group number, 0, 1,
                              ... in the order written; -1 for any other output */
} sweep_output;

/* A parsed, validated sweep. */
typedef struct sweep_spec {
    sweep_method method;
    char *file;            /* the scenario file that holds the block (for messages) */
    sweep_parameter *parameters;
    size_t parameter_count;
    sweep_output *outputs;
    size_t output_count;
    size_t samples;        /* sobol: N; montecarlo: runs; morris: trajectories; grid, oat: 0 */
    unsigned levels;       /* morris */
    unsigned long seed;
    int scramble;          /* sobol */
    size_t bootstrap;
    double confidence, threshold;
    size_t runs;           /* model runs the design needs */
    int samples_auto;      /* sobol "samples": "auto": sweep_execute doubles `samples` (and
                              `runs`) from SWEEP_AUTO_START until every ST interval is narrower
                              than `threshold`, or `samples_max` is reached */
    size_t samples_max;    /* "max_samples": the cap of "auto", a power of two (default
                              SWEEP_AUTO_MAX) */
    int runs_only;         /* 1: sweep_execute runs the model runs and leaves the analyses out
                              (statistics, indices, bootstrap: left zeroed), for a process whose
                              results nobody reads (the ranks of an MPI job other than 0); not
                              with samples_auto, whose doubling reads the indices */
} sweep_spec;

/* What `econsim sweep` may override on the command line. */
typedef struct sweep_overrides {
    size_t samples;        /* 0: as in the file (sobol N, montecarlo N, morris trajectories) */
    int seed_given;
    unsigned long seed;
} sweep_overrides;

/* Frees the spec; NULL is a no-op. */
void sweep_spec_free(sweep_spec *spec);

/* One sensitivity row: output o, parameter p. Fields by method (the others are NaN):
 *   sobol       first (S1) and total (ST): fractions of the output's variance, with intervals
 *   morris      mu, mu_star (with interval), sigma: output unit per the parameter's range
 *   oat         value_low, value_high: the output with the parameter at low / high
 *   montecarlo  pearson, spearman: correlations of the parameter with the output
 *   grid        range: the largest minus the least main-effect mean over its values (output
 *               unit); the main effects themselves are in sweep_result.grid_* */
typedef struct sweep_index {
    sensitivity_estimate first, total;
    double mu, sigma;
    sensitivity_estimate mu_star;
    double value_low, value_high;
    double pearson, spearman;
    double range;
} sweep_index;

/* Distribution of an output over the runs that sample the inputs (sobol: the 2N runs of A and
 * B; oat: all 2k + 1; others: every run), in the output's unit. */
typedef struct sweep_statistics {
    double mean, sd, min, p05, p25, p50, p75, p95, max;
    double base;           /* the output on the scenario's own path */
} sweep_statistics;

/* One step of "samples": "auto": the total-order indices at N base rows. */
typedef struct sweep_convergence {
    size_t samples;                /* N */
    sensitivity_estimate *total;   /* [o * k + p]: ST with its interval */
    double widest;                 /* the widest interval (high - low) over every output and
                                      parameter */
    size_t widest_output, widest_parameter;
} sweep_convergence;

typedef struct sweep_result {
    const sweep_spec *spec;  /* not owned */
    size_t runs;
    double *y;               /* [run * output_count + o], in the outputs' units */
    double *design;          /* sobol: unit points (N x 2k); morris: unit points (runs x k);
                                montecarlo: parameter values (runs x k); grid, oat: NULL (built
                                from the run index) */
    uint64_t design_hash;    /* FNV-1a 64 of every run's parameter values (sweep_point, as
                                little-endian IEEE doubles; NaN for "scenario value"), in run order */
    sweep_index *indices;    /* [o * k + p] */
    sweep_statistics *statistics; /* [o] */
    double *grid_mean, *grid_min, *grid_max; /* grid: [o * grid_levels + offset_p + l] */
    size_t grid_levels;      /* grid: sum of the parameters' value counts */
    sweep_convergence *convergence; /* "auto": the steps, N doubling; NULL otherwise */
    size_t convergence_steps;
    int converged;           /* "auto": 1 when the last step's widest interval is below the
                                threshold (else the cap or the memory budget stopped it) */
    int threads;             /* threads the model runs used */
    double run_seconds, analysis_seconds; /* wall-clock times (for benchmarks; never in files) */
} sweep_result;

/* "samples": "auto" (spec->samples_auto): runs the Sobol' design at N = SWEEP_AUTO_START,
 * then doubles N, running only the new rows (the first N rows of the 2N-point Sobol'
 * sequence are the N-point sequence, so earlier runs are reused, never re-run), until the
 * widest 95% interval of every total-order index is below spec->threshold, N reaches
 * spec->samples_max, or the next doubling would exceed the memory budget (a warning in d).
 * Updates spec->samples and spec->runs to the N reached, and records every step in the
 * result's convergence. Otherwise as sweep_execute. */
int sweep_execute_auto(sweep_spec *spec, const run *r, int threads, const engine_progress *progress,
                       sweep_result **out, diag *d);

/* Runs the design on the block engine (threads: 0 = every core; progress: NULL for none) and
 * the analyses. Checks the memory the results need against the engine's budget first. Every
 * output of every run must be finite: a run that gives NaN or infinity stops the sweep with
 * DIAG_DATA naming the run, its parameter values and the output. DIAG_INTERRUPTED when
 * Ctrl-C stopped it. The result points to spec (keep spec alive). Returns a DIAG_ status;
 * *out is set only on DIAG_OK. */
int sweep_execute(const sweep_spec *spec, const run *r, int threads, const engine_progress *progress,
                  sweep_result **out, diag *d);

/* Frees a result; NULL is a no-op. */
void sweep_result_free(sweep_result *res);

/* The parameter values x[k] of run `run` (each in its parameter's unit). NaN means that the
 * run keeps the scenario's own values for that parameter (oat: the base run, and every
 * parameter but the one moved). */
void sweep_point(const sweep_result *res, size_t run, double *x);

/* The order of the parameters for output o, most influential first: by ST (sobol), mu*
 * (morris), |value_high - value_low| (oat), |spearman| (montecarlo), main-effect range (grid).
 * Ties keep the order of the sweep block. order[k]. */
void sweep_ranking(const sweep_result *res, size_t o, size_t *order);

#endif
