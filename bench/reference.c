/* reference.c: the county model as one hand-written fused loop (see reference.h).
 *
 * Per path, year by year: draw the four correlated shocks (the same gsl_ran_gaussian_ziggurat
 * calls, in the same order, from the same block streams as the ensemble), then the twelve
 * equations of models/county.json written out in C, everything in registers. This is what
 * a programmer would write for this one model; the engine must be close to it while running
 * any model from its file. */
#include "reference.h"
#include "engine.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int slot_of(const run *r, const char *name)
{
    int slot = model_find(r->model, name);
    if (slot < 0)
        fprintf(stderr, "reference: the model has no \"%s\"\n", name);
    return slot;
}

static double at(const run *r, const char *name, int year)
{
    return run_value(r, name, year);
}

int reference_init(reference_model *ref, const run *r, const ensemble_spec *spec, int output_year)
{
    memset(ref, 0, sizeof *ref);
    const sim_plan *plan = r->plan;
    static const char *const shocked[4] = {"gdp_real_growth", "gdp_deflator_growth", "revenue_buoyancy",
                                           "construction_output_growth"};
    if (spec->shock_count != 4) {
        fprintf(stderr, "reference: written for the 4 shocks of linzhou-2023-risk.json, not %zu\n", spec->shock_count);
        return -1;
    }
    for (int k = 0; k < 4; k++) {
        const ensemble_shock *shock = &spec->shocks[k];
        if (strcmp(shock->name, shocked[k]) || shock->dist.kind != DIST_NORMAL || shock->dist.mean != 0 ||
            shock->apply != ENSEMBLE_ADD) {
            fprintf(stderr, "reference: shock %d must be an added normal(0, sd) on %s\n", k, shocked[k]);
            return -1;
        }
        ref->sd[k] = shock->dist.sd;
        ref->ar1[k] = shock->ar1;
        int slot = slot_of(r, shocked[k]);
        if (slot < 0)
            return -1;
        ref->lo[k] = r->model->slots[slot].min;
        ref->hi[k] = r->model->slots[slot].max;
    }
    for (int i = 0; i < 16; i++)
        ref->factor[i] = spec->cholesky ? spec->cholesky[i] : (i % 5 == 0);
    ref->horizon = (size_t)(plan->end - plan->start + 1);
    if (ref->horizon > REFERENCE_MAX_YEARS)
        return -1;
    for (size_t h = 0; h < ref->horizon; h++) {
        int year = plan->start + (int)h;
        ref->real_growth[h] = at(r, "gdp_real_growth", year);
        ref->deflator_growth[h] = at(r, "gdp_deflator_growth", year);
        ref->construction_growth[h] = at(r, "construction_output_growth", year);
        ref->tax_rate[h] = at(r, "construction_tax_rate", year);
        ref->firms_growth[h] = at(r, "construction_firms_growth", year);
        ref->devzone_share[h] = at(r, "devzone_gdp_share", year);
        ref->devzone_ratio[h] = at(r, "devzone_industrial_ratio", year);
        ref->urban_growth[h] = at(r, "urban_population_growth", year);
    }
    ref->buoyancy = at(r, "revenue_buoyancy", plan->start);
    int before = plan->start - 1;
    ref->deflator0 = at(r, "gdp_deflator", before);
    ref->gdp0 = at(r, "gdp", before);
    ref->revenue0 = at(r, "fiscal_revenue", before);
    ref->construction0 = at(r, "construction_output", before);
    ref->firms0 = at(r, "construction_firms", before);
    ref->urban0 = at(r, "urban_population", before);
    ref->output_year[0] = output_year - plan->start;
    ref->output_year[1] = (int)ref->horizon - 1;
    ref->seed = spec->seed;
    return 0;
}

/* Tells the compiler a value is used, without any instruction (x86-64: in an SSE register);
 * elsewhere through a volatile store. */
#if defined(__GNUC__) && defined(__x86_64__)
#define KEEP(x) __asm__ volatile("" : : "x"(x))
#else
static volatile double reference_sink;
#define KEEP(x) (reference_sink = (x))
#endif

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void reference_run(const reference_model *ref, size_t paths, int shocks, double *out)
{
    gsl_rng *rng = gsl_rng_alloc(engine_rng_type());
    const size_t lanes = ENGINE_DEFAULT_LANES;
    const double *a = ref->factor;
    double persistence[4];
    for (int k = 0; k < 4; k++)
        persistence[k] = sqrt(1 - ref->ar1[k] * ref->ar1[k]);
    for (size_t first = 0; first < paths; first += lanes) {
        size_t count = paths - first < lanes ? paths - first : lanes;
        if (shocks)
            engine_seed_block(rng, ref->seed, first / lanes);
        for (size_t lane = 0; lane < count; lane++) {
            double deflator = ref->deflator0, gdp = ref->gdp0, revenue = ref->revenue0;
            double construction = ref->construction0, firms = ref->firms0, urban = ref->urban0;
            double e[4] = {0, 0, 0, 0}, buoyancy = ref->buoyancy;
            double *row = out + (first + lane) * REFERENCE_OUTPUTS;
            for (size_t h = 0; h < ref->horizon; h++) {
                double real_growth = ref->real_growth[h], deflator_growth = ref->deflator_growth[h];
                double construction_growth = ref->construction_growth[h];
                if (shocks) {
                    double z[4];
                    for (int k = 0; k < 4; k++)
                        z[k] = gsl_ran_gaussian_ziggurat(rng, 1.0);
                    double innovation[4];
                    for (int k = 0; k < 4; k++)
                        innovation[k] = a[k * 4 + 0] * z[0] + a[k * 4 + 1] * z[1] + a[k * 4 + 2] * z[2] +
                                        a[k * 4 + 3] * z[3];
                    for (int k = 0; k < 4; k++) {
                        if (h == 0)
                            e[k] = innovation[k];
                        else if (k != 2)
                            e[k] = ref->ar1[k] * e[k] + persistence[k] * innovation[k];
                    }
                    real_growth = clamp(real_growth + ref->sd[0] * e[0], ref->lo[0], ref->hi[0]);
                    deflator_growth = clamp(deflator_growth + ref->sd[1] * e[1], ref->lo[1], ref->hi[1]);
                    if (h == 0)
                        buoyancy = clamp(ref->buoyancy + ref->sd[2] * e[2], ref->lo[2], ref->hi[2]);
                    construction_growth = clamp(construction_growth + ref->sd[3] * e[3], ref->lo[3], ref->hi[3]);
                }
                /* the equations of models/county.json, in their evaluation order */
                double gdp_previous = gdp;
                deflator = deflator * (1 + deflator_growth);
                gdp = gdp * (1 + real_growth) * (1 + deflator_growth);
                double gdp_real = gdp / deflator;
                double nominal_growth = gdp / gdp_previous - 1;
                revenue = revenue * (1 + buoyancy * nominal_growth);
                double revenue_share = revenue / gdp;
                construction = construction * (1 + construction_growth);
                double construction_tax = ref->tax_rate[h] * construction;
                firms = firms * (1 + ref->firms_growth[h]);
                double devzone_gdp = ref->devzone_share[h] * gdp;
                double devzone_industry = ref->devzone_ratio[h] * devzone_gdp;
                urban = urban * (1 + ref->urban_growth[h]);
                /* keep every variable live, as the engine computes them all */
                KEEP(gdp_real);
                KEEP(revenue_share);
                KEEP(construction_tax);
                KEEP(firms);
                KEEP(devzone_industry);
                KEEP(urban);
                if ((int)h == ref->output_year[0]) {
                    row[0] = gdp;
                    row[1] = revenue;
                }
                if ((int)h == ref->output_year[1]) {
                    row[2] = gdp;
                    row[3] = revenue;
                }
            }
        }
    }
    gsl_rng_free(rng);
}
