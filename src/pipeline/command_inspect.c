/* command_inspect.c: the commands that read files and write nothing: `check` (validate),
 * `list` (a model's names, a scenario's resolved inputs) and `explain` (where each value
 * comes from). */
#include "i18n.h"
#include "command.h"
#include "explain.h"
#include "load.h"
#include "model_load.h"
#include "peers.h"
#include "session.h"
#include "text.h"

#include <stdio.h>

/* The growth rules of a peers block can only be checked against the data: the years over
 * which each peer is projected start after its last value. So check builds the comparison as
 * `run` does, on the deterministic path (milliseconds), and keeps its errors; its warnings
 * are run's to print. */
static void check_peers(const load_result *in, diag *d)
{
    if (!in->peers)
        return;
    diag scratch;
    diag_init(&scratch);
    peers_comparison *c = NULL;
    if (run_simulate(in->run, &scratch) == DIAG_OK)
        c = peers_compare(in->run, in->peers, &scratch);
    peers_comparison_free(c);
    diag_drop_warnings(&scratch);
    diag_merge(d, &scratch);
}

/* Checks one file of `check` into d, printing "FILE: ok (...)" unless quiet. */
static void check_one(const char *arg, int quiet, diag *d)
{
    const char *file = session_find_input(arg);
    size_t goal_count = 0;
    load_file_kind kind = load_classify(file, &goal_count);
    if (kind == LOAD_FILE_MODEL) {
        model *m = model_load(file, d);
        if (m && !quiet)
            printf(_("%s: ok (model \"%s\": %zu names, %zu equations)\n"), text_safe(arg), text_safe(m->name),
                   m->slot_count, m->order_count);
        model_free(m);
    } else if (kind == LOAD_FILE_GOALS) {
        /* its goals name model variables and years, which only a scenario that includes it
         * can check: the scenario's check reads the goal file with every location */
        if (!quiet)
            printf(_("%s: ok as JSON (goal file: %zu goals; their variables, years and instruments are checked "
                   "with the scenario that includes it)\n"),
                   text_safe(arg), goal_count);
    } else {
        /* everything a run would load, every block checked: the same mistakes as `run` */
        load_result in;
        if (load_scenario(file, NULL, &in, d) == DIAG_OK)
            check_peers(&in, d);
        if (d->status == DIAG_OK && !quiet)
            printf(_("%s: ok (scenario \"%s\", %d-%d, model %s)\n"), text_safe(arg), text_safe(in.run->scenario->name),
                   in.run->scenario->start, in.run->scenario->end, text_safe(in.run->model->path));
        load_release(&in);
    }
}

int command_check(char *const *files, size_t count, const command_options *opt)
{
    int worst = DIAG_OK;
    for (size_t i = 0; i < count; i++) {
        diag d;
        diag_init(&d);
        check_one(files[i], opt->quiet, &d);
        session_print_diag(&d);
        if (d.status != DIAG_OK && worst == DIAG_OK)
            worst = d.status;
        diag_free(&d);
    }
    return worst;
}

int command_list(const char *arg)
{
    const char *file = session_find_input(arg);
    diag d;
    diag_init(&d);
    size_t goal_count = 0;
    load_file_kind kind = load_classify(file, &goal_count);
    if (kind == LOAD_FILE_MODEL) {
        model *m = model_load(file, &d);
        if (m)
            explain_list_model(stdout, m);
        model_free(m);
    } else if (kind == LOAD_FILE_GOALS) {
        diag_error_file(&d, DIAG_DATA, file,
                        _("this is a goal file (%zu goals): list takes a model or a scenario; its goals are read with "
                        "the scenario that names it"),
                        goal_count);
    } else {
        load_result in;
        if (load_scenario(file, NULL, &in, &d) == DIAG_OK) {
            explain_list_model(stdout, in.run->model);
            explain_list_scenario(stdout, in.run);
        }
        load_release(&in);
    }
    session_print_diag(&d);
    int status = d.status;
    diag_free(&d);
    return status;
}

int command_explain(const char *file, const char *variable)
{
    diag d;
    diag_init(&d);
    load_result in;
    if (load_scenario(session_find_input(file), NULL, &in, &d) == DIAG_OK) {
        int slot = -1;
        const model *m = in.run->model;
        if (variable && (slot = model_resolve(m, variable)) < 0) {
            char hint[768];
            model_name_hint(m, variable, MODEL_KINDS_ALL, hint, sizeof hint);
            diag_error(&d, DIAG_USAGE, _("\"%s\" is not a name or label of %s%s"), variable, m->path, hint);
        } else {
            explain_scenario(stdout, in.run, slot);
        }
    }
    load_release(&in);
    session_print_diag(&d);
    int status = d.status;
    diag_free(&d);
    return status;
}
