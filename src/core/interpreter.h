/* interpreter.h — the interpreter's internal state: subgraphs, tensors, nodes, the arena.
 * Kernels see it through src/kernels/kernel.h; the public API is in include/mote.h. */
#ifndef MOTE_CORE_INTERPRETER_H
#define MOTE_CORE_INTERPRETER_H

#include <stdatomic.h>

#include "core/model.h"

/* Where a tensor's bytes live. */
typedef enum tensor_storage {
    STORAGE_NONE = 0,    /* no data (zero bytes, or not yet allocated) */
    STORAGE_CONSTANT,    /* read in place from the model */
    STORAGE_ARENA,       /* planned in the activation part of the arena */
    STORAGE_PERSISTENT,  /* the persistent part: variables, folded constants */
    STORAGE_DYNAMIC,     /* heap, sized at invoke (shapes only known while running, strings) */
    STORAGE_PREPARED     /* computed during prepare from values known then (prepared.h):
                            heap owned by the interpreter, read-only until the next allocate */
} tensor_storage;

/* A kernel's prepare returns this (through kernel_defer or kernel_check_int_arg) when its
 * output shapes depend on values only known while running: the interpreter then prepares
 * the node again right before each eval and gives its outputs heap memory. Never returned
 * by a public call. */
#define STATUS_DEFERRED ((mote_status)0x100)

struct mote_tensor {
    int32_t index;
    int32_t subgraph;
    mote_type type;
    int32_t rank;
    int32_t dims[MOTE_MAX_DIMS];
    size_t bytes;
    uint8_t *data;
    const model_tensor *def;
    uint8_t storage;     /* tensor_storage */
    uint8_t is_variable;
    uint8_t is_folded;   /* output of a node evaluated once at allocate time */
    uint8_t is_dynamic;  /* shape only known at invoke: STORAGE_DYNAMIC (see dynamic.c) */
    /* Per-tensor quantization, the common case, cached for kernels: scale 0 when the
     * tensor is not quantized. Per-channel parameters are in def->scales/zero_points. */
    float scale;
    int32_t zero_point;
    size_t dynamic_capacity; /* bytes allocated for STORAGE_DYNAMIC */
    size_t offset;           /* in the arena, for STORAGE_ARENA and STORAGE_PERSISTENT */
    struct mote_context *owner; /* the interpreter, for calls that take only a tensor */
};

/* A buffer requested by a node in prepare (scratch or persistent). */
typedef struct buffer_request {
    size_t size;
    size_t offset; /* in the arena, set by the planner */
    int32_t subgraph;
    int32_t node;
    uint8_t is_state; /* operator state: zeroed at allocate and by reset_variables */
} buffer_request;

typedef struct buffer_list {
    buffer_request *items;
    int32_t count, capacity;
} buffer_list;

/* Most subgraphs one node runs (IF: then and else; WHILE: cond and body). */
#define NODE_MAX_CALLS 2
/* Most scratch buffers one node may request while prepared again at invoke. */
#define NODE_MAX_DYNAMIC_SCRATCH 8

struct mote_node {
    int32_t index;
    int32_t subgraph;
    const model_op *def;
    const mote_op *op;
    int32_t input_count, output_count;
    const int32_t *inputs;  /* tensor indices; -1 for an omitted optional input */
    const int32_t *outputs;
    void *data;             /* set by the op's init (mote_node_set_data) */
    size_t data_size;       /* > 0 when data came from kernel_alloc_data: freed by Mote */
    int32_t scratch_first, scratch_count;       /* into the interpreter's scratch list */
    int32_t persistent_first, persistent_count; /* into its persistent list */
    uint8_t is_folded;      /* all inputs constant: evaluated once at allocate time */
    uint8_t reprepare;      /* an input is dynamic: prepare again before each eval */
    uint8_t is_prepared;    /* evaluated during prepare (outputs STORAGE_PREPARED): skipped */
    /* Operator fusion, decided in prepare (reset at every allocate): */
    int32_t fused_into;     /* -1, or the node that does this node's work itself (a convolution
                               reading a PAD's input with the padding): this node is skipped
                               unless that node is prepared again at invoke */
    int32_t extra_input;    /* -1, or a tensor this node reads besides its inputs (a fused
                               producer's input): the planner keeps it alive until this node */
    uint8_t output_shares_input; /* output 0 holds input 0's bytes unchanged (a reshape): the
                               planner may place both in one buffer, and eval then copies nothing */
    /* Subgraphs this node runs (control flow), declared in init by call_declare (call.h). */
    int32_t call_count;
    int32_t calls[NODE_MAX_CALLS];
    /* Scratch requested while prepared again at invoke: one heap block per node. */
    int32_t dyn_scratch_count;
    size_t dyn_scratch_used;
    size_t dyn_scratch_capacity;
    uint8_t *dyn_scratch;
    size_t dyn_scratch_at[NODE_MAX_DYNAMIC_SCRATCH];
};

typedef struct subgraph {
    int32_t index;
    const model_subgraph *def;
    int32_t tensor_count, node_count;
    mote_tensor *tensors;
    mote_node *nodes;
    size_t arena_offset;    /* start of this subgraph's activations */
    size_t arena_bytes;
    uint8_t prepared;       /* prepared in the current allocate pass */
    uint8_t running;        /* guards against a subgraph calling itself */
    /* Shapes change while running (a WHILE whose loop values change shape, a call with
     * dynamic arguments): every node is prepared again right before its eval and every
     * tensor that is not constant lives on the heap. Decided at each allocate. */
    uint8_t dynamic;
    uint8_t init_done;      /* CALL_ONCE ran it (cleared by reset_variables) */
    mote_op_profile *profile; /* [node_count] in ctx->profile when profiling, else NULL */
} subgraph;

typedef enum interpreter_state {
    STATE_FAILED = 0,       /* creation failed: only error and destroy work */
    STATE_CREATED,          /* needs allocate_tensors */
    STATE_ALLOCATED
} interpreter_state;

#define MOTE_LIMIT_COUNT 4

struct mote_context {
    const mote_model *model;
    mote_allocator alloc;
    int32_t subgraph_count;
    subgraph *subgraphs;

    /* Operator implementations registered through the options (searched first). */
    const mote_op **custom_ops;
    int32_t custom_op_count;

    int32_t threads;
    struct mote_threadpool *pool; /* NULL when threads == 1 */
    int reference_only;           /* optimized kernels off */
    int profiling;                /* time each eval (profile.c); counters sized at allocate */
    mote_op_profile *profile;     /* [profile_count]: every subgraph's nodes, in order */
    int32_t profile_count;
    uint64_t limits[MOTE_LIMIT_COUNT];

    uint8_t *arena;          /* [persistent | subgraph 0 activations | subgraph 1 ...] */
    size_t arena_capacity;
    int arena_owned;
    size_t persistent_bytes, activation_bytes;

    buffer_list scratch, persistent;

    /* Values computed during prepare (STORAGE_PREPARED), freed at the next allocate. */
    struct prepared_block *prepared;
    size_t prepared_bytes;
    /* Heap bytes held by dynamic tensors, counted with the arena against its limit. */
    size_t dynamic_bytes;
    /* Resource variables (VAR_HANDLE), kept across allocates (see resources.h). */
    struct resource_var *vars;
    int32_t var_count, var_capacity;

    interpreter_state state;
    uint8_t in_prepare;      /* an allocate-time prepare is running: kernels may defer */
    uint8_t invoking;        /* an invoke is running */
    int32_t prepare_depth;   /* nested interpreter_prepare_subgraph calls */
    int32_t call_depth;
    atomic_int cancel;
    const mote_node *current; /* node being prepared or run, for messages */
    char error[1024];
};

struct mote_interpreter {
    struct mote_context ctx;
};

/* Records an error for the interpreter (no operator named) and returns status. */
mote_status ctx_fail(mote_context *ctx, mote_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Deepest chain of subgraph calls (MOTE_LIMIT_NESTING_DEPTH, default 16); also bounds
 * how deeply subgraphs are prepared. */
static inline uint64_t ctx_nesting_limit(const mote_context *ctx) {
    return ctx->limits[MOTE_LIMIT_NESTING_DEPTH] ? ctx->limits[MOTE_LIMIT_NESTING_DEPTH] : 16;
}

/* Runs one subgraph's nodes (used by invoke and by control-flow operators). */
mote_status interpreter_run_subgraph(mote_context *ctx, int32_t subgraph_index);

/* Prepares one subgraph (shape inference and buffer requests), once per allocate pass;
 * control-flow operators call it on the subgraphs they run, after setting input shapes. */
mote_status interpreter_prepare_subgraph(mote_context *ctx, int32_t subgraph_index);

/* Recomputes a tensor's byte size from its type and dims. */
mote_status tensor_update_bytes(mote_context *ctx, mote_tensor *t);

/* Changes a non-constant tensor's shape (inputs); the interpreter then needs
 * allocate_tensors unless the shape is unchanged. */
mote_status interpreter_resize_tensor(mote_context *ctx, mote_tensor *t, int32_t rank, const int32_t *dims);

/* Resets variable tensors to zero (their zero point when quantized) and zeroes state
 * buffers (node_request_state). */
void interpreter_reset_variables(mote_context *ctx);

/* In prepare: like mote_node_request_persistent, for state an operator keeps across
 * invokes; zeroed after every allocate and by mote_interpreter_reset_variables. */
mote_status node_request_state(mote_context *ctx, mote_node *node, size_t size, int32_t *index);

#endif /* MOTE_CORE_INTERPRETER_H */
