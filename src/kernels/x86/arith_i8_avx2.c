/* arith_i8_avx2.c — int8/uint8 ADD and SUB on 8 lanes per step (arith_i8_opt.h), with the
 * reference rescaling (requant_i8_avx2.h). */
#include <immintrin.h>

#include "kernels/arith_i8_opt.h"
#include "kernels/x86/requant_i8_avx2.h"

static inline __m256i load8(const uint8_t *p, int is_unsigned) {
    const __m128i v = _mm_loadl_epi64((const __m128i *)(const void *)p);
    return is_unsigned ? _mm256_cvtepu8_epi32(v) : _mm256_cvtepi8_epi32(v);
}

static inline __attribute__((always_inline)) __m128i step(const arith_i8_block *b, const uint8_t *x,
                                                          const uint8_t *y, int is_unsigned, int sub) {
    const __m256i xo = _mm256_set1_epi32(b->x_offset), yo = _mm256_set1_epi32(b->y_offset);
    const __m128i ls = _mm_cvtsi32_si128(b->left_shift);
    const __m256i zp = _mm256_set1_epi32(b->out.zero_point);
    const __m256i lo = _mm256_set1_epi32(b->out.act_min), hi = _mm256_set1_epi32(b->out.act_max);
    const __m256i xv = _mm256_sll_epi32(_mm256_add_epi32(load8(x, is_unsigned), xo), ls);
    const __m256i yv = _mm256_sll_epi32(_mm256_add_epi32(load8(y, is_unsigned), yo), ls);
    const __m256i sx = requant_i8_8(xv, b->rx8), sy = requant_i8_8(yv, b->ry8);
    const __m256i raw = sub ? _mm256_sub_epi32(sx, sy) : _mm256_add_epi32(sx, sy);
    return requant_i8_low_bytes(requant_i8_8_out(raw, b->ro8, zp, lo, hi));
}

static inline __attribute__((always_inline)) void run(const arith_i8_block *b, int is_unsigned, int sub) {
    size_t i = 0;
    for (; i + 8 <= b->n; i += 8) _mm_storel_epi64((__m128i *)(void *)(b->z + i), step(b, b->x + i, b->y + i, is_unsigned, sub));
    if (i < b->n) {
        uint8_t xs[8] = {0}, ys[8] = {0}, zs[16];
        memcpy(xs, b->x + i, b->n - i);
        memcpy(ys, b->y + i, b->n - i);
        _mm_storeu_si128((__m128i *)(void *)zs, step(b, xs, ys, is_unsigned, sub));
        memcpy(b->z + i, zs, b->n - i);
    }
}

void arith_i8_add__avx2(const arith_i8_block *b) {
    if (b->is_unsigned)
        b->sub ? run(b, 1, 1) : run(b, 1, 0);
    else
        b->sub ? run(b, 0, 1) : run(b, 0, 0);
}
