/* command_peers.c: `econsim peers FILE...` (also `compare`, its old name): each scenario's place
 * against its peers. */
#include "i18n.h"
#include "command.h"
#include "folders.h"
#include "load.h"
#include "mem.h"
#include "peers.h"
#include "peers_write.h"
#include "results.h"
#include "session.h"
#include "text.h"

#include <stdio.h>

/* Compares one scenario's home place with its peers; with dir, also writes dir/peers.csv. */
static int compare_one(const char *file, const char *dir, const command_options *opt)
{
    diag d;
    diag_init(&d);
    peers_comparison *c = NULL;
    folders locked = {.no_wait = opt->no_wait};
    load_result in = {0};
    load_scenario(session_find_input(file), NULL, &in, &d);
    run *r = in.run;
    if (r && !in.peers)
        diag_error_json(&d, DIAG_DATA, r->scenario->path, "$",
                        _("the scenario has no \"peers\" block: add one like \"peers\": {\"places\": [\"长垣市\", "
                        "\"辉县市\"], \"variables\": [\"fiscal_revenue\"], \"growth\": \"trend\"}"));
    if (r && dir && d.status == DIAG_OK)
        folders_lock_one(&locked, dir, &d);
    if (r && d.status == DIAG_OK && run_simulate(r, &d) == DIAG_OK && (c = peers_compare(r, in.peers, &d)) != NULL) {
        int written = 1;
        if (dir) {
            output_batch *batch = output_batch_new(dir, &d);
            FILE *f = batch ? output_batch_open(batch, "peers.csv", &d) : NULL;
            if (f)
                peers_write_csv(f, c);
            written = results_commit(batch, NULL, f ? DIAG_OK : d.status, &d) == DIAG_OK;
        }
        if (written && !opt->quiet) {
            peers_print_table(stdout, c);
            if (dir)
                printf(_("results: %s/peers.csv\n\n"), text_safe(dir));
        }
    }
    session_print_diag(&d);
    int status = d.status;
    diag_free(&d);
    peers_comparison_free(c);
    load_release(&in);
    folders_release(&locked);
    return status;
}

int command_peers(char *const *files, size_t count, const command_options *opt)
{
    int several = count > 1;
    int worst = DIAG_OK, status;
    char base[4096];
    if (opt->output_dir &&
        (status = folders_resolve_printed(opt->output_dir, opt->follow_symlinks, base, sizeof base)) != DIAG_OK)
        return status;
    char **names = mem_calloc(count, sizeof *names);
    if (!names)
        return session_out_of_memory();
    /* each scenario in its own folder, named as `run` names it, checked before anything runs */
    if (opt->output_dir && several)
        worst = folders_scenario_names(files, count, base, NULL, names);
    int ready = worst == DIAG_OK;
    for (size_t i = 0; ready && i < count; i++) {
        char dir[4096 + 256];
        if (opt->output_dir && several)
            snprintf(dir, sizeof dir, "%s/%s", base, names[i] ? names[i] : "scenario");
        else if (opt->output_dir)
            snprintf(dir, sizeof dir, "%s", base);
        status = compare_one(files[i], opt->output_dir ? dir : NULL, opt);
        if (status != DIAG_OK && worst == DIAG_OK)
            worst = status;
    }
    for (size_t i = 0; i < count; i++)
        mem_free(names[i]);
    mem_free(names);
    return worst;
}
