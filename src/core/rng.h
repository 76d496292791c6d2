/* rng.h: the random streams of ensembles, sweeps and bootstraps: xoshiro256+ (Blackman and
 * Vigna 2018) with its state seeded through splitmix64 from (seed, index), and an inlined
 * 256-layer ziggurat for standard normals (Marsaglia and Tsang 2000, in Doornik's 2005 ZIGNOR
 * layout). The hot functions are static inline: a normal draw is one 64-bit word, a table
 * look-up and a multiply in 99% of cases, with no call through GSL's function pointers.
 *
 * A stream is a plain value (32 bytes): one per block of paths or per bootstrap resample, so
 * that results never depend on which thread draws. rng_gsl_type() wraps the same state as a
 * gsl_rng, for the distributions sampled through GSL (dist_sample): both views advance the
 * one stream.
 *
 * Bits. xoshiro256+'s three lowest bits have low linear complexity, so nothing here uses
 * them: uniforms take the top 53 bits, integers the top 32, and the ziggurat its layer from
 * bits 3..10 and its signed uniform from bits 11..63 (disjoint, so the two are independent).
 * Not for cryptography. Deterministic: the same (seed, index) gives the same words on every
 * platform (the ziggurat's tables are literals, not computed at start-up). */
#ifndef RNG_H
#define RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rng_stream {
    uint64_t s[4];
} rng_stream;

/* Layers of the ziggurat. */
#define RNG_ZIG_LAYERS 256
/* x[0] is the bottom layer's width (area / f(R), tail included), x[1] = R = the start of the
 * tail, x[i] decreasing to x[256] = 0; ratio[i] = x[i+1] / x[i]. */
extern const double rng_zig_x[RNG_ZIG_LAYERS + 1];
extern const double rng_zig_ratio[RNG_ZIG_LAYERS];

/* Seeds r for stream `index` of a run with `seed`: the key splitmix64(seed) + index * an odd
 * constant (injective in index for a given seed), then four splitmix64 words of that key. The
 * state is never all zero. */
void rng_seed(rng_stream *r, uint64_t seed, uint64_t index);

static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The next 64-bit word of xoshiro256+ (use the high bits; see the header comment). */
static inline uint64_t rng_next(rng_stream *r)
{
    uint64_t *s = r->s;
    uint64_t result = s[0] + s[3];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

/* A uniform double in [0, 1) with 53 random bits. */
static inline double rng_uniform(rng_stream *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* A uniform double in (0, 1), never 0 or 1 (for logarithms and inverse CDFs). */
static inline double rng_uniform_pos(rng_stream *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* An unbiased integer in [0, bound), 1 <= bound <= 2^32: the top 32 bits by Lemire's
 * multiply-and-reject. */
static inline uint32_t rng_below(rng_stream *r, uint64_t bound)
{
    uint64_t m = (rng_next(r) >> 32) * bound;
    uint32_t low = (uint32_t)m;
    if (low < bound) {
        uint32_t threshold = (uint32_t)((UINT64_C(1) << 32) % bound);
        while (low < threshold) {
            m = (rng_next(r) >> 32) * bound;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* The ziggurat's rare cases (a wedge or the tail), for rng_normal: out of line. */
double rng_normal_slow(rng_stream *r, unsigned layer, double u);

/* A standard normal draw (mean 0, sd 1). */
static inline double rng_normal(rng_stream *r)
{
    uint64_t bits = rng_next(r);
    unsigned layer = (unsigned)(bits >> 3) & (RNG_ZIG_LAYERS - 1);
    double u = (double)((int64_t)bits >> 11) * 0x1.0p-52; /* [-1, 1) */
    if (__builtin_expect(fabs(u) < rng_zig_ratio[layer], 1))
        return u * rng_zig_x[layer];
    return rng_normal_slow(r, layer, u);
}

/* Fills out[0..n) with standard normals: the same draws as n calls of rng_normal, with the
 * stream's state held in registers between draws (rng_normal through a pointer keeps it in
 * memory, and every draw then waits on the store of the one before). */
static inline void rng_fill_normal(rng_stream *r, double *out, size_t n)
{
    uint64_t s0 = r->s[0], s1 = r->s[1], s2 = r->s[2], s3 = r->s[3];
    for (size_t i = 0; i < n; i++) {
        uint64_t bits = s0 + s3, t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rng_rotl(s3, 45);
        unsigned layer = (unsigned)(bits >> 3) & (RNG_ZIG_LAYERS - 1);
        double u = (double)((int64_t)bits >> 11) * 0x1.0p-52;
        if (__builtin_expect(fabs(u) < rng_zig_ratio[layer], 1)) {
            out[i] = u * rng_zig_x[layer];
        } else {
            r->s[0] = s0, r->s[1] = s1, r->s[2] = s2, r->s[3] = s3;
            out[i] = rng_normal_slow(r, layer, u);
            s0 = r->s[0], s1 = r->s[1], s2 = r->s[2], s3 = r->s[3];
        }
    }
    r->s[0] = s0, r->s[1] = s1, r->s[2] = s2, r->s[3] = s3;
}

/* A gsl_rng type whose state is an rng_stream: gsl_rng_get gives the top 32 bits of a word,
 * gsl_rng_uniform 53-bit doubles in [0, 1); gsl_rng_set(rng, s) seeds as rng_seed(s, 0). So
 * (rng_stream *)rng->state is the same stream, for mixing inlined and GSL draws. */
const gsl_rng_type *rng_gsl_type(void);

#endif
