/* fuzz_scenario.c: the scenario loader, extends included, then binding to the county model
 * and its history. The input may extend "base.json", a valid base written beside it, or
 * itself ("input.json"). */
#include "fuzz_common.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "history.h"
#include "mem.h"
#include "model.h"
#include "scenario.h"
#include "sim.h"

#ifndef FUZZ_SOURCE_ROOT
#define FUZZ_SOURCE_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static model *county;
    static history *observations;
    static int ready;
    if (!ready) {
        cJSON_Hooks hooks = {mem_alloc, mem_free};
        cJSON_InitHooks(&hooks);
        diag d;
        diag_init(&d);
        county = model_load(FUZZ_SOURCE_ROOT "/models/county.json", &d);
        observations = history_load(FUZZ_SOURCE_ROOT "/data/observations.csv", &d);
        diag_free(&d);
        static const char base[] = "{\"name\": \"base\", \"start\": 2023, \"end\": 2026,"
                                   "\"history\": {\"file\": \"history.csv\", \"place\": \"P\"},"
                                   "\"assumptions\": {\"gdp_real_growth\": {\"2023-2026\": \"6%\"}}}";
        fuzz_write_file("base.json", (const uint8_t *)base, sizeof base - 1);
        ready = 1;
    }
    const char *path = fuzz_write_file("input.json", data, size);
    if (!path)
        return 0;
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(path, &d);
    if (s && county && s->start && s->end) {
        sim_plan *plan = sim_plan_build(county, s, observations, &d);
        if (plan) {
            double *values = NULL;
            if (sim_run_path(plan, &values, &d) == DIAG_OK)
                mem_free(values);
        }
        sim_plan_free(plan);
    }
    scenario_free(s);
    diag_free(&d);
    return 0;
}
