/* session.h: what the commands of one econsim process share: the start-up (allocation hooks,
 * GSL's error handler, Ctrl-C and SIGTERM), the program's name in messages, diagnostics on
 * standard error, and inputs found in the installed share folder. */
#ifndef SESSION_H
#define SESSION_H

#include "diag.h"

/* The name every message starts with ("econsim: error: ..."). */
#define SESSION_PROGRAM "econsim"

/* Prepares the process, once, before any command: cJSON allocates through mem.h (so the
 * fault-injection hook and the failure count see its allocations), GSL reports failures by
 * status instead of aborting, and SIGINT/SIGTERM stop a run cleanly: the first one during an
 * ensemble or sweep stops the engine between blocks (the command then ends with
 * DIAG_INTERRUPTED and writes nothing); a second one, or one at any other time, kills the
 * gnuplot processes, removes the staging folders and ends the process with DIAG_INTERRUPTED,
 * earlier results untouched. */
void session_init(void);

/* A line written to standard error (as is; static storage) when SIGINT or SIGTERM first
 * arrives, e.g. by the MPI driver: mpirun stops every rank with SIGTERM when one dies, and
 * rank 0 then says so. NULL: none. */
void session_set_signal_note(const char *note);

/* An input named relative to the source tree is also looked for in the share folder
 * (search_path_share_dir: the installed one beside the program), first as given, then among
 * its scenarios: `econsim run scenarios/linzhou-baseline.json` and `econsim run
 * linzhou-baseline.json` work from any folder after `make install`. Returns the path to use:
 * arg itself, or static storage (valid until the next call). */
const char *session_find_input(const char *arg);

/* Prints the warnings and errors of d to standard error (diag_print), located by line where
 * a JSON path allows (jsonfile_locate_diag), after whatever went to standard output (flushed
 * first, so the two never interleave when they go to one file). */
void session_print_diag(diag *d);

/* Prints "econsim: error: out of memory" to standard error, for the commands' own
 * bookkeeping, which has no diag to report to. Returns DIAG_SOFTWARE. */
int session_out_of_memory(void);

#endif
