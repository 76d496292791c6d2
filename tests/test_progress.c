/* test_progress.c: the progress bar: drawn only for a run expected to take over a second, at
 * most ten times a second, with the right figures, and cleared when the run ends; never on a
 * stream that is not a terminal. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

/* Everything written to f so far, in a static buffer. */
static const char *written(FILE *f)
{
    static char text[4096];
    fflush(f);
    long size = ftell(f);
    cr_assert(size >= 0 && (size_t)size < sizeof text);
    rewind(f);
    size_t got = fread(text, 1, (size_t)size, f);
    text[got] = '\0';
    return text;
}

static engine_progress_event event(size_t done, size_t total, double elapsed, int finished)
{
    engine_progress_event e = {.done = done, .total = total, .what = "paths", .elapsed = elapsed,
                               .finished = finished};
    return e;
}

Test(progress, not_drawn_off_a_terminal_or_when_quiet)
{
    progress_bar bar;
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_null(progress_bar_init(&bar, f, 0), "a file is not a terminal");
    cr_assert_null(progress_bar_init(&bar, f, 1));
    cr_assert_null(progress_bar_init(&bar, NULL, 0));
    fclose(f);
}

Test(progress, drawn_for_long_runs_and_cleared_at_the_end)
{
    progress_bar bar;
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    progress_bar_init(&bar, f, 0);
    bar.out = f; /* drawn on a file as if it were the terminal */
    engine_progress_event e;
    /* 0.2 s in: too early to tell */
    e = event(100, 10000, 0.2, 0);
    progress_bar_report(&bar, &e);
    cr_assert_str_eq(written(f), "");
    /* 0.3 s for 9000 of 10000: expected 0.33 s in all, under a second: no bar */
    e = event(9000, 10000, 0.3, 0);
    progress_bar_report(&bar, &e);
    cr_assert_str_eq(written(f), "");
    /* 0.5 s for 1000 of 10000: 5 s expected, 4.5 s left (shown rounded up: 5); 3 of 30 marks */
    e = event(1000, 10000, 0.5, 0);
    progress_bar_report(&bar, &e);
    cr_assert_str_eq(written(f), "\r[###...........................]  10%  1000 of 10000 paths, 5 s left ");
    /* 0.05 s later: not redrawn */
    e = event(1200, 10000, 0.55, 0);
    progress_bar_report(&bar, &e);
    cr_assert_str_eq(written(f), "\r[###...........................]  10%  1000 of 10000 paths, 5 s left ");
    /* the end: the line is cleared */
    e = event(10000, 10000, 4.0, 1);
    progress_bar_report(&bar, &e);
    cr_assert_str_eq(written(f), "\r[###...........................]  10%  1000 of 10000 paths, 5 s left \r\033[K");
    /* the next run starts afresh: its first 0.25 s draw nothing */
    e = event(10, 10000, 0.1, 0);
    progress_bar_report(&bar, &e);
    e = event(10, 10000, 0.1, 1);
    progress_bar_report(&bar, &e);
    cr_assert_str_eq(written(f), "\r[###...........................]  10%  1000 of 10000 paths, 5 s left \r\033[K",
                     "a run whose bar was never shown leaves nothing");
    fclose(f);
}
