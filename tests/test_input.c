/* test_input.c: the one reader of input files (input.h): a file read whole with its byte
 * count, what is not a regular file refused at once, and the byte-order mark and first
 * encoding faults found for the loaders (history.c and jsonfile.c) to report where they are. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "history.h"
#include "input.h"
#include "jsonfile.h"
#include "mem.h"
#include "testutil.h"

/* The folder of this test's files (removed at the end of each test). */
static char folder[256];

static void make_folder(void)
{
    snprintf(folder, sizeof folder, "%s", testutil_make_dir("input"));
}

static void remove_folder(void)
{
    testutil_remove_tree(folder);
}

/* Writes len bytes (NUL bytes included) to the file name in the folder; returns its path. */
static const char *write_bytes(const char *name, const char *bytes, size_t len)
{
    const char *path = testutil_join(folder, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path;
}

static input_text read_ok(const char *path)
{
    diag d;
    diag_init(&d);
    input_text in;
    cr_assert_eq(input_read_text(path, 1 << 20, &in, &d), DIAG_OK, "%s", d.message);
    diag_free(&d);
    return in;
}

Test(input, clean_text_has_no_mark_and_no_fault, .init = make_folder, .fini = remove_folder)
{
    static const char text[] = "place,value\n林州市,1\n";
    input_text in = read_ok(write_bytes("clean.csv", text, sizeof text - 1));
    cr_assert_eq(in.length, sizeof text - 1);
    cr_assert_eq(memcmp(in.data, text, in.length), 0);
    cr_assert_eq(in.data[in.length], '\0', "NUL-terminated");
    cr_assert_eq(in.start, 0);
    cr_assert_eq(in.bad_utf8, in.length);
    cr_assert_eq(in.nul, in.length);
    mem_free(in.data);
}

Test(input, mark_and_faults_are_found_in_file_offsets, .init = make_folder, .fini = remove_folder)
{
    /* EF BB BF, "ab", a stray continuation byte at 5, "c", NUL at 7, "d" */
    static const char bytes[] = "\xEF\xBB\xBF" "ab\x80" "c\0d";
    input_text in = read_ok(write_bytes("faults.txt", bytes, sizeof bytes - 1));
    cr_assert_eq(in.length, 9);
    cr_assert_eq(in.start, 3);
    cr_assert_eq(in.bad_utf8, 5);
    cr_assert_eq(in.nul, 7);
    mem_free(in.data);
    /* a mark alone is text too; a truncated sequence at the end is a fault */
    in = read_ok(write_bytes("mark.txt", "\xEF\xBB\xBF", 3));
    cr_assert_eq(in.start, 3);
    cr_assert_eq(in.bad_utf8, 3);
    mem_free(in.data);
    in = read_ok(write_bytes("cut.txt", "x\xE6\x9E", 3));
    cr_assert_eq(in.start, 0);
    cr_assert_eq(in.bad_utf8, 1);
    mem_free(in.data);
}

Test(input, what_is_not_a_regular_file_is_refused, .init = make_folder, .fini = remove_folder)
{
    diag d;
    diag_init(&d);
    input_text in;
    cr_assert_eq(input_read_text(folder, 1 << 20, &in, &d), DIAG_NO_INPUT);
    cr_assert(strstr(d.message, "cannot read: Is a directory"), "%s", d.message);
    cr_assert_null(in.data);
    diag_free(&d);
    diag_init(&d);
    cr_assert_eq(input_read_text("/dev/null", 1 << 20, &in, &d), DIAG_NO_INPUT);
    cr_assert(strstr(d.message, "it is a character device, not a regular file"), "%s", d.message);
    diag_free(&d);
    diag_init(&d);
    const char *big = write_bytes("big.txt", "0123456789", 10);
    cr_assert_eq(input_read_text(big, 9, &in, &d), DIAG_DATA);
    cr_assert(strstr(d.message, "file is larger than 9 bytes"), "%s", d.message);
    diag_free(&d);
}

/* Both loaders report the faults the reader found, each in its own terms and positions:
 * observations count columns from after the mark, JSON counts the mark as a character. */
Test(input, the_loaders_report_faults_after_a_mark_where_they_are, .init = make_folder, .fini = remove_folder)
{
    static const char csv[] = "\xEF\xBB\xBF" "place,indicator,year,value,unit,kind,source,reliability\n"
                              "A,gdp,2020,1\xFF,,level,,\n";
    diag d;
    diag_init(&d);
    const char *path = write_bytes("bom.csv", csv, sizeof csv - 1);
    cr_assert_null(history_load(path, &d));
    cr_assert(strstr(d.message, "bom.csv:2:13: error: invalid UTF-8"), "%s", d.message);
    diag_free(&d);
    static const char json[] = "\xEF\xBB\xBF{\"a\": \"\xFF\"}";
    diag_init(&d);
    path = write_bytes("bom.json", json, sizeof json - 1);
    cr_assert_null(jsonfile_load(path, &d));
    cr_assert(strstr(d.message, "bom.json:1:9: error: file is not valid UTF-8 (byte 0xFF)"), "%s", d.message);
    diag_free(&d);
    /* a NUL byte before invalid UTF-8: the observations name the NUL, JSON the encoding first
     * (at the NUL's column: text_position counts up to the first NUL) */
    static const char csv_nul[] = "place,indicator,year,value,unit,kind,source,reliability\n"
                                  "A,gdp,2020,1\0\xFF,,level,,\n";
    diag_init(&d);
    path = write_bytes("nul.csv", csv_nul, sizeof csv_nul - 1);
    cr_assert_null(history_load(path, &d));
    cr_assert(strstr(d.message, "nul.csv:2:13: error: NUL byte in the file"), "%s", d.message);
    diag_free(&d);
    static const char json_nul[] = "{\"a\": \"\0\xFF\"}";
    diag_init(&d);
    path = write_bytes("nul.json", json_nul, sizeof json_nul - 1);
    cr_assert_null(jsonfile_load(path, &d));
    cr_assert(strstr(d.message, "nul.json:1:8: error: file is not valid UTF-8 (byte 0xFF)"), "%s", d.message);
    diag_free(&d);
}
