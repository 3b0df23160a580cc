/* gemm_f32_arm.h — the AArch64 float32 microkernels (gemm_f32_neon.c), for the configuration
 * table in gemm_f32.c and the tests. NEON is part of every AArch64 CPU (CPU_ARM_NEON). */
#ifndef MOTE_KERNELS_ARM_GEMM_F32_ARM_H
#define MOTE_KERNELS_ARM_GEMM_F32_ARM_H

#include "kernels/gemm_f32.h"

MOTE_DECLARE_F32_GEMM(6, 8, neon)
MOTE_DECLARE_F32_GEMM(8, 4, neon)
MOTE_DECLARE_F32_GEMM(1, 16, neon)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_9p8c__neon)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_25p8c__neon)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_up64p8c__neon)

#endif /* MOTE_KERNELS_ARM_GEMM_F32_ARM_H */
