/* range.c: plausible ranges and the messages for values outside them (range.h). */
#include "range.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

range range_growth(void)
{
    range r = {RANGE_GROWTH_MIN, RANGE_GROWTH_MAX, RANGE_DEFAULT_GROWTH, 1, "ratio"};
    return r;
}

range range_of_slot(const model_slot *slot)
{
    range r = {-INFINITY, INFINITY, RANGE_NONE, model_slot_is_rate(slot), slot->unit ? slot->unit : ""};
    if (isfinite(slot->min) || isfinite(slot->max)) {
        r.min = slot->min;
        r.max = slot->max;
        r.source = slot->min != slot->model_min || slot->max != slot->model_max ? RANGE_SCENARIO : RANGE_DECLARED;
    } else if (model_slot_is_growth(slot)) {
        r = range_growth();
        r.unit = slot->unit;
    }
    return r;
}

int range_contains(const range *r, double value)
{
    if (r->source == RANGE_NONE)
        return 1;
    return value >= r->min && value <= r->max;
}

/* One bound in words: "-20%", "4", "1e+06". */
static void range_bound(const range *r, double value, char *buf, size_t size)
{
    if (r->rate)
        snprintf(buf, size, "%.6g%%", value * 100);
    else
        snprintf(buf, size, "%.6g", value);
}

void range_describe(const range *r, char *buf, size_t size)
{
    char lo[48], hi[48], unit[64] = "";
    range_bound(r, r->min, lo, sizeof lo);
    range_bound(r, r->max, hi, sizeof hi);
    if (!r->rate && r->unit && r->unit[0])
        snprintf(unit, sizeof unit, " %s", r->unit);
    if (r->source == RANGE_NONE)
        snprintf(buf, size, "%s", _("any value"));
    else if (isfinite(r->min) && isfinite(r->max))
        snprintf(buf, size, _("%s to %s%s"), lo, hi, unit);
    else if (isfinite(r->min))
        snprintf(buf, size, _("at least %s%s"), lo, unit);
    else
        snprintf(buf, size, _("at most %s%s"), hi, unit);
}

void range_format_value(double value, int written_as_percent, char *buf, size_t size)
{
    if (written_as_percent)
        snprintf(buf, size, "%.6g%%", value * 100);
    else
        snprintf(buf, size, "%.6g", value);
}

void range_message(const range *r, double value, int written_as_percent, const char *name, char *buf, size_t size)
{
    char shown[48], span[160];
    range_format_value(value, written_as_percent, shown, sizeof shown);
    range_describe(r, span, sizeof span);
    int used =
        r->source == RANGE_DEFAULT_GROWTH
            ? snprintf(buf, size,
                       _("%s is outside the range of %s (%s, the default for a growth rate without declared bounds)"),
                       shown, name, span)
        : r->source == RANGE_SCENARIO
            ? snprintf(buf, size, _("%s is outside the range of %s (%s, as the scenario's \"bounds\" set it)"), shown,
                       name, span)
            : snprintf(buf, size, _("%s is outside the range of %s (%s)"), shown, name, span);
    if (used < 0 || (size_t)used >= size)
        return;
    double scaled = value / 100;
    if (!written_as_percent && range_contains(r, scaled)) {
        char percent[48];
        snprintf(percent, sizeof percent, "%.6g", value);
        snprintf(buf + used, size - (size_t)used, _("; did you mean %.6g or \"%s%%\"?"), scaled, percent);
    }
}
