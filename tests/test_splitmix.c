/* test_splitmix.c: the one splitmix64 generator (splitmix.h) that seeds the engine's streams
 * and draws bootstrap rows and PAWN shuffles: the reference words, and unbiased integers
 * below a bound. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "splitmix.h"

Test(splitmix, reference_words)
{
    /* the first words of Vigna's reference splitmix64.c (and Java's SplittableRandom) from
     * the state 1234567 */
    static const uint64_t expected[] = {UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
                                        UINT64_C(9817491932198370423), UINT64_C(4593380528125082431),
                                        UINT64_C(16408922859458223821)};
    uint64_t state = 1234567;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        cr_assert_eq(splitmix_next(&state), expected[i], "word %zu", i);
    cr_assert_eq(state, UINT64_C(1234567) + 5 * SPLITMIX_GAMMA, "the state advances by gamma a word");
}

Test(splitmix, below_stays_below_and_uses_the_high_bits)
{
    uint64_t state = 42;
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(splitmix_below(&state, 1), 0u);
    for (uint64_t bound = 2; bound < 50; bound++)
        for (int i = 0; i < 200; i++)
            cr_assert_lt(splitmix_below(&state, bound), bound);
    /* with bound 2^32 nothing is ever rejected: the result is the word's high half */
    uint64_t a = 7, b = 7;
    for (int i = 0; i < 100; i++)
        cr_assert_eq(splitmix_below(&a, UINT64_C(1) << 32), (uint32_t)(splitmix_next(&b) >> 32));
}

Test(splitmix, below_is_uniform)
{
    /* 60,000 draws below 6: each face's count is binomial(60000, 1/6), sd 91.3; a fixed state
     * makes the test deterministic, and 6 sd bounds it far from any unlucky stream */
    uint64_t state = 2024;
    long count[6] = {0};
    for (int i = 0; i < 60000; i++)
        count[splitmix_below(&state, 6)]++;
    for (int face = 0; face < 6; face++)
        cr_assert(count[face] > 10000 - 548 && count[face] < 10000 + 548, "face %d: %ld", face, count[face]);
}
