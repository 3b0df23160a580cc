/* pad_fusion.c — see pad_fusion.h. */
#include "kernels/pad_fusion.h"

#include "core/graph.h"

/* Whether a PADV2's constant is the value the kernels pad with. */
static int padding_value_matches(const mote_tensor *value, const mote_tensor *out) {
    if (!value || value->type != out->type || kernel_count(value) != 1 || !kernel_is_constant(value) || !value->data)
        return 0;
    if (out->type == MOTE_FLOAT32) {
        float v;
        memcpy(&v, value->data, sizeof v); /* model buffers need not be 4-byte aligned */
        return v == 0.0f;
    }
    const int32_t v = out->type == MOTE_UINT8 ? (int32_t)value->data[0] : (int32_t)(int8_t)value->data[0];
    return v == out->zero_point;
}

int conv_fuse_pad(mote_context *ctx, mote_node *node, mote_type type, int32_t *source_tensor, int32_t *pad_top,
                  int32_t *pad_left) {
    if (!ctx->in_prepare || node->reprepare || node->input_count < 1 || node->inputs[0] < 0) return 0;
    subgraph *sg = &ctx->subgraphs[node->subgraph];
    const int32_t padded = node->inputs[0];
    const int32_t producer = graph_producer(sg, padded);
    if (producer < 0 || producer >= node->index) return 0;
    mote_node *pad = &sg->nodes[producer];
    const int32_t code = pad->def->builtin_code;
    if (code != MOTE_OP_PAD && code != MOTE_OP_PADV2) return 0;
    if (pad->reprepare || pad->is_folded || pad->is_prepared || pad->fused_into >= 0) return 0;
    if (pad->input_count < 2 || pad->output_count != 1 || pad->inputs[0] < 0 || pad->outputs[0] != padded) return 0;
    const mote_tensor *src = kernel_input(ctx, pad, 0), *pads = kernel_input(ctx, pad, 1);
    const mote_tensor *out = kernel_tensor(ctx, node, padded);
    if (!src || !pads || !out || out->type != type || src->type != type || src->rank != 4 || out->rank != 4 ||
        src->is_dynamic || out->is_dynamic || out->is_variable)
        return 0;
    if (code == MOTE_OP_PADV2 && pad->input_count > 2 && pad->inputs[2] >= 0 &&
        !padding_value_matches(kernel_input(ctx, pad, 2), out))
        return 0;
    if (!kernel_is_constant(pads) || (pads->type != MOTE_INT32 && pads->type != MOTE_INT64) || pads->rank != 2 ||
        pads->dims[0] != 4 || pads->dims[1] != 2)
        return 0;
    int64_t v[8];
    for (int32_t i = 0; i < 8; i++) v[i] = kernel_int_at(pads, (size_t)i);
    if (v[0] || v[1] || v[6] || v[7]) return 0; /* batch and channels unpadded */
    for (int32_t i = 2; i < 6; i++)
        if (v[i] < 0 || v[i] > INT32_MAX / 4) return 0;
    for (int32_t i = 0; i < 4; i++)
        if ((int64_t)out->dims[i] != (int64_t)src->dims[i] + v[2 * i] + v[2 * i + 1]) return 0;
    if (graph_reader_count(ctx, sg, padded) != 1) return 0;
    pad->fused_into = node->index;
    node->extra_input = pad->inputs[0];
    *source_tensor = pad->inputs[0];
    *pad_top = (int32_t)v[2];
    *pad_left = (int32_t)v[4];
    return 1;
}
