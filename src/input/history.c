/* history.c: the observations CSV: an RFC 4180 reader and the rows built from it.
 *
 * The file is read whole, checked for NUL bytes and invalid UTF-8 before any parsing (a file
 * saved as GBK must say so on its first bad byte, not fail later as a "bad value"), and then
 * split into records. Every error names the file, the line and the character column where the
 * offending field starts, because planners edit these files in spreadsheets and text editors
 * and need to find the cell. Positions are computed only when an error is reported, so the
 * happy path pays nothing for them.
 *
 * Memory: the decoded text of every field goes into one arena allocated up front. A decoded
 * field is never longer than its raw bytes, and each field but the last is followed by a
 * separator the arena does not need, so the file length plus two bytes always suffices (one
 * byte is a shared empty string for absent optional columns). This keeps a million-row file
 * to a few allocations and gives the fault-injection tests only a handful of sites to fail. */
#include "history.h"
#include "i18n.h"
#include "input.h"
#include "mem.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns the loader knows; the first HISTORY_REQUIRED_COLUMNS are required. */
enum {
    HISTORY_COL_PLACE,
    HISTORY_COL_INDICATOR,
    HISTORY_COL_YEAR,
    HISTORY_COL_VALUE,
    HISTORY_COL_UNIT,
    HISTORY_COL_KIND,
    HISTORY_COL_SOURCE,
    HISTORY_COL_RELIABILITY,
    HISTORY_COL_SERIES_BREAK,
    HISTORY_COL_SOURCE_EN,
    HISTORY_COL_COUNT
};
#define HISTORY_REQUIRED_COLUMNS 6

static const char *const history_column_names[HISTORY_COL_COUNT] = {
    "place", "indicator", "year", "value", "unit", "kind", "source", "reliability", "series_break", "source_en"};

/* A history as allocated: the public part first, so a history * converts back to its owner. */
typedef struct history_owned {
    history pub;
    char *arena; /* the text of every row (see the file comment) */
} history_owned;

/* One field of the current record. */
typedef struct history_field {
    size_t offset; /* byte offset in the text where the field starts (its quote, if quoted) */
    char *text;    /* decoded, NUL-terminated, in the arena */
    size_t length; /* bytes of text */
} history_field;

/* The parser's state over the whole file. */
typedef struct history_reader {
    const char *path;
    diag *d;
    const char *text; /* the file after the byte-order mark, NUL-terminated */
    size_t length;    /* bytes of text */
    size_t pos;       /* next byte to read */
    int line;         /* 1-based line of pos */
    char *arena;
    size_t arena_used, arena_size;
    history_field *fields; /* the current record */
    size_t field_count, field_capacity;
    size_t record_end; /* offset just past the last field of the current record */
    int record_line;   /* line where the current record starts */
} history_reader;

/* Open-addressing hash set of row indexes keyed by (place, indicator, year, kind), to find
 * duplicates in one pass. Slots hold index + 1; 0 is empty. */
typedef struct history_index {
    size_t *slots;
    size_t capacity; /* a power of two, or 0 */
    size_t used;
} history_index;

/* ---------------------------------------------------------------------------------------- */
/* Errors */

/* Reports a DIAG_DATA error at byte `offset` of the text (line and character column). */
static int history_error(history_reader *r, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int history_error(history_reader *r, size_t offset, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    int line, col;
    text_position(r->text, offset, &line, &col);
    return diag_error_at(r->d, DIAG_DATA, r->path, line, col, "%s", message);
}

/* Copies text into out (cap bytes) for quoting in a message: at most about 40 bytes, cut on a
 * character boundary, control characters (a line break inside quotes) shown as '?'. */
static void history_excerpt(char *out, size_t cap, const char *text)
{
    const size_t limit = cap - 4 < 40 ? cap - 4 : 40;
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (s[n] && n < limit) {
        out[n] = s[n] < 0x20 || s[n] == 0x7F ? '?' : (char)s[n];
        n++;
    }
    if (s[n]) {
        while (n > 0 && (s[n] & 0xC0) == 0x80) /* do not split a UTF-8 sequence */
            n--;
        memcpy(out + n, "...", 4);
    } else {
        out[n] = '\0';
    }
}

/* ---------------------------------------------------------------------------------------- */
/* CSV records */

/* Skips blank lines (empty, or only spaces and tabs) at r->pos. */
static void history_skip_blank_lines(history_reader *r)
{
    for (;;) {
        size_t p = r->pos;
        while (p < r->length && (r->text[p] == ' ' || r->text[p] == '\t'))
            p++;
        if (p == r->length) { /* trailing spaces at the end of the file */
            r->pos = p;
            return;
        }
        if (r->text[p] == '\n') {
            p += 1;
        } else if (r->text[p] == '\r' && r->text[p + 1] == '\n') {
            p += 2;
        } else {
            return; /* a record starts here (its leading spaces belong to its first field) */
        }
        r->pos = p;
        r->line++;
    }
}

/* Appends a slot for one more field to the current record; NULL when memory runs out. */
static history_field *history_new_field(history_reader *r)
{
    if (r->field_count == r->field_capacity) {
        size_t capacity = r->field_capacity ? r->field_capacity * 2 : 16, bytes;
        if (!mem_size_mul(capacity, sizeof *r->fields, &bytes))
            return NULL;
        history_field *grown = mem_realloc(r->fields, bytes);
        if (!grown)
            return NULL;
        r->fields = grown;
        r->field_capacity = capacity;
    }
    return &r->fields[r->field_count++];
}

/* Reads one field at r->pos into the arena; leaves r->pos on the separator (a comma, a line
 * end or the end of the text). Returns DIAG_OK or an error status. */
static int history_read_field(history_reader *r)
{
    history_field *field = history_new_field(r);
    if (!field)
        return diag_oom(r->d, _("reading the observations file"));
    const char *text = r->text;
    const size_t start = r->pos;
    char *out = r->arena + r->arena_used;
    size_t n = 0, p = start;
    /* text[length] is the terminating NUL, so looking one byte ahead is always safe */
    while (text[p] == ' ' || text[p] == '\t') /* hand-written files put spaces before quotes */
        p++;
    if (text[p] != '"')
        p = start; /* unquoted: the spaces are part of the field (and trimmed later) */
    if (text[p] == '"') {
        const size_t quote = p;
        p++;
        for (;;) {
            if (p >= r->length)
                return history_error(r, quote, _("unterminated quoted field: the quote that opens it is never closed"));
            char c = text[p];
            if (c == '"') {
                if (text[p + 1] != '"') {
                    p++;
                    break;
                }
                p += 2; /* a doubled quote stands for one */
            } else if (c == '\r' && text[p + 1] == '\n') {
                c = '\n'; /* the same text whatever the file's line ends */
                p += 2;
                r->line++;
            } else {
                if (c == '\n')
                    r->line++;
                p++;
            }
            if (n == HISTORY_MAX_FIELD)
                return history_error(r, quote, _("quoted field is longer than %d bytes (is its closing quote missing?)"),
                                     HISTORY_MAX_FIELD);
            out[n++] = c;
        }
        while (text[p] == ' ' || text[p] == '\t')
            p++;
        char c = text[p];
        if (p < r->length && c != ',' && c != '\n' && !(c == '\r' && text[p + 1] == '\n'))
            return history_error(r, p, _("unexpected text after the closing quote of a field "
                                       "(a quote inside a quoted field is written twice: \"\")"));
    } else {
        while (p < r->length) {
            char c = text[p];
            if (c == ',' || c == '\n')
                break;
            if (c == '\r') {
                if (text[p + 1] == '\n')
                    break;
                return history_error(r, p, _("carriage return without a line feed (line ends must be LF or CRLF)"));
            }
            if (c == '"')
                return history_error(r, p, _("quote inside an unquoted field "
                                           "(quote the whole field and write the inner quote twice: \"\")"));
            if (n == HISTORY_MAX_FIELD)
                return history_error(r, start, _("field is longer than %d bytes"), HISTORY_MAX_FIELD);
            out[n++] = c;
            p++;
        }
    }
    out[n] = '\0';
    r->arena_used += n + 1;
    r->pos = p;
    field->offset = start;
    field->text = out;
    field->length = n;
    return DIAG_OK;
}

/* Reads the next record (skipping blank lines) into r->fields: *got is 1 with a record, 0 at
 * the end of the text. Returns DIAG_OK, or the status of an error reported in r->d. */
static int history_read_record(history_reader *r, int *got)
{
    *got = 0;
    history_skip_blank_lines(r);
    if (r->pos >= r->length)
        return DIAG_OK;
    r->field_count = 0;
    r->record_line = r->line;
    for (;;) {
        int status = history_read_field(r);
        if (status != DIAG_OK)
            return status;
        if (r->pos >= r->length) {
            r->record_end = r->pos;
            *got = 1;
            return DIAG_OK;
        }
        if (r->text[r->pos] == ',') {
            r->pos++;
            continue;
        }
        /* a line end: history_read_field stops only on LF or CRLF */
        r->record_end = r->pos;
        r->pos += r->text[r->pos] == '\r' ? 2 : 1;
        r->line++;
        *got = 1;
        return DIAG_OK;
    }
}

/* Removes spaces and tabs around a field's text, in place. */
static void history_trim(history_field *field)
{
    char *s = field->text;
    size_t n = field->length;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    s[n] = '\0';
    while (*s == ' ' || *s == '\t') {
        s++;
        n--;
    }
    field->text = s;
    field->length = n;
}

/* ---------------------------------------------------------------------------------------- */
/* Header and rows */

/* Compares ASCII case-insensitively (header names typed as "Place" in a spreadsheet). */
static int history_same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

/* Maps the header's names to columns[] (index of each known column, or -1). */
static int history_read_header(history_reader *r, int *columns)
{
    for (int k = 0; k < HISTORY_COL_COUNT; k++)
        columns[k] = -1;
    const char *unknown[64]; /* unrecognised names, for "did you mean" */
    size_t unknown_count = 0;
    for (size_t i = 0; i < r->field_count; i++) {
        history_field *field = &r->fields[i];
        history_trim(field);
        int known = -1;
        for (int k = 0; k < HISTORY_COL_COUNT; k++)
            if (history_same_name(field->text, history_column_names[k]))
                known = k;
        if (known < 0) {
            if (unknown_count < sizeof unknown / sizeof unknown[0])
                unknown[unknown_count++] = field->text;
            continue;
        }
        if (columns[known] >= 0)
            return history_error(r, field->offset, _("column \"%s\" appears twice in the header"),
                                 history_column_names[known]);
        columns[known] = (int)i; /* fits: HISTORY_MAX_BYTES bounds the field count */
    }
    for (int k = 0; k < HISTORY_REQUIRED_COLUMNS; k++) {
        if (columns[k] >= 0)
            continue;
        const char *near = text_suggest(history_column_names[k], unknown, unknown_count);
        char hint[96] = "";
        if (near) {
            char excerpt[48];
            history_excerpt(excerpt, sizeof excerpt, near);
            snprintf(hint, sizeof hint, _("; did you mean \"%s\"?"), excerpt);
        }
        return history_error(r, 0,
                             _("missing required column \"%s\" (the first line must be the header "
                             "place,indicator,year,value,unit,kind[,source,reliability])%s"),
                             history_column_names[k], hint);
    }
    return DIAG_OK;
}

/* 1 when s holds a control character (a line break inside quotes, a tab). */
static int history_has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return 1;
    return 0;
}

/* Parses a year: an optional sign and decimal digits, within the allowed range. */
static int history_parse_year(history_reader *r, const history_field *field, int *year)
{
    char excerpt[48];
    const char *s = field->text;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    int digits = 0;
    for (; s[i]; i++, digits++)
        if (s[i] < '0' || s[i] > '9')
            break;
    if (digits == 0 || s[i] != '\0') {
        history_excerpt(excerpt, sizeof excerpt, s);
        if (!*s)
            return history_error(r, field->offset, _("empty year"));
        return history_error(r, field->offset, _("bad year \"%s\": expected a whole number such as 2022"), excerpt);
    }
    errno = 0;
    long value = strtol(s, NULL, 10);
    if (errno == ERANGE || value < HISTORY_MIN_YEAR || value > HISTORY_MAX_YEAR) {
        history_excerpt(excerpt, sizeof excerpt, s);
        return history_error(r, field->offset, _("year %s is outside %d..%d"), excerpt, HISTORY_MIN_YEAR,
                             HISTORY_MAX_YEAR);
    }
    *year = (int)value;
    return DIAG_OK;
}

/* Parses a value: a finite decimal number in the C locale, optionally followed by % (then
 * divided by 100). strtod alone would also take "nan", "inf", hex and leading spaces, so the
 * characters are checked first. */
static int history_parse_value(history_reader *r, history_field *field, double *value, int *written_percent)
{
    char excerpt[48];
    char *s = field->text;
    size_t n = field->length;
    int percent = 0;
    history_excerpt(excerpt, sizeof excerpt, s);
    if (n > 0 && s[n - 1] == '%') {
        percent = 1;
        s[--n] = '\0';
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) /* "8.8 %" */
            s[--n] = '\0';
    }
    if (n == 0)
        return percent ? history_error(r, field->offset, _("bad value \"%s\": no number before %%"), excerpt)
                       : history_error(r, field->offset,
                                       _("empty value (leave the row out when there is no figure)"));
    int digits = 0, decimal = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!(c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            decimal = 0;
    }
    char *end = NULL;
    double v = decimal && digits > 0 ? strtod(s, &end) : 0.0;
    if (!decimal || digits == 0 || end != s + n)
        return history_error(r, field->offset,
                             _("bad value \"%s\": expected a decimal number such as 43.54 or 8.8%%"), excerpt);
    if (!isfinite(v)) /* underflow to a tiny or zero value is accepted: it is finite */
        return history_error(r, field->offset, _("value %s is out of range"), excerpt);
    *value = percent ? v / 100.0 : v;
    *written_percent = percent;
    return DIAG_OK;
}

/* The 1-based column, in characters, of byte `offset` on its line. */
static int history_column_of(const history_reader *r, size_t offset)
{
    size_t start = offset;
    while (start > 0 && r->text[start - 1] != '\n')
        start--;
    int col = 1;
    for (size_t i = start; i < offset; i++)
        col += ((unsigned char)r->text[i] & 0xC0) != 0x80;
    return col;
}

/* Builds one row from the current record; its strings point into the arena. */
static int history_parse_row(history_reader *r, const int *columns, size_t header_count, history_row *row)
{
    if (r->field_count != header_count) {
        /* too many: point at the first extra field; too few: at the end of the record */
        size_t at = r->field_count > header_count ? r->fields[header_count].offset : r->record_end;
        return history_error(r, at, _("this row has %zu fields but the header has %zu"), r->field_count, header_count);
    }
    for (size_t i = 0; i < r->field_count; i++)
        history_trim(&r->fields[i]);
    history_field *place = &r->fields[columns[HISTORY_COL_PLACE]];
    history_field *indicator = &r->fields[columns[HISTORY_COL_INDICATOR]];
    history_field *unit = &r->fields[columns[HISTORY_COL_UNIT]];
    history_field *kind = &r->fields[columns[HISTORY_COL_KIND]];
    if (place->length == 0)
        return history_error(r, place->offset, _("empty place"));
    if (history_has_control(place->text))
        return history_error(r, place->offset, _("place contains a line break or control character"));
    if (indicator->length == 0)
        return history_error(r, indicator->offset, _("empty indicator"));
    if (history_has_control(indicator->text))
        return history_error(r, indicator->offset, _("indicator contains a line break or control character"));
    if (history_has_control(unit->text))
        return history_error(r, unit->offset, _("unit contains a line break or control character"));
    int status = history_parse_year(r, &r->fields[columns[HISTORY_COL_YEAR]], &row->year);
    if (status != DIAG_OK)
        return status;
    history_field *value = &r->fields[columns[HISTORY_COL_VALUE]];
    int percent = 0;
    status = history_parse_value(r, value, &row->value, &percent);
    if (status != DIAG_OK)
        return status;
    row->value_percent = percent;
    row->value_col = history_column_of(r, value->offset);
    if (strcmp(kind->text, "level") == 0) {
        row->kind = HISTORY_LEVEL;
    } else if (strcmp(kind->text, "growth") == 0) {
        row->kind = HISTORY_GROWTH;
    } else {
        char excerpt[48];
        history_excerpt(excerpt, sizeof excerpt, kind->text);
        return history_error(r, kind->offset, _("kind \"%s\" is not allowed: use level or growth"), excerpt);
    }
    row->place = place->text;
    row->indicator = indicator->text;
    row->unit = unit->text;
    /* absent optional columns share the arena's empty string */
    row->source = columns[HISTORY_COL_SOURCE] >= 0 ? r->fields[columns[HISTORY_COL_SOURCE]].text : r->arena;
    row->source_en =
        columns[HISTORY_COL_SOURCE_EN] >= 0 ? r->fields[columns[HISTORY_COL_SOURCE_EN]].text : r->arena;
    row->reliability =
        columns[HISTORY_COL_RELIABILITY] >= 0 ? r->fields[columns[HISTORY_COL_RELIABILITY]].text : r->arena;
    row->series_break =
        columns[HISTORY_COL_SERIES_BREAK] >= 0 ? r->fields[columns[HISTORY_COL_SERIES_BREAK]].text : r->arena;
    if (row->series_break[0] && row->kind != HISTORY_LEVEL)
        return history_error(r, r->fields[columns[HISTORY_COL_SERIES_BREAK]].offset,
                             _("series_break is for a level: a growth rate compares two years of one basis"));
    if (history_has_control(row->series_break))
        return history_error(r, r->fields[columns[HISTORY_COL_SERIES_BREAK]].offset,
                             _("series_break contains a line break or control character"));
    row->line = r->record_line;
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Duplicate detection */

/* FNV-1a over the key (place, indicator, year, kind). */
static uint64_t history_key_hash(const history_row *row)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *s = (const unsigned char *)row->place; *s; s++)
        h = (h ^ *s) * 1099511628211u;
    h = (h ^ 0xFF) * 1099511628211u; /* a byte that UTF-8 never holds separates the names */
    for (const unsigned char *s = (const unsigned char *)row->indicator; *s; s++)
        h = (h ^ *s) * 1099511628211u;
    h = (h ^ (uint64_t)(unsigned)row->year) * 1099511628211u;
    h = (h ^ (uint64_t)row->kind) * 1099511628211u;
    return h ^ (h >> 29);
}

static int history_same_key(const history_row *a, const history_row *b)
{
    return a->year == b->year && a->kind == b->kind && strcmp(a->place, b->place) == 0 &&
           strcmp(a->indicator, b->indicator) == 0;
}

/* Places rows[index] in the set: *existing is SIZE_MAX when it was added, or the index of the
 * row with an equal key already there. Returns DIAG_OK, or DIAG_SOFTWARE when memory runs out
 * (the caller reports it). */
static int history_index_add(history_index *ix, const history_row *rows, size_t index, size_t *existing)
{
    *existing = SIZE_MAX;
    if ((ix->used + 1) * 2 > ix->capacity) {
        size_t capacity = ix->capacity ? ix->capacity * 2 : 64;
        size_t *slots = mem_calloc(capacity, sizeof *slots);
        if (!slots)
            return DIAG_SOFTWARE;
        for (size_t i = 0; i < ix->capacity; i++) {
            if (!ix->slots[i])
                continue;
            size_t j = (size_t)history_key_hash(&rows[ix->slots[i] - 1]) & (capacity - 1);
            while (slots[j])
                j = (j + 1) & (capacity - 1);
            slots[j] = ix->slots[i];
        }
        mem_free(ix->slots);
        ix->slots = slots;
        ix->capacity = capacity;
    }
    size_t j = (size_t)history_key_hash(&rows[index]) & (ix->capacity - 1);
    while (ix->slots[j]) {
        if (history_same_key(&rows[ix->slots[j] - 1], &rows[index])) {
            *existing = ix->slots[j] - 1;
            return DIAG_OK;
        }
        j = (j + 1) & (ix->capacity - 1);
    }
    ix->slots[j] = index + 1;
    ix->used++;
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Loading */

/* Reports the first of the encoding faults input_read_text found (a NUL byte, invalid UTF-8),
 * at its place in the text after the byte-order mark. */
static int history_check_encoding(history_reader *r, const input_text *in)
{
    if (in->nul < in->length && in->nul <= in->bad_utf8)
        return history_error(r, in->nul - in->start, _("NUL byte in the file (is it UTF-16 or a binary file?)"));
    if (in->bad_utf8 < in->length)
        return history_error(r, in->bad_utf8 - in->start,
                             _("invalid UTF-8 (is the file saved as GBK or UTF-16? save it as UTF-8)"));
    return DIAG_OK;
}

/* Makes room for one more row (doubling). Returns DIAG_OK, or DIAG_SOFTWARE when memory runs
 * out (the caller reports it). */
static int history_grow_rows(history *h, size_t *capacity)
{
    if (h->count < *capacity)
        return DIAG_OK;
    size_t grown_capacity = *capacity ? *capacity * 2 : 64, bytes;
    if (!mem_size_mul(grown_capacity, sizeof *h->rows, &bytes))
        return DIAG_SOFTWARE;
    history_row *grown = mem_realloc(h->rows, bytes);
    if (!grown)
        return DIAG_SOFTWARE;
    h->rows = grown;
    *capacity = grown_capacity;
    return DIAG_OK;
}

/* Reads the rows after the header into h->rows, indexing them to find duplicates. A bad row
 * is reported and the others are read on (every mistake in one run, up to DIAG_MAX_ERRORS).
 * Returns DIAG_OK when every row was good and there was at least one, or an error in r->d. */
static int history_read_rows(history_reader *r, history *h, const int *columns, size_t header_count,
                             history_index *index)
{
    diag *d = r->d;
    size_t capacity = 0, bad_rows = 0;
    int got;
    int record_status = DIAG_OK;
    while ((record_status = history_read_record(r, &got)) == DIAG_OK && got) {
        if (h->count == HISTORY_MAX_ROWS)
            return history_error(r, r->fields[0].offset, _("more than %d observation rows"), HISTORY_MAX_ROWS);
        if (history_grow_rows(h, &capacity) != DIAG_OK)
            return diag_oom(d, _("loading observations"));
        history_row *row = &h->rows[h->count];
        if (history_parse_row(r, columns, header_count, row) != DIAG_OK) {
            if (d->status == DIAG_SOFTWARE || diag_error_total(d) >= DIAG_MAX_ERRORS)
                return d->status;
            bad_rows++;
            continue;
        }
        size_t first;
        if (history_index_add(index, h->rows, h->count, &first) != DIAG_OK)
            return diag_oom(d, _("loading observations"));
        if (first != SIZE_MAX) {
            char place[48], indicator[48];
            history_excerpt(place, sizeof place, row->place);
            history_excerpt(indicator, sizeof indicator, row->indicator);
            history_error(r, r->fields[0].offset, _("duplicate observation of %s %s %d (%s): first given on line %d"),
                          place, indicator, row->year, row->kind == HISTORY_LEVEL ? "level" : "growth",
                          h->rows[first].line);
            bad_rows++;
            continue;
        }
        h->count++;
    }
    if (record_status != DIAG_OK || bad_rows > 0)
        return d->status;
    if (h->count == 0)
        return history_error(r, r->length, _("no observations: the header is not followed by any row"));
    return DIAG_OK;
}

history *history_load(const char *path, diag *d)
{
    input_text in;
    if (input_read_text(path, (size_t)HISTORY_MAX_BYTES, &in, d) != DIAG_OK)
        return NULL;
    char *file = in.data;
    history_reader r = {0};
    history_index index = {0};
    history_owned *owned = NULL;
    history *h = NULL;
    int columns[HISTORY_COL_COUNT];
    size_t header_count = 0;
    int got;
    r.path = path;
    r.d = d;
    r.text = file + in.start; /* positions count from after the byte-order mark */
    r.length = in.length - in.start;
    r.line = 1;
    if (history_check_encoding(&r, &in) != DIAG_OK)
        goto fail;

    owned = mem_calloc(1, sizeof *owned);
    if (!owned) {
        diag_oom(d, _("loading observations"));
        goto fail;
    }
    h = &owned->pub;
    h->path = mem_strdup(path);
    r.arena_size = r.length + 2;
    r.arena = owned->arena = mem_alloc(r.arena_size);
    if (!h->path || !r.arena) {
        diag_oom(d, _("loading observations"));
        goto fail;
    }
    r.arena[0] = '\0'; /* the shared empty string */
    r.arena_used = 1;

    if (history_read_record(&r, &got) != DIAG_OK)
        goto fail;
    if (got == 0) {
        diag_error_at(d, DIAG_DATA, path, 1, 1,
                      _("empty file: expected the header place,indicator,year,value,unit,kind[,source,reliability]"));
        goto fail;
    }
    if (history_read_header(&r, columns) != DIAG_OK)
        goto fail;
    header_count = r.field_count;

    if (history_read_rows(&r, h, columns, header_count, &index) != DIAG_OK)
        goto fail;
    mem_free(index.slots);
    mem_free(r.fields);
    mem_free(file);
    return h;
fail:
    mem_free(index.slots);
    mem_free(r.fields);
    mem_free(file);
    history_free(h);
    return NULL;
}

void history_free(history *h)
{
    if (!h)
        return;
    history_owned *owned = (history_owned *)h; /* pub is the first member */
    mem_free(owned->arena);
    mem_free(h->rows);
    mem_free(h->path);
    mem_free(owned);
}

/* ---------------------------------------------------------------------------------------- */
/* Queries */

int history_has_place(const history *h, const char *place)
{
    if (!h || !place)
        return 0;
    for (size_t i = 0; i < h->count; i++)
        if (strcmp(h->rows[i].place, place) == 0)
            return 1;
    return 0;
}

size_t history_places(const history *h, const char **out, size_t max)
{
    size_t found = 0;
    if (!h)
        return 0;
    for (size_t i = 0; i < h->count && found < max; i++) {
        const char *place = h->rows[i].place;
        size_t k = 0;
        while (k < found && strcmp(out[k], place) != 0)
            k++;
        if (k == found)
            out[found++] = place;
    }
    return found;
}

size_t history_keep_until(history *h, int year)
{
    size_t kept = 0;
    for (size_t i = 0; i < h->count; i++)
        if (h->rows[i].year <= year)
            h->rows[kept++] = h->rows[i];
    size_t dropped = h->count - kept;
    h->count = kept;
    return dropped;
}

history *history_view_until(const history *h, int year)
{
    history_owned *owned = mem_calloc(1, sizeof *owned);
    if (!owned)
        return NULL;
    history *view = &owned->pub; /* no arena: the strings stay h's */
    view->path = mem_strdup(h->path);
    view->rows = mem_alloc((h->count ? h->count : 1) * sizeof *view->rows);
    if (!view->path || !view->rows) {
        history_free(view);
        return NULL;
    }
    for (size_t i = 0; i < h->count; i++)
        if (h->rows[i].year <= year)
            view->rows[view->count++] = h->rows[i];
    return view;
}

const history_row *history_find(const history *h, const char *place, const char *indicator, int year,
                                history_kind kind)
{
    if (!h || !place || !indicator)
        return NULL;
    for (size_t i = 0; i < h->count; i++) {
        const history_row *row = &h->rows[i];
        if (row->year == year && row->kind == kind && strcmp(row->place, place) == 0 &&
            strcmp(row->indicator, indicator) == 0)
            return row;
    }
    return NULL;
}

const char *history_row_source(const history_row *row)
{
    return row ? i18n_pick(row->source, row->source_en && row->source_en[0] ? row->source_en : NULL) : NULL;
}
