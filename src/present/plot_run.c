/* plot_run.c: gnuplot run by fork and execve, never through a shell (plot.h): several charts
 * at once, each in its folder with its time limit and all within a deadline, standard error
 * kept for messages, every process killed when econsim ends; and the dates in a PDF made
 * reproducible. */
#define _GNU_SOURCE /* pipe2, syscall */
#include "plot.h"
#include "exepath.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include "mem.h"
#include "output.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#include <time.h>
#include <unistd.h>

extern char **environ;

int plot_gnuplot_find(char *path, size_t size)
{
    return exepath_find("gnuplot", path, size);
}

/* 1 when name is a plain file name of [A-Za-z0-9._-] (not "." or ".."). */
static int plot_file_name_ok(const char *name)
{
    if (!name || !*name || !strcmp(name, ".") || !strcmp(name, ".."))
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* The environment for gnuplot: ours, with SOURCE_DATE_EPOCH added when missing. The array
 * and the added string are allocated (free with plot_env_free). */
static char **plot_env_new(void)
{
    size_t count = 0;
    int has_epoch = 0;
    for (char **e = environ; e && *e; e++) {
        count++;
        has_epoch |= !strncmp(*e, "SOURCE_DATE_EPOCH=", 18);
    }
    char **env = mem_calloc(count + 2, sizeof *env);
    if (!env)
        return NULL;
    for (size_t i = 0; i < count; i++)
        env[i] = environ[i];
    if (!has_epoch && !(env[count] = mem_strdup("SOURCE_DATE_EPOCH=0"))) {
        mem_free(env);
        return NULL;
    }
    return env;
}

static void plot_env_free(char **env)
{
    if (!env)
        return;
    size_t count = 0;
    for (char **e = environ; e && *e; e++)
        count++;
    if (env[count])
        mem_free(env[count]); /* the one string we added */
    mem_free(env);
}

double plot_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drops the blank lines gnuplot puts around an error. */
static void plot_trim_messages(char *text)
{
    size_t length = strlen(text);
    while (length && (text[length - 1] == '\n' || text[length - 1] == '\r' || text[length - 1] == ' '))
        text[--length] = '\0';
    size_t start = 0;
    while (text[start] == '\n' || text[start] == '\r')
        start++;
    memmove(text, text + start, length - start + 1);
}

/* A pidfd for child pid (close-on-exec, readable once it has ended), or -1 where the kernel or
 * the C library has none (before Linux 5.3). */
static int plot_pidfd_open(pid_t pid)
{
#if defined(__linux__) && defined(SYS_pidfd_open)
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* The gnuplot processes running, for plot_kill_running (0: a free slot). */
static volatile pid_t plot_running[PLOT_MAX_PARALLEL];

void plot_kill_running(void)
{
    int saved_errno = errno;
    for (int i = 0; i < PLOT_MAX_PARALLEL; i++) {
        pid_t pid = plot_running[i];
        if (pid > 0)
            kill(pid, SIGKILL);
    }
    errno = saved_errno;
}

/* A gnuplot while it runs: one chart, or a group of consecutive charts of one folder that one
 * gnuplot draws one after another (plot_run_jobs). */
typedef struct plot_proc {
    pid_t pid;
    int err_fd;       /* -1 once gnuplot closed its standard error */
    int exit_fd;      /* a pidfd, readable once gnuplot has ended; -1 where there is none */
    int dir_fd;       /* a warm gnuplot's folder, open while it draws (plot_start); else -1 */
    size_t kept;
    double ends;      /* when it is killed: its time limit, or the deadline if sooner */
    int by_deadline;  /* 1 when `ends` is the deadline */
    int slot;         /* in plot_running */
    plot_job *job;    /* the first chart */
    size_t charts;    /* the charts it draws, from job on */
    char errors[PLOT_ERRORS_MAX + 1]; /* its standard error (the first PLOT_ERRORS_MAX bytes) */
} plot_proc;

/* Marks `charts` jobs from job on as not started, with why. */
static void plot_not_started(plot_job *job, size_t charts, const char *why)
{
    for (size_t i = 0; i < charts; i++) {
        job[i].outcome = PLOT_NOT_STARTED;
        snprintf(job[i].errors, sizeof job[i].errors, "%s", why);
    }
}

/* A gnuplot just started by plot_spawn. */
typedef struct plot_child {
    pid_t pid;
    int err_fd;  /* the read end of its standard error */
    int exit_fd; /* its pidfd, or -1 */
    int slot;    /* in plot_running, or -1 when they were all taken */
} plot_child;

/* Starts `gnuplot argv...` by fork and execve in folder work_dir, standard input on in_fd (-1:
 * /dev/null), standard output on /dev/null and standard error on a pipe, the other descriptors
 * closed, and records it in plot_running. Returns 0, or -1 with why (a system call and its
 * error) in why. */
static int plot_spawn(const char *gnuplot, char **env, char *const *argv, const char *work_dir, int in_fd,
                      plot_child *child, char *why, size_t why_size)
{
    int err_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        snprintf(why, why_size, "pipe: %s", strerror(errno));
        return -1;
    }
    /* SIGINT and SIGTERM wait until the new gnuplot is in plot_running, so that a handler
     * that ends the process (plot_kill_running) never misses one */
    sigset_t stop_signals, saved_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &saved_mask);
#ifdef __linux__
    pid_t parent = getpid();
#endif
    pid_t pid = fork();
    if (pid < 0) {
        pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
        snprintf(why, why_size, "fork: %s", strerror(errno));
        close(err_pipe[0]);
        close(err_pipe[1]);
        return -1;
    }
    if (pid == 0) {
        /* the child: only async-signal-safe calls from here to execve */
#ifdef __linux__
        /* gnuplot dies with econsim, however econsim ends (a signal caught by another thread
         * while this one forks, or SIGKILL): it never draws on into a removed folder */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(126);
#endif
        sigprocmask(SIG_SETMASK, &saved_mask, NULL);
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd < 0 || dup2(in_fd >= 0 ? in_fd : null_fd, 0) < 0 || dup2(null_fd, 1) < 0 ||
            dup2(err_pipe[1], 2) < 0)
            _exit(126);
        if (chdir(work_dir) != 0) {
            static const char message[] = "econsim: cannot enter the charts folder\n";
            (void)!write(2, message, sizeof message - 1);
            _exit(126);
        }
#if defined(SYS_close_range)
        if (syscall(SYS_close_range, 3, ~0U, 0) != 0)
#endif
        {
            long open_max = sysconf(_SC_OPEN_MAX);
            if (open_max < 0 || open_max > 65536)
                open_max = 65536;
            for (long fd = 3; fd < open_max; fd++)
                close((int)fd);
        }
        signal(SIGPIPE, SIG_DFL);
        execve(gnuplot, argv, env);
        static const char message[] = "econsim: cannot execute gnuplot\n";
        (void)!write(2, message, sizeof message - 1);
        _exit(127);
    }
    close(err_pipe[1]);
    child->pid = pid;
    child->err_fd = err_pipe[0];
    child->exit_fd = plot_pidfd_open(pid);
    child->slot = -1;
    for (int i = 0; i < PLOT_MAX_PARALLEL; i++)
        if (plot_running[i] == 0) {
            plot_running[i] = pid;
            child->slot = i;
            break;
        }
    pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Warm gnuplots: started ahead of the charts (plot_warm_start), each reading its commands from
 * a socket. A gnuplot spends about half of a small chart's time before it draws anything:
 * loading its libraries, fontconfig and the CJK font. A warm one has done that while econsim
 * loaded and ran the model, and then draws one run of charts (plot_start). */

/* The warm-up: the format's terminal with the charts' font draws one label of Chinese and
 * Latin text into /dev/null (64 pixels: smaller sizes make cairo warn about the font), then
 * everything is reset. It writes nothing on standard error. */
static const char plot_warm_cairo[] =
    "set terminal pngcairo size 64,64 font 'Noto Sans CJK SC,11'\n"
    "set output '/dev/null'\n"
    "unset border; unset tics; unset key\n"
    "set label 1 '\xe4\xb8\xad A' at graph 0.5, graph 0.5\n"
    "plot [0:1][0:1] 2\n"
    "unset output\n"
    "reset session\n";

typedef struct plot_warm {
    plot_child child;
    int in_fd; /* our end of its standard input: -1 once taken */
} plot_warm;

static plot_warm plot_warm_pool[PLOT_MAX_PARALLEL];
static int plot_warm_count;
static char plot_warm_gnuplot[4096];

/* Takes a warm gnuplot of path gnuplot out of the pool: 1 with *warm filled, or 0. */
static int plot_warm_take(const char *gnuplot, plot_warm *warm)
{
    if (strcmp(gnuplot, plot_warm_gnuplot) != 0)
        return 0;
    for (int i = 0; i < plot_warm_count; i++)
        if (plot_warm_pool[i].in_fd >= 0) {
            *warm = plot_warm_pool[i];
            plot_warm_pool[i].in_fd = -1;
            return 1;
        }
    return 0;
}

/* Ends a warm gnuplot that will not draw: kills and reaps it. */
static void plot_warm_end(plot_warm *warm)
{
    if (warm->in_fd >= 0)
        close(warm->in_fd);
    warm->in_fd = -1;
    kill(warm->child.pid, SIGKILL);
    int status;
    while (waitpid(warm->child.pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (warm->child.slot >= 0)
        plot_running[warm->child.slot] = 0;
    close(warm->child.err_fd);
    if (warm->child.exit_fd >= 0)
        close(warm->child.exit_fd);
}

void plot_warm_stop(void)
{
    for (int i = 0; i < plot_warm_count; i++)
        if (plot_warm_pool[i].in_fd >= 0)
            plot_warm_end(&plot_warm_pool[i]);
    plot_warm_count = 0;
}

int plot_warm_start(const char *gnuplot, int count, plot_format format)
{
#ifdef __linux__
    /* a warm gnuplot reaches its charts' folder through /proc/PID/fd (plot_start) */
    if (access("/proc/self/fd", X_OK) != 0)
        return 0;
#else
    return 0;
#endif
    plot_warm_stop();
    if (count > PLOT_MAX_PARALLEL)
        count = PLOT_MAX_PARALLEL;
    if (snprintf(plot_warm_gnuplot, sizeof plot_warm_gnuplot, "%s", gnuplot) >= (int)sizeof plot_warm_gnuplot)
        return 0;
    char **env = plot_env_new();
    if (!env)
        return 0;
    char *argv[] = {(char *)"gnuplot", (char *)"-d", NULL};
    for (int i = 0; i < count; i++) {
        int in[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
            break;
        plot_warm *warm = &plot_warm_pool[plot_warm_count];
        char why[128];
        if (plot_spawn(gnuplot, env, argv, "/", in[0], &warm->child, why, sizeof why) != 0) {
            close(in[0]);
            close(in[1]);
            break;
        }
        close(in[0]);
        warm->in_fd = in[1];
        plot_warm_count++;
        /* SVG needs no font: a warm gnuplot then has only its start behind it */
        if (format != PLOT_SVG &&
            send(warm->in_fd, plot_warm_cairo, sizeof plot_warm_cairo - 1, MSG_NOSIGNAL) !=
                (ssize_t)(sizeof plot_warm_cairo - 1)) {
            plot_warm_end(warm);
            plot_warm_count--;
            break;
        }
    }
    plot_env_free(env);
    return plot_warm_count;
}

/* The commands that make a warm gnuplot draw `charts` jobs of one folder and end: `cd` into
 * the folder, then for each job `econsim_output='/proc/PID/fd/DIR/O'`, `load
 * '/proc/PID/fd/DIR/S'` and `reset session`, where DIR is our descriptor of the folder. No text
 * but numbers and plain names reaches the commands; the cd makes the folder the current one,
 * as for a new gnuplot (a restyled template may name files beside its chart), and the paths
 * stay absolute, so that a failed cd (a message, then a new gnuplot) never puts a chart in /.
 * NULL when out of memory. */
static char *plot_warm_commands(const plot_job *job, size_t charts, int dir_fd)
{
    size_t room = 64;
    for (size_t i = 0; i < charts; i++) /* two paths of at most 44 bytes, and the commands around them */
        room += 160 + strlen(job[i].output_name) + strlen(job[i].script_name);
    char *text = mem_alloc(room);
    if (!text)
        return NULL;
    long self = (long)getpid();
    size_t length = (size_t)snprintf(text, room, "cd '/proc/%ld/fd/%d'\n", self, dir_fd);
    for (size_t i = 0; i < charts; i++)
        length += (size_t)snprintf(text + length, room - length,
                                   "econsim_output='/proc/%ld/fd/%d/%s'\nload '/proc/%ld/fd/%d/%s'\nreset session\n",
                                   self, dir_fd, job[i].output_name, self, dir_fd, job[i].script_name);
    return text;
}

/* Starts the drawing of `charts` consecutive jobs of one work_dir, from job on, by a warm
 * gnuplot (plot_warm_start) when there is one, else by a new `gnuplot -d -e
 * "econsim_output='O1'" S1.gp -e "reset session" -e "econsim_output='O2'" S2.gp ...` in
 * work_dir; either way nothing a script sets (variables, functions, settings) reaches the
 * next. Returns 0, or -1 with the jobs marked PLOT_NOT_STARTED and why in their errors. */
static int plot_start(const char *gnuplot, char **env, plot_job *job, size_t charts, plot_proc *proc)
{
    proc->kept = 0;
    proc->job = job;
    proc->charts = charts;
    proc->dir_fd = -1;
    plot_warm warm;
    while (plot_warm_take(gnuplot, &warm)) {
        int dir_fd = open(job->work_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char *commands = dir_fd >= 0 ? plot_warm_commands(job, charts, dir_fd) : NULL;
        int prepared = commands != NULL;
        size_t length = prepared ? strlen(commands) : 0;
        int sent = prepared && send(warm.in_fd, commands, length, MSG_NOSIGNAL) == (ssize_t)length;
        mem_free(commands);
        if (!sent) { /* it ended early (the next may do), or no folder or memory: a new gnuplot
                      * below says why */
            if (dir_fd >= 0)
                close(dir_fd);
            plot_warm_end(&warm);
            if (!prepared)
                break;
            continue;
        }
        close(warm.in_fd); /* end of its input: it ends after the last chart */
        proc->pid = warm.child.pid;
        proc->err_fd = warm.child.err_fd;
        proc->exit_fd = warm.child.exit_fd;
        proc->slot = warm.child.slot;
        proc->dir_fd = dir_fd; /* open until it has drawn */
        return 0;
    }
    char (*output_args)[512] = mem_alloc(charts * sizeof *output_args);
    char **argv = mem_alloc((5 * charts + 3) * sizeof *argv);
    if (!output_args || !argv) {
        mem_free(output_args);
        mem_free(argv);
        plot_not_started(job, charts, "out of memory");
        return -1;
    }
    size_t argc = 0;
    argv[argc++] = (char *)"gnuplot";
    argv[argc++] = (char *)"-d";
    for (size_t i = 0; i < charts; i++) {
        snprintf(output_args[i], sizeof output_args[i], "econsim_output='%s'", job[i].output_name);
        if (i) { /* `reset session` takes a command line of its own */
            argv[argc++] = (char *)"-e";
            argv[argc++] = (char *)"reset session";
        }
        argv[argc++] = (char *)"-e";
        argv[argc++] = output_args[i];
        argv[argc++] = (char *)job[i].script_name;
    }
    argv[argc] = NULL;
    plot_child child;
    char why[128];
    int started = plot_spawn(gnuplot, env, argv, job->work_dir, -1, &child, why, sizeof why);
    mem_free(output_args);
    mem_free(argv);
    if (started != 0) {
        plot_not_started(job, charts, why);
        return -1;
    }
    proc->pid = child.pid;
    proc->err_fd = child.err_fd;
    proc->exit_fd = child.exit_fd;
    proc->slot = child.slot;
    return 0;
}

/* Records how a reaped gnuplot ended. A group that drew every chart without a word on standard
 * error marks them all drawn; one stopped by the deadline marks them all skipped; any other
 * group marks its charts in `retry`, to be drawn again one by one, so that each chart's outcome
 * and messages are its own. */
static void plot_finish(plot_proc *proc, int status, int stopped, plot_job *jobs, unsigned char *retry)
{
    proc->errors[proc->kept] = '\0';
    plot_trim_messages(proc->errors);
    plot_outcome outcome = PLOT_DRAWN;
    int exit_status = 0;
    if (stopped) {
        outcome = proc->by_deadline ? PLOT_SKIPPED : PLOT_TIMED_OUT;
    } else if (WIFSIGNALED(status)) {
        outcome = PLOT_KILLED;
        exit_status = WTERMSIG(status);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        outcome = code == 126 || code == 127 ? PLOT_NOT_STARTED : PLOT_FAILED;
        exit_status = code;
    }
    if (proc->charts == 1 || outcome == PLOT_SKIPPED || (outcome == PLOT_DRAWN && !proc->errors[0])) {
        for (size_t i = 0; i < proc->charts; i++) {
            proc->job[i].outcome = outcome;
            proc->job[i].exit_status = exit_status;
            snprintf(proc->job[i].errors, sizeof proc->job[i].errors, "%s", proc->errors);
        }
    } else {
        for (size_t i = 0; i < proc->charts; i++)
            retry[proc->job + i - jobs] = 1;
    }
    if (proc->err_fd >= 0)
        close(proc->err_fd);
    proc->err_fd = -1;
    if (proc->exit_fd >= 0)
        close(proc->exit_fd);
    proc->exit_fd = -1;
    if (proc->dir_fd >= 0)
        close(proc->dir_fd);
    proc->dir_fd = -1;
    if (proc->slot >= 0)
        plot_running[proc->slot] = 0;
    proc->pid = 0;
}

/* The jobs of a plot_run_jobs call while they run. */
typedef struct plot_batch {
    const char *gnuplot;
    char **env;
    plot_job *jobs;
    size_t count, next;      /* jobs, and the next one to start */
    plot_proc *procs;        /* [parallel] */
    int parallel, running;
    int timeout_seconds;
    double deadline;
    size_t group;            /* charts one gnuplot may draw (1: each its own) */
    const unsigned char *only; /* when set, only the jobs marked in it run */
    unsigned char *retry;    /* [count]: charts of a group to draw again one by one */
} plot_batch;

/* Starts gnuplots while a slot is free, each on the next group of charts (consecutive, one
 * folder, at most b->group); once the deadline has passed, marks the rest skipped. */
static void plot_start_ready(plot_batch *b, double now)
{
    while (b->running < b->parallel) {
        while (b->next < b->count && b->only && !b->only[b->next])
            b->next++;
        if (b->next >= b->count)
            break;
        if (b->deadline > 0 && now >= b->deadline) {
            for (; b->next < b->count; b->next++)
                if (!b->only || b->only[b->next])
                    b->jobs[b->next].outcome = PLOT_SKIPPED;
            break;
        }
        int k = 0;
        while (b->procs[k].pid)
            k++;
        plot_job *job = &b->jobs[b->next];
        size_t charts = 1;
        while (charts < b->group && b->next + charts < b->count &&
               !strcmp(job[charts].work_dir, job->work_dir))
            charts++;
        b->next += charts;
        if (plot_start(b->gnuplot, b->env, job, charts, &b->procs[k]) != 0)
            continue;
        double ends = now + (double)b->timeout_seconds * (double)charts;
        b->procs[k].by_deadline = b->deadline > 0 && b->deadline < ends;
        b->procs[k].ends = b->procs[k].by_deadline ? b->deadline : ends;
        b->running++;
    }
}

/* Waits for output, an exit, or the earliest time limit, and keeps what the running jobs
 * wrote on standard error (the first PLOT_ERRORS_MAX bytes of each). A gnuplot that closed its
 * standard error is ending: its pidfd wakes the wait when it has (without one, the wait is cut
 * to a millisecond, so an ended gnuplot is reaped at once either way). */
static void plot_read_errors(plot_batch *b)
{
    struct pollfd fds[2 * PLOT_MAX_PARALLEL];
    int owner[2 * PLOT_MAX_PARALLEL], nfds = 0, polling_blind = 0;
    double soonest = INFINITY;
    for (int k = 0; k < b->parallel; k++) {
        if (!b->procs[k].pid)
            continue;
        soonest = fmin(soonest, b->procs[k].ends);
        if (b->procs[k].err_fd >= 0) {
            fds[nfds] = (struct pollfd){b->procs[k].err_fd, POLLIN, 0};
            owner[nfds++] = k;
        } else if (b->procs[k].exit_fd >= 0) {
            fds[nfds] = (struct pollfd){b->procs[k].exit_fd, POLLIN, 0};
            owner[nfds++] = -1; /* only wakes the wait: plot_reap reaps */
        } else {
            polling_blind = 1;
        }
    }
    double wait_s = soonest - plot_clock();
    int wait_ms = wait_s <= 0 ? 0 : wait_s > 3600 ? 3600000 : (int)(wait_s * 1000) + 1;
    if (polling_blind && wait_ms > 1)
        wait_ms = 1;
    int ready = poll(fds, (nfds_t)nfds, wait_ms);
    if (ready < 0 && errno != EINTR)
        ready = 0;
    for (int i = 0; ready > 0 && i < nfds; i++) {
        if (!fds[i].revents || owner[i] < 0)
            continue;
        plot_proc *proc = &b->procs[owner[i]];
        char chunk[4096];
        ssize_t got = read(proc->err_fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            close(proc->err_fd);
            proc->err_fd = -1;
            continue;
        }
        size_t room = PLOT_ERRORS_MAX - proc->kept;
        size_t take = (size_t)got < room ? (size_t)got : room;
        memcpy(proc->errors + proc->kept, chunk, take);
        proc->kept += take;
    }
}

/* Reaps what ended; kills what ran out of time. */
static void plot_reap(plot_batch *b)
{
    double now = plot_clock();
    for (int k = 0; k < b->parallel; k++) {
        plot_proc *proc = &b->procs[k];
        if (!proc->pid)
            continue;
        int status = 0;
        pid_t waited = waitpid(proc->pid, &status, WNOHANG);
        if (waited == proc->pid) {
            plot_finish(proc, status, 0, b->jobs, b->retry);
            b->running--;
        } else if (now >= proc->ends) {
            kill(proc->pid, SIGKILL);
            while (waitpid(proc->pid, &status, 0) < 0 && errno == EINTR)
                ;
            plot_finish(proc, status, 1, b->jobs, b->retry);
            b->running--;
        }
    }
}

int plot_run_jobs(const char *gnuplot, plot_job *jobs, size_t count, int parallel, int timeout_seconds,
                  double deadline, diag *d)
{
    for (size_t i = 0; i < count; i++) {
        jobs[i].outcome = PLOT_NOT_STARTED;
        jobs[i].exit_status = 0;
        jobs[i].errors[0] = '\0';
        if (!plot_file_name_ok(jobs[i].script_name) || !plot_file_name_ok(jobs[i].output_name) ||
            strlen(jobs[i].output_name) > 400)
            return diag_error(d, DIAG_SOFTWARE, _("%s: refusing to run gnuplot on a file name that is not a plain name"),
                              jobs[i].what);
    }
    if (parallel < 1)
        parallel = 1;
    if (parallel > PLOT_MAX_PARALLEL)
        parallel = PLOT_MAX_PARALLEL;
    char **env = plot_env_new();
    plot_proc *procs = mem_calloc((size_t)parallel, sizeof *procs);
    if (!env || !procs) {
        plot_env_free(env);
        mem_free(procs);
        return diag_oom(d, _("starting gnuplot"));
    }
    unsigned char *retry = mem_calloc(count ? count : 1, 1);
    if (!retry) {
        plot_env_free(env);
        mem_free(procs);
        return diag_oom(d, _("starting gnuplot"));
    }
    for (int k = 0; k < parallel; k++)
        procs[k].err_fd = procs[k].exit_fd = procs[k].dir_fd = -1;
    /* Each gnuplot draws about count / parallel charts (of one folder) one after another: its
     * start (loading the CJK font takes about half the time of a small chart) is paid once per
     * process, not once per chart. A group that fails or says anything on standard error is
     * drawn again one chart per gnuplot, so each chart gets its own outcome and messages. */
    size_t group = count > (size_t)parallel ? (count + (size_t)parallel - 1) / (size_t)parallel : 1;
    for (int pass = 0; pass < 2; pass++) {
        /* the second pass draws the marked charts one per gnuplot, so it marks none again */
        size_t marked = 0;
        for (size_t i = 0; pass && i < count; i++)
            marked += retry[i];
        if (pass && !marked)
            break;
        plot_batch b = {gnuplot, env, jobs, count, 0, procs, parallel, 0, timeout_seconds, deadline,
                        pass ? 1 : group, pass ? retry : NULL, retry};
        for (;;) {
            plot_start_ready(&b, plot_clock());
            if (b.running == 0)
                break;
            plot_read_errors(&b);
            plot_reap(&b);
        }
    }
    plot_env_free(env);
    mem_free(procs);
    mem_free(retry);
    return DIAG_OK;
}

int plot_job_error(const plot_job *job, int timeout_seconds, diag *d)
{
    const char *what = job->what;
    const char *errors = job->errors;
    switch (job->outcome) {
    case PLOT_DRAWN:
        return DIAG_OK;
    case PLOT_TIMED_OUT:
        return diag_error(d, DIAG_SOFTWARE, _("%s: gnuplot took longer than %d seconds and was stopped"), what,
                          timeout_seconds);
    case PLOT_SKIPPED:
        return diag_error(d, DIAG_SOFTWARE, _("%s: not drawn: the time for charts ran out"), what);
    case PLOT_KILLED:
        return diag_error(d, DIAG_SOFTWARE, _("%s: gnuplot was killed by signal %d%s%s"), what, job->exit_status,
                          errors[0] ? ": " : "", errors);
    case PLOT_NOT_STARTED:
        return diag_error(d, DIAG_SOFTWARE, _("%s: gnuplot could not be started (%s)"), what,
                          errors[0] ? errors : "exec failed");
    case PLOT_FAILED:
    default:
        return diag_error(d, DIAG_SOFTWARE, _("%s: gnuplot failed (exit status %d)%s%s"), what, job->exit_status,
                          errors[0] ? ": " : "", errors);
    }
}

int plot_run_gnuplot(const char *gnuplot, const char *work_dir, const char *script_name, const char *output_name,
                     int timeout_seconds, const char *what, char *messages, size_t size, diag *d)
{
    if (messages && size)
        messages[0] = '\0';
    plot_job *job = mem_calloc(1, sizeof *job);
    if (!job)
        return diag_oom(d, _("starting gnuplot"));
    job->work_dir = work_dir;
    job->script_name = script_name;
    job->output_name = output_name;
    job->what = what;
    int status = plot_run_jobs(gnuplot, job, 1, 1, timeout_seconds, 0, d);
    if (status == DIAG_OK)
        status = plot_job_error(job, timeout_seconds, d);
    if (status == DIAG_OK && messages && size)
        snprintf(messages, size, "%s", job->errors);
    mem_free(job);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Reproducible PDF dates */

/* The date for PDFs: D:YYYYMMDDHHMMSS of SOURCE_DATE_EPOCH (UTC), or of 0. */
static void plot_pdf_date(char out[15])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    long long epoch = 0;
    if (env && *env) {
        char *end;
        errno = 0;
        long long v = strtoll(env, &end, 10);
        if (!errno && !*end && v >= 0 && v < 253402300800LL) /* before the year 10000 */
            epoch = v;
    }
    time_t t = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        memcpy(out, "19700101000000", 15);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
    memcpy(out, buf, 14);
    out[14] = '\0';
}

int plot_pdf_fix_dates(const char *path, diag *d)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return diag_error_file(d, DIAG_IO, path, "cannot open the PDF to fix its dates: %s", strerror(errno));
    /* the Info dictionary is at the end, but read it all: charts are small */
    size_t capacity = 1 << 16, length = 0;
    char *text = mem_alloc(capacity + 1);
    int status = DIAG_OK;
    while (text) {
        if (length == capacity) {
            if (capacity > ((size_t)64 << 20)) {
                status = diag_error_file(d, DIAG_IO, path, "PDF larger than 64 MB");
                break;
            }
            char *grown = mem_realloc(text, capacity * 2 + 1);
            if (!grown) {
                status = diag_oom(d, _("fixing PDF dates"));
                break;
            }
            text = grown;
            capacity *= 2;
        }
        size_t got = fread(text + length, 1, capacity - length, f);
        length += got;
        if (got == 0)
            break;
    }
    if (!text)
        status = diag_oom(d, _("fixing PDF dates"));
    if (status == DIAG_OK && ferror(f))
        status = diag_error_file(d, DIAG_IO, path, "cannot read the PDF: %s", strerror(errno));
    if (status == DIAG_OK) {
        char date[15];
        plot_pdf_date(date);
        static const char *const keys[] = {"/CreationDate (D:", "/ModDate (D:"};
        for (size_t k = 0; k < 2 && status == DIAG_OK; k++) {
            size_t key_length = strlen(keys[k]);
            for (size_t i = 0; i + key_length + 14 <= length; i++) {
                if (memcmp(text + i, keys[k], key_length) != 0)
                    continue;
                size_t at = i + key_length;
                size_t digits = 0;
                while (digits < 14 && at + digits < length && text[at + digits] >= '0' && text[at + digits] <= '9')
                    digits++;
                if (digits < 4)
                    continue; /* not a date as cairo writes it */
                /* same length: the cross-reference offsets stay right */
                if (fseek(f, (long)at, SEEK_SET) != 0 || fwrite(date, 1, digits, f) != digits) {
                    status = diag_error_file(d, DIAG_IO, path, "cannot write the PDF: %s", strerror(errno));
                    break;
                }
            }
        }
    }
    mem_free(text);
    if (fclose(f) != 0 && status == DIAG_OK)
        status = diag_error_file(d, DIAG_IO, path, "cannot write the PDF: %s", strerror(errno));
    return status;
}
