/* diag.c: error and warning reports.
 *
 * Loaders and analyses never print and never exit: they fill a diag and return a status, and
 * main.c decides what reaches the terminal and which exit code the process returns. A load
 * goes on past a bad value so that every mistake of a file is reported in one run; the diag
 * keeps them all (up to DIAG_MAX_ERRORS) and prints them in the order of the files, so a
 * planner can work down the list with the file open. */
#include "diag.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_init(diag *d)
{
    d->status = DIAG_OK;
    d->message[0] = '\0';
    d->warnings = NULL;
    d->warning_count = 0;
    d->errors = NULL;
    d->error_count = 0;
    d->errors_dropped = 0;
    memset(&d->first, 0, sizeof d->first);
}

static void diag_entry_release(diag_entry *e)
{
    mem_free(e->file);
    mem_free(e->json_path);
    mem_free(e->text);
}

void diag_drop_warnings(diag *d)
{
    for (size_t i = 0; i < d->warning_count; i++)
        mem_free(d->warnings[i]);
    mem_free(d->warnings);
    d->warnings = NULL;
    d->warning_count = 0;
}

void diag_free(diag *d)
{
    diag_drop_warnings(d);
    if (d->errors != &d->first) {
        for (size_t i = 0; i < d->error_count; i++)
            diag_entry_release(&d->errors[i]);
        mem_free(d->errors);
    }
    diag_init(d);
}

/* How strongly a status claims the exit code: a failure of the machine (out of memory, an
 * interrupt) over a failure around the data (I/O, usage, output), over a missing input, over
 * bad content. A missing file explains the content errors that may follow it. */
static int diag_rank(int status)
{
    switch (status) {
    case DIAG_DATA:
        return 1;
    case DIAG_NO_INPUT:
        return 2;
    case DIAG_USAGE:
    case DIAG_UNAVAILABLE:
    case DIAG_CANT_CREATE:
    case DIAG_IO:
        return 3;
    default: /* DIAG_SOFTWARE, DIAG_INTERRUPTED */
        return 4;
    }
}

size_t diag_error_total(const diag *d)
{
    return d->error_count + d->errors_dropped;
}

/* Records one error whose printed line is `text`. Out of memory while recording still sets
 * the status and message: an error is never lost entirely. */
static void diag_record(diag *d, int status, const char *file, const char *json_path, int line, int col,
                        const char *text)
{
    for (size_t i = 0; i < d->error_count; i++)
        if (!strcmp(d->errors[i].text, text))
            return; /* the same mistake reached by two routes */
    if (d->status == DIAG_OK || diag_rank(status) > diag_rank(d->status)) {
        d->status = status;
        snprintf(d->message, sizeof d->message, "%s", text);
    }
    if (d->error_count >= DIAG_MAX_ERRORS) {
        d->errors_dropped++;
        return;
    }
    if (d->error_count == 0) {
        /* the first error stays in the struct: nothing to free for a diag that has one */
        diag_entry *e = &d->first;
        snprintf(d->first_text, sizeof d->first_text, "%s", text);
        snprintf(d->first_file, sizeof d->first_file, "%s", file ? file : "");
        snprintf(d->first_path, sizeof d->first_path, "%s", json_path ? json_path : "");
        e->status = status;
        e->line = line > 0 ? line : 0;
        e->col = line > 0 && col > 0 ? col : 0;
        e->order = diag_error_total(d);
        e->text = d->first_text;
        e->file = file ? d->first_file : NULL;
        e->json_path = json_path ? d->first_path : NULL;
        d->errors = e;
        d->error_count = 1;
        return;
    }
    if (d->errors == &d->first) {
        /* a second error: move to an owned list */
        diag_entry *list = mem_alloc(DIAG_MAX_ERRORS * sizeof *list);
        if (!list) {
            d->errors_dropped++;
            return;
        }
        diag_entry *moved = &list[0];
        memset(moved, 0, sizeof *moved);
        *moved = d->first;
        moved->text = mem_strdup(d->first.text);
        moved->file = d->first.file ? mem_strdup(d->first.file) : NULL;
        moved->json_path = d->first.json_path ? mem_strdup(d->first.json_path) : NULL;
        if (!moved->text || (d->first.file && !moved->file) || (d->first.json_path && !moved->json_path)) {
            diag_entry_release(moved);
            mem_free(list);
            d->errors_dropped++;
            return;
        }
        d->errors = list;
    }
    diag_entry *e = &d->errors[d->error_count];
    memset(e, 0, sizeof *e);
    e->status = status;
    e->line = line > 0 ? line : 0;
    e->col = line > 0 && col > 0 ? col : 0;
    e->order = diag_error_total(d);
    e->text = mem_strdup(text);
    if (!e->text)
        return;
    if ((file && !(e->file = mem_strdup(file))) || (json_path && !(e->json_path = mem_strdup(json_path)))) {
        diag_entry_release(e);
        return;
    }
    d->error_count++;
}

static int diag_report(diag *d, int status, const char *file, const char *json_path, int line, int col,
                       const char *prefix, const char *fmt, va_list ap) __attribute__((format(printf, 8, 0)));

static int diag_report(diag *d, int status, const char *file, const char *json_path, int line, int col,
                       const char *prefix, const char *fmt, va_list ap)
{
    char text[sizeof d->message];
    int used = snprintf(text, sizeof text, "%s", prefix);
    if (used >= 0 && (size_t)used < sizeof text)
        vsnprintf(text + used, sizeof text - (size_t)used, fmt, ap);
    diag_record(d, status, file, json_path, line, col, text);
    return status;
}

int diag_error(diag *d, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_report(d, status, NULL, NULL, 0, 0, _("error: "), fmt, ap);
    va_end(ap);
    return status;
}

int diag_error_at(diag *d, int status, const char *file, int line, int col, const char *fmt, ...)
{
    char prefix[512];
    if (line <= 0)
        snprintf(prefix, sizeof prefix, "%s: %s", file, _("error: "));
    else if (col <= 0)
        snprintf(prefix, sizeof prefix, "%s:%d: %s", file, line, _("error: "));
    else
        snprintf(prefix, sizeof prefix, "%s:%d:%d: %s", file, line, col, _("error: "));
    va_list ap;
    va_start(ap, fmt);
    diag_report(d, status, file, NULL, line, col, prefix, fmt, ap);
    va_end(ap);
    return status;
}

int diag_verror_json(diag *d, int status, const char *file, const char *json_path, const char *fmt, va_list ap)
{
    char prefix[640];
    const char *path = json_path && *json_path ? json_path : "$";
    snprintf(prefix, sizeof prefix, "%s: %s: %s", file, path, _("error: "));
    return diag_report(d, status, file, path, 0, 0, prefix, fmt, ap);
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
    snprintf(prefix, sizeof prefix, "%s: %s", file, _("error: "));
    va_list ap;
    va_start(ap, fmt);
    diag_report(d, status, file, NULL, 0, 0, prefix, fmt, ap);
    va_end(ap);
    return status;
}

const char *diag_skip_label(const char *message)
{
    const char *label = _("error: ");
    size_t length = strlen(label);
    if (!strncmp(message, label, length))
        return message + length;
    if (!strncmp(message, "error: ", 7))
        return message + 7;
    return message;
}

void diag_strip_label(char *message)
{
    const char *labels[2] = {_("error: "), "error: "};
    for (size_t i = 0; i < 2; i++) {
        size_t length = strlen(labels[i]);
        char *at = NULL;
        if (!strncmp(message, labels[i], length))
            at = message;
        else {
            /* after the location: "file: ", "file:line:col: " or "file: $.path: " */
            char pattern[64];
            snprintf(pattern, sizeof pattern, ": %s", labels[i]);
            char *found = strstr(message, pattern);
            if (found)
                at = found + 2;
        }
        if (at) {
            memmove(at, at + length, strlen(at + length) + 1);
            return;
        }
    }
}

int diag_oom(diag *d, const char *what)
{
    return diag_error(d, DIAG_SOFTWARE, _("out of memory while %s"), what);
}

void diag_warning(diag *d, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < d->warning_count; i++)
        if (!strcmp(d->warnings[i], buf))
            return;
    char **grown = mem_realloc(d->warnings, (d->warning_count + 1) * sizeof *grown);
    if (!grown)
        return;
    d->warnings = grown;
    char *copy = mem_strdup(buf);
    if (!copy)
        return;
    d->warnings[d->warning_count++] = copy;
}

void diag_merge(diag *to, diag *from)
{
    for (size_t i = 0; i < from->error_count; i++) {
        const diag_entry *e = &from->errors[i];
        diag_record(to, e->status, e->file, e->json_path, e->line, e->col, e->text);
        /* a JSON path located in `from` keeps its position */
        if (to->error_count > 0 && !strcmp(to->errors[to->error_count - 1].text, e->text) && e->json_path) {
            to->errors[to->error_count - 1].line = e->line;
            to->errors[to->error_count - 1].col = e->col;
        }
    }
    if (from->error_count == 0 && from->status != DIAG_OK)
        diag_record(to, from->status, NULL, NULL, 0, 0, from->message);
    to->errors_dropped += from->errors_dropped;
    for (size_t i = 0; i < from->warning_count; i++)
        diag_warning(to, "%s", from->warnings[i]);
    diag_free(from);
}

/* ---------------------------------------------------------------------------------------- */
/* Printing                                                                                   */

typedef struct diag_sort_key {
    const diag_entry *entry;
    size_t file_rank; /* order of the file's first report; SIZE_MAX without a file */
} diag_sort_key;

static int diag_compare(const void *a, const void *b)
{
    const diag_sort_key *x = a, *y = b;
    if (x->file_rank != y->file_rank)
        return x->file_rank < y->file_rank ? -1 : 1;
    const diag_entry *p = x->entry, *q = y->entry;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1; /* 0 (no position) first */
    if (p->col != q->col)
        return p->col < q->col ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

void diag_print(const diag *d, const char *program, void *stream)
{
    /* messages quote labels, names and paths from files: they are printed escaped for the
     * terminal (text.h), keeping the line breaks of multi-line messages such as gnuplot's */
    FILE *out = stream;
    for (size_t i = 0; i < d->warning_count; i++) {
        fprintf(out, "%s: %s", program, _("warning: "));
        text_print(out, d->warnings[i], 1);
        fputc('\n', out);
    }
    if (d->status == DIAG_OK)
        return;
    if (d->error_count == 0) {
        text_print(out, d->message, 1);
        fputc('\n', out);
        return;
    }
    diag_sort_key keys[DIAG_MAX_ERRORS];
    size_t n = d->error_count;
    for (size_t i = 0; i < n; i++) {
        keys[i].entry = &d->errors[i];
        keys[i].file_rank = (size_t)-1;
        if (!d->errors[i].file)
            continue;
        for (size_t j = 0; j <= i; j++)
            if (d->errors[j].file && !strcmp(d->errors[j].file, d->errors[i].file)) {
                keys[i].file_rank = j;
                break;
            }
    }
    qsort(keys, n, sizeof *keys, diag_compare);
    for (size_t i = 0; i < n; i++) {
        text_print(out, keys[i].entry->text, 1);
        fputc('\n', out);
    }
    if (d->errors_dropped > 0)
    {
        fprintf(out, "%s: %s", program, _("error: "));
        if (d->errors_dropped == 1)
            fprintf(out, _("1 more error not shown (the first %d are above)\n"), DIAG_MAX_ERRORS);
        else
            fprintf(out, _("%zu more errors not shown (the first %d are above)\n"), d->errors_dropped, DIAG_MAX_ERRORS);
    }
}
