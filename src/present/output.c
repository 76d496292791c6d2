/* output.c: result folders committed whole (output.h's batches); the folders' primitives and
 * the signal registry are output_folder.c's, the locks output_lock.c's, and the number and
 * field formatting of CSV files output_csv.c's.
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
            diag_error(d, DIAG_CANT_CREATE, _("cannot create the output folder: empty name"));
        else
            diag_oom(d, _("starting output files"));
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
            diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot open folder %s: %s"), batch->place.parent, strerror(errno));
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
            diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot create folder: %s"), strerror(ENAMETOOLONG));
            batch->stage[0] = '\0';
            output_batch_free(batch);
            return NULL;
        }
        /* published before it exists: a signal between the two removes nothing or all of it */
        if ((batch->slot = output_slot_claim(batch->stage_path, dir, 0)) < 0) {
            diag_error_file(d, DIAG_SOFTWARE, dir, _("more than %d output folders open at once"), OUTPUT_MAX_SLOTS);
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
            diag_error_file(d, e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE, dir, _("cannot create folder %s: %s"),
                            batch->stage_path, strerror(e));
            batch->stage[0] = '\0';
            output_batch_free(batch);
            return NULL;
        }
    }
    batch->stage_fd = openat(batch->parent_fd, batch->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (batch->stage_fd < 0) {
        diag_error_file(d, DIAG_CANT_CREATE, dir, _("cannot open folder %s: %s"), batch->stage_path, strerror(errno));
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
        diag_error_file(d, DIAG_IO, final, _("cannot write: a write failed (disk full?)"));
    else
        diag_error_file(d, DIAG_IO, final, _("cannot write: %s"), strerror(e));
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
                return diag_oom(d, _("opening an output file"));
            batch->folders = grown;
            if (!(batch->folders[batch->folder_count] = mem_strdup(path)))
                return diag_oom(d, _("opening an output file"));
            int e = output_write_faults() ? ENOSPC : mkdirat(batch->stage_fd, path, 0777) == 0 ? 0 : errno;
            if (e) {
                mem_free(batch->folders[batch->folder_count]);
                char shown[PATH_MAX + NAME_MAX + 2];
                snprintf(shown, sizeof shown, "%s/%s", batch->dir, path);
                return diag_error_file(d, e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE, shown, _("cannot create folder: %s"),
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
        diag_error(d, DIAG_SOFTWARE, _("no output batch to open %s in"), name ? name : "(null)");
        return -1;
    }
    if (output_batch_close_stream(batch, d) != DIAG_OK)
        return -1;
    if (!output_name_ok(name)) {
        diag_error_file(d, DIAG_CANT_CREATE, batch->dir, _("invalid output file name \"%s\""), name ? name : "");
        return -1;
    }
    char shown[PATH_MAX + NAME_MAX + 2];
    snprintf(shown, sizeof shown, "%s%s%s", batch->dir, batch->dir[strlen(batch->dir) - 1] == '/' ? "" : "/", name);
    if (strlen(batch->stage_path) + 1 + strlen(name) >= PATH_MAX) {
        diag_error_file(d, DIAG_CANT_CREATE, shown, _("cannot create: %s"), strerror(ENAMETOOLONG));
        return -1;
    }
    for (size_t i = 0; i < batch->count; i++)
        if (!strcmp(batch->entries[i].name, name)) {
            diag_error_file(d, DIAG_CANT_CREATE, shown, _("opened twice in one batch"));
            return -1;
        }
    if (batch->count == batch->capacity) {
        size_t capacity = batch->capacity ? batch->capacity * 2 : 16;
        output_entry *grown = mem_realloc(batch->entries, capacity * sizeof *grown);
        if (!grown) {
            diag_oom(d, _("opening an output file"));
            return -1;
        }
        batch->entries = grown;
        batch->capacity = capacity;
    }
    output_entry *entry = &batch->entries[batch->count];
    memset(entry, 0, sizeof *entry);
    if (!(entry->name = mem_strdup(name))) {
        diag_oom(d, _("opening an output file"));
        return -1;
    }
    entry->reserved = reserved;
    if (reserved) {
        entry->path = mem_alloc(PATH_MAX);
        if (!entry->path) {
            mem_free(entry->name);
            diag_oom(d, _("opening an output file"));
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
        diag_error_file(d, e == ENOSPC ? DIAG_IO : DIAG_CANT_CREATE, shown, _("cannot create: %s"), strerror(e));
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
        diag_oom(d, _("opening an output file"));
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
        return diag_error_file(d, DIAG_IO, batch->dir, _("cannot put the results in place: %s"), strerror(ENOSPC));
    if (state == OUTPUT_MISSING) {
        if (output_renameat2(batch->parent_fd, batch->stage, batch->parent_fd, base, RENAME_NOREPLACE) == 0)
            return DIAG_OK;
        if ((errno == EINVAL || errno == ENOSYS) && renameat(batch->parent_fd, batch->stage, batch->parent_fd, base) == 0)
            return DIAG_OK;
        int e = errno;
        return diag_error_file(d, output_rename_status(e), batch->dir, _("cannot put the results in place: %s"),
                               strerror(e));
    }
    if (!output_exchange_disabled() &&
        output_renameat2(batch->parent_fd, batch->stage, batch->parent_fd, base, RENAME_EXCHANGE) == 0)
        return DIAG_OK;
    if (!output_exchange_disabled() && errno != EINVAL && errno != ENOSYS) {
        int e = errno;
        return diag_error_file(d, output_rename_status(e), batch->dir, _("cannot put the results in place: %s"),
                               strerror(e));
    }
    /* no swap here: the old folder aside, the new one in, the old one to where the staging
     * folder was (so it is removed like the old folder of a swap) */
    output_slot *slot = output_slot_at(batch->slot);
    char aside[OUTPUT_NAME_SIZE];
    snprintf(aside, sizeof aside, "%s.econsim-old.%ld", batch->place.prefix, (long)getpid());
    if (output_join(slot->aside_path, batch->place.parent, aside) != 0 ||
        output_join(slot->target, batch->place.parent, base) != 0)
        return diag_error_file(d, DIAG_CANT_CREATE, batch->dir, _("cannot put the results in place: %s"),
                               strerror(ENAMETOOLONG));
    if (renameat(batch->parent_fd, base, batch->parent_fd, aside) != 0) {
        int e = errno;
        return diag_error_file(d, output_rename_status(e), batch->dir, _("cannot move the earlier results aside: %s"),
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
        return diag_error_file(d, output_rename_status(e), batch->dir, _("cannot put the results in place: %s"),
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
        return diag_error(d, DIAG_SOFTWARE, _("no output batch to commit"));
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
        diag_warning(d, _("%s: the earlier results could not all be removed from %s: %s"), batch->dir, batch->stage_path,
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
