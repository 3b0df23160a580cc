/* test_conv.c — convolution and pooling on small hand-computed cases the opsuite lacks
 * (grouped CONV_2D, depth multiplier, averages that exclude padding, the two transposed
 * convolutions), and what these operators refuse, with a message. */
#include <stdint.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
#include "test.h"

/* One model with one operator: x (float input 0) and constant extra inputs -> op -> y. */
typedef struct conv_case {
    int32_t code;
    const char *custom_name;
    int32_t options_type;
    int32_t field_count;
    mote_option_field fields[6];
    const void *custom_options;
    size_t custom_options_size;
    int32_t x_dims[4];
    int32_t y_dims[4];
    /* Inputs in operator order; slot x_slot is x, the others constants (rank 0: omitted). */
    int32_t input_count, x_slot;
    struct {
        mote_type type;
        int32_t rank, dims[4];
        const void *data;
        size_t bytes;
    } consts[4];
} conv_case;

static mote_option_field field(uint16_t id, uint16_t kind, int64_t value) {
    mote_option_field f = {id, kind, value, 0, NULL, 0, NULL};
    return f;
}
static mote_option_field padding(int64_t value) { return field(0, MOTE_FIELD_INT8, value); }
static mote_option_field int_field(uint16_t id, int64_t value) { return field(id, MOTE_FIELD_INT32, value); }

/* Sets constant input `slot` of the case: float32 or int32 data of the given shape. */
static void set_const(conv_case *c, int32_t slot, mote_type type, int32_t rank, const int32_t *dims,
                      const void *data) {
    size_t n = 1;
    c->consts[slot].type = type;
    c->consts[slot].rank = rank;
    for (int32_t i = 0; i < rank; i++) n *= (size_t)(c->consts[slot].dims[i] = dims[i]);
    c->consts[slot].data = data;
    c->consts[slot].bytes = data ? n * 4 : 0;
}

static mote_writer *build(const conv_case *c) {
    mote_writer *w;
    int32_t x, y, inputs[4];
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 4, c->x_dims, NULL, 0, &x));
    for (int32_t i = 0; i < c->input_count; i++) {
        if (i == c->x_slot) {
            inputs[i] = x;
        } else if (c->consts[i].rank == 0) {
            inputs[i] = -1;
        } else {
            char name[8] = {'c', (char)('0' + i), 0};
            CHECK_OK(mote_writer_add_tensor(w, name, c->consts[i].type, c->consts[i].rank, c->consts[i].dims,
                                            c->consts[i].data, c->consts[i].bytes, &inputs[i]));
        }
    }
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 4, c->y_dims, NULL, 0, &y));
    mote_writer_op op = {.builtin_code = c->code,
                         .custom_name = c->custom_name,
                         .input_count = c->input_count,
                         .inputs = inputs,
                         .output_count = 1,
                         .outputs = &y,
                         .options_type = c->options_type,
                         .field_count = c->field_count,
                         .fields = c->fields,
                         .custom_options = c->custom_options,
                         .custom_options_size = c->custom_options_size};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &x));
    CHECK_OK(mote_writer_set_outputs(w, 1, &y));
    return w;
}

/* Builds, allocates and (when that works and x is given) runs the case; returns the first
 * failing status, checks the message contains `why` when given, copies y into out. */
static mote_status run(const conv_case *c, const float *x, float *out, size_t out_count, const char *why) {
    mote_writer *w = build(c);
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
            CHECK_EQ_INT(info.bytes, out_count * sizeof(float));
            if (info.bytes == out_count * sizeof(float)) CHECK_OK(mote_tensor_copy_to(t, out, info.bytes));
        }
    }
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

static void check_floats(const float *got, const float *want, size_t n) {
    for (size_t i = 0; i < n; i++) CHECK_NEAR(got[i], want[i], 1e-5);
}

/* CONV_2D 1x1, stride 1, VALID over x [1, 1, 1, 4] with filter [out_c, 1, 1, filter_c]. */
static conv_case conv_1x1(int32_t out_c, int32_t filter_c, const float *filter, const float *bias) {
    conv_case c = {.code = MOTE_OP_CONV_2D,
                   .options_type = TFL_OPTIONS_CONV2D,
                   .field_count = 3,
                   .fields = {padding(1), int_field(1, 1), int_field(2, 1)},
                   .x_dims = {1, 1, 1, 4},
                   .y_dims = {1, 1, 1, out_c},
                   .input_count = 3};
    set_const(&c, 1, MOTE_FLOAT32, 4, (int32_t[]){out_c, 1, 1, filter_c}, filter);
    set_const(&c, 2, MOTE_FLOAT32, 1, &out_c, bias);
    return c;
}

static void test_conv2d_grouped(void) {
    /* 4 input channels, filters of 2: two groups; output 0 reads channels 0-1, output 1
     * channels 2-3. */
    static const float x[4] = {1, 2, 3, 4}, filter[4] = {1, 10, 100, 1000}, bias[2] = {0.5f, -0.5f};
    static const float want[2] = {1 + 20 + 0.5f, 300 + 4000 - 0.5f};
    float y[2] = {0};
    conv_case c = conv_1x1(2, 2, filter, bias);
    CHECK_OK(run(&c, x, y, 2, NULL));
    check_floats(y, want, 2);
}

static void test_conv2d_bad_groups_refused(void) {
    static const float filter[9] = {0}, bias[3] = {0};
    /* 4 input channels are not a multiple of 3. */
    conv_case c = conv_1x1(1, 3, filter, bias);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "a multiple of the filter's"), MOTE_ERROR_INVALID_MODEL);
    /* 2 groups cannot share 3 output channels. */
    c = conv_1x1(3, 2, filter, bias);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "cannot be split into 2 groups"), MOTE_ERROR_INVALID_MODEL);
}

static void test_conv2d_bad_options_refused(void) {
    static const float filter[8] = {0}, bias[1] = {0};
    conv_case c = conv_1x1(1, 4, filter, bias);
    c.fields[1] = int_field(1, 0); /* stride_w */
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "width: stride 0"), MOTE_ERROR_INVALID_MODEL);
    c = conv_1x1(1, 4, filter, bias);
    c.fields[0] = padding(7);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "padding 7"), MOTE_ERROR_INVALID_MODEL);
    /* A 2-row filter dilated by INT32_MAX reaches past int32. */
    c = conv_1x1(1, 4, filter, bias);
    set_const(&c, 1, MOTE_FLOAT32, 4, (int32_t[]){1, 2, 1, 4}, filter);
    c.fields[c.field_count++] = int_field(5, INT32_MAX); /* dilation_h */
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "height: input size 1 with a dilated filter"), MOTE_ERROR_LIMIT);
    /* The bias is optional. */
    c = conv_1x1(1, 4, filter, bias);
    c.consts[2].rank = 0;
    CHECK_OK(run(&c, NULL, NULL, 0, NULL));
}

static void test_depthwise_multiplier(void) {
    /* 2 input channels, 4 outputs: output o reads input channel o / 2. */
    static const float x[2] = {2, 3}, filter[4] = {1, 10, 100, 1000}, bias[4] = {1, 1, 1, 1};
    static const float want[4] = {3, 21, 301, 3001};
    conv_case c = {.code = MOTE_OP_DEPTHWISE_CONV_2D,
                   .options_type = TFL_OPTIONS_DEPTHWISE_CONV2D,
                   .field_count = 3,
                   .fields = {padding(1), int_field(1, 1), int_field(2, 1)},
                   .x_dims = {1, 1, 1, 2},
                   .y_dims = {1, 1, 1, 4},
                   .input_count = 3};
    set_const(&c, 1, MOTE_FLOAT32, 4, (int32_t[]){1, 1, 1, 4}, filter);
    set_const(&c, 2, MOTE_FLOAT32, 1, (int32_t[]){4}, bias);
    float y[4] = {0};
    CHECK_OK(run(&c, x, y, 4, NULL));
    check_floats(y, want, 4);
    /* 3 filter channels are not a multiple of 2. */
    set_const(&c, 1, MOTE_FLOAT32, 4, (int32_t[]){1, 1, 1, 3}, filter);
    set_const(&c, 2, MOTE_FLOAT32, 1, (int32_t[]){3}, bias);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "expected a positive multiple"), MOTE_ERROR_INVALID_MODEL);
}

/* A 2x2 window, stride 1, SAME over x [1, 2, 2, 1]. */
static conv_case pool_2x2_same(int32_t code) {
    conv_case c = {.code = code,
                   .options_type = TFL_OPTIONS_POOL2D,
                   .field_count = 5,
                   .fields = {padding(0), int_field(1, 1), int_field(2, 1), int_field(3, 2), int_field(4, 2)},
                   .x_dims = {1, 2, 2, 1},
                   .y_dims = {1, 2, 2, 1},
                   .input_count = 1};
    return c;
}

static void test_pooling_excludes_padding(void) {
    /* SAME pads one row and column after the input; averages count real pixels only. */
    static const float x[4] = {1, 2, 3, 4};
    static const float avg[4] = {2.5f, 3, 3.5f, 4}, max[4] = {4, 4, 4, 4};
    float y[4] = {0};
    conv_case c = pool_2x2_same(MOTE_OP_AVERAGE_POOL_2D);
    CHECK_OK(run(&c, x, y, 4, NULL));
    check_floats(y, avg, 4);
    c = pool_2x2_same(MOTE_OP_MAX_POOL_2D);
    CHECK_OK(run(&c, x, y, 4, NULL));
    check_floats(y, max, 4);
    c.fields[3] = int_field(3, 0); /* filter_width */
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "filter size 0"), MOTE_ERROR_INVALID_MODEL);
}

static void test_transpose_conv(void) {
    /* Input [1, 2, 1, 1] = (1, 2), weights (1, 10) down the height, stride 2, VALID: each
     * input pixel writes its own two rows. */
    static const int32_t shape[4] = {1, 4, 1, 1};
    static const float x[2] = {1, 2}, weights[2] = {1, 10}, want[4] = {1, 10, 2, 20};
    conv_case c = {.code = MOTE_OP_TRANSPOSE_CONV,
                   .options_type = TFL_OPTIONS_TRANSPOSE_CONV,
                   .field_count = 3,
                   .fields = {padding(1), int_field(1, 1), int_field(2, 2)},
                   .x_dims = {1, 2, 1, 1},
                   .y_dims = {1, 4, 1, 1},
                   .input_count = 3,
                   .x_slot = 2};
    set_const(&c, 0, MOTE_INT32, 1, (int32_t[]){4}, shape);
    set_const(&c, 1, MOTE_FLOAT32, 4, (int32_t[]){1, 2, 1, 1}, weights);
    float y[4] = {0};
    CHECK_OK(run(&c, x, y, 4, NULL));
    check_floats(y, want, 4);
    /* An output shape computed while running is not supported. */
    set_const(&c, 0, MOTE_INT32, 1, (int32_t[]){4}, NULL);
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "must be a constant"), MOTE_ERROR_UNSUPPORTED);
}

static void test_conv_transpose_bias(void) {
    /* MediaPipe's options: padding SAME (1), stride_w 2, stride_h 2, as int32. The output is
     * 2 * (2 - 1) + 3 - 1 = 4 pixels a side, not padded before; a 3x3 filter of ones sums
     * the input pixels whose window covers each output pixel. */
    static const int32_t options[3] = {1, 2, 2};
    static const float x[4] = {1, 2, 3, 4}, bias[1] = {0.5f};
    static const float ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const float want[16] = {1.5f, 1.5f, 3.5f,  2.5f, 1.5f, 1.5f, 3.5f, 2.5f,
                                   4.5f, 4.5f, 10.5f, 6.5f, 3.5f, 3.5f, 7.5f, 4.5f};
    conv_case c = {.code = MOTE_OP_CUSTOM,
                   .custom_name = "Convolution2DTransposeBias",
                   .custom_options = options,
                   .custom_options_size = sizeof options,
                   .x_dims = {1, 2, 2, 1},
                   .y_dims = {1, 4, 4, 1},
                   .input_count = 3};
    set_const(&c, 1, MOTE_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, ones);
    set_const(&c, 2, MOTE_FLOAT32, 1, (int32_t[]){1}, bias);
    float y[16] = {0};
    CHECK_OK(run(&c, x, y, 16, NULL));
    check_floats(y, want, 16);
    c.custom_options_size = 8;
    CHECK_EQ_INT(run(&c, NULL, NULL, 0, "custom options have 8 bytes"), MOTE_ERROR_INVALID_MODEL);
}

TEST_MAIN(test_conv2d_grouped, test_conv2d_bad_groups_refused, test_conv2d_bad_options_refused,
          test_depthwise_multiplier, test_pooling_excludes_padding, test_transpose_conv,
          test_conv_transpose_bias)
