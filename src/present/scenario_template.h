/* scenario_template.h: the scenario file `econsim init` writes: a small scenario that extends
 * another and lists every assumption of its model as a commented example. */
#ifndef SCENARIO_TEMPLATE_H
#define SCENARIO_TEMPLATE_H

#include <stdio.h>

#include "run.h"

/* What the new file says besides its examples. Strings are not owned. */
typedef struct scenario_template {
    const char *name;      /* the new scenario's name (a slug) */
    const char *extends;   /* the base, as the new file names it (relative or a bare name) */
    const char *place;     /* history.place to set, or NULL to inherit the base's */
} scenario_template;

/* Writes the scenario to f as indented JSON (UTF-8): a "_about" comment, name, title,
 * extends, history.place when t->place is set, and "assumptions" holding one commented
 * example per parameter and exogenous series of base's model, in model order:
 *   "_gdp_real_growth": {"2023-2025": 0.055, "2026-2030": 0.05, "_label": ..., "_unit": ...,
 *                        "_range": ..., "_kind": ...}
 * The values are those base (loaded, not simulated) gives each year from start to end
 * (fractions for rates, levels in the slot's unit, e.g. 亿元); years that observations fix are
 * left out. Removing the '_' before the name makes it an assumption as written. Every string
 * from a file is escaped for JSON. Returns 0, or -1 when writing failed (ferror). */
int scenario_template_write(FILE *f, const run *base, const scenario_template *t);

#endif
