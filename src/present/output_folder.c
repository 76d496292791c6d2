/* output_folder.c: where result folders live (output_internal.h): the registry of staging
 * folders and lock files that the signal handler walks, removal without following links (raw
 * getdents64 and unlinkat, async-signal-safe), the place of a result folder and what it
 * holds, and the test hooks that fake a full disk or pause a commit. */
#define _GNU_SOURCE /* syscall(), renameat2 and getdents64 numbers */
#include "fnv.h"
#include "i18n.h"
#include "output_internal.h"
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
int output_write_faults(void)
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

void output_pause(void)
{
    if (output_pause_ms <= 0)
        return;
    struct timespec pause = {output_pause_ms / 1000, (output_pause_ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
}


int output_exchange_disabled(void)
{
    return output_no_exchange;
}

/* ---------------------------------------------------------------------------------------- */
/* The registry shared with the signal handler */

static output_slot output_slots[OUTPUT_MAX_SLOTS];

output_slot *output_slot_at(int slot)
{
    return &output_slots[slot];
}

/* Claims a slot for `path` (and `target`); returns it or -1 when all are taken. The paths are
 * written before the slot is marked used, with a signal fence between: a handler never reads
 * a half-copied path. */
int output_slot_claim(const char *path, const char *target, int is_lock)
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

void output_slot_release(int slot)
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
int output_remove_tree_at(int dirfd, const char *name)
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
        return diag_error_file(d, DIAG_CANT_CREATE, what, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
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
                return diag_error_file(d, status, what, _("cannot create folder: %s"), strerror(e));
            return diag_error_file(d, status, what, _("cannot create folder %s: %s"), buf, strerror(e));
        }
        buf[i] = saved;
    }
    return DIAG_OK;
}

/* FNV-1a 64 of a string, for names beside a result folder whose own name is too long. */
static uint64_t output_hash(const char *text)
{
    return fnv1a64(FNV1A64_OFFSET, text, strlen(text));
}

/* Splits dir into place; "." and ".." (and a path ending in them) are resolved first, so the
 * folder has a name in its parent. Returns a DIAG_ status. */
int output_place_split(const char *dir, output_place *place, diag *d)
{
    if (!dir || !*dir)
        return diag_error(d, DIAG_CANT_CREATE, _("cannot create the output folder: empty name"));
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        path[--length] = '\0';
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(path, "/")) {
        char resolved[PATH_MAX];
        if (!realpath(path, resolved))
            return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot use as output folder: %s"), strerror(errno));
        if (!strcmp(resolved, "/"))
            return diag_error_file(d, DIAG_CANT_CREATE, dir,
                                   _("cannot use the root folder as an output folder: a run replaces its folder whole"));
        memcpy(path, resolved, strlen(resolved) + 1);
        slash = strrchr(path, '/');
        base = slash + 1;
    }
    if (strlen(base) > NAME_MAX)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
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
int output_open_parent(const output_place *place, const char *dir, diag *d)
{
    if (output_make_dirs(place->parent, dir, d) != DIAG_OK)
        return -1;
    int fd = open(place->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot open folder %s: %s"), place->parent, strerror(errno));
    return fd;
}

/* Joins parent and name into out (PATH_MAX). Returns 0, or -1 when too long. */
int output_join(char *out, const char *parent, const char *name)
{
    int n = snprintf(out, PATH_MAX, "%s/%s", parent, name);
    return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* What a result folder may be replaced */

/* Looks at `name` in parent_fd without following a link. */
int output_folder_state(int parent_fd, const char *name)
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
int output_check_state(int state, const char *dir, diag *d)
{
    switch (state) {
    case OUTPUT_MISSING:
    case OUTPUT_OURS:
    case OUTPUT_EMPTY:
        return DIAG_OK;
    case OUTPUT_LINK:
        return diag_error_file(d, DIAG_CANT_CREATE, dir,
                               _("is a symbolic link: a run replaces its output folder whole, which would replace the "
                               "link and not the folder it points to; give that folder itself, or --follow-symlinks"));
    case OUTPUT_NOT_FOLDER:
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENOTDIR));
    case OUTPUT_FOREIGN:
        return diag_error_file(d, DIAG_CANT_CREATE, dir,
                               _("the folder holds files that econsim did not write (it has no %s marker): a run "
                               "replaces its output folder whole, so econsim writes only into a new folder, an empty "
                               "one or one of its own results; choose another -o, or move the files away"),
                               OUTPUT_MARKER);
    default:
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot read the folder: %s"), strerror(errno));
    }
}

/* Removes what killed runs left beside the result folder: staging folders and folders renamed
 * aside; a folder renamed aside while the result folder is missing is the old result of a
 * commit cut short, and goes back first. Called with the lock held. */
void output_clean_beside(int parent_fd, const output_place *place)
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
