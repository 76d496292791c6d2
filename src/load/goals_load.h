/* goals_load.h: the goals of a scenario and the goal files it names, read and checked into a
 * goals_set (goals.h) for the analyses. */
#ifndef GOALS_LOAD_H
#define GOALS_LOAD_H

#include "diag.h"
#include "goals.h"
#include "run.h"

/* Reads the goals of r's scenario (s->goals) and the goal files it names, and checks them
 * against the model and horizon: keys (unknown keys are errors with a did-you-mean), types,
 * ids (slugs, no duplicates), variables and instruments (did-you-mean on unknown names; a
 * goal's variable is a variable or exogenous series; an instrument is a parameter or
 * exogenous series with finite min and max in the model), years within [start, end], and
 * for growth goals a value in the year before. Errors are DIAG_DATA located in the file that
 * holds the goal ("goals-166.json: $.goals[1].target: error: ..."); a goal file that cannot
 * be opened is DIAG_NO_INPUT at the scenario's $.goals[i]. A scenario without goals gives an
 * empty set. Results are zeroed (probability NaN). Returns NULL with the error in d. */
goals_set *goals_load(const run *r, diag *d);

#endif
