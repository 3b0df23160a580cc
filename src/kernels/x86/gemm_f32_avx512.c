/* gemm_f32_avx512.c — float32 GEMM, IGEMM and depthwise microkernels for AVX-512F (see
 * kernels/gemm_f32.h for the contracts and the packed layouts). Compiled with AVX-512
 * F/BW/VL/DQ only for this file; called only when cpu_features() has CPU_X86_AVX512.
 *
 * The tiles are MR rows x 32 columns (two zmm accumulators per row) and MR x 16: one
 * broadcast of A per row and k (an embedded-broadcast FMA operand), two loads of W per k.
 * MR is a compile-time constant of an always-inlined body, so every loop over rows unrolls
 * and the accumulators live in registers; the depth loop is unrolled by 4 (measured: 7 and
 * 8 rows x 32 then beat 14 x 32, whose 14 row pointers spill). */
#include <immintrin.h>

#include "kernels/x86/gemm_f32_x86.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Lanes [0, n) of a 16-lane mask (n may exceed 16). */
ALWAYS_INLINE __mmask16 lanes16(size_t n) { return n >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << n) - 1u); }

/* Stores MR rows of 32 (or 16 when NV == 1) clamped columns, nc of them when fewer. */
#define STORE_ROWS(MR, NV, acc, cp, nc, vmin, vmax)                                                \
    do {                                                                                           \
        _Pragma("GCC unroll 16") for (size_t i = 0; i < (MR); i++) {                               \
            _Pragma("GCC unroll 2") for (size_t v = 0; v < (NV); v++) {                            \
                acc[i][v] = _mm512_min_ps(vmax, _mm512_max_ps(vmin, acc[i][v])); /* NaN stays NaN */                   \
            }                                                                                      \
        }                                                                                          \
        if ((nc) >= 16 * (NV)) {                                                                   \
            _Pragma("GCC unroll 16") for (size_t i = 0; i < (MR); i++) {                           \
                _Pragma("GCC unroll 2") for (size_t v = 0; v < (NV); v++) {                        \
                    _mm512_storeu_ps(cp[i] + 16 * v, acc[i][v]);                                   \
                }                                                                                  \
            }                                                                                      \
        } else {                                                                                   \
            _Pragma("GCC unroll 2") for (size_t v = 0; v < (NV); v++) {                            \
                const size_t left = (nc) > 16 * v ? (nc) - 16 * v : 0;                             \
                const __mmask16 mask = lanes16(left);                                              \
                _Pragma("GCC unroll 16") for (size_t i = 0; i < (MR); i++) {                       \
                    _mm512_mask_storeu_ps(cp[i] + 16 * v, mask, acc[i][v]);                        \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* How far ahead of its use a packed weight is prefetched (floats): 24 steps of depth of a
 * 32-wide tile. */
#define W_PREFETCH_FLOATS 768

ALWAYS_INLINE void gemm_body(const size_t MR, const size_t NV, size_t mr, size_t nc, size_t kc, const float *a,
                             size_t a_stride, const float *w, float *c, size_t c_stride,
                             const mote_f32_minmax *params) {
    const float *ap[16];
    float *cp[16];
    _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
        const size_t row = i < mr ? i : mr - 1; /* rows past mr repeat the last one */
        ap[i] = a + row * a_stride;
        cp[i] = c + row * c_stride;
    }
    const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
    for (;;) {
        __m512 acc[16][2];
        _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) {
            const __m512 b = _mm512_loadu_ps(w + 16 * v);
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) acc[i][v] = b;
        }
        w += 16 * NV;
        _Pragma("GCC unroll 4") for (size_t k = 0; k < kc; k++) {
            __m512 b[2];
            _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) {
                b[v] = _mm512_loadu_ps(w + 16 * v);
                /* The weights stream once through the cache: fetch them ahead. */
                _mm_prefetch((const char *)(w + 16 * v + W_PREFETCH_FLOATS), _MM_HINT_T0);
            }
            w += 16 * NV;
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
                const __m512 x = _mm512_set1_ps(ap[i][k]);
                _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_ps(x, b[v], acc[i][v]);
            }
        }
        STORE_ROWS(MR, NV, acc, cp, nc, vmin, vmax);
        if (nc <= 16 * NV) return;
        nc -= 16 * NV;
        _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) cp[i] += 16 * NV;
    }
}

ALWAYS_INLINE void igemm_body(const size_t MR, const size_t NV, size_t mr, size_t nc, size_t kc, size_t ks,
                              const float *const *a, const float *w, float *c, size_t c_stride, size_t a_offset,
                              const float *zero, const mote_f32_minmax *params) {
    float *cp[16];
    _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) cp[i] = c + (i < mr ? i : mr - 1) * c_stride;
    const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
    for (;;) {
        __m512 acc[16][2];
        _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) {
            const __m512 b = _mm512_loadu_ps(w + 16 * v);
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) acc[i][v] = b;
        }
        w += 16 * NV;
        const float *const *ind = a;
        for (size_t t = 0; t < ks; t++) {
            const float *ap[16];
            _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
                ap[i] = ind[i];
                if (ap[i] != zero) ap[i] += a_offset;
            }
            ind += MR;
            _Pragma("GCC unroll 4") for (size_t k = 0; k < kc; k++) {
                __m512 b[2];
                _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) {
                    b[v] = _mm512_loadu_ps(w + 16 * v);
                    _mm_prefetch((const char *)(w + 16 * v + W_PREFETCH_FLOATS), _MM_HINT_T0);
                }
                w += 16 * NV;
                _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) {
                    const __m512 x = _mm512_set1_ps(ap[i][k]);
                    _Pragma("GCC unroll 2") for (size_t v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_ps(x, b[v], acc[i][v]);
                }
            }
        }
        STORE_ROWS(MR, NV, acc, cp, nc, vmin, vmax);
        if (nc <= 16 * NV) return;
        nc -= 16 * NV;
        _Pragma("GCC unroll 16") for (size_t i = 0; i < MR; i++) cp[i] += 16 * NV;
    }
}

/* ---- the shallow 6x32 tile in assembly ----
 *
 * At the depths of MobileNet's expansions (16-32) a tile does only 16-32 FMAs per
 * accumulator, so every instruction around them counts: the compiled body also moves
 * registers, reloads a spilled row pointer and prefetches weights that are already in L1 (at
 * most 33 x 32 floats per panel). This one keeps every pointer in a register, loads the bias
 * straight into the accumulators and addresses four steps of depth by displacement: 8-10%
 * faster alone, and MobileNetV2's 112x112x16 -> 96 expansion 7-10% faster at one thread.
 * (The same for the deep 7x32 tile gained nothing: there the weights' trip from L2 and
 * memory is the limit.)
 *
 * The additions are gemm_body's, in its order (bias, then k = 0, 1, ...), and so is the
 * operand order of the clamp (max(vmin, acc) returns acc when it is NaN): the two give
 * identical bits. */

#define ASM_S(x) #x
#define ASM_STR(x) ASM_S(x)
/* Row r's accumulators are zmm(2r) and zmm(2r + 1); zmm28-29 hold a step's weights, zmm30 a
 * broadcast. The rows of A are ak0 + {0, 1, 2} sa and ak3 + {0, 1, 2} sa, those of C
 * c0 + {0, 1, 2} cs and c3 + {0, 1, 2} cs. */
#define ASM_ROW(K, ADDR, R0, R1)                                                 \
    "vbroadcastss " ASM_STR(K) "*4" ADDR ", %%zmm30\n\t"                         \
    "vfmadd231ps %%zmm28, %%zmm30, %%zmm" ASM_STR(R0) "\n\t"                     \
    "vfmadd231ps %%zmm29, %%zmm30, %%zmm" ASM_STR(R1) "\n\t"
#define ASM_STEP(K)                                                              \
    "vmovups " ASM_STR(K) "*128(%[wk]), %%zmm28\n\t"                             \
    "vmovups " ASM_STR(K) "*128+64(%[wk]), %%zmm29\n\t"                          \
    ASM_ROW(K, "(%[ak0])", 0, 1) ASM_ROW(K, "(%[ak0],%[sa])", 2, 3)               \
    ASM_ROW(K, "(%[ak0],%[sa],2)", 4, 5) ASM_ROW(K, "(%[ak3])", 6, 7)             \
    ASM_ROW(K, "(%[ak3],%[sa])", 8, 9) ASM_ROW(K, "(%[ak3],%[sa],2)", 10, 11)
#define ASM_BIAS(R0, R1)                                                         \
    "vmovups (%[w]), %%zmm" ASM_STR(R0) "\n\t"                                   \
    "vmovups 64(%[w]), %%zmm" ASM_STR(R1) "\n\t"
#define ASM_OUT(R, ADDR)                                                         \
    "vmaxps %%zmm" ASM_STR(R) ", %[vmin], %%zmm" ASM_STR(R) "\n\t"               \
    "vminps %%zmm" ASM_STR(R) ", %[vmax], %%zmm" ASM_STR(R) "\n\t"               \
    "vmovups %%zmm" ASM_STR(R) ", " ADDR "\n\t"

/* Six full rows, nc a multiple of 32, kc a positive multiple of 4. Per 32 columns: the bias,
 * kc / 4 groups of four steps, the clamped stores. */
static void gemm_6x32_asm(size_t nc, size_t kc, const float *a, size_t a_stride, const float *w, float *c,
                          size_t c_stride, const mote_f32_minmax *params) {
    const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
    const size_t sa = a_stride * sizeof(float), cs = c_stride * sizeof(float), kc_bytes = kc * sizeof(float);
    const float *ak0 = a, *ak3 = a + 3 * a_stride, *wk = w;
    float *c0 = c, *c3 = c + 3 * c_stride;
    size_t panels = nc / 32, groups;
    __asm__ volatile(
        "1:\n\t"
        ASM_BIAS(0, 1) ASM_BIAS(2, 3) ASM_BIAS(4, 5) ASM_BIAS(6, 7) ASM_BIAS(8, 9) ASM_BIAS(10, 11)
        "lea 128(%[w]), %[wk]\n\t"
        "mov %[kc_bytes], %[groups]\n\t"
        "shr $4, %[groups]\n\t"
        "2:\n\t"
        ASM_STEP(0) ASM_STEP(1) ASM_STEP(2) ASM_STEP(3)
        "add $512, %[wk]\n\t"
        "add $16, %[ak0]\n\t"
        "add $16, %[ak3]\n\t"
        "dec %[groups]\n\t"
        "jnz 2b\n\t"
        "sub %[kc_bytes], %[ak0]\n\t"
        "sub %[kc_bytes], %[ak3]\n\t"
        "mov %[wk], %[w]\n\t"
        ASM_OUT(0, "(%[c0])") ASM_OUT(1, "64(%[c0])")
        ASM_OUT(2, "(%[c0],%[cs])") ASM_OUT(3, "64(%[c0],%[cs])")
        ASM_OUT(4, "(%[c0],%[cs],2)") ASM_OUT(5, "64(%[c0],%[cs],2)")
        ASM_OUT(6, "(%[c3])") ASM_OUT(7, "64(%[c3])")
        ASM_OUT(8, "(%[c3],%[cs])") ASM_OUT(9, "64(%[c3],%[cs])")
        ASM_OUT(10, "(%[c3],%[cs],2)") ASM_OUT(11, "64(%[c3],%[cs],2)")
        "add $128, %[c0]\n\t"
        "add $128, %[c3]\n\t"
        "dec %[panels]\n\t"
        "jnz 1b\n\t"
        : [w] "+r"(w), [wk] "+r"(wk), [ak0] "+r"(ak0), [ak3] "+r"(ak3), [c0] "+r"(c0), [c3] "+r"(c3),
          [panels] "+r"(panels), [groups] "=&r"(groups)
        : [sa] "r"(sa), [cs] "r"(cs), [kc_bytes] "r"(kc_bytes), [vmin] "v"(vmin), [vmax] "v"(vmax)
        : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
          "xmm11", "xmm28", "xmm29", "xmm30");
}

/* Six full rows' full panels of 32 columns in assembly when kc suits it; the rest (a last
 * partial panel, fewer rows, other depths) in gemm_body. */
void mote_f32_gemm_minmax_6x32__avx512f(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride,
                                        const float *w, float *c, size_t c_stride, const mote_f32_minmax *params) {
    if (mr == 6 && kc % 4 == 0 && kc > 0 && nc >= 32) {
        const size_t full = nc / 32 * 32;
        gemm_6x32_asm(full, kc, a, a_stride, w, c, c_stride, params);
        if (full == nc) return;
        w += full * (kc + 1), c += full, nc -= full;
    }
    gemm_body(6, 2, mr, nc, kc, a, a_stride, w, c, c_stride, params);
}

#define DEFINE_IGEMM(MR, NR)                                                                             \
    void mote_f32_igemm_minmax_##MR##x##NR##__avx512f(size_t mr, size_t nc, size_t kc, size_t ks,       \
                                                      const float *const *a, const float *w, float *c,   \
                                                      size_t c_stride, size_t a_offset, const float *zero, \
                                                      const mote_f32_minmax *params) {                   \
        igemm_body(MR, (NR) / 16, mr, nc, kc, ks, a, w, c, c_stride, a_offset, zero, params);            \
    }

#define DEFINE_GEMM(MR, NR)                                                                              \
    void mote_f32_gemm_minmax_##MR##x##NR##__avx512f(size_t mr, size_t nc, size_t kc, const float *a,   \
                                                     size_t a_stride, const float *w, float *c,          \
                                                     size_t c_stride, const mote_f32_minmax *params) {   \
        gemm_body(MR, (NR) / 16, mr, nc, kc, a, a_stride, w, c, c_stride, params);                       \
    }                                                                                                    \
    void mote_f32_igemm_minmax_##MR##x##NR##__avx512f(size_t mr, size_t nc, size_t kc, size_t ks,       \
                                                      const float *const *a, const float *w, float *c,   \
                                                      size_t c_stride, size_t a_offset, const float *zero, \
                                                      const mote_f32_minmax *params) {                   \
        igemm_body(MR, (NR) / 16, mr, nc, kc, ks, a, w, c, c_stride, a_offset, zero, params);            \
    }

DEFINE_GEMM(1, 32)
DEFINE_GEMM(4, 32)
DEFINE_IGEMM(6, 32)
DEFINE_GEMM(7, 32)
DEFINE_GEMM(8, 32)
DEFINE_GEMM(12, 32)
DEFINE_GEMM(14, 32)
DEFINE_GEMM(1, 16)
DEFINE_GEMM(7, 16)
DEFINE_GEMM(14, 16)

/* ---- depthwise ---- */

/* One block of 16 channels (mask for the last partial one), TAPS known or not. */
ALWAYS_INLINE __m512 dw_block(size_t taps, const float *const *in, size_t c, const float *wb, __mmask16 mask) {
    __m512 acc0 = _mm512_loadu_ps(wb), acc1 = _mm512_setzero_ps();
    size_t t = 0;
    for (; t + 2 <= taps; t += 2) {
        acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, in[t] + c), _mm512_loadu_ps(wb + 16 * (t + 1)), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, in[t + 1] + c), _mm512_loadu_ps(wb + 16 * (t + 2)),
                               acc1);
    }
    if (t < taps)
        acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, in[t] + c), _mm512_loadu_ps(wb + 16 * (t + 1)), acc0);
    return _mm512_add_ps(acc0, acc1);
}

ALWAYS_INLINE void dwconv_body(const size_t TAPS, size_t channels, size_t width, size_t taps,
                               const float *const *input, size_t input_step, size_t input_offset,
                               const float *zero, const float *weights, float *output,
                               const mote_f32_minmax *params) {
    if (TAPS) taps = TAPS;
    const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
    const size_t block = 16 * (taps + 1); /* floats per packed block of 16 channels */
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
        /* Two blocks at a time: independent accumulators hide the FMA latency. */
        for (; c + 32 <= channels; c += 32) {
            __m512 a0 = dw_block(taps, in, c, wb, 0xffff);
            __m512 a1 = dw_block(taps, in, c + 16, wb + block, 0xffff);
            _mm512_storeu_ps(output + c, _mm512_min_ps(_mm512_max_ps(a0, vmin), vmax));
            _mm512_storeu_ps(output + c + 16, _mm512_min_ps(_mm512_max_ps(a1, vmin), vmax));
            wb += 2 * block;
        }
        for (; c < channels; c += 16) {
            const __mmask16 mask = lanes16(channels - c);
            __m512 a0 = dw_block(taps, in, c, wb, mask);
            _mm512_mask_storeu_ps(output + c, mask, _mm512_min_ps(_mm512_max_ps(a0, vmin), vmax));
            wb += block;
        }
        output += channels;
    }
}

/* The 3x3 and 5x5 kernels go block by block of channels, and within a block pixel by
 * pixel: the block's weights stay in registers across the pixels instead of being loaded
 * again for every pixel (dwconv_body does two loads per FMA). MobileNetV2's depthwise layers
 * ran 1.2-1.9x faster (14x14x576: 110 -> 57 us). Each value is computed as dwconv_body
 * computes it (dw_block's two partial sums, the same clamp), so the two give identical bits
 * (tested). Pixels go in chunks of DW_CHUNK, whose pointers are moved by input_offset (a
 * later image) once per chunk. */
#define DW_CHUNK 8

/* NB blocks of 16 channels from c (NB = 1: `mask` covers its channels) for PX pixels;
 * in: TAPS pointers per pixel, in_step apart. */
ALWAYS_INLINE void dw_pixels(const size_t TAPS, const size_t NB, const size_t PX, const float *const *in,
                             size_t in_step, size_t c, const __m512 (*w)[26], float *out, size_t channels,
                             __mmask16 mask, __m512 vmin, __m512 vmax) {
    __m512 acc0[2][2], acc1[2][2];
    _Pragma("GCC unroll 2") for (size_t q = 0; q < PX; q++)
        _Pragma("GCC unroll 2") for (size_t v = 0; v < NB; v++) acc0[q][v] = w[v][0], acc1[q][v] = _mm512_setzero_ps();
    size_t t = 0;
    _Pragma("GCC unroll 13") for (; t + 2 <= TAPS; t += 2) {
        _Pragma("GCC unroll 2") for (size_t q = 0; q < PX; q++) {
            const float *i0 = in[q * in_step + t] + c, *i1 = in[q * in_step + t + 1] + c;
            _Pragma("GCC unroll 2") for (size_t v = 0; v < NB; v++) {
                acc0[q][v] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, i0 + 16 * v), w[v][t + 1], acc0[q][v]);
                acc1[q][v] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, i1 + 16 * v), w[v][t + 2], acc1[q][v]);
            }
        }
    }
    if (t < TAPS)
        _Pragma("GCC unroll 2") for (size_t q = 0; q < PX; q++) {
            const float *i0 = in[q * in_step + t] + c;
            _Pragma("GCC unroll 2") for (size_t v = 0; v < NB; v++)
                acc0[q][v] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, i0 + 16 * v), w[v][t + 1], acc0[q][v]);
        }
    _Pragma("GCC unroll 2") for (size_t q = 0; q < PX; q++)
        _Pragma("GCC unroll 2") for (size_t v = 0; v < NB; v++) {
            const __m512 r = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc0[q][v], acc1[q][v]), vmin), vmax);
            _mm512_mask_storeu_ps(out + q * channels + c + 16 * v, mask, r);
        }
}

/* NB blocks of 16 channels from c for the chunk's pixels, two at a time (independent sums
 * for the FMA latency), with the blocks' weights in registers. */
ALWAYS_INLINE void dw_chunk_blocks(const size_t TAPS, const size_t NB, size_t pixels, const float *const *in,
                                   size_t in_step, size_t c, const float *wb, size_t block, float *out,
                                   size_t channels, __mmask16 mask, __m512 vmin, __m512 vmax) {
    __m512 w[2][26];
    _Pragma("GCC unroll 2") for (size_t v = 0; v < NB; v++)
        _Pragma("GCC unroll 26") for (size_t t = 0; t <= TAPS; t++) w[v][t] = _mm512_loadu_ps(wb + v * block + 16 * t);
    size_t p = 0;
    for (; p + 2 <= pixels; p += 2)
        dw_pixels(TAPS, NB, 2, in + p * in_step, in_step, c, w, out + p * channels, channels, mask, vmin, vmax);
    if (p < pixels) dw_pixels(TAPS, NB, 1, in + p * in_step, in_step, c, w, out + p * channels, channels, mask, vmin, vmax);
}

ALWAYS_INLINE void dwconv_by_block(const size_t TAPS, const size_t NB, size_t channels, size_t width,
                                   const float *const *input, size_t input_step, size_t input_offset,
                                   const float *zero, const float *weights, float *output,
                                   const mote_f32_minmax *params) {
    const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
    const size_t block = 16 * (TAPS + 1);
    const float *moved[DW_CHUNK * 25];
    for (size_t p0 = 0; p0 < width; p0 += DW_CHUNK) {
        const size_t pixels = width - p0 < DW_CHUNK ? width - p0 : DW_CHUNK;
        const float *const *in = input + p0 * input_step;
        size_t in_step = input_step;
        if (input_offset) {
            for (size_t p = 0; p < pixels; p++)
                for (size_t t = 0; t < TAPS; t++) {
                    const float *src = in[p * input_step + t];
                    moved[p * TAPS + t] = src != zero ? src + input_offset : zero;
                }
            in = moved, in_step = TAPS;
        }
        float *out = output + p0 * channels;
        const float *wb = weights;
        size_t c = 0;
        for (; c + 16 * NB <= channels; c += 16 * NB, wb += NB * block)
            dw_chunk_blocks(TAPS, NB, pixels, in, in_step, c, wb, block, out, channels, 0xffff, vmin, vmax);
        for (; c < channels; c += 16, wb += block)
            dw_chunk_blocks(TAPS, 1, pixels, in, in_step, c, wb, block, out, channels, lanes16(channels - c), vmin,
                            vmax);
    }
}

void mote_f32_dwconv_minmax_9p16c__avx512f(size_t channels, size_t width, size_t taps, const float *const *input,
                                           size_t input_step, size_t input_offset, const float *zero,
                                           const float *weights, float *output, const mote_f32_minmax *params) {
    (void)taps;
    dwconv_by_block(9, 2, channels, width, input, input_step, input_offset, zero, weights, output, params);
}

void mote_f32_dwconv_minmax_25p16c__avx512f(size_t channels, size_t width, size_t taps, const float *const *input,
                                            size_t input_step, size_t input_offset, const float *zero,
                                            const float *weights, float *output, const mote_f32_minmax *params) {
    (void)taps;
    dwconv_by_block(25, 1, channels, width, input, input_step, input_offset, zero, weights, output, params);
}

/* Any tap count up to MOTE_DW_MAX_TAPS. */
void mote_f32_dwconv_minmax_up64p16c__avx512f(size_t channels, size_t width, size_t taps,
                                              const float *const *input, size_t input_step, size_t input_offset,
                                              const float *zero, const float *weights, float *output,
                                              const mote_f32_minmax *params) {
    dwconv_body(0, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}
