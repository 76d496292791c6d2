/* prim_refine.c: what follows peeling in PRIM (prim.h): pasting a box back out where that
 * raises its density, the qp-value of each restriction, and dropping the restrictions that do
 * not matter. These run a few times per box and simply scan the points. */
#include "prim_internal.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int prim_paste_run(const prim_work *w, double alpha, double mass_min, double *lower, double *upper,
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
        status = diag_oom(d, _("pasting a PRIM box"));
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
            if (term < sum * PRIM_TAIL_RTOL)
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
        if (term < sum * PRIM_TAIL_RTOL)
            break;
        term *= x / (t - x + 1) / ratio;
    }
    double tail = 1 - sum;
    return tail > 0 ? tail : 0;
}

/* Points and misses of the box with one side released: side `side` of input j set back to
 * the input's whole range (relaxed: scratch of k limits). */
static void prim_count_released(const prim_work *w, const double *lower, const double *upper, size_t j, unsigned side,
                                double *relaxed, size_t *points, size_t *misses)
{
    size_t k = w->data->k;
    if (side == PRIM_LOWER) {
        memcpy(relaxed, lower, k * sizeof *relaxed);
        relaxed[j] = w->range_lower[j];
        prim_count(w, relaxed, upper, points, misses);
    } else {
        memcpy(relaxed, upper, k * sizeof *relaxed);
        relaxed[j] = w->range_upper[j];
        prim_count(w, lower, relaxed, points, misses);
    }
}

int prim_qp_run(const prim_work *w, const double *lower, const double *upper, double *qp_lower,
                double *qp_upper, diag *d)
{
    size_t k = w->data->k;
    double *relaxed = mem_alloc(k * sizeof *relaxed);
    if (!relaxed)
        return diag_oom(d, _("computing PRIM qp-values"));
    size_t m, h;
    prim_count(w, lower, upper, &m, &h);
    for (size_t j = 0; j < k; j++) {
        unsigned sides = prim_sides_of(w, j, lower[j], upper[j]);
        qp_lower[j] = qp_upper[j] = NAN;
        for (unsigned side = PRIM_LOWER; side <= PRIM_UPPER; side <<= 1) {
            if (!(sides & side))
                continue;
            size_t mj, hj;
            prim_count_released(w, lower, upper, j, side, relaxed, &mj, &hj);
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

int prim_drop_run(const prim_work *w, double qp_threshold, double tolerance, double *lower, double *upper,
                  prim_dropped *dropped, size_t *count, diag *d)
{
    size_t k = w->data->k, drops = 0;
    double *qp_lower = mem_alloc(k * sizeof *qp_lower);
    double *qp_upper = mem_alloc(k * sizeof *qp_upper);
    double *relaxed = mem_alloc(k * sizeof *relaxed);
    int status = DIAG_OK;
    if (!qp_lower || !qp_upper || !relaxed) {
        status = diag_oom(d, _("dropping PRIM restrictions"));
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
                prim_count_released(w, lower, upper, j, side, relaxed, &mj, &hj);
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
