/* progress.h: the progress bar of a long run (an ensemble, a sweep) on a terminal.
 *
 * The engine reports how far a run is (engine_progress); this module turns the reports into
 * one line on standard error, redrawn in place: "[####......]  40%  4096 of 10240 paths, 3 s
 * left". It draws only on a terminal, only for a run expected to take over about a second
 * (after a quarter of a second has gone), at most ten times a second, and clears its line when
 * the run ends, so nothing of it is left in the output. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdio.h>

#include "engine.h"

typedef struct progress_bar {
    engine_progress hook; /* what engine_job.progress points to */
    FILE *out;            /* where the bar is drawn */
    int shown;            /* the bar of the current run is on screen */
    double last_drawn;    /* elapsed seconds of the run when it was last drawn */
} progress_bar;

/* Sets up a bar drawn on `out`. Returns what to give engine_job.progress (it points into bar,
 * which must outlive the runs that use it; one bar serves any number of runs, one after the
 * other), or NULL when nothing is to be drawn: quiet is set, or out is not a terminal. */
const engine_progress *progress_bar_init(progress_bar *bar, FILE *out, int quiet);

/* Draws the report of an engine run: the engine_progress_fn of the bar (context: the bar). */
void progress_bar_report(void *bar, const engine_progress_event *event);

#endif
