/* test_opt_i8.c — the optimized int8/uint8 paths of x86 (and their portable fallbacks)
 * against the reference kernels, bit for bit: models run with reference kernels and with
 * optimized ones on 1 and 2 threads.
 *
 *  - CONV_2D: 1x1 stride 1 (rows read straight from the input when the depth is a multiple
 *    of 4), the first layer of the image models (3x3 stride 2 over 3 channels, contiguous
 *    window rows), other windows, strides, dilations, paddings, int8 per-channel and uint8
 *    per-tensor with weight zero points, tile edges (rows, column groups, odd channels);
 *  - DEPTHWISE_CONV_2D over windows, strides, dilations and channel counts;
 *  - FULLY_CONNECTED over batches and sizes;
 *  - ADD and SUB of equal shapes (int8, uint8, activations, scales far apart);
 *  - QUANTIZE between 8-bit types (the table) and PAD (rows merged when the last
 *    dimensions are not padded), each also feeding a convolution (a zero PAD is then read
 *    by the convolution itself);
 *  - MEAN of 8-bit tensors over several axes (row-wise sums) and TRANSPOSE of bytes
 *    (NCHW to NHWC).
 *
 * The operator tests use the instruction set cpu_features() picks; ctest also runs this
 * program with MOTE_CPU_MASK=1 (AVX2 only) and MOTE_CPU_MASK=0 (portable C) on x86-64
 * (tests/cmake/opt_i8.cmake), so every path is compared on one machine. */
#include <stdint.h>

#include "core/cpu.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
#include "opt_run.h"
#include "test.h"

/* ---- random numbers (xorshift32, fixed seed: the same cases every run) ---- */

static uint32_t seed = 88172645u;
static uint32_t next_u32(void) {
    uint32_t x = seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return seed = x;
}
static int32_t uniform(int32_t lo, int32_t hi) {
    return (int32_t)((int64_t)lo + (int64_t)(next_u32() % (uint32_t)((int64_t)hi - lo + 1)));
}

/* ---- a model under construction, and its runs ---- */

typedef struct model {
    mote_writer *w;
    int32_t inputs[2], input_count, output;
} model;

static model model_new(void) {
    model m = {0};
    CHECK_OK(mote_writer_create(NULL, &m.w));
    return m;
}

static int32_t tensor(model *m, const char *name, mote_type type, int32_t rank, const int32_t *dims,
                      const void *data, size_t bytes, int32_t count, const float *scales, const int64_t *zeros,
                      int32_t axis) {
    int32_t t;
    CHECK_OK(mote_writer_add_tensor(m->w, name, type, rank, dims, data, bytes, &t));
    if (count) CHECK_OK(mote_writer_set_quantization(m->w, t, count, scales, zeros, axis));
    return t;
}

/* A per-tensor quantized activation tensor. */
static int32_t activation(model *m, const char *name, mote_type type, int32_t rank, const int32_t *dims, float scale,
                          int64_t zero) {
    return tensor(m, name, type, rank, dims, NULL, 0, 1, &scale, &zero, 0);
}

/* Reference kernels against optimized ones on 1 and 2 threads; then frees the writer. */
static void compare(model *m, const char *what) {
    CHECK_OK(mote_writer_set_inputs(m->w, m->input_count, m->inputs));
    CHECK_OK(mote_writer_set_outputs(m->w, 1, &m->output));
    opt_check_exact(m->w, 1234567u, what);
}

/* ---- convolutions ---- */

typedef struct conv_case {
    int32_t batch, h, w, in_c, out_c, kh, kw, stride, dilation, padding; /* padding 0 SAME, 1 VALID */
    int32_t act;       /* NONE, RELU, RELU_N1_TO_1, RELU6 */
    int32_t bias;      /* with a bias tensor */
    int32_t is_uint8;  /* uint8, per-tensor weights with a zero point; else int8 per channel */
    int32_t w_zero;    /* uint8 weights' zero point */
    int32_t scale_exp; /* output scale relative to a typical sum's (small: outputs saturate) */
    int32_t pre;       /* 0 none, 1 a zero PAD before, 2 a QUANTIZE (8-bit to 8-bit) before */
} conv_case;


/* kind: 0 CONV_2D, 1 DEPTHWISE_CONV_2D (multiplier 1). */
static void check_conv(conv_case c, int kind) {
    model m = model_new();
    const mote_type type = c.is_uint8 ? MOTE_UINT8 : MOTE_INT8;
    const float x_scale = 0.04f, w_base = 0.015f;
    const int64_t x_zero = c.is_uint8 ? uniform(0, 255) : uniform(-128, 127);
    int32_t h = c.h, w = c.w;
    int32_t xd[4] = {c.batch, h, w, c.in_c};
    int32_t x;
    if (c.pre == 1) { /* PAD rows and columns with the zero point */
        const int32_t top = uniform(0, 2), bottom = uniform(0, 2), left = uniform(0, 2), right = uniform(0, 2);
        int32_t src = activation(&m, "x", type, 4, xd, x_scale, x_zero);
        m.inputs[m.input_count++] = src;
        const int32_t pads[8] = {0, 0, top, bottom, left, right, 0, 0}, pd[2] = {4, 2};
        int32_t pt = tensor(&m, "pads", MOTE_INT32, 2, pd, pads, sizeof pads, 0, NULL, NULL, 0);
        h += top + bottom, w += left + right;
        int32_t padded_dims[4] = {c.batch, h, w, c.in_c};
        x = activation(&m, "padded", type, 4, padded_dims, x_scale, x_zero);
        const int32_t in[2] = {src, pt};
        opt_add_op(m.w, MOTE_OP_PAD, TFL_OPTIONS_PAD, 0, NULL, 2, in, x);
    } else if (c.pre == 2) { /* QUANTIZE from the other 8-bit type, another scale */
        const mote_type other = c.is_uint8 ? MOTE_INT8 : MOTE_UINT8;
        int32_t src = activation(&m, "x", other, 4, xd, x_scale * 1.37f, other == MOTE_UINT8 ? uniform(0, 255) : uniform(-128, 127));
        m.inputs[m.input_count++] = src;
        x = activation(&m, "requantized", type, 4, xd, x_scale, x_zero);
        opt_add_op(m.w, MOTE_OP_QUANTIZE, TFL_OPTIONS_NONE, 0, NULL, 1, &src, x);
    } else {
        x = activation(&m, "x", type, 4, xd, x_scale, x_zero);
        m.inputs[m.input_count++] = x;
    }
    const int32_t oh = opt_out_size(c.padding, h, c.kh, c.stride, c.dilation);
    const int32_t ow = opt_out_size(c.padding, w, c.kw, c.stride, c.dilation);
    if (oh <= 0 || ow <= 0) {
        mote_writer_destroy(m.w);
        return;
    }
    const int32_t depth = c.kh * c.kw * (kind ? 1 : c.in_c);
    int32_t fd[4] = {c.out_c, c.kh, c.kw, c.in_c};
    if (kind) fd[0] = 1, fd[3] = c.out_c;
    const size_t wcount = (size_t)c.out_c * (size_t)depth;
    uint8_t *wv = malloc(wcount);
    for (size_t i = 0; i < wcount; i++) wv[i] = c.is_uint8 ? (uint8_t)uniform(0, 255) : (uint8_t)(int8_t)uniform(-127, 127);
    float *ws = malloc((size_t)c.out_c * sizeof *ws), *bs = malloc((size_t)c.out_c * sizeof *bs);
    int64_t *wz = calloc((size_t)c.out_c, sizeof *wz), *bz = calloc((size_t)c.out_c, sizeof *bz);
    for (int32_t o = 0; o < c.out_c; o++) ws[o] = w_base * (float)uniform(40, 250) / 100.0f;
    if (c.is_uint8) {
        wz[0] = c.w_zero;
        for (int32_t o = 0; o < c.out_c; o++) ws[o] = ws[0];
    }
    for (int32_t o = 0; o < c.out_c; o++) bs[o] = ws[o] * x_scale;
    const int32_t scales = c.is_uint8 ? 1 : c.out_c;
    int32_t filter = tensor(&m, "filter", type, 4, fd, wv, wcount, scales, ws, wz, kind ? 3 : 0);
    int32_t *bv = malloc((size_t)c.out_c * sizeof *bv);
    const int32_t brange = 100 * (int32_t)sqrtf((float)depth) * 128;
    for (int32_t o = 0; o < c.out_c; o++) bv[o] = uniform(-brange, brange);
    int32_t bias = c.bias ? tensor(&m, "bias", MOTE_INT32, 1, &c.out_c, bv, (size_t)c.out_c * 4, scales, bs, bz, 0) : -1;
    const float y_scale = ldexpf(x_scale * w_base * 128.0f * sqrtf((float)depth) / 64.0f, c.scale_exp);
    const int32_t yd[4] = {c.batch, oh, ow, c.out_c};
    m.output = activation(&m, "y", type, 4, yd, y_scale, c.is_uint8 ? uniform(0, 255) : uniform(-128, 127));
    const int32_t ins[3] = {x, filter, bias};
    if (kind) {
        const mote_option_field f[7] = {opt_i8(0, c.padding), opt_i32(1, c.stride),   opt_i32(2, c.stride), opt_i32(3, 1),
                                        opt_i8(4, c.act),     opt_i32(5, c.dilation), opt_i32(6, c.dilation)};
        opt_add_op(m.w, MOTE_OP_DEPTHWISE_CONV_2D, TFL_OPTIONS_DEPTHWISE_CONV2D, 7, f, 3, ins, m.output);
    } else {
        const mote_option_field f[6] = {opt_i8(0, c.padding), opt_i32(1, c.stride),   opt_i32(2, c.stride),
                                        opt_i8(3, c.act),     opt_i32(4, c.dilation), opt_i32(5, c.dilation)};
        opt_add_op(m.w, MOTE_OP_CONV_2D, TFL_OPTIONS_CONV2D, 6, f, 3, ins, m.output);
    }
    free(wv), free(ws), free(bs), free(wz), free(bz), free(bv);
    char what[256];
    snprintf(what, sizeof what,
             "%s %s b%d %dx%dx%d -> %d, %dx%d stride %d dilation %d %s act %d bias %d w_zero %d scale 2^%d pre %d",
             c.is_uint8 ? "uint8" : "int8", kind ? "depthwise" : "conv", c.batch, c.h, c.w, c.in_c, c.out_c, c.kh, c.kw,
             c.stride, c.dilation, c.padding ? "VALID" : "SAME", c.act, c.bias, c.w_zero, c.scale_exp, c.pre);
    compare(&m, what);
}

static conv_case random_conv(int kind) {
    static const int32_t windows[][2] = {{3, 3}, {3, 3}, {1, 1}, {1, 1}, {5, 5}, {2, 3}, {3, 1}};
    const int32_t k = uniform(0, 6);
    conv_case c = {uniform(1, 2), uniform(1, 13), uniform(1, 13), uniform(1, kind ? 48 : 40), uniform(1, 72),
                   windows[k][0], windows[k][1], uniform(1, 2), uniform(1, 2) == 2 && uniform(0, 2) == 0 ? 2 : 1,
                   uniform(0, 1), uniform(0, 3), uniform(0, 4) != 0, uniform(0, 1), 128, uniform(-6, 2), uniform(0, 2)};
    if (kind) c.out_c = c.in_c;
    if (c.is_uint8 && uniform(0, 1)) c.w_zero = uniform(80, 180);
    return c;
}

static void test_conv2d(void) {
    /* 1x1 stride 1: every row count of a tile, column groups, depths with and without a
     * multiple of 4, both types. */
    for (int32_t px = 1; px <= 14; px++) {
        const int32_t in_c = px % 3 == 0 ? 4 * uniform(1, 24) : uniform(1, 50);
        conv_case c = {1, 1, px, in_c, uniform(1, 80), 1, 1, 1, 1, 1, px % 4, px % 5 != 0, px % 2, px % 3 ? 128 : 117,
                       uniform(-3, 1), 0};
        check_conv(c, 0);
    }
    /* The first layers of the image models: 3x3 stride 2 over 3 channels, SAME and VALID
     * after a PAD, and the expansions. */
    check_conv((conv_case){1, 23, 21, 3, 32, 3, 3, 2, 1, 0, 3, 1, 0, 0, 0, 0}, 0);
    check_conv((conv_case){1, 22, 22, 3, 32, 3, 3, 2, 1, 1, 3, 1, 0, 0, 0, 1}, 0);
    check_conv((conv_case){1, 19, 17, 3, 24, 3, 3, 2, 1, 0, 3, 1, 1, 121, -1, 2}, 0);
    check_conv((conv_case){1, 9, 9, 16, 96, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0}, 0);
    check_conv((conv_case){1, 5, 7, 320, 40, 1, 1, 1, 1, 1, 3, 1, 0, 0, 1, 0}, 0);
    check_conv((conv_case){2, 4, 4, 36, 70, 1, 1, 1, 1, 0, 0, 1, 1, 131, 0, 0}, 0);
    for (int i = 0; i < 80; i++) check_conv(random_conv(0), 0);
}

/* Rescaled sums at the int32 limit: with uint8 outputs, a multiplier just below 1 (its Q31
 * form 2^31 - 128) and biases near INT32_MAX, the rescaled sum plus an output zero point of
 * 200 passes INT32_MAX. The reference adds in 64 bits and clamps to 255; an int32 add would
 * wrap around to 0. (For int8 outputs it cannot happen: the sum stays 128 below the limit.) */
static void test_zero_point_at_int32_limits(void) {
    for (int kind = 0; kind <= 1; kind++) {
        model m = model_new();
        enum { C = 32 };
        const int32_t c = C, xd[4] = {1, 3, 5, kind ? C : 1}, fd[4] = {kind ? 1 : C, 1, 1, kind ? C : 1};
        const float one = 1.0f, w_scale = 1.0f - 0x1p-24f;
        m.inputs[m.input_count++] = activation(&m, "x", MOTE_UINT8, 4, xd, one, 0);
        uint8_t wv[C];
        int32_t bv[C];
        int64_t w_zero = 10, b_zero = 0;
        for (int32_t o = 0; o < C; o++) wv[o] = 11, bv[o] = INT32_MAX - 255 - 4 * o;
        int32_t filter = tensor(&m, "filter", MOTE_UINT8, 4, fd, wv, sizeof wv, 1, &w_scale, &w_zero, 0);
        int32_t bias = tensor(&m, "bias", MOTE_INT32, 1, &c, bv, sizeof bv, 1, &w_scale, &b_zero, 0);
        const int32_t yd[4] = {1, 3, 5, C};
        m.output = activation(&m, "y", MOTE_UINT8, 4, yd, one, 200);
        const int32_t ins[3] = {m.inputs[0], filter, bias};
        if (kind) {
            const mote_option_field f[7] = {opt_i8(0, 1), opt_i32(1, 1), opt_i32(2, 1), opt_i32(3, 1),
                                            opt_i8(4, 0), opt_i32(5, 1), opt_i32(6, 1)};
            opt_add_op(m.w, MOTE_OP_DEPTHWISE_CONV_2D, TFL_OPTIONS_DEPTHWISE_CONV2D, 7, f, 3, ins, m.output);
        } else {
            const mote_option_field f[6] = {opt_i8(0, 1), opt_i32(1, 1), opt_i32(2, 1),
                                            opt_i8(3, 0), opt_i32(4, 1), opt_i32(5, 1)};
            opt_add_op(m.w, MOTE_OP_CONV_2D, TFL_OPTIONS_CONV2D, 6, f, 3, ins, m.output);
        }
        compare(&m, kind ? "uint8 depthwise, sums at the int32 limit" : "uint8 conv, sums at the int32 limit");
    }
}

static void test_depthwise(void) {
    check_conv((conv_case){1, 16, 16, 32, 32, 3, 3, 1, 1, 0, 3, 1, 0, 0, 0, 0}, 1);
    check_conv((conv_case){1, 15, 15, 144, 144, 3, 3, 2, 1, 0, 3, 1, 0, 0, 0, 1}, 1);
    check_conv((conv_case){1, 9, 9, 19, 19, 5, 5, 2, 1, 0, 0, 1, 1, 100, -1, 0}, 1);
    for (int i = 0; i < 80; i++) check_conv(random_conv(1), 1);
}

/* ---- FULLY_CONNECTED ---- */

static void check_fc(int32_t batches, int32_t in, int32_t out, int32_t act, int32_t bias, int32_t is_uint8,
                     int32_t w_zero, int32_t scale_exp) {
    model m = model_new();
    const mote_type type = is_uint8 ? MOTE_UINT8 : MOTE_INT8;
    const float x_scale = 0.04f, w_scale = 0.015f, b_scale = x_scale * w_scale;
    const int64_t wz = w_zero, bz = 0;
    const int32_t xd[2] = {batches, in}, wd[2] = {out, in}, yd[2] = {batches, out};
    m.inputs[m.input_count++] = activation(&m, "x", type, 2, xd, x_scale, is_uint8 ? uniform(0, 255) : uniform(-128, 127));
    uint8_t *w = malloc((size_t)out * (size_t)in);
    for (size_t i = 0; i < (size_t)out * (size_t)in; i++) w[i] = (uint8_t)next_u32();
    if (!is_uint8)
        for (size_t i = 0; i < (size_t)out * (size_t)in; i++)
            if (w[i] == 0x80) w[i] = 0x81; /* symmetric int8 weights */
    int32_t wt = tensor(&m, "w", type, 2, wd, w, (size_t)out * (size_t)in, 1, &w_scale, &wz, 0);
    int32_t *bv = malloc((size_t)out * sizeof *bv);
    for (int32_t o = 0; o < out; o++) bv[o] = uniform(-30000, 30000);
    int32_t bt = bias ? tensor(&m, "b", MOTE_INT32, 1, &out, bv, (size_t)out * 4, 1, &b_scale, &bz, 0) : -1;
    const float y_scale = ldexpf(x_scale * w_scale * 128.0f * sqrtf((float)in) / 64.0f, scale_exp);
    m.output = activation(&m, "y", type, 2, yd, y_scale, is_uint8 ? uniform(0, 255) : uniform(-128, 127));
    const int32_t ins[3] = {m.inputs[0], wt, bt};
    const mote_option_field f[1] = {opt_i8(0, act)};
    opt_add_op(m.w, MOTE_OP_FULLY_CONNECTED, TFL_OPTIONS_FULLY_CONNECTED, 1, f, 3, ins, m.output);
    free(w), free(bv);
    char what[160];
    snprintf(what, sizeof what, "%s fully connected %d x %d -> %d act %d bias %d w_zero %d scale 2^%d",
             is_uint8 ? "uint8" : "int8", batches, in, out, act, bias, w_zero, scale_exp);
    compare(&m, what);
}

static void test_fully_connected(void) {
    const int32_t batches[] = {1, 2, 5, 7, 13};
    const int32_t sizes[] = {1, 4, 16, 19, 64, 129};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            const int32_t u = (int32_t)((b + i) % 2);
            const int32_t wz = u ? (i % 3 ? 128 : uniform(90, 170)) : (i % 4 == 3 ? uniform(-10, 10) : 0);
            check_fc(batches[b], sizes[i], sizes[(i + b) % 6] + (int32_t)b, (int32_t)((b + i) % 4), (b + i) % 3 != 0, u, wz,
                     uniform(-4, 1));
        }
}

/* ---- ADD and SUB ---- */

static void check_add(int32_t code, mote_type type, int32_t count, int32_t act, float sa, float sb, float sy) {
    model m = model_new();
    const int32_t dims[2] = {1, count};
    const int u = type == MOTE_UINT8;
    const int32_t a = activation(&m, "a", type, 2, dims, sa, u ? uniform(0, 255) : uniform(-128, 127));
    const int32_t b = activation(&m, "b", type, 2, dims, sb, u ? uniform(0, 255) : uniform(-128, 127));
    m.inputs[m.input_count++] = a;
    m.inputs[m.input_count++] = b;
    m.output = activation(&m, "y", type, 2, dims, sy, u ? uniform(0, 255) : uniform(-128, 127));
    const int32_t ins[2] = {a, b};
    const mote_option_field f[1] = {opt_i8(0, act)};
    opt_add_op(m.w, code, code == MOTE_OP_ADD ? TFL_OPTIONS_ADD : TFL_OPTIONS_SUB, 1, f, 2, ins, m.output);
    char what[160];
    snprintf(what, sizeof what, "%s %s of %d act %d scales %g %g -> %g", code == MOTE_OP_ADD ? "ADD" : "SUB",
             u ? "uint8" : "int8", count, act, (double)sa, (double)sb, (double)sy);
    compare(&m, what);
}

static void test_add_sub(void) {
    const int32_t counts[] = {1, 7, 16, 17, 63, 100, 1000, 40000};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        for (int u = 0; u <= 1; u++) {
            const mote_type type = u ? MOTE_UINT8 : MOTE_INT8;
            check_add(MOTE_OP_ADD, type, counts[i], (int32_t)(i % 4), 0.05f, 0.03f, 0.07f);
            check_add(MOTE_OP_SUB, type, counts[i], (int32_t)((i + 1) % 4), 0.02f, 0.09f, 0.05f);
            const float sa = ldexpf((float)uniform(100, 400) / 256.0f, uniform(-12, 2));
            const float sb = ldexpf((float)uniform(100, 400) / 256.0f, uniform(-12, 2));
            const float sy = ldexpf((float)uniform(100, 400) / 256.0f, uniform(-12, 2));
            check_add(uniform(0, 1) ? MOTE_OP_ADD : MOTE_OP_SUB, type, counts[i], uniform(0, 3), sa, sb, sy);
        }
}

/* ---- QUANTIZE and PAD on their own ---- */

static void check_quantize(mote_type from, mote_type to, float s_in, float s_out, int32_t count) {
    model m = model_new();
    const int32_t dims[1] = {count};
    const int32_t x = activation(&m, "x", from, 1, dims, s_in, from == MOTE_UINT8 ? uniform(0, 255) : uniform(-128, 127));
    m.inputs[m.input_count++] = x;
    m.output = activation(&m, "y", to, 1, dims, s_out, to == MOTE_UINT8 ? uniform(0, 255) : uniform(-128, 127));
    opt_add_op(m.w, MOTE_OP_QUANTIZE, TFL_OPTIONS_NONE, 0, NULL, 1, &x, m.output);
    compare(&m, "QUANTIZE 8-bit to 8-bit");
}

static void check_pad(const int32_t *dims, const int32_t *pads, mote_type type) {
    model m = model_new();
    const int32_t x = activation(&m, "x", type, 4, dims, 0.1f, type == MOTE_UINT8 ? 7 : -3);
    m.inputs[m.input_count++] = x;
    const int32_t pd[2] = {4, 2};
    const int32_t pt = tensor(&m, "pads", MOTE_INT32, 2, pd, pads, 8 * sizeof(int32_t), 0, NULL, NULL, 0);
    int32_t od[4];
    for (int k = 0; k < 4; k++) od[k] = dims[k] + pads[2 * k] + pads[2 * k + 1];
    m.output = activation(&m, "y", type, 4, od, 0.1f, type == MOTE_UINT8 ? 7 : -3);
    const int32_t ins[2] = {x, pt};
    opt_add_op(m.w, MOTE_OP_PAD, TFL_OPTIONS_PAD, 0, NULL, 2, ins, m.output);
    compare(&m, "PAD");
}

static void test_quantize_pad(void) {
    const mote_type types[2] = {MOTE_INT8, MOTE_UINT8};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            check_quantize(types[a], types[b], 0.05f, 0.03f, 300);
            check_quantize(types[a], types[b], 0.01f, 0.2f, 77);
            check_quantize(types[a], types[b], 0.3f, 0.001f, 5);
            check_quantize(types[a], types[b], 0.02f, 0.02f, 100003); /* blocks over threads */
        }
    const int32_t dims[4] = {2, 5, 6, 3};
    const int32_t pads[][8] = {{0, 0, 1, 1, 1, 1, 0, 0}, {0, 0, 0, 2, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 1, 2},
                               {1, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0}, {0, 1, 2, 0, 0, 3, 1, 0}};
    for (size_t i = 0; i < sizeof pads / sizeof pads[0]; i++) check_pad(dims, pads[i], types[i % 2]);
}

/* ---- MEAN, and TRANSPOSE of bytes ---- */

static void check_mean(mote_type type, const int32_t *dims, const int32_t *axes, int32_t axis_count, int keep) {
    model m = model_new();
    const int u = type == MOTE_UINT8;
    const int32_t x = activation(&m, "x", type, 4, dims, 0.07f, u ? uniform(0, 255) : uniform(-128, 127));
    m.inputs[m.input_count++] = x;
    const int32_t at = tensor(&m, "axes", MOTE_INT32, 1, &axis_count, axes, (size_t)axis_count * 4, 0, NULL, NULL, 0);
    int32_t od[4], rank = 0;
    for (int32_t k = 0; k < 4; k++) {
        int reduced = 0;
        for (int32_t a = 0; a < axis_count; a++) reduced |= axes[a] == k;
        if (!reduced) od[rank++] = dims[k];
        else if (keep) od[rank++] = 1;
    }
    m.output = activation(&m, "y", type, rank, od, 0.05f, u ? uniform(0, 255) : uniform(-128, 127));
    const int32_t ins[2] = {x, at};
    const mote_option_field f[1] = {{0, MOTE_FIELD_BOOL, keep, 0, NULL, 0, NULL}};
    opt_add_op(m.w, MOTE_OP_MEAN, TFL_OPTIONS_REDUCER, 1, f, 2, ins, m.output);
    compare(&m, "MEAN");
}

static void check_transpose(mote_type type, const int32_t *dims, const int32_t *perm) {
    model m = model_new();
    const int32_t x = activation(&m, "x", type, 4, dims, 0.1f, 0);
    m.inputs[m.input_count++] = x;
    const int32_t four = 4;
    const int32_t pt = tensor(&m, "perm", MOTE_INT32, 1, &four, perm, 16, 0, NULL, NULL, 0);
    int32_t od[4];
    for (int k = 0; k < 4; k++) od[k] = dims[perm[k]];
    m.output = activation(&m, "y", type, 4, od, 0.1f, 0);
    const int32_t ins[2] = {x, pt};
    opt_add_op(m.w, MOTE_OP_TRANSPOSE, TFL_OPTIONS_TRANSPOSE, 0, NULL, 2, ins, m.output);
    compare(&m, "TRANSPOSE");
}

static void test_mean_transpose(void) {
    const int32_t dims[4] = {2, 5, 7, 19};
    const int32_t hw[2] = {1, 2}, c[1] = {3}, n[1] = {0}, hc[2] = {1, 3}, w[1] = {2};
    for (int u = 0; u <= 1; u++) {
        const mote_type type = u ? MOTE_UINT8 : MOTE_INT8;
        check_mean(type, dims, hw, 2, 1);
        check_mean(type, dims, hw, 2, 0);
        check_mean(type, dims, c, 1, 1);
        check_mean(type, dims, n, 1, 0);
        check_mean(type, dims, hc, 2, 1);
        check_mean(type, dims, w, 1, 0);
        const int32_t image[4] = {2, 3, 9, 11}, nhwc[4] = {0, 2, 3, 1}, other[4] = {0, 3, 1, 2}, swap[4] = {1, 0, 2, 3};
        check_transpose(type, image, nhwc);
        check_transpose(type, image, other);
        check_transpose(type, image, swap);
    }
}

static void test_isa(void) {
    char buf[96];
    fprintf(stderr, "CPU features: %s\n", cpu_feature_names(cpu_features(), buf, sizeof buf));
}

TEST_MAIN(test_zero_point_at_int32_limits, test_isa, test_conv2d, test_depthwise, test_fully_connected, test_add_sub, test_quantize_pad,
          test_mean_transpose)
