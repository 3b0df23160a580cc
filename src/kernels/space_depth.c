/* space_depth.c — DEPTH_TO_SPACE and SPACE_TO_DEPTH on [batch, height, width, channels]
 * tensors: moving block_size x block_size pixel blocks into channels and back, in
 * TensorFlow's order (block row, block column, channel). */
#include <stdint.h>

#include "kernels/kernel.h"

/* DepthToSpaceOptions and SpaceToDepthOptions: block_size is field 0. */
#define OPT_BLOCK_SIZE 0

typedef struct space_depth_data {
    int32_t block; /* block_size: the side of a pixel block */
    /* Set in prepare: the shape of the side with more pixels and fewer channels. */
    int32_t batches, height, width, channels;
} space_depth_data;

static mote_status space_depth_init(mote_context *ctx, mote_node *node) {
    space_depth_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    int to_space = node->def->builtin_code == MOTE_OP_DEPTH_TO_SPACE;
    fb_table opt =
        kernel_options(ctx, node, to_space ? TFL_OPTIONS_DEPTH_TO_SPACE : TFL_OPTIONS_SPACE_TO_DEPTH);
    d->block = KOPT_I32(ctx, opt, OPT_BLOCK_SIZE, 0);
    if (d->block < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "block_size %d is not positive", d->block);
    return MOTE_OK;
}

/* Checks counts, types and rank; returns the input and output. The type switch keeps room
 * for types that need more than a copy. */
static mote_status space_depth_check(mote_context *ctx, mote_node *node, mote_tensor **in,
                                     mote_tensor **out) {
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, in)) ||
        (st = kernel_require_output(ctx, node, 0, out)) ||
        (st = kernel_check_rank(ctx, node, *in, "input", 0, 4)) ||
        (st = kernel_check_type(ctx, node, *out, "output", 0, (*in)->type)))
        return st;
    /* Elements are only moved, so quantized tensors keep their parameters. */
    switch ((*in)->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64: return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, *in, "input", 0);
    }
}

static mote_status depth_to_space_prepare(mote_context *ctx, mote_node *node) {
    space_depth_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st = space_depth_check(ctx, node, &in, &out);
    if (st) return st;
    const int64_t b = d->block, area = b * b;
    const int64_t height = (int64_t)in->dims[1] * b, width = (int64_t)in->dims[2] * b;
    char desc[160];
    if (in->dims[3] % area)
        return kernel_fail(
            ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %d channels are not a multiple of %lld",
            kernel_describe(in, "input", 0, desc, sizeof desc), in->dims[3], (long long)area);
    if (height > INT32_MAX || width > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "output height or width exceeds int32");
    d->batches = in->dims[0];
    d->height = (int32_t)height;
    d->width = (int32_t)width;
    d->channels = (int32_t)(in->dims[3] / area);
    int32_t dims[4] = {d->batches, d->height, d->width, d->channels};
    return kernel_set_shape(ctx, node, out, 4, dims);
}

static mote_status space_to_depth_prepare(mote_context *ctx, mote_node *node) {
    space_depth_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st = space_depth_check(ctx, node, &in, &out);
    if (st) return st;
    const int64_t b = d->block;
    const int64_t channels = (int64_t)in->dims[3] * b * b;
    char desc[160];
    if (in->dims[1] % b || in->dims[2] % b)
        return kernel_fail(
            ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %d x %d pixels are not a multiple of %d",
            kernel_describe(in, "input", 0, desc, sizeof desc), in->dims[1], in->dims[2], d->block);
    if (channels > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "output channels exceed int32");
    d->batches = in->dims[0];
    d->height = in->dims[1];
    d->width = in->dims[2];
    d->channels = in->dims[3];
    int32_t dims[4] = {d->batches, (int32_t)(d->height / b), (int32_t)(d->width / b), (int32_t)channels};
    return kernel_set_shape(ctx, node, out, 4, dims);
}

/* Walks the pixels of the spatial side [batch, height, width] with their channels as one
 * run, and the matching run of the depth side, where pixel (y, x) lives at block pixel
 * (y / b, x / b), channels from ((y % b) * b + x % b) * channels. to_space copies depth to
 * space, else space to depth. */
static void space_depth_move(const space_depth_data *d, size_t elem_bytes, int to_space, const uint8_t *src,
                             uint8_t *dst) {
    const size_t b = (size_t)d->block, run = (size_t)d->channels * elem_bytes;
    const size_t depth_pixel = run * b * b;                          /* bytes per depth-side pixel */
    const size_t depth_row = depth_pixel * ((size_t)d->width / b);   /* per depth-side row */
    const size_t depth_image = depth_row * ((size_t)d->height / b);  /* per batch */
    size_t spatial = 0;                                              /* offset on the spatial side */
    for (int32_t n = 0; n < d->batches; n++)
        for (size_t y = 0; y < (size_t)d->height; y++)
            for (size_t x = 0; x < (size_t)d->width; x++, spatial += run) {
                size_t depth = (size_t)n * depth_image + (y / b) * depth_row + (x / b) * depth_pixel +
                               ((y % b) * b + x % b) * run;
                if (to_space)
                    memcpy(dst + spatial, src + depth, run);
                else
                    memcpy(dst + depth, src + spatial, run);
            }
}

static mote_status space_depth_eval(mote_context *ctx, mote_node *node) {
    const space_depth_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK; /* nothing to move */
    space_depth_move(d, mote_type_bytes(in->type), node->def->builtin_code == MOTE_OP_DEPTH_TO_SPACE,
                     in->data, out->data);
    return MOTE_OK;
}

const mote_op mote_op_depth_to_space = {
    NULL, MOTE_OP_DEPTH_TO_SPACE, space_depth_init, depth_to_space_prepare, NULL, space_depth_eval, NULL};
const mote_op mote_op_space_to_depth = {
    NULL, MOTE_OP_SPACE_TO_DEPTH, space_depth_init, space_to_depth_prepare, NULL, space_depth_eval, NULL};
