/* inspect.c — `mote inspect`: what a model contains (subgraphs, inputs and outputs,
 * signatures, metadata, operators, weights), what Mote would need to run it (arena size,
 * missing operators), and oddities in the file worth knowing about. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/model.h"
#include "format/builtin_ops.h"
#include "kernels/registry.h"

static const char usage[] =
    "usage: mote inspect MODEL\n"
    "Describes a .tflite model: schema, subgraphs, the inputs and outputs of subgraph 0,\n"
    "signatures, metadata, operators, tensor and weight sizes, the planned arena and the\n"
    "operators Mote does not implement. Exits 0 for any model that loads, 1 otherwise.\n";

/* Model strings are arbitrary bytes: keep control characters off the terminal. */
static void put_clean(const char *s, size_t max) {
    size_t n = 0;
    for (; *s && n < max; s++, n++) putchar((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s);
    if (*s) fputs("...", stdout);
}

static void print_quantization(const model_tensor *t) {
    if (t->quant_count == 1) {
        printf("  q scale %.9g zero point %lld", (double)t->scales[0], (long long)t->zero_points[0]);
    } else if (t->quant_count > 1) {
        printf("  q per-channel: %d scales on axis %d", t->quant_count, t->quantized_dimension);
    }
    if (t->quant_details_type == 2 /* TFL_QDETAILS_BLOCKWISE */)
        printf("  q blockwise: block size %d, scales tensor %d", t->blockwise.block_size,
               t->blockwise.scales_tensor);
}

static void print_tensor_line(const model_subgraph *sg, int32_t pos, int32_t index) {
    printf("  %d: ", pos);
    if (index < 0 || index >= sg->tensor_count) {
        printf("tensor %d (missing)\n", index);
        return;
    }
    const model_tensor *t = &sg->tensors[index];
    char shape[256];
    printf("tensor %d '", index);
    put_clean(t->name, 80);
    printf("' %s %s", mote_type_name((mote_type)t->type),
           cli_format_shape(t->rank, t->dims, shape, sizeof shape));
    int dynamic = 0;
    for (int32_t d = 0; d < t->signature_rank; d++) dynamic |= t->dims_signature[d] < 0;
    if (dynamic || (t->signature_rank >= 0 && t->signature_rank != t->rank))
        printf(" (signature %s)",
               cli_format_shape(t->signature_rank, t->dims_signature, shape, sizeof shape));
    print_quantization(t);
    printf("\n");
}

static void print_signatures(const mote_model *m) {
    printf("signatures: %d\n", m->signature_count);
    for (int32_t s = 0; s < m->signature_count; s++) {
        const model_signature *sig = &m->signatures[s];
        printf("  '");
        put_clean(sig->key, 80);
        printf("' (subgraph %d): inputs", sig->subgraph);
        for (int32_t i = 0; i < sig->input_count; i++) {
            printf("%s '", i ? "," : "");
            put_clean(sig->inputs[i].name, 60);
            printf("'");
        }
        printf("; outputs");
        for (int32_t i = 0; i < sig->output_count; i++) {
            printf("%s '", i ? "," : "");
            put_clean(sig->outputs[i].name, 60);
            printf("'");
        }
        printf("\n");
    }
}

/* ---- operators ---- */

typedef struct op_count {
    const char *name;
    int custom;
    int32_t count;
    int supported;
} op_count;

static int by_count(const void *a, const void *b) {
    const op_count *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* Prints the histogram and the operators without an implementation; *missing gets their
 * number. */
static int print_operators(const mote_model *m, int *missing_kinds) {
    int32_t total = 0;
    for (int32_t s = 0; s < m->subgraph_count; s++) total += m->subgraphs[s].op_count;
    op_count *ops = calloc((size_t)total + 1, sizeof *ops);
    if (!ops) return cli_error("out of memory");
    int32_t distinct = 0;
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].op_count; i++) {
            const model_op *op = &m->subgraphs[s].ops[i];
            const char *name = model_op_name(op);
            int custom = op->builtin_code == MOTE_OP_CUSTOM;
            int32_t k = 0;
            while (k < distinct && (strcmp(ops[k].name, name) != 0 || ops[k].custom != custom)) k++;
            if (k == distinct) {
                ops[k].name = name;
                ops[k].custom = custom;
                ops[k].supported = registry_find(op->builtin_code, op->custom_name) != NULL;
                distinct++;
            }
            ops[k].count++;
        }
    qsort(ops, (size_t)distinct, sizeof *ops, by_count);
    printf("operators: %d in all subgraphs, %d kinds\n", total, distinct);
    for (int32_t k = 0; k < distinct; k++) {
        printf("  %6d  ", ops[k].count);
        put_clean(ops[k].name, 80);
        printf("%s%s\n", ops[k].custom ? " (custom)" : "", ops[k].supported ? "" : "  [not in Mote]");
    }
    int missing = 0;
    printf("unsupported operators:");
    for (int32_t k = 0; k < distinct; k++)
        if (!ops[k].supported) {
            printf("%s", missing++ ? ", " : " ");
            put_clean(ops[k].name, 80);
            if (ops[k].custom) printf(" (custom)");
        }
    printf("%s\n", missing ? "" : " none");
    *missing_kinds = missing;
    free(ops);
    return CLI_EXIT_OK;
}

/* ---- sizes ---- */

static int print_sizes(const mote_model *m) {
    int32_t tensors = 0;
    for (int32_t s = 0; s < m->subgraph_count; s++) tensors += m->subgraphs[s].tensor_count;
    /* A buffer shared by several tensors is counted once. */
    unsigned char *seen = calloc((size_t)m->buffer_count + 1, 1);
    if (!seen) return cli_error("out of memory");
    size_t weight_bytes = 0;
    int32_t weight_buffers = 0;
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].tensor_count; i++) {
            const model_tensor *t = &m->subgraphs[s].tensors[i];
            if (!t->data || t->buffer == 0 || t->buffer >= (uint32_t)m->buffer_count) continue;
            if (seen[t->buffer]) continue;
            seen[t->buffer] = 1;
            weight_bytes += t->data_size;
            weight_buffers++;
        }
    free(seen);
    printf("tensors: %d in all subgraphs; buffers: %d\n", tensors, m->buffer_count);
    printf("weights: %zu bytes in %d constant buffers\n", weight_bytes, weight_buffers);
    return CLI_EXIT_OK;
}

static void print_arena(const mote_model *m, int missing_kinds) {
    mote_interpreter *it = NULL;
    mote_status st = mote_interpreter_create(m, NULL, &it);
    if (st == MOTE_OK) st = mote_interpreter_allocate_tensors(it);
    if (st == MOTE_OK) {
        size_t act = 0, pers = 0;
        mote_interpreter_arena_bytes(it, &act, &pers);
        printf("arena: %zu bytes (%zu activations + %zu persistent)\n", act + pers, act, pers);
    } else if (st == MOTE_ERROR_UNSUPPORTED && missing_kinds && it &&
               strncmp(mote_interpreter_error(it), "unsupported operators", 21) == 0) {
        printf("arena: not planned (unsupported operators)\n");
    } else {
        printf("arena: not planned: ");
        put_clean(it ? mote_interpreter_error(it) : "out of memory", 600);
        printf("\n");
    }
    mote_interpreter_destroy(it);
}

/* ---- oddities ---- */

static void print_notes(const mote_model *m) {
    int32_t bad_axis = 0, bad_count = 0, short_data = 0;
    char first_axis[256] = "", first_count[256] = "", first_short[256] = "";
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].tensor_count; i++) {
            const model_tensor *t = &m->subgraphs[s].tensors[i];
            if (t->quant_count > 1) {
                int32_t qd = t->quantized_dimension;
                if (qd < 0 || qd >= t->rank) {
                    if (!bad_axis++)
                        snprintf(first_axis, sizeof first_axis,
                                 "subgraph %d tensor %d '%.60s': rank %d, quantized_dimension %d, "
                                 "%d scales",
                                 s, i, t->name, t->rank, qd, t->quant_count);
                } else if (t->dims[qd] != t->quant_count) {
                    if (!bad_count++)
                        snprintf(first_count, sizeof first_count,
                                 "subgraph %d tensor %d '%.60s': %d scales, dimension %d has size %d", s, i,
                                 t->name, t->quant_count, qd, t->dims[qd]);
                }
            }
            size_t need;
            if (t->data && !t->sparsity && t->type != MOTE_STRING && !t->is_variable &&
                mote_dense_bytes(t->type, t->rank, t->dims, &need) == 0 && t->data_size < need) {
                if (!short_data++)
                    snprintf(first_short, sizeof first_short,
                             "subgraph %d tensor %d '%.60s': %zu bytes, the shape needs %zu", s, i, t->name,
                             t->data_size, need);
            }
        }
    /* The messages are built from model strings: print them cleaned. */
    if (bad_axis) {
        printf("note: %d tensor%s carry per-channel quantization whose quantized_dimension is out of "
               "range for their rank (e.g. ", bad_axis, bad_axis == 1 ? "" : "s");
        put_clean(first_axis, sizeof first_axis);
        printf("); TensorFlow Lite refuses such a file, TensorFlow Lite Micro ignores the field\n");
    }
    if (bad_count) {
        printf("note: %d tensor%s have a per-channel scale count that differs from the size of their "
               "quantized dimension (e.g. ", bad_count, bad_count == 1 ? "" : "s");
        put_clean(first_count, sizeof first_count);
        printf(")\n");
    }
    if (short_data) {
        printf("note: %d constant tensor%s have less data than their shape needs (e.g. ", short_data,
               short_data == 1 ? "" : "s");
        put_clean(first_short, sizeof first_short);
        printf(")\n");
    }
}

/* ---- the command ---- */

static void print_model(const char *path, const mote_model *m) {
    printf("model: %s (%zu bytes)\n", path, m->size);
    printf("schema version: %u\n", m->version);
    printf("description: ");
    put_clean(m->description ? m->description : "", 200);
    printf("\nsubgraphs: %d\n", m->subgraph_count);
    for (int32_t s = 0; s < m->subgraph_count; s++) {
        const model_subgraph *sg = &m->subgraphs[s];
        printf("  %d '", s);
        put_clean(sg->name ? sg->name : "", 80);
        printf("': %d tensors, %d operators, %d inputs, %d outputs\n", sg->tensor_count, sg->op_count,
               sg->input_count, sg->output_count);
    }
    const model_subgraph *sg0 = &m->subgraphs[0];
    printf("inputs (subgraph 0): %d\n", sg0->input_count);
    for (int32_t i = 0; i < sg0->input_count; i++) print_tensor_line(sg0, i, sg0->inputs[i]);
    printf("outputs (subgraph 0): %d\n", sg0->output_count);
    for (int32_t i = 0; i < sg0->output_count; i++) print_tensor_line(sg0, i, sg0->outputs[i]);
    print_signatures(m);
    printf("metadata: %d\n", m->metadata_count);
    for (int32_t i = 0; i < m->metadata_count; i++) {
        printf("  '");
        put_clean(m->metadata[i].name ? m->metadata[i].name : "", 80);
        printf("': %zu bytes\n", m->metadata[i].data.size);
    }
}

int cmd_inspect(int argc, char **argv) {
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((argv[i][0] == '-' && argv[i][1]) || path) {
            fprintf(stderr, "mote inspect: unexpected argument '%s'\n%s", argv[i], usage);
            return CLI_EXIT_USAGE;
        }
        path = argv[i];
    }
    if (!path) {
        fputs(usage, stderr);
        return CLI_EXIT_USAGE;
    }
    mote_model *m = NULL;
    mote_status st = mote_model_load_file(path, NULL, &m);
    if (st) {
        cli_model_error(path, m);
        mote_model_destroy(m);
        return CLI_EXIT_FAIL;
    }
    print_model(path, m);
    int missing_kinds = 0;
    int rc = print_operators(m, &missing_kinds);
    if (rc == CLI_EXIT_OK) rc = print_sizes(m);
    if (rc == CLI_EXIT_OK) {
        print_arena(m, missing_kinds);
        print_notes(m);
    }
    mote_model_destroy(m);
    return rc;
}
