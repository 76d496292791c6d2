/* progress.c: the progress bar of a long run on a terminal. */
#include "i18n.h"
#include "progress.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* A bar appears only for a run expected to take this long (seconds), once this much of it has
 * gone, and is redrawn at most this often. */
#define PROGRESS_MIN_EXPECTED 1.0
#define PROGRESS_FIRST_AFTER 0.25
#define PROGRESS_REDRAW_EVERY 0.1
/* Characters of the bar between its brackets. */
#define PROGRESS_WIDTH 30

const engine_progress *progress_bar_init(progress_bar *bar, FILE *out, int quiet)
{
    memset(bar, 0, sizeof *bar);
    bar->hook.report = progress_bar_report;
    bar->hook.context = bar;
    bar->out = out;
    if (quiet || !out || !isatty(fileno(out)))
        return NULL;
    return &bar->hook;
}

void progress_bar_report(void *context, const engine_progress_event *event)
{
    progress_bar *bar = context;
    if (event->finished) {
        if (bar->shown) {
            fputs("\r\033[K", bar->out);
            fflush(bar->out);
        }
        bar->shown = 0; /* the next run starts afresh */
        bar->last_drawn = 0;
        return;
    }
    if (event->done == 0 || event->total == 0)
        return;
    double elapsed = event->elapsed;
    if (elapsed - bar->last_drawn < PROGRESS_REDRAW_EVERY)
        return;
    double expected = elapsed * (double)event->total / (double)event->done;
    if (!bar->shown && (elapsed < PROGRESS_FIRST_AFTER || expected < PROGRESS_MIN_EXPECTED))
        return;
    bar->shown = 1;
    bar->last_drawn = elapsed;
    int filled = (int)((double)PROGRESS_WIDTH * (double)event->done / (double)event->total);
    char line[PROGRESS_WIDTH + 1];
    for (int i = 0; i < PROGRESS_WIDTH; i++)
        line[i] = i < filled ? '#' : '.';
    line[PROGRESS_WIDTH] = '\0';
    double percent = 100.0 * (double)event->done / (double)event->total, left = ceil(expected - elapsed);
    /* event->what names what is counted, in English ("paths", "runs"): the line says it in the
     * chosen language */
    fputc('\r', bar->out);
    if (event->what && !strcmp(event->what, "runs"))
        fprintf(bar->out, _("[%s] %3.0f%%  %zu of %zu runs, %.0f s left "), line, percent, event->done, event->total,
                left);
    else if (!event->what || !strcmp(event->what, "paths"))
        fprintf(bar->out, _("[%s] %3.0f%%  %zu of %zu paths, %.0f s left "), line, percent, event->done,
                event->total, left);
    else
        fprintf(bar->out, _("[%s] %3.0f%%  %zu of %zu %s, %.0f s left "), line, percent, event->done, event->total,
                event->what, left);
    fflush(bar->out);
}
