/* fully_connected.c — FULLY_CONNECTED: out[b, o] = act(sum_i in[b, i] * w[o, i] + bias[o]),
 * weights [outputs, inputs], every leading input dimension a batch row, as TensorFlow
 * Lite's reference kernel: options, shapes, the choice of arithmetic and the float32 path
 * (integer ones in fully_connected_quant.c, float32 activations with quantized weights in
 * fully_connected_hybrid.c). */
#include "kernels/fully_connected.h"

/* FullyConnectedOptions fields. */
#define OPT_FUSED_ACTIVATION 0
#define OPT_WEIGHTS_FORMAT 1
#define OPT_KEEP_NUM_DIMS 2
#define OPT_ASYMMETRIC_QUANTIZE_INPUTS 3
#define OPT_QUANTIZED_BIAS_TYPE 4

enum { IN_INPUT = FC_IN_INPUT, IN_WEIGHTS = FC_IN_WEIGHTS, IN_BIAS = FC_IN_BIAS };

static mote_status fc_init(mote_context *ctx, mote_node *node) {
    fc_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_FULLY_CONNECTED);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->keep_num_dims = KOPT_BOOL(ctx, opt, OPT_KEEP_NUM_DIMS, 0);
    d->asymmetric_input = KOPT_BOOL(ctx, opt, OPT_ASYMMETRIC_QUANTIZE_INPUTS, 0);
    d->bias_type_option = KOPT_I8(ctx, opt, OPT_QUANTIZED_BIAS_TYPE, MOTE_FLOAT32);
    if (KOPT_I8(ctx, opt, OPT_WEIGHTS_FORMAT, 0) != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "shuffled weights format is not supported");
    return kernel_check_activation(ctx, node, d->activation);
}

static mote_status fc_prepare(mote_context *ctx, mote_node *node) {
    fc_data *d = node->data;
    mote_tensor *in, *w, *out, *bias;
    mote_status st;
    char desc[160];
    if ((st = kernel_check_counts(ctx, node, 2, 3, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS, &w)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, w, "input", IN_WEIGHTS, 2)))
        return st;
    bias = kernel_input(ctx, node, IN_BIAS);
    /* Sparse weights keep their encoded size; reading them as dense would overrun. */
    if (w->def && w->def->sparsity)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: sparse weights are not supported",
                           kernel_describe(w, "input", IN_WEIGHTS, desc, sizeof desc));
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

    switch (in->type) {
    case MOTE_FLOAT32:
        if (w->type != MOTE_FLOAT32) {
            st = fc_prepare_hybrid(ctx, node, in, w, bias, out);
            break;
        }
        if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32))) return st;
        if (bias && (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32))) return st;
        d->kind = FC_F32;
        if (bias && kernel_count(bias) != (size_t)d->output_size) break; /* refused below */
        st = fc_f32_opt_prepare(ctx, node, &d->f32opt, w, bias, (size_t)d->batches, (size_t)d->input_size,
                                (size_t)d->output_size);
        break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: st = fc_prepare_quant(ctx, node, in, w, bias, out); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    if (st) return st;

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

static void fc_f32(const fc_data *d, const float *x, const float *w, const float *b, float *y) {
    /* x [batches, in], w [out, in], b [out] or NULL, y [batches, out] */
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
}

static mote_status fc_eval(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    switch (d->kind) {
    case FC_F32:
        if (d->f32opt.enabled) {
            mote_f32_minmax clamp;
            kernel_activation_range_f32(d->activation, &clamp.min, &clamp.max);
            return fc_f32_opt_eval(ctx, node, &d->f32opt, KERNEL_DATA(kernel_input(ctx, node, IN_INPUT), const float),
                                   KERNEL_DATA(kernel_output(ctx, node, 0), float), (size_t)d->batches,
                                   (size_t)d->input_size, (size_t)d->output_size, clamp);
        }
        fc_f32(d, KERNEL_DATA(kernel_input(ctx, node, IN_INPUT), const float),
               KERNEL_DATA(kernel_input(ctx, node, IN_WEIGHTS), const float),
               bias ? KERNEL_DATA(bias, const float) : NULL, KERNEL_DATA(kernel_output(ctx, node, 0), float));
        return MOTE_OK;
    case FC_INT8:
    case FC_UINT8:
    case FC_INT16: return fc_eval_quant(ctx, node);
    case FC_HYBRID_I8:
    case FC_BLOCKWISE_I4: return fc_eval_hybrid(ctx, node);
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

static void fc_release(mote_context *ctx, mote_node *node) {
    fc_data *d = node->data;
    if (d) conv_quant_release(ctx, &d->q);
}

/* Packed weights of the optimized paths. */
static mote_status fc_pack(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    switch (d->kind) {
    case FC_F32:
        return fc_f32_opt_pack(ctx, node, &d->f32opt, kernel_input(ctx, node, IN_WEIGHTS),
                               kernel_input(ctx, node, IN_BIAS), (size_t)d->input_size, (size_t)d->output_size);
    case FC_INT8:
    case FC_UINT8: return fc_pack_quant(ctx, node);
    default: return MOTE_OK;
    }
}

const mote_op mote_op_fully_connected = {
    NULL, MOTE_OP_FULLY_CONNECTED, fc_init, fc_prepare, fc_pack, fc_eval, fc_release};
