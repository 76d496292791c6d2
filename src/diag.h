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
    DIAG_IO = 74           /* I/O error while reading or writing */
};

/* A diagnostic sink. The first error wins: it sets `status` and `message`; later errors are
 * ignored so the report names the root cause. Warnings accumulate in order. */
typedef struct diag {
    int status;          /* DIAG_OK until an error is reported */
    char message[1024];  /* the first error, complete ("file:line:col: error: ...") */
    char **warnings;     /* owned copies, `warning_count` of them */
    size_t warning_count;
} diag;

/* Sets *d to the empty state (no error, no warnings). */
void diag_init(diag *d);
/* Frees the warnings; *d is left empty and reusable. */
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
/* Reports out of memory (DIAG_SOFTWARE) with what was being done. */
int diag_oom(diag *d, const char *what);

/* Adds a warning (formatted as given, without a "warning:" prefix). Silently dropped when
 * memory runs out: a warning must never turn into a failure. */
void diag_warning(diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the error (if any) to `stream`; warnings are printed with "warning: " prefixes first.
 * Control characters and escape sequences in the messages (which quote text from files) are
 * shown escaped, as text.h's text_print does; line breaks are kept. */
void diag_print(const diag *d, const char *program, void *stream);

#endif
