/* strided_copy.h — copies a strided view of a tensor into a dense row-major buffer: the
 * inner loop of TRANSPOSE, SLICE, STRIDED_SLICE and SPLIT, for any fixed-size element type.
 *
 * A view is an output shape plus, for each output dimension, the byte step in the source
 * (negative for reversed slices, 0 for a repeated element) and the byte offset of the first
 * element. The caller proves in prepare that every element the view names lies inside the
 * source; nothing here checks bounds. */
#ifndef MOTE_KERNELS_STRIDED_COPY_H
#define MOTE_KERNELS_STRIDED_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mote.h"

typedef struct strided_view {
    int32_t rank;                   /* dimensions of the view (0 for one element) */
    int32_t dims[MOTE_MAX_DIMS];    /* extent of each output dimension */
    ptrdiff_t steps[MOTE_MAX_DIMS]; /* source bytes between neighbours in each dimension */
    ptrdiff_t offset;               /* source byte offset of the first element */
    size_t elem;                    /* bytes per element */
} strided_view;

/* Row-major byte strides of a dense tensor of the given shape (element size elem, dims
 * not negative). Returns 0, or -1 when a stride or the whole size does not fit in a
 * ptrdiff_t (a shape no tensor can have, even with a zero dimension elsewhere): the caller
 * fails, and every offset and step it derives from strides inside the shape then fits. */
static inline int strided_dense_steps(int32_t rank, const int32_t *dims, size_t elem, ptrdiff_t *steps) {
    ptrdiff_t step = (ptrdiff_t)elem;
    for (int32_t d = rank - 1; d >= 0; d--) {
        steps[d] = step;
        if (dims[d] < 0 || (dims[d] > 0 && step > PTRDIFF_MAX / dims[d])) return -1;
        step *= dims[d];
    }
    return 0;
}

/* One row (the last dimension) of n elements, step bytes apart. Fixed sizes let the
 * compiler turn each memcpy into a load and a store. */
static inline void strided_copy_row(uint8_t *dst, const uint8_t *src, int32_t n, ptrdiff_t step,
                                    size_t elem) {
    if (step == (ptrdiff_t)elem) {
        memcpy(dst, src, (size_t)n * elem);
        return;
    }
    /* Indexing, not pointer stepping: a reversed row must not form a pointer before src. */
    switch (elem) {
    case 1:
        for (int32_t i = 0; i < n; i++) dst[i] = src[i * step];
        break;
    case 2:
        for (int32_t i = 0; i < n; i++) memcpy(dst + 2 * i, src + i * step, 2);
        break;
    case 4:
        for (int32_t i = 0; i < n; i++) memcpy(dst + 4 * (size_t)i, src + i * step, 4);
        break;
    case 8:
        for (int32_t i = 0; i < n; i++) memcpy(dst + 8 * (size_t)i, src + i * step, 8);
        break;
    default:
        for (int32_t i = 0; i < n; i++) memcpy(dst + elem * (size_t)i, src + i * step, elem);
        break;
    }
}

/* Writes the view's elements in row-major order to dst; returns the bytes written. */
static inline size_t strided_copy(const strided_view *v, const uint8_t *src, uint8_t *dst) {
    for (int32_t d = 0; d < v->rank; d++)
        if (v->dims[d] <= 0) return 0;
    if (v->rank == 0) {
        memcpy(dst, src + v->offset, v->elem);
        return v->elem;
    }
    const int32_t last = v->rank - 1;
    const size_t row_bytes = (size_t)v->dims[last] * v->elem;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    /* An offset, not a pointer: between rows it may step outside the source for a moment. */
    ptrdiff_t at = v->offset;
    uint8_t *out = dst;
    for (;;) {
        strided_copy_row(out, src + at, v->dims[last], v->steps[last], v->elem);
        out += row_bytes;
        /* Advance the outer dimensions like an odometer. */
        int32_t d = last - 1;
        for (; d >= 0; d--) {
            at += v->steps[d];
            if (++idx[d] < v->dims[d]) break;
            at -= v->steps[d] * v->dims[d];
            idx[d] = 0;
        }
        if (d < 0) break;
    }
    return (size_t)(out - dst);
}

#endif /* MOTE_KERNELS_STRIDED_COPY_H */
