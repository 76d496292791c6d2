/* test_jsonfile.c: JSON input helpers: paths resolved relative to the naming file, simplified
 * only where that is safe, and numbers written as "8%". */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonfile.h"
#include "mem.h"

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
    cr_assert_str_eq(path, "$.assumptions.gdp_real_growth[\"2024-2030\"]");
    jsonfile_path_index(path, "$.goals", 3);
    cr_assert_str_eq(path, "$.goals[3]");
    jsonfile_path_key(path, "$.peers", "长垣\"市");
    cr_assert_str_eq(path, "$.peers[\"长垣\\\"市\"]");
}
