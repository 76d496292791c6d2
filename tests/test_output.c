#define _XOPEN_SOURCE 700 /* realpath */
/* test_output.c: result folders committed whole (commit, abort, a full disk at every write,
 * the swap and its rename-aside fallback, foreign folders and symbolic links that are never
 * replaced or followed, locks, what killed runs leave beside a folder, signals, any number of
 * files) and the shortest round-trip number and CSV field formats. Every test works in its own
 * mkdtemp folder under /tmp and removes it. */
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
#include <time.h>
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

static void count_leftovers(const char *path, int is_dir, void *arg)
{
    (void)is_dir;
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    if (strstr(name, ".econsim-stage.") || strstr(name, ".econsim-old.") || strstr(name, ".econsim-lock"))
        ++*(int *)arg;
}

/* Staging folders, folders renamed aside and lock files below dir: none once batches end. */
static int leftovers_below(const char *dir)
{
    int count = 0;
    walk(dir, count_leftovers, &count);
    return count;
}

/* The entries of a folder, sorted, space-separated ("(missing)" when it cannot be read). */
static const char *listing(const char *dir)
{
    static char out[4096];
    char names[256][256];
    size_t count = 0;
    DIR *handle = opendir(dir);
    if (!handle)
        return "(missing)";
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL && count < 256)
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            snprintf(names[count++], sizeof names[0], "%s", entry->d_name);
    closedir(handle);
    qsort(names, count, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    out[0] = '\0';
    for (size_t i = 0; i < count; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", names[i]);
    return out;
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

/* Writes `text` to a file at path the way anything but econsim would (a planner, a killed run). */
static void write_plain_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static char output_test_run[512];

/* "<root>/run", the result folder most tests write (a buffer of its own: testutil_join's are reused). */
static const char *run_path(const char *root)
{
    snprintf(output_test_run, sizeof output_test_run, "%s/run", root);
    return output_test_run;
}

/* Starts d afresh and opens a batch over dir, failing the test if the batch does not open. */
static output_batch *open_batch(const char *dir, diag *d)
{
    diag_init(d);
    output_batch *batch = output_batch_new(dir, d);
    cr_assert_not_null(batch, "%s", d->message);
    return batch;
}

/* Opens the file `name` in a batch, failing the test if it does not open. */
static FILE *open_in_batch(output_batch *batch, const char *name, diag *d)
{
    FILE *f = output_batch_open(batch, name, d);
    cr_assert_not_null(f, "%s", d->message);
    return f;
}

/* Frees what d holds and starts it afresh, for the next call that reports into it. */
static void fresh_diag(diag *d)
{
    diag_free(d);
    diag_init(d);
}

/* Writes one file through a committed batch, so later tests have earlier results to protect
 * (the folder then holds that file and the marker, nothing else). */
static void commit_file(const char *dir, const char *name, const char *text)
{
    diag d;
    output_batch *batch = open_batch(dir, &d);
    fputs(text, open_in_batch(batch, name, &d));
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
}

/* Commits `name` holding `text` into dir as the earlier results, then opens a new batch over them. */
static output_batch *open_batch_over_earlier(const char *dir, const char *name, const char *text, diag *d)
{
    commit_file(dir, name, text);
    return open_batch(dir, d);
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

Test(output, commit_puts_the_whole_folder_in_place)
{
    const char *root = make_root();
    char dir[256];
    snprintf(dir, sizeof dir, "%s/out/linzhou", root); /* parents made too */
    mode_t old_mask = umask(022);

    diag d;
    output_batch *batch = open_batch(dir, &d);
    cr_assert_str_eq(output_batch_dir(batch), dir);
    fputs("scenario,variable,year,value,origin\n", open_in_batch(batch, "projection.csv", &d));
    fputs("plot x\n", open_in_batch(batch, "charts/gdp.gp", &d));
    cr_assert_eq(leftovers_below(root), 2, "a staging folder and a lock file while the batch is open");
    cr_assert_eq(access(dir, F_OK), -1, "nothing in place before the commit");

    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(d.status, DIAG_OK);
    cr_assert_eq(d.warning_count, 0);
    cr_assert_str_eq(slurp(testutil_join(dir, "projection.csv")), "scenario,variable,year,value,origin\n");
    cr_assert_str_eq(slurp(testutil_join(dir, "charts/gdp.gp")), "plot x\n");
    cr_assert_str_eq(listing(dir), ".econsim-run charts projection.csv", "the run's files and the marker");
    cr_assert(strstr(slurp(testutil_join(dir, OUTPUT_MARKER)), "replaces the\nwhole folder") != NULL);
    cr_assert_str_eq(listing(testutil_join(root, "out")), "linzhou", "nothing left beside the folder");
    struct stat st;
    cr_assert_eq(stat(testutil_join(dir, "projection.csv"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644, "0666 less the umask");
    cr_assert_eq(stat(testutil_join(dir, "charts"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0755);
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0755);

    /* a second run replaces the results whole: a file it does not write is gone */
    commit_file(dir, "summary.json", "{}\n");
    cr_assert_str_eq(listing(dir), ".econsim-run summary.json");
    cr_assert_str_eq(listing(testutil_join(root, "out")), "linzhou");
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
    /* an empty folder is taken as it is */
    cr_assert_eq(mkdir(testutil_join(root, "empty"), 0755), 0);
    commit_file(testutil_join(root, "empty"), "y.csv", "2\n");
    cr_assert_str_eq(slurp(testutil_join(root, "empty/y.csv")), "2\n");
    /* "." is the folder it names */
    char cwd[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(testutil_join(root, "a/b")), 0);
    commit_file(".", "z.csv", "3\n");
    cr_assert_eq(chdir(cwd), 0);
    cr_assert_str_eq(listing(testutil_join(root, "a/b")), ".econsim-run z.csv");
    cr_assert_eq(leftovers_below(root), 0);
    remove_root();
}

Test(output, abort_leaves_earlier_results)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    diag d;
    output_batch *batch = open_batch_over_earlier(dir, "goals.csv", "earlier\n", &d);
    fputs("half-written", open_in_batch(batch, "goals.csv", &d));
    open_in_batch(batch, "charts/new.png", &d);
    output_batch_abort(batch);
    cr_assert_str_eq(slurp(testutil_join(dir, "goals.csv")), "earlier\n");
    cr_assert_str_eq(listing(dir), ".econsim-run goals.csv");
    cr_assert_eq(leftovers_below(root), 0);
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

Test(output, full_disk_at_commit_changes_nothing)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    diag d;
    output_batch *batch = open_batch_over_earlier(dir, "a.csv", "old a\n", &d);
    fputs("new a\n", open_in_batch(batch, "a.csv", &d));
    FILE *b = open_in_batch(batch, "b.csv", &d);
    fill_disk_under(b);
    fputs("new b\n", b); /* buffered: the error shows when commit closes it */

    cr_assert_eq(output_batch_commit(batch, &d), DIAG_IO);
    cr_assert_eq(d.status, DIAG_IO);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s/b.csv: error: cannot write: %s", dir, strerror(ENOSPC));
    cr_assert_str_eq(d.message, expected);
    cr_assert_str_eq(listing(dir), ".econsim-run a.csv", "the old folder, whole");
    cr_assert_str_eq(slurp(testutil_join(dir, "a.csv")), "old a\n", "a was fine but is not in place either");
    cr_assert_eq(leftovers_below(root), 0);
    remove_root();
}

Test(output, write_error_midway_stops_the_next_file)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    diag d;
    output_batch *batch = open_batch(dir, &d);
    FILE *f = open_in_batch(batch, "ensemble.csv", &d);
    fill_disk_under(f);
    for (int i = 0; i < 100000; i++) /* far past the buffer: writes fail while writing */
        fputs("0.1,", f);
    cr_assert(ferror(f));
    /* the next file is not even started: the failure is reported at once */
    cr_assert_null(output_batch_open(batch, "summary.json", &d));
    cr_assert_eq(d.status, DIAG_IO);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s/ensemble.csv: error: cannot write", dir);
    cr_assert(strncmp(d.message, expected, strlen(expected)) == 0, "%s", d.message);
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_IO);
    cr_assert_str_eq(listing(dir), "(missing)");
    cr_assert_eq(leftovers_below(root), 0);
    remove_root();
}

/* A folder of a planner's own files is never replaced, whatever the path; empty folders and
 * econsim's own results are. */
Test(output, a_folder_econsim_did_not_write_is_never_replaced)
{
    const char *root = make_root();
    char mine[512];
    snprintf(mine, sizeof mine, "%s/mine", root);
    cr_assert_eq(mkdir(mine, 0755), 0);
    write_plain_file(testutil_join(mine, "notes.txt"), "a planner's notes\n");
    diag d;
    diag_init(&d);
    cr_assert_null(output_batch_new(mine, &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert(strstr(d.message, "mine: error: the folder holds files that econsim did not write (it has no "
                                ".econsim-run marker)") != NULL,
              "%s", d.message);
    output_lock *lock = NULL;
    fresh_diag(&d);
    cr_assert_eq(output_lock_take(mine, 1, NULL, NULL, &lock, &d), DIAG_CANT_CREATE, "the lock checks it too");
    cr_assert_null(lock);
    /* and "." inside it */
    char cwd[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(mine), 0);
    fresh_diag(&d);
    cr_assert_null(output_batch_new(".", &d));
    cr_assert_eq(chdir(cwd), 0);
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert_str_eq(listing(mine), "notes.txt");
    cr_assert_str_eq(listing(root), "mine", "nothing made beside it");
    diag_free(&d);
    remove_root();
}

/* Nothing inside or at an output folder is followed: a link as the folder is refused, and a
 * link planted inside earlier results is removed with them, its target untouched. */
Test(output, symbolic_links_are_never_followed)
{
    const char *root = make_root();
    char elsewhere[512];
    snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", root);
    cr_assert_eq(mkdir(elsewhere, 0755), 0);
    write_plain_file(testutil_join(elsewhere, "gdp.png"), "someone else's file\n");
    const char *dir = run_path(root);
    commit_file(dir, "summary.json", "{}\n");
    cr_assert_eq(symlink(elsewhere, testutil_join(dir, "charts")), 0);
    diag d;
    output_batch *batch = open_batch(dir, &d);
    fputs("new chart\n", open_in_batch(batch, "charts/gdp.png", &d));
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    cr_assert_str_eq(slurp(testutil_join(elsewhere, "gdp.png")), "someone else's file\n");
    struct stat st;
    cr_assert_eq(lstat(testutil_join(dir, "charts"), &st), 0);
    cr_assert(S_ISDIR(st.st_mode), "a folder of the run, not the planted link");
    cr_assert_str_eq(slurp(testutil_join(dir, "charts/gdp.png")), "new chart\n");

    /* the result folder itself a link: refused, unless resolved with --follow-symlinks */
    char link[512];
    snprintf(link, sizeof link, "%s/link", root);
    cr_assert_eq(symlink(dir, link), 0);
    fresh_diag(&d);
    cr_assert_null(output_batch_new(link, &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert(strstr(d.message, "link: error: is a symbolic link") != NULL, "%s", d.message);
    char resolved[1024];
    fresh_diag(&d);
    cr_assert_eq(output_target_resolve(link, 0, resolved, sizeof resolved, &d), DIAG_CANT_CREATE);
    fresh_diag(&d);
    cr_assert_eq(output_target_resolve(link, 1, resolved, sizeof resolved, &d), DIAG_OK, "%s", d.message);
    char real[1024];
    cr_assert_not_null(realpath(dir, real));
    cr_assert_str_eq(resolved, real);
    cr_assert_eq(output_target_resolve(dir, 0, resolved, sizeof resolved, &d), DIAG_OK);
    cr_assert_str_eq(resolved, dir, "not a link: as it is");
    commit_file(resolved, "x.csv", "through the resolved path\n");
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link itself is kept");
    cr_assert_str_eq(listing(link), ".econsim-run x.csv");
    cr_assert_eq(leftovers_below(root), 0);
    diag_free(&d);
    remove_root();
}

Test(output, folder_that_cannot_be_created)
{
    const char *root = make_root();
    write_plain_file(testutil_join(root, "plain"), "a file\n");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/plain/sub", root);
    diag d;
    diag_init(&d);
    cr_assert_null(output_batch_new(dir, &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: error: cannot create folder %s/plain: %s", dir, root, strerror(ENOTDIR));
    cr_assert_str_eq(d.message, expected);

    diag_init(&d);
    cr_assert_null(output_batch_new(testutil_join(root, "plain"), &d), "the folder itself is a file");
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert(strstr(d.message, "plain: error: cannot create folder: ") != NULL, "%s", d.message);
    cr_assert_str_eq(slurp(testutil_join(root, "plain")), "a file\n");

    diag_init(&d);
    cr_assert_null(output_batch_new("", &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    diag_init(&d);
    cr_assert_null(output_batch_new("/", &d));
    cr_assert_eq(d.status, DIAG_CANT_CREATE);
    cr_assert_eq(leftovers_below(root), 0);
    remove_root();
}

Test(output, bad_names_are_refused)
{
    const char *root = make_root();
    diag d;
    output_batch *batch = open_batch(run_path(root), &d);
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
    cr_assert_eq(leftovers_below(root), 0);
    remove_root();
}

Test(output, null_batch)
{
    diag d;
    diag_init(&d);
    cr_assert_eq(output_batch_commit(NULL, &d), DIAG_SOFTWARE);
    cr_assert_null(output_batch_dir(NULL));
    cr_assert_eq(output_batch_withdraw(NULL, "x"), DIAG_SOFTWARE);
    output_lock_release(NULL);
}

/* Files are written and closed one at a time: a batch takes any number of them (the file
 * descriptors of the process would run out at a few hundred or a thousand otherwise). */
Test(output, any_number_of_files)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    diag d;
    output_batch *batch = open_batch(dir, &d);
    char name[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, i % 2 ? "charts/f%d.gp" : "f%d.csv", i);
        FILE *f = output_batch_open(batch, name, &d);
        cr_assert_not_null(f, "file %d: %s", i, d.message);
        fprintf(f, "%d\n", i);
        if (i % 3 == 0)
            cr_assert_not_null(output_batch_reserve(batch, (snprintf(name, sizeof name, "charts/r%d.png", i), name), &d),
                               "%s", d.message);
    }
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    cr_assert_str_eq(slurp(testutil_join(dir, "charts/f2999.gp")), "2999\n");
    cr_assert_str_eq(slurp(testutil_join(dir, "f0.csv")), "0\n");
    cr_assert_eq(leftovers_below(root), 0);
    remove_root();
}

Test(output, cleanup_on_signal_removes_the_staging_folder)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    diag d;
    output_batch *batch = open_batch_over_earlier(dir, "a.csv", "earlier\n", &d);
    fputs("new", output_batch_open(batch, "a.csv", &d));
    cr_assert_not_null(output_batch_open(batch, "charts/b.png", &d));
    cr_assert_not_null(output_batch_reserve(batch, "charts/c.png", &d));
    cr_assert_eq(leftovers_below(root), 2);
    output_cleanup_on_signal();
    cr_assert_eq(leftovers_below(root), 0, "the staging folder and the lock file are gone");
    cr_assert_str_eq(listing(dir), ".econsim-run a.csv");
    output_batch_abort(batch); /* removing what is already gone is harmless */
    cr_assert_str_eq(slurp(testutil_join(dir, "a.csv")), "earlier\n");
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
    const char *dir = run_path(root);
    commit_file(dir, "projection.csv", "earlier\n");
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
        output_batch *batch = output_batch_new(dir, &d);
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
    cr_assert_eq(leftovers_below(root), 0);
    cr_assert_str_eq(slurp(testutil_join(dir, "projection.csv")), "earlier\n");
    remove_root();
}

Test(output, every_allocation_failure_is_reported)
{
    const char *root = make_root();
    int committed = 0;
    for (long n = 0; n < 200 && !committed; n++) {
        diag d;
        diag_init(&d);
        mem_fail_after(n);
        output_batch *batch = output_batch_new(testutil_join(root, "run"), &d);
        FILE *f = NULL, *g = NULL;
        if (batch)
            f = output_batch_open(batch, "a.csv", &d);
        if (f) {
            fputs("a\n", f);
            g = output_batch_open(batch, "charts/b.csv", &d);
        }
        if (!g) {
            mem_fail_reset();
            cr_expect_eq(d.status, DIAG_SOFTWARE, "after %ld allocations: %s", n, d.message);
            cr_expect(strstr(d.message, "out of memory") != NULL, "%s", d.message);
            output_batch_abort(batch);
            continue;
        }
        fputs("b\n", g);
        int status = output_batch_commit(batch, &d);
        mem_fail_reset();
        if (status == DIAG_OK) {
            committed = 1;
        } else {
            cr_expect_eq(status, DIAG_SOFTWARE, "after %ld allocations: %s", n, d.message);
            cr_expect(strstr(d.message, "out of memory") != NULL, "%s", d.message);
        }
    }
    cr_assert(committed);
    cr_assert_eq(leftovers_below(root), 0);
    cr_assert_str_eq(slurp(testutil_join(root, "run/charts/b.csv")), "b\n");
    remove_root();
}

/* A file that another program writes (gnuplot drawing a chart): reserved, written through its
 * path in the staging folder, committed with the rest; a withdrawn one never appears. */
Test(output, reserved_files_are_committed_and_withdrawn_ones_vanish)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    diag d;
    output_batch *batch = open_batch(dir, &d);
    FILE *f = output_batch_open(batch, "summary.json", &d);
    fputs("{}\n", f);
    const char *drawn = output_batch_reserve(batch, "charts/gdp.png", &d);
    cr_assert_not_null(drawn, "%s", d.message);
    cr_assert(strstr(drawn, "/.run.econsim-stage.") != NULL && strstr(drawn, "/charts/gdp.png") != NULL, "%s", drawn);
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
    fresh_diag(&d);
    cr_assert_eq(output_batch_withdraw(batch, "charts/bad.png"), DIAG_OK);
    cr_assert_neq(access(failed_path, F_OK), 0, "the withdrawn file is removed at once");
    cr_assert_eq(output_batch_withdraw(batch, "charts/bad.png"), DIAG_SOFTWARE);
    cr_assert_eq(output_batch_withdraw(batch, "nothing.csv"), DIAG_SOFTWARE);
    cr_assert_neq(access(testutil_join(dir, "charts/gdp.png"), F_OK), 0, "nothing final before commit");
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
    cr_assert_str_eq(slurp(testutil_join(dir, "charts/gdp.png")), "image");
    cr_assert_str_eq(slurp(testutil_join(dir, "summary.json")), "{}\n");
    cr_assert_str_eq(listing(testutil_join(dir, "charts")), "gdp.png");
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
    cr_assert_eq(leftovers_below(root), 0);
    diag_free(&d);
    remove_root();
}

/* ---------------------------------------------------------------------------------------- */
/* Old or new, never a mix */

/* Writes the "new" run: three files, one in a subfolder, one drawn by "another program". */
static int write_new_run(const char *dir, diag *d)
{
    output_batch *batch = output_batch_new(dir, d);
    if (!batch)
        return d->status;
    FILE *f = output_batch_open(batch, "projection.csv", d);
    if (f)
        fputs("new projection\n", f);
    if (f && (f = output_batch_open(batch, "charts/gdp.gp", d)) != NULL)
        fputs("new script\n", f);
    const char *image = f ? output_batch_reserve(batch, "charts/gdp.png", d) : NULL;
    if (image) {
        FILE *g = fopen(image, "wb");
        fputs("new image\n", g);
        fclose(g);
    }
    if (image && (f = output_batch_open(batch, "summary.json", d)) != NULL)
        fputs("{\"new\": true}\n", f);
    if (!f || !image) {
        output_batch_abort(batch);
        return d->status;
    }
    return output_batch_commit(batch, d);
}

/* The old run: two files, one of them not in the new run. */
static void write_old_run(const char *dir)
{
    diag d;
    output_batch *batch = open_batch(dir, &d);
    fputs("old projection\n", output_batch_open(batch, "projection.csv", &d));
    fputs("old ensemble\n", output_batch_open(batch, "ensemble.csv", &d));
    cr_assert_eq(output_batch_commit(batch, &d), DIAG_OK, "%s", d.message);
}

static int is_old_run(const char *dir)
{
    return !strcmp(listing(dir), ".econsim-run ensemble.csv projection.csv") &&
           !strcmp(slurp(testutil_join(dir, "projection.csv")), "old projection\n") &&
           !strcmp(slurp(testutil_join(dir, "ensemble.csv")), "old ensemble\n");
}

static int is_new_run(const char *dir)
{
    return !strcmp(listing(dir), ".econsim-run charts projection.csv summary.json") &&
           !strcmp(listing(testutil_join(dir, "charts")), "gdp.gp gdp.png") &&
           !strcmp(slurp(testutil_join(dir, "projection.csv")), "new projection\n") &&
           !strcmp(slurp(testutil_join(dir, "charts/gdp.png")), "new image\n") &&
           !strcmp(slurp(testutil_join(dir, "summary.json")), "{\"new\": true}\n");
}

/* A full disk at each write in turn (the staging folder, every file, every close, the sync of
 * a file another program wrote, the marker, the swap) leaves the old folder whole and nothing
 * beside it; once every write succeeds, the new folder is there whole. Both commit paths. */
static void full_disk_at_every_write(int without_exchange)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    write_old_run(dir);
    output_test_without_exchange(without_exchange);
    long faults = 0;
    int committed = 0;
    for (long n = 0; n < 100 && !committed; n++) {
        diag d;
        diag_init(&d);
        output_fail_after(n);
        int status = write_new_run(dir, &d);
        output_fail_reset();
        if (status == DIAG_OK) {
            committed = 1;
            cr_assert(is_new_run(dir), "write %ld: not the new run: %s", n, listing(dir));
        } else {
            faults++;
            cr_assert_eq(status, DIAG_IO, "write %ld: %s", n, d.message);
            cr_assert(strstr(d.message, strerror(ENOSPC)) != NULL, "write %ld: %s", n, d.message);
            cr_assert(is_old_run(dir), "write %ld: not the old run: %s", n, listing(dir));
        }
        cr_assert_eq(leftovers_below(root), 0, "write %ld: something left beside the folder: %s", n, listing(root));
        diag_free(&d);
    }
    output_test_without_exchange(0);
    cr_assert(committed);
    cr_assert_geq(faults, 10, "only %ld writes were faulted", faults);
    remove_root();
}

Test(output, full_disk_at_every_write_leaves_old_or_new)
{
    full_disk_at_every_write(0);
}

Test(output, full_disk_at_every_write_without_renameat2)
{
    full_disk_at_every_write(1);
}

Test(output, rename_aside_commit_replaces_the_folder_whole)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    write_old_run(dir);
    output_test_without_exchange(1);
    diag d;
    diag_init(&d);
    cr_assert_eq(write_new_run(dir, &d), DIAG_OK, "%s", d.message);
    output_test_without_exchange(0);
    cr_assert(is_new_run(dir));
    cr_assert_str_eq(listing(root), "run");
    remove_root();
}

/* What a killed run leaves beside a folder is removed by the next run that takes the lock; a
 * folder renamed aside while the result folder is missing (a commit killed between its two
 * renames) is put back first. */
Test(output, what_killed_runs_left_is_cleaned_by_the_next_run)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    write_old_run(dir);
    /* a killed run's staging folder, with a subfolder, and a lock file it held */
    cr_assert_eq(mkdir(testutil_join(root, ".run.econsim-stage.999999.1"), 0755), 0);
    cr_assert_eq(mkdir(testutil_join(root, ".run.econsim-stage.999999.1/charts"), 0755), 0);
    write_plain_file(testutil_join(root, ".run.econsim-stage.999999.1/charts/half.png"), "half");
    write_plain_file(testutil_join(root, ".run.econsim-lock"), "");
    /* another folder's staging folder is not ours to remove */
    cr_assert_eq(mkdir(testutil_join(root, ".other.econsim-stage.999999.1"), 0755), 0);
    diag d;
    diag_init(&d);
    cr_assert_eq(write_new_run(dir, &d), DIAG_OK, "%s", d.message);
    cr_assert(is_new_run(dir));
    cr_assert_str_eq(listing(root), ".other.econsim-stage.999999.1 run");
    rmdir(testutil_join(root, ".other.econsim-stage.999999.1"));

    /* the result folder missing, the old one aside: it comes back, then the lock holder sees it */
    cr_assert_eq(rename(dir, testutil_join(root, ".run.econsim-old.999999")), 0);
    output_lock *lock = NULL;
    cr_assert_eq(output_lock_take(dir, 0, NULL, NULL, &lock, &d), DIAG_OK, "%s", d.message);
    cr_assert(is_new_run(dir), "the folder aside is back: %s", listing(root));
    cr_assert_str_eq(listing(root), ".run.econsim-lock run");
    output_lock_release(lock);
    cr_assert_str_eq(listing(root), "run");
    diag_free(&d);
    remove_root();
}

/* ---------------------------------------------------------------------------------------- */
/* Locks */

static void output_test_notice(const char *dir, void *arg)
{
    (void)dir;
    ++*(int *)arg;
}

/* One process at a time per result folder: a second waits (after a notice) or, without
 * waiting, fails at once; a batch opened under a held lock uses it. */
Test(output, one_writer_per_folder)
{
    const char *root = make_root();
    const char *dir = run_path(root);
    int to_child[2], to_parent[2];
    cr_assert_eq(pipe(to_child), 0);
    cr_assert_eq(pipe(to_parent), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        diag d;
        diag_init(&d);
        output_lock *lock = NULL;
        if (output_lock_take(dir, 0, NULL, NULL, &lock, &d) != DIAG_OK)
            _exit(1);
        char c = 'l';
        if (write(to_parent[1], &c, 1) != 1 || read(to_child[0], &c, 1) != 1)
            _exit(2);
        struct timespec pause = {0, 200 * 1000 * 1000}; /* let the parent start waiting */
        nanosleep(&pause, NULL);
        output_lock_release(lock);
        _exit(0);
    }
    char c;
    cr_assert_eq(read(to_parent[0], &c, 1), 1);
    diag d;
    diag_init(&d);
    output_lock *lock = NULL;
    cr_assert_eq(output_lock_take(dir, 0, NULL, NULL, &lock, &d), DIAG_CANT_CREATE);
    cr_assert(strstr(d.message, "run: error: another econsim is writing into this folder") != NULL, "%s", d.message);
    cr_assert(strstr(d.message, "(--no-wait)") != NULL, "%s", d.message);
    fresh_diag(&d);
    cr_assert_null(lock);
    cr_assert_eq(write(to_child[1], "go", 1), 1);
    int notices = 0;
    cr_assert_eq(output_lock_take(dir, 1, output_test_notice, &notices, &lock, &d), DIAG_OK, "%s", d.message);
    cr_assert_eq(notices, 1, "the waiting run said it waits");
    int status = 0;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the batch uses the lock this process holds (a second flock would wait for ever) */
    cr_assert_eq(write_new_run(dir, &d), DIAG_OK, "%s", d.message);
    cr_assert(is_new_run(dir));
    cr_assert_eq(output_lock_take(dir, 0, NULL, NULL, &(output_lock *){NULL}, &d), DIAG_SOFTWARE,
                 "locked twice by one process");
    output_lock_release(lock);
    cr_assert_eq(leftovers_below(root), 0);
    diag_free(&d);
    remove_root();
}

/* ---------------------------------------------------------------------------------------- */
