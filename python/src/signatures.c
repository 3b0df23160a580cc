/* signatures.c — the interpreter's signature methods: the SignatureDefs, and getting,
 * setting, resizing and running a signature's tensors by name. */
#include "pymote.h"

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

PyObject *interp_signature_defs(interp_object *self, PyObject *noargs) {
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

PyObject *interp_signature_details(interp_object *self, PyObject *args) {
    PyObject *key, *name;
    int outputs;
    if (!PyArg_ParseTuple(args, "OpO:signature_details", &key, &outputs, &name)) return NULL;
    if (!idle(self)) return NULL;
    mote_tensor *t = signature_tensor(self, key, outputs, name);
    return t ? details_of(t) : NULL;
}

PyObject *interp_signature_get(interp_object *self, PyObject *args) {
    PyObject *key, *name;
    if (!PyArg_ParseTuple(args, "OO:signature_get", &key, &name)) return NULL;
    if (!idle(self)) return NULL;
    mote_tensor *t = signature_tensor(self, key, 1, name);
    return t ? copy_out(t) : NULL;
}

PyObject *interp_signature_set(interp_object *self, PyObject *args) {
    PyObject *key, *name, *value, *result = NULL;
    if (!PyArg_ParseTuple(args, "OOO:signature_set", &key, &name, &value)) return NULL;
    PyArrayObject *a = value_array(value);
    if (!a) return NULL;
    mote_tensor *t = idle(self) ? signature_tensor(self, key, 0, name) : NULL;
    if (t) result = copy_in(t, a);
    Py_DECREF(a);
    return result;
}

PyObject *interp_signature_resize(interp_object *self, PyObject *args) {
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

PyObject *interp_signature_invoke(interp_object *self, PyObject *key_obj) {
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
