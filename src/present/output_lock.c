/* output_lock.c: one run at a time per result folder (output.h's locks): flock on
 * .<name>.econsim-lock beside the folder, held from output_lock_take (or output_batch_new)
 * to the commit; whoever takes it first cleans what killed runs left beside the folder. */
#define _GNU_SOURCE
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
output_lock *output_lock_find(int parent_fd, const output_place *place)
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
int output_lock_acquire(int parent_fd, const output_place *place, const char *dir, int wait,
                        output_wait_notice notice, void *arg, output_lock **out, diag *d)
{
    *out = NULL;
    output_lock *lock = mem_calloc(1, sizeof *lock);
    if (!lock) {
        close(parent_fd);
        return diag_oom(d, _("locking the output folder"));
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
            diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create the lock file %s/%s: %s"), place->parent,
                            lock->name, strerror(errno));
            output_lock_release(lock);
            return DIAG_CANT_CREATE;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK || !wait) {
                if (errno == EWOULDBLOCK)
                    diag_error_file(d, DIAG_CANT_CREATE, dir,
                                    _("another econsim is writing into this folder (it holds %s/%s); not waiting "
                                    "(--no-wait)"),
                                    place->parent, lock->name);
                else
                    diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot lock %s/%s: %s"), place->parent, lock->name,
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
        return diag_error_file(d, DIAG_SOFTWARE, dir, _("this folder is locked twice by one command"));
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
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        path[--length] = '\0';
    struct stat st;
    if (length == 0 || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) {
        if (snprintf(out, size, "%s", dir ? dir : "") >= (int)size)
            return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
        return DIAG_OK;
    }
    if (!follow_symlinks)
        return output_check_state(OUTPUT_LINK, dir, d);
    char resolved[PATH_MAX];
    if (!realpath(path, resolved))
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("is a symbolic link to nothing usable: %s"), strerror(errno));
    if (stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode))
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("is a symbolic link to %s, which is not a folder"), resolved);
    if (snprintf(out, size, "%s", resolved) >= (int)size)
        return diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
    return DIAG_OK;
}
