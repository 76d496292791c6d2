/* scenario.c: loading scenario files (DESIGN §6) and their chains of `extends`: the origins
 * table, the merge and the chain (the checks of one file are scenario_check.c's, the filling
 * of the struct scenario_fill.c's).
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
#include "scenario_internal.h"
#include "i18n.h"
#include "mem.h"
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
        return diag_oom(d, _("loading a scenario"));
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
const char *scenario_canonical(const scenario_resolver *resolver, const char *key)
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

/* 1 when `key` of a base is the English form of a text ("note_en") whose text the child writes
 * without an English form: the base's English form no longer says what the child's text says,
 * so it is not inherited. */
static int scenario_english_hidden(const cJSON *own, const char *key)
{
    if (!jsonfile_is_english_key(key, NULL))
        return 0;
    size_t base = strlen(key) - 3;
    int text = 0, english = 0;
    for (const cJSON *c = own; c; c = c->next) {
        text |= c->string && strlen(c->string) == base && !strncmp(c->string, key, base);
        english |= c->string && !strcmp(c->string, key);
    }
    return text && !english;
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
        if ((where == SCENARIO_AT_TOP && scenario_is_own_key(key)) || scenario_english_hidden(own, key)) {
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
/* Loading the chain                                                                          */

typedef struct scenario_loader {
    cJSON *trees[SCENARIO_MAX_EXTENDS + 1]; /* as loaded, child first */
    dev_t device[SCENARIO_MAX_EXTENDS + 1]; /* identity of each file, to find loops: */
    ino_t inode[SCENARIO_MAX_EXTENDS + 1];  /* "./a.json", "a.json", links are one file */
    scenario_origins all;                   /* every node of every tree */
    scenario_file_note *notes;                   /* the notes of series, per file */
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
        mem_free(loader->notes[i].note_en);
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
    return diag_error_json(d, DIAG_DATA, s->extends_chain[first], "$.extends", _("extends loop: %s"), chain);
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
                                   _("cannot open base scenario %s: %s"), file, strerror(error));
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
        return diag_error_file(d, DIAG_NO_INPUT, file, _("cannot open: %s"), strerror(error));
    }
    loader->device[index] = info.st_dev;
    loader->inode[index] = info.st_ino;
    cJSON *tree = loader->trees[index];
    jsonfile_drop_comments(tree);
    int status = scenario_check_file(s, tree, file, d);
    if (status == DIAG_SOFTWARE)
        return status;
    if (scenario_origins_add_tree(&loader->all, tree, file, d) != DIAG_OK)
        return d->status;
    const cJSON *extends = cJSON_IsObject(tree) ? scenario_member(tree, "extends") : NULL;
    if (cJSON_IsString(extends) && extends->valuestring && extends->valuestring[0]) {
        if (index == SCENARIO_MAX_EXTENDS)
            return diag_error_json(d, DIAG_DATA, file, "$.extends", _("extends chain is deeper than %d files"),
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
                                         _("\"%s\" and \"%s\" both stand for %s in this file: give it once (a label "
                                         "is another way to write a name)"),
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
                scenario_file_note *grown = mem_realloc(loader->notes, capacity * sizeof *grown);
                if (!grown)
                    return diag_oom(d, _("loading a scenario"));
                loader->notes = grown;
                loader->note_capacity = capacity;
            }
            scenario_file_note *n = &loader->notes[loader->note_count];
            n->file = index;
            n->initial = initial;
            n->name = mem_strdup(scenario_canonical(resolver, c->string));
            n->written = mem_strdup(c->string);
            n->note = cJSON_IsString(note) ? mem_strdup(note->valuestring) : NULL;
            const char *note_en = cJSON_IsObject(c) ? jsonfile_english(c, "note") : NULL;
            n->note_en = note_en ? mem_strdup(note_en) : NULL;
            if (!n->name || !n->written || (cJSON_IsString(note) && !n->note) || (note_en && !n->note_en)) {
                mem_free(n->name);
                mem_free(n->written);
                mem_free(n->note);
                mem_free(n->note_en);
                return diag_oom(d, _("loading a scenario"));
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

/* Reads and checks every file of the chain, child first, following `extends`; *last gets the
 * index of the last. Returns DIAG_OK, or a failure (the errors are in d). */
static int scenario_read_chain(scenario *s, scenario_loader *loader, size_t *last, diag *d)
{
    int status = DIAG_OK;
    *last = 0;
    for (;;) {
        const char *next = NULL;
        int one = scenario_load_one(s, loader, *last, &next, d);
        if (one != DIAG_OK)
            status = one;
        if (status == DIAG_SOFTWARE || !loader->trees[*last])
            return status != DIAG_OK ? status : DIAG_SOFTWARE;
        if (!next)
            break;
        if (!(s->extends_chain[*last + 1] = mem_strdup(next)))
            return diag_oom(d, _("loading a scenario"));
        (*last)++;
        s->extends_count = *last + 1;
    }
    return status;
}

/* Names are resolved before the merge: opens the model the chain names, then checks the name
 * sections of every file and records the notes each file gives. Returns a DIAG_ status. */
static int scenario_resolve_names(scenario *s, scenario_loader *loader, size_t last, const scenario_resolver *resolver,
                                  diag *d)
{
    int status = DIAG_OK;
    if (resolver && resolver->open) {
        const char *model_path = NULL;
        for (size_t i = 0; i <= last && !model_path; i++) {
            const cJSON *model = scenario_member(loader->trees[i], "model");
            model_path = model ? model->valuestring : NULL;
        }
        if (resolver->open(resolver->context, model_path, d) != DIAG_OK)
            return d->status != DIAG_OK ? d->status : DIAG_SOFTWARE;
    }
    for (size_t i = 0; i <= last; i++) {
        if (scenario_check_names(loader->trees[i], s->extends_chain[i], resolver, d) != DIAG_OK)
            status = d->status;
        if (scenario_record_notes(loader, i, resolver, d) != DIAG_OK)
            return d->status != DIAG_OK ? d->status : DIAG_SOFTWARE;
    }
    return status;
}

/* Merges the chain into s->root, child over base, and keeps the origin of every node of it.
 * Returns a DIAG_ status. */
static int scenario_merge_chain(scenario *s, scenario_loader *loader, size_t last, const scenario_resolver *resolver,
                                diag *d)
{
    /* every tree is alive until here, so every recorded address is a distinct node */
    qsort(loader->all.entries, loader->all.count, sizeof *loader->all.entries, scenario_compare_origins);
    cJSON *merged = loader->trees[last];
    loader->trees[last] = NULL;
    for (size_t i = last; i-- > 0;) {
        scenario_merge(loader->trees[i], merged, resolver, SCENARIO_AT_TOP);
        cJSON_Delete(merged); /* what the child overrode */
        merged = loader->trees[i];
        loader->trees[i] = NULL;
    }
    s->root = merged;

    scenario_origins *kept = mem_calloc(1, sizeof *kept);
    if (!kept)
        return diag_oom(d, _("loading a scenario"));
    s->origins = kept;
    if (!scenario_origins_reserve(kept, scenario_count_nodes(s->root)))
        return diag_oom(d, _("loading a scenario"));
    scenario_origins_keep(kept, &loader->all, s->root);
    qsort(kept->entries, kept->count, sizeof *kept->entries, scenario_compare_origins);
    return DIAG_OK;
}

scenario *scenario_load_resolved(const char *path, const scenario_resolver *resolver, diag *d)
{
    scenario_loader loader;
    memset(&loader, 0, sizeof loader);
    scenario *s = mem_calloc(1, sizeof *s);
    if (!s) {
        diag_oom(d, _("loading a scenario"));
        return NULL;
    }
    s->path = mem_strdup(path);
    s->extends_chain = mem_calloc(SCENARIO_MAX_EXTENDS + 1, sizeof *s->extends_chain);
    if (!s->path || !s->extends_chain || !(s->extends_chain[0] = mem_strdup(path))) {
        diag_oom(d, _("loading a scenario"));
        goto fail;
    }
    s->extends_count = 1;
    size_t last = 0;
    if (scenario_read_chain(s, &loader, &last, d) != DIAG_OK ||
        scenario_resolve_names(s, &loader, last, resolver, d) != DIAG_OK ||
        scenario_merge_chain(s, &loader, last, resolver, d) != DIAG_OK)
        goto fail;
    scenario_fill_context ctx = {resolver, loader.notes, loader.note_count};
    if (scenario_fill(s, &ctx, d) != DIAG_OK)
        goto fail;
    scenario_loader_free(&loader);
    return s;
fail:
    if (d->status == DIAG_OK) /* never return NULL without saying why */
        diag_error(d, DIAG_SOFTWARE, _("loading %s failed"), path);
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
        mem_free(series->note_en);
        for (size_t k = 0; series->file_notes_en && k < files; k++)
            mem_free(series->file_notes_en[k]);
        mem_free(series->file_notes_en);
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
    mem_free(s->title_en);
    mem_free(s->note);
    mem_free(s->note_en);
    mem_free(s->model_path);
    mem_free(s->history_path);
    mem_free(s->history_place);
    scenario_series_release(s->initial, s->initial_count, s->extends_count);
    scenario_series_release(s->assumptions, s->assumption_count, s->extends_count);
    for (size_t i = 0; i < s->bound_count; i++) {
        mem_free(s->bounds[i].name);
        mem_free(s->bounds[i].written);
        mem_free(s->bounds[i].note);
        mem_free(s->bounds[i].note_en);
    }
    mem_free(s->bounds);
    if (s->extends_chain)
        for (size_t i = 0; i < s->extends_count; i++)
            mem_free(s->extends_chain[i]);
    mem_free(s->extends_chain);
    for (size_t i = 0; i < s->found_count; i++) {
        mem_free(s->found[i].json_path);
        mem_free(s->found[i].written);
        mem_free(s->found[i].path);
        mem_free(s->found[i].folder);
    }
    mem_free(s->found);
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

const char *scenario_title(const scenario *s)
{
    return s ? i18n_pick(s->title, s->title_en) : NULL;
}

const char *scenario_note(const scenario *s)
{
    return s ? i18n_pick(s->note, s->note_en) : NULL;
}

const char *scenario_source_note(const scenario_source *source)
{
    return source ? i18n_pick(source->note, source->note_en) : NULL;
}

const char *scenario_bound_note(const scenario_bound *bound)
{
    return bound ? i18n_pick(bound->note, bound->note_en) : NULL;
}
