#!/usr/bin/env python3
"""bench_overhead.py — what the Python layer adds to one invoke, in microseconds.

Times, on one small model (default: the shared hello_world_float, whose invoke is well
under a microsecond in C, so the overhead dominates):
  C loop           mote_interpreter_invoke called N times in a C loop (no Python at all)
  _mote.invoke     the extension's invoke method called from a Python loop
  invoke()         Interpreter.invoke(), the tflite_runtime-compatible method
  set+invoke+get   set_tensor(), invoke(), get_tensor() per iteration (a typical loop)
Each figure is per call: the best and the median of several rounds of N calls.

    python3 python/bench/bench_overhead.py [--model PATH] [--count N] [--rounds R] [--threads T]

Needs the mote package on the path (installed, or PYTHONPATH pointing at a build).
"""
import argparse
import os
import statistics
import time

import numpy as np

from mote.interpreter import Interpreter

DEFAULT_MODEL = os.path.join(os.environ.get("MOTE_SHARED") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared"), "models",
    "hello_world_float.tflite")


def per_call_us(variants, count, rounds):
    """{name: (best, median)} over rounds of (time of fn(count)) / count, in microseconds.
    The variants take turns within each round, so a busy machine slows them alike."""
    for fn in variants.values():
        fn(max(1, count // 10))  # warm up
    times = {name: [] for name in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            times[name].append(fn(count) / count * 1e6)
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--count", type=int, default=100000, help="calls per round")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--threads", type=int, default=None)
    args = p.parse_args()

    interpreter = Interpreter(model_path=args.model, num_threads=args.threads)
    interpreter.allocate_tensors()
    inp = interpreter.get_input_details()[0]
    out = interpreter.get_output_details()[0]
    value = np.zeros(inp["shape"], dtype=inp["dtype"])
    interpreter.set_tensor(inp["index"], value)
    impl = interpreter._interpreter

    def c_loop(n):
        return impl.time_invoke(n)

    def python_loop(call):
        def run(n):
            t0 = time.perf_counter()
            for _ in range(n):
                call()
            return time.perf_counter() - t0
        return run

    def round_trip(n):
        set_tensor, invoke, get_tensor = (interpreter.set_tensor, interpreter.invoke,
                                          interpreter.get_tensor)
        i, o = inp["index"], out["index"]
        t0 = time.perf_counter()
        for _ in range(n):
            set_tensor(i, value)
            invoke()
            get_tensor(o)
        return time.perf_counter() - t0

    results = per_call_us({"C loop": c_loop, "_mote.invoke": python_loop(impl.invoke),
                           "invoke()": python_loop(interpreter.invoke),
                           "set+invoke+get": round_trip}, args.count, args.rounds)
    c_best, c_median = results["C loop"]
    print(f"model {os.path.basename(args.model)}, {args.count} calls x {args.rounds} rounds; "
          "per call, best and median of the rounds")
    for name, (best, median) in results.items():
        extra = "" if name == "C loop" else f"   (+{best - c_best:.3f} / +{median - c_median:.3f} over C)"
        print(f"  {name:<16} {best:8.3f} / {median:8.3f} us{extra}")
    api_best, api_median = results["invoke()"]
    print(f"Python overhead of invoke(): {api_best - c_best:.3f} us (best), "
          f"{api_median - c_median:.3f} us (median) per call")


if __name__ == "__main__":
    main()
