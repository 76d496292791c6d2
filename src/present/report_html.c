/* report_html.c: report.html (report_html.h): the page skeleton, the escaping, the summary in
 * sentences and the comparison; the tables of each section are in report_html_tables.c.
 *
 * Every text from a file goes through report_html_text, every number is written here in its
 * unit (units_format_value), and the charts are gnuplot's SVG passed through report_html_svg. */
#include "report_html.h"
#include "report_html_internal.h"
#include "text.h"
#include "units.h"

#include <ctype.h>
#include <math.h>
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
        fputs("个", f);
    else if (unit && !strcmp(unit, "index"))
        fputs("指数", f);
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
    fprintf(f, "<section id=\"%s\"%s>\n<h2>%s</h2>\n", id, *first ? " class=\"first\"" : "", heading);
    *first = 0;
}

/* The sentences about one scenario's goals. */
static void report_summary_goals(FILE *f, const report_html_scenario *sc)
{
    const goals_set *g = sc->goals;
    const run *r = sc->run;
    if (!g || g->count == 0) {
        fputs("<li>本情景没有设定目标。</li>\n", f);
        return;
    }
    for (size_t i = 0; i < g->count; i++) {
        const goals_goal *goal = &g->goals[i];
        const goals_result *res = &g->results[i];
        const char *unit = goals_value_unit(goal, r->model);
        fputs("<li>目标「", f);
        report_html_text(f, goal->label);
        fprintf(f, "」（%d 年%s ", goal->year, goal->direction == GOALS_AT_MOST ? "不高于" : "不低于");
        report_goal_value(f, goal->target, unit);
        fputs("）：", f);
        if (res->met) {
            fputs("<span class=\"met\">达成</span>，预测值 ", f);
            report_goal_value(f, res->value, unit);
        } else {
            fputs("<span class=\"notmet\">未达成</span>，预测值 ", f);
            report_goal_value(f, res->value, unit);
            fputs("，差距 ", f);
            char gap[96]; /* percentage points for a rate */
            goals_format_difference(gap, sizeof gap, res->shortfall, unit);
            size_t n = strlen(gap);
            if (n > 3 && !strcmp(gap + n - 3, " pp"))
                snprintf(gap + n - 3, sizeof gap - (n - 3), " 个百分点");
            report_html_text(f, gap);
            if (isfinite(res->shortfall_percent))
                fprintf(f, "（%.1f%%）", res->shortfall_percent);
        }
        if (res->first_year_met)
            fprintf(f, "；%d 年首次达到", res->first_year_met);
        else
            fprintf(f, "；%d–%d 年间均未达到", r->plan->start, r->plan->end);
        if (isfinite(res->probability))
            fprintf(f, "；达成概率 %.1f%%（%zu 条路径）", res->probability * 100,
                    sc->ensemble ? sc->ensemble->paths : (size_t)0);
        const goals_seek_result *seek = &res->seek;
        if (goal->solve && seek->status != GOALS_SEEK_NONE) {
            int slot = goal->solve_slot;
            const model_slot *ms = slot >= 0 ? &r->model->slots[slot] : NULL;
            char years[64];
            goals_format_years(years, sizeof years, goal, r);
            fputs("；所需条件：", f);
            report_html_text(f, ms ? ms->label : goal->solve);
            switch (seek->status) {
            case GOALS_SEEK_FOUND:
                fputs(seek->bound == GOALS_BOUND_AT_MOST ? " 至多 " : seek->bound == GOALS_BOUND_AT_LEAST ? " 至少 " : " 为 ",
                      f);
                report_html_value(f, seek->required, ms ? ms->unit : "");
                if (ms && !units_is_rate(ms->unit)) {
                    fputc(' ', f);
                    report_html_unit(f, ms->unit);
                }
                fputs("（", f);
                report_html_text(f, strcmp(years, "every year") ? years : "各年");
                fprintf(f, "；情景假设为 ");
                report_html_value(f, seek->current, ms ? ms->unit : "");
                fputs("）", f);
                break;
            case GOALS_SEEK_UNREACHABLE:
                fputs(" 在其允许范围（", f);
                report_html_value(f, seek->min, ms ? ms->unit : "");
                fputs(" 至 ", f);
                report_html_value(f, seek->max, ms ? ms->unit : "");
                fputs("）内无法达到目标，最接近的值为 ", f);
                report_goal_value(f, seek->best_value, unit);
                break;
            case GOALS_SEEK_NO_EFFECT:
                fputs(" 对该目标没有影响", f);
                break;
            default:
                fputs(" 未能求解", f);
            }
        }
        fputs("。</li>\n", f);
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
        report_html_text(f, c->home);
        fputs(" 的", f);
        report_html_text(f, pv->label);
        int said = 0;
        for (int k = 0; k < 2; k++) {
            int t = years[k] - pv->storage_first;
            if (years[k] == 0 || t < 0 || (size_t)t >= pv->storage_years || home->rank[t] <= 0)
                continue;
            size_t ranked = 0;
            for (size_t l = 0; l < pv->line_count; l++)
                ranked += pv->lines[l].rank && pv->lines[l].rank[t] > 0;
            fprintf(f, "%s%d 年在 %zu 个县市中排第 %d 位", said ? "，" : " ", years[k], ranked, home->rank[t]);
            said = 1;
        }
        if (!said)
            fputs(" 无可比较的数值", f);
        for (size_t l = 0; l < pv->line_count; l++) {
            const peers_line *line = &pv->lines[l];
            if (line->standing == PEERS_STANDING_CATCHES_UP) {
                fprintf(f, "；%d 年超过", line->catch_up_year);
                report_html_text(f, line->place);
            } else if (line->standing == PEERS_STANDING_FALLS_BEHIND) {
                fprintf(f, "；%d 年被", line->fall_behind_year);
                report_html_text(f, line->place);
                fputs("超过", f);
            }
        }
        fputs("。</li>\n", f);
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
        fputs("<li>本次运行没有敏感性分析；用 <code>econsim sweep</code> 运行敏感性情景可得出影响最大的假设。</li>\n", f);
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
        fputs("<li>「", f);
        report_html_text(f, out->label);
        if (!(top > 0)) {
            fputs("」在所有运行中不变，抽样范围内没有可归因于某个输入的风险", f);
            fputs("。</li>\n", f);
            continue;
        }
        fputs("」最大的风险来自 ", f);
        int unitless = spec->method == SWEEP_SOBOL || spec->method == SWEEP_MONTECARLO || out->is_goal;
        for (int b = 0; b < 2 && best[b] < k; b++) {
            double v = report_importance(res, o, best[b]);
            if (b && !(v > 0.05 * top))
                break; /* a second input that hardly matters is not a risk */
            if (b)
                fputs("，其次是 ", f);
            report_html_text(f, spec->parameters[best[b]].label);
            fprintf(f, "（%s ", spec->method == SWEEP_SOBOL        ? "总效应指数 ST"
                               : spec->method == SWEEP_MORRIS     ? "μ*"
                               : spec->method == SWEEP_MONTECARLO ? "|Spearman 相关|"
                                                                  : "输出变化幅度");
            if (unitless) {
                fprintf(f, "%.3f", v);
            } else {
                report_goal_value(f, v, out->unit);
            }
            fputs("）", f);
        }
        fputs("。</li>\n", f);
    }
}

static void report_summary(FILE *f, const report_html_page *page, int *first)
{
    report_html_section(f, "summary", "摘要", first);
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
        if (page->discovery.write)
            fputs("<li>哪些假设组合使目标落空：见“情景发现”一节。</li>\n", f);
        if (page->backtest.write)
            fputs("<li>本页为回测：模型在各个过去年份只用当时的数据所作的预测与实际值的比较，见“回测”一节。</li>\n", f);
        fputs("</ul>\n", f);
        if (sc->folder) {
            fputs("<p>完整报告：", f);
            report_html_text(f, sc->folder);
            fputs("/report.html</p>\n", f);
        }
    }
    fputs("</section>\n", f);
}

/* The side-by-side table of several scenarios. */
static void report_comparison(FILE *f, const compare_table *t, int *first)
{
    report_html_section(f, "comparison", "情景对比", first);
    if (t->row_count == 0) {
        fputs("<p>各情景均没有目标。</p>\n</section>\n", f);
        return;
    }
    fputs("<table><thead><tr><th>目标</th><th>年份</th><th>目标值</th>", f);
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
                fprintf(f, "（概率 %.1f%%）", cell->probability * 100);
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
    report_html_section(f, tag[0] == 'c' ? "comparison-charts" : "charts", "图表", first);
    for (size_t i = 0; i < list->count; i++) {
        const charts_entry *e = &list->entries[i];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%zu-", tag, i);
        fputs("<figure>\n", f);
        if (!e->svg || !report_html_svg(f, e->svg, e->svg_length, prefix)) {
            fputs("<p class=\"note\">（此图未能绘制：", f);
            report_html_text(f, e->file);
            fputs("）</p>\n", f);
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
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n", f);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    if (page->combined)
        fputs("情景对比报告", f);
    else
        report_html_text(f, scenario_title(r0->scenario));
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", report_css);
    if (page->combined)
        fprintf(f, "情景对比报告（%zu 个情景）", page->count);
    else
        report_html_text(f, scenario_title(r0->scenario));
    fputs("</h1>\n<p class=\"meta\">", f);
    for (size_t i = 0; i < page->count; i++) {
        const run *r = page->scenarios[i].run;
        fputs(i ? "；情景 " : "情景 ", f);
        report_html_text(f, r->scenario->name);
        fputs(" · 模型 ", f);
        report_html_text(f, model_title(r->model) ? model_title(r->model) : r->model->name);
        fprintf(f, " · %d–%d 年", r->plan->start, r->plan->end);
        if (r->scenario->history_place) {
            fputs(" · ", f);
            report_html_text(f, r->scenario->history_place);
        }
    }
    fputs(" · econsim " ECONSIM_VERSION "。金额单位为亿元（现价，另有说明者除外），比率以百分比表示。</p>\n", f);
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
                report_html_section(f, "discovery", page->discovery.heading ? page->discovery.heading : "情景发现",
                                    &first);
                page->discovery.write(f, page->discovery.arg);
                fputs("</section>\n", f);
            }
            if (page->backtest.write) {
                /* the back-test's writer (issue 13) gives its heading as program text */
                report_html_section(f, "backtest", page->backtest.heading ? page->backtest.heading : "回测",
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
