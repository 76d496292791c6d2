/* test_history.c: the observations CSV: the shipped data file, RFC 4180 quoting, line ends,
 * byte-order mark, column order, % values, and every error with its exact file:line:col.
 * Fixtures live in tests/data/history/ (paths relative to the repository root, where the
 * tests run); files too big to keep in the tree are generated in a mkdtemp folder. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "mem.h"

#define FIXTURES "tests/data/history/"

static history *load_ok(const char *path)
{
    diag d;
    diag_init(&d);
    history *h = history_load(path, &d);
    cr_assert_not_null(h, "%s: %s", path, d.message);
    cr_assert_eq(d.status, DIAG_OK);
    diag_free(&d);
    return h;
}

/* ---------------------------------------------------------------------------------------- */
/* Files that load */

Test(history, loads_the_shipped_observations)
{
    history *h = load_ok(FIXTURES "observations.csv");
    cr_assert_str_eq(h->path, FIXTURES "observations.csv");
    cr_assert_eq(h->count, 22, "23 lines: the header and 22 observations");

    const history_row *row = history_find(h, "林州市", "fiscal_revenue", 2022, HISTORY_LEVEL);
    cr_assert_not_null(row);
    cr_assert_eq(row->value, 43.54);
    cr_assert_str_eq(row->unit, "亿元");
    cr_assert_str_eq(row->reliability, "A");
    cr_assert_str_eq(row->source, "2023 municipal three-level cadre meeting speech");
    cr_assert_eq(row->line, 9);
    cr_assert_eq(row->kind, HISTORY_LEVEL);

    const history_row *first = &h->rows[0];
    cr_assert_str_eq(first->place, "林州市");
    cr_assert_str_eq(first->indicator, "gdp");
    cr_assert_eq(first->year, 2017);
    cr_assert_eq(first->value, 550.0);
    cr_assert_str_eq(first->source,
                     "2018 blog on Anyang development ('about a quarter of Anyang GDP'), approximate");
    cr_assert_str_eq(first->reliability, "C");
    cr_assert_eq(first->line, 2);

    row = history_find(h, "林州市", "construction_output", 2020, HISTORY_LEVEL);
    cr_assert_not_null(row);
    cr_assert_str_eq(row->source, "news report 2021 (建安产值, all-inclusive incl. work outside the city)");
    cr_assert_eq(row->value, 1500.0);

    row = history_find(h, "林州市", "fiscal_revenue_growth", 2022, HISTORY_GROWTH);
    cr_assert_not_null(row);
    cr_assert_eq(row->value, 0.088);
    cr_assert_str_eq(row->unit, "ratio");
    cr_assert_null(history_find(h, "林州市", "fiscal_revenue_growth", 2022, HISTORY_LEVEL), "kind is part of the key");
    cr_assert_null(history_find(h, "林州市", "fiscal_revenue", 2021, HISTORY_LEVEL));
    cr_assert_null(history_find(h, "新乡市", "gdp", 2022, HISTORY_LEVEL));

    const history_row *last = &h->rows[h->count - 1];
    cr_assert_str_eq(last->place, "巩义市");
    cr_assert_eq(last->value, 962.58);
    cr_assert_eq(last->line, 23);
    history_free(h);
}

Test(history, places_in_file_order)
{
    history *h = load_ok(FIXTURES "observations.csv");
    const char *places[8];
    size_t n = history_places(h, places, 8);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(places[0], "林州市");
    cr_assert_str_eq(places[1], "长垣市");
    cr_assert_str_eq(places[2], "辉县市");
    cr_assert_str_eq(places[3], "巩义市");
    cr_assert_eq(history_places(h, places, 2), 2, "at most max are written");
    cr_assert_str_eq(places[1], "长垣市");
    cr_assert_eq(history_places(h, places, 0), 0);

    cr_assert(history_has_place(h, "辉县市"));
    cr_assert(!history_has_place(h, "辉县"));
    cr_assert(!history_has_place(NULL, "辉县市"));
    history_free(h);
}

Test(history, quoted_fields_with_commas_quotes_and_line_breaks)
{
    history *h = load_ok(FIXTURES "quoted.csv");
    cr_assert_eq(h->count, 3);
    cr_assert_str_eq(h->rows[0].source, "speech, 2023; \"three-level\" meeting");
    cr_assert_str_eq(h->rows[1].source, "line one\nline two");
    cr_assert_eq(h->rows[1].value, 43.54);
    cr_assert_str_eq(h->rows[2].place, "长垣市", "a quoted key field");
    cr_assert_eq(h->rows[2].value, 50.24, "a quoted number");
    cr_assert_str_eq(h->rows[2].source, "");
    cr_assert_str_eq(h->rows[2].reliability, "");
    cr_assert_eq(h->rows[0].line, 2);
    cr_assert_eq(h->rows[1].line, 3);
    cr_assert_eq(h->rows[2].line, 5, "the row after a two-line field starts on line 5");
    history_free(h);
}

Test(history, crlf_line_ends)
{
    history *h = load_ok(FIXTURES "crlf.csv");
    cr_assert_eq(h->count, 2);
    cr_assert_str_eq(h->rows[0].reliability, "A", "no CR left at the end of a line");
    cr_assert_str_eq(h->rows[0].source, "first\nsecond", "CRLF inside quotes reads as LF");
    cr_assert_str_eq(h->rows[1].source, "regional news");
    cr_assert_str_eq(h->rows[1].reliability, "C");
    cr_assert_eq(h->rows[1].value, 590.9);
    cr_assert_eq(h->rows[1].line, 4);
    history_free(h);
}

Test(history, byte_order_mark_is_skipped)
{
    history *h = load_ok(FIXTURES "bom.csv");
    cr_assert_eq(h->count, 1);
    cr_assert_str_eq(h->rows[0].place, "林州市");
    cr_assert_eq(h->rows[0].value, 657.4);
    history_free(h);
}

Test(history, columns_in_any_order_with_extra_ones)
{
    history *h = load_ok(FIXTURES "reordered.csv");
    cr_assert_eq(h->count, 2);
    const history_row *row = history_find(h, "林州市", "fiscal_revenue", 2022, HISTORY_LEVEL);
    cr_assert_not_null(row);
    cr_assert_eq(row->value, 43.54);
    cr_assert_str_eq(row->unit, "亿元");
    cr_assert_str_eq(row->reliability, "A");
    cr_assert_str_eq(row->source, "", "no source column: empty");
    row = history_find(h, "林州市", "fiscal_revenue_growth", 2022, HISTORY_GROWTH);
    cr_assert_not_null(row);
    cr_assert_eq(row->value, 0.088);
    cr_assert_str_eq(row->reliability, "");
    history_free(h);
}

Test(history, percent_values_and_spaces)
{
    history *h = load_ok(FIXTURES "percent.csv");
    cr_assert_eq(h->count, 3);
    cr_assert_eq(h->rows[0].value, 8.8 / 100.0, "8.8%% is 0.088");
    cr_assert(fabs(h->rows[0].value - 0.088) < 1e-15);
    cr_assert_eq(h->rows[1].value, 4.8 / 100.0, "\" 4.8 %% \"");
    cr_assert_eq(h->rows[1].kind, HISTORY_GROWTH, "\" growth \" trimmed");
    cr_assert_eq(h->rows[2].value, -150.0);
    history_free(h);
}

Test(history, blank_lines_are_skipped)
{
    history *h = load_ok(FIXTURES "blank_lines.csv");
    cr_assert_eq(h->count, 2);
    cr_assert_eq(h->rows[0].line, 4);
    cr_assert_eq(h->rows[1].line, 7);
    cr_assert_str_eq(h->rows[1].place, "长垣市");
    history_free(h);
}

Test(history, free_null_is_a_no_op)
{
    history_free(NULL);
    cr_assert_null(history_find(NULL, "a", "b", 2020, HISTORY_LEVEL));
    cr_assert_eq(history_places(NULL, NULL, 0), 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Errors */

typedef struct history_error_case {
    const char *file;     /* in FIXTURES */
    int status;
    const char *expected; /* the message after the path: ":line:col: error: ..." (a prefix) */
    const char *also;     /* another fragment of the message, or NULL */
} history_error_case;

static const history_error_case history_error_cases[] = {
    {"err_empty.csv", DIAG_DATA, ":1:1: error: empty file", NULL},
    {"err_blank_only.csv", DIAG_DATA, ":1:1: error: empty file", NULL},
    {"err_header_only.csv", DIAG_DATA, ":2:1: error: no observations", NULL},
    {"err_missing_column.csv", DIAG_DATA, ":1:1: error: missing required column \"year\"", "did you mean \"years\"?"},
    {"err_duplicate_column.csv", DIAG_DATA, ":1:17: error: column \"place\" appears twice", NULL},
    {"err_field_count_few.csv", DIAG_DATA, ":3:22: error: this row has 5 fields but the header has 8", NULL},
    {"err_field_count_many.csv", DIAG_DATA, ":2:35: error: this row has 9 fields but the header has 8", NULL},
    {"err_unterminated.csv", DIAG_DATA, ":3:29: error: unterminated quoted field", NULL},
    {"err_utf8.csv", DIAG_DATA, ":2:29: error: invalid UTF-8", "GBK"},
    {"err_nul.csv", DIAG_DATA, ":2:16: error: NUL byte", NULL},
    {"err_year.csv", DIAG_DATA, ":2:9: error: bad year \"20x2\"", NULL},
    {"err_year_range.csv", DIAG_DATA, ":3:9: error: year 1800 is outside 1900..2200", NULL},
    {"err_value_nan.csv", DIAG_DATA, ":2:14: error: bad value \"nan\"", NULL},
    {"err_value_inf.csv", DIAG_DATA, ":2:14: error: bad value \"inf\"", NULL},
    {"err_value_overflow.csv", DIAG_DATA, ":2:14: error: value 1e999 is out of range", NULL},
    {"err_value_hex.csv", DIAG_DATA, ":2:14: error: bad value \"0x1A\"", NULL},
    {"err_value_empty.csv", DIAG_DATA, ":2:14: error: empty value", NULL},
    {"err_value_comma.csv", DIAG_DATA, ":2:14: error: bad value \"1,234\"", "decimal number"},
    {"err_kind.csv", DIAG_DATA, ":2:23: error: kind \"stock\" is not allowed: use level or growth", NULL},
    {"err_duplicate.csv", DIAG_DATA, ":4:1: error: duplicate observation of 林州市 gdp 2022 (level)",
     "first given on line 2"},
    {"err_crlf_value.csv", DIAG_DATA, ":4:14: error: bad value \"59o.9\"", NULL},
    {"err_stray_quote.csv", DIAG_DATA, ":2:34: error: quote inside an unquoted field", NULL},
    {"err_after_quote.csv", DIAG_DATA, ":2:36: error: unexpected text after the closing quote", NULL},
    {"err_bare_cr.csv", DIAG_DATA, ":2:34: error: carriage return without a line feed", NULL},
    {"err_empty_place.csv", DIAG_DATA, ":2:1: error: empty place", NULL},
    {"no_such_file.csv", DIAG_NO_INPUT, ": error: cannot open: No such file or directory", NULL},
};

Test(history, every_error_says_where)
{
    for (size_t i = 0; i < sizeof history_error_cases / sizeof history_error_cases[0]; i++) {
        const history_error_case *c = &history_error_cases[i];
        char path[256], expected[512];
        snprintf(path, sizeof path, FIXTURES "%s", c->file);
        snprintf(expected, sizeof expected, "%s%s", path, c->expected);
        diag d;
        diag_init(&d);
        history *h = history_load(path, &d);
        cr_expect_null(h, "%s: loaded but should fail", path);
        history_free(h);
        cr_expect_eq(d.status, c->status, "%s: status %d, expected %d", path, d.status, c->status);
        cr_expect(strncmp(d.message, expected, strlen(expected)) == 0, "%s:\n got      %s\n expected %s...", path,
                  d.message, expected);
        if (c->also)
            cr_expect(strstr(d.message, c->also) != NULL, "%s: \"%s\" lacks \"%s\"", path, d.message, c->also);
        diag_free(&d);
    }
}

Test(history, a_folder_is_not_input)
{
    diag d;
    diag_init(&d);
    cr_assert_null(history_load("tests/data/history", &d));
    cr_assert_eq(d.status, DIAG_NO_INPUT);
    cr_assert_str_eq(d.message, "tests/data/history: error: cannot read: Is a directory");
}

/* ---------------------------------------------------------------------------------------- */
/* Caps, with generated files */

/* A mkdtemp folder for generated files; removed by history_scratch_remove. */
static char history_scratch[64];

static const char *history_scratch_file(const char *name)
{
    static char path[128];
    if (!history_scratch[0]) {
        strcpy(history_scratch, "/tmp/econsim-history-XXXXXX");
        cr_assert_not_null(mkdtemp(history_scratch));
    }
    snprintf(path, sizeof path, "%s/%s", history_scratch, name);
    return path;
}

static void history_scratch_remove(const char *path)
{
    cr_expect_eq(unlink(path), 0);
    cr_expect_eq(rmdir(history_scratch), 0);
    history_scratch[0] = '\0';
}

/* Writes the header and one row whose source is `length` bytes of 'x', quoted or not. */
static const char *write_long_field(size_t length, int quoted, int closed)
{
    const char *path = history_scratch_file("long.csv");
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("place,indicator,year,value,unit,kind,source,reliability\n林州市,gdp,2022,657.4,亿元,level,", f);
    if (quoted)
        putc('"', f);
    for (size_t i = 0; i < length; i++)
        putc('x', f);
    if (quoted && closed)
        putc('"', f);
    fputs(",A\n", f);
    cr_assert_eq(fclose(f), 0);
    return path;
}

Test(history, field_length_cap)
{
    const char *path = write_long_field(HISTORY_MAX_FIELD, 1, 1);
    history *h = load_ok(path);
    cr_assert_eq(strlen(h->rows[0].source), HISTORY_MAX_FIELD, "exactly the cap is fine");
    history_free(h);
    history_scratch_remove(path);

    char expected[256];
    diag d;
    diag_init(&d);
    path = write_long_field(HISTORY_MAX_FIELD + 1, 0, 0);
    cr_assert_null(history_load(path, &d));
    snprintf(expected, sizeof expected, "%s:2:29: error: field is longer than %d bytes", path, HISTORY_MAX_FIELD);
    cr_assert_str_eq(d.message, expected);
    cr_assert_eq(d.status, DIAG_DATA);
    history_scratch_remove(path);

    diag_init(&d);
    path = write_long_field(2 * HISTORY_MAX_FIELD, 1, 0);
    cr_assert_null(history_load(path, &d));
    snprintf(expected, sizeof expected, "%s:2:29: error: quoted field is longer than %d bytes", path,
             HISTORY_MAX_FIELD);
    cr_assert(strncmp(d.message, expected, strlen(expected)) == 0, "%s", d.message);
    cr_assert(strstr(d.message, "closing quote missing") != NULL, "%s", d.message);
    history_scratch_remove(path);
}

Test(history, row_count_cap, .timeout = 120)
{
    const char *path = history_scratch_file("many.csv");
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("place,indicator,year,value,unit,kind\n", f);
    for (long i = 0; i <= HISTORY_MAX_ROWS; i++)
        fprintf(f, "p,i%ld,2000,1,u,level\n", i);
    cr_assert_eq(fclose(f), 0);
    diag d;
    diag_init(&d);
    cr_assert_null(history_load(path, &d));
    char expected[256];
    snprintf(expected, sizeof expected, "%s:%d:1: error: more than %d observation rows", path, HISTORY_MAX_ROWS + 2,
             HISTORY_MAX_ROWS);
    cr_assert_str_eq(d.message, expected);
    cr_assert_eq(d.status, DIAG_DATA);
    history_scratch_remove(path);
}

/* ---------------------------------------------------------------------------------------- */
/* Out of memory */

static void expect_clean_oom(const char *path)
{
    int loaded = 0;
    for (long n = 0; n < 200 && !loaded; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        history *h = history_load(path, &d);
        mem_fail_reset();
        if (h) {
            loaded = 1;
            cr_expect_eq(d.status, DIAG_OK);
            history_free(h);
        } else {
            cr_expect_eq(d.status, DIAG_SOFTWARE, "%s, after %ld allocations: %s", path, n, d.message);
            cr_expect(strstr(d.message, "out of memory") != NULL, "%s", d.message);
        }
        diag_free(&d);
    }
    cr_expect(loaded, "%s never loaded", path);
}

Test(history, every_allocation_failure_is_reported)
{
    expect_clean_oom(FIXTURES "observations.csv");
    expect_clean_oom(FIXTURES "quoted.csv");
    expect_clean_oom(FIXTURES "reordered.csv");

    /* enough rows and columns that every array grows more than once */
    const char *path = history_scratch_file("grow.csv");
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("place,indicator,year,value,unit,kind", f);
    for (int c = 0; c < 40; c++)
        fprintf(f, ",extra%d", c);
    fputc('\n', f);
    for (int i = 0; i < 300; i++) {
        fprintf(f, "p%d,gdp,%d,%d.5,u,growth", i % 7, 1900 + i, i);
        for (int c = 0; c < 40; c++)
            fputs(",x", f);
        fputc('\n', f);
    }
    cr_assert_eq(fclose(f), 0);
    expect_clean_oom(path);
    history_scratch_remove(path);
}

/* ---------------------------------------------------------------------------------------- */
/* Series breaks and as-of views */

Test(history, series_break_column)
{
    history *h = load_ok(FIXTURES "series_break.csv");
    cr_assert_eq(h->count, 4);
    const history_row *old = history_find(h, "林州市", "gdp", 2018, HISTORY_LEVEL);
    const history_row *revised = history_find(h, "林州市", "gdp", 2019, HISTORY_LEVEL);
    cr_assert_str_eq(old->series_break, "");
    cr_assert_str_eq(revised->series_break, "4th economic census, 2018");
    /* without the column every row has an empty break */
    history *plain = load_ok(FIXTURES "observations.csv");
    for (size_t i = 0; i < plain->count; i++)
        cr_assert_str_eq(plain->rows[i].series_break, "");
    history_free(plain);
    history_free(h);
}

Test(history, series_break_on_a_growth_rate_is_an_error)
{
    diag d;
    diag_init(&d);
    history *h = history_load(FIXTURES "err_break_on_growth.csv", &d);
    cr_assert_null(h);
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert(strstr(d.message, FIXTURES "err_break_on_growth.csv:3:44: error: series_break is for a level"),
              "%s", d.message);
    diag_free(&d);
}

Test(history, keep_until_and_view_until)
{
    history *h = load_ok(FIXTURES "observations.csv");
    size_t all = h->count, later = 0;
    for (size_t i = 0; i < all; i++)
        later += h->rows[i].year > 2017;
    history *view = history_view_until(h, 2017);
    cr_assert_not_null(view);
    cr_assert_eq(view->count, all - later);
    for (size_t i = 0; i < view->count; i++)
        cr_assert_leq(view->rows[i].year, 2017);
    cr_assert_eq(view->rows[0].place, h->rows[0].place, "a view shares the strings of its history");
    history_free(view);
    cr_assert_eq(history_keep_until(h, 2017), later);
    cr_assert_eq(h->count, all - later);
    cr_assert_eq(history_keep_until(h, 2017), 0, "a second cut drops nothing");
    cr_assert_eq(h->rows[0].line, 2, "file order and lines are kept");
    history_free(h);
}
