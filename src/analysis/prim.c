/* prim.c: PRIM (prim.h): the checks, boxes and trajectories every stage uses, and covering
 * (prim_discover), which chains the stages: peeling (prim_peel.c), then pasting, qp-values
 * and dropping of restrictions (prim_refine.c).
 *
 * The choices that decide which box comes out (the quantile with its tie rule, the order in
 * which cuts are tried, the objective, the stopping tests) follow the EMA Workbench; see
 * docs/methods.md §6. */
#include "prim_internal.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        return diag_error(d, DIAG_DATA, _("PRIM: the peeling alpha must be above 0 and below 0.5, not %g"),
                          opt->peel_alpha);
    if (!(opt->paste_alpha > 0 && opt->paste_alpha < 0.5))
        return diag_error(d, DIAG_DATA, _("PRIM: the pasting alpha must be above 0 and below 0.5, not %g"),
                          opt->paste_alpha);
    if (!(opt->mass_min > 0 && opt->mass_min < 1))
        return diag_error(d, DIAG_DATA, _("PRIM: the minimum mass must be above 0 and below 1, not %g"), opt->mass_min);
    if (!prim_in_range(opt->coverage_min, 0, 1))
        return diag_error(d, DIAG_DATA, _("PRIM: the minimum coverage must be from 0 to 1, not %g"), opt->coverage_min);
    if (!prim_in_range(opt->qp_threshold, 0, 1))
        return diag_error(d, DIAG_DATA, _("PRIM: the qp-value threshold must be from 0 to 1, not %g"),
                          opt->qp_threshold);
    if (!(opt->density_tolerance >= 0 && opt->density_tolerance <= 1))
        return diag_error(d, DIAG_DATA, _("PRIM: the density tolerance must be from 0 to 1, not %g"),
                          opt->density_tolerance);
    if (!prim_in_range(opt->density_min, 0, 1))
        return diag_error(d, DIAG_DATA, _("PRIM: the minimum density must be from 0 to 1, not %g"), opt->density_min);
    if (opt->max_boxes < 1 || opt->max_boxes > PRIM_MAX_BOXES)
        return diag_error(d, DIAG_DATA, _("PRIM: the number of boxes must be from 1 to %d, not %zu"), PRIM_MAX_BOXES,
                          opt->max_boxes);
    for (size_t b = 0; b < PRIM_MAX_BOXES; b++)
        if (opt->step[b] < -1)
            return diag_error(d, DIAG_DATA, _("PRIM: box %zu: the step must be -1 (choose by coverage) or a step of "
                              "the trajectory, not %ld"), b + 1, opt->step[b]);
    /* Each peel must remove a point and the smallest box must hold one. */
    double smallest = opt->peel_alpha < opt->mass_min ? opt->peel_alpha : opt->mass_min;
    if ((double)data->n * smallest < 1 - PRIM_POINTS_SLACK) {
        size_t needed = (size_t)ceil(1 / smallest - PRIM_POINTS_SLACK);
        return diag_error(d, DIAG_DATA,
                          _("PRIM needs at least %zu points for a peeling alpha of %g and a minimum mass of %g; "
                          "there are %zu"),
                          needed, opt->peel_alpha, opt->mass_min, data->n);
    }
    return DIAG_OK;
}

int prim_check(const prim_data *data, const prim_options *opt, diag *d)
{
    if (!data || !data->x || !data->missed)
        return diag_error(d, DIAG_SOFTWARE, _("PRIM called without points or outcomes"));
    if (data->n == 0 || data->k == 0)
        return diag_error(d, DIAG_DATA, _("PRIM needs at least one point and one input (got %zu points, %zu inputs)"),
                          data->n, data->k);
    if (data->n > UINT32_MAX)
        return diag_error(d, DIAG_DATA, _("PRIM handles at most %lu points, not %zu"), (unsigned long)UINT32_MAX,
                          data->n);
    for (size_t i = 0; i < data->n; i++)
        for (size_t j = 0; j < data->k; j++) {
            double v = data->x[i * data->k + j];
            if (!isfinite(v)) {
                char buf[32];
                return diag_error(d, DIAG_DATA, _("PRIM: the value of %s in run %zu is not a finite number (%g)"),
                                  prim_input_name(data, j, buf, sizeof buf), i + 1, v);
            }
        }
    return opt ? prim_check_options(data, opt, d) : DIAG_OK;
}

void prim_work_free(prim_work *w)
{
    mem_free(w->range_lower);
    mem_free(w->range_upper);
    w->range_lower = w->range_upper = NULL;
}

/* Checks the data and options (opt may be NULL) and fills *w. */
int prim_work_init(prim_work *w, const prim_data *data, const unsigned char *active, const prim_options *opt,
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
        return diag_oom(d, _("preparing PRIM"));
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

int prim_check_limits(const prim_work *w, const double *lower, const double *upper, diag *d)
{
    for (size_t j = 0; j < w->data->k; j++)
        if (isnan(lower[j]) || isnan(upper[j])) {
            char buf[32];
            return diag_error(d, DIAG_DATA, _("PRIM: the box's limit of %s is not a number"),
                              prim_input_name(w->data, j, buf, sizeof buf));
        }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Boxes */

size_t prim_restricted_count(const prim_work *w, const double *lower, const double *upper)
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
void prim_count(const prim_work *w, const double *lower, const double *upper, size_t *points, size_t *misses)
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

prim_stats prim_make_stats(const prim_work *w, size_t points, size_t misses, const double *lower,
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

/* The quantile of sorted data[m] (m >= 1) used by sdtoolkit and the EMA Workbench: at
 * position (m - 1) q, the mean of the values just below and above, where "just above" moves
 * on (for q <= 0.5; "just below" moves back for q > 0.5) past values equal to the other one,
 * so that the cut falls between two distinct values whenever there are any. */
double prim_quantile_sorted(const double *data, size_t m, double q)
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
int prim_trajectory_push(prim_trajectory *t, const prim_work *w, const prim_stats *stats,
                         const double *lower, const double *upper, diag *d)
{
    size_t k = w->data->k;
    if (t->steps == t->capacity) {
        size_t capacity = t->capacity ? 2 * t->capacity : 64;
        prim_stats *s = mem_realloc(t->stats, capacity * sizeof *s);
        if (!s)
            return diag_oom(d, _("recording a PRIM trajectory"));
        t->stats = s;
        double *lo = mem_realloc(t->lower, capacity * k * sizeof *lo);
        if (!lo)
            return diag_oom(d, _("recording a PRIM trajectory"));
        t->lower = lo;
        double *hi = mem_realloc(t->upper, capacity * k * sizeof *hi);
        if (!hi)
            return diag_oom(d, _("recording a PRIM trajectory"));
        t->upper = hi;
        unsigned char *sides = mem_realloc(t->sides, capacity * k * sizeof *sides);
        if (!sides)
            return diag_oom(d, _("recording a PRIM trajectory"));
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
        status = diag_oom(d, _("finding a PRIM box"));
        goto out;
    }
    if ((status = prim_peel_run(w, opt->peel_alpha, opt->mass_min, 0, &box->peeling, d)) != DIAG_OK)
        goto out;
    long named = opt->step[index];
    if (named >= 0 && (size_t)named >= box->peeling.steps) {
        status = diag_error(d, DIAG_DATA, _("PRIM: box %zu: step %ld was named, but its peeling trajectory has steps "
                            "0 to %zu"), index + 1, named, box->peeling.steps - 1);
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
        status = diag_oom(d, _("running PRIM"));
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
