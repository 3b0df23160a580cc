/* test_detection_postprocess.c — TFLite_Detection_PostProcess on five hand-placed anchors:
 * box decoding, fast NMS with one and two classes per box, regular NMS, uint8 inputs, the
 * order of tied scores (lower box first in a class, earlier class first across classes), and
 * what is refused: missing options, inverted boxes. */
#include <stdint.h>

#include "flexgen.h"
#include "format/builtin_ops.h"
#include "mote_writer.h"
#include "test.h"

enum { BOXES = 5, COLUMNS = 3 /* background + 2 classes */ };

/* Anchors (y, x, h, w): 0 and 1 overlap almost fully; 2, 3, 4 stand apart. */
static const float anchors[BOXES][4] = {{0.5f, 0.5f, 0.2f, 0.2f},
                                        {0.5f, 0.52f, 0.2f, 0.2f},
                                        {0.2f, 0.2f, 0.2f, 0.2f},
                                        {0.8f, 0.8f, 0.2f, 0.2f},
                                        {0.2f, 0.8f, 0.2f, 0.2f}};

/* Per box: background, class 0, class 1 (multiples of 1/64, exact in uint8 at scale 1/256). */
static const float scores[BOXES][COLUMNS] = {{0.875f, 0.5625f, 0.25f},
                                             {0.0f, 0.6875f, 0.125f},
                                             {0.0f, 0.375f, 0.375f},
                                             {0.0f, 0.1875f, 0.375f},
                                             {0.0f, 0.046875f, 0.0f}};

typedef struct options {
    int32_t max_detections, max_classes_per_detection, detections_per_class, use_regular_nms;
    int omit_num_classes;
} options;

/* The custom options map (keys sorted). */
static size_t build_options(uint8_t *b, const options *o) {
    flexgen_entry e[11] = {{"detections_per_class", FG_INT, (uint64_t)o->detections_per_class, 0},
                           {"h_scale", FG_FLOAT, flexgen_float_bits(5.0f), 0},
                           {"max_classes_per_detection", FG_INT, (uint64_t)o->max_classes_per_detection, 0},
                           {"max_detections", FG_INT, (uint64_t)o->max_detections, 0},
                           {"nms_iou_threshold", FG_FLOAT, flexgen_float_bits(0.5f), 0},
                           {"nms_score_threshold", FG_FLOAT, flexgen_float_bits(0.1f), 0},
                           {"num_classes", FG_INT, 2, 0},
                           {"use_regular_nms", FG_BOOL, (uint64_t)o->use_regular_nms, 0},
                           {"w_scale", FG_FLOAT, flexgen_float_bits(5.0f), 0},
                           {"x_scale", FG_FLOAT, flexgen_float_bits(10.0f), 0},
                           {"y_scale", FG_FLOAT, flexgen_float_bits(10.0f), 0}};
    if (o->omit_num_classes) {
        memmove(&e[6], &e[7], 4 * sizeof e[0]);
        return flexgen_map(b, e, 10, 4);
    }
    return flexgen_map(b, e, 11, 4);
}

typedef struct result {
    mote_status status;
    char error[256];
    float boxes[10][4], classes[10], scores[10], count;
    int32_t n; /* output rows */
} result;

/* Runs the operator on float (quantized = 0) or uint8 inputs; encodings are all zero, so the
 * boxes are the anchors: center +- half the size. */
static result run(const options *o, int quantized, const float (*anchor_data)[4]) {
    result r;
    memset(&r, 0, sizeof r);
    uint8_t opts[512];
    const size_t opts_size = build_options(opts, o);
    const mote_type type = quantized ? MOTE_UINT8 : MOTE_FLOAT32;
    const float enc_scale = 0.1f, score_scale = 1.0f / 256, anchor_scale = 0.01f;
    const int64_t enc_zp = 128;
    float enc_f[BOXES * 4] = {0};
    uint8_t enc_q[BOXES * 4], score_q[BOXES * COLUMNS], anchor_q[BOXES * 4];
    memset(enc_q, (int)enc_zp, sizeof enc_q);
    for (int i = 0; i < BOXES * COLUMNS; i++)
        score_q[i] = (uint8_t)(scores[i / COLUMNS][i % COLUMNS] * 256.0f);
    for (int i = 0; i < BOXES * 4; i++)
        anchor_q[i] = (uint8_t)(anchor_data[i / 4][i % 4] / anchor_scale + 0.5f);

    int32_t de[3] = {1, BOXES, 4}, ds[3] = {1, BOXES, COLUMNS}, da[2] = {BOXES, 4}, dz[1] = {0}, in[3],
            out[4];
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "enc", type, 3, de, NULL, 0, &in[0]));
    CHECK_OK(mote_writer_add_tensor(w, "scores", type, 3, ds, NULL, 0, &in[1]));
    CHECK_OK(mote_writer_add_tensor(w, "anchors", type, 2, da,
                                    quantized ? (const void *)anchor_q : anchor_data,
                                    quantized ? sizeof anchor_q : BOXES * 4 * sizeof(float), &in[2]));
    if (quantized) {
        CHECK_OK(mote_writer_set_quantization(w, in[0], 1, &enc_scale, &enc_zp, 0));
        CHECK_OK(mote_writer_set_quantization(w, in[1], 1, &score_scale, NULL, 0));
        CHECK_OK(mote_writer_set_quantization(w, in[2], 1, &anchor_scale, NULL, 0));
    }
    for (int i = 0; i < 4; i++)
        CHECK_OK(mote_writer_add_tensor(w, "out", MOTE_FLOAT32, 0, dz, NULL, 0, &out[i]));
    mote_writer_op op = {
        MOTE_OP_CUSTOM, "TFLite_Detection_PostProcess", 0, 3, in, 4, out, 0, NULL, 0, 0, NULL, opts,
        opts_size};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 2, in));
    CHECK_OK(mote_writer_set_outputs(w, 4, out));
    const void *data;
    size_t size;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &m));
    r.status = mote_interpreter_create(m, NULL, &it);
    if (!r.status) r.status = mote_interpreter_allocate_tensors(it);
    mote_tensor *t;
    if (!r.status) {
        r.status = mote_interpreter_input(it, 0, &t);
        if (!r.status)
            r.status = mote_tensor_copy_from(t, quantized ? (const void *)enc_q : enc_f,
                                             quantized ? sizeof enc_q : sizeof enc_f);
        if (!r.status) r.status = mote_interpreter_input(it, 1, &t);
        if (!r.status)
            r.status = mote_tensor_copy_from(t, quantized ? (const void *)score_q : scores,
                                             quantized ? sizeof score_q : sizeof scores);
    }
    if (!r.status) r.status = mote_interpreter_invoke(it);
    if (!r.status) {
        mote_tensor_info info;
        CHECK_OK(mote_interpreter_output(it, 1, &t));
        CHECK_OK(mote_tensor_get_info(t, &info));
        r.n = info.rank == 2 ? info.dims[1] : -1;
        void *dst[4] = {r.boxes, r.classes, r.scores, &r.count};
        for (int i = 0; i < 4 && r.n <= 10; i++) {
            CHECK_OK(mote_interpreter_output(it, i, &t));
            CHECK_OK(mote_tensor_copy_to(t, dst[i],
                                         i == 0   ? (size_t)r.n * 16
                                         : i == 3 ? 4
                                                  : (size_t)r.n * 4));
        }
    }
    snprintf(r.error, sizeof r.error, "%s", it ? mote_interpreter_error(it) : "");
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
    return r;
}

static void check_row(const result *r, int row, int anchor, float cls, float score) {
    const float *a = anchors[anchor];
    CHECK_NEAR(r->classes[row], cls, 0);
    CHECK_NEAR(r->scores[row], score, 1e-6);
    CHECK_NEAR(r->boxes[row][0], a[0] - a[2] / 2, 1e-2);
    CHECK_NEAR(r->boxes[row][1], a[1] - a[3] / 2, 1e-2);
    CHECK_NEAR(r->boxes[row][2], a[0] + a[2] / 2, 1e-2);
    CHECK_NEAR(r->boxes[row][3], a[1] + a[3] / 2, 1e-2);
}

/* Fast NMS: box 1 (0.6875) suppresses box 0; boxes 2 and 3 tie at 0.375 and come in box
 * order; box 2's classes tie and the first wins; box 4 is below the score threshold. */
static void test_fast_nms(void) {
    for (int quantized = 0; quantized < 2; quantized++) {
        options o = {5, 1, 100, 0, 0};
        result r = run(&o, quantized, anchors);
        if (r.status) fprintf(stderr, "fast nms: %s\n", r.error);
        CHECK_OK(r.status);
        CHECK_EQ_INT(r.n, 5);
        CHECK_NEAR(r.count, 3, 0);
        check_row(&r, 0, 1, 0, 0.6875f);
        check_row(&r, 1, 2, 0, 0.375f);
        check_row(&r, 2, 3, 1, 0.375f);
        CHECK_NEAR(r.scores[3], 0, 0); /* rows past the detections are zero */
        CHECK_NEAR(r.boxes[4][2], 0, 0);
    }
}

/* Two classes per box: each selected box is reported twice, its classes best first (box 2's
 * tie keeps class 0 first, as std::partial_sort leaves it). */
static void test_fast_nms_two_classes(void) {
    options o = {2, 2, 100, 0, 0};
    result r = run(&o, 0, anchors);
    CHECK_OK(r.status);
    CHECK_EQ_INT(r.n, 4);
    CHECK_NEAR(r.count, 2, 0);
    check_row(&r, 0, 1, 0, 0.6875f);
    check_row(&r, 1, 1, 1, 0.125f);
    check_row(&r, 2, 2, 0, 0.375f);
    check_row(&r, 3, 2, 1, 0.375f);
}

/* Regular NMS, two per class: class 0 keeps boxes 1 and 2, class 1 boxes 2 and 3; merged by
 * score with class 0 first among the ties and cut to three. */
static void test_regular_nms(void) {
    options o = {3, 1, 2, 1, 0};
    result r = run(&o, 0, anchors);
    if (r.status) fprintf(stderr, "regular nms: %s\n", r.error);
    CHECK_OK(r.status);
    CHECK_NEAR(r.count, 3, 0);
    check_row(&r, 0, 1, 0, 0.6875f);
    check_row(&r, 1, 2, 0, 0.375f);
    check_row(&r, 2, 2, 1, 0.375f);
}

static void test_refusals(void) {
    options o = {5, 1, 100, 0, 1};
    result r = run(&o, 0, anchors);
    CHECK_EQ_INT(r.status, MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(r.error, "num_classes") != NULL);
    o.omit_num_classes = 0;
    o.max_classes_per_detection = 0;
    r = run(&o, 0, anchors);
    CHECK_EQ_INT(r.status, MOTE_ERROR_INVALID_MODEL);
    /* A negative anchor height inverts its box: refused while running. */
    float bad[BOXES][4];
    memcpy(bad, anchors, sizeof bad);
    bad[3][2] = -0.2f;
    o.max_classes_per_detection = 1;
    r = run(&o, 0, (const float(*)[4])bad);
    CHECK_EQ_INT(r.status, MOTE_ERROR_RUNTIME);
    CHECK(strstr(r.error, "inverted") != NULL);
}

TEST_MAIN(test_fast_nms, test_fast_nms_two_classes, test_regular_nms, test_refusals)
