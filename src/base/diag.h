/* diag.h: error and warning reports, located in files, with sysexits-style exit codes. */
#ifndef DIAG_H
#define DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* Exit codes (DESIGN §4, from sysexits.h). They never change meaning. */
enum {
    DIAG_OK = 0,
    DIAG_USAGE = 64,       /* bad command line */
    DIAG_DATA = 65,        /* bad model, scenario or data content */
    DIAG_NO_INPUT = 66,    /* an input file is missing or unreadable */
    DIAG_UNAVAILABLE = 69, /* gnuplot unavailable when charts were required */
    DIAG_SOFTWARE = 70,    /* internal or numerical failure (incl. out of memory) */
    DIAG_CANT_CREATE = 73, /* cannot create an output file or folder */
    DIAG_IO = 74,          /* I/O error while reading or writing */
    DIAG_INTERRUPTED = 130 /* stopped by Ctrl-C or SIGTERM (128 + SIGINT, as a shell reports it):
                              nothing was written */
};

/* Longest JSON path ("$.assumptions.gdp_real_growth.2023") kept for messages, terminator
 * included; jsonfile.h builds the paths and truncates longer ones with "...". Here, apart
 * from the JSON parser, so that the structs that keep a path (model slots, goals, specs)
 * need nothing of it. */
#define JSONFILE_PATH_MAX 512

/* Errors kept by one diag; later ones are counted and summarised in one line. */
#define DIAG_MAX_ERRORS 50

/* One error as reported. */
typedef struct diag_entry {
    int status;      /* its DIAG_ code */
    char *file;      /* the file it is in, or NULL */
    char *json_path; /* "$.assumptions.gdp_real_growth.2023" for errors in JSON content, or NULL */
    int line, col;   /* 1-based text position, 0 when unknown; for JSON paths set by a locator
                        (jsonfile_locate_diag) and used only to sort */
    size_t order;    /* report order */
    char *text;      /* the whole line as printed: "file: $.path: error: message" */
} diag_entry;

/* A diagnostic sink for a whole load or run. Every error is kept (up to DIAG_MAX_ERRORS, an
 * identical one only once), so a planner sees all the mistakes of a file in one run.
 * `status` is the exit code they call for: out of memory or an internal failure (70) over an
 * I/O, usage or output error, those over a missing or unreadable input (66), and that over
 * bad data (65); among errors of the same rank the first wins. `message` is the text of that
 * error. Warnings accumulate in order, each text once.
 *
 * A diag that holds one error (and no warning) owns no memory: the error lives in the
 * struct itself, so code that reports one error and never calls diag_free leaks nothing;
 * the list is allocated from the second error on. The struct may therefore point into
 * itself: never copy a diag by value (pass a pointer; diag_merge moves one into another). */
typedef struct diag {
    int status;          /* DIAG_OK until an error is reported */
    char message[1024];  /* the error that set `status`, complete ("file:line:col: error: ...") */
    char **warnings;     /* owned copies, `warning_count` of them */
    size_t warning_count;
    diag_entry *errors;  /* `error_count` of them, in report order (read only) */
    size_t error_count;
    size_t errors_dropped; /* errors past DIAG_MAX_ERRORS, not kept */
    /* private: the first error, kept without allocating */
    diag_entry first;
    char first_file[512], first_path[512], first_text[1024];
} diag;

/* Sets *d to the empty state (no error, no warnings). */
void diag_init(diag *d);
/* Frees the errors and warnings; *d is left empty and reusable. */
void diag_free(diag *d);

/* Reports an error with no location ("error: ..."). Returns `status` so callers can write
 * `return diag_error(d, DIAG_DATA, ...)`. */
int diag_error(diag *d, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reports an error at a text position: "file:line:col: error: ...". Line and column are 1-based
 * (column counts characters, not bytes); col <= 0 omits the column, line <= 0 both. */
int diag_error_at(diag *d, int status, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Reports an error in JSON content: "file: $.json.path: error: ...". */
int diag_error_json(diag *d, int status, const char *file, const char *json_path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int diag_verror_json(diag *d, int status, const char *file, const char *json_path, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* Reports an error in file I/O: "file: error: ..." */
int diag_error_file(diag *d, int status, const char *file, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Reports out of memory (DIAG_SOFTWARE) with what was being done: `what` is a translated
 * phrase such as _("reading a file"), shown as "out of memory while reading a file". */
int diag_oom(diag *d, const char *what);

/* The text of an error line past diag's "error: " label (in the chosen language, or in
 * English) at its start: a pointer into `message`, or `message` itself when it has no label. */
const char *diag_skip_label(const char *message);

/* Removes diag's "error: " label (in the chosen language, or in English) from an error line
 * in place, at its start or after its location ("file:line:col: error: ..." becomes
 * "file:line:col: ..."), to pass the error on as a warning. A line without one is left as is. */
void diag_strip_label(char *message);

/* Adds a warning (formatted as given, without a "warning:" prefix). A text already given is
 * not added again. Silently dropped when memory runs out: a warning must never turn into a
 * failure. */
void diag_warning(diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* How many errors were reported (kept and dropped). */
size_t diag_error_total(const diag *d);

/* Frees the warnings of d; its errors and status stay. */
void diag_drop_warnings(diag *d);

/* Moves the errors and warnings of `from` into `to` (as if reported to `to` in their order)
 * and leaves `from` empty. */
void diag_merge(diag *to, diag *from);

/* Prints the warnings ("program: warning: ..."), then the errors sorted by file (in the order
 * files were first reported) and position in it (line and column; errors with no position
 * first, errors with no file last), then how many errors were left out, to `stream` (a FILE *).
 * A diag whose status was set without an entry prints its message. Control characters and
 * escape sequences in the messages (which quote text from files) are shown escaped, as
 * text.h's text_print does; line breaks are kept. */
void diag_print(const diag *d, const char *program, void *stream);

#endif
