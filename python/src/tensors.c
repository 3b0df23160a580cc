/* tensors.c — finding tensors (by index, or by signature and name) and their details
 * dicts, shaped as tflite_runtime gives them. */
#include "pymote.h"

/* ---- finding tensors ---- */

/* A tensor index argument (an int, or anything with __index__) as a C integer; values
 * beyond long long become LLONG_MIN, which no tensor has. -1 with an error set when it
 * is not an integer. */
int parse_index(PyObject *index, long long *out) {
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
mote_tensor *tensor_at(interp_object *self, long long i) {
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
const char *c_string(PyObject *o, const char *what, PyObject **holder) {
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

PyObject *decode_name(const char *s) {
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* A signature's input or output tensor by name; NULL with an exception set. */
mote_tensor *signature_tensor(interp_object *self, PyObject *key_obj, int outputs,
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

PyObject *int32_array(const int32_t *values, int32_t n) {
    npy_intp dim = n;
    PyObject *a = PyArray_SimpleNew(1, &dim, NPY_INT32);
    if (a && n) memcpy(PyArray_DATA((PyArrayObject *)a), values, (size_t)n * sizeof *values);
    return a;
}

/* The dict TensorFlow Lite's get_input_details() gives for one tensor. */
PyObject *details_of(const mote_tensor *t) {
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
