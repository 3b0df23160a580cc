/* test_signal_features.c — TensorFlow Lite Micro's audio front end end to end: the
 * audio_preprocessor_int8 model (signal operators plus int16/int32 builtins) must turn the
 * 30 ms clip yes_30ms.wav into exactly the 40 features TFLM's micro_speech test expects, and
 * its noise estimate must carry across invokes until reset_variables. Skipped (77) without
 * the shared models. */
#include <stdint.h>
#include <sys/stat.h>

#include "../../examples/wav.h"
#include "mote.h"
#include "mote_signal.h"
#include "test.h"

#define MODEL MOTE_SHARED_DIR "/models/audio_preprocessor_int8.tflite"
#define DATA MOTE_SHARED_DIR "/models/data/"
#define WINDOW 480
#define STRIDE 320
#define FEATURES 40

/* From TFLM's micro_speech_test.cc (YesFeatureTest): the features of yes_30ms.wav. */
static const int8_t yes_30ms_features[FEATURES] = {
    124, 105, 126, 103, 125, 101, 123, 100, 116, 98,  115, 97,  113, 90,
    91,  82,  104, 96,  117, 97,  121, 103, 126, 101, 125, 104, 126, 104,
    125, 101, 116, 90,  81,  74,  80,  71,  83,  76,  82,  71,
};

typedef struct front_end {
    mote_model *model;
    mote_interpreter *it;
    mote_tensor *in, *out;
} front_end;

static int open_front_end(front_end *f) {
    memset(f, 0, sizeof *f);
    mote_options *options = NULL;
    mote_status st = mote_model_load_file(MODEL, NULL, &f->model);
    if (st == MOTE_OK && (st = mote_options_create(NULL, &options)) == MOTE_OK)
        st = mote_signal_register(options);
    if (st == MOTE_OK) st = mote_interpreter_create(f->model, options, &f->it);
    mote_options_destroy(options);
    if (st == MOTE_OK) st = mote_interpreter_allocate_tensors(f->it);
    if (st == MOTE_OK) st = mote_interpreter_input(f->it, 0, &f->in);
    if (st == MOTE_OK) st = mote_interpreter_output(f->it, 0, &f->out);
    if (st) {
        fprintf(stderr, "audio_preprocessor_int8: %s\n",
                f->it ? mote_interpreter_error(f->it) : f->model ? mote_model_error(f->model) : "");
        test_failures++;
        return 0;
    }
    return 1;
}

static void close_front_end(front_end *f) {
    mote_interpreter_destroy(f->it);
    mote_model_destroy(f->model);
}

/* One window of audio -> 40 features. */
static int run_window(front_end *f, const int16_t *samples, int8_t *features) {
    CHECK_OK(mote_tensor_copy_from(f->in, samples, WINDOW * sizeof *samples));
    mote_status st = mote_interpreter_invoke(f->it);
    if (st) {
        fprintf(stderr, "invoke: %s\n", mote_interpreter_error(f->it));
        test_failures++;
        return 0;
    }
    CHECK_OK(mote_tensor_copy_to(f->out, features, FEATURES));
    return 1;
}

static int read_clip(const char *name, wav_audio *a) {
    char err[512];
    char path[512];
    snprintf(path, sizeof path, "%s%s", DATA, name);
    if (wav_read_file(path, a, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", path, err);
        test_failures++;
        return 0;
    }
    CHECK_EQ_INT(a->sample_rate, 16000);
    CHECK_EQ_INT(a->channels, 1);
    return 1;
}

static void test_yes_30ms(void) {
    wav_audio a;
    front_end f;
    memset(&f, 0, sizeof f);
    if (!read_clip("yes_30ms.wav", &a)) return;
    CHECK_EQ_INT(a.frames, WINDOW);
    int8_t features[FEATURES];
    if (open_front_end(&f) && a.frames >= WINDOW && run_window(&f, a.samples, features))
        for (int i = 0; i < FEATURES; i++) CHECK_EQ_INT(features[i], yes_30ms_features[i]);
    close_front_end(&f);
    wav_free(&a);
}

/* 49 windows of a second of audio into m. */
static void run_clip(front_end *f, const wav_audio *a, int8_t m[49][FEATURES]) {
    for (int w = 0; w < 49; w++)
        if (!run_window(f, a->samples + (size_t)w * STRIDE, m[w])) return;
}

static void test_noise_state(void) {
    wav_audio a;
    front_end f;
    memset(&f, 0, sizeof f);
    if (!read_clip("yes_1000ms.wav", &a)) return;
    static int8_t first[49][FEATURES], again[49][FEATURES], reset[49][FEATURES];
    if (a.frames >= 48 * STRIDE + WINDOW && open_front_end(&f)) {
        run_clip(&f, &a, first);
        run_clip(&f, &a, again); /* the estimate carries over from the first pass */
        CHECK(memcmp(first, again, sizeof first) != 0);
        CHECK_OK(mote_interpreter_reset_variables(f.it));
        run_clip(&f, &a, reset);
        CHECK(memcmp(first, reset, sizeof first) == 0);
    }
    close_front_end(&f);
    wav_free(&a);
}

int main(void) {
    struct stat s;
    if (stat(MODEL, &s) != 0) {
        fprintf(stderr, "skipped: %s is absent\n", MODEL);
        return 77;
    }
    static const test_fn fns[] = {test_yes_30ms, test_noise_state};
    static const char *const names[] = {"test_yes_30ms", "test_noise_state"};
    return test_run(names, fns, 2);
}
