/* report_html_tables.c: the tables of report.html (report_html_internal.h): the projection
 * (wide, origins marked), the peers, the ensemble's quantiles, the sensitivity indices, the
 * assumptions with their notes and sources, and the model's equations. */
#include "report_html_internal.h"
#include "report.h"
#include "units.h"

#include <math.h>
#include <string.h>

/* The first year the wide tables show: the year before start, or the first stored. */
static int report_first_year(const sim_plan *plan)
{
    return plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
}

/* A row heading: the label, then the unit in brackets. */
static void report_row_heading(FILE *f, const char *label, const char *unit)
{
    fputs("<th>", f);
    report_html_text(f, label);
    fputs("（", f);
    report_html_unit(f, unit && *unit ? unit : "—");
    fputs("）</th>", f);
}

static void report_year_heading(FILE *f, const char *first_column, int from, int to)
{
    fprintf(f, "<table><thead><tr><th>%s</th>", first_column);
    for (int y = from; y <= to; y++)
        fprintf(f, "<th>%d</th>", y);
    fputs("</tr></thead>\n<tbody>\n", f);
}

/* The mark of an origin after a value: o observed, d derived, i initial, n interpolated, p projected. */
static void report_origin_mark(FILE *f, sim_origin origin)
{
    char flag = report_origin_flag(origin);
    if (flag != ' ')
        fprintf(f, "<sup class=\"o\">%c</sup>", flag);
}

static const char report_legend[] =
    "<p class=\"note\">标记：o 观测值（统计公报等）；d 由观测增速推算；i 情景给定的初始值（假设）；"
    "无标记为模型计算或情景假设。底色为观测或推算的数据。</p>\n";

void report_html_projection(FILE *f, const report_html_scenario *sc, int *first)
{
    const run *r = sc->run;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    report_html_section(f, "projection", "预测", first);
    fputs("<p class=\"meta\">", f);
    report_html_text(f, scenario_title(r->scenario));
    fputs("</p>\n", f);
    int from = report_first_year(plan);
    report_year_heading(f, "变量（单位）", from, plan->end);
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        if (group == 1)
            fprintf(f, "<tr><th colspan=\"%d\">外生假设</th></tr>\n", plan->end - from + 2);
        for (size_t s = 0; s < m->slot_count; s++) {
            const model_slot *ms = &m->slots[s];
            if (ms->kind != kind)
                continue;
            fputs("<tr>", f);
            report_row_heading(f, ms->label, ms->unit);
            for (int y = from; y <= plan->end; y++) {
                int t = sim_plan_year_index(plan, y);
                size_t c = s * plan->years + (size_t)t;
                sim_origin origin = (sim_origin)plan->origin[c];
                double value = sim_plan_cell_shown(plan, s, (size_t)t) ? run_slot_value(r, (int)s, y) : NAN;
                int data = origin == SIM_ORIGIN_OBSERVED || origin == SIM_ORIGIN_DERIVED;
                fprintf(f, "<td class=\"n%s\">", data ? " obs" : "");
                report_html_value(f, value, ms->unit);
                if (isfinite(value))
                    report_origin_mark(f, origin);
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
    }
    fputs("</tbody></table>\n", f);
    fputs(report_legend, f);
    fputs("</section>\n", f);
}

void report_html_peers(FILE *f, const peers_comparison *c, int *first)
{
    report_html_section(f, "peers", "同类县市", first);
    for (size_t v = 0; v < c->variable_count; v++) {
        const peers_variable *pv = &c->variables[v];
        fputs("<h3>", f);
        report_html_text(f, pv->label);
        fputs("（", f);
        report_html_unit(f, pv->unit);
        fputs("）</h3>\n", f);
        int from = pv->last_year - 9 > pv->first_year ? pv->last_year - 9 : pv->first_year;
        report_year_heading(f, "县市", from, pv->last_year);
        for (size_t l = 0; l < pv->line_count; l++) {
            const peers_line *line = &pv->lines[l];
            fputs(line->is_home ? "<tr><th><b>" : "<tr><th>", f);
            report_html_text(f, line->place);
            fputs(line->is_home ? "</b></th>" : "</th>", f);
            for (int y = from; y <= pv->last_year; y++) {
                int t = y - line->series.first_year;
                double value = NAN;
                sim_origin origin = SIM_ORIGIN_NONE;
                if (line->series.value && t >= 0 && (size_t)t < line->series.years) {
                    value = line->series.value[t];
                    origin = (sim_origin)line->series.origin[t];
                }
                int rank_t = y - pv->storage_first;
                fprintf(f, "<td class=\"n%s\">", origin == SIM_ORIGIN_OBSERVED ? " obs" : "");
                report_html_value(f, value, pv->unit);
                if (isfinite(value))
                    report_origin_mark(f, origin);
                if (line->rank && rank_t >= 0 && (size_t)rank_t < pv->storage_years && line->rank[rank_t] > 0)
                    fprintf(f, "<br><span class=\"note\">第 %d</span>", line->rank[rank_t]);
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
        for (size_t l = 0; l < pv->line_count; l++)
            if (!pv->lines[l].is_home && pv->lines[l].projection[0]) {
                fputs("<p class=\"note\">", f);
                report_html_text(f, pv->lines[l].place);
                fputs("：", f);
                report_html_text(f, pv->lines[l].projection);
                fputs("</p>\n", f);
            }
    }
    fputs("<p class=\"note\">标记：o 观测值；d 推算；n 插值；p 按其增长规则外推的预测值。“第 N” 为当年排名（1 为最大）。</p>\n", f);
    fputs("</section>\n", f);
}

void report_html_ensemble(FILE *f, const report_html_scenario *sc, int *first)
{
    const ensemble_result *e = sc->ensemble;
    const run *r = sc->run;
    const model *m = r->model;
    report_html_section(f, "uncertainty", "不确定性", first);
    fprintf(f, "<p>%zu 条模拟路径（随机种子 %lu）下各变量的分位数：P5、中位数、P95。</p>\n", e->paths, e->seed);
    int from = r->plan->start, to = r->plan->end;
    report_year_heading(f, "变量（单位）· 分位数", from, to);
    static const int shown[3] = {0, 3, 6}; /* P5, P50, P95 of ensemble_quantile_levels */
    static const char *const names[3] = {"P5", "中位数", "P95"};
    for (size_t i = 0; i < e->cell_count;) {
        int slot = e->cells[i].slot;
        size_t end = i;
        int varies = 0;
        while (end < e->cell_count && e->cells[end].slot == slot)
            varies |= e->cells[end++].varies;
        if (varies) {
            const model_slot *ms = &m->slots[slot];
            for (int q = 0; q < 3; q++) {
                fputs("<tr><th>", f);
                report_html_text(f, ms->label);
                fputs("（", f);
                report_html_unit(f, ms->unit);
                fprintf(f, "）%s</th>", names[q]);
                for (int y = from; y <= to; y++) {
                    double value = NAN;
                    for (size_t k = i; k < end; k++)
                        if (e->cells[k].year == y)
                            value = e->cells[k].quantile[shown[q]];
                    fputs("<td class=\"n\">", f);
                    report_html_value(f, value, ms->unit);
                    fputs("</td>", f);
                }
                fputs("</tr>\n", f);
            }
        }
        i = end;
    }
    fputs("</tbody></table>\n</section>\n", f);
}

void report_html_sensitivity(FILE *f, const report_html_scenario *sc, int *first)
{
    const sweep_result *res = sc->sweep;
    const sweep_spec *spec = res->spec;
    report_html_section(f, "sensitivity", "敏感性", first);
    fprintf(f, "<p>方法：%s；模型运行 %zu 次；随机种子 %lu。</p>\n", sweep_method_name(spec->method), res->runs,
            spec->seed);
    const char *columns;
    switch (spec->method) {
    case SWEEP_SOBOL:
        columns = "<th>一阶指数 S1</th><th>S1 置信区间</th><th>总效应指数 ST</th><th>ST 置信区间</th>";
        break;
    case SWEEP_MORRIS:
        columns = "<th>μ</th><th>μ*</th><th>μ* 置信半宽</th><th>σ</th>";
        break;
    case SWEEP_OAT:
        columns = "<th>低值下输出</th><th>高值下输出</th><th>变化幅度</th>";
        break;
    case SWEEP_MONTECARLO:
        columns = "<th>Pearson 相关</th><th>Spearman 相关</th>";
        break;
    default:
        columns = "<th>主效应幅度</th>";
    }
    for (size_t o = 0; o < spec->output_count; o++) {
        const sweep_output *out = &spec->outputs[o];
        fputs("<h3>", f);
        report_html_text(f, out->label);
        fputs("</h3>\n", f);
        fprintf(f, "<table><thead><tr><th>参数</th>%s</tr></thead>\n<tbody>\n", columns);
        for (size_t p = 0; p < spec->parameter_count; p++) {
            const sweep_index *x = &res->indices[o * spec->parameter_count + p];
            fputs("<tr>", f);
            report_row_heading(f, spec->parameters[p].label, spec->parameters[p].unit);
            switch (spec->method) {
            case SWEEP_SOBOL:
                fprintf(f, "<td class=\"n\">%.4f</td><td class=\"n\">%.4f – %.4f</td><td class=\"n\">%.4f</td>"
                           "<td class=\"n\">%.4f – %.4f</td>",
                        x->first.value, x->first.low, x->first.high, x->total.value, x->total.low, x->total.high);
                break;
            case SWEEP_MORRIS:
                fputs("<td class=\"n\">", f);
                report_html_value(f, x->mu, out->unit);
                fputs("</td><td class=\"n\">", f);
                report_html_value(f, x->mu_star.value, out->unit);
                fputs("</td><td class=\"n\">", f);
                report_html_value(f, x->mu_star.conf, out->unit);
                fputs("</td><td class=\"n\">", f);
                report_html_value(f, x->sigma, out->unit);
                fputs("</td>", f);
                break;
            case SWEEP_OAT:
                fputs("<td class=\"n\">", f);
                report_html_value(f, x->value_low, out->unit);
                fputs("</td><td class=\"n\">", f);
                report_html_value(f, x->value_high, out->unit);
                fputs("</td><td class=\"n\">", f);
                report_html_value(f, fabs(x->value_high - x->value_low), out->unit);
                fputs("</td>", f);
                break;
            case SWEEP_MONTECARLO:
                fprintf(f, "<td class=\"n\">%.4f</td><td class=\"n\">%.4f</td>", x->pearson, x->spearman);
                break;
            default:
                fputs("<td class=\"n\">", f);
                report_html_value(f, x->range, out->unit);
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}

/* The kind of a provenance in Chinese. */
static const char *report_provenance_kind(const char *kind)
{
    static const char *const pairs[][2] = {{"observed", "观测"},     {"derived", "推算"},
                                           {"initial", "初始值（假设）"}, {"assumption", "情景假设"},
                                           {"model default", "模型默认值"}, {"model", "模型计算"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(kind, pairs[i][0]))
            return pairs[i][1];
    return kind;
}

/* The distinct sources of slot s over years from..to: kind, file and JSON path, note. */
static void report_slot_sources(FILE *f, const run *r, size_t s, int from, int to)
{
    const char *seen_paths[64];
    size_t seen = 0;
    run_provenance prov;
    for (int y = from; y <= to; y++) {
        if (!run_provenance_of(r, (int)s, y, &prov))
            continue;
        const char *key = prov.note ? prov.note : prov.file ? prov.file : prov.kind;
        int again = 0;
        for (size_t i = 0; i < seen; i++)
            again |= seen_paths[i] == key;
        if (again || seen == sizeof seen_paths / sizeof seen_paths[0])
            continue;
        seen_paths[seen++] = key;
        fputs(seen > 1 ? "<br>" : "", f);
        fputs(report_provenance_kind(prov.kind), f);
        if (prov.file) {
            fputs("：", f);
            report_html_text(f, prov.file);
            if (prov.json_path[0]) {
                fputc(' ', f);
                report_html_text(f, prov.json_path);
            }
        }
        if (prov.note) {
            fputs("<br><span class=\"note\">", f);
            report_html_text(f, prov.note);
            fputs("</span>", f);
        }
        if (prov.source) {
            fputs("<br><span class=\"note\">来源：", f);
            report_html_text(f, prov.source);
            fputs("</span>", f);
        }
    }
}

/* The observations behind the shown cells: year, value, source and grade. */
static void report_observations(FILE *f, const run *r)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    fputs("<h3>观测数据及来源</h3>\n<table><thead><tr><th>变量</th><th>年份</th><th>数值</th><th>类型</th>"
          "<th>来源</th><th>可靠性</th></tr></thead>\n<tbody>\n", f);
    for (size_t s = 0; s < m->slot_count; s++) {
        for (size_t t = 0; t < plan->years; t++) {
            size_t c = s * plan->years + t;
            sim_origin origin = (sim_origin)plan->origin[c];
            const history_row *row = plan->source ? plan->source[c] : NULL;
            if (!row || !sim_plan_cell_shown(plan, s, t) ||
                (origin != SIM_ORIGIN_OBSERVED && origin != SIM_ORIGIN_DERIVED))
                continue;
            fputs("<tr><td>", f);
            report_html_text(f, m->slots[s].label);
            fprintf(f, "</td><td class=\"n\">%d</td><td class=\"n\">", plan->first_year + (int)t);
            report_html_value(f, r->values[c], m->slots[s].unit);
            fputs("</td><td>", f);
            fputs(origin == SIM_ORIGIN_OBSERVED ? "观测" : "由观测增速推算", f);
            fputs("</td><td>", f);
            report_html_text(f, history_row_source(row));
            fputs("</td><td>", f);
            report_html_text(f, row->reliability);
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</tbody></table>\n", f);
}

void report_html_assumptions(FILE *f, const report_html_scenario *sc, int *first)
{
    const run *r = sc->run;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    report_html_section(f, "assumptions", "假设与来源", first);
    if (scenario_note(r->scenario)) {
        fputs("<p>", f);
        report_html_text(f, scenario_note(r->scenario));
        fputs("</p>\n", f);
    }
    fputs("<table><thead><tr><th>假设（单位）</th><th>各年取值</th><th>设定来源与说明</th></tr></thead>\n<tbody>\n", f);
    for (size_t s = 0; s < m->slot_count; s++) {
        const model_slot *ms = &m->slots[s];
        if (ms->kind == MODEL_VARIABLE)
            continue;
        fputs("<tr>", f);
        report_row_heading(f, ms->label, ms->unit);
        fputs("<td>", f);
        if (ms->kind == MODEL_PARAMETER) {
            report_html_value(f, run_slot_value(r, (int)s, plan->start), ms->unit);
        } else {
            /* runs of equal values as "2023: 8.00%, 2024–2030: 7.00%" */
            int run_from = plan->start;
            for (int y = plan->start; y <= plan->end; y++) {
                double v = run_slot_value(r, (int)s, y);
                double next = y < plan->end ? run_slot_value(r, (int)s, y + 1) : NAN;
                if (y < plan->end && (v == next || (isnan(v) && isnan(next))))
                    continue;
                if (run_from > plan->start)
                    fputs("，", f);
                if (run_from == y)
                    fprintf(f, "%d：", y);
                else
                    fprintf(f, "%d–%d：", run_from, y);
                report_html_value(f, v, ms->unit);
                run_from = y + 1;
            }
        }
        fputs("</td><td>", f);
        report_slot_sources(f, r, s, ms->kind == MODEL_PARAMETER ? plan->start : plan->first_year, plan->end);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    report_observations(f, r);
    fputs("</section>\n", f);
}

void report_html_equations(FILE *f, const run *r, int *first)
{
    const model *m = r->model;
    report_html_section(f, "equations", "模型方程", first);
    fputs("<p>模型 ", f);
    report_html_text(f, model_title(m) ? model_title(m) : m->name);
    fputs("（", f);
    report_html_text(f, m->path);
    fputs("）。有观测值的年份取观测值，其余年份由方程计算。</p>\n", f);
    fputs("<table><thead><tr><th>变量（单位）</th><th>方程</th><th>说明</th></tr></thead>\n<tbody>\n", f);
    for (size_t k = 0; k < m->order_count; k++) {
        const model_slot *ms = &m->slots[m->order[k]];
        fputs("<tr>", f);
        report_row_heading(f, ms->label, ms->unit);
        fputs("<td><code>", f);
        report_html_text(f, ms->name);
        fputs(" = ", f);
        report_html_text(f, ms->equation);
        fputs("</code></td><td class=\"note\">", f);
        report_html_text(f, model_slot_note(ms));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}
