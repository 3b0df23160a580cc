/* requant_i8_neon.h — the reference requantization (MultiplyByQuantizedMultiplier, output
 * zero point, activation clamp) on 4 int32 lanes, for the AArch64 int8 kernels.
 *
 * Why this is the reference bit for bit (quant_multiply_by_quantized_multiplier):
 *  - the left shift wraps in both (SSHL by a positive amount drops the high bits);
 *  - SQRDMULH is SaturatingRoundingDoublingHighMul exactly: floor((a * b + 2^30) / 2^31),
 *    halves toward +infinity, with INT32_MIN * INT32_MIN saturated to INT32_MAX (for a
 *    negative product, gemmlowp's truncating division of a * b + 1 - 2^30 gives the same
 *    value);
 *  - RoundingDivideByPOT rounds halves away from zero, SRSHL by -r rounds them up. With
 *    x' = x - 1 for negative x (a saturating add: INT32_MIN, a multiple of 2^r, stays
 *    exact), floor((x' + 2^(r-1)) / 2^r) = floor((x + 2^(r-1) - 1) / 2^r), which is the
 *    reference's value for negative x; x >= 0 is unchanged. For r = 0 nothing changes;
 *  - the reference adds the zero point in 64 bits before clamping: a saturating add keeps
 *    the clamped result the same (the clamp bounds are bytes).
 * Include only from files under src/kernels/arm/. */
#ifndef MOTE_KERNELS_ARM_REQUANT_I8_NEON_H
#define MOTE_KERNELS_ARM_REQUANT_I8_NEON_H

#include <arm_neon.h>

#include "kernels/gemm_i8.h"

/* Constants of 4 channels: left shift, Q31 multiplier, minus the right shift. */
typedef struct requant_i8_neon_c {
    int32x4_t left, mult, neg_right;
} requant_i8_neon_c;

/* The output side: zero point and clamp. */
typedef struct requant_i8_neon_out {
    int32x4_t zp, lo, hi;
} requant_i8_neon_out;

static inline requant_i8_neon_out requant_i8_neon_out_load(const gemm_i8_out *o) {
    requant_i8_neon_out r = {vdupq_n_s32(o->zero_point), vdupq_n_s32(o->act_min), vdupq_n_s32(o->act_max)};
    return r;
}

/* Channels c0 .. c0 + 3 of an I16-layout constants block. */
static inline requant_i8_neon_c requant_i8_neon_rq8(const gemm_i8_rq8 *p, int c0) {
    requant_i8_neon_c c = {vld1q_s32(p->left + c0), vld1q_s32(p->mult + c0), vnegq_s32(vld1q_s32(p->right + c0))};
    return c;
}

/* Channels c0 .. c0 + 3 (c0 a multiple of 4) of a byte-layout constants block, whose right
 * shifts r are kept as 31 + r in 64-bit lanes, even and odd channels apart. */
static inline requant_i8_neon_c requant_i8_neon_rq16(const gemm_i8_rq16 *p, int c0) {
    const int32x2_t even = vmovn_s64(vld1q_s64(p->shift_even + c0 / 2)); /* channels c0, c0 + 2 */
    const int32x2_t odd = vmovn_s64(vld1q_s64(p->shift_odd + c0 / 2));   /* c0 + 1, c0 + 3 */
    const int32x4_t shift = vcombine_s32(vzip1_s32(even, odd), vzip2_s32(even, odd));
    requant_i8_neon_c c = {vld1q_s32(p->left + c0), vld1q_s32(p->mult + c0), vsubq_s32(vdupq_n_s32(31), shift)};
    return c;
}

/* MultiplyByQuantizedMultiplier, the zero point and the clamp on 4 sums. */
static inline int32x4_t requant_i8_neon(int32x4_t acc, const requant_i8_neon_c *c, const requant_i8_neon_out *o) {
    int32x4_t x = vqrdmulhq_s32(vshlq_s32(acc, c->left), c->mult);
    x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, c->neg_right), 31));
    x = vqaddq_s32(vrshlq_s32(x, c->neg_right), o->zp);
    return vminq_s32(vmaxq_s32(x, o->lo), o->hi);
}

/* The low bytes of 8 clamped lanes (int8 or uint8 outputs alike). */
static inline uint8x8_t requant_i8_neon_bytes(int32x4_t lo, int32x4_t hi) {
    return vreinterpret_u8_s8(vmovn_s16(vcombine_s16(vmovn_s32(lo), vmovn_s32(hi))));
}

/* The first n (0 .. 8) bytes of v to p. */
static inline void requant_i8_neon_store(uint8_t *p, uint8x8_t v, int n) {
    if (n >= 8) {
        vst1_u8(p, v);
    } else if (n > 0) {
        uint8_t tmp[8];
        vst1_u8(tmp, v);
        memcpy(p, tmp, (size_t)n);
    }
}

/* The first n (0 .. 4) int32 lanes of v to p. */
static inline void requant_i8_neon_store32(int32_t *p, int32x4_t v, int n) {
    if (n >= 4) {
        vst1q_s32(p, v);
    } else if (n > 0) {
        int32_t tmp[4];
        vst1q_s32(tmp, v);
        memcpy(p, tmp, (size_t)n * sizeof *p);
    }
}

#endif /* MOTE_KERNELS_ARM_REQUANT_I8_NEON_H */
