/* prim_peel.c: PRIM peeling (prim.h's prim_peel): from the box holding every point, cut the
 * slab of one input that most raises the density, step by step.
 *
 * Peeling is the hot loop: every step tries two cuts per input, each needing a quantile of
 * the box's values of that input and the points it would remove. Each input's searched
 * points are sorted once; a box is a membership flag per point, and a cut walks the sorted
 * order from the end it cuts, skipping points outside the box. A step then costs about
 * alpha x (points in the input's slab) per cut, not a sort of the box. */
#include "prim_internal.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int prim_double_compare(const void *a, const void *b)
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
        return diag_oom(d, _("sorting PRIM inputs"));
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
int prim_sort_all(const prim_work *w, size_t **out, diag *d)
{
    size_t bytes;
    *out = NULL;
    if (!mem_size_mul(w->data->n, w->data->k * sizeof **out, &bytes) || !(*out = mem_alloc(bytes)))
        return diag_oom(d, _("sorting PRIM inputs"));
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
        return diag_error(d, DIAG_DATA, _("PRIM: no point left to search"));
    size_t order_size;
    if (!mem_size_mul(p->m0, k * sizeof *p->order, &order_size))
        return diag_oom(d, _("sorting PRIM inputs"));
    p->order = mem_alloc(order_size);
    p->first = mem_alloc(k * sizeof *p->first);
    p->last = mem_alloc(k * sizeof *p->last);
    p->in_box = mem_calloc(n, 1);
    p->lower = mem_alloc(k * sizeof *p->lower);
    p->upper = mem_alloc(k * sizeof *p->upper);
    if (!p->order || !p->first || !p->last || !p->in_box || !p->lower || !p->upper) {
        prim_peeler_free(p);
        return diag_oom(d, _("sorting PRIM inputs"));
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

int prim_peel_run(const prim_work *w, double alpha, double mass_min, size_t max_steps, prim_trajectory *out,
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
