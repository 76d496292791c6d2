/* output_csv.c: numbers and fields of CSV files (output.h): the shortest decimal that reads
 * back to the same double, in the C locale, and RFC 4180 quoting. */
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void output_format_number(char *buf, double value)
{
    if (!isfinite(value)) {
        buf[0] = '\0';
        return;
    }
    if (value == 0) { /* also -0, which would print as "-0" */
        strcpy(buf, "0");
        return;
    }
    /* 15 significant digits always read back exactly when the double came from a decimal of
     * at most 15 digits (DBL_DIG); 17 always round-trip. %g drops trailing zeros, so the first
     * precision that round-trips gives the shortest text. snprintf and strtod use the C
     * locale's '.' because the program never sets LC_NUMERIC. */
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, 32, "%.*g", precision, value);
        if (precision == 17 || strtod(buf, NULL) == value)
            return;
    }
}

void output_csv_field(FILE *f, const char *text)
{
    if (!text)
        return;
    size_t n = strlen(text);
    int quote = strpbrk(text, ",\"\r\n") != NULL ||
                (n > 0 && (text[0] == ' ' || text[0] == '\t' || text[n - 1] == ' ' || text[n - 1] == '\t'));
    if (!quote) {
        fputs(text, f);
        return;
    }
    putc('"', f);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            putc('"', f);
        putc(*p, f);
    }
    putc('"', f);
}

void output_csv_number(FILE *f, double value)
{
    char buf[32];
    output_format_number(buf, value);
    fputs(buf, f);
}
