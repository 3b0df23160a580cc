/* alloc.h — every allocation Mote makes goes through the caller's allocator hook. */
#ifndef MOTE_CORE_ALLOC_H
#define MOTE_CORE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "mote.h"

/* Alignment of every block and of every planned buffer in the arena (one cache line, and
 * enough for AVX-512 loads). */
#define MOTE_ALIGN 64

/* The allocator to use: the caller's, or the default when NULL or empty. */
mote_allocator mote_allocator_or_default(const mote_allocator *a);

/* NULL on failure or on size 0. */
void *mote_alloc(const mote_allocator *a, size_t size);
/* Zeroed; NULL on failure, overflow of count * size, or a zero product. */
void *mote_alloc_array(const mote_allocator *a, size_t count, size_t size);
void *mote_realloc(const mote_allocator *a, void *ptr, size_t old_size, size_t new_size);
/* Frees a block allocated with `size` bytes; NULL is fine. */
void mote_free(const mote_allocator *a, void *ptr, size_t size);

/* Checked size arithmetic: return 0 and set *out, or return -1 on overflow. */
static inline int mote_mul_size(size_t a, size_t b, size_t *out) {
    if (a && b > SIZE_MAX / a) return -1;
    *out = a * b;
    return 0;
}
static inline int mote_add_size(size_t a, size_t b, size_t *out) {
    if (b > SIZE_MAX - a) return -1;
    *out = a + b;
    return 0;
}
/* Rounds up to a multiple of MOTE_ALIGN; -1 on overflow. */
static inline int mote_align_size(size_t n, size_t *out) {
    if (n > SIZE_MAX - (MOTE_ALIGN - 1)) return -1;
    *out = (n + MOTE_ALIGN - 1) & ~(size_t)(MOTE_ALIGN - 1);
    return 0;
}

#endif /* MOTE_CORE_ALLOC_H */
