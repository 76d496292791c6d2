/* goals_load.c: reading the goals of a scenario and of the goal files it names into
 * goals_goal, checked against the model, the horizon and the plausible range of each target
 * (goals.h, goals_load). The analyses in goals.c never see the JSON.
 *
 * Every goal is read even after a bad one, so all the mistakes of a goal file come out in
 * one run; a goal with a mistake is left out of the set, and the set is not returned. */
#include "goals_load.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"
#include "range.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const goals_keys[] = {"id",    "label",     "variable", "year", "target",
                                         "kind",  "direction", "solve",    "note", NULL};
static const char *const goals_file_keys[] = {"title", "note", "goals", NULL};

/* Where the goals being read come from: the scenario tree (file NULL: each node's origin
 * names the file) or one goal file. */
typedef struct goals_reader {
    const run *r;
    goals_set *set;
    const char *file;      /* a goal file, or NULL for the scenario's own "goals" */
    const char *set_title; /* the goal file's title, or NULL */
    const char *set_title_en; /* its English form ("title_en"), or NULL */
    diag *d;
} goals_reader;

static int goals_error(const goals_reader *reader, const cJSON *node, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int goals_error(const goals_reader *reader, const cJSON *node, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *file = reader->file ? reader->file : scenario_origin(reader->r->scenario, node);
    diag_verror_json(reader->d, DIAG_DATA, file ? file : "(scenario)", path, fmt, ap);
    va_end(ap);
    return DIAG_DATA;
}

/* A string member: *out points into the tree, NULL when absent. */
static int goals_string_member(const goals_reader *reader, const cJSON *object, const char *key, const char *path,
                               int required, const char **out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, key);
    *out = NULL;
    if (!item) {
        if (required)
            return goals_error(reader, object, path, _("a goal needs \"%s\""), key);
        return DIAG_OK;
    }
    if (!cJSON_IsString(item) || !item->valuestring)
        return goals_error(reader, item, here, _("\"%s\" must be a string, not %s"), key, jsonfile_type_name(item));
    if (!item->valuestring[0] && strcmp(key, "note") != 0)
        return goals_error(reader, item, here, _("\"%s\" must not be empty"), key);
    *out = item->valuestring;
    return DIAG_OK;
}

/* One of `names` (NULL-terminated); *index gets its position. Absent: *index stays. */
static int goals_choice_member(const goals_reader *reader, const cJSON *object, const char *key, const char *path,
                               const char *const *names, int *index)
{
    const char *text;
    int status = goals_string_member(reader, object, key, path, 0, &text);
    if (status != DIAG_OK || !text)
        return status; /* not d's status: it may hold earlier mistakes of other goals */
    size_t count = 0;
    for (; names[count]; count++)
        if (!strcmp(text, names[count])) {
            *index = (int)count;
            return DIAG_OK;
        }
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, key);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    const char *hint = text_suggest(text, names, count);
    if (hint)
        return goals_error(reader, item, here, _("\"%s\" must be \"%s\" or \"%s\", not \"%.80s\" (did you mean \"%s\"?)"),
                           key, names[0], names[1], text, hint);
    return goals_error(reader, item, here, _("\"%s\" must be \"%s\" or \"%s\", not \"%.80s\""), key, names[0], names[1],
                       text);
}

static int goals_id_is_slug(const char *id)
{
    if (strlen(id) > GOALS_MAX_ID)
        return 0;
    for (const char *p = id; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return 0;
    }
    return 1;
}

/* Finds the slot of a model name or label, with a did-you-mean (over names and labels of the
 * wanted kinds) or the list of valid names on unknowns. */
static int goals_model_name(const goals_reader *reader, const cJSON *item, const char *path, const char *name,
                            unsigned kinds, int *slot)
{
    const model *m = reader->r->model;
    *slot = model_resolve(m, name);
    if (*slot >= 0)
        return DIAG_OK;
    char hint[768];
    model_name_hint(m, name, kinds, hint, sizeof hint);
    return goals_error(reader, item, path, _("unknown name \"%.80s\"%s"), name, hint);
}

/* Reads one goal object at `path` and appends it to the set. */
/* The goal's "year": an integer inside the horizon in which the variable has a value (and
 * the year before, for a growth goal). */
static int goals_read_year(goals_reader *reader, const cJSON *node, const char *path, const cJSON *variable_item,
                           const char *variable, int slot, int kind, int *year_out)
{
    const run *r = reader->r;
    const scenario *s = r->scenario;
    char here[JSONFILE_PATH_MAX];
    const cJSON *year_item = cJSON_GetObjectItemCaseSensitive(node, "year");
    jsonfile_path_key(here, path, "year");
    if (!year_item)
        return goals_error(reader, node, path, _("a goal needs \"year\""));
    if (!cJSON_IsNumber(year_item) || year_item->valuedouble != floor(year_item->valuedouble))
        return goals_error(reader, year_item, here, _("\"year\" must be an integer year, not %s"),
                           cJSON_IsNumber(year_item) ? _("a fraction") : jsonfile_type_name(year_item));
    double year_value = year_item->valuedouble;
    if (year_value < s->start || year_value > s->end)
        return goals_error(reader, year_item, here,
                           _("goal year %g is outside the scenario's horizon %d..%d (change the year, or \"start\" / "
                           "\"end\" of the scenario %s)"),
                           year_value, s->start, s->end, s->path);
    int year = (int)year_value;
    const sim_plan *plan = r->plan; /* NULL when other mistakes kept it from being built */
    int t = plan ? sim_plan_year_index(plan, year) : 0;
    if (plan && (t < 0 || plan->mode[(size_t)slot * plan->years + (size_t)t] == SIM_MODE_NONE))
        return goals_error(reader, variable_item, here, _("\"%s\" has no value in %d"), variable, year);
    if (plan && kind == GOALS_GROWTH &&
        (t == 0 || plan->mode[(size_t)slot * plan->years + (size_t)t - 1] == SIM_MODE_NONE))
        return goals_error(reader, year_item, here,
                           _("a growth goal compares with the year before, but \"%s\" has no value in %d (add an "
                           "observation or an \"initial\" value)"),
                           variable, year - 1);

    *year_out = year;
    return DIAG_OK;
}

/* The goal's "target": a number or a percentage, plausible for a growth rate (growth goals)
 * or for the variable's unit and range (level goals). */
static int goals_read_target(goals_reader *reader, const cJSON *node, const char *path, const char *variable, int slot,
                             int kind, double *target_out)
{
    const model *m = reader->r->model;
    char here[JSONFILE_PATH_MAX];
    const cJSON *target_item = cJSON_GetObjectItemCaseSensitive(node, "target");
    jsonfile_path_key(here, path, "target");
    double target;
    if (!target_item)
        return goals_error(reader, node, path, _("a goal needs \"target\""));
    if (!jsonfile_number(target_item, &target)) {
        if (cJSON_IsString(target_item))
            return goals_error(reader, target_item, here, _("\"%.80s\" is not a number (write 50, 0.08 or \"8%%\")"),
                               target_item->valuestring);
        return goals_error(reader, target_item, here, _("\"target\" must be a number or a percentage like \"8%%\", not %s"),
                           jsonfile_type_name(target_item));
    }
    /* a growth goal's target is a growth rate whatever the variable is; a level goal's is in
     * the variable's unit and range */
    range plausible = kind == GOALS_GROWTH ? range_growth() : range_of_slot(&m->slots[slot]);
    if (!range_contains(&plausible, target)) {
        char message[512], name[160];
        snprintf(name, sizeof name, kind == GOALS_GROWTH ? _("the growth of %s") : "%s", variable);
        range_message(&plausible, target, cJSON_IsString(target_item) && strchr(target_item->valuestring, '%'), name,
                      message, sizeof message);
        return goals_error(reader, target_item, here, "%s", message);
    }

    *target_out = target;
    return DIAG_OK;
}

/* The goal's "solve", when given: a parameter or exogenous series with a finite, non-empty
 * range; *solve becomes its model name (a label stands for it), *solve_slot its slot (-1
 * without "solve"). */
static int goals_read_instrument(goals_reader *reader, const cJSON *node, const char *path, const char **solve,
                                 int *solve_slot)
{
    const model *m = reader->r->model;
    diag *d = reader->d;
    char here[JSONFILE_PATH_MAX];
    *solve_slot = -1;
    if (!*solve)
        return DIAG_OK;
    jsonfile_path_key(here, path, "solve");
    const cJSON *solve_item = cJSON_GetObjectItemCaseSensitive(node, "solve");
    if (goals_model_name(reader, solve_item, here, *solve, MODEL_KINDS_INPUTS, solve_slot) != DIAG_OK)
        return d->status;
    const model_slot *instrument = &m->slots[*solve_slot];
    *solve = instrument->name;
    if (instrument->kind == MODEL_VARIABLE)
        return goals_error(reader, solve_item, here,
                           _("\"%s\" is a variable computed by its equation; \"solve\" names a parameter or an "
                           "exogenous series"),
                           instrument->name);
    if (!isfinite(instrument->min) || !isfinite(instrument->max))
        return goals_error(reader, solve_item, here,
                           _("goal seek searches \"%s\" within its \"min\" and \"max\", but the model %s gives it "
                           "no finite %s: add one at %s"),
                           instrument->name, m->path, !isfinite(instrument->min) ? "min" : "max",
                           instrument->json_path);
    if (instrument->min == instrument->max)
        return goals_error(reader, solve_item, here,
                           _("\"%s\" has min = max = %g in the model %s: there is nothing to search"), instrument->name,
                           instrument->min, m->path);
    return DIAG_OK;
}

/* Appends the checked goal to the set, copying its strings. */
static int goals_store(goals_reader *reader, const goals_goal *checked, const char *id, const char *label,
                       const char *variable, const char *solve, const char *note, const char *file)
{
    goals_set *set = reader->set;
    goals_goal *goal = &set->goals[set->count];
    memset(goal, 0, sizeof *goal);
    memset(&set->results[set->count], 0, sizeof set->results[set->count]);
    set->results[set->count].probability = NAN;
    set->count++; /* counted first, so a failure below frees what was copied */
    goal->slot = checked->slot;
    goal->year = checked->year;
    goal->target = checked->target;
    goal->kind = checked->kind;
    goal->direction = checked->direction;
    goal->solve_slot = checked->solve_slot;
    snprintf(goal->json_path, sizeof goal->json_path, "%s", checked->json_path);
    goal->id = mem_strdup(id);
    goal->label = mem_strdup(label ? label : id);
    goal->variable = mem_strdup(variable);
    goal->file = mem_strdup(file ? file : reader->r->scenario->path);
    if (!goal->id || !goal->label || !goal->variable || !goal->file || (solve && !(goal->solve = mem_strdup(solve))) ||
        (note && !(goal->note = mem_strdup(note))) ||
        (reader->set_title && !(goal->set_title = mem_strdup(reader->set_title))) ||
        (reader->set_title_en && !(goal->set_title_en = mem_strdup(reader->set_title_en))))
        return diag_oom(reader->d, _("reading goals"));
    return DIAG_OK;
}

static int goals_read_goal(goals_reader *reader, const cJSON *node, const char *path)
{
    const run *r = reader->r;
    const model *m = r->model;
    const scenario *s = r->scenario;
    goals_set *set = reader->set;
    diag *d = reader->d;
    char here[JSONFILE_PATH_MAX];
    if (!cJSON_IsObject(node))
        return goals_error(reader, node, path,
                           _("a goal must be an object like {\"id\": \"revenue-2023\", \"variable\": "
                           "\"fiscal_revenue\", \"year\": 2023, \"target\": 50}, not %s"),
                           jsonfile_type_name(node));
    const char *file = reader->file ? reader->file : scenario_origin(s, node);
    int keys = jsonfile_check_keys(node, goals_keys, file, path, _("goal"), d);
    if (set->count >= GOALS_MAX)
        return goals_error(reader, node, path, _("more than %d goals"), GOALS_MAX);

    const char *id, *label, *variable, *solve, *note;
    if (goals_string_member(reader, node, "id", path, 1, &id) != DIAG_OK ||
        goals_string_member(reader, node, "label", path, 0, &label) != DIAG_OK ||
        goals_string_member(reader, node, "variable", path, 1, &variable) != DIAG_OK ||
        goals_string_member(reader, node, "solve", path, 0, &solve) != DIAG_OK ||
        goals_string_member(reader, node, "note", path, 0, &note) != DIAG_OK || keys != DIAG_OK)
        return d->status;
    jsonfile_path_key(here, path, "id");
    const cJSON *id_item = cJSON_GetObjectItemCaseSensitive(node, "id");
    if (!goals_id_is_slug(id))
        return goals_error(reader, id_item, here,
                           _("bad goal id \"%.80s\": use at most %d letters A-Z a-z, digits, '.', '_' and '-' (ids are "
                           "given to --goal and written to goals.csv)"),
                           id, GOALS_MAX_ID);
    int earlier = goals_find(set, id);
    if (earlier >= 0)
        return goals_error(reader, id_item, here, _("duplicate goal id \"%s\" (first defined at %s: %s)"), id,
                           set->goals[earlier].file, set->goals[earlier].json_path);

    int kind = GOALS_LEVEL, direction = GOALS_AT_LEAST;
    if (goals_choice_member(reader, node, "kind", path, goals_kind_names, &kind) != DIAG_OK ||
        goals_choice_member(reader, node, "direction", path, goals_direction_names, &direction) != DIAG_OK)
        return d->status;

    /* the variable: a series with a value in the goal year (and the year before, for growth) */
    int slot;
    jsonfile_path_key(here, path, "variable");
    const cJSON *variable_item = cJSON_GetObjectItemCaseSensitive(node, "variable");
    if (goals_model_name(reader, variable_item, here, variable, MODEL_KINDS_SERIES, &slot) != DIAG_OK)
        return d->status;
    variable = m->slots[slot].name; /* a label stands for its name */
    if (m->slots[slot].kind == MODEL_PARAMETER)
        return goals_error(reader, variable_item, here,
                           _("\"%s\" is a parameter (one value for all years); a goal is on a variable or an exogenous "
                           "series"),
                           variable);

    goals_goal checked = {.slot = slot, .kind = (goals_kind)kind, .direction = (goals_direction)direction};
    snprintf(checked.json_path, sizeof checked.json_path, "%s", path);
    int status;
    if ((status = goals_read_year(reader, node, path, variable_item, variable, slot, kind, &checked.year)) != DIAG_OK ||
        (status = goals_read_target(reader, node, path, variable, slot, kind, &checked.target)) != DIAG_OK ||
        (status = goals_read_instrument(reader, node, path, &solve, &checked.solve_slot)) != DIAG_OK)
        return status;
    int stored = goals_store(reader, &checked, id, label, variable, solve, note, file);
    const char *note_en = jsonfile_english(node, "note");
    goals_goal *goal = &set->goals[set->count - 1];
    if (stored == DIAG_OK && note_en && !(goal->note_en = mem_strdup(note_en)))
        return diag_oom(d, _("reading goals"));
    return stored;
}

/* Reads the goal file named by the string `item` at `path` of the scenario's "goals". */
static int goals_read_file(goals_reader *reader, const cJSON *item, const char *path)
{
    diag *d = reader->d;
    const char *name = item->valuestring;
    if (!name[0])
        return goals_error(reader, item, path, _("a goal file name must not be empty"));
    struct stat info;
    if (stat(name, &info) != 0) {
        int error = errno;
        const char *file = scenario_origin(reader->r->scenario, item);
        return diag_error_json(d, DIAG_NO_INPUT, file ? file : reader->r->scenario->path, path,
                               _("cannot open goal file %s: %s"), name, strerror(error));
    }
    cJSON *root = jsonfile_load(name, d);
    if (!root)
        return d->status;
    jsonfile_drop_comments(root); /* "_" keys are comments, as in scenario files */
    goals_reader inner = *reader;
    inner.file = name;
    int status = DIAG_OK;
    if (!cJSON_IsObject(root)) {
        status = goals_error(&inner, root, "$",
                             _("a goal file must be an object like {\"title\": \"...\", \"goals\": [...]}, not %s"),
                             jsonfile_type_name(root));
        goto out;
    }
    if ((status = jsonfile_check_keys(root, goals_file_keys, name, "$", _("goal file"), d)) != DIAG_OK)
        goto out;
    const char *title, *note;
    if ((status = goals_string_member(&inner, root, "title", "$", 0, &title)) != DIAG_OK ||
        (status = goals_string_member(&inner, root, "note", "$", 0, &note)) != DIAG_OK)
        goto out;
    inner.set_title = title;
    inner.set_title_en = jsonfile_english(root, "title");
    const cJSON *goals = cJSON_GetObjectItemCaseSensitive(root, "goals");
    if (!goals || !cJSON_IsArray(goals)) {
        status = goals ? goals_error(&inner, goals, "$.goals", _("\"goals\" must be an array of goals, not %s"),
                                     jsonfile_type_name(goals))
                       : goals_error(&inner, root, "$", _("a goal file needs \"goals\", an array of goals"));
        goto out;
    }
    size_t index = 0;
    for (const cJSON *c = goals->child; c; c = c->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, "$.goals", index);
        if (cJSON_IsString(c)) {
            status = goals_error(&inner, c, here,
                                 _("a goal file holds goals, not names of other goal files (list \"%.80s\" in the "
                                 "scenario's \"goals\" instead)"),
                                 c->valuestring ? c->valuestring : "");
            goto out;
        }
        /* a bad goal is reported and the others are read on */
        if (goals_read_goal(&inner, c, here) != DIAG_OK) {
            status = d->status;
            if (status == DIAG_SOFTWARE)
                goto out;
        }
    }
out:
    cJSON_Delete(root);
    return status;
}

goals_set *goals_load(const run *r, diag *d)
{
    goals_set *set = mem_calloc(1, sizeof *set);
    if (!set) {
        diag_oom(d, _("reading goals"));
        return NULL;
    }
    const cJSON *goals = r->scenario->goals;
    if (!goals)
        return set;
    set->goals = mem_calloc(GOALS_MAX, sizeof *set->goals);
    set->results = mem_calloc(GOALS_MAX, sizeof *set->results);
    if (!set->goals || !set->results) {
        diag_oom(d, _("reading goals"));
        goto fail;
    }
    goals_reader reader = {.r = r, .set = set, .d = d};
    if (!cJSON_IsArray(goals)) {
        goals_error(&reader, goals, "$.goals", _("\"goals\" must be an array, not %s"), jsonfile_type_name(goals));
        goto fail;
    }
    size_t index = 0;
    int failed = 0;
    for (const cJSON *c = goals->child; c; c = c->next, index++) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_index(here, "$.goals", index);
        int status = cJSON_IsString(c) ? goals_read_file(&reader, c, here) : goals_read_goal(&reader, c, here);
        if (status != DIAG_OK) {
            failed = 1; /* the other goals are read on, so every mistake is reported */
            if (status == DIAG_SOFTWARE)
                goto fail;
        }
    }
    if (failed)
        goto fail;
    return set;
fail:
    goals_free(set);
    return NULL;
}

