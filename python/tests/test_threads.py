"""test_threads.py — invoke() releases the GIL: other Python threads run while a model runs,
two interpreters on two threads run at the same time, and a second thread touching a busy
interpreter gets an error instead of a race."""
import threading
import time

import numpy as np
import pytest

from mote.interpreter import Interpreter


def long_hello(path, min_seconds=0.05):
    """hello_world_float resized to a batch large enough that one invoke takes at least
    min_seconds (it is the float core every build runs)."""
    it = Interpreter(model_path=path)
    batch = 1 << 14
    while True:
        it.resize_tensor_input(0, [batch, 1])
        it.allocate_tensors()
        x = np.linspace(0, 6, batch, dtype=np.float32).reshape(batch, 1)
        it.set_tensor(0, x)
        t0 = time.perf_counter()
        it.invoke()
        if time.perf_counter() - t0 >= min_seconds or batch >= 1 << 22:
            return it, x
        batch *= 2


def test_python_threads_run_during_invoke(model_path):
    it, _ = long_hello(model_path("hello_world_float"))
    started = threading.Event()
    timing = {}

    def run():
        started.set()
        t0 = time.perf_counter()
        it.invoke()
        timing["invoke"] = (t0, time.perf_counter())

    worker = threading.Thread(target=run)
    worker.start()
    started.wait()
    ticks = []
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    t0, t1 = timing["invoke"]
    during = [t for t in ticks if t0 <= t <= t1]
    # Holding the GIL would leave this thread no ticks at all inside the invoke.
    assert len(during) > 100, f"{len(during)} ticks during a {1e3 * (t1 - t0):.1f} ms invoke"
    gaps = np.diff(ticks) if len(ticks) > 1 else np.array([t1 - t0])
    assert gaps.max() < 0.75 * (t1 - t0), "the main thread stalled for most of the invoke"


def test_two_interpreters_run_at_the_same_time(model_path):
    path = model_path("hello_world_float")
    runs = [long_hello(path, 0.01) for _ in range(2)]
    expected = [it.get_tensor(9).copy() for it, _ in runs]
    intervals = [[], []]
    errors = []
    barrier = threading.Barrier(2)

    def loop(k):
        it, x = runs[k]
        try:
            barrier.wait()
            for _ in range(8):
                it.set_tensor(0, x)
                t0 = time.perf_counter()
                it.invoke()
                intervals[k].append((t0, time.perf_counter()))
                if not np.array_equal(it.get_tensor(9), expected[k]):
                    errors.append(f"thread {k}: wrong output")
        except Exception as e:  # reported below
            errors.append(f"thread {k}: {e!r}")

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(intervals[0]) == len(intervals[1]) == 8
    overlaps = sum(1 for a0, a1 in intervals[0] for b0, b1 in intervals[1] if a0 < b1 and b0 < a1)
    # With the GIL held no two invokes could overlap.
    assert overlaps > 0


def test_a_busy_interpreter_refuses_other_calls(model_path):
    it, x = long_hello(model_path("hello_world_float"), 0.1)
    expected = it.get_tensor(9).copy()
    it.set_tensor(0, x)  # Mote may reuse an input's memory during invoke: set it again
    worker = threading.Thread(target=it.invoke)
    refused = []
    worker.start()
    while worker.is_alive():
        try:
            it.get_tensor(9)
        except RuntimeError as e:
            assert "busy" in str(e)
            refused.append(e)
            for call in (it.invoke, it.allocate_tensors, lambda: it.set_tensor(0, x),
                         lambda: it.tensor(0)(), it.get_input_details):
                with pytest.raises(RuntimeError, match="busy"):
                    call()
            break
    worker.join()
    assert refused, "never caught the interpreter while it ran"
    assert np.array_equal(it.get_tensor(9), expected)


def test_many_threads_many_interpreters(model_path):
    path = model_path("hello_world_float")
    xs = np.linspace(-3, 3, 64, dtype=np.float32)
    reference = Interpreter(model_path=path)
    reference.allocate_tensors()
    want = []
    for x in xs:
        reference.set_tensor(0, np.array([[x]], dtype=np.float32))
        reference.invoke()
        want.append(reference.get_tensor(9)[0, 0])
    errors = []

    def worker(seed):
        it = Interpreter(model_path=path)
        it.allocate_tensors()
        order = np.random.default_rng(seed).permutation(len(xs))
        for _ in range(5):
            for i in order:
                it.set_tensor(0, np.array([[xs[i]]], dtype=np.float32))
                it.invoke()
                if it.get_tensor(9)[0, 0] != want[i]:
                    errors.append((seed, i))

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
