#!/usr/bin/env python3
"""test_cli.py — tests of the `mote` command line, one group per ctest entry:

  usage       usage text, help, --version, bad commands and options
  ops         `mote ops` lists 120+ builtin operators with their types, and docs/OPS.md
              is exactly `mote ops --markdown` (regenerate it with that command)
  inspect     `mote inspect` exits 0 with its summary on every shared model
  unsupported `mote run` on models with missing operators exits 3 naming each of them
  run         --random is deterministic; --output-dir writes a golden folder that
              compare-outputs.py accepts; --input files round-trip
  corrupt     truncated and corrupted copies of a few models (made here, in a temp dir)
              and malformed meta.json folders: a non-zero exit and a message, never a
              signal or a sanitizer report

usage: test_cli.py GROUP --mote PATH [--shared DIR]. Exits 0 (pass), 1 (fail) or 77 (the
shared assets are absent).
"""
import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

EXIT_SKIP = 77
# Sanitizer reports get their own exit codes so that they cannot pass for mote's own
# failure exit (1).
SANITIZER_ENV = {"ASAN_OPTIONS": "exitcode=86:detect_leaks=1", "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87"}
SANITIZER_CODES = (86, 87)
# A corrupted dimension could ask for gigabytes: bound the arena.
ARENA_LIMIT = str(256 << 20)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)
    return cond


def mote(args, *argv, timeout=120):
    env = dict(os.environ, **SANITIZER_ENV)
    try:
        return subprocess.run([args.mote, *argv], capture_output=True, text=True, errors="replace",
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess([args.mote, *argv], -999, "", f"timed out after {timeout} s")


def crashed(r):
    """Why a run counts as a crash, or ''."""
    if r.returncode == -999:
        return r.stderr
    if r.returncode < 0:
        return f"killed by signal {-r.returncode}"
    if r.returncode in SANITIZER_CODES or "Sanitizer" in r.stderr or "runtime error:" in r.stderr:
        lines = [l for l in r.stderr.splitlines() if "ERROR" in l or "runtime error" in l]
        return "sanitizer report: " + (lines[0] if lines else "")
    return ""


def clean_failure(r):
    """A failure exit with one clear message line."""
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    return r.returncode > 0 and not crashed(r) and len(lines) >= 1 and lines[0].startswith("mote")


def models(shared):
    d = os.path.join(shared, "models")
    found = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".tflite"))
    peer = os.path.join(d, "peer")
    if os.path.isdir(peer):
        found += sorted(os.path.join(peer, f) for f in os.listdir(peer) if f.endswith(".tflite"))
    return found


def unsupported_ops(inspect_stdout):
    for line in inspect_stdout.splitlines():
        if line.startswith("unsupported operators:"):
            rest = line.split(":", 1)[1].strip()
            return [] if rest == "none" else [op.strip() for op in rest.split(",")]
    return None


# ---- groups ----

def test_usage(args):
    r = mote(args)
    check(r.returncode == 2 and "usage" in r.stderr, "mote without arguments: usage on stderr, exit 2")
    r = mote(args, "--version")
    check(r.returncode == 0 and r.stdout.startswith("mote "), "mote --version")
    for argv in (["help"], ["--help"], ["help", "run"], ["help", "inspect"], ["run", "--help"]):
        r = mote(args, *argv)
        check(r.returncode == 0 and "usage" in r.stdout, f"mote {' '.join(argv)} prints usage, exit 0")
    for argv in (["frobnicate"], ["help", "frobnicate"], ["run"], ["inspect"], ["run", "--threads", "0", "m"],
                 ["run", "a.tflite", "b.tflite"], ["run", "m.tflite", "--bogus"],
                 ["run", "m.tflite", "--random"]):
        r = mote(args, *argv)
        check(r.returncode == 2 and not crashed(r) and r.stderr,
              f"mote {' '.join(argv)}: exit 2 with a message")
    r = mote(args, "run", os.path.join(args.tmp, "no-such-model.tflite"))
    check(clean_failure(r) and "no-such-model" in r.stderr, "mote run on a missing file fails naming it")


def test_ops(args):
    r = mote(args, "ops")
    check(r.returncode == 0 and not r.stderr, f"mote ops: exit {r.returncode} {r.stderr[:200]}")
    first = r.stdout.split("\n", 1)[0]
    words = first.split()
    count = int(words[words.index("builtin") - 1]) if "builtin" in words else 0
    check(count >= 120, f"mote ops states {count} builtin operators (at least 120): {first!r}")
    rows = [line.split() for line in r.stdout.splitlines() if line[:4].strip().isdigit()]
    check(len(rows) == count, f"mote ops lists {len(rows)} builtin rows for its count of {count}")
    check(any(row[1] == "ADD" and "float32" in row and "int8" in row for row in rows), "ADD: float32 and int8")
    for name in ("TFLite_Detection_PostProcess", "Convolution2DTransposeBias", "SignalRfft"):
        check(name in r.stdout, f"mote ops lists {name}")
    r = mote(args, "ops", "--markdown")
    check(r.returncode == 0, "mote ops --markdown")
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "OPS.md")
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    check(text == r.stdout, "docs/OPS.md is `mote ops --markdown` (regenerate: mote ops --markdown > docs/OPS.md)")
    check(f"**{count} builtin operators**" in text, "docs/OPS.md states the count")
    r = mote(args, "help", "ops")
    check(r.returncode == 0 and "usage" in r.stdout, "mote help ops")
    r = mote(args, "ops", "--bogus")
    check(r.returncode == 2 and r.stderr, "mote ops --bogus: exit 2 with a message")


def test_inspect(args):
    paths = models(args.shared)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda p: (p, mote(args, "inspect", p)), paths))
    for path, r in results:
        name = os.path.relpath(path, args.shared)
        if not check(r.returncode == 0 and not crashed(r),
                     f"inspect {name}: exit {r.returncode} {crashed(r)} {r.stderr.strip()[:200]}"):
            continue
        for key in ("schema version: 3", "subgraphs:", "inputs (subgraph 0):", "operators:", "weights:",
                    "arena:"):
            check(key in r.stdout, f"inspect {name}: prints '{key}'")
        check(unsupported_ops(r.stdout) is not None, f"inspect {name}: lists unsupported operators")
    print(f"inspect: {len(results)} models")
    person = [r for p, r in results if os.path.basename(p) == "person_detect.tflite"]
    if person:
        check("note:" in person[0].stdout and "quantized_dimension" in person[0].stdout,
              "inspect person_detect notes the out-of-range quantized_dimension")


def test_unsupported(args):
    tried = 0
    for path in models(args.shared):
        ops = unsupported_ops(mote(args, "inspect", path).stdout)
        if not ops:
            continue
        r = mote(args, "run", path, "--random", "1", "--arena-limit", ARENA_LIMIT)
        name = os.path.basename(path)
        check(r.returncode == 3 and not crashed(r),
              f"run {name} (needs {', '.join(ops)}): exit {r.returncode}, expected 3")
        for op in ops:
            check(op.replace(" (custom)", "") in r.stderr,
                  f"run {name}: the error names {op}: {r.stderr.strip()[:300]}")
        tried += 1
        if tried == 5:
            break
    print(f"unsupported: {tried} models checked" if tried
          else "unsupported: every model is supported (nothing to check)")


def test_run(args):
    model = os.path.join(args.shared, "models", "add.tflite")
    a, b = os.path.join(args.tmp, "a"), os.path.join(args.tmp, "b")
    r1 = mote(args, "run", model, "--random", "7", "--output-dir", a)
    r2 = mote(args, "run", model, "--random", "7", "--output-dir", b, "--quiet")
    if not check(r1.returncode == 0 and r2.returncode == 0, f"run add --random: {r1.stderr}{r2.stderr}"):
        return
    check("invoke" in r1.stdout and "output" in r1.stdout, "run prints a summary with the invoke time")
    check(r2.stdout == "", "--quiet prints nothing")
    for f in ("in0.bin", "out0.bin"):
        with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
            check(x.read() == y.read(), f"--random 7 twice gives the same {f}")
    with open(os.path.join(a, "meta.json")) as f:
        meta = json.load(f)
    o = meta["outputs"][0]
    check(o["dtype"] == "float32" and o["shape"] == [1, 8, 8, 3] and o["bytes"] == 768 and
          o["tensor_index"] == 2 and o["quantization"] is None, "meta.json describes the output")
    # The same inputs given as a file and as a golden folder give the same outputs.
    c = os.path.join(args.tmp, "c")
    r = mote(args, "run", model, "--input", os.path.join(a, "in0.bin"), "--output-dir", c, "-q")
    check(r.returncode == 0, f"run --input: {r.stderr}")
    d = os.path.join(args.tmp, "d")
    r = mote(args, "run", model, "--inputs-from", a, "--output-dir", d, "-q")
    check(r.returncode == 0, f"run --inputs-from its own output: {r.stderr}")
    compare = os.path.join(args.shared, "tools", "compare-outputs.py")
    for got in (c, d):
        r = subprocess.run([args.python, compare, got, a], capture_output=True, text=True)
        check(r.returncode == 0, f"compare-outputs {os.path.basename(got)} vs a: {r.stdout[-300:]}")
    test_resize_and_names(args)
    r = mote(args, "run", model, "--input", os.path.join(a, "meta.json"))
    check(clean_failure(r) and "bytes" in r.stderr, "run --input with a wrong-sized file fails saying so")
    r = mote(args, "run", os.path.join(args.shared, "models", "multi_signatures.tflite"),
             "--signature", "nope")
    check(clean_failure(r) and "nope" in r.stderr, "run --signature with an unknown key fails naming it")


def test_resize_and_names(args):
    """--inputs-from resizes inputs to the folder's shapes, and maps another signature's
    folder by name."""
    golden = os.path.join(args.shared, "golden", "hello_world_float")
    model = os.path.join(args.shared, "models", "hello_world_float.tflite")
    if os.path.isdir(golden):
        d = os.path.join(args.tmp, "batch4")
        os.makedirs(d)
        with open(os.path.join(golden, "meta.json")) as f:
            meta = json.load(f)
        meta["inputs"][0].update(shape=[4, 1], bytes=16)
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f)
        with open(os.path.join(d, "in0.bin"), "wb") as f:
            f.write(b"\0\0\0\0\0\0\x80\x3f\0\0\0\x40\0\0\x40\x40")  # 0, 1, 2, 3 as float32
        out = os.path.join(args.tmp, "batch4-out")
        r = mote(args, "run", model, "--inputs-from", d, "--output-dir", out, "-q")
        if check(r.returncode == 0, f"run hello_world_float with batch 4: {r.stderr}"):
            with open(os.path.join(out, "meta.json")) as f:
                check(json.load(f)["outputs"][0]["shape"] == [4, 1], "the output follows the resized batch")
    golden = os.path.join(args.shared, "golden", "multi_signatures")
    model = os.path.join(args.shared, "models", "multi_signatures.tflite")
    if os.path.isdir(golden):
        # The folder was made with signature 'add'; 'sub' runs another subgraph whose tensor
        # indices mean something else, so its input is found by name.
        r = mote(args, "run", model, "--inputs-from", golden, "--signature", "sub")
        check(r.returncode == 0 and "output_0" in r.stdout,
              f"run signature 'sub' on add's folder: {r.stderr}")


def corruptions(data, rng):
    """(label, bytes) variants of a model file: truncations, then byte changes."""
    n = len(data)
    for cut in sorted({0, 1, 4, 7, 8, 16, 64, n // 4, n // 2, n - 16, n - 1}):
        if 0 <= cut < n:
            yield f"truncated to {cut} bytes", data[:cut]
    yield "garbage", bytes(rng.randrange(256) for _ in range(min(n, 4096)))
    # The FlatBuffer tables and vectors sit near both ends of a file (weights in the middle).
    head, tail = min(n, 2048), max(0, n - 2048)
    for i in range(40):
        buf = bytearray(data)
        for _ in range(1 + i % 4):
            pos = rng.randrange(head) if i % 2 == 0 else rng.randrange(tail, n)
            buf[pos] = rng.choice((0x00, 0xFF, 0x7F, 0x80, buf[pos] ^ (1 << rng.randrange(8))))
        yield f"corruption {i}", bytes(buf)


def test_corrupt(args):
    rng = random.Random(20240601)
    jobs = []
    for name in ("add", "hello_world_float", "multi_signatures", "person_detect",
                 "while_op_with_forwarding_input"):
        path = os.path.join(args.shared, "models", name + ".tflite")
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        for k, (label, blob) in enumerate(corruptions(data, rng)):
            bad = os.path.join(args.tmp, f"{name}.{k}.tflite")
            with open(bad, "wb") as f:
                f.write(blob)
            jobs.append((f"{name} {label}", bad, label.startswith(("truncated", "garbage"))))

    def one(job):
        label, path, must_fail = job
        ri = mote(args, "inspect", path)
        rr = mote(args, "run", path, "--random", "3", "--arena-limit", ARENA_LIMIT, "--quiet")
        return label, must_fail, ri, rr

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one, jobs))
    for label, must_fail, ri, rr in results:
        for cmd, r in (("inspect", ri), ("run", rr)):
            why = crashed(r)
            if not check(not why, f"{cmd} on {label}: {why}"):
                continue
            if must_fail:
                check(clean_failure(r) or (cmd == "run" and r.returncode == 3),
                      f"{cmd} on {label}: expected a failure with one message, "
                      f"got exit {r.returncode}: {r.stderr[:200]}")
            elif r.returncode != 0:
                check(r.stderr.startswith("mote"), f"{cmd} on {label}: exit {r.returncode} without a message")
    print(f"corrupt: {len(results)} files, each inspected and run")
    test_bad_meta(args)


def test_bad_meta(args):
    """Malformed golden folders for --inputs-from."""
    model = os.path.join(args.shared, "models", "add.tflite")
    good = os.path.join(args.shared, "golden", "add")
    if not os.path.isdir(good):
        return
    with open(os.path.join(good, "meta.json")) as f:
        text = f.read()
    variants = {
        "empty": "", "truncated": text[: len(text) // 2], "not an object": "[1, 2]",
        "deep": "[" * 100000 + "]" * 100000, "deep object": '{"a":' * 5000 + "1" + "}" * 5000,
        "bad escape": '{"inputs": "\\q"}', "bad unicode": '{"inputs": "\\ud800"}',
        "nul": '{"inputs": "\\u0000"}', "control char": '{"inputs": "a\x01"}',
        "trailing": text + " x", "huge number": '{"inputs": [{"tensor_index": 1e999}]}',
        "escape at end": '{"a": "\\', "lone minus": '{"a": -}',
        "path escape": text.replace('"in0.bin"', '"../add/in0.bin"'),
        "wrong shape type": text.replace('"shape": [1, 8, 8, 3]', '"shape": "1x8"'),
        "negative dim": text.replace('"shape": [1, 8, 8, 3]', '"shape": [1, -8, 8, 3]'),
        "huge rank": text.replace('"shape": [1, 8, 8, 3]', '"shape": [' + ", ".join(["1"] * 40) + "]"),
        "wrong dtype": text.replace('"dtype": "float32"', '"dtype": "int8"', 1),
        "wrong index": text.replace('"tensor_index": 1', '"tensor_index": 7', 1),
        "wrong bytes": text.replace('"bytes": 768', '"bytes": 12', 1),
        "missing file": text.replace('"in0.bin"', '"in9.bin"'),
    }
    for label, body in variants.items():
        d = os.path.join(args.tmp, "meta-" + label.replace(" ", "-"))
        os.makedirs(d, exist_ok=True)
        shutil.copy(os.path.join(good, "in0.bin"), d)
        with open(os.path.join(d, "meta.json"), "w") as f:
            f.write(body)
        r = mote(args, "run", model, "--inputs-from", d, "--quiet")
        check(clean_failure(r),
              f"--inputs-from with meta.json {label}: exit {r.returncode} {crashed(r)} {r.stderr[:200]}")
    print(f"corrupt: {len(variants)} malformed meta.json folders")


GROUPS = {"usage": test_usage, "ops": test_ops, "inspect": test_inspect, "unsupported": test_unsupported, "run": test_run,
          "corrupt": test_corrupt}


def main():
    p = argparse.ArgumentParser(description="tests of the mote command line")
    p.add_argument("group", choices=sorted(GROUPS))
    p.add_argument("--mote", required=True)
    p.add_argument("--shared", help="the shared assets; MOTE_SHARED, when set, wins (as in tests/test.h)")
    p.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    args = p.parse_args()
    args.python = sys.executable
    args.shared = os.environ.get("MOTE_SHARED") or args.shared or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    if args.group not in ("usage", "ops") and not (args.shared and os.path.isdir(os.path.join(args.shared, "models"))):
        print("SKIP: the shared assets (../shared) are absent")
        return EXIT_SKIP
    with tempfile.TemporaryDirectory(prefix="mote-cli-") as tmp:
        args.tmp = tmp
        GROUPS[args.group](args)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
