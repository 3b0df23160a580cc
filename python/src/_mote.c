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
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <numpy/arrayobject.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mote.h"

#ifndef PyDataType_ELSIZE /* NumPy 1.x */
#define PyDataType_ELSIZE(descr) ((descr)->elsize)
#endif

/* Raised for models that need an operator or type Mote does not implement yet. It is a
 * ValueError (what TensorFlow Lite raises when an interpreter cannot be built) and a
 * RuntimeError (what it raises when allocate_tensors fails), so either handler sees it. */
static PyObject *UnsupportedError;

/* ---- errors ---- */

/* Model strings (tensor names, messages naming them) are arbitrary bytes. */
static PyObject *text(const char *s) {
    return PyUnicode_DecodeUTF8(s ? s : "", (Py_ssize_t)strlen(s ? s : ""), "replace");
}

static PyObject *raise_status(mote_status st, const char *message) {
    PyObject *type;
    switch (st) {
    case MOTE_ERROR_INVALID_ARGUMENT: type = PyExc_ValueError; break;
    case MOTE_ERROR_UNSUPPORTED: type = UnsupportedError; break;
    case MOTE_ERROR_OUT_OF_MEMORY: type = PyExc_MemoryError; break;
    default: type = PyExc_RuntimeError; break;
    }
    PyObject *msg = text(message && message[0] ? message : mote_status_string(st));
    if (msg) {
        PyErr_SetObject(type, msg);
        Py_DECREF(msg);
    }
    return NULL;
}

/* ---- types ---- */

/* NumPy's type number for a Mote type, or -1 when NumPy has no such type. int4 tensors
 * come out unpacked into int8, as TensorFlow Lite gives them. */
static int npy_type_of(mote_type t) {
    switch (t) {
    case MOTE_FLOAT32: return NPY_FLOAT32;
    case MOTE_FLOAT16: return NPY_FLOAT16;
    case MOTE_FLOAT64: return NPY_FLOAT64;
    case MOTE_INT8: return NPY_INT8;
    case MOTE_INT16: return NPY_INT16;
    case MOTE_INT32: return NPY_INT32;
    case MOTE_INT64: return NPY_INT64;
    case MOTE_UINT8: return NPY_UINT8;
    case MOTE_UINT16: return NPY_UINT16;
    case MOTE_UINT32: return NPY_UINT32;
    case MOTE_UINT64: return NPY_UINT64;
    case MOTE_BOOL: return NPY_BOOL;
    case MOTE_COMPLEX64: return NPY_COMPLEX64;
    case MOTE_COMPLEX128: return NPY_COMPLEX128;
    case MOTE_STRING: return NPY_STRING;
    case MOTE_INT4: return NPY_INT8;
    default: return -1;
    }
}

/* The Mote type an array's elements would have, or -1. Decided by kind and size, so
 * that e.g. int64 and long long arrays both count as int64. */
static int mote_type_of_array(PyArrayObject *a) {
    npy_intp size = PyArray_ITEMSIZE(a);
    switch (PyArray_DESCR(a)->kind) {
    case 'b': return MOTE_BOOL;
    case 'i': return size == 1 ? MOTE_INT8 : size == 2 ? MOTE_INT16 : size == 4 ? MOTE_INT32
                   : size == 8 ? MOTE_INT64 : -1;
    case 'u': return size == 1 ? MOTE_UINT8 : size == 2 ? MOTE_UINT16 : size == 4 ? MOTE_UINT32
                   : size == 8 ? MOTE_UINT64 : -1;
    case 'f': return size == 2 ? MOTE_FLOAT16 : size == 4 ? MOTE_FLOAT32 : size == 8 ? MOTE_FLOAT64 : -1;
    case 'c': return size == 8 ? MOTE_COMPLEX64 : size == 16 ? MOTE_COMPLEX128 : -1;
    case 'S': case 'U': case 'O': return MOTE_STRING;
    default: return -1;
    }
}

/* TensorFlow Lite's spelling of a type in messages: "FLOAT32", "INT8", "NOTYPE". */
static void type_label(int type, char *out, size_t size) {
    const char *name = type < 0 ? "notype" : mote_type_name((mote_type)type);
    size_t i = 0;
    for (; name[i] && i + 1 < size; i++)
        out[i] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 'a' + 'A') : name[i];
    out[i] = 0;
}

/* ---- the interpreter object ---- */

typedef struct interp_object {
    PyObject_HEAD
    mote_model *model;
    mote_interpreter *it;
    PyObject *content;       /* bytes a model loaded from memory reads in place */
    Py_ssize_t live_views;   /* arrays from view() still alive */
    int busy;                /* invoke or allocate_tensors is running without the GIL */
    int32_t tensor_count;    /* subgraph 0 */
    int32_t input_count, output_count;
} interp_object;

static PyTypeObject interp_type;

/* The base object of every array view() makes: keeps the interpreter alive and counted. */
typedef struct tensor_memory {
    PyObject_HEAD
    interp_object *owner;
} tensor_memory;

static void tensor_memory_dealloc(tensor_memory *self) {
    if (self->owner) {
        self->owner->live_views--;
        Py_DECREF(self->owner);
    }
    PyObject_Free(self);
}

static PyTypeObject tensor_memory_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mote._mote.TensorMemory",
    .tp_basicsize = sizeof(tensor_memory),
    .tp_dealloc = (destructor)tensor_memory_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Keeps an interpreter's tensor memory alive under a NumPy view of it.",
};

static PyObject *raise_interp(interp_object *self, mote_status st) {
    return raise_status(st, mote_interpreter_error(self->it));
}

/* 1 when no call runs on another thread; else sets RuntimeError and returns 0. */
static int idle(interp_object *self) {
    if (!self->busy) return 1;
    PyErr_SetString(PyExc_RuntimeError,
                    "the interpreter is busy: invoke() or allocate_tensors() is running on "
                    "another thread; use one interpreter per thread");
    return 0;
}

/* 1 when no view points into tensor memory, so `call` may move it; else RuntimeError. */
static int no_views(interp_object *self, const char *call) {
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

/* ---- finding tensors ---- */

/* A tensor index argument (an int, or anything with __index__) as a C integer; values
 * beyond long long become LLONG_MIN, which no tensor has. -1 with an error set when it
 * is not an integer. */
static int parse_index(PyObject *index, long long *out) {
    PyObject *n = PyNumber_Index(index);
    if (!n) return -1;
    int overflow = 0;
    long long i = PyLong_AsLongLongAndOverflow(n, &overflow);
    Py_DECREF(n);
    if (i == -1 && PyErr_Occurred()) return -1;
    *out = overflow ? LLONG_MIN : i;
    return 0;
}

/* Subgraph 0 tensor by a parsed index; NULL with ValueError set. Runs no Python code. */
static mote_tensor *tensor_at(interp_object *self, long long i) {
    if (i < 0 || i >= self->tensor_count) {
        if (i == LLONG_MIN)
            PyErr_Format(PyExc_ValueError, "Invalid tensor index (out of range) exceeds max tensor "
                         "index %d", (int)self->tensor_count);
        else
            PyErr_Format(PyExc_ValueError, "Invalid tensor index %lld exceeds max tensor index %d",
                         i, (int)self->tensor_count);
        return NULL;
    }
    mote_tensor *t = NULL;
    mote_status st = mote_interpreter_tensor(self->it, (int32_t)i, &t);
    if (st) {
        raise_interp(self, st);
        return NULL;
    }
    return t;
}

/* A str (or bytes) as a C string for Mote's name lookups; *holder keeps it alive. */
static const char *c_string(PyObject *o, const char *what, PyObject **holder) {
    if (PyUnicode_Check(o)) {
        *holder = PyUnicode_AsEncodedString(o, "utf-8", "surrogateescape");
    } else if (PyBytes_Check(o)) {
        Py_INCREF(o);
        *holder = o;
    } else {
        PyErr_Format(PyExc_TypeError, "%s must be a str, not %.100s", what, Py_TYPE(o)->tp_name);
        return NULL;
    }
    if (!*holder) return NULL;
    const char *s = PyBytes_AS_STRING(*holder);
    if ((size_t)PyBytes_GET_SIZE(*holder) != strlen(s)) {
        Py_CLEAR(*holder);
        PyErr_Format(PyExc_ValueError, "%s contains a NUL character", what);
        return NULL;
    }
    return s;
}

static PyObject *decode_name(const char *s) {
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* A signature's input or output tensor by name; NULL with an exception set. */
static mote_tensor *signature_tensor(interp_object *self, PyObject *key_obj, int outputs,
                                     PyObject *name_obj) {
    PyObject *kh = NULL, *nh = NULL;
    mote_tensor *t = NULL;
    const char *key = c_string(key_obj, "signature key", &kh);
    const char *name = key ? c_string(name_obj, "signature input or output name", &nh) : NULL;
    if (key && name) {
        mote_status st = mote_interpreter_signature_tensor(self->it, key, outputs, name, &t);
        if (st) {
            raise_interp(self, st);
            t = NULL;
        }
    }
    Py_XDECREF(kh);
    Py_XDECREF(nh);
    return t;
}

/* ---- tensor details ---- */

static PyObject *int32_array(const int32_t *values, int32_t n) {
    npy_intp dim = n;
    PyObject *a = PyArray_SimpleNew(1, &dim, NPY_INT32);
    if (a && n) memcpy(PyArray_DATA((PyArrayObject *)a), values, (size_t)n * sizeof *values);
    return a;
}

/* The dict TensorFlow Lite's get_input_details() gives for one tensor. */
static PyObject *details_of(const mote_tensor *t) {
    mote_tensor_info info;
    mote_status st = mote_tensor_get_info(t, &info);
    if (st) return raise_status(st, "cannot read the tensor");
    int npy = npy_type_of(info.type);
    if (npy < 0) {
        PyErr_Format(PyExc_ValueError, "tensor %d has type %s, which NumPy has no type for",
                     (int)info.index, mote_type_name(info.type));
        return NULL;
    }
    const mote_quantization *q = &info.quantization;
    PyObject *name = text(info.name);
    PyObject *dtype = (PyObject *)PyArray_DescrFromType(npy);
    PyObject *dtype_class = dtype ? (PyObject *)((PyArray_Descr *)dtype)->typeobj : NULL;
    PyObject *shape = int32_array(info.dims, info.rank);
    PyObject *signature = info.signature_rank >= 0
                              ? int32_array(info.dims_signature, info.signature_rank)
                              : int32_array(info.dims, info.rank);
    npy_intp qn = q->count;
    PyObject *scales = PyArray_SimpleNew(1, &qn, NPY_FLOAT32);
    PyObject *zero_points = PyArray_SimpleNew(1, &qn, NPY_INT32);
    PyObject *result = NULL;
    if (name && dtype_class && shape && signature && scales && zero_points) {
        float *s = PyArray_DATA((PyArrayObject *)scales);
        int32_t *z = PyArray_DATA((PyArrayObject *)zero_points);
        for (int32_t i = 0; i < q->count; i++) {
            s[i] = q->scales[i];
            z[i] = (int32_t)q->zero_points[i];
        }
        /* The deprecated per-tensor pair: (0.0, 0) unless there is exactly one. */
        double scale = q->count == 1 ? (double)q->scales[0] : 0.0;
        long long zero_point = q->count == 1 ? (long long)q->zero_points[0] : 0;
        result = Py_BuildValue("{s:O,s:i,s:O,s:O,s:O,s:(dL),s:{s:O,s:O,s:i},s:{}}",
                               "name", name, "index", (int)info.index, "shape", shape,
                               "shape_signature", signature, "dtype", dtype_class,
                               "quantization", scale, zero_point, "quantization_parameters",
                               "scales", scales, "zero_points", zero_points, "quantized_dimension",
                               (int)q->quantized_dimension, "sparsity_parameters");
    }
    Py_XDECREF(name);
    Py_XDECREF(dtype);
    Py_XDECREF(shape);
    Py_XDECREF(signature);
    Py_XDECREF(scales);
    Py_XDECREF(zero_points);
    return result;
}

/* ---- copies in and out ---- */

static int fill_dims(const mote_tensor_info *info, npy_intp *dims) {
    for (int32_t i = 0; i < info->rank; i++) dims[i] = info->dims[i];
    return info->rank;
}

/* ---- string tensors ---- */

/* get_tensor() of a string tensor: an object array of bytes, as TensorFlow Lite gives. The
 * strings are first copied out with plain malloc (no Python code can run and move them),
 * then turned into bytes objects. */
static PyObject *strings_out(const mote_tensor *t, const mote_tensor_info *info) {
    int32_t count = 0;
    mote_status st = mote_tensor_get_string_count(t, &count);
    if (st == MOTE_ERROR_BAD_STATE) {
        PyErr_Format(PyExc_ValueError, "Tensor data is null: string tensor %d ('%s') holds no "
                     "strings yet (set it, or invoke first)", (int)info->index, info->name);
        return NULL;
    }
    if (st) return raise_status(st, "the string tensor's buffer is malformed");
    npy_intp dims[MOTE_MAX_DIMS], elements = 1;
    int rank = fill_dims(info, dims);
    for (int i = 0; i < rank; i++) elements *= dims[i];
    if (elements != count) {
        PyErr_Format(PyExc_RuntimeError, "string tensor %d ('%s') holds %d strings for %zd elements",
                     (int)info->index, info->name, (int)count, (Py_ssize_t)elements);
        return NULL;
    }
    size_t *ends = PyMem_RawMalloc(((size_t)count + 1) * sizeof *ends);
    char *text_copy = NULL;
    PyObject *result = NULL;
    if (!ends) return PyErr_NoMemory();
    size_t total = 0;
    for (int32_t i = 0; i < count; i++) {
        const char *data = NULL;
        size_t length = 0;
        if ((st = mote_tensor_get_string(t, i, &data, &length))) {
            raise_status(st, "the string tensor's buffer is malformed");
            goto done;
        }
        total += length;
        ends[i] = total;
    }
    if (!(text_copy = PyMem_RawMalloc(total ? total : 1))) {
        PyErr_NoMemory();
        goto done;
    }
    for (int32_t i = 0; i < count; i++) {
        const char *data = NULL;
        size_t length = 0, start = i ? ends[i - 1] : 0;
        mote_tensor_get_string(t, i, &data, &length);
        if (length) memcpy(text_copy + start, data, length);
    }
    PyArrayObject *a = (PyArrayObject *)PyArray_EMPTY(rank, dims, NPY_OBJECT, 0); /* Nones */
    if (!a) goto done;
    PyObject **items = PyArray_DATA(a);
    for (int32_t i = 0; i < count; i++) {
        size_t start = i ? ends[i - 1] : 0;
        PyObject *b = PyBytes_FromStringAndSize(text_copy + start, (Py_ssize_t)(ends[i] - start));
        if (!b) {
            Py_DECREF(a);
            goto done;
        }
        Py_SETREF(items[i], b);
    }
    result = (PyObject *)a; /* an array even for rank 0, as TFLite gives strings */
done:
    PyMem_RawFree(ends);
    PyMem_RawFree(text_copy);
    return result;
}

/* set_tensor() of a string tensor from an array of bytes or str (str as UTF-8). */
static PyObject *strings_in(mote_tensor *t, PyArrayObject *a) {
    npy_intp n = PyArray_SIZE(a);
    if (n > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "Cannot set tensor: too many strings");
        return NULL;
    }
    PyObject *items = PyList_New(n), *result = NULL;
    const char **pointers = PyMem_Malloc(((size_t)n + 1) * sizeof *pointers);
    size_t *lengths = PyMem_Malloc(((size_t)n + 1) * sizeof *lengths);
    if (!items || !pointers || !lengths) {
        if (items) PyErr_NoMemory();
        goto done;
    }
    char *base = PyArray_BYTES(a); /* C-contiguous */
    for (npy_intp i = 0; i < n; i++) {
        PyObject *item = PyArray_GETITEM(a, base + i * PyArray_ITEMSIZE(a));
        if (!item) goto done;
        PyList_SET_ITEM(items, i, item); /* keeps the text below alive */
        Py_ssize_t length = 0;
        if (PyBytes_Check(item)) {
            pointers[i] = PyBytes_AS_STRING(item);
            length = PyBytes_GET_SIZE(item);
        } else if (PyUnicode_Check(item)) {
            if (!(pointers[i] = PyUnicode_AsUTF8AndSize(item, &length))) goto done;
        } else {
            PyErr_Format(PyExc_ValueError, "Cannot set tensor: string %zd is a %.100s, not bytes "
                         "or str", (Py_ssize_t)i, Py_TYPE(item)->tp_name);
            goto done;
        }
        lengths[i] = (size_t)length;
    }
    mote_status st = mote_tensor_set_strings(t, (int32_t)n, pointers, lengths);
    if (st) {
        raise_status(st, st == MOTE_ERROR_BAD_STATE
                             ? "Cannot set tensor: Tensor is unallocated. Try calling "
                               "allocate_tensors() first"
                             : "Cannot set tensor: the strings do not fit the tensor");
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(items);
    PyMem_Free(pointers);
    PyMem_Free(lengths);
    return result;
}

/* get_tensor(): a new array holding a copy of the tensor. */
static PyObject *copy_out(const mote_tensor *t) {
    mote_tensor_info info;
    mote_status st = mote_tensor_get_info(t, &info);
    if (st) return raise_status(st, "cannot read the tensor");
    if (info.type == MOTE_STRING) return strings_out(t, &info);
    int npy = npy_type_of(info.type);
    if (npy < 0) {
        PyErr_Format(PyExc_ValueError, "tensor %d has type %s, which NumPy has no type for",
                     (int)info.index, mote_type_name(info.type));
        return NULL;
    }
    if (info.bytes && !info.data) {
        PyErr_SetString(PyExc_ValueError, "Tensor data is null. Run allocate_tensors() first");
        return NULL;
    }
    npy_intp dims[MOTE_MAX_DIMS];
    int rank = fill_dims(&info, dims);
    PyArrayObject *a = (PyArrayObject *)PyArray_SimpleNew(rank, dims, npy);
    if (!a) return NULL;
    if (info.type == MOTE_INT4) {
        /* The allocation may have run Python code that moved the tensor: read it again. */
        size_t bytes = info.bytes;
        if ((st = mote_tensor_get_info(t, &info)) || info.bytes != bytes || (bytes && !info.data)) {
            Py_DECREF(a);
            PyErr_SetString(PyExc_RuntimeError, "the tensor changed while it was being read");
            return NULL;
        }
        /* Two values a byte, low nibble first, sign-extended into int8. */
        int8_t *out = PyArray_DATA(a);
        const uint8_t *in = info.data;
        npy_intp n = PyArray_SIZE(a);
        for (npy_intp i = 0; i < n && (size_t)(i / 2) < info.bytes; i++) {
            int v = (i % 2) ? in[i / 2] >> 4 : in[i / 2] & 15;
            out[i] = (int8_t)(v >= 8 ? v - 16 : v);
        }
        return PyArray_Return(a);
    }
    if ((size_t)PyArray_NBYTES(a) != info.bytes) {
        /* A sparse constant: its bytes are the compressed values, as TFLite gives them. */
        npy_intp size = PyArray_ITEMSIZE(a);
        Py_DECREF(a);
        if (size == 0 || info.bytes % (size_t)size) {
            PyErr_Format(PyExc_ValueError, "tensor %d holds %zu bytes, which is not a whole "
                         "number of %s values", (int)info.index, info.bytes, mote_type_name(info.type));
            return NULL;
        }
        npy_intp n = (npy_intp)(info.bytes / (size_t)size);
        a = (PyArrayObject *)PyArray_SimpleNew(1, &n, npy);
        if (!a) return NULL;
    }
    /* copy_to checks the size against the tensor as it is now. */
    if (info.bytes && (st = mote_tensor_copy_to(t, PyArray_DATA(a), info.bytes))) {
        Py_DECREF(a);
        return raise_status(st, st == MOTE_ERROR_INVALID_ARGUMENT
                                    ? "the tensor changed while it was being read"
                                    : "Tensor data is null. Run allocate_tensors() first");
    }
    return PyArray_Return(a);
}

/* A set_tensor() value as a C-contiguous, aligned array (NULL with ValueError set). May
 * run Python code: call it before looking at the interpreter. */
static PyArrayObject *value_array(PyObject *value) {
    PyArrayObject *a = (PyArrayObject *)PyArray_FromAny(value, NULL, 0, 0, NPY_ARRAY_IN_ARRAY, NULL);
    if (!a && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "Failed to convert value into readable tensor.");
    }
    return a;
}

/* set_tensor(): checks the value's type and shape as TensorFlow Lite does, then copies. */
static PyObject *copy_in(mote_tensor *t, PyArrayObject *a) {
    mote_tensor_info info;
    mote_status st = mote_tensor_get_info(t, &info);
    if (st) return raise_status(st, "cannot read the tensor");
    Py_INCREF(a);
    PyObject *result = NULL;
    int type = mote_type_of_array(a);
    if (type != (int)info.type) {
        char got[32], want[32];
        type_label(type, got, sizeof got);
        type_label((int)info.type, want, sizeof want);
        PyErr_Format(PyExc_ValueError,
                     "Cannot set tensor: Got value of type %s but expected type %s for input %d, "
                     "name: %s ", got, want, (int)info.index, info.name);
        goto done;
    }
    if (PyArray_NDIM(a) != info.rank) {
        PyErr_Format(PyExc_ValueError,
                     "Cannot set tensor: Dimension mismatch. Got %d but expected %d for input %d.",
                     PyArray_NDIM(a), (int)info.rank, (int)info.index);
        goto done;
    }
    for (int32_t j = 0; j < info.rank; j++) {
        if (PyArray_DIM(a, j) != info.dims[j]) {
            PyErr_Format(PyExc_ValueError,
                         "Cannot set tensor: Dimension mismatch. Got %zd but expected %d for "
                         "dimension %d of input %d.",
                         (Py_ssize_t)PyArray_DIM(a, j), (int)info.dims[j], (int)j, (int)info.index);
            goto done;
        }
    }
    if (info.is_constant) {
        PyErr_Format(PyExc_ValueError,
                     "Cannot set tensor: tensor %d ('%s') is a constant of the model",
                     (int)info.index, info.name);
        goto done;
    }
    if (info.type == MOTE_STRING) {
        result = strings_in(t, a);
        goto done;
    }
    if (info.bytes && !info.data) {
        PyErr_SetString(PyExc_ValueError,
                        "Cannot set tensor: Tensor is unallocated. Try calling allocate_tensors() first");
        goto done;
    }
    if ((size_t)PyArray_NBYTES(a) != info.bytes) {
        PyErr_Format(PyExc_ValueError, "numpy array had %zu bytes but expected %zu bytes.",
                     (size_t)PyArray_NBYTES(a), info.bytes);
        goto done;
    }
    if (PyArray_ISBYTESWAPPED(a)) {
        /* Same type in the other byte order: convert to the machine's. */
        PyArrayObject *native = (PyArrayObject *)PyArray_FromAny(
            (PyObject *)a, PyArray_DescrFromType(npy_type_of(info.type)), 0, 0,
            NPY_ARRAY_IN_ARRAY | NPY_ARRAY_FORCECAST, NULL);
        if (!native) goto done;
        Py_DECREF(a);
        a = native;
    }
    /* copy_from checks the size and data against the tensor as it is now. */
    if (info.bytes && (st = mote_tensor_copy_from(t, PyArray_DATA(a), info.bytes))) {
        raise_status(st, st == MOTE_ERROR_BAD_STATE
                             ? "Cannot set tensor: Tensor is unallocated. Try calling "
                               "allocate_tensors() first"
                             : "Cannot set tensor: the tensor changed while it was being set");
        goto done;
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    Py_DECREF(a);
    return result;
}

/* tensor(): an array over the tensor's own memory (read-only for model constants). */
static PyObject *view_of(interp_object *self, const mote_tensor *t) {
    /* Counted from the start: memory cannot move while the array is being made. */
    tensor_memory *keeper = PyObject_New(tensor_memory, &tensor_memory_type);
    if (!keeper) return NULL;
    Py_INCREF(self);
    keeper->owner = self;
    self->live_views++;
    PyArray_Descr *descr = NULL;
    mote_tensor_info info;
    mote_status st = mote_tensor_get_info(t, &info);
    if (st) {
        raise_status(st, "cannot read the tensor");
        goto fail;
    }
    int npy = npy_type_of(info.type);
    if (info.type == MOTE_STRING || info.type == MOTE_INT4 || npy < 0) {
        PyErr_Format(PyExc_ValueError,
                     "tensor %d ('%s') has type %s, which has no NumPy view; use get_tensor()",
                     (int)info.index, info.name, mote_type_name(info.type));
        goto fail;
    }
    if (info.bytes && !info.data) {
        PyErr_SetString(PyExc_ValueError, "Tensor data is null. Run allocate_tensors() first");
        goto fail;
    }
    npy_intp dims[MOTE_MAX_DIMS];
    int rank = fill_dims(&info, dims);
    if (!(descr = PyArray_DescrFromType(npy))) goto fail;
    npy_intp count = 1;
    for (int i = 0; i < rank; i++) count *= dims[i];
    if ((size_t)count * (size_t)PyDataType_ELSIZE(descr) != info.bytes) {
        PyErr_Format(PyExc_ValueError,
                     "tensor %d ('%s') is stored compressed (sparse); use get_tensor()",
                     (int)info.index, info.name);
        goto fail;
    }
    if (!info.data) { /* empty: nothing to point at */
        Py_DECREF(keeper);
        return PyArray_Return((PyArrayObject *)PyArray_NewFromDescr(&PyArray_Type, descr, rank, dims,
                                                                    NULL, NULL, 0, NULL));
    }
    int flags = info.is_constant ? NPY_ARRAY_CARRAY_RO : NPY_ARRAY_CARRAY;
    PyObject *a = PyArray_NewFromDescr(&PyArray_Type, descr, rank, dims, NULL, info.data, flags, NULL);
    if (!a) { /* the descr was taken */
        Py_DECREF(keeper);
        return NULL;
    }
    if (PyArray_SetBaseObject((PyArrayObject *)a, (PyObject *)keeper) < 0) { /* steals keeper */
        Py_DECREF(a);
        return NULL;
    }
    return PyArray_Return((PyArrayObject *)a);
fail:
    Py_XDECREF(descr);
    Py_DECREF(keeper);
    return NULL;
}

/* A shape argument: a sequence of integers (list, tuple, 1-D array). */
static int parse_shape(PyObject *shape, int32_t *dims, int32_t *rank) {
    PyObject *seq = PySequence_Fast(shape, "");
    if (!seq) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "a shape must be a sequence of integers, not %.100s",
                     Py_TYPE(shape)->tp_name);
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > MOTE_MAX_DIMS) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "a shape of rank %zd is more than Mote's limit of %d", n,
                     MOTE_MAX_DIMS);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyNumber_Index(PySequence_Fast_GET_ITEM(seq, i));
        int overflow = 0;
        long long v = d ? PyLong_AsLongLongAndOverflow(d, &overflow) : -1;
        Py_XDECREF(d);
        if (!d || (v == -1 && PyErr_Occurred()) || overflow || v < INT32_MIN || v > INT32_MAX) {
            PyErr_Clear();
            Py_DECREF(seq);
            PyErr_Format(PyExc_ValueError, "shape dimension %zd is not an int32 integer", i);
            return -1;
        }
        dims[i] = (int32_t)v;
    }
    Py_DECREF(seq);
    *rank = (int32_t)n;
    return 0;
}

/* For strict resizes: only dimensions the shape signature marks -1 may change. */
static int strict_allows(const mote_tensor_info *info, int32_t rank, const int32_t *dims) {
    int32_t sig_rank = info->signature_rank >= 0 ? info->signature_rank : info->rank;
    const int32_t *sig = info->signature_rank >= 0 ? info->dims_signature : info->dims;
    if (rank != sig_rank) {
        PyErr_Format(PyExc_ValueError,
                     "strict resize of tensor %d ('%s'): rank %d, but its shape signature has rank %d",
                     (int)info->index, info->name, (int)rank, (int)sig_rank);
        return 0;
    }
    for (int32_t i = 0; i < rank; i++) {
        if (sig[i] != -1 && dims[i] != sig[i]) {
            PyErr_Format(PyExc_ValueError,
                         "strict resize of tensor %d ('%s'): dimension %d is fixed at %d by its "
                         "shape signature (only -1 dimensions may change)",
                         (int)info->index, info->name, (int)i, (int)sig[i]);
            return 0;
        }
    }
    return 1;
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

static PyObject *index_array(const int32_t *idx, int32_t n) {
    npy_intp dims[1] = {n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_INT32);
    if (a && n > 0) memcpy(PyArray_DATA((PyArrayObject *)a), idx, (size_t)n * sizeof *idx);
    return a;
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
    PyObject *a = index_array(in, n_in), *b = a ? index_array(out, n_out) : NULL;
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

/* ---- methods: signatures ---- */

/* {key: {"inputs": {name: tensor index}, "outputs": {...}}}, names sorted as TensorFlow
 * Lite sorts them; indices are in the signature's own subgraph. */
static PyObject *signature_side(interp_object *self, const char *key, int outputs) {
    int32_t n = 0;
    mote_status st = mote_interpreter_signature_io_count(self->it, key, outputs, &n);
    if (st) return raise_interp(self, st);
    PyObject *names = PyList_New(0), *indices = PyDict_New(), *result = NULL;
    if (!names || !indices) goto done;
    for (int32_t i = 0; i < n; i++) {
        const char *name = NULL;
        mote_tensor *t = NULL;
        mote_tensor_info info;
        if ((st = mote_interpreter_signature_io_name(self->it, key, outputs, i, &name)) ||
            (st = mote_interpreter_signature_tensor(self->it, key, outputs, name, &t)) ||
            (st = mote_tensor_get_info(t, &info))) {
            raise_interp(self, st);
            goto done;
        }
        PyObject *s = decode_name(name), *v = PyLong_FromLong(info.index);
        int bad = !s || !v || PyList_Append(names, s) || PyDict_SetItem(indices, s, v);
        Py_XDECREF(s);
        Py_XDECREF(v);
        if (bad) goto done;
    }
    if (PyList_Sort(names)) goto done;
    result = PyDict_New();
    for (Py_ssize_t i = 0; result && i < PyList_GET_SIZE(names); i++) {
        PyObject *s = PyList_GET_ITEM(names, i);
        if (PyDict_SetItem(result, s, PyDict_GetItem(indices, s))) Py_CLEAR(result);
    }
done:
    Py_XDECREF(names);
    Py_XDECREF(indices);
    return result;
}

static PyObject *interp_signature_defs(interp_object *self, PyObject *noargs) {
    (void)noargs;
    if (!idle(self)) return NULL;
    int32_t n = 0;
    mote_status st = mote_interpreter_signature_count(self->it, &n);
    if (st) return raise_interp(self, st);
    PyObject *result = PyDict_New();
    for (int32_t s = 0; result && s < n; s++) {
        const char *key = NULL;
        if ((st = mote_interpreter_signature_key(self->it, s, &key))) {
            Py_DECREF(result);
            return raise_interp(self, st);
        }
        PyObject *in = signature_side(self, key, 0);
        PyObject *out = in ? signature_side(self, key, 1) : NULL;
        PyObject *k = decode_name(key);
        PyObject *entry = in && out && k ? Py_BuildValue("{s:O,s:O}", "inputs", in, "outputs", out) : NULL;
        if (!entry || PyDict_SetItem(result, k, entry)) Py_CLEAR(result);
        Py_XDECREF(in);
        Py_XDECREF(out);
        Py_XDECREF(k);
        Py_XDECREF(entry);
    }
    return result;
}

static PyObject *interp_signature_details(interp_object *self, PyObject *args) {
    PyObject *key, *name;
    int outputs;
    if (!PyArg_ParseTuple(args, "OpO:signature_details", &key, &outputs, &name)) return NULL;
    if (!idle(self)) return NULL;
    mote_tensor *t = signature_tensor(self, key, outputs, name);
    return t ? details_of(t) : NULL;
}

static PyObject *interp_signature_get(interp_object *self, PyObject *args) {
    PyObject *key, *name;
    if (!PyArg_ParseTuple(args, "OO:signature_get", &key, &name)) return NULL;
    if (!idle(self)) return NULL;
    mote_tensor *t = signature_tensor(self, key, 1, name);
    return t ? copy_out(t) : NULL;
}

static PyObject *interp_signature_set(interp_object *self, PyObject *args) {
    PyObject *key, *name, *value, *result = NULL;
    if (!PyArg_ParseTuple(args, "OOO:signature_set", &key, &name, &value)) return NULL;
    PyArrayObject *a = value_array(value);
    if (!a) return NULL;
    mote_tensor *t = idle(self) ? signature_tensor(self, key, 0, name) : NULL;
    if (t) result = copy_in(t, a);
    Py_DECREF(a);
    return result;
}

static PyObject *interp_signature_resize(interp_object *self, PyObject *args) {
    PyObject *key_obj, *name_obj, *shape;
    int32_t dims[MOTE_MAX_DIMS], rank = 0;
    if (!PyArg_ParseTuple(args, "OOO:signature_resize", &key_obj, &name_obj, &shape) ||
        parse_shape(shape, dims, &rank))
        return NULL;
    PyObject *kh = NULL, *nh = NULL, *result = NULL;
    const char *key = c_string(key_obj, "signature key", &kh);
    const char *name = key ? c_string(name_obj, "signature input name", &nh) : NULL;
    if (key && name && idle(self) && no_views(self, "resize_tensor_input")) {
        mote_status st = mote_interpreter_signature_resize_input(self->it, key, name, rank, dims);
        if (st) raise_interp(self, st);
        else result = Py_NewRef(Py_None);
    }
    Py_XDECREF(kh);
    Py_XDECREF(nh);
    return result;
}

static PyObject *interp_signature_invoke(interp_object *self, PyObject *key_obj) {
    PyObject *kh = NULL;
    const char *key = c_string(key_obj, "signature key", &kh);
    if (!key) return NULL;
    if (!idle(self) || !no_views(self, "invoke")) {
        Py_DECREF(kh);
        return NULL;
    }
    mote_status st;
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    st = mote_interpreter_signature_invoke(self->it, key);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    Py_DECREF(kh);
    if (st) return raise_interp(self, st);
    Py_RETURN_NONE;
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
