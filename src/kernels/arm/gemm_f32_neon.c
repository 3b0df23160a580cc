/* gemm_f32_neon.c — float32 GEMM, IGEMM and depthwise microkernels for AArch64 NEON (see
 * kernels/gemm_f32.h for the contracts and the packed layouts). NEON is in every AArch64 CPU:
 * this file needs no extra compiler flags.
 *
 * GEMM tiles of MR rows x NR = 4 * NV columns keep MR * NV accumulators in q registers
 * (6x8: 12 of the 32, 8x4: 8, 1x16: 4). The depth loop takes four steps at a time: one
 * 4-float load per row of A feeds four by-element FMAs (FMLA vd.4s, vn.4s, vm.s[lane]), so
 * A costs a quarter of a load per step and no broadcasts. Depths that are not a multiple of
 * four finish with single steps, and nothing reads past the kc floats of a row.
 *
 * The depthwise kernels work on blocks of 8 channels (the packed weights' block) and split
 * each block's taps over two accumulator pairs (even and odd taps) for four independent FMA
 * chains; a last block of fewer than 8 channels loads and stores only the channels there. */
#include <arm_neon.h>

#include "kernels/arm/gemm_f32_arm.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define F32_MAX_MR 8 /* most rows of a tile here */
#define F32_MAX_NV 4 /* most q registers per row (16 columns) */

/* n (1..3) floats from p in the low lanes, zeros above: never reads past p + n. */
ALWAYS_INLINE float32x4_t load_partial(const float *p, size_t n) {
    float32x4_t v = vdupq_n_f32(0.0f);
    v = vld1q_lane_f32(p, v, 0);
    if (n > 1) v = vld1q_lane_f32(p + 1, v, 1);
    if (n > 2) v = vld1q_lane_f32(p + 2, v, 2);
    return v;
}

/* The low n (1..3) lanes of v to p. */
ALWAYS_INLINE void store_partial(float *p, float32x4_t v, size_t n) {
    if (n >= 2) {
        vst1_f32(p, vget_low_f32(v));
        if (n == 3) vst1q_lane_f32(p + 2, v, 2);
    } else {
        vst1q_lane_f32(p, v, 0);
    }
}

/* clamp, then columns [0, nc) of each row (all NR of them when nc >= NR). */
ALWAYS_INLINE void store_rows(const size_t MR, const size_t NV, float32x4_t acc[F32_MAX_MR][F32_MAX_NV],
                              float *const *cp, size_t nc, float32x4_t vmin, float32x4_t vmax) {
    /* FMAX/FMIN keep a NaN, as the reference clamp does. */
    _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) {
        _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) acc[i][v] = vminq_f32(vmaxq_f32(acc[i][v], vmin), vmax);
    }
    if (nc >= 4 * NV) {
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) {
            _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) vst1q_f32(cp[i] + 4 * v, acc[i][v]);
        }
        return;
    }
    _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) {
        const size_t left = nc > 4 * v ? nc - 4 * v : 0;
        if (left >= 4) {
            _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) vst1q_f32(cp[i] + 4 * v, acc[i][v]);
        } else if (left > 0) {
            _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) store_partial(cp[i] + 4 * v, acc[i][v], left);
        }
    }
}

/* One depth step of every row with lane L of x[i] as row i's value. */
#define STEP_LANE(L)                                                                                     \
    do {                                                                                                 \
        float32x4_t b_[F32_MAX_NV];                                                                      \
        _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) b_[v] = vld1q_f32(w + 4 * v);             \
        w += 4 * NV;                                                                                     \
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) {                                        \
            _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) acc[i][v] =                          \
                vfmaq_laneq_f32(acc[i][v], b_[v], x[i], L);                                              \
        }                                                                                                \
    } while (0)

/* acc += rows ap[0 .. MR) (kc floats each) x the next kc depth rows of a packed panel;
 * returns the panel position after them. */
ALWAYS_INLINE const float *accumulate(const size_t MR, const size_t NV, float32x4_t acc[F32_MAX_MR][F32_MAX_NV],
                                      const float *const *ap, size_t kc, const float *w) {
    size_t k = 0;
    for (; k + 4 <= kc; k += 4) {
        float32x4_t x[F32_MAX_MR];
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) x[i] = vld1q_f32(ap[i] + k);
        STEP_LANE(0);
        STEP_LANE(1);
        STEP_LANE(2);
        STEP_LANE(3);
    }
    for (; k < kc; k++) {
        float32x4_t b[F32_MAX_NV];
        _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) b[v] = vld1q_f32(w + 4 * v);
        w += 4 * NV;
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) {
            const float32x4_t x = vld1q_dup_f32(ap[i] + k);
            _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) acc[i][v] = vfmaq_f32(acc[i][v], b[v], x);
        }
    }
    return w;
}

/* Accumulators of every row start at the panel's biases. */
ALWAYS_INLINE const float *init_bias(const size_t MR, const size_t NV, float32x4_t acc[F32_MAX_MR][F32_MAX_NV],
                                     const float *w) {
    _Pragma("GCC unroll 4") for (size_t v = 0; v < NV; v++) {
        const float32x4_t b = vld1q_f32(w + 4 * v);
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) acc[i][v] = b;
    }
    return w + 4 * NV;
}

ALWAYS_INLINE void gemm_body(const size_t MR, const size_t NV, size_t mr, size_t nc, size_t kc, const float *a,
                             size_t a_stride, const float *w, float *c, size_t c_stride,
                             const mote_f32_minmax *params) {
    const float *ap[F32_MAX_MR];
    float *cp[F32_MAX_MR];
    _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) {
        const size_t row = i < mr ? i : mr - 1; /* rows past mr repeat the last one */
        ap[i] = a + row * a_stride;
        cp[i] = c + row * c_stride;
    }
    const float32x4_t vmin = vdupq_n_f32(params->min), vmax = vdupq_n_f32(params->max);
    for (;;) {
        float32x4_t acc[F32_MAX_MR][F32_MAX_NV];
        w = init_bias(MR, NV, acc, w);
        w = accumulate(MR, NV, acc, ap, kc, w);
        store_rows(MR, NV, acc, cp, nc, vmin, vmax);
        if (nc <= 4 * NV) return;
        nc -= 4 * NV;
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) cp[i] += 4 * NV;
    }
}

ALWAYS_INLINE void igemm_body(const size_t MR, const size_t NV, size_t mr, size_t nc, size_t kc, size_t ks,
                              const float *const *a, const float *w, float *c, size_t c_stride, size_t a_offset,
                              const float *zero, const mote_f32_minmax *params) {
    float *cp[F32_MAX_MR];
    _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) cp[i] = c + (i < mr ? i : mr - 1) * c_stride;
    const float32x4_t vmin = vdupq_n_f32(params->min), vmax = vdupq_n_f32(params->max);
    for (;;) {
        float32x4_t acc[F32_MAX_MR][F32_MAX_NV];
        w = init_bias(MR, NV, acc, w);
        const float *const *ind = a;
        for (size_t t = 0; t < ks; t++) {
            const float *ap[F32_MAX_MR];
            _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) {
                ap[i] = ind[i];
                if (ap[i] != zero) ap[i] += a_offset;
            }
            ind += MR;
            w = accumulate(MR, NV, acc, ap, kc, w);
        }
        store_rows(MR, NV, acc, cp, nc, vmin, vmax);
        if (nc <= 4 * NV) return;
        nc -= 4 * NV;
        _Pragma("GCC unroll 8") for (size_t i = 0; i < MR; i++) cp[i] += 4 * NV;
    }
}

#define DEFINE_GEMM(MR, NR)                                                                              \
    void mote_f32_gemm_minmax_##MR##x##NR##__neon(size_t mr, size_t nc, size_t kc, const float *a,      \
                                                  size_t a_stride, const float *w, float *c,             \
                                                  size_t c_stride, const mote_f32_minmax *params) {      \
        gemm_body(MR, (NR) / 4, mr, nc, kc, a, a_stride, w, c, c_stride, params);                        \
    }                                                                                                    \
    void mote_f32_igemm_minmax_##MR##x##NR##__neon(size_t mr, size_t nc, size_t kc, size_t ks,          \
                                                   const float *const *a, const float *w, float *c,      \
                                                   size_t c_stride, size_t a_offset, const float *zero,  \
                                                   const mote_f32_minmax *params) {                      \
        igemm_body(MR, (NR) / 4, mr, nc, kc, ks, a, w, c, c_stride, a_offset, zero, params);             \
    }

DEFINE_GEMM(6, 8)
DEFINE_GEMM(8, 4)
DEFINE_GEMM(1, 16)

/* ---- depthwise ---- */

#define DW_CB 8 /* channels per packed block */

/* Four channels of a block (lanes [0, n), n <= 4; a full load when n == 4): sum over taps of
 * in[t][c ..] * w_t, starting from the bias at wb. */
ALWAYS_INLINE float32x4_t dw_quad(const size_t TAPS, size_t taps, const float *const *in, size_t c, const float *wb,
                                  size_t n) {
    if (TAPS) taps = TAPS;
    float32x4_t acc0 = vld1q_f32(wb), acc1 = vdupq_n_f32(0.0f);
    size_t t = 0;
    _Pragma("GCC unroll 26") for (; t + 2 <= taps; t += 2) {
        const float32x4_t x0 = n == 4 ? vld1q_f32(in[t] + c) : load_partial(in[t] + c, n);
        const float32x4_t x1 = n == 4 ? vld1q_f32(in[t + 1] + c) : load_partial(in[t + 1] + c, n);
        acc0 = vfmaq_f32(acc0, x0, vld1q_f32(wb + DW_CB * (t + 1)));
        acc1 = vfmaq_f32(acc1, x1, vld1q_f32(wb + DW_CB * (t + 2)));
    }
    if (t < taps) {
        const float32x4_t x0 = n == 4 ? vld1q_f32(in[t] + c) : load_partial(in[t] + c, n);
        acc0 = vfmaq_f32(acc0, x0, vld1q_f32(wb + DW_CB * (t + 1)));
    }
    return vaddq_f32(acc0, acc1);
}

ALWAYS_INLINE void dwconv_body(const size_t TAPS, size_t channels, size_t width, size_t taps,
                               const float *const *input, size_t input_step, size_t input_offset,
                               const float *zero, const float *weights, float *output,
                               const mote_f32_minmax *params) {
    if (TAPS) taps = TAPS;
    const float32x4_t vmin = vdupq_n_f32(params->min), vmax = vdupq_n_f32(params->max);
    const size_t block = DW_CB * (taps + 1);
    for (size_t p = 0; p < width; p++) {
        const float *in[MOTE_DW_MAX_TAPS];
        const float *const *src = input + p * input_step;
        _Pragma("GCC unroll 26") for (size_t t = 0; t < taps; t++) in[t] = src[t] != zero ? src[t] + input_offset : zero;
        const float *wb = weights;
        size_t c = 0;
        for (; c + DW_CB <= channels; c += DW_CB) {
            const float32x4_t a0 = dw_quad(TAPS, taps, in, c, wb, 4);
            const float32x4_t a1 = dw_quad(TAPS, taps, in, c + 4, wb + 4, 4);
            vst1q_f32(output + c, vminq_f32(vmaxq_f32(a0, vmin), vmax));
            vst1q_f32(output + c + 4, vminq_f32(vmaxq_f32(a1, vmin), vmax));
            wb += block;
        }
        if (c < channels) { /* 1 .. 7 channels left; their block's weights are padded */
            size_t left = channels - c;
            if (left >= 4) {
                const float32x4_t a0 = dw_quad(TAPS, taps, in, c, wb, 4);
                vst1q_f32(output + c, vminq_f32(vmaxq_f32(a0, vmin), vmax));
                c += 4, wb += 4, left -= 4;
            }
            if (left > 0) {
                const float32x4_t a0 = dw_quad(TAPS, taps, in, c, wb, left);
                store_partial(output + c, vminq_f32(vmaxq_f32(a0, vmin), vmax), left);
            }
        }
        output += channels;
    }
}

void mote_f32_dwconv_minmax_9p8c__neon(size_t channels, size_t width, size_t taps, const float *const *input,
                                       size_t input_step, size_t input_offset, const float *zero,
                                       const float *weights, float *output, const mote_f32_minmax *params) {
    dwconv_body(9, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}

void mote_f32_dwconv_minmax_25p8c__neon(size_t channels, size_t width, size_t taps, const float *const *input,
                                        size_t input_step, size_t input_offset, const float *zero,
                                        const float *weights, float *output, const mote_f32_minmax *params) {
    dwconv_body(25, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}

void mote_f32_dwconv_minmax_up64p8c__neon(size_t channels, size_t width, size_t taps, const float *const *input,
                                          size_t input_step, size_t input_offset, const float *zero,
                                          const float *weights, float *output, const mote_f32_minmax *params) {
    dwconv_body(0, channels, width, taps, input, input_step, input_offset, zero, weights, output, params);
}
