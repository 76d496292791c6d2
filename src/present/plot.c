/* plot.c: gnuplot without a shell (plot.h): the image formats and the chart templates of
 * plots/ (found beside the binary or in the installed share folder, never from a scenario).
 * The script builder is plot_script.c's; running gnuplot by fork and execve, never through a
 * shell, plot_run.c's (see plot.h for the traps this closes). */
#define _GNU_SOURCE /* realpath */
#include "plot.h"
#include "selfdir.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *plot_format_name(plot_format format)
{
    switch (format) {
    case PLOT_SVG:
        return "svg";
    case PLOT_PDF:
        return "pdf";
    default:
        return "png";
    }
}

int plot_format_parse(const char *text, plot_format *out)
{
    static const plot_format formats[] = {PLOT_PNG, PLOT_SVG, PLOT_PDF};
    for (size_t i = 0; text && i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(text, plot_format_name(formats[i]))) {
            *out = formats[i];
            return 1;
        }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Templates */

static int plot_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A templates folder holds style.gp at least. */
static int plot_templates_ok(const char *dir)
{
    char style[4096];
    if (snprintf(style, sizeof style, "%s/style.gp", dir) >= (int)sizeof style)
        return 0;
    struct stat st;
    return plot_is_dir(dir) && stat(style, &st) == 0 && S_ISREG(st.st_mode);
}

int plot_templates_find(char *dir, size_t size, diag *d)
{
    const char *env = getenv("ECONSIM_PLOTS");
    if (env && *env) {
        if (!plot_templates_ok(env))
            return diag_error(d, DIAG_NO_INPUT, _("ECONSIM_PLOTS=%s: no chart templates there (style.gp is missing)"), env);
        if (snprintf(dir, size, "%s", env) >= (int)size)
            return diag_error(d, DIAG_NO_INPUT, _("ECONSIM_PLOTS: path too long"));
        return DIAG_OK;
    }
    char exe[4096];
    if (selfdir_get(exe, sizeof exe)) {
        static const char *const relative[] = {"/../plots", "/../share/econsim/plots"};
        for (size_t i = 0; i < sizeof relative / sizeof relative[0]; i++) {
            char candidate[4096 + 32];
            snprintf(candidate, sizeof candidate, "%s%s", exe, relative[i]);
            char resolved[4096];
            if (plot_templates_ok(candidate) && realpath(candidate, resolved) &&
                snprintf(dir, size, "%s", resolved) < (int)size)
                return DIAG_OK;
        }
    }
#ifdef ECONSIM_SHAREDIR
    if (plot_templates_ok(ECONSIM_SHAREDIR "/plots") && snprintf(dir, size, "%s", ECONSIM_SHAREDIR "/plots") < (int)size)
        return DIAG_OK;
    return diag_error(d, DIAG_NO_INPUT,
                      "chart templates not found: looked beside the program (../plots) and in %s/plots; set "
                      "ECONSIM_PLOTS to the folder holding style.gp",
                      ECONSIM_SHAREDIR);
#else
    return diag_error(d, DIAG_NO_INPUT,
                      "chart templates not found beside the program (../plots); set ECONSIM_PLOTS to the folder "
                      "holding style.gp");
#endif
}

char *plot_template_load(const char *dir, const char *name, diag *d)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s.gp", dir, name) >= (int)sizeof path) {
        diag_error(d, DIAG_NO_INPUT, _("%s/%s.gp: path too long"), dir, name);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error_file(d, DIAG_NO_INPUT, path, "cannot open chart template: %s", strerror(errno));
        return NULL;
    }
    size_t capacity = 8192, length = 0;
    char *text = mem_alloc(capacity);
    int failed = !text;
    while (!failed) {
        if (length + 4096 + 1 > capacity) {
            if (capacity > (size_t)16 << 20) { /* a template is a few KB */
                failed = 2;
                break;
            }
            char *grown = mem_realloc(text, capacity * 2);
            if (!grown) {
                failed = 1;
                break;
            }
            text = grown;
            capacity *= 2;
        }
        size_t got = fread(text + length, 1, 4096, f);
        length += got;
        if (got < 4096)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (failed || read_error) {
        mem_free(text);
        if (failed == 1)
            diag_oom(d, _("reading a chart template"));
        else if (failed == 2)
            diag_error_file(d, DIAG_DATA, path, "chart template larger than 16 MB");
        else
            diag_error_file(d, DIAG_IO, path, "cannot read chart template");
        return NULL;
    }
    text[length] = '\0';
    return text;
}
