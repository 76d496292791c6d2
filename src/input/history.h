/* history.h: the observations CSV: levels and growth rates of places' indicators, with sources.
 *
 * Header (DESIGN §6): place,indicator,year,value,unit,kind,source,reliability. Columns are
 * found by name, so their order may change and extra columns are allowed; the first six are
 * required, source and reliability are optional (empty when absent). An optional column
 * series_break marks a level that starts a new statistical basis (an economic census
 * revision, a change of scope): its text says why, and levels on the two sides of it are
 * never read as one series (no growth is computed across it). An optional column source_en
 * gives the source's English form, which English output shows (history_row_source); source
 * is written in the planner's language (Chinese in the shipped file). Header names match
 * without regard to ASCII case. RFC 4180 quoting, UTF-8 (a leading byte-order mark is
 * skipped), CRLF or LF line ends, blank lines skipped. Spaces and tabs around every field are
 * trimmed. A value is a decimal number read in the C locale; a trailing % divides it by 100
 * ("8.8%" is 0.088). */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>

#include "diag.h"

/* Caps that keep a hostile file from taking the machine. */
#define HISTORY_MAX_ROWS 1000000
#define HISTORY_MAX_FIELD 4096
#define HISTORY_MIN_YEAR 1900
#define HISTORY_MAX_YEAR 2200
#define HISTORY_MAX_BYTES (256L * 1024 * 1024) /* the whole file */

typedef enum history_kind {
    HISTORY_LEVEL,  /* the value in that year, in `unit` */
    HISTORY_GROWTH  /* growth over the previous year, a fraction (0.088 = +8.8%) */
} history_kind;

typedef struct history_row {
    char *place;       /* e.g. "林州市" */
    char *indicator;   /* a model name, or NAME_growth */
    int year;
    double value;      /* finite */
    char *unit;        /* "亿元", "ratio", "count", ... (may be empty) */
    history_kind kind;
    char *source;      /* where the figure comes from (may be empty) */
    char *source_en;   /* its English form, column "source_en" (may be empty): history_row_source */
    char *reliability; /* grade A/B/C (may be empty) */
    char *series_break;/* non-empty on a level that starts a new basis: why (see above) */
    int line;          /* 1-based line in the file, for messages */
    int value_col;     /* 1-based column (characters) of the value field, for messages */
    int value_percent; /* 1 when the value was written with a % sign */
} history_row;

typedef struct history {
    char *path;        /* as given to history_load */
    history_row *rows; /* in file order */
    size_t count;
} history;

/* Loads an observations file. Returns NULL with an error in d: DIAG_NO_INPUT when the file is
 * missing or unreadable (DIAG_IO for a read error midway), DIAG_DATA with file:line:col for a
 * missing required column, a bad number, a year out of [HISTORY_MIN_YEAR, HISTORY_MAX_YEAR],
 * a kind other than level/growth, an unterminated quote, invalid UTF-8 or a NUL byte, a wrong
 * field count, a field longer than HISTORY_MAX_FIELD bytes, more than HISTORY_MAX_ROWS rows, or
 * two rows for the same place, indicator, year and kind. An empty file or a header with no
 * rows is an error too. Out of memory: NULL with DIAG_SOFTWARE. The column is counted in
 * characters from the start of the bad field (of the opening quote when it is quoted). */
history *history_load(const char *path, diag *d);

/* Frees everything; NULL is a no-op. Only for objects returned by history_load: the strings of
 * all rows live in one block owned by the history, so rows must not be freed one by one. */
void history_free(history *h);

/* 1 when some row has this place. */
int history_has_place(const history *h, const char *place);

/* The distinct places in file order; returns how many were written to out (at most max). */
size_t history_places(const history *h, const char **out, size_t max);

/* Keeps the rows of years up to `year` (as of that year: `--as-of`, the scenario's "as_of"),
 * in file order, and drops the others in place. Returns how many were dropped. */
size_t history_keep_until(history *h, int year);

/* A copy of h restricted to the rows of years up to `year`, sharing h's strings: it must not
 * outlive h. Free it with history_free. NULL when out of memory. */
history *history_view_until(const history *h, int year);

/* The row for (place, indicator, year, kind), or NULL. A linear scan (files hold hundreds of
 * rows); the loader guarantees at most one row per key. */
const history_row *history_find(const history *h, const char *place, const char *indicator, int year,
                                history_kind kind);

/* Where the row's figure comes from, in the chosen language (i18n_pick): the "source_en"
 * column in English output when it is not empty, else "source" as written (may be empty).
 * Points into the history. */
const char *history_row_source(const history_row *row);

#endif
