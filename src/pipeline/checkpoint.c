/* checkpoint.c: chunked engine runs: checkpoints, --resume and the ranks of an MPI job
 * (checkpoint.h). The files themselves are checkpoint_file.c's.
 *
 * A chunk's payload is its slice of every path and block region, row by row, then every
 * counter region whole: counters are cumulative, so the last restored chunk's counters are
 * the run's up to there. */
#include "checkpoint.h"
#include "checkpoint_file.h"

#include "engine.h"
#include "fnv.h"
#include "i18n.h"
#include "mem.h"
#include "session.h"
#include "text.h"

#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct failure_note {
    int32_t status;
    uint64_t block;
    char message[512];
} failure_note;

static struct {
    const checkpoint_cluster *job_cluster; /* as installed */
    const checkpoint_cluster *cluster;     /* the ranks a run is spread over: NULL when solo */
    int solo;
    /* the folder (checkpoint_open .. checkpoint_close) */
    int open, resume, always;
    char folder[CHECKPOINT_PATH_MAX];
    uint64_t hash;
    size_t stage, restored, written, chunks_done;
    /* the engine run in progress */
    const engine_job *job;
    size_t blocks, lanes, chunk_blocks, restorable;
    int saving;
    int shared;           /* the run's regions go to every rank, not to rank 0 alone */
    uint64_t layout;
    uint64_t *snapshot;   /* SUM counters before the chunk, then the reduction's scratch */
    size_t counters;
    unsigned char *pack, *all;
    size_t pack_bytes;
    size_t *pool_snapshot;   /* every pool's fill before the chunk */
    size_t pool_rows;
} cp;

int checkpoint_rank(void)
{
    return cp.cluster ? cp.cluster->rank : 0;
}

int checkpoint_ranks(void)
{
    return cp.cluster ? cp.cluster->size : 1;
}

size_t checkpoint_restored(void)
{
    return cp.restored;
}

void checkpoint_note_resumed(int quiet)
{
    if (cp.open && cp.restored && !quiet && checkpoint_speaks())
        fprintf(stderr, _("econsim: resumed: %zu chunks read back from %s/, the rest computed\n"), cp.restored,
                text_safe(cp.folder));
}

/* --- layout -------------------------------------------------------------------------------- */

static int is_sum(const engine_region *g)
{
    return g->kind == ENGINE_REGION_SUM || g->kind == ENGINE_REGION_SUM32;
}

static int is_counter(const engine_region *g)
{
    return is_sum(g) || g->kind == ENGINE_REGION_MIN || g->kind == ENGINE_REGION_MAX;
}

/* Path and block regions: sliced by block. */
static int is_slice(const engine_region *g)
{
    return g->kind == ENGINE_REGION_PATH || g->kind == ENGINE_REGION_BLOCK;
}

/* Counter j of copy r of a counter region, as a uint64_t. */
static uint64_t counter_get(const engine_region *g, size_t r, size_t j)
{
    const unsigned char *row = (const unsigned char *)g->base + r * g->row_stride;
    return g->kind == ENGINE_REGION_SUM ? (uint64_t)((const size_t *)(const void *)row)[j]
                                        : (uint64_t)((const uint32_t *)(const void *)row)[j];
}

static void counter_put(const engine_region *g, size_t r, size_t j, uint64_t v)
{
    unsigned char *row = (unsigned char *)g->base + r * g->row_stride;
    if (g->kind == ENGINE_REGION_SUM)
        ((size_t *)(void *)row)[j] = (size_t)v;
    else
        ((uint32_t *)(void *)row)[j] = (uint32_t)v;
}

/* The counters of g folded over its copies into out[0..unit). */
static void counter_fold(const engine_region *g, uint64_t *out)
{
    size_t rows = g->rows ? g->rows : 1;
    for (size_t j = 0; j < g->unit; j++) {
        uint64_t v = counter_get(g, 0, j);
        for (size_t r = 1; r < rows; r++) {
            uint64_t w = counter_get(g, r, j);
            v = is_sum(g) ? v + w : g->kind == ENGINE_REGION_MIN ? (w < v ? w : v) : (w > v ? w : v);
        }
        out[j] = v;
    }
}

/* Sets g's counters to in[0..unit): the first copy holds them, the others the neutral value. */
static void counter_set(const engine_region *g, const uint64_t *in)
{
    size_t rows = g->rows ? g->rows : 1;
    for (size_t j = 0; j < g->unit; j++) {
        counter_put(g, 0, j, in[j]);
        for (size_t r = 1; r < rows; r++)
            counter_put(g, r, j, g->kind == ENGINE_REGION_MIN ? UINT32_MAX : 0);
    }
}

/* Bytes of a path/block region's slice for blocks [b0, b1), over its rows. */
static size_t slice_bytes(const engine_region *g, size_t b0, size_t b1)
{
    size_t rows = g->rows ? g->rows : 1;
    if (g->kind == ENGINE_REGION_BLOCK)
        return rows * (b1 - b0) * g->unit;
    size_t p0 = b0 * cp.lanes, p1 = b1 * cp.lanes < cp.job->paths ? b1 * cp.lanes : cp.job->paths;
    return p0 < p1 ? rows * (p1 - p0) * g->unit : 0;
}

/* Copies blocks [b0, b1) of every path and block region to (out = 1) or from buf. */
static size_t slice_copy(unsigned char *buf, size_t b0, size_t b1, int out)
{
    size_t at = 0;
    for (size_t i = 0; i < cp.job->region_count; i++) {
        const engine_region *g = &cp.job->regions[i];
        if (!is_slice(g) || b0 >= b1)
            continue;
        size_t rows = g->rows ? g->rows : 1;
        size_t from = g->kind == ENGINE_REGION_BLOCK ? b0 : b0 * cp.lanes;
        size_t n = slice_bytes(g, b0, b1) / rows;
        for (size_t r = 0; r < rows; r++) {
            unsigned char *place = (unsigned char *)g->base + r * g->row_stride + from * g->unit;
            if (out)
                memcpy(buf + at, place, n);
            else
                memcpy(place, buf + at, n);
            at += n;
        }
    }
    return at;
}

static size_t counter_bytes(void)
{
    return cp.counters * sizeof(uint64_t);
}

/* Copies every counter region, folded, to buf (out = 1) or sets them from it. */
static size_t counter_copy(unsigned char *buf, int out)
{
    size_t at = 0;
    uint64_t *v = cp.snapshot + 2 * cp.counters; /* scratch of cp.counters */
    for (size_t i = 0; i < cp.job->region_count; i++) {
        const engine_region *g = &cp.job->regions[i];
        if (!is_counter(g))
            continue;
        size_t n = g->unit * sizeof(uint64_t);
        if (out) {
            counter_fold(g, v);
            memcpy(buf + at, v, n);
        } else {
            memcpy(v, buf + at, n);
            counter_set(g, v);
        }
        at += n;
    }
    return at;
}

static uint64_t job_layout(const engine_job *job, size_t blocks, size_t lanes, size_t chunk_blocks)
{
    uint64_t v[6] = {cp.stage, job->paths, lanes, job->seed, blocks, chunk_blocks};
    uint64_t h = fnv1a64(FNV1A64_OFFSET, v, sizeof v);
    for (size_t i = 0; i < job->region_count; i++) {
        const engine_region *g = &job->regions[i];
        uint64_t w[3] = {(uint64_t)g->kind, g->unit, is_counter(g) ? 0 : g->rows};
        h = fnv1a64(h, w, sizeof w);
    }
    return h;
}

/* --- the ranks of a chunk ------------------------------------------------------------------- */

/* The blocks of [first, end) that `rank` computes: a static split by index, or rank 0 for a
 * chunk restored from its checkpoint. */
static void rank_range(int rank, size_t first, size_t end, int restored, size_t *lo, size_t *hi)
{
    size_t n = end - first, size = (size_t)checkpoint_ranks();
    if (restored) {
        *lo = first;
        *hi = rank == 0 ? end : first;
        return;
    }
    *lo = first + n * (size_t)rank / size;
    *hi = first + n * ((size_t)rank + 1) / size;
}

/* --- chunk files ---------------------------------------------------------------------------- */

/* Saves chunk `chunk` (blocks [first, end)) with the counters as they are now. */
static int save_chunk(size_t chunk, size_t first, size_t end, diag *d)
{
    if (checkpoint_file_make_folder(cp.folder, cp.hash, d) != DIAG_OK)
        return d->status;
    size_t bytes = slice_copy(cp.all, first, end, 1);
    bytes += counter_copy(cp.all + bytes, 1);
    checkpoint_chunk_head head = {cp.hash, cp.layout, cp.stage, chunk, first, end};
    char path[CHECKPOINT_PATH_MAX + 64];
    checkpoint_file_chunk_path(path, sizeof path, cp.folder, cp.stage, chunk);
    return checkpoint_file_write_chunk(path, &head, cp.all, bytes, d);
}

/* Reads chunk `chunk`'s file into the regions. Returns DIAG_OK, DIAG_NO_INPUT when there is no
 * file (the first chunk to compute), or DIAG_DATA for a file of another run. */
static int load_chunk(size_t chunk, size_t first, size_t end, int apply, diag *d)
{
    char path[CHECKPOINT_PATH_MAX + 64];
    checkpoint_file_chunk_path(path, sizeof path, cp.folder, cp.stage, chunk);
    checkpoint_chunk_head head;
    char *data = NULL;
    const unsigned char *body = NULL;
    size_t payload = 0;
    int intact = 0;
    int status = checkpoint_file_read_chunk(path, cp.folder, &head, &data, &body, &payload, &intact, d);
    if (status != DIAG_OK)
        return status;
    if (head.stamp != cp.hash) {
        char theirs[24], ours[24];
        snprintf(theirs, sizeof theirs, "%016" PRIx64, head.stamp);
        snprintf(ours, sizeof ours, "%016" PRIx64, cp.hash);
        status = diag_error_file(d, DIAG_DATA, path,
                                 _("this checkpoint belongs to another run (the scenario, model, observations, design "
                                   "or seed changed: hash %s, this run %s): it is refused; remove %s to start again"),
                                 theirs, ours, text_safe(cp.folder));
    } else if (head.layout != cp.layout || head.stage != cp.stage || head.chunk != chunk || head.first != first ||
               head.end != end) {
        status = diag_error_file(d, DIAG_DATA, path, _("this checkpoint was cut for another layout of the run (another number of "
                            "threads or paths): it is refused; resume with the settings of the first run or "
                            "remove %s"),
                            text_safe(cp.folder));
    } else {
        size_t want = 0;
        for (size_t i = 0; i < cp.job->region_count; i++)
            if (is_slice(&cp.job->regions[i]))
                want += slice_bytes(&cp.job->regions[i], first, end);
        if (!intact || want + counter_bytes() != payload)
            status = diag_error_file(d, DIAG_DATA, path, _("the checkpoint is damaged (its checksum differs): "
                                "remove it and resume"));
        else if (apply) {
            memcpy(cp.all, body, payload);
            size_t at = slice_copy(cp.all, first, end, 0);
            counter_copy(cp.all + at, 0);
        }
    }
    mem_free(data);
    return status;
}

/* --- collective steps ----------------------------------------------------------------------- */

/* The first failure over the ranks (the lowest block; an interrupt or rank-less error after
 * any block failure), or DIAG_OK. */
static int combine_failures(int status, size_t block, const char *message, diag *d)
{
    failure_note mine = {.status = status, .block = status == DIAG_OK ? UINT64_MAX : (uint64_t)block};
    snprintf(mine.message, sizeof mine.message, "%s", status == DIAG_OK ? "" : message);
    if (!cp.cluster) {
        return status == DIAG_OK ? DIAG_OK : diag_error(d, status, "%s", mine.message);
    }
    size_t size = (size_t)cp.cluster->size;
    failure_note *all = mem_alloc(size * sizeof *all);
    size_t *counts = mem_alloc(size * sizeof *counts);
    if (!all || !counts) {
        mem_free(all);
        mem_free(counts);
        return diag_oom(d, _("gathering the ranks' status"));
    }
    for (size_t r = 0; r < size; r++)
        counts[r] = sizeof *all;
    int st = cp.cluster->allgather(cp.cluster->context, &mine, sizeof mine, all, counts, d);
    if (st == DIAG_OK) {
        const failure_note *worst = NULL;
        for (size_t r = 0; r < size; r++)
            if (all[r].status != DIAG_OK && (!worst || all[r].block < worst->block))
                worst = &all[r];
        if (worst)
            st = diag_error(d, worst->status, "%s", worst->message);
    }
    mem_free(all);
    mem_free(counts);
    return st;
}

/* Gathers every rank's blocks of [first, end) into the regions of rank 0 (of every rank when
 * the run is shared). */
static int exchange_chunk(size_t first, size_t end, int restored, diag *d)
{
    size_t size = (size_t)cp.cluster->size, lo, hi;
    size_t *counts = mem_alloc(size * sizeof *counts);
    if (!counts)
        return diag_oom(d, _("gathering a chunk"));
    for (size_t r = 0; r < size; r++) {
        rank_range((int)r, first, end, restored, &lo, &hi);
        counts[r] = 0;
        for (size_t i = 0; i < cp.job->region_count; i++)
            if (is_slice(&cp.job->regions[i]) && lo < hi)
                counts[r] += slice_bytes(&cp.job->regions[i], lo, hi);
    }
    rank_range(cp.cluster->rank, first, end, restored, &lo, &hi);
    size_t mine = slice_copy(cp.pack, lo, hi, 1);
    int receives = cp.shared || cp.cluster->rank == 0;
    int status = cp.shared ? cp.cluster->allgather(cp.cluster->context, cp.pack, mine, cp.all, counts, d)
                           : cp.cluster->gather(cp.cluster->context, cp.pack, mine, cp.all, counts, d);
    size_t at = 0;
    for (size_t r = 0; status == DIAG_OK && receives && r < size; r++) {
        rank_range((int)r, first, end, restored, &lo, &hi);
        if ((int)r != cp.cluster->rank)
            slice_copy(cp.all + at, lo, hi, 0);
        at += counts[r];
    }
    mem_free(counts);
    return status;
}

/* Counters: sums of what each rank added during the chunk; ranges as min / max. */
static int reduce_counters(diag *d)
{
    size_t at = 0;
    uint64_t *scratch = cp.snapshot + cp.counters;
    for (size_t i = 0; i < cp.job->region_count; i++) {
        const engine_region *g = &cp.job->regions[i];
        if (!is_counter(g))
            continue;
        counter_fold(g, scratch);
        for (size_t j = 0; is_sum(g) && j < g->unit; j++)
            scratch[j] -= cp.snapshot[at + j];
        checkpoint_op op = is_sum(g) ? CHECKPOINT_SUM
                           : g->kind == ENGINE_REGION_MIN ? CHECKPOINT_MIN : CHECKPOINT_MAX;
        if (g->unit && cp.cluster->allreduce(cp.cluster->context, scratch, g->unit, op, d) != DIAG_OK)
            return d->status;
        for (size_t j = 0; is_sum(g) && j < g->unit; j++)
            scratch[j] += cp.snapshot[at + j];
        counter_set(g, scratch);
        at += g->unit;
    }
    return DIAG_OK;
}

/* Remembers the SUM counters and the pools' fill before a chunk, so that each rank's share
 * can be told apart. */
static void take_snapshot(void)
{
    size_t at = 0, row = 0;
    for (size_t i = 0; i < cp.job->region_count; i++) {
        const engine_region *g = &cp.job->regions[i];
        if (g->kind == ENGINE_REGION_POOL) {
            for (size_t r = 0; r < g->rows; r++)
                cp.pool_snapshot[row++] = atomic_load(&g->fill[r]);
        } else if (is_counter(g)) {
            counter_fold(g, cp.snapshot + at);
            at += g->unit;
        }
    }
}

/* The items that each rank appended to a pool region g during the chunk (its rows' counts
 * since the snapshot, from snapshot[0..g->rows)) go to the pools of rank 0 (of every rank when
 * the run is shared), appended in rank order. Collective. Returns DIAG_OK, or an error on every
 * rank when a pool would overflow. */
static int exchange_pool(const engine_region *g, const size_t *snapshot, diag *d)
{
    size_t size = (size_t)cp.cluster->size, rows = g->rows, me = (size_t)cp.cluster->rank;
    uint64_t *added = mem_alloc(size * rows * sizeof *added);
    size_t *counts = mem_alloc(size * sizeof *counts);
    unsigned char *mine = NULL, *all = NULL;
    int status = DIAG_OK;
    if (!added || !counts) {
        status = diag_oom(d, "gathering a pool of values");
        goto done;
    }
    /* every rank learns how many items each rank appended to each pool */
    uint64_t *own = added + me * rows;
    size_t own_bytes = 0;
    for (size_t r = 0; r < rows; r++) {
        own[r] = atomic_load(&g->fill[r]) - snapshot[r];
        own_bytes += (size_t)own[r] * g->unit;
    }
    for (size_t k = 0; k < size; k++)
        counts[k] = rows * sizeof *added;
    if ((status = cp.cluster->allgather(cp.cluster->context, own, rows * sizeof *added, added, counts, d)) != DIAG_OK)
        goto done;
    size_t total = 0;
    for (size_t k = 0; k < size; k++) {
        counts[k] = 0;
        for (size_t r = 0; r < rows; r++)
            counts[k] += (size_t)added[k * rows + r] * g->unit;
        total += counts[k];
    }
    int receives = cp.shared || me == 0;
    mine = mem_alloc(own_bytes ? own_bytes : 1);
    all = receives ? mem_alloc(total ? total : 1) : NULL;
    int ok = mine && (!receives || all);
    /* the ranks agree before the gather, so that none waits for one that ran out of memory */
    if ((status = checkpoint_agree(ok ? DIAG_OK : diag_oom(d, "gathering a pool of values"), d)) != DIAG_OK)
        goto done;
    size_t at = 0;
    for (size_t r = 0; r < rows; r++) {
        size_t n = (size_t)own[r] * g->unit;
        memcpy(mine + at, (unsigned char *)g->base + (g->start[r] + snapshot[r]) * g->unit, n);
        at += n;
    }
    status = cp.shared ? cp.cluster->allgather(cp.cluster->context, mine, own_bytes, all, counts, d)
                       : cp.cluster->gather(cp.cluster->context, mine, own_bytes, all, counts, d);
    int fits = 1;
    at = 0;
    for (size_t k = 0; status == DIAG_OK && receives && k < size; k++) {
        for (size_t r = 0; r < rows; r++) {
            size_t n = (size_t)added[k * rows + r], fill = atomic_load(&g->fill[r]);
            if (k != me && fits && fill + n <= g->start[r + 1] - g->start[r]) {
                memcpy((unsigned char *)g->base + (g->start[r] + fill) * g->unit, all + at, n * g->unit);
                atomic_store(&g->fill[r], fill + n);
            } else if (k != me) {
                fits = 0;
            }
            at += n * g->unit;
        }
    }
    if (status == DIAG_OK && !fits)
        status = diag_error(d, DIAG_SOFTWARE, _("the ranks appended more values to a pool than it holds"));
    if (status == DIAG_OK || !fits)
        status = checkpoint_agree(status, d);
done:
    mem_free(added);
    mem_free(counts);
    mem_free(mine);
    mem_free(all);
    return status;
}

/* exchange_pool for every pool region of the run. */
static int exchange_pools(diag *d)
{
    size_t row = 0;
    for (size_t i = 0; i < cp.job->region_count; i++) {
        const engine_region *g = &cp.job->regions[i];
        if (g->kind != ENGINE_REGION_POOL)
            continue;
        int status = exchange_pool(g, cp.pool_snapshot + row, d);
        if (status != DIAG_OK)
            return status;
        row += g->rows;
    }
    return DIAG_OK;
}

/* The test hook: ECONSIM_TEST_ABORT_AFTER_CHUNKS=K[@RANK]. */
static void maybe_die(size_t count)
{
    const char *hook = getenv("ECONSIM_TEST_ABORT_AFTER_CHUNKS");
    if (!hook || !*hook)
        return;
    char *end;
    unsigned long k = strtoul(hook, &end, 10);
    long rank = *end == '@' ? strtol(end + 1, NULL, 10) : 0;
    if (rank == checkpoint_rank() && count == k)
        raise(SIGKILL);
}

/* The test hook ECONSIM_TEST_NO_MEMORY=STEP[@RANK] (rank 0 when not given): 1 when the memory
 * of `step` ("setup": hook_begin's buffers) is to be taken as unavailable on this rank. */
static int test_no_memory(const char *step)
{
    const char *hook = getenv("ECONSIM_TEST_NO_MEMORY");
    if (!hook || !*hook)
        return 0;
    size_t n = strcspn(hook, "@");
    long rank = hook[n] == '@' ? strtol(hook + n + 1, NULL, 10) : 0;
    return n == strlen(step) && !strncmp(hook, step, n) && rank == checkpoint_rank();
}

/* --- the engine hooks ----------------------------------------------------------------------- */

static void hook_end(void *context, int status);

static int hook_begin(void *context, const engine_job *job, size_t blocks, size_t lanes, size_t *chunk_blocks,
                      diag *d)
{
    (void)context;
    *chunk_blocks = 0;
    int saving = cp.open && !job->transient && (cp.always || cp.resume || (!job->bounded && job->paths >= CHECKPOINT_AUTO_PATHS));
    if (!saving && !cp.cluster)
        return DIAG_OK;
    size_t pool_rows = 0;
    for (size_t i = 0; i < job->region_count; i++)
        pool_rows += job->regions[i].kind == ENGINE_REGION_POOL ? job->regions[i].rows : 0;
    if (pool_rows && !job->transient)
        return diag_error(d, DIAG_SOFTWARE, "engine job: a pool region in a job that is not transient");
    if (sizeof(atomic_size_t) != sizeof(size_t))
        return DIAG_OK; /* counters could not be read as size_t: run whole */
    cp.job = job;
    cp.blocks = blocks;
    cp.lanes = lanes;
    cp.saving = saving;
    cp.shared = job->shared || !cp.cluster;
    cp.pool_rows = pool_rows;
    size_t per_block = 0;
    cp.counters = 0;
    for (size_t i = 0; i < job->region_count; i++) {
        per_block += is_slice(&job->regions[i]) ? slice_bytes(&job->regions[i], 0, 1) : 0;
        cp.counters += is_counter(&job->regions[i]) ? job->regions[i].unit : 0;
    }
    size_t chunk = saving ? (blocks + CHECKPOINT_CHUNKS - 1) / CHECKPOINT_CHUNKS : blocks;
    if (per_block && chunk * per_block > CHECKPOINT_CHUNK_BYTES)
        chunk = CHECKPOINT_CHUNK_BYTES / per_block;
    cp.chunk_blocks = chunk ? chunk : 1;
    cp.layout = job_layout(job, blocks, lanes, cp.chunk_blocks);
    cp.pack_bytes = cp.chunk_blocks * per_block + counter_bytes() + sizeof(uint64_t);
    cp.pack = mem_alloc(cp.pack_bytes);
    /* what a chunk gathers, and what a checkpoint file holds: on the ranks that receive */
    int receives = cp.shared || checkpoint_rank() == 0;
    cp.all = receives ? mem_alloc(cp.pack_bytes) : NULL;
    cp.snapshot = mem_alloc((3 * cp.counters + 1) * sizeof *cp.snapshot);
    cp.pool_snapshot = mem_alloc((pool_rows + 1) * sizeof *cp.pool_snapshot);
    cp.restorable = 0;
    int status = !cp.pack || (receives && !cp.all) || !cp.snapshot || !cp.pool_snapshot || test_no_memory("setup")
                     ? diag_oom(d, _("setting up checkpoints"))
                     : DIAG_OK;
    /* every rank takes this step, so that one that ran out of memory stops the others instead of
     * leaving them waiting for it in the next */
    if (cp.cluster)
        status = checkpoint_agree(status, d);
    /* the ranks must agree on the job (same layout, same counters) */
    if (status == DIAG_OK && cp.cluster) {
        uint64_t v[2] = {cp.layout, cp.layout};
        if ((status = cp.cluster->allreduce(cp.cluster->context, v, 1, CHECKPOINT_MIN, d)) == DIAG_OK &&
            (status = cp.cluster->allreduce(cp.cluster->context, v + 1, 1, CHECKPOINT_MAX, d)) == DIAG_OK &&
            v[0] != v[1])
            status = diag_error(d, DIAG_USAGE,
                                _("the ranks disagree on the run's layout: give every rank the same --threads "
                                "(OMP_NUM_THREADS) and the same files"));
    }
    /* rank 0 checks the files of this stage; every rank learns how many to restore */
    uint64_t found[2] = {0, 0}; /* chunks, error status */
    if (status == DIAG_OK && saving && cp.resume && checkpoint_rank() == 0) {
        size_t chunks = (blocks + cp.chunk_blocks - 1) / cp.chunk_blocks;
        for (size_t c = 0; c < chunks; c++) {
            size_t first = c * cp.chunk_blocks, end = first + cp.chunk_blocks < blocks ? first + cp.chunk_blocks : blocks;
            int st = load_chunk(c, first, end, 0, d);
            if (st == DIAG_NO_INPUT)
                break;
            if (st != DIAG_OK) {
                found[1] = (uint64_t)st;
                break;
            }
            found[0]++;
        }
    }
    if (status == DIAG_OK && cp.cluster)
        status = cp.cluster->allreduce(cp.cluster->context, found, 2, CHECKPOINT_MAX, d);
    if (status == DIAG_OK && found[1])
        status = checkpoint_rank() == 0 ? d->status
                                        : diag_error(d, (int)found[1], _("rank 0 refused the checkpoints"));
    if (status != DIAG_OK) {
        hook_end(NULL, status);
        return status;
    }
    cp.restorable = (size_t)found[0];
    *chunk_blocks = cp.chunk_blocks;
    return DIAG_OK;
}

static int hook_chunk(void *context, size_t first, size_t end, size_t *lo, size_t *hi, diag *d)
{
    (void)context;
    size_t chunk = first / cp.chunk_blocks;
    int restored = chunk < cp.restorable;
    take_snapshot();
    if (restored) {
        *lo = *hi = first;
        if (checkpoint_rank() == 0) {
            int st = load_chunk(chunk, first, end, 1, d);
            if (st != DIAG_OK)
                return st == DIAG_NO_INPUT ? diag_error(d, DIAG_IO, _("a checkpoint of %s vanished"), cp.folder) : st;
        }
        return DIAG_OK;
    }
    rank_range(checkpoint_rank(), first, end, 0, lo, hi);
    return DIAG_OK;
}

static int hook_chunk_done(void *context, size_t first, size_t end, int status, size_t failed_block,
                           const char *message, diag *d)
{
    (void)context;
    size_t chunk = first / cp.chunk_blocks;
    int restored = chunk < cp.restorable;
    if ((status = combine_failures(status, failed_block, message, d)) != DIAG_OK)
        return status;
    if (cp.cluster && ((status = exchange_chunk(first, end, restored, d)) != DIAG_OK ||
                       (status = exchange_pools(d)) != DIAG_OK || (status = reduce_counters(d)) != DIAG_OK))
        return status;
    cp.chunks_done++;
    if (restored) {
        cp.restored++;
        return DIAG_OK;
    }
    if (cp.saving && checkpoint_rank() == 0 && (status = save_chunk(chunk, first, end, d)) == DIAG_OK)
        cp.written++;
    /* a checkpoint rank 0 could not write stops every rank */
    if (cp.saving && (status = checkpoint_agree(status, d)) != DIAG_OK)
        return status;
    maybe_die(checkpoint_rank() == 0 ? cp.written : cp.chunks_done);
    return DIAG_OK;
}

static void hook_end(void *context, int status)
{
    (void)context;
    (void)status;
    mem_free(cp.pack);
    mem_free(cp.all);
    mem_free(cp.snapshot);
    mem_free(cp.pool_snapshot);
    cp.pack = cp.all = NULL;
    cp.snapshot = NULL;
    cp.pool_snapshot = NULL;
    if (cp.job)
        cp.stage++;
    cp.job = NULL;
}

/* After hook_begin: 1 when rank 0 alone receives the run's regions and this is another rank. */
static int hook_partial(void *context)
{
    (void)context;
    return cp.job && !cp.shared && checkpoint_rank() != 0;
}

static int hook_agree(void *context, int status, diag *d)
{
    (void)context;
    return checkpoint_agree(status, d);
}

static const engine_chunks hooks = {hook_begin, hook_chunk, hook_chunk_done, hook_end, NULL, hook_partial, hook_agree};

/* What rank 0 says when mpirun stops it (session_set_signal_note): mpirun ends every rank
 * when one dies. */
static char signal_note[CHECKPOINT_PATH_MAX + 400];

static void set_signal_note(void)
{
    if (!cp.cluster || cp.cluster->rank != 0) {
        session_set_signal_note(NULL);
        return;
    }
    if (cp.open)
        snprintf(signal_note, sizeof signal_note,
                 _("econsim: error: rank 0 was stopped by mpirun, most likely because another rank died: nothing "
                   "was written into the result folder; the checkpoints written so far remain in %s/: run the "
                   "same command with --resume to go on\n"),
                 text_safe(cp.folder));
    else
        snprintf(signal_note, sizeof signal_note, "%s",
                 _("econsim: error: rank 0 was stopped by mpirun, most likely because another rank died: nothing "
                   "was written into the result folder\n"));
    session_set_signal_note(signal_note);
}

void checkpoint_set_cluster(const checkpoint_cluster *cluster)
{
    cp.job_cluster = cluster && cluster->size > 1 ? cluster : NULL;
    cp.cluster = cp.solo ? NULL : cp.job_cluster;
    engine_set_chunks(cp.cluster || cp.open ? &hooks : NULL);
    set_signal_note();
}

void checkpoint_solo(int on)
{
    cp.solo = on;
    checkpoint_set_cluster(cp.job_cluster);
}

int checkpoint_speaks(void)
{
    return !cp.job_cluster || cp.solo || cp.job_cluster->rank == 0;
}

int checkpoint_cluster_rank(void)
{
    return cp.job_cluster ? cp.job_cluster->rank : 0;
}

int checkpoint_cluster_size(void)
{
    return cp.job_cluster ? cp.job_cluster->size : 1;
}

/* --- the folder ----------------------------------------------------------------------------- */

int checkpoint_worst(int status)
{
    if (!cp.job_cluster)
        return status;
    diag d;
    diag_init(&d);
    uint64_t v = (uint64_t)status;
    int st = cp.job_cluster->allreduce(cp.job_cluster->context, &v, 1, CHECKPOINT_MAX, &d);
    diag_free(&d);
    return st == DIAG_OK ? (int)v : st;
}

/* Bytes of a failing rank's message that checkpoint_agree passes to the others. */
#define CHECKPOINT_AGREE_TEXT 256

int checkpoint_agree(int status, diag *d)
{
    if (!cp.cluster)
        return status;
    /* the worst status: one collective step when every rank is well */
    uint64_t worst = (uint64_t)status;
    if (cp.cluster->allreduce(cp.cluster->context, &worst, 1, CHECKPOINT_MAX, d) != DIAG_OK)
        return d->status;
    if (worst == DIAG_OK)
        return DIAG_OK;
    /* the first rank that failed, then its message (a maximum over the ranks of which only that
     * rank's is not zero: no buffer that grows with the ranks, on a rank that may be out of
     * memory), so that rank 0 can say what stopped the run */
    uint64_t first = status != DIAG_OK ? (uint64_t)cp.cluster->rank : UINT64_MAX;
    if (cp.cluster->allreduce(cp.cluster->context, &first, 1, CHECKPOINT_MIN, d) != DIAG_OK)
        return d->status;
    uint64_t packed[CHECKPOINT_AGREE_TEXT / sizeof(uint64_t)] = {0};
    if (first == (uint64_t)cp.cluster->rank) {
        const char *text = d->message, *prefix = _("error: ");
        if (!strncmp(text, prefix, strlen(prefix)))
            text += strlen(prefix);
        size_t n = strlen(text);
        if (n >= sizeof packed) { /* cut before a character, not inside one */
            n = sizeof packed - 1;
            while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(packed, text, n);
    }
    if (cp.cluster->allreduce(cp.cluster->context, packed, sizeof packed / sizeof packed[0], CHECKPOINT_MAX, d) !=
        DIAG_OK)
        return d->status;
    if (status != DIAG_OK)
        return status; /* this rank's own message is in d */
    char text[sizeof packed + 1];
    memcpy(text, packed, sizeof packed);
    text[sizeof packed] = '\0';
    return diag_error(d, (int)worst, _("rank %d stopped the run: %s"), (int)first, text);
}

int checkpoint_open(const char *dir, const run *r, const checkpoint_options *opt, diag *d)
{
    checkpoint_close(0);
    int n = snprintf(cp.folder, sizeof cp.folder, "%s.checkpoints", dir);
    if (n < 0 || (size_t)n >= sizeof cp.folder)
        return diag_error_file(d, DIAG_USAGE, dir, _("the folder name is too long for checkpoints"));
    cp.hash = checkpoint_file_stamp(r, opt->overrides);
    cp.resume = opt->resume;
    cp.always = opt->always;
    cp.stage = cp.restored = cp.written = cp.chunks_done = 0;
    int status = checkpoint_rank() == 0 ? checkpoint_file_check_folder(cp.folder, cp.hash, opt->resume, d) : DIAG_OK;
    if ((status = checkpoint_agree(status, d)) != DIAG_OK)
        return status;
    cp.open = 1;
    engine_set_chunks(&hooks);
    set_signal_note();
    return DIAG_OK;
}

void checkpoint_close(int committed)
{
    if (cp.open && committed && checkpoint_rank() == 0)
        checkpoint_file_remove_folder(cp.folder);
    cp.open = 0;
    engine_set_chunks(cp.cluster ? &hooks : NULL);
    set_signal_note();
}
