/* summary_internal.h: what the files of the summary module (summary.h) share. */
#ifndef SUMMARY_INTERNAL_H
#define SUMMARY_INTERNAL_H

#include <cjson/cJSON.h>

/* Adds `item` under `key` to `object`, taking it over; when item is NULL (its builder ran out
 * of memory) or adding fails, frees it and returns DIAG_SOFTWARE; else DIAG_OK. */
int summary_add_item(cJSON *object, const char *key, cJSON *item);

/* Adds value under key, or null for NaN and infinities (JSON has neither: an open bound, a
 * value not computed). A failure shows in mem_failure_count (summary.h). */
void summary_add_number(cJSON *object, const char *key, double value);

/* Adds the string under key, or null when value is NULL. A failure shows as above. */
void summary_add_string(cJSON *object, const char *key, const char *value);

/* Adds the as-of year to the "scenario" object of a summary.json when the run has one:
 * "as_of" (observations of years up to it were used) and "as_of_set_by" ("--as-of" or
 * "scenario"). Nothing without an as-of. How many later rows were left out is not written:
 * the files of a run as of a year stay byte for byte the same when rows are added.
 * Returns DIAG_OK, or DIAG_SOFTWARE when memory runs out. */
int summary_add_as_of(cJSON *scenario_info, const run *r);

#endif
