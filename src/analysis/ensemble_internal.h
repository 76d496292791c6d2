/* ensemble_internal.h: private to the ensemble module: ensemble.c draws the shocks and runs
 * the passes, ensemble_summary.c reads each computed block and summarises the paths; this is
 * the context they share and the passes' entry points. Not part of the API: ensemble.h is. */
#ifndef ENSEMBLE_INTERNAL_H
#define ENSEMBLE_INTERNAL_H

#include "engine.h"
#include "ensemble.h"
#include "order_stat.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* What one shock writes. A parameter: every year of storage (t[0..count)), one draw per path.
 * An exogenous series: year_t[h] is the year index of horizon year h (0 = start), or
 * SIZE_MAX when that year is observed (it keeps its observation). */
typedef struct shock_cells {
    size_t *t;
    size_t count;
    size_t *year_t;      /* [horizon], exogenous series only */
    double lo, hi;       /* the model's range for the name */
    /* copied from the shock for the inner loop */
    size_t slot_offset;  /* slot * years */
    int is_parameter, is_normal;
    double mean, sd;     /* normal shocks: the draw is mean + sd * e */
    double ar1, persistence; /* persistence = sqrt(1 - ar1^2) */
    /* the nonzero entries of this shock's row of the correlation factor, in column order
     * (adding only them gives the same sum as the full row: the others add +-0) */
    size_t term_count;
    size_t term_column[ENSEMBLE_MAX_SHOCKS];
    double term_value[ENSEMBLE_MAX_SHOCKS];
} shock_cells;

typedef struct goal_check {
    size_t cell;         /* slot * years + t of the goal year */
    int growth;          /* 1: value / previous - 1 */
    int at_most;
    double target;
} goal_check;

/* What a simulation pass does with each block's values (see "Passes" below). */
typedef enum pass_mode {
    PASS_STORE = 0, /* in memory: store every varying cell as floats, with block sums and key ranges */
    PASS_COUNT,     /* streaming, pass 1: block sums and histograms, nothing stored */
    PASS_GATHER,    /* streaming, pass 2: squared deviations, and the values of wanted buckets */
    PASS_PILOT,     /* block 0 alone: the key range of each cell, for PASS_COUNT's histograms */
    PASS_CALLER     /* ensemble_simulate: the caller's reduce */
} pass_mode;

/* A streaming histogram's range (ensemble_summary.c). */
typedef struct stream_range stream_range;

typedef struct ensemble_context {
    const ensemble_spec *spec;
    const sim_plan *plan;
    size_t horizon;              /* end - start + 1 */
    size_t start_t;              /* year index of start */
    shock_cells *shock_cells;    /* [shock] */
    size_t later[ENSEMBLE_MAX_SHOCKS]; /* the normals drawn in years after the first: those that */
    size_t later_count;          /* some exogenous series' innovation reads (parameters draw once) */
    const size_t *varying;       /* cells (slot * years + t) that vary */
    size_t varying_count;
    size_t paths, lanes;
    int threads;                 /* PASS_COUNT: the threads whose 16-bit counts settle_counts adds */
    pass_mode mode;
    int first_pass;              /* checks finiteness, counts goals and clamps */
    float *store;                /* PASS_STORE: [varying_count * paths], cell-major */
    double *block_sum;           /* [block * varying_count + c]: PASS_STORE, PASS_COUNT: sums of the
                                    block's values; PASS_GATHER: squared deviations from the mean */
    const double *mean;          /* PASS_GATHER: [c] */
    uint32_t *key_lo, *key_hi;   /* PASS_STORE, PASS_PILOT: [thread * varying_count + c] */
    uint32_t *counts;            /* PASS_COUNT: [(thread * varying_count + c) * STREAM_SLOTS]: the
                                    histograms, filled by flush_counts */
    stream_range *range;         /* PASS_COUNT, PASS_GATHER: [c], the histograms' ranges */
    uint16_t *small;             /* PASS_COUNT: [(thread * varying_count + c) * STREAM_SLOTS]: counts
                                    of the thread's latest blocks, small enough to stay in cache */
    size_t *small_blocks;        /* PASS_COUNT: [thread * SMALL_STRIDE]: blocks in the thread's small */
    const order_stat_plan *plans;/* PASS_GATHER: [c] */
    const uint32_t *wanted_lo, *wanted_span; /* PASS_GATHER: [c * ORDER_STAT_MAX_RANKS + i]: the */
    const size_t *wanted_count;  /* runs of wanted bucket numbers, wanted_count[c] of them */
    float **gathered;            /* PASS_GATHER: [c], plans[c].gathered values each */
    atomic_size_t *gathered_fill;/* PASS_GATHER: [c] */
    goal_check *goals;
    size_t goal_count;
    atomic_size_t *goal_met;     /* [goal] */
    atomic_size_t *clamped;      /* [shock] */
} ensemble_context;

/* The engine's reduce callback of ensemble_run's passes (context: an ensemble_context): reads
 * the block's varying cells as ctx->mode says, and on the first pass counts its goals.
 * Returns DIAG_OK, or DIAG_SOFTWARE with the block's message naming the first path, variable
 * and year whose value is not finite or beyond float's range. */
int ensemble_reduce(void *context, engine_block *block);

/* Bytes of the in-memory summary's per-thread histograms (histograms_per_thread each) and
 * plans. */
size_t ensemble_summary_work_bytes(int threads, size_t histograms_per_thread);

/* Bytes of the streaming passes' histograms (full and 16-bit, per thread and cell), ranges,
 * plans, means and wanted runs, for `cells` varying cells. */
size_t ensemble_stream_work_bytes(int threads, size_t cells);

/* One pass that stores every varying cell of ctx (ctx->store and the block sums unallocated
 * on entry: allocates the store), then the summaries of the cells into
 * result->cells[cell_of_varying[c]], on `threads` threads. Returns DIAG_OK, the engine's
 * status, or DIAG_SOFTWARE (memory). */
int ensemble_run_in_memory(ensemble_context *ctx, engine_job *job, int threads, const size_t *cell_of_varying,
                           ensemble_result *result, diag *d);

/* The two streaming passes (a pilot block, histograms, then gathering) and the summaries, as
 * ensemble_run_in_memory; other_bytes is the memory already counted against the budget, to
 * which the gathered values are added before they are allocated. */
int ensemble_run_streaming(ensemble_context *ctx, engine_job *job, int threads, size_t other_bytes,
                           const size_t *cell_of_varying, ensemble_result *result, diag *d);

#endif
