/* depthwise_i8_avx512vnni.c — int8/uint8 DEPTHWISE_CONV_2D for AVX-512 VNNI on the quad
 * layout (depthwise_i8_opt.h): ring rows of 4-pixel byte lanes built from the input rows, then
 * one vpdpbusd per 4 taps of a kernel row and 16 channels, the reference requantization. */
#include <immintrin.h>

#include "kernels/depthwise_i8_opt.h"
#include "kernels/x86/requant_i8_avx512.h"

/* c += dot(u, v) in place (see gemm_i8_avx512vnni.c). */
static inline __attribute__((always_inline)) __m512i dpbusd(__m512i c, __m512i u, __m512i v) {
    __asm__("vpdpbusd %2, %1, %0" : "+v"(c) : "v"(u), "v"(v));
    return c;
}

void dw_i8_quads__avx512vnni(uint8_t *dst, const uint8_t *src, const dw_i8_quads *q) {
    const int32_t width = q->ring_width + 3; /* padded pixels of the byte rows */
    const __m128i zu = _mm_set1_epi8((char)q->zu), flip = _mm_set1_epi8((char)q->flip);
    const __m128i zu_flipped = _mm_xor_si128(zu, flip);
    /* First the padded bytes u of each group: tmp[g][p][16]; channels past the range hold zu.
     * Pixels in the outer loop: the input row is read in order. */
    const size_t gstride = (size_t)width * 16;
    const int32_t full = q->channels / 16; /* groups without missing channels */
    const int32_t cg = q->channels - 16 * full;
    const __mmask16 mask = (__mmask16)((1u << cg) - 1);
    const int32_t x0 = q->pad_left, x1 = q->pad_left + q->in_w; /* padded pixels of the input */
    for (int32_t p = 0; p < width; p++) {
        uint8_t *bp = q->tmp + (size_t)p * 16;
        if (p < x0 || p >= x1) {
            for (int32_t g = 0; g < q->groups; g++) _mm_storeu_si128((__m128i *)(void *)(bp + (size_t)g * gstride), zu);
            continue;
        }
        const uint8_t *s = src + (size_t)(p - x0) * q->src_stride;
        int32_t g = 0;
        for (; g < full; g++)
            _mm_storeu_si128((__m128i *)(void *)(bp + (size_t)g * gstride),
                             _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(s + (size_t)g * 16)), flip));
        if (g < q->groups)
            _mm_storeu_si128((__m128i *)(void *)(bp + (size_t)g * gstride),
                             _mm_xor_si128(_mm_mask_loadu_epi8(zu_flipped, mask, s + (size_t)g * 16), flip));
    }
    /* Then the lanes: 64 bytes at pixel p hold pixels p .. p + 3 of 16 channels; a transpose of
     * 4-byte words across the 128-bit lanes, then of bytes within each. */
    const __m512i words = _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i bytes = _mm512_broadcast_i32x4(_mm_set_epi8(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0));
    for (int32_t p = 0; p < q->ring_width; p++)
        for (int32_t g = 0; g < q->groups; g++) {
            const uint8_t *bg = q->tmp + ((size_t)g * (size_t)width + (size_t)p) * 16;
            __m512i v = _mm512_loadu_si512(bg);
            v = _mm512_shuffle_epi8(_mm512_permutexvar_epi32(words, v), bytes);
            _mm512_storeu_si512(dst + ((size_t)p * (size_t)q->groups + (size_t)g) * 64, v);
        }
}

/* One output row for KH kernel rows of Q lanes (constants after inlining, or 0: from r). */
static inline __attribute__((always_inline)) void row_quads(const dw_i8_row *r, const int KH, const int Q) {
    const int kh = KH ? KH : r->kh, nq = Q ? Q : (r->kw + 3) / 4;
    const size_t lanes = r->pixel_lanes;
    const size_t step = (size_t)r->stride_w * lanes, qstep = 4 * lanes;
    const int32_t groups = (r->channels + 15) / 16;
    const __m512i zp = _mm512_set1_epi32(r->out->zero_point);
    const __m512i lo = _mm512_set1_epi32(r->out->act_min), hi = _mm512_set1_epi32(r->out->act_max);
    for (int32_t g = 0; g < groups; g++) {
        const uint8_t *base = r->w + (size_t)g * r->w_stride;
        const gemm_i8_rq16 *p = (const gemm_i8_rq16 *)(const void *)base;
        const int32_t *wl = (const int32_t *)(const void *)(base + sizeof *p); /* [kh][nq][16] */
        const int last = r->channels - g * 16;
        const __mmask16 mask = (__mmask16)(last >= 16 ? 0xFFFF : (1u << last) - 1);
        const __m512i ct = _mm512_load_si512(p->colterm);
        uint8_t *y = r->y + (size_t)g * 16;
        if (KH && Q) {
            __m512i w[KH * Q];
            const int32_t *rows[KH];
#pragma GCC unroll 16
            for (int t = 0; t < KH * Q; t++) w[t] = _mm512_load_si512(wl + (size_t)t * 16);
#pragma GCC unroll 8
            for (int fy = 0; fy < KH; fy++) rows[fy] = r->rows[fy] + (size_t)g * 16;
            for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
                __m512i acc = ct;
#pragma GCC unroll 8
                for (int fy = 0; fy < KH; fy++) {
                    const int32_t *in = rows[fy] + (size_t)ox * step;
#pragma GCC unroll 4
                    for (int qi = 0; qi < Q; qi++) acc = dpbusd(acc, _mm512_loadu_si512(in + (size_t)qi * qstep), w[fy * Q + qi]);
                }
                _mm512_mask_cvtepi32_storeu_epi8(y, mask, requant_i8_16_out(acc, p, zp, lo, hi));
            }
        } else {
            for (int32_t ox = 0; ox < r->out_w; ox++, y += r->y_stride) {
                __m512i acc = ct;
                for (int fy = 0; fy < kh; fy++) {
                    const int32_t *in = r->rows[fy] + (size_t)g * 16 + (size_t)ox * step;
                    for (int qi = 0; qi < nq; qi++)
                        acc = dpbusd(acc, _mm512_loadu_si512(in + (size_t)qi * qstep),
                                     _mm512_load_si512(wl + (size_t)(fy * nq + qi) * 16));
                }
                _mm512_mask_cvtepi32_storeu_epi8(y, mask, requant_i8_16_out(acc, p, zp, lo, hi));
            }
        }
    }
}

static void row_3x3(const dw_i8_row *r) { row_quads(r, 3, 1); }
static void row_5x5(const dw_i8_row *r) { row_quads(r, 5, 2); }
static void row_any(const dw_i8_row *r) { row_quads(r, 0, 0); }

void dw_i8_row__avx512vnni(const dw_i8_row *r) {
    if (r->kh == 3 && r->kw == 3)
        row_3x3(r);
    else if (r->kh == 5 && r->kw == 5)
        row_5x5(r);
    else
        row_any(r);
}
