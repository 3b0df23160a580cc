/* math_f32_avx2.c — the GELU and SOFTMAX loops of math_f32_impl.h compiled for AVX2 + FMA (8 lanes);
 * called only when cpu_features() has the instruction set. */
#include "kernels/math_f32_opt.h"

#define MATH_F32_NAME(f) math_f32_##f##__avx2
#include "kernels/math_f32_impl.h"
