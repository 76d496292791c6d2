/* report_html.c: report.html (report_html.h): the page skeleton, the escaping, the summary in
 * sentences and the comparison; the tables of each section are in report_html_tables.c.
 *
 * Every text from a file goes through report_html_text, every number is written here in its
 * unit (units_format_value), and the charts are gnuplot's SVG passed through report_html_svg. */
#include "report_html.h"
#include "i18n.h"
#include "report_html_internal.h"
#include "text.h"
#include "units.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* ---------------------------------------------------------------------------------------- */
/* Escaping */

void report_html_text(FILE *f, const char *text)
{
    if (!text)
        return;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        unsigned cp = 0;
        int n = (*p < 0x80) ? 1 : text_utf8_next((const char *)p, &cp);
        if (n <= 0)
            break;
        if (n == 1) {
            unsigned char c = *p;
            switch (c) {
            case '&': fputs("&amp;", f); break;
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '"': fputs("&quot;", f); break;
            case '\'': fputs("&#39;", f); break;
            default:
                if (c >= 0x20 && c != 0x7f)
                    fputc(c, f);
                else if (c == '\n' || c == '\t')
                    fputc(c, f);
            }
        } else if (!((cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
                     (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))) {
            fwrite(p, 1, (size_t)n, f);
        }
        p += n;
    }
}

/* 1 when text[0..n) equals word, ASCII case ignored. */
static int report_word_is(const char *text, size_t n, const char *word)
{
    if (strlen(word) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return 0;
    }
    return 1;
}

/* Writes bytes p[0..n) to out, when out is not NULL. */
static void report_put(FILE *out, const char *p, size_t n)
{
    if (out && n)
        fwrite(p, 1, n, out);
}

/* Writes an attribute value v[0..n) (without its quotes) to out with every "#" reference
 * ("url(#x)", "#x" of an href) and an id prefixed; returns 0 when it is not safe: an href that
 * is not "#...", or a url( that is not url(#. */
static int report_svg_value(FILE *out, const char *name, size_t name_length, const char *v, size_t n,
                            const char *prefix)
{
    int is_id = report_word_is(name, name_length, "id");
    int is_href = name_length >= 4 && report_word_is(name + name_length - 4, 4, "href");
    if (is_href && (n == 0 || v[0] != '#'))
        return 0;
    if (is_id || is_href) {
        report_put(out, v, is_href ? 1 : 0);
        if (out)
            fputs(prefix, out);
        report_put(out, v + is_href, n - (size_t)is_href);
        return 1;
    }
    for (size_t i = 0; i < n;) {
        if (i + 4 <= n && report_word_is(v + i, 4, "url(")) {
            if (i + 5 > n || v[i + 4] != '#')
                return 0;
            report_put(out, v + i, 5);
            if (out)
                fputs(prefix, out);
            i += 5;
        } else {
            report_put(out, v + i++, 1);
        }
    }
    return 1;
}

/* Reads one tag at s[*at] ('<'), writing it to out (ids and references prefixed) and moving
 * *at past it. Returns 0 for what must not be inlined: a script, foreignObject, an element
 * that loads something (iframe, object, embed, image, a, use with an outside href, style), an
 * on... event attribute, an outside href or url(), an unterminated tag. */
static int report_svg_tag(FILE *out, const char *s, size_t length, size_t *at, const char *prefix)
{
    size_t i = *at + 1;
    if (i < length && (s[i] == '!' || s[i] == '?')) { /* comment, doctype, prolog: copied as is */
        int comment = i + 2 < length && s[i + 1] == '-' && s[i + 2] == '-';
        size_t end = i;
        while (end < length && !(comment ? (end >= i + 4 && !memcmp(s + end - 2, "--", 2) && s[end] == '>')
                                         : s[end] == '>'))
            end++;
        if (end >= length)
            return 0;
        report_put(out, s + *at, end + 1 - *at);
        *at = end + 1;
        return 1;
    }
    if (i < length && s[i] == '/')
        i++;
    size_t name_start = i;
    while (i < length && (isalnum((unsigned char)s[i]) || s[i] == ':' || s[i] == '_' || s[i] == '-'))
        i++;
    static const char *const refused[] = {"script", "foreignobject", "iframe", "object", "embed", "image",
                                          "a",      "style",         "audio",  "video",  "handler", "animate",
                                          "set"};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++)
        if (report_word_is(s + name_start, i - name_start, refused[k]))
            return 0;
    report_put(out, s + *at, i - *at);
    for (;;) {
        size_t space = i;
        while (i < length && isspace((unsigned char)s[i]))
            i++;
        report_put(out, s + space, i - space);
        if (i >= length)
            return 0;
        if (s[i] == '>' || (s[i] == '/' && i + 1 < length && s[i + 1] == '>')) {
            size_t end = s[i] == '>' ? i + 1 : i + 2;
            report_put(out, s + i, end - i);
            *at = end;
            return 1;
        }
        size_t attr = i;
        while (i < length && !isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
            i++;
        size_t attr_length = i - attr;
        if (attr_length == 0 || (attr_length >= 2 && (s[attr] | 0x20) == 'o' && (s[attr + 1] | 0x20) == 'n'))
            return 0;
        report_put(out, s + attr, attr_length);
        size_t gap = i; /* gnuplot writes some attributes as name = 'value' */
        while (gap < length && isspace((unsigned char)s[gap]))
            gap++;
        if (gap < length && s[gap] == '=') {
            report_put(out, "=", 1);
            i = gap + 1;
            while (i < length && isspace((unsigned char)s[i]))
                i++;
            if (i >= length || (s[i] != '\'' && s[i] != '"'))
                return 0; /* gnuplot quotes every value */
            char quote = s[i++];
            size_t value = i;
            while (i < length && s[i] != quote)
                i++;
            if (i >= length)
                return 0;
            report_put(out, &quote, 1);
            if (!report_svg_value(out, s + attr, attr_length, s + value, i - value, prefix))
                return 0;
            report_put(out, &quote, 1);
            i++;
        }
    }
}

/* Scans (out NULL) or writes the SVG from its <svg tag on. Returns 1, or 0 when it holds
 * anything report_svg_tag refuses. Text between tags is copied as it is: gnuplot escapes
 * '<' and '&' in the texts it writes, so no text can open a tag. */
static int report_svg_pass(FILE *out, const char *svg, size_t length, size_t from, const char *prefix)
{
    size_t at = from, text = from;
    while (at < length) {
        if (svg[at] != '<') {
            at++;
            continue;
        }
        report_put(out, svg + text, at - text);
        if (!report_svg_tag(out, svg, length, &at, prefix))
            return 0;
        text = at;
    }
    report_put(out, svg + text, at - text);
    return 1;
}

int report_html_svg(FILE *f, const char *svg, size_t length, const char *prefix)
{
    size_t from = 0;
    while (from + 4 <= length && memcmp(svg + from, "<svg", 4))
        from++;
    if (from + 4 > length || !report_svg_pass(NULL, svg, length, from, prefix))
        return 0;
    report_svg_pass(f, svg, length, from, prefix);
    fputc('\n', f);
    return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Numbers */

void report_html_value(FILE *f, double value, const char *unit)
{
    char buf[64];
    units_format_value(buf, sizeof buf, value, unit);
    fputs(buf, f);
}

void report_html_unit(FILE *f, const char *unit)
{
    if (units_is_rate(unit))
        fputs("%", f);
    else if (unit && !strcmp(unit, "count"))
        report_html_text(f, _("count"));
    else if (unit && !strcmp(unit, "index"))
        report_html_text(f, _("index"));
    else
        report_html_text(f, unit);
}

/* A goal's value with its unit ("898.33 亿元", "8.00%"), escaped. */
static void report_goal_value(FILE *f, double value, const char *unit)
{
    char buf[96];
    goals_format_value(buf, sizeof buf, value, unit);
    report_html_text(f, buf);
}

void report_html_textf(FILE *f, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    report_html_text(f, buf);
}

/* A value and its unit as the report writes it ("3.20 亿元", "8.00%") into buf. */
static void report_value_text(char *buf, size_t size, double value, const char *unit)
{
    char number[64];
    units_format_value(number, sizeof number, value, unit ? unit : "");
    if (!unit || !*unit || units_is_rate(unit))
        snprintf(buf, size, "%s", number);
    else if (!strcmp(unit, "count"))
        snprintf(buf, size, "%s %s", number, _("count"));
    else if (!strcmp(unit, "index"))
        snprintf(buf, size, "%s %s", number, _("index"));
    else
        snprintf(buf, size, "%s %s", number, unit);
}

/* ---------------------------------------------------------------------------------------- */
/* The page */

static const char report_css[] =
    "@page{size:A4;margin:16mm 14mm}\n"
    "body{font-family:'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',"
    "sans-serif;font-size:10.5pt;line-height:1.5;color:#111;max-width:190mm;margin:0 auto;padding:8px}\n"
    "h1{font-size:18pt;margin:0 0 4px}h2{font-size:14pt;border-bottom:2px solid #0072B2;margin-top:18px}\n"
    "h3{font-size:11.5pt;margin:12px 0 4px}\n"
    "p.meta{color:#555;font-size:9pt}\n"
    "section{break-before:page;page-break-before:always}section.first{break-before:auto;page-break-before:auto}\n"
    "table{border-collapse:collapse;font-size:8.5pt;margin:6px 0;width:100%}\n"
    "th,td{border:1px solid #bbb;padding:2px 4px;vertical-align:top}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "th{background:#eef3f8;text-align:left}thead{display:table-header-group}tr{break-inside:avoid}\n"
    "td.obs{background:#f3f3f3}sup.o{color:#0072B2;font-size:7pt}\n"
    ".met{color:#006e4e;font-weight:bold}.notmet{color:#b34100;font-weight:bold}\n"
    "figure{margin:10px 0;break-inside:avoid;page-break-inside:avoid}\n"
    "figure svg{width:100%;height:auto;display:block}figcaption{font-size:9pt;color:#333}\n"
    "ul.summary li{margin:3px 0}\n"
    "pre{white-space:pre-wrap;font-size:8.5pt;background:#f7f7f7;padding:4px}\n"
    ".note{color:#444;font-size:8.5pt}\n";

/* The heading of a section: a page break before it unless it is the first. */
void report_html_section(FILE *f, const char *id, const char *heading, int *first)
{
    fprintf(f, "<section id=\"%s\"%s>\n<h2>", id, *first ? " class=\"first\"" : "");
    report_html_text(f, heading);
    fputs("</h2>\n", f);
    *first = 0;
}

/* The end of a sentence of the summary, and of its list item. */
static void report_sentence_end(FILE *f)
{
    /* TRANSLATORS: the full stop that ends a sentence of the report's summary */
    report_html_text(f, _("."));
    fputs("</li>\n", f);
}

/* What it takes to meet a goal (its "solve"), as a clause of the goal's sentence. */
static void report_summary_seek(FILE *f, const goals_goal *goal, const goals_result *res, const run *r,
                                const char *unit)
{
    const goals_seek_result *seek = &res->seek;
    int slot = goal->solve_slot;
    const model_slot *ms = slot >= 0 ? &r->model->slots[slot] : NULL;
    const char *instrument_unit = ms ? ms->unit : "";
    char years[64], required[96], current[96], low[96], high[96], best[96];
    goals_format_years(years, sizeof years, goal, r);
    report_html_textf(f, _("; required: %s"), ms ? ms->label : goal->solve);
    switch (seek->status) {
    case GOALS_SEEK_FOUND:
        report_value_text(required, sizeof required, seek->required, instrument_unit);
        units_format_value(current, sizeof current, seek->current, instrument_unit);
        if (!strcmp(years, "every year"))
            snprintf(years, sizeof years, "%s", _("every year"));
        if (seek->bound == GOALS_BOUND_AT_MOST)
            report_html_textf(f, _(" at most %s (%s; the scenario assumes %s)"), required, years, current);
        else if (seek->bound == GOALS_BOUND_AT_LEAST)
            report_html_textf(f, _(" at least %s (%s; the scenario assumes %s)"), required, years, current);
        else
            report_html_textf(f, _(" of %s (%s; the scenario assumes %s)"), required, years, current);
        break;
    case GOALS_SEEK_UNREACHABLE:
        units_format_value(low, sizeof low, seek->min, instrument_unit);
        units_format_value(high, sizeof high, seek->max, instrument_unit);
        goals_format_value(best, sizeof best, seek->best_value, unit);
        report_html_textf(f, _(" cannot meet the goal within its allowed range (%s to %s); the closest it comes is %s"),
                          low, high, best);
        break;
    case GOALS_SEEK_NO_EFFECT:
        report_html_text(f, _(" has no effect on this goal"));
        break;
    default:
        report_html_text(f, _(" could not be solved"));
    }
}

/* The sentences about one scenario's goals. */
static void report_summary_goals(FILE *f, const report_html_scenario *sc)
{
    const goals_set *g = sc->goals;
    const run *r = sc->run;
    if (!g || g->count == 0) {
        fputs("<li>", f);
        report_html_text(f, _("This scenario sets no goals."));
        fputs("</li>\n", f);
        return;
    }
    for (size_t i = 0; i < g->count; i++) {
        const goals_goal *goal = &g->goals[i];
        const goals_result *res = &g->results[i];
        const char *unit = goals_value_unit(goal, r->model);
        char target[96], value[96];
        goals_format_value(target, sizeof target, goal->target, unit);
        goals_format_value(value, sizeof value, res->value, unit);
        fputs("<li>", f);
        if (goal->direction == GOALS_AT_MOST)
            report_html_textf(f, _("Goal “%s” (at most %s in %d): "), goal->label, target, goal->year);
        else
            report_html_textf(f, _("Goal “%s” (at least %s in %d): "), goal->label, target, goal->year);
        fprintf(f, "<span class=\"%s\">", res->met ? "met" : "notmet");
        report_html_text(f, res->met ? _("met") : _("not met"));
        fputs("</span>", f);
        report_html_textf(f, _(", projected %s"), value);
        if (!res->met) {
            char gap[96]; /* percentage points for a rate */
            goals_format_difference(gap, sizeof gap, res->shortfall, unit);
            size_t n = strlen(gap);
            if (n > 3 && !strcmp(gap + n - 3, " pp"))
                snprintf(gap + n - 3, sizeof gap - (n - 3), "%s", _(" percentage points"));
            report_html_textf(f, _(", short by %s"), gap);
            if (isfinite(res->shortfall_percent))
                report_html_textf(f, _(" (%.1f%%)"), res->shortfall_percent);
        }
        if (res->first_year_met)
            report_html_textf(f, _("; first met in %d"), res->first_year_met);
        else
            report_html_textf(f, _("; not met in any year from %d to %d"), r->plan->start, r->plan->end);
        if (isfinite(res->probability))
            report_html_textf(f, _("; probability of meeting it %.1f%% (%zu paths)"), res->probability * 100,
                              sc->ensemble ? sc->ensemble->paths : (size_t)0);
        if (goal->solve && res->seek.status != GOALS_SEEK_NONE)
            report_summary_seek(f, goal, res, r, unit);
        report_sentence_end(f);
    }
}

/* The sentences about where the county ranks among its peers. */
static void report_summary_peers(FILE *f, const peers_comparison *c)
{
    for (size_t v = 0; v < c->variable_count; v++) {
        const peers_variable *pv = &c->variables[v];
        const peers_line *home = NULL;
        for (size_t l = 0; l < pv->line_count; l++)
            if (pv->lines[l].is_home)
                home = &pv->lines[l];
        if (!home || !home->rank)
            continue;
        int years[2] = {pv->base_year, pv->last_year};
        fputs("<li>", f);
        /* TRANSLATORS: a place and one of its figures: "林州市, fiscal revenue" */
        report_html_textf(f, _("%s, %s:"), c->home, pv->label);
        int said = 0;
        for (int k = 0; k < 2; k++) {
            int t = years[k] - pv->storage_first;
            if (years[k] == 0 || t < 0 || (size_t)t >= pv->storage_years || home->rank[t] <= 0)
                continue;
            size_t ranked = 0;
            for (size_t l = 0; l < pv->line_count; l++)
                ranked += pv->lines[l].rank && pv->lines[l].rank[t] > 0;
            if (said)
                report_html_textf(f, _(", in %d number %d of %zu places"), years[k], home->rank[t], ranked);
            else
                report_html_textf(f, _(" in %d number %d of %zu places"), years[k], home->rank[t], ranked);
            said = 1;
        }
        if (!said)
            report_html_text(f, _(" no values to compare"));
        for (size_t l = 0; l < pv->line_count; l++) {
            const peers_line *line = &pv->lines[l];
            if (line->standing == PEERS_STANDING_CATCHES_UP)
                report_html_textf(f, _("; overtakes %s in %d"), line->place, line->catch_up_year);
            else if (line->standing == PEERS_STANDING_FALLS_BEHIND)
                report_html_textf(f, _("; is overtaken by %s in %d"), line->place, line->fall_behind_year);
        }
        report_sentence_end(f);
    }
}

/* The importance of parameter p for output o by the sweep's method, for ranking risks. */
static double report_importance(const sweep_result *res, size_t o, size_t p)
{
    const sweep_index *x = &res->indices[o * res->spec->parameter_count + p];
    switch (res->spec->method) {
    case SWEEP_SOBOL:
        return x->total.value;
    case SWEEP_MORRIS:
        return x->mu_star.value;
    case SWEEP_MONTECARLO:
        return fabs(x->spearman);
    case SWEEP_OAT:
        return fabs(x->value_high - x->value_low);
    default:
        return x->range;
    }
}

/* The sentences about the largest risks: for each output (at most 8), the two inputs that
 * matter most by the sweep's measure. */
static void report_summary_risks(FILE *f, const report_html_scenario *sc)
{
    const sweep_result *res = sc->sweep;
    if (!res) {
        fputs("<li>", f);
        report_html_text(f, _("This run has no sensitivity analysis; run a sensitivity scenario with econsim sweep to "
                              "find the assumptions that matter most."));
        fputs("</li>\n", f);
        return;
    }
    const sweep_spec *spec = res->spec;
    size_t k = spec->parameter_count;
    for (size_t o = 0; o < spec->output_count && o < 8; o++) {
        size_t best[2] = {k, k};
        for (size_t p = 0; p < k; p++) {
            double v = report_importance(res, o, p);
            if (!isfinite(v))
                continue;
            if (best[0] == k || v > report_importance(res, o, best[0])) {
                best[1] = best[0];
                best[0] = p;
            } else if (best[1] == k || v > report_importance(res, o, best[1])) {
                best[1] = p;
            }
        }
        if (best[0] == k)
            continue;
        const sweep_output *out = &spec->outputs[o];
        double top = report_importance(res, o, best[0]);
        fputs("<li>", f);
        if (!(top > 0)) {
            report_html_textf(f, _("“%s” is the same in every run: within the sampled ranges no risk can be put down "
                                   "to one input"),
                              out->label);
            report_sentence_end(f);
            continue;
        }
        const char *measure = spec->method == SWEEP_SOBOL        ? _("total-effect index ST")
                              : spec->method == SWEEP_MORRIS     ? "μ*"
                              : spec->method == SWEEP_MONTECARLO ? _("|Spearman correlation|")
                                                                 : _("change of the output");
        int unitless = spec->method == SWEEP_SOBOL || spec->method == SWEEP_MONTECARLO || out->is_goal;
        for (int b = 0; b < 2 && best[b] < k; b++) {
            double v = report_importance(res, o, best[b]);
            if (b && !(v > 0.05 * top))
                break; /* a second input that hardly matters is not a risk */
            char amount[96];
            if (unitless)
                snprintf(amount, sizeof amount, "%.3f", v);
            else
                goals_format_value(amount, sizeof amount, v, out->unit);
            if (b)
                report_html_textf(f, _(", then %s (%s %s)"), spec->parameters[best[b]].label, measure, amount);
            else
                report_html_textf(f, _("The largest risk to “%s” comes from %s (%s %s)"), out->label,
                                  spec->parameters[best[b]].label, measure, amount);
        }
        report_sentence_end(f);
    }
}

static void report_summary(FILE *f, const report_html_page *page, int *first)
{
    report_html_section(f, "summary", _("Summary"), first);
    for (size_t i = 0; i < page->count; i++) {
        const report_html_scenario *sc = &page->scenarios[i];
        if (page->count > 1) {
            fputs("<h3>", f);
            report_html_text(f, scenario_title(sc->run->scenario));
            fputs("</h3>\n", f);
        }
        fputs("<ul class=\"summary\">\n", f);
        if (!sc->sweep && !page->backtest.write) /* a back-test evaluates no goal */
            report_summary_goals(f, sc);
        if (sc->peers)
            report_summary_peers(f, sc->peers);
        if (!page->combined && !page->backtest.write)
            report_summary_risks(f, sc);
        if (page->discovery.write) {
            fputs("<li>", f);
            report_html_text(f, _("Which combinations of assumptions make a goal fail: see the section “Scenario "
                                  "discovery”."));
            fputs("</li>\n", f);
        }
        if (page->backtest.write) {
            fputs("<li>", f);
            report_html_text(f, _("This page is a back-test: the model's projections from past years, made with only "
                                  "the data of their time, compared with the actual values; see the section "
                                  "“Back-test”."));
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
        if (sc->folder) {
            fputs("<p>", f);
            report_html_textf(f, _("Full report: %s/report.html"), sc->folder);
            fputs("</p>\n", f);
        }
    }
    fputs("</section>\n", f);
}

/* The side-by-side table of several scenarios. */
static void report_comparison(FILE *f, const compare_table *t, int *first)
{
    report_html_section(f, "comparison", _("Scenario comparison"), first);
    if (t->row_count == 0) {
        fputs("<p>", f);
        report_html_text(f, _("None of the scenarios has goals."));
        fputs("</p>\n</section>\n", f);
        return;
    }
    fprintf(f, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th>", _("Goal"), _("Year"), _("Target"));
    for (size_t s = 0; s < t->scenario_count; s++) {
        fputs("<th>", f);
        report_html_text(f, scenario_title(t->runs[s]->scenario));
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < t->row_count; i++) {
        const compare_table_row *row = &t->rows[i];
        fputs("<tr><td>", f);
        report_html_text(f, row->goal->label);
        fprintf(f, "</td><td class=\"n\">%d</td><td class=\"n\">%s ", row->goal->year,
                row->goal->direction == GOALS_AT_MOST ? "≤" : "≥");
        report_goal_value(f, row->goal->target, row->unit);
        fputs("</td>", f);
        for (size_t s = 0; s < t->scenario_count; s++) {
            const compare_table_cell *cell = &row->cells[s];
            fputs("<td class=\"n\">", f);
            report_goal_value(f, cell->value, row->unit);
            fprintf(f, " <span class=\"%s\">%s</span>", cell->met > 0 ? "met" : "notmet", compare_table_status(cell));
            if (isfinite(cell->probability))
                report_html_textf(f, _(" (probability %.1f%%)"), cell->probability * 100);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}

/* The charts of a list, each inlined (report_html_svg) with its title as caption; `tag`
 * makes the ids unique across the lists of one page. */
static void report_charts(FILE *f, const charts_list *list, const char *tag, int *first)
{
    if (!list || list->count == 0)
        return;
    report_html_section(f, tag[0] == 'c' ? "comparison-charts" : "charts", _("Charts"), first);
    for (size_t i = 0; i < list->count; i++) {
        const charts_entry *e = &list->entries[i];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%zu-", tag, i);
        fputs("<figure>\n", f);
        if (!e->svg || !report_html_svg(f, e->svg, e->svg_length, prefix)) {
            fputs("<p class=\"note\">", f);
            report_html_textf(f, _("(This chart could not be drawn: %s)"), e->file);
            fputs("</p>\n", f);
        }
        fputs("<figcaption>", f);
        report_html_text(f, e->title);
        fputs("</figcaption>\n</figure>\n", f);
    }
    fputs("</section>\n", f);
}

void report_html_write(FILE *f, const report_html_page *page)
{
    const run *r0 = page->scenarios[0].run;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            i18n_current() == I18N_CHINESE ? "zh-CN" : "en");
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    if (page->combined)
        report_html_text(f, _("Scenario comparison report"));
    else
        report_html_text(f, scenario_title(r0->scenario));
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", report_css);
    if (page->combined)
        report_html_textf(f, _("Scenario comparison report (%zu scenarios)"), page->count);
    else
        report_html_text(f, scenario_title(r0->scenario));
    fputs("</h1>\n<p class=\"meta\">", f);
    for (size_t i = 0; i < page->count; i++) {
        const run *r = page->scenarios[i].run;
        if (i)
            /* TRANSLATORS: between the scenarios of the report's first line */
            report_html_text(f, _("; "));
        report_html_textf(f, _("scenario %s · model %s · %d–%d"), r->scenario->name,
                          model_title(r->model) ? model_title(r->model) : r->model->name, r->plan->start, r->plan->end);
        if (r->scenario->history_place) {
            fputs(" · ", f);
            report_html_text(f, r->scenario->history_place);
        }
    }
    report_html_textf(f, _(" · econsim %s. Money in 亿元 (current prices unless stated otherwise), rates in percent."),
                      ECONSIM_VERSION);
    fputs("</p>\n", f);
    int first = 1;
    report_summary(f, page, &first);
    if (page->comparison)
        report_comparison(f, page->comparison, &first);
    if (page->combined) {
        report_charts(f, page->comparison_charts, "c", &first);
    } else {
        for (size_t i = 0; i < page->count; i++) {
            const report_html_scenario *sc = &page->scenarios[i];
            if (!sc->sweep)
                report_html_projection(f, sc, &first);
            report_charts(f, sc->charts, "s", &first);
            if (sc->peers)
                report_html_peers(f, sc->peers, &first);
            if (sc->ensemble)
                report_html_ensemble(f, sc, &first);
            if (sc->sweep)
                report_html_sensitivity(f, sc, &first);
            if (page->discovery.write) {
                report_html_section(f, "discovery", page->discovery.heading ? page->discovery.heading : _("Scenario discovery"),
                                    &first);
                page->discovery.write(f, page->discovery.arg);
                fputs("</section>\n", f);
            }
            if (page->backtest.write) {
                /* the back-test's writer (issue 13) gives its heading as program text */
                report_html_section(f, "backtest", page->backtest.heading ? page->backtest.heading : _("Back-test"),
                                    &first);
                page->backtest.write(f, page->backtest.arg);
                fputs("</section>\n", f);
            }
            report_html_assumptions(f, sc, &first);
            report_html_equations(f, sc->run, &first);
        }
    }
    fputs("</body>\n</html>\n", f);
}
