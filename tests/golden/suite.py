"""suite.py — shared by run_goldens.py and run_opsuite.py: find `mote` and the shared
assets, run one reference case with `mote run --inputs-from`, judge it with the shared
compare-outputs.py, and print results.

A case is SKIP when `mote run` exits 3 (the model needs an operator or type Mote does not
implement yet; its message names them), PASS when compare-outputs.py passes, else FAIL.
"""
import argparse
import concurrent.futures
import contextlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import time

EXIT_SKIP = 77          # ctest's SKIP_RETURN_CODE: the shared assets are absent
MOTE_UNSUPPORTED = 3    # `mote run` exit code for "not supported yet"
PROJECT_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def common_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--mote", default=os.environ.get("MOTE_CLI"), help="the mote executable")
    p.add_argument("--shared", help="the shared assets (default: ../shared beside the project); "
                   "the MOTE_SHARED environment variable, when set, wins, as in tests/test.h")
    p.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="parallel runs")
    p.add_argument("--timeout", type=float, default=600, help="seconds per run")
    p.add_argument("--filter", default="", help="only cases whose name contains this")
    p.add_argument("--keep", help="keep Mote's output folders under this directory")
    p.add_argument("--verbose", "-v", action="store_true", help="print every case")
    return p


def shared_dir(args):
    """The shared assets folder, or None (the caller then exits EXIT_SKIP)."""
    d = os.environ.get("MOTE_SHARED") or args.shared or os.path.join(PROJECT_ROOT, "..", "shared")
    return os.path.abspath(d) if os.path.isdir(d) else None


def find_mote(args):
    if args.mote and os.path.isfile(args.mote):
        return os.path.abspath(args.mote)
    for build in sorted(os.listdir(PROJECT_ROOT)):
        cand = os.path.join(PROJECT_ROOT, build, "tools", "mote")
        if build.startswith("build") and os.path.isfile(cand):
            return cand
    sys.exit("no mote executable: pass --mote PATH (or build the project first)")


class Comparer:
    """Runs the shared compare-outputs.py in this process (it needs NumPy), falling back to
    a subprocess of Debian's python3 when this interpreter lacks NumPy. Not thread-safe:
    call it from one thread."""

    def __init__(self, shared):
        self.script = os.path.join(shared, "tools", "compare-outputs.py") if shared else ""
        self.module = None
        if not os.path.isfile(self.script):  # without ../shared: the same rules, here
            self.module = BuiltinCompare
            return
        try:
            spec = importlib.util.spec_from_file_location("compare_outputs", self.script)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self.module = module
        except ImportError:
            self.python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

    def __call__(self, got, ref):
        """Returns (passed, report lines)."""
        if self.module is None:
            r = subprocess.run([self.python, self.script, got, ref], capture_output=True, text=True)
            return r.returncode == 0, (r.stdout + r.stderr).strip().splitlines()
        out = io.StringIO()
        saved = sys.argv
        sys.argv = [self.script, got, ref]
        try:
            with contextlib.redirect_stdout(out):
                rc = self.module.main()
        except Exception as e:  # a malformed output folder is a failure, not a crash
            print(f"FAIL: compare-outputs raised {type(e).__name__}: {e}", file=out)
            rc = 1
        finally:
            sys.argv = saved
        return rc == 0, out.getvalue().strip().splitlines()


class BuiltinCompare:
    """compare-outputs.py's rules for suites that do not need ../shared (tests/opgen): outputs
    matched by tensor_index; float passes when max|got - ref| <= 1e-4 * max(1, max|ref|),
    integers and bools must be exact. main() reads sys.argv as the script does."""

    @staticmethod
    def main():
        import numpy as np
        got_dir, ref_dir = sys.argv[1], sys.argv[2]
        name = os.path.basename(os.path.normpath(ref_dir))
        try:
            with open(os.path.join(got_dir, "meta.json")) as f:
                got = json.load(f)
            with open(os.path.join(ref_dir, "meta.json")) as f:
                ref = json.load(f)
        except (OSError, ValueError) as e:
            print(f"FAIL {name}: cannot read meta.json: {e}")
            return 1
        by_index = {o.get("tensor_index"): o for o in got.get("outputs", [])}
        why = []
        for pos, r in enumerate(ref["outputs"]):
            g = by_index.get(r.get("tensor_index"))
            if g is None:
                print(f"  output {pos}: missing")
                why.append(f"output {pos} missing")
                continue
            a = np.fromfile(os.path.join(got_dir, g["file"]), dtype=g["dtype"])
            b = np.fromfile(os.path.join(ref_dir, r["file"]), dtype=r["dtype"])
            if a.size != b.size or list(g["shape"]) != list(r["shape"]):
                print(f"  output {pos}: shapes differ {g['shape']} vs {r['shape']}")
                why.append(f"output {pos} shapes differ")
                continue
            if b.dtype.kind == "f":
                err = float(np.abs(a.astype(np.float64) - b).max()) if b.size else 0.0
                bound = 1e-4 * max(1.0, float(np.abs(b).max()) if b.size else 0.0)
                print(f"  output {pos}: max abs error {err:.3g} (bound {bound:.3g})"
                      + ("" if err <= bound else "  TOO FAR"))
                if err > bound:
                    why.append(f"output {pos} TOO FAR")
            else:
                diff = int(np.abs(a.astype(np.int64) - b.astype(np.int64)).max()) if b.size else 0
                print(f"  output {pos}: " + ("exact" if diff == 0 else f"differs by {diff} LSB  TOO FAR"))
                if diff:
                    why.append(f"output {pos} TOO FAR")
        print(f"FAIL {name}: {'; '.join(why)}" if why else f"PASS {name}")
        return 1 if why else 0


def op_cases(root):
    """(name, model, reference folder) of every ROOT/OP/CASE holding model.tflite and meta.json."""
    cases = []
    for op in sorted(os.listdir(root)):
        op_dir = os.path.join(root, op)
        if not os.path.isdir(op_dir):
            continue
        for case in sorted(os.listdir(op_dir)):
            ref = os.path.join(op_dir, case)
            model = os.path.join(ref, "model.tflite")
            if os.path.isfile(model) and os.path.isfile(os.path.join(ref, "meta.json")):
                cases.append((f"{op}/{case}", model, ref))
    return cases


def signature_option(ref_dir):
    """--signature for runs whose reference used a signature other than the default one
    (TFLite's "serving_default", which runs subgraph 0 like a plain invoke)."""
    try:
        with open(os.path.join(ref_dir, "meta.json")) as f:
            sig = json.load(f).get("signature")
    except (OSError, ValueError):
        return []
    return ["--signature", sig] if sig and sig != "serving_default" else []


def first_line(text, model=None):
    """The first line of mote's stderr without the "mote: MODEL: " prefix."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for prefix in ("mote: ", (model or "\0") + ": ", "cannot create an interpreter: "):
            if line.startswith(prefix):
                line = line[len(prefix):]
        return line
    return ""


def run_case(mote, name, model, ref_dir, out_dir, timeout, flags=()):
    """Runs mote on one case (with extra `mote run` flags). Returns (status, detail, seconds)
    with status RUN (outputs are ready to compare), SKIP or FAIL."""
    cmd = [mote, "run", model, "--inputs-from", ref_dir, "--output-dir", out_dir, "--quiet"]
    cmd += signature_option(ref_dir) + list(flags)
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "FAIL", f"timed out after {timeout:.0f} s", time.monotonic() - t0
    dt = time.monotonic() - t0
    if r.returncode < 0:
        return "FAIL", f"killed by signal {-r.returncode}: {first_line(r.stderr, model)}", dt
    if r.returncode == MOTE_UNSUPPORTED:
        return "SKIP", first_line(r.stderr, model), dt
    if r.returncode != 0:
        return "FAIL", f"mote run exited {r.returncode}: {first_line(r.stderr, model)}", dt
    return "RUN", "", dt


def run_all(args, cases):
    """cases: list of (name, model path, reference dir[, mote run flags]). Returns {name:
    (status, detail, seconds)}. Big models start first so the pool drains evenly."""
    mote = find_mote(args)
    shared = shared_dir(args)
    compare = Comparer(shared)
    import golden_defects  # needs NumPy, as compare-outputs.py does
    cases = [c for c in cases if args.filter in c[0]]
    cases.sort(key=lambda c: -os.path.getsize(c[1]))
    results = {}
    with tempfile.TemporaryDirectory(prefix="mote-golden-") as tmp:
        root = os.path.abspath(args.keep) if args.keep else tmp
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {}
            for name, model, ref, *flags in cases:
                out = os.path.join(root, name.replace("/", "__").replace(" ", "_"))
                futures[pool.submit(run_case, mote, name, model, ref, out, args.timeout,
                                    flags[0] if flags else ())] = (name, ref, out)
            for fut in concurrent.futures.as_completed(futures):
                name, ref, out = futures[fut]
                status, detail, dt = fut.result()
                alternate = golden_defects.alternate(name)
                if status == "RUN" and alternate:
                    ok, detail = alternate[1](out, dict((c[0], c[1]) for c in cases)[name], ref)
                    status = "PASS" if ok else "FAIL"
                    detail = f"golden not used ({alternate[0]}); {detail}"
                elif status == "RUN":
                    ok, lines = compare(out, ref)
                    status = "PASS" if ok else "FAIL"
                    if not ok:
                        bad = [l.strip() for l in lines if "TOO FAR" in l or "missing" in l or "differ" in l]
                        detail = "; ".join(bad[:3]) or (lines[-1] if lines else "compare-outputs failed")
                results[name] = (status, detail, dt)
                if args.verbose:
                    print(f"{status:4} {name} ({dt:.2f} s) {detail}", flush=True)
    return results


def totals(results):
    counts = {"PASS": 0, "SKIP": 0, "FAIL": 0}
    for status, _, _ in results.values():
        counts[status] += 1
    return counts


def print_totals(results, what, elapsed):
    c = totals(results)
    print(f"\n{what}: {len(results)} total, {c['PASS']} passed, {c['SKIP']} skipped "
          f"(not supported yet), {c['FAIL']} failed  [{elapsed:.1f} s]")
    return 1 if c["FAIL"] else 0
