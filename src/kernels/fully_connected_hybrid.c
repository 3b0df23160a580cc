/* fully_connected_hybrid.c — FULLY_CONNECTED with float32 activations and quantized
 * weights, as TensorFlow Lite computes it: each input row is quantized to int8 on the fly,
 * the products summed in integers and scaled back to float.
 *   int8 weights ("dynamic range"), one scale or one per output row: rows quantized
 *     symmetrically, or asymmetrically with the weights' row sums correcting for the zero
 *     point when asymmetric_quantize_inputs is set (its hybrid kernel, EvalHybridDense).
 *   int4 weights with blockwise quantization (LiteRT's EvalBlockwise4Bit): two weights a
 *     byte (even input index in the low nibble, each row padded to an even count), one
 *     float16 scale per block of block_size inputs in a separate tensor, rows always
 *     quantized asymmetrically. */
#include "kernels/fully_connected.h"

enum { IN_INPUT = FC_IN_INPUT, IN_WEIGHTS = FC_IN_WEIGHTS, IN_BIAS = FC_IN_BIAS };

/* Blockwise int4 weights: the scales tensor and the packed rows. */
static mote_status prepare_blockwise(mote_context *ctx, mote_node *node, const mote_tensor *w) {
    fc_data *d = node->data;
    const model_blockwise *bw = &w->def->blockwise;
    char desc[160];
    kernel_describe(w, "input", IN_WEIGHTS, desc, sizeof desc);
    if (bw->zero_points_tensor >= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: blockwise zero points are not supported",
                           desc);
    if (bw->block_size <= 0 || d->input_size % bw->block_size != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: block size %d does not divide the %d inputs of a row", desc, bw->block_size,
                           d->input_size);
    if (!kernel_is_constant(w))
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: blockwise weights must be constant", desc);
    /* Rows are padded to an even number of int4 values. */
    const size_t row_bytes = ((size_t)d->input_size + 1) / 2;
    if (w->def->data_size / row_bytes < (size_t)d->output_size)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %zu bytes, %d rows of %zu needed", desc,
                           w->def->data_size, d->output_size, row_bytes);
    const mote_tensor *scales = kernel_tensor(ctx, node, bw->scales_tensor);
    if (!scales)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: blockwise quantization names no scales",
                           desc);
    const size_t blocks = (size_t)(d->input_size / bw->block_size);
    if (scales->type != MOTE_FLOAT16 || !kernel_is_constant(scales) ||
        kernel_count(scales) != (size_t)d->output_size * blocks)
        return kernel_fail(
            ctx, node, MOTE_ERROR_INVALID_MODEL,
            "%s: its block scales (tensor %d '%s') must be a constant float16 tensor of %d x %zu "
            "values, not %s with %zu",
            desc, scales->index, scales->def ? scales->def->name : "", d->output_size, blocks,
            mote_type_name(scales->type), kernel_count(scales));
    d->block_size = bw->block_size;
    d->block_scales = KERNEL_DATA(scales, const uint16_t);
    d->kind = FC_BLOCKWISE_I4;
    return MOTE_OK;
}

mote_status fc_prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *w,
                              const mote_tensor *bias, const mote_tensor *out) {
    fc_data *d = node->data;
    int per_channel;
    mote_status st;
    (void)in;
    if ((st = conv_hybrid_check_types(ctx, node, bias, IN_BIAS, d->output_size, out))) return st;
    if (w->type == MOTE_INT4 && w->def && w->def->quant_details_type == TFL_QDETAILS_BLOCKWISE) {
        st = prepare_blockwise(ctx, node, w);
    } else if (w->type == MOTE_INT8) {
        if ((st = conv_quant_check_filter(ctx, node, w, IN_WEIGHTS, d->output_size, 0, &per_channel)))
            return st;
        d->weight_scale = w->def->scales[0];
        d->channel_scales = per_channel ? w->def->scales : NULL;
        d->kind = FC_HYBRID_I8;
    } else {
        return kernel_unsupported_type(ctx, node, w, "input", IN_WEIGHTS);
    }
    if (st) return st;
    st = mote_node_request_scratch(ctx, node, d->input_size > 0 ? (size_t)d->input_size : 1, &d->scratch);
    return st ? kernel_fail(ctx, node, st, "cannot reserve scratch memory for a quantized row") : MOTE_OK;
}

static void fc_hybrid_i8(const fc_data *d, const float *x, const int8_t *w, const float *b, int8_t *q,
                         float *y) {
    /* x [batches, in], w [out, in] int8, b [out] or NULL, q [in] scratch, y [batches, out] */
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    const size_t in_n = (size_t)d->input_size;
    for (int32_t n = 0; n < d->batches; n++) {
        float row_scale;
        int32_t row_zp = 0;
        if (d->asymmetric_input)
            conv_quantize_asymmetric(x + (size_t)n * in_n, in_n, q, &row_scale, &row_zp);
        else
            conv_quantize_symmetric(x + (size_t)n * in_n, in_n, q, &row_scale);
        for (int32_t o = 0; o < d->output_size; o++) {
            const int8_t *wr = w + (size_t)o * in_n;
            int64_t dot = 0, row_sum = 0;
            for (size_t i = 0; i < in_n; i++) {
                dot += (int32_t)wr[i] * (int32_t)q[i];
                row_sum += wr[i];
            }
            /* The input's zero point over the whole row, in int32 as TensorFlow Lite. */
            int32_t acc =
                quant_wrap_sub_i32(quant_wrap_i32(dot), quant_wrap_mul_i32(quant_wrap_i32(row_sum), row_zp));
            const float scale = row_scale * (d->channel_scales ? d->channel_scales[o] : d->weight_scale);
            float out = b ? b[o] : 0.0f;
            out += (float)acc * scale;
            y[(size_t)n * (size_t)d->output_size + (size_t)o] = kernel_clamp_f32(out, lo, hi);
        }
    }
}

/* Weight i of a row of packed int4 values, sign-extended. */
static inline int32_t int4_at(const uint8_t *row, size_t i) {
    int32_t v = i % 2 == 0 ? row[i / 2] & 0xF : row[i / 2] >> 4;
    return v >= 8 ? v - 16 : v;
}

static void fc_blockwise_i4(const fc_data *d, const float *x, const uint8_t *w, const float *b, int8_t *q,
                            float *y) {
    /* x [batches, in], w [out, (in + 1) / 2] packed int4, b [out] or NULL, q [in] scratch,
     * y [batches, out] */
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    const size_t in_n = (size_t)d->input_size, row_bytes = (in_n + 1) / 2;
    const size_t bs = (size_t)d->block_size, blocks = in_n / bs;
    for (int32_t n = 0; n < d->batches; n++) {
        float row_scale;
        int32_t row_zp;
        conv_quantize_asymmetric(x + (size_t)n * in_n, in_n, q, &row_scale, &row_zp);
        for (int32_t o = 0; o < d->output_size; o++) {
            const uint8_t *wr = w + (size_t)o * row_bytes;
            float acc = 0.0f, scaled_weight_sum = 0.0f;
            for (size_t blk = 0; blk < blocks; blk++) {
                int32_t weight_sum = 0, dot = 0;
                for (size_t i = blk * bs; i < (blk + 1) * bs; i++) {
                    const int32_t v = int4_at(wr, i);
                    weight_sum += v;
                    /* LiteRT adds each product to its int32 sum through float: exact while
                     * the sum stays below 2^24, as for any practical block size. */
                    dot = quant_f32_to_i32_sat((float)dot + (float)q[i] * (float)v);
                }
                const float scale = kernel_f16_to_f32(d->block_scales[(size_t)o * blocks + blk]);
                acc += (float)dot * scale;
                scaled_weight_sum += scale * (float)weight_sum;
            }
            acc -= (float)row_zp * scaled_weight_sum;
            acc *= row_scale;
            if (b) acc += b[o];
            y[(size_t)n * (size_t)d->output_size + (size_t)o] = kernel_clamp_f32(acc, lo, hi);
        }
    }
}

mote_status fc_eval_hybrid(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    const float *x = KERNEL_DATA(kernel_input(ctx, node, IN_INPUT), const float);
    const mote_tensor *w = kernel_input(ctx, node, IN_WEIGHTS);
    const float *b = bias ? KERNEL_DATA(bias, const float) : NULL;
    float *y = KERNEL_DATA(kernel_output(ctx, node, 0), float);
    void *q;
    mote_status st = mote_node_scratch(ctx, node, d->scratch, &q);
    if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");
    if (d->kind == FC_BLOCKWISE_I4)
        fc_blockwise_i4(d, x, KERNEL_DATA(w, const uint8_t), b, q, y);
    else
        fc_hybrid_i8(d, x, KERNEL_DATA(w, const int8_t), b, q, y);
    return MOTE_OK;
}
