/* summary_discover.c: the "discovery" part of summary.json (summary.h). */
#include "summary.h"
#include "discover_write.h"
#include "summary_internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>

/* One box: its stats, the sentence, the restricted inputs with limits and qp-values, and its
 * peeling trajectory. Returns 1, or 0 when memory ran out. */
static int discover_box_json(cJSON *boxes, const discover_result *res, size_t b)
{
    const prim_box *box = &res->prim.boxes[b];
    cJSON *item = cJSON_CreateObject();
    if (!item || !cJSON_AddItemToArray(boxes, item)) {
        cJSON_Delete(item);
        return 0;
    }
    char sentence[2048];
    discover_sentence(sentence, sizeof sentence, res, b);
    summary_add_string(item, "sentence", sentence);
    summary_add_number(item, "coverage", box->stats.coverage);
    summary_add_number(item, "density", box->stats.density);
    summary_add_number(item, "mass", box->stats.mass);
    summary_add_number(item, "points", (double)box->stats.points);
    summary_add_number(item, "misses", (double)box->stats.misses);
    summary_add_number(item, "step", (double)box->step);
    cJSON *limits = cJSON_AddArrayToObject(item, "restrictions");
    cJSON *peeling = cJSON_AddArrayToObject(item, "peeling");
    if (!limits || !peeling)
        return 0;
    for (size_t j = 0; j < res->k; j++) {
        const prim_limit *l = &box->limits[j];
        if (!l->sides)
            continue;
        cJSON *one = cJSON_CreateObject();
        if (!one || !cJSON_AddItemToArray(limits, one)) {
            cJSON_Delete(one);
            return 0;
        }
        summary_add_string(one, "input", res->inputs[j].name);
        summary_add_string(one, "unit", res->inputs[j].unit);
        summary_add_number(one, "lower", (l->sides & PRIM_LOWER) ? l->lower : NAN);
        summary_add_number(one, "upper", (l->sides & PRIM_UPPER) ? l->upper : NAN);
        summary_add_number(one, "qp_lower", l->qp_lower);
        summary_add_number(one, "qp_upper", l->qp_upper);
    }
    for (size_t t = 0; t < box->peeling.steps; t++) {
        cJSON *step = cJSON_CreateObject();
        if (!step || !cJSON_AddItemToArray(peeling, step)) {
            cJSON_Delete(step);
            return 0;
        }
        summary_add_number(step, "coverage", box->peeling.stats[t].coverage);
        summary_add_number(step, "density", box->peeling.stats[t].density);
        summary_add_number(step, "restricted", (double)box->peeling.stats[t].restricted);
    }
    return 1;
}

summary_part *summary_discover(const discover_result *res)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    summary_add_string(root, "goal", res->goal->id);
    summary_add_string(root, "method", "PRIM (Friedman and Fisher 1999), peeling then pasting, qp-values "
                                       "(Bryant and Lempert 2010)");
    summary_add_string(root, "over", res->from_ensemble ? "paths" : "runs");
    summary_add_number(root, "runs", (double)res->n);
    summary_add_number(root, "misses", (double)res->prim.misses);
    summary_add_number(root, "peel_alpha", res->spec->prim.peel_alpha);
    summary_add_number(root, "coverage_min", res->spec->prim.coverage_min);
    cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
    cJSON *boxes = cJSON_AddArrayToObject(root, "boxes");
    int ok = inputs && boxes;
    for (size_t j = 0; ok && j < res->k; j++) {
        cJSON *one = cJSON_CreateObject();
        ok = one && cJSON_AddItemToArray(inputs, one);
        if (!ok) {
            cJSON_Delete(one);
            break;
        }
        summary_add_string(one, "name", res->inputs[j].name);
        summary_add_string(one, "label", res->inputs[j].label);
        summary_add_string(one, "unit", res->inputs[j].unit);
        summary_add_string(one, "summary", res->inputs[j].summary);
    }
    for (size_t b = 0; ok && b < res->prim.box_count; b++)
        ok = discover_box_json(boxes, res, b);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}
