/* checkpoint_file.c: the files of a checkpoint folder (checkpoint_file.h). */
#include "checkpoint_file.h"

#include "fnv.h"
#include "i18n.h"
#include "input.h"
#include "mem.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* FNV-1a of a file's bytes (a missing path hashes as its absence). */
static uint64_t stamp_file(uint64_t h, const char *path)
{
    if (!path)
        return fnv1a64(h, "-", 1);
    diag d;
    diag_init(&d);
    size_t len = 0;
    char *data = input_read_all(path, (size_t)1 << 34, &len, &d);
    h = data ? fnv1a64(h, data, len) : fnv1a64(h, "?", 1);
    h = fnv1a64(h, "\n", 1);
    mem_free(data);
    diag_free(&d);
    return h;
}

uint64_t checkpoint_file_stamp(const run *r, const char *overrides)
{
    const scenario *s = r->scenario;
    uint64_t h = fnv1a64(FNV1A64_OFFSET, CHECKPOINT_FORMAT, strlen(CHECKPOINT_FORMAT));
    for (size_t i = 0; i < s->extends_count; i++)
        h = stamp_file(h, s->extends_chain[i]);
    h = stamp_file(h, s->model_path);
    h = stamp_file(h, s->history_path);
    int as_of = r->as_of;
    h = fnv1a64(h, &as_of, sizeof as_of);
    return overrides ? fnv1a64(h, overrides, strlen(overrides)) : h;
}

int checkpoint_file_check_folder(const char *folder, uint64_t stamp, int resume, diag *d)
{
    struct stat st;
    if (stat(folder, &st) != 0)
        return DIAG_OK;
    if (!resume)
        return diag_error_file(d, DIAG_CANT_CREATE, folder,
                               _("checkpoints of an unfinished run are there: add --resume to continue it, "
                                 "or remove the folder to start again"));
    char path[CHECKPOINT_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/run.txt", folder);
    size_t len = 0;
    char *text = input_read_all(path, 4096, &len, d);
    if (!text)
        return d->status;
    uint64_t theirs_stamp = 0;
    int ok = sscanf(text, CHECKPOINT_FORMAT "\nrun %" SCNx64, &theirs_stamp) == 1;
    mem_free(text);
    if (ok && theirs_stamp == stamp)
        return DIAG_OK;
    char theirs[24], ours[24];
    snprintf(theirs, sizeof theirs, "%016" PRIx64, theirs_stamp);
    snprintf(ours, sizeof ours, "%016" PRIx64, stamp);
    return diag_error_at(d, DIAG_DATA, path, 2, 5,
                         _("these checkpoints belong to another run: the scenario, model, observations, "
                           "design or seed changed since (hash %s, this run %s); they are refused: remove %s "
                           "to start again"),
                         theirs, ours, text_safe(folder));
}

/* Writes head then body to path atomically: a temporary file beside it, flushed and synced,
 * then renamed over path. */
static int write_atomic(const char *path, const void *head, size_t head_bytes, const void *body, size_t body_bytes,
                        diag *d)
{
    char tmp[CHECKPOINT_PATH_MAX + 80];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return diag_error_file(d, DIAG_CANT_CREATE, tmp, _("cannot create: %s"), strerror(errno));
    int ok = fwrite(head, 1, head_bytes, f) == head_bytes && (!body_bytes || fwrite(body, 1, body_bytes, f) == body_bytes);
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return diag_error_file(d, DIAG_IO, path, _("cannot write the checkpoint: %s"), strerror(e));
    }
    return DIAG_OK;
}

int checkpoint_file_make_folder(const char *folder, uint64_t stamp, diag *d)
{
    struct stat st;
    if (stat(folder, &st) == 0)
        return DIAG_OK;
    if (mkdir(folder, 0777) != 0 && errno != EEXIST)
        return diag_error_file(d, DIAG_CANT_CREATE, folder, _("cannot create the checkpoint folder: %s"),
                               strerror(errno));
    char path[CHECKPOINT_PATH_MAX + 16], text[128];
    snprintf(path, sizeof path, "%s/run.txt", folder);
    int n = snprintf(text, sizeof text, CHECKPOINT_FORMAT "\nrun %016" PRIx64 "\n", stamp);
    return write_atomic(path, text, (size_t)n, NULL, 0, d);
}

void checkpoint_file_remove_folder(const char *folder)
{
    DIR *dir = opendir(folder);
    if (!dir)
        return;
    struct dirent *e;
    char path[CHECKPOINT_PATH_MAX + 300];
    while ((e = readdir(dir)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
            unlink(path);
        }
    closedir(dir);
    rmdir(folder);
}

void checkpoint_file_chunk_path(char *out, size_t size, const char *folder, size_t stage, size_t chunk)
{
    snprintf(out, size, "%s/stage-%zu-chunk-%05zu.ckpt", folder, stage, chunk);
}

int checkpoint_file_write_chunk(const char *path, const checkpoint_chunk_head *head, unsigned char *payload,
                                size_t bytes, diag *d)
{
    uint64_t sum = fnv1a64(FNV1A64_OFFSET, payload, bytes);
    memcpy(payload + bytes, &sum, sizeof sum);
    char text[256];
    int n = snprintf(text, sizeof text,
                     CHECKPOINT_FORMAT "\nrun %016" PRIx64 "\nlayout %016" PRIx64 "\nstage %zu\nchunk %zu\n"
                                       "blocks %zu %zu\npayload %zu\n\n",
                     head->stamp, head->layout, head->stage, head->chunk, head->first, head->end, bytes);
    return write_atomic(path, text, (size_t)n, payload, bytes + sizeof sum, d);
}

int checkpoint_file_read_chunk(const char *path, const char *folder, checkpoint_chunk_head *head, char **data,
                               const unsigned char **payload, size_t *bytes, int *intact, diag *d)
{
    *data = NULL;
    if (access(path, F_OK) != 0)
        return DIAG_NO_INPUT;
    size_t len = 0;
    char *text = input_read_all(path, (size_t)1 << 40, &len, d);
    if (!text)
        return d->status;
    *head = (checkpoint_chunk_head){0};
    size_t size = 0;
    int consumed = 0;
    int fields = sscanf(text, CHECKPOINT_FORMAT "\nrun %" SCNx64 "\nlayout %" SCNx64 "\nstage %zu\nchunk %zu\nblocks %zu "
                              "%zu\npayload %zu\n\n%n",
                        &head->stamp, &head->layout, &head->stage, &head->chunk, &head->first, &head->end, &size,
                        &consumed);
    if (fields != 7 || consumed == 0 || (size_t)consumed + size + sizeof(uint64_t) != len) {
        mem_free(text);
        return diag_error_file(d, DIAG_DATA, path, _("not a whole econsim checkpoint: remove %s to start again"),
                               text_safe(folder));
    }
    const unsigned char *body = (const unsigned char *)text + consumed;
    uint64_t sum;
    memcpy(&sum, body + size, sizeof sum);
    *data = text;
    *payload = body;
    *bytes = size;
    *intact = sum == fnv1a64(FNV1A64_OFFSET, body, size);
    return DIAG_OK;
}
