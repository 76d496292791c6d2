/* prim_internal.h: private to PRIM (prim.c, prim_peel.c, prim_refine.c): the data every stage
 * works on, the counts and shares of a box, and the stages that prim_discover chains. Not
 * part of the API: prim.h is. The small helpers of the peeling loop are inline here so that
 * splitting the file costs the hot loop nothing. */
#ifndef PRIM_INTERNAL_H
#define PRIM_INTERNAL_H

#include <stddef.h>

#include "diag.h"
#include "prim.h"

/* The data with what every stage needs: the unrestricted box and the count of misses. */
typedef struct prim_work {
    const prim_data *data;
    const unsigned char *active; /* NULL: every point is searched */
    double *range_lower;         /* k: least value of each input over the n points */
    double *range_upper;         /* k: greatest */
    size_t misses;               /* misses among the n points */
    const size_t *sorted;        /* NULL, or k * n: all points sorted by input j (then by
                                    index) at sorted[j * n + r], shared by the boxes of
                                    prim_discover so that each input is sorted once */
} prim_work;

/* The slack of the check that the data hold enough points for a peeling alpha and a minimum
 * mass: n * min(alpha, mass) may fall short of 1 by this (0.05 * 20 is not exactly 1). */
#define PRIM_POINTS_SLACK 1e-9
/* A binomial tail's sum stops when a term falls below this fraction of it (below the last
 * bit of a double). */
#define PRIM_TAIL_RTOL 1e-17

#define PRIM_X(w, i, j) ((w)->data->x[(i) * (w)->data->k + (j)])

static inline int prim_is_active(const prim_work *w, size_t i)
{
    return !w->active || w->active[i];
}

/* The restricted sides of input j for the limits lo, hi. */
static inline unsigned prim_sides_of(const prim_work *w, size_t j, double lo, double hi)
{
    return (lo != w->range_lower[j] ? PRIM_LOWER : 0u) | (hi != w->range_upper[j] ? PRIM_UPPER : 0u);
}

static inline double prim_density(size_t points, size_t misses)
{
    return points ? (double)misses / (double)points : 0;
}

/* The EMA Workbench's objective ("lenient1"): the change in density per point removed or
 * added. Boxes never differ in density without differing in points. */
static inline double prim_objective(size_t m_old, size_t h_old, size_t m_new, size_t h_new)
{
    double mean_old = prim_density(m_old, h_old), mean_new = prim_density(m_new, h_new);
    if (mean_old == mean_new || m_old == m_new)
        return 0;
    size_t change = m_old > m_new ? m_old - m_new : m_new - m_old;
    return (mean_new - mean_old) / (double)change;
}

void prim_work_free(prim_work *w);

/* Checks the data and options (opt may be NULL) and fills *w. */
int prim_work_init(prim_work *w, const prim_data *data, const unsigned char *active, const prim_options *opt,
                   diag *d);

int prim_check_limits(const prim_work *w, const double *lower, const double *upper, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Boxes */
size_t prim_restricted_count(const prim_work *w, const double *lower, const double *upper);

/* Points and misses among the searched points inside the box. */
void prim_count(const prim_work *w, const double *lower, const double *upper, size_t *points, size_t *misses);

prim_stats prim_make_stats(const prim_work *w, size_t points, size_t misses, const double *lower,
                           const double *upper);

/* The quantile of sorted data[m] (m >= 1) used by sdtoolkit and the EMA Workbench: at
 * position (m - 1) q, the mean of the values just below and above, where "just above" moves
 * on (for q <= 0.5; "just below" moves back for q > 0.5) past values equal to the other one,
 * so that the cut falls between two distinct values whenever there are any. */
double prim_quantile_sorted(const double *data, size_t m, double q);

/* Appends a box; returns DIAG_OK or DIAG_SOFTWARE (the trajectory is unchanged then). */
int prim_trajectory_push(prim_trajectory *t, const prim_work *w, const prim_stats *stats,
                         const double *lower, const double *upper, diag *d);

int prim_double_compare(const void *a, const void *b);

/* Allocates an order of k * n indices and sorts all points into it (*out NULL on failure). */
int prim_sort_all(const prim_work *w, size_t **out, diag *d);

int prim_peel_run(const prim_work *w, double alpha, double mass_min, size_t max_steps, prim_trajectory *out,
                  diag *d);

int prim_paste_run(const prim_work *w, double alpha, double mass_min, double *lower, double *upper,
                   prim_trajectory *out, diag *d);

int prim_qp_run(const prim_work *w, const double *lower, const double *upper, double *qp_lower,
                double *qp_upper, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Dropping restrictions */
int prim_drop_run(const prim_work *w, double qp_threshold, double tolerance, double *lower, double *upper,
                  prim_dropped *dropped, size_t *count, diag *d);

#endif
