/* dist_parse.c: a distribution read from its JSON spec (dist_parse.h): the name (or an alias)
 * of the kind, the keys the kind takes (anything else is an error with a did-you-mean), the
 * numbers (JSON numbers or strings such as "1.5%"), then dist_validate, located at the spec. */
#include "dist_parse.h"

#include "i18n.h"
#include "jsonfile.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Names and keys                                                                             */

/* The spellings of "dist": the canonical names (dist_kind_name) first, then the aliases. */
static const struct {
    const char *name;
    dist_kind kind;
} dist_names[] = {
    {"normal", DIST_NORMAL},
    {"lognormal", DIST_LOGNORMAL},
    {"uniform", DIST_UNIFORM},
    {"triangular", DIST_TRIANGULAR},
    {"truncnormal", DIST_TRUNCNORMAL},
    {"beta", DIST_BETA},
    {"student_t", DIST_STUDENT_T},
    {"gaussian", DIST_NORMAL},
    {"truncated_normal", DIST_TRUNCNORMAL},
    {"t", DIST_STUDENT_T},
};

#define DIST_NAME_COUNT (sizeof dist_names / sizeof dist_names[0])

/* The parameters each kind takes, in the order messages list them. */
static const char *const *kind_keys(dist_kind kind)
{
    static const char *const normal[] = {"mean", "sd", NULL};
    static const char *const lognormal[] = {"mu", "sigma", "mean", "sd", NULL};
    static const char *const uniform[] = {"min", "max", NULL};
    static const char *const triangular[] = {"min", "mode", "max", NULL};
    static const char *const truncnormal[] = {"mean", "sd", "min", "max", NULL};
    static const char *const beta[] = {"a", "b", "min", "max", NULL};
    static const char *const student_t[] = {"df", "scale", "mean", NULL};
    switch (kind) {
    case DIST_NORMAL:
        return normal;
    case DIST_LOGNORMAL:
        return lognormal;
    case DIST_UNIFORM:
        return uniform;
    case DIST_TRIANGULAR:
        return triangular;
    case DIST_TRUNCNORMAL:
        return truncnormal;
    case DIST_BETA:
        return beta;
    case DIST_STUDENT_T:
        return student_t;
    }
    return normal;
}

static int is_parameter_name(const char *key)
{
    static const char *const all[] = {"mean", "sd", "mu", "sigma", "min", "max", "mode", "a", "b", "df", "scale"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(all[i], key))
            return 1;
    return 0;
}

static int in_list(const char *key, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], key))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Parameters                                                                                 */

/* Reads parameter `key` of spec: 1 when present (into *value), 0 when absent, -1 on error. */
static int read_parameter(const cJSON *spec, const char *key, const char *file, const char *json_path,
                          double *value, diag *d)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(spec, key);
    if (!item)
        return 0;
    char path[JSONFILE_PATH_MAX];
    jsonfile_path_key(path, json_path, key);
    if (!jsonfile_number(item, value)) {
        diag_error_json(d, DIAG_DATA, file, path, _("\"%s\" must be a finite number (or a string such as \"1.5%%\"), not %s"),
                        key, jsonfile_type_name(item));
        return -1;
    }
    return 1;
}

/* Turns the result of read_parameter for a parameter the distribution cannot do without into
 * a status: absent is an error that lists the parameters the distribution takes. */
static int need(int present, const char *key, dist_kind kind, const char *file, const char *json_path, diag *d)
{
    if (present < 0)
        return d->status;
    if (present == 0) {
        char keys[128] = "";
        const char *const *list = kind_keys(kind);
        size_t used = 0;
        for (size_t i = 0; list[i] && used < sizeof keys - 16; i++)
            used += (size_t)snprintf(keys + used, sizeof keys - used, "%s%s", i ? ", " : "", list[i]);
        return diag_error_json(d, DIAG_DATA, file, json_path, _("the %s distribution needs \"%s\" (it takes %s)"),
                               dist_kind_name(kind), key, keys);
    }
    return DIAG_OK;
}

/* Reads a parameter the distribution needs into *value: DIAG_OK, or the error of a bad or a
 * missing value. */
static int read_required(const cJSON *spec, const char *key, dist_kind kind, const char *file, const char *json_path,
                         double *value, diag *d)
{
    return need(read_parameter(spec, key, file, json_path, value, d), key, kind, file, json_path, d);
}

/* ---------------------------------------------------------------------------------------- */
/* The spec                                                                                   */

/* The kind the spec names in "dist" (a name or an alias), or default_kind when it has none
 * and default_kind >= 0. DIAG_OK with *kind set, or the error. */
static int parse_kind(const cJSON *spec, const char *file, const char *json_path, int default_kind, dist_kind *kind,
                      diag *d)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(spec, "dist");
    char path[JSONFILE_PATH_MAX];
    if (!name) {
        if (default_kind < 0 || default_kind >= DIST_KIND_COUNT)
            return diag_error_json(d, DIAG_DATA, file, json_path,
                                   _("missing \"dist\": one of normal, lognormal, uniform, triangular, truncnormal, "
                                   "beta, student_t"));
        *kind = (dist_kind)default_kind;
    } else {
        jsonfile_path_key(path, json_path, "dist");
        if (!cJSON_IsString(name))
            return diag_error_json(d, DIAG_DATA, file, path, _("\"dist\" must be a name such as \"normal\", not %s"),
                                   jsonfile_type_name(name));
        size_t i;
        for (i = 0; i < DIST_NAME_COUNT; i++)
            if (!strcmp(dist_names[i].name, name->valuestring))
                break;
        if (i == DIST_NAME_COUNT) {
            const char *candidates[DIST_NAME_COUNT];
            for (size_t k = 0; k < DIST_NAME_COUNT; k++)
                candidates[k] = dist_names[k].name;
            const char *hint = text_suggest(name->valuestring, candidates, DIST_NAME_COUNT);
            if (hint)
                return diag_error_json(d, DIAG_DATA, file, path, _("unknown distribution \"%s\" (did you mean \"%s\"?)"),
                                       name->valuestring, hint);
            return diag_error_json(d, DIAG_DATA, file, path,
                                   _("unknown distribution \"%s\": use normal, lognormal, uniform, triangular, "
                                   "truncnormal, beta or student_t"),
                                   name->valuestring);
        }
        *kind = dist_names[i].kind;
    }
    return DIAG_OK;
}

/* Every key of the spec must be "dist", "note", a parameter of the kind or one of the
 * caller's extra_keys: the first other key is an error (a parameter of another kind says
 * which ones this kind takes; anything else gets a did-you-mean). */
static int check_keys(const cJSON *spec, dist_kind kind, const char *file, const char *json_path,
                      const char *const *extra_keys, diag *d)
{
    char path[JSONFILE_PATH_MAX];
    /* keys: the kind's parameters, "dist", "note" and the caller's own */
    const char *const *allowed = kind_keys(kind);
    for (const cJSON *child = spec->child; child; child = child->next) {
        const char *key = child->string;
        if (!strcmp(key, "dist") || !strcmp(key, "note") || in_list(key, allowed) || in_list(key, extra_keys))
            continue;
        if (!strcmp(key, "note_en")) { /* the note's English form */
            int status = jsonfile_check_english(spec, "note", file, json_path, d);
            if (status != DIAG_OK)
                return status;
            continue;
        }
        jsonfile_path_key(path, json_path, key);
        if (is_parameter_name(key)) {
            char keys[128] = "";
            size_t used = 0;
            for (size_t i = 0; allowed[i] && used < sizeof keys - 16; i++)
                used += (size_t)snprintf(keys + used, sizeof keys - used, "%s%s", i ? ", " : "", allowed[i]);
            return diag_error_json(d, DIAG_DATA, file, path,
                                   _("\"%s\" is not a parameter of the %s distribution (it takes %s)"), key,
                                   dist_kind_name(kind), keys);
        }
        /* let the shared checker produce the did-you-mean over every key allowed here */
        const char *all[32];
        size_t n = 0;
        all[n++] = "dist";
        all[n++] = "note";
        for (size_t i = 0; allowed[i] && n < 31; i++)
            all[n++] = allowed[i];
        for (size_t i = 0; extra_keys && extra_keys[i] && n < 31; i++)
            all[n++] = extra_keys[i];
        all[n] = NULL;
        char what[64];
        snprintf(what, sizeof what, _("%s distribution"), dist_kind_name(kind));
        int status = jsonfile_check_keys(spec, all, file, json_path, what, d);
        return status != DIAG_OK ? status : diag_error_json(d, DIAG_DATA, file, path, _("unknown key \"%s\""), key);
    }
    return DIAG_OK;
}

/* The lognormal, given as mu and sigma of log X, or as the mean and sd of X itself. */
static int read_lognormal(const cJSON *spec, const char *file, const char *json_path, dist *out, diag *d)
{
    double v1, v2, v3, v4;
    int p1, p2, p3, p4;
    p1 = read_parameter(spec, "mu", file, json_path, &v1, d);
    p2 = read_parameter(spec, "sigma", file, json_path, &v2, d);
    p3 = read_parameter(spec, "mean", file, json_path, &v3, d);
    p4 = read_parameter(spec, "sd", file, json_path, &v4, d);
    if (p1 < 0 || p2 < 0 || p3 < 0 || p4 < 0)
        return d->status;
    if ((p1 || p2) && (p3 || p4))
        return diag_error_json(d, DIAG_DATA, file, json_path,
                               _("give the lognormal either as \"mu\" and \"sigma\" (of the log) or as \"mean\" and "
                               "\"sd\" (of the value), not both"));
    if (p3 || p4) {
        if (!p3 || !p4)
            return diag_error_json(d, DIAG_DATA, file, json_path,
                                   _("the lognormal given by its mean needs both \"mean\" and \"sd\""));
        if (!(v3 > 0))
            return diag_error_json(d, DIAG_DATA, file, json_path,
                                   _("a lognormal value is positive: its \"mean\" must be > 0, not %g"), v3);
        if (!(v4 > 0))
            return diag_error_json(d, DIAG_DATA, file, json_path,
                                   _("the lognormal distribution needs sd > 0 (sd is %g)"), v4);
        double sigma2 = log1p((v4 / v3) * (v4 / v3));
        out->sigma = sqrt(sigma2);
        out->mu = log(v3) - sigma2 / 2;
    } else {
        if (!p1 || !p2)
            return diag_error_json(d, DIAG_DATA, file, json_path,
                                   _("the lognormal distribution needs \"mu\" and \"sigma\" (of the log), or "
                                   "\"mean\" and \"sd\" (of the value)"));
        out->mu = v1;
        out->sigma = v2;
    }
    return DIAG_OK;
}

/* Reads the parameters of `kind` into *out (dist_init first), with each kind's defaults. */
static int read_parameters(const cJSON *spec, dist_kind kind, const char *file, const char *json_path, dist *out,
                           diag *d)
{
    double v1, v2, v3, v4;
    int p1, p2, p3, p4, status;
    switch (kind) {
    case DIST_NORMAL:
        p1 = read_parameter(spec, "mean", file, json_path, &v1, d);
        p2 = read_parameter(spec, "sd", file, json_path, &v2, d);
        if (p1 < 0 || (status = need(p2, "sd", kind, file, json_path, d)) != DIAG_OK)
            return d->status;
        out->mean = p1 ? v1 : 0.0;
        out->sd = v2;
        break;
    case DIST_LOGNORMAL:
        return read_lognormal(spec, file, json_path, out, d);
    case DIST_UNIFORM:
        if ((status = read_required(spec, "min", kind, file, json_path, &v1, d)) != DIAG_OK)
            return status;
        if ((status = read_required(spec, "max", kind, file, json_path, &v2, d)) != DIAG_OK)
            return status;
        out->min = v1;
        out->max = v2;
        break;
    case DIST_TRIANGULAR:
        if ((status = read_required(spec, "min", kind, file, json_path, &v1, d)) != DIAG_OK)
            return status;
        if ((status = read_required(spec, "mode", kind, file, json_path, &v2, d)) != DIAG_OK)
            return status;
        if ((status = read_required(spec, "max", kind, file, json_path, &v3, d)) != DIAG_OK)
            return status;
        out->min = v1;
        out->mode = v2;
        out->max = v3;
        break;
    case DIST_TRUNCNORMAL:
        if ((status = read_required(spec, "mean", kind, file, json_path, &v1, d)) != DIAG_OK)
            return status;
        if ((status = read_required(spec, "sd", kind, file, json_path, &v2, d)) != DIAG_OK)
            return status;
        p3 = read_parameter(spec, "min", file, json_path, &v3, d);
        p4 = read_parameter(spec, "max", file, json_path, &v4, d);
        if (p3 < 0 || p4 < 0)
            return d->status;
        out->mean = v1;
        out->sd = v2;
        out->min = p3 ? v3 : -INFINITY;
        out->max = p4 ? v4 : INFINITY;
        break;
    case DIST_BETA:
        if ((status = read_required(spec, "a", kind, file, json_path, &v1, d)) != DIAG_OK)
            return status;
        if ((status = read_required(spec, "b", kind, file, json_path, &v2, d)) != DIAG_OK)
            return status;
        p3 = read_parameter(spec, "min", file, json_path, &v3, d);
        p4 = read_parameter(spec, "max", file, json_path, &v4, d);
        if (p3 < 0 || p4 < 0)
            return d->status;
        out->a = v1;
        out->b = v2;
        out->min = p3 ? v3 : 0.0;
        out->max = p4 ? v4 : 1.0;
        break;
    case DIST_STUDENT_T:
        if ((status = read_required(spec, "df", kind, file, json_path, &v1, d)) != DIAG_OK)
            return status;
        p2 = read_parameter(spec, "scale", file, json_path, &v2, d);
        p3 = read_parameter(spec, "mean", file, json_path, &v3, d);
        if (p2 < 0 || p3 < 0)
            return d->status;
        out->df = v1;
        out->scale = p2 ? v2 : 1.0;
        out->mean = p3 ? v3 : 0.0;
        break;
    }
    (void)status;
    return DIAG_OK;
}

int dist_parse(const cJSON *spec, const char *file, const char *json_path, const char *const *extra_keys,
               int default_kind, dist *out, diag *d)
{
    if (!cJSON_IsObject(spec))
        return diag_error_json(d, DIAG_DATA, file, json_path,
                               _("a distribution must be an object such as {\"dist\": \"normal\", \"sd\": 0.01}, not %s"),
                               jsonfile_type_name(spec));
    dist_kind kind;
    int status = parse_kind(spec, file, json_path, default_kind, &kind, d);
    if (status == DIAG_OK)
        status = check_keys(spec, kind, file, json_path, extra_keys, d);
    if (status != DIAG_OK)
        return status;
    dist_init(out, kind);
    if ((status = read_parameters(spec, kind, file, json_path, out, d)) != DIAG_OK)
        return status;
    return dist_validate(out, file, json_path, d);
}
