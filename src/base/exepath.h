/* exepath.h: finding a program as a shell would, without a shell: the first executable file of
 * that name in the folders of $PATH. Programs that econsim runs (gnuplot, Chromium) are found
 * here, then started with execve on the absolute path found, never through a shell. */
#ifndef EXEPATH_H
#define EXEPATH_H

#include <stddef.h>

/* Looks for an executable regular file called `name` (a plain file name, no '/') in the
 * folders of $PATH in order, or of the system's default path (confstr(_CS_PATH)) when PATH is
 * unset; an empty entry is the current folder. Writes the first one's path to path (size
 * bytes), made absolute against the current folder so that it still names the program after a
 * chdir, and returns 1. Returns 0 (path "") when there is none, or when the path would not fit.
 * Runs nothing. */
int exepath_find(const char *name, char *path, size_t size);

#endif
