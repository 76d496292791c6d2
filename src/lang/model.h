/* model.h: a model (DESIGN §5): parameters, exogenous series and variables with their
 * equations, compiled and ordered for simulation, and the lookups of its names. The file is
 * read by model_load.h. */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>

#include "diag.h"
#include "expr.h"

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
    char *note_en;     /* its English form ("note_en"), or NULL: see model_slot_note */
    model_kind kind;
    double value;      /* default value (parameters, exogenous); NaN for variables */
    double min, max;   /* admissible range (goal seek, sweeps, checks of values); -inf/+inf when
                          not given; a scenario's "bounds" may replace them in its run */
    double model_min, model_max; /* the range the model file declares (min, max before bounds) */
    char *equation;    /* variables: the source text of "eq"; NULL otherwise */
    expr_program *program; /* variables: the compiled equation; NULL otherwise */
    char json_path[JSONFILE_PATH_MAX]; /* e.g. $.variables.gdp */
} model_slot;

typedef struct model {
    char *path;
    char *name;
    char *title;         /* as written, or NULL; title_en and note_en are the English forms */
    char *title_en;      /* ("title_en", "note_en"), or NULL: see model_title and model_note */
    char *note;
    char *note_en;
    model_slot *slots;
    size_t slot_count;
    const char **names;  /* names[i] == slots[i].name, for lookups and suggestions */
    size_t *order;       /* variable slots in evaluation order (same-year dependencies first) */
    size_t order_count;
    int max_lag;         /* largest lag any equation uses */
    size_t scratch;      /* largest expr_program_scratch of the equations */
} model;

/* Compiles a model whose slots are filled (by model_load, or in code): indexes the names
 * (m->names), compiles every variable's equation against them, records the largest lag and
 * the scratch the programs need, and orders the equations (m->order). Errors are DIAG_DATA:
 * an equation error at the slot's "$.variables.NAME.eq" (the column in it and a caret under
 * the spot; every bad equation is reported), or a cycle of same-year dependencies (every
 * variable of the cycle named, in order). Returns a DIAG_ status; after an error the model is
 * fit only for model_free. */
int model_compile(model *m, diag *d);

/* Frees everything; NULL is a no-op. */
void model_free(model *m);

/* Model text in the chosen language (i18n_pick): the English form in English output when the
 * file gives one, else the text as written. NULL when the file gives neither. Points into the
 * model. */
const char *model_title(const model *m);
const char *model_note(const model *m);
const char *model_slot_note(const model_slot *slot);

/* The slot an observation's indicator stands for: a model name (a row of kind growth for a
 * slot that is not a rate is the growth of that level), or NAME_growth (the growth of NAME).
 * *growth_of is 1 when the row gives the growth of the slot's level rather than its value.
 * Returns -1 when the indicator is not in the model. */
int model_indicator_slot(const model *m, const char *indicator, int growth_row, int *growth_of);

/* Masks of kinds for model_name_hint: 1u << MODEL_PARAMETER etc. */
#define MODEL_KINDS_ALL 7u
#define MODEL_KINDS_INPUTS ((1u << MODEL_PARAMETER) | (1u << MODEL_EXOGENOUS))
#define MODEL_KINDS_SERIES ((1u << MODEL_EXOGENOUS) | (1u << MODEL_VARIABLE))

/* The slot index of `name`, or -1. */
int model_find(const model *m, const char *name);

/* The slot of `name` written as a model name or as a slot's label ("GDP 实际增速" for
 * gdp_real_growth), or -1. Labels are unique in a model (model_load checks it). */
int model_resolve(const model *m, const char *name);

/* The model name for a name or label (model_resolve), or NULL. Points into m. */
const char *model_canonical(const model *m, const char *name);

/* The closest name of the given kind to `name` for a "did you mean" hint (kind < 0: any),
 * or NULL: see model_name_hint for how "closest" is found. */
const char *model_suggest(const model *m, const char *name, int kind);

/* Writes the hint for `name`, which is not in the model, to buf (size bytes), to follow a
 * message such as "unknown name "gdp_growth"": " (did you mean "gdp_real_growth", GDP 实际增速?)"
 * when a slot of the wanted kinds (a mask of 1u << model_kind) is close: the same name or
 * label but for ASCII case ("GDP" for gdp), else the closest name or label by edit distance
 * in code points (at most a third of the length, at least 2), else a name whose words the
 * guess shares (gdp_growth, deflater -> gdp_deflator_growth). When only a slot of another kind
 * is close, says what it is; when nothing is, lists the names of the wanted kinds. */
void model_name_hint(const model *m, const char *name, unsigned kinds, char *buf, size_t size);

/* "parameter", "exogenous series" or "variable": in English, as summary.json records it;
 * marked for translation, so messages show it through _(). */
const char *model_kind_name(model_kind kind);

/* 1 when the slot holds a rate (units_is_rate of its unit): an observation of kind growth
 * for it is its own value, not the growth of a level. */
int model_slot_is_rate(const model_slot *slot);

/* 1 when the slot is a growth rate: a rate whose name ends in "_growth" (as in the
 * observations file, where NAME_growth is the growth of NAME). Such a series without declared
 * bounds gets the default plausible range of range.h; other rates (shares, ratios such as
 * output to GDP, which may exceed 1) get none. */
int model_slot_is_growth(const model_slot *slot);

#endif
