/* test_text.c: text shown on a terminal (escaped control characters, escape sequences, C1
 * controls, bidirectional overrides, bytes that are not UTF-8), its display width (CJK, mixed
 * and fullwidth text, combining marks, the edges of every wide range), cutting a text to a
 * width without overrunning its buffer, UTF-8 validation and decoding, positions in code
 * points, edit distances and suggestions, and shell quoting of pasted commands. */
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

/* The edges of each range text_codepoint_width knows: wide (East Asian wide and fullwidth,
 * two columns), zero (controls, combining marks), and the narrow characters beside them. */
Test(text, codepoint_width_at_the_edges_of_each_range)
{
    static const struct {
        unsigned cp;
        int width;
        const char *what;
    } cases[] = {
        {'a', 1, "ASCII"},
        {0x1B, 0, "ESC"},
        {0x7F, 0, "DEL"},
        {0x85, 0, "a C1 control"},
        {0xA0, 1, "no-break space"},
        {0x0301, 0, "combining acute accent"},
        {0x036F, 0, "last combining diacritical mark"},
        {0x0370, 1, "Greek after the combining marks"},
        {0x200B, 0, "zero-width space"},
        {0x2010, 1, "hyphen, after the zero-width range"},
        {0xFE0F, 0, "variation selector 16"},
        {0x10FF, 1, "before Hangul jamo"},
        {0x1100, 2, "first Hangul jamo"},
        {0x115F, 2, "Hangul choseong filler"},
        {0x1160, 1, "Hangul jungseong filler: narrow"},
        {0x2E7F, 1, "before the CJK radicals"},
        {0x2E80, 2, "first CJK radical"},
        {0x3000, 2, "ideographic space"},
        {0x3001, 2, "ideographic comma"},
        {0x303F, 1, "ideographic half fill space: narrow"},
        {0x3041, 2, "hiragana"},
        {0x3400, 2, "CJK extension A"},
        {0x4E00, 2, "一, first unified ideograph"},
        {0x6797, 2, "林"},
        {0x9FFF, 2, "last unified ideograph"},
        {0xA4CF, 2, "end of Yi"},
        {0xA4D0, 1, "Lisu: narrow"},
        {0xAC00, 2, "가, first Hangul syllable"},
        {0xD7A3, 2, "last Hangul syllable"},
        {0xD7A4, 1, "after the Hangul syllables"},
        {0xF900, 2, "CJK compatibility ideograph"},
        {0xFE30, 2, "CJK compatibility form"},
        {0xFF01, 2, "fullwidth exclamation mark"},
        {0xFF08, 2, "fullwidth parenthesis"},
        {0xFF60, 2, "last fullwidth form"},
        {0xFF61, 1, "halfwidth ideographic full stop"},
        {0xFF76, 1, "halfwidth katakana"},
        {0xFFE0, 2, "fullwidth cent sign"},
        {0xFFE6, 2, "fullwidth won sign"},
        {0xFFE8, 1, "halfwidth forms light vertical"},
        {0x1F4C8, 2, "chart with upwards trend"},
        {0x1F650, 1, "after the emoticons"},
        {0x1F914, 2, "supplemental symbols"},
        {0x20000, 2, "CJK extension B"},
        {0x3FFFD, 2, "end of the supplementary ideographic planes"},
        {0x3FFFE, 1, "a noncharacter after them"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(text_codepoint_width(cases[i].cp), cases[i].width, "U+%04X (%s): %d columns, expected %d",
                     cases[i].cp, cases[i].what, text_codepoint_width(cases[i].cp), cases[i].width);
}

Test(text, display_width_of_cjk_and_mixed_text)
{
    static const struct {
        const char *text;
        size_t width;
    } cases[] = {
        {"", 0},
        {"林州市", 6},
        {"GDP 实际增速", 12}, /* 4 ASCII + 4 ideographs */
        {"一般公共预算收入 [亿元]", 23}, /* 8 x 2 + " [" + 2 x 2 + "]" */
        {"地区生产总值（亿元）", 20}, /* fullwidth parentheses are wide */
        {"建筑业总产值 (亿元)", 19}, /* ASCII parentheses are not */
        {"ＧＤＰ", 6}, /* fullwidth Latin */
        {"ｶﾀｶﾅ", 4}, /* halfwidth katakana */
        {"e\xcc\x81", 1}, /* e + combining acute */
        {"林州 가", 7}, /* Hangul is wide as well */
        {"增速 📈 8%", 10}, /* an emoji is two columns */
        {"gdp\xe2\x80\x8b", 3}, /* zero-width space */
        {"林\x1b[0m", 9}, /* ESC shown as \x1b: 2 + 4 + 3 */
        {"\xc1\xd6", 8}, /* GBK bytes shown as \xc1\xd6 */
        {"\xe6\x9e", 8}, /* half a character: two bytes escaped */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(text_display_width(cases[i].text), cases[i].width, "\"%s\": %zu columns, expected %zu",
                     text_safe(cases[i].text), text_display_width(cases[i].text), cases[i].width);
}

/* A table of mixed labels lines up: each cell padded to the same display width. */
Test(text, pad_lines_up_mixed_labels)
{
    static const char *const labels[] = {"地区生产总值", "GDP growth", "一般公共预算收入 (亿元)", "ＧＤＰ x"};
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    cr_assert_not_null(f);
    for (size_t i = 0; i < 4; i++) {
        text_pad(f, labels[i], 24, 1);
        fputs("|\n", f);
    }
    text_pad(f, "林州市", 8, 0);
    fputs("|\n", f);
    text_pad(f, "一般公共预算收入", 4, 1); /* too wide: whole, never cut */
    fputs("|\n", f);
    fclose(f);
    cr_assert_str_eq(buf, "地区生产总值            |\n"
                          "GDP growth              |\n"
                          "一般公共预算收入 (亿元) |\n"
                          "ＧＤＰ x                |\n"
                          "  林州市|\n"
                          "一般公共预算收入|\n");
    /* every line is 25 columns wide up to its bar (the last two are not padded to 24) */
    char *line = buf;
    for (int i = 0; i < 4; i++) {
        char *end = strchr(line, '\n');
        *end = '\0';
        cr_assert_eq(text_display_width(line), 25, "line %d: %s", i, line);
        line = end + 1;
    }
    free(buf);
}

Test(text, truncate_cjk_at_character_boundaries)
{
    char text[64];
    strcpy(text, "一般公共预算收入");
    text_truncate(text, 7); /* 3 ideographs and the ellipsis */
    cr_assert_str_eq(text, "一般公…");
    cr_assert_leq(text_display_width(text), 7);
    strcpy(text, "一般公共预算收入");
    text_truncate(text, 8); /* 3 ideographs (6) and the ellipsis (1): a fourth would make 9 */
    cr_assert_str_eq(text, "一般公…");
    strcpy(text, "GDP 实际增速");
    text_truncate(text, 12);
    cr_assert_str_eq(text, "GDP 实际增速", "it fits exactly");
    text_truncate(text, 7);
    cr_assert_str_eq(text, "GDP 实…");
    strcpy(text, "GDP 实际增速");
    text_truncate(text, 6); /* 实 would end at column 6, leaving no column for the ellipsis */
    cr_assert_str_eq(text, "GDP …");
    cr_assert(text_utf8_valid(text, strlen(text), NULL), "never cut inside a character");
}

Test(text, utf8_validation_and_decoding)
{
    size_t bad = 99;
    cr_assert(text_utf8_valid("林州市 GDP \xf0\x9f\x93\x88", 18, &bad));
    cr_assert_eq(bad, 99, "untouched when valid");
    cr_assert_not(text_utf8_valid("ab\xc0\xaf", 4, &bad), "overlong /");
    cr_assert_eq(bad, 2);
    cr_assert_not(text_utf8_valid("\xed\xa0\x80", 3, &bad), "a UTF-16 surrogate");
    cr_assert_eq(bad, 0);
    cr_assert_not(text_utf8_valid("x\xf4\x90\x80\x80", 5, &bad), "above U+10FFFF");
    cr_assert_eq(bad, 1);
    cr_assert_not(text_utf8_valid("林\xe5\xb7", 5, &bad), "a sequence cut at the end");
    cr_assert_eq(bad, 3);
    cr_assert_not(text_utf8_valid("\xe6x\x9e", 3, &bad), "a lead byte without its continuation");
    cr_assert_eq(bad, 0);
    unsigned cp;
    cr_assert_eq(text_utf8_next("A", &cp), 1);
    cr_assert_eq(cp, 'A');
    cr_assert_eq(text_utf8_next("\xc3\xa9", &cp), 2);
    cr_assert_eq(cp, 0xE9);
    cr_assert_eq(text_utf8_next("林", &cp), 3);
    cr_assert_eq(cp, 0x6797);
    cr_assert_eq(text_utf8_next("\xf0\x9f\x93\x88", &cp), 4);
    cr_assert_eq(cp, 0x1F4C8);
    cr_assert_eq(text_utf8_next("", &cp), 0);
}

Test(text, positions_count_code_points)
{
    static const char text[] = "林州市,gdp\n长垣市,x";
    int line, col;
    text_position(text, 0, &line, &col);
    cr_assert(line == 1 && col == 1);
    text_position(text, 9, &line, &col); /* the comma after 林州市: three characters, nine bytes */
    cr_assert(line == 1 && col == 4, "%d:%d", line, col);
    text_position(text, (size_t)(strchr(text, 'x') - text), &line, &col);
    cr_assert(line == 2 && col == 5, "%d:%d", line, col);
}

Test(text, edit_distance_and_suggestions_in_code_points)
{
    cr_assert_eq(text_edit_distance("增长", "增速"), 1, "one character, three bytes");
    cr_assert_eq(text_edit_distance("gdp_real_growth", "gdp_real_grwth"), 1);
    cr_assert_eq(text_edit_distance("", "林州"), 2);
    cr_assert_eq(text_edit_distance("kitten", "sitting"), 3);
    cr_assert_eq(text_suggest_limit("ab"), 2, "at least 2");
    cr_assert_eq(text_suggest_limit("fiscal_revenue"), 4, "a third of 14");
    cr_assert_lt(text_suggest_limit("甲市"), 1 + 1, "under half of two Chinese characters");
    static const char *const names[] = {"gdp_real_growth", "fiscal_revenue", "长垣市", "辉县市"};
    cr_assert_str_eq(text_suggest("gdp_rael_growth", names, 4), "gdp_real_growth");
    cr_assert_str_eq(text_suggest("fiscal_revnue", names, 4), "fiscal_revenue");
    cr_assert_str_eq(text_suggest("长垣县", names, 4), "长垣市", "one character of three");
    cr_assert_null(text_suggest("己市", names, 4), "己市 is no typo of 辉县市 or 长垣市");
    cr_assert_null(text_suggest("population", names, 4));
}
