/* test_sweep_charts.c: the layout helpers of the sweep and discovery charts (sweep_write.h):
 * the text scale of a canvas, and footnotes wrapped to it (titles: test_charts.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "plot.h"
#include "sweep_write.h"
#include "text.h"

/* The script's text after sweep_chart_layout. */
static char *layout(int width, int height, const char *title, const char *footnote, const char *footnote2)
{
    plot_script *s = plot_script_new();
    cr_assert(s);
    sweep_chart_layout(s, width, height, title, footnote, footnote2);
    size_t length = 0;
    const char *text = plot_script_text(s, &length);
    cr_assert(text);
    char *copy = strdup(text);
    plot_script_free(s);
    return copy;
}

/* The value of `name = '...'` (a plain single-quoted literal) copied into buf. */
static int literal(const char *script, const char *name, char *buf, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s = '", name);
    const char *at;
    if (!strncmp(script, key + 1, strlen(key + 1))) /* the first line */
        at = script + strlen(key + 1);
    else if ((at = strstr(script, key)))
        at += strlen(key);
    else
        return 0;
    const char *end = strchr(at, '\'');
    size_t n = (size_t)(end - at) < size - 1 ? (size_t)(end - at) : size - 1;
    memcpy(buf, at, n);
    buf[n] = '\0';
    return 1;
}

Test(sweep_charts, scale_follows_the_smaller_ratio_with_a_floor_and_a_ceiling)
{
    /* the sweep charts are laid out at charts_scale, as every chart */
    cr_assert_float_eq(charts_scale(1000, 600), 1.0, 1e-12);
    cr_assert_float_eq(charts_scale(2000, 1200), 2.0, 1e-12);
    cr_assert_float_eq(charts_scale(2000, 600), 1.0, 1e-12, "a wide canvas: the height decides");
    cr_assert_float_eq(charts_scale(1000, 1400), 1.0, 1e-12, "a tall bar chart: the width decides");
    cr_assert_float_eq(charts_scale(640, 400), CHARTS_SCALE_MIN, 1e-12, "0.64 is raised to the floor");
    cr_assert_float_eq(charts_scale(8000, 8000), CHARTS_SCALE_MAX, 1e-12, "8 is lowered to the ceiling");
}

Test(sweep_charts, short_texts_stay_on_one_line)
{
    char *script = layout(1000, 600, "Sobol' indices: 地区生产总值 2025 [亿元]", "Grid: 3 × 3 = 9 model runs", NULL);
    cr_assert(strstr(script, "# title: Sobol' indices: 地区生产总值 2025 [亿元]\n"), "%s", script);
    cr_assert(strstr(script, "econsim_footnote = econsim_footnote_1\neconsim_footnote_lines = 1\n"), "%s", script);
    cr_assert(strstr(script, "econsim_footnote2 = ''\n"), "%s", script);
    free(script);
}

/* The title is the charts writer's (charts_fit_texts wraps every chart's title): the layout
 * helper writes it only whole, as a comment, so one wrap is drawn and nothing overwrites it. */
Test(sweep_charts, the_title_is_left_to_the_charts_writer)
{
    const char *title = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq";
    char *script = layout(640, 400, title, "x", NULL);
    cr_assert_null(strstr(script, "econsim_title"), "%s", script);
    cr_assert(strstr(script, "# title: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo "
                             "pppp qqqq\n"), "%s", script);
    free(script);
}

Test(sweep_charts, chinese_breaks_between_characters_and_footnotes_take_two_lines_each)
{
    /* 8-point footnotes at 1000x600 hold (1000 - 28) / (8 * 0.55 * 4 / 3) = 165.7 columns: 100
     * characters of Chinese (200 columns) take two lines, the first 82 characters (164 columns) */
    char footnote[512] = "";
    for (int i = 0; i < 100; i++)
        strcat(footnote, "情");
    char *script = layout(1000, 600, "t", footnote, "情景: 林州 (linzhou); 模型: models/county.json");
    char line1[512], line2[512], line3[512];
    cr_assert(literal(script, "econsim_footnote_1", line1, sizeof line1));
    cr_assert(literal(script, "econsim_footnote_2", line2, sizeof line2));
    cr_assert(literal(script, "econsim_footnote_3", line3, sizeof line3));
    cr_assert_eq(text_display_width(line1), 164);
    cr_assert_eq(text_display_width(line2), 36);
    cr_assert_str_eq(line3, "情景: 林州 (linzhou); 模型: models/county.json");
    cr_assert(strstr(script, "econsim_footnote_lines = 3\n"), "%s", script);
    free(script);
}

Test(sweep_charts, text_beyond_two_lines_is_cut_with_an_ellipsis)
{
    char footnote[2048] = "";
    for (int i = 0; i < 100; i++)
        strcat(footnote, "word ");
    /* 640x400: (640 - 21) / (8 * 0.75 * 0.55 * 4 / 3) = 140.7 columns a line */
    char *script = layout(640, 400, "t", footnote, NULL);
    char line2[1024];
    cr_assert(literal(script, "econsim_footnote_2", line2, sizeof line2));
    cr_assert(!strstr(script, "econsim_footnote_3"));
    cr_assert(text_display_width(line2) <= 140);
    size_t n = strlen(line2);
    cr_assert(n > 3 && !strcmp(line2 + n - 3, "…"), "%s", line2);
    free(script);
}

Test(sweep_charts, hostile_text_stays_in_literals_and_comments)
{
    char *script = layout(1000, 600, "it's `touch x`\nset output '/tmp/y'", "a\\\nb @m", NULL);
    /* no line of the script starts a command from the text */
    cr_assert(!strstr(script, "\nset output '/tmp/y'"), "%s", script);
    cr_assert(!strstr(script, "\\\n"), "no backslash ends a line: %s", script);
    /* the title's newline is dropped, so the comment stays one line */
    cr_assert(strstr(script, "# title: it's `touch x`set output '/tmp/y'\n"), "%s", script);
    cr_assert(strstr(script, "econsim_footnote_1 = 'a\\b '.\"\\100\".'m'\n"), "%s", script);
    cr_assert(strstr(script, "# footnote: a/b @m\n"), "a backslash ends no comment: %s", script);
    free(script);
}

Test(sweep_charts, a_line_longer_than_its_buffer_ends_on_a_character)
{
    /* a canvas 8000 wide and 300 tall (scale 0.75) holds (8000 - 21) / 4.4 = 1813.4 footnote
     * columns a line: 3000 Chinese characters (9000 bytes) need four, the two shown end on a
     * character boundary */
    size_t size = 3 * 3000 + 1;
    char *footnote = malloc(size);
    cr_assert(footnote);
    footnote[0] = '\0';
    for (int i = 0; i < 3000; i++)
        strcat(footnote, "情");
    char *script = layout(8000, 300, "t", footnote, NULL);
    static char line1[8192], line2[8192];
    cr_assert(literal(script, "econsim_footnote_1", line1, sizeof line1));
    cr_assert(literal(script, "econsim_footnote_2", line2, sizeof line2));
    cr_assert(text_utf8_valid(line1, strlen(line1), NULL));
    cr_assert(text_utf8_valid(line2, strlen(line2), NULL));
    cr_assert_eq(text_display_width(line1), 1812, "906 characters of two columns");
    cr_assert(strlen(line2) < 4096);
    free(footnote);
    free(script);
}
