/* fuzz_common.c: temporary files for harnesses whose loaders read paths. The folder lives in
 * /dev/shm when it exists, so an iteration costs microseconds, not a disk write. */
#include "fuzz_common.h"
#include "mem.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_folder[256];

static void fuzz_cleanup(void)
{
    char command_free_path[512];
    /* remove the files we know about; no shell involved */
    static const char *const names[] = {"input.json", "history.csv", "model.json", NULL};
    for (size_t i = 0; names[i]; i++) {
        snprintf(command_free_path, sizeof command_free_path, "%s/%s", fuzz_folder, names[i]);
        unlink(command_free_path);
    }
    rmdir(fuzz_folder);
}

const char *fuzz_dir(void)
{
    if (!fuzz_folder[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_folder, sizeof fuzz_folder, "%s/econsim-fuzz-XXXXXX", base);
        if (!mkdtemp(fuzz_folder)) {
            fuzz_folder[0] = '\0';
            return NULL;
        }
        atexit(fuzz_cleanup);
    }
    return fuzz_folder;
}

const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    const char *dir = fuzz_dir();
    if (!dir)
        return NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    if (fclose(f) != 0)
        return NULL;
    return path;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
    gsl_set_error_handler_off();
    return 0;
}

/* Mirrors the source tree for scenario harnesses (see fuzz_common.h). */
static char fuzz_links[128][512];
static int fuzz_link_count;

static void fuzz_link(const char *target, const char *name)
{
    if (fuzz_link_count >= 128)
        return;
    char *path = fuzz_links[fuzz_link_count];
    snprintf(path, sizeof fuzz_links[0], "%s/%s", fuzz_dir(), name);
    if (symlink(target, path) == 0)
        fuzz_link_count++;
}

static void fuzz_unlink_all(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/input.json", fuzz_dir());
    unlink(path);
    for (int i = fuzz_link_count - 1; i >= 0; i--)
        unlink(fuzz_links[i]);
    snprintf(path, sizeof path, "%s/scenarios", fuzz_dir());
    rmdir(path);
}

void fuzz_mirror_tree(void)
{
    char path[512];
    fuzz_link(FUZZ_SOURCE_ROOT "/models", "models");
    fuzz_link(FUZZ_SOURCE_ROOT "/data", "data");
    fuzz_link(FUZZ_SOURCE_ROOT "/plots", "plots");
    snprintf(path, sizeof path, "%s/scenarios", fuzz_dir());
    mkdir(path, 0700);
    DIR *dir = opendir(FUZZ_SOURCE_ROOT "/scenarios");
    struct dirent *entry;
    while (dir && (entry = readdir(dir))) {
        size_t len = strlen(entry->d_name);
        if (len < 6 || strcmp(entry->d_name + len - 5, ".json"))
            continue;
        char target[512], name[512];
        snprintf(target, sizeof target, "%s/scenarios/%s", FUZZ_SOURCE_ROOT, entry->d_name);
        snprintf(name, sizeof name, "scenarios/%s", entry->d_name);
        fuzz_link(target, name);
    }
    if (dir)
        closedir(dir);
    atexit(fuzz_unlink_all);
}

