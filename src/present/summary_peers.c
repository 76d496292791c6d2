/* summary_peers.c: the "peers" part of summary.json (summary.h). */
#include "summary.h"
#include "peers_write.h"
#include "summary_internal.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *peers_status_name(const peers_comparison *c, const peers_line *line)
{
    return line->status == PEERS_STATUS_DATA ? "data" : peers_status_words(c, line);
}

static const char *peers_standing_name(peers_standing standing)
{
    switch (standing) {
    case PEERS_STANDING_AHEAD:
        return "ahead";
    case PEERS_STANDING_CATCHES_UP:
        return "catches up";
    case PEERS_STANDING_FALLS_BEHIND:
        return "falls behind";
    case PEERS_STANDING_BEHIND:
        return "behind";
    case PEERS_STANDING_UNKNOWN:
        break;
    }
    return "unknown";
}

static const char *peers_rule_name(peers_rule_kind kind)
{
    return kind == PEERS_RULE_TREND ? "trend" : kind == PEERS_RULE_LAST ? "last" : "assumed";
}

static cJSON *peers_fit_json(const peers_fit *fit)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "method", peers_fit_method_name(fit->method));
    cJSON_AddNumberToObject(o, "points", (double)fit->points);
    if (fit->points) {
        cJSON_AddNumberToObject(o, "first_year", fit->first_year);
        cJSON_AddNumberToObject(o, "last_year", fit->last_year);
    }
    summary_add_number(o, "growth", fit->growth);
    if (fit->method == PEERS_FIT_LEAST_SQUARES) {
        cJSON *interval = cJSON_AddArrayToObject(o, "interval_95");
        if (interval) {
            cJSON_AddItemToArray(interval, cJSON_CreateNumber(fit->low));
            cJSON_AddItemToArray(interval, cJSON_CreateNumber(fit->high));
        }
        summary_add_number(o, "slope_ln", fit->slope);
        summary_add_number(o, "slope_se", fit->slope_se);
    } else {
        cJSON_AddNullToObject(o, "interval_95");
        cJSON_AddStringToObject(o, "interval_note", fit->method == PEERS_FIT_CAGR
                                                        ? "two levels: the exact CAGR, no interval"
                                                        : "fewer than two levels: no trend");
    }
    return o;
}

/* The "values" of a place with data: each comparison year's value, origin, rank, gap and
 * ratio, and the source of observed and derived values. */
static void peers_values_json(cJSON *o, const peers_variable *v, const peers_line *line)
{
    cJSON *values = cJSON_AddArrayToObject(o, "values");
    for (int year = v->first_year; values && year <= v->last_year; year++) {
        size_t t = peers_window_index(v, year);
        cJSON *point = cJSON_CreateObject();
        if (!point || !cJSON_AddItemToArray(values, point)) {
            cJSON_Delete(point);
            break;
        }
        int has_value = line->series.origin[t] != SIM_ORIGIN_NONE;
        cJSON_AddNumberToObject(point, "year", year);
        summary_add_number(point, "value", has_value ? line->series.value[t] : NAN);
        cJSON_AddStringToObject(point, "origin",
                                has_value ? sim_origin_name((sim_origin)line->series.origin[t]) : "missing");
        if (line->rank[t] > 0)
            cJSON_AddNumberToObject(point, "rank", line->rank[t]);
        if (!line->is_home) {
            summary_add_number(point, "gap", line->gap[t]);
            summary_add_number(point, "ratio", line->ratio[t]);
        }
        const history_row *row = line->series.source[t];
        sim_origin origin = (sim_origin)line->series.origin[t];
        if (row && (origin == SIM_ORIGIN_OBSERVED || origin == SIM_ORIGIN_DERIVED)) {
            cJSON_AddStringToObject(point, "source", history_row_source(row));
            cJSON_AddStringToObject(point, "reliability", row->reliability);
            if (line->series.origin[t] == SIM_ORIGIN_DERIVED)
                cJSON_AddNumberToObject(point, "observed_growth", row->value);
        }
    }
}

/* A peer's "crossings" (the years the order flips) and "catch_up" (its standing and the
 * growth home needs to draw level, year by year). */
static void peers_catch_up_json(cJSON *o, const peers_comparison *c, const peers_variable *v, const peers_line *line)
{
    cJSON *crossings = cJSON_AddArrayToObject(o, "crossings");
    for (size_t k = 0; crossings && k < line->crossing_count && k < v->storage_years; k++) {
        const peers_crossing *x = &line->crossings[k];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(crossings, item)) {
            cJSON_Delete(item);
            break;
        }
        cJSON_AddNumberToObject(item, "year", x->year);
        cJSON_AddNumberToObject(item, "previous_year", x->previous_year);
        summary_add_number(item, "point", x->point);
        cJSON_AddStringToObject(item, "direction", x->direction > 0 ? "home moves ahead" : "home falls behind");
    }
    cJSON *catch_up = cJSON_AddObjectToObject(o, "catch_up");
    if (catch_up) {
        cJSON_AddStringToObject(catch_up, "standing", peers_standing_name(line->standing));
        if (line->catch_up_year)
            cJSON_AddNumberToObject(catch_up, "catch_up_year", line->catch_up_year);
        else
            cJSON_AddNullToObject(catch_up, "catch_up_year");
        if (line->fall_behind_year)
            cJSON_AddNumberToObject(catch_up, "fall_behind_year", line->fall_behind_year);
        cJSON *required = cJSON_AddArrayToObject(catch_up, "required_growth");
        for (int year = c->run->scenario->start; required && year <= v->last_year; year++) {
            size_t t = peers_window_index(v, year);
            cJSON *item = cJSON_CreateObject();
            if (!item || !cJSON_AddItemToArray(required, item)) {
                cJSON_Delete(item);
                break;
            }
            cJSON_AddNumberToObject(item, "year", year);
            summary_add_number(item, "peer_value", line->series.value[t]);
            summary_add_number(item, "growth", line->required_growth[t]);
        }
    }
}

static cJSON *peers_line_json(const peers_comparison *c, const peers_variable *v, const peers_line *line)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "place", line->place);
    cJSON_AddStringToObject(o, "name_en", line->name_en ? line->name_en : "");
    cJSON_AddBoolToObject(o, "home", line->is_home);
    cJSON_AddStringToObject(o, "status", peers_status_name(c, line));
    cJSON_AddNumberToObject(o, "levels_observed", (double)line->series.level_count);
    cJSON_AddNumberToObject(o, "growth_rates_observed", (double)line->series.growth_count);
    summary_add_item(o, "fit", peers_fit_json(&line->fit)); /* a failure shows in mem_failure_count */
    cJSON *unchained = cJSON_AddArrayToObject(o, "unchained_growth_years");
    for (size_t k = 0; unchained && k < line->series.unchained_count; k++)
        cJSON_AddItemToArray(unchained, cJSON_CreateNumber(line->series.unchained_years[k]));
    if (!line->is_home && line->status == PEERS_STATUS_DATA) {
        cJSON *projection = cJSON_AddObjectToObject(o, "projection");
        if (projection) {
            cJSON_AddStringToObject(projection, "rule", peers_rule_name(line->rule->kind));
            cJSON_AddStringToObject(projection, "json_path", line->rule->json_path);
            if (line->projected_from)
                cJSON_AddNumberToObject(projection, "from_year", line->projected_from);
            else
                cJSON_AddNullToObject(projection, "from_year");
            summary_add_number(projection, "growth", line->projected_growth);
            cJSON_AddStringToObject(projection, "basis", line->projection);
        }
    }
    if (line->status == PEERS_STATUS_DATA)
        peers_values_json(o, v, line);
    if (!line->is_home && line->status == PEERS_STATUS_DATA)
        peers_catch_up_json(o, c, v, line);
    return o;
}


/* The "places" of the comparison (home, then the peers, with their status) and those named in
 * the places file without any data. 0 when out of memory. */
static int peers_places_json(cJSON *root, cJSON *places, const peers_comparison *c)
{
    for (size_t i = 0; i <= c->peer_count; i++) {
        const char *name = i == 0 ? c->home : c->peer_names[i - 1];
        const peers_place *place = peers_spec_place(c->spec, name);
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(places, item)) {
            cJSON_Delete(item);
            return 0;
        }
        cJSON_AddStringToObject(item, "place", name);
        cJSON_AddStringToObject(item, "name_en", place ? place->name_en : "");
        cJSON_AddStringToObject(item, "role", i == 0 ? "home" : "peer");
        cJSON_AddStringToObject(item, "status", !place || place->has_observations ? "data" : "no data yet");
        if (place && peers_place_note(place)[0])
            cJSON_AddStringToObject(item, "note", peers_place_note(place));
    }
    cJSON *named = cJSON_AddArrayToObject(root, "named_without_data");
    for (size_t i = 0; named && i < c->place_count; i++)
        if (!c->places[i].has_observations) {
            cJSON *item = cJSON_CreateObject();
            if (!item || !cJSON_AddItemToArray(named, item)) {
                cJSON_Delete(item);
                break;
            }
            cJSON_AddStringToObject(item, "place", c->places[i].place);
            cJSON_AddStringToObject(item, "name_en", c->places[i].name_en);
            cJSON_AddStringToObject(item, "note", peers_place_note(&c->places[i]));
        }
    return 1;
}

/* One variable of the comparison into `variables`: its years, base and every place; places
 * without data are also listed in no_data. 0 when out of memory. */
static int peers_variable_json(cJSON *variables, cJSON *no_data, const peers_comparison *c, const peers_variable *v)
{
    cJSON *item = cJSON_CreateObject();
    if (!item || !cJSON_AddItemToArray(variables, item)) {
        cJSON_Delete(item);
        return 0;
    }
    cJSON_AddStringToObject(item, "variable", v->name);
    cJSON_AddStringToObject(item, "label", v->label);
    cJSON_AddStringToObject(item, "unit", v->unit);
    cJSON_AddNumberToObject(item, "first_year", v->first_year);
    cJSON_AddNumberToObject(item, "last_year", v->last_year);
    if (v->base_year)
        cJSON_AddNumberToObject(item, "base_year", v->base_year);
    else
        cJSON_AddNullToObject(item, "base_year");
    summary_add_number(item, "base_value", v->base_value);
    cJSON *lines = cJSON_AddArrayToObject(item, "places");
    for (size_t i = 0; lines && i < v->line_count; i++) {
        cJSON *line = peers_line_json(c, v, &v->lines[i]);
        if (!line || !cJSON_AddItemToArray(lines, line)) {
            cJSON_Delete(line);
            return 0;
        }
        if (v->lines[i].status != PEERS_STATUS_DATA) {
            cJSON *entry = cJSON_CreateObject();
            if (!entry || !cJSON_AddItemToArray(no_data, entry)) {
                cJSON_Delete(entry);
                return 0;
            }
            cJSON_AddStringToObject(entry, "place", v->lines[i].place);
            cJSON_AddStringToObject(entry, "variable", v->name);
            cJSON_AddStringToObject(entry, "status", peers_status_words(c, &v->lines[i]));
        }
    }
    return 1;
}

summary_part *summary_peers(const peers_comparison *c)
{
    const scenario *s = c->run->scenario;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "home", c->home);
    cJSON_AddNumberToObject(root, "start", s->start);
    cJSON_AddNumberToObject(root, "end", s->end);
    cJSON_AddNumberToObject(root, "catch_up_by", c->catch_up_by);
    if (c->places_path)
        cJSON_AddStringToObject(root, "places_file", c->places_path);
    else
        cJSON_AddNullToObject(root, "places_file");
    cJSON_AddStringToObject(root, "method",
                            "Series from observed levels, levels chained from observed growth rates (derived), "
                            "log-linear interpolation between two levels (interpolated); peers past their data at "
                            "their growth rule (projected); home from start: the scenario's model. Fits: least "
                            "squares of ln(level) on year over observed and derived levels, 95% interval from "
                            "Student's t with n-2 degrees of freedom; two levels give the exact CAGR. Catch-up "
                            "growth: (peer value / home base value)^(1/years) - 1.");
    cJSON *places = cJSON_AddArrayToObject(root, "places");
    cJSON *no_data = cJSON_AddArrayToObject(root, "no_data");
    cJSON *variables = cJSON_AddArrayToObject(root, "variables");
    if (!places || !no_data || !variables) {
        cJSON_Delete(root);
        return NULL;
    }
    if (!peers_places_json(root, places, c)) {
        cJSON_Delete(root);
        return NULL;
    }
    for (size_t k = 0; k < c->variable_count; k++)
        if (!peers_variable_json(variables, no_data, c, &c->variables[k])) {
            cJSON_Delete(root);
            return NULL;
        }
    return root;
}
