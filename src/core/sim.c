/* sim.c: binding a model to a scenario and its history, and the time loop.
 *
 * All the decisions about where a value comes from are taken once, in sim_plan_build, and
 * recorded per cell (slot, year) as a mode and an origin. The run itself is then a plain loop
 * over years and equations in dependency order, which is what lets ensembles and sweeps run
 * millions of paths: no name lookups, no branches on scenario content, no allocation. */
#include "sim.h"
#include "i18n.h"
#include "mem.h"
#include "sim_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *sim_origin_name(sim_origin origin)
{
    switch (origin) {
    case SIM_ORIGIN_OBSERVED:
        return "observed";
    case SIM_ORIGIN_DERIVED:
        return "derived";
    case SIM_ORIGIN_INTERPOLATED:
        return "interpolated";
    case SIM_ORIGIN_INITIAL:
        return "initial";
    case SIM_ORIGIN_ASSUMED:
        return "assumed";
    case SIM_ORIGIN_MODEL:
        return "model";
    case SIM_ORIGIN_PROJECTED:
        return "projected";
    case SIM_ORIGIN_ESTIMATED:
        return "estimated";
    case SIM_ORIGIN_NONE:
        break;
    }
    return "";
}

void sim_plan_free(sim_plan *plan)
{
    if (!plan)
        return;
    mem_free(plan->base);
    mem_free(plan->mode);
    mem_free(plan->origin);
    mem_free(plan->source);
    mem_free(plan->used);
    mem_free(plan->overrides);
    mem_free(plan);
}

static size_t cell(const sim_plan *plan, size_t slot, size_t t)
{
    return slot * plan->years + t;
}

int sim_plan_cell_shown(const sim_plan *plan, size_t slot, size_t t)
{
    size_t c = cell(plan, slot, t);
    if (plan->mode[c] == SIM_MODE_NONE || plan->model->slots[slot].kind == MODEL_PARAMETER)
        return 0;
    return plan->origin[c] != SIM_ORIGIN_ASSUMED || plan->used[c] || (int)t >= plan->start - plan->first_year;
}

int sim_plan_year_index(const sim_plan *plan, int year)
{
    if (year < plan->first_year || year > plan->end)
        return -1;
    return year - plan->first_year;
}

/* ---------------------------------------------------------------------------------------- */
/* Matching history rows to model names                                                       */

/* Maps an observation to a slot (model_indicator_slot). */
static int history_slot(const model *m, const history_row *row, int *growth_of)
{
    return model_indicator_slot(m, row->indicator, row->kind == HISTORY_GROWTH, growth_of);
}

/* ---------------------------------------------------------------------------------------- */
/* Building the plan                                                                          */


/* sim_first_year for a horizon start..end. */
static int first_year_of(const model *m, const scenario *s, const history *h, int start, int end)
{
    int first = start - m->max_lag;
    if (h && s->history_place)
        for (size_t i = 0; i < h->count; i++) {
            const history_row *row = &h->rows[i];
            int growth_of;
            if (strcmp(row->place, s->history_place) || row->year > end || history_slot(m, row, &growth_of) < 0)
                continue;
            if (row->year < first)
                first = row->year;
        }
    for (size_t i = 0; i < s->initial_count; i++)
        for (size_t k = 0; k < s->initial[i].span_count; k++)
            if (s->initial[i].spans[k].from < first)
                first = s->initial[i].spans[k].from;
    return first;
}

int sim_first_year(const model *m, const scenario *s, const history *h)
{
    return first_year_of(m, s, h, s->start, s->end);
}

/* The value of an initial series in `year` under the options: its own, or (initial_at) the
 * earliest value dated after that year, moved to it. Returns 1 with *v set, or 0. */
static int initial_value(const scenario_series *initial, int year, const sim_plan_options *o, double *v)
{
    if (scenario_series_value(initial, year, v))
        return 1;
    if (!o || o->initial_at <= 0 || year != o->initial_at)
        return 0;
    int best = 0;
    for (size_t k = 0; k < initial->span_count; k++) {
        const scenario_span *span = &initial->spans[k];
        if (span->from > year && (!best || span->from < best)) {
            best = span->from;
            *v = span->value;
        }
    }
    return best != 0;
}

/* The value of an exogenous series' assumption in `year` under the options: its own, or
 * (carry_back, a year before the scenario's start that it does not cover) its value in the
 * scenario's start year. Returns 1 with *v set, or 0. */
static int assumption_value(const scenario_series *assumption, const scenario *s, int year, const sim_plan_options *o,
                            double *v)
{
    if (scenario_series_value(assumption, year, v))
        return 1;
    return o && o->carry_back && year < s->start && scenario_series_value(assumption, s->start, v);
}

static int place_observations(sim_plan *plan, const scenario *s, const history *h, diag *d)
{
    const model *m = plan->model;
    for (size_t i = 0; i < h->count; i++) {
        const history_row *row = &h->rows[i];
        int growth_of;
        if (strcmp(row->place, s->history_place))
            continue;
        int slot = history_slot(m, row, &growth_of);
        int t = sim_plan_year_index(plan, row->year);
        if (slot < 0 || t < 0)
            continue;
        if (m->slots[slot].kind == MODEL_PARAMETER) {
            diag_warning(d, _("%s:%d: observation of parameter \"%s\" ignored (parameters are constant)"), h->path,
                         row->line, row->indicator);
            continue;
        }
        size_t c = cell(plan, (size_t)slot, (size_t)t);
        if (!growth_of) {
            plan->mode[c] = SIM_MODE_FIXED;
            plan->origin[c] = SIM_ORIGIN_OBSERVED;
            plan->base[c] = row->value;
            plan->source[c] = row;
        } else if (plan->origin[c] != SIM_ORIGIN_OBSERVED) {
            /* a level observed in the same year wins over a growth rate */
            plan->mode[c] = SIM_MODE_GROWTH;
            plan->origin[c] = SIM_ORIGIN_DERIVED;
            plan->base[c] = row->value;
            plan->source[c] = row;
        }
    }
    (void)d;
    return DIAG_OK;
}

/* Decides each cell of one variable or exogenous series that history did not fix. */
static void place_slot(sim_plan *plan, const scenario *s, size_t slot, const sim_plan_options *o)
{
    const model_slot *ms = &plan->model->slots[slot];
    size_t start_t = (size_t)(plan->start - plan->first_year);
    const scenario_series *initial = scenario_initial(s, ms->name);
    const scenario_series *assumption = ms->kind == MODEL_EXOGENOUS ? scenario_assumption(s, ms->name) : NULL;
    /* pass 1: initial values before start (history wins) and exogenous assumptions */
    for (size_t t = 0; t < plan->years; t++) {
        size_t c = cell(plan, slot, t);
        int year = plan->first_year + (int)t;
        double v;
        if (plan->origin[c] == SIM_ORIGIN_OBSERVED)
            continue;
        if (t < start_t && initial && initial_value(initial, year, o, &v)) {
            plan->mode[c] = SIM_MODE_FIXED;
            plan->origin[c] = SIM_ORIGIN_INITIAL;
            plan->base[c] = v;
            plan->source[c] = NULL;
        } else if (ms->kind == MODEL_EXOGENOUS && plan->mode[c] != SIM_MODE_GROWTH) {
            if (assumption ? assumption_value(assumption, s, year, o, &v) : (v = ms->value, 1)) {
                plan->mode[c] = SIM_MODE_FIXED;
                plan->origin[c] = SIM_ORIGIN_ASSUMED;
                plan->base[c] = v;
            }
        }
    }
    /* pass 2: growth rates need a previous value; the equation fills the years after the last
     * fixed value before start (the ragged edge) and every open year from start on */
    size_t last_fixed = (size_t)-1;
    for (size_t t = 0; t < start_t && t < plan->years; t++)
        if (plan->mode[cell(plan, slot, t)] == SIM_MODE_FIXED)
            last_fixed = t;
    for (size_t t = 0; t < plan->years; t++) {
        size_t c = cell(plan, slot, t);
        if (plan->mode[c] == SIM_MODE_FIXED)
            continue;
        int has_previous = t > 0 && plan->mode[cell(plan, slot, t - 1)] != SIM_MODE_NONE;
        if (plan->mode[c] == SIM_MODE_GROWTH) {
            if (!has_previous && t < start_t) {
                plan->mode[c] = SIM_MODE_NONE; /* nothing to chain from: not used by a run */
                plan->origin[c] = SIM_ORIGIN_NONE;
                plan->source[c] = NULL;
            }
            continue;
        }
        if (ms->kind == MODEL_VARIABLE && (t >= start_t || (last_fixed != (size_t)-1 && t > last_fixed))) {
            plan->mode[c] = SIM_MODE_EQUATION;
            plan->origin[c] = SIM_ORIGIN_MODEL;
        }
    }
}

/* 1 when slot has an observed level in a year index of (from, to] that starts a new basis
 * (history.h series_break): a value of `from` and one of `to` are not one series. */
static int straddles_break(const sim_plan *plan, size_t slot, size_t from, size_t to)
{
    for (size_t t = from + 1; t <= to; t++) {
        const history_row *row = plan->source[cell(plan, slot, t)];
        if (plan->origin[cell(plan, slot, t)] == SIM_ORIGIN_OBSERVED && row && row->series_break &&
            row->series_break[0])
            return 1;
    }
    return 0;
}

/* Before start, an equation also fills a year whose inputs are all data (observed, derived
 * or initial, or filled this way): real GDP from observed GDP and the base-year deflator, a
 * revenue share from two observations. Nothing assumed enters, so no estimate appears in a
 * gap between observations, and nothing reads levels across a series break. */
static void fill_identities(sim_plan *plan, size_t start_t)
{
    const model *m = plan->model;
    for (size_t t = 0; t < start_t && t < plan->years; t++)
        for (size_t o = 0; o < m->order_count; o++) {
            size_t v = m->order[o];
            size_t c = cell(plan, v, t);
            if (plan->mode[c] != SIM_MODE_NONE)
                continue;
            size_t ref_count;
            const expr_ref *refs = expr_program_refs(m->slots[v].program, &ref_count);
            int from_data = ref_count > 0;
            for (size_t r = 0; r < ref_count && from_data; r++) {
                if ((size_t)refs[r].lag > t) {
                    from_data = 0;
                    break;
                }
                if (refs[r].lag > 0 && straddles_break(plan, (size_t)refs[r].slot, t - (size_t)refs[r].lag, t)) {
                    from_data = 0; /* last year's level is on another basis: no growth across a break */
                    break;
                }
                size_t input = cell(plan, (size_t)refs[r].slot, t - (size_t)refs[r].lag);
                sim_origin o2 = (sim_origin)plan->origin[input];
                from_data = plan->mode[input] != SIM_MODE_NONE &&
                            (o2 == SIM_ORIGIN_OBSERVED || o2 == SIM_ORIGIN_DERIVED || o2 == SIM_ORIGIN_INITIAL ||
                             (o2 == SIM_ORIGIN_MODEL && plan->used[input] == 2));
            }
            if (from_data) {
                plan->mode[c] = SIM_MODE_EQUATION;
                plan->origin[c] = SIM_ORIGIN_MODEL;
                plan->used[c] = 2; /* marks "computed from data only" for chains */
            }
        }
    for (size_t c = 0; c < m->slot_count * plan->years; c++)
        if (plan->used[c] == 2)
            plan->used[c] = 0;
}

/* Explains why cell (slot, t) has no value, for the message of a missing input. */
static void explain_missing(const sim_plan *plan, const scenario *s, size_t slot, char *buf, size_t size)
{
    const model_slot *ms = &plan->model->slots[slot];
    const scenario_series *assumption = scenario_assumption(s, ms->name);
    if (ms->kind == MODEL_EXOGENOUS && assumption)
        snprintf(buf, size, _("the assumption at %s: %s does not cover that year"), assumption->file,
                 assumption->json_path);
    else if (ms->kind == MODEL_EXOGENOUS)
        snprintf(buf, size, "%s", _("it has no observation or assumption that year"));
    else
        snprintf(buf, size, "%s",
                 _("it has no observation and no initial value: add one to the history or to \"initial\""));
}

/* 1 when every input of variable v's equation in year index t has a value. */
static int inputs_present(const sim_plan *plan, size_t v, size_t t)
{
    size_t ref_count;
    const expr_ref *refs = expr_program_refs(plan->model->slots[v].program, &ref_count);
    for (size_t r = 0; r < ref_count; r++)
        if ((size_t)refs[r].lag > t ||
            plan->mode[cell(plan, (size_t)refs[r].slot, t - (size_t)refs[r].lag)] == SIM_MODE_NONE)
            return 0;
    return 1;
}

/* Under the partial option: cell (v, t) gets no value, and neither will the cells that read it. */
static void drop_cell(sim_plan *plan, size_t c)
{
    plan->mode[c] = SIM_MODE_NONE;
    plan->origin[c] = SIM_ORIGIN_NONE;
    plan->source[c] = NULL;
    plan->base[c] = NAN;
}

static int check_inputs(sim_plan *plan, const scenario *s, int partial, diag *d)
{
    const model *m = plan->model;
    plan->compute_from = plan->years;
    for (size_t t = 0; t < plan->years; t++) {
        for (size_t o = 0; o < m->order_count; o++) {
            size_t v = m->order[o];
            size_t c = cell(plan, v, t);
            int year = plan->first_year + (int)t;
            char why[600];
            if (plan->mode[c] == SIM_MODE_GROWTH) {
                if (t == 0 || plan->mode[cell(plan, v, t - 1)] == SIM_MODE_NONE) {
                    if (partial) {
                        drop_cell(plan, c);
                        continue;
                    }
                    explain_missing(plan, s, v, why, sizeof why);
                    return diag_error_file(d, DIAG_DATA, s->path,
                                           _("the observed growth of %s in %d needs its level in %d, which is missing: %s"),
                                           m->slots[v].name, year, year - 1, why);
                }
            } else if (plan->mode[c] != SIM_MODE_EQUATION) {
                continue;
            }
            if (partial && plan->mode[c] == SIM_MODE_EQUATION && !inputs_present(plan, v, t)) {
                drop_cell(plan, c);
                continue;
            }
            if (t < plan->compute_from)
                plan->compute_from = t;
            if (plan->mode[c] == SIM_MODE_GROWTH) {
                plan->used[cell(plan, v, t - 1)] = 1;
                continue;
            }
            size_t ref_count;
            const expr_ref *refs = expr_program_refs(m->slots[v].program, &ref_count);
            for (size_t r = 0; r < ref_count; r++) {
                size_t input = (size_t)refs[r].slot;
                int lag = refs[r].lag;
                int input_year = year - lag;
                if ((size_t)lag <= t && plan->mode[cell(plan, input, t - (size_t)lag)] != SIM_MODE_NONE) {
                    plan->used[cell(plan, input, t - (size_t)lag)] = 1;
                    continue;
                }
                explain_missing(plan, s, input, why, sizeof why);
                if (lag > 0)
                    return diag_error_file(d, DIAG_DATA, s->path, _("%s in %d needs %s in %d (%s[-%d]), but %s"),
                                           m->slots[v].name, year, m->slots[input].name, input_year,
                                           m->slots[input].name, lag, why);
                return diag_error_file(d, DIAG_DATA, s->path, _("%s in %d needs %s in %d, but %s"), m->slots[v].name,
                                       year, m->slots[input].name, input_year, why);
            }
        }
    }
    return DIAG_OK;
}

sim_plan *sim_plan_build(const model *m, const scenario *s, const history *h, diag *d)
{
    return sim_plan_build_with(m, s, h, NULL, d);
}

sim_plan *sim_plan_build_with(const model *m, const scenario *s, const history *h, const sim_plan_options *o, diag *d)
{
    if (!s->start || !s->end) {
        diag_error_json(d, DIAG_DATA, s->path, "$", _("the scenario needs \"start\" and \"end\" years to run"));
        return NULL;
    }
    if (!h || !s->history_place)
        h = NULL;
    sim_plan *plan = mem_calloc(1, sizeof *plan);
    if (!plan) {
        diag_oom(d, _("building the run"));
        return NULL;
    }
    plan->model = m;
    plan->start = o && o->start ? o->start : s->start;
    plan->end = o && o->end ? o->end : s->end;
    if (plan->end < plan->start) {
        diag_error_json(d, DIAG_SOFTWARE, s->path, "$", _("a run from %d to %d has no years"), plan->start, plan->end);
        goto fail;
    }
    plan->first_year = first_year_of(m, s, h, plan->start, plan->end);
    plan->years = (size_t)(plan->end - plan->first_year + 1);
    size_t cells = m->slot_count * plan->years;
    plan->base = mem_alloc((cells ? cells : 1) * sizeof *plan->base);
    plan->mode = mem_calloc(cells ? cells : 1, 1);
    plan->origin = mem_calloc(cells ? cells : 1, 1);
    plan->source = mem_calloc(cells ? cells : 1, sizeof *plan->source);
    plan->used = mem_calloc(cells ? cells : 1, 1);
    if (!plan->base || !plan->mode || !plan->origin || !plan->source || !plan->used) {
        diag_oom(d, _("building the run"));
        goto fail;
    }
    for (size_t c = 0; c < cells; c++)
        plan->base[c] = NAN;
    /* parameters: one value in every year */
    for (size_t slot = 0; slot < m->slot_count; slot++) {
        const model_slot *ms = &m->slots[slot];
        const scenario_series *assumption = scenario_assumption(s, ms->name);
        if (ms->kind != MODEL_PARAMETER)
            continue;
        double v = assumption ? assumption->constant : ms->value;
        for (size_t t = 0; t < plan->years; t++) {
            size_t c = cell(plan, slot, t);
            plan->mode[c] = SIM_MODE_FIXED;
            plan->origin[c] = SIM_ORIGIN_ASSUMED;
            plan->base[c] = v;
        }
    }
    if (h && place_observations(plan, s, h, d) != DIAG_OK)
        goto fail;
    for (size_t slot = 0; slot < m->slot_count; slot++)
        if (m->slots[slot].kind != MODEL_PARAMETER)
            place_slot(plan, s, slot, o);
    if (sim_nowcast(plan, s, d) != DIAG_OK)
        goto fail;
    fill_identities(plan, (size_t)(plan->start - plan->first_year));
    if (check_inputs(plan, s, o && o->partial, d) != DIAG_OK)
        goto fail;
    sim_mark_estimates(plan);
    return plan;
fail:
    sim_plan_free(plan);
    return NULL;
}

sim_plan *sim_plan_clone(const sim_plan *plan)
{
    const model *m = plan->model;
    size_t cells = m->slot_count * plan->years;
    sim_plan *copy = mem_calloc(1, sizeof *copy);
    if (!copy)
        return NULL;
    *copy = *plan;
    copy->base = mem_alloc((cells ? cells : 1) * sizeof *copy->base);
    copy->mode = mem_alloc(cells ? cells : 1);
    copy->origin = mem_alloc(cells ? cells : 1);
    copy->source = mem_alloc((cells ? cells : 1) * sizeof *copy->source);
    copy->used = mem_alloc(cells ? cells : 1);
    copy->overrides = NULL;
    if (plan->override_count) {
        copy->overrides = mem_alloc(plan->override_count * sizeof *copy->overrides);
        if (!copy->overrides)
            goto fail;
        memcpy(copy->overrides, plan->overrides, plan->override_count * sizeof *copy->overrides);
    }
    if (!copy->base || !copy->mode || !copy->origin || !copy->source || !copy->used)
        goto fail;
    memcpy(copy->base, plan->base, cells * sizeof *copy->base);
    memcpy(copy->mode, plan->mode, cells);
    memcpy(copy->origin, plan->origin, cells);
    memcpy(copy->source, plan->source, cells * sizeof *copy->source);
    memcpy(copy->used, plan->used, cells);
    return copy;
fail:
    sim_plan_free(copy);
    return NULL;
}

int sim_plan_set_input(sim_plan *plan, int slot, int from_year, int to_year, double value)
{
    const model_slot *ms = &plan->model->slots[slot];
    if (ms->kind == MODEL_VARIABLE)
        return DIAG_SOFTWARE;
    if (ms->kind == MODEL_PARAMETER) {
        from_year = plan->first_year;
        to_year = plan->end;
    }
    for (int year = from_year; year <= to_year; year++) {
        int t = sim_plan_year_index(plan, year);
        if (t < 0)
            continue;
        size_t c = cell(plan, (size_t)slot, (size_t)t);
        if (plan->origin[c] == SIM_ORIGIN_OBSERVED || plan->origin[c] == SIM_ORIGIN_DERIVED)
            continue;
        plan->mode[c] = SIM_MODE_FIXED;
        plan->origin[c] = SIM_ORIGIN_ASSUMED;
        plan->base[c] = value;
    }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

size_t sim_block_values_size(const sim_plan *plan, size_t lanes)
{
    return plan->model->slot_count * plan->years * lanes;
}

size_t sim_block_scratch_size(const sim_plan *plan, size_t lanes)
{
    return (plan->model->scratch ? plan->model->scratch : 1) * lanes;
}

void sim_block_init(const sim_plan *plan, size_t lanes, double *values)
{
    size_t cells = plan->model->slot_count * plan->years;
    for (size_t c = 0; c < cells; c++) {
        double v = plan->base[c];
        double *lane = values + c * lanes;
        for (size_t l = 0; l < lanes; l++)
            lane[l] = v;
    }
}

void sim_block_run(const sim_plan *plan, size_t lanes, double *values, double *scratch)
{
    const model *m = plan->model;
    expr_frame frame = {
        .data = values,
        .slot_stride = plan->years * lanes,
        .year_stride = lanes,
        .lanes = lanes,
    };
    for (size_t t = plan->compute_from; t < plan->years; t++) {
        frame.year_index = t;
        frame.year = plan->first_year + (int)t;
        for (size_t o = 0; o < m->order_count; o++) {
            size_t v = m->order[o];
            size_t c = cell(plan, v, t);
            double *out = values + c * lanes;
            switch (plan->mode[c]) {
            case SIM_MODE_EQUATION:
                expr_program_eval(m->slots[v].program, &frame, out, scratch);
                break;
            case SIM_MODE_GROWTH: {
                const double *previous = out - lanes;
                double growth = plan->base[c];
                for (size_t l = 0; l < lanes; l++)
                    out[l] = previous[l] * (1.0 + growth);
                break;
            }
            default:
                break;
            }
        }
    }
}

int sim_run_path(const sim_plan *plan, double **values_out, diag *d)
{
    const model *m = plan->model;
    double *values = mem_alloc(sim_block_values_size(plan, 1) * sizeof *values + 1);
    double *scratch = mem_alloc(sim_block_scratch_size(plan, 1) * sizeof *scratch);
    if (!values || !scratch) {
        mem_free(values);
        mem_free(scratch);
        return diag_oom(d, _("running the model"));
    }
    sim_block_init(plan, 1, values);
    sim_block_run(plan, 1, values, scratch);
    mem_free(scratch);
    for (size_t t = 0; t < plan->years; t++)
        for (size_t o = 0; o < m->order_count; o++) {
            size_t c = cell(plan, m->order[o], t);
            if ((plan->mode[c] == SIM_MODE_EQUATION || plan->mode[c] == SIM_MODE_GROWTH) && !isfinite(values[c])) {
                diag_error(d, DIAG_SOFTWARE,
                           _("%s in %d is not a finite number (%g): check its equation at %s for a division by zero, "
                           "a log of a negative number or an overflow"),
                           m->slots[m->order[o]].name, plan->first_year + (int)t, values[c], m->path);
                mem_free(values);
                return DIAG_SOFTWARE;
            }
        }
    *values_out = values;
    return DIAG_OK;
}
