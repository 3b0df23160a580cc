/* fully_connected_quant.c — FULLY_CONNECTED's integer arithmetic: int8 and int16x8 with
 * per-channel int8 weights or per-tensor int8 weights (which may carry a zero point), and
 * legacy uint8, as TensorFlow Lite's reference kernel computes them. Unlike the
 * convolutions, that kernel rescales each integer sum in double precision,
 * round(sum * input_scale * weight_scale / output_scale), instead of with a Q31 multiplier
 * (the two differ by one step where a value lands near a half). */
#include "kernels/fully_connected.h"

enum { IN_INPUT = FC_IN_INPUT, IN_WEIGHTS = FC_IN_WEIGHTS, IN_BIAS = FC_IN_BIAS };

mote_status fc_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *w,
                             const mote_tensor *bias, const mote_tensor *out) {
    fc_data *d = node->data;
    mote_type weight_type = in->type == MOTE_UINT8 ? MOTE_UINT8 : MOTE_INT8;
    int per_channel;
    mote_status st;
    /* TensorFlow Lite also has uint8 in, int16 out (legacy shuffled models): not here. */
    if (in->type == MOTE_UINT8 && out->type == MOTE_INT16)
        return kernel_unsupported_type(ctx, node, out, "output", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    if (w->type != weight_type) return kernel_unsupported_type(ctx, node, w, "input", IN_WEIGHTS);
    /* Per-tensor weights may have a zero point (TensorFlow Lite subtracts it); per-channel
     * ones are symmetric. */
    const int single_scale = w->def && w->def->quant_count == 1;
    if ((st = conv_quant_check_activation_tensor(ctx, node, in, "input", IN_INPUT)) ||
        (st = conv_quant_check_activation_tensor(ctx, node, out, "output", 0)) ||
        (st =
             conv_quant_check_filter(ctx, node, w, IN_WEIGHTS, d->output_size, single_scale, &per_channel)) ||
        (st = conv_quant_check_bias(ctx, node, &d->q, bias, IN_BIAS, in->type, d->bias_type_option,
                                    d->output_size)))
        return st;
    if (per_channel && in->type == MOTE_UINT8)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "uint8 weights must be quantized per tensor (found %d scales)",
                           w->def->quant_count);
    d->kind = in->type == MOTE_INT8 ? FC_INT8 : in->type == MOTE_UINT8 ? FC_UINT8 : FC_INT16;
    d->input_scale = in->scale;
    d->output_scale = out->scale;
    d->weight_scales = w->def->scales;
    d->weight_scale_count = w->def->quant_count;
    /* Offsets and clamp; no Q31 multipliers. */
    if ((st = conv_quant_prepare(ctx, node, &d->q, in, w, out, d->activation, 0, CONV_MULTIPLIER_DOUBLE)))
        return st;
    /* The optimized path, when it applies (fully_connected_i8_opt.c). */
    return fc_i8_opt_prepare(ctx, node, in, w, bias);
}

mote_status fc_pack_quant(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    if (d->kind == FC_INT8 || d->kind == FC_UINT8) return fc_i8_opt_pack(ctx, node);
    return MOTE_OK;
}

/* One output of row sum `sum` and output channel o: the bias added in the accumulator's
 * width (see conv_quant.h), the result rescaled in double and rounded half away from
 * zero, the output offset added, the clamp applied. */
static inline int32_t fc_output(const fc_data *d, int32_t o, int64_t sum, const int32_t *b32,
                                const int64_t *b64) {
    const conv_quant *q = &d->q;
    const int64_t acc = conv_quant_accumulator(q, o, sum, b32, b64);
    const double weight_scale = d->weight_scales[d->weight_scale_count > 1 ? o : 0];
    const double real = d->input_scale * weight_scale / d->output_scale;
    const double r = round((double)acc * real);
    /* (int32) of values outside int32 is undefined in C and C++; saturate. */
    int64_t v = r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : (int64_t)r;
    v += q->output_offset;
    return v < q->act_min ? q->act_min : v > q->act_max ? q->act_max : (int32_t)v;
}

/* One integer FULLY_CONNECTED for activation type TX and weight type TW: every output is
 * conv_quant_output of sum((weights + filter_offset) * (input + input_offset)) over a row. */
#define DEFINE_FC_INT(NAME, TX, TW)                                                                          \
    static void NAME(const fc_data *d, const mote_tensor *in, const mote_tensor *weights,                    \
                     const int32_t *b32, const int64_t *b64, mote_tensor *out) {                             \
        const TX *x = KERNEL_DATA(in, const TX);      /* [batches, input_size] */                            \
        const TW *w = KERNEL_DATA(weights, const TW); /* [output_size, input_size] */                        \
        TX *y = KERNEL_DATA(out, TX);                 /* [batches, output_size] */                           \
        const conv_quant *q = &d->q;                                                                         \
        const size_t in_n = (size_t)d->input_size, out_n = (size_t)d->output_size;                           \
        for (int32_t n = 0; n < d->batches; n++) {                                                           \
            const TX *row = x + (size_t)n * in_n;                                                            \
            for (int32_t o = 0; o < d->output_size; o++) {                                                   \
                const TW *wr = w + (size_t)o * in_n;                                                         \
                int64_t sum = 0;                                                                             \
                for (size_t i = 0; i < in_n; i++)                                                            \
                    sum +=                                                                                   \
                        (int64_t)((int32_t)wr[i] + q->filter_offset) * ((int32_t)row[i] + q->input_offset);  \
                y[(size_t)n * out_n + (size_t)o] = (TX)fc_output(d, o, sum, b32, b64);                       \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_FC_INT(fc_i8, int8_t, int8_t)
DEFINE_FC_INT(fc_u8, uint8_t, uint8_t)
DEFINE_FC_INT(fc_i16, int16_t, int8_t)

mote_status fc_eval_quant(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *w = kernel_input(ctx, node, IN_WEIGHTS);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t *b32 = bias && bias->type == MOTE_INT32 ? KERNEL_DATA(bias, const int32_t) : NULL;
    const int64_t *b64 = bias && bias->type == MOTE_INT64 ? KERNEL_DATA(bias, const int64_t) : NULL;
    if (d->i8opt.isa != GEMM_I8_NONE) return fc_i8_opt_eval(ctx, node);
    switch (d->kind) {
    case FC_INT8: fc_i8(d, in, w, b32, b64, out); return MOTE_OK;
    case FC_UINT8: fc_u8(d, in, w, b32, b64, out); return MOTE_OK;
    case FC_INT16: fc_i16(d, in, w, b32, b64, out); return MOTE_OK;
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}
