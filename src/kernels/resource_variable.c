/* resource_variable.c — VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE: named variables that
 * keep their value across invokes (core/resources.h).
 *
 * VAR_HANDLE has no inputs, so the interpreter computes its handle during prepare; the
 * readers and writers then know their variable while preparing: an ASSIGN_VARIABLE reserves
 * the variable's memory and a READ_VARIABLE gets a static output shape when the variable's
 * assignments agree on one. Otherwise the read's output is dynamic. */
#include "core/resources.h"
#include "kernels/kernel.h"

/* VarHandleOptions fields. */
#define OPT_CONTAINER 0
#define OPT_SHARED_NAME 1

enum { IN_HANDLE = 0, IN_VALUE = 1 };

typedef struct var_handle_data {
    int32_t id; /* the variable's index in the interpreter's table */
} var_handle_data;

static mote_status var_handle_init(mote_context *ctx, mote_node *node) {
    var_handle_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_VAR_HANDLE);
    const char *container = opt ? fb_string_field(kernel_fb(ctx), opt, OPT_CONTAINER, NULL) : NULL;
    const char *shared_name = opt ? fb_string_field(kernel_fb(ctx), opt, OPT_SHARED_NAME, NULL) : NULL;
    return resource_find_or_add(ctx, node, container, shared_name, &d->id);
}

static mote_status var_handle_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 0, 0, 1)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_RESOURCE)))
        return st;
    return kernel_copy_shape(ctx, node, out, out); /* recomputes its byte size */
}

static mote_status var_handle_eval(mote_context *ctx, mote_node *node) {
    const var_handle_data *d = node->data;
    mote_tensor *out = kernel_output(ctx, node, 0);
    for (size_t k = 0; k < kernel_count(out); k++) memcpy(out->data + k * sizeof d->id, &d->id, sizeof d->id);
    return MOTE_OK;
}

/* The variable a handle tensor names. */
static mote_status variable_of(mote_context *ctx, const mote_node *node, const mote_tensor *handle, resource_var **v) {
    char b[160];
    if (kernel_count(handle) < 1 || !handle->data)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "%s holds no variable handle",
                           kernel_describe(handle, "input", IN_HANDLE, b, sizeof b));
    int32_t id;
    memcpy(&id, handle->data, sizeof id);
    *v = resource_get(ctx, id);
    if (!*v)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "%s: variable %d does not exist",
                           kernel_describe(handle, "input", IN_HANDLE, b, sizeof b), id);
    return MOTE_OK;
}

static mote_status check_handle(mote_context *ctx, const mote_node *node, mote_tensor **handle) {
    mote_status st = kernel_require_input(ctx, node, IN_HANDLE, handle);
    return st ? st : kernel_check_type(ctx, node, *handle, "input", IN_HANDLE, MOTE_RESOURCE);
}

static mote_status read_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *handle, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = check_handle(ctx, node, &handle)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    resource_var *v = NULL;
    if (kernel_values_ready(node, handle) && (st = variable_of(ctx, node, handle, &v))) return st;
    if (v && v->declared && !v->varies) {
        if (out->type != v->declared_type)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output is %s, variable '%s' holds %s",
                               mote_type_name(out->type), v->shared_name, mote_type_name(v->declared_type));
        return kernel_set_shape(ctx, node, out, v->declared_rank, v->declared_dims);
    }
    kernel_mark_dynamic(out); /* the variable's shape is only known once assigned */
    return MOTE_OK;
}

static mote_status read_eval(mote_context *ctx, mote_node *node) {
    mote_tensor *out = kernel_output(ctx, node, 0);
    resource_var *v;
    mote_status st = variable_of(ctx, node, kernel_input(ctx, node, IN_HANDLE), &v);
    if (st) return st;
    if (!v->assigned)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "reads variable '%s' before any value was assigned to it",
                           v->shared_name);
    if (v->type != out->type)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "variable '%s' holds %s, the output is %s", v->shared_name,
                           mote_type_name(v->type), mote_type_name(out->type));
    if (out->storage != STORAGE_DYNAMIC &&
        (v->rank != out->rank || memcmp(v->dims, out->dims, (size_t)v->rank * sizeof v->dims[0]) != 0))
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                           "variable '%s' was assigned a value of another shape than the one it had when the model "
                           "was prepared",
                           v->shared_name);
    if ((st = kernel_resize_output(ctx, node, out, v->rank, v->dims))) return st;
    if (v->bytes) memcpy(out->data, v->data, v->bytes);
    return MOTE_OK;
}

static mote_status assign_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *handle, *value;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 0)) || (st = check_handle(ctx, node, &handle)) ||
        (st = kernel_require_input(ctx, node, IN_VALUE, &value)))
        return st;
    if (mote_type_bytes(value->type) == 0) return kernel_unsupported_type(ctx, node, value, "input", IN_VALUE);
    if (!kernel_values_ready(node, handle) || value->is_dynamic) return MOTE_OK; /* reserved when assigned */
    resource_var *v;
    if ((st = variable_of(ctx, node, handle, &v))) return st;
    return resource_declare(ctx, node, v, value);
}

static mote_status assign_eval(mote_context *ctx, mote_node *node) {
    resource_var *v;
    mote_status st = variable_of(ctx, node, kernel_input(ctx, node, IN_HANDLE), &v);
    return st ? st : resource_assign(ctx, node, v, kernel_input(ctx, node, IN_VALUE));
}

const mote_op mote_op_var_handle = {NULL, MOTE_OP_VAR_HANDLE, var_handle_init, var_handle_prepare, NULL,
                                    var_handle_eval, NULL};
const mote_op mote_op_read_variable = {NULL, MOTE_OP_READ_VARIABLE, NULL, read_prepare, NULL, read_eval, NULL};
const mote_op mote_op_assign_variable = {NULL, MOTE_OP_ASSIGN_VARIABLE, NULL, assign_prepare, NULL, assign_eval,
                                         NULL};
