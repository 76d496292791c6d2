/* search_path.h: where the files a scenario names are found (`extends`, `model`,
 * `history.file` and goal files), so that a scenario copied into a planner's own folder still
 * finds its base, model and observations.
 *
 * A name is looked up in this order, and the first file that exists wins:
 *   1. as written, relative to the file that names it (an absolute name as it is);
 *   2. in each folder of ECONSIM_PATH (':'-separated) in turn: as written, relative to that
 *      folder, then by its bare file name ("../models/county.json" -> "county.json");
 *   3. in the share folder (search_path_share_dir) by the bare file name, in its scenarios/,
 *      models/ and data/ in that order.
 * Within one folder of step 2 (and within the share folder of step 3) two different files
 * (by device and inode: two spellings of one file are one file) are an ambiguity, an error
 * that lists both. A name found nowhere stays as written in step 1, so the reader reports
 * it missing there. */
#ifndef SEARCH_PATH_H
#define SEARCH_PATH_H

#include "diag.h"

/* How a file was found. */
typedef enum search_path_via {
    SEARCH_PATH_AS_WRITTEN = 0, /* step 1: where the naming file says */
    SEARCH_PATH_ENV,            /* step 2: in a folder of ECONSIM_PATH */
    SEARCH_PATH_SHARE           /* step 3: in the installed share folder */
} search_path_via;

/* A name resolved by search_path_find. */
typedef struct search_path_hit {
    char *path;          /* owned: the file to open (for step 1: joined to the naming file's folder) */
    search_path_via via;
    char *folder;        /* owned: the ECONSIM_PATH or share folder it came from; NULL for step 1 */
} search_path_hit;

/* Resolves `written`, a name found in `naming_file` at `json_path` (for the messages), into
 * hit (fields owned by the caller: release with search_path_hit_release). Returns DIAG_OK
 * (hit->path set, also when nothing exists: then it is the as-written path), DIAG_DATA for an
 * ambiguity (an error at naming_file: json_path naming both files; with naming_file NULL, a
 * name from the command line, relative to the working folder, json_path then being the
 * option), or DIAG_SOFTWARE when memory ran out. */
int search_path_find(const char *naming_file, const char *json_path, const char *written, search_path_hit *hit,
                     diag *d);

/* Frees the strings of hit and clears it; NULL is a no-op. */
void search_path_hit_release(search_path_hit *hit);

/* The share folder of step 3: PREFIX/share/econsim beside the program (BIN/../share/econsim,
 * so a staged or moved install finds its own files), else the source tree the program was
 * built in (BIN/.., when it holds models/ and scenarios/: build/econsim), else the folder the
 * build was configured with (ECONSIM_SHAREDIR). Static storage; never NULL. */
const char *search_path_share_dir(void);

/* "where it was written", "ECONSIM_PATH folder" or "installed share folder": in English, as
 * summary.json records it; marked for translation, so messages show it through _(). */
const char *search_path_via_name(search_path_via via);

#endif
