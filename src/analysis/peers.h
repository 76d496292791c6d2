/* peers.h: the home place of a scenario (its history place, e.g. 林州市) against its peer
 * counties, year by year: who is ahead, by how much, when the order changes, and what growth
 * it would take to draw level (DESIGN §3 "peers", §7 peers.csv).
 *
 * Four layers, each usable on its own:
 *   1. series from sparse observations (peers_series.h);
 *   2. trend fits (peers_fit.h);
 *   3. the numerics of a comparison: ranks with ties, the years the order flips with their
 *      fractional crossing point, the constant growth that draws level by a year (here);
 *   4. the comparison that a scenario's "peers" block asks for (here), read by peers_load.c,
 *      printed, written as peers.csv and the "peers" part of summary.json, and drawn by
 *      peers_write.h.
 *
 * Units: values are in the variable's unit (亿元 for money, nominal); growth rates are
 * fractions a year (0.08 = 8%); years are calendar years. */
#ifndef PEERS_H
#define PEERS_H

#include <stddef.h>

#include "diag.h"
#include "history.h"
#include "peers_fit.h"
#include "peers_series.h"
#include "run.h"
#include "scenario.h"
#include "sim.h"

#define PEERS_MAX_PLACES 64    /* peers named in one block */
#define PEERS_MAX_VARIABLES 16 /* variables compared in one block */

/* Two values are tied for a rank when they differ by at most this, relatively. */
#define PEERS_TIE_RELATIVE 1e-12

/* ---------------------------------------------------------------------------------------- */
/* 3. Ranks, crossings, catch-up growth                                                       */

/* Ranks `count` values, largest first: ranks[i] = 1 + the number of values greater than
 * values[i] (ties, within PEERS_TIE_RELATIVE, share the best rank: 1, 1, 3). A NaN value
 * gets rank 0 and is not counted. */
void peers_rank(const double *values, size_t count, int *ranks);

/* The fractional year at which home and peer are level between year0 and year1, from
 * log-linear interpolation of both: t* = year0 + (year1-year0)·ln(h0/p0) / (ln(h0/p0) -
 * ln(h1/p1)). When a value is <= 0 the gap h - p is interpolated linearly instead. NaN when
 * the order does not change between the two years. */
double peers_crossing_point(int year0, double home0, double peer0, int year1, double home1, double peer1);

typedef struct peers_crossing {
    int year;          /* the first year of the new order */
    int previous_year; /* the last year of the old order (both had values) */
    double point;      /* the fractional crossing year, previous_year < point <= year */
    int direction;     /* +1: home moves ahead of the peer; -1: home falls behind */
} peers_crossing;

/* Finds the years in which the order of home and peer flips: a year whose sign of
 * (home - peer) differs from that of the last earlier year in which both had values and
 * were not exactly level (a year where they are exactly level is the crossing point itself).
 * Arrays cover years first_year..first_year+years-1; NaN means no value. Writes at most
 * `max` crossings to out and returns how many there are. */
size_t peers_find_crossings(int first_year, const double *home, const double *peer, size_t years,
                            peers_crossing *out, size_t max);

/* The constant annual growth r that takes base_value in base_year to `target` in `year`:
 * r = (target/base_value)^(1/(year-base_year)) - 1 (fraction a year). NaN when year <=
 * base_year or a value is not > 0. */
double peers_catch_up_growth(int base_year, double base_value, int year, double target);

/* ---------------------------------------------------------------------------------------- */
/* 4. The comparison a scenario asks for                                                     */

typedef enum peers_rule_kind {
    PEERS_RULE_TREND = 0, /* the fitted trend (least squares or CAGR) */
    PEERS_RULE_LAST,      /* the latest observed growth rate; else the CAGR of the last two levels */
    PEERS_RULE_SERIES     /* a number or a year map, as in assumptions */
} peers_rule_kind;

/* How a peer grows past its data ("growth" of the block, or its entry in "by_place"). */
typedef struct peers_rule {
    peers_rule_kind kind;
    int has_constant;           /* SERIES: the rate for years the spans do not cover */
    double constant;
    scenario_span *spans;       /* SERIES: year spans, later ones win */
    size_t span_count;
    int given;                  /* 1 when the block wrote it (by_place: else the default rule) */
    const char *file;           /* the scenario file that wrote it, for messages */
    char json_path[JSONFILE_PATH_MAX];
} peers_rule;

typedef enum peers_status {
    PEERS_STATUS_DATA = 0,     /* has at least one level of the variable */
    PEERS_STATUS_GROWTH_ONLY,  /* growth rates but no level: no value can be built */
    PEERS_STATUS_NO_DATA       /* no rows for the variable */
} peers_status;

/* Where home stands against one peer from the base year (home's last value before start)
 * through the scenario years start..end: the first change of order, if any. */
typedef enum peers_standing {
    PEERS_STANDING_UNKNOWN = 0,  /* no value of home or of the peer in the base year */
    PEERS_STANDING_AHEAD,        /* ahead in the base year and not behind in any year to end */
    PEERS_STANDING_CATCHES_UP,   /* not ahead in the base year, ahead in some year (catch_up_year the first) */
    PEERS_STANDING_FALLS_BEHIND, /* ahead in the base year, behind in some year (fall_behind_year the first) */
    PEERS_STANDING_BEHIND        /* not ahead in the base year nor in any year to end */
} peers_standing;

/* One place and one variable over the storage years of its variable. */
typedef struct peers_line {
    const char *place;       /* owned by the comparison */
    const char *name_en;     /* from places.json, or "" */
    int is_home;
    peers_status status;
    peers_series series;     /* values and origins; home: history before start, then the run */
    peers_fit fit;           /* over the observed and derived levels of the history */
    const peers_rule *rule;  /* peers: how it grows past its data; NULL for home */
    double projected_growth; /* the constant rate used (NaN for a year map or no projection) */
    int projected_from;      /* first projected year; 0 when nothing was projected */
    char projection[320];    /* the rule in words ("trend 7.18% a year (...)"), or why none */
    int *rank;               /* [t]: rank among the places with a value (1 = largest), 0 = none */
    double *gap, *ratio;     /* [t]: home - place and home / place; NaN for home or no value */
    peers_crossing *crossings;
    size_t crossing_count;
    /* catch-up (peers only) */
    peers_standing standing;
    int catch_up_year;       /* CATCHES_UP: first year from start in which home is ahead */
    int fall_behind_year;    /* FALLS_BEHIND: first year from start in which home is behind */
    double *required_growth; /* [t]: the constant growth (fraction a year) home needs from the
                                base year to draw level in year t; NaN before start */
} peers_line;

typedef struct peers_variable {
    const char *name;        /* the model variable */
    const char *label, *unit;/* from the model */
    int storage_first;       /* storage years of every line's arrays */
    size_t storage_years;
    int first_year;          /* the comparison years first_year..last_year (scenario end) */
    int last_year;
    int base_year;           /* home's last year with a value before start (catch-up base); 0 if none */
    double base_value;
    peers_line *lines;       /* home first, then every peer of the block in its order (also
                                those with status GROWTH_ONLY or NO_DATA, which have no values) */
    size_t line_count;
} peers_variable;

/* A place known by name (places.json beside the observations file). */
typedef struct peers_place {
    const char *place, *name_en, *province, *role, *note, *source; /* "" when absent */
    const char *note_en, *source_en; /* English forms of note and source, "" when absent: see
                                        peers_place_note */
    int has_observations;    /* 1 when some row of the observations file has this place */
} peers_place;

/* The "peers" block of a scenario, read and checked (peers_load). It owns copies of the place
 * names and fields; variable names and rule files point into the run it was read for. */
typedef struct peers_spec {
    const char *home;        /* the scenario's history place */
    char *places_path;       /* the places file read, or NULL when there is none */
    peers_place *places;     /* the registry: places.json, then places with rows but no entry */
    size_t place_count;
    peers_rule default_rule; /* "growth" */
    peers_rule *rules;       /* [i]: "by_place" for peer i (given == 0: default_rule applies) */
    const char **peer_names; /* the block's "places", in order */
    size_t peer_count;
    const char **variables;  /* the model names compared, in order (a label stands for its name) */
    size_t variable_count;
    int from;                /* "from", or 0 */
    int catch_up_by;         /* "catch_up_by", or end */
    char *note;              /* the block's note in the chosen language ("note_en" in English output), or NULL */
    void *owned;             /* private: the strings */
} peers_spec;

typedef struct peers_comparison {
    const run *run;          /* not owned; must outlive the comparison */
    const peers_spec *spec;  /* not owned; must outlive the comparison */
    const char *home;        /* the fields below are the spec's, for short */
    const char *places_path;
    const peers_place *places;
    size_t place_count;
    const peers_rule *default_rule;
    const peers_rule *rules;
    const char *const *peer_names;
    size_t peer_count;
    int catch_up_by;         /* the year of the table's "growth to draw level" column */
    peers_variable *variables;
    size_t variable_count;
} peers_comparison;


/* Frees a spec; NULL is a no-op. */
void peers_spec_free(peers_spec *spec);

/* The place of the spec's registry named `name`, or NULL. */
const peers_place *peers_spec_place(const peers_spec *spec, const char *name);

/* Builds the comparison that `spec` (peers_load of r) asks for, after run_simulate. Peers
 * named in places.json without any row are reported (a warning, and a "no data yet" line),
 * not errors; so are variables a peer has no level of, projections that fill years before
 * start, growth rates that cannot be chained, and a peer whose rule gives no rate (its values
 * stop at its data). Returns NULL with the error in d (DIAG_DATA when a year map gives no rate
 * for a year it must project, at its JSON path; DIAG_SOFTWARE out of memory). */
peers_comparison *peers_compare(const run *r, const peers_spec *spec, diag *d);

/* Frees the comparison (not the run); NULL is a no-op. */
void peers_comparison_free(peers_comparison *c);

/* A place's note and source (places.json) in the chosen language (i18n_pick): "note_en" and
 * "source_en" in English output when they are not empty, else the text as written; "" when
 * there is neither. Point into the spec. */
const char *peers_place_note(const peers_place *place);
const char *peers_place_source(const peers_place *place);

#endif
