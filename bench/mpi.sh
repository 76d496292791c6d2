#!/usr/bin/env bash
# bench/mpi.sh ECONSIM-MPI: scaling of build-bench/econsim-mpi over 1, 2 and 4 ranks (one
# thread each) for a Sobol' sweep of the Ishigami function at N = 2^18 and Monte Carlo runs
# of 10^6 and 10^7 paths (bench/mc-run.json); best of BENCH_MPI_REPEATS (default 3; one run at 10^7).
# Then, at 10^7 paths, rank 0's share of the blocks and the peak memory of the ranks.
# The build machine has 2 cores: 4 ranks are oversubscribed, and labelled so. Then the
# measured rank-0 analysis time of the sweep at N = 2^20, for the paper model of the README
# (ECONSIM_BENCH_TIMES: the model runs and the analysis timed apart).
set -u
mpi=$1
cd "$(dirname "$0")/.." || exit 1
repeats=${BENCH_MPI_REPEATS:-3}
cores=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mpirun_() {
    local np=$1
    shift
    OMP_NUM_THREADS=1 mpirun --allow-run-as-root --oversubscribe --mca btl self,vader --mca mpi_yield_when_idle 1 \
        --mca btl_vader_single_copy_mechanism none -np "$np" "$mpi" "$@"
}
# best NP REPEATS ARGS...: the least wall-clock seconds of REPEATS runs
best() {
    local np=$1 n=$2 b="" t s e
    shift 2
    for _ in $(seq "$n"); do
        rm -rf "$tmp/out"
        s=$(date +%s%N)
        mpirun_ "$np" "$@" -o "$tmp/out" --no-charts --no-report -q --threads 1 >/dev/null 2>&1 || { echo fail; return; }
        e=$(date +%s%N)
        t=$(((e - s) / 1000000))
        [ -z "$b" ] || [ "$t" -lt "$b" ] && b=$t
    done
    printf '%d.%03d' $((b / 1000)) $((b % 1000))
}
row() { # LABEL REPEATS ARGS...
    local label=$1 n=$2 t1="" t
    shift 2
    for np in 1 2 4; do
        t=$(best "$np" "$n" "$@")
        [ "$np" = 1 ] && t1=$t
        eff=$(awk -v a="$t1" -v b="$t" -v p="$np" 'BEGIN { if (b > 0) printf "%.2f", a / (p * b); else print "-" }')
        speed=$(awk -v a="$t1" -v b="$t" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
        note=""
        [ "$np" -gt "$cores" ] && note="oversubscribed ($np ranks on $cores cores)"
        printf '%-30s %5d %9s %8s %10s  %s\n' "$label" "$np" "$t" "$speed" "$eff" "$note"
    done
}
echo
echo "econsim-mpi scaling: ranks x 1 thread, $cores cores, best of $repeats (1 run at 10^7); wall-clock seconds of"
echo "the whole mpirun (start-up, loading, model runs, gathering to rank 0, a sweep's analysis or an"
echo "ensemble's quantiles on rank 0, rank 0's writing). The 10^7-path ensemble runs in two passes, both"
echo "split over the ranks by block (histograms summed as integers, the values near each quantile to rank 0)"
echo
printf '%-30s %5s %9s %8s %10s\n' "job" "ranks" "seconds" "speedup" "efficiency"
row "sobol ishigami N=2^18" "$repeats" sweep bench/ishigami.json --samples 262144
row "monte carlo 10^6 paths" "$repeats" run bench/mc-run.json --paths 1000000
row "monte carlo 10^7 paths" 1 run bench/mc-run.json --paths 10000000
echo
echo "10^7 paths: the blocks rank 0 computed, and the peak resident memory (one-machine target 300 MB):"
for np in 1 2 4; do
    rm -rf "$tmp/out"
    ECONSIM_BENCH_TIMES=1 mpirun_ "$np" run bench/mc-run.json --paths 10000000 -o "$tmp/out" --no-charts --no-report -q \
        --threads 1 2>&1 | grep -E 'times:|peak memory' | sed 's/^econsim[-a-z]*: /  /' | tr '\n' ' '
    echo
done
echo
echo "rank-0 analysis at N = 2^20 (Ishigami, 3 inputs, 1 output, 1000 bootstrap resamples), one rank:"
OMP_NUM_THREADS=1 ECONSIM_BENCH_TIMES=1 "$mpi" sweep bench/ishigami.json --samples 1048576 -o "$tmp/big" --no-charts \
    --no-report -q --threads 1 2>&1 | sed 's/^econsim: times: /  /'
