/* dist.c: probability distributions (see dist.h; the JSON spec forms are read by dist_parse.c).
 *
 * Everything numerical comes from GSL (samplers, CDFs, inverse CDFs) except the closed forms
 * GSL lacks: the triangular distribution, and the truncated normal, whose inverse CDF is
 * computed on whichever tail keeps precision (a window far in the upper tail, say 5 to 6 sd,
 * would otherwise collapse to 1 - tiny - 1 in double arithmetic). The quantile functions take
 * both u and 1 - u so that the Gaussian copula (dist_from_standard_normal) keeps full
 * precision in the upper tail too. */
#include "dist.h"
#include "i18n.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Names                                                                                      */

const char *dist_kind_name(dist_kind kind)
{
    switch (kind) {
    case DIST_NORMAL:
        return "normal";
    case DIST_LOGNORMAL:
        return "lognormal";
    case DIST_UNIFORM:
        return "uniform";
    case DIST_TRIANGULAR:
        return "triangular";
    case DIST_TRUNCNORMAL:
        return "truncnormal";
    case DIST_BETA:
        return "beta";
    case DIST_STUDENT_T:
        return "student_t";
    }
    return "?";
}

/* ---------------------------------------------------------------------------------------- */
/* Validation (shared by the parser and the constructors)                                     */

void dist_init(dist *out, dist_kind kind)
{
    out->kind = kind;
    out->mean = out->sd = out->mu = out->sigma = NAN;
    out->min = out->max = out->mode = NAN;
    out->a = out->b = out->df = out->scale = NAN;
}

/* Reports a validation error through the located reporter when parsing, or plainly. */
typedef struct where {
    const char *file;
    const char *json_path;
} where;

static int invalid(diag *d, const where *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int invalid(diag *d, const where *at, const char *fmt, ...)
{
    if (!d)
        return DIAG_DATA;
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (at && at->file)
        return diag_error_json(d, DIAG_DATA, at->file, at->json_path, "%s", message);
    return diag_error(d, DIAG_DATA, "%s", message);
}

/* Probability of the truncated normal's window under its parent normal. */
static double truncnormal_window(double mean, double sd, double min, double max)
{
    double alpha = (min - mean) / sd, beta = (max - mean) / sd;
    if (alpha >= 0)
        return gsl_cdf_ugaussian_Q(alpha) - gsl_cdf_ugaussian_Q(beta);
    return gsl_cdf_ugaussian_P(beta) - gsl_cdf_ugaussian_P(alpha);
}

static int validate(const dist *x, diag *d, const where *at)
{
    const char *name = dist_kind_name(x->kind);
    switch (x->kind) {
    case DIST_NORMAL:
        if (!isfinite(x->mean) || !(x->sd > 0) || !isfinite(x->sd))
            return invalid(d, at, _("the normal distribution needs a finite mean and sd > 0 (sd is %g)"), x->sd);
        break;
    case DIST_LOGNORMAL:
        if (!isfinite(x->mu) || !(x->sigma > 0) || !isfinite(x->sigma))
            return invalid(d, at, _("the lognormal distribution needs a finite mu and sigma > 0 (sigma is %g)"),
                           x->sigma);
        break;
    case DIST_UNIFORM:
        if (!isfinite(x->min) || !isfinite(x->max) || !(x->min < x->max))
            return invalid(d, at, _("the uniform distribution needs finite min < max (min %g, max %g)"), x->min, x->max);
        break;
    case DIST_TRIANGULAR:
        if (!isfinite(x->min) || !isfinite(x->max) || !(x->min < x->max))
            return invalid(d, at, _("the triangular distribution needs finite min < max (min %g, max %g)"), x->min,
                           x->max);
        if (!(x->mode >= x->min && x->mode <= x->max))
            return invalid(d, at, _("the triangular distribution's mode %g is outside [min, max] = [%g, %g]"), x->mode,
                           x->min, x->max);
        break;
    case DIST_TRUNCNORMAL:
        if (!isfinite(x->mean) || !(x->sd > 0) || !isfinite(x->sd))
            return invalid(d, at, _("the truncated normal needs a finite mean and sd > 0 (sd is %g)"), x->sd);
        if (isnan(x->min) || isnan(x->max) || (isinf(x->min) && isinf(x->max)))
            return invalid(d, at, _("the truncated normal needs \"min\", \"max\" or both"));
        if (!(x->min < x->max))
            return invalid(d, at, _("the truncated normal needs min < max (min %g, max %g)"), x->min, x->max);
        if (!(truncnormal_window(x->mean, x->sd, x->min, x->max) >= DIST_TRUNCNORMAL_MIN_WINDOW))
            return invalid(d, at,
                           _("the truncated normal's window [%g, %g] has almost no probability under normal(mean %g, "
                           "sd %g): move the bounds or the mean"),
                           x->min, x->max, x->mean, x->sd);
        break;
    case DIST_BETA:
        if (!(x->a > 0) || !(x->b > 0) || !isfinite(x->a) || !isfinite(x->b))
            return invalid(d, at, _("the beta distribution needs shapes a > 0 and b > 0 (a %g, b %g)"), x->a, x->b);
        if (!isfinite(x->min) || !isfinite(x->max) || !(x->min < x->max))
            return invalid(d, at, _("the beta distribution needs finite min < max (min %g, max %g)"), x->min, x->max);
        break;
    case DIST_STUDENT_T:
        if (!(x->df > 0) || !isfinite(x->df))
            return invalid(d, at, _("Student's t needs degrees of freedom df > 0 (df is %g)"), x->df);
        if (!(x->scale > 0) || !isfinite(x->scale) || !isfinite(x->mean))
            return invalid(d, at, _("Student's t needs scale > 0 and a finite mean (scale %g)"), x->scale);
        break;
    default:
        return invalid(d, at, _("unknown distribution kind %d"), (int)x->kind);
    }
    /* parameters that are each fine may still make the quantile function break down (a beta
     * with a = 1e-300, a t with df = 1e300, a normal with sd 1e308): every draw would be NaN
     * or infinite, so probe the quantiles that sampling reaches (inverse CDF for sweeps, the
     * copula's z up to 8 for ensembles) */
    static const double probes[] = {1e-9, 1e-6, 1e-3, 0.05, 0.5, 0.95, 0.999, 1 - 1e-6, 1 - 1e-9};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        double q = dist_quantile(x, probes[i]);
        if (!isfinite(q))
            return invalid(d, at,
                           _("this %s distribution cannot be sampled: its %g quantile is %s, so draws would not be "
                           "finite numbers (check the size of its parameters)"),
                           name, probes[i], isnan(q) ? _("not a number") : _("infinite"));
    }
    for (double z = -8; z <= 8; z += 2) {
        double v = dist_from_standard_normal(x, z);
        if (!isfinite(v))
            return invalid(d, at,
                           _("this %s distribution cannot be sampled: at z = %g of the copula its value is %s (check the "
                           "size of its parameters)"),
                           name, z, isnan(v) ? _("not a number") : _("infinite"));
    }
    return DIAG_OK;
}

int dist_validate(const dist *x, const char *file, const char *json_path, diag *d)
{
    where at = {file, json_path};
    return validate(x, d, file ? &at : NULL);
}

int dist_normal(dist *out, double mean, double sd, diag *d)
{
    dist_init(out, DIST_NORMAL);
    out->mean = mean;
    out->sd = sd;
    return validate(out, d, NULL);
}

int dist_lognormal(dist *out, double mu, double sigma, diag *d)
{
    dist_init(out, DIST_LOGNORMAL);
    out->mu = mu;
    out->sigma = sigma;
    return validate(out, d, NULL);
}

int dist_uniform(dist *out, double min, double max, diag *d)
{
    dist_init(out, DIST_UNIFORM);
    out->min = min;
    out->max = max;
    return validate(out, d, NULL);
}

int dist_triangular(dist *out, double min, double mode, double max, diag *d)
{
    dist_init(out, DIST_TRIANGULAR);
    out->min = min;
    out->mode = mode;
    out->max = max;
    return validate(out, d, NULL);
}

int dist_truncnormal(dist *out, double mean, double sd, double min, double max, diag *d)
{
    dist_init(out, DIST_TRUNCNORMAL);
    out->mean = mean;
    out->sd = sd;
    out->min = min;
    out->max = max;
    return validate(out, d, NULL);
}

int dist_beta(dist *out, double a, double b, double min, double max, diag *d)
{
    dist_init(out, DIST_BETA);
    out->a = a;
    out->b = b;
    out->min = min;
    out->max = max;
    return validate(out, d, NULL);
}

int dist_student_t(dist *out, double df, double scale, double mean, diag *d)
{
    dist_init(out, DIST_STUDENT_T);
    out->df = df;
    out->scale = scale;
    out->mean = mean;
    return validate(out, d, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Quantiles                                                                                  */

/* The truncated normal's quantile. u is the lower-tail probability within the window and
 * q = 1 - u; the computation runs on the side of the parent normal where the window lies, so
 * a window in either tail keeps full relative precision. */
static double truncnormal_quantile(const dist *x, double u, double q)
{
    double alpha = (x->min - x->mean) / x->sd, beta = (x->max - x->mean) / x->sd;
    double z;
    if (alpha >= 0) {
        /* the window is in the upper tail: interpolate upper-tail probabilities */
        double qa = gsl_cdf_ugaussian_Q(alpha), qb = isinf(beta) ? 0.0 : gsl_cdf_ugaussian_Q(beta);
        z = gsl_cdf_ugaussian_Qinv(qb + q * (qa - qb));
    } else {
        double pa = isinf(alpha) ? 0.0 : gsl_cdf_ugaussian_P(alpha), pb = gsl_cdf_ugaussian_P(beta);
        if (beta > 0 && u > 0.5) {
            /* straddling 0 and in the upper half: from the top, to keep precision near max */
            double qa = 1.0 - pa, qb = isinf(beta) ? 0.0 : gsl_cdf_ugaussian_Q(beta);
            z = gsl_cdf_ugaussian_Qinv(qb + q * (qa - qb));
        } else {
            z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
        }
    }
    double value = x->mean + x->sd * z;
    if (value < x->min)
        value = x->min;
    if (value > x->max)
        value = x->max;
    return value;
}

/* The quantile at lower-tail probability u, given q = 1 - u computed without cancellation;
 * 0 < u < 1. Upper-half formulas use q. */
static double quantile_uq(const dist *x, double u, double q)
{
    int upper = u > 0.5;
    switch (x->kind) {
    case DIST_NORMAL:
        return x->mean + x->sd * (upper ? gsl_cdf_ugaussian_Qinv(q) : gsl_cdf_ugaussian_Pinv(u));
    case DIST_LOGNORMAL:
        return exp(x->mu + x->sigma * (upper ? gsl_cdf_ugaussian_Qinv(q) : gsl_cdf_ugaussian_Pinv(u)));
    case DIST_UNIFORM:
        return upper ? x->max - q * (x->max - x->min) : x->min + u * (x->max - x->min);
    case DIST_TRIANGULAR: {
        double width = x->max - x->min;
        double below = (x->mode - x->min) / width; /* the CDF at the mode */
        if (u < below)
            return x->min + sqrt(u * width * (x->mode - x->min));
        return x->max - sqrt(q * width * (x->max - x->mode));
    }
    case DIST_TRUNCNORMAL:
        return truncnormal_quantile(x, u, q);
    case DIST_BETA:
        return x->min +
               (x->max - x->min) * (upper ? gsl_cdf_beta_Qinv(q, x->a, x->b) : gsl_cdf_beta_Pinv(u, x->a, x->b));
    case DIST_STUDENT_T:
        return x->mean + x->scale * (upper ? gsl_cdf_tdist_Qinv(q, x->df) : gsl_cdf_tdist_Pinv(u, x->df));
    }
    return NAN;
}

void dist_support(const dist *x, double *lo, double *hi)
{
    switch (x->kind) {
    case DIST_NORMAL:
    case DIST_STUDENT_T:
        *lo = -INFINITY;
        *hi = INFINITY;
        return;
    case DIST_LOGNORMAL:
        *lo = 0;
        *hi = INFINITY;
        return;
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
    case DIST_TRUNCNORMAL:
    case DIST_BETA:
        *lo = x->min;
        *hi = x->max;
        return;
    }
    *lo = *hi = NAN;
}

double dist_quantile(const dist *x, double u)
{
    if (isnan(u))
        return NAN;
    double lo, hi;
    if (u <= 0 || u >= 1) {
        dist_support(x, &lo, &hi);
        return u <= 0 ? lo : hi;
    }
    return quantile_uq(x, u, 1.0 - u);
}

double dist_from_standard_normal(const dist *x, double z)
{
    if (x->kind == DIST_NORMAL)
        return x->mean + x->sd * z;
    if (x->kind == DIST_LOGNORMAL)
        return exp(x->mu + x->sigma * z);
    if (isnan(z))
        return NAN;
    double u = gsl_cdf_ugaussian_P(z), q = gsl_cdf_ugaussian_Q(z);
    double lo, hi;
    if (u <= 0 || q >= 1) {
        dist_support(x, &lo, &hi);
        return lo;
    }
    if (q <= 0 || u >= 1) {
        dist_support(x, &lo, &hi);
        return hi;
    }
    return quantile_uq(x, u, q);
}

double dist_cdf(const dist *spec, double value)
{
    if (isnan(value))
        return NAN;
    switch (spec->kind) {
    case DIST_NORMAL:
        return gsl_cdf_gaussian_P(value - spec->mean, spec->sd);
    case DIST_LOGNORMAL:
        return value <= 0 ? 0.0 : gsl_cdf_lognormal_P(value, spec->mu, spec->sigma);
    case DIST_UNIFORM:
        return value <= spec->min ? 0.0 : value >= spec->max ? 1.0 : (value - spec->min) / (spec->max - spec->min);
    case DIST_TRIANGULAR: {
        double width = spec->max - spec->min;
        if (value <= spec->min)
            return 0.0;
        if (value >= spec->max)
            return 1.0;
        if (value <= spec->mode)
            return (value - spec->min) * (value - spec->min) / (width * (spec->mode - spec->min));
        return 1.0 - (spec->max - value) * (spec->max - value) / (width * (spec->max - spec->mode));
    }
    case DIST_TRUNCNORMAL: {
        if (value <= spec->min)
            return 0.0;
        if (value >= spec->max)
            return 1.0;
        double alpha = (spec->min - spec->mean) / spec->sd, z = (value - spec->mean) / spec->sd;
        double window = truncnormal_window(spec->mean, spec->sd, spec->min, spec->max);
        if (alpha >= 0)
            return (gsl_cdf_ugaussian_Q(alpha) - gsl_cdf_ugaussian_Q(z)) / window;
        return (gsl_cdf_ugaussian_P(z) - (isinf(alpha) ? 0.0 : gsl_cdf_ugaussian_P(alpha))) / window;
    }
    case DIST_BETA:
        if (value <= spec->min)
            return 0.0;
        if (value >= spec->max)
            return 1.0;
        return gsl_cdf_beta_P((value - spec->min) / (spec->max - spec->min), spec->a, spec->b);
    case DIST_STUDENT_T:
        return gsl_cdf_tdist_P((value - spec->mean) / spec->scale, spec->df);
    }
    return NAN;
}

/* ---------------------------------------------------------------------------------------- */
/* Sampling                                                                                   */

double dist_sample(const dist *x, gsl_rng *rng)
{
    switch (x->kind) {
    case DIST_NORMAL:
        return x->mean + gsl_ran_gaussian_ziggurat(rng, x->sd);
    case DIST_LOGNORMAL:
        return gsl_ran_lognormal(rng, x->mu, x->sigma);
    case DIST_UNIFORM:
        return gsl_ran_flat(rng, x->min, x->max);
    case DIST_TRIANGULAR:
    case DIST_TRUNCNORMAL:
        /* GSL has no sampler for these: the inverse CDF of a uniform in (0, 1) */
        return dist_quantile(x, gsl_rng_uniform_pos(rng));
    case DIST_BETA:
        return x->min + (x->max - x->min) * gsl_ran_beta(rng, x->a, x->b);
    case DIST_STUDENT_T:
        return x->mean + x->scale * gsl_ran_tdist(rng, x->df);
    }
    return NAN;
}

/* ---------------------------------------------------------------------------------------- */
/* Moments                                                                                    */

/* phi(t) and t * phi(t), 0 at infinite t. */
static double density_at(double t)
{
    return isinf(t) ? 0.0 : gsl_ran_ugaussian_pdf(t);
}

static double t_density_at(double t)
{
    return isinf(t) ? 0.0 : t * gsl_ran_ugaussian_pdf(t);
}

int dist_mean(const dist *x, double *out)
{
    switch (x->kind) {
    case DIST_NORMAL:
        *out = x->mean;
        return 1;
    case DIST_LOGNORMAL:
        *out = exp(x->mu + x->sigma * x->sigma / 2);
        return 1;
    case DIST_UNIFORM:
        *out = (x->min + x->max) / 2;
        return 1;
    case DIST_TRIANGULAR:
        *out = (x->min + x->mode + x->max) / 3;
        return 1;
    case DIST_TRUNCNORMAL: {
        double alpha = (x->min - x->mean) / x->sd, beta = (x->max - x->mean) / x->sd;
        double window = truncnormal_window(x->mean, x->sd, x->min, x->max);
        *out = x->mean + x->sd * (density_at(alpha) - density_at(beta)) / window;
        return 1;
    }
    case DIST_BETA:
        *out = x->min + (x->max - x->min) * x->a / (x->a + x->b);
        return 1;
    case DIST_STUDENT_T:
        if (x->df <= 1)
            return 0;
        *out = x->mean;
        return 1;
    }
    return 0;
}

int dist_variance(const dist *x, double *out)
{
    switch (x->kind) {
    case DIST_NORMAL:
        *out = x->sd * x->sd;
        return 1;
    case DIST_LOGNORMAL: {
        double s2 = x->sigma * x->sigma;
        *out = expm1(s2) * exp(2 * x->mu + s2);
        return 1;
    }
    case DIST_UNIFORM:
        *out = (x->max - x->min) * (x->max - x->min) / 12;
        return 1;
    case DIST_TRIANGULAR: {
        double a = x->min, b = x->max, c = x->mode;
        *out = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
        return 1;
    }
    case DIST_TRUNCNORMAL: {
        double alpha = (x->min - x->mean) / x->sd, beta = (x->max - x->mean) / x->sd;
        double window = truncnormal_window(x->mean, x->sd, x->min, x->max);
        double shift = (density_at(alpha) - density_at(beta)) / window;
        *out = x->sd * x->sd * (1 + (t_density_at(alpha) - t_density_at(beta)) / window - shift * shift);
        return 1;
    }
    case DIST_BETA: {
        double ab = x->a + x->b, width = x->max - x->min;
        *out = width * width * x->a * x->b / (ab * ab * (ab + 1));
        return 1;
    }
    case DIST_STUDENT_T:
        if (x->df <= 2)
            return 0;
        *out = x->scale * x->scale * x->df / (x->df - 2);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Describing                                                                                 */

void dist_describe(const dist *x, char *buf, size_t size)
{
    switch (x->kind) {
    case DIST_NORMAL:
        snprintf(buf, size, _("normal(mean %g, sd %g)"), x->mean, x->sd);
        return;
    case DIST_LOGNORMAL:
        snprintf(buf, size, _("lognormal(mu %g, sigma %g)"), x->mu, x->sigma);
        return;
    case DIST_UNIFORM:
        snprintf(buf, size, _("uniform(min %g, max %g)"), x->min, x->max);
        return;
    case DIST_TRIANGULAR:
        snprintf(buf, size, _("triangular(min %g, mode %g, max %g)"), x->min, x->mode, x->max);
        return;
    case DIST_TRUNCNORMAL:
        snprintf(buf, size, _("truncnormal(mean %g, sd %g, min %g, max %g)"), x->mean, x->sd, x->min, x->max);
        return;
    case DIST_BETA:
        snprintf(buf, size, _("beta(a %g, b %g, min %g, max %g)"), x->a, x->b, x->min, x->max);
        return;
    case DIST_STUDENT_T:
        snprintf(buf, size, _("student_t(df %g, scale %g, mean %g)"), x->df, x->scale, x->mean);
        return;
    }
    snprintf(buf, size, "?");
}
