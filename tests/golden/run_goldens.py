#!/usr/bin/env python3
"""run_goldens.py — runs Mote on every reference folder in <shared>/golden (and golden/peer
against models/peer) and judges the outputs with the shared compare-outputs.py.

Every model runs twice: with the optimized kernels this machine selects, and with
`--reference` (the simple kernels). Both must match: integer results are the same bits on
every path.

Prints one row per model and totals; exits 1 on any FAIL, 77 when the shared assets are
absent. Models needing operators Mote lacks are SKIP, with the operators named.
usage: run_goldens.py [--mote PATH] [--shared DIR] [--jobs N] [--filter TEXT] [--keep DIR]
                      [--skip NAME,NAME,...]
--skip leaves the named models out (both runs), for slow machines and emulators; the run
prints which.
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree or in ../shared
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402


def golden_cases(shared):
    cases = []
    golden = os.path.join(shared, "golden")
    for name in sorted(os.listdir(golden)):
        ref = os.path.join(golden, name)
        if name == "peer" or not os.path.isfile(os.path.join(ref, "meta.json")):
            continue
        cases.append((name, os.path.join(shared, "models", name + ".tflite"), ref))
    peer = os.path.join(golden, "peer")
    if os.path.isdir(peer):
        for name in sorted(os.listdir(peer)):
            ref = os.path.join(peer, name)
            if os.path.isfile(os.path.join(ref, "meta.json")):
                cases.append(("peer/" + name, os.path.join(shared, "models", "peer", name + ".tflite"), ref))
    return cases


def main():
    parser = suite.common_args(__doc__.splitlines()[0])
    parser.add_argument("--skip", default="", help="comma-separated model names to leave out")
    args = parser.parse_args()
    shared = suite.shared_dir(args)
    if not shared:
        print("SKIP: the shared assets (../shared) are absent")
        return suite.EXIT_SKIP
    cases = golden_cases(shared)
    left_out = {n.strip() for n in args.skip.split(",") if n.strip()}
    if left_out:
        kept = [c for c in cases if c[0] not in left_out]
        print(f"left out (--skip): {len(cases) - len(kept)} models: "
              + ", ".join(sorted(c[0] for c in cases if c[0] in left_out)))
        cases = kept
    cases += [(name + " [reference]", model, ref, ["--reference"]) for name, model, ref in cases]
    missing = [c for c in cases if not os.path.isfile(c[1])]
    cases = [c for c in cases if os.path.isfile(c[1])]
    t0 = time.monotonic()
    results = suite.run_all(args, cases)
    for name, model, *_ in missing:
        results[name] = ("FAIL", f"model file {os.path.relpath(model, shared)} is missing", 0.0)
    width = max([len(n) for n in results] + [5])
    print(f"{'model':<{width}}  result  time     detail")
    for name in sorted(results):
        status, detail, dt = results[name]
        print(f"{name:<{width}}  {status:<6}  {dt:6.2f}s  {detail}")
    return suite.print_totals(results, "golden models", time.monotonic() - t0)


if __name__ == "__main__":
    sys.exit(main())
