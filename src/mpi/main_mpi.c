/* main_mpi.c: build/econsim-mpi, econsim with an MPI driver. Every rank runs the same command
 * on the same files (SPMD): the engine runs of a sweep or an ensemble are split over the ranks
 * by block index and gathered in index order on rank 0 (checkpoint.h), which so holds the
 * results a single process would and alone analyses them, prints, locks and writes the result
 * folders and the checkpoints. `run` with several scenarios spreads the scenarios over the ranks instead, each
 * rank writing its own scenarios' folders. The command line is econsim's (main.c, compiled a
 * second time with its main renamed econsim_main). */
#include "checkpoint.h"
#include "cluster_mpi.h"
#include "i18n.h"
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>

int econsim_main(int argc, char **argv);

int main(int argc, char **argv)
{
    static checkpoint_cluster cluster;
    diag d;
    diag_init(&d);
    if (cluster_mpi_init(&argc, &argv, &cluster, &d) != DIAG_OK) {
        diag_print(&d, "econsim-mpi", stderr);
        int status = d.status;
        diag_free(&d);
        return status;
    }
    diag_free(&d);
    checkpoint_set_cluster(&cluster);
    summary_set_ranks(cluster.size);
    /* the other ranks compute their share of what rank 0 prints: their standard output goes nowhere */
    if (cluster.rank != 0 && !freopen("/dev/null", "w", stdout))
        fprintf(stderr, _("econsim-mpi: rank %d: cannot silence standard output\n"), cluster.rank);
    int status = econsim_main(argc, argv);
    fflush(stdout);
    if (getenv("ECONSIM_BENCH_TIMES")) /* make bench: rank 0's memory against the one-machine target */
        cluster_mpi_note_memory(&cluster);
    cluster_mpi_finish(status, 0);
    return status;
}
