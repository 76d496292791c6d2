/* ensemble_load.h: the "uncertainty" block of a scenario (with --paths and --seed), read and checked
 * into an ensemble_spec (ensemble.h). */
#ifndef ENSEMBLE_LOAD_H
#define ENSEMBLE_LOAD_H

#include <stddef.h>

#include "diag.h"
#include "ensemble.h"
#include "run.h"

/* Reads r's uncertainty block and the command-line overrides. paths_override > 0 replaces
 * "paths"; seed_given replaces "seed" by seed. With neither a block nor paths_override,
 * *out is NULL and DIAG_OK is returned (no ensemble). With paths_override and no block, the
 * ensemble has no shocks (every path equals the deterministic one) and a warning says so.
 * Errors are those ensemble.h lists for the block, located in the file that holds it. */
int ensemble_load(const run *r, size_t paths_override, int seed_given, unsigned long seed, ensemble_spec **out,
                  diag *d);

#endif
