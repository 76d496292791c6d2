/* text.h: UTF-8 text helpers: validation, terminal display width, "did you mean" suggestions. */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

/* Returns 1 when buf[0..len) is well-formed UTF-8 (no overlongs, surrogates or code points
 * above U+10FFFF); otherwise 0 and, if bad_offset is not NULL, the byte offset of the first
 * invalid sequence. */
int text_utf8_valid(const char *buf, size_t len, size_t *bad_offset);

/* Decodes one UTF-8 code point at s (which must be valid UTF-8), stores it in *cp and returns
 * the number of bytes it took (1..4); returns 0 at the terminating NUL. */
int text_utf8_next(const char *s, unsigned *cp);

/* Terminal columns a code point occupies: 2 for East Asian wide and fullwidth characters
 * (CJK ideographs, kana, hangul, fullwidth forms), 0 for combining marks and controls, else 1.
 * Locale-independent, so tables line up in any environment. */
int text_codepoint_width(unsigned cp);

/* Terminal columns of a valid UTF-8 string (sum of text_codepoint_width). */
size_t text_display_width(const char *s);

/* Writes s to stream padded with spaces to `width` columns (left-aligned when align_left,
 * right-aligned otherwise). Text wider than `width` is written whole. */
void text_pad(void *stream, const char *s, size_t width, int align_left);

/* Line (1-based) and column (1-based, in code points) of byte `offset` in buf. */
void text_position(const char *buf, size_t offset, int *line, int *col);

/* Levenshtein distance between a and b in code points (so 增长 and 增速 are one edit apart),
 * capped at 255; strings of more than 64 code points are 255 from anything. */
int text_edit_distance(const char *a, const char *b);

/* How many edits a suggestion for `name` may be away: a third of its code points, at least 2;
 * for text with non-ASCII characters also less than half of them (a Chinese character is a
 * word, so 己市 is not a typo of 甲市). */
int text_suggest_limit(const char *name);

/* The candidate closest to `name` by edit distance, or NULL when none is close enough
 * (text_suggest_limit). Returns a pointer into `candidates`. */
const char *text_suggest(const char *name, const char *const *candidates, size_t count);

#endif
