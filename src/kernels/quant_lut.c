/* quant_lut.c — filling lookup tables as TensorFlow Lite's prepare does, and the int16
 * LOGISTIC/TANH of its reference kernels. */
#include "kernels/quant_lut.h"

/* Table entries must round after every float operation, as TensorFlow Lite's (built without
 * FMA contraction) do: one fused multiply-add moves an entry that sits near a rounding
 * boundary. GCC contracts nothing in ISO C mode; clang needs telling. Statements are also
 * kept to one operation where it matters. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

float quant_logistic_f32(float x) {
    float e = expf(-x);
    float d = 1.0f + e;
    return 1.0f / d;
}

float quant_tanh_f32(float x) { return tanhf(x); }

/* One 8-bit entry: the transformed dequantized value requantized and clamped. */
static int32_t lut_entry_8bit(float in_scale, int32_t in_zp, float inverse_out_scale, int32_t out_zp,
                              float (*fn)(float), int32_t q, int32_t qmin, int32_t qmax) {
    float dequantized = in_scale * (float)(q - in_zp);
    float transformed = fn(dequantized);
    float scaled = transformed * inverse_out_scale;
    float rescaled = roundf(scaled);
    float shifted = rescaled + (float)out_zp;
    int32_t quantized = quant_f32_to_i32_sat(shifted);
    return quantized < qmin ? qmin : quantized > qmax ? qmax : quantized;
}

void quant_lut_populate_i8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, float (*fn)(float),
                           int8_t lut[256]) {
    float inverse_out_scale = 1.0f / out_scale;
    for (int32_t q = INT8_MIN; q <= INT8_MAX; q++)
        lut[(uint8_t)(int8_t)q] =
            (int8_t)lut_entry_8bit(in_scale, in_zp, inverse_out_scale, out_zp, fn, q, INT8_MIN, INT8_MAX);
}

void quant_lut_populate_u8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, float (*fn)(float),
                           uint8_t lut[256]) {
    float inverse_out_scale = 1.0f / out_scale;
    for (int32_t q = 0; q <= UINT8_MAX; q++)
        lut[q] = (uint8_t)lut_entry_8bit(in_scale, in_zp, inverse_out_scale, out_zp, fn, q, 0, UINT8_MAX);
}

/* The int16 table construction, written once for float and once for double: T is the
 * floating type, ROUND its round-half-away function. Each entry is the rounded sample at the
 * segment start, corrected by half the rounded difference between the interpolated and the
 * true midpoint, so interpolation errs evenly on both sides. Where fn overflows (EXP of a
 * wide int16 range) the midpoint correction is inf - inf and is dropped, so the entry
 * saturates; an entry still NaN (fn itself NaN) becomes 0, since converting NaN to an
 * integer is undefined. */
#define QUANT_LUT_POPULATE_I16(T, ROUND)                                                                     \
    do {                                                                                                     \
        const T input_min = in_scale * (T)(INT16_MIN - in_zp);                                               \
        const T input_max = in_scale * (T)(INT16_MAX - in_zp);                                               \
        const T output_min = out_scale * (T)(INT16_MIN - out_zp);                                            \
        const T output_max = out_scale * (T)(INT16_MAX - out_zp);                                            \
        const int steps = QUANT_LUT_I16_SIZE - 1;                                                            \
        const T step = (input_max - input_min) / (T)steps;                                                   \
        const T half_step = step / (T)2;                                                                     \
        const T output_range = output_max - output_min;                                                      \
        const T scaling_inv = (T)(INT16_MAX - INT16_MIN + 1) / output_range;                                 \
        const T table_min = (T)INT16_MIN, table_max = (T)INT16_MAX;                                          \
        for (int i = 0; i < steps; i++) {                                                                    \
            T offset = (T)i * step;                                                                          \
            T x = input_min + offset;                                                                        \
            T x_mid = x + half_step;                                                                         \
            T offset_next = (T)(i + 1) * step;                                                               \
            T x_next = input_min + offset_next;                                                              \
            T val = fn(x), val_mid = fn(x_mid), val_next = fn(x_next);                                       \
            T val_scaled = val * scaling_inv;                                                                \
            T sample = ROUND(val_scaled);                                                                    \
            T next_scaled = val_next * scaling_inv;                                                          \
            T interp_sum = next_scaled + sample;                                                             \
            T mid_interp = ROUND(interp_sum / (T)2);                                                         \
            T mid_scaled = val_mid * scaling_inv;                                                            \
            T mid_true = ROUND(mid_scaled);                                                                  \
            T mid_err = mid_interp - mid_true;                                                               \
            T bias = ROUND(mid_err / (T)2);                                                                  \
            bias = bias != bias ? (T)0 : bias; /* inf - inf: fn overflowed, keep the sample */             \
            T entry = sample - bias;                                                                         \
            entry = entry != entry ? (T)0 : entry;                                                           \
            entry = entry < table_min ? table_min : entry;                                                   \
            entry = entry > table_max ? table_max : entry;                                                   \
            lut[i] = (int16_t)entry;                                                                         \
        }                                                                                                    \
        T last_scaled = fn(input_max) * scaling_inv;                                                         \
        T last = ROUND(last_scaled);                                                                         \
        last = last != last ? (T)0 : last;                                                                   \
        last = last < table_min ? table_min : last;                                                          \
        last = last > table_max ? table_max : last;                                                          \
        lut[steps] = (int16_t)last;                                                                          \
    } while (0)

void quant_lut_populate_i16_f32(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                                float (*fn)(float), int16_t lut[QUANT_LUT_I16_SIZE]) {
    QUANT_LUT_POPULATE_I16(float, roundf);
}

void quant_lut_populate_i16_f64(double in_scale, int32_t in_zp, double out_scale, int32_t out_zp,
                                double (*fn)(double), int16_t lut[QUANT_LUT_I16_SIZE]) {
    QUANT_LUT_POPULATE_I16(double, round);
}

void quant_lut_populate_i8_with(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                                quant_lut_fn_with fn, const void *arg, int8_t lut[256]) {
    float inverse_out_scale = 1.0f / out_scale;
    for (int32_t q = INT8_MIN; q <= INT8_MAX; q++) {
        float dequantized = in_scale * (float)(q - in_zp);
        float scaled = fn(dequantized, arg) * inverse_out_scale;
        float shifted = roundf(scaled) + (float)out_zp;
        int32_t quantized = quant_f32_to_i32_sat(shifted);
        quantized = quantized < INT8_MIN ? INT8_MIN : quantized > INT8_MAX ? INT8_MAX : quantized;
        lut[(uint8_t)(int8_t)q] = (int8_t)quantized;
    }
}

void quant_lut_populate_i16_f32_with(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                                     quant_lut_fn_with fn_with, const void *arg,
                                     int16_t lut[QUANT_LUT_I16_SIZE]) {
    /* The same construction as quant_lut_populate_i16_f32: the macro's fn(x) calls become
     * fn_with(x, arg). */
#define fn(x) fn_with((x), arg)
    QUANT_LUT_POPULATE_I16(float, roundf);
#undef fn
}

static double softmax_exp(double x) { return exp(x); }
static double softmax_one_over_one_plus_x(double x) { return 1.0 / (1.0 + x); }

void quant_softmax_i16_luts(int16_t exp_lut[QUANT_LUT_I16_SIZE],
                            int16_t one_over_one_plus_x_lut[QUANT_LUT_I16_SIZE]) {
    /* The input range of int16 (65535 steps) mapped onto [-10, 0] (exp(-10) no longer
     * matters in a sum of Q0.15 values) and onto [0, 1]; outputs onto [-1, 1]. */
    const int32_t range = INT16_MAX - INT16_MIN;
    quant_lut_populate_i16_f64(10.0 / range, INT16_MAX, 2.0 / range, 0, softmax_exp, exp_lut);
    quant_lut_populate_i16_f64(1.0 / range, INT16_MIN, 2.0 / range, 0, softmax_one_over_one_plus_x,
                               one_over_one_plus_x_lut);
}

bool quant_softmax_i16_multiplier(float input_scale, float beta, int32_t *m, int *shift) {
    /* The product is in float, the division in double, as in TensorFlow Lite's prepare. */
    float scale_beta = input_scale * beta;
    double rescale = (double)scale_beta / (10.0 / 65535.0);
    return quant_quantize_multiplier(rescale, m, shift);
}

/* sigmoid(i / 24) for i = 0..255 in Q0.16 as TensorFlow Lite tabulates it (the entries are
 * tuned for interpolation and are not all the nearest values, so they are data, not a
 * formula); shared by LOGISTIC and TANH since tanh(x) = 2 sigmoid(2x) - 1. */
static const uint16_t sigmoid_table_q16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513,
    38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755,
    55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519,
    59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835,
    63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301,
    65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415,
    65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504,
    65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520,
    65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532,
    65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

/* The input times multiplier, rounding-shifted right; the product wraps at 32 bits as
 * TensorFlow Lite's int arithmetic does in practice for out-of-range scales. */
static int32_t scale_input_i16(int16_t x, int32_t multiplier, int32_t left_shift) {
    int32_t round = left_shift > 0 ? (int32_t)(INT64_C(1) << (left_shift - 1)) : 0;
    int32_t product = quant_wrap_add_i32(quant_wrap_mul_i32(x, multiplier), round);
    return left_shift < 32 ? product >> left_shift : (product < 0 ? -1 : 0);
}

/* |v| as unsigned (also for INT32_MIN). */
static uint32_t abs_u32(int32_t v) { return v < 0 ? 0u - (uint32_t)v : (uint32_t)v; }

void quant_logistic_i16(const int16_t *in, int16_t *out, size_t n, int32_t multiplier, int32_t left_shift) {
    for (size_t i = 0; i < n; i++) {
        int32_t x = scale_input_i16(in[i], multiplier, left_shift);
        uint32_t abs_x = abs_u32(x);
        /* Table steps are 2^9 input units: 2^7 for Q.12 inputs times the 4/3 of the factor 3. */
        uint32_t index = abs_x >> 9;
        uint32_t result;
        if (index >= 255) {
            result = UINT32_C(0x7FFF) << 10;
        } else {
            uint32_t a = sigmoid_table_q16[index], b = sigmoid_table_q16[index + 1];
            uint32_t frac = abs_x & 0x1ff;
            result = (a << 9) + frac * (b - a);
        }
        /* Q0.25 back to Q0.15 with rounding; negative inputs take 1 - sigmoid(|x|). */
        result = x >= 0 ? result + (1u << 9) : (1u << 25) - result + (1u << 9) - 1;
        out[i] = (int16_t)(result >> 10);
    }
}

void quant_tanh_i16(const int16_t *in, int16_t *out, size_t n, int32_t multiplier, int32_t left_shift) {
    for (size_t i = 0; i < n; i++) {
        int32_t x = scale_input_i16(in[i], multiplier, left_shift);
        uint32_t abs_x = abs_u32(x);
        /* tanh(x) = 2 sigmoid(2x) - 1: half the logistic step reads the table at 2x. */
        uint32_t index = abs_x >> 8;
        int32_t result;
        if (index >= 255) {
            result = 0xFFFF << 8;
        } else {
            uint32_t a = sigmoid_table_q16[index], b = sigmoid_table_q16[index + 1];
            uint32_t frac = abs_x & 0xFF;
            result = (int32_t)((a << 8) + frac * (b - a));
        }
        /* 2 * sigmoid - 1 in Q0.24, rounded to Q0.15 (floor shift, bias on the sign). */
        result = x >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
        out[i] = quant_wrap_i16(result >> 8);
    }
}
