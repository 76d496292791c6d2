/* scenario_fill.c: the scenario struct filled from the merged tree (scenario_internal.h):
 * name, title and years, initial values and assumptions as series with the file, JSON path
 * and note of every value, and the bounds. */
#include "scenario_internal.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------------------------------ */
/* Filling the struct from the merged tree                                                    */

/* Why `name` cannot serve as an output folder name, written to why[size]; 0 when it can. */
static int scenario_slug_problem(const char *name, char *why, size_t size)
{
    size_t length = strlen(name);
    if (length == 0) {
        snprintf(why, size, "%s", _("it is empty"));
        return 1;
    }
    if (length > SCENARIO_MAX_NAME) {
        snprintf(why, size, _("it is %zu characters long, at most %d are allowed"), length, SCENARIO_MAX_NAME);
        return 1;
    }
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
            c == '-')
            continue;
        if (c >= 0x21 && c < 0x7F)
            snprintf(why, size, _("it contains '%c'; use only letters A-Z a-z, digits, '.', '_' and '-'"), c);
        else
            snprintf(why, size, "%s",
                     _("it contains a space, control or non-ASCII character; use only letters A-Z a-z, "
                       "digits, '.', '_' and '-'"));
        return 1;
    }
    if (name[0] == '.') {
        snprintf(why, size, "%s", _("it starts with '.'"));
        return 1;
    }
    if (strstr(name, "..")) {
        snprintf(why, size, "%s", _("it contains \"..\""));
        return 1;
    }
    return 0;
}

static int scenario_fill_name(scenario *s, diag *d)
{
    char why[160];
    const cJSON *name = scenario_member(s->root, "name");
    if (name) {
        if (scenario_slug_problem(name->valuestring, why, sizeof why))
            return scenario_error(s, d, name, "$.name",
                                  _("bad name \"%.80s\": %s (the name becomes an output folder name)"),
                                  name->valuestring, why);
        s->name = mem_strdup(name->valuestring);
    } else {
        /* the file's base name without ".json" */
        const char *base = strrchr(s->path, '/');
        base = base ? base + 1 : s->path;
        size_t length = strlen(base);
        if (length > 5 && !strcmp(base + length - 5, ".json"))
            length -= 5;
        s->name = mem_strndup(base, length);
        if (!s->name)
            return diag_oom(d, _("loading a scenario"));
        if (scenario_slug_problem(s->name, why, sizeof why))
            return diag_error_json(d, DIAG_DATA, s->path, "$",
                                   _("no \"name\" is given and the file name \"%.80s\" cannot stand in for one: %s "
                                   "(the name becomes an output folder name); add a \"name\""),
                                   s->name, why);
    }
    if (!s->name)
        return diag_oom(d, _("loading a scenario"));
    return DIAG_OK;
}

/* Copies an optional string member into *out (left NULL when absent). */
static int scenario_copy_string(const cJSON *object, const char *key, char **out, diag *d)
{
    const cJSON *item = object ? scenario_member(object, key) : NULL;
    if (!item)
        return DIAG_OK;
    *out = mem_strdup(item->valuestring);
    return *out ? DIAG_OK : diag_oom(d, _("loading a scenario"));
}

/* Copies the English form "KEY_en" of a member into *out (left NULL when absent). */
static int scenario_copy_english(const cJSON *object, const char *key, char **out, diag *d)
{
    const char *text = jsonfile_english(object, key);
    if (!text)
        return DIAG_OK;
    *out = mem_strdup(text);
    return *out ? DIAG_OK : diag_oom(d, _("loading a scenario"));
}

static int scenario_fill_years(scenario *s, diag *d)
{
    const cJSON *start = scenario_member(s->root, "start"), *end = scenario_member(s->root, "end");
    const cJSON *as_of = scenario_member(s->root, "as_of");
    if (as_of)
        s->as_of = (int)as_of->valuedouble;
    if (start)
        s->start = (int)start->valuedouble;
    if (end)
        s->end = (int)end->valuedouble;
    if (start && end && s->start > s->end)
        return scenario_error(s, d, start, "$.start", _("start %d is after end %d"), s->start, s->end);
    if (start && end && s->end - s->start + 1 > SCENARIO_MAX_HORIZON)
        return scenario_error(s, d, end, "$.end", _("the horizon %d..%d is %d years; at most %d are allowed"), s->start,
                              s->end, s->end - s->start + 1, SCENARIO_MAX_HORIZON);
    return DIAG_OK;
}

/* How many values an array from `start` may hold: up to `end`, or the horizon cap. */
static size_t scenario_array_limit(const scenario *s)
{
    int limit = s->end ? s->end - s->start + 1 : SCENARIO_MAX_HORIZON;
    if (s->start + limit - 1 > SCENARIO_MAX_YEAR)
        limit = SCENARIO_MAX_YEAR - s->start + 1;
    return limit > 0 ? (size_t)limit : 0;
}

/* Checks that an array of values (a series, or its "values") fits from start; returns its size. */
static int scenario_check_array_fits(const scenario *s, const cJSON *array, const char *path, size_t *count,
                                     diag *d)
{
    size_t n = (size_t)cJSON_GetArraySize(array);
    if (!s->start)
        return scenario_error(s, d, array, path,
                              _("an array gives one value a year from \"start\", but no \"start\" is given"));
    size_t limit = scenario_array_limit(s);
    if (n > limit) {
        if (s->end)
            return scenario_error(s, d, array, path, _("%zu values from %d run past \"end\" %d (%zu years)"), n,
                                  s->start, s->end, limit);
        return scenario_error(s, d, array, path, _("%zu values from %d are more than the %zu years allowed"), n,
                              s->start, limit);
    }
    *count = n;
    return DIAG_OK;
}

static double scenario_value_of(const cJSON *item)
{
    double value = 0;
    jsonfile_number(item, &value); /* checked when the file was loaded */
    return value;
}

static int scenario_is_percent(const cJSON *item)
{
    return cJSON_IsString(item) && item->valuestring && strchr(item->valuestring, '%') != NULL;
}

/* The index of `file` (one of the extends_chain strings, as the origins table holds them). */
static size_t scenario_file_index(const scenario *s, const char *file)
{
    for (size_t i = 0; i < s->extends_count; i++)
        if (s->extends_chain[i] == file)
            return i;
    return 0;
}

/* Records where `item` was written into *source: its file, path and that file's note. */
static int scenario_set_source(const scenario *s, const scenario_series *series, const char *section_path,
                               const cJSON *item, const char *path, scenario_source *source, diag *d)
{
    source->file = scenario_origin(s, item);
    size_t index = scenario_file_index(s, source->file);
    source->note = series->file_notes ? series->file_notes[index] : NULL;
    source->note_en = series->file_notes_en ? series->file_notes_en[index] : NULL;
    source->percent = scenario_is_percent(item);
    /* the merged series carries the child's key; a base may have written the name another
     * way (the name where the child wrote a label): point at the key of the file that wrote it */
    const char *key = series->file_keys ? series->file_keys[index] : NULL;
    char fixed[JSONFILE_PATH_MAX];
    size_t prefix = strlen(series->json_path);
    if (key && strcmp(key, series->written) != 0 && !strncmp(path, series->json_path, prefix)) {
        jsonfile_path_key(fixed, section_path, key);
        size_t used = strlen(fixed);
        snprintf(fixed + used, sizeof fixed - used, "%s", path + prefix);
        path = fixed;
    }
    source->json_path = mem_strdup(path);
    return source->json_path ? DIAG_OK : diag_oom(d, _("loading a scenario"));
}

static int scenario_add_array(const scenario *s, scenario_series *series, const char *section_path,
                              const cJSON *array, const char *path, int start, diag *d)
{
    int year = start;
    size_t index = 0;
    for (const cJSON *c = array->child; c; c = c->next, year++, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, path, index);
        scenario_span *span = &series->spans[series->span_count];
        span->from = span->to = year;
        span->value = scenario_value_of(c);
        if (scenario_set_source(s, series, section_path, c, here, &series->sources[series->span_count++], d) !=
            DIAG_OK)
            return d->status;
    }
    return DIAG_OK;
}

/* The names, file and per-file notes and keys of a series (node, in section_path). */
static int scenario_series_names(scenario *s, const scenario_fill_context *ctx, const cJSON *node,
                                 const char *section_path, int initial, scenario_series *out, diag *d)
{
    jsonfile_path_key(out->json_path, section_path, node->string);
    out->name = mem_strdup(scenario_canonical(ctx->resolver, node->string));
    out->written = mem_strdup(node->string);
    const char *origin = scenario_origin(s, node);
    out->file = mem_strdup(origin ? origin : s->path);
    out->file_notes = mem_calloc(s->extends_count, sizeof *out->file_notes);
    out->file_notes_en = mem_calloc(s->extends_count, sizeof *out->file_notes_en);
    out->file_keys = mem_calloc(s->extends_count, sizeof *out->file_keys);
    if (!out->name || !out->written || !out->file || !out->file_notes || !out->file_notes_en || !out->file_keys)
        return diag_oom(d, _("loading a scenario"));
    for (size_t i = 0; i < ctx->note_count; i++) {
        const scenario_file_note *n = &ctx->notes[i];
        if (n->initial != initial || strcmp(n->name, out->name) || n->file >= s->extends_count)
            continue;
        if ((n->note && !out->file_notes[n->file] && !(out->file_notes[n->file] = mem_strdup(n->note))) ||
            (n->note_en && !out->file_notes_en[n->file] && !(out->file_notes_en[n->file] = mem_strdup(n->note_en))) ||
            (!out->file_keys[n->file] && !(out->file_keys[n->file] = mem_strdup(n->written))))
            return diag_oom(d, _("loading a scenario"));
    }
    return DIAG_OK;
}

/* How many spans a series written at `path` has (year keys, "values" elements; not the
 * constant), and its constant node (the node itself for a plain value, its "value", or NULL). */
static int scenario_series_count(const scenario *s, const cJSON *node, const char *path, size_t *count,
                                 const cJSON **constant_out, diag *d)
{
    /* how many spans: year keys, "values" elements, and an initial constant's year */
    size_t spans = 0;
    const cJSON *constant = NULL;
    if (cJSON_IsArray(node)) {
        if (scenario_check_array_fits(s, node, path, &spans, d) != DIAG_OK)
            return d->status;
    } else if (cJSON_IsObject(node)) {
        for (const cJSON *c = node->child; c; c = c->next) {
            if (!strcmp(c->string, "value")) {
                constant = c;
            } else if (!strcmp(c->string, "values")) {
                char here[JSONFILE_PATH_MAX];
                jsonfile_path_key(here, path, "values");
                size_t n;
                if (scenario_check_array_fits(s, c, here, &n, d) != DIAG_OK)
                    return d->status;
                spans += n;
            } else if (strcmp(c->string, "note") != 0 && strcmp(c->string, "note_en") != 0) {
                spans++;
            }
        }
    } else {
        constant = node;
    }
    *count = spans;
    *constant_out = constant;
    return DIAG_OK;
}

/* The spans of a series: an array from start, or a year map with "values" and "note". */
static int scenario_series_spans(scenario *s, scenario_series *out, const char *section_path, const cJSON *node,
                                 const char *path, diag *d)
{
    if (cJSON_IsArray(node)) {
        if (scenario_add_array(s, out, section_path, node, path, s->start, d) != DIAG_OK)
            return d->status;
    } else if (cJSON_IsObject(node)) {
        for (const cJSON *c = node->child; c; c = c->next) {
            char here[JSONFILE_PATH_MAX];
            jsonfile_path_key(here, path, c->string);
            if (!strcmp(c->string, "value")) {
                continue;
            } else if (!strcmp(c->string, "values")) {
                if (scenario_add_array(s, out, section_path, c, here, s->start, d) != DIAG_OK)
                    return d->status;
            } else if (!strcmp(c->string, "note") || !strcmp(c->string, "note_en")) {
                char **text = !strcmp(c->string, "note") ? &out->note : &out->note_en;
                *text = mem_strdup(c->valuestring);
                if (!*text)
                    return diag_oom(d, _("loading a scenario"));
            } else {
                long from = 0, to = 0;
                scenario_parse_year_key(c->string, &from, &to); /* checked when the file was loaded */
                scenario_span *span = &out->spans[out->span_count];
                span->from = (int)from;
                span->to = (int)to;
                span->value = scenario_value_of(c);
                if (scenario_set_source(s, out, section_path, c, here, &out->sources[out->span_count++], d) != DIAG_OK)
                    return d->status;
            }
        }
    }
    return DIAG_OK;
}

/* Builds one series (into *out, zeroed by the caller; partial state is freed by the caller). */
static int scenario_build_series(scenario *s, const scenario_fill_context *ctx, const cJSON *node,
                                 const char *section_path, int initial, scenario_series *out, diag *d)
{
    if (scenario_series_names(s, ctx, node, section_path, initial, out, d) != DIAG_OK)
        return d->status;
    const char *path = out->json_path;
    size_t spans = 0;
    const cJSON *constant = NULL;
    if (scenario_series_count(s, node, path, &spans, &constant, d) != DIAG_OK)
        return d->status;
    if (spans == 0 && !constant)
        return scenario_error(s, d, node, path,
                              _("\"%s\" gives no values: add years like \"2023\", a \"value\" or \"values\""),
                              node->string);
    char constant_path[JSONFILE_PATH_MAX];
    if (constant == node)
        snprintf(constant_path, sizeof constant_path, "%s", path);
    else
        jsonfile_path_key(constant_path, path, "value");
    if (constant && initial) {
        /* an initial constant is the value of the year before start: the one first lags read */
        if (!s->start)
            return scenario_error(s, d, constant, constant_path,
                                  _("an initial constant is the value in the year before \"start\", but no "
                                  "\"start\" is given (or write years, like {\"2022\": ...})"));
        spans++;
    }
    if (spans) {
        out->spans = mem_calloc(spans, sizeof *out->spans);
        out->sources = mem_calloc(spans, sizeof *out->sources);
        if (!out->spans || !out->sources)
            return diag_oom(d, _("loading a scenario"));
    }
    if (constant && initial) {
        out->spans[0].from = out->spans[0].to = s->start - 1;
        out->spans[0].value = scenario_value_of(constant);
        out->initial_constant = 1;
        if (scenario_set_source(s, out, section_path, constant, constant_path, &out->sources[out->span_count++], d) != DIAG_OK)
            return d->status;
    } else if (constant) {
        out->has_constant = 1;
        out->constant = scenario_value_of(constant);
        if (scenario_set_source(s, out, section_path, constant, constant_path, &out->constant_source, d) != DIAG_OK)
            return d->status;
    }
    return scenario_series_spans(s, out, section_path, node, path, d);
}

static int scenario_fill_section(scenario *s, const scenario_fill_context *ctx, const char *key, int initial,
                                 scenario_series **list, size_t *count, diag *d)
{
    const cJSON *section = scenario_member(s->root, key);
    if (!section)
        return DIAG_OK;
    size_t n = (size_t)cJSON_GetArraySize(section);
    if (n == 0)
        return DIAG_OK;
    *list = mem_calloc(n, sizeof **list);
    if (!*list)
        return diag_oom(d, _("loading a scenario"));
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, "$", key);
    int status = DIAG_OK;
    for (const cJSON *c = section->child; c; c = c->next) {
        scenario_series *series = &(*list)[(*count)++]; /* counted first, so a failure frees it */
        if (scenario_build_series(s, ctx, c, path, initial, series, d) != DIAG_OK)
            status = d->status;
        if (status == DIAG_SOFTWARE)
            return status;
    }
    return status;
}

static int scenario_fill_bounds(scenario *s, const scenario_fill_context *ctx, diag *d)
{
    const cJSON *bounds = scenario_member(s->root, "bounds");
    size_t n = bounds ? (size_t)cJSON_GetArraySize(bounds) : 0;
    if (n == 0)
        return DIAG_OK;
    if (!(s->bounds = mem_calloc(n, sizeof *s->bounds)))
        return diag_oom(d, _("loading a scenario"));
    for (const cJSON *c = bounds->child; c; c = c->next) {
        scenario_bound *b = &s->bounds[s->bound_count++];
        b->min = -INFINITY;
        b->max = INFINITY;
        const cJSON *min = scenario_member(c, "min"), *max = scenario_member(c, "max"),
                    *note = scenario_member(c, "note"), *note_en = scenario_member(c, "note_en");
        if (min)
            jsonfile_number(min, &b->min);
        if (max)
            jsonfile_number(max, &b->max);
        jsonfile_path_key(b->json_path, "$.bounds", c->string);
        b->file = scenario_origin(s, c);
        b->name = mem_strdup(scenario_canonical(ctx->resolver, c->string));
        b->written = mem_strdup(c->string);
        if (!b->name || !b->written || (note && !(b->note = mem_strdup(note->valuestring))) ||
            (cJSON_IsString(note_en) && !(b->note_en = mem_strdup(note_en->valuestring))))
            return diag_oom(d, _("loading a scenario"));
        /* a child that gives only "max" keeps its base's "min": the merge keeps both, and
         * min < max is checked per file only */
        if (b->min >= b->max)
            return scenario_error(s, d, c, b->json_path, _("min %g is not below max %g (after merging with the base)"),
                                  b->min, b->max);
    }
    return DIAG_OK;
}

int scenario_fill(scenario *s, const scenario_fill_context *ctx, diag *d)
{
    cJSON *root = s->root;
    if (scenario_fill_years(s, d) != DIAG_OK || scenario_fill_name(s, d) != DIAG_OK)
        return d->status;
    if (scenario_copy_string(root, "title", &s->title, d) != DIAG_OK ||
        scenario_copy_string(root, "note", &s->note, d) != DIAG_OK ||
        scenario_copy_english(root, "title", &s->title_en, d) != DIAG_OK ||
        scenario_copy_english(root, "note", &s->note_en, d) != DIAG_OK ||
        scenario_copy_string(root, "model", &s->model_path, d) != DIAG_OK)
        return d->status;
    if (!s->title && !(s->title = mem_strdup(s->name)))
        return diag_oom(d, _("loading a scenario"));
    int status = DIAG_OK;
    const cJSON *history = scenario_member(root, "history");
    if (history) {
        /* checked here, not per file: a child may change only the place of its base's history */
        if (!scenario_member(history, "file"))
            status = scenario_error(s, d, history, "$.history", _("\"history\" needs \"file\" (the observations CSV)"));
        else if (!scenario_member(history, "place"))
            status = scenario_error(s, d, history, "$.history",
                                    _("\"history\" needs \"place\" (the place whose rows the run reads)"));
        else if (scenario_copy_string(history, "file", &s->history_path, d) != DIAG_OK ||
                 scenario_copy_string(history, "place", &s->history_place, d) != DIAG_OK)
            return d->status;
    }
    if (scenario_fill_section(s, ctx, "initial", 1, &s->initial, &s->initial_count, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE &&
        scenario_fill_section(s, ctx, "assumptions", 0, &s->assumptions, &s->assumption_count, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && scenario_fill_bounds(s, ctx, d) != DIAG_OK)
        status = d->status;
    s->goals = scenario_member(root, "goals");
    s->peers = scenario_member(root, "peers");
    s->uncertainty = scenario_member(root, "uncertainty");
    s->sweep = scenario_member(root, "sweep");
    s->charts = scenario_member(root, "charts");
    return status;
}
