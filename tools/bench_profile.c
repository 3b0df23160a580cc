/* bench_profile.c — `mote bench --profile`: per-operator times from the interpreter's
 * counters (mote_interpreter_profile), the arithmetic of the operators that do most of it
 * (convolutions, fully connected, batch matmul) counted from their shapes, and the tables:
 * operators by time with shares, and a summary by operator type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "core/interpreter.h"
#include "format/builtin_ops.h"

static const subgraph *profiled_subgraph(run_state *rs, const bench_profile *p) {
    return &rs->interpreter->ctx.subgraphs[p->subgraph];
}

/* The node's i-th input (out = 0) or output (out = 1), or NULL when omitted. */
static const mote_tensor *node_tensor(const subgraph *sg, const mote_node *n, int out, int32_t i) {
    int32_t count = out ? n->output_count : n->input_count;
    if (i < 0 || i >= count) return NULL;
    int32_t t = out ? n->outputs[i] : n->inputs[i];
    return t >= 0 && t < sg->tensor_count ? &sg->tensors[t] : NULL;
}

static double elements(const mote_tensor *t) {
    double e = 1;
    for (int32_t d = 0; d < t->rank; d++) e *= t->dims[d];
    return e;
}

/* 2 x multiply-adds of one eval, from the current shapes; 0 for operators not counted. */
static double node_flops(const subgraph *sg, const mote_node *n) {
    const mote_tensor *out = node_tensor(sg, n, 1, 0);
    const mote_tensor *in0 = node_tensor(sg, n, 0, 0), *in1 = node_tensor(sg, n, 0, 1);
    if (!out || !in0 || !in1) return 0;
    switch (n->def->builtin_code) {
    case MOTE_OP_CONV_2D: /* filter [out_c, kh, kw, in_c / groups] */
        return in1->rank == 4 ? 2 * elements(out) * in1->dims[1] * in1->dims[2] * in1->dims[3] : 0;
    case MOTE_OP_DEPTHWISE_CONV_2D: /* filter [1, kh, kw, out_c] */
        return in1->rank == 4 ? 2 * elements(out) * in1->dims[1] * in1->dims[2] : 0;
    case MOTE_OP_FULLY_CONNECTED: /* weights [units, k] */
        return in1->rank >= 1 ? 2 * elements(out) * in1->dims[in1->rank - 1] : 0;
    case MOTE_OP_BATCH_MATMUL: { /* a [..., m, k] (or adjoint), out [..., m, n] */
        if (in0->rank < 2 || out->rank < 2 || out->dims[out->rank - 2] <= 0) return 0;
        double k = (double)in0->dims[in0->rank - 1] * in0->dims[in0->rank - 2] / out->dims[out->rank - 2];
        return 2 * elements(out) * k;
    }
    case MOTE_OP_TRANSPOSE_CONV: { /* (output_shape, filter [out_c, kh, kw, in_c], input) */
        const mote_tensor *x = node_tensor(sg, n, 0, 2);
        if (!x || in1->rank != 4) return 0;
        return 2 * elements(x) * in1->dims[0] * in1->dims[1] * in1->dims[2];
    }
    default:
        return 0;
    }
}

static int by_value(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bench_profile_build(run_state *rs, const mote_op_profile *snaps, int32_t count, int64_t runs,
                        double invoke_us, bench_profile *p) {
    p->subgraph = rs->subgraph;
    p->count = count;
    p->invoke_us = invoke_us;
    p->ops = calloc(count ? (size_t)count : 1, sizeof *p->ops);
    double *each = calloc(runs > 0 ? (size_t)runs : 1, sizeof *each);
    if (!p->ops || !each) {
        free(each);
        return cli_error("out of memory");
    }
    const subgraph *sg = profiled_subgraph(rs, p);
    const mote_op_profile *before = snaps, *after = snaps + (size_t)runs * (size_t)count;
    for (int32_t i = 0; i < count && i < sg->node_count; i++) {
        const mote_node *n = &sg->nodes[i];
        bench_op *o = &p->ops[i];
        o->index = i;
        o->name = model_op_name(n->def);
        o->us = (double)(after[i].total_ns - before[i].total_ns) / 1e3 / (double)runs;
        o->evals = (double)(after[i].count - before[i].count) / (double)runs;
        o->flops = node_flops(sg, n);
        for (int64_t r = 0; r < runs; r++) {
            const mote_op_profile *x = snaps + (size_t)r * (size_t)count, *y = x + count;
            each[r] = (double)(y[i].total_ns - x[i].total_ns) / 1e3;
        }
        qsort(each, (size_t)runs, sizeof *each, by_value);
        o->min_us = runs > 0 ? each[0] : 0;
        o->median_us = runs <= 0 ? 0 : runs % 2 ? each[runs / 2] : (each[runs / 2 - 1] + each[runs / 2]) / 2;
    }
    free(each);
    return CLI_EXIT_OK;
}

void bench_profile_free(bench_profile *p) {
    free(p->ops);
    p->ops = NULL;
}

/* ---- ordering and the summary by type ---- */

static int by_time(const void *a, const void *b) {
    const bench_op *x = *(const bench_op *const *)a, *y = *(const bench_op *const *)b;
    if (x->us != y->us) return x->us < y->us ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

typedef struct type_total {
    const char *name;
    int32_t count;
    double us;
} type_total;

static int type_by_time(const void *a, const void *b) {
    const type_total *x = a, *y = b;
    if (x->us != y->us) return x->us < y->us ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* Operators that ran (evals > 0), sorted by time; the totals by type; the sum of times.
 * Returns 0, or -1 when out of memory. */
static int summarize(const bench_profile *p, const bench_op ***sorted, int32_t *ran, type_total **types,
                     int32_t *type_count, double *total_us) {
    *sorted = calloc(p->count ? (size_t)p->count : 1, sizeof **sorted);
    *types = calloc(p->count ? (size_t)p->count : 1, sizeof **types);
    if (!*sorted || !*types) {
        free(*sorted);
        free(*types);
        return -1;
    }
    *ran = *type_count = 0;
    *total_us = 0;
    for (int32_t i = 0; i < p->count; i++) {
        const bench_op *o = &p->ops[i];
        if (o->evals <= 0) continue;
        (*sorted)[(*ran)++] = o;
        *total_us += o->us;
        int32_t t = 0;
        while (t < *type_count && strcmp((*types)[t].name, o->name) != 0) t++;
        if (t == *type_count) (*types)[(*type_count)++].name = o->name;
        (*types)[t].count++;
        (*types)[t].us += o->us;
    }
    qsort(*sorted, (size_t)*ran, sizeof **sorted, by_time);
    qsort(*types, (size_t)*type_count, sizeof **types, type_by_time);
    return 0;
}

static double share(double part, double whole) { return whole > 0 ? 100 * part / whole : 0; }

/* GFLOP/s of one operator, or 0. */
static double gflops(const bench_op *o) {
    return o->flops > 0 && o->us > 0 ? o->flops * o->evals / (o->us * 1e3) : 0;
}

/* ---- text ---- */

void bench_profile_print(run_state *rs, const bench_profile *p, int top) {
    const bench_op **sorted;
    type_total *types;
    int32_t ran, type_count;
    double total;
    if (summarize(p, &sorted, &ran, &types, &type_count, &total)) {
        cli_error("out of memory");
        return;
    }
    const subgraph *sg = profiled_subgraph(rs, p);
    printf("\nOperator profile: subgraph %d, %d of %d operators run while invoking, mean per invoke;\n"
           "operators %.0f us of %.0f us (%.1f%% outside operators)\n",
           p->subgraph, ran, p->count, total, p->invoke_us,
           p->invoke_us > 0 && total < p->invoke_us ? share(p->invoke_us - total, p->invoke_us) : 0.0);
    printf("============================== Top by computation time ==============================\n");
    printf("%7s  %-24s %10s %7s %7s %6s %8s  %s\n", "[index]", "[op type]", "[avg us]", "[%]", "[cdf%]",
           "[calls]", "[GFLOP/s]", "[output shape]");
    double cumulative = 0;
    int32_t shown = top > 0 && top < ran ? top : ran;
    for (int32_t k = 0; k < shown; k++) {
        const bench_op *o = sorted[k];
        cumulative += o->us;
        char shape[96] = "";
        const mote_tensor *out = node_tensor(sg, &sg->nodes[o->index], 1, 0);
        if (out) cli_format_shape(out->rank, out->dims, shape, sizeof shape);
        char rate[16] = "";
        if (gflops(o) > 0) snprintf(rate, sizeof rate, "%.2f", gflops(o));
        printf("%7d  %-24.24s %10.1f %6.2f%% %6.2f%% %7.6g %9s  %s\n", o->index, o->name, o->us, share(o->us, total),
               share(cumulative, total), o->evals, rate, shape);
    }
    if (shown < ran) printf("  ... %d more operators (--top 0 shows all)\n", ran - shown);
    /* Operators whose work another one does: the fused expansion keeps its own line (its
     * share of the time of the node that runs it, measured by phase); a fused PAD has none. */
    for (int32_t i = 0; i < p->count && i < sg->node_count; i++) {
        const mote_node *n = &sg->nodes[i];
        if (n->fused_into >= 0)
            printf("  operator %d (%s) runs inside operator %d (%s)\n", i, p->ops[i].name, n->fused_into,
                   p->ops[n->fused_into].name);
    }
    printf("============================== Summary by operator type ==============================\n");
    printf("  %-24s %7s %10s %7s %7s\n", "[op type]", "[count]", "[avg us]", "[%]", "[cdf%]");
    cumulative = 0;
    for (int32_t t = 0; t < type_count; t++) {
        cumulative += types[t].us;
        printf("  %-24.24s %7d %10.1f %6.2f%% %6.2f%%\n", types[t].name, types[t].count, types[t].us,
               share(types[t].us, total), share(cumulative, total));
    }
    free(sorted);
    free(types);
}

/* ---- JSON ---- */

static void jw_num(json_writer *w, const char *key, double v, double scale) {
    jw_key(w, key);
    jw_double(w, (double)(int64_t)(v * scale + (v >= 0 ? 0.5 : -0.5)) / scale);
}

static void jw_shapes(json_writer *w, const char *key, const subgraph *sg, const mote_node *n, int out) {
    jw_key(w, key);
    jw_array_begin(w, 0);
    int32_t count = out ? n->output_count : n->input_count;
    for (int32_t i = 0; i < count; i++) {
        const mote_tensor *t = node_tensor(sg, n, out, i);
        if (!t) {
            jw_null(w);
            continue;
        }
        jw_array_begin(w, 1);
        for (int32_t d = 0; d < t->rank; d++) jw_int(w, t->dims[d]);
        jw_array_end(w);
    }
    jw_array_end(w);
}

void bench_profile_json(run_state *rs, const bench_profile *p, json_writer *w) {
    const bench_op **sorted;
    type_total *types;
    int32_t ran, type_count;
    double total;
    if (summarize(p, &sorted, &ran, &types, &type_count, &total)) {
        w->error = 1;
        return;
    }
    const subgraph *sg = profiled_subgraph(rs, p);
    jw_key(w, "profile_subgraph");
    jw_int(w, p->subgraph);
    jw_num(w, "profile_operators_us", total, 10);
    jw_key(w, "profile");
    jw_array_begin(w, 0);
    double cumulative = 0;
    for (int32_t k = 0; k < ran; k++) {
        const bench_op *o = sorted[k];
        const mote_node *n = &sg->nodes[o->index];
        cumulative += o->us;
        jw_object_begin(w);
        jw_key(w, "index");
        jw_int(w, o->index);
        jw_key(w, "op");
        jw_string(w, o->name);
        jw_num(w, "us", o->us, 10);
        jw_num(w, "median_us", o->median_us, 10);
        jw_num(w, "min_us", o->min_us, 10);
        jw_num(w, "share", share(o->us, total), 100);
        jw_num(w, "cumulative_share", share(cumulative, total), 100);
        jw_num(w, "calls", o->evals, 1000);
        jw_key(w, "flops");
        jw_double(w, o->flops);
        jw_num(w, "gflops", gflops(o), 1000);
        if (n->fused_into >= 0) {
            jw_key(w, "fused_into");
            jw_int(w, n->fused_into);
        }
        jw_shapes(w, "inputs", sg, n, 0);
        jw_shapes(w, "outputs", sg, n, 1);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "profile_by_type");
    jw_array_begin(w, 0);
    for (int32_t t = 0; t < type_count; t++) {
        jw_object_begin(w);
        jw_key(w, "op");
        jw_string(w, types[t].name);
        jw_key(w, "count");
        jw_int(w, types[t].count);
        jw_num(w, "us", types[t].us, 10);
        jw_num(w, "share", share(types[t].us, total), 100);
        jw_object_end(w);
    }
    jw_array_end(w);
    free(sorted);
    free(types);
}
