/* cpu.h — what the processor can do, detected once at run time, so optimized kernels are
 * chosen by the machine Mote runs on, never by the machine that built it. */
#ifndef MOTE_CORE_CPU_H
#define MOTE_CORE_CPU_H

#include <stdint.h>

enum cpu_feature {
    CPU_X86_AVX2 = 1u << 0,     /* with FMA3 and F16C: the x86-64 optimized baseline */
    CPU_X86_AVX512 = 1u << 1,   /* F + BW + VL + DQ, usable (OS saves zmm state) */
    CPU_X86_AVX512_VNNI = 1u << 2,
    CPU_X86_AVX_VNNI = 1u << 3,
    CPU_ARM_NEON = 1u << 8,     /* always on aarch64 */
    CPU_ARM_DOTPROD = 1u << 9,  /* SDOT/UDOT */
    CPU_ARM_I8MM = 1u << 10
};

/* The detected features (bitmask of cpu_feature), computed once. The environment variable
 * MOTE_CPU_MASK (a number) clears bits, to test slower paths on a faster machine. */
uint32_t cpu_features(void);

/* Names of the features set in mask, space-separated, for tools ("avx2 avx512 ..."). */
const char *cpu_feature_names(uint32_t mask, char *buf, unsigned size);

#endif /* MOTE_CORE_CPU_H */
