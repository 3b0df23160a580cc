/* gemm_i8_avx512vnni.c — int8/uint8 GEMM microkernels for AVX-512 VNNI: tiles of up to 6 rows
 * by 4 groups of 16 columns, vpdpbusd on the VNNI layout of gemm_i8.h, with the reference
 * requantization done exactly in 64-bit lanes. */
#include <immintrin.h>

#include "kernels/gemm_i8.h"
#include "kernels/x86/requant_i8_avx512.h"

static inline uint32_t load_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* c += dot(u, v) in place: the intrinsic makes some compilers copy the accumulator around
 * every instruction when many are live. */
static inline __attribute__((always_inline)) __m512i dpbusd(__m512i c, __m512i u, __m512i v) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(c) : "v"(u), "v"(v));
    return c;
}

/* Every (row, group) pair of the largest tile; the accumulators are named variables (an
 * array of vectors is kept in memory by some compilers), unused ones vanish after inlining. */
#define FOR_RJ(X) X(0, 0) X(0, 1) X(0, 2) X(0, 3) X(1, 0) X(1, 1) X(1, 2) X(1, 3) X(2, 0) X(2, 1) X(2, 2) X(2, 3) X(3, 0) X(3, 1) X(3, 2) X(3, 3) X(4, 0) X(4, 1) X(4, 2) X(4, 3) X(5, 0) X(5, 1) X(5, 2) X(5, 3)
#define FOR_R(X) X(0) X(1) X(2) X(3) X(4) X(5)
#define FOR_J(X) X(0) X(1) X(2) X(3)

/* One tile of MR rows by NV groups (MR, NV constants after inlining). */
static inline __attribute__((always_inline)) void tile(const gemm_i8_tile *t, const int MR, const int NV) {
    const uint8_t *const a0 = (const uint8_t *)t->a;
    const size_t as = t->a_stride;
    const uint32_t ax = t->a_xor;
#define DECL_B(j) const uint8_t *const b##j = t->w + (size_t)(j < NV ? j : 0) * t->w_stride + sizeof(gemm_i8_rq16);
    FOR_J(DECL_B)
#undef DECL_B
#define DECL_CT(j) const __m512i ct##j = _mm512_load_si512(((const gemm_i8_rq16 *)(const void *)(b##j - sizeof(gemm_i8_rq16)))->colterm);
    FOR_J(DECL_CT)
#undef DECL_CT
#define DECL_RC(r) const __m512i rc##r = t->row_corr && r < MR ? _mm512_set1_epi32(t->row_corr[r]) : _mm512_setzero_si512();
    FOR_R(DECL_RC)
#undef DECL_RC
#define DECL_ACC(r, j) __m512i c##r##j = _mm512_add_epi32(ct##j, rc##r);
    FOR_RJ(DECL_ACC)
#undef DECL_ACC
    for (int32_t k = 0; k < t->kp; k += 4) {
#define LOAD_B(j) const __m512i w##j = j < NV ? _mm512_load_si512(b##j + (size_t)k * 16) : _mm512_setzero_si512();
        FOR_J(LOAD_B)
#undef LOAD_B
#define ROW(r)                                                                               \
        if (r < MR) {                                                                        \
            const __m512i av = _mm512_set1_epi32((int)(load_u32(a0 + (size_t)r * as + k) ^ ax));    \
            if (0 < NV) c##r##0 = dpbusd(c##r##0, av, w0);                      \
            if (1 < NV) c##r##1 = dpbusd(c##r##1, av, w1);                      \
            if (2 < NV) c##r##2 = dpbusd(c##r##2, av, w2);                      \
            if (3 < NV) c##r##3 = dpbusd(c##r##3, av, w3);                      \
        }
        FOR_R(ROW)
#undef ROW
    }
    const gemm_i8_out *o = t->out;
    const int last = t->nc - (NV - 1) * 16;
    const __mmask16 last_mask = (__mmask16)(last >= 16 ? 0xFFFF : (1u << last) - 1);
    if (o->out32) {
#define STORE32(r, j)                                                                                     \
        if (r < MR && j < NV)                                                                             \
            _mm512_mask_storeu_epi32((int32_t *)(void *)((uint8_t *)t->c + (size_t)r * t->c_stride) + j * 16, \
                                     j == NV - 1 ? last_mask : 0xFFFF, c##r##j);
        FOR_RJ(STORE32)
#undef STORE32
        return;
    }
    const __m512i zp = _mm512_set1_epi32(o->zero_point);
    const __m512i lo = _mm512_set1_epi32(o->act_min), hi = _mm512_set1_epi32(o->act_max);
#define RQ(r, j) requant_i8_16_out(c##r##j, (const gemm_i8_rq16 *)(const void *)(b##j - sizeof(gemm_i8_rq16)), zp, lo, hi)
    if (NV == 4 && last == 16) {
        /* 64 whole columns: the four vectors packed to bytes with saturating packs (exact: the
         * values are already clamped to the output type), one store per row. */
        const int is_unsigned = o->act_min >= 0; /* uint8 outputs always clamp at >= 0 */
        const __m512i order = _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0);
#define STORE64(r)                                                                                         \
        if (r < MR) {                                                                                      \
            const __m512i w01 = _mm512_packs_epi32(RQ(r, 0), RQ(r, 1));                                    \
            const __m512i w23 = _mm512_packs_epi32(RQ(r, 2), RQ(r, 3));                                    \
            const __m512i b = is_unsigned ? _mm512_packus_epi16(w01, w23) : _mm512_packs_epi16(w01, w23); \
            _mm512_storeu_si512((uint8_t *)t->c + (size_t)r * t->c_stride, _mm512_permutexvar_epi32(order, b)); \
        }
        FOR_R(STORE64)
#undef STORE64
        return;
    }
#define STORE8(r, j)                                                                                         \
    if (r < MR && j < NV)                                                                                    \
        _mm512_mask_cvtepi32_storeu_epi8((uint8_t *)t->c + (size_t)r * t->c_stride + (size_t)j * 16,         \
                                         j == NV - 1 ? last_mask : 0xFFFF,                                   \
                                         requant_i8_16_out(c##r##j, (const gemm_i8_rq16 *)(const void *)(b##j - sizeof(gemm_i8_rq16)), zp, lo, hi));
    FOR_RJ(STORE8)
#undef STORE8
#undef RQ
}

#define TILE(MR, NV) \
    static void tile_##MR##x##NV(const gemm_i8_tile *t) { tile(t, MR, NV); }
#define TILES(MR) TILE(MR, 1) TILE(MR, 2) TILE(MR, 3) TILE(MR, 4)
TILES(1)
TILES(2)
TILES(3)
TILES(4)
TILES(5)
TILES(6)

void gemm_i8_tile__avx512vnni(const gemm_i8_tile *t) {
    static void (*const fns[GEMM_I8_VNNI_MR][GEMM_I8_VNNI_NV])(const gemm_i8_tile *) = {
        {tile_1x1, tile_1x2, tile_1x3, tile_1x4}, {tile_2x1, tile_2x2, tile_2x3, tile_2x4},
        {tile_3x1, tile_3x2, tile_3x3, tile_3x4}, {tile_4x1, tile_4x2, tile_4x3, tile_4x4},
        {tile_5x1, tile_5x2, tile_5x3, tile_5x4}, {tile_6x1, tile_6x2, tile_6x3, tile_6x4}};
    fns[t->mr - 1][t->nv - 1](t);
}

void gemm_i8_xor_copy__avx512vnni(uint8_t *dst, const uint8_t *src, size_t n, uint8_t flip) {
    const __m512i f = _mm512_set1_epi8((char)flip);
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        _mm512_storeu_si512(dst + i, _mm512_xor_si512(_mm512_loadu_si512(src + i), f));
    if (i < n) {
        const __mmask64 m = (__mmask64)((UINT64_C(1) << (n - i)) - 1);
        _mm512_mask_storeu_epi8(dst + i, m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, src + i), f));
    }
}

uint32_t gemm_i8_row_sum__avx512vnni(const uint8_t *src, size_t n, uint8_t flip) {
    const __m512i f = _mm512_set1_epi8((char)flip), zero = _mm512_setzero_si512();
    __m512i acc = zero;
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        acc = _mm512_add_epi64(acc, _mm512_sad_epu8(_mm512_xor_si512(_mm512_loadu_si512(src + i), f), zero));
    if (i < n) {
        const __mmask64 m = (__mmask64)((UINT64_C(1) << (n - i)) - 1);
        const __m512i v = _mm512_maskz_mov_epi8(m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, src + i), f));
        acc = _mm512_add_epi64(acc, _mm512_sad_epu8(v, zero));
    }
    return (uint32_t)_mm512_reduce_add_epi64(acc);
}
