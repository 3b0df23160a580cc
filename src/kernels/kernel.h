/* kernel.h — what an operator implementation needs: tensor access, checks that produce
 * clear messages, options, fused activations and broadcasting.
 *
 * A builtin kernel is a `const mote_op` (see mote.h) listed in registry.c. Its callbacks:
 *   init     parse options into per-node data (kernel_alloc_data); no tensor shapes yet
 *   prepare  check types and shapes, set output shapes, compute quantization constants,
 *            request scratch/persistent buffers; runs at every allocate_tensors
 *   pack     fill persistent buffers once the arena exists
 *   eval     compute only: no allocation, no I/O, no policy
 * Every failure goes through kernel_fail (or a check helper), which names the operator. */
#ifndef MOTE_KERNELS_KERNEL_H
#define MOTE_KERNELS_KERNEL_H

#include <math.h>
#include <string.h>

#include "core/dynamic.h"
#include "core/interpreter.h"
#include "core/threadpool.h"
#include "core/strings.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"

#define kernel_fail mote_node_fail

/* ---- tensors ---- */

static inline mote_tensor *kernel_tensor(mote_context *ctx, const mote_node *node, int32_t index) {
    if (index < 0) return NULL;
    return &ctx->subgraphs[node->subgraph].tensors[index];
}
/* The i-th input, or NULL when absent (beyond the count, or omitted with -1). */
static inline mote_tensor *kernel_input(mote_context *ctx, const mote_node *node, int32_t i) {
    if (i < 0 || i >= node->input_count) return NULL;
    return kernel_tensor(ctx, node, node->inputs[i]);
}
static inline mote_tensor *kernel_output(mote_context *ctx, const mote_node *node, int32_t i) {
    if (i < 0 || i >= node->output_count) return NULL;
    return kernel_tensor(ctx, node, node->outputs[i]);
}

/* Number of elements (product of dims; 1 for a scalar). */
static inline size_t kernel_count(const mote_tensor *t) {
    size_t n = 1;
    for (int32_t i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}
/* Product of dims [from, to). */
static inline size_t kernel_dims_product(const mote_tensor *t, int32_t from, int32_t to) {
    size_t n = 1;
    for (int32_t i = from; i < to; i++) n *= (size_t)t->dims[i];
    return n;
}
/* Values readable from prepare on and fixed until the next allocate: stored in the model, or
 * computed during prepare from such values (core/prepared.h; e.g. SHAPE of a tensor whose
 * shape is static, then arithmetic on it). */
static inline int kernel_is_constant(const mote_tensor *t) {
    return t->storage == STORAGE_CONSTANT || t->storage == STORAGE_PREPARED;
}
/* In prepare: t's values can be read now: it is constant (above), or this node is being
 * prepared again right before its eval (core/dynamic.h), when every input is computed. */
static inline int kernel_values_ready(const mote_node *node, const mote_tensor *t) {
    return kernel_is_constant(t) || (node->reprepare && t->data != NULL);
}
/* Constant, or computed once at allocate from constants (folded): readable from pack on,
 * fixed across invokes (weights expanded from float16 or sparse storage). */
static inline int kernel_is_constant_after_pack(const mote_tensor *t) {
    return t->storage == STORAGE_CONSTANT || t->is_folded;
}
static inline int kernel_same_shape(const mote_tensor *a, const mote_tensor *b) {
    if (a->rank != b->rank) return 0;
    for (int32_t i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i]) return 0;
    return 1;
}

#define KERNEL_DATA(t, T) ((T *)(void *)(t)->data)

/* ---- checks (each fails with a message naming operator, role, tensor) ---- */

/* Writes "input 1 (tensor 7 'name')" into buf. */
const char *kernel_describe(const mote_tensor *t, const char *role, int32_t i, char *buf, size_t n);

/* Input count within [min, max] and output count == outputs. */
mote_status kernel_check_counts(mote_context *ctx, const mote_node *node, int32_t min_inputs,
                                int32_t max_inputs, int32_t outputs);
/* The i-th input must be present; sets *t. */
mote_status kernel_require_input(mote_context *ctx, const mote_node *node, int32_t i, mote_tensor **t);
mote_status kernel_require_output(mote_context *ctx, const mote_node *node, int32_t i, mote_tensor **t);
mote_status kernel_check_type(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                              const char *role, int32_t i, mote_type expected);
/* Fails naming the type: "input 0 (tensor 3 'x'): type int16 is not supported". */
mote_status kernel_unsupported_type(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                    const char *role, int32_t i);
mote_status kernel_check_rank(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                              const char *role, int32_t i, int32_t rank);
/* The tensor's data must be in the model (weights, shape arguments). */
mote_status kernel_check_constant(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                  const char *role, int32_t i);

/* Sets an output's shape (prepare) and updates its byte size. */
mote_status kernel_set_shape(mote_context *ctx, const mote_node *node, mote_tensor *t, int32_t rank,
                             const int32_t *dims);
/* Output takes the input's shape. */
static inline mote_status kernel_copy_shape(mote_context *ctx, const mote_node *node, mote_tensor *out,
                                            const mote_tensor *in) {
    return kernel_set_shape(ctx, node, out, in->rank, in->dims);
}

/* Per-node data from init, freed by the interpreter: zeroed, size bytes. */
void *kernel_alloc_data(mote_context *ctx, mote_node *node, size_t size);
/* The same as an init callback of an operator without options: zeroed data or a failure. */
mote_status kernel_init_data(mote_context *ctx, mote_node *node, size_t size);

/* ---- shapes only known while running (core/dynamic.h) ---- */

/* In prepare: the output shapes depend on input values that are not ready yet
 * (kernel_values_ready). Returns a status prepare must return at once: the interpreter then
 * prepares the node again right before each eval, when the values are there, and gives
 * its outputs heap memory. Fails when deferring is not possible (already while running). */
static inline mote_status kernel_defer(mote_context *ctx, const mote_node *node) {
    if (ctx->in_prepare && !node->reprepare) return STATUS_DEFERRED;
    return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "its output shape depends on values that are not available");
}
/* In prepare: this output's shape (or a string's size) is only known in eval, which must
 * call kernel_resize_output (kernel_resize_string) before writing it. Its readers are
 * deferred. */
static inline void kernel_mark_dynamic(mote_tensor *t) { t->is_dynamic = 1; }
/* In eval: sets a dynamic output's shape and makes room for it (heap memory, kept and reused
 * by later invokes). A static output must already have that shape. */
mote_status kernel_resize_output(mote_context *ctx, const mote_node *node, mote_tensor *t, int32_t rank,
                                 const int32_t *dims);

/* ---- strings (layout in core/strings.h) ---- */

/* In eval: t holds a well-formed string buffer with one string per element. */
mote_status kernel_check_strings(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                                 int32_t i);
/* String k of a tensor kernel_check_strings accepted. */
static inline const uint8_t *kernel_string_at(const mote_tensor *t, size_t k, size_t *length) {
    return strings_at(t->data, (int32_t)k, length);
}
/* In eval: makes room for `bytes` bytes in a string output and sets its byte size. */
static inline mote_status kernel_resize_string(mote_context *ctx, const mote_node *node, mote_tensor *t,
                                               size_t bytes) {
    return dynamic_reserve(ctx, node, t, bytes);
}

/* ---- options ---- */

static inline fb_buf kernel_fb(const mote_context *ctx) { return ctx->model->fb; }
/* The builtin options table when it has the expected union type, else 0 (all defaults). */
static inline fb_table kernel_options(const mote_context *ctx, const mote_node *node, int expected) {
    (void)ctx;
    return node->def->options_type == expected ? node->def->options : 0;
}
#define KOPT_I32(ctx, t, id, def) fb_i32(kernel_fb(ctx), (t), (id), (def))
#define KOPT_I8(ctx, t, id, def) fb_i8(kernel_fb(ctx), (t), (id), (def))
#define KOPT_F32(ctx, t, id, def) fb_f32(kernel_fb(ctx), (t), (id), (def))
#define KOPT_BOOL(ctx, t, id, def) fb_bool(kernel_fb(ctx), (t), (id), (def))

/* ---- fused activations (ActivationFunctionType) ---- */

enum kernel_activation {
    ACT_NONE = 0,
    ACT_RELU = 1,
    ACT_RELU_N1_TO_1 = 2,
    ACT_RELU6 = 3,
    ACT_TANH = 4,
    ACT_SIGN_BIT = 5
};

/* Checks that act is a clamp Mote fuses (NONE, RELU, RELU_N1_TO_1, RELU6). */
mote_status kernel_check_activation(mote_context *ctx, const mote_node *node, int act);
/* The float clamp range of a fused activation. */
void kernel_activation_range_f32(int act, float *lo, float *hi);
static inline float kernel_clamp_f32(float x, float lo, float hi) {
    return x < lo ? lo : (x > hi ? hi : x);
}

/* Padding (schema Padding enum) and output sizes as TensorFlow Lite computes them. */
enum kernel_padding { PADDING_SAME = 0, PADDING_VALID = 1 };
/* Output size of a window op; 0 when the window does not fit. */
int32_t kernel_out_size(int padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation);
/* Padding before the first element (TFLite puts the odd pixel at the end). */
int32_t kernel_pad_before(int padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation,
                          int32_t out);

/* ---- broadcasting ---- */

/* NumPy broadcasting of two shapes into out (rank = max of ranks); fails naming both
 * inputs when incompatible. */
mote_status kernel_broadcast_shape(mote_context *ctx, const mote_node *node, const mote_tensor *a,
                                   const mote_tensor *b, int32_t *rank, int32_t *dims);

/* Broadcast strides: for each output dim (rank r, right-aligned), the element stride of t
 * in that dim, 0 where t is broadcast. */
void kernel_broadcast_strides(const mote_tensor *t, int32_t rank, const int32_t *out_dims,
                              size_t *strides);

/* Iterates the outputs of a broadcast binary op of rank <= MOTE_MAX_DIMS: calls
 * fn(ctx, i_out, i_a, i_b) for every element in row-major order. */
typedef struct kernel_bcast_iter {
    int32_t rank;
    int32_t dims[MOTE_MAX_DIMS];
    size_t sa[MOTE_MAX_DIMS], sb[MOTE_MAX_DIMS];
} kernel_bcast_iter;
void kernel_bcast_init(kernel_bcast_iter *it, const mote_tensor *a, const mote_tensor *b,
                       const mote_tensor *out);

#define KERNEL_BCAST_LOOP(it, OUT_I, A_I, B_I, BODY)                                      \
    do {                                                                                  \
        int32_t idx_[MOTE_MAX_DIMS] = {0};                                                \
        size_t total_ = 1;                                                                \
        for (int32_t d_ = 0; d_ < (it).rank; d_++) total_ *= (size_t)(it).dims[d_];       \
        size_t A_I = 0, B_I = 0;                                                          \
        for (size_t OUT_I = 0; OUT_I < total_; OUT_I++) {                                 \
            BODY;                                                                         \
            for (int32_t d_ = (it).rank - 1; d_ >= 0; d_--) {                             \
                A_I += (it).sa[d_];                                                       \
                B_I += (it).sb[d_];                                                       \
                if (++idx_[d_] < (it).dims[d_]) break;                                    \
                A_I -= (it).sa[d_] * (size_t)(it).dims[d_];                               \
                B_I -= (it).sb[d_] * (size_t)(it).dims[d_];                               \
                idx_[d_] = 0;                                                             \
            }                                                                             \
        }                                                                                 \
    } while (0)

/* ---- integer argument tensors (axes, shapes, paddings, indices) ---- */

/* Checks a tensor whose values shape the output and so are read in prepare: int32 or
 * int64, with values ready (kernel_values_ready) unless it has no elements. When they are
 * not ready yet it returns kernel_defer's status, which prepare passes on: the node is
 * then prepared again right before each eval, when they are. */
mote_status kernel_check_int_arg(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                 const char *role, int32_t i);
/* Element k of an int32 or int64 tensor, widened (read bytewise: model data need not be
 * aligned). */
static inline int64_t kernel_int_at(const mote_tensor *t, size_t k) {
    if (t->type == MOTE_INT64) {
        int64_t v;
        memcpy(&v, t->data + k * sizeof v, sizeof v);
        return v;
    }
    int32_t v;
    memcpy(&v, t->data + k * sizeof v, sizeof v);
    return v;
}

/* ---- threads and optimized kernels ---- */

/* Runs fn(arg, task, thread) for task in [0, tasks) on the interpreter's threads (the
 * calling thread included) and waits; thread < kernel_threads(ctx). */
static inline void kernel_parallel_for(mote_context *ctx, int32_t tasks, threadpool_fn fn, void *arg) {
    threadpool_run(ctx->pool, tasks, fn, arg);
}
static inline int32_t kernel_threads(const mote_context *ctx) { return threadpool_size(ctx->pool); }
/* Whether optimized (SIMD) kernels may be used: off with mote_options_set_reference_kernels. */
static inline int kernel_use_optimized(const mote_context *ctx) { return !ctx->reference_only; }

/* ---- float16 ---- */

float kernel_f16_to_f32(uint16_t h);
uint16_t kernel_f32_to_f16(float f);

#endif /* MOTE_KERNELS_KERNEL_H */
