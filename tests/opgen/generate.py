#!/usr/bin/env python3
"""generate.py — Mote's own single-operator test cases: small models written with Mote's
writer (include/mote_writer.h, through ctypes on libmote.so), seeded random inputs and
expected outputs, in the golden layout of ../shared/golden (model.tflite, in<i>.bin,
out<i>.bin, meta.json) under tests/opgen/cases/<OP>/<case>/.

Expected outputs:
  float32  TensorFlow Lite itself: the oracle in ../shared/oracle (LiteRT under Node.js).
  int8     Mote's reference kernels (`mote run --reference`), kept only when the oracle's
           own int8 run agrees within 1 LSB everywhere (TensorFlow Lite's XNNPACK and
           optimized kernels round some int8 steps differently from its reference
           kernels, which Mote follows exactly: see ../shared/README.md). Their
           quantization is derived from the float case: inputs and outputs take the range
           of the float data and of the oracle's float output, weights are per-channel
           symmetric, biases int32 at input scale x weight scale.

Regenerate (needs Node.js and the oracle installed: copy ../shared/oracle somewhere
writable and `npm ci` there):
  cmake --build build && /usr/bin/python3 tests/opgen/generate.py --lib build/libmote.so \\
      --mote build/tools/mote --oracle /path/to/oracle
The test (tests/cmake/opgen.cmake, tests/opgen/run_opgen.py) needs none of that.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import writer as W  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Builtin codes and options tables (TensorFlow Lite schema).
OPS = {"ADD": (0, 11), "SUB": (41, 28), "MUL": (18, 21), "CONV_2D": (3, 1), "DEPTHWISE_CONV_2D": (4, 2),
       "FULLY_CONNECTED": (9, 8), "AVERAGE_POOL_2D": (1, 5), "MAX_POOL_2D": (17, 5), "SOFTMAX": (25, 9),
       "RESHAPE": (22, 17), "TRANSPOSE": (39, 26), "CONCATENATION": (2, 10), "PAD": (34, 22),
       "STRIDED_SLICE": (45, 32), "MEAN": (40, 27)}
ACT = {"none": 0, "relu": 1, "relu_n1_to_1": 2, "relu6": 3}
SAME, VALID = 0, 1


class T:
    """A tensor of a case. role: x (an input), w (weights; axis = the output channel), b
    (bias), c (an int32 constant argument), y (an output)."""

    def __init__(self, role, shape, data=None, axis=0, same_as=None):
        self.role, self.shape, self.data, self.axis, self.same_as = role, list(shape), data, axis, same_as


class Case:
    def __init__(self, op, name, tensors, fields=(), out_quant=None):
        self.op, self.name, self.tensors, self.fields, self.out_quant = op, name, tensors, list(fields), out_quant


def act_field(fid, act):
    return (fid, W.FIELD_INT8, ACT[act])


# ---- the cases ----

def binary_cases(rng):
    cases = []
    shapes = [([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([1, 4, 1], [3, 1, 5]), ([2, 1, 3], [2, 4, 1]),
              ([3, 5], [1]), ([1, 2, 2, 3], [1, 1, 1, 3])]
    for op in ("ADD", "SUB", "MUL"):
        for k, (a, b) in enumerate(shapes):
            act = ["none", "relu", "relu6", "relu_n1_to_1", "none", "relu"][k]
            out = list(np.broadcast_shapes(tuple(a), tuple(b)))
            name = f"{'-'.join(map(str, a))}x{'-'.join(map(str, b))}_{act}"
            cases.append(Case(op, name, [T("x", a), T("x", b), T("y", out)], [act_field(0, act)]))
    return cases


def conv_out(size, k, stride, dilation, padding):
    eff = (k - 1) * dilation + 1
    return (size + stride - 1) // stride if padding == SAME else (size - eff) // stride + 1


def conv_cases(rng):
    cases = []
    # (input HWC, out channels, kernel hw, stride hw, dilation hw, padding, activation)
    for hwc, oc, k, s, d, pad, act in [
            ((5, 5, 2), 3, (3, 3), (1, 1), (1, 1), SAME, "none"),
            ((7, 6, 3), 4, (3, 3), (2, 2), (1, 1), VALID, "relu"),
            ((4, 4, 5), 2, (1, 1), (1, 1), (1, 1), VALID, "none"),
            ((9, 9, 2), 3, (5, 5), (2, 2), (1, 1), SAME, "relu6"),
            ((8, 8, 3), 2, (3, 3), (1, 1), (2, 2), SAME, "none"),
            ((6, 7, 2), 3, (2, 3), (2, 1), (1, 1), SAME, "relu_n1_to_1"),
            ((7, 7, 4), 5, (3, 2), (1, 2), (2, 1), VALID, "relu"),
            ((3, 3, 8), 8, (3, 3), (1, 1), (1, 1), VALID, "none")]:
        h, w_, c = hwc
        oh, ow = conv_out(h, k[0], s[0], d[0], pad), conv_out(w_, k[1], s[1], d[1], pad)
        name = (f"{h}x{w_}x{c}_k{k[0]}x{k[1]}_s{s[0]}{s[1]}_d{d[0]}{d[1]}_"
                f"{'same' if pad == SAME else 'valid'}_{act}")
        wt = rng.uniform(-0.5, 0.5, (oc, k[0], k[1], c)).astype(np.float32)
        bias = rng.uniform(-0.3, 0.3, oc).astype(np.float32)
        cases.append(Case("CONV_2D", name,
                          [T("x", [1, h, w_, c]), T("w", wt.shape, wt, 0), T("b", [oc], bias), T("y", [1, oh, ow, oc])],
                          [(0, W.FIELD_INT8, pad), (1, W.FIELD_INT32, s[1]), (2, W.FIELD_INT32, s[0]),
                           act_field(3, act), (4, W.FIELD_INT32, d[1]), (5, W.FIELD_INT32, d[0])]))
    for hwc, mult, k, s, d, pad, act in [
            ((5, 5, 3), 1, (3, 3), (1, 1), (1, 1), SAME, "none"),
            ((7, 7, 2), 2, (3, 3), (2, 2), (1, 1), VALID, "relu6"),
            ((8, 6, 4), 1, (3, 3), (1, 1), (2, 2), SAME, "relu"),
            ((6, 6, 3), 2, (2, 2), (2, 2), (1, 1), SAME, "none"),
            ((5, 7, 8), 1, (5, 3), (1, 2), (1, 1), VALID, "relu_n1_to_1"),
            ((4, 4, 1), 3, (3, 3), (1, 1), (1, 1), SAME, "relu")]:
        h, w_, c = hwc
        oc = c * mult
        oh, ow = conv_out(h, k[0], s[0], d[0], pad), conv_out(w_, k[1], s[1], d[1], pad)
        name = (f"{h}x{w_}x{c}_m{mult}_k{k[0]}x{k[1]}_s{s[0]}{s[1]}_d{d[0]}{d[1]}_"
                f"{'same' if pad == SAME else 'valid'}_{act}")
        wt = rng.uniform(-0.5, 0.5, (1, k[0], k[1], oc)).astype(np.float32)
        bias = rng.uniform(-0.3, 0.3, oc).astype(np.float32)
        cases.append(Case("DEPTHWISE_CONV_2D", name,
                          [T("x", [1, h, w_, c]), T("w", wt.shape, wt, 3), T("b", [oc], bias), T("y", [1, oh, ow, oc])],
                          [(0, W.FIELD_INT8, pad), (1, W.FIELD_INT32, s[1]), (2, W.FIELD_INT32, s[0]),
                           (3, W.FIELD_INT32, mult), act_field(4, act), (5, W.FIELD_INT32, d[1]),
                           (6, W.FIELD_INT32, d[0])]))
    return cases


def fc_cases(rng):
    cases = []
    for batch, n_in, n_out, bias, act in [(2, 8, 4, True, "none"), (1, 16, 10, True, "relu"),
                                          (3, 5, 7, False, "relu6"), (4, 12, 3, True, "relu_n1_to_1")]:
        wt = rng.uniform(-0.5, 0.5, (n_out, n_in)).astype(np.float32)
        ts = [T("x", [batch, n_in]), T("w", wt.shape, wt, 0)]
        ts.append(T("b", [n_out], rng.uniform(-0.3, 0.3, n_out).astype(np.float32)) if bias else None)
        ts.append(T("y", [batch, n_out]))
        cases.append(Case("FULLY_CONNECTED", f"{batch}x{n_in}_to_{n_out}_{'bias' if bias else 'nobias'}_{act}", ts,
                          [act_field(0, act)]))
    return cases


def pool_cases(rng):
    cases = []
    for op in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        for hwc, f, s, pad, act in [((4, 4, 2), (2, 2), (2, 2), VALID, "none"),
                                    ((5, 5, 3), (3, 3), (1, 1), SAME, "none"),
                                    ((7, 6, 2), (3, 3), (2, 2), SAME, "relu6"),
                                    ((6, 8, 4), (2, 3), (2, 1), VALID, "relu")]:
            h, w_, c = hwc
            oh, ow = conv_out(h, f[0], s[0], 1, pad), conv_out(w_, f[1], s[1], 1, pad)
            name = f"{h}x{w_}x{c}_f{f[0]}x{f[1]}_s{s[0]}{s[1]}_{'same' if pad == SAME else 'valid'}_{act}"
            cases.append(Case(op, name, [T("x", [1, h, w_, c]), T("y", [1, oh, ow, c], same_as=0)],
                              [(0, W.FIELD_INT8, pad), (1, W.FIELD_INT32, s[1]), (2, W.FIELD_INT32, s[0]),
                               (3, W.FIELD_INT32, f[1]), (4, W.FIELD_INT32, f[0]), act_field(5, act)]))
    return cases


def softmax_cases(rng):
    return [Case("SOFTMAX", f"{'-'.join(map(str, shape))}_beta{beta}", [T("x", shape), T("y", shape)],
                 [(0, W.FIELD_FLOAT32, beta)], out_quant=(1.0 / 256, -128))
            for shape, beta in [([2, 5], 1.0), ([1, 10], 0.5), ([1, 2, 3, 4], 1.0)]]


def shape_cases(rng):
    cases = []
    for shape, new in [([2, 3, 4], [6, 4]), ([2, 3, 4], [4, -1]), ([1, 12], [2, 2, 3])]:
        out = list(np.empty(shape).reshape(new).shape)
        cases.append(Case("RESHAPE", f"{'-'.join(map(str, shape))}_to_{'-'.join(map(str, new))}",
                          [T("x", shape), T("c", [len(new)], np.array(new, np.int32)), T("y", out, same_as=0)]))
    for shape, perm in [([2, 3], [1, 0]), ([2, 3, 4], [2, 0, 1]), ([1, 2, 3, 4], [0, 3, 1, 2]),
                        ([2, 3, 2, 3], [3, 2, 1, 0])]:
        out = [shape[p] for p in perm]
        cases.append(Case("TRANSPOSE", f"{'-'.join(map(str, shape))}_perm{''.join(map(str, perm))}",
                          [T("x", shape), T("c", [len(perm)], np.array(perm, np.int32)), T("y", out, same_as=0)]))
    for shapes, axis in [([[2, 3], [4, 3]], 0), ([[2, 3], [2, 1], [2, 2]], 1), ([[1, 2, 2, 3], [1, 2, 2, 1]], -1)]:
        out = list(np.concatenate([np.empty(s) for s in shapes], axis=axis).shape)
        ts = [T("x", s) for s in shapes] + [T("y", out, same_as=0)]
        cases.append(Case("CONCATENATION", f"{len(shapes)}in_axis{axis}_{'-'.join(map(str, shapes[0]))}", ts,
                          [(0, W.FIELD_INT32, axis), act_field(1, "none")]))
    for shape, pads in [([2, 3], [[1, 0], [2, 1]]), ([1, 3, 3, 2], [[0, 0], [1, 1], [2, 0], [0, 1]]),
                        ([4], [[3, 2]])]:
        out = [s + p[0] + p[1] for s, p in zip(shape, pads)]
        cases.append(Case("PAD", f"{'-'.join(map(str, shape))}_pads{''.join(str(v) for p in pads for v in p)}",
                          [T("x", shape), T("c", [len(shape), 2], np.array(pads, np.int32)),
                           T("y", out, same_as=0)]))
    # begin, end, strides, begin_mask, end_mask, shrink_axis_mask
    for shape, b, e, st, bm, em, sm in [([4, 5], [1, 0], [3, 5], [1, 2], 0, 0, 0),
                                        ([4, 5], [-1, 4], [0, 0], [-1, -2], 0, 1, 0),
                                        ([2, 6, 3], [0, 1, 0], [2, 6, 3], [1, 2, 2], 1, 4, 0),
                                        ([3, 4, 2], [1, 0, 1], [2, 4, 2], [1, 1, 1], 0, 2, 1),
                                        ([6], [-5], [-1], [2], 0, 0, 0)]:
        sl = []
        for d in range(len(shape)):
            if sm >> d & 1:
                sl.append(b[d])
            else:
                sl.append(slice(None if bm >> d & 1 else b[d], None if em >> d & 1 else e[d], st[d]))
        out = list(np.empty(shape)[tuple(sl)].shape)
        name = f"{'-'.join(map(str, shape))}_b{'.'.join(map(str, b))}_e{'.'.join(map(str, e))}_s{'.'.join(map(str, st))}"
        name += f"_m{bm}{em}{sm}"
        n = len(shape)
        cases.append(Case("STRIDED_SLICE", name,
                          [T("x", shape), T("c", [n], np.array(b, np.int32)), T("c", [n], np.array(e, np.int32)),
                           T("c", [n], np.array(st, np.int32)), T("y", out, same_as=0)],
                          [(0, W.FIELD_INT32, bm), (1, W.FIELD_INT32, em), (4, W.FIELD_INT32, sm)]))
    for shape, axes, keep in [([2, 3, 4], [1], False), ([1, 4, 4, 3], [1, 2], True), ([3, 5], [-1], True),
                              ([2, 3, 4], [0, 2], False)]:
        out = list(np.empty(shape).mean(axis=tuple(axes), keepdims=keep).shape)
        cases.append(Case("MEAN", f"{'-'.join(map(str, shape))}_axes{'.'.join(map(str, axes))}_{'keep' if keep else 'drop'}",
                          [T("x", shape), T("c", [len(axes)], np.array(axes, np.int32)), T("y", out)],
                          [(0, W.FIELD_BOOL, keep)]))
    return cases


def all_cases(rng):
    return binary_cases(rng) + conv_cases(rng) + fc_cases(rng) + pool_cases(rng) + softmax_cases(rng) + shape_cases(rng)


# Which float cases also get an int8 twin (the operator list; shape ops all do).
INT8_OPS = set(OPS)


# ---- quantization ----

def range_params(lo, hi):
    """int8 scale and zero point covering [lo, hi] (with 0 inside)."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi - lo < 1e-6:
        hi = lo + 1e-6
    scale = (hi - lo) / 255.0
    zp = int(np.clip(round(-128 - lo / scale), -128, 127))
    return scale, zp


def quantize(x, scale, zp):
    return np.clip(np.round(x / scale) + zp, -128, 127).astype(np.int8)


# ---- building and running ----

def build(lib, path, case, dtype, data, quant):
    """Writes the model; data[i] is the float (or int) data of tensor i for constants.
    quant[i] is (scale, zero_point[, axis]) or None. Returns (input ids, output ids, ids)."""
    w = W.Writer(lib)
    ids, ins, outs = [], [], []
    try:
        for i, t in enumerate(case.tensors):
            if t is None:
                ids.append(-1)
                continue
            q = quant[i] if quant else None
            kw = {} if q is None else {"scale": q[0], "zero_point": q[1], "axis": q[2] if len(q) > 2 else 0}
            if t.role in ("x", "y"):
                ids.append(w.tensor(f"{t.role}{i}", dtype, t.shape, **kw))
                (ins if t.role == "x" else outs).append(ids[-1])
            elif t.role == "c":
                ids.append(w.tensor(f"c{i}", "int32", t.shape, data[i]))
            elif t.role == "w":
                ids.append(w.tensor(f"w{i}", dtype, t.shape, data[i], **kw))
            else:
                ids.append(w.tensor(f"b{i}", "float32" if dtype == "float32" else "int32", t.shape, data[i], **kw))
        code, options = OPS[case.op]
        op_in = [ids[i] for i, t in enumerate(case.tensors) if t is None or t.role != "y"]
        w.op(code, op_in, outs, options, case.fields)
        w.save(path, ins, outs)
    finally:
        w.close()
    return ins, outs


def tensor_meta(index, prefix, tid, t, dtype, q):
    shape = t.shape
    count = int(np.prod(shape)) if shape else 1
    return {"index": index, "file": f"{prefix}{index}.bin", "name": f"{t.role}{tid}", "tensor_index": tid,
            "tensor_name": f"{t.role}{tid}", "dtype": dtype, "shape": shape,
            "bytes": count * np.dtype(dtype).itemsize,
            "quantization": None if q is None else {"scale": [q[0]], "zero_point": [q[1]], "quantized_dimension": 0}}


def save_meta(folder, meta):
    text = json.dumps(meta, indent=2)
    # Lists of numbers (shapes, scales) on one line.
    text = re.sub(r"\[\s*([-0-9.e,\s]+?)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]",
                  text)
    with open(os.path.join(folder, "meta.json"), "w") as f:
        f.write(text + "\n")


def write_case(folder, case, dtype, model, inputs, outputs, quant, arrays, runtime, seed):
    os.makedirs(folder, exist_ok=True)
    shutil.copy(model, os.path.join(folder, "model.tflite"))
    xs = [i for i, t in enumerate(case.tensors) if t is not None and t.role == "x"]
    ys = [i for i, t in enumerate(case.tensors) if t is not None and t.role == "y"]
    meta = {"model": "model.tflite", "model_bytes": os.path.getsize(model), "runtime": runtime,
            "signature": None, "input_source": {"random_seed": seed, "generator": "tests/opgen/generate.py"},
            "inputs": [tensor_meta(k, "in", inputs[k], case.tensors[i], dtype, quant[i] if quant else None)
                       for k, i in enumerate(xs)],
            "outputs": [tensor_meta(k, "out", outputs[k], case.tensors[i], dtype, quant[i] if quant else None)
                        for k, i in enumerate(ys)]}
    for k, a in enumerate(arrays):
        a.tofile(os.path.join(folder, f"in{k}.bin"))
    save_meta(folder, meta)
    return meta


def run_oracle(oracle, model, folder, n_in, out_dir):
    cmd = ["node", os.path.join(oracle, "tflite-run.mjs"), model]
    for k in range(n_in):
        cmd += ["--in", os.path.join(folder, f"in{k}.bin")]
    cmd += ["--out-dir", out_dir]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=oracle)
    if r.returncode != 0:
        raise RuntimeError(f"oracle failed on {model}: {r.stderr.strip()[-400:]}")
    with open(os.path.join(out_dir, "meta.json")) as f:
        return json.load(f)


def read_outputs(out_dir, meta, dtype):
    return [np.fromfile(os.path.join(out_dir, o["file"]), dtype=dtype) for o in meta["outputs"]]


def float_case(args, case, rng, tmp, seed):
    """Makes the float32 case; returns (folder, float data by tensor, input arrays, outputs)."""
    data = [t.data if t is not None else None for t in case.tensors]
    arrays = [rng.uniform(-1, 1, t.shape).astype(np.float32) for t in case.tensors if t is not None and t.role == "x"]
    folder = os.path.join(args.out, case.op, f"f32_{case.name}")
    model = os.path.join(tmp, "model.tflite")
    ins, outs = build(args.lib, model, case, "float32", data, None)
    runtime = {"name": "litert-wasm (../shared/oracle)", "variant": "builtin kernels + XNNPACK", "threads": 1}
    meta = write_case(folder, case, "float32", model, ins, outs, None, arrays, runtime, seed)
    got = run_oracle(args.oracle, model, folder, len(arrays), os.path.join(tmp, "oracle"))
    for k, o in enumerate(meta["outputs"]):
        if got["outputs"][k]["shape"] != o["shape"]:
            raise RuntimeError(f"{folder}: the oracle's output shape {got['outputs'][k]['shape']} "
                               f"differs from {o['shape']}")
        shutil.copy(os.path.join(tmp, "oracle", got["outputs"][k]["file"]), os.path.join(folder, o["file"]))
    return folder, data, arrays, read_outputs(folder, meta, np.float32)


def int8_case(args, case, data, arrays, float_outs, tmp, seed):
    """The int8 twin of a float case. Returns (folder, worst LSB distance to the oracle), or
    (None, reason) when the case is dropped."""
    quant = [None] * len(case.tensors)
    qdata = list(data)
    qarrays = []
    xs = [i for i, t in enumerate(case.tensors) if t is not None and t.role == "x"]
    for k, i in enumerate(xs):
        quant[i] = range_params(arrays[k].min(), arrays[k].max())
        qarrays.append(quantize(arrays[k], *quant[i]))
    for i, t in enumerate(case.tensors):
        if t is None:
            continue
        if t.role == "w":
            moved = np.moveaxis(t.data, t.axis, 0).reshape(t.shape[t.axis], -1)
            scales = np.maximum(np.abs(moved).max(axis=1), 1e-6) / 127.0
            shape = [1] * len(t.shape)
            shape[t.axis] = -1
            qdata[i] = np.clip(np.round(t.data / scales.reshape(shape)), -127, 127).astype(np.int8)
            quant[i] = (list(scales), [0] * len(scales), t.axis)
            w_scales = scales
    for i, t in enumerate(case.tensors):
        if t is not None and t.role == "b":
            s = quant[xs[0]][0] * w_scales
            qdata[i] = np.round(t.data / s).astype(np.int32)
            quant[i] = (list(s), [0] * len(s), 0)
    ys = [i for i, t in enumerate(case.tensors) if t is not None and t.role == "y"]
    for k, i in enumerate(ys):
        t = case.tensors[i]
        if case.out_quant:
            quant[i] = case.out_quant
        elif t.same_as is not None:
            quant[i] = quant[xs[t.same_as]]
        else:
            quant[i] = range_params(float_outs[k].min(), float_outs[k].max())
    if case.op == "CONCATENATION":  # one scale for all inputs: a plain copy
        for i in xs:
            quant[i] = quant[xs[0]]
        qarrays = [quantize(arrays[k], *quant[xs[0]]) for k in range(len(xs))]
    folder = os.path.join(args.out, case.op, f"i8_{case.name}")
    model = os.path.join(tmp, "model_i8.tflite")
    ins, outs = build(args.lib, model, case, "int8", qdata, quant)
    runtime = {"name": "mote", "variant": "reference kernels, checked against the oracle within 1 LSB", "threads": 1}
    meta = write_case(folder, case, "int8", model, ins, outs, quant, qarrays, runtime, seed)
    mote_dir = os.path.join(tmp, "mote")
    r = subprocess.run([args.mote, "run", os.path.join(folder, "model.tflite"), "--inputs-from", folder,
                        "--output-dir", mote_dir, "--reference", "--quiet"], capture_output=True, text=True)
    if r.returncode != 0:
        shutil.rmtree(folder)
        return None, f"mote --reference failed: {r.stderr.strip()[:200]}"
    got = run_oracle(args.oracle, os.path.join(folder, "model.tflite"), folder, len(qarrays), os.path.join(tmp, "oracle8"))
    worst = 0
    for k, o in enumerate(meta["outputs"]):
        mine = np.fromfile(os.path.join(mote_dir, o["file"]), dtype=np.int8).astype(int)
        theirs = np.fromfile(os.path.join(tmp, "oracle8", got["outputs"][k]["file"]), dtype=np.int8).astype(int)
        if mine.shape != theirs.shape:
            shutil.rmtree(folder)
            return None, "output sizes differ from the oracle's"
        worst = max(worst, int(np.abs(mine - theirs).max()) if mine.size else 0)
        shutil.copy(os.path.join(mote_dir, o["file"]), os.path.join(folder, o["file"]))
    if worst > 1:
        shutil.rmtree(folder)
        return None, f"the oracle differs by {worst} LSB"
    meta["runtime"]["oracle_max_lsb"] = worst
    save_meta(folder, meta)
    return folder, worst


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lib", required=True, help="a built libmote.so (its writer makes the models)")
    p.add_argument("--mote", required=True, help="the mote executable (int8 expectations)")
    p.add_argument("--oracle", required=True, help="an installed copy of ../shared/oracle")
    p.add_argument("--out", default=os.path.join(HERE, "cases"))
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    args.lib, args.mote, args.oracle = (os.path.abspath(a) for a in (args.lib, args.mote, args.oracle))
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    rng = np.random.default_rng(args.seed)
    cases = all_cases(rng)
    made, dropped = 0, []
    with tempfile.TemporaryDirectory(prefix="opgen-") as tmp:
        for case in cases:
            folder, data, arrays, outs = float_case(args, case, rng, tmp, args.seed)
            made += 1
            if case.op in INT8_OPS:
                folder8, info = int8_case(args, case, data, arrays, outs, tmp, args.seed)
                if folder8:
                    made += 1
                else:
                    dropped.append(f"{case.op}/i8_{case.name}: {info}")
    print(f"{made} cases in {os.path.relpath(args.out)}")
    for d in dropped:
        print(f"dropped {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
