"""inputs.py — realistic inputs for the recurrent models, made at test time: handwritten-like
digits (28x28, ink in [0, 1], as MNIST), a spectrogram of a spoken word from the shared
sample recordings, and slow small-magnitude sequences."""
import wave

import numpy as np

# Digit strokes on a 28x28 canvas: polylines of (x, y) points, drawn with a soft pen.
DIGIT_STROKES = {
    0: [[(14 + 6 * np.cos(a), 14 + 9 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 40)]],
    1: [[(12, 8), (15, 5), (15, 23)], [(11, 23), (19, 23)]],
    2: [[(8, 9), (11, 5), (17, 5), (20, 9), (19, 13), (8, 23), (21, 23)]],
    3: [[(8, 6), (19, 5), (14, 13), (20, 17), (18, 22), (8, 23)]],
    4: [[(17, 23), (17, 5), (7, 17), (21, 17)]],
    5: [[(20, 5), (9, 5), (8, 13), (17, 12), (20, 17), (17, 22), (8, 22)]],
    6: [[(18, 5), (11, 9), (8, 16), (10, 22), (16, 22), (19, 17), (15, 13), (9, 15)]],
    7: [[(7, 6), (20, 6), (13, 23)]],
    8: [[(14, 14), (9, 10), (14, 5), (19, 10), (14, 14), (8, 18), (14, 23), (20, 18), (14, 14)]],
    9: [[(19, 10), (14, 5), (9, 9), (12, 14), (19, 11), (18, 23)]],
}


def _segment_distance(px, py, a, b):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / max(dx * dx + dy * dy, 1e-9), 0.0, 1.0)
    return np.hypot(px - (ax + t * dx), py - (ay + t * dy))


def digit(d, shift=(0, 0), width=1.6):
    """A 28x28 float image of digit d (ink 1.0 on 0.0), shifted by (dx, dy) pixels."""
    ys, xs = np.mgrid[0:28, 0:28].astype(np.float64)
    dist = np.full((28, 28), 1e9)
    for stroke in DIGIT_STROKES[d]:
        pts = [(x + shift[0], y + shift[1]) for x, y in stroke]
        for a, b in zip(pts, pts[1:]):
            dist = np.minimum(dist, _segment_distance(xs, ys, a, b))
    return np.clip(width - dist + 0.5, 0.0, 1.0)


def read_wav(path):
    """16-bit mono PCM samples as floats in [-1, 1), and the sample rate."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError("%s: expected 16-bit mono PCM" % path)
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data.astype(np.float64) / 32768.0, w.getframerate()


def spectrogram(samples, frames=49, frame_length=480, frame_step=320, fft_length=512):
    """|STFT| of one second of 16 kHz audio: 30 ms Hann windows every 20 ms, 257 bins."""
    samples = np.pad(samples, (0, max(0, frame_length + frame_step * (frames - 1) - samples.size)))
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)
    rows = []
    for i in range(frames):
        seg = samples[i * frame_step:i * frame_step + frame_length] * window
        rows.append(np.abs(np.fft.rfft(seg, fft_length)))
    return np.array(rows)


def slow_sequence(steps, width, seed, amplitude=0.5):
    """A smooth sequence [steps, width]: sums of slow sines of small amplitude."""
    rng = np.random.default_rng(seed)
    t = np.arange(steps)[:, None]
    freq = rng.uniform(0.05, 0.4, (1, width))
    phase = rng.uniform(0, 2 * np.pi, (1, width))
    return amplitude * np.sin(freq * t + phase)


def quantize(x, scale, zero_point, dtype):
    info = np.iinfo(dtype)
    return np.clip(np.round(x / scale) + zero_point, info.min, info.max).astype(dtype)
