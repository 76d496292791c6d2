/* jsonfile.c: reading JSON input files with errors that say where.
 *
 * cJSON reports only the position where parsing stopped; this module turns it into
 * file:line:col, checks the encoding first (a file saved as GBK must say so, not fail deep
 * inside the parser), and walks the tree for what cJSON accepts but a planner never means:
 * duplicate keys (the second silently lost) and numbers that overflow to infinity. */
#include "jsonfile.h"
#include "i18n.h"
#include "input.h"
#include "mem.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void jsonfile_init(void)
{
    cJSON_Hooks hooks = {mem_alloc, mem_free};
    cJSON_InitHooks(&hooks);
}

static int is_identifier(const char *key)
{
    if (!(isalpha((unsigned char)*key) || *key == '_'))
        return 0;
    for (const char *p = key; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return 0;
    return 1;
}

/* A year key ("2023", "2024-2030") reads best bare: $.assumptions.gdp_real_growth.2023. */
static int is_year_key(const char *key)
{
    const char *p = key;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '-' && isdigit((unsigned char)p[1]))
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    return *p == '\0' && p - key <= 20;
}

static void path_append(char *out, const char *parent, const char *suffix)
{
    size_t plen = strlen(parent), slen = strlen(suffix);
    if (plen + slen + 1 > JSONFILE_PATH_MAX) {
        snprintf(out, JSONFILE_PATH_MAX, "%.*s...", JSONFILE_PATH_MAX - 8, parent);
        return;
    }
    memmove(out, parent, plen); /* out may equal parent */
    memcpy(out + plen, suffix, slen + 1);
}

void jsonfile_path_key(char *out, const char *parent, const char *key)
{
    char suffix[JSONFILE_PATH_MAX];
    if (is_identifier(key) || is_year_key(key)) {
        snprintf(suffix, sizeof suffix, ".%s", key);
    } else {
        /* quote the key JSON-style, escaping only what would break the path's reading */
        size_t n = 0;
        suffix[n++] = '[';
        suffix[n++] = '"';
        for (const char *p = key; *p && n < sizeof suffix - 4; p++) {
            if (*p == '"' || *p == '\\')
                suffix[n++] = '\\';
            suffix[n++] = (unsigned char)*p < 0x20 ? '?' : *p;
        }
        suffix[n++] = '"';
        suffix[n++] = ']';
        suffix[n] = '\0';
    }
    path_append(out, parent && *parent ? parent : "$", suffix);
}

void jsonfile_path_index(char *out, const char *parent, size_t index)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, "[%zu]", index);
    path_append(out, parent && *parent ? parent : "$", suffix);
}

const char *jsonfile_type_name(const cJSON *item)
{
    if (!item)
        return _("missing");
    if (cJSON_IsNumber(item))
        return _("a number");
    if (cJSON_IsString(item))
        return _("a string");
    if (cJSON_IsObject(item))
        return _("an object");
    if (cJSON_IsArray(item))
        return _("an array");
    if (cJSON_IsBool(item))
        return _("a boolean");
    if (cJSON_IsNull(item))
        return "null";
    return _("an invalid value");
}

int jsonfile_number(const cJSON *item, double *out)
{
    if (cJSON_IsNumber(item)) {
        if (!isfinite(item->valuedouble))
            return 0;
        *out = item->valuedouble;
        return 1;
    }
    if (!cJSON_IsString(item) || !item->valuestring)
        return 0;
    const char *s = item->valuestring;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return 0;
    /* strtod also takes "inf", "nan" and hex floats; a rate in a file is plain decimal */
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || strchr("+-.eE% ", *p)))
            return 0;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE)
        return 0;
    while (isspace((unsigned char)*end))
        end++;
    if (*end == '%') {
        v /= 100.0;
        end++;
        while (isspace((unsigned char)*end))
            end++;
    }
    if (*end || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static int compare_names(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* Walks the tree for duplicate keys and non-finite numbers, reporting every one. */
static int check_tree(const cJSON *node, const char *path, const char *file, diag *d)
{
    if (cJSON_IsNumber(node) && !isfinite(node->valuedouble))
        return diag_error_json(d, DIAG_DATA, file, path, _("number is out of range (must be finite)"));
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return DIAG_OK;
    int status = DIAG_OK;
    size_t count = 0;
    for (const cJSON *c = node->child; c; c = c->next)
        count++;
    if (cJSON_IsObject(node) && count > 1) {
        const cJSON **members = mem_alloc(count * sizeof *members);
        if (!members)
            return diag_oom(d, _("checking JSON keys"));
        size_t i = 0;
        for (const cJSON *c = node->child; c; c = c->next)
            members[i++] = c;
        qsort(members, count, sizeof *members, compare_names);
        for (i = 1; i < count; i++) {
            if (compare_names(&members[i - 1], &members[i]) == 0) {
                char here[JSONFILE_PATH_MAX];
                const char *key = members[i]->string ? members[i]->string : "";
                jsonfile_path_key(here, path, key);
                status = diag_error_json(d, DIAG_DATA, file, here, _("duplicate key \"%s\""), key);
            }
        }
        mem_free(members);
    }
    size_t index = 0;
    for (const cJSON *c = node->child; c; c = c->next, index++) {
        char here[JSONFILE_PATH_MAX];
        if (cJSON_IsObject(node))
            jsonfile_path_key(here, path, c->string ? c->string : "");
        else
            jsonfile_path_index(here, path, index);
        if (check_tree(c, here, file, d) != DIAG_OK)
            status = d->status;
    }
    return status;
}

/* The offset of the first "\u0000" escape inside a string of buf, or len when there is none.
 * cJSON decodes it into a NUL that silently cuts the string short. */
static size_t find_escaped_nul(const char *buf, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (!in_string) {
            in_string = c == '"';
        } else if (c == '"') {
            in_string = 0;
        } else if (c == '\\' && i + 1 < len) {
            if (buf[i + 1] == 'u' && i + 5 < len && !memcmp(buf + i + 2, "0000", 4))
                return i;
            i++; /* the escaped character */
        }
    }
    return len;
}

/* How deeply objects and arrays are nested at `offset` (strings skipped). */
static size_t nesting_at(const char *buf, size_t offset)
{
    size_t depth = 0;
    int in_string = 0;
    for (size_t i = 0; i < offset; i++) {
        char c = buf[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return depth;
}

/* cJSON reports a bad object key one byte past it (its string parser starts after the quote it
 * expects), which hides a trailing comma in an object ("near ''", no hint). When the byte before
 * `offset` sits where an object expects a key (after '{' or ','), point at that byte instead. */
static size_t key_error_offset(const char *buf, size_t offset)
{
    if (offset == 0 || buf[offset - 1] == '"' || isspace((unsigned char)buf[offset - 1]))
        return offset;
    char open[1024]; /* enclosing brackets; cJSON nests at most 1000 deep */
    size_t depth = 0;
    char last = 0; /* the last byte outside strings and blanks */
    for (size_t i = 0; i + 1 < offset; i++) {
        char c = buf[i];
        if (c == '"') {
            for (i++; i + 1 < offset && buf[i] != '"'; i++)
                if (buf[i] == '\\')
                    i++;
        } else if (c == '{' || c == '[') {
            if (depth == sizeof open)
                return offset;
            open[depth++] = c;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
        if (!isspace((unsigned char)c))
            last = c;
    }
    if (depth > 0 && open[depth - 1] == '{' && (last == '{' || last == ','))
        return offset - 1;
    return offset;
}

static void syntax_error(const char *path, const char *buf, size_t len, size_t offset, diag *d)
{
    int line, col;
    if (offset > len)
        offset = len;
    text_position(buf, offset, &line, &col);
    if (offset >= len) {
        diag_error_at(d, DIAG_DATA, path, line, col, _("JSON syntax error: unexpected end of file (a missing '}' or ']'?)"));
        return;
    }
    char near[24];
    size_t n = 0;
    for (size_t i = offset; i < len && n < 16 && buf[i] != '\n' && buf[i] != '\r'; i++)
        near[n++] = (unsigned char)buf[i] < 0x20 ? ' ' : buf[i];
    /* do not cut a UTF-8 sequence in half */
    while (n > 0 && ((unsigned char)near[n - 1] & 0xC0) == 0x80)
        n--;
    if (n > 0 && ((unsigned char)near[n - 1] & 0xC0) == 0xC0)
        n--;
    near[n] = '\0';
    if (!strncmp(near, "NaN", 3) || !strncmp(near, "Infinity", 8) || !strncmp(near, "-Infinity", 9) ||
        !strncmp(near, "nan", 3) || !strncmp(near, "inf", 3))
        diag_error_at(d, DIAG_DATA, path, line, col,
                      _("JSON syntax error near '%s' (JSON has no NaN or Infinity: numbers must be finite)"), near);
    else if (near[0] == '}' || near[0] == ']')
        diag_error_at(d, DIAG_DATA, path, line, col, _("JSON syntax error near '%s' (a trailing comma?)"), near);
    else if (near[0] == '\'')
        diag_error_at(d, DIAG_DATA, path, line, col, _("JSON syntax error near '%s' (JSON strings use double quotes)"),
                      near);
    else
        diag_error_at(d, DIAG_DATA, path, line, col, _("JSON syntax error near '%s'"), near);
}

cJSON *jsonfile_load(const char *path, diag *d)
{
    input_text in;
    if (input_read_text(path, JSONFILE_MAX_BYTES, &in, d) != DIAG_OK)
        return NULL;
    char *buf = in.data;
    size_t len = in.length;
    cJSON *root = NULL;
    const char *text = buf;
    size_t skip = in.start; /* after a UTF-8 byte-order mark */
    int blank = 1;
    for (size_t i = skip; i < len; i++)
        if (!isspace((unsigned char)buf[i])) {
            blank = 0;
            break;
        }
    if (blank) {
        diag_error_file(d, DIAG_DATA, path, _("file is empty (expected a JSON object)"));
        goto out;
    }
    if (in.bad_utf8 < len) {
        int line, col;
        text_position(buf, in.bad_utf8, &line, &col);
        diag_error_at(d, DIAG_DATA, path, line, col,
                      _("file is not valid UTF-8 (byte 0x%02X); save it as UTF-8"), (unsigned char)buf[in.bad_utf8]);
        goto out;
    }
    if (in.nul < len) {
        int line, col;
        text_position(buf, in.nul, &line, &col);
        diag_error_at(d, DIAG_DATA, path, line, col, _("file contains a NUL byte"));
        goto out;
    }
    size_t escaped_nul = find_escaped_nul(buf, len);
    if (escaped_nul < len) {
        int line, col;
        text_position(buf, escaped_nul, &line, &col);
        diag_error_at(d, DIAG_DATA, path, line, col,
                      _("\\u0000 (a NUL character) inside a string: it would cut the string short; remove it"));
        goto out;
    }
    const char *end = NULL;
    unsigned long failures_before = mem_failure_count();
    root = cJSON_ParseWithOpts(text + skip, &end, 1);
    if (!root && mem_failure_count() != failures_before) {
        diag_oom(d, _("parsing JSON"));
        goto out;
    }
    if (!root) {
        size_t offset = end ? (size_t)(end - text) : len;
        if (offset > len)
            offset = len;
        if (nesting_at(buf, offset) >= CJSON_NESTING_LIMIT) {
            int line, col;
            text_position(buf, offset, &line, &col);
            diag_error_at(d, DIAG_DATA, path, line, col,
                          _("JSON is nested more than %d levels deep (objects and arrays inside each other)"),
                          CJSON_NESTING_LIMIT);
            goto out;
        }
        syntax_error(path, buf, len, key_error_offset(buf, offset < len ? offset : len), d);
        goto out;
    }
    if (check_tree(root, "$", path, d) != DIAG_OK) {
        cJSON_Delete(root);
        root = NULL;
    }
out:
    mem_free(buf);
    return root;
}

/* The keys of model text that may carry an English form "KEY_en" (jsonfile.h). */
static const char *const jsonfile_text_keys[] = {"title", "note", "source", NULL};

int jsonfile_is_english_key(const char *key, const char *const *allowed)
{
    size_t len = key ? strlen(key) : 0;
    if (len < 4 || strcmp(key + len - 3, "_en") != 0)
        return 0;
    size_t base = len - 3;
    int text = 0;
    for (size_t i = 0; jsonfile_text_keys[i] && !text; i++)
        text = strlen(jsonfile_text_keys[i]) == base && !strncmp(key, jsonfile_text_keys[i], base);
    if (!text || !allowed)
        return text;
    for (size_t i = 0; allowed[i]; i++)
        if (strlen(allowed[i]) == base && !strncmp(key, allowed[i], base))
            return 1;
    return 0;
}

const char *jsonfile_english(const cJSON *object, const char *key)
{
    char name[64];
    if (!object || snprintf(name, sizeof name, "%s_en", key) >= (int)sizeof name)
        return NULL;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* The error for an English form `item` (key "K_en") that is not a string, at parent.key. */
static int jsonfile_english_type_error(const cJSON *item, const char *file, const char *parent, diag *d)
{
    char here[JSONFILE_PATH_MAX];
    jsonfile_path_key(here, parent, item->string);
    return diag_error_json(d, DIAG_DATA, file, here, _("\"%s\" (the English form of \"%.*s\") must be a string, not %s"),
                           item->string, (int)(strlen(item->string) - 3), item->string, jsonfile_type_name(item));
}

int jsonfile_check_english(const cJSON *object, const char *key, const char *file, const char *path, diag *d)
{
    char name[64];
    if (!object || snprintf(name, sizeof name, "%s_en", key) >= (int)sizeof name)
        return DIAG_OK;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    if (!item || cJSON_IsString(item))
        return DIAG_OK;
    return jsonfile_english_type_error(item, file, path, d);
}

int jsonfile_check_keys(const cJSON *object, const char *const *allowed, const char *file, const char *path,
                        const char *what, diag *d)
{
    size_t count = 0;
    while (allowed[count])
        count++;
    int status = DIAG_OK;
    for (const cJSON *c = object->child; c; c = c->next) {
        const char *key = c->string ? c->string : "";
        int known = 0;
        for (size_t i = 0; i < count && !known; i++)
            known = !strcmp(key, allowed[i]);
        if (known)
            continue;
        if (jsonfile_is_english_key(key, allowed)) {
            if (!cJSON_IsString(c))
                status = jsonfile_english_type_error(c, file, path, d);
            continue;
        }
        char here[JSONFILE_PATH_MAX];
        jsonfile_path_key(here, path, key);
        const char *hint = text_suggest(key, allowed, count);
        if (hint)
            status = diag_error_json(d, DIAG_DATA, file, here, _("unknown key \"%s\" in %s (did you mean \"%s\"?)"), key,
                                     what, hint);
        else
            status = diag_error_json(d, DIAG_DATA, file, here, _("unknown key \"%s\" in %s"), key, what);
    }
    return status;
}

/* Rewrites path in place without "." segments and without "dir/.." pairs where dir is a real
 * folder (lstat: a folder, not a symbolic link), so "scenarios/../models/county.json" reads
 * "models/county.json". A pair through a link is kept: link/.. is the link target's parent,
 * not the link's folder, so only the file system can resolve it. */
static void jsonfile_simplify(char *path)
{
    size_t len = strlen(path);
    char *out = path;
    size_t used = 0;
    int absolute = path[0] == '/';
    size_t i = 0;
    if (absolute) {
        out[used++] = '/';
        i = 1;
    }
    size_t kept_segments = 0; /* segments in out[] that are not ".." */
    while (i <= len) {
        size_t start = i;
        while (i < len && path[i] != '/')
            i++;
        size_t seg = i - start;
        i++; /* past the '/' (or the NUL) */
        if (seg == 0 || (seg == 1 && path[start] == '.'))
            continue;
        if (seg == 2 && path[start] == '.' && path[start + 1] == '.' && kept_segments > 0) {
            /* out[0..used) ends with "previous/" or "previous"; check that previous is a folder */
            size_t end = used;
            if (end > 0 && out[end - 1] == '/' && !(absolute && end == 1))
                end--;
            char saved = out[end];
            out[end] = '\0';
            struct stat st;
            int real_folder = lstat(out, &st) == 0 && S_ISDIR(st.st_mode);
            out[end] = saved;
            if (real_folder) {
                size_t cut = end;
                while (cut > 0 && out[cut - 1] != '/')
                    cut--;
                used = cut;
                kept_segments--;
                continue;
            }
        }
        if (used > 0 && out[used - 1] != '/')
            out[used++] = '/';
        memmove(out + used, path + start, seg);
        used += seg;
        if (!(seg == 2 && path[start] == '.' && path[start + 1] == '.'))
            kept_segments++;
    }
    if (used == 0)
        out[used++] = '.';
    out[used] = '\0';
}

void jsonfile_drop_comments(cJSON *tree)
{
    if (!tree)
        return;
    for (cJSON *c = tree->child, *next; c; c = next) {
        next = c->next;
        if (cJSON_IsObject(tree) && c->string && c->string[0] == '_')
            cJSON_Delete(cJSON_DetachItemViaPointer(tree, c));
        else
            jsonfile_drop_comments(c);
    }
}

char *jsonfile_resolve_path(const char *base_file, const char *relative)
{
    if (relative[0] == '/' || !base_file)
        return mem_strdup(relative);
    const char *slash = strrchr(base_file, '/');
    if (!slash)
        return mem_strdup(relative);
    size_t dir = (size_t)(slash - base_file) + 1;
    size_t rel = strlen(relative);
    char *joined = mem_alloc(dir + rel + 1);
    if (!joined)
        return NULL;
    memcpy(joined, base_file, dir);
    memcpy(joined + dir, relative, rel + 1);
    jsonfile_simplify(joined);
    return joined;
}

/* ---------------------------------------------------------------------------------------- */
/* Finding a JSON path in the text                                                          */

typedef struct locate_cursor {
    const char *text;
    size_t len, at;
} locate_cursor;

static void locate_blank(locate_cursor *c)
{
    while (c->at < c->len && isspace((unsigned char)c->text[c->at]))
        c->at++;
}

/* At a '"': moves past the string; decodes it into out (cap bytes, cut when longer) with
 * control characters as '?', as jsonfile_path_key writes them. */
static int locate_string(locate_cursor *c, char *out, size_t cap)
{
    size_t n = 0;
    if (c->at >= c->len || c->text[c->at] != '"')
        return 0;
    for (c->at++; c->at < c->len; c->at++) {
        unsigned char ch = (unsigned char)c->text[c->at];
        if (ch == '"') {
            c->at++;
            if (out)
                out[n < cap ? n : cap - 1] = '\0';
            return 1;
        }
        char decoded[4];
        size_t k = 1;
        decoded[0] = (char)ch;
        if (ch == '\\' && c->at + 1 < c->len) {
            char e = c->text[++c->at];
            decoded[0] = e == 'n' || e == 't' || e == 'r' || e == 'b' || e == 'f' ? '?' : e;
            if (e == 'u' && c->at + 4 < c->len) {
                unsigned cp = (unsigned)strtoul((char[]){c->text[c->at + 1], c->text[c->at + 2], c->text[c->at + 3],
                                                         c->text[c->at + 4], 0},
                                                NULL, 16);
                c->at += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && c->at + 6 < c->len && c->text[c->at + 1] == '\\' &&
                    c->text[c->at + 2] == 'u') {
                    unsigned low = (unsigned)strtoul((char[]){c->text[c->at + 3], c->text[c->at + 4],
                                                              c->text[c->at + 5], c->text[c->at + 6], 0},
                                                     NULL, 16);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    c->at += 6;
                }
                if (cp < 0x20)
                    decoded[0] = '?', k = 1;
                else if (cp < 0x80)
                    decoded[0] = (char)cp, k = 1;
                else if (cp < 0x800)
                    decoded[0] = (char)(0xC0 | cp >> 6), decoded[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
                else if (cp < 0x10000)
                    decoded[0] = (char)(0xE0 | cp >> 12), decoded[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
                    decoded[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
                else
                    decoded[0] = (char)(0xF0 | cp >> 18), decoded[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
                    decoded[2] = (char)(0x80 | (cp >> 6 & 0x3F)), decoded[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
            }
        } else if (ch < 0x20) {
            decoded[0] = '?';
        }
        for (size_t i = 0; i < k && out; i++)
            if (n + 1 < cap)
                out[n++] = decoded[i];
    }
    return 0;
}

/* Moves past one value (nested ones included, without recursion). */
static int locate_skip(locate_cursor *c)
{
    locate_blank(c);
    if (c->at >= c->len)
        return 0;
    char first = c->text[c->at];
    if (first == '"')
        return locate_string(c, NULL, 0);
    if (first != '{' && first != '[') {
        while (c->at < c->len && !strchr(",}] \t\r\n", c->text[c->at]))
            c->at++;
        return 1;
    }
    size_t depth = 0;
    while (c->at < c->len) {
        char ch = c->text[c->at];
        if (ch == '"') {
            if (!locate_string(c, NULL, 0))
                return 0;
            continue;
        }
        if (ch == '{' || ch == '[')
            depth++;
        else if ((ch == '}' || ch == ']') && --depth == 0) {
            c->at++;
            return 1;
        }
        c->at++;
    }
    return 0;
}

/* The next segment of a path at *p: a key (into key) or an index. Returns 1 for a key, 2 for an
 * index, 0 at the end (or at a "..." that marks a cut path). */
static int locate_segment(const char **p, char *key, size_t cap, size_t *index)
{
    const char *s = *p;
    size_t n = 0;
    if (*s == '.' && strncmp(s, "...", 3) != 0) {
        for (s++; *s && *s != '.' && *s != '['; s++)
            if (n + 1 < cap)
                key[n++] = *s;
        key[n] = '\0';
        *p = s;
        return 1;
    }
    if (*s == '[' && s[1] == '"') {
        for (s += 2; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1])
                s++;
            if (n + 1 < cap)
                key[n++] = *s;
        }
        key[n] = '\0';
        if (*s != '"' || s[1] != ']')
            return 0;
        *p = s + 2;
        return 1;
    }
    if (*s == '[' && isdigit((unsigned char)s[1])) {
        char *end;
        *index = (size_t)strtoul(s + 1, &end, 10);
        if (*end != ']')
            return 0;
        *p = end + 1;
        return 2;
    }
    return 0;
}

size_t jsonfile_locate(const char *text, size_t len, const char *json_path)
{
    locate_cursor c = {text, len, 0};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        c.at = 3;
    locate_blank(&c);
    size_t found = c.at;
    const char *p = json_path && json_path[0] == '$' ? json_path + 1 : "";
    char key[JSONFILE_PATH_MAX], member[JSONFILE_PATH_MAX];
    size_t index = 0;
    int kind;
    while ((kind = locate_segment(&p, key, sizeof key, &index)) != 0) {
        locate_blank(&c);
        if (c.at >= len || c.text[c.at] != (kind == 1 ? '{' : '['))
            return found;
        c.at++;
        size_t i = 0;
        for (;;) {
            locate_blank(&c);
            if (c.at >= len || c.text[c.at] == '}' || c.text[c.at] == ']')
                return found;
            if (kind == 1) {
                size_t key_at = c.at;
                if (!locate_string(&c, member, sizeof member))
                    return found;
                locate_blank(&c);
                if (c.at >= len || c.text[c.at] != ':')
                    return found;
                c.at++;
                locate_blank(&c);
                if (!strcmp(member, key)) {
                    found = *p ? c.at : key_at; /* the key itself when it is the last segment */
                    break;
                }
            } else if (i == index) {
                found = c.at;
                break;
            }
            if (!locate_skip(&c))
                return found;
            locate_blank(&c);
            if (c.at < len && c.text[c.at] == ',')
                c.at++;
            i++;
        }
    }
    return found;
}

void jsonfile_locate_diag(diag *d)
{
    for (size_t i = 0; i < d->error_count; i++) {
        diag_entry *e = &d->errors[i];
        if (!e->json_path || !e->file || e->line > 0)
            continue;
        diag scratch;
        diag_init(&scratch);
        size_t len;
        char *text = input_read_all(e->file, JSONFILE_MAX_BYTES, &len, &scratch);
        diag_free(&scratch);
        if (!text)
            continue;
        /* every error of this file at once: the file is read one time */
        for (size_t j = i; j < d->error_count; j++) {
            diag_entry *f = &d->errors[j];
            if (!f->json_path || !f->file || f->line > 0 || strcmp(f->file, e->file))
                continue;
            text_position(text, jsonfile_locate(text, len, f->json_path), &f->line, &f->col);
        }
        mem_free(text);
    }
}
