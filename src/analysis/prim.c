/* prim.c: PRIM peeling, pasting, qp-values, dropping of restrictions and covering.
 *
 * Peeling is the hot loop: every step tries two cuts per input, each needing a quantile of
 * the box's values of that input and the points it would remove. Each input's searched
 * points are sorted once; a box is a membership flag per point, and a cut walks the sorted
 * order from the end it cuts, skipping points outside the box. A step then costs about
 * alpha x (points in the input's slab) per cut, not a sort of the box. Pasting, qp-values and
 * dropping run a few times per box and simply scan the points.
 *
 * The choices that decide which box comes out (the quantile with its tie rule, the order in
 * which cuts are tried, the objective, the stopping tests) follow the EMA Workbench; see
 * docs/methods-prim-pawn.md. */
#include "prim.h"
#include "mem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define PRIM_X(w, i, j) ((w)->data->x[(i) * (w)->data->k + (j)])

/* ---------------------------------------------------------------------------------------- */
/* Checks and set-up */

void prim_options_default(prim_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->peel_alpha = 0.05;
    opt->paste_alpha = 0.05;
    opt->mass_min = 0.05;
    opt->coverage_min = 0.5;
    for (size_t b = 0; b < PRIM_MAX_BOXES; b++)
        opt->step[b] = -1;
    opt->qp_threshold = 0.05;
    opt->density_tolerance = 0.01;
    opt->density_min = 0.5;
    opt->max_boxes = 3;
}

/* The name of input j for messages: its own, or "input 3" (1-based) in buf. */
static const char *prim_input_name(const prim_data *data, size_t j, char *buf, size_t size)
{
    if (data->names && data->names[j])
        return data->names[j];
    snprintf(buf, size, "input %zu", j + 1);
    return buf;
}

/* 1 when lo <= v <= hi, written so that NaN fails. */
static int prim_in_range(double v, double lo, double hi)
{
    return v >= lo && v <= hi;
}

static int prim_check_options(const prim_data *data, const prim_options *opt, diag *d)
{
    if (!(opt->peel_alpha > 0 && opt->peel_alpha < 0.5))
        return diag_error(d, DIAG_DATA, "PRIM: the peeling alpha must be above 0 and below 0.5, not %g",
                          opt->peel_alpha);
    if (!(opt->paste_alpha > 0 && opt->paste_alpha < 0.5))
        return diag_error(d, DIAG_DATA, "PRIM: the pasting alpha must be above 0 and below 0.5, not %g",
                          opt->paste_alpha);
    if (!(opt->mass_min > 0 && opt->mass_min < 1))
        return diag_error(d, DIAG_DATA, "PRIM: the minimum mass must be above 0 and below 1, not %g", opt->mass_min);
    if (!prim_in_range(opt->coverage_min, 0, 1))
        return diag_error(d, DIAG_DATA, "PRIM: the minimum coverage must be from 0 to 1, not %g", opt->coverage_min);
    if (!prim_in_range(opt->qp_threshold, 0, 1))
        return diag_error(d, DIAG_DATA, "PRIM: the qp-value threshold must be from 0 to 1, not %g",
                          opt->qp_threshold);
    if (!(opt->density_tolerance >= 0 && opt->density_tolerance <= 1))
        return diag_error(d, DIAG_DATA, "PRIM: the density tolerance must be from 0 to 1, not %g",
                          opt->density_tolerance);
    if (!prim_in_range(opt->density_min, 0, 1))
        return diag_error(d, DIAG_DATA, "PRIM: the minimum density must be from 0 to 1, not %g", opt->density_min);
    if (opt->max_boxes < 1 || opt->max_boxes > PRIM_MAX_BOXES)
        return diag_error(d, DIAG_DATA, "PRIM: the number of boxes must be from 1 to %d, not %zu", PRIM_MAX_BOXES,
                          opt->max_boxes);
    for (size_t b = 0; b < PRIM_MAX_BOXES; b++)
        if (opt->step[b] < -1)
            return diag_error(d, DIAG_DATA, "PRIM: box %zu: the step must be -1 (choose by coverage) or a step of "
                              "the trajectory, not %ld", b + 1, opt->step[b]);
    /* Each peel must remove a point and the smallest box must hold one. */
    double smallest = opt->peel_alpha < opt->mass_min ? opt->peel_alpha : opt->mass_min;
    if ((double)data->n * smallest < 1 - 1e-9) {
        size_t needed = (size_t)ceil(1 / smallest - 1e-9);
        return diag_error(d, DIAG_DATA,
                          "PRIM needs at least %zu points for a peeling alpha of %g and a minimum mass of %g; "
                          "there are %zu",
                          needed, opt->peel_alpha, opt->mass_min, data->n);
    }
    return DIAG_OK;
}

int prim_check(const prim_data *data, const prim_options *opt, diag *d)
{
    if (!data || !data->x || !data->missed)
        return diag_error(d, DIAG_SOFTWARE, "PRIM called without points or outcomes");
    if (data->n == 0 || data->k == 0)
        return diag_error(d, DIAG_DATA, "PRIM needs at least one point and one input (got %zu points, %zu inputs)",
                          data->n, data->k);
    if (data->n > UINT32_MAX)
        return diag_error(d, DIAG_DATA, "PRIM handles at most %lu points, not %zu", (unsigned long)UINT32_MAX,
                          data->n);
    for (size_t i = 0; i < data->n; i++)
        for (size_t j = 0; j < data->k; j++) {
            double v = data->x[i * data->k + j];
            if (!isfinite(v)) {
                char buf[32];
                return diag_error(d, DIAG_DATA, "PRIM: the value of %s in run %zu is not a finite number (%g)",
                                  prim_input_name(data, j, buf, sizeof buf), i + 1, v);
            }
        }
    return opt ? prim_check_options(data, opt, d) : DIAG_OK;
}

static void prim_work_free(prim_work *w)
{
    mem_free(w->range_lower);
    mem_free(w->range_upper);
    w->range_lower = w->range_upper = NULL;
}

/* Checks the data and options (opt may be NULL) and fills *w. */
static int prim_work_init(prim_work *w, const prim_data *data, const unsigned char *active, const prim_options *opt,
                          diag *d)
{
    memset(w, 0, sizeof *w);
    if (prim_check(data, opt, d) != DIAG_OK)
        return d->status;
    w->data = data;
    w->active = active;
    w->range_lower = mem_alloc(data->k * sizeof *w->range_lower);
    w->range_upper = mem_alloc(data->k * sizeof *w->range_upper);
    if (!w->range_lower || !w->range_upper) {
        prim_work_free(w);
        return diag_oom(d, "preparing PRIM");
    }
    for (size_t j = 0; j < data->k; j++)
        w->range_lower[j] = w->range_upper[j] = data->x[j];
    for (size_t i = 0; i < data->n; i++) {
        for (size_t j = 0; j < data->k; j++) {
            double v = PRIM_X(w, i, j);
            if (v < w->range_lower[j])
                w->range_lower[j] = v;
            if (v > w->range_upper[j])
                w->range_upper[j] = v;
        }
        w->misses += data->missed[i] != 0;
    }
    return DIAG_OK;
}

static int prim_is_active(const prim_work *w, size_t i)
{
    return !w->active || w->active[i];
}

static int prim_check_limits(const prim_work *w, const double *lower, const double *upper, diag *d)
{
    for (size_t j = 0; j < w->data->k; j++)
        if (isnan(lower[j]) || isnan(upper[j])) {
            char buf[32];
            return diag_error(d, DIAG_DATA, "PRIM: the box's limit of %s is not a number",
                              prim_input_name(w->data, j, buf, sizeof buf));
        }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Boxes */

/* The restricted sides of input j for the limits lo, hi. */
static unsigned prim_sides_of(const prim_work *w, size_t j, double lo, double hi)
{
    return (lo != w->range_lower[j] ? PRIM_LOWER : 0u) | (hi != w->range_upper[j] ? PRIM_UPPER : 0u);
}

static size_t prim_restricted_count(const prim_work *w, const double *lower, const double *upper)
{
    size_t count = 0;
    for (size_t j = 0; j < w->data->k; j++)
        count += prim_sides_of(w, j, lower[j], upper[j]) != 0;
    return count;
}

static int prim_point_in_box(const prim_work *w, size_t i, const double *lower, const double *upper)
{
    const double *xi = w->data->x + i * w->data->k;
    for (size_t j = 0; j < w->data->k; j++)
        if (xi[j] < lower[j] || xi[j] > upper[j])
            return 0;
    return 1;
}

/* Points and misses among the searched points inside the box. */
static void prim_count(const prim_work *w, const double *lower, const double *upper, size_t *points, size_t *misses)
{
    size_t m = 0, h = 0;
    for (size_t i = 0; i < w->data->n; i++)
        if (prim_is_active(w, i) && prim_point_in_box(w, i, lower, upper)) {
            m++;
            h += w->data->missed[i] != 0;
        }
    *points = m;
    *misses = h;
}

static double prim_density(size_t points, size_t misses)
{
    return points ? (double)misses / (double)points : 0;
}

static prim_stats prim_make_stats(const prim_work *w, size_t points, size_t misses, const double *lower,
                                  const double *upper)
{
    prim_stats s;
    s.points = points;
    s.misses = misses;
    s.coverage = w->misses ? (double)misses / (double)w->misses : 0;
    s.density = prim_density(points, misses);
    s.mass = (double)points / (double)w->data->n;
    s.restricted = prim_restricted_count(w, lower, upper);
    return s;
}

int prim_box_stats(const prim_data *data, const unsigned char *active, const double *lower, const double *upper,
                   prim_stats *out, diag *d)
{
    prim_work w;
    if (prim_work_init(&w, data, active, NULL, d) != DIAG_OK)
        return d->status;
    if (prim_check_limits(&w, lower, upper, d) != DIAG_OK) {
        prim_work_free(&w);
        return d->status;
    }
    size_t m, h;
    prim_count(&w, lower, upper, &m, &h);
    *out = prim_make_stats(&w, m, h, lower, upper);
    prim_work_free(&w);
    return DIAG_OK;
}

/* The EMA Workbench's objective ("lenient1"): the change in density per point removed or
 * added. Boxes never differ in density without differing in points. */
static double prim_objective(size_t m_old, size_t h_old, size_t m_new, size_t h_new)
{
    double mean_old = prim_density(m_old, h_old), mean_new = prim_density(m_new, h_new);
    if (mean_old == mean_new || m_old == m_new)
        return 0;
    size_t change = m_old > m_new ? m_old - m_new : m_new - m_old;
    return (mean_new - mean_old) / (double)change;
}

/* The quantile of sorted data[m] (m >= 1) used by sdtoolkit and the EMA Workbench: at
 * position (m - 1) q, the mean of the values just below and above, where "just above" moves
 * on (for q <= 0.5; "just below" moves back for q > 0.5) past values equal to the other one,
 * so that the cut falls between two distinct values whenever there are any. */
static double prim_quantile_sorted(const double *data, size_t m, double q)
{
    double position = (double)(m - 1) * q;
    size_t lo = (size_t)floor(position), hi = (size_t)ceil(position);
    if (q > 0.5)
        while (data[lo] == data[hi] && lo > 0)
            lo--;
    else
        while (data[lo] == data[hi] && hi < m - 1)
            hi++;
    return (data[lo] + data[hi]) / 2;
}

/* ---------------------------------------------------------------------------------------- */
/* Trajectories */

void prim_trajectory_free(prim_trajectory *t)
{
    if (!t)
        return;
    mem_free(t->stats);
    mem_free(t->lower);
    mem_free(t->upper);
    mem_free(t->sides);
    memset(t, 0, sizeof *t);
}

/* Appends a box; returns DIAG_OK or DIAG_SOFTWARE (the trajectory is unchanged then). */
static int prim_trajectory_push(prim_trajectory *t, const prim_work *w, const prim_stats *stats,
                                const double *lower, const double *upper, diag *d)
{
    size_t k = w->data->k;
    if (t->steps == t->capacity) {
        size_t capacity = t->capacity ? 2 * t->capacity : 64;
        prim_stats *s = mem_realloc(t->stats, capacity * sizeof *s);
        if (!s)
            return diag_oom(d, "recording a PRIM trajectory");
        t->stats = s;
        double *lo = mem_realloc(t->lower, capacity * k * sizeof *lo);
        if (!lo)
            return diag_oom(d, "recording a PRIM trajectory");
        t->lower = lo;
        double *hi = mem_realloc(t->upper, capacity * k * sizeof *hi);
        if (!hi)
            return diag_oom(d, "recording a PRIM trajectory");
        t->upper = hi;
        unsigned char *sides = mem_realloc(t->sides, capacity * k * sizeof *sides);
        if (!sides)
            return diag_oom(d, "recording a PRIM trajectory");
        t->sides = sides;
        t->capacity = capacity;
    }
    size_t s = t->steps;
    t->stats[s] = *stats;
    memcpy(t->lower + s * k, lower, k * sizeof *lower);
    memcpy(t->upper + s * k, upper, k * sizeof *upper);
    for (size_t j = 0; j < k; j++)
        t->sides[s * k + j] = (unsigned char)prim_sides_of(w, j, lower[j], upper[j]);
    t->steps++;
    return DIAG_OK;
}

size_t prim_choose_step(const prim_trajectory *t, size_t misses_searched, double coverage_min)
{
    size_t best = 0;
    int found = 0;
    for (size_t s = 0; s < t->steps; s++) {
        const prim_stats *c = &t->stats[s];
        /* step 0 holds every miss searched, so it always qualifies */
        if (s > 0 && (double)c->misses < coverage_min * (double)misses_searched)
            continue;
        const prim_stats *b = &t->stats[best];
        if (!found || c->density > b->density || (c->density == b->density && c->misses > b->misses))
            best = s;
        found = 1;
    }
    return best;
}

/* ---------------------------------------------------------------------------------------- */
/* Peeling */

typedef struct prim_peeler {
    const prim_work *w;
    size_t m0;             /* points searched */
    size_t *order;         /* k * m0: the searched points sorted by input j at order[j * m0 + r] */
    size_t *first, *last;  /* k: the box's points lie at positions first[j] <= r < last[j] of
                              input j's order (those before and after are below and above its
                              limits) */
    unsigned char *in_box; /* n */
    double *lower, *upper; /* k: the box */
    size_t m, h;           /* points and misses in the box */
} prim_peeler;

/* A candidate cut. */
typedef struct prim_cut {
    size_t input;
    unsigned side;        /* PRIM_LOWER or PRIM_UPPER */
    double value;         /* the new limit */
    size_t removed;       /* box points it removes */
    size_t removed_misses;
} prim_cut;

typedef struct prim_pair {
    double value;
    size_t index;
} prim_pair;

/* By value, then by index: a total order, so the sort does not depend on qsort's choices. */
static int prim_pair_compare(const void *a, const void *b)
{
    const prim_pair *p = a, *q = b;
    if (p->value != q->value)
        return p->value < q->value ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

static int prim_double_compare(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

static void prim_peeler_free(prim_peeler *p)
{
    mem_free(p->order);
    mem_free(p->first);
    mem_free(p->last);
    mem_free(p->in_box);
    mem_free(p->lower);
    mem_free(p->upper);
    memset(p, 0, sizeof *p);
}

/* Sorts the points with active[i] nonzero (all when active is NULL), count of them, by each
 * input, then by index (a total order, so qsort's choices do not matter): order[j * count + r]. */
static int prim_sort_points(const prim_work *w, const unsigned char *active, size_t count, size_t *order, diag *d)
{
    size_t n = w->data->n;
    prim_pair *pairs = mem_alloc(count * sizeof *pairs);
    if (!pairs)
        return diag_oom(d, "sorting PRIM inputs");
    for (size_t j = 0; j < w->data->k; j++) {
        size_t r = 0;
        for (size_t i = 0; i < n; i++)
            if (!active || active[i])
                pairs[r++] = (prim_pair){PRIM_X(w, i, j), i};
        qsort(pairs, count, sizeof *pairs, prim_pair_compare);
        for (r = 0; r < count; r++)
            order[j * count + r] = pairs[r].index;
    }
    mem_free(pairs);
    return DIAG_OK;
}

/* Allocates an order of k * n indices and sorts all points into it (*out NULL on failure). */
static int prim_sort_all(const prim_work *w, size_t **out, diag *d)
{
    size_t bytes;
    *out = NULL;
    if (!mem_size_mul(w->data->n, w->data->k * sizeof **out, &bytes) || !(*out = mem_alloc(bytes)))
        return diag_oom(d, "sorting PRIM inputs");
    if (prim_sort_points(w, NULL, w->data->n, *out, d) != DIAG_OK) {
        mem_free(*out);
        *out = NULL;
        return d->status;
    }
    return DIAG_OK;
}

static int prim_peeler_init(prim_peeler *p, const prim_work *w, diag *d)
{
    size_t n = w->data->n, k = w->data->k;
    memset(p, 0, sizeof *p);
    p->w = w;
    for (size_t i = 0; i < n; i++)
        p->m0 += prim_is_active(w, i);
    if (p->m0 == 0)
        return diag_error(d, DIAG_DATA, "PRIM: no point left to search");
    size_t order_size;
    if (!mem_size_mul(p->m0, k * sizeof *p->order, &order_size))
        return diag_oom(d, "sorting PRIM inputs");
    p->order = mem_alloc(order_size);
    p->first = mem_alloc(k * sizeof *p->first);
    p->last = mem_alloc(k * sizeof *p->last);
    p->in_box = mem_calloc(n, 1);
    p->lower = mem_alloc(k * sizeof *p->lower);
    p->upper = mem_alloc(k * sizeof *p->upper);
    if (!p->order || !p->first || !p->last || !p->in_box || !p->lower || !p->upper) {
        prim_peeler_free(p);
        return diag_oom(d, "sorting PRIM inputs");
    }
    for (size_t i = 0; i < n; i++)
        if (prim_is_active(w, i)) {
            p->in_box[i] = 1;
            p->h += w->data->missed[i] != 0;
        }
    p->m = p->m0;
    if (w->sorted) {
        /* the searched points keep their places in the order of all points */
        for (size_t j = 0; j < k; j++) {
            size_t r = 0;
            for (size_t pos = 0; pos < n; pos++) {
                size_t i = w->sorted[j * n + pos];
                if (p->in_box[i])
                    p->order[j * p->m0 + r++] = i;
            }
        }
    } else if (prim_sort_points(w, w->active, p->m0, p->order, d) != DIAG_OK) {
        prim_peeler_free(p);
        return d->status;
    }
    for (size_t j = 0; j < k; j++) {
        p->first[j] = 0;
        p->last[j] = p->m0;
        p->lower[j] = w->range_lower[j];
        p->upper[j] = w->range_upper[j];
    }
    return DIAG_OK;
}

/* The position of the next box point at or after *pos (upwards) in input j's order; *pos is
 * left just past it. There must be one. */
static size_t prim_next_up(const prim_peeler *p, const size_t *order, size_t *pos)
{
    while (!p->in_box[order[*pos]])
        (*pos)++;
    return order[(*pos)++];
}

/* The next box point below *pos (downwards); *pos is left at it. There must be one. */
static size_t prim_next_down(const prim_peeler *p, const size_t *order, size_t *pos)
{
    do
        (*pos)--;
    while (!p->in_box[order[*pos]]);
    return order[*pos];
}

/* The cut of input j at the side's end: the new limit, and the box points outside it. */
static prim_cut prim_peel_candidate(const prim_peeler *p, size_t j, unsigned side, double alpha)
{
    const prim_work *w = p->w;
    const size_t *order = p->order + j * p->m0;
    size_t m = p->m;
    prim_cut cut = {.input = j, .side = side};
    if (side == PRIM_LOWER) {
        /* the quantile at alpha: ranks lo and hi from the bottom, hi moving up past ties */
        double position = (double)(m - 1) * alpha;
        size_t lo = (size_t)floor(position), hi = (size_t)ceil(position);
        size_t pos = p->first[j];
        double v_lo = 0, v_hi = 0;
        for (size_t rank = 0; rank <= hi; rank++) {
            double v = PRIM_X(w, prim_next_up(p, order, &pos), j);
            if (rank == lo)
                v_lo = v;
            if (rank == hi)
                v_hi = v;
        }
        while (v_lo == v_hi && hi < m - 1) {
            v_hi = PRIM_X(w, prim_next_up(p, order, &pos), j);
            hi++;
        }
        cut.value = (v_lo + v_hi) / 2;
        for (pos = p->first[j]; pos < p->last[j]; pos++) {
            size_t i = order[pos];
            if (!(PRIM_X(w, i, j) < cut.value))
                break;
            if (p->in_box[i]) {
                cut.removed++;
                cut.removed_misses += w->data->missed[i] != 0;
            }
        }
    } else {
        /* the quantile at 1 - alpha: ranks lo and hi from the bottom, lo moving down past
         * ties; walked from the top, where rank r is the (m - 1 - r)-th box point */
        double position = (double)(m - 1) * (1 - alpha);
        size_t lo = (size_t)floor(position), hi = (size_t)ceil(position);
        size_t pos = p->last[j];
        double v_lo = 0, v_hi = 0;
        for (size_t from_top = 0; from_top <= m - 1 - lo; from_top++) {
            double v = PRIM_X(w, prim_next_down(p, order, &pos), j);
            if (from_top == m - 1 - hi)
                v_hi = v;
            if (from_top == m - 1 - lo)
                v_lo = v;
        }
        while (v_lo == v_hi && lo > 0) {
            v_lo = PRIM_X(w, prim_next_down(p, order, &pos), j);
            lo--;
        }
        cut.value = (v_lo + v_hi) / 2;
        for (pos = p->last[j]; pos-- > p->first[j];) {
            size_t i = order[pos];
            if (!(PRIM_X(w, i, j) > cut.value))
                break;
            if (p->in_box[i]) {
                cut.removed++;
                cut.removed_misses += w->data->missed[i] != 0;
            }
        }
    }
    return cut;
}

/* Applies a cut: the limit moves, the points outside it leave the box, and the input's
 * window of positions shrinks past them. */
static void prim_peel_apply(prim_peeler *p, const prim_cut *cut)
{
    const prim_work *w = p->w;
    size_t j = cut->input;
    const size_t *order = p->order + j * p->m0;
    if (cut->side == PRIM_LOWER) {
        p->lower[j] = cut->value;
        while (p->first[j] < p->last[j] && PRIM_X(w, order[p->first[j]], j) < cut->value)
            p->in_box[order[p->first[j]++]] = 0;
    } else {
        p->upper[j] = cut->value;
        while (p->last[j] > p->first[j] && PRIM_X(w, order[p->last[j] - 1], j) > cut->value)
            p->in_box[order[--p->last[j]]] = 0;
    }
    p->m -= cut->removed;
    p->h -= cut->removed_misses;
}

/* The inputs the box restricts if input j's limits become lo, hi. */
static size_t prim_restricted_with(const prim_work *w, size_t restricted, const double *lower,
                                   const double *upper, size_t j, double lo, double hi)
{
    return restricted - (prim_sides_of(w, j, lower[j], upper[j]) != 0) + (prim_sides_of(w, j, lo, hi) != 0);
}

static int prim_peel_run(const prim_work *w, double alpha, double mass_min, size_t max_steps, prim_trajectory *out,
                         diag *d)
{
    prim_peeler p;
    if (prim_peeler_init(&p, w, d) != DIAG_OK)
        return d->status;
    size_t n = w->data->n, k = w->data->k;
    size_t restricted = prim_restricted_count(w, p.lower, p.upper);
    prim_stats stats = prim_make_stats(w, p.m, p.h, p.lower, p.upper);
    int status = prim_trajectory_push(out, w, &stats, p.lower, p.upper, d);
    for (size_t step = 0; status == DIAG_OK && (max_steps == 0 || step < max_steps); step++) {
        prim_cut best = {0};
        double best_objective = 0;
        size_t best_free = 0; /* unrestricted inputs after the best cut: fewer restrictions win ties */
        int found = 0;
        for (size_t j = 0; j < k; j++) {
            /* the EMA Workbench's order: per input, the upper end first */
            static const unsigned sides[2] = {PRIM_UPPER, PRIM_LOWER};
            for (int s = 0; s < 2; s++) {
                prim_cut cut = prim_peel_candidate(&p, j, sides[s], alpha);
                double objective =
                    prim_objective(p.m, p.h, p.m - cut.removed, p.h - cut.removed_misses);
                double lo = sides[s] == PRIM_LOWER ? cut.value : p.lower[j];
                double hi = sides[s] == PRIM_UPPER ? cut.value : p.upper[j];
                size_t free_inputs = k - prim_restricted_with(w, restricted, p.lower, p.upper, j, lo, hi);
                if (!found || objective > best_objective ||
                    (objective == best_objective && free_inputs > best_free)) {
                    best = cut;
                    best_objective = objective;
                    best_free = free_inputs;
                    found = 1;
                }
            }
        }
        double mass_old = (double)p.m / (double)n, mass_new = (double)(p.m - best.removed) / (double)n;
        if (!(mass_new >= mass_min && mass_new < mass_old && best_objective > 0))
            break;
        prim_peel_apply(&p, &best);
        restricted = prim_restricted_count(w, p.lower, p.upper);
        stats = prim_make_stats(w, p.m, p.h, p.lower, p.upper);
        status = prim_trajectory_push(out, w, &stats, p.lower, p.upper, d);
    }
    prim_peeler_free(&p);
    return status;
}

int prim_peel(const prim_data *data, const unsigned char *active, const prim_options *opt, size_t max_steps,
              prim_trajectory *out, diag *d)
{
    memset(out, 0, sizeof *out);
    prim_work w;
    if (prim_work_init(&w, data, active, opt, d) != DIAG_OK)
        return d->status;
    out->k = data->k;
    int status = prim_peel_run(&w, opt->peel_alpha, opt->mass_min, max_steps, out, d);
    prim_work_free(&w);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Pasting */

/* The candidate paste of input j at one side of the box: the new limit. The strip is the
 * searched points inside the box on every other input and between the data's extreme and
 * the box's limit on input j (both included); the new limit is the quantile 1 - alpha of
 * their values below the box (alpha above it), the data's extreme when the strip is empty.
 * values[] has room for n values. */
static double prim_paste_limit(const prim_work *w, const double *lower, const double *upper, size_t j,
                               unsigned side, double alpha, double *values)
{
    size_t count = 0, n = w->data->n, k = w->data->k;
    double strip_lo = side == PRIM_LOWER ? w->range_lower[j] : upper[j];
    double strip_hi = side == PRIM_LOWER ? lower[j] : w->range_upper[j];
    for (size_t i = 0; i < n; i++) {
        if (!prim_is_active(w, i))
            continue;
        const double *xi = w->data->x + i * k;
        int inside = xi[j] >= strip_lo && xi[j] <= strip_hi;
        for (size_t c = 0; inside && c < k; c++)
            if (c != j && (xi[c] < lower[c] || xi[c] > upper[c]))
                inside = 0;
        if (inside)
            values[count++] = xi[j];
    }
    if (count == 0)
        return side == PRIM_LOWER ? w->range_lower[j] : w->range_upper[j];
    qsort(values, count, sizeof *values, prim_double_compare);
    return prim_quantile_sorted(values, count, side == PRIM_LOWER ? 1 - alpha : alpha);
}

static int prim_paste_run(const prim_work *w, double alpha, double mass_min, double *lower, double *upper,
                          prim_trajectory *out, diag *d)
{
    size_t n = w->data->n, k = w->data->k;
    double *values = mem_alloc(n * sizeof *values);
    double *candidate_lower = mem_alloc(k * sizeof *candidate_lower);
    double *candidate_upper = mem_alloc(k * sizeof *candidate_upper);
    double *best_lower = mem_alloc(k * sizeof *best_lower);
    double *best_upper = mem_alloc(k * sizeof *best_upper);
    int status = DIAG_OK;
    if (!values || !candidate_lower || !candidate_upper || !best_lower || !best_upper) {
        status = diag_oom(d, "pasting a PRIM box");
        goto out;
    }
    for (;;) {
        size_t m, h;
        prim_count(w, lower, upper, &m, &h);
        double best_objective = 0;
        size_t best_free = 0, best_m = 0, best_h = 0;
        int found = 0;
        for (size_t j = 0; j < k; j++) {
            if (!prim_sides_of(w, j, lower[j], upper[j]))
                continue;
            static const unsigned sides[2] = {PRIM_LOWER, PRIM_UPPER}; /* the EMA Workbench's order */
            for (int s = 0; s < 2; s++) {
                double limit = prim_paste_limit(w, lower, upper, j, sides[s], alpha, values);
                memcpy(candidate_lower, lower, k * sizeof *lower);
                memcpy(candidate_upper, upper, k * sizeof *upper);
                if (sides[s] == PRIM_LOWER)
                    candidate_lower[j] = limit;
                else
                    candidate_upper[j] = limit;
                size_t cm, ch;
                prim_count(w, candidate_lower, candidate_upper, &cm, &ch);
                double objective = prim_objective(m, h, cm, ch);
                size_t free_inputs = k - prim_restricted_count(w, candidate_lower, candidate_upper);
                if (!found || objective > best_objective ||
                    (objective == best_objective && free_inputs > best_free)) {
                    memcpy(best_lower, candidate_lower, k * sizeof *lower);
                    memcpy(best_upper, candidate_upper, k * sizeof *upper);
                    best_objective = objective;
                    best_free = free_inputs;
                    best_m = cm;
                    best_h = ch;
                    found = 1;
                }
            }
        }
        if (!found)
            break;
        double mass_old = (double)m / (double)n, mass_new = (double)best_m / (double)n;
        if (!(mass_new >= mass_min && mass_new > mass_old && best_objective > 0 &&
              prim_density(best_m, best_h) > prim_density(m, h)))
            break;
        memcpy(lower, best_lower, k * sizeof *lower);
        memcpy(upper, best_upper, k * sizeof *upper);
        prim_stats stats = prim_make_stats(w, best_m, best_h, lower, upper);
        if ((status = prim_trajectory_push(out, w, &stats, lower, upper, d)) != DIAG_OK)
            break;
    }
out:
    mem_free(values);
    mem_free(candidate_lower);
    mem_free(candidate_upper);
    mem_free(best_lower);
    mem_free(best_upper);
    return status;
}

int prim_paste(const prim_data *data, const unsigned char *active, const prim_options *opt, double *lower,
               double *upper, prim_trajectory *out, diag *d)
{
    memset(out, 0, sizeof *out);
    prim_work w;
    if (prim_work_init(&w, data, active, opt, d) != DIAG_OK)
        return d->status;
    out->k = data->k;
    int status = prim_check_limits(&w, lower, upper, d);
    if (status == DIAG_OK)
        status = prim_paste_run(&w, opt->paste_alpha, opt->mass_min, lower, upper, out, d);
    prim_work_free(&w);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* qp-values */

/* P(X >= hits) for X binomial with `trials` trials and probability p: the terms of the
 * probability function summed from the side where they fall off, starting from the one
 * nearest the mode (computed with lgamma), by the ratio of successive terms. */
static double prim_binomial_upper_tail(size_t hits, size_t trials, double p)
{
    if (hits == 0)
        return 1;
    if (hits > trials || p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    double t = (double)trials, log_p = log(p), log_q = log1p(-p), ratio = p / (1 - p);
    double mode = floor((t + 1) * p);
    if ((double)hits > mode) {
        /* terms fall from `hits` up to `trials` */
        double x = (double)hits;
        double term = exp(lgamma(t + 1) - lgamma(x + 1) - lgamma(t - x + 1) + x * log_p + (t - x) * log_q);
        double sum = 0;
        for (; x <= t && term > 0; x++) {
            sum += term;
            if (term < sum * 1e-17)
                break;
            term *= (t - x) / (x + 1) * ratio;
        }
        return sum < 1 ? sum : 1;
    }
    /* 1 - P(X <= hits - 1): those terms fall from hits - 1 down to 0 */
    double x = (double)hits - 1;
    double term = exp(lgamma(t + 1) - lgamma(x + 1) - lgamma(t - x + 1) + x * log_p + (t - x) * log_q);
    double sum = 0;
    for (; x >= 0 && term > 0; x--) {
        sum += term;
        if (term < sum * 1e-17)
            break;
        term *= x / (t - x + 1) / ratio;
    }
    double tail = 1 - sum;
    return tail > 0 ? tail : 0;
}

static int prim_qp_run(const prim_work *w, const double *lower, const double *upper, double *qp_lower,
                       double *qp_upper, diag *d)
{
    size_t k = w->data->k;
    double *relaxed = mem_alloc(k * sizeof *relaxed);
    if (!relaxed)
        return diag_oom(d, "computing PRIM qp-values");
    size_t m, h;
    prim_count(w, lower, upper, &m, &h);
    for (size_t j = 0; j < k; j++) {
        unsigned sides = prim_sides_of(w, j, lower[j], upper[j]);
        qp_lower[j] = qp_upper[j] = NAN;
        for (unsigned side = PRIM_LOWER; side <= PRIM_UPPER; side <<= 1) {
            if (!(sides & side))
                continue;
            size_t mj, hj;
            if (side == PRIM_LOWER) {
                memcpy(relaxed, lower, k * sizeof *relaxed);
                relaxed[j] = w->range_lower[j];
                prim_count(w, relaxed, upper, &mj, &hj);
            } else {
                memcpy(relaxed, upper, k * sizeof *relaxed);
                relaxed[j] = w->range_upper[j];
                prim_count(w, lower, relaxed, &mj, &hj);
            }
            double qp = prim_binomial_upper_tail(h, m, prim_density(mj, hj));
            if (side == PRIM_LOWER)
                qp_lower[j] = qp;
            else
                qp_upper[j] = qp;
        }
    }
    mem_free(relaxed);
    return DIAG_OK;
}

int prim_qp(const prim_data *data, const unsigned char *active, const double *lower, const double *upper,
            double *qp_lower, double *qp_upper, diag *d)
{
    prim_work w;
    if (prim_work_init(&w, data, active, NULL, d) != DIAG_OK)
        return d->status;
    int status = prim_check_limits(&w, lower, upper, d);
    if (status == DIAG_OK)
        status = prim_qp_run(&w, lower, upper, qp_lower, qp_upper, d);
    prim_work_free(&w);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Dropping restrictions */

static int prim_drop_run(const prim_work *w, double qp_threshold, double tolerance, double *lower, double *upper,
                         prim_dropped *dropped, size_t *count, diag *d)
{
    size_t k = w->data->k, drops = 0;
    double *qp_lower = mem_alloc(k * sizeof *qp_lower);
    double *qp_upper = mem_alloc(k * sizeof *qp_upper);
    double *relaxed = mem_alloc(k * sizeof *relaxed);
    int status = DIAG_OK;
    if (!qp_lower || !qp_upper || !relaxed) {
        status = diag_oom(d, "dropping PRIM restrictions");
        goto out;
    }
    for (;;) {
        size_t m, h;
        prim_count(w, lower, upper, &m, &h);
        double density = prim_density(m, h);
        if ((status = prim_qp_run(w, lower, upper, qp_lower, qp_upper, d)) != DIAG_OK)
            break;
        prim_dropped best = {.input = k};
        for (size_t j = 0; j < k; j++) {
            unsigned sides = prim_sides_of(w, j, lower[j], upper[j]);
            for (unsigned side = PRIM_LOWER; side <= PRIM_UPPER; side <<= 1) {
                if (!(sides & side))
                    continue;
                size_t mj, hj;
                if (side == PRIM_LOWER) {
                    memcpy(relaxed, lower, k * sizeof *relaxed);
                    relaxed[j] = w->range_lower[j];
                    prim_count(w, relaxed, upper, &mj, &hj);
                } else {
                    memcpy(relaxed, upper, k * sizeof *relaxed);
                    relaxed[j] = w->range_upper[j];
                    prim_count(w, lower, relaxed, &mj, &hj);
                }
                double without = prim_density(mj, hj);
                double qp = side == PRIM_LOWER ? qp_lower[j] : qp_upper[j];
                if (!(qp > qp_threshold || without >= density - tolerance))
                    continue;
                if (best.input == k || without > best.density_without ||
                    (without == best.density_without && qp > best.qp))
                    best = (prim_dropped){.input = j,
                                          .side = side,
                                          .limit = side == PRIM_LOWER ? lower[j] : upper[j],
                                          .qp = qp,
                                          .density_with = density,
                                          .density_without = without};
            }
        }
        if (best.input == k)
            break;
        if (best.side == PRIM_LOWER)
            lower[best.input] = w->range_lower[best.input];
        else
            upper[best.input] = w->range_upper[best.input];
        if (dropped)
            dropped[drops] = best;
        drops++;
    }
out:
    if (count)
        *count = drops;
    mem_free(qp_lower);
    mem_free(qp_upper);
    mem_free(relaxed);
    return status;
}

int prim_drop(const prim_data *data, const unsigned char *active, const prim_options *opt, double *lower,
              double *upper, prim_dropped *dropped, size_t *count, diag *d)
{
    if (count)
        *count = 0;
    prim_work w;
    if (prim_work_init(&w, data, active, opt, d) != DIAG_OK)
        return d->status;
    int status = prim_check_limits(&w, lower, upper, d);
    if (status == DIAG_OK)
        status = prim_drop_run(&w, opt->qp_threshold, opt->density_tolerance, lower, upper, dropped, count, d);
    prim_work_free(&w);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Covering */

static void prim_box_free(prim_box *b)
{
    prim_trajectory_free(&b->peeling);
    prim_trajectory_free(&b->pasting);
    mem_free(b->dropped);
    mem_free(b->limits);
    memset(b, 0, sizeof *b);
}

void prim_result_free(prim_result *r)
{
    if (!r)
        return;
    for (size_t b = 0; b < r->box_count; b++)
        prim_box_free(&r->boxes[b]);
    mem_free(r->boxes);
    mem_free(r->range_lower);
    mem_free(r->range_upper);
    memset(r, 0, sizeof *r);
}

/* Finds one box over the active points into *box (owned; freed by the caller). */
static int prim_find_box(const prim_work *w, const prim_options *opt, size_t index, prim_box *box, diag *d)
{
    size_t k = w->data->k;
    box->peeling.k = box->pasting.k = k;
    box->limits = mem_calloc(k, sizeof *box->limits);
    box->dropped = mem_calloc(2 * k, sizeof *box->dropped);
    double *lower = mem_alloc(k * sizeof *lower), *upper = mem_alloc(k * sizeof *upper);
    double *qp_lower = mem_alloc(k * sizeof *qp_lower), *qp_upper = mem_alloc(k * sizeof *qp_upper);
    int status = DIAG_OK;
    if (!box->limits || !box->dropped || !lower || !upper || !qp_lower || !qp_upper) {
        status = diag_oom(d, "finding a PRIM box");
        goto out;
    }
    if ((status = prim_peel_run(w, opt->peel_alpha, opt->mass_min, 0, &box->peeling, d)) != DIAG_OK)
        goto out;
    long named = opt->step[index];
    if (named >= 0 && (size_t)named >= box->peeling.steps) {
        status = diag_error(d, DIAG_DATA, "PRIM: box %zu: step %ld was named, but its peeling trajectory has steps "
                            "0 to %zu", index + 1, named, box->peeling.steps - 1);
        goto out;
    }
    box->step = named >= 0 ? (size_t)named : prim_choose_step(&box->peeling, box->active_misses, opt->coverage_min);
    memcpy(lower, box->peeling.lower + box->step * k, k * sizeof *lower);
    memcpy(upper, box->peeling.upper + box->step * k, k * sizeof *upper);
    if ((status = prim_paste_run(w, opt->paste_alpha, opt->mass_min, lower, upper, &box->pasting, d)) != DIAG_OK)
        goto out;
    if ((status = prim_drop_run(w, opt->qp_threshold, opt->density_tolerance, lower, upper, box->dropped,
                                 &box->dropped_count, d)) !=
        DIAG_OK)
        goto out;
    if ((status = prim_qp_run(w, lower, upper, qp_lower, qp_upper, d)) != DIAG_OK)
        goto out;
    size_t m, h;
    prim_count(w, lower, upper, &m, &h);
    box->stats = prim_make_stats(w, m, h, lower, upper);
    for (size_t j = 0; j < k; j++) {
        prim_limit *l = &box->limits[j];
        l->sides = prim_sides_of(w, j, lower[j], upper[j]);
        l->lower = lower[j];
        l->upper = upper[j];
        l->qp_lower = qp_lower[j];
        l->qp_upper = qp_upper[j];
    }
out:
    mem_free(lower);
    mem_free(upper);
    mem_free(qp_lower);
    mem_free(qp_upper);
    return status;
}

int prim_discover(const prim_data *data, const prim_options *opt_in, prim_result *out, diag *d)
{
    memset(out, 0, sizeof *out);
    prim_options defaults;
    prim_options_default(&defaults);
    const prim_options *opt = opt_in ? opt_in : &defaults;
    unsigned char *active = NULL;
    size_t *sorted = NULL;
    prim_work w;
    if (prim_work_init(&w, data, NULL, opt, d) != DIAG_OK)
        return d->status;
    size_t n = data->n, k = data->k;
    out->n = n;
    out->k = k;
    out->misses = w.misses;
    out->range_lower = mem_alloc(k * sizeof *out->range_lower);
    out->range_upper = mem_alloc(k * sizeof *out->range_upper);
    out->boxes = mem_calloc(opt->max_boxes, sizeof *out->boxes);
    active = mem_alloc(n);
    int status = DIAG_OK;
    if (!out->range_lower || !out->range_upper || !out->boxes || !active) {
        status = diag_oom(d, "running PRIM");
        goto out;
    }
    memcpy(out->range_lower, w.range_lower, k * sizeof *w.range_lower);
    memcpy(out->range_upper, w.range_upper, k * sizeof *w.range_upper);
    memset(active, 1, n);
    w.active = active;
    if ((status = prim_sort_all(&w, &sorted, d)) != DIAG_OK)
        goto out;
    w.sorted = sorted;
    out->stop = PRIM_STOP_MAX_BOXES;
    for (size_t b = 0; b < opt->max_boxes; b++) {
        prim_box box;
        memset(&box, 0, sizeof box);
        for (size_t i = 0; i < n; i++)
            if (active[i]) {
                box.active_points++;
                box.active_misses += data->missed[i] != 0;
            }
        if (box.active_misses == 0) {
            out->stop = PRIM_STOP_NO_MISSES;
            break;
        }
        if (box.active_misses == box.active_points) {
            out->stop = PRIM_STOP_ALL_MISSED;
            break;
        }
        if ((status = prim_find_box(&w, opt, b, &box, d)) != DIAG_OK) {
            prim_box_free(&box);
            break;
        }
        if (box.stats.restricted == 0 || box.stats.density < opt->density_min) {
            out->stop = box.stats.restricted == 0 ? PRIM_STOP_NO_RESTRICTION : PRIM_STOP_LOW_DENSITY;
            prim_box_free(&box);
            break;
        }
        /* covering: the next box is searched among the points outside this one */
        for (size_t i = 0; i < n; i++) {
            if (!active[i])
                continue;
            const double *xi = data->x + i * k;
            int inside = 1;
            for (size_t j = 0; inside && j < k; j++)
                inside = xi[j] >= box.limits[j].lower && xi[j] <= box.limits[j].upper;
            if (inside)
                active[i] = 0;
        }
        out->boxes[out->box_count++] = box;
    }
out:
    mem_free(sorted);
    mem_free(active);
    prim_work_free(&w);
    return status;
}
