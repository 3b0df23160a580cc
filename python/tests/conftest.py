"""conftest.py — shared by the mote package's tests: where the shared models are, and a
few helpers. The package under test is whatever `import mote` finds (run_ctest.py puts the
build tree first on PYTHONPATH)."""
import os
import sys

import pytest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

PROJECT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def shared_dir():
    """The shared test assets (MOTE_SHARED, else ../shared beside the project), or None."""
    d = os.environ.get("MOTE_SHARED") or os.path.join(PROJECT, "..", "shared")
    return os.path.abspath(d) if os.path.isdir(os.path.join(d, "models")) else None


SHARED = shared_dir()


@pytest.fixture
def shared():
    if not SHARED:
        pytest.skip("the shared assets (../shared or MOTE_SHARED) are absent")
    return SHARED


@pytest.fixture
def model_path(shared):
    """model_path("add") -> the path of ../shared/models/add.tflite (skips if missing)."""
    def path(name):
        p = os.path.join(shared, "models", name + ".tflite")
        if not os.path.isfile(p):
            pytest.skip(f"{name}.tflite is not in the shared models")
        return p
    return path
