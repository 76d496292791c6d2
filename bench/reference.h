/* reference.h: the speed-of-light reference for `make bench`: the county model
 * (models/county.json) written by hand as one fused C loop, path by path, with the shocks of
 * scenarios/linzhou-2023-risk.json drawn exactly as the ensemble draws them. The engine runs
 * the same model from its compiled equations over blocks of lanes; the benchmark prints how
 * far it is from this loop. Not part of the library. */
#ifndef REFERENCE_H
#define REFERENCE_H

#include <stddef.h>

#include "ensemble.h"
#include "run.h"

#define REFERENCE_MAX_YEARS 64
#define REFERENCE_OUTPUTS 4 /* gdp and fiscal_revenue in the first goal year and the end year */

/* Everything the fused loop needs, read once from a run and its ensemble spec. */
typedef struct reference_model {
    size_t horizon;                 /* years start..end */
    /* inputs by horizon year (the plan's values: assumptions of the scenario) */
    double real_growth[REFERENCE_MAX_YEARS], deflator_growth[REFERENCE_MAX_YEARS];
    double construction_growth[REFERENCE_MAX_YEARS], tax_rate[REFERENCE_MAX_YEARS];
    double firms_growth[REFERENCE_MAX_YEARS], devzone_share[REFERENCE_MAX_YEARS];
    double devzone_ratio[REFERENCE_MAX_YEARS], urban_growth[REFERENCE_MAX_YEARS];
    double buoyancy;
    /* the state in start - 1 */
    double deflator0, gdp0, revenue0, construction0, firms0, urban0;
    /* the four shocks of the risk scenario, in its order: real growth, deflator growth,
     * buoyancy, construction growth (normal, added; the model's [min, max] clamps them) */
    double sd[4], ar1[4], lo[4], hi[4];
    double factor[16];              /* the ensemble's 4 x 4 correlation factor */
    int output_year[2];             /* horizon indices of the two output years */
    unsigned long seed;
} reference_model;

/* Reads the model inputs from r (deterministic path computed) and the shocks from spec,
 * which must be the risk scenario's four normal shocks in that order. Returns 0, or -1 with a
 * message on stderr when the scenario is not the one this reference was written for. */
int reference_init(reference_model *ref, const run *r, const ensemble_spec *spec, int output_year);

/* Runs `paths` paths, one thread, in blocks of ENGINE_DEFAULT_LANES with the engine's block
 * streams, and writes out[path * REFERENCE_OUTPUTS + k]: gdp and fiscal_revenue in the two
 * output years (亿元). With shocks == 0, no draws: every path is the deterministic one. */
void reference_run(const reference_model *ref, size_t paths, int shocks, double *out);

#endif
