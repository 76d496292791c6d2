/* peers_series.c: a yearly series from sparse observations (peers_series.h): levels placed,
 * growth rates chained forwards then backwards, gaps between levels interpolated log-linearly,
 * and growth rates that disagree with their levels or chain nothing reported. */
#include "peers_series.h"
#include "i18n.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
            return diag_error(d, DIAG_DATA, _("%s: the %s of %d is not a finite number"), what,
                              o->kind == HISTORY_LEVEL ? _("level") : _("growth rate"), o->year);
        if (o->kind == HISTORY_LEVEL) {
            if (out->origin[t] == SIM_ORIGIN_OBSERVED)
                return diag_error(d, DIAG_DATA, _("%s: two levels for %d (%g and %g)"), what, o->year, out->value[t],
                                  o->value);
            out->value[t] = o->value;
            out->origin[t] = SIM_ORIGIN_OBSERVED;
            out->source[t] = o->row;
            out->level_count++;
        } else {
            if (!isnan(g->rate[t]))
                return diag_error(d, DIAG_DATA, _("%s: two growth rates for %d (%g and %g)"), what, o->year,
                                  g->rate[t], o->value);
            if (o->value <= -1)
                return diag_error(d, DIAG_DATA,
                                  _("%s: the growth rate of %d is %g, a fall of 100%% or more (rates are fractions: "
                                  "-0.05 is a fall of 5%%)"),
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
        return diag_oom(d, _("building a peer series"));
    for (size_t t = 0; t < out->years; t++) {
        if (isnan(g->rate[t]) || g->used[t])
            continue;
        int year = out->first_year + (int)t;
        if (t > 0 && peers_has_value(out, t) && peers_has_value(out, t - 1)) {
            double implied = out->value[t] / out->value[t - 1] - 1;
            if (fabs(implied - g->rate[t]) > PEERS_GROWTH_TOLERANCE)
                diag_warning(d,
                             _("%s: the observed growth rate of %d (%.2f%%) disagrees with the levels of %d and %d, "
                             "which imply %.2f%%; the levels are kept"),
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
                diag_warning(d, _("%s: no values between %d and %d: log-linear interpolation needs levels above zero"),
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
        return diag_error(d, DIAG_SOFTWARE, _("%s: empty year range %d..%d for a series"), what, first_year, last_year);
    size_t years = (size_t)(last_year - first_year) + 1;
    peers_growth_scratch g = {mem_alloc(years * sizeof *g.rate), mem_calloc(years, sizeof *g.row),
                              mem_calloc(years, sizeof *g.used)};
    if (peers_series_alloc(out, first_year, years) != 0 || !g.rate || !g.row || !g.used) {
        peers_growth_scratch_free(&g);
        return diag_oom(d, _("building a peer series"));
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
