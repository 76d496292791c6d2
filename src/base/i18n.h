/* i18n.h: the planner's language, through GNU gettext.
 *
 * Every user-facing text (messages, help, table headers, chart titles, axis labels, legends,
 * footnotes) is written in English in the source as _("...") and translated at run time from
 * the catalogue po/zh_CN.po, compiled to LOCALEDIR/zh_CN/LC_MESSAGES/econsim.mo. Texts kept in
 * static tables are marked with N_("...") and translated with _() where they are shown.
 *
 * What is never translated, so that scripts never depend on the language: CSV headers, JSON
 * keys, origin codes, variable and file names. Model text (labels, notes, sources) is data
 * and is shown as written; i18n_pick chooses between a note and its note_en.
 *
 * The language is chosen once, at start-up, by i18n_setup: --lang zh|en first, then the
 * environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them); a C or POSIX
 * locale, or none, means English. Chinese works on any machine, including one with only the
 * C.UTF-8 locale: the catalogue is then selected through LANGUAGE on top of C.UTF-8. */
#ifndef I18N_H
#define I18N_H

#include <libintl.h>

/* the translation of `text` in the chosen language (text itself in English); never NULL, never
 * to be freed */
#define _(text) gettext(text)
/* marks `text` for translation where it is stored (static tables); translate it with _() */
#define N_(text) (text)

typedef enum i18n_language {
    I18N_ENGLISH,
    I18N_CHINESE,
} i18n_language;

/* Parses a --lang value: "zh" (also "zh_CN", "zh-CN", "cn", "中文") or "en". Returns 1 and
 * sets *out, or 0 for anything else. */
int i18n_parse_language(const char *value, i18n_language *out);

/* The language the environment asks for, as gettext reads it: LANGUAGE (only when the locale
 * is not C or POSIX), else LC_ALL, LC_MESSAGES, LANG in that order; Chinese when the chosen
 * value starts with "zh", English otherwise and when nothing is set. */
i18n_language i18n_language_from_environment(void);

/* Chooses the language of every later _(): `forced` is the --lang value already parsed, or
 * NULL to read the environment. Binds the "econsim" text domain to the catalogue folder (the
 * ECONSIM_LOCALEDIR environment variable, else `locale` beside the executable in a build
 * tree, else ../share/locale beside an installed one, else the compiled-in LOCALEDIR), with
 * UTF-8 output whatever the locale's character set. Numbers keep the C locale (LC_NUMERIC is
 * never changed), so CSV and JSON are the same in every language. Call it once, before
 * anything is printed. */
void i18n_setup(const i18n_language *forced);

/* The language chosen by i18n_setup (English before it is called). */
i18n_language i18n_current(void);

/* "zh" or "en": the code of the chosen language, as recorded in summary.json. */
const char *i18n_code(void);

/* Model text in two forms: `text` as written (Chinese in the shipped files) and its optional
 * English form `text_en`. Returns text_en in English output when it is present, else text.
 * Either may be NULL; returns NULL only when both are. */
const char *i18n_pick(const char *text, const char *text_en);

#endif
