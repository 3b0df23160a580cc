/* depthwise_i8_neon.c — int8/uint8 DEPTHWISE_CONV_2D row kernels for AArch64 NEON: 8 channels
 * per step on the widened ring of depthwise_i8_opt.h, the reference requantization
 * (requant_i8_neon.h). 3x3 and 5x5 windows have their taps unrolled.
 *
 * The ring holds x - zx as full int32 lanes; a packed weight lane holds w - zw in its low 16
 * bits and zeros above (the layout the x86 kernels multiply with vpmaddwd), so each group's
 * weights are sign-extended once (shift left 16, arithmetic shift right 16) and every tap is
 * one exact int32 multiply-add (MLA) per 4 channels, wrapping as the reference's sums do. */
#include "kernels/arm/requant_i8_neon.h"
#include "kernels/depthwise_i8_opt.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE int32x4_t sext16(int32x4_t v) { return vshrq_n_s32(vshlq_n_s32(v, 16), 16); }

ALWAYS_INLINE void row_taps(const dw_i8_row *r, const int KH, const int KW) {
    const int kh = KH ? KH : r->kh, kw = KW ? KW : r->kw;
    const size_t lanes = r->pixel_lanes;
    const size_t step = (size_t)r->stride_w * lanes, dil = (size_t)r->dilation_w * lanes;
    const int32_t groups = (r->channels + 7) / 8;
    const requant_i8_neon_out ro = requant_i8_neon_out_load(r->out);
    for (int32_t g = 0; g < groups; g++) {
        const uint8_t *base = r->w + (size_t)g * r->w_stride;
        const gemm_i8_rq8 *p = (const gemm_i8_rq8 *)(const void *)base;
        const int32_t *wl = (const int32_t *)(const void *)(base + sizeof *p);
        const requant_i8_neon_c q0 = requant_i8_neon_rq8(p, 0), q1 = requant_i8_neon_rq8(p, 4);
        const int32x4_t ct0 = vld1q_s32(p->colterm), ct1 = vld1q_s32(p->colterm + 4);
        const int last = r->channels - g * 8;
        uint8_t *y = r->y + (size_t)g * 8;
        if (KH && KW) {
            int32x4_t w[KH * KW][2];
#pragma GCC unroll 25
            for (int t = 0; t < KH * KW; t++) {
                w[t][0] = sext16(vld1q_s32(wl + (size_t)t * 8));
                w[t][1] = sext16(vld1q_s32(wl + (size_t)t * 8 + 4));
            }
            for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
                int32x4_t a0 = ct0, a1 = ct1;
#pragma GCC unroll 5
                for (int fy = 0; fy < KH; fy++) {
                    const int32_t *in = r->rows[fy] + (size_t)g * 8 + (size_t)ox * step;
#pragma GCC unroll 5
                    for (int fx = 0; fx < KW; fx++) {
                        a0 = vmlaq_s32(a0, vld1q_s32(in + (size_t)fx * dil), w[fy * KW + fx][0]);
                        a1 = vmlaq_s32(a1, vld1q_s32(in + (size_t)fx * dil + 4), w[fy * KW + fx][1]);
                    }
                }
                requant_i8_neon_store(y, requant_i8_neon_bytes(requant_i8_neon(a0, &q0, &ro), requant_i8_neon(a1, &q1, &ro)),
                                      last);
            }
        } else {
            for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
                int32x4_t a0 = ct0, a1 = ct1;
                for (int fy = 0; fy < kh; fy++) {
                    const int32_t *in = r->rows[fy] + (size_t)g * 8 + (size_t)ox * step;
                    const int32_t *wr = wl + (size_t)fy * (size_t)kw * 8;
                    for (int fx = 0; fx < kw; fx++) {
                        a0 = vmlaq_s32(a0, vld1q_s32(in + (size_t)fx * dil), sext16(vld1q_s32(wr + (size_t)fx * 8)));
                        a1 = vmlaq_s32(a1, vld1q_s32(in + (size_t)fx * dil + 4), sext16(vld1q_s32(wr + (size_t)fx * 8 + 4)));
                    }
                }
                requant_i8_neon_store(y, requant_i8_neon_bytes(requant_i8_neon(a0, &q0, &ro), requant_i8_neon(a1, &q1, &ro)),
                                      last);
            }
        }
    }
}

static void row_3x3(const dw_i8_row *r) { row_taps(r, 3, 3); }
static void row_5x5(const dw_i8_row *r) { row_taps(r, 5, 5); }
static void row_any(const dw_i8_row *r) { row_taps(r, 0, 0); }

void dw_i8_row__neon(const dw_i8_row *r) {
    if (r->kh == 3 && r->kw == 3)
        row_3x3(r);
    else if (r->kh == 5 && r->kw == 5)
        row_5x5(r);
    else
        row_any(r);
}

void dw_i8_widen__neon(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero) {
    const int32x4_t z = vdupq_n_s32(zero);
    size_t i = 0;
    if (is_unsigned) {
        for (; i + 8 <= n; i += 8) {
            const int16x8_t v = vreinterpretq_s16_u16(vmovl_u8(vld1_u8(src + i)));
            vst1q_s32(dst + i, vsubq_s32(vmovl_s16(vget_low_s16(v)), z));
            vst1q_s32(dst + i + 4, vsubq_s32(vmovl_high_s16(v), z));
        }
    } else {
        for (; i + 8 <= n; i += 8) {
            const int16x8_t v = vmovl_s8(vld1_s8((const int8_t *)(const void *)(src + i)));
            vst1q_s32(dst + i, vsubq_s32(vmovl_s16(vget_low_s16(v)), z));
            vst1q_s32(dst + i + 4, vsubq_s32(vmovl_high_s16(v), z));
        }
    }
    for (; i < n; i++) dst[i] = (is_unsigned ? (int32_t)src[i] : (int32_t)(int8_t)src[i]) - zero;
}
