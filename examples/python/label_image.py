"""label_image.py — classify an image with a MobileNet through Mote's Python package.

Written the way TensorFlow Lite's own label_image.py is: only the import differs
(mote.interpreter instead of tflite_runtime.interpreter). Prints the top 5 classes with
their scores, then the time of one invoke.

    python3 examples/python/label_image.py                      (the shared quantized MobileNet)
    python3 examples/python/label_image.py \\
        -m ../shared/models/mobilenet_v1_0.25_224_1_default_1.tflite   (the float one)

Needs NumPy and Pillow (Debian: python3-numpy python3-pil) and the mote package (see the
Python section of README.md).
"""
import argparse
import os
import time

import numpy as np
from PIL import Image

from mote.interpreter import Interpreter

# The shared test assets sit beside the project (../shared); MOTE_SHARED overrides.
SHARED = os.environ.get("MOTE_SHARED") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
DATA = os.path.join(SHARED, "models")


def load_labels(filename):
    with open(filename, "r") as f:
        return [line.strip() for line in f.readlines()]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("-i", "--image", default=os.path.join(DATA, "data", "burger-224.png"),
                        help="image to be classified")
    parser.add_argument("-m", "--model_file",
                        default=os.path.join(DATA, "mobilenet_v1_0.25_224_quant.tflite"),
                        help=".tflite model to be executed")
    parser.add_argument("-l", "--label_file",
                        default=os.path.join(DATA, "data", "mobilenet_labels_1001.txt"),
                        help="name of file containing labels")
    parser.add_argument("--input_mean", default=127.5, type=float, help="input_mean")
    parser.add_argument("--input_std", default=127.5, type=float,
                        help="input standard deviation")
    parser.add_argument("--num_threads", default=None, type=int, help="number of threads")
    args = parser.parse_args()

    interpreter = Interpreter(model_path=args.model_file, num_threads=args.num_threads)
    interpreter.allocate_tensors()

    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()

    # A float model takes normalized pixels; a quantized one takes the bytes as they are.
    floating_model = input_details[0]["dtype"] == np.float32

    # NxHxWxC: H is dimension 1, W dimension 2.
    height = input_details[0]["shape"][1]
    width = input_details[0]["shape"][2]
    img = Image.open(args.image).convert("RGB").resize((width, height))

    # Add the batch dimension.
    input_data = np.expand_dims(img, axis=0)

    if floating_model:
        input_data = (np.float32(input_data) - args.input_mean) / args.input_std

    interpreter.set_tensor(input_details[0]["index"], input_data)

    start_time = time.time()
    interpreter.invoke()
    stop_time = time.time()

    output_data = interpreter.get_tensor(output_details[0]["index"])
    results = np.squeeze(output_data)

    top_k = results.argsort()[-5:][::-1]
    labels = load_labels(args.label_file)
    for i in top_k:
        if floating_model:
            print("{:08.6f}: {}".format(float(results[i]), labels[i]))
        else:
            print("{:08.6f}: {}".format(float(results[i] / 255.0), labels[i]))

    print("time: {:.3f}ms".format((stop_time - start_time) * 1000))
