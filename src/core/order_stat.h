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
#include <stdint.h>
#include <string.h>

/* Most ranks that one order_stat_select call takes through the histogram path; more ranks
 * than this are found by plain multiple selection (the same results, more passes). */
#define ORDER_STAT_MAX_RANKS 32

/* Arrays shorter than this are selected directly (Hoare's selection, recursing on the ranks);
 * longer ones go through the histogram of their bit patterns first. */
#define ORDER_STAT_DIRECT 4096

/* Buckets of a histogram over a key range (order_stat_hist), besides one below and one above. */
#define ORDER_STAT_BUCKETS 16384

/* A float's bits as an unsigned key in the same order as the values (finite floats; -0.0
 * keys just below 0.0). */
static inline uint32_t order_stat_key(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

/* --- histogram, then select ------------------------------------------------------------
 * The building blocks of order_stat_select, for callers that see their values in a stream
 * (an ensemble counts while it simulates, then gathers while it simulates again): count the
 * values into a histogram of their keys, plan which buckets hold the wanted ranks, gather the
 * values of those buckets (in any order), and select among them alone. The results are the
 * exact order statistics whatever the range given: values outside it land in the bucket
 * below or above, which is gathered whole when a rank falls there. */

typedef struct order_stat_hist {
    uint32_t lo, hi;     /* the key range of buckets 1 .. ORDER_STAT_BUCKETS */
    unsigned shift;      /* a bucket spans 2^shift keys */
    uint32_t counts[ORDER_STAT_BUCKETS + 2]; /* [0]: keys below lo; [ORDER_STAT_BUCKETS + 1]: above hi */
} order_stat_hist;

/* Empties h and sets its key range [lo, hi] (lo <= hi; e.g. the keys of the smallest and
 * largest value, when known, for the narrowest buckets), cut into at most `buckets` buckets
 * (1..ORDER_STAT_BUCKETS): fewer, wider buckets keep a histogram that is counted value by
 * value in cache, at the price of more values to select among. */
void order_stat_hist_init(order_stat_hist *h, uint32_t lo, uint32_t hi, size_t buckets);

/* The bucket of a key. */
static inline size_t order_stat_hist_bucket(const order_stat_hist *h, uint32_t key)
{
    return key < h->lo ? 0 : key > h->hi ? (size_t)ORDER_STAT_BUCKETS + 1 : 1 + (size_t)((key - h->lo) >> h->shift);
}

/* Counts one value. */
static inline void order_stat_hist_add(order_stat_hist *h, float value)
{
    h->counts[order_stat_hist_bucket(h, order_stat_key(value))]++;
}

/* Adds the counts of `from` (the same range) to `into`. */
void order_stat_hist_merge(order_stat_hist *into, const order_stat_hist *from);

/* Where the wanted ranks are, once every value is counted. */
typedef struct order_stat_plan {
    size_t nk;
    size_t local[ORDER_STAT_MAX_RANKS]; /* rank k[i] among the gathered values */
    size_t gathered;     /* values in the wanted buckets: what order_stat_plan_finish takes */
    unsigned char wanted[ORDER_STAT_BUCKETS + 2]; /* 1 for a bucket that holds a wanted rank */
} order_stat_plan;

/* Plans the ranks ks[0..nk) (strictly increasing, each < the count of h, nk <=
 * ORDER_STAT_MAX_RANKS) of the values counted in h. */
void order_stat_plan_make(const order_stat_hist *h, const size_t *ks, size_t nk, order_stat_plan *plan);

/* 1 when the value must be gathered (its bucket holds a wanted rank). */
static inline int order_stat_plan_wants(const order_stat_plan *plan, const order_stat_hist *h, float value)
{
    return plan->wanted[order_stat_hist_bucket(h, order_stat_key(value))];
}

/* Selects the wanted ranks from the plan->gathered values the plan wanted, in any order
 * (reorders them): out[i] = the order statistic ks[i] of all the values counted. */
void order_stat_plan_finish(const order_stat_plan *plan, float *gathered, float *out);

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

/* Places the order statistics ks[0..nk) (sorted, distinct, below n) of a[0..n) at their
 * indices, by selection (the first strategy of order_stat_select); the rest of a is
 * rearranged. For double arrays such as a sweep's outputs. No NaN in a. */
void order_stat_select_double(double *a, size_t n, const size_t *ks, size_t nk);

/* order_stat_select for an array whose smallest and largest keys (order_stat_key) are known
 * already (found while the values were made): skips the pass that finds them. */
void order_stat_select_range(float *a, size_t n, uint32_t lo_key, uint32_t hi_key, const size_t *ks, size_t nk,
                             float *out);

/* The ranks that the type-7 quantiles (linear interpolation between order statistics) of
 * levels[0..count) need in n >= 1 values: floor(h) and floor(h) + 1 (when < n) of
 * h = (n - 1) * level, into ks (room for 2 * count), sorted and distinct, ready for
 * order_stat_select. Returns how many. */
size_t order_stat_type7_ranks(size_t n, const double *levels, size_t count, size_t *ks);

#endif
