/* test_report.c: what a run shows and writes of its projection: origin flags, the table (aligned by display width, Chinese labels two columns a
 * character), projection.csv, the core of summary.json (summary.h: values, origins and where
 * each assumed or initial value was set), and how parts are added to a summary.
 *
 * The fixture is small enough to compute by hand: x[2023] = 100 (initial), x = x[-1] (1 + g)
 * with g = 50% in 2024 and -20% in 2025-2026, so x = 150, 120, 96; firms = 0.25 x = 37.5, 30,
 * 24. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "output.h"
#include "report.h"
#include "summary.h"
#include "testutil.h"

static const char model_json[] =
    "{\"name\": \"small\", \"title\": \"小模型\","
    " \"parameters\": {\"share\": {\"value\": 0.25, \"label\": \"份额\", \"unit\": \"ratio\","
    "                               \"min\": 0, \"max\": 1}},"
    " \"exogenous\": {\"g\": {\"value\": 0.1, \"label\": \"增速\", \"unit\": \"ratio\", \"min\": -0.5, \"max\": 1}},"
    " \"variables\": {\"x\": {\"label\": \"产出\", \"unit\": \"亿元\", \"eq\": \"x[-1] * (1 + g)\"},"
    "               \"firms\": {\"label\": \"企业 firms\", \"unit\": \"家\", \"eq\": \"x * share\"}}}";
static const char scenario_json[] =
    "{\"name\": \"small-case\", \"title\": \"小情景\", \"model\": \"report-model.json\", \"start\": 2024,"
    " \"end\": 2026, \"initial\": {\"x\": 100},"
    " \"assumptions\": {\"g\": {\"2024\": 0.5, \"2025-2026\": \"-20%\", \"note\": \"a boom, then a fall\"}}}";

static run *load(void)
{
    testutil_write("report-model.json", model_json);
    return testutil_load_run(testutil_write("report-scenario.json", scenario_json));
}

/* What print writes for the fixture's run, checked against expected. */
static void expect_printed(void (*print)(FILE *, const run *), const char *expected)
{
    run *r = load();
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    print(f, r);
    fclose(f);
    cr_assert_str_eq(text, expected);
    free(text);
    run_free(r);
}

Test(report, origin_flags)
{
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_OBSERVED), 'o');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_DERIVED), 'd');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_INTERPOLATED), 'n');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_INITIAL), 'i');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_PROJECTED), 'p');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_MODEL), ' ');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_ASSUMED), ' ');
    cr_assert_eq(report_origin_flag(SIM_ORIGIN_NONE), ' ');
}

/* The labels are padded to the widest, "企业 firms [家]" (15 columns: 企业 counts four), so the
 * year columns line up under Chinese and ASCII labels alike. */
Test(report, projection_table_by_hand)
{
    expect_printed(report_projection_table, "小情景  (small-case)\n"
                                            "                     2023       2024       2025       2026 \n"
                                            "产出 [亿元]        100.00i    150.00     120.00      96.00 \n"
                                            "企业 firms [家]         -         38         30         24 \n"
                                            "assumptions:\n"
                                            "增速 [%]                -     50.00%    -20.00%    -20.00% \n"
                                            "o observed, d derived from an observed growth rate (or, for "
                                            "an assumption, from the data), i initial value (assumed), e "
                                            "estimated before start from assumptions; others computed or "
                                            "assumed. "
                                            "Money in 亿元 at current prices unless the label says "
                                            "otherwise.\n");
}

Test(report, projection_csv_by_hand)
{
    expect_printed(report_projection_csv, "scenario,variable,year,value,origin\n"
                                          "small-case,x,2023,100,initial\n"
                                          "small-case,x,2024,150,model\n"
                                          "small-case,x,2025,120,model\n"
                                          "small-case,x,2026,96,model\n"
                                          "small-case,firms,2024,37.5,model\n"
                                          "small-case,firms,2025,30,model\n"
                                          "small-case,firms,2026,24,model\n"
                                          "small-case,g,2024,0.5,assumed\n"
                                          "small-case,g,2025,-0.2,assumed\n"
                                          "small-case,g,2026,-0.2,assumed\n");
}

/* The series named `name` in the "projection" array. */
static const cJSON *series(const cJSON *tree, const char *name)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(tree, "projection"))
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "name")), name))
            return item;
    cr_assert_fail("no series %s", name);
    return NULL;
}

static const char *string_at(const cJSON *object, const char *key)
{
    const char *value = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, key));
    cr_assert_not_null(value, "no string \"%s\"", key);
    return value;
}

Test(report, summary_core_by_hand)
{
    run *r = load();
    summary record;
    summary_start_run(&record, r, "building summary.json");
    cJSON *tree = record.root;
    cr_assert_not_null(tree);
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(tree, "scenario");
    cr_assert_str_eq(string_at(info, "name"), "small-case");
    cr_assert_str_eq(string_at(info, "title"), "小情景");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(info, "start")->valuedouble, 2024);
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(info, "end")->valuedouble, 2026);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(info, "history")), "no observations file");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(info, "extends")), 0);
    cr_assert_str_eq(string_at(cJSON_GetObjectItemCaseSensitive(tree, "model"), "name"), "small");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(tree, "bounds")), 0);
    /* the parameter, at the model's value */
    const cJSON *share = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(tree, "parameters"), 0);
    cr_assert_str_eq(string_at(share, "name"), "share");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(share, "value")->valuedouble, 0.25);
    cr_assert_str_eq(string_at(share, "origin"), "model default");
    /* x: the initial value says where it was set; computed values have no "set_by" */
    const cJSON *x = series(tree, "x");
    cr_assert_str_eq(string_at(x, "unit"), "亿元");
    cr_assert_str_eq(string_at(x, "equation"), "x[-1] * (1 + g)");
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(x, "values");
    cr_assert_eq(cJSON_GetArraySize(values), 4);
    static const double expected_x[] = {100, 150, 120, 96};
    static const char *const origins[] = {"initial", "model", "model", "model"};
    for (int i = 0; i < 4; i++) {
        const cJSON *point = cJSON_GetArrayItem(values, i);
        cr_assert_eq(cJSON_GetObjectItemCaseSensitive(point, "year")->valuedouble, 2023 + i);
        cr_assert_eq(cJSON_GetObjectItemCaseSensitive(point, "value")->valuedouble, expected_x[i]);
        cr_assert_str_eq(string_at(point, "origin"), origins[i]);
        cr_assert_eq(cJSON_GetObjectItemCaseSensitive(point, "set_by") != NULL, i == 0);
    }
    const cJSON *set_by = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(values, 0), "set_by");
    cr_assert_str_eq(string_at(set_by, "kind"), "initial");
    cr_assert_str_eq(string_at(set_by, "json_path"), "$.initial.x");
    /* g: each year's assumption with its year key and the note that goes with it */
    const cJSON *g2025 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(series(tree, "g"), "values"), 1);
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(g2025, "value")->valuedouble, -0.2);
    cr_assert_str_eq(string_at(g2025, "origin"), "assumed");
    set_by = cJSON_GetObjectItemCaseSensitive(g2025, "set_by");
    cr_assert_str_eq(string_at(set_by, "json_path"), "$.assumptions.g.2025-2026");
    cr_assert_str_eq(string_at(set_by, "note"), "a boom, then a fall");
    /* firms starts in 2024: no value before the first computed year */
    const cJSON *firms = cJSON_GetObjectItemCaseSensitive(series(tree, "firms"), "values");
    cr_assert_eq(cJSON_GetArraySize(firms), 3);
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(firms, 0), "value")->valuedouble, 37.5);
    summary_free(&record);
    run_free(r);
}

Test(report, parts_and_warnings_are_added_or_freed)
{
    summary record;
    summary_start(&record, cJSON_CreateObject(), "building summary.json");
    summary_add(&record, "goals", cJSON_CreateArray());
    cr_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(record.root, "goals")));
    cr_assert_not(record.failed);
    diag d;
    diag_init(&d);
    diag_warning(&d, "first: %s", "林州市");
    diag_warning(&d, "second");
    summary_add_warnings(&record, &d);
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(record.root, "warnings");
    cr_assert_eq(cJSON_GetArraySize(warnings), 2);
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(warnings, 0)), "first: 林州市");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(warnings, 1)), "second");
    cr_assert_not(record.failed);
    summary_add(&record, "peers", NULL);
    cr_assert(record.failed, "a part whose builder ran out of memory fails the summary");
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(record.root, "peers"));
    /* a failed summary is never written: "out of memory", and the batch gets no file */
    const char *folder = testutil_join(testutil_make_dir("report-failed"), "out");
    output_batch *batch = output_batch_new(folder, &d);
    cr_assert_not_null(batch, "%s", d.message);
    cr_assert_eq(summary_write(&record, batch, &d), DIAG_SOFTWARE);
    cr_assert(strstr(d.message, "out of memory") && strstr(d.message, "building summary.json"), "%s", d.message);
    output_batch_abort(batch);
    summary_free(&record);
    summary_free(&record); /* twice is safe */
    diag_free(&d);
}

Test(report, json_is_written_into_the_batch_with_a_final_newline)
{
    const char *dir = testutil_make_dir("report");
    const char *folder = testutil_join(dir, "out");
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(folder, &d);
    cr_assert_not_null(batch, "%s", d.message);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "place", "林州市");
    cr_assert_eq(summary_write_part(batch, "summary.json", root, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    char *text = testutil_read_file(testutil_join(folder, "summary.json"), NULL);
    cr_assert_str_eq(text, "{\n\t\"place\":\t\"林州市\"\n}\n");
    free(text);
    cJSON_Delete(root);
    diag_free(&d);
    testutil_remove_tree(dir);
}

/* Every allocation of summary_start_run fails in turn: NULL or a tree, never a crash or a leak
 * (the sanitizer build checks), until it is built whole. */
Test(report, summary_out_of_memory)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    run *r = load();
    int whole = 0;
    long n;
    for (n = 0; n < 100000 && !whole; n++) {
        unsigned long failures = mem_failure_count();
        mem_fail_after(n);
        summary record;
        summary_start_run(&record, r, "building summary.json");
        mem_fail_reset();
        whole = record.root && mem_failure_count() == failures;
        summary_free(&record);
    }
    cr_assert(whole);
    cr_assert_gt(n, 50, "only %ld allocations", n);
    cJSON_InitHooks(NULL);
    run_free(r);
}
