/* discover_load.h: the "discover" key of a sweep or uncertainty block read into a
 * discover_spec (discover.h). */
#ifndef DISCOVER_LOAD_H
#define DISCOVER_LOAD_H

#include "diag.h"
#include "discover.h"
#include "goals.h"
#include "run.h"

struct cJSON; /* the parsed file (cJSON.h): only the loaders look inside */

/* Reads block["discover"] (block: the sweep or uncertainty object; block_path: "$.sweep" or
 * "$.uncertainty") against the scenario's goals. *out is NULL with DIAG_OK when the key is
 * absent (or block is not an object: its own loader says so). Errors are DIAG_DATA at the
 * JSON path: not a string or object; unknown keys (did-you-mean); a missing or unknown goal
 * (did-you-mean); "boxes" not 1..DISCOVER_MAX_BOXES; "coverage" not in (0, 1]; "alpha" not in
 * [0.01, 0.3]; "step" not a whole number >= 0 or an array of them, one per box at most; a
 * one-at-a-time sweep (oat: 1), which has no sample to search. */
int discover_load(const run *r, const goals_set *goals, const struct cJSON *block, const char *block_path, int oat,
                  discover_spec **out, diag *d);

/* The goal id that block["discover"] names, or NULL (absent or malformed): the sweep loader
 * adds met:GOAL to its outputs with it. Points into the JSON tree. */
const char *discover_goal_named(const struct cJSON *block);

#endif
