"""test_goldens.py — every reference run in the shared goldens, through the Python API
the way a TensorFlow Lite user runs a model (set_tensor / invoke / get_tensor, or a
signature runner), judged by the shared compare-outputs.py. Models that need operators
Mote does not implement yet are skipped, as the C golden suite does."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import SHARED
from mote.interpreter import Interpreter
from mote import UnsupportedError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden"))
import golden_defects  # noqa: E402


def golden_cases():
    if not SHARED:
        return [pytest.param(None, None, None, marks=pytest.mark.skip(
            reason="the shared assets (../shared or MOTE_SHARED) are absent"), id="no-shared")]
    cases = []
    golden = os.path.join(SHARED, "golden")
    for name in sorted(os.listdir(golden)):
        ref = os.path.join(golden, name)
        if name != "peer" and os.path.isfile(os.path.join(ref, "meta.json")):
            cases.append((name, os.path.join(SHARED, "models", name + ".tflite"), ref))
    peer = os.path.join(golden, "peer")
    if os.path.isdir(peer):
        for name in sorted(os.listdir(peer)):
            ref = os.path.join(peer, name)
            if os.path.isfile(os.path.join(ref, "meta.json")):
                cases.append(("peer/" + name,
                              os.path.join(SHARED, "models", "peer", name + ".tflite"), ref))
    return [pytest.param(*c, id=c[0]) for c in cases]


def parse_strings(raw):
    """TensorFlow Lite's serialized string tensor: int32 count, int32 offsets[count + 1],
    then the bytes."""
    count = int(np.frombuffer(raw, "<i4", 1)[0])
    offsets = np.frombuffer(raw, "<i4", count + 1, 4)
    return [raw[offsets[i]:offsets[i + 1]] for i in range(count)]


def serialize_strings(strings):
    header = 4 * (len(strings) + 2)
    offsets = np.cumsum([header] + [len(s) for s in strings])
    return (np.array([len(strings)], "<i4").tobytes() + offsets.astype("<i4").tobytes() +
            b"".join(strings))


def read_input(ref, entry):
    path = os.path.join(ref, entry["file"])
    if entry["dtype"] == "string":  # as a TFLite user passes strings: an object array of bytes
        with open(path, "rb") as f:
            return np.array(parse_strings(f.read()), dtype=object).reshape(entry["shape"])
    return np.fromfile(path, dtype=np.dtype(entry["dtype"])).reshape(entry["shape"])


def run_subgraph0(interpreter, meta, ref):
    """Plain TFLite use: resize inputs that differ, allocate, set, invoke, get."""
    inputs = [(e, read_input(ref, e)) for e in meta["inputs"]]
    shapes = {d["index"]: d["shape"].tolist() for d in interpreter.get_input_details()}
    for e, value in inputs:
        if shapes.get(e["tensor_index"]) != list(value.shape):
            interpreter.resize_tensor_input(e["tensor_index"], value.shape)
    interpreter.allocate_tensors()
    for e, value in inputs:
        interpreter.set_tensor(e["tensor_index"], value)
    interpreter.invoke()
    return [interpreter.get_tensor(e["tensor_index"]) for e in meta["outputs"]]


def run_signature(interpreter, meta, ref):
    runner = interpreter.get_signature_runner(meta["signature"])
    results = runner(**{e["name"]: read_input(ref, e) for e in meta["inputs"]})
    return [results[e["name"]] for e in meta["outputs"]]


def write_outputs(out_dir, meta, values):
    os.makedirs(out_dir, exist_ok=True)
    entries = []
    for i, (e, value) in enumerate(zip(meta["outputs"], values)):
        value = np.asarray(value)
        name = f"out{i}.bin"
        if value.dtype == object:  # strings, written in TFLite's layout
            data, dtype = serialize_strings([bytes(v) for v in value.ravel()]), "string"
        else:
            data, dtype = np.ascontiguousarray(value).tobytes(), value.dtype.name
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
        entries.append({"index": i, "file": name, "name": e["name"],
                        "tensor_index": e["tensor_index"], "dtype": dtype,
                        "shape": list(value.shape), "bytes": len(data)})
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump({"runtime": {"name": "mote-python"}, "outputs": entries}, f, indent=1)


@pytest.mark.parametrize("name,model,ref", golden_cases())
def test_golden(name, model, ref, tmp_path):
    assert os.path.isfile(model), f"model file for {name} is missing"
    with open(os.path.join(ref, "meta.json")) as f:
        meta = json.load(f)
    try:
        interpreter = Interpreter(model_path=model)
        signature = meta.get("signature")
        if signature and signature != "serving_default":
            values = run_signature(interpreter, meta, ref)
        else:
            values = run_subgraph0(interpreter, meta, ref)
    except UnsupportedError as e:
        pytest.skip(f"{name}: {e}")
    write_outputs(str(tmp_path), meta, values)
    alternate = golden_defects.alternate(name)
    if alternate:  # a golden known to be wrong: the C suite's alternate reference
        ok, detail = alternate[1](str(tmp_path), model, ref)
        assert ok, f"{name}: {detail}"
        return
    compare = os.path.join(SHARED, "tools", "compare-outputs.py")
    r = subprocess.run([sys.executable, compare, str(tmp_path), ref], capture_output=True, text=True)
    assert r.returncode == 0, f"{name}:\n{r.stdout}{r.stderr}"
