/* bench.c: `make bench`: one table of econsim's speed and memory, measured as a planner runs
 * it (the built binary, one process per run: wall time and peak RSS from wait4), side by side
 * with the hand-fused reference loop fused2 (../shared/bench/fused2.c, built by make bench
 * when it is there):
 *
 *   - Monte Carlo: bench/mc-run.json (the county model, 8 years, 3 shocks; mean, sd and seven
 *     type-7 quantiles of 40 cells, two goal probabilities) against `fused2 N T full`, the
 *     same work, at 10^5, 10^6 and 10^7 paths on 1 thread and on every core;
 *   - Sobol' on the Ishigami function (bench/ishigami.json, 1000 bootstrap resamples) at
 *     N = 2^14 and 2^18: time, and the indices against their closed forms;
 *   - the shipped Morris and grid sweeps, with and without charts, and the bound a run with
 *     charts should keep on T threads: the run without charts plus the serial chart time / T,
 *     where the serial chart time is that of drawing its charts as issue 16 found them drawn,
 *     one gnuplot per chart, one after another (`gnuplot NAME.gp` for each script it wrote);
 *   - the targets of issue 16 against this run's figures.
 *
 * Every econsim run is given --no-report: the HTML report and workbook are not part of the
 * compared work (fused2 writes none). Times are the best of BENCH_REPEATS runs (default 5,
 * at 10^7 paths too: the targets are best of 5), runs of the two programs and of the thread
 * counts alternating so that the ratios compare runs under the same load. Prints figures
 * only: benchmarks never fail a build, and timings are never tests.
 *
 *   econsim-bench ECONSIM [FUSED2]     (run from the source tree; FUSED2 absent or missing:
 *                                       no reference column; BENCH_ONLY=mc, sobol or sweeps:
 *                                       that section alone) */
#define _DEFAULT_SOURCE /* wait4 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct measure {
    double seconds; /* best wall time */
    double peak_mb; /* peak RSS of that run */
    double cpu;     /* least CPU time (user + system) of a run, with the children it waited for */
    int ok;         /* every run exited 0 */
} measure;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* User plus system seconds of a rusage. */
static double cpu_seconds(const struct rusage *usage)
{
    return (double)usage->ru_utime.tv_sec + (double)usage->ru_utime.tv_usec * 1e-6 + (double)usage->ru_stime.tv_sec +
           (double)usage->ru_stime.tv_usec * 1e-6;
}

/* Runs argv once with its output to /dev/null; returns the exit status (-1: not started).
 * *cpu (when not NULL) gets its CPU seconds, those of the children it waited for included
 * (Linux: wait4 reports the child's own and its reaped children's). */
static int run_once(const char *const argv[], double *seconds, double *peak_mb, double *cpu)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    int err = posix_spawn(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (err)
        return -1;
    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0)
        if (errno != EINTR)
            return -1;
    *seconds = now() - t0;
    *peak_mb = (double)usage.ru_maxrss / 1024.0; /* Linux: kilobytes */
    if (cpu)
        *cpu = cpu_seconds(&usage);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Keeps the best of a series of runs. */
static void keep_best(measure *m, const char *const argv[])
{
    double seconds, peak, cpu;
    int status = run_once(argv, &seconds, &peak, &cpu);
    if (status != 0) {
        m->ok = 0;
        return;
    }
    m->cpu = fmin(m->cpu, cpu);
    if (seconds < m->seconds) {
        m->seconds = seconds;
        m->peak_mb = peak;
    }
}

/* What the targets of issue 16 are checked against, filled as the sections run. */
typedef struct targets {
    int have_fused2, cores;
    double mc_ratio_1e6;         /* econsim / fused2, 10^6 paths, 1 thread */
    double mc_speedup, sobol_speedup; /* 1 thread / all threads: 10^6 paths; N = 2^18 */
    double mc_1e7_over_1e6;      /* 10^7 paths / 10^6 paths, 1 thread */
    double mc_1e7_peak_mb;
    double sobol_2_14;           /* seconds, N = 2^14, 1 thread */
    int charts_met, charts_rows; /* runs with charts within model time + serial charts / T */
} targets;

static targets target = {.mc_ratio_1e6 = NAN, .mc_speedup = NAN, .sobol_speedup = NAN, .mc_1e7_over_1e6 = NAN,
                         .mc_1e7_peak_mb = NAN, .sobol_2_14 = NAN};

static measure fresh(void)
{
    measure m = {INFINITY, 0, INFINITY, 1};
    return m;
}


static void print_cell(const measure *m)
{
    if (m->ok && isfinite(m->seconds))
        printf(" %9.3f %8.0f", m->seconds, m->peak_mb);
    else
        printf(" %9s %8s", "failed", "-");
}

/* --- Monte Carlo ------------------------------------------------------------------------ */

static void monte_carlo(const char *econsim, const char *fused2, const char *tmp, int cores, int repeats)
{
    static const size_t paths[] = {100000, 1000000, 10000000};
    int threads[2] = {1, cores};
    int thread_kinds = cores > 1 ? 2 : 1;
    measure e[3][2], f[3][2];
    printf("\nMonte Carlo: bench/mc-run.json (county model, 8 years, 3 shocks; mean, sd, p05..p95 of 40 cells,\n"
           "2 goal probabilities) against fused2 N T full, the same work; best of %d, the programs and the\n"
           "thread counts taken in turn\n\n",
           repeats);
    printf("%10s %7s %9s %8s %9s %8s %7s\n", "paths", "threads", "econsim s", "peak MB", "fused2 s", "peak MB",
           "ratio");
    for (int p = 0; p < 3; p++) {
        /* the thread counts alternate too, so that the speed-up compares runs under one load */
        char n[32], th[2][16], out[600];
        snprintf(n, sizeof n, "%zu", paths[p]);
        snprintf(out, sizeof out, "%s/mc", tmp);
        for (int t = 0; t < thread_kinds; t++) {
            snprintf(th[t], sizeof th[t], "%d", threads[t]);
            e[p][t] = fresh();
            f[p][t] = fresh();
        }
        for (int r = 0; r < repeats; r++)
            for (int t = 0; t < thread_kinds; t++) {
                const char *econsim_argv[] = {econsim, "run", "bench/mc-run.json", "-o", out, "--no-charts",
                                              "--threads", th[t], "--paths", n, "--no-report", "--quiet", NULL};
                const char *fused2_argv[] = {fused2, n, th[t], "full", NULL};
                keep_best(&e[p][t], econsim_argv);
                if (fused2)
                    keep_best(&f[p][t], fused2_argv);
            }
        for (int t = 0; t < thread_kinds; t++) {
            printf("%10zu %7d", paths[p], threads[t]);
            print_cell(&e[p][t]);
            if (fused2) {
                print_cell(&f[p][t]);
                printf(" %6.2fx\n", e[p][t].seconds / f[p][t].seconds);
            } else {
                printf(" %9s %8s %7s\n", "-", "-", "-");
            }
            fflush(stdout);
        }
    }
    printf("\n");
    if (thread_kinds == 2)
        printf("%d threads against 1, 10^6 paths: econsim %.2fx faster%s\n", cores, e[1][0].seconds / e[1][1].seconds,
               fused2 ? "" : "");
    if (thread_kinds == 2 && fused2)
        printf("%d threads against 1, 10^6 paths: fused2 %.2fx faster\n", cores, f[1][0].seconds / f[1][1].seconds);
    printf("10^7 paths against 10^6, 1 thread: econsim %.1fx the time, peak %.0f MB\n",
           e[2][0].seconds / e[1][0].seconds, e[2][0].peak_mb);
    if (fused2)
        target.mc_ratio_1e6 = e[1][0].seconds / f[1][0].seconds;
    if (thread_kinds == 2)
        target.mc_speedup = e[1][0].seconds / e[1][1].seconds;
    target.mc_1e7_over_1e6 = e[2][0].seconds / e[1][0].seconds;
    target.mc_1e7_peak_mb = e[2][0].peak_mb;
}

/* --- Sobol' on Ishigami ------------------------------------------------------------------- */

/* The closed forms for a = 7, b = 0.1 (Ishigami and Homma 1990; Saltelli et al. 2008). */
static void ishigami_indices(double *s1, double *st)
{
    double a = 7, b = 0.1, pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = 8 * b * b * pi8 / 225;
    double v = v1 + v2 + v13;
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
}

/* Reads S1 and ST of x1..x3 from a sweep's sensitivity.csv; 1 when all were found. */
static int read_indices(const char *dir, double *s1, double *st)
{
    char path[700], line[512];
    snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        int i;
        double a, ac, t;
        if (sscanf(line, "y@2024,x%d,%lf,%lf,%lf", &i, &a, &ac, &t) == 4 && i >= 1 && i <= 3) {
            s1[i - 1] = a;
            st[i - 1] = t;
            found++;
        }
    }
    fclose(f);
    return found == 3;
}

static void sobol(const char *econsim, const char *tmp, int cores, int repeats)
{
    static const size_t n[] = {16384, 262144};
    int threads[2] = {1, cores};
    int thread_kinds = cores > 1 ? 2 : 1;
    double s1[2][3], st[2][3], exact_s1[3], exact_st[3];
    int have[2] = {0, 0};
    ishigami_indices(exact_s1, exact_st);
    printf("\nSobol' sweep of the Ishigami function (bench/ishigami.json: 3 inputs, N (3 + 2) runs, 1000\n"
           "bootstrap resamples), the whole process; best of %d, the thread counts taken in turn\n\n",
           repeats);
    printf("%10s %7s %9s %8s\n", "N", "threads", "econsim s", "peak MB");
    double seconds[2][2] = {{NAN, NAN}, {NAN, NAN}};
    for (int i = 0; i < 2; i++) {
        char out[600];
        snprintf(out, sizeof out, "%s/sobol%d", tmp, i);
        char samples[32], th[2][16];
        snprintf(samples, sizeof samples, "%zu", n[i]);
        measure m[2] = {fresh(), fresh()};
        for (int t = 0; t < thread_kinds; t++)
            snprintf(th[t], sizeof th[t], "%d", threads[t]);
        for (int r = 0; r < repeats; r++) /* the thread counts alternate, as in the Monte Carlo section */
            for (int t = 0; t < thread_kinds; t++) {
                const char *argv[] = {econsim, "sweep", "bench/ishigami.json", "-o", out, "--no-charts", "--threads",
                                      th[t], "--samples", samples, "--no-report", "--quiet", NULL};
                keep_best(&m[t], argv);
            }
        for (int t = 0; t < thread_kinds; t++) {
            printf("%10zu %7d", n[i], threads[t]);
            print_cell(&m[t]);
            printf("\n");
            if (m[t].ok)
                seconds[i][t] = m[t].seconds;
        }
        fflush(stdout);
        have[i] = read_indices(out, s1[i], st[i]);
    }
    target.sobol_2_14 = seconds[0][0];
    if (thread_kinds == 2) {
        target.sobol_speedup = seconds[1][0] / seconds[1][1];
        printf("\n%d threads against 1, N = 2^18: %.2fx faster\n", cores, target.sobol_speedup);
    }
    printf("\n%9s %10s %10s %10s   %10s %10s %10s\n", "input", "S1 N=2^14", "N=2^18", "analytic", "ST N=2^14",
           "N=2^18", "analytic");
    for (int k = 0; k < 3; k++) {
        printf("%9s%d", "x", k + 1);
        for (int i = 0; i < 2; i++)
            have[i] ? printf(" %10.4f", s1[i][k]) : printf(" %10s", "-");
        printf(" %10.4f  ", exact_s1[k]);
        for (int i = 0; i < 2; i++)
            have[i] ? printf(" %10.4f", st[i][k]) : printf(" %10s", "-");
        printf(" %10.4f\n", exact_st[k]);
    }
}

/* --- shipped sweeps ---------------------------------------------------------------------- */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Seconds to draw every DIR/charts/NAME.gp one gnuplot after another (`gnuplot NAME.gp` in
 * DIR/charts, as a planner redraws a chart), and how many; *cpu gets the gnuplots' CPU seconds
 * in all. NAN when one fails. */
static double serial_redraw(const char *dir, int *count, double *cpu)
{
    char charts[700];
    snprintf(charts, sizeof charts, "%s/charts", dir);
    *count = 0;
    DIR *d = opendir(charts);
    if (!d)
        return NAN;
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < sizeof names / sizeof *names) {
        size_t len = strlen(e->d_name);
        if (len > 3 && !strcmp(e->d_name + len - 3, ".gp"))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    double total = 0;
    *cpu = 0;
    for (size_t i = 0; i < n; i++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid == 0) {
            int null_fd = open("/dev/null", O_WRONLY);
            if (null_fd < 0 || chdir(charts) != 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0)
                _exit(126);
            execlp("gnuplot", "gnuplot", names[i], (char *)NULL);
            _exit(127);
        }
        int status = -1;
        struct rusage usage = {0};
        while (pid > 0 && wait4(pid, &status, 0, &usage) < 0 && errno == EINTR)
            ;
        total += now() - t0;
        *cpu += cpu_seconds(&usage);
        if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            total = NAN;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    *count = (int)n;
    return total;
}

static void sweeps(const char *econsim, const char *tmp, int cores, int repeats)
{
    static const char *const files[] = {"scenarios/linzhou-morris.json", "scenarios/linzhou-grid.json"};
    int threads[2] = {1, cores};
    int thread_kinds = cores > 1 ? 2 : 1;
    printf("\nShipped sweeps, the whole process, without and with charts; best of %d, the three columns\n"
           "taken in turn. Serial charts: its charts drawn one gnuplot per chart, one after another\n"
           "(gnuplot NAME.gp each). Bound: the run without charts plus the serial chart time / T.\n"
           "econsim starts its T gnuplots with the command (they warm up while it loads and runs), and\n"
           "each draws a run of charts, so 1 thread is also below its bound.\n"
           "Floor: the CPU time of the run without charts plus that of the serial charts, over T cores:\n"
           "the least wall time of that work with no core ever idle. Where T gnuplots draw one chart\n"
           "each, a warm gnuplot does the work of a cold one, only earlier; a bound below its floor can\n"
           "then be met only by the noise of a best-of run. CPU: least of the runs, children included.\n\n",
           repeats);
    printf("%-30s %7s %11s %8s %9s %8s %9s %8s %8s %5s\n", "scenario", "threads", "no charts s", "peak MB", "charts s",
           "peak MB", "serial s", "bound s", "floor s", "met");
    for (int s = 0; s < 2; s++) {
        for (int t = 0; t < thread_kinds; t++) {
            double serial_charts = INFINITY, serial_cpu = INFINITY; /* per row: the columns alternate */
            int chart_count = 0;
            char th[16], out[600];
            snprintf(th, sizeof th, "%d", threads[t]);
            snprintf(out, sizeof out, "%s/sweep", tmp);
            const char *plain[] = {econsim, "sweep", files[s], "-o", out, "--no-charts", "--threads", th,
                                   "--no-report", "--quiet", NULL};
            const char *charts[] = {econsim, "sweep", files[s], "-o", out, "--threads", th, "--no-report", "--quiet", NULL};
            measure a = fresh(), b = fresh();
            for (int r = 0; r < repeats; r++) {
                keep_best(&a, plain);
                keep_best(&b, charts);
                if (b.ok) { /* the charts the run just wrote, redrawn one by one */
                    double cpu = 0;
                    serial_charts = fmin(serial_charts, serial_redraw(out, &chart_count, &cpu));
                    serial_cpu = fmin(serial_cpu, cpu);
                }
            }
            printf("%-30s %7d  ", files[s], threads[t]);
            print_cell(&a);
            printf(" ");
            print_cell(&b);
            if (a.ok && b.ok && isfinite(serial_charts)) {
                double bound = a.seconds + serial_charts / threads[t];
                double floor_seconds = (a.cpu + serial_cpu) / (threads[t] < cores ? threads[t] : cores);
                int met = b.seconds <= bound * 1.0005 + 0.0005; /* within the clock's resolution */
                printf(" %9.3f %8.3f %8.3f %5s  (%d charts; CPU s: no charts %.3f, serial charts %.3f, charts run "
                       "%.3f)\n",
                       serial_charts, bound, floor_seconds, met ? "yes" : "no", chart_count, a.cpu, serial_cpu, b.cpu);
                target.charts_rows++;
                target.charts_met += met;
            } else {
                printf(" %9s %8s %8s %5s%s\n", "-", "-", "-", "-", b.ok ? "" : " (gnuplot missing?)");
            }
            fflush(stdout);
        }
    }
}

/* The targets of issue 16, against this run's figures. */
static void print_targets(void)
{
    printf("\nTargets (issue 16), this run\n\n");
    printf("%-58s %10s %8s %5s\n", "target", "measured", "target", "met");
    if (isfinite(target.mc_ratio_1e6))
        printf("%-58s %9.2fx %7s  %4s\n", "Monte Carlo 10^6 paths, 1 thread, against fused2 full", target.mc_ratio_1e6,
               "<= 1.3x", target.mc_ratio_1e6 <= 1.3 ? "yes" : "no");
    else
        printf("%-58s %10s %8s %5s\n", "Monte Carlo 10^6 paths, 1 thread, against fused2 full", "-", "<= 1.3x", "-");
    if (isfinite(target.mc_speedup))
        printf("%-58s %9.2fx %7s  %4s\n", "Monte Carlo 10^6 paths, all threads against 1", target.mc_speedup,
               ">= 1.7x", target.mc_speedup >= 1.7 ? "yes" : "no");
    if (isfinite(target.sobol_speedup))
        printf("%-58s %9.2fx %7s  %4s\n", "Sobol' N = 2^18, all threads against 1", target.sobol_speedup, ">= 1.7x",
               target.sobol_speedup >= 1.7 ? "yes" : "no");
    printf("%-58s %7.0f MB %8s %5s\n", "Monte Carlo 10^7 paths, peak RSS", target.mc_1e7_peak_mb, "<= 300",
           target.mc_1e7_peak_mb <= 300 ? "yes" : "no");
    printf("%-58s %9.1fx %7s  %4s\n", "Monte Carlo 10^7 paths against 10^6, 1 thread", target.mc_1e7_over_1e6,
           "<= 14x", target.mc_1e7_over_1e6 <= 14 ? "yes" : "no");
    printf("%-58s %8.3f s %6s s %4s\n", "Sobol' N = 2^14, 1000 resamples, 1 thread (SALib 7 s / 50)",
           target.sobol_2_14, "0.14", target.sobol_2_14 <= 0.14 ? "yes" : "no");
    printf("%-58s %6d of %d %8s %5s\n", "runs with charts within model + serial charts / T", target.charts_met,
           target.charts_rows, "all", target.charts_rows && target.charts_met == target.charts_rows ? "yes" : "no");
}

static void remove_tree(const char *dir)
{
    const char *argv[] = {"/bin/rm", "-rf", dir, NULL};
    double seconds, peak;
    run_once(argv, &seconds, &peak, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: econsim-bench ECONSIM [FUSED2]\n");
        return 64;
    }
    const char *econsim = argv[1];
    const char *fused2 = argc > 2 && access(argv[2], X_OK) == 0 ? argv[2] : NULL;
    const char *env = getenv("BENCH_REPEATS");
    int repeats = env && atoi(env) > 0 ? atoi(env) : 5;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int cores = online > 0 ? (int)online : 1;
    char tmp[] = "/tmp/econsim-bench-XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("econsim-bench: mkdtemp");
        return 73;
    }
    printf("econsim-bench: %s, %d cores%s\n", econsim, cores,
           fused2 ? "" : "; no fused2 reference (../shared/bench/fused2.c is absent): its columns are empty");
    /* BENCH_ONLY=mc, sobol or sweeps runs one section (the targets then list only its rows) */
    const char *only = getenv("BENCH_ONLY");
    if (!only || !strcmp(only, "mc"))
        monte_carlo(econsim, fused2, tmp, cores, repeats);
    if (!only || !strcmp(only, "sobol"))
        sobol(econsim, tmp, cores, repeats);
    if (!only || !strcmp(only, "sweeps"))
        sweeps(econsim, tmp, cores, repeats);
    print_targets();
    remove_tree(tmp);
    return 0;
}
