/* backtest.h: how good the scenario's projections would have been: a rolling-origin
 * evaluation (econsim backtest).
 *
 * For each origin year T the scenario's model is run as it would have been in T: with the
 * observations of years up to T only (history_view_until), from T + 1 on, the deflator
 * re-based to 1 in T (sim_plan_options.initial_at: no later value anchors the run), and, in
 * years before the scenario's own start that its assumptions do not cover, the assumption of
 * the start year carried back (those points are flagged). Each projected value of a model
 * variable is compared with the actual of the same year: every observation of the data is an
 * actual, and so is a level derived from an observed growth rate (flagged in actual_origin).
 * Two naive forecasts are scored on the same points: no change in growth (the annual growth
 * between the last two actuals up to T carries on; Theil's U is measured against it) and a
 * log-linear trend fitted to the actuals up to T. A point whose years straddle a series break
 * (history.h) is never compared: the jump would be a revision, not an error.
 *
 * Errors are forecast - actual: a positive error (and bias) means the projection was too high.
 * Levels are in the variable's unit (亿元 nominal for GDP and revenue); pct_error is the
 * error as a fraction of the actual. Nothing here is invented: a horizon without actuals has
 * n = 0 and NaN statistics. */
#ifndef BACKTEST_H
#define BACKTEST_H

#include <stddef.h>

#include "diag.h"
#include "ensemble.h"
#include "run.h"
#include "sim.h"

/* Longest horizon and most origins a back-test takes (one run per origin). */
#define BACKTEST_MAX_HORIZON 30
#define BACKTEST_MAX_ORIGINS 200

/* What the command line asks for (zero: the defaults). */
typedef struct backtest_options {
    int origin_from, origin_to;   /* --origins A-B; 0: every year in which some variable has an
                                     actual followed by a later one */
    int horizon_from, horizon_to; /* --horizons A-B; 0: 1-5 */
    int last_origin;              /* --as-of YEAR: no origin after it (0: none); actuals are
                                     every observation whatever it says */
    const ensemble_spec *bands;   /* the scenario's uncertainty block (NULL: no bands): each
                                     origin's run gets its ensemble, with the same shocks */
    int threads;                  /* for the ensembles (0: every core); results do not depend on it */
} backtest_options;

/* One compared point. */
typedef struct backtest_row {
    int slot;               /* the model variable */
    int origin, year, horizon;
    double forecast;        /* the model's projection for `year` made in `origin` */
    double actual;
    sim_origin actual_origin; /* SIM_ORIGIN_OBSERVED or SIM_ORIGIN_DERIVED (from a growth rate) */
    int carried_back;       /* 1: the run used an assumption carried back before the start */
    double naive;           /* no change in growth; NaN without two actuals up to the origin */
    double trend;           /* log-linear trend of the actuals up to the origin; NaN likewise */
    double origin_actual;   /* the actual in the origin year, NaN when none (direction) */
    double p05, p50, p95;   /* the ensemble's quantiles of the projection (type 7); NaN: no bands */
    double pit;             /* probability integral transform: the share of paths below the
                               actual (ties count half); inside the 90% band when 0.05 <= pit <=
                               0.95, the 50% band when 0.25 <= pit <= 0.75; NaN: no bands, or no
                               shock reaches the cell (every path the same: p05 = p95 = forecast) */
} backtest_row;

/* The scores of one variable at one horizon, over its rows. NaN where undefined (n = 0, no
 * benchmark, a zero benchmark error). */
typedef struct backtest_stat {
    int slot, horizon;
    size_t n;               /* points compared */
    double bias;            /* mean error, the unit of the variable */
    double mae, rmse;       /* mean absolute and root mean square error, same unit */
    double mape;            /* mean absolute error / |actual|, a fraction */
    size_t n_naive;         /* points with a no-change forecast */
    double theil_u;         /* RMSE / RMSE of the no-change forecast, over those points; NaN when
                               that forecast is exact to rounding (below 1e-12 of the actuals) */
    double u_trend;         /* RMSE / RMSE of the trend forecast, over the points with one */
    size_t n_direction;     /* points with an actual in the origin year */
    double hit_rate;        /* share of them where the projection moved the way the actual did */
    double coverage_50;     /* share of points inside the 50% band (from pit); NaN: no bands */
    double coverage_90;     /* the same for the 90% band */
} backtest_stat;

/* One origin's projection of one variable, T .. T + horizon_to (for the hedgehog chart). */
typedef struct backtest_path {
    int slot, origin;
    double *value;          /* [0 .. horizon_to]: years origin .. origin + horizon_to; NaN: none */
} backtest_path;

/* The actuals of one variable, first_year .. first_year + years - 1 (NaN: none). */
typedef struct backtest_actuals {
    int slot;
    int first_year;
    size_t years;
    double *value;
    unsigned char *origin;  /* sim_origin: OBSERVED, DERIVED or NONE */
    int *breaks;            /* years whose level starts a new statistical basis */
    size_t break_count;
} backtest_actuals;

typedef struct backtest_result {
    const run *run;         /* not owned */
    int horizon_from, horizon_to;
    int origin_from, origin_to; /* the origins tried */
    backtest_actuals *actuals;  /* the variables that have actuals, in slot order */
    size_t variable_count;
    backtest_row *rows;     /* by variable, origin, horizon */
    size_t row_count;
    backtest_stat *stats;   /* variable_count * horizons, by variable then horizon */
    size_t stat_count;
    backtest_path *paths;
    size_t path_count;
    size_t origins_run;     /* origins whose run was built */
    size_t across_break;    /* points left out because a series break lies between origin and year */
    int has_bands;          /* 1 when the rows carry p05, p50, p95 and pit */
    size_t band_paths;      /* paths per origin */
} backtest_result;

/* Runs the back-test of r (loaded with every observation: RUN_AS_OF_ALL), whose scenario must
 * name a history and place. Returns DIAG_OK with *out set (free with backtest_result_free);
 * DIAG_USAGE for a bad range (horizon outside 1..BACKTEST_MAX_HORIZON, from > to, too many
 * origins); DIAG_DATA when the scenario has no history or no variable has two actuals; an
 * origin whose run cannot be built is a warning naming it. Every statistic is computed from
 * the rows, exactly as a reader of backtest.csv would. */
int backtest_run(const run *r, const backtest_options *o, backtest_result **out, diag *d);

/* The statistic of (slot, horizon), or NULL. */
const backtest_stat *backtest_find_stat(const backtest_result *res, int slot, int horizon);

/* Frees the result; NULL is a no-op. */
void backtest_result_free(backtest_result *res);

#endif
