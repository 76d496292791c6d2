/* model.h: model files (DESIGN §5): parameters, exogenous series and variables with their
 * equations, compiled and ordered for simulation. */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>

#include "diag.h"
#include "expr.h"
#include "jsonfile.h"

#define MODEL_MAX_SLOTS 1000 /* parameters + exogenous + variables */

typedef enum model_kind {
    MODEL_PARAMETER, /* one value for every year */
    MODEL_EXOGENOUS, /* a series set year by year by scenario assumptions */
    MODEL_VARIABLE   /* computed each year by its equation, unless observed */
} model_kind;

/* One name of the model. Slots are numbered parameters first, then exogenous series, then
 * variables, each group in file order. */
typedef struct model_slot {
    char *name;        /* identifier, e.g. "fiscal_revenue" */
    char *label;       /* display label, e.g. "一般公共预算收入" (defaults to name) */
    char *unit;        /* e.g. "亿元", "ratio", "count", "" */
    char *note;        /* what it is and why the equation has this form; or NULL */
    model_kind kind;
    double value;      /* default value (parameters, exogenous); NaN for variables */
    double min, max;   /* admissible range (goal seek, sweeps); -inf/+inf when not given */
    char *equation;    /* variables: the source text of "eq"; NULL otherwise */
    expr_program *program; /* variables: the compiled equation; NULL otherwise */
    char json_path[JSONFILE_PATH_MAX]; /* e.g. $.variables.gdp */
} model_slot;

typedef struct model {
    char *path;
    char *name;
    char *title;
    char *note;
    model_slot *slots;
    size_t slot_count;
    const char **names;  /* names[i] == slots[i].name, for lookups and suggestions */
    size_t *order;       /* variable slots in evaluation order (same-year dependencies first) */
    size_t order_count;
    int max_lag;         /* largest lag any equation uses */
    size_t scratch;      /* largest expr_program_scratch of the equations */
} model;

/* Loads, validates and compiles a model file. Returns NULL with an error in d: DIAG_NO_INPUT
 * for a missing file; DIAG_DATA for JSON errors (file:line:col), unknown keys, wrong types,
 * bad or duplicate names, min > max, a value outside [min, max], an equation error (the JSON
 * path of the equation, the column in it and a caret under the spot), or a cycle of same-year
 * dependencies (every variable of the cycle named, in order). */
model *model_load(const char *path, diag *d);

/* Frees everything; NULL is a no-op. */
void model_free(model *m);

/* The slot index of `name`, or -1. */
int model_find(const model *m, const char *name);

/* The closest name of the given kind to `name` for a "did you mean" hint (kind < 0: any),
 * or NULL. */
const char *model_suggest(const model *m, const char *name, int kind);

/* "parameter", "exogenous series" or "variable". */
const char *model_kind_name(model_kind kind);

/* 1 when the slot holds a rate (unit "ratio" or "fraction"): an observation of kind growth
 * for it is its own value, not the growth of a level. */
int model_slot_is_rate(const model_slot *slot);

#endif
