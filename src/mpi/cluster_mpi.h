/* cluster_mpi.h: the ranks of an Open MPI job as a checkpoint_cluster (checkpoint.h), for
 * build/econsim-mpi only: the one module that includes mpi.h. Chunks of an engine run are
 * gathered with MPI_Gatherv to rank 0 in rank order (so in block order; MPI_Allgatherv for
 * the small status notes and for runs every rank reads on from), counters reduced as
 * integers; no floating-point value is ever reduced by MPI, whose order may vary. */
#ifndef CLUSTER_MPI_H
#define CLUSTER_MPI_H

#include "checkpoint.h"

/* Starts MPI with MPI_THREAD_FUNNELED (OpenMP threads inside each rank; only the thread that
 * called it calls MPI), sets errors to return instead of aborting, and fills *cluster for
 * MPI_COMM_WORLD. Returns DIAG_OK, or DIAG_UNAVAILABLE with the message in d when MPI cannot
 * start or lacks FUNNELED. */
int cluster_mpi_init(int *argc, char ***argv, checkpoint_cluster *cluster, diag *d);

/* Collective: rank 0 says on standard error the peak resident memory (getrusage) of rank 0
 * and the largest of the other ranks, in MB, for make bench. */
void cluster_mpi_note_memory(const checkpoint_cluster *cluster);

/* Ends MPI: MPI_Finalize after a run whose ranks all got here, or MPI_Abort(status) when this
 * rank stops alone (abort = 1), so that mpirun ends the others instead of leaving them waiting. */
void cluster_mpi_finish(int status, int abort);

#endif
