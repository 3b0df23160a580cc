"""test_typical.py — the script a tflite_runtime user writes, unchanged but for the import:
load, allocate_tensors, get_input_details, set_tensor, invoke, get_tensor."""
import json
import os

import numpy as np


def test_typical_user_script(model_path):
    from mote.interpreter import Interpreter  # was: from tflite_runtime.interpreter import Interpreter

    interpreter = Interpreter(model_path=model_path("hello_world_float"))
    interpreter.allocate_tensors()

    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()

    input_shape = input_details[0]['shape']
    input_data = np.array(np.random.random_sample(input_shape) * 6, dtype=np.float32)
    interpreter.set_tensor(input_details[0]['index'], input_data)

    interpreter.invoke()

    output_data = interpreter.get_tensor(output_details[0]['index'])
    assert output_data.shape == tuple(output_details[0]['shape'])
    assert abs(output_data[0, 0] - np.sin(input_data[0, 0])) < 0.1


def test_typical_script_on_a_golden(shared):
    import mote as tflite  # the other common spelling: tflite.Interpreter

    ref = os.path.join(shared, "golden", "add")
    with open(os.path.join(ref, "meta.json")) as f:
        meta = json.load(f)
    interpreter = tflite.Interpreter(model_path=os.path.join(shared, "models", "add.tflite"))
    interpreter.allocate_tensors()
    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()
    for detail in input_details:
        entry = next(e for e in meta["inputs"] if e["tensor_index"] == detail["index"])
        data = np.fromfile(os.path.join(ref, entry["file"]), dtype=detail["dtype"])
        interpreter.set_tensor(detail["index"], data.reshape(detail["shape"]))
    interpreter.invoke()
    for detail in output_details:
        entry = next(e for e in meta["outputs"] if e["tensor_index"] == detail["index"])
        want = np.fromfile(os.path.join(ref, entry["file"]), dtype=detail["dtype"])
        got = interpreter.get_tensor(detail["index"])
        assert got.dtype == detail["dtype"]
        assert np.allclose(got.ravel(), want, rtol=0, atol=1e-4 * max(1, np.abs(want).max()))


def test_tensor_loop_from_the_tflite_docs(model_path):
    from mote.interpreter import Interpreter

    interpreter = Interpreter(model_path=model_path("hello_world_float"))
    interpreter.allocate_tensors()
    input = interpreter.tensor(interpreter.get_input_details()[0]["index"])
    output = interpreter.tensor(interpreter.get_output_details()[0]["index"])
    for i in range(10):
        input().fill(i * 0.5)
        interpreter.invoke()
        assert abs(output()[0, 0] - np.sin(i * 0.5)) < 0.1
