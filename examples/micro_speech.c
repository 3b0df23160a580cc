/* micro_speech.c — keyword spotting as TensorFlow Lite Micro's micro_speech example does it:
 * 16 kHz audio -> 49 x 40 int8 features (audio_preprocessor_int8, run frame by frame with
 * the signal operators) -> scores of silence, unknown, "yes" and "no" (micro_speech_quantized).
 *
 *   micro_speech PREPROCESSOR.tflite CLASSIFIER.tflite AUDIO.wav [--expect LABEL]
 *
 * AUDIO.wav is 16 kHz mono 16-bit PCM, about a second of it. With --expect the exit status
 * says whether the top category is LABEL (0) or not (1), for tests.
 *
 * The preprocessor turns one 30 ms window (480 samples) into 40 features; windows start
 * every 20 ms (320 samples), and 49 of them cover one second. Its noise estimate carries
 * from one window to the next, so the windows of one clip run in order on one interpreter
 * (mote_interpreter_reset_variables would start a new clip). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mote.h"
#include "mote_signal.h"
#include "wav.h"

#define SAMPLE_RATE 16000
#define WINDOW_SAMPLES 480 /* 30 ms */
#define STRIDE_SAMPLES 320 /* 20 ms */
#define FEATURE_SIZE 40    /* per window */
#define FEATURE_COUNT 49   /* windows in the classifier's input */
#define CATEGORY_COUNT 4

static const char *const labels[CATEGORY_COUNT] = {"silence", "unknown", "yes", "no"};

/* An interpreter for a model file, allocated; with the signal operators when signal_ops. */
typedef struct runner {
    mote_model *model;
    mote_interpreter *it;
    mote_tensor_info in, out; /* input 0 and output 0, after allocate */
} runner;

static int open_runner(runner *r, const char *path, int signal_ops) {
    memset(r, 0, sizeof *r);
    mote_options *options = NULL;
    mote_tensor *t;
    mote_status st = mote_model_load_file(path, NULL, &r->model);
    if (st) {
        fprintf(stderr, "micro_speech: %s: %s\n", path, r->model ? mote_model_error(r->model) : "out of memory");
        return -1;
    }
    if ((st = mote_options_create(NULL, &options)) == MOTE_OK && signal_ops) st = mote_signal_register(options);
    if (st == MOTE_OK) st = mote_interpreter_create(r->model, options, &r->it);
    mote_options_destroy(options);
    if (st == MOTE_OK) st = mote_interpreter_allocate_tensors(r->it);
    if (st == MOTE_OK && (st = mote_interpreter_input(r->it, 0, &t)) == MOTE_OK) st = mote_tensor_get_info(t, &r->in);
    if (st == MOTE_OK && (st = mote_interpreter_output(r->it, 0, &t)) == MOTE_OK) st = mote_tensor_get_info(t, &r->out);
    if (st) {
        fprintf(stderr, "micro_speech: %s: %s\n", path, r->it ? mote_interpreter_error(r->it) : mote_status_string(st));
        return -1;
    }
    return 0;
}

static void close_runner(runner *r) {
    mote_interpreter_destroy(r->it);
    mote_model_destroy(r->model);
}

/* Runs the preprocessor over the clip: features[f] for each window that fits, the rest 0. */
static int make_features(runner *pre, const wav_audio *audio, int8_t features[FEATURE_COUNT][FEATURE_SIZE],
                         int *windows) {
    if (pre->in.type != MOTE_INT16 || pre->in.bytes != WINDOW_SAMPLES * sizeof(int16_t) ||
        pre->out.type != MOTE_INT8 || pre->out.bytes != FEATURE_SIZE) {
        fprintf(stderr, "micro_speech: the preprocessor should map int16[%d] to int8[%d]\n", WINDOW_SAMPLES,
                FEATURE_SIZE);
        return -1;
    }
    memset(features, 0, FEATURE_COUNT * FEATURE_SIZE);
    *windows = 0;
    for (size_t start = 0; start + WINDOW_SAMPLES <= audio->frames && *windows < FEATURE_COUNT;
         start += STRIDE_SAMPLES) {
        memcpy(pre->in.data, audio->samples + start, WINDOW_SAMPLES * sizeof(int16_t));
        if (mote_interpreter_invoke(pre->it)) {
            fprintf(stderr, "micro_speech: preprocessor: %s\n", mote_interpreter_error(pre->it));
            return -1;
        }
        memcpy(features[*windows], pre->out.data, FEATURE_SIZE);
        (*windows)++;
    }
    return 0;
}

static int classify(runner *cls, int8_t features[FEATURE_COUNT][FEATURE_SIZE], float scores[CATEGORY_COUNT]) {
    if (cls->in.type != MOTE_INT8 || cls->in.bytes != FEATURE_COUNT * FEATURE_SIZE || cls->out.type != MOTE_INT8 ||
        cls->out.bytes != CATEGORY_COUNT || cls->out.quantization.count < 1) {
        fprintf(stderr, "micro_speech: the classifier should map int8[%d] to quantized int8[%d]\n",
                FEATURE_COUNT * FEATURE_SIZE, CATEGORY_COUNT);
        return -1;
    }
    memcpy(cls->in.data, features, FEATURE_COUNT * FEATURE_SIZE);
    if (mote_interpreter_invoke(cls->it)) {
        fprintf(stderr, "micro_speech: classifier: %s\n", mote_interpreter_error(cls->it));
        return -1;
    }
    const int8_t *q = cls->out.data;
    const float scale = cls->out.quantization.scales[0];
    const int64_t zero = cls->out.quantization.zero_points ? cls->out.quantization.zero_points[0] : 0;
    for (int i = 0; i < CATEGORY_COUNT; i++) scores[i] = (float)(q[i] - zero) * scale;
    return 0;
}

int main(int argc, char **argv) {
    const char *paths[3] = {NULL, NULL, NULL}, *expect = NULL;
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = argv[++i];
        else if (argv[i][0] != '-' && n < 3)
            paths[n++] = argv[i];
        else
            n = 4;
    }
    if (n != 3) {
        fprintf(stderr, "usage: micro_speech PREPROCESSOR.tflite CLASSIFIER.tflite AUDIO.wav [--expect LABEL]\n");
        return 2;
    }
    wav_audio audio;
    char err[512];
    if (wav_read_file(paths[2], &audio, err, sizeof err)) {
        fprintf(stderr, "micro_speech: %s: %s\n", paths[2], err);
        return 1;
    }
    if (audio.sample_rate != SAMPLE_RATE || audio.channels != 1) {
        fprintf(stderr, "micro_speech: %s: %u Hz, %u channels; expected %d Hz mono\n", paths[2], audio.sample_rate,
                audio.channels, SAMPLE_RATE);
        wav_free(&audio);
        return 1;
    }
    static int8_t features[FEATURE_COUNT][FEATURE_SIZE];
    float scores[CATEGORY_COUNT];
    runner pre, cls;
    memset(&pre, 0, sizeof pre);
    memset(&cls, 0, sizeof cls);
    int windows = 0, rc = 1;
    if (open_runner(&pre, paths[0], 1) == 0 && make_features(&pre, &audio, features, &windows) == 0 &&
        open_runner(&cls, paths[1], 0) == 0 && classify(&cls, features, scores) == 0) {
        int top = 0;
        for (int i = 1; i < CATEGORY_COUNT; i++)
            if (scores[i] > scores[top]) top = i;
        printf("%s: %zu samples (%.3f s), %d windows of %d features\n", paths[2], audio.frames,
               (double)audio.frames / SAMPLE_RATE, windows, FEATURE_SIZE);
        for (int i = 0; i < CATEGORY_COUNT; i++) printf("  %-8s %.4f\n", labels[i], (double)scores[i]);
        printf("top: %s\n", labels[top]);
        rc = expect && strcmp(expect, labels[top]) != 0 ? 1 : 0;
        if (rc) fprintf(stderr, "micro_speech: expected '%s', got '%s'\n", expect, labels[top]);
    }
    close_runner(&cls);
    close_runner(&pre);
    wav_free(&audio);
    return rc;
}
