/* backtest.c: the rolling-origin evaluation (backtest.h): one run of the scenario's model per
 * origin, with the data of that year, compared with the actuals of later years. */
#include "backtest.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Actuals                                                                                   */

static void actuals_release(backtest_actuals *a)
{
    mem_free(a->value);
    mem_free(a->origin);
    mem_free(a->breaks);
}

/* The actuals of slot from every observation of the place: levels as observed; a year with
 * only a growth rate is derived from the previous year's actual. Returns 1 when the variable
 * has at least one actual, 0 when none, -1 when out of memory. */
static int actuals_build(const run *r, int slot, backtest_actuals *a)
{
    const history *h = r->history;
    const char *place = r->scenario->history_place;
    memset(a, 0, sizeof *a);
    a->slot = slot;
    int first = 0, last = 0;
    for (size_t i = 0; i < h->count; i++) {
        int growth_of;
        const history_row *row = &h->rows[i];
        if (strcmp(row->place, place) ||
            model_indicator_slot(r->model, row->indicator, row->kind == HISTORY_GROWTH, &growth_of) != slot)
            continue;
        if (!first || row->year < first)
            first = row->year;
        if (row->year > last)
            last = row->year;
    }
    if (!first)
        return 0;
    a->first_year = first;
    a->years = (size_t)(last - first + 1);
    a->value = mem_alloc(a->years * sizeof *a->value);
    a->origin = mem_calloc(a->years, 1);
    double *growth = mem_alloc(a->years * sizeof *growth);
    a->breaks = mem_alloc(a->years * sizeof *a->breaks);
    if (!a->value || !a->origin || !growth || !a->breaks) {
        mem_free(growth);
        return -1;
    }
    for (size_t t = 0; t < a->years; t++)
        a->value[t] = growth[t] = NAN;
    for (size_t i = 0; i < h->count; i++) {
        int growth_of;
        const history_row *row = &h->rows[i];
        if (strcmp(row->place, place) ||
            model_indicator_slot(r->model, row->indicator, row->kind == HISTORY_GROWTH, &growth_of) != slot)
            continue;
        size_t t = (size_t)(row->year - first);
        if (growth_of) {
            growth[t] = row->value;
        } else {
            a->value[t] = row->value;
            a->origin[t] = SIM_ORIGIN_OBSERVED;
            if (row->series_break && row->series_break[0])
                a->breaks[a->break_count++] = row->year;
        }
    }
    for (size_t t = 1; t < a->years; t++)
        if (a->origin[t] == SIM_ORIGIN_NONE && isfinite(growth[t]) && a->origin[t - 1] != SIM_ORIGIN_NONE) {
            a->value[t] = a->value[t - 1] * (1.0 + growth[t]);
            a->origin[t] = SIM_ORIGIN_DERIVED;
        }
    mem_free(growth);
    for (size_t t = 0; t < a->years; t++)
        if (a->origin[t] != SIM_ORIGIN_NONE)
            return 1;
    return 0;
}

static double actual_of(const backtest_actuals *a, int year, sim_origin *origin)
{
    if (year < a->first_year || year >= a->first_year + (int)a->years)
        return NAN;
    size_t t = (size_t)(year - a->first_year);
    if (origin)
        *origin = (sim_origin)a->origin[t];
    return a->origin[t] == SIM_ORIGIN_NONE ? NAN : a->value[t];
}

/* 1 when a series break lies in (from, to]: levels of from and to are on different bases. */
static int across_break(const backtest_actuals *a, int from, int to)
{
    for (size_t i = 0; i < a->break_count; i++)
        if (a->breaks[i] > from && a->breaks[i] <= to)
            return 1;
    return 0;
}

/* The first year whose actuals may be read with those of year T (the last break up to T). */
static int basis_start(const backtest_actuals *a, int T)
{
    int from = a->first_year;
    for (size_t i = 0; i < a->break_count; i++)
        if (a->breaks[i] <= T && a->breaks[i] > from)
            from = a->breaks[i];
    return from;
}

/* 1 when the variable has an actual in T and a later one (a default origin). */
static int is_default_origin(const backtest_actuals *a, int T)
{
    if (!isfinite(actual_of(a, T, NULL)))
        return 0;
    for (int y = T + 1; y < a->first_year + (int)a->years; y++)
        if (isfinite(actual_of(a, y, NULL)))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* The naive forecasts                                                                        */

/* No change in growth: the annual growth between the last two positive actuals up to T (on
 * T's basis) carries on from the later one. NaN without two. */
static double naive_forecast(const backtest_actuals *a, int T, int year)
{
    int from = basis_start(a, T);
    int y2 = 0, y1 = 0;
    for (int y = T; y >= from; y--) {
        double v = actual_of(a, y, NULL);
        if (!isfinite(v) || v <= 0)
            continue;
        if (!y2)
            y2 = y;
        else {
            y1 = y;
            break;
        }
    }
    if (!y1)
        return NAN;
    double a1 = actual_of(a, y1, NULL), a2 = actual_of(a, y2, NULL);
    double g = pow(a2 / a1, 1.0 / (y2 - y1));
    return a2 * pow(g, year - y2);
}

/* The log-linear trend (least squares of log value on year) of the positive actuals up to T
 * on T's basis, at `year`. NaN with fewer than two. */
static double trend_forecast(const backtest_actuals *a, int T, int year)
{
    int from = basis_start(a, T);
    double n = 0, sx = 0, sy = 0;
    for (int y = from; y <= T; y++) {
        double v = actual_of(a, y, NULL);
        if (isfinite(v) && v > 0) {
            n++;
            sx += y;
            sy += log(v);
        }
    }
    if (n < 2)
        return NAN;
    double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
    for (int y = from; y <= T; y++) {
        double v = actual_of(a, y, NULL);
        if (isfinite(v) && v > 0) {
            sxx += (y - mx) * (y - mx);
            sxy += (y - mx) * (log(v) - my);
        }
    }
    return exp(my + sxy / sxx * (year - mx));
}

/* ---------------------------------------------------------------------------------------- */
/* One origin                                                                                */

/* 1 when the run of origin T read, in some year up to `year` before the scenario's start, an
 * exogenous assumption carried back from the start year. */
static int used_carried(const run *r, const sim_plan *plan, int year)
{
    const model *m = r->model;
    const scenario *s = r->scenario;
    int last = year < s->start - 1 ? year : s->start - 1;
    for (size_t slot = 0; slot < m->slot_count; slot++) {
        if (m->slots[slot].kind != MODEL_EXOGENOUS)
            continue;
        const scenario_series *assumption = scenario_assumption(s, m->slots[slot].name);
        if (!assumption)
            continue;
        for (int y = plan->first_year; y <= last; y++) {
            size_t c = slot * plan->years + (size_t)(y - plan->first_year);
            double v;
            if (plan->origin[c] == SIM_ORIGIN_ASSUMED && plan->used[c] && !scenario_series_value(assumption, y, &v))
                return 1;
        }
    }
    return 0;
}

/* Makes room for one more item in *items (count used of *capacity). Returns 0, or -1 when
 * out of memory (*items unchanged). */
static int grow(void **items, size_t *capacity, size_t count, size_t size)
{
    if (count < *capacity)
        return 0;
    size_t next = *capacity ? *capacity * 2 : 64;
    void *bigger = mem_realloc(*items, next * size);
    if (!bigger)
        return -1;
    *items = bigger;
    *capacity = next;
    return 0;
}

/* The ensemble of one origin: per path, the value of each row's cell. */
typedef struct band_store {
    const sim_plan *plan;
    size_t count;        /* rows of this origin */
    size_t *cells;       /* [k]: slot * years + t of row k */
    size_t paths;
    float *values;       /* [k * paths + path]: written by the path's own lane only */
} band_store;

static int band_reduce(void *context, engine_block *block)
{
    band_store *b = context;
    for (size_t k = 0; k < b->count; k++)
        for (size_t lane = 0; lane < block->lanes; lane++)
            b->values[k * b->paths + block->first + lane] = (float)block->values[b->cells[k] * block->lanes + lane];
    return DIAG_OK;
}

static int compare_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Type-7 quantile of sorted v[0..n). */
static double quantile7(const float *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    return lo + 1 < n ? v[lo] + frac * ((double)v[lo + 1] - v[lo]) : v[lo];
}

/* Runs the ensemble of the bands on the origin's plan and fills p05, p50, p95 and pit of
 * rows[0..count). Returns DIAG_OK or the engine's status. */
static int origin_bands(const run *r, const sim_plan *plan, double *values, const backtest_options *o,
                        backtest_row *rows, size_t count, diag *d)
{
    if (!count)
        return DIAG_OK;
    size_t paths = o->bands->paths;
    band_store b = {.plan = plan, .count = count, .paths = paths};
    b.cells = mem_alloc(count * sizeof *b.cells);
    b.values = mem_alloc(count * paths * sizeof *b.values);
    if (!b.cells || !b.values) {
        mem_free(b.cells);
        mem_free(b.values);
        return diag_oom(d, _("the back-test's bands"));
    }
    for (size_t k = 0; k < count; k++)
        b.cells[k] = (size_t)rows[k].slot * plan->years + (size_t)(rows[k].year - plan->first_year);
    run origin_run = *r; /* the scenario's run with this origin's plan and path */
    origin_run.plan = (sim_plan *)plan;
    origin_run.values = values;
    int status = ensemble_simulate(o->bands, &origin_run, o->threads, NULL, band_reduce, &b, NULL, d);
    for (size_t k = 0; status == DIAG_OK && k < count; k++) {
        float *v = b.values + k * paths;
        qsort(v, paths, sizeof *v, compare_float);
        if (v[0] == v[paths - 1]) { /* no shock reaches it: no band to test */
            rows[k].p05 = rows[k].p50 = rows[k].p95 = rows[k].forecast;
            continue;
        }
        rows[k].p05 = quantile7(v, paths, 0.05);
        rows[k].p50 = quantile7(v, paths, 0.50);
        rows[k].p95 = quantile7(v, paths, 0.95);
        double below = 0, actual = (double)(float)rows[k].actual;
        for (size_t i = 0; i < paths; i++)
            below += v[i] < actual ? 1.0 : v[i] == actual ? 0.5 : 0.0;
        rows[k].pit = below / (double)paths;
    }
    mem_free(b.cells);
    mem_free(b.values);
    return status;
}

/* Runs origin T and appends its rows and paths. Returns DIAG_OK (an origin that cannot be
 * built is a warning), or DIAG_SOFTWARE when memory runs out. */
static int run_origin(backtest_result *res, const run *r, int T, const backtest_options *o, size_t *row_capacity,
                      size_t *path_capacity, diag *d)
{
    int default_origins = !o->origin_from;
    size_t first_row = res->row_count;
    if (default_origins) {
        size_t i = 0;
        while (i < res->variable_count && !is_default_origin(&res->actuals[i], T))
            i++;
        if (i == res->variable_count)
            return DIAG_OK; /* no variable's origin */
    }
    history *view = history_view_until(r->history, T);
    if (!view)
        return diag_oom(d, _("the back-test"));
    sim_plan_options po = {.start = T + 1, .end = T + res->horizon_to, .carry_back = 1, .initial_at = T,
                           .partial = 1};
    diag local;
    diag_init(&local);
    sim_plan *plan = sim_plan_build_with(r->model, r->scenario, view, &po, &local);
    double *values = NULL;
    if (plan)
        sim_run_path(plan, &values, &local);
    if (!values) {
        if (local.status == DIAG_SOFTWARE && !plan) {
            diag_free(&local);
            history_free(view);
            return diag_oom(d, _("the back-test"));
        }
        /* not the command's error: the other origins go on */
        diag_warning(d, _("back-test origin %d left out: the run with the data up to %d could not be made: %s"), T, T,
                     local.message);
        diag_free(&local);
        sim_plan_free(plan);
        history_free(view);
        return DIAG_OK;
    }
    diag_free(&local);
    res->origins_run++;
    int status = DIAG_OK;
    for (size_t i = 0; i < res->variable_count && status == DIAG_OK; i++) {
        const backtest_actuals *a = &res->actuals[i];
        if (default_origins && !is_default_origin(a, T))
            continue;
        int slot = a->slot;
        /* the path, origin year included */
        void *paths = res->paths;
        int room = grow(&paths, path_capacity, res->path_count, sizeof *res->paths);
        res->paths = paths;
        double *path = room == 0 ? mem_alloc((size_t)(res->horizon_to + 1) * sizeof *path) : NULL;
        if (!path) {
            status = diag_oom(d, _("the back-test"));
            break;
        }
        int any = 0;
        for (int h = 0; h <= res->horizon_to; h++) {
            int t = sim_plan_year_index(plan, T + h);
            size_t c = (size_t)slot * plan->years + (size_t)t;
            path[h] = t >= 0 && plan->mode[c] != SIM_MODE_NONE ? values[c] : NAN;
            any |= h > 0 && isfinite(path[h]);
        }
        if (!any) {
            mem_free(path);
            continue;
        }
        res->paths[res->path_count++] = (backtest_path){.slot = slot, .origin = T, .value = path};
        for (int h = res->horizon_from; h <= res->horizon_to; h++) {
            sim_origin actual_origin = SIM_ORIGIN_NONE;
            double actual = actual_of(a, T + h, &actual_origin);
            if (!isfinite(actual) || !isfinite(path[h]))
                continue;
            if (across_break(a, T, T + h)) {
                res->across_break++;
                continue;
            }
            void *rows = res->rows;
            int row_room = grow(&rows, row_capacity, res->row_count, sizeof *res->rows);
            res->rows = rows;
            if (row_room != 0) {
                status = diag_oom(d, _("the back-test"));
                break;
            }
            res->rows[res->row_count++] = (backtest_row){
                .slot = slot, .origin = T, .year = T + h, .horizon = h, .forecast = path[h], .actual = actual,
                .actual_origin = actual_origin, .carried_back = used_carried(r, plan, T + h),
                .naive = naive_forecast(a, T, T + h), .trend = trend_forecast(a, T, T + h),
                .origin_actual = actual_of(a, T, NULL), .p05 = NAN, .p50 = NAN, .p95 = NAN, .pit = NAN};
        }
    }
    if (status == DIAG_OK && o->bands)
        status = origin_bands(r, plan, values, o, res->rows + first_row, res->row_count - first_row, d);
    mem_free(values);
    sim_plan_free(plan);
    history_free(view);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Scores                                                                                    */

static void score(backtest_result *res, backtest_stat *st)
{
    double sum = 0, sum_abs = 0, sum_sq = 0, sum_pct = 0;
    double sq_u = 0, sq_naive = 0, sq_ut = 0, sq_trend = 0, sq_actual = 0;
    size_t n_trend = 0, hits = 0, n_pit = 0, in50 = 0, in90 = 0;
    st->n = st->n_naive = st->n_direction = 0;
    for (size_t i = 0; i < res->row_count; i++) {
        const backtest_row *row = &res->rows[i];
        if (row->slot != st->slot || row->horizon != st->horizon)
            continue;
        double e = row->forecast - row->actual;
        st->n++;
        sum += e;
        sum_abs += fabs(e);
        sum_sq += e * e;
        sum_pct += fabs(e) / fabs(row->actual);
        sq_actual += row->actual * row->actual;
        if (isfinite(row->naive)) {
            st->n_naive++;
            sq_u += e * e;
            sq_naive += (row->naive - row->actual) * (row->naive - row->actual);
        }
        if (isfinite(row->trend)) {
            n_trend++;
            sq_ut += e * e;
            sq_trend += (row->trend - row->actual) * (row->trend - row->actual);
        }
        if (isfinite(row->pit)) {
            n_pit++;
            in50 += row->pit >= 0.25 && row->pit <= 0.75;
            in90 += row->pit >= 0.05 && row->pit <= 0.95;
        }
        if (isfinite(row->origin_actual)) {
            st->n_direction++;
            double df = row->forecast - row->origin_actual, da = row->actual - row->origin_actual;
            hits += (df > 0) == (da > 0) && (df < 0) == (da < 0);
        }
    }
    double n = (double)st->n;
    st->bias = st->n ? sum / n : NAN;
    st->mae = st->n ? sum_abs / n : NAN;
    st->rmse = st->n ? sqrt(sum_sq / n) : NAN;
    st->mape = st->n ? sum_pct / n : NAN;
    /* a benchmark exact to rounding (errors below 1e-12 of the actuals) leaves U undefined */
    double exact = 1e-24 * sq_actual;
    st->theil_u = st->n_naive && sq_naive > exact ? sqrt(sq_u / sq_naive) : NAN;
    st->u_trend = n_trend && sq_trend > exact ? sqrt(sq_ut / sq_trend) : NAN;
    st->hit_rate = st->n_direction ? (double)hits / (double)st->n_direction : NAN;
    st->coverage_50 = n_pit ? (double)in50 / (double)n_pit : NAN;
    st->coverage_90 = n_pit ? (double)in90 / (double)n_pit : NAN;
}

const backtest_stat *backtest_find_stat(const backtest_result *res, int slot, int horizon)
{
    for (size_t i = 0; i < res->stat_count; i++)
        if (res->stats[i].slot == slot && res->stats[i].horizon == horizon)
            return &res->stats[i];
    return NULL;
}

void backtest_result_free(backtest_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->variable_count; i++)
        actuals_release(&res->actuals[i]);
    for (size_t i = 0; i < res->path_count; i++)
        mem_free(res->paths[i].value);
    mem_free(res->actuals);
    mem_free(res->rows);
    mem_free(res->stats);
    mem_free(res->paths);
    mem_free(res);
}

/* ---------------------------------------------------------------------------------------- */
/* The back-test                                                                             */

/* Checks the options and sets the horizons and origins of res. */
static int set_ranges(backtest_result *res, const run *r, const backtest_options *o, diag *d)
{
    res->horizon_from = o->horizon_from ? o->horizon_from : 1;
    res->horizon_to = o->horizon_to ? o->horizon_to : 5;
    if (res->horizon_from < 1 || res->horizon_to > BACKTEST_MAX_HORIZON || res->horizon_from > res->horizon_to)
        return diag_error(d, DIAG_USAGE, _("--horizons: %d-%d is not a range of years ahead within 1-%d"),
                          res->horizon_from, res->horizon_to, BACKTEST_MAX_HORIZON);
    if (o->origin_from) {
        res->origin_from = o->origin_from;
        res->origin_to = o->origin_to;
    } else {
        /* every year in which some variable has an actual followed by a later one */
        res->origin_from = res->origin_to = 0;
        for (size_t i = 0; i < res->variable_count; i++) {
            const backtest_actuals *a = &res->actuals[i];
            for (int y = a->first_year; y < a->first_year + (int)a->years; y++)
                if (is_default_origin(a, y)) {
                    if (!res->origin_from || y < res->origin_from)
                        res->origin_from = y;
                    if (y > res->origin_to)
                        res->origin_to = y;
                }
        }
    }
    if (o->last_origin && res->origin_to > o->last_origin)
        res->origin_to = o->last_origin;
    if (o->origin_from && res->origin_from > res->origin_to)
        return o->last_origin ? diag_error(d, DIAG_USAGE, _("--origins: %d-%d has no year up to --as-of"),
                                           o->origin_from, o->origin_to)
                              : diag_error(d, DIAG_USAGE, _("--origins: %d-%d has no year"), o->origin_from,
                                           o->origin_to);
    if (res->origin_to - res->origin_from + 1 > BACKTEST_MAX_ORIGINS)
        return diag_error(d, DIAG_USAGE, _("--origins: %d-%d is more than %d origins"), res->origin_from,
                          res->origin_to, BACKTEST_MAX_ORIGINS);
    (void)r;
    return DIAG_OK;
}

int backtest_run(const run *r, const backtest_options *o, backtest_result **out, diag *d)
{
    *out = NULL;
    if (!r->history || !r->scenario->history_place)
        return diag_error_json(d, DIAG_DATA, r->scenario->path, "$.history",
                               _("a back-test needs observations: the scenario names no history file and place"));
    backtest_result *res = mem_calloc(1, sizeof *res);
    const model *m = r->model;
    if (!res || !(res->actuals = mem_calloc(m->slot_count ? m->slot_count : 1, sizeof *res->actuals))) {
        mem_free(res);
        return diag_oom(d, _("the back-test"));
    }
    res->run = r;
    res->has_bands = o->bands != NULL;
    res->band_paths = o->bands ? o->bands->paths : 0;
    int status = DIAG_OK;
    for (size_t slot = 0; slot < m->slot_count && status == DIAG_OK; slot++) {
        if (m->slots[slot].kind != MODEL_VARIABLE)
            continue;
        int has = actuals_build(r, (int)slot, &res->actuals[res->variable_count]);
        if (has < 0) {
            res->variable_count++; /* released with the others */
            status = diag_oom(d, _("the back-test"));
        } else if (has) {
            res->variable_count++;
        } else {
            actuals_release(&res->actuals[res->variable_count]);
        }
    }
    if (status == DIAG_OK)
        status = set_ranges(res, r, o, d);
    if (status == DIAG_OK && !res->origin_from)
        status = diag_error_file(d, DIAG_DATA, r->history->path,
                                 _("no variable of the model has two actuals for %s: nothing to back-test"),
                                 r->scenario->history_place);
    size_t row_capacity = 0, path_capacity = 0;
    for (int T = res->origin_from; status == DIAG_OK && T <= res->origin_to; T++)
        status = run_origin(res, r, T, o, &row_capacity, &path_capacity, d);
    if (status == DIAG_OK) {
        size_t horizons = (size_t)(res->horizon_to - res->horizon_from + 1);
        res->stats = mem_calloc(res->variable_count * horizons + 1, sizeof *res->stats);
        if (!res->stats)
            status = diag_oom(d, _("the back-test"));
        for (size_t i = 0; status == DIAG_OK && i < res->variable_count; i++)
            for (int h = res->horizon_from; h <= res->horizon_to; h++) {
                backtest_stat *st = &res->stats[res->stat_count++];
                st->slot = res->actuals[i].slot;
                st->horizon = h;
                score(res, st);
            }
    }
    if (status != DIAG_OK) {
        backtest_result_free(res);
        return status;
    }
    *out = res;
    return DIAG_OK;
}
