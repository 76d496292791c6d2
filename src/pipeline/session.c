/* session.c: the process around the commands: start-up, signals, messages. */
#include "session.h"
#include "engine.h"
#include "jsonfile.h"
#include "output.h"
#include "plot.h"
#include "report_pdf.h"

#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ECONSIM_SHAREDIR
#define ECONSIM_SHAREDIR "/usr/local/share/econsim"
#endif

static void session_on_signal(int sig)
{
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
    static char installed[4096];
    struct stat st;
    if (arg[0] == '/' || stat(arg, &st) == 0)
        return arg;
    snprintf(installed, sizeof installed, "%s/%s", ECONSIM_SHAREDIR, arg);
    if (stat(installed, &st) == 0)
        return installed;
    return arg;
}

void session_print_diag(diag *d)
{
    fflush(stdout);
    jsonfile_locate_diag(d);
    diag_print(d, SESSION_PROGRAM, stderr);
}

int session_out_of_memory(void)
{
    fprintf(stderr, "%s: error: out of memory\n", SESSION_PROGRAM);
    return DIAG_SOFTWARE;
}
