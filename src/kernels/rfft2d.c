/* rfft2d.c — RFFT2D: the 2-D discrete Fourier transform of real float32 input over its two
 * innermost dimensions, cropped or zero-padded to a constant fft_length [height, width]
 * (powers of two), giving the width / 2 + 1 non-negative frequencies as complex64:
 *
 *   out[..., u, v] = sum over y, x of in[..., y, x] * exp(-2 pi i (u y / height + v x / width))
 *
 * Computed in double, as TensorFlow Lite does: each row by a real FFT (a complex FFT of half
 * the length on even/odd pairs, then split), then each column by a complex FFT; radix-2,
 * with twiddle factors tabulated once at pack time. */
#include "kernels/kernel.h"

enum { IN_INPUT = 0, IN_FFT_LENGTH = 1 };

/* Largest fft_length entry accepted: keeps every size and index within int32. */
#define MAX_FFT_LENGTH (1 << 24)

typedef struct rfft2d_data {
    int32_t height, width; /* fft_length */
    int32_t table_size;    /* L = max(height, width): the table holds exp(-2 pi i k / L) */
    int32_t twiddles;      /* persistent index: L / 2 complex doubles */
    int32_t work;          /* scratch index: the [height, width / 2 + 1] spectrum, then rows */
    size_t slices;         /* product of the dimensions before the last two */
    int32_t in_height, in_width;
} rfft2d_data;

static mote_status rfft2d_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(rfft2d_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

static int is_pow2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

static mote_status rfft2d_prepare(mote_context *ctx, mote_node *node) {
    rfft2d_data *d = node->data;
    mote_tensor *in, *len, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_FFT_LENGTH, &len)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_COMPLEX64)))
        return st;
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if (in->rank < 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: rank %d, expected at least 2",
                           kernel_describe(in, "input", IN_INPUT, b, sizeof b), in->rank);
    if (len->type != MOTE_INT32) return kernel_unsupported_type(ctx, node, len, "input", IN_FFT_LENGTH);
    if ((st = kernel_check_constant(ctx, node, len, "input", IN_FFT_LENGTH))) return st;
    if (len->rank != 1 || len->dims[0] != 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected 2 values [height, width]",
                           kernel_describe(len, "input", IN_FFT_LENGTH, b, sizeof b));
    int64_t h = kernel_int_at(len, 0), w = kernel_int_at(len, 1);
    if (!is_pow2(h) || !is_pow2(w) || h > MAX_FFT_LENGTH || w > MAX_FFT_LENGTH)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "fft_length [%lld, %lld]: each must be a power of two up to %d", (long long)h,
                           (long long)w, MAX_FFT_LENGTH);
    d->height = (int32_t)h;
    d->width = (int32_t)w;
    d->table_size = d->height > d->width ? d->height : d->width;
    d->slices = kernel_dims_product(in, 0, in->rank - 2);
    d->in_height = in->dims[in->rank - 2];
    d->in_width = in->dims[in->rank - 1];

    const size_t bins = (size_t)d->width / 2 + 1;
    /* The spectrum, plus one row or column of complex values being transformed. */
    const size_t line = (size_t)(d->height > d->width ? d->height : d->width);
    const size_t work_bytes = ((size_t)d->height * bins + line) * 2 * sizeof(double);
    const size_t table_bytes = (size_t)(d->table_size / 2 > 0 ? d->table_size / 2 : 1) * 2 * sizeof(double);
    if ((st = mote_node_request_scratch(ctx, node, work_bytes, &d->work)) ||
        (st = mote_node_request_persistent(ctx, node, table_bytes, &d->twiddles)))
        return kernel_fail(ctx, node, st, "cannot reserve %zu bytes of FFT buffers",
                           work_bytes + table_bytes);

    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, in->dims, (size_t)in->rank * sizeof dims[0]);
    dims[in->rank - 2] = d->height;
    dims[in->rank - 1] = (int32_t)bins;
    return kernel_set_shape(ctx, node, out, in->rank, dims);
}

/* exp(-2 pi i k / L) for k < L / 2, as (cos, sin) pairs. */
static mote_status rfft2d_pack(mote_context *ctx, mote_node *node) {
    const rfft2d_data *d = node->data;
    void *p;
    mote_status st = mote_node_persistent(ctx, node, d->twiddles, &p);
    if (st) return kernel_fail(ctx, node, st, "twiddle table missing");
    double *tw = p;
    const double pi = 3.14159265358979323846;
    for (int32_t k = 0; k < d->table_size / 2; k++) {
        double angle = -2.0 * pi * (double)k / (double)d->table_size;
        tw[2 * k] = cos(angle);
        tw[2 * k + 1] = sin(angle);
    }
    return MOTE_OK;
}

/* In-place forward FFT of n complex values (n a power of two), interleaved (re, im) pairs;
 * the twiddle for exp(-2 pi i j / n) is tw[j * tw_step]. */
static void fft_complex(double *z, int32_t n, const double *tw, int32_t tw_step) {
    /* Bit-reversal permutation. */
    for (int32_t i = 1, j = 0; i < n; i++) {
        int32_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j |= bit;
        if (i < j) {
            double re = z[2 * i], im = z[2 * i + 1];
            z[2 * i] = z[2 * j];
            z[2 * i + 1] = z[2 * j + 1];
            z[2 * j] = re;
            z[2 * j + 1] = im;
        }
    }
    /* Butterflies, span doubling. */
    for (int32_t span = 1; span < n; span <<= 1) {
        const int32_t step = tw_step * (n / (2 * span));
        for (int32_t start = 0; start < n; start += 2 * span) {
            for (int32_t k = 0; k < span; k++) {
                const double wr = tw[2 * (k * step)], wi = tw[2 * (k * step) + 1];
                double *a = z + 2 * (start + k), *b = a + 2 * span;
                const double br = b[0] * wr - b[1] * wi, bi = b[0] * wi + b[1] * wr;
                b[0] = a[0] - br;
                b[1] = a[1] - bi;
                a[0] += br;
                a[1] += bi;
            }
        }
    }
}

/* Real FFT of one row x[0..n) (n a power of two): writes the n / 2 + 1 bins to out as
 * (re, im) pairs, using z (n / 2 complex values) as work space. Even and odd samples form
 * one complex sequence of half the length; its transform Z splits into the even part
 * E[k] = (Z[k] + conj Z[-k]) / 2 and the odd part O[k] = (Z[k] - conj Z[-k]) / 2i, and
 * X[k] = E[k] + exp(-2 pi i k / n) O[k]. */
static void fft_real_row(const double *x, int32_t n, double *out, double *z, const double *tw,
                         int32_t table_size) {
    if (n == 1) {
        out[0] = x[0];
        out[1] = 0.0;
        return;
    }
    const int32_t half = n / 2;
    for (int32_t i = 0; i < half; i++) {
        z[2 * i] = x[2 * i];
        z[2 * i + 1] = x[2 * i + 1];
    }
    fft_complex(z, half, tw, table_size / half);
    const int32_t step = table_size / n;
    for (int32_t k = 0; k <= half; k++) {
        const int32_t a = k % half, c = (half - k) % half; /* Z[k] and Z[-k], periodic */
        const double zr = z[2 * a], zi = z[2 * a + 1], cr = z[2 * c], ci = -z[2 * c + 1];
        const double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
        /* (Z[k] - conj Z[-k]) / 2i = (dr + i di) / 2i = (di - i dr) / 2 */
        const double dr = zr - cr, di = zi - ci;
        const double or_ = 0.5 * di, oi = -0.5 * dr;
        /* exp(-2 pi i k / n): k = half is -1, beyond the table's half circle. */
        double wr, wi;
        if (k < half) {
            wr = tw[2 * (k * step)];
            wi = tw[2 * (k * step) + 1];
        } else {
            wr = -1.0;
            wi = 0.0;
        }
        out[2 * k] = er + (or_ * wr - oi * wi);
        out[2 * k + 1] = ei + (or_ * wi + oi * wr);
    }
}

static mote_status rfft2d_eval(mote_context *ctx, mote_node *node) {
    const rfft2d_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    void *work_p, *tw_p;
    mote_status st;
    if ((st = mote_node_scratch(ctx, node, d->work, &work_p)) ||
        (st = mote_node_persistent(ctx, node, d->twiddles, &tw_p)))
        return kernel_fail(ctx, node, st, "FFT buffers missing");
    const double *tw = tw_p;
    const int32_t h = d->height, w = d->width, bins = w / 2 + 1;
    const int32_t valid_h = d->in_height < h ? d->in_height : h, valid_w = d->in_width < w ? d->in_width : w;
    double *spectrum = work_p;                              /* [h][bins] complex */
    double *line = spectrum + 2 * (size_t)h * (size_t)bins; /* one row (real) or column (complex) */
    /* An empty input (a dimension of 0) has no storage: every row is padding then. */
    static const float nothing = 0.0f;
    const float *x = in->bytes ? KERNEL_DATA(in, const float) : &nothing;
    float *y = KERNEL_DATA(out, float);
    const size_t in_slice = (size_t)d->in_height * (size_t)d->in_width;
    for (size_t s = 0; s < d->slices; s++, x += in_slice, y += 2 * (size_t)h * (size_t)bins) {
        /* Rows: the real row, cropped or zero-padded to w, sits at the end of `line`'s
         * space while the first half serves as the complex work area. */
        for (int32_t r = 0; r < h; r++) {
            double *row_out = spectrum + 2 * (size_t)r * (size_t)bins;
            if (r >= valid_h) {
                for (int32_t k = 0; k < 2 * bins; k++) row_out[k] = 0.0;
                continue;
            }
            double *real = line + w; /* w doubles after the w / 2 complex work values */
            const float *src = x + (size_t)r * (size_t)d->in_width;
            for (int32_t i = 0; i < w; i++) real[i] = i < valid_w ? (double)src[i] : 0.0;
            fft_real_row(real, w, row_out, line, tw, d->table_size);
        }
        /* Columns: a complex FFT down each frequency bin. */
        for (int32_t c = 0; c < bins; c++) {
            for (int32_t r = 0; r < h; r++) {
                line[2 * r] = spectrum[2 * ((size_t)r * (size_t)bins + (size_t)c)];
                line[2 * r + 1] = spectrum[2 * ((size_t)r * (size_t)bins + (size_t)c) + 1];
            }
            fft_complex(line, h, tw, d->table_size / h);
            for (int32_t r = 0; r < h; r++) {
                y[2 * ((size_t)r * (size_t)bins + (size_t)c)] = (float)line[2 * r];
                y[2 * ((size_t)r * (size_t)bins + (size_t)c) + 1] = (float)line[2 * r + 1];
            }
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_rfft2d = {NULL,        MOTE_OP_RFFT2D, rfft2d_init, rfft2d_prepare,
                                rfft2d_pack, rfft2d_eval,    NULL};
