/* arithmetic_quant.c — ADD, SUB, MUL, DIV and SQUARED_DIFFERENCE on int8, uint8 and int16
 * tensors, with broadcasting, as TensorFlow Lite's reference kernels compute them:
 *   ADD/SUB  both inputs rescaled onto twice the larger input scale after a left shift of
 *            20 bits (8-bit) or 15 bits (int16), summed, rescaled onto the output; int16 with
 *            power-of-two scales and zero points 0 (and the pot_scale_int16 option, on by
 *            default) takes the LSTM path instead: one input shifted right onto the other's
 *            scale, then a saturating sum.
 *   MUL      the product of the offset inputs times one multiplier.
 *   DIV      a fixed-point reciprocal of the divisor, normalized by leading sign bits.
 *   SQUARED_DIFFERENCE  like SUB with a 7-bit left shift, the difference squared. */
#include "kernels/arithmetic.h"
#include "kernels/quant_fixed_point.h"

void arith_type_range(mote_type type, int32_t *qmin, int32_t *qmax) {
    switch (type) {
    case MOTE_UINT8: *qmin = 0, *qmax = UINT8_MAX; break;
    case MOTE_INT16: *qmin = INT16_MIN, *qmax = INT16_MAX; break;
    default: *qmin = INT8_MIN, *qmax = INT8_MAX; break;
    }
}

void arith_activation_range_i64(int32_t activation, int64_t type_min, int64_t type_max, int64_t *lo,
                                int64_t *hi) {
    *lo = type_min, *hi = type_max;
    switch (activation) {
    case ACT_RELU: *lo = 0; break;
    case ACT_RELU6: *lo = 0, *hi = 6; break;
    case ACT_RELU_N1_TO_1: *lo = -1, *hi = 1; break;
    default: break;
    }
}

/* The tensor must carry usable per-tensor parameters: a positive finite scale and a zero
 * point inside its type's range. */
static mote_status check_params(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                                int32_t i) {
    char desc[160];
    int32_t qmin, qmax;
    arith_type_range(t->type, &qmin, &qmax);
    if (!(t->scale > 0.0f) || !isfinite(t->scale))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %s tensor needs a positive scale",
                           kernel_describe(t, role, i, desc, sizeof desc), mote_type_name(t->type));
    if (t->zero_point < qmin || t->zero_point > qmax)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: zero point %d is outside %s",
                           kernel_describe(t, role, i, desc, sizeof desc), t->zero_point,
                           mote_type_name(t->type));
    return MOTE_OK;
}

static mote_status bad_multiplier(mote_context *ctx, const mote_node *node) {
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                       "the tensors' scales give a rescaling factor that cannot be represented");
}

/* The int16 power-of-two ADD/SUB path applies when every scale is a power of two (within
 * TensorFlow Lite's tolerance) and every zero point is 0; sets the input shifts. */
static int pot_int16_applies(const mote_tensor *a, const mote_tensor *b, const mote_tensor *out, arith_quant *q) {
    int la, lb, lo;
    if (!quant_checked_log2(a->scale, &la) || !quant_checked_log2(b->scale, &lb) ||
        !quant_checked_log2(out->scale, &lo))
        return 0;
    if (a->zero_point != 0 || b->zero_point != 0 || out->zero_point != 0) return 0;
    q->input1_shift = la - lo;
    q->input2_shift = lb - lo;
    return 1;
}

/* ADD, SUB and SQUARED_DIFFERENCE: both inputs onto 2 * max(scale), the raw result onto the
 * output. Ratios of floats, in double, as TensorFlow Lite's prepare computes them. */
static bool rescale_inputs(const mote_tensor *a, const mote_tensor *b, const mote_tensor *out, int squared,
                           arith_quant *q) {
    double twice_max = 2.0 * (double)(a->scale > b->scale ? a->scale : b->scale);
    double real1 = (double)a->scale / twice_max, real2 = (double)b->scale / twice_max;
    double out_divisor = ldexp((double)out->scale, q->left_shift * (squared ? 2 : 1));
    double real_out = squared ? twice_max * twice_max / out_divisor : twice_max / out_divisor;
    int s1 = 0, s2 = 0, so = 0;
    bool ok = quant_quantize_multiplier(real1, &q->input1_multiplier, &s1) &&
              quant_quantize_multiplier(real2, &q->input2_multiplier, &s2) &&
              quant_quantize_multiplier(real_out, &q->output_multiplier, &so);
    q->input1_shift = s1, q->input2_shift = s2, q->output_shift = so;
    return ok;
}

mote_status arith_quant_prepare(mote_context *ctx, const mote_node *node, int32_t code, int32_t activation,
                                int32_t pot_scale_int16, const mote_tensor *a, const mote_tensor *b,
                                const mote_tensor *out, arith_quant *q) {
    mote_status st;
    if ((st = check_params(ctx, node, a, "input", 0)) || (st = check_params(ctx, node, b, "input", 1)) ||
        (st = check_params(ctx, node, out, "output", 0)))
        return st;
    memset(q, 0, sizeof *q);
    int32_t qmin, qmax;
    arith_type_range(out->type, &qmin, &qmax);
    if (!quant_activation_range(activation, out->scale, out->zero_point, qmin, qmax, &q->act_min, &q->act_max))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the fused activation's limits do not fit the output's quantization");
    q->input1_offset = -a->zero_point;
    q->input2_offset = -b->zero_point;
    q->output_offset = out->zero_point;
    int sh;
    switch (code) {
    case MOTE_OP_ADD:
    case MOTE_OP_SUB:
        if (out->type == MOTE_INT16 && pot_scale_int16 && pot_int16_applies(a, b, out, q)) {
            /* One input already has the output's scale; the other is shifted right onto it. */
            q->pot_int16 = 1;
            if ((q->input1_shift != 0 && q->input2_shift != 0) || q->input1_shift > 0 || q->input2_shift > 0 ||
                q->input1_shift < -31 || q->input2_shift < -31)
                return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                                   "int16 power-of-two scales: only one input may differ from the "
                                   "output's scale, and only by a smaller power of two");
            return MOTE_OK;
        }
        /* 65535 << 15 and 255 << 20 both stay below 2^31. */
        q->left_shift = out->type == MOTE_INT16 ? 15 : 20;
        if (!rescale_inputs(a, b, out, 0, q)) return bad_multiplier(ctx, node);
        return MOTE_OK;
    case MOTE_OP_SQUARED_DIFFERENCE:
        q->left_shift = out->type == MOTE_INT16 ? 0 : 7;
        q->act_min = qmin, q->act_max = qmax; /* no fused activation */
        if (!rescale_inputs(a, b, out, 1, q)) return bad_multiplier(ctx, node);
        return MOTE_OK;
    case MOTE_OP_MUL: {
        /* In float, as TensorFlow Lite writes it (scale * scale / scale on floats). */
        float real = a->scale * b->scale / out->scale;
        if (!quant_quantize_multiplier((double)real, &q->output_multiplier, &sh)) return bad_multiplier(ctx, node);
        q->output_shift = sh;
        return MOTE_OK;
    }
    default: { /* DIV */
        float real = a->scale / (b->scale * out->scale);
        if (!quant_quantize_multiplier((double)real, &q->output_multiplier, &sh)) return bad_multiplier(ctx, node);
        q->output_shift = sh;
        return MOTE_OK;
    }
    }
}

/* ---- one element ---- */

static inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* x * 2^exponent for any exponent: rounding (halves away from zero) to the right, saturating
 * to the left; far right shifts give 0. */
static inline int32_t shift_any(int32_t x, int exponent) {
    if (exponent < -31) return 0;
    if (exponent > 31) exponent = 31;
    return quant_sat_round_mul_pot_i32(x, exponent);
}

static inline int32_t add_sub_elem(const arith_quant *q, int sub, int32_t x, int32_t y) {
    int32_t a, b;
    if (q->pot_int16) {
        a = q->input1_shift ? quant_rdbpot_i32(x, -q->input1_shift) : x;
        b = q->input2_shift ? quant_rdbpot_i32(y, -q->input2_shift) : y;
        return clamp_i32(sub ? a - b : a + b, q->act_min, q->act_max);
    }
    a = quant_multiply_by_quantized_multiplier(quant_wrap_shl_i32(q->input1_offset + x, q->left_shift),
                                               q->input1_multiplier, q->input1_shift);
    b = quant_multiply_by_quantized_multiplier(quant_wrap_shl_i32(q->input2_offset + y, q->left_shift),
                                               q->input2_multiplier, q->input2_shift);
    int32_t raw = sub ? quant_wrap_sub_i32(a, b) : quant_wrap_add_i32(a, b);
    int32_t r = quant_multiply_by_quantized_multiplier(raw, q->output_multiplier, q->output_shift);
    return clamp_i32(quant_wrap_add_i32(r, q->output_offset), q->act_min, q->act_max);
}

static inline int32_t squared_difference_elem(const arith_quant *q, int32_t x, int32_t y) {
    int32_t a = quant_multiply_by_quantized_multiplier(quant_wrap_shl_i32(q->input1_offset + x, q->left_shift),
                                                       q->input1_multiplier, q->input1_shift);
    int32_t b = quant_multiply_by_quantized_multiplier(quant_wrap_shl_i32(q->input2_offset + y, q->left_shift),
                                                       q->input2_multiplier, q->input2_shift);
    int32_t diff = quant_wrap_sub_i32(a, b);
    int32_t r = quant_multiply_by_quantized_multiplier(quant_wrap_mul_i32(diff, diff), q->output_multiplier,
                                                       q->output_shift);
    return clamp_i32(quant_wrap_add_i32(r, q->output_offset), q->act_min, q->act_max);
}

static inline int32_t mul_elem(const arith_quant *q, int32_t x, int32_t y) {
    int32_t product = quant_wrap_mul_i32(q->input1_offset + x, q->input2_offset + y);
    int32_t r = quant_multiply_by_quantized_multiplier(product, q->output_multiplier, q->output_shift);
    return clamp_i32(quant_wrap_add_i32(r, q->output_offset), q->act_min, q->act_max);
}

/* CountLeadingSignBits: redundant sign bits of x (31 for 0 and -1). */
static inline int leading_sign_bits(int32_t x) {
    uint32_t u = x < 0 ? ~(uint32_t)x : (uint32_t)x;
    return quant_clz32(u) - 1;
}

static inline int32_t div_elem(const arith_quant *q, int32_t x, int32_t y) {
    int32_t a = q->input1_offset + x, b = q->input2_offset + y;
    /* The reciprocal must be positive: move the divisor's sign onto the dividend. */
    if (b < 0) a = -a, b = -b;
    int recip_shift;
    int32_t inverse = quant_fp_reciprocal(b, 31, &recip_shift);
    int headroom = leading_sign_bits(a);
    int32_t unscaled = quant_srdhm_i32(quant_wrap_shl_i32(a, headroom), inverse);
    int total_shift = q->output_shift - recip_shift - headroom;
    int32_t r = shift_any(quant_srdhm_i32(unscaled, q->output_multiplier), total_shift);
    return clamp_i32(quant_wrap_add_i32(r, q->output_offset), q->act_min, q->act_max);
}

/* ---- loops ---- */

#define ARITH_QUANT_LOOP(T, EXPR)                                                   \
    do {                                                                            \
        const T *x_ = KERNEL_DATA(a, const T), *y_ = KERNEL_DATA(b, const T);       \
        T *z_ = KERNEL_DATA(out, T);                                                \
        KERNEL_BCAST_LOOP(it, o_, i_, j_, {                                         \
            const int32_t xv = x_[i_]; const int32_t yv = y_[j_];                               \
            z_[o_] = (T)(EXPR);                                                     \
        });                                                                         \
    } while (0)

#define ARITH_QUANT_TYPES(EXPR)                                                     \
    do {                                                                            \
        switch (out->type) {                                                        \
        case MOTE_UINT8: ARITH_QUANT_LOOP(uint8_t, EXPR); break;                    \
        case MOTE_INT16: ARITH_QUANT_LOOP(int16_t, EXPR); break;                    \
        default: ARITH_QUANT_LOOP(int8_t, EXPR); break;                             \
        }                                                                           \
    } while (0)

void arith_quant_eval(int32_t code, const arith_quant *q, const mote_tensor *a, const mote_tensor *b,
                      mote_tensor *out) {
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    switch (code) {
    case MOTE_OP_ADD: ARITH_QUANT_TYPES(add_sub_elem(q, 0, xv, yv)); break;
    case MOTE_OP_SUB: ARITH_QUANT_TYPES(add_sub_elem(q, 1, xv, yv)); break;
    case MOTE_OP_MUL: ARITH_QUANT_TYPES(mul_elem(q, xv, yv)); break;
    case MOTE_OP_DIV: ARITH_QUANT_TYPES(div_elem(q, xv, yv)); break;
    default: ARITH_QUANT_TYPES(squared_difference_elem(q, xv, yv)); break;
    }
}
