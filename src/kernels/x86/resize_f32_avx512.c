/* resize_f32_avx512.c — RESIZE_BILINEAR float32 rows with AVX-512 (see resize_f32_opt.h).
 * Each output is p00 wy0 wx0 + p10 dy wx0 + p01 wy0 wx1 + p11 dy wx1 multiplied and added
 * left to right without fused multiply-adds, as the reference computes it; the last block
 * of fewer than 16 channels is masked (deeplabv3's 21 classes: 16 + 5) instead of going
 * one channel at a time. */
#include <immintrin.h>

#include "kernels/resize_f32_opt.h"

static inline __m512 bilinear16(const float *p00, const float *p10, const float *p01, const float *p11,
                                __mmask16 m, __m512 wy0, __m512 dy, __m512 wx0, __m512 wx1) {
    const __m512 a = _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, p00), wy0), wx0);
    const __m512 b = _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, p10), dy), wx0);
    const __m512 c = _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, p01), wy0), wx1);
    const __m512 d = _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, p11), dy), wx1);
    return _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a, b), c), d);
}

void resize_bilinear_row_f32__avx512(const float *top, const float *bottom, const bilinear_column *cols,
                                     size_t out_w, size_t channels, float wy0, float dy, float *out) {
    const __m512 vwy0 = _mm512_set1_ps(wy0), vdy = _mm512_set1_ps(dy);
    const size_t tail = channels % 16;
    const __mmask16 tail_mask = (__mmask16)((1u << tail) - 1u);
    for (size_t ox = 0; ox < out_w; ox++) {
        const bilinear_column *col = &cols[ox];
        const float *p00 = top + col->at0, *p10 = bottom + col->at0;
        const float *p01 = top + col->at1, *p11 = bottom + col->at1;
        const __m512 wx0 = _mm512_set1_ps(col->w0), wx1 = _mm512_set1_ps(col->w1);
        size_t c = 0;
        for (; c + 16 <= channels; c += 16)
            _mm512_storeu_ps(out + c, bilinear16(p00 + c, p10 + c, p01 + c, p11 + c, 0xffff, vwy0, vdy, wx0, wx1));
        if (tail)
            _mm512_mask_storeu_ps(out + c, tail_mask,
                                  bilinear16(p00 + c, p10 + c, p01 + c, p11 + c, tail_mask, vwy0, vdy, wx0, wx1));
        out += channels;
    }
}
