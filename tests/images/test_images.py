#!/usr/bin/env python3
"""test_images.py — `mote run --image --labels --top` on the shared sample images, with the
expectations of the shared MANIFEST.md (checked there against TensorFlow Lite's reference
kernels), one group per ctest entry:

  classify   cat.bmp -> tf2_mobilenet_v2_1.0_224_ptq: 286 "Egyptian cat", score > 0.6;
             burger-224.png -> mobilenet_v1_0.25_224_quant: 934 "cheeseburger", >= 0.90,
             and -> the float mobilenet_v1_0.25_224_1_default_1: cheeseburger first
  person     person.bmp / no_person.bmp -> person_detect with --raw-bytes (TFLite Micro's
             test copies the BMP bytes into the int8 input): [-113, 113] and [57, -57]
  detect     cats_and_dogs.jpg -> coco_ssd_mobilenet_v1 (TFLite_Detection_PostProcess):
             cat 0.656 [0.663, 0.043, 0.991, 0.370], cat 0.621, cat 0.539, dog 0.500
  segment    segmentation_input_rotation0.jpg -> deeplabv3: the argmax class mask (x10)
             matches segmentation_golden_rotation0.png on >= 99% of the pixels
  malformed  truncated and corrupted BMP, PNG and JPEG files (made here, in a temp dir) and
             bad option combinations: a failure exit with one message, never a crash

usage: test_images.py GROUP --mote PATH [--shared DIR]. Exits 0 (pass), 1 (fail) or 77 (the
shared assets are absent, or this mote cannot decode the group's image format).
"""
import argparse
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import zlib

EXIT_SKIP = 77
# Sanitizer reports get their own exit codes so that they cannot pass for mote's own
# failure exit (1).
SANITIZER_ENV = {"ASAN_OPTIONS": "exitcode=86:detect_leaks=1", "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87"}
SANITIZER_CODES = (86, 87)

failures = []


class Skip(Exception):
    pass


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)
    return cond


def mote(args, *argv, timeout=600):
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


def model(args, name):
    return os.path.join(args.shared, "models", name + ".tflite")


def data(args, name):
    return os.path.join(args.shared, "models", "data", name)


def run_ok(args, what, *argv):
    """Runs mote, skipping the group when the build lacks the image's decoder. Returns stdout."""
    r = mote(args, "run", *argv, "--quiet")
    if r.returncode != 0 and "built without" in r.stderr:
        raise Skip(r.stderr.strip())
    if not check(r.returncode == 0, f"{what}: exit {r.returncode} {crashed(r)}: {r.stderr.strip()[:300]}"):
        return None
    return r.stdout


# "  0.625000 (q 160)  286  Egyptian cat"
CLASS_LINE = re.compile(r"^\s+(\S+)(?: \(q (-?\d+)\))?\s+(\d+)\s+(.*)$")
# "  0.656250  16  cat          [0.6635, 0.0427, 0.9906, 0.3698]  x 51 ..."
DETECTION_LINE = re.compile(r"^\s+(\S+)\s+(-?\d+)\s+(.*?)\s+\[([^\]]*)\]")


def top_classes(stdout):
    """[(score, q or None, index, label)] from a --labels/--top listing."""
    out = []
    for line in stdout.splitlines()[1:]:
        m = CLASS_LINE.match(line)
        if m:
            out.append((float(m[1]), int(m[2]) if m[2] else None, int(m[3]), m[4].strip()))
    return out


def expect_top1(args, what, stdout, index, label, min_score):
    top = top_classes(stdout or "")
    if not check(top, f"{what}: no classes printed: {stdout!r}"):
        return
    score, q, i, name = top[0]
    print(f"{what}: top-1 {i} '{name}' score {score:.4f}" + (f" (q {q})" if q is not None else ""))
    check(i == index and name == label, f"{what}: top-1 is {i} '{name}', expected {index} '{label}'")
    check(score >= min_score, f"{what}: top-1 score {score} < {min_score}")


def test_classify(args):
    out = run_ok(args, "cat.bmp", model(args, "tf2_mobilenet_v2_1.0_224_ptq"), "--image", data(args, "cat.bmp"),
                 "--labels", data(args, "imagenet_labels.txt"), "--top", "3")
    expect_top1(args, "cat.bmp -> tf2_mobilenet_v2_1.0_224_ptq", out, 286, "Egyptian cat", 0.6)
    for name, least in (("mobilenet_v1_0.25_224_quant", 0.90), ("mobilenet_v1_0.25_224_1_default_1", 0.5)):
        out = run_ok(args, "burger-224.png", model(args, name), "--image", data(args, "burger-224.png"),
                     "--labels", data(args, "mobilenet_labels_1001.txt"))
        expect_top1(args, f"burger-224.png -> {name}", out, 934, "cheeseburger", least)


def test_person(args):
    with tempfile.TemporaryDirectory(prefix="mote-images-", dir=args.tmp) as d:
        for image, expected in (("person.bmp", (-113, 113)), ("no_person.bmp", (57, -57))):
            out_dir = os.path.join(d, image)
            if run_ok(args, image, model(args, "person_detect"), "--image", data(args, image), "--raw-bytes",
                      "--output-dir", out_dir) is None:
                continue
            with open(os.path.join(out_dir, "out0.bin"), "rb") as f:
                got = tuple(struct.unpack("2b", f.read()))
            print(f"{image} -> person_detect (raw bytes): {list(got)}, expected {list(expected)}")
            # The reference's numbers, within one step; the winner must be the same.
            check(all(abs(g - e) <= 1 for g, e in zip(got, expected)) and
                  (got[1] > got[0]) == (expected[1] > expected[0]),
                  f"{image}: person_detect gave {list(got)}, expected {list(expected)}")


def test_detect(args):
    out = run_ok(args, "cats_and_dogs.jpg", model(args, "coco_ssd_mobilenet_v1_1.0_quant_2018_06_29"),
                 "--image", data(args, "cats_and_dogs.jpg"), "--labels", data(args, "coco_ssd_labelmap.txt"),
                 "--threshold", "0.3", "--top", "4")
    if out is None:
        return
    found = []
    for line in out.splitlines()[1:]:
        m = DETECTION_LINE.match(line)
        if m:
            found.append((float(m[1]), m[3], [float(v) for v in m[4].split(",")]))
    print("cats_and_dogs.jpg -> coco_ssd: " + "; ".join(f"{l} {s:.3f}" for s, l, _ in found))
    expected = [("cat", 0.656), ("cat", 0.621), ("cat", 0.539), ("dog", 0.500)]
    # JPEG decoders may differ by a level here and there: scores within 0.03, the box 0.02.
    if not check(len(found) == 4, f"coco_ssd: {len(found)} detections printed, expected 4: {out!r}"):
        return
    for (score, label, _), (want_label, want_score) in zip(found, expected):
        check(label == want_label and abs(score - want_score) <= 0.03,
              f"coco_ssd: {label} {score:.3f}, expected {want_label} {want_score}")
    box = found[0][2]
    check(all(abs(b - e) <= 0.02 for b, e in zip(box, (0.663, 0.043, 0.991, 0.370))),
          f"coco_ssd: first box {box}, expected [0.663, 0.043, 0.991, 0.370]")


def read_png_gray8(path):
    """(width, height, bytes) of an 8-bit grayscale, non-interlaced PNG (the golden mask)."""
    with open(path, "rb") as f:
        blob = f.read()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, width = 8, b"", 0
    while at < len(blob):
        size, kind = struct.unpack(">I4s", blob[at:at + 8])
        body = blob[at + 8:at + 8 + size]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color == 0 and interlace == 0, "only 8-bit gray non-interlaced"
        elif kind == b"IDAT":
            idat += body
        at += 12 + size
    raw, rows, prev = zlib.decompress(idat), [], bytearray(width)
    for y in range(height):
        kind, line = raw[y * (width + 1)], bytearray(raw[y * (width + 1) + 1:(y + 1) * (width + 1)])
        for x in range(width):
            a = line[x - 1] if x else 0
            b, c = prev[x], prev[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, b"".join(rows)


def test_segment(args):
    import numpy as np
    with tempfile.TemporaryDirectory(prefix="mote-images-", dir=args.tmp) as d:
        out = run_ok(args, "segmentation_input_rotation0.jpg", model(args, "deeplabv3"), "--image",
                     data(args, "segmentation_input_rotation0.jpg"), "--labels", data(args, "deeplabv3_labelmap.txt"),
                     "--output-dir", d)
        if out is None:
            return
        print(out.strip())
        scores = np.fromfile(os.path.join(d, "out0.bin"), np.float32).reshape(257, 257, 21)
        mask = scores.argmax(axis=-1).astype(np.int32) * 10
        w, h, golden = read_png_gray8(data(args, "segmentation_golden_rotation0.png"))
        golden = np.frombuffer(golden, np.uint8).reshape(h, w).astype(np.int32)
        share = float((mask == golden).mean())
        print(f"deeplabv3: {share * 100:.2f}% of the pixels match the golden mask")
        check(share >= 0.99, f"deeplabv3: {share * 100:.2f}% of the pixels match the golden mask, need 99%")


def corruptions(blob, rng):
    """(label, bytes, must_fail) variants of an image file."""
    n = len(blob)
    for cut in sorted({0, 1, 2, 3, 10, 14, 20, 30, 54, 100, n // 3, n // 2, n - 2, n - 1}):
        if 0 <= cut < n:
            yield f"truncated to {cut} bytes", blob[:cut], True
    head = min(n, 1200)  # headers, palettes, tables
    for i in range(36):
        buf = bytearray(blob)
        for _ in range(1 + i % 3):
            pos = rng.randrange(head) if i % 3 else rng.randrange(n)
            buf[pos] = rng.choice((0x00, 0xFF, 0x7F, 0x80, buf[pos] ^ (1 << rng.randrange(8))))
        yield f"corruption {i}", bytes(buf), False


def bmp_header_variants(blob):
    """BMP files with one header field set to a bad value: each must be refused."""
    def with_field(offset, fmt, value):
        buf = bytearray(blob)
        struct.pack_into(fmt, buf, offset, value)
        return bytes(buf)
    yield "pixel offset past the end", with_field(10, "<I", len(blob) + 10)
    yield "pixel offset 2^32-1", with_field(10, "<I", 0xFFFFFFFF)
    yield "header size 2^32-1", with_field(14, "<I", 0xFFFFFFFF)
    yield "header size 12", with_field(14, "<I", 12)
    yield "width 0", with_field(18, "<i", 0)
    yield "width -5", with_field(18, "<i", -5)
    yield "width 2^31-1", with_field(18, "<i", 0x7FFFFFFF)
    yield "height -2^31", with_field(22, "<i", -0x80000000)
    yield "height 1000x", with_field(22, "<i", 96000)
    yield "16 bits", with_field(28, "<H", 16)
    yield "RLE", with_field(30, "<I", 1)
    yield "300 colors", with_field(46, "<I", 300)


def test_malformed(args):
    rng = random.Random(20240611)
    net = model(args, "add")  # [1,8,8,3] float: every image fits, fast
    jobs = []
    for name in ("person.bmp", "cat.bmp", "burger-224.png", "segmentation_input_rotation0.jpg",
                 "cats_and_dogs.jpg"):
        with open(data(args, name), "rb") as f:
            blob = f.read()
        variants = list(corruptions(blob, rng))
        if name == "person.bmp":
            variants += [(label, b, True) for label, b in bmp_header_variants(blob)]
        for k, (label, b, must_fail) in enumerate(variants):
            path = os.path.join(args.tmp, f"{k}.{name}")
            with open(path, "wb") as f:
                f.write(b)
            jobs.append((f"{name} {label}", path, must_fail))
    text = os.path.join(args.tmp, "not-an-image.png")
    with open(text, "w") as f:
        f.write("hello\n")
    jobs.append(("a text file", text, True))
    skipped = set()
    for label, path, must_fail in jobs:
        r = mote(args, "run", net, "--image", path, "--quiet", timeout=120)
        if r.returncode != 0 and "built without" in r.stderr:
            skipped.add(os.path.splitext(path)[1])
            continue
        why = crashed(r)
        if not check(not why, f"{label}: {why}"):
            continue
        if must_fail:
            check(clean_failure(r), f"{label}: expected a failure with one message, got exit {r.returncode}: "
                                    f"{r.stderr[:200]}")
        elif r.returncode != 0:
            check(clean_failure(r), f"{label}: exit {r.returncode} without a message")
    print(f"malformed: {len(jobs)} damaged images" + (f" ({', '.join(sorted(skipped))} not decodable in this "
                                                        "build)" if skipped else ""))
    # Options that do not fit the model or each other.
    bmp, labels = data(args, "person.bmp"), data(args, "imagenet_labels.txt")
    for what, argv in (
        ("--raw-bytes on a float input", (net, "--image", bmp, "--raw-bytes")),
        ("--input-index out of range", (net, "--image", bmp, "--input-index", "3")),
        ("--output-index out of range", (net, "--top", "2", "--output-index", "5")),
        ("--input-mean without --image", (net, "--input-mean", "1")),
        ("three means for a gray input", (model(args, "person_detect"), "--image", bmp, "--input-mean", "1,2,3")),
        ("no image input", (model(args, "hello_world_float"), "--image", bmp)),
        ("a missing image", (net, "--image", os.path.join(args.tmp, "missing.bmp"))),
        ("a missing label file", (net, "--labels", os.path.join(args.tmp, "missing.txt"))),
        ("--image and --input for one input", (net, "--image", bmp, "--input", labels)),
    ):
        r = mote(args, "run", *argv, "--quiet")
        check(clean_failure(r), f"{what}: expected a failure with a message, got exit {r.returncode} "
                                f"{crashed(r)}: {r.stderr[:200]}")
    for what, argv in (("bad --top", ("--top", "0")), ("bad --input-std", ("--input-std", "0")),
                       ("bad --threshold", ("--threshold", "x")), ("bad --input-mean", ("--input-mean", "1,2"))):
        r = mote(args, "run", net, *argv)
        check(r.returncode == 2 and not crashed(r), f"{what}: expected exit 2, got {r.returncode}: {r.stderr[:200]}")


GROUPS = {"classify": test_classify, "person": test_person, "detect": test_detect, "segment": test_segment,
          "malformed": test_malformed}


def main():
    p = argparse.ArgumentParser(description="tests of mote run --image")
    p.add_argument("group", choices=sorted(GROUPS))
    p.add_argument("--mote", required=True)
    p.add_argument("--shared", help="the shared assets; MOTE_SHARED, when set, wins (as in tests/test.h)")
    args = p.parse_args()
    args.shared = os.environ.get("MOTE_SHARED") or args.shared or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    if not (args.shared and os.path.isdir(os.path.join(args.shared, "models", "data"))):
        print("SKIP: the shared assets (../shared) are absent")
        return EXIT_SKIP
    with tempfile.TemporaryDirectory(prefix="mote-images-") as tmp:
        args.tmp = tmp
        try:
            GROUPS[args.group](args)
        except Skip as e:
            print(f"SKIP (the rest of the group): {e}")
            if not failures:
                return EXIT_SKIP
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
