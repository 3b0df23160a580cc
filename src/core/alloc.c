/* alloc.c — the default allocator and the checked wrappers around the allocator hook. */
#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    (void)ud;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    size_t rounded;
    if (mote_align_size(new_size, &rounded)) return NULL;
    void *p = aligned_alloc(MOTE_ALIGN, rounded);
    if (p && ptr) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        free(ptr);
    }
    return p;
}

mote_allocator mote_allocator_or_default(const mote_allocator *a) {
    if (a && a->fn) return *a;
    mote_allocator d = {default_alloc, NULL};
    return d;
}

void *mote_alloc(const mote_allocator *a, size_t size) {
    if (size == 0) return NULL;
    return a->fn(a->ud, NULL, 0, size);
}

void *mote_alloc_array(const mote_allocator *a, size_t count, size_t size) {
    size_t total;
    if (mote_mul_size(count, size, &total) || total == 0) return NULL;
    void *p = mote_alloc(a, total);
    if (p) memset(p, 0, total);
    return p;
}

void *mote_realloc(const mote_allocator *a, void *ptr, size_t old_size, size_t new_size) {
    if (!ptr) return mote_alloc(a, new_size);
    return a->fn(a->ud, ptr, old_size, new_size);
}

void mote_free(const mote_allocator *a, void *ptr, size_t size) {
    if (ptr) a->fn(a->ud, ptr, size, 0);
}
