/* text.c: UTF-8 helpers.
 *
 * Planners' labels are Chinese; a CJK ideograph is three bytes but two terminal columns, so
 * aligning tables by bytes or by code points both go wrong. Widths here follow Unicode's East
 * Asian Width (W and F) for the ranges that occur in practice, independent of the C locale. */
#include "text.h"

#include <stdio.h>
#include <string.h>

int text_utf8_valid(const char *buf, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t need;
        unsigned cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            goto bad;
        }
        if (i + need >= len) /* truncated sequence */
            goto bad;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += need + 1;
    }
    return 1;
bad:
    if (bad_offset)
        *bad_offset = i;
    return 0;
}

int text_utf8_next(const char *str, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    unsigned v = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return k;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    *cp = n == 1 ? 0xFFFD : v;
    return n;
}

int text_codepoint_width(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Text for a terminal */

/* How the character at s is shown on a terminal: writes its escape (NUL-terminated, at most 7
 * bytes) to escape and returns its length in bytes, or writes "" when it is shown as it is.
 * *length gets the bytes the character takes in s (1 for a byte that is not UTF-8). */
static size_t text_terminal_escape(const char *s, int keep_newlines, char escape[8], size_t *length)
{
    const unsigned char *u = (const unsigned char *)s;
    escape[0] = '\0';
    *length = 1;
    if (u[0] < 0x20 || u[0] == 0x7f) {
        if (keep_newlines && (u[0] == '\n' || u[0] == '\t'))
            return 0;
        if (u[0] == '\n' || u[0] == '\r' || u[0] == '\t') {
            escape[0] = '\\';
            escape[1] = u[0] == '\n' ? 'n' : u[0] == '\r' ? 'r' : 't';
            escape[2] = '\0';
            return 2;
        }
        snprintf(escape, 8, "\\x%02x", u[0]);
        return 4;
    }
    if (u[0] < 0x80)
        return 0;
    /* the length of a well-formed UTF-8 sequence, else a lone byte */
    size_t n = (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : (u[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || !text_utf8_valid(s, strnlen(s, n), NULL) || strnlen(s, n) < n) {
        snprintf(escape, 8, "\\x%02x", u[0]);
        return 4;
    }
    *length = n;
    unsigned cp;
    text_utf8_next(s, &cp);
    if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069)) {
        snprintf(escape, 8, "\\u%04x", cp);
        return 6;
    }
    return 0;
}

int text_is_terminal_safe(const char *text)
{
    if (!text)
        return 1;
    char escape[8];
    size_t length;
    for (const char *p = text; *p; p += length)
        if (text_terminal_escape(p, 0, escape, &length))
            return 0;
    return 1;
}

char *text_escape_terminal(char *out, size_t size, const char *text, int keep_newlines)
{
    if (!size)
        return out;
    if (!text)
        text = "";
    size_t used = 0;
    char escape[8];
    size_t length;
    for (const char *p = text; *p; p += length) {
        size_t shown = text_terminal_escape(p, keep_newlines, escape, &length);
        const char *bytes = shown ? escape : p;
        size_t count = shown ? shown : length;
        if (used + count + 1 > size) {
            /* cut: "…" (3 bytes) where it fits, at a character boundary */
            static const char ellipsis[] = "…";
            while (used > 0 && used + sizeof ellipsis > size) {
                used--;
                while (used > 0 && ((unsigned char)out[used] & 0xC0) == 0x80)
                    used--;
            }
            if (used + sizeof ellipsis <= size) {
                memcpy(out + used, ellipsis, sizeof ellipsis);
                return out;
            }
            break;
        }
        memcpy(out + used, bytes, count);
        used += count;
    }
    out[used] = '\0';
    return out;
}

void text_print(void *stream, const char *text, int keep_newlines)
{
    FILE *out = stream;
    char escape[8];
    size_t length;
    for (const char *p = text ? text : ""; *p; p += length) {
        if (text_terminal_escape(p, keep_newlines, escape, &length))
            fputs(escape, out);
        else
            fwrite(p, 1, length, out);
    }
}

const char *text_safe(const char *text)
{
    enum { BUFFERS = 16, BUFFER_SIZE = 4096 };
    static _Thread_local char buffers[BUFFERS][BUFFER_SIZE];
    static _Thread_local unsigned next;
    if (!text)
        return "";
    if (text_is_terminal_safe(text))
        return text;
    char *out = buffers[next++ % BUFFERS];
    return text_escape_terminal(out, BUFFER_SIZE, text, 0);
}

char *text_shell_quote(char *out, size_t size, const char *text)
{
    if (!size)
        return out;
    if (!text)
        text = "";
    int plain = text[0] && text[0] != '-';
    for (const char *p = text; *p && plain; p++)
        plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                strchr("_./:@%+=,-", *p) != NULL;
    size_t used = 0;
    if (plain) {
        if (strlen(text) + 1 > size)
            goto too_long;
        memcpy(out, text, strlen(text) + 1);
        return out;
    }
    out[used++] = '\'';
    for (const char *p = text; *p; p++) {
        const char *piece = *p == '\'' ? "'\\''" : NULL;
        size_t n = piece ? 4 : 1;
        if (used + n + 2 > size)
            goto too_long;
        memcpy(out + used, piece ? piece : p, n);
        used += n;
    }
    if (used + 2 > size)
        goto too_long;
    out[used++] = '\'';
    out[used] = '\0';
    return out;
too_long:
    out[0] = '\0';
    return out;
}

size_t text_display_width(const char *s)
{
    size_t width = 0;
    char escape[8];
    size_t length;
    for (; *s; s += length) {
        size_t shown = text_terminal_escape(s, 0, escape, &length);
        if (shown) {
            width += shown; /* an escape is ASCII: one column a byte */
            continue;
        }
        unsigned cp;
        text_utf8_next(s, &cp);
        width += (size_t)text_codepoint_width(cp);
    }
    return width;
}

void text_truncate(char *text, size_t columns)
{
    if (text_display_width(text) <= columns)
        return;
    /* the longest head that leaves a column for "…" (widths as text_display_width counts) */
    size_t length = strlen(text), used = 0, at = 0;
    char escape[8];
    size_t n;
    while (text[at]) {
        size_t shown = text_terminal_escape(text + at, 0, escape, &n);
        unsigned cp = 0;
        if (!shown)
            text_utf8_next(text + at, &cp);
        size_t w = shown ? shown : (size_t)text_codepoint_width(cp);
        if (used + w + 1 > columns)
            break;
        used += w;
        at += n;
    }
    /* "…" takes 3 bytes: it must fit in the bytes it replaces */
    while (at > 0 && at + sizeof "…" - 1 > length) {
        at--;
        while (at > 0 && ((unsigned char)text[at] & 0xC0) == 0x80)
            at--;
    }
    if (at + sizeof "…" - 1 <= length)
        memcpy(text + at, "…", sizeof "…");
    else
        text[at] = '\0';
}

void text_pad(void *stream, const char *s, size_t width, int align_left)
{
    FILE *out = stream;
    size_t w = text_display_width(s);
    size_t pad = w < width ? width - w : 0;
    if (!align_left)
        fprintf(out, "%*s", (int)pad, "");
    fputs(text_safe(s), out);
    if (align_left)
        fprintf(out, "%*s", (int)pad, "");
}

void text_position(const char *buf, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && buf[i]; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count code points, not continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

/* Decodes up to 64 code points of s into out (bytes of invalid UTF-8 count as one each);
 * returns how many, or 65 when s is longer. */
static size_t text_code_points(const char *s, unsigned *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (n == 64)
            return 65;
        unsigned cp = *p;
        int len = cp < 0x80 ? 1 : (cp & 0xE0) == 0xC0 ? 2 : (cp & 0xF0) == 0xE0 ? 3 : (cp & 0xF8) == 0xF0 ? 4 : 1;
        for (int i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80)
                len = 1;
        if (len > 1)
            text_utf8_next((const char *)p, &cp);
        out[n++] = cp;
        p += len;
    }
    return n;
}

int text_edit_distance(const char *a_text, const char *b_text)
{
    unsigned a[64], b[64];
    size_t la = text_code_points(a_text, a), lb = text_code_points(b_text, b);
    if (la > 64 || lb > 64)
        return 255;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diagonal = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int above = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diagonal + cost;
            if (above + 1 < best)
                best = above + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb] > 255 ? 255 : row[lb];
}

int text_suggest_limit(const char *name)
{
    unsigned points[64];
    size_t n = text_code_points(name, points);
    int ascii = 1;
    for (const char *p = name; *p; p++)
        ascii &= (unsigned char)*p < 0x80;
    int limit = (int)n / 3;
    if (limit < 2)
        limit = 2;
    /* a character of Chinese is a word: 己市 is not a typo of 甲市, but 辉县 is close to 辉县市 */
    if (!ascii && (int)(n - 1) / 2 < limit)
        limit = (int)(n > 0 ? n - 1 : 0) / 2;
    return limit;
}

const char *text_suggest(const char *name, const char *const *candidates, size_t count)
{
    int limit = text_suggest_limit(name);
    const char *best = NULL;
    int best_distance = limit + 1;
    for (size_t i = 0; i < count; i++) {
        int d = text_edit_distance(name, candidates[i]);
        if (d < best_distance) {
            best_distance = d;
            best = candidates[i];
        }
    }
    return best;
}
