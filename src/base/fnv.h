/* fnv.h: FNV-1a, 64 bits: a fast, stable hash of bytes for stamps and checksums (not for
 * security). Chain calls to hash several pieces: h = fnv1a64(fnv1a64(FNV1A64_OFFSET, a, n), b, m). */
#ifndef FNV_H
#define FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_OFFSET UINT64_C(14695981039346656037)

/* h with the n bytes at `bytes` hashed into it (FNV1A64_OFFSET to start). */
static inline uint64_t fnv1a64(uint64_t h, const void *bytes, size_t n)
{
    const unsigned char *p = bytes;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

#endif
