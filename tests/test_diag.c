/* test_diag.c: a diag keeps every error of a load, each once, with the exit code a planner
 * needs (a missing input over bad data), and prints them sorted by file and position. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "i18n.h"

/* diag_print into a string (caller frees). */
static char *printed(const diag *d)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    diag_print(d, "econsim", f);
    fclose(f);
    return text;
}

Test(diag, every_error_is_kept_once_and_the_first_sets_the_message)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(diag_error_json(&d, DIAG_DATA, "s.json", "$.a", "first"), DIAG_DATA);
    diag_error_json(&d, DIAG_DATA, "s.json", "$.b", "second");
    diag_error_json(&d, DIAG_DATA, "s.json", "$.a", "first");
    cr_assert_eq(d.error_count, 2, "the same message twice is one error");
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert_str_eq(d.message, "s.json: $.a: error: first");
    diag_free(&d);
}

Test(diag, a_missing_input_wins_over_bad_data_and_out_of_memory_over_both)
{
    diag d;
    diag_init(&d);
    diag_error_json(&d, DIAG_DATA, "s.json", "$.a", "bad value");
    diag_error_file(&d, DIAG_NO_INPUT, "m.json", "cannot open: No such file or directory");
    diag_error_json(&d, DIAG_DATA, "s.json", "$.b", "another bad value");
    cr_assert_eq(d.status, DIAG_NO_INPUT);
    cr_assert_str_eq(d.message, "m.json: error: cannot open: No such file or directory");
    diag_oom(&d, "loading");
    cr_assert_eq(d.status, DIAG_SOFTWARE);
    diag_free(&d);
}

Test(diag, printed_sorted_by_file_then_position_warnings_first)
{
    diag d;
    diag_init(&d);
    diag_warning(&d, "a warning");
    diag_warning(&d, "a warning");
    diag_error_at(&d, DIAG_DATA, "b.csv", 9, 3, "late in b");
    diag_error_json(&d, DIAG_DATA, "a.json", "$.x", "no position in a");
    diag_error_at(&d, DIAG_DATA, "a.json", 7, 1, "line 7 of a");
    diag_error(&d, DIAG_DATA, "no file");
    diag_error_at(&d, DIAG_DATA, "a.json", 2, 5, "line 2 of a");
    diag_error_at(&d, DIAG_DATA, "b.csv", 1, 1, "early in b");
    d.errors[1].line = 5; /* as jsonfile_locate_diag would set it */
    char *text = printed(&d);
    cr_assert_str_eq(text, "econsim: warning: a warning\n"
                           "b.csv:1:1: error: early in b\n"
                           "b.csv:9:3: error: late in b\n"
                           "a.json:2:5: error: line 2 of a\n"
                           "a.json: $.x: error: no position in a\n"
                           "a.json:7:1: error: line 7 of a\n"
                           "error: no file\n");
    free(text);
    diag_free(&d);
}

Test(diag, at_most_fifty_errors_then_a_count)
{
    diag d;
    diag_init(&d);
    for (int i = 0; i < 53; i++)
        diag_error_at(&d, DIAG_DATA, "f.csv", i + 1, 1, "bad row %d", i + 1);
    cr_assert_eq(d.error_count, DIAG_MAX_ERRORS);
    cr_assert_eq(diag_error_total(&d), 53);
    char *text = printed(&d);
    cr_assert(strstr(text, "f.csv:50:1: error: bad row 50\neconsim: error: 3 more errors not shown (the first 50 are above)\n"),
              "%s", text);
    free(text);
    diag_free(&d);
}

Test(diag, merge_moves_errors_and_warnings)
{
    diag a, b;
    diag_init(&a);
    diag_init(&b);
    diag_error_json(&a, DIAG_DATA, "s.json", "$.a", "one");
    diag_warning(&b, "careful");
    diag_error_file(&b, DIAG_NO_INPUT, "g.json", "cannot open");
    diag_merge(&a, &b);
    cr_assert_eq(b.status, DIAG_OK);
    cr_assert_eq(a.error_count, 2);
    cr_assert_eq(a.warning_count, 1);
    cr_assert_eq(a.status, DIAG_NO_INPUT);
    diag_free(&a);
}

/* The "error: " label diag adds is taken off where an error is passed on as a warning, at the
 * start or after the location, in English and in the translated form. */
Test(diag, the_error_label_comes_off_in_english_and_in_chinese)
{
    char located[] = "f.json:3:4: error: bad year", json[] = "f.json: $.goals[0]: error: bad", bare[] = "error: x",
         none[] = "nothing: to strip";
    diag_strip_label(located);
    diag_strip_label(json);
    diag_strip_label(bare);
    diag_strip_label(none);
    cr_assert_str_eq(located, "f.json:3:4: bad year");
    cr_assert_str_eq(json, "f.json: $.goals[0]: bad");
    cr_assert_str_eq(bare, "x");
    cr_assert_str_eq(none, "nothing: to strip");
    cr_assert_str_eq(diag_skip_label("error: gnuplot failed"), "gnuplot failed");
    cr_assert_str_eq(diag_skip_label("gnuplot failed"), "gnuplot failed");

    i18n_language zh = I18N_CHINESE;
    i18n_setup(&zh);
    diag d;
    diag_init(&d);
    diag_error_at(&d, DIAG_DATA, "obs.csv", 4, 32, "%s", _("empty year"));
    cr_assert_str_eq(d.message, "obs.csv:4:32: 错误：年份为空");
    diag_warning(&d, "%s", _("empty place"));
    char *text = printed(&d);
    cr_assert_str_eq(text, "econsim: 警告：地区为空\nobs.csv:4:32: 错误：年份为空\n", "%s", text);
    free(text);
    char copy[sizeof d.message];
    snprintf(copy, sizeof copy, "%s", d.message);
    diag_strip_label(copy);
    cr_assert_str_eq(copy, "obs.csv:4:32: 年份为空");
    cr_assert_str_eq(diag_skip_label("错误：无法打开"), "无法打开");
    diag_free(&d);
}
