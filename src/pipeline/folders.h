/* folders.h: the result folders of a command, named, checked and locked before anything runs.
 *
 * A command that writes several folders (`run` of several scenarios) takes all their locks
 * first, in name order, so that two commands sharing folders never each hold one the other
 * waits for; a folder another econsim is writing into makes the command wait (or fail at once
 * under --no-wait). The locks are held until the folders are committed (output.h). */
#ifndef FOLDERS_H
#define FOLDERS_H

#include <stddef.h>

#include "diag.h"
#include "output.h"

/* The folders of one command and, once taken, their locks. Zero it before use; release it
 * with folders_release whatever happened. */
typedef struct folders {
    char **paths;         /* owned copies */
    output_lock **locks;  /* parallel to paths, once taken */
    size_t count;
    int no_wait;          /* 1: fail with DIAG_CANT_CREATE instead of waiting for another run */
} folders;

/* Adds a copy of path. Returns DIAG_OK, or DIAG_SOFTWARE when memory runs out. */
int folders_add(folders *f, const char *path);

/* Takes the lock of every folder added, in name order (sorting f->paths), waiting for another
 * econsim unless f->no_wait (a notice on standard error says so). Prints the error and
 * returns its status when a lock cannot be taken or its folder may not be replaced. */
int folders_lock(folders *f);

/* Adds dir and takes its lock, for a command with one result folder; the error goes to d. */
int folders_lock_one(folders *f, const char *dir, diag *d);

/* Releases the locks taken and frees the paths; *f is left zeroed. */
void folders_release(folders *f);

/* Writes the folder that -o names into out (size bytes): `dir` as given, or what it points to
 * when follow_symlinks is set (a symbolic link is refused otherwise: output_target_resolve).
 * For commands that report no diag of their own: prints the error and returns its status. */
int folders_resolve_printed(const char *dir, int follow_symlinks, char *out, size_t size);

/* The scenario names of files[0..count) into names (copies, each NULL for a file that cannot
 * be loaded: its run reports why). As these scenarios each write base/<name>/, checks that no
 * two share a name and that none is `reserved` (a folder of the command itself; may be NULL).
 * Prints the error and returns DIAG_USAGE; DIAG_OK when the names may be used. */
int folders_scenario_names(char *const *files, size_t count, const char *base, const char *reserved, char **names);

/* The scenario name of one file (a copy, caller frees), or NULL when it cannot be loaded. */
char *folders_scenario_name(const char *file);

#endif
