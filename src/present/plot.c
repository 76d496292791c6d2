/* plot.c: gnuplot scripts with every user string escaped, the chart templates, and gnuplot
 * run by fork and execve, never through a shell (see plot.h for the traps this closes).
 *
 * The builder collects a script in one growing buffer. Its append functions never fail
 * loudly: the first failure (out of memory, a name that is not an identifier, a datablock row
 * equal to the end marker) is recorded and plot_script_finish reports it, so chart code can
 * write a whole preamble without checking every line. */
#define _GNU_SOURCE /* realpath, pipe2, syscall */
#include "plot.h"
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
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#include <time.h>
#include <unistd.h>

extern char **environ;

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
/* Script builder */

struct plot_script {
    char *text;
    size_t length, capacity;
    const char *failure; /* the first failure, a static string; NULL while all is well */
    int in_datablock;
};

plot_script *plot_script_new(void)
{
    plot_script *script = mem_calloc(1, sizeof *script);
    if (!script)
        return NULL;
    script->capacity = 4096;
    if (!(script->text = mem_alloc(script->capacity))) {
        mem_free(script);
        return NULL;
    }
    script->text[0] = '\0';
    return script;
}

void plot_script_free(plot_script *script)
{
    if (!script)
        return;
    mem_free(script->text);
    mem_free(script);
}

static void plot_script_fail(plot_script *script, const char *why)
{
    if (!script->failure)
        script->failure = why;
}

/* Makes room for `more` bytes and the NUL; returns 0 on failure (recorded). */
static int plot_script_reserve(plot_script *script, size_t more)
{
    if (script->failure)
        return 0;
    if (script->length + more + 1 <= script->capacity)
        return 1;
    size_t capacity = script->capacity;
    while (capacity < script->length + more + 1) {
        if (capacity > SIZE_MAX / 2) {
            plot_script_fail(script, "script too large");
            return 0;
        }
        capacity *= 2;
    }
    char *grown = mem_realloc(script->text, capacity);
    if (!grown) {
        plot_script_fail(script, "out of memory");
        return 0;
    }
    script->text = grown;
    script->capacity = capacity;
    return 1;
}

static void plot_script_append_bytes(plot_script *script, const char *bytes, size_t count)
{
    if (!plot_script_reserve(script, count))
        return;
    memcpy(script->text + script->length, bytes, count);
    script->length += count;
    script->text[script->length] = '\0';
}

void plot_script_append(plot_script *script, const char *text)
{
    if (script->in_datablock) {
        plot_script_fail(script, "text inside a datablock");
        return;
    }
    plot_script_append_bytes(script, text, strlen(text));
}

void plot_script_printf(plot_script *script, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int needed = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (needed < 0) {
        plot_script_fail(script, "bad format");
        return;
    }
    if (!plot_script_reserve(script, (size_t)needed))
        return;
    va_start(ap, fmt);
    vsnprintf(script->text + script->length, (size_t)needed + 1, fmt, ap);
    va_end(ap);
    script->length += (size_t)needed;
}

void plot_script_comment(plot_script *script, const char *fmt, ...)
{
    if (script->in_datablock) {
        plot_script_fail(script, "text inside a datablock");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int needed = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (needed < 0) {
        plot_script_fail(script, "bad format");
        return;
    }
    /* "# " + text + "\n" */
    if (!plot_script_reserve(script, (size_t)needed + 3))
        return;
    char *line = script->text + script->length;
    line[0] = '#';
    line[1] = ' ';
    va_start(ap, fmt);
    vsnprintf(line + 2, (size_t)needed + 1, fmt, ap);
    va_end(ap);
    size_t kept = 2;
    for (size_t i = 2; i < (size_t)needed + 2; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c < 0x20 || c == 0x7f)
            continue; /* a newline or carriage return would end the comment */
        line[kept++] = c == '\\' ? '/' : (char)c; /* a trailing backslash would continue it */
    }
    line[kept++] = '\n';
    line[kept] = '\0';
    script->length += kept;
}

/* The length of the UTF-8 sequence at c when it is a C1 control (U+0080..U+009F, as C2 80..C2
 * 9F) or a bidirectional control (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), else 0. */
static size_t plot_format_control_length(const unsigned char *c)
{
    if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F)
        return 2;
    if (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0x8E || c[2] == 0x8F || (c[2] >= 0xAA && c[2] <= 0xAE)))
        return 3;
    if (c[0] == 0xE2 && c[1] == 0x81 && c[2] >= 0xA6 && c[2] <= 0xA9)
        return 3;
    return 0;
}

char *plot_quote(const char *text)
{
    if (!text)
        text = "";
    /* worst case: every byte special, each becoming ."\047" (8 bytes) */
    size_t length = strlen(text);
    if (length > (SIZE_MAX - 3) / 8)
        return NULL;
    char *out = mem_alloc(length * 8 + 3);
    if (!out)
        return NULL;
    char *p = out;
    int in_literal = 0; /* a single-quoted piece is open */
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            continue; /* a newline would end the command; no control character is text */
        size_t skip = plot_format_control_length(c);
        if (skip) {
            c += skip - 1;
            continue;
        }
        const char *escape = *c == '\'' ? "\"\\047\"" : *c == '"' ? "\"\\042\"" : *c == '@' ? "\"\\100\"" : NULL;
        if (escape) {
            /* a quote, double quote or @ never appears as itself: gnuplot's macro expander
             * tracks quotes naively (every ' and " flips its state), so a raw one could let a
             * later @name expand into the command line. An octal escape in double quotes holds
             * no backquote, no @ and no quote. */
            if (in_literal)
                *p++ = '\'';
            in_literal = 0;
            if (p > out)
                *p++ = '.';
            memcpy(p, escape, 6);
            p += 6;
            continue;
        }
        if (!in_literal) {
            if (p > out)
                *p++ = '.';
            *p++ = '\'';
            in_literal = 1;
        }
        *p++ = (char)*c;
    }
    if (in_literal)
        *p++ = '\'';
    if (p == out) {
        *p++ = '\'';
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

/* 1 when name is a gnuplot identifier the program chose. */
static int plot_identifier_ok(const char *name)
{
    if (!name || !(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
        return 0;
    for (const char *p = name; *p; p++)
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

/* Appends a quoted literal for text (the expression of plot_quote). */
static void plot_script_quoted(plot_script *script, const char *text)
{
    char *quoted = plot_quote(text);
    if (!quoted) {
        plot_script_fail(script, "out of memory");
        return;
    }
    plot_script_append(script, quoted);
    mem_free(quoted);
}

/* The same, for text cut to `columns` display columns. */
static void plot_script_quoted_cut(plot_script *script, const char *text, size_t columns)
{
    char *copy = mem_strdup(text ? text : "");
    if (!copy) {
        plot_script_fail(script, "out of memory");
        return;
    }
    text_truncate(copy, columns);
    plot_script_quoted(script, copy);
    mem_free(copy);
}

/* Appends a number: shortest round-trip digits, NaN for non-finite values. */
static void plot_script_number_text(plot_script *script, double value)
{
    char buf[32];
    output_format_number(buf, value);
    plot_script_append_bytes(script, buf[0] ? buf : "NaN", strlen(buf[0] ? buf : "NaN"));
}

void plot_script_string(plot_script *script, const char *name, const char *text)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s = ", name);
    plot_script_quoted(script, text);
    plot_script_append(script, "\n");
}

void plot_script_string_cut(plot_script *script, const char *name, const char *text, size_t columns)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s = ", name);
    plot_script_quoted_cut(script, text, columns);
    plot_script_append(script, "\n");
}

void plot_script_number(plot_script *script, const char *name, double value)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s = ", name);
    plot_script_number_text(script, value);
    plot_script_append(script, "\n");
}

void plot_script_string_array(plot_script *script, const char *name, const char *const *texts, size_t count)
{
    plot_script_string_array_cut(script, name, texts, count, 0);
}

void plot_script_string_array_cut(plot_script *script, const char *name, const char *const *texts, size_t count,
                                  size_t columns)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s_count = %zu\n", name, count);
    if (count == 0)
        return;
    plot_script_printf(script, "array %s[%zu] = [ \\\n", name, count);
    for (size_t i = 0; i < count; i++) {
        plot_script_append(script, "    ");
        if (columns)
            plot_script_quoted_cut(script, texts[i], columns);
        else
            plot_script_quoted(script, texts[i] ? texts[i] : "");
        /* the line ends in the program's ", \" or "]", never in user text */
        plot_script_append(script, i + 1 < count ? ", \\\n" : "]\n");
    }
}

void plot_script_number_array(plot_script *script, const char *name, const double *values, size_t count)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a variable name that is not an identifier");
        return;
    }
    plot_script_printf(script, "%s_count = %zu\n", name, count);
    if (count == 0)
        return;
    plot_script_printf(script, "array %s[%zu] = [", name, count);
    for (size_t i = 0; i < count; i++) {
        if (i)
            plot_script_append(script, ", ");
        plot_script_number_text(script, values[i]);
    }
    plot_script_append(script, "]\n");
}

void plot_script_datablock_begin(plot_script *script, const char *name)
{
    if (!plot_identifier_ok(name)) {
        plot_script_fail(script, "a datablock name that is not an identifier");
        return;
    }
    plot_script_printf(script, "$%s << %s\n", name, PLOT_DATABLOCK_END);
    script->in_datablock = 1;
}

void plot_script_datablock_row(plot_script *script, const double *values, size_t count)
{
    if (!script->in_datablock) {
        plot_script_fail(script, "a datablock row outside a datablock");
        return;
    }
    size_t row_start = script->length;
    for (size_t i = 0; i < count; i++) {
        if (i)
            plot_script_append_bytes(script, " ", 1);
        plot_script_number_text(script, values[i]);
    }
    if (script->failure)
        return;
    /* numbers cannot spell the end marker, but the block must never end early */
    size_t row_length = script->length - row_start;
    if (row_length == strlen(PLOT_DATABLOCK_END) &&
        !memcmp(script->text + row_start, PLOT_DATABLOCK_END, row_length)) {
        plot_script_fail(script, "a datablock row equal to its end marker");
        return;
    }
    plot_script_append_bytes(script, "\n", 1);
}

void plot_script_datablock_gap(plot_script *script)
{
    if (!script->in_datablock) {
        plot_script_fail(script, "a datablock row outside a datablock");
        return;
    }
    plot_script_append_bytes(script, "\n", 1);
}

void plot_script_datablock_end(plot_script *script)
{
    if (!script->in_datablock) {
        plot_script_fail(script, "a datablock end outside a datablock");
        return;
    }
    script->in_datablock = 0;
    plot_script_append(script, PLOT_DATABLOCK_END "\n");
}

const char *plot_script_text(const plot_script *script, size_t *length)
{
    if (script->failure || script->in_datablock)
        return NULL;
    if (length)
        *length = script->length;
    return script->text;
}

int plot_script_finish(const plot_script *script, const char *what, diag *d)
{
    if (script->failure)
        return diag_error(d, DIAG_SOFTWARE, "%s: cannot write the gnuplot script: %s", what, script->failure);
    if (script->in_datablock)
        return diag_error(d, DIAG_SOFTWARE, "%s: cannot write the gnuplot script: a datablock is not ended", what);
    return DIAG_OK;
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
            return diag_error(d, DIAG_NO_INPUT, "ECONSIM_PLOTS=%s: no chart templates there (style.gp is missing)", env);
        if (snprintf(dir, size, "%s", env) >= (int)size)
            return diag_error(d, DIAG_NO_INPUT, "ECONSIM_PLOTS: path too long");
        return DIAG_OK;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
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
        diag_error(d, DIAG_NO_INPUT, "%s/%s.gp: path too long", dir, name);
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
            diag_oom(d, "reading a chart template");
        else if (failed == 2)
            diag_error_file(d, DIAG_DATA, path, "chart template larger than 16 MB");
        else
            diag_error_file(d, DIAG_IO, path, "cannot read chart template");
        return NULL;
    }
    text[length] = '\0';
    return text;
}

/* ---------------------------------------------------------------------------------------- */
/* Running gnuplot */

int plot_gnuplot_find(char *path, size_t size)
{
    const char *search = getenv("PATH");
    char fallback[256];
    if (!search) {
        size_t n = confstr(_CS_PATH, fallback, sizeof fallback);
        search = n > 0 && n <= sizeof fallback ? fallback : "/bin:/usr/bin";
    }
    /* gnuplot runs in the charts folder: a folder of PATH relative to here becomes absolute */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    for (const char *p = search;;) {
        size_t n = strcspn(p, ":");
        /* an empty entry means the current folder, as for a shell */
        const char *folder = n ? p : ".";
        int folder_length = n ? (int)n : 1;
        int written = folder[0] == '/' ? snprintf(path, size, "%.*s/gnuplot", folder_length, folder)
                                       : snprintf(path, size, "%s/%.*s/gnuplot", cwd, folder_length, folder);
        struct stat st;
        if ((folder[0] == '/' || cwd[0]) && written > 0 && (size_t)written < size && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode) && access(path, X_OK) == 0)
            return 1;
        if (!p[n])
            break;
        p += n + 1;
    }
    if (size)
        path[0] = '\0';
    return 0;
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

/* A job while it runs. */
typedef struct plot_proc {
    pid_t pid;
    int err_fd;       /* -1 once gnuplot closed its standard error */
    size_t kept;
    double ends;      /* when it is killed: its time limit, or the deadline if sooner */
    int by_deadline;  /* 1 when `ends` is the deadline */
    int slot;         /* in plot_running */
    plot_job *job;
} plot_proc;

/* Starts one job; returns 0, or -1 with the job marked PLOT_NOT_STARTED and why in errors. */
static int plot_start(const char *gnuplot, char **env, plot_job *job, plot_proc *proc)
{
    char output_arg[512];
    snprintf(output_arg, sizeof output_arg, "econsim_output='%s'", job->output_name);
    char *const argv[] = {(char *)"gnuplot", (char *)"-d", (char *)"-e", output_arg, (char *)job->script_name, NULL};
    int err_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        job->outcome = PLOT_NOT_STARTED;
        snprintf(job->errors, sizeof job->errors, "pipe: %s", strerror(errno));
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
        job->outcome = PLOT_NOT_STARTED;
        snprintf(job->errors, sizeof job->errors, "fork: %s", strerror(errno));
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
        if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(err_pipe[1], 2) < 0)
            _exit(126);
        if (chdir(job->work_dir) != 0) {
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
    proc->pid = pid;
    proc->err_fd = err_pipe[0];
    proc->kept = 0;
    proc->job = job;
    proc->slot = -1;
    for (int i = 0; i < PLOT_MAX_PARALLEL; i++)
        if (plot_running[i] == 0) {
            plot_running[i] = pid;
            proc->slot = i;
            break;
        }
    pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
    return 0;
}

/* Records how a reaped job ended. */
static void plot_finish(plot_proc *proc, int status, int stopped)
{
    plot_job *job = proc->job;
    job->errors[proc->kept] = '\0';
    plot_trim_messages(job->errors);
    if (stopped) {
        job->outcome = proc->by_deadline ? PLOT_SKIPPED : PLOT_TIMED_OUT;
    } else if (WIFSIGNALED(status)) {
        job->outcome = PLOT_KILLED;
        job->exit_status = WTERMSIG(status);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        job->outcome = code == 126 || code == 127 ? PLOT_NOT_STARTED : PLOT_FAILED;
        job->exit_status = code;
    } else {
        job->outcome = PLOT_DRAWN;
    }
    if (proc->err_fd >= 0)
        close(proc->err_fd);
    proc->err_fd = -1;
    if (proc->slot >= 0)
        plot_running[proc->slot] = 0;
    proc->pid = 0;
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
            return diag_error(d, DIAG_SOFTWARE, "%s: refusing to run gnuplot on a file name that is not a plain name",
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
        return diag_oom(d, "starting gnuplot");
    }
    for (int k = 0; k < parallel; k++)
        procs[k].err_fd = -1;
    size_t next = 0;
    int running = 0;
    for (;;) {
        double now = plot_clock();
        /* start what may start */
        while (running < parallel && next < count) {
            if (deadline > 0 && now >= deadline) {
                for (; next < count; next++)
                    jobs[next].outcome = PLOT_SKIPPED;
                break;
            }
            int k = 0;
            while (procs[k].pid)
                k++;
            plot_job *job = &jobs[next++];
            if (plot_start(gnuplot, env, job, &procs[k]) != 0)
                continue;
            double ends = now + timeout_seconds;
            procs[k].by_deadline = deadline > 0 && deadline < ends;
            procs[k].ends = procs[k].by_deadline ? deadline : ends;
            running++;
        }
        if (running == 0)
            break;
        /* wait for output, an exit, or the earliest time limit */
        struct pollfd fds[PLOT_MAX_PARALLEL];
        int owner[PLOT_MAX_PARALLEL], nfds = 0, reaping = 0;
        double soonest = INFINITY;
        for (int k = 0; k < parallel; k++) {
            if (!procs[k].pid)
                continue;
            soonest = fmin(soonest, procs[k].ends);
            if (procs[k].err_fd >= 0) {
                fds[nfds] = (struct pollfd){procs[k].err_fd, POLLIN, 0};
                owner[nfds++] = k;
            } else {
                reaping = 1; /* standard error closed: gnuplot is ending */
            }
        }
        double wait_s = soonest - plot_clock();
        int wait_ms = wait_s <= 0 ? 0 : wait_s > 3600 ? 3600000 : (int)(wait_s * 1000) + 1;
        if (reaping && wait_ms > 10)
            wait_ms = 10;
        int ready = poll(fds, (nfds_t)nfds, wait_ms);
        if (ready < 0 && errno != EINTR)
            ready = 0;
        for (int i = 0; ready > 0 && i < nfds; i++) {
            if (!fds[i].revents)
                continue;
            plot_proc *proc = &procs[owner[i]];
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
            memcpy(proc->job->errors + proc->kept, chunk, take);
            proc->kept += take;
        }
        /* reap what ended; kill what ran out of time */
        now = plot_clock();
        for (int k = 0; k < parallel; k++) {
            plot_proc *proc = &procs[k];
            if (!proc->pid)
                continue;
            int status = 0;
            pid_t waited = waitpid(proc->pid, &status, WNOHANG);
            if (waited == proc->pid) {
                plot_finish(proc, status, 0);
                running--;
            } else if (now >= proc->ends) {
                kill(proc->pid, SIGKILL);
                while (waitpid(proc->pid, &status, 0) < 0 && errno == EINTR)
                    ;
                plot_finish(proc, status, 1);
                running--;
            }
        }
    }
    plot_env_free(env);
    mem_free(procs);
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
        return diag_error(d, DIAG_SOFTWARE, "%s: gnuplot took longer than %d seconds and was stopped", what,
                          timeout_seconds);
    case PLOT_SKIPPED:
        return diag_error(d, DIAG_SOFTWARE, "%s: not drawn: the time for charts ran out", what);
    case PLOT_KILLED:
        return diag_error(d, DIAG_SOFTWARE, "%s: gnuplot was killed by signal %d%s%s", what, job->exit_status,
                          errors[0] ? ": " : "", errors);
    case PLOT_NOT_STARTED:
        return diag_error(d, DIAG_SOFTWARE, "%s: gnuplot could not be started (%s)", what,
                          errors[0] ? errors : "exec failed");
    case PLOT_FAILED:
    default:
        return diag_error(d, DIAG_SOFTWARE, "%s: gnuplot failed (exit status %d)%s%s", what, job->exit_status,
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
        return diag_oom(d, "starting gnuplot");
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
                status = diag_oom(d, "fixing PDF dates");
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
        status = diag_oom(d, "fixing PDF dates");
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
