/* test_exepath.c: finding a program on $PATH as a shell would: folders in order, only
 * executable regular files, an empty entry as the current folder (made absolute), the system's
 * default path when PATH is unset, and nothing found for a name with a '/' or a path that
 * would not fit. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exepath.h"
#include "testutil.h"

/* Writes an executable (mode 0755) or plain (0644) file `name` into dir. */
static void make_program(const char *dir, const char *name, int executable)
{
    const char *path = testutil_join(dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot create %s", path);
    fputs("#!/bin/sh\nexit 0\n", f);
    fclose(f);
    cr_assert_eq(chmod(path, executable ? 0755 : 0644), 0);
}

Test(exepath, first_executable_file_in_path_order)
{
    const char *dir = testutil_make_dir("exepath");
    char first[1024], second[1024], search[4096], path[4096];
    snprintf(first, sizeof first, "%s", testutil_join(dir, "a"));
    snprintf(second, sizeof second, "%s", testutil_join(dir, "b"));
    cr_assert_eq(mkdir(first, 0700), 0);
    cr_assert_eq(mkdir(second, 0700), 0);
    make_program(first, "tool", 0);  /* not executable: passed over */
    make_program(second, "tool", 1);
    cr_assert_eq(mkdir(testutil_join(first, "dirtool"), 0700), 0); /* a folder: passed over */
    snprintf(search, sizeof search, "/nonexistent-econsim:%s:%s", first, second);
    setenv("PATH", search, 1);
    cr_assert_eq(exepath_find("tool", path, sizeof path), 1);
    cr_assert_str_eq(path, testutil_join(second, "tool"));
    cr_assert_eq(exepath_find("dirtool", path, sizeof path), 0);
    cr_assert_str_empty(path);
    /* once the first folder's file is executable, it wins */
    cr_assert_eq(chmod(testutil_join(first, "tool"), 0755), 0);
    cr_assert_eq(exepath_find("tool", path, sizeof path), 1);
    cr_assert_str_eq(path, testutil_join(first, "tool"));
    testutil_remove_tree(dir);
}

Test(exepath, empty_entry_is_the_current_folder_made_absolute)
{
    const char *dir = testutil_make_dir("exepath-cwd");
    make_program(dir, "here-tool", 1);
    char old[4096], path[4096], expected[4200];
    cr_assert_not_null(getcwd(old, sizeof old));
    cr_assert_eq(chdir(dir), 0);
    char cwd[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    setenv("PATH", "/nonexistent-econsim:", 1); /* the trailing empty entry */
    int found = exepath_find("here-tool", path, sizeof path);
    snprintf(expected, sizeof expected, "%s/./here-tool", cwd);
    cr_assert_eq(chdir(old), 0);
    cr_assert_eq(found, 1);
    cr_assert_str_eq(path, expected);
    cr_assert_eq(path[0], '/');
    testutil_remove_tree(dir);
}

Test(exepath, default_path_when_path_is_unset)
{
    unsetenv("PATH");
    char path[4096];
    cr_assert_eq(exepath_find("sh", path, sizeof path), 1); /* /bin/sh or /usr/bin/sh */
    cr_assert(!strcmp(path, "/bin/sh") || !strcmp(path, "/usr/bin/sh"), "found %s", path);
}

Test(exepath, refuses_names_with_a_slash_and_paths_that_do_not_fit)
{
    setenv("PATH", "/bin:/usr/bin", 1);
    char path[4096], small[8];
    cr_assert_eq(exepath_find("../bin/sh", path, sizeof path), 0);
    cr_assert_str_empty(path);
    cr_assert_eq(exepath_find("", path, sizeof path), 0);
    cr_assert_eq(exepath_find("sh", small, sizeof small), 1); /* "/bin/sh" and its NUL: 8 bytes */
    cr_assert_str_eq(small, "/bin/sh");
    cr_assert_eq(exepath_find("sh", small, 7), 0);
    cr_assert_str_empty(small);
}
