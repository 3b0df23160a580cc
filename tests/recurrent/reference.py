"""reference.py — a float64 NumPy executor for the shared recurrent models, written from the
published equations, not from any runtime's code: LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM
(CIFG, peephole, projection, layer normalization, cell and projection clipping), SVDF,
FULLY_CONNECTED, RESHAPE, SOFTMAX and QUANTIZE.

Quantized models run on real values: weights are dequantized (scale * (q - zero_point)) and,
with fake_quant=True, every quantized activation (each operator's output, and the LSTM's
hidden and cell state at every step, the SVDF state) is rounded to its grid and clamped to
its type's range, so the reference sees the same saturation the integer model does."""
import numpy as np

from tflite_read import DTYPES

OP_FULLY_CONNECTED, OP_LSTM, OP_RESHAPE, OP_SOFTMAX = 9, 16, 22, 25
OP_SVDF, OP_UNIDIRECTIONAL_SEQUENCE_LSTM, OP_QUANTIZE = 27, 44, 114

# ActivationFunctionType
ACT_NONE, ACT_RELU, ACT_RELU_N1_TO_1, ACT_RELU6, ACT_TANH = 0, 1, 2, 3, 4


def activate(x, act):
    if act == ACT_RELU:
        return np.maximum(x, 0.0)
    if act == ACT_RELU_N1_TO_1:
        return np.clip(x, -1.0, 1.0)
    if act == ACT_RELU6:
        return np.clip(x, 0.0, 6.0)
    if act == ACT_TANH:
        return np.tanh(x)
    return x


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def real(t):
    """A constant tensor's real values (float64): dequantized when quantized."""
    if t is None or t.data is None:
        return None
    v = t.data.astype(np.float64)
    if t.scale and t.type != 0:
        v = (v - (t.zero_point[0] if t.zero_point else 0)) * t.scale[0]
    return v


class Executor:
    def __init__(self, model, fake_quant=False):
        self.m = model
        self.fake_quant = fake_quant
        self.state = {}  # variable tensors' real values, by tensor index

    def fq(self, x, t):
        """x rounded to tensor t's quantization grid and clamped to its type's range."""
        if not self.fake_quant or t is None or not t.scale or t.type == 0:
            return x
        info = np.iinfo(DTYPES[t.type])
        s, zp = t.scale[0], (t.zero_point[0] if t.zero_point else 0)
        q = np.clip(np.round(x / s) + zp, info.min, info.max)
        return (q - zp) * s

    def reset(self):
        self.state = {}

    def var(self, index, shape):
        if index not in self.state:
            self.state[index] = np.zeros(shape)
        return self.state[index]

    def run(self, inputs):
        """inputs: real values for the model's inputs, in order. Returns the outputs' real values."""
        vals = {}
        for i, x in zip(self.m.inputs, inputs):
            vals[i] = np.asarray(x, dtype=np.float64)
        for op in self.m.operators:
            def get(k):
                if k >= len(op.inputs) or op.inputs[k] < 0:
                    return None
                idx = op.inputs[k]
                t = self.m.tensors[idx]
                return vals[idx] if idx in vals else real(t)
            out_t = self.m.tensors[op.outputs[0]]
            if op.code == OP_QUANTIZE:
                y = get(0)
            elif op.code == OP_RESHAPE:
                y = get(0).reshape(out_t.shape)
            elif op.code == OP_FULLY_CONNECTED:
                x, w, b = get(0), get(1), get(2)
                y = x.reshape(-1, w.shape[1]) @ w.T + (b if b is not None else 0.0)
                y = activate(y, op.options.scalar(0, "b") if op.options else 0)
            elif op.code == OP_SOFTMAX:
                beta = op.options.scalar(0, "f", 1.0) if op.options else 1.0
                x = get(0) * beta
                e = np.exp(x - x.max(axis=-1, keepdims=True))
                y = e / e.sum(axis=-1, keepdims=True)
            elif op.code in (OP_LSTM, OP_UNIDIRECTIONAL_SEQUENCE_LSTM):
                y = self.lstm(op, get)
            elif op.code == OP_SVDF:
                y = self.svdf(op, get)
            else:
                raise NotImplementedError("operator %d" % op.code)
            vals[op.outputs[0]] = self.fq(y, out_t)
        return [vals[i] for i in self.m.outputs]

    def lstm(self, op, get):
        opt = op.options
        act = opt.scalar(0, "b") if opt else 0
        cell_clip = opt.scalar(1, "f") if opt else 0.0
        proj_clip = opt.scalar(2, "f") if opt else 0.0
        sequence = op.code == OP_UNIDIRECTIONAL_SEQUENCE_LSTM
        time_major = bool(opt.scalar(3, "B")) if (opt and sequence) else False
        x = get(0)
        if not sequence:
            x = x[:, None, :]              # [batch, 1, input]
        elif time_major:
            x = x.transpose(1, 0, 2)       # -> [batch, time, input]
        W = [get(1 + g) for g in range(4)]     # input weights, gates i, f, c, o
        R = [get(5 + g) for g in range(4)]     # recurrent weights
        P = [get(9), get(10), None, get(11)]   # peephole (no cell entry)
        B = [get(12 + g) for g in range(4)]
        N = [get(20 + g) for g in range(4)]    # layer-norm coefficients
        proj_w, proj_b = get(16), get(17)
        h_t, c_t = self.m.tensors[op.inputs[18]], self.m.tensors[op.inputs[19]]
        n_batch, n_cell, n_out = x.shape[0], W[3].shape[0], R[3].shape[1]
        h_all = self.var(op.inputs[18], (n_batch, n_out))
        c_all = self.var(op.inputs[19], (n_batch, n_cell))
        cifg = W[0] is None
        out = np.zeros((x.shape[0], x.shape[1], n_out))

        def gate(g, xt, h, c, fn):
            z = W[g] @ xt + R[g] @ h
            if P[g] is not None:
                z = z + P[g] * c
            if N[g] is not None:  # layer normalization: normalize, scale, then the bias
                mean = z.mean()
                z = (z - mean) / np.sqrt(((z - mean) ** 2).mean() + 1e-8) * N[g] + B[g]
            else:
                z = z + B[g]
            return fn(z)

        for b in range(n_batch):
            h, c = h_all[b].copy(), c_all[b].copy()
            for t in range(x.shape[1]):
                xt = x[b, t]
                f = gate(1, xt, h, c, sigmoid)
                i = 1.0 - f if cifg else gate(0, xt, h, c, sigmoid)
                g = gate(2, xt, h, c, lambda z: activate(z, act))
                c = f * c + i * g
                if cell_clip > 0:
                    c = np.clip(c, -cell_clip, cell_clip)
                c = self.fq(c, c_t)
                o = gate(3, xt, h, c, sigmoid)  # the peephole sees the new cell state
                h = o * activate(c, act)
                if proj_w is not None:
                    h = proj_w @ h + (proj_b if proj_b is not None else 0.0)
                    if proj_clip > 0:
                        h = np.clip(h, -proj_clip, proj_clip)
                h = self.fq(h, h_t)
                out[b, t] = h
            h_all[b], c_all[b] = h, c
        if not sequence:
            return out[:, 0, :]
        return out.transpose(1, 0, 2) if time_major else out

    def svdf(self, op, get):
        rank = op.options.scalar(0, "i")
        act = op.options.scalar(1, "b")
        x, wf, wt, bias = get(0), get(1), get(2), get(3)
        st_t = self.m.tensors[op.inputs[4]]
        n_batch, (n_filter, n_mem) = x.shape[0], wt.shape
        state = self.var(op.inputs[4], (n_batch, n_filter, n_mem))
        state[:, :, :-1] = state[:, :, 1:].copy()
        state[:, :, -1] = self.fq(x @ wf.T, st_t)
        per_filter = np.einsum("bfm,fm->bf", state, wt)
        y = per_filter.reshape(n_batch, n_filter // rank, rank).sum(axis=2)
        if bias is not None:
            y = y + bias
        return activate(y, act)
