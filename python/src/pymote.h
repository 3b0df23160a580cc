/* pymote.h — what the files of the `mote._mote` extension share: the interpreter and
 * tensor-memory objects, and the conversions between Mote's tensors and NumPy arrays
 * (see _mote.c for the safety rules they all follow). */
#ifndef MOTE_PYTHON_PYMOTE_H
#define MOTE_PYTHON_PYMOTE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
/* One NumPy C-API table for the whole extension, imported in _mote.c. */
#define PY_ARRAY_UNIQUE_SYMBOL mote_numpy_api
#ifndef MOTE_PYMOTE_MAIN
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "mote.h"

#ifndef PyDataType_ELSIZE /* NumPy 1.x */
#define PyDataType_ELSIZE(descr) ((descr)->elsize)
#endif

/* Raised for models that need an operator or type Mote does not implement yet (a
 * ValueError and a RuntimeError). */
extern PyObject *UnsupportedError;

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

/* The base object of every array view() makes: keeps the interpreter alive and counted. */
typedef struct tensor_memory {
    PyObject_HEAD
    interp_object *owner;
} tensor_memory;
extern PyTypeObject tensor_memory_type;

/* errors and types (values.c) */
PyObject *text(const char *s);
PyObject *raise_status(mote_status st, const char *message);
int npy_type_of(mote_type t);
int mote_type_of_array(PyArrayObject *a);
void type_label(int type, char *out, size_t size);

/* the interpreter's state checks (_mote.c) */
PyObject *raise_interp(interp_object *self, mote_status st);
int idle(interp_object *self);
int no_views(interp_object *self, const char *call);

/* finding tensors and their details (tensors.c) */
int parse_index(PyObject *index, long long *out);
mote_tensor *tensor_at(interp_object *self, long long i);
const char *c_string(PyObject *o, const char *what, PyObject **holder);
PyObject *decode_name(const char *s);
mote_tensor *signature_tensor(interp_object *self, PyObject *key_obj, int outputs, PyObject *name_obj);
PyObject *int32_array(const int32_t *values, int32_t n);
PyObject *details_of(const mote_tensor *t);

/* values in and out: copies, strings, views, shapes (values.c, strings.c) */
int fill_dims(const mote_tensor_info *info, npy_intp *dims);
PyObject *strings_out(const mote_tensor *t, const mote_tensor_info *info);
PyObject *strings_in(mote_tensor *t, PyArrayObject *a);
PyObject *copy_out(const mote_tensor *t);
PyArrayObject *value_array(PyObject *value);
PyObject *copy_in(mote_tensor *t, PyArrayObject *a);
PyObject *view_of(interp_object *self, const mote_tensor *t);
int parse_shape(PyObject *shape, int32_t *dims, int32_t *rank);
int strict_allows(const mote_tensor_info *info, int32_t rank, const int32_t *dims);

/* signature methods (signatures.c) */
PyObject *interp_signature_defs(interp_object *self, PyObject *noargs);
PyObject *interp_signature_details(interp_object *self, PyObject *args);
PyObject *interp_signature_get(interp_object *self, PyObject *args);
PyObject *interp_signature_set(interp_object *self, PyObject *args);
PyObject *interp_signature_resize(interp_object *self, PyObject *args);
PyObject *interp_signature_invoke(interp_object *self, PyObject *key_obj);

#endif /* MOTE_PYTHON_PYMOTE_H */
