/* compare_table.h: several scenarios side by side (`run A B C`): one row per goal of any of
 * them (in the order first met), one column per scenario with the goal variable's value in the
 * goal year, whether that value meets the goal, and the goal's probability when that scenario
 * ran an ensemble. The same table goes to standard output, to report.html and to
 * workbook.xlsx, so all three agree by construction. */
#ifndef COMPARE_TABLE_H
#define COMPARE_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "goals.h"
#include "run.h"

/* One scenario's cell of a row. */
typedef struct compare_table_cell {
    double value;       /* the goal's value in this scenario: the variable's unit in the goal
                           year, or a fraction for a growth goal; NaN when the scenario lacks the
                           variable or the year */
    int met;            /* 1 met, 0 not met (goals_met_rule); -1 when value is NaN */
    double probability; /* the share of this scenario's ensemble paths meeting it (a fraction),
                           NaN when it ran none or does not have this goal itself */
} compare_table_cell;

/* One goal. Strings point into the goal set it came from (keep the sets alive). */
typedef struct compare_table_row {
    const goals_goal *goal; /* its definition in the first scenario that has it */
    const char *unit;       /* goals_value_unit of that scenario's model */
    compare_table_cell *cells; /* [scenario] */
} compare_table_row;

typedef struct compare_table {
    size_t scenario_count;
    const run *const *runs; /* not owned */
    compare_table_row *rows;
    size_t row_count;
} compare_table;

/* Builds the table of runs[0..count) (simulated) and their evaluated goal sets goals[i] (NULL:
 * none). A goal is matched across scenarios by its id; a scenario without it gets the value of
 * the goal's variable and year on its own path, judged by the same rule. Returns NULL with
 * DIAG_SOFTWARE in d when memory runs out. Free with compare_table_free. */
compare_table *compare_table_build(const run *const *runs, const goals_set *const *goals, size_t count, diag *d);

/* Frees the table; NULL is a no-op. */
void compare_table_free(compare_table *t);

/* "met" or "not met" in the chosen language (i18n.h), or "-" for no value: the status word of a
 * cell; never to be freed. */
const char *compare_table_status(const compare_table_cell *cell);

/* Prints the table to out, aligned by display width: a heading row of the scenarios' names, then
 * per goal its label, year and target, and per scenario the value and met / NOT met (and the
 * probability in percent when known). Text from files is escaped for the terminal. */
void compare_table_print(FILE *out, const compare_table *t);

#endif
