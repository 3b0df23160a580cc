/* requant_i8_avx2.h — the reference requantization (MultiplyByQuantizedMultiplier per
 * channel, gemm_i8_rq8 constants) on 8 int32 lanes, for the AVX2 int8 kernels. Include only
 * from files compiled for AVX2. */
#ifndef MOTE_KERNELS_X86_REQUANT_I8_AVX2_H
#define MOTE_KERNELS_X86_REQUANT_I8_AVX2_H

#include <immintrin.h>

#include "kernels/gemm_i8.h"

/* MultiplyByQuantizedMultiplier on 8 int32 sums, per channel (gemm_i8_rq8): the wrapping left
 * shift; the rounding doubling high multiply (p + 2^30) >> 31 in 64-bit lanes, even and odd
 * channels apart; then the rounding right shift, halves away from zero. */
static inline __m256i requant_i8_8(__m256i acc, const gemm_i8_rq8 *p) {
    const __m256i x = _mm256_sllv_epi32(acc, _mm256_load_si256((const __m256i *)(const void *)p->left));
    const __m256i m = _mm256_load_si256((const __m256i *)(const void *)p->mult);
    const __m256i round = _mm256_set1_epi64x(INT64_C(1) << 30);
    const __m256i pe = _mm256_add_epi64(_mm256_mul_epi32(x, m), round);
    const __m256i po = _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(m, 32)), round);
    /* Bits 31..62 of each product: into the low half (even) or the high half (odd). */
    const __m256i v = _mm256_blend_epi32(_mm256_srli_epi64(pe, 31), _mm256_slli_epi64(po, 1), 0xAA);
    const __m256i rem = _mm256_and_si256(v, _mm256_load_si256((const __m256i *)(const void *)p->mask));
    const __m256i thr = _mm256_sub_epi32(_mm256_load_si256((const __m256i *)(const void *)p->half),
                                         _mm256_srai_epi32(v, 31));
    const __m256i q = _mm256_srav_epi32(v, _mm256_load_si256((const __m256i *)(const void *)p->right));
    return _mm256_sub_epi32(q, _mm256_cmpgt_epi32(rem, thr));
}

/* The low bytes of 8 int32 lanes (already clamped to the output type's range). */
static inline __m128i requant_i8_low_bytes(__m256i v) {
    const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8,
                                          12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i b = _mm256_shuffle_epi8(v, pick);
    return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1)));
}

/* requant_i8_8, the output zero point added and the clamp applied. The reference adds the
 * zero point in 64 bits; clamping to [lo - zp, hi - zp] before adding it gives the same
 * result without an int32 add that could wrap (uint8 zero points reach 255). */
static inline __m256i requant_i8_8_out(__m256i acc, const gemm_i8_rq8 *p, __m256i zp, __m256i lo, __m256i hi) {
    const __m256i v = requant_i8_8(acc, p);
    const __m256i c = _mm256_min_epi32(_mm256_max_epi32(v, _mm256_sub_epi32(lo, zp)), _mm256_sub_epi32(hi, zp));
    return _mm256_add_epi32(c, zp);
}

#endif /* MOTE_KERNELS_X86_REQUANT_I8_AVX2_H */
