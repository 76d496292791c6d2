/* plot.h: gnuplot without a shell (DESIGN §4 rule 5): a builder for gnuplot scripts in which
 * every string from a file is an escaped literal and every number is written by the program,
 * the chart templates of plots/, and a runner that starts gnuplot by fork and exec.
 *
 * Strings and gnuplot (5.4), the traps this module closes:
 *   - backquotes run a shell command even inside double quotes: user text goes only into
 *     single-quoted literals, where backquotes, backslashes, `%` and `#` are plain text;
 *   - the macro expander replaces @name by a string variable's value before the line is
 *     parsed, and it tracks quotes naively (every ' and every " flips its state, even inside
 *     the other kind): a raw quote in user text can make a later @name expand, pasting a value
 *     (itself user text) into the command line. So ', " and @ never appear as themselves: each
 *     becomes a double-quoted octal escape joined with `.`: it's -> 'it'."\047".'s';
 *   - gnuplot's scanner reads a doubled quote inside a single-quoted string only after another
 *     character ('a''b' works, '''x' and 'a''''b' do not), one more reason not to double;
 *   - a newline ends a command and a backslash before a newline continues it: control
 *     characters (C0, DEL) are dropped, and a literal always ends with its closing quote;
 *   - enhanced text would read ^ _ { } @ & as markup: the terminal and every user label are
 *     `noenhanced` (in plots/style.gp and the templates);
 *   - explicit tic labels (set xtics ('a' 1)) are printf formats, and `with labels` re-reads a
 *     text that starts with a double quote: templates take user text only as titles, `set
 *     label` texts and xtic()/ytic() labels;
 *   - a datablock line equal to its end marker would end the block early: rows hold numbers
 *     only, and a row that would equal the marker is refused;
 *   - a comment runs to the end of its line, and a backslash at the end of that line continues
 *     it onto the next (swallowing a command); a newline in it would end it and start a
 *     command: comments are written only by plot_script_comment, which drops control
 *     characters and writes a backslash as '/', so no text can end or extend a comment;
 *   - user text never goes into -e arguments or into file names (output names are slugs the
 *     program builds).
 * User strings are therefore assigned to variables in the script's preamble; templates refer
 * to the variables by name. */
#ifndef PLOT_H
#define PLOT_H

#include <stddef.h>

#include "diag.h"

/* Display columns of a unit on a chart ("单位: ..."), and of a text placed on the plot or in
 * its key (a place, a scenario, a goal); longer ones are cut with "…". */
#define PLOT_UNIT_COLUMNS 24
#define PLOT_LABEL_COLUMNS 60

/* Image formats and the gnuplot terminals that draw them. */
typedef enum plot_format {
    PLOT_PNG = 0, /* pngcairo */
    PLOT_SVG,     /* svg */
    PLOT_PDF      /* pdfcairo */
} plot_format;

/* "png", "svg" or "pdf" (also the file extension). */
const char *plot_format_name(plot_format format);

/* Parses "png", "svg" or "pdf" into *out; returns 1, or 0 for anything else. */
int plot_format_parse(const char *text, plot_format *out);

/* ---------------------------------------------------------------------------------------- */
/* Script builder */

typedef struct plot_script plot_script;

/* The marker that ends every datablock the builder writes. */
#define PLOT_DATABLOCK_END "EOD"

/* A new, empty script; NULL when out of memory. */
plot_script *plot_script_new(void);

/* Frees the script; NULL is a no-op. */
void plot_script_free(plot_script *script);

/* Appends program text (template text, fixed commands) as it is. Never pass text that came
 * from a file the user does not control through the program: use the functions below. Every
 * append function records a failure (out of memory, a bad name, a datablock row equal to the
 * end marker) in the script instead of returning it; plot_script_finish reports it. */
void plot_script_append(plot_script *script, const char *text);

/* printf into the script, for program text and numbers only: never a %s of text that came
 * from a file (use plot_script_string for values, plot_script_comment for comments). */
void plot_script_printf(plot_script *script, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends one comment line "# TEXT\n", TEXT formatted from fmt. Whatever the arguments hold,
 * the comment stays one comment: control characters (bytes below 0x20 and 0x7f: a newline
 * would end the comment and start a command) are dropped and every backslash is written as
 * '/' (a backslash at the end of a line would continue the comment onto the next line and
 * swallow it). Other text, UTF-8 included, is kept. */
void plot_script_comment(plot_script *script, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A gnuplot string expression whose value is exactly `text` without its control characters
 * (bytes below 0x20 and 0x7f, the C1 controls U+0080..U+009F and the bidirectional controls
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069 are dropped: none is text, and the last
 * ones would draw text backwards; other UTF-8 passes unchanged): single-quoted pieces, and
 * ' " @ as the octal escapes "\047" "\042" "\100", joined by `.` ("" -> '', "it's" ->
 * 'it'."\047".'s'). Caller frees with mem_free; NULL when out of memory. NULL text is "". */
char *plot_quote(const char *text);

/* Writes `name = <plot_quote(text)>` on a line of its own. `name` must be an identifier
 * ([A-Za-z_][A-Za-z0-9_]*), chosen by the program. */
void plot_script_string(plot_script *script, const char *name, const char *text);

/* plot_script_string with the text cut to `columns` display columns, "…" marking the cut
 * (text_truncate): for texts whose length would push a chart off its canvas (units, key
 * entries, labels placed on the plot). */
void plot_script_string_cut(plot_script *script, const char *name, const char *text, size_t columns);

/* Writes `name = <line 1> . "\n" . <line 2> ...`: a text of `count` lines (each escaped as by
 * plot_quote, so no line can hold a newline of its own), for titles that wrap. count 0: ''. */
void plot_script_string_lines(plot_script *script, const char *name, const char *const *lines, size_t count);

/* Writes `name = <number>` (shortest round-trip digits; NaN or infinity is written as NaN). */
void plot_script_number(plot_script *script, const char *name, double value);

/* Writes `name_count = count` and, when count > 0 (gnuplot has no empty arrays), the array
 * `array name[count] = [...]` of quoted strings (NULL elements as ''), one element a line. */
void plot_script_string_array(plot_script *script, const char *name, const char *const *texts, size_t count);

/* plot_script_string_array with each text cut to `columns` display columns (0: not cut). */
void plot_script_string_array_cut(plot_script *script, const char *name, const char *const *texts, size_t count,
                                  size_t columns);

/* The same for numbers. */
void plot_script_number_array(plot_script *script, const char *name, const double *values, size_t count);

/* Starts datablock `$name << EOD` (name: an identifier). Rows follow; end it before appending
 * anything else. */
void plot_script_datablock_begin(plot_script *script, const char *name);

/* Appends a row of `count` numbers separated by spaces; a non-finite value is written as NaN
 * (gnuplot's undefined point). */
void plot_script_datablock_row(plot_script *script, const double *values, size_t count);

/* Appends an empty row: gnuplot breaks lines there (one empty row), or starts a new `index`
 * block (two). */
void plot_script_datablock_gap(plot_script *script);

/* Ends the datablock (the end marker). */
void plot_script_datablock_end(plot_script *script);

/* The script text so far and its length in bytes, or NULL when a failure was recorded. */
const char *plot_script_text(const plot_script *script, size_t *length);

/* DIAG_OK, or the recorded failure reported in d (DIAG_SOFTWARE) with `what` naming the
 * chart. */
int plot_script_finish(const plot_script *script, const char *what, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Templates */

/* Finds the folder that holds the chart templates (style.gp and one NAME.gp per chart kind):
 * $ECONSIM_PLOTS when set, else plots/ beside the folder of the running binary (the source
 * tree: build/econsim -> plots/), else ../share/econsim/plots from it (a moved install), else
 * the installed share folder. Never the current folder or a path from a scenario: templates
 * are code, and a scenario from someone else must not choose the code gnuplot runs. Writes
 * the folder to dir and returns DIAG_OK, or DIAG_NO_INPUT with the places looked at in d. */
int plot_templates_find(char *dir, size_t size, diag *d);

/* Reads template `name` (e.g. "style", "trajectory") from folder dir: the text of
 * dir/name.gp, NUL-terminated (caller frees with mem_free). DIAG_NO_INPUT in d when missing. */
char *plot_template_load(const char *dir, const char *name, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Running gnuplot */

/* Seconds a chart may take before gnuplot is killed, unless ECONSIM_GNUPLOT_TIMEOUT says
 * otherwise (charts.h), and seconds all the charts of one command may take. */
#define PLOT_TIMEOUT_SECONDS 20
#define PLOT_BUDGET_SECONDS 600
/* gnuplot processes at once, at most. */
#define PLOT_MAX_PARALLEL 64
/* Bytes of gnuplot's standard error kept for messages (the rest is read and dropped). */
#define PLOT_ERRORS_MAX 2048

/* Looks for an executable `gnuplot` in the folders of $PATH (the default path when unset), as
 * a shell would, without running one. Writes its path to path, made absolute (gnuplot runs in
 * another folder), and returns 1, or returns 0. */
int plot_gnuplot_find(char *path, size_t size);

/* How a chart's gnuplot ended. */
typedef enum plot_outcome {
    PLOT_DRAWN = 0,     /* exit status 0 */
    PLOT_FAILED,        /* a non-zero exit status */
    PLOT_KILLED,        /* ended by a signal it was not sent */
    PLOT_NOT_STARTED,   /* could not be started (exec failed, no such folder) */
    PLOT_TIMED_OUT,     /* took longer than its time limit and was killed */
    PLOT_SKIPPED        /* the overall deadline came first: not started, or killed at it */
} plot_outcome;

/* One chart for plot_run_jobs. The caller fills the first four fields (plain file names of
 * [A-Za-z0-9._-], built by the program, in work_dir); the runner fills the rest. */
typedef struct plot_job {
    const char *work_dir;
    const char *script_name;
    const char *output_name;
    const char *what;                /* names the chart in messages */
    plot_outcome outcome;
    int exit_status;                 /* PLOT_FAILED: the status; PLOT_KILLED: the signal */
    char errors[PLOT_ERRORS_MAX + 1]; /* gnuplot's standard error, trimmed (warnings when drawn) */
} plot_job;

/* The monotonic clock, in seconds (for deadlines). */
double plot_clock(void);

/* Draws every job with gnuplot, up to `parallel` gnuplots at once (1..PLOT_MAX_PARALLEL), and
 * returns when all have ended. With more jobs than gnuplots, one gnuplot draws a run of about
 * count / parallel consecutive jobs of one work_dir, one after another (`gnuplot -d -e
 * "econsim_output='OUTPUT1'" SCRIPT1 -e "reset session" -e "econsim_output='OUTPUT2'" SCRIPT2
 * ...`), so that its start is paid once; a warm gnuplot of plot_warm_start, when one is left
 * for this gnuplot path, takes a run instead of a new one (the same commands on its standard
 * input). A run that fails or writes anything on standard error is drawn again one job per new
 * gnuplot (`gnuplot -d -e "econsim_output='OUTPUT'" SCRIPT`), so that each job's outcome and
 * messages are its own. An ended gnuplot is reaped at once (a pidfd wakes the wait). Each gnuplot runs in its work_dir: fork and
 * execve (no shell; the path from plot_gnuplot_find), standard input and output on /dev/null,
 * standard error read through a pipe (the first PLOT_ERRORS_MAX bytes kept), SOURCE_DATE_EPOCH
 * set (to the caller's value, or 0) so a cairo that honours it stamps PDFs reproducibly, other
 * descriptors closed, and (Linux) killed when econsim ends, however it ends. `-d` skips
 * ~/.gnuplot so the user's settings cannot change the drawing.
 * The script is expected to `set output econsim_output` when that variable exists.
 *
 * A gnuplot still running after timeout_seconds per job it draws is killed (PLOT_TIMED_OUT). When deadline (a
 * plot_clock time; 0: none) passes, jobs not started are not started and running ones are
 * killed (PLOT_SKIPPED). Jobs start in order; their results do not depend on the order in
 * which they finish. Returns DIAG_OK with each job's outcome set, or DIAG_SOFTWARE in d when
 * a job's names are not plain (nothing runs then), or memory or a pipe runs out (the jobs not
 * started say PLOT_NOT_STARTED). */
int plot_run_jobs(const char *gnuplot, plot_job *jobs, size_t count, int parallel, int timeout_seconds,
                  double deadline, diag *d);

/* Reports a job that was not drawn in d (DIAG_SOFTWARE, naming job->what and saying why: the
 * exit status with gnuplot's error text, a signal, the time limit, the deadline, or that
 * gnuplot could not be started). Returns the status. */
int plot_job_error(const plot_job *job, int timeout_seconds, diag *d);

/* One job, run alone (plot_run_jobs): DIAG_OK when gnuplot exited with status 0, its standard
 * error (warnings), if any, copied to `messages` (size bytes, may be NULL); otherwise
 * plot_job_error's report. */
int plot_run_gnuplot(const char *gnuplot, const char *work_dir, const char *script_name, const char *output_name,
                     int timeout_seconds, const char *what, char *messages, size_t size, diag *d);

/* Starts `count` gnuplots (at most PLOT_MAX_PARALLEL) ahead of the charts, so that their start
 * (libraries, fontconfig and, for PNG and PDF, the CJK font: about half of a small chart's
 * time) overlaps the model runs: call it once the charts' format is known, before the work
 * that precedes them. Each waits on its standard input, a socket; plot_run_jobs, given the
 * same gnuplot path, hands each a run of charts instead of starting a gnuplot for it. A warm
 * gnuplot runs in / and reaches a chart's folder only as /proc/PID/fd/N (N: econsim's
 * descriptor of the folder), so its commands hold numbers and plain names only; its outcome
 * and messages are judged as for a new one (a run with any message is drawn again, one chart
 * per new gnuplot). Replaces any earlier warm gnuplots. Returns how many started: 0 without
 * /proc (then charts start gnuplots as before) or when a start fails (the charts then say
 * why). Unused ones end with econsim, or with plot_warm_stop. */
int plot_warm_start(const char *gnuplot, int count, plot_format format);

/* Kills and reaps the warm gnuplots not used. */
void plot_warm_stop(void);

/* Kills every gnuplot that plot_run_jobs is running. Async-signal-safe (kill only): for a
 * SIGINT or SIGTERM handler, so that no gnuplot outlives an interrupted run. */
void plot_kill_running(void);

/* Makes a PDF drawn by cairo reproducible: cairo 1.16 (Debian 12) stamps /CreationDate (and
 * newer ones /ModDate) with the current time and ignores SOURCE_DATE_EPOCH, so this rewrites
 * those dates in place, same length, to SOURCE_DATE_EPOCH (the caller's, or 0:
 * D:19700101000000Z). Returns DIAG_OK (also when the file has no such date), or DIAG_IO. */
int plot_pdf_fix_dates(const char *path, diag *d);

#endif
