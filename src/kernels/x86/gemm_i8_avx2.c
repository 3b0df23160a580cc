/* gemm_i8_avx2.c — int8/uint8 GEMM microkernels for AVX2: tiles of up to 4 rows by 2 groups of
 * 8 columns on the I16 layout of gemm_i8.h (operands widened to int16 with their zero points
 * subtracted, vpmaddwd: no saturation possible), with the reference requantization. */
#include <immintrin.h>

#include "kernels/gemm_i8.h"
#include "kernels/x86/requant_i8_avx2.h"

static inline uint32_t load_u32(const void *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) void tile(const gemm_i8_tile *t, const int MR, const int NV) {
    __m256i acc[GEMM_I8_AVX2_MR][GEMM_I8_AVX2_NV];
    const uint8_t *a[GEMM_I8_AVX2_MR];
    const uint8_t *b[GEMM_I8_AVX2_NV];
#pragma GCC unroll 8
    for (int j = 0; j < NV; j++) {
        const uint8_t *g = t->w + (size_t)j * t->w_stride;
        b[j] = g + sizeof(gemm_i8_rq8);
        const __m256i ct = _mm256_load_si256((const __m256i *)(const void *)g);
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) acc[r][j] = ct;
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; r++) a[r] = (const uint8_t *)t->a + (size_t)r * t->a_stride;
    for (int32_t k = 0; k < t->kp; k += 2) {
        __m256i bv[GEMM_I8_AVX2_NV];
#pragma GCC unroll 8
        for (int j = 0; j < NV; j++) bv[j] = _mm256_load_si256((const __m256i *)(const void *)(b[j] + (size_t)k * 16));
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            const __m256i av = _mm256_set1_epi32((int)load_u32(a[r] + (size_t)k * 2));
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++) acc[r][j] = _mm256_add_epi32(acc[r][j], _mm256_madd_epi16(av, bv[j]));
        }
    }
    const gemm_i8_out *o = t->out;
    const int last = t->nc - (NV - 1) * 8;
    if (o->out32) {
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            int32_t *c = (int32_t *)(void *)((uint8_t *)t->c + (size_t)r * t->c_stride);
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++) {
                if (j < NV - 1 || last == 8) {
                    _mm256_storeu_si256((__m256i *)(void *)(c + j * 8), acc[r][j]);
                } else {
                    int32_t tmp[8];
                    _mm256_storeu_si256((__m256i *)(void *)tmp, acc[r][j]);
                    memcpy(c + j * 8, tmp, (size_t)last * sizeof(int32_t));
                }
            }
        }
        return;
    }
    const __m256i zp = _mm256_set1_epi32(o->zero_point);
    const __m256i lo = _mm256_set1_epi32(o->act_min), hi = _mm256_set1_epi32(o->act_max);
#pragma GCC unroll 8
    for (int j = 0; j < NV; j++) {
        const gemm_i8_rq8 *p = (const gemm_i8_rq8 *)(const void *)(t->w + (size_t)j * t->w_stride);
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            const __m128i bytes = requant_i8_low_bytes(requant_i8_8_out(acc[r][j], p, zp, lo, hi));
            uint8_t *c = (uint8_t *)t->c + (size_t)r * t->c_stride + (size_t)j * 8;
            if (j < NV - 1 || last == 8) {
                _mm_storel_epi64((__m128i *)(void *)c, bytes);
            } else {
                uint8_t tmp[16];
                _mm_storeu_si128((__m128i *)(void *)tmp, bytes);
                memcpy(c, tmp, (size_t)last);
            }
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

void gemm_i8_tile__avx2(const gemm_i8_tile *t) {
    static void (*const fns[GEMM_I8_AVX2_MR][GEMM_I8_AVX2_NV])(const gemm_i8_tile *) = {
        {tile_1x1, tile_1x2}, {tile_2x1, tile_2x2}, {tile_3x1, tile_3x2}, {tile_4x1, tile_4x2}};
    fns[t->mr - 1][t->nv - 1](t);
}

void gemm_i8_widen__avx2(int16_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero) {
    const __m256i z = _mm256_set1_epi16((short)zero);
    size_t i = 0;
    if (is_unsigned)
        for (; i + 16 <= n; i += 16)
            _mm256_storeu_si256((__m256i *)(void *)(dst + i),
                                _mm256_sub_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(src + i))), z));
    else
        for (; i + 16 <= n; i += 16)
            _mm256_storeu_si256((__m256i *)(void *)(dst + i),
                                _mm256_sub_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(src + i))), z));
    for (; i < n; i++) dst[i] = (int16_t)((is_unsigned ? (int32_t)src[i] : (int32_t)(int8_t)src[i]) - zero);
}
