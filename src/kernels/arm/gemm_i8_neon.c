/* gemm_i8_neon.c — int8/uint8 GEMM microkernels for AArch64 NEON without the dot product
 * extension: tiles of up to 4 rows by 2 groups of 8 columns on the I16 layout of gemm_i8.h
 * (operands widened to int16 with their zero points subtracted, |x - zx|, |w - zw| <= 255),
 * with the reference requantization (requant_i8_neon.h).
 *
 * A packed group holds, per pair of depth steps, [8 columns][2] int16; LD2 splits such a
 * pair into the 8 weights of step k and the 8 of step k + 1. The depth loop takes four steps
 * at a time: one 4-lane load of a row's activations feeds four by-element multiply-adds
 * (SMLAL/SMLAL2 vd.4s, vn.4h, vm.h[lane]) per 8 columns. Products are exact in int32 and the
 * sums wrap, as the reference's int32 sums do. NEON is in every AArch64 CPU: no extra
 * compiler flags. */
#include "kernels/arm/requant_i8_neon.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE void tile(const gemm_i8_tile *t, const int MR, const int NV) {
    int32x4_t acc[GEMM_I8_NEON_MR][GEMM_I8_NEON_NV][2];
    const int16_t *a[GEMM_I8_NEON_MR];
    const int16_t *b[GEMM_I8_NEON_NV];
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) {
        const uint8_t *g = t->w + (size_t)j * t->w_stride;
        const gemm_i8_rq8 *p = (const gemm_i8_rq8 *)(const void *)g;
        b[j] = (const int16_t *)(const void *)(g + sizeof *p);
        const int32x4_t c0 = vld1q_s32(p->colterm), c1 = vld1q_s32(p->colterm + 4);
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) acc[r][j][0] = c0, acc[r][j][1] = c1;
    }
#pragma GCC unroll 4
    for (int r = 0; r < MR; r++) a[r] = (const int16_t *)(const void *)((const uint8_t *)t->a + (size_t)r * t->a_stride);
    const int32_t kp = t->kp;
    int32_t k = 0;
    for (; k + 4 <= kp; k += 4) {
        int16x8x2_t w01[GEMM_I8_NEON_NV], w23[GEMM_I8_NEON_NV];
#pragma GCC unroll 4
        for (int j = 0; j < NV; j++) {
            w01[j] = vld2q_s16(b[j] + (size_t)k * 8);
            w23[j] = vld2q_s16(b[j] + (size_t)k * 8 + 16);
        }
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) {
            const int16x4_t av = vld1_s16(a[r] + k);
#pragma GCC unroll 4
            for (int j = 0; j < NV; j++) {
                int32x4_t lo = acc[r][j][0], hi = acc[r][j][1];
                lo = vmlal_lane_s16(lo, vget_low_s16(w01[j].val[0]), av, 0);
                hi = vmlal_high_lane_s16(hi, w01[j].val[0], av, 0);
                lo = vmlal_lane_s16(lo, vget_low_s16(w01[j].val[1]), av, 1);
                hi = vmlal_high_lane_s16(hi, w01[j].val[1], av, 1);
                lo = vmlal_lane_s16(lo, vget_low_s16(w23[j].val[0]), av, 2);
                hi = vmlal_high_lane_s16(hi, w23[j].val[0], av, 2);
                lo = vmlal_lane_s16(lo, vget_low_s16(w23[j].val[1]), av, 3);
                hi = vmlal_high_lane_s16(hi, w23[j].val[1], av, 3);
                acc[r][j][0] = lo, acc[r][j][1] = hi;
            }
        }
    }
    if (k < kp) { /* the last pair of steps (kp is even) */
        int16x8x2_t w01[GEMM_I8_NEON_NV];
#pragma GCC unroll 4
        for (int j = 0; j < NV; j++) w01[j] = vld2q_s16(b[j] + (size_t)k * 8);
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) {
            int16x4_t av = vld1_dup_s16(a[r] + k);
            av = vld1_lane_s16(a[r] + k + 1, av, 1);
#pragma GCC unroll 4
            for (int j = 0; j < NV; j++) {
                acc[r][j][0] = vmlal_lane_s16(acc[r][j][0], vget_low_s16(w01[j].val[0]), av, 0);
                acc[r][j][1] = vmlal_high_lane_s16(acc[r][j][1], w01[j].val[0], av, 0);
                acc[r][j][0] = vmlal_lane_s16(acc[r][j][0], vget_low_s16(w01[j].val[1]), av, 1);
                acc[r][j][1] = vmlal_high_lane_s16(acc[r][j][1], w01[j].val[1], av, 1);
            }
        }
    }

    const gemm_i8_out *o = t->out;
    if (o->out32) {
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) {
            int32_t *c = (int32_t *)(void *)((uint8_t *)t->c + (size_t)r * t->c_stride);
#pragma GCC unroll 4
            for (int j = 0; j < NV; j++) {
                const int n = t->nc - j * 8;
                requant_i8_neon_store32(c + j * 8, acc[r][j][0], n);
                requant_i8_neon_store32(c + j * 8 + 4, acc[r][j][1], n - 4);
            }
        }
        return;
    }
    const requant_i8_neon_out ro = requant_i8_neon_out_load(o);
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) {
        const gemm_i8_rq8 *p = (const gemm_i8_rq8 *)(const void *)(t->w + (size_t)j * t->w_stride);
        const requant_i8_neon_c q0 = requant_i8_neon_rq8(p, 0), q1 = requant_i8_neon_rq8(p, 4);
        const int n = t->nc - j * 8;
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) {
            const uint8x8_t bytes = requant_i8_neon_bytes(requant_i8_neon(acc[r][j][0], &q0, &ro),
                                                          requant_i8_neon(acc[r][j][1], &q1, &ro));
            requant_i8_neon_store((uint8_t *)t->c + (size_t)r * t->c_stride + (size_t)j * 8, bytes, n);
        }
    }
}

#define TILE(MR, NV) \
    static void tile_##MR##x##NV(const gemm_i8_tile *t) { tile(t, MR, NV); }
TILE(1, 1)
TILE(1, 2)
TILE(2, 1)
TILE(2, 2)
TILE(3, 1)
TILE(3, 2)
TILE(4, 1)
TILE(4, 2)

void gemm_i8_tile__neon(const gemm_i8_tile *t) {
    static void (*const fns[GEMM_I8_NEON_MR][GEMM_I8_NEON_NV])(const gemm_i8_tile *) = {
        {tile_1x1, tile_1x2}, {tile_2x1, tile_2x2}, {tile_3x1, tile_3x2}, {tile_4x1, tile_4x2}};
    fns[t->mr - 1][t->nv - 1](t);
}

void gemm_i8_widen__neon(int16_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero) {
    const int16x8_t z = vdupq_n_s16((int16_t)zero);
    size_t i = 0;
    if (is_unsigned) {
        for (; i + 16 <= n; i += 16) {
            const uint8x16_t v = vld1q_u8(src + i);
            vst1q_s16(dst + i, vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(v))), z));
            vst1q_s16(dst + i + 8, vsubq_s16(vreinterpretq_s16_u16(vmovl_high_u8(v)), z));
        }
    } else {
        for (; i + 16 <= n; i += 16) {
            const int8x16_t v = vld1q_s8((const int8_t *)(const void *)(src + i));
            vst1q_s16(dst + i, vsubq_s16(vmovl_s8(vget_low_s8(v)), z));
            vst1q_s16(dst + i + 8, vsubq_s16(vmovl_high_s8(v), z));
        }
    }
    for (; i < n; i++) dst[i] = (int16_t)((is_unsigned ? (int32_t)src[i] : (int32_t)(int8_t)src[i]) - zero);
}
