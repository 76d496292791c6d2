/* report_html.h: report.html, one self-contained page a planner can hand on (issue 14): the
 * conclusions in sentences first, then each scenario's projection as a wide table (years as
 * columns, Chinese labels and units, the origin marks), the charts inlined as SVG, the peers,
 * the uncertainty and the sensitivity results when present, and last the assumptions with
 * their notes, sources and grades, and the model's equations.
 *
 * The page needs nothing else: CSS inline, no script, no URL of any kind (fonts, images,
 * links outside the page), so it opens the same from a USB stick, an e-mail or a printer. It
 * prints on A4 with a page break before each section and no chart split over two pages. Its
 * fixed text is Chinese. Every text that came from a file (titles, labels, notes, sources,
 * place names, goal labels) is escaped for HTML; the charts are gnuplot's own SVG (which
 * escapes its texts), with their ids made unique per chart, and any SVG holding a script or
 * foreign content is left out rather than inlined. */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "charts.h"
#include "compare_table.h"
#include "ensemble.h"
#include "goals.h"
#include "peers.h"
#include "run.h"
#include "sweep.h"

/* One scenario's results, as the pipeline holds them (every pointer but run may be NULL: the
 * part is left out). Nothing is owned. */
typedef struct report_html_scenario {
    const run *run;                     /* simulated */
    const goals_set *goals;             /* evaluated and sought */
    const peers_comparison *peers;
    const ensemble_result *ensemble;
    const ensemble_spec *ensemble_spec;
    const sweep_result *sweep;          /* `sweep`: its indices */
    const charts_list *charts;          /* entries with their svg (charts_options.report_svg) */
    const char *folder;                 /* a combined report: the scenario's folder relative to
                                           the report, for a link to its own report; else NULL */
} report_html_scenario;

/* A section that another analysis adds: the back-test of issue 13 goes here, "when present",
 * after the sensitivity and before the assumptions. heading is program text (NULL: "回测"); write
 * gets the stream and arg and must escape every text from a file with report_html_text. NULL
 * write: no section. The pipeline leaves it empty until the back-test lands. */
typedef struct report_html_extra {
    const char *heading;
    void (*write)(FILE *f, const void *arg);
    const void *arg;
} report_html_extra;

/* A whole page: one scenario (run, sweep), or several with their comparison. */
typedef struct report_html_page {
    const report_html_scenario *scenarios;
    size_t count;
    int combined;                       /* 1: the combined page of several scenarios: the
                                           comparison, its charts and links to each report */
    const compare_table *comparison;    /* several scenarios: the side-by-side table, or NULL */
    const charts_list *comparison_charts; /* its overlay charts, or NULL */
    report_html_extra backtest;         /* the back-test section "when present" (issue 13) */
    report_html_extra discovery;        /* the boxes of scenario discovery (issue 18), after the
                                           sensitivity; NULL write: none */
} report_html_page;

/* Writes the page to f. Units: money in 亿元 as the model says, rates in percent. Write
 * errors show when the caller's batch closes f. */
void report_html_write(FILE *f, const report_html_page *page);

/* Writes `text` (NULL: nothing) to f escaped for HTML text and attribute values: & < > " '
 * as entities; control characters (but newline and tab), C1 controls and the bidirectional
 * overrides dropped. */
void report_html_text(FILE *f, const char *text);

/* Writes an SVG drawn by gnuplot into f for inlining in HTML: from its <svg element on (the
 * XML prolog dropped), each id and each reference to one (href="#id", url(#id)) prefixed with
 * `prefix` so that several charts in one page do not share ids; texts between tags as they
 * are (gnuplot escapes < and & in them). Returns 1, or 0 (nothing written) when the text holds
 * no <svg, or a tag that is not plain drawing: script, foreignObject, style, a, image, iframe,
 * object, embed, audio, video, animate or set elements, an on... attribute, an unquoted value,
 * or an href or url() that is not a reference inside the SVG. */
int report_html_svg(FILE *f, const char *svg, size_t length, const char *prefix);

#endif
