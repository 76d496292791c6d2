/* ensemble_load.c: the "uncertainty" block of a scenario read into an ensemble_spec
 * (ensemble.h, ensemble_load): shocks with their distributions (dist.h), how they apply, their
 * persistence and correlation. The ensemble in ensemble.c runs from the spec alone. */
#include "ensemble_load.h"
#include "dist_parse.h"
#include "i18n.h"
#include "jsonfile.h"
#include "mem.h"
#include "pawn.h"
#include "range.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void ensemble_spec_free(ensemble_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->shock_count; i++) {
        mem_free(spec->shocks[i].name);
        mem_free(spec->shocks[i].note);
    }
    mem_free(spec->shocks);
    mem_free(spec->cholesky);
    mem_free(spec->note);
    mem_free(spec);
}

/* Reads a whole number in [min, max] from a JSON number; 1 on success. */
static int read_whole(const cJSON *item, double min, double max, double *out)
{
    if (!cJSON_IsNumber(item))
        return 0;
    double v = item->valuedouble;
    if (!isfinite(v) || v != floor(v) || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

static int parse_shock(const run *r, const cJSON *node, const char *path, ensemble_calibration calibrate,
                       ensemble_shock *shock, diag *d)
{
    const scenario *s = r->scenario;
    const model *m = r->model;
    const char *file = scenario_origin(s, node);
    const char *name = node->string;
    int slot = model_resolve(m, name); /* a name or its label */
    if (slot < 0) {
        char hint[768];
        model_name_hint(m, name, MODEL_KINDS_INPUTS, hint, sizeof hint);
        return scenario_error(s, d, node, path, _("shock on unknown name \"%.80s\"%s"), name, hint);
    }
    const model_slot *ms = &m->slots[slot];
    if (ms->kind == MODEL_VARIABLE)
        return scenario_error(s, d, node, path,
                              _("\"%s\" is a variable computed by its equation: shock the parameters or exogenous series "
                              "that drive it"),
                              name);
    static const char *const extra[] = {"apply", "ar1", NULL};
    /* with "calibrate", a normal shock may leave out its sd: the calibration sets it */
    cJSON *with_sd = NULL;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(node, "dist");
    if (calibrate != ENSEMBLE_CALIBRATE_NONE && cJSON_IsObject(node) && !cJSON_GetObjectItemCaseSensitive(node, "sd") &&
        cJSON_IsString(kind) && (!strcmp(kind->valuestring, "normal") || !strcmp(kind->valuestring, "gaussian"))) {
        if (!(with_sd = cJSON_Duplicate(node, 1)) || !cJSON_AddNumberToObject(with_sd, "sd", 1)) {
            cJSON_Delete(with_sd);
            return diag_oom(d, _("reading the uncertainty block"));
        }
        shock->calibrated = 1;
    }
    int parsed = dist_parse(with_sd ? with_sd : node, file, path, extra, -1, &shock->dist, d);
    cJSON_Delete(with_sd);
    if (parsed != DIAG_OK)
        return d->status;
    shock->file = file;
    if (!(shock->name = mem_strdup(ms->name)))
        return diag_oom(d, _("reading the uncertainty block"));
    snprintf(shock->json_path, sizeof shock->json_path, "%s", path);
    shock->slot = slot;
    shock->is_parameter = ms->kind == MODEL_PARAMETER;
    shock->apply = ENSEMBLE_ADD;
    shock->ar1 = 0;
    char key_path[JSONFILE_PATH_MAX];
    const cJSON *apply = cJSON_GetObjectItemCaseSensitive(node, "apply");
    if (apply) {
        jsonfile_path_key(key_path, path, "apply");
        if (!cJSON_IsString(apply))
            return scenario_error(s, d, apply, key_path, _("\"apply\" must be \"add\", \"multiply\" or \"replace\", not %s"),
                                  jsonfile_type_name(apply));
        if (!strcmp(apply->valuestring, "add"))
            shock->apply = ENSEMBLE_ADD;
        else if (!strcmp(apply->valuestring, "multiply"))
            shock->apply = ENSEMBLE_MULTIPLY;
        else if (!strcmp(apply->valuestring, "replace"))
            shock->apply = ENSEMBLE_REPLACE;
        else {
            static const char *const applies[] = {"add", "multiply", "replace"};
            const char *hint = text_suggest(apply->valuestring, applies, 3);
            if (hint)
                return scenario_error(s, d, apply, key_path, _("unknown apply \"%s\" (did you mean \"%s\"?)"),
                                      apply->valuestring, hint);
            return scenario_error(s, d, apply, key_path, _("unknown apply \"%s\": use \"add\", \"multiply\" or \"replace\""),
                                  apply->valuestring);
        }
    }
    /* a replacing draw is the value itself: a bounded distribution must stay in the range of
     * plausible values (an unbounded one, normal or t, is clamped to the model's [min, max]
     * and the share of clamped draws reported) */
    double lo, hi;
    dist_support(&shock->dist, &lo, &hi);
    range plausible = range_of_slot(ms);
    if (shock->apply == ENSEMBLE_REPLACE && isfinite(lo) && isfinite(hi) &&
        (!range_contains(&plausible, lo) || !range_contains(&plausible, hi))) {
        char span[160];
        range_describe(&plausible, span, sizeof span);
        return scenario_error(s, d, node, path,
                              _("the draws replace %s, but the distribution's support %g to %g leaves its range (%s)"),
                              ms->name, lo, hi, span);
    }
    const cJSON *ar1 = cJSON_GetObjectItemCaseSensitive(node, "ar1");
    if (ar1) {
        jsonfile_path_key(key_path, path, "ar1");
        if (shock->is_parameter)
            return scenario_error(s, d, ar1, key_path,
                                  _("\"%s\" is a parameter, drawn once per path: \"ar1\" (persistence from year to year) "
                                  "applies to exogenous series only"),
                                  name);
        double v;
        if (!jsonfile_number(ar1, &v) || !(v >= 0 && v < 1))
            return scenario_error(s, d, ar1, key_path, _("\"ar1\" must be a number in [0, 1), the year-to-year persistence"));
        shock->ar1 = v;
    }
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(node, "note");
    const char *text = i18n_pick(cJSON_IsString(note) ? note->valuestring : NULL, jsonfile_english(node, "note"));
    if (text && !(shock->note = mem_strdup(text)))
        return diag_oom(d, _("reading the uncertainty block"));
    return DIAG_OK;
}

/* The shocks that "names" lists, as indices into spec->shocks (index[0..n)): each a shock
 * (or its label), none twice. */
static int correlation_names(const run *r, const cJSON *names, const char *names_path, const ensemble_spec *spec,
                             size_t *index, diag *d)
{
    const scenario *s = r->scenario;
    char item_path[JSONFILE_PATH_MAX];
    size_t i = 0;
    for (const cJSON *item = names->child; item; item = item->next, i++) {
        jsonfile_path_index(item_path, names_path, i);
        if (!cJSON_IsString(item))
            return scenario_error(s, d, item, item_path, _("a name of a shock must be a string, not %s"),
                                  jsonfile_type_name(item));
        const char *canonical = model_canonical(r->model, item->valuestring); /* a label too */
        size_t k;
        for (k = 0; k < spec->shock_count; k++)
            if (!strcmp(spec->shocks[k].name, canonical ? canonical : item->valuestring))
                break;
        if (k == spec->shock_count) {
            const char *candidates[ENSEMBLE_MAX_SHOCKS];
            for (size_t j = 0; j < spec->shock_count; j++)
                candidates[j] = spec->shocks[j].name;
            const char *hint = text_suggest(item->valuestring, candidates, spec->shock_count);
            if (hint)
                return scenario_error(s, d, item, item_path, _("\"%s\" is not a shock (did you mean \"%s\"?)"),
                                      item->valuestring, hint);
            return scenario_error(s, d, item, item_path,
                                  _("\"%s\" is not a shock: correlations are between the shocks of \"shocks\""),
                                  item->valuestring);
        }
        for (size_t j = 0; j < i; j++)
            if (index[j] == k)
                return scenario_error(s, d, item, item_path, _("\"%s\" is named twice"), item->valuestring);
        index[i] = k;
    }
    return DIAG_OK;
}

/* The n x n matrix into c: numbers in [-1, 1], ones on the diagonal and symmetric, each within
 * ENSEMBLE_CORRELATION_TOL. */
static int correlation_matrix(const scenario *s, const cJSON *matrix, const char *matrix_path, size_t n, gsl_matrix *c,
                              diag *d)
{
    char item_path[JSONFILE_PATH_MAX];
    size_t i;
    int status = DIAG_OK;
    i = 0;
    for (const cJSON *row = matrix->child; row && status == DIAG_OK; row = row->next, i++) {
        char row_path[JSONFILE_PATH_MAX];
        jsonfile_path_index(row_path, matrix_path, i);
        if (!cJSON_IsArray(row) || (size_t)cJSON_GetArraySize(row) != n) {
            status = scenario_error(s, d, row, row_path, _("row %zu of the matrix must hold %zu numbers (one per name)"),
                                    i + 1, n);
            break;
        }
        size_t j = 0;
        for (const cJSON *item = row->child; item; item = item->next, j++) {
            double v;
            jsonfile_path_index(item_path, row_path, j);
            if (!jsonfile_number(item, &v)) {
                status = scenario_error(s, d, item, item_path, _("a correlation must be a number, not %s"),
                                        jsonfile_type_name(item));
                break;
            }
            if (i == j && fabs(v - 1) > ENSEMBLE_CORRELATION_TOL) {
                status = scenario_error(s, d, item, item_path,
                                        _("the diagonal of a correlation matrix is 1 (a shock with itself), not %g"), v);
                break;
            }
            if (!(v >= -1 && v <= 1)) {
                status = scenario_error(s, d, item, item_path, _("a correlation is in [-1, 1], not %g"), v);
                break;
            }
            gsl_matrix_set(c, i, j, v);
        }
    }
    for (i = 0; i < n && status == DIAG_OK; i++)
        for (size_t j = 0; j < i && status == DIAG_OK; j++)
            if (fabs(gsl_matrix_get(c, i, j) - gsl_matrix_get(c, j, i)) > ENSEMBLE_CORRELATION_TOL) {
                char row_path[JSONFILE_PATH_MAX];
                jsonfile_path_index(row_path, matrix_path, i);
                jsonfile_path_index(item_path, row_path, j);
                status = scenario_error(s, d, matrix, item_path,
                                        _("the matrix is not symmetric: [%zu][%zu] is %g but [%zu][%zu] is %g"), i, j,
                                        gsl_matrix_get(c, i, j), j, i, gsl_matrix_get(c, j, i));
            }
    return status;
}

/* The Cholesky factor of c (DIAG_DATA when c is not positive definite), placed at the named
 * shocks' rows and columns of spec->cholesky, identity elsewhere. */
static int correlation_factor(const scenario *s, const cJSON *matrix, const char *matrix_path, gsl_matrix *c,
                              const size_t *index, size_t n, ensemble_spec *spec, diag *d)
{
    int status = DIAG_OK;
    if (status == DIAG_OK) {
        int gsl_status = gsl_linalg_cholesky_decomp1(c);
        if (gsl_status == GSL_EDOM)
            status = scenario_error(s, d, matrix, matrix_path,
                                    _("the correlation matrix is not positive definite (no set of shocks can have these "
                                    "correlations together; check the signs and sizes of the entries)"));
        else if (gsl_status != GSL_SUCCESS)
            status = scenario_error(s, d, matrix, matrix_path, _("the Cholesky factorisation failed: %s"),
                                    gsl_strerror(gsl_status));
    }
    if (status == DIAG_OK) {
        size_t k = spec->shock_count;
        spec->cholesky = mem_calloc(k * k, sizeof *spec->cholesky);
        if (!spec->cholesky)
            status = diag_oom(d, _("reading the correlation matrix"));
        else {
            for (size_t a = 0; a < k; a++)
                spec->cholesky[a * k + a] = 1.0;
            /* e[index[a]] = sum_b L[a][b] z[index[b]]: the factor placed at the shocks' indices */
            for (size_t a = 0; a < n; a++) {
                spec->cholesky[index[a] * k + index[a]] = 0.0;
                for (size_t b = 0; b <= a; b++)
                    spec->cholesky[index[a] * k + index[b]] = gsl_matrix_get(c, a, b);
            }
        }
    }
    return status;
}

static int parse_correlation(const run *r, const cJSON *node, const char *path, ensemble_spec *spec, diag *d)
{
    const scenario *s = r->scenario;
    const char *file = scenario_origin(s, node);
    static const char *const keys[] = {"names", "matrix", "note", NULL};
    if (!cJSON_IsObject(node))
        return scenario_error(s, d, node, path,
                              _("\"correlation\" must be an object {\"names\": [...], \"matrix\": [[...], ...]}, not %s"),
                              jsonfile_type_name(node));
    if (jsonfile_check_keys(node, keys, file, path, _("correlation"), d) != DIAG_OK)
        return d->status;
    char names_path[JSONFILE_PATH_MAX], matrix_path[JSONFILE_PATH_MAX];
    jsonfile_path_key(names_path, path, "names");
    jsonfile_path_key(matrix_path, path, "matrix");
    const cJSON *names = cJSON_GetObjectItemCaseSensitive(node, "names");
    const cJSON *matrix = cJSON_GetObjectItemCaseSensitive(node, "matrix");
    if (!cJSON_IsArray(names) || cJSON_GetArraySize(names) < 2)
        return scenario_error(s, d, names ? names : node, names ? names_path : path,
                              _("\"names\" must list at least two shocks, in the order of the matrix's rows"));
    size_t n = (size_t)cJSON_GetArraySize(names);
    if (n > spec->shock_count)
        return scenario_error(s, d, names, names_path, _("\"names\" lists %zu names but there are only %zu shocks"), n,
                              spec->shock_count);
    size_t index[ENSEMBLE_MAX_SHOCKS];
    if (correlation_names(r, names, names_path, spec, index, d) != DIAG_OK)
        return d->status;
    if (!cJSON_IsArray(matrix))
        return scenario_error(s, d, matrix ? matrix : node, matrix ? matrix_path : path,
                              _("\"matrix\" must be an array of %zu rows of %zu numbers (one per name)"), n, n);
    if ((size_t)cJSON_GetArraySize(matrix) != n)
        return scenario_error(s, d, matrix, matrix_path,
                              _("the matrix has %d rows for %zu names: it must be %zu x %zu, in the order of \"names\""),
                              cJSON_GetArraySize(matrix), n, n, n);
    gsl_matrix *c = gsl_matrix_alloc(n, n);
    if (!c)
        return diag_oom(d, _("reading the correlation matrix"));
    int status = correlation_matrix(s, matrix, matrix_path, n, c, d);
    if (status == DIAG_OK)
        status = correlation_factor(s, matrix, matrix_path, c, index, n, spec, d);
    gsl_matrix_free(c);
    return status;
}

/* The block's "paths", "seed" and "note". Sets *bad after a mistake (reported; the rest is
 * read on); returns DIAG_SOFTWARE when memory runs out, else DIAG_OK. */
/* "pawn": true, false or {"slices": S} into spec->pawn_slices. Returns DIAG_OK or DIAG_DATA
 * (reported at $.uncertainty.pawn). */
static int read_pawn(const scenario *s, const cJSON *item, const char *base, ensemble_spec *spec, diag *d)
{
    char path[JSONFILE_PATH_MAX];
    double v = 0;
    jsonfile_path_key(path, base, "pawn");
    const cJSON *slices = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, "slices") : NULL;
    static const char *const pawn_keys[] = {"slices", "note", NULL};
    if (cJSON_IsBool(item)) {
        spec->pawn_slices = cJSON_IsTrue(item) ? ENSEMBLE_DEFAULT_PAWN_SLICES : 0;
        return DIAG_OK;
    }
    if (!cJSON_IsObject(item))
        return scenario_error(s, d, item, path, _("\"pawn\" must be true, false or {\"slices\": S}, not %s"),
                              jsonfile_type_name(item));
    if (jsonfile_check_keys(item, pawn_keys, scenario_origin(s, item), path, "\"pawn\"", d) != DIAG_OK)
        return d->status;
    if (slices && !read_whole(slices, 2, PAWN_MAX_SLICES, &v)) {
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, "slices");
        return scenario_error(s, d, slices, here, _("\"slices\" must be a whole number from 2 to %d"), PAWN_MAX_SLICES);
    }
    spec->pawn_slices = slices ? (size_t)v : ENSEMBLE_DEFAULT_PAWN_SLICES;
    return DIAG_OK;
}

static int read_settings(const scenario *s, const cJSON *block, const char *base, ensemble_spec *spec, int *bad,
                         diag *d)
{
    char path[JSONFILE_PATH_MAX];
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(block, "paths");
    double v;
    if (item) {
        jsonfile_path_key(path, base, "paths");
        if (!read_whole(item, 2, ENSEMBLE_MAX_PATHS, &v)) {
            scenario_error(s, d, item, path,
                           _("\"paths\" must be a whole number from 2 to %d (quantiles need at least two paths)"),
                           ENSEMBLE_MAX_PATHS);
            *bad = 1;
        } else {
            spec->paths = (size_t)v;
        }
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(block, "seed"))) {
        jsonfile_path_key(path, base, "seed");
        if (!read_whole(item, 0, 2147483647.0, &v)) {
            scenario_error(s, d, item, path, _("\"seed\" must be a whole number from 0 to 2147483647"));
            *bad = 1;
        } else {
            spec->seed = (unsigned long)v;
        }
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(block, "calibrate"))) {
        jsonfile_path_key(path, base, "calibrate");
        spec->calibrate_file = scenario_origin(s, item);
        if (cJSON_IsString(item) && !strcmp(item->valuestring, "history"))
            spec->calibrate = ENSEMBLE_CALIBRATE_HISTORY;
        else if (cJSON_IsString(item) && !strcmp(item->valuestring, "history-peers"))
            spec->calibrate = ENSEMBLE_CALIBRATE_HISTORY_PEERS;
        else if (cJSON_IsString(item) && !strcmp(item->valuestring, "backtest"))
            spec->calibrate = ENSEMBLE_CALIBRATE_BACKTEST;
        else {
            scenario_error(s, d, item, path,
                           _("\"calibrate\" must be \"history\" (the sd of each growth shock from the place's observed "
                           "variation), \"history-peers\" (pooled with its peers) or \"backtest\" (the sd whose "
                           "back-test 90%% band covers 90%% of the points)"));
            *bad = 1;
        }
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(block, "pawn")) && read_pawn(s, item, base, spec, d) != DIAG_OK)
        *bad = 1;
    item = cJSON_GetObjectItemCaseSensitive(block, "note");
    const char *text = i18n_pick(cJSON_IsString(item) ? item->valuestring : NULL, jsonfile_english(block, "note"));
    if (text && !(spec->note = mem_strdup(text)))
        return diag_oom(d, _("reading the uncertainty block"));
    return DIAG_OK;
}

/* The block's "shocks", each through parse_shock. Sets *bad after a mistake in a shock
 * (reported; the other shocks are read on); returns a status that stops the reading (a block
 * that is not an object, too many shocks, memory), else DIAG_OK. */
static int read_shocks(const run *r, const cJSON *block, const char *base, ensemble_spec *spec, int *bad, diag *d)
{
    const scenario *s = r->scenario;
    char path[JSONFILE_PATH_MAX];
    const cJSON *shocks = cJSON_GetObjectItemCaseSensitive(block, "shocks");
    jsonfile_path_key(path, base, "shocks");
    if (shocks && !cJSON_IsObject(shocks))
        return scenario_error(s, d, shocks, path,
                              _("\"shocks\" must be an object of name: distribution, e.g. {\"gdp_real_growth\": "
                              "{\"dist\": \"normal\", \"sd\": 0.015}}, not %s"),
                              jsonfile_type_name(shocks));
    size_t count = shocks ? (size_t)cJSON_GetArraySize(shocks) : 0;
    if (count > ENSEMBLE_MAX_SHOCKS)
        return scenario_error(s, d, shocks, path, _("%zu shocks: at most %d"), count, ENSEMBLE_MAX_SHOCKS);
    if (count && !(spec->shocks = mem_calloc(count, sizeof *spec->shocks)))
        return diag_oom(d, _("reading the uncertainty block"));
    for (const cJSON *node = shocks ? shocks->child : NULL; node; node = node->next) {
        char shock_path[JSONFILE_PATH_MAX];
        jsonfile_path_key(shock_path, path, node->string);
        ensemble_shock *shock = &spec->shocks[spec->shock_count++];
        if (parse_shock(r, node, shock_path, spec->calibrate, shock, d) != DIAG_OK) {
            *bad = 1; /* the other shocks are read on: every mistake in one run */
            if (d->status == DIAG_SOFTWARE)
                return DIAG_SOFTWARE;
        }
    }
    return DIAG_OK;
}

int ensemble_load(const run *r, size_t paths_override, int seed_given, unsigned long seed, ensemble_spec **out,
                  diag *d)
{
    *out = NULL;
    const scenario *s = r->scenario;
    const cJSON *block = s->uncertainty;
    if (!block && paths_override == 0)
        return DIAG_OK;
    ensemble_spec *spec = mem_calloc(1, sizeof *spec);
    if (!spec)
        return diag_oom(d, _("reading the uncertainty block"));
    spec->paths = ENSEMBLE_DEFAULT_PATHS;
    spec->calibration_scale = NAN;
    spec->seed = ENSEMBLE_DEFAULT_SEED;
    const char *base = "$.uncertainty";
    char path[JSONFILE_PATH_MAX];
    if (block) {
        static const char *const keys[] = {"paths", "seed", "shocks", "correlation", "calibrate", "discover", "pawn",
                                           "note", NULL};
        const char *file = scenario_origin(s, block);
        if (!cJSON_IsObject(block)) {
            scenario_error(s, d, block, base, _("\"uncertainty\" must be an object, not %s"), jsonfile_type_name(block));
            goto fail;
        }
        /* the parts of the block are checked each on its own: every mistake in one run */
        int bad = jsonfile_check_keys(block, keys, file, base, _("uncertainty block"), d) != DIAG_OK;
        if (read_settings(s, block, base, spec, &bad, d) != DIAG_OK ||
            read_shocks(r, block, base, spec, &bad, d) != DIAG_OK)
            goto fail;
        if (bad)
            goto fail;
        if (spec->shock_count == 0)
            diag_warning(d, _("%s: %s: no shocks: every path of the ensemble equals the deterministic path"),
                         scenario_origin(s, block), base);
        const cJSON *correlation = cJSON_GetObjectItemCaseSensitive(block, "correlation");
        if (correlation) {
            jsonfile_path_key(path, base, "correlation");
            if (parse_correlation(r, correlation, path, spec, d) != DIAG_OK)
                goto fail;
        }
    } else {
        diag_warning(d, _("%s: --paths without an \"uncertainty\" block: every path equals the deterministic path"),
                     s->path);
    }
    if (paths_override > 0)
        spec->paths = paths_override;
    if (seed_given)
        spec->seed = seed;
    *out = spec;
    return DIAG_OK;
fail:
    ensemble_spec_free(spec);
    return d->status;
}

