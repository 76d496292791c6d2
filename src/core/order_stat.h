/* order_stat.h: exact order statistics of a float array by selection, without sorting it: the
 * quantiles of an ensemble (ensemble.h) are read from the k-th smallest of millions of stored
 * path values, and a full sort would cost most of the ensemble's time.
 *
 * "Exact" means the result is, value for value, what sorting the array and reading the ranks
 * would give. Values must not be NaN (infinities and -0.0 are fine: -0.0 and 0.0 are equal
 * values and either may be returned for a rank that sorting gives one of them). */
#ifndef ORDER_STAT_H
#define ORDER_STAT_H

#include <stddef.h>

/* Most ranks that one order_stat_select call takes through the histogram path; more ranks
 * than this are found by plain multiple selection (the same results, more passes). */
#define ORDER_STAT_MAX_RANKS 32

/* Arrays shorter than this are selected directly (Hoare's selection, recursing on the ranks);
 * longer ones go through the histogram of their bit patterns first. */
#define ORDER_STAT_DIRECT 4096

/* Finds the order statistics of ranks ks[0..nk) of a[0..n): out[i] = the value a sorted
 * ascending copy of a would hold at index ks[i]. ks must be strictly increasing and each < n
 * (n >= 1 when nk > 0). Reorders a (the multiset of values is kept); allocates nothing.
 * Thread-safe: each thread uses its own histogram (thread-local storage).
 *
 * Below ORDER_STAT_DIRECT values, or for more than ORDER_STAT_MAX_RANKS ranks: Hoare's
 * selection for the middle rank, then recursion on each side with the ranks that fall there.
 * Otherwise three streaming passes instead of repeated partitioning: the key range, a
 * histogram of 16384 buckets over it (keys follow the values' binary exponent, so buckets are
 * narrow where values are dense), and a pass that moves the values of the buckets holding a
 * wanted rank to the front, where selection finishes on a few hundred values. */
void order_stat_select(float *a, size_t n, const size_t *ks, size_t nk, float *out);

/* The ranks that the type-7 quantiles (linear interpolation between order statistics) of
 * levels[0..count) need in n >= 1 values: floor(h) and floor(h) + 1 (when < n) of
 * h = (n - 1) * level, into ks (room for 2 * count), sorted and distinct, ready for
 * order_stat_select. Returns how many. */
size_t order_stat_type7_ranks(size_t n, const double *levels, size_t count, size_t *ks);

#endif
