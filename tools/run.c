/* run.c — `mote run`: load a model, set its inputs (files, a golden folder or random),
 * invoke once, print a summary and optionally write the outputs in the golden format. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/model.h"
#include "golden.h"
#include "kernels/kernel.h"
#include "mote_signal.h"
#include "run.h"
#include "run_image.h"

static const char usage[] =
    "usage: mote run MODEL [options]\n"
    "Runs a .tflite model once and prints its outputs.\n"
    "\n"
    "inputs (default: --random 1):\n"
    "  --input FILE        raw little-endian bytes of one input; repeat once per input, in\n"
    "                      the model's (or the signature's) input order\n"
    "  --inputs-from DIR   a folder in the golden format (meta.json + in<i>.bin); inputs are\n"
    "                      matched by tensor_index (by name for another signature's folder)\n"
    "                      and resized to the shapes it lists\n"
    "  --random SEED       seeded random inputs: floats in [-1, 1), integers over their full\n"
    "                      range, bools 0/1\n"
    RUN_IMAGE_USAGE
    "options:\n"
    "  --output-dir DIR    write in<i>.bin, out<i>.bin and meta.json (golden format) to DIR\n"
    "  --signature KEY     run a signature (SignatureDef) instead of subgraph 0\n"
    "  --threads N         kernel threads (default 1)\n"
    "  --reference         use the reference kernels only\n"
    "  --signal-ops        register TensorFlow Lite Micro's signal operators (Signal*)\n"
    "  --arena-limit BYTES fail instead of planning a larger arena\n"
    "  --max-iterations N  fail when one WHILE loop runs more than N iterations (default\n"
    "                      1000000, so random inputs cannot loop for hours; 0: no limit)\n"
    "  --quiet             print nothing but errors\n"
    "exit status: 0 ok, 1 failure, 2 usage, 3 the model needs something Mote does not support\n";

typedef struct run_args {
    const char *model;
    char **files;
    int file_count;
    const char *inputs_from;
    const char *output_dir;
    const char *signature;
    long long seed;          /* -1: not given */
    long long threads;
    long long arena_limit;   /* 0: none */
    long long max_iterations; /* MOTE_LIMIT_WHILE_ITERATIONS; 0: none */
    int reference;
    int signal_ops;          /* register the Signal* custom operators */
    int quiet;
    run_image_args image;    /* --image, --labels, --top and their options */
} run_args;

static int usage_error(const char *fmt, const char *arg) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    fflush(stdout);
    fprintf(stderr, "mote run: %s (see mote run --help)\n", msg);
    return CLI_EXIT_USAGE;
}

/* Accepts "--opt VALUE" and "--opt=VALUE"; returns the value or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != 0 || *i + 1 >= argc) return NULL;
    return argv[++*i];
}

static int parse_args(int argc, char **argv, run_args *a) {
    memset(a, 0, sizeof *a);
    a->seed = -1;
    a->threads = 1;
    a->max_iterations = 1000000;
    run_image_args_init(&a->image);
    a->files = calloc((size_t)argc, sizeof *a->files);
    if (!a->files) return cli_error("out of memory");
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        int rc;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage, stdout);
            return -1;
        } else if ((v = option_value(argc, argv, &i, "--input"))) {
            a->files[a->file_count++] = (char *)v;
        } else if ((v = option_value(argc, argv, &i, "--inputs-from"))) {
            a->inputs_from = v;
        } else if ((v = option_value(argc, argv, &i, "--output-dir"))) {
            a->output_dir = v;
        } else if ((v = option_value(argc, argv, &i, "--signature"))) {
            a->signature = v;
        } else if ((v = option_value(argc, argv, &i, "--random"))) {
            if (cli_parse_int(v, 0, INT64_MAX, &a->seed)) return usage_error("bad --random seed '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--threads"))) {
            if (cli_parse_int(v, 1, 1024, &a->threads)) return usage_error("bad --threads '%s' (1..1024)", v);
        } else if ((v = option_value(argc, argv, &i, "--arena-limit"))) {
            if (cli_parse_int(v, 1, INT64_MAX, &a->arena_limit))
                return usage_error("bad --arena-limit '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--max-iterations"))) {
            if (cli_parse_int(v, 0, INT64_MAX, &a->max_iterations))
                return usage_error("bad --max-iterations '%s'", v);
        } else if (strcmp(arg, "--reference") == 0) {
            a->reference = 1;
        } else if (strcmp(arg, "--signal-ops") == 0) {
            a->signal_ops = 1;
        } else if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
            a->quiet = 1;
        } else if ((rc = run_image_parse_option(argc, argv, &i, &a->image))) {
            if (rc != 1) return rc;
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option or missing value: %s", arg);
        } else if (!a->model) {
            a->model = arg;
        } else {
            return usage_error("unexpected argument '%s' (one model only)", arg);
        }
    }
    if (!a->model) return usage_error("%s", "no MODEL given");
    if (a->file_count && a->inputs_from)
        return usage_error("%s", "--input and --inputs-from exclude each other");
    return 0;
}

/* ---- summary ---- */

/* Element i as a double, for the types the summary shows; returns 0 when it cannot. */
static int element(const mote_tensor_info *t, size_t i, double *v) {
    const unsigned char *p = t->data;
    switch (t->type) {
    case MOTE_FLOAT32: { float x; memcpy(&x, p + 4 * i, 4); *v = x; return 1; }
    case MOTE_FLOAT64: { double x; memcpy(&x, p + 8 * i, 8); *v = x; return 1; }
    case MOTE_FLOAT16: { uint16_t x; memcpy(&x, p + 2 * i, 2); *v = kernel_f16_to_f32(x); return 1; }
    case MOTE_BFLOAT16: {
        uint16_t x;
        memcpy(&x, p + 2 * i, 2);
        uint32_t u = (uint32_t)x << 16;
        float f;
        memcpy(&f, &u, 4);
        *v = f;
        return 1;
    }
    case MOTE_INT8: *v = (int8_t)p[i]; return 1;
    case MOTE_UINT8: case MOTE_BOOL: *v = p[i]; return 1;
    case MOTE_INT16: { int16_t x; memcpy(&x, p + 2 * i, 2); *v = x; return 1; }
    case MOTE_UINT16: { uint16_t x; memcpy(&x, p + 2 * i, 2); *v = x; return 1; }
    case MOTE_INT32: { int32_t x; memcpy(&x, p + 4 * i, 4); *v = x; return 1; }
    case MOTE_UINT32: { uint32_t x; memcpy(&x, p + 4 * i, 4); *v = x; return 1; }
    case MOTE_INT64: { int64_t x; memcpy(&x, p + 8 * i, 8); *v = (double)x; return 1; }
    case MOTE_UINT64: { uint64_t x; memcpy(&x, p + 8 * i, 8); *v = (double)x; return 1; }
    default: return 0;
    }
}

static void print_values(const mote_tensor_info *t) {
    size_t esize = mote_type_bytes(t->type);
    double v;
    if (!t->data || esize == 0 || !element(t, 0, &v)) {
        printf("  (%zu bytes)\n", t->bytes);
        return;
    }
    size_t n = t->bytes / esize;
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    size_t nonfinite = 0;
    printf("  [");
    for (size_t i = 0; i < n; i++) {
        element(t, i, &v);
        if (i < 6) printf("%s%.6g", i ? ", " : "", v);
        if (!isfinite(v)) {
            nonfinite++;
            continue;
        }
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        sum += v;
    }
    printf("%s]", n > 6 ? ", ..." : "");
    if (n > nonfinite) printf(" min %.6g max %.6g mean %.6g", lo, hi, sum / (double)(n - nonfinite));
    if (nonfinite) printf(" (%zu not finite)", nonfinite);
    printf("\n");
}

static void print_port(const char *prefix, int32_t i, const run_port *p, int values) {
    mote_tensor_info t;
    mote_tensor_get_info(p->tensor, &t);
    char shape[160];
    printf("  %s%d %-24s %-8s %s", prefix, i, p->name[0] ? p->name : "(unnamed)", mote_type_name(t.type),
           cli_format_shape(t.rank, t.dims, shape, sizeof shape));
    if (t.quantization.count == 1)
        printf(" q(%g, %lld)", (double)t.quantization.scales[0], (long long)t.quantization.zero_points[0]);
    if (values) print_values(&t);
    else printf("  (%s)\n", p->source);
}

/* ---- outputs ---- */

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int write_outputs(const run_state *rs, const run_args *a, size_t model_bytes, double invoke_ms) {
    const char *dir = a->output_dir;
    if (cli_mkdir_p(dir)) return cli_error("cannot create '%s': %s", dir, strerror(errno));
    int32_t total = rs->input_count + rs->output_count;
    golden_port *ports = calloc((size_t)total + 1, sizeof *ports);
    if (!ports) return cli_error("out of memory");
    int rc = CLI_EXIT_OK;
    for (int32_t i = 0; i < total && rc == CLI_EXIT_OK; i++) {
        int is_out = i >= rs->input_count;
        int32_t k = is_out ? i - rs->input_count : i;
        const run_port *p = is_out ? &rs->outputs[k] : &rs->inputs[k];
        ports[i].name = p->name;
        mote_tensor_get_info(p->tensor, &ports[i].info);
        char file[32];
        snprintf(file, sizeof file, "%s%d.bin", is_out ? "out" : "in", k);
        char *path = cli_path_join(dir, file);
        /* Inputs are written from the bytes handed in: an operator may reuse an input's
         * memory once it is no longer needed. */
        const void *data = is_out ? ports[i].info.data : p->data;
        size_t size = is_out ? ports[i].info.bytes : p->size;
        if (!path) rc = cli_error("out of memory");
        else if (size && !data)
            rc = cli_error("%s %d ('%s') has no data", is_out ? "output" : "input", k, p->name);
        else if (cli_write_file(path, data, size))
            rc = cli_error("cannot write '%s': %s", path, strerror(errno));
        free(path);
    }
    golden_run run = {base_name(rs->model_path), model_bytes, rs->signature, (int)a->threads, a->reference,
                      a->inputs_from ? "golden" : a->file_count ? "files" : a->image.path ? "image" : "random",
                      a->inputs_from || a->file_count || a->image.path ? -1 : a->seed, invoke_ms};
    if (rc == CLI_EXIT_OK &&
        golden_write_meta(dir, &run, ports, rs->input_count, ports + rs->input_count, rs->output_count))
        rc = cli_error("cannot write '%s/meta.json': %s", dir, strerror(errno));
    free(ports);
    return rc;
}

/* ---- the run ---- */

static int fail_status(const run_state *rs, const char *stage, mote_status st) {
    cli_error("%s: %s: %s", rs->model_path, stage, mote_interpreter_error(rs->interpreter));
    return cli_exit_code(st);
}

static int execute(run_state *rs, run_args *a) {
    mote_status st = mote_model_load_file(a->model, NULL, &rs->model);
    if (st) {
        cli_model_error(a->model, rs->model);
        return cli_exit_code(st);
    }
    mote_options *opt;
    if (mote_options_create(NULL, &opt)) return cli_error("out of memory");
    mote_options_set_threads(opt, (int32_t)a->threads);
    mote_options_set_reference_kernels(opt, a->reference);
    if (a->signal_ops && mote_signal_register(opt)) {
        mote_options_destroy(opt);
        return cli_error("out of memory");
    }
    if (a->arena_limit) mote_options_set_limit(opt, MOTE_LIMIT_ARENA_BYTES, (uint64_t)a->arena_limit);
    mote_options_set_limit(opt, MOTE_LIMIT_WHILE_ITERATIONS, (uint64_t)a->max_iterations);
    st = mote_interpreter_create(rs->model, opt, &rs->interpreter);
    mote_options_destroy(opt);
    if (st) {
        if (!rs->interpreter) return cli_error("out of memory");
        return fail_status(rs, "cannot create an interpreter", st);
    }
    int rc = run_bind_ports(rs);
    if (rc) return rc;
    if (a->inputs_from) rc = run_inputs_from_golden(rs, a->inputs_from);
    else if (a->file_count) rc = run_inputs_from_files(rs, a->files, a->file_count);
    if (rc || (rc = run_image_setup(rs, &a->image))) return rc;
    if ((st = mote_interpreter_allocate_tensors(rs->interpreter)))
        return fail_status(rs, "allocate_tensors failed", st);
    if ((rc = run_inputs_random(rs, (uint64_t)a->seed)) || (rc = run_copy_inputs(rs))) return rc;

    double t0 = cli_now();
    st = rs->signature ? mote_interpreter_signature_invoke(rs->interpreter, rs->signature)
                       : mote_interpreter_invoke(rs->interpreter);
    double invoke_ms = (cli_now() - t0) * 1e3;
    if (st) return fail_status(rs, "invoke failed", st);

    if (!a->quiet) {
        size_t act = 0, pers = 0;
        mote_interpreter_arena_bytes(rs->interpreter, &act, &pers);
        printf("model %s%s%s\n", a->model, rs->signature ? ", signature " : "",
               rs->signature ? rs->signature : "");
        printf("inputs:\n");
        for (int32_t i = 0; i < rs->input_count; i++) print_port("in", i, &rs->inputs[i], 0);
        printf("outputs:\n");
        for (int32_t i = 0; i < rs->output_count; i++) print_port("out", i, &rs->outputs[i], 1);
        printf("invoke %.3f ms (%lld thread%s), arena %zu + %zu persistent bytes\n", invoke_ms, a->threads,
               a->threads == 1 ? "" : "s", act, pers);
    }
    if ((rc = run_print_results(rs, &a->image))) return rc;
    if (a->output_dir) return write_outputs(rs, a, rs->model->size, invoke_ms);
    return CLI_EXIT_OK;
}

int cmd_run(int argc, char **argv) {
    run_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        free(a.files);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    if (a.seed < 0 && !a.inputs_from && !a.file_count) a.seed = 1;
    run_state rs;
    memset(&rs, 0, sizeof rs);
    rs.model_path = a.model;
    rs.signature = a.signature;
    rc = execute(&rs, &a);
    run_free_ports(&rs);
    mote_interpreter_destroy(rs.interpreter);
    mote_model_destroy(rs.model);
    free(a.files);
    return rc;
}
