/* run_image.h — real inputs and readable results for `mote run`: an image decoded, resized
 * and mapped to an image input (run_image.c), and the top classes, detections or segment
 * shares of an output with their labels (run_results.c). */
#ifndef MOTE_TOOLS_RUN_IMAGE_H
#define MOTE_TOOLS_RUN_IMAGE_H

#include <stdint.h>

#include "run.h"

#define RUN_IMAGE_USAGE                                                                              \
    "  --image FILE        a BMP, PNG or JPEG image for the first image input ([1,H,W,C] or\n"       \
    "                      [1,C,H,W], C 1 or 3): resized to HxW (bilinear, antialiased when\n"       \
    "                      shrinking, as Pillow), converted to gray or RGB, then mapped to the\n"    \
    "                      input's type: float (p - mean) / std; uint8 as is; int8 p - 128; with\n"  \
    "                      --input-mean/--input-std given, a quantized input gets\n"              \
    "                      round((p - mean) / std / scale) + zero_point. Other inputs: random\n"    \
    "  --input-index I     the input the image goes to (default: the first image-shaped one)\n"    \
    "  --input-mean M      mean for --image, one value or one per channel (default 127.5)\n"       \
    "  --input-std S       standard deviation for --image, likewise (default 127.5)\n"             \
    "  --raw-bytes         copy the image's bytes unchanged into a uint8 or int8 input (int8:\n"    \
    "                      reinterpreted, no -128 shift, as TFLite Micro's person_detection test)\n" \
    "  --no-antialias      resize with plain bilinear interpolation (2x2 neighbours)\n"           \
    "results:\n"                                                                                   \
    "  --labels FILE       print the top classes of the first output (or --output-index) with\n"    \
    "                      these labels (one per line; a background line is aligned by count);\n"  \
    "                      for SSD models (TFLite_Detection_PostProcess) the detections above\n"   \
    "                      --threshold; for [1,H,W,C] outputs each class's share of the pixels\n"  \
    "  --top K             how many classes to print (default 5; detections: all)\n"             \
    "  --output-index I    the output to read (default 0)\n"                                      \
    "  --threshold T       least detection score printed (default 0.5)\n"

/* What the image and result options ask for. */
typedef struct run_image_args {
    const char *path;          /* --image, or NULL */
    long long input_index;     /* --input-index, or -1 */
    float mean[3], std[3];     /* --input-mean, --input-std */
    int mean_count, std_count; /* values given: 0 (defaults), 1 or 3 */
    int raw_bytes;             /* --raw-bytes */
    int no_antialias;          /* --no-antialias */
    const char *labels;        /* --labels, or NULL */
    long long top;             /* --top, or 0 */
    long long output_index;    /* --output-index, or -1 */
    double threshold;          /* --threshold, or < 0 for the default */
    int32_t source_width;      /* the image's size before resizing (detection boxes in */
    int32_t source_height;     /* pixels), set by run_image_setup */
} run_image_args;

/* Sets the defaults. */
void run_image_args_init(run_image_args *a);

/* If argv[*i] is one of the options above, takes it (and its value) and returns 1; returns
 * 0 for another option, or CLI_EXIT_USAGE after printing why a value is bad. */
int run_image_parse_option(int argc, char **argv, int *i, run_image_args *a);

/* After the ports are bound and before allocate_tensors: checks the options against the
 * model and, with --image, decodes the image into the chosen input's bytes. Returns an exit
 * code. */
int run_image_setup(run_state *rs, run_image_args *a);

/* After invoke: prints the results --labels / --top ask for (nothing otherwise). Returns an
 * exit code. */
int run_print_results(run_state *rs, const run_image_args *a);

#endif /* MOTE_TOOLS_RUN_IMAGE_H */
