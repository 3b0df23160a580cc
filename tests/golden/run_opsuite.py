#!/usr/bin/env python3
"""run_opsuite.py — runs Mote on every single-operator case in <shared>/opsuite/<OP>/<case>
and judges the outputs with the shared compare-outputs.py.

Prints a table per operator (passed / skipped / failed), every failure with its reason, and
totals; exits 1 on any FAIL, 77 when the shared assets are absent. Cases needing an
operator or type Mote lacks are SKIP. --verbose lists every case.
usage: run_opsuite.py [--mote PATH] [--shared DIR] [--jobs N] [--filter TEXT] [--keep DIR]
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree or in ../shared
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402


def main():
    args = suite.common_args(__doc__.splitlines()[0]).parse_args()
    shared = suite.shared_dir(args)
    if not shared or not os.path.isdir(os.path.join(shared, "opsuite")):
        print("SKIP: the shared assets (../shared/opsuite) are absent")
        return suite.EXIT_SKIP
    t0 = time.monotonic()
    results = suite.run_all(args, suite.op_cases(os.path.join(shared, "opsuite")))

    per_op = {}
    for name, (status, detail, _) in results.items():
        op = name.split("/", 1)[0]
        counts = per_op.setdefault(op, {"PASS": 0, "SKIP": 0, "FAIL": 0, "why": set()})
        counts[status] += 1
        if status == "SKIP":
            counts["why"].add(detail)
    width = max([len(op) for op in per_op] + [2])
    print(f"{'op':<{width}}  pass  skip  fail  skipped because")
    for op in sorted(per_op):
        c = per_op[op]
        why = sorted(c["why"])
        reason = (why[0] if len(why) == 1 else f"{why[0]} (+{len(why) - 1} other reasons)") if why else ""
        print(f"{op:<{width}}  {c['PASS']:4}  {c['SKIP']:4}  {c['FAIL']:4}  {reason[:110]}")
    failed = sorted(n for n, r in results.items() if r[0] == "FAIL")
    if failed:
        print("\nfailures:")
        for name in failed:
            print(f"  {name}: {results[name][1]}")
    return suite.print_totals(results, "opsuite cases", time.monotonic() - t0)


if __name__ == "__main__":
    sys.exit(main())
