/* values.c — Mote's statuses as Python exceptions, Mote types as NumPy types, and tensor
 * values in and out: copies, zero-copy views, shapes given from Python. */
#include "pymote.h"

/* ---- errors ---- */

/* Model strings (tensor names, messages naming them) are arbitrary bytes. */
PyObject *text(const char *s) {
    return PyUnicode_DecodeUTF8(s ? s : "", (Py_ssize_t)strlen(s ? s : ""), "replace");
}

PyObject *raise_status(mote_status st, const char *message) {
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
int npy_type_of(mote_type t) {
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
int mote_type_of_array(PyArrayObject *a) {
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
void type_label(int type, char *out, size_t size) {
    const char *name = type < 0 ? "notype" : mote_type_name((mote_type)type);
    size_t i = 0;
    for (; name[i] && i + 1 < size; i++)
        out[i] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 'a' + 'A') : name[i];
    out[i] = 0;
}


/* ---- copies in and out ---- */

int fill_dims(const mote_tensor_info *info, npy_intp *dims) {
    for (int32_t i = 0; i < info->rank; i++) dims[i] = info->dims[i];
    return info->rank;
}

/* get_tensor(): a new array holding a copy of the tensor. */
PyObject *copy_out(const mote_tensor *t) {
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
PyArrayObject *value_array(PyObject *value) {
    PyArrayObject *a = (PyArrayObject *)PyArray_FromAny(value, NULL, 0, 0, NPY_ARRAY_IN_ARRAY, NULL);
    if (!a && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "Failed to convert value into readable tensor.");
    }
    return a;
}

/* set_tensor(): checks the value's type and shape as TensorFlow Lite does, then copies. */
PyObject *copy_in(mote_tensor *t, PyArrayObject *a) {
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
PyObject *view_of(interp_object *self, const mote_tensor *t) {
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
int parse_shape(PyObject *shape, int32_t *dims, int32_t *rank) {
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
int strict_allows(const mote_tensor_info *info, int32_t rank, const int32_t *dims) {
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
