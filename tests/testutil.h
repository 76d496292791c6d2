/* testutil.h: small helpers shared by the unit tests. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

#include "run.h"

/* Writes `text` to a fresh file named `name` inside a per-process temporary folder and
 * returns its path (static storage, valid until the next call with the same name slot). */
const char *testutil_write(const char *name, const char *text);

/* Makes a fresh folder /tmp/econsim-<name>-XXXXXX (failing the test when it cannot) and
 * returns its path (static storage, valid until the next call). */
const char *testutil_make_dir(const char *name);

/* "a/b" in one of 8 rotating static buffers (fails the test when it does not fit). */
const char *testutil_join(const char *a, const char *b);

/* The whole file, NUL-terminated, in malloc'd memory (caller frees); *length (if not NULL)
 * gets its size. Fails the test when the file cannot be read. */
char *testutil_read_file(const char *path, size_t *length);

/* Removes a folder and everything below it (links are removed, not followed). */
void testutil_remove_tree(const char *dir);

/* Every entry below dir, one line each, sorted by path: "path size fnv64-of-content" for a
 * file, "path/" for a folder, "path -> target" for a link (never followed). Two folders with
 * the same listing hold the same files, byte for byte (to the strength of a 64-bit hash). The
 * string is malloc'd (caller frees); "(missing)" when dir cannot be read. */
char *testutil_tree_listing(const char *dir);

/* Loads the scenario at path (run_load) and simulates it, failing the test with the message
 * of the first error otherwise. The caller frees the run with run_free. */
run *testutil_load_run(const char *path);

/* Relative difference |a - b| / max(|b|, 1e-300). */
double testutil_reldiff(double a, double b);

#endif
