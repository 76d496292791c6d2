/* selfdir.h: the folder of the running program, from which a build tree or an installed
 * prefix finds its own files (templates, models, translations) beside it. */
#ifndef SELFDIR_H
#define SELFDIR_H

#include <stddef.h>

/* Writes the folder holding the running executable (/proc/self/exe without its last
 * component, not resolved further) into out (size bytes). Returns 1, or 0 when it cannot be
 * read or does not fit (out is then ""). */
int selfdir_get(char *out, size_t size);

#endif
