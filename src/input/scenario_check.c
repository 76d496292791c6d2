/* scenario_check.c: the checks of one scenario file on its own, before the extends merge
 * (scenario_internal.h): known keys, types, years and year keys, the forms of series, bounds
 * and the blocks other modules read; then its paths are rewritten relative to it. So an error
 * names the file that holds it, in JSON-path form. */
#include "scenario_internal.h"
#include "i18n.h"
#include "mem.h"
#include "search_path.h"
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
/* Checks of one file, before merging                                                         */

static const char *const scenario_keys[] = {
    "name", "title", "note", "extends", "model", "history", "start", "end", "as_of",
    "initial", "assumptions", "bounds", "goals", "peers", "uncertainty", "sweep", "charts", NULL};
static const char *const scenario_history_keys[] = {"file", "place", "note", NULL};
static const char *const scenario_series_keys[] = {"value", "values", "note", NULL};

/* Keys that describe a file itself rather than the scenario it sets up: a child that does not
 * give them must not inherit its base's, or its results would land in out/<base name>/ and
 * overwrite the base's, under the base's title. */
static const char *const scenario_own_keys[] = {"name", "title", "note", "title_en", "note_en", NULL};

int scenario_is_own_key(const char *key)
{
    for (size_t i = 0; scenario_own_keys[i]; i++)
        if (!strcmp(key, scenario_own_keys[i]))
            return 1;
    return 0;
}

cJSON *scenario_member(const cJSON *object, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(object, key);
}

/* A string member, when present; `nonempty` for members that name files or places. */
static int scenario_check_string(const cJSON *object, const char *key, int nonempty, const char *file,
                                 const char *parent_path, diag *d)
{
    const cJSON *item = scenario_member(object, key);
    if (!item)
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, parent_path, key);
    if (!cJSON_IsString(item) || !item->valuestring)
        return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" must be a string, not %s"), key,
                               jsonfile_type_name(item));
    if (nonempty && !item->valuestring[0])
        return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" must not be empty"), key);
    return DIAG_OK;
}

static int scenario_check_year(const cJSON *object, const char *key, const char *file, diag *d)
{
    const cJSON *item = scenario_member(object, key);
    if (!item)
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, "$", key);
    if (!cJSON_IsNumber(item))
        return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" must be an integer year, not %s"), key,
                               jsonfile_type_name(item));
    double year = item->valuedouble;
    if (year != floor(year))
        return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" must be an integer year, not %g"), key, year);
    if (year < SCENARIO_MIN_YEAR || year > SCENARIO_MAX_YEAR)
        return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" year %g is outside %d..%d"), key, year,
                               SCENARIO_MIN_YEAR, SCENARIO_MAX_YEAR);
    return DIAG_OK;
}

int scenario_parse_year_key(const char *key, long *from, long *to)
{
    const char *p = key;
    long years[2] = {0, 0};
    int count = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        int digits = 0;
        long year = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 9) /* more digits are out of range anyway; avoid overflow */
                year = year * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (digits == 0)
            return 0;
        years[count++] = digits > 9 ? 999999999L : year;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (*p != '-' || count == 2)
            return 0;
        p++;
    }
    *from = years[0];
    *to = count == 2 ? years[1] : years[0];
    return 1;
}

/* Checks a year key and returns its span in *from and *to. */
static int scenario_check_year_key(const char *key, const char *file, const char *path, long *from, long *to,
                                   diag *d)
{
    if (!scenario_parse_year_key(key, from, to)) {
        const char *hint = text_suggest(key, scenario_series_keys, 3);
        if (hint)
            return diag_error_json(d, DIAG_DATA, file, path,
                                   _("bad year key \"%s\": expected a year like \"2023\" or a range like "
                                   "\"2024-2030\" (or did you mean \"%s\"?)"),
                                   key, hint);
        return diag_error_json(d, DIAG_DATA, file, path,
                               _("bad year key \"%s\": expected a year like \"2023\" or a range like \"2024-2030\""),
                               key);
    }
    long bad = *from < SCENARIO_MIN_YEAR || *from > SCENARIO_MAX_YEAR ? *from
               : *to < SCENARIO_MIN_YEAR || *to > SCENARIO_MAX_YEAR   ? *to
                                                                      : 0;
    if (bad)
        return diag_error_json(d, DIAG_DATA, file, path, _("year %ld in \"%s\" is outside %d..%d"), bad, key,
                               SCENARIO_MIN_YEAR, SCENARIO_MAX_YEAR);
    if (*from > *to)
        return diag_error_json(d, DIAG_DATA, file, path, _("bad year range \"%s\": %ld is after %ld"), key, *from, *to);
    return DIAG_OK;
}

static int scenario_check_value(const cJSON *item, const char *file, const char *path, diag *d)
{
    double value;
    if (jsonfile_number(item, &value))
        return DIAG_OK;
    if (cJSON_IsString(item) && item->valuestring)
        return diag_error_json(d, DIAG_DATA, file, path,
                               _("\"%.80s\" is not a number (write 0.08 or \"8%%\")"), item->valuestring);
    if (cJSON_IsNumber(item))
        return diag_error_json(d, DIAG_DATA, file, path, _("number is out of range (must be finite)"));
    return diag_error_json(d, DIAG_DATA, file, path, _("a value must be a number or a percentage like \"8%%\", not %s"),
                           jsonfile_type_name(item));
}

static int scenario_check_values(const cJSON *array, const char *file, const char *path, diag *d)
{
    size_t index = 0;
    int status = DIAG_OK;
    for (const cJSON *c = array->child; c; c = c->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, path, index);
        if (scenario_check_value(c, file, here, d) != DIAG_OK)
            status = d->status;
    }
    return status;
}

/* The shape of one series as written in one file; whether it is complete (has values, has
 * the `start` an array needs) is decided after merging, since a child may give only part. */
static int scenario_check_series(const cJSON *series, int initial, const char *file, const char *path, diag *d)
{
    const char *initial_array =
        N_("an initial value is a constant (the value in the year before \"start\") or an object of years; "
        "an array runs from \"start\" on, so it cannot give initial values");
    if (cJSON_IsNumber(series) || cJSON_IsString(series))
        return scenario_check_value(series, file, path, d);
    if (cJSON_IsArray(series)) {
        if (initial)
            return diag_error_json(d, DIAG_DATA, file, path, "%s", _(initial_array));
        return scenario_check_values(series, file, path, d);
    }
    if (!cJSON_IsObject(series))
        return diag_error_json(d, DIAG_DATA, file, path,
                               _("a series must be a number, a percentage like \"8%%\", an object of years or an "
                               "array, not %s"),
                               jsonfile_type_name(series));
    int status = DIAG_OK;
    for (const cJSON *c = series->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, key);
        if (!strcmp(key, "note") || !strcmp(key, "note_en")) {
            if (!cJSON_IsString(c))
                status = diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" must be a string, not %s"), key,
                                         jsonfile_type_name(c));
        } else if (!strcmp(key, "value")) {
            if (scenario_check_value(c, file, here, d) != DIAG_OK)
                status = d->status;
        } else if (!strcmp(key, "values")) {
            if (initial)
                status = diag_error_json(d, DIAG_DATA, file, here, "%s", _(initial_array));
            else if (!cJSON_IsArray(c))
                status = diag_error_json(d, DIAG_DATA, file, here, _("\"values\" must be an array, not %s"),
                                         jsonfile_type_name(c));
            else if (scenario_check_values(c, file, here, d) != DIAG_OK)
                status = d->status;
        } else {
            long from, to;
            if (scenario_check_year_key(key, file, here, &from, &to, d) != DIAG_OK) {
                status = d->status;
                continue;
            }
            if (scenario_check_value(c, file, here, d) != DIAG_OK)
                status = d->status;
        }
    }
    return status;
}

static int scenario_check_section(const cJSON *root, const char *key, int initial, const char *file, diag *d)
{
    const cJSON *section = scenario_member(root, key);
    if (!section)
        return DIAG_OK;
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, "$", key);
    if (!cJSON_IsObject(section))
        return diag_error_json(d, DIAG_DATA, file, path,
                               _("\"%s\" must be an object of series like {\"gdp_real_growth\": \"6%%\"}, not %s"), key,
                               jsonfile_type_name(section));
    int status = DIAG_OK;
    for (const cJSON *c = section->child; c; c = c->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, c->string ? c->string : "");
        if (!c->string || !c->string[0])
            status = diag_error_json(d, DIAG_DATA, file, here, _("a series needs a name"));
        else if (scenario_check_series(c, initial, file, here, d) != DIAG_OK)
            status = d->status;
    }
    return status;
}

/* "bounds": {"gdp_real_growth": {"min": "-30%", "max": "30%", "note": "why"}}: ranges that
 * replace the model's for this scenario (range.h). */
static int scenario_check_bounds(const cJSON *root, const char *file, diag *d)
{
    static const char *const bound_keys[] = {"min", "max", "note", NULL};
    const cJSON *bounds = scenario_member(root, "bounds");
    if (!bounds)
        return DIAG_OK;
    if (!cJSON_IsObject(bounds))
        return diag_error_json(d, DIAG_DATA, file, "$.bounds",
                               _("\"bounds\" must be an object like {\"gdp_real_growth\": {\"min\": \"-30%%\", \"max\": "
                               "\"30%%\", \"note\": \"why\"}}, not %s"),
                               jsonfile_type_name(bounds));
    int status = DIAG_OK;
    for (const cJSON *c = bounds->child; c; c = c->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, "$.bounds", c->string ? c->string : "");
        if (!cJSON_IsObject(c)) {
            status = diag_error_json(d, DIAG_DATA, file, here,
                                     _("a bound is an object like {\"min\": \"-30%%\", \"max\": \"30%%\"}, not %s"),
                                     jsonfile_type_name(c));
            continue;
        }
        if (jsonfile_check_keys(c, bound_keys, file, here, _("bounds"), d) != DIAG_OK)
            status = d->status;
        const cJSON *min = scenario_member(c, "min"), *max = scenario_member(c, "max");
        if (!min && !max)
            status = diag_error_json(d, DIAG_DATA, file, here, _("a bound needs \"min\", \"max\" or both"));
        double lo = -INFINITY, hi = INFINITY;
        char at[JSONFILE_PATH_MAX];
        if (min) {
            jsonfile_path_key(at, here, "min");
            if (scenario_check_value(min, file, at, d) != DIAG_OK)
                status = d->status;
            else
                jsonfile_number(min, &lo);
        }
        if (max) {
            jsonfile_path_key(at, here, "max");
            if (scenario_check_value(max, file, at, d) != DIAG_OK)
                status = d->status;
            else
                jsonfile_number(max, &hi);
        }
        if (lo >= hi)
            status = diag_error_json(d, DIAG_DATA, file, here, _("min %g is not below max %g"), lo, hi);
        if (scenario_check_string(c, "note", 0, file, here, d) != DIAG_OK)
            status = d->status;
    }
    return status;
}

/* A block kept as JSON for another module: only its type is checked here. */
static int scenario_check_block(const cJSON *root, const char *key, int want_array, const char *file, diag *d)
{
    const cJSON *block = scenario_member(root, key);
    if (!block || (want_array ? cJSON_IsArray(block) : cJSON_IsObject(block)))
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, "$", key);
    return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" must be %s, not %s"), key,
                           want_array ? _("an array") : _("an object"), jsonfile_type_name(block));
}

/* Replaces a path string (at json_path of `file`) by the file it names: relative to `file`, or
 * found on the search path (search_path.h), which is then recorded in s->found. Anything but
 * a non-empty string is left as it is (and reported by the checks). */
static int scenario_rewrite_path(scenario *s, cJSON *item, const char *file, const char *json_path, diag *d)
{
    if (!cJSON_IsString(item) || !item->valuestring || !item->valuestring[0])
        return DIAG_OK;
    search_path_hit hit;
    int status = search_path_find(file, json_path, item->valuestring, &hit, d);
    if (status != DIAG_OK) {
        /* an ambiguous name is followed no further (an extends would otherwise be read from
         * wherever the name happens to point) */
        if (status == DIAG_DATA && !cJSON_SetValuestring(item, ""))
            return diag_oom(d, _("resolving a path"));
        return status;
    }
    if (hit.via != SEARCH_PATH_AS_WRITTEN) {
        scenario_found *grown = mem_realloc(s->found, (s->found_count + 1) * sizeof *grown);
        if (!grown) {
            search_path_hit_release(&hit);
            return diag_oom(d, _("resolving a path"));
        }
        s->found = grown;
        scenario_found *f = &s->found[s->found_count];
        f->file = file;
        f->json_path = mem_strdup(json_path);
        f->written = mem_strdup(item->valuestring);
        f->path = mem_strdup(hit.path);
        f->folder = mem_strdup(hit.folder);
        f->via = (int)hit.via;
        s->found_count++;
        if (!f->json_path || !f->written || !f->path || !f->folder) {
            search_path_hit_release(&hit);
            return diag_oom(d, _("resolving a path"));
        }
    }
    char *stored = cJSON_SetValuestring(item, hit.path);
    search_path_hit_release(&hit);
    if (!stored)
        return diag_oom(d, _("resolving a path"));
    return DIAG_OK;
}

/* Checks one file of the chain on its own and resolves its paths relative to it. Every
 * mistake is reported; the paths are resolved only in a file without any. */
int scenario_check_file(scenario *s, cJSON *root, const char *file, diag *d)
{
    if (!cJSON_IsObject(root))
        return diag_error_json(d, DIAG_DATA, file, "$", _("a scenario must be a JSON object, not %s"),
                               jsonfile_type_name(root));
    int status = jsonfile_check_keys(root, scenario_keys, file, "$", _("scenario"), d);
    static const char *const strings[] = {"name", "title", "note", NULL};
    for (size_t i = 0; strings[i]; i++)
        if (scenario_check_string(root, strings[i], 0, file, "$", d) != DIAG_OK)
            status = d->status;
    if (scenario_check_string(root, "extends", 1, file, "$", d) != DIAG_OK ||
        scenario_check_string(root, "model", 1, file, "$", d) != DIAG_OK)
        status = d->status;
    cJSON *history = scenario_member(root, "history");
    if (history && !cJSON_IsObject(history)) {
        status = diag_error_json(d, DIAG_DATA, file, "$.history",
                                 _("\"history\" must be an object like {\"file\": \"observations.csv\", "
                                 "\"place\": \"...\"}, not %s"),
                                 jsonfile_type_name(history));
        history = NULL;
    } else if (history) {
        if (jsonfile_check_keys(history, scenario_history_keys, file, "$.history", _("history"), d) != DIAG_OK)
            status = d->status;
        if (scenario_check_string(history, "file", 1, file, "$.history", d) != DIAG_OK ||
            scenario_check_string(history, "place", 1, file, "$.history", d) != DIAG_OK ||
            scenario_check_string(history, "note", 0, file, "$.history", d) != DIAG_OK)
            status = d->status;
    }
    if (scenario_check_year(root, "start", file, d) != DIAG_OK)
        status = d->status;
    if (scenario_check_year(root, "end", file, d) != DIAG_OK)
        status = d->status;
    if (scenario_check_year(root, "as_of", file, d) != DIAG_OK)
        status = d->status;
    if (scenario_check_section(root, "initial", 1, file, d) != DIAG_OK)
        status = d->status;
    if (scenario_check_section(root, "assumptions", 0, file, d) != DIAG_OK)
        status = d->status;
    if (scenario_check_bounds(root, file, d) != DIAG_OK)
        status = d->status;
    if (scenario_check_block(root, "goals", 1, file, d) != DIAG_OK ||
        scenario_check_block(root, "peers", 0, file, d) != DIAG_OK ||
        scenario_check_block(root, "uncertainty", 0, file, d) != DIAG_OK ||
        scenario_check_block(root, "sweep", 0, file, d) != DIAG_OK ||
        scenario_check_block(root, "charts", 0, file, d) != DIAG_OK)
        status = d->status;
    /* paths are resolved even in a file with mistakes, so the chain goes on to its base and
     * that base's mistakes are reported in the same run */
    if (scenario_rewrite_path(s, scenario_member(root, "extends"), file, "$.extends", d) != DIAG_OK ||
        scenario_rewrite_path(s, scenario_member(root, "model"), file, "$.model", d) != DIAG_OK ||
        scenario_rewrite_path(s, history ? scenario_member(history, "file") : NULL, file, "$.history.file", d) !=
            DIAG_OK)
        return d->status;
    /* a string in "goals" names a goal file (read by the goals module), relative to this file */
    cJSON *goals = scenario_member(root, "goals");
    size_t index = 0;
    for (cJSON *c = cJSON_IsArray(goals) ? goals->child : NULL; c; c = c->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, "$.goals", index);
        if (scenario_rewrite_path(s, c, file, here, d) != DIAG_OK)
            return d->status;
    }
    return status;
}
