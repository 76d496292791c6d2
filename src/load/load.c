/* load.c: one scenario loaded whole (load.h).
 *
 * The order follows what each part needs: the run first (the scenario with its extends
 * chain, the model it names, the history, validated together, and the plan), then the goals
 * (which the sweep's met: outputs name), then the other blocks. Each block is read even when
 * an earlier part failed, as long as what it needs is there, so that a planner who made three
 * mistakes in three blocks hears of all three in one run. */
#include "load.h"
#include "i18n.h"
#include "jsonfile.h"

#include <cjson/cJSON.h>
#include <string.h>

void load_release(load_result *l)
{
    charts_options_release(&l->charts);
    discover_spec_free(l->sweep_discover);
    discover_spec_free(l->ensemble_discover);
    sweep_spec_free(l->sweep);
    ensemble_spec_free(l->ensemble);
    peers_spec_free(l->peers);
    goals_free(l->goals);
    run_free(l->run);
    memset(l, 0, sizeof *l);
}

int load_scenario(const char *path, const load_options *opt, load_result *out, diag *d)
{
    static const load_options defaults;
    if (!opt)
        opt = &defaults;
    memset(out, 0, sizeof *out);
    run_load_options run_options = {.as_of = opt->as_of};
    int status = run_load_checked_with(path, &run_options, &out->run, d);
    run *r = out->run;
    /* without the scenario and its model there is nothing to read the blocks against; without
     * a plan (no start or end, or other mistakes) the blocks that need the years are skipped */
    if (!r || status == DIAG_SOFTWARE || !r->plan) {
        load_release(out);
        return d->status != DIAG_OK ? d->status : diag_error(d, DIAG_SOFTWARE, _("loading %s failed"), path);
    }
    if (!(out->goals = goals_load(r, d)))
        status = d->status;
    if (status != DIAG_SOFTWARE && peers_load(r, &out->peers, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE &&
        ensemble_load(r, opt->paths, opt->seed_given, opt->seed, &out->ensemble, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && (r->scenario->sweep || opt->sweep_required) &&
        !(out->sweep = sweep_parse(r, r->scenario->sweep, &opt->sweep, d)))
        status = d->status;
    if (status != DIAG_SOFTWARE && out->goals && r->scenario->uncertainty &&
        discover_load(r, out->goals, r->scenario->uncertainty, "$.uncertainty", 0, &out->ensemble_discover, d) !=
            DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && out->goals && r->scenario->sweep &&
        discover_load(r, out->goals, r->scenario->sweep, "$.sweep", out->sweep && out->sweep->method == SWEEP_OAT,
                      &out->sweep_discover, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && charts_options_load(r, &opt->charts, &out->charts, d) != DIAG_OK)
        status = d->status;
    if (d->status != DIAG_OK) {
        load_release(out);
        return d->status;
    }
    return DIAG_OK;
}

load_file_kind load_classify(const char *path, size_t *goal_count)
{
    diag d;
    diag_init(&d);
    cJSON *root = jsonfile_load(path, &d);
    load_file_kind kind = LOAD_FILE_SCENARIO;
    jsonfile_drop_comments(root); /* "_" comment keys say nothing about the kind */
    if (root && cJSON_IsObject(root)) {
        const cJSON *goals = cJSON_GetObjectItemCaseSensitive(root, "goals");
        int only_goal_keys = 1;
        for (const cJSON *c = root->child; c; c = c->next)
            only_goal_keys &= c->string && (!strcmp(c->string, "goals") || !strcmp(c->string, "title") ||
                                            !strcmp(c->string, "note") || !strcmp(c->string, "title_en") ||
                                            !strcmp(c->string, "note_en"));
        if (cJSON_GetObjectItemCaseSensitive(root, "variables"))
            kind = LOAD_FILE_MODEL;
        else if (cJSON_IsArray(goals) && only_goal_keys) {
            kind = LOAD_FILE_GOALS;
            *goal_count = (size_t)cJSON_GetArraySize(goals);
        }
    }
    cJSON_Delete(root);
    diag_free(&d);
    return kind;
}
