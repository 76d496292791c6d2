/* checkpoint.h: long runs cut into chunks (engine.h's engine_chunks): a checkpoint file per
 * finished chunk beside the result folder, `--resume` after a crash, and the ranks of an MPI
 * job (through a checkpoint_cluster that the MPI driver installs; one process otherwise).
 *
 * Checkpoints live in DIR.checkpoints/ (DIR the result folder), outside the staging folder
 * that output.h's clean-up removes. Each chunk of a hooked engine run (the runs of a sweep, the
 * paths of an in-memory ensemble) is saved as stage-S-chunk-C.ckpt, written whole to a
 * temporary name, flushed and renamed. Every file is stamped with the run's hash (the bytes of
 * the scenario and every file it extends, the model, the observations, the command-line
 * overrides of design and seed) and the job's layout (paths, lanes, seed, regions); a file
 * whose stamp differs is refused, never mixed in. The folder is removed once the results are
 * committed. With several ranks, a chunk's blocks are split statically by index over the ranks,
 * and its results gathered in index order on rank 0 alone (on every rank for a job that says
 * `shared`, whose next step every rank takes); integer counters are summed and ranges taken as
 * min/max over the ranks (exact in any order) and held by every rank; pools of values are
 * appended in rank order (their order never matters). Rank 0 so holds the bytes of a
 * one-process run, and alone analyses them and writes checkpoints and results; the other ranks
 * learn from engine_stats.partial that they hold only their share. Jobs that say `transient`
 * (the passes of a streaming ensemble) are spread over the ranks but never saved.
 *
 * Test hook: ECONSIM_TEST_ABORT_AFTER_CHUNKS=K kills the process (SIGKILL) after its K-th
 * checkpoint; K@R kills rank R instead, after its K-th chunk. ECONSIM_TEST_NO_MEMORY=setup@R
 * makes rank R (0 without @R) find no memory for a run's checkpoint buffers (tests/mpi.sh). */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "run.h"

/* Sweeps of at least this many model runs write checkpoints without --checkpoint (a job that
 * is not engine_job.bounded; an ensemble only with --checkpoint or --resume). */
#define CHECKPOINT_AUTO_PATHS 100000
/* Chunks a checkpointed run is cut into (fewer when it has fewer blocks). */
#define CHECKPOINT_CHUNKS 64
/* Bytes of results one chunk moves at most (between ranks, into a file): also the size of
 * the two buffers a rank gathers through. */
#define CHECKPOINT_CHUNK_BYTES ((size_t)32 << 20)

/* The reductions of checkpoint_cluster.allreduce. */
typedef enum checkpoint_op { CHECKPOINT_SUM = 0, CHECKPOINT_MIN, CHECKPOINT_MAX } checkpoint_op;

/* The processes of one run. Every call is collective: every rank makes it, in the same order. */
typedef struct checkpoint_cluster {
    int rank, size;        /* this process, and how many */
    /* recv gets every rank's `send` in rank order (counts[r] bytes from rank r; counts is the
     * same on every rank and counts[rank] == bytes). Returns DIAG_OK or DIAG_UNAVAILABLE. */
    int (*allgather)(void *context, const void *send, size_t bytes, void *recv, const size_t *counts, diag *d);
    /* As allgather, but only rank 0 receives (recv is not touched elsewhere and may be NULL). */
    int (*gather)(void *context, const void *send, size_t bytes, void *recv, const size_t *counts, diag *d);
    /* values[0..count) reduced elementwise over the ranks, in place. */
    int (*allreduce)(void *context, uint64_t *values, size_t count, checkpoint_op op, diag *d);
    void *context;
} checkpoint_cluster;

/* Installs the ranks of an MPI job (NULL: one process). Call before any command. */
void checkpoint_set_cluster(const checkpoint_cluster *cluster);

/* This process's rank among those runs are spread over (0 without a cluster, or solo) and their
 * number (1). */
int checkpoint_rank(void);
int checkpoint_ranks(void);

/* The rank of this process in the whole job (0 without a cluster) and the job's ranks (1),
 * solo or not: for spreading scenarios over the ranks. */
int checkpoint_cluster_rank(void);
int checkpoint_cluster_size(void);

/* on = 1: this rank runs scenarios of its own, alone (no engine run is spread; it writes its
 * own result folders); 0: back to spreading every run over the ranks. */
void checkpoint_solo(int on);

/* 1 when this process locks and writes result folders and prints results: a process alone,
 * rank 0, or a rank that is solo. */
int checkpoint_speaks(void);

/* Collective: the worst (largest) status over the ranks the runs are spread over, so that a
 * step only rank 0 takes (locking, checking the checkpoint folder), or a rank that ran out of
 * memory, stops every rank instead of leaving the others waiting for it. A rank whose own
 * status was DIAG_OK gets the error in d: "rank K stopped the run: ..." with the message of
 * the first rank K that failed (its first 255 bytes), so rank 0 can say why; a rank that
 * failed keeps its own message. One collective step when every rank is well, three when not. */
int checkpoint_agree(int status, diag *d);

/* Collective over the whole job (solo or not): the worst status of any rank, no message. */
int checkpoint_worst(int status);

/* What a command asks of checkpoints. */
typedef struct checkpoint_options {
    int resume;            /* --resume: continue from DIR.checkpoints/ */
    int always;            /* --checkpoint: write them whatever the run's size */
    const char *overrides; /* the command-line settings the results depend on ("paths=...") */
} checkpoint_options;

/* Starts the checkpoints of the result folder `dir` for the scenario r (loaded; hashed
 * now), and installs the engine hooks: every hooked engine run until checkpoint_close is one
 * stage. With resume, DIR.checkpoints/ must belong to this run (else DIAG_DATA, located at the
 * folder's stamp file, saying what differs); without resume an existing DIR.checkpoints/ is
 * refused (DIAG_CANT_CREATE: add --resume or remove it) so that no earlier run's chunks are
 * lost. Returns DIAG_OK or the error. */
int checkpoint_open(const char *dir, const run *r, const checkpoint_options *opt, diag *d);

/* Ends the checkpoints of the current folder and removes the engine hooks. When committed is
 * 1 (the results were written) DIR.checkpoints/ is deleted; otherwise it stays for --resume.
 * A no-op when none is open. */
void checkpoint_close(int committed);

/* Chunks restored from checkpoints so far since checkpoint_open (for messages and tests). */
size_t checkpoint_restored(void);

/* Says on standard error how many chunks came from checkpoints, when some did and unless
 * quiet (rank 0 only). */
void checkpoint_note_resumed(int quiet);

#endif
