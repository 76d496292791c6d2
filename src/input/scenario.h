/* scenario.h: scenario files (DESIGN §6): extends, model and history paths, horizon,
 * initial values and assumptions; the goals, peers, uncertainty, sweep and charts blocks are
 * kept as JSON for their own modules to read.
 *
 * `extends` names a base scenario (relative to the file); objects merge key by key with the
 * child winning, arrays and scalars are replaced whole (keys naming model slots match by the
 * name they stand for: see scenario_load_resolved). A loop of extends is an error naming
 * the chain. Paths inside a file (`extends`, `model`, `history.file`, and the strings of `goals`,
 * which name goal files) are resolved relative to that file before merging, so a base in
 * another folder keeps pointing at its own model; a name that is not there is looked for on
 * the search path (search_path.h: ECONSIM_PATH, then the installed share folder).
 * Keys that start with '_' are comments, anywhere in a scenario file: dropped as the file is
 * read, before any check.
 * `name`, `title` and `note` describe a file, not the scenario it sets up: they are never
 * inherited from a base (a child without a name would otherwise write into its base's
 * out/<name>/). Within a merged year map, the child's keys come after the base's, so the
 * child's years win over the base's ranges. */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>

#include "diag.h"

struct cJSON; /* the parsed file (cJSON.h): only the loaders look inside */

#define SCENARIO_MAX_EXTENDS 32   /* deepest chain of extends */
#define SCENARIO_MIN_YEAR 1900
#define SCENARIO_MAX_YEAR 2200
#define SCENARIO_MAX_HORIZON 200  /* end - start + 1 */
#define SCENARIO_MAX_NAME 64

/* One year span of an assumption or initial value: years from..to inclusive. */
typedef struct scenario_span {
    int from, to;
    double value;
} scenario_span;

/* Where one value of a series was written: the provenance that `explain` and summary.json
 * show, and where a message about that value points. */
typedef struct scenario_source {
    const char *file;  /* the scenario file that wrote it (one of the extends_chain strings) */
    char *json_path;   /* owned: "$.assumptions.gdp_real_growth.2023", "...value", "...values[2]" */
    const char *note;  /* the note of the series in that same file, or NULL: a base's note is
                          never the reason for a child's value (owned by the series) */
    const char *note_en; /* its English form ("note_en") in that file, or NULL: see
                            scenario_source_note */
    int percent;       /* 1 when written as a percentage string ("8%") */
} scenario_source;

/* A time series written in a scenario, in any of the accepted forms:
 *   0.06 or "6%"                                 constant in every year
 *   {"2023": "8%", "2024-2030": "7%"}             a year map (ranges inclusive)
 *   {"value": "7%", "2023": "8%", "note": "..."}  "value" is the constant for unlisted years
 *   [0.08, 0.07, 0.07]                           an array, one value a year from `start`
 *   {"values": [...], "note": "..."}             the same with a note
 * A later span wins where spans overlap (a map's listed years beat its "value").
 * In `initial`, a constant (or an object's "value") is the value in year start-1, the year the
 * first lags read: it becomes the span {start-1, start-1} (an error when `start` is not set),
 * and has_constant stays 0. Arrays (and "values") run from `start` on and so are refused in
 * `initial`. Years are integers in SCENARIO_MIN_YEAR..SCENARIO_MAX_YEAR; values are finite
 * fractions or levels as written ("8%" is 0.08). */
typedef struct scenario_series {
    char *name;              /* the model name it sets (the key as written when the model does
                                not know it: checked by the run's validation) */
    char *written;           /* the key as written: the name, or the label that stands for it */
    int has_constant;        /* 1 when a constant applies to years no span covers */
    double constant;
    scenario_source constant_source; /* where the constant was written (when has_constant) */
    scenario_span *spans;    /* in file order, base files first (later spans win) */
    int initial_constant;    /* 1 in `initial` when spans[0] is the constant's year before start */
    scenario_source *sources;/* [span_count]: where each span was written */
    size_t span_count;
    char *note;              /* the "note" of the merged series (the nearest file's), or NULL */
    char *note_en;           /* its English form ("note_en") from the same merge, or NULL */
    char **file_notes;       /* [extends_count]: the note each file of the chain gives it, or NULL */
    char **file_notes_en;    /* [extends_count]: the English form of each, or NULL */
    char **file_keys;        /* [extends_count]: the key each file wrote it under, or NULL */
    char *file;              /* the scenario file that defined it (for messages) */
    char json_path[JSONFILE_PATH_MAX]; /* e.g. $.assumptions.gdp_real_growth */
} scenario_series;

/* A range that the scenario sets in place of the model's ("bounds"), e.g. to allow a -30%
 * crisis year on purpose. The run applies it to its copy of the model and records it. */
typedef struct scenario_bound {
    char *name;              /* the model name (as written when unknown) */
    char *written;           /* the key as written */
    double min, max;         /* -inf / +inf for a side not given; the slot's unit */
    char *note;              /* why, or NULL */
    char *note_en;           /* its English form ("note_en"), or NULL: see scenario_bound_note */
    const char *file;        /* the file that set it (one of extends_chain) */
    char json_path[JSONFILE_PATH_MAX]; /* $.bounds.NAME */
} scenario_bound;

/* How scenario_load_resolved reads keys that name model slots, so that a label may stand for
 * a name and a child's label key overrides its base's name key in the extends merge. */
typedef struct scenario_resolver {
    /* Called once the chain of files is read, with the model path they name (resolved; NULL
     * when none does), before anything is merged. Returns a DIAG_ status (errors in d). */
    int (*open)(void *context, const char *model_path, diag *d);
    /* The model name that `key` (a name or a label) stands for, or NULL when it is neither. */
    const char *(*canonical)(void *context, const char *key);
    void *context;
} scenario_resolver;

/* A file the scenario names that was not where the naming file says, but found by the search
 * path (search_path.h): shown by `explain` and recorded in summary.json. */
typedef struct scenario_found {
    const char *file;        /* the file that names it (one of the extends_chain strings) */
    char *json_path;         /* owned: where it names it: "$.extends", "$.model", "$.goals[1]" */
    char *written;           /* owned: the name as written there */
    char *path;              /* owned: the file found */
    char *folder;            /* owned: the ECONSIM_PATH or share folder it was found in */
    int via;                 /* a search_path_via: SEARCH_PATH_ENV or SEARCH_PATH_SHARE */
} scenario_found;

typedef struct scenario {
    char *path;              /* the file given to scenario_load */
    char *name;              /* a slug: [A-Za-z0-9._-], used for out/<name>/ */
    char *title;             /* free text (defaults to name) */
    char *title_en;          /* its English form ("title_en"), or NULL: see scenario_title */
    char *note;              /* or NULL */
    char *note_en;           /* its English form ("note_en"), or NULL: see scenario_note */
    char *model_path;        /* resolved; NULL when no file in the chain names a model */
    char *history_path;      /* resolved; NULL when there is no history */
    char *history_place;     /* NULL when there is no history */
    int start, end;          /* 0 when not given; end - start + 1 <= SCENARIO_MAX_HORIZON */
    int as_of;               /* "as_of": only observations of years up to it are used (0: all), so
                                that a projection made from the data of that year can be rerun
                                unchanged after later figures are added; --as-of overrides it */
    scenario_series *initial;      /* values for years before start */
    size_t initial_count;
    scenario_series *assumptions;  /* exogenous series and parameters */
    size_t assumption_count;
    scenario_bound *bounds;  /* "bounds": ranges in place of the model's */
    size_t bound_count;
    char **extends_chain;    /* the files merged, child first (chain[0] == path); bases are
                                spelled as resolved from the file naming them */
    size_t extends_count;
    scenario_found *found;   /* the names found by the search path, in the order met */
    size_t found_count;
    struct cJSON *root;      /* the merged tree; the blocks below point into it */
    const struct cJSON *goals, *peers, *uncertainty, *sweep, *charts; /* NULL when absent */
    void *origins;           /* private: which file each node of root came from */
} scenario;

/* Loads a scenario file and its extends chain. Validates keys (unknown keys are errors with a
 * "did you mean"), types, the name slug, years (start <= end, horizon caps) and series forms.
 * Model names are not checked here (see sim_plan_build). Returns NULL with an error in d
 * (DIAG_NO_INPUT for a missing file, DIAG_DATA for bad content) located as file:line:col or
 * file: $.json.path in the file that holds the problem. A loop of extends is reported at the
 * $.extends of the file where the loop starts ("a.json: $.extends: error: extends loop:
 * a.json -> b.json -> a.json"); files are compared by identity (device and inode), so
 * "./a.json" and "a.json" are one file. At most SCENARIO_MAX_EXTENDS extends are followed.
 * A missing base is DIAG_NO_INPUT at the $.extends that names it. */
scenario *scenario_load(const char *path, diag *d);

/* scenario_load with names resolved by `resolver` (NULL: keys are taken as written): a key of
 * assumptions, initial, bounds, uncertainty.shocks or sweep.parameters written as a label
 * stands for its name before the extends merge, and two keys of one file that stand for the
 * same name are an error at the second. Every file of the chain is checked even when an
 * earlier one has mistakes, and all of them are reported. */
scenario *scenario_load_resolved(const char *path, const scenario_resolver *resolver, diag *d);

/* Frees everything; NULL is a no-op. */
void scenario_free(scenario *s);

/* Scenario text in the chosen language (i18n_pick): the English form ("title_en", "note_en")
 * in English output when the file gives one, else the text as written. scenario_title never
 * returns NULL for a loaded scenario (the title defaults to the name); the notes may be NULL.
 * Point into the scenario. */
const char *scenario_title(const scenario *s);
const char *scenario_note(const scenario *s);
const char *scenario_source_note(const scenario_source *source);
const char *scenario_bound_note(const scenario_bound *bound);

/* The file that a node of s->root came from (the child for merged objects); s->path for a
 * node that is not in s->root. The string belongs to s. */
const char *scenario_origin(const scenario *s, const struct cJSON *node);

/* Reports an error at a node of s->root: "origin-file: json_path: error: ...". Returns
 * DIAG_DATA, the status it sets in d. */
int scenario_error(const scenario *s, diag *d, const struct cJSON *node, const char *json_path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The value of a series in `year`: the last span that covers the year, else the constant.
 * Sets *value and returns 1, or returns 0 (leaving *value alone) when neither applies. */
int scenario_series_value(const scenario_series *series, int year, double *value);

/* Where the value of a series in `year` was written (the span or constant that
 * scenario_series_value uses), or NULL when none applies. */
const scenario_source *scenario_series_source(const scenario_series *series, int year);

/* The bound the scenario sets for `name`, or NULL. */
const scenario_bound *scenario_find_bound(const scenario *s, const char *name);

/* Parses a year key, "2023" or "2024-2030" (blanks allowed around the numbers). Returns 1 with
 * the years in *from and *to (not range-checked; a number of more than 9 digits reads as
 * 999999999) when the text has that shape, else 0. Shared by every block with year maps. */
int scenario_parse_year_key(const char *key, long *from, long *to);

/* Finds the assumption / initial value for `name`, or NULL. */
const scenario_series *scenario_assumption(const scenario *s, const char *name);
const scenario_series *scenario_initial(const scenario *s, const char *name);

#endif
