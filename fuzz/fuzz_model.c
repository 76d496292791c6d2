/* fuzz_model.c: the model loader (JSON reading, names, equations, dependency order). */
#include "fuzz_common.h"

#include <cjson/cJSON.h>

#include "diag.h"
#include "mem.h"
#include "model_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int hooked;
    if (!hooked) {
        cJSON_Hooks hooks = {mem_alloc, mem_free};
        cJSON_InitHooks(&hooks);
        hooked = 1;
    }
    const char *path = fuzz_write_file("model.json", data, size);
    if (!path)
        return 0;
    diag d;
    diag_init(&d);
    model *m = model_load(path, &d);
    model_free(m);
    diag_free(&d);
    return 0;
}
