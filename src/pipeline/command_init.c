/* command_init.c: `econsim init NAME [--from SCENARIO] [--county PLACE]`: a scenario of the
 * planner's own, in the folder they work in, that extends a shipped (or any) scenario.
 *
 * The base is loaded first (so a broken base or an unknown county is reported before
 * anything is written); the new file is written to a temporary name beside its final one and
 * linked into place, which fails when the name exists: an existing file is never replaced,
 * not even by a race with another process. The file is then loaded as `check` would, so what
 * init writes is known to pass. */
#define _XOPEN_SOURCE 700 /* realpath, mkstemp */
#include "i18n.h"
#include "command.h"
#include "history.h"
#include "load.h"
#include "mem.h"
#include "scenario.h"
#include "scenario_template.h"
#include "search_path.h"
#include "session.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The scenario init starts from without --from. */
#define INIT_DEFAULT_BASE "linzhou-baseline.json"

/* The relative path from folder `from` to file `to`, both absolute and canonical (realpath),
 * into out. */
static void init_relative(const char *from, const char *to, char *out, size_t size)
{
    size_t common = 0, i = 0;
    /* the longest common prefix that ends at a folder boundary */
    for (; from[i] && to[i] && from[i] == to[i]; i++)
        if (from[i] == '/')
            common = i + 1;
    if (!from[i] && to[i] == '/')
        common = i + 1;
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = from + common; *p;) {
        used += (size_t)snprintf(out + used, used < size ? size - used : 0, "../");
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        p = slash + 1;
    }
    if (used < size)
        snprintf(out + used, size - used, "%s", to + common);
}

/* The base scenario: --from as a path, with ".json" added when missing, then on the search
 * path (ECONSIM_PATH, then the installed scenarios). Sets *path (owned) or reports why not. */
static int init_find_base(const char *from, char **path, int *in_share, diag *d)
{
    char with_json[4096];
    size_t len = strlen(from);
    snprintf(with_json, sizeof with_json, "%s%s", from,
             len >= 5 && !strcmp(from + len - 5, ".json") ? "" : ".json");
    const char *tries[] = {from, with_json, session_find_input(with_json)};
    struct stat st;
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++)
        if (stat(tries[i], &st) == 0 && S_ISREG(st.st_mode)) {
            *in_share = 0;
            return (*path = mem_strdup(tries[i])) ? DIAG_OK : diag_oom(d, _("finding the base scenario"));
        }
    search_path_hit hit;
    if (search_path_find(NULL, "--from", with_json, &hit, d) != DIAG_OK)
        return d->status;
    if (stat(hit.path, &st) != 0) {
        int error = errno;
        diag_error(d, DIAG_NO_INPUT, _("cannot open the scenario to start from, %s: %s (looked where given, in "
                   "ECONSIM_PATH and in %s/scenarios)"), from, strerror(error), search_path_share_dir());
        search_path_hit_release(&hit);
        return d->status;
    }
    *in_share = hit.via == SEARCH_PATH_SHARE;
    *path = hit.path;
    hit.path = NULL;
    search_path_hit_release(&hit);
    return DIAG_OK;
}

/* --county: a place the base's observations know, else an error with the nearest name. */
static int init_check_place(const run *r, const char *place, diag *d)
{
    if (!r->history)
        return diag_error(d, DIAG_USAGE, _("--county %s: the scenario to start from names no observations (history)"),
                          place);
    if (history_has_place(r->history, place))
        return DIAG_OK;
    const char *places[256];
    size_t count = history_places(r->history, places, sizeof places / sizeof places[0]);
    const char *guess = text_suggest(place, places, count);
    for (size_t i = 0; i < count && !guess; i++) /* "辉县" for "辉县市" */
        if (!strncmp(places[i], place, strlen(place)))
            guess = places[i];
    char list[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < count && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", places[i]);
    if (guess)
        return diag_error(d, DIAG_USAGE, _("--county %s: no such place in %s; did you mean %s? (places: %s)"), place,
                          r->history->path, guess, list);
    return diag_error(d, DIAG_USAGE, _("--county %s: no such place in %s (places: %s)"), place, r->history->path, list);
}

/* NAME -> the file to write (NAME.json unless NAME ends in .json) and the scenario's name
 * (the file name without .json), which must be a slug. */
static int init_names(const char *arg, char *file, size_t file_size, char *name, size_t name_size)
{
    size_t len = strlen(arg);
    int has_json = len >= 5 && !strcmp(arg + len - 5, ".json");
    if (snprintf(file, file_size, "%s%s", arg, has_json ? "" : ".json") >= (int)file_size)
        goto bad;
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    size_t name_len = strlen(base) - 5;
    if (name_len == 0 || name_len >= name_size || name_len > SCENARIO_MAX_NAME || base[0] == '.')
        goto bad;
    for (size_t i = 0; i < name_len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", base[i]))
            goto bad;
    memcpy(name, base, name_len);
    name[name_len] = '\0';
    return DIAG_OK;
bad:
    fprintf(stderr, _("%s: init: NAME must be a file name of letters, digits, '.', '_' and '-' (at most %d, not "
                    "starting with '.'), optionally in a folder and ending in .json, not '%s'\n"),
            SESSION_PROGRAM, SCENARIO_MAX_NAME, text_safe(arg));
    return DIAG_USAGE;
}

/* Writes the template to a temporary file in the folder of `file`, then links it to `file`
 * (never replacing one). Returns a DIAG_ status. */
static int init_write(const char *file, const run *base, const scenario_template *t, diag *d)
{
    char temp[4096 + 32];
    const char *slash = strrchr(file, '/');
    int dir_len = slash ? (int)(slash - file) + 1 : 0;
    snprintf(temp, sizeof temp, "%.*s.econsim-init-XXXXXX", dir_len, file);
    int fd = mkstemp(temp);
    if (fd < 0)
        return diag_error_file(d, DIAG_CANT_CREATE, file, _("cannot create: %s"), strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int error = errno;
        close(fd);
        unlink(temp);
        return diag_error_file(d, DIAG_CANT_CREATE, file, _("cannot create: %s"), strerror(error));
    }
    /* mkstemp makes the file private (0600): give it the mode a new file gets (umask) */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        int error = errno;
        fclose(f);
        unlink(temp);
        return diag_error_file(d, DIAG_CANT_CREATE, file, _("cannot create: %s"), strerror(error));
    }
    int failed = scenario_template_write(f, base, t) != 0;
    failed |= fclose(f) != 0;
    if (failed) {
        unlink(temp);
        return diag_error_file(d, DIAG_IO, file, _("cannot write: %s"), strerror(errno));
    }
    if (link(temp, file) != 0) {
        int error = errno;
        unlink(temp);
        if (error == EEXIST)
            return diag_error_file(d, DIAG_CANT_CREATE, file,
                                   _("exists already: init never replaces a file; choose another NAME or move the "
                                   "file away"));
        return diag_error_file(d, DIAG_CANT_CREATE, file, _("cannot create: %s"), strerror(error));
    }
    unlink(temp);
    return DIAG_OK;
}

/* How the new file names its base: the bare name for a base in the installed scenarios (the
 * search path finds it wherever the file goes), else the path relative to the new file. */
static void init_extends(const char *file, const char *base, int in_share, char *out, size_t size)
{
    const char *slash = strrchr(base, '/');
    char base_real[4096], dir_real[4096], share_real[4096], dir[4096], share_scenarios[4096 + 16];
    snprintf(share_scenarios, sizeof share_scenarios, "%s/scenarios", search_path_share_dir());
    if (realpath(base, base_real)) {
        char *cut = strrchr(base_real, '/');
        if (cut && realpath(share_scenarios, share_real) && (size_t)(cut - base_real) == strlen(share_real) &&
            !strncmp(base_real, share_real, strlen(share_real)))
            in_share = 1;
    }
    if (in_share) {
        snprintf(out, size, "%s", slash ? slash + 1 : base);
        return;
    }
    const char *file_slash = strrchr(file, '/');
    snprintf(dir, sizeof dir, "%.*s", file_slash ? (int)(file_slash - file) : 1, file_slash ? file : ".");
    if (file_slash == file)
        snprintf(dir, sizeof dir, "/");
    if (realpath(base, base_real) && realpath(dir, dir_real))
        init_relative(dir_real, base_real, out, size);
    else
        snprintf(out, size, "%s", base);
}

int command_init(const char *arg, const command_options *opt)
{
    char file[4096], name[SCENARIO_MAX_NAME + 1];
    int status = init_names(arg, file, sizeof file, name, sizeof name);
    if (status != DIAG_OK)
        return status;
    diag d;
    diag_init(&d);
    load_result in = {0};
    char *base = NULL;
    int in_share = 0;
    struct stat st;
    if (lstat(file, &st) == 0) {
        diag_error_file(&d, DIAG_CANT_CREATE, file,
                        _("exists already: init never replaces a file; choose another NAME or move the file away"));
        goto out;
    }
    if (init_find_base(opt->from ? opt->from : INIT_DEFAULT_BASE, &base, &in_share, &d) != DIAG_OK)
        goto out;
    if (load_scenario(base, NULL, &in, &d) != DIAG_OK)
        goto out;
    if (opt->county && init_check_place(in.run, opt->county, &d) != DIAG_OK)
        goto out;
    char extends[4096];
    init_extends(file, base, in_share, extends, sizeof extends);
    scenario_template t = {name, extends, opt->county};
    if (init_write(file, in.run, &t, &d) != DIAG_OK)
        goto out;
    load_release(&in);
    /* what was written must pass check: load it as check does; a file that would not (the
     * county's observations lack what the model needs) is taken back, being the one just
     * linked (same inode), and the errors say what is missing */
    struct stat written;
    int have_written = stat(file, &written) == 0;
    if (load_scenario(file, NULL, &in, &d) != DIAG_OK) {
        if (have_written && stat(file, &st) == 0 && st.st_ino == written.st_ino && st.st_dev == written.st_dev)
            unlink(file);
        if (opt->county)
            diag_error(&d, d.status,
                       _("init: nothing written: %s would not pass check, for the reasons above; add the county's "
                         "figures to the observations file, or start from a scenario that gives them as \"initial\" "
                         "values (--from)"),
                       file);
        else
            diag_error(&d, d.status, _("init: nothing written: %s would not pass check, for the reasons above"), file);
        goto out;
    }
    if (!opt->quiet)
        printf(_("wrote %s: extends %s; every assumption of %s is listed as a commented example (\"_\" key)\n"
               "next: edit it, then `econsim check %s` and `econsim run %s`\n"),
               text_safe(file), text_safe(extends), text_safe(in.run->model->path), text_safe(file), text_safe(file));
out:
    load_release(&in);
    mem_free(base);
    session_print_diag(&d);
    status = d.status;
    diag_free(&d);
    return status;
}
