/* report_pdf.c: report.html printed to report.pdf by headless Chromium (report_pdf.h). */
#define _GNU_SOURCE /* nftw's FTW_DEPTH and FTW_PHYS */
#include "exepath.h"
#include "i18n.h"
#include "report_pdf.h"
#include "mem.h"
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

/* The process group of the Chromium running (its leader's pid), or 0. */
static volatile pid_t report_pdf_group;

void report_pdf_kill_running(void)
{
    int saved_errno = errno;
    pid_t group = report_pdf_group;
    if (group > 0)
        kill(-group, SIGKILL);
    errno = saved_errno;
}

int report_pdf_find(char *path, size_t size)
{
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (exepath_find(names[k], path, size))
            return 1;
    return 0;
}

/* file:// URL of an absolute path, every byte but unreserved ones and '/' percent-encoded. */
static int report_pdf_url(char *out, size_t size, const char *path)
{
    size_t used = (size_t)snprintf(out, size, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '/' ||
                    *p == '-' || *p == '_' || *p == '.' || *p == '~';
        if (used + 4 >= size)
            return -1;
        used += (size_t)(plain ? snprintf(out + used, size - used, "%c", *p)
                               : snprintf(out + used, size - used, "%%%02X", *p));
    }
    return 0;
}

static int report_pdf_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

/* Removes folder `path` and everything in it, never following a link. Returns 0 or -1. */
static int report_pdf_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, report_pdf_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The time limit: ECONSIM_CHROMIUM_TIMEOUT seconds when set (1..3600), else the default. */
static int report_pdf_timeout(void)
{
    const char *env = getenv("ECONSIM_CHROMIUM_TIMEOUT");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v >= 1 && v <= 3600)
            return (int)v;
    }
    return REPORT_PDF_TIMEOUT_SECONDS;
}

/* The environment for Chromium: ours with HOME and the XDG folders in its profile, so that it
 * writes nothing into the user's home. NULL when out of memory; free with report_pdf_env_free. */
static char **report_pdf_env(const char *profile)
{
    size_t count = 0;
    while (environ[count])
        count++;
    char **env = mem_calloc(count + 4, sizeof *env);
    if (!env)
        return NULL;
    size_t n = 0;
    static const char *const replaced[] = {"HOME=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME="};
    for (size_t i = 0; i < 3; i++) {
        size_t length = strlen(replaced[i]) + strlen(profile) + 1;
        if (!(env[n] = mem_alloc(length)))
            goto fail;
        snprintf(env[n++], length, "%s%s", replaced[i], profile);
    }
    for (size_t i = 0; i < count; i++) {
        int skip = 0;
        for (size_t k = 0; k < 3; k++)
            skip |= !strncmp(environ[i], replaced[k], strlen(replaced[k]));
        if (!skip && !(env[n++] = mem_strdup(environ[i])))
            goto fail;
    }
    return env;
fail:
    for (size_t i = 0; i < n; i++)
        mem_free(env[i]);
    mem_free(env);
    return NULL;
}

static void report_pdf_env_free(char **env)
{
    for (size_t i = 0; env && env[i]; i++)
        mem_free(env[i]);
    mem_free(env);
}

/* Runs argv with env in a process group of its own, killed whole at the time limit. Returns
 * the wait status, or -1 (fork failed: errno), or -2 (timed out). */
static int report_pdf_spawn(const char *chromium, char *const *argv, char *const *env, int timeout)
{
    sigset_t stop_signals, saved_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    /* the signal handler must see the group as soon as it exists */
    sigprocmask(SIG_BLOCK, &stop_signals, &saved_mask);
#ifdef __linux__
    pid_t parent = getpid();
#endif
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &saved_mask, NULL);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(126);
#endif
        sigprocmask(SIG_SETMASK, &saved_mask, NULL);
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            dup2(null_fd, 0);
            dup2(null_fd, 1);
            dup2(null_fd, 2);
            if (null_fd > 2)
                close(null_fd);
        }
        execve(chromium, argv, env);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: whichever runs first, the group exists before the wait */
    report_pdf_group = pid;
    sigprocmask(SIG_SETMASK, &saved_mask, NULL);
    struct timespec start, now, pause = {0, 20 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = 0;
    for (;;) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            break;
        if (done < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= timeout) {
            kill(-pid, SIGKILL);
            waitpid(pid, NULL, 0);
            status = -2;
            break;
        }
        nanosleep(&pause, NULL);
    }
    kill(-pid, SIGKILL); /* whatever Chromium started and left in its group */
    report_pdf_group = 0;
    return status;
}

int report_pdf_print(output_batch *batch, const char *chromium, const char *html_name, const char *pdf_name,
                     diag *d)
{
    const char *pdf_path = output_batch_reserve(batch, pdf_name, d);
    if (!pdf_path)
        return d->status;
    /* Chromium runs with paths made absolute: its URL and its --print-to-pdf must not depend
     * on its working folder */
    char cwd[4096], stage[8300], html_path[8400], profile[8400], url[3 * 8400 + 16];
    char print_arg[8500], profile_arg[8500];
    if (pdf_path[0] == '/')
        snprintf(stage, sizeof stage, "%s", pdf_path);
    else if (getcwd(cwd, sizeof cwd))
        snprintf(stage, sizeof stage, "%s/%s", cwd, pdf_path);
    else
        stage[0] = '\0';
    char *slash = strrchr(stage, '/');
    if (slash)
        *slash = '\0';
    snprintf(html_path, sizeof html_path, "%s/%s", stage, html_name);
    snprintf(profile, sizeof profile, "%s/.chromium-profile", stage);
    snprintf(print_arg, sizeof print_arg, "--print-to-pdf=%s/%s", stage, pdf_name);
    if (!slash || report_pdf_url(url, sizeof url, html_path) != 0) {
        output_batch_withdraw(batch, pdf_name);
        return diag_error(d, DIAG_UNAVAILABLE, _("report.pdf: the folder's path is too long or cannot be made absolute"));
    }
    if (mkdir(profile, 0700) != 0) {
        output_batch_withdraw(batch, pdf_name);
        return diag_error(d, DIAG_IO, _("%s: cannot make Chromium's profile folder: %s"), profile, strerror(errno));
    }
    snprintf(profile_arg, sizeof profile_arg, "--user-data-dir=%s", profile);
    char *argv[32];
    size_t argc = 0;
    argv[argc++] = (char *)"chromium";
    argv[argc++] = (char *)"--headless";
    if (geteuid() == 0)
        argv[argc++] = (char *)"--no-sandbox"; /* Chromium refuses to run as root with its sandbox */
    static const char *const fixed[] = {
        "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-breakpad", "--mute-audio", "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
        "--print-to-pdf-no-header"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        argv[argc++] = (char *)fixed[i];
    argv[argc++] = profile_arg;
    argv[argc++] = print_arg;
    argv[argc++] = url;
    argv[argc] = NULL;
    char **env = report_pdf_env(profile);
    int timeout = report_pdf_timeout();
    int status = env ? report_pdf_spawn(chromium, argv, env, timeout) : -3;
    report_pdf_env_free(env);
    int removed = report_pdf_remove_tree(profile);
    int result = DIAG_OK;
    struct stat st;
    if (removed != 0) /* it must not be committed with the results */
        result = diag_error(d, DIAG_IO, _("%s: cannot remove Chromium's profile folder: %s"), profile, strerror(errno));
    else if (status == -3)
        result = diag_oom(d, _("starting Chromium"));
    else if (status == -1)
        result = diag_error(d, DIAG_UNAVAILABLE, _("report.pdf: cannot start %s: %s"), chromium, strerror(errno));
    else if (status == -2)
        result = diag_error(d, DIAG_UNAVAILABLE,
                            _("report.pdf: Chromium took longer than %d seconds (ECONSIM_CHROMIUM_TIMEOUT) and was "
                            "stopped"), timeout);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        result = WIFEXITED(status)
                     ? diag_error(d, DIAG_UNAVAILABLE, _("report.pdf: Chromium (%s) exited with status %d"), chromium,
                                  WEXITSTATUS(status))
                     : diag_error(d, DIAG_UNAVAILABLE, _("report.pdf: Chromium (%s) was killed by signal %d"), chromium,
                                  WTERMSIG(status));
    else if (stat(pdf_path, &st) != 0 || st.st_size == 0)
        result = diag_error(d, DIAG_UNAVAILABLE, _("report.pdf: Chromium printed nothing"));
    if (result == DIAG_OK)
        result = plot_pdf_fix_dates(pdf_path, d);
    if (result != DIAG_OK)
        output_batch_withdraw(batch, pdf_name);
    return result;
}
