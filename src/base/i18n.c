/* i18n.c: choosing the language and binding the gettext catalogue (see i18n.h). */
#include "i18n.h"
#include "selfdir.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ECONSIM_LOCALEDIR
#define ECONSIM_LOCALEDIR "/usr/local/share/locale"
#endif

#define I18N_DOMAIN "econsim"

static i18n_language chosen = I18N_ENGLISH;

int i18n_parse_language(const char *value, i18n_language *out)
{
    static const char *const chinese[] = {"zh", "zh_CN", "zh-CN", "zh_CN.UTF-8", "cn", "中文"};
    static const char *const english[] = {"en", "en_US", "en-US", "en_GB", "C"};
    if (!value)
        return 0;
    for (size_t i = 0; i < sizeof chinese / sizeof *chinese; i++)
        if (!strcmp(value, chinese[i])) {
            *out = I18N_CHINESE;
            return 1;
        }
    for (size_t i = 0; i < sizeof english / sizeof *english; i++)
        if (!strcmp(value, english[i])) {
            *out = I18N_ENGLISH;
            return 1;
        }
    return 0;
}

static const char *non_empty_env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* 1 when a locale name means the C locale, where gettext ignores LANGUAGE */
static int is_c_locale(const char *name)
{
    return !name || !strcmp(name, "C") || !strcmp(name, "POSIX");
}

i18n_language i18n_language_from_environment(void)
{
    const char *locale = non_empty_env("LC_ALL");
    if (!locale)
        locale = non_empty_env("LC_MESSAGES");
    if (!locale)
        locale = non_empty_env("LANG");
    const char *language = non_empty_env("LANGUAGE");
    const char *decides = language && !is_c_locale(locale) ? language : locale;
    return decides && !strncmp(decides, "zh", 2) ? I18N_CHINESE : I18N_ENGLISH;
}

static int has_catalogue(const char *dir)
{
    char path[4300];
    struct stat st;
    snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/" I18N_DOMAIN ".mo", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder holding zh_CN/LC_MESSAGES/econsim.mo, as i18n.h describes; static storage. */
static const char *catalogue_dir(void)
{
    static char dir[4200];
    const char *env = non_empty_env("ECONSIM_LOCALEDIR");
    if (env && strlen(env) < sizeof dir)
        return env;
    char exe[4096];
    if (selfdir_get(exe, sizeof exe)) {
        snprintf(dir, sizeof dir, "%s/locale", exe); /* build tree: build/locale */
        if (has_catalogue(dir))
            return dir;
        snprintf(dir, sizeof dir, "%s/../share/locale", exe); /* installed: PREFIX/bin */
        if (has_catalogue(dir))
            return dir;
    }
    return ECONSIM_LOCALEDIR;
}

void i18n_setup(const i18n_language *forced)
{
    chosen = forced ? *forced : i18n_language_from_environment();
    if (chosen == I18N_ENGLISH) {
        /* in the C locale gettext returns every text as written, whatever LANGUAGE says */
        setlocale(LC_MESSAGES, "C");
        return;
    }
    /* Chinese: the planner's own locale when it exists; otherwise (stock Debian has only C and
     * C.UTF-8) C.UTF-8, on which gettext still follows LANGUAGE */
    const char *locale = setlocale(LC_MESSAGES, "");
    if (!locale || is_c_locale(locale))
        locale = setlocale(LC_MESSAGES, "C.UTF-8");
    if (!locale)
        setlocale(LC_MESSAGES, "C");
    setenv("LANGUAGE", "zh_CN", 1);
    bindtextdomain(I18N_DOMAIN, catalogue_dir());
    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
    /* the C library's own messages (strerror, quoted in ours) in UTF-8 too: in a locale whose
     * character set is ASCII they would otherwise come out as "?????" */
    bind_textdomain_codeset("libc", "UTF-8");
    textdomain(I18N_DOMAIN);
}

i18n_language i18n_current(void)
{
    return chosen;
}

const char *i18n_code(void)
{
    return chosen == I18N_CHINESE ? "zh" : "en";
}

const char *i18n_pick(const char *text, const char *text_en)
{
    if (chosen == I18N_ENGLISH && text_en && *text_en)
        return text_en;
    return text ? text : text_en;
}
