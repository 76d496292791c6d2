/* exepath.c: finding a program on $PATH (see exepath.h). */
#include "exepath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int exepath_find(const char *name, char *path, size_t size)
{
    if (size)
        path[0] = '\0';
    if (!name || !*name || strchr(name, '/'))
        return 0;
    const char *search = getenv("PATH");
    char fallback[256];
    if (!search) {
        size_t n = confstr(_CS_PATH, fallback, sizeof fallback);
        search = n > 0 && n <= sizeof fallback ? fallback : "/bin:/usr/bin";
    }
    /* a folder of PATH relative to here becomes absolute */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    for (const char *p = search;;) {
        size_t n = strcspn(p, ":");
        /* an empty entry means the current folder, as for a shell */
        const char *folder = n ? p : ".";
        int folder_length = n ? (int)n : 1;
        int written = folder[0] == '/' ? snprintf(path, size, "%.*s/%s", folder_length, folder, name)
                                       : snprintf(path, size, "%s/%.*s/%s", cwd, folder_length, folder, name);
        struct stat st;
        if ((folder[0] == '/' || cwd[0]) && written > 0 && (size_t)written < size && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode) && access(path, X_OK) == 0)
            return 1;
        if (!p[n])
            break;
        p += n + 1;
    }
    if (size)
        path[0] = '\0';
    return 0;
}
