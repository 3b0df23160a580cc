/* dynamic_update_slice.c — DYNAMIC_UPDATE_SLICE: the operand with a smaller update tensor
 * written over it at start indices (int32/int64, one per dimension), each clamped into
 * [0, operand - update] as TensorFlow Lite does. The indices are data, read while running.
 * Copies, so every fixed-size element type works. */
#include "kernels/kernel.h"

enum { IN_OPERAND = 0, IN_UPDATE = 1, IN_START = 2 };

static mote_status dus_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *operand, *update, *start, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) || (st = kernel_require_input(ctx, node, IN_OPERAND, &operand)) ||
        (st = kernel_require_input(ctx, node, IN_UPDATE, &update)) ||
        (st = kernel_require_input(ctx, node, IN_START, &start)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, start, "input", IN_START, 1)))
        return st;
    if (mote_type_bytes(operand->type) == 0) return kernel_unsupported_type(ctx, node, operand, "input", IN_OPERAND);
    if (start->type != MOTE_INT32 && start->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, start, "input", IN_START);
    if ((st = kernel_check_type(ctx, node, update, "input", IN_UPDATE, operand->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, operand->type)))
        return st;
    int ok = update->rank == operand->rank && start->dims[0] == operand->rank;
    for (int32_t k = 0; ok && k < operand->rank; k++) ok = update->dims[k] <= operand->dims[k];
    if (!ok)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the update must have the operand's rank (%d) and fit in it, with one start index per "
                           "dimension",
                           operand->rank);
    return kernel_copy_shape(ctx, node, out, operand);
}

static mote_status dus_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *operand = kernel_input(ctx, node, IN_OPERAND), *update = kernel_input(ctx, node, IN_UPDATE),
                      *start_t = kernel_input(ctx, node, IN_START);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    if (out->data != operand->data) memcpy(out->data, operand->data, operand->bytes);
    if (update->bytes == 0) return MOTE_OK;
    const int32_t rank = operand->rank;
    const size_t e = mote_type_bytes(operand->type);
    int64_t start[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < rank; k++) {
        int64_t v = kernel_int_at(start_t, (size_t)k), hi = operand->dims[k] - update->dims[k];
        start[k] = v < 0 ? 0 : v > hi ? hi : v;
    }
    /* Rows of the update's last dimension, copied whole. */
    const size_t row = (rank ? (size_t)update->dims[rank - 1] : 1) * e;
    const size_t rows = rank ? kernel_dims_product(update, 0, rank - 1) : 1;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    for (size_t r = 0; r < rows; r++) {
        size_t at = 0;
        for (int32_t k = 0; k < rank; k++) at = at * (size_t)operand->dims[k] + (size_t)(start[k] + (k < rank - 1 ? idx[k] : 0));
        memcpy(out->data + at * e, update->data + r * row, row);
        for (int32_t k = rank - 2; k >= 0; k--) {
            if (++idx[k] < update->dims[k]) break;
            idx[k] = 0;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_dynamic_update_slice = {NULL, MOTE_OP_DYNAMIC_UPDATE_SLICE, NULL, dus_prepare, NULL, dus_eval,
                                              NULL};
