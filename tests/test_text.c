/* test_text.c: text shown on a terminal (escaped control characters, escape sequences, C1
 * controls, bidirectional overrides, bytes that are not UTF-8), its display width, cutting a
 * text to a width without overrunning its buffer, and shell quoting of pasted commands. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "text.h"

static const char *escaped(const char *text, int keep_newlines)
{
    static char out[512];
    return text_escape_terminal(out, sizeof out, text, keep_newlines);
}

Test(text, terminal_escapes)
{
    cr_assert_str_eq(escaped("林州市 GDP 8%", 0), "林州市 GDP 8%", "UTF-8 text as it is");
    cr_assert_str_eq(escaped("red \x1b[31mtext\x1b[0m", 0), "red \\x1b[31mtext\\x1b[0m");
    cr_assert_str_eq(escaped("title\x1b]0;pwned\x07", 0), "title\\x1b]0;pwned\\x07");
    cr_assert_str_eq(escaped("a\nb\rc\td", 0), "a\\nb\\rc\\td");
    cr_assert_str_eq(escaped("a\nb\rc\td", 1), "a\nb\\rc\td", "line breaks kept for messages");
    cr_assert_str_eq(escaped("del\x7f", 0), "del\\x7f");
    cr_assert_str_eq(escaped("csi\xc2\x9b" "31m", 0), "csi\\u009b31m", "the C1 CSI");
    cr_assert_str_eq(escaped("\xe2\x80\xae" "txet", 0), "\\u202etxet", "a right-to-left override");
    cr_assert_str_eq(escaped("\xe2\x81\xa6x\xe2\x80\x8f", 0), "\\u2066x\\u200f");
    cr_assert_str_eq(escaped("gbk \xc1\xd6", 0), "gbk \\xc1\\xd6", "bytes that are not UTF-8");
    cr_assert_str_eq(escaped("cut \xe6\x9e", 0), "cut \\xe6\\x9e", "a truncated sequence");
    cr_assert_str_eq(escaped("\xc2\xa0\xe2\x80\x94\xe2\x80\xa6", 0), "\xc2\xa0\xe2\x80\x94\xe2\x80\xa6",
                     "no-break space, dash and ellipsis are text");
    cr_assert_str_eq(escaped(NULL, 0), "");
    cr_assert(text_is_terminal_safe("林州市 2023"));
    cr_assert(text_is_terminal_safe(NULL));
    cr_assert(!text_is_terminal_safe("x\x1b"));
    cr_assert(!text_is_terminal_safe("x\n"));
}

Test(text, escaping_a_long_text_stays_in_its_buffer)
{
    char out[16];
    memset(out, 'Z', sizeof out);
    text_escape_terminal(out, 12, "\x1b\x1b\x1b\x1b", 0); /* 16 bytes escaped */
    cr_assert_str_eq(out, "\\x1b\\x1b…");
    cr_assert_eq(out[12], 'Z', "nothing written past the size given");
    text_escape_terminal(out, 8, "林州市林州市", 0);
    cr_assert_str_eq(out, "林…", "3 + 3 + 1 bytes: 林州… would need 10");
    text_escape_terminal(out, 1, "abc", 0);
    cr_assert_str_eq(out, "");
}

Test(text, safe_returns_the_text_itself_when_it_can)
{
    const char *plain = "一般公共预算收入 [亿元]";
    cr_assert_eq(text_safe(plain), plain, "no copy when there is nothing to escape");
    cr_assert_str_eq(text_safe(NULL), "");
    /* several escaped arguments of one printf stay valid together */
    char line[256];
    snprintf(line, sizeof line, "%s|%s|%s", text_safe("a\x1b"), text_safe("b\n"), text_safe("c\xc2\x9b"));
    cr_assert_str_eq(line, "a\\x1b|b\\n|c\\u009b");
}

Test(text, print_escapes_any_length)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    cr_assert_not_null(f);
    for (int i = 0; i < 3; i++)
        text_print(f, "x\x1b[2J", 0);
    text_print(f, "\nline", 1);
    text_print(f, NULL, 0);
    fclose(f);
    cr_assert_str_eq(buf, "x\\x1b[2Jx\\x1b[2Jx\\x1b[2J\nline");
    free(buf);
}

Test(text, display_width_counts_escapes)
{
    cr_assert_eq(text_display_width("abc"), 3);
    cr_assert_eq(text_display_width("林州市"), 6, "CJK takes two columns");
    cr_assert_eq(text_display_width("a\x1b"), 5, "ESC is shown as \\x1b");
    cr_assert_eq(text_display_width("\n"), 2);
    cr_assert_eq(text_display_width("\xe2\x80\xae"), 6);
}

Test(text, pad_escapes_and_aligns)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    text_pad(f, "a\x1b", 7, 1);
    fputc('|', f);
    text_pad(f, "林", 4, 0);
    fputc('|', f);
    fclose(f);
    cr_assert_str_eq(buf, "a\\x1b  |  林|");
    free(buf);
}

Test(text, truncate_never_overruns_the_string)
{
    /* the string's own bytes are all the room there is: "…" (3 bytes) must replace bytes */
    char *exact = strdup("abcd");
    text_truncate(exact, 3);
    cr_assert_str_eq(exact, "a…", "one character fewer than the width allows: the ellipsis needs its bytes");
    cr_assert_leq(text_display_width(exact), 3);
    free(exact);
    char text[64];
    strcpy(text, "林州市 2023 年目标情景");
    text_truncate(text, 9);
    cr_assert_str_eq(text, "林州市 2…");
    strcpy(text, "short");
    text_truncate(text, 10);
    cr_assert_str_eq(text, "short");
    strcpy(text, "ab");
    text_truncate(text, 1);
    cr_assert_leq(strlen(text), 2);
    cr_assert_leq(text_display_width(text), 1);
    strcpy(text, "x\x1b\x1b\x1b");
    text_truncate(text, 6);
    cr_assert_leq(text_display_width(text), 6);
}

Test(text, shell_quoting)
{
    char out[128];
    cr_assert_str_eq(text_shell_quote(out, sizeof out, "out/linzhou-2023/charts"), "out/linzhou-2023/charts");
    cr_assert_str_eq(text_shell_quote(out, sizeof out, "my out/charts"), "'my out/charts'");
    cr_assert_str_eq(text_shell_quote(out, sizeof out, "it's"), "'it'\\''s'");
    cr_assert_str_eq(text_shell_quote(out, sizeof out, "$(rm -rf ~);`x`"), "'$(rm -rf ~);`x`'");
    cr_assert_str_eq(text_shell_quote(out, sizeof out, "-rf"), "'-rf'", "never read as an option");
    cr_assert_str_eq(text_shell_quote(out, sizeof out, ""), "''");
    cr_assert_str_eq(text_shell_quote(out, sizeof out, "林州/图"), "'林州/图'");
    cr_assert_str_eq(text_shell_quote(out, 4, "abcdef"), "", "too long: nothing rather than a cut word");
    cr_assert_str_eq(text_shell_quote(out, 5, "a b c"), "");
}

Test(text, diag_print_escapes_messages)
{
    diag d;
    diag_init(&d);
    diag_warning(&d, "label \"%s\"", "x\x1b[31m");
    diag_error_file(&d, DIAG_DATA, "s.json", "title \"%s\"\n    caret", "\xc2\x9b" "2J");
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    diag_print(&d, "econsim", f);
    fclose(f);
    cr_assert_str_eq(buf, "econsim: warning: label \"x\\x1b[31m\"\ns.json: error: title \"\\u009b2J\"\n    caret\n");
    free(buf);
    diag_free(&d);
}
