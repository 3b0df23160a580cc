/* slice.c — SLICE (begin and size) and STRIDED_SLICE (begin, end, strides with the begin,
 * end, ellipsis, new-axis and shrink-axis masks and `offset`), as TensorFlow Lite's
 * reference kernels define them; a strided copy, so every fixed-size element type works.
 *
 * The arguments are usually constants and the copy is planned once in prepare. When they
 * are computed by other operators and the model declares a static output shape, prepare
 * takes that shape and eval plans the copy from the values it finds, failing when they do
 * not give that shape or would read outside the input. When the declared shape has unknown
 * dimensions (-1 in its signature), the node is deferred (core/dynamic.h): prepared again
 * right before each eval, when the values are known, with its output on the heap. */
#include <limits.h>

#include "kernels/kernel.h"
#include "kernels/strided_copy.h"

/* StridedSliceOptions fields. */
#define OPT_BEGIN_MASK 0
#define OPT_END_MASK 1
#define OPT_ELLIPSIS_MASK 2
#define OPT_NEW_AXIS_MASK 3
#define OPT_SHRINK_AXIS_MASK 4
#define OPT_OFFSET 5

/* TensorFlow Lite's limit on the number of index entries (the masks are 32-bit). */
#define MAX_SPEC_ENTRIES 31

enum { IN_INPUT = 0, IN_BEGIN = 1, IN_SIZE = 2, IN_END = 2, IN_STRIDES = 3 };

typedef struct slice_data {
    uint32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
    int offset;        /* STRIDED_SLICE: `end` holds sizes relative to `begin` */
    int runtime_args;  /* the arguments are only known while running: plan in eval */
    strided_view view; /* the copy, planned in prepare when the arguments are constant */
} slice_data;

/* An output shape and the view that fills it. */
typedef struct slice_plan {
    strided_view view;
    int32_t rank;
    int32_t dims[MOTE_MAX_DIMS];
} slice_plan;

/* Fails with MOTE_ERROR_INVALID_MODEL in prepare (constant arguments are part of the
 * model) and MOTE_ERROR_RUNTIME in eval (computed arguments are data). */
static mote_status arg_fail(mote_context *ctx, const mote_node *node, int at_eval, const char *what,
                            int32_t dim, long long value, int32_t size) {
    return kernel_fail(ctx, node, at_eval ? MOTE_ERROR_RUNTIME : MOTE_ERROR_INVALID_MODEL,
                       "%s %lld is out of range for dimension %d of size %d", what, value, dim, size);
}

static mote_status too_large(mote_context *ctx, const mote_node *node, int at_eval) {
    return kernel_fail(ctx, node, at_eval ? MOTE_ERROR_RUNTIME : MOTE_ERROR_INVALID_MODEL,
                       "the input's shape is too large to address");
}

static int32_t clamp_i32(int64_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : (int32_t)v; }

/* ---- SLICE ---- */

static mote_status plan_slice(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                              const mote_tensor *begin, const mote_tensor *size, int at_eval, slice_plan *p) {
    size_t elem = mote_type_bytes(in->type);
    ptrdiff_t steps[MOTE_MAX_DIMS];
    if (strided_dense_steps(in->rank, in->dims, elem, steps)) return too_large(ctx, node, at_eval);
    p->rank = p->view.rank = in->rank;
    p->view.elem = elem;
    p->view.offset = 0;
    for (int32_t d = 0; d < in->rank; d++) {
        int64_t b = kernel_int_at(begin, (size_t)d), s = kernel_int_at(size, (size_t)d);
        if (b < 0 || b > in->dims[d]) return arg_fail(ctx, node, at_eval, "begin", d, b, in->dims[d]);
        if (s == -1) s = in->dims[d] - b; /* to the end */
        if (s < 0 || s > in->dims[d] - b) return arg_fail(ctx, node, at_eval, "size", d, s, in->dims[d]);
        p->dims[d] = p->view.dims[d] = (int32_t)s;
        p->view.steps[d] = steps[d];
        p->view.offset += (ptrdiff_t)b * steps[d];
    }
    return MOTE_OK;
}

/* ---- STRIDED_SLICE ---- */

/* One dimension of the input as the index spec sees it, after the ellipsis is expanded and
 * new axes are inserted (TensorFlow Lite's "effective" dimensions). */
typedef struct eff_dim {
    int32_t input_dim; /* the input dimension it walks, -1 for a new axis */
    int32_t spec;      /* the begin/end/strides entry it takes, -1 for a full range */
} eff_dim;

/* Lays out the effective dimensions: entries before the ellipsis map one to one, the
 * ellipsis covers every input dimension no other entry takes (at least one, as in
 * TensorFlow Lite), entries after it follow, and input dimensions beyond the entries are
 * taken whole. A new-axis bit on the ellipsis entry has no effect. */
static mote_status layout_dims(mote_context *ctx, const mote_node *node, const slice_data *d, int32_t rank,
                               int32_t n, eff_dim *eff, int32_t *count) {
    int32_t new_axes = 0, ellipses = 0;
    for (int32_t i = 0; i < n; i++) {
        uint32_t bit = UINT32_C(1) << i;
        if (d->ellipsis_mask & bit)
            ellipses++;
        else if (d->new_axis_mask & bit)
            new_axes++;
    }
    if (ellipses > 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "ellipsis_mask has more than one bit set");
    int32_t total = rank + new_axes;
    if (total > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "the slice has %d dimensions, above Mote's limit of %d", total, MOTE_MAX_DIMS);
    int32_t e = 0, input_dim = 0;
    for (int32_t i = 0; i < n && e < total; i++) {
        uint32_t bit = UINT32_C(1) << i;
        if (d->ellipsis_mask & bit) {
            int32_t span = total - e - (n - 1 - i); /* what the remaining entries leave over */
            if (span < 1) span = 1;
            if (span > total - e) span = total - e;
            for (int32_t k = 0; k < span; k++) eff[e++] = (eff_dim){input_dim++, -1};
        } else if (d->new_axis_mask & bit) {
            eff[e++] = (eff_dim){-1, -1};
        } else {
            eff[e++] = (eff_dim){input_dim++, i};
        }
    }
    while (e < total) eff[e++] = (eff_dim){input_dim++, -1};
    if (input_dim != rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%d index entries do not fit an input of rank %d", n, rank);
    *count = total;
    return MOTE_OK;
}

/* Start of one dimension: negative indices count from the end, then clamped to where a
 * walk in the stride's direction can start; the begin mask means the first element. */
static int32_t start_for(int64_t begin, int32_t stride, int masked, int32_t size) {
    if (begin < 0) begin += size;
    int32_t start = stride > 0 ? clamp_i32(begin, 0, size) : clamp_i32(begin, -1, size - 1);
    if (masked) start = stride > 0 ? 0 : size - 1;
    return start;
}

/* One past the last index of a walk; `end` counts from the start when offset is set. */
static int32_t stop_for(int64_t end, int32_t start, int32_t stride, int masked, int offset, int32_t size) {
    if (offset) end += start;
    if (end < 0) end += size;
    int32_t stop = stride > 0 ? clamp_i32(end, 0, size) : clamp_i32(end, -1, size - 1);
    if (masked) stop = stride > 0 ? size : -1;
    return stop;
}

/* Elements a walk from start by stride visits before reaching stop. */
static int32_t walk_count(int32_t start, int32_t stop, int32_t stride) {
    int64_t span = (int64_t)stop - start;
    if (stride > 0) return span <= 0 ? 0 : (int32_t)((span - 1) / stride + 1);
    return span >= 0 ? 0 : (int32_t)((span + 1) / stride + 1);
}

static mote_status plan_strided(mote_context *ctx, const mote_node *node, const slice_data *d,
                                const mote_tensor *in, const mote_tensor *begin, const mote_tensor *end,
                                const mote_tensor *strides, int at_eval, slice_plan *p) {
    int32_t n = begin->dims[0], count = 0;
    eff_dim eff[MOTE_MAX_DIMS];
    mote_status st = layout_dims(ctx, node, d, in->rank, n, eff, &count);
    if (st) return st;
    size_t elem = mote_type_bytes(in->type);
    ptrdiff_t steps[MOTE_MAX_DIMS];
    if (strided_dense_steps(in->rank, in->dims, elem, steps)) return too_large(ctx, node, at_eval);
    p->rank = 0;
    p->view.elem = elem;
    p->view.offset = 0;
    for (int32_t e = 0; e < count; e++) {
        if (eff[e].input_dim < 0) { /* a new axis: one element, no step */
            p->dims[p->rank] = 1;
            p->view.steps[p->rank++] = 0;
            continue;
        }
        int32_t size = in->dims[eff[e].input_dim];
        int32_t i = eff[e].spec;
        if (i < 0) { /* the whole dimension */
            p->dims[p->rank] = size;
            p->view.steps[p->rank++] = steps[eff[e].input_dim];
            continue;
        }
        uint32_t bit = UINT32_C(1) << i;
        int64_t stride = kernel_int_at(strides, (size_t)i);
        if (stride == 0 || stride < INT32_MIN + 1 || stride > INT32_MAX)
            return kernel_fail(ctx, node, at_eval ? MOTE_ERROR_RUNTIME : MOTE_ERROR_INVALID_MODEL,
                               "stride %lld of entry %d is not supported (zero or out of range)",
                               (long long)stride, i);
        int32_t start =
            start_for(kernel_int_at(begin, (size_t)i), (int32_t)stride, (d->begin_mask & bit) != 0, size);
        if (d->shrink_axis_mask & bit) { /* one element, and the dimension goes */
            if (start < 0 || start >= size)
                return arg_fail(ctx, node, at_eval, "shrunk index", eff[e].input_dim,
                                kernel_int_at(begin, (size_t)i), size);
            p->view.offset += (ptrdiff_t)start * steps[eff[e].input_dim];
            continue;
        }
        int64_t end_value = kernel_int_at(end, (size_t)i);
        int32_t stop = stop_for(end_value, start, (int32_t)stride, (d->end_mask & bit) != 0, d->offset, size);
        int32_t walked = walk_count(start, stop, (int32_t)stride);
        /* With offset, TensorFlow Lite takes the size in `end` as the output's; a size that
         * runs past the input would leave elements unwritten. */
        if (d->offset && walked != end_value)
            return arg_fail(ctx, node, at_eval, "size (offset end)", eff[e].input_dim, end_value, size);
        p->dims[p->rank] = walked;
        if (walked > 0) p->view.offset += (ptrdiff_t)start * steps[eff[e].input_dim];
        /* A single element needs no step (and a huge stride must not overflow one). */
        p->view.steps[p->rank++] = walked > 1 ? (ptrdiff_t)stride * steps[eff[e].input_dim] : 0;
    }
    p->view.rank = p->rank;
    memcpy(p->view.dims, p->dims, sizeof p->dims);
    return MOTE_OK;
}

/* ---- shared plumbing ---- */

static mote_status slice_init(mote_context *ctx, mote_node *node) {
    slice_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    if (node->def->builtin_code != MOTE_OP_STRIDED_SLICE) return MOTE_OK;
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_STRIDED_SLICE);
    d->begin_mask = (uint32_t)KOPT_I32(ctx, opt, OPT_BEGIN_MASK, 0);
    d->end_mask = (uint32_t)KOPT_I32(ctx, opt, OPT_END_MASK, 0);
    d->ellipsis_mask = (uint32_t)KOPT_I32(ctx, opt, OPT_ELLIPSIS_MASK, 0);
    d->new_axis_mask = (uint32_t)KOPT_I32(ctx, opt, OPT_NEW_AXIS_MASK, 0);
    d->shrink_axis_mask = (uint32_t)KOPT_I32(ctx, opt, OPT_SHRINK_AXIS_MASK, 0);
    d->offset = KOPT_BOOL(ctx, opt, OPT_OFFSET, 0);
    return MOTE_OK;
}

/* Plans from the current argument values (prepare or eval). */
static mote_status plan(mote_context *ctx, const mote_node *node, int at_eval, slice_plan *p) {
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *begin = kernel_input(ctx, node, IN_BEGIN);
    if (node->def->builtin_code == MOTE_OP_SLICE)
        return plan_slice(ctx, node, in, begin, kernel_input(ctx, node, IN_SIZE), at_eval, p);
    return plan_strided(ctx, node, node->data, in, begin, kernel_input(ctx, node, IN_END),
                        kernel_input(ctx, node, IN_STRIDES), at_eval, p);
}

/* The index arguments: int32 or int64 vectors of `length` entries. */
static mote_status check_args(mote_context *ctx, const mote_node *node, int32_t first, int32_t last,
                              int32_t length, int *all_constant) {
    char b[160];
    *all_constant = 1;
    for (int32_t i = first; i <= last; i++) {
        mote_tensor *t;
        mote_status st = kernel_require_input(ctx, node, i, &t);
        if (st) return st;
        if (t->type != MOTE_INT32 && t->type != MOTE_INT64)
            return kernel_unsupported_type(ctx, node, t, "input", i);
        if (t->rank != 1 || t->dims[0] != length)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected %d values",
                               kernel_describe(t, "input", i, b, sizeof b), length);
        if (!kernel_values_ready(node, t) && length > 0) *all_constant = 0;
    }
    return MOTE_OK;
}

static mote_status slice_prepare(mote_context *ctx, mote_node *node) {
    slice_data *d = node->data;
    int strided = node->def->builtin_code == MOTE_OP_STRIDED_SLICE;
    mote_tensor *in, *begin, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, strided ? 4 : 3, strided ? 4 : 3, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_BEGIN, &begin)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (mote_type_bytes(in->type) == 0) return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    int32_t length = begin->rank == 1 ? begin->dims[0] : -1;
    if (length < 0 || (strided ? length > MAX_SPEC_ENTRIES : length != in->rank))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected a vector of %s",
                           kernel_describe(begin, "input", IN_BEGIN, b, sizeof b),
                           strided ? "at most 31 entries" : "one entry per input dimension");
    int constant;
    if ((st = check_args(ctx, node, IN_BEGIN, strided ? IN_STRIDES : IN_SIZE, length, &constant))) return st;

    d->runtime_args = !constant;
    if (constant) {
        slice_plan p;
        if ((st = plan(ctx, node, 0, &p))) return st;
        d->view = p.view;
        return kernel_set_shape(ctx, node, out, p.rank, p.dims);
    }
    /* Arguments computed while running. When the model leaves part of the output's shape
     * open, the node is deferred: prepared again before each eval, with the values there.
     * Otherwise the declared shape, checked by eval. */
    const model_tensor *def = out->def;
    for (int32_t i = 0; i < def->signature_rank; i++)
        if (def->dims_signature[i] < 0) return kernel_defer(ctx, node);
    if (def->rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank too high");
    return kernel_set_shape(ctx, node, out, def->rank, def->dims);
}

static mote_status slice_eval(mote_context *ctx, mote_node *node) {
    const slice_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (!d->runtime_args) {
        if (out->bytes) strided_copy(&d->view, in->data, out->data);
        return MOTE_OK;
    }
    slice_plan p;
    mote_status st = plan(ctx, node, 1, &p);
    if (st) return st;
    int same = p.rank == out->rank;
    for (int32_t i = 0; same && i < p.rank; i++) same = p.dims[i] == out->dims[i];
    if (!same)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                           "the arguments computed while running select a shape other than the output's "
                           "declared one (rank %d)",
                           out->rank);
    if (out->bytes) strided_copy(&p.view, in->data, out->data);
    return MOTE_OK;
}

const mote_op mote_op_slice = {NULL, MOTE_OP_SLICE, slice_init, slice_prepare, NULL, slice_eval, NULL};
const mote_op mote_op_strided_slice = {
    NULL, MOTE_OP_STRIDED_SLICE, slice_init, slice_prepare, NULL, slice_eval, NULL};
