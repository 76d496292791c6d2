/* goals.c: the goals of a scenario on its path (goals.h): the set, the status of each goal
 * (value, met, shortfall, first year met, the assumed inputs it rests on), the numbers with
 * their units that messages and tables show, and the engine that goal seek (goals_seek.c)
 * shares: every trial value of an instrument is put into a copy of the plan and the whole
 * model is run again, the way Excel's Goal Seek recalculates the sheet. A model run costs
 * microseconds here; the runs reuse one copy of the plan and one value buffer (no allocation
 * per evaluation). Goals are read by goals_load.c and written by goals_write.c. */
#include "goals_internal.h"
#include "i18n.h"
#include "mem.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* The set                                                                                    */

const char *const goals_kind_names[] = {"level", "growth", NULL};
const char *const goals_direction_names[] = {"at_least", "at_most", NULL};

static void goals_goal_release(goals_goal *goal)
{
    mem_free(goal->id);
    mem_free(goal->label);
    mem_free(goal->variable);
    mem_free(goal->solve);
    mem_free(goal->note);
    mem_free(goal->note_en);
    mem_free(goal->set_title);
    mem_free(goal->set_title_en);
    mem_free(goal->file);
}

static void goals_result_release(goals_result *result)
{
    for (size_t i = 0; i < result->assumed_count; i++)
        mem_free(result->assumed[i].note);
    mem_free(result->assumed);
    result->assumed = NULL;
    result->assumed_count = 0;
}

void goals_free(goals_set *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->count; i++) {
        goals_goal_release(&g->goals[i]);
        goals_result_release(&g->results[i]);
    }
    mem_free(g->goals);
    mem_free(g->results);
    mem_free(g);
}

int goals_find(const goals_set *g, const char *id)
{
    for (size_t i = 0; g && id && i < g->count; i++)
        if (!strcmp(g->goals[i].id, id))
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Running the model for a goal                                                               */

void goals_instrument_years(const goals_goal *goal, const run *r, int *from, int *to)
{
    if (r->model->slots[goal->solve_slot].kind == MODEL_PARAMETER) {
        *from = r->plan->first_year;
        *to = r->plan->end;
    } else {
        *from = goal->solve_from > r->plan->start ? goal->solve_from : r->plan->start;
        *to = goal->year;
    }
}

void goals_engine_close(goals_engine *e)
{
    sim_plan_free(e->plan);
    mem_free(e->values);
    mem_free(e->scratch);
    memset(e, 0, sizeof *e);
}

int goals_engine_open(goals_engine *e, const run *r, diag *d)
{
    memset(e, 0, sizeof *e);
    e->r = r;
    e->tried = NAN;
    e->plan = sim_plan_clone(r->plan);
    if (e->plan) {
        e->values = mem_alloc(sim_block_values_size(e->plan, 1) * sizeof *e->values + sizeof *e->values);
        e->scratch = mem_alloc(sim_block_scratch_size(e->plan, 1) * sizeof *e->scratch);
    }
    if (!e->plan || !e->values || !e->scratch) {
        goals_engine_close(e);
        return diag_oom(d, _("seeking a goal"));
    }
    return DIAG_OK;
}

void goals_engine_set(goals_engine *e, const goals_goal *goal, double x)
{
    int from, to;
    goals_instrument_years(goal, e->r, &from, &to);
    sim_plan_set_input(e->plan, goal->solve_slot, from, to, x);
    e->tried = x;
}

void goals_engine_run(goals_engine *e)
{
    sim_block_init(e->plan, 1, e->values);
    sim_block_run(e->plan, 1, e->values, e->scratch);
    e->evaluations++;
    if (e->broke)
        return;
    const sim_plan *plan = e->plan;
    for (size_t t = plan->compute_from; t < plan->years && !e->broke; t++)
        for (size_t o = 0; o < plan->model->order_count; o++) {
            size_t slot = plan->model->order[o], c = slot * plan->years + t;
            if ((plan->mode[c] == SIM_MODE_EQUATION || plan->mode[c] == SIM_MODE_GROWTH) && !isfinite(e->values[c])) {
                e->broke = 1;
                e->broke_at = e->tried;
                e->broke_slot = (int)slot;
                e->broke_year = plan->first_year + (int)t;
                e->broke_value = e->values[c];
                break;
            }
        }
}

int goals_engine_breakdown(const goals_engine *e, const goals_goal *goal, diag *d)
{
    const model *m = e->r->model;
    double value = e->broke_value;
    return diag_error_json(d, DIAG_SOFTWARE, goal->file, goal->json_path,
                           _("goal %s: goal seek tried %s = %.10g, and there %s in %d is %s: the model breaks down "
                           "inside the range [%g, %g] it searches (narrow it with the scenario's \"bounds\", or "
                           "guard the equation of %s)"),
                           goal->id, goal->solve, e->broke_at, m->slots[e->broke_slot].name, e->broke_year,
                           isnan(value) ? _("not a number (NaN)") : value > 0 ? _("infinite") : _("minus infinity"),
                           m->slots[goal->solve_slot].min, m->slots[goal->solve_slot].max, m->slots[e->broke_slot].name);
}

double goals_measure(const goals_goal *goal, const sim_plan *plan, const double *values, int year)
{
    int t = sim_plan_year_index(plan, year);
    if (t < 0)
        return NAN;
    size_t c = (size_t)goal->slot * plan->years + (size_t)t;
    if (plan->mode[c] == SIM_MODE_NONE)
        return NAN;
    if (goal->kind == GOALS_LEVEL)
        return values[c];
    if (t == 0 || plan->mode[c - 1] == SIM_MODE_NONE)
        return NAN;
    return values[c] / values[c - 1] - 1.0;
}

double goals_current_instrument(const goals_goal *goal, const run *r)
{
    const sim_plan *plan = r->plan;
    int t = r->model->slots[goal->solve_slot].kind == MODEL_PARAMETER ? 0 : sim_plan_year_index(plan, plan->start);
    return plan->base[(size_t)goal->solve_slot * plan->years + (size_t)t];
}

/* ------------------------------------------------------------------------------------------ */
/* Evaluating                                                                                 */

int goals_met_rule(int at_most, double target, double value)
{
    if (!isfinite(value))
        return 0;
    double tolerance = GOALS_MET_RTOL * fabs(target);
    return at_most ? value <= target + tolerance : value >= target - tolerance;
}

int goals_is_met(const goals_goal *goal, double value)
{
    return goals_met_rule(goal->direction != GOALS_AT_LEAST, goal->target, value);
}

/* Collects into found[] the cells of origin "initial" that cell `first` (and `second`, unless
 * (size_t)-1) depend on through equations, lags and growth chains. seen and stack hold one
 * entry per cell. */
static size_t goals_trace_initial(const sim_plan *plan, size_t first, size_t second, unsigned char *seen,
                                  size_t *stack, size_t *found)
{
    const model *m = plan->model;
    size_t cells = m->slot_count * plan->years, depth = 0, count = 0;
    memset(seen, 0, cells);
    stack[depth++] = first;
    seen[first] = 1;
    if (second != (size_t)-1 && !seen[second]) {
        stack[depth++] = second;
        seen[second] = 1;
    }
    while (depth > 0) {
        size_t c = stack[--depth];
        size_t slot = c / plan->years, t = c % plan->years;
        switch (plan->mode[c]) {
        case SIM_MODE_EQUATION: {
            size_t ref_count;
            const expr_ref *refs = expr_program_refs(m->slots[slot].program, &ref_count);
            for (size_t i = 0; i < ref_count; i++) {
                if ((size_t)refs[i].lag > t)
                    continue;
                size_t input = (size_t)refs[i].slot * plan->years + t - (size_t)refs[i].lag;
                if (!seen[input]) {
                    seen[input] = 1;
                    stack[depth++] = input;
                }
            }
            break;
        }
        case SIM_MODE_GROWTH:
            if (t > 0 && !seen[c - 1]) {
                seen[c - 1] = 1;
                stack[depth++] = c - 1;
            }
            break;
        case SIM_MODE_FIXED:
            if (plan->origin[c] == SIM_ORIGIN_INITIAL)
                found[count++] = c;
            break;
        default:
            break;
        }
    }
    return count;
}

/* Keeps the initial cells that move the goal's value and records them in result->assumed. */
static int goals_assumed_inputs(const goals_goal *goal, goals_result *result, const run *r, goals_engine *e,
                                const size_t *found, size_t found_count, diag *d)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    result->assumed = mem_calloc(found_count, sizeof *result->assumed);
    if (!result->assumed)
        return diag_oom(d, _("tracing a goal's inputs"));
    double reference = goals_measure(goal, plan, r->values, goal->year);
    for (size_t i = 0; i < found_count; i++) {
        size_t c = found[i];
        double saved = e->plan->base[c];
        e->plan->base[c] = saved != 0 ? saved * GOALS_INPUT_FACTOR : GOALS_INPUT_FROM_ZERO;
        goals_engine_run(e);
        double moved = goals_measure(goal, e->plan, e->values, goal->year);
        e->plan->base[c] = saved;
        double scale = fabs(reference) > 1 ? fabs(reference) : 1;
        if (isfinite(moved) && fabs(moved - reference) <= GOALS_INPUT_RTOL * scale)
            continue; /* a normalisation (such as a price base year) that the value does not rest on */
        goals_assumed_input *input = &result->assumed[result->assumed_count++];
        input->slot = (int)(c / plan->years);
        input->year = plan->first_year + (int)(c % plan->years);
        input->value = plan->base[c];
        /* the note of the file that set this very value, never a base's for a child's value */
        const scenario_source *source =
            scenario_series_source(scenario_initial(r->scenario, m->slots[input->slot].name), input->year);
        const char *note = scenario_source_note(source);
        if (note && !(input->note = mem_strdup(note)))
            return diag_oom(d, _("tracing a goal's inputs"));
    }
    return DIAG_OK;
}

int goals_evaluate(goals_set *g, const run *r, diag *d)
{
    const sim_plan *plan = r->plan;
    size_t cells = r->model->slot_count * plan->years;
    if (g->count == 0)
        return DIAG_OK;
    unsigned char *seen = mem_alloc(cells ? cells : 1);
    size_t *stack = mem_alloc((cells ? cells : 1) * sizeof *stack);
    size_t *found = mem_alloc((cells ? cells : 1) * sizeof *found);
    goals_engine engine = {0};
    int status = DIAG_OK;
    if (!seen || !stack || !found) {
        status = diag_oom(d, _("evaluating goals"));
        goto out;
    }
    for (size_t i = 0; i < g->count; i++) {
        const goals_goal *goal = &g->goals[i];
        goals_result *result = &g->results[i];
        goals_result_release(result);
        result->value = goals_measure(goal, plan, r->values, goal->year);
        result->met = goals_is_met(goal, result->value);
        result->shortfall = result->met || !isfinite(result->value) ? 0 : fabs(goal->target - result->value);
        if (!isfinite(result->value))
            result->shortfall = NAN;
        result->shortfall_percent = goal->target != 0 ? result->shortfall / fabs(goal->target) * 100.0 : NAN;
        result->first_year_met = 0;
        for (int year = plan->start; year <= plan->end; year++)
            if (goals_is_met(goal, goals_measure(goal, plan, r->values, year))) {
                result->first_year_met = year;
                break;
            }
        size_t t = (size_t)sim_plan_year_index(plan, goal->year);
        size_t cell = (size_t)goal->slot * plan->years + t;
        size_t count = goals_trace_initial(plan, cell, goal->kind == GOALS_GROWTH ? cell - 1 : (size_t)-1, seen,
                                           stack, found);
        if (count > 0) {
            if (!engine.plan && (status = goals_engine_open(&engine, r, d)) != DIAG_OK)
                goto out;
            if ((status = goals_assumed_inputs(goal, result, r, &engine, found, count, d)) != DIAG_OK)
                goto out;
        }
    }
out:
    goals_engine_close(&engine);
    mem_free(seen);
    mem_free(stack);
    mem_free(found);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Formatting numbers with units                                                              */

const char *goals_value_unit(const goals_goal *goal, const model *m)
{
    return goal->kind == GOALS_GROWTH ? "ratio" : m->slots[goal->slot].unit;
}

void goals_format_value(char *buf, size_t size, double value, const char *unit)
{
    units_format_value(buf, size, value, unit);
    if (!isfinite(value) || units_is_rate(unit) || !strcmp(unit, "count") || !strcmp(unit, "index") || !unit[0])
        return;
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s", unit);
}

void goals_format_difference(char *buf, size_t size, double value, const char *unit)
{
    if (isfinite(value) && units_is_rate(unit))
        snprintf(buf, size, "%.2f pp", value * 100.0);
    else
        goals_format_value(buf, size, value, unit);
}

void goals_format_years(char *buf, size_t size, const goals_goal *goal, const run *r)
{
    int from, to;
    goals_instrument_years(goal, r, &from, &to);
    if (r->model->slots[goal->solve_slot].kind == MODEL_PARAMETER)
        snprintf(buf, size, "%s", _("every year"));
    else if (from == to)
        snprintf(buf, size, "%d", from);
    else
        snprintf(buf, size, "%d-%d", from, to);
}

const char *goals_goal_note(const goals_goal *goal)
{
    return goal ? i18n_pick(goal->note, goal->note_en) : NULL;
}

const char *goals_goal_set_title(const goals_goal *goal)
{
    return goal ? i18n_pick(goal->set_title, goal->set_title_en) : NULL;
}
