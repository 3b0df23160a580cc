/* space_batch.c — SPACE_TO_BATCH_ND (pad, then move blocks of the spatial dimensions into
 * the batch) and BATCH_TO_SPACE_ND (the inverse, then crop). Input [batch, spatial..., rest...]
 * with one block size per spatial dimension (TensorFlow Lite's 3-D and 4-D cases, and any
 * other rank up to Mote's limit). Copies, so every fixed-size type works; padding is zero,
 * or the output's zero point for int8/uint8 as in TensorFlow Lite. */
#include "kernels/shape_arg.h"

enum { IN_INPUT = 0, IN_BLOCK = 1, IN_PADS = 2 };

typedef struct space_batch_data {
    int32_t spatial;                   /* number of spatial dimensions (block_shape's length) */
    int32_t block[MOTE_MAX_DIMS];      /* block size per spatial dimension */
    int32_t before[MOTE_MAX_DIMS];     /* padding (SPACE_TO_BATCH) or crop (BATCH_TO_SPACE) at the start */
    int32_t space_in[MOTE_MAX_DIMS];   /* spatial sizes of the unbatched side (output of B2S, input of S2B) */
    int32_t space_out[MOTE_MAX_DIMS];  /* spatial sizes of the batched side */
    int32_t small_batch;               /* batch of the unbatched side */
    int32_t big_batch;                 /* batch of the batched side: small_batch * prod(block) */
    size_t depth_bytes;                /* bytes of one spatial position (the remaining dimensions) */
    uint8_t pad_byte;                  /* value of padded bytes */
} space_batch_data;

static mote_status space_batch_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(space_batch_data));
}

/* Reads block_shape ([M], values >= 1) and paddings/crops ([M, 2], values >= 0). */
static mote_status read_args(mote_context *ctx, mote_node *node, const mote_tensor *in, int32_t *after) {
    space_batch_data *d = node->data;
    mote_tensor *block, *pads;
    mote_status st;
    if ((st = kernel_require_input(ctx, node, IN_BLOCK, &block)) ||
        (st = kernel_require_input(ctx, node, IN_PADS, &pads)) ||
        (st = kernel_check_rank(ctx, node, block, "input", IN_BLOCK, 1)) ||
        (st = kernel_check_rank(ctx, node, pads, "input", IN_PADS, 2)) ||
        (st = kernel_check_int_arg(ctx, node, block, "input", IN_BLOCK)) ||
        (st = kernel_check_int_arg(ctx, node, pads, "input", IN_PADS)))
        return st;
    const int32_t m = block->dims[0];
    if (m < 1 || m > in->rank - 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "block_shape has %d values; the input of rank %d allows 1 to %d", m, in->rank,
                           in->rank - 1);
    if (pads->dims[0] != m || pads->dims[1] != 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "input 2 must have shape [%d, 2], has [%d, %d]", m,
                           pads->dims[0], pads->dims[1]);
    d->spatial = m;
    for (int32_t k = 0; k < m; k++) {
        int64_t b = kernel_int_at(block, (size_t)k);
        int64_t lo = kernel_int_at(pads, (size_t)(2 * k)), hi = kernel_int_at(pads, (size_t)(2 * k + 1));
        if (b < 1 || b > INT32_MAX || lo < 0 || hi < 0 || lo > INT32_MAX || hi > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "spatial dimension %d: block %lld, padding or crop %lld and %lld", k, (long long)b,
                               (long long)lo, (long long)hi);
        d->block[k] = (int32_t)b;
        d->before[k] = (int32_t)lo;
        after[k] = (int32_t)hi;
    }
    d->depth_bytes = kernel_dims_product(in, 1 + m, in->rank) * mote_type_bytes(in->type);
    return MOTE_OK;
}

static mote_status check_io(mote_context *ctx, mote_node *node, mote_tensor **in, mote_tensor **out) {
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, in)) ||
        (st = kernel_require_output(ctx, node, 0, out)))
        return st;
    if (mote_type_bytes((*in)->type) == 0 || (*in)->rank < 2)
        return kernel_unsupported_type(ctx, node, *in, "input", IN_INPUT);
    return kernel_check_type(ctx, node, *out, "output", 0, (*in)->type);
}

static mote_status space_to_batch_prepare(mote_context *ctx, mote_node *node) {
    space_batch_data *d = node->data;
    mote_tensor *in, *out;
    int32_t after[MOTE_MAX_DIMS];
    mote_status st;
    if ((st = check_io(ctx, node, &in, &out)) || (st = read_args(ctx, node, in, after))) return st;
    int32_t dims[MOTE_MAX_DIMS];
    int64_t batch = in->dims[0];
    for (int32_t k = 0; k < d->spatial; k++) {
        int64_t padded = (int64_t)in->dims[1 + k] + d->before[k] + after[k];
        if (padded % d->block[k] != 0)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "spatial dimension %d: padded size %lld is not a multiple of the block %d", k,
                               (long long)padded, d->block[k]);
        batch *= d->block[k];
        if (batch > INT32_MAX || padded > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output is too large");
        d->space_in[k] = in->dims[1 + k];
        d->space_out[k] = dims[1 + k] = (int32_t)(padded / d->block[k]);
    }
    d->small_batch = in->dims[0];
    d->big_batch = dims[0] = (int32_t)batch;
    for (int32_t k = 1 + d->spatial; k < in->rank; k++) dims[k] = in->dims[k];
    d->pad_byte = (out->type == MOTE_INT8 || out->type == MOTE_UINT8) ? (uint8_t)out->zero_point : 0;
    return kernel_set_shape(ctx, node, out, in->rank, dims);
}

static mote_status batch_to_space_prepare(mote_context *ctx, mote_node *node) {
    space_batch_data *d = node->data;
    mote_tensor *in, *out;
    int32_t after[MOTE_MAX_DIMS];
    mote_status st;
    if ((st = check_io(ctx, node, &in, &out)) || (st = read_args(ctx, node, in, after))) return st;
    int32_t dims[MOTE_MAX_DIMS];
    int64_t blocks = 1;
    for (int32_t k = 0; k < d->spatial; k++) {
        int64_t full = (int64_t)in->dims[1 + k] * d->block[k];
        int64_t kept = full - d->before[k] - after[k];
        if (kept < 0 || full > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "spatial dimension %d: crops %d and %d exceed its size %lld", k, d->before[k], after[k],
                               (long long)full);
        blocks *= d->block[k];
        if (blocks > INT32_MAX) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "block_shape is too large");
        d->space_out[k] = in->dims[1 + k];
        d->space_in[k] = dims[1 + k] = (int32_t)kept;
    }
    if (in->dims[0] % blocks != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "batch %d is not a multiple of the block count %lld",
                           in->dims[0], (long long)blocks);
    d->big_batch = in->dims[0];
    d->small_batch = dims[0] = (int32_t)(in->dims[0] / blocks);
    for (int32_t k = 1 + d->spatial; k < in->rank; k++) dims[k] = in->dims[k];
    return kernel_set_shape(ctx, node, out, in->rank, dims);
}

/* Walks the batched side: for each of its positions, the position on the unbatched side it
 * corresponds to (padded or cropped away when outside). Calls move(big, small) with byte
 * offsets, small = SIZE_MAX when outside. */
#define SPACE_BATCH_WALK(d, MOVE)                                                                   \
    do {                                                                                            \
        size_t positions_ = 1;                                                                      \
        for (int32_t k_ = 0; k_ < (d)->spatial; k_++) positions_ *= (size_t)(d)->space_out[k_];     \
        size_t big_ = 0;                                                                            \
        for (int32_t bb_ = 0; bb_ < (d)->big_batch; bb_++) {                                        \
            const int32_t sb_ = bb_ % (d)->small_batch;                                             \
            int32_t offs_[MOTE_MAX_DIMS];                                                           \
            int32_t rest_ = bb_ / (d)->small_batch;                                                 \
            for (int32_t k_ = (d)->spatial - 1; k_ >= 0; k_--) {                                    \
                offs_[k_] = rest_ % (d)->block[k_];                                                 \
                rest_ /= (d)->block[k_];                                                            \
            }                                                                                       \
            for (size_t p_ = 0; p_ < positions_; p_++, big_ += (d)->depth_bytes) {                  \
                size_t q_ = p_, small_ = 0, scale_ = 1;                                             \
                int inside_ = 1;                                                                    \
                for (int32_t k_ = (d)->spatial - 1; k_ >= 0; k_--) {                                \
                    int64_t at_ = (int64_t)(q_ % (size_t)(d)->space_out[k_]) * (d)->block[k_] +     \
                                  offs_[k_] - (d)->before[k_];                                      \
                    q_ /= (size_t)(d)->space_out[k_];                                               \
                    if (at_ < 0 || at_ >= (d)->space_in[k_]) inside_ = 0;                           \
                    small_ += (size_t)at_ * scale_;                                                 \
                    scale_ *= (size_t)(d)->space_in[k_];                                            \
                }                                                                                   \
                size_t small_off_ = inside_ ? ((size_t)sb_ * scale_ + small_) * (d)->depth_bytes    \
                                            : SIZE_MAX;                                             \
                MOVE(big_, small_off_);                                                             \
            }                                                                                       \
        }                                                                                           \
    } while (0)

static mote_status space_to_batch_eval(mote_context *ctx, mote_node *node) {
    const space_batch_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
#define S2B_MOVE(big, small)                                                 \
    if ((small) == SIZE_MAX)                                                 \
        memset(out->data + (big), d->pad_byte, d->depth_bytes);              \
    else                                                                     \
        memcpy(out->data + (big), in->data + (small), d->depth_bytes)
    SPACE_BATCH_WALK(d, S2B_MOVE);
#undef S2B_MOVE
    return MOTE_OK;
}

static mote_status batch_to_space_eval(mote_context *ctx, mote_node *node) {
    const space_batch_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
#define B2S_MOVE(big, small) \
    if ((small) != SIZE_MAX) memcpy(out->data + (small), in->data + (big), d->depth_bytes)
    SPACE_BATCH_WALK(d, B2S_MOVE);
#undef B2S_MOVE
    return MOTE_OK;
}

const mote_op mote_op_space_to_batch_nd = {NULL, MOTE_OP_SPACE_TO_BATCH_ND, space_batch_init,
                                           space_to_batch_prepare, NULL, space_to_batch_eval, NULL};
const mote_op mote_op_batch_to_space_nd = {NULL, MOTE_OP_BATCH_TO_SPACE_ND, space_batch_init,
                                           batch_to_space_prepare, NULL, batch_to_space_eval, NULL};
