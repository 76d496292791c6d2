/* sweep_load.h: the "sweep" block of a scenario read into a sweep_spec (sweep.h). */
#ifndef SWEEP_LOAD_H
#define SWEEP_LOAD_H


#include "diag.h"
#include "run.h"
#include "sweep.h"

struct cJSON; /* the parsed file (cJSON.h): only the loaders look inside */

/* Reads and validates the sweep block `block` (normally r->scenario->sweep; a block built in
 * code is allowed: its messages name the scenario file) against r's model, horizon and goals. Errors are
 * DIAG_DATA at the JSON path, with did-you-mean hints: unknown keys; a missing or unknown
 * method; an unknown parameter (against the model's parameters and exogenous series) or a
 * variable; no parameters; a bad spec (min > max, an unknown distribution, steps < 2, ...);
 * an unknown output variable or goal; a year outside [start, end]; zero samples; a Sobol' N
 * that is not a power of two ("4000 is not a power of two: use 2048 or 4096"); more than
 * SENSITIVITY_SOBOL_MAX_PARAMETERS parameters for sobol; a design above the run limits.
 * An override of samples that the method does not take is DIAG_USAGE. Returns NULL on error.
 * The spec does not point into r (it may outlive the JSON tree) except for the model's
 * labels and units. */
sweep_spec *sweep_parse(const run *r, const struct cJSON *block, const sweep_overrides *overrides, diag *d);

#endif
