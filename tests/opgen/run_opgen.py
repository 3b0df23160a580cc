#!/usr/bin/env python3
"""run_opgen.py — runs Mote on every case generate.py made (tests/opgen/cases/<OP>/<case>),
with its default kernels and with --reference, and judges the outputs as the shared
compare-outputs.py does (float within 1e-4 x max(1, max|ref|), integers exact): the shared
script when ../shared is there, the same rules in tests/golden/suite.py otherwise. Needs
neither Node.js nor the oracle.

Prints a table per operator and every failure; exits 1 on any FAIL or SKIP (every case
uses operators and types Mote implements), 77 when there are no cases.
usage: run_opgen.py [--mote PATH] [--cases DIR] [--jobs N] [--filter TEXT] [--keep DIR]
"""
import os
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "golden"))
import suite  # noqa: E402


def main():
    p = suite.common_args(__doc__.splitlines()[0])
    p.add_argument("--cases", default=os.path.join(HERE, "cases"), help="the generated cases")
    args = p.parse_args()
    if not os.path.isdir(args.cases):
        print(f"SKIP: no cases in {args.cases}")
        return suite.EXIT_SKIP
    t0 = time.monotonic()
    cases = suite.op_cases(args.cases)
    cases += [(name + " [reference]", model, ref, ["--reference"]) for name, model, ref in cases]
    results = suite.run_all(args, cases)
    per_op = {}
    for name, (status, _, _) in results.items():
        counts = per_op.setdefault(name.split("/", 1)[0], {"PASS": 0, "SKIP": 0, "FAIL": 0})
        counts[status] += 1
    width = max([len(op) for op in per_op] + [2])
    print(f"{'op':<{width}}  pass  skip  fail")
    for op in sorted(per_op):
        c = per_op[op]
        print(f"{op:<{width}}  {c['PASS']:4}  {c['SKIP']:4}  {c['FAIL']:4}")
    bad = sorted(n for n, r in results.items() if r[0] != "PASS")
    if bad:
        print("\nnot passed:")
        for name in bad:
            print(f"  {results[name][0]} {name}: {results[name][1]}")
    rc = suite.print_totals(results, "opgen cases", time.monotonic() - t0)
    return 1 if rc or bad else 0


if __name__ == "__main__":
    sys.exit(main())
