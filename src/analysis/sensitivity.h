/* sensitivity.h: the designs and estimators of sensitivity analysis, independent of any model.
 *
 * Designs are points of the unit cube [0, 1]^k (sweep.c maps them to parameter values through
 * each parameter's range or inverse CDF); estimators read model results from plain arrays, one
 * value per run, so that they can be checked on closed-form functions:
 *
 *   Sobol'   Saltelli's design over a (plain or digitally shifted) Sobol' sequence; first-order
 *            indices by Saltelli et al. (2010), total indices by Jansen (1999), each with a
 *            bootstrap percentile interval over the N design rows.
 *   Morris   r trajectories on a p-level grid (Morris 1991); mu, mu* and sigma of the
 *            elementary effects, with a bootstrap interval of mu* over the trajectories.
 *   grid     main effects of a full factorial (mean, min and max of the output per level).
 *   Monte Carlo  Pearson and Spearman correlations of each input with the output.
 *
 * Results arrays are strided: run i's value is y[i * stride], so a caller holding a matrix of
 * runs x outputs passes y = matrix + output and stride = outputs.
 *
 * References: A. Saltelli et al., "Variance based sensitivity analysis of model output. Design
 * and estimator for the total sensitivity index", Comput. Phys. Commun. 181 (2010) 259-270
 * (table 2, estimators (b) for S_i and (f) for S_Ti); M. D. Morris, "Factorial sampling plans
 * for preliminary computational experiments", Technometrics 33 (1991) 161-174; F. Campolongo
 * et al. (2007) for mu*. */
#ifndef SENSITIVITY_H
#define SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* gsl_qrng_sobol generates at most 40 dimensions; Saltelli's design needs 2k of them. */
#define SENSITIVITY_SOBOL_MAX_DIMENSIONS 40
#define SENSITIVITY_SOBOL_MAX_PARAMETERS 20
/* Morris levels p: even, from 2 to this. */
#define SENSITIVITY_MORRIS_MAX_LEVELS 100

/* ---------------------------------------------------------------------------------------- */
/* Designs */

/* Fills u[n * dims] (point j, dimension c at u[j * dims + c]) with n points of the Sobol'
 * sequence in `dims` dimensions (gsl_qrng_sobol).
 * Plain: the points as GSL gives them, which skips the origin (the first point is
 * (0.5, ..., 0.5)); they are multiples of 2^-30, never 0 or 1.
 * Scrambled: the sequence from the origin on (so that the first 2^m points form a net: one
 * point in each interval [i/2^m, (i+1)/2^m) of every dimension), every dimension XORed with
 * its own random 30-bit digital shift drawn from `seed` (MT19937), and each point moved to
 * the middle of its dyadic cell, ((j XOR shift) + 0.5) / 2^30: a randomised quasi-Monte Carlo
 * design that keeps the net property and lies strictly inside (0, 1). Returns DIAG_OK; DIAG_DATA when
 * dims is 0 or above SENSITIVITY_SOBOL_MAX_DIMENSIONS, or n is 0 or at least 2^30;
 * DIAG_SOFTWARE when GSL fails. */
int sensitivity_sobol_points(size_t n, size_t dims, int scramble, unsigned long seed, double *u, diag *d);

/* Runs of Saltelli's design with n base rows and k parameters: n * (k + 2). */
size_t sensitivity_saltelli_runs(size_t n, size_t k);

/* The unit point of run `run` of Saltelli's design (x[k]), from n rows of 2k Sobol'
 * coordinates u (row j holds A_j in columns 0..k-1 and B_j in columns k..2k-1). Runs are
 * grouped by row: run j * (k + 2) + m is A_j for m = 0, AB_j^(i) (A_j with column i taken
 * from B_j) for m = 1 + i, and B_j for m = k + 1. */
void sensitivity_saltelli_point(const double *u, size_t k, size_t run, double *x);

/* Runs of a Morris design: r * (k + 1). */
size_t sensitivity_morris_runs(size_t k, size_t trajectories);

/* Fills u[r * (k + 1) * k] with r Morris trajectories on the grid {0, 1/(p-1), ..., 1} with
 * the step delta = p / (2 (p - 1)): trajectory t, step s (0..k) is run t * (k + 1) + s, point
 * u[(t * (k + 1) + s) * k ...]. Each trajectory starts at a random grid point and moves one
 * factor at a time, in a random order, by +delta or -delta (random signs), so that every
 * point stays in [0, 1]. `levels` must be even, 2..SENSITIVITY_MORRIS_MAX_LEVELS (DIAG_DATA
 * otherwise, also for k or r of 0). Deterministic in `seed` (MT19937). */
int sensitivity_morris_points(size_t k, size_t trajectories, unsigned levels, unsigned long seed, double *u,
                              diag *d);

/* The factor that step s (1..k) of a Morris trajectory moved: the coordinate in which point
 * `run` differs from point run - 1 (u as filled by sensitivity_morris_points), or k when none
 * does (only at s = 0). */
size_t sensitivity_morris_moved(const double *u, size_t k, size_t run);

/* ---------------------------------------------------------------------------------------- */
/* Estimators */

/* How intervals are computed and judged. */
typedef struct sensitivity_options {
    size_t bootstrap;     /* resamples B (at least 2 for an interval; 0: no interval) */
    double confidence;    /* level of the percentile interval, e.g. 0.95 */
    double threshold;     /* widest interval (high - low) still called converged, e.g. 0.1 */
    unsigned long seed;   /* resample b draws its rows from a generator seeded by a hash of
                             (seed, b) alone (splitmix64 for Sobol', MT19937 for Morris) */
    int threads;          /* OpenMP threads for the resamples; 0 = the OpenMP default.
                             Results do not depend on it. */
} sensitivity_options;

/* An estimate with its bootstrap percentile interval. */
typedef struct sensitivity_estimate {
    double value;      /* the estimate from all the rows */
    double low, high;  /* the interval (NaN when bootstrap < 2) */
    double conf;       /* its half-width (high - low) / 2, the "_conf" columns */
    int not_converged; /* 1 when the interval is wider than the threshold */
    int negative;      /* 1 when the estimate is clearly negative: the whole interval is below
                          0, or the estimate is below -threshold (an index must be >= 0: a
                          clearly negative one says N is too small) */
} sensitivity_estimate;

/* First-order (S1) and total (ST) Sobol' indices of one output from a Saltelli design with n
 * rows and k parameters: y[run * stride] for the n * (k + 2) runs in the order of
 * sensitivity_saltelli_point. With f = y, V the variance of the 2n values f(A), f(B)
 * (divisor 2n):
 *   S1_i = mean_j f(B_j) (f(AB_j^(i)) - f(A_j)) / V          (Saltelli 2010)
 *   ST_i = mean_j (f(A_j) - f(AB_j^(i)))^2 / (2 V)          (Jansen 1999)
 * Intervals resample the n rows with replacement (the same rows for every index and for V).
 * Fractions of the output variance, no unit. When V is 0 (the output does not vary) every
 * index is 0 with a zero-width interval and *variance is 0. first[k], total[k], *variance
 * (the output unit squared; may be NULL) are filled. Returns DIAG_OK, DIAG_DATA when a value
 * is not finite (naming the run), DIAG_SOFTWARE when memory or GSL fails. */
int sensitivity_sobol(size_t n, size_t k, const double *y, size_t stride, const sensitivity_options *opt,
                      sensitivity_estimate *first, sensitivity_estimate *total, double *variance, diag *d);

/* Morris measures of one parameter, in the output's unit per the parameter's whole range
 * (the unit cube's scale: for y = a x with x uniform on [lo, hi], every effect is a (hi - lo)). */
typedef struct sensitivity_morris_index {
    double mu;                     /* mean of the elementary effects */
    sensitivity_estimate mu_star;  /* mean of their absolute values, with its interval; the
                                      convergence flag compares the interval's width with
                                      threshold x the largest mu* of the output */
    double sigma;                  /* their standard deviation (divisor r - 1; NaN for r = 1) */
} sensitivity_morris_index;

/* Elementary effects EE = (f(next) - f(previous)) / (u_next - u_prev) along each step of the
 * r trajectories in u (from sensitivity_morris_points) with results y[run * stride]; fills
 * out[k]. Returns DIAG_OK, DIAG_DATA for a non-finite value, DIAG_SOFTWARE on failure. */
int sensitivity_morris(size_t k, size_t trajectories, const double *u, const double *y, size_t stride,
                       const sensitivity_options *opt, sensitivity_morris_index *out, diag *d);

/* Main effects of a full factorial: `levels[k]` values per parameter, runs in row-major
 * order (the last parameter varies fastest; run index = sum_i level_i * prod_{j>i} levels[j]),
 * results y[run * stride]. For parameter i and level l, mean[offset_i + l], min[...] and
 * max[...] are the mean, least and greatest output over the runs at that level, where
 * offset_i = levels[0] + ... + levels[i-1]. */
void sensitivity_grid_effects(size_t k, const size_t *levels, const double *y, size_t stride, double *mean,
                              double *min, double *max);

/* Pearson and Spearman correlations of each input x[run * k + i] with y[run * stride] over n
 * runs (NaN when either does not vary). Returns DIAG_OK or DIAG_SOFTWARE (out of memory). */
int sensitivity_correlations(size_t n, size_t k, const double *x, const double *y, size_t stride, double *pearson,
                             double *spearman, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

/* 1 when n is a power of two (1, 2, 4, ...). */
int sensitivity_is_power_of_two(size_t n);

/* The powers of two just below and above n (n not a power of two, n >= 1): *below <= n <= *above. */
void sensitivity_nearest_powers_of_two(size_t n, size_t *below, size_t *above);


#endif
