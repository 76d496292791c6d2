/* summary_internal.h: what the files of the summary module (summary.h) share. */
#ifndef SUMMARY_INTERNAL_H
#define SUMMARY_INTERNAL_H

#include <cjson/cJSON.h>

/* Adds `item` under `key` to `object`, taking it over; when item is NULL (its builder ran out
 * of memory) or adding fails, frees it and returns DIAG_SOFTWARE; else DIAG_OK. */
int summary_add_item(cJSON *object, const char *key, cJSON *item);

#endif
