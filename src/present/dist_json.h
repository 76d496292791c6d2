/* dist_json.h: a distribution (dist.h) as JSON, for the shocks of an ensemble and the
 * parameters of a sweep in summary.json. */
#ifndef DIST_JSON_H
#define DIST_JSON_H

#include "dist.h"

struct cJSON;

/* The spec as a JSON object in its canonical form ({"dist": "normal", "mean": 0, "sd": 0.015};
 * a lognormal given by mean/sd is written with mu, sigma; an infinite truncation bound is left
 * out, JSON having no infinity), the form dist_parse reads back. NULL on OOM. */
struct cJSON *dist_to_json(const dist *dist);

#endif
