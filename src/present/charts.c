/* charts.c: what each chart shows, written as gnuplot scripts (plot.h) into a run's output
 * batch and drawn by gnuplot when it is installed.
 *
 * A script has four parts: a header of comments and program settings (format, size, file
 * name), the chart's text as string variables and its data as datablocks, then the text of
 * plots/style.gp and of the chart's template. Only the second part holds anything from a
 * file (titles, labels, place names, sources), and only as escaped literals; the templates
 * refer to it by variable name. Layers that a chart may lack (goals, estimated points, a
 * peer's projection) come with counts, and the templates leave out empty ones, since gnuplot
 * warns about an empty datablock even in a loop that never runs.
 *
 * Series are split by origin (DESIGN §4 rule 4): data (observed; derived, interpolated and
 * initial values apart, as hollow points) is drawn solid, the projection (model, projected,
 * assumed) dashed, starting from the last value before it so the line is continuous. A year
 * without a value breaks the line: nothing is drawn across a gap. */
#include "charts.h"
#include "jsonfile.h"
#include "mem.h"
#include "report.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

static void charts_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));


/* Most order flips and end notes marked on one peers chart (more would hide the lines). */
#define CHARTS_MAX_MARKS 12
/* ---------------------------------------------------------------------------------------- */
/* Options */

void charts_options_release(charts_options *o)
{
    for (size_t i = 0; i < o->variable_count; i++)
        mem_free(o->variables[i]);
    memset(o, 0, sizeof *o);
}

/* Adds a variable name to the options (no duplicates). Returns a DIAG_ status. */
static int charts_options_add(charts_options *o, const char *name, diag *d)
{
    for (size_t i = 0; i < o->variable_count; i++)
        if (!strcmp(o->variables[i], name))
            return DIAG_OK;
    if (o->variable_count >= CHARTS_MAX_VARIABLES)
        return diag_error(d, DIAG_DATA, "at most %d chart variables", CHARTS_MAX_VARIABLES);
    if (!(o->variables[o->variable_count] = mem_strdup(name)))
        return diag_oom(d, "reading the charts block");
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
    if (jsonfile_check_keys(block, keys, scenario_origin(s, block), "$.charts", "charts block", d) != DIAG_OK)
        return d->status;
    char here[JSONFILE_PATH_MAX];
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(block, "variables");
    if (variables) {
        if (!cJSON_IsArray(variables) || cJSON_GetArraySize(variables) == 0)
            return scenario_error(s, d, variables, "$.charts.variables",
                                  "\"variables\" must be a non-empty array of model names like [\"gdp\"], not %s",
                                  jsonfile_type_name(variables));
        size_t index = 0;
        for (const cJSON *item = variables->child; item; item = item->next, index++) {
            jsonfile_path_index(here, "$.charts.variables", index);
            if (!cJSON_IsString(item))
                return scenario_error(s, d, item, here, "a chart variable must be a model name (a string), not %s",
                                      jsonfile_type_name(item));
            int slot = model_resolve(r->model, item->valuestring); /* a name or its label */
            if (slot < 0) {
                char hint[768];
                model_name_hint(r->model, item->valuestring, MODEL_KINDS_SERIES, hint, sizeof hint);
                return scenario_error(s, d, item, here, "unknown variable \"%.80s\" in model %s%s", item->valuestring,
                                      r->model->path, hint);
            }
            if (r->model->slots[slot].kind == MODEL_PARAMETER)
                return scenario_error(s, d, item, here,
                                      "\"%s\" is a parameter (one value for every year): chart a variable or an "
                                      "exogenous series",
                                      item->valuestring);
            if (charts_options_add(o, r->model->slots[slot].name, d) != DIAG_OK)
                return d->status == DIAG_DATA ? scenario_error(s, d, item, here, "too many chart variables")
                                              : d->status;
        }
        o->variables_given = 1;
    }
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(block, "size");
    if (size) {
        if (!cJSON_IsArray(size) || cJSON_GetArraySize(size) != 2)
            return scenario_error(s, d, size, "$.charts.size", "\"size\" must be [width, height] in pixels, not %s",
                                  jsonfile_type_name(size));
        int dims[2] = {0, 0};
        size_t index = 0;
        for (const cJSON *item = size->child; item; item = item->next, index++) {
            jsonfile_path_index(here, "$.charts.size", index);
            double v;
            if (!cJSON_IsNumber(item) || !jsonfile_number(item, &v) || v != floor(v) || v < CHARTS_MIN_SIZE ||
                v > CHARTS_MAX_SIZE)
                return scenario_error(s, d, item, here, "a chart %s must be a whole number of pixels from %d to %d",
                                      index ? "height" : "width", CHARTS_MIN_SIZE, CHARTS_MAX_SIZE);
            dims[index] = (int)v;
        }
        o->width = dims[0];
        o->height = dims[1];
    }
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(block, "format");
    if (format && (!cJSON_IsString(format) || !plot_format_parse(format->valuestring, &o->format)))
        return scenario_error(s, d, format, "$.charts.format", "\"format\" must be \"png\", \"svg\" or \"pdf\"");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(block, "note");
    if (note && !cJSON_IsString(note))
        return scenario_error(s, d, note, "$.charts.note", "\"note\" must be a string, not %s",
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
        return diag_error(d, DIAG_USAGE, "%s must be a whole number of seconds from 1 to 86400, not '%.40s'", name,
                          text);
    *out = (int)v;
    return DIAG_OK;
}

int charts_options_load(const run *r, const char *format_option, int no_charts, charts_options *out, diag *d)
{
    memset(out, 0, sizeof *out);
    out->timeout_seconds = PLOT_TIMEOUT_SECONDS;
    out->budget_seconds = PLOT_BUDGET_SECONDS;
    if (charts_env_seconds("ECONSIM_GNUPLOT_TIMEOUT", &out->timeout_seconds, d) != DIAG_OK ||
        charts_env_seconds("ECONSIM_CHARTS_BUDGET", &out->budget_seconds, d) != DIAG_OK)
        return d->status;
    out->enabled = !no_charts;
    out->format = PLOT_PNG;
    out->width = CHARTS_DEFAULT_WIDTH;
    out->height = CHARTS_DEFAULT_HEIGHT;
    int status = DIAG_OK;
    if (r->scenario->charts) {
        if (!cJSON_IsObject(r->scenario->charts))
            status = scenario_error(r->scenario, d, r->scenario->charts, "$.charts",
                                    "\"charts\" must be an object like {\"variables\": [\"gdp\"]}, not %s",
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
    if (format_option) {
        if (!plot_format_parse(format_option, &out->format)) {
            charts_options_release(out);
            return diag_error(d, DIAG_USAGE, "--format must be png, svg or pdf, not '%s'", format_option);
        }
        out->required = 1;
    }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The list of charts */

void charts_list_release(charts_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        mem_free(list->entries[i].title);
        mem_free(list->entries[i].variable);
    }
    mem_free(list->entries);
    memset(list, 0, sizeof *list);
}

cJSON *charts_list_json(const charts_list *list)
{
    cJSON *array = cJSON_CreateArray();
    if (!array)
        return NULL;
    for (size_t i = 0; i < list->count; i++) {
        const charts_entry *e = &list->entries[i];
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(array, item) || !cJSON_AddStringToObject(item, "file", e->file) ||
            !cJSON_AddStringToObject(item, "title", e->title) || !cJSON_AddStringToObject(item, "kind", e->kind) ||
            !cJSON_AddStringToObject(item, "script", e->script) ||
            !(e->variable ? cJSON_AddStringToObject(item, "variable", e->variable)
                          : cJSON_AddNullToObject(item, "variable")) ||
            !cJSON_AddBoolToObject(item, "drawn", e->drawn)) {
            if (item && !item->prev)
                cJSON_Delete(item); /* not in the array yet */
            cJSON_Delete(array);
            return NULL;
        }
    }
    return array;
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing context: templates, gnuplot, the batch */

typedef struct charts_context {
    output_batch *batch;
    const charts_options *o;
    charts_list *list;
    diag *d;
    char templates[4096];
    char gnuplot[4096];
    int have_templates, have_gnuplot;
    char *style;               /* plots/style.gp */
    struct {
        char name[32];
        char *text;
    } loaded[16];              /* the chart templates read so far */
    size_t loaded_count;
    char first_script[96];     /* the first script written, for the "draw them later" hint */
    size_t written, drawn;
    struct charts_pending *pending; /* charts written and waiting for gnuplot, in order */
    size_t pending_count, pending_capacity;
} charts_context;

/* A chart whose script is written and whose image gnuplot is to draw (charts_draw). */
typedef struct charts_pending {
    size_t entry;            /* its entry in the context's list */
    char script_name[96];    /* in the staging charts folder */
    char image_name[96];
    char image_path[128];    /* "charts/gdp.png", for the batch */
    char script_path[128];
    char work_dir[4096];     /* the staging charts folder */
    char image_file[4096];   /* the reserved image in it */
    char what[320];          /* "chart DIR/charts/gdp.png", for messages */
} charts_pending;

/* Passes on a failure found in `scratch`: as the error of d when as_error (the first error
 * wins, as always), else as a warning without diag's "error: " (at the start or after the
 * file name). */
static void charts_forward(diag *d, const diag *scratch, int as_error, const char *prefix)
{
    if (as_error) {
        if (d->status == DIAG_OK) {
            d->status = scratch->status;
            snprintf(d->message, sizeof d->message, "%s", scratch->message);
        }
        return;
    }
    char message[sizeof scratch->message];
    snprintf(message, sizeof message, "%s", scratch->message);
    char *error = !strncmp(message, "error: ", 7) ? message : strstr(message, ": error: ");
    if (error) {
        char *from = error == message ? message : error + 2; /* the "error: " itself */
        memmove(from, from + 7, strlen(from + 7) + 1);
    }
    diag_warning(d, "%s%s", prefix, message);
}

/* Finds templates and gnuplot. Returns DIAG_OK with have_* set, or an error when charts are
 * required and something is missing. */
static int charts_context_init(charts_context *ctx, output_batch *batch, const charts_options *o, charts_list *list,
                               diag *d)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->batch = batch;
    ctx->o = o;
    ctx->list = list;
    ctx->d = d;
    diag scratch;
    diag_init(&scratch);
    if (plot_templates_find(ctx->templates, sizeof ctx->templates, &scratch) == DIAG_OK &&
        (ctx->style = plot_template_load(ctx->templates, "style", &scratch)) != NULL)
        ctx->have_templates = 1;
    if (!ctx->have_templates) {
        if (o->required || scratch.status == DIAG_SOFTWARE) { /* out of memory is never a warning */
            charts_forward(d, &scratch, 1, "");
            diag_free(&scratch);
            return d->status;
        }
        charts_forward(d, &scratch, 0, "no charts: ");
    }
    diag_free(&scratch);
    ctx->have_gnuplot = plot_gnuplot_find(ctx->gnuplot, sizeof ctx->gnuplot);
    if (!ctx->have_gnuplot && o->required)
        return diag_error(d, DIAG_UNAVAILABLE,
                          "gnuplot not found on PATH, and --format asks for charts: install gnuplot (Debian: "
                          "apt-get install gnuplot-nox), or leave out --format to write the results and the "
                          ".gp scripts without drawing them");
    return DIAG_OK;
}

static void charts_context_release(charts_context *ctx)
{
    mem_free(ctx->pending);
    mem_free(ctx->style);
    for (size_t i = 0; i < ctx->loaded_count; i++)
        mem_free(ctx->loaded[i].text);
}

/* The text of template `name`, loaded once; NULL with a warning (or an error when charts are
 * required) when missing. */
static const char *charts_template(charts_context *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->loaded_count; i++)
        if (!strcmp(ctx->loaded[i].name, name))
            return ctx->loaded[i].text;
    diag scratch;
    diag_init(&scratch);
    char *text = plot_template_load(ctx->templates, name, &scratch);
    if (!text) {
        charts_forward(ctx->d, &scratch, ctx->o->required || scratch.status == DIAG_SOFTWARE, "");
        diag_free(&scratch);
        return NULL;
    }
    diag_free(&scratch);
    if (ctx->loaded_count == sizeof ctx->loaded / sizeof ctx->loaded[0]) {
        mem_free(text);
        diag_error(ctx->d, DIAG_SOFTWARE, "more than %zu chart templates in one output folder",
                   sizeof ctx->loaded / sizeof ctx->loaded[0]);
        return NULL;
    }
    snprintf(ctx->loaded[ctx->loaded_count].name, sizeof ctx->loaded[0].name, "%s", name);
    ctx->loaded[ctx->loaded_count].text = text;
    return ctx->loaded[ctx->loaded_count++].text;
}

/* Appends an entry to the list. Returns a DIAG_ status. */
static int charts_list_add(charts_list *list, const char *file, const char *script, const char *title,
                           const char *kind, const char *variable, int drawn, diag *d)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 8;
        charts_entry *grown = mem_realloc(list->entries, capacity * sizeof *grown);
        if (!grown)
            return diag_oom(d, "listing charts");
        list->entries = grown;
        list->capacity = capacity;
    }
    charts_entry *e = &list->entries[list->count];
    memset(e, 0, sizeof *e);
    snprintf(e->file, sizeof e->file, "%s", file);
    snprintf(e->script, sizeof e->script, "%s", script);
    e->kind = kind;
    e->drawn = drawn;
    if (!(e->title = mem_strdup(title)) || (variable && !(e->variable = mem_strdup(variable)))) {
        mem_free(e->title);
        return diag_oom(d, "listing charts");
    }
    list->count++;
    return DIAG_OK;
}

/* Splits a path into its folder (written to dir) and returns its last part. */
static const char *charts_split_path(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, size, ".");
        return path;
    }
    snprintf(dir, size, "%.*s", (int)(slash - path), path);
    return slash + 1;
}

/* Copies a message from gnuplot's run for a warning: without the "error: " that diag adds,
 * and with the temporary script name replaced by the script's own name. */
static void charts_clean_message(char *out, size_t size, const char *message, const char *temp_name,
                                 const char *final_name)
{
    if (!strncmp(message, "error: ", 7))
        message += 7;
    size_t used = 0, temp_length = strlen(temp_name), final_length = strlen(final_name);
    for (const char *p = message; *p && used + 1 < size;) {
        if (temp_length && !strncmp(p, temp_name, temp_length)) {
            size_t n = final_length < size - 1 - used ? final_length : size - 1 - used;
            memcpy(out + used, final_name, n);
            used += n;
            p += temp_length;
        } else {
            out[used++] = *p++;
        }
    }
    /* a long message is cut, never inside a UTF-8 character (summary.json must stay UTF-8) */
    size_t continuation = 0;
    while (continuation < used && continuation < 3 && ((unsigned char)out[used - 1 - continuation] & 0xC0) == 0x80)
        continuation++;
    if (continuation < used) {
        unsigned char lead = (unsigned char)out[used - 1 - continuation];
        size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (continuation + 1 < expected)
            used -= continuation + 1;
    }
    out[used] = '\0';
}

/* Writes chart `slug` (kind, template, title) whose chart-specific preamble is `body`:
 * charts/<slug>.gp through the batch, then the image when gnuplot is there. A chart that
 * fails to draw is a warning. Returns a DIAG_ status for failures that stop the run. */
static int charts_emit(charts_context *ctx, const char *slug, const char *kind, const char *template_name,
                       const char *title, const char *variable, const char *scenario_name, const plot_script *body,
                       int height)
{
    diag *d = ctx->d;
    const char *template_text = charts_template(ctx, template_name);
    if (!template_text)
        return d->status; /* DIAG_OK after a warning; an error when charts are required */
    const char *extension = plot_format_name(ctx->o->format);
    char script_name[96], image_name[96], script_path[128], image_path[128];
    if (strlen(slug) + 5 > sizeof script_name) {
        diag_warning(d, "no chart for %s: the name is too long for a file name", slug);
        return DIAG_OK;
    }
    snprintf(script_name, sizeof script_name, "%s.gp", slug);
    snprintf(image_name, sizeof image_name, "%s.%s", slug, extension);
    snprintf(script_path, sizeof script_path, "charts/%s", script_name);
    snprintf(image_path, sizeof image_path, "charts/%s", image_name);
    if (plot_script_finish(body, image_path, d) != DIAG_OK)
        return d->status;

    plot_script *script = plot_script_new();
    if (!script)
        return diag_oom(d, "writing a chart script");
    /* comments hold program text only; the scenario name is a checked name, and goes
     * through plot_script_comment like any text in a comment */
    plot_script_comment(script, "%s: a %s chart drawn by econsim %s%s%s.", script_name, kind, ECONSIM_VERSION,
                        scenario_name ? " for scenario " : "", scenario_name ? scenario_name : "");
    plot_script_comment(script, "Redraw it, in this folder: gnuplot %s   (writes %s)", script_name, image_name);
    plot_script_comment(script, "Restyle this chart by editing the style and template parts below, or every chart of");
    plot_script_comment(script, "later runs by editing plots/style.gp and plots/%s.gp (see econsim's README).",
                        template_name);
    plot_script_comment(script, "Text from input files is in the string variables below, never in commands or comments.");
    plot_script_append(script, "\nreset\n");
    plot_script_append(script, "\n");
    plot_script_comment(script, "---- chart (written by econsim) ----");
    plot_script_string(script, "econsim_format", extension);
    plot_script_printf(script, "econsim_width = %d\neconsim_height = %d\n", ctx->o->width, height);
    plot_script_string(script, "econsim_file", image_name);
    size_t body_length = 0;
    const char *body_text = plot_script_text(body, &body_length);
    plot_script_append(script, body_text ? body_text : "");
    plot_script_append(script, "\n");
    plot_script_comment(script, "---- plots/style.gp ----");
    plot_script_append(script, ctx->style);
    plot_script_append(script, "\n");
    plot_script_comment(script, "---- plots/%s.gp ----", template_name);
    plot_script_append(script, template_text);
    size_t length = 0;
    const char *text = plot_script_text(script, &length);
    if (!text || plot_script_finish(script, image_path, d) != DIAG_OK) {
        plot_script_free(script);
        return d->status;
    }

    FILE *script_file_stream = output_batch_open(ctx->batch, script_path, d);
    if (!script_file_stream) {
        plot_script_free(script);
        return d->status;
    }
    fwrite(text, 1, length, script_file_stream); /* a failed write shows when the batch closes it */
    plot_script_free(script);
    ctx->written++;
    if (!ctx->first_script[0])
        snprintf(ctx->first_script, sizeof ctx->first_script, "%s", script_name);

    if (!ctx->have_gnuplot)
        return charts_list_add(ctx->list, image_path, script_path, title, kind, variable, 0, d);
    /* the image is drawn with the other charts of this context, several at once (charts_draw) */
    if (ctx->pending_count == ctx->pending_capacity) {
        size_t capacity = ctx->pending_capacity ? ctx->pending_capacity * 2 : 16;
        charts_pending *grown = mem_realloc(ctx->pending, capacity * sizeof *grown);
        if (!grown)
            return diag_oom(d, "writing a chart");
        ctx->pending = grown;
        ctx->pending_capacity = capacity;
    }
    const char *image_file = output_batch_reserve(ctx->batch, image_path, d);
    if (!image_file || charts_list_add(ctx->list, image_path, script_path, title, kind, variable, 0, d) != DIAG_OK)
        return d->status;
    charts_pending *job = &ctx->pending[ctx->pending_count++];
    memset(job, 0, sizeof *job);
    job->entry = ctx->list->count - 1;
    snprintf(job->script_name, sizeof job->script_name, "%s", script_name);
    snprintf(job->image_name, sizeof job->image_name, "%s", image_name);
    snprintf(job->image_path, sizeof job->image_path, "%s", image_path);
    snprintf(job->script_path, sizeof job->script_path, "%s", script_path);
    snprintf(job->image_file, sizeof job->image_file, "%s", image_file);
    charts_split_path(image_file, job->work_dir, sizeof job->work_dir);
    snprintf(job->what, sizeof job->what, "chart %s/%s", output_batch_dir(ctx->batch), image_path);
    return DIAG_OK;
}

/* When the charts of this command must be done by: PLOT_BUDGET_SECONDS (or the options') from
 * the first chart drawn. One budget for the whole command: several scenarios share it. */
static double charts_deadline(const charts_options *o)
{
    static double deadline;
    if (deadline == 0)
        deadline = plot_clock() + (o->budget_seconds > 0 ? o->budget_seconds : PLOT_BUDGET_SECONDS);
    return deadline;
}

/* gnuplot processes at once: the options' jobs (--threads), else one per core. */
static int charts_parallel(const charts_options *o)
{
    long n = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > PLOT_MAX_PARALLEL ? PLOT_MAX_PARALLEL : (int)n;
}

/* Draws the pending charts, several at once, then reports them in the order they were written
 * (so the warnings and summary.json do not depend on which gnuplot ends first): a chart drawn
 * is marked so; one that failed, timed out or was skipped when the time for charts ran out is
 * a warning naming it, and its image is taken out of the batch (its script stays). Returns a
 * DIAG_ status for failures that stop the run (memory). */
static int charts_draw(charts_context *ctx)
{
    diag *d = ctx->d;
    size_t count = ctx->pending_count;
    if (count == 0)
        return DIAG_OK;
    plot_job *jobs = mem_calloc(count, sizeof *jobs);
    if (!jobs)
        return diag_oom(d, "drawing charts");
    for (size_t i = 0; i < count; i++) {
        jobs[i].work_dir = ctx->pending[i].work_dir;
        jobs[i].script_name = ctx->pending[i].script_name;
        jobs[i].output_name = ctx->pending[i].image_name;
        jobs[i].what = ctx->pending[i].what;
    }
    int timeout = ctx->o->timeout_seconds > 0 ? ctx->o->timeout_seconds : PLOT_TIMEOUT_SECONDS;
    int budget = ctx->o->budget_seconds > 0 ? ctx->o->budget_seconds : PLOT_BUDGET_SECONDS;
    diag run_diag;
    diag_init(&run_diag);
    if (plot_run_jobs(ctx->gnuplot, jobs, count, charts_parallel(ctx->o), timeout, charts_deadline(ctx->o),
                      &run_diag) != DIAG_OK) {
        charts_forward(d, &run_diag, 1, "");
        diag_free(&run_diag);
        mem_free(jobs);
        return d->status;
    }
    diag_free(&run_diag);
    for (size_t i = 0; i < count; i++) {
        const charts_pending *p = &ctx->pending[i];
        const plot_job *job = &jobs[i];
        diag_init(&run_diag);
        int status = plot_job_error(job, timeout, &run_diag);
        struct stat st;
        if (status == DIAG_OK && (stat(p->image_file, &st) != 0 || st.st_size == 0))
            status = diag_error(&run_diag, DIAG_SOFTWARE, "%s: gnuplot drew nothing (no output)", p->what);
        if (status == DIAG_OK && ctx->o->format == PLOT_PDF)
            status = plot_pdf_fix_dates(p->image_file, &run_diag);
        if (status == DIAG_OK) {
            ctx->list->entries[p->entry].drawn = 1;
            ctx->drawn++;
            if (job->errors[0]) {
                char message[PLOT_ERRORS_MAX + 64];
                charts_clean_message(message, sizeof message, job->errors, p->script_name, p->script_name);
                diag_warning(d, "%s: gnuplot said: %s", p->what, message);
            }
        } else if (job->outcome == PLOT_SKIPPED) {
            diag_warning(d, "%s: not drawn: the time for the charts of this command (%d seconds, "
                            "ECONSIM_CHARTS_BUDGET) ran out; its script is written: %s/%s",
                         p->what, budget, output_batch_dir(ctx->batch), p->script_path);
            output_batch_withdraw(ctx->batch, p->image_path);
        } else {
            char message[sizeof run_diag.message + 64];
            charts_clean_message(message, sizeof message, run_diag.message, p->script_name, p->script_name);
            diag_warning(d, "%s (the script is written: %s/%s)", message, output_batch_dir(ctx->batch), p->script_path);
            output_batch_withdraw(ctx->batch, p->image_path);
        }
        diag_free(&run_diag);
    }
    mem_free(jobs);
    ctx->pending_count = 0;
    return DIAG_OK;
}

/* Ends the charts of a context: draws them, then, when gnuplot is missing, the hint to draw
 * them later (a command to paste, its folder shell-quoted). Returns a DIAG_ status. */
static int charts_context_finish(charts_context *ctx)
{
    if (charts_draw(ctx) != DIAG_OK)
        return ctx->d->status;
    if (!ctx->have_gnuplot && ctx->written) {
        char folder[4096 + 16], quoted[3 * 4096];
        snprintf(folder, sizeof folder, "%s/charts", output_batch_dir(ctx->batch));
        text_shell_quote(quoted, sizeof quoted, folder);
        diag_warning(ctx->d, "gnuplot not found: results and .gp scripts written; draw them later with: cd %s && gnuplot %s",
                     quoted, ctx->first_script);
    }
    return DIAG_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Text helpers */

/* Appends formatted text to buf (size bytes) if it fits whole. */
static void charts_append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - used)
        buf[used] = '\0'; /* did not fit: leave it out */
}

/* The unit as shown on an axis: rates in percent. */
static const char *charts_unit_text(const char *unit)
{
    if (model_unit_is_rate(unit))
        return "%";
    if (!strcmp(unit, "count"))
        return "个";
    if (!strcmp(unit, "index"))
        return "指数";
    return unit;
}

/* Values of rates are drawn in percent. */
static double charts_unit_scale(const char *unit)
{
    return model_unit_is_rate(unit) ? 100.0 : 1.0;
}

/* Footnote columns that fit the chart width (about 6.5 pixels a column at the style's
 * footnote size). */
static size_t charts_footnote_columns(int width)
{
    return (size_t)((width - 30) / 6.5);
}

/* Collects distinct "source (grade)" texts into buf, "; "-separated. */
static void charts_add_source(char *buf, size_t size, const history_row *row)
{
    if (!row || !row->source || !row->source[0])
        return;
    char item[600];
    if (row->reliability && row->reliability[0])
        snprintf(item, sizeof item, "%s (%s)", row->source, row->reliability);
    else
        snprintf(item, sizeof item, "%s", row->source);
    /* already listed? compare whole items between separators */
    for (const char *p = buf; *p;) {
        size_t n = strcspn(p, ";");
        if (n == strlen(item) && !strncmp(p, item, n))
            return;
        p += n;
        while (*p == ';' || *p == ' ')
            p++;
    }
    charts_append(buf, size, "%s%s", buf[0] ? "; " : "", item);
}

/* The first footnote line: scenario, model, program. */
static void charts_footnote_scenario(char *buf, size_t size, const run *r, int width)
{
    snprintf(buf, size, "情景: %s (%s) · 模型: %s · econsim %s", r->scenario->title, r->scenario->name,
             r->model->title ? r->model->title : r->model->name, ECONSIM_VERSION);
    text_truncate(buf, charts_footnote_columns(width));
}

/* The basename of a path. */
static const char *charts_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---------------------------------------------------------------------------------------- */
/* Series: one line of a chart, split by origin */

static int charts_is_data(sim_origin origin)
{
    return origin == SIM_ORIGIN_OBSERVED || origin == SIM_ORIGIN_DERIVED || origin == SIM_ORIGIN_INTERPOLATED ||
           origin == SIM_ORIGIN_INITIAL;
}

static int charts_is_projection(sim_origin origin)
{
    return origin == SIM_ORIGIN_MODEL || origin == SIM_ORIGIN_PROJECTED || origin == SIM_ORIGIN_ASSUMED;
}

/* A yearly series: value[t] and origin[t] for years first_year + t (NaN / NONE: no value). */
typedef struct charts_series {
    int first_year;
    size_t years;
    double *value;
    unsigned char *origin;
    const history_row **source; /* may be NULL */
} charts_series;

/* Counts of what charts_write_series wrote. */
typedef struct charts_series_counts {
    size_t history, observed, estimated, projection;
    int first_year, last_year; /* years with a value; 0 when none */
    double min, max;           /* of the values drawn (scaled) */
} charts_series_counts;

/* Writes $<prefix>_history (year value, a blank line where a year lacks data), _observed,
 * _estimated (derived, interpolated, initial) and _projection (year value from the last
 * value before each projected run), values times `scale`, and `<prefix>_*_points` counts. */
static void charts_write_series(plot_script *s, const char *prefix, const charts_series *series, double scale,
                                charts_series_counts *counts)
{
    memset(counts, 0, sizeof *counts);
    counts->min = INFINITY;
    counts->max = -INFINITY;
    char name[96];
    static const char *const parts[] = {"history", "observed", "estimated", "projection"};
    for (size_t part = 0; part < 4; part++) {
        snprintf(name, sizeof name, "%s_%s", prefix, parts[part]);
        plot_script_datablock_begin(s, name);
        size_t rows = 0;
        int open = 0;        /* a line segment is open (history, projection) */
        int gap_pending = 0; /* a segment ended: a blank line goes before the next row */
        for (size_t t = 0; t < series->years; t++) {
            double v = series->value[t];
            sim_origin origin = (sim_origin)series->origin[t];
            int year = series->first_year + (int)t;
            int has = isfinite(v) && origin != SIM_ORIGIN_NONE;
            int take;
            switch (part) {
            case 0:
                take = has && charts_is_data(origin);
                break;
            case 1:
                take = has && origin == SIM_ORIGIN_OBSERVED;
                break;
            case 2:
                take = has && charts_is_data(origin) && origin != SIM_ORIGIN_OBSERVED;
                break;
            default:
                take = has && charts_is_projection(origin);
                break;
            }
            if (!take) {
                if (open && (part == 0 || part == 3))
                    gap_pending = 1;
                open = 0;
                continue;
            }
            if (gap_pending)
                plot_script_datablock_gap(s);
            gap_pending = 0;
            if (part == 3 && !open && t > 0 && isfinite(series->value[t - 1]) &&
                series->origin[t - 1] != SIM_ORIGIN_NONE) {
                /* start the dashed line at the value before it, so the line is unbroken */
                double row[2] = {year - 1, series->value[t - 1] * scale};
                plot_script_datablock_row(s, row, 2);
            }
            double row[2] = {year, v * scale};
            plot_script_datablock_row(s, row, 2);
            rows++;
            open = 1;
            if (v * scale < counts->min)
                counts->min = v * scale;
            if (v * scale > counts->max)
                counts->max = v * scale;
            if (!counts->first_year || year < counts->first_year)
                counts->first_year = year;
            if (year > counts->last_year)
                counts->last_year = year;
        }
        plot_script_datablock_end(s);
        size_t *count = part == 0 ? &counts->history : part == 1 ? &counts->observed
                                                     : part == 2 ? &counts->estimated : &counts->projection;
        *count = rows;
        snprintf(name, sizeof name, "%s_%s_points", prefix, parts[part]);
        plot_script_number(s, name, (double)rows);
    }
}

/* A run's series for slot: the cells shown in outputs (report.c's rule). Arrays are owned by
 * the caller (charts_series_release). Returns 0, or -1 when out of memory. */
static int charts_run_series(const run *r, int slot, charts_series *out)
{
    const sim_plan *plan = r->plan;
    memset(out, 0, sizeof *out);
    out->first_year = plan->first_year;
    out->years = plan->years;
    out->value = mem_calloc(plan->years ? plan->years : 1, sizeof *out->value);
    out->origin = mem_calloc(plan->years ? plan->years : 1, sizeof *out->origin);
    out->source = mem_calloc(plan->years ? plan->years : 1, sizeof *out->source);
    if (!out->value || !out->origin || !out->source)
        return -1;
    for (size_t t = 0; t < plan->years; t++) {
        size_t c = (size_t)slot * plan->years + t;
        int shown = sim_plan_cell_shown(plan, (size_t)slot, t);
        out->value[t] = shown ? run_slot_value(r, slot, plan->first_year + (int)t) : NAN;
        out->origin[t] = shown ? plan->origin[c] : SIM_ORIGIN_NONE;
        out->source[t] = shown ? plan->source[c] : NULL;
    }
    return 0;
}

static void charts_series_release(charts_series *s)
{
    mem_free(s->value);
    mem_free(s->origin);
    mem_free(s->source);
    memset(s, 0, sizeof *s);
}

/* Whole-year tics: a step that keeps about 15 labels at most, and the first multiple of it. */
static void charts_write_years(plot_script *s, int from, int to)
{
    int span = to - from;
    int step = span <= 15 ? 1 : span <= 30 ? 2 : span <= 75 ? 5 : span <= 150 ? 10 : 20;
    int first = from % step == 0 ? from : from + (step - from % step);
    plot_script_printf(s, "econsim_year_from = %d\neconsim_year_to = %d\neconsim_year_step = %d\n"
                          "econsim_year_first_tic = %d\n",
                       from, to, step, first);
}

/* ---------------------------------------------------------------------------------------- */
/* Trajectory: one variable of one scenario */

/* Goals drawn on a trajectory: a marker at (year, level) for each goal on the variable, and a
 * reference line for those whose year is after the first year of the horizon. */
static int charts_trajectory(charts_context *ctx, const run *r, const goals_set *goals, int slot)
{
    diag *d = ctx->d;
    const model_slot *ms = &r->model->slots[slot];
    double scale = charts_unit_scale(ms->unit);
    charts_series series;
    memset(&series, 0, sizeof series);
    plot_script *s = plot_script_new();
    if (!s || charts_run_series(r, slot, &series) != 0) {
        plot_script_free(s);
        charts_series_release(&series);
        return diag_oom(d, "writing a chart");
    }
    char title[512];
    snprintf(title, sizeof title, "%s — %s", ms->label, r->scenario->title);
    plot_script_string(s, "econsim_title", title);
    plot_script_string_cut(s, "econsim_unit", charts_unit_text(ms->unit), PLOT_UNIT_COLUMNS);
    plot_script_string(s, "econsim_variable_label", ms->label);
    char footnote[2600]; /* room for the sources below; charts_truncate fits it to the width */
    charts_footnote_scenario(footnote, sizeof footnote, r, ctx->o->width);
    plot_script_string(s, "econsim_footnote", footnote);
    char sources[2048] = "";
    for (size_t t = 0; t < series.years; t++)
        if (charts_is_data((sim_origin)series.origin[t]))
            charts_add_source(sources, sizeof sources, series.source[t]);
    if (r->scenario->history_path)
        snprintf(footnote, sizeof footnote, "数据: %s (%s); 来源: %s", charts_basename(r->scenario->history_path),
                 r->scenario->history_place ? r->scenario->history_place : "", sources[0] ? sources : "—");
    else
        snprintf(footnote, sizeof footnote, "数据: 情景给定的初始值 (无历史数据文件)");
    text_truncate(footnote, charts_footnote_columns(ctx->o->width));
    plot_script_string(s, "econsim_footnote2", footnote);

    charts_series_counts counts;
    plot_script_append(s, "\n");
    plot_script_comment(s, "%s: years and values in the unit econsim_unit%s", ms->name,
                        scale != 1 ? " (rates times 100)" : "");
    charts_write_series(s, "econsim", &series, scale, &counts);

    /* goals on this variable */
    size_t goal_count = 0, reference_count = 0;
    double goal_years[GOALS_MAX], goal_levels[GOALS_MAX], goal_is_reference[GOALS_MAX];
    double reference_values[GOALS_MAX], reference_years[GOALS_MAX];
    const char *goal_labels[GOALS_MAX], *reference_labels[GOALS_MAX];
    for (size_t i = 0; goals && i < goals->count; i++) {
        const goals_goal *g = &goals->goals[i];
        if (g->slot != slot)
            continue;
        double level = g->target;
        if (g->kind == GOALS_GROWTH) {
            /* a growth goal on a level: the level it implies from the year before */
            double previous = run_slot_value(r, slot, g->year - 1);
            if (scale != 1 || !isfinite(previous))
                continue;
            level = previous * (1 + g->target);
        }
        level *= scale;
        goal_years[goal_count] = g->year;
        goal_levels[goal_count] = level;
        goal_labels[goal_count] = g->label;
        goal_is_reference[goal_count] = g->year > r->scenario->start && g->kind == GOALS_LEVEL;
        goal_count++;
        if (g->year > r->scenario->start && g->kind == GOALS_LEVEL) {
            reference_values[reference_count] = level;
            reference_years[reference_count] = g->year;
            reference_labels[reference_count] = g->label;
            reference_count++;
        }
    }
    plot_script_append(s, "\n");
    plot_script_comment(s, "goals on %s: year, level (in econsim_unit)", ms->name);
    plot_script_datablock_begin(s, "econsim_goals");
    for (size_t i = 0; i < goal_count; i++) {
        double row[2] = {goal_years[i], goal_levels[i]};
        plot_script_datablock_row(s, row, 2);
    }
    plot_script_datablock_end(s);
    plot_script_string_array_cut(s, "econsim_goal_labels", goal_labels, goal_count, PLOT_LABEL_COLUMNS);
    plot_script_number_array(s, "econsim_goal_years", goal_years, goal_count);
    plot_script_number_array(s, "econsim_goal_levels", goal_levels, goal_count);
    plot_script_number_array(s, "econsim_goal_is_reference", goal_is_reference, goal_count);
    plot_script_number_array(s, "econsim_reference_values", reference_values, reference_count);
    plot_script_number_array(s, "econsim_reference_years", reference_years, reference_count);
    plot_script_string_array_cut(s, "econsim_reference_labels", reference_labels, reference_count, PLOT_LABEL_COLUMNS);

    double low = counts.min, high = counts.max;
    for (size_t i = 0; i < goal_count; i++) {
        low = fmin(low, goal_levels[i]);
        high = fmax(high, goal_levels[i]);
    }
    int from = counts.first_year ? counts.first_year : r->scenario->start;
    int to = counts.last_year ? counts.last_year : r->scenario->end;
    for (size_t i = 0; i < goal_count; i++) {
        if ((int)goal_years[i] < from)
            from = (int)goal_years[i];
        if ((int)goal_years[i] > to)
            to = (int)goal_years[i];
    }
    charts_write_years(s, from, to);
    plot_script_printf(s, "econsim_y_from_zero = %d\n", isfinite(low) && low >= 0 ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", isfinite(high) ? high : 0);
    plot_script_printf(s, "econsim_start = %d\n", r->scenario->start);

    int status = charts_emit(ctx, ms->name, "trajectory", "trajectory", title, ms->name, r->scenario->name, s,
                             ctx->o->height);
    plot_script_free(s);
    charts_series_release(&series);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Goals: value reached as a share of each target */

static int charts_goals(charts_context *ctx, const run *r, const goals_set *goals)
{
    diag *d = ctx->d;
    plot_script *s = plot_script_new();
    const char **labels = mem_calloc(goals->count, sizeof *labels);
    char **notes = mem_calloc(goals->count, sizeof *notes);
    if (!s || !labels || !notes) {
        plot_script_free(s);
        mem_free(labels);
        mem_free(notes);
        return diag_oom(d, "writing the goals chart");
    }
    char title[512];
    snprintf(title, sizeof title, "目标完成情况 — %s", r->scenario->title);
    plot_script_string(s, "econsim_title", title);
    char footnote[1024];
    charts_footnote_scenario(footnote, sizeof footnote, r, ctx->o->width);
    plot_script_string(s, "econsim_footnote", footnote);
    snprintf(footnote, sizeof footnote,
             "目标年份的值占目标的百分比 (100%% = 恰好达到); 增速目标按增速计; 模型结果, 非统计数据");
    text_truncate(footnote, charts_footnote_columns(ctx->o->width));
    plot_script_string(s, "econsim_footnote2", footnote);
    plot_script_append(s, "\n");
    plot_script_comment(s, "goals, top to bottom: position, percent of target, met (1) or not (0)");
    plot_script_datablock_begin(s, "econsim_met");
    double largest = 100;
    for (size_t i = 0; i < goals->count; i++) {
        const goals_result *res = &goals->results[i];
        double percent = goals->goals[i].target != 0 ? res->value / goals->goals[i].target * 100 : NAN;
        if (res->met && isfinite(percent)) {
            double row[3] = {(double)(i + 1), percent, 1};
            plot_script_datablock_row(s, row, 3);
        }
        if (isfinite(percent))
            largest = fmax(largest, percent);
    }
    plot_script_datablock_end(s);
    plot_script_datablock_begin(s, "econsim_unmet");
    size_t met_count = 0, unmet_count = 0;
    for (size_t i = 0; i < goals->count; i++) {
        const goals_result *res = &goals->results[i];
        double percent = goals->goals[i].target != 0 ? res->value / goals->goals[i].target * 100 : NAN;
        if (!isfinite(percent))
            continue;
        if (res->met) {
            met_count++;
            continue;
        }
        double row[3] = {(double)(i + 1), percent, 0};
        plot_script_datablock_row(s, row, 3);
        unmet_count++;
    }
    plot_script_datablock_end(s);
    plot_script_printf(s, "econsim_met_points = %zu\neconsim_unmet_points = %zu\n", met_count, unmet_count);
    /* the text beside each bar: value / target and the year */
    plot_script_append(s, "\n");
    plot_script_comment(s, "positions, all goals, for the labels");
    plot_script_datablock_begin(s, "econsim_positions");
    for (size_t i = 0; i < goals->count; i++) {
        const goals_goal *g = &goals->goals[i];
        const goals_result *res = &goals->results[i];
        double percent = g->target != 0 ? res->value / g->target * 100 : NAN;
        double row[2] = {(double)(i + 1), isfinite(percent) ? percent : 0};
        plot_script_datablock_row(s, row, 2);
        labels[i] = g->label;
        const model_slot *ms = &r->model->slots[g->slot];
        char value_text[64], target_text[64];
        const char *unit = g->kind == GOALS_GROWTH ? "ratio" : ms->unit;
        report_format_value(value_text, sizeof value_text, res->value, unit);
        report_format_value(target_text, sizeof target_text, g->target, unit);
        char note[320];
        snprintf(note, sizeof note, "%s / %s%s%s (%d) %s", value_text, target_text,
                 g->kind == GOALS_GROWTH || !strcmp(charts_unit_text(unit), "%") ? "" : " ",
                 g->kind == GOALS_GROWTH || !strcmp(charts_unit_text(unit), "%") ? "" : charts_unit_text(unit),
                 g->year, res->met ? "达成" : "未达成");
        if (!(notes[i] = mem_strdup(note))) {
            diag_oom(d, "writing the goals chart");
            break;
        }
    }
    plot_script_datablock_end(s);
    int status = d->status;
    if (status == DIAG_OK) {
        /* the y axis holds the labels: at most 56 columns each, and a margin that fits them */
        char (*short_labels)[256] = mem_calloc(goals->count ? goals->count : 1, sizeof *short_labels);
        const char **shown = mem_calloc(goals->count ? goals->count : 1, sizeof *shown);
        size_t widest = 4;
        if (!short_labels || !shown) {
            status = diag_oom(d, "writing the goals chart");
        } else {
            for (size_t i = 0; i < goals->count; i++) {
                snprintf(short_labels[i], sizeof short_labels[i], "%s", labels[i]);
                text_truncate(short_labels[i], 56);
                shown[i] = short_labels[i];
                size_t width = text_display_width(short_labels[i]);
                if (width > widest)
                    widest = width;
            }
            plot_script_string_array(s, "econsim_goal_labels", shown, goals->count);
            plot_script_printf(s, "econsim_label_columns = %zu\n", widest);
        }
        mem_free(short_labels);
        mem_free(shown);
        plot_script_string_array(s, "econsim_goal_notes", (const char *const *)notes, goals->count);
        double *percents = mem_calloc(goals->count ? goals->count : 1, sizeof *percents);
        if (!percents) {
            status = diag_oom(d, "writing the goals chart");
        } else {
            for (size_t i = 0; i < goals->count; i++)
                percents[i] = goals->goals[i].target != 0 ? goals->results[i].value / goals->goals[i].target * 100 : NAN;
            plot_script_number_array(s, "econsim_goal_percents", percents, goals->count);
            mem_free(percents);
        }
        plot_script_number(s, "econsim_x_at_least", largest);
        int height = ctx->o->height;
        int wanted = 170 + 46 * (int)goals->count;
        if (wanted > height)
            height = wanted > CHARTS_MAX_SIZE ? CHARTS_MAX_SIZE : wanted;
        if (status == DIAG_OK)
            status = charts_emit(ctx, "goals", "goals", "goals", title, NULL, r->scenario->name, s, height);
    }
    for (size_t i = 0; i < goals->count; i++)
        mem_free(notes[i]);
    mem_free(notes);
    mem_free(labels);
    plot_script_free(s);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Series sets: peers and scenario comparisons */

/* Writes the shared preamble of a multi-series chart: $econsim_<i>_* per series and the
 * arrays of titles, and returns the value range and years through the pointers. */
typedef struct charts_set_item {
    const char *title;
    const char *name; /* the scenario's name (comparisons), or NULL */
    charts_series series;
} charts_set_item;

static int charts_write_set(plot_script *s, const charts_set_item *items, size_t count, double scale, int *from,
                            int *to, double *low, double *high)
{
    const char **titles = mem_calloc(count ? count : 1, sizeof *titles);
    if (!titles)
        return -1;
    *low = INFINITY;
    *high = -INFINITY;
    for (size_t i = 0; i < count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "econsim_%zu", i + 1);
        plot_script_append(s, "\n");
        plot_script_comment(s, "series %zu: years and values", i + 1);
        charts_series_counts counts;
        charts_write_series(s, prefix, &items[i].series, scale, &counts);
        if (counts.first_year && (!*from || counts.first_year < *from))
            *from = counts.first_year;
        if (counts.last_year > *to)
            *to = counts.last_year;
        *low = fmin(*low, counts.min);
        *high = fmax(*high, counts.max);
        titles[i] = items[i].title;
    }
    /* key entries are cut: gnuplot gives up on one wider than the chart */
    plot_script_string_array_cut(s, "econsim_series_titles", titles, count, PLOT_LABEL_COLUMNS);
    mem_free(titles);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Peers: home against each peer, one chart per variable */

static int charts_peers_variable(charts_context *ctx, const run *r, const peers_comparison *c,
                                 const peers_variable *v)
{
    diag *d = ctx->d;
    plot_script *s = plot_script_new();
    charts_set_item *items = mem_calloc(v->line_count ? v->line_count : 1, sizeof *items);
    if (!s || !items) {
        plot_script_free(s);
        mem_free(items);
        return diag_oom(d, "writing a peers chart");
    }
    double scale = charts_unit_scale(v->unit);
    size_t count = 0;
    char sources[2048] = "";
    for (size_t i = 0; i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        if (line->status != PEERS_STATUS_DATA)
            continue;
        /* the comparison years only: a value chained back before them is not compared */
        int first = v->first_year > line->series.first_year ? v->first_year : line->series.first_year;
        int last = line->series.first_year + (int)line->series.years - 1;
        if (last > v->last_year)
            last = v->last_year;
        if (last < first)
            continue;
        size_t skip = (size_t)(first - line->series.first_year);
        items[count].title = line->place;
        items[count].series.first_year = first;
        items[count].series.years = (size_t)(last - first + 1);
        items[count].series.value = line->series.value + skip;
        items[count].series.origin = line->series.origin + skip;
        items[count].series.source = line->series.source ? line->series.source + skip : NULL;
        for (size_t t = 0; t < items[count].series.years; t++)
            if (charts_is_data((sim_origin)items[count].series.origin[t]) && items[count].series.source)
                charts_add_source(sources, sizeof sources, items[count].series.source[t]);
        count++;
    }
    char title[512];
    snprintf(title, sizeof title, "%s: %s与同类县市 — %s", v->label, c->home, r->scenario->title);
    plot_script_string(s, "econsim_title", title);
    plot_script_string_cut(s, "econsim_unit", charts_unit_text(v->unit), PLOT_UNIT_COLUMNS);
    char footnote[2300];
    charts_footnote_scenario(footnote, sizeof footnote, r, ctx->o->width);
    plot_script_string(s, "econsim_footnote", footnote);
    snprintf(footnote, sizeof footnote, "实线: 数据 (空心点: 由增速推算或插值); 虚线: 预测; 来源: %s",
             sources[0] ? sources : "—");
    text_truncate(footnote, charts_footnote_columns(ctx->o->width));
    plot_script_string(s, "econsim_footnote2", footnote);
    int from = 0, to = 0;
    double low, high;
    if (charts_write_set(s, items, count, scale, &from, &to, &low, &high) != 0) {
        plot_script_free(s);
        mem_free(items);
        return diag_oom(d, "writing a peers chart");
    }
    if (from < v->first_year)
        from = v->first_year;

    /* the years in which home passes or falls behind a peer (history and projection alike),
     * and, for a peer home never reaches, a note at the end of the horizon */
    size_t marks = 0;
    double mark_years[CHARTS_MAX_MARKS], mark_values[CHARTS_MAX_MARKS], mark_directions[CHARTS_MAX_MARKS];
    const char *mark_names[CHARTS_MAX_MARKS];
    const peers_line *home = v->line_count ? &v->lines[0] : NULL;
    for (size_t i = 1; home && i < v->line_count; i++) {
        const peers_line *line = &v->lines[i];
        for (size_t k = 0; k <= line->crossing_count && marks < CHARTS_MAX_MARKS; k++) {
            int year, direction;
            if (k < line->crossing_count) {
                year = line->crossings[k].year;
                direction = line->crossings[k].direction;
            } else if (line->standing == PEERS_STANDING_BEHIND) {
                year = v->last_year;
                direction = 0;
            } else {
                break;
            }
            double value = peers_series_value(&home->series, year);
            if (year < from || !isfinite(value))
                continue;
            mark_years[marks] = year;
            mark_values[marks] = value * scale;
            mark_directions[marks] = direction;
            mark_names[marks] = line->place;
            marks++;
        }
    }
    plot_script_append(s, "\n");
    plot_script_comment(s, "catch-up marks: year, home's value, +1 passes / -1 falls behind / 0 still behind the peer "
                           "at the end");
    plot_script_number_array(s, "econsim_mark_years", mark_years, marks);
    plot_script_number_array(s, "econsim_mark_values", mark_values, marks);
    plot_script_number_array(s, "econsim_mark_directions", mark_directions, marks);
    plot_script_string_array_cut(s, "econsim_mark_places", mark_names, marks, PLOT_LABEL_COLUMNS);
    charts_write_years(s, from ? from : v->first_year, to ? to : v->last_year);
    plot_script_printf(s, "econsim_y_from_zero = %d\n", isfinite(low) && low >= 0 ? 1 : 0);
    plot_script_number(s, "econsim_y_at_least", isfinite(high) ? high : 0);
    plot_script_printf(s, "econsim_start = %d\n", r->scenario->start);

    char slug[96];
    snprintf(slug, sizeof slug, "peers-%s", v->name);
    int status = count ? charts_emit(ctx, slug, "peers", "peers", title, v->name, r->scenario->name, s, ctx->o->height)
                       : DIAG_OK;
    if (!count)
        diag_warning(d, "no peers chart for %s: no place has data", v->name);
    plot_script_free(s);
    mem_free(items);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Entry points */

int charts_write_run(output_batch *batch, const run *r, const goals_set *goals, const peers_comparison *peers,
                     const charts_options *o, charts_list *list, diag *d)
{
    if (!o->enabled)
        return DIAG_OK;
    charts_context ctx;
    int status = charts_context_init(&ctx, batch, o, list, d);
    if (status != DIAG_OK || !ctx.have_templates) {
        charts_context_release(&ctx);
        return status;
    }
    for (size_t i = 0; i < o->variable_count && status == DIAG_OK; i++) {
        int slot = model_find(r->model, o->variables[i]);
        if (slot < 0 || r->model->slots[slot].kind == MODEL_PARAMETER) {
            diag_warning(d, "no chart for %s: not a variable or series of model %s", o->variables[i], r->model->path);
            continue;
        }
        status = charts_trajectory(&ctx, r, goals, slot);
    }
    if (status == DIAG_OK && goals && goals->count)
        status = charts_goals(&ctx, r, goals);
    for (size_t i = 0; status == DIAG_OK && peers && i < peers->variable_count; i++)
        status = charts_peers_variable(&ctx, r, peers, &peers->variables[i]);
    if (status == DIAG_OK)
        status = charts_context_finish(&ctx);
    charts_context_release(&ctx);
    return status;
}

int charts_write_comparison(output_batch *batch, const run *const *runs, size_t count, const charts_options *o,
                            charts_list *list, diag *d)
{
    if (!o->enabled || count == 0)
        return DIAG_OK;
    charts_context ctx;
    int status = charts_context_init(&ctx, batch, o, list, d);
    if (status != DIAG_OK || !ctx.have_templates) {
        charts_context_release(&ctx);
        return status;
    }
    charts_set_item *items = mem_calloc(count, sizeof *items);
    if (!items) {
        charts_context_release(&ctx);
        return diag_oom(d, "writing comparison charts");
    }
    for (size_t v = 0; v < o->variable_count && status == DIAG_OK; v++) {
        const char *name = o->variables[v];
        const model_slot *first_slot = NULL;
        size_t used = 0;
        for (size_t i = 0; i < count && status == DIAG_OK; i++) {
            int slot = model_find(runs[i]->model, name);
            if (slot < 0 || runs[i]->model->slots[slot].kind == MODEL_PARAMETER) {
                diag_warning(d, "comparison chart of %s: scenario %s is left out (its model has no such series)", name,
                             runs[i]->scenario->name);
                continue;
            }
            if (!first_slot)
                first_slot = &runs[i]->model->slots[slot];
            if (charts_run_series(runs[i], slot, &items[used].series) != 0) {
                charts_series_release(&items[used].series);
                status = diag_oom(d, "writing comparison charts");
                break;
            }
            items[used].title = runs[i]->scenario->title;
            items[used].name = runs[i]->scenario->name;
            used++;
        }
        if (status == DIAG_OK && used) {
            plot_script *s = plot_script_new();
            if (!s) {
                status = diag_oom(d, "writing comparison charts");
            } else {
                double scale = charts_unit_scale(first_slot->unit);
                char title[512];
                snprintf(title, sizeof title, "%s — 情景比较", first_slot->label);
                plot_script_string(s, "econsim_title", title);
                plot_script_string_cut(s, "econsim_unit", charts_unit_text(first_slot->unit), PLOT_UNIT_COLUMNS);
                char footnote[2048] = "情景: ";
                for (size_t i = 0; i < used; i++)
                    charts_append(footnote, sizeof footnote, "%s%s", i ? ", " : "", items[i].name);
                charts_append(footnote, sizeof footnote, " · econsim %s", ECONSIM_VERSION);
                text_truncate(footnote, charts_footnote_columns(o->width));
                plot_script_string(s, "econsim_footnote", footnote);
                snprintf(footnote, sizeof footnote, "实线: 历史数据 (空心点: 推算值); 虚线: 各情景的预测");
                plot_script_string(s, "econsim_footnote2", footnote);
                int from = 0, to = 0;
                double low, high;
                if (charts_write_set(s, items, used, scale, &from, &to, &low, &high) != 0) {
                    status = diag_oom(d, "writing comparison charts");
                } else {
                    charts_write_years(s, from ? from : runs[0]->scenario->start, to ? to : runs[0]->scenario->end);
                    plot_script_printf(s, "econsim_y_from_zero = %d\n", isfinite(low) && low >= 0 ? 1 : 0);
                    plot_script_number(s, "econsim_y_at_least", isfinite(high) ? high : 0);
                    plot_script_printf(s, "econsim_start = %d\n", runs[0]->scenario->start);
                    char slug[96];
                    snprintf(slug, sizeof slug, "compare-%s", name);
                    status = charts_emit(&ctx, slug, "compare", "compare", title, name, NULL, s, o->height);
                }
                plot_script_free(s);
            }
        }
        for (size_t i = 0; i < used; i++)
            charts_series_release(&items[i].series);
    }
    mem_free(items);
    if (status == DIAG_OK)
        status = charts_context_finish(&ctx);
    charts_context_release(&ctx);
    return status;
}

/* ---------------------------------------------------------------------------------------- */
/* Charts of other modules */

struct charts_writer {
    charts_context ctx;
};

int charts_writer_begin(output_batch *batch, const charts_options *o, charts_list *list, charts_writer **out, diag *d)
{
    *out = NULL;
    if (!o->enabled)
        return DIAG_OK;
    charts_writer *w = mem_calloc(1, sizeof *w);
    if (!w)
        return diag_oom(d, "drawing charts");
    int status = charts_context_init(&w->ctx, batch, o, list, d);
    if (status != DIAG_OK || !w->ctx.have_templates) {
        charts_context_release(&w->ctx);
        mem_free(w);
        return status;
    }
    *out = w;
    return DIAG_OK;
}

int charts_writer_emit(charts_writer *w, const char *slug, const char *kind, const char *template_name,
                       const char *title, const char *variable, const char *scenario_name, const plot_script *body,
                       int height)
{
    if (!w)
        return DIAG_OK;
    return charts_emit(&w->ctx, slug, kind, template_name, title, variable, scenario_name, body,
                       height > 0 ? height : w->ctx.o->height);
}

int charts_writer_end(charts_writer *w, int status)
{
    if (!w)
        return status;
    if (status == DIAG_OK)
        status = charts_context_finish(&w->ctx);
    charts_context_release(&w->ctx);
    mem_free(w);
    return status;
}
