/* math_f32_avx512.c — the GELU and SOFTMAX loops of math_f32_impl.h compiled for AVX-512 (16 lanes);
 * called only when cpu_features() has the instruction set. */
#include "kernels/math_f32_opt.h"

#define MATH_F32_NAME(f) math_f32_##f##__avx512
#include "kernels/math_f32_impl.h"
