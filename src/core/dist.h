/* dist.h: probability distributions for uncertainty (ensembles) and sweeps: parsed from a
 * JSON spec with located errors, sampled from a gsl_rng, mapped from a uniform u in (0, 1)
 * through the inverse CDF (Monte Carlo, Sobol and Morris points of the unit cube), and
 * mapped from a standard normal z (the Gaussian copula that correlated and AR(1) shocks use).
 *
 * Spec forms (numbers may be JSON numbers or strings such as "1.5%"; "note" is always allowed):
 *   {"dist": "normal",      "mean": 0, "sd": 0.015}            mean defaults to 0
 *   {"dist": "lognormal",   "mu": 0, "sigma": 0.1}             mu, sigma of log X
 *   {"dist": "lognormal",   "mean": 1.2, "sd": 0.2}            or mean, sd of X itself (> 0)
 *   {"dist": "uniform",     "min": 0.03, "max": 0.09}
 *   {"dist": "triangular",  "min": 0, "mode": 0.05, "max": 0.08}
 *   {"dist": "truncnormal", "mean": 1.2, "sd": 0.3, "min": 0, "max": 4}
 *                           mean, sd of the parent normal; min and/or max (at least one; a
 *                           missing bound is -inf/+inf)
 *   {"dist": "beta",        "a": 2, "b": 5, "min": 0, "max": 1} min/max rescale [0,1] (default 0, 1)
 *   {"dist": "student_t",   "df": 5, "scale": 0.01, "mean": 0}  also "t"; X = mean + scale*T_df;
 *                           scale defaults to 1, mean to 0
 * Aliases accepted for "dist": "gaussian" (normal), "truncated_normal" (truncnormal), "t".
 *
 * All functions are pure (no global state) and thread-safe; a parsed dist is a plain value
 * (copy it freely, nothing to free). */
#ifndef DIST_H
#define DIST_H

#include <cjson/cJSON.h>
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

/* Parses a spec object (forms above). `file` and `json_path` locate the spec for messages
 * (for a node of a merged scenario tree pass scenario_origin(s, spec) as file). `extra_keys`
 * (NULL-terminated, may be NULL) are keys the caller reads itself (e.g. "ar1"); dist_parse
 * ignores them, and any other unknown key is an error with a did-you-mean. When "dist" is
 * absent, `default_kind` is used if it is >= 0 (e.g. DIST_UNIFORM for a sweep's
 * {"min", "max"}), else it is an error. Errors (DIAG_DATA, "file: $.path.key: error: ..."):
 * not an object; an unknown dist name (did-you-mean over the names and aliases); a missing or
 * non-numeric parameter; a parameter that does not belong to the kind; sd, sigma, scale,
 * a, b or df <= 0; min >= max; mode outside [min, max]; lognormal mean <= 0; truncnormal
 * without a bound or with a window of probability below 1e-12 under the parent normal.
 * Returns DIAG_OK and fills *out, or an error status with *out unspecified. */
int dist_parse(const cJSON *spec, const char *file, const char *json_path, const char *const *extra_keys,
               int default_kind, dist *out, diag *d);

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

/* A one-line description for tables and messages, e.g. "normal(mean 0, sd 0.015)".
 * Writes at most size bytes (NUL-terminated). */
void dist_describe(const dist *dist, char *buf, size_t size);

/* The spec as a JSON object in its canonical form ({"dist": "normal", "mean": 0, "sd": 0.015};
 * a lognormal given by mean/sd is written with mu, sigma), for summary.json. NULL on OOM. */
cJSON *dist_to_json(const dist *dist);

#endif
