/* summary_pawnrank.c: the "pawn" part of summary.json (summary.h). */
#include "summary.h"
#include "summary_internal.h"

#include <cjson/cJSON.h>

summary_part *summary_pawnrank(const pawnrank_result *res, const goals_set *goals)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    summary_add_string(root, "method", "PAWN from given data (Pianosi and Wagener 2018): median over slices of the "
                                       "Kolmogorov-Smirnov distance; threshold: 95% quantile of 200 random slicings");
    summary_add_number(root, "paths", (double)res->n);
    summary_add_number(root, "slices", (double)res->slices);
    cJSON *list = cJSON_AddArrayToObject(root, "goals");
    int ok = list != NULL;
    for (size_t g = 0; ok && g < res->goal_count; g++) {
        const pawnrank_goal *rg = &res->goals[g];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            ok = 0;
            break;
        }
        /* item belongs to the list from here on */
        cJSON *ranked = cJSON_AddArrayToObject(item, "ranking");
        if (!(ok = ranked != NULL))
            break;
        summary_add_string(item, "goal", goals->goals[rg->goal].id);
        for (size_t r = 0; ok && r < res->k; r++) {
            size_t j = rg->order[r];
            cJSON *one = cJSON_CreateObject();
            ok = one && cJSON_AddItemToArray(ranked, one);
            if (!ok) {
                cJSON_Delete(one);
                break;
            }
            summary_add_string(one, "input", res->names[j]);
            summary_add_string(one, "summary", rg->summary[j]);
            summary_add_number(one, "pawn", rg->index[j].value);
            summary_add_number(one, "threshold", rg->index[j].threshold);
            ok = summary_add_item(one, "above_noise", cJSON_CreateBool(rg->index[j].above_noise == 1)) == DIAG_OK;
        }
    }
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}
