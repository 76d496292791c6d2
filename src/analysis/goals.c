/* goals.c: goals of a scenario: reading them (from the scenario and from goal files),
 * their status on the scenario's path, and goal seek on the whole model.
 *
 * Goal seek never uses a rule of thumb: every trial value of an instrument is put into a copy
 * of the plan and the whole model is run again, the way Excel's Goal Seek recalculates the
 * sheet. One goal: the instrument's [min, max] range is scanned on a grid for a sign change of
 * (value - target), and Brent's method (gsl_root_fsolver_brent) narrows the bracket to
 * GOALS_ROOT_RTOL; without a sign change the target is out of reach and the best attainable
 * value is reported. Several goals at once: GSL's hybrid multiroot solver on the scaled
 * residuals. A model run costs microseconds here, so a few hundred per goal are nothing; the
 * runs reuse one copy of the plan and one value buffer (no allocation per evaluation).
 *
 * The section "Reading goals" turns JSON into goals_goal; "Evaluating" fills goals_result;
 * "Seeking" and "Joint solve" answer what it would take; the rest writes and prints. */
#include "goals.h"
#include "mem.h"
#include "output.h"
#include "report.h"
#include "text.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

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
    mem_free(goal->set_title);
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

/* A private copy of the plan and buffers for repeated runs. */
typedef struct goals_engine {
    const run *r;
    sim_plan *plan;
    double *values;
    double *scratch;
    int evaluations;
    double tried;     /* the instrument value of the last run (NaN before one) */
    int broke;        /* 1 once a run computed a value that is not a finite number */
    double broke_at;  /* ... the instrument value of that run */
    int broke_slot;   /* ... and the first cell that went non-finite */
    int broke_year;
    double broke_value; /* ... and what it was (NaN or an infinity) */
} goals_engine;

static void goals_engine_close(goals_engine *e)
{
    sim_plan_free(e->plan);
    mem_free(e->values);
    mem_free(e->scratch);
    memset(e, 0, sizeof *e);
}

static int goals_engine_open(goals_engine *e, const run *r, diag *d)
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
        return diag_oom(d, "seeking a goal");
    }
    return DIAG_OK;
}

/* The years an instrument is set for a goal: an exogenous series from start to the goal year;
 * a parameter in every year. */
static void goals_instrument_years(const goals_goal *goal, const run *r, int *from, int *to)
{
    if (r->model->slots[goal->solve_slot].kind == MODEL_PARAMETER) {
        *from = r->plan->first_year;
        *to = r->plan->end;
    } else {
        *from = r->plan->start;
        *to = goal->year;
    }
}

static void goals_engine_set(goals_engine *e, const goals_goal *goal, double x)
{
    int from, to;
    goals_instrument_years(goal, e->r, &from, &to);
    sim_plan_set_input(e->plan, goal->solve_slot, from, to, x);
    e->tried = x;
}

/* Runs the model; the first run whose computed values are not all finite numbers is recorded
 * (the instrument value, and the first variable and year that broke), so the seek can stop
 * with a message instead of handing a NaN to GSL. */
static void goals_engine_run(goals_engine *e)
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

/* The error for a seek whose model broke down: the goal, the instrument value tried and the
 * variable that went non-finite (DIAG_SOFTWARE: a numerical failure, exit 70). */
static int goals_engine_breakdown(const goals_engine *e, const goals_goal *goal, diag *d)
{
    const model *m = e->r->model;
    double value = e->broke_value;
    return diag_error_json(d, DIAG_SOFTWARE, goal->file, goal->json_path,
                           "goal %s: goal seek tried %s = %.10g, and there %s in %d is %s: the model breaks down "
                           "inside the range [%g, %g] it searches (narrow it with the scenario's \"bounds\", or "
                           "guard the equation of %s)",
                           goal->id, goal->solve, e->broke_at, m->slots[e->broke_slot].name, e->broke_year,
                           isnan(value) ? "not a number (NaN)" : value > 0 ? "infinite" : "minus infinity",
                           m->slots[goal->solve_slot].min, m->slots[goal->solve_slot].max, m->slots[e->broke_slot].name);
}

/* The goal's measure in `year` on a path: the level, or the growth over the year before.
 * NaN when a cell has no value. */
static double goals_measure(const goals_goal *goal, const sim_plan *plan, const double *values, int year)
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

/* The instrument's value in the scenario: in the start year (a parameter: its value). */
static double goals_current_instrument(const goals_goal *goal, const run *r)
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

static int goals_is_met(const goals_goal *goal, double value)
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
        return diag_oom(d, "tracing a goal's inputs");
    double reference = goals_measure(goal, plan, r->values, goal->year);
    for (size_t i = 0; i < found_count; i++) {
        size_t c = found[i];
        double saved = e->plan->base[c];
        e->plan->base[c] = saved != 0 ? saved * 1.01 : 0.01;
        goals_engine_run(e);
        double moved = goals_measure(goal, e->plan, e->values, goal->year);
        e->plan->base[c] = saved;
        double scale = fabs(reference) > 1 ? fabs(reference) : 1;
        if (isfinite(moved) && fabs(moved - reference) <= 1e-9 * scale)
            continue; /* a normalisation (such as a price base year) that the value does not rest on */
        goals_assumed_input *input = &result->assumed[result->assumed_count++];
        input->slot = (int)(c / plan->years);
        input->year = plan->first_year + (int)(c % plan->years);
        input->value = plan->base[c];
        /* the note of the file that set this very value, never a base's for a child's value */
        const scenario_source *source =
            scenario_series_source(scenario_initial(r->scenario, m->slots[input->slot].name), input->year);
        if (source && source->note && !(input->note = mem_strdup(source->note)))
            return diag_oom(d, "tracing a goal's inputs");
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
        status = diag_oom(d, "evaluating goals");
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

/* The unit of a goal's value: the variable's, or "ratio" for growth. */
static const char *goals_value_unit(const goals_goal *goal, const model *m)
{
    return goal->kind == GOALS_GROWTH ? "ratio" : m->slots[goal->slot].unit;
}

/* A value in its unit for display: "50.00亿元", "8.00%", "1604", "1.5396". */
static void goals_format(char *buf, size_t size, double value, const char *unit)
{
    report_format_value(buf, size, value, unit);
    if (!isfinite(value) || model_unit_is_rate(unit) || !strcmp(unit, "count") || !strcmp(unit, "index") || !unit[0])
        return;
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s", unit);
}

/* A difference in its unit: percentage points for rates. */
static void goals_format_difference(char *buf, size_t size, double value, const char *unit)
{
    if (isfinite(value) && model_unit_is_rate(unit))
        snprintf(buf, size, "%.2f pp", value * 100.0);
    else
        goals_format(buf, size, value, unit);
}

/* The years an instrument is held, for messages: "2023-2025", "2023", "every year". */
static void goals_format_years(char *buf, size_t size, const goals_goal *goal, const run *r)
{
    int from, to;
    goals_instrument_years(goal, r, &from, &to);
    if (r->model->slots[goal->solve_slot].kind == MODEL_PARAMETER)
        snprintf(buf, size, "every year");
    else if (from == to)
        snprintf(buf, size, "%d", from);
    else
        snprintf(buf, size, "%d-%d", from, to);
}

/* ------------------------------------------------------------------------------------------ */
/* Seeking one goal                                                                           */

typedef struct goals_seek_context {
    goals_engine *engine;
    const goals_goal *goal;
    double sign; /* for minimisation: -1 maximises the value */
} goals_seek_context;

/* value(x) - target on the whole model */
static double goals_seek_residual(double x, void *params)
{
    goals_seek_context *context = params;
    goals_engine_set(context->engine, context->goal, x);
    goals_engine_run(context->engine);
    return goals_measure(context->goal, context->engine->plan, context->engine->values, context->goal->year) -
           context->goal->target;
}

/* sign * value(x): minimised to find the best attainable value */
static double goals_seek_objective(double x, void *params)
{
    goals_seek_context *context = params;
    return context->sign * (goals_seek_residual(x, params) + context->goal->target);
}

/* Brent's method on a bracket [lo, hi] with a sign change; *root gets the answer. Returns a
 * GSL status (GSL_SUCCESS, GSL_ENOMEM, GSL_EBADFUNC, GSL_EMAXITER, ...). */
static int goals_brent(goals_seek_context *context, double lo, double hi, double range, double *root)
{
    gsl_function function = {goals_seek_residual, context};
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        return GSL_ENOMEM;
    int status = gsl_root_fsolver_set(solver, &function, lo, hi);
    for (int iteration = 0; status == GSL_SUCCESS; iteration++) {
        if (iteration >= GOALS_MAX_ITERATIONS) {
            status = GSL_EMAXITER;
            break;
        }
        status = gsl_root_fsolver_iterate(solver);
        if (status != GSL_SUCCESS)
            break;
        double lower = gsl_root_fsolver_x_lower(solver), upper = gsl_root_fsolver_x_upper(solver);
        /* relative width, with an absolute floor for roots at 0 */
        if (gsl_root_test_interval(lower, upper, 1e-15 * range, GOALS_ROOT_RTOL) == GSL_SUCCESS)
            break;
    }
    *root = gsl_root_fsolver_root(solver);
    gsl_root_fsolver_free(solver);
    return status;
}

/* Refines the best grid point x[k] (strictly better than x[k-1] and x[k+1]) by Brent
 * minimisation of sign * value. */
static void goals_refine_best(goals_seek_context *context, double lo, double guess, double hi, double *best_x,
                              double *best_value)
{
    gsl_function function = {goals_seek_objective, context};
    gsl_min_fminimizer *minimizer = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!minimizer)
        return;
    int status = gsl_min_fminimizer_set(minimizer, &function, guess, lo, hi);
    for (int iteration = 0; status == GSL_SUCCESS && iteration < GOALS_MAX_ITERATIONS; iteration++) {
        status = gsl_min_fminimizer_iterate(minimizer);
        if (status != GSL_SUCCESS)
            break;
        double a = gsl_min_fminimizer_x_lower(minimizer), b = gsl_min_fminimizer_x_upper(minimizer);
        if (gsl_min_test_interval(a, b, 1e-15 * (hi - lo), 1e-10) == GSL_SUCCESS)
            break;
    }
    if (status == GSL_SUCCESS) {
        double x = gsl_min_fminimizer_x_minimum(minimizer);
        double value = context->sign * gsl_min_fminimizer_f_minimum(minimizer);
        if (isfinite(value) && context->sign * value < context->sign * *best_value) {
            *best_x = x;
            *best_value = value;
        }
    }
    gsl_min_fminimizer_free(minimizer);
}

int goals_seek(const goals_set *g, size_t index, const run *r, goals_seek_result *out, diag *d)
{
    const goals_goal *goal = &g->goals[index];
    const model *m = r->model;
    memset(out, 0, sizeof *out);
    out->required = out->best_instrument = out->best_value = NAN;
    if (goal->solve_slot < 0)
        return DIAG_OK;
    const model_slot *instrument = &m->slots[goal->solve_slot];
    const char *unit = goals_value_unit(goal, m);
    out->min = instrument->min;
    out->max = instrument->max;
    out->current = goals_current_instrument(goal, r);
    goals_instrument_years(goal, r, &out->from_year, &out->to_year);

    goals_engine engine;
    if (goals_engine_open(&engine, r, d) != DIAG_OK)
        return d->status;
    goals_seek_context context = {&engine, goal, goal->direction == GOALS_AT_LEAST ? -1.0 : 1.0};
    double xs[GOALS_SCAN_INTERVALS + 1], fs[GOALS_SCAN_INTERVALS + 1];
    double range = out->max - out->min;
    for (int k = 0; k <= GOALS_SCAN_INTERVALS; k++) {
        xs[k] = k == GOALS_SCAN_INTERVALS ? out->max : out->min + range * k / GOALS_SCAN_INTERVALS;
        fs[k] = goals_seek_residual(xs[k], &context);
    }
    /* the sign change (or exact hit) nearest the scenario's own value */
    int chosen = -1;
    double chosen_distance = INFINITY;
    for (int k = 0; k <= GOALS_SCAN_INTERVALS; k++) {
        int exact = fs[k] == 0;
        int change = k < GOALS_SCAN_INTERVALS && isfinite(fs[k]) && isfinite(fs[k + 1]) && fs[k] * fs[k + 1] < 0;
        if (!exact && !change)
            continue;
        double lo = xs[k], hi = exact ? xs[k] : xs[k + 1];
        double distance = out->current < lo ? lo - out->current : out->current > hi ? out->current - hi : 0;
        if (distance < chosen_distance) {
            chosen_distance = distance;
            chosen = k;
        }
    }
    char a[64], b[64], c[64], years[32];
    goals_format_years(years, sizeof years, goal, r);
    if (chosen >= 0) {
        double root = xs[chosen];
        int status = GSL_SUCCESS;
        if (fs[chosen] != 0)
            status = goals_brent(&context, xs[chosen], xs[chosen + 1], range, &root);
        if (status == GSL_ENOMEM) {
            goals_engine_close(&engine);
            return diag_oom(d, "seeking a goal");
        }
        double residual = goals_seek_residual(root, &context);
        if (engine.broke) {
            status = goals_engine_breakdown(&engine, goal, d);
            goals_engine_close(&engine);
            return status;
        }
        double scale = fabs(goal->target) > 1 ? fabs(goal->target) : 1;
        if (status != GSL_SUCCESS) {
            out->status = GOALS_SEEK_FAILED;
            snprintf(out->message, sizeof out->message, "Brent's method failed between %s = %.10g and %.10g: %s",
                     goal->solve, xs[chosen], xs[chosen + 1], gsl_strerror(status));
        } else if (!isfinite(residual) || fabs(residual) > 1e-6 * scale) {
            /* a bracket around a jump (an if() in an equation), not a root */
            out->status = GOALS_SEEK_FAILED;
            goals_format(a, sizeof a, residual + goal->target, unit);
            snprintf(out->message, sizeof out->message,
                     "the value jumps across the target near %s = %.10g (it is %s there): no value meets it exactly",
                     goal->solve, root, a);
        } else {
            out->status = GOALS_SEEK_FOUND;
            out->required = root;
            /* the side that meets the goal: the direction and how the value responds around the root */
            int lo = chosen, hi = fs[chosen] != 0 ? chosen + 1 : chosen + 1 <= GOALS_SCAN_INTERVALS ? chosen + 1 : chosen;
            if (fs[chosen] == 0 && lo > 0)
                lo = chosen - 1;
            double response = fs[hi] - fs[lo];
            int rising = response > 0;
            if (response == 0)
                out->bound = GOALS_BOUND_EXACT;
            else
                out->bound = (goal->direction == GOALS_AT_LEAST) == rising ? GOALS_BOUND_AT_LEAST : GOALS_BOUND_AT_MOST;
            /* equal within the solver's precision counts as satisfied: 8% for a root at 8% */
            double slack = 1e-9 * (fabs(root) > 1e-3 ? fabs(root) : 1e-3);
            out->scenario_satisfies = (out->bound == GOALS_BOUND_AT_LEAST && out->current >= root - slack) ||
                                      (out->bound == GOALS_BOUND_AT_MOST && out->current <= root + slack);
            report_format_value(a, sizeof a, root, instrument->unit);
            report_format_value(b, sizeof b, out->current, instrument->unit);
            if (out->bound == GOALS_BOUND_EXACT)
                snprintf(out->message, sizeof out->message, "%s = %s (%s) meets the target exactly", goal->solve, a,
                         years);
            else
                snprintf(out->message, sizeof out->message,
                         "%s %s %s (%s) meets the goal (%s meets the target exactly); the scenario's %s %s", goal->solve,
                         out->bound == GOALS_BOUND_AT_LEAST ? "at least" : "at most", a, years, a, b,
                         out->scenario_satisfies ? "already satisfies it" : "does not");
        }
        out->evaluations = engine.evaluations;
        goals_engine_close(&engine);
        return DIAG_OK;
    }
    if (engine.broke) {
        int status = goals_engine_breakdown(&engine, goal, d);
        goals_engine_close(&engine);
        return status;
    }
    /* no sign change: the best attainable value on the grid, refined inside the range */
    int best = -1;
    double lowest = INFINITY, highest = -INFINITY;
    for (int k = 0; k <= GOALS_SCAN_INTERVALS; k++) {
        if (!isfinite(fs[k]))
            continue;
        double value = fs[k] + goal->target;
        if (value < lowest)
            lowest = value;
        if (value > highest)
            highest = value;
        if (best < 0 || context.sign * value < context.sign * (fs[best] + goal->target))
            best = k;
    }
    if (best < 0) { /* cannot happen: a non-finite value stops the seek above */
        out->status = GOALS_SEEK_FAILED;
        snprintf(out->message, sizeof out->message,
                 "the model gives no finite value of %s in %d for any %s in [%g, %g]", goal->variable, goal->year,
                 goal->solve, out->min, out->max);
        out->evaluations = engine.evaluations;
        goals_engine_close(&engine);
        return DIAG_OK;
    }
    out->best_instrument = xs[best];
    out->best_value = fs[best] + goal->target;
    double spread = highest - lowest, magnitude = fmax(fabs(highest), fabs(lowest));
    if (spread <= 1e-12 * (magnitude > 1 ? magnitude : 1)) {
        out->status = GOALS_SEEK_NO_EFFECT;
        out->best_instrument = out->current;
        goals_format(a, sizeof a, out->best_value, unit);
        snprintf(out->message, sizeof out->message,
                 "%s does not move %s in %d: it stays %s for every %s in [%g, %g] (%s)", goal->solve,
                 goal->variable, goal->year, a, goal->solve, out->min, out->max, years);
    } else {
        if (best > 0 && best < GOALS_SCAN_INTERVALS && isfinite(fs[best - 1]) && isfinite(fs[best + 1]) &&
            context.sign * fs[best] < context.sign * fs[best - 1] && context.sign * fs[best] < context.sign * fs[best + 1])
            goals_refine_best(&context, xs[best - 1], xs[best], xs[best + 1], &out->best_instrument, &out->best_value);
        if (engine.broke) {
            int status = goals_engine_breakdown(&engine, goal, d);
            goals_engine_close(&engine);
            return status;
        }
        if (out->best_value < lowest)
            lowest = out->best_value;
        if (out->best_value > highest)
            highest = out->best_value;
        /* the reason that holds: how far the instrument's whole range moves the value */
        out->status = GOALS_SEEK_UNREACHABLE;
        char low_text[64], high_text[64];
        goals_format(a, sizeof a, goal->target, unit);
        goals_format(b, sizeof b, out->best_value, unit);
        goals_format(low_text, sizeof low_text, lowest, unit);
        goals_format(high_text, sizeof high_text, highest, unit);
        report_format_value(c, sizeof c, out->best_instrument, instrument->unit);
        char lo[48], hi[48];
        report_format_value(lo, sizeof lo, out->min, instrument->unit);
        report_format_value(hi, sizeof hi, out->max, instrument->unit);
        snprintf(out->message, sizeof out->message,
                 "unreachable: over %s from %s to %s (held %s), %s%s in %d ranges from %s to %s, all %s the target "
                 "%s; the closest is %s, at %s = %s",
                 goal->solve, lo, hi, years, goal->kind == GOALS_GROWTH ? "the growth of " : "", goal->variable,
                 goal->year, low_text, high_text, goal->direction == GOALS_AT_LEAST ? "below" : "above", a, b,
                 goal->solve, c);
    }
    out->evaluations = engine.evaluations;
    goals_engine_close(&engine);
    return DIAG_OK;
}

int goals_seek_all(goals_set *g, const run *r, diag *d)
{
    for (size_t i = 0; i < g->count; i++) {
        if (g->goals[i].solve_slot < 0)
            continue;
        goals_seek_result *seek = &g->results[i].seek;
        if (goals_seek(g, i, r, seek, d) != DIAG_OK)
            return d->status;
        if (seek->status != GOALS_SEEK_FOUND)
            diag_warning(d, "goal %s: %s", g->goals[i].id, seek->message);
    }
    return DIAG_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Joint solve                                                                                */

typedef struct goals_joint_context {
    goals_engine *engine;
    const goals_set *set;
    const size_t *goals;
    size_t count;
    int broke_down; /* the solver asked for a value at a point that is not a number */
    double broke_x[GOALS_MAX]; /* the instruments of the first run whose model broke down */
    double best_norm;   /* the smallest sum of squared scaled residuals seen ... */
    double best[GOALS_MAX]; /* ... and the (clamped) instruments that gave it */
} goals_joint_context;

static double goals_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static double goals_scale(const goals_goal *goal)
{
    return goal->target != 0 ? fabs(goal->target) : 1.0;
}

/* Sets every instrument (clamped to its range) and runs the model. */
static void goals_joint_run(goals_joint_context *context, const double *x)
{
    const model *m = context->engine->r->model;
    for (size_t i = 0; i < context->count; i++) {
        const goals_goal *goal = &context->set->goals[context->goals[i]];
        const model_slot *instrument = &m->slots[goal->solve_slot];
        goals_engine_set(context->engine, goal, goals_clamp(x[i], instrument->min, instrument->max));
    }
    int broke = context->engine->broke;
    goals_engine_run(context->engine);
    if (!broke && context->engine->broke)
        for (size_t i = 0; i < context->count; i++) {
            const goals_goal *goal = &context->set->goals[context->goals[i]];
            const model_slot *instrument = &m->slots[goal->solve_slot];
            context->broke_x[i] = goals_clamp(x[i], instrument->min, instrument->max);
        }
}

/* The scaled residuals (value - target) / |target| of every goal. */
static int goals_joint_residuals(const gsl_vector *x, void *params, gsl_vector *f)
{
    goals_joint_context *context = params;
    double point[GOALS_MAX] = {0};
    for (size_t i = 0; i < context->count; i++) {
        point[i] = gsl_vector_get(x, i);
        if (isnan(point[i])) {
            context->broke_down = 1;
            return GSL_EBADFUNC;
        }
    }
    goals_joint_run(context, point);
    double norm = 0;
    for (size_t i = 0; i < context->count; i++) {
        const goals_goal *goal = &context->set->goals[context->goals[i]];
        double value = goals_measure(goal, context->engine->plan, context->engine->values, goal->year);
        if (!isfinite(value))
            return GSL_EBADFUNC;
        double residual = (value - goal->target) / goals_scale(goal);
        gsl_vector_set(f, i, residual);
        norm += residual * residual;
    }
    if (norm < context->best_norm) {
        const model *m = context->engine->r->model;
        context->best_norm = norm;
        for (size_t i = 0; i < context->count; i++) {
            const model_slot *instrument = &m->slots[context->set->goals[context->goals[i]].solve_slot];
            context->best[i] = goals_clamp(point[i], instrument->min, instrument->max);
        }
    }
    return GSL_SUCCESS;
}

void goals_joint_free(goals_joint *joint)
{
    if (!joint)
        return;
    mem_free(joint->goals);
    mem_free(joint->instrument);
    mem_free(joint->value);
    mem_free(joint->residual);
    mem_free(joint);
}

/* Checks the selection: every goal has an instrument, no instrument twice. */
static int goals_joint_check(const goals_set *g, const size_t *goal_index, size_t count, diag *d)
{
    if (count == 0 || count > GOALS_MAX)
        return diag_error(d, DIAG_USAGE, "a joint solve needs between 1 and %d goals", GOALS_MAX);
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        if (goal->solve_slot < 0)
            return diag_error(d, DIAG_USAGE,
                              "goal %s has no \"solve\": a joint solve needs one instrument per goal (add \"solve\" at "
                              "%s: %s)",
                              goal->id, goal->file, goal->json_path);
        for (size_t k = 0; k < i; k++) {
            const goals_goal *other = &g->goals[goal_index[k]];
            if (goal_index[k] == goal_index[i])
                return diag_error(d, DIAG_USAGE, "goal %s is given twice", goal->id);
            if (other->solve_slot == goal->solve_slot)
                return diag_error(d, DIAG_USAGE,
                                  "goals %s and %s both solve for %s: a joint solve needs as many distinct "
                                  "instruments as goals",
                                  other->id, goal->id, goal->solve);
        }
    }
    return DIAG_OK;
}

int goals_solve_joint(const goals_set *g, const size_t *goal_index, size_t count, const run *r, goals_joint **out,
                      diag *d)
{
    *out = NULL;
    if (goals_joint_check(g, goal_index, count, d) != DIAG_OK)
        return d->status;
    const model *m = r->model;
    goals_joint *joint = mem_calloc(1, sizeof *joint);
    if (!joint)
        return diag_oom(d, "solving goals jointly");
    joint->count = count;
    joint->goals = mem_calloc(count, sizeof *joint->goals);
    joint->instrument = mem_calloc(count, sizeof *joint->instrument);
    joint->value = mem_calloc(count, sizeof *joint->value);
    joint->residual = mem_calloc(count, sizeof *joint->residual);
    goals_engine engine = {0};
    gsl_multiroot_fsolver *solver = NULL;
    gsl_vector *start = NULL;
    if (!joint->goals || !joint->instrument || !joint->value || !joint->residual ||
        goals_engine_open(&engine, r, d) != DIAG_OK)
        goto oom;
    memcpy(joint->goals, goal_index, count * sizeof *goal_index);
    solver = gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, count);
    start = gsl_vector_alloc(count);
    if (!solver || !start)
        goto oom;
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        const goals_seek_result *own = &g->results[goal_index[i]].seek;
        const model_slot *instrument = &m->slots[goal->solve_slot];
        double x = own->status == GOALS_SEEK_FOUND ? own->required : goals_current_instrument(goal, r);
        gsl_vector_set(start, i, goals_clamp(x, instrument->min, instrument->max));
    }
    goals_joint_context context = {&engine, g, goal_index, count, 0, {0}, INFINITY, {0}};
    gsl_multiroot_function function = {goals_joint_residuals, count, &context};
    int status = gsl_multiroot_fsolver_set(solver, &function, start);
    size_t iteration = 0;
    while (status == GSL_SUCCESS) {
        if (gsl_multiroot_test_residual(solver->f, 1e-13) == GSL_SUCCESS)
            break;
        if (iteration >= GOALS_MAX_ITERATIONS) {
            status = GSL_EMAXITER;
            break;
        }
        status = gsl_multiroot_fsolver_iterate(solver);
        iteration++;
    }
    if (status == GSL_ENOMEM)
        goto oom;
    if (engine.broke) {
        /* a model run gave a value that is not a number: say where, with every instrument */
        char tried[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < count && used < sizeof tried; i++) {
            const goals_goal *goal = &g->goals[goal_index[i]];
            int n = snprintf(tried + used, sizeof tried - used, "%s%s = %.10g", i ? ", " : "", goal->solve,
                             context.broke_x[i]);
            used += n > 0 ? (size_t)n : 0;
        }
        diag_error(d, DIAG_SOFTWARE,
                   "goals solved jointly (%s...): the solver tried %s, and there %s in %d is %s: the model breaks down "
                   "inside the instruments' ranges",
                   g->goals[goal_index[0]].id, tried, m->slots[engine.broke_slot].name, engine.broke_year,
                   isnan(engine.broke_value) ? "not a number (NaN)" : "infinite");
        gsl_multiroot_fsolver_free(solver);
        gsl_vector_free(start);
        goals_engine_close(&engine);
        goals_joint_free(joint);
        return DIAG_SOFTWARE;
    }
    joint->iterations = iteration;
    /* the answer: the best point the solver evaluated (its last iterate when it converged) */
    double point[GOALS_MAX] = {0};
    if (!isfinite(context.best_norm))
        for (size_t i = 0; i < count; i++)
            context.best[i] = gsl_vector_get(start, i);
    for (size_t i = 0; i < count; i++)
        point[i] = joint->instrument[i] = context.best[i];
    goals_joint_run(&context, point);
    joint->converged = 1;
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        joint->value[i] = goals_measure(goal, engine.plan, engine.values, goal->year);
        joint->residual[i] = joint->value[i] - goal->target;
        if (!(fabs(joint->residual[i]) <= GOALS_JOINT_TOL * goals_scale(goal)))
            joint->converged = 0;
    }
    joint->evaluations = engine.evaluations;
    if (!joint->converged) {
        size_t used = (size_t)snprintf(joint->message, sizeof joint->message,
                                       "the joint solve did not converge after %zu iterations (%s); residuals "
                                       "(value - target) at the best point found:",
                                       iteration,
                                       context.broke_down ? "the solver broke down: its Jacobian became singular, "
                                                            "typically because an instrument is pinned at a bound"
                                       : status == GSL_SUCCESS    ? "stopped"
                                       : status == GSL_EMAXITER   ? "iteration limit"
                                       : status == GSL_EBADFUNC   ? "the model gave a value that is not finite"
                                       : status == GSL_ENOPROG || status == GSL_ENOPROGJ
                                           ? "no progress: no point in the instruments' ranges meets every goal"
                                           : gsl_strerror(status));
        for (size_t i = 0; i < count && used < sizeof joint->message; i++) {
            const goals_goal *goal = &g->goals[goal_index[i]];
            const model_slot *instrument = &m->slots[goal->solve_slot];
            char residual[64], x[64];
            goals_format_difference(residual, sizeof residual, joint->residual[i], goals_value_unit(goal, m));
            report_format_value(x, sizeof x, joint->instrument[i], instrument->unit);
            int at_bound = joint->instrument[i] <= instrument->min || joint->instrument[i] >= instrument->max;
            used += (size_t)snprintf(joint->message + used, sizeof joint->message - used, "%s %s %s at %s = %s%s",
                                     i ? ";" : "", goal->id, residual, goal->solve, x,
                                     at_bound ? " (at its bound)" : "");
        }
    }
    gsl_multiroot_fsolver_free(solver);
    gsl_vector_free(start);
    goals_engine_close(&engine);
    *out = joint;
    return DIAG_OK;
oom:
    gsl_multiroot_fsolver_free(solver);
    gsl_vector_free(start);
    goals_engine_close(&engine);
    goals_joint_free(joint);
    return d->status != DIAG_OK ? d->status : diag_oom(d, "solving goals jointly");
}

void goals_apply_joint(goals_set *g, const goals_joint *joint, const run *r)
{
    for (size_t i = 0; i < joint->count; i++) {
        const goals_goal *goal = &g->goals[joint->goals[i]];
        const model_slot *instrument = &r->model->slots[goal->solve_slot];
        goals_seek_result *seek = &g->results[joint->goals[i]].seek;
        memset(seek, 0, sizeof *seek);
        seek->min = instrument->min;
        seek->max = instrument->max;
        seek->current = goals_current_instrument(goal, r);
        goals_instrument_years(goal, r, &seek->from_year, &seek->to_year);
        seek->evaluations = joint->evaluations;
        seek->best_instrument = seek->best_value = NAN;
        if (joint->converged) {
            seek->status = GOALS_SEEK_FOUND;
            seek->required = joint->instrument[i];
            char x[64], years[32];
            report_format_value(x, sizeof x, seek->required, instrument->unit);
            goals_format_years(years, sizeof years, goal, r);
            size_t used = (size_t)snprintf(seek->message, sizeof seek->message,
                                           "%s = %s (%s) meets the target exactly, jointly with", goal->solve, x,
                                           years);
            for (size_t k = 0; k < joint->count && used < sizeof seek->message; k++)
                if (k != i)
                    used += (size_t)snprintf(seek->message + used, sizeof seek->message - used, " %s",
                                             g->goals[joint->goals[k]].id);
        } else {
            seek->status = GOALS_SEEK_FAILED;
            seek->required = NAN;
            char residual[64], x[64];
            goals_format_difference(residual, sizeof residual, joint->residual[i], goals_value_unit(goal, r->model));
            report_format_value(x, sizeof x, joint->instrument[i], instrument->unit);
            snprintf(seek->message, sizeof seek->message,
                     "not solved: the joint solve did not converge; best point: %s = %s%s, residual %s", goal->solve,
                     x,
                     joint->instrument[i] <= instrument->min || joint->instrument[i] >= instrument->max
                         ? " (at its bound)"
                         : "",
                     residual);
        }
    }
}

int goals_path(const goals_set *g, const size_t *goal_index, const double *instrument, size_t count, const run *r,
               double **values, diag *d)
{
    sim_plan *plan = sim_plan_clone(r->plan);
    if (!plan)
        return diag_oom(d, "running the model at the solution");
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        if (goal->solve_slot < 0)
            continue;
        int from, to;
        goals_instrument_years(goal, r, &from, &to);
        sim_plan_set_input(plan, goal->solve_slot, from, to, instrument[i]);
    }
    int status = sim_run_path(plan, values, d);
    sim_plan_free(plan);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* goals.csv and summary.json                                                                 */

/* The k-th goal written: only[k], or k when every goal is (only NULL). */
static size_t goals_selected(const size_t *only, size_t k)
{
    return only ? only[k] : k;
}

void goals_write_csv(FILE *f, const goals_set *g, const run *r, const size_t *only, size_t only_count)
{
    size_t n = only ? only_count : g->count;
    int probability = 0;
    for (size_t k = 0; k < n; k++)
        probability |= isfinite(g->results[goals_selected(only, k)].probability);
    fputs("scenario,goal,variable,year,target,value,met,first_year_met,solve,required", f);
    fputs(probability ? ",probability\n" : "\n", f);
    for (size_t k = 0; k < n; k++) {
        size_t i = goals_selected(only, k);
        const goals_goal *goal = &g->goals[i];
        const goals_result *result = &g->results[i];
        output_csv_field(f, r->scenario->name);
        fputc(',', f);
        output_csv_field(f, goal->id);
        fputc(',', f);
        output_csv_field(f, goal->variable);
        fprintf(f, ",%d,", goal->year);
        output_csv_number(f, goal->target);
        fputc(',', f);
        output_csv_number(f, result->value);
        fputs(result->met ? ",true," : ",false,", f);
        if (result->first_year_met)
            fprintf(f, "%d", result->first_year_met);
        fputc(',', f);
        output_csv_field(f, goal->solve);
        fputc(',', f);
        if (result->seek.status == GOALS_SEEK_FOUND)
            output_csv_number(f, result->seek.required);
        if (probability) {
            fputc(',', f);
            output_csv_number(f, result->probability);
        }
        fputc('\n', f);
    }
}

static void goals_json_number(cJSON *object, const char *key, double value)
{
    if (isfinite(value))
        cJSON_AddNumberToObject(object, key, value);
    else
        cJSON_AddNullToObject(object, key);
}

static void goals_json_string(cJSON *object, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(object, key, value);
    else
        cJSON_AddNullToObject(object, key);
}

static const char *goals_seek_status_name(goals_seek_status status)
{
    switch (status) {
    case GOALS_SEEK_FOUND:
        return "found";
    case GOALS_SEEK_UNREACHABLE:
        return "unreachable";
    case GOALS_SEEK_NO_EFFECT:
        return "no effect";
    case GOALS_SEEK_FAILED:
        return "failed";
    case GOALS_SEEK_NONE:
        break;
    }
    return "none";
}

/* The status of a goal in words: "met in 2023" or "NOT met: short by ..." */
static void goals_status_text(char *buf, size_t size, const goals_goal *goal, const goals_result *result,
                              const run *r)
{
    const char *unit = goals_value_unit(goal, r->model);
    char value[64], shortfall[64];
    goals_format(value, sizeof value, result->value, unit);
    if (!isfinite(result->value)) {
        snprintf(buf, size, "no value in %d", goal->year);
    } else if (result->met) {
        snprintf(buf, size, "met: %s in %d", value, goal->year);
    } else {
        goals_format_difference(shortfall, sizeof shortfall, result->shortfall, unit);
        size_t used = (size_t)snprintf(buf, size, "NOT met: %s in %d, %s by %s", value, goal->year,
                                       goal->direction == GOALS_AT_LEAST ? "short" : "over", shortfall);
        if (isfinite(result->shortfall_percent) && used < size)
            used += (size_t)snprintf(buf + used, size - used, " (%.1f%% of the target)", result->shortfall_percent);
        if (used < size) {
            if (result->first_year_met)
                snprintf(buf + used, size - used, "; first met in %d", result->first_year_met);
            else
                snprintf(buf + used, size - used, "; not met by %d", r->plan->end);
        }
    }
}

static cJSON *goals_goal_json(const goals_set *g, size_t i, const run *r)
{
    const goals_goal *goal = &g->goals[i];
    const goals_result *result = &g->results[i];
    const model *m = r->model;
    const model_slot *variable = &m->slots[goal->slot];
    cJSON *item = cJSON_CreateObject();
    if (!item)
        return NULL;
    char text[1024];
    goals_json_string(item, "id", goal->id);
    goals_json_string(item, "label", goal->label);
    goals_json_string(item, "variable", goal->variable);
    goals_json_string(item, "variable_label", variable->label);
    goals_json_string(item, "unit", goals_value_unit(goal, m));
    goals_json_string(item, "kind", goals_kind_names[goal->kind]);
    goals_json_string(item, "direction", goals_direction_names[goal->direction]);
    cJSON_AddNumberToObject(item, "year", goal->year);
    goals_json_number(item, "target", goal->target);
    goals_json_number(item, "value", result->value);
    cJSON_AddBoolToObject(item, "met", result->met);
    goals_json_number(item, "shortfall", result->shortfall);
    goals_json_number(item, "shortfall_percent", result->shortfall_percent);
    if (result->first_year_met)
        cJSON_AddNumberToObject(item, "first_year_met", result->first_year_met);
    else
        cJSON_AddNullToObject(item, "first_year_met");
    goals_status_text(text, sizeof text, goal, result, r);
    goals_json_string(item, "status", text);
    if (isfinite(result->probability))
        cJSON_AddNumberToObject(item, "probability", result->probability);
    goals_json_string(item, "note", goal->note);
    goals_json_string(item, "set", goal->set_title);
    goals_json_string(item, "file", goal->file);
    if (goal->solve_slot >= 0) {
        const model_slot *instrument = &m->slots[goal->solve_slot];
        const goals_seek_result *seek = &result->seek;
        cJSON *solve = cJSON_AddObjectToObject(item, "solve");
        if (!solve)
            goto fail;
        goals_json_string(solve, "instrument", goal->solve);
        goals_json_string(solve, "label", instrument->label);
        goals_json_string(solve, "unit", instrument->unit);
        goals_json_string(solve, "kind", model_kind_name(instrument->kind));
        cJSON_AddNumberToObject(solve, "from_year", seek->from_year);
        cJSON_AddNumberToObject(solve, "to_year", seek->to_year);
        goals_json_number(solve, "min", seek->min);
        goals_json_number(solve, "max", seek->max);
        goals_json_number(solve, "scenario_value", seek->current);
        goals_json_string(solve, "status", goals_seek_status_name(seek->status));
        goals_json_number(solve, "required", seek->status == GOALS_SEEK_FOUND ? seek->required : NAN);
        if (seek->status == GOALS_SEEK_FOUND) {
            goals_json_string(solve, "bound", seek->bound == GOALS_BOUND_AT_LEAST  ? "at_least"
                                              : seek->bound == GOALS_BOUND_AT_MOST ? "at_most"
                                                                                   : "exact");
            cJSON_AddBoolToObject(solve, "scenario_satisfies", seek->scenario_satisfies);
        }
        goals_json_number(solve, "best_instrument", seek->best_instrument);
        goals_json_number(solve, "best_value", seek->best_value);
        cJSON_AddNumberToObject(solve, "model_runs", seek->evaluations);
        goals_json_string(solve, "message", seek->status != GOALS_SEEK_NONE ? seek->message : NULL);
    } else {
        cJSON_AddNullToObject(item, "solve");
    }
    cJSON *assumed = cJSON_AddArrayToObject(item, "assumed_inputs");
    if (!assumed)
        goto fail;
    for (size_t k = 0; k < result->assumed_count; k++) {
        const goals_assumed_input *input = &result->assumed[k];
        cJSON *entry = cJSON_CreateObject();
        if (!entry || !cJSON_AddItemToArray(assumed, entry)) {
            cJSON_Delete(entry);
            goto fail;
        }
        goals_json_string(entry, "variable", m->slots[input->slot].name);
        cJSON_AddNumberToObject(entry, "year", input->year);
        goals_json_number(entry, "value", input->value);
        goals_json_string(entry, "origin", "initial");
        goals_json_string(entry, "note", input->note);
    }
    return item;
fail:
    cJSON_Delete(item);
    return NULL;
}

cJSON *goals_summary_json(const goals_set *g, const run *r, const size_t *only, size_t only_count)
{
    cJSON *array = cJSON_CreateArray();
    if (!array)
        return NULL;
    size_t n = only ? only_count : g->count;
    for (size_t k = 0; k < n; k++) {
        cJSON *item = goals_goal_json(g, goals_selected(only, k), r);
        if (!item || !cJSON_AddItemToArray(array, item)) {
            cJSON_Delete(item);
            cJSON_Delete(array);
            return NULL;
        }
    }
    return array;
}

/* ------------------------------------------------------------------------------------------ */
/* Tables on stdout                                                                           */

enum { GOALS_COLUMNS = 9 };

/* The cells of one goal's row. */
static void goals_row(const goals_set *g, size_t i, const run *r, char cells[GOALS_COLUMNS][256])
{
    const goals_goal *goal = &g->goals[i];
    const goals_result *result = &g->results[i];
    const model *m = r->model;
    const char *unit = goals_value_unit(goal, m);
    char number[64];
    snprintf(cells[0], 256, "%s", goal->id);
    snprintf(cells[1], 256, "%s%s", goal->label, result->assumed_count ? " *" : "");
    snprintf(cells[2], 256, "%d", goal->year);
    goals_format(number, sizeof number, goal->target, unit);
    snprintf(cells[3], 256, "%s%s %s", goal->kind == GOALS_GROWTH ? "growth " : "",
             goal->direction == GOALS_AT_LEAST ? "≥" : "≤", number);
    goals_format(cells[4], 256, result->value, unit);
    snprintf(cells[5], 256, "%s", result->met ? "met" : "NOT met");
    if (result->met || !isfinite(result->shortfall)) {
        snprintf(cells[6], 256, "-");
    } else {
        goals_format_difference(number, sizeof number, result->shortfall, unit);
        if (isfinite(result->shortfall_percent))
            snprintf(cells[6], 256, "%s (%.1f%%)", number, result->shortfall_percent);
        else
            snprintf(cells[6], 256, "%s", number);
    }
    if (result->first_year_met)
        snprintf(cells[7], 256, "%d", result->first_year_met);
    else
        snprintf(cells[7], 256, "not by %d", r->plan->end);
    const goals_seek_result *seek = &result->seek;
    if (goal->solve_slot < 0) {
        snprintf(cells[8], 256, "-");
        return;
    }
    const model_slot *instrument = &m->slots[goal->solve_slot];
    char years[32], best[64], at[64];
    goals_format_years(years, sizeof years, goal, r);
    switch (seek->status) {
    case GOALS_SEEK_FOUND:
        report_format_value(number, sizeof number, seek->required, instrument->unit);
        {
            const char *side = seek->bound == GOALS_BOUND_AT_LEAST ? " at least"
                               : seek->bound == GOALS_BOUND_AT_MOST ? " at most"
                                                                    : " =";
            if (instrument->kind == MODEL_PARAMETER) /* one value for all years: nothing to add */
                snprintf(cells[8], 256, "%s%s %s", goal->solve, side, number);
            else
                snprintf(cells[8], 256, "%s%s %s (%s)", goal->solve, side, number, years);
        }
        break;
    case GOALS_SEEK_UNREACHABLE:
        goals_format(best, sizeof best, seek->best_value, unit);
        report_format_value(at, sizeof at, seek->best_instrument, instrument->unit);
        snprintf(cells[8], 256, "unreachable: best %s at %s = %s", best, goal->solve, at);
        break;
    case GOALS_SEEK_NO_EFFECT:
        snprintf(cells[8], 256, "%s has no effect on it", goal->solve);
        break;
    case GOALS_SEEK_FAILED:
        snprintf(cells[8], 256, "failed (see summary.json)");
        break;
    case GOALS_SEEK_NONE:
        snprintf(cells[8], 256, "-");
        break;
    }
}

void goals_print_table(FILE *out, const goals_set *g, const run *r)
{
    static const char *const headings[GOALS_COLUMNS] = {"goal",  "label",     "year",      "target",  "value",
                                                        "status", "shortfall", "first met", "required"};
    static const int left[GOALS_COLUMNS] = {1, 1, 0, 0, 0, 1, 0, 0, 1};
    if (g->count == 0)
        return;
    char (*rows)[GOALS_COLUMNS][256] = mem_alloc(g->count * sizeof *rows);
    if (!rows) {
        fprintf(out, "(goals table omitted: out of memory)\n");
        return;
    }
    size_t width[GOALS_COLUMNS];
    for (int c = 0; c < GOALS_COLUMNS; c++)
        width[c] = text_display_width(headings[c]);
    for (size_t i = 0; i < g->count; i++) {
        goals_row(g, i, r, rows[i]);
        for (int c = 0; c < GOALS_COLUMNS; c++) {
            size_t w = text_display_width(rows[i][c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    /* One line of figures per goal, and below it the goal's id (what --goal takes) with the
     * required instrument value: side by side they made a table near 190 columns wide. */
    enum { FIRST = 1, LAST = GOALS_COLUMNS - 2, ID = 0, REQUIRED = GOALS_COLUMNS - 1 };
    fprintf(out, "\ngoals of %s (%s), on the scenario's path:\n", text_safe(r->scenario->title),
            text_safe(r->scenario->name));
    for (int c = FIRST; c <= LAST; c++) {
        text_pad(out, headings[c], c == LAST ? 0 : width[c], left[c]);
        fputs(c == LAST ? "\n" : "  ", out);
    }
    for (size_t i = 0; i < g->count; i++) {
        for (int c = FIRST; c <= LAST; c++) {
            text_pad(out, rows[i][c], c == LAST ? 0 : width[c], left[c]);
            fputs(c == LAST ? "\n" : "  ", out);
        }
        fprintf(out, "    %s  required: %s\n", text_safe(rows[i][ID]), text_safe(rows[i][REQUIRED]));
    }
    mem_free(rows);
    fprintf(out, "required: the bound on the instrument that meets the goal (at least or at most the value that "
                 "meets the target exactly), found on the whole model (an exogenous series held constant from %d "
                 "to the goal year).\n",
            r->plan->start);
    int any_assumed = 0;
    for (size_t i = 0; i < g->count; i++) {
        const goals_result *result = &g->results[i];
        for (size_t k = 0; k < result->assumed_count; k++) {
            const goals_assumed_input *input = &result->assumed[k];
            const model_slot *slot = &r->model->slots[input->slot];
            char value[64];
            goals_format(value, sizeof value, input->value, slot->unit);
            if (!any_assumed)
                fprintf(out, "* rests on assumed (initial, not observed) inputs:\n");
            any_assumed = 1;
            fprintf(out, "  %s: %s %d = %s", text_safe(g->goals[i].id), text_safe(slot->name), input->year,
                    text_safe(value));
            if (input->note) {
                fputs(": ", out);
                text_print(out, input->note, 0); /* a note may be longer than text_safe keeps */
            }
            fputc('\n', out);
        }
    }
}

void goals_print_path(FILE *out, const goals_set *g, const size_t *goal_index, size_t count, const run *r,
                      const double *values)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    int first = plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
    /* rows: each goal variable and exogenous instrument once, in slot order */
    unsigned char *wanted = mem_calloc(m->slot_count ? m->slot_count : 1, 1);
    if (!wanted)
        return;
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        wanted[goal->slot] = 1;
        if (goal->solve_slot >= 0 && m->slots[goal->solve_slot].kind == MODEL_EXOGENOUS)
            wanted[goal->solve_slot] = 1;
    }
    char heading[512];
    size_t label_width = 0;
    for (size_t s = 0; s < m->slot_count; s++) {
        if (!wanted[s])
            continue;
        snprintf(heading, sizeof heading, "%s [%s]", m->slots[s].label,
                 model_unit_is_rate(m->slots[s].unit) ? "%" : m->slots[s].unit);
        size_t w = text_display_width(heading);
        if (w > label_width)
            label_width = w;
    }
    text_pad(out, "", label_width, 1);
    for (int y = first; y <= plan->end; y++)
        fprintf(out, " %10d ", y);
    fputc('\n', out);
    for (int group = 0; group < 2; group++)
        for (size_t s = 0; s < m->slot_count; s++) {
            if (!wanted[s] || (group == 0) != (m->slots[s].kind == MODEL_VARIABLE))
                continue;
            snprintf(heading, sizeof heading, "%s [%s]", m->slots[s].label,
                     model_unit_is_rate(m->slots[s].unit) ? "%" : m->slots[s].unit);
            text_pad(out, heading, label_width, 1);
            for (int y = first; y <= plan->end; y++) {
                size_t c = s * plan->years + (size_t)(y - plan->first_year);
                char value[64];
                report_format_value(value, sizeof value,
                                    sim_plan_cell_shown(plan, s, (size_t)(y - plan->first_year)) ? values[c] : NAN,
                                    m->slots[s].unit);
                sim_origin origin = (sim_origin)plan->origin[c];
                fprintf(out, " %10s%c", value,
                        origin == SIM_ORIGIN_OBSERVED  ? 'o'
                        : origin == SIM_ORIGIN_DERIVED ? 'd'
                        : origin == SIM_ORIGIN_INITIAL ? 'i'
                                                       : ' ');
            }
            fputc('\n', out);
        }
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        if (goal->solve_slot >= 0 && m->slots[goal->solve_slot].kind == MODEL_PARAMETER) {
            char value[64];
            report_format_value(value, sizeof value, values[(size_t)goal->solve_slot * plan->years],
                                m->slots[goal->solve_slot].unit);
            fprintf(out, "%s (%s) = %s in every year\n", text_safe(m->slots[goal->solve_slot].label), text_safe(goal->solve),
                    text_safe(value));
        }
    }
    mem_free(wanted);
}

void goals_print_solution(FILE *out, const goals_set *g, const size_t *goal_index, size_t count, const run *r)
{
    const model *m = r->model;
    size_t width[3] = {0, 0, 0};
    char target[GOALS_MAX][96];
    for (size_t k = 0; k < count && k < GOALS_MAX; k++) {
        const goals_goal *goal = &g->goals[goal_index[k]];
        char number[64];
        goals_format(number, sizeof number, goal->target, goals_value_unit(goal, m));
        snprintf(target[k], sizeof target[k], "%s%s %s in %d", goal->kind == GOALS_GROWTH ? "growth " : "",
                 goal->direction == GOALS_AT_LEAST ? "≥" : "≤", number, goal->year);
        size_t w[3] = {text_display_width(goal->id), text_display_width(goal->label), text_display_width(target[k])};
        for (int c = 0; c < 3; c++)
            if (w[c] > width[c])
                width[c] = w[c];
    }
    for (size_t k = 0; k < count && k < GOALS_MAX; k++) {
        const goals_goal *goal = &g->goals[goal_index[k]];
        const goals_seek_result *seek = &g->results[goal_index[k]].seek;
        fputs("  ", out);
        text_pad(out, goal->id, width[0], 1);
        fputs("  ", out);
        text_pad(out, goal->label, width[1], 1);
        fputs("  ", out);
        text_pad(out, target[k], width[2], 1);
        fputs("  ", out);
        if (seek->status == GOALS_SEEK_FOUND) {
            const model_slot *instrument = &m->slots[goal->solve_slot];
            char value[64], current[64], years[32];
            report_format_value(value, sizeof value, seek->required, instrument->unit);
            report_format_value(current, sizeof current, seek->current, instrument->unit);
            goals_format_years(years, sizeof years, goal, r);
            if (seek->bound == GOALS_BOUND_EXACT)
                fprintf(out, "%s = %s (%s; scenario: %s)\n", text_safe(goal->solve), text_safe(value), years, text_safe(current));
            else
                fprintf(out, "%s %s %s (%s; scenario: %s%s)\n", text_safe(goal->solve),
                        seek->bound == GOALS_BOUND_AT_LEAST ? "at least" : "at most", text_safe(value), years, text_safe(current),
                        seek->scenario_satisfies ? ", already enough" : "");
        } else if (seek->status == GOALS_SEEK_NONE) {
            fprintf(out, "no \"solve\"\n");
        } else {
            fprintf(out, "%s\n", text_safe(seek->message));
        }
        const goals_result *result = &g->results[goal_index[k]];
        for (size_t a = 0; a < result->assumed_count; a++) {
            const goals_assumed_input *input = &result->assumed[a];
            char value[64];
            goals_format(value, sizeof value, input->value, m->slots[input->slot].unit);
            fprintf(out, "    rests on an assumed input: %s %d = %s (initial, not observed)\n",
                    text_safe(m->slots[input->slot].name), input->year, text_safe(value));
        }
    }
}

cJSON *goals_path_json(const goals_set *g, const size_t *goal_index, const double *instrument, size_t count,
                       const run *r, const double *values)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    int first = plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
    cJSON *root = cJSON_CreateObject();
    cJSON *instruments = root ? cJSON_AddArrayToObject(root, "instruments") : NULL;
    cJSON *series = root ? cJSON_AddArrayToObject(root, "series") : NULL;
    if (!instruments || !series)
        goto fail;
    for (size_t k = 0; k < count; k++) {
        const goals_goal *goal = &g->goals[goal_index[k]];
        if (goal->solve_slot < 0)
            continue;
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(instruments, item)) {
            cJSON_Delete(item);
            goto fail;
        }
        int from, to;
        goals_instrument_years(goal, r, &from, &to);
        goals_json_string(item, "goal", goal->id);
        goals_json_string(item, "name", goal->solve);
        goals_json_number(item, "value", instrument[k]);
        goals_json_string(item, "unit", m->slots[goal->solve_slot].unit);
        cJSON_AddNumberToObject(item, "from_year", from);
        cJSON_AddNumberToObject(item, "to_year", to);
    }
    for (size_t s = 0; s < m->slot_count; s++) {
        int wanted = 0;
        for (size_t k = 0; k < count; k++)
            wanted |= g->goals[goal_index[k]].slot == (int)s;
        if (!wanted)
            continue;
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(series, item)) {
            cJSON_Delete(item);
            goto fail;
        }
        goals_json_string(item, "name", m->slots[s].name);
        goals_json_string(item, "label", m->slots[s].label);
        goals_json_string(item, "unit", m->slots[s].unit);
        cJSON *points = cJSON_AddArrayToObject(item, "values");
        if (!points)
            goto fail;
        for (int y = first; y <= plan->end; y++) {
            size_t c = s * plan->years + (size_t)(y - plan->first_year);
            cJSON *point = cJSON_CreateObject();
            if (!point || !cJSON_AddItemToArray(points, point)) {
                cJSON_Delete(point);
                goto fail;
            }
            cJSON_AddNumberToObject(point, "year", y);
            goals_json_number(point, "value", plan->mode[c] != SIM_MODE_NONE ? values[c] : NAN);
        }
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}
