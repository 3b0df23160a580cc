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

/* One tile of MR rows by NV groups (MR, NV constants after inlining). */
static inline __attribute__((always_inline)) void tile(const gemm_i8_tile *t, const int MR, const int NV) {
    __m512i acc[GEMM_I8_VNNI_MR][GEMM_I8_VNNI_NV];
    const uint8_t *a[GEMM_I8_VNNI_MR];
    const uint8_t *b[GEMM_I8_VNNI_NV];
#pragma GCC unroll 8
    for (int j = 0; j < NV; j++) {
        const uint8_t *g = t->w + (size_t)j * t->w_stride;
        b[j] = g + sizeof(gemm_i8_rq16);
        const __m512i ct = _mm512_load_si512(((const gemm_i8_rq16 *)(const void *)g)->colterm);
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) acc[r][j] = ct;
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; r++) {
        a[r] = (const uint8_t *)t->a + (size_t)r * t->a_stride;
        if (t->row_corr) {
            const __m512i rc = _mm512_set1_epi32(t->row_corr[r]);
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++) acc[r][j] = _mm512_add_epi32(acc[r][j], rc);
        }
    }
    for (int32_t k = 0; k < t->kp; k += 4) {
        __m512i bv[GEMM_I8_VNNI_NV];
#pragma GCC unroll 8
        for (int j = 0; j < NV; j++) bv[j] = _mm512_load_si512(b[j] + (size_t)k * 16);
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            const __m512i av = _mm512_set1_epi32((int)load_u32(a[r] + k));
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], av, bv[j]);
        }
    }
    const gemm_i8_out *o = t->out;
    const int last = t->nc - (NV - 1) * 16;
    const __mmask16 last_mask = (__mmask16)(last >= 16 ? 0xFFFF : (1u << last) - 1);
    if (o->out32) {
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            int32_t *c = (int32_t *)(void *)((uint8_t *)t->c + (size_t)r * t->c_stride);
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++)
                _mm512_mask_storeu_epi32(c + j * 16, j == NV - 1 ? last_mask : 0xFFFF, acc[r][j]);
        }
        return;
    }
    const __m512i zp = _mm512_set1_epi32(o->zero_point);
    const __m512i lo = _mm512_set1_epi32(o->act_min), hi = _mm512_set1_epi32(o->act_max);
#pragma GCC unroll 8
    for (int j = 0; j < NV; j++) {
        const gemm_i8_rq16 *p = (const gemm_i8_rq16 *)(const void *)(t->w + (size_t)j * t->w_stride);
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            const __m512i v = requant_i8_16_out(acc[r][j], p, zp, lo, hi);
            uint8_t *c = (uint8_t *)t->c + (size_t)r * t->c_stride + (size_t)j * 16;
            _mm512_mask_cvtepi32_storeu_epi8(c, j == NV - 1 ? last_mask : 0xFFFF, v);
        }
    }
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
