/* graph.c — dataflow questions about a subgraph (see graph.h). */
#include "core/graph.h"

int32_t graph_producer(const subgraph *sg, int32_t tensor) {
    for (int32_t i = 0; i < sg->node_count; i++) {
        const mote_node *n = &sg->nodes[i];
        for (int32_t o = 0; o < n->output_count; o++)
            if (n->outputs[o] == tensor) return i;
    }
    return -1;
}

int32_t graph_reader_count(const mote_context *ctx, const subgraph *sg, int32_t tensor) {
    int32_t count = 0;
    for (int32_t i = 0; i < sg->node_count; i++) {
        const mote_node *n = &sg->nodes[i];
        for (int32_t k = 0; k < n->input_count; k++) count += n->inputs[k] == tensor;
        for (int32_t k = 0; k < n->def->intermediate_count; k++) count += n->def->intermediates[k] == tensor;
    }
    for (int32_t i = 0; i < sg->def->output_count; i++) count += sg->def->outputs[i] == tensor;
    const mote_model *m = ctx->model;
    for (int32_t s = 0; s < m->signature_count; s++) {
        if (m->signatures[s].subgraph != sg->index) continue;
        for (int32_t i = 0; i < m->signatures[s].output_count; i++) count += m->signatures[s].outputs[i].tensor == tensor;
    }
    return count;
}
