"""setup.py — builds the `mote` Python package: the extension mote._mote, compiled from
python/src/*.c together with all of Mote's C sources (../src/**/*.c, found by glob, so
files added later are picked up), so that the package needs no installed libmote.

The C sources get the flags the CMake build gives them (C11, -O3, -Wall -Wextra -Werror,
-ffp-contract=off, POSIX 2008, and each optimized kernel's instruction-set flags; not
Python's own), and the extension exports nothing but its init function.
The project root defaults to this folder's parent; MOTE_SOURCE_DIR overrides it.
MOTE_PY_SANITIZE=1 adds AddressSanitizer and UndefinedBehaviorSanitizer.

    pip install --no-build-isolation ./python            (see README.md, "Python")
    python3 python/setup.py build_ext --build-lib DIR    (build only, as the tests do)
"""
import concurrent.futures
import glob
import itertools
import os
import platform
import re

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.environ.get("MOTE_SOURCE_DIR") or os.path.join(HERE, ".."))
HEADER = os.path.join(ROOT, "include", "mote.h")

if not os.path.isfile(HEADER):
    raise SystemExit(f"setup.py: Mote's sources are not at {ROOT} (no include/mote.h); "
                     "build from the project's python/ folder or set MOTE_SOURCE_DIR")


def version():
    with open(HEADER, encoding="utf-8") as f:
        m = re.search(r'#define\s+MOTE_VERSION_STRING\s+"([^"]+)"', f.read())
    return m.group(1) if m else "0.0.0"


# Optimized kernels, as CMakeLists.txt builds them: one instruction set per file, in an
# architecture's folder (src/kernels/x86, src/kernels/arm), compiled only on that
# architecture and with the flags its name ends in (the library picks them at run time).
ISA_FOLDERS = {"x86": ("x86_64", "amd64"), "arm": ("aarch64", "arm64")}
ISA_FLAGS = [  # the first suffix that matches
    ("_avx512vnni.c", ["-mavx512f", "-mavx512bw", "-mavx512vl", "-mavx512dq", "-mavx512vnni",
                       "-mavx2", "-mfma", "-mf16c"]),
    ("_avx512.c", ["-mavx512f", "-mavx512bw", "-mavx512vl", "-mavx512dq", "-mavx2", "-mfma",
                   "-mf16c"]),
    ("_avxvnni.c", ["-mavxvnni", "-mavx2", "-mfma", "-mf16c"]),
    ("_avx2.c", ["-mavx2", "-mfma", "-mf16c"]),
    ("_neondot.c", ["-march=armv8.2-a+dotprod"]),
]


def isa_flags(source):
    for suffix, flags in ISA_FLAGS:
        if source.endswith(suffix):
            return flags
    return []


def mote_sources():
    """Every .c under src/ (recursively, so new folders are picked up), except the other
    architectures' optimized kernels."""
    machine = platform.machine().lower()
    found = []
    for path in glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True):
        parts = os.path.relpath(path, ROOT).split(os.sep)
        folders = [p for p in parts[:-1] if p in ISA_FOLDERS]
        if all(machine in ISA_FOLDERS[f] for f in folders):
            found.append(path)
    # Absolute paths: setuptools places each object under build_temp by its path, and a
    # "../src" path would put objects outside the build folder.
    return sorted(found) + sorted(glob.glob(os.path.join(HERE, "src", "*.c")))


def mote_headers():
    return sorted(glob.glob(os.path.join(ROOT, "src", "**", "*.h"), recursive=True) +
                  glob.glob(os.path.join(ROOT, "include", "*.h")) +
                  glob.glob(os.path.join(HERE, "src", "*.h")))


def compile_in_parallel(compiler, jobs):
    """Makes compiler.compile build its objects on `jobs` threads (setuptools compiles one
    extension's sources one after another; Mote has dozens), adding each optimized kernel's
    instruction-set flags."""
    def compile(sources, output_dir=None, macros=None, include_dirs=None, debug=0,
                extra_preargs=None, extra_postargs=None, depends=None):
        macros, objects, extra_postargs, pp_opts, build = compiler._setup_compile(
            output_dir, macros, include_dirs, sources, depends, extra_postargs)
        cc_args = compiler._get_cc_args(pp_opts, debug, extra_preargs)

        def one(obj):
            if obj in build:
                src, ext = build[obj]
                compiler._compile(obj, src, ext, cc_args, extra_postargs + isa_flags(src), pp_opts)

        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            for _ in pool.map(one, objects):
                pass
        return objects

    compiler.compile = compile


class BuildExt(build_ext):
    """Adds NumPy's headers when building (not at import of setup.py, so that `setup.py
    --version` works without NumPy) and compiles on all cores unless -j says otherwise."""

    def build_extensions(self):
        try:
            import numpy
        except ImportError:
            raise SystemExit("setup.py: NumPy is needed to build mote (Debian: python3-numpy)")
        for ext in self.extensions:
            # -isystem: NumPy's headers are not held to this project's -Werror.
            ext.extra_compile_args = ["-isystem", numpy.get_include()] + ext.extra_compile_args
        # Compile with the CMake build's flags only (below), not Python's own (-O2 -g -fwrapv
        # -fstack-protector-strong ...): -fwrapv alone changes what -Werror reports. The
        # compiler (CC) and CFLAGS from the environment are kept.
        compiler = list(itertools.takewhile(lambda word: not word.startswith("-"),
                                            self.compiler.compiler_so))
        self.compiler.set_executable(
            "compiler_so", compiler + os.environ.get("CFLAGS", "").split() + ["-fPIC"])
        jobs = int(self.parallel) if self.parallel else (os.cpu_count() or 1)
        compile_in_parallel(self.compiler, max(1, jobs))
        self.parallel = None  # the threads above replace setuptools' per-extension ones
        super().build_extensions()


# MOTE_PY_SANITIZE=1: an AddressSanitizer + UndefinedBehaviorSanitizer build, as the
# project's MOTE_SANITIZE does for C (Python then needs the runtimes in LD_PRELOAD; see
# tests/run_ctest.py).
SANITIZE = (["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
            if os.environ.get("MOTE_PY_SANITIZE") == "1" else [])

extension = Extension(
    "mote._mote",
    sources=mote_sources(),
    depends=mote_headers(),
    include_dirs=[os.path.join(ROOT, "include"), os.path.join(ROOT, "src")],
    define_macros=[("_POSIX_C_SOURCE", "200809L"), ("NDEBUG", None),
                   ("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    extra_compile_args=["-std=c11", "-O3", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off",
                        "-fvisibility=hidden"] + SANITIZE,
    extra_link_args=["-Wl,--version-script=" + os.path.join(HERE, "src", "_mote.map")] + SANITIZE,
    libraries=["m", "pthread"],
)

setup(
    name="mote",
    version=version(),
    description="Run TensorFlow Lite models with Mote, through tflite_runtime's Interpreter API",
    packages=["mote"],
    package_dir={"mote": os.path.relpath(os.path.join(HERE, "mote"))},
    ext_modules=[extension],
    cmdclass={"build_ext": BuildExt},
    python_requires=">=3.8",
    install_requires=["numpy"],
    zip_safe=False,
)
