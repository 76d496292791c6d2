/* fuzz_history.c: the observations CSV reader. */
#include "fuzz_common.h"

#include <string.h>

#include "diag.h"
#include "history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("history.csv", data, size);
    if (!path)
        return 0;
    diag d;
    diag_init(&d);
    history *h = history_load(path, &d);
    if (h) {
        const char *places[8];
        history_places(h, places, 8);
        if (h->count)
            history_find(h, h->rows[0].place, h->rows[0].indicator, h->rows[0].year, h->rows[0].kind);
    }
    history_free(h);
    diag_free(&d);
    return 0;
}
