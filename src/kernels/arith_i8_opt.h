/* arith_i8_opt.h — the optimized int8/uint8 ADD and SUB (same shapes, no broadcasting),
 * bit-exact with add_sub_elem of arithmetic_quant.c: each input (x + offset) << left_shift
 * rescaled by its multiplier (MultiplyByQuantizedMultiplier), the two summed (or subtracted)
 * with int32 wrap-around, the sum rescaled onto the output, the zero point added, the clamp
 * applied. The vector kernels rescale with gemm_i8's requantization constants, the same
 * multiplier in every lane. */
#ifndef MOTE_KERNELS_ARITH_I8_OPT_H
#define MOTE_KERNELS_ARITH_I8_OPT_H

#include "kernels/arithmetic.h"
#include "kernels/gemm_i8.h"

/* One block of elements for the vector kernels. */
typedef struct arith_i8_block {
    const uint8_t *x, *y; /* inputs (int8 or uint8 bytes) */
    uint8_t *z;           /* output */
    size_t n;             /* elements */
    int32_t is_unsigned;  /* uint8 tensors */
    int32_t sub;          /* SUB instead of ADD */
    int32_t x_offset, y_offset, left_shift;
    const gemm_i8_rq16 *rx, *ry, *ro; /* AVX-512: the three multipliers in all 16 lanes */
    const gemm_i8_rq8 *rx8, *ry8, *ro8; /* AVX2: the same in 8 lanes */
    gemm_i8_out out;      /* output zero point and clamp */
} arith_i8_block;

void arith_i8_add__avx512(const arith_i8_block *b);
void arith_i8_add__avx2(const arith_i8_block *b);

/* Computes out = a + b (or a - b) when the optimized path applies (int8 or uint8, equal
 * element counts, not the int16 power-of-two path) and returns 1; returns 0, touching
 * nothing, otherwise. Splits the elements over the interpreter's threads. */
int arith_i8_opt_eval(mote_context *ctx, int32_t code, const arith_quant *q, const mote_tensor *a,
                      const mote_tensor *b, mote_tensor *out);

#endif /* MOTE_KERNELS_ARITH_I8_OPT_H */
