/* discover_load.c: the "discover" key of a sweep or uncertainty block (discover_load.h). */
#include "discover_load.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *discover_goal_named(const cJSON *block)
{
    const cJSON *key = cJSON_IsObject(block) ? cJSON_GetObjectItemCaseSensitive(block, "discover") : NULL;
    if (cJSON_IsString(key))
        return key->valuestring;
    const cJSON *goal = cJSON_IsObject(key) ? cJSON_GetObjectItemCaseSensitive(key, "goal") : NULL;
    return cJSON_IsString(goal) ? goal->valuestring : NULL;
}

/* The goal named by `item` (a string) into spec. */
static int discover_read_goal(const run *r, const goals_set *goals, const cJSON *item, const char *path,
                              discover_spec *spec, diag *d)
{
    const scenario *s = r->scenario;
    if (!cJSON_IsString(item))
        return scenario_error(s, d, item, path, _("the goal to discover on must be a goal id (a string), not %s"),
                              jsonfile_type_name(item));
    if (!goals || goals->count == 0)
        return scenario_error(s, d, item, path, _("\"%s\": the scenario has no goals to discover on"),
                              item->valuestring);
    int g = goals_find(goals, item->valuestring);
    if (g < 0) {
        const char *ids[GOALS_MAX];
        for (size_t i = 0; i < goals->count; i++)
            ids[i] = goals->goals[i].id;
        const char *hint = text_suggest(item->valuestring, ids, goals->count);
        return hint ? scenario_error(s, d, item, path, _("unknown goal \"%s\" (did you mean \"%s\"?)"),
                                     item->valuestring, hint)
                    : scenario_error(s, d, item, path, _("unknown goal \"%s\""), item->valuestring);
    }
    spec->goal = (size_t)g;
    spec->goal_id = mem_strdup(goals->goals[g].id);
    return spec->goal_id ? DIAG_OK : diag_oom(d, _("reading \"discover\""));
}

/* A number at key, in [low, high] (whole when whole); absent leaves *out. */
static int discover_read_number(const run *r, const cJSON *object, const char *parent, const char *key, double low,
                                double high, int whole, double *out, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!item)
        return DIAG_OK;
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, parent, key);
    double v;
    if (!jsonfile_number(item, &v) || (whole && v != floor(v)))
        return whole ? scenario_error(r->scenario, d, item, path, _("\"%s\" must be a whole number, not %s"), key,
                                      jsonfile_type_name(item))
                     : scenario_error(r->scenario, d, item, path, _("\"%s\" must be a number, not %s"), key,
                                      jsonfile_type_name(item));
    if (v < low || v > high)
        return scenario_error(r->scenario, d, item, path, _("\"%s\" must be from %g to %g, not %g"), key, low, high, v);
    *out = v;
    return DIAG_OK;
}

/* "step": a whole number (box 1) or an array of them (boxes 1, 2, ...), each >= 0. */
static int discover_read_steps(const run *r, const cJSON *object, const char *parent, discover_spec *spec, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, "step");
    if (!item)
        return DIAG_OK;
    char path[JSONFILE_PATH_MAX], here[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, parent, "step");
    const cJSON *one = cJSON_IsArray(item) ? item->child : item;
    if (cJSON_IsArray(item) && (cJSON_GetArraySize(item) < 1 || (size_t)cJSON_GetArraySize(item) > spec->prim.max_boxes))
        return scenario_error(r->scenario, d, item, path, _("\"step\" names one step per box: 1 to %zu of them, not %d"),
                              spec->prim.max_boxes, cJSON_GetArraySize(item));
    for (size_t b = 0; one; one = cJSON_IsArray(item) ? one->next : NULL, b++) {
        if (cJSON_IsArray(item))
            jsonfile_path_index(here, path, b);
        else
            snprintf(here, sizeof here, "%s", path);
        double v;
        if (!jsonfile_number(one, &v) || v != floor(v) || v < 0 || v > 100000)
            return scenario_error(r->scenario, d, one, here,
                                  _("a step of the peeling trajectory is a whole number from 0 (the box of every run) "
                                  "up, as discovery-peeling.csv lists them, not %s"),
                                  cJSON_IsNumber(one) ? _("a negative or fractional number") : jsonfile_type_name(one));
        spec->prim.step[b] = (long)v;
    }
    return DIAG_OK;
}

int discover_load(const run *r, const goals_set *goals, const cJSON *block, const char *block_path, int oat,
                  discover_spec **out, diag *d)
{
    *out = NULL;
    const cJSON *key = cJSON_IsObject(block) ? cJSON_GetObjectItemCaseSensitive(block, "discover") : NULL;
    if (!key)
        return DIAG_OK;
    const scenario *s = r->scenario;
    discover_spec *spec = mem_calloc(1, sizeof *spec);
    if (!spec)
        return diag_oom(d, _("reading \"discover\""));
    jsonfile_path_key(spec->json_path, block_path, "discover");
    prim_options_default(&spec->prim);
    spec->prim.max_boxes = DISCOVER_DEFAULT_BOXES;
    int status = DIAG_OK;
    if (oat)
        status = scenario_error(s, d, key, spec->json_path,
                                _("a one-at-a-time sweep (method oat) has no sample to discover boxes in: use "
                                "montecarlo or sobol"));
    else if (cJSON_IsString(key))
        status = discover_read_goal(r, goals, key, spec->json_path, spec, d);
    else if (!cJSON_IsObject(key))
        status = scenario_error(s, d, key, spec->json_path,
                                _("\"discover\" must be a goal id or an object {\"goal\": GOAL_ID, ...}, not %s"),
                                jsonfile_type_name(key));
    else {
        static const char *const keys[] = {"goal", "boxes", "coverage", "step", "alpha", "note", NULL};
        status = jsonfile_check_keys(key, keys, scenario_origin(s, key), spec->json_path, "\"discover\"", d);
        const cJSON *goal = cJSON_GetObjectItemCaseSensitive(key, "goal");
        char path[JSONFILE_PATH_MAX];
        jsonfile_path_key(path, spec->json_path, "goal");
        if (status == DIAG_OK && !goal)
            status = scenario_error(s, d, key, spec->json_path,
                                    _("missing \"goal\": the id of the goal whose misses to explain"));
        if (status == DIAG_OK)
            status = discover_read_goal(r, goals, goal, path, spec, d);
        double boxes = (double)spec->prim.max_boxes;
        if (status == DIAG_OK)
            status = discover_read_number(r, key, spec->json_path, "boxes", 1, DISCOVER_MAX_BOXES, 1, &boxes, d);
        spec->prim.max_boxes = (size_t)boxes;
        if (status == DIAG_OK)
            status = discover_read_number(r, key, spec->json_path, "coverage", 0.01, 1, 0, &spec->prim.coverage_min, d);
        if (status == DIAG_OK)
            status = discover_read_number(r, key, spec->json_path, "alpha", 0.01, 0.3, 0, &spec->prim.peel_alpha, d);
        if (status == DIAG_OK)
            status = discover_read_steps(r, key, spec->json_path, spec, d);
    }
    if (status != DIAG_OK) {
        discover_spec_free(spec);
        return status;
    }
    *out = spec;
    return DIAG_OK;
}
