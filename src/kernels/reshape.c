/* reshape.c — RESHAPE, SQUEEZE, EXPAND_DIMS: new shapes over the same row-major bytes, so
 * eval is a copy and every fixed-size element type (quantized ones too) works, and strings,
 * whose serialized buffer does not depend on the shape.
 *
 * A shape (or axis) argument computed while running: when the model declares the output's
 * shape as static (a shape_signature without -1), that shape is used and eval checks the
 * argument agrees; otherwise the node is deferred and gets the shape the argument says
 * right before each eval (core/dynamic.h). */
#include "kernels/kernel.h"

/* ReshapeOptions.new_shape and SqueezeOptions.squeeze_dims are both field 0. */
#define OPT_DIMS 0
/* squeeze_dims may repeat a dimension; a longer list than this is refused in init. */
#define MAX_OPTION_DIMS (2 * MOTE_MAX_DIMS)

enum { IN_INPUT = 0, IN_SHAPE = 1, IN_AXIS = 1 };

typedef struct reshape_data {
    int32_t option_count;                 /* entries in the options' vector; -1 when absent */
    int32_t option_dims[MAX_OPTION_DIMS]; /* the first entries (RESHAPE needs <= MOTE_MAX_DIMS) */
    uint8_t check_argument;               /* the declared shape is used: eval checks input 1 */
} reshape_data;

static mote_status reshape_init(mote_context *ctx, mote_node *node) {
    reshape_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    int squeeze = node->def->builtin_code == MOTE_OP_SQUEEZE;
    fb_table opt = kernel_options(ctx, node, squeeze ? TFL_OPTIONS_SQUEEZE : TFL_OPTIONS_RESHAPE);
    d->option_count = -1;
    if (!opt || !fb_has_field(kernel_fb(ctx), opt, OPT_DIMS)) return MOTE_OK;
    fb_vec v = fb_vec_field(kernel_fb(ctx), opt, OPT_DIMS);
    if (squeeze && v.len > MAX_OPTION_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%u squeeze_dims, more than Mote's limit of %d",
                           v.len, MAX_OPTION_DIMS);
    /* A longer new_shape is only an error if it is used (a shape tensor takes precedence). */
    d->option_count = v.len > MAX_OPTION_DIMS ? MAX_OPTION_DIMS + 1 : (int32_t)v.len;
    for (uint32_t i = 0; i < v.len && i < MAX_OPTION_DIMS; i++)
        d->option_dims[i] = fb_vec_i32(kernel_fb(ctx), v, i);
    return MOTE_OK;
}

/* Input and output: the same type, one whose bytes can simply be copied. */
static mote_status check_copy_types(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                                    const mote_tensor *out) {
    switch (in->type) {
    case MOTE_RESOURCE:
    case MOTE_VARIANT: return kernel_unsupported_type(ctx, node, in, "input", 0);
    default: break;
    }
    return kernel_check_type(ctx, node, out, "output", 0, in->type);
}

/* Sets the output shape and checks it holds exactly the input's bytes. */
static mote_status set_copy_shape(mote_context *ctx, mote_node *node, mote_tensor *out,
                                  const mote_tensor *in, int32_t rank, const int32_t *dims) {
    mote_status st = kernel_set_shape(ctx, node, out, rank, dims);
    if (st) return st;
    if (in->type == MOTE_STRING) { /* sized by content: the element counts must agree */
        if (kernel_count(out) != kernel_count(in))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output has %zu strings, input %zu",
                               kernel_count(out), kernel_count(in));
        return MOTE_OK;
    }
    if (out->bytes != in->bytes)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output has %zu bytes, input %zu", out->bytes,
                           in->bytes);
    node->output_shares_input = 1; /* the same bytes in another shape: the planner may give both one buffer */
    return MOTE_OK;
}

/* Turns a requested shape (at most one -1, inferred) into dims holding count elements. */
static mote_status resolve_shape(mote_context *ctx, const mote_node *node, int32_t rank, const int64_t *req,
                                 size_t count, int32_t *dims) {
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "new shape has rank %d, above Mote's limit of %d", rank, MOTE_MAX_DIMS);
    int32_t stretch = -1;
    uint64_t known = 1;
    int overflow = 0;
    for (int32_t i = 0; i < rank; i++) {
        if (req[i] == -1) {
            if (stretch >= 0)
                return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                   "new shape has more than one -1 (dimensions %d and %d)", stretch, i);
            stretch = i;
            continue;
        }
        if (req[i] < 0 || req[i] > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "new shape dimension %d is %lld", i,
                               (long long)req[i]);
        dims[i] = (int32_t)req[i];
        if (dims[i] && known > UINT64_MAX / (uint64_t)dims[i])
            overflow = 1;
        else
            known *= (uint64_t)dims[i];
    }
    if (stretch >= 0) {
        if (overflow || known == 0 || count % known != 0 || count / known > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "cannot infer dimension %d: the input's %zu elements do not divide evenly",
                               stretch, count);
        dims[stretch] = (int32_t)(count / known);
    } else if (overflow || known != count) {
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "new shape does not hold the input's %zu elements", count);
    }
    return MOTE_OK;
}

/* For an argument only known while running: the shape the model declares when it says it is
 * static and it holds the input's elements (eval then checks the argument); otherwise the
 * node is deferred until the argument is known. */
static mote_status runtime_argument(mote_context *ctx, mote_node *node, const mote_tensor *in, mote_tensor *out) {
    const model_tensor *def = out->def;
    int64_t req[MOTE_MAX_DIMS];
    int32_t dims[MOTE_MAX_DIMS];
    int declared_static = def->signature_rank == def->rank && def->rank <= MOTE_MAX_DIMS;
    for (int32_t i = 0; declared_static && i < def->rank; i++) {
        if (def->dims_signature[i] < 0) declared_static = 0;
        req[i] = def->dims[i];
    }
    if (!declared_static) return kernel_defer(ctx, node);
    char saved[sizeof ctx->error];
    memcpy(saved, ctx->error, sizeof saved);
    if (resolve_shape(ctx, node, def->rank, req, kernel_count(in), dims)) {
        memcpy(ctx->error, saved, sizeof saved); /* not a failure: the argument decides */
        return kernel_defer(ctx, node);
    }
    ((reshape_data *)node->data)->check_argument = 1;
    return set_copy_shape(ctx, node, out, in, def->rank, dims);
}

static mote_status reshape_prepare(mote_context *ctx, mote_node *node) {
    const reshape_data *d = node->data;
    mote_tensor *in, *out, *shape;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = check_copy_types(ctx, node, in, out)))
        return st;
    int64_t req[MAX_OPTION_DIMS + 1];
    int32_t rank, dims[MOTE_MAX_DIMS];
    ((reshape_data *)node->data)->check_argument = 0;
    shape = kernel_input(ctx, node, IN_SHAPE);
    /* As TensorFlow Lite: a 1-D shape tensor wins; otherwise the options' new_shape. */
    if (shape && shape->rank == 1 && (shape->type == MOTE_INT32 || shape->type == MOTE_INT64)) {
        if (!kernel_values_ready(node, shape) && kernel_count(shape) > 0) return runtime_argument(ctx, node, in, out);
        if ((st = kernel_check_int_arg(ctx, node, shape, "input", IN_SHAPE))) return st;
        if (shape->dims[0] > MOTE_MAX_DIMS)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "new shape has rank %d, above Mote's limit of %d", shape->dims[0],
                               MOTE_MAX_DIMS);
        rank = shape->dims[0];
        for (int32_t i = 0; i < rank; i++) req[i] = kernel_int_at(shape, (size_t)i);
    } else if (d->option_count >= 0) {
        rank = d->option_count;
        if (rank > MOTE_MAX_DIMS)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "new_shape has more than Mote's limit of %d dimensions", MOTE_MAX_DIMS);
        for (int32_t i = 0; i < rank; i++) req[i] = d->option_dims[i];
        if (rank == 1 && req[0] == 0) rank = 0; /* old converters wrote [0] for a scalar */
    } else {
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "no new shape: neither a 1-D shape tensor nor ReshapeOptions.new_shape");
    }
    if ((st = resolve_shape(ctx, node, rank, req, kernel_count(in), dims))) return st;
    return set_copy_shape(ctx, node, out, in, rank, dims);
}

static mote_status squeeze_prepare(mote_context *ctx, mote_node *node) {
    const reshape_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = check_copy_types(ctx, node, in, out)))
        return st;
    int drop[MOTE_MAX_DIMS] = {0};
    if (d->option_count <= 0) { /* no list: every dimension of size 1 goes */
        for (int32_t i = 0; i < in->rank; i++) drop[i] = in->dims[i] == 1;
    } else {
        for (int32_t k = 0; k < d->option_count; k++) {
            int32_t axis = d->option_dims[k];
            if (axis < -in->rank || axis >= in->rank)
                return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                   "squeeze_dims entry %d is out of range for rank %d", axis, in->rank);
            if (axis < 0) axis += in->rank;
            if (in->dims[axis] != 1)
                return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                   "cannot squeeze dimension %d of size %d", axis, in->dims[axis]);
            drop[axis] = 1;
        }
    }
    int32_t rank = 0, dims[MOTE_MAX_DIMS];
    for (int32_t i = 0; i < in->rank; i++)
        if (!drop[i]) dims[rank++] = in->dims[i];
    return set_copy_shape(ctx, node, out, in, rank, dims);
}

static mote_status expand_dims_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out, *axis_t;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_AXIS, &axis_t)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = check_copy_types(ctx, node, in, out)))
        return st;
    if (in->rank >= MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", in->rank + 1,
                           MOTE_MAX_DIMS);
    ((reshape_data *)node->data)->check_argument = 0;
    if (!kernel_values_ready(node, axis_t) && (axis_t->type == MOTE_INT32 || axis_t->type == MOTE_INT64))
        return runtime_argument(ctx, node, in, out);
    if ((st = kernel_check_int_arg(ctx, node, axis_t, "input", IN_AXIS))) return st;
    if (kernel_count(axis_t) != 1) {
        char b[160];
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected one value, got %zu",
                           kernel_describe(axis_t, "input", IN_AXIS, b, sizeof b), kernel_count(axis_t));
    }
    int64_t axis = kernel_int_at(axis_t, 0);
    if (axis < -(int64_t)in->rank - 1 || axis > in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %lld is out of range for rank %d",
                           (long long)axis, in->rank);
    if (axis < 0) axis += in->rank + 1;
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t i = 0, j = 0; i <= in->rank; i++) dims[i] = i == axis ? 1 : in->dims[j++];
    return set_copy_shape(ctx, node, out, in, in->rank + 1, dims);
}

/* The shape input 1 asks for while running, against the declared one the output has. */
static mote_status check_argument(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *out) {
    const mote_tensor *arg = kernel_input(ctx, node, IN_SHAPE);
    int32_t dims[MOTE_MAX_DIMS], rank;
    mote_status st;
    if (node->def->builtin_code == MOTE_OP_EXPAND_DIMS) {
        int64_t axis = kernel_int_at(arg, 0);
        if (axis < 0) axis += in->rank + 1;
        rank = in->rank + 1;
        st = axis < 0 || axis > in->rank ? MOTE_ERROR_RUNTIME : MOTE_OK;
        for (int32_t i = 0, j = 0; st == MOTE_OK && i < rank; i++) dims[i] = i == axis ? 1 : in->dims[j++];
    } else {
        int64_t req[MOTE_MAX_DIMS];
        rank = arg->rank == 1 ? arg->dims[0] : -1;
        st = rank < 0 || rank > MOTE_MAX_DIMS ? MOTE_ERROR_RUNTIME : MOTE_OK;
        for (int32_t i = 0; st == MOTE_OK && i < rank; i++) req[i] = kernel_int_at(arg, (size_t)i);
        if (st == MOTE_OK) st = resolve_shape(ctx, node, rank, req, kernel_count(in), dims);
    }
    if (st == MOTE_OK && rank == out->rank && memcmp(dims, out->dims, (size_t)rank * sizeof dims[0]) == 0)
        return MOTE_OK;
    return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                       "input 1, computed while running, asks for another shape than the output's declared one");
}

static mote_status copy_eval(mote_context *ctx, mote_node *node) {
    const reshape_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    mote_status st;
    if (d && d->check_argument && (st = check_argument(ctx, node, in, out))) return st;
    if (in->type == MOTE_STRING && (st = kernel_resize_string(ctx, node, out, in->bytes))) return st;
    if (in->bytes && out->data != in->data) memcpy(out->data, in->data, in->bytes);
    return MOTE_OK;
}

const mote_op mote_op_reshape = {NULL, MOTE_OP_RESHAPE, reshape_init, reshape_prepare, NULL, copy_eval, NULL};
const mote_op mote_op_squeeze = {NULL, MOTE_OP_SQUEEZE, reshape_init, squeeze_prepare, NULL, copy_eval, NULL};
const mote_op mote_op_expand_dims = {NULL, MOTE_OP_EXPAND_DIMS, reshape_init, expand_dims_prepare, NULL,
                                     copy_eval, NULL};
