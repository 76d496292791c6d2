/* diag.c: error and warning reports.
 *
 * Loaders and analyses never print and never exit: they fill a diag and return a status, and
 * main.c decides what reaches the terminal and which exit code the process returns. The first
 * error is kept because later ones are usually consequences of it. */
#include "diag.h"
#include "mem.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

void diag_init(diag *d)
{
    d->status = DIAG_OK;
    d->message[0] = '\0';
    d->warnings = NULL;
    d->warning_count = 0;
}

void diag_free(diag *d)
{
    for (size_t i = 0; i < d->warning_count; i++)
        mem_free(d->warnings[i]);
    mem_free(d->warnings);
    diag_init(d);
}

static int diag_set(diag *d, int status, const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static int diag_set(diag *d, int status, const char *prefix, const char *fmt, va_list ap)
{
    if (d->status != DIAG_OK)
        return status;
    d->status = status;
    int used = snprintf(d->message, sizeof d->message, "%s", prefix);
    if (used < 0 || (size_t)used >= sizeof d->message)
        return status;
    vsnprintf(d->message + used, sizeof d->message - (size_t)used, fmt, ap);
    return status;
}

int diag_error(diag *d, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_set(d, status, "error: ", fmt, ap);
    va_end(ap);
    return status;
}

int diag_error_at(diag *d, int status, const char *file, int line, int col, const char *fmt, ...)
{
    char prefix[512];
    if (line <= 0)
        snprintf(prefix, sizeof prefix, "%s: error: ", file);
    else if (col <= 0)
        snprintf(prefix, sizeof prefix, "%s:%d: error: ", file, line);
    else
        snprintf(prefix, sizeof prefix, "%s:%d:%d: error: ", file, line, col);
    va_list ap;
    va_start(ap, fmt);
    diag_set(d, status, prefix, fmt, ap);
    va_end(ap);
    return status;
}

int diag_verror_json(diag *d, int status, const char *file, const char *json_path, const char *fmt, va_list ap)
{
    char prefix[640];
    snprintf(prefix, sizeof prefix, "%s: %s: error: ", file, json_path && *json_path ? json_path : "$");
    return diag_set(d, status, prefix, fmt, ap);
}

int diag_error_json(diag *d, int status, const char *file, const char *json_path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror_json(d, status, file, json_path, fmt, ap);
    va_end(ap);
    return status;
}

int diag_error_file(diag *d, int status, const char *file, const char *fmt, ...)
{
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s: error: ", file);
    va_list ap;
    va_start(ap, fmt);
    diag_set(d, status, prefix, fmt, ap);
    va_end(ap);
    return status;
}

int diag_oom(diag *d, const char *what)
{
    return diag_error(d, DIAG_SOFTWARE, "out of memory while %s", what);
}

void diag_warning(diag *d, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **grown = mem_realloc(d->warnings, (d->warning_count + 1) * sizeof *grown);
    if (!grown)
        return;
    d->warnings = grown;
    char *copy = mem_strdup(buf);
    if (!copy)
        return;
    d->warnings[d->warning_count++] = copy;
}

void diag_print(const diag *d, const char *program, void *stream)
{
    /* messages quote labels, names and paths from files: they are printed escaped for the
     * terminal (text.h), keeping the line breaks of multi-line messages such as gnuplot's */
    FILE *out = stream;
    for (size_t i = 0; i < d->warning_count; i++) {
        fprintf(out, "%s: warning: ", program);
        text_print(out, d->warnings[i], 1);
        fputc('\n', out);
    }
    if (d->status != DIAG_OK) {
        text_print(out, d->message, 1);
        fputc('\n', out);
    }
}
