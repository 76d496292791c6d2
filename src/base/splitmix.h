/* splitmix.h: splitmix64 (Steele, Lea and Flood 2014; Vigna's reference splitmix64.c), the
 * small generator with a 64-bit state that every part of econsim uses where it needs a cheap
 * stream of 64-bit words or a well-mixed seed: seeding the engine's xoshiro256** streams,
 * drawing bootstrap rows (sensitivity), shuffling PAWN's dummy slicings, decorrelating the
 * seeds of consecutive resamples. One definition, so the streams they derive cannot drift
 * apart. Header-only: the functions sit in hot loops (bootstrap draws) and are inlined.
 *
 * Not for cryptography. Deterministic: the same state gives the same words on every platform. */
#ifndef SPLITMIX_H
#define SPLITMIX_H

#include <stdint.h>

/* The golden-ratio increment of the state. */
#define SPLITMIX_GAMMA UINT64_C(0x9E3779B97F4A7C15)

/* Advances *state by SPLITMIX_GAMMA and returns the next 64-bit word (the state mixed by
 * the splitmix64 finalizer). From state 1234567 the first words are 6457827717110365317,
 * 3203168211198807973, 9817491932198370423 (the reference implementation's). */
static inline uint64_t splitmix_next(uint64_t *state)
{
    uint64_t z = (*state += SPLITMIX_GAMMA);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* An unbiased integer in [0, bound) for 1 <= bound <= 2^32, from the high 32 bits of
 * splitmix_next words by Lemire's multiply-and-reject (2019): a word is redrawn only when it
 * falls in the 2^32 mod bound values that would bias the result. */
static inline uint32_t splitmix_below(uint64_t *state, uint64_t bound)
{
    uint64_t m = (splitmix_next(state) >> 32) * bound;
    uint32_t low = (uint32_t)m;
    if (low < bound) {
        uint32_t threshold = (uint32_t)((UINT64_C(1) << 32) % bound);
        while (low < threshold) {
            m = (splitmix_next(state) >> 32) * bound;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

#endif
