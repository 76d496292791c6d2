/* test_output.c: atomic output batches (commit, abort, full disk, failed renames, signals,
 * folders that cannot be made) and the shortest round-trip number and CSV field formats.
 * Every test works in its own mkdtemp folder under /tmp and removes it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"
#include "output.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

static char output_test_root[64];

static const char *make_root(void)
{
    strcpy(output_test_root, "/tmp/econsim-output-XXXXXX");
    cr_assert_not_null(mkdtemp(output_test_root));
    return output_test_root;
}

/* Calls visit on every entry below dir (depth first, children before their folder). */
static void walk(const char *dir, void (*visit)(const char *path, int is_dir, void *arg), void *arg)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return;
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(path, visit, arg);
        visit(path, S_ISDIR(st.st_mode), arg);
    }
    closedir(handle);
}

static void count_temps(const char *path, int is_dir, void *arg)
{
    (void)is_dir;
    if (strstr(path, ".tmp."))
        ++*(int *)arg;
}

static int temps_below(const char *dir)
{
    int count = 0;
    walk(dir, count_temps, &count);
    return count;
}

static void remove_entry(const char *path, int is_dir, void *arg)
{
    (void)arg;
    if (is_dir)
        rmdir(path);
    else
        unlink(path);
}

static void remove_root(void)
{
    walk(output_test_root, remove_entry, NULL);
    cr_expect_eq(rmdir(output_test_root), 0, "%s left behind: %s", output_test_root, strerror(errno));
}

/* The whole content of a small file, or "(missing)". */
static const char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return "(missing)";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Writes files through a committed batch, so later tests have earlier results to protect. */
static void commit_file(const char *dir, const char *name, const char *text)
{
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(dir, &d);
    cr_assert_not_null(batch, "%s", d.message);
    FILE *f = output_batch_open(batch, name, &d);
    cr_assert_not_null(f, "%s", d.message);
    fputs(text, f);
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
}

/* ---------------------------------------------------------------------------------------- */
/* Numbers */

static const char *formatted(double value)
{
    static char buf[32];
    output_format_number(buf, value);
    return buf;
}

Test(output, shortest_round_trip_numbers)
{
    cr_assert_str_eq(formatted(0.1), "0.1");
    cr_assert_str_eq(formatted(1 / 3.0), "0.3333333333333333");
    cr_assert_str_eq(formatted(657.4 * 1.08), "709.9920000000001");
    cr_assert_str_eq(formatted(657.4), "657.4");
    cr_assert_str_eq(formatted(43.54), "43.54");
    cr_assert_str_eq(formatted(0.088), "0.088");
    cr_assert_str_eq(formatted(1500), "1500");
    cr_assert_str_eq(formatted(-2.5), "-2.5");
    cr_assert_str_eq(formatted(1e-300), "1e-300");
    cr_assert_str_eq(formatted(1e300), "1e+300");
    cr_assert_str_eq(formatted(0.0), "0");
    cr_assert_str_eq(formatted(-0.0), "0", "no negative zero in outputs");
    cr_assert_str_eq(formatted(DBL_MAX), "1.7976931348623157e+308");
    cr_assert_str_eq(formatted(-DBL_MAX), "-1.7976931348623157e+308");
    cr_assert_str_eq(formatted(0.1 + 0.2), "0.30000000000000004");
    cr_assert_str_eq(formatted(NAN), "");
    cr_assert_str_eq(formatted(INFINITY), "");
    cr_assert_str_eq(formatted(-INFINITY), "");
}

Test(output, numbers_read_back_exactly)
{
    static const double values[] = {0.1, 1 / 3.0, 2 / 3.0, 657.4 * 1.08, 1e-300, 1e300, DBL_MAX, DBL_MIN,
                                    DBL_EPSILON, 5e-324, 1e15, 1e16, 1e17, 123456789012345678.0, 0.5, 43.54,
                                    50.24 / 43.54, 3.141592653589793, -2.718281828459045, 1e-5, 9007199254740993.0};
    char buf[32];
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        output_format_number(buf, values[i]);
        cr_expect_eq(strtod(buf, NULL), values[i], "%.17g printed as %s", values[i], buf);
    }
    /* and a spread of bit patterns, every finite one must survive */
    uint64_t state = 88172645463325252u;
    int tried = 0;
    while (tried < 20000) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        double value;
        memcpy(&value, &state, sizeof value);
        if (!isfinite(value))
            continue;
        tried++;
        output_format_number(buf, value);
        cr_assert_lt(strlen(buf), 25);
        if (value == 0)
            continue;
        cr_assert_eq(strtod(buf, NULL), value, "%a printed as %s", value, buf);
    }
}

Test(output, csv_number_field)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    output_csv_number(f, 0.1);
    fputc(',', f);
    output_csv_number(f, NAN);
    fputc(',', f);
    output_csv_number(f, -0.0);
    fclose(f);
    cr_assert_str_eq(text, "0.1,,0");
    free(text);
}

/* ---------------------------------------------------------------------------------------- */
/* CSV fields */

static const char *as_field(const char *value)
{
    static char out[256];
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    output_csv_field(f, value);
    fclose(f);
    snprintf(out, sizeof out, "%s", text);
    free(text);
    return out;
}

Test(output, csv_quoting)
{
    cr_assert_str_eq(as_field("gdp"), "gdp");
    cr_assert_str_eq(as_field("林州市"), "林州市", "UTF-8 as is");
    cr_assert_str_eq(as_field(""), "");
    cr_assert_str_eq(as_field(NULL), "");
    cr_assert_str_eq(as_field("a,b"), "\"a,b\"");
    cr_assert_str_eq(as_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    cr_assert_str_eq(as_field("\""), "\"\"\"\"");
    cr_assert_str_eq(as_field("two\nlines"), "\"two\nlines\"");
    cr_assert_str_eq(as_field("cr\rhere"), "\"cr\rhere\"");
    cr_assert_str_eq(as_field(" leading"), "\" leading\"");
    cr_assert_str_eq(as_field("trailing "), "\"trailing \"");
    cr_assert_str_eq(as_field("in side"), "in side", "inner spaces need no quotes");
    cr_assert_str_eq(as_field("8%"), "8%");
}

/* ---------------------------------------------------------------------------------------- */
/* Batches */

Test(output, commit_puts_every_file_in_place)
{
    const char *root = make_root();
    char dir[256];
    snprintf(dir, sizeof dir, "%s/out/linzhou", root); /* parents made too */
    mode_t old_mask = umask(022);

    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(dir, &d);
    cr_assert_not_null(batch, "%s", d.message);
    cr_assert_str_eq(output_batch_dir(batch), dir);
    FILE *a = output_batch_open(batch, "projection.csv", &d);
    FILE *b = output_batch_open(batch, "charts/gdp.gp", &d);
    cr_assert_not_null(a, "%s", d.message);
    cr_assert_not_null(b, "%s", d.message);
    fputs("scenario,variable,year,value,origin\n", a);
    fputs("plot x\n", b);
    cr_assert_eq(temps_below(dir), 2, "written to temporary names first");
    cr_assert_str_eq(slurp(testutil_join(dir, "projection.csv")), "(missing)", "nothing final before commit");

    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(d.status, DIAG_OK);
    cr_assert_str_eq(slurp(testutil_join(dir, "projection.csv")), "scenario,variable,year,value,origin\n");
    cr_assert_str_eq(slurp(testutil_join(dir, "charts/gdp.gp")), "plot x\n");
    cr_assert_eq(temps_below(root), 0, "no .tmp. file left");
    struct stat st;
    cr_assert_eq(stat(testutil_join(dir, "projection.csv"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644, "0666 less the umask, not mkstemp's 0600");
    cr_assert_eq(stat(testutil_join(dir, "charts"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0755);

    /* a second run replaces the results whole */
    commit_file(dir, "projection.csv", "new\n");
    cr_assert_str_eq(slurp(testutil_join(dir, "projection.csv")), "new\n");
    umask(old_mask);
    remove_root();
}

Test(output, existing_folder_and_trailing_slash)
{
    const char *root = make_root();
    char dir[256];
    snprintf(dir, sizeof dir, "%s/a//b/", root);
    commit_file(dir, "x.csv", "1\n");
    cr_assert_str_eq(slurp(testutil_join(root, "a/b/x.csv")), "1\n");
    commit_file(root, "y.csv", "2\n");
    cr_assert_str_eq(slurp(testutil_join(root, "y.csv")), "2\n");
    remove_root();
}

Test(output, abort_leaves_earlier_results)
{
    const char *root = make_root();
    commit_file(root, "goals.csv", "earlier\n");
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    FILE *f = output_batch_open(batch, "goals.csv", &d);
    cr_assert_not_null(f);
    fputs("half-written", f);
    FILE *g = output_batch_open(batch, "charts/new.png", &d);
    cr_assert_not_null(g);
    output_batch_abort(batch);
    cr_assert_str_eq(slurp(testutil_join(root, "goals.csv")), "earlier\n");
    cr_assert_str_eq(slurp(testutil_join(root, "charts/new.png")), "(missing)");
    cr_assert_eq(temps_below(root), 0);
    output_batch_abort(NULL);
    remove_root();
}

/* Points a batch stream at /dev/full, as if the disk had filled up under it. */
static void fill_disk_under(FILE *stream)
{
    int full = open("/dev/full", O_WRONLY);
    cr_assert_geq(full, 0, "/dev/full: %s", strerror(errno));
    cr_assert_geq(dup2(full, fileno(stream)), 0);
    close(full);
}

Test(output, full_disk_at_commit_renames_nothing)
{
    const char *root = make_root();
    commit_file(root, "a.csv", "old a\n");
    commit_file(root, "b.csv", "old b\n");
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    FILE *a = output_batch_open(batch, "a.csv", &d);
    FILE *b = output_batch_open(batch, "b.csv", &d);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    fputs("new a\n", a);
    fill_disk_under(b);
    fputs("new b\n", b); /* buffered: the error shows at commit's flush */

    cr_assert_eq(output_batch_commit(batch, &d), DIAG_IO);
    cr_assert_eq(d.status, DIAG_IO);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/b.csv: error: cannot write: %s", root, strerror(ENOSPC));
    cr_assert_str_eq(d.message, expected);
    cr_assert_str_eq(slurp(testutil_join(root, "a.csv")), "old a\n", "a was fine but is not renamed either");
    cr_assert_str_eq(slurp(testutil_join(root, "b.csv")), "old b\n");
    cr_assert_eq(temps_below(root), 0);
    remove_root();
}

Test(output, write_error_midway_is_caught)
{
    const char *root = make_root();
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    FILE *f = output_batch_open(batch, "ensemble.csv", &d);
    cr_assert_not_null(f);
    fill_disk_under(f);
    for (int i = 0; i < 100000; i++) /* far past the buffer: writes fail while writing */
        fputs("0.1,", f);
    cr_assert(ferror(f));
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_IO);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/ensemble.csv: error: cannot write", root);
    cr_assert(strncmp(d.message, expected, strlen(expected)) == 0, "%s", d.message);
    cr_assert_str_eq(slurp(testutil_join(root, "ensemble.csv")), "(missing)");
    cr_assert_eq(temps_below(root), 0);
    remove_root();
}

Test(output, failed_rename_stops_and_cleans_up)
{
    const char *root = make_root();
    /* a folder where the file should go: rename(2) fails with EISDIR even for root */
    cr_assert_eq(mkdir(testutil_join(root, "summary.json"), 0755), 0);
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    FILE *s = output_batch_open(batch, "summary.json", &d);
    FILE *p = output_batch_open(batch, "peers.csv", &d);
    cr_assert_not_null(s);
    cr_assert_not_null(p);
    fputs("{}", s);
    fputs("place\n", p);
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_CANT_CREATE);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/summary.json: error: cannot put in place: %s", root, strerror(EISDIR));
    cr_assert_str_eq(d.message, expected);
    cr_assert_str_eq(slurp(testutil_join(root, "peers.csv")), "(missing)", "files after the failure are not renamed");
    cr_assert_eq(temps_below(root), 0);
    remove_root();
}

Test(output, folder_that_cannot_be_created)
{
    const char *root = make_root();
    commit_file(root, "plain", "a file\n");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/plain/sub", root);
    diag d;
    diag_init(&d);
    cr_assert_null(output_batch_new(dir, &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: error: cannot create folder %s/plain: %s", dir, root, strerror(ENOTDIR));
    cr_assert_str_eq(d.message, expected);

    diag_init(&d);
    cr_assert_null(output_batch_new(testutil_join(root, "plain"), &d), "the folder itself is a file");
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert(strstr(d.message, "plain: error: cannot create folder: ") != NULL, "%s", d.message);

    diag_init(&d);
    cr_assert_null(output_batch_new("", &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    remove_root();
}

Test(output, subfolder_that_cannot_be_created)
{
    const char *root = make_root();
    commit_file(root, "charts", "not a folder\n");
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    cr_assert_null(output_batch_open(batch, "charts/gdp.png", &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/charts: error: cannot create folder: %s", root, strerror(ENOTDIR));
    cr_assert_str_eq(d.message, expected);
    output_batch_abort(batch);
    remove_root();
}

Test(output, bad_names_are_refused)
{
    const char *root = make_root();
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    static const char *const names[] = {"", "/etc/passwd", "../escape.csv", "a/../b.csv", "a//b.csv", "./x.csv",
                                        "charts/"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        diag_init(&d);
        cr_expect_null(output_batch_open(batch, names[i], &d), "\"%s\" accepted", names[i]);
        cr_expect_eq(d.status, DIAG_CANT_CREATE, "\"%s\": %s", names[i], d.message);
    }
    diag_init(&d);
    cr_assert_not_null(output_batch_open(batch, "goals.csv", &d));
    cr_assert_null(output_batch_open(batch, "goals.csv", &d), "the same file twice");
    cr_assert(strstr(d.message, "goals.csv: error: opened twice") != NULL, "%s", d.message);
    output_batch_abort(batch);
    cr_assert_eq(temps_below(root), 0);
    remove_root();
}

Test(output, null_batch)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(output_batch_commit(NULL, &d), DIAG_SOFTWARE);
    cr_assert_null(output_batch_dir(NULL));
}

Test(output, registry_has_a_limit)
{
    const char *root = make_root();
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    char name[32];
    for (int i = 0; i < OUTPUT_MAX_OPEN_FILES; i++) {
        snprintf(name, sizeof name, "f%d.csv", i);
        cr_assert_not_null(output_batch_open(batch, name, &d), "%s", d.message);
    }
    cr_assert_null(output_batch_open(batch, "one-more.csv", &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert(strstr(d.message, "more than 256 output files open at once") != NULL, "%s", d.message);
    output_batch_abort(batch);
    cr_assert_eq(temps_below(root), 0);
    /* the slots are free again */
    commit_file(root, "after.csv", "ok\n");
    cr_assert_str_eq(slurp(testutil_join(root, "after.csv")), "ok\n");
    remove_root();
}

Test(output, cleanup_on_signal_removes_temporaries)
{
    const char *root = make_root();
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(root, &d);
    cr_assert_not_null(batch);
    cr_assert_not_null(output_batch_open(batch, "a.csv", &d));
    cr_assert_not_null(output_batch_open(batch, "charts/b.png", &d));
    cr_assert_eq(temps_below(root), 2);
    output_cleanup_on_signal();
    cr_assert_eq(temps_below(root), 0);
    output_batch_abort(batch); /* removing what is already gone is harmless */
    remove_root();
}

static void output_test_on_signal(int signal_number)
{
    output_cleanup_on_signal();
    _exit(128 + signal_number);
}

Test(output, a_real_signal_leaves_nothing_behind)
{
    const char *root = make_root();
    commit_file(root, "projection.csv", "earlier\n");
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = output_test_on_signal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGTERM, &action, NULL);
        diag d;
        diag_init(&d);
        output_batch *batch = output_batch_new(root, &d);
        FILE *f = batch ? output_batch_open(batch, "projection.csv", &d) : NULL;
        if (!f)
            _exit(1);
        fputs("half", f);
        fflush(f);
        raise(SIGTERM);
        _exit(2); /* not reached */
    }
    int status = 0;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status));
    cr_assert_eq(WEXITSTATUS(status), 128 + SIGTERM);
    cr_assert_eq(temps_below(root), 0);
    cr_assert_str_eq(slurp(testutil_join(root, "projection.csv")), "earlier\n");
    remove_root();
}

Test(output, every_allocation_failure_is_reported)
{
    const char *root = make_root();
    int committed = 0;
    for (long n = 0; n < 100 && !committed; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        output_batch *batch = output_batch_new(testutil_join(root, "run"), &d);
        FILE *f = NULL, *g = NULL;
        if (batch)
            f = output_batch_open(batch, "a.csv", &d);
        if (f)
            g = output_batch_open(batch, "charts/b.csv", &d);
        mem_fail_reset();
        if (!g) {
            cr_expect_eq(d.status, DIAG_SOFTWARE, "after %ld allocations: %s", n, d.message);
            cr_expect(strstr(d.message, "out of memory") != NULL, "%s", d.message);
            output_batch_abort(batch);
            continue;
        }
        fputs("a\n", f);
        fputs("b\n", g);
        cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
        committed = 1;
    }
    cr_assert(committed);
    cr_assert_eq(temps_below(root), 0);
    cr_assert_str_eq(slurp(testutil_join(root, "run/charts/b.csv")), "b\n");
    remove_root();
}

/* A file that another program writes (gnuplot drawing a chart): reserved, written through its
 * temporary path, renamed at commit; a withdrawn one never appears. */
Test(output, reserved_files_are_committed_and_withdrawn_ones_vanish)
{
    const char *root = make_root();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/run", root);
    diag d;
    diag_init(&d);
    output_batch *batch = output_batch_new(dir, &d);
    cr_assert_not_null(batch);
    FILE *f = output_batch_open(batch, "summary.json", &d);
    fputs("{}\n", f);
    const char *drawn = output_batch_reserve(batch, "charts/gdp.png", &d);
    cr_assert_not_null(drawn, "%s", d.message);
    cr_assert(strstr(drawn, "/run/charts/gdp.png.tmp.") != NULL, "%s", drawn);
    char drawn_path[1024];
    snprintf(drawn_path, sizeof drawn_path, "%s", drawn);
    FILE *other = fopen(drawn_path, "wb"); /* as gnuplot would: truncate and write */
    cr_assert_not_null(other);
    fputs("image", other);
    cr_assert_eq(fclose(other), 0);
    const char *failed = output_batch_reserve(batch, "charts/bad.png", &d);
    cr_assert_not_null(failed);
    char failed_path[1024];
    snprintf(failed_path, sizeof failed_path, "%s", failed);
    cr_assert_null(output_batch_reserve(batch, "charts/gdp.png", &d), "reserved twice");
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(output_batch_withdraw(batch, "charts/bad.png"), 0);
    cr_assert_neq(access(failed_path, F_OK), 0, "the withdrawn temporary file is removed at once");
    cr_assert_eq(output_batch_withdraw(batch, "charts/bad.png"), -1);
    cr_assert_eq(output_batch_withdraw(batch, "nothing.csv"), -1);
    cr_assert_eq(output_batch_withdraw(NULL, "x"), -1);
    cr_assert_neq(access(testutil_join(dir, "charts/gdp.png"), F_OK), 0, "nothing final before commit");
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    cr_assert_str_eq(slurp(testutil_join(dir, "charts/gdp.png")), "image");
    cr_assert_str_eq(slurp(testutil_join(dir, "summary.json")), "{}\n");
    cr_assert_neq(access(testutil_join(dir, "charts/bad.png"), F_OK), 0);
    cr_assert_eq(temps_below(root), 0);
    struct stat st;
    cr_assert_eq(stat(testutil_join(dir, "charts/gdp.png"), &st), 0);
    mode_t mask = umask(022);
    umask(mask);
    cr_assert_eq(st.st_mode & 0777, 0666 & ~mask, "the mode of any result file");
    diag_free(&d);
    /* an aborted batch removes reserved files too */
    diag_init(&d);
    batch = output_batch_new(dir, &d);
    drawn = output_batch_reserve(batch, "charts/x.png", &d);
    cr_assert_not_null(drawn);
    output_batch_abort(batch);
    cr_assert_eq(temps_below(root), 0);
    diag_free(&d);
    remove_root();
}
