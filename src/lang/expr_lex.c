/* expr_lex.c: the lexer of the equation language (expr.h): numbers (locale-proof), names
 * (ASCII and the letters of CJK and other scripts), operators; and the compile-error helpers
 * that the parser shares. Lexical errors become error tokens, reported when the parser reaches
 * them, so the leftmost error of an equation is the one shown. */
#include "expr_internal.h"

#include "i18n.h"
#include "text.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------
 * Compile errors
 * ------------------------------------------------------------------------------------------ */

/* 1-based column of a byte offset, counting code points (UTF-8 continuation bytes do not
 * start a character). */
int expr_column(const char *source, size_t offset)
{
    int column = 1;
    for (size_t i = 0; i < offset && source[i]; i++)
        if (((unsigned char)source[i] & 0xC0) != 0x80)
            column++;
    return column;
}

/* Byte length of at most `max` bytes of s[0..len) without splitting a UTF-8 sequence, so
 * quoted text in messages stays valid UTF-8. */
int expr_clip(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

EXPR_PRINTF(3, 4)
int expr_fail(expr_compiler *c, size_t offset, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    c->failed = 1;
    c->err->column = expr_column(c->source, offset);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

int expr_fail_oom(expr_compiler *c)
{
    if (c->failed)
        return -1;
    c->failed = 1;
    c->err->column = 0;
    snprintf(c->err->message, sizeof c->err->message, "%s", _("out of memory"));
    return -1;
}

/* ------------------------------------------------------------------------------------------
 * Lexer
 * ------------------------------------------------------------------------------------------ */

/* Letters outside ASCII that may appear in names (Latin, Greek, Cyrillic, kana, CJK, hangul).
 * Deliberately a whitelist: fullwidth punctuation such as '（' '，' '＋' and the ideographic
 * space look like syntax but are not, and must be reported where they are. */
static int expr_is_name_codepoint(unsigned cp)
{
    return cp == 0xAA || cp == 0xB5 || cp == 0xBA || (cp >= 0xC0 && cp <= 0x2AF && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x391 && cp <= 0x3C9) || (cp >= 0x400 && cp <= 0x4FF) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

static int expr_is_ascii_letter(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int expr_is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* Bytes taken by a name character at s, or 0 if s does not continue a name. */
static int expr_name_char(const char *s, int first)
{
    unsigned char ch = (unsigned char)*s;
    if (expr_is_ascii_letter(ch) || (!first && expr_is_digit(ch)))
        return 1;
    if (ch < 0x80)
        return 0;
    unsigned cp;
    int n = text_utf8_next(s, &cp);
    return expr_is_name_codepoint(cp) ? n : 0;
}

EXPR_PRINTF(3, 4)
static void expr_lex_error(expr_compiler *c, size_t start, const char *fmt, ...)
{
    c->tok.kind = EXPR_TOK_ERROR;
    c->tok.start = start;
    c->tok.length = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->lex_message, sizeof c->lex_message, fmt, ap);
    va_end(ap);
}

/* Number := digits ["." digits] | "." digits, then optional exponent. The lexeme is converted
 * by strtod, which honours LC_NUMERIC: if the program has set a locale whose decimal point is
 * not '.', the '.' is swapped for it so "1.5" still reads as 1.5. */
static void expr_lex_number(expr_compiler *c, size_t start)
{
    const char *s = c->source;
    size_t i = start;
    int is_integer = 1;
    while (expr_is_digit(s[i]))
        i++;
    if (s[i] == '.') {
        is_integer = 0;
        i++;
        while (expr_is_digit(s[i]))
            i++;
    }
    if ((s[i] == 'e' || s[i] == 'E') &&
        (expr_is_digit(s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') && expr_is_digit(s[i + 2])))) {
        is_integer = 0;
        i += 2;
        while (expr_is_digit(s[i]))
            i++;
    }
    size_t length = i - start;

    /* The source is at most EXPR_MAX_SOURCE bytes; a multi-byte decimal point adds a few. */
    char buf[EXPR_MAX_SOURCE + 16];
    const char *point = localeconv()->decimal_point;
    int swap_point = point && *point && strcmp(point, ".") != 0;
    size_t point_len = swap_point ? strlen(point) : 1;
    size_t n = 0;
    for (size_t k = start; k < i && n + point_len < sizeof buf; k++) {
        if (s[k] == '.' && swap_point) {
            memcpy(buf + n, point, point_len);
            n += point_len;
        } else {
            buf[n++] = s[k];
        }
    }
    buf[n] = '\0';
    double value = strtod(buf, NULL);

    if (isinf(value)) {
        expr_lex_error(c, start, _("number '%.*s' is too large"), expr_clip(s + start, length, 40), s + start);
        return;
    }
    c->tok.kind = EXPR_TOK_NUMBER;
    c->tok.start = start;
    c->tok.length = length;
    c->tok.number = value;
    c->tok.is_integer = is_integer;
    c->pos = i;
}

/* An operator or punctuation token at s[i] (or the error for a character that is none). */
static void expr_lex_operator(expr_compiler *c, size_t i)
{
    const char *s = c->source;
    unsigned char ch = (unsigned char)s[i];
    enum expr_token_kind kind;
    size_t length = 1;
    switch (ch) {
    case '+': kind = EXPR_TOK_PLUS; break;
    case '-': kind = EXPR_TOK_MINUS; break;
    case '*': kind = EXPR_TOK_STAR; break;
    case '/': kind = EXPR_TOK_SLASH; break;
    case '^': kind = EXPR_TOK_CARET; break;
    case '%': kind = EXPR_TOK_PERCENT; break;
    case '(': kind = EXPR_TOK_LPAREN; break;
    case ')': kind = EXPR_TOK_RPAREN; break;
    case '[': kind = EXPR_TOK_LBRACKET; break;
    case ']': kind = EXPR_TOK_RBRACKET; break;
    case ',': kind = EXPR_TOK_COMMA; break;
    case '<':
        kind = s[i + 1] == '=' ? EXPR_TOK_LE : EXPR_TOK_LT;
        length = s[i + 1] == '=' ? 2 : 1;
        break;
    case '>':
        kind = s[i + 1] == '=' ? EXPR_TOK_GE : EXPR_TOK_GT;
        length = s[i + 1] == '=' ? 2 : 1;
        break;
    case '=':
        if (s[i + 1] != '=') {
            expr_lex_error(c, i, _("unexpected character '=' (use '==' to compare)"));
            return;
        }
        kind = EXPR_TOK_EQ;
        length = 2;
        break;
    case '!':
        if (s[i + 1] != '=') {
            expr_lex_error(c, i, _("unexpected character '!' (use 'not' or '!=')"));
            return;
        }
        kind = EXPR_TOK_NE;
        length = 2;
        break;
    case '&': expr_lex_error(c, i, _("unexpected character '&' (use 'and')")); return;
    case '|': expr_lex_error(c, i, _("unexpected character '|' (use 'or')")); return;
    default:
        if (ch >= 0x80) {
            unsigned cp;
            int bytes = text_utf8_next(s + i, &cp);
            expr_lex_error(c, i, _("unexpected character '%.*s' (U+%04X)"), bytes, s + i, cp);
        } else if (ch < 0x20 || ch == 0x7F) {
            expr_lex_error(c, i, _("unexpected character U+%04X"), (unsigned)ch);
        } else {
            expr_lex_error(c, i, _("unexpected character '%c'"), ch);
        }
        return;
    }
    c->tok.kind = kind;
    c->tok.length = length;
    c->pos = i + length;
}

/* Advances c->tok to the next token. Errors become EXPR_TOK_ERROR tokens rather than being
 * reported at once: the parser may still find an error further left (the token before, whose
 * meaning depends on this lookahead), and the leftmost error is the one to report. */
void expr_next(expr_compiler *c)
{
    const char *s = c->source;
    size_t i = c->pos;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')
        i++;
    c->tok.start = i;
    c->tok.length = 1;
    c->tok.is_integer = 0;
    unsigned char ch = (unsigned char)s[i];
    if (ch == '\0') {
        c->tok.kind = EXPR_TOK_END;
        c->tok.length = 0;
        c->pos = i;
        return;
    }
    if (expr_is_digit(ch) || (ch == '.' && expr_is_digit(s[i + 1]))) {
        expr_lex_number(c, i);
        return;
    }
    int n = expr_name_char(s + i, 1);
    if (n > 0) {
        size_t end = i + (size_t)n;
        while ((n = expr_name_char(s + end, 0)) > 0)
            end += (size_t)n;
        c->tok.kind = EXPR_TOK_NAME;
        c->tok.length = end - i;
        c->pos = end;
        /* and/or/not are tokens of their own; the other reserved words are names the parser
         * recognizes before it consults the symbol table. */
        if (c->tok.length == 3 && memcmp(s + i, "and", 3) == 0)
            c->tok.kind = EXPR_TOK_AND;
        else if (c->tok.length == 2 && memcmp(s + i, "or", 2) == 0)
            c->tok.kind = EXPR_TOK_OR;
        else if (c->tok.length == 3 && memcmp(s + i, "not", 3) == 0)
            c->tok.kind = EXPR_TOK_NOT;
        return;
    }

    expr_lex_operator(c, i);
}
