/* mem.h: the project's allocation wrapper, with a fault-injection hook for tests. */
#ifndef MEM_H
#define MEM_H

#include <stddef.h>

/* Every allocation in econsim goes through these. They behave like their libc namesakes and
 * return NULL on failure (they never abort); callers check and report. mem_free(NULL) is a
 * no-op. mem_strdup/mem_strndup return a fresh NUL-terminated copy owned by the caller. */
void *mem_alloc(size_t size);
void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *ptr, size_t size);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
void mem_free(void *ptr);

/* Like mem_alloc, for large arrays that are filled once and read in streams (an ensemble's
 * per-path store): from 2 MB up, the block is 2 MB-aligned and advised for transparent huge
 * pages (madvise MADV_HUGEPAGE, where the system has it), so that touching it costs one page
 * fault per 2 MB instead of one per 4 KB. Freed with mem_free. */
void *mem_alloc_huge(size_t size);

/* Overflow-checked count * size: returns 0 and leaves *out untouched on overflow. */
int mem_size_mul(size_t count, size_t size, size_t *out);

/* How many allocations have failed since the process started (real or injected). Lets a
 * caller of a library that hides allocation failures (cJSON's parser reports them as syntax
 * errors) tell out-of-memory from bad input. */
unsigned long mem_failure_count(void);

/* Test hook: after `successes` more successful allocations, every further allocation fails
 * (returns NULL) until mem_fail_reset(). A negative value disables the hook. */
void mem_fail_after(long successes);
void mem_fail_reset(void);

#endif
