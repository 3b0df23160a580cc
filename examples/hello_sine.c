/* hello_sine.c — the TensorFlow Lite workflow in miniature: train y = sin(x), write a .tflite, run it. */

/* Like TensorFlow Lite Micro's hello_world, but with no Python: the samples, the training
 * (Adam on a 1-16-16-1 ReLU network, in double precision) and the .tflite file are all made
 * here, then Mote loads the file back and runs it as it would any converted model.
 *
 *   hello_sine [MODEL_PATH]      (default: hello_sine.tflite in the current directory)
 *
 * Exits 0 only if the network learned the curve (mean absolute error below 0.1). Everything
 * printed is deterministic except the timings. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mote.h"
#include "mote_writer.h"

#define PI 3.14159265358979323846

/* ---- data: noisy samples of sin(x) from a seeded generator ---------------------------- */

#define SAMPLES 1000
#define TRAIN_SAMPLES 800 /* the rest is held out for validation */
#define NOISE 0.1         /* standard deviation of the noise added to sin(x) */

/* PCG32 (O'Neill): small, fast and the same on every platform, unlike rand(). */
typedef struct rng {
    uint64_t state;
} rng;

static uint32_t rng_u32(rng *r) {
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + 1442695040888963407ULL;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

/* Uniform in [0, 1). */
static double rng_uniform(rng *r) { return rng_u32(r) / 4294967296.0; }

/* Standard normal, by Box-Muller (one of the pair is enough here). */
static double rng_normal(rng *r) {
    double u1 = 1.0 - rng_uniform(r); /* (0, 1]: log(u1) is finite */
    double u2 = rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * PI * u2);
}

/* ---- the network: 1 -> 16 -> 16 -> 1, ReLU, weights [out, in] as TFLite stores them ---- */

#define H 16
enum {
    P_W1 = 0,           /* [H, 1] */
    P_B1 = P_W1 + H,    /* [H] */
    P_W2 = P_B1 + H,    /* [H, H] */
    P_B2 = P_W2 + H * H,/* [H] */
    P_W3 = P_B2 + H,    /* [1, H] */
    P_B3 = P_W3 + H,    /* [1] */
    P_COUNT = P_B3 + 1  /* 321 parameters */
};

/* Forward pass for one x; keeps the hidden activations for the backward pass. */
static double net_forward(const double *p, double x, double *h1, double *h2) {
    for (int j = 0; j < H; j++) h1[j] = fmax(0.0, p[P_W1 + j] * x + p[P_B1 + j]);
    for (int k = 0; k < H; k++) {
        double acc = p[P_B2 + k];
        for (int j = 0; j < H; j++) acc += p[P_W2 + k * H + j] * h1[j];
        h2[k] = fmax(0.0, acc);
    }
    double y = p[P_B3];
    for (int k = 0; k < H; k++) y += p[P_W3 + k] * h2[k];
    return y;
}

/* Adds d(loss)/d(params) for one sample to g, given dy = d(loss)/d(output). */
static void net_backward(const double *p, double x, const double *h1, const double *h2, double dy,
                         double *g) {
    double dh2[H], dh1[H];
    g[P_B3] += dy;
    for (int k = 0; k < H; k++) {
        g[P_W3 + k] += dy * h2[k];
        dh2[k] = h2[k] > 0.0 ? dy * p[P_W3 + k] : 0.0;
    }
    for (int j = 0; j < H; j++) dh1[j] = 0.0;
    for (int k = 0; k < H; k++) {
        g[P_B2 + k] += dh2[k];
        for (int j = 0; j < H; j++) {
            g[P_W2 + k * H + j] += dh2[k] * h1[j];
            dh1[j] += dh2[k] * p[P_W2 + k * H + j];
        }
    }
    for (int j = 0; j < H; j++) {
        double d = h1[j] > 0.0 ? dh1[j] : 0.0;
        g[P_W1 + j] += d * x;
        g[P_B1 + j] += d;
    }
}

static double mse(const double *p, const double *xs, const double *ys, int n) {
    double h1[H], h2[H], sum = 0.0;
    for (int i = 0; i < n; i++) {
        double e = net_forward(p, xs[i], h1, h2) - ys[i];
        sum += e * e;
    }
    return sum / n;
}

/* He initialization, except that each first-layer ReLU gets its kink (x = -b/w) at a random
 * point inside [0, 2pi]: with zero biases every kink would sit at x = 0, the edge of the
 * data, and the network would start out as a straight line. */
static void net_init(double *p, rng *r) {
    memset(p, 0, sizeof(double) * P_COUNT);
    for (int j = 0; j < H; j++) {
        p[P_W1 + j] = rng_normal(r) * sqrt(2.0);
        p[P_B1 + j] = -p[P_W1 + j] * (2.0 * PI * rng_uniform(r));
    }
    for (int i = 0; i < H * H; i++) p[P_W2 + i] = rng_normal(r) * sqrt(2.0 / H);
    for (int k = 0; k < H; k++) p[P_W3 + k] = rng_normal(r) * sqrt(2.0 / H);
}

#define EPOCHS 200
#define BATCH 32
#define LEARNING_RATE 0.01 /* decays linearly to a tenth of this by the last epoch */

/* Mini-batch Adam (Kingma & Ba) on the mean squared error. */
static void train(double *p, const double *xs, const double *ys, rng *r) {
    static double m[P_COUNT], v[P_COUNT], g[P_COUNT];
    const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    int order[TRAIN_SAMPLES];
    long step = 0;
    for (int i = 0; i < TRAIN_SAMPLES; i++) order[i] = i;
    memset(m, 0, sizeof m);
    memset(v, 0, sizeof v);
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        double lr = LEARNING_RATE * (1.0 - 0.9 * (epoch - 1) / (EPOCHS - 1));
        for (int i = TRAIN_SAMPLES - 1; i > 0; i--) { /* Fisher-Yates shuffle */
            int j = (int)(rng_u32(r) % (uint32_t)(i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int start = 0; start < TRAIN_SAMPLES; start += BATCH) {
            int n = TRAIN_SAMPLES - start < BATCH ? TRAIN_SAMPLES - start : BATCH;
            memset(g, 0, sizeof g);
            for (int b = 0; b < n; b++) {
                double h1[H], h2[H], x = xs[order[start + b]];
                double y = net_forward(p, x, h1, h2);
                net_backward(p, x, h1, h2, 2.0 * (y - ys[order[start + b]]) / n, g);
            }
            step++;
            double c1 = 1.0 - pow(beta1, (double)step), c2 = 1.0 - pow(beta2, (double)step);
            for (int i = 0; i < P_COUNT; i++) {
                m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps);
            }
        }
        if (epoch == 1 || epoch % 50 == 0)
            printf("  epoch %3d  train MSE %.4f  validation MSE %.4f\n", epoch,
                   mse(p, xs, ys, TRAIN_SAMPLES),
                   mse(p, xs + TRAIN_SAMPLES, ys + TRAIN_SAMPLES, SAMPLES - TRAIN_SAMPLES));
    }
}

/* ---- writing the .tflite --------------------------------------------------------------- */

/* From TensorFlow Lite's schema.fbs: BuiltinOperator FULLY_CONNECTED, the BuiltinOptions
 * union member FullyConnectedOptions, its field 0 (fused_activation_function), and
 * ActivationFunctionType RELU. */
#define TFL_FULLY_CONNECTED 9
#define TFL_OPTIONS_FULLY_CONNECTED 8
#define TFL_FC_FIELD_ACTIVATION 0
#define TFL_ACT_NONE 0
#define TFL_ACT_RELU 1

/* Adds one dense layer as a FULLY_CONNECTED op; returns the output tensor, or -1. */
static int32_t add_dense(mote_writer *w, const char *name, int32_t input, int32_t in, int32_t out,
                         const double *weights, const double *bias, int relu, int32_t output) {
    float wf[H * H], bf[H];
    char tname[64];
    int32_t wdims[2] = {out, in}, bdims[1] = {out}, wt, bt, op;
    for (int32_t i = 0; i < out * in; i++) wf[i] = (float)weights[i];
    for (int32_t i = 0; i < out; i++) bf[i] = (float)bias[i];
    snprintf(tname, sizeof tname, "%s/weights", name);
    if (mote_writer_add_tensor(w, tname, MOTE_FLOAT32, 2, wdims, wf, sizeof(float) * (size_t)(out * in), &wt))
        return -1;
    snprintf(tname, sizeof tname, "%s/bias", name);
    if (mote_writer_add_tensor(w, tname, MOTE_FLOAT32, 1, bdims, bf, sizeof(float) * (size_t)out, &bt))
        return -1;
    if (output < 0) { /* a hidden activation: [1, out], batch dynamic like the input's */
        int32_t dims[2] = {1, out}, sig[2] = {-1, out};
        snprintf(tname, sizeof tname, "%s/%s", name, relu ? "Relu" : "BiasAdd");
        if (mote_writer_add_tensor(w, tname, MOTE_FLOAT32, 2, dims, NULL, 0, &output) ||
            mote_writer_set_shape_signature(w, output, 2, sig))
            return -1;
    }
    int32_t inputs[3] = {input, wt, bt};
    mote_option_field act = {TFL_FC_FIELD_ACTIVATION, MOTE_FIELD_INT8, relu ? TFL_ACT_RELU : TFL_ACT_NONE, 0,
                             NULL, 0, NULL};
    mote_writer_op fc = {0};
    fc.builtin_code = TFL_FULLY_CONNECTED;
    fc.input_count = 3;
    fc.inputs = inputs;
    fc.output_count = 1;
    fc.outputs = &output;
    fc.options_type = TFL_OPTIONS_FULLY_CONNECTED;
    fc.field_count = 1;
    fc.fields = &act;
    if (mote_writer_add_op(w, &fc, &op)) return -1;
    return output;
}

/* Writes the trained network to path as a float32 .tflite with a serving_default signature. */
static int write_model(const double *p, const char *path) {
    mote_writer *w;
    int32_t dims[2] = {1, 1}, sig[2] = {-1, 1}, x, y, h;
    if (mote_writer_create(NULL, &w)) {
        fprintf(stderr, "hello_sine: cannot create a writer: %s\n",
                w ? mote_writer_error(w) : "out of memory");
        mote_writer_destroy(w);
        return 0;
    }
    const char *in_name = "x", *out_name = "y";
    int ok = !mote_writer_set_description(w, "hello_sine: y = sin(x) on [0, 2pi], a 1-16-16-1 ReLU "
                                             "network trained by Mote's hello_sine example") &&
             !mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 2, dims, NULL, 0, &x) &&
             !mote_writer_set_shape_signature(w, x, 2, sig) &&
             !mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 2, dims, NULL, 0, &y) &&
             !mote_writer_set_shape_signature(w, y, 2, sig) &&
             (h = add_dense(w, "dense_1", x, 1, H, p + P_W1, p + P_B1, 1, -1)) >= 0 &&
             (h = add_dense(w, "dense_2", h, H, H, p + P_W2, p + P_B2, 1, -1)) >= 0 &&
             add_dense(w, "dense_3", h, H, 1, p + P_W3, p + P_B3, 0, y) >= 0 &&
             !mote_writer_set_inputs(w, 1, &x) && !mote_writer_set_outputs(w, 1, &y) &&
             !mote_writer_add_signature(w, "serving_default", 0, 1, &in_name, &x, 1, &out_name, &y) &&
             !mote_writer_save(w, path);
    if (!ok) fprintf(stderr, "hello_sine: cannot write %s: %s\n", path, mote_writer_error(w));
    mote_writer_destroy(w);
    return ok;
}

/* ---- running it with Mote ------------------------------------------------------------- */

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long file_bytes(const char *path) {
    FILE *f = fopen(path, "rb");
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (f) fclose(f);
    return n;
}

#define SWEEP 1000      /* points for the mean absolute error, run as one batch */
#define TABLE_ROWS 13   /* points printed, batch 1 each */
#define TIMED_RUNS 1000 /* invokes timed for the median latency */

/* Runs x through the interpreter at batch 1. */
static mote_status predict1(mote_interpreter *it, mote_tensor *in, mote_tensor *out, float x, float *y) {
    mote_status st = mote_tensor_copy_from(in, &x, sizeof x);
    if (!st) st = mote_interpreter_invoke(it);
    if (!st) st = mote_tensor_copy_to(out, y, sizeof *y);
    return st;
}

static int run_model(const char *path, const double *p) {
    static float xs[SWEEP], ys[SWEEP];
    static double times[TIMED_RUNS];
    mote_model *model = NULL;
    mote_interpreter *it = NULL;
    mote_tensor *in, *out;
    int learned = 0;
    size_t activation_bytes, persistent_bytes;
    mote_status st = mote_model_load_file(path, NULL, &model);
    if (st) {
        fprintf(stderr, "hello_sine: %s: %s\n", path,
                model ? mote_model_error(model) : mote_status_string(st));
        goto done;
    }
    /* The signature names the tensors as the training code did. */
    if ((st = mote_interpreter_create(model, NULL, &it)) || (st = mote_interpreter_allocate_tensors(it)) ||
        (st = mote_interpreter_signature_tensor(it, "serving_default", 0, "x", &in)) ||
        (st = mote_interpreter_signature_tensor(it, "serving_default", 1, "y", &out)) ||
        (st = mote_interpreter_arena_bytes(it, &activation_bytes, &persistent_bytes)))
        goto fail;

    printf("\n  %6s  %9s  %9s  %9s\n", "x", "predicted", "sin(x)", "error");
    for (int i = 0; i < TABLE_ROWS; i++) {
        float x = (float)(2.0 * PI * i / (TABLE_ROWS - 1)), y;
        if ((st = predict1(it, in, out, x, &y))) goto fail;
        printf("  %6.3f  %9.4f  %9.4f  %+9.4f\n", x, y, sin(x), y - sin(x));
    }

    /* Time the invoke alone, the input staying put. */
    for (int i = 0; i < TIMED_RUNS; i++) {
        double t0 = now_us();
        if ((st = mote_interpreter_invoke(it))) goto fail;
        times[i] = now_us() - t0;
    }
    qsort(times, TIMED_RUNS, sizeof times[0], cmp_double);

    /* The input's batch dimension is dynamic (shape_signature [-1, 1]): run the whole sweep
     * as one [SWEEP, 1] batch. Tensors move on resize, so look them up again. */
    int32_t batch[2] = {SWEEP, 1};
    if ((st = mote_interpreter_signature_resize_input(it, "serving_default", "x", 2, batch)) ||
        (st = mote_interpreter_allocate_tensors(it)) ||
        (st = mote_interpreter_signature_tensor(it, "serving_default", 0, "x", &in)) ||
        (st = mote_interpreter_signature_tensor(it, "serving_default", 1, "y", &out)))
        goto fail;
    for (int i = 0; i < SWEEP; i++) xs[i] = (float)(2.0 * PI * (i + 0.5) / SWEEP);
    if ((st = mote_tensor_copy_from(in, xs, sizeof xs)) || (st = mote_interpreter_invoke(it)) ||
        (st = mote_tensor_copy_to(out, ys, sizeof ys)))
        goto fail;
    double mae = 0.0, max_diff = 0.0;
    for (int i = 0; i < SWEEP; i++) {
        double h1[H], h2[H];
        mae += fabs(ys[i] - sin(xs[i]));
        /* The same network in the training code's double precision: Mote's float32 result
         * should agree to float rounding. */
        max_diff = fmax(max_diff, fabs(ys[i] - net_forward(p, xs[i], h1, h2)));
    }
    mae /= SWEEP;
    learned = mae < 0.1;

    printf("\nmean absolute error vs sin(x), %d points in [0, 2pi]: %.4f (%s)\n", SWEEP, mae,
           learned ? "learned: below 0.1" : "NOT learned: 0.1 or more");
    printf("largest difference from the training code's forward pass: %.1e\n", max_diff);
    printf("latency of one invoke (batch 1): %.2f us median of %d\n", times[TIMED_RUNS / 2], TIMED_RUNS);
    printf("arena: %zu bytes activations + %zu bytes persistent (batch 1)\n", activation_bytes,
           persistent_bytes);
    printf("model file: %s, %ld bytes\n", path, file_bytes(path));
    goto done;
fail:
    fprintf(stderr, "hello_sine: %s: %s\n", path, it ? mote_interpreter_error(it) : mote_status_string(st));
done:
    mote_interpreter_destroy(it);
    mote_model_destroy(model);
    return learned;
}

int main(int argc, char **argv) {
    static double xs[SAMPLES], ys[SAMPLES], params[P_COUNT];
    const char *path = argc > 1 ? argv[1] : "hello_sine.tflite";
    rng r = {0x853c49e6748fea9bULL}; /* a fixed seed: the same numbers every run */
    if (argc > 2) {
        fprintf(stderr, "usage: hello_sine [MODEL_PATH]\n");
        return 2;
    }

    for (int i = 0; i < SAMPLES; i++) {
        xs[i] = 2.0 * PI * rng_uniform(&r);
        ys[i] = sin(xs[i]) + NOISE * rng_normal(&r);
    }
    printf("training a 1-16-16-1 ReLU network on %d noisy samples of sin(x) (%d held out)\n",
           TRAIN_SAMPLES, SAMPLES - TRAIN_SAMPLES);
    double t0 = now_us();
    net_init(params, &r);
    train(params, xs, ys, &r);
    printf("trained in %.2f s (%d epochs, batch %d, Adam)\n", (now_us() - t0) / 1e6, EPOCHS, BATCH);

    if (!write_model(params, path)) return 1;
    printf("wrote %s\n", path);
    return run_model(path, params) ? 0 : 1;
}
