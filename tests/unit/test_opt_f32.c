/* test_opt_f32.c — the optimized float32 kernels against the reference ones: every
 * microkernel of every configuration this CPU can run (GEMM, IGEMM, depthwise) on sweeps
 * of tile edges, then CONV_2D, DEPTHWISE_CONV_2D (with a fused PAD), FULLY_CONNECTED and
 * BATCH_MATMUL models run with the reference kernels and with the optimized ones on 1 and
 * 2 threads, over shapes, strides, dilations, paddings and activations.
 *
 * The operator tests use the configuration cpu_features() picks; ctest runs this program
 * three times (tests/cmake/opt_f32.cmake): as is, with MOTE_CPU_MASK=1 (AVX2 only) and with
 * MOTE_CPU_MASK=0 (portable C), so each instruction set's whole path is covered. */
#include <stdint.h>

#include "core/cpu.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/gemm_f32.h"
#include "mote_writer.h"
#include "opt_run.h"
#include "test.h"

/* ---- random numbers (xorshift32, fixed seed: the sweeps are the same every run) ---- */

static uint32_t rng_state = 12345u;
static uint32_t rng_next(void) {
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}
static int32_t rng_int(int32_t lo, int32_t hi) { return lo + (int32_t)(rng_next() % (uint32_t)(hi - lo + 1)); }
static float rng_float(void) { return (float)(rng_next() >> 8) / 8388608.0f - 1.0f; } /* [-1, 1) */
static void fill_random(float *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = rng_float();
}
static float *random_floats(size_t n) {
    float *p = malloc((n ? n : 1) * sizeof *p);
    fill_random(p, n);
    return p;
}

/* |got - want| within float rounding of a sum of `depth` products of values of about 1. */
static int close_enough(const float *got, const float *want, size_t n, size_t depth, const char *what) {
    double scale = 1.0;
    for (size_t i = 0; i < n; i++)
        if (fabs(want[i]) > scale) scale = fabs(want[i]);
    const double tol = 2e-6 * (double)(depth + 4) * scale;
    for (size_t i = 0; i < n; i++) {
        if (!(fabs((double)got[i] - (double)want[i]) <= tol)) {
            fprintf(stderr, "%s: element %zu is %.9g, expected %.9g (tolerance %g)\n", what, i, got[i], want[i], tol);
            test_failures++;
            return 0;
        }
    }
    return 1;
}

/* ---- microkernels, against a plain loop ---- */

typedef struct isa_case {
    uint32_t features;
    const char *name;
} isa_case;

/* The configurations this machine runs: each instruction set it has, and the portable one. */
static int machine_configs(const gemm_f32_config **out) {
    static const uint32_t sets[] = {CPU_X86_AVX512 | CPU_X86_AVX2, CPU_X86_AVX2, CPU_ARM_NEON, 0};
    const uint32_t have = cpu_features();
    int n = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        if ((have & sets[i]) != sets[i]) continue;
        const gemm_f32_config *c = gemm_f32_config_for(sets[i]);
        int dup = 0;
        for (int k = 0; k < n; k++) dup |= out[k] == c;
        if (!dup) out[n++] = c;
    }
    return n;
}

/* C = clamp(A [m, k] x W^T + bias) with W [n, k], in double. */
static void naive_gemm(size_t m, size_t n, size_t k, const float *a, size_t a_stride, const float *w,
                       const float *bias, mote_f32_minmax clamp, float *c, size_t c_stride) {
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double acc = bias ? bias[j] : 0.0;
            for (size_t kk = 0; kk < k; kk++) acc += (double)a[i * a_stride + kk] * w[j * k + kk];
            float v = (float)acc;
            c[i * c_stride + j] = v < clamp.min ? clamp.min : v > clamp.max ? clamp.max : v;
        }
}

static void check_gemm_ukernel(const gemm_f32_ukernel *uk, size_t mr, size_t nc, size_t kc, mote_f32_minmax clamp) {
    const size_t a_stride = kc + 3, c_stride = nc + 5;
    float *a = random_floats(mr * a_stride), *w = random_floats(nc * kc), *bias = random_floats(nc);
    float *packed = malloc(gemm_f32_packed_floats(nc, kc, uk->nr) * sizeof(float));
    float *c = malloc(uk->mr * c_stride * sizeof(float)), *want = malloc(uk->mr * c_stride * sizeof(float));
    gemm_f32_pack(nc, kc, uk->nr, w, kc, 1, bias, packed);
    for (size_t i = 0; i < uk->mr * c_stride; i++) c[i] = want[i] = 1234.5f; /* canaries */
    naive_gemm(mr, nc, kc, a, a_stride, w, bias, clamp, want, c_stride);
    uk->gemm(mr, nc, kc, a, a_stride, packed, c, c_stride, &clamp);
    char what[96];
    snprintf(what, sizeof what, "gemm %s mr %zu nc %zu kc %zu", uk->name, mr, nc, kc);
    close_enough(c, want, uk->mr * c_stride, kc, what);

    /* The same as IGEMM: kc split into taps of kc / ks channels from separate rows, some of
     * them the zero row, and an offset moving every other pointer. */
    const size_t ks = kc % 3 == 0 ? 3 : 1, kt = kc / ks, offset = 7;
    float *zero = calloc(kt + 16, sizeof(float));
    float *rows = random_floats(uk->mr * ks * kt + offset);
    const float **ind = malloc(uk->mr * ks * sizeof *ind);
    float *a2 = malloc(mr * kc * sizeof(float));
    for (size_t t = 0; t < ks; t++)
        for (size_t i = 0; i < uk->mr; i++) {
            const size_t row = i < mr ? i : mr - 1;
            const int use_zero = (row + t) % 4 == 3;
            ind[t * uk->mr + i] = use_zero ? zero : rows + (row * ks + t) * kt;
            if (i < mr)
                for (size_t kk = 0; kk < kt; kk++) a2[i * kc + t * kt + kk] = use_zero ? 0.0f : rows[(row * ks + t) * kt + kk + offset];
        }
    for (size_t i = 0; i < uk->mr * c_stride; i++) c[i] = want[i] = 1234.5f;
    naive_gemm(mr, nc, kc, a2, kc, w, bias, clamp, want, c_stride);
    uk->igemm(mr, nc, kt, ks, ind, packed, c, c_stride, offset, zero, &clamp);
    snprintf(what, sizeof what, "igemm %s mr %zu nc %zu kc %zu ks %zu", uk->name, mr, nc, kt, ks);
    close_enough(c, want, uk->mr * c_stride, kc, what);
    free(a), free(w), free(bias), free(packed), free(c), free(want), free(zero), free(rows), free(ind), free(a2);
}

static void test_gemm_microkernels(void) {
    const gemm_f32_config *cfgs[4];
    const int n = machine_configs(cfgs);
    const mote_f32_minmax none = {-INFINITY, INFINITY}, relu6 = {0.0f, 6.0f}, tight = {-0.5f, 0.25f};
    for (int c = 0; c < n; c++) {
        const gemm_f32_ukernel *uks[] = {&cfgs[c]->gemm, &cfgs[c]->gemm_alt, &cfgs[c]->shallow, &cfgs[c]->narrow,
                                         &cfgs[c]->gemv};
        for (size_t u = 0; u < 5; u++)
            /* The tile and its tails (smaller tiles for a last tile of few rows). */
            for (const gemm_f32_ukernel *uk = uks[u]; uk; uk = uk->tail) {
                CHECK(!uk->tail || (uk->tail->nr == uk->nr && uk->tail->mr < uk->mr));
                for (size_t mr = 1; mr <= uk->mr; mr++)
                    for (size_t nc = 1; nc <= 3u * uk->nr + 1; nc += (nc < 2u * uk->nr + 2 ? 1 : uk->nr - 1))
                        check_gemm_ukernel(uk, mr, nc, (size_t)rng_int(1, 13), nc % 3 ? none : relu6);
                /* The depths the shallow tiles specialize, and their neighbours. */
                for (size_t kc = 15; kc <= 33; kc++)
                    if (kc % 8 == 0 || kc % 8 == 1 || kc % 8 == 7)
                        check_gemm_ukernel(uk, uk->mr > 1 ? uk->mr - kc % 2 : 1, 2 * uk->nr + 3, kc, kc % 3 ? relu6 : tight);
                check_gemm_ukernel(uk, uk->mr, uk->nr, 1, tight);
                check_gemm_ukernel(uk, uk->mr, 2 * uk->nr - 1, 600, none);
                check_gemm_ukernel(uk, 1, uk->nr + 1, 300, tight);
            }
    }
}

/* Tiles of one width share the packed weights and add in the same order, so the shallow tile
 * (hand-written assembly on AVX-512) and the main tile give the same bits, NaN included: the
 * unfused expansion and the one fused into a depthwise may use either. */
static void test_gemm_tiles_agree(void) {
    const gemm_f32_config *cfgs[4];
    const int n = machine_configs(cfgs);
    const mote_f32_minmax clamps[] = {{0.0f, 6.0f}, {-INFINITY, INFINITY}};
    for (int c = 0; c < n; c++) {
        const gemm_f32_ukernel *shallow = &cfgs[c]->shallow, *main_tile = &cfgs[c]->gemm;
        CHECK(shallow->nr == main_tile->nr);
        if (shallow->nr != main_tile->nr || main_tile->mr < shallow->mr) continue;
        const size_t mr = shallow->mr, nr = shallow->nr;
        const size_t depths[] = {4, 8, 12, 16, 20, 24, 32, 36, 7, 17};
        for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++)
            for (size_t nc = nr; nc <= 3 * nr + 5; nc += nr / 2 + 1) {
                const size_t kc = depths[d], a_stride = kc + (d % 2) * 5, c_stride = nc + 3;
                float *a = random_floats(mr * a_stride), *w = random_floats(nc * kc), *bias = random_floats(nc);
                a[(d * 7) % (mr * a_stride)] = NAN;
                a[(d * 13 + 5) % (mr * a_stride)] = INFINITY;
                float *packed = malloc(gemm_f32_packed_floats(nc, kc, nr) * sizeof(float));
                float *c1 = calloc(main_tile->mr * c_stride, sizeof(float));
                float *c2 = calloc(main_tile->mr * c_stride, sizeof(float));
                gemm_f32_pack(nc, kc, nr, w, kc, 1, bias, packed);
                const mote_f32_minmax *clamp = &clamps[nc % 2];
                shallow->gemm(mr, nc, kc, a, a_stride, packed, c1, c_stride, clamp);
                main_tile->gemm(mr, nc, kc, a, a_stride, packed, c2, c_stride, clamp);
                if (memcmp(c1, c2, mr * c_stride * sizeof(float)) != 0) {
                    fprintf(stderr, "%s and %s differ: kc %zu nc %zu\n", shallow->name, main_tile->name, kc, nc);
                    test_failures++;
                }
                free(a), free(w), free(bias), free(packed), free(c1), free(c2);
            }
    }
}

static void check_dwconv(const gemm_f32_config *cfg, mote_f32_dwconv_fn fn, size_t taps, size_t channels, size_t width,
                         mote_f32_minmax clamp) {
    const size_t cb = cfg->dw_cb, offset = width % 2 ? 5 : 0; /* 0: the first image, pointers as they are */
    float *w = random_floats(taps * channels), *bias = random_floats(channels);
    float *packed = malloc(dwconv_f32_packed_floats(channels, taps, cb) * sizeof(float));
    float *zero = calloc(channels, sizeof(float));
    float *in = random_floats(width * taps * channels + offset);
    const float **ind = malloc(width * taps * sizeof *ind);
    float *out = malloc((width * channels + 8) * sizeof(float)), *want = malloc((width * channels + 8) * sizeof(float));
    dwconv_f32_pack(channels, taps, cb, w, bias, packed);
    for (size_t p = 0; p < width; p++)
        for (size_t t = 0; t < taps; t++) ind[p * taps + t] = (p + t) % 5 == 2 ? zero : in + (p * taps + t) * channels;
    for (size_t i = 0; i < width * channels + 8; i++) out[i] = want[i] = 1234.5f;
    for (size_t p = 0; p < width; p++)
        for (size_t c = 0; c < channels; c++) {
            double acc = bias[c];
            for (size_t t = 0; t < taps; t++)
                if (ind[p * taps + t] != zero) acc += (double)in[(p * taps + t) * channels + c + offset] * w[t * channels + c];
            float v = (float)acc;
            want[p * channels + c] = v < clamp.min ? clamp.min : v > clamp.max ? clamp.max : v;
        }
    fn(channels, width, taps, ind, taps, offset, zero, packed, out, &clamp);
    char what[96];
    snprintf(what, sizeof what, "dwconv %s taps %zu channels %zu width %zu", cfg->isa, taps, channels, width);
    close_enough(out, want, width * channels + 8, taps, what);
    free(w), free(bias), free(packed), free(zero), free(in), free(ind), free(out), free(want);
}

static void test_dwconv_microkernels(void) {
    const gemm_f32_config *cfgs[4];
    const int n = machine_configs(cfgs);
    const mote_f32_minmax none = {-INFINITY, INFINITY}, relu = {0.0f, INFINITY};
    for (int c = 0; c < n; c++) {
        for (size_t ch = 1; ch <= 70; ch += ch < 40 ? 1 : 7) {
            check_dwconv(cfgs[c], cfgs[c]->dw_3x3, 9, ch, ch % 4 + 1, ch % 2 ? none : relu);
            check_dwconv(cfgs[c], cfgs[c]->dw_5x5, 25, ch, 2, none);
        }
        /* Rows longer than the kernels' chunks of pixels, odd lengths. */
        const size_t widths[] = {7, 8, 9, 16, 17, 31};
        for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
            for (size_t ch = 16 * (i % 2) + 5; ch <= 100; ch += 27) {
                check_dwconv(cfgs[c], cfgs[c]->dw_3x3, 9, ch, widths[i], i % 2 ? none : relu);
                check_dwconv(cfgs[c], cfgs[c]->dw_5x5, 25, ch, widths[i], relu);
            }
        const size_t taps[] = {1, 2, 4, 6, 9, 25, 49, 64};
        for (size_t t = 0; t < sizeof taps / sizeof taps[0]; t++)
            for (size_t ch = 1; ch <= 48; ch += 5) check_dwconv(cfgs[c], cfgs[c]->dw_any, taps[t], ch, 3, relu);
    }
}

/* The 3x3 and 5x5 kernels add in the order the any-taps kernel does, so they give its bits
 * (NaN, infinities and padding pointers included). */
static void test_dwconv_kernels_agree(void) {
    const gemm_f32_config *cfgs[4];
    const int n = machine_configs(cfgs);
    for (int c = 0; c < n; c++) {
        const size_t taps_of[] = {9, 25};
        const mote_f32_dwconv_fn fns[] = {cfgs[c]->dw_3x3, cfgs[c]->dw_5x5};
        for (size_t k = 0; k < 2; k++)
            for (size_t ch = 3; ch <= 90; ch += 29) {
                const size_t taps = taps_of[k], width = 11 + ch % 7, offset = ch % 2 ? 3 : 0;
                const mote_f32_minmax clamp = {0.0f, 6.0f};
                float *w = random_floats(taps * ch), *bias = random_floats(ch), *zero = calloc(ch, sizeof(float));
                float *in = random_floats(width * taps * ch + offset);
                in[ch + 1] = NAN, in[2 * ch + 2] = INFINITY;
                float *packed = malloc(dwconv_f32_packed_floats(ch, taps, cfgs[c]->dw_cb) * sizeof(float));
                const float **ind = malloc(width * taps * sizeof *ind);
                float *out1 = calloc(width * ch, sizeof(float)), *out2 = calloc(width * ch, sizeof(float));
                dwconv_f32_pack(ch, taps, cfgs[c]->dw_cb, w, bias, packed);
                for (size_t p = 0; p < width; p++)
                    for (size_t t = 0; t < taps; t++) ind[p * taps + t] = (p + t) % 7 == 3 ? zero : in + (p + t) * ch;
                fns[k](ch, width, taps, ind, taps, offset, zero, packed, out1, &clamp);
                cfgs[c]->dw_any(ch, width, taps, ind, taps, offset, zero, packed, out2, &clamp);
                if (memcmp(out1, out2, width * ch * sizeof(float)) != 0) {
                    fprintf(stderr, "dwconv %s: %zu taps, %zu channels differ from the any-taps kernel\n", cfgs[c]->isa,
                            taps, ch);
                    test_failures++;
                }
                free(w), free(bias), free(zero), free(in), free(packed), free(ind), free(out1), free(out2);
            }
    }
}

/* ---- operators: models run with reference and optimized kernels ---- */

typedef struct net {
    mote_writer *w;
    int32_t inputs[4], input_count;
    int32_t output;
} net;

static net net_new(void) {
    net n = {0};
    CHECK_OK(mote_writer_create(NULL, &n.w));
    return n;
}
/* An input (activation) tensor of the model. */
static int32_t net_input(net *n, int32_t rank, const int32_t *dims) {
    int32_t t;
    char name[8] = {'x', (char)('0' + n->input_count), 0};
    CHECK_OK(mote_writer_add_tensor(n->w, name, MOTE_FLOAT32, rank, dims, NULL, 0, &t));
    n->inputs[n->input_count++] = t;
    return t;
}
static int32_t net_tensor(net *n, const char *name, mote_type type, int32_t rank, const int32_t *dims,
                          const void *data, size_t bytes) {
    int32_t t;
    CHECK_OK(mote_writer_add_tensor(n->w, name, type, rank, dims, data, bytes, &t));
    return t;
}
/* Runs the model (inputs random, seeded) with given options; returns the output (malloc'd)
 * and its element count. fused_pads counts nodes the interpreter skips as fused. */
static float *net_run(net *n, int reference, int threads, size_t *count, int *fused_pads) {
    mote_model *m;
    mote_interpreter *it = opt_open(n->w, reference, threads, &m);
    float *result = NULL;
    *count = 0;
    if (it) {
        uint32_t saved = rng_state;
        rng_state = 777u;
        for (int32_t i = 0; i < n->input_count; i++) {
            mote_tensor *t;
            mote_tensor_info info;
            CHECK_OK(mote_interpreter_input(it, i, &t));
            CHECK_OK(mote_tensor_get_info(t, &info));
            float *x = random_floats(info.bytes / sizeof(float));
            CHECK_OK(mote_tensor_copy_from(t, x, info.bytes));
            free(x);
        }
        rng_state = saved;
        size_t bytes = 0;
        result = opt_invoke_output(it, &bytes);
        *count = bytes / sizeof(float);
        if (fused_pads) {
            *fused_pads = 0;
            const subgraph *sg = &((struct mote_context *)(void *)it)->subgraphs[0];
            for (int32_t i = 0; i < sg->node_count; i++) *fused_pads += sg->nodes[i].fused_into >= 0;
        }
    }
    opt_close(it, m);
    return result;
}

/* Reference vs optimized on 1 and 2 threads; returns how many PADs the optimized run fused. */
static int net_check(net *n, size_t depth, const char *what) {
    size_t ref_count, count;
    float *want = net_run(n, 1, 1, &ref_count, NULL);
    int fused = 0;
    for (int threads = 1; threads <= 2; threads++) {
        float *got = net_run(n, 0, threads, &count, &fused);
        CHECK_EQ_INT(count, ref_count);
        char label[200];
        snprintf(label, sizeof label, "%s, %d thread%s", what, threads, threads > 1 ? "s" : "");
        if (got && want && count == ref_count) close_enough(got, want, count, depth, label);
        free(got);
    }
    free(want);
    mote_writer_destroy(n->w);
    return fused;
}

static const int activations[] = {0, 1, 2, 3}; /* NONE, RELU, RELU_N1_TO_1, RELU6 */

typedef struct conv_shape {
    int32_t batch, h, w, in_c, out_c, kh, kw, stride_h, stride_w, dil_h, dil_w, padding, act, bias;
} conv_shape;

/* One CONV_2D (depthwise: DEPTHWISE_CONV_2D, multiplier out_c / in_c), optionally after a
 * PAD of x (pads [[0,0],[top,bottom],[left,right],[0,0]], pad_mode 0: none, 1: PAD, 2: PADV2
 * with a constant of value pad_value, 3: PAD whose output is also a model output). */
static int check_conv(conv_shape s, int depthwise, int pad_mode, const int32_t *pads, float pad_value) {
    net n = net_new();
    int32_t xd[4] = {s.batch, s.h, s.w, s.in_c};
    int32_t x = net_input(&n, 4, xd), conv_in = x;
    if (pad_mode) {
        int32_t pd[2] = {4, 2}, pv[8] = {0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0};
        int32_t padded_dims[4] = {s.batch, s.h + pads[0] + pads[1], s.w + pads[2] + pads[3], s.in_c};
        int32_t paddings = net_tensor(&n, "paddings", MOTE_INT32, 2, pd, pv, sizeof pv);
        conv_in = net_tensor(&n, "padded", MOTE_FLOAT32, 4, padded_dims, NULL, 0);
        if (pad_mode == 2) {
            int32_t one = 1;
            int32_t value = net_tensor(&n, "value", MOTE_FLOAT32, 1, &one, &pad_value, sizeof pad_value);
            int32_t ins[3] = {x, paddings, value};
            opt_add_op(n.w, MOTE_OP_PADV2, TFL_OPTIONS_PADV2, 0, NULL, 3, ins, conv_in);
        } else {
            int32_t ins[2] = {x, paddings};
            opt_add_op(n.w, MOTE_OP_PAD, TFL_OPTIONS_PAD, 0, NULL, 2, ins, conv_in);
        }
        s.h = padded_dims[1];
        s.w = padded_dims[2];
    }
    const int32_t oh = opt_out_size(s.padding, s.h, s.kh, s.stride_h, s.dil_h);
    const int32_t ow = opt_out_size(s.padding, s.w, s.kw, s.stride_w, s.dil_w);
    int32_t fd[4] = {s.out_c, s.kh, s.kw, s.in_c}, od[4] = {s.batch, oh, ow, s.out_c};
    if (depthwise) {
        fd[0] = 1;
        fd[3] = s.out_c;
    }
    const size_t fcount = (size_t)s.out_c * (size_t)s.kh * (size_t)s.kw * (size_t)(depthwise ? 1 : s.in_c);
    float *fw = random_floats(fcount), *fb = random_floats((size_t)s.out_c);
    int32_t filter = net_tensor(&n, "filter", MOTE_FLOAT32, 4, fd, fw, fcount * sizeof(float));
    int32_t bias = s.bias ? net_tensor(&n, "bias", MOTE_FLOAT32, 1, &s.out_c, fb, (size_t)s.out_c * sizeof(float)) : -1;
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, 4, od, NULL, 0);
    int32_t ins[3] = {conv_in, filter, bias};
    if (depthwise) {
        mote_option_field f[7] = {opt_i8(0, s.padding), opt_i32(1, s.stride_w), opt_i32(2, s.stride_h), opt_i32(3, s.out_c / s.in_c),
                                  opt_i8(4, s.act),     opt_i32(5, s.dil_w),    opt_i32(6, s.dil_h)};
        opt_add_op(n.w, MOTE_OP_DEPTHWISE_CONV_2D, TFL_OPTIONS_DEPTHWISE_CONV2D, 7, f, 3, ins, y);
    } else {
        mote_option_field f[6] = {opt_i8(0, s.padding), opt_i32(1, s.stride_w), opt_i32(2, s.stride_h),
                                  opt_i8(3, s.act),     opt_i32(4, s.dil_w),    opt_i32(5, s.dil_h)};
        opt_add_op(n.w, MOTE_OP_CONV_2D, TFL_OPTIONS_CONV2D, 6, f, 3, ins, y);
    }
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &x));
    int32_t outs[2] = {y, conv_in};
    CHECK_OK(mote_writer_set_outputs(n.w, pad_mode == 3 ? 2 : 1, outs));
    free(fw), free(fb);
    char what[200];
    snprintf(what, sizeof what,
             "%s b%d %dx%dx%d -> %d, %dx%d stride %d,%d dilation %d,%d %s act %d bias %d pad mode %d",
             depthwise ? "depthwise" : "conv", s.batch, s.h, s.w, s.in_c, s.out_c, s.kh, s.kw, s.stride_h, s.stride_w,
             s.dil_h, s.dil_w, s.padding ? "VALID" : "SAME", s.act, s.bias, pad_mode);
    return net_check(&n, fcount / (size_t)s.out_c, what);
}

static void test_conv2d(void) {
    /* 1x1 stride 1 (GEMM): pixel counts across row tiles, channels across column tiles. */
    for (int32_t px = 1; px <= 30; px += 1) {
        conv_shape s = {1, 1, px, rng_int(1, 40), rng_int(1, 70), 1, 1, 1, 1, 1, 1, 1, activations[px % 4], px % 5 != 0};
        check_conv(s, 0, 0, NULL, 0);
    }
    /* Deep (the long-depth tile) and wide. */
    check_conv((conv_shape){1, 3, 5, 600, 40, 1, 1, 1, 1, 1, 1, 1, 3, 1}, 0, 0, NULL, 0);
    check_conv((conv_shape){2, 4, 4, 33, 130, 1, 1, 1, 1, 1, 1, 0, 0, 1}, 0, 0, NULL, 0);
    /* Random windows (IGEMM): kernel sizes, strides, dilations, paddings, batches. */
    for (int i = 0; i < 120; i++) {
        conv_shape s = {rng_int(1, 2), rng_int(1, 12), rng_int(1, 12), rng_int(1, 20), rng_int(1, 40),
                        rng_int(1, 5),  rng_int(1, 5),  rng_int(1, 3),  rng_int(1, 3),  rng_int(1, 2),
                        rng_int(1, 2),  rng_int(0, 1),  activations[rng_int(0, 3)], rng_int(0, 4) != 0};
        if (opt_out_size(s.padding, s.h, s.kh, s.stride_h, s.dil_h) == 0 ||
            opt_out_size(s.padding, s.w, s.kw, s.stride_w, s.dil_w) == 0)
            s.padding = 0;
        check_conv(s, 0, 0, NULL, 0);
    }
    /* The first layer of the image models: 3x3 stride 2 over 3 channels. */
    check_conv((conv_shape){1, 33, 31, 3, 32, 3, 3, 2, 2, 1, 1, 0, 3, 1}, 0, 0, NULL, 0);
}

static void test_depthwise(void) {
    for (int i = 0; i < 150; i++) {
        const int32_t k = rng_int(0, 5), ks[6][2] = {{3, 3}, {3, 3}, {5, 5}, {1, 1}, {2, 3}, {7, 7}};
        conv_shape s = {rng_int(1, 2), rng_int(1, 14), rng_int(1, 14), rng_int(1, 70), 0, ks[k][0], ks[k][1],
                        rng_int(1, 2), rng_int(1, 2), rng_int(1, 2), rng_int(1, 2), rng_int(0, 1),
                        activations[rng_int(0, 3)], rng_int(0, 4) != 0};
        s.out_c = s.in_c * (i % 10 == 9 ? 2 : 1); /* multiplier 2: the reference path */
        if (opt_out_size(s.padding, s.h, s.kh, s.stride_h, s.dil_h) == 0 ||
            opt_out_size(s.padding, s.w, s.kw, s.stride_w, s.dil_w) == 0)
            s.padding = 0;
        check_conv(s, 1, 0, NULL, 0);
    }
    /* 9x9: more taps than the generic microkernel takes: the reference path. */
    check_conv((conv_shape){1, 10, 10, 5, 5, 9, 9, 1, 1, 1, 1, 0, 0, 1}, 1, 0, NULL, 0);
}

/* A PAD before a stride-2 VALID convolution (PyTorch's export of padded stride-2 layers):
 * fused when it pads only height and width with zeros and the convolution is its only reader. */
static void test_pad_fusion(void) {
    const int32_t sym[4] = {1, 1, 1, 1}, asym[4] = {0, 2, 3, 1};
    for (int depthwise = 0; depthwise <= 1; depthwise++) {
        conv_shape s = {1, 9, 10, 8, 8, 3, 3, 2, 2, 1, 1, 1, 3, 1};
        if (!depthwise) s.out_c = 20;
        CHECK_EQ_INT(check_conv(s, depthwise, 1, sym, 0), 1);
        CHECK_EQ_INT(check_conv(s, depthwise, 1, asym, 0), 1);
        CHECK_EQ_INT(check_conv(s, depthwise, 2, sym, 0.0f), 1);
        s.stride_h = s.stride_w = 1;
        s.padding = 0; /* SAME padding on top of the PAD's */
        CHECK_EQ_INT(check_conv(s, depthwise, 1, asym, 0), 1);
        s.batch = 2;
        CHECK_EQ_INT(check_conv(s, depthwise, 1, sym, 0), 1);
        /* Not fused: a non-zero constant, a second reader of the padded tensor. */
        CHECK_EQ_INT(check_conv(s, depthwise, 2, sym, 0.5f), 0);
        CHECK_EQ_INT(check_conv(s, depthwise, 3, sym, 0), 0);
    }
    /* A 1x1 convolution after a PAD becomes an IGEMM. */
    CHECK_EQ_INT(check_conv((conv_shape){1, 5, 5, 4, 9, 1, 1, 1, 1, 1, 1, 1, 0, 1}, 0, 1, sym, 0), 1);
}

/* A 1x1 CONV_2D (expansion to c channels), optionally a zero PAD, then a DEPTHWISE_CONV_2D:
 * the optimized kernels fuse the expansion into the depthwise when one image of its output
 * is large (depthwise_f32_expand.c). keep_mid makes the expansion's output a model output
 * too, which keeps it unfused. */
typedef struct expand_shape {
    int32_t batch, h, w, in_c, c, kh, kw, stride, dil, padding, expand_act, act, pad;
} expand_shape;

static net build_expand(expand_shape s, int keep_mid) {
    net n = net_new();
    const uint32_t saved = rng_state;
    rng_state = 4242u; /* the same weights for the fused and the unfused model */
    int32_t xd[4] = {s.batch, s.h, s.w, s.in_c}, md[4] = {s.batch, s.h, s.w, s.c};
    int32_t x = net_input(&n, 4, xd);
    float *ew = random_floats((size_t)s.c * (size_t)s.in_c), *eb = random_floats((size_t)s.c);
    float *dw = random_floats((size_t)s.c * (size_t)(s.kh * s.kw)), *db = random_floats((size_t)s.c);
    rng_state = saved;
    int32_t efd[4] = {s.c, 1, 1, s.in_c}, dfd[4] = {1, s.kh, s.kw, s.c};
    int32_t ef = net_tensor(&n, "ew", MOTE_FLOAT32, 4, efd, ew, (size_t)s.c * (size_t)s.in_c * sizeof(float));
    int32_t eb_t = net_tensor(&n, "eb", MOTE_FLOAT32, 1, &s.c, eb, (size_t)s.c * sizeof(float));
    int32_t mid = net_tensor(&n, "mid", MOTE_FLOAT32, 4, md, NULL, 0), dw_in = mid;
    int32_t eins[3] = {x, ef, eb_t};
    mote_option_field ef6[6] = {opt_i8(0, 1), opt_i32(1, 1), opt_i32(2, 1), opt_i8(3, s.expand_act), opt_i32(4, 1), opt_i32(5, 1)};
    opt_add_op(n.w, MOTE_OP_CONV_2D, TFL_OPTIONS_CONV2D, 6, ef6, 3, eins, mid);
    int32_t h = s.h, w = s.w;
    if (s.pad) { /* TensorFlow's explicit padding before a stride-2 VALID depthwise */
        int32_t pd[2] = {4, 2}, pv[8] = {0, 0, 0, 1, 0, 1, 0, 0};
        int32_t padded_dims[4] = {s.batch, s.h + 1, s.w + 1, s.c};
        int32_t paddings = net_tensor(&n, "paddings", MOTE_INT32, 2, pd, pv, sizeof pv);
        dw_in = net_tensor(&n, "padded", MOTE_FLOAT32, 4, padded_dims, NULL, 0);
        int32_t pins[2] = {mid, paddings};
        opt_add_op(n.w, MOTE_OP_PAD, TFL_OPTIONS_PAD, 0, NULL, 2, pins, dw_in);
        h++, w++;
    }
    int32_t od[4] = {s.batch, opt_out_size(s.padding, h, s.kh, s.stride, s.dil), opt_out_size(s.padding, w, s.kw, s.stride, s.dil),
                     s.c};
    int32_t df = net_tensor(&n, "dw", MOTE_FLOAT32, 4, dfd, dw, (size_t)s.c * (size_t)(s.kh * s.kw) * sizeof(float));
    int32_t db_t = net_tensor(&n, "db", MOTE_FLOAT32, 1, &s.c, db, (size_t)s.c * sizeof(float));
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, 4, od, NULL, 0);
    int32_t dins[3] = {dw_in, df, db_t};
    mote_option_field f7[7] = {opt_i8(0, s.padding), opt_i32(1, s.stride), opt_i32(2, s.stride), opt_i32(3, 1),
                               opt_i8(4, s.act),     opt_i32(5, s.dil),    opt_i32(6, s.dil)};
    opt_add_op(n.w, MOTE_OP_DEPTHWISE_CONV_2D, TFL_OPTIONS_DEPTHWISE_CONV2D, 7, f7, 3, dins, y);
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &x));
    int32_t outs[2] = {y, mid};
    CHECK_OK(mote_writer_set_outputs(n.w, keep_mid ? 2 : 1, outs));
    free(ew), free(eb), free(dw), free(db);
    return n;
}

/* Reference vs fused (1 to 3 threads, within rounding), and fused vs unfused optimized
 * (identical bits: the same microkernels in the same order). Returns the fused node count. */
static int check_expand(expand_shape s) {
    char what[200];
    snprintf(what, sizeof what, "expansion b%d %dx%dx%d -> %d, depthwise %dx%d stride %d dilation %d %s pad %d",
             s.batch, s.h, s.w, s.in_c, s.c, s.kh, s.kw, s.stride, s.dil, s.padding ? "VALID" : "SAME", s.pad);
    net n = build_expand(s, 0);
    size_t ref_count = 0, count = 0, plain_count = 0;
    int fused = 0;
    float *want = net_run(&n, 1, 1, &ref_count, NULL);
    net plain = build_expand(s, 1);
    float *unfused = net_run(&plain, 0, 1, &plain_count, NULL);
    mote_writer_destroy(plain.w);
    for (int threads = 1; threads <= 3; threads++) {
        float *got = net_run(&n, 0, threads, &count, &fused);
        CHECK_EQ_INT(count, ref_count);
        CHECK_EQ_INT(count, plain_count);
        if (got && want && count == ref_count) {
            char label[240];
            snprintf(label, sizeof label, "%s, %d threads", what, threads);
            close_enough(got, want, count, (size_t)(s.in_c + s.kh * s.kw * s.in_c), label);
            if (count == plain_count && memcmp(got, unfused, count * sizeof(float)) != 0) {
                fprintf(stderr, "%s: fused and unfused results differ\n", label);
                test_failures++;
            }
        }
        free(got);
    }
    free(want), free(unfused);
    mote_writer_destroy(n.w);
    return fused;
}

static void test_expansion_fusion(void) {
    /* MobileNetV2's blocks, scaled down to fit the unit tests: stride 1 SAME, stride 2 after
     * an explicit PAD (the expansion and the PAD fused), stride 2 SAME. */
    CHECK_EQ_INT(check_expand((expand_shape){1, 40, 40, 8, 96, 3, 3, 1, 1, 0, 3, 3, 0}), 1);
    CHECK_EQ_INT(check_expand((expand_shape){1, 40, 40, 8, 96, 3, 3, 2, 1, 1, 3, 3, 1}), 2);
    CHECK_EQ_INT(check_expand((expand_shape){1, 41, 39, 5, 90, 3, 3, 2, 1, 0, 1, 0, 0}), 1);
    /* Two images, 5x5 windows, dilation, VALID, a width that leaves partial tiles. */
    CHECK_EQ_INT(check_expand((expand_shape){2, 30, 31, 7, 150, 5, 5, 1, 1, 1, 0, 3, 0}), 1);
    CHECK_EQ_INT(check_expand((expand_shape){1, 36, 29, 3, 140, 3, 3, 1, 2, 0, 3, 1, 0}), 1);
    CHECK_EQ_INT(check_expand((expand_shape){1, 60, 9, 4, 256, 3, 1, 3, 1, 0, 2, 3, 0}), 1);
    /* A window taller than the image: every row of it is kept. */
    CHECK_EQ_INT(check_expand((expand_shape){1, 2, 700, 6, 96, 5, 5, 1, 1, 0, 3, 3, 0}), 1);
    /* Small enough to stay in L2: not fused (the result is checked all the same). */
    CHECK_EQ_INT(check_expand((expand_shape){1, 28, 28, 8, 96, 3, 3, 1, 1, 0, 3, 3, 0}), 0);
}

static void check_fc(int32_t batches, int32_t in, int32_t out, int act, int bias, int keep_dims) {
    net n = net_new();
    int32_t xd[3] = {1, batches, in}, wd[2] = {out, in}, yd[3] = {1, batches, out};
    int32_t x = net_input(&n, keep_dims ? 3 : 2, keep_dims ? xd : xd + 1);
    float *w = random_floats((size_t)out * (size_t)in), *b = random_floats((size_t)out);
    int32_t wt = net_tensor(&n, "w", MOTE_FLOAT32, 2, wd, w, (size_t)out * (size_t)in * sizeof(float));
    int32_t bt = bias ? net_tensor(&n, "b", MOTE_FLOAT32, 1, &out, b, (size_t)out * sizeof(float)) : -1;
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, keep_dims ? 3 : 2, keep_dims ? yd : yd + 1, NULL, 0);
    int32_t ins[3] = {x, wt, bt};
    mote_option_field f[2] = {opt_i8(0, act), opt_bool(2, keep_dims)};
    opt_add_op(n.w, MOTE_OP_FULLY_CONNECTED, TFL_OPTIONS_FULLY_CONNECTED, 2, f, 3, ins, y);
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &x));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &y));
    free(w), free(b);
    char what[120];
    snprintf(what, sizeof what, "fully connected %d x %d -> %d act %d bias %d", batches, in, out, act, bias);
    net_check(&n, (size_t)in, what);
}

static void test_fully_connected(void) {
    const int32_t batches[] = {1, 2, 3, 7, 8, 13, 14, 15, 29};
    const int32_t sizes[] = {1, 3, 16, 17, 33, 100};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            check_fc(batches[b], sizes[i], sizes[(i + b) % 6] + (int32_t)b, activations[(b + i) % 4], (b + i) % 3 != 0,
                     (int)(b % 2));
    check_fc(3, 700, 50, 0, 1, 0);   /* deep */
    check_fc(1, 1280, 1000, 0, 1, 0); /* a classifier */
    /* Input rows 2 and 4 KiB apart: copied to a padded stride first. */
    check_fc(29, 512, 40, 3, 1, 1);
    check_fc(20, 1024, 33, 0, 0, 0);
    check_fc(14, 1024, 33, 0, 1, 0); /* one tile: no copy */
}

static void check_bmm(int32_t rank_l, const int32_t *ld, int32_t rank_r, const int32_t *rd, int adj_x, int adj_y,
                      size_t depth) {
    net n = net_new();
    int32_t l = net_input(&n, rank_l, ld), r = net_input(&n, rank_r, rd);
    /* The output shape is inferred by prepare; give the broadcast shape. */
    int32_t yd[MOTE_MAX_DIMS], rank = rank_l > rank_r ? rank_l : rank_r;
    for (int32_t i = 0; i < rank - 2; i++) {
        int32_t li = i - (rank - rank_l), ri = i - (rank - rank_r);
        int32_t a = li >= 0 ? ld[li] : 1, b = ri >= 0 ? rd[ri] : 1;
        yd[i] = a > b ? a : b;
    }
    yd[rank - 2] = adj_x ? ld[rank_l - 1] : ld[rank_l - 2];
    yd[rank - 1] = adj_y ? rd[rank_r - 2] : rd[rank_r - 1];
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, rank, yd, NULL, 0);
    int32_t ins[2] = {l, r};
    mote_option_field f[2] = {opt_bool(0, adj_x), opt_bool(1, adj_y)};
    opt_add_op(n.w, MOTE_OP_BATCH_MATMUL, TFL_OPTIONS_BATCH_MATMUL, 2, f, 2, ins, y);
    CHECK_OK(mote_writer_set_inputs(n.w, 2, n.inputs));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &y));
    char what[120];
    snprintf(what, sizeof what, "batch matmul adj %d %d, lhs rank %d, rhs rank %d, depth %zu", adj_x, adj_y, rank_l,
             rank_r, depth);
    net_check(&n, depth, what);
}

static void test_batch_matmul(void) {
    for (int adj = 0; adj < 4; adj++) {
        const int ax = adj & 1, ay = adj >> 1;
        for (int i = 0; i < 12; i++) {
            const int32_t b = rng_int(1, 3), m = rng_int(1, 20), k = rng_int(1, 70), nn = rng_int(1, 40);
            int32_t ld[3] = {b, ax ? k : m, ax ? m : k}, rd[3] = {b, ay ? nn : k, ay ? k : nn};
            check_bmm(3, ld, 3, rd, ax, ay, (size_t)k);
        }
        /* Broadcast batches: rhs shared, lhs shared. */
        int32_t ld[4] = {2, 3, ax ? 9 : 17, ax ? 17 : 9}, rd[2] = {ay ? 33 : 9, ay ? 9 : 33};
        check_bmm(4, ld, 2, rd, ax, ay, 9);
        int32_t ld2[2] = {ax ? 9 : 5, ax ? 5 : 9}, rd2[4] = {2, 1, ay ? 21 : 9, ay ? 9 : 21};
        check_bmm(2, ld2, 4, rd2, ax, ay, 9);
    }
    /* The transformer's attention shapes. */
    int32_t q[4] = {1, 4, 128, 64}, k[4] = {1, 4, 128, 64}, p[4] = {1, 4, 128, 128};
    check_bmm(4, q, 4, k, 0, 1, 64);
    check_bmm(4, p, 4, k, 0, 0, 128);
}

/* BATCH_MATMUL with a constant rhs (packed once, at allocate): rhs [rb, k, n] (or [rb, n, k]
 * with adj_y) broadcast against lhs [2, lb, m, k]. */
static void check_bmm_const(int32_t rb, int32_t lb, int32_t m, int32_t k, int32_t nn, int adj_y) {
    net n = net_new();
    int32_t ld[4] = {2, lb, m, k}, rd[3] = {rb, adj_y ? nn : k, adj_y ? k : nn};
    int32_t l = net_input(&n, 4, ld);
    const size_t rcount = (size_t)rb * (size_t)k * (size_t)nn;
    float *rv = random_floats(rcount);
    int32_t r = net_tensor(&n, "r", MOTE_FLOAT32, 3, rd, rv, rcount * sizeof(float));
    free(rv);
    int32_t yd[4] = {2, lb > rb ? lb : rb, m, nn};
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, 4, yd, NULL, 0);
    int32_t ins[2] = {l, r};
    mote_option_field f[2] = {opt_bool(0, 0), opt_bool(1, adj_y)};
    opt_add_op(n.w, MOTE_OP_BATCH_MATMUL, TFL_OPTIONS_BATCH_MATMUL, 2, f, 2, ins, y);
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &l));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &y));
    char what[160];
    snprintf(what, sizeof what, "batch matmul, constant rhs [%d, %d, %d] adj_y %d, lhs [2, %d, %d, %d]", rb,
             rd[1], rd[2], adj_y, lb, m, k);
    net_check(&n, (size_t)k, what);
}

static void test_batch_matmul_const(void) {
    check_bmm_const(1, 3, 5, 7, 9, 0);
    check_bmm_const(3, 3, 15, 33, 40, 1);
    check_bmm_const(3, 1, 29, 70, 65, 0);
    check_bmm_const(2, 2, 1, 100, 17, 1);
}

/* ---- ADD, SUB, MUL, DIV (arith_f32_opt.c) ---- */

static void check_arith(int32_t code, int32_t options_type, int act, int32_t ra, const int32_t *da, int32_t rb,
                        const int32_t *db) {
    net n = net_new();
    int32_t a = net_input(&n, ra, da), b = net_input(&n, rb, db);
    int32_t yd[MOTE_MAX_DIMS], rank = ra > rb ? ra : rb;
    for (int32_t i = 0; i < rank; i++) {
        int32_t ai = i - (rank - ra), bi = i - (rank - rb);
        int32_t x = ai >= 0 ? da[ai] : 1, z = bi >= 0 ? db[bi] : 1;
        yd[i] = x > z ? x : z;
    }
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, rank, yd, NULL, 0);
    int32_t ins[2] = {a, b};
    mote_option_field f[1] = {opt_i8(0, act)};
    opt_add_op(n.w, code, options_type, options_type ? 1 : 0, f, 2, ins, y);
    CHECK_OK(mote_writer_set_inputs(n.w, 2, n.inputs));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &y));
    char what[160];
    snprintf(what, sizeof what, "arithmetic op %d act %d, ranks %d and %d (%d ... and %d ...)", code, act, ra, rb,
             da[0], db[0]);
    net_check(&n, 0, what);
}

static void test_arithmetic(void) {
    static const int32_t codes[4][2] = {{MOTE_OP_ADD, TFL_OPTIONS_ADD},
                                        {MOTE_OP_SUB, TFL_OPTIONS_SUB},
                                        {MOTE_OP_MUL, TFL_OPTIONS_MUL},
                                        {MOTE_OP_DIV, TFL_OPTIONS_DIV}};
    int32_t full[4] = {2, 5, 7, 33}, last[1] = {33}, col[2] = {7, 1}, one[1] = {1}, mid[4] = {2, 1, 7, 1},
            other[4] = {1, 5, 1, 33}, big[4] = {1, 56, 56, 24}, wide[2] = {3, 70000}, wrow[1] = {70000},
            rows[2] = {3000, 24}, rrow[2] = {1, 24};
    for (int c = 0; c < 4; c++) {
        const int32_t code = codes[c][0], ot = codes[c][1];
        const int act = activations[c];
        check_arith(code, ot, act, 4, full, 4, full);
        check_arith(code, ot, act, 4, full, 1, last);
        check_arith(code, ot, act, 1, last, 4, full);
        check_arith(code, ot, act, 4, full, 2, col);
        check_arith(code, ot, act, 4, full, 1, one);
        check_arith(code, ot, act, 1, one, 4, full);
        check_arith(code, ot, act, 4, mid, 4, other);
        check_arith(code, ot, act, 4, big, 4, big);
        check_arith(code, ot, act, 2, wide, 1, wrow);
        check_arith(code, ot, act, 1, wrow, 2, wide);
        check_arith(code, ot, act, 2, rows, 2, rrow);
        check_arith(code, ot, 0, 1, one, 1, one);
    }
    /* SQUARED_DIFFERENCE (no options, no clamp). */
    int32_t norm[3] = {1, 128, 256}, mean[3] = {1, 128, 1};
    check_arith(MOTE_OP_SQUARED_DIFFERENCE, 0, 0, 3, norm, 3, mean);
    check_arith(MOTE_OP_SQUARED_DIFFERENCE, 0, 0, 4, full, 4, full);
    check_arith(MOTE_OP_SQUARED_DIFFERENCE, 0, 0, 2, wide, 1, wrow);
}

/* ---- GELU, SOFTMAX, MEAN, SUM (math_f32_opt.c) ---- */

/* One op on one input x (scaled by `scale`: inputs are random in [-1, 1) otherwise), with an
 * optional constant int32 second input (axes). */
static void check_unary(int32_t code, int32_t options_type, int32_t field_count, const mote_option_field *fields,
                        int32_t rank, const int32_t *dims, float scale, const int32_t *axes, int32_t axis_count,
                        int32_t out_rank, const int32_t *out_dims, size_t depth, const char *what) {
    net n = net_new();
    int32_t x = net_input(&n, rank, dims), in = x;
    if (scale != 1.0f) {
        /* x * scale first, to reach the tails of exp and erf. */
        int32_t one = 1;
        int32_t st = net_tensor(&n, "s", MOTE_FLOAT32, 1, &one, &scale, sizeof scale);
        in = net_tensor(&n, "xs", MOTE_FLOAT32, rank, dims, NULL, 0);
        int32_t ins[2] = {x, st};
        mote_option_field f[1] = {opt_i8(0, 0)};
        opt_add_op(n.w, MOTE_OP_MUL, TFL_OPTIONS_MUL, 1, f, 2, ins, in);
    }
    int32_t ins[2] = {in, -1};
    if (axes) ins[1] = net_tensor(&n, "axes", MOTE_INT32, 1, &axis_count, axes, (size_t)axis_count * sizeof(int32_t));
    int32_t y = net_tensor(&n, "y", MOTE_FLOAT32, out_rank, out_dims, NULL, 0);
    opt_add_op(n.w, code, options_type, field_count, fields, axes ? 2 : 1, ins, y);
    CHECK_OK(mote_writer_set_inputs(n.w, 1, &x));
    CHECK_OK(mote_writer_set_outputs(n.w, 1, &y));
    net_check(&n, depth, what);
}

static void test_math(void) {
    int32_t big[3] = {1, 128, 1024}, odd[2] = {3, 37}, att[4] = {1, 4, 128, 128}, one[1] = {1};
    const float scales[] = {1.0f, 6.0f, 40.0f};
    for (int approx = 0; approx < 2; approx++)
        for (size_t k = 0; k < 3; k++) {
            mote_option_field f[1] = {opt_bool(0, approx)};
            char what[80];
            snprintf(what, sizeof what, "gelu approximate %d, inputs x %g", approx, (double)scales[k]);
            check_unary(MOTE_OP_GELU, TFL_OPTIONS_GELU, 1, f, 3, big, scales[k], NULL, 0, 3, big, 1, what);
            check_unary(MOTE_OP_GELU, TFL_OPTIONS_GELU, 1, f, 2, odd, scales[k], NULL, 0, 2, odd, 1, what);
            check_unary(MOTE_OP_GELU, TFL_OPTIONS_GELU, 1, f, 1, one, scales[k], NULL, 0, 1, one, 1, what);
        }
    const float betas[] = {1.0f, 0.125f};
    for (size_t b = 0; b < 2; b++)
        for (size_t k = 0; k < 3; k++) {
            mote_option_field f[1] = {{0, MOTE_FIELD_FLOAT32, 0, betas[b], NULL, 0, NULL}};
            char what[80];
            snprintf(what, sizeof what, "softmax beta %g, inputs x %g", (double)betas[b], (double)scales[k]);
            check_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, 1, f, 4, att, scales[k], NULL, 0, 4, att, 4, what);
            check_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, 1, f, 2, odd, scales[k], NULL, 0, 2, odd, 4, what);
        }
    /* MEAN and SUM: innermost axes (rows), outermost (columns), a middle one (reference). */
    int32_t in4[4] = {2, 3, 5, 40};
    struct {
        int32_t axes[3], count, keep, out_rank, out[4];
    } cases[] = {{{3}, 1, 1, 4, {2, 3, 5, 1}}, {{2, 3}, 2, 0, 2, {2, 3}},      {{-1}, 1, 0, 3, {2, 3, 5}},
                 {{0}, 1, 0, 3, {3, 5, 40}},   {{0, 1}, 2, 1, 4, {1, 1, 5, 40}}, {{1}, 1, 0, 3, {2, 5, 40}},
                 {{0, 1, 2}, 3, 0, 1, {40}},   {{1, 2, 3}, 3, 0, 1, {2}}};
    for (int32_t code = 0; code < 2; code++)
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            mote_option_field f[1] = {opt_bool(0, cases[c].keep)};
            char what[80];
            snprintf(what, sizeof what, "%s case %zu", code ? "sum" : "mean", c);
            check_unary(code ? MOTE_OP_SUM : MOTE_OP_MEAN, TFL_OPTIONS_REDUCER, 1, f, 4, in4, 1.0f, cases[c].axes,
                        cases[c].count, cases[c].out_rank, cases[c].out, 40 * 15, what);
        }
}

TEST_MAIN(test_gemm_microkernels, test_gemm_tiles_agree, test_dwconv_microkernels, test_dwconv_kernels_agree, test_conv2d, test_depthwise, test_pad_fusion,
          test_expansion_fusion, test_fully_connected, test_batch_matmul, test_batch_matmul_const, test_arithmetic,
          test_math)
