/* search_path.c: finding the files a scenario names (search_path.h). Only names and file
 * identities are looked at here; reading the files is their loaders' work. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "search_path.h"
#include "selfdir.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ECONSIM_SHAREDIR
#define ECONSIM_SHAREDIR "/usr/local/share/econsim"
#endif

/* The subfolders of the share folder searched by bare name, in this order. */
static const char *const search_path_share_subdirs[] = {"scenarios", "models", "data"};

const char *search_path_via_name(search_path_via via)
{
    switch (via) {
    case SEARCH_PATH_ENV:
        return N_("ECONSIM_PATH folder");
    case SEARCH_PATH_SHARE:
        return N_("installed share folder");
    default:
        return N_("where it was written");
    }
}

void search_path_hit_release(search_path_hit *hit)
{
    if (!hit)
        return;
    mem_free(hit->path);
    mem_free(hit->folder);
    hit->path = NULL;
    hit->folder = NULL;
    hit->via = SEARCH_PATH_AS_WRITTEN;
}

static int search_path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *search_path_share_dir(void)
{
    static char dir[4096];
    if (dir[0])
        return dir;
    char exe[4096];
    if (selfdir_get(exe, sizeof exe)) {
        char candidate[4096 + 32], resolved[4096];
        snprintf(candidate, sizeof candidate, "%s/../share/econsim", exe);
        if (search_path_is_dir(candidate) && realpath(candidate, resolved) && strlen(resolved) < sizeof dir) {
            memcpy(dir, resolved, strlen(resolved) + 1);
            return dir;
        }
        char models[4096 + 32], scenarios[4096 + 32];
        snprintf(models, sizeof models, "%s/../models", exe);
        snprintf(scenarios, sizeof scenarios, "%s/../scenarios", exe);
        snprintf(candidate, sizeof candidate, "%s/..", exe);
        if (search_path_is_dir(models) && search_path_is_dir(scenarios) && realpath(candidate, resolved) &&
            strlen(resolved) < sizeof dir) {
            memcpy(dir, resolved, strlen(resolved) + 1);
            return dir;
        }
    }
    snprintf(dir, sizeof dir, "%s", ECONSIM_SHAREDIR);
    return dir;
}

/* One file a folder of the search yields. */
typedef struct search_path_candidate {
    char *path;
    dev_t device;
    ino_t inode;
} search_path_candidate;

/* Joins `name` to `folder` (simplified, as jsonfile_resolve_path does). Caller frees. */
static char *search_path_join(const char *folder, const char *name)
{
    size_t len = strlen(folder);
    char *base = mem_alloc(len + 3);
    if (!base)
        return NULL;
    memcpy(base, folder, len);
    memcpy(base + len, "/-", 3); /* a file in `folder`: its folder is where name is resolved */
    char *joined = jsonfile_resolve_path(base, name);
    mem_free(base);
    return joined;
}

/* Adds `path` to the candidates of one folder when a file (not a folder) is there and is not
 * one of them already. Takes path (freed when not kept). Returns 0 when memory ran out. */
static int search_path_consider(search_path_candidate *found, size_t *count, char *path)
{
    if (!path)
        return 0;
    struct stat st;
    if (stat(path, &st) != 0 || S_ISDIR(st.st_mode)) {
        mem_free(path);
        return 1;
    }
    for (size_t i = 0; i < *count; i++)
        if (found[i].device == st.st_dev && found[i].inode == st.st_ino) {
            mem_free(path);
            return 1;
        }
    found[*count].path = path;
    found[*count].device = st.st_dev;
    found[*count].inode = st.st_ino;
    (*count)++;
    return 1;
}

/* Settles one folder of the search: nothing (0 candidates, returns DIAG_OK with hit->path
 * NULL), one file (kept in hit), or an ambiguity (an error listing both). Frees the rest. */
static int search_path_settle(search_path_candidate *found, size_t count, search_path_via via, const char *folder,
                              const char *naming_file, const char *json_path, const char *written,
                              search_path_hit *hit, diag *d)
{
    int status = DIAG_OK;
    if (count > 1 && naming_file) {
        status = diag_error_json(d, DIAG_DATA, naming_file, json_path,
                                 _("\"%s\" is ambiguous: %s %s holds two different files, %s and %s; write a path "
                                 "that names one of them"),
                                 written, _(search_path_via_name(via)), folder, found[0].path, found[1].path);
    } else if (count > 1) {
        status = diag_error(d, DIAG_DATA,
                            _("%s %s is ambiguous: %s %s holds two different files, %s and %s; write a path that "
                            "names one of them"),
                            json_path, written, _(search_path_via_name(via)), folder, found[0].path, found[1].path);
    } else if (count == 1) {
        if (!(hit->folder = mem_strdup(folder)))
            status = diag_oom(d, _("searching for a file"));
        else {
            hit->path = found[0].path;
            found[0].path = NULL;
            hit->via = via;
        }
    }
    for (size_t i = 0; i < count; i++)
        mem_free(found[i].path);
    return status;
}

/* Step 2 for one folder of ECONSIM_PATH: as written, then by bare name. */
static int search_path_env_folder(const char *folder, const char *naming_file, const char *json_path,
                                  const char *written, const char *bare, search_path_hit *hit, diag *d)
{
    search_path_candidate found[2];
    size_t count = 0;
    if (written[0] != '/' && !search_path_consider(found, &count, search_path_join(folder, written)))
        goto oom;
    if (!search_path_consider(found, &count, search_path_join(folder, bare)))
        goto oom;
    return search_path_settle(found, count, SEARCH_PATH_ENV, folder, naming_file, json_path, written, hit, d);
oom:
    for (size_t i = 0; i < count; i++)
        mem_free(found[i].path);
    return diag_oom(d, _("searching for a file"));
}

/* Step 3: the bare name in the share folder's scenarios/, models/ and data/. */
static int search_path_share(const char *naming_file, const char *json_path, const char *written, const char *bare,
                             search_path_hit *hit, diag *d)
{
    const char *share = search_path_share_dir();
    enum { SUBDIRS = sizeof search_path_share_subdirs / sizeof search_path_share_subdirs[0] };
    search_path_candidate found[SUBDIRS];
    size_t count = 0;
    for (size_t i = 0; i < SUBDIRS; i++) {
        char *sub = search_path_join(share, search_path_share_subdirs[i]);
        char *path = sub ? search_path_join(sub, bare) : NULL;
        mem_free(sub);
        if (!search_path_consider(found, &count, path)) {
            for (size_t k = 0; k < count; k++)
                mem_free(found[k].path);
            return diag_oom(d, _("searching for a file"));
        }
    }
    return search_path_settle(found, count, SEARCH_PATH_SHARE, share, naming_file, json_path, written, hit, d);
}

int search_path_find(const char *naming_file, const char *json_path, const char *written, search_path_hit *hit,
                     diag *d)
{
    memset(hit, 0, sizeof *hit);
    char *as_written = jsonfile_resolve_path(naming_file, written);
    if (!as_written)
        return diag_oom(d, _("searching for a file"));
    struct stat st;
    if (stat(as_written, &st) == 0) {
        hit->path = as_written;
        return DIAG_OK;
    }
    const char *slash = strrchr(written, '/');
    const char *bare = slash ? slash + 1 : written;
    int status = DIAG_OK;
    if (!bare[0]) /* "dir/": no file name to look for */
        goto not_found;
    const char *env = getenv("ECONSIM_PATH");
    for (const char *p = env; p && *p && !hit->path;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 0) {
            char *folder = mem_alloc(len + 1);
            if (!folder) {
                mem_free(as_written);
                return diag_oom(d, _("searching for a file"));
            }
            memcpy(folder, p, len);
            folder[len] = '\0';
            status = search_path_env_folder(folder, naming_file, json_path, written, bare, hit, d);
            mem_free(folder);
            if (status != DIAG_OK) {
                mem_free(as_written);
                return status;
            }
        }
        p = end ? end + 1 : p + len;
    }
    if (!hit->path && (status = search_path_share(naming_file, json_path, written, bare, hit, d)) != DIAG_OK) {
        mem_free(as_written);
        return status;
    }
    if (hit->path) {
        mem_free(as_written);
        return DIAG_OK;
    }
not_found:
    hit->path = as_written;
    hit->via = SEARCH_PATH_AS_WRITTEN;
    return status;
}
