/* peers_write.h: the peer comparison (peers.h) for people and files: the tables on stdout,
 * peers.csv (DESIGN §7), the peers charts, and the "peers" part of summary.json. Values are
 * in the variable's unit (亿元 for money, nominal); growth rates are fractions a year, shown
 * in percent. */
#ifndef PEERS_WRITE_H
#define PEERS_WRITE_H

#include <stdio.h>

#include "charts.h"
#include "diag.h"
#include "peers.h"
#include "run.h"

/* Why a line has no values, in words: "growth rates only, no level", "no data yet" (a place
 * with observations of other variables) or "no data". */
const char *peers_status_words(const peers_comparison *c, const peers_line *line);

/* The index of `year` in the arrays of v's lines (year - v->storage_first). */
size_t peers_window_index(const peers_variable *v, int year);

/* Prints the comparison: per variable a table of values by year (places as rows, Chinese
 * names aligned by display width, origin flags), the rank of home each year, and a table of
 * the gap, ratio and rank at the last year, the order flips, the catch-up year, the growth
 * home needs to draw level by catch_up_by and the peer's growth rule; then the fits and
 * the places with no data yet. */
void peers_print_table(FILE *out, const peers_comparison *c);

/* Writes peers.csv: scenario,place,variable,year,value,origin,rank,gap,ratio, one row per
 * place with data, variable and comparison year (home first). A year without a value has an
 * empty value and origin "missing"; gap (home - place) and ratio (home / place) are empty in
 * home's rows and where either value is missing. */
void peers_write_csv(FILE *f, const peers_comparison *c);

/* Hands one peers chart per variable of the comparison to w (charts/peers-NAME.gp,
 * plots/peers.gp): home and every peer with data over the comparison years, data solid and
 * projections dashed, the years the order flips marked (at most 12), sources in the footnote.
 * A variable no place has data of is a warning and no chart. Returns as charts_writer_add. */
int peers_write_charts(charts_writer *w, const run *r, const peers_comparison *c, diag *d);

#endif
