/* selfdir.c: the folder of the running program (see selfdir.h). */
#include "selfdir.h"

#include <string.h>
#include <unistd.h>

int selfdir_get(char *out, size_t size)
{
    if (size == 0)
        return 0;
    out[0] = '\0';
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) {
        out[0] = '\0';
        return 0;
    }
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash) {
        out[0] = '\0';
        return 0;
    }
    *slash = '\0';
    return 1;
}
