/* scenario_internal.h: private to the scenario loader (scenario.c, scenario_check.c,
 * scenario_fill.c): the checks of one file before the merge, the filling of the struct from
 * the merged tree, and the helpers they share. Not part of the API: scenario.h is. */
#ifndef SCENARIO_INTERNAL_H
#define SCENARIO_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "diag.h"
#include "jsonfile.h"
#include "scenario.h"

/* 1 for the keys that describe a file rather than the scenario it sets up ("name", "title",
 * "note"): never inherited from a base. */
int scenario_is_own_key(const char *key);

/* The member `key` of an object (case-sensitive), or NULL. */
cJSON *scenario_member(const cJSON *object, const char *key);

/* Checks one file of the chain on its own (keys, types, years, series forms, bounds, blocks)
 * and resolves its paths relative to it, or on the search path (recorded in s->found). Every mistake is reported in d (DIAG_DATA at the
 * file's JSON paths); the paths are resolved only in a file without any. Returns d's status. */
int scenario_check_file(scenario *s, cJSON *root, const char *file, diag *d);

/* The model name a key of a name section stands for: the resolver's answer, else the key. */
const char *scenario_canonical(const scenario_resolver *resolver, const char *key);

/* What a fill needs besides the scenario: the notes each file gave, and the resolver. */
/* What one file of the chain wrote for a series: the key (a name or a label) and the note. */
typedef struct scenario_file_note {
    size_t file;   /* index in the extends chain */
    int initial;   /* 1: of "initial", 0: of "assumptions" */
    char *name;    /* the model name the key stands for */
    char *written; /* the key as that file wrote it */
    char *note;    /* or NULL */
    char *note_en; /* its English form, or NULL */
} scenario_file_note;

typedef struct scenario_fill_context {
    const scenario_resolver *resolver;
    const scenario_file_note *notes;
    size_t note_count;
} scenario_fill_context;

/* Fills s (name, title, years, initial values, assumptions, bounds) from its merged tree
 * s->root, each value with the file and JSON path that wrote it. Returns a DIAG_ status;
 * partial state is freed by scenario_free. */
int scenario_fill(scenario *s, const scenario_fill_context *ctx, diag *d);

#endif
