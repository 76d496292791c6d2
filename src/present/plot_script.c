/* plot_script.c: gnuplot scripts with every user string escaped (plot.h's builder).
 *
 * The builder collects a script in one growing buffer. Its append functions never fail
 * loudly: the first failure (out of memory, a name that is not an identifier, a datablock row
 * equal to the end marker) is recorded and plot_script_finish reports it, so chart code can
 * write a whole preamble without checking every line. */
#include "plot.h"
#include "i18n.h"
#include "mem.h"
#include "output.h"
#include "text.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct plot_script {
    char *text;
    size_t length, capacity;
    const char *failure; /* the first failure, a static string; NULL while all is well */
    int in_datablock;
};

plot_script *plot_script_new(void)
{
    plot_script *script = mem_calloc(1, sizeof *script);
    if (!script)
        return NULL;
    script->capacity = 4096;
    if (!(script->text = mem_alloc(script->capacity))) {
        mem_free(script);
        return NULL;
    }
    script->text[0] = '\0';
    return script;
}

void plot_script_free(plot_script *script)
{
    if (!script)
        return;
    mem_free(script->text);
    mem_free(script);
}

static void plot_script_fail(plot_script *script, const char *why)
{
    if (!script->failure)
        script->failure = why;
}

/* Makes room for `more` bytes and the NUL; returns 0 on failure (recorded). */
static int plot_script_reserve(plot_script *script, size_t more)
{
    if (script->failure)
        return 0;
    if (script->length + more + 1 <= script->capacity)
        return 1;
    size_t capacity = script->capacity;
    while (capacity < script->length + more + 1) {
        if (capacity > SIZE_MAX / 2) {
            plot_script_fail(script, "script too large");
            return 0;
        }
        capacity *= 2;
    }
    char *grown = mem_realloc(script->text, capacity);
    if (!grown) {
        plot_script_fail(script, "out of memory");
        return 0;
    }
    script->text = grown;
    script->capacity = capacity;
    return 1;
}

static void plot_script_append_bytes(plot_script *script, const char *bytes, size_t count)
{
    if (!plot_script_reserve(script, count))
        return;
    memcpy(script->text + script->length, bytes, count);
    script->length += count;
    script->text[script->length] = '\0';
}

void plot_script_append(plot_script *script, const char *text)
{
    if (script->in_datablock) {
        plot_script_fail(script, "text inside a datablock");
        return;
    }
    plot_script_append_bytes(script, text, strlen(text));
}

void plot_script_printf(plot_script *script, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int needed = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (needed < 0) {
        plot_script_fail(script, "bad format");
        return;
    }
    if (!plot_script_reserve(script, (size_t)needed))
        return;
    va_start(ap, fmt);
    vsnprintf(script->text + script->length, (size_t)needed + 1, fmt, ap);
    va_end(ap);
    script->length += (size_t)needed;
}

void plot_script_comment(plot_script *script, const char *fmt, ...)
{
    if (script->in_datablock) {
        plot_script_fail(script, "text inside a datablock");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int needed = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (needed < 0) {
        plot_script_fail(script, "bad format");
        return;
    }
    /* "# " + text + "\n" */
    if (!plot_script_reserve(script, (size_t)needed + 3))
        return;
    char *line = script->text + script->length;
    line[0] = '#';
    line[1] = ' ';
    va_start(ap, fmt);
    vsnprintf(line + 2, (size_t)needed + 1, fmt, ap);
    va_end(ap);
    size_t kept = 2;
    for (size_t i = 2; i < (size_t)needed + 2; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c < 0x20 || c == 0x7f)
            continue; /* a newline or carriage return would end the comment */
        line[kept++] = c == '\\' ? '/' : (char)c; /* a trailing backslash would continue it */
    }
    line[kept++] = '\n';
    line[kept] = '\0';
    script->length += kept;
}

/* The length of the UTF-8 sequence at c when it is a C1 control (U+0080..U+009F, as C2 80..C2
 * 9F) or a bidirectional control (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), else 0. */
static size_t plot_format_control_length(const unsigned char *c)
{
    if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F)
        return 2;
    if (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0x8E || c[2] == 0x8F || (c[2] >= 0xAA && c[2] <= 0xAE)))
        return 3;
    if (c[0] == 0xE2 && c[1] == 0x81 && c[2] >= 0xA6 && c[2] <= 0xA9)
        return 3;
    return 0;
}

char *plot_quote(const char *text)
{
    if (!text)
        text = "";
    /* worst case: every byte special, each becoming ."\047" (8 bytes) */
    size_t length = strlen(text);
    if (length > (SIZE_MAX - 3) / 8)
        return NULL;
    char *out = mem_alloc(length * 8 + 3);
    if (!out)
        return NULL;
    char *p = out;
    int in_literal = 0; /* a single-quoted piece is open */
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            continue; /* a newline would end the command; no control character is text */
        size_t skip = plot_format_control_length(c);
        if (skip) {
            c += skip - 1;
            continue;
        }
        const char *escape = *c == '\'' ? "\"\\047\"" : *c == '"' ? "\"\\042\"" : *c == '@' ? "\"\\100\"" : NULL;
        if (escape) {
            /* a quote, double quote or @ never appears as itself: gnuplot's macro expander
             * tracks quotes naively (every ' and " flips its state), so a raw one could let a
             * later @name expand into the command line. An octal escape in double quotes holds
             * no backquote, no @ and no quote. */
            if (in_literal)
                *p++ = '\'';
            in_literal = 0;
            if (p > out)
                *p++ = '.';
            memcpy(p, escape, 6);
            p += 6;
            continue;
        }
        if (!in_literal) {
            if (p > out)
                *p++ = '.';
            *p++ = '\'';
            in_literal = 1;
        }
        *p++ = (char)*c;
    }
    if (in_literal)
        *p++ = '\'';
    if (p == out) {
        *p++ = '\'';
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

/* 1 when name is a gnuplot identifier the program chose. */
static int plot_identifier_ok(const char *name)
{
    if (!name || !(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
        return 0;
    for (const char *p = name; *p; p++)
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

/* Appends a quoted literal for text (the expression of plot_quote). */
static void plot_script_quoted(plot_script *script, const char *text)
{
    char *quoted = plot_quote(text);
    if (!quoted) {
        plot_script_fail(script, "out of memory");
        return;
    }
    plot_script_append(script, quoted);
    mem_free(quoted);
}

/* The same, for text cut to `columns` display columns. */
static void plot_script_quoted_cut(plot_script *script, const char *text, size_t columns)
{
    char *copy = mem_strdup(text ? text : "");
    if (!copy) {
        plot_script_fail(script, "out of memory");
        return;
    }
    text_truncate(copy, columns);
    plot_script_quoted(script, copy);
    mem_free(copy);
}

/* Appends a number: shortest round-trip digits, NaN for non-finite values. */
static void plot_script_number_text(plot_script *script, double value)
{
    char buf[32];
    output_format_number(buf, value);
    plot_script_append_bytes(script, buf[0] ? buf : "NaN", strlen(buf[0] ? buf : "NaN"));
}

/* Starts `name = ` of a gnuplot variable: 1, or 0 when name is not an identifier (the script
 * then fails: nothing from a file ever becomes a command). */
static int plot_script_assign(plot_script *script, const char *name)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return 0;
    }
    plot_script_printf(script, "%s = ", name);
    return 1;
}

void plot_script_string(plot_script *script, const char *name, const char *text)
{
    if (!plot_script_assign(script, name))
        return;
    plot_script_quoted(script, text);
    plot_script_append(script, "\n");
}

void plot_script_string_lines(plot_script *script, const char *name, const char *const *lines, size_t count)
{
    if (!plot_script_assign(script, name))
        return;
    if (count == 0)
        plot_script_quoted(script, "");
    for (size_t i = 0; i < count; i++) {
        if (i)
            plot_script_append(script, " . \"\\n\" . ");
        plot_script_quoted(script, lines[i]);
    }
    plot_script_append(script, "\n");
}

void plot_script_string_cut(plot_script *script, const char *name, const char *text, size_t columns)
{
    if (!plot_script_assign(script, name))
        return;
    plot_script_quoted_cut(script, text, columns);
    plot_script_append(script, "\n");
}

void plot_script_number(plot_script *script, const char *name, double value)
{
    if (!plot_script_assign(script, name))
        return;
    plot_script_number_text(script, value);
    plot_script_append(script, "\n");
}

void plot_script_string_array(plot_script *script, const char *name, const char *const *texts, size_t count)
{
    plot_script_string_array_cut(script, name, texts, count, 0);
}

void plot_script_string_array_cut(plot_script *script, const char *name, const char *const *texts, size_t count,
                                  size_t columns)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s_count = %zu\n", name, count);
    if (count == 0)
        return;
    plot_script_printf(script, "array %s[%zu] = [ \\\n", name, count);
    for (size_t i = 0; i < count; i++) {
        plot_script_append(script, "    ");
        if (columns)
            plot_script_quoted_cut(script, texts[i], columns);
        else
            plot_script_quoted(script, texts[i] ? texts[i] : "");
        /* the line ends in the program's ", \" or "]", never in user text */
        plot_script_append(script, i + 1 < count ? ", \\\n" : "]\n");
    }
}

void plot_script_number_array(plot_script *script, const char *name, const double *values, size_t count)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s_count = %zu\n", name, count);
    if (count == 0)
        return;
    plot_script_printf(script, "array %s[%zu] = [", name, count);
    for (size_t i = 0; i < count; i++) {
        if (i)
            plot_script_append(script, ", ");
        plot_script_number_text(script, values[i]);
    }
    plot_script_append(script, "]\n");
}

void plot_script_datablock_begin(plot_script *script, const char *name)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a datablock name that is not an identifier");
        return;
    }
    plot_script_printf(script, "$%s << %s\n", name, PLOT_DATABLOCK_END);
    script->in_datablock = 1;
}

void plot_script_datablock_row(plot_script *script, const double *values, size_t count)
{
    if (!script->in_datablock) {
        plot_script_fail(script, "a datablock row outside a datablock");
        return;
    }
    size_t row_start = script->length;
    for (size_t i = 0; i < count; i++) {
        if (i)
            plot_script_append_bytes(script, " ", 1);
        plot_script_number_text(script, values[i]);
    }
    if (script->failure)
        return;
    /* numbers cannot spell the end marker, but the block must never end early */
    size_t row_length = script->length - row_start;
    if (row_length == strlen(PLOT_DATABLOCK_END) &&
        !memcmp(script->text + row_start, PLOT_DATABLOCK_END, row_length)) {
        plot_script_fail(script, "a datablock row equal to its end marker");
        return;
    }
    plot_script_append_bytes(script, "\n", 1);
}

void plot_script_datablock_gap(plot_script *script)
{
    if (!script->in_datablock) {
        plot_script_fail(script, "a datablock row outside a datablock");
        return;
    }
    plot_script_append_bytes(script, "\n", 1);
}

void plot_script_datablock_end(plot_script *script)
{
    if (!script->in_datablock) {
        plot_script_fail(script, "a datablock end outside a datablock");
        return;
    }
    script->in_datablock = 0;
    plot_script_append(script, PLOT_DATABLOCK_END "\n");
}

const char *plot_script_text(const plot_script *script, size_t *length)
{
    if (script->failure || script->in_datablock)
        return NULL;
    if (length)
        *length = script->length;
    return script->text;
}

int plot_script_finish(const plot_script *script, const char *what, diag *d)
{
    if (script->failure)
        return diag_error(d, DIAG_SOFTWARE, _("%s: cannot write the gnuplot script: %s"), what, script->failure);
    if (script->in_datablock)
        return diag_error(d, DIAG_SOFTWARE, _("%s: cannot write the gnuplot script: a datablock is not ended"), what);
    return DIAG_OK;
}
