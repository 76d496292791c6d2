/* peers.c: the home place against its peer counties (see peers.h for the four layers): the
 * numerics of a comparison (ranks, crossings, catch-up growth) and the comparison a scenario
 * asks for, built on peers_series.c and peers_fit.c and written by peers_write.c.
 *
 * Every value carries its origin (observed, derived from an observed growth rate,
 * interpolated, projected at a stated rate, or computed by the scenario's model for home):
 * nothing is extrapolated except by a peer's growth rule, and then as "projected", with a
 * warning when the projection fills years that are history for everyone else.
 *
 * The comparison reads the run (values and origins of home from start on) and the history,
 * but never changes either; its strings point into the run's scenario and history and into
 * the places registry it loads, which it owns. */
#include "peers.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* 3. Ranks, crossings, catch-up growth                                                       */

static int peers_tied(double a, double b)
{
    double scale = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= PEERS_TIE_RELATIVE * scale;
}

void peers_rank(const double *values, size_t count, int *ranks)
{
    for (size_t i = 0; i < count; i++) {
        if (isnan(values[i])) {
            ranks[i] = 0;
            continue;
        }
        int rank = 1;
        for (size_t j = 0; j < count; j++)
            if (j != i && !isnan(values[j]) && values[j] > values[i] && !peers_tied(values[j], values[i]))
                rank++;
        ranks[i] = rank;
    }
}

static int peers_sign(double x)
{
    return x > 0 ? 1 : x < 0 ? -1 : 0;
}

double peers_crossing_point(int year0, double home0, double peer0, int year1, double home1, double peer1)
{
    double a, b;
    if (home0 > 0 && peer0 > 0 && home1 > 0 && peer1 > 0) {
        a = log(home0 / peer0);
        b = log(home1 / peer1);
    } else {
        a = home0 - peer0;
        b = home1 - peer1;
    }
    if (!isfinite(a) || !isfinite(b))
        return NAN;
    if (a == 0)
        return year0;
    if (b == 0)
        return year1;
    if (peers_sign(a) == peers_sign(b))
        return NAN;
    return year0 + (double)(year1 - year0) * a / (a - b);
}

size_t peers_find_crossings(int first_year, const double *home, const double *peer, size_t years,
                            peers_crossing *out, size_t max)
{
    size_t found = 0;
    int last_sign = 0, last_year = 0, level_year = 0;
    double last_home = NAN, last_peer = NAN;
    for (size_t t = 0; t < years; t++) {
        if (isnan(home[t]) || isnan(peer[t]))
            continue;
        int year = first_year + (int)t;
        int sign = peers_sign(home[t] - peer[t]);
        if (sign == 0) {
            if (!level_year)
                level_year = year;
            continue;
        }
        if (last_sign != 0 && sign != last_sign) {
            if (found < max) {
                peers_crossing *c = &out[found];
                c->year = year;
                c->previous_year = last_year;
                c->point = level_year ? level_year
                                      : peers_crossing_point(last_year, last_home, last_peer, year, home[t], peer[t]);
                c->direction = sign;
            }
            found++;
        }
        last_sign = sign;
        last_year = year;
        last_home = home[t];
        last_peer = peer[t];
        level_year = 0;
    }
    return found;
}

double peers_catch_up_growth(int base_year, double base_value, int year, double target)
{
    if (year <= base_year || !(base_value > 0) || !(target > 0) || !isfinite(base_value) || !isfinite(target))
        return NAN;
    return pow(target / base_value, 1.0 / (year - base_year)) - 1;
}

/* ---------------------------------------------------------------------------------------- */
/* 4. The comparison: building it                                                            */

void peers_comparison_free(peers_comparison *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->variables && i < c->variable_count; i++) {
        peers_variable *v = &c->variables[i];
        for (size_t k = 0; v->lines && k < v->line_count; k++) {
            peers_line *line = &v->lines[k];
            peers_series_release(&line->series);
            mem_free(line->rank);
            mem_free(line->gap);
            mem_free(line->ratio);
            mem_free(line->crossings);
            mem_free(line->required_growth);
        }
        mem_free(v->lines);
    }
    mem_free(c->variables);
    mem_free(c);
}

/* The rate of a SERIES rule in `year`: the last span that covers it, else the constant. */
static int peers_rule_rate(const peers_rule *rule, int year, double *rate)
{
    for (size_t k = rule->span_count; k-- > 0;)
        if (rule->spans[k].from <= year && year <= rule->spans[k].to) {
            *rate = rule->spans[k].value;
            return 1;
        }
    if (rule->has_constant) {
        *rate = rule->constant;
        return 1;
    }
    return 0;
}

static const peers_rule *peers_rule_of(const peers_comparison *c, size_t peer)
{
    return c->rules[peer].given ? &c->rules[peer] : c->default_rule;
}

static const peers_place *peers_find_place(const peers_comparison *c, const char *name)
{
    return peers_spec_place(c->spec, name);
}

/* 1 when the row is a level or a growth rate of `variable` (NAME, or NAME_growth which is a
 * growth rate whatever its kind says), setting *kind. */
static int peers_row_matches(const history_row *row, const char *variable, history_kind *kind)
{
    if (!strcmp(row->indicator, variable)) {
        *kind = row->kind;
        return 1;
    }
    size_t len = strlen(variable);
    if (!strncmp(row->indicator, variable, len) && !strcmp(row->indicator + len, "_growth")) {
        *kind = HISTORY_GROWTH;
        return 1;
    }
    return 0;
}

static int peers_is_compared(const peers_comparison *c, const char *place)
{
    if (!strcmp(place, c->home))
        return 1;
    for (size_t i = 0; i < c->peer_count; i++)
        if (!strcmp(place, c->peer_names[i]))
            return 1;
    return 0;
}

/* The observations of one place and variable (caller frees *out). */
static int peers_collect(const history *h, const char *place, const char *variable, peers_observation **out,
                         size_t *count, diag *d)
{
    size_t n = 0;
    history_kind kind;
    *out = NULL;
    *count = 0;
    for (size_t i = 0; i < h->count; i++)
        n += !strcmp(h->rows[i].place, place) && peers_row_matches(&h->rows[i], variable, &kind);
    if (n == 0)
        return DIAG_OK;
    if (!(*out = mem_alloc(n * sizeof **out)))
        return diag_oom(d, _("comparing peers"));
    for (size_t i = 0; i < h->count; i++) {
        const history_row *row = &h->rows[i];
        if (strcmp(row->place, place) || !peers_row_matches(row, variable, &kind))
            continue;
        peers_observation *o = &(*out)[(*count)++];
        o->year = row->year;
        o->kind = kind;
        o->value = row->value;
        o->row = row;
    }
    return DIAG_OK;
}

static double peers_percent(double fraction)
{
    return 100 * fraction;
}

/* How a peer grows past its data: the rate (NaN for a year map) and the words for it, or 0
 * when the rule gives no rate (with the reason in `basis`). */
static int peers_rule_basis(const peers_line *line, const peers_observation *obs, size_t count, double *rate,
                            char *basis, size_t size)
{
    const peers_rule *rule = line->rule;
    const peers_fit *fit = &line->fit;
    *rate = NAN;
    switch (rule->kind) {
    case PEERS_RULE_TREND:
        if (fit->method == PEERS_FIT_NONE) {
            if (fit->points == 1)
                snprintf(basis, size, "%s", _("trend: none, 1 level of observed or derived data (a trend needs two)"));
            else
                snprintf(basis, size, _("trend: none, %zu levels of observed or derived data (a trend needs two)"),
                         fit->points);
            return 0;
        }
        *rate = fit->growth;
        if (fit->method == PEERS_FIT_LEAST_SQUARES)
            snprintf(basis, size,
                     _("trend %.2f%% a year (log-linear least squares over %zu levels %d-%d; 95%% interval %.2f%% to "
                       "%.2f%%)"),
                     peers_percent(fit->growth), fit->points, fit->first_year, fit->last_year, peers_percent(fit->low),
                     peers_percent(fit->high));
        else
            snprintf(basis, size, _("trend %.2f%% a year (CAGR of the levels of %d and %d; two levels, no interval)"),
                     peers_percent(fit->growth), fit->first_year, fit->last_year);
        return 1;
    case PEERS_RULE_LAST: {
        const peers_observation *latest = NULL;
        for (size_t i = 0; i < count; i++)
            if (obs[i].kind == HISTORY_GROWTH && (!latest || obs[i].year > latest->year))
                latest = &obs[i];
        if (latest) {
            *rate = latest->value;
            snprintf(basis, size, _("last observed growth %.2f%% (%d)"), peers_percent(latest->value), latest->year);
            return 1;
        }
        int years[2] = {0, 0};
        const peers_series *s = &line->series;
        for (size_t t = s->years; t-- > 0 && !years[0];)
            if (s->origin[t] == SIM_ORIGIN_OBSERVED) {
                if (!years[1])
                    years[1] = s->first_year + (int)t;
                else
                    years[0] = s->first_year + (int)t;
            }
        if (years[0]) {
            *rate = peers_catch_up_growth(years[0], peers_series_value(s, years[0]), years[1],
                                          peers_series_value(s, years[1]));
            if (isnan(*rate)) {
                snprintf(basis, size, _("last: no growth rate observed, and the levels of %d and %d are not above zero"),
                         years[0], years[1]);
                return 0;
            }
            snprintf(basis, size, _("last: %.2f%% a year, the CAGR of the levels of %d and %d (no growth rate observed)"),
                     peers_percent(*rate), years[0], years[1]);
            return 1;
        }
        snprintf(basis, size, "%s", _("last: no growth rate observed and fewer than two levels"));
        return 0;
    }
    case PEERS_RULE_SERIES:
        if (rule->span_count == 0) {
            *rate = rule->constant;
            /* the path may be cut short in the words; summary.json has it whole */
            if (snprintf(basis, size, _("%.2f%% a year (the scenario's %s)"), peers_percent(rule->constant),
                         rule->json_path) < 0)
                basis[0] = '\0';
        } else if (snprintf(basis, size, _("the scenario's growth by year (%s)"), rule->json_path) < 0) {
            basis[0] = '\0';
        }
        return 1;
    }
    return 0;
}

/* Projects a peer past its last value to the comparison's last year, by its rule. */
static int peers_project(const peers_comparison *c, const peers_variable *v, peers_line *line,
                         const peers_observation *obs, size_t count, const char *what, diag *d)
{
    const scenario *s = c->run->scenario;
    peers_series *series = &line->series;
    int from = series->last_value_year + 1;
    line->projected_growth = NAN;
    if (from > v->last_year) {
        snprintf(line->projection, sizeof line->projection, _("data reach %d: nothing projected"),
                 series->last_value_year);
        return DIAG_OK;
    }
    double rate;
    char basis[sizeof line->projection - 32];
    if (!peers_rule_basis(line, obs, count, &rate, basis, sizeof basis)) {
        snprintf(line->projection, sizeof line->projection, _("%s: no values after %d"), basis,
                 series->last_value_year);
        diag_warning(d, _("%s: %s, so it has no values after %d (give it a growth in the peers block's \"by_place\")"),
                     what, basis, series->last_value_year);
        return DIAG_OK;
    }
    for (int year = from; year <= v->last_year; year++) {
        double g = rate;
        if (isnan(g) && !peers_rule_rate(line->rule, year, &g))
            return diag_error_json(d, DIAG_DATA, line->rule->file, line->rule->json_path,
                                  _("the growth for %s gives no rate for %d (%s is projected from %d, after its last "
                                  "value in %d, to %d): add that year or a \"value\" for the other years"),
                                  line->place, year, v->name, from, from - 1, v->last_year);
        int t = year - series->first_year;
        series->value[t] = series->value[t - 1] * (1 + g);
        series->origin[t] = SIM_ORIGIN_PROJECTED;
        series->source[t] = NULL;
    }
    line->projected_from = from;
    line->projected_growth = rate;
    snprintf(line->projection, sizeof line->projection, _("%s, from %d"), basis, from);
    if (from < s->start) {
        if (from == s->start - 1)
            diag_warning(d,
                         _("%s: no value after %d, so %d is projected at %s: the years before %d are estimates "
                           "(origin \"projected\"), not data"),
                         what, from - 1, from, basis, s->start);
        else
            diag_warning(d,
                         _("%s: no value after %d, so %d-%d are projected at %s: the years before %d are estimates "
                           "(origin \"projected\"), not data"),
                         what, from - 1, from, s->start - 1, basis, s->start);
    }
    return DIAG_OK;
}

/* Home: its history as built from the observations before start (observed, derived,
 * interpolated), then the run: every year from start, and earlier years the history leaves
 * empty (a ragged edge that the model fills). */
static void peers_merge_run(const peers_comparison *c, const peers_variable *v, peers_line *line)
{
    const run *r = c->run;
    const sim_plan *plan = r->plan;
    int slot = model_find(r->model, v->name);
    peers_series *series = &line->series;
    for (size_t t = 0; t < series->years; t++) {
        int year = series->first_year + (int)t;
        if (year < r->scenario->start && series->origin[t] != SIM_ORIGIN_NONE)
            continue;
        double value = run_slot_value(r, slot, year);
        int pt = sim_plan_year_index(plan, year);
        if (pt < 0 || !isfinite(value))
            continue;
        size_t cell = (size_t)slot * plan->years + (size_t)pt;
        series->value[t] = value;
        series->origin[t] = plan->origin[cell];
        series->source[t] = plan->source[cell];
    }
    series->first_value_year = series->last_value_year = 0;
    for (size_t t = 0; t < series->years; t++)
        if (series->origin[t] != SIM_ORIGIN_NONE) {
            if (!series->first_value_year)
                series->first_value_year = series->first_year + (int)t;
            series->last_value_year = series->first_year + (int)t;
        }
}

static int peers_build_line(const peers_comparison *c, const peers_variable *v, peers_line *line, diag *d)
{
    char what[256];
    snprintf(what, sizeof what, "%s %s", line->place, v->name);
    peers_observation *obs;
    size_t count;
    if (peers_collect(c->run->history, line->place, v->name, &obs, &count, d) != DIAG_OK)
        return d->status;
    int status = peers_series_build(obs, count, v->storage_first, v->storage_first + (int)v->storage_years - 1, what,
                                    &line->series, d);
    if (status == DIAG_OK)
        status = peers_fit_series(&line->series, &line->fit, d);
    if (status != DIAG_OK) {
        mem_free(obs);
        return status;
    }
    const peers_series *s = &line->series;
    line->status = s->level_count    ? PEERS_STATUS_DATA
                   : s->growth_count ? PEERS_STATUS_GROWTH_ONLY
                                     : PEERS_STATUS_NO_DATA;
    for (size_t k = 0; k < s->unchained_count; k++) {
        int year = s->unchained_years[k];
        double rate = NAN;
        for (size_t i = 0; i < count; i++)
            if (obs[i].kind == HISTORY_GROWTH && obs[i].year == year)
                rate = obs[i].value;
        if (line->status == PEERS_STATUS_DATA)
            diag_warning(d, _("%s: the growth rate of %d (%.2f%%) gives no level: there is no level of %d or %d to chain "
                            "it from, and nothing is invented in between"),
                         what, year, peers_percent(rate), year - 1, year);
    }
    if (line->status == PEERS_STATUS_GROWTH_ONLY)
        diag_warning(d, _("%s: only growth rates (%zu), no level, so no value can be built: add a level of any year to "
                        "the observations"),
                     what, s->growth_count);
    else if (line->status == PEERS_STATUS_NO_DATA && !line->is_home) {
        const peers_place *place = peers_find_place(c, line->place);
        if (place && place->has_observations) /* places without any figure are reported once, by peers_compare */
            diag_warning(d, _("%s: no figures of %s in %s: shown as \"no data\""), line->place, v->name,
                         c->run->history->path);
    }
    if (line->is_home) {
        peers_merge_run(c, v, line);
        if (line->series.last_value_year)
            line->status = PEERS_STATUS_DATA;
        snprintf(line->projection, sizeof line->projection, _("the scenario's model from %d"),
                 c->run->scenario->start);
    } else if (line->status == PEERS_STATUS_DATA) {
        status = peers_project(c, v, line, obs, count, what, d);
    } else {
        line->projected_growth = NAN;
    }
    mem_free(obs);
    if (status != DIAG_OK)
        return status;
    size_t years = v->storage_years;
    line->rank = mem_calloc(years, sizeof *line->rank);
    line->gap = mem_alloc(years * sizeof *line->gap);
    line->ratio = mem_alloc(years * sizeof *line->ratio);
    line->required_growth = mem_alloc(years * sizeof *line->required_growth);
    line->crossings = mem_calloc(years, sizeof *line->crossings);
    if (!line->rank || !line->gap || !line->ratio || !line->required_growth || !line->crossings)
        return diag_oom(d, _("comparing peers"));
    for (size_t t = 0; t < years; t++)
        line->gap[t] = line->ratio[t] = line->required_growth[t] = NAN;
    return DIAG_OK;
}

static double peers_line_value(const peers_line *line, size_t t)
{
    return line->status == PEERS_STATUS_DATA ? line->series.value[t] : NAN;
}

/* Ranks, gaps, ratios, crossings and catch-up of every line of a variable. */
static int peers_compare_lines(const peers_comparison *c, peers_variable *v, diag *d)
{
    const scenario *s = c->run->scenario;
    size_t lines = v->line_count, years = v->storage_years;
    double *column = mem_alloc(lines * sizeof *column);
    int *ranks = mem_alloc(lines * sizeof *ranks);
    if (!column || !ranks) {
        mem_free(column);
        mem_free(ranks);
        return diag_oom(d, _("comparing peers"));
    }
    for (size_t t = 0; t < years; t++) {
        for (size_t i = 0; i < lines; i++)
            column[i] = peers_line_value(&v->lines[i], t);
        peers_rank(column, lines, ranks);
        for (size_t i = 0; i < lines; i++)
            v->lines[i].rank[t] = ranks[i];
    }
    mem_free(column);
    mem_free(ranks);

    const peers_line *home = &v->lines[0];
    /* the catch-up base: home's last value before start */
    v->base_year = 0;
    v->base_value = NAN;
    for (int year = s->start - 1; year >= v->storage_first && !v->base_year; year--) {
        size_t t = (size_t)(year - v->storage_first);
        if (isfinite(peers_line_value(home, t))) {
            v->base_year = year;
            v->base_value = home->series.value[t];
        }
    }
    size_t window = (size_t)(v->first_year - v->storage_first);
    size_t window_years = (size_t)(v->last_year - v->first_year) + 1;
    for (size_t i = 1; i < lines; i++) {
        peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA)
            continue;
        for (size_t t = 0; t < years; t++) {
            double h = peers_line_value(home, t), p = line->series.value[t];
            if (isfinite(h) && isfinite(p)) {
                line->gap[t] = h - p;
                line->ratio[t] = p != 0 ? h / p : NAN;
            }
        }
        line->crossing_count = peers_find_crossings(v->first_year, home->series.value + window,
                                                    line->series.value + window, window_years, line->crossings,
                                                    window_years);
        if (!v->base_year)
            continue;
        size_t base_t = (size_t)(v->base_year - v->storage_first);
        double base_peer = line->series.value[base_t];
        for (int year = s->start; year <= v->last_year; year++) {
            size_t t = (size_t)(year - v->storage_first);
            line->required_growth[t] = peers_catch_up_growth(v->base_year, v->base_value, year, line->series.value[t]);
        }
        if (!isfinite(base_peer))
            continue;
        int ahead = v->base_value > base_peer && !peers_tied(v->base_value, base_peer);
        line->standing = ahead ? PEERS_STANDING_AHEAD : PEERS_STANDING_BEHIND;
        for (int year = v->base_year + 1; year <= v->last_year; year++) {
            size_t t = (size_t)(year - v->storage_first);
            double h = home->series.value[t], p = line->series.value[t];
            if (!isfinite(h) || !isfinite(p) || peers_tied(h, p))
                continue;
            if (!ahead && h > p) {
                line->standing = PEERS_STANDING_CATCHES_UP;
                line->catch_up_year = year;
                break;
            }
            if (ahead && h < p) {
                line->standing = PEERS_STANDING_FALLS_BEHIND;
                line->fall_behind_year = year;
                break;
            }
        }
    }
    return DIAG_OK;
}

static int peers_build_variable(peers_comparison *c, peers_variable *v, const char *name, diag *d)
{
    const run *r = c->run;
    const scenario *s = r->scenario;
    const history *h = r->history;
    const model_slot *ms = &r->model->slots[model_find(r->model, name)];
    v->name = name;
    v->label = ms->label;
    v->unit = ms->unit;
    int first_observation = 0, last_observation = 0;
    for (size_t i = 0; i < h->count; i++) {
        history_kind kind;
        const history_row *row = &h->rows[i];
        if (!peers_is_compared(c, row->place) || !peers_row_matches(row, name, &kind))
            continue;
        if (!first_observation || row->year < first_observation)
            first_observation = row->year;
        if (!last_observation || row->year > last_observation)
            last_observation = row->year;
    }
    v->first_year = c->spec->from ? c->spec->from : first_observation ? first_observation : s->start - 1;
    if (v->first_year > s->start - 1)
        v->first_year = s->start - 1;
    v->last_year = s->end;
    /* one year before the first observation: a growth rate there chains its level backwards */
    v->storage_first = v->first_year;
    if (first_observation && first_observation - 1 < v->first_year)
        v->storage_first = first_observation - 1;
    int storage_last = last_observation > s->end ? last_observation : s->end;
    v->storage_years = (size_t)(storage_last - v->storage_first) + 1;
    v->lines = mem_calloc(1 + c->peer_count, sizeof *v->lines);
    if (!v->lines)
        return diag_oom(d, _("comparing peers"));
    for (size_t i = 0; i <= c->peer_count; i++) {
        peers_line *line = &v->lines[v->line_count++];
        line->is_home = i == 0;
        line->place = i == 0 ? c->home : c->peer_names[i - 1];
        const peers_place *place = peers_find_place(c, line->place);
        line->name_en = place ? place->name_en : "";
        line->rule = i == 0 ? NULL : peers_rule_of(c, i - 1);
        if (peers_build_line(c, v, line, d) != DIAG_OK)
            return d->status;
    }
    return peers_compare_lines(c, v, d);
}

peers_comparison *peers_compare(const run *r, const peers_spec *spec, diag *d)
{
    if (!r->values) {
        diag_error(d, DIAG_SOFTWARE, _("peers_compare needs a simulated run"));
        return NULL;
    }
    peers_comparison *c = mem_calloc(1, sizeof *c);
    if (!c) {
        diag_oom(d, _("comparing peers"));
        return NULL;
    }
    c->run = r;
    c->spec = spec;
    c->home = spec->home;
    c->places_path = spec->places_path;
    c->places = spec->places;
    c->place_count = spec->place_count;
    c->default_rule = &spec->default_rule;
    c->rules = spec->rules;
    c->peer_names = spec->peer_names;
    c->peer_count = spec->peer_count;
    c->catch_up_by = spec->catch_up_by;
    for (size_t i = 0; i < c->peer_count; i++) {
        const peers_place *place = peers_find_place(c, c->peer_names[i]);
        if (place && !place->has_observations)
            diag_warning(d, _("%s has no figures yet (named in %s, absent from %s): shown as \"no data yet\""),
                         place->place, c->places_path ? c->places_path : _("the places file"), r->history->path);
    }
    c->variables = mem_calloc(spec->variable_count, sizeof *c->variables);
    if (!c->variables) {
        diag_oom(d, _("comparing peers"));
        peers_comparison_free(c);
        return NULL;
    }
    for (size_t i = 0; i < spec->variable_count; i++)
        if (peers_build_variable(c, &c->variables[c->variable_count++], spec->variables[i], d) != DIAG_OK) {
            peers_comparison_free(c);
            return NULL;
        }
    return c;
}

/* i18n_pick over two texts where "" stands for absent. */
static const char *peers_pick(const char *text, const char *text_en)
{
    const char *picked = i18n_pick(text && text[0] ? text : NULL, text_en && text_en[0] ? text_en : NULL);
    return picked ? picked : "";
}

const char *peers_place_note(const peers_place *place)
{
    return place ? peers_pick(place->note, place->note_en) : "";
}

const char *peers_place_source(const peers_place *place)
{
    return place ? peers_pick(place->source, place->source_en) : "";
}
