/* depthwise_i8_avx2.c — int8/uint8 DEPTHWISE_CONV_2D row kernels for AVX2: 8 channels per
 * vector, one vpmaddwd per window tap on the widened ring (depthwise_i8_opt.h), the reference
 * requantization. 3x3 windows have their taps unrolled. */
#include <immintrin.h>

#include "kernels/depthwise_i8_opt.h"
#include "kernels/x86/requant_i8_avx2.h"

static inline void store_bytes(uint8_t *y, __m128i bytes, int count) {
    if (count >= 8) {
        _mm_storel_epi64((__m128i *)(void *)y, bytes);
    } else {
        uint8_t tmp[16];
        _mm_storeu_si128((__m128i *)(void *)tmp, bytes);
        memcpy(y, tmp, (size_t)count);
    }
}

static inline __attribute__((always_inline)) void row_taps(const dw_i8_row *r, const int KH, const int KW) {
    const int kh = KH ? KH : r->kh, kw = KW ? KW : r->kw;
    const size_t lanes = r->pixel_lanes;
    const size_t step = (size_t)r->stride_w * lanes, dil = (size_t)r->dilation_w * lanes;
    const int32_t groups = (r->channels + 7) / 8;
    const __m256i zp = _mm256_set1_epi32(r->out->zero_point);
    const __m256i lo = _mm256_set1_epi32(r->out->act_min), hi = _mm256_set1_epi32(r->out->act_max);
    for (int32_t g = 0; g < groups; g++) {
        const uint8_t *base = r->w + (size_t)g * r->w_stride;
        const gemm_i8_rq8 *p = (const gemm_i8_rq8 *)(const void *)base;
        const int32_t *wl = (const int32_t *)(const void *)(base + sizeof *p);
        const int last = r->channels - g * 8;
        const __m256i ct = _mm256_load_si256((const __m256i *)(const void *)p->colterm);
        uint8_t *y = r->y + (size_t)g * 8;
        for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
            __m256i acc = ct;
            if (KH && KW) {
#pragma GCC unroll 5
                for (int fy = 0; fy < KH; fy++) {
                    const int32_t *in = r->rows[fy] + (size_t)g * 8 + (size_t)ox * step;
#pragma GCC unroll 5
                    for (int fx = 0; fx < KW; fx++)
                        acc = _mm256_add_epi32(
                            acc, _mm256_madd_epi16(_mm256_load_si256((const __m256i *)(const void *)(in + (size_t)fx * dil)),
                                                   _mm256_load_si256((const __m256i *)(const void *)(wl + (size_t)(fy * KW + fx) * 8))));
                }
            } else {
                for (int fy = 0; fy < kh; fy++) {
                    const int32_t *in = r->rows[fy] + (size_t)g * 8 + (size_t)ox * step;
                    for (int fx = 0; fx < kw; fx++)
                        acc = _mm256_add_epi32(
                            acc, _mm256_madd_epi16(_mm256_load_si256((const __m256i *)(const void *)(in + (size_t)fx * dil)),
                                                   _mm256_load_si256((const __m256i *)(const void *)(wl + (size_t)(fy * kw + fx) * 8))));
                }
            }
            store_bytes(y, requant_i8_low_bytes(requant_i8_8_out(acc, p, zp, lo, hi)), last);
        }
    }
}

static void row_3x3(const dw_i8_row *r) { row_taps(r, 3, 3); }
static void row_any(const dw_i8_row *r) { row_taps(r, 0, 0); }

void dw_i8_row__avx2(const dw_i8_row *r) {
    if (r->kh == 3 && r->kw == 3)
        row_3x3(r);
    else
        row_any(r);
}

void dw_i8_widen__avx2(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero) {
    const __m256i z = _mm256_set1_epi32(zero);
    size_t i = 0;
    if (is_unsigned)
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_si256((__m256i *)(void *)(dst + i),
                                _mm256_sub_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(src + i))), z));
    else
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_si256((__m256i *)(void *)(dst + i),
                                _mm256_sub_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(src + i))), z));
    for (; i < n; i++) dst[i] = (is_unsigned ? (int32_t)src[i] : (int32_t)(int8_t)src[i]) - zero;
}
