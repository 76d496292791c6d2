/* goals.h: the goals of a scenario (DESIGN §3, §6, §7). For every goal: its value in the goal
 * year, whether it is met, the shortfall, the first year of the horizon in which it is met,
 * and the value of an instrument (a parameter or exogenous series named by `solve`) that meets
 * it exactly, found on the whole model: a scan of the instrument's [min, max] range for a sign
 * change, then Brent's method (GSL); several goals at once with GSL's hybrid multiroot solver.
 *
 * A goal (in a scenario's "goals" array, or in a goal file that the array names):
 *   {"id": "revenue-2023", "label": "...", "variable": "fiscal_revenue", "year": 2023,
 *    "target": 50, "kind": "level", "direction": "at_least", "solve": "revenue_buoyancy",
 *    "note": "..."}
 * `kind` is "level" (the value in `year`, in the variable's unit) or "growth" (the growth
 * over the previous year, a fraction: "8%" or 0.08). `direction` is "at_least" or "at_most".
 * A string element of "goals" names a goal file (relative to the scenario file naming it):
 *   {"title": "...", "note": "...", "goals": [ goal, ... ]}
 *
 * Units: values, targets and shortfalls are in the goal variable's unit (亿元, 万人, count),
 * or fractions for growth goals and ratio variables; instrument values in the instrument's
 * unit (fractions for rates). */
#ifndef GOALS_H
#define GOALS_H

#include <stddef.h>

#include "diag.h"
#include "run.h"

#define GOALS_MAX 256               /* goals in one scenario, goal files included */
#define GOALS_MAX_ID 64             /* longest goal id, in bytes */
#define GOALS_MET_RTOL 1e-9         /* a value within this fraction of the target counts as met */

/* The rule every module uses for "met": value >= target (value <= target when at_most),
 * within GOALS_MET_RTOL of the target, so a goal met exactly never reads "NOT met" through
 * rounding. A value that is not finite is never met. Units are the goal's. */
int goals_met_rule(int at_most, double target, double value);
#define GOALS_SCAN_INTERVALS 64     /* grid intervals of [min, max] scanned for a sign change */
#define GOALS_ROOT_RTOL 1e-12       /* Brent: relative width of the final bracket */
#define GOALS_ROOT_ABS_FLOOR 1e-15  /* Brent (root and minimum): absolute width, times the range
                                       searched, so that a root at 0 still ends */
#define GOALS_MIN_RTOL 1e-10        /* Brent minimisation of the best attainable value: relative width */
#define GOALS_JUMP_RTOL 1e-6        /* a bracketed "root" whose |value - target| exceeds this times
                                       max(|target|, 1) straddles a jump (an if()), not a root */
#define GOALS_SATISFIES_RTOL 1e-9   /* the scenario's instrument within this of the root, relative
                                       to max(|root|, GOALS_SATISFIES_FLOOR), is on the meeting side */
#define GOALS_SATISFIES_FLOOR 1e-3
#define GOALS_NO_EFFECT_RTOL 1e-12  /* a value that moves less than this (relative to max(|value|, 1))
                                       over the instrument's whole range: the instrument has no effect */
#define GOALS_JOINT_TOL 1e-9        /* joint solve: largest |value - target| / |target| accepted */
#define GOALS_JOINT_RESIDUAL_TOL 1e-13 /* joint solve: the solver stops when every scaled residual
                                       (value - target) / |target| is within this */
#define GOALS_MAX_ITERATIONS 200    /* Brent and multiroot iterations */
#define GOALS_INPUT_FACTOR 1.01     /* assumed inputs: each initial value is moved by 1% ... */
#define GOALS_INPUT_FROM_ZERO 0.01  /* ... (or set to 0.01 when it is 0) ... */
#define GOALS_INPUT_RTOL 1e-9       /* ... and moves the goal when its value changes by more than
                                       this, relative to max(|value|, 1) */

typedef enum goals_kind {
    GOALS_LEVEL = 0, /* the value in the goal year */
    GOALS_GROWTH     /* value / previous year's value - 1 (a fraction) */
} goals_kind;

typedef enum goals_direction {
    GOALS_AT_LEAST = 0, /* met when value >= target */
    GOALS_AT_MOST       /* met when value <= target */
} goals_direction;

/* The words of the file format, indexed by goals_kind / goals_direction, NULL-terminated:
 * "level", "growth"; "at_least", "at_most". */
extern const char *const goals_kind_names[];
extern const char *const goals_direction_names[];

/* One goal as written. */
typedef struct goals_goal {
    char *id;             /* [A-Za-z0-9._-], unique in the scenario */
    char *label;          /* display text (defaults to id) */
    char *variable;       /* a model variable or exogenous series */
    int slot;             /* its model slot */
    int year;             /* in [start, end] of the scenario */
    double target;        /* variable's unit; a fraction for growth goals */
    goals_kind kind;
    goals_direction direction;
    char *solve;          /* the instrument (parameter or exogenous series), or NULL */
    int solve_slot;       /* its model slot, or -1 */
    int solve_from;       /* first year an exogenous instrument is set (solve --from); 0: start */
    char *note;           /* or NULL */
    char *note_en;        /* its English form ("note_en"), or NULL: see goals_goal_note */
    char *set_title;      /* the title of the goal file it came from, or NULL */
    char *set_title_en;   /* that title's English form ("title_en"), or NULL */
    char *file;           /* the file that defines it (scenario or goal file) */
    char json_path[JSONFILE_PATH_MAX]; /* e.g. $.goals[1] */
} goals_goal;

typedef enum goals_seek_status {
    GOALS_SEEK_NONE = 0,    /* the goal has no `solve` (or it was not sought) */
    GOALS_SEEK_FOUND,       /* `required` meets the target exactly */
    GOALS_SEEK_UNREACHABLE, /* no value in [min, max] reaches the target: see best_* */
    GOALS_SEEK_NO_EFFECT,   /* the instrument does not move the goal's value at all */
    GOALS_SEEK_FAILED       /* a numerical failure (non-finite values, a jump, no convergence) */
} goals_seek_status;

/* Which side of `required` meets the goal: the goal's direction together with the sign of the
 * goal variable's response to the instrument (a value that must be at least its target and
 * rises with the instrument needs the instrument at least `required`). */
typedef enum goals_bound {
    GOALS_BOUND_EXACT = 0, /* only the value itself is known to meet it (a joint solve) */
    GOALS_BOUND_AT_LEAST,  /* the instrument at `required` or above meets the goal */
    GOALS_BOUND_AT_MOST    /* the instrument at `required` or below meets the goal */
} goals_bound;

/* The answer to "what value of the instrument meets the target?". */
typedef struct goals_seek_result {
    goals_seek_status status;
    double required;        /* the instrument's value that meets the target exactly (its unit);
                               NaN unless FOUND */
    goals_bound bound;      /* FOUND: the side of `required` that meets the goal */
    int scenario_satisfies; /* FOUND: 1 when the scenario's own value (current) is on that side */
    double best_instrument; /* UNREACHABLE/NO_EFFECT: the instrument value that comes closest */
    double best_value;      /* ... and the goal's value there; NaN otherwise */
    double current;         /* the instrument's value in the scenario (start year) */
    double min, max;        /* the range searched (the model's bounds) */
    int from_year, to_year; /* years the instrument is set (a parameter: every year) */
    int evaluations;        /* model runs spent */
    char message[768];      /* what happened, in words, for every status but NONE */
} goals_seek_result;

/* An initial (assumed, not observed) value that a goal's value rests on. */
typedef struct goals_assumed_input {
    int slot;
    int year;
    double value; /* in the slot's unit */
    char *note;   /* the scenario's note on it in the chosen language (scenario_source_note), or
                     NULL */
} goals_assumed_input;

/* The status of one goal on the scenario's path. */
typedef struct goals_result {
    double value;            /* in the goal year: variable's unit, or a fraction (growth) */
    int met;                 /* 1 when met (within GOALS_MET_RTOL of the target) */
    double shortfall;        /* how far from the target (>= 0; 0 when met), variable's unit */
    double shortfall_percent;/* shortfall / |target| * 100; NaN when the target is 0 */
    int first_year_met;      /* first year in [start, end] in which it holds, or 0 */
    goals_seek_result seek;
    goals_assumed_input *assumed; /* initial values the goal's value depends on */
    size_t assumed_count;
    double probability;      /* share of ensemble paths meeting it; NaN when no ensemble ran */
} goals_result;

typedef struct goals_set {
    goals_goal *goals;
    goals_result *results; /* results[i] belongs to goals[i]; zeroed until goals_evaluate */
    size_t count;
} goals_set;


/* Frees the set; NULL is a no-op. */
void goals_free(goals_set *g);

/* The index of goal `id`, or -1. */
int goals_find(const goals_set *g, const char *id);

/* Fills value, met, shortfall, first year met and the assumed inputs of every goal from the
 * path in r->values (run_simulate first). The assumed inputs are the cells of origin
 * "initial" that the goal's value depends on through equations and lags, and that move it
 * (a 1% change in the input, GOALS_INPUT_FACTOR, changes the value by more than
 * GOALS_INPUT_RTOL relative). Returns DIAG_OK,
 * or DIAG_SOFTWARE when memory runs out. */
int goals_evaluate(goals_set *g, const run *r, diag *d);

/* Seeks the instrument value of goal `index` that meets its target exactly: an exogenous
 * instrument is held constant from start to the goal year (later years keep the scenario's
 * values; observed years keep their observation), a parameter is set for every year. Scans
 * [min, max] on GOALS_SCAN_INTERVALS intervals for a sign change of value - target (choosing
 * the change nearest the scenario's value when there are several), then refines it with
 * gsl_root_fsolver_brent to GOALS_ROOT_RTOL. With no sign change, reports UNREACHABLE with the
 * best attainable value (refined with Brent minimisation when it lies inside the range) or
 * NO_EFFECT. The answer goes to *out (status FAILED with a message for numerical trouble).
 * Returns DIAG_OK, or DIAG_SOFTWARE when memory runs out. Never loops: at most
 * GOALS_SCAN_INTERVALS + 1 + 2 * GOALS_MAX_ITERATIONS model runs. */
int goals_seek(const goals_set *g, size_t index, const run *r, goals_seek_result *out, diag *d);

/* goals_seek for every goal that has `solve`, into results[i].seek. Adds a warning to d for
 * every goal whose target cannot be reached. */
int goals_seek_all(goals_set *g, const run *r, diag *d);

/* A joint goal seek: n goals, n distinct instruments. */
typedef struct goals_joint {
    size_t count;
    size_t *goals;      /* indices into the set */
    double *instrument; /* the solution (or the last iterate), within [min, max] */
    double *value;      /* each goal's value there */
    double *residual;   /* value - target, in the goal's unit */
    int converged;      /* 1 when every |residual| <= GOALS_JOINT_TOL * |target| */
    size_t iterations;
    int evaluations;
    char message[768];  /* why it did not converge, or "" */
} goals_joint;

/* Solves goals goal_index[0..count) together, goal i by its own instrument (held as in
 * goals_seek), with gsl_multiroot_fsolver_hybrids on the scaled residuals (value - target) /
 * |target|; instruments are clamped to the model's [min, max]. Starts from each goal's own
 * goals_seek answer when results[i].seek found one, else from the scenario's values.
 * Returns DIAG_USAGE when a goal has no `solve` or two goals share an instrument (message
 * names them), DIAG_SOFTWARE when memory runs out, else DIAG_OK with *out set (free with
 * goals_joint_free); non-convergence is an answer: converged 0, the residuals and a message. */
int goals_solve_joint(const goals_set *g, const size_t *goal_index, size_t count, const run *r, goals_joint **out,
                      diag *d);

/* Frees a joint result; NULL is a no-op. */
void goals_joint_free(goals_joint *joint);

/* Records a joint answer in the goals' seek results (FOUND when converged, else FAILED with
 * the joint message), so the writers below report it. */
void goals_apply_joint(goals_set *g, const goals_joint *joint, const run *r);

/* Runs the model with the instruments of goals goal_index[0..count) set to instrument[i]
 * (held as in goals_seek) and returns the whole path in *values (slot * years + t, like
 * run->values; caller frees with mem_free). DIAG_SOFTWARE when memory runs out or a computed
 * value is not finite. */
int goals_path(const goals_set *g, const size_t *goal_index, const double *instrument, size_t count, const run *r,
               double **values, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Numbers with their units, for messages and tables                                         */

/* The unit of a goal's value: the variable's, or "ratio" for a growth goal. */
const char *goals_value_unit(const goals_goal *goal, const model *m);

/* A value in its unit for display (units_format_value, then the unit unless it is a rate,
 * count, index or none): "50.00亿元", "8.00%", "1604", "1.5396". */
void goals_format_value(char *buf, size_t size, double value, const char *unit);

/* A difference in its unit: percentage points for rates ("1.20 pp"), else goals_format_value. */
void goals_format_difference(char *buf, size_t size, double value, const char *unit);

/* The years a goal's instrument is held, in words: "2023-2025", "2023", "every year" (that
 * one translated, i18n.h). */
void goals_format_years(char *buf, size_t size, const goals_goal *goal, const run *r);

/* The years a goal's instrument is set by a seek: an exogenous series from start to the goal
 * year; a parameter in every year (storage's first year to end). */
void goals_instrument_years(const goals_goal *goal, const run *r, int *from, int *to);

/* A goal's note and the title of its goal file in the chosen language (i18n_pick): the
 * English form in English output when the file gives one, else the text as written; NULL when
 * there is neither. Point into the goal. */
const char *goals_goal_note(const goals_goal *goal);
const char *goals_goal_set_title(const goals_goal *goal);

#endif
