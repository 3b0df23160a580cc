/* requant_i8_avx512.h — the reference requantization (MultiplyByQuantizedMultiplier per
 * channel, gemm_i8_rq16 constants) on 16 int32 lanes, for the AVX-512 int8 kernels. Include
 * only from files compiled for AVX-512. */
#ifndef MOTE_KERNELS_X86_REQUANT_I8_AVX512_H
#define MOTE_KERNELS_X86_REQUANT_I8_AVX512_H

#include <immintrin.h>

#include "kernels/gemm_i8.h"

/* MultiplyByQuantizedMultiplier on 16 int32 sums, per channel (gemm_i8_rq16): the left shift,
 * then p = x * m in 64 bits for even and odd channels apart, rounded and shifted once:
 * (p + add - (p < -2^30 ? fix : 0)) >> (31 + r). */
static inline __m512i requant_i8_16(__m512i acc, const gemm_i8_rq16 *p) {
    const __m512i x = _mm512_sllv_epi32(acc, _mm512_load_si512(p->left));
    const __m512i lim = _mm512_set1_epi64(-(INT64_C(1) << 30));
    __m512i pe = _mm512_mul_epi32(x, _mm512_load_si512(p->mult));
    __m512i po = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_load_si512(p->mult_odd));
    const __mmask8 ne = _mm512_cmplt_epi64_mask(pe, lim), no = _mm512_cmplt_epi64_mask(po, lim);
    pe = _mm512_add_epi64(pe, _mm512_load_si512(p->add_even));
    po = _mm512_add_epi64(po, _mm512_load_si512(p->add_odd));
    pe = _mm512_mask_sub_epi64(pe, ne, pe, _mm512_load_si512(p->fix_even));
    po = _mm512_mask_sub_epi64(po, no, po, _mm512_load_si512(p->fix_odd));
    pe = _mm512_srav_epi64(pe, _mm512_load_si512(p->shift_even));
    po = _mm512_srav_epi64(po, _mm512_load_si512(p->shift_odd));
    /* Low halves of the even results and of the odd ones, interleaved back. */
    const __m512i idx = _mm512_set_epi32(30, 14, 28, 12, 26, 10, 24, 8, 22, 6, 20, 4, 18, 2, 16, 0);
    return _mm512_permutex2var_epi32(pe, idx, po);
}

/* requant_i8_16, the output zero point added and the clamp applied (clamped to
 * [lo - zp, hi - zp] first, as requant_i8_8_out: no int32 add that could wrap). */
static inline __m512i requant_i8_16_out(__m512i acc, const gemm_i8_rq16 *p, __m512i zp, __m512i lo, __m512i hi) {
    const __m512i v = requant_i8_16(acc, p);
    const __m512i c = _mm512_min_epi32(_mm512_max_epi32(v, _mm512_sub_epi32(lo, zp)), _mm512_sub_epi32(hi, zp));
    return _mm512_add_epi32(c, zp);
}

#endif /* MOTE_KERNELS_X86_REQUANT_I8_AVX512_H */
