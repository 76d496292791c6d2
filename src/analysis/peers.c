/* peers.c: the home place against its peer counties (see peers.h for the four layers).
 *
 * The data are sparse and uneven: 长垣市 has two levels five years apart, 辉县市 one level and
 * three growth rates, one of which has no level beside it. So every value carries its origin
 * (observed, derived from an observed growth rate, interpolated, projected at a stated rate,
 * or computed by the scenario's model for home), and every step that fills a year says so:
 * nothing is extrapolated except by a peer's growth rule, and then as "projected", with a
 * warning when the projection fills years that are history for everyone else.
 *
 * The comparison reads the run (values and origins of home from start on) and the history,
 * but never changes either; its strings point into the run's scenario and history and into
 * the places registry it loads, which it owns. */
#include "peers.h"
#include "jsonfile.h"
#include "mem.h"
#include "output.h"
#include "report.h"
#include "text.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------------------------------- */
/* 1. Series from sparse observations                                                        */

void peers_series_release(peers_series *series)
{
    if (!series)
        return;
    mem_free(series->value);
    mem_free(series->origin);
    mem_free(series->source);
    mem_free(series->unchained_years);
    memset(series, 0, sizeof *series);
}

static int peers_series_index(const peers_series *series, int year)
{
    if (!series->value || year < series->first_year || (size_t)(year - series->first_year) >= series->years)
        return -1;
    return year - series->first_year;
}

double peers_series_value(const peers_series *series, int year)
{
    int t = peers_series_index(series, year);
    return t < 0 ? NAN : series->value[t];
}

sim_origin peers_series_origin(const peers_series *series, int year)
{
    int t = peers_series_index(series, year);
    return t < 0 ? SIM_ORIGIN_NONE : (sim_origin)series->origin[t];
}

/* Allocates the arrays of a series over `years` years, with no values. */
static int peers_series_alloc(peers_series *series, int first_year, size_t years)
{
    memset(series, 0, sizeof *series);
    series->first_year = first_year;
    series->years = years;
    series->value = mem_alloc(years * sizeof *series->value);
    series->origin = mem_calloc(years, sizeof *series->origin);
    series->source = mem_calloc(years, sizeof *series->source);
    if (!series->value || !series->origin || !series->source)
        return -1;
    for (size_t t = 0; t < years; t++)
        series->value[t] = NAN;
    return 0;
}

/* Scratch of peers_series_build: the growth rates by year. */
typedef struct peers_growth_scratch {
    double *rate;               /* NaN where none */
    const history_row **row;
    unsigned char *used;        /* 1 when the rate chained a level */
} peers_growth_scratch;

static void peers_growth_scratch_free(peers_growth_scratch *g)
{
    mem_free(g->rate);
    mem_free(g->row);
    mem_free(g->used);
}

static int peers_has_value(const peers_series *s, size_t t)
{
    return s->origin[t] != SIM_ORIGIN_NONE;
}

/* Places levels and growth rates; returns DIAG_OK or an error for a bad or doubled value. */
static int peers_series_place(const peers_observation *observations, size_t count, const char *what,
                              peers_series *out, peers_growth_scratch *g, diag *d)
{
    for (size_t i = 0; i < count; i++) {
        const peers_observation *o = &observations[i];
        int t = peers_series_index(out, o->year);
        if (t < 0)
            continue;
        if (!isfinite(o->value))
            return diag_error(d, DIAG_DATA, "%s: the %s of %d is not a finite number", what,
                              o->kind == HISTORY_LEVEL ? "level" : "growth rate", o->year);
        if (o->kind == HISTORY_LEVEL) {
            if (out->origin[t] == SIM_ORIGIN_OBSERVED)
                return diag_error(d, DIAG_DATA, "%s: two levels for %d (%g and %g)", what, o->year, out->value[t],
                                  o->value);
            out->value[t] = o->value;
            out->origin[t] = SIM_ORIGIN_OBSERVED;
            out->source[t] = o->row;
            out->level_count++;
        } else {
            if (!isnan(g->rate[t]))
                return diag_error(d, DIAG_DATA, "%s: two growth rates for %d (%g and %g)", what, o->year,
                                  g->rate[t], o->value);
            if (o->value <= -1)
                return diag_error(d, DIAG_DATA,
                                  "%s: the growth rate of %d is %g, a fall of 100%% or more (rates are fractions: "
                                  "-0.05 is a fall of 5%%)",
                                  what, o->year, o->value);
            g->rate[t] = o->value;
            g->row[t] = o->row;
            out->growth_count++;
        }
    }
    return DIAG_OK;
}

/* Chains levels with growth rates: forwards over the whole series, then backwards. One pass
 * each suffices: a forward chain only fills years to the right of known values and a
 * backward chain only to the left, so neither can open a year to the other. */
static void peers_series_chain(peers_series *out, peers_growth_scratch *g)
{
    for (size_t t = 1; t < out->years; t++)
        if (!peers_has_value(out, t) && peers_has_value(out, t - 1) && !isnan(g->rate[t])) {
            out->value[t] = out->value[t - 1] * (1 + g->rate[t]);
            out->origin[t] = SIM_ORIGIN_DERIVED;
            out->source[t] = g->row[t];
            g->used[t] = 1;
        }
    for (size_t t = out->years; t-- > 1;)
        if (peers_has_value(out, t) && !peers_has_value(out, t - 1) && !isnan(g->rate[t]) && !g->used[t]) {
            out->value[t - 1] = out->value[t] / (1 + g->rate[t]);
            out->origin[t - 1] = SIM_ORIGIN_DERIVED;
            out->source[t - 1] = g->row[t];
            g->used[t] = 1;
        }
}

/* Checks the growth rates that chained nothing against the levels beside them, and lists
 * those with no level beside them. */
static int peers_series_check_unused(peers_series *out, const peers_growth_scratch *g, const char *what, diag *d)
{
    size_t unchained = 0;
    for (size_t t = 0; t < out->years; t++)
        if (!isnan(g->rate[t]) && !g->used[t])
            unchained++;
    if (unchained && !(out->unchained_years = mem_alloc(unchained * sizeof *out->unchained_years)))
        return diag_oom(d, "building a peer series");
    for (size_t t = 0; t < out->years; t++) {
        if (isnan(g->rate[t]) || g->used[t])
            continue;
        int year = out->first_year + (int)t;
        if (t > 0 && peers_has_value(out, t) && peers_has_value(out, t - 1)) {
            double implied = out->value[t] / out->value[t - 1] - 1;
            if (fabs(implied - g->rate[t]) > PEERS_GROWTH_TOLERANCE)
                diag_warning(d,
                             "%s: the observed growth rate of %d (%.2f%%) disagrees with the levels of %d and %d, "
                             "which imply %.2f%%; the levels are kept",
                             what, year, 100 * g->rate[t], year - 1, year, 100 * implied);
            continue;
        }
        out->unchained_years[out->unchained_count++] = year;
    }
    return DIAG_OK;
}

/* Fills each gap between two positive levels log-linearly. */
static void peers_series_interpolate(peers_series *out, const char *what, diag *d)
{
    size_t previous = (size_t)-1;
    for (size_t t = 0; t < out->years; t++) {
        if (!peers_has_value(out, t))
            continue;
        if (previous != (size_t)-1 && t > previous + 1) {
            double a = out->value[previous], b = out->value[t];
            if (a > 0 && b > 0) {
                double span = (double)(t - previous);
                for (size_t u = previous + 1; u < t; u++) {
                    out->value[u] = a * pow(b / a, (double)(u - previous) / span);
                    out->origin[u] = SIM_ORIGIN_INTERPOLATED;
                }
            } else {
                diag_warning(d, "%s: no values between %d and %d: log-linear interpolation needs levels above zero",
                             what, out->first_year + (int)previous, out->first_year + (int)t);
            }
        }
        previous = t;
    }
}

int peers_series_build(const peers_observation *observations, size_t count, int first_year, int last_year,
                       const char *what, peers_series *out, diag *d)
{
    memset(out, 0, sizeof *out);
    if (last_year < first_year)
        return diag_error(d, DIAG_SOFTWARE, "%s: empty year range %d..%d for a series", what, first_year, last_year);
    size_t years = (size_t)(last_year - first_year) + 1;
    peers_growth_scratch g = {mem_alloc(years * sizeof *g.rate), mem_calloc(years, sizeof *g.row),
                              mem_calloc(years, sizeof *g.used)};
    if (peers_series_alloc(out, first_year, years) != 0 || !g.rate || !g.row || !g.used) {
        peers_growth_scratch_free(&g);
        return diag_oom(d, "building a peer series");
    }
    for (size_t t = 0; t < years; t++)
        g.rate[t] = NAN;
    int status = peers_series_place(observations, count, what, out, &g, d);
    if (status == DIAG_OK) {
        peers_series_chain(out, &g);
        status = peers_series_check_unused(out, &g, what, d);
    }
    peers_growth_scratch_free(&g);
    if (status != DIAG_OK)
        return status;
    peers_series_interpolate(out, what, d);
    for (size_t t = 0; t < years; t++)
        if (peers_has_value(out, t)) {
            if (!out->first_value_year)
                out->first_value_year = first_year + (int)t;
            out->last_value_year = first_year + (int)t;
        }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* 2. Trend fits                                                                             */

const char *peers_fit_method_name(peers_fit_method method)
{
    switch (method) {
    case PEERS_FIT_CAGR:
        return "CAGR of two levels";
    case PEERS_FIT_LEAST_SQUARES:
        return "log-linear least squares";
    case PEERS_FIT_NONE:
        break;
    }
    return "none";
}

int peers_fit_levels(const int *years, const double *values, size_t count, peers_fit *fit, diag *d)
{
    memset(fit, 0, sizeof *fit);
    fit->growth = fit->low = fit->high = fit->slope = fit->slope_se = NAN;
    fit->points = count;
    for (size_t i = 0; i < count; i++) {
        if (!(values[i] > 0) || !isfinite(values[i]))
            return diag_error(d, DIAG_DATA, "a trend needs levels above zero; %d has %g", years[i], values[i]);
        if (i > 0 && years[i] <= years[i - 1])
            return diag_error(d, DIAG_SOFTWARE, "trend fit: years out of order (%d after %d)", years[i], years[i - 1]);
    }
    if (count > 0) {
        fit->first_year = years[0];
        fit->last_year = years[count - 1];
    }
    if (count < 2)
        return DIAG_OK;
    if (count == 2) {
        fit->method = PEERS_FIT_CAGR;
        fit->growth = pow(values[1] / values[0], 1.0 / (years[1] - years[0])) - 1;
        if (!isfinite(fit->growth))
            return diag_error(d, DIAG_SOFTWARE, "trend of %d-%d: the growth from %g to %g is not a finite number",
                              years[0], years[1], values[0], values[1]);
        return DIAG_OK;
    }
    double *x = mem_alloc(count * sizeof *x), *y = mem_alloc(count * sizeof *y);
    if (!x || !y) {
        mem_free(x);
        mem_free(y);
        return diag_oom(d, "fitting a trend");
    }
    /* years counted from the first keep the normal equations well conditioned */
    for (size_t i = 0; i < count; i++) {
        x[i] = (double)(years[i] - years[0]);
        y[i] = log(values[i]);
    }
    double c0, c1, cov00, cov01, cov11, sumsq;
    int gsl_status = gsl_fit_linear(x, 1, y, 1, count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    mem_free(x);
    mem_free(y);
    if (gsl_status != GSL_SUCCESS)
        return diag_error(d, DIAG_SOFTWARE, "trend fit over %d-%d failed: %s", fit->first_year, fit->last_year,
                          gsl_strerror(gsl_status));
    /* gsl_fit_linear estimates the variance from the residuals with n - 2 degrees of freedom */
    double t_quantile = gsl_cdf_tdist_Pinv(0.975, (double)(count - 2));
    double se = sqrt(cov11 > 0 ? cov11 : 0);
    if (!isfinite(c1) || !isfinite(se) || !isfinite(t_quantile))
        return diag_error(d, DIAG_SOFTWARE, "trend fit over %d-%d gave a non-finite result", fit->first_year,
                          fit->last_year);
    fit->method = PEERS_FIT_LEAST_SQUARES;
    fit->slope = c1;
    fit->slope_se = se;
    fit->growth = expm1(c1);
    fit->low = expm1(c1 - t_quantile * se);
    fit->high = expm1(c1 + t_quantile * se);
    return DIAG_OK;
}

int peers_fit_series(const peers_series *series, peers_fit *fit, diag *d)
{
    size_t n = 0;
    int *years = series->years ? mem_alloc(series->years * sizeof *years) : NULL;
    double *values = series->years ? mem_alloc(series->years * sizeof *values) : NULL;
    if (series->years && (!years || !values)) {
        mem_free(years);
        mem_free(values);
        return diag_oom(d, "fitting a trend");
    }
    for (size_t t = 0; t < series->years; t++) {
        sim_origin o = (sim_origin)series->origin[t];
        if ((o == SIM_ORIGIN_OBSERVED || o == SIM_ORIGIN_DERIVED) && series->value[t] > 0) {
            years[n] = series->first_year + (int)t;
            values[n++] = series->value[t];
        }
    }
    int status = peers_fit_levels(years, values, n, fit, d);
    mem_free(years);
    mem_free(values);
    return status;
}

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
        return diag_oom(d, "comparing peers");
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
            snprintf(basis, size, "trend: none, %zu level%s of observed or derived data (a trend needs two)",
                     fit->points, fit->points == 1 ? "" : "s");
            return 0;
        }
        *rate = fit->growth;
        if (fit->method == PEERS_FIT_LEAST_SQUARES)
            snprintf(basis, size,
                     "trend %.2f%% a year (log-linear least squares over %zu levels %d-%d; 95%% interval %.2f%% to "
                     "%.2f%%)",
                     peers_percent(fit->growth), fit->points, fit->first_year, fit->last_year, peers_percent(fit->low),
                     peers_percent(fit->high));
        else
            snprintf(basis, size, "trend %.2f%% a year (CAGR of the levels of %d and %d; two levels, no interval)",
                     peers_percent(fit->growth), fit->first_year, fit->last_year);
        return 1;
    case PEERS_RULE_LAST: {
        const peers_observation *latest = NULL;
        for (size_t i = 0; i < count; i++)
            if (obs[i].kind == HISTORY_GROWTH && (!latest || obs[i].year > latest->year))
                latest = &obs[i];
        if (latest) {
            *rate = latest->value;
            snprintf(basis, size, "last observed growth %.2f%% (%d)", peers_percent(latest->value), latest->year);
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
                snprintf(basis, size, "last: no growth rate observed, and the levels of %d and %d are not above zero",
                         years[0], years[1]);
                return 0;
            }
            snprintf(basis, size, "last: %.2f%% a year, the CAGR of the levels of %d and %d (no growth rate observed)",
                     peers_percent(*rate), years[0], years[1]);
            return 1;
        }
        snprintf(basis, size, "last: no growth rate observed and fewer than two levels");
        return 0;
    }
    case PEERS_RULE_SERIES:
        if (rule->span_count == 0) {
            *rate = rule->constant;
            /* the path may be cut short in the words; summary.json has it whole */
            if (snprintf(basis, size, "%.2f%% a year (the scenario's %s)", peers_percent(rule->constant),
                         rule->json_path) < 0)
                basis[0] = '\0';
        } else if (snprintf(basis, size, "the scenario's growth by year (%s)", rule->json_path) < 0) {
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
        snprintf(line->projection, sizeof line->projection, "data reach %d: nothing projected",
                 series->last_value_year);
        return DIAG_OK;
    }
    double rate;
    char basis[sizeof line->projection - 32];
    if (!peers_rule_basis(line, obs, count, &rate, basis, sizeof basis)) {
        snprintf(line->projection, sizeof line->projection, "%s: no values after %d", basis, series->last_value_year);
        diag_warning(d, "%s: %s, so it has no values after %d (give it a growth in the peers block's \"by_place\")",
                     what, basis, series->last_value_year);
        return DIAG_OK;
    }
    for (int year = from; year <= v->last_year; year++) {
        double g = rate;
        if (isnan(g) && !peers_rule_rate(line->rule, year, &g))
            return diag_error_json(d, DIAG_DATA, line->rule->file, line->rule->json_path,
                                  "the growth for %s gives no rate for %d (%s is projected from %d, after its last "
                                  "value in %d, to %d): add that year or a \"value\" for the other years",
                                  line->place, year, v->name, from, from - 1, v->last_year);
        int t = year - series->first_year;
        series->value[t] = series->value[t - 1] * (1 + g);
        series->origin[t] = SIM_ORIGIN_PROJECTED;
        series->source[t] = NULL;
    }
    line->projected_from = from;
    line->projected_growth = rate;
    snprintf(line->projection, sizeof line->projection, "%s, from %d", basis, from);
    if (from < s->start) {
        char years[32];
        if (from == s->start - 1)
            snprintf(years, sizeof years, "%d is", from);
        else
            snprintf(years, sizeof years, "%d-%d are", from, s->start - 1);
        diag_warning(d,
                     "%s: no value after %d, so %s projected at %s: the years before %d are estimates (origin "
                     "\"projected\"), not data",
                     what, from - 1, years, basis, s->start);
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
            diag_warning(d, "%s: the growth rate of %d (%.2f%%) gives no level: there is no level of %d or %d to chain "
                            "it from, and nothing is invented in between",
                         what, year, peers_percent(rate), year - 1, year);
    }
    if (line->status == PEERS_STATUS_GROWTH_ONLY)
        diag_warning(d, "%s: only growth rates (%zu), no level, so no value can be built: add a level of any year to "
                        "the observations",
                     what, s->growth_count);
    else if (line->status == PEERS_STATUS_NO_DATA && !line->is_home) {
        const peers_place *place = peers_find_place(c, line->place);
        if (place && place->has_observations) /* places without any figure are reported once, by peers_compare */
            diag_warning(d, "%s: no figures of %s in %s: shown as \"no data\"", line->place, v->name,
                         c->run->history->path);
    }
    if (line->is_home) {
        peers_merge_run(c, v, line);
        if (line->series.last_value_year)
            line->status = PEERS_STATUS_DATA;
        snprintf(line->projection, sizeof line->projection, "the scenario's model from %d", c->run->scenario->start);
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
        return diag_oom(d, "comparing peers");
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
        return diag_oom(d, "comparing peers");
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
        return diag_oom(d, "comparing peers");
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
        diag_error(d, DIAG_SOFTWARE, "peers_compare needs a simulated run");
        return NULL;
    }
    peers_comparison *c = mem_calloc(1, sizeof *c);
    if (!c) {
        diag_oom(d, "comparing peers");
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
            diag_warning(d, "%s has no figures yet (named in %s, absent from %s): shown as \"no data yet\"",
                         place->place, c->places_path ? c->places_path : "the places file", r->history->path);
    }
    c->variables = mem_calloc(spec->variable_count, sizeof *c->variables);
    if (!c->variables) {
        diag_oom(d, "comparing peers");
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

/* ---------------------------------------------------------------------------------------- */
/* 4. The comparison: the table                                                              */

static void peers_display_name(const peers_line *line, char *buf, size_t size)
{
    if (line->name_en && line->name_en[0])
        snprintf(buf, size, "%s %s", line->place, line->name_en);
    else
        snprintf(buf, size, "%s", line->place);
}

static const char *peers_status_words(const peers_comparison *c, const peers_line *line)
{
    if (line->status == PEERS_STATUS_GROWTH_ONLY)
        return "growth rates only, no level";
    const peers_place *place = peers_find_place(c, line->place);
    return place && !place->has_observations ? "no data yet" : "no data";
}

static size_t peers_window_index(const peers_variable *v, int year)
{
    return (size_t)(year - v->storage_first);
}

/* Home's rank among the places with a value, "2/3", or "-". */
static void peers_rank_text(const peers_variable *v, const peers_line *line, size_t t, char *buf, size_t size)
{
    int ranked = 0;
    for (size_t i = 0; i < v->line_count; i++)
        ranked += v->lines[i].rank[t] > 0;
    if (line->rank[t] > 0)
        snprintf(buf, size, "%d/%d", line->rank[t], ranked);
    else
        snprintf(buf, size, "-");
}

static void peers_standing_text(const peers_variable *v, const peers_line *line, char *buf, size_t size)
{
    switch (line->standing) {
    case PEERS_STANDING_AHEAD:
        snprintf(buf, size, "ahead");
        break;
    case PEERS_STANDING_CATCHES_UP:
        snprintf(buf, size, "%d", line->catch_up_year);
        break;
    case PEERS_STANDING_FALLS_BEHIND:
        snprintf(buf, size, "behind from %d", line->fall_behind_year);
        break;
    case PEERS_STANDING_BEHIND:
        snprintf(buf, size, "not by %d", v->last_year);
        break;
    case PEERS_STANDING_UNKNOWN:
        snprintf(buf, size, "-");
        break;
    }
}

/* A line of a table, built in a buffer so that trailing blanks can be cut. */
typedef struct peers_row {
    char text[4096];
    size_t used;
} peers_row;

/* Appends `cell` padded with spaces to `width` display columns (left- or right-aligned). */
static void peers_row_add(peers_row *row, const char *cell, size_t width, int left)
{
    size_t w = text_display_width(cell), pad = w < width ? width - w : 0;
    size_t len = strlen(cell);
    if (row->used + len + pad + 1 > sizeof row->text)
        return; /* a cell that does not fit is left out rather than cut mid-character */
    if (!left) {
        memset(row->text + row->used, ' ', pad);
        row->used += pad;
    }
    memcpy(row->text + row->used, cell, len);
    row->used += len;
    if (left) {
        memset(row->text + row->used, ' ', pad);
        row->used += pad;
    }
    row->text[row->used] = '\0';
}

/* Prints the row without trailing blanks, and empties it. */
static void peers_row_print(FILE *out, peers_row *row)
{
    while (row->used > 0 && row->text[row->used - 1] == ' ')
        row->used--;
    row->text[row->used] = '\0';
    text_print(out, row->text, 0); /* cells hold place names: escaped for the terminal */
    fputc('\n', out);
    row->used = 0;
    row->text[0] = '\0';
}

enum { PEERS_COLUMNS = 8 };

/* The text of one cell of the standings table (row < 0: the header). */
static void peers_standings_cell(const peers_comparison *c, const peers_variable *v, int row, int column, char *buf,
                                 size_t size)
{
    buf[0] = '\0';
    if (row < 0) {
        switch (column) {
        case 0:
            snprintf(buf, size, "place");
            break;
        case 1:
            snprintf(buf, size, "%d", v->last_year);
            break;
        case 2:
            snprintf(buf, size, "gap");
            break;
        case 3:
            snprintf(buf, size, "ratio");
            break;
        case 4:
            snprintf(buf, size, "rank");
            break;
        case 5:
            snprintf(buf, size, "first order flip");
            break;
        case 6:
            snprintf(buf, size, "catch-up year");
            break;
        case 7:
            snprintf(buf, size, "growth to draw level by %d", c->catch_up_by);
            break;
        }
        return;
    }
    const peers_line *line = &v->lines[row];
    size_t t = peers_window_index(v, v->last_year);
    if (column == 0) {
        peers_display_name(line, buf, size);
        return;
    }
    if (line->status != PEERS_STATUS_DATA) {
        if (column == 1)
            snprintf(buf, size, "%s", peers_status_words(c, line));
        return;
    }
    char value[64];
    switch (column) {
    case 1:
        report_format_value(value, sizeof value, line->series.value[t], v->unit);
        snprintf(buf, size, "%s%c", value, report_origin_flag((sim_origin)line->series.origin[t]));
        break;
    case 2:
        if (!line->is_home && isfinite(line->gap[t]))
            snprintf(buf, size, "%+.2f", line->gap[t]);
        else if (!line->is_home)
            snprintf(buf, size, "-");
        break;
    case 3:
        if (!line->is_home && isfinite(line->ratio[t]))
            snprintf(buf, size, "%.2f", line->ratio[t]);
        else if (!line->is_home)
            snprintf(buf, size, "-");
        break;
    case 4:
        peers_rank_text(v, line, t, buf, size);
        break;
    case 5:
        if (line->is_home)
            break;
        if (line->crossing_count == 0) {
            snprintf(buf, size, "none");
        } else {
            const peers_crossing *x = &line->crossings[0];
            int n = snprintf(buf, size, "%s in %d (%.2f)", x->direction > 0 ? "ahead" : "behind", x->year, x->point);
            if (line->crossing_count > 1 && n > 0 && (size_t)n < size)
                snprintf(buf + n, size - (size_t)n, ", +%zu more", line->crossing_count - 1);
        }
        break;
    case 6:
        if (!line->is_home)
            peers_standing_text(v, line, buf, size);
        break;
    case 7:
        if (!line->is_home) {
            double g = line->required_growth[peers_window_index(v, c->catch_up_by)];
            if (isfinite(g))
                snprintf(buf, size, "%.2f%% a year", peers_percent(g));
            else
                snprintf(buf, size, "-");
        }
        break;
    }
}

static void peers_print_values(FILE *out, const peers_comparison *c, const peers_variable *v, size_t name_width)
{
    size_t width = 4;
    char text[64];
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA)
            continue;
        for (int year = v->first_year; year <= v->last_year; year++) {
            report_format_value(text, sizeof text, line->series.value[peers_window_index(v, year)], v->unit);
            if (strlen(text) > width)
                width = strlen(text);
        }
    }
    peers_row row = {.used = 0};
    peers_row_add(&row, "", name_width, 1);
    for (int year = v->first_year; year <= v->last_year; year++) {
        snprintf(text, sizeof text, "%d", year);
        peers_row_add(&row, " ", 1, 1);
        peers_row_add(&row, text, width, 0);
        peers_row_add(&row, " ", 1, 1);
    }
    peers_row_print(out, &row);
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        char name[256];
        peers_display_name(line, name, sizeof name);
        peers_row_add(&row, name, name_width, 1);
        if (line->status != PEERS_STATUS_DATA) {
            peers_row_add(&row, " ", 1, 1);
            peers_row_add(&row, peers_status_words(c, line), 0, 1);
        }
        for (int year = v->first_year; year <= v->last_year && line->status == PEERS_STATUS_DATA; year++) {
            size_t t = peers_window_index(v, year);
            char flag[2] = {report_origin_flag((sim_origin)line->series.origin[t]), '\0'};
            report_format_value(text, sizeof text, line->series.value[t], v->unit);
            peers_row_add(&row, " ", 1, 1);
            peers_row_add(&row, text, width, 0);
            peers_row_add(&row, flag, 1, 1);
        }
        peers_row_print(out, &row);
    }
    char heading[256];
    snprintf(heading, sizeof heading, "rank of %s", c->home);
    peers_row_add(&row, heading, name_width, 1);
    for (int year = v->first_year; year <= v->last_year; year++) {
        peers_rank_text(v, &v->lines[0], peers_window_index(v, year), text, sizeof text);
        peers_row_add(&row, " ", 1, 1);
        peers_row_add(&row, text, width, 0);
        peers_row_add(&row, " ", 1, 1);
    }
    peers_row_print(out, &row);
}

static void peers_print_standings(FILE *out, const peers_comparison *c, const peers_variable *v)
{
    size_t widths[PEERS_COLUMNS] = {0};
    char cell[320];
    /* a place without values says so after its name, outside the columns */
    for (int row = -1; row < (int)v->line_count; row++)
        for (int column = 0; column < PEERS_COLUMNS; column++) {
            if (row >= 0 && column > 0 && v->lines[row].status != PEERS_STATUS_DATA)
                continue;
            peers_standings_cell(c, v, row, column, cell, sizeof cell);
            size_t w = text_display_width(cell);
            if (w > widths[column])
                widths[column] = w;
        }
    peers_row line = {.used = 0};
    for (int row = -1; row < (int)v->line_count; row++) {
        if (row >= 0 && v->lines[row].status != PEERS_STATUS_DATA) {
            peers_standings_cell(c, v, row, 0, cell, sizeof cell);
            peers_row_add(&line, cell, widths[0], 1);
            peers_row_add(&line, "  ", 2, 1);
            peers_row_add(&line, peers_status_words(c, &v->lines[row]), 0, 1);
            peers_row_print(out, &line);
            continue;
        }
        for (int column = 0; column < PEERS_COLUMNS; column++) {
            peers_standings_cell(c, v, row, column, cell, sizeof cell);
            if (column > 0)
                peers_row_add(&line, "  ", 2, 1);
            peers_row_add(&line, cell, widths[column], column == 0 || column == 5 || column == 6);
        }
        peers_row_print(out, &line);
    }
}

static void peers_print_crossings(FILE *out, const peers_comparison *c, const peers_variable *v)
{
    const peers_line *home = &v->lines[0];
    for (size_t i = 1; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        for (size_t k = 0; k < line->crossing_count && k < v->storage_years; k++) {
            const peers_crossing *x = &line->crossings[k];
            size_t t0 = peers_window_index(v, x->previous_year), t1 = peers_window_index(v, x->year);
            char h0[64], p0[64], h1[64], p1[64];
            report_format_value(h0, sizeof h0, home->series.value[t0], v->unit);
            report_format_value(p0, sizeof p0, line->series.value[t0], v->unit);
            report_format_value(h1, sizeof h1, home->series.value[t1], v->unit);
            report_format_value(p1, sizeof p1, line->series.value[t1], v->unit);
            fprintf(out, "  %s %s %s in %d (level at %.2f): %d %s %s vs %s %s; %d %s %s vs %s %s\n", text_safe(c->home),
                    x->direction > 0 ? "moves ahead of" : "falls behind", text_safe(line->place), x->year, x->point,
                    x->previous_year, h0, sim_origin_name((sim_origin)home->series.origin[t0]), p0,
                    sim_origin_name((sim_origin)line->series.origin[t0]), x->year, h1,
                    sim_origin_name((sim_origin)home->series.origin[t1]), p1,
                    sim_origin_name((sim_origin)line->series.origin[t1]));
        }
    }
}

static void peers_print_fits(FILE *out, const peers_variable *v, size_t name_width)
{
    fprintf(out, "trend fits (ln value on year, observed and derived levels):\n");
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA && !line->is_home)
            continue;
        const peers_fit *fit = &line->fit;
        char name[256];
        peers_display_name(line, name, sizeof name);
        fputs("  ", out);
        text_pad(out, name, name_width, 1);
        switch (fit->method) {
        case PEERS_FIT_LEAST_SQUARES:
            fprintf(out, "  %6.2f%% a year, 95%% interval %.2f%% to %.2f%% (least squares, %zu levels %d-%d)\n",
                    peers_percent(fit->growth), peers_percent(fit->low), peers_percent(fit->high), fit->points,
                    fit->first_year, fit->last_year);
            break;
        case PEERS_FIT_CAGR:
            fprintf(out, "  %6.2f%% a year, no interval (exact CAGR of the two levels of %d and %d)\n",
                    peers_percent(fit->growth), fit->first_year, fit->last_year);
            break;
        case PEERS_FIT_NONE:
            fprintf(out, "  no trend (%zu level%s; a trend needs two)\n", fit->points, fit->points == 1 ? "" : "s");
            break;
        }
    }
}

void peers_print_table(FILE *out, const peers_comparison *c)
{
    const scenario *s = c->run->scenario;
    for (size_t k = 0; k < c->variable_count; k++) {
        const peers_variable *v = &c->variables[k];
        size_t name_width = 0;
        char name[256];
        for (size_t i = 0; i < v->line_count; i++) {
            peers_display_name(&v->lines[i], name, sizeof name);
            if (text_display_width(name) > name_width)
                name_width = text_display_width(name);
        }
        snprintf(name, sizeof name, "rank of %s", c->home);
        if (text_display_width(name) > name_width)
            name_width = text_display_width(name);
        fprintf(out, "%s and its peers: %s [%s] (%s), %d-%d  (%s)\n", text_safe(c->home), text_safe(v->label),
                text_safe(v->unit), text_safe(v->name), v->first_year, v->last_year, text_safe(s->name));
        peers_print_values(out, c, v, name_width);
        fprintf(out, "o observed, n interpolated (log-linear between two levels), d derived from an observed growth "
                     "rate,\np projected at the peer's growth (see below), blank: %s's scenario from %d.\n\n",
                text_safe(c->home), s->start);
        peers_print_standings(out, c, v);
        if (v->base_year)
            fprintf(out, "gap = %s - place, ratio = %s / place, rank among the places with a value, all in %d.\n"
                         "growth to draw level: the constant yearly growth %s would need from %.2f in %d to equal the "
                         "place in %d.\ncatch-up year: the first year from %d in which %s is ahead under this "
                         "scenario.\n",
                    text_safe(c->home), text_safe(c->home), v->last_year, text_safe(c->home), v->base_value,
                    v->base_year, c->catch_up_by, s->start, text_safe(c->home));
        peers_print_crossings(out, c, v);
        fputc('\n', out);
        peers_print_fits(out, v, name_width);
        fprintf(out, "past their data:\n");
        for (size_t i = 1; i < v->line_count; i++) {
            const peers_line *line = &v->lines[i];
            if (line->status != PEERS_STATUS_DATA)
                continue;
            peers_display_name(line, name, sizeof name);
            fputs("  ", out);
            text_pad(out, name, name_width, 1);
            fprintf(out, "  %s\n", text_safe(line->projection));
        }
        fputc('\n', out);
    }
    int listed = 0;
    for (size_t i = 0; i < c->peer_count; i++) {
        const peers_place *place = peers_find_place(c, c->peer_names[i]);
        if (!place || place->has_observations)
            continue;
        if (!listed++)
            fprintf(out, "no data yet (add their figures to %s):\n", text_safe(c->run->history->path));
        fprintf(out, "  %s%s%s: ", text_safe(place->place), place->name_en[0] ? " " : "", text_safe(place->name_en));
        text_print(out, place->note, 0);
        fputc('\n', out);
    }
    /* places named in the registry without figures and not in the block: listed, not compared */
    int others = 0;
    for (size_t i = 0; i < c->place_count; i++) {
        const peers_place *place = &c->places[i];
        int in_block = !strcmp(place->place, c->home);
        for (size_t k = 0; k < c->peer_count && !in_block; k++)
            in_block = !strcmp(place->place, c->peer_names[k]);
        if (in_block || place->has_observations)
            continue;
        if (!others++)
            fprintf(out, "named in %s without figures yet, not compared: ", text_safe(c->places_path));
        else
            fputs(", ", out);
        fprintf(out, "%s%s%s", text_safe(place->place), place->name_en[0] ? " " : "", text_safe(place->name_en));
    }
    if (others)
        fputc('\n', out);
    if (listed || others)
        fputc('\n', out);
}

/* ---------------------------------------------------------------------------------------- */
/* 4. The comparison: peers.csv and summary.json                                             */

void peers_write_csv(FILE *f, const peers_comparison *c)
{
    const char *scenario_name = c->run->scenario->name;
    fputs("scenario,place,variable,year,value,origin,rank,gap,ratio\n", f);
    for (size_t k = 0; k < c->variable_count; k++) {
        const peers_variable *v = &c->variables[k];
        for (size_t i = 0; i < v->line_count; i++) {
            const peers_line *line = &v->lines[i];
            if (line->status != PEERS_STATUS_DATA)
                continue;
            for (int year = v->first_year; year <= v->last_year; year++) {
                size_t t = peers_window_index(v, year);
                output_csv_field(f, scenario_name);
                fputc(',', f);
                output_csv_field(f, line->place);
                fputc(',', f);
                output_csv_field(f, v->name);
                fprintf(f, ",%d,", year);
                int has_value = line->series.origin[t] != SIM_ORIGIN_NONE;
                output_csv_number(f, has_value ? line->series.value[t] : NAN);
                fputc(',', f);
                fputs(has_value ? sim_origin_name((sim_origin)line->series.origin[t]) : "missing", f);
                fputc(',', f);
                if (line->rank[t] > 0)
                    fprintf(f, "%d", line->rank[t]);
                fputc(',', f);
                output_csv_number(f, line->gap[t]);
                fputc(',', f);
                output_csv_number(f, line->ratio[t]);
                fputc('\n', f);
            }
        }
    }
}

static void peers_json_number(cJSON *object, const char *key, double value)
{
    if (isfinite(value))
        cJSON_AddNumberToObject(object, key, value);
    else
        cJSON_AddNullToObject(object, key);
}

static const char *peers_status_name(const peers_comparison *c, const peers_line *line)
{
    return line->status == PEERS_STATUS_DATA ? "data" : peers_status_words(c, line);
}

static const char *peers_standing_name(peers_standing standing)
{
    switch (standing) {
    case PEERS_STANDING_AHEAD:
        return "ahead";
    case PEERS_STANDING_CATCHES_UP:
        return "catches up";
    case PEERS_STANDING_FALLS_BEHIND:
        return "falls behind";
    case PEERS_STANDING_BEHIND:
        return "behind";
    case PEERS_STANDING_UNKNOWN:
        break;
    }
    return "unknown";
}

static const char *peers_rule_name(peers_rule_kind kind)
{
    return kind == PEERS_RULE_TREND ? "trend" : kind == PEERS_RULE_LAST ? "last" : "assumed";
}

static cJSON *peers_fit_json(const peers_fit *fit)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "method", peers_fit_method_name(fit->method));
    cJSON_AddNumberToObject(o, "points", (double)fit->points);
    if (fit->points) {
        cJSON_AddNumberToObject(o, "first_year", fit->first_year);
        cJSON_AddNumberToObject(o, "last_year", fit->last_year);
    }
    peers_json_number(o, "growth", fit->growth);
    if (fit->method == PEERS_FIT_LEAST_SQUARES) {
        cJSON *interval = cJSON_AddArrayToObject(o, "interval_95");
        if (interval) {
            cJSON_AddItemToArray(interval, cJSON_CreateNumber(fit->low));
            cJSON_AddItemToArray(interval, cJSON_CreateNumber(fit->high));
        }
        peers_json_number(o, "slope_ln", fit->slope);
        peers_json_number(o, "slope_se", fit->slope_se);
    } else {
        cJSON_AddNullToObject(o, "interval_95");
        cJSON_AddStringToObject(o, "interval_note", fit->method == PEERS_FIT_CAGR
                                                        ? "two levels: the exact CAGR, no interval"
                                                        : "fewer than two levels: no trend");
    }
    return o;
}

static cJSON *peers_line_json(const peers_comparison *c, const peers_variable *v, const peers_line *line)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "place", line->place);
    cJSON_AddStringToObject(o, "name_en", line->name_en ? line->name_en : "");
    cJSON_AddBoolToObject(o, "home", line->is_home);
    cJSON_AddStringToObject(o, "status", peers_status_name(c, line));
    cJSON_AddNumberToObject(o, "levels_observed", (double)line->series.level_count);
    cJSON_AddNumberToObject(o, "growth_rates_observed", (double)line->series.growth_count);
    report_add_item(o, "fit", peers_fit_json(&line->fit)); /* a failure shows in mem_failure_count */
    cJSON *unchained = cJSON_AddArrayToObject(o, "unchained_growth_years");
    for (size_t k = 0; unchained && k < line->series.unchained_count; k++)
        cJSON_AddItemToArray(unchained, cJSON_CreateNumber(line->series.unchained_years[k]));
    if (!line->is_home && line->status == PEERS_STATUS_DATA) {
        cJSON *projection = cJSON_AddObjectToObject(o, "projection");
        if (projection) {
            cJSON_AddStringToObject(projection, "rule", peers_rule_name(line->rule->kind));
            cJSON_AddStringToObject(projection, "json_path", line->rule->json_path);
            if (line->projected_from)
                cJSON_AddNumberToObject(projection, "from_year", line->projected_from);
            else
                cJSON_AddNullToObject(projection, "from_year");
            peers_json_number(projection, "growth", line->projected_growth);
            cJSON_AddStringToObject(projection, "basis", line->projection);
        }
    }
    if (line->status == PEERS_STATUS_DATA) {
        cJSON *values = cJSON_AddArrayToObject(o, "values");
        for (int year = v->first_year; values && year <= v->last_year; year++) {
            size_t t = peers_window_index(v, year);
            cJSON *point = cJSON_CreateObject();
            if (!point || !cJSON_AddItemToArray(values, point)) {
                cJSON_Delete(point);
                break;
            }
            int has_value = line->series.origin[t] != SIM_ORIGIN_NONE;
            cJSON_AddNumberToObject(point, "year", year);
            peers_json_number(point, "value", has_value ? line->series.value[t] : NAN);
            cJSON_AddStringToObject(point, "origin",
                                    has_value ? sim_origin_name((sim_origin)line->series.origin[t]) : "missing");
            if (line->rank[t] > 0)
                cJSON_AddNumberToObject(point, "rank", line->rank[t]);
            if (!line->is_home) {
                peers_json_number(point, "gap", line->gap[t]);
                peers_json_number(point, "ratio", line->ratio[t]);
            }
            const history_row *row = line->series.source[t];
            sim_origin origin = (sim_origin)line->series.origin[t];
            if (row && (origin == SIM_ORIGIN_OBSERVED || origin == SIM_ORIGIN_DERIVED)) {
                cJSON_AddStringToObject(point, "source", row->source);
                cJSON_AddStringToObject(point, "reliability", row->reliability);
                if (line->series.origin[t] == SIM_ORIGIN_DERIVED)
                    cJSON_AddNumberToObject(point, "observed_growth", row->value);
            }
        }
    }
    if (!line->is_home && line->status == PEERS_STATUS_DATA) {
        cJSON *crossings = cJSON_AddArrayToObject(o, "crossings");
        for (size_t k = 0; crossings && k < line->crossing_count && k < v->storage_years; k++) {
            const peers_crossing *x = &line->crossings[k];
            cJSON *item = cJSON_CreateObject();
            if (!item || !cJSON_AddItemToArray(crossings, item)) {
                cJSON_Delete(item);
                break;
            }
            cJSON_AddNumberToObject(item, "year", x->year);
            cJSON_AddNumberToObject(item, "previous_year", x->previous_year);
            peers_json_number(item, "point", x->point);
            cJSON_AddStringToObject(item, "direction", x->direction > 0 ? "home moves ahead" : "home falls behind");
        }
        cJSON *catch_up = cJSON_AddObjectToObject(o, "catch_up");
        if (catch_up) {
            cJSON_AddStringToObject(catch_up, "standing", peers_standing_name(line->standing));
            if (line->catch_up_year)
                cJSON_AddNumberToObject(catch_up, "catch_up_year", line->catch_up_year);
            else
                cJSON_AddNullToObject(catch_up, "catch_up_year");
            if (line->fall_behind_year)
                cJSON_AddNumberToObject(catch_up, "fall_behind_year", line->fall_behind_year);
            cJSON *required = cJSON_AddArrayToObject(catch_up, "required_growth");
            for (int year = c->run->scenario->start; required && year <= v->last_year; year++) {
                size_t t = peers_window_index(v, year);
                cJSON *item = cJSON_CreateObject();
                if (!item || !cJSON_AddItemToArray(required, item)) {
                    cJSON_Delete(item);
                    break;
                }
                cJSON_AddNumberToObject(item, "year", year);
                peers_json_number(item, "peer_value", line->series.value[t]);
                peers_json_number(item, "growth", line->required_growth[t]);
            }
        }
    }
    return o;
}

cJSON *peers_summary(const peers_comparison *c)
{
    const scenario *s = c->run->scenario;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "home", c->home);
    cJSON_AddNumberToObject(root, "start", s->start);
    cJSON_AddNumberToObject(root, "end", s->end);
    cJSON_AddNumberToObject(root, "catch_up_by", c->catch_up_by);
    if (c->places_path)
        cJSON_AddStringToObject(root, "places_file", c->places_path);
    else
        cJSON_AddNullToObject(root, "places_file");
    cJSON_AddStringToObject(root, "method",
                            "Series from observed levels, levels chained from observed growth rates (derived), "
                            "log-linear interpolation between two levels (interpolated); peers past their data at "
                            "their growth rule (projected); home from start: the scenario's model. Fits: least "
                            "squares of ln(level) on year over observed and derived levels, 95% interval from "
                            "Student's t with n-2 degrees of freedom; two levels give the exact CAGR. Catch-up "
                            "growth: (peer value / home base value)^(1/years) - 1.");
    cJSON *places = cJSON_AddArrayToObject(root, "places");
    cJSON *no_data = cJSON_AddArrayToObject(root, "no_data");
    cJSON *variables = cJSON_AddArrayToObject(root, "variables");
    if (!places || !no_data || !variables) {
        cJSON_Delete(root);
        return NULL;
    }
    for (size_t i = 0; i <= c->peer_count; i++) {
        const char *name = i == 0 ? c->home : c->peer_names[i - 1];
        const peers_place *place = peers_find_place(c, name);
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(places, item)) {
            cJSON_Delete(item);
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddStringToObject(item, "place", name);
        cJSON_AddStringToObject(item, "name_en", place ? place->name_en : "");
        cJSON_AddStringToObject(item, "role", i == 0 ? "home" : "peer");
        cJSON_AddStringToObject(item, "status", !place || place->has_observations ? "data" : "no data yet");
        if (place && place->note[0])
            cJSON_AddStringToObject(item, "note", place->note);
    }
    cJSON *named = cJSON_AddArrayToObject(root, "named_without_data");
    for (size_t i = 0; named && i < c->place_count; i++)
        if (!c->places[i].has_observations) {
            cJSON *item = cJSON_CreateObject();
            if (!item || !cJSON_AddItemToArray(named, item)) {
                cJSON_Delete(item);
                break;
            }
            cJSON_AddStringToObject(item, "place", c->places[i].place);
            cJSON_AddStringToObject(item, "name_en", c->places[i].name_en);
            cJSON_AddStringToObject(item, "note", c->places[i].note);
        }
    for (size_t k = 0; k < c->variable_count; k++) {
        const peers_variable *v = &c->variables[k];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(variables, item)) {
            cJSON_Delete(item);
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddStringToObject(item, "variable", v->name);
        cJSON_AddStringToObject(item, "label", v->label);
        cJSON_AddStringToObject(item, "unit", v->unit);
        cJSON_AddNumberToObject(item, "first_year", v->first_year);
        cJSON_AddNumberToObject(item, "last_year", v->last_year);
        if (v->base_year)
            cJSON_AddNumberToObject(item, "base_year", v->base_year);
        else
            cJSON_AddNullToObject(item, "base_year");
        peers_json_number(item, "base_value", v->base_value);
        cJSON *lines = cJSON_AddArrayToObject(item, "places");
        for (size_t i = 0; lines && i < v->line_count; i++) {
            cJSON *line = peers_line_json(c, v, &v->lines[i]);
            if (!line || !cJSON_AddItemToArray(lines, line)) {
                cJSON_Delete(line);
                cJSON_Delete(root);
                return NULL;
            }
            if (v->lines[i].status != PEERS_STATUS_DATA) {
                cJSON *entry = cJSON_CreateObject();
                if (!entry || !cJSON_AddItemToArray(no_data, entry)) {
                    cJSON_Delete(entry);
                    cJSON_Delete(root);
                    return NULL;
                }
                cJSON_AddStringToObject(entry, "place", v->lines[i].place);
                cJSON_AddStringToObject(entry, "variable", v->name);
                cJSON_AddStringToObject(entry, "status", peers_status_words(c, &v->lines[i]));
            }
        }
    }
    return root;
}
