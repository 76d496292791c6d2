/* report.h: what a run shows and writes: the projection table on stdout, projection.csv and
 * the core of summary.json (DESIGN §7). Goals, peers and ensembles add their own parts. */
#ifndef REPORT_H
#define REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "output.h"
#include "run.h"

/* Formats a value for display in the slot's unit: ratios as percentages ("8.00%"), counts as
 * whole numbers, indices with 4 decimals, money and the rest with 2; a magnitude of 10^12 or
 * more in a short %g form (never hundreds of digits). NaN gives "-". */
void report_format_value(char *buf, size_t size, double value, const char *unit);

/* The one-letter mark of an origin in printed tables: o observed, d derived, n interpolated,
 * i initial, p projected (peers); a space for computed or assumed values. */
char report_origin_flag(sim_origin origin);

/* Prints the projection table: one row per variable and exogenous series (label and unit),
 * one column per year from start-1 to end, aligned by display width (Chinese labels are two
 * columns a character), with a legend for observed/derived/initial cells. */
void report_projection_table(FILE *out, const run *r);

/* Writes projection.csv: scenario,variable,year,value,origin for every variable and exogenous
 * series with a value, from its first value (history) to end. Values in the slot's unit. */
void report_projection_csv(FILE *f, const run *r);

/* Builds the core of summary.json: the scenario (name, title, files, horizon), the model,
 * parameters, and every series with its values, origins and sources. Returns NULL when out of
 * memory. The caller adds "goals", "peers", "charts", "warnings" and prints it. */
cJSON *report_summary(const run *r);

/* Adds the as-of year to the "scenario" object of a summary.json when the run has one:
 * "as_of" (observations of years up to it were used) and "as_of_set_by" ("--as-of" or
 * "scenario"). Nothing without an as-of. How many later rows were left out is not written:
 * the files of a run as of a year stay byte for byte the same when rows are added.
 * Returns DIAG_OK, or DIAG_SOFTWARE when memory runs out. */
int report_add_as_of(cJSON *scenario_info, const run *r);

/* Prints `root` (indented JSON, UTF-8) into the file `name` of the batch, with a final newline.
 * The tree stays the caller's. Returns DIAG_OK, or an error in d (out of memory, or the file
 * could not be opened). */
int report_write_json(output_batch *batch, const char *name, const cJSON *root, diag *d);

/* Adds `item` under `key` to `object`, taking it over; when item is NULL (its builder ran out
 * of memory) or adding fails, frees it and returns DIAG_SOFTWARE (the caller reports out of
 * memory with what it was building); else DIAG_OK. */
int report_add_item(cJSON *object, const char *key, cJSON *item);

/* Adds the warnings of d as a "warnings" array of strings to summary. Returns DIAG_OK, or
 * DIAG_SOFTWARE when memory runs out (the caller reports it). */
int report_add_warnings(cJSON *summary, const diag *d);

/* Prints one line per assumption of a projection year that the data replaced (sim_override):
 * "2023: the scenario assumed gdp_deflator_growth 1.50%, the data says 1.20% (derived from the
 * observed gdp) [data/observations.csv:12]". Nothing when there is none. */
void report_overrides(FILE *out, const run *r);

#endif
