/* sweep_load_internal.h: what the files of the sweep loader (sweep_load.c,
 * sweep_load_outputs.c) share. */
#ifndef SWEEP_LOAD_INTERNAL_H
#define SWEEP_LOAD_INTERNAL_H

#include "diag.h"
#include "jsonfile.h"
#include "run.h"
#include "sweep.h"

struct cJSON;

/* What the parser carries around. */
typedef struct sweep_parser {
    const run *r;
    const scenario *scenario;
    const struct cJSON *block;
    char path[JSONFILE_PATH_MAX]; /* "$.sweep" */
    diag *d;
} sweep_parser;

/* Reports a DIAG_DATA error at `path` (node NULL: the block) in the file that holds it;
 * returns DIAG_DATA. */
int sweep_error(const sweep_parser *p, const struct cJSON *node, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reads the block's "outputs" into spec->outputs (every mistake reported), then adds met:GOAL
 * for "discover". Returns DIAG_OK or the status of the errors. */
int sweep_parse_outputs(const sweep_parser *p, sweep_spec *spec);

#endif
