/* arith_i8_avx512.c — int8/uint8 ADD and SUB on 16 lanes per step (arith_i8_opt.h), with the
 * reference rescaling (requant_i8_avx512.h). */
#include <immintrin.h>

#include "kernels/arith_i8_opt.h"
#include "kernels/x86/requant_i8_avx512.h"

static inline __m512i load16(const uint8_t *p, __mmask16 m, int is_unsigned) {
    const __m128i v = _mm_maskz_loadu_epi8(m, p);
    return is_unsigned ? _mm512_cvtepu8_epi32(v) : _mm512_cvtepi8_epi32(v);
}

static inline __attribute__((always_inline)) void step(const arith_i8_block *b, size_t i, __mmask16 m,
                                                       int is_unsigned, int sub) {
    const __m512i xo = _mm512_set1_epi32(b->x_offset), yo = _mm512_set1_epi32(b->y_offset);
    const __m128i ls = _mm_cvtsi32_si128(b->left_shift);
    const __m512i zp = _mm512_set1_epi32(b->out.zero_point);
    const __m512i lo = _mm512_set1_epi32(b->out.act_min), hi = _mm512_set1_epi32(b->out.act_max);
    const __m512i x = _mm512_sll_epi32(_mm512_add_epi32(load16(b->x + i, m, is_unsigned), xo), ls);
    const __m512i y = _mm512_sll_epi32(_mm512_add_epi32(load16(b->y + i, m, is_unsigned), yo), ls);
    const __m512i sx = requant_i8_16(x, b->rx), sy = requant_i8_16(y, b->ry);
    const __m512i raw = sub ? _mm512_sub_epi32(sx, sy) : _mm512_add_epi32(sx, sy);
    _mm512_mask_cvtepi32_storeu_epi8(b->z + i, m, requant_i8_16_out(raw, b->ro, zp, lo, hi));
}

static inline __attribute__((always_inline)) void run(const arith_i8_block *b, int is_unsigned, int sub) {
    size_t i = 0;
    for (; i + 16 <= b->n; i += 16) step(b, i, 0xFFFF, is_unsigned, sub);
    if (i < b->n) step(b, i, (__mmask16)((1u << (b->n - i)) - 1), is_unsigned, sub);
}

void arith_i8_add__avx512(const arith_i8_block *b) {
    if (b->is_unsigned)
        b->sub ? run(b, 1, 1) : run(b, 1, 0);
    else
        b->sub ? run(b, 0, 1) : run(b, 0, 0);
}
