/* prim.h: PRIM scenario discovery: the ranges of the inputs in which the goal is missed.
 *
 * Given n sampled points of k inputs and, for each point, whether the goal was missed, PRIM
 * (the Patient Rule Induction Method of Friedman and Fisher 1999) looks for a box, a range
 * [lower_j, upper_j] per input, in which misses are concentrated. This module follows the
 * EMA Workbench's scenario-discovery PRIM (Kwakkel 2017, ema_workbench.analysis.prim) for
 * real-valued inputs; docs/methods.md §6 gives every formula. In short:
 *
 *   peeling   from the box holding every point, repeatedly cut off the share alpha of the
 *             box's points at the lower or upper end of one input, choosing the cut that
 *             raises the density of misses most per point removed; the trajectory of boxes
 *             trades coverage (share of the misses inside) against density (share of the
 *             box's points that are misses).
 *   choice    by default the densest box on the trajectory that still holds at least half of
 *             the misses not yet covered, or a step the caller names.
 *   pasting   widen the chosen box again while that raises its density.
 *   qp-values the significance of each restricted side (Bryant and Lempert 2010): a
 *             one-sided binomial test of the box's misses against the density of the box
 *             with that side's limit removed.
 *   dropping  remove restrictions that do not matter (qp-value above a threshold, or the
 *             density without them barely lower).
 *   covering  remove the points of the box and search again, up to a number of boxes.
 *
 * Inputs stay in their own units; coverage, density and mass are fractions (0..1). The
 * computation is deterministic: no randomness, and the same data give the same bytes.
 * Nothing here prints, reads or writes files.
 *
 * References: J. H. Friedman and N. I. Fisher, "Bump hunting in high-dimensional data",
 * Statistics and Computing 9 (1999) 123-143; B. P. Bryant and R. J. Lempert, "Thinking inside
 * the box", Technological Forecasting & Social Change 77 (2010) 34-49; J. H. Kwakkel, "The
 * Exploratory Modeling Workbench", Environmental Modelling & Software 96 (2017) 239-250. */
#ifndef PRIM_H
#define PRIM_H

#include <stddef.h>

#include "diag.h"

/* The most boxes prim_discover looks for. */
#define PRIM_MAX_BOXES 10

/* The sides of an input's range that a box restricts (bits of prim_limit.sides and of
 * prim_trajectory.sides). A side is restricted when its limit differs from the least (lower)
 * or greatest (upper) value of that input over all n points. */
enum { PRIM_LOWER = 1, PRIM_UPPER = 2 };

/* Why prim_discover stopped looking for boxes. */
typedef enum prim_stop {
    PRIM_STOP_MAX_BOXES = 0,      /* it found as many boxes as asked */
    PRIM_STOP_NO_MISSES = 1,      /* no point outside the boxes found so far missed the goal */
    PRIM_STOP_ALL_MISSED = 2,     /* every point outside them missed it: no range explains it */
    PRIM_STOP_NO_RESTRICTION = 3, /* the next box restricted no input once the restrictions
                                     that do not matter were dropped */
    PRIM_STOP_LOW_DENSITY = 4     /* the next box's density was below density_min */
} prim_stop;

/* The points, borrowed from the caller for the duration of a call. */
typedef struct prim_data {
    size_t n;                    /* points (runs) */
    size_t k;                    /* inputs */
    const double *x;             /* n * k values, row-major: input j of point i is x[i * k + j],
                                    in the input's own unit; all finite */
    const unsigned char *missed; /* n outcomes: nonzero when point i missed the goal */
    const char *const *names;    /* k input names used in messages, or NULL ("input 3") */
} prim_data;

/* Settings; prim_options_default gives the defaults (alphas and mass as in the EMA Workbench). */
typedef struct prim_options {
    double peel_alpha;        /* share of the box's points cut off per peel, 0 < alpha < 0.5
                                 (default 0.05) */
    double paste_alpha;       /* share of the points next to a side added per paste,
                                 0 < alpha < 0.5 (default 0.05) */
    double mass_min;          /* the smallest box, as a fraction of all n points, 0 < m < 1
                                 (default 0.05) */
    double coverage_min;      /* default choice: the densest step holding at least this share
                                 of the misses not covered by earlier boxes, 0..1 (default 0.5) */
    long step[PRIM_MAX_BOXES]; /* step[b] >= 0 names the step of box b's trajectory to choose
                                 instead; -1 (default) applies coverage_min */
    double qp_threshold;      /* a restriction (one side of one input) whose qp-value is above
                                 this is dropped, 0..1 (default 0.05) */
    double density_tolerance; /* a restriction without which the density is lower by no more
                                 than this is dropped, a fraction 0..1 (default 0.01) */
    double density_min;       /* a box less dense than this is not reported and ends the
                                 search, 0..1 (default 0.5: most runs in it miss the goal) */
    size_t max_boxes;         /* boxes to look for, 1..PRIM_MAX_BOXES (default 3) */
} prim_options;

/* Counts and shares of one box. Points are counted among those the box is searched on (all
 * points for the first box, those outside earlier boxes for later ones); the shares are of all
 * n points and all misses, as in the EMA Workbench, so boxes can be compared. */
typedef struct prim_stats {
    size_t points;     /* points in the box */
    size_t misses;     /* of which missed the goal */
    double coverage;   /* misses / all misses of the n points (0 when there are none) */
    double density;    /* misses / points (0 for an empty box) */
    double mass;       /* points / n */
    size_t restricted; /* inputs the box restricts (on one side or both) */
} prim_stats;

/* A sequence of boxes: the peeling trajectory (step 0 is the box holding every point searched)
 * or the boxes after each paste. Owned arrays, freed by prim_trajectory_free. */
typedef struct prim_trajectory {
    size_t k;             /* inputs */
    size_t steps;         /* boxes */
    size_t capacity;      /* allocated boxes (internal) */
    prim_stats *stats;    /* steps */
    double *lower;        /* steps * k: box s's lower limit of input j is lower[s * k + j] (the
                             input's unit) */
    double *upper;        /* steps * k: likewise the upper limits */
    unsigned char *sides; /* steps * k: restricted sides (PRIM_LOWER | PRIM_UPPER) */
} prim_trajectory;

/* What a reported box does with one input. */
typedef struct prim_limit {
    unsigned sides;      /* restricted sides of the final box (PRIM_LOWER | PRIM_UPPER) */
    double lower, upper; /* the box's range, in the input's unit (the data's least and
                            greatest values on an unrestricted side) */
    double qp_lower;     /* qp-value of the lower limit; NaN when that side is unrestricted */
    double qp_upper;     /* qp-value of the upper limit; NaN when that side is unrestricted */
} prim_limit;

/* A restriction dropped as not mattering (prim_drop), with the figures that decided it. */
typedef struct prim_dropped {
    size_t input;           /* the input */
    unsigned side;          /* PRIM_LOWER or PRIM_UPPER */
    double limit;           /* the limit dropped, in the input's unit */
    double qp;              /* its qp-value just before it was dropped */
    double density_with;    /* the box's density with it (fraction) */
    double density_without; /* and without it */
} prim_dropped;

/* One box of prim_discover. */
typedef struct prim_box {
    size_t active_points;     /* points searched (not in earlier boxes) */
    size_t active_misses;     /* misses among them */
    prim_trajectory peeling;  /* the peeling trajectory */
    size_t step;              /* the step of `peeling` chosen */
    prim_trajectory pasting;  /* the chosen box after each accepted paste (0 steps: none) */
    prim_dropped *dropped;    /* the restrictions dropped after pasting, in order */
    size_t dropped_count;
    prim_stats stats;         /* the final box: chosen, pasted, restrictions dropped */
    prim_limit *limits;       /* k entries: the final box per input */
} prim_box;

/* The result of prim_discover; owns its arrays (prim_result_free). */
typedef struct prim_result {
    size_t n, k;
    size_t misses;       /* points that missed the goal, of n */
    double *range_lower; /* k: each input's least value over the n points (the unrestricted box) */
    double *range_upper; /* k: its greatest value */
    size_t box_count;    /* boxes found, 0..max_boxes */
    prim_box *boxes;     /* box_count boxes, in the order found */
    prim_stop stop;      /* why the search ended */
} prim_result;

/* Fills *opt with the defaults listed at prim_options. */
void prim_options_default(prim_options *opt);

/* Checks the data and options: n and k at least 1, every x finite (a NaN or infinity is
 * reported with its point and input name), n * min(peel_alpha, mass_min) >= 1 (at least one
 * point per peel and in the smallest box), and every option in its range. Returns DIAG_OK or
 * DIAG_DATA with the reason in d. opt may be NULL to check the data alone. */
int prim_check(const prim_data *data, const prim_options *opt, diag *d);

/* The stats of the box [lower[j], upper[j]] (k limits each, inclusive, in the inputs' units)
 * over the points with active[i] nonzero (active NULL: all n). Returns DIAG_OK, DIAG_DATA when
 * the data are invalid (prim_check) or a limit is NaN, DIAG_SOFTWARE when memory runs out. */
int prim_box_stats(const prim_data *data, const unsigned char *active, const double *lower, const double *upper,
                   prim_stats *out, diag *d);

/* Peels from the box holding every active point (active NULL: all n) and stores the
 * trajectory in *out (overwritten; free it with prim_trajectory_free, also after a failure).
 * Stops when no peel raises the density, when the next box would have less mass than
 * mass_min, or after max_steps peels (0: no limit). opt is checked whole (prim_check); only
 * opt->peel_alpha and opt->mass_min are used. Returns DIAG_OK, DIAG_DATA (invalid data or options; no active point),
 * DIAG_SOFTWARE (out of memory). */
int prim_peel(const prim_data *data, const unsigned char *active, const prim_options *opt, size_t max_steps,
              prim_trajectory *out, diag *d);

/* The default choice on a trajectory: the step with the highest density among those whose
 * misses are at least coverage_min * misses_searched (misses_searched: the misses among the
 * points searched); ties go to the higher coverage, then the earlier step. Step 0 always
 * qualifies. Returns 0 for an empty trajectory. */
size_t prim_choose_step(const prim_trajectory *t, size_t misses_searched, double coverage_min);

/* Pastes the box lower[k], upper[k] in place over the active points (active NULL: all n),
 * appending each box accepted to *out (overwritten; free with prim_trajectory_free, also after
 * a failure). opt is checked whole; only opt->paste_alpha and opt->mass_min are used.
 * Returns DIAG_OK, DIAG_DATA, DIAG_SOFTWARE. */
int prim_paste(const prim_data *data, const unsigned char *active, const prim_options *opt, double *lower,
               double *upper, prim_trajectory *out, diag *d);

/* The qp-value of each restricted side of the box lower[k], upper[k] over the active points
 * (active NULL: all n), into qp_lower[k] and qp_upper[k] (NaN for an unrestricted side).
 * With T and H the points and misses in the box, and T_j, H_j those in the box with that
 * one limit moved to the data's least (greatest) value, qp = P(X >= H) for X binomial with
 * T trials and probability H_j / T_j. Returns DIAG_OK, DIAG_DATA, DIAG_SOFTWARE. */
int prim_qp(const prim_data *data, const unsigned char *active, const double *lower, const double *upper,
            double *qp_lower, double *qp_upper, diag *d);

/* Drops, one at a time, the restrictions of the box lower[k], upper[k] (changed in place)
 * that do not matter over the active points (active NULL: all n). A restriction is one
 * restricted side of one input; it is a candidate when its qp-value is above
 * opt->qp_threshold, or when the box's density with that limit moved to the data's extreme
 * is at least the density with it minus opt->density_tolerance. Among the candidates the one
 * whose removal leaves the highest density goes first (then the higher qp-value, then the
 * lower input, then the lower side); qp-values and densities are computed again after each
 * drop. The drops are recorded in order into dropped[] (room for 2k; may be NULL) and their
 * count into *count (may be NULL). Returns DIAG_OK, DIAG_DATA, DIAG_SOFTWARE. */
int prim_drop(const prim_data *data, const unsigned char *active, const prim_options *opt, double *lower,
              double *upper, prim_dropped *dropped, size_t *count, diag *d);

/* PRIM with covering: up to opt->max_boxes boxes (opt NULL: the defaults), each found on the
 * points outside the earlier boxes by peeling, choosing a step, pasting and dropping. A box
 * is reported only when it keeps a restriction and has a density of at least density_min;
 * *out records why the search stopped. *out is overwritten and owns its arrays (free it with
 * prim_result_free, also after a failure). All misses, all points missed, or none missed are
 * not errors: they give fewer boxes (possibly 0) and the stop reason. Returns DIAG_OK,
 * DIAG_DATA (invalid data or options, a named step beyond a trajectory), DIAG_SOFTWARE. */
int prim_discover(const prim_data *data, const prim_options *opt, prim_result *out, diag *d);

/* Frees the trajectory's arrays and leaves it empty; NULL and an empty one are no-ops. */
void prim_trajectory_free(prim_trajectory *t);

/* Frees everything the result owns and leaves it empty; NULL and an empty one are no-ops. */
void prim_result_free(prim_result *r);

#endif
