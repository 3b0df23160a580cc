/* tensor_api.c — the public calls on tensors and nodes, and the interpreter's inputs,
 * outputs and resize. */
#include <string.h>

#include "core/dynamic.h"
#include "core/interpreter.h"
#include "core/strings.h"
#include "kernels/kernel.h"

/* ---- tensors ---- */

mote_status mote_tensor_get_info(const mote_tensor *t, mote_tensor_info *info) {
    if (!t || !info) return MOTE_ERROR_INVALID_ARGUMENT;
    memset(info, 0, sizeof *info);
    info->name = t->def->name;
    info->index = t->index;
    info->type = t->type;
    info->rank = t->rank;
    info->dims = t->dims;
    info->signature_rank = t->def->signature_rank;
    info->dims_signature = t->def->dims_signature;
    info->bytes = t->bytes;
    info->data = t->storage == STORAGE_NONE ? NULL : t->data;
    info->quantization.count = t->def->quant_count;
    info->quantization.scales = t->def->scales;
    info->quantization.zero_points = t->def->zero_points;
    info->quantization.quantized_dimension = t->def->quantized_dimension;
    info->is_constant = t->storage == STORAGE_CONSTANT;
    info->is_variable = t->is_variable;
    return MOTE_OK;
}

mote_status mote_tensor_copy_from(mote_tensor *t, const void *data, size_t size) {
    if (!t || (!data && size)) return MOTE_ERROR_INVALID_ARGUMENT;
    /* Model memory and values computed in prepare are read-only. */
    if (t->storage == STORAGE_CONSTANT || t->storage == STORAGE_PREPARED) return MOTE_ERROR_INVALID_ARGUMENT;
    if (t->type == MOTE_STRING) return strings_copy_from(t, data, size);
    if (size != t->bytes) return MOTE_ERROR_INVALID_ARGUMENT;
    if (size == 0) return MOTE_OK;
    if (t->storage == STORAGE_DYNAMIC) {
        mote_status st = dynamic_reserve(t->owner, NULL, t, size);
        if (st) return st;
    }
    if (!t->data || t->storage == STORAGE_NONE) return MOTE_ERROR_BAD_STATE;
    memcpy(t->data, data, size);
    return MOTE_OK;
}

mote_status mote_tensor_copy_to(const mote_tensor *t, void *data, size_t size) {
    if (!t || (!data && size)) return MOTE_ERROR_INVALID_ARGUMENT;
    if (size != t->bytes) return MOTE_ERROR_INVALID_ARGUMENT;
    if (size == 0) return MOTE_OK;
    if (!t->data || t->storage == STORAGE_NONE) return MOTE_ERROR_BAD_STATE;
    memcpy(data, t->data, size);
    return MOTE_OK;
}

mote_status mote_tensor_set_shape(mote_context *ctx, mote_tensor *t, int32_t rank, const int32_t *dims) {
    if (!ctx || !t || (!dims && rank)) return MOTE_ERROR_INVALID_ARGUMENT;
    return kernel_set_shape(ctx, ctx->current, t, rank, dims);
}

/* ---- nodes ---- */

mote_status mote_node_input_count(const mote_node *node, int32_t *count) {
    if (!node || !count) return MOTE_ERROR_INVALID_ARGUMENT;
    *count = node->input_count;
    return MOTE_OK;
}

mote_status mote_node_output_count(const mote_node *node, int32_t *count) {
    if (!node || !count) return MOTE_ERROR_INVALID_ARGUMENT;
    *count = node->output_count;
    return MOTE_OK;
}

mote_status mote_node_input(mote_context *ctx, const mote_node *node, int32_t i, mote_tensor **tensor) {
    if (!ctx || !node || !tensor || i < 0 || i >= node->input_count) return MOTE_ERROR_INVALID_ARGUMENT;
    *tensor = kernel_input(ctx, node, i);
    return MOTE_OK;
}

mote_status mote_node_output(mote_context *ctx, const mote_node *node, int32_t i, mote_tensor **tensor) {
    if (!ctx || !node || !tensor || i < 0 || i >= node->output_count) return MOTE_ERROR_INVALID_ARGUMENT;
    *tensor = kernel_output(ctx, node, i);
    return MOTE_OK;
}

mote_status mote_node_custom_options(const mote_node *node, const void **data, size_t *size) {
    if (!node || !data || !size) return MOTE_ERROR_INVALID_ARGUMENT;
    *data = node->def->custom_options;
    *size = node->def->custom_options_size;
    return MOTE_OK;
}

mote_status mote_node_set_data(mote_node *node, void *data) {
    if (!node || node->data_size) return MOTE_ERROR_INVALID_ARGUMENT;
    node->data = data;
    return MOTE_OK;
}

mote_status mote_node_data(const mote_node *node, void **data) {
    if (!node || !data) return MOTE_ERROR_INVALID_ARGUMENT;
    *data = node->data;
    return MOTE_OK;
}

/* ---- interpreter inputs and outputs (subgraph 0) ---- */

static int usable(const mote_interpreter *it) { return it && it->ctx.state != STATE_FAILED; }

mote_status mote_interpreter_input_count(const mote_interpreter *it, int32_t *count) {
    if (!it || !count) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!usable(it)) return MOTE_ERROR_BAD_STATE;
    *count = it->ctx.subgraphs[0].def->input_count;
    return MOTE_OK;
}

mote_status mote_interpreter_output_count(const mote_interpreter *it, int32_t *count) {
    if (!it || !count) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!usable(it)) return MOTE_ERROR_BAD_STATE;
    *count = it->ctx.subgraphs[0].def->output_count;
    return MOTE_OK;
}

mote_status mote_interpreter_tensor_count(const mote_interpreter *it, int32_t *count) {
    if (!it || !count) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!usable(it)) return MOTE_ERROR_BAD_STATE;
    *count = it->ctx.subgraphs[0].tensor_count;
    return MOTE_OK;
}

static mote_status io_tensor(mote_interpreter *it, int32_t i, int outputs, mote_tensor **tensor) {
    if (!it || !tensor) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!usable(it)) return MOTE_ERROR_BAD_STATE;
    const subgraph *sg = &it->ctx.subgraphs[0];
    int32_t n = outputs ? sg->def->output_count : sg->def->input_count;
    if (i < 0 || i >= n)
        return ctx_fail(&it->ctx, MOTE_ERROR_INVALID_ARGUMENT, "%s %d does not exist (the model has %d)",
                        outputs ? "output" : "input", i, n);
    *tensor = &sg->tensors[outputs ? sg->def->outputs[i] : sg->def->inputs[i]];
    return MOTE_OK;
}

mote_status mote_interpreter_input(mote_interpreter *it, int32_t i, mote_tensor **tensor) {
    return io_tensor(it, i, 0, tensor);
}

mote_status mote_interpreter_output(mote_interpreter *it, int32_t i, mote_tensor **tensor) {
    return io_tensor(it, i, 1, tensor);
}

mote_status mote_interpreter_tensor(mote_interpreter *it, int32_t index, mote_tensor **tensor) {
    if (!it || !tensor) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!usable(it)) return MOTE_ERROR_BAD_STATE;
    const subgraph *sg = &it->ctx.subgraphs[0];
    if (index < 0 || index >= sg->tensor_count)
        return ctx_fail(&it->ctx, MOTE_ERROR_INVALID_ARGUMENT, "tensor %d does not exist (%d tensors)",
                        index, sg->tensor_count);
    *tensor = &sg->tensors[index];
    return MOTE_OK;
}

/* Resizes a subgraph input; the next invoke needs allocate_tensors first unless the shape
 * did not change. */
mote_status interpreter_resize_tensor(mote_context *ctx, mote_tensor *t, int32_t rank, const int32_t *dims) {
    if (rank < 0 || rank > MOTE_MAX_DIMS || (rank && !dims))
        return ctx_fail(ctx, MOTE_ERROR_INVALID_ARGUMENT, "tensor %d ('%s'): rank %d is not allowed",
                        t->index, t->def->name, rank);
    for (int32_t i = 0; i < rank; i++)
        if (dims[i] < 0)
            return ctx_fail(ctx, MOTE_ERROR_INVALID_ARGUMENT, "tensor %d ('%s'): dimension %d is %d",
                            t->index, t->def->name, i, dims[i]);
    if (t->storage == STORAGE_CONSTANT)
        return ctx_fail(ctx, MOTE_ERROR_INVALID_ARGUMENT, "tensor %d ('%s') is a constant", t->index,
                        t->def->name);
    if (rank == t->rank && memcmp(dims, t->dims, (size_t)rank * sizeof *dims) == 0) return MOTE_OK;
    int32_t old_rank = t->rank, old_dims[MOTE_MAX_DIMS];
    memcpy(old_dims, t->dims, sizeof old_dims);
    t->rank = rank;
    memcpy(t->dims, dims, (size_t)rank * sizeof *dims);
    mote_status st = tensor_update_bytes(ctx, t);
    if (st) {
        t->rank = old_rank;
        memcpy(t->dims, old_dims, sizeof old_dims);
        tensor_update_bytes(ctx, t);
        return st;
    }
    /* Its bytes in the arena were planned for the old size: no data until allocate. */
    if (t->storage == STORAGE_ARENA || t->storage == STORAGE_PERSISTENT) t->data = NULL;
    ctx->state = STATE_CREATED;
    return MOTE_OK;
}

mote_status mote_interpreter_resize_input(mote_interpreter *it, int32_t i, int32_t rank,
                                          const int32_t *dims) {
    mote_tensor *t = NULL;
    mote_status st = io_tensor(it, i, 0, &t);
    if (st) return st;
    it->ctx.error[0] = 0;
    return interpreter_resize_tensor(&it->ctx, t, rank, dims);
}
