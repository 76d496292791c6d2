/* fuzz_scenario.c: a scenario file end to end, short of running ensembles and sweeps: the
 * loader (extends included), binding to its model and history, the deterministic path, and
 * the parsers of every block: goals (with goal files), peers, uncertainty, sweep and charts.
 *
 * The input is written as scenarios/input.json inside a private folder that mirrors the
 * source tree (models/, data/ and every shipped scenario linked in), so a seed such as
 * linzhou-2023-risk.json resolves its extends, model, history and goal files as it does in
 * the repository. */
#include "fuzz_common.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "charts.h"
#include "diag.h"
#include "ensemble.h"
#include "goals.h"
#include "mem.h"
#include "peers.h"
#include "run.h"
#include "sweep.h"

#ifndef FUZZ_SOURCE_ROOT
#define FUZZ_SOURCE_ROOT "."
#endif

static char fuzz_links[128][512];
static int fuzz_link_count;

static void fuzz_link(const char *target, const char *name)
{
    if (fuzz_link_count >= 128)
        return;
    char *path = fuzz_links[fuzz_link_count];
    snprintf(path, sizeof fuzz_links[0], "%s/%s", fuzz_dir(), name);
    if (symlink(target, path) == 0)
        fuzz_link_count++;
}

static void fuzz_unlink_all(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/input.json", fuzz_dir());
    unlink(path);
    for (int i = fuzz_link_count - 1; i >= 0; i--)
        unlink(fuzz_links[i]);
    snprintf(path, sizeof path, "%s/scenarios", fuzz_dir());
    rmdir(path);
}

static void fuzz_mirror_tree(void)
{
    char path[512];
    fuzz_link(FUZZ_SOURCE_ROOT "/models", "models");
    fuzz_link(FUZZ_SOURCE_ROOT "/data", "data");
    fuzz_link(FUZZ_SOURCE_ROOT "/plots", "plots");
    snprintf(path, sizeof path, "%s/scenarios", fuzz_dir());
    mkdir(path, 0700);
    DIR *dir = opendir(FUZZ_SOURCE_ROOT "/scenarios");
    struct dirent *entry;
    while (dir && (entry = readdir(dir))) {
        size_t len = strlen(entry->d_name);
        if (len < 6 || strcmp(entry->d_name + len - 5, ".json"))
            continue;
        char target[512], name[512];
        snprintf(target, sizeof target, "%s/scenarios/%s", FUZZ_SOURCE_ROOT, entry->d_name);
        snprintf(name, sizeof name, "scenarios/%s", entry->d_name);
        fuzz_link(target, name);
    }
    if (dir)
        closedir(dir);
    atexit(fuzz_unlink_all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        cJSON_Hooks hooks = {mem_alloc, mem_free};
        cJSON_InitHooks(&hooks);
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
    run *r = run_load(path, &d);
    if (r && run_simulate(r, &d) == DIAG_OK) {
        goals_set *goals = goals_load(r, &d);
        if (goals)
            goals_evaluate(goals, r, &d);
        if (r->scenario->peers)
            peers_comparison_free(peers_compare(r, &d));
        ensemble_spec *spec = NULL;
        if (ensemble_load(r, 0, 0, 0, &spec, &d) == DIAG_OK)
            ensemble_spec_free(spec);
        if (r->scenario->sweep)
            sweep_spec_free(sweep_parse(r, r->scenario->sweep, NULL, &d));
        charts_options options;
        if (charts_options_load(r, NULL, 0, &options, &d) == DIAG_OK)
            charts_options_release(&options);
        goals_free(goals);
    }
    run_free(r);
    diag_free(&d);
    return 0;
}
