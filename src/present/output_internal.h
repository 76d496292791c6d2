/* output_internal.h: private to the output module (output.c, output_folder.c, output_lock.c):
 * the registry of folders that the signal handler walks, removal without following links,
 * where a result folder sits and what state it is in, the locks, and the test hooks. Not part
 * of the API: output.h is. Every file that includes it defines _GNU_SOURCE first (syscall(),
 * renameat2, getdents64). */
#ifndef OUTPUT_INTERNAL_H
#define OUTPUT_INTERNAL_H

#include <limits.h>
#include <signal.h>
#include <stddef.h>

#include "diag.h"
#include "output.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Open batches and held locks at once (registry slots): a handful in practice. */
#define OUTPUT_MAX_SLOTS 64
/* Room for a name beside a result folder: its prefix (at most NAME_MAX - 40 bytes, see
 * output_place_split) and a suffix such as ".econsim-stage.<pid>.<n>". */
#define OUTPUT_NAME_SIZE (NAME_MAX + 64)
/* Folders nested in a staging folder, at most (charts/ is one). */
#define OUTPUT_MAX_DEPTH 16

/* ---------------------------------------------------------------------------------------- */
/* Test hooks (output_folder.c) */

/* 1 when this write is to fail as a full disk would (errno set to ENOSPC): output_fail_after. */
int output_write_faults(void);

/* Sleeps output_commit_pause's milliseconds (0: returns at once). */
void output_pause(void);

/* 1 when output_test_without_exchange asked for commits without RENAME_EXCHANGE. */
int output_exchange_disabled(void);

/* ---------------------------------------------------------------------------------------- */
/* The registry shared with the signal handler (output_folder.c) */

typedef struct output_slot {
    volatile sig_atomic_t used;   /* 1 when the paths below are complete */
    volatile sig_atomic_t aside;  /* 1 while the old folder is renamed aside (fallback commit) */
    volatile sig_atomic_t is_lock;
    char path[PATH_MAX];          /* the staging folder, or the lock file */
    char target[PATH_MAX];        /* the result folder (batches) */
    char aside_path[PATH_MAX];    /* where the old folder is while `aside` */
} output_slot;

/* Claims a slot for `path` (and `target`); returns it or -1 when all are taken. The paths are
 * written before the slot is marked used, with a signal fence between: a handler never reads
 * a half-copied path. */
int output_slot_claim(const char *path, const char *target, int is_lock);

/* Gives slot `slot` back (-1: nothing). */
void output_slot_release(int slot);

/* The slot `slot` (0 <= slot < OUTPUT_MAX_SLOTS), for a commit that records a folder aside. */
output_slot *output_slot_at(int slot);

/* Removes `name` in folder dirfd and everything below it; a link is removed, never followed.
 * Returns 0 (also when it does not exist) or -1 with errno. Async-signal-safe on Linux. */
int output_remove_tree_at(int dirfd, const char *name);

/* ---------------------------------------------------------------------------------------- */
/* Where a result folder sits, and what it holds (output_folder.c) */

/* A result folder, split: the folder it is in (parent, made when missing) and its name. */
typedef struct output_place {
    char parent[PATH_MAX];
    char base[NAME_MAX + 1];
    char prefix[NAME_MAX + 1]; /* ".<base>" (or a hash of a long base): names beside it */
} output_place;

/* Splits dir into place; "." and ".." (and a path ending in them) are resolved first, so the
 * folder has a name in its parent. Returns a DIAG_ status. */
int output_place_split(const char *dir, output_place *place, diag *d);

/* Opens the parent folder (made when missing). Returns the descriptor or -1 with d set. */
int output_open_parent(const output_place *place, const char *dir, diag *d);

/* Joins parent and name into out (PATH_MAX). Returns 0, or -1 when too long. */
int output_join(char *out, const char *parent, const char *name);

/* What a result folder is, as output_folder_state finds it. */
enum { OUTPUT_MISSING, OUTPUT_OURS, OUTPUT_EMPTY, OUTPUT_FOREIGN, OUTPUT_LINK, OUTPUT_NOT_FOLDER, OUTPUT_UNREADABLE };

/* Looks at `name` in parent_fd without following a link: one of the states above. */
int output_folder_state(int parent_fd, const char *name);

/* DIAG_OK when a folder in `state` may be replaced by a run, else the error in d. */
int output_check_state(int state, const char *dir, diag *d);

/* Removes what killed runs left beside the folder (staging folders), and puts back a folder
 * that a commit cut short had renamed aside. */
void output_clean_beside(int parent_fd, const output_place *place);

/* ---------------------------------------------------------------------------------------- */
/* Locks (output_lock.c) */

/* The lock this process holds on place, or NULL. */
output_lock *output_lock_find(int parent_fd, const output_place *place);

/* Takes the lock of place whose parent is open as parent_fd (the lock takes the descriptor
 * over, closing it on failure). */
int output_lock_acquire(int parent_fd, const output_place *place, const char *dir, int wait,
                        output_wait_notice notice, void *arg, output_lock **out, diag *d);

#endif
