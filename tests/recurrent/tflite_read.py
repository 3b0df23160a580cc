"""tflite_read.py — a small read-only .tflite (FlatBuffer, schema v3) reader for the recurrent
tests: tensors (shape, type, quantization, constant data as NumPy arrays), operators (builtin
code, inputs, outputs, intermediates, raw options table). Only what the tests need."""
import struct

import numpy as np

# TensorType -> NumPy dtype (the types these tests meet).
DTYPES = {0: np.float32, 2: np.int32, 3: np.uint8, 4: np.int64, 6: np.bool_, 7: np.int16, 9: np.int8}


class Table:
    """A FlatBuffer table at byte position pos of buf."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt_len = struct.unpack_from("<H", buf, vt)[0]
        self.vt = vt

    def _field(self, fid):
        off = 4 + 2 * fid
        if off >= self.vt_len:
            return 0
        return struct.unpack_from("<H", self.buf, self.vt + off)[0]

    def scalar(self, fid, fmt, default=0):
        o = self._field(fid)
        return struct.unpack_from("<" + fmt, self.buf, self.pos + o)[0] if o else default

    def _indirect(self, fid):
        o = self._field(fid)
        if not o:
            return None
        p = self.pos + o
        return p + struct.unpack_from("<I", self.buf, p)[0]

    def table(self, fid):
        p = self._indirect(fid)
        return Table(self.buf, p) if p is not None else None

    def vector(self, fid, fmt):
        p = self._indirect(fid)
        if p is None:
            return None
        n = struct.unpack_from("<I", self.buf, p)[0]
        return list(struct.unpack_from("<%d%s" % (n, fmt), self.buf, p + 4))

    def vector_bytes(self, fid):
        p = self._indirect(fid)
        if p is None:
            return None
        n = struct.unpack_from("<I", self.buf, p)[0]
        return self.buf[p + 4:p + 4 + n]

    def tables(self, fid):
        p = self._indirect(fid)
        if p is None:
            return []
        n = struct.unpack_from("<I", self.buf, p)[0]
        out = []
        for i in range(n):
            q = p + 4 + 4 * i
            out.append(Table(self.buf, q + struct.unpack_from("<I", self.buf, q)[0]))
        return out

    def string(self, fid):
        b = self.vector_bytes(fid)
        return b.decode("utf-8", "replace") if b is not None else ""


class Tensor:
    def __init__(self, model, t):
        self.name = t.string(3)
        self.shape = t.vector(0, "i") or []
        self.type = t.scalar(1, "b")
        self.is_variable = bool(t.scalar(5, "B"))
        q = t.table(4)
        self.scale = (q.vector(2, "f") if q else None) or []
        self.zero_point = (q.vector(3, "q") if q else None) or []
        buf = model.buffers[t.scalar(2, "I")]
        raw = buf.vector_bytes(0) if buf else None
        if raw is None and buf is not None and buf.scalar(1, "Q") > 1:
            off, size = buf.scalar(1, "Q"), buf.scalar(2, "Q")
            raw = model.data[off:off + size]
        self.data = None
        if raw:
            self.data = np.frombuffer(bytes(raw), dtype=DTYPES[self.type]).reshape(self.shape)


class Operator:
    def __init__(self, model, o):
        code = model.opcodes[o.scalar(0, "I")]
        self.code = max(code.scalar(0, "b"), code.scalar(3, "i"))
        self.inputs = o.vector(1, "i") or []
        self.outputs = o.vector(2, "i") or []
        self.intermediates = o.vector(8, "i") or []
        self.options = o.table(4)


class Model:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        root = Table(self.data, struct.unpack_from("<I", self.data, 0)[0])
        self.opcodes = root.tables(1)
        self.buffers = root.tables(4)
        sg = root.tables(2)[0]
        self.tensors = [Tensor(self, t) for t in sg.tables(0)]
        self.inputs = sg.vector(1, "i") or []
        self.outputs = sg.vector(2, "i") or []
        self.operators = [Operator(self, o) for o in sg.tables(3)]

    def tensor(self, index):
        return self.tensors[index] if index >= 0 else None
