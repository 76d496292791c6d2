/* input.c: reading an input file whole.
 *
 * Every file econsim reads (models, scenarios, goal files, places, observations) comes through
 * here. A planner who names a FIFO or /dev/stdin by mistake must get an answer, not a program
 * that waits forever: the file is opened with O_NONBLOCK (which returns at once for a FIFO
 * without a writer) and inspected with fstat before a single byte is read. */
#include "input.h"
#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *input_kind_name(unsigned mode)
{
    if (S_ISFIFO(mode))
        return _("a FIFO");
    if (S_ISCHR(mode))
        return _("a character device");
    if (S_ISBLK(mode))
        return _("a block device");
    if (S_ISSOCK(mode))
        return _("a socket");
    if (S_ISDIR(mode))
        return _("a folder");
    return _("not a regular file");
}

char *input_read_all(const char *path, size_t max_bytes, size_t *len, diag *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        diag_error_file(d, DIAG_NO_INPUT, path, _("cannot open: %s"), strerror(errno));
        return NULL;
    }
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int error = errno;
        close(fd);
        diag_error_file(d, DIAG_NO_INPUT, path, _("cannot open: %s"), strerror(error));
        return NULL;
    }
    if (S_ISDIR(info.st_mode)) {
        close(fd);
        diag_error_file(d, DIAG_NO_INPUT, path, _("cannot read: %s"), strerror(EISDIR));
        return NULL;
    }
    if (!S_ISREG(info.st_mode)) {
        close(fd);
        diag_error_file(d, DIAG_NO_INPUT, path,
                        _("cannot read: it is %s, not a regular file (econsim reads its inputs only from files)"),
                        input_kind_name((unsigned)info.st_mode));
        return NULL;
    }
    /* a regular file never blocks; clear the flag all the same */
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    size_t cap = 4096, used = 0;
    char *buf = mem_alloc(cap);
    if (!buf) {
        close(fd);
        diag_oom(d, _("reading a file"));
        return NULL;
    }
    for (;;) {
        if (used + 1 >= cap) {
            if (cap > max_bytes + 1) {
                diag_error_file(d, DIAG_DATA, path, _("file is larger than %zu bytes"), max_bytes);
                goto fail;
            }
            char *grown = mem_realloc(buf, cap * 2);
            if (!grown) {
                diag_oom(d, _("reading a file"));
                goto fail;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + used, cap - used - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int error = errno;
            diag_error_file(d, error == EISDIR ? DIAG_NO_INPUT : DIAG_IO, path, _("cannot read: %s"), strerror(error));
            goto fail;
        }
        if (got == 0)
            break;
        used += (size_t)got;
    }
    if (used > max_bytes) {
        diag_error_file(d, DIAG_DATA, path, _("file is larger than %zu bytes"), max_bytes);
        goto fail;
    }
    close(fd);
    buf[used] = '\0';
    *len = used;
    return buf;
fail:
    close(fd);
    mem_free(buf);
    return NULL;
}

int input_read_text(const char *path, size_t max_bytes, input_text *out, diag *d)
{
    memset(out, 0, sizeof *out);
    size_t length = 0;
    char *data = input_read_all(path, max_bytes, &length, d);
    if (!data)
        return d->status;
    out->data = data;
    out->length = length;
    out->start = length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (text_utf8_valid(data, length, &out->bad_utf8))
        out->bad_utf8 = length;
    const char *nul = memchr(data, '\0', length);
    out->nul = nul ? (size_t)(nul - data) : length;
    return DIAG_OK;
}
