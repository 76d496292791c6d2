/* units.h: the units of model values as people read them: which units are rates (fractions
 * shown in percent), and a value written for display in its unit. The one place every layer
 * asks: the analyses for their messages, the tables, the charts, the writers. */
#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>

/* 1 when `unit` names a rate, "ratio" or "fraction": its values are fractions (0.08) that
 * tables and charts show in percent (8.00%). NULL or any other unit: 0. Compared exactly
 * ("Ratio" is not a rate). The one test of rate-ness every module uses. */
int units_is_rate(const char *unit);

/* A unit as a heading or table shows it: "%" for a rate, "count" and "index" in the chosen
 * language (i18n.h), any other unit as written, NULL as "". Never NULL; static or `unit`
 * itself, never to be freed. */
const char *units_shown(const char *unit);

/* Formats a value for display in `unit` into buf (size bytes, always terminated, cut to fit):
 * rates as percentages ("8.00%"), counts ("count", "家", "个") as whole numbers, indices and
 * unitless values ("index", "") with 4 decimals, money and the rest with 2; a magnitude of
 * 10^12 or more (of the percentage, for a rate) in a short %g form, never hundreds of digits.
 * NaN and infinities give "-". The unit itself is not written. */
void units_format_value(char *buf, size_t size, double value, const char *unit);

#endif
