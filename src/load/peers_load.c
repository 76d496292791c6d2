/* peers_load.c: the "peers" block of a scenario and the places registry beside its
 * observations, read into a peers_spec (peers.h, peers_load). The comparison in peers.c works
 * from the spec alone and never sees the JSON.
 *
 * The spec owns copies of every string it keeps (place names, notes, the places file's
 * fields), so it outlives the scenario tree and the registry's tree, which is freed here. */
#include "peers_load.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The strings a spec owns. */
typedef struct peers_strings {
    char **items;
    size_t count, capacity;
} peers_strings;

/* A copy of `text` owned by the spec ("" for NULL); NULL when memory runs out. */
static const char *peers_keep(peers_spec *spec, const char *text)
{
    peers_strings *strings = spec->owned;
    if (strings->count == strings->capacity) {
        size_t capacity = strings->capacity ? 2 * strings->capacity : 32;
        char **grown = mem_realloc(strings->items, capacity * sizeof *grown);
        if (!grown)
            return NULL;
        strings->items = grown;
        strings->capacity = capacity;
    }
    char *copy = mem_strdup(text ? text : "");
    if (copy)
        strings->items[strings->count++] = copy;
    return copy;
}

static void peers_rule_release(peers_rule *rule)
{
    if (rule)
        mem_free(rule->spans);
}

void peers_spec_free(peers_spec *spec)
{
    if (!spec)
        return;
    peers_rule_release(&spec->default_rule);
    for (size_t i = 0; spec->rules && i < spec->peer_count; i++)
        peers_rule_release(&spec->rules[i]);
    mem_free(spec->rules);
    mem_free(spec->peer_names);
    mem_free(spec->variables);
    mem_free(spec->places);
    mem_free(spec->places_path);
    mem_free(spec->note);
    peers_strings *strings = spec->owned;
    if (strings) {
        for (size_t i = 0; i < strings->count; i++)
            mem_free(strings->items[i]);
        mem_free(strings->items);
        mem_free(strings);
    }
    mem_free(spec);
}

const peers_place *peers_spec_place(const peers_spec *spec, const char *name)
{
    for (size_t i = 0; spec && i < spec->place_count; i++)
        if (!strcmp(spec->places[i].place, name))
            return &spec->places[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The places registry                                                                       */

static const char *peers_string_member(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(item) && item->valuestring ? item->valuestring : "";
}

/* Checks places.json: {"note": "...", "places": {"林州市": {"name_en": ..., ...}, ...}}. */
static int peers_check_registry(const cJSON *tree, const char *path, diag *d)
{
    static const char *const top_keys[] = {"note", "places", NULL};
    static const char *const place_keys[] = {"name_en", "province", "role", "note", "source", NULL};
    if (!cJSON_IsObject(tree))
        return diag_error_json(d, DIAG_DATA, path, "$", _("the places file must be a JSON object, not %s"),
                               jsonfile_type_name(tree));
    int status = jsonfile_check_keys(tree, top_keys, path, "$", _("places file"), d);
    const cJSON *places = cJSON_GetObjectItemCaseSensitive(tree, "places");
    if (!places)
        return diag_error_json(d, DIAG_DATA, path, "$", _("the places file needs \"places\": {\"县名\": {...}}"));
    if (!cJSON_IsObject(places))
        return diag_error_json(d, DIAG_DATA, path, "$.places", _("\"places\" must be an object keyed by place, not %s"),
                               jsonfile_type_name(places));
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(tree, "note");
    if (note && !cJSON_IsString(note))
        status = diag_error_json(d, DIAG_DATA, path, "$.note", _("\"note\" must be a string, not %s"),
                                 jsonfile_type_name(note));
    for (const cJSON *p = places->child; p; p = p->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, "$.places", p->string ? p->string : "");
        if (!p->string || !p->string[0]) {
            status = diag_error_json(d, DIAG_DATA, path, here, _("a place needs a name"));
            continue;
        }
        if (!cJSON_IsObject(p)) {
            status = diag_error_json(d, DIAG_DATA, path, here,
                                     _("a place is an object like {\"name_en\": \"Linzhou\", \"note\": \"...\"}, not %s"),
                                     jsonfile_type_name(p));
            continue;
        }
        if (jsonfile_check_keys(p, place_keys, path, here, _("place"), d) != DIAG_OK)
            status = d->status;
        for (const cJSON *f = p->child; f; f = f->next)
            if (!cJSON_IsString(f) && !jsonfile_is_english_key(f->string, place_keys)) { /* those: above */
                char field[JSONFILE_PATH_MAX];
                jsonfile_path_key(field, here, f->string);
                status = diag_error_json(d, DIAG_DATA, path, field, _("\"%s\" must be a string, not %s"), f->string,
                                         jsonfile_type_name(f));
            }
    }
    return status;
}

/* The registry: places.json beside the observations file (when there is one), then the
 * places of the observations that it does not list. */
static int peers_load_registry(peers_spec *spec, const history *h, diag *d)
{
    cJSON *tree = NULL;
    const cJSON *listed = NULL;
    char *path = jsonfile_resolve_path(h->path, "places.json");
    if (!path)
        return diag_oom(d, _("finding the places file"));
    struct stat st;
    if (stat(path, &st) == 0) {
        tree = jsonfile_load(path, d);
        if (!tree || peers_check_registry(tree, path, d) != DIAG_OK) {
            cJSON_Delete(tree);
            mem_free(path);
            return d->status;
        }
        spec->places_path = path;
        listed = cJSON_GetObjectItemCaseSensitive(tree, "places");
    } else {
        mem_free(path);
    }
    int status = DIAG_OK;
    size_t listed_count = listed ? (size_t)cJSON_GetArraySize(listed) : 0;
    const char **history_names = h->count ? mem_alloc(h->count * sizeof *history_names) : NULL;
    size_t history_count = history_names ? history_places(h, history_names, h->count) : 0;
    spec->places = mem_calloc(listed_count + history_count + 1, sizeof *spec->places);
    if ((h->count && !history_names) || !spec->places) {
        status = diag_oom(d, _("listing places"));
        goto out;
    }
    for (const cJSON *p = listed ? listed->child : NULL; p; p = p->next) {
        peers_place *place = &spec->places[spec->place_count++];
        place->place = peers_keep(spec, p->string);
        place->name_en = peers_keep(spec, peers_string_member(p, "name_en"));
        place->province = peers_keep(spec, peers_string_member(p, "province"));
        place->role = peers_keep(spec, peers_string_member(p, "role"));
        place->note = peers_keep(spec, peers_string_member(p, "note"));
        place->source = peers_keep(spec, peers_string_member(p, "source"));
        place->note_en = peers_keep(spec, peers_string_member(p, "note_en"));
        place->source_en = peers_keep(spec, peers_string_member(p, "source_en"));
        place->has_observations = history_has_place(h, p->string);
        if (!place->place || !place->name_en || !place->province || !place->role || !place->note || !place->source ||
            !place->note_en || !place->source_en) {
            status = diag_oom(d, _("listing places"));
            goto out;
        }
    }
    for (size_t i = 0; i < history_count; i++) {
        int known = 0;
        for (size_t k = 0; k < spec->place_count && !known; k++)
            known = !strcmp(spec->places[k].place, history_names[i]);
        if (known)
            continue;
        peers_place *place = &spec->places[spec->place_count++];
        place->place = peers_keep(spec, history_names[i]);
        place->name_en = place->province = place->role = place->note = place->source = "";
        place->note_en = place->source_en = "";
        place->has_observations = 1;
        if (!place->place) {
            status = diag_oom(d, _("listing places"));
            goto out;
        }
    }
out:
    mem_free(history_names);
    cJSON_Delete(tree);
    return status;
}

/* A "did you mean" for a place: one whose name extends the given one ("辉县" -> "辉县市") or
 * is close by edit distance. */
static const char *peers_suggest_place(const peers_spec *spec, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < spec->place_count && len > 0; i++)
        if (!strncmp(spec->places[i].place, name, len) ||
            !strncmp(name, spec->places[i].place, strlen(spec->places[i].place)))
            return spec->places[i].place;
    const char *names[PEERS_MAX_PLACES * 4];
    size_t n = 0;
    for (size_t i = 0; i < spec->place_count && n < sizeof names / sizeof names[0]; i++)
        names[n++] = spec->places[i].place;
    return text_suggest(name, names, n);
}

/* "places with figures: A, B; named without figures yet: C, D" */
static void peers_list_places(const peers_spec *spec, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int with_data = 1; with_data >= 0; with_data--) {
        int first = 1;
        for (size_t i = 0; i < spec->place_count; i++) {
            if (spec->places[i].has_observations != with_data)
                continue;
            /* TRANSLATORS: between two place names of a list */
            const char *lead = !first ? _(", ")
                               : with_data ? _("places with figures: ")
                               : used      ? _("; named without figures yet: ")
                                           : _("named without figures yet: ");
            int n = snprintf(buf + used, size - used, "%s%s", lead, spec->places[i].place);
            if (n < 0 || (size_t)n >= size - used)
                return;
            used += (size_t)n;
            first = 0;
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The block                                                                                 */

static const char *const peers_block_keys[] = {"places", "variables", "growth", "by_place",
                                               "from", "catch_up_by", "note", NULL};
static const char *const peers_rule_words[] = {"trend", "last", NULL};

/* A growth rate of a rule: a number or a percentage, above -100%. */
static int peers_parse_rate(const scenario *s, const cJSON *item, const char *path, double *rate, diag *d)
{
    if (!jsonfile_number(item, rate)) {
        if (cJSON_IsString(item) && item->valuestring)
            return scenario_error(s, d, item, path, _("\"%.80s\" is not a growth rate (write 0.08 or \"8%%\")"),
                                  item->valuestring);
        return scenario_error(s, d, item, path, _("a growth rate must be a number or a percentage like \"8%%\", not %s"),
                              jsonfile_type_name(item));
    }
    if (*rate <= -1)
        return scenario_error(s, d, item, path, _("a growth rate of %g is a fall of 100%% or more (rates are fractions)"),
                              *rate);
    return DIAG_OK;
}

/* A growth rule written as a year map ({"2023-2030": "8%", "value": "6%", "note": "..."}):
 * its spans (years within the scenario's, up to end) and its constant. */
static int peers_parse_rule_map(const scenario *s, const cJSON *node, const char *path, peers_rule *rule, diag *d)
{
    size_t spans = 0;
    for (const cJSON *c = node->child; c; c = c->next)
        spans += strcmp(c->string, "value") && strcmp(c->string, "note") && strcmp(c->string, "note_en");
    if (spans && !(rule->spans = mem_calloc(spans, sizeof *rule->spans)))
        return diag_oom(d, _("reading the peers block"));
    int status = DIAG_OK;
    for (const cJSON *c = node->child; c; c = c->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, c->string);
        if (!strcmp(c->string, "note") || !strcmp(c->string, "note_en")) {
            if (!cJSON_IsString(c))
                status = scenario_error(s, d, c, here, _("\"%s\" must be a string, not %s"), c->string,
                                        jsonfile_type_name(c));
            continue;
        }
        double rate;
        if (peers_parse_rate(s, c, here, &rate, d) != DIAG_OK) {
            status = d->status;
            continue;
        }
        if (!strcmp(c->string, "value")) {
            rule->has_constant = 1;
            rule->constant = rate;
            continue;
        }
        long from, to;
        if (!scenario_parse_year_key(c->string, &from, &to)) {
            status = scenario_error(s, d, c, here,
                                    _("bad year key \"%s\": expected a year like \"2023\", a range like \"2024-2030\", "
                                    "\"value\" or \"note\""),
                                    c->string);
            continue;
        }
        if (from < SCENARIO_MIN_YEAR || to > SCENARIO_MAX_YEAR || from > to) {
            status = scenario_error(s, d, c, here, _("bad year range \"%s\": years run from %d to %d, first to last"),
                                    c->string, SCENARIO_MIN_YEAR, SCENARIO_MAX_YEAR);
            continue;
        }
        if (to > s->end) {
            status = scenario_error(s, d, c, here,
                                    _("%ld is after the scenario's end (%d): a comparison runs to end, so this rate "
                                    "would be ignored"),
                                    to, s->end);
            continue;
        }
        scenario_span *span = &rule->spans[rule->span_count++];
        span->from = (int)from;
        span->to = (int)to;
        span->value = rate;
    }
    if (status == DIAG_OK && !rule->has_constant && rule->span_count == 0)
        return scenario_error(s, d, node, path, _("the growth map gives no rate: add years like \"2023\" or a \"value\""));
    return status;
}

/* Parses a growth rule: "trend", "last", a rate, or a year map {"2023-2030": "8%", "value":
 * "6%", "note": "..."}. Years of a map lie in first..last (the years a comparison covers). */
static int peers_parse_rule(const scenario *s, const cJSON *node, const char *path, peers_rule *rule, diag *d)
{
    memset(rule, 0, sizeof *rule);
    rule->given = 1;
    rule->file = scenario_origin(s, node);
    snprintf(rule->json_path, sizeof rule->json_path, "%s", path);
    if (cJSON_IsString(node) && node->valuestring) {
        if (!strcmp(node->valuestring, "trend")) {
            rule->kind = PEERS_RULE_TREND;
            return DIAG_OK;
        }
        if (!strcmp(node->valuestring, "last")) {
            rule->kind = PEERS_RULE_LAST;
            return DIAG_OK;
        }
        double rate;
        if (!jsonfile_number(node, &rate)) {
            const char *hint = text_suggest(node->valuestring, peers_rule_words, 2);
            if (hint)
                return scenario_error(s, d, node, path, _("unknown growth \"%.80s\" (did you mean \"%s\"?)"),
                                      node->valuestring, hint);
            return scenario_error(s, d, node, path,
                                  _("unknown growth \"%.80s\": write \"trend\" (the fitted trend), \"last\" (the latest "
                                  "observed growth), a rate like 0.08 or \"8%%\", or a year map like "
                                  "{\"2023-2030\": \"8%%\"}"),
                                  node->valuestring);
        }
    }
    rule->kind = PEERS_RULE_SERIES;
    if (cJSON_IsNumber(node) || cJSON_IsString(node)) {
        rule->has_constant = 1;
        return peers_parse_rate(s, node, path, &rule->constant, d);
    }
    if (!cJSON_IsObject(node))
        return scenario_error(s, d, node, path,
                              _("growth must be \"trend\", \"last\", a rate like 0.08 or \"8%%\", or a year map like "
                              "{\"2023-2030\": \"8%%\", \"value\": \"6%%\"}, not %s"),
                              jsonfile_type_name(node));
    return peers_parse_rule_map(s, node, path, rule, d);
}

/* An integer year member of the block, or 0 when absent. */
static int peers_parse_year(const scenario *s, const cJSON *block, const char *key, int *year, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(block, key);
    *year = 0;
    if (!item)
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, "$.peers", key);
    if (!cJSON_IsNumber(item) || item->valuedouble != floor(item->valuedouble) ||
        item->valuedouble < SCENARIO_MIN_YEAR || item->valuedouble > SCENARIO_MAX_YEAR)
        return scenario_error(s, d, item, here, _("\"%s\" must be a year (an integer from %d to %d)"), key,
                              SCENARIO_MIN_YEAR, SCENARIO_MAX_YEAR);
    *year = (int)item->valuedouble;
    return DIAG_OK;
}

static int peers_parse_places(peers_spec *spec, const run *r, const cJSON *block, diag *d)
{
    const scenario *s = r->scenario;
    const cJSON *places = cJSON_GetObjectItemCaseSensitive(block, "places");
    if (!places)
        return scenario_error(s, d, block, "$.peers",
                              _("\"peers\" needs \"places\": the peer places to compare %s with, like "
                              "[\"长垣市\", \"辉县市\"]"),
                              spec->home);
    if (!cJSON_IsArray(places) || cJSON_GetArraySize(places) == 0)
        return scenario_error(s, d, places, "$.peers.places",
                              _("\"places\" must be a non-empty array of place names like [\"长垣市\"], not %s"),
                              cJSON_IsArray(places) ? _("an empty array") : jsonfile_type_name(places));
    size_t count = (size_t)cJSON_GetArraySize(places);
    if (count > PEERS_MAX_PLACES)
        return scenario_error(s, d, places, "$.peers.places", _("at most %d peers, not %zu"), PEERS_MAX_PLACES, count);
    spec->peer_names = mem_calloc(count, sizeof *spec->peer_names);
    spec->rules = mem_calloc(count, sizeof *spec->rules);
    if (!spec->peer_names || !spec->rules)
        return diag_oom(d, _("reading the peers block"));
    int status = DIAG_OK;
    size_t index = 0;
    for (const cJSON *p = places->child; p; p = p->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, "$.peers.places", index);
        if (!cJSON_IsString(p) || !p->valuestring || !p->valuestring[0]) {
            status = scenario_error(s, d, p, here, _("a place must be a non-empty string, not %s"),
                                    cJSON_IsString(p) ? _("an empty string") : jsonfile_type_name(p));
            continue;
        }
        const char *name = p->valuestring;
        if (!strcmp(name, spec->home)) {
            status = scenario_error(s, d, p, here,
                                    _("\"%s\" is the scenario's own place (history.place): list only its peers"), name);
            continue;
        }
        int twice = 0;
        for (size_t k = 0; k < spec->peer_count && !twice; k++)
            twice = !strcmp(spec->peer_names[k], name);
        if (twice) {
            status = scenario_error(s, d, p, here, _("\"%s\" is listed twice"), name);
            continue;
        }
        const peers_place *known = peers_spec_place(spec, name);
        if (!known) {
            char list[700];
            peers_list_places(spec, list, sizeof list);
            const char *hint = peers_suggest_place(spec, name);
            char where[600];
            if (spec->places_path)
                snprintf(where, sizeof where, _("%s or %s"), r->history->path, spec->places_path);
            else
                snprintf(where, sizeof where, "%s", r->history->path);
            if (hint)
                status = scenario_error(s, d, p, here,
                                        _("unknown place \"%s\" (did you mean \"%s\"?): it is not in %s; %s"), name, hint,
                                        where, list);
            else
                status = scenario_error(s, d, p, here, _("unknown place \"%s\": it is not in %s; %s"), name, where, list);
            continue;
        }
        spec->peer_names[spec->peer_count++] = known->place;
    }
    return status;
}

static int peers_parse_variables(peers_spec *spec, const run *r, const cJSON *block, diag *d)
{
    const scenario *s = r->scenario;
    const model *m = r->model;
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(block, "variables");
    if (!variables)
        return scenario_error(s, d, block, "$.peers",
                              _("\"peers\" needs \"variables\": the model variables to compare, like "
                              "[\"fiscal_revenue\"]"));
    if (!cJSON_IsArray(variables) || cJSON_GetArraySize(variables) == 0)
        return scenario_error(s, d, variables, "$.peers.variables",
                              _("\"variables\" must be a non-empty array of model names like "
                              "[\"fiscal_revenue\"], not %s"),
                              cJSON_IsArray(variables) ? _("an empty array") : jsonfile_type_name(variables));
    size_t count = (size_t)cJSON_GetArraySize(variables);
    if (count > PEERS_MAX_VARIABLES)
        return scenario_error(s, d, variables, "$.peers.variables", _("at most %d variables, not %zu"),
                              PEERS_MAX_VARIABLES, count);
    if (!(spec->variables = mem_calloc(count, sizeof *spec->variables)))
        return diag_oom(d, _("reading the peers block"));
    int status = DIAG_OK;
    size_t index = 0;
    for (const cJSON *v = variables->child; v; v = v->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, "$.peers.variables", index);
        if (!cJSON_IsString(v) || !v->valuestring) {
            status = scenario_error(s, d, v, here, _("a variable must be a model name (a string), not %s"),
                                    jsonfile_type_name(v));
            continue;
        }
        const char *written = v->valuestring;
        int slot = model_resolve(m, written);
        if (slot < 0) {
            char hint[768];
            model_name_hint(m, written, 1u << MODEL_VARIABLE, hint, sizeof hint);
            status = scenario_error(s, d, v, here, _("unknown variable \"%.80s\"%s"), written, hint);
            continue;
        }
        const model_slot *ms = &m->slots[slot];
        if (ms->kind == MODEL_PARAMETER) {
            status = scenario_error(s, d, v, here,
                                    _("\"%s\" is a parameter, one value for all years: compare a variable"), written);
            continue;
        }
        if (model_slot_is_rate(ms)) {
            status = scenario_error(s, d, v, here,
                                    _("\"%s\" is a rate: peers compare levels (like fiscal_revenue), whose growth and "
                                    "trends they derive"),
                                    written);
            continue;
        }
        int twice = 0;
        for (size_t k = 0; k < spec->variable_count && !twice; k++)
            twice = !strcmp(spec->variables[k], ms->name);
        if (twice) {
            status = scenario_error(s, d, v, here, _("\"%s\" is listed twice"), written);
            continue;
        }
        spec->variables[spec->variable_count++] = ms->name; /* the model outlives the spec */
    }
    return status;
}

static int peers_parse_rules(peers_spec *spec, const run *r, const cJSON *block, diag *d)
{
    const scenario *s = r->scenario;
    int status = DIAG_OK;
    const cJSON *growth = cJSON_GetObjectItemCaseSensitive(block, "growth");
    if (growth) {
        status = peers_parse_rule(s, growth, "$.peers.growth", &spec->default_rule, d);
    } else {
        memset(&spec->default_rule, 0, sizeof spec->default_rule);
        spec->default_rule.kind = PEERS_RULE_TREND;
        spec->default_rule.file = scenario_origin(s, block);
        snprintf(spec->default_rule.json_path, sizeof spec->default_rule.json_path, "$.peers");
    }
    const cJSON *by_place = cJSON_GetObjectItemCaseSensitive(block, "by_place");
    if (!by_place)
        return status;
    if (!cJSON_IsObject(by_place))
        return scenario_error(s, d, by_place, "$.peers.by_place",
                              _("\"by_place\" must be an object like {\"辉县市\": \"last\"}, not %s"),
                              jsonfile_type_name(by_place));
    for (const cJSON *p = by_place->child; p; p = p->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, "$.peers.by_place", p->string);
        size_t k = 0;
        while (k < spec->peer_count && strcmp(spec->peer_names[k], p->string))
            k++;
        if (k == spec->peer_count) {
            const char *hint = text_suggest(p->string, spec->peer_names, spec->peer_count);
            size_t len = strlen(p->string);
            for (size_t i = 0; i < spec->peer_count && !hint && len; i++)
                if (!strncmp(spec->peer_names[i], p->string, len))
                    hint = spec->peer_names[i];
            if (hint)
                status = scenario_error(s, d, p, here, _("\"%s\" is not one of \"places\" (did you mean \"%s\"?)"),
                                        p->string, hint);
            else
                status = scenario_error(s, d, p, here, _("\"%s\" is not one of \"places\": add it there to compare it"),
                                        p->string);
            continue;
        }
        if (peers_parse_rule(s, p, here, &spec->rules[k], d) != DIAG_OK)
            status = d->status;
    }
    return status;
}

int peers_load(const run *r, peers_spec **out, diag *d)
{
    *out = NULL;
    const scenario *s = r->scenario;
    const cJSON *block = s->peers;
    if (!block)
        return DIAG_OK;
    if (!r->history || !s->history_place)
        return scenario_error(s, d, block, "$.peers",
                              _("peers are compared with the scenario's history place, but the scenario has no "
                              "\"history\""));
    peers_spec *spec = mem_calloc(1, sizeof *spec);
    peers_strings *strings = mem_calloc(1, sizeof *strings);
    if (!spec || !strings) {
        mem_free(spec);
        mem_free(strings);
        return diag_oom(d, _("reading the peers block"));
    }
    spec->owned = strings;
    spec->home = peers_keep(spec, s->history_place);
    if (!spec->home) {
        peers_spec_free(spec);
        return diag_oom(d, _("reading the peers block"));
    }
    int status = peers_load_registry(spec, r->history, d);
    if (status != DIAG_OK) {
        peers_spec_free(spec);
        return status;
    }
    for (const cJSON *k = block->child; k; k = k->next) {
        size_t i = 0;
        while (peers_block_keys[i] && strcmp(peers_block_keys[i], k->string))
            i++;
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, "$.peers", k->string);
        if (peers_block_keys[i])
            continue;
        if (jsonfile_is_english_key(k->string, peers_block_keys)) {
            if (!cJSON_IsString(k))
                status = scenario_error(s, d, k, here, _("\"%s\" (the English form of \"note\") must be a string, not %s"),
                                        k->string, jsonfile_type_name(k));
            continue;
        }
        size_t known = sizeof peers_block_keys / sizeof *peers_block_keys - 1;
        const char *hint = text_suggest(k->string, peers_block_keys, known);
        if (hint)
            status = scenario_error(s, d, k, here, _("unknown key \"%s\" in peers (did you mean \"%s\"?)"), k->string,
                                    hint);
        else
            status = scenario_error(s, d, k, here,
                                    _("unknown key \"%s\" in peers (known: places, variables, growth, by_place, from, "
                                    "catch_up_by, note)"),
                                    k->string);
    }
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(block, "note");
    if (note && !cJSON_IsString(note))
        status = scenario_error(s, d, note, "$.peers.note", _("\"note\" must be a string, not %s"),
                                jsonfile_type_name(note));
    else if (note && !(spec->note = mem_strdup(i18n_pick(note->valuestring, jsonfile_english(block, "note")))))
        status = diag_oom(d, _("reading the peers block"));
    /* each part on its own, so every mistake of the block is reported */
    if (status != DIAG_SOFTWARE && peers_parse_places(spec, r, block, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && peers_parse_variables(spec, r, block, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && spec->rules && peers_parse_rules(spec, r, block, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && (peers_parse_year(s, block, "from", &spec->from, d) != DIAG_OK ||
                                    peers_parse_year(s, block, "catch_up_by", &spec->catch_up_by, d) != DIAG_OK))
        status = d->status;
    if (spec->from && spec->from > s->start - 1)
        status = scenario_error(s, d, cJSON_GetObjectItemCaseSensitive(block, "from"), "$.peers.from",
                                _("\"from\" %d must come before start (%d): the comparison starts in history"),
                                spec->from, s->start);
    if (spec->catch_up_by && (spec->catch_up_by < s->start || spec->catch_up_by > s->end))
        status = scenario_error(s, d, cJSON_GetObjectItemCaseSensitive(block, "catch_up_by"), "$.peers.catch_up_by",
                                _("\"catch_up_by\" %d is outside the scenario's %d-%d"), spec->catch_up_by, s->start,
                                s->end);
    if (!spec->catch_up_by)
        spec->catch_up_by = s->end;
    if (status != DIAG_OK) {
        peers_spec_free(spec);
        return status;
    }
    *out = spec;
    return DIAG_OK;
}
