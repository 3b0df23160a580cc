/* arith_f32_opt.h — the optimized float32 ADD, SUB, MUL, DIV and SQUARED_DIFFERENCE
 * (arith_f32_opt.c): the
 * broadcast is reduced to an outer loop over rows and an inner loop over contiguous
 * elements (both operands moving, or one of them fixed), which the compiler vectorizes;
 * large outputs are split over the interpreter's threads. Results are the reference
 * kernel's exactly (one operation and the same clamp per element). */
#ifndef MOTE_KERNELS_ARITH_F32_OPT_H
#define MOTE_KERNELS_ARITH_F32_OPT_H

#include "kernels/kernel.h"

/* Computes out = clamp(a OP b, lo, hi) for OP of builtin `code` (ADD, SUB, MUL, DIV,
 * SQUARED_DIFFERENCE: pass lo = -INFINITY, hi = INFINITY for no clamp) when
 * optimized kernels are on and returns 1; returns 0, touching nothing, otherwise. */
int arith_f32_opt_eval(mote_context *ctx, int32_t code, float lo, float hi, const mote_tensor *a,
                       const mote_tensor *b, mote_tensor *out);

#endif /* MOTE_KERNELS_ARITH_F32_OPT_H */
