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
    STORAGE_DYNAMIC      /* heap, sized at invoke (shapes only known while running) */
} tensor_storage;

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
    uint8_t is_dynamic;  /* shape set at invoke (see mote_tensor_make_dynamic) */
    /* Per-tensor quantization, the common case, cached for kernels: scale 0 when the
     * tensor is not quantized. Per-channel parameters are in def->scales/zero_points. */
    float scale;
    int32_t zero_point;
    size_t dynamic_capacity; /* bytes allocated for STORAGE_DYNAMIC */
    size_t offset;           /* in the arena, for STORAGE_ARENA and STORAGE_PERSISTENT */
};

/* A buffer requested by a node in prepare (scratch or persistent). */
typedef struct buffer_request {
    size_t size;
    size_t offset; /* in the arena, set by the planner */
    int32_t subgraph;
    int32_t node;
} buffer_request;

typedef struct buffer_list {
    buffer_request *items;
    int32_t count, capacity;
} buffer_list;

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
    uint8_t has_dynamic;
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
    int reference_only;
    uint64_t limits[MOTE_LIMIT_COUNT];

    uint8_t *arena;          /* [persistent | subgraph 0 activations | subgraph 1 ...] */
    size_t arena_capacity;
    int arena_owned;
    size_t persistent_bytes, activation_bytes;

    buffer_list scratch, persistent;

    interpreter_state state;
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

/* Resets variable tensors to zero (their zero point when quantized). */
void interpreter_reset_variables(mote_context *ctx);

#endif /* MOTE_CORE_INTERPRETER_H */
