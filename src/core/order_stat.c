/* order_stat.c: exact order statistics by selection (order_stat.h). */
#include "order_stat.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static void swap_float(float *a, float *b)
{
    float t = *a;
    *a = *b;
    *b = t;
}

/* Rearranges a[lo..hi) so that a[k] is the value it would have if sorted, with smaller or
 * equal values before it and greater or equal after: Hoare's selection with the lower middle
 * as pivot (after a median of three), which always leaves both parts non-empty, and insertion
 * sort for short ranges. */
static void select_kth(float *a, size_t lo, size_t hi, size_t k)
{
    while (hi - lo > 16) {
        size_t last = hi - 1, mid = lo + (last - lo) / 2;
        if (a[mid] < a[lo])
            swap_float(&a[mid], &a[lo]);
        if (a[last] < a[lo])
            swap_float(&a[last], &a[lo]);
        if (a[last] < a[mid])
            swap_float(&a[last], &a[mid]);
        float pivot = a[mid];
        size_t i = lo - 1, j = last + 1; /* lo >= 0: i wraps only before its first increment */
        for (;;) {
            do
                i++;
            while (a[i] < pivot);
            do
                j--;
            while (pivot < a[j]);
            if (i >= j)
                break;
            swap_float(&a[i], &a[j]);
        }
        /* a[lo..j] <= pivot <= a[j+1..hi), lo <= j < last */
        if (k <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
    for (size_t i = lo + 1; i < hi; i++) {
        float v = a[i];
        size_t j = i;
        while (j > lo && v < a[j - 1]) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Places every order statistic ks[0..n) (sorted, distinct, within [lo, hi)) at its index:
 * select the middle one, then recurse on each side with the ks that fall there. */
static void select_many(float *a, size_t lo, size_t hi, const size_t *ks, size_t n)
{
    if (n == 0 || hi <= lo)
        return;
    size_t mid = n / 2;
    select_kth(a, lo, hi, ks[mid]);
    select_many(a, lo, ks[mid], ks, mid);
    select_many(a, ks[mid] + 1, hi, ks + mid + 1, n - mid - 1);
}

/* A float's bits as an unsigned key in the same order as the values (finite floats). */
static uint32_t float_key(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

#define SELECT_BUCKETS 16384 /* histogram buckets of the key range */

/* The histogram path keys the values by their bits; a bucket holding a wanted rank is
 * finished by select_many on the values of the wanted buckets alone. */
void order_stat_select(float *a, size_t n, const size_t *ks, size_t nk, float *out)
{
    if (n < ORDER_STAT_DIRECT || nk > ORDER_STAT_MAX_RANKS) {
        select_many(a, 0, n, ks, nk);
        for (size_t i = 0; i < nk; i++)
            out[i] = a[ks[i]];
        return;
    }
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t key = float_key(a[i]);
        lo = key < lo ? key : lo;
        hi = key > hi ? key : hi;
    }
    if (lo == hi) {
        for (size_t i = 0; i < nk; i++)
            out[i] = a[0];
        return;
    }
    unsigned shift = 0;
    while (((hi - lo) >> shift) >= SELECT_BUCKETS)
        shift++;
    static _Thread_local uint32_t counts[SELECT_BUCKETS];
    static _Thread_local unsigned char wanted[SELECT_BUCKETS];
    memset(counts, 0, sizeof counts);
    memset(wanted, 0, sizeof wanted);
    for (size_t i = 0; i < n; i++)
        counts[(float_key(a[i]) - lo) >> shift]++;
    /* the bucket of each wanted rank, and the rank's place among the values of wanted buckets */
    size_t bucket_of[ORDER_STAT_MAX_RANKS], start_of[ORDER_STAT_MAX_RANKS];
    size_t start = 0, b = 0;
    for (size_t i = 0; i < nk; i++) {
        while (start + counts[b] <= ks[i])
            start += counts[b++];
        bucket_of[i] = b;
        start_of[i] = start;
        wanted[b] = 1;
    }
    size_t front = 0;
    for (size_t i = 0; i < n; i++)
        if (wanted[(float_key(a[i]) - lo) >> shift]) {
            float t = a[i];
            a[i] = a[front];
            a[front++] = t;
        }
    size_t local[ORDER_STAT_MAX_RANKS] = {0}; /* only local[0..nk) is read; zeroed for the compiler */
    size_t before = 0; /* values of wanted buckets below the current one */
    for (size_t i = 0; i < nk; i++) {
        if (i > 0 && bucket_of[i] != bucket_of[i - 1])
            before += counts[bucket_of[i - 1]];
        local[i] = before + (ks[i] - start_of[i]);
    }
    select_many(a, 0, front, local, nk);
    for (size_t i = 0; i < nk; i++)
        out[i] = a[local[i]];
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
