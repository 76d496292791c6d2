/* engine.c: running a plan over many paths in fixed blocks on OpenMP threads.
 *
 * Determinism comes from three choices: blocks have a fixed size that never depends on the
 * thread count; each block's random stream is seeded from (seed, block index) alone; and the
 * callbacks write results by path or by block, never in completion order. Which thread runs
 * a block, and when, then changes nothing in the results.
 *
 * The random generator is rng.h's xoshiro256+, drawn inline by the callbacks (block->stream)
 * and also wrapped as a gsl_rng_type (block->rng, the same state), so the whole gsl_ran_*
 * library works on it. Seeding goes through splitmix64 over a 64-bit key, so distinct blocks
 * get distinct 256-bit states (mt19937 would take only 32 bits of seed, and 4000 blocks would
 * collide with a probability near 0.2%). */
#include "engine.h"
#include "i18n.h"
#include "mem.h"
#include "rng.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------------------------- */
/* Random streams                                                                             */

const gsl_rng_type *engine_rng_type(void)
{
    return rng_gsl_type();
}

void engine_seed_block(gsl_rng *rng, unsigned long seed, size_t index)
{
    rng_seed(rng->state, (uint64_t)seed, (uint64_t)index);
}

/* ---------------------------------------------------------------------------------------- */
/* Interruption                                                                               */

static atomic_int engine_running;
static atomic_int engine_stop;

int engine_request_stop(void)
{
    if (atomic_load(&engine_running) && !atomic_load(&engine_stop)) {
        atomic_store(&engine_stop, 1);
        return 1;
    }
    return 0;
}

int engine_stop_requested(void)
{
    return atomic_load(&engine_stop);
}

void engine_clear_stop(void)
{
    atomic_store(&engine_stop, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Sizes and memory                                                                           */

size_t engine_block_count(size_t paths, size_t lanes)
{
    if (lanes == 0)
        lanes = ENGINE_DEFAULT_LANES;
    return paths / lanes + (paths % lanes != 0);
}

int engine_thread_count(int requested)
{
    if (requested > 0)
        return requested;
    int n = omp_get_max_threads();
    return n > 0 ? n : 1;
}

static size_t job_lanes(const engine_job *job)
{
    size_t lanes = job->lanes ? job->lanes : ENGINE_DEFAULT_LANES;
    return lanes < job->paths ? lanes : (job->paths ? job->paths : 1);
}

static int job_threads(const engine_job *job)
{
    int threads = engine_thread_count(job->threads);
    size_t blocks = engine_block_count(job->paths, job_lanes(job));
    if ((size_t)threads > blocks)
        threads = blocks ? (int)blocks : 1;
    return threads;
}

size_t engine_buffer_bytes(const engine_job *job)
{
    size_t lanes = job_lanes(job);
    size_t per_thread = (sim_block_values_size(job->plan, lanes) + sim_block_scratch_size(job->plan, lanes)) *
                            sizeof(double) +
                        job->scratch_bytes + sizeof(rng_stream);
    return per_thread * (size_t)job_threads(job);
}

int engine_memory_budget_parse(const char *text, size_t *bytes)
{
    if (!text || !isdigit((unsigned char)text[0]))
        return 0;
    char *end;
    errno = 0;
    unsigned long long mb = strtoull(text, &end, 10);
    if (errno || *end != '\0' || mb < 1 || mb > (unsigned long long)(SIZE_MAX >> 21))
        return 0;
    *bytes = (size_t)mb << 20;
    return 1;
}

size_t engine_memory_budget(void)
{
    size_t bytes;
    if (engine_memory_budget_parse(getenv("ECONSIM_MEMORY_MB"), &bytes))
        return bytes;
    return (size_t)ENGINE_DEFAULT_MEMORY_MB << 20;
}

int engine_check_memory(size_t bytes, const char *what, diag *d)
{
    size_t budget = engine_memory_budget();
    if (bytes <= budget)
        return DIAG_OK;
    double mb = (double)bytes / (1024.0 * 1024.0);
    return diag_error(d, DIAG_SOFTWARE,
                      _("%s needs %.0f MB, above the memory budget of %zu MB: use fewer paths or samples, or raise "
                      "ECONSIM_MEMORY_MB"),
                      what, ceil(mb), budget >> 20);
}

/* ---------------------------------------------------------------------------------------- */
/* Progress                                                                                   */

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Tells the job's progress callback, if any, how far the run is. */
static void report_progress(const engine_job *job, size_t done, double started, int finished)
{
    if (!job->progress || !job->progress->report)
        return;
    engine_progress_event event = {
        .done = done,
        .total = job->paths,
        .what = job->what ? job->what : "paths",
        .elapsed = seconds_now() - started,
        .finished = finished,
    };
    job->progress->report(job->progress->context, &event);
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                    */

typedef struct thread_buffers {
    double *values;
    double *scratch;
    void *callback_scratch;
    gsl_rng *rng;
    size_t initialised_lanes; /* lanes the values were laid out for by sim_block_init; 0: none */
} thread_buffers;

static void free_buffers(thread_buffers *buffers, int threads)
{
    if (!buffers)
        return;
    for (int i = 0; i < threads; i++) {
        mem_free(buffers[i].values);
        mem_free(buffers[i].scratch);
        mem_free(buffers[i].callback_scratch);
        if (buffers[i].rng)
            gsl_rng_free(buffers[i].rng);
    }
    mem_free(buffers);
}

/* The buffers of every thread, allocated here, before the parallel region (mem_* and its
 * test hook are single-threaded). NULL with the error in d when memory runs out. */
static thread_buffers *alloc_buffers(const engine_job *job, size_t lanes, int threads, diag *d)
{
    thread_buffers *buffers = mem_calloc((size_t)threads, sizeof *buffers);
    if (!buffers) {
        diag_oom(d, _("allocating the engine's buffers"));
        return NULL;
    }
    for (int i = 0; i < threads; i++) {
        thread_buffers *b = &buffers[i];
        b->values = mem_alloc(sim_block_values_size(job->plan, lanes) * sizeof(double));
        b->scratch = mem_alloc(sim_block_scratch_size(job->plan, lanes) * sizeof(double));
        b->callback_scratch = job->scratch_bytes ? mem_alloc(job->scratch_bytes) : NULL;
        b->rng = gsl_rng_alloc(engine_rng_type());
        if (!b->values || !b->scratch || (job->scratch_bytes && !b->callback_scratch) || !b->rng) {
            free_buffers(buffers, threads);
            diag_oom(d, _("allocating the engine's buffers"));
            return NULL;
        }
    }
    return buffers;
}

/* Simulates block `index` (paths index*lanes ..) in b's buffers: lays them out again when the
 * block has another width, seeds the block's stream, then setup, simulate, reduce. Returns
 * the callbacks' status (a message may be in block->message). */
static int run_block(const engine_job *job, thread_buffers *b, engine_block *block, size_t index, size_t lanes)
{
    block->index = index;
    block->first = index * lanes;
    block->lanes = job->paths - block->first < lanes ? job->paths - block->first : lanes;
    block->message[0] = '\0';
    if (b->initialised_lanes != block->lanes) {
        sim_block_init(job->plan, block->lanes, b->values);
        b->initialised_lanes = block->lanes;
    }
    rng_seed(block->stream, (uint64_t)job->seed, (uint64_t)index);
    int status = job->setup ? job->setup(job->context, block) : DIAG_OK;
    if (status == DIAG_OK) {
        sim_block_run(job->plan, block->lanes, b->values, b->scratch);
        status = job->reduce(job->context, block);
    }
    return status;
}

/* The first failed block (by index, so that the message does not depend on which thread
 * failed first). Guarded by the critical section engine_failure. */
typedef struct engine_failure {
    size_t block; /* SIZE_MAX: none */
    int status;
    char message[512];
} engine_failure;

static void record_failure(engine_failure *failure, const engine_block *block, int status)
{
#pragma omp critical(engine_failure)
    {
        if (block->index < failure->block) {
            failure->block = block->index;
            failure->status = status;
            if (block->message[0])
                snprintf(failure->message, sizeof failure->message, "%s", block->message);
            else
                snprintf(failure->message, sizeof failure->message, _("block %zu failed"), block->index);
        }
    }
}

/* The state of one engine_run shared by its chunks. */
typedef struct engine_state {
    const engine_job *job;
    thread_buffers *buffers;
    size_t lanes;
    int threads;
    double started;
    atomic_size_t done_paths, done_blocks;
    atomic_int failed;
    engine_failure failure;
} engine_state;

/* Computes blocks [lo, hi) on the run's threads. */
static void run_range(engine_state *st, size_t lo, size_t hi)
{
    const engine_job *job = st->job;
#pragma omp parallel num_threads(st->threads)
    {
        int thread = omp_get_thread_num();
        thread_buffers *b = &st->buffers[thread];
        engine_block block;
        memset(&block, 0, sizeof block);
        block.values = b->values;
        block.rng = b->rng;
        block.stream = b->rng->state;
        block.scratch = b->callback_scratch;
        block.thread = thread;
#pragma omp for schedule(dynamic, 1)
        for (size_t index = lo; index < hi; index++) {
            if (atomic_load(&engine_stop) || atomic_load(&st->failed))
                continue;
            int status = run_block(job, b, &block, index, st->lanes);
            if (status != DIAG_OK) {
                record_failure(&st->failure, &block, status);
                atomic_store(&st->failed, 1);
                continue;
            }
            atomic_fetch_add(&st->done_blocks, 1);
            size_t done = atomic_fetch_add(&st->done_paths, block.lanes) + block.lanes;
            if (thread == 0) /* the thread that called engine_run */
                report_progress(job, done, st->started, 0);
        }
    }
}

static const engine_chunks *engine_hooks;

void engine_set_chunks(const engine_chunks *hooks)
{
    engine_hooks = hooks;
}

int engine_agree(int status, diag *d)
{
    return engine_hooks && engine_hooks->agree ? engine_hooks->agree(engine_hooks->context, status, d) : status;
}

/* Paths in blocks [first, end). */
static size_t range_paths(const engine_state *st, size_t first, size_t end)
{
    size_t to = end * st->lanes < st->job->paths ? end * st->lanes : st->job->paths;
    return to - first * st->lanes;
}

/* Runs the blocks chunk by chunk through the hooks. Returns DIAG_OK or the status that
 * stopped it (its message in d). */
static int run_chunks(engine_state *st, const engine_chunks *hooks, size_t blocks, size_t chunk_blocks, diag *d)
{
    int status = DIAG_OK;
    for (size_t first = 0; first < blocks && status == DIAG_OK; first += chunk_blocks) {
        size_t end = blocks - first < chunk_blocks ? blocks : first + chunk_blocks, lo = first, hi = end;
        if ((status = hooks->chunk(hooks->context, first, end, &lo, &hi, d)) != DIAG_OK)
            break;
        size_t before = atomic_load(&st->done_paths);
        if (lo < hi)
            run_range(st, lo, hi);
        if (st->job->settle)
            st->job->settle(st->job->context);
        int local = atomic_load(&st->failed) ? st->failure.status
                    : atomic_load(&engine_stop) ? DIAG_INTERRUPTED : DIAG_OK;
        const char *message = local == DIAG_INTERRUPTED ? "interrupted: nothing was written" : st->failure.message;
        status = hooks->chunk_done(hooks->context, first, end, local, st->failure.block, message, d);
        /* the chunk's paths computed elsewhere or restored count as done */
        size_t done = before + range_paths(st, first, end);
        if (status == DIAG_OK && atomic_load(&st->done_paths) < done) {
            atomic_store(&st->done_paths, done);
            report_progress(st->job, done, st->started, 0);
        }
    }
    hooks->end(hooks->context, status);
    return status;
}

int engine_run(const engine_job *job, engine_stats *stats, diag *d)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!job || !job->plan || !job->reduce || job->paths == 0)
        return diag_error(d, DIAG_SOFTWARE, _("engine_run: a job needs a plan, a reduce callback and paths >= 1"));
    if (job->region_count > ENGINE_MAX_REGIONS)
        return diag_error(d, DIAG_SOFTWARE, _("engine_run: more than %d regions"), ENGINE_MAX_REGIONS);
    if (job->lanes > ENGINE_MAX_LANES)
        return diag_error(d, DIAG_SOFTWARE, _("engine_run: %zu lanes per block is above the limit of %d"), job->lanes,
                          ENGINE_MAX_LANES);
    size_t lanes = job_lanes(job);
    size_t blocks = engine_block_count(job->paths, lanes);
    int threads = job_threads(job);
    size_t buffer_bytes = engine_buffer_bytes(job);
    char what[160];
    snprintf(what, sizeof what, _("the engine's buffers for %d threads of %zu lanes"), threads, lanes);
    if (engine_check_memory(buffer_bytes, what, d) != DIAG_OK)
        return d->status;
    const engine_chunks *hooks = job->region_count ? engine_hooks : NULL;
    size_t chunk_blocks = 0;
    if (hooks && hooks->begin(hooks->context, job, blocks, lanes, &chunk_blocks, d) != DIAG_OK)
        return d->status;
    int partial = chunk_blocks && hooks->partial ? hooks->partial(hooks->context) : 0;
    thread_buffers *buffers = alloc_buffers(job, lanes, threads, d);
    /* a rank of an MPI job that has no memory for its buffers says so to the others, which
     * would otherwise wait for it at the end of the first chunk */
    int ready = chunk_blocks ? engine_agree(buffers ? DIAG_OK : d->status, d) : buffers ? DIAG_OK : d->status;
    if (ready != DIAG_OK) {
        free_buffers(buffers, threads);
        if (chunk_blocks)
            hooks->end(hooks->context, ready);
        return ready;
    }

    engine_state st = {.job = job, .buffers = buffers, .lanes = lanes, .threads = threads,
                       .started = seconds_now(), .failure = {.block = SIZE_MAX, .status = DIAG_OK}};
    atomic_store(&engine_running, 1);
    int chunked = chunk_blocks ? run_chunks(&st, hooks, blocks, chunk_blocks, d) : DIAG_OK;
    if (!chunk_blocks)
        run_range(&st, 0, blocks);
    atomic_store(&engine_running, 0);
    report_progress(job, atomic_load(&st.done_paths), st.started, 1);
    free_buffers(buffers, threads);
    if (stats) {
        stats->blocks = atomic_load(&st.done_blocks);
        stats->threads = threads;
        stats->seconds = seconds_now() - st.started;
        stats->buffer_bytes = buffer_bytes;
        stats->partial = partial;
    }
    if (chunk_blocks)
        return chunked;
    if (atomic_load(&st.failed))
        return diag_error(d, st.failure.status, "%s", st.failure.message);
    if (atomic_load(&engine_stop))
        return diag_error(d, DIAG_INTERRUPTED, _("interrupted: nothing was written"));
    return DIAG_OK;
}
