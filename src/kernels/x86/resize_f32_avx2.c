/* resize_f32_avx2.c — RESIZE_BILINEAR float32 rows with AVX2 (see resize_f32_opt.h): as
 * resize_f32_avx512.c on 8 channels at a time, the last block of fewer masked. */
#include <immintrin.h>

#include "kernels/resize_f32_opt.h"

static inline __m256 bilinear8(const float *p00, const float *p10, const float *p01, const float *p11, __m256i m,
                               int full, __m256 wy0, __m256 dy, __m256 wx0, __m256 wx1) {
    const __m256 x00 = full ? _mm256_loadu_ps(p00) : _mm256_maskload_ps(p00, m);
    const __m256 x10 = full ? _mm256_loadu_ps(p10) : _mm256_maskload_ps(p10, m);
    const __m256 x01 = full ? _mm256_loadu_ps(p01) : _mm256_maskload_ps(p01, m);
    const __m256 x11 = full ? _mm256_loadu_ps(p11) : _mm256_maskload_ps(p11, m);
    const __m256 a = _mm256_mul_ps(_mm256_mul_ps(x00, wy0), wx0);
    const __m256 b = _mm256_mul_ps(_mm256_mul_ps(x10, dy), wx0);
    const __m256 c = _mm256_mul_ps(_mm256_mul_ps(x01, wy0), wx1);
    const __m256 d = _mm256_mul_ps(_mm256_mul_ps(x11, dy), wx1);
    return _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a, b), c), d);
}

void resize_bilinear_row_f32__avx2(const float *top, const float *bottom, const bilinear_column *cols, size_t out_w,
                                   size_t channels, float wy0, float dy, float *out) {
    const __m256 vwy0 = _mm256_set1_ps(wy0), vdy = _mm256_set1_ps(dy);
    const size_t tail = channels % 8;
    const __m256i all = _mm256_set1_epi32(-1);
    const __m256i tail_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)tail), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    for (size_t ox = 0; ox < out_w; ox++) {
        const bilinear_column *col = &cols[ox];
        const float *p00 = top + col->at0, *p10 = bottom + col->at0;
        const float *p01 = top + col->at1, *p11 = bottom + col->at1;
        const __m256 wx0 = _mm256_set1_ps(col->w0), wx1 = _mm256_set1_ps(col->w1);
        size_t c = 0;
        for (; c + 8 <= channels; c += 8)
            _mm256_storeu_ps(out + c, bilinear8(p00 + c, p10 + c, p01 + c, p11 + c, all, 1, vwy0, vdy, wx0, wx1));
        if (tail)
            _mm256_maskstore_ps(out + c, tail_mask,
                                bilinear8(p00 + c, p10 + c, p01 + c, p11 + c, tail_mask, 0, vwy0, vdy, wx0, wx1));
        out += channels;
    }
}
