/* output.h: result folders that always hold one whole run.
 *
 * A result folder is what one command writes for one scenario: `run` writes DIR (or
 * DIR/<name>/ for each of several scenarios, and DIR/comparison/), `sweep` its folder, `solve`
 * out/<name>-solve/ or DIR. A batch writes every file of a result folder into a fresh staging
 * folder beside it (.<name>.econsim-stage.*), then commits the whole folder in one step:
 * renameat2(RENAME_EXCHANGE) swaps it with the old folder, which is then removed (where the
 * file system cannot swap, the old folder is renamed aside first). So an interrupt, a kill or
 * a full disk at any moment leaves the old folder or the new one, never a mix, and the new
 * folder holds exactly this run's files.
 *
 * econsim replaces only a folder it made: one that holds its marker file OUTPUT_MARKER, or an
 * empty one. Anything else (a planner's own folder, `-o .`) is refused with DIAG_CANT_CREATE
 * and never touched. A symbolic link as the result folder is refused too: the run would
 * replace the link, not what it points to (main resolves it under --follow-symlinks). Nothing
 * inside an output folder is ever followed: files are created with O_EXCL|O_NOFOLLOW in the
 * fresh staging folder, and removal never descends through a link.
 *
 * One run at a time per result folder: a lock (flock on .<name>.econsim-lock beside the
 * folder) is held from output_lock_take (or output_batch_new) to the commit. Whoever holds it
 * first removes what killed runs left beside the folder (staging folders, and a folder renamed
 * aside, which it puts back when the commit was cut short between the two renames). */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "diag.h"

/* The marker file in every result folder econsim writes. */
#define OUTPUT_MARKER ".econsim-run"

/* ---------------------------------------------------------------------------------------- */
/* Locks */

typedef struct output_lock output_lock;

/* Called once, before blocking, when another process holds the lock of `dir`. */
typedef void (*output_wait_notice)(const char *dir, void *arg);

/* Takes the lock of result folder `dir` (creating its parent folders when missing), waiting
 * for another process that holds it when `wait` (notice, when not NULL, is called first), else
 * failing at once with DIAG_CANT_CREATE ("another econsim is writing ..."). Then checks that
 * the folder may be replaced: missing, empty or marked as econsim's, and neither a symbolic
 * link nor a file (DIAG_CANT_CREATE with the reason otherwise), and removes what killed runs
 * left beside it. A batch for `dir` opened while the lock is held uses it. *out gets the lock;
 * returns a DIAG_ status. Locks are per process and not thread-safe: take and release them
 * from one thread. */
int output_lock_take(const char *dir, int wait, output_wait_notice notice, void *arg, output_lock **out, diag *d);

/* Releases the lock (removing its lock file) and frees it; NULL is a no-op. */
void output_lock_release(output_lock *lock);

/* Resolves a folder given with -o that is a symbolic link to the folder it points to (which
 * must exist): writes the path to use into out and returns DIAG_OK. A folder that is not a
 * link is written back as it is. With follow_symlinks 0 a link is refused (DIAG_CANT_CREATE,
 * saying to give the folder itself or --follow-symlinks). */
int output_target_resolve(const char *dir, int follow_symlinks, char *out, size_t size, diag *d);

/* ---------------------------------------------------------------------------------------- */
/* Batches */

typedef struct output_batch output_batch;

/* Starts a batch for result folder `dir`: takes its lock unless this process holds it already
 * (output_lock_take, waiting without notice), checks the folder may be replaced, and makes a
 * fresh staging folder beside it with mode 0777 less the umask. Returns NULL with
 * DIAG_CANT_CREATE and the path in d when any of that fails (DIAG_SOFTWARE when memory runs
 * out, DIAG_IO for a full disk). Batches are used from one thread. */
output_batch *output_batch_new(const char *dir, diag *d);

/* Opens `name` (a plain file name built by the program, possibly with subfolders such as
 * "charts/gdp.png"; never a user string) for writing in the batch, created in the staging
 * folder with mode 0666 less the umask; missing subfolders are made. Only one stream of a
 * batch is open at a time: this call first closes the stream opened before (flushed and
 * synced), so the number of files a run writes has no limit. The stream stays valid until the
 * next output_batch_open, output_batch_reserve, output_batch_commit or output_batch_abort of
 * the batch; never fclose it. Returns NULL with the error in d: DIAG_CANT_CREATE for a name
 * that is empty, absolute, holds a "." or ".." part or was already used in the batch, or a
 * file that cannot be created; DIAG_IO when the previous file could not be written (a full
 * disk). */
FILE *output_batch_open(output_batch *batch, const char *name, diag *d);

/* Reserves `name` for a file that another program writes, such as a chart that gnuplot draws:
 * creates it empty exactly as output_batch_open does (same checks, same errors) and returns its
 * path in the staging folder, owned by the batch and valid until commit, abort or
 * output_batch_withdraw. The other program writes that path (truncating it); commit syncs it
 * with the other files. NULL with the error in d. */
const char *output_batch_reserve(output_batch *batch, const char *name, diag *d);

/* Takes `name` back out of the batch (a chart that failed to draw): removes its file from the
 * staging folder, so the committed folder does not have it. Returns DIAG_OK, or DIAG_SOFTWARE
 * when the batch has no such file (a caller's mistake). */
int output_batch_withdraw(output_batch *batch, const char *name);

/* The result folder as given to output_batch_new (for messages and the summary). */
const char *output_batch_dir(const output_batch *batch);

/* Ends the batch: closes the last stream, syncs every file (a write that failed, a full disk:
 * DIAG_IO naming the file), writes OUTPUT_MARKER, syncs the staging folder, then puts it in
 * place of the result folder in one step and removes the old one (a warning in d when some of
 * it cannot be removed). On any error before that step nothing changed: the staging folder
 * is removed and the old folder stays whole. Releases the lock when the batch took it, frees
 * the batch either way (NULL: DIAG_SOFTWARE). Returns a DIAG_ status. */
int output_batch_commit(output_batch *batch, diag *d);

/* Removes the staging folder and frees the batch (releasing a lock it took); NULL is a no-op. */
void output_batch_abort(output_batch *batch);

/* Removes the staging folders of every batch still open, puts back a folder a commit had
 * renamed aside, and removes the lock files held. Async-signal-safe (open, getdents64,
 * unlinkat, renameat only): for a SIGINT or SIGTERM handler, so a run stopped midway leaves
 * neither a half-written file nor a staging folder. Batches are not freed: the handler is
 * expected to end the process. */
void output_cleanup_on_signal(void);

/* ---------------------------------------------------------------------------------------- */
/* Test hooks */

/* After `successes` more successful writes (creating a folder or a file, closing a written
 * file, syncing a file another program wrote, the commit's rename), every further one fails
 * as a full disk would (ENOSPC) until output_fail_reset(); a negative value disables the hook.
 * For tests that prove a full disk at any write leaves the old folder or the new one. */
void output_fail_after(long successes);
void output_fail_reset(void);

/* With on = 1, commits as on a file system that cannot swap two folders: the old folder is
 * renamed aside, the new one put in place, the old one removed (the path taken where
 * renameat2 fails with EINVAL or ENOSYS). For tests of that path; 0 restores the swap. */
void output_test_without_exchange(int on);

/* Milliseconds to pause at each step of a commit (before the swap, after it, before the old
 * folder is removed), so that a test can kill a run inside its commit; 0 disables. Also set
 * from the environment variable ECONSIM_TEST_COMMIT_PAUSE_MS when a batch starts. */
void output_commit_pause(long milliseconds);

/* ---------------------------------------------------------------------------------------- */
/* Numbers and CSV fields */

/* Formats a double with the fewest significant digits that read back to the same value
 * (at most 17), in the C locale: 0.1 -> "0.1", 709.99199999999996 -> "709.992" only if that
 * round-trips. NaN and infinities are written as "" (an empty CSV field). buf >= 32 bytes. */
void output_format_number(char *buf, double value);

/* Writes one CSV field with RFC 4180 quoting (quotes when it holds , " CR or LF, or starts or
 * ends with a space or tab, which some readers trim; doubles "). NULL writes an empty field. */
void output_csv_field(FILE *f, const char *text);

/* Writes a number field (output_format_number). */
void output_csv_number(FILE *f, double value);

#endif
