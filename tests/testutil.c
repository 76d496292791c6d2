/* testutil.c: helpers shared by the unit tests (temporary files, tolerances). */
#include "testutil.h"
#include "run.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char testutil_dir[256];
static char testutil_paths[64][512];
static int testutil_path_count;

/* As main() does once at start-up: GSL reports errors by status, never by aborting. */
__attribute__((constructor)) static void testutil_init(void)
{
    gsl_set_error_handler_off();
}

/* Removes the files and the folder when the test process ends. */
__attribute__((destructor)) static void testutil_cleanup(void)
{
    if (!testutil_dir[0])
        return;
    for (int i = 0; i < testutil_path_count; i++)
        unlink(testutil_paths[i]);
    rmdir(testutil_dir);
}

const char *testutil_write(const char *name, const char *text)
{
    static char paths[16][512];
    static int next;
    if (!testutil_dir[0]) {
        snprintf(testutil_dir, sizeof testutil_dir, "/tmp/econsim-test-XXXXXX");
        if (!mkdtemp(testutil_dir))
            return NULL;
    }
    char *path = paths[next++ % 16];
    snprintf(path, 512, "%s/%s", testutil_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    int known = 0;
    for (int i = 0; i < testutil_path_count; i++)
        known |= !strcmp(testutil_paths[i], path);
    if (!known && testutil_path_count < 64)
        snprintf(testutil_paths[testutil_path_count++], sizeof testutil_paths[0], "%s", path);
    return path;
}

run *testutil_load_run(const char *path)
{
    diag d;
    diag_init(&d);
    run *r = run_load(path, &d);
    cr_assert_not_null(r, "%s", d.message);
    cr_assert_eq(run_simulate(r, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return r;
}

double testutil_reldiff(double a, double b)
{
    double scale = fabs(b) > 1e-300 ? fabs(b) : 1e-300;
    return fabs(a - b) / scale;
}

const char *testutil_make_dir(const char *name)
{
    static char dir[256];
    cr_assert_lt((size_t)snprintf(dir, sizeof dir, "/tmp/econsim-%s-XXXXXX", name), sizeof dir);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    return dir;
}

const char *testutil_join(const char *a, const char *b)
{
    static char paths[8][2048];
    static int next;
    char *path = paths[next++ % 8];
    cr_assert_lt((size_t)snprintf(path, sizeof paths[0], "%s/%s", a, b), sizeof paths[0]);
    return path;
}

char *testutil_read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    size_t capacity = 1 << 16, used = 0, got;
    char *text = malloc(capacity + 1);
    cr_assert_not_null(text);
    while ((got = fread(text + used, 1, capacity - used, f)) > 0) {
        used += got;
        if (used == capacity) {
            text = realloc(text, (capacity *= 2) + 1);
            cr_assert_not_null(text);
        }
    }
    fclose(f);
    text[used] = '\0';
    if (length)
        *length = used;
    return text;
}

void testutil_remove_tree(const char *dir)
{
    DIR *handle = opendir(dir);
    if (!handle) {
        unlink(dir);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            testutil_remove_tree(path);
        else
            unlink(path);
    }
    closedir(handle);
    rmdir(dir);
}

/* Appends the lines of the folder dir (shown below `prefix`) to a growing text. */
static void testutil_list_into(const char *dir, const char *prefix, char ***lines, size_t *count)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return;
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
            continue;
        char path[2048], shown[2048], line[4096];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        snprintf(shown, sizeof shown, "%s%s", prefix, entry->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            snprintf(line, sizeof line, "%s/", shown);
            char below[2056];
            snprintf(below, sizeof below, "%s/", shown);
            testutil_list_into(path, below, lines, count);
        } else if (S_ISLNK(st.st_mode)) {
            char target[1024];
            ssize_t n = readlink(path, target, sizeof target - 1);
            target[n > 0 ? n : 0] = '\0';
            snprintf(line, sizeof line, "%s -> %s", shown, target);
        } else {
            unsigned long long hash = 14695981039346656037ull;
            FILE *f = fopen(path, "rb");
            int c;
            while (f && (c = fgetc(f)) != EOF) {
                hash ^= (unsigned char)c;
                hash *= 1099511628211ull;
            }
            if (f)
                fclose(f);
            snprintf(line, sizeof line, "%s %lld %016llx", shown, (long long)st.st_size, hash);
        }
        *lines = realloc(*lines, (*count + 1) * sizeof **lines);
        (*lines)[(*count)++] = strdup(line);
    }
    closedir(handle);
}

static int testutil_compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *testutil_tree_listing(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return strdup("(missing)");
    char **lines = NULL;
    size_t count = 0, length = 1;
    testutil_list_into(dir, "", &lines, &count);
    qsort(lines, count, sizeof *lines, testutil_compare_lines);
    for (size_t i = 0; i < count; i++)
        length += strlen(lines[i]) + 1;
    char *text = malloc(length);
    text[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        strcat(text, lines[i]);
        strcat(text, "\n");
        free(lines[i]);
    }
    free(lines);
    return text;
}
