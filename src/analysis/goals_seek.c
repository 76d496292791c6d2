/* goals_seek.c: goal seek on the whole model (goals.h): what value of an instrument meets a
 * goal's target, alone or several goals at once.
 *
 * Goal seek never uses a rule of thumb: every trial value of an instrument is put into a copy
 * of the plan and the whole model is run again (goals_internal.h). One goal: the instrument's
 * [min, max] range is scanned on a grid for a sign change of (value - target), and Brent's
 * method (gsl_root_fsolver_brent) narrows the bracket to GOALS_ROOT_RTOL; without a sign
 * change the target is out of reach and the best attainable value is reported. Several goals
 * at once: GSL's hybrid multiroot solver on the scaled residuals. */
#include "goals_internal.h"
#include "i18n.h"
#include "mem.h"
#include "units.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
        if (gsl_root_test_interval(lower, upper, GOALS_ROOT_ABS_FLOOR * range, GOALS_ROOT_RTOL) == GSL_SUCCESS)
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
        if (gsl_min_test_interval(a, b, GOALS_ROOT_ABS_FLOOR * (hi - lo), GOALS_MIN_RTOL) == GSL_SUCCESS)
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

/* The grid scan of a seek: the residual at GOALS_SCAN_INTERVALS + 1 points of [min, max]
 * (xs, fs), and the sign change (or exact hit) nearest the scenario's own value: its index, or
 * -1 when there is none. */
static int goals_seek_scan(goals_seek_context *context, const goals_seek_result *out, double *xs, double *fs)
{
    double range = out->max - out->min;
    for (int k = 0; k <= GOALS_SCAN_INTERVALS; k++) {
        xs[k] = k == GOALS_SCAN_INTERVALS ? out->max : out->min + range * k / GOALS_SCAN_INTERVALS;
        fs[k] = goals_seek_residual(xs[k], context);
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
    return chosen;
}

/* A found root: which side of it meets the goal, whether the scenario's own value is on that
 * side, and the message. */
static void goals_seek_found(goals_seek_result *out, const goals_goal *goal, const model_slot *instrument,
                             const double *fs, int chosen, double root, const char *years)
{
    char a[64], b[64];
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
    double slack = GOALS_SATISFIES_RTOL * (fabs(root) > GOALS_SATISFIES_FLOOR ? fabs(root) : GOALS_SATISFIES_FLOOR);
    out->scenario_satisfies = (out->bound == GOALS_BOUND_AT_LEAST && out->current >= root - slack) ||
                              (out->bound == GOALS_BOUND_AT_MOST && out->current <= root + slack);
    units_format_value(a, sizeof a, root, instrument->unit);
    units_format_value(b, sizeof b, out->current, instrument->unit);
    if (out->bound == GOALS_BOUND_EXACT)
        snprintf(out->message, sizeof out->message, _("%s = %s (%s) meets the target exactly"), goal->solve, a, years);
    else if (out->bound == GOALS_BOUND_AT_LEAST && out->scenario_satisfies)
        snprintf(out->message, sizeof out->message,
                 _("%s at least %s (%s) meets the goal (%s meets the target exactly); the scenario's %s already "
                   "satisfies it"),
                 goal->solve, a, years, a, b);
    else if (out->bound == GOALS_BOUND_AT_LEAST)
        snprintf(out->message, sizeof out->message,
                 _("%s at least %s (%s) meets the goal (%s meets the target exactly); the scenario's %s does not"),
                 goal->solve, a, years, a, b);
    else if (out->scenario_satisfies)
        snprintf(out->message, sizeof out->message,
                 _("%s at most %s (%s) meets the goal (%s meets the target exactly); the scenario's %s already "
                   "satisfies it"),
                 goal->solve, a, years, a, b);
    else
        snprintf(out->message, sizeof out->message,
                 _("%s at most %s (%s) meets the goal (%s meets the target exactly); the scenario's %s does not"),
                 goal->solve, a, years, a, b);
}

/* The bracket xs[chosen] (xs[chosen + 1]) holds a root: Brent's method narrows it, and the
 * answer is checked (a bracket around a jump is no root). Returns DIAG_OK with *out filled, or
 * a failure that stops the seek (memory, a model that broke down). */
static int goals_seek_bracket(goals_seek_context *context, goals_seek_result *out, const double *xs, const double *fs,
                              int chosen, const char *years, diag *d)
{
    const goals_goal *goal = context->goal;
    goals_engine *engine = context->engine;
    const model_slot *instrument = &engine->r->model->slots[goal->solve_slot];
    double range = out->max - out->min;
    double root = xs[chosen];
    int status = GSL_SUCCESS;
    if (fs[chosen] != 0)
        status = goals_brent(context, xs[chosen], xs[chosen + 1], range, &root);
    if (status == GSL_ENOMEM)
        return diag_oom(d, _("seeking a goal"));
    double residual = goals_seek_residual(root, context);
    if (engine->broke)
        return goals_engine_breakdown(engine, goal, d);
    double scale = fabs(goal->target) > 1 ? fabs(goal->target) : 1;
    if (status != GSL_SUCCESS) {
        out->status = GOALS_SEEK_FAILED;
        snprintf(out->message, sizeof out->message, _("Brent's method failed between %s = %.10g and %.10g: %s"),
                 goal->solve, xs[chosen], xs[chosen + 1], gsl_strerror(status));
    } else if (!isfinite(residual) || fabs(residual) > GOALS_JUMP_RTOL * scale) {
        /* a bracket around a jump (an if() in an equation), not a root */
        char a[64];
        out->status = GOALS_SEEK_FAILED;
        goals_format_value(a, sizeof a, residual + goal->target, goals_value_unit(goal, engine->r->model));
        snprintf(out->message, sizeof out->message,
                 _("the value jumps across the target near %s = %.10g (it is %s there): no value meets it exactly"),
                 goal->solve, root, a);
    } else {
        goals_seek_found(out, goal, instrument, fs, chosen, root, years);
    }
    out->evaluations = engine->evaluations;
    return DIAG_OK;
}

/* No sign change on the grid: the best attainable value (refined by Brent minimisation when it
 * lies inside the range), reported as UNREACHABLE, or NO_EFFECT when the instrument does not
 * move the value. Returns DIAG_OK, or the error of a model that broke down. */
static int goals_seek_unreachable(goals_seek_context *context, goals_seek_result *out, const double *xs,
                                  const double *fs, const char *years, diag *d)
{
    const goals_goal *goal = context->goal;
    goals_engine *engine = context->engine;
    const model_slot *instrument = &engine->r->model->slots[goal->solve_slot];
    const char *unit = goals_value_unit(goal, engine->r->model);
    char a[64], b[64], c[64];
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
        if (best < 0 || context->sign * value < context->sign * (fs[best] + goal->target))
            best = k;
    }
    if (best < 0) { /* cannot happen: a non-finite value stops the seek above */
        out->status = GOALS_SEEK_FAILED;
        snprintf(out->message, sizeof out->message,
                 _("the model gives no finite value of %s in %d for any %s in [%g, %g]"), goal->variable, goal->year,
                 goal->solve, out->min, out->max);
        out->evaluations = engine->evaluations;
        return DIAG_OK;
    }
    out->best_instrument = xs[best];
    out->best_value = fs[best] + goal->target;
    double spread = highest - lowest, magnitude = fmax(fabs(highest), fabs(lowest));
    if (spread <= GOALS_NO_EFFECT_RTOL * (magnitude > 1 ? magnitude : 1)) {
        out->status = GOALS_SEEK_NO_EFFECT;
        out->best_instrument = out->current;
        goals_format_value(a, sizeof a, out->best_value, unit);
        snprintf(out->message, sizeof out->message,
                 _("%s does not move %s in %d: it stays %s for every %s in [%g, %g] (%s)"), goal->solve,
                 goal->variable, goal->year, a, goal->solve, out->min, out->max, years);
        out->evaluations = engine->evaluations;
        return DIAG_OK;
    }
    if (best > 0 && best < GOALS_SCAN_INTERVALS && isfinite(fs[best - 1]) && isfinite(fs[best + 1]) &&
        context->sign * fs[best] < context->sign * fs[best - 1] && context->sign * fs[best] < context->sign * fs[best + 1])
        goals_refine_best(context, xs[best - 1], xs[best], xs[best + 1], &out->best_instrument, &out->best_value);
    if (engine->broke)
        return goals_engine_breakdown(engine, goal, d);
    if (out->best_value < lowest)
        lowest = out->best_value;
    if (out->best_value > highest)
        highest = out->best_value;
    /* the reason that holds: how far the instrument's whole range moves the value */
    out->status = GOALS_SEEK_UNREACHABLE;
    char low_text[64], high_text[64];
    goals_format_value(a, sizeof a, goal->target, unit);
    goals_format_value(b, sizeof b, out->best_value, unit);
    goals_format_value(low_text, sizeof low_text, lowest, unit);
    goals_format_value(high_text, sizeof high_text, highest, unit);
    units_format_value(c, sizeof c, out->best_instrument, instrument->unit);
    char lo[48], hi[48];
    units_format_value(lo, sizeof lo, out->min, instrument->unit);
    units_format_value(hi, sizeof hi, out->max, instrument->unit);
    /* four whole sentences (growth or level, below or above), so that each translates as one */
    char *msg = out->message;
    size_t size = sizeof out->message;
    int growth = goal->kind == GOALS_GROWTH, below = goal->direction == GOALS_AT_LEAST;
    if (growth && below)
        snprintf(msg, size,
                 _("unreachable: over %s from %s to %s (held %s), the growth of %s in %d ranges from %s to %s, all "
                   "below the target %s; the closest is %s, at %s = %s"),
                 goal->solve, lo, hi, years, goal->variable, goal->year, low_text, high_text, a, b, goal->solve, c);
    else if (growth)
        snprintf(msg, size,
                 _("unreachable: over %s from %s to %s (held %s), the growth of %s in %d ranges from %s to %s, all "
                   "above the target %s; the closest is %s, at %s = %s"),
                 goal->solve, lo, hi, years, goal->variable, goal->year, low_text, high_text, a, b, goal->solve, c);
    else if (below)
        snprintf(msg, size,
                 _("unreachable: over %s from %s to %s (held %s), %s in %d ranges from %s to %s, all below the target "
                   "%s; the closest is %s, at %s = %s"),
                 goal->solve, lo, hi, years, goal->variable, goal->year, low_text, high_text, a, b, goal->solve, c);
    else
        snprintf(msg, size,
                 _("unreachable: over %s from %s to %s (held %s), %s in %d ranges from %s to %s, all above the target "
                   "%s; the closest is %s, at %s = %s"),
                 goal->solve, lo, hi, years, goal->variable, goal->year, low_text, high_text, a, b, goal->solve, c);
    out->evaluations = engine->evaluations;
    return DIAG_OK;
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
    out->min = instrument->min;
    out->max = instrument->max;
    out->current = goals_current_instrument(goal, r);
    goals_instrument_years(goal, r, &out->from_year, &out->to_year);

    goals_engine engine;
    if (goals_engine_open(&engine, r, d) != DIAG_OK)
        return d->status;
    goals_seek_context context = {&engine, goal, goal->direction == GOALS_AT_LEAST ? -1.0 : 1.0};
    double xs[GOALS_SCAN_INTERVALS + 1], fs[GOALS_SCAN_INTERVALS + 1];
    int chosen = goals_seek_scan(&context, out, xs, fs);
    char years[32];
    goals_format_years(years, sizeof years, goal, r);
    int status;
    if (chosen >= 0)
        status = goals_seek_bracket(&context, out, xs, fs, chosen, years, d);
    else if (engine.broke)
        status = goals_engine_breakdown(&engine, goal, d);
    else
        status = goals_seek_unreachable(&context, out, xs, fs, years, d);
    goals_engine_close(&engine);
    return status;
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
            diag_warning(d, _("goal %s: %s"), g->goals[i].id, seek->message);
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
        return diag_error(d, DIAG_USAGE, _("a joint solve needs between 1 and %d goals"), GOALS_MAX);
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        if (goal->solve_slot < 0)
            return diag_error(d, DIAG_USAGE,
                              _("goal %s has no \"solve\": a joint solve needs one instrument per goal (add \"solve\" at "
                              "%s: %s)"),
                              goal->id, goal->file, goal->json_path);
        for (size_t k = 0; k < i; k++) {
            const goals_goal *other = &g->goals[goal_index[k]];
            if (goal_index[k] == goal_index[i])
                return diag_error(d, DIAG_USAGE, _("goal %s is given twice"), goal->id);
            if (other->solve_slot == goal->solve_slot)
                return diag_error(d, DIAG_USAGE,
                                  _("goals %s and %s both solve for %s: a joint solve needs as many distinct "
                                  "instruments as goals"),
                                  other->id, goal->id, goal->solve);
        }
    }
    return DIAG_OK;
}

/* A joint result for `count` goals with its arrays, or NULL when out of memory. */
static goals_joint *goals_joint_new(const size_t *goal_index, size_t count)
{
    goals_joint *joint = mem_calloc(1, sizeof *joint);
    if (!joint)
        return NULL;
    joint->count = count;
    joint->goals = mem_calloc(count, sizeof *joint->goals);
    joint->instrument = mem_calloc(count, sizeof *joint->instrument);
    joint->value = mem_calloc(count, sizeof *joint->value);
    joint->residual = mem_calloc(count, sizeof *joint->residual);
    if (!joint->goals || !joint->instrument || !joint->value || !joint->residual) {
        goals_joint_free(joint);
        return NULL;
    }
    memcpy(joint->goals, goal_index, count * sizeof *goal_index);
    return joint;
}

/* Iterates the hybrid solver until the scaled residuals are within GOALS_JOINT_RESIDUAL_TOL, or
 * GOALS_MAX_ITERATIONS, or a GSL failure; *iterations gets the count. Returns the GSL status. */
static int goals_joint_iterate(gsl_multiroot_fsolver *solver, size_t *iterations)
{
    int status = GSL_SUCCESS;
    size_t iteration = 0;
    while (status == GSL_SUCCESS) {
        if (gsl_multiroot_test_residual(solver->f, GOALS_JOINT_RESIDUAL_TOL) == GSL_SUCCESS)
            break;
        if (iteration >= GOALS_MAX_ITERATIONS) {
            status = GSL_EMAXITER;
            break;
        }
        status = gsl_multiroot_fsolver_iterate(solver);
        iteration++;
    }
    *iterations = iteration;
    return status;
}

/* The error of a joint solve whose model broke down: every instrument of the run that broke. */
static int goals_joint_breakdown(const goals_set *g, const size_t *goal_index, size_t count,
                                 const goals_joint_context *context, const goals_engine *engine, diag *d)
{
    const model *m = engine->r->model;
    /* a model run gave a value that is not a number: say where, with every instrument */
    char tried[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < count && used < sizeof tried; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        int n = snprintf(tried + used, sizeof tried - used, "%s%s = %.10g", i ? ", " : "", goal->solve,
                         context->broke_x[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    return diag_error(d, DIAG_SOFTWARE,
                      _("goals solved jointly (%s...): the solver tried %s, and there %s in %d is %s: the model breaks "
                      "down inside the instruments' ranges"),
                      g->goals[goal_index[0]].id, tried, m->slots[engine->broke_slot].name, engine->broke_year,
                      isnan(engine->broke_value) ? _("not a number (NaN)") : _("infinite"));
}

/* Why a joint solve did not converge, with each goal's residual at the best point found. */
static void goals_joint_explain(goals_joint *joint, const goals_set *g, const model *m, int status, int broke_down)
{
    size_t used = (size_t)snprintf(joint->message, sizeof joint->message,
                                   _("the joint solve did not converge after %zu iterations (%s); residuals "
                                     "(value - target) at the best point found:"),
                                   joint->iterations,
                                   broke_down ? _("the solver broke down: its Jacobian became singular, "
                                                  "typically because an instrument is pinned at a bound")
                                   : status == GSL_SUCCESS    ? _("stopped")
                                   : status == GSL_EMAXITER   ? _("iteration limit")
                                   : status == GSL_EBADFUNC   ? _("the model gave a value that is not finite")
                                   : status == GSL_ENOPROG || status == GSL_ENOPROGJ
                                       ? _("no progress: no point in the instruments' ranges meets every goal")
                                       : gsl_strerror(status));
    for (size_t i = 0; i < joint->count && used < sizeof joint->message; i++) {
        const goals_goal *goal = &g->goals[joint->goals[i]];
        const model_slot *instrument = &m->slots[goal->solve_slot];
        char residual[64], x[64];
        goals_format_difference(residual, sizeof residual, joint->residual[i], goals_value_unit(goal, m));
        units_format_value(x, sizeof x, joint->instrument[i], instrument->unit);
        int at_bound = joint->instrument[i] <= instrument->min || joint->instrument[i] >= instrument->max;
        used += (size_t)snprintf(joint->message + used, sizeof joint->message - used,
                                 at_bound ? _("%s %s %s at %s = %s (at its bound)") : _("%s %s %s at %s = %s"),
                                 /* TRANSLATORS: between the goals of the list of residuals */
                                 i ? _(";") : "", goal->id, residual, goal->solve, x);
    }
}

/* The answer of a joint solve: the best point the solver evaluated (its last iterate when it
 * converged; the start when none was finite), run once more for its values and residuals. */
static void goals_joint_answer(goals_joint *joint, goals_joint_context *context, const gsl_vector *start)
{
    const goals_set *g = context->set;
    double point[GOALS_MAX] = {0};
    if (!isfinite(context->best_norm))
        for (size_t i = 0; i < joint->count; i++)
            context->best[i] = gsl_vector_get(start, i);
    for (size_t i = 0; i < joint->count; i++)
        point[i] = joint->instrument[i] = context->best[i];
    goals_joint_run(context, point);
    joint->converged = 1;
    for (size_t i = 0; i < joint->count; i++) {
        const goals_goal *goal = &g->goals[joint->goals[i]];
        joint->value[i] = goals_measure(goal, context->engine->plan, context->engine->values, goal->year);
        joint->residual[i] = joint->value[i] - goal->target;
        if (!(fabs(joint->residual[i]) <= GOALS_JOINT_TOL * goals_scale(goal)))
            joint->converged = 0;
    }
    joint->evaluations = context->engine->evaluations;
}

/* Out of memory in a joint solve: the failure already in d (the engine's), else a new one. */
static int goals_joint_oom(diag *d)
{
    return d->status != DIAG_OK ? d->status : diag_oom(d, _("solving goals jointly"));
}

int goals_solve_joint(const goals_set *g, const size_t *goal_index, size_t count, const run *r, goals_joint **out,
                      diag *d)
{
    *out = NULL;
    if (goals_joint_check(g, goal_index, count, d) != DIAG_OK)
        return d->status;
    const model *m = r->model;
    goals_joint *joint = goals_joint_new(goal_index, count);
    if (!joint)
        return goals_joint_oom(d);
    goals_engine engine = {0};
    gsl_multiroot_fsolver *solver = NULL;
    gsl_vector *start = NULL;
    int status = DIAG_OK;
    if (goals_engine_open(&engine, r, d) != DIAG_OK) {
        status = goals_joint_oom(d);
        goto out;
    }
    solver = gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, count);
    start = gsl_vector_alloc(count);
    if (!solver || !start) {
        status = goals_joint_oom(d);
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        const goals_goal *goal = &g->goals[goal_index[i]];
        const goals_seek_result *own = &g->results[goal_index[i]].seek;
        const model_slot *instrument = &m->slots[goal->solve_slot];
        double x = own->status == GOALS_SEEK_FOUND ? own->required : goals_current_instrument(goal, r);
        gsl_vector_set(start, i, goals_clamp(x, instrument->min, instrument->max));
    }
    goals_joint_context context = {&engine, g, goal_index, count, 0, {0}, INFINITY, {0}};
    gsl_multiroot_function function = {goals_joint_residuals, count, &context};
    int gsl_status = gsl_multiroot_fsolver_set(solver, &function, start);
    if (gsl_status == GSL_SUCCESS)
        gsl_status = goals_joint_iterate(solver, &joint->iterations);
    if (gsl_status == GSL_ENOMEM) {
        status = goals_joint_oom(d);
        goto out;
    }
    if (engine.broke) {
        status = goals_joint_breakdown(g, goal_index, count, &context, &engine, d);
        goto out;
    }
    goals_joint_answer(joint, &context, start);
    if (!joint->converged)
        goals_joint_explain(joint, g, m, gsl_status, context.broke_down);
    *out = joint;
    joint = NULL;
out:
    gsl_multiroot_fsolver_free(solver);
    gsl_vector_free(start);
    goals_engine_close(&engine);
    goals_joint_free(joint);
    return status;
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
            units_format_value(x, sizeof x, seek->required, instrument->unit);
            goals_format_years(years, sizeof years, goal, r);
            size_t used = (size_t)snprintf(seek->message, sizeof seek->message,
                                           _("%s = %s (%s) meets the target exactly, jointly with"), goal->solve,
                                           x, years);
            for (size_t k = 0; k < joint->count && used < sizeof seek->message; k++)
                if (k != i)
                    used += (size_t)snprintf(seek->message + used, sizeof seek->message - used, " %s",
                                             g->goals[joint->goals[k]].id);
        } else {
            seek->status = GOALS_SEEK_FAILED;
            seek->required = NAN;
            char residual[64], x[64];
            goals_format_difference(residual, sizeof residual, joint->residual[i], goals_value_unit(goal, r->model));
            units_format_value(x, sizeof x, joint->instrument[i], instrument->unit);
            snprintf(seek->message, sizeof seek->message,
                     joint->instrument[i] <= instrument->min || joint->instrument[i] >= instrument->max
                         ? _("not solved: the joint solve did not converge; best point: %s = %s (at its bound), "
                             "residual %s")
                         : _("not solved: the joint solve did not converge; best point: %s = %s, residual %s"),
                     goal->solve, x, residual);
        }
    }
}

int goals_path(const goals_set *g, const size_t *goal_index, const double *instrument, size_t count, const run *r,
               double **values, diag *d)
{
    sim_plan *plan = sim_plan_clone(r->plan);
    if (!plan)
        return diag_oom(d, _("running the model at the solution"));
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
