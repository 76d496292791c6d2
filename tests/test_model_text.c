/* test_model_text.c: model text in two forms (note/note_en, title/title_en, source/source_en):
 * the loaders read and check the English forms, and the accessors give the text as written in
 * Chinese output and the English form in English output (i18n_pick). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "goals_load.h"
#include "history.h"
#include "i18n.h"
#include "jsonfile.h"
#include "model_load.h"
#include "scenario.h"
#include "testutil.h"

static void use_language(i18n_language language)
{
    i18n_setup(&language);
}

Test(model_text, english_keys_are_the_text_keys_with_en)
{
    static const char *const allowed[] = {"value", "label", "note", NULL};
    cr_assert(jsonfile_is_english_key("note_en", allowed));
    cr_assert(!jsonfile_is_english_key("title_en", allowed), "title is not allowed here");
    cr_assert(!jsonfile_is_english_key("label_en", allowed), "labels have no English form");
    cr_assert(!jsonfile_is_english_key("value_en", allowed));
    cr_assert(!jsonfile_is_english_key("note", allowed));
    cr_assert(!jsonfile_is_english_key("_en", allowed));
    cr_assert(!jsonfile_is_english_key("note_EN", allowed));
    cr_assert(jsonfile_is_english_key("source_en", NULL), "NULL: any text key");
    cr_assert(jsonfile_is_english_key("title_en", NULL));
    cr_assert(!jsonfile_is_english_key("name_en", NULL));
}

static const char *const model_text =
    "{\"name\": \"m\", \"title\": \"县域模型\", \"title_en\": \"county model\",\n"
    " \"note\": \"模型说明\", \"note_en\": \"about the model\",\n"
    " \"exogenous\": {\"g\": {\"value\": 0.05, \"note\": \"增速\", \"note_en\": \"growth\"}},\n"
    " \"variables\": {\"y\": {\"eq\": \"y[-1] * (1 + g)\", \"note\": \"只有中文\"}}}\n";

Test(model_text, model_notes_and_title_in_both_languages)
{
    diag d;
    diag_init(&d);
    model *m = model_load(testutil_write("model.json", model_text), &d);
    cr_assert_not_null(m, "%s", d.message);
    const model_slot *g = &m->slots[model_find(m, "g")], *y = &m->slots[model_find(m, "y")];
    cr_assert_str_eq(g->note, "增速", "the text as written is kept");
    cr_assert_str_eq(g->note_en, "growth");
    cr_assert_null(y->note_en);

    use_language(I18N_ENGLISH);
    cr_assert_str_eq(model_title(m), "county model");
    cr_assert_str_eq(model_note(m), "about the model");
    cr_assert_str_eq(model_slot_note(g), "growth");
    cr_assert_str_eq(model_slot_note(y), "只有中文", "no English form: shown as written");

    use_language(I18N_CHINESE);
    cr_assert_str_eq(model_title(m), "县域模型");
    cr_assert_str_eq(model_note(m), "模型说明");
    cr_assert_str_eq(model_slot_note(g), "增速");
    model_free(m);
    diag_free(&d);
}

/* Loads a model that must fail; returns the message (static copy). */
static const char *model_error(const char *text)
{
    static char message[1024];
    diag d;
    diag_init(&d);
    model *m = model_load(testutil_write("bad.json", text), &d);
    cr_assert_null(m, "a bad English form was accepted");
    cr_assert_eq(d.status, DIAG_DATA);
    snprintf(message, sizeof message, "%s", d.message);
    diag_free(&d);
    return message;
}

Test(model_text, an_english_form_that_is_not_a_string_is_located)
{
    const char *message =
        model_error("{\"variables\": {\"y\": {\"eq\": \"1\", \"note\": \"说明\", \"note_en\": 3}}}");
    cr_assert(strstr(message, "$.variables.y.note_en"), "%s", message);
    cr_assert(strstr(message, "\"note_en\" (the English form of \"note\") must be a string, not a number"), "%s",
              message);
    message = model_error("{\"title_en\": [\"x\"], \"variables\": {\"y\": {\"eq\": \"1\"}}}");
    cr_assert(strstr(message, "$.title_en"), "%s", message);
    cr_assert(strstr(message, "must be a string, not an array"), "%s", message);
    /* labels have no English form: an unknown key, with a hint */
    message = model_error("{\"variables\": {\"y\": {\"eq\": \"1\", \"label_en\": \"Y\"}}}");
    cr_assert(strstr(message, "unknown key \"label_en\""), "%s", message);
}

static const char *const base_text =
    "{\"name\": \"base\", \"title\": \"基准\", \"title_en\": \"baseline\", \"start\": 2023, \"end\": 2025,\n"
    " \"assumptions\": {\"g\": {\"2023\": 0.05, \"note\": \"基准说明\", \"note_en\": \"base note\"},\n"
    "                  \"h\": {\"value\": 0.02, \"note\": \"h 的说明\", \"note_en\": \"about h\"}},\n"
    " \"bounds\": {\"g\": {\"min\": -0.5, \"note\": \"危机年\", \"note_en\": \"a crisis year\"}},\n"
    " \"uncertainty\": {\"note\": \"不确定性\", \"note_en\": \"uncertainty\"}}\n";

Test(model_text, scenario_texts_and_the_notes_of_each_value)
{
    testutil_write("base.json", base_text);
    const char *path = testutil_write("child.json",
                                      "{\"extends\": \"base.json\", \"note\": \"子情景\", \"note_en\": \"child\",\n"
                                      " \"assumptions\": {\"g\": {\"2024\": 0.06, \"note\": \"子情景的说明\"}},\n"
                                      " \"uncertainty\": {\"note\": \"只写了中文\"}}\n");
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(path, &d);
    cr_assert_not_null(s, "%s", d.message);
    const scenario_series *g = scenario_assumption(s, "g"), *h = scenario_assumption(s, "h");
    const scenario_source *from_base = scenario_series_source(g, 2023), *from_child = scenario_series_source(g, 2024);
    const scenario_source *h_source = scenario_series_source(h, 2025);
    cr_assert(from_base && from_child && h_source);

    use_language(I18N_ENGLISH);
    cr_assert_str_eq(scenario_title(s), "child", "the title is not inherited: it defaults to the name");
    cr_assert_str_eq(scenario_note(s), "child");
    cr_assert_str_eq(scenario_source_note(from_base), "base note", "the base's value keeps the base's note");
    cr_assert_str_eq(scenario_source_note(from_child), "子情景的说明", "the child's note has no English form");
    cr_assert_str_eq(scenario_source_note(h_source), "about h");
    cr_assert_str_eq(scenario_bound_note(scenario_find_bound(s, "g")), "a crisis year");
    /* the child rewrote the block's note without an English form: the base's is not inherited */
    const cJSON *block = cJSON_GetObjectItemCaseSensitive(s->root, "uncertainty");
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(block, "note_en"));

    use_language(I18N_CHINESE);
    cr_assert_str_eq(scenario_note(s), "子情景");
    cr_assert_str_eq(scenario_source_note(from_base), "基准说明");
    cr_assert_str_eq(scenario_source_note(h_source), "h 的说明");
    cr_assert_str_eq(scenario_bound_note(scenario_find_bound(s, "g")), "危机年");
    scenario_free(s);
    diag_free(&d);

    /* the base alone keeps its title's English form */
    diag_init(&d);
    use_language(I18N_ENGLISH);
    s = scenario_load(testutil_write("base.json", base_text), &d);
    cr_assert_not_null(s, "%s", d.message);
    cr_assert_str_eq(scenario_title(s), "baseline");
    use_language(I18N_CHINESE);
    cr_assert_str_eq(scenario_title(s), "基准");
    scenario_free(s);
    diag_free(&d);
}

/* Loads a scenario that must fail with DIAG_DATA and a message holding both texts. */
static void expect_scenario_error(const char *text, const char *where, const char *what)
{
    diag d;
    diag_init(&d);
    scenario *s = scenario_load(testutil_write("bad.json", text), &d);
    cr_assert_null(s, "a bad English form was accepted: %s", text);
    cr_assert_eq(d.status, DIAG_DATA);
    cr_assert(strstr(d.message, where), "%s", d.message);
    cr_assert(strstr(d.message, what), "%s", d.message);
    diag_free(&d);
}

Test(model_text, scenario_english_forms_of_the_wrong_type_are_located)
{
    expect_scenario_error("{\"note_en\": 1}", "bad.json: $.note_en", "must be a string, not a number");
    expect_scenario_error("{\"start\": 2023, \"end\": 2024, \"assumptions\": {\"g\": {\"2023\": 0.1, \"note_en\": {}}}}",
                   "$.assumptions.g.note_en", "\"note_en\" must be a string, not an object");
    expect_scenario_error("{\"bounds\": {\"g\": {\"min\": 0, \"note_en\": true}}}", "$.bounds.g.note_en",
                   "must be a string, not");
}

Test(model_text, observation_sources_in_both_languages)
{
    const char *path = testutil_write("obs.csv", "place,indicator,year,value,unit,kind,source,reliability,source_en\n"
                                                 "林州市,gdp,2022,657.4,亿元,level,林州市2023年三级干部会议讲话,A,"
                                                 "2023 speech\n"
                                                 "林州市,gdp,2021,600,亿元,level,只有中文,B,\n");
    diag d;
    diag_init(&d);
    history *h = history_load(path, &d);
    cr_assert_not_null(h, "%s", d.message);
    use_language(I18N_ENGLISH);
    cr_assert_str_eq(history_row_source(&h->rows[0]), "2023 speech");
    cr_assert_str_eq(history_row_source(&h->rows[1]), "只有中文", "an empty source_en: the source as written");
    use_language(I18N_CHINESE);
    cr_assert_str_eq(history_row_source(&h->rows[0]), "林州市2023年三级干部会议讲话");
    history_free(h);
    diag_free(&d);
}

Test(model_text, goal_notes_and_goal_file_titles)
{
    char model_path[4096];
    cr_assert(getcwd(model_path, sizeof model_path - 32));
    strcat(model_path, "/models/county.json");
    testutil_write("g.json", "{\"title\": \"目标\", \"title_en\": \"goals\", \"goals\": [\n"
                             " {\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2024, \"target\": 700,\n"
                             "  \"note\": \"说明\", \"note_en\": \"about a\"},\n"
                             " {\"id\": \"b\", \"variable\": \"gdp\", \"year\": 2024, \"target\": 700, \"note_en\": 7}]}\n");
    char text[8192];
    snprintf(text, sizeof text,
             "{\"model\": \"%s\", \"start\": 2023, \"end\": 2025, \"initial\": {\"gdp\": 650, \"gdp_deflator\": 1,"
             " \"construction_output\": 1, \"construction_firms\": 1, \"fiscal_revenue\": 40, \"urban_population\": 30},"
             " \"goals\": [\"g.json\"]}",
             model_path);
    run *r = testutil_load_run(testutil_write("s.json", text));
    diag d;
    diag_init(&d);
    goals_set *set = goals_load(r, &d);
    cr_assert_null(set, "goal b's note_en is a number");
    cr_assert(strstr(d.message, "g.json: $.goals[1].note_en"), "%s", d.message);
    diag_free(&d);

    testutil_write("g.json", "{\"title\": \"目标\", \"title_en\": \"goals\", \"goals\": [\n"
                             " {\"id\": \"a\", \"variable\": \"gdp\", \"year\": 2024, \"target\": 700,\n"
                             "  \"note\": \"说明\", \"note_en\": \"about a\"}]}\n");
    diag_init(&d);
    set = goals_load(r, &d);
    cr_assert_not_null(set, "%s", d.message);
    use_language(I18N_ENGLISH);
    cr_assert_str_eq(goals_goal_note(&set->goals[0]), "about a");
    cr_assert_str_eq(goals_goal_set_title(&set->goals[0]), "goals");
    use_language(I18N_CHINESE);
    cr_assert_str_eq(goals_goal_note(&set->goals[0]), "说明");
    cr_assert_str_eq(goals_goal_set_title(&set->goals[0]), "目标");
    goals_free(set);
    diag_free(&d);
    run_free(r);
}
