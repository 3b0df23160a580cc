/* fully_connected.c — FULLY_CONNECTED in float32: out[b, o] = act(sum_i in[b, i] * w[o, i]
 * + bias[o]), weights [outputs, inputs], as TensorFlow Lite's reference kernel. */
#include "kernels/kernel.h"

/* FullyConnectedOptions fields. */
#define OPT_FUSED_ACTIVATION 0
#define OPT_WEIGHTS_FORMAT 1
#define OPT_KEEP_NUM_DIMS 2

enum { IN_INPUT = 0, IN_WEIGHTS = 1, IN_BIAS = 2 };

typedef struct fc_data {
    int32_t activation;
    int32_t keep_num_dims;
    int32_t batches, input_size, output_size; /* set in prepare */
} fc_data;

static mote_status fc_init(mote_context *ctx, mote_node *node) {
    fc_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_FULLY_CONNECTED);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->keep_num_dims = KOPT_BOOL(ctx, opt, OPT_KEEP_NUM_DIMS, 0);
    if (KOPT_I8(ctx, opt, OPT_WEIGHTS_FORMAT, 0) != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "shuffled weights format is not supported");
    return kernel_check_activation(ctx, node, d->activation);
}

static mote_status fc_prepare(mote_context *ctx, mote_node *node) {
    fc_data *d = node->data;
    mote_tensor *in, *w, *out, *bias;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 3, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS, &w)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    bias = kernel_input(ctx, node, IN_BIAS);
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if ((st = kernel_check_type(ctx, node, w, "input", IN_WEIGHTS, MOTE_FLOAT32)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32)) ||
        (st = kernel_check_rank(ctx, node, w, "input", IN_WEIGHTS, 2)))
        return st;
    if (bias && (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32))) return st;
    d->output_size = w->dims[0];
    d->input_size = w->dims[1];
    size_t total = kernel_count(in);
    if (d->input_size == 0 || total % (size_t)d->input_size)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "input has %zu elements, not a multiple of the weights' %d columns", total,
                           d->input_size);
    if (total / (size_t)d->input_size > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "too many rows");
    d->batches = (int32_t)(total / (size_t)d->input_size);
    if (bias && kernel_count(bias) != (size_t)d->output_size)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "bias has %zu elements, expected %d",
                           kernel_count(bias), d->output_size);
    if (d->keep_num_dims) {
        if (in->rank == 0 || in->dims[in->rank - 1] != d->input_size)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "keep_num_dims needs the input's last dimension to be %d", d->input_size);
        int32_t dims[MOTE_MAX_DIMS];
        memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
        dims[in->rank - 1] = d->output_size;
        return kernel_set_shape(ctx, node, out, in->rank, dims);
    }
    int32_t dims[2] = {d->batches, d->output_size};
    return kernel_set_shape(ctx, node, out, 2, dims);
}

static mote_status fc_eval(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    const float *x = KERNEL_DATA(kernel_input(ctx, node, IN_INPUT), const float); /* [batches, in] */
    const float *w = KERNEL_DATA(kernel_input(ctx, node, IN_WEIGHTS), const float); /* [out, in] */
    const float *b = bias ? KERNEL_DATA(bias, const float) : NULL;                  /* [out] */
    float *y = KERNEL_DATA(kernel_output(ctx, node, 0), float);                     /* [batches, out] */
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    for (int32_t n = 0; n < d->batches; n++) {
        const float *row = x + (size_t)n * (size_t)d->input_size;
        for (int32_t o = 0; o < d->output_size; o++) {
            const float *wr = w + (size_t)o * (size_t)d->input_size;
            float acc = 0.0f;
            for (int32_t i = 0; i < d->input_size; i++) acc += row[i] * wr[i];
            if (b) acc += b[o];
            y[(size_t)n * (size_t)d->output_size + (size_t)o] = kernel_clamp_f32(acc, lo, hi);
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_fully_connected = {NULL, MOTE_OP_FULLY_CONNECTED, fc_init, fc_prepare, NULL,
                                         fc_eval, NULL};
