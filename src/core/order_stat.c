/* order_stat.c: exact order statistics by selection (order_stat.h). */
#include "order_stat.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The selection below, written once for float (the ensembles' stores) and double (the
 * sweeps' outputs): ORDER_STAT_SELECTION(type, suffix) defines swap_suffix, select_kth_suffix
 * and select_many_suffix.
 *
 * select_kth rearranges a[lo..hi) so that a[k] is the value it would have if sorted, with
 * smaller or equal values before it and greater or equal after: Hoare's selection with the
 * lower middle as pivot (after a median of three), which always leaves both parts non-empty,
 * and insertion sort for short ranges. No NaN in a.
 *
 * select_many places every order statistic ks[0..n) (sorted, distinct, within [lo, hi)) at
 * its index: select the middle one, then recurse on each side with the ks that fall there. */
#define ORDER_STAT_SELECTION(type, suffix)                                                        \
    static void swap_##suffix(type *a, type *b)                                                   \
    {                                                                                             \
        type t = *a;                                                                              \
        *a = *b;                                                                                  \
        *b = t;                                                                                   \
    }                                                                                             \
                                                                                                  \
    static void select_kth_##suffix(type *a, size_t lo, size_t hi, size_t k)                      \
    {                                                                                             \
        while (hi - lo > 16) {                                                                    \
            size_t last = hi - 1, mid = lo + (last - lo) / 2;                                     \
            if (a[mid] < a[lo])                                                                   \
                swap_##suffix(&a[mid], &a[lo]);                                                   \
            if (a[last] < a[lo])                                                                  \
                swap_##suffix(&a[last], &a[lo]);                                                  \
            if (a[last] < a[mid])                                                                 \
                swap_##suffix(&a[last], &a[mid]);                                                 \
            type pivot = a[mid];                                                                  \
            size_t i = lo - 1, j = last + 1; /* i wraps only before its first increment */        \
            for (;;) {                                                                            \
                do                                                                                \
                    i++;                                                                          \
                while (a[i] < pivot);                                                             \
                do                                                                                \
                    j--;                                                                          \
                while (pivot < a[j]);                                                             \
                if (i >= j)                                                                       \
                    break;                                                                        \
                swap_##suffix(&a[i], &a[j]);                                                      \
            }                                                                                     \
            /* a[lo..j] <= pivot <= a[j+1..hi), lo <= j < last */                                 \
            if (k <= j)                                                                           \
                hi = j + 1;                                                                       \
            else                                                                                  \
                lo = j + 1;                                                                       \
        }                                                                                         \
        for (size_t i = lo + 1; i < hi; i++) {                                                    \
            type v = a[i];                                                                        \
            size_t j = i;                                                                         \
            while (j > lo && v < a[j - 1]) {                                                      \
                a[j] = a[j - 1];                                                                  \
                j--;                                                                              \
            }                                                                                     \
            a[j] = v;                                                                             \
        }                                                                                         \
    }                                                                                             \
                                                                                                  \
    static void select_many_##suffix(type *a, size_t lo, size_t hi, const size_t *ks, size_t n)   \
    {                                                                                             \
        if (n == 0 || hi <= lo)                                                                   \
            return;                                                                               \
        size_t mid = n / 2;                                                                       \
        select_kth_##suffix(a, lo, hi, ks[mid]);                                                  \
        select_many_##suffix(a, lo, ks[mid], ks, mid);                                            \
        select_many_##suffix(a, ks[mid] + 1, hi, ks + mid + 1, n - mid - 1);                      \
    }

ORDER_STAT_SELECTION(float, float)
ORDER_STAT_SELECTION(double, double)

void order_stat_select_double(double *a, size_t n, const size_t *ks, size_t nk)
{
    select_many_double(a, 0, n, ks, nk);
}

void order_stat_hist_init(order_stat_hist *h, uint32_t lo, uint32_t hi, size_t buckets)
{
    if (buckets < 1 || buckets > ORDER_STAT_BUCKETS)
        buckets = ORDER_STAT_BUCKETS;
    h->lo = lo;
    h->hi = hi;
    h->shift = 0;
    while (((hi - lo) >> h->shift) >= buckets)
        h->shift++;
    memset(h->counts, 0, sizeof h->counts);
}

void order_stat_hist_merge(order_stat_hist *into, const order_stat_hist *from)
{
    for (size_t b = 0; b < ORDER_STAT_BUCKETS + 2; b++)
        into->counts[b] += from->counts[b];
}

void order_stat_plan_make(const order_stat_hist *h, const size_t *ks, size_t nk, order_stat_plan *plan)
{
    memset(plan->wanted, 0, sizeof plan->wanted);
    plan->nk = nk;
    size_t start = 0, b = 0, before = 0, gathered = 0;
    size_t previous = SIZE_MAX;
    for (size_t i = 0; i < nk; i++) {
        while (start + h->counts[b] <= ks[i])
            start += h->counts[b++];
        if (b != previous) {
            /* a new wanted bucket: the values of the earlier ones come first */
            before = gathered;
            gathered += h->counts[b];
            previous = b;
        }
        plan->wanted[b] = 1;
        plan->local[i] = before + (ks[i] - start);
    }
    plan->gathered = gathered;
}

void order_stat_plan_finish(const order_stat_plan *plan, float *gathered, float *out)
{
    select_many_float(gathered, 0, plan->gathered, plan->local, plan->nk);
    for (size_t i = 0; i < plan->nk; i++)
        out[i] = gathered[plan->local[i]];
}

/* The histogram path on an array: count, plan, move the wanted buckets' values to the front,
 * select there. */
static void select_by_histogram(float *a, size_t n, uint32_t lo, uint32_t hi, const size_t *ks, size_t nk, float *out)
{
    if (lo == hi) {
        for (size_t i = 0; i < nk; i++)
            out[i] = a[0];
        return;
    }
    static _Thread_local order_stat_hist h;
    static _Thread_local order_stat_plan plan;
    order_stat_hist_init(&h, lo, hi, ORDER_STAT_BUCKETS);
    for (size_t i = 0; i < n; i++)
        order_stat_hist_add(&h, a[i]);
    order_stat_plan_make(&h, ks, nk, &plan);
    size_t front = 0;
    for (size_t i = 0; i < n; i++)
        if (order_stat_plan_wants(&plan, &h, a[i])) {
            float t = a[i];
            a[i] = a[front];
            a[front++] = t;
        }
    order_stat_plan_finish(&plan, a, out);
}

void order_stat_select_range(float *a, size_t n, uint32_t lo_key, uint32_t hi_key, const size_t *ks, size_t nk,
                             float *out)
{
    if (n < ORDER_STAT_DIRECT || nk > ORDER_STAT_MAX_RANKS) {
        select_many_float(a, 0, n, ks, nk);
        for (size_t i = 0; i < nk; i++)
            out[i] = a[ks[i]];
        return;
    }
    select_by_histogram(a, n, lo_key, hi_key, ks, nk, out);
}

/* The histogram path keys the values by their bits; a bucket holding a wanted rank is
 * finished by select_many on the values of the wanted buckets alone. */
void order_stat_select(float *a, size_t n, const size_t *ks, size_t nk, float *out)
{
    if (n < ORDER_STAT_DIRECT || nk > ORDER_STAT_MAX_RANKS) {
        select_many_float(a, 0, n, ks, nk);
        for (size_t i = 0; i < nk; i++)
            out[i] = a[ks[i]];
        return;
    }
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t key = order_stat_key(a[i]);
        lo = key < lo ? key : lo;
        hi = key > hi ? key : hi;
    }
    select_by_histogram(a, n, lo, hi, ks, nk, out);
}

size_t order_stat_type7_ranks(size_t n, const double *levels, size_t count, size_t *ks)
{
    size_t nk = 0;
    for (size_t q = 0; q < count; q++) {
        double h = (double)(n - 1) * levels[q];
        size_t lo = (size_t)floor(h);
        size_t candidates[2] = {lo, lo + 1 < n ? lo + 1 : lo};
        for (int c = 0; c < 2; c++) {
            size_t k = candidates[c], at = 0;
            while (at < nk && ks[at] < k)
                at++;
            if (at < nk && ks[at] == k)
                continue;
            memmove(ks + at + 1, ks + at, (nk - at) * sizeof *ks);
            ks[at] = k;
            nk++;
        }
    }
    return nk;
}
