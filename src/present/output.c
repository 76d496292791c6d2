/* output.c: result folders committed whole, their locks, and the number and field formatting
 * of CSV files.
 *
 * A batch writes into a staging folder that it creates beside the result folder, on the same
 * file system, so that one rename puts the whole run in place (DESIGN §4 rule 6). Every file
 * is created by openat(2) in that fresh folder with O_EXCL|O_NOFOLLOW, relative to a
 * descriptor of the folder: no path is looked up twice and no link inside an output folder
 * is ever followed. Files are written and closed one at a time, so a run may write any
 * number of them.
 *
 * The commit syncs every file and the staging folder, writes the marker, then swaps the
 * staging folder with the result folder (renameat2 RENAME_EXCHANGE, Linux 3.15+ on ext4,
 * xfs, btrfs, tmpfs...) and removes the old folder, which now has the staging name. Where
 * the file system cannot swap, the old folder is renamed aside, the new one put in place and
 * the old one removed; a kill between those two renames leaves the old folder aside, and the
 * next run that takes the lock puts it back before anything else.
 *
 * A signal handler cannot walk heap structures, so the folders to remove on SIGINT or SIGTERM
 * live in a small static registry of paths (one slot per open batch or lock, not per file),
 * published with a signal fence before they are marked used; the handler removes each
 * staging folder with raw getdents64/unlinkat calls, all async-signal-safe. */
#define _GNU_SOURCE /* syscall(), renameat2 and getdents64 numbers */
#include "output.h"
#include "mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* The marker's text: what the folder is, and what the next run does to it. */
static const char output_marker_text[] =
    "This folder holds the results of one econsim run. The next econsim run into it replaces the\n"
    "whole folder, including any file added by hand: keep your own files elsewhere.\n";

/* Open batches and held locks at once (registry slots): a handful in practice. */
#define OUTPUT_MAX_SLOTS 64
/* Room for a name beside a result folder: its prefix (at most NAME_MAX - 40 bytes, see
 * output_place_split) and a suffix such as ".econsim-stage.<pid>.<n>". */
#define OUTPUT_NAME_SIZE (NAME_MAX + 64)
/* Folders nested in a staging folder, at most (charts/ is one). */
#define OUTPUT_MAX_DEPTH 16

/* ---------------------------------------------------------------------------------------- */
/* Test hooks */

static long output_writes_left = -1; /* -1: the write-fault hook is off */
static long output_pause_ms;
static int output_no_exchange;

void output_fail_after(long successes)
{
    output_writes_left = successes < 0 ? -1 : successes;
}

void output_fail_reset(void)
{
    output_writes_left = -1;
}

void output_test_without_exchange(int on)
{
    output_no_exchange = on;
}

void output_commit_pause(long milliseconds)
{
    output_pause_ms = milliseconds > 0 ? milliseconds : 0;
}

/* 1 when this write is to fail as a full disk would (errno set to ENOSPC). */
static int output_write_faults(void)
{
    if (output_writes_left < 0)
        return 0;
    if (output_writes_left == 0) {
        errno = ENOSPC;
        return 1;
    }
    output_writes_left--;
    return 0;
}

static void output_pause(void)
{
    if (output_pause_ms <= 0)
        return;
    struct timespec pause = {output_pause_ms / 1000, (output_pause_ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
}

/* ---------------------------------------------------------------------------------------- */
/* The registry shared with the signal handler */

typedef struct output_slot {
    volatile sig_atomic_t used;   /* 1 when the paths below are complete */
    volatile sig_atomic_t aside;  /* 1 while the old folder is renamed aside (fallback commit) */
    volatile sig_atomic_t is_lock;
    char path[PATH_MAX];          /* the staging folder, or the lock file */
    char target[PATH_MAX];        /* the result folder (batches) */
    char aside_path[PATH_MAX];    /* where the old folder is while `aside` */
} output_slot;

static output_slot output_slots[OUTPUT_MAX_SLOTS];

/* Claims a slot for `path` (and `target`); returns it or -1 when all are taken. The paths are
 * written before the slot is marked used, with a signal fence between: a handler never reads
 * a half-copied path. */
static int output_slot_claim(const char *path, const char *target, int is_lock)
{
    for (int i = 0; i < OUTPUT_MAX_SLOTS; i++) {
        if (output_slots[i].used)
            continue;
        snprintf(output_slots[i].path, PATH_MAX, "%s", path);
        snprintf(output_slots[i].target, PATH_MAX, "%s", target ? target : "");
        output_slots[i].aside = 0;
        output_slots[i].is_lock = is_lock;
        atomic_signal_fence(memory_order_seq_cst);
        output_slots[i].used = 1;
        atomic_signal_fence(memory_order_seq_cst);
        return i;
    }
    return -1;
}

static void output_slot_release(int slot)
{
    if (slot < 0)
        return;
    atomic_signal_fence(memory_order_seq_cst);
    output_slots[slot].used = 0;
    output_slots[slot].aside = 0;
    atomic_signal_fence(memory_order_seq_cst);
}

/* ---------------------------------------------------------------------------------------- */
/* Removing a folder without following links (also from a signal handler) */

#if defined(__linux__) && defined(SYS_getdents64)
/* The record getdents64 fills (linux/dirent.h, which glibc does not export). */
struct output_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Removes everything inside the open folder fd, descending at most `depth` more levels.
 * Async-signal-safe: raw system calls and a buffer on the stack. Returns 0 or -1. */
static int output_empty_folder(int fd, int depth)
{
    /* entries removed while the folder is read may make getdents skip others: read it again
     * until a pass finds it empty, or removes nothing */
    for (int pass = 0; pass < 8; pass++) {
        char buf[4096] __attribute__((aligned(8)));
        int seen = 0, removed = 0;
        if (lseek(fd, 0, SEEK_SET) < 0)
            return -1;
        for (;;) {
            long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
            if (n < 0)
                return -1;
            if (n == 0)
                break;
            for (long at = 0; at < n;) {
                struct output_dirent64 *e = (struct output_dirent64 *)(void *)(buf + at);
                at += e->d_reclen;
                if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
                    continue;
                seen++;
                if (e->d_type != DT_DIR && unlinkat(fd, e->d_name, 0) == 0) {
                    removed++;
                    continue;
                }
                /* a folder (or an unknown type that unlink refused): empty it, then remove it */
                int sub = depth > 0 ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
                if (sub >= 0) {
                    output_empty_folder(sub, depth - 1);
                    close(sub);
                }
                removed += unlinkat(fd, e->d_name, AT_REMOVEDIR) == 0;
            }
        }
        if (!seen)
            return 0;
        if (!removed)
            return -1;
    }
    return -1;
}
#else
/* Without getdents64, readdir (not async-signal-safe: the handler leaves the folder to the
 * next run). */
static int output_empty_folder(int fd, int depth)
{
    int copy = dup(fd);
    DIR *dir = copy >= 0 ? fdopendir(copy) : NULL;
    if (!dir) {
        if (copy >= 0)
            close(copy);
        return -1;
    }
    int failed = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (unlinkat(fd, e->d_name, 0) == 0)
            continue;
        int sub = depth > 0 ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
        if (sub >= 0) {
            output_empty_folder(sub, depth - 1);
            close(sub);
        }
        failed |= unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0;
    }
    closedir(dir);
    return failed ? -1 : 0;
}
#endif

/* Removes `name` in folder dirfd and everything below it; a link is removed, never followed.
 * Returns 0 (also when it does not exist) or -1 with errno. */
static int output_remove_tree_at(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno == ENOTDIR || errno == ELOOP)
            return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
        return -1;
    }
    output_empty_folder(fd, OUTPUT_MAX_DEPTH);
    close(fd);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        return -1;
    return 0;
}

void output_cleanup_on_signal(void)
{
    int saved_errno = errno; /* the interrupted code may be about to read it */
    for (int i = 0; i < OUTPUT_MAX_SLOTS; i++) {
        if (!output_slots[i].used)
            continue;
        atomic_signal_fence(memory_order_seq_cst);
        output_slot *slot = &output_slots[i];
        if (slot->is_lock) {
            unlink(slot->path);
            continue;
        }
        /* a commit cut short between its two renames: the old folder goes back */
        if (slot->aside && access(slot->target, F_OK) != 0)
            rename(slot->aside_path, slot->target);
        output_remove_tree_at(AT_FDCWD, slot->path);
    }
    errno = saved_errno;
}

/* ---------------------------------------------------------------------------------------- */
/* Paths */

/* Makes one folder; success when it exists already as a folder. Returns 0 or an errno. */
static int output_make_one_dir(const char *path)
{
    if (output_write_faults())
        return ENOSPC;
    if (mkdir(path, 0777) == 0)
        return 0;
    int e = errno;
    struct stat st;
    /* EEXIST, but also EACCES or EROFS for an existing parent such as /home on some systems */
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        return e == EEXIST ? ENOTDIR : e;
    }
    return e;
}

/* mkdir -p: makes `path` and its missing parents. `what` is the path to name in the message.
 * Returns a DIAG_ status. */
static int output_make_dirs(const char *path, const char *what, diag *d)
{
    char buf[PATH_MAX];
    size_t length = strlen(path);
    if (length >= sizeof buf)
        return diag_error_file(d, DIAG_CANT_CREATE, what, "cannot create folder: %s", strerror(ENAMETOOLONG));
    memcpy(buf, path, length + 1);
    struct stat st;
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
        return DIAG_OK; /* the usual case: nothing to make */
    for (size_t i = 1; i <= length; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i - 1] == '/')
            continue; /* "a//b" */
        char saved = buf[i];
        buf[i] = '\0';
        int e = output_make_one_dir(buf);
        if (e) {
            int status = e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE;
            if (strcmp(buf, what) == 0)
                return diag_error_file(d, status, what, "cannot create folder: %s", strerror(e));
            return diag_error_file(d, status, what, "cannot create folder %s: %s", buf, strerror(e));
        }
        buf[i] = saved;
    }
    return DIAG_OK;
}

/* A result folder, split: the folder it is in (parent, made when missing) and its name. */
typedef struct output_place {
    char parent[PATH_MAX];
    char base[NAME_MAX + 1];
    char prefix[NAME_MAX + 1]; /* ".<base>" (or a hash of a long base): names beside it */
} output_place;

/* FNV-1a 64 of a string, for names beside a result folder whose own name is too long. */
static uint64_t output_hash(const char *text)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return h;
}

/* Splits dir into place; "." and ".." (and a path ending in them) are resolved first, so the
 * folder has a name in its parent. Returns a DIAG_ status. */
static int output_place_split(const char *dir, output_place *place, diag *d)
{
    if (!dir || !*dir)
        return diag_error(d, DIAG_CANT_CREATE, "cannot create the output folder: empty name");
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENAMETOOLONG));
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        path[--length] = '\0';
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(path, "/")) {
        char resolved[PATH_MAX];
        if (!realpath(path, resolved))
            return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot use as output folder: %s", strerror(errno));
        if (!strcmp(resolved, "/"))
            return diag_error_file(d, DIAG_CANT_CREATE, dir,
                                   "cannot use the root folder as an output folder: a run replaces its folder whole");
        memcpy(path, resolved, strlen(resolved) + 1);
        slash = strrchr(path, '/');
        base = slash + 1;
    }
    if (strlen(base) > NAME_MAX)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENAMETOOLONG));
    snprintf(place->base, sizeof place->base, "%s", base);
    if (!slash)
        snprintf(place->parent, sizeof place->parent, ".");
    else if (slash == path)
        snprintf(place->parent, sizeof place->parent, "/");
    else
        snprintf(place->parent, sizeof place->parent, "%.*s", (int)(slash - path), path);
    /* names beside the folder add at most 40 bytes to the prefix */
    if (strlen(base) + 1 + 40 <= NAME_MAX)
        snprintf(place->prefix, sizeof place->prefix, ".%s", base);
    else
        snprintf(place->prefix, sizeof place->prefix, ".econsim-%016llx", (unsigned long long)output_hash(base));
    return DIAG_OK;
}

/* Opens the parent folder (made when missing). Returns the descriptor or -1 with d set. */
static int output_open_parent(const output_place *place, const char *dir, diag *d)
{
    if (output_make_dirs(place->parent, dir, d) != DIAG_OK)
        return -1;
    int fd = open(place->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot open folder %s: %s", place->parent, strerror(errno));
    return fd;
}

/* Joins parent and name into out (PATH_MAX). Returns 0, or -1 when too long. */
static int output_join(char *out, const char *parent, const char *name)
{
    int n = snprintf(out, PATH_MAX, "%s/%s", parent, name);
    return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* What a result folder may be replaced */

enum { OUTPUT_MISSING, OUTPUT_OURS, OUTPUT_EMPTY, OUTPUT_FOREIGN, OUTPUT_LINK, OUTPUT_NOT_FOLDER, OUTPUT_UNREADABLE };

/* Looks at `name` in parent_fd without following a link. */
static int output_folder_state(int parent_fd, const char *name)
{
    struct stat st;
    if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? OUTPUT_MISSING : OUTPUT_UNREADABLE;
    if (S_ISLNK(st.st_mode))
        return OUTPUT_LINK;
    if (!S_ISDIR(st.st_mode))
        return OUTPUT_NOT_FOLDER;
    int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return OUTPUT_UNREADABLE;
    struct stat marker;
    if (fstatat(fd, OUTPUT_MARKER, &marker, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(marker.st_mode)) {
        close(fd);
        return OUTPUT_OURS;
    }
    DIR *handle = fdopendir(fd);
    if (!handle) {
        close(fd);
        return OUTPUT_UNREADABLE;
    }
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(handle)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(handle);
    return empty ? OUTPUT_EMPTY : OUTPUT_FOREIGN;
}

/* DIAG_OK when the folder may be replaced by a run, else the error in d. */
static int output_check_state(int state, const char *dir, diag *d)
{
    switch (state) {
    case OUTPUT_MISSING:
    case OUTPUT_OURS:
    case OUTPUT_EMPTY:
        return DIAG_OK;
    case OUTPUT_LINK:
        return diag_error_file(d, DIAG_CANT_CREATE, dir,
                               "is a symbolic link: a run replaces its output folder whole, which would replace the "
                               "link and not the folder it points to; give that folder itself, or --follow-symlinks");
    case OUTPUT_NOT_FOLDER:
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENOTDIR));
    case OUTPUT_FOREIGN:
        return diag_error_file(d, DIAG_CANT_CREATE, dir,
                               "the folder holds files that econsim did not write (it has no %s marker): a run "
                               "replaces its output folder whole, so econsim writes only into a new folder, an empty "
                               "one or one of its own results; choose another -o, or move the files away",
                               OUTPUT_MARKER);
    default:
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot read the folder: %s", strerror(errno));
    }
}

/* Removes what killed runs left beside the result folder: staging folders and folders renamed
 * aside; a folder renamed aside while the result folder is missing is the old result of a
 * commit cut short, and goes back first. Called with the lock held. */
static void output_clean_beside(int parent_fd, const output_place *place)
{
    char stage_prefix[NAME_MAX + 32], aside_prefix[NAME_MAX + 32];
    snprintf(stage_prefix, sizeof stage_prefix, "%s.econsim-stage.", place->prefix);
    snprintf(aside_prefix, sizeof aside_prefix, "%s.econsim-old.", place->prefix);
    int copy = dup(parent_fd);
    DIR *handle = copy >= 0 ? fdopendir(copy) : NULL;
    if (!handle) {
        if (copy >= 0)
            close(copy);
        return;
    }
    /* collect first: removing while reading a folder may skip entries */
    char **names = NULL;
    size_t count = 0, capacity = 0;
    struct dirent *e;
    while ((e = readdir(handle)) != NULL) {
        if (strncmp(e->d_name, stage_prefix, strlen(stage_prefix)) && strncmp(e->d_name, aside_prefix, strlen(aside_prefix)))
            continue;
        if (count == capacity) {
            size_t grown_capacity = capacity ? capacity * 2 : 4;
            char **grown = mem_realloc(names, grown_capacity * sizeof *grown);
            if (!grown)
                break;
            names = grown;
            capacity = grown_capacity;
        }
        if (!(names[count] = mem_strdup(e->d_name)))
            break;
        count++;
    }
    closedir(handle);
    for (size_t i = 0; i < count; i++) {
        if (!strncmp(names[i], aside_prefix, strlen(aside_prefix)) &&
            output_folder_state(parent_fd, place->base) == OUTPUT_MISSING)
            renameat(parent_fd, names[i], parent_fd, place->base);
        else
            output_remove_tree_at(parent_fd, names[i]);
        mem_free(names[i]);
    }
    mem_free(names);
}

/* ---------------------------------------------------------------------------------------- */
/* Locks */

struct output_lock {
    output_lock *next;      /* the locks this process holds */
    dev_t parent_dev;
    ino_t parent_ino;
    char base[NAME_MAX + 1];
    char name[OUTPUT_NAME_SIZE]; /* the lock file, in the parent */
    int parent_fd;
    int fd;
    int slot;
};

static output_lock *output_locks_held;

/* The lock this process holds on place, or NULL. */
static output_lock *output_lock_find(int parent_fd, const output_place *place)
{
    struct stat st;
    if (fstat(parent_fd, &st) != 0)
        return NULL;
    for (output_lock *lock = output_locks_held; lock; lock = lock->next)
        if (lock->parent_dev == st.st_dev && lock->parent_ino == st.st_ino && !strcmp(lock->base, place->base))
            return lock;
    return NULL;
}

/* Takes the lock of place whose parent is open as parent_fd (the lock takes the descriptor
 * over, closing it on failure). */
static int output_lock_acquire(int parent_fd, const output_place *place, const char *dir, int wait,
                               output_wait_notice notice, void *arg, output_lock **out, diag *d)
{
    *out = NULL;
    output_lock *lock = mem_calloc(1, sizeof *lock);
    if (!lock) {
        close(parent_fd);
        return diag_oom(d, "locking the output folder");
    }
    lock->parent_fd = parent_fd;
    lock->fd = -1;
    lock->slot = -1;
    snprintf(lock->base, sizeof lock->base, "%s", place->base);
    snprintf(lock->name, sizeof lock->name, "%s.econsim-lock", place->prefix);
    struct stat st;
    if (fstat(parent_fd, &st) == 0) {
        lock->parent_dev = st.st_dev;
        lock->parent_ino = st.st_ino;
    }
    int noticed = 0;
    for (;;) {
        int fd = openat(parent_fd, lock->name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0) {
            diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create the lock file %s/%s: %s", place->parent,
                            lock->name, strerror(errno));
            output_lock_release(lock);
            return DIAG_CANT_CREATE;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK || !wait) {
                if (errno == EWOULDBLOCK)
                    diag_error_file(d, DIAG_CANT_CREATE, dir,
                                    "another econsim is writing into this folder (it holds %s/%s); not waiting "
                                    "(--no-wait)",
                                    place->parent, lock->name);
                else
                    diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot lock %s/%s: %s", place->parent, lock->name,
                                    strerror(errno));
                close(fd);
                output_lock_release(lock);
                return DIAG_CANT_CREATE;
            }
            if (notice && !noticed++)
                notice(dir, arg);
            while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
                ;
        }
        /* the holder before us may have removed the file: then lock the one now there */
        struct stat held, now;
        if (fstat(fd, &held) == 0 && fstatat(parent_fd, lock->name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
            held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
            lock->fd = fd;
            break;
        }
        close(fd);
    }
    char path[PATH_MAX];
    if (output_join(path, place->parent, lock->name) == 0)
        lock->slot = output_slot_claim(path, NULL, 1);
    lock->next = output_locks_held;
    output_locks_held = lock;
    *out = lock;
    return DIAG_OK;
}

void output_lock_release(output_lock *lock)
{
    if (!lock)
        return;
    for (output_lock **p = &output_locks_held; *p; p = &(*p)->next)
        if (*p == lock) {
            *p = lock->next;
            break;
        }
    if (lock->fd >= 0) {
        /* removed while still held: a process waiting on this file then sees it is gone and
         * locks the next one, so the lock stays exclusive */
        unlinkat(lock->parent_fd, lock->name, 0);
        close(lock->fd);
    }
    output_slot_release(lock->slot);
    if (lock->parent_fd >= 0)
        close(lock->parent_fd);
    mem_free(lock);
}

int output_lock_take(const char *dir, int wait, output_wait_notice notice, void *arg, output_lock **out, diag *d)
{
    *out = NULL;
    output_place place;
    if (output_place_split(dir, &place, d) != DIAG_OK)
        return d->status;
    int parent_fd = output_open_parent(&place, dir, d);
    if (parent_fd < 0)
        return d->status;
    if (output_lock_find(parent_fd, &place)) {
        close(parent_fd);
        return diag_error_file(d, DIAG_SOFTWARE, dir, "this folder is locked twice by one command");
    }
    output_lock *lock;
    if (output_lock_acquire(parent_fd, &place, dir, wait, notice, arg, &lock, d) != DIAG_OK)
        return d->status;
    output_clean_beside(lock->parent_fd, &place);
    if (output_check_state(output_folder_state(lock->parent_fd, place.base), dir, d) != DIAG_OK) {
        output_lock_release(lock);
        return d->status;
    }
    *out = lock;
    return DIAG_OK;
}

int output_target_resolve(const char *dir, int follow_symlinks, char *out, size_t size, diag *d)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir ? dir : "") >= (int)sizeof path)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENAMETOOLONG));
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        path[--length] = '\0';
    struct stat st;
    if (length == 0 || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) {
        if (snprintf(out, size, "%s", dir ? dir : "") >= (int)size)
            return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENAMETOOLONG));
        return DIAG_OK;
    }
    if (!follow_symlinks)
        return output_check_state(OUTPUT_LINK, dir, d);
    char resolved[PATH_MAX];
    if (!realpath(path, resolved))
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "is a symbolic link to nothing usable: %s", strerror(errno));
    if (stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode))
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "is a symbolic link to %s, which is not a folder", resolved);
    if (snprintf(out, size, "%s", resolved) >= (int)size)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENAMETOOLONG));
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Batches */

typedef struct output_entry {
    char *name;     /* relative to the staging folder */
    char *path;     /* the full path, for reserved files (another program writes them) */
    int reserved;
} output_entry;

struct output_batch {
    char *dir;                /* as given */
    output_place place;
    int parent_fd;
    char stage[OUTPUT_NAME_SIZE]; /* the staging folder's name in the parent */
    char stage_path[PATH_MAX];
    int stage_fd;
    int slot;                 /* in the signal registry */
    output_lock *lock;        /* the lock, when the batch took it */
    output_entry *entries;    /* every file of the batch */
    size_t count, capacity;
    char **folders;           /* subfolders made in the staging folder, in order */
    size_t folder_count;
    FILE *stream;             /* the one open stream, or NULL */
    size_t stream_entry;
    int failed;               /* a DIAG_ status once a write failed (reported), else DIAG_OK */
};

static void output_batch_free(output_batch *batch)
{
    for (size_t i = 0; i < batch->count; i++) {
        mem_free(batch->entries[i].name);
        mem_free(batch->entries[i].path);
    }
    mem_free(batch->entries);
    for (size_t i = 0; i < batch->folder_count; i++)
        mem_free(batch->folders[i]);
    mem_free(batch->folders);
    if (batch->stage_fd >= 0)
        close(batch->stage_fd);
    if (batch->parent_fd >= 0)
        close(batch->parent_fd);
    output_lock_release(batch->lock);
    mem_free(batch->dir);
    mem_free(batch);
}

/* Removes the staging folder (whatever it holds now) and frees the batch. */
static void output_batch_discard(output_batch *batch)
{
    if (batch->stream) {
        fclose(batch->stream);
        batch->stream = NULL;
    }
    if (batch->stage[0])
        output_remove_tree_at(batch->parent_fd, batch->stage);
    output_slot_release(batch->slot);
    output_batch_free(batch);
}

output_batch *output_batch_new(const char *dir, diag *d)
{
    const char *pause = getenv("ECONSIM_TEST_COMMIT_PAUSE_MS");
    if (pause && *pause)
        output_commit_pause(strtol(pause, NULL, 10));
    output_batch *batch = mem_calloc(1, sizeof *batch);
    if (!batch || !(batch->dir = dir ? mem_strdup(dir) : NULL)) {
        mem_free(batch);
        if (!dir || !*dir)
            diag_error(d, DIAG_CANT_CREATE, "cannot create the output folder: empty name");
        else
            diag_oom(d, "starting output files");
        return NULL;
    }
    batch->parent_fd = batch->stage_fd = batch->slot = -1;
    if (output_place_split(dir, &batch->place, d) != DIAG_OK ||
        (batch->parent_fd = output_open_parent(&batch->place, dir, d)) < 0) {
        output_batch_free(batch);
        return NULL;
    }
    if (!output_lock_find(batch->parent_fd, &batch->place)) {
        int fd = dup(batch->parent_fd);
        if (fd < 0) {
            diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot open folder %s: %s", batch->place.parent, strerror(errno));
            output_batch_free(batch);
            return NULL;
        }
        if (output_lock_acquire(fd, &batch->place, dir, 1, NULL, NULL, &batch->lock, d) != DIAG_OK) {
            output_batch_free(batch);
            return NULL;
        }
        output_clean_beside(batch->parent_fd, &batch->place);
    }
    if (output_check_state(output_folder_state(batch->parent_fd, batch->place.base), dir, d) != DIAG_OK) {
        output_batch_free(batch);
        return NULL;
    }
    static unsigned long serial;
    for (int attempt = 0;; attempt++) {
        snprintf(batch->stage, sizeof batch->stage, "%s.econsim-stage.%ld.%lu", batch->place.prefix, (long)getpid(),
                 ++serial);
        if (output_join(batch->stage_path, batch->place.parent, batch->stage) != 0) {
            diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot create folder: %s", strerror(ENAMETOOLONG));
            batch->stage[0] = '\0';
            output_batch_free(batch);
            return NULL;
        }
        /* published before it exists: a signal between the two removes nothing or all of it */
        if ((batch->slot = output_slot_claim(batch->stage_path, dir, 0)) < 0) {
            diag_error_file(d, DIAG_SOFTWARE, dir, "more than %d output folders open at once", OUTPUT_MAX_SLOTS);
            batch->stage[0] = '\0';
            output_batch_free(batch);
            return NULL;
        }
        int e = output_write_faults() ? ENOSPC : mkdirat(batch->parent_fd, batch->stage, 0777) == 0 ? 0 : errno;
        if (e == 0)
            break;
        output_slot_release(batch->slot);
        batch->slot = -1;
        if (e != EEXIST || attempt > 100) {
            diag_error_file(d, e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE, dir, "cannot create folder %s: %s",
                            batch->stage_path, strerror(e));
            batch->stage[0] = '\0';
            output_batch_free(batch);
            return NULL;
        }
    }
    batch->stage_fd = openat(batch->parent_fd, batch->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (batch->stage_fd < 0) {
        diag_error_file(d, DIAG_CANT_CREATE, dir, "cannot open folder %s: %s", batch->stage_path, strerror(errno));
        output_batch_discard(batch);
        return NULL;
    }
    return batch;
}

const char *output_batch_dir(const output_batch *batch)
{
    return batch ? batch->dir : NULL;
}

/* 1 when name is relative and each of its parts is a plain name (not empty, "." or ".."). */
static int output_name_ok(const char *name)
{
    if (!name || !*name || *name == '/')
        return 0;
    const char *part = name;
    for (;;) {
        size_t n = strcspn(part, "/");
        if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
            return 0;
        if (!part[n])
            return 1;
        part += n + 1;
    }
}

/* Flushes, checks and closes a stream (the commit syncs every file, so a batch that fails
 * midway costs no sync). Returns 0, an errno, or -1 for a write that failed earlier (the
 * stream's error flag keeps no errno). */
static int output_close_stream(FILE *stream)
{
    int e = 0;
    errno = 0;
    if (fflush(stream) != 0)
        e = errno ? errno : EIO;
    else if (ferror(stream))
        e = -1;
    errno = 0;
    if (fclose(stream) != 0 && e == 0)
        e = errno ? errno : EIO;
    if (e == 0 && output_write_faults())
        e = ENOSPC;
    return e;
}

/* Reports a failed write of entry i (DIAG_IO) and remembers the batch failed. */
static int output_batch_write_failed(output_batch *batch, size_t i, int e, diag *d)
{
    char final[PATH_MAX + NAME_MAX + 2];
    snprintf(final, sizeof final, "%s%s%s", batch->dir, batch->dir[strlen(batch->dir) - 1] == '/' ? "" : "/",
             batch->entries[i].name);
    if (e < 0)
        diag_error_file(d, DIAG_IO, final, "cannot write: a write failed (disk full?)");
    else
        diag_error_file(d, DIAG_IO, final, "cannot write: %s", strerror(e));
    batch->failed = DIAG_IO;
    return DIAG_IO;
}

/* Closes the open stream, if any. Returns a DIAG_ status. */
static int output_batch_close_stream(output_batch *batch, diag *d)
{
    if (!batch->stream)
        return batch->failed;
    int e = output_close_stream(batch->stream);
    batch->stream = NULL;
    if (e)
        return output_batch_write_failed(batch, batch->stream_entry, e, d);
    return DIAG_OK;
}

/* Makes the subfolders of name in the staging folder. Returns a DIAG_ status. */
static int output_batch_make_folders(output_batch *batch, const char *name, diag *d)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", name);
    for (char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int known = 0;
        for (size_t i = 0; i < batch->folder_count && !known; i++)
            known = !strcmp(batch->folders[i], path);
        if (!known) {
            char **grown = mem_realloc(batch->folders, (batch->folder_count + 1) * sizeof *grown);
            if (!grown)
                return diag_oom(d, "opening an output file");
            batch->folders = grown;
            if (!(batch->folders[batch->folder_count] = mem_strdup(path)))
                return diag_oom(d, "opening an output file");
            int e = output_write_faults() ? ENOSPC : mkdirat(batch->stage_fd, path, 0777) == 0 ? 0 : errno;
            if (e) {
                mem_free(batch->folders[batch->folder_count]);
                char shown[PATH_MAX + NAME_MAX + 2];
                snprintf(shown, sizeof shown, "%s/%s", batch->dir, path);
                return diag_error_file(d, e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE, shown, "cannot create folder: %s",
                                       strerror(e));
            }
            batch->folder_count++;
        }
        *slash = '/';
    }
    return DIAG_OK;
}

/* Creates file `name` in the staging folder and adds it to the batch. Returns its descriptor,
 * or -1 with the error in d. */
static int output_batch_create(output_batch *batch, const char *name, int reserved, diag *d)
{
    if (!batch) {
        diag_error(d, DIAG_SOFTWARE, "no output batch to open %s in", name ? name : "(null)");
        return -1;
    }
    if (output_batch_close_stream(batch, d) != DIAG_OK)
        return -1;
    if (!output_name_ok(name)) {
        diag_error_file(d, DIAG_CANT_CREATE, batch->dir, "invalid output file name \"%s\"", name ? name : "");
        return -1;
    }
    char shown[PATH_MAX + NAME_MAX + 2];
    snprintf(shown, sizeof shown, "%s%s%s", batch->dir, batch->dir[strlen(batch->dir) - 1] == '/' ? "" : "/", name);
    if (strlen(batch->stage_path) + 1 + strlen(name) >= PATH_MAX) {
        diag_error_file(d, DIAG_CANT_CREATE, shown, "cannot create: %s", strerror(ENAMETOOLONG));
        return -1;
    }
    for (size_t i = 0; i < batch->count; i++)
        if (!strcmp(batch->entries[i].name, name)) {
            diag_error_file(d, DIAG_CANT_CREATE, shown, "opened twice in one batch");
            return -1;
        }
    if (batch->count == batch->capacity) {
        size_t capacity = batch->capacity ? batch->capacity * 2 : 16;
        output_entry *grown = mem_realloc(batch->entries, capacity * sizeof *grown);
        if (!grown) {
            diag_oom(d, "opening an output file");
            return -1;
        }
        batch->entries = grown;
        batch->capacity = capacity;
    }
    output_entry *entry = &batch->entries[batch->count];
    memset(entry, 0, sizeof *entry);
    if (!(entry->name = mem_strdup(name))) {
        diag_oom(d, "opening an output file");
        return -1;
    }
    entry->reserved = reserved;
    if (reserved) {
        entry->path = mem_alloc(PATH_MAX);
        if (!entry->path) {
            mem_free(entry->name);
            diag_oom(d, "opening an output file");
            return -1;
        }
        snprintf(entry->path, PATH_MAX, "%s/%s", batch->stage_path, name);
    }
    if (strchr(name, '/') && output_batch_make_folders(batch, name, d) != DIAG_OK) {
        mem_free(entry->name);
        mem_free(entry->path);
        return -1;
    }
    int fd = output_write_faults() ? -1
                                   : openat(batch->stage_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                            0666);
    if (fd < 0) {
        int e = errno;
        diag_error_file(d, e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE, shown, "cannot create: %s", strerror(e));
        mem_free(entry->name);
        mem_free(entry->path);
        return -1;
    }
    batch->count++;
    return fd;
}

FILE *output_batch_open(output_batch *batch, const char *name, diag *d)
{
    int fd = output_batch_create(batch, name, 0, d);
    if (fd < 0)
        return NULL;
    FILE *stream = fdopen(fd, "wb");
    if (!stream) {
        diag_oom(d, "opening an output file");
        close(fd);
        unlinkat(batch->stage_fd, name, 0);
        batch->count--;
        mem_free(batch->entries[batch->count].name);
        return NULL;
    }
    batch->stream = stream;
    batch->stream_entry = batch->count - 1;
    return stream;
}

const char *output_batch_reserve(output_batch *batch, const char *name, diag *d)
{
    int fd = output_batch_create(batch, name, 1, d);
    if (fd < 0)
        return NULL;
    close(fd);
    return batch->entries[batch->count - 1].path;
}

int output_batch_withdraw(output_batch *batch, const char *name)
{
    if (!batch || !name)
        return DIAG_SOFTWARE;
    for (size_t i = 0; i < batch->count; i++) {
        output_entry *entry = &batch->entries[i];
        if (strcmp(entry->name, name))
            continue;
        if (batch->stream && batch->stream_entry == i) {
            fclose(batch->stream);
            batch->stream = NULL;
        } else if (batch->stream && batch->stream_entry > i) {
            batch->stream_entry--;
        }
        unlinkat(batch->stage_fd, entry->name, 0);
        mem_free(entry->name);
        mem_free(entry->path);
        memmove(entry, entry + 1, (batch->count - i - 1) * sizeof *entry);
        batch->count--;
        return DIAG_OK;
    }
    return DIAG_SOFTWARE;
}

/* Flushes a folder's entries to disk so that renames survive a crash; best effort, as some
 * file systems refuse fsync on folders and the data itself is already safe. */
static void output_sync_folder_at(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

/* Syncs every file (a network or full file system may report a lost write only then), and
 * writes the marker. Returns a DIAG_ status. */
static int output_batch_finish_files(output_batch *batch, diag *d)
{
    for (size_t i = 0; i < batch->count; i++) {
        int fd = openat(batch->stage_fd, batch->entries[i].name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        int e = fd < 0 ? errno : 0;
        if (fd >= 0) {
            if (fsync(fd) != 0)
                e = errno;
            close(fd);
        }
        if (!e && output_write_faults())
            e = ENOSPC;
        if (e)
            return output_batch_write_failed(batch, i, e, d);
    }
    FILE *marker = output_batch_open(batch, OUTPUT_MARKER, d);
    if (!marker)
        return d->status;
    fputs(output_marker_text, marker);
    if (output_batch_close_stream(batch, d) != DIAG_OK)
        return d->status;
    int fd = openat(batch->stage_fd, OUTPUT_MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return output_batch_write_failed(batch, batch->count - 1, e, d);
    }
    close(fd);
    for (size_t i = batch->folder_count; i-- > 0;)
        output_sync_folder_at(batch->stage_fd, batch->folders[i]);
    (void)fsync(batch->stage_fd);
    return DIAG_OK;
}

/* renameat2 where the kernel has it: 0, or -1 with errno (EINVAL or ENOSYS when the file
 * system or the kernel cannot). */
static int output_renameat2(int from_fd, const char *from, int to_fd, const char *to, unsigned flags)
{
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, from_fd, from, to_fd, to, flags);
#else
    (void)from_fd, (void)from, (void)to_fd, (void)to, (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

/* Whether a rename failure is the disk's fault (DIAG_IO) or the destination's. */
static int output_rename_status(int e)
{
    if (e == EIO || e == ENOSPC)
        return DIAG_IO;
#ifdef EDQUOT
    if (e == EDQUOT)
        return DIAG_IO;
#endif
    return DIAG_CANT_CREATE;
}

/* Puts the staging folder in place of the result folder. On success the staging name holds
 * the old folder (or nothing); on failure nothing changed. Returns a DIAG_ status. */
static int output_batch_swap(output_batch *batch, diag *d)
{
    const char *base = batch->place.base;
    int state = output_folder_state(batch->parent_fd, base);
    if (output_check_state(state, batch->dir, d) != DIAG_OK)
        return d->status;
    if (output_write_faults())
        return diag_error_file(d, DIAG_IO, batch->dir, "cannot put the results in place: %s", strerror(ENOSPC));
    if (state == OUTPUT_MISSING) {
        if (output_renameat2(batch->parent_fd, batch->stage, batch->parent_fd, base, RENAME_NOREPLACE) == 0)
            return DIAG_OK;
        if ((errno == EINVAL || errno == ENOSYS) && renameat(batch->parent_fd, batch->stage, batch->parent_fd, base) == 0)
            return DIAG_OK;
        int e = errno;
        return diag_error_file(d, output_rename_status(e), batch->dir, "cannot put the results in place: %s",
                               strerror(e));
    }
    if (!output_no_exchange &&
        output_renameat2(batch->parent_fd, batch->stage, batch->parent_fd, base, RENAME_EXCHANGE) == 0)
        return DIAG_OK;
    if (!output_no_exchange && errno != EINVAL && errno != ENOSYS) {
        int e = errno;
        return diag_error_file(d, output_rename_status(e), batch->dir, "cannot put the results in place: %s",
                               strerror(e));
    }
    /* no swap here: the old folder aside, the new one in, the old one to where the staging
     * folder was (so it is removed like the old folder of a swap) */
    output_slot *slot = &output_slots[batch->slot];
    char aside[OUTPUT_NAME_SIZE];
    snprintf(aside, sizeof aside, "%s.econsim-old.%ld", batch->place.prefix, (long)getpid());
    if (output_join(slot->aside_path, batch->place.parent, aside) != 0 ||
        output_join(slot->target, batch->place.parent, base) != 0)
        return diag_error_file(d, DIAG_CANT_CREATE, batch->dir, "cannot put the results in place: %s",
                               strerror(ENAMETOOLONG));
    if (renameat(batch->parent_fd, base, batch->parent_fd, aside) != 0) {
        int e = errno;
        return diag_error_file(d, output_rename_status(e), batch->dir, "cannot move the earlier results aside: %s",
                               strerror(e));
    }
    atomic_signal_fence(memory_order_seq_cst);
    slot->aside = 1;
    atomic_signal_fence(memory_order_seq_cst);
    output_pause();
    if (renameat(batch->parent_fd, batch->stage, batch->parent_fd, base) != 0) {
        int e = errno;
        renameat(batch->parent_fd, aside, batch->parent_fd, base);
        slot->aside = 0;
        return diag_error_file(d, output_rename_status(e), batch->dir, "cannot put the results in place: %s",
                               strerror(e));
    }
    slot->aside = 0;
    atomic_signal_fence(memory_order_seq_cst);
    renameat(batch->parent_fd, aside, batch->parent_fd, batch->stage);
    return DIAG_OK;
}

int output_batch_commit(output_batch *batch, diag *d)
{
    if (!batch)
        return diag_error(d, DIAG_SOFTWARE, "no output batch to commit");
    if (output_batch_close_stream(batch, d) != DIAG_OK || output_batch_finish_files(batch, d) != DIAG_OK) {
        output_batch_discard(batch);
        return d->status;
    }
    output_pause();
    if (output_batch_swap(batch, d) != DIAG_OK) {
        output_batch_discard(batch);
        return d->status;
    }
    (void)fsync(batch->parent_fd);
    output_pause();
    /* the staging name now holds the earlier results */
    if (output_remove_tree_at(batch->parent_fd, batch->stage) != 0)
        diag_warning(d, "%s: the earlier results could not all be removed from %s: %s", batch->dir, batch->stage_path,
                     strerror(errno));
    batch->stage[0] = '\0';
    output_slot_release(batch->slot);
    batch->slot = -1;
    output_batch_free(batch);
    return DIAG_OK;
}

void output_batch_abort(output_batch *batch)
{
    if (batch)
        output_batch_discard(batch);
}

/* ---------------------------------------------------------------------------------------- */
/* Numbers and CSV fields */

void output_format_number(char *buf, double value)
{
    if (!isfinite(value)) {
        buf[0] = '\0';
        return;
    }
    if (value == 0) { /* also -0, which would print as "-0" */
        strcpy(buf, "0");
        return;
    }
    /* 15 significant digits always read back exactly when the double came from a decimal of
     * at most 15 digits (DBL_DIG); 17 always round-trip. %g drops trailing zeros, so the first
     * precision that round-trips gives the shortest text. snprintf and strtod use the C
     * locale's '.' because the program never sets LC_NUMERIC. */
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, 32, "%.*g", precision, value);
        if (precision == 17 || strtod(buf, NULL) == value)
            return;
    }
}

void output_csv_field(FILE *f, const char *text)
{
    if (!text)
        return;
    size_t n = strlen(text);
    int quote = strpbrk(text, ",\"\r\n") != NULL ||
                (n > 0 && (text[0] == ' ' || text[0] == '\t' || text[n - 1] == ' ' || text[n - 1] == '\t'));
    if (!quote) {
        fputs(text, f);
        return;
    }
    putc('"', f);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            putc('"', f);
        putc(*p, f);
    }
    putc('"', f);
}

void output_csv_number(FILE *f, double value)
{
    char buf[32];
    output_format_number(buf, value);
    fputs(buf, f);
}
