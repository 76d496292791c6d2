/* ensemble.h: uncertainty ensembles (DESIGN §6 `uncertainty`, §7 ensemble.csv): many paths of
 * one scenario under random shocks, summarised as quantiles per variable and year and as the
 * probability of meeting each goal.
 *
 * The scenario block:
 *   "uncertainty": {
 *     "paths": 10000, "seed": 7,
 *     "shocks": {
 *       "gdp_real_growth":  {"dist": "normal", "sd": "1.5%", "ar1": 0.5, "note": "..."},
 *       "revenue_buoyancy": {"dist": "normal", "sd": 0.2},
 *       "gdp_deflator_growth": {"dist": "student_t", "df": 5, "scale": 0.008, "apply": "add"}
 *     },
 *     "correlation": {"names": ["gdp_real_growth", "construction_output_growth"],
 *                     "matrix": [[1, 0.6], [0.6, 1]]},
 *     "note": "..."
 *   }
 * `paths` defaults to 10000 and `seed` to 1; `--paths` and `--seed` override them. Two more
 * keys ask for analyses of the paths: "pawn" (true or {"slices": S}: pawnrank.h) and
 * "discover" (discover.h).
 *
 * Meaning of a shock (the `dist` spec of dist.h plus the keys below):
 *   apply  "add" (default): the draw is added to the scenario's value (so a normal shock
 *          usually has mean 0, and "sd": 0.015 is +-1.5 percentage points on a rate);
 *          "multiply": the value is multiplied by the draw (e.g. lognormal with mean 1);
 *          "replace": the draw is the value itself (e.g. a buoyancy ~ truncnormal).
 *   ar1    exogenous series only, in [0, 1): persistence of the yearly shock. A parameter is
 *          drawn once per path and holds in every year; an exogenous series gets a new draw
 *          each year from start to end (observed years keep their observation).
 * Draws go through a Gaussian copula: each shock k has a standard normal e_k; the first
 * horizon year takes e = L z (z independent N(0,1), L the Cholesky factor of the correlation
 * matrix, identity for shocks not named in it), and each later year
 * e_t = ar1 * e_{t-1} + sqrt(1 - ar1^2) * (L z_t). The value is F^-1(Phi(e)) (F the shock's
 * distribution), so every yearly marginal is exactly F whatever ar1 is, and the lag-1
 * autocorrelation of e is ar1. The matrix is the correlation of the e's (of the shocks
 * themselves for normal shocks; Spearman-like for others); for two series with different ar1
 * it holds for the first year and for the innovations. A shocked value outside the model's
 * [min, max] for that name is clamped to it; the share of clamped draws is reported as a
 * warning.
 *
 * Errors (DIAG_DATA at $.uncertainty...): unknown keys (did-you-mean), paths not in
 * 1..100000000, seed not in 0..2^31-1, a shock on an unknown name (did-you-mean) or on a
 * variable, a bad distribution (dist.h), ar1 outside [0, 1) or on a parameter, a correlation
 * whose names are not shocks or repeat, a matrix that is not names x names, not symmetric,
 * with a diagonal other than 1 or entries outside [-1, 1], or not positive definite
 * (gsl_linalg_cholesky_decomp1 fails).
 *
 * Storage: per path, only the cells that the outputs need: the (variable, year) cells in
 * start..end that depend on some shock (others are the same on every path and come from the
 * deterministic path), as floats, for exact order statistics. When they exceed
 * ENSEMBLE_PASS_MB (or the memory budget), the ensemble streams in two passes instead: a
 * histogram of each cell in pass 1, then pass 2 re-simulates the same paths (the random
 * streams belong to blocks) and gathers only the values near each wanted rank, so results are
 * identical to the in-memory run (docs/methods.md §4). Means and sds are computed in double
 * from the float values in a fixed order (within a block of 256 paths, four interleaved
 * partial sums; then the blocks in order), the sd from the squared deviations from that mean,
 * so they too are identical for any thread count and either way of storing. */
#ifndef ENSEMBLE_H
#define ENSEMBLE_H

#include <stddef.h>

#include "diag.h"
#include "dist.h"
#include "engine.h"
#include "goals.h"
#include "run.h"

#define ENSEMBLE_DEFAULT_PATHS 10000
#define ENSEMBLE_DEFAULT_SEED 1
#define ENSEMBLE_MAX_PATHS 100000000
#define ENSEMBLE_MAX_SHOCKS 64
/* A correlation matrix's diagonal within this of 1, and [i][j] within this of [j][i], pass. */
#define ENSEMBLE_CORRELATION_TOL 1e-12
/* Most per-path storage an in-memory ensemble keeps, in MB (the memory budget may lower it);
 * beyond it the ensemble streams in two passes. */
#define ENSEMBLE_PASS_MB 256
/* Slices of "pawn": true. */
#define ENSEMBLE_DEFAULT_PAWN_SLICES 10
/* The quantiles written, as probabilities (columns p05 ... p95 of ensemble.csv). */
#define ENSEMBLE_QUANTILES 7
extern const double ensemble_quantile_levels[ENSEMBLE_QUANTILES];

typedef enum ensemble_apply {
    ENSEMBLE_ADD = 0, /* value = scenario value + draw */
    ENSEMBLE_MULTIPLY,/* value = scenario value * draw */
    ENSEMBLE_REPLACE  /* value = draw */
} ensemble_apply;

/* Where the sd of a normal shock written without one comes from ("calibrate" of the block). */
typedef enum ensemble_calibration {
    ENSEMBLE_CALIBRATE_NONE = 0,
    ENSEMBLE_CALIBRATE_HISTORY,      /* "history": the observed variation of the series for the place */
    ENSEMBLE_CALIBRATE_HISTORY_PEERS, /* "history-peers": pooled over the place and its peers (the
                                        peers block's places): each place about its own mean */
    ENSEMBLE_CALIBRATE_BACKTEST      /* "backtest": one sd for all of them, the smallest that makes
                                        the back-test's 90% band cover 90% of its points */
} ensemble_calibration;

typedef struct ensemble_shock {
    char *name;          /* the parameter or exogenous series it shocks */
    int slot;            /* its model slot */
    int is_parameter;    /* 1: drawn once per path; 0: each year */
    dist dist;           /* the draw's distribution (units of the name, or a factor for multiply) */
    ensemble_apply apply;
    double ar1;          /* persistence in [0, 1) (0 for parameters) */
    char *note;          /* in the chosen language ("note", or "note_en" in English output), or NULL */
    char json_path[JSONFILE_PATH_MAX]; /* $.uncertainty.shocks.NAME */
    const char *file;    /* the scenario file that wrote it (for messages) */
    int calibrated;      /* 1: a normal shock without "sd": the block's calibration sets dist.sd
                            (calibrate.h); an explicit sd always wins */
    size_t calibration_values;  /* observations the sd was estimated from */
    size_t calibration_places;  /* places that gave at least two of them */
    size_t calibration_dof;     /* degrees of freedom: values - places */
} ensemble_shock;

typedef struct ensemble_spec {
    size_t paths;
    unsigned long seed;
    ensemble_shock *shocks;
    size_t shock_count;
    double *cholesky;    /* shock_count^2, row-major A with A A^T = the correlation of all shocks:
                            the Cholesky factor of the matrix given, placed at the named shocks'
                            rows and columns, identity elsewhere; NULL when no correlation */
    char *note;          /* the block's note in the chosen language (as a shock's), or NULL */
    ensemble_calibration calibrate; /* "calibrate" (NONE when absent) */
    const char *calibrate_file;     /* the file that wrote "calibrate" (messages) */
    double calibration_scale;       /* BACKTEST: the sd found; NaN before */
    size_t calibration_points;      /* BACKTEST: back-test points with a band */
    double calibration_coverage;    /* BACKTEST: their share inside the 90% band at that sd */
    size_t pawn_slices;  /* "pawn": rank the shocks by PAWN with this many slices (pawnrank.h);
                            0: not asked */
} ensemble_spec;


/* Frees a spec; NULL is a no-op. */
void ensemble_spec_free(ensemble_spec *spec);

/* One reported cell: a (slot, year) of ensemble.csv. */
typedef struct ensemble_cell {
    int slot;
    int year;
    int varies;          /* 1 when some shock reaches it (else every path has the same value) */
    double mean, sd;     /* over the paths (sd with n - 1; 0 when paths == 1) */
    double quantile[ENSEMBLE_QUANTILES]; /* type 7 (linear interpolation between order statistics) */
} ensemble_cell;

typedef struct ensemble_result {
    size_t paths;
    unsigned long seed;
    int threads;         /* threads used */
    size_t passes;       /* simulation passes: 1 in memory, 2 streaming (see Storage above) */
    size_t lanes;        /* paths per block */
    double seconds;      /* wall-clock time of the simulations and summaries */
    size_t stored_bytes; /* per-path values kept: the store (1 pass) or the gathered values (2) */
    size_t blocks_here;  /* blocks this process computed over the passes: all of them (passes x
                            ceil(paths / lanes)), or its share when ranks of an MPI job split
                            them (engine.h's chunk hooks) */
    ensemble_cell *cells;/* every variable and shocked exogenous series, years start..end,
                            slot order then year */
    size_t cell_count;
    double *goal_probability; /* [goal]: share of paths meeting it; NULL without goals */
    size_t goal_count;
    size_t *clamped;     /* [shock]: draws clamped to the model's [min, max] */
    size_t *draws;       /* [shock]: draws made (paths, or paths x shocked years) */
} ensemble_result;

/* Runs the ensemble of `spec` on r (its plan; r->values must hold the deterministic path),
 * on `threads` threads (0: all cores), reporting progress to `progress` (NULL: none; one run
 * per pass of the storage, labelled "paths (pass i of n)"). When goals is not
 * NULL, computes each goal's probability of being met (its kind, direction and
 * GOALS_MET_RTOL as in goals_evaluate) and stores it in goals->results[i].probability as well
 * as in the result. Returns DIAG_OK with *out set (free with ensemble_result_free);
 * DIAG_INTERRUPTED on Ctrl-C; DIAG_SOFTWARE when the storage exceeds the memory budget
 * (checked before anything runs; the message says how much is needed), memory runs out, or a
 * path gives a non-finite value (the message names the path, variable and year). */
int ensemble_run(const ensemble_spec *spec, const run *r, goals_set *goals, int threads,
                 const engine_progress *progress, ensemble_result **out, diag *d);

/* Frees a result; NULL is a no-op. */
void ensemble_result_free(ensemble_result *result);

/* The ensemble's paths with the caller's own reduce, for analyses (and benchmarks) that need
 * something other than quantiles: runs spec->paths paths of r's plan through the engine with
 * the shocks drawn exactly as ensemble_run draws them (path i is the same path in both), and
 * calls reduce(context, block) on each computed block (see engine_reduce_fn for the rules
 * that keep results independent of the thread count). stats may be NULL. Returns DIAG_OK,
 * DIAG_INTERRUPTED, the reduce's status, or DIAG_SOFTWARE (memory). */
int ensemble_simulate(const ensemble_spec *spec, const run *r, int threads, const engine_progress *progress,
                      engine_reduce_fn reduce, void *context, engine_stats *stats, diag *d);

/* ensemble_simulate for a reduce that writes only to the regions given (engine.h's
 * engine_region, at most ENGINE_MAX_REGIONS): the ranks of an MPI job then split the paths
 * by block and rank 0 gathers the regions (the others hold their own blocks only:
 * stats->partial). Never saved in checkpoints (a resumed run computes them again). */
int ensemble_simulate_regions(const ensemble_spec *spec, const run *r, int threads, const engine_progress *progress,
                              engine_reduce_fn reduce, void *context, const engine_region *regions,
                              size_t region_count, engine_stats *stats, diag *d);

/* The cell of (slot, year), or NULL. */
const ensemble_cell *ensemble_find(const ensemble_result *result, int slot, int year);

/* Adds warnings to d (clamped draws), once, after ensemble_run. */
void ensemble_add_warnings(const ensemble_result *result, const ensemble_spec *spec, const run *r, diag *d);

#endif
