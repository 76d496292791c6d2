/* charts.c: the chart API (charts.h): a builder's chart description becomes a gnuplot script
 * in the run's output batch, and the images are drawn by gnuplot, several at once, when it is
 * installed.
 *
 * A script has four parts: a header of comments and program settings (format, size, file
 * name), the chart's text as string variables and its data as datablocks (the builder's body),
 * then the text of plots/style.gp and of the chart's template. Only the second part holds
 * anything from a file (titles, labels, place names, sources), and only as escaped literals;
 * the templates refer to it by variable name. Layers that a chart may lack (goals, estimated
 * points, a peer's projection) come with counts, and the templates leave out empty ones, since
 * gnuplot warns about an empty datablock even in a loop that never runs. */
#include "charts.h"
#include "i18n.h"
#include "input.h"
#include "mem.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ECONSIM_VERSION
#define ECONSIM_VERSION "dev"
#endif

/* ---------------------------------------------------------------------------------------- */
/* Options and the list of charts */

void charts_options_release(charts_options *o)
{
    for (size_t i = 0; i < o->variable_count; i++)
        mem_free(o->variables[i]);
    memset(o, 0, sizeof *o);
}

void charts_list_release(charts_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        mem_free(list->entries[i].title);
        mem_free(list->entries[i].variable);
        mem_free(list->entries[i].svg);
    }
    mem_free(list->entries);
    memset(list, 0, sizeof *list);
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
    int report_copy;         /* 1: the SVG copy of entry's chart for the report (report_svg), read
                                into the entry once drawn and then taken out of the batch */
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
    diag_strip_label(message);
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
            return diag_oom(d, _("listing charts"));
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
        return diag_oom(d, _("listing charts"));
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
    message = diag_skip_label(message);
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

/* Lines of a title and of a footnote's note, at most; bytes of one line. */
#define CHARTS_TITLE_LINES 2
#define CHARTS_NOTE_LINES 2
#define CHARTS_LINE_BYTES 1024

/* Splits a title "WHAT — SCENARIO" at its last " — " into first and second (the dash starts the
 * second line) when both halves fit `columns`: a Chinese title has no spaces to break at, and
 * breaking inside a name ("同类县 / 市") reads badly. Returns 1 when split, else 0. */
static int charts_split_at_dash(const char *title, size_t columns, char *first, char *second, size_t size)
{
    const char *dash = NULL;
    for (const char *p = strstr(title, " — "); p; p = strstr(p + 1, " — "))
        dash = p;
    if (!dash || (size_t)(dash - title) >= size || strlen(dash + 1) >= size)
        return 0;
    memcpy(first, title, (size_t)(dash - title));
    first[dash - title] = '\0';
    snprintf(second, size, "%s", dash + 1);
    return text_display_width(first) <= columns && text_display_width(second) <= columns;
}

/* The texts the writer fits to the canvas, written after the body (so they replace its own):
 * econsim_scale (style.gp's font scale); the title wrapped over at most two lines and
 * econsim_title_lines; the footnotes when the chart gives them: the first cut to one line, the
 * note wrapped over at most two (econsim_footnote2, econsim_footnote3), econsim_footnote_lines,
 * and the full texts as comments when the chart shows less of them. */
static void charts_fit_texts(plot_script *script, const charts_chart *chart, const charts_options *o, int height)
{
    char lines[CHARTS_TITLE_LINES + CHARTS_NOTE_LINES][CHARTS_LINE_BYTES];
    double scale = charts_scale(o->width, o->height);
    plot_script_append(script, "\n");
    plot_script_comment(script, "---- texts fitted to the canvas (written by econsim) ----");
    plot_script_number(script, "econsim_scale", scale);
    if (chart->title) {
        size_t columns = charts_title_columns(o->width, height);
        size_t need = charts_wrap(chart->title, columns, lines[0], sizeof lines[0], CHARTS_TITLE_LINES);
        if (need == 2 && !charts_split_at_dash(chart->title, columns, lines[0], lines[1], sizeof lines[0])) {
            /* two lines of about the same length read better than a long line and a word */
            for (size_t c = (text_display_width(chart->title) + 1) / 2; c < columns; c++)
                if (charts_wrap(chart->title, c, lines[0], sizeof lines[0], CHARTS_TITLE_LINES) == 2)
                    break;
        }
        if (need > CHARTS_TITLE_LINES)
            plot_script_comment(script, "title: %s", chart->title);
        const char *shown[CHARTS_TITLE_LINES] = {lines[0], lines[1]};
        size_t count = need > CHARTS_TITLE_LINES ? CHARTS_TITLE_LINES : need;
        plot_script_string_lines(script, "econsim_title", shown, count);
        plot_script_printf(script, "econsim_title_lines = %zu\n", count ? count : 1);
    }
    if (!chart->footnote && !chart->footnote2)
        return;
    size_t columns = charts_footnote_columns(o->width);
    size_t first = charts_wrap(chart->footnote ? chart->footnote : "", columns, lines[0], sizeof lines[0], 1);
    if (first > 1)
        plot_script_comment(script, "footnote: %s", chart->footnote);
    size_t need = charts_wrap(chart->footnote2 ? chart->footnote2 : "", columns, lines[1], sizeof lines[1],
                              CHARTS_NOTE_LINES);
    if (need > CHARTS_NOTE_LINES)
        plot_script_comment(script, "note: %s", chart->footnote2);
    plot_script_string(script, "econsim_footnote", lines[0]);
    plot_script_string(script, "econsim_footnote2", need > 0 ? lines[1] : "");
    plot_script_string(script, "econsim_footnote3", need > 1 ? lines[2] : "");
    plot_script_printf(script, "econsim_footnote_lines = %d\n", need > 1 ? 3 : 2);
}

/* The whole script of a chart: a header of comments and program settings, the builder's body,
 * plots/style.gp, then the template's text. NULL with the failure in d (out of memory, or a
 * failure the script recorded). */
static plot_script *charts_script(charts_context *ctx, const charts_chart *chart, const char *template_text,
                                  const char *script_name, const char *image_name, const char *image_path, int height,
                                  plot_format format)
{
    diag *d = ctx->d;
    const char *kind = chart->kind, *template_name = chart->template_name, *scenario_name = chart->scenario_name;
    const char *extension = plot_format_name(format);
    plot_script *script = plot_script_new();
    if (!script) {
        diag_oom(d, _("writing a chart script"));
        return NULL;
    }
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
    const char *body_text = plot_script_text(chart->body, &body_length);
    plot_script_append(script, body_text ? body_text : "");
    charts_fit_texts(script, chart, ctx->o, height);
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
        return NULL;
    }
    return script;
}

/* Queues the image of a chart whose script is written, to be drawn with the other charts of
 * this context, several at once (charts_draw), and lists it. */
static int charts_queue(charts_context *ctx, const charts_chart *chart, const char *script_name,
                        const char *image_name, const char *script_path, const char *image_path, int report_copy)
{
    diag *d = ctx->d;
    if (ctx->pending_count == ctx->pending_capacity) {
        size_t capacity = ctx->pending_capacity ? ctx->pending_capacity * 2 : 16;
        charts_pending *grown = mem_realloc(ctx->pending, capacity * sizeof *grown);
        if (!grown)
            return diag_oom(d, _("writing a chart"));
        ctx->pending = grown;
        ctx->pending_capacity = capacity;
    }
    const char *image_file = output_batch_reserve(ctx->batch, image_path, d);
    if (!image_file || (!report_copy && charts_list_add(ctx->list, image_path, script_path, chart->title, chart->kind,
                                                        chart->variable, 0, d) != DIAG_OK))
        return d->status;
    charts_pending *job = &ctx->pending[ctx->pending_count++];
    memset(job, 0, sizeof *job);
    job->entry = ctx->list->count - 1; /* a report copy follows its chart's entry */
    job->report_copy = report_copy;
    snprintf(job->script_name, sizeof job->script_name, "%s", script_name);
    snprintf(job->image_name, sizeof job->image_name, "%s", image_name);
    snprintf(job->image_path, sizeof job->image_path, "%s", image_path);
    snprintf(job->script_path, sizeof job->script_path, "%s", script_path);
    snprintf(job->image_file, sizeof job->image_file, "%s", image_file);
    charts_split_path(image_file, job->work_dir, sizeof job->work_dir);
    snprintf(job->what, sizeof job->what, _("chart %s/%s"), output_batch_dir(ctx->batch), image_path);
    return DIAG_OK;
}

/* Writes the whole script of a chart (charts_script) as script_path into the batch. Returns a
 * DIAG_ status. */
static int charts_put_script(charts_context *ctx, const charts_chart *chart, const char *template_text,
                             const char *script_name, const char *image_name, const char *script_path,
                             const char *image_path, int height, plot_format format)
{
    diag *d = ctx->d;
    plot_script *script =
        charts_script(ctx, chart, template_text, script_name, image_name, image_path, height, format);
    if (!script)
        return d->status;
    size_t length = 0;
    const char *text = plot_script_text(script, &length);
    FILE *stream = output_batch_open(ctx->batch, script_path, d);
    if (stream)
        fwrite(text, 1, length, stream); /* a failed write shows when the batch closes it */
    plot_script_free(script);
    return stream ? DIAG_OK : d->status;
}

/* The largest SVG a report embeds: a chart of a few hundred kilobytes is a large one. */
#define CHARTS_SVG_MAX_BYTES ((size_t)64 << 20)

/* Reads the SVG that gnuplot drew at path into the list entry (report_svg). A file that
 * cannot be read, or is larger than CHARTS_SVG_MAX_BYTES, leaves the entry without SVG (the
 * report then says the chart is missing); only memory is an error. */
static int charts_keep_svg(charts_entry *e, const char *path, diag *d)
{
    diag read;
    diag_init(&read);
    size_t length = 0;
    char *text = input_read_all(path, CHARTS_SVG_MAX_BYTES, &length, &read);
    int out_of_memory = !text && read.status == DIAG_SOFTWARE;
    diag_free(&read);
    if (out_of_memory)
        return diag_oom(d, _("reading a chart for the report"));
    if (text) {
        mem_free(e->svg);
        e->svg = text;
        e->svg_length = length;
    }
    return DIAG_OK;
}

/* Writes the chart's script charts/<slug>.gp through the batch, then queues its image when
 * gnuplot is there (charts_writer_add). A chart that fails to draw is a warning. Returns a
 * DIAG_ status for failures that stop the run. */
static int charts_emit(charts_context *ctx, const charts_chart *chart, int height)
{
    diag *d = ctx->d;
    const char *slug = chart->slug;
    const char *template_text = charts_template(ctx, chart->template_name);
    if (!template_text)
        return d->status; /* DIAG_OK after a warning; an error when charts are required */
    const char *extension = plot_format_name(ctx->o->format);
    char script_name[96], image_name[96], script_path[128], image_path[128];
    if (strlen(slug) + 5 > sizeof script_name) {
        diag_warning(d, _("no chart for %s: the name is too long for a file name"), slug);
        return DIAG_OK;
    }
    snprintf(script_name, sizeof script_name, "%s.gp", slug);
    snprintf(image_name, sizeof image_name, "%s.%s", slug, extension);
    snprintf(script_path, sizeof script_path, "charts/%s", script_name);
    snprintf(image_path, sizeof image_path, "charts/%s", image_name);
    if (plot_script_finish(chart->body, image_path, d) != DIAG_OK)
        return d->status;
    if (charts_put_script(ctx, chart, template_text, script_name, image_name, script_path, image_path, height,
                          ctx->o->format) != DIAG_OK)
        return d->status;
    ctx->written++;
    if (!ctx->first_script[0])
        snprintf(ctx->first_script, sizeof ctx->first_script, "%s", script_name);
    if (!ctx->have_gnuplot)
        return charts_list_add(ctx->list, image_path, script_path, chart->title, chart->kind, chart->variable, 0, d);
    if (charts_queue(ctx, chart, script_name, image_name, script_path, image_path, 0) != DIAG_OK)
        return d->status;
    if (!ctx->o->report_svg || ctx->o->format == PLOT_SVG || strlen(slug) + 16 > sizeof script_name)
        return DIAG_OK; /* (a slug that long: the report shows the chart as missing) */
    /* the report's copy: the same script but for the format, under names no chart has (slugs
     * hold no '.') */
    snprintf(script_name, sizeof script_name, "%s.svg-copy.gp", slug);
    snprintf(image_name, sizeof image_name, "%s.svg-copy.svg", slug);
    snprintf(script_path, sizeof script_path, "charts/%s", script_name);
    snprintf(image_path, sizeof image_path, "charts/%s", image_name);
    if (charts_put_script(ctx, chart, template_text, script_name, image_name, script_path, image_path, height,
                          PLOT_SVG) != DIAG_OK)
        return d->status;
    return charts_queue(ctx, chart, script_name, image_name, script_path, image_path, 1);
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

void charts_warm_up(int enabled, const char *format_name, int jobs)
{
    plot_format format = PLOT_PNG;
    char gnuplot[4096];
    if (!enabled || (format_name && !plot_format_parse(format_name, &format)) ||
        !plot_gnuplot_find(gnuplot, sizeof gnuplot))
        return; /* (a bad --format is reported where the options are read) */
    plot_warm_start(gnuplot, charts_parallel(&(charts_options){.jobs = jobs}), format);
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
        return diag_oom(d, _("drawing charts"));
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
        if (p->report_copy) { /* read when drawn, never committed; a failure only leaves it out */
            int status = job->outcome == PLOT_DRAWN ? charts_keep_svg(&ctx->list->entries[p->entry], p->image_file, d)
                                                   : DIAG_OK;
            output_batch_withdraw(ctx->batch, p->image_path);
            output_batch_withdraw(ctx->batch, p->script_path);
            if (status != DIAG_OK) {
                mem_free(jobs);
                return status;
            }
            continue;
        }
        diag_init(&run_diag);
        int status = plot_job_error(job, timeout, &run_diag);
        struct stat st;
        if (status == DIAG_OK && (stat(p->image_file, &st) != 0 || st.st_size == 0))
            status = diag_error(&run_diag, DIAG_SOFTWARE, "%s: gnuplot drew nothing (no output)", p->what);
        if (status == DIAG_OK && ctx->o->format == PLOT_PDF)
            status = plot_pdf_fix_dates(p->image_file, &run_diag);
        if (status == DIAG_OK && ctx->o->report_svg && ctx->o->format == PLOT_SVG &&
            charts_keep_svg(&ctx->list->entries[p->entry], p->image_file, d) != DIAG_OK) {
            diag_free(&run_diag);
            mem_free(jobs);
            return d->status;
        }
        if (status == DIAG_OK) {
            ctx->list->entries[p->entry].drawn = 1;
            ctx->drawn++;
            if (job->errors[0]) {
                char message[PLOT_ERRORS_MAX + 64];
                charts_clean_message(message, sizeof message, job->errors, p->script_name, p->script_name);
                diag_warning(d, _("%s: gnuplot said: %s"), p->what, message);
            }
        } else if (job->outcome == PLOT_SKIPPED) {
            diag_warning(d, _("%s: not drawn: the time for the charts of this command (%d seconds, "
                            "ECONSIM_CHARTS_BUDGET) ran out; its script is written: %s/%s"),
                         p->what, budget, output_batch_dir(ctx->batch), p->script_path);
            output_batch_withdraw(ctx->batch, p->image_path);
        } else {
            char message[sizeof run_diag.message + 64];
            charts_clean_message(message, sizeof message, run_diag.message, p->script_name, p->script_name);
            diag_warning(d, _("%s (the script is written: %s/%s)"), message, output_batch_dir(ctx->batch), p->script_path);
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
/* The writer */

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
        return diag_oom(d, _("drawing charts"));
    int status = charts_context_init(&w->ctx, batch, o, list, d);
    if (status != DIAG_OK || !w->ctx.have_templates) {
        charts_context_release(&w->ctx);
        mem_free(w);
        return status;
    }
    *out = w;
    return DIAG_OK;
}

int charts_writer_add(charts_writer *w, const charts_chart *chart)
{
    if (!w)
        return DIAG_OK;
    return charts_emit(&w->ctx, chart, chart->height > 0 ? chart->height : w->ctx.o->height);
}

const charts_options *charts_writer_options(const charts_writer *w)
{
    return w->ctx.o;
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
