/* report_html_tables.c: the tables of report.html (report_html_internal.h): the projection
 * (wide, origins marked), the peers, the ensemble's quantiles, the sensitivity indices, the
 * assumptions with their notes and sources, and the model's equations. */
#include "report_html_internal.h"
#include "i18n.h"
#include "report.h"
#include "units.h"

#include <math.h>
#include <string.h>

/* The first year the wide tables show: the year before start, or the first stored. */
static int report_first_year(const sim_plan *plan)
{
    return plan->start - 1 < plan->first_year ? plan->first_year : plan->start - 1;
}

/* A unit as the tables show it: "%" for rates, "count" and "index" translated, "—" for none. */
static const char *report_unit_text(const char *unit)
{
    if (units_is_rate(unit))
        return "%";
    if (!unit || !*unit)
        return "—";
    if (!strcmp(unit, "count"))
        return _("count");
    if (!strcmp(unit, "index"))
        return _("index");
    return unit;
}

/* A label with its unit in brackets, escaped: "GDP (亿元)". */
static void report_label_unit(FILE *f, const char *label, const char *unit)
{
    /* TRANSLATORS: a label and its unit in brackets: "GDP (亿元)" */
    report_html_textf(f, _("%s (%s)"), label ? label : "", report_unit_text(unit));
}

/* A row heading: the label, then the unit in brackets. */
static void report_row_heading(FILE *f, const char *label, const char *unit)
{
    fputs("<th>", f);
    report_label_unit(f, label, unit);
    fputs("</th>", f);
}

static void report_year_heading(FILE *f, const char *first_column, int from, int to)
{
    fputs("<table><thead><tr><th>", f);
    report_html_text(f, first_column);
    fputs("</th>", f);
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

/* A note below a table, escaped. */
static void report_note(FILE *f, const char *text)
{
    fputs("<p class=\"note\">", f);
    report_html_text(f, text);
    fputs("</p>\n", f);
}

void report_html_projection(FILE *f, const report_html_scenario *sc, int *first)
{
    const run *r = sc->run;
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    report_html_section(f, "projection", _("Projection"), first);
    fputs("<p class=\"meta\">", f);
    report_html_text(f, scenario_title(r->scenario));
    fputs("</p>\n", f);
    int from = report_first_year(plan);
    report_year_heading(f, _("Variable (unit)"), from, plan->end);
    for (int group = 0; group < 2; group++) {
        model_kind kind = group == 0 ? MODEL_VARIABLE : MODEL_EXOGENOUS;
        if (group == 1)
            fprintf(f, "<tr><th colspan=\"%d\">%s</th></tr>\n", plan->end - from + 2, _("Exogenous assumptions"));
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
    report_note(f, _("Marks: o observed (statistical communiqués and the like); d derived from an observed growth rate; "
                     "i initial value given by the scenario (an assumption); no mark: computed by the model or assumed "
                     "by the scenario. Shaded cells are observed or derived data."));
    fputs("</section>\n", f);
}

void report_html_peers(FILE *f, const peers_comparison *c, int *first)
{
    report_html_section(f, "peers", _("Peer counties"), first);
    for (size_t v = 0; v < c->variable_count; v++) {
        const peers_variable *pv = &c->variables[v];
        fputs("<h3>", f);
        report_label_unit(f, pv->label, pv->unit);
        fputs("</h3>\n", f);
        int from = pv->last_year - 9 > pv->first_year ? pv->last_year - 9 : pv->first_year;
        report_year_heading(f, _("Place"), from, pv->last_year);
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
                if (line->rank && rank_t >= 0 && (size_t)rank_t < pv->storage_years && line->rank[rank_t] > 0) {
                    fputs("<br><span class=\"note\">", f);
                    /* TRANSLATORS: a place's rank under its value in the peers table */
                    report_html_textf(f, _("no. %d"), line->rank[rank_t]);
                    fputs("</span>", f);
                }
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
        for (size_t l = 0; l < pv->line_count; l++)
            if (!pv->lines[l].is_home && pv->lines[l].projection[0]) {
                fputs("<p class=\"note\">", f);
                /* TRANSLATORS: a peer and how its figures are carried past its data */
                report_html_textf(f, _("%s: %s"), pv->lines[l].place, pv->lines[l].projection);
                fputs("</p>\n", f);
            }
    }
    report_note(f, _("Marks: o observed; d derived; n interpolated; p projected by the place's growth rule. “no. N” is "
                     "the rank in that year (1 is the largest)."));
    fputs("</section>\n", f);
}

void report_html_ensemble(FILE *f, const report_html_scenario *sc, int *first)
{
    const ensemble_result *e = sc->ensemble;
    const run *r = sc->run;
    const model *m = r->model;
    report_html_section(f, "uncertainty", _("Uncertainty"), first);
    fputs("<p>", f);
    report_html_textf(f, _("The quantiles of each variable over %zu simulated paths (seed %lu): P5, median, P95."),
                      e->paths, e->seed);
    fputs("</p>\n", f);
    int from = r->plan->start, to = r->plan->end;
    report_year_heading(f, _("Variable (unit) · quantile"), from, to);
    static const int shown[3] = {0, 3, 6}; /* P5, P50, P95 of ensemble_quantile_levels */
    const char *const names[3] = {"P5", _("median"), "P95"};
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
                report_label_unit(f, ms->label, ms->unit);
                fputc(' ', f);
                report_html_text(f, names[q]);
                fputs("</th>", f);
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
    report_html_section(f, "sensitivity", _("Sensitivity"), first);
    fputs("<p>", f);
    report_html_textf(f, _("Method: %s; %zu model runs; seed %lu."), sweep_method_name(spec->method), res->runs,
                      spec->seed);
    fputs("</p>\n", f);
    const char *columns[4] = {NULL, NULL, NULL, NULL};
    switch (spec->method) {
    case SWEEP_SOBOL:
        columns[0] = _("first-order index S1"), columns[1] = _("S1 confidence interval");
        columns[2] = _("total-effect index ST"), columns[3] = _("ST confidence interval");
        break;
    case SWEEP_MORRIS:
        columns[0] = "μ", columns[1] = "μ*", columns[2] = _("μ* confidence half-width"), columns[3] = "σ";
        break;
    case SWEEP_OAT:
        columns[0] = _("output at the low value"), columns[1] = _("output at the high value");
        columns[2] = _("change");
        break;
    case SWEEP_MONTECARLO:
        columns[0] = _("Pearson correlation"), columns[1] = _("Spearman correlation");
        break;
    default:
        columns[0] = _("range of the main effect");
    }
    for (size_t o = 0; o < spec->output_count; o++) {
        const sweep_output *out = &spec->outputs[o];
        fputs("<h3>", f);
        report_html_text(f, out->label);
        fputs("</h3>\n", f);
        fprintf(f, "<table><thead><tr><th>%s</th>", _("Parameter"));
        for (int k = 0; k < 4 && columns[k]; k++) {
            fputs("<th>", f);
            report_html_text(f, columns[k]);
            fputs("</th>", f);
        }
        fputs("</tr></thead>\n<tbody>\n", f);
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

/* The kind of a provenance in the chosen language. */
static const char *report_provenance_kind(const char *kind)
{
    static const char *const pairs[][2] = {{"observed", N_("observed")},
                                           {"derived", N_("derived")},
                                           {"initial", N_("initial value (assumed)")},
                                           {"assumption", N_("scenario assumption")},
                                           {"model default", N_("model default")},
                                           {"model", N_("computed by the model")}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(kind, pairs[i][0]))
            return _(pairs[i][1]);
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
        if (prov.file)
            /* TRANSLATORS: the kind of a value's origin, then its file and JSON path */
            report_html_textf(f, _("%s: %s%s%s"), report_provenance_kind(prov.kind), prov.file,
                              prov.json_path[0] ? " " : "", prov.json_path);
        else
            report_html_text(f, report_provenance_kind(prov.kind));
        if (prov.note) {
            fputs("<br><span class=\"note\">", f);
            report_html_text(f, prov.note);
            fputs("</span>", f);
        }
        if (prov.source) {
            fputs("<br><span class=\"note\">", f);
            report_html_textf(f, _("Source: %s"), prov.source);
            fputs("</span>", f);
        }
    }
}

/* The observations behind the shown cells: year, value, source and grade. */
static void report_observations(FILE *f, const run *r)
{
    const sim_plan *plan = r->plan;
    const model *m = r->model;
    fprintf(f, "<h3>%s</h3>\n<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
               "</tr></thead>\n<tbody>\n",
            _("Observations and their sources"), _("Variable"), _("Year"), _("Value"), _("Kind"), _("Source"),
            _("Reliability"));
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
            report_html_text(f, origin == SIM_ORIGIN_OBSERVED ? _("observed") : _("derived from an observed growth rate"));
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
    report_html_section(f, "assumptions", _("Assumptions and sources"), first);
    if (scenario_note(r->scenario)) {
        fputs("<p>", f);
        report_html_text(f, scenario_note(r->scenario));
        fputs("</p>\n", f);
    }
    fprintf(f, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n", _("Assumption (unit)"),
            _("Values by year"), _("Set by, and notes"));
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
                    /* TRANSLATORS: between the runs of years of an assumption: "2023: 8.00%, 2024–2030: 7.00%" */
                    report_html_text(f, _(", "));
                if (run_from == y)
                    /* TRANSLATORS: a year before its value: "2023: 8.00%" */
                    report_html_textf(f, _("%d: "), y);
                else
                    report_html_textf(f, _("%d–%d: "), run_from, y);
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
    report_html_section(f, "equations", _("Model equations"), first);
    fputs("<p>", f);
    report_html_textf(f, _("Model %s (%s). A year with an observation takes the observed value; the other years are "
                           "computed by the equations."),
                      model_title(m) ? model_title(m) : m->name, m->path);
    fputs("</p>\n", f);
    fprintf(f, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n", _("Variable (unit)"),
            _("Equation"), _("Note"));
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
