/* test_opt_arm.c — the optimized int8/uint8 paths against the reference kernels, bit for bit.
 *
 * On AArch64 the NEON pieces are tested directly first: the requantization (requant_i8_neon.h)
 * on edge and random sums, multipliers, shifts, zero points and clamps; the GEMM microkernels
 * (NEON on the I16 layout; SDOT on the byte layout when the CPU has the dot product) on every
 * tile size, partial column groups, odd depths, row corrections and int32 outputs; and the
 * depthwise row kernel on 3x3, 5x5 and other windows, strides, dilations and partial groups.
 *
 * Then, on every architecture, quantized CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
 * models (int8 with per-channel weights, uint8 with zero points, int8 FULLY_CONNECTED weights
 * with a zero point) run with the reference kernels and with the optimized ones on 1 and 2
 * threads, over shapes, strides, dilations, paddings, activations and output scales. These
 * use the instruction set cpu_features() picks; on AArch64 ctest also runs this program with
 * MOTE_CPU_MASK=256 (NEON without the dot product) and MOTE_CPU_MASK=0 (portable C), see
 * tests/cmake/opt_arm.cmake. */
#include <stdint.h>

#include "core/cpu.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/depthwise_i8_opt.h"
#include "kernels/gemm_i8.h"
#include "mote_writer.h"
#include "opt_run.h"
#include "test.h"

#if defined(__aarch64__)
#include "kernels/arm/requant_i8_neon.h"
#endif

/* ---- random numbers (xorshift32, fixed seed: the same cases every run) ---- */

static uint32_t rng_state = 2463534242u;
static uint32_t rng_next(void) {
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}
static int32_t rng_int(int32_t lo, int32_t hi) {
    return (int32_t)((int64_t)lo + (int64_t)(rng_next() % (uint32_t)((int64_t)hi - lo + 1)));
}

#if defined(__aarch64__)

static void *alloc64(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (p) memset(p, 0, (bytes + 63) / 64 * 64);
    return p;
}

/* A Q31 multiplier as QuantizeMultiplier makes them (2^30 .. 2^31 - 1), or any value >= 0. */
static int32_t random_mult(void) {
    switch (rng_int(0, 7)) {
    case 0: return INT32_MAX;
    case 1: return 1 << 30;
    case 2: return rng_int(0, INT32_MAX);
    default: return rng_int(1 << 30, INT32_MAX);
    }
}
static int32_t random_shift(void) {
    switch (rng_int(0, 5)) {
    case 0: return rng_int(-31, 30);
    case 1: return rng_int(0, 30);
    default: return rng_int(-12, 2);
    }
}
static int32_t random_sum(void) {
    static const int32_t edges[] = {0, 1, -1, 2, -2, 3, -3, INT32_MAX, INT32_MIN, INT32_MIN + 1, INT32_MAX - 1,
                                    1 << 30, -(1 << 30), (1 << 30) + 1, -(1 << 30) - 1, 255, -256, 65535, -65536};
    switch (rng_int(0, 3)) {
    case 0: return edges[rng_int(0, (int32_t)(sizeof edges / sizeof edges[0]) - 1)];
    case 1: return (int32_t)rng_next();
    default: return rng_int(-200000, 200000);
    }
}
static gemm_i8_out random_out(void) {
    gemm_i8_out o = {0};
    if (rng_int(0, 1)) { /* int8 */
        o.zero_point = rng_int(-128, 127);
        o.act_min = -128, o.act_max = 127;
        if (rng_int(0, 2) == 0) o.act_min = o.zero_point;               /* RELU */
        if (rng_int(0, 3) == 0) o.act_max = o.zero_point + rng_int(0, 127 - o.zero_point);
    } else { /* uint8 */
        o.zero_point = rng_int(0, 255);
        o.act_min = 0, o.act_max = 255;
        if (rng_int(0, 2) == 0) o.act_min = o.zero_point;
    }
    return o;
}

static void test_requant(void) {
    int bad = 0;
    for (int i = 0; i < 100000 && bad < 10; i++) {
        int32_t acc[4], mult[4], shift[4];
        gemm_i8_rq8 p;
        memset(&p, 0, sizeof p);
        for (int c = 0; c < 4; c++) {
            acc[c] = random_sum(), mult[c] = random_mult(), shift[c] = random_shift();
            gemm_i8_rq8_set(&p, c, 0, mult[c], shift[c]);
        }
        const gemm_i8_out o = random_out();
        const requant_i8_neon_c q = requant_i8_neon_rq8(&p, 0);
        const requant_i8_neon_out ro = requant_i8_neon_out_load(&o);
        int32_t got[4];
        vst1q_s32(got, requant_i8_neon(vld1q_s32(acc), &q, &ro));
        for (int c = 0; c < 4; c++) {
            const int32_t want = gemm_i8_requant_ref(acc[c], mult[c], shift[c], &o);
            if (got[c] != want && bad++ < 10)
                fprintf(stderr, "requant acc %d mult %d shift %d zp %d: %d, expected %d\n", acc[c], mult[c], shift[c],
                        o.zero_point, got[c], want);
        }
    }
    CHECK_EQ_INT(bad, 0);

    /* The byte layout keeps its shifts differently: the same results from its constants. */
    bad = 0;
    gemm_i8_rq16 *p16 = alloc64(sizeof *p16);
    for (int i = 0; i < 20000 && bad < 10; i++) {
        int32_t acc[16], mult[16], shift[16];
        for (int c = 0; c < 16; c++) {
            acc[c] = random_sum(), mult[c] = random_mult(), shift[c] = random_shift();
            gemm_i8_rq16_set(p16, c, 0, mult[c], shift[c]);
        }
        const gemm_i8_out o = random_out();
        const requant_i8_neon_out ro = requant_i8_neon_out_load(&o);
        for (int v = 0; v < 4; v++) {
            const requant_i8_neon_c q = requant_i8_neon_rq16(p16, 4 * v);
            int32_t got[4];
            vst1q_s32(got, requant_i8_neon(vld1q_s32(acc + 4 * v), &q, &ro));
            for (int c = 0; c < 4; c++) {
                const int ch = 4 * v + c;
                const int32_t want = gemm_i8_requant_ref(acc[ch], mult[ch], shift[ch], &o);
                if (got[c] != want && bad++ < 10)
                    fprintf(stderr, "requant (rq16) channel %d acc %d mult %d shift %d: %d, expected %d\n", ch, acc[ch],
                            mult[ch], shift[ch], got[c], want);
            }
        }
    }
    free(p16);
    CHECK_EQ_INT(bad, 0);
}

/* Compares a tile's output with the sums `want` (out32) or their requantization. */
static int check_tile_out(const gemm_i8_tile *t, const int32_t *sums, size_t sums_stride, const int32_t *mult,
                          const int32_t *shift, const uint8_t *canary_buf, size_t c_rows, const char *what) {
    const gemm_i8_out *o = t->out;
    const size_t esize = o->out32 ? 4 : 1;
    for (size_t r = 0; r < c_rows; r++)
        for (size_t c = 0; c < t->c_stride / esize; c++) {
            const uint8_t *at = (const uint8_t *)t->c + r * t->c_stride + c * esize;
            const int inside = r < (size_t)t->mr && c < (size_t)t->nc;
            if (!inside) {
                if (memcmp(at, canary_buf, esize) != 0) {
                    fprintf(stderr, "%s: wrote outside the tile at row %zu column %zu\n", what, r, c);
                    test_failures++;
                    return 0;
                }
                continue;
            }
            const int32_t s = sums[r * sums_stride + c];
            int32_t got, want;
            if (o->out32) {
                memcpy(&got, at, 4);
                want = s;
            } else {
                got = o->act_min < 0 ? (int32_t)(int8_t)*at : (int32_t)*at;
                want = gemm_i8_requant_ref(s, mult[c], shift[c], o);
            }
            if (got != want) {
                fprintf(stderr, "%s: row %zu column %zu is %d, expected %d (sum %d)\n", what, r, c, got, want, s);
                test_failures++;
                return 0;
            }
        }
    return 1;
}

/* NEON on the I16 layout: a panel of int16 (x - zx), groups of 8 columns of int16 (w - zw). */
static void check_neon_tile(int32_t mr, int32_t nv, int32_t nc, int32_t kp, int out32) {
    const size_t a_stride = ((size_t)kp * 2 + 63) / 64 * 64;
    const size_t group_bytes = sizeof(gemm_i8_rq8) + (size_t)kp * 16;
    int16_t *a = alloc64((size_t)mr * a_stride);
    uint8_t *w = alloc64((size_t)nv * group_bytes);
    int32_t colterm[16], mult[16], shift[16], sums[4 * 16];
    for (int32_t r = 0; r < mr; r++)
        for (int32_t i = 0; i < kp; i++) a[(size_t)r * a_stride / 2 + (size_t)i] = (int16_t)rng_int(-255, 255);
    for (int32_t j = 0; j < nv; j++) {
        gemm_i8_rq8 *p = (gemm_i8_rq8 *)(void *)(w + (size_t)j * group_bytes);
        int16_t *wb = (int16_t *)(void *)(w + (size_t)j * group_bytes + sizeof *p);
        for (int32_t c = 0; c < 8; c++) {
            const int32_t col = j * 8 + c;
            colterm[col] = rng_int(-100000, 100000), mult[col] = random_mult(), shift[col] = random_shift();
            gemm_i8_rq8_set(p, c, colterm[col], mult[col], shift[col]);
            for (int32_t i = 0; i < kp; i++) wb[(size_t)(i / 2) * 16 + (size_t)c * 2 + (size_t)(i % 2)] = (int16_t)rng_int(-255, 255);
        }
    }
    for (int32_t r = 0; r < mr; r++)
        for (int32_t col = 0; col < nc; col++) {
            const int32_t j = col / 8, c = col % 8;
            const int16_t *wb = (const int16_t *)(const void *)(w + (size_t)j * group_bytes + sizeof(gemm_i8_rq8));
            uint32_t s = (uint32_t)colterm[col];
            for (int32_t i = 0; i < kp; i++)
                s += (uint32_t)((int32_t)a[(size_t)r * a_stride / 2 + (size_t)i] * wb[(size_t)(i / 2) * 16 + (size_t)c * 2 + (size_t)(i % 2)]);
            sums[r * 16 + col] = (int32_t)s;
        }
    const gemm_i8_out o = {.zero_point = 3, .act_min = -128, .act_max = 127, .out32 = out32};
    gemm_i8_out o2 = random_out();
    o2.out32 = out32;
    const size_t esize = out32 ? 4 : 1, c_stride = (16 + 3) * esize, c_rows = 5;
    uint8_t *cbuf = malloc(c_rows * c_stride), canary[4] = {0xA5, 0xA5, 0xA5, 0xA5};
    for (int pass = 0; pass < 2; pass++) {
        memset(cbuf, 0xA5, c_rows * c_stride);
        gemm_i8_tile t = {.mr = mr, .nv = nv, .nc = nc, .kp = kp, .a = a, .a_stride = a_stride, .row_corr = NULL,
                          .w = w, .w_stride = group_bytes, .c = cbuf, .c_stride = c_stride, .out = pass ? &o2 : &o};
        gemm_i8_tile__neon(&t);
        char what[120];
        snprintf(what, sizeof what, "neon tile mr %d nv %d nc %d kp %d out32 %d", mr, nv, nc, kp, out32);
        check_tile_out(&t, sums, 16, mult, shift, canary, c_rows, what);
    }
    free(a), free(w), free(cbuf);
}

/* SDOT on the byte layout: a panel of signed bytes, one group of 16 columns of signed bytes. */
static void check_neondot_tile(int32_t mr, int32_t nc, int32_t kp, int with_row_corr, int out32) {
    const size_t a_stride = ((size_t)kp + 63) / 64 * 64;
    const size_t group_bytes = sizeof(gemm_i8_rq16) + (size_t)kp * 16;
    int8_t *a = alloc64((size_t)mr * a_stride);
    uint8_t *w = alloc64(group_bytes);
    int32_t colterm[16], mult[16], shift[16], sums[4 * 16], row_corr[4];
    for (int32_t r = 0; r < mr; r++) {
        row_corr[r] = rng_int(-1000000, 1000000);
        for (int32_t i = 0; i < kp; i++) a[(size_t)r * a_stride + (size_t)i] = (int8_t)rng_int(-128, 127);
    }
    gemm_i8_rq16 *p = (gemm_i8_rq16 *)(void *)w;
    int8_t *wb = (int8_t *)(w + sizeof *p);
    for (int32_t c = 0; c < 16; c++) {
        colterm[c] = rng_int(-100000, 100000), mult[c] = random_mult(), shift[c] = random_shift();
        gemm_i8_rq16_set(p, c, colterm[c], mult[c], shift[c]);
        for (int32_t i = 0; i < kp; i++) wb[(size_t)(i / 4) * 64 + (size_t)c * 4 + (size_t)(i % 4)] = (int8_t)rng_int(-128, 127);
    }
    for (int32_t r = 0; r < mr; r++)
        for (int32_t c = 0; c < nc; c++) {
            uint32_t s = (uint32_t)colterm[c] + (with_row_corr ? (uint32_t)row_corr[r] : 0u);
            for (int32_t i = 0; i < kp; i++)
                s += (uint32_t)((int32_t)a[(size_t)r * a_stride + (size_t)i] * wb[(size_t)(i / 4) * 64 + (size_t)c * 4 + (size_t)(i % 4)]);
            sums[r * 16 + c] = (int32_t)s;
        }
    gemm_i8_out o = random_out();
    o.out32 = out32;
    const size_t esize = out32 ? 4 : 1, c_stride = (16 + 5) * esize, c_rows = 5;
    uint8_t *cbuf = malloc(c_rows * c_stride), canary[4] = {0x5A, 0x5A, 0x5A, 0x5A};
    memset(cbuf, 0x5A, c_rows * c_stride);
    gemm_i8_tile t = {.mr = mr, .nv = 1, .nc = nc, .kp = kp, .a = a, .a_stride = a_stride,
                      .row_corr = with_row_corr ? row_corr : NULL, .w = w, .w_stride = group_bytes, .c = cbuf,
                      .c_stride = c_stride, .out = &o};
    gemm_i8_tile__neondot(&t);
    char what[120];
    snprintf(what, sizeof what, "neondot tile mr %d nc %d kp %d row_corr %d out32 %d", mr, nc, kp, with_row_corr, out32);
    check_tile_out(&t, sums, 16, mult, shift, canary, c_rows, what);
    free(a), free(w), free(cbuf);
}

static void test_gemm_microkernels(void) {
    const int32_t kps[] = {2, 4, 6, 8, 14, 16, 18, 30, 32, 34, 66, 288, 1154};
    for (int32_t mr = 1; mr <= GEMM_I8_NEON_MR; mr++)
        for (int32_t nv = 1; nv <= GEMM_I8_NEON_NV; nv++)
            for (int32_t nc = (nv - 1) * 8 + 1; nc <= nv * 8; nc++)
                for (size_t k = 0; k < sizeof kps / sizeof kps[0]; k += (size_t)rng_int(1, 3))
                    check_neon_tile(mr, nv, nc, kps[k], (nc + (int32_t)k) % 5 == 0);
    if (!(cpu_features() & CPU_ARM_DOTPROD)) {
        fprintf(stderr, "no dot product on this CPU: the SDOT microkernel is not run\n");
        return;
    }
    const int32_t kps4[] = {4, 8, 12, 16, 20, 28, 32, 36, 64, 100, 288, 1156};
    for (int32_t mr = 1; mr <= GEMM_I8_NEONDOT_MR; mr++)
        for (int32_t nc = 1; nc <= 16; nc++)
            for (size_t k = 0; k < sizeof kps4 / sizeof kps4[0]; k += (size_t)rng_int(1, 2))
                check_neondot_tile(mr, nc, kps4[k], (nc + mr) % 2, (nc + (int32_t)k) % 6 == 0);
}

/* The depthwise row kernel: ring rows of int32 (x - zx), weights w - zw in the low 16 bits. */
static void check_dw_row(int32_t kh, int32_t kw, int32_t channels, int32_t out_w, int32_t stride, int32_t dil) {
    const int32_t groups = (channels + 7) / 8;
    const size_t lanes = (size_t)groups * 8;
    const int32_t width = (out_w - 1) * stride + (kw - 1) * dil + 1;
    const size_t group_bytes = sizeof(gemm_i8_rq8) + (size_t)kh * (size_t)kw * 8 * sizeof(int32_t);
    int32_t *ring = alloc64((size_t)kh * (size_t)width * lanes * sizeof(int32_t));
    uint8_t *w = alloc64((size_t)groups * group_bytes);
    int32_t *colterm = malloc(lanes * 4), *mult = malloc(lanes * 4), *shift = malloc(lanes * 4);
    int16_t *wv = malloc(lanes * (size_t)kh * (size_t)kw * 2);
    for (size_t i = 0; i < (size_t)kh * (size_t)width * lanes; i++) ring[i] = rng_int(-255, 255);
    for (int32_t g = 0; g < groups; g++) {
        gemm_i8_rq8 *p = (gemm_i8_rq8 *)(void *)(w + (size_t)g * group_bytes);
        int32_t *wl = (int32_t *)(void *)(w + (size_t)g * group_bytes + sizeof *p);
        for (int32_t c = 0; c < 8; c++) {
            const int32_t ch = g * 8 + c;
            colterm[ch] = rng_int(-50000, 50000), mult[ch] = random_mult(), shift[ch] = random_shift();
            gemm_i8_rq8_set(p, c, colterm[ch], mult[ch], shift[ch]);
            for (int32_t t = 0; t < kh * kw; t++) {
                const int16_t v = (int16_t)rng_int(-255, 255);
                wv[(size_t)t * lanes + (size_t)ch] = v;
                wl[(size_t)t * 8 + (size_t)c] = (int32_t)(uint16_t)v;
            }
        }
    }
    const int32_t *rows[16];
    for (int32_t fy = 0; fy < kh; fy++) rows[fy] = ring + (size_t)fy * (size_t)width * lanes;
    const gemm_i8_out o = random_out();
    const size_t y_stride = (size_t)channels + 3;
    uint8_t *y = malloc((size_t)out_w * y_stride);
    memset(y, 0xC3, (size_t)out_w * y_stride);
    dw_i8_row row = {.out_w = out_w, .stride_w = stride, .dilation_w = dil, .kh = kh, .kw = kw, .rows = rows,
                     .pixel_lanes = lanes, .w = w, .w_stride = group_bytes, .channels = channels, .y = y,
                     .y_stride = y_stride, .out = &o};
    dw_i8_row__neon(&row);
    int ok = 1;
    for (int32_t ox = 0; ox < out_w && ok; ox++)
        for (size_t ch = 0; ch < y_stride && ok; ch++) {
            const uint8_t got = y[(size_t)ox * y_stride + ch];
            if (ch >= (size_t)channels) {
                if (got != 0xC3) {
                    fprintf(stderr, "dw %dx%d: wrote past the channels at pixel %d\n", kh, kw, ox);
                    ok = 0;
                }
                continue;
            }
            uint32_t s = (uint32_t)colterm[ch];
            for (int32_t fy = 0; fy < kh; fy++)
                for (int32_t fx = 0; fx < kw; fx++)
                    s += (uint32_t)(rows[fy][((size_t)ox * (size_t)stride + (size_t)fx * (size_t)dil) * lanes + ch] *
                                    wv[(size_t)(fy * kw + fx) * lanes + ch]);
            const int32_t want = gemm_i8_requant_ref((int32_t)s, mult[ch], shift[ch], &o);
            const int32_t g = o.act_min < 0 ? (int32_t)(int8_t)got : (int32_t)got;
            if (g != want) {
                fprintf(stderr, "dw %dx%d channels %d stride %d dilation %d: pixel %d channel %zu is %d, expected %d\n", kh,
                        kw, channels, stride, dil, ox, ch, g, want);
                ok = 0;
            }
        }
    if (!ok) test_failures++;
    free(ring), free(w), free(colterm), free(mult), free(shift), free(wv), free(y);
}

static void test_depthwise_rows(void) {
    const int32_t ks[][2] = {{3, 3}, {5, 5}, {1, 1}, {2, 3}, {3, 1}, {7, 7}};
    for (size_t k = 0; k < sizeof ks / sizeof ks[0]; k++)
        for (int32_t ch = 1; ch <= 41; ch += (ch < 17 ? 1 : 8))
            check_dw_row(ks[k][0], ks[k][1], ch, rng_int(1, 9), rng_int(1, 2), rng_int(1, 2));
}

#endif /* __aarch64__ */

/* ---- operators: quantized models run with reference and optimized kernels ---- */

typedef struct qnet {
    mote_writer *w;
    int32_t x, y;
    mote_type type;
} qnet;

static int32_t qtensor(qnet *n, const char *name, mote_type type, int32_t rank, const int32_t *dims, const void *data,
                       size_t bytes, int32_t count, const float *scales, const int64_t *zps, int32_t qdim) {
    int32_t t;
    CHECK_OK(mote_writer_add_tensor(n->w, name, type, rank, dims, data, bytes, &t));
    if (count) CHECK_OK(mote_writer_set_quantization(n->w, t, count, scales, zps, qdim));
    return t;
}

static void qnet_check(qnet *n, const char *what) { opt_check_exact(n->w, 99991u, what); }

typedef struct qconv_shape {
    int32_t batch, h, w, in_c, out_c, kh, kw, stride_h, stride_w, dil_h, dil_w, padding, act, bias;
    int uint8;       /* uint8 activations and weights (per tensor, zero points), else int8 per channel */
    int32_t w_zero;  /* uint8 weights' zero point */
    int32_t scale_exp; /* output scale: 2^scale_exp times a typical sum's scale (outputs saturate for < -3) */
} qconv_shape;


static const int activations[] = {0, 1, 2, 3}; /* NONE, RELU, RELU_N1_TO_1, RELU6 */

static void check_qconv(qconv_shape s, int depthwise) {
    qnet n = {0};
    CHECK_OK(mote_writer_create(NULL, &n.w));
    const mote_type type = s.uint8 ? MOTE_UINT8 : MOTE_INT8;
    const float x_scale = 0.05f, w_scale = 0.02f;
    const int64_t x_zero = s.uint8 ? rng_int(0, 255) : rng_int(-128, 127);
    int32_t xd[4] = {s.batch, s.h, s.w, s.in_c};
    n.x = qtensor(&n, "x", type, 4, xd, NULL, 0, 1, &x_scale, &x_zero, 0);
    const int32_t oh = opt_out_size(s.padding, s.h, s.kh, s.stride_h, s.dil_h);
    const int32_t ow = opt_out_size(s.padding, s.w, s.kw, s.stride_w, s.dil_w);
    int32_t fd[4] = {s.out_c, s.kh, s.kw, s.in_c}, od[4] = {s.batch, oh, ow, s.out_c};
    if (depthwise) fd[0] = 1, fd[3] = s.out_c;
    const int32_t depth = s.kh * s.kw * (depthwise ? 1 : s.in_c);
    const size_t fcount = (size_t)s.out_c * (size_t)depth;
    uint8_t *fw = malloc(fcount);
    for (size_t i = 0; i < fcount; i++) fw[i] = s.uint8 ? (uint8_t)rng_int(0, 255) : (uint8_t)(int8_t)rng_int(-127, 127);
    /* Weight scales: one per output channel (int8) or one (uint8). */
    float *ws = malloc((size_t)s.out_c * sizeof(float)), *bs = malloc((size_t)s.out_c * sizeof(float));
    int64_t *wz = calloc((size_t)s.out_c, sizeof(int64_t));
    for (int32_t c = 0; c < s.out_c; c++) ws[c] = w_scale * (float)rng_int(50, 200) / 100.0f, bs[c] = ws[c] * x_scale;
    const int32_t qn = s.uint8 ? 1 : s.out_c;
    if (s.uint8) wz[0] = s.w_zero;
    int32_t filter = qtensor(&n, "filter", type, 4, fd, fw, fcount, qn, ws, wz, depthwise ? 3 : 0);
    int32_t *bv = malloc((size_t)s.out_c * sizeof(int32_t));
    const int32_t brange = 60 * (int32_t)sqrtf((float)depth) * 128;
    for (int32_t c = 0; c < s.out_c; c++) bv[c] = rng_int(-brange, brange);
    int64_t *bz = calloc((size_t)s.out_c, sizeof(int64_t));
    int32_t bias = s.bias ? qtensor(&n, "bias", MOTE_INT32, 1, &s.out_c, bv, (size_t)s.out_c * 4, qn, bs, bz, 0) : -1;
    const float y_scale = ldexpf(x_scale * w_scale * 128.0f * sqrtf((float)depth) / 64.0f, s.scale_exp);
    const int64_t y_zero = s.uint8 ? rng_int(0, 255) : rng_int(-128, 127);
    n.y = qtensor(&n, "y", type, 4, od, NULL, 0, 1, &y_scale, &y_zero, 0);
    int32_t ins[3] = {n.x, filter, bias};
    mote_writer_op op = {.input_count = 3, .inputs = ins, .output_count = 1, .outputs = &n.y};
    mote_option_field f[7];
    if (depthwise) {
        mote_option_field d[7] = {opt_i8(0, s.padding), opt_i32(1, s.stride_w), opt_i32(2, s.stride_h), opt_i32(3, 1),
                                  opt_i8(4, s.act),     opt_i32(5, s.dil_w),    opt_i32(6, s.dil_h)};
        memcpy(f, d, sizeof d);
        op.builtin_code = MOTE_OP_DEPTHWISE_CONV_2D, op.options_type = TFL_OPTIONS_DEPTHWISE_CONV2D, op.field_count = 7;
    } else {
        mote_option_field d[6] = {opt_i8(0, s.padding), opt_i32(1, s.stride_w), opt_i32(2, s.stride_h),
                                  opt_i8(3, s.act),     opt_i32(4, s.dil_w),    opt_i32(5, s.dil_h)};
        memcpy(f, d, sizeof d);
        op.builtin_code = MOTE_OP_CONV_2D, op.options_type = TFL_OPTIONS_CONV2D, op.field_count = 6;
    }
    op.fields = f;
    CHECK_OK(mote_writer_add_op(n.w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &n.x));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &n.y));
    free(fw), free(ws), free(bs), free(wz), free(bv), free(bz);
    char what[240];
    snprintf(what, sizeof what,
             "%s %s b%d %dx%dx%d -> %d, %dx%d stride %d,%d dilation %d,%d %s act %d bias %d w_zero %d scale 2^%d",
             s.uint8 ? "uint8" : "int8", depthwise ? "depthwise" : "conv", s.batch, s.h, s.w, s.in_c, s.out_c, s.kh, s.kw,
             s.stride_h, s.stride_w, s.dil_h, s.dil_w, s.padding ? "VALID" : "SAME", s.act, s.bias, s.w_zero, s.scale_exp);
    qnet_check(&n, what);
}

static qconv_shape random_qconv(int depthwise) {
    static const int32_t ks[6][2] = {{3, 3}, {3, 3}, {5, 5}, {1, 1}, {2, 3}, {1, 1}};
    const int32_t k = rng_int(0, 5);
    qconv_shape s = {rng_int(1, 2), rng_int(1, 11), rng_int(1, 11), rng_int(1, depthwise ? 40 : 24), rng_int(1, 40),
                     ks[k][0], ks[k][1], rng_int(1, 2), rng_int(1, 2), rng_int(1, 2), rng_int(1, 2), rng_int(0, 1),
                     activations[rng_int(0, 3)], rng_int(0, 4) != 0, rng_int(0, 1), 0, rng_int(-6, 3)};
    if (depthwise) s.out_c = s.in_c;
    s.w_zero = rng_int(0, 2) ? 128 : rng_int(90, 170);
    if (opt_out_size(s.padding, s.h, s.kh, s.stride_h, s.dil_h) == 0 || opt_out_size(s.padding, s.w, s.kw, s.stride_w, s.dil_w) == 0)
        s.padding = 0;
    return s;
}

static void test_conv2d(void) {
    /* 1x1 stride 1: row tiles and column groups, both types. */
    for (int32_t px = 1; px <= 12; px++) {
        qconv_shape s = {1, 1, px, rng_int(1, 40), rng_int(1, 70), 1, 1, 1, 1, 1, 1, 1, activations[px % 4], px % 5 != 0,
                         px % 2, px % 3 ? 128 : 117, rng_int(-3, 1)};
        check_qconv(s, 0);
    }
    /* Deep, wide, and the first layer of the image models. */
    check_qconv((qconv_shape){1, 3, 5, 300, 40, 1, 1, 1, 1, 1, 1, 1, 3, 1, 0, 0, 0}, 0);
    check_qconv((qconv_shape){2, 4, 4, 33, 70, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 131, 0}, 0);
    check_qconv((qconv_shape){1, 17, 15, 3, 16, 3, 3, 2, 2, 1, 1, 0, 3, 1, 0, 0, 0}, 0);
    for (int i = 0; i < 60; i++) check_qconv(random_qconv(0), 0);
}

static void test_depthwise(void) {
    for (int i = 0; i < 60; i++) check_qconv(random_qconv(1), 1);
    check_qconv((qconv_shape){1, 12, 12, 32, 32, 3, 3, 1, 1, 1, 1, 0, 3, 1, 0, 0, 0}, 1);
    check_qconv((qconv_shape){1, 9, 9, 19, 19, 5, 5, 2, 2, 1, 1, 0, 0, 1, 1, 100, -1}, 1);
}

static void check_qfc(int32_t batches, int32_t in, int32_t out, int act, int bias, int uint8, int32_t w_zero,
                      int32_t scale_exp) {
    qnet n = {0};
    CHECK_OK(mote_writer_create(NULL, &n.w));
    const mote_type type = uint8 ? MOTE_UINT8 : MOTE_INT8;
    const float x_scale = 0.05f, w_scale = 0.02f, b_scale = x_scale * w_scale;
    const int64_t x_zero = uint8 ? rng_int(0, 255) : rng_int(-128, 127), wz = w_zero, bz = 0;
    int32_t xd[2] = {batches, in}, wd[2] = {out, in}, yd[2] = {batches, out};
    n.x = qtensor(&n, "x", type, 2, xd, NULL, 0, 1, &x_scale, &x_zero, 0);
    uint8_t *w = malloc((size_t)out * (size_t)in);
    for (size_t i = 0; i < (size_t)out * (size_t)in; i++) w[i] = (uint8_t)rng_next();
    int32_t wt = qtensor(&n, "w", type, 2, wd, w, (size_t)out * (size_t)in, 1, &w_scale, &wz, 0);
    int32_t *bv = malloc((size_t)out * sizeof(int32_t));
    for (int32_t c = 0; c < out; c++) bv[c] = rng_int(-20000, 20000);
    int32_t bt = bias ? qtensor(&n, "b", MOTE_INT32, 1, &out, bv, (size_t)out * 4, 1, &b_scale, &bz, 0) : -1;
    const float y_scale = ldexpf(x_scale * w_scale * 128.0f * sqrtf((float)in) / 64.0f, scale_exp);
    const int64_t y_zero = uint8 ? rng_int(0, 255) : rng_int(-128, 127);
    n.y = qtensor(&n, "y", type, 2, yd, NULL, 0, 1, &y_scale, &y_zero, 0);
    int32_t ins[3] = {n.x, wt, bt};
    mote_option_field f[1] = {opt_i8(0, act)};
    mote_writer_op op = {.builtin_code = MOTE_OP_FULLY_CONNECTED, .input_count = 3, .inputs = ins, .output_count = 1,
                         .outputs = &n.y, .options_type = TFL_OPTIONS_FULLY_CONNECTED, .field_count = 1, .fields = f};
    CHECK_OK(mote_writer_add_op(n.w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &n.x));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &n.y));
    free(w), free(bv);
    char what[160];
    snprintf(what, sizeof what, "%s fully connected %d x %d -> %d act %d bias %d w_zero %d scale 2^%d",
             uint8 ? "uint8" : "int8", batches, in, out, act, bias, w_zero, scale_exp);
    qnet_check(&n, what);
}

static void test_fully_connected(void) {
    const int32_t batches[] = {1, 2, 3, 5, 8, 13};
    const int32_t sizes[] = {1, 3, 16, 17, 33, 100};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            const int u = (int)((b + i) % 2);
            const int32_t wz = u ? (i % 3 ? 128 : rng_int(100, 160)) : (i % 4 == 3 ? rng_int(-20, 20) : 0);
            check_qfc(batches[b], sizes[i], sizes[(i + b) % 6] + (int32_t)b, activations[(b + i) % 4], (b + i) % 3 != 0, u,
                      wz, rng_int(-4, 1));
        }
}

static void test_isa(void) {
    char buf[96];
    fprintf(stderr, "CPU features: %s\n", cpu_feature_names(cpu_features(), buf, sizeof buf));
}

#if defined(__aarch64__)
TEST_MAIN(test_isa, test_requant, test_gemm_microkernels, test_depthwise_rows, test_conv2d, test_depthwise,
          test_fully_connected)
#else
TEST_MAIN(test_isa, test_conv2d, test_depthwise, test_fully_connected)
#endif
