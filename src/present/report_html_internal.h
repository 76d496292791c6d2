/* report_html_internal.h: the parts of report.html shared by report_html.c and
 * report_html_tables.c; not an API. */
#ifndef REPORT_HTML_INTERNAL_H
#define REPORT_HTML_INTERNAL_H

#include <stdio.h>

#include "report_html.h"

/* A value in its unit for display (units_format_value: rates in percent); NaN gives "-". */
void report_html_value(FILE *f, double value, const char *unit);

/* Text formatted as printf does (at most 4095 bytes), escaped as report_html_text does: a
 * sentence of the report whose arguments may come from files. */
void report_html_textf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A unit as a table shows it: "%" for rates, "count" and "index" in the chosen language
 * (i18n.h), else escaped. */
void report_html_unit(FILE *f, const char *unit);

/* Opens <section id=ID> with heading (program text, escaped); a page break before it unless
 * *first. */
void report_html_section(FILE *f, const char *id, const char *heading, int *first);

/* The sections of one scenario, in the page's order. */
void report_html_projection(FILE *f, const report_html_scenario *sc, int *first);
void report_html_peers(FILE *f, const peers_comparison *c, int *first);
void report_html_ensemble(FILE *f, const report_html_scenario *sc, int *first);
void report_html_sensitivity(FILE *f, const report_html_scenario *sc, int *first);
void report_html_assumptions(FILE *f, const report_html_scenario *sc, int *first);
void report_html_equations(FILE *f, const run *r, int *first);

#endif
