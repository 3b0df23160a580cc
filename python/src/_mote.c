/* _mote.c — the CPython extension behind the `mote` package: an interpreter object over
 * Mote's public C API (include/mote.h only), taking and giving NumPy arrays. The
 * TensorFlow Lite shaped API (mote/interpreter.py) is a thin Python layer on top.
 *
 * Safety rules, so that no Python-level misuse can crash the process:
 * - Every tensor index, shape, value and name is checked before it reaches Mote; Mote's
 *   failures become exceptions carrying its message (raise_status).
 * - view() hands out NumPy arrays that point into the interpreter's arena. Each such
 *   array has a small tensor_memory object as its base, which holds a reference to the
 *   interpreter (so the arena outlives the array) and is counted in live_views. Calls
 *   that can move or free tensor memory (allocate_tensors, invoke, resize) refuse to run
 *   while live_views > 0, as TensorFlow Lite's Python interpreter does.
 * - invoke and allocate_tensors run without the GIL; while they do, `busy` makes every
 *   other call on the same interpreter fail instead of racing with it.
 * - Converting arguments can run Python code (__index__, __array__, __iter__), and so can
 *   any allocation (the garbage collector runs finalizers), and that code may call this
 *   interpreter. So methods convert their arguments before checking `busy` and views, and
 *   never keep a tensor's data pointer across an allocation: they read it again, or hold
 *   a view count while they build an array over it.
 */
#define MOTE_PYMOTE_MAIN /* this file imports NumPy's C API for all */
#include "pymote.h"

#include <structmember.h>
#include <time.h>

PyObject *UnsupportedError;

/* ---- the interpreter object ---- */






static void tensor_memory_dealloc(tensor_memory *self) {
    if (self->owner) {
        self->owner->live_views--;
        Py_DECREF(self->owner);
    }
    PyObject_Free(self);
}

PyTypeObject tensor_memory_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mote._mote.TensorMemory",
    .tp_basicsize = sizeof(tensor_memory),
    .tp_dealloc = (destructor)tensor_memory_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Keeps an interpreter's tensor memory alive under a NumPy view of it.",
};

PyObject *raise_interp(interp_object *self, mote_status st) {
    return raise_status(st, mote_interpreter_error(self->it));
}

/* 1 when no call runs on another thread; else sets RuntimeError and returns 0. */
int idle(interp_object *self) {
    if (!self->busy) return 1;
    PyErr_SetString(PyExc_RuntimeError,
                    "the interpreter is busy: invoke() or allocate_tensors() is running on "
                    "another thread; use one interpreter per thread");
    return 0;
}

/* 1 when no view points into tensor memory, so `call` may move it; else RuntimeError. */
int no_views(interp_object *self, const char *call) {
    if (self->live_views == 0) return 1;
    PyErr_Format(PyExc_RuntimeError,
                 "%s() could move tensor memory, but %zd NumPy array%s from tensor() still "
                 "point%s into it; keep the function tensor() returns and call it again "
                 "afterwards instead of holding the array",
                 call, self->live_views, self->live_views == 1 ? "" : "s",
                 self->live_views == 1 ? "s" : "");
    return 0;
}

static PyObject *interp_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"model_path", "model_content", "num_threads", "reference_kernels", NULL};
    PyObject *path_obj = Py_None, *content = Py_None;
    int threads = 1, reference = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOip:Interpreter", kwlist, &path_obj, &content,
                                     &threads, &reference))
        return NULL;
    if ((path_obj == Py_None) == (content == Py_None)) {
        PyErr_SetString(PyExc_ValueError, "give exactly one of model_path and model_content");
        return NULL;
    }
    if (threads < 1) {
        PyErr_Format(PyExc_ValueError, "num_threads must be at least 1, not %d", threads);
        return NULL;
    }
    interp_object *self = (interp_object *)type->tp_alloc(type, 0);
    if (!self) return NULL;

    mote_status st;
    if (path_obj != Py_None) {
        PyObject *path = NULL;
        if (!PyUnicode_FSConverter(path_obj, &path)) goto fail;
        Py_BEGIN_ALLOW_THREADS
        st = mote_model_load_file(PyBytes_AS_STRING(path), NULL, &self->model);
        Py_END_ALLOW_THREADS
        Py_DECREF(path);
    } else {
        /* Mote reads the model in place: keep an immutable copy alive (bytes as given,
         * anything else with the buffer protocol copied into bytes). */
        if (PyBytes_Check(content)) {
            Py_INCREF(content);
            self->content = content;
        } else if (PyObject_CheckBuffer(content)) {
            self->content = PyBytes_FromObject(content);
            if (!self->content) goto fail;
        } else {
            PyErr_Format(PyExc_TypeError, "model_content must be bytes, not %.100s",
                         Py_TYPE(content)->tp_name);
            goto fail;
        }
        st = mote_model_load_memory(PyBytes_AS_STRING(self->content),
                                    (size_t)PyBytes_GET_SIZE(self->content), NULL, &self->model);
    }
    if (st) {
        if (!self->model) {
            PyErr_NoMemory();
        } else {
            raise_status(st == MOTE_ERROR_UNSUPPORTED || st == MOTE_ERROR_OUT_OF_MEMORY
                             ? st : MOTE_ERROR_INVALID_ARGUMENT,
                         mote_model_error(self->model));
        }
        goto fail;
    }

    mote_options *options = NULL;
    if (mote_options_create(NULL, &options)) {
        PyErr_NoMemory();
        goto fail;
    }
    mote_options_set_threads(options, threads);
    mote_options_set_reference_kernels(options, reference);
    st = mote_interpreter_create(self->model, options, &self->it);
    mote_options_destroy(options);
    if (st) {
        if (!self->it) PyErr_NoMemory();
        else
            raise_status(st == MOTE_ERROR_UNSUPPORTED || st == MOTE_ERROR_OUT_OF_MEMORY
                             ? st : MOTE_ERROR_INVALID_ARGUMENT,
                         mote_interpreter_error(self->it));
        goto fail;
    }
    if (mote_interpreter_tensor_count(self->it, &self->tensor_count) ||
        mote_interpreter_input_count(self->it, &self->input_count) ||
        mote_interpreter_output_count(self->it, &self->output_count)) {
        raise_status(MOTE_ERROR_RUNTIME, mote_interpreter_error(self->it));
        goto fail;
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

static void interp_dealloc(interp_object *self) {
    /* Views hold a reference, so none is alive here; no call is running either. */
    mote_interpreter_destroy(self->it);
    mote_model_destroy(self->model);
    Py_XDECREF(self->content);
    Py_TYPE(self)->tp_free((PyObject *)self);
}


/* ---- methods: whole interpreter ---- */

static PyObject *interp_allocate_tensors(interp_object *self, PyObject *noargs) {
    (void)noargs;
    if (!idle(self) || !no_views(self, "allocate_tensors")) return NULL;
    /* Allocated and nothing resized since: nothing to do (TensorFlow Lite returns early
     * too, keeping tensor contents and variable state). */
    size_t activation = 0, persistent = 0;
    if (mote_interpreter_arena_bytes(self->it, &activation, &persistent) == MOTE_OK) Py_RETURN_NONE;
    mote_status st;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    st = mote_interpreter_allocate_tensors(self->it);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    if (st) return raise_interp(self, st);
    Py_RETURN_NONE;
}

static PyObject *interp_invoke(interp_object *self, PyObject *noargs) {
    (void)noargs;
    if (!idle(self) || !no_views(self, "invoke")) return NULL;
    mote_status st;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    st = mote_interpreter_invoke(self->it);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    if (st) return raise_interp(self, st);
    Py_RETURN_NONE;
}

static PyObject *interp_reset_variables(interp_object *self, PyObject *noargs) {
    (void)noargs;
    if (!idle(self)) return NULL;
    mote_status st = mote_interpreter_reset_variables(self->it);
    if (st) return raise_interp(self, st);
    Py_RETURN_NONE;
}

static PyObject *index_list(interp_object *self, int outputs) {
    int32_t n = outputs ? self->output_count : self->input_count;
    PyObject *list = PyList_New(n);
    for (int32_t i = 0; list && i < n; i++) {
        mote_tensor *t = NULL;
        mote_tensor_info info;
        mote_status st = outputs ? mote_interpreter_output(self->it, i, &t)
                                 : mote_interpreter_input(self->it, i, &t);
        if (st || (st = mote_tensor_get_info(t, &info))) {
            Py_DECREF(list);
            return raise_interp(self, st);
        }
        PyObject *v = PyLong_FromLong(info.index);
        if (!v) Py_CLEAR(list);
        else PyList_SET_ITEM(list, i, v);
    }
    return list;
}

static PyObject *interp_input_indices(interp_object *self, PyObject *noargs) {
    (void)noargs;
    return idle(self) ? index_list(self, 0) : NULL;
}

static PyObject *interp_output_indices(interp_object *self, PyObject *noargs) {
    (void)noargs;
    return idle(self) ? index_list(self, 1) : NULL;
}

static PyObject *interp_tensor_count(interp_object *self, PyObject *noargs) {
    (void)noargs;
    return PyLong_FromLong(self->tensor_count);
}

static PyObject *interp_subgraph_count(interp_object *self, PyObject *noargs) {
    (void)noargs;
    int32_t n = 0;
    mote_status st = mote_model_subgraph_count(self->model, &n);
    if (st) return raise_status(st, mote_model_error(self->model));
    return PyLong_FromLong(n);
}

/* Builtin names (or custom codes) of subgraph 0's operators, in execution order. */
static PyObject *interp_operator_names(interp_object *self, PyObject *noargs) {
    (void)noargs;
    int32_t n = 0;
    mote_status st = mote_model_operator_count(self->model, 0, &n);
    if (st) return raise_status(st, mote_model_error(self->model));
    PyObject *list = PyList_New(n);
    for (int32_t i = 0; list && i < n; i++) {
        const char *name = NULL;
        if ((st = mote_model_operator_name(self->model, 0, i, &name))) {
            Py_DECREF(list);
            return raise_status(st, mote_model_error(self->model));
        }
        PyObject *s = text(name);
        if (!s) Py_CLEAR(list);
        else PyList_SET_ITEM(list, i, s);
    }
    return list;
}

/* (inputs, outputs) tensor indices of subgraph 0's operator i, as int32 arrays. */
static PyObject *interp_operator_tensors(interp_object *self, PyObject *arg) {
    long i = PyLong_AsLong(arg);
    if (i == -1 && PyErr_Occurred()) return NULL;
    const int32_t *in = NULL, *out = NULL;
    int32_t n_in = 0, n_out = 0;
    if (i < 0 || i > INT32_MAX ||
        mote_model_operator_tensors(self->model, 0, (int32_t)i, &in, &n_in, &out, &n_out)) {
        PyErr_SetString(PyExc_ValueError, "Invalid node index");
        return NULL;
    }
    PyObject *a = int32_array(in, n_in), *b = a ? int32_array(out, n_out) : NULL;
    if (!b) {
        Py_XDECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

/* ---- methods: tensors by subgraph 0 index ---- */

/* Every method converts its arguments (which may run Python code) first, then checks
 * that the interpreter is idle, then works without running Python code in between. */

static PyObject *interp_details(interp_object *self, PyObject *index) {
    long long i;
    if (parse_index(index, &i) || !idle(self)) return NULL;
    mote_tensor *t = tensor_at(self, i);
    return t ? details_of(t) : NULL;
}

static PyObject *interp_get_tensor(interp_object *self, PyObject *index) {
    long long i;
    if (parse_index(index, &i) || !idle(self)) return NULL;
    mote_tensor *t = tensor_at(self, i);
    return t ? copy_out(t) : NULL;
}

static PyObject *interp_set_tensor(interp_object *self, PyObject *args) {
    PyObject *index, *value, *result = NULL;
    long long i;
    if (!PyArg_ParseTuple(args, "OO:set_tensor", &index, &value) || parse_index(index, &i)) return NULL;
    PyArrayObject *a = value_array(value);
    if (!a) return NULL;
    mote_tensor *t = idle(self) ? tensor_at(self, i) : NULL;
    if (t) result = copy_in(t, a);
    Py_DECREF(a);
    return result;
}

static PyObject *interp_view(interp_object *self, PyObject *index) {
    long long i;
    if (parse_index(index, &i) || !idle(self)) return NULL;
    mote_tensor *t = tensor_at(self, i);
    return t ? view_of(self, t) : NULL;
}

static PyObject *interp_resize_input(interp_object *self, PyObject *args) {
    PyObject *index, *shape;
    int strict = 0;
    long long i;
    int32_t dims[MOTE_MAX_DIMS], rank = 0;
    if (!PyArg_ParseTuple(args, "OO|p:resize_input", &index, &shape, &strict) ||
        parse_index(index, &i) || parse_shape(shape, dims, &rank))
        return NULL;
    if (!idle(self) || !no_views(self, "resize_tensor_input")) return NULL;
    mote_tensor *t = tensor_at(self, i);
    if (!t) return NULL;
    mote_tensor_info info;
    mote_tensor_get_info(t, &info);
    if (strict && !strict_allows(&info, rank, dims)) return NULL;
    for (int32_t k = 0; k < self->input_count; k++) {
        mote_tensor *in = NULL;
        if (mote_interpreter_input(self->it, k, &in) == MOTE_OK && in == t) {
            mote_status st = mote_interpreter_resize_input(self->it, k, rank, dims);
            if (st) return raise_interp(self, st);
            Py_RETURN_NONE;
        }
    }
    PyErr_Format(PyExc_ValueError,
                 "tensor %d ('%s') is not an input of the model; only inputs can be resized",
                 (int)info.index, info.name);
    return NULL;
}


/* ---- benchmarking ---- */

/* Seconds taken by n invokes in a C loop: the cost without Python, for bench_overhead.py. */
static PyObject *interp_time_invoke(interp_object *self, PyObject *arg) {
    if (!PyLong_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "the count must be an int");
        return NULL;
    }
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "the count must be at least 1");
        return NULL;
    }
    if (!idle(self) || !no_views(self, "invoke")) return NULL;
    mote_status st = MOTE_OK;
    struct timespec t0, t1;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n && st == MOTE_OK; i++) st = mote_interpreter_invoke(self->it);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    if (st) return raise_interp(self, st);
    return PyFloat_FromDouble((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
}

static PyMethodDef interp_methods[] = {
    {"allocate_tensors", (PyCFunction)interp_allocate_tensors, METH_NOARGS,
     "Plans and allocates tensor memory (nothing to do when already allocated)."},
    {"invoke", (PyCFunction)interp_invoke, METH_NOARGS, "Runs subgraph 0 without holding the GIL."},
    {"reset_variables", (PyCFunction)interp_reset_variables, METH_NOARGS,
     "Resets variable tensors to their initial values."},
    {"input_indices", (PyCFunction)interp_input_indices, METH_NOARGS, "Tensor indices of the inputs."},
    {"output_indices", (PyCFunction)interp_output_indices, METH_NOARGS, "Tensor indices of the outputs."},
    {"tensor_count", (PyCFunction)interp_tensor_count, METH_NOARGS, "Tensors in subgraph 0."},
    {"subgraph_count", (PyCFunction)interp_subgraph_count, METH_NOARGS, "Subgraphs in the model."},
    {"operator_tensors", (PyCFunction)interp_operator_tensors, METH_O,
     "operator_tensors(i) -> (inputs, outputs): tensor indices of subgraph 0's operator i"},
    {"operator_names", (PyCFunction)interp_operator_names, METH_NOARGS,
     "Names of subgraph 0's operators, in order."},
    {"details", (PyCFunction)interp_details, METH_O, "details(index): the tensor's details dict."},
    {"get_tensor", (PyCFunction)interp_get_tensor, METH_O, "get_tensor(index): a copy of a tensor."},
    {"set_tensor", (PyCFunction)interp_set_tensor, METH_VARARGS,
     "set_tensor(index, value): copies value into a tensor."},
    {"view", (PyCFunction)interp_view, METH_O,
     "view(index): a NumPy array over the tensor's memory."},
    {"resize_input", (PyCFunction)interp_resize_input, METH_VARARGS,
     "resize_input(index, shape, strict=False): changes an input's shape."},
    {"signature_defs", (PyCFunction)interp_signature_defs, METH_NOARGS,
     "{key: {'inputs': {name: index}, 'outputs': {name: index}}}"},
    {"signature_details", (PyCFunction)interp_signature_details, METH_VARARGS,
     "signature_details(key, is_output, name): a details dict."},
    {"signature_get", (PyCFunction)interp_signature_get, METH_VARARGS,
     "signature_get(key, output_name): a copy of an output."},
    {"signature_set", (PyCFunction)interp_signature_set, METH_VARARGS,
     "signature_set(key, input_name, value): copies value into an input."},
    {"signature_resize", (PyCFunction)interp_signature_resize, METH_VARARGS,
     "signature_resize(key, input_name, shape): changes an input's shape."},
    {"signature_invoke", (PyCFunction)interp_signature_invoke, METH_O,
     "signature_invoke(key): runs the signature's subgraph without holding the GIL."},
    {"time_invoke", (PyCFunction)interp_time_invoke, METH_O,
     "time_invoke(n): seconds taken by n invokes in a C loop."},
    {NULL, NULL, 0, NULL}};

static PyMemberDef interp_members[] = {
    {"live_views", T_PYSSIZET, offsetof(interp_object, live_views), READONLY,
     "NumPy arrays from view() still alive."},
    {NULL, 0, 0, 0, NULL}};

static PyTypeObject interp_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mote._mote.Interpreter",
    .tp_basicsize = sizeof(interp_object),
    .tp_dealloc = (destructor)interp_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Interpreter(model_path=None, model_content=None, num_threads=1, "
              "reference_kernels=False): Mote's interpreter, low level.",
    .tp_methods = interp_methods,
    .tp_members = interp_members,
    .tp_new = interp_new,
};

/* ---- the module ---- */

static PyObject *mod_type_size(PyObject *module, PyObject *arg) {
    (void)module;
    long t = PyLong_AsLong(arg);
    if (t == -1 && PyErr_Occurred()) return NULL;
    size_t bytes = 0;
    mote_status st = mote_type_size((mote_type)t, &bytes);
    if (st) return raise_status(st, "unknown type");
    return PyLong_FromSize_t(bytes);
}

static PyMethodDef module_methods[] = {
    {"type_size", mod_type_size, METH_O, "type_size(mote_type): bytes per element."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "mote._mote", "Mote's C interpreter, for mote.interpreter.", -1,
    module_methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__mote(void) {
    import_array();
    if (PyType_Ready(&interp_type) < 0 || PyType_Ready(&tensor_memory_type) < 0) return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (!m) return NULL;
    PyObject *bases = PyTuple_Pack(2, PyExc_ValueError, PyExc_RuntimeError);
    UnsupportedError = bases ? PyErr_NewExceptionWithDoc(
                                   "mote.UnsupportedError",
                                   "The model needs an operator or type Mote does not implement yet.",
                                   bases, NULL)
                             : NULL;
    Py_XDECREF(bases);
    if (!UnsupportedError || PyModule_AddObjectRef(m, "UnsupportedError", UnsupportedError) < 0 ||
        PyModule_AddObjectRef(m, "Interpreter", (PyObject *)&interp_type) < 0 ||
        PyModule_AddStringConstant(m, "MOTE_VERSION", MOTE_VERSION_STRING) < 0 ||
        PyModule_AddIntConstant(m, "MAX_DIMS", MOTE_MAX_DIMS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
