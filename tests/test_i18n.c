/* test_i18n.c: choosing the language (i18n.h). */
#include "i18n.h"

#include <criterion/criterion.h>
#include <stdlib.h>

static void clear_environment(void)
{
    unsetenv("LANGUAGE");
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    unsetenv("LANG");
}

Test(i18n, parses_the_values_of_lang)
{
    i18n_language l = I18N_ENGLISH;
    cr_assert(i18n_parse_language("zh", &l) && l == I18N_CHINESE);
    cr_assert(i18n_parse_language("en", &l) && l == I18N_ENGLISH);
    cr_assert(i18n_parse_language("zh_CN", &l) && l == I18N_CHINESE);
    cr_assert(!i18n_parse_language("fr", &l));
    cr_assert(!i18n_parse_language("", &l));
    cr_assert(!i18n_parse_language(NULL, &l));
    cr_assert(!i18n_parse_language("ZH ", &l));
}

Test(i18n, no_locale_or_c_means_english)
{
    clear_environment();
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
    setenv("LANG", "C", 1);
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
    setenv("LANG", "POSIX", 1);
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
    setenv("LANG", "C.UTF-8", 1);
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
}

Test(i18n, the_environment_is_read_in_gettext_order)
{
    clear_environment();
    setenv("LANG", "zh_CN.UTF-8", 1);
    cr_assert_eq(i18n_language_from_environment(), I18N_CHINESE);
    setenv("LC_MESSAGES", "en_US.UTF-8", 1); /* LC_MESSAGES before LANG */
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
    setenv("LC_ALL", "zh_CN.UTF-8", 1); /* LC_ALL before both */
    cr_assert_eq(i18n_language_from_environment(), I18N_CHINESE);
    setenv("LANGUAGE", "en:zh_CN", 1); /* LANGUAGE first, in a locale that is not C */
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
    setenv("LC_ALL", "C", 1); /* ... and ignored in the C locale, as gettext does */
    setenv("LANGUAGE", "zh_CN", 1);
    cr_assert_eq(i18n_language_from_environment(), I18N_ENGLISH);
    setenv("LC_ALL", "", 1); /* empty counts as unset: LC_MESSAGES=en_US decides, LANGUAGE applies */
    cr_assert_eq(i18n_language_from_environment(), I18N_CHINESE);
}

Test(i18n, model_text_uses_note_en_in_english_only)
{
    clear_environment();
    i18n_language en = I18N_ENGLISH, zh = I18N_CHINESE;
    i18n_setup(&en);
    cr_assert_str_eq(i18n_code(), "en");
    cr_assert_str_eq(i18n_pick("国家统计局", "NBS"), "NBS");
    cr_assert_str_eq(i18n_pick("国家统计局", NULL), "国家统计局");
    cr_assert_str_eq(i18n_pick("国家统计局", ""), "国家统计局");
    cr_assert_str_eq(i18n_pick(NULL, "NBS"), "NBS");
    cr_assert_null(i18n_pick(NULL, NULL));
    i18n_setup(&zh);
    cr_assert_eq(i18n_current(), I18N_CHINESE);
    cr_assert_str_eq(i18n_code(), "zh");
    cr_assert_str_eq(i18n_pick("国家统计局", "NBS"), "国家统计局");
}
