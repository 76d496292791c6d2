/* test_charts.c: the charts of a run. The generated script is compared with the expected text
 * (data rows by hand: observed, derived, the gap, the projection from the last data point,
 * goals and reference lines); real PNG, SVG and PDF files are drawn (signatures, pixel size,
 * the Chinese title in the SVG text); a .gp redraws its image byte for byte on its own; text
 * from files that tries every gnuplot trap arrives as text and runs nothing; a missing
 * gnuplot writes the scripts and says how to draw them; a failing template is a warning that
 * names the chart while the other charts go on; the charts block is checked.
 *
 * Tests that draw need gnuplot and fail (not skip) without it: `make check` installs it. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "charts.h"
#include "text.h"
#include "charts_load.h"
#include "charts_run.h"
#include "goals.h"
#include "mem.h"
#include "output.h"
#include "peers.h"
#include "run.h"
#include "summary.h"
#include "goals_load.h"
#include "peers_load.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

/* snprintf into an array, failing the test when the text does not fit */
#define FORMAT(buf, ...) cr_assert_lt((size_t)snprintf(buf, sizeof buf, __VA_ARGS__), sizeof buf, "text too long")

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* rm -r for the test folders (no symlinks are made in them) */

/* The sorted names in a folder, space-separated. */
static void list_dir(const char *dir, char *out, size_t size)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    cr_assert_geq(n, 0, "%s", dir);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            cr_assert_lt((size_t)snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "",
                                          names[i]->d_name),
                         size - strlen(out));
        free(names[i]);
    }
    free(names);
}

typedef struct loaded {
    run *run;
    goals_set *goals;
    peers_spec *peers_spec;
    peers_comparison *peers;
} loaded;

static loaded load(const char *path)
{
    loaded l = {0};
    l.run = testutil_load_run(path);
    diag d;
    diag_init(&d);
    l.goals = goals_load(l.run, &d);
    cr_assert_not_null(l.goals, "%s", d.message);
    cr_assert_eq(goals_evaluate(l.goals, l.run, &d), DIAG_OK, "%s", d.message);
    if (l.run->scenario->peers) {
        cr_assert_eq(peers_load(l.run, &l.peers_spec, &d), DIAG_OK, "%s", d.message);
        l.peers = peers_compare(l.run, l.peers_spec, &d);
        cr_assert_not_null(l.peers, "%s", d.message);
    }
    diag_free(&d);
    return l;
}

static void unload(loaded *l)
{
    peers_comparison_free(l->peers);
    peers_spec_free(l->peers_spec);
    goals_free(l->goals);
    run_free(l->run);
}

/* Writes and commits the charts of one scenario into dir; returns the status, with the
 * diagnostics in *d (caller frees) and the list in *list (caller releases). */
static int write_charts(const loaded *l, const char *dir, const char *format, charts_list *list, diag *d)
{
    diag_init(d);
    memset(list, 0, sizeof *list);
    charts_options o;
    int status = charts_options_load(l->run, &(charts_request){.format = format}, &o, d);
    cr_assert_eq(status, DIAG_OK, "%s", d->message);
    output_batch *batch = output_batch_new(dir, d);
    cr_assert_not_null(batch, "%s", d->message);
    status = charts_write_run(batch, l->run, l->goals, l->peers, &o, list, d);
    if (status == DIAG_OK)
        status = output_batch_commit(batch, d);
    else
        output_batch_abort(batch);
    charts_options_release(&o);
    return status;
}

/* The chart part of a script: from the chart marker to the style. */
static char *chart_part(const char *script)
{
    const char *from = strstr(script, "# ---- chart (written by econsim) ----\n");
    const char *to = strstr(script, "\n# ---- plots/style.gp ----\n");
    cr_assert(from && to && from < to);
    return strndup(from, (size_t)(to - from));
}

static const char *real_gnuplot(void)
{
    static char path[4096];
    cr_assert(plot_gnuplot_find(path, sizeof path),
              "gnuplot is needed for this test and is not on PATH: run make deps (Debian: gnuplot-nox)");
    return path;
}

static int has_warning(const diag *d, const char *text)
{
    for (size_t i = 0; i < d->warning_count; i++)
        if (strstr(d->warnings[i], text))
            return 1;
    return 0;
}

/* Runs `gnuplot NAME.gp` in folder dir, as a planner would (no -d, no -e). */
static void redraw(const char *dir, const char *script)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "gnuplot %s in %s failed", script, dir);
}

/* ---------------------------------------------------------------------------------------- */
/* The script: data checked row by row */

/* Every chart's title is wrapped by the charts writer to charts_title_columns: at 640x400
 * (scale 0.75) 640 * 0.62 / (0.55 * 15 * 4/3 * 0.75) = 48.09 columns, so seventeen words of
 * four letters break after the ninth (44 columns; the tenth would make 49) and the rest (39)
 * fits the second line; a third line is never drawn: the second ends in "…". */
Test(charts, titles_wrap_to_the_canvas_between_words)
{
    cr_assert_eq(charts_title_columns(640, 400), 48);
    cr_assert_eq(charts_title_columns(1000, 600), 56, "1000 * 0.62 / (0.55 * 15 * 4/3) = 56.36");
    char lines[2][256];
    const char *title = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq";
    cr_assert_eq(charts_wrap(title, 48, lines[0], sizeof lines[0], 2), 2);
    cr_assert_str_eq(lines[0], "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii");
    cr_assert_str_eq(lines[1], "jjjj kkkk llll mmmm nnnn oooo pppp qqqq");
    /* twice as long: three lines needed, two shown, the second cut with "…" within 48 */
    char longer[256];
    snprintf(longer, sizeof longer, "%s %s", title, title);
    cr_assert_eq(charts_wrap(longer, 48, lines[0], sizeof lines[0], 2), 4);
    cr_assert_leq(text_display_width(lines[1]), 48);
    size_t n = strlen(lines[1]);
    cr_assert(n > 3 && !strcmp(lines[1] + n - 3, "\u2026"), "%s", lines[1]);
}

Test(charts, trajectory_script_holds_the_expected_data)
{
    real_gnuplot();
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts");
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, dir, NULL, &list, &d), DIAG_OK, "%s", d.message);
    char *script = testutil_read_file(testutil_join(dir, "charts/output.gp"), NULL);
    char *part = chart_part(script);
    /* 2016 observed; 2017-2018 missing (a gap); 2019, 2020 observed; 2021 derived from the
     * observed 5% growth (110 x 1.05, a hollow point); from 2022 the model at 10% a year, the
     * dashed line starting at 2021's value. Goals: 130 in 2022 (the start: a marker) and 150
     * in 2024 (later: also a reference line). */
    char expected[8192];
    char values[5][32];
    double v = 115.5;
    for (int i = 0; i < 5; i++) {
        v = v * (1 + 0.1);
        output_format_number(values[i], v);
    }
    snprintf(expected, sizeof expected,
             "# ---- chart (written by econsim) ----\n"
             "econsim_format = 'png'\n"
             "econsim_width = 800\n"
             "econsim_height = 500\n"
             "econsim_file = 'output.png'\n"
             "econsim_unit = '亿元'\n"
             "econsim_unit_label = 'Unit: 亿元'\n"
             "econsim_y_percent = 0\n"
             "econsim_variable_label = '产出'\n"
             "econsim_text_observed = 'data (observed)'\n"
             "econsim_text_estimated = 'estimated (from growth rates / initial values)'\n"
             "econsim_text_projection = 'model / projection'\n"
             "econsim_text_history = 'data'\n"
             "econsim_text_goal = 'goal'\n"
             "econsim_text_forecast = 'projection →'\n"
             "econsim_key_columns = 1\n"
             "econsim_key_rows = 4\n"
             "\n"
             "# output: years and values in the unit econsim_unit\n"
             "$econsim_history << EOD\n2016 90\n\n2019 100\n2020 110\n2021 115.5\nEOD\n"
             "econsim_history_points = 4\n"
             "$econsim_observed << EOD\n2016 90\n2019 100\n2020 110\nEOD\n"
             "econsim_observed_points = 3\n"
             "$econsim_estimated << EOD\n2021 115.5\nEOD\n"
             "econsim_estimated_points = 1\n"
             "$econsim_projection << EOD\n2021 115.5\n2022 %s\n2023 %s\n2024 %s\n2025 %s\n2026 %s\nEOD\n"
             "econsim_projection_points = 5\n"
             "\n"
             "# goals on output: year, level (in econsim_unit)\n"
             "$econsim_goals << EOD\n2022 130\n2024 150\nEOD\n"
             "econsim_goal_labels_count = 2\n"
             "array econsim_goal_labels[2] = [ \\\n    '产出 130 亿元', \\\n    \"\\042\".'166'.\"\\042\".': 产出 150 亿元']\n"
             /* display columns of each label, for placing it: CJK characters take two */
             "econsim_goal_label_columns_count = 2\narray econsim_goal_label_columns[2] = [13, 20]\n"
             "econsim_goal_years_count = 2\narray econsim_goal_years[2] = [2022, 2024]\n"
             "econsim_goal_levels_count = 2\narray econsim_goal_levels[2] = [130, 150]\n"
             "econsim_goal_is_reference_count = 2\narray econsim_goal_is_reference[2] = [0, 1]\n"
             "econsim_reference_values_count = 1\narray econsim_reference_values[1] = [150]\n"
             "econsim_reference_years_count = 1\narray econsim_reference_years[1] = [2024]\n"
             "econsim_reference_labels_count = 1\narray econsim_reference_labels[1] = [ \\\n"
             "    \"\\042\".'166'.\"\\042\".': 产出 150 亿元 (2024)']\n"
             "econsim_year_from = 2016\neconsim_year_to = 2026\neconsim_year_step = 1\n"
             "econsim_year_first_tic = 2016\n"
             "econsim_y_from_zero = 1\n"
             "econsim_y_at_least = %s\n"
             "econsim_start = 2022\n"
             "\n"
             "# ---- texts fitted to the canvas (written by econsim) ----\n"
             "econsim_scale = 0.8\n" /* 800x500: min(0.8, 0.833) */
             "econsim_title = '产出 — 测试情景'\n"
             "econsim_title_lines = 1\n"
             "econsim_footnote = 'Scenario: 测试情景 (charts-test) · model: 小模型 (charts tests) · econsim %s'\n"
             "econsim_footnote2 = 'Data: observations.csv (本县); sources: source one (A); source two (B); source three "
             "(C)'\n"
             "econsim_footnote3 = ''\n"
             "econsim_footnote_lines = 2\n",
             values[0], values[1], values[2], values[3], values[4], values[4], ECONSIM_VERSION);
    cr_assert_str_eq(part, expected);
    cr_assert_eq(strtod(values[0], NULL), 127.05000000000001); /* 115.5 x 1.1, as the model runs it */
    /* the script is the header, the chart part, the style and the template, in that order */
    cr_assert(!strncmp(script, "# output.gp: a trajectory chart drawn by econsim", 48), "%.80s", script);
    cr_assert(strstr(script, "\nreset\n"));
    cr_assert(strstr(script, "# ---- plots/trajectory.gp ----\n"));
    free(part);
    free(script);
    /* the rate is drawn in percent */
    script = testutil_read_file(testutil_join(dir, "charts/share.gp"), NULL);
    cr_assert(strstr(script, "econsim_unit = '%'\n"));
    /* computed by its equation from 2016 on (origin model): 2016 alone, then 2019 onwards */
    cr_assert(strstr(script, "$econsim_projection << EOD\n2016 9\n\n2019 10\n2020 11\n2021 11.55\n"), "%s", script);
    free(script);
    /* the list */
    cr_assert_eq(list.count, 4);
    static const char *const files[] = {"charts/output.png", "charts/share.png", "charts/goals.png",
                                        "charts/peers-output.png"};
    static const char *const kinds[] = {"trajectory", "trajectory", "goals", "peers"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(list.entries[i].file, files[i]);
        cr_assert_str_eq(list.entries[i].kind, kinds[i]);
        cr_assert(list.entries[i].drawn);
        cr_assert(exists(testutil_join(dir, files[i])), "%s", files[i]);
    }
    cr_assert_str_eq(list.entries[0].title, "产出 — 测试情景");
    cr_assert_str_eq(list.entries[1].variable, "share");
    cr_assert_null(list.entries[2].variable);
    cJSON *json = summary_charts(&list);
    char *printed = cJSON_PrintUnformatted(json);
    cr_assert(strstr(printed, "{\"file\":\"charts/output.png\",\"title\":\"产出 — 测试情景\",\"kind\":\"trajectory\","
                              "\"script\":\"charts/output.gp\",\"variable\":\"output\",\"drawn\":true}"),
              "%s", printed);
    mem_free(printed);
    cJSON_Delete(json);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(dir);
    unload(&l);
}

Test(charts, goals_and_peers_scripts)
{
    real_gnuplot();
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts");
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, dir, NULL, &list, &d), DIAG_OK, "%s", d.message);
    char *script = testutil_read_file(testutil_join(dir, "charts/goals.gp"), NULL);
    /* near: 127.05 of 130 (not met), later: 153.7305 of 150 (met) */
    double near = 115.5 * 1.1 / 130 * 100, later = 115.5 * 1.1 * 1.1 * 1.1 / 150 * 100;
    char expected[512], a[32], b[32];
    output_format_number(a, near);
    output_format_number(b, later);
    FORMAT(expected, "$econsim_met << EOD\n2 %s 1\nEOD\n$econsim_unmet << EOD\n1 %s 0\nEOD\n", b, a);
    cr_assert(strstr(script, expected), "%s", script);
    cr_assert(strstr(script, "econsim_goal_notes[2] = [ \\\n    '127.05 / 130.00 亿元 (2022) not met', \\\n"
                             "    '153.73 / 150.00 亿元 (2024) met']\n"),
              "%s", script);
    cr_assert(strstr(script, "econsim_height = 500\n"), "at least the configured height");
    free(script);
    /* peers: home first, the peer's projection dashed from its last level, and the catch-up
     * year that peers.c found, on home's line */
    script = testutil_read_file(testutil_join(dir, "charts/peers-output.gp"), NULL);
    cr_assert(strstr(script, "array econsim_series_titles[2] = [ \\\n    '本县', \\\n    '邻县']\n"), "%s", script);
    cr_assert(strstr(script, "$econsim_2_observed << EOD\n2019 130\n2020 135\nEOD\n"), "%s", script);
    const peers_line *peer = &l.peers->variables[0].lines[1];
    cr_assert_eq(peer->standing, PEERS_STANDING_CATCHES_UP);
    char marks[512], value[32];
    output_format_number(value, run_value(l.run, "output", peer->catch_up_year));
    snprintf(marks, sizeof marks,
             "econsim_point_years_count = 1\narray econsim_point_years[1] = [%d]\n"
             "econsim_point_values_count = 1\narray econsim_point_values[1] = [%s]\n"
             "econsim_point_labels_count = 1\narray econsim_point_labels[1] = [ \\\n    '1']\n"
             "econsim_mark_texts_count = 1\narray econsim_mark_texts[1] = [ \\\n    '1: passes 邻县 in %d']\n",
             peer->catch_up_year, value, peer->catch_up_year);
    cr_assert(strstr(script, marks), "%s\n---\n%s", marks, script);
    cr_assert_eq(peer->catch_up_year, 2025); /* 169.10 against 163.04 (trend 3.85%) */
    free(script);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(dir);
    unload(&l);
}

/* The shipped target scenario: Linzhou is behind Changyuan in every year to 2030 (a note at the
 * end of the horizon) and passed Huixian in 2019 (in the history: interpolated Linzhou against
 * Huixian's trend projection), so both are marked on Linzhou's line. */
Test(charts, peers_marks_order_flips_in_history_and_still_behind_at_the_end)
{
    loaded l = load("scenarios/linzhou-2023-target.json");
    const char *dir = testutil_make_dir("charts");
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, dir, NULL, &list, &d), DIAG_OK, "%s", d.message);
    char *script = testutil_read_file(testutil_join(dir, "charts/peers-fiscal_revenue.gp"), NULL);
    char v2030[32], v2019[32], marks[512];
    output_format_number(v2030, run_value(l.run, "fiscal_revenue", 2030));
    /* log-linear between 20 (2017) and 2021's level derived from 2022's: 43.54 / 1.088 */
    output_format_number(v2019, 20 * pow(43.54 / 1.088 / 20, 2.0 / 4));
    snprintf(marks, sizeof marks,
             "econsim_point_years_count = 2\narray econsim_point_years[2] = [2030, 2019]\n"
             "econsim_point_values_count = 2\narray econsim_point_values[2] = [%s, %s]\n"
             "econsim_point_labels_count = 2\narray econsim_point_labels[2] = [ \\\n    '1', \\\n    '2']\n",
             v2030, v2019);
    cr_assert(strstr(script, marks), "%s\n---\n%s", marks, script);
    cr_assert(strstr(script, "array econsim_mark_texts[2] = [ \\\n    '1: still behind 长垣市 in 2030', \\\n"
                              "    '2: passes 辉县市 in 2019']\n"), "%s", script);
    free(script);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(dir);
    unload(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* Real images */

/* memmem for the PDF, which holds NUL bytes */
static const char *find_bytes(const char *haystack, size_t length, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= length; i++)
        if (!memcmp(haystack + i, needle, n))
            return haystack + i;
    return NULL;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

Test(charts, draws_png_svg_and_pdf)
{
    real_gnuplot();
    loaded l = load("tests/data/charts/scenario.json");
    static const char *const formats[] = {"png", "svg", "pdf"};
    for (size_t k = 0; k < 3; k++) {
        const char *dir = testutil_make_dir("charts");
        charts_list list;
        diag d;
        cr_assert_eq(write_charts(&l, dir, formats[k], &list, &d), DIAG_OK, "%s", d.message);
        cr_assert_eq(d.warning_count, 0, "%s", d.warning_count ? d.warnings[0] : "");
        char name[64];
        FORMAT(name, "charts/output.%s", formats[k]);
        size_t length;
        char *image = testutil_read_file(testutil_join(dir, name), &length);
        const unsigned char *bytes = (const unsigned char *)image;
        if (k == 0) {
            cr_assert(!memcmp(bytes, "\x89PNG\r\n\x1a\n", 8));
            cr_assert(!memcmp(bytes + 12, "IHDR", 4));
            cr_assert_eq(be32(bytes + 16), 800, "width from the charts block");
            cr_assert_eq(be32(bytes + 20), 500, "height from the charts block");
            cr_assert_gt(length, 20000, "a drawn chart, not an empty canvas (%zu bytes)", length);
        } else if (k == 1) {
            cr_assert(!strncmp(image, "<?xml", 5));
            cr_assert(strstr(image, "viewBox=\"0 0 800 500\""));
            cr_assert(strstr(image, "<text>产出 — 测试情景</text>"), "the Chinese title as SVG text");
            cr_assert(strstr(image, "<text>Unit: 亿元</text>"));
            cr_assert(strstr(image, "<text>2024</text>") || strstr(image, "<text> 2024</text>"), "whole years");
            cr_assert_null(strstr(image, "2022.5"), "no half years on the axis");
            cr_assert(strstr(image, "font-family=\"Noto Sans CJK SC\""));
        } else {
            cr_assert(!strncmp(image, "%PDF-", 5));
            cr_assert(find_bytes(image, length, "/CreationDate (D:19700101000000Z)") || getenv("SOURCE_DATE_EPOCH"));
            cr_assert_gt(length, 10000);
        }
        free(image);
        for (size_t i = 0; i < list.count; i++)
            cr_assert(list.entries[i].drawn && strstr(list.entries[i].file, formats[k]));
        /* nothing but the charts and their scripts: no temporary file is left */
        char names[1024];
        list_dir(testutil_join(dir, "charts"), names, sizeof names);
        char expected[1024];
        snprintf(expected, sizeof expected,
                 "goals.gp goals.%s output.gp output.%s peers-output.gp peers-output.%s share.gp share.%s",
                 formats[k], formats[k], formats[k], formats[k]);
        cr_assert_str_eq(names, expected);
        charts_list_release(&list);
        diag_free(&d);
        testutil_remove_tree(dir);
    }
    unload(&l);
}

/* The .gp beside a chart draws the same bytes again, run alone in its folder. */
Test(charts, scripts_redraw_their_charts_byte_for_byte)
{
    real_gnuplot();
    loaded l = load("tests/data/charts/scenario.json");
    static const char *const formats[] = {"png", "svg", "pdf"};
    for (size_t k = 0; k < 3; k++) {
        const char *dir = testutil_make_dir("charts");
        charts_list list;
        diag d;
        cr_assert_eq(write_charts(&l, dir, formats[k], &list, &d), DIAG_OK, "%s", d.message);
        const char *charts = testutil_join(dir, "charts");
        char charts_dir[2048];
        FORMAT(charts_dir, "%s", charts);
        static const char *const slugs[] = {"output", "goals", "peers-output"};
        for (size_t i = 0; i < 3; i++) {
            char image[128], moved[128], script[128];
            FORMAT(image, "%s.%s", slugs[i], formats[k]);
            FORMAT(moved, "econsim-%s.%s", slugs[i], formats[k]);
            FORMAT(script, "%s.gp", slugs[i]);
            char from[2300], to[2300];
            FORMAT(from, "%s/%s", charts_dir, image);
            FORMAT(to, "%s/%s", charts_dir, moved);
            cr_assert_eq(rename(from, to), 0);
            redraw(charts_dir, script);
            size_t a_length, b_length;
            char *a = testutil_read_file(to, &a_length);
            char *b = testutil_read_file(from, &b_length);
            cr_assert_eq(a_length, b_length, "%s: %zu bytes drawn by econsim, %zu by its script", image, a_length,
                         b_length);
            if (k == 2) {
                /* cairo 1.16 stamps the time of drawing; econsim fixes it (plot_pdf_fix_dates),
                 * a plain gnuplot run does not: compare all but those 14 digits */
                const char *date = find_bytes(b, b_length, "/CreationDate (D:");
                cr_assert_not_null(date);
                size_t at = (size_t)(date - b) + 17;
                memcpy(b + at, a + at, 14);
            }
            cr_assert(!memcmp(a, b, a_length), "%s differs from its redraw", image);
            free(a);
            free(b);
        }
        charts_list_release(&list);
        diag_free(&d);
        testutil_remove_tree(dir);
    }
    unload(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* Text from files tries every trap */

/* XML text as written by gnuplot's svg terminal back to plain text. */
static void xml_unescape(char *text)
{
    static const struct {
        const char *entity, *text;
    } entities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    char *out = text;
    for (const char *p = text; *p;) {
        size_t i;
        for (i = 0; i < 5; i++)
            if (!strncmp(p, entities[i].entity, strlen(entities[i].entity)))
                break;
        if (i < 5) {
            *out++ = entities[i].text[0];
            p += strlen(entities[i].entity);
        } else {
            *out++ = *p++;
        }
    }
    *out = '\0';
}

Test(charts, text_from_files_is_only_text)
{
    real_gnuplot();
    const char *dir = testutil_make_dir("charts");
    char work[2048];
    FORMAT(work, "%s", dir);
    /* the payloads create files named pwned-* in the charts folder (gnuplot's working folder)
     * or in the test folder if any of them ran */
    char model_text[4096], scenario_text[8192], history_text[2048];
    FORMAT(model_text,
             "{\"name\": \"evil\", \"exogenous\": {\"growth\": {\"value\": 0.1, \"label\": \"g\", \"unit\": \"ratio\"}},\n"
             " \"variables\": {\"output\": {\"label\": \"产出 `touch pwned-label` '; system('touch pwned-label2'); '\",\n"
             "   \"unit\": \"亿元 @econsim_output\", \"eq\": \"output[-1] * (1 + growth)\"}}}\n");
    write_file(testutil_join(work, "model.json"), model_text);
    FORMAT(history_text,
             "place,indicator,year,value,unit,kind,source,reliability\n"
             "\"A'|touch pwned-place\",output,2020,100,亿元,level,\"src `touch %s/pwned-source`\",A\n",
             work);
    write_file(testutil_join(work, "observations.csv"), history_text);
    FORMAT(scenario_text,
             "{\"name\": \"evil\",\n"
             " \"title\": \"标题 it's ''' \\\\ \\\" `touch %s/pwned-title` system(\\\"touch pwned-system\\\") @m "
             "^{x}_{y} &{z} %%s <b>\\r\\n!touch pwned-newline\\nEOD\\n| touch pwned-pipe < /etc/passwd #c\",\n"
             " \"model\": \"model.json\", \"history\": {\"file\": \"observations.csv\", \"place\": \"A'|touch pwned-place\"},\n"
             " \"start\": 2021, \"end\": 2023,\n"
             " \"goals\": [{\"id\": \"g\", \"label\": \"\\\"quoted start' EOD\\nEOD\\n`touch pwned-goal`\", "
             "\"variable\": \"output\", \"year\": 2021, \"target\": 105},\n"
             "           {\"id\": \"h\", \"label\": \"'\\\\\", \"variable\": \"output\", \"year\": 2023, \"target\": 120}],\n"
             " \"charts\": {\"variables\": [\"output\"]}}\n",
             work);
    write_file(testutil_join(work, "scenario.json"), scenario_text);
    loaded l = load(testutil_join(work, "scenario.json"));
    const char *out = testutil_join(work, "out");
    char out_dir[2048];
    FORMAT(out_dir, "%s", out);
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, out_dir, "svg", &list, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(d.warning_count, 0, "%s", d.warning_count ? d.warnings[0] : "");
    cr_assert_eq(list.count, 2);
    for (size_t i = 0; i < list.count; i++)
        cr_assert(list.entries[i].drawn, "%s was not drawn", list.entries[i].file);
    /* nothing ran: no file appeared anywhere */
    char names[1024];
    list_dir(testutil_join(out_dir, "charts"), names, sizeof names);
    cr_assert_str_eq(names, "goals.gp goals.svg output.gp output.svg");
    list_dir(work, names, sizeof names);
    cr_assert_str_eq(names, "model.json observations.csv out scenario.json");
    /* and the text arrived as text (control characters dropped) */
    char *svg = testutil_read_file(testutil_join(out_dir, "charts/output.svg"), NULL);
    xml_unescape(svg);
    /* the title needs more than two lines at 800 pixels: the chart shows two, the second cut
     * with "…", and the script keeps the whole title in a comment */
    cr_assert(strstr(svg, "<text>产出 `touch pwned-label` '; system('touch</text>"), "title's first line: %s", svg);
    cr_assert(strstr(svg, "<text>pwned-label2'); ' — 标题 it's ''' \\ \" `touch "), "title's second line: %s", svg);
    char *script = testutil_read_file(testutil_join(out_dir, "charts/output.gp"), NULL);
    cr_assert(strstr(script, "\n# title: 产出 `touch pwned-label` '; system('touch pwned-label2'); ' — 标题 it's ''' / \" "
                             "`touch "),
              "the whole title in a comment (a backslash shown as /: it would continue the comment)");
    free(script);
    cr_assert(strstr(svg, "<text>Unit: 亿元 @econsim_output</text>"));
    cr_assert(strstr(svg, "<text>\"quoted start' EODEOD`touch pwned-goal`</text>"), "goal label");
    cr_assert(strstr(svg, "<text>'\\ (2023)</text>"), "reference label");
    free(svg);
    svg = testutil_read_file(testutil_join(out_dir, "charts/goals.svg"), NULL);
    xml_unescape(svg);
    cr_assert(strstr(svg, "<text>\"quoted start' EODEOD`touch pwned-goal`</text>"), "goal label on the y axis");
    free(svg);
    charts_list_release(&list);
    diag_free(&d);
    unload(&l);
    testutil_remove_tree(work);
}

/* ---------------------------------------------------------------------------------------- */
/* Without gnuplot, with a broken template */

Test(charts, without_gnuplot_scripts_are_written)
{
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts");
    char empty[2048];
    FORMAT(empty, "%s/empty-bin", dir);
    cr_assert_eq(mkdir(empty, 0755), 0);
    setenv("PATH", empty, 1);
    char out[2048];
    FORMAT(out, "%s/out", dir);
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, out, NULL, &list, &d), DIAG_OK, "%s", d.message);
    char names[1024];
    list_dir(testutil_join(out, "charts"), names, sizeof names);
    cr_assert_str_eq(names, "goals.gp output.gp peers-output.gp share.gp");
    cr_assert_eq(list.count, 4);
    for (size_t i = 0; i < list.count; i++)
        cr_assert(!list.entries[i].drawn);
    char hint[2300];
    snprintf(hint, sizeof hint,
             "gnuplot not found: results and .gp scripts written; draw them later with: cd %s/charts && gnuplot "
             "output.gp",
             out);
    cr_assert(has_warning(&d, hint), "%s", d.warning_count ? d.warnings[0] : "no warning");
    charts_list_release(&list);
    diag_free(&d);
    /* charts asked for by --format: an error, nothing written */
    diag_init(&d);
    charts_options o;
    cr_assert_eq(charts_options_load(l.run, &(charts_request){.format = "svg"}, &o, &d), DIAG_OK);
    cr_assert(o.required);
    char out2[2048];
    FORMAT(out2, "%s/out2", dir);
    output_batch *batch = output_batch_new(out2, &d);
    memset(&list, 0, sizeof list);
    cr_assert_eq(charts_write_run(batch, l.run, l.goals, l.peers, &o, &list, &d), DIAG_UNAVAILABLE);
    cr_assert(strstr(d.message, "gnuplot not found"), "%s", d.message);
    output_batch_abort(batch);
    cr_assert(!exists(testutil_join(out2, "charts/output.gp")));
    charts_options_release(&o);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(dir);
    unload(&l);
}

/* Copies the shipped templates into dir/plots, replacing `broken` with a failing one. */
static void templates_with_broken(const char *dir, const char *broken)
{
    char plots[2048];
    FORMAT(plots, "%s/plots", dir);
    cr_assert_eq(mkdir(plots, 0755), 0);
    static const char *const names[] = {"style", "trajectory", "goals", "peers", "compare"};
    for (size_t i = 0; i < 5; i++) {
        char from[256], to[2300];
        FORMAT(from, "plots/%s.gp", names[i]);
        FORMAT(to, "%s/%s.gp", plots, names[i]);
        char *text = testutil_read_file(from, NULL);
        write_file(to, strcmp(names[i], broken) ? text : "plot x with nonsense\n");
        free(text);
    }
    setenv("ECONSIM_PLOTS", plots, 1);
}

Test(charts, a_failing_chart_is_a_warning_and_the_others_go_on)
{
    real_gnuplot();
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts");
    char base[2048];
    FORMAT(base, "%s", dir);
    templates_with_broken(base, "trajectory");
    char out[2048];
    FORMAT(out, "%s/out", base);
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, out, NULL, &list, &d), DIAG_OK, "%s", d.message);
    char names[1024];
    list_dir(testutil_join(out, "charts"), names, sizeof names);
    cr_assert_str_eq(names, "goals.gp goals.png output.gp peers-output.gp peers-output.png share.gp");
    char expected[2300];
    snprintf(expected, sizeof expected,
             "chart %s/charts/output.png: gnuplot failed (exit status 1): plot x with nonsense", out);
    cr_assert(has_warning(&d, expected), "%s", d.warning_count ? d.warnings[0] : "no warning");
    cr_assert(has_warning(&d, "\"output.gp\" line "), "the script's own name, not its temporary one");
    cr_assert(has_warning(&d, "charts/share.png: gnuplot failed"));
    cr_assert(!list.entries[0].drawn && !list.entries[1].drawn && list.entries[2].drawn && list.entries[3].drawn);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(base);
    unload(&l);
}

/* Charts draw several at once; the order in which their gnuplot processes end changes nothing:
 * the same files, the same list, the same warnings in the same order. The stand-in gnuplot
 * makes the first chart the slowest and fails one of them. */
Test(charts, the_order_charts_end_in_changes_nothing)
{
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts-order");
    char base[2048], bin[2100], out[2100], path[4300];
    FORMAT(base, "%s", dir);
    FORMAT(bin, "%s/bin", base);
    FORMAT(out, "%s/out", base);
    cr_assert_eq(mkdir(bin, 0755), 0);
    write_file(testutil_join(bin, "gnuplot"),
               /* as gnuplot: the -e commands and scripts in order, stopping at a failed one */
               "#!/bin/sh\n"
               "while [ $# -gt 0 ]; do\n"
               "  case $1 in\n"
               "    -d) shift; continue;;\n"
               "    -e) case $2 in econsim_output=*) out=${2#econsim_output=\\'}; out=${out%\\'};; esac; shift 2; continue;;\n"
               "  esac\n"
               "  case $1 in\n"
               "    output.gp) sleep 0.4;;\n"
               "    share.gp) sleep 0.2; echo \"share.gp line 1: nonsense\" >&2; exit 1;;\n"
               "    goals.gp) sleep 0.1; echo 'warning: a warning' >&2;;\n"
               "  esac\n"
               "  echo \"drawn from $1\" > \"$out\"\n"
               "  shift\n"
               "done\n");
    cr_assert_eq(chmod(testutil_join(bin, "gnuplot"), 0755), 0);
    const char *old_path = getenv("PATH");
    char saved_path[4096];
    FORMAT(saved_path, "%s", old_path ? old_path : "/usr/bin:/bin");
    FORMAT(path, "%s:/usr/bin:/bin", bin);
    setenv("PATH", path, 1);
    char *listings[2], *warnings[2], *entries[2];
    for (int pass = 0; pass < 2; pass++) {
        diag d;
        diag_init(&d);
        charts_list list = {0};
        charts_options o;
        cr_assert_eq(charts_options_load(l.run, NULL, &o, &d), DIAG_OK, "%s", d.message);
        o.jobs = pass == 0 ? 1 : 4;
        output_batch *batch = output_batch_new(out, &d);
        cr_assert_not_null(batch, "%s", d.message);
        cr_assert_eq(charts_write_run(batch, l.run, l.goals, l.peers, &o, &list, &d), DIAG_OK, "%s", d.message);
        cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
        listings[pass] = testutil_tree_listing(out);
        size_t size = 1;
        for (size_t i = 0; i < d.warning_count; i++)
            size += strlen(d.warnings[i]) + 1;
        warnings[pass] = calloc(1, size);
        for (size_t i = 0; i < d.warning_count; i++)
            strcat(strcat(warnings[pass], d.warnings[i]), "\n");
        entries[pass] = calloc(1, 4096);
        for (size_t i = 0; i < list.count; i++)
            snprintf(entries[pass] + strlen(entries[pass]), 4096 - strlen(entries[pass]), "%s %s %d\n",
                     list.entries[i].file, list.entries[i].script, list.entries[i].drawn);
        charts_list_release(&list);
        charts_options_release(&o);
        diag_free(&d);
    }
    setenv("PATH", saved_path, 1);
    cr_assert_str_eq(entries[0], "charts/output.png charts/output.gp 1\ncharts/share.png charts/share.gp 0\n"
                                 "charts/goals.png charts/goals.gp 1\ncharts/peers-output.png charts/peers-output.gp 1\n");
    cr_assert_str_eq(entries[1], entries[0]);
    cr_assert_str_eq(warnings[1], warnings[0]);
    cr_assert_str_eq(listings[1], listings[0]);
    cr_assert(strstr(warnings[0], "charts/share.png: gnuplot failed (exit status 1): share.gp line 1: nonsense"),
              "%s", warnings[0]);
    cr_assert(strstr(listings[0], "charts/share.gp ") && !strstr(listings[0], "charts/share.png"),
              "the failed chart's script stays, no image: %s", listings[0]);
    for (int pass = 0; pass < 2; pass++) {
        free(listings[pass]);
        free(warnings[pass]);
        free(entries[pass]);
    }
    testutil_remove_tree(base);
    unload(&l);
}

Test(charts, missing_templates_are_a_warning_unless_charts_are_required)
{
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts");
    char base[2048];
    FORMAT(base, "%s", dir);
    setenv("ECONSIM_PLOTS", testutil_join(base, "nowhere"), 1);
    charts_list list;
    diag d;
    cr_assert_eq(write_charts(&l, testutil_join(base, "out"), NULL, &list, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(list.count, 0);
    cr_assert(has_warning(&d, "no charts: ECONSIM_PLOTS="));
    diag_free(&d);
    charts_list_release(&list);
    testutil_remove_tree(base);
    unload(&l);
}

/* ---------------------------------------------------------------------------------------- */
/* Comparison */

Test(charts, comparison_overlays_scenarios)
{
    real_gnuplot();
    loaded a = load("tests/data/charts/scenario.json");
    loaded b = load("tests/data/charts/other.json");
    const char *dir = testutil_make_dir("charts");
    diag d;
    diag_init(&d);
    charts_options o;
    cr_assert_eq(charts_options_load(a.run, &(charts_request){.format = "svg"}, &o, &d), DIAG_OK);
    output_batch *batch = output_batch_new(dir, &d);
    charts_list list = {0};
    const run *runs[2] = {a.run, b.run};
    cr_assert_eq(charts_write_comparison(batch, runs, 2, NULL, &o, &list, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK);
    cr_assert_eq(list.count, 2);
    cr_assert_str_eq(list.entries[0].file, "charts/compare-output.svg");
    cr_assert_str_eq(list.entries[0].kind, "compare");
    cr_assert_str_eq(list.entries[0].title, "产出 — scenarios compared");
    char *script = testutil_read_file(testutil_join(dir, "charts/compare-output.gp"), NULL);
    cr_assert(strstr(script, "array econsim_series_titles[2] = [ \\\n    '测试情景', \\\n    '慢速情景']\n"));
    /* the slow scenario: 115.5 x 1.02 from 2022 */
    char value[32], row[128];
    output_format_number(value, 115.5 * 1.02);
    FORMAT(row, "$econsim_2_projection << EOD\n2021 115.5\n2022 %s\n", value);
    cr_assert(strstr(script, row), "%s", script);
    free(script);
    char *svg = testutil_read_file(testutil_join(dir, "charts/compare-output.svg"), NULL);
    cr_assert(strstr(svg, "<text>测试情景</text>") && strstr(svg, "<text>慢速情景</text>"), "both in the key");
    free(svg);
    charts_options_release(&o);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(dir);
    unload(&a);
    unload(&b);
}

/* ---------------------------------------------------------------------------------------- */
/* The charts block */

static void expect_block_error(const char *block, const char *expected)
{
    char cwd[1024], text[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    FORMAT(text, "{\"name\": \"b\", \"extends\": \"%s/tests/data/charts/scenario.json\", \"charts\": %s}",
             cwd, block);
    const char *path = testutil_write("block.json", text);
    diag d;
    diag_init(&d);
    run *r = run_load(path, &d);
    cr_assert_not_null(r, "%s", d.message);
    charts_options o;
    cr_assert_eq(charts_options_load(r, NULL, &o, &d), DIAG_DATA, "%s", block);
    cr_assert(strstr(d.message, expected), "%s\nexpected: %s", d.message, expected);
    cr_assert(strstr(d.message, "block.json: $.charts"), "%s", d.message);
    diag_free(&d);
    run_free(r);
}

Test(charts, block_errors_say_where)
{
    expect_block_error("{\"varaibles\": [\"output\"]}", "unknown key \"varaibles\" in charts block (did you mean \"variables\"?)");
    expect_block_error("{\"variables\": [\"outpt\"]}", "$.charts.variables[0]: error: unknown variable \"outpt\"");
    expect_block_error("{\"variables\": [\"outpt\"]}", "(did you mean \"output\", 产出?)");
    expect_block_error("{\"variables\": []}", "non-empty array");
    expect_block_error("{\"variables\": [3]}", "must be a model name");
    expect_block_error("{\"size\": [100, 500]}", "$.charts.size[0]: error: a chart width must be a whole number of pixels");
    expect_block_error("{\"size\": [800, 500.5]}", "height");
    expect_block_error("{\"size\": [800]}", "[width, height]");
    expect_block_error("{\"format\": \"jpeg\"}", "$.charts.format");
}

Test(charts, block_defaults_and_command_line)
{
    loaded l = load("tests/data/charts/scenario.json");
    diag d;
    diag_init(&d);
    charts_options o;
    cr_assert_eq(charts_options_load(l.run, NULL, &o, &d), DIAG_OK);
    cr_assert(o.enabled && !o.required && o.format == PLOT_PNG && o.width == 800 && o.height == 500);
    cr_assert_eq(o.variable_count, 2);
    cr_assert_str_eq(o.variables[1], "share");
    charts_options_release(&o);
    cr_assert_eq(charts_options_load(l.run, &(charts_request){.format = "pdf", .disabled = 1}, &o, &d), DIAG_OK);
    cr_assert(!o.enabled && o.required && o.format == PLOT_PDF);
    charts_options_release(&o);
    /* --size wins over the block's [800, 500]; out of range is a usage error */
    cr_assert_eq(charts_options_load(l.run, &(charts_request){.width = 2000, .height = 1200}, &o, &d), DIAG_OK);
    cr_assert(o.enabled && !o.required && o.width == 2000 && o.height == 1200);
    cr_assert_eq(o.variable_count, 2, "the rest of the block still holds");
    charts_options_release(&o);
    cr_assert_eq(charts_options_load(l.run, &(charts_request){.width = 2000, .height = CHARTS_MAX_SIZE + 1}, &o, &d),
                 DIAG_USAGE);
    cr_assert(strstr(d.message, "--size"), "%s", d.message);
    diag_free(&d);
    unload(&l);
    /* no block: every variable with an observation, default size */
    loaded shipped = load("scenarios/linzhou-2023-target.json");
    diag_init(&d);
    cr_assert_eq(charts_options_load(shipped.run, NULL, &o, &d), DIAG_OK);
    cr_assert(o.width == CHARTS_DEFAULT_WIDTH && o.height == CHARTS_DEFAULT_HEIGHT);
    cr_assert_geq(o.variable_count, 3);
    cr_assert_str_eq(o.variables[0], "gdp");
    int has_revenue = 0, has_construction = 0;
    for (size_t i = 0; i < o.variable_count; i++) {
        has_revenue |= !strcmp(o.variables[i], "fiscal_revenue");
        has_construction |= !strcmp(o.variables[i], "construction_output");
        cr_assert(strcmp(o.variables[i], "gdp_real"), "gdp_real has no observation");
    }
    cr_assert(has_revenue && has_construction);
    charts_options_release(&o);
    diag_free(&d);
    unload(&shipped);
}

Test(charts, without_history_every_variable_is_drawn)
{
    loaded l = load("tests/data/charts/no-history.json");
    diag d;
    diag_init(&d);
    charts_options o;
    cr_assert_eq(charts_options_load(l.run, NULL, &o, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(o.variable_count, 2);
    cr_assert_str_eq(o.variables[0], "output");
    cr_assert_str_eq(o.variables[1], "share");
    charts_options_release(&o);
    diag_free(&d);
    /* the initial value is drawn as an estimate (hollow), never as an observation */
    const char *dir = testutil_make_dir("charts");
    charts_list list;
    cr_assert_eq(write_charts(&l, dir, NULL, &list, &d), DIAG_OK, "%s", d.message);
    char *script = testutil_read_file(testutil_join(dir, "charts/output.gp"), NULL);
    cr_assert(strstr(script, "$econsim_observed << EOD\nEOD\neconsim_observed_points = 0\n"), "%s", script);
    cr_assert(strstr(script, "$econsim_estimated << EOD\n2021 100\nEOD\n"), "%s", script);
    cr_assert(strstr(script, "Data: the initial values the scenario gives (no observations file)"), "%s", script);
    free(script);
    charts_list_release(&list);
    diag_free(&d);
    testutil_remove_tree(dir);
    unload(&l);
}

/* Every allocation of the charts path fails in turn: each is a clean "out of memory"
 * (DIAG_SOFTWARE), never a crash, a leak (the sanitizer build checks) or a silent loss of the
 * charts; once allocations stop failing the charts are written. gnuplot is kept off PATH so
 * the loop spawns nothing; the runner's own allocation is tested at the end. */
Test(charts, every_allocation_failure_is_reported)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    loaded l = load("tests/data/charts/scenario.json");
    const char *dir = testutil_make_dir("charts");
    char base[256], empty[300], out[300];
    FORMAT(base, "%s", dir);
    FORMAT(empty, "%s/empty-bin", base);
    FORMAT(out, "%s/out", base);
    cr_assert_eq(mkdir(empty, 0755), 0);
    setenv("PATH", empty, 1);
    long failures = 0;
    int succeeded = 0;
    for (long n = 0; n < 100000 && !succeeded; n++) {
        diag d;
        diag_init(&d);
        charts_list list = {0};
        charts_options o;
        mem_fail_after(n);
        int status = charts_options_load(l.run, NULL, &o, &d);
        output_batch *batch = NULL;
        if (status == DIAG_OK && !(batch = output_batch_new(out, &d)))
            status = d.status;
        if (status == DIAG_OK)
            status = charts_write_run(batch, l.run, l.goals, l.peers, &o, &list, &d);
        cJSON *json = status == DIAG_OK ? summary_charts(&list) : NULL;
        if (status == DIAG_OK && !json)
            status = diag_oom(&d, "listing charts");
        if (status == DIAG_OK) {
            status = output_batch_commit(batch, &d);
            batch = NULL;
        }
        mem_fail_reset();
        output_batch_abort(batch);
        cJSON_Delete(json);
        if (status == DIAG_OK) {
            succeeded = 1;
            cr_assert_eq(list.count, 4, "all four charts once memory is there");
        } else {
            cr_assert_eq(status, DIAG_SOFTWARE, "allocation %ld: status %d: %s", n, status, d.message);
            cr_assert(strstr(d.message, "out of memory"), "allocation %ld: %s", n, d.message);
            failures++;
        }
        charts_list_release(&list);
        charts_options_release(&o);
        diag_free(&d);
    }
    cr_assert(succeeded);
    cr_assert_gt(failures, 50, "only %ld allocation sites", failures);
    char names[1024];
    list_dir(testutil_join(out, "charts"), names, sizeof names);
    cr_assert_str_eq(names, "goals.gp output.gp peers-output.gp share.gp", "no temporary file is left");
    /* the runner: its one allocation (gnuplot's environment) */
    diag d;
    diag_init(&d);
    mem_fail_after(0);
    int status = plot_run_gnuplot("/bin/true", base, "x.gp", "x.png", 10, "chart", NULL, 0, &d);
    mem_fail_reset();
    cr_assert_eq(status, DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "out of memory"), "%s", d.message);
    diag_free(&d);
    testutil_remove_tree(base);
    unload(&l);
}
