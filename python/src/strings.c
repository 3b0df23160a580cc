/* strings.c — string tensors (TensorFlow Lite's layout) as NumPy object arrays of bytes,
 * and back. */
#include "pymote.h"

/* ---- string tensors ---- */

/* get_tensor() of a string tensor: an object array of bytes, as TensorFlow Lite gives. The
 * strings are first copied out with plain malloc (no Python code can run and move them),
 * then turned into bytes objects. */
PyObject *strings_out(const mote_tensor *t, const mote_tensor_info *info) {
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
PyObject *strings_in(mote_tensor *t, PyArrayObject *a) {
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
