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

/* ---------------------------------------------------------------------------------------- */
/* Text for a terminal
 *
 * Labels, titles, notes, names and paths come from files a planner may have received from
 * someone else. Printed raw, an escape sequence in one (ESC [ ..., or the C1 CSI U+009B) would
 * be obeyed by the terminal: recolour or hide output, move the cursor, retitle the window, on
 * some terminals answer back. Every such text is therefore shown escaped: a control character
 * (C0, DEL) as \xNN (\n, \r and \t as themselves: \n), a C1 control or a bidirectional
 * override (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069, which would make text read
 * backwards) as \uNNNN, a byte that is not UTF-8 as \xNN. Everything else, CJK included,
 * is shown as it is. */

/* Copies `text` (NULL: "") into out (size bytes, always NUL-terminated), escaped for a
 * terminal as above; with keep_newlines, '\n' and '\t' pass through (multi-line messages). A
 * text that does not fit is cut at a character boundary and ends with "…". Returns out. */
char *text_escape_terminal(char *out, size_t size, const char *text, int keep_newlines);

/* The text as it may be printed to a terminal: `text` itself when it needs no escaping (the
 * common case), else its escaped form (text_escape_terminal) in one of 16 rotating
 * thread-local buffers of 4 KiB, valid until the 16th next call from the same thread. For the
 * %s arguments of printf-style calls: printf("%s (%s)\n", text_safe(title), text_safe(name)).
 * NULL gives "". */
const char *text_safe(const char *text);

/* Writes `text` (NULL: nothing) to stream escaped for a terminal, whatever its length; with
 * keep_newlines, '\n' and '\t' pass through. */
void text_print(void *stream, const char *text, int keep_newlines);

/* 1 when `text` holds nothing text_escape_terminal would escape. */
int text_is_terminal_safe(const char *text);

/* Writes `text` into out (size bytes) as one word for a POSIX shell, so that a command printed
 * for pasting does what it says whatever the path holds: as it is when it holds only
 * [A-Za-z0-9_./:@%+=,-] and does not start with '-', else in single quotes with each ' written
 * '\'' ("my out" -> 'my out', it's -> 'it'\''s'). A text that does not fit gives "" (a
 * command that fails rather than one that does something else). Returns out. */
char *text_shell_quote(char *out, size_t size, const char *text);

/* Terminal columns a code point occupies: 2 for East Asian wide and fullwidth characters
 * (CJK ideographs, kana, hangul, fullwidth forms), 0 for combining marks and controls, else 1.
 * Locale-independent, so tables line up in any environment. */
int text_codepoint_width(unsigned cp);

/* Terminal columns of a UTF-8 string as text_pad and text_safe print it: the sum of
 * text_codepoint_width, with each character that is shown escaped counted as its escape. */
size_t text_display_width(const char *s);

/* Cuts a UTF-8 string in place to at most `columns` display columns (text_display_width),
 * ending it with "…" when it was cut; never inside a character. A string that fits is left
 * as it is. For chart texts whose length would otherwise push the plot off its canvas. */
void text_truncate(char *text, size_t columns);

/* Writes s to stream escaped for a terminal (text_safe) and padded with spaces to `width`
 * columns (left-aligned when align_left, right-aligned otherwise). Text wider than `width` is
 * written whole. */
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
