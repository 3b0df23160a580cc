"""writer.py — Mote's .tflite writer (include/mote_writer.h) from Python, through ctypes on a
built libmote.so: just what the single-operator generator needs."""
import ctypes

import numpy as np

# mote_type values (include/mote.h) by NumPy dtype name.
TYPES = {"float32": 0, "int32": 2, "uint8": 3, "int64": 4, "bool": 6, "int16": 7, "int8": 9}

# mote_field_kind
FIELD_BOOL, FIELD_INT8, FIELD_INT32, FIELD_FLOAT32, FIELD_INT32_VECTOR = 0, 1, 3, 6, 7


class OptionField(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint16), ("kind", ctypes.c_uint16), ("i", ctypes.c_int64),
                ("f", ctypes.c_float), ("ints", ctypes.POINTER(ctypes.c_int32)), ("count", ctypes.c_int32),
                ("str", ctypes.c_char_p)]


class WriterOp(ctypes.Structure):
    _fields_ = [("builtin_code", ctypes.c_int32), ("custom_name", ctypes.c_char_p), ("version", ctypes.c_int32),
                ("input_count", ctypes.c_int32), ("inputs", ctypes.POINTER(ctypes.c_int32)),
                ("output_count", ctypes.c_int32), ("outputs", ctypes.POINTER(ctypes.c_int32)),
                ("intermediate_count", ctypes.c_int32), ("intermediates", ctypes.POINTER(ctypes.c_int32)),
                ("options_type", ctypes.c_int32), ("field_count", ctypes.c_int32),
                ("fields", ctypes.POINTER(OptionField)), ("custom_options", ctypes.c_void_p),
                ("custom_options_size", ctypes.c_size_t)]


def _ints(values):
    return (ctypes.c_int32 * max(1, len(values)))(*values)


class Writer:
    """One model with one subgraph: tensors, operators, inputs and outputs, then save()."""

    def __init__(self, lib_path):
        self.lib = ctypes.CDLL(lib_path)
        self.lib.mote_writer_error.restype = ctypes.c_char_p
        self.w = ctypes.c_void_p()
        self._check(self.lib.mote_writer_create(None, ctypes.byref(self.w)))
        self._keep = []

    def _check(self, status):
        if status != 0:
            msg = self.lib.mote_writer_error(self.w).decode() if self.w else "create failed"
            raise RuntimeError(f"mote writer: {msg}")

    def tensor(self, name, dtype, shape, data=None, scale=None, zero_point=None, axis=0):
        """Adds a tensor (a constant when data is given); per-channel when scale is a list."""
        index = ctypes.c_int32()
        buf, size = None, 0
        if data is not None:
            raw = np.ascontiguousarray(data, dtype=dtype).tobytes()
            buf = ctypes.create_string_buffer(raw, len(raw))
            self._keep.append(buf)
            size = len(raw)
        self._check(self.lib.mote_writer_add_tensor(self.w, name.encode(), TYPES[dtype], len(shape), _ints(shape),
                                                    buf, ctypes.c_size_t(size), ctypes.byref(index)))
        if scale is not None:
            scales = list(np.atleast_1d(scale).astype(float))
            zps = list(np.atleast_1d(zero_point if zero_point is not None else 0).astype(int))
            if len(zps) == 1 and len(scales) > 1:
                zps = zps * len(scales)
            self._check(self.lib.mote_writer_set_quantization(
                self.w, index, len(scales), (ctypes.c_float * len(scales))(*scales),
                (ctypes.c_int64 * len(zps))(*zps), axis))
        return index.value

    def op(self, code, inputs, outputs, options_type=0, fields=()):
        """fields: (id, kind, value) with value an int, a float or a list of ints."""
        arr = (OptionField * max(1, len(fields)))()
        for k, (fid, kind, value) in enumerate(fields):
            arr[k].id, arr[k].kind = fid, kind
            if kind == FIELD_FLOAT32:
                arr[k].f = value
            elif kind == FIELD_INT32_VECTOR:
                vec = _ints(value)
                self._keep.append(vec)
                arr[k].ints, arr[k].count = vec, len(value)
            else:
                arr[k].i = int(value)
        ins, outs = _ints(inputs), _ints(outputs)
        op = WriterOp(code, None, 0, len(inputs), ins, len(outputs), outs, 0, None, options_type, len(fields),
                      arr if fields else None, None, 0)
        self._check(self.lib.mote_writer_add_op(self.w, ctypes.byref(op), None))

    def save(self, path, inputs, outputs):
        self._check(self.lib.mote_writer_set_inputs(self.w, len(inputs), _ints(inputs)))
        self._check(self.lib.mote_writer_set_outputs(self.w, len(outputs), _ints(outputs)))
        self._check(self.lib.mote_writer_save(self.w, path.encode()))

    def close(self):
        if self.w:
            self.lib.mote_writer_destroy(self.w)
            self.w = None
