/* gemm_f32_x86.h — the x86-64 float32 microkernels (gemm_f32_avx2.c, gemm_f32_avx512.c),
 * for the configuration table in gemm_f32.c and the tests. Call one only when
 * cpu_features() has its instruction set. */
#ifndef MOTE_KERNELS_X86_GEMM_F32_X86_H
#define MOTE_KERNELS_X86_GEMM_F32_X86_H

#include "kernels/gemm_f32.h"

/* AVX2 + FMA */
MOTE_DECLARE_F32_GEMM(6, 16, avx2_fma)
MOTE_DECLARE_F32_GEMM(6, 8, avx2_fma)
MOTE_DECLARE_F32_GEMM(1, 16, avx2_fma)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_9p8c__avx2_fma)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_25p8c__avx2_fma)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_up64p8c__avx2_fma)

/* AVX-512F */
MOTE_DECLARE_F32_GEMM(1, 32, avx512f)
MOTE_DECLARE_F32_GEMM(4, 32, avx512f)
MOTE_DECLARE_F32_GEMM(6, 32, avx512f)
MOTE_DECLARE_F32_GEMM(7, 32, avx512f)
MOTE_DECLARE_F32_GEMM(8, 32, avx512f)
MOTE_DECLARE_F32_GEMM(12, 32, avx512f)
MOTE_DECLARE_F32_GEMM(14, 32, avx512f)
MOTE_DECLARE_F32_GEMM(1, 16, avx512f)
MOTE_DECLARE_F32_GEMM(7, 16, avx512f)
MOTE_DECLARE_F32_GEMM(14, 16, avx512f)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_9p16c__avx512f)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_25p16c__avx512f)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_up64p16c__avx512f)

#endif /* MOTE_KERNELS_X86_GEMM_F32_X86_H */
