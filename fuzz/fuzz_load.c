/* fuzz_load.c: the validated loader (load_scenario) over any scenario file, with the promise
 * of issue 10 checked on every input: no crash, and an input either loads or is refused with
 * at least one diagnostic that says where (a file, and a line or a JSON path in it). A refusal
 * without a location aborts, so the fuzzer reports it like a crash.
 *
 * The input is written as scenarios/input.json in a folder that mirrors the source tree
 * (fuzz_mirror_tree), so it may extend the shipped scenarios and name the shipped model,
 * observations and goal files. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "load.h"

/* 1 when d holds an error located in a file: "file:line:col", "file: $.path" or "file: ...". */
static int fuzz_located(const diag *d)
{
    for (size_t i = 0; i < d->error_count; i++)
        if (d->errors[i].file && d->errors[i].file[0])
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (!fuzz_dir())
            return 0;
        fuzz_mirror_tree();
        ready = 1;
    }
    const char *path = fuzz_write_file("scenarios/input.json", data, size);
    if (!path)
        return 0;
    diag d;
    diag_init(&d);
    load_result in;
    int status = load_scenario(path, NULL, &in, &d);
    if (status != DIAG_OK && !fuzz_located(&d)) {
        fprintf(stderr, "fuzz_load: refused without a located diagnostic (status %d): %s\n", status, d.message);
        abort();
    }
    if (status == DIAG_OK && d.error_count != 0) {
        fprintf(stderr, "fuzz_load: loaded with %zu errors\n", d.error_count);
        abort();
    }
    load_release(&in);
    diag_free(&d);
    return 0;
}
