/* output.c: atomic output batches, and the number and field formatting of CSV files.
 *
 * A run writes several files that belong together (projection.csv, goals.csv, summary.json,
 * charts). Each is written to `<final>.tmp.XXXXXX` beside its final name, on the same file
 * system, so that rename(2) can put it in place atomically. Commit flushes, checks and fsyncs
 * every file first and renames only when all were written in full: a full disk or a failing
 * chart leaves the previous run's results as they were (DESIGN §4 rule 6).
 *
 * An interrupted run must not leave temporary files behind either. Their paths live in a
 * static registry that output_cleanup_on_signal walks with unlink(2) alone, the only thing a
 * signal handler may safely do here. The registry is the one copy of each temporary path (the
 * mkstemp template is built in its slot), so there is no moment when a temporary file exists
 * on disk but the handler cannot see it. */
#include "output.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define OUTPUT_TEMP_SUFFIX ".tmp.XXXXXX"

/* ---------------------------------------------------------------------------------------- */
/* The registry of temporary files, shared with the signal handler */

static char output_registry_paths[OUTPUT_MAX_OPEN_FILES][PATH_MAX];
static volatile sig_atomic_t output_registry_used[OUTPUT_MAX_OPEN_FILES];

/* Claims a slot and copies `template` into it; returns the slot or -1 when all are taken. The
 * path is written before the slot is marked used, with a signal fence between, so the handler
 * never reads a slot whose path is half-copied. (mkstemp later rewrites the XXXXXX in place:
 * a handler arriving then unlinks at worst a name of our own pattern that does not exist.) */
static int output_registry_claim(const char *template)
{
    for (int slot = 0; slot < OUTPUT_MAX_OPEN_FILES; slot++) {
        if (output_registry_used[slot])
            continue;
        strcpy(output_registry_paths[slot], template); /* the caller checked the length */
        atomic_signal_fence(memory_order_seq_cst);
        output_registry_used[slot] = 1;
        return slot;
    }
    return -1;
}

/* Frees a slot, once its file has been renamed or removed: a handler arriving just before
 * unlinks a path that no longer exists, which is harmless. */
static void output_registry_release(int slot)
{
    atomic_signal_fence(memory_order_seq_cst);
    output_registry_used[slot] = 0;
    atomic_signal_fence(memory_order_seq_cst);
}

void output_cleanup_on_signal(void)
{
    int saved_errno = errno; /* the interrupted code may be about to read it */
    for (int slot = 0; slot < OUTPUT_MAX_OPEN_FILES; slot++) {
        if (!output_registry_used[slot])
            continue;
        atomic_signal_fence(memory_order_seq_cst);
        unlink(output_registry_paths[slot]);
    }
    errno = saved_errno;
}

/* ---------------------------------------------------------------------------------------- */
/* Folders */

/* Makes one folder; success when it exists already as a folder. Returns 0 or an errno. */
static int output_make_one_dir(const char *path)
{
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

/* mkdir -p: makes `path` and its missing parents. `what` is the path to name in the message
 * (the batch folder or the file being opened). Returns a DIAG_ status. */
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
            if (strcmp(buf, what) == 0)
                return diag_error_file(d, DIAG_CANT_CREATE, what, "cannot create folder: %s", strerror(e));
            return diag_error_file(d, DIAG_CANT_CREATE, what, "cannot create folder %s: %s", buf, strerror(e));
        }
        buf[i] = saved;
    }
    return DIAG_OK;
}

/* Flushes a folder's entries to disk so that renames survive a crash; best effort, as some
 * file systems refuse fsync on folders and the data itself is already safe. */
static void output_sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

/* ---------------------------------------------------------------------------------------- */
/* Batches */

typedef struct output_file {
    char *final_path;
    FILE *stream; /* NULL once closed */
    int slot;     /* in the registry, which holds the temporary path */
} output_file;

struct output_batch {
    char *dir;
    output_file *files;
    size_t count, capacity;
    mode_t file_mode; /* 0666 less the umask, as open(2) would give */
};

output_batch *output_batch_new(const char *dir, diag *d)
{
    if (!dir || !*dir) {
        diag_error(d, DIAG_CANT_CREATE, "cannot create the output folder: empty name");
        return NULL;
    }
    output_batch *batch = mem_calloc(1, sizeof *batch);
    if (!batch || !(batch->dir = mem_strdup(dir))) {
        mem_free(batch);
        diag_oom(d, "starting output files");
        return NULL;
    }
    if (output_make_dirs(dir, dir, d) != DIAG_OK) {
        mem_free(batch->dir);
        mem_free(batch);
        return NULL;
    }
    /* mkstemp creates files with mode 0600; results are meant to be shared like any file the
     * user creates, so commit gives them 0666 less the umask. Reading the umask means setting
     * it, hence once per batch, from the one thread that writes outputs. */
    mode_t mask = umask(022);
    umask(mask);
    batch->file_mode = 0666 & ~mask;
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

FILE *output_batch_open(output_batch *batch, const char *name, diag *d)
{
    if (!batch) {
        diag_error(d, DIAG_SOFTWARE, "no output batch to open %s in", name ? name : "(null)");
        return NULL;
    }
    if (!output_name_ok(name)) {
        diag_error_file(d, DIAG_CANT_CREATE, batch->dir, "invalid output file name \"%s\"", name ? name : "");
        return NULL;
    }
    size_t dir_length = strlen(batch->dir);
    int add_slash = batch->dir[dir_length - 1] != '/';
    size_t final_length = dir_length + (size_t)add_slash + strlen(name);
    if (final_length + sizeof OUTPUT_TEMP_SUFFIX > PATH_MAX) {
        diag_error_file(d, DIAG_CANT_CREATE, batch->dir, "cannot create %s: %s", name, strerror(ENAMETOOLONG));
        return NULL;
    }
    for (size_t i = 0; i < batch->count; i++) {
        const char *other = batch->files[i].final_path;
        if (strlen(other) == final_length && strncmp(other, batch->dir, dir_length) == 0 &&
            strcmp(other + dir_length + (size_t)add_slash, name) == 0) {
            diag_error_file(d, DIAG_CANT_CREATE, other, "opened twice in one batch");
            return NULL;
        }
    }
    if (batch->count == batch->capacity) {
        size_t capacity = batch->capacity ? batch->capacity * 2 : 8;
        output_file *grown = mem_realloc(batch->files, capacity * sizeof *grown);
        if (!grown) {
            diag_oom(d, "opening an output file");
            return NULL;
        }
        batch->files = grown;
        batch->capacity = capacity;
    }
    char *final_path = mem_alloc(final_length + 1);
    if (!final_path) {
        diag_oom(d, "opening an output file");
        return NULL;
    }
    snprintf(final_path, final_length + 1, "%s%s%s", batch->dir, add_slash ? "/" : "", name);

    if (strchr(name, '/')) { /* a subfolder such as charts/ */
        char *slash = strrchr(final_path, '/');
        *slash = '\0';
        int status = output_make_dirs(final_path, final_path, d);
        *slash = '/';
        if (status != DIAG_OK) {
            mem_free(final_path);
            return NULL;
        }
    }

    char template[PATH_MAX];
    snprintf(template, sizeof template, "%s%s", final_path, OUTPUT_TEMP_SUFFIX);
    int slot = output_registry_claim(template);
    if (slot < 0) {
        diag_error_file(d, DIAG_CANT_CREATE, final_path, "cannot create: more than %d output files open at once",
                        OUTPUT_MAX_OPEN_FILES);
        mem_free(final_path);
        return NULL;
    }
    char *temp_path = output_registry_paths[slot];
    int fd = mkstemp(temp_path);
    if (fd < 0) {
        diag_error_file(d, DIAG_CANT_CREATE, final_path, "cannot create: %s", strerror(errno));
        output_registry_release(slot);
        mem_free(final_path);
        return NULL;
    }
    FILE *stream = NULL;
    if (fchmod(fd, batch->file_mode) != 0 || !(stream = fdopen(fd, "wb"))) {
        diag_error_file(d, DIAG_CANT_CREATE, final_path, "cannot create: %s", strerror(errno));
        close(fd);
        unlink(temp_path);
        output_registry_release(slot);
        mem_free(final_path);
        return NULL;
    }
    batch->files[batch->count++] = (output_file){final_path, stream, slot};
    return stream;
}

const char *output_batch_reserve(output_batch *batch, const char *name, diag *d)
{
    /* an open stream that nothing writes through: commit's fflush has nothing to write, its
     * fsync flushes what the other program wrote to the same file */
    if (!output_batch_open(batch, name, d))
        return NULL;
    return output_registry_paths[batch->files[batch->count - 1].slot];
}

/* The index of the file named `name` in the batch, or -1. */
static long output_batch_index(const output_batch *batch, const char *name)
{
    size_t dir_length = strlen(batch->dir);
    size_t skip = dir_length + (batch->dir[dir_length - 1] != '/');
    for (size_t i = 0; i < batch->count; i++) {
        const char *path = batch->files[i].final_path;
        if (strlen(path) > skip && strcmp(path + skip, name) == 0)
            return (long)i;
    }
    return -1;
}

int output_batch_withdraw(output_batch *batch, const char *name)
{
    long index = batch && name ? output_batch_index(batch, name) : -1;
    if (index < 0)
        return -1;
    output_file *file = &batch->files[index];
    if (file->stream)
        fclose(file->stream);
    unlink(output_registry_paths[file->slot]);
    output_registry_release(file->slot);
    mem_free(file->final_path);
    memmove(file, file + 1, (batch->count - (size_t)index - 1) * sizeof *file);
    batch->count--;
    return 0;
}

/* Removes every temporary file and frees the batch (streams must be closed or NULL). */
static void output_batch_discard(output_batch *batch)
{
    for (size_t i = 0; i < batch->count; i++) {
        output_file *file = &batch->files[i];
        if (file->stream)
            fclose(file->stream);
        if (file->slot >= 0) {
            unlink(output_registry_paths[file->slot]);
            output_registry_release(file->slot);
        }
        mem_free(file->final_path);
    }
    mem_free(batch->files);
    mem_free(batch->dir);
    mem_free(batch);
}

/* Flushes, checks, syncs and closes a stream. Returns 0, an errno, or -1 for a write that
 * failed earlier (the stream's error flag keeps no errno). */
static int output_close_stream(FILE *stream)
{
    int e = 0;
    errno = 0;
    if (fflush(stream) != 0)
        e = errno ? errno : EIO;
    else if (ferror(stream))
        e = -1;
    else if (fsync(fileno(stream)) != 0)
        e = errno; /* a network or full file system may report a lost write only here */
    errno = 0;
    if (fclose(stream) != 0 && e == 0)
        e = errno ? errno : EIO;
    return e;
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

int output_batch_commit(output_batch *batch, diag *d)
{
    if (!batch)
        return diag_error(d, DIAG_SOFTWARE, "no output batch to commit");
    size_t failed = batch->count;
    int failure = 0;
    for (size_t i = 0; i < batch->count; i++) {
        int e = output_close_stream(batch->files[i].stream);
        batch->files[i].stream = NULL;
        if (e && failed == batch->count) {
            failed = i;
            failure = e;
        }
    }
    if (failed < batch->count) {
        if (failure < 0)
            diag_error_file(d, DIAG_IO, batch->files[failed].final_path, "cannot write: a write failed (disk full?)");
        else
            diag_error_file(d, DIAG_IO, batch->files[failed].final_path, "cannot write: %s", strerror(failure));
        output_batch_discard(batch);
        return DIAG_IO;
    }

    int status = DIAG_OK;
    for (size_t i = 0; i < batch->count; i++) {
        output_file *file = &batch->files[i];
        const char *temp_path = output_registry_paths[file->slot];
        if (status == DIAG_OK && rename(temp_path, file->final_path) != 0) {
            int e = errno;
            status = output_rename_status(e);
            diag_error_file(d, status, file->final_path, "cannot put in place: %s", strerror(e));
        }
        if (status != DIAG_OK)
            unlink(temp_path);
        output_registry_release(file->slot);
        file->slot = -1;
    }
    if (status == DIAG_OK) {
        output_sync_dir(batch->dir);
        for (size_t i = 0; i < batch->count; i++) { /* subfolders such as charts/ */
            char *slash = strrchr(batch->files[i].final_path, '/');
            if (!slash || (size_t)(slash - batch->files[i].final_path) <= strlen(batch->dir))
                continue;
            *slash = '\0';
            output_sync_dir(batch->files[i].final_path);
            *slash = '/';
        }
    }
    output_batch_discard(batch);
    return status;
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
