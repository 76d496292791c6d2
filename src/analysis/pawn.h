/* pawn.h: PAWN, a moment-independent sensitivity measure from given data.
 *
 * For a Monte Carlo sample (any design: the runs of a risk ensemble will do), PAWN measures
 * how much the distribution of the output changes when one input is held in a narrow range
 * (Pianosi and Wagener 2015; the given-data estimator of Pianosi and Wagener 2018). For input
 * j the runs are split into slices of about equal count by the input's value; the measure is
 * a summary (median, mean or maximum) over the slices of the Kolmogorov-Smirnov distance
 * between the output's empirical CDF within the slice and over all runs:
 *
 *     KS_s = max over y of | F_s(y) - F(y) |,    PAWN_j = stat over s of KS_s.
 *
 * Values are fractions from 0 (the output's distribution does not depend on the input) to 1.
 * The estimator is biased upward: an input the output does not depend on still gets about
 * 0.87 sqrt((S - 1) / n) per slice (S slices of n runs), so each input also gets a noise
 * threshold from "dummy" slicings that assign runs to slices at random (a permutation test of
 * independence). docs/methods.md §7 gives the exact estimator.
 *
 * Deterministic: the dummy slicings are drawn from the caller's seed, each from its own
 * generator, so the result does not depend on the number of threads. Nothing here prints,
 * reads or writes files.
 *
 * References: F. Pianosi and T. Wagener, "A simple and efficient method for global
 * sensitivity analysis based on cumulative distribution functions", Environmental Modelling &
 * Software 67 (2015) 1-11; F. Pianosi and T. Wagener, "Distribution-based sensitivity analysis
 * from a generic input-output sample", Environmental Modelling & Software 108 (2018) 197-207. */
#ifndef PAWN_H
#define PAWN_H

#include <stddef.h>

#include "diag.h"

/* Slices per input: 2 to this. */
#define PAWN_MAX_SLICES 100
/* Runs needed per slice asked: n >= PAWN_MIN_RUNS_PER_SLICE x slices. */
#define PAWN_MIN_RUNS_PER_SLICE 10

/* The summary over the slices that is reported as the index. */
typedef enum pawn_statistic {
    PAWN_MEDIAN = 0, /* Pianosi and Wagener's default */
    PAWN_MEAN = 1,
    PAWN_MAX = 2
} pawn_statistic;

/* The sample, borrowed from the caller for the duration of a call. */
typedef struct pawn_data {
    size_t n;                 /* runs */
    size_t k;                 /* inputs */
    const double *x;          /* n * k inputs, row-major: input j of run i at x[i * k + j]; finite */
    const double *y;          /* the output of run i at y[i * y_stride]; finite */
    size_t y_stride;          /* at least 1 */
    const char *const *names; /* k input names used in messages, or NULL ("input 3") */
} pawn_data;

/* Settings; pawn_options_default gives the defaults. */
typedef struct pawn_options {
    size_t slices;            /* S, 2..PAWN_MAX_SLICES (default 10) */
    pawn_statistic statistic; /* the summary reported as `value` (default PAWN_MEDIAN) */
    size_t dummy_draws;       /* random slicings behind each noise threshold; 0: no threshold
                                 (default 200) */
    double dummy_level;       /* the threshold is this quantile of the dummy values, 0 < level
                                 < 1 (default 0.95) */
    unsigned long seed;       /* dummy draw b uses a generator seeded by a hash of (seed, b)
                                 (default 1) */
    int threads;              /* OpenMP threads for the dummy draws; 0: the OpenMP default.
                                 Results do not depend on it. */
} pawn_options;

/* The measure of one input. KS distances are fractions (0..1). */
typedef struct pawn_index {
    double value;      /* the chosen statistic over the slices */
    double min, mean, median, max; /* the KS distances over the slices */
    size_t slices;     /* slices formed: S, fewer when ties in the input's values keep equal
                          values together (1 for a constant input, whose distances are 0) */
    double threshold;  /* the noise threshold for this input's slicing: the dummy_level
                          quantile of `value` over the dummy slicings (NaN when dummy_draws is 0) */
    int above_noise;   /* 1 when value > threshold, 0 when not, -1 when there is no threshold */
} pawn_index;

/* Fills *opt with the defaults listed at pawn_options. */
void pawn_options_default(pawn_options *opt);

/* PAWN indices of the k inputs into out[k], and, when ks is not NULL, every slice's KS
 * distance into ks[k * slices] (slice s of input j at ks[j * slices + s], slices in the order
 * of the input's values; NaN for slices not formed). opt NULL: the defaults. Returns DIAG_OK;
 * DIAG_DATA when n < PAWN_MIN_RUNS_PER_SLICE x slices, k is 0, a value is not finite (naming
 * the run and input) or an option is out of range; DIAG_SOFTWARE when memory runs out. */
int pawn_indices(const pawn_data *data, const pawn_options *opt, pawn_index *out, double *ks, diag *d);

/* The asymptotic mean KS distance of one slice of n / slices runs from all n runs when the
 * output does not depend on the input: sqrt(pi / 2) ln 2 sqrt((slices - 1) / n), about
 * 0.8687 sqrt((slices - 1) / n). A fraction; NaN when n or slices is 0. */
double pawn_noise_mean(size_t n, size_t slices);

#endif
