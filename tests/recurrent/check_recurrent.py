#!/usr/bin/python3
"""check_recurrent.py — the recurrent models on meaningful inputs (the goldens use random
inputs, on which several of these models saturate), judged against a float64 reference
written from the published equations (reference.py) and by invariants of the models.

Groups:
  float   lstm, unidirectional_sequence_lstm, trained_lstm: Mote within float rounding of the
          float64 reference, on small slow sequences and drawn digits
  int8    trained_lstm_int8, keras_lstm_mnist_ptq, micro_speech_lstm: outputs are softmax
          probabilities (dequantized, they sum to ~1), close to the reference run with the
          same dequantized weights; trained_lstm_int8 also close to the float trained_lstm;
          drawn digits and the shared "yes" / "no" recordings are recognized
  svdf    keyword_scrambled: softmax probabilities (its weights are scrambled: no meaning to
          compare against; its int32 accumulators wrap, as TensorFlow Lite's do)
Prints one line per check; exits 0 when all pass, 1 on any failure, 77 when the shared
assets are absent or every case needs operators Mote lacks.
usage: check_recurrent.py GROUP [--mote PATH] [--shared DIR]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import inputs  # noqa: E402
from reference import Executor  # noqa: E402
from tflite_read import DTYPES, Model  # noqa: E402

EXIT_SKIP = 77
MOTE_UNSUPPORTED = 3


class Unsupported(Exception):
    pass


class Checker:
    def __init__(self, mote, shared):
        self.mote, self.shared = mote, shared
        self.failures = self.passes = self.skips = 0

    def model_path(self, name):
        return os.path.join(self.shared, "models", name + ".tflite")

    def run(self, name, arrays):
        """Runs Mote once on the given input arrays; returns its outputs as arrays."""
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [self.mote, "run", self.model_path(name), "--quiet", "--output-dir", os.path.join(tmp, "out")]
            for k, a in enumerate(arrays):
                path = os.path.join(tmp, "in%d.bin" % k)
                np.ascontiguousarray(a).tofile(path)
                cmd += ["--input", path]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            if r.returncode == MOTE_UNSUPPORTED:
                raise Unsupported((r.stderr or r.stdout).strip().splitlines()[-1])
            if r.returncode != 0:
                raise RuntimeError("mote run failed: %s" % (r.stderr or r.stdout).strip())
            with open(os.path.join(tmp, "out", "meta.json")) as f:
                meta = json.load(f)
            outs = []
            for o in meta["outputs"]:
                a = np.fromfile(os.path.join(tmp, "out", o["file"]), dtype=np.dtype(o["dtype"]))
                outs.append(a.reshape(o["shape"]))
            return outs

    def report(self, ok, name, detail):
        print("%s %s: %s" % ("ok  " if ok else "FAIL", name, detail))
        if ok:
            self.passes += 1
        else:
            self.failures += 1

    def skip(self, name, why):
        print("SKIP %s: %s" % (name, why))
        self.skips += 1


def dequantize(a, t):
    return (a.astype(np.float64) - t.zero_point[0]) * t.scale[0]


def float_group(c):
    """Float models: Mote against the float64 reference, within float32 rounding (10x tighter
    than compare-outputs.py's bound); trained_lstm must also read most drawn digits right."""
    cases = []
    for seed in range(6):
        cases.append(("lstm", [inputs.slow_sequence(1, 2, seed)], None))
        cases.append(("unidirectional_sequence_lstm", [inputs.slow_sequence(2, 2, 100 + seed)[None]], None))
    for d in range(10):
        cases.append(("trained_lstm", [inputs.digit(d)[None]], d))
    recognized = 0
    for name, xs, label in cases:
        m = Model(c.model_path(name))
        x32 = [x.astype(np.float32) for x in xs]
        try:
            got = c.run(name, x32)[0].astype(np.float64)
        except Unsupported as e:
            c.skip(name, str(e))
            continue
        ref = Executor(m).run([x.astype(np.float64) for x in x32])[0].reshape(got.shape)
        err = float(np.max(np.abs(got - ref)))
        bound = 1e-5 * max(1.0, float(np.max(np.abs(ref))))
        extra = ""
        if name == "trained_lstm":
            extra = ", sum %.6f, top-1 %d" % (got.sum(), int(np.argmax(got)))
            recognized += int(np.argmax(got)) == label
        c.report(err <= bound and np.all(np.isfinite(got)), name,
                 "max |mote - ref| %.3g (bound %.3g)%s" % (err, bound, extra))
    if c.skips == 0:
        c.report(recognized >= 8, "trained_lstm", "%d of 10 drawn digits recognized (at least 8 expected)" % recognized)


def softmax_checks(c, name, probs, ref_probs, tolerance, label):
    total = float(probs.sum())
    c.report(abs(total - 1.0) <= 0.02 * max(1, probs.size // 4) and probs.min() >= 0, name,
             "%s: probabilities sum to %.4f" % (label, total))
    diff = float(np.max(np.abs(probs - ref_probs)))
    c.report(diff <= tolerance, name, "%s: max |p - p_ref| %.4f (bound %.2f), top-1 %d (reference %d)" %
             (label, diff, tolerance, int(np.argmax(probs)), int(np.argmax(ref_probs))))


def int8_group(c):
    # MNIST-like: drawn digits, ink in [0, 1]; most must be read right.
    for name in ("trained_lstm_int8", "keras_lstm_mnist_ptq"):
        m = Model(c.model_path(name))
        t_in, t_out = m.tensors[m.inputs[0]], m.tensors[m.outputs[0]]
        ref_q = Executor(m, fake_quant=True)
        ref_f = Executor(Model(c.model_path("trained_lstm"))) if name == "trained_lstm_int8" else None
        recognized = 0
        for d in range(10):
            img = inputs.digit(d, shift=(d % 3 - 1, 0))[None]
            q = inputs.quantize(img, t_in.scale[0], t_in.zero_point[0], DTYPES[t_in.type])
            x = dequantize(q, t_in)  # what the model sees
            try:
                got = dequantize(c.run(name, [q])[0], t_out)
            except Unsupported as e:
                c.skip(name, str(e))
                break
            recognized += int(np.argmax(got)) == d
            ref_q.reset()
            softmax_checks(c, name, got, ref_q.run([x])[0].reshape(got.shape), 0.05, "digit %d vs its own weights" % d)
            if ref_f:
                # The float model it was quantized from: the same answer where that is sure.
                ref_f.reset()
                p_f = ref_f.run([x])[0].reshape(got.shape)
                diff = float(np.max(np.abs(got - p_f)))
                line = "digit %d vs the float trained_lstm: max |p - p_float| %.4f, top-1 %d (float %d, p %.2f)" % (
                    d, diff, int(np.argmax(got)), int(np.argmax(p_f)), float(p_f.max()))
                if p_f.max() >= 0.9:
                    c.report(diff <= 0.1 and int(np.argmax(got)) == int(np.argmax(p_f)), name, line)
                else:
                    print("info %s: %s (not judged: the float model is unsure)" % (name, line))
        else:
            c.report(recognized >= 8, name, "%d of 10 drawn digits recognized (at least 8 expected)" % recognized)

    # Speech: spectrograms of the shared one-second recordings of "yes" and "no" (classes
    # yes, no, unknown): each word must be recognized.
    name = "micro_speech_lstm"
    m = Model(c.model_path(name))
    t_in, t_out = m.tensors[m.inputs[0]], m.tensors[m.outputs[0]]
    ref_q = Executor(m, fake_quant=True)
    for label, word in enumerate(("yes", "no")):
        samples, rate = inputs.read_wav(os.path.join(c.shared, "models", "data", word + "_1000ms.wav"))
        if rate != 16000:
            c.report(False, name, "%s_1000ms.wav: expected 16 kHz, got %d" % (word, rate))
            continue
        q = inputs.quantize(inputs.spectrogram(samples)[None], t_in.scale[0], t_in.zero_point[0], np.int8)
        try:
            got = dequantize(c.run(name, [q])[0], t_out)
        except Unsupported as e:
            c.skip(name, str(e))
            break
        ref_q.reset()
        what = "'%s' (yes/no/unknown %s)" % (word, np.array2string(got.ravel(), precision=3))
        softmax_checks(c, name, got, ref_q.run([dequantize(q, t_in)])[0].reshape(got.shape), 0.05, what)
        c.report(int(np.argmax(got)) == label, name, "%s recognized" % what)


def svdf_group(c):
    name = "keyword_scrambled"
    m = Model(c.model_path(name))
    t_in, t_out = m.tensors[m.inputs[0]], m.tensors[m.outputs[0]]
    for seed in range(4):
        x = inputs.slow_sequence(1, t_in.shape[1], 200 + seed, amplitude=0.8)
        q = inputs.quantize(x, t_in.scale[0], t_in.zero_point[0], DTYPES[t_in.type])
        try:
            got = dequantize(c.run(name, [q])[0], t_out)
        except Unsupported as e:
            c.skip(name, str(e))
            break
        total = float(got.sum())
        c.report(abs(total - 1.0) <= 0.02 and got.min() >= 0, name,
                 "input %d: probabilities %s sum to %.4f" % (seed, np.array2string(got.ravel(), precision=3), total))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("group", choices=["float", "int8", "svdf"])
    p.add_argument("--mote", required=True)
    p.add_argument("--shared")
    args = p.parse_args()
    shared = os.environ.get("MOTE_SHARED") or args.shared
    if not shared or not os.path.isdir(os.path.join(shared, "models")):
        print("SKIP: the shared assets (../shared) are absent")
        return EXIT_SKIP
    c = Checker(os.path.abspath(args.mote), os.path.abspath(shared))
    {"float": float_group, "int8": int8_group, "svdf": svdf_group}[args.group](c)
    print("%d passed, %d failed, %d skipped" % (c.passes, c.failures, c.skips))
    if c.failures:
        return 1
    return EXIT_SKIP if c.passes == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
