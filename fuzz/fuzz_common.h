/* fuzz_common.h: helpers shared by the fuzz harnesses. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* The source tree the harness was built in (the Makefile passes it). */
#ifndef FUZZ_SOURCE_ROOT
#define FUZZ_SOURCE_ROOT "."
#endif

/* Writes data[0..size) to `name` inside a private temporary folder (made once per process)
 * and returns the file's path (static storage). Returns NULL when the file cannot be written. */
const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size);

/* The private temporary folder (after the first fuzz_write_file). */
const char *fuzz_dir(void);

/* Makes the private folder look like the source tree: models/, data/ and plots/ linked, and
 * every shipped scenario linked into scenarios/, so that an input written as
 * scenarios/input.json resolves its extends, model, history and goal files as a shipped
 * scenario does. Once per process; undone at exit. */
void fuzz_mirror_tree(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process, as main() does for the program: cJSON allocates through mem_*, and GSL
 * reports errors by status instead of aborting. libFuzzer calls it; replay.c too. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
