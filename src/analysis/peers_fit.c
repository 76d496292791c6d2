/* peers_fit.c: trend fits of a place's levels (peers_fit.h): GSL's linear least squares on
 * the logarithms, the interval from Student's t, the exact CAGR for two levels. */
#include "peers_fit.h"
#include "i18n.h"
#include "mem.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <string.h>

const char *peers_fit_method_name(peers_fit_method method)
{
    switch (method) {
    case PEERS_FIT_CAGR:
        return N_("CAGR of two levels");
    case PEERS_FIT_LEAST_SQUARES:
        return N_("log-linear least squares");
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
            return diag_error(d, DIAG_DATA, _("a trend needs levels above zero; %d has %g"), years[i], values[i]);
        if (i > 0 && years[i] <= years[i - 1])
            return diag_error(d, DIAG_SOFTWARE, _("trend fit: years out of order (%d after %d)"), years[i], years[i - 1]);
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
            return diag_error(d, DIAG_SOFTWARE, _("trend of %d-%d: the growth from %g to %g is not a finite number"),
                              years[0], years[1], values[0], values[1]);
        return DIAG_OK;
    }
    double *x = mem_alloc(count * sizeof *x), *y = mem_alloc(count * sizeof *y);
    if (!x || !y) {
        mem_free(x);
        mem_free(y);
        return diag_oom(d, _("fitting a trend"));
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
        return diag_error(d, DIAG_SOFTWARE, _("trend fit over %d-%d failed: %s"), fit->first_year, fit->last_year,
                          gsl_strerror(gsl_status));
    /* gsl_fit_linear estimates the variance from the residuals with n - 2 degrees of freedom */
    double t_quantile = gsl_cdf_tdist_Pinv(0.975, (double)(count - 2));
    double se = sqrt(cov11 > 0 ? cov11 : 0);
    if (!isfinite(c1) || !isfinite(se) || !isfinite(t_quantile))
        return diag_error(d, DIAG_SOFTWARE, _("trend fit over %d-%d gave a non-finite result"), fit->first_year,
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
        return diag_oom(d, _("fitting a trend"));
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
