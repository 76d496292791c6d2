/* sim_nowcast.c: nowcast consistency. Where the data fix an equation's result and all but one
 * of its inputs, the remaining input is what the data say, not what the scenario assumed:
 * observed nominal GDP and real growth give the deflator's growth (so the real growth the
 * goals read is the observed one), and an assumption replaced that way, or by an observation
 * of its own, is reported once ("2023: the scenario assumed X, the data says Y"). Values
 * before start that an equation computes from assumptions are estimates, never history. */
#include "sim_internal.h"
#include "i18n.h"
#include "mem.h"
#include "range.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Relative tolerance of the solved input (the equation then meets the observation to about
 * 1e-12 of its value). */
#define SIM_NOWCAST_RTOL 1e-14
#define SIM_NOWCAST_MAX_ITERATIONS 200
/* Half-width of the bracket on an open side of an input's range, in units of |assumption| + 1. */
#define SIM_NOWCAST_OPEN_REACH 1000.0

/* One equation cell evaluated with its input slot set to x, on a copy of the fixed values. */
typedef struct nowcast_eval {
    const sim_plan *plan;
    size_t variable, t, input_cell;
    double *values;   /* copy of plan->base */
    double *scratch;
    double target;    /* the observation */
} nowcast_eval;

static double nowcast_residual(double x, void *param)
{
    nowcast_eval *e = param;
    const sim_plan *plan = e->plan;
    e->values[e->input_cell] = x;
    expr_frame frame = {.data = e->values, .slot_stride = plan->years, .year_stride = 1, .year_index = e->t,
                        .lanes = 1, .year = plan->first_year + (int)e->t};
    double out;
    expr_program_eval(plan->model->slots[e->variable].program, &frame, &out, e->scratch);
    return out - e->target;
}

/* The one assumed exogenous input (lag 0) of variable v's equation in year index t when every
 * other input is a fixed value (an observation, an initial value, a parameter, or an input
 * solved earlier); -1 otherwise. */
static int sole_assumed_input(const sim_plan *plan, size_t v, size_t t)
{
    const model *m = plan->model;
    size_t ref_count;
    const expr_ref *refs = expr_program_refs(m->slots[v].program, &ref_count);
    int input = -1;
    for (size_t r = 0; r < ref_count; r++) {
        size_t slot = (size_t)refs[r].slot;
        if ((size_t)refs[r].lag > t)
            return -1;
        size_t c = sim_cell(plan, slot, t - (size_t)refs[r].lag);
        if (plan->mode[c] != SIM_MODE_FIXED)
            return -1;
        if (refs[r].lag == 0 && m->slots[slot].kind == MODEL_EXOGENOUS && plan->origin[c] == SIM_ORIGIN_ASSUMED) {
            if (input >= 0 && (size_t)input != slot)
                return -1; /* two assumptions: the data do not say which */
            input = (int)slot;
        }
    }
    return input;
}

/* Solves for input in year index t so that v's equation gives its observation. Returns 1 with
 * *x set, 0 when no value within the input's range does (an open side is bracketed at
 * SIM_NOWCAST_OPEN_REACH around the assumption), -1 when out of memory. */
static int solve_input(const sim_plan *plan, size_t v, size_t input, size_t t, double *x)
{
    const model *m = plan->model;
    range rg = range_of_slot(&m->slots[input]);
    size_t cells = m->slot_count * plan->years;
    /* an open side of the range: a wide bracket around the assumption (an equation that is not
     * finite there gives no root, and the assumption stays) */
    double assumed = plan->base[sim_cell(plan, input, t)], reach = SIM_NOWCAST_OPEN_REACH * (fabs(assumed) + 1);
    if (!isfinite(rg.min))
        rg.min = assumed - reach;
    if (!isfinite(rg.max))
        rg.max = assumed + reach;
    nowcast_eval e = {.plan = plan, .variable = v, .t = t, .input_cell = sim_cell(plan, input, t),
                      .target = plan->base[sim_cell(plan, v, t)]};
    e.values = mem_alloc(cells * sizeof *e.values);
    e.scratch = mem_alloc((m->scratch ? m->scratch : 1) * sizeof *e.scratch);
    if (!e.values || !e.scratch) {
        mem_free(e.values);
        mem_free(e.scratch);
        return -1;
    }
    memcpy(e.values, plan->base, cells * sizeof *e.values);
    double lo = rg.min, hi = rg.max, f_lo = nowcast_residual(lo, &e), f_hi = nowcast_residual(hi, &e);
    int found = 0;
    if (isfinite(f_lo) && isfinite(f_hi) && (f_lo == 0 || f_hi == 0 || (f_lo < 0) != (f_hi < 0))) {
        if (f_lo == 0 || f_hi == 0) {
            *x = f_lo == 0 ? lo : hi;
            found = 1;
        } else {
            gsl_function fn = {.function = nowcast_residual, .params = &e};
            gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
            if (!solver) {
                mem_free(e.values);
                mem_free(e.scratch);
                return -1;
            }
            gsl_root_fsolver_set(solver, &fn, lo, hi);
            for (int i = 0; i < SIM_NOWCAST_MAX_ITERATIONS; i++) {
                if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
                    break;
                lo = gsl_root_fsolver_x_lower(solver);
                hi = gsl_root_fsolver_x_upper(solver);
                if (gsl_root_test_interval(lo, hi, 1e-300, SIM_NOWCAST_RTOL) == GSL_SUCCESS) {
                    found = 1;
                    break;
                }
            }
            *x = gsl_root_fsolver_root(solver);
            gsl_root_fsolver_free(solver);
        }
    }
    mem_free(e.values);
    mem_free(e.scratch);
    return found;
}

/* Appends an override of (slot, t) whose data value is plan->base of that cell. */
static int add_override(sim_plan *plan, const scenario *s, size_t slot, size_t t, int solved_from)
{
    const model_slot *ms = &plan->model->slots[slot];
    int year = plan->first_year + (int)t;
    const scenario_series *assumption = scenario_assumption(s, ms->name);
    double assumed;
    int by_scenario = assumption && scenario_series_value(assumption, year, &assumed);
    if (!by_scenario)
        assumed = ms->value;
    sim_override *bigger = mem_realloc(plan->overrides, (plan->override_count + 1) * sizeof *bigger);
    if (!bigger)
        return DIAG_SOFTWARE;
    plan->overrides = bigger;
    size_t c = sim_cell(plan, slot, t);
    plan->overrides[plan->override_count++] = (sim_override){
        .slot = (int)slot, .year = year, .assumed = assumed, .data = plan->base[c], .solved_from = solved_from,
        .by_scenario = by_scenario, .row = plan->source[c]};
    return DIAG_OK;
}

static int override_order(const void *a, const void *b)
{
    const sim_override *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return (x->slot > y->slot) - (x->slot < y->slot);
}

int sim_nowcast(sim_plan *plan, const scenario *s, diag *d)
{
    const model *m = plan->model;
    size_t start_t = (size_t)(plan->start - plan->first_year);
    for (size_t t = 1; t < plan->years; t++)
        for (size_t o = 0; o < m->order_count; o++) {
            size_t v = m->order[o];
            size_t c = sim_cell(plan, v, t);
            if (plan->origin[c] != SIM_ORIGIN_OBSERVED)
                continue;
            if (plan->source[c] && plan->source[c]->series_break && plan->source[c]->series_break[0])
                continue; /* a new basis: last year's level is not on it */
            int input = sole_assumed_input(plan, v, t);
            if (input < 0)
                continue;
            double x;
            int found = solve_input(plan, v, (size_t)input, t, &x);
            if (found < 0)
                return diag_oom(d, _("the nowcast"));
            int year = plan->first_year + (int)t;
            if (!found) {
                diag_warning(d, _("%s in %d is observed, but no %s within its range gives it: the assumption of %s "
                                "stays for %d"),
                             m->slots[v].name, year, m->slots[input].name, m->slots[input].name, year);
                continue;
            }
            size_t ic = sim_cell(plan, (size_t)input, t);
            plan->base[ic] = x;
            plan->origin[ic] = SIM_ORIGIN_DERIVED;
            plan->source[ic] = plan->source[c];
            if (t >= start_t && add_override(plan, s, (size_t)input, t, (int)v) != DIAG_OK)
                return diag_oom(d, _("the nowcast"));
        }
    /* exogenous series observed in the projection years */
    for (size_t t = start_t; t < plan->years; t++)
        for (size_t slot = 0; slot < m->slot_count; slot++)
            if (m->slots[slot].kind == MODEL_EXOGENOUS &&
                plan->origin[sim_cell(plan, slot, t)] == SIM_ORIGIN_OBSERVED &&
                add_override(plan, s, slot, t, -1) != DIAG_OK)
                return diag_oom(d, _("the nowcast"));
    if (plan->override_count > 1)
        qsort(plan->overrides, plan->override_count, sizeof *plan->overrides, override_order);
    return DIAG_OK;
}

void sim_mark_estimates(sim_plan *plan)
{
    const model *m = plan->model;
    size_t start_t = (size_t)(plan->start - plan->first_year);
    for (size_t t = 0; t < start_t && t < plan->years; t++)
        for (size_t o = 0; o < m->order_count; o++) {
            size_t v = m->order[o];
            size_t c = sim_cell(plan, v, t);
            if (plan->mode[c] != SIM_MODE_EQUATION)
                continue;
            size_t ref_count;
            const expr_ref *refs = expr_program_refs(m->slots[v].program, &ref_count);
            for (size_t r = 0; r < ref_count; r++) {
                sim_origin input = (sim_origin)plan->origin[sim_cell(plan, (size_t)refs[r].slot,
                                                                     t - (size_t)refs[r].lag)];
                if (input == SIM_ORIGIN_ASSUMED || input == SIM_ORIGIN_ESTIMATED) {
                    plan->origin[c] = SIM_ORIGIN_ESTIMATED;
                    break;
                }
            }
        }
}
