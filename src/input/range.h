/* range.h: the plausible range of a model value, and the message for a value outside it.
 *
 * A planner who types a growth rate of 4 for 4% gets GDP thirty times too large and no error
 * unless something checks. Every model variable, parameter and exogenous series may declare
 * "min" and "max"; declared bounds always win (a scenario may replace them with its "bounds").
 * A growth rate (model_slot_is_growth: a rate named NAME_growth) with no declared bound gets
 * the default range RANGE_GROWTH_MIN..RANGE_GROWTH_MAX; anything else without bounds (levels,
 * and ratios such as an output-to-GDP ratio, which may exceed 1) gets no range at all.
 * Units: a range is in the slot's unit (fractions for rates). */
#ifndef RANGE_H
#define RANGE_H

#include <stddef.h>

#include "model.h"

#define RANGE_GROWTH_MIN (-0.5) /* -50% */
#define RANGE_GROWTH_MAX 1.0    /* +100% */

typedef enum range_source {
    RANGE_NONE = 0,       /* no range: every finite value is plausible */
    RANGE_DECLARED,       /* "min"/"max" of the model file */
    RANGE_SCENARIO,       /* "bounds" of the scenario, in place of the model's */
    RANGE_DEFAULT_GROWTH  /* the default range of a growth rate without declared bounds */
} range_source;

typedef struct range {
    double min, max;      /* -inf / +inf for an open side */
    range_source source;
    int rate;             /* 1: a fraction, shown as a percentage */
    const char *unit;     /* for messages (not owned): "亿元", "ratio", "" */
} range;

/* The range the values of `slot` are checked against: its min/max when either is finite
 * (RANGE_SCENARIO when they differ from what the model file declares), else the default
 * growth range for a growth rate, else none. */
range range_of_slot(const model_slot *slot);

/* The default range of a growth rate (RANGE_DEFAULT_GROWTH): for observed growth rates of
 * levels (NAME_growth rows) and the targets of growth goals. */
range range_growth(void);

/* 1 when `value` lies within r (inclusive); every value lies within RANGE_NONE. */
int range_contains(const range *r, double value);

/* The range in words into buf, in the chosen language (i18n.h): "-20% to 30%", "0 to 4",
 * "at least 0 亿元", "at most 4". */
void range_describe(const range *r, char *buf, size_t size);

/* A value in words as written: "4", "-200%" (written_as_percent: the value shown times 100
 * with a percent sign), "1e+300" (short %g forms, never hundreds of digits). */
void range_format_value(double value, int written_as_percent, char *buf, size_t size);

/* The message for `value` outside r, about `name` (a model name):
 *   4 is outside the range of gdp_real_growth (-20% to 30%); did you mean 0.04 or "4%"?
 * The hint appears when the value was written as a plain number and value/100 lies in the
 * range (a percentage typed as a whole number); never for a value written as "4%". A default
 * range says so, and a scenario's bounds say where they come from. */
void range_message(const range *r, double value, int written_as_percent, const char *name, char *buf, size_t size);

#endif
