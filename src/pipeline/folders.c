/* folders.c: naming, checking and locking the result folders of a command. */
#include "i18n.h"
#include "folders.h"
#include "checkpoint.h"
#include "mem.h"
#include "scenario.h"
#include "session.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void folders_release(folders *f)
{
    for (size_t i = 0; i < f->count; i++) {
        if (f->locks)
            output_lock_release(f->locks[i]);
        mem_free(f->paths[i]);
    }
    mem_free(f->paths);
    mem_free(f->locks);
    memset(f, 0, sizeof *f);
}

int folders_add(folders *f, const char *path)
{
    char **grown = mem_realloc(f->paths, (f->count + 1) * sizeof *grown);
    if (!grown)
        return DIAG_SOFTWARE;
    f->paths = grown;
    if (!(f->paths[f->count] = mem_strdup(path)))
        return DIAG_SOFTWARE;
    f->count++;
    return DIAG_OK;
}

static void folders_wait_notice(const char *dir, void *arg)
{
    (void)arg;
    fprintf(stderr, _("%s: waiting: another econsim is writing into %s; this run goes on when it ends (--no-wait: "
                    "fail instead)\n"),
            SESSION_PROGRAM, text_safe(dir));
    fflush(stderr);
}

static int folders_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int folders_lock(folders *f)
{
    if (f->count == 0 || !checkpoint_speaks())
        return DIAG_OK; /* no folder could be named (the runs report why), or rank 0 writes */
    qsort(f->paths, f->count, sizeof *f->paths, folders_compare);
    if (!(f->locks = mem_calloc(f->count ? f->count : 1, sizeof *f->locks)))
        return session_out_of_memory();
    for (size_t i = 0; i < f->count; i++) {
        diag d;
        diag_init(&d);
        int status = output_lock_take(f->paths[i], !f->no_wait, folders_wait_notice, NULL, &f->locks[i], &d);
        session_print_diag(&d);
        diag_free(&d);
        if (status != DIAG_OK)
            return status;
    }
    return DIAG_OK;
}

int folders_lock_one(folders *f, const char *dir, diag *d)
{
    if (folders_add(f, dir) != DIAG_OK || !(f->locks = mem_calloc(1, sizeof *f->locks)))
        return diag_oom(d, _("locking the output folder"));
    if (!checkpoint_speaks())
        return DIAG_OK; /* rank 0 writes */
    return output_lock_take(dir, !f->no_wait, folders_wait_notice, NULL, &f->locks[0], d);
}

int folders_resolve_printed(const char *dir, int follow_symlinks, char *out, size_t size)
{
    diag d;
    diag_init(&d);
    int status = output_target_resolve(dir, follow_symlinks, out, size, &d);
    session_print_diag(&d);
    diag_free(&d);
    return status;
}

char *folders_scenario_name(const char *file)
{
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(session_find_input(file), &d);
    char *name = s ? mem_strdup(s->name) : NULL;
    scenario_free(s);
    diag_free(&d);
    return name;
}

int folders_scenario_names(char *const *files, size_t count, const char *base, const char *reserved, char **names)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < count && status == DIAG_OK; i++) {
        if (!(names[i] = folders_scenario_name(files[i])))
            continue;
        for (size_t k = 0; k < i; k++)
            if (names[k] && !strcmp(names[k], names[i])) {
                fprintf(stderr,
                        _("%s: error: %s and %s are both scenario \"%s\": each scenario of one command writes "
                        "%s/<name>/, so the names must differ (change \"name\" in one of them)\n"),
                        SESSION_PROGRAM, text_safe(files[k]), text_safe(files[i]), text_safe(names[i]),
                        text_safe(base));
                status = DIAG_USAGE;
                break;
            }
        if (status == DIAG_OK && reserved && !strcmp(names[i], reserved)) {
            fprintf(stderr,
                    _("%s: error: %s: a scenario named \"%s\" would share its folder with the comparison of the "
                    "scenarios (%s/%s/): rename it\n"),
                    SESSION_PROGRAM, text_safe(files[i]), reserved, text_safe(base), reserved);
            status = DIAG_USAGE;
        }
    }
    return status;
}
