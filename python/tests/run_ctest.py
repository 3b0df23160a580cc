#!/usr/bin/env python3
"""run_ctest.py — how ctest builds and tests the Python package (tests/cmake/python.cmake).

    run_ctest.py build --build-dir DIR [--sanitize]
        builds mote (pure Python files and the extension) into DIR/lib, objects in DIR/temp;
        nothing is installed and nothing is written to the source tree.
    run_ctest.py test --build-dir DIR [--shared DIR] [--sanitize] TEST_FILE...
        runs pytest on python/tests/TEST_FILE... with DIR/lib first on the path.

Exits 77 (ctest's skip) with a SKIP: line when something the step needs is missing:
python3-dev (Python.h), NumPy, setuptools or pytest, the built extension, or (for tests
marked as needing them) the shared assets. --sanitize builds with AddressSanitizer and
UndefinedBehaviorSanitizer and preloads their runtimes into Python, as the project's
sanitizer build does for C.
"""
import argparse
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig

EXIT_SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)  # python/
# Test files that only mean something with the shared models.
NEEDS_SHARED = {"test_goldens.py", "test_label_image.py"}


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(EXIT_SKIP)


def missing_module(name):
    return importlib.util.find_spec(name) is None


def sanitizer_runtimes():
    """The ASan and UBSan shared runtimes of the C compiler, for LD_PRELOAD."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    found = []
    for lib in ("libasan.so", "libubsan.so"):
        r = subprocess.run([cc, f"-print-file-name={lib}"], capture_output=True, text=True)
        path = r.stdout.strip()
        if r.returncode != 0 or not os.path.isabs(path):
            skip(f"--sanitize: the compiler has no {lib}")
        found.append(os.path.realpath(path))
    return found


def add_sanitizer_env(env):
    """Loads the sanitizer runtimes into Python (which is not built with them)."""
    env["LD_PRELOAD"] = " ".join(sanitizer_runtimes() + ([env["LD_PRELOAD"]] if env.get("LD_PRELOAD") else []))
    # CPython keeps objects alive until exit by design: no leak report; Python's own
    # allocator would hide buffer overruns from ASan.
    options = [o for o in env.get("ASAN_OPTIONS", "").split(":")
               if o and not o.startswith("detect_leaks=")]
    env["ASAN_OPTIONS"] = ":".join(["detect_leaks=0"] + options)
    env["PYTHONMALLOC"] = "malloc"


def build(args):
    lib, temp = os.path.join(args.build_dir, "lib"), os.path.join(args.build_dir, "temp")
    include = sysconfig.get_path("include")
    reasons = []
    if not os.path.isfile(os.path.join(include, "Python.h")):
        reasons.append(f"no Python.h in {include} (Debian: python3-dev)")
    for module, package in (("numpy", "python3-numpy"), ("setuptools", "python3-setuptools")):
        if missing_module(module):
            reasons.append(f"no {module} (Debian: {package})")
    if reasons:
        shutil.rmtree(lib, ignore_errors=True)  # no stale extension for the tests to find
        skip("cannot build the Python package: " + "; ".join(reasons))
    os.makedirs(args.build_dir, exist_ok=True)
    env = dict(os.environ)
    if args.sanitize:
        env["MOTE_PY_SANITIZE"] = "1"
    cmd = [sys.executable, os.path.join(PACKAGE, "setup.py"), "-q",
           "build_py", "--build-lib", lib,
           "build_ext", "--build-lib", lib, "--build-temp", temp]
    print("+", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=args.build_dir, env=env)
    if r.returncode != 0:
        return 1
    # An extension may link with symbols missing (they would come from the interpreter):
    # importing it is the check that Mote's sources are complete.
    env["PYTHONPATH"] = lib
    if args.sanitize:
        add_sanitizer_env(env)
    r = subprocess.run([sys.executable, "-c", "import mote; print('mote', mote.__version__)"],
                       cwd=args.build_dir, env=env)
    if r.returncode != 0:
        print(f"the extension built in {lib} cannot be imported")
        return 1
    print(f"built mote into {lib}")
    return 0


def test(args):
    lib = os.path.join(args.build_dir, "lib")
    if missing_module("pytest"):
        skip("pytest is not installed (Debian: python3-pytest)")
    if not glob.glob(os.path.join(lib, "mote", "_mote*.so")):
        skip(f"the extension was not built in {lib} (python.build was skipped)")
    shared = os.environ.get("MOTE_SHARED") or args.shared
    has_shared = bool(shared) and os.path.isdir(os.path.join(shared, "models"))
    if not has_shared and NEEDS_SHARED.intersection(args.files):
        skip("the shared assets (../shared, or MOTE_SHARED) are absent")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([lib] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # nothing written next to the sources
    if has_shared:
        env["MOTE_SHARED"] = os.path.abspath(shared)
    if args.sanitize:
        add_sanitizer_env(env)
    files = [os.path.join(HERE, f) for f in args.files]
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rsx",
           "--rootdir", HERE] + files
    print("+", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=args.build_dir, env=env)
    return EXIT_SKIP if r.returncode == 5 else r.returncode  # 5: no tests collected


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("step", choices=["build", "test"])
    p.add_argument("files", nargs="*", help="test files in python/tests (test step)")
    p.add_argument("--build-dir", required=True)
    p.add_argument("--shared", help="the shared assets folder")
    p.add_argument("--sanitize", action="store_true")
    args = p.parse_intermixed_args()
    args.build_dir = os.path.abspath(args.build_dir)
    return build(args) if args.step == "build" else test(args)


if __name__ == "__main__":
    sys.exit(main())
