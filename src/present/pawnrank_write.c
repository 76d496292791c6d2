/* pawnrank_write.c: the PAWN ranking's table and pawn.csv (pawnrank_write.h). */
#include "i18n.h"
#include "pawnrank_write.h"
#include "text.h"

#include <math.h>
#include <stdio.h>

void pawnrank_print(FILE *out, const pawnrank_result *res, const goals_set *goals)
{
    fprintf(out, _("Which shocks move each goal (PAWN, from the %zu paths; %zu slices; 0 = no effect, 1 = all):\n"),
            res->n, res->slices);
    for (size_t g = 0; g < res->goal_count; g++) {
        const pawnrank_goal *rg = &res->goals[g];
        const goals_goal *goal = &goals->goals[rg->goal];
        fprintf(out, "  %s (%d):\n", text_safe(goal->id), goal->year);
        for (size_t r = 0; r < res->k; r++) {
            size_t j = rg->order[r];
            const pawn_index *x = &rg->index[j];
            char name[160];
            snprintf(name, sizeof name, "%s (%s)", res->names[j], rg->summary[j]);
            fprintf(out, "    %zu  ", r + 1);
            text_pad(out, name, 58, 1);
            fprintf(out, x->above_noise == 0 ? _(" %.3f  noise %.3f  (noise)\n") : _(" %.3f  noise %.3f\n"), x->value,
                    x->threshold);
        }
    }
}

int pawnrank_write(output_batch *batch, const pawnrank_result *res, const goals_set *goals, diag *d)
{
    FILE *f = output_batch_open(batch, "pawn.csv", d);
    if (!f)
        return d->status;
    fputs("goal,year,rank,input,summary,pawn,min,mean,median,max,threshold,above_noise,slices,paths\n", f);
    for (size_t g = 0; g < res->goal_count; g++) {
        const pawnrank_goal *rg = &res->goals[g];
        const goals_goal *goal = &goals->goals[rg->goal];
        for (size_t r = 0; r < res->k; r++) {
            size_t j = rg->order[r];
            const pawn_index *x = &rg->index[j];
            output_csv_field(f, goal->id);
            fprintf(f, ",%d,%zu,", goal->year, r + 1);
            output_csv_field(f, res->names[j]);
            fputc(',', f);
            output_csv_field(f, rg->summary[j]);
            double row[] = {x->value, x->min, x->mean, x->median, x->max, x->threshold};
            for (size_t c = 0; c < sizeof row / sizeof row[0]; c++) {
                fputc(',', f);
                output_csv_number(f, row[c]);
            }
            fprintf(f, ",%d,%zu,%zu\n", x->above_noise, x->slices, res->n);
        }
    }
    return DIAG_OK;
}
