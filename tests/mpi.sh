#!/usr/bin/env bash
# tests/mpi.sh BINARY-MPI BINARY: build/econsim-mpi under Open MPI (checkpoint.h, src/mpi/).
#
# - The same bytes for 1x1, 1x2, 2x1, 3x1 and 4x2 ranks x threads (oversubscribed) as the
#   one-process program with one thread: an Ishigami sweep (Sobol' N = 2048) and a Monte
#   Carlo run (6000 paths): every file, and summary.json apart from its "environment".
# - mpirun killed midway by the test hook on rank 0 (ECONSIM_TEST_ABORT_AFTER_CHUNKS), then
#   --resume on another mix of ranks: the same bytes; the result folder was never half-written.
# - An ensemble past the memory budget (two streaming passes, forced by ECONSIM_MEMORY_MB): the
#   same bytes for the five mixes, with each pass's blocks split over the ranks.
# - A risk run's per-path sample for PAWN and scenario discovery, split over the ranks: the same
#   files.
# - --resume with a changed scenario is refused by rank 0 with a located message.
# - Rank 0 cannot create the result folder: every rank stops with its message and 73 (no hang).
# - Rank 1 runs out of memory before the first exchange (the hook ECONSIM_TEST_NO_MEMORY):
#   every rank stops with 70 instead of waiting for it, and rank 0 says which rank and why.
# - A rank that dies (the hook on rank 1): rank 0 says so, the checkpoints remain, nothing is
#   written into the result folder; --resume then finishes the run.
# - `run` of several scenarios spreads them over the ranks: the same folders as each alone.
# Open MPI runs as root in the test containers, with the shared-memory transport pinned.
set -u
mpi_binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
binary=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 1
command -v mpirun >/dev/null || { echo "mpi: mpirun not found (apt-get install openmpi-bin)"; exit 1; }
fail=0
say() { echo "mpi: $*"; fail=1; }
# mpi NP THREADS ARGS...: econsim-mpi on NP ranks of THREADS threads each
mpi() {
    local np=$1 threads=$2
    shift 2
    # under make asan: Open MPI's own allocations outlive MPI_Finalize, so no leak check here
    # (econsim's leaks are checked by the rest of make check); address errors still count
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 OMP_NUM_THREADS=$threads timeout -k 10 120 mpirun --allow-run-as-root --oversubscribe --mca btl self,vader \
        --mca btl_vader_single_copy_mechanism none -np "$np" "$mpi_binary" "$@" --threads "$threads"
}
strip_env() { sed '/^\t"environment":\t{/,/^\t}/d' "$1"; }
same_results() { # A B
    local a=$1 b=$2 f
    [ -d "$a" ] && [ -d "$b" ] || { say "missing $a or $b"; return 1; }
    [ "$(cd "$a" && find . -type f | LC_ALL=C sort)" = "$(cd "$b" && find . -type f | LC_ALL=C sort)" ] ||
        { say "$a and $b hold different files"; return 1; }
    for f in $(cd "$a" && find . -type f ! -name summary.json); do
        cmp -s "$a/$f" "$b/$f" || { say "$b/$f differs from $a/$f"; return 1; }
    done
    for f in $(cd "$a" && find . -type f -name summary.json); do
        cmp -s <(strip_env "$a/$f") <(strip_env "$b/$f") || { say "$b/$f differs beyond \"environment\""; return 1; }
    done
}
opts=(--no-charts -q)

for job in "sweep tests/mpi/ishigami.json" "run tests/mpi/mc.json"; do
    set -- $job
    cmd=$1 file=$2 name=$1
    "$binary" "$cmd" "$file" -o "$tmp/$name-ref" "${opts[@]}" --threads 1 2>/dev/null || say "$name: econsim failed"
    for mix in 1x1 1x2 2x1 3x1 4x2; do
        mpi "${mix%x*}" "${mix#*x}" "$cmd" "$file" -o "$tmp/$name-$mix" "${opts[@]}" 2>"$tmp/err" ||
            say "$name $mix failed: $(head -5 "$tmp/err")"
        same_results "$tmp/$name-ref" "$tmp/$name-$mix"
    done
    ranks=$(grep -A3 '"environment"' "$tmp/$name-4x2/summary.json" | grep -c '"ranks":	4')
    [ "$ranks" -eq 1 ] || say "$name: summary.json of 4 ranks does not say \"ranks\": 4 in its environment"

    # mpirun killed midway (rank 0 dies after 3 checkpoints), resumed on another mix
    out=$tmp/$name-killed
    ECONSIM_TEST_ABORT_AFTER_CHUNKS=3 mpi 2 1 "$cmd" "$file" -o "$out" "${opts[@]}" --checkpoint >/dev/null 2>&1 &&
        say "$name: the killed mpirun succeeded"
    [ -e "$out" ] && say "$name: a killed run left a result folder"
    n=$(ls "$out.checkpoints" 2>/dev/null | grep -c '\.ckpt$')
    [ "$n" -eq 3 ] || say "$name: $n checkpoints after 3 chunks, not 3"
    mpi 3 1 "$cmd" "$file" -o "$out" --no-charts --resume >/dev/null 2>"$tmp/err" ||
        say "$name: --resume failed: $(head -5 "$tmp/err")"
    grep -q 'resumed: 3 chunks read back' "$tmp/err" || say "$name: --resume did not read 3 chunks back"
    same_results "$tmp/$name-ref" "$out"
    [ -e "$out.checkpoints" ] && say "$name: the checkpoints outlived the commit"
done

# an ensemble past the memory budget: ECONSIM_MEMORY_MB=10 makes 30000 paths stream in two
# passes ("passes": 2 in summary.json), whose 118 blocks of 256 paths the ranks split by index:
# the same bytes for every mix, and rank 0 computes floor(118 / ranks) blocks of each pass
# (ECONSIM_BENCH_TIMES says how many), not all of them
big=(--paths 30000 "${opts[@]}")
ECONSIM_MEMORY_MB=10 "$binary" run tests/mpi/mc.json -o "$tmp/stream-ref" "${big[@]}" --threads 1 2>/dev/null ||
    say "stream: econsim failed"
grep -q '"passes":	2,' "$tmp/stream-ref/summary.json" || say "stream: the reference did not run in two passes"
for mix in 1x1 1x2 2x1 3x1 4x2; do
    np=${mix%x*}
    ECONSIM_MEMORY_MB=10 ECONSIM_BENCH_TIMES=1 mpi "$np" "${mix#*x}" run tests/mpi/mc.json -o "$tmp/stream-$mix" \
        "${big[@]}" 2>"$tmp/err" || say "stream $mix failed: $(grep -v warning "$tmp/err" | head -5)"
    same_results "$tmp/stream-ref" "$tmp/stream-$mix"
    want="2 passes, $((2 * (118 / np))) of 236 blocks on rank 0, "
    grep -qF "$want" "$tmp/err" || say "stream $mix: not \"$want\": $(grep 'times:' "$tmp/err")"
done

# the per-path sample of a risk run (PAWN ranking and scenario discovery), its paths split over
# the ranks and gathered on rank 0, which alone analyses them: the same files
"$binary" run tests/mpi/paths.json -o "$tmp/paths-ref" "${opts[@]}" --threads 1 2>/dev/null || say "paths: econsim failed"
[ -f "$tmp/paths-ref/pawn.csv" ] && [ -f "$tmp/paths-ref/discovery.csv" ] || say "paths: no pawn.csv or discovery.csv"
for mix in 2x1 3x1 4x2; do
    mpi "${mix%x*}" "${mix#*x}" run tests/mpi/paths.json -o "$tmp/paths-$mix" "${opts[@]}" 2>"$tmp/err" ||
        say "paths $mix failed: $(grep -v warning "$tmp/err" | head -5)"
    same_results "$tmp/paths-ref" "$tmp/paths-$mix"
done

# --resume with a changed scenario: refused by rank 0, located, checkpoints kept
cp tests/mpi/ishigami.json tests/mpi/ishigami-model.json "$tmp/"
ECONSIM_TEST_ABORT_AFTER_CHUNKS=2 mpi 2 1 sweep "$tmp/ishigami.json" -o "$tmp/changed" "${opts[@]}" --checkpoint \
    >/dev/null 2>&1
sed -i 's/"seed": 17/"seed": 18/' "$tmp/ishigami.json"
mpi 2 1 sweep "$tmp/ishigami.json" -o "$tmp/changed" "${opts[@]}" --resume >/dev/null 2>"$tmp/err"
status=$?
[ $status -ne 0 ] || say "--resume with a changed scenario succeeded"
[ "$(grep -c 'changed.checkpoints/run.txt:2:5: error: these checkpoints belong to another run' "$tmp/err")" -eq 1 ] ||
    say "--resume with a changed scenario: not one located message from rank 0: $(cat "$tmp/err")"
[ -e "$tmp/changed" ] && say "a refused --resume wrote its result folder"
[ -e "$tmp/changed.checkpoints/stage-0-chunk-00001.ckpt" ] || say "a refused --resume removed the checkpoints"

# a rank dies: rank 0 says so, the checkpoints remain, the folder is not written; --resume ends it
out=$tmp/death
ECONSIM_TEST_ABORT_AFTER_CHUNKS=4@1 mpi 2 1 sweep tests/mpi/ishigami.json -o "$out" "${opts[@]}" --checkpoint \
    >/dev/null 2>"$tmp/err" && say "a run whose rank 1 died succeeded"
grep -q "rank 0 was stopped by mpirun, most likely because another rank died" "$tmp/err" ||
    say "no message from rank 0 when rank 1 died: $(cat "$tmp/err")"
grep -q "death.checkpoints/: run the same command with --resume" "$tmp/err" ||
    say "rank 0's message does not name the checkpoints"
[ -e "$out" ] && say "a run whose rank died left a result folder"
n=$(ls "$out.checkpoints" 2>/dev/null | grep -c '\.ckpt$')
[ "$n" -ge 3 ] || say "only $n checkpoints remain after rank 1 died after 4 chunks"
mpi 2 1 sweep tests/mpi/ishigami.json -o "$out" "${opts[@]}" --resume 2>/dev/null || say "--resume after a rank died failed"
same_results "$tmp/sweep-ref" "$out"

# rank 0 alone locks the result folder: when it cannot create it, every rank stops (no rank
# waits for it in the runs), with rank 0's one located message and exit status 73
touch "$tmp/a-file"
for job in "run tests/mpi/mc.json" "sweep tests/mpi/ishigami.json"; do
    set -- $job
    mpi 3 1 "$1" "$2" -o "$tmp/a-file/out" "${opts[@]}" >/dev/null 2>"$tmp/err"
    status=$?
    [ $status -eq 73 ] || say "$1 into a folder rank 0 cannot create: exit $status, not 73: $(head -3 "$tmp/err")"
    [ "$(grep -c "a-file/out: error: cannot create folder" "$tmp/err")" -eq 1 ] ||
        say "$1 into a folder rank 0 cannot create: not one message from rank 0: $(head -3 "$tmp/err")"
done

# a rank out of memory before the runs' first exchange: no rank waits for it (a hang would end
# in timeout's 124 or 137), rank 0 names it and its reason, nothing is written
ECONSIM_TEST_NO_MEMORY=setup@1 mpi 3 1 run tests/mpi/mc.json -o "$tmp/oom" "${opts[@]}" >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 70 ] || say "rank 1 out of memory: exit $status, not 70: $(grep -v warning "$tmp/err" | head -3)"
grep -q "rank 1 stopped the run: out of memory while setting up checkpoints" "$tmp/err" ||
    say "rank 1 out of memory: rank 0 does not say which rank and why: $(grep -v warning "$tmp/err" | head -3)"
[ -e "$tmp/oom" ] && say "a run with a rank out of memory left a result folder"

# several scenarios spread over the ranks: the folders of each run alone
mkdir -p "$tmp/alone"
for f in scenarios/province/*.json; do
    "$binary" run "$f" -o "$tmp/alone/province-$(basename "$f" .json)" "${opts[@]}" --threads 1 2>/dev/null ||
        say "$f failed alone"
done
mpi 3 1 run scenarios/province/*.json -o "$tmp/spread" "${opts[@]}" 2>/dev/null || say "the spread run failed"
same_results "$tmp/alone" "$tmp/spread"

[ $fail -eq 0 ] && echo "mpi: ok (5 mixes of ranks x threads, a two-pass ensemble and a PAWN/discovery sample split over the ranks, kill + --resume, a changed scenario, a folder rank 0 cannot create, a dead rank, a rank out of memory, 8 scenarios spread)"
exit $fail
