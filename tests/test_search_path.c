/* test_search_path.c: where the files a scenario names are found: as written first, then each
 * folder of ECONSIM_PATH in turn (as written, then by bare name), the first match winning; an
 * ambiguity only between two different files of one folder (two spellings of one file are
 * not); a name found nowhere stays as written. And "_" comment keys dropped at any depth. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "jsonfile.h"
#include "search_path.h"
#include "testutil.h"

/* Creates the folders of path and the file itself, holding "{}". */
static void touch(const char *dir, const char *relative)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, relative);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot create %s", path);
    fputs("{}", f);
    fclose(f);
}

static char dir[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", testutil_make_dir("search"));
    unsetenv("ECONSIM_PATH");
}

static void teardown(void)
{
    unsetenv("ECONSIM_PATH");
    testutil_remove_tree(dir);
}

TestSuite(search_path, .init = setup, .fini = teardown);

static const char *at(const char *relative)
{
    return testutil_join(dir, relative);
}

Test(search_path, as_written_wins_over_the_search)
{
    touch(dir, "work/models/m.json");
    touch(dir, "lib/m.json");
    setenv("ECONSIM_PATH", at("lib"), 1);
    diag d;
    diag_init(&d);
    search_path_hit hit;
    char naming[600];
    snprintf(naming, sizeof naming, "%s/work/s.json", dir);
    cr_assert_eq(search_path_find(naming, "$.model", "models/m.json", &hit, &d), DIAG_OK);
    cr_assert_str_eq(hit.path, at("work/models/m.json"));
    cr_assert_eq(hit.via, SEARCH_PATH_AS_WRITTEN);
    cr_assert_null(hit.folder);
    search_path_hit_release(&hit);
    diag_free(&d);
}

Test(search_path, econsim_path_folders_in_turn_as_written_then_bare)
{
    touch(dir, "one/county.json");       /* bare name in the first folder */
    touch(dir, "two/models/county.json"); /* as written in the second: the first folder wins */
    char path_value[1200];
    snprintf(path_value, sizeof path_value, "%s::%s", at("one"), at("two"));
    setenv("ECONSIM_PATH", path_value, 1);
    diag d;
    diag_init(&d);
    search_path_hit hit;
    char naming[600];
    snprintf(naming, sizeof naming, "%s/work/s.json", dir);
    cr_assert_eq(search_path_find(naming, "$.model", "models/county.json", &hit, &d), DIAG_OK);
    cr_assert_str_eq(hit.path, at("one/county.json"));
    cr_assert_eq(hit.via, SEARCH_PATH_ENV);
    cr_assert_str_eq(hit.folder, at("one"));
    search_path_hit_release(&hit);

    /* without the first folder's file, the second's as-written one */
    char gone[600];
    snprintf(gone, sizeof gone, "%s/one/county.json", dir);
    cr_assert_eq(unlink(gone), 0);
    cr_assert_eq(search_path_find(naming, "$.model", "models/county.json", &hit, &d), DIAG_OK);
    cr_assert_str_eq(hit.path, at("two/models/county.json"));
    cr_assert_str_eq(hit.folder, at("two"));
    search_path_hit_release(&hit);
    cr_assert_eq(d.status, DIAG_OK);
    diag_free(&d);
}

Test(search_path, two_files_of_one_folder_are_ambiguous)
{
    touch(dir, "lib/models/county.json");
    touch(dir, "lib/county.json");
    setenv("ECONSIM_PATH", at("lib"), 1);
    diag d;
    diag_init(&d);
    search_path_hit hit;
    char naming[600];
    snprintf(naming, sizeof naming, "%s/work/s.json", dir);
    cr_assert_eq(search_path_find(naming, "$.model", "models/county.json", &hit, &d), DIAG_DATA);
    cr_assert_null(hit.path);
    cr_assert_eq(d.status, DIAG_DATA);
    const char *message = d.message;
    cr_assert(strstr(message, "is ambiguous"), "%s", message);
    cr_assert(strstr(message, at("lib/models/county.json")), "%s", message);
    cr_assert(strstr(message, at("lib/county.json")), "%s", message);
    diag_free(&d);
}

Test(search_path, one_file_under_two_spellings_is_not_ambiguous)
{
    touch(dir, "lib/county.json");
    char link[600], target[600];
    snprintf(link, sizeof link, "%s/lib/models", dir);
    snprintf(target, sizeof target, "%s/lib", dir);
    cr_assert_eq(symlink(target, link), 0); /* lib/models/county.json is lib/county.json */
    setenv("ECONSIM_PATH", at("lib"), 1);
    diag d;
    diag_init(&d);
    search_path_hit hit;
    char naming[600];
    snprintf(naming, sizeof naming, "%s/work/s.json", dir);
    cr_assert_eq(search_path_find(naming, "$.model", "models/county.json", &hit, &d), DIAG_OK);
    cr_assert_str_eq(hit.path, at("lib/models/county.json"));
    search_path_hit_release(&hit);
    diag_free(&d);
}

Test(search_path, found_nowhere_stays_as_written)
{
    setenv("ECONSIM_PATH", at("empty"), 1);
    diag d;
    diag_init(&d);
    search_path_hit hit;
    char naming[600];
    snprintf(naming, sizeof naming, "%s/work/s.json", dir);
    cr_assert_eq(search_path_find(naming, "$.extends", "../no-such-base-7f3a.json", &hit, &d), DIAG_OK);
    cr_assert_str_eq(hit.path, at("work/../no-such-base-7f3a.json")); /* work/ does not exist: kept */
    cr_assert_eq(hit.via, SEARCH_PATH_AS_WRITTEN);
    search_path_hit_release(&hit);
    cr_assert_eq(d.status, DIAG_OK);
    diag_free(&d);
}

Test(search_path, release_of_null_is_a_no_op)
{
    search_path_hit_release(NULL);
    cr_assert_not_null(search_path_share_dir());
}

Test(jsonfile_comments, underscore_keys_dropped_at_any_depth)
{
    cJSON *tree = cJSON_Parse("{\"_a\": 1, \"b\": {\"_c\": [1], \"d\": [{\"_e\": 2, \"f\": 3}], \"g_\": 4},"
                              " \"h\": [\"_not_a_key\"]}");
    cr_assert_not_null(tree);
    jsonfile_drop_comments(tree);
    char *text = cJSON_PrintUnformatted(tree);
    cr_assert_str_eq(text, "{\"b\":{\"d\":[{\"f\":3}],\"g_\":4},\"h\":[\"_not_a_key\"]}");
    cJSON_free(text);
    cJSON_Delete(tree);
    jsonfile_drop_comments(NULL);
}
