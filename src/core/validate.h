/* validate.h: a scenario checked against its model and history before anything runs.
 *
 * The loaders check each file on its own; this is where they meet: every name a scenario's
 * assumptions, initial values and bounds use (a model name or a label) must be in the model
 * and of the right kind, every value must be plausible (range.h), every year must fall in the
 * years the run covers, and every observation of a model name must be plausible too. All the
 * mistakes are reported, each where it was written, in one run. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include "diag.h"
#include "history.h"
#include "model.h"
#include "scenario.h"

/* Applies the scenario's bounds to m (a model loaded for this scenario alone: the run's copy):
 * each named slot's min and max become the bound's (a side the bound leaves out keeps the
 * model's); model_min/model_max keep the file's. Then
 * checks, reporting every mistake (DIAG_DATA, at the JSON path or file:line:col that holds
 * it):
 *   - "start" and "end" are given;
 *   - bounds, assumptions and initial values name model slots (did-you-mean over names and
 *     labels, or the list of valid names), of the right kind: assumptions set parameters
 *     (one number) and exogenous series, initial values set series, for years before start;
 *   - every value lies in the slot's range (range.h), with the percent hint;
 *   - no year of a series is given twice in one file (a child over its base is normal);
 *   - every year of an assumption lies in sim_first_year..end (the years the run stores);
 *   - the history's place has rows, and every observation of a model name (levels, own values
 *     of rates, growth rates of levels) is plausible, at its line and column.
 * h may be NULL (no history). Returns DIAG_OK or the status of the errors in d. */
int validate_scenario(model *m, const scenario *s, const history *h, diag *d);

#endif
