/* testutil.c: helpers shared by the unit tests (temporary files, tolerances). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char testutil_dir[256];
static char testutil_paths[64][512];
static int testutil_path_count;

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

double testutil_reldiff(double a, double b)
{
    double scale = fabs(b) > 1e-300 ? fabs(b) : 1e-300;
    return fabs(a - b) / scale;
}
