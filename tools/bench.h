/* bench.h — `mote bench`: latency, memory and a per-operator profile of one model, shaped
 * like TensorFlow Lite's benchmark_model (bench.c), and the profile tables
 * (bench_profile.c). */
#ifndef MOTE_TOOLS_BENCH_H
#define MOTE_TOOLS_BENCH_H

#include <stdint.h>

#include "json.h"
#include "run.h"

int cmd_bench(int argc, char **argv);

/* One operator of the profiled subgraph, averaged over the timed runs. */
typedef struct bench_op {
    int32_t index;        /* operator index in its subgraph */
    const char *name;     /* "CONV_2D", or the custom code */
    double us;            /* mean time per invoke, microseconds */
    double median_us;     /* median over the timed invokes (a busy machine's slow spells
                             move the mean, not the median) */
    double min_us;        /* fastest invoke's time */
    double evals;         /* evals per invoke (1, or more inside loops; 0: folded) */
    double flops;         /* 2 x multiply-adds of one eval, from shapes; 0 when not counted */
} bench_op;

typedef struct bench_profile {
    int32_t subgraph;
    int32_t count;        /* operators in the subgraph */
    bench_op *ops;        /* [count], in operator order */
    double invoke_us;     /* mean invoke time over the same runs, for the share outside ops */
} bench_profile;

/* Fills p from runs + 1 mote_interpreter_profile snapshots of count operators each, taken
 * before the first timed invoke and after every one (snapshot i at snaps + i * count).
 * Returns an exit code. */
int bench_profile_build(run_state *rs, const mote_op_profile *snaps, int32_t count, int64_t runs,
                        double invoke_us, bench_profile *p);
void bench_profile_free(bench_profile *p);

/* The per-operator table (sorted by time) and the summary by operator type, as text or as
 * the "profile" and "profile_by_type" members of the JSON object being written. */
void bench_profile_print(run_state *rs, const bench_profile *p, int top);
void bench_profile_json(run_state *rs, const bench_profile *p, json_writer *w);

#endif /* MOTE_TOOLS_BENCH_H */
