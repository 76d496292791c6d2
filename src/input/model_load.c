/* model_load.c: a model file read into a model (model_load.h): its top-level keys, every
 * parameter, exogenous series and variable with its label, unit, note, range, value and
 * equation, and the labels checked; then model_compile (model.h) compiles and orders it.
 * Every mistake of the file is reported, not only the first. */
#include "model_load.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const model_top_keys[] = {"name", "title", "note", "parameters", "exogenous", "variables", NULL};
static const char *const model_input_keys[] = {"value", "min", "max", "label", "unit", "note", NULL};
static const char *const model_variable_keys[] = {"eq", "label", "unit", "note", "min", "max", NULL};

/* Words of the equation language that can never name a slot. */
static const char *const model_reserved[] = {"year", "pi", "e", "and", "or", "not", "if", "min", "max", "abs",
                                             "exp", "log", "sqrt", "pow", "sin", "cos", "tan", "floor",
                                             "ceil", "round", "clamp", NULL};

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
        return diag_error_json(d, DIAG_DATA, m->path, here, _("\"%s\" must be a string, not %s"), key,
                               jsonfile_type_name(item));
    *out = mem_strdup(item->valuestring);
    return *out ? DIAG_OK : diag_oom(d, _("loading a model"));
}

/* Copies the English form "KEY_en" of a member into *out (NULL when absent). Its type was
 * checked with the object's keys (jsonfile_check_keys). */
static int read_english(const cJSON *object, const char *key, char **out, diag *d)
{
    const char *text = jsonfile_english(object, key);
    *out = text ? mem_strdup(text) : NULL;
    return !text || *out ? DIAG_OK : diag_oom(d, _("loading a model"));
}

static int read_number(const model *m, const cJSON *object, const char *key, const char *path, double *out, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!item)
        return DIAG_OK;
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, path, key);
    if (!jsonfile_number(item, out))
        return diag_error_json(d, DIAG_DATA, m->path, here, _("\"%s\" must be a finite number (or a percentage such as \"8%%\"), not %s"),
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
        return diag_oom(d, _("loading a model"));
    if (!valid_identifier(slot->name))
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path,
                               _("\"%s\" is not a valid name: use ASCII letters, digits and _, not starting with a digit, "
                               "at most 64 characters"),
                               slot->name);
    for (size_t i = 0; model_reserved[i]; i++)
        if (!strcmp(slot->name, model_reserved[i]))
            return diag_error_json(d, DIAG_DATA, m->path, slot->json_path,
                                   _("\"%s\" is a reserved word of the equation language and cannot name a %s"),
                                   slot->name, _(model_kind_name(kind)));
    if (!cJSON_IsObject(item))
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, _("a %s must be an object, not %s"),
                               _(model_kind_name(kind)), jsonfile_type_name(item));
    const char *const *keys = kind == MODEL_VARIABLE ? model_variable_keys : model_input_keys;
    int status = jsonfile_check_keys(item, keys, m->path, slot->json_path, _(model_kind_name(kind)), d);
    if (status != DIAG_OK)
        return status;
    status = read_string(m, item, "label", slot->json_path, &slot->label, d);
    if (status == DIAG_OK)
        status = read_string(m, item, "unit", slot->json_path, &slot->unit, d);
    if (status == DIAG_OK)
        status = read_string(m, item, "note", slot->json_path, &slot->note, d);
    if (status == DIAG_OK)
        status = read_english(item, "note", &slot->note_en, d);
    if (status != DIAG_OK)
        return status;
    if (!slot->label && !(slot->label = mem_strdup(slot->name)))
        return diag_oom(d, _("loading a model"));
    if (!slot->unit && !(slot->unit = mem_strdup("")))
        return diag_oom(d, _("loading a model"));
    status = read_number(m, item, "min", slot->json_path, &slot->min, d);
    if (status == DIAG_OK)
        status = read_number(m, item, "max", slot->json_path, &slot->max, d);
    if (status == DIAG_OK && slot->min > slot->max)
        status = diag_error_json(d, DIAG_DATA, m->path, slot->json_path, _("min %g is greater than max %g"), slot->min,
                                 slot->max);
    if (kind == MODEL_VARIABLE) {
        int eq = read_string(m, item, "eq", slot->json_path, &slot->equation, d);
        if (eq == DIAG_OK && !slot->equation)
            eq = diag_error_json(d, DIAG_DATA, m->path, slot->json_path, _("variable \"%s\" has no \"eq\""),
                                 slot->name);
        return status != DIAG_OK ? status : eq;
    }
    if (status != DIAG_OK)
        return status;
    if (!cJSON_GetObjectItemCaseSensitive(item, "value"))
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, _("%s \"%s\" has no \"value\""),
                               _(model_kind_name(kind)), slot->name);
    status = read_number(m, item, "value", slot->json_path, &slot->value, d);
    if (status != DIAG_OK)
        return status;
    if (slot->value < slot->min || slot->value > slot->max)
        return diag_error_json(d, DIAG_DATA, m->path, slot->json_path, _("value %g is outside [min, max] = [%g, %g]"),
                               slot->value, slot->min, slot->max);
    return DIAG_OK;
}

static int read_section(model *m, const cJSON *root, const char *key, model_kind kind, diag *d)
{
    const cJSON *section = cJSON_GetObjectItemCaseSensitive(root, key);
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, "$", key);
    if (!section)
        return DIAG_OK;
    if (!cJSON_IsObject(section))
        return diag_error_json(d, DIAG_DATA, m->path, path, _("\"%s\" must be an object of names, not %s"), key,
                               jsonfile_type_name(section));
    int status = DIAG_OK;
    for (const cJSON *item = section->child; item; item = item->next) {
        if (m->slot_count >= MODEL_MAX_SLOTS)
            return diag_error_json(d, DIAG_DATA, m->path, path, _("more than %d names in the model"), MODEL_MAX_SLOTS);
        int twin = model_find(m, item->string);
        if (twin >= 0) {
            char here[JSONFILE_PATH_MAX];
            jsonfile_path_key(here, path, item->string);
            status = diag_error_json(d, DIAG_DATA, m->path, here, _("\"%s\" is already defined at %s"), item->string,
                                     m->slots[twin].json_path);
            continue;
        }
        model_slot *slot = &m->slots[m->slot_count++];
        memset(slot, 0, sizeof *slot);
        /* a bad slot is reported and the others are read on: every mistake in one run */
        if (read_slot(m, slot, item, kind, path, d) != DIAG_OK)
            status = d->status;
        slot->model_min = slot->min;
        slot->model_max = slot->max;
        if (status == DIAG_SOFTWARE)
            return status;
    }
    return status;
}

/* Labels stand for names wherever a name is expected, so no label may be another slot's label
 * or name. */
static int check_labels(const model *m, diag *d)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < m->slot_count; i++) {
        const model_slot *slot = &m->slots[i];
        if (!slot->label || !strcmp(slot->label, slot->name))
            continue;
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, slot->json_path, "label");
        int other = model_find(m, slot->label);
        if (other >= 0) {
            status = diag_error_json(d, DIAG_DATA, m->path, here,
                                     _("the label \"%s\" is the name of another %s (%s): labels stand for names, so "
                                     "each must name one thing"),
                                     slot->label, _(model_kind_name(m->slots[other].kind)), m->slots[other].json_path);
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (m->slots[k].label && !strcmp(m->slots[k].label, slot->label)) {
                status = diag_error_json(d, DIAG_DATA, m->path, here,
                                         _("the label \"%s\" is also the label of %s (%s): labels stand for names "
                                         "wherever a name is expected, so each must be unique"),
                                         slot->label, m->slots[k].name, m->slots[k].json_path);
                break;
            }
    }
    return status;
}

model *model_load(const char *path, diag *d)
{
    cJSON *root = jsonfile_load(path, d);
    if (!root)
        return NULL;
    model *m = mem_calloc(1, sizeof *m);
    if (!m) {
        cJSON_Delete(root);
        diag_oom(d, _("loading a model"));
        return NULL;
    }
    int status = DIAG_OK;
    if (!(m->path = mem_strdup(path))) {
        status = diag_oom(d, _("loading a model"));
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        status = diag_error_json(d, DIAG_DATA, path, "$", _("a model file must hold a JSON object, not %s"),
                                 jsonfile_type_name(root));
        goto out;
    }
    /* a mistake at the top does not stop the slots from being read: all are reported */
    status = jsonfile_check_keys(root, model_top_keys, path, "$", _("model"), d);
    if (read_string(m, root, "name", "$", &m->name, d) != DIAG_OK ||
        read_string(m, root, "title", "$", &m->title, d) != DIAG_OK ||
        read_string(m, root, "note", "$", &m->note, d) != DIAG_OK ||
        read_english(root, "title", &m->title_en, d) != DIAG_OK || read_english(root, "note", &m->note_en, d) != DIAG_OK)
        status = d->status;
    if (status == DIAG_SOFTWARE)
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
        status = diag_oom(d, _("loading a model"));
        goto out;
    }
    if (read_section(m, root, "parameters", MODEL_PARAMETER, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && read_section(m, root, "exogenous", MODEL_EXOGENOUS, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_SOFTWARE && read_section(m, root, "variables", MODEL_VARIABLE, d) != DIAG_OK)
        status = d->status;
    if (status != DIAG_OK)
        goto out;
    if ((status = check_labels(m, d)) != DIAG_OK)
        goto out;
    if (!m->name && !(m->name = mem_strdup("model"))) {
        status = diag_oom(d, _("loading a model"));
        goto out;
    }
    if (!m->title && !(m->title = mem_strdup(m->name))) {
        status = diag_oom(d, _("loading a model"));
        goto out;
    }
    status = model_compile(m, d);
out:
    cJSON_Delete(root);
    if (status != DIAG_OK) {
        model_free(m);
        return NULL;
    }
    return m;
}
