/* model.c: a model's names and their lookups, and its equations compiled and ordered.
 *
 * The file is read by model_load.c (load layer); here every name is resolved once so that
 * the simulator can run compiled programs over slot indices without ever looking at a string.
 * Equations referring to other variables in the same year fix the evaluation order; that
 * order is a topological sort (stable: file order breaks ties, so output never depends on
 * hashing), and a cycle is reported with every variable on it. */
#include "model.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"
#include "units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *model_kind_name(model_kind kind)
{
    switch (kind) {
    case MODEL_PARAMETER:
        return N_("parameter");
    case MODEL_EXOGENOUS:
        return N_("exogenous series");
    case MODEL_VARIABLE:
        return N_("variable");
    }
    return "?";
}

int model_slot_is_rate(const model_slot *slot)
{
    return units_is_rate(slot->unit);
}

int model_slot_is_growth(const model_slot *slot)
{
    static const char suffix[] = "_growth";
    size_t len = strlen(slot->name);
    return model_slot_is_rate(slot) && len > sizeof suffix - 1 &&
           !strcmp(slot->name + len - (sizeof suffix - 1), suffix);
}

int model_find(const model *m, const char *name)
{
    for (size_t i = 0; i < m->slot_count; i++)
        if (!strcmp(m->slots[i].name, name))
            return (int)i;
    return -1;
}

int model_indicator_slot(const model *m, const char *indicator, int growth_row, int *growth_of)
{
    int slot = model_find(m, indicator);
    if (slot >= 0) {
        *growth_of = growth_row && !model_slot_is_rate(&m->slots[slot]);
        return slot;
    }
    static const char suffix[] = "_growth";
    size_t len = strlen(indicator);
    if (len > sizeof suffix - 1 && !strcmp(indicator + len - (sizeof suffix - 1), suffix)) {
        char stem[128];
        if (len - (sizeof suffix - 1) >= sizeof stem)
            return -1;
        memcpy(stem, indicator, len - (sizeof suffix - 1));
        stem[len - (sizeof suffix - 1)] = '\0';
        slot = model_find(m, stem);
        if (slot >= 0) {
            *growth_of = 1;
            return slot;
        }
    }
    return -1;
}

int model_resolve(const model *m, const char *name)
{
    int slot = model_find(m, name);
    if (slot >= 0 || !name[0])
        return slot;
    for (size_t i = 0; i < m->slot_count; i++)
        if (!strcmp(m->slots[i].label, name))
            return (int)i;
    return -1;
}

const char *model_canonical(const model *m, const char *name)
{
    int slot = model_resolve(m, name);
    return slot >= 0 ? m->slots[slot].name : NULL;
}

/* ASCII case-insensitive equality (UTF-8 bytes above 0x7F compare as they are). */
static int model_same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Splits a name into lower-case words at '_', ' ', '-' and '.'; returns how many (at most max). */
static size_t model_words(const char *name, char words[][32], size_t max)
{
    size_t count = 0, n = 0;
    for (const char *p = name;; p++) {
        int end = !*p || *p == '_' || *p == ' ' || *p == '-' || *p == '.';
        if (end) {
            if (n > 0 && count < max) {
                words[count][n < 31 ? n : 31] = '\0';
                count++;
            }
            n = 0;
            if (!*p)
                break;
            continue;
        }
        if (count < max && n < 31)
            words[count][n] = (char)tolower((unsigned char)*p);
        n++;
    }
    return count;
}

/* 1 when every word of `guess` is close to some word of `candidate` (gdp_growth and
 * gdp_real_growth; deflater and gdp_deflator_growth). */
static int model_words_match(const char *guess, const char *candidate)
{
    char a[8][32], b[8][32];
    size_t na = model_words(guess, a, 8), nb = model_words(candidate, b, 8);
    if (na == 0)
        return 0;
    for (size_t i = 0; i < na; i++) {
        int found = 0;
        size_t len = strlen(a[i]);
        int limit = len >= 6 ? 2 : len >= 4 ? 1 : 0;
        for (size_t j = 0; j < nb && !found; j++)
            found = text_edit_distance(a[i], b[j]) <= limit;
        if (!found)
            return 0;
    }
    return 1;
}

/* The best slot of the wanted kinds for a name that is not in the model, and whether it was
 * found through its label: a case-insensitive match of a name or label, else the closest name
 * or label by edit distance (within a third of the length, at least 2), else a slot all of
 * whose words the guess shares (closest by edit distance). -1 when nothing is close. */
static int model_closest(const model *m, const char *name, unsigned kinds, int *by_label)
{
    *by_label = 0;
    for (size_t i = 0; i < m->slot_count; i++) {
        if (!(kinds & (1u << m->slots[i].kind)))
            continue;
        if (model_same_ignoring_case(name, m->slots[i].name))
            return (int)i;
        if (model_same_ignoring_case(name, m->slots[i].label)) {
            *by_label = 1;
            return (int)i;
        }
    }
    int best = -1, best_distance = text_suggest_limit(name) + 1;
    for (size_t i = 0; i < m->slot_count; i++) {
        if (!(kinds & (1u << m->slots[i].kind)))
            continue;
        int d = text_edit_distance(name, m->slots[i].name);
        if (d < best_distance) {
            best_distance = d;
            best = (int)i;
            *by_label = 0;
        }
        d = text_edit_distance(name, m->slots[i].label);
        if (d < best_distance) {
            best_distance = d;
            best = (int)i;
            *by_label = 1;
        }
    }
    if (best >= 0)
        return best;
    best_distance = 1 << 30;
    for (size_t i = 0; i < m->slot_count; i++) {
        if (!(kinds & (1u << m->slots[i].kind)) || !model_words_match(name, m->slots[i].name))
            continue;
        int d = text_edit_distance(name, m->slots[i].name);
        if (d < best_distance) {
            best_distance = d;
            best = (int)i;
        }
    }
    return best;
}

const char *model_suggest(const model *m, const char *name, int kind)
{
    int by_label;
    int slot = model_closest(m, name, kind < 0 ? MODEL_KINDS_ALL : 1u << kind, &by_label);
    return slot >= 0 ? m->slots[slot].name : NULL;
}

/* "variables", "exogenous series and parameters", ... for a mask of kinds. */
static void model_kinds_words(unsigned kinds, char *buf, size_t size)
{
    /* whole phrases, so that each translates as one; exogenous first: most often meant */
    enum { P = 1u << MODEL_PARAMETER, E = 1u << MODEL_EXOGENOUS, V = 1u << MODEL_VARIABLE };
    const char *words;
    switch (kinds & (P | E | V)) {
    case P:
        words = _("parameters");
        break;
    case E:
        words = _("exogenous series");
        break;
    case E | P:
        words = _("exogenous series and parameters");
        break;
    case V:
        words = _("variables");
        break;
    case P | V:
        words = _("parameters and variables");
        break;
    case E | V:
        words = _("exogenous series and variables");
        break;
    case P | E | V:
        words = _("exogenous series, parameters and variables");
        break;
    default:
        words = _("names");
        break;
    }
    snprintf(buf, size, "%s", words);
}

void model_name_hint(const model *m, const char *name, unsigned kinds, char *buf, size_t size)
{
    int by_label;
    int slot = model_closest(m, name, kinds, &by_label);
    if (slot >= 0) {
        const model_slot *ms = &m->slots[slot];
        if (by_label || strcmp(ms->label, ms->name) != 0)
            snprintf(buf, size, _(" (did you mean \"%s\", %s?)"), ms->name, ms->label);
        else
            snprintf(buf, size, _(" (did you mean \"%s\"?)"), ms->name);
        return;
    }
    /* close to a name of another kind: say what it is */
    slot = model_closest(m, name, MODEL_KINDS_ALL & ~kinds, &by_label);
    char what[96];
    model_kinds_words(kinds, what, sizeof what);
    if (slot >= 0) {
        snprintf(buf, size, _(" (\"%s\" is a %s, and %s are wanted here)"), m->slots[slot].name,
                 _(model_kind_name(m->slots[slot].kind)), what);
        return;
    }
    int used = snprintf(buf, size, _("; the %s of %s are: "), what, m->path);
    if (used < 0 || (size_t)used >= size)
        return;
    size_t at = (size_t)used;
    int first = 1;
    for (size_t i = 0; i < m->slot_count; i++) {
        if (!(kinds & (1u << m->slots[i].kind)))
            continue;
        int n = snprintf(buf + at, size - at, "%s%s", first ? "" : ", ", m->slots[i].name);
        if (n < 0 || (size_t)n >= size - at) {
            /* cut on a whole name */
            while (at > 0 && buf[at - 1] != ',')
                at--;
            snprintf(buf + (at ? at - 1 : 0), size - (at ? at - 1 : 0), ", ...");
            return;
        }
        at += (size_t)n;
        first = 0;
    }
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
        mem_free(s->note_en);
        mem_free(s->equation);
        expr_program_free(s->program);
    }
    mem_free(m->slots);
    mem_free(m->names);
    mem_free(m->order);
    mem_free(m->path);
    mem_free(m->name);
    mem_free(m->title);
    mem_free(m->title_en);
    mem_free(m->note);
    mem_free(m->note_en);
    mem_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Compiling and ordering                                                                     */

static int compile_equations(model *m, diag *d)
{
    int status = DIAG_OK;
    for (size_t i = 0; i < m->slot_count; i++) {
        model_slot *slot = &m->slots[i];
        if (slot->kind != MODEL_VARIABLE)
            continue;
        expr_error err;
        slot->program = expr_compile(slot->equation, m->names, m->slot_count, &err);
        char here[JSONFILE_PATH_MAX + 3]; /* $.variables.NAME.eq, NAME an identifier */
        snprintf(here, sizeof here, "%s.eq", slot->json_path);
        if (!slot->program) {
            if (err.column <= 0)
                return diag_oom(d, _("compiling an equation"));
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
            status = diag_error_json(d, DIAG_DATA, m->path, here, _("column %d: %s\n    %.200s\n    %s"), err.column,
                                     err.message, slot->equation, caret);
            continue;
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
    return status;
}

/* Reports one cycle among the variables not yet ordered (placed[v] == 0), walking from a
 * stuck variable to an unplaced same-year input until a variable repeats. */
static int report_cycle(const model *m, const unsigned char *placed, diag *d)
{
    size_t n = m->slot_count;
    size_t *walk = mem_alloc((n + 1) * sizeof *walk);
    if (!walk)
        return diag_oom(d, _("ordering equations"));
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
                                   _("same-year dependency cycle: %s (break it with a lag such as x[-1])"), text);
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
            return diag_error(d, DIAG_SOFTWARE, _("internal error while reporting a dependency cycle"));
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
        return diag_oom(d, _("ordering equations"));
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

int model_compile(model *m, diag *d)
{
    m->names = mem_alloc((m->slot_count ? m->slot_count : 1) * sizeof *m->names);
    if (!m->names)
        return diag_oom(d, _("loading a model"));
    for (size_t i = 0; i < m->slot_count; i++)
        m->names[i] = m->slots[i].name;
    int status = compile_equations(m, d);
    if (status == DIAG_OK)
        status = order_equations(m, d);
    return status;
}

const char *model_title(const model *m)
{
    return m ? i18n_pick(m->title, m->title_en) : NULL;
}

const char *model_note(const model *m)
{
    return m ? i18n_pick(m->note, m->note_en) : NULL;
}

const char *model_slot_note(const model_slot *slot)
{
    return slot ? i18n_pick(slot->note, slot->note_en) : NULL;
}
