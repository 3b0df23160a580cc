#!/usr/bin/env python3
"""check_models.py — hostile models through the `mote` command: each file goes through
`mote inspect` and `mote run --random 1 --arena-limit ...` with a timeout, and must end in
an error status or a correct run — never a signal, a sanitizer report or a timeout.

  regressions  every file in --dir (tests/fuzz/regressions: models that once broke Mote)
  malformed    made here, at test time, from every shared model (../shared/models): cuts,
               byte flips, and corruptions aimed at the FlatBuffer's structure, found by
               walking each file with TensorFlow Lite's schema: vtable sizes and entries,
               table-to-vtable offsets, offsets to tables, vectors and strings, vector
               lengths, tensor, buffer, opcode and subgraph indices, shapes, type bytes.
               Variants of models above 320 KB run with a 1 MiB arena limit, so that
               `run` stops after every operator's prepare (a full run takes seconds under
               a sanitizer); 24 variants per model keep the group near a minute or two.

usage: check_models.py GROUP --mote PATH [--dir DIR] [--shared DIR] [--jobs N] [--per-model N]
Exits 0 (pass), 1 (fail) or 77 (the shared models are absent, for malformed).
"""
import argparse
import concurrent.futures
import os
import random
import struct
import subprocess
import sys
import tempfile
import time

EXIT_SKIP = 77
SANITIZER_ENV = {"ASAN_OPTIONS": "exitcode=86:detect_leaks=1:allocator_may_return_null=1",
                 "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87:print_stacktrace=1"}
SANITIZER_CODES = (86, 87)
# Exit codes of `mote`: 0 ok, 1 failure with a message, 3 unsupported.
CLEAN_CODES = (0, 1, 3)


def mote(exe, argv, timeout):
    env = dict(os.environ, **SANITIZER_ENV)
    start = time.monotonic()
    try:
        r = subprocess.run([exe, *argv], capture_output=True, text=True, errors="replace", timeout=timeout, env=env)
        return r.returncode, r.stderr, time.monotonic() - start
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s", time.monotonic() - start


def verdict(code, stderr):
    """'' when the command ended cleanly, else why not."""
    if code is None:
        return stderr
    if code < 0:
        return f"killed by signal {-code}"
    if code in SANITIZER_CODES or "Sanitizer" in stderr or "runtime error:" in stderr:
        lines = [l for l in stderr.splitlines() if "ERROR" in l or "runtime error" in l or "SUMMARY" in l]
        return "sanitizer: " + " | ".join(lines[:3])
    if code not in CLEAN_CODES:
        return f"exit {code}: {stderr.strip()[:200]}"
    if code != 0 and not stderr.strip():
        return f"exit {code} without a message"
    return ""


def check_file(exe, path, arena_limit, timeout):
    """Runs inspect and run on one file; returns a list of failures."""
    failures = []
    for argv in (["inspect", path],
                 ["run", path, "--random", "1", "--arena-limit", str(arena_limit), "--max-iterations", "1000",
                  "--signal-ops", "--quiet"]):
        code, err, _ = mote(exe, argv, timeout)
        why = verdict(code, err)
        if why:
            failures.append(f"mote {argv[0]} {os.path.basename(path)}: {why}")
    return failures


# ---- a FlatBuffer walker with TensorFlow Lite's schema (only what corruptions aim at) ----

# Field kinds: s<n> scalar of n bytes, 'str' string, 'v<n>' vector of n-byte scalars,
# 'T:<table>' table, 'V:<table>' vector of tables, 'U:<table>' union value (its table),
# 'i' an index (u32/i32) and 'vi' a vector of indices, 'dims' a vector of dimensions.
SCHEMA = {
    "Model": {0: "s4", 1: "V:OperatorCode", 2: "V:SubGraph", 3: "str", 4: "V:Buffer", 5: "vi",
              6: "V:Metadata", 7: "V:SignatureDef"},
    "OperatorCode": {0: "s1", 1: "str", 2: "s4", 3: "s4"},
    "SubGraph": {0: "V:Tensor", 1: "vi", 2: "vi", 3: "V:Operator", 4: "str"},
    "Tensor": {0: "dims", 1: "s1", 2: "i", 3: "str", 4: "T:Quantization", 5: "s1", 6: "T:Sparsity", 7: "dims"},
    "Operator": {0: "i", 1: "vi", 2: "vi", 3: "s1", 4: "U:Options", 5: "v1", 6: "s1", 7: "v1", 8: "vi",
                 9: "s8", 10: "s8", 11: "s1", 12: "U:Options"},
    "Options": {},
    "Buffer": {0: "v1", 1: "s8", 2: "s8"},
    "Metadata": {0: "str", 1: "i"},
    "SignatureDef": {0: "V:TensorMap", 1: "V:TensorMap", 2: "str", 4: "i"},
    "TensorMap": {0: "str", 1: "i"},
    "Quantization": {0: "v4", 1: "v4", 2: "v4", 3: "v8", 4: "s1", 5: "U:Options", 6: "i"},
    "Sparsity": {0: "vi", 1: "vi", 2: "V:DimensionMetadata"},
    "DimensionMetadata": {0: "s1", 1: "s4", 2: "s1", 3: "U:IndexVector", 4: "s1", 5: "U:IndexVector"},
    "IndexVector": {0: "v4"},
}


class Walker:
    """Collects (kind, position, width, value) of the structure of a valid .tflite file."""

    def __init__(self, data):
        self.d = data
        self.spots = []
        self.seen = set()

    def u16(self, p):
        return struct.unpack_from("<H", self.d, p)[0]

    def u32(self, p):
        return struct.unpack_from("<I", self.d, p)[0]

    def i32(self, p):
        return struct.unpack_from("<i", self.d, p)[0]

    def add(self, kind, pos, width, extra=0):
        if 0 <= pos and pos + width <= len(self.d):
            self.spots.append((kind, pos, width, extra))

    def vector(self, pos, elem, kind):
        n = self.u32(pos)
        self.add("veclen", pos, 4, n)
        if kind:
            for i in range(min(n, 16)):
                self.add(kind, pos + 4 + elem * i, elem, n)
        return n

    def table(self, pos, name, depth=0):
        if pos in self.seen or depth > 12 or pos + 4 > len(self.d):
            return
        self.seen.add(pos)
        vt = pos - self.i32(pos)
        if vt < 0 or vt + 4 > len(self.d):
            return
        vt_bytes, obj_bytes = self.u16(vt), self.u16(vt + 2)
        self.add("soffset", pos, 4, vt)
        self.add("vtsize", vt, 2, vt_bytes)
        self.add("objsize", vt + 2, 2, obj_bytes)
        fields = SCHEMA.get(name, {})
        for fid in range((vt_bytes - 4) // 2):
            off = self.u16(vt + 4 + 2 * fid)
            if not off:
                continue
            self.add("vtentry", vt + 4 + 2 * fid, 2, obj_bytes)
            kind, at = fields.get(fid), pos + off
            if kind is None or at + 4 > len(self.d):
                continue
            if kind.startswith("s") and kind != "str":
                self.add("scalar", at, int(kind[1:]))
            elif kind == "i":
                self.add("index", at, 4)
            else:
                target = at + self.u32(at)
                self.add("uoffset", at, 4, target)
                if target + 4 > len(self.d):
                    continue
                if kind == "str" or kind.startswith("v") and kind not in ("vi",):
                    self.vector(target, int(kind[1:]) if kind[1:].isdigit() else 1, None)
                elif kind == "vi":
                    self.vector(target, 4, "index")
                elif kind == "dims":
                    self.vector(target, 4, "dim")
                elif kind.startswith("T:") or kind.startswith("U:"):
                    self.table(target, kind[2:], depth + 1)
                elif kind.startswith("V:"):
                    n = self.vector(target, 4, None)
                    for i in range(n):
                        slot = target + 4 + 4 * i
                        if slot + 4 > len(self.d):
                            break
                        if i < 8:
                            self.add("uoffset", slot, 4, slot + self.u32(slot))
                        self.table(slot + self.u32(slot), kind[2:], depth + 1)

    def walk(self):
        if len(self.d) >= 8:
            self.add("uoffset", 0, 4, self.u32(0))
            self.table(self.u32(0), "Model")
        return self.spots


def corrupt(data, spot, rng):
    """One corruption of a structural spot: (label, bytes)."""
    kind, pos, width, extra = spot
    fmt = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[width]
    old = struct.unpack_from(fmt, data, pos)[0]
    mask = (1 << (8 * width)) - 1
    choices = {
        "vtsize": [0, 2, 3, 5, 0xFFFF, old + 2, old - 2],
        "objsize": [0, 1, 3, 0xFFFF, old - 1, old + 4, 4],
        "vtentry": [0xFFFF, extra, extra - 1, extra + 4, old + 1, old - 4, 2],
        "soffset": [0, 4, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, old + 2, old - 4, old + len(data)],
        "uoffset": [0, 1, 4, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFC, old + 4, old - 4, old + 2,
                    len(data) - pos, len(data) - pos - 4, (extra - pos) // 2],
        "veclen": [0, old + 1, old * 2 + 1, 0x3FFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF, len(data)],
        "index": [0xFFFFFFFF, 0xFFFFFFFE, extra, extra + 1, 0x7FFFFFFF, 0x80000000, old + 1, 1000],
        "dim": [0, 0xFFFFFFFF, 0x7FFFFFFF, 65536, 1 << 30, old + 1, old * 3, 0x80000000],
        "scalar": [0, 0xFF, 0x7F, 0x80, old + 1, mask, rng.randrange(mask + 1)],
    }[kind]
    value = rng.choice(choices) & mask
    buf = bytearray(data)
    struct.pack_into(fmt, buf, pos, value)
    return f"{kind}@{pos}={value:#x}", bytes(buf)


def variants(data, rng, count):
    """count (label, bytes) variants: cuts, structural corruptions, byte flips."""
    n = len(data)
    spots = Walker(data).walk()
    out = []
    for cut in sorted({0, 4, 8, 12, 16, n // 3, n // 2, n - 4, n - 1}):
        if 0 <= cut < n and len(out) < max(3, count // 6):
            out.append((f"cut at {cut}", data[:cut]))
    if spots:
        # Spot kinds in turn, so each kind gets its share even in a short run.
        by_kind = {}
        for s in spots:
            by_kind.setdefault(s[0], []).append(s)
        kinds = sorted(by_kind)
        for i in range(max(1, count - len(out) - count // 6)):
            kind = kinds[i % len(kinds)]
            out.append(corrupt(data, rng.choice(by_kind[kind]), rng))
    while len(out) < count:
        buf = bytearray(data)
        for _ in range(1 + rng.randrange(4)):
            # The FlatBuffer's tables sit near both ends of a file, weights in the middle.
            pos = rng.randrange(min(n, 4096)) if rng.randrange(2) else rng.randrange(max(0, n - 4096), n)
            buf[pos] ^= 1 << rng.randrange(8)
        out.append(("byte flips", bytes(buf)))
    return out[:count]


# ---- groups ----

def group_regressions(args):
    files = sorted(os.path.join(args.dir, f) for f in os.listdir(args.dir) if not f.startswith("."))
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for f in pool.map(lambda p: check_file(args.mote, p, 64 << 20, 120), files):
            failures += f
    print(f"regressions: {len(files)} files, each inspected and run")
    return failures


def group_malformed(args):
    models_dir = os.path.join(args.shared, "models")
    if not os.path.isdir(models_dir):
        print("SKIP: the shared models (../shared/models) are absent")
        return None
    models = sorted(os.path.join(models_dir, f) for f in os.listdir(models_dir) if f.endswith(".tflite"))
    rng = random.Random(args.seed)
    failures, jobs = [], []
    with tempfile.TemporaryDirectory(prefix="mote-malformed-") as tmp:
        for path in models:
            with open(path, "rb") as f:
                data = f.read()
            # Large models take seconds to run under a sanitizer: their variants run with a
            # small arena limit, so that `run` stops after every operator's prepare.
            arena = 256 << 20 if len(data) <= (320 << 10) else 1 << 20
            name = os.path.basename(path)[:-7]
            for k, (label, blob) in enumerate(variants(data, rng, args.per_model)):
                bad = os.path.join(tmp, f"{name}.{k}.tflite")
                with open(bad, "wb") as f:
                    f.write(blob)
                jobs.append((f"{name} [{label}]", bad, arena))

        def one(job):
            label, path, arena = job
            return [f"{f} ({label})" for f in check_file(args.mote, path, arena, args.timeout)]

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for f in pool.map(one, jobs):
                failures += f
    print(f"malformed: {len(jobs)} variants of {len(models)} models, each inspected and run")
    return failures


def main():
    p = argparse.ArgumentParser(description="hostile models through the mote command")
    p.add_argument("group", choices=("regressions", "malformed"))
    p.add_argument("--mote", required=True)
    p.add_argument("--dir", help="regressions: the folder of models")
    p.add_argument("--shared", help="malformed: the shared assets; MOTE_SHARED, when set, wins")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--per-model", type=int, default=24, help="malformed: variants of each model")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per command")
    p.add_argument("--seed", type=int, default=20261128)
    args = p.parse_args()
    if args.group == "regressions":
        failures = group_regressions(args)
    else:
        args.shared = os.environ.get("MOTE_SHARED") or args.shared or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
        failures = group_malformed(args)
        if failures is None:
            return EXIT_SKIP
    for f in failures:
        print(f"FAIL: {f}")
    print(f"{len(failures)} failure(s)" if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
