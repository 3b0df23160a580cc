/* mote.h — Mote: run TensorFlow Lite (.tflite, schema v3) models from C.
 *
 * The flow is the same as TensorFlow Lite's:
 *
 *   mote_model *model;                      load a model (file or memory)
 *   mote_interpreter *it;                   create an interpreter on it
 *   mote_interpreter_allocate_tensors(it);  plan and allocate the arena
 *   fill inputs, mote_interpreter_invoke(it), read outputs
 *
 * Conventions
 * - Every call returns a mote_status (MOTE_OK is 0); results come back through output
 *   parameters, which are always the last ones. The few calls that return a string or
 *   nothing say so.
 * - Handles are opaque. Objects made by a *_create or *_load call are released by the
 *   matching *_destroy, which accepts NULL.
 * - A model or interpreter whose creation failed is still returned (unless even the handle
 *   could not be allocated, then *out is NULL and the status is MOTE_ERROR_OUT_OF_MEMORY),
 *   so that mote_model_error() / mote_interpreter_error() can say why in words. Such a
 *   handle only supports *_error and *_destroy.
 * - Error messages name the place: the operator index and type, the tensor, and what was
 *   expected. They stay valid until the next call on the same handle.
 * - Thread safety: a model is immutable after loading and may be shared by any number of
 *   interpreters on any threads. An interpreter is used by one thread at a time; only
 *   mote_interpreter_cancel() may be called from another thread while it runs.
 * - Models are untrusted input: a malformed file yields MOTE_ERROR_INVALID_MODEL with a
 *   message, never a crash or an out-of-bounds read.
 */
#ifndef MOTE_H
#define MOTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(MOTE_SHARED_BUILD)
#define MOTE_API __declspec(dllexport)
#elif defined(__GNUC__)
#define MOTE_API __attribute__((visibility("default")))
#else
#define MOTE_API
#endif

#define MOTE_VERSION_MAJOR 0
#define MOTE_VERSION_MINOR 1
#define MOTE_VERSION_PATCH 0
#define MOTE_VERSION_STRING "0.1.0"

/* Highest tensor rank Mote handles. */
#define MOTE_MAX_DIMS 8

/* ---------------------------------------------------------------------------------------
 * Status codes and types
 * ------------------------------------------------------------------------------------- */

typedef enum mote_status {
    MOTE_OK = 0,
    MOTE_ERROR_INVALID_ARGUMENT = 1, /* a bad argument: NULL handle, index out of range, wrong size */
    MOTE_ERROR_INVALID_MODEL = 2,    /* the model file is malformed or inconsistent */
    MOTE_ERROR_UNSUPPORTED = 3,      /* a valid model uses something Mote does not implement */
    MOTE_ERROR_OUT_OF_MEMORY = 4,    /* an allocation failed */
    MOTE_ERROR_IO = 5,               /* a file could not be read or written */
    MOTE_ERROR_BAD_STATE = 6,        /* calls out of order, e.g. invoke before allocate */
    MOTE_ERROR_LIMIT = 7,            /* a caller-set or built-in limit was exceeded */
    MOTE_ERROR_CANCELLED = 8,        /* mote_interpreter_cancel() stopped an invoke */
    MOTE_ERROR_RUNTIME = 9           /* an operator failed while running */
} mote_status;

/* A short constant name for a status ("ok", "invalid model", ...). Returns a string. */
MOTE_API const char *mote_status_string(mote_status status);

/* Element types, numbered as TensorFlow Lite's TensorType. */
typedef enum mote_type {
    MOTE_FLOAT32 = 0,
    MOTE_FLOAT16 = 1,
    MOTE_INT32 = 2,
    MOTE_UINT8 = 3,
    MOTE_INT64 = 4,
    MOTE_STRING = 5,
    MOTE_BOOL = 6,
    MOTE_INT16 = 7,
    MOTE_COMPLEX64 = 8,
    MOTE_INT8 = 9,
    MOTE_FLOAT64 = 10,
    MOTE_COMPLEX128 = 11,
    MOTE_UINT64 = 12,
    MOTE_RESOURCE = 13,
    MOTE_VARIANT = 14,
    MOTE_UINT32 = 15,
    MOTE_UINT16 = 16,
    MOTE_INT4 = 17,
    MOTE_BFLOAT16 = 18,
    MOTE_INT2 = 19,
    MOTE_UINT4 = 20,
    MOTE_FLOAT8_E4M3FN = 21,
    MOTE_FLOAT8_E5M2 = 22
} mote_type;

/* Lower-case name of a type as NumPy spells it ("float32", "int8", "bool"); "unknown"
 * for values outside the enum. Returns a string. */
MOTE_API const char *mote_type_name(mote_type type);

/* Bytes per element: 0 for STRING, RESOURCE, VARIANT, sub-byte and unknown types. Sets
 * *bytes and returns MOTE_OK, or MOTE_ERROR_INVALID_ARGUMENT for unknown types. */
MOTE_API mote_status mote_type_size(mote_type type, size_t *bytes);

/* ---------------------------------------------------------------------------------------
 * Memory
 *
 * Every allocation Mote makes goes through one function, as in Lua: fn(ud, ptr, old_size,
 * new_size) allocates when ptr is NULL, frees when new_size is 0 (returning NULL), and
 * otherwise reallocates. Returned memory must be aligned to 64 bytes when new_size is at
 * least 64 (Mote places SIMD data in it). Passing NULL wherever an allocator is accepted
 * means the default one (aligned_alloc/free).
 * ------------------------------------------------------------------------------------- */

typedef void *(*mote_alloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);

typedef struct mote_allocator {
    mote_alloc_fn fn;
    void *ud;
} mote_allocator;

/* ---------------------------------------------------------------------------------------
 * Models
 * ------------------------------------------------------------------------------------- */

typedef struct mote_model mote_model;

/* Loads a .tflite file by mapping it into memory. The whole file is verified once; after
 * that, weights are read in place. */
MOTE_API mote_status mote_model_load_file(const char *path, const mote_allocator *allocator,
                                          mote_model **out_model);

/* Loads a model from a caller-owned buffer, which must stay valid and unchanged until the
 * model is destroyed. Bytes after the FlatBuffer (appended metadata) are allowed. If the
 * buffer is not 16-byte aligned, Mote copies it. */
MOTE_API mote_status mote_model_load_memory(const void *data, size_t size,
                                            const mote_allocator *allocator,
                                            mote_model **out_model);

/* Why the last call on this model failed, or "" if it did not. Returns a string. */
MOTE_API const char *mote_model_error(const mote_model *model);

MOTE_API void mote_model_destroy(mote_model *model);

/* Model-level facts, for tools. Strings are owned by the model. */
MOTE_API mote_status mote_model_schema_version(const mote_model *model, uint32_t *version);
MOTE_API mote_status mote_model_description(const mote_model *model, const char **description);
MOTE_API mote_status mote_model_subgraph_count(const mote_model *model, int32_t *count);
MOTE_API mote_status mote_model_operator_count(const mote_model *model, int32_t subgraph,
                                               int32_t *count);
/* The operator's name: the builtin name ("CONV_2D") or the custom code of a custom op. */
MOTE_API mote_status mote_model_operator_name(const mote_model *model, int32_t subgraph,
                                              int32_t op_index, const char **name);
/* The operator's input and output tensor indices (owned by the model; an input of -1 is an
 * omitted optional input). Any pointer may be NULL. */
MOTE_API mote_status mote_model_operator_tensors(const mote_model *model, int32_t subgraph,
                                                 int32_t op_index, const int32_t **inputs,
                                                 int32_t *input_count, const int32_t **outputs,
                                                 int32_t *output_count);
/* Metadata entries (name and raw bytes of the referenced buffer). */
MOTE_API mote_status mote_model_metadata_count(const mote_model *model, int32_t *count);
MOTE_API mote_status mote_model_metadata(const mote_model *model, int32_t index,
                                         const char **name, const void **data, size_t *size);

/* ---------------------------------------------------------------------------------------
 * Custom operators
 *
 * An operator implementation is a table of callbacks, as in TensorFlow Lite Micro:
 *   init     once at interpreter creation: parse options, keep per-node data
 *            (mote_node_set_data). May be NULL.
 *   prepare  at every allocate: check types and shapes, set output shapes
 *            (mote_tensor_set_shape), request scratch and persistent buffers. May be NULL.
 *   pack     after the arena exists: fill persistent buffers (packed weights, expanded
 *            constants). May be NULL.
 *   eval     compute. Must not allocate or do I/O.
 *   release  at interpreter destruction, to free what init kept. May be NULL.
 * A callback fails by returning mote_node_fail(...), which records a message.
 * ------------------------------------------------------------------------------------- */

typedef struct mote_context mote_context; /* the interpreter, as seen by an operator */
typedef struct mote_node mote_node;       /* one operator instance in a graph */
typedef struct mote_tensor mote_tensor;   /* a tensor, owned by its interpreter */

typedef struct mote_op {
    const char *custom_name; /* custom code this implements, e.g. "MyOp"; NULL for builtins */
    int32_t builtin_code;    /* BuiltinOperator value, or -1 for a custom op */
    mote_status (*init)(mote_context *ctx, mote_node *node);
    mote_status (*prepare)(mote_context *ctx, mote_node *node);
    mote_status (*pack)(mote_context *ctx, mote_node *node);
    mote_status (*eval)(mote_context *ctx, mote_node *node);
    void (*release)(mote_context *ctx, mote_node *node);
} mote_op;

MOTE_API mote_status mote_node_input_count(const mote_node *node, int32_t *count);
MOTE_API mote_status mote_node_output_count(const mote_node *node, int32_t *count);
/* The i-th input or output tensor; *tensor is NULL for an omitted optional input. */
MOTE_API mote_status mote_node_input(mote_context *ctx, const mote_node *node, int32_t i,
                                     mote_tensor **tensor);
MOTE_API mote_status mote_node_output(mote_context *ctx, const mote_node *node, int32_t i,
                                      mote_tensor **tensor);
/* The custom options bytes (usually a FlexBuffer map), or NULL and 0. */
MOTE_API mote_status mote_node_custom_options(const mote_node *node, const void **data,
                                              size_t *size);
MOTE_API mote_status mote_node_set_data(mote_node *node, void *data);
MOTE_API mote_status mote_node_data(const mote_node *node, void **data);
/* Records why the operator failed (printf format) and returns status. */
MOTE_API mote_status mote_node_fail(mote_context *ctx, const mote_node *node,
                                    mote_status status, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* In prepare: reserves size bytes of scratch memory valid during this node's eval, placed
 * by the planner; *index names it for mote_node_scratch. */
MOTE_API mote_status mote_node_request_scratch(mote_context *ctx, mote_node *node, size_t size,
                                               int32_t *index);
MOTE_API mote_status mote_node_scratch(mote_context *ctx, const mote_node *node, int32_t index,
                                       void **data);
/* In prepare: reserves persistent memory (kept across invokes, filled in pack). */
MOTE_API mote_status mote_node_request_persistent(mote_context *ctx, mote_node *node,
                                                  size_t size, int32_t *index);
MOTE_API mote_status mote_node_persistent(mote_context *ctx, const mote_node *node,
                                          int32_t index, void **data);

/* ---------------------------------------------------------------------------------------
 * Interpreter options
 * ------------------------------------------------------------------------------------- */

typedef struct mote_options mote_options;

/* Limits a caller can set; 0 means Mote's default. */
typedef enum mote_limit {
    MOTE_LIMIT_ARENA_BYTES = 0,     /* largest planned arena, plus the heap held by tensors
                                       whose shapes are only known while running (default:
                                       no limit) */
    MOTE_LIMIT_TENSOR_COUNT = 1,    /* most tensors in one subgraph (default 1<<20) */
    MOTE_LIMIT_NESTING_DEPTH = 2,   /* deepest subgraph call chain (default 16) */
    MOTE_LIMIT_WHILE_ITERATIONS = 3 /* most iterations of one WHILE run: more fail with
                                       MOTE_ERROR_LIMIT (default: no limit; a loop that never
                                       ends can still be stopped by mote_interpreter_cancel) */
} mote_limit;

MOTE_API mote_status mote_options_create(const mote_allocator *allocator, mote_options **out);
MOTE_API void mote_options_destroy(mote_options *options);
/* Threads used by the kernels (default 1). The count is honored exactly. */
MOTE_API mote_status mote_options_set_threads(mote_options *options, int32_t threads);
/* Registers an operator implementation; it overrides a builtin with the same code. The
 * mote_op must outlive every interpreter created with these options. */
MOTE_API mote_status mote_options_add_op(mote_options *options, const mote_op *op);
MOTE_API mote_status mote_options_set_limit(mote_options *options, mote_limit limit,
                                            uint64_t value);
/* Uses a caller-owned arena (e.g. a static buffer on a microcontroller) instead of
 * allocating one; allocate_tensors fails with MOTE_ERROR_LIMIT if it is too small. */
MOTE_API mote_status mote_options_set_arena(mote_options *options, void *arena, size_t bytes);
/* Turns the optimized (SIMD) kernels off, leaving the reference kernels. */
MOTE_API mote_status mote_options_set_reference_kernels(mote_options *options, int enabled);
/* Times every operator while invoking, for mote_interpreter_profile (default off). When off,
 * invoke reads no clock. */
MOTE_API mote_status mote_options_set_profiling(mote_options *options, int enabled);

/* ---------------------------------------------------------------------------------------
 * Interpreter
 * ------------------------------------------------------------------------------------- */

typedef struct mote_interpreter mote_interpreter;

/* Creates an interpreter for a model (which must outlive it). options may be NULL. Fails
 * with MOTE_ERROR_UNSUPPORTED, naming the operators, when the model uses operators that
 * have no implementation. */
MOTE_API mote_status mote_interpreter_create(const mote_model *model, const mote_options *options,
                                             mote_interpreter **out);
MOTE_API void mote_interpreter_destroy(mote_interpreter *interpreter);

/* Why the last call on this interpreter failed, or "". Returns a string. */
MOTE_API const char *mote_interpreter_error(const mote_interpreter *interpreter);

/* Plans one arena for all tensors of all subgraphs (a greedy, lifetime-aware planner) and
 * allocates it. Must be called before the first invoke and after any resize. */
MOTE_API mote_status mote_interpreter_allocate_tensors(mote_interpreter *interpreter);

/* Arena size after allocate_tensors: planned activations (and scratch), and persistent
 * data (variables, packed weights, expanded constants). */
MOTE_API mote_status mote_interpreter_arena_bytes(const mote_interpreter *interpreter,
                                                  size_t *activation_bytes,
                                                  size_t *persistent_bytes);

/* One operator's time, with mote_options_set_profiling. */
typedef struct mote_op_profile {
    uint64_t total_ns; /* wall time of its evals (with a re-prepare when its shapes are only
                          known while running), summed; a control-flow operator's includes
                          the subgraphs it runs */
    uint64_t count;    /* evals timed */
} mote_op_profile;

/* Per-operator times of one subgraph, in operator order: copies min(capacity, operator
 * count) entries and sets *count to the subgraph's operator count (capacity 0 asks for the
 * count). Times start at zero at every allocate_tensors and add up over invokes; operators
 * computed once at allocate time (all inputs constant) stay at zero. MOTE_ERROR_BAD_STATE
 * when profiling is off or before allocate_tensors. */
MOTE_API mote_status mote_interpreter_profile(const mote_interpreter *interpreter,
                                              int32_t subgraph, mote_op_profile *entries,
                                              int32_t capacity, int32_t *count);

/* Runs subgraph 0. Allocates nothing and does no I/O, except for tensors that only get their
 * size while running: shapes computed from input values, loop values that change shape,
 * string outputs, and a resource variable whose shape prepare could not see. That heap
 * memory is kept and reused by the next invokes. */
MOTE_API mote_status mote_interpreter_invoke(mote_interpreter *interpreter);

/* Asks a running invoke to stop at the next operator boundary; it then returns
 * MOTE_ERROR_CANCELLED. Safe to call from any thread. */
MOTE_API mote_status mote_interpreter_cancel(mote_interpreter *interpreter);

/* Resets variable tensors (e.g. recurrent state) to their initial values. Resource variables
 * (VAR_HANDLE) become unassigned again and CALL_ONCE runs its subgraph again at the next
 * invoke, which restores the model's initial state. (TensorFlow Lite keeps both; Mote
 * resets them so that "reset" means the same for every kind of state.) */
MOTE_API mote_status mote_interpreter_reset_variables(mote_interpreter *interpreter);

/* Inputs and outputs of subgraph 0. */
MOTE_API mote_status mote_interpreter_input_count(const mote_interpreter *interpreter,
                                                  int32_t *count);
MOTE_API mote_status mote_interpreter_output_count(const mote_interpreter *interpreter,
                                                   int32_t *count);
MOTE_API mote_status mote_interpreter_input(mote_interpreter *interpreter, int32_t i,
                                            mote_tensor **tensor);
MOTE_API mote_status mote_interpreter_output(mote_interpreter *interpreter, int32_t i,
                                             mote_tensor **tensor);
/* Any tensor of subgraph 0 by index. */
MOTE_API mote_status mote_interpreter_tensor_count(const mote_interpreter *interpreter,
                                                   int32_t *count);
MOTE_API mote_status mote_interpreter_tensor(mote_interpreter *interpreter, int32_t index,
                                             mote_tensor **tensor);

/* Changes the shape of input i of subgraph 0; call allocate_tensors before invoking. */
MOTE_API mote_status mote_interpreter_resize_input(mote_interpreter *interpreter, int32_t i,
                                                   int32_t rank, const int32_t *dims);

/* Signatures (SignatureDefs): named entry points, each running one subgraph. */
MOTE_API mote_status mote_interpreter_signature_count(const mote_interpreter *interpreter,
                                                      int32_t *count);
MOTE_API mote_status mote_interpreter_signature_key(const mote_interpreter *interpreter,
                                                    int32_t index, const char **key);
/* Counts and names of a signature's inputs or outputs, in the model's order. */
MOTE_API mote_status mote_interpreter_signature_io_count(const mote_interpreter *interpreter,
                                                         const char *key, int outputs,
                                                         int32_t *count);
MOTE_API mote_status mote_interpreter_signature_io_name(const mote_interpreter *interpreter,
                                                        const char *key, int outputs,
                                                        int32_t i, const char **name);
/* The tensor bound to a signature input or output name. */
MOTE_API mote_status mote_interpreter_signature_tensor(mote_interpreter *interpreter,
                                                       const char *key, int outputs,
                                                       const char *name, mote_tensor **tensor);
MOTE_API mote_status mote_interpreter_signature_resize_input(mote_interpreter *interpreter,
                                                             const char *key, const char *name,
                                                             int32_t rank, const int32_t *dims);
/* Runs the signature's subgraph. */
MOTE_API mote_status mote_interpreter_signature_invoke(mote_interpreter *interpreter,
                                                       const char *key);

/* ---------------------------------------------------------------------------------------
 * Tensors
 *
 * A mote_tensor pointer is owned by its interpreter and valid until it is destroyed. Its
 * data pointer and dims change on allocate_tensors and resize; read them again after.
 * ------------------------------------------------------------------------------------- */

typedef struct mote_quantization {
    int32_t count;              /* number of (scale, zero point) pairs; 0: not quantized */
    const float *scales;        /* [count] */
    const int64_t *zero_points; /* [count] */
    int32_t quantized_dimension;/* axis of per-channel quantization */
} mote_quantization;

typedef struct mote_tensor_info {
    const char *name;       /* never NULL; "" if the model gives none */
    int32_t index;          /* index in its subgraph */
    mote_type type;
    int32_t rank;
    const int32_t *dims;            /* [rank] current shape */
    int32_t signature_rank;         /* rank of shape_signature, or -1 when absent */
    const int32_t *dims_signature;  /* [signature_rank], -1 marks a dynamic dimension */
    size_t bytes;           /* byte size of the data */
    void *data;             /* NULL before allocate_tensors */
    mote_quantization quantization;
    int is_constant;        /* data comes from the model */
    int is_variable;        /* state kept across invokes */
} mote_tensor_info;

MOTE_API mote_status mote_tensor_get_info(const mote_tensor *tensor, mote_tensor_info *info);
/* Copies size bytes (which must equal the tensor's byte size) into or out of a tensor. A
 * string tensor takes a serialized buffer of any size (see below), which is checked. */
MOTE_API mote_status mote_tensor_copy_from(mote_tensor *tensor, const void *data, size_t size);
MOTE_API mote_status mote_tensor_copy_to(const mote_tensor *tensor, void *data, size_t size);

/* String tensors (MOTE_STRING) hold TensorFlow Lite's serialized layout, little-endian:
 *   int32 N                  the number of strings: the tensor's element count
 *   int32 offsets[N + 1]     from the buffer's start; string i is [offsets[i], offsets[i+1]),
 *                            offsets[0] is 4 * (N + 2), offsets[N] the buffer's size
 *   bytes                    the strings back to back, without terminators
 * Their byte size (mote_tensor_info.bytes) is that of their contents, and their memory is
 * allocated when they are set (by these calls or mote_tensor_copy_from, after
 * allocate_tensors) or, for outputs, while invoking. Errors: MOTE_ERROR_INVALID_ARGUMENT for
 * another type, a wrong count or a malformed buffer; MOTE_ERROR_BAD_STATE before
 * allocate_tensors, or reading a tensor that holds no strings yet. */
/* Sets a string tensor to count strings (its element count), copied; lengths may be NULL
 * for NUL-terminated strings. */
MOTE_API mote_status mote_tensor_set_strings(mote_tensor *tensor, int32_t count,
                                             const char *const *strings, const size_t *lengths);
/* The number of strings in a string tensor. */
MOTE_API mote_status mote_tensor_get_string_count(const mote_tensor *tensor, int32_t *count);
/* String i: a pointer into the tensor's data (valid until the tensor changes: the next
 * invoke, set or allocate), not NUL-terminated, and its length in bytes. */
MOTE_API mote_status mote_tensor_get_string(const mote_tensor *tensor, int32_t i, const char **data,
                                            size_t *length);
/* For operator implementations (prepare): sets an output's shape. */
MOTE_API mote_status mote_tensor_set_shape(mote_context *ctx, mote_tensor *tensor, int32_t rank,
                                           const int32_t *dims);

/* ---------------------------------------------------------------------------------------
 * Builtin operator names
 * ------------------------------------------------------------------------------------- */

/* TensorFlow Lite's name for a BuiltinOperator code ("CONV_2D"), or NULL. Returns a
 * string. */
MOTE_API const char *mote_builtin_name(int32_t builtin_code);

#ifdef __cplusplus
}
#endif

#endif /* MOTE_H */
