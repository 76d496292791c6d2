/* dist.h: probability distributions for uncertainty (ensembles) and sweeps: built and
 * validated (by the constructors below, or from a JSON spec by dist_parse.h), sampled from a
 * gsl_rng, mapped from a uniform u in (0, 1) through the inverse CDF (Monte Carlo, Sobol and
 * Morris points of the unit cube), and mapped from a standard normal z (the Gaussian copula
 * that correlated and AR(1) shocks use).
 *
 * All functions are pure (no global state) and thread-safe; a dist is a plain value (copy it
 * freely, nothing to free). */
#ifndef DIST_H
#define DIST_H

#include <gsl/gsl_rng.h>

#include "diag.h"

typedef enum dist_kind {
    DIST_NORMAL = 0,
    DIST_LOGNORMAL,
    DIST_UNIFORM,
    DIST_TRIANGULAR,
    DIST_TRUNCNORMAL,
    DIST_BETA,
    DIST_STUDENT_T
} dist_kind;

#define DIST_KIND_COUNT 7

/* A distribution. Fields used per kind (others are NaN):
 *   normal:      mean, sd
 *   lognormal:   mu, sigma (of log X; the mean/sd form is converted when parsed)
 *   uniform:     min, max
 *   triangular:  min, mode, max
 *   truncnormal: mean, sd (of the parent normal), min, max (may be -inf / +inf, not both)
 *   beta:        a, b (shapes), min, max (X = min + (max - min) * Beta(a, b))
 *   student_t:   df, scale, mean (location)
 * Units are those of the quantity it describes (a fraction for a growth rate, 亿元 for a
 * level, none for a buoyancy). */
typedef struct dist {
    dist_kind kind;
    double mean, sd;
    double mu, sigma;
    double min, max, mode;
    double a, b;
    double df, scale;
} dist;

/* The canonical spec name of a kind: "normal", "lognormal", "uniform", "triangular",
 * "truncnormal", "beta", "student_t". */
const char *dist_kind_name(dist_kind kind);

/* The smallest probability a truncated normal's window [min, max] may have under its parent
 * normal: below it the distribution is refused (its draws would all sit at a bound). */
#define DIST_TRUNCNORMAL_MIN_WINDOW 1e-12

/* Sets out->kind and every parameter to NaN, for a caller that fills the kind's parameters
 * itself (dist_parse) and then calls dist_validate. */
void dist_init(dist *out, dist_kind kind);

/* Checks the parameters of a filled dist: each in range for its kind (sd, sigma, scale, a, b,
 * df > 0 and finite; min < max; mode in [min, max]; a truncated normal with a bound and a
 * window of probability at least DIST_TRUNCNORMAL_MIN_WINDOW), and quantiles that stay finite
 * where sampling reaches. DIAG_OK, or DIAG_DATA with a message in d (d may be NULL), located
 * as "file: json_path: error: ..." when file is not NULL. */
int dist_validate(const dist *x, const char *file, const char *json_path, diag *d);

/* Constructors for code and tests (no validation beyond what dist_parse does; they return
 * DIAG_OK or DIAG_DATA with a message in d when a parameter is out of range; d may be NULL). */
int dist_normal(dist *out, double mean, double sd, diag *d);
int dist_lognormal(dist *out, double mu, double sigma, diag *d);
int dist_uniform(dist *out, double min, double max, diag *d);
int dist_triangular(dist *out, double min, double mode, double max, diag *d);
int dist_truncnormal(dist *out, double mean, double sd, double min, double max, diag *d);
int dist_beta(dist *out, double a, double b, double min, double max, diag *d);
int dist_student_t(dist *out, double df, double scale, double mean, diag *d);

/* One draw from the distribution using rng (any gsl_rng). */
double dist_sample(const dist *dist, gsl_rng *rng);

/* The inverse CDF (quantile function) at u in (0, 1): closed forms for normal (via GSL),
 * lognormal, uniform, triangular and truncated normal (accurate in both tails); GSL's Pinv
 * for beta and Student t. u <= 0 or u >= 1 gives the support's bound (possibly -inf/+inf);
 * NaN gives NaN. */
double dist_quantile(const dist *dist, double u);

/* The CDF at x (for tests and diagnostics). */
double dist_cdf(const dist *spec, double value);

/* The value whose CDF equals Phi(z), Phi the standard normal CDF: the Gaussian-copula map
 * that keeps the marginal exact while z carries correlation and AR(1) persistence. For the
 * normal it is exactly mean + sd * z; for lognormal exp(mu + sigma * z); others go through
 * dist_quantile with the tail handled so |z| up to ~37 stays finite. */
double dist_from_standard_normal(const dist *dist, double z);

/* Mean and variance where defined: return 1 and set *out, or 0 when undefined or infinite
 * (Student t mean for df <= 1, variance for df <= 2). */
int dist_mean(const dist *dist, double *out);
int dist_variance(const dist *dist, double *out);

/* The support: *lo and *hi (possibly -inf / +inf). */
void dist_support(const dist *dist, double *lo, double *hi);

/* A one-line description for tables, charts and messages, in the chosen language (i18n.h),
 * e.g. "normal(mean 0, sd 0.015)".
 * Writes at most size bytes (NUL-terminated). */
void dist_describe(const dist *dist, char *buf, size_t size);

#endif
