#!/usr/bin/env bash
# tests/checkpoint.sh BINARY: checkpoints and --resume on one machine (checkpoint.h).
#
# A sweep (the Ishigami function, Sobol' N = 2048) and a Monte Carlo run (6000 paths) are
# killed by the test hook ECONSIM_TEST_ABORT_AFTER_CHUNKS after a few chunks (SIGKILL: no
# clean-up runs); the checkpoints stay beside the result folder, the folder itself is not
# written; --resume reads them back and gives the bytes of an uninterrupted run (summary.json
# apart from its "environment"), with another thread count too; the checkpoints are then gone.
# Checkpoints of a changed scenario are refused (65) and a run without --resume does not
# overwrite them (73).
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 1
fail=0
say() { echo "checkpoint: $*"; fail=1; }

# same_results A B: every file equal, summary.json without its "environment"
same_results() {
    local a=$1 b=$2 f
    [ -d "$a" ] && [ -d "$b" ] || { say "missing $a or $b"; return 1; }
    if [ "$(cd "$a" && find . -type f | LC_ALL=C sort)" != "$(cd "$b" && find . -type f | LC_ALL=C sort)" ]; then
        say "$a and $b hold different files"
        return 1
    fi
    for f in $(cd "$a" && find . -type f ! -name summary.json); do
        cmp -s "$a/$f" "$b/$f" || { say "$b/$f differs from $a/$f"; return 1; }
    done
    cmp -s <(strip_env "$a/summary.json") <(strip_env "$b/summary.json") ||
        { say "$b/summary.json differs from $a/summary.json beyond \"environment\""; return 1; }
}
strip_env() { sed '/^\t"environment":\t{/,/^\t}/d' "$1"; }

check_kill_resume() { # NAME COMMAND FILE
    local name=$1 cmd=$2 file=$3 out=$tmp/$1
    "$binary" "$cmd" "$file" -o "$tmp/$name-whole" -q --no-charts --threads 2 2>/dev/null ||
        say "$name: the uninterrupted run failed"
    ECONSIM_TEST_ABORT_AFTER_CHUNKS=3 "$binary" "$cmd" "$file" -o "$out" -q --no-charts --checkpoint --threads 2 \
        2>/dev/null
    local status=$?
    [ $status -eq 137 ] || say "$name: the hook did not kill the run (exit $status)"
    [ -e "$out" ] && say "$name: a killed run left its result folder"
    n=$(ls "$out.checkpoints" 2>/dev/null | grep -c '\.ckpt$')
    [ "$n" -eq 3 ] || say "$name: $n checkpoints after 3 chunks, not 3"
    "$binary" "$cmd" "$file" -o "$out" -q --no-charts --threads 2 2>"$tmp/err"
    status=$?
    [ $status -eq 73 ] && grep -q 'add --resume' "$tmp/err" ||
        say "$name: a run without --resume over checkpoints gave $status: $(cat "$tmp/err")"
    "$binary" "$cmd" "$file" -o "$out" --no-charts --resume --threads 1 >/dev/null 2>"$tmp/err" ||
        say "$name: --resume failed: $(cat "$tmp/err")"
    grep -q 'resumed: 3 chunks read back' "$tmp/err" || say "$name: --resume did not read the 3 chunks back"
    same_results "$tmp/$name-whole" "$out"
    [ -e "$out.checkpoints" ] && say "$name: the checkpoints outlived the commit"
}

check_kill_resume sweep sweep tests/mpi/ishigami.json
check_kill_resume mc run tests/mpi/mc.json

# checkpoints of a changed scenario are refused, located, and kept
cp tests/mpi/ishigami.json tests/mpi/ishigami-model.json "$tmp/"
ECONSIM_TEST_ABORT_AFTER_CHUNKS=2 "$binary" sweep "$tmp/ishigami.json" -o "$tmp/changed" -q --no-charts --checkpoint \
    2>/dev/null
sed -i 's/"seed": 17/"seed": 18/' "$tmp/ishigami.json"
"$binary" sweep "$tmp/ishigami.json" -o "$tmp/changed" -q --no-charts --resume 2>"$tmp/err"
status=$?
[ $status -eq 65 ] || say "a changed scenario's --resume exited $status, not 65"
grep -q "changed.checkpoints/run.txt:2:5: error: these checkpoints belong to another run" "$tmp/err" ||
    say "a changed scenario's --resume said: $(cat "$tmp/err")"
[ -e "$tmp/changed" ] && say "a refused --resume wrote its result folder"
[ -e "$tmp/changed.checkpoints/stage-0-chunk-00001.ckpt" ] || say "a refused --resume removed the checkpoints"
# a changed model is refused as well
sed -i 's/"seed": 18/"seed": 17/; ' "$tmp/ishigami.json"
sed -i 's/7 \* pow/7.5 * pow/' "$tmp/ishigami-model.json"
"$binary" sweep "$tmp/ishigami.json" -o "$tmp/changed" -q --no-charts --resume 2>/dev/null
[ $? -eq 65 ] || say "--resume with a changed model was not refused"
# a damaged chunk file is refused
sed -i 's/7.5 \* pow/7 * pow/' "$tmp/ishigami-model.json"
printf 'x' >>"$tmp/changed.checkpoints/stage-0-chunk-00001.ckpt"
"$binary" sweep "$tmp/ishigami.json" -o "$tmp/changed" -q --no-charts --resume 2>"$tmp/err"
status=$?
[ $status -eq 65 ] && grep -q 'stage-0-chunk-00001.ckpt: error: not a whole econsim checkpoint' "$tmp/err" ||
    say "a damaged checkpoint gave $status: $(cat "$tmp/err")"

# without --checkpoint, a sweep of 100000 model runs or more saves its chunks (the hook kills it
# after the first), an ensemble of as many paths does not (bounded by memory, it takes seconds)
ECONSIM_TEST_ABORT_AFTER_CHUNKS=1 "$binary" sweep tests/mpi/ishigami.json --samples 32768 -o "$tmp/auto-sweep" -q \
    --no-charts --no-report 2>/dev/null
[ -e "$tmp/auto-sweep.checkpoints/stage-0-chunk-00000.ckpt" ] && [ ! -e "$tmp/auto-sweep" ] ||
    say "a sweep of 163840 runs did not save its first chunk by itself"
ECONSIM_TEST_ABORT_AFTER_CHUNKS=1 "$binary" run tests/mpi/mc.json --paths 100000 -o "$tmp/auto-mc" -q --no-charts \
    --no-report 2>/dev/null || say "an ensemble of 100000 paths without --checkpoint was stopped at a chunk"
[ -e "$tmp/auto-mc.checkpoints" ] && say "an ensemble of 100000 paths saved checkpoints without --checkpoint"
[ -f "$tmp/auto-mc/summary.json" ] || say "an ensemble of 100000 paths wrote no results"

[ $fail -eq 0 ] && echo "checkpoint: ok (kill + --resume on a sweep and an ensemble, changed inputs refused)"
exit $fail
