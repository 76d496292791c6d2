/* dist_json.c: a distribution as JSON for summary.json (dist_json.h). */
#include "dist_json.h"

#include <cjson/cJSON.h>
#include <math.h>

/* Adds a number, or nothing for an infinite truncation bound (JSON has no infinity). */
static int add_number(cJSON *object, const char *key, double value)
{
    if (!isfinite(value))
        return 1;
    return cJSON_AddNumberToObject(object, key, value) != NULL;
}

cJSON *dist_to_json(const dist *x)
{
    cJSON *object = cJSON_CreateObject();
    if (!object || !cJSON_AddStringToObject(object, "dist", dist_kind_name(x->kind)))
        goto fail;
    int ok = 1;
    switch (x->kind) {
    case DIST_NORMAL:
        ok = add_number(object, "mean", x->mean) && add_number(object, "sd", x->sd);
        break;
    case DIST_LOGNORMAL:
        ok = add_number(object, "mu", x->mu) && add_number(object, "sigma", x->sigma);
        break;
    case DIST_UNIFORM:
        ok = add_number(object, "min", x->min) && add_number(object, "max", x->max);
        break;
    case DIST_TRIANGULAR:
        ok = add_number(object, "min", x->min) && add_number(object, "mode", x->mode) &&
             add_number(object, "max", x->max);
        break;
    case DIST_TRUNCNORMAL:
        ok = add_number(object, "mean", x->mean) && add_number(object, "sd", x->sd) &&
             add_number(object, "min", x->min) && add_number(object, "max", x->max);
        break;
    case DIST_BETA:
        ok = add_number(object, "a", x->a) && add_number(object, "b", x->b) && add_number(object, "min", x->min) &&
             add_number(object, "max", x->max);
        break;
    case DIST_STUDENT_T:
        ok = add_number(object, "df", x->df) && add_number(object, "scale", x->scale) &&
             add_number(object, "mean", x->mean);
        break;
    }
    if (!ok)
        goto fail;
    return object;
fail:
    cJSON_Delete(object);
    return NULL;
}
