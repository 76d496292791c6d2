/* test_report_html.c: the pieces of report.html and of the side-by-side table that can be
 * checked by hand: HTML escaping, the SVG inlining (ids made unique, anything but drawing
 * refused), the comparison of two scenarios computed by hand, and the page's summary sentences
 * with a hostile goal label. The whole page in a browser, the workbook and the PDF are
 * tests/report.sh's.
 *
 * Fixture (as test_report.c): x[2023] = 100 (initial), x = x[-1] (1 + g); scenario A has
 * g = 50% in 2024 and -20% later (x = 150, 120, 96), scenario B g = 20% in 2024 and -20% later
 * (x = 120, 96, 76.8). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_table.h"
#include "i18n.h"
#include "report_html.h"
#include "testutil.h"

/* What write produced, as a string (caller frees). */
static char *capture_text(const char *text)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    report_html_text(f, text);
    fclose(f);
    return out;
}

Test(report_html, text_escaped)
{
    char *out = capture_text("<script>alert('x')</script> & \"q\"");
    cr_assert_str_eq(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    free(out);
    /* controls but newline and tab dropped, C1 and bidirectional overrides dropped, CJK kept */
    out = capture_text("a\x1b[31mb\x07\tc\nd \xc2\x9b 林州\xe2\x80\xae" "evil");
    cr_assert_str_eq(out, "a[31mb\tc\nd  林州evil");
    free(out);
    out = capture_text(NULL);
    cr_assert_str_eq(out, "");
    free(out);
}

/* An SVG as gnuplot writes it: prolog, ids in both quote styles, references, spaced '=',
 * and a text holding what would be markup if it were not escaped. */
static const char svg_ok[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
    "<svg viewBox=\"0 0 100 50\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
    "<g id=\"gnuplot_canvas\"><defs><circle id='gpPt5' r='1'/><filter id='textbox'/></defs>\n"
    "<use xlink:href='#gpPt5' x='3'/><polygon fill = 'rgb(1, 2, 3)' points = '0,0 1,1 '/>\n"
    "<g filter=\"url(#textbox)\"><text> onerror=x id='y' &lt;img src=x> url(#z)</text></g></g></svg>\n";

static char *capture_svg(const char *svg, int *ok)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    cr_assert_not_null(f);
    *ok = report_html_svg(f, svg, strlen(svg), "s3-");
    fclose(f);
    return out;
}

Test(report_html, svg_ids_prefixed_text_untouched)
{
    int ok;
    char *out = capture_svg(svg_ok, &ok);
    cr_assert_eq(ok, 1);
    cr_assert_eq(strncmp(out, "<svg ", 5), 0, "the prolog is dropped: %s", out);
    cr_assert_not_null(strstr(out, "id=\"s3-gnuplot_canvas\""));
    cr_assert_not_null(strstr(out, "<circle id='s3-gpPt5' r='1'/>"));
    cr_assert_not_null(strstr(out, "xlink:href='#s3-gpPt5'"));
    cr_assert_not_null(strstr(out, "filter=\"url(#s3-textbox)\""));
    cr_assert_not_null(strstr(out, "fill='rgb(1, 2, 3)'"));
    /* the text between tags is left exactly as gnuplot wrote it */
    cr_assert_not_null(strstr(out, "<text> onerror=x id='y' &lt;img src=x> url(#z)</text>"));
    free(out);
}

Test(report_html, svg_refused_unless_plain_drawing)
{
    static const char *const bad[] = {
        "<svg><script>alert(1)</script></svg>",
        "<svg onload='alert(1)'><g/></svg>",
        "<svg><g ONclick=\"x()\"/></svg>",
        "<svg><use xlink:href='http://example.invalid/a.svg#x'/></svg>",
        "<svg><rect fill='url(http://example.invalid/p)'/></svg>",
        "<svg><foreignObject><img src=x /></foreignObject></svg>",
        "<svg><image href='#x'/></svg>",
        "<svg><a href='#x'><text>t</text></a></svg>",
        "<svg><style>@import url(x)</style></svg>",
        "<svg><rect x=1/></svg>",
        "<svg><rect x='1'",
        "no svg at all",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int ok;
        char *out = capture_svg(bad[i], &ok);
        cr_assert_eq(ok, 0, "accepted: %s", bad[i]);
        cr_assert_str_eq(out, "", "wrote something for: %s", bad[i]);
        free(out);
    }
}

static const char model_json[] =
    "{\"name\": \"small\", \"title\": \"小模型\","
    " \"exogenous\": {\"g\": {\"value\": 0.1, \"label\": \"增速\", \"unit\": \"ratio\", \"min\": -0.5, \"max\": 1}},"
    " \"variables\": {\"x\": {\"label\": \"产出\", \"unit\": \"亿元\", \"eq\": \"x[-1] * (1 + g)\"}}}";

static run *load(const char *name, const char *growth_2024)
{
    char text[1024], file[64];
    snprintf(text, sizeof text,
             "{\"name\": \"%s\", \"title\": \"情景 %s\", \"model\": \"html-model.json\", \"start\": 2024,"
             " \"end\": 2026, \"initial\": {\"x\": 100},"
             " \"assumptions\": {\"g\": {\"2024\": %s, \"2025-2026\": \"-20%%\"}}}",
             name, name, growth_2024);
    snprintf(file, sizeof file, "html-%s.json", name);
    testutil_write("html-model.json", model_json);
    run *r = testutil_load_run(testutil_write(file, text));
    cr_assert_not_null(r);
    return r;
}

/* Two goals on x: level >= 100 in 2025, growth <= -10% in 2026. */
static void make_goals(goals_set *set, goals_goal *goals, goals_result *results, const run *r, int both)
{
    memset(goals, 0, 2 * sizeof *goals);
    memset(results, 0, 2 * sizeof *results);
    goals[0] = (goals_goal){.id = (char *)"x-2025", .label = (char *)"<b>x</b> 2025 \"><img src=x onerror=alert(1)>",
                            .variable = (char *)"x", .slot = model_find(r->model, "x"), .year = 2025, .target = 100,
                            .kind = GOALS_LEVEL, .direction = GOALS_AT_LEAST, .solve_slot = -1};
    goals[1] = (goals_goal){.id = (char *)"x-fall", .label = (char *)"x falls", .variable = (char *)"x",
                            .slot = goals[0].slot, .year = 2026, .target = -0.1, .kind = GOALS_GROWTH,
                            .direction = GOALS_AT_MOST, .solve_slot = -1};
    set->goals = goals;
    set->results = results;
    set->count = both ? 2 : 1;
    results[0].probability = both ? 0.7 : NAN;
    results[1].probability = NAN;
}

Test(report_html, comparison_by_hand)
{
    run *a = load("a", "0.5"), *b = load("b", "0.2");
    goals_set ga, gb;
    goals_goal goals_a[2], goals_b[2];
    goals_result results_a[2], results_b[2];
    make_goals(&ga, goals_a, results_a, a, 1);
    make_goals(&gb, goals_b, results_b, b, 0); /* b has only the first goal */
    const run *runs[2] = {a, b};
    const goals_set *sets[2] = {&ga, &gb};
    diag d;
    diag_init(&d);
    compare_table *t = compare_table_build(runs, sets, 2, &d);
    cr_assert_not_null(t);
    cr_assert_eq(t->row_count, 2);
    /* x 2025: a 120 (met), b 96 (not met) */
    cr_assert_float_eq(t->rows[0].cells[0].value, 120, 1e-9);
    cr_assert_float_eq(t->rows[0].cells[1].value, 96, 1e-9);
    cr_assert_eq(t->rows[0].cells[0].met, 1);
    cr_assert_eq(t->rows[0].cells[1].met, 0);
    cr_assert_float_eq(t->rows[0].cells[0].probability, 0.7, 1e-12);
    cr_assert(isnan(t->rows[0].cells[1].probability));
    /* growth 2026: 96/120 - 1 = -20% in a, 76.8/96 - 1 = -20% in b: both at most -10% */
    cr_assert_float_eq(t->rows[1].cells[0].value, -0.2, 1e-12);
    cr_assert_float_eq(t->rows[1].cells[1].value, -0.2, 1e-12);
    cr_assert_eq(t->rows[1].cells[0].met, 1);
    cr_assert_eq(t->rows[1].cells[1].met, 1);
    cr_assert_str_eq(compare_table_status(&t->rows[0].cells[1]), "not met");

    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    compare_table_print(f, t);
    fclose(f);
    cr_assert_not_null(strstr(text, "120.00亿元 met 70%"), "%s", text);
    cr_assert_not_null(strstr(text, "96.00亿元 NOT met"), "%s", text);
    free(text);

    /* the combined page: the table escaped, the statuses in words */
    report_html_scenario scenarios[2] = {{.run = a, .goals = &ga, .folder = "../a"},
                                         {.run = b, .goals = &gb, .folder = "../b"}};
    report_html_page page = {.scenarios = scenarios, .count = 2, .combined = 1, .comparison = t};
    f = open_memstream(&text, &size);
    report_html_write(f, &page);
    fclose(f);
    cr_assert_null(strstr(text, "<img"), "raw markup from a label reached the page");
    cr_assert_null(strstr(text, "<b>x"), "raw markup from a label reached the page");
    cr_assert_not_null(strstr(text, "&lt;b&gt;x&lt;/b&gt; 2025 &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    cr_assert_not_null(strstr(text, "<span class=\"notmet\">not met</span>"));
    cr_assert_not_null(strstr(text, "<html lang=\"en\">"));
    cr_assert_not_null(strstr(text, "<h1>Scenario comparison report (2 scenarios)</h1>"));
    cr_assert_null(strstr(text, "http"), "no URL of any kind");
    cr_assert_null(strstr(text, "<script"));
    free(text);

    /* the same page in Chinese (--lang zh): the catalogue of build/locale */
    i18n_language zh = I18N_CHINESE;
    i18n_setup(&zh);
    cr_assert_str_eq(compare_table_status(&t->rows[0].cells[1]), "未达成");
    f = open_memstream(&text, &size);
    report_html_write(f, &page);
    fclose(f);
    cr_assert_not_null(strstr(text, "<html lang=\"zh-CN\">"));
    cr_assert_not_null(strstr(text, "<h1>情景对比报告（2 个情景）</h1>"), "%s", text);
    cr_assert_not_null(strstr(text, "<span class=\"notmet\">未达成</span>"));
    cr_assert_null(strstr(text, "<img"), "raw markup from a label reached the page");
    free(text);
    compare_table_free(t);
    compare_table_free(NULL);
    diag_free(&d);
    run_free(a);
    run_free(b);
}

Test(report_html, summary_sentences)
{
    run *a = load("a", "0.5");
    goals_set ga;
    goals_goal goals_a[2];
    goals_result results_a[2];
    make_goals(&ga, goals_a, results_a, a, 1);
    results_a[0] = (goals_result){.value = 120, .met = 1, .first_year_met = 2024, .probability = 0.7};
    results_a[1] = (goals_result){.value = -0.2, .met = 1, .first_year_met = 2025, .probability = NAN};
    report_html_scenario one = {.run = a, .goals = &ga};
    report_html_page page = {.scenarios = &one, .count = 1};
    char *text = NULL;
    size_t size = 0;
    /* English (the tests' locale): the same sentences and headings */
    FILE *f = open_memstream(&text, &size);
    report_html_write(f, &page);
    fclose(f);
    char *summary_en = strstr(text, "<h2>Summary</h2>");
    char *projection_en = strstr(text, "<h2>Projection</h2>");
    char *assumptions_en = strstr(text, "<h2>Assumptions and sources</h2>");
    char *equations_en = strstr(text, "<h2>Model equations</h2>");
    cr_assert(summary_en && projection_en && assumptions_en && equations_en, "%s", text);
    cr_assert(summary_en < projection_en && projection_en < assumptions_en && assumptions_en < equations_en);
    cr_assert_not_null(strstr(text, "(at least 100.00亿元 in 2025): <span class=\"met\">met</span>, projected 120.00亿元; "
                                    "first met in 2024; probability of meeting it 70.0%"),
                       "%s", summary_en);
    cr_assert_not_null(strstr(text, "Goal “x falls” (at most -10.00% in 2026): <span class=\"met\">met</span>"), "%s",
                       summary_en);
    cr_assert_null(strstr(text, "摘要"), "Chinese heading in the English report");
    free(text);

    i18n_language zh = I18N_CHINESE;
    i18n_setup(&zh);
    f = open_memstream(&text, &size);
    report_html_write(f, &page);
    fclose(f);
    /* the summary comes first, each goal in a sentence with its status, year and probability */
    char *summary = strstr(text, "<h2>摘要</h2>");
    char *projection = strstr(text, "<h2>预测</h2>");
    char *assumptions = strstr(text, "<h2>假设与来源</h2>");
    char *equations = strstr(text, "<h2>模型方程</h2>");
    cr_assert(summary && projection && assumptions && equations);
    cr_assert(summary < projection && projection < assumptions && assumptions < equations);
    cr_assert_not_null(strstr(text, "2025 年不低于 100.00亿元）：<span class=\"met\">达成</span>，预测值 120.00亿元；"
                                    "2024 年首次达到；达成概率 70.0%"),
                       "%s", summary);
    cr_assert_not_null(strstr(text, "目标「x falls」（2026 年不高于 -10.00%）：<span class=\"met\">达成</span>"));
    /* the projection: 2024 is 150.00, the initial 2023 value is marked i */
    cr_assert_not_null(strstr(text, "<td class=\"n\">100.00<sup class=\"o\">i</sup></td>"));
    cr_assert_not_null(strstr(text, "<td class=\"n\">150.00</td>"));
    cr_assert_not_null(strstr(text, "<code>x = x[-1] * (1 + g)</code>"));
    cr_assert_not_null(strstr(text, "@page{size:A4"));
    free(text);
    run_free(a);
}
