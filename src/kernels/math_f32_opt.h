/* math_f32_opt.h — optimized float32 GELU, SOFTMAX, MEAN/SUM and SQUARED_DIFFERENCE
 * (math_f32_opt.c): loops the compiler vectorizes, with exp and erf evaluated by
 * polynomials instead of calls to libm, split over the interpreter's threads when large.
 * Each returns 1 when it computed the result, 0 (touching nothing) when the reference
 * kernel must run (optimized kernels off, or a case it does not cover).
 *
 * Accuracy: exp within about 2 ulp; erf within 4e-7 absolute (GELU within 2e-7 |x|); sums
 * in another order than the reference's sequential one. */
#ifndef MOTE_KERNELS_MATH_F32_OPT_H
#define MOTE_KERNELS_MATH_F32_OPT_H

#include "kernels/kernel.h"

/* y = GELU(x) for n elements (approximate: the tanh form). */
int gelu_f32_opt(mote_context *ctx, const float *x, float *y, size_t n, int approximate);

/* SOFTMAX over rows of depth elements: y = exp(beta (x - max)) / sum. */
int softmax_f32_opt(mote_context *ctx, const float *x, float *y, size_t rows, size_t depth, float beta);

/* MEAN or SUM (code) of x with input dims[rank]; out_stride[k] is 0 for a reduced dimension
 * (the reduce.c layout); count elements fold into each output. Covers reductions of the
 * innermost dimensions (rows) and of the outermost ones (columns). */
int reduce_f32_opt(mote_context *ctx, int32_t code, int32_t rank, const int32_t *dims, const size_t *out_stride,
                   size_t count, const float *x, float *y);

/* The loops per instruction set (math_f32_impl.h): y = GELU(x) over n elements, and one
 * SOFTMAX row. The __c ones run anywhere; the others only with their CPU features. */
#define MOTE_DECLARE_MATH_F32(ISA)                                                                   \
    void math_f32_gelu__##ISA(const float *x, float *y, size_t n, int approximate);                  \
    void math_f32_softmax_row__##ISA(const float *x, float *y, size_t n, float beta);
MOTE_DECLARE_MATH_F32(c)
#if defined(__x86_64__)
MOTE_DECLARE_MATH_F32(avx2)
MOTE_DECLARE_MATH_F32(avx512)
#endif

#endif /* MOTE_KERNELS_MATH_F32_OPT_H */
