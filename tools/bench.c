/* bench.c — `mote bench`: how fast a model runs and how much memory it takes, in the shape
 * of TensorFlow Lite's benchmark_model: initialization (load + create + allocate), the first
 * invoke, then min/median/mean/p90/max over timed runs, peak resident memory, arena bytes,
 * threads and CPU features; optionally a per-operator profile; as text or one JSON object. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "cli.h"
#include "core/cpu.h"
#include "core/model.h"
#include "mote_signal.h"

static const char usage[] =
    "usage: mote bench MODEL [options]\n"
    "Measures a .tflite model: initialization (load + create + allocate), the first invoke,\n"
    "then min/median/mean/p90/max over timed invokes, peak resident memory, arena bytes.\n"
    "\n"
    "options:\n"
    "  --threads N         kernel threads (default 1)\n"
    "  --runs R            timed invokes (default 50)\n"
    "  --warmup W          untimed invokes after the first one (default 5)\n"
    "  --profile           per-operator times (sorted, with shares) and a summary by type\n"
    "  --top K             show only the K slowest operators in the profile (default all)\n"
    "  --inputs-from DIR   inputs from a golden-format folder (meta.json + in<i>.bin)\n"
    "  --random SEED       seeded random inputs (the default, seed 1): floats in [-1, 1),\n"
    "                      integers over their full range\n"
    "  --json              print one JSON object instead of the text report\n"
    "  --reference         use the reference kernels only\n"
    "  --signature KEY     run a signature (SignatureDef) instead of subgraph 0\n"
    "  --signal-ops        register TensorFlow Lite Micro's signal operators (Signal*)\n"
    "Inputs are copied in again before every invoke (untimed), since operators may reuse an\n"
    "input's memory. Times are wall-clock microseconds (CLOCK_MONOTONIC).\n"
    "exit status: 0 ok, 1 failure, 2 usage, 3 the model needs something Mote does not support\n";

typedef struct bench_args {
    const char *model;
    const char *inputs_from;
    const char *signature;
    long long seed;
    long long threads;
    long long runs;
    long long warmup;
    long long top;       /* 0: every operator */
    int profile;
    int json;
    int reference;
    int signal_ops;
} bench_args;

/* What one bench measured; times in microseconds. */
typedef struct bench_result {
    double load_us, create_us, allocate_us, first_us, warmup_mean_us;
    double min_us, median_us, mean_us, p90_us, max_us, std_us;
    size_t activation_bytes, persistent_bytes;
    uint64_t peak_rss_bytes;
    size_t model_bytes;
    char cpu[128];
} bench_result;

static int usage_error(const char *fmt, const char *arg) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    fflush(stdout);
    fprintf(stderr, "mote bench: %s (see mote bench --help)\n", msg);
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

static int parse_args(int argc, char **argv, bench_args *a) {
    memset(a, 0, sizeof *a);
    a->seed = -1;
    a->threads = 1;
    a->runs = 50;
    a->warmup = 5;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage, stdout);
            return -1;
        } else if ((v = option_value(argc, argv, &i, "--threads"))) {
            if (cli_parse_int(v, 1, 1024, &a->threads)) return usage_error("bad --threads '%s' (1..1024)", v);
        } else if ((v = option_value(argc, argv, &i, "--runs"))) {
            if (cli_parse_int(v, 1, 100000000, &a->runs)) return usage_error("bad --runs '%s' (at least 1)", v);
        } else if ((v = option_value(argc, argv, &i, "--warmup"))) {
            if (cli_parse_int(v, 0, 100000000, &a->warmup)) return usage_error("bad --warmup '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--top"))) {
            if (cli_parse_int(v, 0, INT32_MAX, &a->top)) return usage_error("bad --top '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--inputs-from"))) {
            a->inputs_from = v;
        } else if ((v = option_value(argc, argv, &i, "--random"))) {
            if (cli_parse_int(v, 0, INT64_MAX, &a->seed)) return usage_error("bad --random seed '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--signature"))) {
            a->signature = v;
        } else if (strcmp(arg, "--profile") == 0) {
            a->profile = 1;
        } else if (strcmp(arg, "--json") == 0) {
            a->json = 1;
        } else if (strcmp(arg, "--reference") == 0) {
            a->reference = 1;
        } else if (strcmp(arg, "--signal-ops") == 0) {
            a->signal_ops = 1;
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option or missing value: %s", arg);
        } else if (!a->model) {
            a->model = arg;
        } else {
            return usage_error("unexpected argument '%s' (one model only)", arg);
        }
    }
    if (!a->model) return usage_error("%s", "no MODEL given");
    if (a->inputs_from && a->seed >= 0)
        return usage_error("%s", "--inputs-from and --random exclude each other");
    if (!a->inputs_from && a->seed < 0) a->seed = 1;
    return 0;
}

/* ---- measurements ---- */

/* Peak resident set size: VmHWM from /proc/self/status, else getrusage's ru_maxrss
 * (kilobytes on Linux and the BSDs). */
static uint64_t peak_rss_bytes(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned long long kb = 0;
        int found = 0;
        while (!found && fgets(line, sizeof line, f)) found = sscanf(line, "VmHWM: %llu kB", &kb) == 1;
        fclose(f);
        if (found) return (uint64_t)kb * 1024u;
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > 0) return (uint64_t)ru.ru_maxrss * 1024u;
    return 0;
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* min, median, mean, p90 (nearest rank), max and standard deviation of n > 0 times; sorts
 * the array. */
static void statistics(double *t, size_t n, bench_result *r) {
    qsort(t, n, sizeof *t, compare_double);
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) sum += t[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++) sq += (t[i] - mean) * (t[i] - mean);
    size_t p90 = (size_t)ceil(0.9 * (double)n);
    r->min_us = t[0];
    r->max_us = t[n - 1];
    r->median_us = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    r->mean_us = mean;
    r->p90_us = t[(p90 ? p90 : 1) - 1];
    r->std_us = sqrt(sq / (double)n);
}

static int fail_status(const run_state *rs, const char *stage, mote_status st) {
    cli_error("%s: %s: %s", rs->model_path, stage, mote_interpreter_error(rs->interpreter));
    return cli_exit_code(st);
}

static mote_status invoke(run_state *rs) {
    return rs->signature ? mote_interpreter_signature_invoke(rs->interpreter, rs->signature)
                         : mote_interpreter_invoke(rs->interpreter);
}

/* Copies the inputs in (untimed) and times one invoke, in microseconds. */
static int timed_invoke(run_state *rs, double *us) {
    int rc = run_copy_inputs(rs);
    if (rc) return rc;
    double t0 = cli_now();
    mote_status st = invoke(rs);
    *us = (cli_now() - t0) * 1e6;
    return st ? fail_status(rs, "invoke failed", st) : CLI_EXIT_OK;
}

/* The profiled subgraph's operator count. */
static int profile_count(run_state *rs, int32_t *count) {
    mote_status st = mote_interpreter_profile(rs->interpreter, rs->subgraph, NULL, 0, count);
    return st ? fail_status(rs, "cannot read the profile", st) : CLI_EXIT_OK;
}

/* Copies the profiled subgraph's counters (count of them) to out. */
static int profile_snapshot(run_state *rs, mote_op_profile *out, int32_t count) {
    int32_t n;
    mote_status st = mote_interpreter_profile(rs->interpreter, rs->subgraph, out, count, &n);
    return st ? fail_status(rs, "cannot read the profile", st) : CLI_EXIT_OK;
}

/* Loads, creates and allocates (timed), sets the inputs. Returns an exit code. */
static int setup(run_state *rs, const bench_args *a, bench_result *r) {
    double t0 = cli_now();
    mote_status st = mote_model_load_file(a->model, NULL, &rs->model);
    double t1 = cli_now();
    if (st) {
        cli_model_error(a->model, rs->model);
        return cli_exit_code(st);
    }
    r->load_us = (t1 - t0) * 1e6;
    r->model_bytes = rs->model->size;
    mote_options *opt;
    if (mote_options_create(NULL, &opt)) return cli_error("out of memory");
    mote_options_set_threads(opt, (int32_t)a->threads);
    mote_options_set_reference_kernels(opt, a->reference);
    mote_options_set_profiling(opt, a->profile);
    if (a->signal_ops && mote_signal_register(opt)) {
        mote_options_destroy(opt);
        return cli_error("out of memory");
    }
    t0 = cli_now();
    st = mote_interpreter_create(rs->model, opt, &rs->interpreter);
    t1 = cli_now();
    mote_options_destroy(opt);
    if (st) {
        if (!rs->interpreter) return cli_error("out of memory");
        return fail_status(rs, "cannot create an interpreter", st);
    }
    r->create_us = (t1 - t0) * 1e6;
    int rc = run_bind_ports(rs);
    if (rc == CLI_EXIT_OK && a->inputs_from) rc = run_inputs_from_golden(rs, a->inputs_from);
    if (rc) return rc;
    t0 = cli_now();
    st = mote_interpreter_allocate_tensors(rs->interpreter);
    t1 = cli_now();
    if (st) return fail_status(rs, "allocate_tensors failed", st);
    r->allocate_us = (t1 - t0) * 1e6;
    mote_interpreter_arena_bytes(rs->interpreter, &r->activation_bytes, &r->persistent_bytes);
    return a->inputs_from ? CLI_EXIT_OK : run_inputs_random(rs, (uint64_t)a->seed);
}

/* First invoke, warm-up, timed runs (with profile snapshots around them). */
static int measure(run_state *rs, const bench_args *a, bench_result *r, bench_profile *prof) {
    int rc = timed_invoke(rs, &r->first_us);
    if (rc) return rc;
    double sum = 0, us;
    for (long long i = 0; i < a->warmup; i++) {
        if ((rc = timed_invoke(rs, &us))) return rc;
        sum += us;
    }
    r->warmup_mean_us = a->warmup ? sum / (double)a->warmup : 0;
    /* With --profile, the counters after every timed invoke (outside its timing), so that
     * each operator gets a median over the invokes as well as a mean. */
    mote_op_profile *snaps = NULL;
    int32_t count = 0;
    if (a->profile) {
        if ((rc = profile_count(rs, &count))) return rc;
        snaps = calloc((size_t)(a->runs + 1) * (size_t)(count ? count : 1), sizeof *snaps);
        if (!snaps) return cli_error("out of memory");
        rc = profile_snapshot(rs, snaps, count);
    }
    double *times = malloc((size_t)a->runs * sizeof *times);
    if (!times) rc = cli_error("out of memory");
    for (long long i = 0; rc == CLI_EXIT_OK && i < a->runs; i++) {
        rc = timed_invoke(rs, &times[i]);
        if (rc == CLI_EXIT_OK && snaps) rc = profile_snapshot(rs, snaps + (size_t)(i + 1) * (size_t)count, count);
    }
    if (rc == CLI_EXIT_OK) statistics(times, (size_t)a->runs, r);
    if (rc == CLI_EXIT_OK && snaps) rc = bench_profile_build(rs, snaps, count, a->runs, r->mean_us, prof);
    free(times);
    free(snaps);
    r->peak_rss_bytes = peak_rss_bytes();
    return rc;
}

/* ---- reports ---- */

static double mb(double bytes) { return bytes / 1e6; }

static void print_text(const run_state *rs, const bench_args *a, const bench_result *r) {
    double init = r->load_us + r->create_us + r->allocate_us;
    printf("Model: %s (%zu bytes)%s%s\n", a->model, r->model_bytes, rs->signature ? ", signature " : "",
           rs->signature ? rs->signature : "");
    printf("Threads: %lld\n", a->threads);
    printf("Kernels: %s; CPU features: %s\n", a->reference ? "reference" : "optimized", r->cpu);
    if (a->inputs_from) printf("Inputs: %s\n", a->inputs_from);
    else printf("Inputs: random (seed %lld)\n", a->seed);
    printf("Initialized in %.3f ms (load %.3f, create %.3f, allocate %.3f)\n", init / 1e3, r->load_us / 1e3,
           r->create_us / 1e3, r->allocate_us / 1e3);
    printf("First inference: %.0f us\n", r->first_us);
    if (a->warmup) printf("Warm-up: count=%lld avg=%.0f us\n", a->warmup, r->warmup_mean_us);
    printf("count=%lld min=%.0f median=%.0f mean=%.0f p90=%.0f max=%.0f std=%.0f (us)\n", a->runs, r->min_us,
           r->median_us, r->mean_us, r->p90_us, r->max_us, r->std_us);
    printf("Inference timings in us: Init: %.0f, First inference: %.0f, Warmup (avg): %.0f, "
           "Inference (avg): %.0f\n",
           init, r->first_us, r->warmup_mean_us, r->mean_us);
    printf("Memory: peak RSS %.3f MB; arena %.3f MB (activations %.3f + persistent %.3f)\n",
           mb((double)r->peak_rss_bytes), mb((double)(r->activation_bytes + r->persistent_bytes)),
           mb((double)r->activation_bytes), mb((double)r->persistent_bytes));
}

/* Microseconds rounded to 0.1, so that the JSON stays readable. */
static void jw_us(json_writer *w, const char *key, double us) {
    jw_key(w, key);
    jw_double(w, round(us * 10) / 10);
}

static int print_json(run_state *rs, const bench_args *a, const bench_result *r, const bench_profile *p) {
    json_writer w;
    jw_init(&w, stdout);
    jw_object_begin(&w);
    jw_key(&w, "model");
    jw_string(&w, a->model);
    jw_key(&w, "model_bytes");
    jw_int(&w, (int64_t)r->model_bytes);
    if (rs->signature) {
        jw_key(&w, "signature");
        jw_string(&w, rs->signature);
    }
    jw_key(&w, "mote_version");
    jw_string(&w, MOTE_VERSION_STRING);
    jw_key(&w, "threads");
    jw_int(&w, a->threads);
    jw_key(&w, "kernels");
    jw_string(&w, a->reference ? "reference" : "optimized");
    jw_key(&w, "cpu_features");
    jw_string(&w, r->cpu);
    jw_key(&w, "inputs");
    jw_string(&w, a->inputs_from ? a->inputs_from : "random");
    if (!a->inputs_from) {
        jw_key(&w, "seed");
        jw_int(&w, a->seed);
    }
    jw_key(&w, "runs");
    jw_int(&w, a->runs);
    jw_key(&w, "warmup");
    jw_int(&w, a->warmup);
    jw_us(&w, "init_us", r->load_us + r->create_us + r->allocate_us);
    jw_us(&w, "load_us", r->load_us);
    jw_us(&w, "create_us", r->create_us);
    jw_us(&w, "allocate_us", r->allocate_us);
    jw_us(&w, "first_us", r->first_us);
    jw_us(&w, "warmup_mean_us", r->warmup_mean_us);
    jw_us(&w, "min_us", r->min_us);
    jw_us(&w, "median_us", r->median_us);
    jw_us(&w, "mean_us", r->mean_us);
    jw_us(&w, "p90_us", r->p90_us);
    jw_us(&w, "max_us", r->max_us);
    jw_us(&w, "std_us", r->std_us);
    jw_key(&w, "peak_rss_bytes");
    jw_int(&w, (int64_t)r->peak_rss_bytes);
    jw_key(&w, "arena_bytes");
    jw_int(&w, (int64_t)(r->activation_bytes + r->persistent_bytes));
    jw_key(&w, "activation_bytes");
    jw_int(&w, (int64_t)r->activation_bytes);
    jw_key(&w, "persistent_bytes");
    jw_int(&w, (int64_t)r->persistent_bytes);
    if (p) bench_profile_json(rs, p, &w);
    jw_object_end(&w);
    if (jw_finish(&w)) return cli_error("cannot write the JSON report");
    return CLI_EXIT_OK;
}

int cmd_bench(int argc, char **argv) {
    bench_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    run_state rs;
    memset(&rs, 0, sizeof rs);
    rs.model_path = a.model;
    rs.signature = a.signature;
    bench_result r;
    memset(&r, 0, sizeof r);
    bench_profile prof;
    memset(&prof, 0, sizeof prof);
    if (a.reference) snprintf(r.cpu, sizeof r.cpu, "none (reference kernels)");
    else cpu_feature_names(cpu_features(), r.cpu, sizeof r.cpu);
    rc = setup(&rs, &a, &r);
    if (rc == CLI_EXIT_OK) rc = measure(&rs, &a, &r, &prof);
    if (rc == CLI_EXIT_OK) {
        if (a.json) {
            rc = print_json(&rs, &a, &r, a.profile ? &prof : NULL);
        } else {
            print_text(&rs, &a, &r);
            if (a.profile) bench_profile_print(&rs, &prof, (int)a.top);
        }
    }
    bench_profile_free(&prof);
    run_free_ports(&rs);
    mote_interpreter_destroy(rs.interpreter);
    mote_model_destroy(rs.model);
    return rc;
}
