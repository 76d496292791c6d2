/* goals_write.h: the goals of a scenario (goals.h) for people and files: goals.csv (DESIGN
 * §7), the goals table and the answers of goal seek on stdout, the goals chart, and the
 * "goals" part of summary.json. Values, targets and shortfalls are in the goal variable's unit
 * (fractions for growth goals and rates, shown in percent); instrument values in the
 * instrument's unit. */
#ifndef GOALS_WRITE_H
#define GOALS_WRITE_H

#include <stdio.h>

#include "charts.h"
#include "diag.h"
#include "goals.h"
#include "run.h"

/* The k-th goal written: only[k], or k when every goal is (only NULL). */
size_t goals_selected(const size_t *only, size_t k);

/* Writes goals.csv (DESIGN §7): scenario,goal,variable,year,target,value,met,first_year_met,
 * solve,required, plus probability when any goal has one. `met` is true/false;
 * first_year_met and required are empty when not met in the horizon / not found. Only the
 * goals only[0..only_count) when only is not NULL, else all. */
void goals_write_csv(FILE *f, const goals_set *g, const run *r, const size_t *only, size_t only_count);

/* Prints the goals table: id, label, year, target with unit, value, met or NOT met,
 * shortfall, first year met ("not by END"), required instrument value in its unit; goals
 * resting on assumed inputs are marked and footnoted. Aligned by display width. */
void goals_print_table(FILE *out, const goals_set *g, const run *r);

/* Prints the path start-1..end of the goal variables and instruments of goals
 * goal_index[0..count), read from `values` (as returned by goals_path). */
void goals_print_path(FILE *out, const goals_set *g, const size_t *goal_index, size_t count, const run *r,
                      const double *values);

/* Prints one line per goal goal_index[0..count): id, label, target and year, and the answer
 * of its seek: "instrument = value (years)" in the instrument's unit, or why there is none. */
void goals_print_solution(FILE *out, const goals_set *g, const size_t *goal_index, size_t count, const run *r);

/* Hands the goals chart to w (charts/goals.gp, plots/goals.gp): each goal's value in its
 * year as a percent of its target (100% = exactly met), met and unmet apart, labelled with
 * value / target and the year; taller with more goals (at most CHARTS_MAX_SIZE). g must have
 * at least one goal. Returns as charts_writer_add. */
int goals_write_chart(charts_writer *w, const run *r, const goals_set *g, diag *d);

#endif
