/* reverse.c — REVERSE_V2 (reverse along a list of axes) and REVERSE_SEQUENCE (reverse the
 * first seq_lengths[b] elements along seq_dim, for each b along batch_dim). Copies, so every
 * fixed-size element type works. The axes and lengths are data: they do not change the
 * output's shape, so they are read and checked while running. */
#include "kernels/kernel.h"

#define OPT_SEQ_DIM 0
#define OPT_BATCH_DIM 1

typedef struct reverse_data {
    int32_t seq_dim, batch_dim; /* REVERSE_SEQUENCE options (prepare makes them non-negative) */
} reverse_data;

static mote_status reverse_init(mote_context *ctx, mote_node *node) {
    reverse_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    if (node->def->builtin_code == MOTE_OP_REVERSE_SEQUENCE) {
        fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_REVERSE_SEQUENCE);
        d->seq_dim = KOPT_I32(ctx, opt, OPT_SEQ_DIM, 0);
        d->batch_dim = KOPT_I32(ctx, opt, OPT_BATCH_DIM, 0);
    }
    return MOTE_OK;
}

/* Input, a 1-D int32/int64 argument, and an output of the input's type and shape. */
static mote_status check_io(mote_context *ctx, mote_node *node, mote_tensor **in, mote_tensor **arg) {
    mote_tensor *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, in)) ||
        (st = kernel_require_input(ctx, node, 1, arg)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, *arg, "input", 1, 1)))
        return st;
    if (mote_type_bytes((*in)->type) == 0) return kernel_unsupported_type(ctx, node, *in, "input", 0);
    if ((*arg)->type != MOTE_INT32 && (*arg)->type != MOTE_INT64) return kernel_unsupported_type(ctx, node, *arg, "input", 1);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, (*in)->type))) return st;
    return kernel_copy_shape(ctx, node, out, *in);
}

static mote_status reverse_v2_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *axes;
    mote_status st = check_io(ctx, node, &in, &axes);
    if (st) return st;
    if (axes->dims[0] > in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%d axes for an input of rank %d", axes->dims[0],
                           in->rank);
    return MOTE_OK;
}

/* Copies in to out element by element, out position p taking in position p with the
 * coordinates k where flip_len[k] >= 0 replaced by flip_len[k] - 1 - p[k] when below
 * flip_len[k]. inner: trailing elements copied as one block (none of them flipped). */
static void copy_flipped(const mote_tensor *in, mote_tensor *out, int32_t rank, const int64_t *flip_len, size_t inner) {
    const size_t block = inner * mote_type_bytes(in->type);
    int32_t idx[MOTE_MAX_DIMS] = {0};
    size_t count = 1;
    for (int32_t k = 0; k < rank; k++) count *= (size_t)in->dims[k];
    for (size_t o = 0; o < count; o++) {
        size_t src = 0;
        for (int32_t k = 0; k < rank; k++) {
            int64_t c = idx[k];
            if (flip_len[k] >= 0 && c < flip_len[k]) c = flip_len[k] - 1 - c;
            src = src * (size_t)in->dims[k] + (size_t)c;
        }
        memcpy(out->data + o * block, in->data + src * block, block);
        for (int32_t k = rank - 1; k >= 0; k--) {
            if (++idx[k] < in->dims[k]) break;
            idx[k] = 0;
        }
    }
}

static mote_status reverse_v2_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0), *axes = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    int64_t flip_len[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < in->rank; k++) flip_len[k] = -1;
    int32_t last = -1;
    for (size_t i = 0, n = kernel_count(axes); i < n; i++) {
        int64_t a = kernel_int_at(axes, i);
        if (a < -(int64_t)in->rank || a >= in->rank)
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "axis %lld is out of range for rank %d", (long long)a,
                               in->rank);
        if (a < 0) a += in->rank;
        flip_len[a] = in->dims[a];
        if (a > last) last = (int32_t)a;
    }
    if (last < 0) {
        memcpy(out->data, in->data, in->bytes);
        return MOTE_OK;
    }
    copy_flipped(in, out, last + 1, flip_len, kernel_dims_product(in, last + 1, in->rank));
    return MOTE_OK;
}

static mote_status reverse_sequence_prepare(mote_context *ctx, mote_node *node) {
    reverse_data *d = node->data;
    mote_tensor *in, *lengths;
    mote_status st = check_io(ctx, node, &in, &lengths);
    if (st) return st;
    reverse_data opt = *d;
    if (opt.seq_dim < 0) opt.seq_dim += in->rank;
    if (opt.batch_dim < 0) opt.batch_dim += in->rank;
    if (opt.seq_dim < 0 || opt.seq_dim >= in->rank || opt.batch_dim < 0 || opt.batch_dim >= in->rank ||
        opt.seq_dim == opt.batch_dim)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "seq_dim %d and batch_dim %d must be two different dimensions of rank %d", d->seq_dim,
                           d->batch_dim, in->rank);
    if (lengths->dims[0] != in->dims[opt.batch_dim])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%d sequence lengths for a batch of %d",
                           lengths->dims[0], in->dims[opt.batch_dim]);
    d->seq_dim = opt.seq_dim;
    d->batch_dim = opt.batch_dim;
    return MOTE_OK;
}

static mote_status reverse_sequence_eval(mote_context *ctx, mote_node *node) {
    const reverse_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0), *lengths = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    for (size_t b = 0, n = kernel_count(lengths); b < n; b++) {
        int64_t len = kernel_int_at(lengths, b);
        if (len < 0 || len > in->dims[d->seq_dim])
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "sequence length %lld (batch %zu) is outside [0, %d]",
                               (long long)len, b, in->dims[d->seq_dim]);
    }
    /* Walk the output one batch index at a time: only seq_dim is flipped, by that batch's length. */
    const size_t e = mote_type_bytes(in->type);
    const int32_t rank = in->rank;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    for (size_t o = 0, count = kernel_count(out); o < count; o++) {
        const int64_t len = kernel_int_at(lengths, (size_t)idx[d->batch_dim]);
        size_t src = 0;
        for (int32_t k = 0; k < rank; k++) {
            int64_t c = idx[k];
            if (k == d->seq_dim && c < len) c = len - 1 - c;
            src = src * (size_t)in->dims[k] + (size_t)c;
        }
        memcpy(out->data + o * e, in->data + src * e, e);
        for (int32_t k = rank - 1; k >= 0; k--) {
            if (++idx[k] < in->dims[k]) break;
            idx[k] = 0;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_reverse_v2 = {NULL, MOTE_OP_REVERSE_V2, reverse_init, reverse_v2_prepare, NULL, reverse_v2_eval,
                                    NULL};
const mote_op mote_op_reverse_sequence = {NULL, MOTE_OP_REVERSE_SEQUENCE, reverse_init, reverse_sequence_prepare, NULL,
                                          reverse_sequence_eval, NULL};
