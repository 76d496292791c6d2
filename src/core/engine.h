/* engine.h: the block runner that ensembles and sweeps share (DESIGN §3, §8).
 *
 * N paths (or samples) are cut into fixed blocks of B lanes (B never depends on the thread
 * count; the last block may be shorter). Each block is one unit of work: the engine fills a
 * values[slot][year][lane] buffer from the plan, calls the caller's `setup` to set that
 * block's inputs (shocks, sample rows), runs the compiled model over all lanes at once
 * (sim_block_run: every equation loops over contiguous doubles) and calls `reduce` to copy
 * out only what the outputs need. Blocks run on OpenMP threads with per-thread buffers that
 * are reused from block to block. Each block has its own random stream, seeded from
 * (seed, block index) alone, so results are byte-identical for any thread count as long as
 * callbacks write only to per-path or per-block places (see engine_reduce_fn).
 *
 * The engine never prints: it reports progress to the caller's callback (engine_progress; the
 * bar on a terminal is drawn by present/progress.h). It owns the interrupt flag that Ctrl-C
 * sets, and the memory budget check. */
#ifndef ENGINE_H
#define ENGINE_H

#include <gsl/gsl_rng.h>
#include <stdatomic.h>
#include <stddef.h>

#include "diag.h"
#include "rng.h"
#include "sim.h"

/* Lanes per block unless the job says otherwise: large enough that every equation's loop
 * amortises its dispatch, small enough that a block's values stay in L2. */
#define ENGINE_DEFAULT_LANES 256
/* Largest block accepted. */
#define ENGINE_MAX_LANES 65536

/* Default memory budget in MB when ECONSIM_MEMORY_MB is not set. */
#define ENGINE_DEFAULT_MEMORY_MB 1024

/* One block as the callbacks see it. */
typedef struct engine_block {
    size_t index;         /* block number, 0 .. engine_block_count - 1 */
    size_t first;         /* index of its first path / sample: lanes are paths first .. first+lanes-1 */
    size_t lanes;         /* lanes in this block (B, fewer in the last block) */
    double *values;       /* values[(slot * plan->years + t) * lanes + lane], in the slots' units */
    gsl_rng *rng;         /* this block's stream, freshly seeded from (seed, index), as a gsl_rng */
    rng_stream *stream;   /* the same stream (rng's state) for inlined draws (rng.h) */
    void *scratch;        /* job->scratch_bytes of per-thread memory (NULL when 0), not zeroed */
    int thread;           /* 0 .. threads - 1: which thread runs it (for per-thread caches only;
                             never let results depend on it) */
    char message[512];    /* a callback returning an error may describe it here (no location
                             prefix needed: the engine reports it as is) */
} engine_block;

/* Sets the inputs of a block's lanes. On entry block->values holds, for every cell, either
 * the plan's base value or what an earlier block on the same thread left there (buffers are
 * reused and not reset between blocks; computed cells are always recomputed). So setup must
 * write every input cell that it varies, in every block; cells it never touches keep the
 * plan's values. Only FIXED cells (parameters, assumed exogenous values) should be written:
 * computed cells are overwritten by the run. Return DIAG_OK, or an error status (optionally
 * with block->message) to stop the run. */
typedef int (*engine_setup_fn)(void *context, engine_block *block);

/* Reads a computed block (it may write block->message, nothing else of the block). Must write only to caller-owned places indexed by path
 * (block->first + lane) or by block->index, never to shared accumulators in completion order
 * (blocks finish in any order on several threads); combine per-block partial results in block
 * order after engine_run returns to stay deterministic. Return DIAG_OK, or an error status
 * (e.g. DIAG_SOFTWARE for a non-finite output, described in block->message) to stop. */
typedef int (*engine_reduce_fn)(void *context, engine_block *block);

/* What engine_run tells the caller about a run in progress. */
typedef struct engine_progress_event {
    size_t done;          /* paths (or samples) computed so far */
    size_t total;         /* the job's paths */
    const char *what;     /* the job's label, translated: "paths", "runs", "paths (pass 1 of 2)" */
    double elapsed;       /* seconds since the run started (monotonic clock) */
    int finished;         /* 1 on the last report of a run, however it ended (every block done,
                             a failure, an interrupt); done then says how far it got */
} engine_progress_event;

/* Receives the reports of a run: after blocks complete, and once with finished = 1 at the end.
 * Always called on the thread that called engine_run, one call at a time; it may print, and
 * must not start another engine_run. */
typedef void (*engine_progress_fn)(void *context, const engine_progress_event *event);

typedef struct engine_progress {
    engine_progress_fn report;
    void *context;        /* passed to report */
} engine_progress;

/* What a job's callbacks leave behind, described so that the chunk hooks (engine_chunks) can
 * checkpoint a finished chunk and move its results between processes byte for byte. */
typedef enum engine_region_kind {
    ENGINE_REGION_PATH = 0, /* `rows` arrays of `unit` bytes per path (path i at row + i * unit) */
    ENGINE_REGION_BLOCK,    /* `rows` arrays of `unit` bytes per block (block b at row + b * unit) */
    ENGINE_REGION_SUM,      /* `unit` counters (size_t or atomic_size_t) that blocks add to */
    ENGINE_REGION_MIN,      /* `unit` uint32_t that blocks lower (starting at UINT32_MAX) */
    ENGINE_REGION_MAX,      /* `unit` uint32_t that blocks raise (starting at 0) */
    ENGINE_REGION_SUM32,    /* `unit` uint32_t counters that blocks add to (histograms) */
    /* SUM, MIN, MAX, SUM32 may come in `rows` copies (e.g. one per thread) that the caller
     * folds after the run: the hooks may move the whole of them into the first copy and reset
     * the others to 0 (SUM, MAX, SUM32) or UINT32_MAX (MIN). */
    ENGINE_REGION_POOL      /* `rows` pools of items of `unit` bytes that blocks append to, in
                               any order: pool r holds capacity start[r + 1] - start[r] items
                               from base + start[r] * unit, fill[r] of them so far (blocks take
                               their places with atomic_fetch_add on fill[r]). Whoever reads a
                               pool must not depend on the order of its items. Never saved in
                               checkpoints: a job with a pool must be `transient`. */
} engine_region_kind;

typedef struct engine_region {
    engine_region_kind kind;
    void *base;               /* the first row (caller-owned) */
    size_t unit;              /* PATH, BLOCK, POOL: bytes per path, block or item in a row; else
                                 counters */
    size_t rows;              /* rows, copies of the counters or pools (0 counts as 1) */
    size_t row_stride;        /* bytes from one row (copy) to the next (not for POOL) */
    const size_t *start;      /* POOL: [rows + 1] where each pool starts, in items */
    atomic_size_t *fill;      /* POOL: [rows] items in each pool */
} engine_region;

/* Regions a job may declare. */
#define ENGINE_MAX_REGIONS 8

typedef struct engine_job {
    const sim_plan *plan;     /* the model and scenario to run (not modified) */
    size_t paths;             /* N >= 1: paths (ensembles) or samples (sweeps) */
    size_t lanes;             /* B: lanes per block; 0 means ENGINE_DEFAULT_LANES */
    unsigned long seed;       /* the run's seed; block i's stream depends on (seed, i) only */
    int threads;              /* 0: every core (OpenMP's default); else at most this many */
    const engine_progress *progress; /* NULL: no progress reports */
    const char *what;         /* progress label, e.g. "paths" or "samples" (NULL: "paths") */
    size_t scratch_bytes;     /* per-thread scratch handed to the callbacks (0: none) */
    engine_setup_fn setup;    /* may be NULL (every lane then runs the plan as it is) */
    engine_reduce_fn reduce;  /* required */
    void *context;            /* passed to both callbacks */
    const engine_region *regions; /* everything setup and reduce write, or NULL: a job with
                                     regions may be cut into chunks by engine_chunks hooks
                                     (checkpoints, MPI ranks); one without always runs whole */
    size_t region_count;      /* at most ENGINE_MAX_REGIONS */
    /* With chunk hooks: called on the thread that called engine_run after each chunk's blocks
     * ran and before the hooks read the regions, to fold what the callbacks keep aside (e.g.
     * per-thread caches of counts) into them. NULL: nothing kept aside. */
    void (*settle)(void *context);
    int shared;               /* 1: every process of a job spread over several needs the
                                 regions whole after the run (a next step they all take reads
                                 them); 0: one process may gather them alone, the others then
                                 hold their own share only (engine_stats.partial) */
    int transient;            /* 1: never saved in checkpoints (a pass that a resumed run
                                 computes again); required with a POOL region */
    int bounded;              /* 1: bounded by the memory budget (an ensemble's paths: seconds
                                 at most), so saved in checkpoints only when asked */
} engine_job;

/* What a run did, for messages and benchmarks. */
typedef struct engine_stats {
    size_t blocks;            /* blocks computed (all of them unless interrupted or failed) */
    int threads;              /* threads used */
    double seconds;           /* wall-clock time of the run */
    size_t buffer_bytes;      /* bytes of per-thread buffers the engine allocated */
    int partial;              /* 1: the run was spread over several processes and another one
                                 gathered the regions: this process holds only the blocks it
                                 computed (counters are whole everywhere) and must not analyse
                                 them */
} engine_stats;

/* Runs job->paths lanes of the plan in blocks, on threads. For each block, in some order:
 * values = plan base (or as left by the thread's previous block, see engine_setup_fn),
 * rng seeded, setup, sim_block_run, reduce. Allocates per-thread buffers (values, scratch,
 * rng) up front in the calling thread; returns DIAG_SOFTWARE on out of memory, or when the
 * buffers exceed the memory budget (engine_check_memory). Returns:
 *   DIAG_OK             every block ran;
 *   DIAG_INTERRUPTED    engine_request_stop was called (blocks in flight finish, no new block
 *                       starts); d says "interrupted";
 *   a callback's status the first failing block in block order among those run, with its
 *                       message (prefixed "block N: " only if the callback left it empty).
 * stats may be NULL. Not reentrant: one engine_run at a time per process (the interrupt flag
 * is process-wide); setup and reduce run concurrently on several threads, progress reports on
 * the calling thread only. */
int engine_run(const engine_job *job, engine_stats *stats, diag *d);

/* Number of blocks for paths and lanes (0 lanes: ENGINE_DEFAULT_LANES): ceil(paths / lanes). */
size_t engine_block_count(size_t paths, size_t lanes);

/* The threads a run with `requested` (0 = all) would use. */
int engine_thread_count(int requested);

/* Seeds rng (of engine_rng_type) for block `index` of a run with `seed`, exactly as
 * engine_run does (rng_seed on its state), so a caller can reproduce a block's draws outside
 * the engine (e.g. to generate Monte Carlo sample rows block by block). */
void engine_seed_block(gsl_rng *rng, unsigned long seed, size_t index);

/* The generator type of engine streams: rng.h's xoshiro256+ (2^256 - 1 period, 256-bit state
 * seeded through splitmix64 from (seed, block), so distinct blocks never share a seed).
 * gsl_rng_get returns 32-bit values; gsl_rng_uniform has 53-bit resolution. Usable with every
 * gsl_ran_*; its state is an rng_stream. */
const gsl_rng_type *engine_rng_type(void);

/* --- chunks: checkpoints and several processes ------------------------------------------ */

/* Hooks that cut a run with regions into chunks of consecutive blocks, run in order. For each
 * chunk the hooks say which of its blocks this process computes (none when a checkpoint holds
 * it or another process computes it all), and after it they may save or exchange the chunk's
 * regions, so that on return from chunk_done every region holds the chunk's results as a
 * single uninterrupted run would. All hooks run on the thread that called engine_run. */
typedef struct engine_chunks {
    /* Once per run with regions: sets *chunk_blocks (0: run whole, no further hook call).
     * Returns DIAG_OK or an error that stops the run. */
    int (*begin)(void *context, const engine_job *job, size_t blocks, size_t lanes, size_t *chunk_blocks,
                 diag *d);
    /* Blocks [first, end) form the next chunk: sets [*run_first, *run_end) to those this
     * process computes (empty when run_first == run_end). */
    int (*chunk)(void *context, size_t first, size_t end, size_t *run_first, size_t *run_end, diag *d);
    /* After the blocks this process computed: `status` is the first failure among them
     * (failed_block, message) or DIAG_OK. Returns the chunk's status over every process. */
    int (*chunk_done)(void *context, size_t first, size_t end, int status, size_t failed_block,
                      const char *message, diag *d);
    /* After the last chunk or a failure, with the run's status. */
    void (*end)(void *context, int status);
    void *context;
    /* Optional (NULL: never), asked after begin: 1 when this process will hold only its own
     * share of the regions (engine_stats.partial). */
    int (*partial)(void *context);
    /* Optional (NULL: status as is): the worst status over the processes a run is spread
     * over, every one calling it at the same step (engine_agree). */
    int (*agree)(void *context, int status, diag *d);
} engine_chunks;

/* Between the engine runs of one analysis that the processes of a spread run all make (e.g.
 * the two passes of a streaming ensemble): returns the worst status over those processes, so
 * that a step that failed on one of them (out of memory) stops every one of them before the
 * next run instead of leaving the others waiting for it; a process whose own status was
 * DIAG_OK gets the error in d. Without hooks (or without their agree) returns status. */
int engine_agree(int status, diag *d);

/* Installs process-wide chunk hooks (NULL: none, every run whole). Not thread-safe: call
 * between runs. The hooks must outlive every run made while installed. */
void engine_set_chunks(const engine_chunks *hooks);

/* --- interruption (Ctrl-C) ------------------------------------------------------------- */

/* Async-signal-safe, for a SIGINT/SIGTERM handler: when an engine_run is in progress and no
 * stop was requested yet, sets the stop flag and returns 1 (the run returns
 * DIAG_INTERRUPTED after the blocks in flight; the handler should then return normally so
 * the program can exit cleanly with nothing written). Returns 0 when no run is in progress or
 * a stop was already requested: the handler should then deal with the signal itself (e.g.
 * clean up temporary files and die), so a second Ctrl-C always stops the program. */
int engine_request_stop(void);

/* 1 after a stop was requested (until engine_clear_stop). Callers running their own long
 * loops between engine runs (e.g. sweep analyses) may poll it too. */
int engine_stop_requested(void);

/* Clears the stop flag (tests; a program normally exits after an interrupt). */
void engine_clear_stop(void);

/* --- memory budget --------------------------------------------------------------------- */

/* The budget in bytes: ECONSIM_MEMORY_MB from the environment (a whole number of MB >= 1),
 * else ENGINE_DEFAULT_MEMORY_MB (also when the variable is not a valid number: main.c refuses
 * that as a usage error first, see engine_memory_budget_parse). */
size_t engine_memory_budget(void);

/* Parses a value of ECONSIM_MEMORY_MB: a whole number of MB, 1 or more, without sign or
 * blanks. Returns 1 and sets *bytes, or 0 when the text is not such a number. */
int engine_memory_budget_parse(const char *text, size_t *bytes);

/* Checks a planned allocation up front: returns DIAG_OK when `bytes` fits in the budget, else
 * DIAG_SOFTWARE with the message "<what> needs N MB, above the memory budget of M MB: use
 * fewer paths or samples, or raise ECONSIM_MEMORY_MB" (translated, i18n.h), where `what`
 * describes the request, already translated, e.g. "the ensemble of 1000000 paths (12
 * variables x 8 years)". Callers add their own
 * storage to what the engine needs for buffers (engine_buffer_bytes). */
int engine_check_memory(size_t bytes, const char *what, diag *d);

/* Bytes engine_run will allocate for per-thread buffers for this job. */
size_t engine_buffer_bytes(const engine_job *job);

#endif
