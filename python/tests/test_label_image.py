"""test_label_image.py — examples/python/label_image.py classifies the shared burger image
with the shared MobileNets (float, and quantized once Mote runs it), printing TensorFlow
Lite's label_image output."""
import os
import re
import subprocess
import sys

import pytest

from conftest import PROJECT

SCRIPT = os.path.join(PROJECT, "examples", "python", "label_image.py")


def label_image(shared, model):
    pytest.importorskip("PIL", reason="Pillow (python3-pil) is not installed")
    models = os.path.join(shared, "models")
    r = subprocess.run([sys.executable, SCRIPT, "-m", os.path.join(models, model + ".tflite"),
                        "-i", os.path.join(models, "data", "burger-224.png"),
                        "-l", os.path.join(models, "data", "mobilenet_labels_1001.txt")],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0 and "UnsupportedError" in r.stderr:
        pytest.skip(f"{model}: {r.stderr.strip().splitlines()[-1]}")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 6, r.stdout
    top = [re.fullmatch(r"(\d\.\d{6}): (.+)", line) for line in lines[:5]]
    assert all(top), r.stdout
    assert re.fullmatch(r"time: \d+\.\d{3}ms", lines[5]), r.stdout
    scores = [float(m.group(1)) for m in top]
    assert scores == sorted(scores, reverse=True)
    return [(float(m.group(1)), m.group(2)) for m in top]


def test_float_mobilenet(shared):
    top = label_image(shared, "mobilenet_v1_0.25_224_1_default_1")
    assert top[0][1] == "cheeseburger" and top[0][0] > 0.9, top


def test_quantized_mobilenet(shared):
    top = label_image(shared, "mobilenet_v1_0.25_224_quant")
    # models/MANIFEST.md: top-1 "cheeseburger", score >= 0.90.
    assert top[0][1] == "cheeseburger" and top[0][0] >= 0.9, top
