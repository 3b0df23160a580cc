/* lstm.h — what LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM share: the 24 input slots, what prepare
 * learns about a node, and the entry points of the float (lstm_float.c) and 8x8->16 integer
 * (lstm_int8.c) halves. lstm.c parses options, checks every shape and dispatches.
 *
 * One step, for every batch row (TensorFlow Lite's full kernel):
 *   i = sigmoid(W_i x + R_i h + p_i .* c + b_i)      (CIFG: no input gate, i = 1 - f)
 *   f = sigmoid(W_f x + R_f h + p_f .* c + b_f)
 *   g = act(W_c x + R_c h + b_c)
 *   c = clip(f .* c + i .* g, cell_clip)
 *   o = sigmoid(W_o x + R_o h + p_o .* c + b_o)      (the new c)
 *   h = o .* act(c), then with projection h = clip(P h + p_b, proj_clip)
 * Peephole terms (p_*) are optional. With layer normalization, each gate's sum without its
 * bias is normalized over the cells, scaled by its coefficients, and the bias added after. */
#ifndef MOTE_KERNELS_LSTM_H
#define MOTE_KERNELS_LSTM_H

#include "kernels/kernel.h"

/* Input slots (TensorFlow Lite's order). Gate-indexed groups are consecutive, in gate order
 * input, forget, cell, output; the peephole group has no cell entry. */
enum lstm_slot {
    LSTM_IN_INPUT = 0,
    LSTM_IN_INPUT_WEIGHTS = 1,     /* 1..4: [n_cell, n_input]; input gate's optional (CIFG) */
    LSTM_IN_RECURRENT_WEIGHTS = 5, /* 5..8: [n_cell, n_output]; input gate's optional */
    LSTM_IN_PEEPHOLE_WEIGHTS = 9,  /* 9..11: input, forget, output; [n_cell], optional */
    LSTM_IN_GATE_BIAS = 12,        /* 12..15: [n_cell]; input gate's absent with CIFG */
    LSTM_IN_PROJECTION_WEIGHTS = 16, /* [n_output, n_cell], optional */
    LSTM_IN_PROJECTION_BIAS = 17,    /* [n_output], optional */
    LSTM_IN_OUTPUT_STATE = 18,     /* variable: [n_batch, n_output] (h) */
    LSTM_IN_CELL_STATE = 19,       /* variable: [n_batch, n_cell] (c) */
    LSTM_IN_LAYER_NORM = 20,       /* 20..23: [n_cell], optional (layer normalization) */
    LSTM_INPUT_SLOTS = 24
};

enum lstm_gate { LSTM_GATE_INPUT = 0, LSTM_GATE_FORGET = 1, LSTM_GATE_CELL = 2, LSTM_GATE_OUTPUT = 3, LSTM_GATES = 4 };

/* Peephole slot of a gate, or -1 for the cell gate (which has none). */
static inline int32_t lstm_peephole_slot(int gate) {
    return gate == LSTM_GATE_CELL ? -1 : LSTM_IN_PEEPHOLE_WEIGHTS + (gate == LSTM_GATE_OUTPUT ? 2 : gate);
}

/* Which arithmetic prepare chose. */
enum lstm_kind { LSTM_KIND_NONE = 0, LSTM_KIND_F32 = 1, LSTM_KIND_INT8 = 2 };

/* The 8x8->16 integer LSTM's constants (TensorFlow Lite's IntegerLstmParameter), derived in
 * prepare from the tensors' scales and the intermediates' quantization. A multiplier is
 * (m, shift) as in quant.h. */
typedef struct lstm_int8_params {
    int32_t input_m[LSTM_GATES], input_shift[LSTM_GATES];         /* x * W_g -> gate (Q3.12) */
    int32_t recurrent_m[LSTM_GATES], recurrent_shift[LSTM_GATES]; /* h * R_g -> gate */
    int32_t peephole_m[LSTM_GATES], peephole_shift[LSTM_GATES];   /* c * p_g -> gate */
    int32_t layer_norm_m[LSTM_GATES], layer_norm_shift[LSTM_GATES]; /* coefficient scales */
    int32_t variance_guard[LSTM_GATES]; /* layer norm: variance used when it rounds to 0 */
    int32_t hidden_m, hidden_shift;     /* o * tanh(c) (Q0.15 x Q0.15) -> hidden int8 */
    int32_t hidden_zp;                  /* zero point of the hidden intermediate */
    int32_t projection_m, projection_shift; /* hidden * P -> output state */
    int32_t output_state_zp;            /* zero point of h */
    int32_t cell_shift;                 /* log2 of the cell state's scale (e.g. -11) */
    int16_t cell_clip;                  /* quantized cell clip, 0: none */
    int8_t proj_clip;                   /* quantized projection clip, 0: none */
} lstm_int8_params;

typedef struct lstm_data {
    /* From the options (init): */
    int32_t sequence;     /* 1: UNIDIRECTIONAL_SEQUENCE_LSTM, 0: LSTM (one step) */
    int32_t activation;   /* ActivationFunctionType of the cell gate and of act(c) */
    float cell_clip;      /* > 0: clip c to [-clip, clip] */
    float proj_clip;      /* > 0: clip the projection */
    int32_t time_major;   /* sequence input is [time, batch, input], else [batch, time, input] */
    /* Set in prepare: */
    int32_t kind;         /* lstm_kind */
    int32_t n_batch, n_time, n_input, n_cell, n_output;
    uint8_t use_cifg;       /* no input gate: i = 1 - f */
    uint8_t use_peephole;   /* cell-to-gate weights present */
    uint8_t use_projection; /* projection weights present */
    uint8_t use_layer_norm; /* layer-norm coefficients present */
    int32_t scratch;        /* index of the one scratch buffer (layout per half) */
    int32_t persistent;     /* integer: index of the precomputed biases */
    lstm_int8_params q;     /* integer only */
} lstm_data;

/* The halves. prepare runs after lstm.c has checked shapes and set the flags and sizes;
 * it checks types and quantization and requests buffers. */
mote_status lstm_prepare_f32(mote_context *ctx, mote_node *node);
mote_status lstm_eval_f32(mote_context *ctx, mote_node *node);
mote_status lstm_prepare_int8(mote_context *ctx, mote_node *node);
mote_status lstm_pack_int8(mote_context *ctx, mote_node *node);
mote_status lstm_eval_int8(mote_context *ctx, mote_node *node);

/* Fails naming the tensor in slot `slot` (input role). */
mote_status lstm_fail_input(mote_context *ctx, const mote_node *node, int32_t slot, mote_status status,
                            const char *what);

/* The data of input `slot`, or NULL when the slot is absent. */
static inline const void *lstm_input_data(mote_context *ctx, const mote_node *node, int32_t slot) {
    const mote_tensor *t = kernel_input(ctx, node, slot);
    return t ? t->data : NULL;
}

#endif /* MOTE_KERNELS_LSTM_H */
