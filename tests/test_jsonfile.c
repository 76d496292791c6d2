/* test_jsonfile.c: JSON input helpers: paths resolved relative to the naming file, simplified
 * only where that is safe, numbers written as "8%", what a load refuses (a NUL escape, nesting
 * past the limit, a FIFO) and finding a JSON path in the text. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonfile.h"
#include "mem.h"
#include "testutil.h"
#include "text.h"

static char root[] = "/tmp/econsim-jsonfile-XXXXXX";

/* root/a/b (folders), root/link -> root/a/b (a symbolic link) */
static void make_tree(void)
{
    cr_assert_not_null(mkdtemp(root));
    char path[256];
    snprintf(path, sizeof path, "%s/a", root);
    cr_assert_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/a/b", root);
    cr_assert_eq(mkdir(path, 0700), 0);
    char link[256];
    snprintf(link, sizeof link, "%s/link", root);
    cr_assert_eq(symlink(path, link), 0);
}

static void remove_tree(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/link", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/a/b", root);
    rmdir(path);
    snprintf(path, sizeof path, "%s/a", root);
    rmdir(path);
    rmdir(root);
}

static void expect_resolved(const char *base, const char *relative, const char *want)
{
    char *got = jsonfile_resolve_path(base, relative);
    cr_assert_not_null(got);
    cr_assert_str_eq(got, want, "%s + %s", base, relative);
    mem_free(got);
}

Test(jsonfile, paths_resolve_relative_to_the_naming_file, .init = make_tree, .fini = remove_tree)
{
    char base[256], want[256];
    snprintf(base, sizeof base, "%s/a/b/s.json", root);
    snprintf(want, sizeof want, "%s/a/m.json", root);
    expect_resolved(base, "../m.json", want); /* b is a real folder: b/.. is a */
    snprintf(want, sizeof want, "%s/m.json", root);
    expect_resolved(base, "../../m.json", want);
    snprintf(want, sizeof want, "%s/a/b/m.json", root);
    expect_resolved(base, "./m.json", want);
    /* through a symbolic link the pair stays: link/.. is the parent of the link's target */
    snprintf(base, sizeof base, "%s/link/s.json", root);
    snprintf(want, sizeof want, "%s/link/../m.json", root);
    expect_resolved(base, "../m.json", want);
    /* an absolute name is taken as it is; a base in the current folder adds nothing */
    expect_resolved(base, "/etc/x.json", "/etc/x.json");
    expect_resolved("s.json", "../m.json", "../m.json");
}

Test(jsonfile, relative_paths_in_the_source_tree)
{
    /* run from the repository root, as make check does */
    expect_resolved("scenarios/linzhou-2023-target.json", "../models/county.json", "models/county.json");
    expect_resolved("tests/cases/bad-json/s.json", "../../../scenarios/a.json", "scenarios/a.json");
    /* a folder that does not exist is not collapsed: only the file system can say what x/.. is */
    expect_resolved("tests/nowhere/s.json", "../m.json", "tests/nowhere/../m.json");
    expect_resolved("scenarios/s.json", "../../outside.json", "../outside.json");
}

Test(jsonfile, numbers_and_percentages)
{
    static const struct {
        const char *json;
        int ok;
        double want;
    } cases[] = {
        {"0.08", 1, 0.08},     {"\"8%\"", 1, 0.08},   {"\"1.5 %\"", 1, 0.015}, {"\" 2e3 \"", 1, 2000},
        {"\"-20%\"", 1, -0.2}, {"\"inf\"", 0, 0},     {"\"nan\"", 0, 0},       {"\"0x10\"", 0, 0},
        {"\"8%%\"", 0, 0},     {"\"\"", 0, 0},        {"true", 0, 0},          {"\"1e999\"", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *item = cJSON_Parse(cases[i].json);
        cr_assert_not_null(item, "case %zu does not parse", i);
        double v = -1;
        cr_assert_eq(jsonfile_number(item, &v), cases[i].ok, "case %zu: %s", i, cases[i].json);
        if (cases[i].ok)
            cr_assert_float_eq(v, cases[i].want, 1e-15, "case %zu", i);
        cJSON_Delete(item);
    }
}

Test(jsonfile, json_paths_quote_keys_that_are_not_identifiers)
{
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, "$", "assumptions");
    jsonfile_path_key(path, path, "gdp_real_growth");
    jsonfile_path_key(path, path, "2024-2030");
    cr_assert_str_eq(path, "$.assumptions.gdp_real_growth.2024-2030", "a year key reads bare");
    jsonfile_path_index(path, "$.goals", 3);
    cr_assert_str_eq(path, "$.goals[3]");
    jsonfile_path_key(path, "$.peers", "长垣\"市");
    cr_assert_str_eq(path, "$.peers[\"长垣\\\"市\"]");
}

/* Loads `text` as a file and returns the status, keeping the message in d. */
static int load_text(const char *content, diag *d)
{
    const char *path = testutil_write("load.json", content);
    cJSON *tree = jsonfile_load(path, d);
    int status = tree ? DIAG_OK : d->status;
    cJSON_Delete(tree);
    return status;
}

Test(jsonfile, an_escaped_nul_is_an_error_not_a_cut)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(load_text("{\"name\": \"ok\",\n \"title\": \"a\\u0000b\"}", &d), DIAG_DATA);
    cr_assert(strstr(d.message, "load.json:2:13: error: \\u0000 (a NUL character) inside a string"), "%s", d.message);
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(load_text("{\"title\": \"a\\\\u0000 is text\"}", &d), DIAG_OK, "an escaped backslash before u0000: %s",
                 d.message);
    diag_free(&d);
}

Test(jsonfile, nesting_past_the_limit_says_so)
{
    size_t depth = 1200;
    char *text = malloc(2 * depth + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < depth; i++) {
        text[i] = '[';
        text[2 * depth - 1 - i] = ']';
    }
    text[2 * depth] = '\0';
    diag d;
    diag_init(&d);
    cr_assert_eq(load_text(text, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "load.json:1:1001: error: JSON is nested more than 1000 levels deep"), "%s",
              d.message);
    free(text);
    diag_free(&d);
}

Test(jsonfile, every_duplicate_key_and_unknown_key_is_reported)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(load_text("{\"a\": 1, \"a\": 2, \"b\": {\"c\": 1, \"c\": 2}}", &d), DIAG_DATA);
    cr_assert_eq(d.error_count, 2, "%zu errors", d.error_count);
    diag_free(&d);
    diag_init(&d);
    cJSON *object = cJSON_Parse("{\"nmae\": 1, \"title\": 2, \"nite\": 3}");
    static const char *const keys[] = {"name", "title", "note", NULL};
    cr_assert_eq(jsonfile_check_keys(object, keys, "f.json", "$", "scenario", &d), DIAG_DATA);
    cr_assert_eq(d.error_count, 2);
    cr_assert_str_eq(d.errors[0].text, "f.json: $.nmae: error: unknown key \"nmae\" in scenario (did you mean \"name\"?)");
    cr_assert_str_eq(d.errors[1].text, "f.json: $.nite: error: unknown key \"nite\" in scenario (did you mean \"note\"?)");
    cJSON_Delete(object);
    diag_free(&d);
}

Test(jsonfile, a_fifo_is_refused_at_once)
{
    const char *dir = testutil_make_dir("fifo");
    const char *path = testutil_join(dir, "input.json");
    cr_assert_eq(mkfifo(path, 0600), 0);
    diag d;
    diag_init(&d);
    /* no writer ever opens the FIFO: a blocking read would hang here */
    cr_assert_null(jsonfile_load(path, &d));
    cr_assert_eq(d.status, DIAG_NO_INPUT);
    cr_assert(strstr(d.message, "input.json: error: cannot read: it is a FIFO, not a regular file"), "%s", d.message);
    diag_free(&d);
    testutil_remove_tree(dir);
}

Test(jsonfile, locate_finds_keys_elements_and_year_keys)
{
    static const char text[] = "{\n"
                               "  \"name\": \"x\",\n"
                               "  \"assumptions\": {\"gdp_real_growth\": {\"2023\": 4, \"2024-2030\": 0.07},\n"
                               "                  \"GDP \\u5b9e\\u9645\": 1},\n"
                               "  \"goals\": [{\"id\": \"a\"}, {\"id\": \"b\", \"target\": 7}],\n"
                               "  \"odd\\\"key\": {\"x\": [1, [2, 3], {\"y\": \"}\"}]}\n"
                               "}\n";
    size_t len = strlen(text);
    int line, col;
    text_position(text, jsonfile_locate(text, len, "$.assumptions.gdp_real_growth.2024-2030"), &line, &col);
    cr_assert_eq(line, 3);
    cr_assert_eq(col, 50);
    text_position(text, jsonfile_locate(text, len, "$.assumptions[\"GDP 实际\"]"), &line, &col);
    cr_assert_eq(line, 4, "a key written with \\u escapes");
    text_position(text, jsonfile_locate(text, len, "$.goals[1].target"), &line, &col);
    cr_assert_eq(line, 5);
    cr_assert_eq(col, 38);
    text_position(text, jsonfile_locate(text, len, "$[\"odd\\\"key\"].x[2].y"), &line, &col);
    cr_assert_eq(line, 6);
    cr_assert_eq(col, 34);
    /* a path that leaves the document stops where it was still found */
    text_position(text, jsonfile_locate(text, len, "$.goals[7].target"), &line, &col);
    cr_assert_eq(line, 5);
    cr_assert_eq(jsonfile_locate(text, len, "$"), 0);
}
