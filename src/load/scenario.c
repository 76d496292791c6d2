/* scenario.c: loading scenario files (DESIGN §6) and their chains of `extends`.
 *
 * A planner writes a small scenario that extends a shared baseline, often in another folder.
 * Loading therefore happens in three steps: every file of the chain is read and checked on its
 * own (so an error names the file that holds it, in JSON-path form), its paths are rewritten
 * relative to itself, and then the trees are merged child over base by moving nodes, never
 * copying them. Because nodes keep their identity, a table from node to file ("origins") can
 * still say, after the merge, which file wrote any value, and later modules (goals, peers,
 * sweep) report their own errors in the right file through scenario_error.
 *
 * Everything allocated here goes through mem_*, and every failure leaves nothing behind: the
 * half-built scenario is released by scenario_free, which accepts partial state. */
#include "scenario.h"
#include "mem.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------------------------------ */
/* Origins: node -> file                                                                      */

typedef struct scenario_origin_entry {
    uintptr_t node;   /* as an integer: the table is sorted by address */
    const char *file; /* one of the scenario's extends_chain strings */
} scenario_origin_entry;

typedef struct scenario_origins {
    scenario_origin_entry *entries;
    size_t count, capacity;
} scenario_origins;

static void scenario_origins_free(scenario_origins *origins)
{
    if (!origins)
        return;
    mem_free(origins->entries);
    mem_free(origins);
}

static size_t scenario_count_nodes(const cJSON *node)
{
    size_t count = 1;
    for (const cJSON *c = node->child; c; c = c->next)
        count += scenario_count_nodes(c);
    return count;
}

static int scenario_origins_reserve(scenario_origins *origins, size_t more)
{
    if (origins->count + more <= origins->capacity)
        return 1;
    size_t wanted = origins->count + more, bytes;
    if (wanted < 2 * origins->capacity)
        wanted = 2 * origins->capacity;
    if (!mem_size_mul(wanted, sizeof *origins->entries, &bytes))
        return 0;
    scenario_origin_entry *grown = mem_realloc(origins->entries, bytes);
    if (!grown)
        return 0;
    origins->entries = grown;
    origins->capacity = wanted;
    return 1;
}

/* Appends node and its descendants; room must have been reserved. */
static void scenario_origins_push(scenario_origins *origins, const cJSON *node, const char *file)
{
    origins->entries[origins->count].node = (uintptr_t)node;
    origins->entries[origins->count].file = file;
    origins->count++;
    for (const cJSON *c = node->child; c; c = c->next)
        scenario_origins_push(origins, c, file);
}

static int scenario_origins_add_tree(scenario_origins *origins, const cJSON *tree, const char *file, diag *d)
{
    if (!scenario_origins_reserve(origins, scenario_count_nodes(tree)))
        return diag_oom(d, "loading a scenario");
    scenario_origins_push(origins, tree, file);
    return DIAG_OK;
}

static int scenario_compare_origins(const void *a, const void *b)
{
    uintptr_t x = ((const scenario_origin_entry *)a)->node, y = ((const scenario_origin_entry *)b)->node;
    return x < y ? -1 : x > y;
}

static const char *scenario_origins_find(const scenario_origins *origins, const cJSON *node)
{
    if (!origins || !node || origins->count == 0)
        return NULL;
    scenario_origin_entry key = {(uintptr_t)node, NULL};
    const scenario_origin_entry *hit =
        bsearch(&key, origins->entries, origins->count, sizeof key, scenario_compare_origins);
    return hit ? hit->file : NULL;
}

/* Records, in `kept`, the origin of every node of the merged tree. `all` (sorted) holds every
 * node of every file as loaded; the nodes that the merge dropped are freed by now, so `all`
 * may hold dangling addresses that later allocations reuse: only live nodes are looked up. */
static void scenario_origins_keep(scenario_origins *kept, const scenario_origins *all, const cJSON *node)
{
    const char *file = scenario_origins_find(all, node);
    if (file) {
        kept->entries[kept->count].node = (uintptr_t)node;
        kept->entries[kept->count].file = file;
        kept->count++;
    }
    for (const cJSON *c = node->child; c; c = c->next)
        scenario_origins_keep(kept, all, c);
}

const char *scenario_origin(const scenario *s, const cJSON *node)
{
    if (!s)
        return NULL;
    const char *file = scenario_origins_find(s->origins, node);
    return file ? file : s->path;
}

int scenario_error(const scenario *s, diag *d, const cJSON *node, const char *json_path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *file = scenario_origin(s, node);
    diag_verror_json(d, DIAG_DATA, file ? file : "(scenario)", json_path, fmt, ap);
    va_end(ap);
    return DIAG_DATA;
}

/* ------------------------------------------------------------------------------------------ */
/* Checks of one file, before merging                                                         */

static const char *const scenario_keys[] = {
    "name", "title", "note", "extends", "model", "history", "start", "end",
    "initial", "assumptions", "bounds", "goals", "peers", "uncertainty", "sweep", "charts", NULL};
static const char *const scenario_history_keys[] = {"file", "place", "note", NULL};
static const char *const scenario_series_keys[] = {"value", "values", "note", NULL};

/* Keys that describe a file itself rather than the scenario it sets up: a child that does not
 * give them must not inherit its base's, or its results would land in out/<base name>/ and
 * overwrite the base's, under the base's title. */
static const char *const scenario_own_keys[] = {"name", "title", "note", NULL};

static int scenario_is_own_key(const char *key)
{
    for (size_t i = 0; scenario_own_keys[i]; i++)
        if (!strcmp(key, scenario_own_keys[i]))
            return 1;
    return 0;
}

static cJSON *scenario_member(const cJSON *object, const char *key)
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
        return diag_error_json(d, DIAG_DATA, file, here, "\"%s\" must be a string, not %s", key,
                               jsonfile_type_name(item));
    if (nonempty && !item->valuestring[0])
        return diag_error_json(d, DIAG_DATA, file, here, "\"%s\" must not be empty", key);
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
        return diag_error_json(d, DIAG_DATA, file, here, "\"%s\" must be an integer year, not %s", key,
                               jsonfile_type_name(item));
    double year = item->valuedouble;
    if (year != floor(year))
        return diag_error_json(d, DIAG_DATA, file, here, "\"%s\" must be an integer year, not %g", key, year);
    if (year < SCENARIO_MIN_YEAR || year > SCENARIO_MAX_YEAR)
        return diag_error_json(d, DIAG_DATA, file, here, "\"%s\" year %g is outside %d..%d", key, year,
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
                                   "bad year key \"%s\": expected a year like \"2023\" or a range like "
                                   "\"2024-2030\" (or did you mean \"%s\"?)",
                                   key, hint);
        return diag_error_json(d, DIAG_DATA, file, path,
                               "bad year key \"%s\": expected a year like \"2023\" or a range like \"2024-2030\"",
                               key);
    }
    long bad = *from < SCENARIO_MIN_YEAR || *from > SCENARIO_MAX_YEAR ? *from
               : *to < SCENARIO_MIN_YEAR || *to > SCENARIO_MAX_YEAR   ? *to
                                                                      : 0;
    if (bad)
        return diag_error_json(d, DIAG_DATA, file, path, "year %ld in \"%s\" is outside %d..%d", bad, key,
                               SCENARIO_MIN_YEAR, SCENARIO_MAX_YEAR);
    if (*from > *to)
        return diag_error_json(d, DIAG_DATA, file, path, "bad year range \"%s\": %ld is after %ld", key, *from, *to);
    return DIAG_OK;
}

static int scenario_check_value(const cJSON *item, const char *file, const char *path, diag *d)
{
    double value;
    if (jsonfile_number(item, &value))
        return DIAG_OK;
    if (cJSON_IsString(item) && item->valuestring)
        return diag_error_json(d, DIAG_DATA, file, path,
                               "\"%.80s\" is not a number (write 0.08 or \"8%%\")", item->valuestring);
    if (cJSON_IsNumber(item))
        return diag_error_json(d, DIAG_DATA, file, path, "number is out of range (must be finite)");
    return diag_error_json(d, DIAG_DATA, file, path, "a value must be a number or a percentage like \"8%%\", not %s",
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
    static const char initial_array[] =
        "an initial value is a constant (the value in the year before \"start\") or an object of years; "
        "an array runs from \"start\" on, so it cannot give initial values";
    if (cJSON_IsNumber(series) || cJSON_IsString(series))
        return scenario_check_value(series, file, path, d);
    if (cJSON_IsArray(series)) {
        if (initial)
            return diag_error_json(d, DIAG_DATA, file, path, "%s", initial_array);
        return scenario_check_values(series, file, path, d);
    }
    if (!cJSON_IsObject(series))
        return diag_error_json(d, DIAG_DATA, file, path,
                               "a series must be a number, a percentage like \"8%%\", an object of years or an "
                               "array, not %s",
                               jsonfile_type_name(series));
    int status = DIAG_OK;
    for (const cJSON *c = series->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, key);
        if (!strcmp(key, "note")) {
            if (!cJSON_IsString(c))
                status = diag_error_json(d, DIAG_DATA, file, here, "\"note\" must be a string, not %s",
                                         jsonfile_type_name(c));
        } else if (!strcmp(key, "value")) {
            if (scenario_check_value(c, file, here, d) != DIAG_OK)
                status = d->status;
        } else if (!strcmp(key, "values")) {
            if (initial)
                status = diag_error_json(d, DIAG_DATA, file, here, "%s", initial_array);
            else if (!cJSON_IsArray(c))
                status = diag_error_json(d, DIAG_DATA, file, here, "\"values\" must be an array, not %s",
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
                               "\"%s\" must be an object of series like {\"gdp_real_growth\": \"6%%\"}, not %s", key,
                               jsonfile_type_name(section));
    int status = DIAG_OK;
    for (const cJSON *c = section->child; c; c = c->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, c->string ? c->string : "");
        if (!c->string || !c->string[0])
            status = diag_error_json(d, DIAG_DATA, file, here, "a series needs a name");
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
                               "\"bounds\" must be an object like {\"gdp_real_growth\": {\"min\": \"-30%%\", \"max\": "
                               "\"30%%\", \"note\": \"why\"}}, not %s",
                               jsonfile_type_name(bounds));
    int status = DIAG_OK;
    for (const cJSON *c = bounds->child; c; c = c->next) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, "$.bounds", c->string ? c->string : "");
        if (!cJSON_IsObject(c)) {
            status = diag_error_json(d, DIAG_DATA, file, here,
                                     "a bound is an object like {\"min\": \"-30%%\", \"max\": \"30%%\"}, not %s",
                                     jsonfile_type_name(c));
            continue;
        }
        if (jsonfile_check_keys(c, bound_keys, file, here, "bounds", d) != DIAG_OK)
            status = d->status;
        const cJSON *min = scenario_member(c, "min"), *max = scenario_member(c, "max");
        if (!min && !max)
            status = diag_error_json(d, DIAG_DATA, file, here, "a bound needs \"min\", \"max\" or both");
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
            status = diag_error_json(d, DIAG_DATA, file, here, "min %g is not below max %g", lo, hi);
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
    return diag_error_json(d, DIAG_DATA, file, here, "\"%s\" must be %s, not %s", key,
                           want_array ? "an array" : "an object", jsonfile_type_name(block));
}

/* Replaces a path string by the same path resolved relative to `file`; anything but a
 * non-empty string is left as it is (and reported by the checks). */
static int scenario_rewrite_path(cJSON *item, const char *file, diag *d)
{
    if (!cJSON_IsString(item) || !item->valuestring || !item->valuestring[0])
        return DIAG_OK;
    char *resolved = jsonfile_resolve_path(file, item->valuestring);
    if (!resolved)
        return diag_oom(d, "resolving a path");
    char *stored = cJSON_SetValuestring(item, resolved);
    mem_free(resolved);
    if (!stored)
        return diag_oom(d, "resolving a path");
    return DIAG_OK;
}

/* Checks one file of the chain on its own and resolves its paths relative to it. Every
 * mistake is reported; the paths are resolved only in a file without any. */
static int scenario_check_file(cJSON *root, const char *file, diag *d)
{
    if (!cJSON_IsObject(root))
        return diag_error_json(d, DIAG_DATA, file, "$", "a scenario must be a JSON object, not %s",
                               jsonfile_type_name(root));
    int status = jsonfile_check_keys(root, scenario_keys, file, "$", "scenario", d);
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
                                 "\"history\" must be an object like {\"file\": \"observations.csv\", "
                                 "\"place\": \"...\"}, not %s",
                                 jsonfile_type_name(history));
        history = NULL;
    } else if (history) {
        if (jsonfile_check_keys(history, scenario_history_keys, file, "$.history", "history", d) != DIAG_OK)
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
    if (scenario_rewrite_path(scenario_member(root, "extends"), file, d) != DIAG_OK ||
        scenario_rewrite_path(scenario_member(root, "model"), file, d) != DIAG_OK ||
        scenario_rewrite_path(history ? scenario_member(history, "file") : NULL, file, d) != DIAG_OK)
        return d->status;
    /* a string in "goals" names a goal file (read by the goals module), relative to this file */
    cJSON *goals = scenario_member(root, "goals");
    for (cJSON *c = cJSON_IsArray(goals) ? goals->child : NULL; c; c = c->next)
        if (scenario_rewrite_path(c, file, d) != DIAG_OK)
            return d->status;
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Merging                                                                                    */

/* Where an object sits, for the merge: keys of the name sections are model names, which a
 * file may write as labels. */
enum {
    SCENARIO_AT_TOP,         /* the file itself */
    SCENARIO_AT_NAMES,       /* assumptions, initial, bounds, uncertainty.shocks, sweep.parameters */
    SCENARIO_AT_UNCERTAINTY, /* the uncertainty block */
    SCENARIO_AT_SWEEP,       /* the sweep block */
    SCENARIO_AT_OTHER
};

/* Where the member `key` of an object at `where` sits. */
static int scenario_where(int where, const char *key)
{
    if (where == SCENARIO_AT_TOP)
        return !strcmp(key, "assumptions") || !strcmp(key, "initial") || !strcmp(key, "bounds") ? SCENARIO_AT_NAMES
               : !strcmp(key, "uncertainty")                                                 ? SCENARIO_AT_UNCERTAINTY
               : !strcmp(key, "sweep")                                                       ? SCENARIO_AT_SWEEP
                                                                                            : SCENARIO_AT_OTHER;
    if ((where == SCENARIO_AT_UNCERTAINTY && !strcmp(key, "shocks")) ||
        (where == SCENARIO_AT_SWEEP && !strcmp(key, "parameters")))
        return SCENARIO_AT_NAMES;
    return SCENARIO_AT_OTHER;
}

/* The model name a key of a name section stands for: the resolver's answer, else the key. */
static const char *scenario_canonical(const scenario_resolver *resolver, const char *key)
{
    const char *name = resolver && resolver->canonical ? resolver->canonical(resolver->context, key) : NULL;
    return name ? name : key;
}

/* The member of a detached list of members named `key` (for a name section: standing for the
 * same model name), or NULL. */
static cJSON *scenario_list_find(cJSON *first, const char *key, const scenario_resolver *resolver, int names)
{
    const char *wanted = names ? scenario_canonical(resolver, key) : key;
    for (cJSON *c = first; c; c = c->next)
        if (c->string && !strcmp(names ? scenario_canonical(resolver, c->string) : c->string, wanted))
            return c;
    return NULL;
}

/* Moves into `child` each member of `base` that child lacks, and merges the objects both have.
 * Members taken from the base go before the child's own, in the base's order: spans of a year
 * map are read in order and the last one covering a year wins, so the child's years must come
 * after the base's to win over them. Arrays, scalars and type changes: the child's stays. Nodes
 * are moved, never copied, so the origins table keeps telling which file wrote each. Does not
 * allocate and cannot fail. Keys of the name sections (assumptions, initial, bounds,
 * uncertainty.shocks, sweep.parameters) match by the model name they stand for, so a label
 * in a child overrides the name in its base. (The list is rebuilt with cJSON_AddItemToArray, which only links:
 * the installed libcjson 1.7.15 (Debian) refuses cJSON_InsertItemInArray at any index inside
 * the list, e.g. index 1 of [10, 20].) */
static void scenario_merge(cJSON *child, cJSON *base, const scenario_resolver *resolver, int where)
{
    if (!child || !base)
        return;
    cJSON *own = child->child; /* the child's members, put back after the base's */
    child->child = NULL;
    cJSON *item = base->child;
    while (item) {
        cJSON *next = item->next;
        const char *key = item->string ? item->string : "";
        /* in a name section a child's label key ("GDP 实际增速") meets its base's name key */
        cJSON *mine = scenario_list_find(own, key, resolver, where == SCENARIO_AT_NAMES);
        if (where == SCENARIO_AT_TOP && scenario_is_own_key(key)) {
            /* left in the base, freed with it */
        } else if (!mine) {
            cJSON_DetachItemViaPointer(base, item);
            cJSON_AddItemToArray(child, item);
        } else if (cJSON_IsObject(mine) && cJSON_IsObject(item)) {
            scenario_merge(mine, item, resolver, scenario_where(where, key));
        }
        item = next;
    }
    while (own) {
        cJSON *next = own->next;
        own->next = own->prev = NULL;
        cJSON_AddItemToArray(child, own);
        own = next;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Filling the struct from the merged tree                                                    */

/* Why `name` cannot serve as an output folder name, written to why[size]; 0 when it can. */
static int scenario_slug_problem(const char *name, char *why, size_t size)
{
    size_t length = strlen(name);
    if (length == 0) {
        snprintf(why, size, "it is empty");
        return 1;
    }
    if (length > SCENARIO_MAX_NAME) {
        snprintf(why, size, "it is %zu characters long, at most %d are allowed", length, SCENARIO_MAX_NAME);
        return 1;
    }
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
            c == '-')
            continue;
        if (c >= 0x21 && c < 0x7F)
            snprintf(why, size, "it contains '%c'; use only letters A-Z a-z, digits, '.', '_' and '-'", c);
        else
            snprintf(why, size, "it contains a space, control or non-ASCII character; use only letters A-Z a-z, "
                                "digits, '.', '_' and '-'");
        return 1;
    }
    if (name[0] == '.') {
        snprintf(why, size, "it starts with '.'");
        return 1;
    }
    if (strstr(name, "..")) {
        snprintf(why, size, "it contains \"..\"");
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
                                  "bad name \"%.80s\": %s (the name becomes an output folder name)",
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
            return diag_oom(d, "loading a scenario");
        if (scenario_slug_problem(s->name, why, sizeof why))
            return diag_error_json(d, DIAG_DATA, s->path, "$",
                                   "no \"name\" is given and the file name \"%.80s\" cannot stand in for one: %s "
                                   "(the name becomes an output folder name); add a \"name\"",
                                   s->name, why);
    }
    if (!s->name)
        return diag_oom(d, "loading a scenario");
    return DIAG_OK;
}

/* Copies an optional string member into *out (left NULL when absent). */
static int scenario_copy_string(const cJSON *object, const char *key, char **out, diag *d)
{
    const cJSON *item = object ? scenario_member(object, key) : NULL;
    if (!item)
        return DIAG_OK;
    *out = mem_strdup(item->valuestring);
    return *out ? DIAG_OK : diag_oom(d, "loading a scenario");
}

static int scenario_fill_years(scenario *s, diag *d)
{
    const cJSON *start = scenario_member(s->root, "start"), *end = scenario_member(s->root, "end");
    if (start)
        s->start = (int)start->valuedouble;
    if (end)
        s->end = (int)end->valuedouble;
    if (start && end && s->start > s->end)
        return scenario_error(s, d, start, "$.start", "start %d is after end %d", s->start, s->end);
    if (start && end && s->end - s->start + 1 > SCENARIO_MAX_HORIZON)
        return scenario_error(s, d, end, "$.end", "the horizon %d..%d is %d years; at most %d are allowed", s->start,
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
                              "an array gives one value a year from \"start\", but no \"start\" is given");
    size_t limit = scenario_array_limit(s);
    if (n > limit) {
        if (s->end)
            return scenario_error(s, d, array, path, "%zu values from %d run past \"end\" %d (%zu years)", n,
                                  s->start, s->end, limit);
        return scenario_error(s, d, array, path, "%zu values from %d are more than the %zu years allowed", n,
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

/* What a fill needs besides the scenario: the notes each file gave, and the resolver. */
/* What one file of the chain wrote for a series: the key (a name or a label) and the note. */
typedef struct scenario_note {
    size_t file;   /* index in the extends chain */
    int initial;   /* 1: of "initial", 0: of "assumptions" */
    char *name;    /* the model name the key stands for */
    char *written; /* the key as that file wrote it */
    char *note;    /* or NULL */
} scenario_note;

typedef struct scenario_fill_context {
    const scenario_resolver *resolver;
    const scenario_note *notes;
    size_t note_count;
} scenario_fill_context;

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
    return source->json_path ? DIAG_OK : diag_oom(d, "loading a scenario");
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

/* Builds one series (into *out, zeroed by the caller; partial state is freed by the caller). */
static int scenario_build_series(scenario *s, const scenario_fill_context *ctx, const cJSON *node,
                                 const char *section_path, int initial, scenario_series *out, diag *d)
{
    jsonfile_path_key(out->json_path, section_path, node->string);
    out->name = mem_strdup(scenario_canonical(ctx->resolver, node->string));
    out->written = mem_strdup(node->string);
    const char *origin = scenario_origin(s, node);
    out->file = mem_strdup(origin ? origin : s->path);
    out->file_notes = mem_calloc(s->extends_count, sizeof *out->file_notes);
    out->file_keys = mem_calloc(s->extends_count, sizeof *out->file_keys);
    if (!out->name || !out->written || !out->file || !out->file_notes || !out->file_keys)
        return diag_oom(d, "loading a scenario");
    for (size_t i = 0; i < ctx->note_count; i++) {
        const scenario_note *n = &ctx->notes[i];
        if (n->initial != initial || strcmp(n->name, out->name) || n->file >= s->extends_count)
            continue;
        if ((n->note && !out->file_notes[n->file] && !(out->file_notes[n->file] = mem_strdup(n->note))) ||
            (!out->file_keys[n->file] && !(out->file_keys[n->file] = mem_strdup(n->written))))
            return diag_oom(d, "loading a scenario");
    }
    const char *path = out->json_path;

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
            } else if (strcmp(c->string, "note") != 0) {
                spans++;
            }
        }
    } else {
        constant = node;
    }
    if (spans == 0 && !constant)
        return scenario_error(s, d, node, path,
                              "\"%s\" gives no values: add years like \"2023\", a \"value\" or \"values\"",
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
                                  "an initial constant is the value in the year before \"start\", but no "
                                  "\"start\" is given (or write years, like {\"2022\": ...})");
        spans++;
    }
    if (spans) {
        out->spans = mem_calloc(spans, sizeof *out->spans);
        out->sources = mem_calloc(spans, sizeof *out->sources);
        if (!out->spans || !out->sources)
            return diag_oom(d, "loading a scenario");
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
            } else if (!strcmp(c->string, "note")) {
                out->note = mem_strdup(c->valuestring);
                if (!out->note)
                    return diag_oom(d, "loading a scenario");
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
        return diag_oom(d, "loading a scenario");
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
        return diag_oom(d, "loading a scenario");
    for (const cJSON *c = bounds->child; c; c = c->next) {
        scenario_bound *b = &s->bounds[s->bound_count++];
        b->min = -INFINITY;
        b->max = INFINITY;
        const cJSON *min = scenario_member(c, "min"), *max = scenario_member(c, "max"),
                    *note = scenario_member(c, "note");
        if (min)
            jsonfile_number(min, &b->min);
        if (max)
            jsonfile_number(max, &b->max);
        jsonfile_path_key(b->json_path, "$.bounds", c->string);
        b->file = scenario_origin(s, c);
        b->name = mem_strdup(scenario_canonical(ctx->resolver, c->string));
        b->written = mem_strdup(c->string);
        if (!b->name || !b->written || (note && !(b->note = mem_strdup(note->valuestring))))
            return diag_oom(d, "loading a scenario");
        /* a child that gives only "max" keeps its base's "min": the merge keeps both, and
         * min < max is checked per file only */
        if (b->min >= b->max)
            return scenario_error(s, d, c, b->json_path, "min %g is not below max %g (after merging with the base)",
                                  b->min, b->max);
    }
    return DIAG_OK;
}

static int scenario_fill(scenario *s, const scenario_fill_context *ctx, diag *d)
{
    cJSON *root = s->root;
    if (scenario_fill_years(s, d) != DIAG_OK || scenario_fill_name(s, d) != DIAG_OK)
        return d->status;
    if (scenario_copy_string(root, "title", &s->title, d) != DIAG_OK ||
        scenario_copy_string(root, "note", &s->note, d) != DIAG_OK ||
        scenario_copy_string(root, "model", &s->model_path, d) != DIAG_OK)
        return d->status;
    if (!s->title && !(s->title = mem_strdup(s->name)))
        return diag_oom(d, "loading a scenario");
    int status = DIAG_OK;
    const cJSON *history = scenario_member(root, "history");
    if (history) {
        /* checked here, not per file: a child may change only the place of its base's history */
        if (!scenario_member(history, "file"))
            status = scenario_error(s, d, history, "$.history", "\"history\" needs \"file\" (the observations CSV)");
        else if (!scenario_member(history, "place"))
            status = scenario_error(s, d, history, "$.history",
                                    "\"history\" needs \"place\" (the place whose rows the run reads)");
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

/* ------------------------------------------------------------------------------------------ */
/* Loading the chain                                                                          */

typedef struct scenario_loader {
    cJSON *trees[SCENARIO_MAX_EXTENDS + 1]; /* as loaded, child first */
    dev_t device[SCENARIO_MAX_EXTENDS + 1]; /* identity of each file, to find loops: */
    ino_t inode[SCENARIO_MAX_EXTENDS + 1];  /* "./a.json", "a.json", links are one file */
    scenario_origins all;                   /* every node of every tree */
    scenario_note *notes;                   /* the notes of series, per file */
    size_t note_count, note_capacity;
} scenario_loader;

static void scenario_loader_free(scenario_loader *loader)
{
    for (size_t i = 0; i <= SCENARIO_MAX_EXTENDS; i++)
        cJSON_Delete(loader->trees[i]);
    mem_free(loader->all.entries);
    for (size_t i = 0; i < loader->note_count; i++) {
        mem_free(loader->notes[i].name);
        mem_free(loader->notes[i].written);
        mem_free(loader->notes[i].note);
    }
    mem_free(loader->notes);
}

/* Reports a loop: file `first` of the chain comes back as file `index` (`again`). The error
 * sits at the extends of the file where the loop starts, and the message walks the chain. */
static int scenario_loop_error(const scenario *s, size_t first, size_t index, const char *again, diag *d)
{
    char chain[768];
    size_t used = 0;
    for (size_t i = 0; i < index && used < sizeof chain; i++) {
        int n = snprintf(chain + used, sizeof chain - used, "%s -> ", s->extends_chain[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (used < sizeof chain)
        snprintf(chain + used, sizeof chain - used, "%s", again);
    return diag_error_json(d, DIAG_DATA, s->extends_chain[first], "$.extends", "extends loop: %s", chain);
}

/* Reads file number `index` of the chain (its path in s->extends_chain[index]), checks it,
 * records its nodes; *next gets the base it extends (resolved), or NULL. A file with mistakes
 * still names its base, so the whole chain is checked in one run; *loaded says whether the
 * file was read at all. */
static int scenario_load_one(scenario *s, scenario_loader *loader, size_t index, const char **next, diag *d)
{
    const char *file = s->extends_chain[index];
    struct stat info;
    if (index > 0) {
        /* before reading: a missing base is reported where it is named */
        if (stat(file, &info) != 0) {
            int error = errno;
            return diag_error_json(d, DIAG_NO_INPUT, s->extends_chain[index - 1], "$.extends",
                                   "cannot open base scenario %s: %s", file, strerror(error));
        }
        /* the same file under another spelling is the same file: compare identities */
        for (size_t i = 0; i < index; i++)
            if (loader->device[i] == info.st_dev && loader->inode[i] == info.st_ino)
                return scenario_loop_error(s, i, index, file, d);
    }
    loader->trees[index] = jsonfile_load(file, d);
    if (!loader->trees[index])
        return d->status;
    if (index == 0 && stat(file, &info) != 0) {
        int error = errno;
        return diag_error_file(d, DIAG_NO_INPUT, file, "cannot open: %s", strerror(error));
    }
    loader->device[index] = info.st_dev;
    loader->inode[index] = info.st_ino;
    cJSON *tree = loader->trees[index];
    int status = scenario_check_file(tree, file, d);
    if (status == DIAG_SOFTWARE)
        return status;
    if (scenario_origins_add_tree(&loader->all, tree, file, d) != DIAG_OK)
        return d->status;
    const cJSON *extends = cJSON_IsObject(tree) ? scenario_member(tree, "extends") : NULL;
    if (cJSON_IsString(extends) && extends->valuestring && extends->valuestring[0]) {
        if (index == SCENARIO_MAX_EXTENDS)
            return diag_error_json(d, DIAG_DATA, file, "$.extends", "extends chain is deeper than %d files",
                                   SCENARIO_MAX_EXTENDS);
        *next = extends->valuestring;
    }
    return status;
}

/* The key paths of the name sections of a file, for the check below. */
static const struct {
    const char *block, *section, *path;
} scenario_name_sections[] = {
    {NULL, "assumptions", "$.assumptions"},       {NULL, "initial", "$.initial"},
    {NULL, "bounds", "$.bounds"},                 {"uncertainty", "shocks", "$.uncertainty.shocks"},
    {"sweep", "parameters", "$.sweep.parameters"},
};

/* Two keys of one name section that stand for the same model name (a name and its label)
 * would silently drop one of them: an error at the second. */
static int scenario_check_names(const cJSON *tree, const char *file, const scenario_resolver *resolver, diag *d)
{
    int status = DIAG_OK;
    for (size_t k = 0; k < sizeof scenario_name_sections / sizeof scenario_name_sections[0]; k++) {
        const cJSON *parent = scenario_name_sections[k].block ? scenario_member(tree, scenario_name_sections[k].block)
                                                              : tree;
        const cJSON *section = cJSON_IsObject(parent) ? scenario_member(parent, scenario_name_sections[k].section) : NULL;
        if (!cJSON_IsObject(section))
            continue;
        for (const cJSON *c = section->child; c; c = c->next)
            for (const cJSON *e = section->child; e != c; e = e->next) {
                if (!c->string || !e->string)
                    continue;
                const char *name = scenario_canonical(resolver, c->string);
                if (strcmp(name, scenario_canonical(resolver, e->string)) != 0)
                    continue;
                char here[JSONFILE_PATH_MAX];
                jsonfile_path_key(here, scenario_name_sections[k].path, c->string);
                status = diag_error_json(d, DIAG_DATA, file, here,
                                         "\"%s\" and \"%s\" both stand for %s in this file: give it once (a label "
                                         "is another way to write a name)",
                                         e->string, c->string, name);
                break;
            }
    }
    return status;
}

/* Copies the key and note of every series of one file (by the model name they stand for). */
static int scenario_record_notes(scenario_loader *loader, size_t index, const scenario_resolver *resolver, diag *d)
{
    for (int initial = 0; initial <= 1; initial++) {
        const cJSON *section = scenario_member(loader->trees[index], initial ? "initial" : "assumptions");
        for (const cJSON *c = cJSON_IsObject(section) ? section->child : NULL; c; c = c->next) {
            const cJSON *note = cJSON_IsObject(c) ? scenario_member(c, "note") : NULL;
            if (!c->string)
                continue;
            if (loader->note_count == loader->note_capacity) {
                size_t capacity = loader->note_capacity ? 2 * loader->note_capacity : 16;
                scenario_note *grown = mem_realloc(loader->notes, capacity * sizeof *grown);
                if (!grown)
                    return diag_oom(d, "loading a scenario");
                loader->notes = grown;
                loader->note_capacity = capacity;
            }
            scenario_note *n = &loader->notes[loader->note_count];
            n->file = index;
            n->initial = initial;
            n->name = mem_strdup(scenario_canonical(resolver, c->string));
            n->written = mem_strdup(c->string);
            n->note = cJSON_IsString(note) ? mem_strdup(note->valuestring) : NULL;
            if (!n->name || !n->written || (cJSON_IsString(note) && !n->note)) {
                mem_free(n->name);
                mem_free(n->written);
                mem_free(n->note);
                return diag_oom(d, "loading a scenario");
            }
            loader->note_count++;
        }
    }
    return DIAG_OK;
}

scenario *scenario_load(const char *path, diag *d)
{
    return scenario_load_resolved(path, NULL, d);
}

scenario *scenario_load_resolved(const char *path, const scenario_resolver *resolver, diag *d)
{
    scenario_loader loader;
    memset(&loader, 0, sizeof loader);
    scenario *s = mem_calloc(1, sizeof *s);
    if (!s) {
        diag_oom(d, "loading a scenario");
        return NULL;
    }
    s->path = mem_strdup(path);
    s->extends_chain = mem_calloc(SCENARIO_MAX_EXTENDS + 1, sizeof *s->extends_chain);
    if (!s->path || !s->extends_chain || !(s->extends_chain[0] = mem_strdup(path))) {
        diag_oom(d, "loading a scenario");
        goto fail;
    }
    s->extends_count = 1;

    size_t last = 0;
    int status = DIAG_OK;
    for (;;) {
        const char *next = NULL;
        int one = scenario_load_one(s, &loader, last, &next, d);
        if (one != DIAG_OK)
            status = one;
        if (status == DIAG_SOFTWARE || !loader.trees[last])
            goto fail;
        if (!next)
            break;
        if (!(s->extends_chain[last + 1] = mem_strdup(next))) {
            diag_oom(d, "loading a scenario");
            goto fail;
        }
        last++;
        s->extends_count = last + 1;
    }
    if (status != DIAG_OK)
        goto fail;

    /* names are resolved before the merge: the model the chain names is opened first */
    if (resolver && resolver->open) {
        const char *model_path = NULL;
        for (size_t i = 0; i <= last && !model_path; i++) {
            const cJSON *model = scenario_member(loader.trees[i], "model");
            model_path = model ? model->valuestring : NULL;
        }
        if (resolver->open(resolver->context, model_path, d) != DIAG_OK)
            goto fail;
    }
    for (size_t i = 0; i <= last; i++) {
        if (scenario_check_names(loader.trees[i], s->extends_chain[i], resolver, d) != DIAG_OK)
            status = d->status;
        if (scenario_record_notes(&loader, i, resolver, d) != DIAG_OK)
            goto fail;
    }
    if (status != DIAG_OK)
        goto fail;

    /* every tree is alive until here, so every recorded address is a distinct node */
    qsort(loader.all.entries, loader.all.count, sizeof *loader.all.entries, scenario_compare_origins);
    cJSON *merged = loader.trees[last];
    loader.trees[last] = NULL;
    for (size_t i = last; i-- > 0;) {
        scenario_merge(loader.trees[i], merged, resolver, SCENARIO_AT_TOP);
        cJSON_Delete(merged); /* what the child overrode */
        merged = loader.trees[i];
        loader.trees[i] = NULL;
    }
    s->root = merged;

    scenario_origins *kept = mem_calloc(1, sizeof *kept);
    if (!kept) {
        diag_oom(d, "loading a scenario");
        goto fail;
    }
    s->origins = kept;
    if (!scenario_origins_reserve(kept, scenario_count_nodes(s->root))) {
        diag_oom(d, "loading a scenario");
        goto fail;
    }
    scenario_origins_keep(kept, &loader.all, s->root);
    qsort(kept->entries, kept->count, sizeof *kept->entries, scenario_compare_origins);

    scenario_fill_context ctx = {resolver, loader.notes, loader.note_count};
    if (scenario_fill(s, &ctx, d) != DIAG_OK)
        goto fail;
    scenario_loader_free(&loader);
    return s;
fail:
    if (d->status == DIAG_OK) /* never return NULL without saying why */
        diag_error(d, DIAG_SOFTWARE, "loading %s failed", path);
    scenario_loader_free(&loader);
    scenario_free(s);
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Queries and release                                                                        */

static void scenario_series_release(scenario_series *list, size_t count, size_t files)
{
    for (size_t i = 0; i < count; i++) {
        scenario_series *series = &list[i];
        mem_free(series->name);
        mem_free(series->written);
        for (size_t k = 0; series->sources && k < series->span_count; k++)
            mem_free(series->sources[k].json_path);
        mem_free(series->sources);
        mem_free(series->constant_source.json_path);
        mem_free(series->spans);
        mem_free(series->note);
        for (size_t k = 0; series->file_notes && k < files; k++)
            mem_free(series->file_notes[k]);
        mem_free(series->file_notes);
        for (size_t k = 0; series->file_keys && k < files; k++)
            mem_free(series->file_keys[k]);
        mem_free(series->file_keys);
        mem_free(series->file);
    }
    mem_free(list);
}

void scenario_free(scenario *s)
{
    if (!s)
        return;
    mem_free(s->path);
    mem_free(s->name);
    mem_free(s->title);
    mem_free(s->note);
    mem_free(s->model_path);
    mem_free(s->history_path);
    mem_free(s->history_place);
    scenario_series_release(s->initial, s->initial_count, s->extends_count);
    scenario_series_release(s->assumptions, s->assumption_count, s->extends_count);
    for (size_t i = 0; i < s->bound_count; i++) {
        mem_free(s->bounds[i].name);
        mem_free(s->bounds[i].written);
        mem_free(s->bounds[i].note);
    }
    mem_free(s->bounds);
    if (s->extends_chain)
        for (size_t i = 0; i < s->extends_count; i++)
            mem_free(s->extends_chain[i]);
    mem_free(s->extends_chain);
    cJSON_Delete(s->root);
    scenario_origins_free(s->origins);
    mem_free(s);
}

const scenario_source *scenario_series_source(const scenario_series *series, int year)
{
    if (!series)
        return NULL;
    for (size_t i = series->span_count; i-- > 0;)
        if (series->spans[i].from <= year && year <= series->spans[i].to)
            return series->sources ? &series->sources[i] : NULL;
    return series->has_constant ? &series->constant_source : NULL;
}

const scenario_bound *scenario_find_bound(const scenario *s, const char *name)
{
    for (size_t i = 0; s && name && i < s->bound_count; i++)
        if (!strcmp(s->bounds[i].name, name))
            return &s->bounds[i];
    return NULL;
}

int scenario_series_value(const scenario_series *series, int year, double *value)
{
    if (!series)
        return 0;
    for (size_t i = series->span_count; i-- > 0;) {
        if (series->spans[i].from <= year && year <= series->spans[i].to) {
            *value = series->spans[i].value;
            return 1;
        }
    }
    if (series->has_constant) {
        *value = series->constant;
        return 1;
    }
    return 0;
}

static const scenario_series *scenario_find(const scenario_series *list, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].name && !strcmp(list[i].name, name))
            return &list[i];
    return NULL;
}

const scenario_series *scenario_assumption(const scenario *s, const char *name)
{
    return s && name ? scenario_find(s->assumptions, s->assumption_count, name) : NULL;
}

const scenario_series *scenario_initial(const scenario *s, const char *name)
{
    return s && name ? scenario_find(s->initial, s->initial_count, name) : NULL;
}
