/* test_conv_quant.c — quantized convolution, fully connected and pooling on small
 * hand-computed cases the opsuite lacks: uint8 weights with a zero point, int16x8 with
 * int64 and int32 biases (two accumulators, two roundings), hybrid FULLY_CONNECTED with
 * symmetric and asymmetric input rows, quantized pooling rounding, quantized transposed
 * convolutions, the int4 blockwise weights of a shared model, and what these kernels
 * refuse, with a message. */
#include <stdint.h>

#include "core/model.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/kernel.h"
#include "mote_writer.h"
#include "test.h"

/* A tensor of a one-operator model: an activation (data NULL) or a constant. */
typedef struct qtensor {
    mote_type type;
    int32_t rank, dims[4];
    const void *data;
    int32_t qcount; /* 0: not quantized */
    float scales[4];
    int64_t zero_points[4];
    int32_t qdim;
} qtensor;

/* One operator: inputs in operator order (slot x_slot is the model input, rank 0 an omitted
 * optional input), one output. */
typedef struct qcase {
    int32_t code, options_type, field_count;
    mote_option_field fields[6];
    int32_t input_count, x_slot;
    qtensor in[4];
    qtensor out;
} qcase;

static mote_option_field field(uint16_t id, uint16_t kind, int64_t value) {
    mote_option_field f = {id, kind, value, 0, NULL, 0, NULL};
    return f;
}

static size_t type_bytes(mote_type t) {
    switch (t) {
    case MOTE_INT8:
    case MOTE_UINT8: return 1;
    case MOTE_INT16: return 2;
    case MOTE_INT64: return 8;
    default: return 4;
    }
}

static size_t tensor_count(const qtensor *t) {
    size_t n = 1;
    for (int32_t i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}

/* A quantized tensor: type, shape, data (or NULL), one scale and zero point. */
static qtensor qt(mote_type type, int32_t rank, const int32_t *dims, const void *data, float scale,
                  int64_t zp) {
    qtensor t = {.type = type, .rank = rank, .data = data, .qcount = scale > 0 ? 1 : 0};
    for (int32_t i = 0; i < rank; i++) t.dims[i] = dims[i];
    t.scales[0] = scale;
    t.zero_points[0] = zp;
    return t;
}

static int32_t add(mote_writer *w, const char *name, const qtensor *t) {
    int32_t index;
    size_t bytes = t->data ? tensor_count(t) * type_bytes(t->type) : 0;
    CHECK_OK(mote_writer_add_tensor(w, name, t->type, t->rank, t->dims, t->data, bytes, &index));
    if (t->qcount)
        CHECK_OK(mote_writer_set_quantization(w, index, t->qcount, t->scales, t->zero_points, t->qdim));
    return index;
}

/* Builds, allocates and (when x is given) runs the case; returns the first failing status,
 * checks the message contains `why` when given, copies the output into y (y_bytes). */
static mote_status run(const qcase *c, const void *x, void *y, size_t y_bytes, const char *why) {
    mote_writer *w;
    int32_t inputs[4], out, xi = -1;
    CHECK_OK(mote_writer_create(NULL, &w));
    for (int32_t i = 0; i < c->input_count; i++) {
        char name[8] = {'i', (char)('0' + i), 0};
        inputs[i] = c->in[i].rank == 0 && i != c->x_slot ? -1 : add(w, name, &c->in[i]);
        if (i == c->x_slot) xi = inputs[i];
    }
    out = add(w, "y", &c->out);
    mote_writer_op op = {.builtin_code = c->code,
                         .input_count = c->input_count,
                         .inputs = inputs,
                         .output_count = 1,
                         .outputs = &out,
                         .options_type = c->options_type,
                         .field_count = c->field_count,
                         .fields = c->fields};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &xi));
    CHECK_OK(mote_writer_set_outputs(w, 1, &out));
    const void *data;
    size_t size;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &m));
    mote_status st = mote_interpreter_create(m, NULL, &it);
    if (!st) st = mote_interpreter_allocate_tensors(it);
    if (!st && x) {
        mote_tensor *t;
        mote_tensor_info info;
        CHECK_OK(mote_interpreter_input(it, 0, &t));
        CHECK_OK(mote_tensor_get_info(t, &info));
        CHECK_OK(mote_tensor_copy_from(t, x, info.bytes));
        st = mote_interpreter_invoke(it);
        if (!st) {
            CHECK_OK(mote_interpreter_output(it, 0, &t));
            CHECK_OK(mote_tensor_get_info(t, &info));
            CHECK_EQ_INT(info.bytes, y_bytes);
            if (info.bytes == y_bytes) CHECK_OK(mote_tensor_copy_to(t, y, y_bytes));
        }
    }
    if (st && !why) fprintf(stderr, "unexpected failure: %s\n", mote_interpreter_error(it));
    if (why) {
        const char *msg = mote_interpreter_error(it);
        if (!strstr(msg, why)) fprintf(stderr, "message '%s' lacks '%s'\n", msg, why);
        CHECK(strstr(msg, why) != NULL);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
    return st;
}

/* A 1x1 CONV_2D, stride 1, VALID: x [1, 1, 1, in_c] -> y [1, 1, 1, out_c]. */
static qcase conv_1x1(qtensor x, qtensor filter, qtensor bias, qtensor y) {
    qcase c = {.code = MOTE_OP_CONV_2D,
               .options_type = TFL_OPTIONS_CONV2D,
               .field_count = 3,
               .fields = {field(0, MOTE_FIELD_INT8, 1), field(1, MOTE_FIELD_INT32, 1),
                          field(2, MOTE_FIELD_INT32, 1)},
               .input_count = 3,
               .in = {x, filter, bias},
               .out = y};
    return c;
}

static const int32_t d2[1] = {2};
static const int32_t px1[4] = {1, 1, 1, 1}, px2[4] = {1, 1, 1, 2};

static void test_conv2d_uint8_weight_zero_point(void) {
    /* x (14, 8) with zero point 10 is (4, -2); weights with zero point 100:
     * channel 0 (104, 97) is (4, -3): 16 + 6 + bias 10 = 32, times 0.5 * 0.25 -> 4, + 20;
     * channel 1 (90, 110) is (-10, 10): -40 - 20 + bias 16 = -44 -> -5.5, rounded away
     * from zero to -6, + 20. Ignoring the weights' zero point would give far other values. */
    static const uint8_t x[2] = {14, 8}, filter[4] = {104, 97, 90, 110};
    static const int32_t bias[2] = {10, 16}, fdims[4] = {2, 1, 1, 2};
    uint8_t y[2] = {0};
    qcase c = conv_1x1(qt(MOTE_UINT8, 4, px2, NULL, 0.5f, 10), qt(MOTE_UINT8, 4, fdims, filter, 0.25f, 100),
                       qt(MOTE_INT32, 1, d2, bias, 0, 0), qt(MOTE_UINT8, 4, px2, NULL, 1.0f, 20));
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_EQ_INT(y[0], 24);
    CHECK_EQ_INT(y[1], 14);
}

/* An int16x8 1x1 CONV_2D with two channels of weight scale 2^-20 (per channel), the given
 * bias, input 5 times zero weights: the output is the bias rescaled. */
static qcase conv_int16(const void *bias, mote_type bias_type, int8_t *filter) {
    static const int32_t fdims[4] = {2, 1, 1, 1};
    qtensor f = qt(MOTE_INT8, 4, fdims, filter, ldexpf(1.0f, -20), 0);
    f.qcount = 2;
    f.scales[1] = f.scales[0];
    qcase c = conv_1x1(qt(MOTE_INT16, 4, px1, NULL, 1.0f, 0), f, qt(bias_type, 1, d2, bias, 0, 0),
                       qt(MOTE_INT16, 4, px2, NULL, 1.0f, 0));
    return c;
}

static void test_conv2d_int16_bias_widths(void) {
    static int8_t filter[2] = {0, 0};
    const int16_t x[1] = {5};
    int16_t y[2] = {0};
    /* int64 bias +-(2^34 + 2^19), beyond int32: the int64 accumulator and its multiply
     * (a 16-bit multiplier, halves rounded up): -16384.5 -> -16384, 16384.5 -> 16385. */
    static const int64_t bias64[2] = {-(INT64_C(1) << 34) - (1 << 19), (INT64_C(1) << 34) + (1 << 19)};
    qcase c = conv_int16(bias64, MOTE_INT64, filter);
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_EQ_INT(y[0], -16384);
    CHECK_EQ_INT(y[1], 16385);
    /* An int32 bias selects the int32 accumulator and its rounding (halves away from
     * zero): -2.5 -> -3, 2.5 -> 3. */
    static const int32_t bias32[2] = {-(5 << 19), 5 << 19};
    c = conv_int16(bias32, MOTE_INT32, filter);
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_EQ_INT(y[0], -3);
    CHECK_EQ_INT(y[1], 3);
    /* quantized_bias_type must agree with the bias tensor. */
    c.fields[c.field_count++] = field(6, MOTE_FIELD_INT8, MOTE_INT64);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "quantized_bias_type says int64"), MOTE_ERROR_INVALID_MODEL);
}

static void test_conv2d_quant_refused(void) {
    static const int8_t filter[4] = {1, 2, 3, 4};
    static const uint8_t ufilter[4] = {1, 2, 3, 4};
    static const int32_t bias[2] = {0, 0}, fdims[4] = {2, 1, 1, 2};
    static const int64_t bias64[2] = {0, 0};
    qtensor x = qt(MOTE_INT8, 4, px2, NULL, 0.5f, 0), y = qt(MOTE_INT8, 4, px2, NULL, 1.0f, 0);
    qtensor f = qt(MOTE_INT8, 4, fdims, filter, 0.25f, 0), b = qt(MOTE_INT32, 1, d2, bias, 0, 0);
    qcase c = conv_1x1(x, f, b, y);
    CHECK_OK(run(&c, NULL, NULL, 0, NULL));
    /* Per-channel int8 weights must be symmetric. */
    c.in[1].qcount = 2;
    c.in[1].scales[1] = 0.25f;
    c.in[1].zero_points[1] = 3;
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "must be symmetric, zero point 1 is 3"), MOTE_ERROR_INVALID_MODEL);
    /* One scale per output channel, along a dimension of that size. */
    c = conv_1x1(x, f, b, y);
    c.in[1].qcount = 2;
    c.in[1].scales[1] = 0.25f;
    c.in[1].qdim = 3;
    CHECK_OK(run(&c, NULL, NULL, 0, NULL));
    /* 3 scales along the 3 input channels: not one per output channel. */
    static const int8_t filter6[6] = {1, 2, 3, 4, 5, 6};
    static const int32_t fdims3[4] = {2, 1, 1, 3}, px3[4] = {1, 1, 1, 3};
    c = conv_1x1(qt(MOTE_INT8, 4, px3, NULL, 0.5f, 0), qt(MOTE_INT8, 4, fdims3, filter6, 0.25f, 0), b, y);
    c.in[1].qcount = 3;
    c.in[1].scales[1] = c.in[1].scales[2] = 0.25f;
    c.in[1].qdim = 3;
    CHECK_EQ_INT(
        run(&c, NULL, NULL, 0, "3 scales along dimension 3 (size 3), expected one per output channel (2)"),
        MOTE_ERROR_INVALID_MODEL);
    /* A bias of the wrong type. */
    c = conv_1x1(x, f, qt(MOTE_INT64, 1, d2, bias64, 0, 0), y);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "expected int32, got int64"), MOTE_ERROR_INVALID_MODEL);
    /* Activations need quantization parameters. */
    c = conv_1x1(qt(MOTE_INT8, 4, px2, NULL, 0, 0), f, b, y);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "needs affine quantization"), MOTE_ERROR_INVALID_MODEL);
    /* uint8 weights are per tensor. */
    qtensor uf = qt(MOTE_UINT8, 4, fdims, ufilter, 0.25f, 0);
    uf.qcount = 2;
    uf.scales[1] = 0.5f;
    c = conv_1x1(qt(MOTE_UINT8, 4, px2, NULL, 0.5f, 0), uf, b, qt(MOTE_UINT8, 4, px2, NULL, 1.0f, 0));
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "must be quantized per tensor"), MOTE_ERROR_INVALID_MODEL);
    /* int16 activations are symmetric. */
    c = conv_1x1(qt(MOTE_INT16, 4, px2, NULL, 0.5f, 5), f, qt(MOTE_INT64, 1, d2, bias64, 0, 0),
                 qt(MOTE_INT16, 4, px2, NULL, 1.0f, 0));
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "zero point 5 is outside [0, 0]"), MOTE_ERROR_INVALID_MODEL);
    /* TensorFlow Lite's int16 depthwise kernel has no int32 bias. */
    static const int32_t dwdims[4] = {1, 1, 1, 2};
    c = conv_1x1(qt(MOTE_INT16, 4, px2, NULL, 0.5f, 0), qt(MOTE_INT8, 4, dwdims, filter, 0.25f, 0), b,
                 qt(MOTE_INT16, 4, px2, NULL, 1.0f, 0));
    c.code = MOTE_OP_DEPTHWISE_CONV_2D;
    c.options_type = TFL_OPTIONS_DEPTHWISE_CONV2D;
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "expected int64, got int32"), MOTE_ERROR_INVALID_MODEL);
}

/* FULLY_CONNECTED x [1, 4] float32, int8 weights [2, 4] of scale 0.5, bias (0, 1). */
static qcase fc_hybrid(int asymmetric) {
    static const int8_t weights[8] = {1, 2, 3, 4, -1, -1, -1, -1};
    static const float bias[2] = {0, 1};
    static const int32_t xd[2] = {1, 4}, wd[2] = {2, 4}, yd[2] = {1, 2};
    qcase c = {.code = MOTE_OP_FULLY_CONNECTED,
               .options_type = TFL_OPTIONS_FULLY_CONNECTED,
               .field_count = 1,
               .fields = {field(3, MOTE_FIELD_BOOL, asymmetric)},
               .input_count = 3,
               .in = {qt(MOTE_FLOAT32, 2, xd, NULL, 0, 0), qt(MOTE_INT8, 2, wd, weights, 0.5f, 0),
                      qt(MOTE_FLOAT32, 1, d2, bias, 0, 0)},
               .out = qt(MOTE_FLOAT32, 2, yd, NULL, 0, 0)};
    return c;
}

static void test_fc_hybrid_input_quantization(void) {
    /* x = (-1, 0, 1, 2); exactly, y = 0.5 * (10, -2) + (0, 1) = (5, 0). */
    static const float x[4] = {-1, 0, 1, 2};
    float y[2] = {0};
    /* Asymmetric: scale 3/255, zero point -43, q = (-128, -43, 42, 127): row 0 sums 420,
     * minus its weight sum 10 times -43 makes 850 steps of 3/255 * 0.5 = 5.0. */
    qcase c = fc_hybrid(1);
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_NEAR(y[0], 5.0, 1e-5);
    CHECK_NEAR(y[1], 0.0, 1e-5);
    /* Symmetric: scale 2/127, q = (-64, 0, 64, 127) (-63.5 rounds to -64): 636 steps of
     * 2/127 * 0.5 = 5.007874; row 1 sums -127 steps, -1.0. */
    c = fc_hybrid(0);
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_NEAR(y[0], 636.0 / 127.0, 1e-5);
    CHECK_NEAR(y[1], 0.0, 1e-5);
}

static void test_conv2d_hybrid_kernels(void) {
    /* The FULLY_CONNECTED case above as a 1x1 CONV_2D (bias (0, 1)). One weight scale, or
     * two equal ones: TensorFlow Lite's per-tensor kernel, symmetric input (5.007874, 0).
     * Two different scales (0.5, 0.25): its per-channel kernel, asymmetric input: 850 and
     * -170 steps of 3/255 times 0.5 and 0.25, (5, -0.5 + 1). */
    static const float x[4] = {-1, 0, 1, 2}, bias[2] = {0, 1};
    static const int8_t filter[8] = {1, 2, 3, 4, -1, -1, -1, -1};
    static const int32_t fdims[4] = {2, 1, 1, 4}, px4[4] = {1, 1, 1, 4};
    float y[2] = {0};
    qcase c = conv_1x1(qt(MOTE_FLOAT32, 4, px4, NULL, 0, 0), qt(MOTE_INT8, 4, fdims, filter, 0.5f, 0),
                       qt(MOTE_FLOAT32, 1, d2, bias, 0, 0), qt(MOTE_FLOAT32, 4, px2, NULL, 0, 0));
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_NEAR(y[0], 636.0 / 127.0, 1e-5);
    CHECK_NEAR(y[1], 0.0, 1e-5);
    c.in[1].qcount = 2;
    c.in[1].scales[1] = 0.5f;
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_NEAR(y[0], 636.0 / 127.0, 1e-5);
    c.in[1].scales[1] = 0.25f;
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_NEAR(y[0], 5.0, 1e-5);
    CHECK_NEAR(y[1], 0.5, 1e-5);
}

static void test_fc_int8_weight_zero_point(void) {
    /* Per-tensor int8 weights may have a zero point: (5 - 3) * 2 + (4 - 3) * 3 = 7, over
     * output scale 2: 3.5, rounded away from zero to 4. Per-channel ones may not. */
    static const int8_t x[2] = {2, 3}, weights[2] = {5, 4};
    static const int32_t xd[2] = {1, 2}, wd[2] = {1, 2}, yd[2] = {1, 1};
    int8_t y[1] = {0};
    qcase c = {.code = MOTE_OP_FULLY_CONNECTED,
               .options_type = TFL_OPTIONS_FULLY_CONNECTED,
               .input_count = 2,
               .in = {qt(MOTE_INT8, 2, xd, NULL, 1.0f, 0), qt(MOTE_INT8, 2, wd, weights, 1.0f, 3)},
               .out = qt(MOTE_INT8, 2, yd, NULL, 2.0f, 0)};
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_EQ_INT(y[0], 4);
}

static void test_pool_quant_rounding(void) {
    /* Channel 0 averages (-1, -2) = -1.5 -> -2, channel 1 (1, 2) = 1.5 -> 2: halves away
     * from zero. MAX_POOL_2D with RELU clamps channel 0's -1 at the zero point. */
    static const int8_t x[4] = {-1, 1, -2, 2};
    static const int32_t xd[4] = {1, 2, 1, 2}, yd[4] = {1, 1, 1, 2};
    int8_t y[2] = {0};
    qcase c = {.code = MOTE_OP_AVERAGE_POOL_2D,
               .options_type = TFL_OPTIONS_POOL2D,
               .field_count = 5,
               .fields = {field(0, MOTE_FIELD_INT8, 1), field(1, MOTE_FIELD_INT32, 1),
                          field(2, MOTE_FIELD_INT32, 1), field(3, MOTE_FIELD_INT32, 1),
                          field(4, MOTE_FIELD_INT32, 2)},
               .input_count = 1,
               .in = {qt(MOTE_INT8, 4, xd, NULL, 1.0f, 0)},
               .out = qt(MOTE_INT8, 4, yd, NULL, 1.0f, 0)};
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_EQ_INT(y[0], -2);
    CHECK_EQ_INT(y[1], 2);
    c.code = MOTE_OP_MAX_POOL_2D;
    c.fields[c.field_count++] = field(5, MOTE_FIELD_INT8, 1); /* RELU */
    CHECK_OK(run(&c, x, y, sizeof y, NULL));
    CHECK_EQ_INT(y[0], 0);
    CHECK_EQ_INT(y[1], 2);
}

static void test_transpose_conv_quant(void) {
    /* Input (1, 2) down the height, weights (1, 10), stride 2, VALID: (1, 10, 2, 20). In
     * uint8 with zero points 10 (input), 128 (weights), 100 (output). */
    static const int32_t shape[4] = {1, 4, 1, 1}, xd[4] = {1, 2, 1, 1}, wd[4] = {1, 2, 1, 1};
    static const int8_t x8[2] = {1, 2}, w8[2] = {1, 10};
    static const uint8_t xu[2] = {11, 12}, wu[2] = {129, 138};
    qcase c = {.code = MOTE_OP_TRANSPOSE_CONV,
               .options_type = TFL_OPTIONS_TRANSPOSE_CONV,
               .field_count = 3,
               .fields = {field(0, MOTE_FIELD_INT8, 1), field(1, MOTE_FIELD_INT32, 1),
                          field(2, MOTE_FIELD_INT32, 2)},
               .input_count = 3,
               .x_slot = 2,
               .in = {qt(MOTE_INT32, 1, (const int32_t[]){4}, shape, 0, 0), qt(MOTE_INT8, 4, wd, w8, 1.0f, 0),
                      qt(MOTE_INT8, 4, xd, NULL, 1.0f, 0)},
               .out = qt(MOTE_INT8, 4, shape, NULL, 1.0f, 0)};
    int8_t y8[4] = {0};
    CHECK_OK(run(&c, x8, y8, sizeof y8, NULL));
    CHECK_EQ_INT(y8[0], 1);
    CHECK_EQ_INT(y8[1], 10);
    CHECK_EQ_INT(y8[2], 2);
    CHECK_EQ_INT(y8[3], 20);
    c.in[1] = qt(MOTE_UINT8, 4, wd, wu, 1.0f, 128);
    c.in[2] = qt(MOTE_UINT8, 4, xd, NULL, 1.0f, 10);
    c.out = qt(MOTE_UINT8, 4, shape, NULL, 1.0f, 100);
    uint8_t yu[4] = {0};
    CHECK_OK(run(&c, xu, yu, sizeof yu, NULL));
    CHECK_EQ_INT(yu[0], 101);
    CHECK_EQ_INT(yu[1], 110);
    CHECK_EQ_INT(yu[2], 102);
    CHECK_EQ_INT(yu[3], 120);
}

/* Reads a whole file; NULL when absent. */
static void *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = malloc(n > 0 ? (size_t)n : 1);
    *size = p && fread(p, 1, (size_t)n, f) == (size_t)n ? (size_t)n : 0;
    fclose(f);
    return p;
}

static void test_fc_blockwise_int4_shared_model(void) {
    /* The shared Qwen projection: int4 weights [1024, 1024] in blocks of 32 with float16
     * scales. Mote's output (input rows quantized to int8 as LiteRT does) must be close to
     * the exact product with the dequantized weights: this checks the nibble order, the
     * sign extension and the scale layout, which a wrong guess would break by far more. */
    const char *shared = test_shared_dir();
    char model_path[1024], input_path[1024];
    if (!shared) return;
    snprintf(model_path, sizeof model_path, "%s/models/qwen_fc_blockwise_quantized.tflite", shared);
    snprintf(input_path, sizeof input_path, "%s/golden/qwen_fc_blockwise_quantized/in0.bin", shared);
    size_t x_size = 0;
    float *x = read_file(input_path, &x_size);
    mote_model *m = NULL;
    if (!x || mote_model_load_file(model_path, NULL, &m)) {
        fprintf(stderr, "(shared Qwen model absent: skipped)\n");
        free(x);
        mote_model_destroy(m);
        return;
    }
    enum { N = 1024, BLOCK = 32 };
    CHECK_EQ_INT(x_size, N * sizeof(float));
    const model_subgraph *sg = &m->subgraphs[0];
    const model_tensor *wt = &sg->tensors[sg->ops[0].inputs[1]];
    CHECK_EQ_INT(wt->blockwise.block_size, BLOCK);
    const uint8_t *packed = wt->data;
    const uint8_t *scale_bytes = sg->tensors[wt->blockwise.scales_tensor].data;

    mote_interpreter *it = NULL;
    mote_tensor *t;
    float *y = calloc(N, sizeof(float));
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_input(it, 0, &t));
    CHECK_OK(mote_tensor_copy_from(t, x, N * sizeof(float)));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_output(it, 0, &t));
    CHECK_OK(mote_tensor_copy_to(t, y, N * sizeof(float)));

    double max_ref = 0, max_err = 0;
    for (int o = 0; o < N; o++) {
        double ref = 0;
        for (int i = 0; i < N; i++) {
            uint8_t byte = packed[((size_t)o * N + (size_t)i) / 2];
            int v = i % 2 ? byte >> 4 : byte & 0xF;
            uint16_t h;
            memcpy(&h, scale_bytes + 2 * ((size_t)o * (N / BLOCK) + (size_t)(i / BLOCK)), 2);
            ref += (double)(v >= 8 ? v - 16 : v) * kernel_f16_to_f32(h) * x[i];
        }
        max_ref = fabs(ref) > max_ref ? fabs(ref) : max_ref;
        max_err = fabs(ref - y[o]) > max_err ? fabs(ref - y[o]) : max_err;
    }
    CHECK(max_ref > 1.0);
    if (!(max_err <= 0.02 * max_ref)) fprintf(stderr, "max error %g of %g\n", max_err, max_ref);
    CHECK(max_err <= 0.02 * max_ref);
    free(y);
    free(x);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

TEST_MAIN(test_conv2d_uint8_weight_zero_point, test_conv2d_int16_bias_widths, test_conv2d_quant_refused,
          test_fc_hybrid_input_quantization, test_conv2d_hybrid_kernels, test_fc_int8_weight_zero_point,
          test_pool_quant_rounding, test_transpose_conv_quant, test_fc_blockwise_int4_shared_model)
