/* test_plot.c: gnuplot without a shell. plot_quote against gnuplot's own parser (every trap of
 * DESIGN §4 rule 5 goes through the real gnuplot and must come back as the same text, with no
 * command run), the script builder's records of misuse, the runner (arguments, working folder,
 * environment, exit status, error text, a bounded standard error, the timeout) with stand-in
 * gnuplot programs, the PATH search, the templates folder, and the PDF date fix.
 *
 * Tests that need the real gnuplot fail (they are not skipped) when it is missing: `make
 * check` installs it (mk/deps.sh), so CI always runs them. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "plot.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

static void write_text(const char *path, const char *text, int executable)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    if (executable)
        cr_assert_eq(chmod(path, 0755), 0);
}

/* The whole file as a string (caller frees); NULL when missing. */
static char *read_text(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t capacity = 1 << 16, used = 0;
    char *text = malloc(capacity + 1);
    size_t got;
    while ((got = fread(text + used, 1, capacity - used, f)) > 0) {
        used += got;
        if (used == capacity)
            text = realloc(text, (capacity *= 2) + 1);
    }
    fclose(f);
    text[used] = '\0';
    if (length)
        *length = used;
    return text;
}

/* Removes every file in dir and dir itself. */
static void remove_dir(const char *dir)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return;
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL)
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            unlink(testutil_join(dir, entry->d_name));
    closedir(handle);
    rmdir(dir);
}

/* Number of entries in dir (without . and ..). */
static int count_entries(const char *dir)
{
    DIR *handle = opendir(dir);
    cr_assert_not_null(handle);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL)
        count += strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..");
    closedir(handle);
    return count;
}

static const char *real_gnuplot(void)
{
    static char path[4096];
    cr_assert(plot_gnuplot_find(path, sizeof path),
              "gnuplot is needed for this test and is not on PATH: run make deps (Debian: gnuplot-nox)");
    return path;
}

/* ---------------------------------------------------------------------------------------- */
/* plot_quote */

static void check_quote(const char *text, const char *expected)
{
    char *quoted = plot_quote(text);
    cr_assert_not_null(quoted);
    cr_assert_str_eq(quoted, expected, "plot_quote(\"%s\")", text);
    mem_free(quoted);
}

Test(plot, quote_forms)
{
    check_quote("abc", "'abc'");
    check_quote("", "''");
    check_quote(NULL, "''");
    check_quote("\n\r", "''");
    check_quote("it's", "'it'.\"\\047\".'s'");
    check_quote("'", "\"\\047\"");
    check_quote("''", "\"\\047\".\"\\047\"");
    check_quote("a\"@b", "'a'.\"\\042\".\"\\100\".'b'");
    /* control characters go; UTF-8, backquotes, backslashes, % and # stay */
    check_quote("a\nb\r\tc\x7f" "d\x01", "'abcd'");
    check_quote("`x` \\ %s #c 中文", "'`x` \\ %s #c 中文'");
    /* C1 controls and bidirectional overrides are not text either (U+009B is a CSI, U+202E
     * would draw the rest backwards); their neighbours in the same blocks stay */
    check_quote("a\xc2\x9b" "b\xc2\x85" "c\xe2\x80\xae" "d\xe2\x81\xa6" "e\xe2\x80\x8f" "f", "'abcdef'");
    check_quote("\xc2\xa0\xe2\x80\x94\xe2\x80\xa6", "'\xc2\xa0\xe2\x80\x94\xe2\x80\xa6'");
}

/* Every trap goes through gnuplot's parser and comes back as the same text (control
 * characters dropped), and no command runs: the payloads would create files in the folder. */
Test(plot, quoted_text_reads_back_exactly_in_gnuplot)
{
    static const char *const texts[] = {
        /* t0 holds a payload; the next ones try to paste it into the command line with a
         * macro, which gnuplot would expand if its quote tracking were fooled */
        "Q'.system(\"touch pwned-macro\").'",
        "'@t0",
        "\"@t0",
        "'\"'@t0",
        "\"'@t0 '\"@t0",
        "plain text 林州市 2023 年目标情景",
        "it's",
        "'",
        "''",
        "'''x'''",
        "'leading",
        "trailing'",
        "a''b",
        "back\\slash\\",
        "\\",
        "\"",
        "`touch pwned-backquote`",
        "\"`touch pwned-double-quoted`\"",
        "system(\"touch pwned-system\")",
        "'.system(\"touch pwned-concat\").'",
        "\".system(\"touch pwned-concat2\").\"",
        "@econsim_output @macro",
        "^{x}_{y} &{space} {/Symbol a} ~a{.8-}",
        "line1\n!touch pwned-bang\nline3",
        "\r\nEOD\n",
        "| touch pwned-pipe",
        "< cat /etc/passwd",
        "%s %d %% 100%",
        "#not a comment",
        "a\x01" "b\x7f" "c",
        "\\\nprint 'continued'",
    };
    size_t count = sizeof texts / sizeof texts[0];
    const char *dir = testutil_make_dir("plot");
    /* the script: assign each text, then print it alone on a line */
    size_t capacity = 65536;
    char *script = malloc(capacity);
    strcpy(script, "set print econsim_output\n");
    for (size_t i = 0; i < count; i++) {
        char *quoted = plot_quote(texts[i]);
        cr_assert_not_null(quoted);
        size_t used = strlen(script);
        snprintf(script + used, capacity - used, "t%zu = %s\nprint t%zu\n", i, quoted, i);
        mem_free(quoted);
    }
    write_text(testutil_join(dir, "quote.gp"), script, 0);
    free(script);
    diag d;
    diag_init(&d);
    char messages[PLOT_ERRORS_MAX + 1];
    int status = plot_run_gnuplot(real_gnuplot(), dir, "quote.gp", "printed.txt", 30, "quote test", messages,
                                  sizeof messages, &d);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    cr_assert_str_empty(messages, "gnuplot said: %s", messages);
    diag_free(&d);
    char *printed = read_text(testutil_join(dir, "printed.txt"), NULL);
    cr_assert_not_null(printed);
    const char *line = printed;
    for (size_t i = 0; i < count; i++) {
        char expected[256];
        size_t n = 0;
        for (const unsigned char *c = (const unsigned char *)texts[i]; *c; c++)
            if (*c >= 0x20 && *c != 0x7f)
                expected[n++] = (char)*c;
        expected[n] = '\0';
        size_t length = strcspn(line, "\n");
        cr_assert_eq(length, n, "text %zu: gnuplot read \"%.*s\", expected \"%s\"", i, (int)length, line, expected);
        cr_assert(!memcmp(line, expected, n), "text %zu: gnuplot read \"%.*s\", expected \"%s\"", i, (int)length, line,
                  expected);
        line += length + (line[length] == '\n');
    }
    cr_assert_str_empty(line, "more output than texts: %s", line);
    free(printed);
    /* only the script and its output: no payload created a file */
    cr_assert_eq(count_entries(dir), 2);
    remove_dir(dir);
}

/* A comment holds whatever text it is given, and stays one comment line: a newline cannot end
 * it (the next line would run as a command) and a trailing backslash cannot continue it
 * (swallowing the next command). Each comment is followed by a print that must run. */
Test(plot, comments_stay_comments_in_gnuplot)
{
    static const char *const texts[] = {
        "unit\n!touch pwned-bang\nsystem(\"touch pwned-sys\")\n",
        "ends with a backslash \\",
        "\\",
        "\\\n\\\r\n",
        "\rsystem(\"touch pwned-cr\")",
        "`touch pwned-backquote` @macro ' \" #",
        "亿元\x1b[31m red \x7f\x01",
        "a\\\nprint 'continued'",
    };
    size_t count = sizeof texts / sizeof texts[0];
    plot_script *s = plot_script_new();
    cr_assert_not_null(s);
    plot_script_append(s, "set print econsim_output\n");
    for (size_t i = 0; i < count; i++) {
        plot_script_comment(s, "text %zu: %s", i, texts[i]);
        plot_script_printf(s, "print 'after %zu'\n", i);
    }
    size_t length = 0;
    const char *text = plot_script_text(s, &length);
    cr_assert_not_null(text);
    /* one comment line per text: no control character and no backslash survives */
    for (size_t i = 0; i < length; i++)
        cr_assert(text[i] == '\n' || ((unsigned char)text[i] >= 0x20 && text[i] != 0x7f && text[i] != '\\'),
                  "byte %zu is 0x%02x", i, (unsigned char)text[i]);
    cr_assert(strstr(text, "# text 1: ends with a backslash /\nprint 'after 1'\n") != NULL, "%s", text);
    cr_assert(strstr(text, "# text 0: unit!touch pwned-bangsystem(\"touch pwned-sys\")\n") != NULL, "%s", text);
    const char *dir = testutil_make_dir("plot-comments");
    write_text(testutil_join(dir, "comments.gp"), text, 0);
    plot_script_free(s);
    diag d;
    diag_init(&d);
    char messages[PLOT_ERRORS_MAX + 1];
    cr_assert_eq(plot_run_gnuplot(real_gnuplot(), dir, "comments.gp", "printed.txt", 30, "comment test", messages,
                                  sizeof messages, &d),
                 DIAG_OK, "%s", d.message);
    cr_assert_str_empty(messages, "gnuplot said: %s", messages);
    diag_free(&d);
    char *printed = read_text(testutil_join(dir, "printed.txt"), NULL);
    cr_assert_not_null(printed);
    char expected[512] = "";
    for (size_t i = 0; i < count; i++)
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "after %zu\n", i);
    cr_assert_str_eq(printed, expected, "every command after a comment ran, and only those");
    free(printed);
    cr_assert_eq(count_entries(dir), 2, "no payload created a file");
    remove_dir(dir);

    /* inside a datablock a comment is refused like any text */
    s = plot_script_new();
    plot_script_datablock_begin(s, "data");
    plot_script_comment(s, "x");
    cr_assert_null(plot_script_text(s, NULL));
    plot_script_free(s);
}

/* ---------------------------------------------------------------------------------------- */
/* Script builder */

Test(plot, script_variables_arrays_and_datablocks)
{
    plot_script *s = plot_script_new();
    cr_assert_not_null(s);
    plot_script_string(s, "title", "林州 'x'");
    plot_script_number(s, "width", 1000);
    plot_script_number(s, "missing", NAN);
    const char *labels[] = {"a", NULL, "b'c"};
    plot_script_string_array(s, "labels", labels, 3);
    plot_script_string_array(s, "none", labels, 0);
    const double numbers[] = {1.5, 0.1, -2e-300};
    plot_script_number_array(s, "numbers", numbers, 3);
    plot_script_datablock_begin(s, "data");
    double row[2] = {2023, 720.64};
    plot_script_datablock_row(s, row, 2);
    plot_script_datablock_gap(s);
    double row2[2] = {2024, INFINITY};
    plot_script_datablock_row(s, row2, 2);
    plot_script_datablock_end(s);
    size_t length = 0;
    const char *text = plot_script_text(s, &length);
    cr_assert_not_null(text);
    cr_assert_eq(length, strlen(text));
    cr_assert_str_eq(text, "title = '林州 '.\"\\047\".'x'.\"\\047\"\n"
                           "width = 1000\n"
                           "missing = NaN\n"
                           "labels_count = 3\n"
                           "array labels[3] = [ \\\n"
                           "    'a', \\\n"
                           "    '', \\\n"
                           "    'b'.\"\\047\".'c']\n"
                           "none_count = 0\n"
                           "numbers_count = 3\n"
                           "array numbers[3] = [1.5, 0.1, -2e-300]\n"
                           "$data << EOD\n"
                           "2023 720.64\n"
                           "\n"
                           "2024 NaN\n"
                           "EOD\n");
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_script_finish(s, "chart", &d), DIAG_OK);
    diag_free(&d);
    plot_script_free(s);
}

Test(plot, script_records_misuse)
{
    static const char *const bad_names[] = {"", "1x", "a b", "a-b", "$x", "x\n", NULL};
    static const char *const one_line[] = {"text"};
    for (size_t i = 0; bad_names[i]; i++)
        for (int setter = 0; setter < 4; setter++) {
            plot_script *s = plot_script_new();
            if (setter == 0)
                plot_script_string(s, bad_names[i], "text");
            else if (setter == 1)
                plot_script_string_lines(s, bad_names[i], one_line, 1);
            else if (setter == 2)
                plot_script_string_cut(s, bad_names[i], "text", 10);
            else
                plot_script_number(s, bad_names[i], 1.5);
            cr_assert_null(plot_script_text(s, NULL), "name \"%s\" accepted by setter %d", bad_names[i], setter);
            diag d;
            diag_init(&d);
            cr_assert_eq(plot_script_finish(s, "charts/x.png", &d), DIAG_SOFTWARE);
            cr_assert(strstr(d.message, "charts/x.png") && strstr(d.message, "identifier"), "%s", d.message);
            diag_free(&d);
            plot_script_free(s);
        }
    /* text inside a datablock could end it or hold anything: refused */
    plot_script *s = plot_script_new();
    plot_script_datablock_begin(s, "data");
    plot_script_append(s, "EOD\n");
    cr_assert_null(plot_script_text(s, NULL));
    plot_script_free(s);
    /* a datablock left open is an error too */
    s = plot_script_new();
    plot_script_datablock_begin(s, "data");
    diag d;
    diag_init(&d);
    cr_assert_null(plot_script_text(s, NULL));
    cr_assert_eq(plot_script_finish(s, "x", &d), DIAG_SOFTWARE);
    diag_free(&d);
    plot_script_free(s);
    /* rows and gaps outside a datablock */
    s = plot_script_new();
    double row[1] = {1};
    plot_script_datablock_row(s, row, 1);
    cr_assert_null(plot_script_text(s, NULL));
    plot_script_free(s);
    plot_script_free(NULL);
}

Test(plot, script_out_of_memory_is_recorded)
{
    plot_script *s = plot_script_new();
    cr_assert_not_null(s);
    mem_fail_after(0);
    char big[8192];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    plot_script_append(s, big); /* needs to grow: fails */
    plot_script_string(s, "t", "text");
    mem_fail_reset();
    cr_assert_null(plot_script_text(s, NULL));
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_script_finish(s, "x", &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "out of memory"), "%s", d.message);
    diag_free(&d);
    plot_script_free(s);
    mem_fail_after(0);
    cr_assert_null(plot_quote("x"));
    cr_assert_null(plot_script_new());
    mem_fail_reset();
}

Test(plot, format_names)
{
    plot_format f = PLOT_PNG;
    cr_assert(plot_format_parse("svg", &f) && f == PLOT_SVG);
    cr_assert(plot_format_parse("pdf", &f) && f == PLOT_PDF);
    cr_assert(plot_format_parse("png", &f) && f == PLOT_PNG);
    cr_assert(!plot_format_parse("PNG", &f));
    cr_assert(!plot_format_parse("jpeg", &f));
    cr_assert(!plot_format_parse(NULL, &f));
    cr_assert_str_eq(plot_format_name(PLOT_PDF), "pdf");
}

/* ---------------------------------------------------------------------------------------- */
/* Finding gnuplot */

Test(plot, gnuplot_found_on_path_only)
{
    const char *dir = testutil_make_dir("plot");
    char path[4096];
    setenv("PATH", dir, 1);
    cr_assert(!plot_gnuplot_find(path, sizeof path));
    cr_assert_str_empty(path);
    write_text(testutil_join(dir, "gnuplot"), "#!/bin/sh\nexit 0\n", 0); /* not executable */
    cr_assert(!plot_gnuplot_find(path, sizeof path));
    cr_assert_eq(chmod(testutil_join(dir, "gnuplot"), 0755), 0);
    char search[2048];
    snprintf(search, sizeof search, "/nonexistent-econsim:%s", dir);
    setenv("PATH", search, 1);
    cr_assert(plot_gnuplot_find(path, sizeof path));
    cr_assert_str_eq(path, testutil_join(dir, "gnuplot"));
    remove_dir(dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Running gnuplot: stand-ins that report what they were given */

/* Installs a stand-in gnuplot (a shell script) in dir and returns its path. */
static const char *stand_in(const char *dir, const char *body)
{
    char script[4096];
    snprintf(script, sizeof script, "#!/bin/sh\n%s\n", body);
    const char *path = testutil_join(dir, "gnuplot");
    write_text(path, script, 1);
    return path;
}

Test(plot, runner_arguments_folder_environment)
{
    const char *dir = testutil_make_dir("plot");
    mkdir(testutil_join(dir, "work"), 0755);
    const char *gnuplot = stand_in(dir, "{ pwd; for a in \"$@\"; do echo \"[$a]\"; done; echo \"epoch=$SOURCE_DATE_EPOCH\";"
                                        " cat; echo end; } > seen.txt; echo drawn > x.png.tmp");
    unsetenv("SOURCE_DATE_EPOCH");
    diag d;
    diag_init(&d);
    char messages[64] = "stale";
    int status = plot_run_gnuplot(gnuplot, testutil_join(dir, "work"), "gdp.gp.tmp.AbC123", "x.png.tmp", 10, "chart x", messages,
                                  sizeof messages, &d);
    cr_assert_eq(status, DIAG_OK, "%s", d.message);
    cr_assert_str_empty(messages);
    diag_free(&d);
    char *seen = read_text(testutil_join(testutil_join(dir, "work"), "seen.txt"), NULL);
    cr_assert_not_null(seen);
    char expected[8192];
    char real_work[4096];
    cr_assert_not_null(realpath(testutil_join(dir, "work"), real_work));
    /* stdin is /dev/null: cat prints nothing */
    snprintf(expected, sizeof expected,
             "%s\n[-d]\n[-e]\n[econsim_output='x.png.tmp']\n[gdp.gp.tmp.AbC123]\nepoch=0\nend\n", real_work);
    cr_assert_str_eq(seen, expected);
    free(seen);
    /* the caller's SOURCE_DATE_EPOCH is passed on as it is */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, testutil_join(dir, "work"), "a.gp", "x.png.tmp", 10, "chart x", NULL, 0, &d),
                 DIAG_OK);
    diag_free(&d);
    seen = read_text(testutil_join(testutil_join(dir, "work"), "seen.txt"), NULL);
    cr_assert(strstr(seen, "epoch=1700000000\n"), "%s", seen);
    free(seen);
    unlink(testutil_join(testutil_join(dir, "work"), "seen.txt"));
    unlink(testutil_join(testutil_join(dir, "work"), "x.png.tmp"));
    rmdir(testutil_join(dir, "work"));
    remove_dir(dir);
}

Test(plot, runner_refuses_names_that_are_not_plain)
{
    const char *dir = testutil_make_dir("plot");
    const char *gnuplot = stand_in(dir, "touch ran");
    static const char *const names[] = {"a b.gp", "|touch x", "<x", "../x.gp", "x'y.gp", "", ".", "..", "a/b.gp",
                                        NULL};
    for (size_t i = 0; names[i]; i++) {
        diag d;
        diag_init(&d);
        cr_assert_eq(plot_run_gnuplot(gnuplot, dir, names[i], "x.png", 10, "chart", NULL, 0, &d), DIAG_SOFTWARE,
                     "script name \"%s\"", names[i]);
        diag_free(&d);
        diag_init(&d);
        cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "x.gp", names[i], 10, "chart", NULL, 0, &d), DIAG_SOFTWARE,
                     "output name \"%s\"", names[i]);
        diag_free(&d);
    }
    cr_assert_neq(access(testutil_join(dir, "ran"), F_OK), 0, "gnuplot ran");
    remove_dir(dir);
}

Test(plot, runner_reports_exit_status_and_error_text)
{
    const char *dir = testutil_make_dir("plot");
    const char *gnuplot = stand_in(dir, "echo '\"gdp.gp\" line 3: undefined variable: x' >&2; exit 1");
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "gdp.gp", "gdp.png", 10, "chart out/charts/gdp.png", NULL, 0, &d),
                 DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "chart out/charts/gdp.png: gnuplot failed (exit status 1): \"gdp.gp\" line 3: "
                                "undefined variable: x"),
              "%s", d.message);
    diag_free(&d);
    /* warnings with a zero exit are returned, not errors */
    gnuplot = stand_in(dir, "echo 'warning: something' >&2; exit 0");
    char messages[256];
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "gdp.gp", "gdp.png", 10, "chart", messages, sizeof messages, &d),
                 DIAG_OK);
    cr_assert_str_eq(messages, "warning: something");
    diag_free(&d);
    /* killed by a signal */
    gnuplot = stand_in(dir, "kill -9 $$");
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "gdp.gp", "gdp.png", 10, "chart", NULL, 0, &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "killed by signal 9"), "%s", d.message);
    diag_free(&d);
    /* a program that cannot be executed */
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(testutil_join(dir, "missing"), dir, "gdp.gp", "gdp.png", 10, "chart", NULL, 0, &d),
                 DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "could not be started"), "%s", d.message);
    diag_free(&d);
    /* a working folder that does not exist */
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, testutil_join(dir, "nowhere"), "gdp.gp", "gdp.png", 10, "chart", NULL, 0, &d),
                 DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "cannot enter the charts folder"), "%s", d.message);
    diag_free(&d);
    remove_dir(dir);
}

Test(plot, runner_keeps_a_bounded_error_text)
{
    const char *dir = testutil_make_dir("plot");
    /* 400 KB on standard error: more than a pipe holds, so the runner must keep reading */
    const char *gnuplot = stand_in(dir, "i=0; while [ $i -lt 4000 ]; do echo "
                                        "'0123456789012345678901234567890123456789012345678901234567890123456789"
                                        "012345678901234567890123456789' >&2; i=$((i+1)); done; exit 3");
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "gdp.gp", "gdp.png", 30, "chart", NULL, 0, &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "exit status 3"), "%s", d.message);
    cr_assert_lt(strlen(d.message), sizeof d.message);
    diag_free(&d);
    remove_dir(dir);
}

Test(plot, runner_stops_gnuplot_after_the_timeout)
{
    const char *dir = testutil_make_dir("plot");
    const char *gnuplot = stand_in(dir, "exec sleep 30");
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "gdp.gp", "gdp.png", 1, "chart slow", NULL, 0, &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "chart slow: gnuplot took longer than 1 seconds and was stopped"), "%s", d.message);
    diag_free(&d);
    /* one that closes standard error and keeps running is stopped too */
    gnuplot = stand_in(dir, "exec 2>&-; exec sleep 30");
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(gnuplot, dir, "gdp.gp", "gdp.png", 1, "chart", NULL, 0, &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "longer than 1 seconds"), "%s", d.message);
    diag_free(&d);
    remove_dir(dir);
}

/* Many charts at once: each job's outcome and error text is its own whatever order they end in
 * (the stand-in ends in reverse order of start: job i sleeps (n - i) tenths of a second), a
 * hanging one is stopped at its limit while the others are drawn, and no more run at once
 * than asked. */
Test(plot, jobs_run_in_parallel_and_report_each_its_own_result)
{
    const char *dir = testutil_make_dir("plot-jobs");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    /* the script name says what to do: "ok-N" sleeps, "fail-N" fails with N, "hang" hangs;
     * "running" counts the processes alive at once, "most" keeps the largest count */
    char gnuplot[600];
    snprintf(gnuplot, sizeof gnuplot, "%s", stand_in(folder,
        /* as gnuplot: the -e commands and scripts in order (one gnuplot may draw several
         * charts), stopping at a failed one; a hanging one is not counted */
        "st=0\n"
        "while [ $# -gt 0 ] && [ $st = 0 ]; do\n"
        "  case $1 in -d) shift; continue;; -e) case $2 in econsim_output=*) out=${2#econsim_output=};"
        " out=${out#\\'}; out=${out%\\'};; esac; shift 2; continue;; esac\n"
        "  script=$1; shift\n"
        "  [ $script = hang ] && exec sleep 30\n"
        "  mkdir lock.d 2>/dev/null || { sleep 0.01; until mkdir lock.d 2>/dev/null; do sleep 0.01; done; }\n"
        "  n=$(cat running 2>/dev/null || echo 0); n=$((n+1)); echo $n > running\n"
        "  m=$(cat most 2>/dev/null || echo 0); [ $n -gt $m ] && echo $n > most; rmdir lock.d\n"
        "  case $script in\n"
        "    ok-*) sleep 0.$(( 9 - ${script#ok-} )); echo \"drawn by $script\" > $out; echo \"warning from $script\" >&2;;\n"
        "    fail-*) echo \"error in $script\" >&2; st=${script#fail-};;\n"
        "  esac\n"
        "  until mkdir lock.d 2>/dev/null; do sleep 0.01; done\n"
        "  n=$(cat running); echo $((n-1)) > running; rmdir lock.d\n"
        "done\n"
        "exit $st"));
    static const char *const scripts[] = {"ok-1", "fail-3", "ok-2", "hang", "ok-3", "fail-5", "ok-4", "ok-5"};
    enum { COUNT = sizeof scripts / sizeof scripts[0] };
    plot_job *jobs = calloc(COUNT, sizeof *jobs);
    char outputs[COUNT][32], whats[COUNT][32];
    for (int i = 0; i < COUNT; i++) {
        snprintf(outputs[i], sizeof outputs[i], "out%d.png", i);
        snprintf(whats[i], sizeof whats[i], "chart %d", i);
        jobs[i] = (plot_job){.work_dir = folder, .script_name = scripts[i], .output_name = outputs[i], .what = whats[i]};
    }
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, COUNT, 3, 2, 0, &d), DIAG_OK, "%s", d.message);
    for (int i = 0; i < COUNT; i++) {
        char expected[64];
        if (!strncmp(scripts[i], "ok-", 3)) {
            cr_expect_eq(jobs[i].outcome, PLOT_DRAWN, "%s", scripts[i]);
            snprintf(expected, sizeof expected, "warning from %s", scripts[i]);
            cr_expect_str_eq(jobs[i].errors, expected);
            char *drawn = read_text(testutil_join(folder, outputs[i]), NULL);
            snprintf(expected, sizeof expected, "drawn by %s\n", scripts[i]);
            cr_expect_str_eq(drawn ? drawn : "(none)", expected);
            free(drawn);
        } else if (!strncmp(scripts[i], "fail-", 5)) {
            cr_expect_eq(jobs[i].outcome, PLOT_FAILED, "%s", scripts[i]);
            cr_expect_eq(jobs[i].exit_status, atoi(scripts[i] + 5));
            snprintf(expected, sizeof expected, "error in %s", scripts[i]);
            cr_expect_str_eq(jobs[i].errors, expected);
        } else {
            cr_expect_eq(jobs[i].outcome, PLOT_TIMED_OUT, "%s", scripts[i]);
        }
    }
    char *most = read_text(testutil_join(folder, "most"), NULL);
    cr_assert_not_null(most);
    cr_expect_leq(atoi(most), 3, "at most 3 at once, not %s", most);
    cr_expect_geq(atoi(most), 2, "they did run at once");
    free(most);
    diag_free(&d);
    /* the report of each outcome */
    diag_init(&d);
    cr_assert_eq(plot_job_error(&jobs[3], 2, &d), DIAG_SOFTWARE);
    cr_assert_str_eq(d.message, "error: chart 3: gnuplot took longer than 2 seconds and was stopped");
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(plot_job_error(&jobs[1], 2, &d), DIAG_SOFTWARE);
    cr_assert_str_eq(d.message, "error: chart 1: gnuplot failed (exit status 3): error in fail-3");
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(plot_job_error(&jobs[0], 2, &d), DIAG_OK);
    diag_free(&d);
    free(jobs);
}

/* With more charts than gnuplots, each gnuplot draws a run of them (its start, the CJK font
 * loading, is paid once): 7 quiet charts on 3 gnuplots are 3 processes of 3, 3 and 1, each
 * script after the first preceded by "reset session". */
Test(plot, charts_are_grouped_one_gnuplot_per_run_of_charts)
{
    const char *dir = testutil_make_dir("plot-groups");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    char gnuplot[600];
    snprintf(gnuplot, sizeof gnuplot, "%s", stand_in(folder,
        "echo \"$*\" >> processes.txt\n"
        "for a in \"$@\"; do case $a in econsim_output=*) o=${a#econsim_output=}; o=${o#\\'}; o=${o%\\'};"
        " echo drawn > $o;; esac; done"));
    enum { COUNT = 7 };
    plot_job jobs[COUNT];
    char scripts[COUNT][16], outputs[COUNT][16];
    for (int i = 0; i < COUNT; i++) {
        snprintf(scripts[i], sizeof scripts[i], "c%d.gp", i);
        snprintf(outputs[i], sizeof outputs[i], "c%d.png", i);
        jobs[i] = (plot_job){.work_dir = folder, .script_name = scripts[i], .output_name = outputs[i], .what = "chart"};
    }
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, COUNT, 3, 5, 0, &d), DIAG_OK, "%s", d.message);
    for (int i = 0; i < COUNT; i++)
        cr_assert_eq(jobs[i].outcome, PLOT_DRAWN, "chart %d", i);
    char *seen = read_text(testutil_join(folder, "processes.txt"), NULL);
    cr_assert_not_null(seen);
    /* the order in which the three finish may vary: check each line is there */
    cr_assert(strstr(seen, "-d -e econsim_output='c0.png' c0.gp -e reset session -e econsim_output='c1.png' c1.gp "
                           "-e reset session -e econsim_output='c2.png' c2.gp\n"), "%s", seen);
    cr_assert(strstr(seen, "-d -e econsim_output='c3.png' c3.gp -e reset session -e econsim_output='c4.png' c4.gp "
                           "-e reset session -e econsim_output='c5.png' c5.gp\n"), "%s", seen);
    cr_assert(strstr(seen, "-d -e econsim_output='c6.png' c6.gp\n"), "%s", seen);
    size_t lines = 0;
    for (const char *p = seen; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 3, "three gnuplots: %s", seen);
    free(seen);
    diag_free(&d);
}

/* With real gnuplot, nothing one chart's script sets reaches the next chart of its gnuplot. */
Test(plot, grouped_charts_do_not_see_each_others_variables)
{
    char gnuplot[4096];
    cr_assert(plot_gnuplot_find(gnuplot, sizeof gnuplot), "gnuplot is needed: make deps");
    const char *dir = testutil_make_dir("plot-reset");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    write_text(testutil_join(folder, "a.gp"), "leak = 1\nf(x) = 2 * x\nset print econsim_output\nprint exists('leak')\n", 0);
    write_text(testutil_join(folder, "b.gp"), "set print econsim_output\nprint exists('leak'), exists('f')\n", 0);
    plot_job jobs[2] = {{.work_dir = folder, .script_name = "a.gp", .output_name = "a.txt", .what = "a"},
                        {.work_dir = folder, .script_name = "b.gp", .output_name = "b.txt", .what = "b"}};
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, 2, 1, 10, 0, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(jobs[0].outcome, PLOT_DRAWN, "%s", jobs[0].errors);
    cr_assert_eq(jobs[1].outcome, PLOT_DRAWN, "%s", jobs[1].errors);
    char *a = read_text(testutil_join(folder, "a.txt"), NULL), *b = read_text(testutil_join(folder, "b.txt"), NULL);
    cr_assert_str_eq(a, "1\n");
    cr_assert_str_eq(b, "0 0\n", "b.gp saw a.gp's variable or function");
    free(a);
    free(b);
    diag_free(&d);
}

/* Warm gnuplots (plot_warm_start) draw the charts: each in the charts' folder (GPVAL_PWD, and
 * the outputs land there although a warm gnuplot starts in /), a real PNG among them, and a
 * run of charts on one warm gnuplot still keeps each chart's variables from the next. */
Test(plot, warm_gnuplots_draw_in_the_charts_folder)
{
    const char *gnuplot = real_gnuplot();
    const char *dir = testutil_make_dir("plot-warm");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    char real_folder[4096];
    cr_assert_not_null(realpath(folder, real_folder));
    write_text(testutil_join(folder, "a.gp"), "leak = 1\nset print econsim_output\nprint GPVAL_PWD\n", 0);
    write_text(testutil_join(folder, "b.gp"), "set print econsim_output\nprint exists('leak')\n", 0);
    write_text(testutil_join(folder, "c.gp"),
               "set terminal pngcairo size 200,100 font 'Noto Sans CJK SC,9'\nset output econsim_output\n"
               "set title '\xe6\x9e\x97\xe5\xb7\x9e'\nplot x notitle\n", 0);
    cr_assert_eq(plot_warm_start(gnuplot, 2, PLOT_PNG), 2);
    plot_job jobs[3] = {{.work_dir = folder, .script_name = "a.gp", .output_name = "a.txt", .what = "a"},
                        {.work_dir = folder, .script_name = "b.gp", .output_name = "b.txt", .what = "b"},
                        {.work_dir = folder, .script_name = "c.gp", .output_name = "c.png", .what = "c"}};
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, 3, 2, 20, 0, &d), DIAG_OK, "%s", d.message);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(jobs[i].outcome, PLOT_DRAWN, "job %d: %s", i, jobs[i].errors);
    char *a = read_text(testutil_join(folder, "a.txt"), NULL), *b = read_text(testutil_join(folder, "b.txt"), NULL);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    char expected[4200];
    snprintf(expected, sizeof expected, "%s\n", real_folder);
    cr_assert_str_eq(a, expected, "a warm gnuplot draws in the charts' folder");
    cr_assert_str_eq(b, "0\n", "b.gp saw a.gp's variable");
    size_t length = 0;
    char *png = read_text(testutil_join(folder, "c.png"), &length);
    cr_assert(png && length > 8 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8), "c.png is a PNG");
    free(a);
    free(b);
    free(png);
    diag_free(&d);
    /* both warm gnuplots were used: the next charts start new ones, which draw as well */
    remove(testutil_join(folder, "a.txt"));
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, 1, 1, 20, 0, &d), DIAG_OK);
    cr_assert_eq(jobs[0].outcome, PLOT_DRAWN, "%s", jobs[0].errors);
    cr_assert_eq(access(testutil_join(folder, "a.txt"), F_OK), 0);
    plot_warm_stop();
}

/* A run of charts on a warm gnuplot that fails is drawn again, one chart per new gnuplot: the
 * failing chart gets its own message (the line, in its script's name), the others are drawn. */
Test(plot, a_failing_chart_on_a_warm_gnuplot_gets_its_own_message)
{
    const char *gnuplot = real_gnuplot();
    const char *dir = testutil_make_dir("plot-warm-fail");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    write_text(testutil_join(folder, "good.gp"), "set print econsim_output\nprint 42\n", 0);
    write_text(testutil_join(folder, "bad.gp"), "set output econsim_output\nplot x with nonsense\n", 0);
    cr_assert_eq(plot_warm_start(gnuplot, 1, PLOT_SVG), 1);
    plot_job jobs[2] = {{.work_dir = folder, .script_name = "good.gp", .output_name = "good.txt", .what = "good"},
                        {.work_dir = folder, .script_name = "bad.gp", .output_name = "bad.png", .what = "chart bad"}};
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, 2, 1, 20, 0, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(jobs[0].outcome, PLOT_DRAWN, "%s", jobs[0].errors);
    cr_assert_eq(jobs[0].errors[0], '\0', "the good chart has no message: %s", jobs[0].errors);
    cr_assert_eq(jobs[1].outcome, PLOT_FAILED);
    cr_assert(strstr(jobs[1].errors, "\"bad.gp\" line 2"), "%s", jobs[1].errors);
    cr_assert_null(strstr(jobs[1].errors, "/proc/"), "the message names the script, not the warm path: %s",
                   jobs[1].errors);
    char *good = read_text(testutil_join(folder, "good.txt"), NULL);
    cr_assert_str_eq(good, "42\n");
    free(good);
    diag_free(&d);
    plot_warm_stop();
}

/* Warm gnuplots serve only the gnuplot they were started from: charts run with another (here
 * a stand-in) start it, and plot_warm_stop ends the warm ones unused. */
Test(plot, warm_gnuplots_serve_only_their_own_program)
{
    const char *dir = testutil_make_dir("plot-warm-other");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    cr_assert_eq(plot_warm_start(real_gnuplot(), 1, PLOT_PNG), 1);
    char stand_in_path[600];
    snprintf(stand_in_path, sizeof stand_in_path, "%s", stand_in(folder, "touch ran-by-stand-in"));
    plot_job job = {.work_dir = folder, .script_name = "a.gp", .output_name = "a.png", .what = "a"};
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(stand_in_path, &job, 1, 1, 20, 0, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(job.outcome, PLOT_DRAWN, "%s", job.errors);
    cr_assert_eq(access(testutil_join(folder, "ran-by-stand-in"), F_OK), 0);
    diag_free(&d);
    plot_warm_stop();
    plot_warm_stop(); /* twice: nothing left to stop */
}

/* Past the deadline nothing starts, and what runs is stopped: PLOT_SKIPPED. */
Test(plot, jobs_past_the_deadline_are_skipped)
{
    const char *dir = testutil_make_dir("plot-deadline");
    char folder[512];
    snprintf(folder, sizeof folder, "%s", dir);
    char gnuplot[600];
    snprintf(gnuplot, sizeof gnuplot, "%s", stand_in(folder, "touch started-$4; exec sleep 30"));
    plot_job jobs[3] = {{.work_dir = folder, .script_name = "a", .output_name = "a.png", .what = "chart a"},
                        {.work_dir = folder, .script_name = "b", .output_name = "b.png", .what = "chart b"},
                        {.work_dir = folder, .script_name = "c", .output_name = "c.png", .what = "chart c"}};
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, 3, 1, 30, plot_clock() + 1, &d), DIAG_OK);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(jobs[i].outcome, PLOT_SKIPPED, "job %d", i);
    cr_assert_eq(access(testutil_join(folder, "started-a"), F_OK), 0, "the first was started");
    cr_assert_neq(access(testutil_join(folder, "started-b"), F_OK), 0, "the others never were");
    cr_assert_eq(plot_job_error(&jobs[1], 30, &d), DIAG_SOFTWARE);
    cr_assert_str_eq(d.message, "error: chart b: not drawn: the time for charts ran out");
    diag_free(&d);
    /* a deadline already past starts nothing at all */
    diag_init(&d);
    cr_assert_eq(plot_run_jobs(gnuplot, jobs, 3, 2, 30, plot_clock() - 1, &d), DIAG_OK);
    cr_assert_eq(jobs[0].outcome, PLOT_SKIPPED);
    diag_free(&d);
}

Test(plot, real_gnuplot_error_names_the_line)
{
    const char *dir = testutil_make_dir("plot");
    write_text(testutil_join(dir, "bad.gp"), "set output econsim_output\nplot x with nonsense\n", 0);
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_run_gnuplot(real_gnuplot(), dir, "bad.gp", "bad.png", 30, "chart bad", NULL, 0, &d),
                 DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "chart bad: gnuplot failed (exit status 1)"), "%s", d.message);
    cr_assert(strstr(d.message, "\"bad.gp\" line 2"), "%s", d.message);
    diag_free(&d);
    remove_dir(dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Templates */

Test(plot, templates_from_environment_or_beside_the_program)
{
    const char *dir = testutil_make_dir("plot");
    setenv("ECONSIM_PLOTS", dir, 1);
    char found[4096];
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_templates_find(found, sizeof found, &d), DIAG_NO_INPUT);
    cr_assert(strstr(d.message, "style.gp"), "%s", d.message);
    diag_free(&d);
    write_text(testutil_join(dir, "style.gp"), "# style\n", 0);
    write_text(testutil_join(dir, "trajectory.gp"), "plot x\n", 0);
    diag_init(&d);
    cr_assert_eq(plot_templates_find(found, sizeof found, &d), DIAG_OK);
    cr_assert_str_eq(found, dir);
    char *text = plot_template_load(found, "trajectory", &d);
    cr_assert_str_eq(text, "plot x\n");
    mem_free(text);
    cr_assert_null(plot_template_load(found, "missing", &d));
    cr_assert_eq(d.status, DIAG_NO_INPUT);
    cr_assert(strstr(d.message, "missing.gp"), "%s", d.message);
    diag_free(&d);
    /* without the variable: the source tree's plots/ (the test binary is in BUILD/) */
    unsetenv("ECONSIM_PLOTS");
    diag_init(&d);
    cr_assert_eq(plot_templates_find(found, sizeof found, &d), DIAG_OK, "%s", d.message);
    char expected[4096];
    cr_assert_not_null(realpath("plots", expected));
    cr_assert_str_eq(found, expected);
    diag_free(&d);
    remove_dir(dir);
}

/* ---------------------------------------------------------------------------------------- */
/* PDF dates */

Test(plot, pdf_dates_become_source_date_epoch)
{
    const char *dir = testutil_make_dir("plot");
    const char *path = testutil_join(dir, "x.pdf");
    const char *pdf = "%PDF-1.5\n1 0 obj << /Producer (cairo 1.16.0 (https://cairographics.org))\n"
                      "   /CreationDate (D:20261127200814Z)\n   /ModDate (D:20261127200815+01'00)\n>>\n";
    write_text(path, pdf, 0);
    unsetenv("SOURCE_DATE_EPOCH");
    diag d;
    diag_init(&d);
    cr_assert_eq(plot_pdf_fix_dates(path, &d), DIAG_OK, "%s", d.message);
    size_t length;
    char *text = read_text(path, &length);
    cr_assert_eq(length, strlen(pdf), "the length must not change (cross-reference offsets)");
    cr_assert(strstr(text, "/CreationDate (D:19700101000000Z)"), "%s", text);
    cr_assert(strstr(text, "/ModDate (D:19700101000000+01'00)"), "%s", text);
    free(text);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* 2023-11-14 22:13:20 UTC */
    cr_assert_eq(plot_pdf_fix_dates(path, &d), DIAG_OK);
    text = read_text(path, NULL);
    cr_assert(strstr(text, "/CreationDate (D:20231114221320Z)"), "%s", text);
    free(text);
    cr_assert_eq(plot_pdf_fix_dates(testutil_join(dir, "missing.pdf"), &d), DIAG_IO);
    diag_free(&d);
    remove_dir(dir);
}
