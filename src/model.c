/* model.c: loading a model file, resolving names and ordering the equations.
 *
 * A model is plain text that planners edit: every name is checked once here so that the
 * simulator can run compiled programs over slot indices without ever looking at a string.
 * Equations referring to other variables in the same year fix the evaluation order; that
 * order is a topological sort (stable: file order breaks ties, so output never depends on
 * hashing), and a cycle is reported with every variable on it. */
#include "model.h"
#include "mem.h"
#include "text.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const model_top_keys[] = {"name", "title", "note", "parameters", "exogenous", "variables", NULL};
static const char *const model_input_keys[] = {"value", "min", "max", "label", "unit", "note", NULL};
static const char *const model_variable_keys[] = {"eq", "label", "unit", "note", NULL};

/* Words of the equation language that can never name a slot. */
static const char *const model_reserved[] = {"year", "pi", "e", "and", "or", "not", "if", "min", "max", "abs",
                                             "exp", "log", "sqrt", "pow", "sin", "cos", "tan", "floor",
                                             "ceil", "round", "clamp", NULL};

const char *model_kind_name(model_kind kind)
{
    switch (kind) {
    case MODEL_PARAMETER:
        return "parameter";
    case MODEL_EXOGENOUS:
        return "exogenous series";
    case MODEL_VARIABLE:
        return "variable";
    }
    return "?";
}

int model_slot_is_rate(const model_slot *slot)
{
    return slot->unit && (!strcmp(slot->unit, "ratio") || !strcmp(slot->unit, "fraction"));
}

int model_find(const model *m, const char *name)
{
    for (size_t i = 0; i < m->slot_count; i++)
        if (!strcmp(m->slots[i].name, name))
            return (int)i;
    return -1;
}

const char *model_suggest(const model *m, const char *name, int kind)
{
    const char *best = NULL;
    int best_distance = 1 << 30;
    int limit = (int)strlen(name) / 3;
    if (limit < 2)
        limit = 2;
    for (size_t i = 0; i < m->slot_count; i++) {
        if (kind >= 0 && (int)m->slots[i].kind != kind)
            continue;
        int d = text_edit_distance(name, m->slots[i].name);
        if (d <= limit && d < best_distance) {
            best_distance = d;
            best = m->slots[i].name;
        }
    }
    return best;
}

void model_free(model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->slot_count; i++) {
        model_slot *s = &m->slots[i];
        mem_free(s->name);
        mem_free(s->label);
        mem_free(s->unit);
        mem_free(s->note);
        mem_free(s->equation);
        expr_program_free(s->program);
    }
    mem_free(m->slots);
    mem_free(m->names);
    mem_free(m->order);
    mem_free(m->path);
    mem_free(m->name);
    mem_free(m->title);
    mem_free(m->note);
    mem_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading slots                                                                             */

static int valid_identifier(const char *name)
{
    if (!(isalpha((unsigned char)name[0]) || name[0] == '_'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return 0;
    return strlen(name) <= 64;
}

/* Copies an optional string member into *out (NULL when absent). */
static int read_string(const model *m, const cJSON *object, const char *key, const char *path, char **out, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    *out = NULL;
    if (!item)
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, key);
    if (!cJSON_IsString(item))
        return diag_error_json(d, DIAG_DATA, m->path, here, "\"%s\" must be a string, not %s", key,
                               jsonfile_type_name(item));
    *out = mem_strdup(item->valuestring);
    return *out ? DIAG_OK : diag_oom(d, "loading a model");
}

static int read_number(const model *m, const cJSON *object, const char *key, const char *path, double *out, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!item)
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, key);
    if (!jsonfile_number(item, out))
        return diag_error_json(d, DIAG_DATA, m->path, here, "\"%s\" must be a finite number (or a percentage such as \"8%%\"), not %s",
                               key, jsonfile_type_name(item));
    return DIAG_OK;
}

static int read_slot(model *m, model_slot *slot, const cJSON *item, model_kind kind, const char *section, diag *d)
{
    slot->kind = kind;
    slot->value = NAN;
    slot->min = -INFINITY;
    slot->max = INFINITY;
    jsonfile_path_key(slot->json_path, section, item->string);
    if (!(slot->name = mem_strdup(item->string)))
        return diag_oom(d, "loading a model");
    if (!valid_identifier(slot->name))
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path,
                               "\"%s\" is not a valid name: use letters, digits and _, starting with a letter",
                               slot->name);
    for (size_t i = 0; model_reserved[i]; i++)
        if (!strcmp(slot->name, model_reserved[i]))
            return diag_error_json(d, DIAG_DATA, m->path, slot->json_path,
                                   "\"%s\" is a reserved word of the equation language and cannot name a %s",
                                   slot->name, model_kind_name(kind));
    if (!cJSON_IsObject(item))
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, "a %s must be an object, not %s",
                               model_kind_name(kind), jsonfile_type_name(item));
    const char *const *keys = kind == MODEL_VARIABLE ? model_variable_keys : model_input_keys;
    int status = jsonfile_check_keys(item, keys, m->path, slot->json_path, model_kind_name(kind), d);
    if (status == DIAG_OK)
        status = read_string(m, item, "label", slot->json_path, &slot->label, d);
    if (status == DIAG_OK)
        status = read_string(m, item, "unit", slot->json_path, &slot->unit, d);
    if (status == DIAG_OK)
        status = read_string(m, item, "note", slot->json_path, &slot->note, d);
    if (status != DIAG_OK)
        return status;
    if (!slot->label && !(slot->label = mem_strdup(slot->name)))
        return diag_oom(d, "loading a model");
    if (!slot->unit && !(slot->unit = mem_strdup("")))
        return diag_oom(d, "loading a model");
    if (kind == MODEL_VARIABLE) {
        status = read_string(m, item, "eq", slot->json_path, &slot->equation, d);
        if (status == DIAG_OK && !slot->equation)
            status = diag_error_json(d, DIAG_DATA, m->path, slot->json_path, "variable \"%s\" has no \"eq\"",
                                     slot->name);
        return status;
    }
    if (!cJSON_GetObjectItemCaseSensitive(item, "value"))
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, "%s \"%s\" has no \"value\"",
                               model_kind_name(kind), slot->name);
    status = read_number(m, item, "value", slot->json_path, &slot->value, d);
    if (status == DIAG_OK)
        status = read_number(m, item, "min", slot->json_path, &slot->min, d);
    if (status == DIAG_OK)
        status = read_number(m, item, "max", slot->json_path, &slot->max, d);
    if (status != DIAG_OK)
        return status;
    if (slot->min > slot->max)
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, "min %g is greater than max %g", slot->min,
                               slot->max);
    if (slot->value < slot->min || slot->value > slot->max)
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, "value %g is outside [min, max] = [%g, %g]",
                               slot->value, slot->min, slot->max);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Compiling and ordering                                                                     */

static int compile_equations(model *m, diag *d)
{
    for (size_t i = 0; i < m->slot_count; i++) {
        model_slot *slot = &m->slots[i];
        if (slot->kind != MODEL_VARIABLE)
            continue;
        expr_error err;
        slot->program = expr_compile(slot->equation, m->names, m->slot_count, &err);
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, slot->json_path, "eq");
        if (!slot->program) {
            if (err.column <= 0)
                return diag_oom(d, "compiling an equation");
            /* show the equation with a caret under the spot, as compilers do */
            char caret[EXPR_MAX_SOURCE + 8];
            int width = 0;
            const char *p = slot->equation;
            unsigned cp;
            int n;
            for (int col = 1; col < err.column && (n = text_utf8_next(p, &cp)) > 0; col++, p += n)
                width += text_codepoint_width(cp) > 0 ? text_codepoint_width(cp) : 1;
            if (width > 200)
                width = 200;
            snprintf(caret, sizeof caret, "%*s^", width, "");
            return diag_error_json(d, DIAG_DATA, m->path, here, "column %d: %s\n    %.200s\n    %s", err.column,
                                   err.message, slot->equation, caret);
        }
        size_t ref_count;
        const expr_ref *refs = expr_program_refs(slot->program, &ref_count);
        for (size_t r = 0; r < ref_count; r++)
            if (refs[r].lag > m->max_lag)
                m->max_lag = refs[r].lag;
        size_t scratch = expr_program_scratch(slot->program);
        if (scratch > m->scratch)
            m->scratch = scratch;
    }
    return DIAG_OK;
}

/* Reports one cycle among the variables not yet ordered (placed[v] == 0), walking from a
 * stuck variable to an unplaced same-year input until a variable repeats. */
static int report_cycle(const model *m, const unsigned char *placed, diag *d)
{
    size_t n = m->slot_count;
    size_t *walk = mem_alloc((n + 1) * sizeof *walk);
    if (!walk)
        return diag_oom(d, "ordering equations");
    size_t start = n;
    for (size_t v = 0; v < n && start == n; v++)
        if (m->slots[v].kind == MODEL_VARIABLE && !placed[v])
            start = v;
    size_t len = 0, current = start;
    for (;;) {
        size_t seen_at = len;
        for (size_t i = 0; i < len; i++)
            if (walk[i] == current)
                seen_at = i;
        if (seen_at < len) {
            char text[768] = "";
            size_t used = 0;
            for (size_t i = seen_at; i < len && used < sizeof text - 80; i++)
                used += (size_t)snprintf(text + used, sizeof text - used, "%s -> ", m->slots[walk[i]].name);
            snprintf(text + used, sizeof text - used, "%s", m->slots[current].name);
            mem_free(walk);
            /* a self-reference (x = x + 1) is the one-variable cycle */
            return diag_error_json(d, DIAG_DATA, m->path, "$.variables",
                                   "same-year dependency cycle: %s (break it with a lag such as x[-1])", text);
        }
        walk[len++] = current;
        size_t next = n;
        size_t ref_count;
        const expr_ref *refs = expr_program_refs(m->slots[current].program, &ref_count);
        for (size_t r = 0; r < ref_count && next == n; r++) {
            size_t s = (size_t)refs[r].slot;
            if (refs[r].lag == 0 && m->slots[s].kind == MODEL_VARIABLE && !placed[s])
                next = s;
        }
        if (next == n) { /* cannot happen for a stuck variable; fail safe */
            mem_free(walk);
            return diag_error(d, DIAG_SOFTWARE, "internal error while reporting a dependency cycle");
        }
        current = next;
    }
}

static int order_equations(model *m, diag *d)
{
    size_t n = m->slot_count;
    unsigned char *placed = mem_calloc(n, 1);
    m->order = mem_alloc(n * sizeof *m->order);
    if (!placed || !m->order) {
        mem_free(placed);
        return diag_oom(d, "ordering equations");
    }
    size_t variables = 0;
    for (size_t v = 0; v < n; v++)
        variables += m->slots[v].kind == MODEL_VARIABLE;
    /* Repeatedly place the first variable (in file order) whose same-year inputs are all
     * placed: O(n^2 refs), trivial for county-sized models, and stable. */
    while (m->order_count < variables) {
        size_t pick = n;
        for (size_t v = 0; v < n && pick == n; v++) {
            if (m->slots[v].kind != MODEL_VARIABLE || placed[v])
                continue;
            int ready = 1;
            size_t ref_count;
            const expr_ref *refs = expr_program_refs(m->slots[v].program, &ref_count);
            for (size_t r = 0; r < ref_count && ready; r++) {
                size_t s = (size_t)refs[r].slot;
                if (refs[r].lag == 0 && m->slots[s].kind == MODEL_VARIABLE && !placed[s])
                    ready = 0;
            }
            if (ready)
                pick = v;
        }
        if (pick == n) {
            int status = report_cycle(m, placed, d);
            mem_free(placed);
            return status;
        }
        placed[pick] = 1;
        m->order[m->order_count++] = pick;
    }
    mem_free(placed);
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Loading                                                                                    */

static int read_section(model *m, const cJSON *root, const char *key, model_kind kind, diag *d)
{
    const cJSON *section = cJSON_GetObjectItemCaseSensitive(root, key);
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, "$", key);
    if (!section)
        return DIAG_OK;
    if (!cJSON_IsObject(section))
        return diag_error_json(d, DIAG_DATA, m->path, path, "\"%s\" must be an object of names, not %s", key,
                               jsonfile_type_name(section));
    for (const cJSON *item = section->child; item; item = item->next) {
        if (m->slot_count >= MODEL_MAX_SLOTS)
            return diag_error_json(d, DIAG_DATA, m->path, path, "more than %d names in the model", MODEL_MAX_SLOTS);
        int twin = model_find(m, item->string);
        if (twin >= 0) {
            char here[JSONFILE_PATH_MAX];
            jsonfile_path_key(here, path, item->string);
            return diag_error_json(d, DIAG_DATA, m->path, here, "\"%s\" is already defined at %s", item->string,
                                   m->slots[twin].json_path);
        }
        model_slot *slot = &m->slots[m->slot_count++];
        memset(slot, 0, sizeof *slot);
        int status = read_slot(m, slot, item, kind, path, d);
        if (status != DIAG_OK)
            return status;
    }
    return DIAG_OK;
}

model *model_load(const char *path, diag *d)
{
    cJSON *root = jsonfile_load(path, d);
    if (!root)
        return NULL;
    model *m = mem_calloc(1, sizeof *m);
    if (!m) {
        cJSON_Delete(root);
        diag_oom(d, "loading a model");
        return NULL;
    }
    int status = DIAG_OK;
    if (!(m->path = mem_strdup(path))) {
        status = diag_oom(d, "loading a model");
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        status = diag_error_json(d, DIAG_DATA, path, "$", "a model file must hold a JSON object, not %s",
                                 jsonfile_type_name(root));
        goto out;
    }
    status = jsonfile_check_keys(root, model_top_keys, path, "$", "model", d);
    if (status == DIAG_OK)
        status = read_string(m, root, "name", "$", &m->name, d);
    if (status == DIAG_OK)
        status = read_string(m, root, "title", "$", &m->title, d);
    if (status == DIAG_OK)
        status = read_string(m, root, "note", "$", &m->note, d);
    if (status != DIAG_OK)
        goto out;
    size_t capacity = 0;
    static const char *const sections[] = {"parameters", "exogenous", "variables"};
    for (size_t s = 0; s < 3; s++) {
        const cJSON *section = cJSON_GetObjectItemCaseSensitive(root, sections[s]);
        if (cJSON_IsObject(section))
            capacity += (size_t)cJSON_GetArraySize(section);
    }
    if (capacity > MODEL_MAX_SLOTS)
        capacity = MODEL_MAX_SLOTS + 1;
    m->slots = mem_calloc(capacity ? capacity : 1, sizeof *m->slots);
    if (!m->slots) {
        status = diag_oom(d, "loading a model");
        goto out;
    }
    status = read_section(m, root, "parameters", MODEL_PARAMETER, d);
    if (status == DIAG_OK)
        status = read_section(m, root, "exogenous", MODEL_EXOGENOUS, d);
    if (status == DIAG_OK)
        status = read_section(m, root, "variables", MODEL_VARIABLE, d);
    if (status != DIAG_OK)
        goto out;
    if (!m->name && !(m->name = mem_strdup("model"))) {
        status = diag_oom(d, "loading a model");
        goto out;
    }
    if (!m->title && !(m->title = mem_strdup(m->name))) {
        status = diag_oom(d, "loading a model");
        goto out;
    }
    m->names = mem_alloc((m->slot_count ? m->slot_count : 1) * sizeof *m->names);
    if (!m->names) {
        status = diag_oom(d, "loading a model");
        goto out;
    }
    for (size_t i = 0; i < m->slot_count; i++)
        m->names[i] = m->slots[i].name;
    status = compile_equations(m, d);
    if (status == DIAG_OK)
        status = order_equations(m, d);
out:
    cJSON_Delete(root);
    if (status != DIAG_OK) {
        model_free(m);
        return NULL;
    }
    return m;
}
