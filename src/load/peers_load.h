/* peers_load.h: the "peers" block of a scenario, read and checked into a peers_spec (peers.h). */
#ifndef PEERS_LOAD_H
#define PEERS_LOAD_H

#include "diag.h"
#include "peers.h"
#include "run.h"

/* Reads and checks the "peers" block of r's scenario into *out (NULL and DIAG_OK when there is
 * no block), without using run values (the loader, peers_load.c):
 *   "places":    array of place names (required; each in the observations file or in
 *                places.json beside it, not the home place, no repeats);
 *   "variables": array of model names of levels (required; not rates);
 *   "growth":    "trend" (default), "last", a rate (0.08 or "8%") or a year map like
 *                {"2023-2030": "8%", "value": "6%", "note": "..."};
 *   "by_place":  {"辉县市": "last", ...}: the growth of some peers, same forms;
 *   "from":      the first year compared (default: the earliest observation of the places);
 *   "catch_up_by": the year of the table's catch-up growth column (default: end);
 *   "note":      free text.
 * Variables are model names or labels. Errors are DIAG_DATA at the JSON path of the block's
 * file, with "did you mean" hints; an unknown place lists the places that exist; every
 * mistake of the block is reported. A block without a history in the scenario is an error.
 * Free the spec with peers_spec_free. */
int peers_load(const run *r, peers_spec **out, diag *d);

#endif
