#!/usr/bin/python3
"""test_bench.py — a quick smoke test of `mote bench` and bench/compare (ctest: bench.*).

Speed is never asserted: only that the commands run, that the report and the JSON have what
they promise (keys, ordered statistics, a profile whose shares add up), and that errors exit
with the usage or failure code. bench/compare runs with the peers left out (no node
packages needed), one small model, one round.

usage: test_bench.py --mote PATH [--shared DIR] [--compare]. Exits 0 (pass), 1 (fail) or
77 (the shared assets are absent).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

EXIT_SKIP = 77
SANITIZER_ENV = {"ASAN_OPTIONS": "exitcode=86:detect_leaks=1", "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87"}
HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ("init_us", "first_us", "min_us", "median_us", "mean_us", "p90_us", "max_us", "peak_rss_bytes",
        "arena_bytes", "threads")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)
    return cond


def run(cmd, timeout=600):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout,
                              env=dict(os.environ, **SANITIZER_ENV))
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, -999, "", f"timed out after {timeout} s")


def bench_json(args, *argv):
    r = run([args.mote, "bench", *argv, "--json"])
    if not check(r.returncode == 0, f"mote bench {' '.join(argv)} --json exits 0 (got {r.returncode}: "
                                    f"{r.stderr.strip()[:300]})"):
        return None
    try:
        return json.loads(r.stdout)
    except ValueError as e:
        check(False, f"mote bench {' '.join(argv)} --json prints JSON ({e})")
        return None


def check_stats(d, what):
    for k in KEYS:
        check(k in d, f"{what}: key {k}")
    if all(k in d for k in KEYS):
        check(d["min_us"] <= d["median_us"] <= d["p90_us"] <= d["max_us"], f"{what}: min <= median <= p90 <= max")
        check(d["min_us"] <= d["mean_us"] <= d["max_us"], f"{what}: min <= mean <= max")
        check(d["init_us"] > 0 and d["first_us"] > 0, f"{what}: init and first invoke timed")
        check(d["peak_rss_bytes"] > 0, f"{what}: peak RSS measured")
        check(d["arena_bytes"] > 0, f"{what}: arena bytes")


def test_bench(args):
    models = os.path.join(args.shared, "models")
    add = os.path.join(models, "add.tflite")
    mnet = os.path.join(models, "mobilenet_v1_0.25_224_1_default_1.tflite")

    r = run([args.mote, "bench", "--help"])
    check(r.returncode == 0 and "--profile" in r.stdout, "mote bench --help")
    r = run([args.mote, "help", "bench"])
    check(r.returncode == 0 and "usage: mote bench" in r.stdout, "mote help bench")
    r = run([args.mote, "--help"])
    check("bench" in r.stdout, "bench is listed in mote --help")
    for bad in (["bench"], ["bench", add, "--runs", "0"], ["bench", add, "--threads", "x"],
                ["bench", add, "--frobnicate"], ["bench", add, "--random", "1", "--inputs-from", "x"]):
        r = run([args.mote, *bad])
        check(r.returncode == 2, f"mote {' '.join(bad)} exits 2 (got {r.returncode})")
    r = run([args.mote, "bench", os.path.join(args.shared, "no-such-model.tflite")])
    check(r.returncode == 1 and "mote:" in r.stderr, "a missing model exits 1 with a message")

    # Text report, shaped like benchmark_model's.
    r = run([args.mote, "bench", mnet, "--runs", "3", "--warmup", "1", "--profile", "--top", "5"])
    if check(r.returncode == 0, f"mote bench --profile exits 0 ({r.stderr.strip()[:300]})"):
        for text in ("Initialized in", "First inference:", "count=3 min=", "Inference timings in us: Init:",
                     "peak RSS", "CPU features:", "Top by computation time", "Summary by operator type",
                     "CONV_2D", "more operators"):
            check(text in r.stdout, f"text report has '{text}'")

    # JSON, with the profile.
    d = bench_json(args, mnet, "--runs", "3", "--warmup", "1", "--profile")
    if d:
        check_stats(d, "mobilenet --json --profile")
        prof = d.get("profile", [])
        check(len(prof) > 10, "profile lists the operators")
        check(all(p["calls"] == 1 for p in prof), "each operator ran once per invoke")
        check(abs(sum(p["share"] for p in prof) - 100) < 0.5, "operator shares add up to 100%")
        check(all(prof[i]["us"] >= prof[i + 1]["us"] for i in range(len(prof) - 1)), "profile sorted by time")
        check(all(0 <= p["min_us"] <= p["median_us"] for p in prof), "per-operator min <= median over invokes")
        fused = [p for p in prof if "fused_into" in p]
        check(fused and all(p["op"] == "CONV_2D" for p in fused),
              "the expansion convolutions fused into depthwise ones keep their own line")
        convs = [p for p in prof if p["op"] == "CONV_2D"]
        check(convs and all(p["flops"] > 0 and len(p["inputs"][1]) == 4 for p in convs),
              "convolutions carry FLOPs and filter shapes")
        by_type = d.get("profile_by_type", [])
        check(by_type and sum(t["count"] for t in by_type) == len(prof), "summary by type counts every operator")
        check(d["profile_operators_us"] <= d["mean_us"] * 1.05 + 50, "operator time within the invoke time")

    # Threads, golden inputs, reference kernels.
    d = bench_json(args, add, "--runs", "5", "--warmup", "0", "--threads", "2")
    if d:
        check_stats(d, "add --threads 2")
        check(d["threads"] == 2, "threads reported")
        check("profile" not in d, "no profile unless asked")
    golden = os.path.join(args.shared, "golden", "add")
    if os.path.isdir(golden):
        d = bench_json(args, add, "--runs", "2", "--inputs-from", golden, "--reference")
        if d:
            check(d["inputs"] == golden and d["kernels"] == "reference", "golden inputs and reference kernels")


def test_compare(args):
    with tempfile.TemporaryDirectory(prefix="mote-compare-") as out:
        r = run([sys.executable, os.path.join(HERE, "compare"), "--mote", args.mote, "--shared", args.shared,
                 "--skip-ort", "--skip-oracle", "--models", "mobilenet_v1_0.25_224_1_default_1",
                 "--rounds", "1", "--runs", "2", "--warmup", "0", "--threads", "1", "--peak-seconds", "0.01",
                 "--out", out])
        if not check(r.returncode == 0, f"bench/compare exits 0 ({r.returncode}: {r.stderr.strip()[-400:]})"):
            return
        check("| model | threads | Mote ms |" in r.stdout, "compare prints the ratio table")
        try:
            with open(os.path.join(out, "compare.json")) as f:
                d = json.load(f)
            row = d["rows"][0]
            check(row["mote_ms"] and row["mote_ms"]["n"] == 1, "compare.json has Mote's median")
            check(d["peak"] is None or "avx2_gflops" in d["peak"], "compare.json has the FMA peak")
        except (OSError, ValueError, KeyError, IndexError) as e:
            check(False, f"compare.json readable ({e})")
        check(os.path.isfile(os.path.join(out, "compare.md")), "compare.md written")
    # Without a peer installed it says how to install it, and exits 2.
    r = run([sys.executable, os.path.join(HERE, "compare"), "--mote", args.mote, "--shared", args.shared,
             "--ort-dir", os.path.join(args.shared, "no-such-dir"), "--skip-oracle", "--rounds", "1"],
            timeout=120)
    check(r.returncode == 2 and "--ignore-scripts" in r.stderr, "compare explains how to install onnxruntime-node")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mote", required=True)
    p.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    p.add_argument("--compare", action="store_true", help="test bench/compare instead of mote bench")
    args = p.parse_args()
    args.shared = os.path.abspath(args.shared)
    if not os.path.isfile(os.path.join(args.shared, "models", "add.tflite")):
        print(f"skip: no shared models in {args.shared}")
        return EXIT_SKIP
    if args.compare:
        test_compare(args)
    else:
        test_bench(args)
    print(f"{len(failures)} failed" if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
