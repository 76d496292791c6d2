/* test_prim.c: PRIM scenario discovery. Hand-computed cases for the counts and shares of a
 * box, one peeling step (with the quantile's tie rule), pasting, qp-values and the default
 * choice of step; then synthetic models sampled from a fixed-seed GSL generator, where the
 * region in which the goal is missed is known: a single box (a < 0.3 and b > 0.6 with three
 * irrelevant inputs) and two separate boxes; edge cases and allocation failures. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "mem.h"
#include "prim.h"

/* ---------------------------------------------------------------------------------------- */
/* Hand-computed cases */

/* Ten points of two inputs: a = 0..9 (a = point index), b a permutation of 0..9; the goal is
 * missed at points 0, 1, 2 and 8. Row-major: point i is {a, b}. */
static const double hand_x[] = {0, 2, 1, 3, 2, 4, 3, 5, 4, 6, 5, 0, 6, 1, 7, 7, 8, 8, 9, 9};
static const unsigned char hand_missed[] = {1, 1, 1, 0, 0, 0, 0, 0, 1, 0};
static const prim_data hand = {.n = 10, .k = 2, .x = hand_x, .missed = hand_missed};

/* The options as prim_options_default sets them. */
static prim_options default_options(void)
{
    prim_options opt;
    prim_options_default(&opt);
    return opt;
}

/* prim_box_stats with a diag of its own, failing the test unless it succeeds. */
static void box_stats_ok(const prim_data *data, const unsigned char *active, const double *lower,
                         const double *upper, prim_stats *s)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_box_stats(data, active, lower, upper, s, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
}

/* prim_peel with a diag of its own, failing the test unless it succeeds; the caller frees t. */
static void peel_ok(const prim_data *data, const unsigned char *active, const prim_options *opt, size_t max_steps,
                    prim_trajectory *t)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_peel(data, active, opt, max_steps, t, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
}

/* prim_discover with a diag of its own, failing the test unless it succeeds; the caller frees r. */
static void discover_ok(const prim_data *data, const prim_options *opt, prim_result *r)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_discover(data, opt, r, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
}

Test(prim, box_stats_by_hand)
{
    prim_stats s;
    /* a <= 4.5 (b unrestricted: its range is [0, 9]): points 0..4, of which 0, 1, 2 miss */
    double lower1[] = {0, 0}, upper1[] = {4.5, 9};
    box_stats_ok(&hand, NULL, lower1, upper1, &s);
    cr_assert_eq(s.points, 5);
    cr_assert_eq(s.misses, 3);
    cr_assert_float_eq(s.coverage, 0.75, 1e-15);
    cr_assert_float_eq(s.density, 0.6, 1e-15);
    cr_assert_float_eq(s.mass, 0.5, 1e-15);
    cr_assert_eq(s.restricted, 1);
    /* 1.5 <= a <= 8 and b >= 2.5: points 2, 3, 4, 7, 8 (5 and 6 have b = 0 and 1); 2 and 8 miss */
    double lower2[] = {1.5, 2.5}, upper2[] = {8, 9};
    box_stats_ok(&hand, NULL, lower2, upper2, &s);
    cr_assert_eq(s.points, 5);
    cr_assert_eq(s.misses, 2);
    cr_assert_float_eq(s.coverage, 0.5, 1e-15);
    cr_assert_float_eq(s.density, 0.4, 1e-15);
    cr_assert_float_eq(s.mass, 0.5, 1e-15);
    cr_assert_eq(s.restricted, 2);
    /* without point 8 (covered by an earlier box): shares stay of all 10 points and 4 misses */
    unsigned char active[10] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
    box_stats_ok(&hand, active, lower2, upper2, &s);
    cr_assert_eq(s.points, 4);
    cr_assert_eq(s.misses, 1);
    cr_assert_float_eq(s.coverage, 0.25, 1e-15);
    cr_assert_float_eq(s.density, 0.25, 1e-15);
    cr_assert_float_eq(s.mass, 0.4, 1e-15);
    /* an empty box */
    double lower3[] = {3.2, 0}, upper3[] = {3.8, 9};
    box_stats_ok(&hand, NULL, lower3, upper3, &s);
    cr_assert_eq(s.points, 0);
    cr_assert_float_eq(s.density, 0, 1e-15);
}

static prim_options hand_options(double alpha)
{
    prim_options opt = default_options();
    opt.peel_alpha = alpha;
    opt.mass_min = 0.1;
    return opt;
}

Test(prim, one_peeling_step_by_hand)
{
    /* alpha 0.2 on 10 points: the lower cut is the quantile at (10 - 1) 0.2 = 1.8, the mean of
     * the 2nd and 3rd smallest values; the upper one at 7.2, of the 8th and 9th. Each removes
     * 2 points. Box density 4/10. Cuts: a upper 7.5 removes points 8 (miss), 9: 3/8; a lower
     * 1.5 removes 0, 1 (misses): 2/8; b upper 7.5 removes 8, 9: 3/8; b lower 1.5 removes
     * points 5 and 6 (b = 0, 1, no misses): 4/8 = 0.5, the only gain, (0.5 - 0.4) / 2 per point. */
    prim_options opt = hand_options(0.2);
    prim_trajectory t;
    peel_ok(&hand, NULL, &opt, 1, &t);
    cr_assert_eq(t.steps, 2);
    cr_assert_eq(t.stats[0].points, 10);
    cr_assert_eq(t.stats[0].restricted, 0);
    cr_assert_float_eq(t.lower[1 * 2 + 0], 0, 1e-15);
    cr_assert_float_eq(t.upper[1 * 2 + 0], 9, 1e-15);
    cr_assert_float_eq(t.lower[1 * 2 + 1], 1.5, 1e-15);
    cr_assert_float_eq(t.upper[1 * 2 + 1], 9, 1e-15);
    cr_assert_eq(t.sides[1 * 2 + 0], 0);
    cr_assert_eq(t.sides[1 * 2 + 1], PRIM_LOWER);
    cr_assert_eq(t.stats[1].points, 8);
    cr_assert_eq(t.stats[1].misses, 4);
    cr_assert_float_eq(t.stats[1].coverage, 1, 1e-15);
    cr_assert_float_eq(t.stats[1].density, 0.5, 1e-15);
    cr_assert_float_eq(t.stats[1].mass, 0.8, 1e-15);
    cr_assert_eq(t.stats[1].restricted, 1);
    prim_trajectory_free(&t);
}

Test(prim, peeling_cuts_between_distinct_values)
{
    /* Ties at the lower end: the quantile at 1.8 falls among four zeros, so its upper index
     * moves on to the first larger value: cut (0 + 1) / 2 = 0.5, removing the four zeros (no
     * misses): 5/6 after 5/10. The upper cut 4.5 removes 5 (miss) and 6: 4/8, no gain. */
    const double lower_ties[] = {0, 0, 0, 0, 1, 2, 3, 4, 5, 6};
    const unsigned char lower_missed[] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0};
    prim_data data = {.n = 10, .k = 1, .x = lower_ties, .missed = lower_missed};
    prim_options opt = hand_options(0.2);
    prim_trajectory t;
    peel_ok(&data, NULL, &opt, 1, &t);
    cr_assert_eq(t.steps, 2);
    cr_assert_float_eq(t.lower[1], 0.5, 1e-15);
    cr_assert_float_eq(t.upper[1], 6, 1e-15);
    cr_assert_eq(t.stats[1].points, 6);
    cr_assert_eq(t.stats[1].misses, 5);
    prim_trajectory_free(&t);
    /* Ties at the upper end: the quantile at 7.2 falls among four sixes, its lower index moves
     * back to 5: cut 5.5, removing the sixes (no misses). */
    const double upper_ties[] = {0, 1, 2, 3, 4, 5, 6, 6, 6, 6};
    const unsigned char upper_missed[] = {0, 1, 1, 1, 1, 1, 0, 0, 0, 0};
    data.x = upper_ties;
    data.missed = upper_missed;
    peel_ok(&data, NULL, &opt, 1, &t);
    cr_assert_eq(t.steps, 2);
    cr_assert_float_eq(t.lower[1], 0, 1e-15);
    cr_assert_float_eq(t.upper[1], 5.5, 1e-15);
    cr_assert_eq(t.stats[1].points, 6);
    cr_assert_eq(t.stats[1].misses, 5);
    prim_trajectory_free(&t);
}

Test(prim, pasting_by_hand)
{
    /* a = 0..19; misses at a = 1..9. The box a <= 7.5 holds 7 misses of 8 points. Pasting
     * upward takes the quantile 0.05 of the values above the box: 8.5 (among 8..19: position
     * 11 x 0.05 = 0.55, the mean of 8 and 9), giving 8/9; then 9.5 (9/10); then 10.5 would
     * give 9/11 < 9/10, so pasting stops at a <= 9.5. The lower side is unrestricted. */
    double x[20];
    unsigned char missed[20];
    for (int i = 0; i < 20; i++) {
        x[i] = i;
        missed[i] = i >= 1 && i <= 9;
    }
    prim_data data = {.n = 20, .k = 1, .x = x, .missed = missed};
    prim_options opt = default_options();
    double lower[] = {0}, upper[] = {7.5};
    prim_trajectory t;
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_paste(&data, NULL, &opt, lower, upper, &t, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(t.steps, 2);
    cr_assert_float_eq(t.upper[0], 8.5, 1e-15);
    cr_assert_float_eq(t.stats[0].density, 8.0 / 9, 1e-15);
    cr_assert_float_eq(t.upper[1], 9.5, 1e-15);
    cr_assert_float_eq(t.stats[1].density, 0.9, 1e-15);
    cr_assert_float_eq(upper[0], 9.5, 1e-15);
    cr_assert_float_eq(lower[0], 0, 1e-15);
    prim_trajectory_free(&t);
    diag_free(&d);
}

Test(prim, qp_values_by_hand)
{
    diag d;
    diag_init(&d);
    double qp_lower[2], qp_upper[2];
    /* a <= 4.5: 3 misses of 5; without the limit 4 of 10, p = 0.4:
     * P(X >= 3 | 5, 0.4) = 10 (.4^3)(.6^2) + 5 (.4^4)(.6) + .4^5 = 0.31744 */
    double lower1[] = {0, 0}, upper1[] = {4.5, 9};
    cr_assert_eq(prim_qp(&hand, NULL, lower1, upper1, qp_lower, qp_upper, &d), DIAG_OK, "%s", d.message);
    cr_assert_float_eq(qp_upper[0], 0.31744, 1e-14);
    cr_assert(isnan(qp_lower[0]) && isnan(qp_lower[1]) && isnan(qp_upper[1]));
    /* 1.5 <= a <= 8, b >= 2.5: 2 misses of 5.
     *   a's lower limit dropped: points 1,2,3,4,7,8, misses 1,2,8: p = 1/2, P(X >= 2) = 26/32
     *   a's upper limit dropped: points 2,3,4,7,8,9, misses 2,8: p = 1/3, P(X >= 2) = 131/243
     *   b's lower limit dropped: points 2..8, misses 2,8: p = 2/7, P(X >= 2) = 7432/16807 */
    double lower2[] = {1.5, 2.5}, upper2[] = {8, 9};
    cr_assert_eq(prim_qp(&hand, NULL, lower2, upper2, qp_lower, qp_upper, &d), DIAG_OK, "%s", d.message);
    cr_assert_float_eq(qp_lower[0], 26.0 / 32, 1e-14);
    cr_assert_float_eq(qp_upper[0], 131.0 / 243, 1e-14);
    cr_assert_float_eq(qp_lower[1], 7432.0 / 16807, 1e-14);
    cr_assert(isnan(qp_upper[1]));
    diag_free(&d);
}

Test(prim, default_choice_of_step)
{
    prim_stats stats[5] = {
        {.misses = 100, .density = 0.2}, {.misses = 90, .density = 0.5}, {.misses = 70, .density = 0.9},
        {.misses = 55, .density = 0.95}, {.misses = 40, .density = 1.0},
    };
    prim_trajectory t = {.k = 1, .steps = 5, .stats = stats};
    cr_assert_eq(prim_choose_step(&t, 100, 0.5), 3);  /* step 4 holds only 40% of the misses */
    cr_assert_eq(prim_choose_step(&t, 100, 0.6), 2);
    cr_assert_eq(prim_choose_step(&t, 100, 0.0), 4);
    cr_assert_eq(prim_choose_step(&t, 100, 1.0), 0);  /* only the starting box holds them all */
    cr_assert_eq(prim_choose_step(&t, 80, 0.5), 4);   /* of 80 misses searched, 40 is half */
    stats[2].density = 0.95;                          /* a tie goes to the higher coverage */
    cr_assert_eq(prim_choose_step(&t, 100, 0.5), 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Peeling against a plain implementation */

static int compare_doubles(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* sdtoolkit's quantile, written from its definition on a sorted copy. */
static double plain_quantile(double *values, size_t m, double q)
{
    qsort(values, m, sizeof *values, compare_doubles);
    size_t lo = (size_t)floor((m - 1) * q), hi = (size_t)ceil((m - 1) * q);
    while (values[lo] == values[hi] && (q > 0.5 ? lo > 0 : hi < m - 1)) {
        if (q > 0.5)
            lo--;
        else
            hi++;
    }
    return (values[lo] + values[hi]) / 2;
}

static void plain_count(const prim_data *data, const double *lower, const double *upper, size_t *m, size_t *h)
{
    *m = *h = 0;
    for (size_t i = 0; i < data->n; i++) {
        int inside = 1;
        for (size_t j = 0; j < data->k; j++)
            inside = inside && data->x[i * data->k + j] >= lower[j] && data->x[i * data->k + j] <= upper[j];
        *m += inside;
        *h += inside && data->missed[i];
    }
}

/* Peeling written plainly: every candidate gathers and sorts the box's values and counts its
 * box by scanning every point. Fills lower/upper[steps * k]; returns the steps (with step 0). */
static size_t plain_peel(const prim_data *data, double alpha, double mass_min, double *lower, double *upper,
                         size_t max_steps)
{
    size_t n = data->n, k = data->k, steps = 1;
    double range_lo[8], range_hi[8], lo[8], hi[8], *values = mem_alloc(n * sizeof *values);
    for (size_t j = 0; j < k; j++) {
        range_lo[j] = range_hi[j] = data->x[j];
        for (size_t i = 0; i < n; i++) {
            range_lo[j] = fmin(range_lo[j], data->x[i * k + j]);
            range_hi[j] = fmax(range_hi[j], data->x[i * k + j]);
        }
        lower[j] = range_lo[j];
        upper[j] = range_hi[j];
    }
    while (steps < max_steps) {
        const double *cur_lo = lower + (steps - 1) * k, *cur_hi = upper + (steps - 1) * k;
        size_t m, h;
        plain_count(data, cur_lo, cur_hi, &m, &h);
        double best = 0, best_lo[8], best_hi[8];
        size_t best_free = 0, best_m = 0;
        int found = 0;
        for (size_t j = 0; j < k; j++)
            for (int upper_side = 1; upper_side >= 0; upper_side--) {
                size_t count = 0;
                for (size_t i = 0; i < n; i++) {
                    int inside = 1;
                    for (size_t c = 0; c < k; c++)
                        inside = inside && data->x[i * k + c] >= cur_lo[c] && data->x[i * k + c] <= cur_hi[c];
                    if (inside)
                        values[count++] = data->x[i * k + j];
                }
                memcpy(lo, cur_lo, k * sizeof *lo);
                memcpy(hi, cur_hi, k * sizeof *hi);
                if (upper_side)
                    hi[j] = plain_quantile(values, count, 1 - alpha);
                else
                    lo[j] = plain_quantile(values, count, alpha);
                size_t cm, ch, free_inputs = 0;
                plain_count(data, lo, hi, &cm, &ch);
                double old_mean = (double)h / m, new_mean = cm ? (double)ch / cm : 0;
                double objective = old_mean == new_mean ? 0 : (new_mean - old_mean) / (double)(m - cm);
                for (size_t c = 0; c < k; c++)
                    free_inputs += lo[c] == range_lo[c] && hi[c] == range_hi[c];
                if (!found || objective > best || (objective == best && free_inputs > best_free)) {
                    found = 1;
                    best = objective;
                    best_free = free_inputs;
                    best_m = cm;
                    memcpy(best_lo, lo, k * sizeof *lo);
                    memcpy(best_hi, hi, k * sizeof *hi);
                }
            }
        if (!((double)best_m / n >= mass_min && best_m < m && best > 0))
            break;
        memcpy(lower + steps * k, best_lo, k * sizeof *lower);
        memcpy(upper + steps * k, best_hi, k * sizeof *upper);
        steps++;
    }
    mem_free(values);
    return steps;
}

Test(prim, peeling_matches_a_plain_implementation)
{
    /* 400 points of 3 inputs on a grid of 1/20 (many ties), the goal missed in a corner and at
     * random elsewhere, so that the trajectory is long and its cuts fall on ties */
    size_t n = 400, k = 3;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    double *x = mem_alloc(n * k * sizeof *x);
    unsigned char *missed = mem_alloc(n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++)
            x[i * k + j] = floor(gsl_rng_uniform(rng) * 20) / 20;
        missed[i] = (x[i * k] < 0.4 && x[i * k + 2] >= 0.5) ? gsl_rng_uniform(rng) < 0.9 : gsl_rng_uniform(rng) < 0.1;
    }
    gsl_rng_free(rng);
    prim_data data = {.n = n, .k = k, .x = x, .missed = missed};
    prim_options opt = default_options();
    double lower[200 * 3], upper[200 * 3];
    size_t steps = plain_peel(&data, opt.peel_alpha, opt.mass_min, lower, upper, 200);
    prim_trajectory t;
    peel_ok(&data, NULL, &opt, 0, &t);
    cr_assert_gt(steps, 20);
    cr_assert_eq(t.steps, steps);
    for (size_t s = 0; s < steps; s++)
        for (size_t j = 0; j < k; j++) {
            cr_assert_float_eq(t.lower[s * k + j], lower[s * k + j], 0, "step %zu input %zu", s, j);
            cr_assert_float_eq(t.upper[s * k + j], upper[s * k + j], 0, "step %zu input %zu", s, j);
        }
    prim_trajectory_free(&t);
    mem_free(x);
    mem_free(missed);
}

/* ---------------------------------------------------------------------------------------- */
/* Synthetic models */

#define SYN_K 5
static const char *const syn_names[SYN_K] = {"a", "b", "c", "d", "e"};

/* A synthetic sample as PRIM data, with writable pointers to its points and outcomes. */
typedef struct {
    double *x;
    unsigned char *missed;
    prim_data data;
} syn_sample;

/* n points of SYN_K inputs uniform on [0, 1) from MT19937 with a fixed seed; the goal is
 * missed by the rule; the inputs are named by `names` (or not, with NULL). Free the sample
 * with syn_sample_free. */
static syn_sample synthetic(size_t n, int (*rule)(const double *p), const char *const *names)
{
    syn_sample s;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 42);
    s.x = mem_alloc(n * SYN_K * sizeof *s.x);
    s.missed = mem_alloc(n);
    cr_assert(rng && s.x && s.missed);
    for (size_t i = 0; i < n; i++) {
        double *p = s.x + i * SYN_K;
        for (size_t j = 0; j < SYN_K; j++)
            p[j] = gsl_rng_uniform(rng);
        s.missed[i] = (unsigned char)rule(p);
    }
    gsl_rng_free(rng);
    s.data = (prim_data){.n = n, .k = SYN_K, .x = s.x, .missed = s.missed, .names = names};
    return s;
}

/* Frees the points and outcomes of a sample made by synthetic. */
static void syn_sample_free(syn_sample *s)
{
    mem_free(s->x);
    mem_free(s->missed);
}

static int one_region(const double *p)
{
    return p[0] < 0.3 && p[1] > 0.6;
}

/* b > 0.6 in the first region, b < 0.4 in the second: they do not touch. The first holds
 * 0.12 of the space, the second 0.08. */
static int two_regions(const double *p)
{
    return (p[0] < 0.3 && p[1] > 0.6) || (p[1] < 0.4 && p[2] > 0.8);
}

Test(prim, recovers_a_known_box)
{
    syn_sample sample = synthetic(4000, one_region, syn_names);
    prim_result r;
    discover_ok(&sample.data, NULL, &r);
    cr_assert_eq(r.box_count, 1, "%zu boxes for one region", r.box_count);
    const prim_box *box = &r.boxes[0];
    cr_assert_eq(box->stats.restricted, 2);
    cr_assert_eq(box->limits[0].sides, PRIM_UPPER);
    cr_assert_eq(box->limits[1].sides, PRIM_LOWER);
    for (size_t j = 2; j < SYN_K; j++)
        cr_assert_eq(box->limits[j].sides, 0, "irrelevant input %s restricted", syn_names[j]);
    cr_assert(fabs(box->limits[0].upper - 0.3) <= 0.05, "a < %g", box->limits[0].upper);
    cr_assert(fabs(box->limits[1].lower - 0.6) <= 0.05, "b > %g", box->limits[1].lower);
    cr_assert_gt(box->stats.density, 0.9);
    cr_assert_gt(box->stats.coverage, 0.9);
    cr_assert_lt(box->limits[0].qp_upper, 1e-10);
    cr_assert_lt(box->limits[1].qp_lower, 1e-10);
    /* the trajectory starts from every point and only gains density */
    const prim_trajectory *t = &box->peeling;
    cr_assert_eq(t->stats[0].points, 4000);
    cr_assert_float_eq(t->stats[0].coverage, 1, 1e-15);
    for (size_t s = 1; s < t->steps; s++) {
        cr_assert_gt(t->stats[s].density, t->stats[s - 1].density);
        cr_assert_lt(t->stats[s].points, t->stats[s - 1].points);
        cr_assert_geq(t->stats[s].mass, 0.05);
    }
    cr_log_info("box 1: a < %.4f, b > %.4f, density %.4f, coverage %.4f, mass %.4f, step %zu of %zu",
                box->limits[0].upper, box->limits[1].lower, box->stats.density, box->stats.coverage,
                box->stats.mass, box->step, t->steps);
    prim_result_free(&r);
    syn_sample_free(&sample);
}

Test(prim, two_separate_regions_give_two_boxes)
{
    syn_sample sample = synthetic(4000, two_regions, syn_names);
    prim_result r;
    discover_ok(&sample.data, NULL, &r);
    cr_assert_eq(r.box_count, 2, "%zu boxes for two regions", r.box_count);
    int found_first = 0, found_second = 0;
    double coverage = 0;
    for (size_t b = 0; b < 2; b++) {
        const prim_limit *l = r.boxes[b].limits;
        cr_assert_eq(r.boxes[b].stats.restricted, 2);
        cr_assert_gt(r.boxes[b].stats.density, 0.9);
        coverage += r.boxes[b].stats.coverage;
        if (l[0].sides == PRIM_UPPER && l[1].sides == PRIM_LOWER && fabs(l[0].upper - 0.3) <= 0.05 &&
            fabs(l[1].lower - 0.6) <= 0.05)
            found_first = 1;
        if (l[1].sides == PRIM_UPPER && l[2].sides == PRIM_LOWER && fabs(l[1].upper - 0.4) <= 0.05 &&
            fabs(l[2].lower - 0.8) <= 0.05)
            found_second = 1;
        cr_log_info("box %zu: a [%.4f, %.4f] b [%.4f, %.4f] c [%.4f, %.4f] density %.4f coverage %.4f", b + 1,
                    l[0].lower, l[0].upper, l[1].lower, l[1].upper, l[2].lower, l[2].upper,
                    r.boxes[b].stats.density, r.boxes[b].stats.coverage);
    }
    cr_assert(found_first && found_second);
    cr_assert_gt(coverage, 0.9);
    /* the second box was searched without the first one's points: peeling them alone gives
     * its trajectory */
    cr_assert_lt(r.boxes[1].active_points, 4000);
    cr_assert_eq(r.boxes[1].peeling.stats[0].points, r.boxes[1].active_points);
    unsigned char active[4000];
    for (size_t i = 0; i < 4000; i++) {
        active[i] = 0;
        for (size_t j = 0; j < SYN_K; j++)
            if (sample.x[i * SYN_K + j] < r.boxes[0].limits[j].lower ||
                sample.x[i * SYN_K + j] > r.boxes[0].limits[j].upper)
                active[i] = 1;
    }
    prim_options opt = default_options();
    prim_trajectory t;
    peel_ok(&sample.data, active, &opt, 0, &t);
    cr_assert_eq(t.steps, r.boxes[1].peeling.steps);
    cr_assert_eq(memcmp(t.lower, r.boxes[1].peeling.lower, t.steps * SYN_K * sizeof *t.lower), 0);
    cr_assert_eq(memcmp(t.upper, r.boxes[1].peeling.upper, t.steps * SYN_K * sizeof *t.upper), 0);
    prim_trajectory_free(&t);
    prim_result_free(&r);
    syn_sample_free(&sample);
}

Test(prim, drops_a_restriction_that_does_not_matter)
{
    syn_sample sample = synthetic(4000, one_region, NULL);
    prim_options opt = default_options();
    /* the true box, a <= 0.3 and b >= 0.6, plus c >= 0.1: without that limit the box stays
     * pure (qp-value 1). Unrestricted sides are the data's extremes. */
    double lower[SYN_K], upper[SYN_K];
    for (size_t j = 0; j < SYN_K; j++) {
        lower[j] = upper[j] = sample.x[j];
        for (size_t i = 0; i < 4000; i++) {
            lower[j] = fmin(lower[j], sample.x[i * SYN_K + j]);
            upper[j] = fmax(upper[j], sample.x[i * SYN_K + j]);
        }
    }
    double range_lower_c = lower[2];
    upper[0] = 0.3;
    lower[1] = 0.6;
    lower[2] = 0.1;
    prim_stats s;
    box_stats_ok(&sample.data, NULL, lower, upper, &s);
    cr_assert_eq(s.restricted, 3);
    cr_assert_float_eq(s.density, 1, 1e-15);
    prim_dropped dropped[2 * SYN_K];
    size_t count;
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_drop(&sample.data, NULL, &opt, lower, upper, dropped, &count, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(count, 1);
    cr_assert_eq(dropped[0].input, 2);
    cr_assert_eq(dropped[0].side, PRIM_LOWER);
    cr_assert_float_eq(dropped[0].limit, 0.1, 1e-15);
    cr_assert_float_eq(dropped[0].qp, 1, 1e-15);
    cr_assert_float_eq(dropped[0].density_with, 1, 1e-15);
    cr_assert_float_eq(dropped[0].density_without, 1, 1e-15);
    cr_assert_float_eq(lower[2], range_lower_c, 0);
    cr_assert_float_eq(upper[0], 0.3, 0);
    cr_assert_float_eq(lower[1], 0.6, 0);
    syn_sample_free(&sample);
    diag_free(&d);
}

Test(prim, a_named_step)
{
    syn_sample sample = synthetic(2000, one_region, NULL);
    prim_options opt = default_options();
    opt.step[0] = 10;
    opt.density_min = 0;
    opt.max_boxes = 1;
    prim_result r;
    discover_ok(&sample.data, &opt, &r);
    cr_assert_eq(r.box_count, 1);
    cr_assert_eq(r.boxes[0].step, 10);
    /* pasting only raises the density of the chosen step's box */
    cr_assert_geq(r.boxes[0].stats.density + opt.density_tolerance * r.boxes[0].dropped_count,
                  r.boxes[0].peeling.stats[10].density);
    prim_result_free(&r);
    opt.step[0] = 1000;
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_discover(&sample.data, &opt, &r, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "step 1000"), "%s", d.message);
    prim_result_free(&r);
    syn_sample_free(&sample);
    diag_free(&d);
}

/* ---------------------------------------------------------------------------------------- */
/* Edge cases */

static int always(const double *p)
{
    (void)p;
    return 1;
}

Test(prim, all_or_no_points_missing_give_no_box)
{
    prim_result r;
    syn_sample sample = synthetic(500, always, NULL);
    discover_ok(&sample.data, NULL, &r);
    cr_assert_eq(r.box_count, 0);
    cr_assert_eq(r.stop, PRIM_STOP_ALL_MISSED);
    cr_assert_eq(r.misses, 500);
    prim_result_free(&r);
    memset(sample.missed, 0, 500);
    discover_ok(&sample.data, NULL, &r);
    cr_assert_eq(r.box_count, 0);
    cr_assert_eq(r.stop, PRIM_STOP_NO_MISSES);
    prim_result_free(&r);
    /* peeling with nothing to gain stays at the starting box */
    prim_options opt = default_options();
    prim_trajectory t;
    peel_ok(&sample.data, NULL, &opt, 0, &t);
    cr_assert_eq(t.steps, 1);
    prim_trajectory_free(&t);
    syn_sample_free(&sample);
}

Test(prim, too_few_points)
{
    syn_sample sample = synthetic(19, one_region, NULL);
    prim_result r;
    diag d;
    diag_init(&d);
    /* alpha 0.05 and mass 0.05 need 20 points: one per peel and in the smallest box */
    cr_assert_eq(prim_discover(&sample.data, NULL, &r, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "at least 20 points") && strstr(d.message, "there are 19"), "%s", d.message);
    prim_result_free(&r);
    diag_free(&d);
    diag_init(&d);
    sample.data.n = 0;
    cr_assert_eq(prim_discover(&sample.data, NULL, &r, &d), DIAG_DATA);
    prim_result_free(&r);
    syn_sample_free(&sample);
    diag_free(&d);
}

Test(prim, a_constant_input_changes_nothing)
{
    size_t n = 4000;
    syn_sample sample = synthetic(n, one_region, NULL);
    /* the same points with a constant sixth input in front */
    double *wide = mem_alloc(n * (SYN_K + 1) * sizeof *wide);
    cr_assert_not_null(wide);
    for (size_t i = 0; i < n; i++) {
        wide[i * (SYN_K + 1)] = 7.5;
        memcpy(wide + i * (SYN_K + 1) + 1, sample.x + i * SYN_K, SYN_K * sizeof *sample.x);
    }
    prim_data wide_data = {.n = n, .k = SYN_K + 1, .x = wide, .missed = sample.missed};
    prim_result a, b;
    discover_ok(&sample.data, NULL, &a);
    discover_ok(&wide_data, NULL, &b);
    cr_assert_eq(a.box_count, b.box_count);
    cr_assert_eq(b.boxes[0].limits[0].sides, 0);
    cr_assert_float_eq(b.range_lower[0], 7.5, 0);
    cr_assert_float_eq(b.range_upper[0], 7.5, 0);
    cr_assert_eq(a.boxes[0].peeling.steps, b.boxes[0].peeling.steps);
    cr_assert_eq(a.boxes[0].stats.points, b.boxes[0].stats.points);
    cr_assert_eq(a.boxes[0].stats.misses, b.boxes[0].stats.misses);
    for (size_t j = 0; j < SYN_K; j++) {
        cr_assert_eq(a.boxes[0].limits[j].sides, b.boxes[0].limits[j + 1].sides);
        cr_assert_float_eq(a.boxes[0].limits[j].lower, b.boxes[0].limits[j + 1].lower, 0);
        cr_assert_float_eq(a.boxes[0].limits[j].upper, b.boxes[0].limits[j + 1].upper, 0);
    }
    prim_result_free(&a);
    prim_result_free(&b);
    mem_free(wide);
    syn_sample_free(&sample);
}

Test(prim, rejects_values_that_are_not_numbers)
{
    syn_sample sample = synthetic(100, one_region, syn_names);
    sample.x[17 * SYN_K + 1] = NAN;
    prim_result r;
    diag d;
    diag_init(&d);
    cr_assert_eq(prim_discover(&sample.data, NULL, &r, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "value of b in run 18 is not a finite number"), "%s", d.message);
    prim_result_free(&r);
    diag_free(&d);
    diag_init(&d);
    sample.x[17 * SYN_K + 1] = INFINITY;
    sample.data.names = NULL;
    prim_trajectory t;
    prim_options opt = default_options();
    cr_assert_eq(prim_peel(&sample.data, NULL, &opt, 0, &t, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "input 2 in run 18"), "%s", d.message);
    prim_trajectory_free(&t);
    diag_free(&d);
    diag_init(&d);
    sample.x[17 * SYN_K + 1] = 0.5;
    double lower[SYN_K] = {0, NAN, 0, 0, 0}, upper[SYN_K] = {1, 1, 1, 1, 1};
    prim_stats s;
    cr_assert_eq(prim_box_stats(&sample.data, NULL, lower, upper, &s, &d), DIAG_DATA);
    syn_sample_free(&sample);
    diag_free(&d);
}

Test(prim, rejects_options_out_of_range)
{
    prim_options opt;
    diag d;
    struct {
        double *field;
        double value;
    } bad[] = {
        {&opt.peel_alpha, 0},   {&opt.peel_alpha, 0.5},   {&opt.paste_alpha, -0.1}, {&opt.mass_min, 1},
        {&opt.coverage_min, 1.5}, {&opt.qp_threshold, NAN}, {&opt.density_tolerance, -1}, {&opt.density_min, 2},
    };
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
        prim_options_default(&opt);
        *bad[c].field = bad[c].value;
        diag_init(&d);
        cr_assert_eq(prim_check(&hand, &opt, &d), DIAG_DATA, "case %zu", c);
        diag_free(&d);
    }
    prim_options_default(&opt);
    opt.max_boxes = 0;
    diag_init(&d);
    cr_assert_eq(prim_check(&hand, &opt, &d), DIAG_DATA);
    diag_free(&d);
    prim_options_default(&opt);
    opt.mass_min = 0.1;
    diag_init(&d);
    cr_assert_eq(prim_check(&hand, &opt, &d), DIAG_DATA); /* 10 points, alpha 0.05: too few */
    diag_free(&d);
}

Test(prim, free_of_null_and_empty)
{
    prim_result_free(NULL);
    prim_trajectory_free(NULL);
    prim_result r;
    memset(&r, 0, sizeof r);
    prim_result_free(&r);
}

Test(prim, every_allocation_failure_is_reported)
{
    syn_sample sample = synthetic(1000, one_region, NULL);
    int succeeded = 0;
    long failures = 0;
    for (long budget = 0; budget < 100000 && !succeeded; budget++) {
        prim_result r;
        diag d;
        diag_init(&d);
        mem_fail_after(budget);
        int status = prim_discover(&sample.data, NULL, &r, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            succeeded = 1;
            cr_assert_geq(r.box_count, 1);
        } else {
            cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: %s", budget, d.message);
            cr_assert(strstr(d.message, "out of memory"), "%s", d.message);
            failures++;
        }
        prim_result_free(&r);
        diag_free(&d);
    }
    cr_assert(succeeded);
    cr_assert_gt(failures, 20);
    syn_sample_free(&sample);
}
