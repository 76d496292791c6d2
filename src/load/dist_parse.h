/* dist_parse.h: a distribution (dist.h) read from its JSON spec in a scenario file, with
 * located errors: the shocks of an ensemble and the parameters of a sweep use it.
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
 * Aliases accepted for "dist": "gaussian" (normal), "truncated_normal" (truncnormal), "t". */
#ifndef DIST_PARSE_H
#define DIST_PARSE_H


#include "diag.h"
#include "dist.h"

struct cJSON; /* the parsed file (cJSON.h): only the loaders look inside */

/* Parses a spec object (forms above). `file` and `json_path` locate the spec for messages
 * (for a node of a merged scenario tree pass scenario_origin(s, spec) as file). `extra_keys`
 * (NULL-terminated, may be NULL) are keys the caller reads itself (e.g. "ar1"); dist_parse
 * ignores them, and any other unknown key is an error with a did-you-mean. When "dist" is
 * absent, `default_kind` is used if it is >= 0 (e.g. DIST_UNIFORM for a sweep's
 * {"min", "max"}), else it is an error. Errors (DIAG_DATA, "file: $.path.key: error: ..."):
 * not an object; an unknown dist name (did-you-mean over the names and aliases); a missing or
 * non-numeric parameter; a parameter that does not belong to the kind; and every check of
 * dist_validate (sd, sigma, scale, a, b or df <= 0; min >= max; mode outside [min, max];
 * lognormal mean <= 0; truncnormal without a bound or with a window of probability below
 * DIST_TRUNCNORMAL_MIN_WINDOW under the parent normal). Returns DIAG_OK and fills *out, or an
 * error status with *out unspecified. */
int dist_parse(const struct cJSON *spec, const char *file, const char *json_path, const char *const *extra_keys,
               int default_kind, dist *out, diag *d);

#endif
