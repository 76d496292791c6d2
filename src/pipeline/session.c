/* session.c: the process around the commands: start-up, signals, messages. */
#include "i18n.h"
#include "session.h"
#include "checkpoint.h"
#include "engine.h"
#include "jsonfile.h"
#include "output.h"
#include "plot.h"
#include "report_pdf.h"
#include "search_path.h"

#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *session_signal_note;

void session_set_signal_note(const char *note)
{
    session_signal_note = note;
}

static void session_on_signal(int sig)
{
    if (session_signal_note) { /* once: write(2) is async-signal-safe */
        const char *note = session_signal_note;
        session_signal_note = NULL;
        ssize_t written = write(STDERR_FILENO, note, strlen(note));
        (void)written;
    }
    /* during an ensemble or sweep the first Ctrl-C stops the engine between blocks, so the
     * run ends cleanly with nothing written; a second one (or one at any other time) ends the
     * process here, with the staging folders removed: earlier results are as they were.
     * SIGINT and SIGTERM both end with 130, as the engine's clean stop does. */
    (void)sig;
    if (engine_request_stop())
        return;
    plot_kill_running();
    report_pdf_kill_running();
    output_cleanup_on_signal();
    _exit(DIAG_INTERRUPTED);
}

void session_init(void)
{
    jsonfile_init();
    /* once, for every module: GSL reports a failure by its status, which each caller checks
     * and turns into a message; the default handler would abort the process */
    gsl_set_error_handler_off();
    /* sigaction, not signal(): the handler stays installed and interrupted reads restart */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = session_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

const char *session_find_input(const char *arg)
{
    static char installed[4096 + 32];
    struct stat st;
    if (arg[0] == '/' || stat(arg, &st) == 0)
        return arg;
    /* "scenarios/linzhou-baseline.json", then a bare scenario name "linzhou-baseline.json" */
    static const char *const prefixes[] = {"", "scenarios/"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        snprintf(installed, sizeof installed, "%s/%s%s", search_path_share_dir(), prefixes[i], arg);
        if (stat(installed, &st) == 0)
            return installed;
    }
    return arg;
}

void session_print_diag(diag *d)
{
    if (!checkpoint_speaks())
        return; /* the ranks of an MPI job compute the same: rank 0 tells */
    fflush(stdout);
    jsonfile_locate_diag(d);
    diag_print(d, SESSION_PROGRAM, stderr);
}

int session_out_of_memory(void)
{
    fprintf(stderr, _("%s: error: out of memory\n"), SESSION_PROGRAM);
    return DIAG_SOFTWARE;
}
