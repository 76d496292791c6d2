/* cluster_mpi.c: MPI_COMM_WORLD as a checkpoint_cluster (cluster_mpi.h). */
#include "cluster_mpi.h"

#include "i18n.h"
#include "mem.h"

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <sys/resource.h>

/* Describes an MPI error code in d. */
static int mpi_failed(int code, const char *what, diag *d)
{
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(code, text, &len) != MPI_SUCCESS)
        snprintf(text, sizeof text, "MPI error %d", code);
    return diag_error(d, DIAG_UNAVAILABLE,
                      _("%s failed: %s (a rank stopped? the checkpoints written so far remain: rerun with --resume)"),
                      what, text);
}

/* MPI_Allgatherv (everywhere = 1) or MPI_Gatherv to rank 0 of counts[r] bytes from rank r. */
static int mpi_gather_bytes(int everywhere, const void *send, size_t bytes, void *recv, const size_t *counts,
                            diag *d)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *count = mem_alloc((size_t)size * sizeof *count), *displ = mem_alloc((size_t)size * sizeof *displ);
    if (!count || !displ) {
        mem_free(count);
        mem_free(displ);
        return diag_oom(d, _("gathering a chunk over the ranks"));
    }
    size_t at = 0;
    int status = DIAG_OK;
    for (int r = 0; r < size; r++) {
        if (counts[r] > INT_MAX || at > INT_MAX) {
            status = diag_error(d, DIAG_SOFTWARE, _("a chunk of %zu bytes is too large to gather"), at + counts[r]);
            break;
        }
        count[r] = (int)counts[r];
        displ[r] = (int)at;
        at += counts[r];
    }
    if (status == DIAG_OK) {
        int code = everywhere ? MPI_Allgatherv(bytes ? send : NULL, (int)bytes, MPI_BYTE, recv, count, displ,
                                               MPI_BYTE, MPI_COMM_WORLD)
                              : MPI_Gatherv(bytes ? send : NULL, (int)bytes, MPI_BYTE, recv, count, displ,
                                            MPI_BYTE, 0, MPI_COMM_WORLD);
        if (code != MPI_SUCCESS)
            status = mpi_failed(code, everywhere ? "MPI_Allgatherv" : "MPI_Gatherv", d);
    }
    mem_free(count);
    mem_free(displ);
    return status;
}

static int mpi_allgather(void *context, const void *send, size_t bytes, void *recv, const size_t *counts, diag *d)
{
    (void)context;
    return mpi_gather_bytes(1, send, bytes, recv, counts, d);
}

static int mpi_gather(void *context, const void *send, size_t bytes, void *recv, const size_t *counts, diag *d)
{
    (void)context;
    return mpi_gather_bytes(0, send, bytes, recv, counts, d);
}

static int mpi_allreduce(void *context, uint64_t *values, size_t count, checkpoint_op op, diag *d)
{
    (void)context;
    if (count > INT_MAX)
        return diag_error(d, DIAG_SOFTWARE, _("%zu counters are too many to reduce"), count);
    MPI_Op mop = op == CHECKPOINT_SUM ? MPI_SUM : op == CHECKPOINT_MIN ? MPI_MIN : MPI_MAX;
    int code = MPI_Allreduce(MPI_IN_PLACE, values, (int)count, MPI_UINT64_T, mop, MPI_COMM_WORLD);
    return code == MPI_SUCCESS ? DIAG_OK : mpi_failed(code, "MPI_Allreduce", d);
}

int cluster_mpi_init(int *argc, char ***argv, checkpoint_cluster *cluster, diag *d)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return diag_error(d, DIAG_UNAVAILABLE, _("MPI could not start (run under mpirun or srun)"));
    if (provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        return diag_error(d, DIAG_UNAVAILABLE, _("this MPI library does not support MPI_THREAD_FUNNELED"));
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *cluster = (checkpoint_cluster){.rank = rank, .size = size, .allgather = mpi_allgather,
                                    .gather = mpi_gather, .allreduce = mpi_allreduce, .context = NULL};
    return DIAG_OK;
}

void cluster_mpi_note_memory(const checkpoint_cluster *cluster)
{
    struct rusage usage;
    uint64_t kb[2] = {0, 0}; /* rank 0's, the others' largest */
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        kb[cluster->rank == 0 ? 0 : 1] = (uint64_t)usage.ru_maxrss;
    diag d;
    diag_init(&d);
    if (cluster->size > 1 && mpi_allreduce(NULL, kb, 2, CHECKPOINT_MAX, &d) != DIAG_OK)
        kb[0] = kb[1] = 0;
    diag_free(&d);
    if (cluster->rank == 0)
        fprintf(stderr, _("econsim-mpi: peak memory: rank 0 %.1f MB, the largest other rank %.1f MB\n"),
                (double)kb[0] / 1024, (double)kb[1] / 1024);
}

void cluster_mpi_finish(int status, int abort)
{
    if (abort)
        MPI_Abort(MPI_COMM_WORLD, status ? status : 1);
    else
        MPI_Finalize();
}
