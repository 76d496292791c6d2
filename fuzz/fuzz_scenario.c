/* fuzz_scenario.c: a scenario file end to end, short of running ensembles and sweeps: the
 * loader (extends included, every block read by load_scenario), the deterministic path, the
 * goals on it and the peers comparison.
 *
 * The input is written as scenarios/input.json inside a private folder that mirrors the
 * source tree (models/, data/ and every shipped scenario linked in), so a seed such as
 * linzhou-2023-risk.json resolves its extends, model, history and goal files as it does in
 * the repository. */
#include "fuzz_common.h"

#include <stdlib.h>

#include "diag.h"
#include "load.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (!fuzz_dir())
            return 0;
        fuzz_mirror_tree();
        setenv("ECONSIM_PLOTS", FUZZ_SOURCE_ROOT "/plots", 1);
        ready = 1;
    }
    const char *path = fuzz_write_file("scenarios/input.json", data, size);
    if (!path)
        return 0;
    diag d;
    diag_init(&d);
    load_result in;
    if (load_scenario(path, NULL, &in, &d) == DIAG_OK && run_simulate(in.run, &d) == DIAG_OK) {
        goals_evaluate(in.goals, in.run, &d);
        if (in.peers)
            peers_comparison_free(peers_compare(in.run, in.peers, &d));
    }
    load_release(&in);
    diag_free(&d);
    return 0;
}
