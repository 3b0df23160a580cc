/* gemm_f32_avx2.c — float32 GEMM, IGEMM and depthwise microkernels for AVX2 + FMA (see
 * kernels/gemm_f32.h for the contracts and the packed layouts). Compiled with -mavx2 -mfma
 * for this file only; called only when cpu_features() has CPU_X86_AVX2.
 *
 * Tiles of MR rows x 16 columns (two ymm accumulators per row; 6 x 2 = 12 of the 16 ymm
 * registers, two for W, one broadcast) or MR x 8. MR is a compile-time constant of an
 * always-inlined body, so the row loops unroll and the accumulators stay in registers. */
#include <immintrin.h>

#include "kernels/x86/gemm_f32_x86.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Mask of lanes [0, n) of 8 (n may exceed 8), for maskload / maskstore. */
ALWAYS_INLINE __m256i lanes8(size_t n) {
    static const int32_t table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(const void *)(table + 8 - (n < 8 ? n : 8)));
}

#define STORE_ROWS(MR, NV, acc, cp, nc, vmin, vmax)                                                \
    do {                                                                                           \
        _Pragma("GCC unroll 16") for (size_t i = 0; i < (MR); i++) {                               \
            _Pragma("GCC unroll 2") for (size_t v = 0; v < (NV); v++) {                            \
                acc[i][v] = _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc[i][v])); /* NaN stays NaN */                   \
            }                                                                                      \
        }                                                                                          \
        if ((nc) >= 8 * (NV)) {                                                                    \
            _Pragma("GCC unroll 16") for (size_t i = 0; i < (MR); i++) {                           \
                _Pragma("GCC unroll 2") for (size_t v = 0; v < (NV); v++) {                        \
                    _mm256_storeu_ps(cp[i] + 8 * v, acc[i][v]);                                    \
                }                                                                                  \
            }                                                                                      \
        } else {                                                                                   \
            _Pragma("GCC unroll 2") for (size_t v = 0; v < (NV); v++) {                            \
                const size_t left = (nc) > 8 * v ? (nc) - 8 * v : 0;                               \
                const __m256i mask = lanes8(left);                                                 \
                _Pragma("GCC unroll 16") for (size_t i = 0; i < (MR); i++) {                       \
                    _mm256_maskstore_ps(cp[i] + 8 * v, mask, acc[i][v]);                           \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

ALWAYS_INLINE void gemm_body(const size_t MR, const size_t NV, size_t mr, size_t nc, size_t kc, const float *a,
                             size_t a_stride, const float *w, float *c, size_t c_stride,
                             const mote_f32_minmax *params) {
    const float *ap[8];
    float *cp[8];
    _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
        const size_t row = i < mr ? i : mr - 1; /* rows past mr repeat the last one */
        ap[i] = a + row * a_stride;
        cp[i] = c + row * c_stride;
    }
    const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
    for (;;) {
        __m256 acc[8][2];
        _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) {
            const __m256 b = _mm256_loadu_ps(w + 8 * v);
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) acc[i][v] = b;
        }
        w += 8 * NV;
        for (size_t k = 0; k < kc; k++) {
            __m256 b[2];
            _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) b[v] = _mm256_loadu_ps(w + 8 * v);
            w += 8 * NV;
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
                const __m256 x = _mm256_broadcast_ss(ap[i] + k);
                _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) acc[i][v] = _mm256_fmadd_ps(x, b[v], acc[i][v]);
            }
        }
        STORE_ROWS(MR, NV, acc, cp, nc, vmin, vmax);
        if (nc <= 8 * NV) return;
        nc -= 8 * NV;
        _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) cp[i] += 8 * NV;
    }
}

ALWAYS_INLINE void igemm_body(const size_t MR, const size_t NV, size_t mr, size_t nc, size_t kc, size_t ks,
                              const float *const *a, const float *w, float *c, size_t c_stride, size_t a_offset,
                              const float *zero, const mote_f32_minmax *params) {
    float *cp[8];
    _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) cp[i] = c + (i < mr ? i : mr - 1) * c_stride;
    const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
    for (;;) {
        __m256 acc[8][2];
        _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) {
            const __m256 b = _mm256_loadu_ps(w + 8 * v);
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) acc[i][v] = b;
        }
        w += 8 * NV;
        const float *const *ind = a;
        for (size_t t = 0; t < ks; t++) {
            const float *ap[8];
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
                ap[i] = ind[i];
                if (ap[i] != zero) ap[i] += a_offset;
            }
            ind += MR;
            for (size_t k = 0; k < kc; k++) {
                __m256 b[2];
                _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) b[v] = _mm256_loadu_ps(w + 8 * v);
                w += 8 * NV;
                _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
                    const __m256 x = _mm256_broadcast_ss(ap[i] + k);
                    _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) acc[i][v] = _mm256_fmadd_ps(x, b[v], acc[i][v]);
                }
            }
        }
        STORE_ROWS(MR, NV, acc, cp, nc, vmin, vmax);
        if (nc <= 8 * NV) return;
        nc -= 8 * NV;
        _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) cp[i] += 8 * NV;
    }
}

#define DEFINE_GEMM(MR, NR)                                                                              \
    void mote_f32_gemm_minmax_##MR##x##NR##__avx2_fma(size_t mr, size_t nc, size_t kc, const float *a,  \
                                                      size_t a_stride, const float *w, float *c,         \
                                                      size_t c_stride, const mote_f32_minmax *params) {  \
        gemm_body(MR, (NR) / 8, mr, nc, kc, a, a_stride, w, c, c_stride, params);                        \
    }                                                                                                    \
    void mote_f32_igemm_minmax_##MR##x##NR##__avx2_fma(size_t mr, size_t nc, size_t kc, size_t ks,      \
                                                       const float *const *a, const float *w, float *c,  \
                                                       size_t c_stride, size_t a_offset,                 \
                                                       const float *zero,                                \
                                                       const mote_f32_minmax *params) {                  \
        igemm_body(MR, (NR) / 8, mr, nc, kc, ks, a, w, c, c_stride, a_offset, zero, params);             \
    }

DEFINE_GEMM(6, 16)
DEFINE_GEMM(6, 8)
DEFINE_GEMM(1, 16)

/* ---- depthwise ---- */

/* One block of 8 channels (mask for the last partial one). */
ALWAYS_INLINE __m256 dw_block(size_t taps, const float *const *in, size_t c, const float *wb, __m256i mask,
                              int full) {
    __m256 acc0 = _mm256_loadu_ps(wb), acc1 = _mm256_setzero_ps();
    size_t t = 0;
    for (; t + 2 <= taps; t += 2) {
        const __m256 x0 = full ? _mm256_loadu_ps(in[t] + c) : _mm256_maskload_ps(in[t] + c, mask);
        const __m256 x1 = full ? _mm256_loadu_ps(in[t + 1] + c) : _mm256_maskload_ps(in[t + 1] + c, mask);
        acc0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(wb + 8 * (t + 1)), acc0);
        acc1 = _mm256_fmadd_ps(x1, _mm256_loadu_ps(wb + 8 * (t + 2)), acc1);
    }
    if (t < taps) {
        const __m256 x0 = full ? _mm256_loadu_ps(in[t] + c) : _mm256_maskload_ps(in[t] + c, mask);
        acc0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(wb + 8 * (t + 1)), acc0);
    }
    return _mm256_add_ps(acc0, acc1);
}

ALWAYS_INLINE void dwconv_body(const size_t TAPS, size_t channels, size_t width, size_t taps,
                               const float *const *input, size_t input_step, size_t input_offset,
                               const float *zero, const float *weights, float *output,
                               const mote_f32_minmax *params) {
    if (TAPS) taps = TAPS;
    const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
    const size_t block = 8 * (taps + 1);
    const __m256i all = _mm256_set1_epi32(-1);
    for (size_t p = 0; p < width; p++) {
        const float *moved[MOTE_DW_MAX_TAPS];
        const float *const *src = input + p * input_step;
        const float *const *in = src; /* offset 0 (the first image): the pointers as they are */
        if (input_offset) {
            for (size_t t = 0; t < taps; t++) moved[t] = src[t] != zero ? src[t] + input_offset : zero;
            in = moved;
        }
        const float *wb = weights;
        size_t c = 0;
        for (; c + 16 <= channels; c += 16) {
            __m256 a0 = dw_block(taps, in, c, wb, all, 1);
            __m256 a1 = dw_block(taps, in, c + 8, wb + block, all, 1);
            _mm256_storeu_ps(output + c, _mm256_min_ps(_mm256_max_ps(a0, vmin), vmax));
            _mm256_storeu_ps(output + c + 8, _mm256_min_ps(_mm256_max_ps(a1, vmin), vmax));
            wb += 2 * block;
        }
        for (; c < channels; c += 8) {
            if (channels - c >= 8) {
                __m256 a0 = dw_block(taps, in, c, wb, all, 1);
                _mm256_storeu_ps(output + c, _mm256_min_ps(_mm256_max_ps(a0, vmin), vmax));
            } else {
                const __m256i mask = lanes8(channels - c);
                __m256 a0 = dw_block(taps, in, c, wb, mask, 0);
                _mm256_maskstore_ps(output + c, mask, _mm256_min_ps(_mm256_max_ps(a0, vmin), vmax));
            }
            wb += block;
        }
        output += channels;
    }
}

void mote_f32_dwconv_minmax_9p8c__avx2_fma(size_t channels, size_t width, size_t taps, const float *const *input,
                                           size_t input_step, size_t input_offset, const float *zero,
                                           const float *weights, float *output, const mote_f32_minmax *params) {
    dwconv_body(9, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}

void mote_f32_dwconv_minmax_25p8c__avx2_fma(size_t channels, size_t width, size_t taps, const float *const *input,
                                            size_t input_step, size_t input_offset, const float *zero,
                                            const float *weights, float *output, const mote_f32_minmax *params) {
    dwconv_body(25, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}

void mote_f32_dwconv_minmax_up64p8c__avx2_fma(size_t channels, size_t width, size_t taps,
                                              const float *const *input, size_t input_step, size_t input_offset,
                                              const float *zero, const float *weights, float *output,
                                              const mote_f32_minmax *params) {
    dwconv_body(0, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}
