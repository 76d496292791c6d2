/* testutil.h: small helpers shared by the unit tests. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

/* Writes `text` to a fresh file named `name` inside a per-process temporary folder and
 * returns its path (static storage, valid until the next call with the same name slot). */
const char *testutil_write(const char *name, const char *text);

/* Relative difference |a - b| / max(|b|, 1e-300). */
double testutil_reldiff(double a, double b);

#endif
