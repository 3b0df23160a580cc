/* conv_quant.h — quantization shared by the convolution-like kernels (CONV_2D,
 * DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED): checks of quantized tensors, the
 * per-channel output multipliers and fused-activation clamp computed in prepare, the
 * requantization of an accumulator in eval, and the on-the-fly input quantization of
 * hybrid (dynamic-range) kernels. All of it as TensorFlow Lite's reference kernels do it.
 *
 * Accumulators. TensorFlow Lite sums products in int32 (int8, uint8, and int16x8 with an
 * int32 bias), wrapping on overflow, or in int64 (int16x8 with an int64 bias or none).
 * Kernels here always sum in int64, which cannot overflow for tensors that fit in memory,
 * and conv_quant_output reduces the sum to int32 with wrap-around where TensorFlow Lite's
 * accumulator is int32: the same bits, without undefined behavior.
 *
 * Bias tensors: only their type and element count are checked; their quantization
 * parameters are never read (some models carry malformed ones, which TensorFlow Lite Micro
 * ignores in the same way). */
#ifndef MOTE_KERNELS_CONV_QUANT_H
#define MOTE_KERNELS_CONV_QUANT_H

#include "kernels/kernel.h"
#include "kernels/quant.h"

/* How the real output multiplier input_scale * filter_scale / output_scale is formed. */
typedef enum conv_multiplier_rule {
    /* Every factor widened to double first (PopulateConvolutionQuantizationParams): int8 and
     * int16 convolutions, per-channel FULLY_CONNECTED. */
    CONV_MULTIPLIER_DOUBLE = 0,
    /* input_scale * filter_scale rounded to float, then divided in double
     * (GetQuantizedConvolutionMultipler): uint8 convolutions, per-tensor FULLY_CONNECTED. */
    CONV_MULTIPLIER_FLOAT_PRODUCT = 1
} conv_multiplier_rule;

/* Requantization constants of one node, computed in prepare. */
typedef struct conv_quant {
    int32_t input_offset;     /* -input zero point, added to every input value */
    int32_t filter_offset;    /* -filter zero point (per-tensor weights; 0 for symmetric ones) */
    int32_t output_offset;    /* output zero point, added after the multiplier */
    int32_t act_min, act_max; /* fused activation clamp in the output's quantized domain */
    int32_t wide;             /* 1: int64 accumulator (int16x8 without an int32 bias) */
    int32_t channels;         /* entries in use in multipliers and shifts */
    int32_t capacity;         /* entries allocated */
    int32_t *multipliers;     /* [channels] Q31 multiplier of each output channel */
    int32_t *shifts;          /* [channels] its exponent (> 0 shifts left), as QuantizeMultiplier */
} conv_quant;

/* Checks an activation tensor (input or output) of a quantized kernel: per-tensor affine
 * quantization with a positive finite scale and a zero point in the type's range (0 for
 * int16). */
mote_status conv_quant_check_activation_tensor(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                               const char *role, int32_t index);

/* Checks the weights of a quantized or hybrid kernel: affine quantization with positive
 * finite scales and a quantized_dimension within the rank (TensorFlow Lite checks that of
 * every tensor when loading), either one scale (per tensor) or `channels` of them along a
 * dimension whose size is `channels` (TensorFlow Lite accepts any such quantized_dimension
 * and applies the scales along the output channels), zero points in the weights' type
 * range, and zero points of 0 unless allow_zero_point (uint8 weights, per-tensor int8
 * FULLY_CONNECTED).
 * Sets *per_channel when there is more than one scale. */
mote_status conv_quant_check_filter(mote_context *ctx, const mote_node *node, const mote_tensor *filter,
                                    int32_t index, int32_t channels, int allow_zero_point, int *per_channel);

/* Checks a quantized kernel's bias: int32 for int8/uint8 activations, int32 or int64 for
 * int16 (matching quantized_bias_type when the options set it: bias_type_option is the
 * option's TensorType, MOTE_FLOAT32 when unset), and `channels` elements. Sets q->wide. */
mote_status conv_quant_check_bias(mote_context *ctx, const mote_node *node, conv_quant *q,
                                  const mote_tensor *bias, int32_t index, mote_type activation_type,
                                  int32_t bias_type_option, int32_t channels);

/* The checks every integer convolution's prepare makes: the output has the input's type,
 * weights are uint8 for uint8 activations and int8 otherwise (quantized per tensor for
 * uint8), activations and weights carry usable quantization, the bias fits (see
 * conv_quant_check_bias, which sets q's bias type). */
mote_status conv_quant_check_tensors(mote_context *ctx, const mote_node *node, conv_quant *q, const mote_tensor *in,
                                     int32_t in_index, const mote_tensor *filter, int32_t filter_index,
                                     const mote_tensor *bias, int32_t bias_index, mote_type bias_type_option,
                                     const mote_tensor *out, int32_t channels);

/* Fills q for `channels` output channels: offsets, multipliers (by `rule`, one per channel,
 * the weights' single scale broadcast when per tensor; none when channels is 0, for
 * kernels that rescale in floating point) and the activation clamp. Resizes
 * q's arrays with the interpreter's allocator (prepare only; conv_quant_release frees
 * them). Tensors must have passed the checks above. */
mote_status conv_quant_prepare(mote_context *ctx, const mote_node *node, conv_quant *q, const mote_tensor *in,
                               const mote_tensor *filter, const mote_tensor *out, int activation,
                               int32_t channels, conv_multiplier_rule rule);

/* Frees q's arrays (the op's release callback). */
void conv_quant_release(mote_context *ctx, conv_quant *q);

/* The accumulator of channel ch as TensorFlow Lite holds it once the bias is added: the
 * sum plus bias64 wrapped to int64 when q->wide, else the sum plus bias32 wrapped to int32
 * (either bias may be NULL). */
static inline int64_t conv_quant_accumulator(const conv_quant *q, int32_t ch, int64_t sum,
                                             const int32_t *bias32, const int64_t *bias64) {
    if (q->wide) {
        uint64_t acc = (uint64_t)sum + (bias64 ? (uint64_t)bias64[ch] : 0);
        return acc <= (uint64_t)INT64_MAX ? (int64_t)acc : (int64_t)(acc - (UINT64_C(1) << 63)) + INT64_MIN;
    }
    int32_t acc = quant_wrap_i32(sum);
    return bias32 ? quant_wrap_add_i32(acc, bias32[ch]) : acc;
}

/* One output value of channel ch from its sum of products: the bias added
 * (conv_quant_accumulator), the channel's multiplier applied with the accumulator's
 * MultiplyByQuantizedMultiplier, the output offset added and the clamp applied. */
static inline int32_t conv_quant_output(const conv_quant *q, int32_t ch, int64_t sum, const int32_t *bias32,
                                        const int64_t *bias64) {
    int64_t acc = conv_quant_accumulator(q, ch, sum, bias32, bias64);
    int32_t v = q->wide
                    ? quant_multiply_by_quantized_multiplier_i64(acc, q->multipliers[ch], q->shifts[ch])
                    : quant_multiply_by_quantized_multiplier((int32_t)acc, q->multipliers[ch], q->shifts[ch]);
    int64_t out = (int64_t)v + q->output_offset;
    return out < q->act_min ? q->act_min : out > q->act_max ? q->act_max : (int32_t)out;
}

/* ---- hybrid kernels: float activations, int8 weights ---- */

/* Checks a hybrid kernel's float32 bias (`channels` elements) and float32 output. */
mote_status conv_hybrid_check_types(mote_context *ctx, const mote_node *node, const mote_tensor *bias,
                                    int32_t bias_index, int32_t channels, const mote_tensor *out);

/* SymmetricQuantizeFloats: q[i] = round(x[i] * 127 / max|x|) in [-127, 127], *scale =
 * max|x| / 127 (1 and all zeros when x is all zero). */
void conv_quantize_symmetric(const float *x, size_t n, int8_t *q, float *scale);

/* AsymmetricQuantizeFloats: the range [min(x, 0), max(x, 0)] over 255 steps, the zero
 * point (from whichever end loses less, nudged into [-128, 127]) in *zero_point; q[i] =
 * round(zero_point + x[i] / scale) in [-128, 127] (scale 1, zero point 0 and all zeros
 * when the range is empty). */
void conv_quantize_asymmetric(const float *x, size_t n, int8_t *q, float *scale, int32_t *zero_point);
/* A hybrid convolution's input, quantized at every invoke: scratch for its int8 copy and
 * for each batch's scale and zero point, requested in prepare ... */
mote_status conv_hybrid_request_scratch(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                        int32_t *input_scratch, int32_t *batch_scratch);
/* ... and filled in eval: each batch quantized asymmetrically (zero points in *offsets) or
 * symmetrically (offsets left 0), as TensorFlow Lite's hybrid kernels do. */
mote_status conv_hybrid_quantize_input(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                                       int32_t input_scratch, int32_t batch_scratch, int asymmetric,
                                       int8_t **xq, float **scales, int32_t **offsets);

#endif /* MOTE_KERNELS_CONV_QUANT_H */
