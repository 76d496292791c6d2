/* charts_load.c: the "charts" block of a scenario and the command line's chart options, read
 * into a charts_options (charts_load.h). */
#include "charts_load.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adds a variable name to the options (no duplicates). Returns a DIAG_ status. */
static int charts_options_add(charts_options *o, const char *name, diag *d)
{
    for (size_t i = 0; i < o->variable_count; i++)
        if (!strcmp(o->variables[i], name))
            return DIAG_OK;
    if (o->variable_count >= CHARTS_MAX_VARIABLES)
        return diag_error(d, DIAG_DATA, _("at most %d chart variables"), CHARTS_MAX_VARIABLES);
    if (!(o->variables[o->variable_count] = mem_strdup(name)))
        return diag_oom(d, _("reading the charts block"));
    o->variable_count++;
    return DIAG_OK;
}

/* The default variables: those with an observation in the run's history, in model order;
 * every variable when none has one (a scenario without history). */
static int charts_default_variables(const run *r, charts_options *o, diag *d)
{
    const sim_plan *plan = r->plan;
    for (size_t s = 0; s < r->model->slot_count; s++) {
        if (r->model->slots[s].kind != MODEL_VARIABLE)
            continue;
        for (size_t t = 0; t < plan->years; t++)
            if (plan->origin[s * plan->years + t] == SIM_ORIGIN_OBSERVED) {
                if (charts_options_add(o, r->model->slots[s].name, d) != DIAG_OK)
                    return d->status;
                break;
            }
    }
    int observed_any = o->variable_count > 0;
    for (size_t s = 0; !observed_any && s < r->model->slot_count; s++) {
        if (r->model->slots[s].kind != MODEL_VARIABLE)
            continue;
        if (o->variable_count == CHARTS_MAX_VARIABLES)
            break;
        if (charts_options_add(o, r->model->slots[s].name, d) != DIAG_OK)
            return d->status;
    }
    return DIAG_OK;
}

static int charts_read_block(const run *r, charts_options *o, diag *d)
{
    const scenario *s = r->scenario;
    const cJSON *block = s->charts;
    static const char *const keys[] = {"variables", "size", "format", "note", NULL};
    if (jsonfile_check_keys(block, keys, scenario_origin(s, block), "$.charts", _("charts block"), d) != DIAG_OK)
        return d->status;
    char here[JSONFILE_PATH_MAX];
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(block, "variables");
    if (variables) {
        if (!cJSON_IsArray(variables) || cJSON_GetArraySize(variables) == 0)
            return scenario_error(s, d, variables, "$.charts.variables",
                                  _("\"variables\" must be a non-empty array of model names like [\"gdp\"], not %s"),
                                  jsonfile_type_name(variables));
        size_t index = 0;
        for (const cJSON *item = variables->child; item; item = item->next, index++) {
            jsonfile_path_index(here, "$.charts.variables", index);
            if (!cJSON_IsString(item))
                return scenario_error(s, d, item, here, _("a chart variable must be a model name (a string), not %s"),
                                      jsonfile_type_name(item));
            int slot = model_resolve(r->model, item->valuestring); /* a name or its label */
            if (slot < 0) {
                char hint[768];
                model_name_hint(r->model, item->valuestring, MODEL_KINDS_SERIES, hint, sizeof hint);
                return scenario_error(s, d, item, here, _("unknown variable \"%.80s\" in model %s%s"), item->valuestring,
                                      r->model->path, hint);
            }
            if (r->model->slots[slot].kind == MODEL_PARAMETER)
                return scenario_error(s, d, item, here,
                                      _("\"%s\" is a parameter (one value for every year): chart a variable or an "
                                      "exogenous series"),
                                      item->valuestring);
            if (charts_options_add(o, r->model->slots[slot].name, d) != DIAG_OK)
                return d->status == DIAG_DATA ? scenario_error(s, d, item, here, _("too many chart variables"))
                                              : d->status;
        }
        o->variables_given = 1;
    }
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(block, "size");
    if (size) {
        if (!cJSON_IsArray(size) || cJSON_GetArraySize(size) != 2)
            return scenario_error(s, d, size, "$.charts.size", _("\"size\" must be [width, height] in pixels, not %s"),
                                  jsonfile_type_name(size));
        int dims[2] = {0, 0};
        size_t index = 0;
        for (const cJSON *item = size->child; item; item = item->next, index++) {
            jsonfile_path_index(here, "$.charts.size", index);
            double v;
            if (!cJSON_IsNumber(item) || !jsonfile_number(item, &v) || v != floor(v) || v < CHARTS_MIN_SIZE ||
                v > CHARTS_MAX_SIZE)
                return index ? scenario_error(s, d, item, here,
                                              _("a chart height must be a whole number of pixels from %d to %d"),
                                              CHARTS_MIN_SIZE, CHARTS_MAX_SIZE)
                             : scenario_error(s, d, item, here,
                                              _("a chart width must be a whole number of pixels from %d to %d"),
                                              CHARTS_MIN_SIZE, CHARTS_MAX_SIZE);
            dims[index] = (int)v;
        }
        o->width = dims[0];
        o->height = dims[1];
    }
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(block, "format");
    if (format && (!cJSON_IsString(format) || !plot_format_parse(format->valuestring, &o->format)))
        return scenario_error(s, d, format, "$.charts.format", _("\"format\" must be \"png\", \"svg\" or \"pdf\""));
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(block, "note");
    if (note && !cJSON_IsString(note))
        return scenario_error(s, d, note, "$.charts.note", _("\"note\" must be a string, not %s"),
                              jsonfile_type_name(note));
    return DIAG_OK;
}

/* Reads a whole number of seconds from the environment variable `name` into *out (left as it
 * is when the variable is unset or empty). Returns a DIAG_ status. */
static int charts_env_seconds(const char *name, int *out, diag *d)
{
    const char *text = getenv(name);
    if (!text || !*text)
        return DIAG_OK;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 1 || v > 86400)
        return diag_error(d, DIAG_USAGE, _("%s must be a whole number of seconds from 1 to 86400, not '%.40s'"), name,
                          text);
    *out = (int)v;
    return DIAG_OK;
}

int charts_options_load(const run *r, const charts_request *request, charts_options *out, diag *d)
{
    memset(out, 0, sizeof *out);
    out->timeout_seconds = PLOT_TIMEOUT_SECONDS;
    out->budget_seconds = PLOT_BUDGET_SECONDS;
    if (charts_env_seconds("ECONSIM_GNUPLOT_TIMEOUT", &out->timeout_seconds, d) != DIAG_OK ||
        charts_env_seconds("ECONSIM_CHARTS_BUDGET", &out->budget_seconds, d) != DIAG_OK)
        return d->status;
    static const charts_request none = {0};
    if (!request)
        request = &none;
    out->enabled = !request->disabled;
    out->format = PLOT_PNG;
    out->width = CHARTS_DEFAULT_WIDTH;
    out->height = CHARTS_DEFAULT_HEIGHT;
    int status = DIAG_OK;
    if (r->scenario->charts) {
        if (!cJSON_IsObject(r->scenario->charts))
            status = scenario_error(r->scenario, d, r->scenario->charts, "$.charts",
                                    _("\"charts\" must be an object like {\"variables\": [\"gdp\"]}, not %s"),
                                    jsonfile_type_name(r->scenario->charts));
        else
            status = charts_read_block(r, out, d);
    }
    if (status == DIAG_OK && !out->variables_given && r->plan)
        status = charts_default_variables(r, out, d);
    if (status != DIAG_OK) {
        charts_options_release(out);
        return status;
    }
    if (request->format) {
        if (!plot_format_parse(request->format, &out->format)) {
            charts_options_release(out);
            return diag_error(d, DIAG_USAGE, _("--format must be png, svg or pdf, not '%s'"), request->format);
        }
        out->required = 1;
    }
    if (request->width || request->height) {
        if (request->width < CHARTS_MIN_SIZE || request->width > CHARTS_MAX_SIZE || request->height < CHARTS_MIN_SIZE ||
            request->height > CHARTS_MAX_SIZE) {
            charts_options_release(out);
            return diag_error(d, DIAG_USAGE, _("--size must be WIDTHxHEIGHT in pixels, each from %d to %d"),
                              CHARTS_MIN_SIZE, CHARTS_MAX_SIZE);
        }
        out->width = request->width;
        out->height = request->height;
    }
    return DIAG_OK;
}
