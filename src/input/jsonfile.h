/* jsonfile.h: reading JSON input files (models, scenarios) with located errors. */
#ifndef JSONFILE_H
#define JSONFILE_H

#include <stddef.h>

#include "diag.h"

struct cJSON; /* a parsed file (cJSON.h): the loaders include it to look inside */

/* Largest input file accepted, in bytes (a model or scenario is a few KB). */
#define JSONFILE_MAX_BYTES (16u * 1024u * 1024u)
/* JSONFILE_PATH_MAX, the longest JSON path kept for messages, is diag.h's. */

/* Makes cJSON allocate through mem.h, so that the fault-injection hook and mem_failure_count
 * see its allocations (a parse that ran out of memory is then told from a syntax error).
 * Call once at start-up, before any JSON is parsed or built. */
void jsonfile_init(void);

/* Reads and parses the JSON file at `path`. Returns the tree (free with cJSON_Delete) or NULL
 * with an error in d: DIAG_NO_INPUT for a missing or unreadable file, DIAG_DATA for an empty
 * file, a file that is not UTF-8 (file:line:col of the first bad byte), a JSON syntax error
 * (file:line:col), a duplicate key (file: $.path), or a number that is not finite. */
struct cJSON *jsonfile_load(const char *path, diag *d);

/* Drops every object member whose key starts with '_' from the tree, at any depth: such keys
 * are comments in scenario and goal files ("_unit": "亿元"), accepted and ignored. */
void jsonfile_drop_comments(struct cJSON *tree);

/* Appends ".key" (or ["key"] when key is not an identifier) to the JSON path in
 * parent, writing the result to out (JSONFILE_PATH_MAX bytes). */
void jsonfile_path_key(char *out, const char *parent, const char *key);
/* Appends "[index]" to parent, writing the result to out (JSONFILE_PATH_MAX bytes). */
void jsonfile_path_index(char *out, const char *parent, size_t index);

/* Reads a number from a JSON number or a string such as "8%", "1.5%", "0.08" or "2e3".
 * A percent string is divided by 100. Returns 1 and sets *out on success; 0 when the item is
 * neither, or the text is not a finite number. */
int jsonfile_number(const struct cJSON *item, double *out);

/* Name of the item's JSON type for messages, in the chosen language (i18n.h): "a number",
 * "a string", "an object", ... */
const char *jsonfile_type_name(const struct cJSON *item);

/* Model text ("title", "note", "source") is written in the planner's language (Chinese in the
 * shipped files) and may carry an English form under the same key with "_en" appended
 * ("note_en"), which English output shows (i18n_pick). Returns 1 when `key` is such an English
 * key ("K_en" where K is one of the three and K is in `allowed`, NULL-terminated; NULL allowed
 * means any of the three), else 0. */
int jsonfile_is_english_key(const char *key, const char *const *allowed);

/* The English form of object's member `key`: the string of "KEY_en", or NULL when it is absent
 * or not a string (jsonfile_check_keys and jsonfile_check_english report the latter). */
const char *jsonfile_english(const struct cJSON *object, const char *key);

/* Checks "KEY_en" of `object` (at JSON path `path` of `file`) for the loaders that do not call
 * jsonfile_check_keys: absent or a string is DIAG_OK; anything else is reported at its path
 * and returns DIAG_DATA. */
int jsonfile_check_english(const struct cJSON *object, const char *key, const char *file, const char *path, diag *d);

/* The object member names of `object` that are not in `allowed` (NULL-terminated) are errors:
 * reports each at its path with a "did you mean" hint and returns DIAG_DATA;
 * returns DIAG_OK when all keys are known. The English form of a model-text key of `allowed`
 * ("note_en" beside "note": jsonfile_is_english_key) is known too, and must be a string (else
 * an error at its path). `what` names the object for the message, already translated
 * (_("scenario"), _("goal")). */
int jsonfile_check_keys(const struct cJSON *object, const char *const *allowed, const char *file, const char *path,
                        const char *what, diag *d);

/* The byte offset in `text` (a JSON document of len bytes) where `json_path` points: the key
 * of an object member, or the start of an array element (the root for "$"). A path that
 * leaves the document stops at the deepest part found. Used to sort messages by position. */
size_t jsonfile_locate(const char *text, size_t len, const char *json_path);

/* Gives every error of d that is located by a JSON path the line and column where that path
 * is in its file, so diag_print sorts them by position. Files that cannot be read are left
 * as they are. */
void jsonfile_locate_diag(diag *d);

/* Joins a path found in `base_file` relative to that file's folder: "a/b.json" + "../m.json"
 * gives "a/../m.json". Absolute `relative` paths are returned as they are. Caller frees. */
char *jsonfile_resolve_path(const char *base_file, const char *relative);

#endif
