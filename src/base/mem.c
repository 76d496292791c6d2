/* mem.c: allocation wrapper. One place to count and fail allocations, so fault-injection tests
 * can prove that every allocation site on the load and run paths reports failure cleanly. */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static long mem_successes_left = -1; /* -1: the hook is off */
static unsigned long mem_failures;

static int mem_should_fail(void)
{
    if (mem_successes_left < 0)
        return 0;
    if (mem_successes_left == 0) {
        mem_failures++;
        return 1;
    }
    mem_successes_left--;
    return 0;
}

/* Counts a real failure of the C library's allocator. */
static void *mem_counted(void *p)
{
    if (!p)
        mem_failures++;
    return p;
}

unsigned long mem_failure_count(void)
{
    return mem_failures;
}

void *mem_alloc(size_t size)
{
    if (mem_should_fail())
        return NULL;
    return mem_counted(malloc(size ? size : 1));
}

#define MEM_HUGE_PAGE ((size_t)2 << 20)

void *mem_alloc_huge(size_t size)
{
    if (size < MEM_HUGE_PAGE)
        return mem_alloc(size);
    if (mem_should_fail())
        return NULL;
    if (size > SIZE_MAX - MEM_HUGE_PAGE)
        return mem_counted(NULL);
    size_t rounded = (size + MEM_HUGE_PAGE - 1) / MEM_HUGE_PAGE * MEM_HUGE_PAGE;
    void *p = mem_counted(aligned_alloc(MEM_HUGE_PAGE, rounded));
#ifdef MADV_HUGEPAGE
    if (p)
        (void)madvise(p, rounded, MADV_HUGEPAGE); /* advice only: without it, 4 KB pages */
#endif
    return p;
}

void *mem_calloc(size_t count, size_t size)
{
    if (mem_should_fail())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    return mem_counted(calloc(count, size));
}

void *mem_realloc(void *ptr, size_t size)
{
    if (mem_should_fail())
        return NULL;
    return mem_counted(realloc(ptr, size ? size : 1));
}

char *mem_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = mem_alloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *mem_strdup(const char *s)
{
    return mem_strndup(s, SIZE_MAX);
}

void mem_free(void *ptr)
{
    free(ptr);
}

int mem_size_mul(size_t count, size_t size, size_t *out)
{
    if (size != 0 && count > SIZE_MAX / size)
        return 0;
    *out = count * size;
    return 1;
}

void mem_fail_after(long successes)
{
    mem_successes_left = successes < 0 ? -1 : successes;
}

void mem_fail_reset(void)
{
    mem_successes_left = -1;
}
