/* units.c: rates and values formatted in their units (units.h). */
#include "units.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int units_is_rate(const char *unit)
{
    return unit && (!strcmp(unit, "ratio") || !strcmp(unit, "fraction"));
}

void units_format_value(char *buf, size_t size, double value, const char *unit)
{
    int rate = units_is_rate(unit);
    double shown = rate ? value * 100.0 : value;
    if (!isfinite(value))
        snprintf(buf, size, "-");
    else if (fabs(shown) >= 1e12) /* a short form, never hundreds of digits */
        snprintf(buf, size, "%.6g%s", shown, rate ? "%" : "");
    else if (rate)
        snprintf(buf, size, "%.2f%%", shown);
    else if (!strcmp(unit, "count") || !strcmp(unit, "家") || !strcmp(unit, "个"))
        snprintf(buf, size, "%.0f", value);
    else if (!strcmp(unit, "index") || !strcmp(unit, ""))
        snprintf(buf, size, "%.4f", value);
    else
        snprintf(buf, size, "%.2f", value);
}

const char *units_shown(const char *unit)
{
    if (units_is_rate(unit))
        return "%";
    if (unit && !strcmp(unit, "count"))
        return _("count");
    if (unit && !strcmp(unit, "index"))
        return _("index");
    return unit ? unit : "";
}
