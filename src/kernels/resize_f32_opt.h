/* resize_f32_opt.h — RESIZE_BILINEAR float32 output rows (resize.c) and their AVX-512 and
 * AVX2 forms (x86/resize_f32_avx512.c, resize_f32_avx2.c): the reference formula's products
 * and sums in its order, on 16 or 8 channels at a time, so the bits are the same. */
#ifndef MOTE_KERNELS_RESIZE_F32_OPT_H
#define MOTE_KERNELS_RESIZE_F32_OPT_H

#include <stddef.h>

/* Where one output column samples the input: its two columns' element offsets and weights. */
typedef struct bilinear_column {
    size_t at0, at1; /* x0 * channels, x1 * channels */
    float w0, w1;    /* 1 - dx, dx */
} bilinear_column;

/* One output row of out_w pixels of `channels` from the input rows top (weight wy0 = 1 - dy)
 * and bottom (dy). Call one only when cpu_features() has its instruction set. */
typedef void (*resize_bilinear_row_f32_fn)(const float *top, const float *bottom, const bilinear_column *cols,
                                           size_t out_w, size_t channels, float wy0, float dy, float *out);
void resize_bilinear_row_f32__avx512(const float *top, const float *bottom, const bilinear_column *cols,
                                     size_t out_w, size_t channels, float wy0, float dy, float *out);
void resize_bilinear_row_f32__avx2(const float *top, const float *bottom, const bilinear_column *cols,
                                   size_t out_w, size_t channels, float wy0, float dy, float *out);

#endif /* MOTE_KERNELS_RESIZE_F32_OPT_H */
