/* depthwise_i8_avx512.c — int8/uint8 DEPTHWISE_CONV_2D row kernels for AVX-512: 16 channels
 * per vector, one vpmaddwd per window tap on the widened ring (depthwise_i8_opt.h), the
 * reference requantization. 3x3 and 5x5 windows have their taps unrolled. */
#include <immintrin.h>

#include "kernels/depthwise_i8_opt.h"
#include "kernels/x86/requant_i8_avx512.h"

/* One output row for windows of KH x KW taps (constants after inlining, or 0: read from r). */
static inline __attribute__((always_inline)) void row_taps(const dw_i8_row *r, const int KH, const int KW) {
    const int kh = KH ? KH : r->kh, kw = KW ? KW : r->kw;
    const size_t lanes = r->pixel_lanes;
    const size_t step = (size_t)r->stride_w * lanes, dil = (size_t)r->dilation_w * lanes;
    const int32_t groups = (r->channels + 15) / 16;
    const __m512i zp = _mm512_set1_epi32(r->out->zero_point);
    const __m512i lo = _mm512_set1_epi32(r->out->act_min), hi = _mm512_set1_epi32(r->out->act_max);
    for (int32_t g = 0; g < groups; g++) {
        const uint8_t *base = r->w + (size_t)g * r->w_stride;
        const gemm_i8_rq16 *p = (const gemm_i8_rq16 *)(const void *)base;
        const int32_t *wl = (const int32_t *)(const void *)(base + sizeof *p);
        const int last = r->channels - g * 16;
        const __mmask16 mask = (__mmask16)(last >= 16 ? 0xFFFF : (1u << last) - 1);
        const __m512i ct = _mm512_load_si512(p->colterm);
        uint8_t *y = r->y + (size_t)g * 16;
        if (KH && KW) {
            __m512i w[25];
            const int32_t *rows[5];
#pragma GCC unroll 25
            for (int t = 0; t < KH * KW; t++) w[t] = _mm512_load_si512(wl + (size_t)t * 16);
#pragma GCC unroll 5
            for (int fy = 0; fy < KH; fy++) rows[fy] = r->rows[fy] + (size_t)g * 16;
            for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
                __m512i acc = ct;
#pragma GCC unroll 5
                for (int fy = 0; fy < KH; fy++) {
                    const int32_t *in = rows[fy] + (size_t)ox * step;
#pragma GCC unroll 5
                    for (int fx = 0; fx < KW; fx++)
                        acc = _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_load_si512(in + (size_t)fx * dil),
                                                                      w[fy * KW + fx]));
                }
                _mm512_mask_cvtepi32_storeu_epi8(y, mask, requant_i8_16_out(acc, p, zp, lo, hi));
            }
        } else {
            for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
                __m512i acc = ct;
                for (int fy = 0; fy < kh; fy++) {
                    const int32_t *in = r->rows[fy] + (size_t)g * 16 + (size_t)ox * step;
                    for (int fx = 0; fx < kw; fx++)
                        acc = _mm512_add_epi32(
                            acc, _mm512_madd_epi16(_mm512_load_si512(in + (size_t)fx * dil),
                                                   _mm512_load_si512(wl + (size_t)(fy * kw + fx) * 16)));
                }
                _mm512_mask_cvtepi32_storeu_epi8(y, mask, requant_i8_16_out(acc, p, zp, lo, hi));
            }
        }
    }
}

static void row_3x3(const dw_i8_row *r) { row_taps(r, 3, 3); }
static void row_5x5(const dw_i8_row *r) { row_taps(r, 5, 5); }
static void row_any(const dw_i8_row *r) { row_taps(r, 0, 0); }

void dw_i8_row__avx512(const dw_i8_row *r) {
    if (r->kh == 3 && r->kw == 3)
        row_3x3(r);
    else if (r->kh == 5 && r->kw == 5)
        row_5x5(r);
    else
        row_any(r);
}

void dw_i8_widen__avx512(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero) {
    const __m512i z = _mm512_set1_epi32(zero);
    size_t i = 0;
    if (is_unsigned)
        for (; i + 16 <= n; i += 16)
            _mm512_storeu_si512(dst + i, _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(src + i))), z));
    else
        for (; i + 16 <= n; i += 16)
            _mm512_storeu_si512(dst + i, _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(src + i))), z));
    for (; i < n; i++) dst[i] = (is_unsigned ? (int32_t)src[i] : (int32_t)(int8_t)src[i]) - zero;
}
