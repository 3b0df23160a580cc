/* test_rnn.c — RNN and UNIDIRECTIONAL_SEQUENCE_RNN on a 2-unit cell with identity input
 * weights, recurrent weights 0.5 I and bias {0, 1}: outputs by hand, the hidden state
 * carried across steps and across invokes, time-major input, TANH; and a hidden state that
 * is not a variable tensor refused. */
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
#include "test.h"

static const float weights[4] = {1, 0, 0, 1}, recurrent[4] = {0.5f, 0, 0, 0.5f}, bias[2] = {0, 1};

typedef struct cell {
    mote_model *model;
    mote_interpreter *it;
    mote_writer *writer;
} cell;

/* Input of shape in_dims (rank 2 for RNN, 3 for the sequence op); state [batch, 2]. */
static mote_status build(cell *c, int32_t code, int32_t rank, const int32_t *in_dims, int time_major, int act,
                         int variable) {
    int32_t dw[2] = {2, 2}, db[1] = {2}, batch = rank == 3 && time_major ? in_dims[1] : in_dims[0];
    int32_t ds[2] = {batch, 2}, dout[3] = {in_dims[0], in_dims[1], 2}, x, w, r, b, s, y;
    if (rank == 2) dout[1] = 2;
    mote_writer *wr;
    CHECK_OK(mote_writer_create(NULL, &wr));
    c->writer = wr;
    CHECK_OK(mote_writer_add_tensor(wr, "x", MOTE_FLOAT32, rank, in_dims, NULL, 0, &x));
    CHECK_OK(mote_writer_add_tensor(wr, "w", MOTE_FLOAT32, 2, dw, weights, sizeof weights, &w));
    CHECK_OK(mote_writer_add_tensor(wr, "r", MOTE_FLOAT32, 2, dw, recurrent, sizeof recurrent, &r));
    CHECK_OK(mote_writer_add_tensor(wr, "b", MOTE_FLOAT32, 1, db, bias, sizeof bias, &b));
    CHECK_OK(mote_writer_add_tensor(wr, "h", MOTE_FLOAT32, 2, ds, NULL, 0, &s));
    if (variable) CHECK_OK(mote_writer_set_variable(wr, s, 1));
    CHECK_OK(mote_writer_add_tensor(wr, "y", MOTE_FLOAT32, rank, dout, NULL, 0, &y));
    int seq = code == MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN;
    mote_option_field f[2] = {{0, MOTE_FIELD_BOOL, time_major, 0.0f, NULL, 0, NULL},
                              {1, MOTE_FIELD_INT8, act, 0.0f, NULL, 0, NULL}};
    mote_writer_op op = {code, NULL, 0, 5, (int32_t[]){x, w, r, b, s}, 1, &y, 0, NULL,
                         seq ? TFL_OPTIONS_SEQUENCE_RNN : TFL_OPTIONS_RNN, seq ? 2 : 1, seq ? f : f + 1, NULL, 0};
    if (!seq) f[1].id = 0;
    CHECK_OK(mote_writer_add_op(wr, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(wr, 1, &x));
    CHECK_OK(mote_writer_set_outputs(wr, 1, &y));
    const void *bytes;
    size_t size;
    CHECK_OK(mote_writer_finish(wr, &bytes, &size));
    CHECK_OK(mote_model_load_memory(bytes, size, NULL, &c->model));
    mote_status st = mote_interpreter_create(c->model, NULL, &c->it);
    return st ? st : mote_interpreter_allocate_tensors(c->it);
}

static void run(cell *c, const float *x, size_t xn, float *y, size_t yn) {
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(c->it, 0, &t));
    CHECK_OK(mote_tensor_copy_from(t, x, xn * sizeof *x));
    CHECK_OK(mote_interpreter_invoke(c->it));
    CHECK_OK(mote_interpreter_output(c->it, 0, &t));
    CHECK_OK(mote_tensor_copy_to(t, y, yn * sizeof *y));
}

static void done(cell *c) {
    mote_interpreter_destroy(c->it);
    mote_model_destroy(c->model);
    mote_writer_destroy(c->writer);
}

/* Batch-major [1 batch, 2 steps, 2]: x = {1, 2}, then {0, 0}. Step 1: h = {1, 3}; step 2:
 * h = {0.5, 1 + 1.5}. A second invoke starts from {0.5, 2.5}: {1.25, 4.25}. */
static void test_sequence_state(void) {
    cell c;
    int32_t dims[3] = {1, 2, 2};
    CHECK_OK(build(&c, MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN, 3, dims, 0, 0, 1));
    const float x[4] = {1, 2, 0, 0};
    float y[4];
    run(&c, x, 4, y, 4);
    CHECK(y[0] == 1 && y[1] == 3 && y[2] == 0.5f && y[3] == 2.5f);
    run(&c, x, 4, y, 4);
    CHECK(y[0] == 1.25f && y[1] == 4.25f);
    CHECK_OK(mote_interpreter_reset_variables(c.it));
    run(&c, x, 4, y, 4);
    CHECK(y[0] == 1 && y[1] == 3);
    done(&c);
}

/* Time-major [2 steps, 2 batches, 2]: batch rows evolve independently. */
static void test_sequence_time_major(void) {
    cell c;
    int32_t dims[3] = {2, 2, 2};
    CHECK_OK(build(&c, MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN, 3, dims, 1, 0, 1));
    const float x[8] = {1, 2, -1, 0, 0, 0, 0, 0}; /* step 0: batch 0 {1, 2}, batch 1 {-1, 0} */
    float y[8];
    run(&c, x, 8, y, 8);
    const float want[8] = {1, 3, -1, 1, 0.5f, 2.5f, -0.5f, 1.5f};
    for (int i = 0; i < 8; i++) CHECK_NEAR(y[i], want[i], 0);
    done(&c);
}

/* RNN, one step with TANH: tanh(1) and tanh(3). */
static void test_rnn_tanh(void) {
    cell c;
    int32_t dims[2] = {1, 2};
    CHECK_OK(build(&c, MOTE_OP_RNN, 2, dims, 0, 4, 1));
    const float x[2] = {1, 2};
    float y[2];
    run(&c, x, 2, y, 2);
    CHECK_NEAR(y[0], tanh(1.0), 1e-6);
    CHECK_NEAR(y[1], tanh(3.0), 1e-6);
    done(&c);
}

static void test_state_not_variable_refused(void) {
    cell c;
    int32_t dims[2] = {1, 2};
    CHECK_EQ_INT(build(&c, MOTE_OP_RNN, 2, dims, 0, 0, 0), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(mote_interpreter_error(c.it), "variable") != NULL);
    done(&c);
}

TEST_MAIN(test_sequence_state, test_sequence_time_major, test_rnn_tanh, test_state_not_variable_refused)
